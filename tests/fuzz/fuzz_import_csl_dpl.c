/*
 * fuzz_import_csl_dpl.c — libFuzzer target for the two delimited-text list importers: the
 * Consolidated Screening List (src/lib/import_csl.c) and BIS's Denied Persons List
 * (src/lib/import_dpl.c): decoding, CSV rows, header mapping, sub-lists, derived ids and their
 * repeats, the entry builder.
 *
 * Input: one selector byte (even: CSL, odd: DPL), then the whole file. Invariants checked: no crash or sanitizer report; the status is
 * DX_OK, DX_ERR_INPUT or DX_ERR_NOMEM; DX_ERR_INPUT comes with an error diagnostic and DX_OK
 * without one; every emitted entry has an id, a name (the first of its names) and raw fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"

static dx_countries *countries;

static dx_status check_entry(void *ctx, const dx_entry *e)
{
    if (!e->entry_id || !e->entry_id[0] || !e->name || !e->name[0] || !e->n_names ||
        e->names[0].text != e->name || !e->raw || e->raw[0] != '{' ||
        strcmp(e->list_id, (const char *)ctx))
        abort();
    for (size_t i = 0; i < e->n_facts; i++) {
        if (!e->facts[i].type || !e->facts[i].value || !e->facts[i].value[0])
            abort();
    }
    return DX_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!countries && dx_countries_new(&countries) != DX_OK)
        abort();
    if (size < 1)
        return 0;
    int dpl = data[0] & 1;
    data++, size--;
    dx_diags *diags = NULL;
    dx_entry_builder *builder = NULL;
    if (dx_diags_new(&diags) != DX_OK || dx_entry_builder_new(countries, &builder) != DX_OK)
        abort();
    dx_import im = {diags, builder, check_entry, dpl ? "us_bis_dpl" : "us_csl", countries, "",
                    NULL};
    dx_import_file file = {dpl ? "dpl.txt" : "consolidated.csv", dpl ? "dpl.txt" : "consolidated.csv",
                           data, size};
    dx_status st = dpl ? dx_import_dpl(&im, &file, 1) : dx_import_csl(&im, &file, 1);
    size_t errors = dx_diags_count_severity(diags, DX_SEV_ERROR);
    if (st != DX_OK && st != DX_ERR_INPUT && st != DX_ERR_NOMEM)
        abort();
    if ((st == DX_OK && errors) || (st == DX_ERR_INPUT && !errors))
        abort();
    dx_entry_builder_free(builder);
    dx_diags_free(diags);
    return 0;
}

/*
 * fuzz_import_un.c — libFuzzer target for the UN Consolidated List importer (import_un.c):
 * the prolog checks (encoding, DTD refusal), libxml2's reader under our options, the mapping
 * of elements to names and facts, and the limits.
 *
 * Input: the whole XML file. Invariants checked: the status is DX_OK, DX_ERR_INPUT or
 * DX_ERR_NOMEM; DX_ERR_INPUT comes with at least one error diagnostic and DX_OK with none;
 * every emitted entry has a list id, an id, a primary name first among its names, and raw
 * JSON. Hangs are caught by libFuzzer's -timeout.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dexcheck.h"
#include "entry.h"
#include "import.h"

static dx_countries *countries;

static dx_status check_entry(void *ctx, const dx_entry *e)
{
    size_t *n = ctx;
    if (!e->list_id || strcmp(e->list_id, "un_sc") != 0 || !e->entry_id || !e->entry_id[0] ||
        !e->name || !e->name[0] || e->n_names == 0 || e->names[0].kind != DX_NAME_PRIMARY ||
        e->names[0].text != e->name || !e->raw || e->raw[0] != '{')
        abort();
    if (e->kind != DX_ENTRY_PERSON && e->kind != DX_ENTRY_ORGANIZATION)
        abort();
    for (size_t i = 0; i < e->n_facts; i++) {
        if (!e->facts[i].type || !e->facts[i].value || !e->facts[i].value[0])
            abort();
    }
    (*n)++;
    return DX_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!countries && dx_countries_new(&countries) != DX_OK)
        abort();
    dx_diags *diags = NULL;
    dx_entry_builder *builder = NULL;
    if (dx_diags_new(&diags) != DX_OK || dx_entry_builder_new(countries, &builder) != DX_OK)
        abort();
    size_t emitted = 0;
    dx_import im = {diags, builder, check_entry, &emitted, countries, "", NULL};
    dx_import_file file = {"fuzz.xml", "fuzz.xml", data, size};
    dx_status st = dx_import_un(&im, &file, 1);
    size_t errors = dx_diags_count_severity(diags, DX_SEV_ERROR);
    if (st != DX_OK && st != DX_ERR_INPUT && st != DX_ERR_NOMEM)
        abort();
    if ((st == DX_ERR_INPUT && errors == 0) || (st == DX_OK && errors != 0))
        abort();
    if (im.publication_date[0] && strlen(im.publication_date) != 10)
        abort();
    dx_entry_builder_free(builder);
    dx_diags_free(diags);
    return 0;
}

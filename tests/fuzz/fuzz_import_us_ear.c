/*
 * fuzz_import_us_ear.c — libFuzzer target for the U.S. EAR control-data importers
 * (import_us_ear.c): jansson under our options and limits, the shape checks, and the mapping
 * of CCL entries, chart rows, country groups and license exceptions to entries.
 *
 * Input: the first byte picks the importer (modulo 4: us_ccl, us_country_chart,
 * us_country_groups, us_license_exceptions), the rest is the JSON file. Invariants checked:
 * the status is DX_OK, DX_ERR_INPUT or DX_ERR_NOMEM; DX_ERR_INPUT comes with at least one
 * error diagnostic and DX_OK with none; every emitted entry has the importer's list id, an
 * id, a primary name first among its names, and raw JSON; every fact has a type and a
 * non-empty value; the publication date is "" or YYYY-MM-DD.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dexcheck.h"
#include "entry.h"
#include "import.h"

static dx_countries *countries;

static const struct {
    dx_import_fn fn;
    const char *list_id;
} IMPORTERS[4] = {
    {dx_import_us_ccl, "us_ccl"},
    {dx_import_us_country_chart, "us_country_chart"},
    {dx_import_us_country_groups, "us_country_groups"},
    {dx_import_us_license_exceptions, "us_license_exceptions"},
};

typedef struct fuzz_run {
    const char *list_id;
    size_t emitted;
} fuzz_run;

static dx_status check_entry(void *ctx, const dx_entry *e)
{
    fuzz_run *r = ctx;
    if (!e->list_id || strcmp(e->list_id, r->list_id) != 0 || !e->entry_id || !e->entry_id[0] ||
        !e->name || !e->name[0] || e->n_names == 0 || e->names[0].kind != DX_NAME_PRIMARY ||
        e->names[0].text != e->name || !e->raw || e->raw[0] != '{' ||
        e->kind != DX_ENTRY_UNKNOWN)
        abort();
    for (size_t i = 0; i < e->n_facts; i++) {
        if (!e->facts[i].type || !e->facts[i].type[0] || !e->facts[i].value ||
            !e->facts[i].value[0])
            abort();
    }
    r->emitted++;
    return DX_OK;
}

static int valid_date(const char *d)
{
    if (!d[0])
        return 1;
    if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (!countries && dx_countries_new(&countries) != DX_OK)
        abort();
    dx_diags *diags = NULL;
    dx_entry_builder *builder = NULL;
    if (dx_diags_new(&diags) != DX_OK || dx_entry_builder_new(countries, &builder) != DX_OK)
        abort();
    unsigned which = data[0] % 4;
    fuzz_run r = {IMPORTERS[which].list_id, 0};
    dx_import im = {diags, builder, check_entry, &r, countries, "", NULL};
    dx_import_file file = {"fuzz.json", "fuzz.json", data + 1, size - 1};
    dx_status st = IMPORTERS[which].fn(&im, &file, 1);
    size_t errors = dx_diags_count_severity(diags, DX_SEV_ERROR);
    if (st != DX_OK && st != DX_ERR_INPUT && st != DX_ERR_NOMEM)
        abort();
    if ((st == DX_ERR_INPUT && errors == 0) || (st == DX_OK && errors != 0))
        abort();
    if (!valid_date(im.publication_date))
        abort();
    free(im.meta); /* dx_malloc's memory: the library's allocator is malloc */
    dx_entry_builder_free(builder);
    dx_diags_free(diags);
    return 0;
}

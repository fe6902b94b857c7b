/*
 * fuzz_import_jp_eu.c — libFuzzer target for the importers of control data:
 * 輸出貿易管理令 in e-Gov XML (import_jp_export_order.c) and EU Annex I JSON
 * (import_eu_annex.c).
 *
 * Input: the first byte picks the importer (even: 輸出貿易管理令, odd: Annex I), the rest is
 * the file. The JP importer is given e-Gov's file name, so the date is read as well.
 * Invariants checked: the status is DX_OK, DX_ERR_INPUT or DX_ERR_NOMEM; DX_ERR_INPUT comes
 * with at least one error diagnostic and DX_OK with none; every emitted entry has the
 * importer's list id, a non-empty id, a primary name first among its names, facts with a type
 * and a value, and raw JSON; a publication date is empty or YYYY-MM-DD. Hangs are caught by
 * libFuzzer's -timeout.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dexcheck.h"
#include "entry.h"
#include "import.h"

static dx_countries *countries;

typedef struct fuzz_ctx {
    const char *list_id;
    size_t emitted;
} fuzz_ctx;

static dx_status check_entry(void *arg, const dx_entry *e)
{
    fuzz_ctx *ctx = arg;
    if (!e->list_id || strcmp(e->list_id, ctx->list_id) != 0 || !e->entry_id ||
        !e->entry_id[0] || !e->name || !e->name[0] || e->n_names == 0 ||
        e->names[0].kind != DX_NAME_PRIMARY || e->names[0].text != e->name || !e->raw ||
        e->raw[0] != '{')
        abort();
    for (size_t i = 0; i < e->n_facts; i++) {
        if (!e->facts[i].type || !e->facts[i].value || !e->facts[i].value[0] ||
            strlen(e->facts[i].country) > 2)
            abort();
    }
    ctx->emitted++;
    return DX_OK;
}

static int is_date(const char *d)
{
    if (!d[0])
        return 1;
    if (strlen(d) != 10)
        return 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7 ? d[i] != '-' : d[i] < '0' || d[i] > '9')
            return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (!countries && dx_countries_new(&countries) != DX_OK)
        abort();
    int eu = data[0] & 1;
    dx_diags *diags = NULL;
    dx_entry_builder *builder = NULL;
    if (dx_diags_new(&diags) != DX_OK || dx_entry_builder_new(countries, &builder) != DX_OK)
        abort();
    fuzz_ctx ctx = {eu ? "eu_annex_i" : "jp_export_order", 0};
    dx_import im = {diags, builder, check_entry, &ctx, countries, "", NULL};
    const char *name = eu ? "annex.json" : "324CO0000000378_20260214_507CO0000000376.xml";
    dx_import_file file = {name, name, data + 1, size - 1};
    dx_status st = eu ? dx_import_eu_annex(&im, &file, 1)
                      : dx_import_jp_export_order(&im, &file, 1);
    size_t errors = dx_diags_count_severity(diags, DX_SEV_ERROR);
    if (st != DX_OK && st != DX_ERR_INPUT && st != DX_ERR_NOMEM)
        abort();
    if ((st == DX_ERR_INPUT && errors == 0) || (st == DX_OK && errors != 0))
        abort();
    if (!is_date(im.publication_date))
        abort();
    dx_entry_builder_free(builder);
    dx_diags_free(diags);
    return 0;
}

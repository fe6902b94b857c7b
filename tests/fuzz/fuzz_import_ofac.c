/*
 * fuzz_import_ofac.c — libFuzzer target for the OFAC importer: decoding, CSV rows, the row
 * checks, the joins between the four files by ent_num, and the Remarks mini-language.
 *
 * Input: up to four files separated by "\n--\n", given as sdn.csv, add.csv, alt.csv and
 * sdn_comments.csv in that order (a missing part is a missing file; an input without any
 * separator is sdn.csv alone). The invariants checked: the result is DX_OK or DX_ERR_INPUT
 * (DX_ERR_NOMEM would be a correct answer too, but no allocation is made to fail here, so
 * accepting it would hide a wrong one); DX_OK comes with no error diagnostic and DX_ERR_INPUT
 * with at least one; every emitted entry has an id, its primary name first, the list id and a
 * raw JSON object; every fact has a type and a value; every diagnostic names a given file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "entry.h"
#include "import.h"

static dx_countries *countries;

static const char *const NAMES[] = {"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"};
static const char *const PATHS[] = {"fuzz/sdn.csv", "fuzz/add.csv", "fuzz/alt.csv",
                                    "fuzz/sdn_comments.csv"};

static dx_status check_entry(void *ctx, const dx_entry *e)
{
    size_t *count = ctx;
    if (!e->entry_id || !e->entry_id[0] || !e->name || !e->name[0] || !e->n_names ||
        e->names[0].kind != DX_NAME_PRIMARY || strcmp(e->names[0].text, e->name) != 0)
        abort();
    if (!e->list_id || strcmp(e->list_id, "us_ofac_sdn") != 0)
        abort();
    size_t n = e->raw ? strlen(e->raw) : 0;
    if (n < 2 || e->raw[0] != '{' || e->raw[n - 1] != '}')
        abort();
    for (size_t i = 0; i < e->n_facts; i++) {
        if (!e->facts[i].type || !e->facts[i].type[0] || !e->facts[i].value ||
            !e->facts[i].value[0] || strlen(e->facts[i].country) > 2)
            abort();
    }
    (*count)++;
    return DX_OK;
}

static void check_diags(const dx_diags *diags, dx_status st)
{
    size_t errors = dx_diags_count_severity(diags, DX_SEV_ERROR);
    if ((st == DX_OK && errors) || (st == DX_ERR_INPUT && !errors))
        abort();
    for (size_t i = 0; i < dx_diags_count(diags); i++) {
        const char *source = dx_diags_get(diags, i)->source;
        if (strncmp(source, "fuzz/", 5) != 0)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!countries && dx_countries_new(&countries) != DX_OK)
        abort();
    dx_import_file files[4];
    size_t n = 0, start = 0;
    for (size_t i = 0; n < 3 && i + 4 <= size; i++) {
        if (memcmp(data + i, "\n--\n", 4) == 0) {
            files[n] = (dx_import_file){PATHS[n], NAMES[n], data + start, i - start};
            n++;
            start = i + 4;
            i += 3;
        }
    }
    files[n] = (dx_import_file){PATHS[n], NAMES[n], data + start, size - start};
    n++;
    dx_diags *diags = NULL;
    dx_entry_builder *builder = NULL;
    if (dx_diags_new(&diags) != DX_OK || dx_entry_builder_new(countries, &builder) != DX_OK)
        abort();
    size_t entries = 0;
    dx_import im = {diags, builder, check_entry, &entries, countries, "", NULL};
    dx_status st = dx_import_ofac(&im, files, n);
    if (st != DX_OK && st != DX_ERR_INPUT)
        abort();
    check_diags(diags, st);
    if (im.publication_date[0])
        abort();
    dx_entry_builder_free(builder);
    dx_diags_free(diags);
    return 0;
}

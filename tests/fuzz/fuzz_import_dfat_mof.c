/*
 * fuzz_import_dfat_mof.c — libFuzzer target for the DFAT Consolidated List importer
 * (src/lib/import_au_dfat.c) and the MOF economic-sanctions list importer
 * (src/lib/import_jp_mof.c).
 *
 * Input: one selector byte, then the bytes of an .xlsx file. An even selector gives the file
 * to the DFAT importer, an odd one to MOF's. Invariants: no crash (the sanitizers), bounded
 * memory (-rss_limit_mb=2048), every status one of DX_OK / DX_ERR_INPUT / DX_ERR_NOMEM /
 * DX_ERR_LIMIT, every failure explained by an error diagnostic and every success without one,
 * every emitted entry well formed (id, primary name first, raw JSON object, facts typed,
 * start date YYYY-MM-DD or NULL).
 *
 * Second mode (the idea of fuzz_xlsx.c). A mutated zip almost always fails its CRC before any
 * XML is parsed, so a file that does not start with "PK" is also read as a list of members,
 * "name\0content\0name\0content...", packed here into a stored zip with libzip: mutations then
 * reach the sheet XML, the header search, the row grouping and the name splitting. Seeds: the
 * workbooks of scripts/fuzz-seed-xlsx.sh, each prefixed with a selector byte, and member lists
 * shaped like the two lists.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "dexcheck.h"
#include "entry.h"
#include "import.h"
#include "xlsx_pack.h"

static dx_countries *countries;

static dx_status check_entry(void *ctx, const dx_entry *e)
{
    if (!e->entry_id || !e->entry_id[0] || !e->name || !e->raw || e->n_names == 0 ||
        e->names[0].text != e->name || e->names[0].kind != DX_NAME_PRIMARY || e->raw[0] != '{')
        abort();
    for (size_t i = 0; i < e->n_facts; i++) {
        if (!e->facts[i].type || !e->facts[i].value || strlen(e->facts[i].country) > 2)
            abort();
    }
    if (e->start_date && strlen(e->start_date) != 10)
        abort();
    ++*(size_t *)ctx;
    return DX_OK;
}

static void import_list(int which, const uint8_t *data, size_t size)
{
    dx_diags *diags = NULL;
    dx_entry_builder *b = NULL;
    size_t entries = 0;
    if (dx_diags_new(&diags) != DX_OK || dx_entry_builder_new(countries, &b) != DX_OK)
        abort();
    dx_import im = {diags, b, check_entry, &entries, countries, "", NULL};
    dx_import_file file = {"fuzz.xlsx", "fuzz.xlsx", data, size};
    dx_status st = which ? dx_import_jp_mof(&im, &file, 1) : dx_import_au_dfat(&im, &file, 1);
    size_t errors = dx_diags_count_severity(diags, DX_SEV_ERROR);
    if (st != DX_OK && st != DX_ERR_INPUT && st != DX_ERR_NOMEM && st != DX_ERR_LIMIT)
        abort();
    if ((st == DX_ERR_INPUT || st == DX_ERR_LIMIT) && errors == 0)
        abort();
    if (st == DX_OK && errors != 0)
        abort();
    if (im.publication_date[0] && strlen(im.publication_date) != 10)
        abort();
    dx_entry_builder_free(b);
    dx_diags_free(diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!countries && dx_countries_new(&countries) != DX_OK)
        abort();
    if (size < 1)
        return 0;
    int which = data[0] & 1;
    data++, size--;
    import_list(which, data, size);
    if (size >= 2 && data[0] == 'P' && data[1] == 'K')
        return 0;
    size_t len = 0;
    uint8_t *packed = pack_members(data, size, &len);
    if (packed)
        import_list(which, packed, len);
    free(packed);
    return 0;
}

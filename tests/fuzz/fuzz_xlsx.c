/*
 * fuzz_xlsx.c — libFuzzer target for the .xlsx reader (src/lib/xlsx.c) and METI's End User
 * List importer (src/lib/import_meti_eul.c).
 *
 * Input: the bytes of an .xlsx file. They are opened, every cell of every sheet is read, and
 * the same bytes are imported as METI's list. Invariants: no crash (the sanitizers),
 * bounded memory (-rss_limit_mb=2048), every status one of DX_OK / DX_ERR_INPUT /
 * DX_ERR_NOMEM / DX_ERR_LIMIT, every delivered cell well formed (NUL-terminated value, column
 * in A..XFD, row = its row's number), every failure explained by an error diagnostic and every
 * success without one.
 *
 * Second mode. A mutated zip almost always fails its CRC before any XML is parsed, so an input
 * that does not start with "PK" is also read as a list of members, "name\0content\0name\0
 * content...", packed here into a stored (uncompressed) zip with libzip: that reaches the XML
 * readers, the cell parser and the importer with well-formed archives
 * (scripts/fuzz-seed-xlsx.sh writes seeds of both kinds).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "dexcheck.h"
#include "entry.h"
#include "import.h"
#include "xlsx_pack.h"
#include "xlsx.h"

static dx_countries *countries;

static void check_status(dx_status st, const dx_diags *diags)
{
    if (st != DX_OK && st != DX_ERR_INPUT && st != DX_ERR_NOMEM && st != DX_ERR_LIMIT)
        abort();
    size_t errors = dx_diags_count_severity(diags, DX_SEV_ERROR);
    if ((st == DX_ERR_INPUT || st == DX_ERR_LIMIT) && errors == 0)
        abort();
}

static void read_workbook(const uint8_t *data, size_t size)
{
    dx_diags *diags = NULL;
    dx_xlsx *x = NULL;
    if (dx_diags_new(&diags) != DX_OK)
        abort();
    dx_status st = dx_xlsx_open(data, size, "fuzz.xlsx", NULL, diags, &x);
    for (size_t s = 0; st == DX_OK && s < dx_xlsx_sheet_count(x); s++) {
        if (!dx_xlsx_sheet_name(x, s) || !dx_xlsx_sheet_member(x, s))
            abort();
        dx_xlsx_rows *rows = NULL;
        const dx_xlsx_row *row;
        st = dx_xlsx_rows_open(x, s, &rows);
        while (st == DX_OK && (st = dx_xlsx_rows_next(rows, &row)) == DX_OK && row) {
            for (size_t i = 0; i < row->n_cells; i++) {
                const dx_xlsx_cell *c = &row->cells[i];
                if (!c->value || c->value[c->len] != '\0' || c->column < 1 ||
                    c->column > 16384 || c->row != row->number)
                    abort();
            }
        }
        dx_xlsx_rows_free(rows);
    }
    check_status(st, diags);
    if (st == DX_OK && dx_diags_count_severity(diags, DX_SEV_ERROR) != 0)
        abort();
    dx_xlsx_free(x);
    dx_diags_free(diags);
}

static dx_status count_entry(void *ctx, const dx_entry *e)
{
    if (!e->entry_id || !e->name || !e->raw || e->n_names == 0 || e->names[0].text != e->name)
        abort();
    ++*(size_t *)ctx;
    return DX_OK;
}

static void import_list(const uint8_t *data, size_t size)
{
    dx_diags *diags = NULL;
    dx_entry_builder *b = NULL;
    size_t entries = 0;
    if (dx_diags_new(&diags) != DX_OK || dx_entry_builder_new(countries, &b) != DX_OK)
        abort();
    dx_import im = {diags, b, count_entry, &entries, countries, "", NULL};
    dx_import_file file = {"fuzz.xlsx", "fuzz.xlsx", data, size};
    dx_status st = dx_import_meti_eul(&im, &file, 1);
    check_status(st, diags);
    if (st == DX_OK && dx_diags_count_severity(diags, DX_SEV_ERROR) != 0)
        abort();
    if (im.publication_date[0] && strlen(im.publication_date) != 10)
        abort();
    dx_entry_builder_free(b);
    dx_diags_free(diags);
}

static void exercise(const uint8_t *data, size_t size)
{
    read_workbook(data, size);
    import_list(data, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!countries && dx_countries_new(&countries) != DX_OK)
        abort();
    exercise(data, size);
    if (size >= 2 && data[0] == 'P' && data[1] == 'K')
        return 0;
    size_t len = 0;
    uint8_t *packed = pack_members(data, size, &len);
    if (packed)
        exercise(packed, len);
    free(packed);
    return 0;
}

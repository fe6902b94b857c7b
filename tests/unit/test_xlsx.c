/*
 * test_xlsx.c — the .xlsx reader (src/lib/xlsx.c).
 *
 * Three kinds of input: METI's real workbook (read from ../shared/data at run time); workbooks
 * written by libxlsxwriter into a temporary file (shared strings, rich strings, inline strings
 * in constant-memory mode, numbers, booleans, formula text, blank cells, a cell at AB7); and
 * archives built here with libzip from minimal XML, for what no spreadsheet program writes:
 * furigana runs, DTDs, bad references, path-like member names, zip bombs, lying sizes,
 * truncated and corrupt archives. The allocation-failure sweep runs open + read under every
 * failure point: each ends in DX_OK or DX_ERR_NOMEM and leaks nothing (the san build checks).
 */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "alloc.h"
#include "dexcheck/diag.h"
#include "xlsx.h"

#define METI_XLSX DX_SHARED_DATA "/lists/meti_end_user_list/20250929_4.xlsx"

/* ---- helpers ---------------------------------------------------------------------------- */

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    unsigned char *bytes = malloc((size_t)n + 1);
    assert_non_null(bytes);
    assert_int_equal(fread(bytes, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return bytes;
}

typedef struct member {
    const char *name;
    const char *data;
    int store; /* 1: no compression */
} member;

/* A source of `size` bytes of 'A', made on the fly (no big buffer anywhere). */
typedef struct filler {
    zip_uint64_t size, pos;
} filler;

static zip_int64_t filler_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    filler *f = ud;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        f->pos = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        zip_uint64_t n = f->size - f->pos < len ? f->size - f->pos : len;
        memset(data, 'A', n);
        f->pos += n;
        return (zip_int64_t)n;
    }
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = data;
        zip_stat_init(st);
        st->size = f->size;
        st->valid |= ZIP_STAT_SIZE;
        return sizeof *st;
    }
    case ZIP_SOURCE_ERROR:
        return 2 * sizeof(int);
    case ZIP_SOURCE_FREE:
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                              ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                              -1);
    default:
        return -1;
    }
}

/* An archive of `members` (plus, when big_name is set, a member of big_size filler bytes),
 * built in memory with libzip. Caller frees. */
static unsigned char *build_zip_big(const member *members, size_t n, const char *big_name,
                                    filler *big, size_t *len)
{
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *out = zip_source_buffer_create(NULL, 0, 0, &err);
    assert_non_null(out);
    zip_source_keep(out);
    zip_t *za = zip_open_from_source(out, ZIP_TRUNCATE, &err);
    assert_non_null(za);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(za, members[i].data, strlen(members[i].data), 0);
        assert_non_null(s);
        zip_int64_t idx = zip_file_add(za, members[i].name, s, ZIP_FL_ENC_UTF_8);
        assert_true(idx >= 0);
        zip_set_file_compression(za, (zip_uint64_t)idx, members[i].store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
    }
    if (big_name) {
        zip_source_t *s = zip_source_function(za, filler_cb, big);
        assert_non_null(s);
        assert_true(zip_file_add(za, big_name, s, 0) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
    zip_stat_t st;
    assert_int_equal(zip_source_open(out), 0);
    assert_int_equal(zip_source_stat(out, &st), 0);
    unsigned char *bytes = malloc(st.size + 1);
    assert_non_null(bytes);
    assert_int_equal(zip_source_read(out, bytes, st.size), (zip_int64_t)st.size);
    zip_source_close(out);
    zip_source_free(out);
    *len = st.size;
    return bytes;
}

static unsigned char *build_zip(const member *members, size_t n, size_t *len)
{
    return build_zip_big(members, n, NULL, NULL, len);
}

static const char WORKBOOK_XML[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";

static const char RELS_XML[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";

#define SHEET_HEAD                                                                          \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                          \
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\n"   \
    "<sheetData>\n"
#define SHEET_TAIL "</sheetData>\n</worksheet>\n"

static const char SST_SMALL[] =
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<si><t>one</t></si></sst>";

/* A minimal workbook: one sheet with `sheet_xml`, shared strings `sst`. */
static unsigned char *minimal_workbook(const char *sheet_xml, const char *sst, size_t *len)
{
    member m[] = {{"xl/workbook.xml", WORKBOOK_XML, 0},
                  {"xl/_rels/workbook.xml.rels", RELS_XML, 0},
                  {"xl/worksheets/sheet1.xml", sheet_xml, 0},
                  {"xl/sharedStrings.xml", sst ? sst : SST_SMALL, 0}};
    return build_zip(m, 4, len);
}

/* Everything one read of a workbook gives, kept for checks. */
#define MAX_CELLS 64
typedef struct got_cell {
    unsigned long row;
    unsigned column;
    dx_xlsx_cell_type type;
    char value[128];
} got_cell;

typedef struct got {
    dx_diags *diags;
    dx_status open_status, read_status;
    size_t n_sheets, n_rows, n_cells;
    unsigned long last_row;
    got_cell cells[MAX_CELLS];
} got;

/* Open `bytes` and read every row of sheet `sheet_index`. */
static void read_sheet(const unsigned char *bytes, size_t len, const dx_xlsx_limits *limits,
                       size_t sheet_index, got *g)
{
    memset(g, 0, sizeof *g);
    assert_int_equal(dx_diags_new(&g->diags), DX_OK);
    dx_xlsx *x = NULL;
    g->open_status = dx_xlsx_open(bytes, len, "test.xlsx", limits, g->diags, &x);
    g->read_status = g->open_status;
    if (g->open_status != DX_OK)
        return;
    g->n_sheets = dx_xlsx_sheet_count(x);
    dx_xlsx_rows *rows = NULL;
    const dx_xlsx_row *row;
    dx_status st = dx_xlsx_rows_open(x, sheet_index, &rows);
    while (st == DX_OK && (st = dx_xlsx_rows_next(rows, &row)) == DX_OK && row) {
        g->n_rows++;
        g->last_row = row->number;
        for (size_t i = 0; i < row->n_cells; i++, g->n_cells++) {
            assert_int_equal(row->cells[i].value[row->cells[i].len], '\0');
            if (g->n_cells >= MAX_CELLS)
                continue;
            got_cell *c = &g->cells[g->n_cells];
            c->row = row->cells[i].row;
            c->column = row->cells[i].column;
            c->type = row->cells[i].type;
            snprintf(c->value, sizeof c->value, "%s", row->cells[i].value);
        }
    }
    g->read_status = st;
    dx_xlsx_rows_free(rows);
    dx_xlsx_free(x);
}

static void got_free(got *g)
{
    dx_diags_free(g->diags);
}

static const got_cell *find_cell(const got *g, unsigned long row, unsigned column)
{
    for (size_t i = 0; i < g->n_cells && i < MAX_CELLS; i++) {
        if (g->cells[i].row == row && g->cells[i].column == column)
            return &g->cells[i];
    }
    return NULL;
}

/* 1 when some diagnostic has `code` and its message contains `part`. */
static int has_diag(const got *g, const char *code, const char *part)
{
    for (size_t i = 0; i < dx_diags_count(g->diags); i++) {
        const dx_diag *d = dx_diags_get(g->diags, i);
        if (!strcmp(d->code, code) && strstr(d->message, part))
            return 1;
    }
    return 0;
}

static unsigned char *xlsxwriter_bytes(lxw_workbook *wb, const char *path, size_t *len)
{
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    unsigned char *bytes = read_file(path, len);
    unlink(path);
    return bytes;
}

static void temp_path(char *path, size_t size)
{
    snprintf(path, size, "/tmp/dx_test_xlsx_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
}

/* A workbook written by libxlsxwriter (not constant-memory: strings are shared). */
static unsigned char *writer_workbook(size_t *len)
{
    char path[64];
    temp_path(path, sizeof path);
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "First");
    lxw_worksheet *ws2 = workbook_add_worksheet(wb, "Second sheet");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    worksheet_write_string(ws, 0, 0, "alpha", NULL);
    worksheet_write_number(ws, 0, 1, 3.5, NULL);
    worksheet_write_boolean(ws, 0, 2, 1, NULL);
    worksheet_write_blank(ws, 0, 3, bold);
    worksheet_write_string(ws, 0, 4, "alpha", NULL);
    lxw_rich_string_tuple f1 = {bold, "Bold"}, f2 = {NULL, " and plain"};
    lxw_rich_string_tuple *rich[] = {&f1, &f2, NULL};
    worksheet_write_rich_string(ws, 1, 0, rich, NULL);
    worksheet_write_formula_str(ws, 2, 5, "=\"x\"&\"y\"", NULL, "xy");
    worksheet_write_string(ws, 6, 27, "far \xE6\xBC\xA2\xE5\xAD\x97", NULL); /* AB7 */
    worksheet_write_number(ws, 6, 0, -0.001, NULL);
    worksheet_write_string(ws2, 0, 0, "second", NULL);
    return xlsxwriter_bytes(wb, path, len);
}

/* ---- the METI workbook ------------------------------------------------------------------ */

static void test_meti_workbook(void **state)
{
    (void)state;
    size_t len;
    unsigned char *bytes = read_file(METI_XLSX, &len);
    dx_diags *diags;
    assert_int_equal(dx_diags_new(&diags), DX_OK);
    dx_xlsx *x;
    assert_int_equal(dx_xlsx_open(bytes, len, METI_XLSX, NULL, diags, &x), DX_OK);
    assert_int_equal(dx_diags_count(diags), 0);
    assert_int_equal(dx_xlsx_sheet_count(x), 1);
    assert_string_equal(dx_xlsx_sheet_name(x, 0),
                        "\xE3\x83\xA6\xE3\x83\xBC\xE3\x82\xB6\xE3\x83\xBC\xE3\x83\xAA\xE3\x82\xB9"
                        "\xE3\x83\x88"); /* ユーザーリスト */
    assert_string_equal(dx_xlsx_sheet_member(x, 0), "xl/worksheets/sheet1.xml");
    assert_null(dx_xlsx_sheet_name(x, 1));
    assert_int_equal(dx_xlsx_shared_count(x), 1412);
    assert_string_equal(dx_xlsx_modified(x), "2025-09-25T07:37:02Z");
    assert_string_equal(dx_xlsx_created(x), "2025-09-25T07:32:15Z");
    size_t index = 99;
    assert_int_equal(dx_xlsx_sheet_find(x, "nope", &index), DX_ERR_NOT_FOUND);

    dx_xlsx_rows *rows;
    const dx_xlsx_row *row;
    assert_int_equal(dx_xlsx_rows_open(x, 0, &rows), DX_OK);
    assert_int_equal(dx_xlsx_rows_next(rows, &row), DX_OK);
    assert_non_null(row);
    assert_int_equal(row->number, 1);
    assert_int_equal(row->n_cells, 6);
    static const char *const header[6] = {
        "No.",
        "\xE5\x9B\xBD\xE5\x90\x8D\xE3\x80\x81\xE5\x9C\xB0\xE5\x9F\x9F\xE5\x90\x8D\nCountry or "
        "Region",
        "\xE4\xBC\x81\xE6\xA5\xAD\xE5\x90\x8D\xEF\xBD\xA4\xE7\xB5\x84\xE7\xB9\x94\xE5\x90\x8D\n"
        "Company or Organization",
        "\xE5\x88\xA5\xE5\x90\x8D\nAlso Known As",   /* 別名: its furigana ベツメイ is left out */
        "\xE6\x87\xB8\xE5\xBF\xB5\xE5\x8C\xBA\xE5\x88\x86\nType of WMD", /* 懸念区分 (ケネン) */
        "\xE9\x80\x9A\xE5\xB8\xB8\xE5\x85\xB5\xE5\x99\xA8\nConventional Weapons", /* 通常兵器 */
    };
    for (unsigned i = 0; i < 6; i++) {
        assert_int_equal(row->cells[i].column, i + 1);
        assert_int_equal(row->cells[i].row, 1);
        assert_int_equal(row->cells[i].type, DX_XLSX_TEXT);
        assert_string_equal(row->cells[i].value, header[i]);
        assert_int_equal(row->cells[i].len, strlen(header[i]));
        assert_true(row->cells[i].line >= 1);
    }
    /* the second row: No. is a number (a formula's cached value), the rest shared strings */
    assert_int_equal(dx_xlsx_rows_next(rows, &row), DX_OK);
    assert_int_equal(row->number, 2);
    assert_int_equal(row->cells[0].type, DX_XLSX_NUMBER);
    assert_string_equal(row->cells[0].value, "1");
    assert_string_equal(row->cells[2].value, "Al Qa'ida/Islamic Army");
    size_t n = 2;
    unsigned long last = 0;
    while (dx_xlsx_rows_next(rows, &row) == DX_OK && row) {
        n++;
        last = row->number;
    }
    assert_int_equal(n, 836);
    assert_int_equal(last, 836);
    /* after the end, the iterator stays at the end */
    assert_int_equal(dx_xlsx_rows_next(rows, &row), DX_OK);
    assert_null(row);
    dx_xlsx_rows_free(rows);
    assert_int_equal(dx_diags_count(diags), 0);
    dx_xlsx_free(x);
    dx_diags_free(diags);
    free(bytes);
}

/* ---- workbooks written by libxlsxwriter ------------------------------------------------- */

static void test_writer_workbook(void **state)
{
    (void)state;
    size_t len;
    unsigned char *bytes = writer_workbook(&len);
    got g;
    read_sheet(bytes, len, NULL, 0, &g);
    assert_int_equal(g.read_status, DX_OK);
    assert_int_equal(g.n_sheets, 2);
    assert_int_equal(dx_diags_count(g.diags), 0);
    const got_cell *c = find_cell(&g, 1, 1);
    assert_non_null(c);
    assert_string_equal(c->value, "alpha");
    assert_int_equal(c->type, DX_XLSX_TEXT);
    assert_non_null(c = find_cell(&g, 1, 2));
    assert_int_equal(c->type, DX_XLSX_NUMBER);
    assert_true(strtod(c->value, NULL) == 3.5);
    assert_non_null(c = find_cell(&g, 1, 3));
    assert_int_equal(c->type, DX_XLSX_BOOL);
    assert_string_equal(c->value, "1");
    assert_null(find_cell(&g, 1, 4)); /* the formatted blank cell has no value */
    assert_non_null(c = find_cell(&g, 1, 5));
    assert_string_equal(c->value, "alpha"); /* the same shared string again */
    assert_non_null(c = find_cell(&g, 2, 1));
    assert_string_equal(c->value, "Bold and plain"); /* rich-text runs concatenated */
    assert_non_null(c = find_cell(&g, 3, 6));
    assert_int_equal(c->type, DX_XLSX_TEXT); /* t="str": formula text */
    assert_string_equal(c->value, "xy");
    assert_non_null(c = find_cell(&g, 7, 28)); /* AB7 */
    assert_string_equal(c->value, "far \xE6\xBC\xA2\xE5\xAD\x97");
    assert_non_null(c = find_cell(&g, 7, 1));
    assert_true(strtod(c->value, NULL) == -0.001);
    assert_int_equal(g.n_cells, 8);
    assert_int_equal(g.n_rows, 4); /* rows 1, 2, 3, 7: empty rows are not written */
    got_free(&g);

    read_sheet(bytes, len, NULL, 1, &g);
    assert_int_equal(g.read_status, DX_OK);
    assert_int_equal(g.n_cells, 1);
    assert_string_equal(g.cells[0].value, "second");
    got_free(&g);

    dx_diags *diags;
    dx_xlsx *x;
    assert_int_equal(dx_diags_new(&diags), DX_OK);
    assert_int_equal(dx_xlsx_open(bytes, len, "w.xlsx", NULL, diags, &x), DX_OK);
    size_t index = 9;
    assert_int_equal(dx_xlsx_sheet_find(x, "Second sheet", &index), DX_OK);
    assert_int_equal(index, 1);
    assert_non_null(dx_xlsx_created(x));
    dx_xlsx_rows *rows = NULL;
    assert_int_equal(dx_xlsx_rows_open(x, 2, &rows), DX_ERR_INVALID);
    assert_null(rows);
    dx_xlsx_free(x);
    dx_diags_free(diags);
    free(bytes);
}

static void test_inline_strings(void **state)
{
    (void)state;
    char path[64];
    temp_path(path, sizeof path);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = 0};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    worksheet_write_string(ws, 0, 0, "inline one", NULL);
    worksheet_write_number(ws, 0, 2, 42, NULL);
    worksheet_write_string(ws, 4, 1, "  spaced  ", NULL);
    size_t len;
    unsigned char *bytes = xlsxwriter_bytes(wb, path, &len);
    got g;
    read_sheet(bytes, len, NULL, 0, &g);
    assert_int_equal(g.read_status, DX_OK);
    const got_cell *c = find_cell(&g, 1, 1);
    assert_non_null(c);
    assert_int_equal(c->type, DX_XLSX_TEXT);
    assert_string_equal(c->value, "inline one");
    assert_non_null(c = find_cell(&g, 1, 3));
    assert_string_equal(c->value, "42");
    assert_non_null(c = find_cell(&g, 5, 2));
    assert_string_equal(c->value, "  spaced  "); /* xml:space="preserve" kept */
    assert_int_equal(g.n_cells, 3);
    got_free(&g);
    free(bytes);
}

/* ---- archives built here ---------------------------------------------------------------- */

static void test_furigana(void **state)
{
    (void)state;
    static const char sst[] =
        "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"3\">"
        "<si><t>\xE6\x87\xB8\xE5\xBF\xB5</t><rPh sb=\"0\" eb=\"2\"><t>\xE3\x82\xB1\xE3\x83\x8D"
        "\xE3\x83\xB3</t></rPh><phoneticPr fontId=\"1\"/></si>" /* 懸念 (ケネン) */
        "<si><r><rPr><b/></rPr><t>\xE6\xBC\xA2</t></r><rPh sb=\"0\" eb=\"1\"><t>\xE3\x82\xAB"
        "\xE3\x83\xB3</t></rPh><r><t xml:space=\"preserve\">\xE5\xAD\x97 x</t></r></si>"
        "<si><t/></si><si><t>a_x000D_b_x005F_x0041_ _x00e9__x30FC__x0000__xD800_ _x12_</t>"
        "</si></sst>";
    static const char sheet[] = SHEET_HEAD
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
        "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"E1\" t=\"s\"><v>3</v></c>"
        "<c r=\"F1\" t=\"str\"><v>_x0009_</v></c><c r=\"G1\"><v>_x0009_</v></c>"
        "<c r=\"D1\" t=\"inlineStr\"><is><t>\xE6\xA0\xB8</t><rPh sb=\"0\" eb=\"1\"><t>\xE3\x82"
        "\xAB\xE3\x82\xAF</t></rPh></is></c></row>\n" SHEET_TAIL; /* 核 (カク) */
    size_t len;
    unsigned char *bytes = minimal_workbook(sheet, sst, &len);
    got g;
    read_sheet(bytes, len, NULL, 0, &g);
    assert_int_equal(g.read_status, DX_OK);
    assert_int_equal(g.n_cells, 7);
    assert_string_equal(find_cell(&g, 1, 1)->value, "\xE6\x87\xB8\xE5\xBF\xB5");
    /* _xHHHH_ escapes (ECMA-376 ST_Xstring) in text, not in numbers */
    assert_string_equal(find_cell(&g, 1, 5)->value, "a\rb_x0041_ \xC3\xA9\xE3\x83\xBC _x12_");
    assert_string_equal(find_cell(&g, 1, 6)->value, "\t");
    assert_string_equal(find_cell(&g, 1, 7)->value, "_x0009_");
    assert_string_equal(find_cell(&g, 1, 2)->value, "\xE6\xBC\xA2\xE5\xAD\x97 x");
    assert_string_equal(find_cell(&g, 1, 3)->value, "");
    assert_string_equal(find_cell(&g, 1, 4)->value, "\xE6\xA0\xB8");
    got_free(&g);
    free(bytes);
}

static void test_cell_refs(void **state)
{
    (void)state;
    unsigned long row = 0;
    assert_int_equal(dx_xlsx_parse_ref("A1", &row), 1);
    assert_int_equal(row, 1);
    assert_int_equal(dx_xlsx_parse_ref("C12", &row), 3);
    assert_int_equal(row, 12);
    assert_int_equal(dx_xlsx_parse_ref("AB7", &row), 28);
    assert_int_equal(row, 7);
    assert_int_equal(dx_xlsx_parse_ref("XFD1048576", &row), 16384);
    assert_int_equal(row, 1048576);
    assert_int_equal(dx_xlsx_parse_ref("Z1", NULL), 26);
    assert_int_equal(dx_xlsx_parse_ref("AA1", NULL), 27);
    static const char *const bad[] = {"",    "A",     "1",    "A0",        "a1",   "XFE1",
                                      "A01", "AAAA1", "A1 ",  "A1048577",  "$A$1", "A-1",
                                      "A99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(dx_xlsx_parse_ref(bad[i], NULL), 0);

    /* a cell without r follows the one before; a row without r follows the one before */
    static const char sheet[] = SHEET_HEAD
        "<row r=\"3\"><c r=\"B3\"><v>1</v></c><c><v>2</v></c></row>\n"
        "<row><c><v>3</v></c></row>\n" SHEET_TAIL;
    size_t len;
    unsigned char *bytes = minimal_workbook(sheet, NULL, &len);
    got g;
    read_sheet(bytes, len, NULL, 0, &g);
    assert_int_equal(g.read_status, DX_OK);
    assert_string_equal(find_cell(&g, 3, 3)->value, "2");
    assert_string_equal(find_cell(&g, 4, 1)->value, "3");
    got_free(&g);
    free(bytes);
}

/* One bad sheet: the status, the diagnostic code, the member in the message and the line. */
static void expect_bad_sheet(const char *sheet, dx_status st, const char *code,
                             unsigned long line)
{
    size_t len;
    unsigned char *bytes = minimal_workbook(sheet, NULL, &len);
    got g;
    read_sheet(bytes, len, NULL, 0, &g);
    assert_int_equal(g.open_status, DX_OK);
    assert_int_equal(g.read_status, st);
    assert_true(has_diag(&g, code, "xl/worksheets/sheet1.xml: "));
    int line_found = 0;
    for (size_t i = 0; i < dx_diags_count(g.diags); i++) {
        const dx_diag *d = dx_diags_get(g.diags, i);
        assert_string_equal(d->source, "test.xlsx");
        line_found |= d->line == line;
    }
    assert_true(line_found);
    got_free(&g);
    free(bytes);
}

static void test_bad_sheets(void **state)
{
    (void)state;
    expect_bad_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row>\n" SHEET_TAIL,
                     DX_ERR_INPUT, "xlsx.shared-string", 4);
    expect_bad_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>-1</v></c></row>\n" SHEET_TAIL,
                     DX_ERR_INPUT, "xlsx.shared-string", 4);
    expect_bad_sheet(SHEET_HEAD "<row r=\"1\">\n<c r=\"A2\"><v>1</v></c></row>\n" SHEET_TAIL,
                     DX_ERR_INPUT, "xlsx.cell-ref", 5);
    expect_bad_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>\n" SHEET_TAIL,
                     DX_ERR_INPUT, "xlsx.cell-ref", 4);
    expect_bad_sheet(SHEET_HEAD "<row r=\"x\"><c><v>1</v></c></row>\n" SHEET_TAIL, DX_ERR_INPUT,
                     "xlsx.row-number", 4);
    expect_bad_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"q\"><v>1</v></c></row>\n" SHEET_TAIL,
                     DX_ERR_INPUT, "xlsx.cell-type", 4);
    /* not well formed: libxml2's message, on the line where it found the problem */
    expect_bad_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>1</c></row>\n" SHEET_TAIL,
                     DX_ERR_INPUT, "xlsx.xml", 4);
    expect_bad_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&undefined;</v></c></row>\n"
                     SHEET_TAIL, DX_ERR_INPUT, "xlsx.xml", 4);
    /* a DTD is refused, with or without entities (billion laughs, external entities) */
    expect_bad_sheet("<?xml version=\"1.0\"?>\n<!DOCTYPE worksheet [\n<!ENTITY a \"aaaaaaaaaa\">\n"
                     "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n]>\n"
                     "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"str\"><v>&b;</v></c>"
                     "</row></sheetData></worksheet>",
                     DX_ERR_INPUT, "xlsx.dtd", 2);
    expect_bad_sheet("<?xml version=\"1.0\"?>\n<!DOCTYPE worksheet SYSTEM \"file:///etc/passwd\">\n"
                     "<worksheet/>",
                     DX_ERR_INPUT, "xlsx.dtd", 2);
}

/* Encoding errors are raised by libxml2 without a parser context: they must still become
 * diagnostics, and nothing may be printed. stderr goes to a file for the duration. */
static void test_libxml_never_prints(void **state)
{
    (void)state;
    static const char *const sheets[] = {
        "<?xml version=\"1.0\" encoding=\"EUC-JP\"?>\n<worksheet><sheetData><row r=\"1\">"
        "<c r=\"A1\" t=\"inlineStr\"><is><t>\xE3\x68\x65\x6D\xFF\xFF</t></is></c></row>"
        "</sheetData></worksheet>",
        "<?xml version=\"1.0\" encoding=\"no-such-encoding\"?>\n<worksheet/>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet>\xC3\x28</worksheet>",
        "\xFF\xFE<\0w\0",
    };
    char path[] = "/tmp/dx_test_xlsx_stderr_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    assert_true(saved >= 0);
    assert_true(dup2(fd, 2) >= 0);
    got g[4];
    for (size_t i = 0; i < 4; i++) {
        size_t len;
        unsigned char *bytes = minimal_workbook(sheets[i], NULL, &len);
        read_sheet(bytes, len, NULL, 0, &g[i]);
        free(bytes);
    }
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    struct stat sb;
    assert_int_equal(fstat(fd, &sb), 0);
    close(fd);
    unlink(path);
    assert_int_equal(sb.st_size, 0);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(g[i].read_status, DX_ERR_INPUT);
        assert_true(has_diag(&g[i], "xlsx.xml", "xl/worksheets/sheet1.xml: "));
        got_free(&g[i]);
    }
}

static void test_member_path_is_a_name(void **state)
{
    (void)state;
    static const char rels[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/worksheet\" Target=\"../../etc/passwd\"/>"
        "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/worksheet\" Target=\"/../../../etc/./shadow\"/></Relationships>";
    static const char wb[] =
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        "<sheets><sheet name=\"a\" sheetId=\"1\" r:id=\"rId1\"/>"
        "<sheet name=\"b\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";
    static const char sheet[] = SHEET_HEAD
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>from the archive</t></is></c></row>"
        SHEET_TAIL;
    member m[] = {{"xl/workbook.xml", wb, 0},
                  {"xl/_rels/workbook.xml.rels", rels, 0},
                  {"../../etc/passwd", "root:x:0:0", 0},
                  {"etc/passwd", sheet, 0}};
    char dir[] = "/tmp/dx_test_xlsx_dir_XXXXXX";
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_non_null(mkdtemp(dir));
    assert_int_equal(chdir(dir), 0);
    size_t len;
    unsigned char *bytes = build_zip(m, 4, &len);
    got g;
    read_sheet(bytes, len, NULL, 0, &g);
    assert_int_equal(g.read_status, DX_OK);
    assert_int_equal(g.n_cells, 1);
    assert_string_equal(g.cells[0].value, "from the archive");
    got_free(&g);
    /* the second sheet resolves to etc/shadow, which the archive does not have */
    read_sheet(bytes, len, NULL, 1, &g);
    assert_int_equal(g.read_status, DX_ERR_INPUT);
    assert_true(has_diag(&g, "xlsx.missing-member", "etc/shadow"));
    got_free(&g);
    /* nothing was written: the working folder is still empty */
    struct stat sb;
    assert_int_equal(stat("etc", &sb), -1);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rmdir(dir), 0); /* fails when anything was created in it */
    free(bytes);
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* A 300 MB member (beyond the 256 MB cap) that deflates to about 300 KB: refused by the
 * ratio check once it passes 200 times its compressed size, long before the cap. */
static void test_zip_bomb(void **state)
{
    (void)state;
    member m[] = {{"xl/workbook.xml", WORKBOOK_XML, 0},
                  {"xl/_rels/workbook.xml.rels", RELS_XML, 0},
                  {"xl/worksheets/sheet1.xml", SHEET_HEAD SHEET_TAIL, 0}};
    filler big = {300u * 1024 * 1024, 0};
    size_t len;
    unsigned char *bytes = build_zip_big(m, 3, "xl/sharedStrings.xml", &big, &len);
    assert_true(len < 2 * 1024 * 1024);
    long before = peak_rss_kb();
    got g;
    read_sheet(bytes, len, NULL, 0, &g);
    assert_int_equal(g.open_status, DX_ERR_LIMIT);
    assert_true(has_diag(&g, "xlsx.compression-ratio", "xl/sharedStrings.xml: "));
    /* refused at 200 x 300 KB = 60 MB inflated; allow for realloc copies and ASan's
     * quarantine, but far below the 300 MB the member would take */
    assert_true(peak_rss_kb() - before < 200 * 1024);
    got_free(&g);

    /* the same with the ratio check out of the way: the member cap stops it */
    dx_xlsx_limits limits = {8u * 1024 * 1024, 0, SIZE_MAX, 0};
    read_sheet(bytes, len, &limits, 0, &g);
    assert_int_equal(g.open_status, DX_ERR_LIMIT);
    assert_true(has_diag(&g, "xlsx.member-too-large", "xl/sharedStrings.xml: "));
    got_free(&g);

    /* and the workbook total */
    dx_xlsx_limits total = {0, 4u * 1024 * 1024, SIZE_MAX, 0};
    read_sheet(bytes, len, &total, 0, &g);
    assert_int_equal(g.open_status, DX_ERR_LIMIT);
    assert_true(has_diag(&g, "xlsx.workbook-too-large", "xl/sharedStrings.xml: "));
    got_free(&g);
    free(bytes);
}

static int patch_u32(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
    return 1;
}

/* A member whose headers declare 100 bytes but whose data inflates to 4 MB: never read past
 * what the caps allow, and an error either way. */
static void test_lying_size(void **state)
{
    (void)state;
    member m[] = {{"xl/workbook.xml", WORKBOOK_XML, 0},
                  {"xl/_rels/workbook.xml.rels", RELS_XML, 0},
                  {"xl/worksheets/sheet1.xml", SHEET_HEAD SHEET_TAIL, 0}};
    filler big = {4u * 1024 * 1024, 0};
    size_t len;
    unsigned char *bytes = build_zip_big(m, 3, "xl/sharedStrings.xml", &big, &len);
    int patched = 0;
    for (size_t i = 0; i + 46 <= len; i++) {
        if (!memcmp(bytes + i, "PK\3\4", 4) && i + 30 + 20 <= len &&
            !memcmp(bytes + i + 30, "xl/sharedStrings.xml", 20))
            patched += patch_u32(bytes + i + 22, 100);
        if (!memcmp(bytes + i, "PK\1\2", 4) && !memcmp(bytes + i + 46, "xl/sharedStrings.xml", 20))
            patched += patch_u32(bytes + i + 24, 100);
    }
    assert_int_equal(patched, 2);
    got g;
    dx_xlsx_limits limits = {1024 * 1024, 0, SIZE_MAX, 0};
    read_sheet(bytes, len, &limits, 0, &g);
    assert_true(g.open_status == DX_ERR_LIMIT || g.open_status == DX_ERR_INPUT);
    assert_true(dx_diags_count_severity(g.diags, DX_SEV_ERROR) >= 1);
    got_free(&g);
    read_sheet(bytes, len, NULL, 0, &g);
    assert_true(g.open_status == DX_ERR_LIMIT || g.open_status == DX_ERR_INPUT);
    got_free(&g);
    free(bytes);
}

static void test_not_a_workbook(void **state)
{
    (void)state;
    got g;
    static const unsigned char text[] = "this is not a zip archive at all";
    read_sheet(text, sizeof text - 1, NULL, 0, &g);
    assert_int_equal(g.open_status, DX_ERR_INPUT);
    assert_true(has_diag(&g, "xlsx.zip", "not a readable .xlsx"));
    got_free(&g);
    read_sheet(NULL, 0, NULL, 0, &g);
    assert_int_equal(g.open_status, DX_ERR_INPUT);
    got_free(&g);

    /* a zip without xl/workbook.xml */
    member m[] = {{"hello.txt", "hello", 0}};
    size_t len;
    unsigned char *bytes = build_zip(m, 1, &len);
    read_sheet(bytes, len, NULL, 0, &g);
    assert_int_equal(g.open_status, DX_ERR_INPUT);
    assert_true(has_diag(&g, "xlsx.missing-member", "xl/workbook.xml: "));
    got_free(&g);
    free(bytes);

    /* a sheet without a relationship */
    member m2[] = {{"xl/workbook.xml", WORKBOOK_XML, 0},
                   {"xl/_rels/workbook.xml.rels",
                    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                    "relationships\"/>",
                    0}};
    bytes = build_zip(m2, 2, &len);
    read_sheet(bytes, len, NULL, 0, &g);
    assert_int_equal(g.open_status, DX_ERR_INPUT);
    assert_true(has_diag(&g, "xlsx.sheet", "sheet 'S'"));
    got_free(&g);
    free(bytes);
}

static void test_truncated_and_corrupt(void **state)
{
    (void)state;
    size_t len;
    unsigned char *bytes = read_file(METI_XLSX, &len);
    got g;
    /* truncated anywhere: the central directory is gone */
    for (size_t cut = 0; cut < len; cut += len / 7) {
        read_sheet(bytes, cut, NULL, 0, &g);
        assert_int_equal(g.open_status, DX_ERR_INPUT);
        assert_true(dx_diags_count_severity(g.diags, DX_SEV_ERROR) >= 1);
        got_free(&g);
    }
    /* bytes changed inside compressed data: a CRC or inflate error, never a crash */
    size_t damaged = 0;
    for (size_t at = 1000; at < len - 2000; at += 997) {
        unsigned char saved = bytes[at];
        bytes[at] ^= 0x5A;
        read_sheet(bytes, len, NULL, 0, &g);
        assert_true(g.read_status == DX_OK || g.read_status == DX_ERR_INPUT);
        damaged += g.read_status == DX_ERR_INPUT;
        got_free(&g);
        bytes[at] = saved;
    }
    assert_true(damaged > 0);
    free(bytes);
}

/* Every allocation failure while opening and reading a small workbook: DX_ERR_NOMEM, nothing
 * leaked (the sanitizer build), until the run that succeeds. */
static void test_alloc_failures(void **state)
{
    (void)state;
    size_t len;
    unsigned char *bytes = writer_workbook(&len);
    long n;
    for (n = 0; n < 100000; n++) {
        dx_alloc_fail_after(n);
        dx_diags *diags = NULL;
        dx_xlsx *x = NULL;
        dx_status st = dx_diags_new(&diags);
        if (st == DX_OK)
            st = dx_xlsx_open(bytes, len, "w.xlsx", NULL, diags, &x);
        for (size_t s = 0; st == DX_OK && s < dx_xlsx_sheet_count(x); s++) {
            dx_xlsx_rows *rows = NULL;
            const dx_xlsx_row *row;
            st = dx_xlsx_rows_open(x, s, &rows);
            while (st == DX_OK && (st = dx_xlsx_rows_next(rows, &row)) == DX_OK && row)
                ;
            dx_xlsx_rows_free(rows);
        }
        dx_alloc_fail_after(-1);
        dx_xlsx_free(x);
        if (st == DX_OK) {
            assert_int_equal(dx_diags_count(diags), 0);
            dx_diags_free(diags);
            break;
        }
        assert_int_equal(st, DX_ERR_NOMEM);
        dx_diags_free(diags);
    }
    assert_true(n > 5 && n < 100000);
    free(bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meti_workbook),
        cmocka_unit_test(test_writer_workbook),
        cmocka_unit_test(test_inline_strings),
        cmocka_unit_test(test_furigana),
        cmocka_unit_test(test_cell_refs),
        cmocka_unit_test(test_bad_sheets),
        cmocka_unit_test(test_libxml_never_prints),
        cmocka_unit_test(test_member_path_is_a_name),
        cmocka_unit_test(test_zip_bomb),
        cmocka_unit_test(test_lying_size),
        cmocka_unit_test(test_not_a_workbook),
        cmocka_unit_test(test_truncated_and_corrupt),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * xlsx.h — a minimal, safe reader of .xlsx workbooks held in memory (internal).
 *
 * What it reads: the sheet names (xl/workbook.xml, resolved through
 * xl/_rels/workbook.xml.rels), the shared strings (xl/sharedStrings.xml), the cells of a
 * worksheet row by row, and the created / modified dates of docProps/core.xml. Nothing else of
 * the package (styles, formulas, merged cells, dates as dates) is interpreted: a cell is its
 * stored text. Rich-text runs are concatenated, furigana (<rPh> phonetic runs, which
 * Japanese workbooks carry) are left out, and the "_xHHHH_" escapes OOXML uses for control
 * characters are decoded in text cells.
 *
 * What it refuses: an archive that libzip cannot open; a member that inflates beyond a cap,
 * or whose inflated size is out of proportion with its compressed size (a zip bomb); XML with
 * a DTD; XML that is not well formed; a cell reference or shared-string index out of range.
 * Each refusal is a diagnostic with source = the workbook path, line / column = the position
 * in the XML member, and the member's name at the start of the message
 * ("xl/worksheets/sheet1.xml: ..."). Member names are only ever looked up inside the archive;
 * nothing is written to disk and nothing is fetched from the network.
 *
 * Usage:
 *     dx_xlsx *x;
 *     st = dx_xlsx_open(bytes, len, "list.xlsx", NULL, diags, &x);
 *     for (i = 0; i < dx_xlsx_sheet_count(x); i++) puts(dx_xlsx_sheet_name(x, i));
 *     dx_xlsx_rows *rows;
 *     st = dx_xlsx_rows_open(x, 0, &rows);
 *     const dx_xlsx_row *row;
 *     while ((st = dx_xlsx_rows_next(rows, &row)) == DX_OK && row) ...
 *     dx_xlsx_rows_free(rows);
 *     dx_xlsx_free(x);
 *
 * Statuses: DX_OK; DX_ERR_INPUT (the workbook has problems: see the diagnostics);
 * DX_ERR_LIMIT (a cap was exceeded, also reported as a diagnostic); DX_ERR_NOMEM;
 * DX_ERR_INVALID (bad arguments). Memory comes from alloc.h, so allocation-failure tests
 * reach every path; libzip's and libxml2's own allocations are theirs.
 */
#ifndef DX_XLSX_H
#define DX_XLSX_H

#include <stddef.h>

#include "dexcheck/diag.h"
#include "dexcheck/status.h"

/* Default caps (see dx_xlsx_limits). */
#define DX_XLSX_MAX_MEMBER (256u * 1024 * 1024)   /* inflated bytes of one member */
#define DX_XLSX_MAX_TOTAL (1024u * 1024 * 1024)   /* inflated bytes over a workbook's life */
#define DX_XLSX_MAX_RATIO 200u                    /* inflated / compressed size */
#define DX_XLSX_RATIO_FLOOR (1024u * 1024)        /* members smaller than this skip the ratio */
#define DX_XLSX_MAX_CELLS_PER_ROW 16384u          /* Excel's column count (A..XFD) */
#define DX_XLSX_MAX_ROW 1048576ul                 /* Excel's row count */

/*
 * Caps that bound what a hostile workbook can cost. Every member is inflated with zip_fread
 * into a buffer that never grows past max_member, whatever size the archive declares; the
 * running total of every member inflated by one dx_xlsx (a sheet read twice counts twice)
 * stays under max_total. Once a member has inflated past ratio_floor bytes, its inflated size
 * may be at most max_ratio times its compressed size: real spreadsheet XML compresses 4 to 30
 * times, a deflate bomb about 1000 times, so a bomb is refused after max_ratio times its
 * compressed size (memory bounded by the file's size) instead of after max_member. A zero
 * field takes the default.
 */
typedef struct dx_xlsx_limits {
    size_t max_member;
    size_t max_total;
    size_t max_ratio;
    size_t ratio_floor;
} dx_xlsx_limits;

typedef struct dx_xlsx dx_xlsx;

/*
 * Open the workbook in `bytes` (borrowed: must stay valid and unchanged until dx_xlsx_free).
 * Reads the workbook, its relationships, the shared strings and the core properties; the
 * sheets themselves are read by dx_xlsx_rows_open. `path` names the workbook in diagnostics
 * (copied). `limits` may be NULL (the defaults). `diags` is borrowed and receives every
 * problem of this workbook until dx_xlsx_free. Caller frees *out with dx_xlsx_free; *out is
 * set only on DX_OK.
 */
dx_status dx_xlsx_open(const unsigned char *bytes, size_t len, const char *path,
                       const dx_xlsx_limits *limits, dx_diags *diags, dx_xlsx **out);
void dx_xlsx_free(dx_xlsx *x); /* accepts NULL */

/* The sheets in workbook order. Names are borrowed, valid until dx_xlsx_free; NULL when i is
 * out of range. */
size_t dx_xlsx_sheet_count(const dx_xlsx *x);
const char *dx_xlsx_sheet_name(const dx_xlsx *x, size_t i);
/* The index of the sheet called `name` (exact, byte for byte); DX_ERR_NOT_FOUND otherwise. */
dx_status dx_xlsx_sheet_find(const dx_xlsx *x, const char *name, size_t *index);
/* The archive member a sheet is read from ("xl/worksheets/sheet1.xml"); borrowed. */
const char *dx_xlsx_sheet_member(const dx_xlsx *x, size_t i);

/* dcterms:created / dcterms:modified of docProps/core.xml as written (e.g.
 * "2025-09-25T07:37:02Z"); NULL when absent. Borrowed, valid until dx_xlsx_free. */
const char *dx_xlsx_created(const dx_xlsx *x);
const char *dx_xlsx_modified(const dx_xlsx *x);

/* How many shared strings the workbook has (for tests). */
size_t dx_xlsx_shared_count(const dx_xlsx *x);

typedef enum dx_xlsx_cell_type {
    DX_XLSX_TEXT = 0, /* t="s" (shared string), t="inlineStr", t="str" (formula text) */
    DX_XLSX_NUMBER,   /* t="n" or no t: the number as stored, e.g. "1", "0.25", "4.5E-3" */
    DX_XLSX_BOOL,     /* t="b": "0" or "1" */
    DX_XLSX_ERROR,    /* t="e": "#N/A", "#DIV/0!", ... */
    DX_XLSX_DATE      /* t="d": an ISO 8601 text, as stored */
} dx_xlsx_cell_type;

/* One cell that holds a value. Cells without a value (<c r="B2" s="3"/>) are not delivered. */
typedef struct dx_xlsx_cell {
    unsigned long row;    /* 1-based row number */
    unsigned column;      /* 1-based column number: A = 1, Z = 26, AB = 28 */
    dx_xlsx_cell_type type;
    const char *value;    /* UTF-8, NUL-terminated, never NULL; may contain newlines */
    size_t len;
    unsigned long line;   /* line of the <c> element in the sheet XML */
} dx_xlsx_cell;

typedef struct dx_xlsx_row {
    unsigned long number; /* 1-based row number (the r attribute, or the previous one + 1) */
    unsigned long line;   /* line of the <row> element in the sheet XML */
    size_t n_cells;       /* may be 0 */
    const dx_xlsx_cell *cells; /* in document order (Excel writes them by column) */
} dx_xlsx_row;

/* A pass over the rows of one sheet. */
typedef struct dx_xlsx_rows dx_xlsx_rows;

/*
 * Start reading sheet `sheet` (0-based, workbook order): inflates its member (capped) and
 * starts the XML reader. The iterator borrows `x`, which must outlive it. Caller frees *out
 * with dx_xlsx_rows_free; set only on DX_OK.
 */
dx_status dx_xlsx_rows_open(dx_xlsx *x, size_t sheet, dx_xlsx_rows **out);

/*
 * The next row: DX_OK with *row set, or DX_OK with *row = NULL at the end of the sheet. The
 * row and its cells are borrowed, valid until the next call or dx_xlsx_rows_free. After an
 * error the iterator is spent: further calls return the same error.
 */
dx_status dx_xlsx_rows_next(dx_xlsx_rows *rows, const dx_xlsx_row **row);
void dx_xlsx_rows_free(dx_xlsx_rows *rows); /* accepts NULL */

/* The column number of an A1-style reference ("C12" → 3, row 12); 0 when `ref` is not one.
 * `*row_out` (may be NULL) gets the row part. Exposed for tests. */
unsigned dx_xlsx_parse_ref(const char *ref, unsigned long *row_out);

#endif

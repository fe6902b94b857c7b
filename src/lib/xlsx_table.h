/*
 * xlsx_table.h — what the .xlsx list importers share (internal).
 *
 * Design. METI's End User List (import_meti_eul.c), DFAT's Consolidated List
 * (import_au_dfat.c) and MOF's economic-sanctions list (import_jp_mof.c) are each one .xlsx
 * workbook read with xlsx.c as a table: a header row found among the first rows of a sheet by
 * its text, then one data row per row. The importers differ in what the columns mean and how
 * rows become entries; they share the frame around that, which lives here:
 *   - the file checks (arguments, exactly one file) and opening the workbook, which also sets
 *     the publication date from docProps/core.xml;
 *   - choosing a sheet by name, and the pass over a sheet's rows that looks for the header
 *     row in the first rows and hands every row after it to the importer;
 *   - the header table: each header cell's text with white space collapsed, found by column,
 *     and a cell's field name for raw (its header, else its column letters);
 *   - reading a cell of a row by column, telling a blank row, Excel date serials;
 *   - diagnostics located at a row ("<member>[ (sheet <name>)]: row <n>[ (<label> <key>)]:
 *     <message>", line = the row's XML line) and file-level errors;
 *   - UTF-8 helpers (decoding, trimming with the importer's idea of white space, one-line
 *     excerpts for messages);
 *   - the country of a place cell (the whole text, else its last separated part that
 *     resolves), each part trimmed with the importer's idea of white space.
 * What a column means, which rows are entries and every diagnostic code and text stay in the
 * importers: the functions here take the codes and texts as arguments. Nothing here prints or
 * exits; memory comes from alloc.h (through the importers' arenas and dx_strbuf).
 */
#ifndef DX_XLSX_TABLE_H
#define DX_XLSX_TABLE_H

#include <stdarg.h>
#include <stddef.h>

#include "arena.h"
#include "import.h"
#include "xlsx.h"

#define DX_XT_ALL ((size_t)-1) /* no cap (dx_xt_cell, dx_xt_headers_read) */

/* A piece of cell text: not NUL-terminated in general. */
typedef struct dx_xt_text {
    const char *s;
    size_t len;
} dx_xt_text;

/* ---- UTF-8 ------------------------------------------------------------------------------ */

/* The code point at s[*i] (advancing *i; *i < len); an invalid byte reads as itself, one
 * byte. Sequences of 2 to 4 bytes are decoded. */
unsigned dx_xt_next_cp(const char *s, size_t len, size_t *i);
/* Start of the code point that ends at s[end] (exclusive); end > 0. */
size_t dx_xt_prev_start(const char *s, size_t end);
/* ASCII white space, U+3000 (ideographic space) and U+00A0 (no-break space). */
int dx_xt_is_space(unsigned cp);
/* `s` without leading and trailing code points for which is_space is true. */
dx_xt_text dx_xt_trim(const char *s, size_t len, int (*is_space)(unsigned));
/* Text for a message into buf: line breaks and tabs made spaces, at most size - 1 bytes,
 * never cut inside a UTF-8 sequence. Returns buf. */
const char *dx_xt_one_line(dx_xt_text t, char *buf, size_t size);

/*
 * The country of a place: the whole text, else the last part between separators (comma,
 * semicolon, parenthesis, line break; ASCII, Japanese and full-width) that resolves, each
 * part trimmed of the code points for which is_space is true; parts under 4 bytes are not
 * tried, so that "(IO)" or "a)" is never taken for a code. At most 16 parts are tried.
 * *alpha2 = "" when nothing resolves; the status of dx_country_lookup otherwise.
 */
dx_status dx_xt_resolve_place(const dx_countries *c, dx_xt_text t, int (*is_space)(unsigned),
                              char alpha2[3]);

/* ---- cells and rows --------------------------------------------------------------------- */

/* The text of the row's (first) cell in `column`, at most max bytes; "" when there is none or
 * column is 0. */
dx_xt_text dx_xt_cell(const dx_xlsx_row *row, unsigned column, size_t max);
/* 1 when no cell of the row has anything but white space (as is_space says). */
int dx_xt_row_blank(const dx_xlsx_row *row, int (*is_space)(unsigned));
/* The letters of a 1-based column ("A", "AB", "XFD"). */
void dx_xt_column_letters(unsigned column, char out[4]);
/* An Excel date serial (1900 system: day 25569 is 1970-01-01) as YYYY-MM-DD into out; 0 when
 * `t` is not an integer (optionally ".0...") in 3000 .. 2958465 (1908-03-18 .. 9999-12-31). */
int dx_xt_serial_date(dx_xt_text t, char out[11]);

/* ---- the header row --------------------------------------------------------------------- */

typedef struct dx_xt_header {
    unsigned column;
    const char *name; /* white space runs made one space, trimmed */
    int role;         /* the importer's, -1 unless it sets one */
} dx_xt_header;

typedef struct dx_xt_headers {
    dx_xt_header *v;
    size_t n;
} dx_xt_headers;

/* Note the names of the header row `row` in *h (arena memory): the first max_columns cells,
 * each name cut to max_name bytes before white space is collapsed; with keep_empty 0 a cell
 * whose name is empty is left out. DX_ERR_NOMEM when the arena fails. */
dx_status dx_xt_headers_read(dx_xt_headers *h, dx_arena *arena, const dx_xlsx_row *row,
                             size_t max_columns, size_t max_name, int keep_empty);
/* The (first) header of `column`; NULL when none. */
const dx_xt_header *dx_xt_header_of(const dx_xt_headers *h, unsigned column);
/* The field name of `column` for raw: its header's name, else its letters (in `letters`). */
const char *dx_xt_field_name(const dx_xt_headers *h, unsigned column, char letters[4]);

/* ---- the workbook ----------------------------------------------------------------------- */

/* DX_ERR_INVALID on bad arguments; when n_files is not 1 the error
 * "<what> is one .xlsx file; <n> files were given" (code `code`, DX_ERR_INPUT); else DX_OK. */
dx_status dx_xt_check_files(dx_import *im, const dx_import_file *files, size_t n_files,
                            const char *code, const char *what);
/* Open `file` (diagnostics under `path`) and set im->publication_date from the date part of
 * dcterms:modified, else dcterms:created, else "". *out as dx_xlsx_open. */
dx_status dx_xt_open(dx_import *im, const dx_import_file *file, const char *path,
                     dx_xlsx **out);
/* The index of the sheet called `name`, else 0 (the first sheet). */
size_t dx_xt_sheet_or_first(const dx_xlsx *x, const char *name);

/* Called for a row until it returns DX_OK with *found set: the header row. */
typedef dx_status (*dx_xt_header_fn)(void *ctx, const dx_xlsx_row *row, int *found);
/* Called for every row after the header row. */
typedef dx_status (*dx_xt_row_fn)(void *ctx, const dx_xlsx_row *row);

/* Read sheet `sheet`: each row numbered up to header_rows goes to try_header until it finds
 * the header, each row after it to on_row. *header tells whether a header was found. The first
 * error of the reader or a callback ends the pass and is returned. */
dx_status dx_xt_read_rows(dx_xlsx *x, size_t sheet, unsigned long header_rows,
                          dx_xt_header_fn try_header, dx_xt_row_fn on_row, void *ctx,
                          int *header);

/* ---- diagnostics ------------------------------------------------------------------------ */

/* Add "<member>[ (sheet <sheet>)]: row <number>[ (<key_label> <key>)]: <fmt...>" at `line` of
 * `path` (sheet NULL: not named; key NULL: no key). Counts an error in *errors. */
dx_status dx_xt_row_diagv(dx_diags *diags, size_t *errors, const char *path,
                          const char *member, const char *sheet, unsigned long number,
                          unsigned long line, const char *key_label, const char *key,
                          dx_severity sev, const char *code, const char *fmt, va_list ap);

/* A file-level error (line 0): DX_ERR_INPUT once reported, DX_ERR_NOMEM when it cannot be. */
dx_status dx_xt_file_error(dx_diags *diags, const char *path, const char *code,
                           const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif

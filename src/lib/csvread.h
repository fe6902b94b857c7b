/*
 * csvread.h — RFC 4180 rows from decoded UTF-8 text, with line numbers, through libcsv.
 *
 * Rows are delivered one by one to a callback with the physical line they start on. Problems
 * (a syntax error in strict mode, an unclosed quote, an overlong field, too many fields, a byte
 * that could not be decoded) are reported as diagnostics and the row is delivered with
 * `damaged` set, so the caller counts it as rejected and nothing disappears. After a damaged
 * row the reader resynchronises on the next physical line.
 */
#ifndef DX_CSVREAD_H
#define DX_CSVREAD_H

#include <stddef.h>

#include "dexcheck/diag.h"
#include "dexcheck/encoding.h"

/* Limits that bound memory on hostile input. */
#define DX_CSV_MAX_FIELD (64 * 1024)        /* bytes of one field */
#define DX_CSV_MAX_FIELDS 1024              /* fields of one row */
#define DX_CSV_MAX_BUFFER (16 * 1024 * 1024) /* libcsv's field buffer */

typedef struct dx_csv_row {
    unsigned long line;     /* first physical line (1-based) */
    unsigned long end_line; /* last physical line */
    size_t n_fields;
    const char *const *fields; /* NUL-terminated UTF-8; borrowed until the callback returns */
    const size_t *lens;
    const char *bytes; /* every field back to back, each NUL-terminated: fields point into it */
    size_t bytes_len;
    int damaged; /* the row has problems, already reported */
} dx_csv_row;

/* Return DX_OK to go on; anything else stops the reader, which returns it. */
typedef dx_status (*dx_csv_row_fn)(void *ctx, const dx_csv_row *row);

typedef struct dx_csv_source {
    const char *path;          /* for diagnostics */
    const dx_decoded *decoded; /* the text and its decode errors */
    int libcsv_only;           /* 1: no fast path for quote-free lines (differential tests) */
} dx_csv_source;

/*
 * Read every row of `src`. The delimiter is ',' unless the first line holds more tabs than
 * commas (Excel's "Unicode text" export), then tab. Blank lines are skipped; `*blank_rows`
 * (may be NULL) counts rows whose fields are all empty, which are not delivered.
 */
dx_status dx_csv_read(const dx_csv_source *src, dx_diags *diags, dx_csv_row_fn fn, void *ctx,
                      size_t *blank_rows);

/*
 * Read the CSV file at `path` (at most 256 MB; encoding detected as for records) and deliver
 * its rows as dx_csv_read does. A file that cannot be read is a diagnostic with the code
 * "<code>.open" saying "cannot read the <what>: <reason>", and DX_ERR_IO.
 */
dx_status dx_csv_read_path(const char *path, const char *code, const char *what,
                           dx_diags *diags, dx_csv_row_fn fn, void *ctx);

#endif

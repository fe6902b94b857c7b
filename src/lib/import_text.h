/*
 * import_text.h — what the delimited-text list importers share (internal).
 *
 * Design. The Consolidated Screening List (import_csl.c, CSV) and the Denied Persons List
 * (import_dpl.c, tab-separated) are each one decoded text file read with csvread.h as a table:
 * a header row naming the columns, then one data row per entry. What the columns mean and how
 * a row becomes an entry stay in the importers; the frame around that lives here:
 *   - dx_text, a trimmed piece of a field, with ASCII white space and case-insensitive words;
 *   - the per-file state both keep (dx_text_file: the import, the path, the header's names and
 *     where each known column is) and reading a known column of a row;
 *   - diagnostics at file:line:column of the file;
 *   - mapping the header row to the importer's columns (a column named twice, a damaged header
 *     row);
 *   - decoding a file, running the CSV reader over it and the empty-file checks;
 *   - the loop over the files of one import with its id registry.
 * Every diagnostic code and hint is the importer's: they are passed in (dx_text_codes), so
 * each stays written once, in its importer. Nothing here prints or exits.
 */
#ifndef DX_IMPORT_TEXT_H
#define DX_IMPORT_TEXT_H

#include <stdarg.h>
#include <stddef.h>

#include "arena.h"
#include "csvread.h"
#include "id_repeats.h"
#include "import.h"

/* A piece of a field: not NUL-terminated in general. */
typedef struct dx_text {
    const char *s;
    size_t len;
} dx_text;

/* ASCII white space: space, \t, \r, \n, \v, \f. */
int dx_text_is_space(char c);
/* `s` without leading and trailing ASCII white space. */
dx_text dx_text_trim(const char *s, size_t len);
/* 1 when `t` is `word`, case aside (ASCII). */
int dx_text_is(dx_text t, const char *word);

/* The diagnostic codes (and the one hint) of an importer's file-level problems. */
typedef struct dx_text_codes {
    const char *duplicate_column; /* a header naming a column twice */
    const char *bad_header;       /* the header row is damaged */
    const char *undecodable;      /* the bytes are not text */
    const char *undecodable_hint; /* NULL: none */
    const char *too_large;        /* the decoded text is over the importer's cap */
    const char *empty;            /* no header and no rows */
    const char *no_entries;       /* a header but no rows */
} dx_text_codes;

/* One file being read: the importer embeds it, starts it with dx_text_file_init and frees it
 * with dx_text_file_free. */
typedef struct dx_text_file {
    dx_import *im;
    const char *path;
    const dx_text_codes *codes;
    const char *const *column_names; /* the importer's columns, by header name */
    size_t n_columns;
    size_t *field_of;                /* 1-based field of each known column, 0 when absent */
    int have_header;
    int header_bad;                  /* the header is unusable: rows are not read */
    size_t n_header;
    const char **header;             /* trimmed header names, for raw (in `names`) */
    dx_arena names;
    size_t rows;                     /* data rows seen */
} dx_text_file;

/* Start reading `file`: f zeroed, then the import, the path (file->path, else file->name, else
 * ""), the codes and the columns set. field_of has n_columns entries, set to 0 here. */
void dx_text_file_init(dx_text_file *f, dx_import *im, const dx_import_file *file,
                       const dx_text_codes *codes, const char *const *column_names,
                       size_t n_columns, size_t *field_of);
void dx_text_file_free(dx_text_file *f);

/* The trimmed value of known column `col` in `row`; empty when the file lacks the column. */
dx_text dx_text_field(const dx_text_file *f, const dx_csv_row *row, size_t col);

/* A diagnostic at line:col of the file (0 = the whole file / line). */
dx_status dx_text_file_error(dx_text_file *f, dx_severity sev, unsigned long line,
                             unsigned long col, const char *code, const char *hint,
                             const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Note the header row: its trimmed names (for raw) and the field of each known column (names
 * compared case aside). A column named twice is an error (codes->duplicate_column, at its
 * second field) and makes the header bad; the first one stays. */
dx_status dx_text_map_header(dx_text_file *f, const dx_csv_row *row);
/* When the header row is damaged: the error codes->bad_header, and the header is bad. */
dx_status dx_text_check_header_damage(dx_text_file *f, const dx_csv_row *row);

/* Decode `file` (any encoding dx_decode detects, at most max_text bytes) and hand each row to
 * on_row(ctx, row); then report an empty file or one with a header but no rows (f->have_header,
 * f->rows, which on_row keeps). Decoding problems are reported with f's codes. */
dx_status dx_text_read_file(dx_text_file *f, const dx_import_file *file, size_t max_text,
                            dx_csv_row_fn on_row, void *ctx);

/* Call read_file for each file with one id registry for the import, until one returns other
 * than DX_OK. DX_ERR_INVALID on bad arguments; DX_ERR_INPUT when an error was reported. */
typedef dx_status (*dx_text_read_fn)(dx_import *im, const dx_import_file *file,
                                     dx_id_repeats *ids);
dx_status dx_text_import_files(dx_import *im, const dx_import_file *files, size_t n_files,
                               dx_text_read_fn read_file);

#endif

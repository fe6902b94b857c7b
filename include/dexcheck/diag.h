/*
 * dexcheck/diag.h — diagnostics: what is wrong with an input, and where.
 *
 * Everything that reads user input (records, list files, rule files, review workbooks) reports
 * problems into a dx_diags collection instead of printing: source (a path), line, column,
 * severity, a stable code, a message, and an optional hint and source line. The CLI prints
 * them as `path:line:col: error: message`. Line and column are 1-based; 0 means "the whole
 * source" or "the whole line". What "column" counts is the producer's to state: for CSV records
 * it is the 1-based field number (the spreadsheet column), for rule files the character.
 */
#ifndef DEXCHECK_DIAG_H
#define DEXCHECK_DIAG_H

#include <stdarg.h>
#include <stddef.h>

#include "dexcheck/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dx_severity {
    DX_SEV_NOTE = 0,
    DX_SEV_WARNING = 1,
    DX_SEV_ERROR = 2
} dx_severity;

typedef struct dx_diag {
    dx_severity severity;
    const char *source;      /* path or origin; never NULL ("" when unknown) */
    unsigned long line;      /* 1-based; 0 = the whole source */
    unsigned long column;    /* 1-based; 0 = the whole line */
    const char *code;        /* stable identifier, e.g. "csv.unclosed-quote"; never NULL */
    const char *message;     /* one sentence, no trailing newline; never NULL */
    const char *hint;        /* how to fix it; NULL when there is none */
    const char *source_line; /* the offending source text, for a caret; NULL when none */
} dx_diag;

/* A growing collection of diagnostics. Owns every string of every dx_diag it holds. */
typedef struct dx_diags dx_diags;

/* Create an empty collection. Caller frees with dx_diags_free. */
dx_status dx_diags_new(dx_diags **out);
void dx_diags_free(dx_diags *diags); /* accepts NULL */

/*
 * Append one diagnostic; every string is copied. `hint` may be NULL. The message is a printf
 * format. Returns DX_ERR_NOMEM when the copy fails (the diagnostic is then lost, and the
 * caller must propagate the error).
 */
dx_status dx_diags_add(dx_diags *diags, dx_severity severity, const char *source,
                       unsigned long line, unsigned long column, const char *code,
                       const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
dx_status dx_diags_addv(dx_diags *diags, dx_severity severity, const char *source,
                        unsigned long line, unsigned long column, const char *code,
                        const char *hint, const char *fmt, va_list ap);

/* Attach the offending source text to the most recently added diagnostic. */
dx_status dx_diags_set_source_line(dx_diags *diags, const char *text, size_t len);

size_t dx_diags_count(const dx_diags *diags);
size_t dx_diags_count_severity(const dx_diags *diags, dx_severity severity);
/* Borrowed; valid until the next add or free. NULL when i is out of range. */
const dx_diag *dx_diags_get(const dx_diags *diags, size_t i);

/* Stable sort by source, line, column (discovery order breaks ties). */
void dx_diags_sort(dx_diags *diags);

const char *dx_severity_str(dx_severity severity); /* "note", "warning", "error" */

#ifdef __cplusplus
}
#endif
#endif

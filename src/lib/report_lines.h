/*
 * report_lines.h — the line outputs of a report: JSON lines and CSV, one record per result
 * or subject, with the same keys (product.md §5).
 *
 * Internal to the library; the public face is dexcheck/report.h.
 */
#ifndef DX_REPORT_LINES_H
#define DX_REPORT_LINES_H

#include <stdio.h>

#include "dexcheck/report.h"
#include "report_atomic.h"
#include "strbuf.h"

typedef enum dx_lines_format { DX_LINES_JSON, DX_LINES_CSV } dx_lines_format;

typedef struct dx_lines_writer {
    dx_lines_format format;
    FILE *fp;            /* where lines go: file.fp, or the caller's stream; NULL = unused */
    dx_atomic_file file; /* when writing to a path */
    dx_strbuf line;      /* the record being built */
    dx_diags *diags;     /* where a failed write is reported (borrowed from open) */
    int failed;          /* a write failed and was reported */
} dx_lines_writer;

/* Start writing to `path` (atomically) or, when path is NULL, to `stream` (borrowed); with
 * neither the writer stays unused and every call is a no-op. CSV writes its header now. */
dx_status dx_lines_open(dx_lines_writer *w, dx_lines_format format, const char *path,
                        FILE *stream, dx_diags *diags);
dx_status dx_lines_result(dx_lines_writer *w, const dx_result *result);
dx_status dx_lines_subject(dx_lines_writer *w, const dx_subject_summary *subject);
/* Flush (a stream) or flush and fsync (a path); the first half of the commit. */
dx_status dx_lines_sync(dx_lines_writer *w, dx_diags *diags);
/* Rename a path's temporary over its target; nothing for a stream. */
dx_status dx_lines_rename(dx_lines_writer *w, dx_diags *diags);
/* Free the writer; removes a temporary file not renamed. */
void dx_lines_discard(dx_lines_writer *w);

#endif

/*
 * review_read.h — reviewers' disposition files, for `dexcheck review import` (internal).
 *
 * A reviewer records a decision on a result of a screening run (product.md §5
 * "Dispositions") in one of two files, told apart by content, not by name:
 *   - the audit workbook `dexcheck screen -o` wrote (docs/report.md), edited in Excel: every
 *     sheet called "Findings" or a continuation of it ("Findings (2)", "Findings (3)"...), whose
 *     row 1 holds the JSON keys (finding_id, disposition, reviewer, review_date, license_id,
 *     note, among others); any file that starts with a zip signature is read as a workbook;
 *   - a CSV file (any encoding the records reader takes: UTF-8 with or without BOM, UTF-16 with
 *     BOM, CP932, ...) whose first row names the columns finding_id, disposition, reviewer,
 *     date (or review_date), note and license_id (or licence_id), in any order; names are
 *     matched ignoring case, spaces, '-' and '_' (full-width letters folded); other columns
 *     are ignored.
 * finding_id, disposition, reviewer and the date are required columns: a missing one is one
 * error at the header naming it, and no row of that file or sheet can be checked.
 *
 * Rows. A data row whose disposition is blank has not been reviewed: it is counted
 * (dx_review_rows_blank), not checked and not returned; when it holds a reviewer, date,
 * licence or note all the same, a warning says that it is not imported. A row with a
 * disposition is checked in full, and every problem is its own error diagnostic, so one pass
 * reports them all: finding_id "F-" and 16 lower-case hex digits; a disposition of
 * true_match, false_positive, escalated or cleared_with_licence (case-insensitive, white space
 * trimmed); a non-empty reviewer; a real calendar date YYYY-MM-DD (in a workbook also a date
 * Excel stores as a day number or as an ISO date cell; a date in the future is the caller's to
 * judge); a license_id for cleared_with_licence. Every value is returned trimmed of surrounding
 * white space. The same finding_id twice with the same decision is kept once; with a different
 * one the second occurrence is an error citing the first.
 *
 * Where diagnostics point: source = the path; in a CSV file line = the physical line a row
 * starts on and column = the 1-based field number; in a workbook line = the sheet's row
 * number and column = the cell's column number, and the message starts with the sheet and
 * cell ("sheet 'Findings', cell U7: ..."). Problems of the container (not a zip, a member that
 * is not well-formed XML, undecodable CSV) come from xlsx.c and csvread.c as they report them.
 *
 * Bounds: the file is at most DX_REVIEW_MAX_FILE bytes; CSV fields and rows are capped by
 * csvread.h, cells by DX_CSV_MAX_FIELD bytes (a longer one is an error), workbooks by xlsx.h's
 * caps. Duplicate finding ids are found through a hash map (strmap.h): the reading is linear.
 * Memory comes from alloc.h; nothing here prints or exits.
 */
#ifndef DX_REVIEW_READ_H
#define DX_REVIEW_READ_H

#include <stddef.h>

#include "dexcheck/diag.h"
#include "dexcheck/report.h"
#include "dexcheck/status.h"

/* Largest disposition file read (the bytes as stored, before decoding or inflating). */
#define DX_REVIEW_MAX_FILE (256u * 1024 * 1024)

/* One reviewed row. Strings are NUL-terminated UTF-8, trimmed, owned by the dx_review. */
typedef struct dx_review_row {
    const char *finding_id;       /* "F-" + 16 lower-case hex digits (checked) */
    dx_disposition disposition;   /* from include/dexcheck/report.h; never DX_DISP_NONE here */
    const char *reviewer;         /* required, non-empty */
    const char *date;             /* YYYY-MM-DD, a real calendar date (checked); required */
    const char *license_id;       /* required (non-empty) for cleared_with_licence, else NULL
                                   * or as given */
    const char *note;             /* may be NULL */
    unsigned long line;           /* CSV: physical line; workbook: sheet row number (1-based) */
    const char *sheet;            /* workbook: the sheet name; CSV: NULL */
} dx_review_row;

typedef struct dx_review dx_review;

/* Read a CSV or .xlsx (decided by content: a zip signature means a workbook) disposition file.
 * Every problem is a diagnostic (file:line:col); returns DX_ERR_INPUT when any row or the file
 * has an error (the caller then imports nothing), DX_ERR_IO when unreadable, DX_ERR_NOMEM. On
 * DX_OK and on DX_ERR_INPUT *out is set (so the caller can count rows), otherwise NULL. Caller frees *out
 * with dx_review_free. DX_ERR_INVALID (and *out NULL) when path, diags or out is NULL. */
dx_status dx_review_read(const char *path, dx_diags *diags, dx_review **out);

/* The same from bytes in memory (the fuzz target uses this). `bytes` is borrowed for the call
 * (may be NULL when len is 0); `path` names the file in diagnostics (NULL: ""). */
dx_status dx_review_read_bytes(const unsigned char *bytes, size_t len, const char *path,
                               dx_diags *diags, dx_review **out);

/* Rows with a disposition that passed every check, in file order (a repeat kept once). On
 * DX_ERR_INPUT these are the rows that were good; the caller imports none of them. */
size_t dx_review_count(const dx_review *r);
/* Borrowed, valid until dx_review_free; NULL when i is out of range. */
const dx_review_row *dx_review_row_at(const dx_review *r, size_t i);
/* Data rows seen (not the header, not wholly blank rows), blank disposition included. */
size_t dx_review_rows_read(const dx_review *r);
/* Rows without a disposition: not reviewed, skipped. */
size_t dx_review_rows_blank(const dx_review *r);
void dx_review_free(dx_review *r); /* accepts NULL */

#endif

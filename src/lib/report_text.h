/*
 * report_text.h — text for the report's outputs: JSON strings, guarded CSV fields, cleaned
 * UTF-8 for workbook cells, and display widths for fitting columns.
 *
 * Every function reads a NUL-terminated string that should be UTF-8 and repairs what is not:
 * each byte that does not start a valid, shortest-form sequence (or a surrogate, or a code
 * point above U+10FFFF) becomes U+FFFD. Appends go to a dx_strbuf and fail only with its
 * errors (DX_ERR_NOMEM, DX_ERR_LIMIT), leaving what was appended so far.
 *
 * Internal to the library.
 */
#ifndef DX_REPORT_TEXT_H
#define DX_REPORT_TEXT_H

#include <stddef.h>

#include "dexcheck/status.h"
#include "strbuf.h"

/* Append `s` as a JSON string with its quotes (RFC 8259: ", \ and control characters
 * escaped; everything else as UTF-8). */
dx_status dx_report_json_string(dx_strbuf *b, const char *s);

/* 1 when a spreadsheet would read `s` as a formula: it starts with = + - @ TAB or CR. */
int dx_report_csv_risky(const char *s);

/*
 * Append `s` as one CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, with
 * quotes doubled. When `guard` is set and dx_report_csv_risky(s), a single quote is put in
 * front (OWASP CSV injection), inside the quotes when there are any.
 */
dx_status dx_report_csv_field(dx_strbuf *b, const char *s, int guard);

/*
 * Append `s` repaired as above and cut to at most `max_chars` code points; when it had to be
 * cut, the last code points are replaced by `cut_note` so that the total stays within the
 * limit (Excel's cell limit is 32,767 characters).
 */
dx_status dx_report_clean_text(dx_strbuf *b, const char *s, size_t max_chars,
                               const char *cut_note);

/* 1 when `s` is valid UTF-8 (the cheap test before dx_report_clean_text). */
int dx_report_utf8_valid(const char *s);

/* Width of the longest line of `s` in character cells: East Asian wide and fullwidth
 * characters count 2, combining marks 0, the others 1. */
size_t dx_report_display_width(const char *s);

/* Lines `s` takes when wrapped in a column `width` character cells wide: each of its lines
 * (split at LF) takes 0.9 of its display width over the width, rounded up (a proportional
 * font's letters average about 0.9 of the digit that measures a column, which leaves room for
 * the space that word wrapping loses at line ends). 1 for an empty string. */
size_t dx_report_wrapped_lines(const char *s, double width);

#endif

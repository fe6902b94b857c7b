/*
 * review_read.c — reviewers' disposition files: CSV or the audit workbook (review_read.h).
 *
 * How it works. The two front ends turn their rows into one shape, a `raw_row`: for each of
 * the six roles (finding_id, disposition, reviewer, date, license_id, note) the trimmed text of
 * its cell, and its cell type in a workbook. The CSV front end gets rows from csvread.c (the
 * first row is the header); the workbook front end reads every "Findings" sheet with xlsx.c
 * (row 1 is the header). A header maps each role to a column, once per file or sheet; the data
 * rows then go through one checker, check_row, which reports every problem of a row (one error
 * per bad cell, so a file is fixed in one round) and keeps a good row: its strings are copied
 * into the review's arena and its finding id goes into a hash map, which is how a second row
 * for the same finding is found in constant time (kept once when it says the same, an error
 * citing the first when it does not).
 *
 * Nothing is dropped silently: a row that csvread.c delivers damaged has been reported and
 * counts as read; a header that cannot be used (a required column missing or twice, a damaged
 * header row, no row 1) is an error, after which the rows of that file or sheet are counted but
 * not checked. The status is decided at the end from the error diagnostics added during the
 * read, whoever added them (this file, csvread.c, encoding, xlsx.c): any error makes it
 * DX_ERR_INPUT, and the caller imports nothing.
 *
 * Why the workbook reads dates three ways: the workbook is written with dates as text, but
 * Excel turns a date a reviewer types into a day number (a serial, shown as a date by its
 * format), and other tools write ISO date cells (t="d"). All three mean a calendar day;
 * anything else (a time of day alone, "5/12/2026" typed as text) is an error rather than a
 * guess about day and month order.
 */
#include "review_read.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "readfile.h"
#include "arena.h"
#include "csvread.h"
#include "dexcheck/encoding.h"
#include "strmap.h"
#include "values.h"
#include "xlsx.h"
#include "xlsx_table.h"

enum { R_FINDING_ID, R_DISPOSITION, R_REVIEWER, R_DATE, R_LICENSE_ID, R_NOTE, R_COUNT };

/* Each role's column names, as matched by header_key; the first is the CSV's name. */
static const struct {
    const char *names[3];
    int required;
} ROLES[R_COUNT] = {
    {{"finding_id", NULL, NULL}, 1},      {{"disposition", NULL, NULL}, 1},
    {{"reviewer", NULL, NULL}, 1},        {{"date", "review_date", NULL}, 1},
    {{"license_id", "licence_id", NULL}, 0}, {{"note", NULL, NULL}, 0},
};

#define MAX_NAME 48    /* bytes of a header name kept for messages */
#define EXCERPT 64     /* bytes of a cell's text quoted in a message */
#define ID_LEN 18      /* "F-" + 16 hex digits */
#define DISP_MAX 32    /* longer text is no disposition */

struct dx_review {
    dx_arena arena; /* every string of every row, the sheet names */
    dx_review_row *rows;
    size_t n, cap;
    dx_strmap ids; /* finding_id -> index in rows */
    size_t rows_read, rows_blank;
};

typedef struct field {
    dx_xt_text t;           /* trimmed */
    dx_xlsx_cell_type type; /* TEXT for CSV */
} field;

typedef struct raw_row {
    unsigned long line; /* CSV line / sheet row */
    field f[R_COUNT];
    int bad; /* a problem already reported (an overlong cell) */
} raw_row;

/* A row with every field empty text. */
static void raw_init(raw_row *raw, unsigned long line)
{
    raw->line = line;
    raw->bad = 0;
    for (int role = 0; role < R_COUNT; role++)
        raw->f[role] = (field){{"", 0}, DX_XLSX_TEXT};
}

typedef struct reader {
    dx_review *r;
    dx_diags *diags;
    const char *path;
    const char *sheet;        /* workbook: the sheet being read (arena); CSV: NULL */
    unsigned column[R_COUNT]; /* 1-based column of each role; 0 when absent */
    char name[R_COUNT][MAX_NAME];
    int have_header;
    int unusable; /* the header failed: rows are counted, not checked */
} reader;

/* ---- the review ------------------------------------------------------------------------- */

void dx_review_free(dx_review *r)
{
    if (!r)
        return;
    dx_arena_free(&r->arena);
    dx_free(r->rows);
    dx_strmap_free(&r->ids);
    dx_free(r);
}

size_t dx_review_count(const dx_review *r) { return r ? r->n : 0; }
size_t dx_review_rows_read(const dx_review *r) { return r ? r->rows_read : 0; }
size_t dx_review_rows_blank(const dx_review *r) { return r ? r->rows_blank : 0; }

const dx_review_row *dx_review_row_at(const dx_review *r, size_t i)
{
    return r && i < r->n ? &r->rows[i] : NULL;
}

/* ---- diagnostics ------------------------------------------------------------------------ */

/*
 * An error or warning at a cell: CSV line / field, or sheet row / column with the sheet and the
 * cell reference at the start of the message. Column 0: the whole row.
 */
static dx_status cell_diag(reader *rd, dx_severity sev, unsigned long line, unsigned column,
                           const char *code, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
static dx_status cell_diag(reader *rd, dx_severity sev, unsigned long line, unsigned column,
                           const char *code, const char *hint, const char *fmt, ...)
{
    char where[96] = "", text[512];
    if (rd->sheet && column) {
        char letters[4];
        dx_xt_column_letters(column, letters);
        snprintf(where, sizeof where, "sheet '%s', cell %s%lu: ", rd->sheet, letters, line);
    } else if (rd->sheet) {
        snprintf(where, sizeof where, "sheet '%s', row %lu: ", rd->sheet, line);
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return dx_diags_add(rd->diags, sev, rd->path, line, column, code, hint, "%s%s", where, text);
}

/* The text for a message: one line, at most EXCERPT - 1 bytes. */
static const char *excerpt(dx_xt_text t, char buf[EXCERPT])
{
    return dx_xt_one_line(t, buf, EXCERPT);
}

/* The name of a role's column as the file writes it, else its usual name. */
static const char *role_name(const reader *rd, int role)
{
    if (rd->name[role][0])
        return rd->name[role];
    return role == R_DATE && rd->sheet ? "review_date" : ROLES[role].names[0];
}

/* ---- the header ------------------------------------------------------------------------- */

/* A header as matched: full-width folded, lower case, without spaces, '_', '-' and tabs. */
static void header_key(const char *text, size_t len, char *out, size_t cap)
{
    char folded[DX_VALUE_MAX];
    size_t n, o = 0;
    if (dx_value_fold(text, len, folded, sizeof folded, &n) != 0)
        n = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        char c = folded[i];
        if (c == ' ' || c == '_' || c == '-' || c == '\t')
            continue;
        out[o++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    out[o] = '\0';
}

/* The role a header names; -1 when none. */
static int header_role(const char *text, size_t len)
{
    char key[DX_VALUE_MAX], name[DX_VALUE_MAX];
    header_key(text, len, key, sizeof key);
    for (int role = 0; key[0] && role < R_COUNT; role++) {
        for (size_t k = 0; k < 3 && ROLES[role].names[k]; k++) {
            header_key(ROLES[role].names[k], strlen(ROLES[role].names[k]), name, sizeof name);
            if (strcmp(key, name) == 0)
                return role;
        }
    }
    return -1;
}

/* Note one header cell: the role it names, or an error when another column named it first. */
static dx_status header_cell(reader *rd, unsigned long line, unsigned column, const char *text,
                             size_t len)
{
    int role = header_role(text, len);
    if (role < 0)
        return DX_OK; /* another column: ignored */
    if (rd->column[role]) {
        char name[EXCERPT];
        excerpt((dx_xt_text){text, len}, name);
        rd->unusable = 1;
        return cell_diag(rd, DX_SEV_ERROR, line, column, "review.duplicate-column",
                         "remove one of the two columns; no row is imported",
                         "column '%s' means %s, like column %u", name, ROLES[role].names[0],
                         rd->column[role]);
    }
    rd->column[role] = column;
    dx_xt_one_line((dx_xt_text){text, len}, rd->name[role], MAX_NAME);
    return DX_OK;
}

/* After a header row: one error per required column it lacks. */
static dx_status header_done(reader *rd, unsigned long line)
{
    dx_status st = DX_OK;
    rd->have_header = 1;
    for (int role = 0; role < R_COUNT && st == DX_OK; role++) {
        if (!ROLES[role].required || rd->column[role])
            continue;
        rd->unusable = 1;
        st = cell_diag(rd, DX_SEV_ERROR, line, 0, "review.missing-column",
                       rd->sheet ? "the header row of a Findings sheet is row 1, as dexcheck "
                                   "screen writes it; no row is imported"
                                 : "the header row names the columns finding_id, disposition, "
                                   "reviewer, date, note, license_id; no row is imported",
                       "the required column '%s' is missing", role_name(rd, role));
    }
    return st;
}

static void header_reset(reader *rd)
{
    memset(rd->column, 0, sizeof rd->column);
    memset(rd->name, 0, sizeof rd->name);
    rd->have_header = 0;
    rd->unusable = 0;
}

/* ---- checking a row --------------------------------------------------------------------- */

static int is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

static int finding_id_ok(dx_xt_text t)
{
    if (t.len != ID_LEN || t.s[0] != 'F' || t.s[1] != '-')
        return 0;
    for (size_t i = 2; i < ID_LEN; i++)
        if (!is_lower_hex(t.s[i]))
            return 0;
    return 1;
}

/* 0: a calendar date YYYY-MM-DD (year 0001..9999); 1: not of that form; 2: no such day. */
static int iso_date(const char *s, size_t len)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return 1;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y == 0 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return 2;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && d == 29 && !leap ? 2 : 0;
}

/*
 * The date of a cell as YYYY-MM-DD into out: text as it is; in a workbook also a day number
 * (integer part of an Excel serial) or an ISO date cell with a time. 0 ok, else iso_date's 1/2.
 */
static int cell_date(const field *f, char out[11])
{
    dx_xt_text t = f->t;
    if (f->type == DX_XLSX_NUMBER) {
        size_t i = 0;
        while (i < t.len && t.s[i] >= '0' && t.s[i] <= '9')
            i++;
        if (i == t.len || (t.s[i] == '.' && i + 1 < t.len))
            return dx_xt_serial_date((dx_xt_text){t.s, i}, out) ? 0 : 2;
        return 1;
    }
    if (f->type == DX_XLSX_DATE && t.len > 10 && (t.s[10] == 'T' || t.s[10] == ' '))
        t.len = 10;
    int rc = iso_date(t.s, t.len);
    if (rc == 0) {
        memcpy(out, t.s, 10);
        out[10] = '\0';
    }
    return rc;
}

/* The finding id: checked, NUL-terminated into id. */
static dx_status check_id(reader *rd, const raw_row *row, char id[ID_LEN + 1], int *bad)
{
    dx_xt_text t = row->f[R_FINDING_ID].t;
    char ex[EXCERPT];
    if (finding_id_ok(t)) {
        memcpy(id, t.s, ID_LEN);
        id[ID_LEN] = '\0';
        return DX_OK;
    }
    *bad = 1;
    if (t.len == 0)
        return cell_diag(rd, DX_SEV_ERROR, row->line, rd->column[R_FINDING_ID],
                         "review.finding-id", "copy the finding_id of the result from the "
                         "workbook or the JSON output", "%s is empty: a disposition needs the "
                         "finding it is about", role_name(rd, R_FINDING_ID));
    return cell_diag(rd, DX_SEV_ERROR, row->line, rd->column[R_FINDING_ID], "review.finding-id",
                     "a finding id is F- and 16 lower-case hexadecimal digits, e.g. "
                     "F-2da89a281c2156d7", "%s '%s' is not a finding id",
                     role_name(rd, R_FINDING_ID), excerpt(t, ex));
}

static dx_status check_disposition(reader *rd, const raw_row *row, dx_disposition *disp,
                                   int *bad)
{
    dx_xt_text t = row->f[R_DISPOSITION].t;
    char name[DISP_MAX + 1], ex[EXCERPT];
    if (t.len <= DISP_MAX && !memchr(t.s, '\0', t.len)) {
        memcpy(name, t.s, t.len);
        name[t.len] = '\0';
        if (dx_disposition_parse(name, disp) == DX_OK && *disp != DX_DISP_NONE)
            return DX_OK;
    }
    *bad = 1;
    return cell_diag(rd, DX_SEV_ERROR, row->line, rd->column[R_DISPOSITION], "review.disposition",
                     "pick one of the drop-down's values, or leave the cell blank when the "
                     "result has not been reviewed",
                     "%s '%s' is not one of true_match, false_positive, escalated, "
                     "cleared_with_licence", role_name(rd, R_DISPOSITION), excerpt(t, ex));
}

static dx_status check_reviewer(reader *rd, const raw_row *row, int *bad)
{
    if (row->f[R_REVIEWER].t.len)
        return DX_OK;
    *bad = 1;
    return cell_diag(rd, DX_SEV_ERROR, row->line, rd->column[R_REVIEWER], "review.reviewer",
                     "write the name of the person who made the decision",
                     "%s is empty: a disposition needs who reviewed it",
                     role_name(rd, R_REVIEWER));
}

static dx_status check_date(reader *rd, const raw_row *row, char date[11], int *bad)
{
    const field *f = &row->f[R_DATE];
    char ex[EXCERPT];
    int rc = f->t.len ? cell_date(f, date) : 1;
    if (rc == 0)
        return DX_OK;
    *bad = 1;
    const char *hint = "write the date of the review as YYYY-MM-DD, e.g. 2026-12-01";
    if (f->t.len == 0)
        return cell_diag(rd, DX_SEV_ERROR, row->line, rd->column[R_DATE], "review.date", hint,
                         "%s is empty: a disposition needs the date of the review",
                         role_name(rd, R_DATE));
    return cell_diag(rd, DX_SEV_ERROR, row->line, rd->column[R_DATE], "review.date", hint,
                     rc == 2 ? "%s '%s' is not a day of the calendar"
                             : "%s '%s' is not a date of the form YYYY-MM-DD",
                     role_name(rd, R_DATE), excerpt(f->t, ex));
}

static dx_status check_licence(reader *rd, const raw_row *row, dx_disposition disp, int *bad)
{
    if (disp != DX_DISP_CLEARED_WITH_LICENCE || row->f[R_LICENSE_ID].t.len)
        return DX_OK;
    *bad = 1;
    if (!rd->column[R_LICENSE_ID])
        return cell_diag(rd, DX_SEV_ERROR, row->line, rd->column[R_DISPOSITION],
                         "review.license-id", "add a license_id column with the licence's id",
                         "cleared_with_licence needs the licence, but the file has no "
                         "license_id column");
    return cell_diag(rd, DX_SEV_ERROR, row->line, rd->column[R_LICENSE_ID], "review.license-id",
                     "write the id of the licence that covers the release",
                     "%s is empty: cleared_with_licence needs the licence",
                     role_name(rd, R_LICENSE_ID));
}

/* ---- keeping a row ---------------------------------------------------------------------- */

/* A copy of t in the arena; NULL for empty text (*st = DX_ERR_NOMEM when the copy fails). */
static const char *keep_text(dx_review *r, dx_xt_text t, dx_status *st)
{
    if (!t.len || *st != DX_OK)
        return NULL;
    const char *s = dx_arena_strndup(&r->arena, t.s, t.len);
    if (!s)
        *st = DX_ERR_NOMEM;
    return s;
}

static int same_text(const char *kept, dx_xt_text t)
{
    return kept ? strlen(kept) == t.len && memcmp(kept, t.s, t.len) == 0 : t.len == 0;
}

/* The first field in which a repeat differs from the kept row; NULL when it is the same. */
static const char *difference(const reader *rd, const dx_review_row *k, const raw_row *row,
                              dx_disposition disp, const char *date)
{
    if (k->disposition != disp)
        return role_name(rd, R_DISPOSITION);
    if (!same_text(k->reviewer, row->f[R_REVIEWER].t))
        return role_name(rd, R_REVIEWER);
    if (strcmp(k->date, date) != 0)
        return role_name(rd, R_DATE);
    if (!same_text(k->license_id, row->f[R_LICENSE_ID].t))
        return role_name(rd, R_LICENSE_ID);
    if (!same_text(k->note, row->f[R_NOTE].t))
        return role_name(rd, R_NOTE);
    return NULL;
}

/* A repeat of a kept finding: nothing when it says the same, else an error citing the first. */
static dx_status repeat(reader *rd, const raw_row *row, size_t first, dx_disposition disp,
                        const char *date)
{
    const dx_review_row *k = &rd->r->rows[first];
    const char *what = difference(rd, k, row, disp, date);
    if (!what)
        return DX_OK;
    char at[96];
    if (k->sheet)
        snprintf(at, sizeof at, "sheet '%s' row %lu", k->sheet, k->line);
    else
        snprintf(at, sizeof at, "line %lu", k->line);
    return cell_diag(rd, DX_SEV_ERROR, row->line, rd->column[R_FINDING_ID], "review.duplicate",
                     "keep one decision per finding: remove or correct one of the two rows",
                     "finding %s was already reviewed at %s with a different %s", k->finding_id,
                     at, what);
}

/* Keep a checked row (or notice it repeats one). */
static dx_status keep_row(reader *rd, const raw_row *row, const char *id, dx_disposition disp,
                          const char *date)
{
    dx_review *r = rd->r;
    size_t first;
    if (dx_strmap_get(&r->ids, id, &first))
        return repeat(rd, row, first, disp, date);
    dx_status st = dx_grow_array((void **)&r->rows, &r->cap, r->n + 1, sizeof *r->rows);
    if (st != DX_OK)
        return st;
    dx_review_row *k = &r->rows[r->n];
    memset(k, 0, sizeof *k);
    k->finding_id = keep_text(r, (dx_xt_text){id, ID_LEN}, &st);
    k->disposition = disp;
    k->reviewer = keep_text(r, row->f[R_REVIEWER].t, &st);
    k->date = keep_text(r, (dx_xt_text){date, 10}, &st);
    k->license_id = keep_text(r, row->f[R_LICENSE_ID].t, &st);
    k->note = keep_text(r, row->f[R_NOTE].t, &st);
    k->line = row->line;
    k->sheet = rd->sheet;
    int inserted;
    if (st == DX_OK)
        st = dx_strmap_put(&r->ids, k->finding_id, r->n, &inserted, NULL);
    if (st == DX_OK)
        r->n++;
    return st;
}

/* A row without a disposition that says something all the same: a warning, not an error. */
static dx_status not_reviewed(reader *rd, const raw_row *row)
{
    static const int said[] = {R_REVIEWER, R_DATE, R_LICENSE_ID, R_NOTE};
    for (size_t i = 0; i < sizeof said / sizeof *said; i++) {
        if (row->f[said[i]].t.len)
            return cell_diag(rd, DX_SEV_WARNING, row->line, rd->column[R_DISPOSITION],
                             "review.no-disposition",
                             "pick a disposition for the row to be imported",
                             "%s is blank, so this row is not imported although it has a %s",
                             role_name(rd, R_DISPOSITION), role_name(rd, said[i]));
    }
    return DX_OK;
}

/* Every check of a data row, each problem reported; a good row is kept. */
static dx_status check_row(reader *rd, const raw_row *row)
{
    rd->r->rows_read++;
    if (rd->unusable)
        return DX_OK; /* the header's errors stand for the rows */
    if (!row->f[R_DISPOSITION].t.len) {
        rd->r->rows_blank++;
        return not_reviewed(rd, row);
    }
    int bad = row->bad;
    char id[ID_LEN + 1], date[11];
    dx_disposition disp = DX_DISP_NONE;
    dx_status st = check_id(rd, row, id, &bad);
    if (st == DX_OK)
        st = check_disposition(rd, row, &disp, &bad);
    if (st == DX_OK)
        st = check_reviewer(rd, row, &bad);
    if (st == DX_OK)
        st = check_date(rd, row, date, &bad);
    if (st == DX_OK)
        st = check_licence(rd, row, disp, &bad);
    if (st == DX_OK && !bad)
        st = keep_row(rd, row, id, disp, date);
    return st;
}

/* ---- CSV -------------------------------------------------------------------------------- */

static dx_status csv_header(reader *rd, const dx_csv_row *row)
{
    dx_status st = DX_OK;
    for (size_t i = 0; i < row->n_fields && st == DX_OK; i++)
        st = header_cell(rd, row->line, (unsigned)(i + 1), row->fields[i], row->lens[i]);
    if (st == DX_OK && row->damaged) {
        rd->unusable = 1;
        st = cell_diag(rd, DX_SEV_ERROR, row->line, 0, "review.bad-header",
                       "fix the header row; no row is imported",
                       "the header row has problems (above), so its columns cannot be known");
    }
    return st == DX_OK ? header_done(rd, row->line) : st;
}

static dx_status on_csv_row(void *ctx, const dx_csv_row *row)
{
    reader *rd = ctx;
    if (!rd->have_header)
        return csv_header(rd, row);
    if (row->damaged) {
        rd->r->rows_read++; /* reported by csvread.c; an error, so nothing is imported */
        return DX_OK;
    }
    raw_row raw;
    raw_init(&raw, row->line);
    for (int role = 0; role < R_COUNT; role++) {
        unsigned c = rd->column[role];
        if (c && c <= row->n_fields)
            raw.f[role].t = dx_xt_trim(row->fields[c - 1], row->lens[c - 1], dx_xt_is_space);
    }
    return check_row(rd, &raw);
}

static dx_status read_csv(reader *rd, const unsigned char *bytes, size_t len)
{
    dx_decoded d = {0};
    dx_status st = dx_decode(bytes, len, DX_ENC_AUTO, (size_t)4 * DX_REVIEW_MAX_FILE, &d);
    if (st == DX_ERR_ENCODING || st == DX_ERR_LIMIT) {
        st = dx_diags_add(rd->diags, DX_SEV_ERROR, rd->path, 0, 0, "review.encoding",
                          "save the file as UTF-8 (or the CSV of the audit workbook); nothing "
                          "is imported",
                          st == DX_ERR_LIMIT ? "the decoded file is larger than %u bytes"
                                             : "more than %u byte sequences cannot be decoded: "
                                               "the file is not text in a supported encoding",
                          st == DX_ERR_LIMIT ? 4 * DX_REVIEW_MAX_FILE : DX_DECODE_MAX_ERRORS);
        return st != DX_OK ? st : DX_ERR_INPUT;
    }
    if (st != DX_OK)
        return st;
    dx_csv_source src = {rd->path, &d, 0};
    st = dx_csv_read(&src, rd->diags, on_csv_row, rd, NULL);
    dx_decoded_free(&d);
    if (st == DX_OK && !rd->have_header)
        st = dx_diags_add(rd->diags, DX_SEV_ERROR, rd->path, 0, 0, "review.empty",
                          "a disposition file starts with a header row: finding_id, "
                          "disposition, reviewer, date, note, license_id",
                          "the file is empty: no header row and no dispositions");
    return st;
}

/* ---- the workbook ----------------------------------------------------------------------- */

/* "Findings" or a continuation "Findings (N)", N from 2 (at most 7 digits). */
static int findings_sheet(const char *name)
{
    static const char base[] = "Findings";
    if (strncmp(name, base, sizeof base - 1) != 0)
        return 0;
    const char *p = name + sizeof base - 1;
    if (!*p)
        return 1;
    if (p[0] != ' ' || p[1] != '(' || p[2] < '1' || p[2] > '9')
        return 0;
    size_t digits = strspn(p + 2, "0123456789");
    return digits <= 7 && strcmp(p + 2 + digits, ")") == 0 && !(digits == 1 && p[2] == '1');
}

static dx_status xlsx_header(reader *rd, const dx_xlsx_row *row)
{
    dx_status st = DX_OK;
    rd->have_header = 1;
    if (row->number != 1) {
        rd->unusable = 1;
        return cell_diag(rd, DX_SEV_ERROR, 1, 0, "review.no-header",
                         "row 1 of a Findings sheet holds the column names dexcheck screen "
                         "wrote; no row is imported",
                         "row 1 is empty: the sheet has no header row");
    }
    for (size_t i = 0; i < row->n_cells && st == DX_OK; i++)
        st = header_cell(rd, row->number, row->cells[i].column, row->cells[i].value,
                         row->cells[i].len);
    return st == DX_OK ? header_done(rd, row->number) : st;
}

/* A data row of a sheet as a raw row: each role's cell, first of its column. */
static dx_status xlsx_row(reader *rd, const dx_xlsx_row *row)
{
    raw_row raw;
    raw_init(&raw, row->number);
    unsigned seen = 0;
    dx_status st = DX_OK;
    for (size_t i = 0; i < row->n_cells && st == DX_OK; i++) {
        const dx_xlsx_cell *c = &row->cells[i];
        for (int role = 0; role < R_COUNT; role++) {
            if (c->column != rd->column[role] || (seen & (1u << role)))
                continue;
            seen |= 1u << role;
            raw.f[role].type = c->type;
            raw.f[role].t = dx_xt_trim(c->value, c->len, dx_xt_is_space);
            if (c->len > DX_CSV_MAX_FIELD) {
                raw.bad = 1;
                raw.f[role].t.len = 0;
                st = cell_diag(rd, DX_SEV_ERROR, row->number, c->column, "review.too-long",
                               "a reviewer's cell holds at most 64 KiB of text",
                               "%s is %zu bytes long; the limit is %u", role_name(rd, role),
                               c->len, (unsigned)DX_CSV_MAX_FIELD);
            }
        }
    }
    return st == DX_OK ? check_row(rd, &raw) : st;
}

/* Every row of one Findings sheet. Problems of the sheet's XML are reported by xlsx.c and end
 * the sheet; the other sheets are still read. */
static dx_status read_sheet(reader *rd, dx_xlsx *x, size_t sheet)
{
    const char *name = dx_xlsx_sheet_name(x, sheet);
    header_reset(rd);
    if (!(rd->sheet = dx_arena_strndup(&rd->r->arena, name, strlen(name))))
        return DX_ERR_NOMEM;
    dx_xlsx_rows *rows = NULL;
    const dx_xlsx_row *row;
    dx_status st = dx_xlsx_rows_open(x, sheet, &rows);
    while (st == DX_OK && (st = dx_xlsx_rows_next(rows, &row)) == DX_OK && row) {
        if (dx_xt_row_blank(row, dx_xt_is_space))
            continue;
        st = rd->have_header ? xlsx_row(rd, row) : xlsx_header(rd, row);
    }
    dx_xlsx_rows_free(rows);
    if (st == DX_OK && !rd->have_header)
        st = cell_diag(rd, DX_SEV_ERROR, 1, 0, "review.no-header",
                       "row 1 of a Findings sheet holds the column names dexcheck screen "
                       "wrote; no row is imported", "the sheet is empty: no header row");
    return st == DX_ERR_INPUT || st == DX_ERR_LIMIT ? DX_OK : st; /* reported by xlsx.c */
}

static dx_status read_workbook(reader *rd, const unsigned char *bytes, size_t len)
{
    dx_xlsx *x = NULL;
    dx_status st = dx_xlsx_open(bytes, len, rd->path, NULL, rd->diags, &x);
    if (st != DX_OK)
        return st;
    size_t found = 0;
    for (size_t i = 0; i < dx_xlsx_sheet_count(x) && st == DX_OK; i++) {
        if (findings_sheet(dx_xlsx_sheet_name(x, i))) {
            found++;
            st = read_sheet(rd, x, i);
        }
    }
    dx_xlsx_free(x);
    rd->sheet = NULL;
    if (st == DX_OK && !found)
        st = dx_diags_add(rd->diags, DX_SEV_ERROR, rd->path, 0, 0, "review.no-findings",
                          "import the audit workbook dexcheck screen -o wrote, with its "
                          "reviewer columns filled in, or a CSV of dispositions",
                          "the workbook has no sheet called 'Findings': it is not an audit "
                          "workbook of dexcheck screen");
    return st;
}

/* ---- entry points ----------------------------------------------------------------------- */

/* A zip's local header, end of central directory (an empty archive) or spanning marker. */
static int zip_signature(const unsigned char *b, size_t len)
{
    return len >= 4 && b[0] == 'P' && b[1] == 'K' &&
           ((b[2] == 3 && b[3] == 4) || (b[2] == 5 && b[3] == 6) || (b[2] == 7 && b[3] == 8));
}

static dx_status review_new(dx_review **out)
{
    dx_review *r = dx_calloc(1, sizeof *r);
    if (!r)
        return DX_ERR_NOMEM;
    r->arena = (dx_arena)DX_ARENA_INIT;
    r->ids = (dx_strmap)DX_STRMAP_INIT;
    *out = r;
    return DX_OK;
}

/* The status of a read that ended with `st`: DX_ERR_INPUT when an error was reported. */
static dx_status verdict(dx_status st, const dx_diags *diags, size_t errors_before)
{
    if (st != DX_OK && st != DX_ERR_INPUT && st != DX_ERR_LIMIT)
        return st;
    return st != DX_OK || dx_diags_count_severity(diags, DX_SEV_ERROR) > errors_before
               ? DX_ERR_INPUT
               : DX_OK;
}

dx_status dx_review_read_bytes(const unsigned char *bytes, size_t len, const char *path,
                               dx_diags *diags, dx_review **out)
{
    if (out)
        *out = NULL;
    if (!diags || !out || (!bytes && len))
        return DX_ERR_INVALID;
    reader rd = {.diags = diags, .path = path ? path : ""};
    size_t errors = dx_diags_count_severity(diags, DX_SEV_ERROR);
    dx_status st = review_new(&rd.r);
    if (st != DX_OK)
        return st;
    if (len > DX_REVIEW_MAX_FILE)
        st = dx_diags_add(diags, DX_SEV_ERROR, rd.path, 0, 0, "review.too-large", NULL,
                          "the file is %zu bytes; the limit is %u", len, DX_REVIEW_MAX_FILE);
    else if (zip_signature(bytes, len))
        st = read_workbook(&rd, bytes, len);
    else
        st = read_csv(&rd, bytes ? bytes : (const unsigned char *)"", len);
    st = verdict(st, diags, errors);
    if (st == DX_OK || st == DX_ERR_INPUT)
        *out = rd.r;
    else
        dx_review_free(rd.r);
    return st;
}

dx_status dx_review_read(const char *path, dx_diags *diags, dx_review **out)
{
    if (out)
        *out = NULL;
    if (!path || !diags || !out)
        return DX_ERR_INVALID;
    unsigned char *bytes = NULL;
    size_t len = 0;
    dx_status st = dx_read_whole_file(path, DX_REVIEW_MAX_FILE, "review", "disposition file",
                                      diags, &bytes, &len);
    if (st == DX_OK)
        st = dx_review_read_bytes(bytes, len, path, diags, out);
    else if (st == DX_ERR_LIMIT && (st = review_new(out)) == DX_OK)
        st = DX_ERR_INPUT; /* reported: a file too large to read has no row to count */
    dx_free(bytes);
    return st;
}

/*
 * test_review_read.c — reviewers' disposition files (src/lib/review_read.c).
 *
 * CSV files are given as bytes (UTF-8, CP932, UTF-16LE); workbooks are real .xlsx files made
 * in a temporary folder two ways: by the report writer itself (dexcheck/report.h, the same
 * code that writes `dexcheck screen -o`), with results that carry dispositions and a small
 * sheet_rows so that the table continues on "Findings (2)" and "Findings (3)"; and with
 * libxlsxwriter as Excel leaves a workbook a reviewer edited (a date typed into a cell becomes
 * a day number with a date format). Every diagnostic is checked by code, line, column and the
 * telling part of its message.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "alloc.h"
#include "dexcheck/report.h"
#include "review_read.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/dx-review-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dx_alloc_fail_after(-1);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *path_in(const char *name)
{
    static char buf[4][128];
    static int n;
    char *p = buf[n++ % 4];
    snprintf(p, 128, "%s/%s", dir, name);
    return p;
}

/* The bytes of a file (caller frees). */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)size + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)size, fp), (size_t)size);
    fclose(fp);
    *len = (size_t)size;
    return b;
}

/* ---- reading and looking at the result -------------------------------------------------- */

typedef struct got {
    dx_diags *diags;
    dx_review *r;
    dx_status st;
} got;

static got read_bytes(const void *bytes, size_t len, const char *path)
{
    got g = {0};
    assert_int_equal(dx_diags_new(&g.diags), DX_OK);
    g.st = dx_review_read_bytes(bytes, len, path, g.diags, &g.r);
    return g;
}

static got read_text(const char *text)
{
    return read_bytes(text, strlen(text), "review.csv");
}

static void got_free(got *g)
{
    dx_review_free(g->r);
    dx_diags_free(g->diags);
    memset(g, 0, sizeof *g);
}

static void dump(const dx_diags *diags)
{
    for (size_t i = 0; i < dx_diags_count(diags); i++) {
        const dx_diag *d = dx_diags_get(diags, i);
        print_message("  have %s:%lu:%lu %s [%s] %s\n", d->source, d->line, d->column,
                      dx_severity_str(d->severity), d->code, d->message);
    }
}

/* The status, showing the diagnostics when it is not the one expected. */
static void expect_status(dx_status have, dx_status want, const dx_diags *diags)
{
    if (have != want) {
        dump(diags);
        fail_msg("status %s, expected %s", dx_status_name(have), dx_status_name(want));
    }
}

static size_t errors(const got *g)
{
    return dx_diags_count_severity(g->diags, DX_SEV_ERROR);
}

/* The diagnostic with this code at line:col whose message contains `text`; fails otherwise. */
static const dx_diag *expect_diag(const got *g, dx_severity sev, const char *code,
                                  unsigned long line, unsigned long col, const char *text)
{
    for (size_t i = 0; i < dx_diags_count(g->diags); i++) {
        const dx_diag *d = dx_diags_get(g->diags, i);
        if (d->severity == sev && strcmp(d->code, code) == 0 && d->line == line &&
            d->column == col && strstr(d->message, text))
            return d;
    }
    dump(g->diags);
    fail_msg("no %s %s at %lu:%lu with '%s'", dx_severity_str(sev), code, line, col, text);
    return NULL;
}

static const dx_review_row *row_of(const got *g, const char *finding_id)
{
    for (size_t i = 0; i < dx_review_count(g->r); i++) {
        const dx_review_row *w = dx_review_row_at(g->r, i);
        if (strcmp(w->finding_id, finding_id) == 0)
            return w;
    }
    fail_msg("no row for %s", finding_id);
    return NULL;
}

static void assert_opt_string(const char *have, const char *want)
{
    if (!want)
        assert_null(have);
    else
        assert_string_equal(have, want);
}

static void expect_row(const got *g, const char *id, dx_disposition disp, const char *reviewer,
                       const char *date, const char *licence, const char *note,
                       unsigned long line, const char *sheet)
{
    const dx_review_row *w = row_of(g, id);
    assert_int_equal(w->disposition, disp);
    assert_string_equal(w->reviewer, reviewer);
    assert_string_equal(w->date, date);
    assert_opt_string(w->license_id, licence);
    assert_opt_string(w->note, note);
    assert_int_equal(w->line, line);
    assert_opt_string(w->sheet, sheet);
}

/* ---- CSV -------------------------------------------------------------------------------- */

static const char GOOD_CSV[] =
    "\xEF\xBB\xBF"
    "Finding ID,Status,DISPOSITION,Reviewer,Review_Date,Note,License ID\n"
    "F-2da89a281c2156d7,needs attention,false_positive,Sato Kenichi,2026-12-02,"
    "\"another person,\nsame name\",\n"
    "F-eab8747873e597fc,,  True_Match ,Ito,2026-12-03,,\n"
    "F-0123456789abcdef,,cleared_with_licence,Ito,2028-02-29,, JP-2026-001 \n"
    "F-00000000000000aa,,,,,,\n"
    "\n"
    "F-eab8747873e597fc,,true_match,Ito,2026-12-03,,\n"
    "F-1111111111111111,,escalated,Ito,2026-12-04,to the committee,L-9\n";

static void test_csv_good(void **state)
{
    (void)state;
    got g = read_text(GOOD_CSV);
    expect_status(g.st, DX_OK, g.diags);
    assert_int_equal(dx_diags_count(g.diags), 0);
    assert_int_equal(dx_review_rows_read(g.r), 6);  /* the blank line is no row */
    assert_int_equal(dx_review_rows_blank(g.r), 1);
    assert_int_equal(dx_review_count(g.r), 4);      /* the identical repeat is kept once */
    expect_row(&g, "F-2da89a281c2156d7", DX_DISP_FALSE_POSITIVE, "Sato Kenichi", "2026-12-02",
               NULL, "another person,\nsame name", 2, NULL);
    expect_row(&g, "F-eab8747873e597fc", DX_DISP_TRUE_MATCH, "Ito", "2026-12-03", NULL, NULL, 4,
               NULL);
    expect_row(&g, "F-0123456789abcdef", DX_DISP_CLEARED_WITH_LICENCE, "Ito", "2028-02-29",
               "JP-2026-001", NULL, 5, NULL);
    expect_row(&g, "F-1111111111111111", DX_DISP_ESCALATED, "Ito", "2026-12-04", "L-9",
               "to the committee", 9, NULL);
    assert_string_equal(dx_review_row_at(g.r, 0)->finding_id, "F-2da89a281c2156d7");
    assert_null(dx_review_row_at(g.r, 4));
    got_free(&g);
}

/* CP932 as Excel saves a CSV in Japan; the columns in another order, "date" and licence_id. */
static void test_csv_cp932(void **state)
{
    (void)state;
    static const char cp932[] =
        "disposition,finding_id,date,reviewer,note,licence_id\r\n"
        "false_positive,F-2da89a281c2156d7,2026-12-02,"
        "\x8d\xb2\x93\xa1\x20\x8c\x92\x88\xea" ","                       /* 佐藤 健一 */
        "\x93\xaf\x90\xa9\x93\xaf\x96\xbc\x82\xcc\x95\xca\x90\x6c\x82\xc5\x82\xb7" ",\r\n"
        "escalated,F-eab8747873e597fc,2026-12-03,"
        "\x8d\xb2\x93\xa1\x20\x8c\x92\x88\xea" ","
        "\x8a\x6d\x94\x46\x8d\xcf\x82\xdd" ": " "\x95\xca\x90\x6c" ",\r\n"; /* 確認済み: 別人 */
    got g = read_text(cp932);
    expect_status(g.st, DX_OK, g.diags);
    assert_int_equal(dx_diags_count(g.diags), 0);
    assert_int_equal(dx_review_count(g.r), 2);
    expect_row(&g, "F-2da89a281c2156d7", DX_DISP_FALSE_POSITIVE, "佐藤 健一", "2026-12-02", NULL,
               "同姓同名の別人です", 2, NULL);
    expect_row(&g, "F-eab8747873e597fc", DX_DISP_ESCALATED, "佐藤 健一", "2026-12-03", NULL,
               "確認済み: 別人", 3, NULL);
    got_free(&g);
}

/* UTF-16LE with BOM, tab-separated: Excel's "Unicode text". */
static void test_csv_utf16(void **state)
{
    (void)state;
    static const char text[] = "finding_id\tdisposition\treviewer\treview_date\n"
                               "F-2da89a281c2156d7\tfalse_positive\t佐藤\t2026-12-02\n";
    unsigned char buf[512];
    size_t n = 0;
    buf[n++] = 0xFF, buf[n++] = 0xFE;
    for (const unsigned char *p = (const unsigned char *)text; *p;) {
        unsigned cp = *p++;
        if (cp >= 0xE0) { /* the three-byte sequences of 佐藤 */
            cp = ((cp & 0x0F) << 12) | ((p[0] & 0x3Fu) << 6) | (p[1] & 0x3Fu);
            p += 2;
        }
        buf[n++] = (unsigned char)(cp & 0xFF), buf[n++] = (unsigned char)(cp >> 8);
    }
    got g = read_bytes(buf, n, "review.txt");
    expect_status(g.st, DX_OK, g.diags);
    assert_int_equal(dx_diags_count(g.diags), 0);
    assert_int_equal(dx_review_count(g.r), 1);
    expect_row(&g, "F-2da89a281c2156d7", DX_DISP_FALSE_POSITIVE, "佐藤", "2026-12-02", NULL, NULL,
               2, NULL);
    got_free(&g);
}

/* Every kind of bad value, each reported at its line and column, all in one pass. */
static const char BAD_CSV[] =
    "finding_id,disposition,reviewer,date,note,license_id\n"
    "F-2DA89A281C2156D7,false_positive,Sato,2026-12-02,,\n"          /* 2: upper-case hex */
    ",true_match,Sato,2026-12-02,,\n"                                /* 3: no finding id */
    "F-2da89a281c2156,true_match,Sato,2026-12-02,,\n"                /* 4: too short */
    "F-0000000000000004,cleared,Sato,2026-12-02,,\n"                 /* 5: unknown disposition */
    "F-0000000000000005,escalated, ,2026-12-02,,\n"                  /* 6: no reviewer */
    "F-0000000000000006,escalated,Sato,,,\n"                         /* 7: no date */
    "F-0000000000000007,escalated,Sato,2026/12/02,,\n"               /* 8: not ISO */
    "F-0000000000000008,escalated,Sato,2025-02-29,,\n"               /* 9: no such day */
    "F-0000000000000009,cleared_with_licence,Sato,2026-12-02,,\n"    /* 10: no licence */
    "F-000000000000000a,escalated,Sato,2026-12-02,first,\n"          /* 11: good */
    "F-000000000000000a,escalated,Sato,2026-12-02,second,\n"         /* 12: different repeat */
    "bad id,maybe,,31.12.2026,,\n"                                   /* 13: four at once */
    "F-000000000000000b,true_match,Ito,2026-12-05,,\n";              /* 14: good */

static void test_csv_bad_values(void **state)
{
    (void)state;
    got g = read_text(BAD_CSV);
    expect_status(g.st, DX_ERR_INPUT, g.diags);
    assert_non_null(g.r);
    expect_diag(&g, DX_SEV_ERROR, "review.finding-id", 2, 1, "'F-2DA89A281C2156D7' is not a finding id");
    expect_diag(&g, DX_SEV_ERROR, "review.finding-id", 3, 1, "finding_id is empty");
    expect_diag(&g, DX_SEV_ERROR, "review.finding-id", 4, 1, "'F-2da89a281c2156'");
    expect_diag(&g, DX_SEV_ERROR, "review.disposition", 5, 2,
                "disposition 'cleared' is not one of true_match, false_positive, escalated, "
                "cleared_with_licence");
    expect_diag(&g, DX_SEV_ERROR, "review.reviewer", 6, 3, "reviewer is empty");
    expect_diag(&g, DX_SEV_ERROR, "review.date", 7, 4, "date is empty");
    expect_diag(&g, DX_SEV_ERROR, "review.date", 8, 4, "'2026/12/02' is not a date of the form YYYY-MM-DD");
    expect_diag(&g, DX_SEV_ERROR, "review.date", 9, 4, "'2025-02-29' is not a day of the calendar");
    expect_diag(&g, DX_SEV_ERROR, "review.license-id", 10, 6, "cleared_with_licence needs the licence");
    expect_diag(&g, DX_SEV_ERROR, "review.duplicate", 12, 1,
                "finding F-000000000000000a was already reviewed at line 11 with a different note");
    expect_diag(&g, DX_SEV_ERROR, "review.finding-id", 13, 1, "'bad id'");
    expect_diag(&g, DX_SEV_ERROR, "review.disposition", 13, 2, "'maybe'");
    expect_diag(&g, DX_SEV_ERROR, "review.reviewer", 13, 3, "reviewer is empty");
    expect_diag(&g, DX_SEV_ERROR, "review.date", 13, 4, "'31.12.2026'");
    assert_int_equal(errors(&g), 14);
    assert_int_equal(dx_diags_count(g.diags), 14);
    assert_int_equal(dx_review_rows_read(g.r), 13);
    assert_int_equal(dx_review_rows_blank(g.r), 0);
    assert_int_equal(dx_review_count(g.r), 2); /* the good rows, which the caller will not import */
    expect_row(&g, "F-000000000000000a", DX_DISP_ESCALATED, "Sato", "2026-12-02", NULL, "first",
               11, NULL);
    got_free(&g);
}

static void test_csv_dates(void **state)
{
    (void)state;
    static const struct {
        const char *date;
        int ok;
    } cases[] = {
        {"2024-02-29", 1}, {"2000-02-29", 1}, {"1900-02-29", 0}, {"2026-04-31", 0},
        {"2026-12-31", 1}, {"2026-13-01", 0}, {"2026-00-10", 0}, {"0000-01-01", 0},
        {"9999-12-31", 1}, {"2026-1-01", 0},  {"2026-12-01T00:00", 0}, {"46000", 0},
        {" 2026-12-01 ", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[256];
        snprintf(text, sizeof text,
                 "finding_id,disposition,reviewer,date\nF-0000000000000001,escalated,r,%s\n",
                 cases[i].date);
        got g = read_text(text);
        if (g.st != (cases[i].ok ? DX_OK : DX_ERR_INPUT))
            fail_msg("date '%s': %s", cases[i].date, dx_status_name(g.st));
        if (!cases[i].ok)
            expect_diag(&g, DX_SEV_ERROR, "review.date", 2, 4, "date '");
        got_free(&g);
    }
}

/* A row without a disposition is not reviewed: counted, not checked, warned about when it says
 * something all the same. */
static void test_csv_blank_dispositions(void **state)
{
    (void)state;
    got g = read_text("finding_id,disposition,reviewer,date,note\n"
                      "F-0000000000000001,,,,\n"
                      "not even an id, ,,,\n"
                      "F-0000000000000003,,Sato,,looked at it\n"
                      "F-0000000000000004,escalated,Sato,2026-12-01,\n"
                      ",,,,\n");
    expect_status(g.st, DX_OK, g.diags);
    assert_int_equal(dx_review_rows_read(g.r), 4); /* the wholly blank line is no row */
    assert_int_equal(dx_review_rows_blank(g.r), 3);
    assert_int_equal(dx_review_count(g.r), 1);
    assert_int_equal(errors(&g), 0);
    expect_diag(&g, DX_SEV_WARNING, "review.no-disposition", 4, 2,
                "disposition is blank, so this row is not imported although it has a reviewer");
    assert_int_equal(dx_diags_count(g.diags), 1);
    got_free(&g);
}

static void test_csv_header_problems(void **state)
{
    (void)state;
    got g = read_text("Finding_ID,Note,Whatever\nF-0000000000000001,x,y\n,,z\n");
    expect_status(g.st, DX_ERR_INPUT, g.diags);
    expect_diag(&g, DX_SEV_ERROR, "review.missing-column", 1, 0, "'disposition' is missing");
    expect_diag(&g, DX_SEV_ERROR, "review.missing-column", 1, 0, "'reviewer' is missing");
    expect_diag(&g, DX_SEV_ERROR, "review.missing-column", 1, 0, "'date' is missing");
    assert_int_equal(errors(&g), 3);
    assert_int_equal(dx_review_rows_read(g.r), 2);
    assert_int_equal(dx_review_count(g.r), 0);
    got_free(&g);

    g = read_text("finding_id,disposition,reviewer,date,Review Date\n"
                  "F-0000000000000001,escalated,r,2026-12-01,2026-12-02\n");
    expect_status(g.st, DX_ERR_INPUT, g.diags);
    expect_diag(&g, DX_SEV_ERROR, "review.duplicate-column", 1, 5,
                "column 'Review Date' means date, like column 4");
    assert_int_equal(errors(&g), 1);
    assert_int_equal(dx_review_count(g.r), 0);
    got_free(&g);

    /* no license_id column: only a cleared_with_licence row needs one */
    g = read_text("finding_id,disposition,reviewer,date\n"
                  "F-0000000000000001,escalated,r,2026-12-01\n"
                  "F-0000000000000002,cleared_with_licence,r,2026-12-01\n");
    expect_status(g.st, DX_ERR_INPUT, g.diags);
    expect_diag(&g, DX_SEV_ERROR, "review.license-id", 3, 2, "the file has no license_id column");
    assert_int_equal(errors(&g), 1);
    got_free(&g);

    g = read_text("");
    expect_status(g.st, DX_ERR_INPUT, g.diags);
    expect_diag(&g, DX_SEV_ERROR, "review.empty", 0, 0, "the file is empty");
    assert_int_equal(dx_review_rows_read(g.r), 0);
    got_free(&g);

    g = read_text("finding_id,disposition,reviewer,date\n");
    expect_status(g.st, DX_OK, g.diags);
    assert_int_equal(dx_review_rows_read(g.r), 0);
    got_free(&g);
}

/* Rows csvread.c rejects are counted as read and make the file fail; the good rows around
 * them are still checked, and undecodable bytes are errors, never replaced silently. */
static void test_csv_damaged_rows(void **state)
{
    (void)state;
    got g = read_text("finding_id,disposition,reviewer,date\n"
                      "F-0000000000000001,escalated,r,2026-12-01\n"
                      "F-0000000000000002,escalated,\"r,2026-12-01\n"
                      "F-0000000000000003,escalated,r,2026-12-01\n"
                      "F-0000000000000004,escalated,r,2026-12-99\n");
    expect_status(g.st, DX_ERR_INPUT, g.diags);
    assert_true(errors(&g) >= 2);
    expect_diag(&g, DX_SEV_ERROR, "review.date", 5, 4, "'2026-12-99'");
    assert_int_equal(dx_review_rows_read(g.r), 4);
    got_free(&g);

    g = read_text("\xEF\xBB\xBF" /* UTF-8 by its BOM, so 0xFF cannot be a character */
                  "finding_id,disposition,reviewer,date\n"
                  "F-0000000000000001,escalated,Sa\xff" "to,2026-12-01\n");
    expect_status(g.st, DX_ERR_INPUT, g.diags);
    assert_true(errors(&g) >= 1);
    assert_int_equal(dx_review_count(g.r), 0);
    assert_int_equal(dx_review_rows_read(g.r), 1);
    got_free(&g);

    /* a damaged header: its columns cannot be known */
    g = read_text("finding_id,\"disposition,reviewer,date\n"
                  "F-0000000000000001,escalated,r,2026-12-01\n");
    expect_status(g.st, DX_ERR_INPUT, g.diags);
    assert_int_equal(dx_review_count(g.r), 0);
    got_free(&g);
}

/* The CSV that dexcheck screen --csv writes can be read back: its columns are the JSON keys. */
static dx_status write_report(const char *xlsx, const char *csv, unsigned long sheet_rows);

static void test_screen_csv_round_trip(void **state)
{
    (void)state;
    assert_int_equal(write_report(NULL, path_in("results.csv"), 0), DX_OK);
    dx_diags *diags;
    dx_review *r;
    assert_int_equal(dx_diags_new(&diags), DX_OK);
    assert_int_equal(dx_review_read(path_in("results.csv"), diags, &r), DX_OK);
    assert_int_equal(dx_diags_count(diags), 0);
    assert_int_equal(dx_review_count(r), 4);
    assert_int_equal(dx_review_rows_read(r), 7);
    assert_int_equal(dx_review_rows_blank(r), 3);
    dx_review_free(r);
    dx_diags_free(diags);
}

/* ---- workbooks -------------------------------------------------------------------------- */

static const dx_run_facts FACTS = {.run_id = "R1", .as_of = "2026-12-01", .user = "tester"};

static dx_result finding(const char *id, const char *subject, dx_disposition disp,
                         const char *reviewer, const char *date, const char *licence,
                         const char *note)
{
    return (dx_result){.kind = DX_RESULT_FINDING, .finding_id = id, .rule = "LIST-EL",
                       .regime = "LIST", .subject_type = "person", .subject_id = subject,
                       .subject_name = "ZHAO Lixin", .severity = DX_FSEV_HIGH,
                       .list = "us_csl", .entry_id = "EL:1", .entry_name = "Sichuan University",
                       .score = 1.0, .disposition = disp, .reviewer = reviewer,
                       .review_date = date, .license_id = licence, .note = note,
                       .needs_attention = 1};
}

/* Seven findings, four of them reviewed, through the writer `dexcheck screen` uses. */
static dx_status write_report(const char *xlsx, const char *csv, unsigned long sheet_rows)
{
    const dx_result results[] = {
        finding("F-00000000000000a1", "P1", DX_DISP_FALSE_POSITIVE, "Sato", "2026-12-02", NULL,
                "different person"),
        finding("F-00000000000000a2", "P2", DX_DISP_NONE, NULL, NULL, NULL, NULL),
        finding("F-00000000000000a3", "P3", DX_DISP_TRUE_MATCH, "Sato", "2026-12-02", NULL, NULL),
        finding("F-00000000000000a4", "P4", DX_DISP_NONE, NULL, NULL, NULL, NULL),
        finding("F-00000000000000a5", "P5", DX_DISP_CLEARED_WITH_LICENCE, "伊藤", "2026-12-03",
                "JP-LIC-7", "licence of 2026"),
        finding("F-00000000000000a6", "P6", DX_DISP_NONE, NULL, NULL, NULL, NULL),
        finding("F-00000000000000a7", "P7", DX_DISP_ESCALATED, "Sato", "2026-12-04", NULL,
                "=to the committee"),
    };
    dx_report_options opt = {.xlsx_path = xlsx, .csv_path = csv, .sheet_rows = sheet_rows};
    dx_report *rep = NULL;
    dx_status st = dx_report_open(&rep, &opt, &FACTS, NULL);
    for (size_t i = 0; st == DX_OK && i < sizeof results / sizeof *results; i++)
        st = dx_report_add_result(rep, &results[i]);
    if (st == DX_OK)
        st = dx_report_close(rep);
    dx_report_free(rep);
    return st;
}

/* A copy of the archive at `from` made member by member with libzip, as Excel or LibreOffice
 * writes a workbook it saves: same members, plain zip headers. */
static void repack(const char *from, const char *to)
{
    int err;
    zip_t *in = zip_open(from, ZIP_RDONLY, &err);
    assert_non_null(in);
    zip_t *out = zip_open(to, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(out);
    for (zip_int64_t i = 0; i < zip_get_num_entries(in, 0); i++) {
        zip_stat_t st;
        assert_int_equal(zip_stat_index(in, (zip_uint64_t)i, 0, &st), 0);
        char *data = malloc(st.size + 1);
        zip_file_t *f = zip_fopen_index(in, (zip_uint64_t)i, 0);
        assert_non_null(data);
        assert_non_null(f);
        assert_int_equal(zip_fread(f, data, st.size), (zip_int64_t)st.size);
        zip_fclose(f);
        zip_source_t *src = zip_source_buffer(out, data, st.size, 1);
        assert_non_null(src);
        assert_true(zip_file_add(out, st.name, src, 0) >= 0);
    }
    assert_int_equal(zip_close(out), 0);
    zip_discard(in);
}

/*
 * The audit workbook as dexcheck screen writes it, three rows a sheet: Findings, Findings (2),
 * Findings (3).
 *
 * report_xlsx.c asks libxlsxwriter for use_zip64, which puts a zip64 extra field in each local
 * header but not in the central directory; xlsx.c opens such an archive without libzip's
 * consistency check. Both the file as written and a copy as Excel or LibreOffice saves it
 * (repack: rewritten without that field) must read the same.
 */
static void test_workbook_from_report(void **state)
{
    (void)state;
    const char *written = path_in("audit.xlsx"), *saved = path_in("audit-saved.xlsx");
    assert_int_equal(write_report(written, NULL, 3), DX_OK);
    repack(written, saved);
    dx_diags *diags;
    dx_review *r;
    assert_int_equal(dx_diags_new(&diags), DX_OK);
    expect_status(dx_review_read(saved, diags, &r), DX_OK, diags);
    assert_int_equal(dx_diags_count(diags), 0);
    assert_int_equal(dx_review_rows_read(r), 7);
    assert_int_equal(dx_review_rows_blank(r), 3);
    assert_int_equal(dx_review_count(r), 4);
    got g = {diags, r, DX_OK};
    expect_row(&g, "F-00000000000000a1", DX_DISP_FALSE_POSITIVE, "Sato", "2026-12-02", NULL,
               "different person", 2, "Findings");
    expect_row(&g, "F-00000000000000a3", DX_DISP_TRUE_MATCH, "Sato", "2026-12-02", NULL, NULL, 4,
               "Findings");
    expect_row(&g, "F-00000000000000a5", DX_DISP_CLEARED_WITH_LICENCE, "伊藤", "2026-12-03",
               "JP-LIC-7", "licence of 2026", 3, "Findings (2)");
    expect_row(&g, "F-00000000000000a7", DX_DISP_ESCALATED, "Sato", "2026-12-04", NULL,
               "=to the committee", 2, "Findings (3)");
    got_free(&g);

    assert_int_equal(dx_diags_new(&diags), DX_OK);
    expect_status(dx_review_read(written, diags, &r), DX_OK, diags);
    assert_int_equal(dx_diags_count(diags), 0);
    assert_int_equal(dx_review_count(r), 4);
    g = (got){diags, r, DX_OK};
    expect_row(&g, "F-00000000000000a5", DX_DISP_CLEARED_WITH_LICENCE, "伊藤", "2026-12-03",
               "JP-LIC-7", "licence of 2026", 3, "Findings (2)");
    got_free(&g);
}

/* Column letters of the Findings sheet as dexcheck screen lays it out. */
enum { C_ID = 0, C_STATUS = 1, C_DISP = 20, C_REVIEWER, C_DATE, C_LICENCE, C_NOTE };

static void header(lxw_worksheet *ws)
{
    static const char *const names[] = {
        "finding_id", "status", "kind", "regime", "subject_type", "subject_id", "subject_name",
        "tech_id", "project_id", "determination", "severity", "rule", "basis", "reason",
        "channel", "list", "entry_id", "entry_name", "matched_name", "score", "disposition",
        "reviewer", "review_date", "license_id", "note"};
    for (lxw_col_t c = 0; c < sizeof names / sizeof *names; c++)
        worksheet_write_string(ws, 0, c, names[c], NULL);
}

/* One row as a reviewer leaves it; date_serial > 0 writes the date as Excel does when one is
 * typed (a day number with a date format), else `date` is text. */
static void review_row(lxw_worksheet *ws, lxw_format *date_format, lxw_row_t row, const char *id,
                       const char *disp, const char *reviewer, double date_serial,
                       const char *date, const char *licence, const char *note)
{
    worksheet_write_string(ws, row, C_ID, id, NULL);
    worksheet_write_string(ws, row, C_STATUS, "needs attention", NULL);
    if (disp)
        worksheet_write_string(ws, row, C_DISP, disp, NULL);
    if (reviewer)
        worksheet_write_string(ws, row, C_REVIEWER, reviewer, NULL);
    if (date_serial > 0)
        worksheet_write_number(ws, row, C_DATE, date_serial, date_format);
    else if (date)
        worksheet_write_string(ws, row, C_DATE, date, NULL);
    if (licence)
        worksheet_write_string(ws, row, C_LICENCE, licence, NULL);
    if (note)
        worksheet_write_string(ws, row, C_NOTE, note, NULL);
}

/* A workbook as Excel leaves it after a review: dates typed as dates, a continuation sheet,
 * mistakes. 46358 is 2026-12-02 in Excel's day numbers. */
static void make_edited_workbook(const char *path)
{
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    lxw_format *df = workbook_add_format(wb);
    format_set_num_format(df, "yyyy-mm-dd");
    worksheet_write_string(workbook_add_worksheet(wb, "Summary"), 0, 0, "Summary", NULL);
    lxw_worksheet *f1 = workbook_add_worksheet(wb, "Findings");
    lxw_worksheet *other = workbook_add_worksheet(wb, "Findings old");
    lxw_worksheet *f2 = workbook_add_worksheet(wb, "Findings (2)");
    header(f1);
    review_row(f1, df, 1, "F-00000000000000b1", "false_positive", "Sato", 46358, NULL, NULL, NULL);
    review_row(f1, df, 2, "F-00000000000000b2", NULL, NULL, 0, NULL, NULL, NULL);
    review_row(f1, df, 3, "F-00000000000000b3", "Escalated", "Sato", 46358.75, NULL, NULL, NULL);
    review_row(f1, df, 4, "F-00000000000000b4", "cleared_with_licence", "Sato", 0, "2026-12-02",
               NULL, NULL);                                          /* row 5: no licence */
    review_row(f1, df, 5, "F-00000000000000B5", "true_match", "", 0, "12/02/2026", NULL, NULL);
    review_row(f1, df, 6, "F-00000000000000b6", "true_match", "Ito", 0.5, NULL, NULL, NULL);
    header(other); /* not a Findings sheet: never read */
    review_row(other, df, 1, "junk", "junk", NULL, 0, NULL, NULL, NULL);
    header(f2);
    review_row(f2, df, 1, "F-00000000000000b7", "true_match", "Ito", 46359, NULL, NULL, "ok");
    review_row(f2, df, 2, "F-00000000000000b1", "true_match", "Sato", 46358, NULL, NULL, NULL);
    review_row(f2, df, 3, "F-00000000000000b3", "escalated", "Sato", 0, "2026-12-02", NULL, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static void test_workbook_edited(void **state)
{
    (void)state;
    const char *path = path_in("edited.xlsx");
    make_edited_workbook(path);
    size_t len;
    unsigned char *bytes = slurp(path, &len);
    got g = read_bytes(bytes, len, "edited.xlsx");
    free(bytes);
    expect_status(g.st, DX_ERR_INPUT, g.diags);
    /* line = the sheet's row, column = the cell's column, the cell in the message */
    expect_diag(&g, DX_SEV_ERROR, "review.license-id", 5, 24,
                "sheet 'Findings', cell X5: license_id is empty");
    expect_diag(&g, DX_SEV_ERROR, "review.finding-id", 6, 1,
                "sheet 'Findings', cell A6: finding_id 'F-00000000000000B5' is not a finding id");
    expect_diag(&g, DX_SEV_ERROR, "review.reviewer", 6, 22, "sheet 'Findings', cell V6: reviewer");
    expect_diag(&g, DX_SEV_ERROR, "review.date", 6, 23,
                "sheet 'Findings', cell W6: review_date '12/02/2026' is not a date of the form");
    expect_diag(&g, DX_SEV_ERROR, "review.date", 7, 23,
                "sheet 'Findings', cell W7: review_date '0.5' is not a day of the calendar");
    expect_diag(&g, DX_SEV_ERROR, "review.duplicate", 3, 1,
                "sheet 'Findings (2)', cell A3: finding F-00000000000000b1 was already reviewed at "
                "sheet 'Findings' row 2 with a different disposition");
    assert_int_equal(errors(&g), 6);
    assert_int_equal(dx_review_rows_read(g.r), 9);
    assert_int_equal(dx_review_rows_blank(g.r), 1);
    /* the same decision again is no error: kept once, with the first's place */
    expect_row(&g, "F-00000000000000b1", DX_DISP_FALSE_POSITIVE, "Sato", "2026-12-02", NULL, NULL,
               2, "Findings");
    expect_row(&g, "F-00000000000000b3", DX_DISP_ESCALATED, "Sato", "2026-12-02", NULL, NULL, 4,
               "Findings");
    expect_row(&g, "F-00000000000000b7", DX_DISP_TRUE_MATCH, "Ito", "2026-12-03", NULL, "ok", 2,
               "Findings (2)");
    assert_int_equal(dx_review_count(g.r), 3);
    got_free(&g);
}

/* Workbooks that are not audit workbooks: each a clean error, never a crash or a silent OK. */
static void test_workbook_hostile(void **state)
{
    (void)state;
    static const unsigned char not_zip[] = "PK\x03\x04 this is no archive at all";
    got g = read_bytes(not_zip, sizeof not_zip - 1, "bad.xlsx");
    expect_status(g.st, DX_ERR_INPUT, g.diags);
    assert_non_null(g.r);
    assert_true(errors(&g) >= 1);
    assert_string_equal(dx_diags_get(g.diags, 0)->source, "bad.xlsx");
    assert_int_equal(dx_review_count(g.r), 0);
    got_free(&g);

    static const unsigned char empty_zip[22] = "PK\x05\x06";
    g = read_bytes(empty_zip, sizeof empty_zip, "empty.xlsx");
    expect_status(g.st, DX_ERR_INPUT, g.diags);
    assert_true(errors(&g) >= 1);
    got_free(&g);

    /* a real workbook without a Findings sheet */
    const char *path = path_in("other.xlsx");
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Sheet1");
    header(ws);
    review_row(ws, NULL, 1, "F-00000000000000b1", "false_positive", "Sato", 0, "2026-12-02",
               NULL, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    dx_diags *diags;
    dx_review *r;
    assert_int_equal(dx_diags_new(&diags), DX_OK);
    assert_int_equal(dx_review_read(path, diags, &r), DX_ERR_INPUT);
    g = (got){diags, r, DX_ERR_INPUT};
    expect_diag(&g, DX_SEV_ERROR, "review.no-findings", 0, 0, "no sheet called 'Findings'");
    assert_int_equal(errors(&g), 1);
    got_free(&g);

}

/* Findings sheets without a usable header: a duplicate and missing columns, row 1 empty, an
 * empty sheet. Each sheet is reported on its own. */
static void test_workbook_headers(void **state)
{
    (void)state;
    dx_diags *diags;
    dx_review *r;
    const char *path = path_in("headers.xlsx");
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Findings");
    worksheet_write_string(ws, 0, 0, "finding_id", NULL);
    worksheet_write_string(ws, 0, 1, "disposition", NULL);
    worksheet_write_string(ws, 0, 2, "Disposition", NULL);
    worksheet_write_string(ws, 1, 0, "F-00000000000000b1", NULL);
    ws = workbook_add_worksheet(wb, "Findings (2)");
    worksheet_write_string(ws, 2, 0, "finding_id", NULL);
    workbook_add_worksheet(wb, "Findings (3)");
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    assert_int_equal(dx_diags_new(&diags), DX_OK);
    assert_int_equal(dx_review_read(path, diags, &r), DX_ERR_INPUT);
    got g = {diags, r, DX_ERR_INPUT};
    expect_diag(&g, DX_SEV_ERROR, "review.duplicate-column", 1, 3,
                "sheet 'Findings', cell C1: column 'Disposition' means disposition, like column 2");
    expect_diag(&g, DX_SEV_ERROR, "review.missing-column", 1, 0,
                "sheet 'Findings', row 1: the required column 'reviewer' is missing");
    expect_diag(&g, DX_SEV_ERROR, "review.missing-column", 1, 0,
                "sheet 'Findings', row 1: the required column 'review_date' is missing");
    expect_diag(&g, DX_SEV_ERROR, "review.no-header", 1, 0,
                "sheet 'Findings (2)', row 1: row 1 is empty");
    expect_diag(&g, DX_SEV_ERROR, "review.no-header", 1, 0,
                "sheet 'Findings (3)', row 1: the sheet is empty");
    assert_int_equal(errors(&g), 5);
    assert_int_equal(dx_review_rows_read(g.r), 1);
    got_free(&g);
}

/* ---- files and arguments ---------------------------------------------------------------- */

static void test_files_and_arguments(void **state)
{
    (void)state;
    dx_diags *diags;
    dx_review *r = (dx_review *)1;
    assert_int_equal(dx_diags_new(&diags), DX_OK);
    assert_int_equal(dx_review_read(path_in("missing.csv"), diags, &r), DX_ERR_IO);
    assert_null(r);
    got g = {diags, NULL, DX_ERR_IO};
    expect_diag(&g, DX_SEV_ERROR, "review.unreadable", 0, 0, "No such file");
    assert_int_equal(dx_review_read(dir, diags, &r), DX_ERR_IO);
    assert_null(r);
    expect_diag(&g, DX_SEV_ERROR, "review.unreadable", 0, 0, "Is a directory");

    const char *path = path_in("good.csv");
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(GOOD_CSV, fp);
    fclose(fp);
    expect_status(dx_review_read(path, diags, &r), DX_OK, diags);
    assert_int_equal(dx_review_count(r), 4);
    dx_review_free(r);

    assert_int_equal(dx_review_read(NULL, diags, &r), DX_ERR_INVALID);
    assert_int_equal(dx_review_read(path, NULL, &r), DX_ERR_INVALID);
    assert_null(r);
    assert_int_equal(dx_review_read(path, diags, NULL), DX_ERR_INVALID);
    assert_int_equal(dx_review_read_bytes(NULL, 1, "x", diags, &r), DX_ERR_INVALID);
    assert_int_equal(dx_review_count(NULL), 0);
    assert_int_equal(dx_review_rows_read(NULL), 0);
    assert_int_equal(dx_review_rows_blank(NULL), 0);
    assert_null(dx_review_row_at(NULL, 0));
    dx_review_free(NULL);
    dx_diags_free(diags);
}

/* ---- allocation failures ---------------------------------------------------------------- */

/* Every allocation failure while reading `bytes`: DX_ERR_NOMEM and nothing set, until the run
 * that ends as a run without failures does, with the same counts and diagnostics; nothing
 * leaks (the san build). */
static void sweep(const unsigned char *bytes, size_t len)
{
    got want = read_bytes(bytes, len, "sweep");
    long n;
    for (n = 0; n < 100000; n++) {
        dx_diags *diags;
        assert_int_equal(dx_diags_new(&diags), DX_OK);
        dx_review *r = (dx_review *)1;
        dx_alloc_fail_after(n);
        dx_status st = dx_review_read_bytes(bytes, len, "sweep", diags, &r);
        dx_alloc_fail_after(-1);
        if (st == DX_ERR_NOMEM) {
            assert_null(r);
            dx_diags_free(diags);
            continue;
        }
        assert_int_equal(st, want.st);
        assert_int_equal(dx_diags_count(diags), dx_diags_count(want.diags));
        assert_int_equal(dx_review_count(r), dx_review_count(want.r));
        assert_int_equal(dx_review_rows_read(r), dx_review_rows_read(want.r));
        dx_review_free(r);
        dx_diags_free(diags);
        break;
    }
    assert_true(n > 3 && n < 100000);
    got_free(&want);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    sweep((const unsigned char *)GOOD_CSV, strlen(GOOD_CSV));
    sweep((const unsigned char *)BAD_CSV, strlen(BAD_CSV));
    const char *path = path_in("sweep.xlsx");
    make_edited_workbook(path);
    size_t len;
    unsigned char *bytes = slurp(path, &len);
    sweep(bytes, len);
    free(bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_good),
        cmocka_unit_test(test_csv_cp932),
        cmocka_unit_test(test_csv_utf16),
        cmocka_unit_test(test_csv_bad_values),
        cmocka_unit_test(test_csv_dates),
        cmocka_unit_test(test_csv_blank_dispositions),
        cmocka_unit_test(test_csv_header_problems),
        cmocka_unit_test(test_csv_damaged_rows),
        cmocka_unit_test(test_screen_csv_round_trip),
        cmocka_unit_test(test_workbook_from_report),
        cmocka_unit_test(test_workbook_edited),
        cmocka_unit_test(test_workbook_hostile),
        cmocka_unit_test(test_workbook_headers),
        cmocka_unit_test(test_files_and_arguments),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

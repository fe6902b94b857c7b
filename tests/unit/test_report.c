/*
 * test_report.c — the report writer (dexcheck/report.h; src/lib/report_*.c).
 *
 * Names of the enums both ways; the needs-attention and urgency policies; JSON escaping, CSV
 * quoting and its formula guard, UTF-8 repair, cell-length cuts and display widths
 * (report_text.c); the JSON lines and CSV outputs end to end (keys, nulls, order, the caller's
 * stream); atomic replacement (an abandoned or failed report leaves the previous files and no
 * temporary); and allocation-failure sweeps over whole reports, JSON and CSV and then the
 * workbook, each step ending in DX_OK with new files or an error with the old ones. The
 * workbook's content is read back by tests/cli/report.sh with openpyxl; one test here does the
 * same for text that is not valid UTF-8, which the fixture format cannot carry.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "dexcheck/report.h"
#include "report_text.h"
#include "strbuf.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/dx-report-XXXXXX");
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

/* The whole content of a file (caller frees); NULL when it cannot be read. */
static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = calloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static void spit(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* Files in the test folder (the targets and any temporary left behind). */
static int count_files(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

/* ---- names and policies ---- */

static void test_names_round_trip(void **state)
{
    (void)state;
    for (int d = 1; d <= DX_DET_NEEDS_REVIEW; d++) {
        dx_determination back = DX_DET_NONE;
        assert_int_equal(dx_determination_parse(dx_determination_name((dx_determination)d), &back), DX_OK);
        assert_int_equal(back, d);
    }
    for (int s = DX_FSEV_CRITICAL; s <= DX_FSEV_INFO; s++) {
        dx_finding_severity back = DX_FSEV_NONE;
        assert_int_equal(dx_finding_severity_parse(dx_finding_severity_name((dx_finding_severity)s), &back), DX_OK);
        assert_int_equal(back, s);
    }
    for (int p = 1; p <= DX_DISP_CLEARED_WITH_LICENCE; p++) {
        dx_disposition back = DX_DISP_NONE;
        assert_int_equal(dx_disposition_parse(dx_disposition_name((dx_disposition)p), &back), DX_OK);
        assert_int_equal(back, p);
    }
    dx_result_kind k = DX_RESULT_DETERMINATION;
    assert_int_equal(dx_result_kind_parse("Finding", &k), DX_OK);
    assert_int_equal(k, DX_RESULT_FINDING);
    assert_string_equal(dx_determination_name(DX_DET_EXCEPTION_AVAILABLE), "exception_available");
    assert_string_equal(dx_disposition_name(DX_DISP_CLEARED_WITH_LICENCE), "cleared_with_licence");
    assert_string_equal(dx_finding_severity_name(DX_FSEV_CRITICAL), "critical");
    assert_string_equal(dx_result_kind_name(DX_RESULT_DETERMINATION), "determination");
}

static void test_names_edges(void **state)
{
    (void)state;
    assert_int_equal(dx_finding_severity_rank(DX_FSEV_CRITICAL), 5);
    assert_int_equal(dx_finding_severity_rank(DX_FSEV_INFO), 1);
    assert_int_equal(dx_finding_severity_rank(DX_FSEV_NONE), 0);
    assert_null(dx_disposition_name((dx_disposition)-1));
    assert_null(dx_result_kind_name((dx_result_kind)2));
    dx_determination d = DX_DET_LICENSED;
    assert_int_equal(dx_determination_parse("licence_required", &d), DX_ERR_NOT_FOUND);
    assert_int_equal(dx_determination_parse("", &d), DX_ERR_NOT_FOUND);
    assert_int_equal(dx_determination_parse(NULL, &d), DX_ERR_NOT_FOUND);
    assert_int_equal(d, DX_DET_LICENSED); /* unchanged on failure */
    assert_int_equal(dx_determination_parse("LICENSE_REQUIRED", &d), DX_OK);
    assert_int_equal(d, DX_DET_LICENSE_REQUIRED);
}

static void test_attention_and_urgency(void **state)
{
    (void)state;
    dx_result r = {.kind = DX_RESULT_DETERMINATION, .determination = DX_DET_EXCEPTION_AVAILABLE};
    assert_true(dx_result_needs_attention(&r));
    assert_int_equal(dx_result_urgency(&r), DX_FSEV_MEDIUM);
    r.cleared = 1;
    assert_false(dx_result_needs_attention(&r));
    r = (dx_result){.kind = DX_RESULT_DETERMINATION, .determination = DX_DET_EXEMPT};
    assert_false(dx_result_needs_attention(&r));
    assert_int_equal(dx_result_urgency(&r), DX_FSEV_INFO);
    r.determination = DX_DET_PROHIBITED;
    assert_int_equal(dx_result_urgency(&r), DX_FSEV_CRITICAL);
    r.determination = DX_DET_NEEDS_REVIEW;
    assert_int_equal(dx_result_urgency(&r), DX_FSEV_HIGH);
    r = (dx_result){.kind = DX_RESULT_FINDING, .severity = DX_FSEV_LOW};
    assert_false(dx_result_needs_attention(&r));
    r.severity = DX_FSEV_MEDIUM;
    assert_true(dx_result_needs_attention(&r));
    r.severity = DX_FSEV_CRITICAL;
    assert_int_equal(dx_result_urgency(&r), DX_FSEV_CRITICAL);
}

/* ---- text ---- */

static char *json_of(const char *s)
{
    dx_strbuf b = DX_STRBUF_INIT;
    assert_int_equal(dx_report_json_string(&b, s), DX_OK);
    return dx_strbuf_detach(&b);
}

static char *csv_of(const char *s, int guard)
{
    dx_strbuf b = DX_STRBUF_INIT;
    assert_int_equal(dx_report_csv_field(&b, s, guard), DX_OK);
    return dx_strbuf_detach(&b);
}

#define EXPECT_JSON(in, out)                                                                \
    do {                                                                                    \
        char *got_ = json_of(in);                                                           \
        assert_string_equal(got_, out);                                                     \
        dx_free(got_);                                                                      \
    } while (0)

#define EXPECT_CSV(in, guard, out)                                                          \
    do {                                                                                    \
        char *got_ = csv_of(in, guard);                                                     \
        assert_string_equal(got_, out);                                                     \
        dx_free(got_);                                                                      \
    } while (0)

static void test_json_escaping(void **state)
{
    (void)state;
    EXPECT_JSON("", "\"\"");
    EXPECT_JSON("plain", "\"plain\"");
    EXPECT_JSON("a\"b\\c/d", "\"a\\\"b\\\\c/d\"");
    EXPECT_JSON("l1\nl2\r\t\b\f", "\"l1\\nl2\\r\\t\\b\\f\"");
    EXPECT_JSON("\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"");
    EXPECT_JSON("外為令別表7項 Ωμ 😀", "\"外為令別表7項 Ωμ 😀\"");
    /* invalid UTF-8: a stray continuation, 0xFF, an overlong '/', a surrogate, a cut sequence */
    EXPECT_JSON("a\x80z", "\"a\xEF\xBF\xBDz\"");
    EXPECT_JSON("\xFF", "\"\xEF\xBF\xBD\"");
    EXPECT_JSON("\xC0\xAF", "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
    EXPECT_JSON("\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
    EXPECT_JSON("\xE6\x97", "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
    EXPECT_JSON("\xF4\x90\x80\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

static void test_csv_fields_and_guard(void **state)
{
    (void)state;
    EXPECT_CSV("plain", 1, "plain");
    EXPECT_CSV("", 1, "");
    EXPECT_CSV("a,b", 1, "\"a,b\"");
    EXPECT_CSV("say \"hi\"", 1, "\"say \"\"hi\"\"\"");
    EXPECT_CSV("two\nlines", 1, "\"two\nlines\"");
    /* the OWASP guard: every formula trigger gets a leading quote */
    EXPECT_CSV("=HYPERLINK(\"http://x\")", 1, "\"'=HYPERLINK(\"\"http://x\"\")\"");
    EXPECT_CSV("+SUM(A1)", 1, "'+SUM(A1)");
    EXPECT_CSV("-2+3", 1, "'-2+3");
    EXPECT_CSV("@cmd", 1, "'@cmd");
    EXPECT_CSV("\t=1", 1, "'\t=1");
    EXPECT_CSV("\r=1", 1, "\"'\r=1\"");
    EXPECT_CSV("a=1", 1, "a=1");   /* only the first character matters */
    EXPECT_CSV("-2+3", 0, "-2+3"); /* the library's own values are never guarded */
    EXPECT_CSV("李\xFF", 1, "李\xEF\xBF\xBD");
    assert_true(dx_report_csv_risky("=1"));
    assert_false(dx_report_csv_risky(""));
    assert_false(dx_report_csv_risky("1=1"));
}

static void test_clean_and_widths(void **state)
{
    (void)state;
    dx_strbuf b = DX_STRBUF_INIT;
    assert_int_equal(dx_report_clean_text(&b, "abcdefghijkl", 10, "[cut]"), DX_OK);
    assert_string_equal(b.data, "abcde[cut]");
    dx_strbuf_reset(&b);
    assert_int_equal(dx_report_clean_text(&b, "漢字漢字漢字", 6, "[cut]"), DX_OK);
    assert_string_equal(b.data, "漢字漢字漢字"); /* exactly at the limit: kept whole */
    dx_strbuf_reset(&b);
    assert_int_equal(dx_report_clean_text(&b, "漢字漢字漢字漢", 6, "..."), DX_OK);
    assert_string_equal(b.data, "漢字漢...");
    dx_strbuf_reset(&b);
    assert_int_equal(dx_report_clean_text(&b, "ok\xC3", 10, "..."), DX_OK);
    assert_string_equal(b.data, "ok\xEF\xBF\xBD");
    dx_strbuf_free(&b);
    assert_true(dx_report_utf8_valid("外為 ok"));
    assert_false(dx_report_utf8_valid("bad \xC3("));
    assert_int_equal(dx_report_display_width("abc"), 3);
    assert_int_equal(dx_report_display_width("佐藤 健一"), 9);
    assert_int_equal(dx_report_display_width("short\nlonger line"), 11);
    assert_int_equal(dx_report_wrapped_lines("", 10), 1);
    assert_int_equal(dx_report_wrapped_lines("one\ntwo\nthree", 10), 3);
    assert_int_equal(dx_report_wrapped_lines("0123456789012345678901", 10), 2); /* 22 * 0.9 / 10 */
    assert_int_equal(dx_report_wrapped_lines("01234567890123456789012", 10), 3); /* 23 * 0.9 / 10 */
}

/* ---- the line outputs ---- */

static const dx_run_facts facts = {.run_id = "R1", .as_of = "2026-04-01", .user = "tester"};

static dx_result determination(const char *subject, const char *tech, dx_determination d)
{
    return (dx_result){.kind = DX_RESULT_DETERMINATION, .finding_id = "F-1", .rule = "jp.r",
                       .regime = "JP", .subject_type = "person", .subject_id = subject,
                       .subject_name = "=HYPERLINK(\"http://x\")", .tech_id = tech,
                       .determination = d, .basis = "FEFTA Art. 25(1)",
                       .reason = "line one\nline \"two\"", .score = -1,
                       .needs_attention = d == DX_DET_LICENSE_REQUIRED};
}

static dx_result list_hit(void)
{
    return (dx_result){.kind = DX_RESULT_FINDING, .finding_id = "F-2", .regime = "LIST",
                       .subject_id = "V1", .severity = DX_FSEV_HIGH, .list = "us_csl",
                       .entry_id = "E9", .entry_name = "-2+3", .matched_name = "@cmd",
                       .score = 0.875, .explanation = "'a' = 'a'", .disposition =
                       DX_DISP_FALSE_POSITIVE, .reviewer = "r", .cleared = 1};
}

static const dx_subject_summary subject = {"person", "P1", "佐藤 健一", "JP",
                                           DX_DET_NEEDS_REVIEW, DX_FSEV_NONE,
                                           "No license is required", "+why", 1};

/* Open, add two results and a subject, close; the status of the first failing call. */
static dx_status write_lines(const dx_report_options *opt)
{
    dx_report *rep = NULL;
    dx_status st = dx_report_open(&rep, opt, &facts, NULL);
    dx_result a = determination("P1", "T1", DX_DET_LICENSE_REQUIRED), b = list_hit();
    if (st == DX_OK)
        st = dx_report_add_result(rep, &a);
    if (st == DX_OK)
        st = dx_report_add_result(rep, &b);
    if (st == DX_OK)
        st = dx_report_add_subject(rep, &subject);
    if (st == DX_OK)
        st = dx_report_close(rep);
    dx_report_free(rep);
    return st;
}

static const char json_line1[] =
    "{\"kind\":\"determination\",\"finding_id\":\"F-1\",\"rule\":\"jp.r\",\"regime\":\"JP\","
    "\"subject_type\":\"person\",\"subject_id\":\"P1\",\"subject_name\":\"=HYPERLINK(\\\"http://x\\\")\","
    "\"tech_id\":\"T1\",\"project_id\":null,\"determination\":\"license_required\",\"severity\":null,"
    "\"basis\":\"FEFTA Art. 25(1)\",\"reason\":\"line one\\nline \\\"two\\\"\",\"channel\":null,"
    "\"list\":null,\"entry_id\":null,\"entry_name\":null,\"matched_name\":null,\"score\":null,"
    "\"explanation\":null,\"disposition\":null,\"reviewer\":null,\"review_date\":null,"
    "\"license_id\":null,\"note\":null,\"cleared\":false,\"needs_attention\":true,"
    "\"citizenship\":null,\"i129_part6\":null}\n";

static void test_json_lines(void **state)
{
    (void)state;
    dx_report_options opt = {.json_path = path_in("out.jsonl")};
    assert_int_equal(write_lines(&opt), DX_OK);
    char *text = slurp(opt.json_path);
    assert_non_null(text);
    assert_memory_equal(text, json_line1, strlen(json_line1));
    char *second = text + strlen(json_line1);
    assert_non_null(strstr(second, "\"kind\":\"finding\""));
    assert_non_null(strstr(second, "\"score\":0.8750,"));
    assert_non_null(strstr(second, "\"entry_name\":\"-2+3\""));
    assert_non_null(strstr(second, "\"disposition\":\"false_positive\""));
    assert_non_null(strstr(second, "\"cleared\":true,\"needs_attention\":false"));
    char *third = strchr(second, '\n') + 1;
    assert_non_null(strstr(third, "{\"kind\":\"subject\""));
    assert_non_null(strstr(third, "\"determination\":\"needs_review\",\"severity\":null"));
    assert_non_null(strstr(third, "\"i129_part6\":\"No license is required\"}\n"));
    assert_null(strchr(strchr(third, '\n') + 1, '\n')); /* three lines */
    free(text);
    assert_int_equal(count_files(), 1); /* no temporary left */
}

static void test_csv_output(void **state)
{
    (void)state;
    dx_report_options opt = {.csv_path = path_in("out.csv")};
    assert_int_equal(write_lines(&opt), DX_OK);
    char *text = slurp(opt.csv_path);
    assert_non_null(text);
    assert_memory_equal(text, "\xEF\xBB\xBFkind,finding_id,rule,regime,", 29);
    assert_non_null(strstr(text, ",i129_part6\r\ndetermination,F-1,jp.r,JP,person,P1,"
                                 "\"'=HYPERLINK(\"\"http://x\"\")\",T1,,license_required,,"
                                 "FEFTA Art. 25(1),\"line one\nline \"\"two\"\"\","));
    assert_non_null(strstr(text, ",us_csl,E9,'-2+3,'@cmd,0.8750,'a' = 'a',false_positive,r,"));
    assert_non_null(strstr(text, "subject,,,,person,P1,佐藤 健一,,,needs_review,,,'+why,"));
    free(text);
}

static void test_stream_output(void **state)
{
    (void)state;
    FILE *fp = tmpfile();
    assert_non_null(fp);
    dx_report_options opt = {.json_stream = fp};
    assert_int_equal(write_lines(&opt), DX_OK);
    rewind(fp);
    char line[2048];
    assert_non_null(fgets(line, sizeof line, fp));
    assert_string_equal(line, json_line1);
    assert_int_equal(fputs("still open", fp) >= 0, 1); /* the caller's stream is not closed */
    fclose(fp);
    assert_int_equal(count_files(), 0);
}

static void test_refusals(void **state)
{
    (void)state;
    dx_report *rep = NULL;
    dx_report_options none = {0};
    assert_int_equal(dx_report_open(&rep, &none, &facts, NULL), DX_ERR_INVALID);
    dx_report_options opt = {.json_path = path_in("r.jsonl")};
    dx_run_facts no_date = {.run_id = "R"};
    assert_int_equal(dx_report_open(&rep, &opt, &no_date, NULL), DX_ERR_INVALID);
    assert_int_equal(dx_report_open(&rep, &opt, &facts, NULL), DX_OK);
    dx_result r = determination("P1", NULL, DX_DET_EXEMPT);
    assert_int_equal(dx_report_add_result(rep, &r), DX_ERR_INVALID); /* no technology */
    r = determination("P1", "T1", DX_DET_EXEMPT);
    r.regime = "XX";
    assert_int_equal(dx_report_add_result(rep, &r), DX_ERR_INVALID); /* no such matrix */
    r = (dx_result){.kind = DX_RESULT_FINDING, .score = -1};
    assert_int_equal(dx_report_add_result(rep, &r), DX_ERR_INVALID); /* no severity */
    r = determination("P1", "T1", DX_DET_EXEMPT);
    assert_int_equal(dx_report_add_result(rep, &r), DX_OK); /* still usable */
    assert_int_equal(dx_report_close(rep), DX_OK);
    assert_int_equal(dx_report_close(rep), DX_ERR_INVALID);
    assert_int_equal(dx_report_add_result(rep, &r), DX_ERR_INVALID);
    dx_report_free(rep);
    dx_report_free(NULL);
}

/* ---- atomicity ---- */

static void test_abandoned_report_keeps_old_files(void **state)
{
    (void)state;
    dx_report_options opt = {.xlsx_path = path_in("a.xlsx"), .json_path = path_in("a.jsonl"),
                             .csv_path = path_in("a.csv")};
    spit(opt.xlsx_path, "OLD xlsx");
    spit(opt.json_path, "OLD json");
    spit(opt.csv_path, "OLD csv");
    dx_report *rep = NULL;
    assert_int_equal(dx_report_open(&rep, &opt, &facts, NULL), DX_OK);
    assert_int_equal(count_files(), 6); /* three targets, three temporaries */
    dx_result r = determination("P1", "T1", DX_DET_LICENSE_REQUIRED);
    assert_int_equal(dx_report_add_result(rep, &r), DX_OK);
    dx_report_free(rep); /* as a run that fails before closing */
    assert_int_equal(count_files(), 3);
    char *x = slurp(opt.xlsx_path), *j = slurp(opt.json_path), *c = slurp(opt.csv_path);
    assert_string_equal(x, "OLD xlsx");
    assert_string_equal(j, "OLD json");
    assert_string_equal(c, "OLD csv");
    free(x);
    free(j);
    free(c);
}

static void test_missing_folder(void **state)
{
    (void)state;
    dx_diags *diags = NULL;
    assert_int_equal(dx_diags_new(&diags), DX_OK);
    dx_report_options opt = {.json_path = path_in("no/such/folder/a.jsonl")};
    dx_report *rep = NULL;
    assert_int_equal(dx_report_open(&rep, &opt, &facts, diags), DX_ERR_IO);
    assert_null(rep);
    assert_int_equal(dx_diags_count(diags), 1);
    assert_non_null(strstr(dx_diags_get(diags, 0)->message, "No such file or directory"));
    dx_diags_free(diags);
}

/*
 * Fail allocation n of a whole report, for n = 0, 1, ... until it succeeds: every failing
 * step must end in DX_ERR_NOMEM with the old files intact and no temporary; the step that
 * succeeds replaces them.
 */
static void sweep(const dx_report_options *opt, const char *const *paths, size_t n_paths)
{
    for (long n = 0;; n++) {
        for (size_t i = 0; i < n_paths; i++)
            spit(paths[i], "OLD");
        dx_alloc_fail_after(n);
        dx_status st = write_lines(opt);
        dx_alloc_fail_after(-1);
        assert_int_equal(count_files(), (int)n_paths);
        for (size_t i = 0; i < n_paths; i++) {
            char *text = slurp(paths[i]);
            if (st == DX_OK)
                assert_true(strcmp(text, "OLD") != 0);
            else
                assert_string_equal(text, "OLD");
            free(text);
        }
        if (st == DX_OK)
            break;
        assert_int_equal(st, DX_ERR_NOMEM);
        assert_true(n < 100000);
    }
}

static void test_alloc_failures_lines(void **state)
{
    (void)state;
    const char *paths[] = {path_in("s.jsonl"), path_in("s.csv")};
    dx_report_options opt = {.json_path = paths[0], .csv_path = paths[1]};
    sweep(&opt, paths, 2);
}

static void test_alloc_failures_workbook(void **state)
{
    (void)state;
    const char *paths[] = {path_in("s.xlsx"), path_in("s.jsonl")};
    dx_report_options opt = {.xlsx_path = paths[0], .json_path = paths[1]};
    sweep(&opt, paths, 2);
}

/* ---- the workbook, read back ---- */

static void test_workbook_repairs_utf8(void **state)
{
    (void)state;
    if (access("/usr/bin/python3", X_OK) != 0)
        skip();
    dx_report_options opt = {.xlsx_path = path_in("u.xlsx")};
    dx_report *rep = NULL;
    assert_int_equal(dx_report_open(&rep, &opt, &facts, NULL), DX_OK);
    dx_result r = determination("P\xFF", "T1", DX_DET_LICENSE_REQUIRED);
    r.reason = "bad \xC3( byte";
    assert_int_equal(dx_report_add_result(rep, &r), DX_OK);
    assert_int_equal(dx_report_close(rep), DX_OK);
    dx_report_free(rep);
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -W ignore -c \"import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1])"
             "['Findings']; sys.exit(0 if ws['F2'].value == 'P\\ufffd' and ws['N2'].value == "
             "'bad \\ufffd( byte' else 1)\" '%s'", opt.xlsx_path);
    assert_int_equal(system(cmd), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_names_round_trip),
        T(test_names_edges),
        T(test_attention_and_urgency),
        T(test_json_escaping),
        T(test_csv_fields_and_guard),
        T(test_clean_and_widths),
        T(test_json_lines),
        T(test_csv_output),
        T(test_stream_output),
        T(test_refusals),
        T(test_abandoned_report_keeps_old_files),
        T(test_missing_folder),
        T(test_alloc_failures_lines),
        T(test_alloc_failures_workbook),
        T(test_workbook_repairs_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

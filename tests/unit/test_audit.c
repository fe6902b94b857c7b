/*
 * test_audit.c — the audit trail through the library (dexcheck/screen.h, dexcheck/audit.h):
 * a screen recorded in a real SQLite store, dispositions imported and applied, a rescreen,
 * runs and history read back; and allocation-failure sweeps over screen, review import and
 * rescreen: every failing run ends with DX_ERR_NOMEM, the store unchanged (no part of a run,
 * no disposition), the previous outputs intact, and nothing leaked (LeakSanitizer in the san
 * build).
 *
 * The store holds OFAC's tiny17 publication (../shared/data); the records, written here, name
 * two of its entries.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/lib/alloc.h"
#include "dexcheck.h"

#define SDN_DIR DX_SHARED_DATA "/lists/us_ofac_sdn/2025-05_tiny17"

static char dir[256];
static char db[300], records[300], json[300], rules[300];

static const char *in_dir(const char *name)
{
    static char buf[4][400];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = 0;
    fclose(f);
    return s;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/dx-test-audit-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(db, sizeof db, "%s/store.db", dir);
    snprintf(records, sizeof records, "%s/records", dir);
    snprintf(json, sizeof json, "%s/out.jsonl", dir);
    snprintf(rules, sizeof rules, "%s/rules/jp", DX_SOURCE_ROOT);
    mkdir(records, 0700);
    char path[400];
    snprintf(path, sizeof path, "%s/people.csv", records);
    spit(path, "person_id,family_name,given_name,date_of_birth,citizenships,jp_entry_date,"
               "jp_employed,jp_official_status,pledge_date,pledge_answer,"
               "foreign_gov_instructions\n"
               "P1,LOGAN MOREY,Elvis Angus,1963-07-28,BZ,2026-10-01,no,none,2026-10-01,none,no\n"
               "P2,MORENO,Daniel,1972-10-12,BZ,2026-10-01,no,none,2026-10-01,none,no\n");
    snprintf(path, sizeof path, "%s/technologies.csv", records);
    spit(path, "tech_id,project_id,description,origin,jp_item,classification_status\n"
               "T1,PRJ1,Resist process data,output,7,classified\n");
    snprintf(path, sizeof path, "%s/projects.csv", records);
    spit(path, "project_id,title,location,fundamental_research\nPRJ1,Resist,JP,no\n");
    snprintf(path, sizeof path, "%s/assignments.csv", records);
    spit(path, "subject_id,tech_id,access\nP1,T1,full\nP2,T1,full\n");
    dx_diags *diags = NULL;
    dx_store *store = NULL;
    assert_int_equal(dx_diags_new(&diags), DX_OK);
    assert_int_equal(dx_store_open(db, diags, &store), DX_OK);
    const char *files[] = {SDN_DIR "/sdn.csv", SDN_DIR "/add.csv", SDN_DIR "/alt.csv",
                           SDN_DIR "/sdn_comments.csv"};
    dx_import_result *res = NULL;
    size_t n = 0;
    dx_status st = dx_store_import(store, files, 4, NULL, diags, &res, &n);
    dx_import_results_free(res, n);
    dx_store_close(store);
    dx_diags_free(diags);
    return st == DX_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* One screen (or rescreen) into `json`; the summary into *sum. */
static dx_status screen(int rescreen, dx_screen_summary *sum)
{
    const char *inputs[] = {records}, *rule_paths[] = {rules};
    dx_screen_options o = {.inputs = inputs, .n_inputs = 1, .rule_paths = rule_paths,
                           .n_rule_paths = 1, .db_path = db, .as_of = "2026-12-01",
                           .threshold = -1, .threads = 2, .json_path = json,
                           .rescreen = rescreen, .user = "test"};
    dx_diags *diags = NULL;
    if (dx_diags_new(&diags) != DX_OK)
        return DX_ERR_NOMEM;
    dx_status st = dx_screen_run(&o, diags, sum);
    dx_diags_free(diags);
    return st;
}

typedef struct counts {
    size_t runs, results, dispositions;
} counts;

static dx_status count_run(void *ctx, const dx_run_info *r)
{
    (void)r;
    ((counts *)ctx)->runs++;
    return DX_OK;
}

static dx_status count_item(void *ctx, const dx_history_item *it)
{
    counts *c = ctx;
    if (it->run_id)
        c->results++;
    else
        c->dispositions++;
    return DX_OK;
}

/* What the store holds for P1. */
static counts store_counts(void)
{
    counts c = {0, 0, 0};
    dx_diags *diags = NULL;
    dx_store *store = NULL;
    assert_int_equal(dx_diags_new(&diags), DX_OK);
    assert_int_equal(dx_store_open(db, diags, &store), DX_OK);
    assert_int_equal(dx_audit_runs(store, count_run, &c), DX_OK);
    dx_status st = dx_audit_history(store, "P1", count_item, &c);
    assert_true(st == DX_OK || st == DX_ERR_NOT_FOUND);
    dx_store_close(store);
    dx_diags_free(diags);
    return c;
}

/* The finding id of P1's list hit, from the last JSON. */
static void p1_hit(char out[19])
{
    char *text = slurp(json);
    assert_non_null(text);
    char *line = strstr(text, "\"regime\":\"LIST\",\"subject_type\":\"person\",\"subject_id\":\"P1\"");
    assert_non_null(line);
    while (line > text && line[-1] != '\n')
        line--;
    char *id = strstr(line, "\"finding_id\":\"");
    assert_non_null(id);
    memcpy(out, id + 14, 18);
    out[18] = 0;
    free(text);
}

static void test_cycle(void **state)
{
    (void)state;
    dx_screen_summary sum;
    assert_int_equal(screen(0, &sum), DX_OK);
    assert_int_equal(sum.list_hits, 2);
    assert_int_equal(sum.subjects_changed, 2);
    assert_int_equal(sum.cleared, 0);
    counts c = store_counts();
    assert_int_equal(c.runs, 1);
    assert_true(c.results >= 2); /* P1's determination and list hit */

    char fid[19], csv[600];
    p1_hit(fid);
    snprintf(csv, sizeof csv, "finding_id,disposition,reviewer,date,note,license_id\n"
                              "%s,false_positive,K. Sato,2026-12-02,other person,\n", fid);
    spit(in_dir("review.csv"), csv);
    dx_diags *diags = NULL;
    dx_store *store = NULL;
    dx_review_summary rs;
    assert_int_equal(dx_diags_new(&diags), DX_OK);
    assert_int_equal(dx_store_open(db, diags, &store), DX_OK);
    assert_int_equal(dx_review_import(store, in_dir("review.csv"), diags, &rs), DX_OK);
    assert_int_equal(rs.imported, 1);
    assert_int_equal(rs.by_disposition[DX_DISP_FALSE_POSITIVE], 1);
    assert_int_equal(dx_review_import(store, in_dir("review.csv"), diags, &rs), DX_OK);
    assert_int_equal(rs.imported, 0);
    assert_int_equal(rs.unchanged, 1);
    dx_store_close(store);
    dx_diags_free(diags);

    assert_int_equal(screen(0, &sum), DX_OK);
    assert_int_equal(sum.cleared, 1);
    assert_int_equal(sum.reopened, 0);
    assert_int_equal(sum.subjects_changed, 0); /* the same names: recognised */
    char *text = slurp(json);
    char *line = strstr(text, fid);
    assert_non_null(line);
    assert_non_null(strstr(line, "\"cleared\":true"));
    free(text);

    /* no list change: a rescreen reads no subject and reports nothing */
    assert_int_equal(screen(1, &sum), DX_OK);
    assert_int_equal(sum.entries_added + sum.entries_changed + sum.entries_removed, 0);
    assert_int_equal(sum.names_screened, 0);
    assert_int_equal(sum.findings, 0);
    c = store_counts();
    assert_int_equal(c.runs, 3);
    assert_int_equal(c.dispositions, 1);
}

/*
 * Fail allocation n of `run`, for every n up to 400 and then every `stride`-th, until the run
 * succeeds: each failing run ends in DX_ERR_NOMEM, records nothing (the store's runs and
 * dispositions are as before) and leaves the previous JSON as it was.
 */
static void sweep(dx_status (*run)(void), long stride)
{
    counts before = store_counts();
    char *old = slurp(json);
    long tried = 0;
    for (long n = 0;; n += n < 400 ? 1 : stride) {
        dx_alloc_fail_after(n);
        dx_status st = run();
        dx_alloc_fail_after(-1);
        tried++;
        if (st == DX_OK)
            break;
        if (st != DX_ERR_NOMEM)
            fail_msg("allocation %ld: %s", n, dx_status_name(st));
        counts now = store_counts();
        assert_int_equal(now.runs, before.runs);
        assert_int_equal(now.dispositions, before.dispositions);
        char *text = slurp(json);
        assert_string_equal(text ? text : "", old ? old : "");
        free(text);
        assert_true(n < 50000000);
    }
    assert_true(tried > 10);
    print_message("    %ld failure points, each a clean DX_ERR_NOMEM with nothing recorded\n",
                  tried - 1);
    free(old);
}

static dx_status run_screen(void)
{
    dx_screen_summary sum;
    return screen(0, &sum);
}

static dx_status run_rescreen(void)
{
    dx_screen_summary sum;
    return screen(1, &sum);
}

static dx_status run_review(void)
{
    dx_diags *diags = NULL;
    dx_store *store = NULL;
    dx_review_summary rs;
    dx_status st = dx_diags_new(&diags);
    if (st == DX_OK)
        st = dx_store_open(db, diags, &store);
    if (st == DX_OK)
        st = dx_review_import(store, in_dir("review2.csv"), diags, &rs);
    dx_store_close(store);
    dx_diags_free(diags);
    return st;
}

static void test_alloc_failures_screen(void **state)
{
    (void)state;
    dx_screen_summary sum;
    assert_int_equal(screen(0, &sum), DX_OK);
    long total = dx_alloc_fail_after(-1);
    assert_int_equal(screen(0, &sum), DX_OK);
    total = dx_alloc_fail_after(-1);
    /* a few hundred failure points over the whole run */
    sweep(run_screen, total / 300 > 1 ? total / 300 : 1);
}

static void test_alloc_failures_review(void **state)
{
    (void)state;
    char fid[19], csv[600];
    p1_hit(fid);
    snprintf(csv, sizeof csv, "finding_id,disposition,reviewer,date,note,license_id\n"
                              "%s,escalated,M. Ito,2026-12-03,to the committee,\n", fid);
    spit(in_dir("review2.csv"), csv);
    sweep(run_review, 1);
    assert_int_equal(store_counts().dispositions, 2);
}

static void test_alloc_failures_rescreen(void **state)
{
    (void)state;
    /* a list change first, so that the rescreen has an index to build and subjects to read:
     * tiny17 again with one entry removed and one changed (P1's: a new passport number) */
    char *sdn = slurp(SDN_DIR "/sdn.csv");
    assert_non_null(sdn);
    char *passport = strstr(sdn, "Passport P0017003");
    assert_non_null(passport);
    memcpy(passport + 10, "P0099999", 8);
    char *cut = strstr(sdn, "15102,");
    assert_non_null(cut);
    char *end = strchr(cut, '\n');
    memmove(cut, end + 1, strlen(end + 1) + 1);
    spit(in_dir("sdn.csv"), sdn);
    free(sdn);
    char cmd[800];
    snprintf(cmd, sizeof cmd, "cp '%s/add.csv' '%s/alt.csv' '%s/sdn_comments.csv' '%s'",
             SDN_DIR, SDN_DIR, SDN_DIR, dir);
    assert_int_equal(system(cmd), 0);
    dx_diags *diags = NULL;
    dx_store *store = NULL;
    assert_int_equal(dx_diags_new(&diags), DX_OK);
    assert_int_equal(dx_store_open(db, diags, &store), DX_OK);
    const char *files[] = {in_dir("sdn.csv"), in_dir("add.csv"), in_dir("alt.csv"),
                           in_dir("sdn_comments.csv")};
    dx_import_result *res = NULL;
    size_t n = 0;
    assert_int_equal(dx_store_import(store, files, 4, NULL, diags, &res, &n), DX_OK);
    dx_import_results_free(res, n);
    dx_store_close(store);
    dx_diags_free(diags);
    sweep(run_rescreen, 1);
    char *text = slurp(json); /* the run that succeeded: P1's hit again, P2's delisted */
    assert_non_null(strstr(text, "LIST-DELISTED"));
    assert_non_null(strstr(text, "\"subject_id\":\"P1\""));
    free(text);
    dx_screen_summary sum;
    assert_int_equal(screen(1, &sum), DX_OK); /* the sweep's last run recorded the change */
    assert_int_equal(sum.entries_removed + sum.entries_changed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cycle),
        cmocka_unit_test(test_alloc_failures_screen),
        cmocka_unit_test(test_alloc_failures_review),
        cmocka_unit_test(test_alloc_failures_rescreen),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

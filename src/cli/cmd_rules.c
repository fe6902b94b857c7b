/*
 * cmd_rules.c — `dexcheck rules check` and `dexcheck rules test`.
 *
 * check: compiles rule files and folders (default: the shipped rules) against the records'
 * environment and prints every error as file:line:col with the source line and a caret, then
 * one summary line. Exit 0 when everything compiles, 4 on any rule error.
 *
 * test: runs rule test files (a folder means its *.test files) and prints one TAP line per
 * expectation, the details of each failure as TAP comments, then "N passed, N failed".
 * Exit 0 when every expectation holds, 4 otherwise (a failed test is a rule error: the rules
 * do not say what the tests say the law says).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "dexcheck/rules.h"
#include "dexcheck/rules_records.h"

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "dexcheck rules: %s%s\nsee 'dexcheck rules --help'\n", msg, arg);
    return DX_EXIT_USAGE;
}

/* The shipped rules: the installed folder, else ./rules. */
static const char *default_rules(void)
{
    struct stat sb;
    if (stat(DX_SHARE_DIR "/rules", &sb) == 0 && S_ISDIR(sb.st_mode))
        return DX_SHARE_DIR "/rules";
    return "rules";
}

static const char *plural_s(size_t n)
{
    return n == 1 ? "" : "s";
}

static int run_check(char **paths, int n)
{
    const char *fallback[1] = {default_rules()};
    const char *const *p = n ? (const char *const *)paths : fallback;
    size_t np = n ? (size_t)n : 1;
    dx_ruleenv *env = NULL;
    dx_diags *diags = NULL;
    dx_ruleset *rs = NULL;
    dx_status st = dx_records_ruleenv_new(&env);
    if (st == DX_OK)
        st = dx_diags_new(&diags);
    if (st == DX_OK)
        st = dx_ruleset_compile_paths(env, p, np, NULL, diags, &rs);
    int rc = DX_EXIT_OK;
    if (st == DX_OK || st == DX_ERR_INPUT || st == DX_ERR_IO) {
        dx_diags_sort(diags);
        dx_cli_print_diags(stdout, diags);
        size_t errors = dx_diags_count_severity(diags, DX_SEV_ERROR);
        if (rs)
            printf("%zu file%s, %zu rule%s, %zu parameter%s: no errors\n",
                   dx_ruleset_file_count(rs), plural_s(dx_ruleset_file_count(rs)),
                   dx_ruleset_rule_count(rs), plural_s(dx_ruleset_rule_count(rs)),
                   dx_ruleset_param_count(rs), plural_s(dx_ruleset_param_count(rs)));
        else
            printf("%zu error%s; the rules cannot be used\n", errors, errors == 1 ? "" : "s");
        rc = rs ? DX_EXIT_OK : DX_EXIT_RULES;
    } else {
        fprintf(stderr, "dexcheck rules: %s\n", dx_status_str(st));
        rc = dx_cli_exit_for_status(st, DX_EXIT_RULES);
    }
    dx_ruleset_free(rs);
    dx_diags_free(diags);
    dx_ruleenv_free(env);
    return rc;
}

typedef struct test_counts {
    unsigned long passed, failed;
} test_counts;

/* Print text as TAP comment lines ("#   ..."). */
static void comment(const char *text)
{
    while (text && *text) {
        size_t len = strcspn(text, "\n");
        printf("#   %.*s\n", (int)len, text);
        text += len + (text[len] == '\n');
    }
}

static dx_status print_result(void *ud, const dx_ruletest_result *r)
{
    test_counts *c = ud;
    unsigned long n = ++c->passed + c->failed;
    if (!r->passed)
        c->passed--, c->failed++;
    printf("%s %lu - %s:%lu: %s: %s\n", r->passed ? "ok" : "not ok", n, r->file, r->line,
           r->case_name ? r->case_name : "", r->expect);
    if (!r->passed)
        comment(r->detail);
    return DX_OK;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run one test file, or the *.test files of a folder in name order. */
static dx_status run_test_path(const char *path, dx_diags *diags, test_counts *counts)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return dx_ruletest_run(path, diags, print_result, counts);
    struct dirent **list = NULL;
    int n = scandir(path, &list, NULL, NULL);
    dx_status worst = n < 0 ? DX_ERR_IO : DX_OK;
    if (n > 0)
        qsort(list, (size_t)n, sizeof *list, by_name);
    for (int i = 0; i < n; i++) {
        char file[4096];
        snprintf(file, sizeof file, "%s/%s", path, list[i]->d_name);
        dx_status st = ends_with(list[i]->d_name, ".test") && worst != DX_ERR_NOMEM
                           ? dx_ruletest_run(file, diags, print_result, counts) : DX_OK;
        if (st != DX_OK && worst != DX_ERR_NOMEM)
            worst = st;
        free(list[i]);
    }
    free(list);
    return worst;
}

static int run_test(char **paths, int n)
{
    if (!n)
        return usage_error("rules test needs test files or folders", "");
    dx_diags *diags = NULL;
    test_counts counts = {0, 0};
    dx_status worst = dx_diags_new(&diags);
    for (int i = 0; worst != DX_ERR_NOMEM && i < n; i++) {
        dx_status st = run_test_path(paths[i], diags, &counts);
        if (st != DX_OK)
            worst = st;
    }
    fflush(stdout);
    dx_cli_print_diags(stderr, diags);
    printf("1..%lu\n%lu passed, %lu failed\n", counts.passed + counts.failed, counts.passed,
           counts.failed);
    dx_diags_free(diags);
    if (worst == DX_ERR_NOMEM || worst == DX_ERR_INTERNAL || worst == DX_ERR_INVALID)
        return DX_EXIT_INTERNAL;
    return worst != DX_OK || counts.failed ? DX_EXIT_RULES : DX_EXIT_OK;
}

int dx_cli_rules(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("missing action: rules check [PATH...] or rules test PATH...", "");
    char **paths = argv + 2;
    int n = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            continue;
        if (argv[i][0] == '-' && argv[i][1])
            return usage_error("unknown option ", argv[i]);
        paths[n++] = argv[i];
    }
    if (!strcmp(argv[1], "check"))
        return run_check(paths, n);
    if (!strcmp(argv[1], "test"))
        return run_test(paths, n);
    return usage_error("unknown action (check or test): ", argv[1]);
}

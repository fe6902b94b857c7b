/*
 * cmd_audit.c — `dexcheck runs`, `dexcheck history SUBJECT_ID` and `dexcheck review import
 * FILE`: the audit trail of the store (dexcheck/audit.h).
 *
 * runs prints one line per recorded run, oldest first; history prints a subject's results run
 * by run, then the dispositions recorded for them; review import prints what it recorded and
 * exits 3 (nothing recorded) when any row of the file was rejected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct audit_args {
    const char *db;
    const char *rest[4];
    int n_rest;
} audit_args;

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "dexcheck %s: ", cmd);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nsee 'dexcheck %s --help'\n", cmd);
    return DX_EXIT_USAGE;
}

static int parse_args(int argc, char **argv, audit_args *a)
{
    a->db = getenv("DEXCHECK_DB");
    if (!a->db || !*a->db)
        a->db = "dexcheck.db";
    int only_args = 0;
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        if (only_args || opt[0] != '-' || !opt[1]) {
            if (a->n_rest == 4)
                return usage_error(argv[0], "too many arguments at '%s'", opt);
            a->rest[a->n_rest++] = opt;
        } else if (!strcmp(opt, "--")) {
            only_args = 1;
        } else if (!strcmp(opt, "--db")) {
            if (i + 1 >= argc)
                return usage_error(argv[0], "%s needs a value", opt);
            a->db = argv[++i];
        } else {
            return usage_error(argv[0], "unknown option '%s'", opt);
        }
    }
    return DX_EXIT_OK;
}

/* The diagnostics and the store of one command; on failure both are freed, the problems
 * printed, and the exit status returned. */
static int open_store(const char *db, dx_diags **diags, dx_store **store)
{
    *store = NULL;
    if (dx_diags_new(diags) != DX_OK)
        return DX_EXIT_INTERNAL;
    dx_status st = dx_store_open(db, *diags, store);
    if (st == DX_OK)
        return DX_EXIT_OK;
    dx_cli_print_diags(stderr, *diags);
    dx_diags_free(*diags);
    return dx_cli_exit_for_status(st, DX_EXIT_STORAGE);
}

/* The end of a command: a failure's diagnostics printed (SQLite's message), all freed. */
static int close_store(int rc, dx_status st, dx_diags *diags, dx_store *store)
{
    if (st != DX_OK && st != DX_ERR_NOT_FOUND)
        dx_cli_print_diags(stderr, diags);
    dx_store_close(store);
    dx_diags_free(diags);
    return rc;
}

/* ---- runs ---- */

static dx_status print_run(void *ctx, const dx_run_info *r)
{
    size_t *n = ctx;
    if ((*n)++ == 0)
        printf("%-32s  %-8s  %-10s  %-20s  %-6s  %-5s  %s\n", "run", "kind", "as of", "started",
               "inputs", "lists", "counts");
    printf("%-32s  %-8s  %-10s  %-20s  %6zu  %5zu  %s\n", r->run_id, r->kind, r->as_of,
           r->started_at, r->inputs, r->lists, r->counts);
    if (r->user || r->options)
        printf("    by %s: %s\n", r->user ? r->user : "?", r->options ? r->options : "");
    return DX_OK;
}

int dx_cli_runs(int argc, char **argv)
{
    audit_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc != DX_EXIT_OK)
        return rc;
    if (a.n_rest)
        return usage_error("runs", "unexpected argument '%s'", a.rest[0]);
    dx_diags *diags;
    dx_store *store;
    if ((rc = open_store(a.db, &diags, &store)) != DX_EXIT_OK)
        return rc;
    size_t n = 0;
    dx_status st = dx_audit_runs(store, print_run, &n);
    if (st != DX_OK)
        rc = dx_cli_exit_for_status(st, DX_EXIT_STORAGE);
    else if (n == 0)
        printf("no run recorded in %s\n", a.db);
    return close_store(rc, st, diags, store);
}

/* ---- history ---- */

static dx_status print_item(void *ctx, const dx_history_item *it)
{
    const char **last_run = ctx;
    if (it->run_id) {
        if (!*last_run || strcmp(*last_run, it->run_id) != 0) {
            printf("run %s (as of %s)\n", it->run_id, it->as_of ? it->as_of : "?");
            free((void *)*last_run);
            *last_run = strdup(it->run_id);
        }
        printf("  %s  %-12s %-4s %-20s %-8s %-20s %s%s\n", it->finding_id, it->kind,
               it->regime ? it->regime : "", it->rule ? it->rule : "",
               it->tech_id ? it->tech_id : "",
               it->determination ? it->determination : it->severity ? it->severity : "",
               it->cleared ? "cleared" : it->needs_attention ? "needs attention" : "",
               it->disposition ? " (reviewed)" : "");
        if (it->reason)
            printf("      %s\n", it->reason);
        return DX_OK;
    }
    if (*last_run) {
        printf("dispositions\n");
        free((void *)*last_run);
        *last_run = NULL;
    }
    printf("  %s  %-20s by %s on %s%s%s%s%s  (imported %s from %s)\n", it->finding_id,
           it->disposition, it->reviewer ? it->reviewer : "?",
           it->review_date ? it->review_date : "?", it->license_id ? ", licence " : "",
           it->license_id ? it->license_id : "", it->note ? ": " : "", it->note ? it->note : "",
           it->imported_at ? it->imported_at : "?", it->source ? it->source : "?");
    return DX_OK;
}

int dx_cli_history(int argc, char **argv)
{
    audit_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc != DX_EXIT_OK)
        return rc;
    if (a.n_rest != 1)
        return usage_error("history", "%s", "give one SUBJECT_ID");
    dx_diags *diags;
    dx_store *store;
    if ((rc = open_store(a.db, &diags, &store)) != DX_EXIT_OK)
        return rc;
    const char *last_run = NULL;
    dx_status st = dx_audit_history(store, a.rest[0], print_item, &last_run);
    free((void *)last_run);
    if (st == DX_ERR_NOT_FOUND) {
        fprintf(stderr, "dexcheck history: no run in %s has a result for '%s'\n", a.db,
                a.rest[0]);
        rc = DX_EXIT_INPUT;
    } else if (st != DX_OK) {
        rc = dx_cli_exit_for_status(st, DX_EXIT_STORAGE);
    }
    return close_store(rc, st, diags, store);
}

/* ---- review import ---- */

int dx_cli_review(int argc, char **argv)
{
    audit_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc != DX_EXIT_OK)
        return rc;
    if (a.n_rest != 2 || strcmp(a.rest[0], "import") != 0)
        return usage_error("review", "%s", "usage: dexcheck review import [--db FILE] FILE");
    dx_diags *diags;
    dx_store *store;
    if ((rc = open_store(a.db, &diags, &store)) != DX_EXIT_OK)
        return rc;
    dx_review_summary s;
    dx_status st = dx_review_import(store, a.rest[1], diags, &s);
    dx_cli_print_diags(stderr, diags); /* warnings too, before the outcome */
    if (st == DX_OK) {
        printf("%s: %zu rows read, %zu not reviewed; %zu dispositions recorded "
               "(true_match %zu, false_positive %zu, escalated %zu, "
               "cleared_with_licence %zu), %zu unchanged\n",
               a.rest[1], s.rows_read, s.blank, s.imported,
               s.by_disposition[DX_DISP_TRUE_MATCH], s.by_disposition[DX_DISP_FALSE_POSITIVE],
               s.by_disposition[DX_DISP_ESCALATED],
               s.by_disposition[DX_DISP_CLEARED_WITH_LICENCE], s.unchanged);
    } else if (st == DX_ERR_INPUT || st == DX_ERR_IO || st == DX_ERR_ENCODING) {
        fprintf(stderr, "%s: nothing recorded\n", a.rest[1]);
        rc = DX_EXIT_INPUT;
    } else {
        rc = dx_cli_exit_for_status(st, DX_EXIT_STORAGE);
    }
    return close_store(rc, DX_OK, diags, store); /* printed above */
}

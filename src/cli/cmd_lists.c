/*
 * cmd_lists.c — `dexcheck lists import | status | diff | update`.
 *
 * import prints one line per publication (list, files, version, entries, names, and whether it
 * was new or already present) and exits 0 when every file was imported or already there, 3 when
 * any could not be read, recognised or parsed (and then nothing of that file is stored).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct lists_args {
    const char *db;
    const char *format;
    const char *base_url;
    const char *catalogue;
    const char *only;
    char **rest;
    int n_rest;
} lists_args;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "dexcheck lists: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nsee 'dexcheck lists --help'\n");
    return DX_EXIT_USAGE;
}

/* Options anywhere; the other arguments stay in order in a->rest. */
static int parse_args(int argc, char **argv, lists_args *a)
{
    a->db = getenv("DEXCHECK_DB");
    if (!a->db || !*a->db)
        a->db = "dexcheck.db";
    a->rest = argv + 2;
    int only_args = 0;
    for (int i = 2; i < argc; i++) {
        const char *opt = argv[i];
        if (only_args || opt[0] != '-' || !opt[1])
            a->rest[a->n_rest++] = argv[i];
        else if (!strcmp(opt, "--"))
            only_args = 1;
        else if (!strcmp(opt, "--db") || !strcmp(opt, "--format") ||
                 !strcmp(opt, "--base-url") || !strcmp(opt, "--catalogue") ||
                 !strcmp(opt, "--only")) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", opt);
            const char **slot = !strcmp(opt, "--db")         ? &a->db
                                : !strcmp(opt, "--format")   ? &a->format
                                : !strcmp(opt, "--base-url") ? &a->base_url
                                : !strcmp(opt, "--catalogue") ? &a->catalogue
                                                              : &a->only;
            *slot = argv[++i];
        } else
            return usage_error("unknown option '%s'", opt);
    }
    return DX_EXIT_OK;
}

static int open_store(const char *db, dx_diags *diags, dx_store **store)
{
    dx_status st = dx_store_open(db, diags, store);
    if (st == DX_OK)
        return DX_EXIT_OK;
    dx_cli_print_diags(stderr, diags);
    return dx_cli_exit_for_status(st, DX_EXIT_STORAGE);
}

/* One line per publication, then the diagnostics; the exit status of the whole. */
static int report_results(dx_status st, dx_import_result *results, size_t n, dx_diags *diags)
{
    for (size_t i = 0; i < n; i++) {
        const dx_import_result *r = &results[i];
        if (r->status != DX_OK)
            printf("%-21s %s: not imported\n", r->list_id ? r->list_id : "?",
                   r->files ? r->files : "?");
        else
            printf("%-21s %s: version %lld, %zu entries, %zu names%s%s%s\n", r->list_id,
                   r->files, r->version_id, r->entries, r->names,
                   r->publication_date[0] ? ", published " : "", r->publication_date,
                   r->already_present ? " (already in the store: unchanged)" : " (new)");
    }
    dx_import_results_free(results, n);
    dx_diags_sort(diags);
    dx_cli_print_diags(stderr, diags);
    if (st == DX_OK)
        return DX_EXIT_OK;
    return st == DX_ERR_INPUT || st == DX_ERR_IO || st == DX_ERR_LIMIT
               ? DX_EXIT_INPUT
               : dx_cli_exit_for_status(st, DX_EXIT_STORAGE);
}

static int cmd_import(dx_store *store, const lists_args *a, dx_diags *diags)
{
    if (!a->n_rest)
        return usage_error("%s", "no list file given");
    dx_import_result *results = NULL;
    size_t n = 0;
    dx_status st = dx_store_import(store, (const char *const *)a->rest, (size_t)a->n_rest,
                                   a->format, diags, &results, &n);
    if (st == DX_ERR_NOT_FOUND)
        return usage_error("unknown format '%s' (see 'dexcheck lists --help')", a->format);
    return report_results(st, results, n, diags);
}

/* The catalogue: --catalogue, $DEXCHECK_CATALOGUE, the installed one, or ./lists/. */
static const char *catalogue_path(const lists_args *a)
{
    const char *env = getenv("DEXCHECK_CATALOGUE");
    if (a->catalogue)
        return a->catalogue;
    if (env && *env)
        return env;
    FILE *f = fopen(DX_SHARE_DIR "/lists/catalogue.tsv", "r");
    if (f) {
        fclose(f);
        return DX_SHARE_DIR "/lists/catalogue.tsv";
    }
    return "lists/catalogue.tsv";
}

static int cmd_update(dx_store *store, const lists_args *a, dx_diags *diags)
{
    if (a->n_rest)
        return usage_error("%s", "update takes no file arguments (see --only)");
    dx_update_options opt = {catalogue_path(a), a->base_url, a->only, 0};
    dx_import_result *results = NULL;
    size_t n = 0;
    dx_status st = dx_store_update(store, &opt, diags, &results, &n);
    if (st == DX_ERR_NOT_FOUND)
        return usage_error("'%s' is not a list of the catalogue", a->only);
    return report_results(st, results, n, diags);
}

static dx_status print_version(void *ctx, const dx_list_version *v)
{
    (void)ctx;
    printf("%-21s v%-4lld %8zu entries %8zu names  published %-10s  imported %s  %s  %.16s%s\n",
           v->list_id, v->version_id, v->entries, v->names,
           v->publication_date ? v->publication_date : "-", v->imported_at, v->files, v->sha256,
           v->newest ? "  (in use)" : "");
    return DX_OK;
}

typedef struct diff_counts {
    size_t added, removed, changed;
} diff_counts;

static dx_status print_change(void *ctx, dx_change change, const char *entry_id, const char *name)
{
    diff_counts *c = ctx;
    const char *word = change == DX_CHANGE_ADDED ? "added" : change == DX_CHANGE_REMOVED ? "removed"
                                                                                          : "changed";
    *(change == DX_CHANGE_ADDED ? &c->added : change == DX_CHANGE_REMOVED ? &c->removed
                                                                          : &c->changed) += 1;
    printf("%-8s %s  %s\n", word, entry_id, name);
    return DX_OK;
}

static int cmd_diff(dx_store *store, const lists_args *a, dx_diags *diags)
{
    if (a->n_rest != 1 && a->n_rest != 3)
        return usage_error("%s", "diff takes LIST, or LIST OLD NEW (version numbers)");
    long long old_id = a->n_rest == 3 ? atoll(a->rest[1]) : 0;
    long long new_id = a->n_rest == 3 ? atoll(a->rest[2]) : 0;
    diff_counts c = {0, 0, 0};
    long long used_old = 0, used_new = 0;
    dx_status st = dx_store_diff(store, a->rest[0], old_id, new_id, print_change, &c, &used_old,
                                 &used_new);
    if (st == DX_ERR_NOT_FOUND) {
        fprintf(stderr, "dexcheck lists diff: %s has no such versions (see 'dexcheck lists "
                        "status'); two versions are needed\n", a->rest[0]);
        return DX_EXIT_INPUT;
    }
    if (st != DX_OK) {
        dx_cli_print_diags(stderr, diags);
        return dx_cli_exit_for_status(st, DX_EXIT_STORAGE);
    }
    printf("%s v%lld -> v%lld: %zu added, %zu removed, %zu changed\n", a->rest[0], used_old,
           used_new, c.added, c.removed, c.changed);
    return DX_EXIT_OK;
}

int dx_cli_lists(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("%s", "missing action: import, status, diff or update");
    const char *action = argv[1];
    if (strcmp(action, "import") && strcmp(action, "status") && strcmp(action, "diff") &&
        strcmp(action, "update"))
        return usage_error("unknown action '%s' (import, status, diff, update)", action);
    lists_args a = {NULL, NULL, NULL, NULL, NULL, NULL, 0};
    int rc = parse_args(argc, argv, &a);
    dx_diags *diags = NULL;
    dx_store *store = NULL;
    if (rc == DX_EXIT_OK && dx_diags_new(&diags) != DX_OK)
        rc = DX_EXIT_INTERNAL;
    if (rc == DX_EXIT_OK)
        rc = open_store(a.db, diags, &store);
    if (rc == DX_EXIT_OK && !strcmp(action, "import"))
        rc = cmd_import(store, &a, diags);
    else if (rc == DX_EXIT_OK && !strcmp(action, "update"))
        rc = cmd_update(store, &a, diags);
    else if (rc == DX_EXIT_OK && !strcmp(action, "status")) {
        dx_status st = dx_store_list_versions(store, NULL, print_version, NULL);
        rc = st == DX_OK ? DX_EXIT_OK : dx_cli_exit_for_status(st, DX_EXIT_STORAGE);
    } else if (rc == DX_EXIT_OK)
        rc = cmd_diff(store, &a, diags);
    dx_store_close(store);
    dx_diags_free(diags);
    return rc;
}

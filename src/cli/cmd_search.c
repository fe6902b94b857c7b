/*
 * cmd_search.c — `dexcheck search NAME` and `dexcheck search --batch FILE.csv`.
 *
 * Opens the store, builds the index over its restricted-party lists (dexcheck/index.h) and
 * prints the matches of one name (readable, or --json as product.md §5), or one JSON line per
 * row of a batch file with a summary on standard error. Exit 0 when it ran, whether or not
 * anything matched (product.md §3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

#define MAX_MULTI 16

typedef struct search_args {
    const char *name, *batch, *db, *dob;
    const char *countries[MAX_MULTI], *ids[MAX_MULTI], *lists[MAX_MULTI];
    size_t n_countries, n_ids, n_lists;
    dx_name_schema schema;
    dx_search_options opt;
    unsigned threads;
    int json;
} search_args;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "dexcheck search: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nsee 'dexcheck search --help'\n");
    return DX_EXIT_USAGE;
}

static int push(const char **slot, size_t *n, const char *val, const char *opt)
{
    if (*n >= MAX_MULTI)
        return usage_error("too many %s options", opt);
    slot[(*n)++] = val;
    return DX_EXIT_OK;
}

static int parse_number(const char *opt, const char *val, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(val, &end);
    if (*end || !*val || v < lo || v > hi)
        return usage_error("%s takes a number in range", opt);
    *out = v;
    return DX_EXIT_OK;
}

static int parse_value(search_args *a, const char *opt, const char *val)
{
    double v;
    int rc = DX_EXIT_OK;
    if (!strcmp(opt, "--country"))
        return push(a->countries, &a->n_countries, val, opt);
    if (!strcmp(opt, "--id"))
        return push(a->ids, &a->n_ids, val, opt);
    if (!strcmp(opt, "--list"))
        return push(a->lists, &a->n_lists, val, opt);
    if (!strcmp(opt, "--dob"))
        a->dob = val;
    else if (!strcmp(opt, "--db"))
        a->db = val;
    else if (!strcmp(opt, "--batch"))
        a->batch = val;
    else if (!strcmp(opt, "--schema")) {
        if (dx_name_schema_parse(val, &a->schema) != DX_OK)
            return usage_error("unknown schema '%s' (person, organization, vessel, any)", val);
    } else if (!strcmp(opt, "--algorithm")) {
        if (strcmp(val, "default") && strcmp(val, "ofac"))
            return usage_error("unknown algorithm '%s' (default, ofac)", val);
        a->opt.algorithm = strcmp(val, "ofac") ? DX_ALGO_DEFAULT : DX_ALGO_OFAC;
    } else if (!strcmp(opt, "--threshold")) {
        rc = parse_number(opt, val, 0, 1, &a->opt.threshold);
    } else if (!strcmp(opt, "--limit")) {
        if ((rc = parse_number(opt, val, 0, 1e9, &v)) == DX_EXIT_OK)
            a->opt.limit = (size_t)v;
    } else if ((rc = parse_number(opt, val, 1, 64, &v)) == DX_EXIT_OK) { /* --threads */
        a->threads = (unsigned)v;
    }
    return rc;
}

static int takes_value(const char *opt)
{
    static const char *const with[] = {"--country", "--id",    "--list",      "--dob",
                                       "--db",      "--batch", "--schema",    "--algorithm",
                                       "--threshold", "--limit", "--threads"};
    for (size_t i = 0; i < sizeof with / sizeof with[0]; i++)
        if (!strcmp(opt, with[i]))
            return 1;
    return 0;
}

static int parse_args(int argc, char **argv, search_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        if (!strcmp(opt, "--json")) {
            a->json = 1;
        } else if (!strcmp(opt, "--exhaustive")) {
            a->opt.exhaustive = 1;
        } else if (takes_value(opt)) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", opt);
            int rc = parse_value(a, opt, argv[++i]);
            if (rc != DX_EXIT_OK)
                return rc;
        } else if (opt[0] == '-' && opt[1]) {
            return usage_error("unknown option '%s'", opt);
        } else if (!a->name) {
            a->name = opt;
        } else {
            return usage_error("%s", "give one name (quote a name with spaces)");
        }
    }
    if (!a->name == !a->batch)
        return usage_error("%s", "give one NAME, or --batch FILE");
    dx_date d;
    if (a->dob && dx_date_parse(a->dob, strlen(a->dob), 1, &d) != DX_OK)
        return usage_error("--dob takes a date (YYYY-MM-DD) or a year, not '%s'", a->dob);
    return DX_EXIT_OK;
}

static void print_match_json(FILE *out, const dx_search_hit *h)
{
    fputs("{\"list\":", out);
    dx_cli_json_string(out, h->list_id);
    fputs(",\"entry_id\":", out);
    dx_cli_json_string(out, h->entry_id);
    fputs(",\"entry_name\":", out);
    dx_cli_json_string(out, h->entry_name);
    fputs(",\"matched_name\":", out);
    dx_cli_json_string(out, h->matched_name);
    fprintf(out, ",\"kind\":\"%s\",\"score\":%.4f,\"name_score\":%.4f,\"sources\":[",
            dx_entry_kind_name(h->kind), h->score, h->name_score);
    for (size_t i = 0; i < h->n_sources; i++) {
        fputs(i ? ",{\"list\":" : "{\"list\":", out);
        dx_cli_json_string(out, h->sources[i].list_id);
        fputs(",\"entry_id\":", out);
        dx_cli_json_string(out, h->sources[i].entry_id);
        fputc('}', out);
    }
    fputs("],\"explanation\":", out);
    if (h->explanation)
        dx_cli_json_string(out, h->explanation);
    else
        fputs("null", out);
    fputc('}', out);
}

static void print_result_json(FILE *out, const char *query, unsigned long line,
                              const dx_search_result *r)
{
    fputc('{', out);
    if (line)
        fprintf(out, "\"line\":%lu,", line);
    fputs("\"query\":", out);
    dx_cli_json_string(out, query);
    fputs(",\"matches\":[", out);
    for (size_t i = 0; i < dx_search_result_count(r); i++) {
        if (i)
            fputc(',', out);
        print_match_json(out, dx_search_result_hit(r, i));
    }
    fputs("]}\n", out);
}

/* Explanation lines, indented under their match. */
static void print_indented(const char *text)
{
    for (const char *p = text; p && *p;) {
        size_t len = strcspn(p, "\n");
        printf("      %.*s\n", (int)len, p);
        p += len + (p[len] == '\n');
    }
}

static void print_result_text(const search_args *a, const dx_search_result *r,
                              double threshold)
{
    size_t n = dx_search_result_count(r), scored;
    int exhaustive;
    dx_search_result_work(r, &scored, &exhaustive);
    printf("%zu match%s for '%s' at %.2f or more (%zu names scored%s)\n", n,
           n == 1 ? "" : "es", a->name, threshold, scored,
           exhaustive ? ", every name" : "");
    for (size_t i = 0; i < n; i++) {
        const dx_search_hit *h = dx_search_result_hit(r, i);
        printf("%.3f  %s %s  %s\n", h->score, h->list_id, h->entry_id, h->entry_name);
        for (size_t k = 1; k < h->n_sources; k++)
            printf("      also %s %s\n", h->sources[k].list_id, h->sources[k].entry_id);
        print_indented(h->explanation);
    }
}

typedef struct batch_out {
    size_t rows, alerted, failed;
} batch_out;

static dx_status on_row(void *ctx, unsigned long line, const dx_search_query *q,
                        dx_status status, const dx_search_result *r)
{
    batch_out *b = ctx;
    b->rows++;
    if (status != DX_OK) {
        b->failed++;
        fprintf(stderr, "line %lu: cannot search '%s': %s\n", line, q->name,
                dx_status_str(status));
        return status == DX_ERR_NOMEM ? status : DX_OK;
    }
    b->alerted += dx_search_result_count(r) > 0;
    print_result_json(stdout, q->name, line, r);
    return DX_OK;
}

static dx_status run(const search_args *a, dx_index *ix, dx_diags *diags, double threshold)
{
    if (a->batch) {
        batch_out b = {0, 0, 0};
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        dx_status st = dx_index_search_file(ix, a->batch, &a->opt, a->threads, diags, on_row, &b);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        fprintf(stderr, "%zu rows searched in %.2f s: %zu with a match, %zu failed\n", b.rows,
                secs, b.alerted, b.failed);
        return st;
    }
    dx_search_query q = {a->name, a->schema, a->countries, a->n_countries, a->dob,
                         a->ids, a->n_ids};
    dx_search_result *r = NULL;
    dx_status st = dx_index_search(ix, &q, &a->opt, &r);
    if (st == DX_OK && a->json)
        print_result_json(stdout, a->name, 0, r);
    else if (st == DX_OK)
        print_result_text(a, r, threshold);
    dx_search_result_free(r);
    return st;
}

int dx_cli_search(int argc, char **argv)
{
    search_args a = {.db = "dexcheck.db", .schema = DX_SCHEMA_ANY,
                     .opt = {-1.0, 10, 0, DX_ALGO_DEFAULT, 1}};
    int rc = parse_args(argc, argv, &a);
    if (rc != DX_EXIT_OK)
        return rc;
    if (a.batch)
        a.opt.explain = 0; /* one line per row: the scores, not the accounts */
    double threshold = a.opt.threshold >= 0 ? a.opt.threshold
                                            : dx_search_default_threshold(a.opt.algorithm);
    dx_diags *diags = NULL;
    dx_store *store = NULL;
    dx_index *ix = NULL;
    dx_status st = dx_diags_new(&diags);
    if (st == DX_OK)
        st = dx_store_open(a.db, diags, &store);
    if (st == DX_OK)
        st = dx_index_build(store, a.lists, a.n_lists, diags, &ix);
    dx_store_close(store);
    if (st == DX_OK)
        st = run(&a, ix, diags, threshold);
    dx_cli_print_diags(stderr, diags);
    dx_index_free(ix);
    dx_diags_free(diags);
    if (st == DX_OK)
        return DX_EXIT_OK;
    fprintf(stderr, "dexcheck search: %s\n", dx_status_str(st));
    if (st == DX_ERR_ENCODING || st == DX_ERR_LIMIT)
        return DX_EXIT_USAGE;
    return st == DX_ERR_NOT_FOUND || st == DX_ERR_INPUT ? DX_EXIT_INPUT
                                                        : dx_cli_exit_for_status(st, DX_EXIT_INPUT);
}

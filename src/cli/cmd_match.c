/*
 * cmd_match.c — `dexcheck match NAME1 NAME2` and `dexcheck match --pairs FILE.csv`.
 *
 * One pair prints a readable verdict and its explanation, or with --json one object
 * {"name1", "name2", "score", "match", "explanation"}; --pairs prints one such JSON line per
 * pair, in file order. Exit 0 when it ran, whether or not anything matched (product.md §3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct match_args {
    const char *pairs;
    dx_name_schema schema;
    dx_algorithm algorithm;
    double threshold; /* < 0: the algorithm's default */
    int json;
    const char *names[2];
    int n_names;
} match_args;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "dexcheck match: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nsee 'dexcheck match --help'\n");
    return DX_EXIT_USAGE;
}

static int parse_value(match_args *a, const char *opt, const char *val)
{
    char *end;
    if (!strcmp(opt, "--pairs"))
        a->pairs = val;
    else if (!strcmp(opt, "--schema")) {
        if (dx_name_schema_parse(val, &a->schema) != DX_OK)
            return usage_error("unknown schema '%s' (person, organization, vessel)", val);
    } else if (!strcmp(opt, "--algorithm")) {
        if (!strcmp(val, "default"))
            a->algorithm = DX_ALGO_DEFAULT;
        else if (!strcmp(val, "ofac"))
            a->algorithm = DX_ALGO_OFAC;
        else
            return usage_error("unknown algorithm '%s' (default, ofac)", val);
    } else {
        a->threshold = strtod(val, &end);
        if (*end || !*val || a->threshold < 0 || a->threshold > 1)
            return usage_error("--threshold takes a number from 0 to 1, not '%s'", val);
    }
    return DX_EXIT_OK;
}

static int parse_args(int argc, char **argv, match_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        if (!strcmp(opt, "--json")) {
            a->json = 1;
        } else if (!strcmp(opt, "--pairs") || !strcmp(opt, "--schema") ||
                   !strcmp(opt, "--algorithm") || !strcmp(opt, "--threshold")) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", opt);
            int rc = parse_value(a, opt, argv[++i]);
            if (rc != DX_EXIT_OK)
                return rc;
        } else if (opt[0] == '-' && opt[1] && strcmp(opt, "-")) {
            return usage_error("unknown option '%s'", opt);
        } else if (a->n_names < 2) {
            a->names[a->n_names++] = opt;
        } else {
            return usage_error("%s", "give two names, or --pairs FILE");
        }
    }
    if (!a->pairs && a->n_names != 2)
        return usage_error("%s", "give two names, or --pairs FILE");
    if (a->pairs && a->n_names)
        return usage_error("%s", "--pairs takes no names");
    return DX_EXIT_OK;
}

static void print_json(const char *n1, const char *n2, double score, int match,
                       const char *explanation)
{
    fputs("{\"name1\":", stdout);
    dx_cli_json_string(stdout, n1);
    fputs(",\"name2\":", stdout);
    dx_cli_json_string(stdout, n2);
    printf(",\"score\":%.4f,\"match\":%s,\"explanation\":", score, match ? "true" : "false");
    dx_cli_json_string(stdout, explanation ? explanation : "");
    fputs("}\n", stdout);
}

typedef struct pairs_out {
    double threshold;
} pairs_out;

static dx_status on_pair(void *ctx, const dx_pair_result *p)
{
    pairs_out *o = ctx;
    print_json(p->name1, p->name2, p->score, p->score >= o->threshold, p->explanation);
    return DX_OK;
}

int dx_cli_match(int argc, char **argv)
{
    match_args a = {NULL, DX_SCHEMA_ANY, DX_ALGO_DEFAULT, -1, 0, {NULL, NULL}, 0};
    int rc = parse_args(argc, argv, &a);
    if (rc != DX_EXIT_OK)
        return rc;
    double threshold = a.threshold >= 0 ? a.threshold : dx_match_default_threshold(a.algorithm);
    dx_matcher *m = NULL;
    dx_diags *diags = NULL;
    dx_status st = dx_matcher_new(&m);
    if (st == DX_OK)
        st = dx_diags_new(&diags);
    if (st == DX_OK && a.pairs) {
        pairs_out o = {threshold};
        st = dx_match_pairs_file(m, a.pairs, a.algorithm, diags, on_pair, &o);
        dx_cli_print_diags(stderr, diags);
    } else if (st == DX_OK) {
        double score = 0;
        char *why = NULL;
        st = dx_match_names(m, a.names[0], a.names[1], a.schema, a.algorithm, &score, &why);
        if (st == DX_OK && a.json)
            print_json(a.names[0], a.names[1], score, score >= threshold, why);
        else if (st == DX_OK)
            printf("%s (score %.3f, threshold %.2f)\n%s\n",
                   score >= threshold ? "match" : "no match", score, threshold, why ? why : "");
        dx_match_explanation_free(why);
    }
    dx_diags_free(diags);
    dx_matcher_free(m);
    if (st == DX_OK)
        return DX_EXIT_OK;
    fprintf(stderr, "dexcheck match: %s\n", dx_status_str(st));
    return st == DX_ERR_ENCODING || st == DX_ERR_LIMIT ? DX_EXIT_USAGE
                                                       : dx_cli_exit_for_status(st, DX_EXIT_INPUT);
}

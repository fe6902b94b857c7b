/*
 * cmd_records.c — `dexcheck records check`: validate a record folder without screening.
 *
 * Prints each file with the encoding used and its row counts, then every problem as
 * path:line:col (col = the spreadsheet column), then one totals line in which the counts
 * reconcile. Exit 0 when every row is accepted and nothing is an error, 3 otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

typedef struct records_args {
    dx_encoding encoding;
    int quiet;
    long max_issues;
    char **paths;
    int n_paths;
} records_args;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "dexcheck records: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nsee 'dexcheck records --help'\n");
    return DX_EXIT_USAGE;
}

/* Options may stand before or after the paths; "--" ends them. */
static int parse_args(int argc, char **argv, records_args *a)
{
    if (argc < 2 || strcmp(argv[1], "check") != 0)
        return usage_error("%s", argc < 2 ? "missing action: records check FOLDER"
                                          : "unknown action (the action is 'check')");
    a->paths = argv + 2; /* paths are gathered in place, in order */
    int only_paths = 0;
    for (int i = 2; i < argc; i++) {
        const char *opt = argv[i];
        if (only_paths || opt[0] != '-' || !opt[1]) {
            a->paths[a->n_paths++] = argv[i];
        } else if (!strcmp(opt, "--")) {
            only_paths = 1;
        } else if (!strcmp(opt, "--quiet") || !strcmp(opt, "-q")) {
            a->quiet = 1;
        } else if (!strcmp(opt, "--encoding") || !strcmp(opt, "--max-issues")) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", opt);
            const char *val = argv[++i];
            char *end;
            if (!strcmp(opt, "--encoding") && dx_encoding_parse(val, &a->encoding) != DX_OK)
                return usage_error("unknown encoding '%s'", val);
            if (!strcmp(opt, "--max-issues") &&
                ((a->max_issues = strtol(val, &end, 10)) < 0 || *end || !*val))
                return usage_error("--max-issues takes a number, not '%s'", val);
        } else {
            return usage_error("unknown option '%s'", opt);
        }
    }
    if (!a->n_paths)
        return usage_error("%s", "no record folder or file given");
    return DX_EXIT_OK;
}

static dx_status read_paths(dx_records *records, const records_args *a, dx_diags *diags)
{
    dx_status st = DX_OK;
    for (int i = 0; i < a->n_paths && st != DX_ERR_NOMEM; i++) {
        struct stat sb;
        if (stat(a->paths[i], &sb) == 0 && S_ISDIR(sb.st_mode))
            st = dx_records_read_folder(records, a->paths[i], diags);
        else
            st = dx_records_read_file(records, a->paths[i], diags);
    }
    if (st == DX_ERR_NOMEM)
        return st;
    return dx_records_finish(records, diags);
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static void print_files(const dx_records *records)
{
    for (int k = 0; k < DX_REC_KIND_COUNT; k++) {
        const dx_records_file *f = dx_records_file_info(records, (dx_record_kind)k);
        if (!f->path)
            continue;
        char enc[48];
        if (f->undecodable)
            snprintf(enc, sizeof enc, "not decodable");
        else
            snprintf(enc, sizeof enc, "%s%s", dx_encoding_name(f->encoding),
                     f->had_bom ? " with BOM" : f->detected ? " (detected)" : "");
        printf("  %-18s %-22s %7zu %s %7zu accepted %6zu rejected",
               dx_record_kind_file((dx_record_kind)k), enc, f->rows_read,
               plural(f->rows_read, "row ", "rows"), f->rows_accepted, f->rows_rejected);
        if (f->blank_rows)
            printf("  (%zu blank %s skipped)", f->blank_rows, plural(f->blank_rows, "row", "rows"));
        printf("\n");
    }
}

static void print_issues(const dx_diags *diags, long max)
{
    size_t n = dx_diags_count(diags);
    if (max >= 0 && (size_t)max < n) {
        fflush(stdout);
        dx_diags *shown = NULL;
        if (dx_diags_new(&shown) == DX_OK) {
            for (size_t i = 0; i < (size_t)max; i++) {
                const dx_diag *d = dx_diags_get(diags, i);
                if (dx_diags_add(shown, d->severity, d->source, d->line, d->column, d->code,
                                 d->hint, "%s", d->message) != DX_OK)
                    break;
            }
            dx_cli_print_diags(stdout, shown);
            dx_diags_free(shown);
        }
        printf("... and %zu more problems (--max-issues %ld)\n", n - (size_t)max, max);
        return;
    }
    dx_cli_print_diags(stdout, diags);
}

static int report(const dx_records *records, dx_diags *diags, const records_args *a)
{
    dx_records_totals t = dx_records_totals_get(records);
    size_t errors = dx_diags_count_severity(diags, DX_SEV_ERROR);
    size_t warnings = dx_diags_count_severity(diags, DX_SEV_WARNING);
    if (!a->quiet) {
        printf("records in %s%s\n", a->paths[0], a->n_paths > 1 ? " (and more)" : "");
        print_files(records);
    }
    dx_diags_sort(diags);
    if (dx_diags_count(diags)) {
        if (!a->quiet)
            printf("\n");
        print_issues(diags, a->max_issues);
    }
    printf("%s%zu %s, %zu %s read = %zu accepted + %zu rejected; %zu %s, %zu %s\n",
           a->quiet ? "" : "\n", t.files, plural(t.files, "file", "files"), t.rows_read,
           plural(t.rows_read, "row", "rows"), t.rows_accepted, t.rows_rejected, errors,
           plural(errors, "error", "errors"), warnings, plural(warnings, "warning", "warnings"));
    return errors || t.rows_rejected ? DX_EXIT_INPUT : DX_EXIT_OK;
}

int dx_cli_records(int argc, char **argv)
{
    records_args a = {DX_ENC_AUTO, 0, -1, NULL, 0};
    int rc = parse_args(argc, argv, &a);
    if (rc != DX_EXIT_OK)
        return rc;
    dx_records_options opt = {a.encoding, 0, NULL};
    dx_records *records = NULL;
    dx_diags *diags = NULL;
    dx_status st = dx_diags_new(&diags);
    if (st == DX_OK)
        st = dx_records_new(&opt, &records);
    if (st == DX_OK || st == DX_ERR_NO_SUBJECTS)
        st = read_paths(records, &a, diags);
    if (st == DX_OK || st == DX_ERR_NO_SUBJECTS || st == DX_ERR_IO)
        rc = report(records, diags, &a);
    else {
        fprintf(stderr, "dexcheck records: %s\n", dx_status_str(st));
        rc = dx_cli_exit_for_status(st, DX_EXIT_INPUT);
    }
    dx_records_free(records);
    dx_diags_free(diags);
    return rc;
}

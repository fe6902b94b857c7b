/*
 * cmd_screen.c — `dexcheck screen`: records + rules + lists → the audit outputs
 * (dexcheck/screen.h does the work; this file parses options and prints).
 *
 * Prints the problems of the inputs, the rules and the store on standard error (rule errors
 * with the source line and a caret), then a readable summary: what was read, the rules and
 * lists used, counts by determination and by severity, and what needs attention first (the
 * 25 most urgent results, in screening order within an urgency). The summary goes to
 * standard output, or to standard error when `--json -` writes JSON there.
 *
 * Defaults (product.md §3): the record folder is the current one; the rules are the shipped
 * ones (PREFIX/share/dexcheck/rules when installed, else ./rules, else the source tree's);
 * the store is $DEXCHECK_DB or ./dexcheck.db; --as-of is today; --home-country JP.
 *
 * Exit status: 0 nothing needs attention, 1 something does, 2 usage, 3 an input could not be
 * read at all, 4 rule error, 5 storage or output error, 70 internal error.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "dexcheck/screen.h"

#define MAX_PATHS 64
#define ATTENTION_SHOWN 25

typedef struct screen_args {
    const char *inputs[MAX_PATHS], *rules[MAX_PATHS];
    size_t n_inputs, n_rules;
    char as_of[11];
    dx_screen_options opt;
} screen_args;

/* "screen" or "rescreen": the command being run, for messages. */
static const char *command = "screen";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "dexcheck %s: ", command);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nsee 'dexcheck %s --help'\n", command);
    return DX_EXIT_USAGE;
}

static int is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The shipped rules: installed, else ./rules, else the source tree's. */
static const char *default_rules(void)
{
    if (is_dir(DX_SHARE_DIR "/rules"))
        return DX_SHARE_DIR "/rules";
    if (is_dir("rules"))
        return "rules";
    return DX_SOURCE_ROOT "/rules";
}

static int parse_value(screen_args *a, const char *opt, const char *val)
{
    dx_screen_options *o = &a->opt;
    if (!strcmp(opt, "-o") || !strcmp(opt, "--output"))
        o->xlsx_path = val;
    else if (!strcmp(opt, "--json") && !strcmp(val, "-"))
        o->json_stream = stdout;
    else if (!strcmp(opt, "--json"))
        o->json_path = val;
    else if (!strcmp(opt, "--csv"))
        o->csv_path = val;
    else if (!strcmp(opt, "--db"))
        o->db_path = val;
    else if (!strcmp(opt, "--home-country"))
        o->home_country = val;
    else if (!strcmp(opt, "--rules") && a->n_rules < MAX_PATHS)
        a->rules[a->n_rules++] = val;
    else if (!strcmp(opt, "--as-of"))
        o->as_of = val;
    else if (!strcmp(opt, "--encoding")) {
        if (dx_encoding_parse(val, &o->encoding) != DX_OK)
            return usage_error("unknown encoding '%s'", val);
    } else if (!strcmp(opt, "--threshold")) {
        char *end;
        o->threshold = strtod(val, &end);
        if (*end || !*val || o->threshold < 0 || o->threshold > 1)
            return usage_error("--threshold takes a number from 0 to 1, not '%s'", val);
    } else {
        return usage_error("too many %s options", opt);
    }
    return DX_EXIT_OK;
}

static int takes_value(const char *opt)
{
    static const char *const with[] = {"-o", "--output", "--json", "--csv", "--db",
                                       "--home-country", "--rules", "--as-of", "--encoding",
                                       "--threshold"};
    for (size_t i = 0; i < sizeof with / sizeof with[0]; i++)
        if (!strcmp(opt, with[i]))
            return 1;
    return 0;
}

static int check_args(screen_args *a)
{
    dx_date d;
    const char *as_of = a->opt.as_of;
    if (as_of && (dx_date_parse(as_of, strlen(as_of), 0, &d) != DX_OK || !d.month))
        return usage_error("--as-of takes a date (YYYY-MM-DD), not '%s'", as_of);
    if (!as_of) { /* today, local time */
        time_t now = time(NULL);
        struct tm tm;
        strftime(a->as_of, sizeof a->as_of, "%Y-%m-%d", localtime_r(&now, &tm));
        a->opt.as_of = a->as_of;
    }
    const char *cc = a->opt.home_country;
    if (cc && (strlen(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z'))
        return usage_error("--home-country takes an ISO code such as JP, not '%s'", cc);
    if (!a->n_inputs)
        a->inputs[a->n_inputs++] = ".";
    if (!a->n_rules)
        a->rules[a->n_rules++] = default_rules();
    return DX_EXIT_OK;
}

static int parse_args(int argc, char **argv, screen_args *a)
{
    int only_paths = 0;
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        if (only_paths || opt[0] != '-' || !opt[1]) {
            if (a->opt.rescreen)
                return usage_error("rescreen takes no record paths ('%s'): it screens the "
                                   "subjects stored by earlier runs", opt);
            if (a->n_inputs == MAX_PATHS)
                return usage_error("more than %s record paths", "64");
            a->inputs[a->n_inputs++] = opt;
        } else if (!strcmp(opt, "--")) {
            only_paths = 1;
        } else if (!strcmp(opt, "--exhaustive")) {
            a->opt.exhaustive = 1;
        } else if (takes_value(opt)) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", opt);
            int rc = parse_value(a, opt, argv[++i]);
            if (rc != DX_EXIT_OK)
                return rc;
        } else {
            return usage_error("unknown option '%s'", opt);
        }
    }
    if (a->opt.rescreen && (a->n_rules || a->opt.home_country || a->opt.exhaustive))
        return usage_error("%s", "rescreen takes no --rules, --home-country or --exhaustive");
    return check_args(a);
}

/* ---- what needs attention, gathered while results arrive ---- */

typedef struct attention_item {
    int urgency; /* dx_finding_severity_rank of dx_result_urgency */
    size_t order;
    char *line;
} attention_item;

typedef struct attention {
    attention_item *items;
    size_t n, cap, total;
} attention;

static char *attention_line(const dx_result *r)
{
    const char *what = r->kind == DX_RESULT_DETERMINATION
                           ? dx_determination_name(r->determination)
                           : dx_finding_severity_name(r->severity);
    size_t len = 640;
    char *line = malloc(len);
    if (line)
        snprintf(line, len, "%-17s %-4s %s%s%s %s  (%s, %s)\n      %.150s", what,
                 r->regime ? r->regime : "", r->subject_id ? r->subject_id : "-",
                 r->tech_id ? " x " : "", r->tech_id ? r->tech_id : "",
                 r->subject_name ? r->subject_name : "", r->rule ? r->rule : "-",
                 r->finding_id, r->reason ? r->reason : "");
    return line;
}

static dx_status on_result(void *ud, const dx_result *r, const dx_subject_summary *s)
{
    attention *at = ud;
    if (!r || !r->needs_attention)
        return DX_OK;
    at->total++;
    if (at->n == at->cap) {
        size_t cap = at->cap ? 2 * at->cap : 64;
        attention_item *items = realloc(at->items, cap * sizeof *items);
        if (!items)
            return DX_ERR_NOMEM;
        at->items = items, at->cap = cap;
    }
    char *line = attention_line(r);
    if (!line)
        return DX_ERR_NOMEM;
    at->items[at->n] = (attention_item){dx_finding_severity_rank(dx_result_urgency(r)), at->n,
                                        line};
    at->n++;
    return DX_OK;
}

static int by_urgency(const void *a, const void *b)
{
    const attention_item *x = a, *y = b;
    if (x->urgency != y->urgency)
        return y->urgency - x->urgency;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* ---- the summary ---- */

static void print_counts(FILE *out, const dx_screen_summary *s)
{
    fprintf(out, "determinations: %zu\n", s->determinations);
    for (int d = DX_DET_LICENSE_REQUIRED; d <= DX_DET_NEEDS_REVIEW; d++)
        if (s->by_determination[d])
            fprintf(out, "  %-22s %6zu\n", dx_determination_name((dx_determination)d),
                    s->by_determination[d]);
    fprintf(out, "findings: %zu\n", s->findings);
    for (int v = DX_FSEV_CRITICAL; v <= DX_FSEV_INFO; v++)
        if (s->by_severity[v])
            fprintf(out, "  %-22s %6zu\n", dx_finding_severity_name((dx_finding_severity)v),
                    s->by_severity[v]);
}

static void print_summary(FILE *out, const screen_args *a, const dx_screen_summary *s,
                          attention *at)
{
    fprintf(out, "%s as of %s, run %s\n", a->opt.rescreen ? "rescreen" : "screen", a->opt.as_of,
            s->run_id);
    if (a->opt.rescreen) {
        fprintf(out, "  entries  %zu added, %zu changed, %zu removed since the last screening; "
                "%zu indexed\n", s->entries_added, s->entries_changed, s->entries_removed,
                s->entries_indexed);
        fprintf(out, "  lists    %zu names of stored subjects screened, %zu list hits, "
                "%zu delisted\n", s->names_screened, s->list_hits, s->delisted);
    } else {
        fprintf(out, "  records  %zu files, %zu rows read = %zu accepted + %zu rejected\n",
                s->files, s->rows_read, s->rows_accepted, s->rows_rejected);
        fprintf(out, "  rules    %zu rules, rule set %.16s\n", s->rules, s->ruleset_hash);
    }
    if (s->cleared || s->reopened)
        fprintf(out, "  reviews  %zu results cleared by a reviewer's disposition, %zu reopened\n",
                s->cleared, s->reopened);
    if (a->opt.rescreen)
        ;
    else if (s->no_lists)
        fprintf(out, "  lists    none in the store: no name was screened\n");
    else
        fprintf(out, "  lists    %zu lists, %zu entries; %zu names screened, %zu list hits\n",
                s->lists, s->list_entries, s->names_screened, s->list_hits);
    print_counts(out, s);
    fprintf(out, "subjects: %zu, %zu need attention\n", s->subjects, s->subjects_attention);
    fprintf(out, "needs attention: %zu result%s\n", at->total, at->total == 1 ? "" : "s");
    if (at->n)
        qsort(at->items, at->n, sizeof *at->items, by_urgency);
    for (size_t i = 0; i < at->n && i < ATTENTION_SHOWN; i++)
        fprintf(out, "  %s\n", at->items[i].line);
    if (at->n > ATTENTION_SHOWN)
        fprintf(out, "  ... and %zu more (see the workbook or the JSON)\n",
                at->n - ATTENTION_SHOWN);
    if (a->opt.xlsx_path)
        fprintf(out, "workbook: %s\n", a->opt.xlsx_path);
    fprintf(out, "time: %.2f s = inputs %.2f + index %.2f + names %.2f + rules %.2f + "
            "outputs %.2f\n", s->seconds_total, s->seconds_inputs, s->seconds_index,
            s->seconds_names, s->seconds_rules, s->seconds_outputs);
}

static int exit_for(dx_status st, const dx_screen_summary *s)
{
    switch (s->stage) {
    case DX_SCREEN_DONE:
        if (st != DX_OK)
            return DX_EXIT_INTERNAL;
        return s->needs_attention || s->subjects_attention ? DX_EXIT_ATTENTION : DX_EXIT_OK;
    case DX_SCREEN_USAGE: return DX_EXIT_USAGE;
    case DX_SCREEN_INPUT: return DX_EXIT_INPUT;
    case DX_SCREEN_RULES: return DX_EXIT_RULES;
    case DX_SCREEN_STORE:
    case DX_SCREEN_OUTPUT: return DX_EXIT_STORAGE;
    default: return DX_EXIT_INTERNAL;
    }
}

static const char *user_name(void)
{
    const char *u = getenv("USER");
    if (u && *u)
        return u;
    struct passwd *pw = getpwuid(getuid());
    return pw ? pw->pw_name : NULL;
}

/* The command line, for the Summary sheet. */
static char *options_text(int argc, char **argv)
{
    size_t len = 16;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    strcpy(s, "dexcheck");
    for (int i = 0; i < argc; i++)
        strcat(strcat(s, " "), argv[i]);
    return s;
}

static const char *stage_words(dx_screen_stage stage)
{
    switch (stage) {
    case DX_SCREEN_INPUT: return "the records could not be read";
    case DX_SCREEN_RULES: return "the rules have errors; nothing was screened";
    case DX_SCREEN_STORE: return "the store could not be read";
    case DX_SCREEN_OUTPUT: return "the outputs could not be written (previous ones kept)";
    default: return "internal error";
    }
}

int dx_cli_screen(int argc, char **argv)
{
    screen_args a;
    memset(&a, 0, sizeof a);
    a.opt.threshold = -1;
    a.opt.rescreen = !strcmp(argv[0], "rescreen");
    command = a.opt.rescreen ? "rescreen" : "screen";
    a.opt.db_path = getenv("DEXCHECK_DB");
    if (!a.opt.db_path || !*a.opt.db_path)
        a.opt.db_path = "dexcheck.db";
    int rc = parse_args(argc, argv, &a);
    if (rc != DX_EXIT_OK)
        return rc;
    attention at = {NULL, 0, 0, 0};
    char *cmdline = options_text(argc, argv);
    a.opt.inputs = a.inputs, a.opt.n_inputs = a.n_inputs;
    a.opt.rule_paths = a.rules, a.opt.n_rule_paths = a.n_rules;
    a.opt.user = user_name(), a.opt.options_text = cmdline;
    a.opt.on_result = on_result, a.opt.ud = &at;
    dx_diags *diags = NULL;
    dx_screen_summary sum;
    memset(&sum, 0, sizeof sum);
    dx_status st = dx_diags_new(&diags);
    if (st == DX_OK)
        st = dx_screen_run(&a.opt, diags, &sum);
    else
        sum.stage = DX_SCREEN_INTERNAL;
    FILE *out = a.opt.json_stream ? stderr : stdout;
    fflush(stdout);
    dx_cli_print_diags(stderr, diags);
    if (st == DX_OK)
        print_summary(out, &a, &sum, &at);
    else
        fprintf(stderr, "dexcheck %s: %s: %s\n", command, stage_words(sum.stage),
                dx_status_str(st));
    rc = exit_for(st, &sum);
    for (size_t i = 0; i < at.n; i++)
        free(at.items[i].line);
    free(at.items);
    free(cmdline);
    dx_diags_free(diags);
    return rc;
}

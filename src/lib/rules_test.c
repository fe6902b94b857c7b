/*
 * rules_test.c — rule tests from data files (docs/rules.md, "Testing rules"; jq's
 * tests/jq.test is the model): records in, outcomes out, one result per `expect` line.
 *
 *     rules ../../rules/jp                 # before the first case: for every case
 *     as-of 2026-12-01
 *     case J1 foreign researcher, 3 months after entry, not employed
 *     records ../../examples/university    # or: file people.csv … end
 *     param residency_period = 2           # this case only
 *     expect E100101/T01 JP license_required
 *     expect E100101/T01 JP reason "non-resident"
 *     controls ../../../shared/data/controls/us_ear   # before the first case: control data
 *
 *     hit visitor V26006 EL organisation - "Sichuan University"   # a list hit (this case)
 *
 * `hit OWNER_TYPE OWNER_ID LIST ROLE [CONCERNS] [ENTRY_NAME]` gives the case a list hit, as
 * the screen would find it (dx_list_hits): LIST is the code of the list's effect (EL, UVL,
 * SDN, EUL, ...), ROLE which name matched (name, affiliation, organisation, sponsor, ...),
 * CONCERNS the End User List concern types joined by ',' ("M", "B,C,M,N", "-" for none).
 * A case without `hit` lines is evaluated with no list hits at all.
 *
 * `controls` names files or folders of control data (docs/lists.md, "Control data"); they are
 * imported into a temporary store, removed again when the file has run, and the U.S. EAR
 * functions read them (dx_us_controls). Without it those functions are unknown.
 *
 * A case runs: compile (its inline *.rules files if it has any, else the `rules` paths, with
 * the parameter overrides), read its records, evaluate everything, then check each
 * expectation against the outcomes. Targets are written as in outputs: SUBJECT/TECH for an
 * access pair, else the subject's, project's or organisation's id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "dexcheck/rules_records.h"
#include "rules_eval.h"
#include "strbuf.h"

typedef struct tinline {
    const char *name;
    dx_strbuf text;
} tinline;

typedef struct texpect {
    unsigned long line;
    const char *text;
} texpect;

/* An outcome as kept for checking. */
typedef struct tgot {
    const char *key, *rule, *reason, *trace;
    dx_regime regime;
    int finding;
    dx_determination det;
    dx_finding_severity sev;
} tgot;

typedef struct tcase {
    const char *name, *records;
    unsigned long line;
    tinline *files;
    size_t n_files, cap_files;
    dx_rule_override *params;
    size_t n_params, cap_params;
    texpect *expects;
    size_t n_expects, cap_expects;
    tgot *got;
    size_t n_got, cap_got;
    dx_list_hit *hits;
    size_t n_hits, cap_hits;
    dx_diags *compile_diags;
    int compiled;
    const char *records_problem; /* why the records could not be evaluated, or NULL */
} tcase;

typedef struct tfile {
    const char *path;
    char dir[4096];
    dx_arena arena; /* everything of the file's settings and the current case */
    const char **rules;
    size_t n_rules, cap_rules;
    dx_rule_override *params;
    size_t n_params, cap_params;
    long as_of;
    const char *home;
    dx_diags *diags;
    dx_ruletest_fn fn;
    void *ud;
    dx_ruleenv *env;
    dx_us_controls *us;
    int errors;
} tfile;

#define PUSH(t, arr, n, cap, item)                                                           \
    ((arr) = rules_arena_grow(&(t)->arena, (arr), (n), &(cap), sizeof *(arr)),               \
     (arr) ? ((arr)[(n)++] = (item), DX_OK) : DX_ERR_NOMEM)

static dx_status problem(tfile *t, unsigned long line, const char *msg, const char *arg)
{
    t->errors++;
    return dx_diags_add(t->diags, DX_SEV_ERROR, t->path, line, 0, "ruletest.syntax", NULL,
                        "%s%s", msg, arg);
}

static const char *dup(tfile *t, const char *s, size_t n)
{
    return dx_arena_strndup(&t->arena, s, n);
}

/* A path relative to the test file's folder. */
static const char *resolve(tfile *t, const char *p)
{
    if (p[0] == '/')
        return dup(t, p, strlen(p));
    size_t len = strlen(t->dir) + strlen(p) + 2;
    char *s = dx_arena_alloc(&t->arena, len);
    if (s)
        snprintf(s, len, "%s/%s", t->dir, p);
    return s;
}

/* ---- running a case ---- */

static dx_status keep(void *ud, const dx_records_outcome *r)
{
    tfile *t = ((void **)ud)[0];
    tcase *c = ((void **)ud)[1];
    const dx_outcome *o = r->outcome;
    dx_strbuf key = DX_STRBUF_INIT, trace = DX_STRBUF_INIT;
    dx_status st = dx_strbuf_printf(&key, "%s%s%s", r->subject_id ? r->subject_id : "",
                                    r->subject_id && r->tech_id ? "/" : "",
                                    r->tech_id ? r->tech_id : r->subject_id ? ""
                                    : r->project_id ? r->project_id : r->org_id ? r->org_id : "");
    for (size_t i = 0; st == DX_OK && i < o->n_trace; i++)
        st = dx_strbuf_printf(&trace, "%s = %s: %s\n", o->trace[i].name, o->trace[i].value,
                              o->trace[i].text);
    tgot g = {dup(t, key.data ? key.data : "", key.len), o->rule_id ? dup(t, o->rule_id, strlen(o->rule_id)) : "",
              dup(t, o->reason, strlen(o->reason)), dup(t, trace.data ? trace.data : "", trace.len),
              o->regime, o->is_finding, o->determination, o->severity};
    dx_strbuf_free(&key);
    dx_strbuf_free(&trace);
    if (st != DX_OK || !g.key || !g.rule || !g.reason || !g.trace)
        return DX_ERR_NOMEM;
    return PUSH(t, c->got, c->n_got, c->cap_got, g);
}

static dx_status read_records(tfile *t, tcase *c, dx_records *rec, dx_diags *d)
{
    dx_status st = c->records ? dx_records_read_folder(rec, c->records, d) : DX_OK;
    for (size_t i = 0; st == DX_OK && i < c->n_files; i++) {
        dx_record_kind kind;
        if (dx_record_kind_from_file(c->files[i].name, &kind) != DX_OK)
            continue; /* a .rules file */
        st = dx_records_read_buffer(rec, kind, c->files[i].name, c->files[i].text.data
                                    ? c->files[i].text.data : "", c->files[i].text.len, d);
    }
    return st == DX_OK ? dx_records_finish(rec, d) : st;
}

static dx_status compile_case(tfile *t, tcase *c, dx_ruleset **rs)
{
    dx_rule_override *ov = dx_arena_alloc(&t->arena, (t->n_params + c->n_params + 1) * sizeof *ov);
    dx_rule_source *src = dx_arena_alloc(&t->arena, (c->n_files + 1) * sizeof *src);
    if (!ov || !src)
        return DX_ERR_NOMEM;
    if (t->n_params)
        memcpy(ov, t->params, t->n_params * sizeof *ov);
    if (c->n_params)
        memcpy(ov + t->n_params, c->params, c->n_params * sizeof *ov);
    dx_ruleset_options opt = {ov, t->n_params + c->n_params};
    size_t n = 0;
    for (size_t i = 0; i < c->n_files; i++)
        if (strlen(c->files[i].name) > 6 &&
            !strcmp(c->files[i].name + strlen(c->files[i].name) - 6, ".rules"))
            src[n++] = (dx_rule_source){c->files[i].name, c->files[i].text.data
                                        ? c->files[i].text.data : "", c->files[i].text.len};
    dx_status st = n ? dx_ruleset_compile(t->env, src, n, &opt, c->compile_diags, rs)
                     : dx_ruleset_compile_paths(t->env, t->rules, t->n_rules, &opt,
                                                c->compile_diags, rs);
    c->compiled = st == DX_OK;
    return st == DX_ERR_INPUT || st == DX_ERR_IO ? DX_OK : st;
}

static dx_status run_case(tfile *t, tcase *c)
{
    dx_ruleset *rs = NULL;
    dx_records *rec = NULL;
    dx_diags *d = NULL;
    dx_status st = compile_case(t, c, &rs);
    if (st == DX_OK && rs && (c->records || c->n_files)) {
        st = dx_diags_new(&d);
        if (st == DX_OK)
            st = dx_records_new(NULL, &rec);
        if (st == DX_OK)
            st = read_records(t, c, rec, d);
        if (st != DX_OK && st != DX_ERR_NOMEM) {
            c->records_problem = dx_status_str(st); /* the expectations will fail with it */
            st = DX_OK;
            dx_records_free(rec);
            rec = NULL;
        }
        dx_list_hits *hits = NULL;
        for (size_t i = 0; st == DX_OK && rec && i < c->n_hits; i++)
            if ((hits || (st = dx_list_hits_new(&hits)) == DX_OK))
                st = dx_list_hits_add(hits, &c->hits[i]);
        dx_records_eval_options opt = {t->as_of, t->home, t->us, hits};
        void *ud[2] = {t, c};
        if (st == DX_OK && rec)
            st = dx_rules_eval_records(rs, rec, &opt, keep, ud);
        dx_list_hits_free(hits);
    }
    dx_records_free(rec);
    dx_diags_free(d);
    dx_ruleset_free(rs);
    return st;
}

/* ---- checking expectations ---- */

/* Split "a b "c d" e" into words (quotes removed); at most 8. */
static size_t words(tfile *t, const char *s, const char **w)
{
    size_t n = 0;
    while (*s && n < 8) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        const char *end;
        if (*s == '"') {
            end = strchr(s + 1, '"');
            end = end ? end : s + strlen(s);
            w[n++] = dup(t, s + 1, (size_t)(end - s - 1));
            s = *end ? end + 1 : end;
        } else {
            end = s + strcspn(s, " \t");
            w[n++] = dup(t, s, (size_t)(end - s));
            s = end;
        }
    }
    return n;
}

/* The one determination of a regime for a target, or NULL (*count says how many). */
static const tgot *determination(const tcase *c, const char *key, dx_regime regime, int *count)
{
    const tgot *found = NULL;
    *count = 0;
    for (size_t i = 0; i < c->n_got; i++)
        if (!c->got[i].finding && c->got[i].regime == regime && !strcmp(c->got[i].key, key)) {
            found = &c->got[i];
            (*count)++;
        }
    return found;
}

static const char *first_error(tfile *t, const tcase *c)
{
    for (size_t i = 0; i < dx_diags_count(c->compile_diags); i++) {
        const dx_diag *d = dx_diags_get(c->compile_diags, i);
        if (d->severity != DX_SEV_ERROR)
            continue;
        size_t len = strlen(d->source) + strlen(d->message) + 64;
        char *s = dx_arena_alloc(&t->arena, len);
        if (s)
            snprintf(s, len, "rules did not compile: %s:%lu:%lu: %s", d->source, d->line,
                     d->column, d->message);
        return s ? s : "rules did not compile";
    }
    return "rules did not compile";
}

/* expect error LINE:COL "text" */
static int check_error(const tcase *c, const char *where, const char *text)
{
    unsigned long line = 0, col = 0;
    if (sscanf(where, "%lu:%lu", &line, &col) < 1)
        return 0;
    for (size_t i = 0; i < dx_diags_count(c->compile_diags); i++) {
        const dx_diag *d = dx_diags_get(c->compile_diags, i);
        if (d->line == line && (!col || d->column == col) && strstr(d->message, text))
            return 1;
    }
    return 0;
}

static int check_finding(const tcase *c, const char **w, size_t n, const char **detail)
{
    int negated = !strcmp(w[1], "no");
    const char *id = negated ? w[3] : w[2], *sev = negated || n < 4 ? NULL : w[3];
    for (size_t i = 0; i < c->n_got; i++) {
        const tgot *g = &c->got[i];
        if (g->finding && !strcmp(g->key, w[0]) && !strcmp(g->rule, id) &&
            (!sev || !strcmp(sev, dx_finding_severity_name(g->sev)))) {
            *detail = g->reason;
            return !negated;
        }
    }
    *detail = "no such finding";
    return negated;
}

static int check_determination(tfile *t, const tcase *c, const char **w, size_t n,
                               const char **detail)
{
    dx_regime regime;
    int count;
    if (!rules_regime_from(w[1], strlen(w[1]), &regime))
        return *detail = "unknown regime", 0;
    const tgot *g = determination(c, w[0], regime, &count);
    if (!strcmp(w[2], "none"))
        return *detail = g ? g->reason : "", count == 0;
    if (count != 1) {
        size_t len = 64;
        for (size_t i = 0; i < c->n_got; i++)
            len += strlen(c->got[i].key) + 16;
        char *s = dx_arena_alloc(&t->arena, len), *o = s;
        if (!s)
            return *detail = "", 0;
        o += sprintf(o, "%s; outcomes for:", count ? "more than one determination"
                                                    : "no determination");
        for (size_t i = 0; i < c->n_got && i < 50; i++)
            o += sprintf(o, " %s (%s)", c->got[i].key, dx_regime_name(c->got[i].regime));
        return *detail = s, 0;
    }
    size_t len = strlen(g->rule) + strlen(g->reason) + strlen(g->trace) + 64;
    char *s = dx_arena_alloc(&t->arena, len);
    if (s)
        snprintf(s, len, "got %s by %s: %s\n%s", g->det ? dx_determination_name(g->det)
                 : "(none)", g->rule[0] ? g->rule : "(no rule)", g->reason, g->trace);
    *detail = s ? s : "";
    if (!strcmp(w[2], "rule") && n > 3)
        return !strcmp(g->rule, w[3]);
    if (!strcmp(w[2], "reason") && n > 3)
        return strstr(g->reason, w[3]) != NULL;
    if (!strcmp(w[2], "trace") && n > 3)
        return strstr(g->trace, w[3]) != NULL;
    return !strcmp(w[2], dx_determination_name(g->det));
}

static dx_status check_case(tfile *t, tcase *c)
{
    for (size_t i = 0; i < c->n_expects; i++) {
        const char *w[8], *detail = "";
        size_t n = words(t, c->n_expects ? c->expects[i].text : "", w);
        int ok;
        if (n == 1 && !strcmp(w[0], "compiles"))
            ok = c->compiled, detail = ok ? "" : first_error(t, c);
        else if (n >= 3 && !strcmp(w[0], "error"))
            ok = !c->compiled && check_error(c, w[1], w[2]),
            detail = c->compiled ? "the rules compiled" : "no such error";
        else if (!c->compiled)
            ok = 0, detail = first_error(t, c);
        else if (c->records_problem)
            ok = 0, detail = c->records_problem;
        else if (n >= 3 && (!strcmp(w[1], "finding") || (n >= 4 && !strcmp(w[1], "no"))))
            ok = check_finding(c, w, n, &detail);
        else if (n >= 3)
            ok = check_determination(t, c, w, n, &detail);
        else
            ok = 0, detail = "cannot read this expectation (see docs/rules.md)";
        dx_ruletest_result r = {t->path, c->expects[i].line, c->name, c->expects[i].text, ok,
                                detail};
        dx_status st = t->fn(t->ud, &r);
        if (st != DX_OK)
            return st;
    }
    return DX_OK;
}

/* ---- the test file ---- */

static dx_status finish_case(tfile *t, tcase *c)
{
    dx_status st = dx_diags_new(&c->compile_diags);
    if (st == DX_OK)
        st = run_case(t, c);
    if (st == DX_OK)
        st = check_case(t, c);
    for (size_t i = 0; i < c->n_files; i++)
        dx_strbuf_free(&c->files[i].text);
    dx_diags_free(c->compile_diags);
    memset(c, 0, sizeof *c);
    return st;
}

/* param NAME = VALUE */
static dx_status parse_param(tfile *t, tcase *c, int in_case, unsigned long line,
                             const char *rest)
{
    const char *eq = strchr(rest, '=');
    if (!eq)
        return problem(t, line, "write: param NAME = VALUE", "");
    size_t nlen = (size_t)(eq - rest);
    while (nlen && (rest[nlen - 1] == ' ' || rest[nlen - 1] == '\t'))
        nlen--;
    const char *v = eq + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    dx_rule_override o = {dup(t, rest, nlen), dup(t, v, strlen(v))};
    if (!o.name || !o.value)
        return DX_ERR_NOMEM;
    return in_case ? PUSH(t, c->params, c->n_params, c->cap_params, o)
                   : PUSH(t, t->params, t->n_params, t->cap_params, o);
}

static dx_status parse_setting(tfile *t, unsigned long line, const char *word, const char *rest)
{
    if (!strcmp(word, "rules")) {
        const char *w[8];
        size_t n = words(t, rest, w);
        for (size_t i = 0; i < n; i++) {
            const char *p = resolve(t, w[i]);
            dx_status st = p ? PUSH(t, t->rules, t->n_rules, t->cap_rules, p) : DX_ERR_NOMEM;
            if (st != DX_OK)
                return st;
        }
        return DX_OK;
    }
    if (!strcmp(word, "as-of")) {
        dx_date d;
        if (dx_date_parse(rest, strlen(rest), 0, &d) != DX_OK)
            return problem(t, line, "not a date: ", rest);
        t->as_of = dx_date_days(d);
        return DX_OK;
    }
    t->home = dup(t, rest, strlen(rest));
    return t->home ? DX_OK : DX_ERR_NOMEM;
}

/* hit OWNER_TYPE OWNER_ID LIST ROLE [CONCERNS] [ENTRY_NAME] */
static dx_status parse_hit(tfile *t, tcase *c, unsigned long line, const char *rest)
{
    static const char *const codes[] = {"B", "C", "M", "N", "CW"};
    const char *w[8];
    size_t n = words(t, rest, w);
    if (n < 4)
        return problem(t, line, "write: hit OWNER_TYPE OWNER_ID LIST ROLE [CONCERNS] [NAME]", "");
    unsigned concern = 0;
    for (const char *s = n > 4 ? w[4] : ""; *s && strcmp(s, "-");) {
        size_t len = strcspn(s, ",");
        int found = 0;
        for (unsigned b = 0; b < 5; b++)
            if (strlen(codes[b]) == len && !strncmp(codes[b], s, len))
                concern |= 1u << b, found = 1;
        if (!found)
            return problem(t, line, "concern types are B, C, M, N, CW joined by ',': ", w[4]);
        s += len + (s[len] == ',');
    }
    dx_list_hit h = {w[0], w[1], w[3], w[2], "test", "test", n > 5 ? w[5] : w[1], NULL, 1.0,
                     concern};
    return PUSH(t, c->hits, c->n_hits, c->cap_hits, h);
}

/* Remove the temporary store (and SQLite's side files) and its folder. */
static void remove_store(const char *dir)
{
    static const char *const names[] = {"/controls.db", "/controls.db-wal", "/controls.db-shm",
                                        "/controls.db-journal"};
    char path[4200];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s%s", dir, names[i]);
        remove(path);
    }
    remove(dir); /* an empty folder */
}

/* Import the control data into a temporary store and load the U.S. part of it. */
static dx_status import_controls(tfile *t, const char *db, const char **paths, size_t n)
{
    dx_store *store = NULL;
    dx_import_result *res = NULL;
    size_t n_res = 0;
    dx_diags *d = NULL;
    dx_status st = dx_diags_new(&d);
    if (st == DX_OK)
        st = dx_store_open(db, d, &store);
    if (st == DX_OK)
        st = dx_store_import(store, paths, n, NULL, d, &res, &n_res);
    dx_us_controls_free(t->us);
    t->us = NULL;
    if (st == DX_OK)
        st = dx_us_controls_load(store, &t->us);
    dx_import_results_free(res, n_res);
    dx_store_close(store);
    dx_diags_free(d);
    return st;
}

/* controls PATH... */
static dx_status load_controls(tfile *t, unsigned long line, const char *rest)
{
    const char *w[8];
    size_t n = words(t, rest, w);
    for (size_t i = 0; i < n; i++)
        if (!(w[i] = resolve(t, w[i])))
            return DX_ERR_NOMEM;
    const char *tmp = getenv("TMPDIR");
    char dir[4096], db[4200];
    snprintf(dir, sizeof dir, "%s/dexcheck-controls-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return problem(t, line, "cannot make a temporary folder for the control data", "");
    snprintf(db, sizeof db, "%s/controls.db", dir);
    dx_status st = import_controls(t, db, w, n);
    remove_store(dir);
    if (st == DX_ERR_NOMEM)
        return st;
    return st == DX_OK ? DX_OK : problem(t, line, "the control data did not import: ",
                                         dx_status_str(st));
}

/* One directive line (not inside a `file` block). */
static dx_status directive(tfile *t, tcase *c, int *in_case, unsigned long line, char *s,
                           tinline **open_file)
{
    char *rest = s + strcspn(s, " \t");
    if (*rest)
        *rest++ = '\0';
    while (*rest == ' ' || *rest == '\t')
        rest++;
    if (!strcmp(s, "case")) {
        dx_status st = *in_case ? finish_case(t, c) : DX_OK;
        *in_case = 1;
        c->name = dup(t, rest, strlen(rest));
        c->line = line;
        return st != DX_OK ? st : c->name ? DX_OK : DX_ERR_NOMEM;
    }
    if (!strcmp(s, "param"))
        return parse_param(t, c, *in_case, line, rest);
    if (!strcmp(s, "controls"))
        return *in_case ? problem(t, line, s, " belongs before the first case")
                        : load_controls(t, line, rest);
    if (!strcmp(s, "rules") || !strcmp(s, "as-of") || !strcmp(s, "home-country"))
        return *in_case ? problem(t, line, s, " belongs before the first case")
                        : parse_setting(t, line, s, rest);
    if (!*in_case)
        return problem(t, line, s, ": write 'case NAME' first");
    if (!strcmp(s, "hit"))
        return parse_hit(t, c, line, rest);
    if (!strcmp(s, "records"))
        return (c->records = resolve(t, rest)) ? DX_OK : DX_ERR_NOMEM;
    if (!strcmp(s, "expect")) {
        texpect e = {line, dup(t, rest, strlen(rest))};
        return e.text ? PUSH(t, c->expects, c->n_expects, c->cap_expects, e) : DX_ERR_NOMEM;
    }
    if (!strcmp(s, "file")) {
        tinline f = {dup(t, rest, strlen(rest)), DX_STRBUF_INIT};
        dx_status st = f.name ? PUSH(t, c->files, c->n_files, c->cap_files, f) : DX_ERR_NOMEM;
        *open_file = st == DX_OK ? &c->files[c->n_files - 1] : NULL;
        return st;
    }
    return problem(t, line, "unknown directive: ", s);
}

static dx_status run_lines(tfile *t, char *text)
{
    tcase c = {0};
    int in_case = 0;
    tinline *open_file = NULL;
    unsigned long line = 0, open_line = 0;
    dx_status st = DX_OK;
    for (char *s = text, *next; st == DX_OK && s && *s; s = next) {
        next = strchr(s, '\n');
        if (next)
            *next++ = '\0';
        line++;
        size_t len = strlen(s);
        if (len && s[len - 1] == '\r')
            s[--len] = '\0';
        if (open_file) {
            if (!strcmp(s, "end"))
                open_file = NULL;
            else if ((st = dx_strbuf_append(&open_file->text, s, len)) == DX_OK)
                st = dx_strbuf_putc(&open_file->text, '\n');
            continue;
        }
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s && *s != '#') {
            st = directive(t, &c, &in_case, line, s, &open_file);
            open_line = line;
        }
    }
    if (st == DX_OK && open_file)
        st = problem(t, open_line, "a 'file' block is not closed with a line 'end'", "");
    if (st == DX_OK && in_case)
        return finish_case(t, &c);
    for (size_t i = 0; i < c.n_files; i++)
        dx_strbuf_free(&c.files[i].text);
    return st;
}

static dx_status read_all(const char *path, char **out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return DX_ERR_IO;
    dx_strbuf b = DX_STRBUF_INIT;
    b.max = 64u << 20;
    char chunk[8192];
    size_t n;
    dx_status st = DX_OK;
    while (st == DX_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        st = dx_strbuf_append(&b, chunk, n);
    if (st == DX_OK && ferror(f))
        st = DX_ERR_IO;
    fclose(f);
    if (st == DX_OK && !(*out = dx_strbuf_detach(&b)))
        st = DX_ERR_NOMEM;
    dx_strbuf_free(&b);
    return st;
}

dx_status dx_ruletest_run(const char *path, dx_diags *diags, dx_ruletest_fn fn, void *ud)
{
    if (!path || !diags || !fn)
        return DX_ERR_INVALID;
    tfile t = {.path = path, .diags = diags, .fn = fn, .ud = ud, .home = "JP"};
    snprintf(t.dir, sizeof t.dir, "%s", path);
    char *slash = strrchr(t.dir, '/');
    if (slash)
        *slash = '\0';
    else
        strcpy(t.dir, ".");
    char *text = NULL;
    dx_status st = read_all(path, &text);
    if (st == DX_ERR_IO)
        return dx_diags_add(diags, DX_SEV_ERROR, path, 0, 0, "ruletest.io", NULL,
                            "cannot read the test file") == DX_OK ? DX_ERR_IO : DX_ERR_NOMEM;
    if (st == DX_OK)
        st = dx_records_ruleenv_new(&t.env);
    if (st == DX_OK)
        st = run_lines(&t, text);
    dx_free(text);
    dx_us_controls_free(t.us);
    dx_ruleenv_free(t.env);
    dx_arena_free(&t.arena);
    return st == DX_OK && t.errors ? DX_ERR_INPUT : st;
}

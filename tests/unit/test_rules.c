/*
 * test_rules.c — the rule language on a toy host: compile errors (every one in one pass, with
 * positions), three-valued logic, decision lists, findings, traces, host functions and
 * tables, and allocation-failure sweeps of compiling and evaluating.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "alloc.h"
#include "dexcheck.h"
#include "dexcheck/rules.h"

/* ---- the toy host: one kind "thing" with a few fields, one target ---- */

typedef struct thing {
    const char *name; /* NULL = unknown */
    double size;
    int has_size;
    int flag; /* 0 unknown, 1 no, 2 yes */
    const char *items[3];
    size_t n_items;
} thing;

static dx_status get_name(void *h, const void *o, const void *d, dx_rvalue *out)
{
    out->known = ((const thing *)o)->name != NULL;
    out->u.text = ((const thing *)o)->name;
    return DX_OK;
}

static dx_status get_size(void *h, const void *o, const void *d, dx_rvalue *out)
{
    out->known = ((const thing *)o)->has_size;
    out->u.number = ((const thing *)o)->size;
    return DX_OK;
}

static dx_status get_flag(void *h, const void *o, const void *d, dx_rvalue *out)
{
    out->known = ((const thing *)o)->flag != 0;
    out->u.boolean = ((const thing *)o)->flag == 2;
    return DX_OK;
}

static dx_status get_items(void *h, const void *o, const void *d, dx_rvalue *out)
{
    out->known = 1;
    out->u.texts.n = ((const thing *)o)->n_items;
    out->u.texts.items = ((const thing *)o)->items;
    return DX_OK;
}

/* A host function: twice(number) -> number. */
static dx_status fn_twice(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    out->known = 1;
    out->u.number = 2 * a[0].u.number;
    return DX_OK;
}

static dx_ruleenv *make_env(void)
{
    dx_ruleenv *env = NULL;
    if (dx_ruleenv_new(&env) != DX_OK)
        return NULL;
    const char *keys[] = {"red", "blue"}, *values[] = {"warm", "cold"};
    if (dx_ruleenv_add_kind(env, "thing", "a test object") != DX_OK ||
        dx_ruleenv_add_field(env, "thing", "name", "text", "the thing's name", get_name, NULL) ||
        dx_ruleenv_add_field(env, "thing", "size", "number", "size", get_size, NULL) ||
        dx_ruleenv_add_field(env, "thing", "flag", "bool", "the flag", get_flag, NULL) ||
        dx_ruleenv_add_field(env, "thing", "items", "list<text>", "items", get_items, NULL) ||
        dx_ruleenv_add_target(env, "thing", "thing: thing", NULL) ||
        dx_ruleenv_add_function(env, "twice(number) -> number", "twice", 0, fn_twice, NULL) ||
        dx_ruleenv_add_table(env, "colours", keys, values, 2, "test table") ||
        dx_ruleenv_add_standard_functions(env)) {
        dx_ruleenv_free(env);
        return NULL;
    }
    return env;
}

#define HEADER "regulation \"test\"\nversion \"1\"\ndate 2026-01-01\nregime JP\n"

static dx_ruleenv *ENV;
static dx_diags *D;

static int setup(void **state)
{
    (void)state;
    ENV = make_env();
    return ENV && dx_diags_new(&D) == DX_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dx_alloc_fail_after(-1);
    dx_diags_free(D);
    dx_ruleenv_free(ENV);
    D = NULL;
    return 0;
}

static dx_status compile(const char *text, dx_ruleset **rs)
{
    dx_diags_free(D);
    D = NULL;
    if (dx_diags_new(&D) != DX_OK)
        return DX_ERR_NOMEM;
    dx_rule_source src = {"t.rules", text, strlen(text)};
    return dx_ruleset_compile(ENV, &src, 1, NULL, D, rs);
}

/* 1 when a diagnostic at line:col contains `text`. */
static int has_error(unsigned long line, unsigned long col, const char *text)
{
    for (size_t i = 0; i < dx_diags_count(D); i++) {
        const dx_diag *d = dx_diags_get(D, i);
        if (d->line == line && (!col || d->column == col) && strstr(d->message, text))
            return 1;
    }
    for (size_t i = 0; i < dx_diags_count(D); i++) {
        const dx_diag *d = dx_diags_get(D, i);
        print_message("  %lu:%lu: %s (hint: %s)\n", d->line, d->column, d->message,
                      d->hint ? d->hint : "");
    }
    return 0;
}

/* ---- outcomes ---- */

typedef struct got {
    char rule[32], reason[512], trace[2048];
    dx_determination det;
    int finding, undecided, n;
} got;

static dx_status collect(void *ud, const dx_outcome *o)
{
    got *g = ud;
    got *e = &g[g->n < 8 ? g->n : 7];
    g[0].n++;
    snprintf(e->rule, sizeof e->rule, "%s", o->rule_id ? o->rule_id : "-");
    snprintf(e->reason, sizeof e->reason, "%s", o->reason);
    e->trace[0] = '\0';
    for (size_t i = 0; i < o->n_trace; i++) {
        size_t len = strlen(e->trace);
        snprintf(e->trace + len, sizeof e->trace - len, "%s=%s;", o->trace[i].name,
                 o->trace[i].value);
    }
    e->det = o->determination;
    e->finding = o->is_finding;
    e->undecided = o->undecided;
    return DX_OK;
}

static dx_status eval(const dx_ruleset *rs, const thing *t, got *g)
{
    memset(g, 0, 8 * sizeof *g);
    const void *objs[1] = {t};
    dx_reval_options opt = {NULL, dx_rdate_from_ymd(2026, 12, 1), NULL};
    return dx_ruleset_eval(rs, &opt, dx_ruleenv_target_id(ENV, "thing"), objs, collect, g);
}

/* ---- tests ---- */

static void test_every_error_in_one_pass(void **state)
{
    (void)state;
    dx_ruleset *rs = NULL;
    const char *text = HEADER
        "param limit = 10\n"                             /* 5 */
        "  doc \"a limit\"\n"                            /* 6 */
        "rule R-1 \"unknown field\"\n"                   /* 7 */
        "  applies to thing\n"                           /* 8 */
        "  when thing.sise > limit\n"                    /* 9: col 14 */
        "  then exempt\n"
        "  basis \"b\"\n"
        "  reason \"r\"\n"
        "rule R-1 \"duplicate id, bad word\"\n"          /* 13 */
        "  applies to thing\n"
        "  when twice(thing.name) > 1\n"                 /* 15: col 14 */
        "  then licence_required\n"                      /* 16: col 8 */
        "  basis \"b\"\n"
        "  reason \"r\"\n"
        "rule R-3 \"syntax\"\n"                          /* 19 */
        "  applies to thing\n"
        "  when (thing.size > \n"                        /* 21 */
        "  then exempt\n"                                /* 22: col 3 */
        "rule R-4 \"count\"\n"
        "  applies to thing\n"
        "  when months_between(as_of) > 1 and nosuch\n"  /* 25: cols 8 and 37 */
        "  then exempt\n"
        "  basis \"b\"\n"
        "  reason \"r {thing.nam}\"\n";                  /* 28: col 21 */
    assert_int_equal(compile(text, &rs), DX_ERR_INPUT);
    assert_null(rs);
    assert_true(has_error(9, 14, "thing has no fact or conclusion 'sise'"));
    assert_true(has_error(15, 20, "argument 1 of twice must be a number, not a text"));
    assert_true(has_error(16, 8, "unknown determination 'licence_required'"));
    assert_true(has_error(13, 1, "rule id R-1 is used twice"));
    assert_true(has_error(22, 3, "expected a value"));
    assert_true(has_error(25, 8, "months_between takes 2 arguments, not 1"));
    assert_true(has_error(25, 38, "unknown name 'nosuch'"));
    assert_true(has_error(28, 20, "thing has no fact or conclusion 'nam'"));
    const dx_diag *d = dx_diags_get(D, 0);
    assert_non_null(d->source_line);
}

static void test_did_you_mean(void **state)
{
    (void)state;
    dx_ruleset *rs = NULL;
    assert_int_equal(compile(HEADER "rule A \"t\" applies to thing when thing.sise > 1 then exempt "
                             "basis \"b\" reason \"r\"\n", &rs), DX_ERR_INPUT);
    const dx_diag *d = dx_diags_get(D, 0);
    assert_non_null(d->hint);
    assert_string_equal(d->hint, "did you mean 'size'?");
}

static void test_header_and_clauses_required(void **state)
{
    (void)state;
    dx_ruleset *rs = NULL;
    assert_int_equal(compile("rule A \"t\"\n  applies to thing\n  when true\n", &rs), DX_ERR_INPUT);
    assert_true(has_error(1, 1, "does not name its regulation"));
    assert_true(has_error(1, 1, "rule A has no 'then' clause"));
}

static void test_deep_nesting_is_an_error(void **state)
{
    (void)state;
    size_t n = 100000;
    char *text = malloc(n * 3 + 200);
    strcpy(text, HEADER "define x for thing = ");
    size_t len = strlen(text);
    for (size_t i = 0; i < n; i++)
        text[len++] = '(';
    text[len++] = '1';
    for (size_t i = 0; i < n; i++)
        text[len++] = ')';
    text[len] = '\0';
    dx_ruleset *rs = NULL;
    assert_int_equal(compile(text, &rs), DX_ERR_INPUT);
    assert_true(has_error(5, 0, "nested more than"));
    /* a long flat chain builds a deep tree too */
    strcpy(text, HEADER "define y for thing = 1");
    len = strlen(text);
    for (size_t i = 0; i < n && len < n * 3; i++)
        len += (size_t)sprintf(text + len, "+1");
    assert_int_equal(compile(text, &rs), DX_ERR_INPUT);
    free(text);
}

static void test_conclusion_cycle(void **state)
{
    (void)state;
    dx_ruleset *rs = NULL;
    assert_int_equal(compile(HEADER "define a for thing = thing.b\ndefine b for thing = thing.a\n",
                             &rs), DX_ERR_INPUT);
    assert_true(has_error(6, 28, "depends on itself"));
}

static void test_override(void **state)
{
    (void)state;
    const char *text = HEADER "param limit = 10\n doc \"d\"\n"
                       "rule A \"big\" applies to thing when thing.size > limit then exempt "
                       "basis \"b\" reason \"{thing.size} > {limit}\"\n";
    dx_rule_source src = {"t.rules", text, strlen(text)};
    dx_rule_override bad[] = {{"limit", "\"ten\""}, {"nope", "1"}};
    dx_ruleset_options opt = {bad, 2};
    dx_ruleset *rs = NULL;
    assert_int_equal(dx_ruleset_compile(ENV, &src, 1, &opt, D, &rs), DX_ERR_INPUT);
    dx_rule_override good[] = {{"limit", "20"}};
    opt = (dx_ruleset_options){good, 1};
    assert_int_equal(dx_ruleset_compile(ENV, &src, 1, &opt, D, &rs), DX_OK);
    thing t = {"a", 15, 1, 2, {NULL}, 0};
    got g[8];
    assert_int_equal(eval(rs, &t, g), DX_OK);
    assert_string_equal(g[0].rule, "-"); /* 15 > 20 fails: no rule held */
    assert_int_equal(g[0].det, DX_DET_NEEDS_REVIEW);
    dx_ruleset_free(rs);
}

static const char DECISION[] = HEADER
    "set big_names = {\"huge\", \"giant\"}\n doc \"d\"\n"
    "table warmth = store \"colours\"\n doc \"d\"\n"
    "define size_class for thing\n"
    "  case thing.size >= 100 then \"large\" because \"size {thing.size} is at least 100\"\n"
    "  case thing.size >= 0 then \"small\" because \"size {thing.size}\"\n"
    "rule R-0 \"skip\" applies to thing when thing.name == \"skip\" then not_applicable "
    "basis \"b\" reason \"r\"\n"
    "rule R-1 \"big by name\" applies to thing when thing.name in big_names then prohibited "
    "basis \"b\" reason \"named {thing.name}\"\n"
    "rule R-2 \"large\" applies to thing when thing.size_class == \"large\" or thing.flag "
    "then license_required basis \"b\" reason \"{thing.size_class}\"\n"
    "rule R-3 \"rest\" applies to thing when true then no_license_required basis \"b\" "
    "reason \"twice {twice(thing.size)}; {warmth[thing.name]}; {count(i in thing.items where "
    "i in big_names)} big items\"\n"
    "rule F-1 \"flagged\" applies to thing when thing.flag then finding high "
    "channel joint_research basis \"b\" reason \"flag\"\n";

static void test_decision_list(void **state)
{
    (void)state;
    dx_ruleset *rs = NULL;
    if (compile(DECISION, &rs) != DX_OK)
        fail_msg("DECISION: %s", has_error(0, 0, "") ? "" : "see above");
    got g[8];
    thing t = {"huge", 5, 1, 1, {NULL}, 0};
    assert_int_equal(eval(rs, &t, g), DX_OK); /* first match wins */
    assert_string_equal(g[0].rule, "R-1");
    assert_int_equal(g[0].det, DX_DET_PROHIBITED);
    assert_int_equal(g[0].n, 1); /* flag is no: no finding */

    t = (thing){"x", 500, 1, 1, {NULL}, 0};
    assert_int_equal(eval(rs, &t, g), DX_OK);
    assert_string_equal(g[0].rule, "R-2");
    assert_string_equal(g[0].reason, "large");
    assert_non_null(strstr(g[0].trace, "R-1=no;"));
    assert_non_null(strstr(g[0].trace, "thing.size_class=large;"));
    assert_non_null(strstr(g[0].trace, "thing.size=500;"));

    t = (thing){"red", 5, 1, 1, {"huge", "dog", "giant"}, 3};
    assert_int_equal(eval(rs, &t, g), DX_OK);
    assert_string_equal(g[0].rule, "R-3");
    assert_string_equal(g[0].reason, "twice 10; warm; 2 big items");

    t = (thing){"skip", 5, 1, 2, {NULL}, 0}; /* not applicable; the finding still fires */
    assert_int_equal(eval(rs, &t, g), DX_OK);
    assert_int_equal(g[0].n, 1);
    assert_true(g[0].finding);
    assert_string_equal(g[0].rule, "F-1");
    dx_ruleset_free(rs);
}

static void test_unknown_gives_needs_review(void **state)
{
    (void)state;
    dx_ruleset *rs = NULL;
    assert_int_equal(compile(DECISION, &rs), DX_OK);
    got g[8];
    /* size unknown: R-2 cannot be decided (size_class unknown, flag unknown) */
    thing t = {"x", 0, 0, 0, {NULL}, 0};
    assert_int_equal(eval(rs, &t, g), DX_OK);
    assert_string_equal(g[0].rule, "R-2");
    assert_int_equal(g[0].det, DX_DET_NEEDS_REVIEW);
    assert_true(g[0].undecided);
    assert_non_null(strstr(g[0].reason, "could not decide R-2"));
    assert_non_null(strstr(g[0].reason, "size (thing.size)"));
    assert_non_null(strstr(g[0].reason, "the flag (thing.flag)"));
    /* the finding is undecided too */
    assert_int_equal(g[0].n, 2);
    assert_true(g[1].finding && g[1].undecided);

    /* Kleene: unknown flag, but size decides R-2 through `or` */
    t = (thing){"x", 500, 1, 0, {NULL}, 0};
    assert_int_equal(eval(rs, &t, g), DX_OK);
    assert_string_equal(g[0].rule, "R-2");
    assert_int_equal(g[0].det, DX_DET_LICENSE_REQUIRED);
    dx_ruleset_free(rs);
}

static void test_three_valued_logic(void **state)
{
    (void)state;
    static const struct {
        const char *expr;
        int flag; /* thing.flag: 0 unknown, 1 no, 2 yes */
        const char *rule; /* R-T true, R-F false, R-U undecided */
    } cases[] = {
        {"thing.flag and false", 0, "R-F"},   {"thing.flag or true", 0, "R-T"},
        {"thing.flag and true", 0, "R-U"},    {"not thing.flag", 0, "R-U"},
        {"thing.flag is unknown", 0, "R-T"},  {"thing.flag is true", 0, "R-F"},
        {"thing.flag is false", 1, "R-T"},    {"thing.size > 1", 0, "R-U"},
        {"any(i in thing.items where i == \"b\")", 0, "R-T"},
        {"all(i in thing.items where i != \"z\")", 0, "R-T"},
        {"sum(i in thing.items : length(thing.items)) == 4", 0, "R-T"},
        {"min(i in thing.items : 3) == 3", 0, "R-T"},
        {"\"a\" not in thing.items", 0, "R-F"},
        {"days_between(2026-01-01, as_of) == 334", 0, "R-T"},
        {"add_months(2026-01-31, 1) == 2026-02-28", 0, "R-T"},
        {"months_between(2026-06-01, as_of) == 6", 0, "R-T"},
        {"months_between(2026-06-02, as_of) == 5", 0, "R-T"},
        {"1 / 0 > 1", 0, "R-U"},
        {"percent(0.305) == \"30.5 %\"", 0, "R-T"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, HEADER
                 "rule R-T \"t\" applies to thing when %s then exempt basis \"b\" reason \"r\"\n"
                 "rule R-F \"f\" applies to thing when true then not_controlled basis \"b\" "
                 "reason \"r\"\n", cases[i].expr);
        dx_ruleset *rs = NULL;
        if (compile(text, &rs) != DX_OK)
            fail_msg("%s: does not compile", cases[i].expr);
        got g[8];
        thing t = {"x", 0, 0, cases[i].flag, {"a", "b"}, 2};
        assert_int_equal(eval(rs, &t, g), DX_OK);
        const char *rule = g[0].undecided ? "R-U" : !strcmp(g[0].rule, "R-T") ? "R-T" : "R-F";
        if (strcmp(rule, cases[i].rule))
            fail_msg("%s gave %s, expected %s", cases[i].expr, rule, cases[i].rule);
        dx_ruleset_free(rs);
    }
}

static void test_introspection(void **state)
{
    (void)state;
    dx_ruleset *rs = NULL;
    assert_int_equal(compile(DECISION, &rs), DX_OK);
    assert_int_equal(dx_ruleset_rule_count(rs), 5);
    dx_rule_info info;
    assert_int_equal(dx_ruleset_rule_get(rs, 4, &info), DX_OK);
    assert_string_equal(info.id, "F-1");
    assert_true(info.is_finding);
    assert_int_equal(info.severity, DX_FSEV_HIGH);
    assert_string_equal(info.channel, "joint_research");
    dx_rule_file_info f;
    assert_int_equal(dx_ruleset_file_get(rs, 0, &f), DX_OK);
    assert_string_equal(f.regulation, "test");
    assert_string_equal(f.date, "2026-01-01");
    dx_ruleset_free(rs);
}

static void test_registration_errors(void **state)
{
    (void)state;
    assert_int_equal(dx_ruleenv_add_function(ENV, "twice(number) -> number", "", 0, fn_twice,
                                             NULL), DX_ERR_INVALID);
    assert_int_equal(dx_ruleenv_add_function(ENV, "f(nosuch) -> number", "", 0, fn_twice, NULL),
                     DX_ERR_INVALID);
    assert_int_equal(dx_ruleenv_add_field(ENV, "thing", "name", "text", "", get_name, NULL),
                     DX_ERR_INVALID);
    assert_int_equal(dx_ruleenv_add_target(ENV, "t2", "x: nosuch", NULL), DX_ERR_INVALID);
}

/* ---- allocation failures ---- */

static size_t heap_in_use(void)
{
    return mallinfo2().uordblks;
}

/* Compile and evaluate DECISION with the n-th allocation failing. */
static dx_status compile_and_eval(long n, int *evaluated)
{
    dx_diags *d = NULL;
    dx_ruleset *rs = NULL;
    dx_rule_source src = {"t.rules", DECISION, strlen(DECISION)};
    *evaluated = 0;
    dx_alloc_fail_after(n);
    dx_status st = dx_diags_new(&d);
    if (st == DX_OK)
        st = dx_ruleset_compile(ENV, &src, 1, NULL, d, &rs);
    got g[8];
    thing t = {NULL, 5, 1, 0, {"a"}, 1};
    if (st == DX_OK) {
        st = eval(rs, &t, g);
        *evaluated = st == DX_OK;
    }
    dx_alloc_fail_after(-1);
    dx_ruleset_free(rs);
    dx_diags_free(d);
    return st;
}

static void test_alloc_failures(void **state)
{
    (void)state;
    int evaluated;
    assert_int_equal(compile_and_eval(-1, &evaluated), DX_OK);
    for (long n = 0;; n++) {
        if (n > 100000)
            fail_msg("no success after %ld allocations", n);
        size_t before = heap_in_use();
        dx_status st = compile_and_eval(n, &evaluated);
        if (heap_in_use() > before + 16 * 1024 && compile_and_eval(n, &evaluated) == st &&
            heap_in_use() > before + 32 * 1024)
            fail_msg("allocation %ld failed (%s): leaked", n, dx_status_name(st));
        if (st == DX_OK) {
            assert_true(evaluated);
            break;
        }
        if (st != DX_ERR_NOMEM)
            fail_msg("allocation %ld failed: %s, expected DX_ERR_NOMEM", n, dx_status_name(st));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_error_in_one_pass),
        cmocka_unit_test(test_did_you_mean),
        cmocka_unit_test(test_header_and_clauses_required),
        cmocka_unit_test(test_deep_nesting_is_an_error),
        cmocka_unit_test(test_conclusion_cycle),
        cmocka_unit_test(test_override),
        cmocka_unit_test(test_decision_list),
        cmocka_unit_test(test_unknown_gives_needs_review),
        cmocka_unit_test(test_three_valued_logic),
        cmocka_unit_test(test_introspection),
        cmocka_unit_test(test_registration_errors),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

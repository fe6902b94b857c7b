/*
 * rules_check.c — names and types: what turns parsed declarations into a usable rule set.
 *
 * Every name is resolved and every expression typed at compile time, so evaluation never
 * meets an unknown name or a wrong type. Resolution order for a bare name: variables (the
 * rule's target variables, the conclusion's object, list-form variables, innermost first),
 * parameters, sets, tables, `as_of`, the host's globals. `object.name` is a host field of the
 * object's kind, else a conclusion defined for that kind. Functions are the host's,
 * with their registered signatures.
 *
 * Conclusions are checked on first use (their type is that of their cases' values), which
 * also finds cycles ("depends on itself") and bounds how deep conclusions build on each other
 * (RULES_MAX_CONCLUSION_DEPTH), so evaluation depth is bounded too. Errors are reported with
 * the position of the offending name and, for a misspelt name, the nearest known one.
 * A node whose type could not be found gets the type "none", which silences errors about it
 * further up, so one mistake gives one error.
 */
#include <stdio.h>
#include <string.h>

#include "rules_int.h"

typedef struct scope_var {
    const char *name;
    rty ty;
    int slot;
} scope_var;

typedef struct ck {
    dx_ruleset *rs;
    const dx_ruleenv *env;
    rlexer *lx; /* one per file, for errors with the source line */
    size_t n_lx;
    const char *file;
    scope_var vars[RULES_MAX_DEPTH + RULES_MAX_ARGS];
    int n_vars, max_slots;
    int concl_depth;
} ck;

static const rty NONE = {DX_RT_NONE, -1};
static const rty BOOL = {DX_RT_BOOL, -1};
static const rty NUMBER = {DX_RT_NUMBER, -1};
static const rty TEXT = {DX_RT_TEXT, -1};
static const rty DATE = {DX_RT_DATE, -1};
static const rty TEXTS = {DX_RT_TEXT_LIST, -1};

static int same(rty a, rty b)
{
    return a.base == b.base && (a.base != DX_RT_OBJECT && a.base != DX_RT_OBJECT_LIST ? 1
                                                                                    : a.kind == b.kind);
}

static rlexer *lexer_for(ck *c, const char *file)
{
    for (size_t i = 0; i < c->n_lx; i++)
        if (c->rs->files[i].name == file)
            return &c->lx[i];
    return &c->lx[0];
}

static void err(ck *c, unsigned long line, unsigned long col, const char *code, const char *hint,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void err(ck *c, unsigned long line, unsigned long col, const char *code, const char *hint,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rules_lex_verror(lexer_for(c, c->file), line, col, code, hint, fmt, ap);
    va_end(ap);
}

static const char *tname(ck *c, rty ty, char *buf)
{
    return rules_type_name(c->env, ty, buf, 64);
}

/* ---- "did you mean" ---- */

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

typedef struct suggestion {
    const char *best;
    size_t dist;
    char hint[96];
} suggestion;

static void consider(suggestion *s, const char *name, const char *candidate)
{
    size_t d = edit_distance(name, candidate);
    if (d < s->dist && d <= 2 && d * 3 <= strlen(name) + 1) {
        s->dist = d;
        s->best = candidate;
    }
}

static const char *hint_of(suggestion *s)
{
    if (!s->best)
        return NULL;
    snprintf(s->hint, sizeof s->hint, "did you mean '%s'?", s->best);
    return s->hint;
}

/* ---- names ---- */

static int find_param(const dx_ruleset *rs, const char *name)
{
    for (size_t i = 0; i < rs->n_params; i++)
        if (!strcmp(rs->params[i].name, name))
            return (int)i;
    return -1;
}

static int find_set(const dx_ruleset *rs, const char *name)
{
    for (size_t i = 0; i < rs->n_sets; i++)
        if (!strcmp(rs->sets[i].name, name))
            return (int)i;
    return -1;
}

static int find_concl(const dx_ruleset *rs, int kind, const char *name)
{
    for (size_t i = 0; i < rs->n_concls; i++)
        if (rs->concls[i].kind == kind && !strcmp(rs->concls[i].name, name))
            return (int)i;
    return -1;
}

static rty check(ck *c, rnode *n);
static rty check_concl(ck *c, rconcl *cc, const rnode *use);

static void unknown_name(ck *c, const rnode *n)
{
    suggestion s = {NULL, 99, ""};
    for (int i = 0; i < c->n_vars; i++)
        consider(&s, n->name, c->vars[i].name);
    for (size_t i = 0; i < c->rs->n_params; i++)
        consider(&s, n->name, c->rs->params[i].name);
    for (size_t i = 0; i < c->rs->n_sets; i++)
        consider(&s, n->name, c->rs->sets[i].name);
    for (size_t i = 0; i < c->env->n_fields; i++)
        if (c->env->fields[i].kind < 0)
            consider(&s, n->name, c->env->fields[i].name);
    consider(&s, n->name, "as_of");
    err(c, n->line, n->col, "rules.unknown-name", hint_of(&s), "unknown name '%s'", n->name);
}

static rty check_name(ck *c, rnode *n)
{
    for (int i = c->n_vars - 1; i >= 0; i--)
        if (!strcmp(c->vars[i].name, n->name)) {
            n->ref_kind = REF_VAR;
            n->ref = c->vars[i].slot;
            return c->vars[i].ty;
        }
    int i;
    if ((i = find_param(c->rs, n->name)) >= 0) {
        n->ref_kind = REF_PARAM;
        n->ref = i;
        rop op = c->rs->params[i].value->op;
        return op == OP_NUMBER ? NUMBER : op == OP_TEXT ? TEXT : op == OP_DATE ? DATE : BOOL;
    }
    if ((i = find_set(c->rs, n->name)) >= 0) {
        n->ref_kind = c->rs->sets[i].is_table ? REF_TABLE : REF_SET;
        n->ref = i;
        return TEXTS;
    }
    if (!strcmp(n->name, "as_of")) {
        n->ref_kind = REF_ASOF;
        return DATE;
    }
    if ((i = rules_env_field(c->env, -1, n->name, strlen(n->name))) >= 0) {
        n->ref_kind = REF_GLOBAL;
        n->ref = i;
        return c->env->fields[i].ty;
    }
    unknown_name(c, n);
    return NONE;
}

static void unknown_field(ck *c, const rnode *n, int kind)
{
    suggestion s = {NULL, 99, ""};
    for (size_t i = 0; i < c->env->n_fields; i++)
        if (c->env->fields[i].kind == kind)
            consider(&s, n->name, c->env->fields[i].name);
    for (size_t i = 0; i < c->rs->n_concls; i++)
        if (c->rs->concls[i].kind == kind)
            consider(&s, n->name, c->rs->concls[i].name);
    err(c, n->line, n->col, "rules.unknown-field", s.best ? hint_of(&s)
        : "docs/rules.md lists the facts of each kind; conclusions come from 'define'",
        "%s has no fact or conclusion '%s'", c->env->kinds[kind].name, n->name);
}

static rty check_field(ck *c, rnode *n)
{
    rty obj = check(c, n->a);
    if (obj.base == DX_RT_NONE)
        return NONE;
    if (obj.base != DX_RT_OBJECT) {
        char b[64];
        err(c, n->line, n->col, "rules.type", NULL, "'.%s' needs an object, not a %s", n->name,
            tname(c, obj, b));
        return NONE;
    }
    const char *base = n->a->op == OP_NAME ? n->a->name : n->a->path ? n->a->path : "";
    size_t len = strlen(base) + strlen(n->name) + 2;
    char *path = dx_arena_alloc(&c->rs->arena, len);
    if (!path) {
        lexer_for(c, c->file)->nomem = 1;
        return NONE;
    }
    snprintf(path, len, "%s.%s", base, n->name);
    n->path = path;
    int i = rules_env_field(c->env, obj.kind, n->name, strlen(n->name));
    if (i >= 0) {
        n->ref_kind = REF_FIELD;
        n->ref = i;
        return c->env->fields[i].ty;
    }
    if ((i = find_concl(c->rs, obj.kind, n->name)) >= 0) {
        n->ref_kind = REF_CONCLUSION;
        n->ref = i;
        return check_concl(c, &c->rs->concls[i], n);
    }
    unknown_field(c, n, obj.kind);
    return NONE;
}

/* ---- expressions ---- */

/* Check that n has type want (NONE silently passes); returns 1 when it does. */
static int expect(ck *c, rnode *n, rty want, const char *what)
{
    rty got = check(c, n);
    if (got.base == DX_RT_NONE || same(got, want))
        return got.base != DX_RT_NONE;
    char a[64], b[64];
    err(c, n->line, n->col, "rules.type", NULL, "%s must be a %s, not a %s", what,
        tname(c, want, a), tname(c, got, b));
    return 0;
}

static rty check_call(ck *c, rnode *n)
{
    int f = rules_env_func(c->env, n->name, strlen(n->name));
    if (f < 0) {
        suggestion s = {NULL, 99, ""};
        for (size_t i = 0; i < c->env->n_funcs; i++)
            consider(&s, n->name, c->env->funcs[i].name);
        err(c, n->line, n->col, "rules.unknown-function", hint_of(&s), "unknown function '%s'",
            n->name);
        for (size_t i = 0; i < n->n_args; i++)
            check(c, n->args[i]);
        return NONE;
    }
    const rfunc *fn = &c->env->funcs[f];
    n->ref = f;
    if (n->n_args != fn->n_params) {
        err(c, n->line, n->col, "rules.arguments", fn->doc[0] ? fn->doc : NULL,
            "%s takes %zu argument%s, not %zu", fn->name, fn->n_params,
            fn->n_params == 1 ? "" : "s", n->n_args);
        for (size_t i = 0; i < n->n_args; i++)
            check(c, n->args[i]);
        return fn->result;
    }
    for (size_t i = 0; i < n->n_args; i++) {
        char what[80];
        snprintf(what, sizeof what, "argument %zu of %s", i + 1, fn->name);
        expect(c, n->args[i], fn->params[i], what);
    }
    return fn->result;
}

static rty check_cmp(ck *c, rnode *n)
{
    rty a = check(c, n->a), b = check(c, n->b);
    if (a.base == DX_RT_NONE || b.base == DX_RT_NONE)
        return BOOL;
    char x[64], y[64];
    int ordered = n->sub >= CMP_LT;
    if (!same(a, b))
        err(c, n->line, n->col, "rules.type", NULL, "cannot compare a %s with a %s",
            tname(c, a, x), tname(c, b, y));
    else if (ordered ? a.base != DX_RT_NUMBER && a.base != DX_RT_DATE
                     : a.base > DX_RT_DATE)
        err(c, n->line, n->col, "rules.type",
            ordered ? "< and > compare numbers or dates" : "use 'in' for lists and sets",
            "cannot compare %s values this way", tname(c, a, x));
    return BOOL;
}

static rty check_quant(ck *c, rnode *n)
{
    rty list = check(c, n->a);
    rty elem = NONE;
    if (list.base == DX_RT_TEXT_LIST)
        elem = TEXT;
    else if (list.base == DX_RT_OBJECT_LIST)
        elem = (rty){DX_RT_OBJECT, list.kind};
    else if (list.base != DX_RT_NONE) {
        char b[64];
        err(c, n->a->line, n->a->col, "rules.type", NULL, "'%s in' needs a list, not a %s",
            n->name, tname(c, list, b));
    }
    if (c->n_vars >= (int)(sizeof c->vars / sizeof c->vars[0]))
        return NONE; /* cannot happen: the tree's height is bounded */
    c->vars[c->n_vars] = (scope_var){n->name, elem, c->n_vars};
    n->ref = c->n_vars++;
    if (c->n_vars > c->max_slots)
        c->max_slots = c->n_vars;
    if (n->b)
        expect(c, n->b, BOOL, "the condition after 'where'");
    rty value = n->c ? check(c, n->c) : NONE;
    c->n_vars--;
    int wants_value = n->sub >= Q_SUM;
    if (n->sub == Q_ALL && !n->b)
        err(c, n->line, n->col, "rules.list-form", NULL, "all(...) needs 'where CONDITION'");
    if (wants_value != (n->c != NULL))
        err(c, n->line, n->col, "rules.list-form",
            "sum, min and max end with ': VALUE'; any, all and count do not",
            wants_value ? "this list form needs ': VALUE'" : "this list form takes no ': VALUE'");
    else if (wants_value && value.base != DX_RT_NONE && value.base != DX_RT_NUMBER &&
             (n->sub == Q_SUM || value.base != DX_RT_DATE))
        err(c, n->c->line, n->c->col, "rules.type", NULL, "the value after ':' must be a number%s",
            n->sub == Q_SUM ? "" : " or a date");
    return n->sub <= Q_ALL ? BOOL : n->sub == Q_COUNT ? NUMBER : value;
}

static rty check_in(ck *c, rnode *n)
{
    expect(c, n->a, TEXT, "the value before 'in'");
    rty set = check(c, n->b);
    if (set.base != DX_RT_NONE && set.base != DX_RT_TEXT_LIST) {
        char b[64];
        err(c, n->b->line, n->b->col, "rules.type", "write a set: {\"a\", \"b\"}, a set's name, "
            "or a list of texts", "'in' needs a set or a list of texts, not a %s",
            tname(c, set, b));
    }
    if (n->b->op == OP_NAME && n->b->ref_kind == REF_TABLE)
        n->b->ref_kind = REF_SET; /* a table's keys */
    return BOOL;
}

static rty check_index(ck *c, rnode *n)
{
    if (n->a->op != OP_NAME || (check(c, n->a), n->a->ref_kind != REF_TABLE)) {
        err(c, n->line, n->col, "rules.type", "declare one with: table NAME = {\"key\": \"value\"}",
            "only a table can be looked up with [ ]");
        return NONE;
    }
    expect(c, n->b, TEXT, "the key in [ ]");
    return TEXT;
}

static rty check_template(ck *c, rnode *n)
{
    for (size_t i = 0; i < n->n_args; i++)
        if (n->args[i]->op != OP_TEXT)
            check(c, n->args[i]);
    return TEXT;
}

/* A set written in an expression: its items sorted once, here. */
static rty check_setlit(ck *c, rnode *n)
{
    const char **keys = dx_arena_alloc(&c->rs->arena, (n->n_args ? n->n_args : 1) * sizeof *keys);
    if (!keys) {
        lexer_for(c, c->file)->nomem = 1;
        return NONE;
    }
    for (size_t i = 0; i < n->n_args; i++) {
        if (n->args[i]->a) {
            err(c, n->line, n->col, "rules.type", "declare a table with: table NAME = {...}",
                "a table cannot be written inside an expression");
            return NONE;
        }
        keys[i] = n->args[i]->name;
    }
    rtable t = {"", "", n->n_args, keys, NULL};
    const char *dup;
    if (rules_sort_table(&t, &dup) < 0)
        lexer_for(c, c->file)->nomem = 1;
    n->items = keys;
    n->n_items = n->n_args;
    return TEXTS;
}

static rty check_node(ck *c, rnode *n)
{
    switch (n->op) {
    case OP_BOOL: return BOOL;
    case OP_NUMBER: return NUMBER;
    case OP_TEXT: return TEXT;
    case OP_DATE: return DATE;
    case OP_SETLIT: return check_setlit(c, n);
    case OP_NAME: return check_name(c, n);
    case OP_FIELD: return check_field(c, n);
    case OP_INDEX: return check_index(c, n);
    case OP_CALL: return check_call(c, n);
    case OP_NOT:
        expect(c, n->a, BOOL, "the operand of 'not'");
        return BOOL;
    case OP_NEG:
        expect(c, n->a, NUMBER, "the operand of '-'");
        return NUMBER;
    case OP_AND:
    case OP_OR:
        expect(c, n->a, BOOL, n->op == OP_AND ? "each side of 'and'" : "each side of 'or'");
        expect(c, n->b, BOOL, n->op == OP_AND ? "each side of 'and'" : "each side of 'or'");
        return BOOL;
    case OP_CMP: return check_cmp(c, n);
    case OP_ARITH:
        expect(c, n->a, NUMBER, "each side of an arithmetic operator");
        expect(c, n->b, NUMBER, "each side of an arithmetic operator");
        return NUMBER;
    case OP_IN: return check_in(c, n);
    case OP_IS:
        if (n->sub >= IS_TRUE)
            expect(c, n->a, BOOL, "the value before 'is true' / 'is false'");
        else
            check(c, n->a);
        return BOOL;
    case OP_QUANT: return check_quant(c, n);
    case OP_TEMPLATE: return check_template(c, n);
    case OP_ERROR: break;
    }
    return NONE;
}

static rty check(ck *c, rnode *n)
{
    n->ty = check_node(c, n);
    return n->ty;
}

/* ---- declarations ---- */

typedef struct saved_scope {
    const char *file;
    int n_vars, max_slots;
    scope_var vars[RULES_MAX_DEPTH + RULES_MAX_ARGS];
} saved_scope;

static rty check_cases(ck *c, rconcl *cc)
{
    rty ty = NONE;
    for (size_t i = 0; i < cc->n_cases; i++) {
        rcase *k = &cc->cases[i];
        if (k->cond)
            expect(c, k->cond, BOOL, "a case's condition");
        rty v = check(c, k->value);
        char a[64], b[64];
        if (ty.base == DX_RT_NONE)
            ty = v;
        else if (v.base != DX_RT_NONE && !same(v, ty))
            err(c, k->value->line, k->value->col, "rules.type", NULL,
                "this case gives a %s, the cases before it a %s", tname(c, v, a),
                tname(c, ty, b));
        if (k->because)
            check(c, k->because);
    }
    return ty;
}

static rty check_concl(ck *c, rconcl *cc, const rnode *use)
{
    if (cc->state == 2)
        return cc->ty;
    if (cc->state == 1 || c->concl_depth >= RULES_MAX_CONCLUSION_DEPTH) {
        if (use)
            err(c, use->line, use->col, "rules.conclusion-cycle",
                cc->state == 1 ? "a conclusion cannot be built on itself" : NULL,
                cc->state == 1 ? "conclusion '%s' depends on itself"
                               : "conclusions built on conclusions more than 16 deep ('%s')",
                cc->name);
        return NONE;
    }
    saved_scope s = {c->file, c->n_vars, c->max_slots, {{0}}};
    memcpy(s.vars, c->vars, sizeof s.vars);
    c->file = cc->file;
    c->vars[0] = (scope_var){cc->kind_name, {DX_RT_OBJECT, cc->kind}, 0};
    c->n_vars = c->max_slots = 1;
    cc->state = 1;
    c->concl_depth++;
    cc->ty = check_cases(c, cc);
    c->concl_depth--;
    cc->state = 2;
    cc->n_slots = c->max_slots;
    c->file = s.file;
    c->n_vars = s.n_vars;
    c->max_slots = s.max_slots;
    memcpy(c->vars, s.vars, sizeof s.vars);
    return cc->ty;
}

static void check_rule(ck *c, rrule *r)
{
    c->file = r->file;
    r->target = dx_ruleenv_target_id(c->env, r->target_name);
    if (r->target < 0) {
        suggestion s = {NULL, 99, ""};
        for (size_t i = 0; i < c->env->n_targets; i++)
            consider(&s, r->target_name, c->env->targets[i].name);
        err(c, r->line, r->col, "rules.unknown-target", hint_of(&s),
            "rule %s applies to '%s', which is not something rules apply to", r->id,
            r->target_name);
        return;
    }
    const rtarget *t = &c->env->targets[r->target];
    c->n_vars = 0;
    for (size_t i = 0; i < t->n_vars; i++)
        c->vars[c->n_vars++] = (scope_var){t->var_names[i], {DX_RT_OBJECT, t->var_kinds[i]},
                                           (int)i};
    c->max_slots = c->n_vars;
    expect(c, r->cond, BOOL, "a rule's condition");
    check(c, r->basis);
    check(c, r->reason);
    r->n_slots = c->max_slots;
    if (r->regime == DX_REGIME_NONE)
        err(c, r->line, r->col, "rules.no-regime", "write 'regime JP' (US, EU, LIST, DATA) at the "
            "top of the file or in the rule", "rule %s has no regime", r->id);
}

/* Duplicate names and rule ids, conclusions' kinds. */
static void check_names(ck *c)
{
    dx_ruleset *rs = c->rs;
    for (size_t i = 0; i < rs->n_params; i++) {
        c->file = rs->params[i].file;
        if (find_param(rs, rs->params[i].name) != (int)i || find_set(rs, rs->params[i].name) >= 0)
            err(c, rs->params[i].line, rs->params[i].col, "rules.duplicate", NULL,
                "'%s' is declared twice", rs->params[i].name);
    }
    for (size_t i = 0; i < rs->n_sets; i++) {
        c->file = rs->sets[i].file;
        if (find_set(rs, rs->sets[i].name) != (int)i)
            err(c, rs->sets[i].line, rs->sets[i].col, "rules.duplicate", NULL,
                "'%s' is declared twice", rs->sets[i].name);
    }
    for (size_t i = 0; i < rs->n_concls; i++) {
        rconcl *cc = &rs->concls[i];
        c->file = cc->file;
        cc->kind = rules_env_kind(c->env, cc->kind_name, strlen(cc->kind_name));
        if (cc->kind < 0)
            err(c, cc->line, cc->col, "rules.unknown-kind", NULL, "unknown kind '%s'",
                cc->kind_name);
        else if (find_concl(rs, cc->kind, cc->name) != (int)i ||
                 rules_env_field(c->env, cc->kind, cc->name, strlen(cc->name)) >= 0)
            err(c, cc->line, cc->col, "rules.duplicate", NULL, "%s already has a '%s'",
                cc->kind_name, cc->name);
    }
    for (size_t i = 0; i < rs->n_rules; i++)
        for (size_t j = 0; j < i; j++)
            if (!strcmp(rs->rules[i].id, rs->rules[j].id)) {
                c->file = rs->rules[i].file;
                err(c, rs->rules[i].line, rs->rules[i].col, "rules.duplicate-id", NULL,
                    "rule id %s is used twice (first in %s line %lu)", rs->rules[i].id,
                    rs->rules[j].file, rs->rules[j].line);
                break;
            }
}

/* A set's items: its literal sorted, or the host's table. */
static void check_set(ck *c, rsetdecl *s)
{
    c->file = s->file;
    if (s->store_name) {
        int t = rules_env_table(c->env, s->store_name);
        if (t < 0 || (s->is_table && !c->env->tables[t].values))
            err(c, s->line, s->col, "rules.unknown-store", "the host provides these sets and "
                "tables (see docs/rules.md)", "no %s named \"%s\" is available",
                s->is_table ? "table" : "set", s->store_name);
        else
            s->table = c->env->tables[t];
        return;
    }
    rnode *lit = s->literal;
    size_t n = lit->n_args;
    const char **keys = dx_arena_alloc(&c->rs->arena, (n ? n : 1) * sizeof *keys);
    const char **values = dx_arena_alloc(&c->rs->arena, (n ? n : 1) * sizeof *values);
    if (!keys || !values) {
        lexer_for(c, s->file)->nomem = 1;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        keys[i] = lit->args[i]->name;
        values[i] = lit->args[i]->a ? lit->args[i]->a->name : NULL;
        if (!values[i] != !s->is_table) {
            err(c, lit->args[i]->line, lit->args[i]->col, "rules.type",
                s->is_table ? "write \"key\": \"value\"" : "a set holds texts; a table maps them",
                s->is_table ? "a table's item needs a value" : "a set's item has no value");
            return;
        }
    }
    s->table = (rtable){s->name, s->doc ? s->doc : "", n, keys, s->is_table ? values : NULL};
    const char *dup = NULL;
    if (rules_sort_table(&s->table, &dup) < 0)
        lexer_for(c, s->file)->nomem = 1;
    else if (dup)
        err(c, s->line, s->col, "rules.duplicate", NULL, "\"%s\" appears twice in %s", dup,
            s->name);
}

int rules_check(dx_ruleset *rs, dx_diags *diags, const dx_rule_source *sources)
{
    ck c = {rs, rs->env, NULL, rs->n_files, NULL, {{0}}, 0, 0, 0};
    c.lx = dx_arena_alloc(&rs->arena, (rs->n_files ? rs->n_files : 1) * sizeof *c.lx);
    if (!c.lx)
        return -1;
    for (size_t i = 0; i < rs->n_files; i++)
        rules_lex_init(&c.lx[i], rs->files[i].name, sources[i].text, sources[i].len, diags);
    check_names(&c);
    for (size_t i = 0; i < rs->n_sets; i++)
        check_set(&c, &rs->sets[i]);
    for (size_t i = 0; i < rs->n_concls; i++)
        if (rs->concls[i].kind >= 0)
            check_concl(&c, &rs->concls[i], NULL);
    for (size_t i = 0; i < rs->n_rules; i++)
        check_rule(&c, &rs->rules[i]);
    int errors = 0;
    for (size_t i = 0; i < rs->n_files; i++) {
        if (c.lx[i].nomem)
            return -1;
        errors += c.lx[i].errors;
    }
    return errors;
}

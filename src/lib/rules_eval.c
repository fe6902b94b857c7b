/*
 * rules_eval.c — expressions under three-valued logic, and conclusions.
 *
 * Every value may be unknown (an absent fact). The logic is Kleene's: `false and x` is false
 * and `true or x` is true whatever x is, otherwise an unknown operand makes the result
 * unknown; comparisons, arithmetic, `in` and functions with an unknown operand are unknown
 * (a function registered with DX_RFUNC_SEES_UNKNOWN decides for itself); `is known`,
 * `is unknown`, `is true` and `is false` are never unknown. The list forms fold the same
 * way (any = or, all = and; count, sum, min and max are unknown when any item's condition
 * or value is).
 *
 * A conclusion about an object is computed once per evaluation (memo), in its own frame: its
 * cases are tried in order; the first that holds gives the value and its `because` text; a
 * case whose condition is unknown makes the conclusion unknown (a later case is not tried,
 * because an earlier one might have applied); no case holding gives unknown too. Every fact,
 * parameter and conclusion read is recorded in the current frame for the trace.
 */
#include <stdio.h>
#include <string.h>

#include "rules_eval.h"

void *rules_arena_grow(dx_arena *arena, void *items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return items;
    size_t want = *cap ? *cap * 2 : 8;
    void *p = dx_arena_alloc(arena, want * size);
    if (p && n)
        memcpy(p, items, n * size);
    if (p)
        *cap = want;
    return p;
}

static dx_rvalue unknown(dx_rtype type)
{
    dx_rvalue v = {0};
    v.type = type;
    return v;
}

static dx_rvalue boolean(int b)
{
    dx_rvalue v = {DX_RT_BOOL, 1, 0, {.boolean = !!b}};
    return v;
}

static dx_rvalue number(double x)
{
    dx_rvalue v = {DX_RT_NUMBER, 1, 0, {.number = x}};
    return v;
}

/* Record a fact read into the current frame (once per field, object and path). */
static dx_status record_fact(reval *ev, int field, const void *obj, const char *path,
                             const char *label, rty ty, const dx_rvalue *v)
{
    rrec *r = ev->rec;
    for (size_t i = 0; i < r->n_facts; i++)
        if (r->facts[i].field == field && r->facts[i].object == obj &&
            !strcmp(r->facts[i].path, path))
            return DX_OK;
    rfact *f = rules_arena_grow(ev->arena, r->facts, r->n_facts, &r->cap_facts, sizeof *f);
    if (!f)
        return DX_ERR_NOMEM;
    r->facts = f;
    f[r->n_facts++] = (rfact){field, obj, path, label, ty, *v};
    return DX_OK;
}

static dx_status record_param(reval *ev, int param)
{
    rrec *r = ev->rec;
    for (size_t i = 0; i < r->n_params; i++)
        if (r->params[i] == param)
            return DX_OK;
    int *p = rules_arena_grow(ev->arena, r->params, r->n_params, &r->cap_params, sizeof *p);
    if (!p)
        return DX_ERR_NOMEM;
    r->params = p;
    p[r->n_params++] = param;
    return DX_OK;
}

static dx_status record_dep(reval *ev, rmemo *m)
{
    rrec *r = ev->rec;
    for (size_t i = 0; i < r->n_deps; i++)
        if (r->deps[i] == m)
            return DX_OK;
    rmemo **d = rules_arena_grow(ev->arena, r->deps, r->n_deps, &r->cap_deps, sizeof *d);
    if (!d)
        return DX_ERR_NOMEM;
    r->deps = d;
    d[r->n_deps++] = m;
    return DX_OK;
}

/* A pseudo-fact that made a value unknown (no field behind it). */
static dx_status record_gap(reval *ev, const char *what)
{
    dx_rvalue v = unknown(DX_RT_NONE);
    return record_fact(ev, -1, NULL, what, what, (rty){DX_RT_NONE, -1}, &v);
}

/* Ask the host for a field of obj (NULL: a global) and record it. */
static dx_status read_field(reval *ev, const rnode *n, int field, const void *obj,
                            dx_rvalue *out)
{
    const rfield *f = &ev->env->fields[field];
    *out = unknown(f->ty.base);
    dx_status st = f->get(ev->host, obj, f->data, out);
    if (st != DX_OK)
        return st;
    out->type = f->ty.base;
    if (out->known && f->ty.base == DX_RT_TEXT && !out->u.text)
        out->known = 0;
    return record_fact(ev, field, obj, n->path ? n->path : f->name, f->label, f->ty, out);
}

static dx_status conclude(reval *ev, int ci, const void *obj, dx_rvalue *out);

static dx_status eval_field(reval *ev, const rnode *n, dx_rvalue *out)
{
    dx_rvalue obj;
    dx_status st = rules_eval_expr(ev, n->a, &obj);
    if (st != DX_OK)
        return st;
    if (!obj.known || !obj.u.object) {
        *out = unknown(n->ty.base);
        return DX_OK;
    }
    if (n->ref_kind == REF_CONCLUSION)
        return conclude(ev, n->ref, obj.u.object, out);
    return read_field(ev, n, n->ref, obj.u.object, out);
}

static dx_status eval_name(reval *ev, const rnode *n, dx_rvalue *out)
{
    const dx_ruleset *rs = ev->rs;
    switch (n->ref_kind) {
    case REF_VAR:
        *out = ev->slots[n->ref];
        return DX_OK;
    case REF_PARAM: {
        const rnode *v = rs->params[n->ref].value;
        *out = v->op == OP_NUMBER ? number(v->number) : v->op == OP_BOOL ? boolean(v->number != 0)
               : unknown(DX_RT_NONE);
        if (v->op == OP_TEXT)
            *out = (dx_rvalue){DX_RT_TEXT, 1, 0, {.text = v->name}};
        else if (v->op == OP_DATE)
            *out = (dx_rvalue){DX_RT_DATE, 1, 0, {.date = v->date}};
        return record_param(ev, n->ref);
    }
    case REF_SET: {
        const rtable *t = &rs->sets[n->ref].table;
        *out = (dx_rvalue){DX_RT_TEXT_LIST, 1, 1, {.texts = {t->n, t->keys}}};
        return DX_OK;
    }
    case REF_ASOF:
        *out = (dx_rvalue){DX_RT_DATE, 1, 0, {.date = ev->as_of}};
        return DX_OK;
    case REF_GLOBAL:
        return read_field(ev, n, n->ref, NULL, out);
    }
    return DX_ERR_INTERNAL;
}

/* table[key]: the value, or unknown (recorded) when the key is absent. */
static dx_status eval_index(reval *ev, const rnode *n, dx_rvalue *out)
{
    dx_rvalue key;
    dx_status st = rules_eval_expr(ev, n->b, &key);
    *out = unknown(DX_RT_TEXT);
    if (st != DX_OK || !key.known)
        return st;
    const rtable *t = &ev->rs->sets[n->a->ref].table;
    size_t at;
    if (rules_sorted_find(t->keys, t->n, key.u.text, &at)) {
        *out = (dx_rvalue){DX_RT_TEXT, 1, 0, {.text = t->values[at]}};
        return DX_OK;
    }
    size_t len = strlen(t->name) + strlen(key.u.text) + 8;
    char *what = dx_arena_alloc(ev->arena, len);
    if (!what)
        return DX_ERR_NOMEM;
    snprintf(what, len, "%s[\"%s\"]", t->name, key.u.text);
    return record_gap(ev, what);
}

static dx_status eval_call(reval *ev, const rnode *n, dx_rvalue *out)
{
    const rfunc *fn = &ev->env->funcs[n->ref];
    dx_rvalue args[RULES_MAX_ARGS];
    int all_known = 1;
    for (size_t i = 0; i < n->n_args; i++) {
        dx_status st = rules_eval_expr(ev, n->args[i], &args[i]);
        if (st != DX_OK)
            return st;
        all_known &= args[i].known;
    }
    *out = unknown(fn->result.base);
    if (!all_known && !(fn->flags & DX_RFUNC_SEES_UNKNOWN))
        return DX_OK;
    dx_rcall call = {ev, fn};
    dx_status st = fn->fn(&call, args, n->n_args, out);
    out->type = fn->result.base;
    if (out->known && out->type == DX_RT_TEXT && !out->u.text)
        out->known = 0;
    return st;
}

/* and / or with Kleene's short cuts. */
static dx_status eval_logic(reval *ev, const rnode *n, dx_rvalue *out)
{
    int decisive = n->op == OP_OR; /* the value that decides alone */
    dx_rvalue a, b;
    dx_status st = rules_eval_expr(ev, n->a, &a);
    if (st != DX_OK)
        return st;
    if (a.known && a.u.boolean == decisive) {
        *out = boolean(decisive);
        return DX_OK;
    }
    if ((st = rules_eval_expr(ev, n->b, &b)) != DX_OK)
        return st;
    if (b.known && b.u.boolean == decisive)
        *out = boolean(decisive);
    else if (a.known && b.known)
        *out = boolean(!decisive);
    else
        *out = unknown(DX_RT_BOOL);
    return DX_OK;
}

static int compare(const dx_rvalue *a, const dx_rvalue *b)
{
    switch (a->type) {
    case DX_RT_NUMBER:
        return (a->u.number > b->u.number) - (a->u.number < b->u.number);
    case DX_RT_DATE:
        return (a->u.date > b->u.date) - (a->u.date < b->u.date);
    case DX_RT_TEXT: {
        int c = strcmp(a->u.text, b->u.text);
        return (c > 0) - (c < 0);
    }
    case DX_RT_BOOL:
        return a->u.boolean - b->u.boolean;
    default:
        return 0;
    }
}

static dx_status eval_binary(reval *ev, const rnode *n, dx_rvalue *out)
{
    dx_rvalue a, b;
    dx_status st = rules_eval_expr(ev, n->a, &a);
    if (st == DX_OK)
        st = rules_eval_expr(ev, n->b, &b);
    *out = unknown(n->ty.base);
    if (st != DX_OK || !a.known || !b.known)
        return st;
    if (n->op == OP_CMP) {
        int c = compare(&a, &b);
        static const int want[][3] = {{0, 1, 0}, {1, 0, 1}, {1, 0, 0},
                                      {1, 1, 0}, {0, 0, 1}, {0, 1, 1}};
        *out = boolean(want[n->sub][c + 1]);
        return DX_OK;
    }
    double x = a.u.number, y = b.u.number;
    if (n->sub == '/' && y == 0)
        return record_gap(ev, "a division by zero");
    *out = number(n->sub == '+' ? x + y : n->sub == '-' ? x - y : n->sub == '*' ? x * y : x / y);
    return DX_OK;
}

static dx_status eval_in(reval *ev, const rnode *n, dx_rvalue *out)
{
    dx_rvalue item, set;
    dx_status st = rules_eval_expr(ev, n->a, &item);
    if (st == DX_OK)
        st = rules_eval_expr(ev, n->b, &set);
    *out = unknown(DX_RT_BOOL);
    if (st != DX_OK || !item.known || !set.known)
        return st;
    int found = 0;
    if (set.sorted)
        found = rules_sorted_find(set.u.texts.items, set.u.texts.n, item.u.text, NULL);
    for (size_t i = 0; !set.sorted && !found && i < set.u.texts.n; i++)
        found = !strcmp(set.u.texts.items[i], item.u.text);
    *out = boolean(found != n->sub);
    return DX_OK;
}

/* One item of a list form: its `where` and value; *stop when the result is settled. */
static dx_status quant_item(reval *ev, const rnode *n, dx_rvalue *acc, int *stop)
{
    dx_rvalue cond = boolean(1), v = {0};
    dx_status st = n->b ? rules_eval_expr(ev, n->b, &cond) : DX_OK;
    if (st != DX_OK)
        return st;
    if (n->sub == Q_ANY || n->sub == Q_ALL) {
        int decisive = n->sub == Q_ANY;
        if (cond.known && cond.u.boolean == decisive) {
            *acc = boolean(decisive);
            *stop = 1;
        } else if (!cond.known) {
            acc->known = 0;
        }
        return DX_OK;
    }
    if (cond.known && !cond.u.boolean)
        return DX_OK;
    if (n->c && (st = rules_eval_expr(ev, n->c, &v)) != DX_OK)
        return st;
    if (!cond.known || (n->c && !v.known)) {
        acc->known = 0;
        return DX_OK;
    }
    if (n->sub == Q_COUNT)
        acc->u.number += 1;
    else if (n->sub == Q_SUM)
        acc->u.number += v.u.number;
    else if (acc->type == DX_RT_NONE || (n->sub == Q_MIN) == (compare(&v, acc) < 0))
        *acc = (dx_rvalue){v.type, acc->known, 0, v.u};
    return DX_OK;
}

static dx_status eval_quant(reval *ev, const rnode *n, dx_rvalue *out)
{
    dx_rvalue list;
    dx_status st = rules_eval_expr(ev, n->a, &list);
    *out = unknown(n->ty.base);
    if (st != DX_OK || !list.known)
        return st;
    dx_rvalue acc = n->sub == Q_ANY ? boolean(0) : n->sub == Q_ALL ? boolean(1)
                    : n->sub <= Q_SUM ? number(0) : unknown(DX_RT_NONE);
    acc.known = 1;
    int stop = 0;
    size_t count = list.type == DX_RT_TEXT_LIST ? list.u.texts.n : list.u.objects.n;
    for (size_t i = 0; i < count && !stop && st == DX_OK; i++) {
        if (list.type == DX_RT_TEXT_LIST)
            ev->slots[n->ref] = (dx_rvalue){DX_RT_TEXT, 1, 0, {.text = list.u.texts.items[i]}};
        else
            ev->slots[n->ref] = (dx_rvalue){DX_RT_OBJECT, 1, 0, {.object = list.u.objects.items[i]}};
        st = quant_item(ev, n, &acc, &stop);
    }
    if (st == DX_OK && !(acc.type == DX_RT_NONE)) /* min/max of no item stays unknown */
        *out = acc.known ? acc : unknown(n->ty.base);
    return st;
}

static dx_status eval_is(reval *ev, const rnode *n, dx_rvalue *out)
{
    dx_rvalue v;
    dx_status st = rules_eval_expr(ev, n->a, &v);
    if (st != DX_OK)
        return st;
    int r = n->sub == IS_KNOWN     ? v.known
            : n->sub == IS_UNKNOWN ? !v.known
            : n->sub == IS_TRUE    ? v.known && v.u.boolean
                                   : v.known && !v.u.boolean;
    *out = boolean(r);
    return DX_OK;
}

dx_status rules_eval_expr(reval *ev, const rnode *n, dx_rvalue *out)
{
    dx_status st = DX_OK;
    switch (n->op) {
    case OP_BOOL: *out = boolean(n->number != 0); break;
    case OP_NUMBER: *out = number(n->number); break;
    case OP_TEXT: *out = (dx_rvalue){DX_RT_TEXT, 1, 0, {.text = n->name}}; break;
    case OP_DATE: *out = (dx_rvalue){DX_RT_DATE, 1, 0, {.date = n->date}}; break;
    case OP_SETLIT: *out = (dx_rvalue){DX_RT_TEXT_LIST, 1, 1, {.texts = {n->n_items, n->items}}};
        break;
    case OP_NAME: return eval_name(ev, n, out);
    case OP_FIELD: return eval_field(ev, n, out);
    case OP_INDEX: return eval_index(ev, n, out);
    case OP_CALL: return eval_call(ev, n, out);
    case OP_NOT:
    case OP_NEG:
        if ((st = rules_eval_expr(ev, n->a, out)) == DX_OK && out->known) {
            if (n->op == OP_NOT)
                out->u.boolean = !out->u.boolean;
            else
                out->u.number = -out->u.number;
        }
        break;
    case OP_AND:
    case OP_OR: return eval_logic(ev, n, out);
    case OP_CMP:
    case OP_ARITH: return eval_binary(ev, n, out);
    case OP_IN: return eval_in(ev, n, out);
    case OP_IS: return eval_is(ev, n, out);
    case OP_QUANT: return eval_quant(ev, n, out);
    case OP_TEMPLATE:
        *out = (dx_rvalue){DX_RT_TEXT, 1, 0, {.text = NULL}};
        return rules_eval_template(ev, n, &out->u.text);
    case OP_ERROR: return DX_ERR_INTERNAL;
    }
    return st;
}

dx_status rules_eval_template(reval *ev, const rnode *tpl, const char **out)
{
    const char *parts[RULES_MAX_TEMPLATE_PARTS];
    size_t lens[RULES_MAX_TEMPLATE_PARTS], total = 0, n = tpl->n_args; /* bounded by the parser */
    for (size_t i = 0; i < n; i++) {
        const rnode *p = tpl->args[i];
        if (p->op == OP_TEXT) {
            parts[i] = p->name;
        } else {
            dx_rvalue v;
            dx_status st = rules_eval_expr(ev, p, &v);
            if (st != DX_OK)
                return st;
            if (!(parts[i] = rules_value_text(ev->arena, ev->env, p->ty, &v)))
                return DX_ERR_NOMEM;
        }
        total += lens[i] = strlen(parts[i]);
    }
    char *s = dx_arena_alloc(ev->arena, total + 1);
    if (!s)
        return DX_ERR_NOMEM;
    *out = s;
    for (size_t i = 0; i < n; i++) {
        memcpy(s, parts[i], lens[i]);
        s += lens[i];
    }
    *s = '\0';
    return DX_OK;
}

/* ---- conclusions ---- */

static rmemo *memo_find(reval *ev, int ci, const void *obj)
{
    for (size_t i = 0; i < ev->n_memos; i++)
        if (ev->memos[i]->concl == ci && ev->memos[i]->object == obj)
            return ev->memos[i];
    return NULL;
}

static rmemo *memo_new(reval *ev, int ci, const void *obj)
{
    rmemo **m = rules_arena_grow(ev->arena, ev->memos, ev->n_memos, &ev->cap_memos, sizeof *m);
    rmemo *e = m ? dx_arena_alloc(ev->arena, sizeof *e) : NULL;
    if (!e)
        return NULL;
    memset(e, 0, sizeof *e);
    e->concl = ci;
    e->object = obj;
    e->because = "";
    ev->memos = m;
    m[ev->n_memos++] = e;
    return e;
}

/* Try the cases of conclusion cc in the current frame (the memo's). */
static dx_status run_cases(reval *ev, const rconcl *cc, rmemo *m)
{
    for (size_t i = 0; i < cc->n_cases; i++) {
        const rcase *k = &cc->cases[i];
        dx_rvalue cond = boolean(1);
        dx_status st = k->cond ? rules_eval_expr(ev, k->cond, &cond) : DX_OK;
        if (st != DX_OK || !cond.known)
            return st; /* unknown: an earlier case might have applied; stop */
        if (!cond.u.boolean)
            continue;
        if ((st = rules_eval_expr(ev, k->value, &m->value)) != DX_OK)
            return st;
        return k->because ? rules_eval_template(ev, k->because, &m->because) : DX_OK;
    }
    size_t len = strlen(cc->name) + 40;
    char *what = dx_arena_alloc(ev->arena, len);
    if (!what)
        return DX_ERR_NOMEM;
    snprintf(what, len, "no case of %s applies", cc->name);
    return record_gap(ev, what);
}

/* The value of conclusion ci about obj, computed once; recorded as a dependency. */
static dx_status conclude(reval *ev, int ci, const void *obj, dx_rvalue *out)
{
    const rconcl *cc = &ev->rs->concls[ci];
    rmemo *m = memo_find(ev, ci, obj);
    if (m && !m->done)
        return DX_ERR_INTERNAL; /* a cycle: the checker rules them out */
    if (!m) {
        if (!(m = memo_new(ev, ci, obj)))
            return DX_ERR_NOMEM;
        m->value = unknown(cc->ty.base);
        dx_rvalue *slots = dx_arena_alloc(ev->arena, (size_t)cc->n_slots * sizeof *slots);
        if (!slots)
            return DX_ERR_NOMEM;
        slots[0] = (dx_rvalue){DX_RT_OBJECT, 1, 0, {.object = obj}};
        dx_rvalue *saved_slots = ev->slots;
        rrec *saved_rec = ev->rec;
        ev->slots = slots;
        ev->rec = &m->rec;
        dx_status st = run_cases(ev, cc, m);
        ev->slots = saved_slots;
        ev->rec = saved_rec;
        if (st != DX_OK)
            return st;
        m->done = 1;
    }
    *out = m->value;
    return record_dep(ev, m);
}

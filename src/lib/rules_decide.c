/*
 * rules_decide.c — how a rule set decides about one target, and how it explains itself.
 *
 * Like a firewall: for each regime (in the order the rule files first name them), the
 * determination rules that apply to the target form a *decision list* evaluated in file
 * order, and the first rule whose condition holds decides. A rule that says
 * `then not_applicable` ends the list silently (the regime does not apply to this target).
 * A condition that is *unknown* ends the list with needs_review naming the unknown facts:
 * a later rule is never consulted, because the undecided one might have applied, and a
 * missing fact must never clear anyone. A list in which no rule holds gives needs_review.
 * Finding rules are independent: each one whose condition holds gives a finding; one whose
 * condition is unknown gives the finding marked undecided.
 *
 * The trace of an outcome: the rules of the list that were checked and did not hold; the
 * intermediate conclusions the deciding condition built on (dependencies first, each with
 * its value and its `because` text); the facts read, with their values; the parameters used;
 * and, when undecided, the facts that were unknown.
 */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "rules_eval.h"

struct dx_rscratch {
    dx_arena arena;
};

dx_status dx_rscratch_new(dx_rscratch **out)
{
    if (!out)
        return DX_ERR_INVALID;
    *out = dx_calloc(1, sizeof **out);
    return *out ? DX_OK : DX_ERR_NOMEM;
}

void dx_rscratch_free(dx_rscratch *scratch)
{
    if (!scratch)
        return;
    dx_arena_free(&scratch->arena);
    dx_free(scratch);
}

void *dx_rcall_host(const dx_rcall *call)
{
    return call ? call->ev->host : NULL;
}

const void *dx_rcall_data(const dx_rcall *call)
{
    return call ? call->fn->data : NULL;
}

long dx_rcall_as_of(const dx_rcall *call)
{
    return call ? call->ev->as_of : 0;
}

void *dx_rcall_alloc(dx_rcall *call, size_t n)
{
    return call ? dx_arena_alloc(call->ev->arena, n ? n : 1) : NULL;
}

/* ---- traces ---- */

typedef struct tbuild {
    reval *ev;
    dx_trace_item *items;
    size_t n, cap;
    rrec **recs; /* the deciding frame and the frames of the conclusions it built on */
    size_t n_recs, cap_recs;
} tbuild;

static dx_status add_item(tbuild *tb, dx_trace_kind kind, const char *name, const char *value,
                          const char *text)
{
    dx_trace_item *it = rules_arena_grow(tb->ev->arena, tb->items, tb->n, &tb->cap, sizeof *it);
    if (!it || !name || !value || !text)
        return DX_ERR_NOMEM;
    tb->items = it;
    it[tb->n++] = (dx_trace_item){kind, name, value, text};
    return DX_OK;
}

static dx_status add_rec(tbuild *tb, rrec *rec)
{
    rrec **r = rules_arena_grow(tb->ev->arena, tb->recs, tb->n_recs, &tb->cap_recs, sizeof *r);
    if (!r)
        return DX_ERR_NOMEM;
    tb->recs = r;
    r[tb->n_recs++] = rec;
    return DX_OK;
}

/* Conclusions of rec, dependencies first (depth bounded by the checker). */
static dx_status walk_conclusions(tbuild *tb, rrec *rec)
{
    reval *ev = tb->ev;
    for (size_t i = 0; i < rec->n_deps; i++) {
        rmemo *m = rec->deps[i];
        if (m->mark == ev->mark)
            continue;
        m->mark = ev->mark;
        dx_status st = walk_conclusions(tb, &m->rec);
        if (st != DX_OK || (st = add_rec(tb, &m->rec)) != DX_OK)
            return st;
        const rconcl *cc = &ev->rs->concls[m->concl];
        size_t len = strlen(cc->kind_name) + strlen(cc->name) + 2;
        char *name = dx_arena_alloc(ev->arena, len);
        if (name)
            snprintf(name, len, "%s.%s", cc->kind_name, cc->name);
        st = add_item(tb, DX_TRACE_CONCLUSION, name,
                      rules_value_text(ev->arena, ev->env, cc->ty, &m->value), m->because);
        if (st != DX_OK)
            return st;
    }
    return DX_OK;
}

static int fact_seen(tbuild *tb, size_t upto_rec, size_t upto_fact, const rfact *f)
{
    for (size_t r = 0; r <= upto_rec; r++) {
        const rrec *rec = tb->recs[r];
        size_t n = r == upto_rec ? upto_fact : rec->n_facts;
        for (size_t i = 0; i < n; i++)
            if (rec->facts[i].field == f->field && rec->facts[i].object == f->object &&
                !strcmp(rec->facts[i].path, f->path))
                return 1;
    }
    return 0;
}

/* Facts (or, missing = 1, the unknown ones) of every frame, once each. */
static dx_status add_facts(tbuild *tb, int missing)
{
    for (size_t r = 0; r < tb->n_recs; r++)
        for (size_t i = 0; i < tb->recs[r]->n_facts; i++) {
            const rfact *f = &tb->recs[r]->facts[i];
            if ((missing && f->value.known) || fact_seen(tb, r, i, f))
                continue;
            dx_status st = add_item(tb, missing ? DX_TRACE_MISSING : DX_TRACE_FACT, f->path,
                                    rules_value_text(tb->ev->arena, tb->ev->env, f->ty, &f->value),
                                    f->label);
            if (st != DX_OK)
                return st;
        }
    return DX_OK;
}

static dx_status add_params(tbuild *tb)
{
    const dx_ruleset *rs = tb->ev->rs;
    for (size_t r = 0; r < tb->n_recs; r++)
        for (size_t i = 0; i < tb->recs[r]->n_params; i++) {
            int p = tb->recs[r]->params[i], seen = 0;
            for (size_t k = 0; k < tb->n && !seen; k++)
                seen = tb->items[k].kind == DX_TRACE_PARAM &&
                       !strcmp(tb->items[k].name, rs->params[p].name);
            dx_status st = seen ? DX_OK
                                : add_item(tb, DX_TRACE_PARAM, rs->params[p].name,
                                           rs->params[p].value_text ? rs->params[p].value_text : "",
                                           rs->params[p].doc ? rs->params[p].doc : "");
            if (st != DX_OK)
                return st;
        }
    return DX_OK;
}

/* The trace of an outcome decided by a frame `rec`, after the rules in skipped[]. */
static dx_status build_trace(tbuild *tb, const rrule *const *skipped, size_t n_skipped,
                             rrec *rec, int undecided)
{
    tb->ev->mark++;
    dx_status st = DX_OK;
    for (size_t i = 0; i < n_skipped && st == DX_OK; i++)
        st = add_item(tb, DX_TRACE_RULE_NOT_MET, skipped[i]->id, "no", skipped[i]->title);
    if (st == DX_OK && rec && (st = add_rec(tb, rec)) == DX_OK)
        st = walk_conclusions(tb, rec);
    if (st == DX_OK)
        st = add_facts(tb, 0);
    if (st == DX_OK)
        st = add_params(tb);
    if (st == DX_OK && undecided)
        st = add_facts(tb, 1);
    return st;
}

/* ---- outcomes ---- */

typedef struct emitter {
    reval *ev;
    const rtarget *target;
    dx_outcome_fn fn;
    void *ud;
} emitter;

/* "rule X (title) could not be decided: unknown: label (path); …" */
static const char *undecided_reason(reval *ev, const rrule *r, const tbuild *tb)
{
    size_t len = strlen(r->id) + strlen(r->title) + 64;
    for (size_t i = 0; i < tb->n; i++)
        if (tb->items[i].kind == DX_TRACE_MISSING)
            len += strlen(tb->items[i].name) + strlen(tb->items[i].text) + 8;
    char *s = dx_arena_alloc(ev->arena, len), *o = s;
    if (!s)
        return NULL;
    o += sprintf(o, "could not decide %s (%s); unknown: ", r->id, r->title);
    const char *sep = "";
    for (size_t i = 0; i < tb->n; i++)
        if (tb->items[i].kind == DX_TRACE_MISSING) {
            const dx_trace_item *it = &tb->items[i];
            o += strcmp(it->name, it->text) ? sprintf(o, "%s%s (%s)", sep, it->text, it->name)
                                            : sprintf(o, "%s%s", sep, it->name);
            sep = "; ";
        }
    return s;
}

static dx_status emit(emitter *em, const rrule *r, dx_regime regime, const rrule *const *skipped,
                      size_t n_skipped, rrec *rec, int undecided)
{
    reval *ev = em->ev;
    dx_outcome o = {em->target->name, r ? r->id : NULL, r ? r->title : "", r ? r->file : "",
                    r ? r->line : 0, regime, r && r->outcome == OUT_FINDING, undecided,
                    DX_DET_NEEDS_REVIEW, DX_FSEV_NONE, r ? r->channel : "", "",
                    "no rule of this regime held for this target", 0, NULL};
    /* the texts first: what they read belongs to the trace */
    dx_status st = r ? rules_eval_template(ev, r->basis, &o.basis) : DX_OK;
    if (st == DX_OK && r && !undecided)
        st = rules_eval_template(ev, r->reason, &o.reason);
    tbuild tb = {ev, NULL, 0, 0, NULL, 0, 0};
    if (st == DX_OK)
        st = build_trace(&tb, skipped, n_skipped, rec, undecided);
    if (st == DX_OK && undecided)
        st = (o.reason = undecided_reason(ev, r, &tb)) ? DX_OK : DX_ERR_NOMEM;
    if (r && r->outcome == OUT_FINDING) {
        o.determination = DX_DET_NONE;
        o.severity = r->severity;
    } else if (r && !undecided) {
        o.determination = r->determination;
    }
    o.n_trace = tb.n;
    o.trace = tb.items;
    return st == DX_OK ? em->fn(em->ud, &o) : st;
}

/* Evaluate rule r's condition in a fresh frame recorded into rec. */
static dx_status test_rule(reval *ev, const rrule *r, const void *const *objects, size_t n_vars,
                           rrec *rec, dx_rvalue *cond)
{
    dx_rvalue *slots = dx_arena_alloc(ev->arena, (size_t)(r->n_slots ? r->n_slots : 1) *
                                                     sizeof *slots);
    if (!slots)
        return DX_ERR_NOMEM;
    for (size_t i = 0; i < n_vars; i++)
        slots[i] = (dx_rvalue){DX_RT_OBJECT, objects[i] != NULL, 0, {.object = objects[i]}};
    memset(rec, 0, sizeof *rec);
    ev->slots = slots;
    ev->rec = rec;
    return rules_eval_expr(ev, r->cond, cond);
}

static int in_list(const rrule *r, int target, dx_regime regime)
{
    return r->target == target && r->outcome != OUT_FINDING && r->regime == regime;
}

/* One regime's decision list for the target. */
static dx_status decide(emitter *em, int target, const void *const *objects, dx_regime regime)
{
    reval *ev = em->ev;
    const dx_ruleset *rs = ev->rs;
    size_t n = 0;
    for (size_t i = 0; i < rs->n_rules; i++)
        n += in_list(&rs->rules[i], target, regime);
    if (!n)
        return DX_OK;
    const rrule **skipped = dx_arena_alloc(ev->arena, n * sizeof *skipped);
    if (!skipped)
        return DX_ERR_NOMEM;
    size_t n_skipped = 0;
    for (size_t i = 0; i < rs->n_rules; i++) {
        const rrule *r = &rs->rules[i];
        if (!in_list(r, target, regime))
            continue;
        rrec *rec = dx_arena_alloc(ev->arena, sizeof *rec);
        dx_rvalue cond;
        dx_status st = rec ? test_rule(ev, r, objects, em->target->n_vars, rec, &cond)
                           : DX_ERR_NOMEM;
        if (st != DX_OK)
            return st;
        if (!cond.known)
            return emit(em, r, regime, skipped, n_skipped, rec, 1);
        if (cond.u.boolean)
            return r->outcome == OUT_NOT_APPLICABLE
                       ? DX_OK
                       : emit(em, r, regime, skipped, n_skipped, rec, 0);
        skipped[n_skipped++] = r;
    }
    return emit(em, NULL, regime, skipped, n_skipped, NULL, 0);
}

static dx_status findings(emitter *em, int target, const void *const *objects)
{
    const dx_ruleset *rs = em->ev->rs;
    for (size_t i = 0; i < rs->n_rules; i++) {
        const rrule *r = &rs->rules[i];
        if (r->target != target || r->outcome != OUT_FINDING)
            continue;
        rrec *rec = dx_arena_alloc(em->ev->arena, sizeof *rec);
        dx_rvalue cond;
        dx_status st = rec ? test_rule(em->ev, r, objects, em->target->n_vars, rec, &cond)
                           : DX_ERR_NOMEM;
        if (st == DX_OK && (!cond.known || cond.u.boolean))
            st = emit(em, r, r->regime, NULL, 0, rec, !cond.known);
        if (st != DX_OK)
            return st;
    }
    return DX_OK;
}

dx_status dx_ruleset_eval(const dx_ruleset *rs, const dx_reval_options *opt, int target,
                          const void *const *objects, dx_outcome_fn fn, void *ud)
{
    if (!rs || !opt || !fn || target < 0 || (size_t)target >= rs->env->n_targets ||
        (!objects && rs->env->targets[target].n_vars))
        return DX_ERR_INVALID;
    dx_rscratch *own = NULL, *scratch = opt->scratch;
    if (!scratch && dx_rscratch_new(&own) != DX_OK)
        return DX_ERR_NOMEM;
    if (!scratch)
        scratch = own;
    reval ev = {rs, rs->env, opt->host, opt->as_of, &scratch->arena, NULL, NULL, NULL, 0, 0, 0};
    emitter em = {&ev, &rs->env->targets[target], fn, ud};
    dx_status st = DX_OK;
    for (size_t i = 0; i < rs->n_regimes && st == DX_OK; i++)
        st = decide(&em, target, objects, rs->regime_order[i]);
    if (st == DX_OK)
        st = findings(&em, target, objects);
    dx_arena_reset(&scratch->arena);
    dx_rscratch_free(own);
    return st;
}

/*
 * rules_eval.h — the evaluation state shared by rules_eval.c (expressions, conclusions) and
 * rules_decide.c (decision lists, outcomes, traces).
 *
 * An evaluation works on one target. Everything it allocates comes from one scratch arena,
 * reset when the evaluation ends. What each rule's condition and each conclusion read is
 * *recorded* (facts with their values, parameters, conclusions it built on), which is what
 * traces and "needs review: unknown …" reasons are made of.
 */
#ifndef DX_RULES_EVAL_H
#define DX_RULES_EVAL_H

#include "rules_int.h"

/* A fact read: a host field of an object, or a pseudo-fact (field -1: a table key that is
 * absent, a division by zero, no case of a conclusion applying). */
typedef struct rfact {
    int field;
    const void *object;
    const char *path, *label;
    rty ty;
    dx_rvalue value;
} rfact;

typedef struct rmemo rmemo;

/* What one frame (a rule's condition and texts, or one conclusion) read. */
typedef struct rrec {
    rfact *facts;
    size_t n_facts, cap_facts;
    rmemo **deps;
    size_t n_deps, cap_deps;
    int *params;
    size_t n_params, cap_params;
} rrec;

/* A conclusion about one object, computed at most once per evaluation. */
struct rmemo {
    int concl;
    const void *object;
    int done;
    dx_rvalue value;
    const char *because; /* the deciding case's text, filled; "" when none */
    rrec rec;
    unsigned mark; /* for walking the trace */
};

struct dx_rcall {
    struct reval *ev;
    const rfunc *fn;
};

typedef struct reval {
    const dx_ruleset *rs;
    const dx_ruleenv *env;
    void *host;
    long as_of;
    dx_arena *arena;
    dx_rvalue *slots; /* the current frame's variables */
    rrec *rec;        /* the current frame's record */
    rmemo **memos;
    size_t n_memos, cap_memos;
    unsigned mark;
} reval;

/* Evaluate an expression in the current frame: DX_OK with *out, DX_ERR_NOMEM, or a host's
 * error. */
dx_status rules_eval_expr(reval *ev, const rnode *n, dx_rvalue *out);
/* A template's text, filled (unknown values read "unknown"); NULL when out of memory. */
dx_status rules_eval_template(reval *ev, const rnode *tpl, const char **out);
/* Grow an arena-backed array to hold one more item. */
void *rules_arena_grow(dx_arena *arena, void *items, size_t n, size_t *cap, size_t size);

#endif

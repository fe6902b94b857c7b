/*
 * rules_parse.c — rule files into declarations (the grammar is in docs/rules.md).
 *
 * A hand-written recursive-descent parser with one token of look-ahead. A file is a header
 * (regulation, version, date, regime) and declarations (param, set, table, define, rule),
 * each made of keyword clauses, so a declaration ends where the next one's keyword starts.
 * On a syntax error the parser reports it and skips to the next declaration keyword: every
 * declaration gets its chance, so one pass reports every syntax error (one per declaration).
 *
 * Expressions, lowest precedence first: or; and; not; comparisons (== != < <= > >=, in,
 * not in, is known / unknown / true / false); + -; * /; unary -; postfix (.field, [key],
 * call); literals, names, (…), {set}, and the list forms any/all/count/sum/min/max(x in L
 * where C : V). The height of every tree is bounded (RULES_MAX_DEPTH), so neither parsing
 * nor checking nor evaluation can overflow the stack, whatever the input.
 *
 * Texts used as templates (basis, reason, because) are split here into literal parts and
 * {expression} parts; {{ and }} stand for braces.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "rules_int.h"

typedef struct parser {
    rlexer lx;
    rtoken tok;
    dx_arena *arena;
    rdecls *d;
    const char *prev_end; /* where the token before the current one ended */
    int failed; /* an error in the current declaration: skip to the next one */
    int nomem;
    int depth;
} parser;

/* ---- tokens ---- */

static void next(parser *p)
{
    p->prev_end = p->tok.start + p->tok.len;
    do
        rules_lex_next(&p->lx, &p->tok, 0);
    while (p->tok.type == T_BAD);
}

static int at_kw(const parser *p, int kw)
{
    return p->tok.type == T_KEYWORD && p->tok.kw == kw;
}

static int at_punct(const parser *p, int c)
{
    return p->tok.type == T_PUNCT && p->tok.punct == c;
}

static const char *tok_desc(const rtoken *t, char *buf, size_t size)
{
    if (t->type == T_EOF)
        return "the end of the file";
    int n = t->len > 40 ? 40 : (int)t->len;
    snprintf(buf, size, "'%.*s'", n, t->start);
    return buf;
}

/* Report a syntax error at the current token (once per declaration). */
static void syntax(parser *p, const char *hint, const char *expected)
{
    if (!p->failed) {
        char buf[64];
        rules_lex_error(&p->lx, p->tok.line, p->tok.col, "rules.syntax", hint,
                        "expected %s, found %s", expected, tok_desc(&p->tok, buf, sizeof buf));
    }
    p->failed = 1;
}

static int expect_punct(parser *p, int c, const char *what)
{
    if (at_punct(p, c)) {
        next(p);
        return 1;
    }
    syntax(p, NULL, what);
    return 0;
}

static int expect_kw(parser *p, int kw)
{
    if (at_kw(p, kw)) {
        next(p);
        return 1;
    }
    char what[32];
    snprintf(what, sizeof what, "'%s'", rules_keyword_name(kw));
    syntax(p, NULL, what);
    return 0;
}

static char *copy_tok(parser *p, const rtoken *t)
{
    char *s = dx_arena_strndup(p->arena, t->start, t->len);
    if (!s)
        p->nomem = p->failed = 1;
    return s;
}

/* An identifier (not a keyword), copied; NULL after reporting. */
static char *ident(parser *p, const char *what)
{
    if (p->tok.type != T_IDENT) {
        syntax(p, p->tok.type == T_KEYWORD ? "this word is reserved by the rule language" : NULL,
               what);
        return NULL;
    }
    char *s = copy_tok(p, &p->tok);
    next(p);
    return s;
}

/* The text of raw bytes s[0..len) unescaped; NULL after reporting a bad escape. */
static char *unescape(parser *p, const char *s, size_t len, unsigned long line,
                      unsigned long col)
{
    char *out = dx_arena_alloc(p->arena, len + 1), *o = out;
    if (!out) {
        p->nomem = p->failed = 1;
        return NULL;
    }
    for (const char *e = s + len; s < e; s++) {
        if (*s != '\\') {
            *o++ = *s;
            continue;
        }
        char c = ++s < e ? *s : '\0';
        if (c != '"' && c != '\\' && c != 'n' && c != 't') {
            rules_lex_error(&p->lx, line, col, "rules.bad-escape",
                            "the escapes are \\\" \\\\ \\n \\t", "unknown escape in text");
            p->failed = 1;
            return NULL;
        }
        *o++ = c == 'n' ? '\n' : c == 't' ? '\t' : c;
    }
    *o = '\0';
    return out;
}

/* The contents of a string token, unescaped. */
static char *unquote(parser *p, const rtoken *t)
{
    size_t len = t->len >= 2 && t->start[t->len - 1] == '"' ? t->len - 2 : t->len - 1;
    return unescape(p, t->start + 1, len, t->line, t->col);
}

static char *string(parser *p, const char *what)
{
    if (p->tok.type != T_STRING) {
        syntax(p, "texts are written in double quotes", what);
        return NULL;
    }
    char *s = unquote(p, &p->tok);
    next(p);
    return s;
}

/* ---- nodes ---- */

static rnode *mk(parser *p, rop op, unsigned long line, unsigned long col)
{
    rnode *n = dx_arena_alloc(p->arena, sizeof *n);
    if (!n) {
        p->nomem = p->failed = 1;
        return NULL;
    }
    memset(n, 0, sizeof *n);
    n->op = op;
    n->line = line;
    n->col = col;
    n->depth = 1;
    return n;
}

/* Link children and check the height of the tree; NULL after reporting. */
static rnode *join(parser *p, rnode *n, rnode *a, rnode *b, rnode *c)
{
    if (!n || !a || p->failed)
        return NULL;
    n->a = a;
    n->b = b;
    n->c = c;
    rnode *kids[3] = {a, b, c};
    for (int i = 0; i < 3; i++)
        if (kids[i] && kids[i]->depth + 1 > n->depth)
            n->depth = kids[i]->depth + 1;
    if (n->depth > RULES_MAX_DEPTH) {
        if (!p->failed)
            rules_lex_error(&p->lx, n->line, n->col, "rules.too-deep",
                            "split it into named conclusions (define), or use a set",
                            "this expression is nested more than %d deep", RULES_MAX_DEPTH);
        p->failed = 1;
        return NULL;
    }
    return n;
}

static rnode *parse_expr(parser *p);

/* Parse with the nesting counter (parentheses and prefixes recurse). */
static int enter(parser *p)
{
    if (++p->depth > RULES_MAX_DEPTH) {
        if (!p->failed)
            rules_lex_error(&p->lx, p->tok.line, p->tok.col, "rules.too-deep",
                            "split it into named conclusions (define)",
                            "this expression is nested more than %d deep", RULES_MAX_DEPTH);
        p->failed = 1;
        return 0;
    }
    return 1;
}

/* {"a", "b"} or, for a table, {"a": "x", "b": "y"}: keys in n->args[i]->name, values
 * (tables) in args[i]->a. */
static rnode *parse_setlit(parser *p)
{
    rnode *n = mk(p, OP_SETLIT, p->tok.line, p->tok.col);
    next(p);
    size_t cap = 0;
    while (n && !p->failed && !at_punct(p, '}')) {
        if (n->n_args && !expect_punct(p, ',', "',' or '}'"))
            return NULL;
        if (at_punct(p, '}'))
            break; /* a trailing comma */
        rnode *item = mk(p, OP_TEXT, p->tok.line, p->tok.col);
        if (!item || !(item->name = string(p, "a quoted text")))
            return NULL;
        if (at_punct(p, ':')) {
            next(p);
            rnode *v = mk(p, OP_TEXT, p->tok.line, p->tok.col);
            if (!v || !(v->name = string(p, "a quoted text")))
                return NULL;
            item->a = v;
        }
        if (n->n_args == cap) {
            if (cap >= RULES_MAX_ITEMS) {
                syntax(p, "a set holds at most 100000 items", "'}'");
                return NULL;
            }
            cap = cap ? cap * 2 : 8;
            rnode **args = dx_arena_alloc(p->arena, cap * sizeof *args);
            if (!args) {
                p->nomem = p->failed = 1;
                return NULL;
            }
            if (n->n_args)
                memcpy(args, n->args, n->n_args * sizeof *args);
            n->args = args;
        }
        n->args[n->n_args++] = item;
    }
    return p->failed || !expect_punct(p, '}', "'}'") ? NULL : n;
}

/* any/all/count/sum/min/max ( VAR in LIST [where COND] [: VALUE] ) */
static rnode *parse_quant(parser *p)
{
    static const int kws[] = {K_ANY, K_ALL, K_COUNT, K_SUM, K_MIN, K_MAX};
    rnode *n = mk(p, OP_QUANT, p->tok.line, p->tok.col);
    for (int i = 0; n && i < 6; i++)
        if (p->tok.kw == kws[i])
            n->sub = i;
    next(p);
    if (!n || !expect_punct(p, '(', "'(' after a list form (any, all, count, sum, min, max)"))
        return NULL;
    if (!(n->name = ident(p, "a variable name (as in: any(c in subject.contracts ...))")) ||
        !expect_kw(p, K_IN))
        return NULL;
    rnode *list = parse_expr(p), *where = NULL, *value = NULL;
    if (list && at_kw(p, K_WHERE)) {
        next(p);
        where = parse_expr(p);
    }
    if (list && !p->failed && at_punct(p, ':')) {
        next(p);
        value = parse_expr(p);
    }
    if (!list || p->failed || !expect_punct(p, ')', "')' (or 'where' / ':')"))
        return NULL;
    return join(p, n, list, where, value);
}

/* NAME or NAME(args) */
static rnode *parse_name(parser *p)
{
    rnode *n = mk(p, OP_NAME, p->tok.line, p->tok.col);
    if (!n || !(n->name = copy_tok(p, &p->tok)))
        return NULL;
    next(p);
    if (!at_punct(p, '('))
        return n;
    n->op = OP_CALL;
    next(p);
    rnode *args[RULES_MAX_ARGS];
    while (!p->failed && !at_punct(p, ')')) {
        if (n->n_args && !expect_punct(p, ',', "',' or ')'"))
            return NULL;
        if (n->n_args == RULES_MAX_ARGS) {
            syntax(p, "a function takes at most 16 arguments", "')'");
            return NULL;
        }
        rnode *a = parse_expr(p);
        if (!a)
            return NULL;
        args[n->n_args++] = a;
        if (a->depth + 1 > n->depth)
            n->depth = a->depth + 1;
    }
    if (p->failed || !expect_punct(p, ')', "')'"))
        return NULL;
    n->args = dx_arena_alloc(p->arena, (n->n_args ? n->n_args : 1) * sizeof *args);
    if (!n->args) {
        p->nomem = p->failed = 1;
        return NULL;
    }
    memcpy(n->args, args, n->n_args * sizeof *args);
    return n;
}

static rnode *parse_primary(parser *p)
{
    rtoken t = p->tok;
    rnode *n = NULL;
    if (t.type == T_NUMBER || t.type == T_DATE) {
        if ((n = mk(p, t.type == T_NUMBER ? OP_NUMBER : OP_DATE, t.line, t.col))) {
            n->number = t.number;
            n->date = t.date;
        }
        next(p);
    } else if (t.type == T_STRING) {
        if ((n = mk(p, OP_TEXT, t.line, t.col)))
            n->name = string(p, "a text");
    } else if (at_kw(p, K_TRUE) || at_kw(p, K_FALSE)) {
        if ((n = mk(p, OP_BOOL, t.line, t.col)))
            n->number = at_kw(p, K_TRUE);
        next(p);
    } else if (at_punct(p, '(')) {
        next(p);
        n = parse_expr(p);
        if (n && !expect_punct(p, ')', "')'"))
            n = NULL;
    } else if (at_punct(p, '{')) {
        n = parse_setlit(p);
    } else if (t.type == T_KEYWORD && t.kw >= K_ANY && t.kw <= K_MAX) {
        n = parse_quant(p);
    } else if (t.type == T_IDENT) {
        n = parse_name(p);
    } else {
        syntax(p, t.type == T_KEYWORD ? "this word is reserved by the rule language" : NULL,
               "a value (a name, a number, a date, a quoted text, true, false or (...))");
    }
    return p->failed ? NULL : n;
}

static rnode *parse_postfix(parser *p)
{
    rnode *n = parse_primary(p);
    while (n && (at_punct(p, '.') || at_punct(p, '['))) {
        rtoken t = p->tok;
        next(p);
        if (t.punct == '.') {
            rnode *f = mk(p, OP_FIELD, t.line, t.col + 1);
            if (!f || !(f->name = ident(p, "a field name after '.'")))
                return NULL;
            n = join(p, f, n, NULL, NULL);
        } else {
            rnode *k = parse_expr(p);
            if (!k || !expect_punct(p, ']', "']'"))
                return NULL;
            n = join(p, mk(p, OP_INDEX, t.line, t.col), n, k, NULL);
        }
    }
    return n;
}

static rnode *parse_unary(parser *p)
{
    if (!enter(p))
        return NULL;
    rnode *n;
    if (at_punct(p, '-')) {
        rtoken t = p->tok;
        next(p);
        n = join(p, mk(p, OP_NEG, t.line, t.col), parse_unary(p), NULL, NULL);
    } else {
        n = parse_postfix(p);
    }
    p->depth--;
    return n;
}

static rnode *parse_binary_level(parser *p, int level);

/* Levels: 0 or, 1 and, 2 not, 3 comparison, 4 + -, 5 * /. */
static rnode *parse_operand(parser *p, int level)
{
    return level == 5 ? parse_unary(p) : parse_binary_level(p, level + 1);
}

/* The operator at the current token for a binary level, or 0. */
static int binary_op(const parser *p, int level, rop *op, int *sub)
{
    const rtoken *t = &p->tok;
    if (level == 0 && at_kw(p, K_OR))
        return *op = OP_OR, 1;
    if (level == 1 && at_kw(p, K_AND))
        return *op = OP_AND, 1;
    if (level == 4 && t->type == T_PUNCT && (t->punct == '+' || t->punct == '-'))
        return *op = OP_ARITH, *sub = t->punct, 1;
    if (level == 5 && t->type == T_PUNCT && (t->punct == '*' || t->punct == '/'))
        return *op = OP_ARITH, *sub = t->punct, 1;
    return 0;
}

static rnode *parse_is(parser *p, rnode *left, rtoken t)
{
    static const int words[] = {K_KNOWN, K_UNKNOWN, K_TRUE, K_FALSE};
    rnode *n = mk(p, OP_IS, t.line, t.col);
    for (int i = 0; i < 4; i++)
        if (at_kw(p, words[i])) {
            if (n)
                n->sub = i;
            next(p);
            return join(p, n, left, NULL, NULL);
        }
    syntax(p, NULL, "'known', 'unknown', 'true' or 'false' after 'is'");
    return NULL;
}

/* A comparison, `in`, `not in` or `is` after `left`, or left itself. */
static rnode *parse_comparison(parser *p, rnode *left)
{
    static const int puncts[] = {P_EQ, P_NE, '<', P_LE, '>', P_GE};
    rtoken t = p->tok;
    if (at_kw(p, K_IS)) {
        next(p);
        return parse_is(p, left, t);
    }
    int negated = at_kw(p, K_NOT);
    if (negated) {
        next(p);
        if (!expect_kw(p, K_IN))
            return NULL;
    } else if (at_kw(p, K_IN)) {
        next(p);
    }
    if (negated || (t.type == T_KEYWORD && t.kw == K_IN)) {
        rnode *n = join(p, mk(p, OP_IN, t.line, t.col), left, parse_operand(p, 3), NULL);
        if (n)
            n->sub = negated;
        return n;
    }
    for (int i = 0; i < 6; i++)
        if (at_punct(p, puncts[i])) {
            next(p);
            rnode *n = join(p, mk(p, OP_CMP, t.line, t.col), left, parse_operand(p, 3), NULL);
            if (n)
                n->sub = i;
            return n;
        }
    return left;
}

static rnode *parse_binary_level(parser *p, int level)
{
    if (level == 2 && at_kw(p, K_NOT)) {
        rtoken t = p->tok;
        if (!enter(p))
            return NULL;
        next(p);
        rnode *n = join(p, mk(p, OP_NOT, t.line, t.col), parse_binary_level(p, 2), NULL, NULL);
        p->depth--;
        return n;
    }
    rnode *left = parse_operand(p, level);
    if (left && level == 3)
        return parse_comparison(p, left);
    rop op;
    int sub = 0;
    while (left && binary_op(p, level, &op, &sub)) {
        rtoken t = p->tok;
        next(p);
        rnode *n = join(p, mk(p, op, t.line, t.col), left, parse_operand(p, level), NULL);
        if (n)
            n->sub = sub;
        left = n;
    }
    return left;
}

static rnode *parse_expr(parser *p)
{
    if (!enter(p))
        return NULL;
    rnode *n = parse_binary_level(p, 0);
    p->depth--;
    return p->failed ? NULL : n;
}

/* ---- templates ---- */

/* Append a part to a template node (parts are few; grown one by one in the arena). */
static int add_part(parser *p, rnode *t, rnode *part)
{
    if (!part)
        return 0;
    if (t->n_args == RULES_MAX_TEMPLATE_PARTS) {
        rules_lex_error(&p->lx, t->line, t->col, "rules.template", "split the text",
                        "a text has at most %d parts (texts and {…})", RULES_MAX_TEMPLATE_PARTS);
        p->failed = 1;
        return 0;
    }
    rnode **args = dx_arena_alloc(p->arena, (t->n_args + 1) * sizeof *args);
    if (!args) {
        p->nomem = p->failed = 1;
        return 0;
    }
    if (t->n_args)
        memcpy(args, t->args, t->n_args * sizeof *args);
    args[t->n_args++] = part;
    t->args = args;
    if (part->depth + 1 > t->depth)
        t->depth = part->depth + 1;
    return 1;
}

/* Parse the expression between s and e (on the template's line, starting at column col). */
static rnode *template_expr(parser *p, const char *s, const char *e, unsigned long col)
{
    rlexer saved = p->lx;
    rtoken saved_tok = p->tok;
    p->lx.pos = s;
    p->lx.end = e;
    p->lx.col = col;
    next(p);
    rnode *n = parse_expr(p);
    if (n && p->tok.type != T_EOF)
        syntax(p, "inside { } write one expression", "'}'");
    int errors = p->lx.errors, nomem = p->lx.nomem;
    p->lx = saved;
    p->lx.errors = errors;
    p->lx.nomem = nomem;
    p->tok = saved_tok;
    return p->failed ? NULL : n;
}

/* A literal part: the unescaped text of raw bytes s..e. */
static rnode *template_text(parser *p, const char *s, const char *e, unsigned long col)
{
    rnode *n = mk(p, OP_TEXT, p->tok.line, col);
    if (n && !(n->name = unescape(p, s, (size_t)(e - s), p->tok.line, col)))
        return NULL;
    return n;
}

/* The current string token as a template: text parts and {expression} parts. */
static rnode *parse_template(parser *p, const char *what)
{
    if (p->tok.type != T_STRING) {
        syntax(p, "texts are written in double quotes", what);
        return NULL;
    }
    rtoken t = p->tok;
    rnode *tpl = mk(p, OP_TEMPLATE, t.line, t.col);
    const char *s = t.start + 1, *end = t.start + t.len - (t.len >= 2 && t.start[t.len - 1] == '"');
    unsigned long col = t.col + 1, seg_col = col;
    const char *seg = s;
    while (tpl && s < end && !p->failed) {
        if ((*s == '{' || *s == '}') && s + 1 < end && s[1] == *s) {
            /* {{ or }}: the literal so far including one brace, then skip the other */
            if (!add_part(p, tpl, template_text(p, seg, s + 1, seg_col)))
                return NULL;
            s += 2;
            col += 2;
            seg = s;
            seg_col = col;
        } else if (*s == '{') {
            const char *close = memchr(s, '}', (size_t)(end - s));
            if (!close) {
                rules_lex_error(&p->lx, t.line, col, "rules.template", "close it with '}', or "
                                "write {{ for a brace", "this '{' is not closed in the text");
                p->failed = 1;
                return NULL;
            }
            if ((seg < s && !add_part(p, tpl, template_text(p, seg, s, seg_col))) ||
                !add_part(p, tpl, template_expr(p, s + 1, close, col + 1)))
                return NULL;
            for (const char *q = s; q <= close; q++)
                col += ((unsigned char)*q & 0xc0) != 0x80;
            s = close + 1;
            seg = s;
            seg_col = col;
        } else {
            col += ((unsigned char)*s & 0xc0) != 0x80;
            s++;
        }
    }
    if (tpl && !p->failed && seg < end && !add_part(p, tpl, template_text(p, seg, end, seg_col)))
        return NULL;
    if (p->failed)
        return NULL;
    next(p);
    if (tpl && tpl->depth > RULES_MAX_DEPTH) {
        syntax(p, NULL, "a shorter text");
        return NULL;
    }
    return tpl;
}

/* ---- declarations ---- */

#define GROW(p, arr, n, cap)                                                                 \
    do {                                                                                     \
        if ((n) == (cap)) {                                                                  \
            size_t c_ = dx_grow_cap((cap), (n) + 1, RULES_MAX_DECLS);                        \
            void *a_ = c_ ? dx_realloc((arr), c_ * sizeof *(arr)) : NULL;                    \
            if (!a_) {                                                                       \
                (p)->nomem = !!c_;                                                           \
                (p)->failed = 1;                                                             \
                if (!c_)                                                                     \
                    syntax((p), "split the rules into fewer declarations", "fewer declarations"); \
                return;                                                                      \
            }                                                                                \
            (arr) = a_;                                                                      \
            (cap) = c_;                                                                      \
        }                                                                                    \
    } while (0)

/* A literal for a parameter: number (may be negative), text, date, true, false. */
static rnode *parse_param_literal(parser *p)
{
    rtoken t = p->tok;
    int neg = at_punct(p, '-');
    if (neg)
        next(p);
    if (!(p->tok.type == T_NUMBER || (!neg && (p->tok.type == T_STRING || p->tok.type == T_DATE ||
                                               at_kw(p, K_TRUE) || at_kw(p, K_FALSE))))) {
        syntax(p, "a parameter's default is a number (25, 0.25, 25%), a quoted text, a date, "
                  "true or false", "a literal value");
        return NULL;
    }
    rnode *n = parse_primary(p);
    if (n) {
        n->number = neg ? -n->number : n->number;
        n->line = t.line;
        n->col = t.col;
    }
    return n;
}

/* doc "…" and uncertain "…" clauses of param, set, table and define. */
static int doc_clause(parser *p, const char **doc, const char **uncertain)
{
    if (at_kw(p, K_DOC)) {
        next(p);
        *doc = string(p, "a quoted text after 'doc'");
        return 1;
    }
    if (uncertain && at_kw(p, K_UNCERTAIN)) {
        next(p);
        *uncertain = string(p, "a quoted text after 'uncertain'");
        return 1;
    }
    return 0;
}

static void parse_param(parser *p, const char *file)
{
    GROW(p, p->d->params, p->d->n_params, p->d->cap_params);
    rparam *pr = &p->d->params[p->d->n_params];
    memset(pr, 0, sizeof *pr);
    pr->file = file;
    pr->line = p->tok.line;
    pr->col = p->tok.col;
    next(p);
    if (!(pr->name = ident(p, "the parameter's name")) || !expect_punct(p, '=', "'='"))
        return;
    const char *vstart = p->tok.start;
    if (!(pr->value = parse_param_literal(p)))
        return;
    size_t vlen = p->prev_end > vstart ? (size_t)(p->prev_end - vstart) : 0;
    if (!(pr->value_text = dx_arena_strndup(p->arena, vstart, vlen))) {
        p->nomem = p->failed = 1;
        return;
    }
    while (!p->failed && doc_clause(p, &pr->doc, &pr->uncertain))
        ;
    if (!p->failed && !pr->doc)
        syntax(p, "every parameter says what it is: doc \"…\"", "'doc'");
    if (!p->failed)
        p->d->n_params++;
}

static void parse_set(parser *p, const char *file, int is_table)
{
    GROW(p, p->d->sets, p->d->n_sets, p->d->cap_sets);
    rsetdecl *s = &p->d->sets[p->d->n_sets];
    memset(s, 0, sizeof *s);
    *s = (rsetdecl){.file = file, .line = p->tok.line, .col = p->tok.col, .is_table = is_table};
    next(p);
    if (!(s->name = ident(p, is_table ? "the table's name" : "the set's name")) ||
        !expect_punct(p, '=', "'='"))
        return;
    if (at_kw(p, K_STORE)) {
        next(p);
        s->store_name = string(p, "the quoted name of a set or table the host provides");
    } else if (at_punct(p, '{')) {
        s->literal = parse_setlit(p);
    } else {
        syntax(p, NULL, "'{' or 'store'");
    }
    while (!p->failed && doc_clause(p, &s->doc, NULL))
        ;
    if (!p->failed)
        p->d->n_sets++;
}

/* case COND then VALUE [because "…"] | otherwise VALUE [because "…"] | = VALUE [because …] */
static void parse_case(parser *p, rcase *out)
{
    *out = (rcase){NULL, NULL, NULL, p->tok.line, p->tok.col};
    int kw = p->tok.type == T_KEYWORD ? p->tok.kw : K_NONE;
    next(p);
    if (kw == K_CASE && (!(out->cond = parse_expr(p)) || !expect_kw(p, K_THEN)))
        return;
    if (!(out->value = parse_expr(p)))
        return;
    if (at_kw(p, K_BECAUSE)) {
        next(p);
        out->because = parse_template(p, "a quoted text after 'because'");
    }
}

/* The cases of a conclusion, into the arena. */
static void parse_cases(parser *p, rconcl *c)
{
    rcase cases[256];
    size_t n = 0;
    int shorthand = at_punct(p, '=');
    while (!p->failed && (at_kw(p, K_CASE) || at_kw(p, K_OTHERWISE) || (shorthand && !n))) {
        if (n == sizeof cases / sizeof cases[0]) {
            syntax(p, "a conclusion has at most 256 cases; split it", "fewer cases");
            return;
        }
        int last = !at_kw(p, K_CASE);
        parse_case(p, &cases[n++]);
        while (!p->failed && doc_clause(p, &c->doc, NULL))
            ;
        if (last)
            break;
    }
    if (!p->failed && !n)
        syntax(p, "a conclusion is '= VALUE' or a list of 'case … then …' and 'otherwise …'",
               "'=' or 'case'");
    if (p->failed)
        return;
    c->cases = dx_arena_alloc(p->arena, n * sizeof *cases);
    if (!c->cases) {
        p->nomem = p->failed = 1;
        return;
    }
    memcpy(c->cases, cases, n * sizeof *cases);
    c->n_cases = n;
}

static void parse_define(parser *p, const char *file)
{
    GROW(p, p->d->concls, p->d->n_concls, p->d->cap_concls);
    rconcl *c = &p->d->concls[p->d->n_concls];
    memset(c, 0, sizeof *c);
    c->file = file;
    c->line = p->tok.line;
    c->col = p->tok.col;
    next(p);
    if (!(c->name = ident(p, "the conclusion's name")) || !expect_kw(p, K_FOR) ||
        !(c->kind_name = ident(p, "the kind of object it is about (e.g. subject)")))
        return;
    while (!p->failed && doc_clause(p, &c->doc, NULL))
        ;
    if (!p->failed)
        parse_cases(p, c);
    if (!p->failed)
        p->d->n_concls++;
}

/* A word clause of a rule (then, regime, channel), checked against its vocabulary. */
static void rule_word(parser *p, rrule *r, int kw)
{
    rtoken t = p->tok;
    if (t.type != T_IDENT) {
        syntax(p, NULL, kw == K_THEN ? "a determination or 'finding SEVERITY'" : "a word");
        return;
    }
    next(p);
    int ok = 1;
    if (kw == K_THEN && t.len == 14 && !memcmp(t.start, "not_applicable", 14))
        r->outcome = OUT_NOT_APPLICABLE;
    else if (kw == K_THEN)
        ok = rules_determination_from(t.start, t.len, &r->determination);
    else if (kw == K_FINDING)
        ok = rules_severity_from(t.start, t.len, &r->severity);
    else if (kw == K_REGIME)
        ok = rules_regime_from(t.start, t.len, &r->regime);
    else if ((ok = rules_channel_known(t.start, t.len)) != 0)
        r->channel = copy_tok(p, &t);
    if (ok)
        return;
    static const char *const hints[] = {
        "determinations: license_required, exception_available, licensed, exempt, "
        "no_license_required, not_controlled, prohibited, needs_review (or not_applicable)",
        "severities: critical, high, medium, low, info", "regimes: JP, US, EU, LIST, DATA",
        "channels: investment_and_acquisition, illicit_procurement, "
        "foreign_students_and_researchers, joint_research, recruitment, "
        "intelligence_activities, cyber_attacks"};
    int h = kw == K_THEN ? 0 : kw == K_FINDING ? 1 : kw == K_REGIME ? 2 : 3;
    static const char *const what[] = {"determination", "severity", "regime", "channel"};
    rules_lex_error(&p->lx, t.line, t.col, "rules.unknown-word", hints[h], "unknown %s '%.*s'",
                    what[h], (int)(t.len > 40 ? 40 : t.len), t.start);
}

/* One clause of a rule; 0 when the current token starts none. */
static int rule_clause(parser *p, rrule *r, unsigned *seen)
{
    static const int kws[] = {K_APPLIES, K_WHEN, K_THEN, K_REGIME, K_CHANNEL, K_BASIS, K_REASON};
    int i = 0;
    while (i < 7 && !at_kw(p, kws[i]))
        i++;
    if (i == 7)
        return 0;
    if (*seen & (1u << i)) {
        char what[48];
        snprintf(what, sizeof what, "one '%s' clause per rule", rules_keyword_name(kws[i]));
        syntax(p, NULL, what);
        return 0;
    }
    *seen |= 1u << i;
    next(p);
    switch (kws[i]) {
    case K_APPLIES:
        if (expect_kw(p, K_TO))
            r->target_name = ident(p, "what the rule applies to (e.g. access, subject)");
        break;
    case K_WHEN:
        r->cond = parse_expr(p);
        break;
    case K_THEN:
        if (at_kw(p, K_FINDING)) {
            next(p);
            r->outcome = OUT_FINDING;
            rule_word(p, r, K_FINDING);
        } else {
            rule_word(p, r, K_THEN);
        }
        break;
    case K_BASIS:
        r->basis = parse_template(p, "the legal basis in quotes");
        break;
    case K_REASON:
        r->reason = parse_template(p, "the reason in quotes");
        break;
    default:
        rule_word(p, r, kws[i]);
    }
    return !p->failed;
}

static void parse_rule(parser *p, const rfile *f)
{
    GROW(p, p->d->rules, p->d->n_rules, p->d->cap_rules);
    rrule *r = &p->d->rules[p->d->n_rules];
    memset(r, 0, sizeof *r);
    *r = (rrule){.file = f->name, .line = p->tok.line, .col = p->tok.col, .regime = f->regime,
                 .channel = "", .target = -1};
    rules_lex_next(&p->lx, &p->tok, 1);
    if (p->tok.type != T_RULEID) {
        syntax(p, "a rule starts: rule ID \"Title\" (e.g. rule JP-RES-010 \"...\")", "a rule id");
        return;
    }
    r->id = copy_tok(p, &p->tok);
    next(p);
    if (!(r->title = string(p, "the rule's title in quotes")))
        return;
    unsigned seen = 0;
    while (rule_clause(p, r, &seen))
        ;
    static const char *const needed[] = {"applies to", "when", "then", NULL, NULL, "basis",
                                         "reason"};
    for (int i = 0; i < 7 && !p->failed; i++)
        if (needed[i] && !(seen & (1u << i)))
            rules_lex_error(&p->lx, r->line, r->col, "rules.missing-clause",
                            "a rule has: applies to, when, then, basis and reason",
                            "rule %s has no '%s' clause", r->id, needed[i]);
    if (!p->failed && (seen & 0x67u) == 0x67u)
        p->d->n_rules++;
}

/* A header line: regulation "…", version "…", date YYYY-MM-DD, regime WORD. */
static void parse_header(parser *p, rfile *f)
{
    int kw = p->tok.kw;
    next(p);
    if (kw == K_REGULATION)
        f->regulation = string(p, "the regulation in quotes");
    else if (kw == K_VERSION)
        f->version = string(p, "the version in quotes");
    else if (kw == K_DATE) {
        if (p->tok.type != T_DATE)
            syntax(p, NULL, "a date (YYYY-MM-DD)");
        else if ((f->date = copy_tok(p, &p->tok)))
            next(p);
    } else {
        rrule tmp = {.regime = DX_REGIME_NONE};
        rule_word(p, &tmp, K_REGIME);
        f->regime = tmp.regime;
    }
}

/* At the start of a declaration (or the end). `regime` starts one only where a declaration
 * ended cleanly: when skipping after an error it may be a broken rule's clause. */
static int at_decl(const parser *p, int with_regime)
{
    static const int kws[] = {K_RULE, K_PARAM, K_SET, K_TABLE, K_DEFINE,
                              K_REGULATION, K_VERSION, K_DATE};
    for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++)
        if (at_kw(p, kws[i]))
            return 1;
    return p->tok.type == T_EOF || (with_regime && at_kw(p, K_REGIME));
}

static void parse_decl(parser *p, rfile *f)
{
    switch (p->tok.type == T_KEYWORD ? p->tok.kw : K_NONE) {
    case K_RULE:
        parse_rule(p, f);
        break;
    case K_PARAM:
        parse_param(p, f->name);
        break;
    case K_SET:
    case K_TABLE:
        parse_set(p, f->name, p->tok.kw == K_TABLE);
        break;
    case K_DEFINE:
        parse_define(p, f->name);
        break;
    case K_REGULATION:
    case K_VERSION:
    case K_DATE:
    case K_REGIME:
        parse_header(p, f);
        break;
    default:
        syntax(p, "a rule file holds: regulation, version, date, regime, param, set, table, "
                  "define and rule", "a declaration");
    }
    if (!p->failed && !at_decl(p, 1))
        syntax(p, "a declaration ends where the next one starts", "a new declaration");
    if (p->failed)
        while (!at_decl(p, 0))
            next(p);
    p->failed = 0;
}

int rules_parse(dx_arena *arena, rdecls *decls, const char *name, const char *text,
                size_t len, dx_diags *diags)
{
    parser p = {.arena = arena, .d = decls};
    rules_lex_init(&p.lx, name, text, len, diags);
    rfile f = {dx_arena_strndup(arena, name, strlen(name)), NULL, NULL, NULL, DX_REGIME_NONE};
    if (!f.name)
        return -1;
    next(&p);
    while (p.tok.type != T_EOF && !p.nomem && !p.lx.nomem)
        parse_decl(&p, &f);
    if (!f.regulation || !f.version || !f.date)
        rules_lex_error(&p.lx, 1, 1, "rules.missing-header",
                        "start the file with: regulation \"…\", version \"…\", date YYYY-MM-DD",
                        "this rule file does not name its %s",
                        !f.regulation ? "regulation" : !f.version ? "version" : "date");
    if (p.nomem || p.lx.nomem)
        return -1;
    rdecls *d = decls;
    if (d->n_files == d->cap_files) {
        size_t c = dx_grow_cap(d->cap_files, d->n_files + 1, RULES_MAX_DECLS);
        rfile *a = c ? dx_realloc(d->files, c * sizeof *a) : NULL;
        if (!a)
            return -1;
        d->files = a;
        d->cap_files = c;
    }
    d->files[d->n_files++] = f;
    return p.lx.errors;
}

rnode *rules_parse_literal(dx_arena *arena, const char *text, size_t len)
{
    rdecls d = {0};
    parser p = {.arena = arena, .d = &d};
    dx_diags *none = NULL;
    if (dx_diags_new(&none) != DX_OK)
        return NULL;
    rules_lex_init(&p.lx, "", text, len, none);
    next(&p);
    rnode *n = parse_param_literal(&p);
    if (p.tok.type != T_EOF || p.lx.errors)
        n = NULL;
    dx_diags_free(none);
    return n;
}

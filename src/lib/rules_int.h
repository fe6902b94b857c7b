/*
 * rules_int.h — what the rule-language modules share: the environment's tables, the syntax
 * tree (which, once checked, *is* the compiled form: every name resolved to an index, every
 * node typed) and the rule set.
 *
 * Modules: rules_env.c (registration), rules_lex.c (tokens), rules_parse.c (tree),
 * rules_check.c (names and types), rules_compile.c (driver, rule set, introspection),
 * rules_eval.c (expressions, three-valued logic, conclusions), rules_decide.c (decision lists,
 * outcomes, traces), rules_value.c (dates and value text), rules_builtin.c (standard
 * functions).
 */
#ifndef DX_RULES_INT_H
#define DX_RULES_INT_H

#include <stdarg.h>
#include <stddef.h>

#include "arena.h"
#include "dexcheck/rules.h"
#include "strmap.h"

/* Limits that keep hostile rule files from exhausting the stack or memory. */
enum {
    RULES_MAX_DEPTH = 100,           /* expression nesting (height of a tree) */
    RULES_MAX_CONCLUSION_DEPTH = 16, /* conclusions built on conclusions */
    RULES_MAX_SOURCE = 4 << 20,      /* bytes per rule file */
    RULES_MAX_ARGS = 16,             /* function arguments */
    RULES_MAX_TEMPLATE_PARTS = 64,   /* literal and {…} parts of a text */
    RULES_MAX_ITEMS = 100000,        /* items of a set or table literal */
    RULES_MAX_DECLS = 100000         /* declarations in a rule set */
};

/* A static type: base, and for objects the kind's index. */
typedef struct rty {
    dx_rtype base;
    int kind;
} rty;

/* ---- the environment ---- */

typedef struct rkind {
    const char *name, *doc;
} rkind;

typedef struct rfield {
    int kind; /* -1 for a global */
    const char *name, *label;
    rty ty;
    dx_rfact_fn get;
    const void *data;
} rfield;

typedef struct rtarget {
    const char *name;
    size_t n_vars;
    const char **var_names;
    int *var_kinds;
} rtarget;

typedef struct rfunc {
    const char *name, *doc;
    size_t n_params;
    rty params[RULES_MAX_ARGS];
    rty result;
    unsigned flags;
    dx_rfunc_fn fn;
    const void *data;
} rfunc;

/* A set (values NULL) or table of texts, keys sorted by strcmp, unique. */
typedef struct rtable {
    const char *name, *doc;
    size_t n;
    const char **keys, **values;
} rtable;

struct dx_ruleenv {
    dx_arena arena; /* every name and table */
    rkind *kinds;
    size_t n_kinds, cap_kinds;
    rfield *fields;
    size_t n_fields, cap_fields;
    rtarget *targets;
    size_t n_targets, cap_targets;
    rfunc *funcs;
    size_t n_funcs, cap_funcs;
    rtable *tables;
    size_t n_tables, cap_tables;
};

int rules_env_kind(const dx_ruleenv *env, const char *name, size_t len);
int rules_env_field(const dx_ruleenv *env, int kind, const char *name, size_t len);
int rules_env_func(const dx_ruleenv *env, const char *name, size_t len);
int rules_env_table(const dx_ruleenv *env, const char *name);
/* Sort a table's keys (with their values) by strcmp; *dup = a key found twice (else NULL).
 * -1 when out of memory. */
int rules_sort_table(rtable *t, const char **dup);
/* Parse a type name ("list<contract>"); 0 and *out on success, -1 otherwise. */
int rules_env_parse_type(const dx_ruleenv *env, const char *text, size_t len, rty *out);
/* "number", "list<contract>", ... into buf. */
const char *rules_type_name(const dx_ruleenv *env, rty ty, char *buf, size_t size);

/* ---- the tree ---- */

typedef enum rop {
    OP_BOOL,
    OP_NUMBER,
    OP_TEXT,
    OP_DATE,
    OP_SETLIT,   /* items: sorted texts */
    OP_NAME,     /* resolved: ref_kind/ref */
    OP_FIELD,    /* a.name: a host field or a conclusion */
    OP_INDEX,    /* table[key] */
    OP_CALL,
    OP_NOT,
    OP_NEG,
    OP_AND,
    OP_OR,
    OP_CMP,      /* sub: CMP_* */
    OP_ARITH,    /* sub: '+', '-', '*', '/' */
    OP_IN,       /* sub: 1 = not in */
    OP_IS,       /* sub: IS_* */
    OP_QUANT,    /* sub: Q_*; a = list, b = where (may be NULL), c = value; ref = var slot */
    OP_TEMPLATE, /* args: text parts and expressions */
    OP_ERROR     /* a part that failed to parse */
} rop;

enum { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };
enum { IS_KNOWN, IS_UNKNOWN, IS_TRUE, IS_FALSE };
enum { Q_ANY, Q_ALL, Q_COUNT, Q_SUM, Q_MIN, Q_MAX };
/* What an OP_NAME / OP_FIELD refers to. */
enum {
    REF_NONE,
    REF_VAR,        /* ref = slot */
    REF_PARAM,      /* ref = parameter index */
    REF_SET,        /* ref = table index (rule set's) */
    REF_TABLE,      /* a table name, only valid under OP_INDEX */
    REF_ASOF,
    REF_GLOBAL,     /* ref = env field index */
    REF_FIELD,      /* ref = env field index */
    REF_CONCLUSION  /* ref = conclusion index */
};

typedef struct rnode rnode;
struct rnode {
    rop op;
    int sub;
    rty ty;
    unsigned long line, col;
    rnode *a, *b, *c;
    rnode **args;
    size_t n_args;
    const char *name; /* identifier, field name, text value, quantifier variable */
    const char *path; /* a field's path as written ("subject.jp_entry_date"), for traces */
    double number;
    long date;
    int ref_kind, ref;
    const char *const *items; /* OP_SETLIT in an expression: its texts, sorted */
    size_t n_items;
    int depth; /* height of the subtree, bounded by RULES_MAX_DEPTH */
};

typedef struct rparam {
    const char *name, *doc, *uncertain, *file, *value_text;
    unsigned long line, col;
    rnode *value; /* a literal */
    int used;
} rparam;

typedef struct rsetdecl {
    const char *name, *doc, *file, *store_name;
    unsigned long line, col;
    int is_table;
    rtable table; /* filled by the checker */
    rnode *literal; /* OP_SETLIT (keys, and values in args for a table) or NULL */
} rsetdecl;

typedef struct rcase {
    rnode *cond;     /* NULL for otherwise */
    rnode *value;
    rnode *because;  /* OP_TEMPLATE or NULL */
    unsigned long line, col;
} rcase;

typedef struct rconcl {
    const char *name, *kind_name, *doc, *file;
    unsigned long line, col;
    int kind;
    rcase *cases;
    size_t n_cases;
    rty ty;
    int state;   /* checker: 0 new, 1 checking, 2 done */
    int n_slots; /* variable slots its expressions need (slot 0: the object) */
} rconcl;

/* What a rule gives. */
typedef enum routcome { OUT_DETERMINATION, OUT_FINDING, OUT_NOT_APPLICABLE } routcome;

typedef struct rrule {
    const char *id, *title, *file, *target_name, *channel;
    unsigned long line, col;
    int target;
    rnode *cond;
    routcome outcome;
    dx_determination determination;
    dx_finding_severity severity;
    dx_regime regime;
    rnode *basis, *reason; /* OP_TEMPLATE */
    int n_slots;
} rrule;

typedef struct rfile {
    const char *name, *regulation, *version, *date;
    dx_regime regime;
} rfile;

/* The compiled rule set: immutable after dx_ruleset_compile. */
struct dx_ruleset {
    const dx_ruleenv *env;
    dx_arena arena;
    rfile *files;
    size_t n_files;
    rparam *params;
    size_t n_params;
    rsetdecl *sets;
    size_t n_sets;
    rconcl *concls;
    size_t n_concls;
    rrule *rules;
    size_t n_rules;
    /* regimes in the order the rule files first use them, for decision lists */
    dx_regime regime_order[8];
    size_t n_regimes;
};

/* A growing array of declarations while parsing (pointers into the arena). */
typedef struct rdecls {
    rparam *params;
    size_t n_params, cap_params;
    rsetdecl *sets;
    size_t n_sets, cap_sets;
    rconcl *concls;
    size_t n_concls, cap_concls;
    rrule *rules;
    size_t n_rules, cap_rules;
    rfile *files;
    size_t n_files, cap_files;
} rdecls;

/* ---- lexer ---- */

typedef enum rtok {
    T_EOF,
    T_IDENT,
    T_KEYWORD, /* kw: K_* */
    T_NUMBER,
    T_DATE,
    T_STRING,
    T_PUNCT,   /* punct: a character of ( ) { } [ ] , . : = < > + - * / or a P_ code below */
    T_RULEID,
    T_BAD      /* an unexpected character (already reported) */
} rtok;

enum { P_EQ = 256, P_NE, P_LE, P_GE, P_ARROW };

typedef struct rtoken {
    rtok type;
    int kw;       /* keyword code */
    int punct;
    const char *start; /* into the source */
    size_t len;
    unsigned long line, col;
    double number;
    long date;
} rtoken;

typedef struct rlexer {
    const char *src, *end, *pos;
    const char *text_end; /* the whole source's end (end may be a template's part) */
    const char *name;  /* the source's name */
    unsigned long line, col;
    const char *line_start;
    dx_diags *diags;
    int errors; /* diagnostics added */
    int nomem;
} rlexer;

/* Keywords. K_NONE for an identifier that is none. */
enum {
    K_NONE = 0,
    K_RULE, K_PARAM, K_SET, K_TABLE, K_DEFINE, K_FOR, K_WHEN, K_THEN, K_CASE, K_OTHERWISE,
    K_BECAUSE, K_DOC, K_UNCERTAIN, K_APPLIES, K_TO, K_REGIME, K_CHANNEL, K_BASIS, K_REASON,
    K_REGULATION, K_VERSION, K_DATE, K_FINDING, K_STORE, K_AND, K_OR, K_NOT, K_IN, K_IS,
    K_KNOWN, K_UNKNOWN, K_TRUE, K_FALSE, K_WHERE, K_ANY, K_ALL, K_COUNT, K_SUM, K_MIN, K_MAX,
    K_COUNT_
};

void rules_lex_init(rlexer *lx, const char *name, const char *text, size_t len,
                    dx_diags *diags);
/* The next token; rule_id mode reads [A-Za-z0-9_.-]+ as one T_RULEID. */
void rules_lex_next(rlexer *lx, rtoken *tok, int rule_id);
/* Report an error at a position (line, column in characters) with the line's text. */
void rules_lex_error(rlexer *lx, unsigned long line, unsigned long col, const char *code,
                     const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void rules_lex_verror(rlexer *lx, unsigned long line, unsigned long col, const char *code,
                      const char *hint, const char *fmt, va_list ap);
const char *rules_keyword_name(int kw);

/* ---- parser, checker ---- */

/*
 * Parse one source into `decls` (nodes and strings in `arena`). Errors go to diags; the
 * parser resynchronises at the next declaration, so every syntax error is reported. Returns
 * the number of errors, or -1 when out of memory.
 */
int rules_parse(dx_arena *arena, rdecls *decls, const char *name, const char *text,
                size_t len, dx_diags *diags);

/* A literal value (a parameter override) written as in a rule file; NULL on a syntax error. */
rnode *rules_parse_literal(dx_arena *arena, const char *text, size_t len);

/*
 * Resolve names and check types of everything in `rs` (built from the parsed declarations).
 * Reports every error; returns their number, or -1 when out of memory.
 */
int rules_check(dx_ruleset *rs, dx_diags *diags, const dx_rule_source *sources);

/* ---- values (rules_value.c) ---- */

/* The value as text ("2026-09-01", "yes", "30 %" is not used: numbers as %g); arena copy. */
const char *rules_value_text(dx_arena *arena, const dx_ruleenv *env, rty ty,
                             const dx_rvalue *v);
/* The name of a determination / severity / regime / channel word, and back. */
int rules_determination_from(const char *s, size_t len, dx_determination *out);
int rules_severity_from(const char *s, size_t len, dx_finding_severity *out);
int rules_regime_from(const char *s, size_t len, dx_regime *out);
int rules_channel_known(const char *s, size_t len);
/* Binary search of a sorted text array. */
int rules_sorted_find(const char *const *items, size_t n, const char *key, size_t *at);

#endif

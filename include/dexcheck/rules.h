/*
 * dexcheck/rules.h — the rule language: environment, compiler, evaluator (docs/rules.md).
 *
 * Rules live in text files that a compliance officer reads and changes (rules/). They are
 * compiled once, against an *environment* that the host fills, into an immutable dx_ruleset;
 * the rule set is then evaluated over many *targets* (a person, a visitor, a project, an
 * organisation, an access pair subject × technology), delivering every outcome by callback,
 * each with its trace.
 *
 * The language core knows nothing about records: the host registers
 *   - object kinds and their fields (name, type, a label in plain words, a getter),
 *   - targets (what a rule may apply to, and the variables a target binds),
 *   - functions written in C with their signatures (dx_ruleenv_add_standard_functions
 *     registers the generic ones: dates, text, lists),
 *   - named sets and tables of text (e.g. the Country Groups from the store).
 * The records binding (dexcheck/rules_records.h) is one such host.
 *
 * Values are three-valued: every fact may be unknown; a decisive rule whose condition is
 * unknown gives needs_review naming the missing facts, never a guess.
 *
 * Ownership: an environment must outlive every rule set compiled against it and must not be
 * changed after the first compilation. A rule set is immutable and may be evaluated from
 * several threads at once, each with its own dx_rscratch. Strings in outcomes are borrowed,
 * valid until the callback returns.
 */
#ifndef DEXCHECK_RULES_H
#define DEXCHECK_RULES_H

#include <stddef.h>

#include "dexcheck/diag.h"
#include "dexcheck/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- values ---- */

typedef enum dx_rtype {
    DX_RT_NONE = 0,
    DX_RT_BOOL,
    DX_RT_NUMBER,
    DX_RT_TEXT,
    DX_RT_DATE,        /* days since 1970-01-01 */
    DX_RT_TEXT_LIST,   /* also sets */
    DX_RT_OBJECT,      /* an object of a registered kind */
    DX_RT_OBJECT_LIST
} dx_rtype;

/* A typed value or unknown. Pointers are the host's, valid for the evaluation. */
typedef struct dx_rvalue {
    dx_rtype type;
    int known;  /* 0 = unknown */
    int sorted; /* a text list sorted by strcmp (membership by binary search) */
    union {
        int boolean;
        double number;
        const char *text;
        long date;
        const void *object;
        struct {
            size_t n;
            const char *const *items;
        } texts;
        struct {
            size_t n;
            const void *const *items;
        } objects;
    } u;
} dx_rvalue;

/* Days since 1970-01-01 of a calendar date, and back. */
long dx_rdate_from_ymd(int year, int month, int day);
void dx_rdate_to_ymd(long days, int *year, int *month, int *day);

/* ---- the environment ---- */

typedef struct dx_ruleenv dx_ruleenv;

dx_status dx_ruleenv_new(dx_ruleenv **out);
void dx_ruleenv_free(dx_ruleenv *env); /* accepts NULL */

/*
 * A fact getter: write the field of `object` (NULL for a global) into *out, with known = 0
 * when the fact is absent. `field_data` is what was registered with the field. Pointers in
 * *out must stay valid until the dx_ruleset_eval call returns. A status other than DX_OK
 * stops the evaluation and is returned by it.
 */
typedef dx_status (*dx_rfact_fn)(void *host, const void *object, const void *field_data,
                                 dx_rvalue *out);

/* An object kind, e.g. "subject". `doc` says what it is, in plain words. */
dx_status dx_ruleenv_add_kind(dx_ruleenv *env, const char *name, const char *doc);

/*
 * A field of a kind. `type` is a type name: bool, number, text, date, list<text> (or set), a
 * kind name, or list<KIND>. `label` names the fact in plain words for traces and reasons
 * ("date of the most recent entry into Japan"). DX_ERR_INVALID for an unknown kind or type,
 * or a field registered twice.
 */
dx_status dx_ruleenv_add_field(dx_ruleenv *env, const char *kind, const char *name,
                               const char *type, const char *label, dx_rfact_fn get,
                               const void *field_data);

/* A global name (object NULL in the getter), e.g. "home_country". */
dx_status dx_ruleenv_add_global(dx_ruleenv *env, const char *name, const char *type,
                                const char *label, dx_rfact_fn get, const void *field_data);

/*
 * A target, what rules apply to: `vars` lists the variables it binds, e.g.
 * "subject: subject, tech: technology". *id (may be NULL) receives the target's id for
 * dx_ruleset_eval.
 */
dx_status dx_ruleenv_add_target(dx_ruleenv *env, const char *name, const char *vars, int *id);
/* The id of a target; -1 when unknown. */
int dx_ruleenv_target_id(const dx_ruleenv *env, const char *name);

/* What a C function gets while it runs. */
typedef struct dx_rcall dx_rcall;
void *dx_rcall_host(const dx_rcall *call);
const void *dx_rcall_data(const dx_rcall *call); /* the function's registered data */
long dx_rcall_as_of(const dx_rcall *call);
/* Scratch memory valid until the dx_ruleset_eval call returns; NULL when out of memory. */
void *dx_rcall_alloc(dx_rcall *call, size_t n);

/*
 * A function. Write the result into *out (its type is the declared result type; known = 0
 * for unknown). Unless registered with DX_RFUNC_SEES_UNKNOWN, the function is not called
 * when an argument is unknown: the result is unknown.
 */
typedef dx_status (*dx_rfunc_fn)(dx_rcall *call, const dx_rvalue *args, size_t n_args,
                                 dx_rvalue *out);
enum { DX_RFUNC_SEES_UNKNOWN = 1 };

/*
 * Register a function by its signature, e.g. "months_between(date, date) -> number".
 * DX_ERR_INVALID for a malformed signature, an unknown type or a name registered twice.
 */
dx_status dx_ruleenv_add_function(dx_ruleenv *env, const char *signature, const char *doc,
                                  unsigned flags, dx_rfunc_fn fn, const void *data);

/* The generic functions (docs/rules.md, "Functions"): dates, text and lists. */
dx_status dx_ruleenv_add_standard_functions(dx_ruleenv *env);

/*
 * A named set (values NULL) or table (values[i] belongs to keys[i]) of texts that rule files
 * take with `set NAME = store "NAME"` / `table NAME = store "NAME"`. Copied.
 */
dx_status dx_ruleenv_add_table(dx_ruleenv *env, const char *name, const char *const *keys,
                               const char *const *values, size_t n, const char *doc);

/* ---- compiling ---- */

typedef struct dx_ruleset dx_ruleset;

/* One rule file's text; `name` is how diagnostics name it. */
typedef struct dx_rule_source {
    const char *name;
    const char *text;
    size_t len;
} dx_rule_source;

/* A parameter value given from outside (a test, an option), written as in a rule file. */
typedef struct dx_rule_override {
    const char *name;
    const char *value;
} dx_rule_override;

typedef struct dx_ruleset_options {
    const dx_rule_override *overrides;
    size_t n_overrides;
} dx_ruleset_options;

/*
 * Compile rule sources into one rule set (one name space; rules in source order). Every
 * error of every source is reported into `diags` in one pass (file:line:column, the column
 * counted in characters); with any error the result is DX_ERR_INPUT and no rule set is made.
 * `opt` may be NULL. Caller frees *out with dx_ruleset_free.
 */
dx_status dx_ruleset_compile(const dx_ruleenv *env, const dx_rule_source *sources, size_t n,
                             const dx_ruleset_options *opt, dx_diags *diags, dx_ruleset **out);

/*
 * The same from paths: a file, or a folder whose *.rules files (recursively, sorted by path)
 * are read. DX_ERR_IO (with a diagnostic) when a path cannot be read.
 */
dx_status dx_ruleset_compile_paths(const dx_ruleenv *env, const char *const *paths, size_t n,
                                   const dx_ruleset_options *opt, dx_diags *diags,
                                   dx_ruleset **out);

void dx_ruleset_free(dx_ruleset *rs); /* accepts NULL */

/* ---- the vocabulary of outcomes (product.md §5) ---- */

typedef enum dx_determination {
    DX_DET_NONE = 0,
    DX_DET_LICENSE_REQUIRED,
    DX_DET_EXCEPTION_AVAILABLE,
    DX_DET_LICENSED,
    DX_DET_EXEMPT,
    DX_DET_NO_LICENSE_REQUIRED,
    DX_DET_NOT_CONTROLLED,
    DX_DET_PROHIBITED,
    DX_DET_NEEDS_REVIEW
} dx_determination;

typedef enum dx_finding_severity {
    DX_FSEV_NONE = 0,
    DX_FSEV_CRITICAL,
    DX_FSEV_HIGH,
    DX_FSEV_MEDIUM,
    DX_FSEV_LOW,
    DX_FSEV_INFO
} dx_finding_severity;

typedef enum dx_regime {
    DX_REGIME_NONE = 0,
    DX_REGIME_JP,
    DX_REGIME_US,
    DX_REGIME_EU,
    DX_REGIME_LIST,
    DX_REGIME_DATA
} dx_regime;

/* "license_required", "high", "JP", ...; "" for the NONE values and out-of-range ones. */
const char *dx_determination_name(dx_determination d);
const char *dx_finding_severity_name(dx_finding_severity s);
const char *dx_regime_name(dx_regime r);

/* ---- introspection (for reports: each rule's id, title and citation) ---- */

typedef struct dx_rule_info {
    const char *id, *title, *target, *basis, *channel;
    dx_regime regime;
    int is_finding;
    dx_determination determination; /* DX_DET_NONE for findings and not_applicable */
    dx_finding_severity severity;
    const char *source;
    unsigned long line;
} dx_rule_info;

typedef struct dx_rule_param_info {
    const char *name, *value, *doc, *uncertain; /* uncertain: NULL when settled law */
    const char *source;
    unsigned long line;
} dx_rule_param_info;

typedef struct dx_rule_file_info {
    const char *source, *regulation, *version, *date;
} dx_rule_file_info;

size_t dx_ruleset_rule_count(const dx_ruleset *rs);
dx_status dx_ruleset_rule_get(const dx_ruleset *rs, size_t i, dx_rule_info *out);
size_t dx_ruleset_param_count(const dx_ruleset *rs);
dx_status dx_ruleset_param_get(const dx_ruleset *rs, size_t i, dx_rule_param_info *out);
size_t dx_ruleset_file_count(const dx_ruleset *rs);
dx_status dx_ruleset_file_get(const dx_ruleset *rs, size_t i, dx_rule_file_info *out);

/* ---- evaluating ---- */

typedef enum dx_trace_kind {
    DX_TRACE_RULE_NOT_MET, /* a rule of the decision list checked before, condition false */
    DX_TRACE_CONCLUSION,   /* an intermediate conclusion: name, value, because */
    DX_TRACE_FACT,         /* a fact read: name (as written), value, label */
    DX_TRACE_PARAM,        /* a parameter used: name, value, doc */
    DX_TRACE_MISSING       /* an unknown fact that left the condition undecided */
} dx_trace_kind;

typedef struct dx_trace_item {
    dx_trace_kind kind;
    const char *name;  /* "subject.residency", "subject.jp_entry_date", a rule id */
    const char *value; /* as text; "unknown" when unknown */
    const char *text;  /* because / label / rule title; may be "" */
} dx_trace_item;

typedef struct dx_outcome {
    const char *target;         /* the target's name, e.g. "access" */
    const char *rule_id;        /* NULL when no rule of the decision list decided */
    const char *rule_title;
    const char *source;         /* the rule's file and line */
    unsigned long line;
    dx_regime regime;
    int is_finding;
    int undecided;              /* 1 when the rule's condition was unknown (see missing) */
    dx_determination determination; /* determinations; needs_review when undecided */
    dx_finding_severity severity;   /* findings */
    const char *channel;        /* leakage channel; "" when none */
    const char *basis;          /* legal basis, filled */
    const char *reason;         /* the reason, filled with the facts used */
    size_t n_trace;
    const dx_trace_item *trace;
} dx_outcome;

/* Receives each outcome; a status other than DX_OK stops the evaluation and is returned. */
typedef dx_status (*dx_outcome_fn)(void *ud, const dx_outcome *outcome);

/* Reusable evaluation memory (one per thread). */
typedef struct dx_rscratch dx_rscratch;
dx_status dx_rscratch_new(dx_rscratch **out);
void dx_rscratch_free(dx_rscratch *scratch); /* accepts NULL */

typedef struct dx_reval_options {
    void *host;            /* passed to getters and functions */
    long as_of;            /* the as-of date (days since 1970-01-01) */
    dx_rscratch *scratch;  /* NULL: allocated for this call */
} dx_reval_options;

/*
 * Evaluate the rules that apply to one target (`objects` holds one object per variable the
 * target binds, in registration order). For each regime, in the order the rule files name
 * them, the determination rules of that target form a decision list: the first rule whose
 * condition holds decides (a rule with `then not_applicable` ends the list without an
 * outcome); a condition that is unknown ends the list with needs_review naming the missing
 * facts; a list where no rule holds gives needs_review. Then every finding rule whose
 * condition holds (or is unknown: `undecided`) gives a finding. Deterministic: file order.
 */
dx_status dx_ruleset_eval(const dx_ruleset *rs, const dx_reval_options *opt, int target,
                          const void *const *objects, dx_outcome_fn fn, void *ud);

#ifdef __cplusplus
}
#endif
#endif

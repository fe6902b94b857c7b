/*
 * dexcheck/rules_records.h — the rule language bound to the input records (dexcheck/records.h).
 *
 * dx_records_ruleenv_new builds the environment whose kinds, fields and targets are the
 * records of product.md §4 (docs/rules.md, "Facts", lists every name): a rule file compiled
 * against it reads `subject.jp_entry_date`, `tech.jp_item`, `subject.contracts`, ... and
 * applies to subject, person, visitor, project, organization or access (subject × technology).
 * dx_rules_eval_records then evaluates a rule set over a whole record set, in a fixed order:
 * people, visitors, projects, organisations, then access pairs in assignment order.
 */
#ifndef DEXCHECK_RULES_RECORDS_H
#define DEXCHECK_RULES_RECORDS_H

#include "dexcheck/records.h"
#include "dexcheck/rules.h"
#include "dexcheck/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The environment of the records (with the standard functions). Caller frees it with
 * dx_ruleenv_free, after every rule set compiled against it. The host may add more (its
 * own functions, sets and tables) before compiling. */
dx_status dx_records_ruleenv_new(dx_ruleenv **out);

/* An outcome with the ids of what it is about (NULL when not part of the target). */
typedef struct dx_records_outcome {
    const dx_outcome *outcome;
    const char *subject_id, *subject_type; /* "person" / "visitor" */
    const char *tech_id, *project_id, *org_id;
} dx_records_outcome;

typedef dx_status (*dx_records_outcome_fn)(void *ud, const dx_records_outcome *o);

/*
 * The U.S. EAR control data that the us_* functions of the environment read (docs/rules.md,
 * "Functions"): the newest versions of us_country_chart, us_country_groups and us_ccl in a
 * store. `store` may be NULL, and the lists may be missing: then those functions are unknown
 * and the rules that need them give needs_review. Caller frees with dx_us_controls_free.
 */
typedef struct dx_us_controls dx_us_controls;
dx_status dx_us_controls_load(dx_store *store, dx_us_controls **out);
void dx_us_controls_free(dx_us_controls *controls); /* accepts NULL */

/*
 * The restricted-party list hits of a run, for the rules (docs/rules.md, "List hits"): each
 * hit belongs to an owner (a person, visitor, organisation or project, by id) and says which
 * of the owner's names matched (`role`: "name", "alias", "name in local script",
 * "affiliation", "organisation", "sponsor", "collaborator") and the legal effect of the list
 * as a short code (`list`: "SDN", "EL", "DPL", "DTC", "MEU", "ISN", "UN", "MOF", "EUL",
 * "UVL", "OFAC-OTHER", "DFAT", "HIT"; the LIST-* rule ids of screen_lists.c without the
 * prefix). The rules read them as subject.list_hits, project.list_hits and
 * organization.list_hits. A host that screened nothing passes NULL: every owner then has no
 * hits, and the host reports that the lists were not screened (LIST-NONE).
 */
typedef struct dx_list_hit {
    const char *owner_type;   /* "person", "visitor", "organization", "project" */
    const char *owner_id;
    const char *role, *list;  /* see above */
    const char *list_id, *entry_id, *entry_name, *matched_name;
    double score;
    unsigned concern_types;   /* DX_CONCERN_* bits (End User List entries) */
} dx_list_hit;

typedef struct dx_list_hits dx_list_hits;
/* An empty set of hits; caller frees with dx_list_hits_free. */
dx_status dx_list_hits_new(dx_list_hits **out);
/* Add a copy of `hit` (its strings are copied). owner_type, owner_id and list are required:
 * DX_ERR_INVALID without them. */
dx_status dx_list_hits_add(dx_list_hits *hits, const dx_list_hit *hit);
size_t dx_list_hits_count(const dx_list_hits *hits);
void dx_list_hits_free(dx_list_hits *hits); /* accepts NULL */

typedef struct dx_records_eval_options {
    long as_of;               /* days since 1970-01-01 (dx_rdate_from_ymd) */
    const char *home_country; /* where a project without a location is; NULL = "JP" */
    const dx_us_controls *us_controls; /* NULL: the us_* functions are unknown */
    const dx_list_hits *list_hits;     /* NULL: no owner has list hits (nothing screened) */
} dx_records_eval_options;

/*
 * Evaluate `rs` (compiled against an environment from dx_records_ruleenv_new) over every
 * target of `records`. A status other than DX_OK from `fn` stops and is returned.
 * DX_ERR_INVALID when the rule set was compiled against another environment.
 */
dx_status dx_rules_eval_records(const dx_ruleset *rs, const dx_records *records,
                                const dx_records_eval_options *opt, dx_records_outcome_fn fn,
                                void *ud);

/*
 * Rule tests (docs/rules.md, "Testing rules"): a test file holds cases, each with records in
 * (inline CSV or a record folder), the rules (paths, or inline rule text), the as-of date,
 * parameter overrides and the expected outcomes. Every `expect` line gives one result. Paths
 * in a test file are relative to the file. Problems with the test file itself go to `diags`
 * (then DX_ERR_INPUT); a failed expectation is a result, not an error.
 */
typedef struct dx_ruletest_result {
    const char *file;
    unsigned long line;    /* the expect line */
    const char *case_name;
    const char *expect;    /* the expectation as written */
    int passed;
    const char *detail;    /* why it failed, or what was found; "" when nothing to say */
} dx_ruletest_result;

typedef dx_status (*dx_ruletest_fn)(void *ud, const dx_ruletest_result *result);

dx_status dx_ruletest_run(const char *path, dx_diags *diags, dx_ruletest_fn fn, void *ud);

#ifdef __cplusplus
}
#endif
#endif

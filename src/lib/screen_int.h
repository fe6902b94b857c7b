/*
 * screen_int.h — what the modules of a screening run share (screen.c, screen_lists.c,
 * screen_facts.c). The public face is dexcheck/screen.h.
 */
#ifndef DX_SCREEN_INT_H
#define DX_SCREEN_INT_H

#include "dexcheck/index.h"
#include "dexcheck/records.h"
#include "dexcheck/report.h"
#include "dexcheck/rules.h"
#include "dexcheck/rules_records.h"
#include "dexcheck/screen.h"
#include "arena.h"
#include "strbuf.h"
#include "strmap.h"

/* What a run knows of one person or visitor while results arrive (the subject summary). */
typedef struct dx_screen_subject {
    const char *type, *id, *name, *citizenship; /* citizenship: codes joined by ';' */
    int det_rank, sev_rank;       /* of the worst determination / finding so far (0 = none) */
    dx_determination worst_det;
    dx_finding_severity worst_sev;
    int us_rank;                  /* worst U.S. determination (0 = not in the U.S. regime) */
    int attention;
    int why_rank;                 /* the urgency of the result `why` tells */
    const char *why;              /* rule and reason of the most urgent result (arena) */
} dx_screen_subject;

typedef struct dx_screen_ctx {
    const dx_screen_options *opt;
    dx_diags *diags;
    dx_screen_summary *sum;
    dx_records *records;
    dx_report *report;
    dx_arena arena;               /* texts that live as long as the run */
    dx_screen_subject *subjects;  /* people, then visitors, in file order */
    size_t n_subjects;
    dx_strmap subject_ix;         /* subject id → index into subjects */
    dx_strbuf text, text2;        /* scratch for reasons and explanations */
    dx_list_hits *hits;           /* every list hit by owner, for the rules (screen_lists.c) */
    struct dx_audit *audit;       /* the run's record in the store (audit_int.h) */
    long as_of;                   /* days (dx_date_days) */
    dx_strbuf reason;             /* scratch for a reason amended by a disposition */
    /* rescreen.c: the queries stored with earlier runs, screened instead of the records'
     * names (records NULL), grouped by subject. */
    const struct dx_stored_query *stored;
    size_t n_stored;
} dx_screen_ctx;

/*
 * Hand one result to every output and to the caller's callback, after filling its
 * finding_id (from the result and `id_extra`, which tells apart results that would otherwise
 * share an id: file:line for DATA findings; NULL otherwise) and needs_attention, and counting
 * it for the summaries. The result's strings are borrowed.
 */
dx_status dx_screen_emit(dx_screen_ctx *c, dx_result *r, const char *id_extra);
/* The same for a list hit, with the content hash of its list entry (NULL when unknown): a
 * false_positive disposition clears the hit only while the entry is unchanged. */
dx_status dx_screen_emit_hit(dx_screen_ctx *c, dx_result *r, const char *entry_hash);

/* Seconds on the monotonic clock (for the step times of dx_screen_summary). */
double dx_screen_now(void);

/* The rank of a determination for "the most severe": prohibited 8 … not_controlled 1. */
int dx_screen_det_rank(dx_determination d);

/* screen_lists.c: screen every name of the records against the index; emits list hits and,
 * when c->hits is not NULL, adds each to it under its owner (for the rules, which run after). */
dx_status dx_screen_lists(dx_screen_ctx *c, const dx_index *index);

/* The rules that list hits are reported under (for the "Lists and rules" sheet). */
size_t dx_screen_list_rule_count(void);
void dx_screen_list_rule(size_t i, dx_report_rule *out);

/* screen_facts.c: the SHA-256 of a file as lower-case hex; DX_ERR_IO when unreadable. */
dx_status dx_screen_file_sha256(const char *path, char hex[65]);
/* 32 random hex digits (the kernel's randomness; the clock and pid if it fails). */
void dx_screen_random_id(char out[33]);
/* A hash of what decides outcomes in a rule set: files, rules and parameter values. */
void dx_screen_ruleset_hash(const dx_ruleset *rs, char hex[65]);

#endif

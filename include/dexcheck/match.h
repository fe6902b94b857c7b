/*
 * dexcheck/match.h — scoring how well two names match, with an explanation.
 *
 * Two algorithms: the default one (token alignment over normalised names, legal forms and
 * particles as evidence, asymmetric penalties; docs in src/lib/name_score.c) and an
 * OFAC-compatible one that reproduces the score of OFAC's Sanctions List Search tool, for
 * offices that must show parity with Treasury's tool. Scores are in [0, 1].
 */
#ifndef DEXCHECK_MATCH_H
#define DEXCHECK_MATCH_H

#include "dexcheck/diag.h"
#include "dexcheck/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dx_name_schema {
    DX_SCHEMA_ANY = 0, /* unknown: person and organisation evidence both considered */
    DX_SCHEMA_PERSON,
    DX_SCHEMA_ORGANIZATION,
    DX_SCHEMA_VESSEL
} dx_name_schema;

typedef enum dx_algorithm { DX_ALGO_DEFAULT = 0, DX_ALGO_OFAC } dx_algorithm;

/* "person", "organization" (also "company", "legalentity", "organisation"), "vessel", "any"
 * (case-insensitive); DX_ERR_NOT_FOUND otherwise. */
dx_status dx_name_schema_parse(const char *text, dx_name_schema *out);

/* The default threshold of an algorithm (a score at or above it is a match). */
double dx_match_default_threshold(dx_algorithm algorithm);

/* Holds the normaliser and tables; build once, use from many threads. */
typedef struct dx_matcher dx_matcher;

dx_status dx_matcher_new(dx_matcher **out);
void dx_matcher_free(dx_matcher *matcher); /* accepts NULL */

/*
 * Score name1 against name2 (UTF-8). *score gets [0, 1]. When `explanation` is not NULL it
 * gets a NUL-terminated text (caller frees with dx_match_explanation_free) saying which
 * words matched which, each similarity and each adjustment. DX_ERR_ENCODING for invalid
 * UTF-8, DX_ERR_LIMIT for names over 1,024 bytes, DX_ERR_NOMEM.
 */
dx_status dx_match_names(const dx_matcher *matcher, const char *name1, const char *name2,
                         dx_name_schema schema, dx_algorithm algorithm, double *score,
                         char **explanation);
void dx_match_explanation_free(char *explanation);

/* One scored pair of a pairs file. Strings are borrowed for the duration of the callback. */
typedef struct dx_pair_result {
    unsigned long line; /* of the pair in the file */
    const char *name1, *name2;
    dx_name_schema schema;
    double score;
    const char *explanation;
} dx_pair_result;

typedef dx_status (*dx_pair_fn)(void *ctx, const dx_pair_result *pair);

/*
 * Score every pair of a CSV file with the columns name1, name2 and an optional schema
 * (person / organization / vessel, case-insensitive; Company and LegalEntity read as
 * organization); other columns are ignored. Pairs are delivered in file order. A row that
 * cannot be read is a diagnostic (file:line:column) and is skipped; the file's encoding is
 * detected as for records. DX_ERR_IO when the file cannot be read, DX_ERR_INPUT when the
 * header lacks name1 or name2.
 */
dx_status dx_match_pairs_file(const dx_matcher *matcher, const char *path,
                              dx_algorithm algorithm, dx_diags *diags, dx_pair_fn fn,
                              void *ctx);

#ifdef __cplusplus
}
#endif
#endif

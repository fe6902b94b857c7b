/*
 * ofac_score.h — "OFAC-compatible" name scoring: an emulation of the score shown by OFAC's
 * Sanctions List Search (SLS) tool, for offices that must show parity with Treasury's tool.
 *
 * Internal API. Pure functions: no allocation, no global state (thread-safe), never print or
 * exit. Input is UTF-8; see ofac_score.c for the algorithm and how non-ASCII text is treated.
 */
#ifndef DX_OFAC_SCORE_H
#define DX_OFAC_SCORE_H

#include <stddef.h>

#include "strbuf.h"

/* Names longer than this many bytes are compared on their first DX_OFAC_MAX_NAME bytes. */
#define DX_OFAC_MAX_NAME 256
/* At most this many words of each name take part; later words are ignored. */
#define DX_OFAC_MAX_WORDS 24

/*
 * Score how well `candidate` (a list name, typically "SURNAME, Given") matches `query`, on
 * OFAC's 0-100 scale (100 = identical after normalisation). Either text may be NULL when its
 * length is 0. Returns 0 when either name has no letter or digit (any byte >= 0x80
 * counts as a letter).
 */
double dx_ofac_score(const char *query, size_t qlen, const char *candidate, size_t clen);

/*
 * Like dx_ofac_score, and also appends to `explain` (when not NULL) a one-line account: the
 * whole-string score, then for each query word the candidate word it was aligned with and
 * their similarity. A failed append (DX_ERR_LIMIT / NOMEM) leaves the score unaffected; the
 * explanation is then truncated.
 */
double dx_ofac_score_explain(const char *query, size_t qlen, const char *candidate,
                             size_t clen, dx_strbuf *explain);

/* Jaro-Winkler similarity (0..1) of two byte strings, standard definition: prefix scale 0.1,
 * prefix counted up to 4 characters, bonus applied only when the Jaro value exceeds 0.7.
 * Strings are compared on their first DX_OFAC_MAX_NAME bytes. */
double dx_ofac_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen);

/* American Soundex code of an ASCII word (letters other than A-Z are skipped) into out[5]
 * ("R163"); out is "" when the word has no ASCII letter. */
void dx_ofac_soundex(const char *word, size_t len, char out[5]);

#endif

/*
 * name_score.h — the default name-match scorer (token alignment over normalised names).
 *
 * Internal API. Pure apart from the explanation buffer: no global state (thread-safe), never
 * prints or exits. How it works and why: the design comment at the top of name_score.c.
 */
#ifndef DX_NAME_SCORE_H
#define DX_NAME_SCORE_H

#include "dexcheck/match.h"
#include "name_norm.h"
#include "strbuf.h"

/* At most this many words of each name take part; later words are ignored (lists print
 * names of a few words; the cap bounds the stack-held similarity matrix). */
#define DX_NAME_SCORE_MAX_TOKENS 48

/* The default threshold of this scorer, chosen on the nomenklatura name benchmark (best F1,
 * 0.887; see name_score.c). */
#define DX_NAME_SCORE_THRESHOLD 0.77

/*
 * Score the normalised `query` name against the normalised `listed` name; *score gets [0, 1].
 * When `explain` is not NULL, one line per matched word pair, unmatched word and adjustment is
 * appended, then the final score. Returns DX_OK, or DX_ERR_NOMEM / DX_ERR_LIMIT from an append
 * (then *score is untouched).
 */
dx_status dx_name_score(const dx_name_form *query, const dx_name_form *listed,
                        dx_name_schema schema, double *score, dx_strbuf *explain);

#endif

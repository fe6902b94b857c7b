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
#include "arena.h"
#include "strbuf.h"

/* At most this many words of each name take part; later words are ignored (lists print
 * names of a few words; the cap bounds the stack-held similarity matrix). */
#define DX_NAME_SCORE_MAX_TOKENS 48

/* The default threshold of this scorer, chosen on the nomenklatura name benchmark (best F1,
 * 0.887; see name_score.c). */
#define DX_NAME_SCORE_THRESHOLD 0.77

/* What a word is to the scorer; its weight follows from it (name_score.c, step 1). */
typedef enum dx_name_word_kind {
    DX_WORD_PLAIN = 0,
    DX_WORD_GENERIC,  /* "international", "trading": light evidence in organisation names */
    DX_WORD_PARTICLE, /* "al", "bin", "van": light evidence in person names */
    DX_WORD_TITLE,    /* "mr", "dr", "president" */
    DX_WORD_INITIAL,  /* one letter */
    DX_WORD_EXACT     /* a number or a word with Han ideographs: matches only exactly */
} dx_name_word_kind;

typedef struct dx_name_word {
    const char *s; /* not NUL-terminated where it was joined from several words */
    size_t len;
    size_t ncp;    /* code points */
    double w;      /* weight */
    dx_name_word_kind kind;
    const unsigned *cps; /* the first min(ncp, 64) code points, or NULL: decoded when needed */
    unsigned letters;    /* bit (code point % 32) for each code point: a quick distance test */
} dx_name_word;

struct legal_form_entry;

/*
 * A name prepared for scoring under one schema: words classified and weighted, legal forms
 * taken out (organisations), letter runs joined. Built once per name and scored against many
 * (the candidate index prepares every list name once). Everything lives in the arena given to
 * dx_name_prep_build(); the form it came from may be freed.
 */
typedef struct dx_name_prep {
    const char *original; /* the original-script form, or NULL */
    const dx_name_word *words;
    size_t n_words;
    const struct legal_form_entry *const *forms;
    size_t n_forms;
    dx_name_schema schema;
    double w_min, w_max; /* the lightest and heaviest word */
    size_t n_content;    /* words other than titles and particles */
    /* For dx_name_score_may_reach: the shortest and longest word of 3+ code points (not
     * matched exactly only), and bit (first code point % 32) of the words of 2+ code points
     * and of the one-letter words. */
    size_t min_ncp, max_ncp;
    unsigned first_mask, initial_mask;
} dx_name_prep;

/*
 * What unaligned words cost and how similar two short words two edits apart can be. PAIR is
 * the scorer as tuned on pairs of names (dexcheck match): an extra word is often a left-out
 * middle name. SCREEN is for screening a record's full name against list names (search and
 * screen, docs in search.c): a word of the person's name that the listed name lacks is
 * evidence of another person, "Sarah" / "Lara" two edits apart is no evidence of the same
 * one, and a listed initial ("M. Aziz") says less about a full name than in a pair.
 */
typedef struct dx_name_costs {
    double extra_query;     /* an unaligned word of the query, when the listed name has none */
    double extra_listed;    /* an unaligned word of the listed name, when the query has none */
    double short_fuzzy_cap; /* the most similarity of words of <= 6 letters 2+ edits apart,
                               and of words of <= 4 letters 1+ edit apart */
    double initial_sim;     /* of an initial and a word it begins ("v" / "vladimir") */
} dx_name_costs;

extern const dx_name_costs DX_NAME_COSTS_PAIR;
extern const dx_name_costs DX_NAME_COSTS_SCREEN;

/* Prepare `form` under `schema`, allocating in `arena`. DX_ERR_NOMEM (the arena may then hold
 * part of it, freed with the arena). */
dx_status dx_name_prep_build(const dx_name_form *form, dx_name_schema schema, dx_arena *arena,
                             dx_name_prep **out);

/* Score two names prepared under the same schema (the query's is used) with `costs` (NULL:
 * DX_NAME_COSTS_PAIR); as dx_name_score. */
dx_status dx_name_score_prep(const dx_name_prep *query, const dx_name_prep *listed,
                             const dx_name_costs *costs, double *score, dx_strbuf *explain);

/*
 * Can `query` score `threshold` or more against `listed`? A cheap, conservative test: 0 only
 * when it cannot. found[i] / 255 is at least the similarity of query word i with every word of
 * `listed` that is within edit distance 2 of it (or equal); pairs further apart are bounded
 * here from their lengths, initials from their first letters. `costs` must be the ones the
 * score would use. Not valid when a joined word or
 * an original-script name could match (the caller scores those): it assumes the words as
 * prepared. Query names of more than DX_NAME_BOUND_WORDS words always give 1.
 */
#define DX_NAME_BOUND_WORDS 8
int dx_name_score_may_reach(const dx_name_prep *query, const dx_name_prep *listed,
                            const unsigned char *found, const dx_name_costs *costs, double threshold);

/* The similarity of two words in [0, 1] (step 2 of the design comment): 1 when equal, 0 below
 * SIM_FLOOR or between words that only match exactly. A similarity above DX_NAME_SIM_DIST2
 * implies a Levenshtein distance (over code points) of at most 2, and of at most 1 when the
 * longer word has four code points or fewer; words of one or two code points match only
 * equally or as an initial of a longer word (0.8). The candidate index relies on these
 * bounds (tests/unit/test_match.c checks them). */
double dx_name_word_sim(const dx_name_word *a, const dx_name_word *b, double short_cap);

#define DX_NAME_SIM_DIST2 0.7

/* An upper bound of dx_name_word_sim(a, b, short_cap) when the two words are known to be at
 * least `min_edits` edits apart (from their lengths and letters); cheap. */
double dx_name_word_sim_bound(const dx_name_word *a, const dx_name_word *b, size_t min_edits,
                              double short_cap);

/* Up to `max` code points of `len` bytes of valid UTF-8 (as the normaliser produces) into
 * out; returns how many. */
size_t dx_name_decode(const char *s, size_t len, unsigned *out, size_t max);

/* A word of `len` bytes at `s`, classified as the scorer would under `schema`. */
dx_name_word dx_name_word_make(const char *s, size_t len, dx_name_schema schema);

/* Two words joined into one compare against a word of the other name at this similarity or
 * more (name_score.c, step 2: "Good Will" / "Goodwill"). */
#define DX_NAME_COMPOUND_SIM 0.85

/*
 * Score the normalised `query` name against the normalised `listed` name; *score gets [0, 1].
 * When `explain` is not NULL, one line per matched word pair, unmatched word and adjustment is
 * appended, then the final score. Returns DX_OK, or DX_ERR_NOMEM / DX_ERR_LIMIT from an append
 * (then *score is untouched).
 */
dx_status dx_name_score(const dx_name_form *query, const dx_name_form *listed,
                        dx_name_schema schema, double *score, dx_strbuf *explain);

#endif

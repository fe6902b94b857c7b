/*
 * name_score.c — the default name-match scorer.
 *
 * How it works. Both names arrive normalised by name_norm (NFKC, case-folded, romanised,
 * accents and punctuation gone, split into words). Then:
 *
 *  1. Words are classified. For organisations (and unknown schema) runs of one-letter words
 *     are joined ("p l c" -> "plc", "l l c" -> "llc"), then legal forms are recognised from a
 *     small project table (name_tables.inc), longest phrase first ("open joint stock company",
 *     "co", "ltd", and Han forms glued to a word, "...株式会社"), and taken out of the word
 *     list as symbols. Generic words ("international", "trading", "group", "of") and person
 *     particles ("al", "bin", "van") stay words but weigh 0.3 instead of 1: users of open
 *     matchers complain that "International Trading Co" matches every other international
 *     trading company, while a particle still says something about a person. One-letter words
 *     are initials (weight 0.5); numbers and words in unromanised scripts (Han, Arabic) match
 *     only exactly, since edit distance between numbers or ideographs means nothing.
 *  2. Word similarity: 1 for equal words; for words of two letters or fewer only an initial
 *     counts ("v" against "vladimir": 0.8, a discount because an initial is weaker evidence);
 *     otherwise the smaller of Jaro-Winkler (own implementation over code points, prefix scale
 *     0.1, prefix up to 4) and an edit-budget score: 1 - 0.1 per Levenshtein edit, and 0.3
 *     more per edit beyond a length-dependent budget (1 edit up to 4 letters, 2 up to 9, 3
 *     above); below 0.5 nothing. Jaro-Winkler alone rewards shared prefixes too much (Castro /
 *     Castillo, Sanchez / Sancho: different people), the budget keeps one or two slips in a
 *     long word cheap (Khodorkovsky / Khordorovsky, Johnson / Jonson).
 *     Before that, 2-4 adjacent words are joined when the joined form matches a word of the
 *     other name and none of them matches alone ("Good Will" / "Goodwill", "VladimirPutin").
 *  3. Alignment: one-to-one, greedy on the similarity matrix (best pair first, ties to the
 *     heavier pair). Word order is ignored, which handles reversed names ("PUTIN Vladimir");
 *     match.c also tries the given-first order of a "SURNAME, Given" list form for persons.
 *     One exception: in "X bin Y" (X, son of Y) a swap across the particle costs 0.25.
 *  4. Score = sum(sim * (w1 + w2)) over aligned pairs divided by sum(w1 + w2) over aligned
 *     pairs plus the cost of unaligned words. Ordinary words weigh 0.5 to 1 by length (full
 *     from six letters: a long surname says more than "Ali"), numbers 0.5, titles 0.1. What an
 *     unaligned word costs depends on what it means: when both names keep unaligned words
 *     (other than titles and particles) they name different people or bodies ("... AL-DURI"
 *     vs "... AL-TIKRITI"), so each costs 2x its weight; when only one name has extra words
 *     they are usually left-out middle names or a branch, costing 0.5x for a word of name1
 *     (the query, what the user typed or the record holds) and 0.4x for one of name2 (the
 *     listed name: list entries carry patronymics and aliases a query leaves out). The
 *     benchmark labels are symmetric, so the asymmetry is kept mild.
 *  5. Legal forms: equal symbols cost nothing; two forms of one family (OAO vs JSC) -0.02; a
 *     form on one side only -0.03 (-0.01 for a bare "company"); forms of different families
 *     (GmbH vs AG) -0.25, evidence of a different entity.
 *  6. Names whose original-script forms (Han, Arabic ...) are equal score 1 outright; words
 *     with Han ideographs compare exactly, other scripts fuzzily over code points.
 *
 * The constants were set on the nomenklatura name benchmark (826 labelled pairs; see
 * tests/unit/test_match.c): at the threshold 0.77, P 0.897, R 0.878, F1 0.887; F1 stays at or
 * above 0.875 for thresholds from 0.75 to 0.80. No rule names a case of that benchmark.
 *
 * The explanation lists each aligned pair with its similarity, each unaligned word with its
 * cost, each legal-form adjustment and the final score, one line per item.
 */
#include "name_score.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "name_tables.inc"
#include "alloc.h"

#define N_ITEMS(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_TOK DX_NAME_SCORE_MAX_TOKENS

#define W_WORD 1.0
#define W_LIGHT 0.3      /* generic words, particles */
#define W_INITIAL 0.5
#define LEN_BASE 0.5
#define LEN_FULL 6
#define W_TITLE 0.1      /* honorifics: "Mr", "Dr", "President" */
#define W_NUMBER 0.5
#define SIM_INITIAL 0.8
#define SIM_FLOOR 0.5
#define EDIT_COST 0.1
#define OVER_BUDGET 0.3
#define COMPOUND_SIM DX_NAME_COMPOUND_SIM
#define COST_SUBST 2.0        /* unaligned word when both names have some: a different name */
#define COST_EXTRA_QUERY 0.5  /* unaligned word of name1 only: an extra word */
#define COST_EXTRA_LISTED 0.4 /* unaligned word of name2 only */
#define SHORT_WORD 6          /* the screening cap applies up to this many letters, 2+ edits */
#define TINY_WORD 4           /* and up to this many, 1+ edit ("lei" / "wei", "hao" / "zhao") */

const dx_name_costs DX_NAME_COSTS_PAIR = {COST_EXTRA_QUERY, COST_EXTRA_LISTED, 1.0, SIM_INITIAL};
const dx_name_costs DX_NAME_COSTS_SCREEN = {2.0, 0.8, 0.6, 0.6};
#define LF_SAME_FAMILY 0.02
#define LF_MISSING 0.03
#define LF_MISSING_CO 0.01
#define LF_DIFFERENT 0.25
#define PATRONYMIC_SWAP 0.25

typedef dx_name_word name_tok;

typedef struct name_side {
    name_tok tok[MAX_TOK];
    size_t n;
    const legal_form_entry *lf[MAX_TOK];
    size_t n_lf;
    char joined[512]; /* storage for joined words (letter runs, compounds) */
    size_t joined_len;
} name_side;

static size_t decode_cps(const char *s, size_t len, unsigned *out, size_t max);

static bool is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* Does the word contain a Han ideograph? (Compared exactly: no edit distance on ideographs.) */
static bool has_han(const char *s, size_t len, size_t *ncp)
{
    unsigned cps[MAX_TOK * 4];
    size_t n = decode_cps(s, len, cps, N_ITEMS(cps));
    bool han = false;
    for (size_t i = 0; i < n; i++)
        if ((cps[i] >= 0x3400 && cps[i] <= 0x9FFF) || (cps[i] >= 0xF900 && cps[i] <= 0xFAFF) ||
            cps[i] >= 0x20000)
            han = true;
    *ncp = n;
    return han;
}

static bool is_number(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return len > 0;
}

static bool word_eq(const name_tok *t, const char *w)
{
    if (t->len == 0 || w[0] != t->s[0]) /* most words differ at once: no strlen */
        return t->len == 0 && w[0] == '\0';
    return strlen(w) == t->len && memcmp(t->s, w, t->len) == 0;
}

static bool in_list(const name_tok *t, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (word_eq(t, list[i]))
            return true;
    return false;
}

/* Words of the phrase `p` (space-separated) equal tokens at `at`? Returns how many, or 0. */
static size_t phrase_match(const name_side *sd, size_t at, const char *p)
{
    size_t k = 0;
    if (at >= sd->n || sd->tok[at].len == 0 || sd->tok[at].s[0] != p[0])
        return 0; /* the usual case, decided by the first byte */
    while (*p) {
        const char *e = strchr(p, ' ');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (at + k >= sd->n || sd->tok[at + k].len != l || memcmp(sd->tok[at + k].s, p, l) != 0)
            return 0;
        k++;
        p += l;
        if (*p == ' ')
            p++;
    }
    return k;
}

/* Join runs of two or more one-letter ASCII words into one word ("p l c" -> "plc"). */
static void join_letter_runs(name_side *sd)
{
    size_t out = 0;
    for (size_t i = 0; i < sd->n;) {
        size_t j = i;
        while (j < sd->n && sd->tok[j].len == 1 && is_ascii(sd->tok[j].s, 1))
            j++;
        if (j - i >= 2 && sd->joined_len + (j - i) <= sizeof(sd->joined)) {
            char *dst = sd->joined + sd->joined_len;
            for (size_t k = i; k < j; k++)
                dst[k - i] = sd->tok[k].s[0];
            sd->tok[out] = (name_tok){0};
            sd->tok[out].s = dst;
            sd->tok[out].len = j - i;
            sd->joined_len += j - i;
            out++;
            i = j;
        } else {
            sd->tok[out++] = sd->tok[i++];
        }
    }
    sd->n = out;
}

/* A Han/kana legal form glued to the front or back of word i: split it off. */
static void split_glued_form(name_side *sd, size_t i)
{
    name_tok *t = &sd->tok[i];
    for (size_t f = 0; f < N_ITEMS(LEGAL_FORMS); f++) {
        const char *p = LEGAL_FORMS[f].phrase;
        size_t l = strlen(p);
        if ((unsigned char)p[0] < 0x80 || t->len <= l)
            continue;
        if (memcmp(t->s + t->len - l, p, l) == 0) {
            t->len -= l;
        } else if (memcmp(t->s, p, l) == 0) {
            t->s += l;
            t->len -= l;
        } else {
            continue;
        }
        sd->lf[sd->n_lf++] = &LEGAL_FORMS[f];
        return;
    }
}

/* Take legal forms out of the word list, longest phrase first at each position. */
static void extract_legal_forms(name_side *sd)
{
    size_t out = 0;
    for (size_t i = 0; i < sd->n;) {
        size_t best = 0;
        const legal_form_entry *hit = NULL;
        for (size_t f = 0; f < N_ITEMS(LEGAL_FORMS); f++) {
            size_t k = phrase_match(sd, i, LEGAL_FORMS[f].phrase);
            if (k > best) {
                best = k;
                hit = &LEGAL_FORMS[f];
            }
        }
        /* A name that is only a legal form keeps it as a word. */
        if (hit && best < sd->n) {
            sd->lf[sd->n_lf++] = hit;
            i += best;
            continue;
        }
        sd->tok[out] = sd->tok[i++];
        if (!is_ascii(sd->tok[out].s, sd->tok[out].len))
            split_glued_form(sd, out);
        out++;
    }
    sd->n = out;
}

/* Kind and weight of one word (step 1 of the design comment). */
static void classify_tok(name_tok *t, dx_name_schema schema)
{
    bool person = schema == DX_SCHEMA_PERSON || schema == DX_SCHEMA_ANY;
    bool org = schema != DX_SCHEMA_PERSON;
    bool han = has_han(t->s, t->len, &t->ncp);
    size_t n = t->ncp < LEN_FULL ? t->ncp : LEN_FULL;
    t->kind = DX_WORD_PLAIN;
    t->w = W_WORD * (LEN_BASE + (1.0 - LEN_BASE) * (double)n / LEN_FULL);
    if (han || is_number(t->s, t->len)) {
        t->kind = DX_WORD_EXACT;
        t->w = is_number(t->s, t->len) ? W_NUMBER : W_WORD;
    } else if (person && in_list(t, TITLES, N_ITEMS(TITLES))) {
        t->kind = DX_WORD_TITLE;
        t->w = W_TITLE;
    } else if (org && in_list(t, GENERIC_WORDS, N_ITEMS(GENERIC_WORDS))) {
        t->kind = DX_WORD_GENERIC;
        t->w = W_LIGHT;
    } else if (person && in_list(t, PARTICLES, N_ITEMS(PARTICLES))) {
        t->kind = DX_WORD_PARTICLE;
        t->w = W_LIGHT;
    } else if (t->ncp == 1) {
        t->kind = DX_WORD_INITIAL;
        t->w = W_INITIAL;
    }
}

static void classify(name_side *sd, dx_name_schema schema)
{
    for (size_t i = 0; i < sd->n; i++)
        classify_tok(&sd->tok[i], schema);
}

static double tok_sim(const name_tok *x, const name_tok *y, double short_cap,
                      double initial_sim);
static bool is_content(const name_tok *t);

/* Does word `t` equal some word of `other` exactly? */
static bool has_exact(const name_side *other, const name_tok *t)
{
    for (size_t j = 0; j < other->n; j++)
        if (other->tok[j].len == t->len && memcmp(other->tok[j].s, t->s, t->len) == 0)
            return true;
    return false;
}

/* Join 2-4 adjacent words of `sd` into one when the joined form matches a word of `other`
 * ("Good Will" / "Goodwill", "Pol Pot" / "PolPot") and none of them matches on its own. */
/* Could a joined word of `ncp` code points match some word of `other` at COMPOUND_SIM? That
 * needs an edit distance of at most 1, so lengths within one. */
static bool compound_length_fits(const name_side *other, size_t ncp)
{
    for (size_t j = 0; j < other->n; j++) {
        size_t o = other->tok[j].ncp < 64 ? other->tok[j].ncp : 64;
        if (o >= 4 && o + 1 >= ncp && o <= ncp + 1)
            return true;
    }
    return false;
}

/* Join 2-4 adjacent words of `sd` into one when the joined form matches a word of `other`
 * ("Good Will" / "Goodwill", "Pol Pot" / "PolPot") and none of them matches on its own. */
static void merge_compounds(name_side *sd, const name_side *other, dx_name_schema schema)
{
    for (size_t i = 0; i < sd->n; i++) {
        for (size_t k = 4; k >= 2; k--) {
            if (i + k > sd->n)
                continue;
            size_t ncp = 0, len = 0;
            bool any_exact = false;
            for (size_t m = i; m < i + k; m++) {
                any_exact |= has_exact(other, &sd->tok[m]);
                ncp += sd->tok[m].ncp;
                len += sd->tok[m].len;
            }
            ncp = ncp < 64 ? ncp : 64;
            if (any_exact || sd->joined_len + len > sizeof(sd->joined) ||
                !compound_length_fits(other, ncp))
                continue;
            name_tok cat = {sd->joined + sd->joined_len, 0, ncp, W_WORD, DX_WORD_PLAIN, NULL, 0};
            for (size_t m = i; m < i + k; m++) {
                memcpy(sd->joined + sd->joined_len + cat.len, sd->tok[m].s, sd->tok[m].len);
                cat.len += sd->tok[m].len;
            }
            bool hit = false;
            for (size_t j = 0; j < other->n && !hit; j++) {
                name_tok o = other->tok[j];
                o.kind = DX_WORD_PLAIN;
                hit = o.ncp >= 4 && tok_sim(&cat, &o, 1.0, SIM_INITIAL) >= COMPOUND_SIM;
            }
            if (!hit)
                continue;
            sd->joined_len += cat.len;
            classify_tok(&cat, schema);
            sd->tok[i] = cat;
            memmove(&sd->tok[i + 1], &sd->tok[i + k], (sd->n - i - k) * sizeof(name_tok));
            sd->n -= k - 1;
            break;
        }
    }
}

static void side_build(name_side *sd, const dx_name_form *form, dx_name_schema schema)
{
    sd->n = 0;
    sd->n_lf = 0;
    sd->joined_len = 0;
    for (size_t i = 0; i < form->n_tokens && sd->n < MAX_TOK; i++) {
        sd->tok[sd->n] = (name_tok){0};
        sd->tok[sd->n].s = form->tokens[i];
        sd->tok[sd->n].len = strlen(form->tokens[i]);
        if (sd->tok[sd->n].len > 0)
            sd->n++;
    }
    if (schema != DX_SCHEMA_PERSON) {
        join_letter_runs(sd);
        extract_legal_forms(sd);
    }
}

size_t dx_name_decode(const char *s, size_t len, unsigned *out, size_t max)
{
    return decode_cps(s, len, out, max);
}

/* Decode up to `max` code points of UTF-8 (already validated by name_norm). */
static size_t decode_cps(const char *s, size_t len, unsigned *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n < max;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        unsigned cp = k == 1 ? c : c & (0x3Fu >> (k - 1));
        for (size_t j = 1; j < k && i + j < len; j++)
            cp = (cp << 6) | ((unsigned char)s[i + j] & 0x3Fu);
        out[n++] = cp;
        i += k;
    }
    return n;
}

/* Jaro-Winkler over code points: prefix scale 0.1, at most 4 prefix characters. */
static double jaro_winkler_cps(const unsigned *a, size_t alen, const unsigned *b, size_t blen)
{
    enum { MAXL = 64 };
    if (alen == 0 || blen == 0)
        return alen == blen ? 1.0 : 0.0;
    bool am[MAXL] = {false}, bm[MAXL] = {false};
    size_t longer = alen > blen ? alen : blen;
    size_t window = longer / 2 > 0 ? longer / 2 - 1 : 0;
    size_t m = 0;
    for (size_t i = 0; i < alen; i++) {
        size_t lo = i > window ? i - window : 0;
        size_t hi = i + window + 1 < blen ? i + window + 1 : blen;
        for (size_t j = lo; j < hi; j++) {
            if (!bm[j] && a[i] == b[j]) {
                am[i] = bm[j] = true;
                m++;
                break;
            }
        }
    }
    if (m == 0)
        return 0.0;
    size_t trans = 0;
    for (size_t i = 0, j = 0; i < alen; i++) {
        if (!am[i])
            continue;
        while (!bm[j])
            j++;
        if (a[i] != b[j])
            trans++;
        j++;
    }
    double md = (double)m;
    double jaro = (md / (double)alen + md / (double)blen + (md - (double)trans / 2.0) / md) / 3.0;
    size_t prefix = 0;
    while (prefix < 4 && prefix < alen && prefix < blen && a[prefix] == b[prefix])
        prefix++;
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

/* Levenshtein distance of two code-point strings (each at most 64 long). */
static size_t edit_distance(const unsigned *a, size_t alen, const unsigned *b, size_t blen)
{
    size_t row[65];
    for (size_t j = 0; j <= blen; j++)
        row[j] = j;
    for (size_t i = 1; i <= alen; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= blen; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[blen];
}

/* Similarity of two words (step 2 of the design comment). */
static double tok_sim(const name_tok *x, const name_tok *y, double short_cap,
                      double initial_sim)
{
    if (x->len == y->len && memcmp(x->s, y->s, x->len) == 0)
        return 1.0;
    if (x->kind == DX_WORD_EXACT || y->kind == DX_WORD_EXACT)
        return 0.0;
    if (x->ncp <= 2 || y->ncp <= 2) {
        const name_tok *ini = x->ncp == 1 ? x : y->ncp == 1 ? y : NULL;
        const name_tok *full = ini == x ? y : x;
        if (ini && full->ncp > 1 && memcmp(full->s, ini->s, ini->len) == 0)
            return initial_sim;
        return 0.0;
    }
    unsigned bufa[64], bufb[64];
    const unsigned *ca = x->cps, *cb = y->cps;
    size_t na = x->ncp < 64 ? x->ncp : 64, nb = y->ncp < 64 ? y->ncp : 64;
    if (!ca) {
        na = decode_cps(x->s, x->len, bufa, 64);
        ca = bufa;
    }
    if (!cb) {
        nb = decode_cps(y->s, y->len, bufb, 64);
        cb = bufb;
    }
    double jw = jaro_winkler_cps(ca, na, cb, nb);
    size_t longer = na > nb ? na : nb;
    size_t d = edit_distance(ca, na, cb, nb);
    size_t budget = longer <= 4 ? 1 : longer <= 9 ? 2 : 3;
    double lev = 1.0 - EDIT_COST * (double)d;
    if (d > budget)
        lev -= OVER_BUDGET * (double)(d - budget);
    double sim = jw < lev ? jw : lev;
    if (((d >= 2 && longer <= SHORT_WORD) || (d >= 1 && longer <= TINY_WORD)) && sim > short_cap)
        sim = short_cap;
    return sim < SIM_FLOOR ? 0.0 : sim;
}

typedef struct alignment {
    int pair_of_q[MAX_TOK]; /* index into listed, or -1 */
    int pair_of_l[MAX_TOK];
    double sim[MAX_TOK];    /* by query index */
} alignment;

/* Greedy one-to-one alignment: best similarity first, ties to the heavier pair. */
static void align(const name_side *q, const name_side *l, const dx_name_costs *costs,
                  alignment *al)
{
    static const double eps = 1e-9;
    double m[MAX_TOK][MAX_TOK];
    for (size_t i = 0; i < q->n; i++) {
        al->pair_of_q[i] = -1;
        for (size_t j = 0; j < l->n; j++)
            m[i][j] = tok_sim(&q->tok[i], &l->tok[j], costs->short_fuzzy_cap, costs->initial_sim);
    }
    for (size_t j = 0; j < l->n; j++)
        al->pair_of_l[j] = -1;
    for (;;) {
        double best = 0.0, best_w = 0.0;
        size_t bi = 0, bj = 0;
        for (size_t i = 0; i < q->n; i++) {
            if (al->pair_of_q[i] >= 0)
                continue;
            for (size_t j = 0; j < l->n; j++) {
                double w = q->tok[i].w + l->tok[j].w;
                if (al->pair_of_l[j] >= 0 || m[i][j] <= 0.0)
                    continue;
                if (m[i][j] > best + eps || (m[i][j] > best - eps && w > best_w)) {
                    best = m[i][j];
                    best_w = w;
                    bi = i;
                    bj = j;
                }
            }
        }
        if (best <= 0.0)
            return;
        al->pair_of_q[bi] = (int)bj;
        al->pair_of_l[bj] = (int)bi;
        al->sim[bi] = best;
    }
}

/* Legal-form adjustment (step 5), explained line by line. */
static dx_status legal_form_penalty(const name_side *q, const name_side *l, dx_strbuf *ex,
                                    double *out)
{
    bool used_l[MAX_TOK] = {false}, used_q[MAX_TOK] = {false};
    double pen = 0.0;
    dx_status st = DX_OK;
    for (size_t i = 0; i < q->n_lf; i++)
        for (size_t j = 0; j < l->n_lf && !used_q[i]; j++)
            if (!used_l[j] && strcmp(q->lf[i]->symbol, l->lf[j]->symbol) == 0) {
                used_q[i] = used_l[j] = true;
                if (ex && st == DX_OK)
                    st = dx_strbuf_printf(ex, "legal form %s = %s\n", q->lf[i]->symbol,
                                          l->lf[j]->symbol);
            }
    for (size_t i = 0; i < q->n_lf; i++) {
        if (used_q[i] || q->lf[i]->family == LF_COMPANY)
            continue;
        for (size_t j = 0; j < l->n_lf && !used_q[i]; j++) {
            if (used_l[j] || l->lf[j]->family == LF_COMPANY)
                continue;
            used_q[i] = used_l[j] = true;
            bool same = q->lf[i]->family == l->lf[j]->family;
            double p = same ? LF_SAME_FAMILY : LF_DIFFERENT;
            pen += p;
            if (ex && st == DX_OK)
                st = dx_strbuf_printf(ex, "legal form %s vs %s (%s): -%.3f\n", q->lf[i]->symbol,
                                      l->lf[j]->symbol, same ? "same family" : "different", p);
        }
    }
    for (int side = 0; side < 2; side++) {
        const name_side *s = side == 0 ? q : l;
        const bool *used = side == 0 ? used_q : used_l;
        for (size_t i = 0; i < s->n_lf; i++) {
            if (used[i])
                continue;
            double p = s->lf[i]->family == LF_COMPANY ? LF_MISSING_CO : LF_MISSING;
            pen += p;
            if (ex && st == DX_OK)
                st = dx_strbuf_printf(ex, "legal form %s only in name%d: -%.3f\n",
                                      s->lf[i]->symbol, side + 1, p);
        }
    }
    *out = pen;
    return st;
}

/* Index of the first patronymic particle ("bin", "ibn" ...) after position 0, or -1. */
static int patronymic_at(const name_side *sd)
{
    for (size_t i = 1; i < sd->n; i++)
        if (sd->tok[i].kind == DX_WORD_PARTICLE &&
            in_list(&sd->tok[i], PATRONYMICS, N_ITEMS(PATRONYMICS)))
            return (int)i;
    return -1;
}

/* "X bin Y" names X, son of Y: when both names have the particle and the word before it in
 * name1 is aligned with a word after it in name2, father and son are swapped. */
static bool patronymic_swapped(const name_side *q, const name_side *l, const alignment *al)
{
    int pq = patronymic_at(q), pl = patronymic_at(l);
    if (pq < 0 || pl < 0)
        return false;
    int k = al->pair_of_q[pq - 1];
    return k > pl;
}

static bool is_content(const name_tok *t)
{
    return t->kind != DX_WORD_TITLE && t->kind != DX_WORD_PARTICLE;
}

/* Steps 3-4: the aligned-weight ratio, explained line by line. */
static dx_status token_score(const name_side *q, const name_side *l, const dx_name_costs *costs,
                             dx_strbuf *ex, double *out)
{
    alignment al;
    align(q, l, costs, &al);
    bool q_left = false, l_left = false;
    for (size_t i = 0; i < q->n; i++)
        q_left |= al.pair_of_q[i] < 0 && is_content(&q->tok[i]);
    for (size_t j = 0; j < l->n; j++)
        l_left |= al.pair_of_l[j] < 0 && is_content(&l->tok[j]);
    bool subst = q_left && l_left;
    double cost_q = subst ? COST_SUBST : costs->extra_query;
    double cost_l = subst ? COST_SUBST : costs->extra_listed;
    double num = 0.0, den = 0.0;
    dx_status st = DX_OK;
    if (ex && subst)
        st = dx_strbuf_printf(ex, "words differ on both sides: unmatched words cost %.2f\n",
                              COST_SUBST);
    for (size_t i = 0; i < q->n; i++) {
        const name_tok *a = &q->tok[i];
        if (al.pair_of_q[i] < 0) {
            den += cost_q * a->w;
            if (ex && st == DX_OK)
                st = dx_strbuf_printf(ex, "unmatched name1 '%.*s': cost %.2f\n", (int)a->len,
                                      a->s, cost_q * a->w);
            continue;
        }
        const name_tok *b = &l->tok[al.pair_of_q[i]];
        num += al.sim[i] * (a->w + b->w);
        den += a->w + b->w;
        if (ex && st == DX_OK)
            st = dx_strbuf_printf(ex, "match '%.*s' ~ '%.*s': similarity %.3f, weight %.2f\n",
                                  (int)a->len, a->s, (int)b->len, b->s, al.sim[i], a->w + b->w);
    }
    for (size_t j = 0; j < l->n; j++) {
        if (al.pair_of_l[j] >= 0)
            continue;
        const name_tok *b = &l->tok[j];
        den += cost_l * b->w;
        if (ex && st == DX_OK)
            st = dx_strbuf_printf(ex, "unmatched name2 '%.*s': cost %.2f\n", (int)b->len, b->s,
                                  cost_l * b->w);
    }
    *out = den > 0.0 ? num / den : 0.0;
    if (patronymic_swapped(q, l, &al)) {
        *out -= PATRONYMIC_SWAP;
        if (ex && st == DX_OK)
            st = dx_strbuf_printf(ex, "given name and father's name swapped: -%.3f\n",
                                  PATRONYMIC_SWAP);
    }
    return st;
}

/* Build a side from a prepared name (the words are shared, not copied). */
static void side_from_prep(name_side *sd, const dx_name_prep *p)
{
    sd->n = p->n_words;
    memcpy(sd->tok, p->words, p->n_words * sizeof(name_tok));
    sd->n_lf = p->n_forms;
    memcpy(sd->lf, p->forms, p->n_forms * sizeof(p->forms[0]));
    sd->joined_len = 0;
}

static unsigned first_bit(const name_tok *t)
{
    unsigned cp[1];
    return decode_cps(t->s, t->len, cp, 1) ? 1u << (cp[0] % 32) : 0;
}

/* The word statistics dx_name_score_may_reach reads instead of the words themselves. */
static void summarise(dx_name_prep *p, const name_tok *words, size_t n)
{
    p->w_min = 1e9;
    p->w_max = 0.0;
    p->n_content = 0;
    p->min_ncp = SIZE_MAX;
    p->max_ncp = 0;
    p->first_mask = p->initial_mask = 0;
    for (size_t i = 0; i < n; i++) {
        const name_tok *t = &words[i];
        p->w_min = t->w < p->w_min ? t->w : p->w_min;
        p->w_max = t->w > p->w_max ? t->w : p->w_max;
        p->n_content += is_content(t);
        if (t->ncp == 1)
            p->initial_mask |= first_bit(t);
        else
            p->first_mask |= first_bit(t);
        if (t->ncp >= 3 && t->kind != DX_WORD_EXACT) {
            p->min_ncp = t->ncp < p->min_ncp ? t->ncp : p->min_ncp;
            p->max_ncp = t->ncp > p->max_ncp ? t->ncp : p->max_ncp;
        }
    }
}

dx_status dx_name_prep_build(const dx_name_form *form, dx_name_schema schema, dx_arena *arena,
                             dx_name_prep **out)
{
    name_side sd;
    side_build(&sd, form, schema);
    classify(&sd, schema);
    dx_name_prep *p = dx_arena_alloc(arena, sizeof(*p));
    name_tok *words = dx_arena_alloc(arena, (sd.n ? sd.n : 1) * sizeof(name_tok));
    const legal_form_entry **forms =
        dx_arena_alloc(arena, (sd.n_lf ? sd.n_lf : 1) * sizeof(forms[0]));
    if (!p || !words || !forms)
        return DX_ERR_NOMEM;
    for (size_t i = 0; i < sd.n; i++) {
        words[i] = sd.tok[i];
        words[i].s = dx_arena_strndup(arena, sd.tok[i].s, sd.tok[i].len);
        size_t ncp = sd.tok[i].ncp < 64 ? sd.tok[i].ncp : 64;
        unsigned *cps = dx_arena_alloc(arena, (ncp ? ncp : 1) * sizeof(unsigned));
        if (!words[i].s || !cps)
            return DX_ERR_NOMEM;
        decode_cps(words[i].s, words[i].len, cps, ncp);
        words[i].cps = cps;
        words[i].letters = 0;
        for (size_t k = 0; k < ncp; k++)
            words[i].letters |= 1u << (cps[k] % 32);
    }
    memcpy(forms, sd.lf, sd.n_lf * sizeof(forms[0]));
    p->original = form->original ? dx_arena_strndup(arena, form->original,
                                                    strlen(form->original))
                                 : NULL;
    if (form->original && !p->original)
        return DX_ERR_NOMEM;
    summarise(p, words, sd.n);
    p->words = words;
    p->n_words = sd.n;
    p->forms = forms;
    p->n_forms = sd.n_lf;
    p->schema = schema;
    *out = p;
    return DX_OK;
}

dx_status dx_name_score_prep(const dx_name_prep *query, const dx_name_prep *listed,
                             const dx_name_costs *costs, double *score, dx_strbuf *explain)
{
    if (!costs)
        costs = &DX_NAME_COSTS_PAIR;
    if (query->original && listed->original && strcmp(query->original, listed->original) == 0) {
        if (explain) {
            dx_status st = dx_strbuf_printf(explain, "same original-script name\nscore 1.000\n");
            if (st != DX_OK)
                return st;
        }
        *score = 1.0;
        return DX_OK;
    }
    dx_name_schema schema = query->schema;
    name_side q, l;
    side_from_prep(&q, query);
    side_from_prep(&l, listed);
    merge_compounds(&q, &l, schema);
    merge_compounds(&l, &q, schema);
    double s = 0.0, pen = 0.0;
    dx_status st = token_score(&q, &l, costs, explain, &s);
    if (st == DX_OK)
        st = legal_form_penalty(&q, &l, explain, &pen);
    s -= pen;
    if (s < 0.0)
        s = 0.0;
    if (st == DX_OK && explain)
        st = dx_strbuf_printf(explain, "score %.3f\n", s);
    if (st != DX_OK)
        return st;
    *score = s;
    return DX_OK;
}

dx_status dx_name_score(const dx_name_form *query, const dx_name_form *listed,
                        dx_name_schema schema, double *score, dx_strbuf *explain)
{
    dx_arena arena = DX_ARENA_INIT;
    dx_name_prep *q = NULL, *l = NULL;
    dx_status st = dx_name_prep_build(query, schema, &arena, &q);
    if (st == DX_OK)
        st = dx_name_prep_build(listed, schema, &arena, &l);
    if (st == DX_OK)
        st = dx_name_score_prep(q, l, NULL, score, explain);
    dx_arena_free(&arena);
    return st;
}

double dx_name_word_sim(const dx_name_word *a, const dx_name_word *b, double short_cap)
{
    return tok_sim(a, b, short_cap, SIM_INITIAL);
}

double dx_name_word_sim_bound(const dx_name_word *a, const dx_name_word *b, size_t min_edits,
                              double short_cap)
{
    if (min_edits == 0)
        return 1.0;
    if (a->kind == DX_WORD_EXACT || b->kind == DX_WORD_EXACT || a->ncp <= 2 || b->ncp <= 2)
        return a->ncp == 1 || b->ncp == 1 ? SIM_INITIAL : 0.0;
    size_t longer = a->ncp > b->ncp ? a->ncp : b->ncp;
    size_t budget = longer <= 4 ? 1 : longer <= 9 ? 2 : 3;
    double lev = 1.0 - EDIT_COST * (double)min_edits;
    if (min_edits > budget)
        lev -= OVER_BUDGET * (double)(min_edits - budget);
    if (((min_edits >= 2 && longer <= SHORT_WORD) || longer <= TINY_WORD) && lev > short_cap)
        lev = short_cap;
    return lev < SIM_FLOOR ? 0.0 : lev;
}

dx_name_word dx_name_word_make(const char *s, size_t len, dx_name_schema schema)
{
    name_tok t = {s, len, 0, W_WORD, DX_WORD_PLAIN, NULL, 0};
    classify_tok(&t, schema);
    unsigned cps[64];
    size_t n = decode_cps(s, len, cps, 64);
    for (size_t k = 0; k < n; k++)
        t.letters |= 1u << (cps[k] % 32);
    return t;
}

/* The most query word `a` can be similar to a word of `l` that the candidate index did not
 * pair with it, from l's word statistics: an initial of the other 0.8; at edit distance 3 or
 * more only words of ten letters or more reach 0.7 (within budget), and words of four
 * letters or fewer at distance 2 reach 0.5. Over-estimates are safe. */
static double unpaired_bound(const name_tok *a, const dx_name_prep *l)
{
    if (a->kind == DX_WORD_EXACT)
        return 0.0;
    unsigned bit = first_bit(a);
    if (a->ncp == 1)
        return l->first_mask & bit ? SIM_INITIAL : 0.0;
    if (l->initial_mask & bit)
        return SIM_INITIAL;
    if (a->ncp <= 2 || l->max_ncp == 0)
        return 0.0;
    size_t lo = l->min_ncp, hi = l->max_ncp;
    if ((a->ncp >= 10 || hi >= 10) && hi + 3 >= a->ncp && lo <= a->ncp + 3)
        return 1.0 - 3 * EDIT_COST;
    if (a->ncp <= 4 && lo <= 4)
        return SIM_FLOOR;
    return 0.0;
}

/*
 * Whether the ratio of token_score can reach t. With b_i the best similarity query word i can
 * have, A the words with b_i > 0: at most |A| listed words align, so the lightest
 * n_listed - |A| listed words are unaligned at least, and every query word outside A is;
 * when both sides surely keep an unaligned content word, unaligned words cost COST_SUBST.
 * Score >= t means sum over aligned (sim - t) * W - t * (unaligned costs) >= 0; each query
 * word of A contributes at most the better of being aligned (W between its weight plus the
 * lightest and the heaviest listed weight) or not (its unaligned cost).
 */
int dx_name_score_may_reach(const dx_name_prep *q, const dx_name_prep *l,
                            const unsigned char *found,
                            const dx_name_costs *costs, double t)
{
    if (q->n_words > DX_NAME_BOUND_WORDS)
        return 1;
    double b[DX_NAME_BOUND_WORDS];
    size_t n_a = 0;
    bool q_lost_content = false;
    for (size_t i = 0; i < q->n_words; i++) {
        b[i] = found[i] / 255.0;
        if (b[i] < SIM_INITIAL) {
            double u = unpaired_bound(&q->words[i], l);
            b[i] = u > b[i] ? u : b[i];
        }
        n_a += b[i] > 0.0;
        q_lost_content |= b[i] <= 0.0 && is_content(&q->words[i]);
    }
    bool subst = q_lost_content && l->n_content > n_a;
    double cq = subst ? COST_SUBST : costs->extra_query;
    double cl = subst ? COST_SUBST : costs->extra_listed;
    /* At least n_listed - |A| listed words stay unaligned, each at least the lightest. */
    double lhs = l->n_words > n_a ? -t * cl * l->w_min * (double)(l->n_words - n_a) : 0.0;
    for (size_t i = 0; i < q->n_words; i++) {
        double wq = q->words[i].w, out = -t * cq * wq;
        if (b[i] <= 0.0) {
            lhs += out;
            continue;
        }
        double in = (b[i] - t) * (wq + (b[i] >= t ? l->w_max : l->w_min));
        lhs += in > out ? in : out;
    }
    return lhs >= -1e-9;
}

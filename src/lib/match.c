/*
 * match.c — the public name-matching API: a matcher holding the name normaliser, and the two
 * scoring algorithms behind dx_match_names().
 *
 * DX_ALGO_DEFAULT normalises both names (name_norm.c) and scores them with name_score.c; for
 * persons (and unknown schema) a name written in list form ("PUTIN, Vladimir") is also tried
 * in given-first order and the better score kept. Its threshold, DX_NAME_SCORE_THRESHOLD, was
 * chosen on the nomenklatura name benchmark (tests/unit/test_match.c prints the figures).
 *
 * DX_ALGO_OFAC wraps the emulation of OFAC's Sanctions List Search score (ofac_score.c, 0-100)
 * scaled to [0, 1]. Its default threshold is 0.85: SLS's own slider defaults to 100, but
 * offices that show parity with Treasury's tool commonly screen at 85, and below that the
 * tool's false positives grow quickly.
 */
#include "dexcheck/match.h"

#include <string.h>

#include "alloc.h"
#include "name_norm.h"
#include "name_score.h"
#include "ofac_score.h"
#include "strbuf.h"

#define OFAC_THRESHOLD 0.85

struct dx_matcher {
    dx_name_normalizer *norm;
};

double dx_match_default_threshold(dx_algorithm algorithm)
{
    return algorithm == DX_ALGO_OFAC ? OFAC_THRESHOLD : DX_NAME_SCORE_THRESHOLD;
}

dx_status dx_matcher_new(dx_matcher **out)
{
    if (!out)
        return DX_ERR_INVALID;
    dx_matcher *m = dx_calloc(1, sizeof(*m));
    if (!m)
        return DX_ERR_NOMEM;
    dx_status st = dx_name_normalizer_new(&m->norm);
    if (st != DX_OK) {
        dx_free(m);
        return st;
    }
    *out = m;
    return DX_OK;
}

void dx_matcher_free(dx_matcher *matcher)
{
    if (!matcher)
        return;
    dx_name_normalizer_free(matcher->norm);
    dx_free(matcher);
}

void dx_match_explanation_free(char *explanation)
{
    dx_free(explanation);
}

/* Normalise `name`, and when `reorder` and it is in list form, also its given-first order
 * (*alt stays NULL otherwise). On failure nothing is left allocated. */
static dx_status normalize_variants(const dx_matcher *m, const char *name, bool reorder,
                                    dx_name_form **form, dx_name_form **alt)
{
    *form = NULL;
    *alt = NULL;
    dx_status st = dx_name_normalize(m->norm, name, form);
    if (st != DX_OK || !reorder || !dx_name_is_reversed_list_form(name))
        return st;
    char *given_first = NULL;
    st = dx_name_given_first(name, &given_first);
    if (st == DX_OK)
        st = dx_name_normalize(m->norm, given_first, alt);
    dx_free(given_first);
    if (st != DX_OK) {
        dx_name_form_free(*form);
        *form = NULL;
    }
    return st;
}

/* Default algorithm: best score over the name variants; the explanation is the winner's. */
static dx_status score_default(const dx_matcher *m, const char *name1, const char *name2,
                               dx_name_schema schema, double *score, dx_strbuf *ex)
{
    bool reorder = schema == DX_SCHEMA_PERSON || schema == DX_SCHEMA_ANY;
    dx_name_form *f1[2] = {NULL, NULL}, *f2[2] = {NULL, NULL};
    dx_strbuf trial = DX_STRBUF_INIT;
    double best = -1.0;
    dx_status st = normalize_variants(m, name1, reorder, &f1[0], &f1[1]);
    if (st == DX_OK)
        st = normalize_variants(m, name2, reorder, &f2[0], &f2[1]);
    for (int i = 0; i < 2 && st == DX_OK; i++) {
        for (int j = 0; j < 2 && st == DX_OK; j++) {
            if (!f1[i] || !f2[j])
                continue;
            double s = 0.0;
            dx_strbuf_reset(&trial);
            st = dx_name_score(f1[i], f2[j], schema, &s, ex ? &trial : NULL);
            if (st != DX_OK || s <= best)
                continue;
            best = s;
            if (ex) {
                dx_strbuf_reset(ex);
                if (i == 1 || j == 1)
                    st = dx_strbuf_printf(ex, "given-first order of name%d tried\n",
                                          i == 1 ? 1 : 2);
                if (st == DX_OK)
                    st = dx_strbuf_append(ex, trial.data, trial.len);
            }
        }
    }
    dx_strbuf_free(&trial);
    for (int i = 0; i < 2; i++) {
        dx_name_form_free(f1[i]);
        dx_name_form_free(f2[i]);
    }
    if (st == DX_OK)
        *score = best < 0.0 ? 0.0 : best;
    return st;
}

/* OFAC algorithm: the SLS emulation on the raw texts (it does its own normalisation). The
 * names are still normalised first so that invalid UTF-8 and over-long names are refused the
 * same way as by the default algorithm. */
static dx_status score_ofac(const dx_matcher *m, const char *name1, const char *name2,
                            double *score, dx_strbuf *ex)
{
    dx_name_form *f = NULL;
    dx_status st = dx_name_normalize(m->norm, name1, &f);
    dx_name_form_free(f);
    f = NULL;
    if (st == DX_OK)
        st = dx_name_normalize(m->norm, name2, &f);
    dx_name_form_free(f);
    if (st != DX_OK)
        return st;
    double s = dx_ofac_score_explain(name1, strlen(name1), name2, strlen(name2), ex) / 100.0;
    if (ex) {
        /* The OFAC explainer truncates silently on a failed append; we report it. */
        st = dx_strbuf_printf(ex, "\nscore %.3f\n", s);
        if (st != DX_OK)
            return st;
    }
    *score = s < 0.0 ? 0.0 : s > 1.0 ? 1.0 : s;
    return DX_OK;
}

dx_status dx_match_names(const dx_matcher *matcher, const char *name1, const char *name2,
                         dx_name_schema schema, dx_algorithm algorithm, double *score,
                         char **explanation)
{
    if (!matcher || !name1 || !name2 || !score)
        return DX_ERR_INVALID;
    if (strlen(name1) > DX_NAME_MAX_BYTES || strlen(name2) > DX_NAME_MAX_BYTES)
        return DX_ERR_LIMIT;
    dx_strbuf ex = DX_STRBUF_INIT;
    double s = 0.0;
    dx_status st = algorithm == DX_ALGO_OFAC
                       ? score_ofac(matcher, name1, name2, &s, explanation ? &ex : NULL)
                       : score_default(matcher, name1, name2, schema, &s,
                                       explanation ? &ex : NULL);
    if (st == DX_OK && explanation) {
        char *text = dx_strbuf_detach(&ex);
        if (!text)
            st = DX_ERR_NOMEM;
        else
            *explanation = text;
    }
    dx_strbuf_free(&ex);
    if (st == DX_OK)
        *score = s;
    return st;
}

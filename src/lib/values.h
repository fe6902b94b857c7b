/*
 * values.h — parsers for the typed values of record fields (docs/records.md).
 *
 * Each takes the raw UTF-8 text of one field. Full-width ASCII forms (Ｙ, １, ／) and the
 * ideographic space are folded to ASCII first, since Japanese spreadsheets produce them, and
 * surrounding spaces are ignored. Parsers return 0 on success and -1 when the text is not a
 * value of the type; they never allocate.
 */
#ifndef DX_VALUES_H
#define DX_VALUES_H

#include <stddef.h>

#include "dexcheck/records.h"

/* Longest folded value the typed parsers look at; longer text is not a valid value. */
#define DX_VALUE_MAX 256

/* Fold full-width ASCII and U+3000 to ASCII, trim spaces; 0 = ok, -1 = longer than cap-1. */
int dx_value_fold(const char *text, size_t len, char *out, size_t cap, size_t *out_len);

int dx_value_tristate(const char *text, size_t len, int allow_unknown, dx_tristate *out);
int dx_value_amount(const char *text, size_t len, double *out);
int dx_value_percent(const char *text, size_t len, double *out);

/* A word from a table (ASCII, case-insensitive, '-' '_' ' ' ignored; or an exact alias). */
typedef struct dx_value_word {
    const char *word;
    int value;
} dx_value_word;
int dx_value_enum(const char *text, size_t len, const dx_value_word *table, int *out);

/* "1".."15", "3-2" (also "3の2", "3の2項"), "16"; writes the canonical form into out[4]. */
int dx_value_jp_item(const char *text, size_t len, char out[4]);
/* An ECCN ("3E001", "9E515.a", "EAR99"), canonical case into out (cap bytes). */
int dx_value_eccn(const char *text, size_t len, char *out, size_t cap);
/* A reason for control such as "NS1", "AT1", "MT" (two letters, optional digit). */
int dx_value_reason(const char *text, size_t len, char out[4]);
/* One concern type: B, C, M, N, CW (or 生物, 化学, ミサイル, 核, 通常兵器) → DX_CONCERN_* bit. */
int dx_value_concern(const char *text, size_t len, unsigned *bit);
/* ISO 4217 code (also 円 → JPY); upper case into out[4]. */
int dx_value_currency(const char *text, size_t len, char out[4]);

/* Split `text` on ';' (or full-width '；'): calls fn for each trimmed, non-empty item. */
typedef int (*dx_value_item_fn)(void *ctx, const char *item, size_t len);
int dx_value_split(const char *text, size_t len, dx_value_item_fn fn, void *ctx);

/* Trim ASCII and ideographic spaces from both ends: adjusts *text and *len. */
void dx_value_trim(const char **text, size_t *len);

#endif

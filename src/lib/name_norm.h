/*
 * name_norm.h — turning a person or organisation name into the forms the matcher compares.
 *
 * A dx_name_normalizer is built once (it opens the ICU normalisers and the romanising
 * transliterator, which takes milliseconds) and is immutable afterwards: any number of threads
 * may call dx_name_normalize() on the same normalizer at once. How each step works and why is
 * in the design comment at the top of name_norm.c.
 *
 * Limits: a name longer than DX_NAME_MAX_BYTES bytes of UTF-8 is refused with DX_ERR_LIMIT
 * (list entries and record fields are far shorter; the cap bounds the work and the scratch
 * space, eight UTF-16 units per input byte). Should a legal-length name still expand past the
 * scratch space (not reachable with real text: the worst NFKC expansion, U+FDFA, is 6x per
 * byte) the result is also DX_ERR_LIMIT.
 */
#ifndef DX_NAME_NORM_H
#define DX_NAME_NORM_H

#include <stdbool.h>
#include <stddef.h>

#include "dexcheck/status.h"

#define DX_NAME_MAX_BYTES 1024

typedef struct dx_name_normalizer dx_name_normalizer;

/* The dominant script of a name (see dx_name_form.script). */
typedef enum dx_name_script {
    DX_SCRIPT_OTHER = 0, /* no letters at all, or letters of a script not listed here */
    DX_SCRIPT_LATIN,
    DX_SCRIPT_CYRILLIC,
    DX_SCRIPT_GREEK,
    DX_SCRIPT_HAN,
    DX_SCRIPT_ARABIC,
    DX_SCRIPT_HANGUL,
    DX_SCRIPT_KANA, /* Hiragana and/or Katakana, possibly with Han (Japanese) */
    DX_SCRIPT_ARMENIAN,
    DX_SCRIPT_GEORGIAN,
    DX_SCRIPT_THAI,
    DX_SCRIPT_DEVANAGARI,
    DX_SCRIPT_MIXED /* letters of two or more of the above scripts */
} dx_name_script;

/*
 * One normalised name. Everything lives in the one block that dx_name_normalize() allocated;
 * the caller frees it with dx_name_form_free().
 *
 * latin     the comparison form: NFKC, case-folded, romanised where the script allows it,
 *           Latin/Greek/Cyrillic accents removed, apostrophes deleted, other punctuation and
 *           symbols turned into spaces, spaces collapsed and trimmed. Letters of scripts that
 *           are not romanised (Han, Arabic, Hebrew, Indic, Thai ...) are kept as they are, so
 *           "習近平" gives latin "習近平". Never NULL; "" when the name has no letters or digits.
 * original  the name in its own script, NFKC + case folding only (whitespace collapsed and
 *           trimmed), when it contains letters of a script that is not romanised; NULL
 *           otherwise (then latin says everything).
 * script    the dominant script, counted over the letters of the folded name.
 * tokens    latin split at spaces; n_tokens entries followed by a NULL.
 */
typedef struct dx_name_form {
    const char *latin;
    const char *original;
    dx_name_script script;
    size_t n_tokens;
    const char *const *tokens;
} dx_name_form;

/*
 * Build a normalizer. Returns DX_OK and sets *out (caller frees with dx_name_normalizer_free);
 * DX_ERR_NOMEM; DX_ERR_UNSUPPORTED if ICU lacks the transliteration data; DX_ERR_INTERNAL for
 * any other ICU failure. *out is untouched on failure.
 */
dx_status dx_name_normalizer_new(dx_name_normalizer **out);

/* Free a normalizer; NULL is a no-op. No call may be running on it. */
void dx_name_normalizer_free(dx_name_normalizer *nn);

/*
 * Normalise one NUL-terminated UTF-8 name. Thread-safe on a shared normalizer.
 * Returns DX_OK and sets *out (caller frees with dx_name_form_free); DX_ERR_INVALID if an
 * argument is NULL; DX_ERR_ENCODING if `name` is not valid UTF-8; DX_ERR_LIMIT if it is longer
 * than DX_NAME_MAX_BYTES; DX_ERR_NOMEM; DX_ERR_INTERNAL if ICU fails otherwise.
 * The name is not reordered: see dx_name_is_reversed_list_form().
 */
dx_status dx_name_normalize(const dx_name_normalizer *nn, const char *name, dx_name_form **out);

/* Free a form; NULL is a no-op. */
void dx_name_form_free(dx_name_form *form);

/* "Latin", "Cyrillic", ..., "mixed", "other"; never NULL. */
const char *dx_name_script_str(dx_name_script script);

/*
 * True if `text` reads as "SURNAME, Given": exactly one comma (ASCII or full-width), a letter
 * on each side of it, and no digit after it. Lists write individuals this way; the same shape
 * is common for companies ("ACME, Inc."), so callers apply it to individuals only, as OFAC's
 * own consumers do. NULL gives false.
 */
bool dx_name_is_reversed_list_form(const char *text);

/*
 * The given-first order of a list-form name: "PUTIN, Vladimir Vladimirovich" gives
 * "Vladimir Vladimirovich PUTIN" (each part trimmed of spaces, joined by one space).
 * Returns DX_OK and sets *out (caller frees with dx_free); DX_ERR_INVALID if `text` is not in
 * list form (dx_name_is_reversed_list_form() is false); DX_ERR_NOMEM.
 */
dx_status dx_name_given_first(const char *text, char **out);

#endif

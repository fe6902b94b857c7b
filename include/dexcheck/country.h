/*
 * dexcheck/country.h — resolve what people type for a country or nationality to ISO 3166-1
 * alpha-2.
 *
 * Accepts ISO alpha-2 and alpha-3 codes, country names in many languages (from ICU's locale
 * data: English, Japanese, Chinese, Korean, Russian, French, German, Spanish, Arabic, ...),
 * the project's own table of demonyms and common variants ("Chinese", "Korea, South", "PRC",
 * "Burma"), and Japanese nationality forms ("中国籍", "中国人"). Case, width, diacritics,
 * punctuation and spacing do not matter. A name that means two countries is reported as
 * ambiguous, and an unknown one as unknown: never a guess. The table is built once and is
 * immutable afterwards, so lookups are safe from many threads.
 */
#ifndef DEXCHECK_COUNTRY_H
#define DEXCHECK_COUNTRY_H

#include <stddef.h>

#include "dexcheck/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dx_countries dx_countries;

/* Build the table (ICU data + project table). Caller frees with dx_countries_free. */
dx_status dx_countries_new(dx_countries **out);
void dx_countries_free(dx_countries *countries); /* accepts NULL */

typedef enum dx_country_result {
    DX_COUNTRY_FOUND = 0,
    DX_COUNTRY_UNKNOWN = 1,
    DX_COUNTRY_AMBIGUOUS = 2 /* e.g. "Congo": CG or CD; alpha2 is set to one candidate and
                                alt_alpha2 to another, for the message */
} dx_country_result;

typedef struct dx_country_match {
    dx_country_result result;
    char alpha2[3];     /* "CN"; "" when unknown */
    char alt_alpha2[3]; /* second candidate when ambiguous, else "" */
} dx_country_match;

/*
 * Resolve `len` bytes of UTF-8 text (need not be NUL-terminated; leading and trailing spaces
 * ignored). Always fills *out. Returns DX_OK, or DX_ERR_NOMEM.
 */
dx_status dx_country_lookup(const dx_countries *countries, const char *text, size_t len,
                            dx_country_match *out);

/* 1 when `alpha2` (two upper-case ASCII letters) is an assigned ISO 3166-1 code. */
int dx_country_is_code(const dx_countries *countries, const char *alpha2);

/* The English short name of an alpha-2 code ("China"), for messages; NULL when not a code. */
const char *dx_country_name(const dx_countries *countries, const char *alpha2);

/* The alpha-3 code of an alpha-2 code ("CHN"); NULL when not a code. */
const char *dx_country_alpha3(const dx_countries *countries, const char *alpha2);

/* How many distinct lookup keys the table holds (for tests and `--version` diagnostics). */
size_t dx_countries_key_count(const dx_countries *countries);

#ifdef __cplusplus
}
#endif
#endif

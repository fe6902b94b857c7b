/*
 * evidence.h — secondary evidence about a list entry: dates of birth and identifiers, read
 * from the list's facts and compared with a query's (internal; used by search.c).
 */
#ifndef DX_EVIDENCE_H
#define DX_EVIDENCE_H

#include <stddef.h>

/* A date of birth as a list states it: a year or range of years, with month and day when
 * given (0 = unknown). */
typedef struct dx_dob {
    short year_lo, year_hi;
    unsigned char month, day;
} dx_dob;

/*
 * The dates a list's dob fact states, into out[max]: "1965", "1960-06-29", "29 Jun 1960",
 * "29.06.1960", "circa 1958" (1957-1959), "1958 to 1960", "Between 1956 and 1958", several
 * dates separated by ';' or ','. Returns how many were found (0 for text without a year).
 */
size_t dx_dob_parse_fact(const char *text, dx_dob *out, size_t max);

/* A query's date of birth, a date or a bare year in any form records accept
 * (docs/records.md). Returns 1 and sets *out, or 0. */
int dx_dob_parse_query(const char *text, dx_dob *out);

typedef enum dx_dob_match {
    DX_DOB_UNKNOWN = 0,  /* one side has no date */
    DX_DOB_SAME_DAY,     /* the same full date */
    DX_DOB_SAME_YEAR,    /* the year agrees; the day is unknown on one side */
    DX_DOB_NEAR,         /* a year apart, or the same year with another day */
    DX_DOB_DIFFERENT     /* two years apart or more */
} dx_dob_match;

/* The closest agreement between the query's date and any of the list's. */
dx_dob_match dx_dob_compare(const dx_dob *query, const dx_dob *listed, size_t n_listed);

/* An identifier for exact comparison: ASCII letters (upper-cased) and digits only, other
 * characters dropped. Returns its length, or 0 when it has fewer than 5 such characters or
 * does not fit in cap - 1 bytes (then it is no evidence). */
size_t dx_identifier_norm(const char *text, char *out, size_t cap);

#endif

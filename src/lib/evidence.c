/*
 * evidence.c — dates of birth and identifiers as evidence for or against a name match.
 *
 * Lists write dates of birth in many ways (OFAC "29 Jun 1960", "circa 1958", "1958 to 1960";
 * the UN "1960-06-29" or a bare year; CSL several dates separated by ';'). Each dob fact is
 * read into dates with a year range and, where given, month and day; "circa" widens the
 * year by one each way. Text that names no year gives no date: it is no evidence rather than
 * a mismatch.
 *
 * Identifiers (passport, national id, registration, IMO ...) compare exactly after dropping
 * everything but ASCII letters and digits; short ones (under 5 characters, "777") are too
 * common to be evidence.
 */
#include "evidence.h"

#include "dexcheck/records.h"

#include <ctype.h>
#include <string.h>

static const char *const MONTHS[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};

static int month_word(const char *s)
{
    for (int m = 0; m < 12; m++)
        if (strncasecmp(s, MONTHS[m], 3) == 0)
            return m + 1;
    return 0;
}

static int days_in(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : d[m - 1];
}

static int valid(int y, int m, int d)
{
    return y >= 1800 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= days_in(y, m);
}

/* Reads the number at *p (up to `max` digits) and advances; -1 when none. */
static int number(const char **p, int max)
{
    int v = 0, n = 0;
    while (n < max && isdigit((unsigned char)**p)) {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n ? v : -1;
}

/* One date in one segment of the text (between ';' or ','): the first form that fits. */
static int parse_segment(const char *s, const char *end, dx_dob *out)
{
    int years[2], n_years = 0, month = 0, day = 0, circa = 0;
    const char *p = s;
    while (p < end) {
        if (isdigit((unsigned char)*p)) {
            const char *start = p;
            int v = number(&p, 8);
            size_t len = (size_t)(p - start);
            if (len == 4 && n_years < 2) {
                years[n_years++] = v;
                if (*p == '-' && isdigit((unsigned char)p[1])) { /* ISO 1960-06-29 */
                    p++;
                    month = number(&p, 2);
                    if (*p == '-' && isdigit((unsigned char)p[1])) {
                        p++;
                        day = number(&p, 2);
                    }
                }
            } else if (len <= 2 && *p == '.' && isdigit((unsigned char)p[1])) { /* 29.06.1960 */
                day = v;
                p++;
                month = number(&p, 2);
                if (*p == '.')
                    p++;
            } else if (len <= 2) {
                day = v;
            }
        } else if (isalpha((unsigned char)*p)) {
            if (strncasecmp(p, "circa", 5) == 0 || strncasecmp(p, "approx", 6) == 0 ||
                strncasecmp(p, "about", 5) == 0)
                circa = 1;
            else if (!month && p + 3 <= end)
                month = month_word(p);
            while (p < end && isalpha((unsigned char)*p))
                p++;
        } else {
            p++;
        }
    }
    if (n_years == 0)
        return 0;
    out->year_lo = (short)years[0];
    out->year_hi = (short)(n_years == 2 ? years[1] : years[0]);
    if (out->year_hi < out->year_lo) {
        short t = out->year_lo;
        out->year_lo = out->year_hi;
        out->year_hi = t;
    }
    if (circa) {
        out->year_lo--;
        out->year_hi++;
    }
    int exact = n_years == 1 && !circa && valid(years[0], month, day);
    out->month = (unsigned char)(exact ? month : 0);
    out->day = (unsigned char)(exact ? day : 0);
    return 1;
}

/* Does [p, end) hold a run of exactly four digits? */
static int has_year(const char *p, const char *end)
{
    int run = 0;
    for (; p <= end; p++) {
        if (p < end && isdigit((unsigned char)*p)) {
            run++;
        } else {
            if (run == 4)
                return 1;
            run = 0;
        }
    }
    return 0;
}

size_t dx_dob_parse_fact(const char *text, dx_dob *out, size_t max)
{
    size_t n = 0;
    const char *p = text;
    while (p && *p && n < max) {
        const char *end = p + strcspn(p, ";,");
        /* "29 Jun 1960, 1961" splits at ','; "Jun 29, 1960" has no year before it. */
        if (*end == ',' && !has_year(p, end))
            end += 1 + strcspn(end + 1, ";,");
        n += (size_t)parse_segment(p, end, &out[n]);
        p = *end ? end + 1 : end;
    }
    return n;
}

int dx_dob_parse_query(const char *text, dx_dob *out)
{
    dx_date d;
    if (!text || dx_date_parse(text, strlen(text), 1, &d) != DX_OK || d.year == 0)
        return 0;
    *out = (dx_dob){d.year, d.year, (unsigned char)d.month, (unsigned char)(d.month ? d.day : 0)};
    return 1;
}

static dx_dob_match compare_one(const dx_dob *q, const dx_dob *l)
{
    if (q->year_lo < l->year_lo - 1 || q->year_lo > l->year_hi + 1)
        return DX_DOB_DIFFERENT;
    if (q->year_lo < l->year_lo || q->year_lo > l->year_hi)
        return DX_DOB_NEAR;
    if (!q->month || !l->month || l->year_lo != l->year_hi)
        return DX_DOB_SAME_YEAR;
    return q->month == l->month && q->day == l->day ? DX_DOB_SAME_DAY : DX_DOB_NEAR;
}

dx_dob_match dx_dob_compare(const dx_dob *query, const dx_dob *listed, size_t n_listed)
{
    if (!query || n_listed == 0)
        return DX_DOB_UNKNOWN;
    dx_dob_match best = DX_DOB_DIFFERENT;
    for (size_t i = 0; i < n_listed; i++) {
        dx_dob_match m = compare_one(query, &listed[i]);
        if (m < best)
            best = m;
    }
    return best;
}

size_t dx_identifier_norm(const char *text, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = text; *p; p++) {
        if (!isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80)
            continue;
        if (n + 1 >= cap)
            return 0;
        out[n++] = (char)toupper((unsigned char)*p);
    }
    out[n] = '\0';
    return n >= 5 ? n : 0;
}

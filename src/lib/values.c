/*
 * values.c — typed field values: dates, yes/no, amounts, codes, lists.
 *
 * Accepted forms are those of product.md §4 plus what Japanese spreadsheets write: full-width
 * digits and letters, 2026/4/1 and 2026年4月1日 dates, 有/無 and はい/いいえ. Anything else is
 * rejected rather than guessed, so the caller can report it with its column.
 */
#include "values.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>
#include <unicode/ucurr.h>
#include <unicode/uenum.h>

static int is_space_at(const char *s, size_t len, size_t *width)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t')) {
        *width = 1;
        return 1;
    }
    if (len >= 3 && (unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 &&
        (unsigned char)s[2] == 0x80) {
        *width = 3; /* U+3000 ideographic space */
        return 1;
    }
    return 0;
}

void dx_value_trim(const char **text, size_t *len)
{
    const char *s = *text;
    size_t n = *len, w;
    while (n && is_space_at(s, n, &w)) {
        s += w;
        n -= w;
    }
    while (n) {
        if (s[n - 1] == ' ' || s[n - 1] == '\t')
            n--;
        else if (n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0)
            n -= 3;
        else
            break;
    }
    *text = s;
    *len = n;
}

int dx_value_fold(const char *text, size_t len, char *out, size_t cap, size_t *out_len)
{
    dx_value_trim(&text, &len);
    size_t plain = 0; /* bytes before the first that could start a full-width form or U+3000 */
    while (plain < len && (unsigned char)text[plain] < 0xE3)
        plain++;
    if (plain == len && len < cap) {
        memcpy(out, text, len); /* nothing to fold: the common case */
        out[len] = '\0';
        *out_len = len;
        return 0;
    }
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)text[i];
        char folded = 0;
        size_t w = 1;
        /* U+FF01..U+FF5E = EF BC 81..EF BD 9E → 0x21..0x7E */
        if (c == 0xEF && i + 2 < len) {
            unsigned char b = (unsigned char)text[i + 1], t = (unsigned char)text[i + 2];
            if (b == 0xBC && t >= 0x81 && t <= 0xBF)
                folded = (char)(t - 0x81 + 0x21), w = 3;
            else if (b == 0xBD && t >= 0x80 && t <= 0x9E)
                folded = (char)(t - 0x80 + 0x60), w = 3;
        } else if (c == 0xE3 && i + 2 < len && (unsigned char)text[i + 1] == 0x80 &&
                   (unsigned char)text[i + 2] == 0x80) {
            folded = ' ', w = 3;
        }
        if (o + (folded ? 1 : w) >= cap)
            return -1;
        if (folded)
            out[o++] = folded;
        else
            memcpy(out + o, text + i, w), o += w;
        i += w;
    }
    out[o] = '\0';
    *out_len = o;
    return 0;
}

/* Days in a month of the proleptic Gregorian calendar. */
static int month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* Reads 1..max digits at *p; -1 when none. */
static int read_number(const char **p, const char *end, int max_digits)
{
    int v = 0, n = 0;
    while (*p < end && n < max_digits && isdigit((unsigned char)**p)) {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n ? v : -1;
}

static int skip_token(const char **p, const char *end, const char *token)
{
    size_t n = strlen(token);
    if ((size_t)(end - *p) >= n && memcmp(*p, token, n) == 0) {
        *p += n;
        return 1;
    }
    return 0;
}

static int digits2(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

/* "YYYY-MM-DD" exactly, the common case, without folding: 1 = parsed (valid or not). */
static int parse_iso_fast(const char *t, size_t len, dx_date *out, dx_status *st)
{
    if (len != 10 || t[4] != '-' || t[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (t[i] < '0' || t[i] > '9'))
            return 0;
    }
    int y = digits2(t) * 100 + digits2(t + 2), m = digits2(t + 5), d = digits2(t + 8);
    if (y < 1800 || y > 2999 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
        *st = DX_ERR_INVALID;
    else {
        *out = (dx_date){(int16_t)y, (int8_t)m, (int8_t)d};
        *st = DX_OK;
    }
    return 1;
}

dx_status dx_date_parse(const char *text, size_t len, int allow_year, dx_date *out)
{
    dx_status fast;
    if (parse_iso_fast(text, len, out, &fast))
        return fast;
    char buf[64];
    size_t n;
    if (dx_value_fold(text, len, buf, sizeof buf, &n) != 0 || n == 0)
        return DX_ERR_INVALID;
    const char *p = buf, *end = buf + n;
    int y, m = 0, d = 0;
    if (n == 8 && strspn(buf, "0123456789") == 8) { /* YYYYMMDD */
        y = atoi((char[]){buf[0], buf[1], buf[2], buf[3], 0});
        m = (buf[4] - '0') * 10 + buf[5] - '0';
        d = (buf[6] - '0') * 10 + buf[7] - '0';
    } else {
        const char *start = p;
        y = read_number(&p, end, 4);
        if (y < 0 || p - start != 4)
            return DX_ERR_INVALID;
        if (p == end) {
            if (!allow_year)
                return DX_ERR_INVALID;
        } else {
            char sep = *p;
            int kanji = skip_token(&p, end, "\xE5\xB9\xB4"); /* 年 */
            if (!kanji && (sep == '-' || sep == '/' || sep == '.'))
                p++;
            else if (!kanji)
                return DX_ERR_INVALID;
            m = read_number(&p, end, 2);
            if (m < 0 || !(kanji ? skip_token(&p, end, "\xE6\x9C\x88") /* 月 */
                                 : (p < end && *p == sep && p++)))
                return DX_ERR_INVALID;
            d = read_number(&p, end, 2);
            if (d < 0 || (kanji && !skip_token(&p, end, "\xE6\x97\xA5"))) /* 日 */
                return DX_ERR_INVALID;
            if (p != end)
                return DX_ERR_INVALID;
        }
    }
    if (y < 1800 || y > 2999)
        return DX_ERR_INVALID;
    if (m || d) {
        if (m < 1 || m > 12 || d < 1 || d > month_days(y, m))
            return DX_ERR_INVALID;
    }
    *out = (dx_date){(int16_t)y, (int8_t)m, (int8_t)d};
    return DX_OK;
}

long dx_date_days(dx_date date)
{
    /* Howard Hinnant's days_from_civil. */
    long y = date.year, m = date.month ? date.month : 1, d = date.day ? date.day : 1;
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void dx_date_format(dx_date date, char buf[11])
{
    unsigned y = (unsigned)date.year % 10000u, m = (unsigned)date.month % 100u,
             d = (unsigned)date.day % 100u;
    if (!date.year)
        buf[0] = '\0';
    else if (!date.month)
        snprintf(buf, 11, "%04u", y);
    else
        snprintf(buf, 11, "%04u-%02u-%02u", y, m, d);
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

static int is_squashed(char c)
{
    return c == ' ' || c == '_' || c == '-';
}

/* Equal when both are the same ASCII text up to case and ' ', '_', '-'. */
static int squash_equal(const char *a, const char *b)
{
    for (;;) {
        while (is_squashed(*a))
            a++;
        while (is_squashed(*b))
            b++;
        if (!*a || !*b)
            return !*a && !*b;
        if (ascii_lower(*a) != ascii_lower(*b))
            return 0;
        a++;
        b++;
    }
}

int dx_value_enum(const char *text, size_t len, const dx_value_word *table, int *out)
{
    char folded[DX_VALUE_MAX];
    size_t n;
    if (dx_value_fold(text, len, folded, sizeof folded, &n) != 0)
        return -1;
    const char *first = folded;
    while (is_squashed(*first))
        first++;
    char lead = ascii_lower(*first);
    for (const dx_value_word *w = table; w->word; w++) {
        /* Words never begin with ' ', '_' or '-', so the first letter rejects most quickly. */
        if (ascii_lower(w->word[0]) == lead && squash_equal(first, w->word)) {
            *out = w->value;
            return 0;
        }
    }
    return -1;
}

int dx_value_tristate(const char *text, size_t len, int allow_unknown, dx_tristate *out)
{
    static const dx_value_word words[] = {
        {"yes", DX_TRI_YES}, {"y", DX_TRI_YES}, {"true", DX_TRI_YES}, {"1", DX_TRI_YES},
        {"\xE6\x9C\x89", DX_TRI_YES},                  /* 有 */
        {"\xE3\x81\xAF\xE3\x81\x84", DX_TRI_YES},      /* はい */
        {"\xE2\x97\x8B", DX_TRI_YES},                  /* ○ */
        {"no", DX_TRI_NO}, {"n", DX_TRI_NO}, {"false", DX_TRI_NO}, {"0", DX_TRI_NO},
        {"\xE7\x84\xA1", DX_TRI_NO},                   /* 無 */
        {"\xE3\x81\x84\xE3\x81\x84\xE3\x81\x88", DX_TRI_NO}, /* いいえ */
        {"\xC3\x97", DX_TRI_NO},                       /* × */
        {"unknown", DX_TRI_UNKNOWN},
        {"\xE4\xB8\x8D\xE6\x98\x8E", DX_TRI_UNKNOWN},  /* 不明 */
        {NULL, 0}};
    char folded[32];
    size_t n;
    if (dx_value_fold(text, len, folded, sizeof folded, &n) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        folded[i] = ascii_lower(folded[i]);
    for (const dx_value_word *w = words; w->word; w++) {
        /* exact (no spaces or '-' ignored: "-1" is not "1") */
        if (folded[0] == w->word[0] && strcmp(folded, w->word) == 0) {
            if (w->value == DX_TRI_UNKNOWN && !allow_unknown)
                return -1;
            *out = (dx_tristate)w->value;
            return 0;
        }
    }
    return -1;
}

/* Digits with optional thousands separators in groups of three and an optional fraction. */
int dx_value_amount(const char *text, size_t len, double *out)
{
    char folded[64], digits[64];
    size_t n, o = 0, group = 0;
    int seen_comma = 0, seen_point = 0, any = 0;
    if (dx_value_fold(text, len, folded, sizeof folded, &n) != 0 || n == 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = folded[i];
        if (isdigit((unsigned char)c)) {
            digits[o++] = c;
            group++;
            any = 1;
        } else if (c == ',' && !seen_point && any && (!seen_comma || group == 3)) {
            seen_comma = 1;
            group = 0;
        } else if (c == '.' && !seen_point && any && (!seen_comma || group == 3)) {
            seen_point = 1;
            seen_comma = 0;
            digits[o++] = c;
        } else {
            return -1;
        }
    }
    if ((seen_comma && group != 3) || digits[o - 1] == '.')
        return -1;
    digits[o] = '\0';
    double v = 0;
    if (!seen_point && o <= 15) { /* whole amounts: exact without strtod */
        for (size_t i = 0; i < o; i++)
            v = v * 10 + (digits[i] - '0');
    } else {
        v = strtod(digits, NULL);
    }
    if (!isfinite(v) || v > 1e15)
        return -1;
    *out = v;
    return 0;
}

int dx_value_percent(const char *text, size_t len, double *out)
{
    char f[64];
    size_t n;
    if (dx_value_fold(text, len, f, sizeof f, &n) != 0)
        return -1;
    if (n && f[n - 1] == '%') /* also a folded full-width ％ */
        n--;
    if (dx_value_amount(f, n, out) != 0 || *out > 100.0)
        return -1;
    return 0;
}

int dx_value_jp_item(const char *text, size_t len, char out[4])
{
    char f[32];
    size_t n;
    if (dx_value_fold(text, len, f, sizeof f, &n) != 0 || n == 0)
        return -1;
    if (n >= 3 && strcmp(f + n - 3, "\xE9\xA0\x85") == 0) /* trailing 項 */
        f[n -= 3] = '\0';
    char *no = strstr(f, "\xE3\x81\xAE"); /* の, as in 3の2 */
    if (no) {
        memmove(no + 1, no + 3, strlen(no + 3) + 1);
        *no = '-';
        n -= 2;
    }
    if (strcmp(f, "3-2") == 0) {
        memcpy(out, "3-2", 4);
        return 0;
    }
    if (n == 0 || n > 2 || strspn(f, "0123456789") != n || f[0] == '0')
        return -1;
    int item = atoi(f);
    if (item < 1 || item > 16)
        return -1;
    memcpy(out, f, n + 1);
    return 0;
}

int dx_value_eccn(const char *text, size_t len, char *out, size_t cap)
{
    char f[64];
    size_t n;
    if (dx_value_fold(text, len, f, sizeof f, &n) != 0 || n + 1 > cap)
        return -1;
    for (size_t i = 0; i < n; i++)
        f[i] = (char)(i < 5 ? toupper((unsigned char)f[i]) : tolower((unsigned char)f[i]));
    if (strcmp(f, "EAR99") == 0) {
        memcpy(out, f, 6);
        return 0;
    }
    if (n < 5 || !isdigit((unsigned char)f[0]) || f[1] < 'A' || f[1] > 'E' ||
        strspn(f + 2, "0123456789") < 3)
        return -1;
    /* Paragraphs: ".a", ".b.1", ...: each '.' followed by one or more letters or digits. */
    for (size_t i = 5; i < n; i++) {
        int dot = f[i] == '.';
        if (!dot && !isalnum((unsigned char)f[i]))
            return -1;
        if (dot && (i + 1 >= n || f[i + 1] == '.'))
            return -1;
    }
    if (n > 5 && f[5] != '.')
        return -1;
    memcpy(out, f, n + 1);
    return 0;
}

int dx_value_reason(const char *text, size_t len, char out[4])
{
    char f[16];
    size_t n;
    if (dx_value_fold(text, len, f, sizeof f, &n) != 0 || n < 2 || n > 3)
        return -1;
    for (size_t i = 0; i < n; i++)
        f[i] = (char)toupper((unsigned char)f[i]);
    if (!isupper((unsigned char)f[0]) || !isupper((unsigned char)f[1]) ||
        (n == 3 && !isdigit((unsigned char)f[2])))
        return -1;
    memcpy(out, f, n + 1);
    return 0;
}

int dx_value_concern(const char *text, size_t len, unsigned *bit)
{
    static const dx_value_word words[] = {
        {"B", DX_CONCERN_B}, {"C", DX_CONCERN_C}, {"M", DX_CONCERN_M}, {"N", DX_CONCERN_N},
        {"CW", DX_CONCERN_CW},
        {"\xE7\x94\x9F\xE7\x89\xA9", DX_CONCERN_B},                        /* 生物 */
        {"\xE5\x8C\x96\xE5\xAD\xA6", DX_CONCERN_C},                        /* 化学 */
        {"\xE3\x83\x9F\xE3\x82\xB5\xE3\x82\xA4\xE3\x83\xAB", DX_CONCERN_M}, /* ミサイル */
        {"\xE6\xA0\xB8", DX_CONCERN_N},                                    /* 核 */
        {"\xE9\x80\x9A\xE5\xB8\xB8\xE5\x85\xB5\xE5\x99\xA8", DX_CONCERN_CW}, /* 通常兵器 */
        {NULL, 0}};
    int v;
    if (dx_value_enum(text, len, words, &v) != 0)
        return -1;
    *bit = (unsigned)v;
    return 0;
}

/*
 * ISO 4217 as ICU knows it, current and historic ("YEN" is not a code): one bit per
 * three-letter code, filled once from ICU's currency list (asking ICU per value costs ~400
 * instructions; a bit costs one load).
 */
static unsigned char currency_bits[(26 * 26 * 26 + 7) / 8];
static pthread_once_t currency_once = PTHREAD_ONCE_INIT;

static int currency_index(const char *code)
{
    return ((code[0] - 'A') * 26 + (code[1] - 'A')) * 26 + (code[2] - 'A');
}

static void load_currencies(void)
{
    UErrorCode err = U_ZERO_ERROR;
    UEnumeration *all = ucurr_openISOCurrencies(UCURR_ALL, &err);
    const char *code;
    int32_t len;
    while (U_SUCCESS(err) && (code = uenum_next(all, &len, &err)) != NULL) {
        if (len == 3 && isupper((unsigned char)code[0]) && isupper((unsigned char)code[1]) &&
            isupper((unsigned char)code[2])) {
            int i = currency_index(code);
            currency_bits[i / 8] |= (unsigned char)(1u << (i % 8));
        }
    }
    uenum_close(all);
}

static int currency_known(const char *code)
{
    pthread_once(&currency_once, load_currencies);
    int i = currency_index(code);
    return (currency_bits[i / 8] >> (i % 8)) & 1;
}

int dx_value_currency(const char *text, size_t len, char out[4])
{
    char f[16];
    size_t n;
    if (dx_value_fold(text, len, f, sizeof f, &n) != 0)
        return -1;
    if (strcmp(f, "\xE5\x86\x86") == 0 || strcmp(f, "\xC2\xA5") == 0) { /* 円, ¥ */
        memcpy(out, "JPY", 4);
        return 0;
    }
    if (n != 3)
        return -1;
    for (size_t i = 0; i < 3; i++) {
        if (!isalpha((unsigned char)f[i]))
            return -1;
        out[i] = (char)toupper((unsigned char)f[i]);
    }
    out[3] = '\0';
    return currency_known(out) ? 0 : -1;
}

int dx_value_split(const char *text, size_t len, dx_value_item_fn fn, void *ctx)
{
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        size_t sep = 0;
        if (i == len)
            sep = 1;
        else if (text[i] == ';')
            sep = 1;
        else if (len - i >= 3 && memcmp(text + i, "\xEF\xBC\x9B", 3) == 0) /* ； */
            sep = 3;
        if (!sep)
            continue;
        const char *item = text + start;
        size_t n = i - start;
        dx_value_trim(&item, &n);
        if (n) {
            int rc = fn(ctx, item, n);
            if (rc)
                return rc;
        }
        i += sep - 1;
        start = i + 1;
    }
    return 0;
}

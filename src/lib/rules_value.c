/*
 * rules_value.c — the vocabulary of outcomes (determinations, severities, regimes, leakage
 * channels: product.md §5, fixed by the product, not by rule files), calendar dates as day
 * numbers, and values written as text for reasons and traces.
 *
 * Text forms: yes / no for booleans, numbers without trailing zeros (0.3, 12000000), dates
 * as YYYY-MM-DD, lists joined with "; ", "unknown" for an unknown value.
 */
#include <stdio.h>
#include <string.h>

#include "rules_int.h"

static const char *const determinations[] = {
    "", "license_required", "exception_available", "licensed", "exempt",
    "no_license_required", "not_controlled", "prohibited", "needs_review"};
static const char *const severities[] = {"", "critical", "high", "medium", "low", "info"};
static const char *const regimes[] = {"", "JP", "US", "EU", "LIST", "DATA"};
static const char *const channels[] = {
    "investment_and_acquisition", "illicit_procurement", "foreign_students_and_researchers",
    "joint_research", "recruitment", "intelligence_activities", "cyber_attacks"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *dx_determination_name(dx_determination d)
{
    return (size_t)d < COUNT(determinations) ? determinations[d] : "";
}

const char *dx_finding_severity_name(dx_finding_severity s)
{
    return (size_t)s < COUNT(severities) ? severities[s] : "";
}

const char *dx_regime_name(dx_regime r)
{
    return (size_t)r < COUNT(regimes) ? regimes[r] : "";
}

/* The index (from 1) of s[0..len) in words[1..n), or 0. */
static int word_index(const char *const *words, size_t n, const char *s, size_t len)
{
    for (size_t i = 1; i < n; i++)
        if (strlen(words[i]) == len && !memcmp(words[i], s, len))
            return (int)i;
    return 0;
}

int rules_determination_from(const char *s, size_t len, dx_determination *out)
{
    int i = word_index(determinations, COUNT(determinations), s, len);
    if (i)
        *out = (dx_determination)i;
    return i != 0;
}

int rules_severity_from(const char *s, size_t len, dx_finding_severity *out)
{
    int i = word_index(severities, COUNT(severities), s, len);
    if (i)
        *out = (dx_finding_severity)i;
    return i != 0;
}

int rules_regime_from(const char *s, size_t len, dx_regime *out)
{
    int i = word_index(regimes, COUNT(regimes), s, len);
    if (i)
        *out = (dx_regime)i;
    return i != 0;
}

int rules_channel_known(const char *s, size_t len)
{
    for (size_t i = 0; i < COUNT(channels); i++)
        if (strlen(channels[i]) == len && !memcmp(channels[i], s, len))
            return 1;
    return 0;
}

int rules_sorted_find(const char *const *items, size_t n, const char *key, size_t *at)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(items[mid], key);
        if (c == 0) {
            if (at)
                *at = mid;
            return 1;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Howard Hinnant's days_from_civil and civil_from_days. */
long dx_rdate_from_ymd(int year, int month, int day)
{
    long y = year, m = month, d = day;
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void dx_rdate_to_ymd(long days, int *year, int *month, int *day)
{
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    *year = (int)(yoe + era * 400 + (m <= 2));
    *month = (int)m;
    *day = (int)d;
}

static const char *number_text(char *buf, size_t size, double v)
{
    if (v == (double)(long long)v && v > -1e15 && v < 1e15)
        snprintf(buf, size, "%lld", (long long)v);
    else
        snprintf(buf, size, "%.6g", v);
    return buf;
}

/* A list's items joined with "; " (objects are shown by count). */
static const char *list_text(dx_arena *arena, const dx_ruleenv *env, rty ty, const dx_rvalue *v)
{
    if (ty.base == DX_RT_OBJECT_LIST) {
        char buf[64];
        snprintf(buf, sizeof buf, "%zu %s%s", v->u.objects.n,
                 ty.kind >= 0 ? env->kinds[ty.kind].name : "item",
                 v->u.objects.n == 1 ? "" : "s");
        return dx_arena_strndup(arena, buf, strlen(buf));
    }
    size_t len = 0;
    for (size_t i = 0; i < v->u.texts.n; i++)
        len += strlen(v->u.texts.items[i]) + 2;
    char *out = dx_arena_alloc(arena, len + 8), *o = out;
    if (!out)
        return NULL;
    if (!v->u.texts.n)
        return strcpy(out, "(none)");
    for (size_t i = 0; i < v->u.texts.n; i++) {
        size_t l = strlen(v->u.texts.items[i]);
        if (i) {
            memcpy(o, "; ", 2);
            o += 2;
        }
        memcpy(o, v->u.texts.items[i], l);
        o += l;
    }
    *o = '\0';
    return out;
}

const char *rules_value_text(dx_arena *arena, const dx_ruleenv *env, rty ty, const dx_rvalue *v)
{
    char buf[64] = "";
    const char *s = buf;
    if (!v->known)
        s = "unknown";
    else if (ty.base == DX_RT_BOOL)
        s = v->u.boolean ? "yes" : "no";
    else if (ty.base == DX_RT_NUMBER)
        number_text(buf, sizeof buf, v->u.number);
    else if (ty.base == DX_RT_TEXT)
        s = v->u.text ? v->u.text : "";
    else if (ty.base == DX_RT_DATE) {
        int y, m, d;
        dx_rdate_to_ymd(v->u.date, &y, &m, &d);
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    } else if (ty.base == DX_RT_TEXT_LIST || ty.base == DX_RT_OBJECT_LIST)
        return list_text(arena, env, ty, v);
    else if (ty.base == DX_RT_OBJECT)
        s = ty.kind >= 0 ? env->kinds[ty.kind].name : "object";
    return dx_arena_strndup(arena, s, strlen(s));
}

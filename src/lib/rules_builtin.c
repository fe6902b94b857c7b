/*
 * rules_builtin.c — the generic functions every host gets (dx_ruleenv_add_standard_functions):
 * calendar arithmetic, text tests and list tests. They are registered through the same API
 * as a host's own functions, so the language hard-codes none of them.
 *
 * Calendar rules, chosen to match how the regulations count periods: months_between(a, b)
 * counts whole months from a to b (2026-06-01 → 2026-12-01 is 6; 2026-01-31 → 2026-02-28 is
 * 0, the month is not complete until the 31st would come round); add_months keeps the day
 * and falls back to the month's last day (2026-01-31 + 1 month = 2026-02-28).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rules_int.h"

static dx_status set_number(dx_rvalue *out, double x)
{
    out->known = 1;
    out->u.number = x;
    return DX_OK;
}

static dx_status set_bool(dx_rvalue *out, int b)
{
    out->known = 1;
    out->u.boolean = !!b;
    return DX_OK;
}

static dx_status set_date(dx_rvalue *out, long days)
{
    out->known = 1;
    out->u.date = days;
    return DX_OK;
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* Whole months from a to b (negative when b is before a). */
static long whole_months(long a, long b)
{
    if (b < a)
        return -whole_months(b, a);
    int y1, m1, d1, y2, m2, d2;
    dx_rdate_to_ymd(a, &y1, &m1, &d1);
    dx_rdate_to_ymd(b, &y2, &m2, &d2);
    long months = (long)(y2 - y1) * 12 + (m2 - m1);
    /* the last month is complete when b's day reaches a's day, or b is its month's last day
     * and a's day does not exist in b's month */
    if (d2 < d1 && !(d2 == days_in_month(y2, m2)))
        months--;
    return months;
}

static dx_status fn_days_between(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    return set_number(out, (double)(a[1].u.date - a[0].u.date));
}

static dx_status fn_months_between(dx_rcall *call, const dx_rvalue *a, size_t n,
                                   dx_rvalue *out)
{
    return set_number(out, (double)whole_months(a[0].u.date, a[1].u.date));
}

static dx_status fn_years_between(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    long m = whole_months(a[0].u.date, a[1].u.date);
    return set_number(out, (double)(m >= 0 ? m / 12 : -((-m) / 12)));
}

/* A day count from a rule: whole days within ±1,000,000 years, else unknown. */
static int to_days(double x, long *out)
{
    if (!(x > -365e6 && x < 365e6))
        return 0;
    *out = (long)x;
    return 1;
}

static dx_status fn_add_days(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    long d;
    return to_days(a[1].u.number, &d) ? set_date(out, a[0].u.date + d) : DX_OK;
}

static dx_status fn_add_months(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    long add;
    if (!to_days(a[1].u.number, &add) || add > 12000000 || add < -12000000)
        return DX_OK;
    int y, m, d;
    dx_rdate_to_ymd(a[0].u.date, &y, &m, &d);
    long total = (long)y * 12 + (m - 1) + add;
    long ny = total >= 0 ? total / 12 : -((-total + 11) / 12);
    int nm = (int)(total - ny * 12) + 1;
    int dim = days_in_month((int)ny, nm);
    return set_date(out, dx_rdate_from_ymd((int)ny, nm, d > dim ? dim : d));
}

static dx_status fn_length(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    return set_number(out, (double)a[0].u.texts.n);
}

static int has_text(const dx_rvalue *list, const char *s)
{
    if (list->sorted)
        return rules_sorted_find(list->u.texts.items, list->u.texts.n, s, NULL);
    for (size_t i = 0; i < list->u.texts.n; i++)
        if (!strcmp(list->u.texts.items[i], s))
            return 1;
    return 0;
}

static dx_status fn_intersects(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    for (size_t i = 0; i < a[0].u.texts.n; i++)
        if (has_text(&a[1], a[0].u.texts.items[i]))
            return set_bool(out, 1);
    return set_bool(out, 0);
}

static dx_status fn_contains(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    return set_bool(out, strstr(a[0].u.text, a[1].u.text) != NULL);
}

static dx_status fn_starts_with(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    return set_bool(out, !strncmp(a[0].u.text, a[1].u.text, strlen(a[1].u.text)));
}

static dx_status fn_lower(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    size_t len = strlen(a[0].u.text);
    char *s = dx_rcall_alloc(call, len + 1);
    if (!s)
        return DX_ERR_NOMEM;
    for (size_t i = 0; i <= len; i++)
        s[i] = (char)tolower((unsigned char)a[0].u.text[i]);
    out->known = 1;
    out->u.text = s;
    return DX_OK;
}

static dx_status fn_percent(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    char buf[64];
    double p = a[0].u.number * 100;
    if (p > -1e9 && p < 1e9) /* 0.55 * 100 is 55.00000000000001: print "55 %" */
        p = floor(p * 1e6 + 0.5) / 1e6;
    if (p == (double)(long long)p && p > -1e15 && p < 1e15)
        snprintf(buf, sizeof buf, "%lld %%", (long long)p);
    else
        snprintf(buf, sizeof buf, "%.1f %%", p);
    char *s = dx_rcall_alloc(call, strlen(buf) + 1);
    if (!s)
        return DX_ERR_NOMEM;
    out->known = 1;
    out->u.text = strcpy(s, buf);
    return DX_OK;
}

static dx_status fn_year(dx_rcall *call, const dx_rvalue *a, size_t n, dx_rvalue *out)
{
    int y, m, d;
    dx_rdate_to_ymd(a[0].u.date, &y, &m, &d);
    return set_number(out, y);
}

dx_status dx_ruleenv_add_standard_functions(dx_ruleenv *env)
{
    static const struct {
        const char *sig, *doc;
        dx_rfunc_fn fn;
    } std[] = {
        {"days_between(date, date) -> number", "days from the first date to the second",
         fn_days_between},
        {"months_between(date, date) -> number",
         "whole months from the first date to the second (2026-06-01 to 2026-12-01 is 6)",
         fn_months_between},
        {"years_between(date, date) -> number", "whole years from the first date to the second",
         fn_years_between},
        {"add_days(date, number) -> date", "the date that many days later", fn_add_days},
        {"add_months(date, number) -> date",
         "the date that many months later (the month's last day when the day does not exist)",
         fn_add_months},
        {"year(date) -> number", "the year of a date", fn_year},
        {"length(list<text>) -> number", "how many texts a list holds", fn_length},
        {"intersects(list<text>, list<text>) -> bool",
         "whether the two lists (or sets) share a text", fn_intersects},
        {"contains(text, text) -> bool", "whether the first text contains the second",
         fn_contains},
        {"starts_with(text, text) -> bool", "whether the first text starts with the second",
         fn_starts_with},
        {"lower(text) -> text", "the text in lower case (ASCII letters)", fn_lower},
        {"percent(number) -> text", "a ratio as a percentage: percent(0.3) is \"30 %\"",
         fn_percent},
    };
    for (size_t i = 0; i < sizeof std / sizeof std[0]; i++) {
        dx_status st = dx_ruleenv_add_function(env, std[i].sig, std[i].doc, 0, std[i].fn, NULL);
        if (st != DX_OK)
            return st;
    }
    return DX_OK;
}

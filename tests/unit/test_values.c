/*
 * test_values.c — typed field values of records (src/lib/values.c): dates, yes/no, amounts,
 * percentages, enum words, 外為令 items, ECCNs, reasons for control, concern types,
 * currencies, lists and the full-width fold.
 *
 * Every test asserts exact results: the parsed value on success, and rejection (with the
 * output left untouched where the parser promises nothing else) on failure.
 */
#include "testutil.h"

#include <string.h>

#include "dexcheck/records.h"
#include "values.h"

/* ---- helpers ---- */

static int parse_date(const char *text, int allow_year, dx_date *out)
{
    return dx_date_parse(text, strlen(text), allow_year, out) == DX_OK ? 0 : -1;
}

/* `text` parses to y-m-d (m = d = 0: a bare year). */
static void check_date(const char *text, int allow_year, int y, int m, int d)
{
    dx_date out = {-1, -1, -1};
    dx_status st = dx_date_parse(text, strlen(text), allow_year, &out);
    if (st != DX_OK)
        fail_msg("date \"%s\" (allow_year %d): rejected with %d, expected %04d-%02d-%02d", text,
                 allow_year, (int)st, y, m, d);
    if (out.year != y || out.month != m || out.day != d)
        fail_msg("date \"%s\": got %d-%d-%d, expected %d-%d-%d", text, out.year, out.month,
                 out.day, y, m, d);
}

static void check_date_rejected(const char *text, size_t len, int allow_year)
{
    dx_date out = {1234, 5, 6};
    dx_status st = dx_date_parse(text, len, allow_year, &out);
    if (st != DX_ERR_INVALID)
        fail_msg("date \"%.*s\" (allow_year %d): expected DX_ERR_INVALID, got %d (%d-%d-%d)",
                 (int)len, text, allow_year, (int)st, out.year, out.month, out.day);
    /* a rejected parse leaves the output alone */
    assert_int_equal(out.year, 1234);
    assert_int_equal(out.month, 5);
    assert_int_equal(out.day, 6);
}

#define REJECT_DATE(text, allow) check_date_rejected(text, strlen(text), allow)

/* ---- dates ---- */

static void test_date_iso(void **state)
{
    (void)state;
    check_date("2026-04-01", 0, 2026, 4, 1);
    check_date("2026-04-01", 1, 2026, 4, 1);
    check_date("1990-12-31", 0, 1990, 12, 31);
    check_date("1800-01-01", 0, 1800, 1, 1); /* the first year accepted */
    check_date("2999-12-31", 0, 2999, 12, 31);
    check_date("2026-4-1", 0, 2026, 4, 1);
    check_date("2026.04.01", 0, 2026, 4, 1);
}

static void test_date_slashes_and_kanji(void **state)
{
    (void)state;
    check_date("2026/4/1", 0, 2026, 4, 1);
    check_date("2026/04/01", 0, 2026, 4, 1);
    check_date("2026/12/25", 0, 2026, 12, 25);
    /* 2026年4月1日 */
    check_date("2026\xE5\xB9\xB4" "4\xE6\x9C\x88" "1\xE6\x97\xA5", 0, 2026, 4, 1);
    /* 1999年12月31日 */
    check_date("1999\xE5\xB9\xB4" "12\xE6\x9C\x88" "31\xE6\x97\xA5", 0, 1999, 12, 31);
    /* full-width １９９０－０１－０２ */
    check_date("\xEF\xBC\x91\xEF\xBC\x99\xEF\xBC\x99\xEF\xBC\x90\xEF\xBC\x8D\xEF\xBC\x90"
               "\xEF\xBC\x91\xEF\xBC\x8D\xEF\xBC\x90\xEF\xBC\x92",
               0, 1990, 1, 2);
    /* full-width ２０２６／４／１ */
    check_date("\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x92\xEF\xBC\x96\xEF\xBC\x8F\xEF\xBC\x94"
               "\xEF\xBC\x8F\xEF\xBC\x91",
               0, 2026, 4, 1);
    /* ２０２６年４月１日: full-width digits with kanji */
    check_date("\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x92\xEF\xBC\x96\xE5\xB9\xB4\xEF\xBC\x94"
               "\xE6\x9C\x88\xEF\xBC\x91\xE6\x97\xA5",
               0, 2026, 4, 1);
}

static void test_date_compact_and_year(void **state)
{
    (void)state;
    check_date("20260401", 0, 2026, 4, 1);
    check_date("19900102", 1, 1990, 1, 2);
    check_date("20240229", 0, 2024, 2, 29);
    REJECT_DATE("20250229", 0);
    REJECT_DATE("20261301", 0);
    REJECT_DATE("20260400", 0);
    REJECT_DATE("17991231", 0);
    /* a bare year only where the column allows it */
    check_date("1985", 1, 1985, 0, 0);
    check_date(" 1985 ", 1, 1985, 0, 0);
    REJECT_DATE("1985", 0);
    REJECT_DATE("1799", 1);
    REJECT_DATE("3000", 1);
    REJECT_DATE("198", 1);
    REJECT_DATE("19850", 1);
    REJECT_DATE("202604", 1);
}

static void test_date_invalid(void **state)
{
    (void)state;
    REJECT_DATE("2026-13-01", 0);
    REJECT_DATE("2026-00-10", 0);
    REJECT_DATE("2026-04-00", 0);
    REJECT_DATE("2026-04-31", 0);
    REJECT_DATE("2026-02-29", 0);
    REJECT_DATE("2026-02-29", 1);
    REJECT_DATE("1900-02-29", 0); /* divisible by 100, not by 400 */
    REJECT_DATE("1799-01-01", 0);
    REJECT_DATE("1799-12-31", 1);
    REJECT_DATE("3000-01-01", 0);
    REJECT_DATE("2026-1-1x", 0);
    REJECT_DATE("2026-01-01x", 0);
    REJECT_DATE("2026-01-011", 0);
    REJECT_DATE("2026-04/01", 0); /* mixed separators */
    REJECT_DATE("2026/04-01", 0);
    REJECT_DATE("2026-04", 0);
    REJECT_DATE("2026-04", 1);
    REJECT_DATE("2026-", 1);
    REJECT_DATE("26-04-01", 0);
    REJECT_DATE("02026-04-01", 0);
    REJECT_DATE("2026 04 01", 0);
    REJECT_DATE("2026-04-01T10:00", 0);
    REJECT_DATE("01/04/2026", 0);
    REJECT_DATE("", 0);
    REJECT_DATE("", 1);
    REJECT_DATE("   ", 1);
    REJECT_DATE("abcd-ef-gh", 0);
    REJECT_DATE("-2026-04-01", 0);
    /* 2026年4月1 (no 日) and 2026年4-1 */
    REJECT_DATE("2026\xE5\xB9\xB4" "4\xE6\x9C\x88" "1", 0);
    REJECT_DATE("2026\xE5\xB9\xB4" "4-1", 0);
    /* longer than the parser's buffer */
    char long_text[200];
    memset(long_text, '1', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    REJECT_DATE(long_text, 1);
}

static void test_date_leap_years(void **state)
{
    (void)state;
    check_date("2024-02-29", 0, 2024, 2, 29);
    check_date("2000-02-29", 0, 2000, 2, 29); /* divisible by 400 */
    check_date("2026-02-28", 0, 2026, 2, 28);
    check_date("2024/2/29", 0, 2024, 2, 29);
}

static void test_date_spaces_and_length(void **state)
{
    (void)state;
    check_date("  2026-04-01  ", 0, 2026, 4, 1);
    check_date("\t2026-04-01\t", 0, 2026, 4, 1);
    /* ideographic spaces around */
    check_date("\xE3\x80\x80" "2026-04-01\xE3\x80\x80", 0, 2026, 4, 1);
    /* only `len` bytes are read: the text need not end there */
    dx_date out = {0, 0, 0};
    const char *text = "2026-04-01xyz";
    assert_int_equal(dx_date_parse(text, 10, 0, &out), DX_OK);
    assert_int_equal(out.year, 2026);
    assert_int_equal(out.month, 4);
    assert_int_equal(out.day, 1);
    check_date_rejected(text, 11, 0);
    check_date_rejected(text, 9, 0); /* "2026-04-0" */
    assert_int_equal(dx_date_parse("19851231", 4, 1, &out), DX_OK);
    assert_int_equal(out.year, 1985);
    assert_int_equal(out.month, 0);
    assert_int_equal(out.day, 0);
}

static void test_date_days(void **state)
{
    (void)state;
    assert_int_equal(dx_date_days((dx_date){1970, 1, 1}), 0);
    assert_int_equal(dx_date_days((dx_date){1970, 1, 2}), 1);
    assert_int_equal(dx_date_days((dx_date){1969, 12, 31}), -1);
    assert_int_equal(dx_date_days((dx_date){2000, 1, 1}), 10957);
    assert_int_equal(dx_date_days((dx_date){2000, 3, 1}), 11017);
    assert_int_equal(dx_date_days((dx_date){2026, 4, 1}), 20544);
    assert_int_equal(dx_date_days((dx_date){1800, 1, 1}), -62091);
    /* a leap day in between */
    assert_int_equal(dx_date_days((dx_date){2024, 3, 1}) - dx_date_days((dx_date){2024, 2, 28}),
                     2);
    assert_int_equal(dx_date_days((dx_date){2023, 3, 1}) - dx_date_days((dx_date){2023, 2, 28}),
                     1);
    assert_int_equal(dx_date_days((dx_date){1900, 3, 1}) - dx_date_days((dx_date){1900, 2, 28}),
                     1);
    assert_int_equal(dx_date_days((dx_date){2025, 1, 1}) - dx_date_days((dx_date){2024, 1, 1}),
                     366);
    /* a bare year is its 1 January */
    assert_int_equal(dx_date_days((dx_date){2026, 0, 0}), 20454);
    assert_int_equal(dx_date_days((dx_date){2026, 0, 0}), dx_date_days((dx_date){2026, 1, 1}));
    assert_int_equal(dx_date_days((dx_date){1970, 0, 0}), 0);
    /* consistent with the parser */
    dx_date a, b;
    assert_int_equal(parse_date("2024-02-28", 0, &a), 0);
    assert_int_equal(parse_date("20240301", 0, &b), 0);
    assert_int_equal(dx_date_days(b) - dx_date_days(a), 2);
}

static void test_date_format(void **state)
{
    (void)state;
    char buf[11];
    memset(buf, 'x', sizeof buf);
    dx_date_format((dx_date){2026, 4, 1}, buf);
    assert_string_equal(buf, "2026-04-01");
    dx_date_format((dx_date){1990, 12, 31}, buf);
    assert_string_equal(buf, "1990-12-31");
    dx_date_format((dx_date){1985, 0, 0}, buf);
    assert_string_equal(buf, "1985");
    dx_date_format((dx_date){0, 0, 0}, buf);
    assert_string_equal(buf, "");
    dx_date_format((dx_date){1800, 1, 9}, buf);
    assert_string_equal(buf, "1800-01-09");
    /* round trip through the parser */
    dx_date d;
    assert_int_equal(parse_date("2024/2/29", 0, &d), 0);
    dx_date_format(d, buf);
    assert_string_equal(buf, "2024-02-29");
}

/* ---- yes / no ---- */

static void check_tri(const char *text, int allow_unknown, dx_tristate want)
{
    dx_tristate out = DX_TRI_UNSET;
    if (dx_value_tristate(text, strlen(text), allow_unknown, &out) != 0)
        fail_msg("tristate \"%s\" (allow_unknown %d) rejected, expected %d", text, allow_unknown,
                 (int)want);
    if (out != want)
        fail_msg("tristate \"%s\": got %d, expected %d", text, (int)out, (int)want);
}

static void check_tri_rejected(const char *text, int allow_unknown)
{
    dx_tristate out = DX_TRI_UNSET;
    if (dx_value_tristate(text, strlen(text), allow_unknown, &out) == 0)
        fail_msg("tristate \"%s\" (allow_unknown %d) accepted as %d, expected rejection", text,
                 allow_unknown, (int)out);
    assert_int_equal(out, DX_TRI_UNSET);
}

static void test_tristate(void **state)
{
    (void)state;
    static const char *const yes[] = {"yes", "Yes", "YES", "y", "Y", "true", "TRUE", "True", "1",
                                      " yes ", "\xEF\xBC\xB9",           /* Ｙ */
                                      "\xEF\xBD\x99\xEF\xBD\x85\xEF\xBD\x93", /* ｙｅｓ */
                                      "\xEF\xBC\x91",                    /* １ */
                                      "\xE6\x9C\x89",                    /* 有 */
                                      "\xE3\x81\xAF\xE3\x81\x84",        /* はい */
                                      "\xE2\x97\x8B",                    /* ○ */
                                      "\xE3\x80\x80\xE6\x9C\x89\xE3\x80\x80"}; /* 　有　 */
    static const char *const no[] = {"no", "No", "NO", "n", "N", "false", "FALSE", "0", " no\t",
                                     "\xE7\x84\xA1",                           /* 無 */
                                     "\xE3\x81\x84\xE3\x81\x84\xE3\x81\x88",   /* いいえ */
                                     "\xC3\x97"};                              /* × */
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        check_tri(yes[i], 0, DX_TRI_YES);
        check_tri(yes[i], 1, DX_TRI_YES);
    }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        check_tri(no[i], 0, DX_TRI_NO);
        check_tri(no[i], 1, DX_TRI_NO);
    }
    /* unknown only where allowed */
    check_tri("unknown", 1, DX_TRI_UNKNOWN);
    check_tri("UNKNOWN", 1, DX_TRI_UNKNOWN);
    check_tri("\xE4\xB8\x8D\xE6\x98\x8E", 1, DX_TRI_UNKNOWN); /* 不明 */
    check_tri_rejected("unknown", 0);
    check_tri_rejected("\xE4\xB8\x8D\xE6\x98\x8E", 0);
    /* garbage */
    static const char *const bad[] = {"", " ", "maybe", "yess", "2", "ja", "oui", "yes no",
                                      "10", "t", "f", "\xE3\x81\x82", /* あ */
                                      "\xE6\x9C\x89\xE7\x84\xA1"};     /* 有無 */
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        check_tri_rejected(bad[i], 0);
        check_tri_rejected(bad[i], 1);
    }
    /* only `len` bytes are read */
    dx_tristate out = DX_TRI_UNSET;
    assert_int_equal(dx_value_tristate("nope", 2, 0, &out), 0);
    assert_int_equal(out, DX_TRI_NO);
}

/* ---- amounts and percentages ---- */

static void check_amount(const char *text, double want)
{
    double out = -1;
    if (dx_value_amount(text, strlen(text), &out) != 0)
        fail_msg("amount \"%s\" rejected, expected %.2f", text, want);
    if (out != want)
        fail_msg("amount \"%s\": got %.6f, expected %.6f", text, out, want);
}

static void check_amount_rejected(const char *text)
{
    double out = -1;
    if (dx_value_amount(text, strlen(text), &out) == 0)
        fail_msg("amount \"%s\" accepted as %.6f, expected rejection", text, out);
    assert_true(out == -1);
}

static void test_amount(void **state)
{
    (void)state;
    check_amount("12,000,000", 12000000.0);
    check_amount("12000000", 12000000.0);
    check_amount("1200000.50", 1200000.5);
    check_amount("1,234.5", 1234.5);
    check_amount("0", 0.0);
    check_amount("0.25", 0.25);
    check_amount("  7500000  ", 7500000.0);
    check_amount("999", 999.0);
    check_amount("1,000", 1000.0);
    check_amount("999999999999999", 999999999999999.0);
    /* full-width １２，０００ and １，２００．５ */
    check_amount("\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x8C\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90",
                 12000.0);
    check_amount("\xEF\xBC\x91\xEF\xBC\x8C\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x8E"
                 "\xEF\xBC\x95",
                 1200.5);
}

static void test_amount_rejected(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "1,2345", "12,00", "1,23.5", "1,234,5", ",000", "1,,000", "-5", "+5", "1e5", "1E5",
        "", "  ", ".5", "5.", "1.2.3", "1.234,5", "12 000", "0x10", "inf", "nan", "5 JPY",
        "\xC2\xA5" "500", /* ¥500 */
        "1000000000000000000", "99999999999999999999999999999999999999999999",
        "1,000,000,000,000,001"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        check_amount_rejected(bad[i]);
    /* longer than any amount */
    char long_text[100];
    memset(long_text, '9', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    check_amount_rejected(long_text);
}

static void test_percent(void **state)
{
    (void)state;
    double out = -1;
    assert_int_equal(dx_value_percent("30", 2, &out), 0);
    assert_true(out == 30.0);
    assert_int_equal(dx_value_percent("30%", 3, &out), 0);
    assert_true(out == 30.0);
    assert_int_equal(dx_value_percent(" 12.5 % ", 8, &out), 0);
    assert_true(out == 12.5);
    assert_int_equal(dx_value_percent("100", 3, &out), 0);
    assert_true(out == 100.0);
    assert_int_equal(dx_value_percent("0", 1, &out), 0);
    assert_true(out == 0.0);
    out = -1;
    assert_int_equal(dx_value_percent("100.5", 5, &out), -1);
    assert_int_equal(dx_value_percent("101%", 4, &out), -1);
    assert_int_equal(dx_value_percent("-5", 2, &out), -1);
    assert_int_equal(dx_value_percent("%", 1, &out), -1);
    assert_int_equal(dx_value_percent("", 0, &out), -1);
    assert_int_equal(dx_value_percent("30%%", 4, &out), -1);
    assert_int_equal(dx_value_percent("abc", 3, &out), -1);
    /* full-width ３０ */
    out = -1;
    assert_int_equal(dx_value_percent("\xEF\xBC\x93\xEF\xBC\x90", 6, &out), 0);
    assert_true(out == 30.0);
}

static void test_percent_fullwidth_sign(void **state)
{
    (void)state;
    /* Full-width forms are folded before parsing, the percent sign '％' (U+FF05) included. */
    double out = -1;
    assert_int_equal(dx_value_percent("30\xEF\xBC\x85", 5, &out), 0);
    assert_true(out == 30.0);
}

/* ---- enum words ---- */

enum { W_FG = 1, W_FE, W_DOM, W_JP };
static const dx_value_word PARTY_WORDS[] = {
    {"foreign_government", W_FG},
    {"foreign_entity", W_FE},
    {"domestic", W_DOM},
    {"\xE5\x9B\xBD\xE5\x86\x85", W_JP}, /* 国内 */
    {NULL, 0}};

static void check_enum(const char *text, int want)
{
    int out = -1;
    if (dx_value_enum(text, strlen(text), PARTY_WORDS, &out) != 0)
        fail_msg("enum \"%s\" rejected, expected %d", text, want);
    if (out != want)
        fail_msg("enum \"%s\": got %d, expected %d", text, out, want);
}

static void check_enum_rejected(const char *text)
{
    int out = -1;
    if (dx_value_enum(text, strlen(text), PARTY_WORDS, &out) == 0)
        fail_msg("enum \"%s\" accepted as %d, expected rejection", text, out);
    assert_int_equal(out, -1);
}

static void test_enum(void **state)
{
    (void)state;
    check_enum("foreign_government", W_FG);
    check_enum("Foreign Government", W_FG);
    check_enum("FOREIGN-GOVERNMENT", W_FG);
    check_enum("foreigngovernment", W_FG);
    check_enum("  foreign_Entity ", W_FE);
    check_enum("Domestic", W_DOM);
    check_enum("\xEF\xBC\xA4\xEF\xBD\x8F\xEF\xBD\x8D\xEF\xBD\x85\xEF\xBD\x93\xEF\xBD\x94"
               "\xEF\xBD\x89\xEF\xBD\x83",
               W_DOM); /* Ｄｏｍｅｓｔｉｃ */
    check_enum("\xE5\x9B\xBD\xE5\x86\x85", W_JP);
    check_enum("\xE3\x80\x80\xE5\x9B\xBD\xE5\x86\x85", W_JP);
    check_enum_rejected("");
    check_enum_rejected("foreign");
    check_enum_rejected("foreign.government");
    check_enum_rejected("governmentforeign");
    check_enum_rejected("domestics");
    check_enum_rejected("\xE5\x9B\xBD"); /* 国 */
}

/* ---- 外為令 items ---- */

static void check_jp_item(const char *text, const char *want)
{
    char out[4] = "zzz";
    if (dx_value_jp_item(text, strlen(text), out) != 0)
        fail_msg("jp_item \"%s\" rejected, expected %s", text, want);
    assert_string_equal(out, want);
}

static void check_jp_item_rejected(const char *text)
{
    char out[4] = "zzz";
    if (dx_value_jp_item(text, strlen(text), out) == 0)
        fail_msg("jp_item \"%s\" accepted as %s, expected rejection", text, out);
    assert_string_equal(out, "zzz");
}

static void test_jp_item(void **state)
{
    (void)state;
    check_jp_item("7", "7");
    check_jp_item("1", "1");
    check_jp_item("15", "15");
    check_jp_item("16", "16");
    check_jp_item(" 2 ", "2");
    check_jp_item("\xEF\xBC\x97\xE9\xA0\x85", "7");              /* ７項 */
    check_jp_item("16\xE9\xA0\x85", "16");                       /* 16項 */
    check_jp_item("\xEF\xBC\x91\xEF\xBC\x95", "15");             /* １５ */
    check_jp_item("3\xE3\x81\xAE" "2", "3-2");                   /* 3の2 */
    check_jp_item("3\xE3\x81\xAE" "2\xE9\xA0\x85", "3-2");       /* 3の2項 */
    check_jp_item("\xEF\xBC\x93\xE3\x81\xAE\xEF\xBC\x92", "3-2"); /* ３の２ */
    check_jp_item("3-2", "3-2");
    check_jp_item("\xEF\xBC\x93\xEF\xBC\x8D\xEF\xBC\x92", "3-2"); /* ３－２ */
    check_jp_item_rejected("0");
    check_jp_item_rejected("17");
    check_jp_item_rejected("07");
    check_jp_item_rejected("00");
    check_jp_item_rejected("100");
    check_jp_item_rejected("");
    check_jp_item_rejected("   ");
    check_jp_item_rejected("3-3");
    check_jp_item_rejected("2-2");
    check_jp_item_rejected("3-");
    check_jp_item_rejected("-3");
    check_jp_item_rejected("\xE9\xA0\x85"); /* 項 alone */
    check_jp_item_rejected("\xE3\x81\xAE"); /* の alone */
    check_jp_item_rejected("7a");
    check_jp_item_rejected("+7");
    check_jp_item_rejected("1.5");
}

/* ---- ECCNs ---- */

static void check_eccn(const char *text, const char *want)
{
    char out[32] = "unset";
    if (dx_value_eccn(text, strlen(text), out, sizeof out) != 0)
        fail_msg("eccn \"%s\" rejected, expected %s", text, want);
    assert_string_equal(out, want);
}

static void check_eccn_rejected(const char *text)
{
    char out[32] = "unset";
    if (dx_value_eccn(text, strlen(text), out, sizeof out) == 0)
        fail_msg("eccn \"%s\" accepted as %s, expected rejection", text, out);
    assert_string_equal(out, "unset");
}

static void test_eccn(void **state)
{
    (void)state;
    check_eccn("3E001", "3E001");
    check_eccn("3e001", "3E001");
    check_eccn(" 3e001 ", "3E001");
    check_eccn("9E515.a", "9E515.a");
    check_eccn("9e515.A", "9E515.a");
    check_eccn("5A002.a.1", "5A002.a.1");
    check_eccn("0A501", "0A501");
    check_eccn("EAR99", "EAR99");
    check_eccn("ear99", "EAR99");
    check_eccn("Ear99", "EAR99");
    check_eccn("\xEF\xBC\x93\xEF\xBC\xA5\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x91", "3E001"); /* ３Ｅ００１ */
    check_eccn_rejected("3E00");
    check_eccn_rejected("3F001");
    check_eccn_rejected("3E001a");
    check_eccn_rejected("3E0012");
    check_eccn_rejected("E3001");
    check_eccn_rejected("33001");
    check_eccn_rejected("3E0A1");
    check_eccn_rejected("3E001-a");
    check_eccn_rejected("3E001 a");
    check_eccn_rejected("EAR9");
    check_eccn_rejected("EAR999");
    check_eccn_rejected("");
    /* the output must fit */
    char small[5];
    assert_int_equal(dx_value_eccn("3E001", 5, small, sizeof small), -1);
    char exact[6];
    assert_int_equal(dx_value_eccn("3e001", 5, exact, sizeof exact), 0);
    assert_string_equal(exact, "3E001");
}

static void test_eccn_malformed_paragraphs(void **state)
{
    (void)state;
    /* Paragraph references are '.' + letters or digits, repeated: no empty paragraph. */
    check_eccn_rejected("3E001.");
    check_eccn_rejected("3E001..a");
    check_eccn_rejected("9E515.a.");
}

/* ---- reasons, concerns, currencies ---- */

static void test_reason(void **state)
{
    (void)state;
    char out[4];
    assert_int_equal(dx_value_reason("NS1", 3, out), 0);
    assert_string_equal(out, "NS1");
    assert_int_equal(dx_value_reason("at1", 3, out), 0);
    assert_string_equal(out, "AT1");
    assert_int_equal(dx_value_reason(" MT ", 4, out), 0);
    assert_string_equal(out, "MT");
    assert_int_equal(dx_value_reason("rs2", 3, out), 0);
    assert_string_equal(out, "RS2");
    assert_int_equal(dx_value_reason("\xEF\xBC\xAE\xEF\xBC\xB3\xEF\xBC\x92", 9, out), 0); /* ＮＳ２ */
    assert_string_equal(out, "NS2");
    memcpy(out, "zzz", 4);
    static const char *const bad[] = {"N", "NS12", "1S", "N1", "NSA", "N-1", "", "  ", "NS 1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (dx_value_reason(bad[i], strlen(bad[i]), out) == 0)
            fail_msg("reason \"%s\" accepted as %s", bad[i], out);
    }
    assert_string_equal(out, "zzz");
}

static void check_concern(const char *text, unsigned want)
{
    unsigned bit = 0;
    if (dx_value_concern(text, strlen(text), &bit) != 0)
        fail_msg("concern \"%s\" rejected, expected %u", text, want);
    assert_int_equal(bit, want);
}

static void test_concern(void **state)
{
    (void)state;
    check_concern("B", DX_CONCERN_B);
    check_concern("b", DX_CONCERN_B);
    check_concern("C", DX_CONCERN_C);
    check_concern("M", DX_CONCERN_M);
    check_concern("N", DX_CONCERN_N);
    check_concern("n", DX_CONCERN_N);
    check_concern("CW", DX_CONCERN_CW);
    check_concern("cw", DX_CONCERN_CW);
    check_concern(" Cw ", DX_CONCERN_CW);
    check_concern("\xEF\xBC\xA2", DX_CONCERN_B);                                 /* Ｂ */
    check_concern("\xE7\x94\x9F\xE7\x89\xA9", DX_CONCERN_B);                     /* 生物 */
    check_concern("\xE5\x8C\x96\xE5\xAD\xA6", DX_CONCERN_C);                     /* 化学 */
    check_concern("\xE3\x83\x9F\xE3\x82\xB5\xE3\x82\xA4\xE3\x83\xAB", DX_CONCERN_M); /* ミサイル */
    check_concern("\xE6\xA0\xB8", DX_CONCERN_N);                                 /* 核 */
    check_concern("\xE9\x80\x9A\xE5\xB8\xB8\xE5\x85\xB5\xE5\x99\xA8", DX_CONCERN_CW); /* 通常兵器 */
    unsigned bit = 99;
    static const char *const bad[] = {"", "X", "BC", "W", "CWX", "nuclear", "B;C"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (dx_value_concern(bad[i], strlen(bad[i]), &bit) == 0)
            fail_msg("concern \"%s\" accepted as %u", bad[i], bit);
    }
    assert_int_equal(bit, 99);
}

static void check_currency(const char *text, const char *want)
{
    char out[4] = "zzz";
    if (dx_value_currency(text, strlen(text), out) != 0)
        fail_msg("currency \"%s\" rejected, expected %s", text, want);
    assert_string_equal(out, want);
}

static void test_currency(void **state)
{
    (void)state;
    check_currency("JPY", "JPY");
    check_currency("jpy", "JPY");
    check_currency(" usd ", "USD");
    check_currency("Eur", "EUR");
    check_currency("\xE5\x86\x86", "JPY");                             /* 円 */
    check_currency("\xC2\xA5", "JPY");                                 /* ¥ */
    check_currency(" \xE5\x86\x86 ", "JPY");
    check_currency("\xEF\xBC\xB5\xEF\xBC\xB3\xEF\xBC\xA4", "USD"); /* ＵＳＤ */
    static const char *const bad[] = {"JP", "JPYY", "", "  ", "J1Y", "US$", "$",
                                      "\xE5\x86\x86\xE5\x86\x86"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char out[4] = "";
        if (dx_value_currency(bad[i], strlen(bad[i]), out) == 0)
            fail_msg("currency \"%s\" accepted as %s", bad[i], out);
    }
}

/* ---- lists ---- */

typedef struct items {
    char text[8][32];
    size_t n;
    size_t stop_after; /* return 7 after this many items; 0 = never */
} items;

static int collect(void *ctx, const char *item, size_t len)
{
    items *it = ctx;
    assert_true(len > 0 && len < 32);
    assert_true(it->n < 8);
    memcpy(it->text[it->n], item, len);
    it->text[it->n][len] = '\0';
    it->n++;
    return it->stop_after && it->n == it->stop_after ? 7 : 0;
}

static items split(const char *text)
{
    items it;
    memset(&it, 0, sizeof it);
    assert_int_equal(dx_value_split(text, strlen(text), collect, &it), 0);
    return it;
}

static void test_split(void **state)
{
    (void)state;
    items it = split("IR@1980-03-01;CA@2015-06-01");
    assert_int_equal(it.n, 2);
    assert_string_equal(it.text[0], "IR@1980-03-01");
    assert_string_equal(it.text[1], "CA@2015-06-01");

    it = split("a\xEF\xBC\x9B" "b\xEF\xBC\x9B" "c"); /* a；b；c */
    assert_int_equal(it.n, 3);
    assert_string_equal(it.text[0], "a");
    assert_string_equal(it.text[1], "b");
    assert_string_equal(it.text[2], "c");

    it = split("  NS1 ; AT1\t;\xE3\x80\x80MT\xE3\x80\x80");
    assert_int_equal(it.n, 3);
    assert_string_equal(it.text[0], "NS1");
    assert_string_equal(it.text[1], "AT1");
    assert_string_equal(it.text[2], "MT");

    it = split(";a;;  ;b;\xEF\xBC\x9B;");
    assert_int_equal(it.n, 2);
    assert_string_equal(it.text[0], "a");
    assert_string_equal(it.text[1], "b");

    it = split("single item");
    assert_int_equal(it.n, 1);
    assert_string_equal(it.text[0], "single item");

    it = split("");
    assert_int_equal(it.n, 0);
    it = split(" ; ;\xEF\xBC\x9B ");
    assert_int_equal(it.n, 0);

    /* mixed separators and multi-byte items */
    it = split("\xE5\xAE\x89\xE7\x94\xB0;\xE9\x88\xB4\xE6\x9C\xA8\xEF\xBC\x9B" "Tanaka");
    assert_int_equal(it.n, 3);
    assert_string_equal(it.text[0], "\xE5\xAE\x89\xE7\x94\xB0");
    assert_string_equal(it.text[1], "\xE9\x88\xB4\xE6\x9C\xA8");
    assert_string_equal(it.text[2], "Tanaka");

    /* only `len` bytes */
    items part;
    memset(&part, 0, sizeof part);
    assert_int_equal(dx_value_split("x;y;z", 3, collect, &part), 0);
    assert_int_equal(part.n, 2);
    assert_string_equal(part.text[1], "y");

    /* a callback's non-zero result stops the split and is returned */
    items stop;
    memset(&stop, 0, sizeof stop);
    stop.stop_after = 2;
    assert_int_equal(dx_value_split("a;b;c;d", 7, collect, &stop), 7);
    assert_int_equal(stop.n, 2);
}

/* ---- fold and trim ---- */

static void test_fold(void **state)
{
    (void)state;
    char out[64];
    size_t n = 99;
    /* ＡＢＣ１２３ → ABC123 */
    assert_int_equal(dx_value_fold("\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3\xEF\xBC\x91\xEF\xBC\x92"
                                   "\xEF\xBC\x93",
                                   18, out, sizeof out, &n),
                     0);
    assert_string_equal(out, "ABC123");
    assert_int_equal(n, 6);
    /* ！ (U+FF01) → '!', ～ (U+FF5E) → '~', ｚ → 'z' */
    assert_int_equal(dx_value_fold("\xEF\xBC\x81\xEF\xBD\x9E\xEF\xBD\x9A", 9, out, sizeof out, &n),
                     0);
    assert_string_equal(out, "!~z");
    assert_int_equal(n, 3);
    /* U+FF5F and half-width katakana ｱ (U+FF71) are not ASCII forms: kept as they are */
    assert_int_equal(dx_value_fold("\xEF\xBD\x9F\xEF\xBD\xB1", 6, out, sizeof out, &n), 0);
    assert_string_equal(out, "\xEF\xBD\x9F\xEF\xBD\xB1");
    assert_int_equal(n, 6);
    /* spaces: trimmed at both ends (ASCII, tab, U+3000), an inner U+3000 becomes ' ' */
    const char *spaced = " \t\xE3\x80\x80" "a\xE3\x80\x80" "b\xE3\x80\x80\t ";
    assert_int_equal(dx_value_fold(spaced, strlen(spaced), out, sizeof out, &n), 0);
    assert_string_equal(out, "a b");
    assert_int_equal(n, 3);
    /* kanji pass through */
    assert_int_equal(dx_value_fold("\xE6\x97\xA5\xE6\x9C\xAC", 6, out, sizeof out, &n), 0);
    assert_string_equal(out, "\xE6\x97\xA5\xE6\x9C\xAC");
    /* empty and all-space */
    assert_int_equal(dx_value_fold("", 0, out, sizeof out, &n), 0);
    assert_string_equal(out, "");
    assert_int_equal(n, 0);
    assert_int_equal(dx_value_fold("  \xE3\x80\x80 ", 6, out, sizeof out, &n), 0);
    assert_int_equal(n, 0);
    /* capacity: the result must fit with its NUL */
    char small[4];
    assert_int_equal(dx_value_fold("abc", 3, small, sizeof small, &n), 0);
    assert_string_equal(small, "abc");
    assert_int_equal(dx_value_fold("abcd", 4, small, sizeof small, &n), -1);
    assert_int_equal(dx_value_fold("  abc  ", 7, small, sizeof small, &n), 0);
    assert_string_equal(small, "abc");
    /* a multi-byte character that does not fit is not cut */
    assert_int_equal(dx_value_fold("ab\xE6\x97\xA5", 5, small, sizeof small, &n), -1);
}

static void test_fold_fullwidth_at_capacity(void **state)
{
    (void)state;
    char small[4];
    size_t n = 0;
    /* The cap applies to the folded output: "ＡＢＣ" (9 bytes) folds to "ABC" and fits 4. */
    assert_int_equal(dx_value_fold("\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3", 9, small, sizeof small,
                                   &n),
                     0);
    assert_string_equal(small, "ABC");
    assert_int_equal(n, 3);
}

static void test_trim(void **state)
{
    (void)state;
    const char *t = " \t\xE3\x80\x80x y\xE3\x80\x80 ";
    size_t n = strlen(t);
    dx_value_trim(&t, &n);
    assert_int_equal(n, 3);
    assert_memory_equal(t, "x y", 3);
    const char *e = "   ";
    n = 3;
    dx_value_trim(&e, &n);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_iso),
        cmocka_unit_test(test_date_slashes_and_kanji),
        cmocka_unit_test(test_date_compact_and_year),
        cmocka_unit_test(test_date_invalid),
        cmocka_unit_test(test_date_leap_years),
        cmocka_unit_test(test_date_spaces_and_length),
        cmocka_unit_test(test_date_days),
        cmocka_unit_test(test_date_format),
        cmocka_unit_test(test_tristate),
        cmocka_unit_test(test_amount),
        cmocka_unit_test(test_amount_rejected),
        cmocka_unit_test(test_percent),
        cmocka_unit_test(test_percent_fullwidth_sign),
        cmocka_unit_test(test_enum),
        cmocka_unit_test(test_jp_item),
        cmocka_unit_test(test_eccn),
        cmocka_unit_test(test_eccn_malformed_paragraphs),
        cmocka_unit_test(test_reason),
        cmocka_unit_test(test_concern),
        cmocka_unit_test(test_currency),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_fold_fullwidth_at_capacity),
        cmocka_unit_test(test_trim),
    };
    return cmocka_run_group_tests_name("values", tests, NULL, NULL);
}

/*
 * import_jp_mof.c — Japan's Ministry of Finance economic-sanctions list (外為法に基づく資産凍結等
 * の措置の対象者), list id "jp_mof".
 *
 * The format. One .xlsx workbook as MOF publishes it (shisantouketsu20260305.xlsx: 45 sheets,
 * 2,862 listed parties), read with xlsx.c. Sheet 一覧 is an index; each other sheet is one
 * programme, named "<number>.<programme>" ("2.タリバーン関係者等", "29.ロシア連邦(個人)");
 * lifted programmes are stubs named "…【解除】…" without a table. A programme sheet has 1 to 5
 * title and note rows, then a header row (the first of the first MOF_HEADER_ROWS rows with a
 * 告示番号 cell and a 日本語表記 or 英語表記 cell), then one row per listed party. Columns are
 * found by their header text, never by position, because every programme has its own set:
 *   告示日付   notice dates, "2001.9.22\n2008.6.25改訂": the first is the start date
 *   告示番号   the party's number in the programme's notice, "4", "1(*186)", "*1", "2(#23)"
 *   日本語表記 the name in Japanese (katakana, kanji)
 *   英語表記   the name in Latin script, sometimes with "\n(original script: …)"
 *   other      by header words, first rule of ALIAS_RULES / FACT_RULES that matches:
 *              確定に十分でない → weak aliases; 以前 / 過去 → former names; 別名 / 別称 → strong
 *              aliases (別称・旧称 mixes both: a "(旧称)" or "f.k.a." label inside switches to
 *              former); 旧称 → former; 生年月日 → dob; 出生地 → pob; 国籍 → nationality;
 *              旅券 → passport; ID番号 / 身分 → national_id; 称号 → title; 役職 / 肩書 →
 *              designation; 国連参照番号 → id; 指定日 / 掲載日 → listed_on; 住所 / 所在地 →
 *              address; その他の情報 → remarks; anything else (電話, FAX, 詳細, 指定の根拠)
 *              is kept in raw only.
 * Rows: a row with a Japanese or English name starts a party. A row with a notice date or
 * number but no name is a deleted party ("2011.11.18削除") and is skipped when its date cell
 * says 削除, an error otherwise. A row with neither is the continuation of the party above
 * (the Somalia sheet merges A:J of its first party over 13 rows and writes its other
 * information one paragraph per row): its cells are added to that party. Merged cells are not
 * interpreted otherwise (the reader does not see them; only the top-left cell has a value).
 *
 * Entry ids. The notice number is stable (a deleted party keeps its number as a 削除 row and
 * numbers are never reused within a programme's notice) but only within its programme, so
 *     <programme number> "-" <digits of 告示番号>
 * e.g. "29-1" (ロシア連邦(個人) No. 1), "3-1" for "1(*186)" ("*186" is the party's number
 * in another notice, kept in raw), "14-1" for "*1". A repeated id is an error.
 *
 * Names. The Latin name (英語表記, without its "(original script: …)" part, which becomes an
 * original-script name) is the primary name and the Japanese name an original-script name;
 * when only the Japanese name exists it is the primary name. Alias cells are split at line
 * breaks, ';' '；' '、', at "(a)" / "（b）" enumerators, at "a.k.a." / "f.k.a." labels and at
 * "(別称)" / "(旧称)" labels; commas inside Latin names ("KOZLOV, Sergei") are never split.
 * A piece "カタカナ（Latin）" gives two names; "不明" (unknown) is not a name. A piece in
 * Japanese script of a strong-alias column is an original-script name (the Japanese rendering
 * of the alias), of a weak or former column it keeps that kind.
 *
 * Kind: a programme whose name says 個人 is persons, 団体 or 銀行 organizations. A mixed
 * programme (タリバーン関係者等, テロリスト等, ...) reads each row: a person when one of its
 * date of birth, place of birth, nationality or passport cells has text (even 不明), an
 * organization otherwise; a mixed programme without such columns gives kind unknown.
 *
 * Facts: "不明" is not a fact. Dates of birth and listing dates stored as numbers are Excel
 * date serials (1900 system) and are written YYYY-MM-DD; text dates stay as written. Places,
 * nationalities and addresses carry the country of the whole text, else of its last comma-,
 * 、- or parenthesis-separated part that resolves ("ベリツィ(モルドバ)" → MD). Every entry has a
 * `program` fact: the sheet's programme name without its number. Raw: every cell of the
 * party's rows under its header (white space collapsed) or its column letters.
 *
 * Publication date: the date part of docProps/core.xml dcterms:modified, else created.
 *
 * Errors (source = the workbook path, line = the XML line of the row, message naming the
 * member, the sheet, the sheet row and the notice number): a named row without a notice
 * number, a nameless row that is not a deletion, a continuation row before any party, a
 * repeated id, a numbered programme sheet without a header, no programme sheet at all, and
 * everything the xlsx reader reports. Every problem is reported, the parties without one are
 * still emitted, and the import returns DX_ERR_INPUT.
 */
#include "import.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "arena.h"
#include "strbuf.h"
#include "strmap.h"
#include "xlsx.h"
#include "xlsx_table.h"

static const char LIST_ID[] = "jp_mof";

#define MOF_HEADER_ROWS 20      /* rows searched for the header */
#define MOF_MAX_TEXT (1u << 20) /* bytes of one cell worth reading */
#define MOF_MAX_COLUMNS 256     /* header columns that get a role */

/* UTF-8 of the header and marker words. */
#define W_DATE "\xE5\x91\x8A\xE7\xA4\xBA\xE6\x97\xA5\xE4\xBB\x98"         /* 告示日付 */
#define W_NO "\xE5\x91\x8A\xE7\xA4\xBA\xE7\x95\xAA\xE5\x8F\xB7"           /* 告示番号 */
#define W_JA "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE8\xA1\xA8\xE8\xA8\x98" /* 日本語表記 */
#define W_EN "\xE8\x8B\xB1\xE8\xAA\x9E\xE8\xA1\xA8\xE8\xA8\x98"           /* 英語表記 */
#define W_DELETED "\xE5\x89\x8A\xE9\x99\xA4"                               /* 削除 */
#define W_UNKNOWN "\xE4\xB8\x8D\xE6\x98\x8E"                               /* 不明 */
#define W_LIFTED "\xE3\x80\x90\xE8\xA7\xA3\xE9\x99\xA4\xE3\x80\x91"       /* 【解除】 */
#define W_PERSONS "\xE5\x80\x8B\xE4\xBA\xBA"                               /* 個人 */
#define W_GROUPS "\xE5\x9B\xA3\xE4\xBD\x93"                                /* 団体 */
#define W_BANKS "\xE9\x8A\x80\xE8\xA1\x8C"                                 /* 銀行 */
#define W_AKA_LABEL "\xE5\x88\xA5\xE7\xA7\xB0"                             /* 別称 */
#define W_FKA_LABEL "\xE6\x97\xA7\xE7\xA7\xB0"                             /* 旧称 */

enum col_action {
    COL_RAW = 0, COL_DATE, COL_NO, COL_JA, COL_EN, COL_ALIAS_STRONG, COL_ALIAS_WEAK, COL_FORMER,
    COL_FACT, COL_REMARKS
};

/* Header words → what the column is; the first rule that matches wins. */
static const struct {
    const char *word;
    enum col_action action;
    const char *fact;
    int resolve, person;
} RULES[] = {
    {W_DATE, COL_DATE, NULL, 0, 0},
    {W_NO, COL_NO, NULL, 0, 0},
    {W_JA, COL_JA, NULL, 0, 0},
    {W_EN, COL_EN, NULL, 0, 0},
    {"\xE7\xA2\xBA\xE5\xAE\x9A\xE3\x81\xAB\xE5\x8D\x81\xE5\x88\x86\xE3\x81\xA7\xE3\x81\xAA\xE3"
     "\x81\x84", COL_ALIAS_WEAK, NULL, 0, 0},                                   /* 確定に十分でない */
    {"\xE4\xBB\xA5\xE5\x89\x8D", COL_FORMER, NULL, 0, 0},                       /* 以前 */
    {"\xE9\x81\x8E\xE5\x8E\xBB", COL_FORMER, NULL, 0, 0},                       /* 過去 */
    {"\xE5\x88\xA5\xE5\x90\x8D", COL_ALIAS_STRONG, NULL, 0, 0},                 /* 別名 */
    {W_AKA_LABEL, COL_ALIAS_STRONG, NULL, 0, 0},                                /* 別称 */
    {W_FKA_LABEL, COL_FORMER, NULL, 0, 0},                                      /* 旧称 */
    {"\xE7\x94\x9F\xE5\xB9\xB4\xE6\x9C\x88\xE6\x97\xA5", COL_FACT, "dob", 0, 1}, /* 生年月日 */
    {"\xE5\x87\xBA\xE7\x94\x9F\xE5\x9C\xB0", COL_FACT, "pob", 1, 1},           /* 出生地 */
    {"\xE5\x9B\xBD\xE7\xB1\x8D", COL_FACT, "nationality", 1, 1},               /* 国籍 */
    {"\xE6\x97\x85\xE5\x88\xB8", COL_FACT, "passport", 0, 1},                  /* 旅券 */
    {"ID\xE7\x95\xAA\xE5\x8F\xB7", COL_FACT, "national_id", 0, 0},             /* ID番号 */
    {"\xE8\xBA\xAB\xE5\x88\x86", COL_FACT, "national_id", 0, 0},               /* 身分 */
    {"\xE7\xA7\xB0\xE5\x8F\xB7", COL_FACT, "title", 0, 0},                     /* 称号 */
    {"\xE5\xBD\xB9\xE8\x81\xB7", COL_FACT, "designation", 0, 0},               /* 役職 */
    {"\xE8\x82\xA9\xE6\x9B\xB8", COL_FACT, "designation", 0, 0},               /* 肩書 */
    {"\xE5\x9B\xBD\xE9\x80\xA3\xE5\x8F\x82\xE7\x85\xA7\xE7\x95\xAA\xE5\x8F\xB7", COL_FACT, "id",
     0, 0},                                                                     /* 国連参照番号 */
    {"\xE6\x8C\x87\xE5\xAE\x9A\xE6\x97\xA5", COL_FACT, "listed_on", 0, 0},     /* 指定日 */
    {"\xE6\x8E\xB2\xE8\xBC\x89\xE6\x97\xA5", COL_FACT, "listed_on", 0, 0},     /* 掲載日 */
    {"\xE4\xBD\x8F\xE6\x89\x80", COL_FACT, "address", 1, 0},                   /* 住所 */
    {"\xE6\x89\x80\xE5\x9C\xA8\xE5\x9C\xB0", COL_FACT, "address", 1, 0},       /* 所在地 */
    {"\xE3\x81\x9D\xE3\x81\xAE\xE4\xBB\x96\xE3\x81\xAE\xE6\x83\x85\xE5\xA0\xB1", COL_REMARKS,
     NULL, 0, 0},                                                               /* その他の情報 */
};
#define N_RULES (sizeof RULES / sizeof RULES[0])

typedef dx_xt_text cell_text;

typedef struct mof {
    dx_import *im;
    const char *path;
    const char *member;
    const char *sheet;
    dx_arena arena;       /* header names, ids */
    unsigned programme;   /* the sheet's number */
    cell_text programme_name;
    dx_entry_kind sheet_kind; /* DX_ENTRY_UNKNOWN: decided per row */
    int has_person_columns;
    unsigned main_col[COL_EN + 1];
    dx_xt_headers headers; /* names: white space collapsed; role: index in RULES, -1 = raw only */
    dx_strmap ids;
    int open;             /* an entry is being built */
    unsigned long open_row, open_line;
    size_t errors, sheets_read;
} mof;

/* ---- text helpers ----------------------------------------------------------------------- */

/* White space, and the invisible direction marks MOF leaves around Arabic names. */
static int is_space_cp(unsigned cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
           cp == 0x3000 || cp == 0xA0 || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E);
}

/* Han, kana, Hangul and the ideographic marks. */
static int is_cjk(unsigned cp)
{
    return (cp >= 0x2E80 && cp <= 0x2FDF) || (cp >= 0x3005 && cp <= 0x3007) ||
           (cp >= 0x3040 && cp <= 0x30FF && cp != 0x30FB) || (cp >= 0x3130 && cp <= 0x318F) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFF66 && cp <= 0xFF9F) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

static int is_latin(unsigned cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
           (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A) ||
           (cp >= 0xC0 && cp <= 0x24F);
}

static int is_open(unsigned cp)
{
    return cp == '(' || cp == 0xFF08;
}

static int is_close(unsigned cp)
{
    return cp == ')' || cp == 0xFF09;
}

/* `s` without leading and trailing white space. */
static cell_text trim(const char *s, size_t len)
{
    return dx_xt_trim(s, len, is_space_cp);
}

static cell_text trimmed(cell_text t)
{
    return trim(t.s, t.len);
}

static int contains(cell_text t, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; n && i + n <= t.len; i++) {
        if (!memcmp(t.s + i, word, n))
            return 1;
    }
    return 0;
}

static int is_word(cell_text t, const char *word)
{
    t = trimmed(t);
    return t.len == strlen(word) && !memcmp(t.s, word, t.len);
}

static void scan_scripts(cell_text t, int *cjk, int *latin)
{
    *cjk = *latin = 0;
    for (size_t i = 0; i < t.len;) {
        unsigned cp = dx_xt_next_cp(t.s, t.len, &i);
        *cjk |= is_cjk(cp);
        *latin |= is_latin(cp) && !(cp >= '0' && cp <= '9');
    }
}

static void put_date(char out[11], unsigned y, unsigned m, unsigned d)
{
    y %= 10000u, m %= 100u, d %= 100u;
    out[0] = (char)('0' + y / 1000), out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10), out[3] = (char)('0' + y % 10), out[4] = '-';
    out[5] = (char)('0' + m / 10), out[6] = (char)('0' + m % 10), out[7] = '-';
    out[8] = (char)('0' + d / 10), out[9] = (char)('0' + d % 10), out[10] = '\0';
}

/* A leading "YYYY.M.D" (MOF's notice dates) as YYYY-MM-DD; 0 when `t` does not start so. */
static int dotted_date(cell_text t, char out[11])
{
    unsigned part[3] = {0, 0, 0};
    size_t i = 0, digits[3] = {0, 0, 0};
    for (int p = 0; p < 3; p++) {
        while (i < t.len && t.s[i] >= '0' && t.s[i] <= '9' && digits[p] < 4)
            part[p] = part[p] * 10 + (unsigned)(t.s[i++] - '0'), digits[p]++;
        if (p < 2 && (i >= t.len || t.s[i] != '.'))
            return 0;
        i += p < 2;
    }
    if (digits[0] != 4 || !digits[1] || digits[1] > 2 || !digits[2] || digits[2] > 2 ||
        part[1] < 1 || part[1] > 12 || part[2] < 1 || part[2] > 31)
        return 0;
    put_date(out, part[0], part[1], part[2]);
    return 1;
}

/* ---- diagnostics ------------------------------------------------------------------------ */

static dx_status row_diag(mof *m, unsigned long number, unsigned long line, cell_text no,
                          dx_severity sev, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static dx_status row_diag(mof *m, unsigned long number, unsigned long line, cell_text no,
                          dx_severity sev, const char *code, const char *fmt, ...)
{
    char nobuf[40];
    va_list ap;
    va_start(ap, fmt);
    dx_status st = dx_xt_row_diagv(m->im->diags, &m->errors, m->path, m->member, m->sheet,
                                   number, line, "No.",
                                   no.len ? dx_xt_one_line(no, nobuf, sizeof nobuf) : NULL, sev,
                                   code, fmt, ap);
    va_end(ap);
    return st;
}

/* ---- names ------------------------------------------------------------------------------ */

/* Add a name with each U+3000 (ideographic space, typed inside some Latin names) made an
 * ASCII space, so that the builder collapses it like any space. */
static dx_status add_name_spaced(dx_entry_builder *b, dx_name_kind kind, cell_text t)
{
    if (!contains(t, "\xE3\x80\x80"))
        return dx_entry_add_name(b, kind, t.s, t.len);
    dx_strbuf buf = DX_STRBUF_INIT;
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < t.len;) {
        size_t at = i;
        unsigned cp = dx_xt_next_cp(t.s, t.len, &i);
        st = cp == 0x3000 ? dx_strbuf_putc(&buf, ' ') : dx_strbuf_append(&buf, t.s + at, i - at);
    }
    if (st == DX_OK)
        st = dx_entry_add_name(b, kind, buf.data, buf.len);
    dx_strbuf_free(&buf);
    return st;
}

/* Letters of any script: not digits, punctuation, symbols or spaces. */
static int has_letters(cell_text t)
{
    for (size_t i = 0; i < t.len;) {
        unsigned cp = dx_xt_next_cp(t.s, t.len, &i);
        if (is_cjk(cp) || (is_latin(cp) && !(cp >= '0' && cp <= '9')) ||
            (cp >= 0x370 && cp < 0x2000) || (cp >= 0xA000 && cp < 0xFE00 && !is_cjk(cp)))
            return 1;
    }
    return 0;
}

/* Add one name, its kind chosen by script: Japanese-only text of a strong alias is the
 * original-script form. Text without letters and 不明 are not names. */
static dx_status add_one(dx_entry_builder *b, dx_name_kind kind, cell_text t)
{
    int cjk, latin;
    t = trimmed(t);
    scan_scripts(t, &cjk, &latin);
    if (is_word(t, W_UNKNOWN) || !has_letters(t))
        return DX_OK;
    if (kind == DX_NAME_ALIAS_STRONG && cjk && !latin)
        kind = DX_NAME_ORIGINAL_SCRIPT;
    return add_name_spaced(b, kind, t);
}

static int strip_char(unsigned cp)
{
    return cp == ',' || cp == 0xFF0C || cp == ':' || cp == 0xFF1A || cp == 0x3001 ||
           cp == 0x30FB || is_space_cp(cp);
}

/* 1 when the parenthesis that opens `t` closes at its end: "(Ahmed, Sa'id)". */
static int wrapped(cell_text t)
{
    int depth = 0;
    for (size_t i = 0; i < t.len;) {
        unsigned cp = dx_xt_next_cp(t.s, t.len, &i);
        depth += is_open(cp) - is_close(cp);
        if (depth == 0)
            return i == t.len;
    }
    return 0;
}

/* `t` without separators at its ends and without unbalanced parentheses at its ends. */
static cell_text clean_piece(cell_text t)
{
    for (int changed = 1; changed && t.len;) {
        int depth = 0;
        changed = 0;
        for (size_t i = 0; i < t.len;) {
            unsigned cp = dx_xt_next_cp(t.s, t.len, &i);
            depth += is_open(cp) - is_close(cp);
        }
        size_t i = 0, last = t.len - 1;
        unsigned first = dx_xt_next_cp(t.s, t.len, &i);
        while (last > 0 && ((unsigned char)t.s[last] & 0xC0) == 0x80)
            last--;
        size_t j = last;
        unsigned end = dx_xt_next_cp(t.s, t.len, &j);
        if (strip_char(first) || (depth > 0 && is_open(first)))
            t = (cell_text){t.s + i, t.len - i}, changed = 1;
        else if (strip_char(end) || (depth < 0 && is_close(end)))
            t.len = last, changed = 1;
        else if (is_open(first) && is_close(end) && wrapped(t))
            t = (cell_text){t.s + i, last - i}, changed = 1;
    }
    return t;
}

/* One alias piece: "カタカナ（Latin）" and "カタカナ Latin" give two names. */
static dx_status add_piece(dx_entry_builder *b, dx_name_kind kind, cell_text t)
{
    t = clean_piece(t);
    if (!t.len)
        return DX_OK;
    size_t split = 0, i = 0, last_cjk_end = 0;
    while (i < t.len) {
        size_t at = i;
        unsigned cp = dx_xt_next_cp(t.s, t.len, &i);
        if (is_cjk(cp))
            last_cjk_end = i;
        if (is_open(cp) && !split && at > 0)
            split = at;
    }
    cell_text before = {t.s, split}, after = {t.s + split, t.len - split};
    int cjk_b, lat_b, cjk_a, lat_a;
    scan_scripts(before, &cjk_b, &lat_b);
    scan_scripts(after, &cjk_a, &lat_a);
    if (split && cjk_b && !cjk_a && lat_a) {
        size_t open_len = 0, close_at = dx_xt_prev_start(after.s, after.len), j = close_at;
        dx_xt_next_cp(after.s, after.len, &open_len);
        if (is_close(dx_xt_next_cp(after.s, after.len, &j)) && close_at >= open_len)
            after = (cell_text){after.s + open_len, close_at - open_len};
        dx_status st = add_one(b, kind, before);
        return st == DX_OK ? add_one(b, kind, clean_piece(after)) : st;
    }
    before = (cell_text){t.s, last_cjk_end};
    after = (cell_text){t.s + last_cjk_end, t.len - last_cjk_end};
    scan_scripts(after, &cjk_a, &lat_a);
    if (last_cjk_end && lat_a && after.len && is_space_cp((unsigned char)after.s[0])) {
        dx_status st = add_one(b, kind, before);
        return st == DX_OK ? add_one(b, kind, clean_piece(after)) : st;
    }
    return add_one(b, kind, t);
}

/* The length of a marker at s[i] that ends the piece before it: an "(a)" enumerator, an
 * "a.k.a." / "f.k.a." label, a "別称" / "旧称" label; 0 when none. *former is set by the
 * labels that say former names. */
static size_t marker_at(cell_text t, size_t i, int *former)
{
    const char *s = t.s + i;
    size_t left = t.len - i, n = 0;
    if (left >= 3 && s[0] == '(' && s[1] >= 'a' && s[1] <= 'z' && s[2] == ')')
        return 3;
    if (left >= 7 && !memcmp(s, "\xEF\xBC\x88", 3) && s[3] >= 'a' && s[3] <= 'z' &&
        !memcmp(s + 4, "\xEF\xBC\x89", 3))
        return 7;
    if (left >= 5 && s[0] == '(' && s[1] >= 'a' && s[1] <= 'z' && !memcmp(s + 2, "\xEF\xBC\x89", 3))
        return 5;
    if (left >= 5 && !memcmp(s, "\xEF\xBC\x88", 3) && s[3] >= 'a' && s[3] <= 'z' && s[4] == ')')
        return 5;
    if (left >= 6 && (!strncasecmp(s, "a.k.a.", 6) || !strncasecmp(s, "f.k.a.", 6)))
        n = 6, *former = (s[0] | 0x20) == 'f';
    else if (left >= 6 && (!memcmp(s, W_AKA_LABEL, 6) || !memcmp(s, W_FKA_LABEL, 6)))
        n = 6, *former = !memcmp(s, W_FKA_LABEL, 6);
    else
        return 0;
    if (n == 6 && s[0] != 'a' && s[0] != 'f' && s[0] != 'A' && s[0] != 'F') {
        /* a Japanese label counts only when a bracket or colon follows ("(別称)", "別称：") */
        size_t j = i + 6;
        unsigned cp = j < t.len ? dx_xt_next_cp(t.s, t.len, &j) : 0;
        if (!(is_close(cp) || cp == ':' || cp == 0xFF1A || cp == 0x3001))
            return 0;
        return j - i;
    }
    return n;
}

static int is_split_cp(unsigned cp)
{
    return cp == '\n' || cp == ';' || cp == 0xFF1B || cp == 0x3001;
}

/* Split an alias cell into names (see the top comment). */
static dx_status add_aliases(mof *m, cell_text cell, dx_name_kind kind)
{
    dx_entry_builder *b = m->im->builder;
    dx_name_kind current = kind;
    size_t start = 0, i = 0;
    dx_status st = DX_OK;
    if (is_word(cell, W_UNKNOWN))
        return DX_OK;
    while (st == DX_OK && i < cell.len) {
        size_t at = i;
        int former = 0;
        size_t marker = marker_at(cell, i, &former);
        unsigned cp = marker ? 0 : dx_xt_next_cp(cell.s, cell.len, &i);
        if (!marker && !is_split_cp(cp))
            continue;
        st = add_piece(b, current, (cell_text){cell.s + start, at - start});
        if (marker) {
            i = at + marker;
            if (cell.s[at] != '(' && cell.s[at] != '\xEF') /* a label, not an enumerator */
                current = former ? DX_NAME_FORMER : kind;
        }
        start = i;
    }
    return st == DX_OK ? add_piece(b, current, (cell_text){cell.s + start, cell.len - start})
                       : st;
}

/* The Latin name, and its "(original script: …)" part as an original-script name. */
static dx_status add_latin_name(dx_entry_builder *b, cell_text en)
{
    size_t k = 0, open = en.len;
    while (k + 15 <= en.len && strncasecmp(en.s + k, "original script", 15))
        k++;
    for (size_t i = 0; k + 15 <= en.len && i < k;) {
        size_t at = i;
        if (is_open(dx_xt_next_cp(en.s, k, &i)))
            open = at;
    }
    cell_text lead = trimmed((cell_text){en.s, open});
    if (open == en.len || !lead.len) {
        return add_name_spaced(b, DX_NAME_PRIMARY, trimmed(en));
    }
    size_t after_open = open;
    dx_xt_next_cp(en.s, en.len, &after_open);
    cell_text script = clean_piece((cell_text){en.s + after_open, k - after_open});
    if (!script.len)
        script = clean_piece((cell_text){en.s + k + 15, en.len - k - 15});
    dx_status st = add_name_spaced(b, DX_NAME_PRIMARY, lead);
    return st == DX_OK ? add_one(b, DX_NAME_ORIGINAL_SCRIPT, script) : st;
}

/* ---- rows ------------------------------------------------------------------------------- */

static cell_text xcell(const dx_xlsx_row *row, unsigned column)
{
    return dx_xt_cell(row, column, MOF_MAX_TEXT);
}

static const dx_xt_header *header_of(const mof *m, unsigned column)
{
    return dx_xt_header_of(&m->headers, column);
}

/* The id "<programme>-<digits of the notice number>" into *id (arena), NULL when the number
 * has no digits. Leading '*' / '#' marks (ASCII or full width) are skipped. */
static dx_status make_id(mof *m, cell_text no, const char **id)
{
    char digits[16];
    size_t n = 0, i = 0;
    *id = NULL;
    while (i < no.len) {
        size_t at = i;
        unsigned cp = dx_xt_next_cp(no.s, no.len, &i);
        if (cp == '*' || cp == '#' || cp == 0xFF0A || cp == 0xFF03 || is_space_cp(cp))
            continue;
        i = at;
        break;
    }
    while (i < no.len && n < 9) {
        unsigned cp = dx_xt_next_cp(no.s, no.len, &i);
        if (cp >= 0xFF10 && cp <= 0xFF19)
            cp -= 0xFF10 - '0';
        if (cp < '0' || cp > '9')
            break;
        digits[n++] = (char)cp;
    }
    digits[n] = '\0';
    if (!n)
        return DX_OK;
    char *s = dx_arena_alloc(&m->arena, 32);
    if (!s)
        return DX_ERR_NOMEM;
    snprintf(s, 32, "%u-%s", m->programme, digits);
    *id = s;
    return DX_OK;
}

/* The kind of a row's party (see the top comment). */
static dx_entry_kind row_kind(const mof *m, const dx_xlsx_row *row)
{
    if (m->sheet_kind != DX_ENTRY_UNKNOWN || !m->has_person_columns)
        return m->sheet_kind;
    for (size_t i = 0; i < row->n_cells; i++) {
        const dx_xt_header *h = header_of(m, row->cells[i].column);
        cell_text t = xcell(row, row->cells[i].column);
        if (h && h->role >= 0 && RULES[h->role].person && trimmed(t).len)
            return DX_ENTRY_PERSON;
    }
    return DX_ENTRY_ORGANIZATION;
}

/* One fact cell: 不明 skipped, a numeric date serial written as a date, a place resolved. */
static dx_status add_fact_cell(mof *m, int rule, const dx_xlsx_cell *c, cell_text t)
{
    char date[11], alpha2[3] = "";
    t = trimmed(t);
    if (!t.len || is_word(t, W_UNKNOWN))
        return DX_OK;
    int dated = !strcmp(RULES[rule].fact, "dob") || !strcmp(RULES[rule].fact, "listed_on");
    if (dated && c->type == DX_XLSX_NUMBER && dx_xt_serial_date(t, date))
        t = (cell_text){date, 10};
    dx_status st = RULES[rule].resolve
                       ? dx_xt_resolve_place(m->im->countries, t, is_space_cp, alpha2)
                       : DX_OK;
    return st == DX_OK ? dx_entry_add_fact_in(m->im->builder, RULES[rule].fact, t.s, t.len, alpha2)
                       : st;
}

/* The row's aliases, facts and (on the party's first row) remarks, then every cell to raw. */
static dx_status add_columns(mof *m, const dx_xlsx_row *row, int first)
{
    dx_entry_builder *b = m->im->builder;
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < row->n_cells; i++) {
        const dx_xlsx_cell *c = &row->cells[i];
        const dx_xt_header *h = header_of(m, c->column);
        cell_text t = xcell(row, c->column);
        enum col_action action = h && h->role >= 0 ? RULES[h->role].action : COL_RAW;
        if (action == COL_ALIAS_STRONG)
            st = add_aliases(m, t, DX_NAME_ALIAS_STRONG);
        else if (action == COL_ALIAS_WEAK)
            st = add_aliases(m, t, DX_NAME_ALIAS_WEAK);
        else if (action == COL_FORMER)
            st = add_aliases(m, t, DX_NAME_FORMER);
        else if (action == COL_FACT)
            st = add_fact_cell(m, h->role, c, t);
        else if (action == COL_REMARKS && first && !is_word(t, W_UNKNOWN))
            st = dx_entry_set_remarks(b, t.s, t.len);
    }
    for (size_t i = 0; st == DX_OK && i < row->n_cells; i++) {
        char letters[4];
        cell_text t = xcell(row, row->cells[i].column);
        st = dx_entry_add_raw(b, dx_xt_field_name(&m->headers, row->cells[i].column, letters),
                              t.s, t.len);
    }
    return st;
}

/* Emit the party being built, if any. */
static dx_status flush(mof *m)
{
    if (!m->open)
        return DX_OK;
    m->open = 0;
    const dx_entry *e = dx_entry_finish(m->im->builder);
    return e ? m->im->emit(m->im->emit_ctx, e) : DX_ERR_NOMEM;
}

/* A builder status of a row: DX_ERR_LIMIT (the party's raw text past the cap) is reported
 * and the party dropped. */
static dx_status row_status(mof *m, const dx_xlsx_row *row, cell_text no, dx_status st)
{
    if (st != DX_ERR_LIMIT)
        return st;
    m->open = 0;
    return row_diag(m, row->number, row->line, no, DX_SEV_ERROR, "mof.too-large",
                    "the party's cells are too large to keep");
}

static dx_status start_party(mof *m, const dx_xlsx_row *row, cell_text no, cell_text ja,
                             cell_text en)
{
    dx_entry_builder *b = m->im->builder;
    const char *id;
    int inserted = 0;
    size_t first = 0;
    char date[11];
    dx_status st = make_id(m, no, &id);
    if (st == DX_OK && !id)
        return row_diag(m, row->number, row->line, no, DX_SEV_ERROR, "mof.number",
                        no.len ? "the notice number (告示番号) has no digits"
                               : "a named row without a notice number (告示番号)");
    if (st == DX_OK)
        st = dx_strmap_put(&m->ids, id, row->number, &inserted, &first);
    if (st == DX_OK && !inserted)
        return row_diag(m, row->number, row->line, no, DX_SEV_ERROR, "mof.duplicate-id",
                        "the entry id '%s' is the same as another row's (row %zu)", id, first);
    if (st != DX_OK)
        return st;
    dx_entry_begin(b, LIST_ID, row_kind(m, row));
    st = dx_entry_set_id(b, id, strlen(id));
    if (st == DX_OK && en.len)
        st = add_latin_name(b, en);
    if (st == DX_OK && ja.len)
        st = add_name_spaced(b, en.len ? DX_NAME_ORIGINAL_SCRIPT : DX_NAME_PRIMARY, ja);
    const dx_xlsx_cell *dc = NULL;
    for (size_t i = 0; i < row->n_cells; i++)
        dc = row->cells[i].column == m->main_col[COL_DATE] ? &row->cells[i] : dc;
    cell_text dt = trimmed(xcell(row, m->main_col[COL_DATE]));
    if (st == DX_OK && (dotted_date(dt, date) ||
                        (dc && dc->type == DX_XLSX_NUMBER && dx_xt_serial_date(dt, date))))
        st = dx_entry_set_start_date(b, date, 10);
    if (st == DX_OK)
        st = dx_entry_add_fact_in(b, "program", m->programme_name.s, m->programme_name.len, NULL);
    m->open = st == DX_OK;
    if (st == DX_OK)
        st = add_columns(m, row, 1);
    return row_status(m, row, no, st);
}

static dx_status import_row(mof *m, const dx_xlsx_row *row)
{
    if (dx_xt_row_blank(row, is_space_cp))
        return DX_OK;
    cell_text date = trimmed(xcell(row, m->main_col[COL_DATE]));
    cell_text no = trimmed(xcell(row, m->main_col[COL_NO]));
    cell_text ja = trimmed(xcell(row, m->main_col[COL_JA]));
    cell_text en = trimmed(xcell(row, m->main_col[COL_EN]));
    if (ja.len || en.len || date.len || no.len) {
        dx_status st = flush(m);
        if (st != DX_OK)
            return st;
        if (ja.len || en.len)
            return start_party(m, row, no, ja, en);
        if (contains(date, W_DELETED))
            return DX_OK; /* a deleted party keeps its number */
        return row_diag(m, row->number, row->line, no, DX_SEV_WARNING, "mof.no-name",
                        "neither a Japanese nor an English name, and not marked deleted (削除); "
                        "skipped as a deleted party");
    }
    if (!m->open)
        return row_diag(m, row->number, row->line, no, DX_SEV_ERROR, "mof.continuation",
                        "a row without notice date, number or name continues no listed party");
    return row_status(m, row, no, add_columns(m, row, 0));
}

/* ---- sheets ----------------------------------------------------------------------------- */

static int rule_of(cell_text t)
{
    t = trimmed(t);
    for (size_t r = 0; r < N_RULES; r++) {
        if (contains(t, RULES[r].word))
            return (int)r;
    }
    return -1;
}

/* When `row` is the header, note its columns and set *found. */
static dx_status try_header(mof *m, const dx_xlsx_row *row, int *found)
{
    unsigned cols[COL_EN + 1] = {0};
    for (size_t i = 0; i < row->n_cells; i++) {
        int r = rule_of(xcell(row, row->cells[i].column));
        if (r >= 0 && RULES[r].action <= COL_EN && !cols[RULES[r].action])
            cols[RULES[r].action] = row->cells[i].column;
    }
    *found = cols[COL_NO] && (cols[COL_JA] || cols[COL_EN]);
    if (!*found)
        return DX_OK;
    memcpy(m->main_col, cols, sizeof cols);
    size_t n = row->n_cells > MOF_MAX_COLUMNS ? MOF_MAX_COLUMNS : row->n_cells;
    dx_status st = dx_xt_headers_read(&m->headers, &m->arena, row, MOF_MAX_COLUMNS, 1024, 0);
    if (st != DX_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        int r = rule_of(xcell(row, row->cells[i].column));
        m->has_person_columns |= r >= 0 && RULES[r].person;
    }
    for (size_t h = 0; h < m->headers.n; h++)
        m->headers.v[h].role = rule_of(xcell(row, m->headers.v[h].column));
    return DX_OK;
}

/* The programme number and name of a sheet named "<number>.<name>"; 0 when not so named. */
static int programme_of(mof *m, const char *sheet)
{
    unsigned n = 0;
    size_t i = 0, len = strlen(sheet);
    while (i < len && sheet[i] >= '0' && sheet[i] <= '9' && n < 100000)
        n = n * 10 + (unsigned)(sheet[i++] - '0');
    if (i == 0 || i >= len)
        return 0;
    if (sheet[i] == '.')
        i++;
    else if (len - i >= 3 && !memcmp(sheet + i, "\xEF\xBC\x8E", 3)) /* ． */
        i += 3;
    else
        return 0;
    m->programme = n;
    m->programme_name = trim(sheet + i, len - i);
    if (contains(m->programme_name, W_PERSONS))
        m->sheet_kind = DX_ENTRY_PERSON;
    else if (contains(m->programme_name, W_GROUPS) || contains(m->programme_name, W_BANKS))
        m->sheet_kind = DX_ENTRY_ORGANIZATION;
    else
        m->sheet_kind = DX_ENTRY_UNKNOWN;
    return 1;
}

static dx_status try_header_cb(void *ctx, const dx_xlsx_row *row, int *found)
{
    return try_header(ctx, row, found);
}

static dx_status import_row_cb(void *ctx, const dx_xlsx_row *row)
{
    return import_row(ctx, row);
}

static dx_status read_sheet(mof *m, dx_xlsx *x, size_t sheet)
{
    int header = 0;
    m->sheet = dx_xlsx_sheet_name(x, sheet);
    m->member = dx_xlsx_sheet_member(x, sheet);
    m->headers = (dx_xt_headers){NULL, 0};
    m->has_person_columns = 0;
    m->open = 0;
    if (!programme_of(m, m->sheet))
        return DX_OK; /* 一覧, the index: not a programme */
    dx_status st =
        dx_xt_read_rows(x, sheet, MOF_HEADER_ROWS, try_header_cb, import_row_cb, m, &header);
    if (st == DX_OK)
        st = flush(m);
    m->open = 0;
    m->sheets_read += header;
    if (st == DX_OK && !header && !contains((cell_text){m->sheet, strlen(m->sheet)}, W_LIFTED))
        st = dx_diags_add(m->im->diags, DX_SEV_ERROR, m->path, 0, 0, "mof.header", NULL,
                          "%s (sheet %s): no header row naming 告示番号 and 日本語表記 or "
                          "英語表記 in the first %d rows",
                          m->member, m->sheet, MOF_HEADER_ROWS) == DX_OK
                 ? (m->errors++, DX_OK)
                 : DX_ERR_NOMEM;
    return st;
}

/* ---- the import ------------------------------------------------------------------------- */

static dx_status read_workbook(mof *m, dx_xlsx *x)
{
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < dx_xlsx_sheet_count(x); i++)
        st = read_sheet(m, x, i);
    if (st == DX_OK && m->sheets_read == 0)
        st = dx_diags_add(m->im->diags, DX_SEV_ERROR, m->path, 0, 0, "mof.format", NULL,
                          "no sheet named '<number>.<programme>' with a header row naming "
                          "告示番号 and 日本語表記 or 英語表記: this does not look like MOF's "
                          "economic-sanctions list") == DX_OK
                 ? (m->errors++, DX_OK)
                 : DX_ERR_NOMEM;
    return st;
}

dx_status dx_import_jp_mof(dx_import *im, const dx_import_file *files, size_t n_files)
{
    dx_status st = dx_xt_check_files(im, files, n_files, "mof.files",
                                     "MOF's economic-sanctions list");
    if (st != DX_OK)
        return st;
    mof m = {.im = im, .path = files[0].path ? files[0].path : "", .sheet = "", .member = ""};
    dx_xlsx *x = NULL;
    st = dx_xt_open(im, &files[0], m.path, &x);
    if (st == DX_OK)
        st = read_workbook(&m, x);
    if (st == DX_OK && m.errors)
        st = DX_ERR_INPUT;
    dx_xlsx_free(x);
    dx_strmap_free(&m.ids);
    dx_arena_free(&m.arena);
    return st;
}

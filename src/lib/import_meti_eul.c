/*
 * import_meti_eul.c — METI's End User List (外国ユーザーリスト), list id "jp_meti_eul".
 *
 * The format. One .xlsx workbook as METI publishes it (20250929_4.xlsx: sheet ユーザーリスト,
 * header row 1, 835 entries), read with xlsx.c. The sheet named ユーザーリスト is read, or
 * the first sheet when no sheet has that name. The header row is the first of the first
 * META_HEADER_ROWS rows that names at least the country, the name and the WMD concern
 * columns; columns are found by their header text (Japanese or English line), never by
 * position, so a column moved or added in a later revision is still read, and a revision
 * without the conventional-weapons column (the 2025-01-31 list) too:
 *   No.               "No."                                  kept in raw only
 *   country / region  "国名、地域名\nCountry or Region"       Japanese line, English line
 *   name              "企業名､組織名\nCompany or Organization" Latin name, often a line
 *                                                            "(漢字名)" after it
 *   aliases           "別名\nAlso Known As"                   one per line, each after "・"
 *   WMD concern       "懸念区分\nType of WMD"                 labels + codes, see below
 *   conventional      "通常兵器\nConventional Weapons"        "通常兵器\nCW" or empty
 * Every cell of a row also goes to raw under its header (white space collapsed), or under its
 * column letters when the column has no header.
 *
 * Names. The name cell's lines are joined. When it ends with a parenthesised part in CJK
 * script ("Air Koryo\n(高麗航空)", full-width parentheses too, nesting allowed), the text
 * before it is the primary name and the part inside an original-script name; a parenthesised
 * Latin part ("(KOMID)", "（DEC）") stays in the name. A name with no Latin part (4 North
 * Korean entries are Japanese only) is the primary name as it is. U+3000 (ideographic space,
 * a typing slip in a few names) counts as a space.
 *
 * Aliases. METI writes one alias per line starting with "・"; a line without it continues
 * the alias above (long names wrap), except a line that is a CJK name on its own
 * ("(鴨緑江開発銀行)" or bare 漢字), which is the original-script form of the alias above and
 * becomes an original-script name. A cell whose first line has no "・" is one alias. Commas are
 * part of names ("Kim Chaek Steel Union Corp., Ltd") and never split; a ';' splits (one cell
 * has "Novator Design Bureau; and\n・JSC OKB Novator"), a lone "and" left by that split is
 * dropped. Aliases are strong aliases: METI does not grade them.
 *
 * Concern types. The WMD cell holds Japanese labels (生物 B biological, 化学 C chemical,
 * ミサイル M missile, 核 N nuclear) and/or the codes, in every form seen: "生物、化学、
 * ミサイル、核\nB,C,M,N", "ミサイルM" on one line, "M、N", a full-width "Ｎ", a trailing
 * space, codes only, labels only. Separators: white space, U+3000, , 、 ， ・ ･ / ／ ; ；
 * and parentheses. The conventional-weapons cell reads the same way (通常兵器 / CW). The
 * entry's concern bits are the union of labels and codes of both cells, and each bit is also a
 * `concern` fact with its code (B, C, M, N, CW). Any other text is an error: a new code needs a
 * reviewed mapping, not a guess. Labels and codes that disagree are a warning (the union is
 * kept); a row with no concern at all is a warning (domain.md §1.6: every entry has one).
 *
 * Country. Each line of the country cell is looked up (dx_country_lookup) until one resolves;
 * the `country` fact keeps the cell's text with that code. A cell that does not resolve is an
 * error: the entry id needs the code.
 *
 * Entry ids. METI's No. is renumbered at every revision, so the id is derived:
 *     <ISO alpha-2 of the country> ":" <key of the primary name>
 * where the key is the primary name with full-width ASCII folded to ASCII, ASCII letters
 * lower-cased, every run of other ASCII characters (space, punctuation) made one '-' and
 * trimmed at the ends, and non-ASCII characters kept as they are: "Air Koryo" in 北朝鮮 →
 * "KP:air-koryo", "Delta Engineering Concern FZE （DEC）" in the UAE →
 * "AE:delta-engineering-concern-fze-dec". The id follows the entry across revisions as long as
 * METI does not rename it (a rename reads as one entry removed and one added, which is what it
 * is for screening). Two rows with the same derived id are an error for each repeat.
 *
 * Publication date. The file name (20250929_4.xlsx) is a convention of METI's web site, not
 * of the file, so it is not used. The date is the date part of docProps/core.xml
 * dcterms:modified, else dcterms:created, else "". For 20250929_4.xlsx that gives 2025-09-25:
 * the day the workbook was last saved, four days before the list was promulgated
 * (2025-09-29). The start date of entries is unknown (NULL).
 *
 * Errors (source = the workbook path, line = the XML line of the row in the sheet member,
 * message naming the member, the row and METI's No.): a row without a name, a country that
 * does not resolve, unknown concern text, a repeated id, no header row, and everything the
 * xlsx reader reports, and a row whose raw JSON would pass the entry builder's cap. Every
 * problem of the file is reported and the rows without one are still emitted; the import then
 * returns DX_ERR_INPUT (or the reader's DX_ERR_LIMIT) so that the store keeps nothing of it.
 */
#include "import.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "arena.h"
#include "dexcheck/records.h"
#include "strbuf.h"
#include "strmap.h"
#include "xlsx.h"
#include "xlsx_table.h"

static const char LIST_ID[] = "jp_meti_eul";
static const char SHEET_NAME[] = "\xE3\x83\xA6\xE3\x83\xBC\xE3\x82\xB6\xE3\x83\xBC"
                                 "\xE3\x83\xAA\xE3\x82\xB9\xE3\x83\x88"; /* ユーザーリスト */

#define META_HEADER_ROWS 20       /* rows searched for the header */
#define META_MAX_TEXT (1u << 20)  /* bytes of one cell worth reading */

enum meti_role { ROLE_NO, ROLE_COUNTRY, ROLE_NAME, ROLE_ALIASES, ROLE_CONCERN, ROLE_CW, N_ROLES };

/* Header words of each column, Japanese and English (matched as substrings). */
static const char *const ROLE_WORDS[N_ROLES][3] = {
    [ROLE_NO] = {"No", NULL, NULL},
    [ROLE_COUNTRY] = {"\xE5\x9B\xBD\xE5\x90\x8D", "Country", NULL},              /* 国名 */
    [ROLE_NAME] = {"\xE4\xBC\x81\xE6\xA5\xAD\xE5\x90\x8D", "\xE7\xB5\x84\xE7\xB9\x94\xE5\x90\x8D",
                   "Company"},                                                   /* 企業名 組織名 */
    [ROLE_ALIASES] = {"\xE5\x88\xA5\xE5\x90\x8D", "Also Known", NULL},            /* 別名 */
    [ROLE_CONCERN] = {"\xE6\x87\xB8\xE5\xBF\xB5", "Type of WMD", NULL},           /* 懸念 */
    [ROLE_CW] = {"\xE9\x80\x9A\xE5\xB8\xB8\xE5\x85\xB5\xE5\x99\xA8", "Conventional", NULL},
};

typedef struct meti {
    dx_import *im;
    const char *path;
    const char *member;
    dx_arena arena; /* header names, ids */
    unsigned role_col[N_ROLES]; /* 1-based column; 0 = absent */
    dx_xt_headers headers; /* names: white space collapsed */
    dx_strmap ids; /* id → row number */
    size_t errors;
    dx_strbuf scratch, item;
} meti;

/* A row's cell of one role. */
typedef dx_xt_text cell_text;

/* ---- UTF-8 helpers ---------------------------------------------------------------------- */

/* Han, kana, Hangul, CJK radicals and the ideographic marks 々〆〇. */
static int is_cjk(unsigned cp)
{
    return (cp >= 0x2E80 && cp <= 0x2FDF) || (cp >= 0x3005 && cp <= 0x3007) ||
           (cp >= 0x3040 && cp <= 0x30FF && cp != 0x30FB) || (cp >= 0x3130 && cp <= 0x318F) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF66 && cp <= 0xFF9F) ||
           (cp >= 0x20000 && cp <= 0x3FFFF);
}

static int is_latin_letter(unsigned cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A) ||
           (cp >= 0xC0 && cp <= 0x24F);
}

static int is_open_paren(unsigned cp)
{
    return cp == '(' || cp == 0xFF08;
}

static int is_close_paren(unsigned cp)
{
    return cp == ')' || cp == 0xFF09;
}

/* The bytes of `s` without leading and trailing white space (ASCII, U+3000, U+00A0). */
static cell_text trim(const char *s, size_t len)
{
    return dx_xt_trim(s, len, dx_xt_is_space);
}

static void scan_scripts(cell_text t, int *cjk, int *latin)
{
    *cjk = *latin = 0;
    for (size_t i = 0; i < t.len;) {
        unsigned cp = dx_xt_next_cp(t.s, t.len, &i);
        *cjk |= is_cjk(cp);
        *latin |= is_latin_letter(cp);
    }
}

/*
 * Split `t` (trimmed) at a final parenthesised part written in CJK script: *before gets the
 * text before it (trimmed, may be empty), *inside its content. 0 when `t` does not end so.
 */
static int split_cjk_paren(cell_text t, cell_text *before, cell_text *inside)
{
    if (t.len == 0)
        return 0;
    size_t end = t.len, i = t.len;
    int depth = 0;
    while (i > 0) {
        size_t at = dx_xt_prev_start(t.s, i), j = at;
        unsigned cp = dx_xt_next_cp(t.s, t.len, &j);
        if (i == end && !is_close_paren(cp))
            return 0;
        depth += is_close_paren(cp) - is_open_paren(cp);
        i = at;
        if (depth == 0)
            break;
    }
    if (depth != 0)
        return 0;
    size_t after_open = i, close_at = dx_xt_prev_start(t.s, end);
    dx_xt_next_cp(t.s, t.len, &after_open);
    *inside = trim(t.s + after_open, close_at - after_open);
    *before = trim(t.s, i);
    int cjk, latin;
    scan_scripts(*inside, &cjk, &latin);
    return cjk;
}

/* ---- diagnostics ------------------------------------------------------------------------ */

static dx_status row_diag(meti *m, const dx_xlsx_row *row, cell_text no, dx_severity sev,
                          const char *code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static dx_status row_diag(meti *m, const dx_xlsx_row *row, cell_text no, dx_severity sev,
                          const char *code, const char *fmt, ...)
{
    char nobuf[17];
    va_list ap;
    if (no.len)
        snprintf(nobuf, sizeof nobuf, "%.*s", (int)(no.len > 16 ? 16 : no.len), no.s);
    va_start(ap, fmt);
    dx_status st = dx_xt_row_diagv(m->im->diags, &m->errors, m->path, m->member, NULL,
                                   row->number, row->line, "No.", no.len ? nobuf : NULL, sev,
                                   code, fmt, ap);
    va_end(ap);
    return st;
}

/* ---- concern types ---------------------------------------------------------------------- */

typedef struct concern_word {
    const char *text;
    unsigned bit;
    int label;
} concern_word;

static const concern_word CONCERN_WORDS[] = {
    {"\xE7\x94\x9F\xE7\x89\xA9", DX_CONCERN_B, 1},                         /* 生物 */
    {"\xE5\x8C\x96\xE5\xAD\xA6", DX_CONCERN_C, 1},                         /* 化学 */
    {"\xE3\x83\x9F\xE3\x82\xB5\xE3\x82\xA4\xE3\x83\xAB", DX_CONCERN_M, 1}, /* ミサイル */
    {"\xE6\xA0\xB8", DX_CONCERN_N, 1},                                     /* 核 */
    {"\xE9\x80\x9A\xE5\xB8\xB8\xE5\x85\xB5\xE5\x99\xA8", DX_CONCERN_CW, 1}, /* 通常兵器 */
    {"CW", DX_CONCERN_CW, 0}, {"B", DX_CONCERN_B, 0}, {"C", DX_CONCERN_C, 0},
    {"M", DX_CONCERN_M, 0},   {"N", DX_CONCERN_N, 0},
};

static const char *const CONCERN_CODES[] = {"B", "C", "M", "N", "CW"}; /* bit order */

static int is_concern_separator(unsigned cp)
{
    static const unsigned seps[] = {',', '/', ';', '(', ')', 0x3001, 0x30FB, 0xFF0C, 0xFF0F,
                                    0xFF1B, 0xFF65, 0xFF08, 0xFF09};
    if (dx_xt_is_space(cp))
        return 1;
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        if (cp == seps[i])
            return 1;
    }
    return 0;
}

/* A run of Latin letters (full-width folded, upper-cased) at t[*i], at most 7 kept. */
static void letter_run(cell_text t, size_t *i, char word[8])
{
    size_t n = 0, j = *i;
    while (j < t.len) {
        size_t at = j;
        unsigned cp = dx_xt_next_cp(t.s, t.len, &j);
        if (cp >= 0xFF21 && cp <= 0xFF5A)
            cp -= 0xFEE0;
        if (!((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'))) {
            j = at;
            break;
        }
        if (n < 7)
            word[n++] = (char)(cp >= 'a' ? cp - 32 : cp);
    }
    word[n] = '\0';
    *i = j;
}

/*
 * Read the concern text of a cell into *labels / *codes (bits). 0 on text that is neither;
 * *bad then points at it.
 */
static int parse_concerns(cell_text t, unsigned *labels, unsigned *codes, cell_text *bad)
{
    size_t i = 0;
    while (i < t.len) {
        size_t at = i, j = i;
        unsigned cp = dx_xt_next_cp(t.s, t.len, &j);
        if (is_concern_separator(cp)) {
            i = j;
            continue;
        }
        int matched = 0;
        for (size_t w = 0; w < 5 && !matched; w++) {
            size_t n = strlen(CONCERN_WORDS[w].text);
            if (t.len - i >= n && !memcmp(t.s + i, CONCERN_WORDS[w].text, n)) {
                *labels |= CONCERN_WORDS[w].bit;
                i += n;
                matched = 1;
            }
        }
        char word[8];
        if (!matched) {
            letter_run(t, &i, word);
            for (size_t w = 5; w < sizeof CONCERN_WORDS / sizeof *CONCERN_WORDS && word[0]; w++) {
                if (!strcmp(word, CONCERN_WORDS[w].text)) {
                    *codes |= CONCERN_WORDS[w].bit;
                    matched = 1;
                }
            }
        }
        if (!matched) {
            *bad = (cell_text){t.s + at, t.len - at};
            return 0;
        }
    }
    return 1;
}

/* The concern bits of a row from its WMD and conventional-weapons cells. */
static dx_status row_concerns(meti *m, const dx_xlsx_row *row, const cell_text *cells,
                              unsigned *bits)
{
    static const int roles[] = {ROLE_CONCERN, ROLE_CW};
    *bits = 0;
    for (size_t k = 0; k < 2; k++) {
        unsigned labels = 0, codes = 0;
        cell_text bad;
        char cell[128], token[48];
        if (!parse_concerns(cells[roles[k]], &labels, &codes, &bad)) {
            size_t n = 0;
            while (n < bad.len && bad.s[n] != '\n')
                n++;
            return row_diag(m, row, cells[ROLE_NO], DX_SEV_ERROR, "meti.concern",
                            "unknown concern type text '%s' in '%s'",
                            dx_xt_one_line(trim(bad.s, n), token, sizeof token),
                            dx_xt_one_line(cells[roles[k]], cell, sizeof cell));
        }
        if (labels && codes && labels != codes) {
            dx_status st = row_diag(m, row, cells[ROLE_NO], DX_SEV_WARNING,
                                    "meti.concern-mismatch",
                                    "the concern labels and codes disagree in '%s'; both kept",
                                    dx_xt_one_line(cells[roles[k]], cell, sizeof cell));
            if (st != DX_OK)
                return st;
        }
        *bits |= labels | codes;
    }
    if (!*bits)
        return row_diag(m, row, cells[ROLE_NO], DX_SEV_WARNING, "meti.no-concern",
                        "no concern type (neither WMD nor conventional weapons)");
    return DX_OK;
}

/* ---- names ------------------------------------------------------------------------------ */

/* `t` with every U+3000 made an ASCII space, into `out` (reset first). */
static dx_status ascii_spaces(dx_strbuf *out, cell_text t)
{
    dx_strbuf_reset(out);
    dx_status st = dx_strbuf_reserve(out, t.len);
    for (size_t i = 0; st == DX_OK && i < t.len;) {
        size_t at = i;
        unsigned cp = dx_xt_next_cp(t.s, t.len, &i);
        st = cp == 0x3000 ? dx_strbuf_putc(out, ' ') : dx_strbuf_append(out, t.s + at, i - at);
    }
    return st;
}

/* Add one alias piece: Latin with a CJK part, CJK only, or Latin only. */
static dx_status add_alias(dx_entry_builder *b, cell_text piece)
{
    cell_text before, inside;
    int cjk, latin;
    piece = trim(piece.s, piece.len);
    if (piece.len == 3 && !strncasecmp(piece.s, "and", 3))
        return DX_OK;
    if (split_cjk_paren(piece, &before, &inside)) {
        dx_status st = dx_entry_add_name(b, DX_NAME_ORIGINAL_SCRIPT, inside.s, inside.len);
        if (st == DX_OK && before.len)
            st = dx_entry_add_name(b, DX_NAME_ALIAS_STRONG, before.s, before.len);
        return st;
    }
    scan_scripts(piece, &cjk, &latin);
    return dx_entry_add_name(b, cjk && !latin ? DX_NAME_ORIGINAL_SCRIPT : DX_NAME_ALIAS_STRONG,
                             piece.s, piece.len);
}

/* Add the alias gathered in m->item, split at ';'. */
static dx_status flush_alias(meti *m)
{
    const char *s = m->item.data;
    size_t len = m->item.len;
    dx_status st = DX_OK;
    while (st == DX_OK && len > 0) {
        size_t n = 0;
        while (n < len && s[n] != ';' && !(len - n >= 3 && !memcmp(s + n, "\xEF\xBC\x9B", 3)))
            n++;
        st = add_alias(m->im->builder, (cell_text){s, n});
        size_t skip = n < len ? (s[n] == ';' ? 1 : 3) : 0;
        s += n + skip;
        len -= n + skip;
    }
    dx_strbuf_reset(&m->item);
    return st;
}

/* A line that is a CJK name on its own: "(漢字)" or bare CJK text. */
static int is_cjk_line(cell_text line)
{
    cell_text before, inside;
    int cjk, latin;
    if (split_cjk_paren(line, &before, &inside) && before.len == 0)
        return 1;
    scan_scripts(line, &cjk, &latin);
    return cjk && !latin;
}

static int starts_with_bullet(cell_text line)
{
    return line.len >= 3 && (!memcmp(line.s, "\xE3\x83\xBB", 3) || /* ・ */
                             !memcmp(line.s, "\xEF\xBD\xA5", 3));  /* ･ */
}

/* The aliases cell: one alias per "・" line, continuation lines joined. */
static dx_status add_aliases(meti *m, cell_text cell)
{
    dx_status st = ascii_spaces(&m->scratch, cell);
    const char *s = m->scratch.data ? m->scratch.data : "";
    size_t len = m->scratch.len;
    dx_strbuf_reset(&m->item);
    while (st == DX_OK && len > 0) {
        size_t n = strcspn(s, "\n");
        n = n > len ? len : n;
        cell_text line = trim(s, n);
        s += n + (n < len);
        len -= n + (n < len);
        if (!line.len)
            continue;
        if (starts_with_bullet(line)) {
            st = flush_alias(m);
            line = trim(line.s + 3, line.len - 3);
        } else if (m->item.len && is_cjk_line(line)) {
            if ((st = flush_alias(m)) == DX_OK)
                st = add_alias(m->im->builder, line);
            continue;
        } else if (m->item.len) {
            st = dx_strbuf_putc(&m->item, ' ');
        }
        if (st == DX_OK)
            st = dx_strbuf_append(&m->item, line.s, line.len);
    }
    return st == DX_OK ? flush_alias(m) : st;
}

/* The primary name (and its original-script form) of a name cell into *primary. */
static dx_status add_primary(meti *m, cell_text cell, cell_text *primary)
{
    dx_status st = ascii_spaces(&m->scratch, cell);
    if (st != DX_OK)
        return st;
    cell_text name = trim(m->scratch.data ? m->scratch.data : "", m->scratch.len), before,
              inside;
    int split = split_cjk_paren(name, &before, &inside) && before.len > 0;
    *primary = split ? before : name;
    st = dx_entry_add_name(m->im->builder, DX_NAME_PRIMARY, primary->s, primary->len);
    if (st == DX_OK && split)
        st = dx_entry_add_name(m->im->builder, DX_NAME_ORIGINAL_SCRIPT, inside.s, inside.len);
    return st;
}

/* ---- ids and country -------------------------------------------------------------------- */

/* "<CC>:<key of name>" in the import's arena (see the top comment); NULL when out of memory. */
static const char *derive_id(meti *m, const char *alpha2, cell_text name)
{
    char *id = dx_arena_alloc(&m->arena, name.len + 4);
    if (!id)
        return NULL;
    size_t o = (size_t)snprintf(id, 4, "%s:", alpha2);
    int dash = 0;
    for (size_t i = 0; i < name.len;) {
        size_t at = i;
        unsigned cp = dx_xt_next_cp(name.s, name.len, &i);
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0;
        if (cp >= 0x80) {
            if (dash && o > 3)
                id[o++] = '-';
            dash = 0;
            memcpy(id + o, name.s + at, i - at);
            o += i - at;
        } else if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
                   (cp >= 'A' && cp <= 'Z')) {
            if (dash && o > 3)
                id[o++] = '-';
            dash = 0;
            id[o++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        } else {
            dash = 1;
        }
    }
    id[o] = '\0';
    return id;
}

/* Resolve the country cell line by line; *alpha2 = "" when no line resolves. */
static dx_status resolve_country(meti *m, cell_text cell, char alpha2[3])
{
    const char *s = cell.s;
    size_t len = cell.len;
    alpha2[0] = '\0';
    while (len > 0 && !alpha2[0]) {
        size_t n = 0;
        while (n < len && s[n] != '\n')
            n++;
        cell_text line = trim(s, n);
        dx_country_match match;
        dx_status st = line.len ? dx_country_lookup(m->im->countries, line.s, line.len, &match)
                                : DX_OK;
        if (st != DX_OK)
            return st;
        if (line.len && match.result == DX_COUNTRY_FOUND)
            memcpy(alpha2, match.alpha2, 3);
        s += n + (n < len);
        len -= n + (n < len);
    }
    return DX_OK;
}

/* ---- rows ------------------------------------------------------------------------------- */

/* Every cell of the row into raw, under its header. */
static dx_status add_raw(meti *m, const dx_xlsx_row *row)
{
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < row->n_cells; i++) {
        const dx_xlsx_cell *c = &row->cells[i];
        char letters[4];
        st = dx_entry_add_raw(m->im->builder, dx_xt_field_name(&m->headers, c->column, letters),
                              c->value, c->len);
    }
    return st;
}

/* Check the id for repeats; *ok = 0 (reported) when another row had it. */
static dx_status check_id(meti *m, const dx_xlsx_row *row, cell_text no, const char *id, int *ok)
{
    int inserted;
    size_t first = 0;
    dx_status st = dx_strmap_put(&m->ids, id, row->number, &inserted, &first);
    *ok = st == DX_OK && inserted;
    if (st == DX_OK && !inserted)
        st = row_diag(m, row, no, DX_SEV_ERROR, "meti.duplicate-id",
                      "the derived entry id '%s' is the same as row %zu's", id, first);
    return st;
}

static dx_status build_entry(meti *m, const dx_xlsx_row *row, const cell_text *cells,
                             const char *alpha2, unsigned bits)
{
    dx_entry_builder *b = m->im->builder;
    cell_text primary;
    dx_entry_begin(b, LIST_ID, DX_ENTRY_ORGANIZATION);
    dx_status st = add_primary(m, cells[ROLE_NAME], &primary);
    const char *id = st == DX_OK ? derive_id(m, alpha2, primary) : NULL;
    int fresh = 0;
    if (st == DX_OK && !id)
        st = DX_ERR_NOMEM;
    if (st == DX_OK)
        st = check_id(m, row, cells[ROLE_NO], id, &fresh);
    if (st != DX_OK || !fresh)
        return st;
    st = dx_entry_set_id(b, id, strlen(id));
    if (st == DX_OK)
        st = add_aliases(m, cells[ROLE_ALIASES]);
    if (st == DX_OK)
        st = dx_entry_add_fact_in(b, "country", cells[ROLE_COUNTRY].s, cells[ROLE_COUNTRY].len,
                                  alpha2);
    for (unsigned k = 0; st == DX_OK && k < 5; k++) {
        if (bits & (1u << k))
            st = dx_entry_add_fact_in(b, "concern", CONCERN_CODES[k],
                                      strlen(CONCERN_CODES[k]), NULL);
    }
    dx_entry_add_concerns(b, bits);
    if (st == DX_OK)
        st = add_raw(m, row);
    if (st == DX_ERR_LIMIT) /* the raw JSON of the row is past the builder's cap */
        return row_diag(m, row, cells[ROLE_NO], DX_SEV_ERROR, "meti.too-large",
                        "the row's cells are too large to keep");
    if (st != DX_OK)
        return st;
    const dx_entry *e = dx_entry_finish(b);
    return e ? m->im->emit(m->im->emit_ctx, e) : DX_ERR_NOMEM;
}

static dx_status import_row(meti *m, const dx_xlsx_row *row)
{
    cell_text cells[N_ROLES];
    for (int r = 0; r < N_ROLES; r++)
        cells[r] = dx_xt_cell(row, m->role_col[r], META_MAX_TEXT);
    if (dx_xt_row_blank(row, dx_xt_is_space))
        return DX_OK;
    cells[ROLE_NO] = trim(cells[ROLE_NO].s, cells[ROLE_NO].len);
    if (!trim(cells[ROLE_NAME].s, cells[ROLE_NAME].len).len)
        return row_diag(m, row, cells[ROLE_NO], DX_SEV_ERROR, "meti.no-name",
                        "no company or organization name");
    char alpha2[3];
    unsigned bits = 0;
    size_t errors = m->errors;
    dx_status st = resolve_country(m, cells[ROLE_COUNTRY], alpha2);
    char country[128];
    if (st == DX_OK && !alpha2[0])
        st = row_diag(m, row, cells[ROLE_NO], DX_SEV_ERROR, "meti.country",
                      "the country or region '%s' is not recognised",
                      dx_xt_one_line(cells[ROLE_COUNTRY], country, sizeof country));
    if (st == DX_OK)
        st = row_concerns(m, row, cells, &bits);
    if (st != DX_OK || m->errors > errors)
        return st;
    return build_entry(m, row, cells, alpha2, bits);
}

/* ---- header ----------------------------------------------------------------------------- */

static int contains(cell_text t, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= t.len; i++) {
        if (!memcmp(t.s + i, word, n))
            return 1;
    }
    return 0;
}

static int header_role(cell_text t)
{
    t = trim(t.s, t.len);
    if (t.len >= 2 && !strncmp(t.s, "No", 2))
        return ROLE_NO;
    for (int r = ROLE_COUNTRY; r < N_ROLES; r++) {
        for (size_t w = 0; w < 3 && ROLE_WORDS[r][w]; w++) {
            if (contains(t, ROLE_WORDS[r][w]))
                return r;
        }
    }
    return -1;
}

/* When `row` is the header, note its columns and names and set *found. */
static dx_status try_header(meti *m, const dx_xlsx_row *row, int *found)
{
    unsigned cols[N_ROLES] = {0};
    for (size_t i = 0; i < row->n_cells; i++) {
        int r = header_role((cell_text){row->cells[i].value, row->cells[i].len});
        if (r >= 0 && !cols[r])
            cols[r] = row->cells[i].column;
    }
    *found = cols[ROLE_COUNTRY] && cols[ROLE_NAME] && cols[ROLE_CONCERN];
    if (!*found)
        return DX_OK;
    memcpy(m->role_col, cols, sizeof cols);
    return dx_xt_headers_read(&m->headers, &m->arena, row, DX_XT_ALL, DX_XT_ALL, 1);
}

/* ---- the import ------------------------------------------------------------------------- */

static dx_status try_header_cb(void *ctx, const dx_xlsx_row *row, int *found)
{
    return try_header(ctx, row, found);
}

static dx_status import_row_cb(void *ctx, const dx_xlsx_row *row)
{
    return import_row(ctx, row);
}

static dx_status read_sheet(meti *m, dx_xlsx *x, size_t sheet)
{
    int header = 0;
    m->member = dx_xlsx_sheet_member(x, sheet);
    dx_status st =
        dx_xt_read_rows(x, sheet, META_HEADER_ROWS, try_header_cb, import_row_cb, m, &header);
    if (st == DX_OK && !header)
        st = dx_xt_file_error(m->im->diags, m->path, "meti.header",
                              "%s: no header row naming the country, name and concern columns "
                              "in the first %d rows",
                              m->member, META_HEADER_ROWS);
    return st;
}

dx_status dx_import_meti_eul(dx_import *im, const dx_import_file *files, size_t n_files)
{
    dx_status st = dx_xt_check_files(im, files, n_files, "meti.files",
                                     "METI's End User List");
    if (st != DX_OK)
        return st;
    meti m = {.im = im, .path = files[0].path ? files[0].path : ""};
    m.scratch.max = m.item.max = 4 * META_MAX_TEXT;
    dx_xlsx *x = NULL;
    st = dx_xt_open(im, &files[0], m.path, &x);
    if (st == DX_OK)
        st = dx_xlsx_sheet_count(x) == 0
                 ? dx_xt_file_error(im->diags, m.path, "meti.header", "the workbook has no sheet")
                 : read_sheet(&m, x, dx_xt_sheet_or_first(x, SHEET_NAME));
    if (st == DX_OK && m.errors)
        st = DX_ERR_INPUT;
    dx_xlsx_free(x);
    dx_strmap_free(&m.ids);
    dx_arena_free(&m.arena);
    dx_strbuf_free(&m.scratch);
    dx_strbuf_free(&m.item);
    return st;
}

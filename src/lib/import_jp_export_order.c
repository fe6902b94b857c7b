/*
 * import_jp_export_order.c — 輸出貿易管理令 (Export Trade Control Order, 昭和24年政令第378号)
 * in e-Gov 法令標準XML, list id "jp_export_order".
 *
 * The format. e-Gov publishes each version of a law as one UTF-8 XML file named by its
 * revision id, 法令ID_施行日_改正法令ID ("324CO0000000378_20260214_507CO0000000376.xml"):
 *
 *   <Law ...><LawNum>昭和二十四年政令第三百七十八号</LawNum><LawBody>
 *     <LawTitle>輸出貿易管理令</LawTitle> <MainProvision>...</MainProvision> ...
 *     <AppdxTable><AppdxTableTitle>別表第一</AppdxTableTitle><RelatedArticleNum>...
 *       <TableStruct><Table><TableRow><TableColumn><Sentence>一</Sentence></TableColumn>
 *         <TableColumn><Sentence>（一）　銃砲...</Sentence>...</TableColumn>
 *         <TableColumn><Sentence>全地域</Sentence></TableColumn></TableRow>...
 *     <AppdxTable><AppdxTableTitle>別表第三</AppdxTableTitle>...<Item><ItemSentence>
 *       <Sentence>アルゼンチン、オーストラリア、...、アメリカ合衆国</Sentence>...
 *
 * 別表第一 is a table of three columns (項, 貨物, 地域) under a header row whose first cell
 * is blank (any row with a blank 項 is passed over); its 項 are written in kanji numerals as
 * the statute writes them: 一 … 九, then positional 一〇 … 一六, with 三の二 after 三 (the
 * form with 十, 十六, is read too; numbers of 一〇〇〇 and above are refused). The country tables 別表第三 (Group A, the
 * former "white countries"), 別表第三の二 (UN arms-embargoed countries) and 別表第四 (countries
 * excluded from certain exemptions) are one or more sentences listing countries separated by
 * "、". The other tables (別表第二, 第五 …) are not imported.
 *
 * What is emitted (all entries of kind "unknown"):
 *   item:1 … item:16, item:3-2   one per 項 of 別表第一. The statute gives an item no short
 *       heading (the usual 武器, 原子力 … are METI's and CISTEC's words, not the law's), so the
 *       primary name is the statute's own citation, "輸出貿易管理令別表第一の七の項". Facts:
 *       kou (the 項 as written), subitem (each sentence of the 貨物 column: "（一）　集積回路…"),
 *       goods (the whole 貨物 column, sentences joined), destination (the 地域 column).
 *       raw: kou, goods_text, destination (the column names of the derived CSV).
 *   set:group_a, set:appendix_3_2, set:appendix_4   one per country table; name = the
 *       table's title ("別表第三"); one `country` fact per listed name, its alpha-2 resolved
 *       from the Japanese name. A name that does not resolve is kept with country "" and
 *       reported as a WARNING naming it. raw: title, related_article, text (each sentence).
 * im->publication_date is the date the version takes effect (施行日), read from the file name
 * (the XML itself carries only the original promulgation date of 1949); a file renamed away
 * from the e-Gov pattern imports with a warning and no date.
 *
 * Reading. libxml2's xmlTextReader streams the document; the law's title and each
 * <AppdxTable> directly under <LawBody> are expanded into a small tree (xmlTextReaderExpand)
 * and walked, the rest is passed over. Ruby readings (<Rt>) are left out of the text.
 *
 * Safety, as in import_un.c and through the same code (xmlsafe.c): XML_PARSE_NONET, no entity
 * substitution, no DTD loading, default limits; a DOCTYPE is refused by a byte scan of the prolog before libxml2 sees the file (the
 * file is read as UTF-8 whatever it declares, so the scan sees what libxml2 sees; UTF-16/32 is
 * refused); libxml2's messages go to diagnostics through the reader's structured error handler
 * and the generic error function is silenced during the import. One text is capped at 1 MB.
 *
 * Errors (source = the file's path, line = the XML line): malformed XML, a DTD, a root other
 * than <Law>, a law other than 輸出貿易管理令, a missing 別表第一 / 第三 / 第三の二 / 第四, a 項
 * that cannot be read or appears twice, a row without three columns, a country table without
 * countries, text past the cap. Every problem reached is reported; the result is DX_ERR_INPUT
 * when there was any error, DX_ERR_NOMEM when memory ran out.
 */
#include "import.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "alloc.h"
#include "strbuf.h"
#include "xmlsafe.h"

#define JP_LIST_ID "jp_export_order"
#define JP_LAW_TITLE "輸出貿易管理令"
#define JP_MAX_TEXT ((size_t)1 << 20)
#define JP_MAX_MAJOR 1000 /* 項 numbers are below this (the order has 16) */
#define JP_HINT_SOURCE "download the law again from e-Gov 法令検索 " \
    "(https://laws.e-gov.go.jp/law/324CO0000000378), as XML"
#define JP_DTD_MESSAGE "the document declares a DTD (<!DOCTYPE>); e-Gov law XML has none, and " \
    "a DTD can expand entities or read other files"
#define U3000 "\xE3\x80\x80" /* ideographic space */
#define TOUTEN "\xE3\x80\x81" /* 、 */
#define KUTEN "\xE3\x80\x82"  /* 。 */

/* The tables imported, with the entry id of a country table (NULL for 別表第一). */
enum { T_ITEMS, T_GROUP_A, T_APPENDIX_3_2, T_APPENDIX_4, N_TABLES };
static const struct { const char *title; const char *set_id; } tables[N_TABLES] = {
    {"別表第一", NULL},
    {"別表第三", "set:group_a"},
    {"別表第三の二", "set:appendix_3_2"},
    {"別表第四", "set:appendix_4"},
};

typedef struct jp_import {
    dx_import *im;
    const char *source;       /* the file path, for diagnostics */
    xmlTextReaderPtr reader;
    unsigned long errors;     /* error diagnostics of this import */
    dx_xmlsafe xml;           /* libxml2's messages, the DTD and encoding checks */
    int seen_root, title_ok;
    int broken;               /* a subtree could not be expanded: the XML is malformed */
    int seen_table[N_TABLES];
    unsigned char *items_seen; /* a bit per 項 major * 100 + minor (JP_MAX_MAJOR * 100) */
    size_t n_items;            /* 項 read from 別表第一 */
    dx_strbuf text;           /* the text of one node */
    dx_strbuf goods;          /* the 貨物 column of a row */
    dx_strbuf compose;        /* a name or an id being put together */
} jp_import;

static const dx_xmlsafe_spec jp_xml_spec = {
    .encoding_code = "jp.encoding",
    .encoding_message = "the file is in UTF-16 or UTF-32; e-Gov publishes law XML in UTF-8, the "
                        "only encoding this importer reads",
    .dtd_code = "jp.dtd",
    .dtd_message = JP_DTD_MESSAGE,
    .malformed_code = "jp.malformed-xml",
    .warning_code = "jp.xml-warning",
    .hint = JP_HINT_SOURCE,
};

/* ---- text ---------------------------------------------------------------------------------- */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* `s` (n bytes) without leading and trailing ASCII white space, ideographic spaces and, at
 * the end, a 。 */
static const char *trim(const char *s, size_t *n)
{
    for (;;) {
        if (*n && is_space((unsigned char)*s)) {
            s++;
            (*n)--;
        } else if (*n >= 3 && memcmp(s, U3000, 3) == 0) {
            s += 3;
            *n -= 3;
        } else {
            break;
        }
    }
    for (;;) {
        if (*n && is_space((unsigned char)s[*n - 1]))
            (*n)--;
        else if (*n >= 3 && (memcmp(s + *n - 3, U3000, 3) == 0 ||
                             memcmp(s + *n - 3, KUTEN, 3) == 0))
            *n -= 3;
        else
            break;
    }
    return s;
}

/* How many of the `n` bytes of `s` to show in a message: at most `max`, not splitting a UTF-8
 * sequence. */
static int shown(const char *s, size_t n, size_t max)
{
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    return (int)n;
}

static int is_named(xmlNodePtr node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && node->name &&
           strcmp((const char *)node->name, name) == 0;
}

/* The first element child of `parent` named `name` after `after` (NULL: from the start). */
static xmlNodePtr child_named(xmlNodePtr parent, xmlNodePtr after, const char *name)
{
    for (xmlNodePtr c = after ? after->next : parent->children; c; c = c->next) {
        if (is_named(c, name))
            return c;
    }
    return NULL;
}

static unsigned long line_of(xmlNodePtr node)
{
    long line = node ? xmlGetLineNo(node) : -1;
    return line > 0 ? (unsigned long)line : 0;
}

/* Appends the text under `node` to `out`, leaving out ruby readings (<Rt>). DX_ERR_LIMIT when
 * it passes the buffer's cap. */
static dx_status append_text(dx_strbuf *out, xmlNodePtr node)
{
    dx_status st = DX_OK;
    for (xmlNodePtr c = node->children; c && st == DX_OK; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            st = dx_strbuf_append(out, c->content, strlen((const char *)c->content));
        else if (c->type == XML_ELEMENT_NODE && !is_named(c, "Rt"))
            st = append_text(out, c);
    }
    return st;
}

/* ---- diagnostics --------------------------------------------------------------------------- */

static dx_status report(jp_import *j, unsigned long line, const char *code, const char *hint,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* An error of the file; DX_OK, or DX_ERR_NOMEM when it could not be kept. */
static dx_status report(jp_import *j, unsigned long line, const char *code, const char *hint,
                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dx_status st = dx_diags_addv(j->im->diags, DX_SEV_ERROR, j->source, line, 0, code, hint, fmt,
                                 ap);
    va_end(ap);
    j->errors++;
    return st;
}

/* The text of `node` into j->text (trimmed view in *s, *n); a text past the cap is reported
 * (DX_OK is returned with *n = 0 and *too_long set). */
static dx_status node_text(jp_import *j, xmlNodePtr node, const char **s, size_t *n,
                           int *too_long)
{
    dx_strbuf_reset(&j->text);
    *too_long = 0;
    dx_status st = append_text(&j->text, node);
    if (st == DX_ERR_LIMIT) {
        *too_long = 1;
        *s = "";
        *n = 0;
        return report(j, line_of(node), "jp.text-too-long", NULL,
                      "the text of <%s> is longer than %zu MB", (const char *)node->name,
                      JP_MAX_TEXT >> 20);
    }
    *n = j->text.len;
    *s = trim(j->text.data ? j->text.data : "", n);
    return st;
}

/* ---- 別表第一: one entry per 項 -------------------------------------------------------------- */

/* The value of the kanji digit at `s` (3 bytes), 10 for 十, -1 for anything else. */
static int kanji_digit(const char *s)
{
    static const char *const digits[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八",
                                         "九", "十"};
    for (int d = 0; d <= 10; d++) {
        if (memcmp(s, digits[d], 3) == 0)
            return d;
    }
    return -1;
}

/* Reads a kanji numeral at the start of `s` (n bytes): positional (一六 = 16, 一〇 = 10) or
 * with 十 (十六 = 16, 二十 = 20); at most four characters. Returns the bytes read (0: none). */
static size_t kanji_number(const char *s, size_t n, unsigned *value)
{
    unsigned total = 0, pending = 0;
    int has_digit = 0;
    size_t i = 0;
    for (; i + 3 <= n && i < 12; i += 3) {
        int d = kanji_digit(s + i);
        if (d < 0)
            break;
        if (d == 10) {
            total += (has_digit ? pending : 1) * 10;
            pending = 0;
            has_digit = 0;
        } else {
            pending = pending * 10 + (unsigned)d;
            has_digit = 1;
        }
    }
    *value = total + pending;
    return i;
}

/* The 項 "三の二" as major 3, minor 2 (minor 0 when there is none); 0 when it is not one. */
static int parse_kou(const char *s, size_t n, unsigned *major, unsigned *minor)
{
    size_t used = kanji_number(s, n, major);
    *minor = 0;
    if (used == 0 || *major == 0 || *major >= JP_MAX_MAJOR)
        return 0;
    if (used == n)
        return 1;
    if (n - used < 3 || memcmp(s + used, "の", 3) != 0)
        return 0;
    size_t more = kanji_number(s + used + 3, n - used - 3, minor);
    return more > 0 && used + 3 + more == n && *minor > 0 && *minor < 100;
}

/* Records the 項 major.minor (major < JP_MAX_MAJOR, minor < 100); 0 when it was already
 * seen, -1 when out of memory. */
static int note_item(jp_import *j, unsigned major, unsigned minor)
{
    if (!j->items_seen && !(j->items_seen = dx_calloc(JP_MAX_MAJOR * 100 / 8 + 1, 1)))
        return -1;
    unsigned key = major * 100 + minor;
    unsigned char bit = (unsigned char)(1u << (key % 8));
    if (j->items_seen[key / 8] & bit)
        return 0;
    j->items_seen[key / 8] |= bit;
    j->n_items++;
    return 1;
}

/* The sentences of the 貨物 column: a `subitem` fact each, and all of them, one per line,
 * into j->goods. */
static dx_status add_goods(jp_import *j, xmlNodePtr column)
{
    dx_strbuf_reset(&j->goods);
    dx_status st = DX_OK;
    int too_long = 0, any = 0;
    for (xmlNodePtr s = child_named(column, NULL, "Sentence"); s && st == DX_OK && !too_long;
         s = child_named(column, s, "Sentence")) {
        const char *text;
        size_t n;
        any = 1;
        st = node_text(j, s, &text, &n, &too_long);
        if (st == DX_OK && n)
            st = dx_entry_add_fact_in(j->im->builder, "subitem", text, n, NULL);
        if (st == DX_OK && n && j->goods.len)
            st = dx_strbuf_putc(&j->goods, '\n');
        if (st == DX_OK && n)
            st = dx_strbuf_append(&j->goods, text, n);
    }
    if (st == DX_OK && !any) /* a column of bare text */
        st = append_text(&j->goods, column);
    if (st == DX_ERR_LIMIT)
        st = report(j, line_of(column), "jp.text-too-long", NULL,
                    "the 貨物 column of this row is longer than %zu MB", JP_MAX_TEXT >> 20);
    return st;
}

/* Builds and emits the entry of one 項 (the row's three columns given). */
static dx_status emit_item(jp_import *j, const char *kou, size_t kou_len, unsigned major,
                           unsigned minor, xmlNodePtr goods, xmlNodePtr dest)
{
    dx_entry_builder *b = j->im->builder;
    dx_entry_begin(b, JP_LIST_ID, DX_ENTRY_UNKNOWN);
    char id[32];
    int idn = minor ? snprintf(id, sizeof id, "item:%u-%u", major, minor)
                    : snprintf(id, sizeof id, "item:%u", major);
    dx_status st = dx_entry_set_id(b, id, (size_t)idn);
    dx_strbuf_reset(&j->compose);
    if (st == DX_OK)
        st = dx_strbuf_printf(&j->compose, "輸出貿易管理令別表第一の%.*sの項", (int)kou_len, kou);
    if (st == DX_OK)
        st = dx_entry_add_name(b, DX_NAME_PRIMARY, j->compose.data, j->compose.len);
    if (st == DX_OK)
        st = dx_entry_add_fact_in(b, "kou", kou, kou_len, NULL);
    if (st == DX_OK)
        st = dx_entry_add_raw(b, "kou", kou, kou_len);
    unsigned long before = j->errors;
    if (st == DX_OK)
        st = add_goods(j, goods);
    if (st == DX_OK && j->errors == before)
        st = dx_entry_add_fact_in(b, "goods", j->goods.data ? j->goods.data : "", j->goods.len,
                                  NULL);
    if (st == DX_OK && j->errors == before)
        st = dx_entry_add_raw(b, "goods_text", j->goods.data ? j->goods.data : "", j->goods.len);
    const char *text = "";
    size_t n = 0;
    int too_long = 0;
    if (st == DX_OK && j->errors == before)
        st = node_text(j, dest, &text, &n, &too_long);
    if (st == DX_OK && n)
        st = dx_entry_add_fact_in(b, "destination", text, n, NULL);
    if (st == DX_OK && n)
        st = dx_entry_add_raw(b, "destination", text, n);
    if (st != DX_OK || j->errors != before)
        return st;
    const dx_entry *entry = dx_entry_finish(b);
    return entry ? j->im->emit(j->im->emit_ctx, entry) : DX_ERR_NOMEM;
}

/* One <TableRow> of 別表第一: the header row (blank 項) is passed over. */
static dx_status on_item_row(jp_import *j, xmlNodePtr row)
{
    xmlNodePtr col[3] = {NULL, NULL, NULL};
    size_t n_cols = 0;
    for (xmlNodePtr c = child_named(row, NULL, "TableColumn"); c;
         c = child_named(row, c, "TableColumn")) {
        if (n_cols < 3)
            col[n_cols] = c;
        n_cols++;
    }
    if (n_cols != 3)
        return report(j, line_of(row), "jp.bad-row", JP_HINT_SOURCE,
                      "a row of 別表第一 has %zu columns, not 3 (項, 貨物, 地域)", n_cols);
    const char *kou;
    size_t n;
    int too_long;
    dx_status st = node_text(j, col[0], &kou, &n, &too_long);
    if (st != DX_OK || n == 0)
        return st;
    char kou_copy[64];
    unsigned major, minor;
    if (n >= sizeof kou_copy || !parse_kou(kou, n, &major, &minor))
        return report(j, line_of(row), "jp.bad-item-number", JP_HINT_SOURCE,
                      "the 項 \"%.*s\" of 別表第一 is not a number in kanji below 一〇〇〇 "
                      "(一, 三の二, 一六 ...)",
                      shown(kou, n, 60), kou);
    memcpy(kou_copy, kou, n);
    int fresh = note_item(j, major, minor);
    if (fresh < 0)
        return DX_ERR_NOMEM;
    if (!fresh)
        return report(j, line_of(row), "jp.duplicate-item", JP_HINT_SOURCE,
                      "the 項 %.*s appears twice in 別表第一", (int)n, kou_copy);
    return emit_item(j, kou_copy, n, major, minor, col[1], col[2]);
}

/* 別表第一: every row of its table(s). */
static dx_status on_item_table(jp_import *j, xmlNodePtr table)
{
    size_t before = j->n_items;
    dx_status st = DX_OK;
    for (xmlNodePtr ts = child_named(table, NULL, "TableStruct"); ts && st == DX_OK;
         ts = child_named(table, ts, "TableStruct")) {
        for (xmlNodePtr t = child_named(ts, NULL, "Table"); t && st == DX_OK;
             t = child_named(ts, t, "Table")) {
            for (xmlNodePtr row = child_named(t, NULL, "TableRow"); row && st == DX_OK;
                 row = child_named(t, row, "TableRow"))
                st = on_item_row(j, row);
        }
    }
    if (st == DX_OK && j->n_items == before)
        st = report(j, line_of(table), "jp.no-items", JP_HINT_SOURCE,
                    "別表第一 has no rows with a 項 number");
    return st;
}

/* ---- 別表第三, 第三の二, 第四: one entry per table -------------------------------------------- */

/* One country name of a country table: a `country` fact, resolved; a WARNING when it does
 * not resolve to one country. */
static dx_status add_country(jp_import *j, const char *title, const char *name, size_t n,
                             unsigned long line)
{
    dx_country_match m = {DX_COUNTRY_UNKNOWN, "", ""};
    if (j->im->countries) {
        dx_status st = dx_country_lookup(j->im->countries, name, n, &m);
        if (st != DX_OK)
            return st;
    }
    int found = m.result == DX_COUNTRY_FOUND;
    dx_status st = dx_entry_add_fact_in(j->im->builder, "country", name, n,
                                        found ? m.alpha2 : NULL);
    if (st != DX_OK || found)
        return st;
    return dx_diags_add(j->im->diags, DX_SEV_WARNING, j->source, line, 0, "jp.unknown-country",
                        NULL, "%s lists \"%.*s\", which %s; it is kept without a country code",
                        title, shown(name, n, 120), name,
                        m.result == DX_COUNTRY_AMBIGUOUS ? "could be more than one country"
                                                         : "is not a known country name");
}

/* The countries of one sentence ("アルゼンチン、オーストラリア、…"), counted in *count. */
static dx_status add_countries(jp_import *j, const char *title, const char *s, size_t n,
                               unsigned long line, size_t *count)
{
    dx_status st = DX_OK;
    while (n > 0 && st == DX_OK) {
        size_t part = 0;
        while (part < n && !(n - part >= 3 && memcmp(s + part, TOUTEN, 3) == 0))
            part++;
        size_t len = part;
        const char *name = trim(s, &len);
        if (len) {
            st = add_country(j, title, name, len, line);
            (*count)++;
        }
        size_t skip = part < n ? part + 3 : n;
        s += skip;
        n -= skip;
    }
    return st;
}

/* Every <Sentence> below `node`: its text into raw and its countries into facts. */
static dx_status country_sentences(jp_import *j, const char *title, xmlNodePtr node,
                                   size_t *count)
{
    dx_status st = DX_OK;
    for (xmlNodePtr c = node->children; c && st == DX_OK; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || is_named(c, "AppdxTableTitle") ||
            is_named(c, "RelatedArticleNum"))
            continue;
        if (!is_named(c, "Sentence")) {
            st = country_sentences(j, title, c, count);
            continue;
        }
        const char *text;
        size_t n;
        int too_long;
        st = node_text(j, c, &text, &n, &too_long);
        if (st == DX_OK && n)
            st = dx_entry_add_raw(j->im->builder, "text", text, n);
        if (st == DX_OK && n)
            st = add_countries(j, title, text, n, line_of(c), count);
    }
    return st;
}

/* A country table: one entry with its title as the name and a fact per country. */
static dx_status on_country_table(jp_import *j, int t, xmlNodePtr table)
{
    dx_entry_builder *b = j->im->builder;
    const char *title = tables[t].title;
    dx_entry_begin(b, JP_LIST_ID, DX_ENTRY_UNKNOWN);
    dx_status st = dx_entry_set_id(b, tables[t].set_id, strlen(tables[t].set_id));
    if (st == DX_OK)
        st = dx_entry_add_name(b, DX_NAME_PRIMARY, title, strlen(title));
    if (st == DX_OK)
        st = dx_entry_add_raw(b, "title", title, strlen(title));
    xmlNodePtr related = child_named(table, NULL, "RelatedArticleNum");
    if (st == DX_OK && related) {
        const char *text;
        size_t n;
        int too_long;
        st = node_text(j, related, &text, &n, &too_long);
        if (st == DX_OK && n)
            st = dx_entry_add_raw(b, "related_article", text, n);
    }
    size_t count = 0;
    unsigned long before = j->errors;
    if (st == DX_OK)
        st = country_sentences(j, title, table, &count);
    if (st == DX_OK && count == 0)
        st = report(j, line_of(table), "jp.no-countries", JP_HINT_SOURCE,
                    "%s lists no country", title);
    if (st != DX_OK || j->errors != before)
        return st;
    const dx_entry *entry = dx_entry_finish(b);
    return entry ? j->im->emit(j->im->emit_ctx, entry) : DX_ERR_NOMEM;
}

/* An <AppdxTable> under <LawBody>: one of the four imported, or passed over. */
static dx_status on_appdx_table(jp_import *j, xmlNodePtr table)
{
    xmlNodePtr title_node = child_named(table, NULL, "AppdxTableTitle");
    if (!title_node || !j->title_ok)
        return DX_OK;
    const char *title;
    size_t n;
    int too_long;
    dx_status st = node_text(j, title_node, &title, &n, &too_long);
    int t = 0;
    while (st == DX_OK && t < N_TABLES &&
           !(strlen(tables[t].title) == n && memcmp(tables[t].title, title, n) == 0))
        t++;
    if (st != DX_OK || t == N_TABLES)
        return st;
    if (j->seen_table[t]++)
        return report(j, line_of(table), "jp.duplicate-table", JP_HINT_SOURCE,
                      "%s appears twice", tables[t].title);
    return t == T_ITEMS ? on_item_table(j, table) : on_country_table(j, t, table);
}

/* ---- the document -------------------------------------------------------------------------- */

/* <LawTitle>: the law must be 輸出貿易管理令 (DX_ERR_INPUT, reported, otherwise). */
static dx_status on_law_title(jp_import *j, xmlNodePtr node)
{
    const char *title;
    size_t n;
    int too_long;
    dx_status st = node_text(j, node, &title, &n, &too_long);
    if (st != DX_OK || too_long)
        return st == DX_OK ? DX_ERR_INPUT : st;
    if (n == strlen(JP_LAW_TITLE) && memcmp(title, JP_LAW_TITLE, n) == 0) {
        j->title_ok = 1;
        return DX_OK;
    }
    st = report(j, line_of(node), "jp.wrong-law", JP_HINT_SOURCE,
                "this law is %.*s, not " JP_LAW_TITLE " (the Export Trade Control Order)",
                n ? shown(title, n, 120) : 11, n ? title : "(untitled)");
    return st == DX_OK ? DX_ERR_INPUT : st;
}

static dx_status on_root(jp_import *j, const char *name)
{
    j->seen_root = 1;
    if (strcmp(name, "Law") == 0)
        return DX_OK;
    dx_status st = report(j, (unsigned long)xmlTextReaderGetParserLineNumber(j->reader),
                          "jp.wrong-format", JP_HINT_SOURCE,
                          "the root element is <%.*s>, not <Law>: this is not an e-Gov law XML "
                          "file of " JP_LAW_TITLE, shown(name, strlen(name), 80), name);
    return st == DX_OK ? DX_ERR_INPUT : st;
}

/* One node of the reader. *skip is set when its subtree was read here and the reader should
 * go on past it. DX_ERR_INPUT (reported) stops the reading. */
static dx_status on_node(jp_import *j, int *skip)
{
    xmlTextReaderPtr r = j->reader;
    int type = xmlTextReaderNodeType(r);
    if (type == XML_READER_TYPE_DOCUMENT_TYPE) { /* a backstop: dx_xmlsafe_open refuses DTDs */
        dx_status st = report(j, (unsigned long)xmlTextReaderGetParserLineNumber(r), "jp.dtd",
                              JP_HINT_SOURCE, JP_DTD_MESSAGE);
        return st == DX_OK ? DX_ERR_INPUT : st;
    }
    if (type != XML_READER_TYPE_ELEMENT)
        return DX_OK;
    int depth = xmlTextReaderDepth(r);
    const char *name = (const char *)xmlTextReaderConstLocalName(r);
    if (!name)
        return DX_ERR_NOMEM;
    if (depth == 0)
        return on_root(j, name);
    int title = depth == 2 && strcmp(name, "LawTitle") == 0;
    int table = depth == 2 && strcmp(name, "AppdxTable") == 0;
    if (!title && !table)
        return DX_OK;
    xmlNodePtr node = xmlTextReaderExpand(r);
    if (!node) { /* malformed inside: libxml2 has reported it (or read_document will) */
        j->broken = 1;
        return DX_OK;
    }
    *skip = 1;
    return title ? on_law_title(j, node) : on_appdx_table(j, node);
}

/* What must have been seen once the whole document is read. */
static dx_status check_complete(jp_import *j)
{
    if (!j->seen_root)
        return report(j, 0, "jp.wrong-format", JP_HINT_SOURCE, "the file has no root element");
    if (!j->title_ok)
        return report(j, 0, "jp.wrong-format", JP_HINT_SOURCE,
                      "the document has no <LawTitle> " JP_LAW_TITLE);
    dx_status st = DX_OK;
    for (int t = 0; t < N_TABLES && st == DX_OK; t++) {
        if (!j->seen_table[t])
            st = report(j, 0, "jp.missing-table", JP_HINT_SOURCE,
                        "the document has no <AppdxTable> titled %s", tables[t].title);
    }
    return st;
}

/* The whole file: the prolog checks, then the reader in document order. */
static dx_status read_document(jp_import *j, const dx_import_file *f)
{
    dx_status st = dx_xmlsafe_open(&j->xml, f->bytes, f->len, &j->reader);
    if (st != DX_OK)
        return st;
    unsigned long errors_before = j->errors;
    int rc = xmlTextReaderRead(j->reader);
    while (rc == 1 && st == DX_OK && j->xml.status == DX_OK) {
        int skip = 0;
        st = on_node(j, &skip);
        if (st == DX_OK && j->broken)
            rc = -1;
        else if (st == DX_OK)
            rc = skip ? xmlTextReaderNext(j->reader) : xmlTextReaderRead(j->reader);
    }
    if (st == DX_OK)
        st = j->xml.status;
    if (st != DX_OK)
        return st;
    if (rc < 0 && j->errors == errors_before)
        return report(j, (unsigned long)xmlTextReaderGetParserLineNumber(j->reader),
                      "jp.malformed-xml", JP_HINT_SOURCE, "the XML could not be read");
    return rc == 0 ? check_complete(j) : DX_OK;
}

/* The 施行日 of an e-Gov file name "324CO0000000378_20260214_507CO0000000376.xml" into
 * im->publication_date; a WARNING when the name does not carry one. */
static dx_status date_from_name(jp_import *j, const dx_import_file *f)
{
    const char *name = f->name ? f->name : f->path ? f->path : "";
    const char *slash = strrchr(name, '/');
    if (slash)
        name = slash + 1;
    const char *d = strchr(name, '_');
    int ok = d && d - name == 15 && strlen(d) >= 10 && d[9] == '_';
    for (int i = 1; ok && i <= 8; i++)
        ok = d[i] >= '0' && d[i] <= '9';
    int month = ok ? (d[5] - '0') * 10 + (d[6] - '0') : 0;
    int day = ok ? (d[7] - '0') * 10 + (d[8] - '0') : 0;
    if (ok && month >= 1 && month <= 12 && day >= 1 && day <= 31) {
        snprintf(j->im->publication_date, sizeof j->im->publication_date, "%.4s-%.2s-%.2s",
                 d + 1, d + 5, d + 7);
        return DX_OK;
    }
    return dx_diags_add(j->im->diags, DX_SEV_WARNING, j->source, 0, 0, "jp.no-date",
                        "keep e-Gov's file name (法令ID_施行日_改正法令ID.xml)",
                        "the file name does not carry the date the version takes effect "
                        "(法令ID_YYYYMMDD_改正法令ID.xml): the publication date is unknown");
}

/*
 * Imports the e-Gov XML of 輸出貿易管理令: the items of 別表第一 and the country tables 別表第三,
 * 第三の二 and 第四 go to im->emit as "jp_export_order" entries (ids in the comment at the top);
 * im->publication_date is set from the file name. Problems go to im->diags. Returns DX_OK,
 * DX_ERR_INPUT when any error was reported (entries may have been emitted before it: the
 * caller keeps nothing of such an import), DX_ERR_NOMEM, DX_ERR_INVALID for a call without
 * files, or the first non-DX_OK status of emit.
 */
dx_status dx_import_jp_export_order(dx_import *im, const dx_import_file *files, size_t n_files)
{
    if (!im || !im->builder || !im->emit || !files || n_files == 0)
        return DX_ERR_INVALID;
    im->publication_date[0] = '\0';
    jp_import j = {.im = im, .source = files[0].path ? files[0].path : ""};
    j.text.max = j.goods.max = j.compose.max = JP_MAX_TEXT;
    dx_status st = DX_OK;
    if (n_files > 1)
        st = report(&j, 0, "jp.extra-file", NULL,
                    "輸出貿易管理令 is one XML file; %zu files were given", n_files);
    else if (files[0].len == 0 || !files[0].bytes)
        st = report(&j, 0, "jp.empty", JP_HINT_SOURCE, "the file is empty");
    else if (files[0].len > INT_MAX)
        st = report(&j, 0, "jp.too-large", NULL, "the file is larger than %d bytes", INT_MAX);
    if (st != DX_OK || j.errors)
        return st != DX_OK ? st : DX_ERR_INPUT;

    dx_xmlsafe_init(&j.xml, &jp_xml_spec, im->diags, j.source, &j.errors);
    dx_xmlsafe_begin(&j.xml);
    st = read_document(&j, &files[0]);
    dx_xmlsafe_end(&j.xml);
    if (st == DX_OK && !j.errors)
        st = date_from_name(&j, &files[0]);
    if (j.reader)
        xmlFreeTextReader(j.reader);
    dx_free(j.items_seen);
    dx_strbuf_free(&j.text);
    dx_strbuf_free(&j.goods);
    dx_strbuf_free(&j.compose);
    if (st == DX_OK && j.errors)
        st = DX_ERR_INPUT;
    return st;
}

/*
 * import_un.c — the UN Security Council Consolidated List (XML), list id "un_sc".
 *
 * The format. One XML file, published by the UN at
 * https://scsanctions.un.org/resources/xml/en/consolidated.xml:
 *
 *   <CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">
 *     <INDIVIDUALS><INDIVIDUAL>...</INDIVIDUAL>...</INDIVIDUALS>
 *     <ENTITIES><ENTITY>...</ENTITY>...</ENTITIES>
 *   </CONSOLIDATED_LIST>
 *
 * An entry's children are either text fields (DATAID, FIRST_NAME..FOURTH_NAME, UN_LIST_TYPE,
 * REFERENCE_NUMBER, LISTED_ON, GENDER, COMMENTS1, NAME_ORIGINAL_SCRIPT, ...) or groups: lists
 * of <VALUE> (NATIONALITY, TITLE, DESIGNATION, LIST_TYPE, LAST_DAY_UPDATED) and records
 * (INDIVIDUAL_ALIAS / ENTITY_ALIAS, *_ADDRESS, INDIVIDUAL_DATE_OF_BIRTH,
 * INDIVIDUAL_PLACE_OF_BIRTH, INDIVIDUAL_DOCUMENT) whose text fields are collected into slots
 * and turned into one name or fact when the group closes. The entry id is REFERENCE_NUMBER
 * ("QDi.290"): the UN's own stable reference, quoted in resolutions and press releases.
 * DATAID is kept as the fact `dataid`. The primary name is FIRST..FOURTH_NAME joined by spaces
 * in the UN's own order (for an ENTITY, FIRST_NAME holds the whole name). Alias quality
 * "Good" and "a.k.a." give strong aliases, "Low" weak ones, "f.k.a." former names; any other
 * quality is treated as strong, because a screening that drops an alias misses a party. Every
 * element's text also goes into dx_entry.raw under its path below the entry
 * ("INDIVIDUAL_ALIAS/ALIAS_NAME"), and attributes under "PATH@name", so an element we do not
 * map (or a new one the UN adds) is kept rather than lost or refused.
 *
 * Streaming. The file is read with libxml2's xmlTextReader over the bytes in memory: the
 * reader builds one node at a time and frees what it has passed, and the entry builder holds
 * one entry, so memory does not grow with the list. One element's text is capped at 1 MB and
 * one entry's raw JSON at 15 MB (the builder's limit is 16 MB); past that, the entry is an
 * error, not a truncation.
 *
 * Safety. The file comes from outside, so the parser gets no power it does not need (the
 * machinery is shared with import_jp_export_order.c in xmlsafe.c):
 *  - XML_PARSE_NONET, and no XML_PARSE_NOENT / DTDLOAD / DTDATTR / DTDVALID / XINCLUDE /
 *    HUGE: no network, no entity substitution, no external DTD, libxml2's default limits on
 *    names, text and depth.
 *  - A document that declares a DTD is refused. The UN list never carries one, and a DTD is
 *    the only way in for "billion laughs" entity expansion and for external entities
 *    (SYSTEM "file:///etc/passwd"). The prolog is scanned for "<!DOCTYPE" before libxml2 sees
 *    a byte, so no declaration is ever parsed. For that scan to see what libxml2 will see,
 *    the file is read as UTF-8 whatever its declaration says (encoding "UTF-8" and
 *    XML_PARSE_IGNORE_ENC): the UN publishes UTF-8, a UTF-16/32 file is refused with its own
 *    message, and a declared encoding cannot hide a DOCTYPE ("+ADw-!DOCTYPE" in UTF-7). The
 *    reader's DOCUMENT_TYPE node is checked too, as a backstop should the two ever differ.
 *  - libxml2 never prints: a structured error handler on the reader turns its messages into
 *    diagnostics with the XML line, and the thread's generic error function is silenced for
 *    the duration of the import (and restored after) for the few messages that bypass it.
 *  - xmlInitParser runs once (pthread_once); xmlCleanupParser is never called, since other
 *    code in the process may use libxml2.
 *
 * Errors (DX_SEV_ERROR, source = the file's path, line = the XML line, column 0): malformed
 * XML (truncated, mismatched tags, not UTF-8), a DTD, a root other than CONSOLIDATED_LIST,
 * an entry without REFERENCE_NUMBER or without a name, text or nesting past the limits. The
 * import reports every problem it reaches (libxml2 stops at the first well-formedness error)
 * and returns DX_ERR_INPUT if there was any, DX_ERR_NOMEM when memory ran out.
 */
#include "import.h"

#include <limits.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "alloc.h"
#include "strbuf.h"
#include "xmlsafe.h"

#define UN_LIST_ID "un_sc"
#define UN_ROOT "CONSOLIDATED_LIST"
#define UN_MAX_TEXT ((size_t)1 << 20)        /* one element's text */
#define UN_MAX_ENTRY_RAW ((size_t)15 << 20)  /* worst-case JSON bytes of one entry's raw */
#define UN_MAX_LEVEL 32                      /* element levels below an entry */
#define UN_HINT_SOURCE "download the list again from " \
    "https://scsanctions.un.org/resources/xml/en/consolidated.xml"

#define UN_DTD_MESSAGE "the document declares a DTD (<!DOCTYPE>); the UN list has none, and " \
    "a DTD can expand entities or read other files"

/* What a direct child of an entry is. */
typedef enum un_field {
    F_OTHER = 0,
    F_DATAID, F_NAME1, F_NAME2, F_NAME3, F_NAME4, F_PROGRAM, F_REFERENCE, F_LISTED_ON, F_GENDER,
    F_COMMENTS, F_ORIGINAL_SCRIPT,
    F_NATIONALITY, F_TITLE, F_DESIGNATION,                     /* lists of <VALUE> */
    F_ALIAS, F_ADDRESS, F_DOB, F_POB, F_DOCUMENT               /* records of slots */
} un_field;

static const struct { const char *element; un_field field; } field_names[] = {
    {"DATAID", F_DATAID}, {"FIRST_NAME", F_NAME1}, {"SECOND_NAME", F_NAME2},
    {"THIRD_NAME", F_NAME3}, {"FOURTH_NAME", F_NAME4}, {"UN_LIST_TYPE", F_PROGRAM},
    {"REFERENCE_NUMBER", F_REFERENCE}, {"LISTED_ON", F_LISTED_ON}, {"GENDER", F_GENDER},
    {"COMMENTS1", F_COMMENTS}, {"NAME_ORIGINAL_SCRIPT", F_ORIGINAL_SCRIPT},
    {"NATIONALITY", F_NATIONALITY}, {"TITLE", F_TITLE}, {"DESIGNATION", F_DESIGNATION},
    {"INDIVIDUAL_ALIAS", F_ALIAS}, {"ENTITY_ALIAS", F_ALIAS},
    {"INDIVIDUAL_ADDRESS", F_ADDRESS}, {"ENTITY_ADDRESS", F_ADDRESS},
    {"INDIVIDUAL_DATE_OF_BIRTH", F_DOB}, {"INDIVIDUAL_PLACE_OF_BIRTH", F_POB},
    {"INDIVIDUAL_DOCUMENT", F_DOCUMENT},
};

/* Text kept until its group (or, for the name parts and DATAID, its entry) ends. */
typedef enum un_slot {
    S_QUALITY, S_ALIAS_NAME, S_STREET, S_CITY, S_STATE, S_ZIP, S_COUNTRY, S_NOTE,
    S_TYPE_OF_DATE, S_DATE, S_YEAR, S_FROM_YEAR, S_TO_YEAR,
    S_DOC_TYPE, S_DOC_TYPE2, S_NUMBER, S_ISSUING_COUNTRY, S_COUNTRY_OF_ISSUE,
    N_GROUP_SLOTS,
    S_NAME1 = N_GROUP_SLOTS, S_NAME2, S_NAME3, S_NAME4, S_DATAID,
    N_SLOTS
} un_slot;

static const struct { const char *element; un_slot slot; } slot_names[] = {
    {"QUALITY", S_QUALITY}, {"ALIAS_NAME", S_ALIAS_NAME}, {"STREET", S_STREET},
    {"CITY", S_CITY}, {"STATE_PROVINCE", S_STATE}, {"ZIP_CODE", S_ZIP},
    {"COUNTRY", S_COUNTRY}, {"NOTE", S_NOTE}, {"TYPE_OF_DATE", S_TYPE_OF_DATE},
    {"DATE", S_DATE}, {"YEAR", S_YEAR}, {"FROM_YEAR", S_FROM_YEAR}, {"TO_YEAR", S_TO_YEAR},
    {"TYPE_OF_DOCUMENT", S_DOC_TYPE}, {"TYPE_OF_DOCUMENT2", S_DOC_TYPE2},
    {"NUMBER", S_NUMBER}, {"ISSUING_COUNTRY", S_ISSUING_COUNTRY},
    {"COUNTRY_OF_ISSUE", S_COUNTRY_OF_ISSUE},
};

typedef struct un_import {
    dx_import *im;
    const char *source;         /* the file path, for diagnostics */
    xmlTextReaderPtr reader;
    unsigned long errors;       /* error diagnostics of this import */
    dx_xmlsafe xml;             /* libxml2's messages, the DTD and encoding checks */
    int seen_root;
    /* the entry being read */
    int in_entry;
    const char *entry_element;  /* "INDIVIDUAL" or "ENTITY" */
    unsigned long entry_line;
    int entry_bad;              /* an error was reported: the entry is not emitted */
    int has_reference;
    int too_deep_reported;
    size_t raw_used;            /* worst-case JSON bytes handed to dx_entry_add_raw */
    int level;                  /* innermost open element: 0 = the entry, 1 = its child, ... */
    un_field field;             /* the open child of the entry */
    dx_strbuf path;             /* names from level 1 down, joined by '/' */
    size_t path_len[UN_MAX_LEVEL + 1];
    dx_strbuf text;             /* text of the innermost open element */
    int text_too_long;
    dx_strbuf slots[N_SLOTS];
    dx_strbuf compose;          /* a value being put together */
    dx_strbuf key;              /* a raw key for an attribute */
} un_import;

static const dx_xmlsafe_spec un_xml_spec = {
    .encoding_code = "un.encoding",
    .encoding_message = "the file is in UTF-16 or UTF-32; the UN publishes the list in UTF-8, "
                        "the only encoding this importer reads",
    .dtd_code = "un.dtd",
    .dtd_message = UN_DTD_MESSAGE,
    .malformed_code = "un.malformed-xml",
    .warning_code = "un.xml-warning",
    .hint = UN_HINT_SOURCE,
};

/* ---- small text helpers ------------------------------------------------------------------ */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* The text of `b` without leading and trailing white space. */
static const char *trimmed(const dx_strbuf *b, size_t *len)
{
    const char *s = b->data ? b->data : "";
    size_t n = b->len;
    while (n && is_space((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && is_space((unsigned char)s[n - 1]))
        n--;
    *len = n;
    return s;
}

static int is_blank(const dx_strbuf *b)
{
    size_t n;
    trimmed(b, &n);
    return n == 0;
}

/* 1 when the trimmed text of `b` equals `word`, ignoring ASCII case. */
static int slot_is(const dx_strbuf *b, const char *word)
{
    size_t n;
    const char *s = trimmed(b, &n);
    return n == strlen(word) && strncasecmp(s, word, n) == 0;
}

/* 1 when the text of `b` contains `word` (lower-case ASCII), ignoring ASCII case. */
static int slot_contains(const dx_strbuf *b, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; b->data && i + w <= b->len; i++) {
        if (strncasecmp(b->data + i, word, w) == 0)
            return 1;
    }
    return 0;
}

static int slot_has_digit(const dx_strbuf *b)
{
    for (size_t i = 0; i < b->len; i++) {
        if (b->data[i] >= '0' && b->data[i] <= '9')
            return 1;
    }
    return 0;
}

/* Appends the trimmed text of `part` to `out`, after `sep` when `out` is not empty. */
static dx_status join(dx_strbuf *out, const char *sep, const dx_strbuf *part)
{
    size_t n;
    const char *s = trimmed(part, &n);
    if (n == 0)
        return DX_OK;
    dx_status st = out->len ? dx_strbuf_append(out, sep, strlen(sep)) : DX_OK;
    return st == DX_OK ? dx_strbuf_append(out, s, n) : st;
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

/* 1 when the 10 bytes at `s` are a date YYYY-MM-DD (digits and dashes; s has 10 bytes). */
static int is_ymd(const char *s)
{
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7 ? s[i] != '-' : s[i] < '0' || s[i] > '9')
            return 0;
    }
    return 1;
}

/* 1 when `s` (n bytes) is an xs:date: YYYY-MM-DD, then nothing, "Z" or a zone "-04:00". */
static int is_xs_date(const char *s, size_t n)
{
    if (n < 10 || !is_ymd(s))
        return 0;
    s += 10;
    n -= 10;
    return n == 0 || (n == 1 && *s == 'Z') ||
           (n == 6 && (*s == '+' || *s == '-') && s[3] == ':');
}

/* The line of the current node: its own line when libxml2 kept it (element lines are stored
 * in 16 bits), else where the parser is. */
static unsigned long node_line(un_import *u)
{
    xmlNodePtr node = xmlTextReaderCurrentNode(u->reader);
    long line = node ? xmlGetLineNo(node) : -1;
    if (line <= 0 || line >= 65535)
        line = xmlTextReaderGetParserLineNumber(u->reader);
    return line > 0 ? (unsigned long)line : 0;
}

/* ---- diagnostics -------------------------------------------------------------------------- */

static dx_status report(un_import *u, unsigned long line, const char *code, const char *hint,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* An error of the file; DX_OK, or DX_ERR_NOMEM when it could not be kept. */
static dx_status report(un_import *u, unsigned long line, const char *code, const char *hint,
                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dx_status st = dx_diags_addv(u->im->diags, DX_SEV_ERROR, u->source, line, 0, code, hint, fmt,
                                 ap);
    va_end(ap);
    u->errors++;
    return st;
}

/*
 * Folds the status of building the current entry into the import: a size limit makes the
 * entry an error (reported once) and the import goes on; DX_OK goes on; anything else
 * (out of memory) stops the import and is returned.
 */
static dx_status entry_status(un_import *u, dx_status st)
{
    if (st != DX_ERR_LIMIT)
        return st;
    if (u->entry_bad)
        return DX_OK;
    u->entry_bad = 1;
    return report(u, u->entry_line, "un.entry-too-large", NULL,
                  "this %s is larger than the importer's limits (%zu MB of text in all, "
                  "64 KB for the names of nested elements)",
                  u->entry_element, UN_MAX_ENTRY_RAW >> 20);
}

/* ---- building the entry ------------------------------------------------------------------- */

/* One source field into raw, within the entry's budget (escaping can make a byte six). */
static dx_status add_raw(un_import *u, const char *key, const char *value, size_t len)
{
    size_t cost = 6 * (strlen(key) + len) + 8;
    if (cost > UN_MAX_ENTRY_RAW - u->raw_used)
        return DX_ERR_LIMIT;
    u->raw_used += cost;
    return dx_entry_add_raw(u->im->builder, key, value, len);
}

/* A fact whose country is looked up from `country` (a slot; may be blank). */
static dx_status add_fact_country(un_import *u, const char *type, const char *value,
                                  size_t len, const dx_strbuf *country)
{
    size_t clen;
    const char *ctext = trimmed(country, &clen);
    dx_country_match m = {DX_COUNTRY_UNKNOWN, "", ""};
    if (clen && u->im->countries) {
        dx_status st = dx_country_lookup(u->im->countries, ctext, clen, &m);
        if (st != DX_OK)
            return st;
    }
    return dx_entry_add_fact_in(u->im->builder, type, value, len,
                                m.result == DX_COUNTRY_FOUND ? m.alpha2 : NULL);
}

static dx_status add_fact_text(un_import *u, const char *type, const dx_strbuf *text,
                               int resolve_country)
{
    size_t n;
    const char *s = trimmed(text, &n);
    if (resolve_country)
        return add_fact_country(u, type, s, n, text);
    return dx_entry_add_fact_in(u->im->builder, type, s, n, NULL);
}

static dx_status emit_alias(un_import *u)
{
    dx_strbuf *q = &u->slots[S_QUALITY];
    dx_name_kind kind = DX_NAME_ALIAS_STRONG;
    if (slot_is(q, "Low"))
        kind = DX_NAME_ALIAS_WEAK;
    else if (slot_is(q, "f.k.a."))
        kind = DX_NAME_FORMER;
    size_t n;
    const char *name = trimmed(&u->slots[S_ALIAS_NAME], &n);
    return dx_entry_add_name(u->im->builder, kind, name, n);
}

/* An address or a place of birth: "street, city, state, zip, country (note)", the country
 * resolved. */
static dx_status emit_place(un_import *u, const char *type)
{
    static const un_slot parts[] = {S_STREET, S_CITY, S_STATE, S_ZIP, S_COUNTRY};
    dx_strbuf *out = &u->compose;
    dx_strbuf_reset(out);
    dx_status st = DX_OK;
    for (size_t i = 0; i < sizeof parts / sizeof *parts && st == DX_OK; i++)
        st = join(out, ", ", &u->slots[parts[i]]);
    if (st == DX_OK && out->len && !is_blank(&u->slots[S_NOTE])) {
        st = join(out, " (", &u->slots[S_NOTE]);
        if (st == DX_OK)
            st = dx_strbuf_putc(out, ')');
    }
    if (st != DX_OK || out->len == 0) /* a note alone is no place: it stays in raw */
        return st;
    return add_fact_country(u, type, out->data, out->len, &u->slots[S_COUNTRY]);
}

/* A date of birth: the date (DATE, YEAR or FROM_YEAR-TO_YEAR, else the note), after its
 * TYPE_OF_DATE unless EXACT: "1964-04-13", "APPROXIMATELY 1958", "BETWEEN 1955-1958
 * (Approximately)". */
static dx_status emit_dob(un_import *u)
{
    dx_strbuf *out = &u->compose;
    dx_strbuf_reset(out);
    const dx_strbuf *type = &u->slots[S_TYPE_OF_DATE];
    dx_status st = slot_is(type, "EXACT") ? DX_OK : join(out, "", type);
    size_t before = out->len;
    if (st == DX_OK)
        st = join(out, " ", &u->slots[S_DATE]);
    if (st == DX_OK && out->len == before)
        st = join(out, " ", &u->slots[S_YEAR]);
    if (st == DX_OK && out->len == before) {
        st = join(out, " ", &u->slots[S_FROM_YEAR]);
        if (st == DX_OK)
            st = join(out, out->len == before ? " " : "-", &u->slots[S_TO_YEAR]);
    }
    int note_used = 0;
    if (st == DX_OK && out->len == before) {
        st = join(out, " ", &u->slots[S_NOTE]);
        note_used = 1;
    }
    if (out->len == before) /* no date at all: a type alone says nothing */
        return st;
    if (st == DX_OK && !note_used && !is_blank(&u->slots[S_NOTE])) {
        st = join(out, " (", &u->slots[S_NOTE]);
        if (st == DX_OK)
            st = dx_strbuf_putc(out, ')');
    }
    if (st != DX_OK)
        return st;
    return dx_entry_add_fact_in(u->im->builder, "dob", out->data, out->len, NULL);
}

/* An identity document: passport / national_id / document, its number as the value (or, with
 * no NUMBER, the TYPE_OF_DOCUMENT2 or NOTE that carries one), the issuing country resolved. */
static dx_status emit_document(un_import *u)
{
    const dx_strbuf *type = &u->slots[S_DOC_TYPE];
    if (is_blank(type))
        type = &u->slots[S_DOC_TYPE2];
    const char *fact = "document";
    if (slot_contains(type, "passport") || slot_contains(type, "pasaporte") ||
        slot_contains(type, "passeport"))
        fact = "passport";
    else if (slot_contains(type, "national identification") ||
             slot_contains(type, "national id"))
        fact = "national_id";
    const dx_strbuf *value = &u->slots[S_NUMBER];
    if (is_blank(value))
        value = slot_has_digit(&u->slots[S_DOC_TYPE2]) ? &u->slots[S_DOC_TYPE2]
                                                       : &u->slots[S_NOTE];
    if (is_blank(value) || (value != &u->slots[S_NUMBER] && !slot_has_digit(value)))
        return DX_OK;
    const dx_strbuf *country = &u->slots[S_ISSUING_COUNTRY];
    if (is_blank(country))
        country = &u->slots[S_COUNTRY_OF_ISSUE];
    size_t n;
    const char *s = trimmed(value, &n);
    return add_fact_country(u, fact, s, n, country);
}

/* A direct child of the entry has ended with `text`. */
static dx_status end_field(un_import *u)
{
    dx_entry_builder *b = u->im->builder;
    size_t n;
    const char *s = trimmed(&u->text, &n);
    switch (u->field) {
    case F_DATAID: {
        dx_strbuf_reset(&u->slots[S_DATAID]);
        dx_status st = dx_strbuf_append(&u->slots[S_DATAID], s, n);
        return st == DX_OK ? dx_entry_add_fact_in(b, "dataid", s, n, NULL) : st;
    }
    case F_NAME1: case F_NAME2: case F_NAME3: case F_NAME4: {
        dx_strbuf *part = &u->slots[S_NAME1 + (u->field - F_NAME1)];
        return join(part, " ", &u->text);
    }
    case F_PROGRAM: return dx_entry_add_fact_in(b, "program", s, n, NULL);
    case F_REFERENCE:
        if (u->has_reference || n == 0)
            return DX_OK;
        u->has_reference = 1;
        return dx_entry_set_id(b, s, n);
    case F_LISTED_ON: { /* a few are written with a zone: "2015-07-01-04:00" */
        dx_status st = dx_entry_add_fact_in(b, "listed_on", s, n, NULL);
        return st == DX_OK && is_xs_date(s, n) ? dx_entry_set_start_date(b, s, 10) : st;
    }
    case F_GENDER: return dx_entry_add_fact_in(b, "gender", s, n, NULL);
    case F_COMMENTS: return n ? dx_entry_set_remarks(b, s, n) : DX_OK;
    case F_ORIGINAL_SCRIPT: return dx_entry_add_name(b, DX_NAME_ORIGINAL_SCRIPT, s, n);
    case F_ALIAS: return emit_alias(u);
    case F_ADDRESS: return emit_place(u, "address");
    case F_POB: return emit_place(u, "pob");
    case F_DOB: return emit_dob(u);
    case F_DOCUMENT: return emit_document(u);
    case F_NATIONALITY: case F_TITLE: case F_DESIGNATION: case F_OTHER: break;
    }
    return DX_OK;
}

/* A grandchild of the entry (`name`, inside the open field) has ended. */
static dx_status end_subfield(un_import *u, const char *name)
{
    if (u->field == F_NATIONALITY || u->field == F_TITLE || u->field == F_DESIGNATION) {
        if (strcmp(name, "VALUE") != 0)
            return DX_OK;
        const char *type = u->field == F_NATIONALITY ? "nationality"
                           : u->field == F_TITLE     ? "title"
                                                     : "designation";
        return add_fact_text(u, type, &u->text, u->field == F_NATIONALITY);
    }
    if (u->field < F_ALIAS)
        return DX_OK;
    for (size_t i = 0; i < sizeof slot_names / sizeof *slot_names; i++) {
        if (strcmp(name, slot_names[i].element) == 0)
            return join(&u->slots[slot_names[i].slot], "; ", &u->text);
    }
    return DX_OK;
}

static un_field field_of(const char *name)
{
    for (size_t i = 0; i < sizeof field_names / sizeof *field_names; i++) {
        if (strcmp(name, field_names[i].element) == 0)
            return field_names[i].field;
    }
    return F_OTHER;
}

/* The raw key of the innermost element: its path, or the entry's element name. */
static const char *raw_key(un_import *u)
{
    if (u->level == 0)
        return u->entry_element;
    return u->path.data ? u->path.data : "";
}

/* Keeps the non-blank text gathered so far for the innermost element in raw. */
static dx_status flush_text(un_import *u)
{
    dx_status st = DX_OK;
    if (!is_blank(&u->text))
        st = add_raw(u, raw_key(u), u->text.data, u->text.len);
    dx_strbuf_reset(&u->text);
    u->text_too_long = 0;
    return st;
}

/* Every attribute of the element under the reader, into raw as "PATH@name". */
static dx_status keep_attributes(un_import *u)
{
    dx_status st = DX_OK;
    while (st == DX_OK && xmlTextReaderMoveToNextAttribute(u->reader) == 1) {
        const char *name = (const char *)xmlTextReaderConstName(u->reader);
        const char *value = (const char *)xmlTextReaderConstValue(u->reader);
        dx_strbuf_reset(&u->key);
        st = dx_strbuf_printf(&u->key, "%s@%s", raw_key(u), name ? name : "");
        if (st == DX_OK && value)
            st = add_raw(u, u->key.data, value, strlen(value));
    }
    xmlTextReaderMoveToElement(u->reader);
    return st;
}

/* Text (or white space, or CDATA) at `depth` inside an entry: gathered for the innermost open
 * element; the text of elements nested past UN_MAX_LEVEL is ignored (their entry is an
 * error already). */
static dx_status text_of_entry(un_import *u, int depth, const char *text)
{
    if (depth - 3 != u->level || u->text_too_long)
        return DX_OK;
    dx_status st = dx_strbuf_append(&u->text, text, strlen(text));
    if (st != DX_ERR_LIMIT)
        return st;
    u->text_too_long = 1;
    u->entry_bad = 1;
    const char *key = raw_key(u);
    return report(u, node_line(u), "un.text-too-long", NULL,
                  "the text of %.*s is longer than %zu MB", shown(key, strlen(key), 200), key,
                  UN_MAX_TEXT >> 20);
}

/* An element opens `level` levels below the entry: the parent's text so far goes to raw, the
 * path grows, a child of the entry starts its group, attributes go to raw. */
static dx_status start_in_entry(un_import *u, int level, const char *name)
{
    if (level > UN_MAX_LEVEL) {
        if (u->too_deep_reported)
            return DX_OK;
        u->too_deep_reported = u->entry_bad = 1;
        return report(u, node_line(u), "un.too-deep", NULL,
                      "elements are nested more than %d levels deep inside this %s",
                      UN_MAX_LEVEL, u->entry_element);
    }
    dx_status st = entry_status(u, flush_text(u));
    if (st != DX_OK)
        return st;
    u->path_len[level - 1] = u->path.len;
    /* a path past its cap leaves the path as it was and makes the entry an error */
    st = entry_status(u, dx_strbuf_printf(&u->path, "%s%s", level > 1 ? "/" : "", name));
    u->level = level;
    if (level == 1) {
        u->field = field_of(name);
        for (int i = 0; i < N_GROUP_SLOTS; i++)
            dx_strbuf_reset(&u->slots[i]);
    }
    return st == DX_OK ? entry_status(u, keep_attributes(u)) : st;
}

/* The element `level` levels below the entry closes: its text becomes a name, a fact or a
 * slot (unless the entry is already an error), and raw; the path shrinks back. */
static dx_status end_in_entry(un_import *u, int level)
{
    if (level > UN_MAX_LEVEL || level != u->level)
        return DX_OK;
    const char *name = u->path.data ? u->path.data + u->path_len[level - 1] : "";
    if (*name == '/')
        name++;
    dx_status st = DX_OK;
    if (!u->entry_bad) {
        st = level == 1 ? end_field(u) : level == 2 ? end_subfield(u, name) : DX_OK;
        st = entry_status(u, st);
    }
    if (st == DX_OK)
        st = entry_status(u, flush_text(u));
    u->path.len = u->path_len[level - 1];
    if (u->path.data)
        u->path.data[u->path.len] = '\0';
    u->level = level - 1;
    return st;
}

/* An INDIVIDUAL or ENTITY opens: a fresh entry, and everything gathered for the last one
 * forgotten. */
static void begin_entry(un_import *u, const char *element, dx_entry_kind kind)
{
    dx_entry_begin(u->im->builder, UN_LIST_ID, kind);
    u->in_entry = 1;
    u->entry_element = element;
    u->entry_line = node_line(u);
    u->entry_bad = u->has_reference = u->too_deep_reported = 0;
    u->raw_used = 0;
    u->level = 0;
    u->field = F_OTHER;
    dx_strbuf_reset(&u->path);
    dx_strbuf_reset(&u->text);
    u->text_too_long = 0;
    for (int i = 0; i < N_SLOTS; i++)
        dx_strbuf_reset(&u->slots[i]);
}

/* The entry element has ended: check it, name it and hand it on. */
static dx_status end_entry(un_import *u)
{
    u->in_entry = 0;
    dx_status st = entry_status(u, flush_text(u));
    dx_strbuf *name = &u->compose;
    dx_strbuf_reset(name);
    for (int i = S_NAME1; i <= S_NAME4 && st == DX_OK; i++)
        st = join(name, " ", &u->slots[i]);
    if (st == DX_OK)
        st = entry_status(u, dx_entry_add_name(u->im->builder, DX_NAME_PRIMARY,
                                               name->data ? name->data : "", name->len));
    if (st != DX_OK)
        return st;
    size_t idn;
    const char *dataid = trimmed(&u->slots[S_DATAID], &idn);
    if (!u->has_reference) {
        u->entry_bad = 1;
        st = report(u, u->entry_line, "un.missing-reference", UN_HINT_SOURCE,
                    "%s without a REFERENCE_NUMBER (DATAID %.*s)", u->entry_element,
                    idn ? shown(dataid, idn, 40) : 1, idn ? dataid : "-");
    }
    if (st == DX_OK && name->len == 0) {
        u->entry_bad = 1;
        st = report(u, u->entry_line, "un.missing-name", UN_HINT_SOURCE,
                    "%s without a name (FIRST_NAME .. FOURTH_NAME are empty)", u->entry_element);
    }
    if (st != DX_OK || u->entry_bad)
        return st;
    const dx_entry *entry = dx_entry_finish(u->im->builder);
    if (!entry) /* it has an id and a name: only the last append can have failed */
        return DX_ERR_NOMEM;
    return u->im->emit(u->im->emit_ctx, entry);
}

/* ---- the document ------------------------------------------------------------------------- */

/* The root element: CONSOLIDATED_LIST, or the file is refused (DX_ERR_INPUT, reported); its
 * dateGenerated gives the publication date (a warning when there is none). */
static dx_status start_root(un_import *u, const char *name)
{
    if (strcmp(name, UN_ROOT) != 0) {
        dx_status st = report(u, node_line(u), "un.wrong-format",
                              "give the UN Security Council Consolidated List XML "
                              "(consolidated.xml)",
                              "the root element is <%.*s>, not <" UN_ROOT ">: this is not the "
                              "UN Security Council Consolidated List",
                              shown(name, strlen(name), 80), name);
        return st == DX_OK ? DX_ERR_INPUT : st;
    }
    u->seen_root = 1;
    const char *date = NULL;
    while (xmlTextReaderMoveToNextAttribute(u->reader) == 1) {
        const char *attr = (const char *)xmlTextReaderConstName(u->reader);
        if (attr && strcmp(attr, "dateGenerated") == 0)
            date = (const char *)xmlTextReaderConstValue(u->reader);
        if (date)
            break;
    }
    int ok = date && strlen(date) >= 10 && is_ymd(date);
    if (ok)
        memcpy(u->im->publication_date, date, 10);
    u->im->publication_date[ok ? 10 : 0] = '\0';
    xmlTextReaderMoveToElement(u->reader);
    if (ok)
        return DX_OK;
    return dx_diags_add(u->im->diags, DX_SEV_WARNING, u->source, node_line(u), 0, "un.no-date",
                        NULL, "<" UN_ROOT "> has no dateGenerated (YYYY-MM-DD...): the "
                        "publication date is unknown");
}

/* An element opens at `depth` (0 = the root): the root, an entry (depth 2), or something
 * inside an entry. Elements outside entries (INDIVIDUALS, ENTITIES, ...) carry nothing. */
static dx_status start_element(un_import *u, int depth, const char *name)
{
    if (depth == 0)
        return start_root(u, name);
    if (u->in_entry)
        return start_in_entry(u, depth - 2, name);
    if (depth != 2)
        return DX_OK;
    if (strcmp(name, "INDIVIDUAL") == 0)
        begin_entry(u, "INDIVIDUAL", DX_ENTRY_PERSON);
    else if (strcmp(name, "ENTITY") == 0)
        begin_entry(u, "ENTITY", DX_ENTRY_ORGANIZATION);
    else
        return DX_OK;
    return entry_status(u, keep_attributes(u));
}

static dx_status end_element(un_import *u, int depth)
{
    if (!u->in_entry || depth < 2)
        return DX_OK;
    return depth == 2 ? end_entry(u) : end_in_entry(u, depth - 2);
}

/* One node of the reader; DX_ERR_INPUT (already reported) stops the reading. */
static dx_status on_node(un_import *u)
{
    xmlTextReaderPtr r = u->reader;
    int depth = xmlTextReaderDepth(r);
    switch (xmlTextReaderNodeType(r)) {
    case XML_READER_TYPE_ELEMENT: {
        const char *name = (const char *)xmlTextReaderConstLocalName(r);
        dx_status st = start_element(u, depth, name ? name : "");
        if (st == DX_OK && xmlTextReaderIsEmptyElement(r) == 1)
            st = end_element(u, depth);
        return st;
    }
    case XML_READER_TYPE_END_ELEMENT:
        return end_element(u, depth);
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_WHITESPACE:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: {
        const char *text = (const char *)xmlTextReaderConstValue(r);
        return u->in_entry && text ? text_of_entry(u, depth, text) : DX_OK;
    }
    case XML_READER_TYPE_DOCUMENT_TYPE: { /* a backstop: dx_xmlsafe_open refuses DTDs first */
        dx_status st = report(u, node_line(u), "un.dtd", UN_HINT_SOURCE, UN_DTD_MESSAGE);
        return st == DX_OK ? DX_ERR_INPUT : st;
    }
    default:
        return DX_OK;
    }
}

/* The whole file: the prolog checks, then every node of the reader in document order. */
static dx_status read_document(un_import *u, const dx_import_file *f)
{
    dx_status st = dx_xmlsafe_open(&u->xml, f->bytes, f->len, &u->reader);
    if (st != DX_OK)
        return st;
    int rc = 1;
    unsigned long errors_before = u->errors;
    while (st == DX_OK && u->xml.status == DX_OK && (rc = xmlTextReaderRead(u->reader)) == 1)
        st = on_node(u);
    if (st == DX_OK)
        st = u->xml.status;
    if (st != DX_OK)
        return st;
    if (rc < 0 && u->errors == errors_before)
        st = report(u, (unsigned long)xmlTextReaderGetParserLineNumber(u->reader),
                    "un.malformed-xml", UN_HINT_SOURCE, "the XML could not be read");
    else if (rc == 0 && !u->seen_root)
        st = report(u, 0, "un.wrong-format", NULL, "the file has no root element");
    return st;
}

static void un_import_free(un_import *u)
{
    if (u->reader)
        xmlFreeTextReader(u->reader);
    dx_strbuf_free(&u->path);
    dx_strbuf_free(&u->text);
    dx_strbuf_free(&u->compose);
    dx_strbuf_free(&u->key);
    for (int i = 0; i < N_SLOTS; i++)
        dx_strbuf_free(&u->slots[i]);
}

/*
 * Imports the one XML file of a UN Consolidated List publication: each INDIVIDUAL and ENTITY
 * goes to im->emit as a "un_sc" entry; im->publication_date is set from dateGenerated.
 * Problems go to im->diags. Returns DX_OK, DX_ERR_INPUT when any error was reported (entries
 * may have been emitted before it: the caller keeps nothing of such an import), DX_ERR_NOMEM,
 * DX_ERR_INVALID for a call without exactly one file, or the first non-DX_OK status of emit.
 */
dx_status dx_import_un(dx_import *im, const dx_import_file *files, size_t n_files)
{
    if (!im || !im->builder || !im->emit || !files || n_files == 0)
        return DX_ERR_INVALID;
    im->publication_date[0] = '\0';
    un_import u = {.im = im, .source = files[0].path ? files[0].path : ""};
    u.text.max = UN_MAX_TEXT;
    u.path.max = u.key.max = 64 * 1024;
    for (int i = 0; i < N_SLOTS; i++)
        u.slots[i].max = UN_MAX_TEXT * 2;
    dx_status st = DX_OK;
    if (n_files > 1)
        st = report(&u, 0, "un.extra-file", NULL,
                    "the UN list is one XML file; %zu files were given", n_files);
    else if (files[0].len == 0 || !files[0].bytes)
        st = report(&u, 0, "un.empty", UN_HINT_SOURCE, "the file is empty");
    else if (files[0].len > INT_MAX)
        st = report(&u, 0, "un.too-large", NULL, "the file is larger than %d bytes", INT_MAX);
    if (st != DX_OK || u.errors)
        return st != DX_OK ? st : DX_ERR_INPUT;

    dx_xmlsafe_init(&u.xml, &un_xml_spec, im->diags, u.source, &u.errors);
    dx_xmlsafe_begin(&u.xml);
    st = read_document(&u, &files[0]);
    dx_xmlsafe_end(&u.xml);
    un_import_free(&u);
    if (st == DX_OK && u.errors)
        st = DX_ERR_INPUT;
    return st;
}

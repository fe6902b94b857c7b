/*
 * import_us_ear.c — U.S. EAR control data (JSON derived from eCFR) as entries of four lists:
 * us_ccl, us_country_chart, us_country_groups, us_license_exceptions (import.h).
 *
 * The format. Four JSON files, each built from one eCFR issue of 15 CFR by another project's
 * parser (shared/data/controls/PROVENANCE.md): ccl.json (Part 774 Supp. 1), country-chart.json
 * (Part 738 Supp. 1), country-groups.json (Part 740 Supp. 1), license-exception-catalog.json
 * (Part 740). Each is one object carrying "ecfrIssueDate" ("2026-07-23"), which becomes the
 * publication date. The caller picks the importer from the file name; each importer checks
 * the top-level member it lives on ("entries", "countries", "groups", "exceptions") and, when
 * that is missing, says which of the four files the document looks like instead.
 *
 * us_ccl — one entry per element of "entries": entry_id = eccn ("3E001"), kind unknown,
 * primary name = heading (as the file has it: for a few ECCNs the parser ran the License
 * Requirements text into the heading). Facts:
 *   category, product_group      "3", "E"
 *   reason                       one per code of reasonForControl ("NS, MT, AT" → NS, MT, AT).
 *                                The file also writes "MT NP", "MT and AT", "CC 1", "CW, AT.":
 *                                a comma-separated piece made only of codes (two capitals, an
 *                                optional column digit), digits, "and", "or" gives its codes
 *                                without digits; any other piece ("Foreign policy") is kept as
 *                                written, so nothing is dropped.
 *   chart_column                 "NS1": each distinct Country Chart column the entry names, from
 *                                every "XX Column N" in its countryChart cells ("NS Column 2." →
 *                                NS2, "NP Column 1 AT Column 1" → NP1 and AT1). A bare
 *                                "Column 1." (1C351) takes the code its control text starts with.
 *   chart_scope                  "NS1|NS applies to entire entry": one per column per cell, in
 *                                source order: the column, '|', the paragraph it applies to.
 *                                One fact rather than two paired by position, so no consumer
 *                                can pair them wrongly.
 *   chart_other                  "<control>|<requirement>" for a cell that names no column
 *                                ("worldwide", "China, Russia, or Venezuela", UN, § 742.15): the
 *                                chart does not decide those (domain.md §2.4 step 4).
 *   license_exception            "TSR|Yes, except N/A for MT ..." per licenceExceptionFlags key.
 *   sta_special_conditions, related_controls   the text.
 *   paragraph                    "a|text" per topLevelParagraphs member. "items" (full paragraph
 *                                text, categories 1, 3, 4, 5) is kept in raw only.
 *
 * us_country_chart — one entry per destination: the 196 rows of "countries" and the rows of
 * "embargoed" (Cuba, Iran, Korea North, Syria: no marks, a pointer to Part 746). entry_id =
 * ISO alpha-2 of the chart's spelling, primary name = that spelling, strong aliases = the keys
 * of the file's "aliases" that point to the row. Facts: x = "NS1" per column marked X (a mark
 * that is not "XX N" or not one of the file's "columns" is an error: a new column needs a
 * reviewed mapping), footnote = "6|<footnote text>", embargo = the pointer text, territory =
 * "<territory>|<basis>" (country = its alpha-2) for each "territoryInheritance" member whose row
 * this is (Hong Kong → China, Liechtenstein → Switzerland, Cayman Islands → United Kingdom).
 *
 * us_country_groups — one entry per member of "groups": entry_id = the group ("A:5", "B"),
 * name = its label from "labels" (the group id when there is none: a warning). A fact country
 * per member: value = the file's spelling, country = its alpha-2.
 *
 * us_license_exceptions — one entry per symbol of each element of "exceptions": entry_id =
 * the symbol ("TSR"), name = title. §740.8 carries two exceptions (NAC and ACA), so the 27
 * elements of the 2026-07-23 file give 28 entries; both carry the section and every symbol,
 * so that a lookup by either symbol finds it. Facts: section ("15 C.F.R. § 740.6"),
 * section_number ("740.6"), symbol (each), title.
 *
 * Raw. Every member of the source object goes to dx_entry.raw in source order: strings as
 * they are, other values as their compact JSON text. File-level members that belong to no
 * entry (procedure, notes, allDestinationsEntries, byCountry, ...) go to im->meta, one JSON
 * object stored with the version.
 *
 * Countries. The files spell countries as eCFR prints them, and differently from each other
 * ("Korea, South", "Seycheles", "Bahamas, The", "China (PRC)", "Bosnia & Herzegovina",
 * "Cote d'lvoire" with a lower-case L). A spelling is resolved by dx_country_lookup; when that
 * fails, through the file's own "aliases" (the spelling as an alias key, then the alias keys
 * that point to the spelling, which must agree); when that fails too, with a word-initial 'l'
 * read as 'I' (the l/I confusion of "Cote d'lvoire"), then without a trailing part in
 * parentheses (the groups' "Sint Maarten (the Dutch two-fifths of the island of Saint
 * Martin)", which has no alias there); each of those is a warning. A resolution through
 * the aliases is a note naming the alias. A spelling that still does not resolve is a warning;
 * a chart row keeps its entry with entry_id "?:" + spelling, a group member its fact with
 * country "". Two chart rows with the same entry id are an error.
 *
 * Parsing. jansson, over the bytes in memory: JSON_REJECT_DUPLICATES, no NUL in strings, at
 * most 64 MB and 16 levels of nesting (the files use 5), so that the recursive walks below stay
 * shallow. jansson's allocations are routed to dx_malloc/dx_free (json_set_alloc_funcs, set
 * once per process: it is global, and dx_free is free(), so memory jansson allocated before
 * is still freed correctly), which puts them under the failure injection of alloc.h. A syntax
 * error is reported with jansson's line and column and the source line.
 *
 * Errors (source = the file's path; line 0 for problems found after parsing, named by their
 * JSON path, e.g. entries[12] (3E001)): malformed JSON, the wrong file, a missing id or name,
 * a member of the wrong type, an unknown chart mark, a repeated id, an entry whose source text
 * passes 1 MB. A syntax error's column counts characters (UTF-8 sequences), as jansson does; the
 * source line is attached when the column lies within its first 240 bytes (ccl.json is one
 * line of 1.2 MB). Every problem is reported, the entries without one are still emitted, and the
 * import returns DX_ERR_INPUT if there was any error, DX_ERR_NOMEM when memory ran out, or the
 * first status other than DX_OK from im->emit.
 */
#include "import.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "alloc.h"
#include "arena.h"
#include "strbuf.h"
#include "strmap.h"

#define EAR_MAX_BYTES ((size_t)64 << 20)     /* one file */
#define EAR_MAX_DEPTH 16                     /* nesting levels of a document */
#define EAR_MAX_ENTRY_TEXT ((size_t)1 << 20) /* source text of one entry; raw is at most 6x */
#define EAR_MAX_SOURCE_LINE 240              /* bytes of a source line shown with an error */
#define EAR_MAX_COLUMNS 32                   /* distinct chart columns remembered per ECCN */
#define EAR_HINT_SOURCE "take the file again from shared/data/controls/us_ear " \
    "(PROVENANCE.md gives its source and checksum)"

typedef struct ear_file ear_file;

/* What one of the four files looks like, and how its entries are read. */
typedef struct ear_format {
    const char *list_id;
    const char *file_name;     /* for messages: "ccl.json" */
    const char *title;         /* "the Commerce Control List" */
    const char *member;        /* the top-level member the entries live on */
    json_type member_type;
    const char *count_member;  /* a top-level count to check against, or NULL */
    dx_status (*read)(ear_file *f, json_t *member);
} ear_format;

struct ear_file {
    dx_import *im;
    const ear_format *format;
    const char *path;
    json_t *root;
    dx_arena keys;     /* entry ids claimed, composed ids */
    dx_strmap ids;     /* entry id → 1 */
    dx_strbuf text;    /* a fact value being composed */
    size_t entry_text; /* source bytes of the current entry handed to raw */
    int entry_bad;     /* an error was reported for the current entry: it is not emitted */
};

/* ---- jansson set-up ------------------------------------------------------------------------ */

static _Thread_local int json_alloc_failed;
static pthread_once_t json_once = PTHREAD_ONCE_INIT;

static void *json_alloc(size_t size)
{
    void *p = dx_malloc(size);
    if (!p)
        json_alloc_failed = 1;
    return p;
}

static void json_init(void)
{
    json_set_alloc_funcs(json_alloc, dx_free);
}

/* ---- diagnostics --------------------------------------------------------------------------- */

static dx_status ear_diag(ear_file *f, dx_severity sev, const char *code, const char *hint,
                          const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static dx_status ear_diag(ear_file *f, dx_severity sev, const char *code, const char *hint,
                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dx_status st = dx_diags_addv(f->im->diags, sev, f->path, 0, 0, code, hint, fmt, ap);
    va_end(ap);
    if (sev == DX_SEV_ERROR)
        f->entry_bad = 1;
    return st;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_NULL: return "null";
    default: return "a boolean";
    }
}

/* Reports that `where`'s member `key` has the wrong type. */
static dx_status type_error(ear_file *f, const char *where, const char *key, const json_t *v,
                            const char *expected)
{
    return ear_diag(f, DX_SEV_ERROR, "us_ear.type", EAR_HINT_SOURCE,
                    "%s: \"%s\" is %s, expected %s", where, key, type_name(v), expected);
}

/* The string member `key` of `obj`: NULL when absent or null; a type error otherwise. */
static const char *opt_string(ear_file *f, json_t *obj, const char *key, const char *where,
                              dx_status *st)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v) || *st != DX_OK)
        return NULL;
    if (!json_is_string(v)) {
        *st = type_error(f, where, key, v, "a string");
        return NULL;
    }
    return json_string_value(v);
}

/* ---- parsing ------------------------------------------------------------------------------- */

static int too_deep(const json_t *v, int depth)
{
    const char *key;
    json_t *child;
    size_t i;
    if (depth > EAR_MAX_DEPTH)
        return 1;
    if (json_is_object(v)) {
        json_object_foreach((json_t *)v, key, child) {
            if (too_deep(child, depth + 1))
                return 1;
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, child) {
            if (too_deep(child, depth + 1))
                return 1;
        }
    }
    return 0;
}

/* Reports jansson's syntax error at its line and column, with the source line. */
static dx_status syntax_error(ear_file *f, const dx_import_file *file, const json_error_t *err)
{
    unsigned long line = err->line > 0 ? (unsigned long)err->line : 0;
    unsigned long col = err->column > 0 ? (unsigned long)err->column : 0;
    dx_status st = dx_diags_add(f->im->diags, DX_SEV_ERROR, f->path, line, col, "json.syntax",
                                EAR_HINT_SOURCE, "malformed JSON: %s", err->text);
    if (st != DX_OK || line == 0 || col > EAR_MAX_SOURCE_LINE || !file->bytes)
        return st; /* a line shown cut before its column would misplace the caret */
    const char *s = (const char *)file->bytes, *end = s + file->len;
    for (unsigned long l = 1; l < line && s < end; l++) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        s = nl ? nl + 1 : end;
    }
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    size_t len = (size_t)((nl ? nl : end) - s);
    if (len > EAR_MAX_SOURCE_LINE) {
        len = EAR_MAX_SOURCE_LINE;
        while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--; /* not inside a UTF-8 sequence */
    }
    return dx_diags_set_source_line(f->im->diags, s, len);
}

/* Parses the file into f->root; reports what is wrong with it (f->root NULL then). */
static dx_status parse(ear_file *f, const dx_import_file *file)
{
    if (file->len > EAR_MAX_BYTES)
        return ear_diag(f, DX_SEV_ERROR, "json.too-large", NULL,
                        "the file is larger than %zu bytes", EAR_MAX_BYTES);
    pthread_once(&json_once, json_init);
    json_error_t err;
    json_alloc_failed = 0;
    f->root = json_loadb(file->bytes ? (const char *)file->bytes : "", file->len,
                         JSON_REJECT_DUPLICATES, &err);
    if (json_alloc_failed || (!f->root && json_error_code(&err) == json_error_out_of_memory)) {
        json_decref(f->root);
        f->root = NULL;
        return DX_ERR_NOMEM;
    }
    if (!f->root)
        return syntax_error(f, file, &err);
    if (too_deep(f->root, 1)) {
        json_decref(f->root);
        f->root = NULL;
        return ear_diag(f, DX_SEV_ERROR, "json.too-deep", NULL,
                        "the document nests deeper than %d levels", EAR_MAX_DEPTH);
    }
    return DX_OK;
}

/* ---- entries ------------------------------------------------------------------------------- */

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int is_blank(const char *s)
{
    while (s && *s && is_ws(*s))
        s++;
    return !s || !*s;
}

static int is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Claims the entry id `id` (white space collapsed as the builder does); *dup when taken. */
static dx_status claim_id(ear_file *f, const char *id, int *dup)
{
    size_t n = strlen(id), o = 0;
    char *key = dx_arena_alloc(&f->keys, n + 1);
    if (!key)
        return DX_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (is_ws(id[i]) && (o == 0 || key[o - 1] == ' '))
            continue;
        key[o++] = is_ws(id[i]) ? ' ' : id[i];
    }
    while (o && key[o - 1] == ' ')
        o--;
    key[o] = '\0';
    int inserted = 0;
    dx_status st = dx_strmap_put(&f->ids, key, 1, &inserted, NULL);
    *dup = !inserted;
    return st;
}

/* Starts an entry with its id and primary name; the caller has checked both are not blank. */
static dx_status entry_begin(ear_file *f, const char *id, const char *name, const char *where)
{
    int dup = 0;
    f->entry_text = 0;
    f->entry_bad = 0;
    dx_status st = claim_id(f, id, &dup);
    if (st == DX_OK && dup)
        st = ear_diag(f, DX_SEV_ERROR, "us_ear.duplicate-id", EAR_HINT_SOURCE,
                      "%s: the entry id \"%s\" is already taken", where, id);
    dx_entry_builder *b = f->im->builder;
    dx_entry_begin(b, f->format->list_id, DX_ENTRY_UNKNOWN);
    if (st == DX_OK)
        st = dx_entry_set_id(b, id, strlen(id));
    if (st == DX_OK)
        st = dx_entry_add_name(b, DX_NAME_PRIMARY, name, strlen(name));
    return st;
}

/* Emits the entry unless an error was reported for it. */
static dx_status entry_emit(ear_file *f)
{
    if (f->entry_bad)
        return DX_OK;
    const dx_entry *e = dx_entry_finish(f->im->builder);
    if (!e) /* id and name are set, and raw is far below its cap: only memory can fail */
        return DX_ERR_NOMEM;
    return f->im->emit(f->im->emit_ctx, e);
}

/* A building status for `where`: an entry past the size cap is an error, not a failure. */
static dx_status entry_status(ear_file *f, dx_status st, const char *where)
{
    if (st != DX_ERR_LIMIT)
        return st;
    return ear_diag(f, DX_SEV_ERROR, "us_ear.entry-too-large", NULL,
                    "%s: the entry's source text is larger than %zu bytes", where,
                    EAR_MAX_ENTRY_TEXT);
}

static dx_status raw_text(ear_file *f, const char *key, const char *text, size_t len)
{
    f->entry_text += strlen(key) + len;
    if (f->entry_text > EAR_MAX_ENTRY_TEXT)
        return DX_ERR_LIMIT;
    return dx_entry_add_raw(f->im->builder, key, text, len);
}

/* One source member into raw: a string as it is, anything else as compact JSON. */
static dx_status raw_value(ear_file *f, const char *key, const json_t *v)
{
    if (json_is_string(v))
        return raw_text(f, key, json_string_value(v), json_string_length(v));
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!text)
        return DX_ERR_NOMEM;
    dx_status st = raw_text(f, key, text, strlen(text));
    dx_free(text);
    return st;
}

/* Every member of `obj` into raw, in source order. */
static dx_status raw_object(ear_file *f, json_t *obj)
{
    const char *key;
    json_t *v;
    dx_status st = DX_OK;
    json_object_foreach(obj, key, v) {
        if (st == DX_OK)
            st = raw_value(f, key, v);
    }
    return st;
}

static dx_status fact(ear_file *f, const char *type, const char *value)
{
    return dx_entry_add_fact_in(f->im->builder, type, value, strlen(value), NULL);
}

/* The fact "a|b" (or "a" when b is NULL), with `country` (alpha-2 or NULL). */
static dx_status fact_pair(ear_file *f, const char *type, const char *a, const char *b,
                           const char *country)
{
    dx_strbuf_reset(&f->text);
    dx_status st = dx_strbuf_printf(&f->text, "%s|%s", a ? a : "", b ? b : "");
    if (st != DX_OK)
        return st;
    return dx_entry_add_fact_in(f->im->builder, type, f->text.data, f->text.len, country);
}

/* ---- countries ----------------------------------------------------------------------------- */

typedef enum ear_resolved { RES_NONE, RES_DIRECT, RES_ALIAS, RES_REPAIRED } ear_resolved;

/* Looks `text` up: 1 and alpha2 when it names exactly one country. */
static dx_status lookup(ear_file *f, const char *text, char alpha2[3], int *found)
{
    dx_country_match m;
    dx_status st = dx_country_lookup(f->im->countries, text, strlen(text), &m);
    *found = st == DX_OK && m.result == DX_COUNTRY_FOUND;
    if (*found)
        memcpy(alpha2, m.alpha2, 3);
    return st;
}

/* Through the file's aliases: the spelling as a key (lower-cased ASCII), then the keys that
 * point to the spelling, which must all agree. *via gets the alias used. */
static dx_status lookup_alias(ear_file *f, json_t *aliases, const char *spelling,
                              char alpha2[3], int *found, const char **via)
{
    dx_strbuf_reset(&f->text);
    dx_status st = dx_strbuf_append(&f->text, spelling, strlen(spelling));
    for (size_t i = 0; st == DX_OK && i < f->text.len; i++) {
        if (is_upper(f->text.data[i]))
            f->text.data[i] = (char)(f->text.data[i] - 'A' + 'a');
    }
    json_t *target = st == DX_OK ? json_object_get(aliases, f->text.data) : NULL;
    *found = 0;
    if (json_is_string(target))
        st = lookup(f, json_string_value(target), alpha2, found);
    if (st != DX_OK || *found) {
        *via = json_string_value(target);
        return st;
    }
    const char *key;
    json_t *v;
    char code[3];
    json_object_foreach(aliases, key, v) {
        int hit = 0;
        if (st != DX_OK || !json_is_string(v) || strcmp(json_string_value(v), spelling) != 0)
            continue;
        if ((st = lookup(f, key, code, &hit)) != DX_OK || !hit)
            continue;
        if (*found && strcmp(code, alpha2) != 0) {
            *found = 0; /* the aliases disagree: no guess */
            return DX_OK;
        }
        if (!*found)
            *via = key;
        memcpy(alpha2, code, 3);
        *found = 1;
    }
    return st;
}

/* The spelling with each word-initial 'l' read as 'I' ("Cote d'lvoire"); 0 when none. */
static dx_status repair_l(ear_file *f, const char *spelling, char alpha2[3], int *found)
{
    size_t n = strlen(spelling);
    int changed = 0;
    dx_strbuf_reset(&f->text);
    dx_status st = dx_strbuf_append(&f->text, spelling, n);
    for (size_t i = 0; st == DX_OK && i + 1 < n; i++) {
        char prev = i ? spelling[i - 1] : ' ';
        if (spelling[i] == 'l' && !is_upper(prev) && !(prev >= 'a' && prev <= 'z') &&
            spelling[i + 1] >= 'a' && spelling[i + 1] <= 'z') {
            f->text.data[i] = 'I';
            changed = 1;
        }
    }
    *found = 0;
    if (st != DX_OK || !changed)
        return st;
    return lookup(f, f->text.data, alpha2, found);
}

/* The spelling without a trailing parenthesised qualifier ("Sint Maarten (the Dutch
 * two-fifths of the island of Saint Martin)" → "Sint Maarten"); not found when there is none. */
static dx_status drop_qualifier(ear_file *f, const char *spelling, char alpha2[3], int *found)
{
    size_t n = strlen(spelling);
    const char *open = strchr(spelling, '(');
    *found = 0;
    if (!open || open == spelling || n < 2 || spelling[n - 1] != ')' || strchr(open + 1, '('))
        return DX_OK;
    dx_strbuf_reset(&f->text);
    dx_status st = dx_strbuf_append(&f->text, spelling, (size_t)(open - spelling));
    return st == DX_OK ? lookup(f, f->text.data, alpha2, found) : st;
}

/* Resolves a country as the file spells it; reports how when it took more than a lookup. */
static dx_status resolve(ear_file *f, json_t *aliases, const char *spelling, const char *where,
                         char alpha2[3])
{
    int found = 0;
    const char *via = NULL;
    alpha2[0] = '\0';
    if (is_blank(spelling))
        return ear_diag(f, DX_SEV_WARNING, "us_ear.country-unresolved", NULL,
                        "%s: a country without a name", where);
    dx_status st = lookup(f, spelling, alpha2, &found);
    if (st == DX_OK && !found && json_is_object(aliases)) {
        st = lookup_alias(f, aliases, spelling, alpha2, &found, &via);
        if (st == DX_OK && found)
            return ear_diag(f, DX_SEV_NOTE, "us_ear.country-alias", NULL,
                            "%s: \"%s\" resolved to %s through the file's alias \"%s\"", where,
                            spelling, alpha2, via);
    }
    if (st == DX_OK && !found) {
        st = repair_l(f, spelling, alpha2, &found);
        if (st == DX_OK && found)
            return ear_diag(f, DX_SEV_WARNING, "us_ear.country-repaired", EAR_HINT_SOURCE,
                            "%s: \"%s\" resolved to %s only by reading a word-initial 'l' as "
                            "'I' (a typo in the source)", where, spelling, alpha2);
        if (st == DX_OK)
            st = drop_qualifier(f, spelling, alpha2, &found);
        if (st == DX_OK && found)
            return ear_diag(f, DX_SEV_WARNING, "us_ear.country-repaired", EAR_HINT_SOURCE,
                            "%s: \"%s\" resolved to %s only without its part in parentheses",
                            where, spelling, alpha2);
    }
    if (st == DX_OK && !found) {
        alpha2[0] = '\0';
        st = ear_diag(f, DX_SEV_WARNING, "us_ear.country-unresolved",
                      "add the spelling to the project's country variants",
                      "%s: \"%s\" does not reconcile to an ISO 3166 country code", where,
                      spelling);
    }
    return st;
}

/* ---- us_ccl -------------------------------------------------------------------------------- */

/* 1 when the word is a reason code ("NS", "CC1", "AT."), "and", "or" or a column digit. */
static int is_code_word(const char *w, size_t n)
{
    if (n && w[n - 1] == '.')
        n--;
    if ((n == 3 && strncmp(w, "and", 3) == 0) || (n == 2 && strncmp(w, "or", 2) == 0))
        return 1;
    if (n == 1 && is_digit(w[0]))
        return 1;
    return (n == 2 || (n == 3 && is_digit(w[2]))) && is_upper(w[0]) && is_upper(w[1]);
}

/* One comma-separated piece of reasonForControl: its codes, or the piece as written. */
static dx_status ccl_reason_piece(ear_file *f, const char *s, size_t n)
{
    while (n && is_ws(*s))
        s++, n--;
    while (n && (is_ws(s[n - 1]) || s[n - 1] == '.'))
        n--;
    int codes = n > 0;
    for (size_t i = 0; i < n && codes;) {
        size_t j = i;
        while (j < n && !is_ws(s[j]))
            j++;
        codes = is_code_word(s + i, j - i);
        for (i = j; i < n && is_ws(s[i]); i++) {}
    }
    dx_entry_builder *b = f->im->builder;
    if (!codes)
        return n ? dx_entry_add_fact_in(b, "reason", s, n, NULL) : DX_OK;
    dx_status st = DX_OK;
    for (size_t i = 0; i + 1 < n && st == DX_OK; i++) {
        if (is_upper(s[i]) && is_upper(s[i + 1]) && (i == 0 || is_ws(s[i - 1])))
            st = dx_entry_add_fact_in(b, "reason", s + i, 2, NULL);
    }
    return st;
}

static dx_status ccl_reasons(ear_file *f, const char *reasons)
{
    dx_status st = DX_OK;
    const char *s = reasons;
    while (s && st == DX_OK) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        st = ccl_reason_piece(f, s, n);
        s = comma ? comma + 1 : NULL;
    }
    return st;
}

/* The next "XX Column N" of `s` at or after *pos into col ("XXN"); a bare "Column N" takes
 * `fallback` (the code the control text starts with, or ""). 0 when there is none. */
static int next_column(const char *s, size_t *pos, const char *fallback, char col[4])
{
    for (const char *p = strstr(s + *pos, "Column "); p; p = strstr(p + 1, "Column ")) {
        size_t at = (size_t)(p - s);
        if (!is_digit(p[7]) || is_digit(p[8]))
            continue;
        *pos = at + 8;
        if (at >= 3 && p[-1] == ' ' && is_upper(p[-3]) && is_upper(p[-2]) &&
            (at == 3 || !(is_upper(p[-4]) || (p[-4] >= 'a' && p[-4] <= 'z')))) {
            col[0] = p[-3], col[1] = p[-2];
        } else if (fallback[0]) {
            col[0] = fallback[0], col[1] = fallback[1];
        } else {
            continue;
        }
        col[2] = p[7];
        col[3] = '\0';
        return 1;
    }
    return 0;
}

typedef struct ccl_columns {
    char seen[EAR_MAX_COLUMNS][4];
    size_t n;
} ccl_columns;

/* The facts of one countryChart cell: chart_column/chart_scope per column, else chart_other. */
static dx_status ccl_chart_cell(ear_file *f, const char *control, const char *text,
                                ccl_columns *cols)
{
    char fallback[3] = "", col[4];
    if (is_upper(control[0]) && is_upper(control[1]) && control[2] == ' ')
        memcpy(fallback, control, 2);
    size_t pos = 0;
    int any = 0;
    dx_status st = DX_OK;
    while (st == DX_OK && next_column(text, &pos, fallback, col)) {
        size_t i = 0;
        while (i < cols->n && strcmp(cols->seen[i], col) != 0)
            i++;
        int is_new = i == cols->n;
        if (is_new && cols->n < EAR_MAX_COLUMNS)
            memcpy(cols->seen[cols->n++], col, 4);
        if (is_new)
            st = fact(f, "chart_column", col);
        if (st == DX_OK)
            st = fact_pair(f, "chart_scope", col, control, NULL);
        any = 1;
    }
    if (st == DX_OK && !any)
        st = fact_pair(f, "chart_other", control, text, NULL);
    return st;
}

static dx_status ccl_chart(ear_file *f, json_t *cells, const char *where)
{
    ccl_columns cols = {.n = 0};
    size_t i;
    json_t *cell;
    dx_status st = DX_OK;
    json_array_foreach(cells, i, cell) {
        if (st != DX_OK)
            break;
        if (!json_is_object(cell)) {
            st = type_error(f, where, "countryChart[]", cell, "an object");
            continue;
        }
        const char *control = opt_string(f, cell, "control", where, &st);
        const char *text = opt_string(f, cell, "countryChart", where, &st);
        if (st == DX_OK && (control || text))
            st = ccl_chart_cell(f, control ? control : "", text ? text : "", &cols);
    }
    return st;
}

/* "KEY|text" facts of type `type` for each string member of `obj`. */
static dx_status keyed_facts(ear_file *f, json_t *obj, const char *type, const char *member,
                             const char *where)
{
    const char *key;
    json_t *v;
    dx_status st = DX_OK;
    json_object_foreach(obj, key, v) {
        if (st != DX_OK)
            break;
        if (json_is_string(v))
            st = fact_pair(f, type, key, json_string_value(v), NULL);
        else if (!json_is_null(v))
            st = type_error(f, where, member, v, "an object of strings");
    }
    return st;
}

/* The facts of an ECCN from its members (the caller has set id and name). */
static dx_status ccl_facts(ear_file *f, json_t *e, const char *where)
{
    dx_status st = DX_OK;
    static const char *const plain[][2] = {
        {"category", "category"}, {"productGroup", "product_group"},
        {"staSpecialConditions", "sta_special_conditions"},
        {"relatedControls", "related_controls"},
    };
    for (size_t i = 0; i < sizeof plain / sizeof plain[0] && st == DX_OK; i++) {
        const char *v = opt_string(f, e, plain[i][0], where, &st);
        if (v && st == DX_OK)
            st = fact(f, plain[i][1], v);
    }
    const char *reasons = opt_string(f, e, "reasonForControl", where, &st);
    if (reasons && st == DX_OK)
        st = ccl_reasons(f, reasons);
    static const struct { const char *member, *fact; json_type type; } nested[] = {
        {"countryChart", NULL, JSON_ARRAY},
        {"licenceExceptionFlags", "license_exception", JSON_OBJECT},
        {"topLevelParagraphs", "paragraph", JSON_OBJECT},
        {"items", NULL, JSON_ARRAY},
    };
    for (size_t i = 0; i < sizeof nested / sizeof nested[0] && st == DX_OK; i++) {
        json_t *v = json_object_get(e, nested[i].member);
        if (!v || json_is_null(v))
            continue;
        if (json_typeof(v) != nested[i].type)
            st = type_error(f, where, nested[i].member, v,
                            nested[i].type == JSON_ARRAY ? "an array" : "an object");
        else if (i == 0)
            st = ccl_chart(f, v, where);
        else if (nested[i].fact)
            st = keyed_facts(f, v, nested[i].fact, nested[i].member, where);
    }
    return st;
}

static dx_status ccl_entry(ear_file *f, size_t index, json_t *e)
{
    char where[64];
    snprintf(where, sizeof where, "entries[%zu]", index);
    dx_status st = DX_OK;
    f->entry_bad = 0;
    if (!json_is_object(e))
        return type_error(f, where, "entries[]", e, "an object");
    const char *eccn = opt_string(f, e, "eccn", where, &st);
    const char *heading = opt_string(f, e, "heading", where, &st);
    if (st != DX_OK || f->entry_bad)
        return st;
    if (is_blank(eccn) || is_blank(heading))
        return ear_diag(f, DX_SEV_ERROR, "us_ear.missing-field", EAR_HINT_SOURCE,
                        "%s: the entry has no %s", where, is_blank(eccn) ? "eccn" : "heading");
    snprintf(where, sizeof where, "entries[%zu] (%.20s)", index, eccn);
    st = entry_begin(f, eccn, heading, where);
    if (st == DX_OK)
        st = ccl_facts(f, e, where);
    if (st == DX_OK)
        st = raw_object(f, e);
    st = entry_status(f, st, where);
    return st == DX_OK ? entry_emit(f) : st;
}

static dx_status read_ccl(ear_file *f, json_t *entries)
{
    size_t i;
    json_t *e;
    dx_status st = DX_OK;
    json_array_foreach(entries, i, e) {
        if (st == DX_OK)
            st = ccl_entry(f, i, e);
    }
    return st;
}

/* ---- us_country_chart ---------------------------------------------------------------------- */

/* "NS 1" or "NS1" → "NS1"; 0 when the mark is neither. */
static int chart_mark(const char *mark, char col[4])
{
    size_t n = strlen(mark);
    if (n < 3 || n > 4 || !is_upper(mark[0]) || !is_upper(mark[1]) || !is_digit(mark[n - 1]) ||
        (n == 4 && mark[2] != ' '))
        return 0;
    col[0] = mark[0], col[1] = mark[1], col[2] = mark[n - 1], col[3] = '\0';
    return 1;
}

/* 1 when the file's "columns" list the mark (or the file has no such list). */
static int chart_has_column(json_t *columns, const char *col)
{
    size_t i;
    json_t *c;
    char known[4];
    if (!json_is_array(columns))
        return 1;
    json_array_foreach(columns, i, c) {
        if (json_is_string(c) && chart_mark(json_string_value(c), known) && !strcmp(known, col))
            return 1;
    }
    return 0;
}

static dx_status chart_marks(ear_file *f, json_t *marks, const char *where)
{
    size_t i;
    json_t *m;
    char col[4];
    dx_status st = DX_OK;
    json_array_foreach(marks, i, m) {
        if (st != DX_OK)
            break;
        if (!json_is_string(m))
            st = type_error(f, where, "marks[]", m, "a string");
        else if (!chart_mark(json_string_value(m), col) ||
                 !chart_has_column(json_object_get(f->root, "columns"), col))
            st = ear_diag(f, DX_SEV_ERROR, "us_ear.unknown-mark", EAR_HINT_SOURCE,
                          "%s: the mark \"%s\" is not a Country Chart column", where,
                          json_string_value(m));
        else
            st = fact(f, "x", col);
    }
    return st;
}

static dx_status chart_footnotes(ear_file *f, json_t *notes, const char *where)
{
    size_t i;
    json_t *n;
    char number[24];
    dx_status st = DX_OK;
    json_array_foreach(notes, i, n) {
        if (st != DX_OK)
            break;
        if (json_is_integer(n))
            snprintf(number, sizeof number, "%lld", (long long)json_integer_value(n));
        else if (json_is_string(n))
            snprintf(number, sizeof number, "%.20s", json_string_value(n));
        else {
            st = type_error(f, where, "footnotes[]", n, "a number");
            continue;
        }
        json_t *text = json_object_get(json_object_get(f->root, "footnotes"), number);
        if (!json_is_string(text))
            st = ear_diag(f, DX_SEV_WARNING, "us_ear.unknown-footnote", EAR_HINT_SOURCE,
                          "%s: footnote %s has no text in the file's \"footnotes\"", where,
                          number);
        if (st == DX_OK)
            st = fact_pair(f, "footnote", number,
                           json_is_string(text) ? json_string_value(text) : NULL, NULL);
    }
    return st;
}

/* The aliases pointing to the row, as strong aliases, and the territories it governs. */
static dx_status chart_names(ear_file *f, const char *spelling, const char *where)
{
    const char *key;
    json_t *v;
    dx_status st = DX_OK;
    json_object_foreach(json_object_get(f->root, "aliases"), key, v) {
        if (st == DX_OK && json_is_string(v) && strcmp(json_string_value(v), spelling) == 0)
            st = dx_entry_add_name(f->im->builder, DX_NAME_ALIAS_STRONG, key, strlen(key));
    }
    json_object_foreach(json_object_get(f->root, "territoryInheritance"), key, v) {
        const char *row = json_is_object(v) ? json_string_value(json_object_get(v, "row")) : NULL;
        if (st != DX_OK || !row || strcmp(row, spelling) != 0)
            continue;
        char alpha2[3];
        st = resolve(f, NULL, key, where, alpha2);
        if (st == DX_OK)
            st = fact_pair(f, "territory", key,
                           json_string_value(json_object_get(v, "basis")), alpha2);
    }
    return st;
}

/* The facts of one destination row (marks, footnotes, pointer, names, territories). */
static dx_status chart_facts(ear_file *f, const char *spelling, json_t *row, const char *where)
{
    dx_status st = DX_OK;
    const char *pointer = opt_string(f, row, "pointer", where, &st);
    if (st == DX_OK && pointer)
        st = fact(f, "embargo", pointer);
    static const char *const lists[] = {"marks", "footnotes"};
    for (size_t i = 0; i < 2 && st == DX_OK; i++) {
        json_t *v = json_object_get(row, lists[i]);
        if (!v || json_is_null(v))
            continue;
        if (!json_is_array(v))
            st = type_error(f, where, lists[i], v, "an array");
        else
            st = i == 0 ? chart_marks(f, v, where) : chart_footnotes(f, v, where);
    }
    if (st == DX_OK)
        st = chart_names(f, spelling, where);
    return st;
}

static dx_status chart_row(ear_file *f, const char *table, const char *spelling, json_t *row)
{
    char where[160], alpha2[3], *id;
    snprintf(where, sizeof where, "%s[\"%.100s\"]", table, spelling);
    f->entry_bad = 0;
    if (!json_is_object(row))
        return type_error(f, where, table, row, "an object");
    if (is_blank(spelling))
        return ear_diag(f, DX_SEV_ERROR, "us_ear.missing-field", EAR_HINT_SOURCE,
                        "%s: the destination has no name", where);
    dx_status st = resolve(f, json_object_get(f->root, "aliases"), spelling, where, alpha2);
    if (st != DX_OK)
        return st;
    id = alpha2[0] ? alpha2 : NULL;
    dx_strbuf_reset(&f->text);
    if (!id && (st = dx_strbuf_printf(&f->text, "?:%s", spelling)) != DX_OK)
        return st;
    id = id ? id : dx_arena_strndup(&f->keys, f->text.data, f->text.len);
    if (!id)
        return DX_ERR_NOMEM;
    st = entry_begin(f, id, spelling, where);
    if (st == DX_OK)
        st = raw_text(f, "destination", spelling, strlen(spelling));
    if (st == DX_OK)
        st = raw_text(f, "table", table, strlen(table));
    if (st == DX_OK)
        st = raw_object(f, row);
    if (st == DX_OK)
        st = chart_facts(f, spelling, row, where);
    st = entry_status(f, st, where);
    return st == DX_OK ? entry_emit(f) : st;
}

static dx_status read_chart(ear_file *f, json_t *countries)
{
    const char *spelling;
    json_t *row;
    dx_status st = DX_OK;
    json_object_foreach(countries, spelling, row) {
        if (st == DX_OK)
            st = chart_row(f, "countries", spelling, row);
    }
    json_t *embargoed = json_object_get(f->root, "embargoed");
    if (st == DX_OK && embargoed && !json_is_object(embargoed))
        return type_error(f, "the file", "embargoed", embargoed, "an object");
    json_object_foreach(embargoed, spelling, row) {
        if (st == DX_OK)
            st = chart_row(f, "embargoed", spelling, row);
    }
    return st;
}

/* ---- us_country_groups --------------------------------------------------------------------- */

static dx_status group_members(ear_file *f, json_t *members, const char *where)
{
    json_t *aliases = json_object_get(f->root, "aliases");
    size_t i;
    json_t *m;
    char alpha2[3];
    dx_status st = DX_OK;
    json_array_foreach(members, i, m) {
        if (st != DX_OK)
            break;
        if (!json_is_string(m)) {
            st = type_error(f, where, "members[]", m, "a string");
            continue;
        }
        st = resolve(f, aliases, json_string_value(m), where, alpha2);
        if (st == DX_OK)
            st = dx_entry_add_fact_in(f->im->builder, "country", json_string_value(m),
                                      json_string_length(m), alpha2);
    }
    return st;
}

static dx_status group_entry(ear_file *f, const char *group, json_t *members)
{
    char where[80];
    snprintf(where, sizeof where, "groups[\"%.40s\"]", group);
    f->entry_bad = 0;
    if (!json_is_array(members))
        return type_error(f, where, group, members, "an array");
    if (is_blank(group))
        return ear_diag(f, DX_SEV_ERROR, "us_ear.missing-field", EAR_HINT_SOURCE,
                        "%s: the group has no id", where);
    dx_status st = DX_OK;
    const char *label = opt_string(f, json_object_get(f->root, "labels"), group, "labels", &st);
    if (st == DX_OK && is_blank(label)) {
        st = ear_diag(f, DX_SEV_WARNING, "us_ear.no-label", NULL,
                      "%s: the group has no label; its id is its name", where);
        label = group;
    }
    if (st == DX_OK)
        st = entry_begin(f, group, label, where);
    if (st == DX_OK)
        st = raw_text(f, "group", group, strlen(group));
    if (st == DX_OK && label != group)
        st = raw_text(f, "label", label, strlen(label));
    if (st == DX_OK)
        st = raw_value(f, "members", members);
    if (st == DX_OK)
        st = group_members(f, members, where);
    st = entry_status(f, st, where);
    return st == DX_OK ? entry_emit(f) : st;
}

static dx_status read_groups(ear_file *f, json_t *groups)
{
    const char *group;
    json_t *members;
    dx_status st = DX_OK;
    json_t *labels = json_object_get(f->root, "labels");
    if (labels && !json_is_object(labels))
        return type_error(f, "the file", "labels", labels, "an object");
    json_object_foreach(groups, group, members) {
        if (st == DX_OK)
            st = group_entry(f, group, members);
    }
    return st;
}

/* ---- us_license_exceptions ----------------------------------------------------------------- */

static dx_status exception_facts(ear_file *f, json_t *e, json_t *symbols, const char *where)
{
    dx_status st = DX_OK;
    static const char *const plain[][2] = {
        {"section", "section"}, {"sectionNumber", "section_number"}, {"title", "title"},
    };
    for (size_t i = 0; i < sizeof plain / sizeof plain[0] && st == DX_OK; i++) {
        const char *v = opt_string(f, e, plain[i][0], where, &st);
        if (v && st == DX_OK)
            st = fact(f, plain[i][1], v);
    }
    size_t i;
    json_t *s;
    json_array_foreach(symbols, i, s) {
        if (st == DX_OK)
            st = fact(f, "symbol", json_string_value(s));
    }
    return st == DX_OK ? raw_object(f, e) : st;
}

/* The symbols of an exception: an array of non-blank strings, else an error. */
static dx_status exception_symbols(ear_file *f, json_t *e, const char *where, json_t **out)
{
    json_t *symbols = json_object_get(e, "symbols");
    size_t i;
    json_t *s;
    *out = NULL;
    if (!json_is_array(symbols) || json_array_size(symbols) == 0)
        return ear_diag(f, DX_SEV_ERROR, "us_ear.missing-field", EAR_HINT_SOURCE,
                        "%s: the exception has no \"symbols\"", where);
    json_array_foreach(symbols, i, s) {
        if (!json_is_string(s) || is_blank(json_string_value(s)))
            return ear_diag(f, DX_SEV_ERROR, "us_ear.type", EAR_HINT_SOURCE,
                            "%s: symbols[%zu] is not a symbol", where, i);
    }
    *out = symbols;
    return DX_OK;
}

static dx_status exception_entries(ear_file *f, size_t index, json_t *e)
{
    char where[96];
    snprintf(where, sizeof where, "exceptions[%zu]", index);
    f->entry_bad = 0;
    if (!json_is_object(e))
        return type_error(f, where, "exceptions[]", e, "an object");
    json_t *symbols = NULL;
    dx_status st = exception_symbols(f, e, where, &symbols);
    const char *title = opt_string(f, e, "title", where, &st);
    if (st != DX_OK || !symbols || f->entry_bad)
        return st;
    if (is_blank(title))
        return ear_diag(f, DX_SEV_ERROR, "us_ear.missing-field", EAR_HINT_SOURCE,
                        "%s: the exception has no title", where);
    size_t i;
    json_t *s;
    json_array_foreach(symbols, i, s) {
        if (st != DX_OK)
            break;
        snprintf(where, sizeof where, "exceptions[%zu] (%.20s)", index, json_string_value(s));
        st = entry_begin(f, json_string_value(s), title, where);
        if (st == DX_OK)
            st = exception_facts(f, e, symbols, where);
        st = entry_status(f, st, where);
        if (st == DX_OK)
            st = entry_emit(f);
    }
    return st;
}

static dx_status read_exceptions(ear_file *f, json_t *exceptions)
{
    size_t i;
    json_t *e;
    dx_status st = DX_OK;
    json_array_foreach(exceptions, i, e) {
        if (st == DX_OK)
            st = exception_entries(f, i, e);
    }
    return st;
}

/* ---- the four importers -------------------------------------------------------------------- */

static const ear_format FORMATS[] = {
    {"us_ccl", "ccl.json", "the Commerce Control List", "entries", JSON_ARRAY, "entryCount",
     read_ccl},
    {"us_country_chart", "country-chart.json", "the Commerce Country Chart", "countries",
     JSON_OBJECT, "countryCount", read_chart},
    {"us_country_groups", "country-groups.json", "the Country Groups", "groups", JSON_OBJECT,
     NULL, read_groups},
    {"us_license_exceptions", "license-exception-catalog.json", "the License Exception catalog",
     "exceptions", JSON_ARRAY, "count", read_exceptions},
};
#define N_FORMATS (sizeof FORMATS / sizeof FORMATS[0])

/* Reports that the document is not the expected file, naming the one it looks like. */
static dx_status wrong_file(ear_file *f)
{
    const ear_format *want = f->format, *like = NULL;
    for (size_t i = 0; i < N_FORMATS; i++) {
        json_t *m = json_is_object(f->root) ? json_object_get(f->root, FORMATS[i].member) : NULL;
        if (&FORMATS[i] != want && m && json_typeof(m) == FORMATS[i].member_type)
            like = &FORMATS[i];
    }
    return ear_diag(f, DX_SEV_ERROR, "us_ear.wrong-file",
                    "give each file to its own importer (the list is chosen by the file name)",
                    "this is not %s (%s): the document has no top-level \"%s\" %s%s%s",
                    want->title, want->file_name, want->member,
                    want->member_type == JSON_ARRAY ? "array" : "object",
                    like ? "; it looks like " : "", like ? like->file_name : "");
}

/* The eCFR issue date into im->publication_date, when the file carries a valid one. */
static void take_date(ear_file *f)
{
    const char *d = json_string_value(json_object_get(f->root, "ecfrIssueDate"));
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return;
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && !is_digit(d[i]))
            return;
    }
    memcpy(f->im->publication_date, d, 11);
}

/* Warns when the file's own count disagrees with what it holds. */
static dx_status check_count(ear_file *f, json_t *member)
{
    json_t *count = f->format->count_member ? json_object_get(f->root, f->format->count_member)
                                            : NULL;
    size_t have = json_is_array(member) ? json_array_size(member) : json_object_size(member);
    if (!json_is_integer(count) || json_integer_value(count) == (json_int_t)have)
        return DX_OK;
    return ear_diag(f, DX_SEV_WARNING, "us_ear.count-mismatch", EAR_HINT_SOURCE,
                    "\"%s\" says %lld but \"%s\" holds %zu", f->format->count_member,
                    (long long)json_integer_value(count), f->format->member, have);
}

/* The members of the file that belong to no entry (procedure, notes, allDestinationsEntries,
 * byCountry, ...) go to im->meta as one JSON object, stored with the version. */
static dx_status keep_file_members(ear_file *f)
{
    json_t *rest = json_object();
    if (!rest)
        return DX_ERR_NOMEM;
    const char *key;
    json_t *v;
    int failed = 0;
    json_object_foreach(f->root, key, v) {
        if (strcmp(key, f->format->member) != 0)
            failed |= json_object_set(rest, key, v) != 0;
    }
    char *text = failed ? NULL : json_dumps(rest, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(rest);
    if (!text)
        return DX_ERR_NOMEM;
    dx_free(f->im->meta);
    f->im->meta = text; /* jansson allocates through dx_malloc (see the design comment) */
    return DX_OK;
}

static dx_status read_file(ear_file *f, const dx_import_file *file)
{
    f->path = file->path ? file->path : file->name ? file->name : "";
    dx_status st = parse(f, file);
    if (st != DX_OK || !f->root)
        return st;
    json_t *member = json_object_get(f->root, f->format->member);
    if (!json_is_object(f->root) || !member || json_typeof(member) != f->format->member_type)
        st = wrong_file(f);
    else {
        take_date(f);
        st = check_count(f, member);
        if (st == DX_OK)
            st = f->format->read(f, member);
        if (st == DX_OK)
            st = keep_file_members(f);
    }
    json_decref(f->root);
    f->root = NULL;
    return st;
}

static dx_status ear_import(dx_import *im, const dx_import_file *files, size_t n_files,
                            const ear_format *format)
{
    if (!im || !im->diags || !im->builder || !im->emit || !files || n_files == 0)
        return DX_ERR_INVALID;
    size_t errors_before = dx_diags_count_severity(im->diags, DX_SEV_ERROR);
    ear_file f;
    memset(&f, 0, sizeof f);
    f.im = im;
    f.format = format;
    im->publication_date[0] = '\0';
    dx_status st;
    if (n_files > 1) {
        f.path = files[0].path ? files[0].path : "";
        st = ear_diag(&f, DX_SEV_ERROR, "us_ear.extra-file", NULL,
                      "%s is one JSON file (%s); %zu files were given", format->title,
                      format->file_name, n_files);
    } else {
        st = read_file(&f, &files[0]);
    }
    dx_strmap_free(&f.ids);
    dx_arena_free(&f.keys);
    dx_strbuf_free(&f.text);
    if (st == DX_OK && dx_diags_count_severity(im->diags, DX_SEV_ERROR) > errors_before)
        st = DX_ERR_INPUT;
    return st;
}

dx_status dx_import_us_ccl(dx_import *im, const dx_import_file *files, size_t n_files)
{
    return ear_import(im, files, n_files, &FORMATS[0]);
}

dx_status dx_import_us_country_chart(dx_import *im, const dx_import_file *files, size_t n_files)
{
    return ear_import(im, files, n_files, &FORMATS[1]);
}

dx_status dx_import_us_country_groups(dx_import *im, const dx_import_file *files, size_t n_files)
{
    return ear_import(im, files, n_files, &FORMATS[2]);
}

dx_status dx_import_us_license_exceptions(dx_import *im, const dx_import_file *files,
                                          size_t n_files)
{
    return ear_import(im, files, n_files, &FORMATS[3]);
}

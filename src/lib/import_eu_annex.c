/*
 * import_eu_annex.c — Annex I of Regulation (EU) 2021/821 (the EU dual-use list) as JSON,
 * list id "eu_annex_i".
 *
 * The format. There is no official machine-readable Annex I; the file read here is the JSON
 * of the "Export Controls Watch" pipeline, made from the EUR-Lex consolidated text
 * (../shared/data/controls/PROVENANCE.md):
 *
 *   { "corpus_version": "02021R0821-20251115", "celex": "02021R0821",
 *     "valid_from": "2025-11-15", "source_url": "http://publications.europa.eu/...",
 *     "entry_count": 384, "index": [...], "docs": [...], "geas": [...],
 *     "entries": [ { "entry_code": "3E001", "category": "3",
 *                    "verbatim_text": "3E001 \"Technology\" according to ...\n3E001 Note 1: ...",
 *                    "parameters": ["..."], "applicable_notes": ["Note 1: ..."] }, ... ] }
 *
 * What is emitted: one entry per element of "entries" (kind "unknown"): entry_id = its
 * entry_code ("3E001"); name = the heading, i.e. the first line of verbatim_text without the
 * leading code; facts `category`, `paragraph` (each line of verbatim_text, with its code:
 * "3A001.a.1 ..."), `parameter` (each of parameters) and `note` (each of applicable_notes);
 * source_url = the file's source_url. raw keeps every member of the element under its own
 * name, in the file's order: strings as they are, an array of strings as one raw field per
 * element (repeated names are kept), anything else as its compact JSON text.
 * im->publication_date = valid_from (the date the consolidated version applies from).
 * The file's docs, geas and index are not entries of Annex I and are not imported.
 *
 * Parsing. jansson's json_loadb over the bytes, with JSON_REJECT_DUPLICATES (a duplicated key
 * would make the meaning depend on which one wins). jansson reports a syntax error with a
 * line and a column (jansson counts the column in characters, not bytes); values carry no
 * position, so a problem with one entry names it by its index ("entries[17]") and code.
 * jansson allocates through dx_malloc / dx_free (set once, process-wide), so failure
 * injection reaches the parse too; dx_free is free(), so memory jansson took before the
 * switch is still released correctly.
 *
 * Errors (source = the file's path): malformed JSON (line:column), a root without an
 * "entries" array, an entry that is not an object, has no entry_code or no heading, has a
 * member of the wrong type, or repeats a code; an entry_count that differs from the number of
 * entries. Every problem is reported; DX_ERR_INPUT when there was any, DX_ERR_NOMEM when
 * memory ran out.
 */
#include "import.h"

#include <pthread.h>
#include <string.h>

#include <jansson.h>

#include "alloc.h"
#include "strmap.h"

#define EU_LIST_ID "eu_annex_i"
#define EU_MAX_CODE 64
#define EU_HINT_SOURCE "use annex.json of the exports-watch pipeline (Regulation (EU) 2021/821 " \
    "Annex I); see ../shared/data/controls/PROVENANCE.md"

typedef struct eu_import {
    dx_import *im;
    const char *source;
    unsigned long errors;
    const char *source_url;  /* borrowed from the document; NULL when none */
    dx_strmap codes;         /* entry codes seen (keys borrowed from the document) */
} eu_import;

static pthread_once_t alloc_once = PTHREAD_ONCE_INIT;

/* Set when an allocation of jansson's failed on this thread: jansson reports some of those as
 * a syntax error ("invalid token"), which must not be blamed on the file. */
static _Thread_local int json_alloc_failed;

static void *json_alloc(size_t size)
{
    void *p = dx_malloc(size);
    if (!p)
        json_alloc_failed = 1;
    return p;
}

static void route_jansson_alloc(void)
{
    json_set_alloc_funcs(json_alloc, dx_free);
}

static dx_status report(eu_import *e, unsigned long line, unsigned long column, const char *code,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* An error of the file; DX_OK, or DX_ERR_NOMEM when it could not be kept. */
static dx_status report(eu_import *e, unsigned long line, unsigned long column, const char *code,
                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dx_status st = dx_diags_addv(e->im->diags, DX_SEV_ERROR, e->source, line, column, code,
                                 EU_HINT_SOURCE, fmt, ap);
    va_end(ap);
    e->errors++;
    return st;
}

/* How many of the `n` bytes of `s` to show in a message, not splitting a UTF-8 sequence. */
static int shown(const char *s, size_t n, size_t max)
{
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    return (int)n;
}

/* ---- one entry ----------------------------------------------------------------------------- */

/* One member of the element into raw (see the comment at the top). */
static dx_status raw_member(dx_entry_builder *b, const char *key, json_t *value)
{
    if (json_is_string(value))
        return dx_entry_add_raw(b, key, json_string_value(value), json_string_length(value));
    if (json_is_array(value)) {
        size_t i;
        json_t *item;
        dx_status st = DX_OK;
        json_array_foreach(value, i, item) {
            if (st == DX_OK)
                st = raw_member(b, key, item);
        }
        return st;
    }
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!text)
        return DX_ERR_NOMEM;
    dx_status st = dx_entry_add_raw(b, key, text, strlen(text));
    dx_free(text);
    return st;
}

/* 1 when `s` (n bytes) has a byte other than white space. */
static int has_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!strchr(" \t\r\n\v\f", s[i]))
            return 1;
    }
    return 0;
}

/* Each line of verbatim_text is a `paragraph` fact; the first, without its code, the name. */
static dx_status add_text(dx_entry_builder *b, const char *code, const char *text, size_t n)
{
    dx_status st = DX_OK;
    size_t code_len = strlen(code);
    int first = 1;
    while (n > 0 && st == DX_OK) {
        const char *nl = memchr(text, '\n', n);
        size_t len = nl ? (size_t)(nl - text) : n;
        if (first && has_text(text, len)) {
            const char *name = text;
            size_t name_len = len;
            if (len > code_len && memcmp(text, code, code_len) == 0 && text[code_len] == ' ') {
                name += code_len + 1;
                name_len -= code_len + 1;
            }
            st = dx_entry_add_name(b, DX_NAME_PRIMARY, name, name_len);
            first = 0;
        }
        if (st == DX_OK)
            st = dx_entry_add_fact_in(b, "paragraph", text, len, NULL);
        text += nl ? len + 1 : len;
        n -= nl ? len + 1 : len;
    }
    return st;
}

static int is_string_array(json_t *value)
{
    size_t i;
    json_t *item;
    if (!json_is_array(value))
        return 0;
    json_array_foreach(value, i, item) {
        if (!json_is_string(item))
            return 0;
    }
    return 1;
}

/* The member `key` of the element, when present and not null, must be a string (or an array
 * of strings): reported otherwise. */
static dx_status check_member(eu_import *e, size_t index, const char *code, json_t *element,
                              const char *key, int want_array)
{
    json_t *value = json_object_get(element, key);
    if (!value || json_is_null(value) ||
        (want_array ? is_string_array(value) : json_is_string(value)))
        return DX_OK;
    return report(e, 0, 0, "eu.bad-member", "entries[%zu] (%.*s): \"%s\" is not %s", index,
                  shown(code, strlen(code), 40), code, key,
                  want_array ? "an array of strings" : "a string");
}

/* A string member, or each string of an array member, as facts of type `fact`. */
static dx_status add_facts(dx_entry_builder *b, json_t *value, const char *fact)
{
    if (json_is_string(value))
        return dx_entry_add_fact_in(b, fact, json_string_value(value), json_string_length(value),
                                    NULL);
    size_t i;
    json_t *item;
    dx_status st = DX_OK;
    json_array_foreach(value, i, item) {
        if (st == DX_OK && json_is_string(item))
            st = dx_entry_add_fact_in(b, fact, json_string_value(item),
                                      json_string_length(item), NULL);
    }
    return st;
}

/* The entry's code: a non-blank string of at most EU_MAX_CODE bytes, not seen before; NULL
 * when it is not (reported, or *st = DX_ERR_NOMEM). */
static const char *entry_code(eu_import *e, size_t index, json_t *element, dx_status *st)
{
    json_t *value = json_object_get(element, "entry_code");
    const char *code = json_string_value(value);
    size_t len = json_string_length(value);
    if (!code || len > EU_MAX_CODE || !has_text(code, len)) {
        *st = report(e, 0, 0, "eu.missing-code",
                     "entries[%zu] has no entry_code (a string such as \"3E001\")", index);
        return NULL;
    }
    int inserted = 0;
    size_t first = 0;
    *st = dx_strmap_put(&e->codes, code, index, &inserted, &first);
    if (*st == DX_OK && !inserted)
        *st = report(e, 0, 0, "eu.duplicate-code",
                     "entries[%zu]: the entry code %s is already the code of entries[%zu]",
                     index, code, first);
    return *st == DX_OK && inserted ? code : NULL;
}

/* Builds the entry of one element of "entries" (checked) and hands it on. */
static dx_status build_entry(eu_import *e, const char *code, json_t *element)
{
    dx_entry_builder *b = e->im->builder;
    dx_entry_begin(b, EU_LIST_ID, DX_ENTRY_UNKNOWN);
    dx_status st = dx_entry_set_id(b, code, strlen(code));
    json_t *text = json_object_get(element, "verbatim_text");
    if (st == DX_OK && json_is_string(text))
        st = add_text(b, code, json_string_value(text), json_string_length(text));
    json_t *category = json_object_get(element, "category");
    if (st == DX_OK && json_is_string(category))
        st = add_facts(b, category, "category");
    if (st == DX_OK && is_string_array(json_object_get(element, "parameters")))
        st = add_facts(b, json_object_get(element, "parameters"), "parameter");
    if (st == DX_OK && is_string_array(json_object_get(element, "applicable_notes")))
        st = add_facts(b, json_object_get(element, "applicable_notes"), "note");
    if (st == DX_OK && e->source_url)
        st = dx_entry_set_source_url(b, e->source_url, strlen(e->source_url));
    const char *key;
    json_t *value;
    json_object_foreach(element, key, value) {
        if (st == DX_OK)
            st = raw_member(b, key, value);
    }
    if (st != DX_OK)
        return st;
    const dx_entry *entry = dx_entry_finish(b);
    return entry ? e->im->emit(e->im->emit_ctx, entry) : DX_ERR_NOMEM;
}

/* The heading of the element: the first non-blank line of verbatim_text, without its code. */
static int has_heading(const char *code, json_t *text)
{
    const char *s = json_string_value(text);
    size_t n = json_string_length(text);
    size_t code_len = strlen(code);
    while (s && n > 0) {
        const char *nl = memchr(s, '\n', n);
        size_t len = nl ? (size_t)(nl - s) : n;
        if (has_text(s, len)) {
            if (len > code_len && memcmp(s, code, code_len) == 0 && s[code_len] == ' ')
                return has_text(s + code_len, len - code_len);
            return 1;
        }
        s += nl ? len + 1 : len;
        n -= nl ? len + 1 : len;
    }
    return 0;
}

/* One element of "entries": checked (every problem reported), then built and emitted. */
static dx_status import_entry(eu_import *e, size_t index, json_t *element)
{
    if (!json_is_object(element))
        return report(e, 0, 0, "eu.bad-entry", "entries[%zu] is not an object", index);
    unsigned long before = e->errors;
    dx_status st = DX_OK;
    const char *code = entry_code(e, index, element, &st);
    if (!code)
        return st;
    static const struct { const char *key; int array; } members[] = {
        {"category", 0}, {"verbatim_text", 0}, {"parameters", 1}, {"applicable_notes", 1},
    };
    for (size_t i = 0; i < sizeof members / sizeof *members && st == DX_OK; i++)
        st = check_member(e, index, code, element, members[i].key, members[i].array);
    if (st == DX_OK && e->errors == before &&
        !has_heading(code, json_object_get(element, "verbatim_text")))
        st = report(e, 0, 0, "eu.missing-heading",
                    "entries[%zu] (%s) has no heading (the first line of verbatim_text)", index,
                    code);
    if (st != DX_OK || e->errors != before)
        return st;
    return build_entry(e, code, element);
}

/* ---- the document -------------------------------------------------------------------------- */

/* valid_from into im->publication_date; a WARNING when there is none. */
static dx_status publication_date(eu_import *e, json_t *root)
{
    const char *d = json_string_value(json_object_get(root, "valid_from"));
    int ok = d && strlen(d) == 10 && d[4] == '-' && d[7] == '-';
    for (int i = 0; ok && i < 10; i++)
        ok = i == 4 || i == 7 || (d[i] >= '0' && d[i] <= '9');
    if (ok) {
        memcpy(e->im->publication_date, d, 11);
        return DX_OK;
    }
    return dx_diags_add(e->im->diags, DX_SEV_WARNING, e->source, 0, 0, "eu.no-date", NULL,
                        "the file has no valid_from (YYYY-MM-DD): the publication date is "
                        "unknown");
}

static dx_status import_document(eu_import *e, json_t *root)
{
    json_t *entries = json_object_get(root, "entries");
    if (!json_is_object(root) || !json_is_array(entries))
        return report(e, 0, 0, "eu.wrong-format",
                      "this is not the EU Annex I JSON: the root is not an object with an "
                      "\"entries\" array");
    e->source_url = json_string_value(json_object_get(root, "source_url"));
    dx_status st = publication_date(e, root);
    size_t i;
    json_t *element;
    json_array_foreach(entries, i, element) {
        if (st != DX_OK)
            break;
        st = import_entry(e, i, element);
    }
    json_t *count = json_object_get(root, "entry_count");
    if (st == DX_OK && count && (!json_is_integer(count) || json_integer_value(count) < 0 ||
                                 (size_t)json_integer_value(count) != json_array_size(entries)))
        st = report(e, 0, 0, "eu.count-mismatch",
                    "entry_count says %lld entries, but \"entries\" has %zu",
                    json_is_integer(count) ? (long long)json_integer_value(count) : -1LL,
                    json_array_size(entries));
    return st;
}

/*
 * Imports the one JSON file of Annex I: each element of "entries" goes to im->emit as an
 * "eu_annex_i" entry; im->publication_date is set from valid_from. Problems go to im->diags.
 * Returns DX_OK, DX_ERR_INPUT when any error was reported (entries may have been emitted
 * before it: the caller keeps nothing of such an import), DX_ERR_NOMEM, DX_ERR_INVALID for a
 * call without files, or the first non-DX_OK status of emit.
 */
dx_status dx_import_eu_annex(dx_import *im, const dx_import_file *files, size_t n_files)
{
    if (!im || !im->builder || !im->emit || !files || n_files == 0)
        return DX_ERR_INVALID;
    im->publication_date[0] = '\0';
    eu_import e = {.im = im, .source = files[0].path ? files[0].path : ""};
    dx_status st = DX_OK;
    if (n_files > 1)
        st = report(&e, 0, 0, "eu.extra-file", "Annex I is one JSON file; %zu files were given",
                    n_files);
    else if (files[0].len == 0 || !files[0].bytes)
        st = report(&e, 0, 0, "eu.empty", "the file is empty");
    if (st != DX_OK || e.errors)
        return st != DX_OK ? st : DX_ERR_INPUT;

    pthread_once(&alloc_once, route_jansson_alloc);
    json_alloc_failed = 0;
    json_error_t err;
    json_t *root = json_loadb((const char *)files[0].bytes, files[0].len, JSON_REJECT_DUPLICATES,
                              &err);
    if (!root && (json_alloc_failed || json_error_code(&err) == json_error_out_of_memory))
        st = DX_ERR_NOMEM;
    else if (!root)
        st = report(&e, err.line > 0 ? (unsigned long)err.line : 0,
                    err.column > 0 ? (unsigned long)err.column : 0, "eu.malformed-json",
                    "JSON: %s", err.text);
    else
        st = import_document(&e, root);
    json_decref(root);
    dx_strmap_free(&e.codes);
    if (st == DX_OK && e.errors)
        st = DX_ERR_INPUT;
    return st;
}

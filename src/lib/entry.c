/*
 * entry.c — the entry builder (see entry.h).
 *
 * Everything of one entry lives in a scratch arena and two growable arrays that are reset at
 * dx_entry_begin: an import holds one entry at a time, whatever the size of the list.
 */
#include "entry.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "arena.h"
#include "strbuf.h"

struct dx_entry_builder {
    const dx_countries *countries;
    dx_arena arena;
    dx_entry entry;
    dx_entry_name *names;
    size_t n_names, cap_names;
    dx_entry_fact *facts;
    size_t n_facts, cap_facts;
    dx_strbuf raw;
    int raw_fields;
};

const char *dx_entry_kind_name(dx_entry_kind kind)
{
    switch (kind) {
    case DX_ENTRY_PERSON: return "person";
    case DX_ENTRY_ORGANIZATION: return "organization";
    case DX_ENTRY_VESSEL: return "vessel";
    case DX_ENTRY_AIRCRAFT: return "aircraft";
    case DX_ENTRY_UNKNOWN: break;
    }
    return "unknown";
}

const char *dx_name_kind_name(dx_name_kind kind)
{
    switch (kind) {
    case DX_NAME_PRIMARY: return "primary";
    case DX_NAME_ALIAS_STRONG: return "strong_alias";
    case DX_NAME_ALIAS_WEAK: return "weak_alias";
    case DX_NAME_ORIGINAL_SCRIPT: return "original_script";
    case DX_NAME_FORMER: return "former";
    }
    return "primary";
}

dx_status dx_entry_builder_new(const dx_countries *countries, dx_entry_builder **out)
{
    dx_entry_builder *b = dx_calloc(1, sizeof *b);
    if (!b)
        return DX_ERR_NOMEM;
    b->countries = countries;
    b->raw.max = 16 * 1024 * 1024;
    *out = b;
    return DX_OK;
}

void dx_entry_builder_free(dx_entry_builder *b)
{
    if (!b)
        return;
    dx_arena_free(&b->arena);
    dx_free(b->names);
    dx_free(b->facts);
    dx_strbuf_free(&b->raw);
    dx_free(b);
}

void dx_entry_begin(dx_entry_builder *b, const char *list_id, dx_entry_kind kind)
{
    dx_arena_reset(&b->arena);
    memset(&b->entry, 0, sizeof b->entry);
    b->entry.list_id = list_id;
    b->entry.kind = kind;
    b->n_names = b->n_facts = 0;
    dx_strbuf_reset(&b->raw);
    b->raw_fields = 0;
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* A copy with runs of white space collapsed to one space and the ends trimmed; "" stays "". */
static char *clean_copy(dx_entry_builder *b, const char *text, size_t len)
{
    char *out = dx_arena_alloc(&b->arena, len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < len; i++) {
        if (is_ws(text[i])) {
            space = o > 0;
            continue;
        }
        if (space)
            out[o++] = ' ';
        space = 0;
        out[o++] = text[i];
    }
    out[o] = '\0';
    return out;
}

dx_status dx_entry_set_id(dx_entry_builder *b, const char *id, size_t len)
{
    char *copy = clean_copy(b, id, len);
    if (!copy)
        return DX_ERR_NOMEM;
    b->entry.entry_id = copy[0] ? copy : NULL;
    return DX_OK;
}

dx_status dx_entry_add_name(dx_entry_builder *b, dx_name_kind kind, const char *text, size_t len)
{
    char *name = clean_copy(b, text, len);
    if (!name)
        return DX_ERR_NOMEM;
    if (!name[0])
        return DX_OK;
    for (size_t i = 0; i < b->n_names; i++) {
        if (b->names[i].kind == kind && strcmp(b->names[i].text, name) == 0)
            return DX_OK;
    }
    if (b->n_names == b->cap_names) {
        size_t cap = dx_grow_cap(b->cap_names, b->n_names + 1, 1 << 20);
        dx_entry_name *names = cap ? dx_realloc(b->names, cap * sizeof *names) : NULL;
        if (!names)
            return DX_ERR_NOMEM;
        b->names = names;
        b->cap_names = cap;
    }
    if (kind == DX_NAME_PRIMARY && !b->entry.name) {
        /* the primary name goes first */
        memmove(b->names + 1, b->names, b->n_names * sizeof *b->names);
        b->names[0] = (dx_entry_name){kind, name};
        b->entry.name = name;
    } else {
        b->names[b->n_names] = (dx_entry_name){kind, name};
    }
    b->n_names++;
    return DX_OK;
}

dx_status dx_entry_add_fact_in(dx_entry_builder *b, const char *type, const char *value,
                               size_t len, const char *country)
{
    char *text = clean_copy(b, value, len);
    if (!text)
        return DX_ERR_NOMEM;
    if (!text[0])
        return DX_OK;
    if (b->n_facts == b->cap_facts) {
        size_t cap = dx_grow_cap(b->cap_facts, b->n_facts + 1, 1 << 20);
        dx_entry_fact *facts = cap ? dx_realloc(b->facts, cap * sizeof *facts) : NULL;
        if (!facts)
            return DX_ERR_NOMEM;
        b->facts = facts;
        b->cap_facts = cap;
    }
    dx_entry_fact *f = &b->facts[b->n_facts++];
    f->type = type;
    f->value = text;
    snprintf(f->country, sizeof f->country, "%s", country && strlen(country) == 2 ? country : "");
    return DX_OK;
}

dx_status dx_entry_add_fact(dx_entry_builder *b, const char *type, const char *value, size_t len,
                            int resolve_country)
{
    char country[3] = "";
    if (resolve_country && b->countries) {
        dx_country_match m;
        dx_status st = dx_country_lookup(b->countries, value, len, &m);
        if (st != DX_OK)
            return st;
        if (m.result == DX_COUNTRY_FOUND)
            memcpy(country, m.alpha2, 3);
    }
    return dx_entry_add_fact_in(b, type, value, len, country);
}

static dx_status set_text(dx_entry_builder *b, const char **field, const char *text, size_t len)
{
    char *copy = clean_copy(b, text, len);
    if (!copy)
        return DX_ERR_NOMEM;
    *field = copy[0] ? copy : NULL;
    return DX_OK;
}

dx_status dx_entry_set_remarks(dx_entry_builder *b, const char *text, size_t len)
{
    return set_text(b, &b->entry.remarks, text, len);
}

dx_status dx_entry_set_source_url(dx_entry_builder *b, const char *text, size_t len)
{
    return set_text(b, &b->entry.source_url, text, len);
}

dx_status dx_entry_set_start_date(dx_entry_builder *b, const char *text, size_t len)
{
    const char *date = NULL;
    dx_status st = set_text(b, &date, text, len);
    if (st == DX_OK && date && strlen(date) == 10 && date[4] == '-' && date[7] == '-')
        b->entry.start_date = date;
    return st;
}

void dx_entry_add_concerns(dx_entry_builder *b, unsigned bits)
{
    b->entry.concern_types |= bits;
}

/* Appends `text` as a JSON string body: quotes, backslashes and control characters escaped. */
static dx_status json_escape(dx_strbuf *out, const char *text, size_t len)
{
    dx_status st = DX_OK;
    size_t start = 0;
    for (size_t i = 0; i < len && st == DX_OK; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        st = dx_strbuf_append(out, text + start, i - start);
        if (st == DX_OK && (c == '"' || c == '\\'))
            st = dx_strbuf_printf(out, "\\%c", c);
        else if (st == DX_OK)
            st = dx_strbuf_printf(out, "\\u%04x", c);
        start = i + 1;
    }
    return st == DX_OK ? dx_strbuf_append(out, text + start, len - start) : st;
}

dx_status dx_entry_add_raw(dx_entry_builder *b, const char *field, const char *value, size_t len)
{
    dx_status st = dx_strbuf_append(&b->raw, b->raw_fields ? ",\"" : "{\"", 2);
    if (st == DX_OK)
        st = json_escape(&b->raw, field, strlen(field));
    if (st == DX_OK)
        st = dx_strbuf_append(&b->raw, "\":\"", 3);
    if (st == DX_OK)
        st = json_escape(&b->raw, value, len);
    if (st == DX_OK)
        st = dx_strbuf_putc(&b->raw, '"');
    b->raw_fields++;
    return st;
}

const dx_entry *dx_entry_finish(dx_entry_builder *b)
{
    if (!b->entry.entry_id || !b->entry.name)
        return NULL;
    if (dx_strbuf_append(&b->raw, b->raw_fields ? "}" : "{}", b->raw_fields ? 1 : 2) != DX_OK)
        return NULL;
    b->entry.raw = b->raw.data;
    b->entry.names = b->names;
    b->entry.n_names = b->n_names;
    b->entry.facts = b->facts;
    b->entry.n_facts = b->n_facts;
    return &b->entry;
}

/*
 * diag.c — the diagnostics collection.
 *
 * Each entry's strings are packed into one allocation (source, code, message, hint, line text)
 * so that an entry is one malloc and one free, and a sweep of failing allocations stays simple.
 */
#include "dexcheck/diag.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "strbuf.h"

typedef struct entry {
    dx_diag diag;
    size_t order; /* discovery order, for a stable sort */
    char *strings;
    char *line_text;
} entry;

struct dx_diags {
    entry *items;
    size_t len, cap;
    size_t by_severity[3];
};

dx_status dx_diags_new(dx_diags **out)
{
    dx_diags *d = dx_calloc(1, sizeof *d);
    if (!d)
        return DX_ERR_NOMEM;
    *out = d;
    return DX_OK;
}

void dx_diags_free(dx_diags *diags)
{
    if (!diags)
        return;
    for (size_t i = 0; i < diags->len; i++) {
        dx_free(diags->items[i].strings);
        dx_free(diags->items[i].line_text);
    }
    dx_free(diags->items);
    dx_free(diags);
}

dx_status dx_diags_addv(dx_diags *diags, dx_severity severity, const char *source,
                        unsigned long line, unsigned long column, const char *code,
                        const char *hint, const char *fmt, va_list ap)
{
    if (!diags || !fmt || severity > DX_SEV_ERROR)
        return DX_ERR_INVALID;
    if (diags->len == diags->cap) {
        size_t cap = dx_grow_cap(diags->cap, diags->len + 1, SIZE_MAX / sizeof(entry));
        entry *items = cap ? dx_realloc(diags->items, cap * sizeof *items) : NULL;
        if (!items)
            return DX_ERR_NOMEM;
        diags->items = items;
        diags->cap = cap;
    }
    source = source ? source : "";
    code = code ? code : "";
    dx_strbuf b = DX_STRBUF_INIT;
    size_t src_len = strlen(source), code_len = strlen(code);
    dx_status st = dx_strbuf_append(&b, source, src_len + 1);
    if (st == DX_OK)
        st = dx_strbuf_append(&b, code, code_len + 1);
    size_t msg_at = b.len;
    if (st == DX_OK)
        st = dx_strbuf_vprintf(&b, fmt, ap);
    size_t hint_at = b.len + 1;
    if (st == DX_OK)
        st = dx_strbuf_append(&b, "", 1);
    if (st == DX_OK && hint)
        st = dx_strbuf_append(&b, hint, strlen(hint) + 1);
    if (st != DX_OK) {
        dx_strbuf_free(&b);
        return st;
    }
    entry *e = &diags->items[diags->len];
    e->strings = b.data;
    e->line_text = NULL;
    e->order = diags->len;
    e->diag = (dx_diag){severity, b.data, line, column, b.data + src_len + 1, b.data + msg_at,
                        hint ? b.data + hint_at : NULL, NULL};
    diags->len++;
    diags->by_severity[severity]++;
    return DX_OK;
}

dx_status dx_diags_add(dx_diags *diags, dx_severity severity, const char *source,
                       unsigned long line, unsigned long column, const char *code,
                       const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dx_status st = dx_diags_addv(diags, severity, source, line, column, code, hint, fmt, ap);
    va_end(ap);
    return st;
}

dx_status dx_diags_set_source_line(dx_diags *diags, const char *text, size_t len)
{
    if (!diags || !diags->len || !text)
        return DX_ERR_INVALID;
    entry *e = &diags->items[diags->len - 1];
    char *copy = dx_strndup(text, len);
    if (!copy)
        return DX_ERR_NOMEM;
    dx_free(e->line_text);
    e->line_text = copy;
    e->diag.source_line = copy;
    return DX_OK;
}

size_t dx_diags_count(const dx_diags *diags)
{
    return diags ? diags->len : 0;
}

size_t dx_diags_count_severity(const dx_diags *diags, dx_severity severity)
{
    return diags && severity <= DX_SEV_ERROR ? diags->by_severity[severity] : 0;
}

const dx_diag *dx_diags_get(const dx_diags *diags, size_t i)
{
    return diags && i < diags->len ? &diags->items[i].diag : NULL;
}

static int compare_entries(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = strcmp(x->diag.source, y->diag.source);
    if (c)
        return c;
    if (x->diag.line != y->diag.line)
        return x->diag.line < y->diag.line ? -1 : 1;
    if (x->diag.column != y->diag.column)
        return x->diag.column < y->diag.column ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

void dx_diags_sort(dx_diags *diags)
{
    if (diags && diags->len > 1)
        qsort(diags->items, diags->len, sizeof *diags->items, compare_entries);
}

const char *dx_severity_str(dx_severity severity)
{
    switch (severity) {
    case DX_SEV_NOTE:
        return "note";
    case DX_SEV_WARNING:
        return "warning";
    case DX_SEV_ERROR:
        return "error";
    }
    return "error";
}

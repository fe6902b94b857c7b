/* strbuf.c — see strbuf.h. */
#include "strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"

static size_t buf_max(const dx_strbuf *b)
{
    return b->max ? b->max : SIZE_MAX / 2;
}

dx_status dx_strbuf_reserve(dx_strbuf *b, size_t extra)
{
    if (extra > buf_max(b) - b->len)
        return DX_ERR_LIMIT;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return DX_OK;
    size_t cap = dx_grow_cap(b->cap, need, buf_max(b) + 1);
    char *data = dx_realloc(b->data, cap);
    if (!data)
        return DX_ERR_NOMEM;
    b->data = data;
    b->cap = cap;
    return DX_OK;
}

dx_status dx_strbuf_append(dx_strbuf *b, const void *bytes, size_t n)
{
    dx_status st = dx_strbuf_reserve(b, n);
    if (st != DX_OK)
        return st;
    if (n)
        memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
    return DX_OK;
}

dx_status dx_strbuf_putc(dx_strbuf *b, char c)
{
    return dx_strbuf_append(b, &c, 1);
}

dx_status dx_strbuf_puts(dx_strbuf *b, const char *s)
{
    return dx_strbuf_append(b, s, strlen(s));
}

/* Formats into the room the buffer already has; only when that is too small, grows it and
 * formats again (most calls format once). */
dx_status dx_strbuf_vprintf(dx_strbuf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    size_t room = b->cap > b->len ? b->cap - b->len : 0;
    int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, again);
    va_end(again);
    if (n < 0) {
        if (b->data)
            b->data[b->len] = '\0';
        return DX_ERR_INVALID;
    }
    if ((size_t)n >= room) {
        dx_status st = dx_strbuf_reserve(b, (size_t)n);
        if (st != DX_OK) {
            if (b->data)
                b->data[b->len] = '\0';
            return st;
        }
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    }
    b->len += (size_t)n;
    return DX_OK;
}

dx_status dx_strbuf_printf(dx_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dx_status st = dx_strbuf_vprintf(b, fmt, ap);
    va_end(ap);
    return st;
}

char *dx_strbuf_detach(dx_strbuf *b)
{
    char *data = b->data;
    if (!data)
        data = dx_strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return data;
}

void dx_strbuf_reset(dx_strbuf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void dx_strbuf_free(dx_strbuf *b)
{
    dx_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

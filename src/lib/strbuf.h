/*
 * strbuf.h — a growable byte buffer with a size cap, always NUL-terminated.
 *
 * Used wherever the library builds text of unknown length (decoded files, messages). The cap
 * bounds memory on hostile input: an append past it fails with DX_ERR_LIMIT.
 */
#ifndef DX_STRBUF_H
#define DX_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "dexcheck/status.h"

typedef struct dx_strbuf {
    char *data;  /* NUL-terminated when len > 0 or after any append; may be NULL when empty */
    size_t len;
    size_t cap;
    size_t max;  /* maximum len; 0 = SIZE_MAX / 2 */
} dx_strbuf;

#define DX_STRBUF_INIT {NULL, 0, 0, 0}

dx_status dx_strbuf_reserve(dx_strbuf *b, size_t extra);
dx_status dx_strbuf_append(dx_strbuf *b, const void *bytes, size_t n);
dx_status dx_strbuf_putc(dx_strbuf *b, char c);
dx_status dx_strbuf_puts(dx_strbuf *b, const char *s); /* append a NUL-terminated string */
dx_status dx_strbuf_printf(dx_strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
dx_status dx_strbuf_vprintf(dx_strbuf *b, const char *fmt, va_list ap);
/* Gives up ownership of the data (never NULL on success: "" for an empty buffer). */
char *dx_strbuf_detach(dx_strbuf *b);
void dx_strbuf_reset(dx_strbuf *b); /* len = 0, keeps memory */
void dx_strbuf_free(dx_strbuf *b);

#endif

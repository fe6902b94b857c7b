/*
 * report_text.c — escaping and repairing text for the report's outputs (see report_text.h).
 *
 * One decoder walks the UTF-8 of every string: it yields a code point and the length of its
 * sequence, or U+FFFD and 1 for a byte that does not start a valid sequence, so that each
 * output sees the same repaired text. Runs of bytes that need no escaping are appended in one
 * piece, which keeps the common case (ASCII names and ids) at memcpy speed.
 */
#include "report_text.h"

#include <stdint.h>
#include <string.h>

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/*
 * Decode one code point at s (NUL-terminated). Returns the length of a valid sequence and its
 * code point in *cp, or 0 for an invalid byte (then *cp = U+FFFD and the caller skips 1 byte).
 */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (len == 0) {
        *cp = 0xFFFD;
        return 0;
    }
    uint32_t v = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 0;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    int overlong = (len == 3 && v < 0x800) || (len == 4 && v < 0x10000);
    if (overlong || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) {
        *cp = 0xFFFD;
        return 0;
    }
    *cp = v;
    return len;
}

int dx_report_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp;
    while (*p) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        size_t n = utf8_decode(p, &cp);
        if (n == 0)
            return 0;
        p += n;
    }
    return 1;
}

/* Append the sequence at p (n bytes; n == 0 means an invalid byte: U+FFFD). */
static dx_status append_seq(dx_strbuf *b, const unsigned char *p, size_t n)
{
    return n ? dx_strbuf_append(b, p, n) : dx_strbuf_append(b, replacement, 3);
}

static int json_plain(unsigned c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

static dx_status json_escape(dx_strbuf *b, unsigned c)
{
    switch (c) {
    case '"': return dx_strbuf_append(b, "\\\"", 2);
    case '\\': return dx_strbuf_append(b, "\\\\", 2);
    case '\n': return dx_strbuf_append(b, "\\n", 2);
    case '\r': return dx_strbuf_append(b, "\\r", 2);
    case '\t': return dx_strbuf_append(b, "\\t", 2);
    case '\b': return dx_strbuf_append(b, "\\b", 2);
    case '\f': return dx_strbuf_append(b, "\\f", 2);
    default: return dx_strbuf_printf(b, "\\u%04x", c);
    }
}

dx_status dx_report_json_string(dx_strbuf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    dx_status st = dx_strbuf_putc(b, '"');
    while (st == DX_OK && *p) {
        const unsigned char *run = p;
        while (json_plain(*p))
            p++;
        if (p > run && (st = dx_strbuf_append(b, run, (size_t)(p - run))) != DX_OK)
            return st;
        if (!*p)
            break;
        if (*p < 0x80) {
            st = json_escape(b, *p++);
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode(p, &cp);
        st = append_seq(b, p, n);
        p += n ? n : 1;
    }
    return st == DX_OK ? dx_strbuf_putc(b, '"') : st;
}

int dx_report_csv_risky(const char *s)
{
    return s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

dx_status dx_report_csv_field(dx_strbuf *b, const char *s, int guard)
{
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    dx_status st = DX_OK;
    if (quote)
        st = dx_strbuf_putc(b, '"');
    if (st == DX_OK && guard && dx_report_csv_risky(s))
        st = dx_strbuf_putc(b, '\'');
    const unsigned char *p = (const unsigned char *)s;
    while (st == DX_OK && *p) {
        const unsigned char *run = p;
        while (*p && *p < 0x80 && *p != '"')
            p++;
        if (p > run && (st = dx_strbuf_append(b, run, (size_t)(p - run))) != DX_OK)
            return st;
        if (!*p)
            break;
        if (*p == '"') {
            st = dx_strbuf_append(b, "\"\"", 2);
            p++;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode(p, &cp);
        st = append_seq(b, p, n);
        p += n ? n : 1;
    }
    if (st == DX_OK && quote)
        st = dx_strbuf_putc(b, '"');
    return st;
}

/* Code points in s, an invalid byte counting as one (as it becomes one U+FFFD). */
static size_t count_chars(const unsigned char *p)
{
    size_t chars = 0;
    uint32_t cp;
    while (*p) {
        size_t n = *p < 0x80 ? 1 : utf8_decode(p, &cp);
        p += n ? n : 1;
        chars++;
    }
    return chars;
}

dx_status dx_report_clean_text(dx_strbuf *b, const char *s, size_t max_chars,
                               const char *cut_note)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t keep = SIZE_MAX;
    if (count_chars(p) > max_chars) {
        size_t note = count_chars((const unsigned char *)cut_note);
        keep = max_chars > note ? max_chars - note : 0;
    }
    dx_status st = DX_OK;
    for (size_t chars = 0; st == DX_OK && *p && chars < keep; chars++) {
        uint32_t cp;
        size_t n = *p < 0x80 ? 1 : utf8_decode(p, &cp);
        st = append_seq(b, p, n);
        p += n ? n : 1;
    }
    if (st == DX_OK && *p)
        st = dx_strbuf_append(b, cut_note, strlen(cut_note));
    return st;
}

/* Columns a code point takes on screen (a simplified East Asian Width). */
static size_t cp_width(uint32_t c)
{
    if ((c >= 0x300 && c <= 0x36F) || (c >= 0x200B && c <= 0x200F))
        return 0;
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
        (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
        (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    return 1;
}

/* Walk the lines of s: the widest line's width, and the wrapped line count at `width`. */
static size_t measure(const char *s, double width, size_t *wrapped)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t best = 0, line = 0, lines = 0;
    for (;;) {
        uint32_t cp = *p;
        size_t n = *p < 0x80 ? 1 : utf8_decode(p, &cp);
        if (cp == '\n' || cp == 0) {
            double need = (double)line * 0.9 / (width > 1 ? width : 1);
            size_t k = (size_t)need;
            lines += line == 0 ? 1 : k + ((double)k < need);
            best = line > best ? line : best;
            line = 0;
            if (cp == 0)
                break;
        } else {
            line += cp_width(cp);
        }
        p += n ? n : 1;
    }
    *wrapped = lines;
    return best;
}

size_t dx_report_display_width(const char *s)
{
    size_t lines;
    return measure(s, 1, &lines);
}

size_t dx_report_wrapped_lines(const char *s, double width)
{
    size_t lines;
    measure(s, width, &lines);
    return lines;
}

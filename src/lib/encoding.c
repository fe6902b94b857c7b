/*
 * encoding.c — detect the encoding of a record file and decode it to UTF-8.
 *
 * How decoding works
 *
 * Every decoder walks the input once and appends to one growable output buffer. Nothing is
 * replaced silently: each bad sequence, and each NUL character, is recorded as a
 * dx_decode_error (input offset, output offset, first bytes, problem) and written as U+FFFD,
 * then decoding resumes after the bad bytes. Record files are overwhelmingly ASCII (digits,
 * delimiters, Latin names), so every decoder first skips ASCII 8 bytes at a time with a word
 * test that also rejects 0x00, and copies such runs with one memcpy.
 *
 * - UTF-8 is validated by hand against the well-formed table of Unicode (ch. 3, table 3-7): no
 *   overlongs, no surrogates, nothing above U+10FFFF. A bad sequence is replaced by one U+FFFD
 *   per "maximal subpart" (the Unicode / WHATWG practice), so ED A0 80 (a surrogate) gives
 *   three errors and E3 81 followed by 'A' gives one error and keeps the 'A'.
 * - UTF-16 is decoded by hand: surrogate pairs are checked; a lone surrogate is one INVALID
 *   error of 2 bytes; a high surrogate or an odd byte at the end of the file is TRUNCATED.
 * - CP932, EUC-JP, GB18030, CP1252 and Latin-1 go through iconv (glibc), opened once per
 *   dx_decode call. Calling iconv per character would cost far more than the conversion, so
 *   ASCII runs are copied directly and only runs of non-ASCII characters go to iconv (with
 *   ASCII gaps of up to 4 bytes inside them, as in "山田 太郎": fewer calls). The run
 *   boundaries must be character boundaries: in CP932 a trail byte may be ASCII (ソ is 83 5C),
 *   so a run is grown unit by unit with the encoding's lead-byte rules (the dx_*_unit
 *   functions), never by looking at single bytes. Those rules also decide structure: a lead
 *   byte whose next byte cannot continue it is one INVALID error covering the lead byte alone,
 *   and decoding resumes at the next byte, so a delimiter after a stray lead byte (81 2C) is
 *   kept; a unit cut by the end of the file is TRUNCATED. A structurally complete unit that
 *   iconv does not map (EILSEQ, e.g. CP932 85 40) is one INVALID error covering the whole unit.
 *   EUC-JP bytes 80–8D and 90–A0 are rejected as the WHATWG Encoding Standard does, although
 *   glibc would map most of them to C1 controls: no real record contains them.
 *
 * How detection works (DX_ENC_AUTO; the user-facing account is docs/encodings.md)
 *
 * 1. A byte-order mark decides: EF BB BF is UTF-8, FF FE UTF-16LE, FE FF UTF-16BE. A BOM also
 *    overrides a requested encoding (it cannot appear by accident in a record file).
 * 2. If the whole input is valid UTF-8 (pure ASCII included), it is UTF-8. The validation is
 *    the decode itself, so a UTF-8 file is read once.
 * 3. Otherwise each candidate (UTF-8, CP932, EUC-JP, GB18030, CP1252) decodes a sample, 64 KiB
 *    from the first non-ASCII byte (plus up to 64 bytes of ASCII before it: every byte before
 *    the first non-ASCII byte is ASCII, so the sample starts on a character boundary in every
 *    candidate) and gets a cost; the cheapest wins, ties going to the earlier candidate.
 *      cost = 10 × bad sequences + 2 × implausible characters + 1 × rare characters
 *    Bad: the decoder's INVALID errors (and TRUNCATED at the real end of the file).
 *    Implausible, for every candidate: C1 controls, private-use characters (user-defined
 *    areas), half-width katakana. For the CJK candidates also a character alone between two
 *    ASCII letters (Latin text read as CJK pairs an accented letter with the next letter) and,
 *    for GB18030 only, kana (GB2312 has kana at the same codes as EUC-JP, but Chinese text has
 *    almost none, while Japanese text is full of them). For CP1252 a non-ASCII character right
 *    after another one (Latin text has accented letters alone; CJK bytes come in runs).
 *    Rare, from the bytes: JIS level-2 kanji and extensions (CP932 leads 99–9F, E0–EA, ED–EE,
 *    FA–FC; EUC-JP leads D0–F4 and 8F), and GB18030 characters outside GB2312 level 1 (not
 *    A1–D7 followed by A1–FE). These separate EUC-JP from GB18030 when both decode cleanly.
 *    UTF-8 competes in step 3 so that a UTF-8 file with one stray byte stays UTF-8 (with that
 *    byte reported) instead of turning into CP1252 mojibake; likewise a CP932 file with one bad
 *    byte costs 10 in CP932 but far more in every other candidate. Latin-1 is never detected:
 *    CP1252 decodes every Latin-1 text letter the same way and only differs in 80–9F, where
 *    Latin-1 has C1 controls that no text contains.
 */
#include "dexcheck/encoding.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "encoding_int.h"

#define DX_SAMPLE_BYTES ((size_t)64 * 1024)
#define DX_SAMPLE_CONTEXT ((size_t)64)
#define DX_COST_BAD 10
#define DX_COST_ODD 2
#define DX_COST_RARE 1
#define DX_N_ENCODINGS (DX_ENC_LATIN1 + 1)

static const char dx_replacement[3] = {'\xEF', '\xBF', '\xBD'}; /* U+FFFD in UTF-8 */

/* ---- names ---------------------------------------------------------------------------- */

static const struct {
    const char *key; /* lower case, without '-' and '_' */
    dx_encoding encoding;
} dx_encoding_aliases[] = {
    {"auto", DX_ENC_AUTO},       {"utf8", DX_ENC_UTF8},          {"utf16le", DX_ENC_UTF16LE},
    {"utf16be", DX_ENC_UTF16BE}, {"shiftjis", DX_ENC_CP932},     {"sjis", DX_ENC_CP932},
    {"cp932", DX_ENC_CP932},     {"windows31j", DX_ENC_CP932},   {"ms932", DX_ENC_CP932},
    {"eucjp", DX_ENC_EUCJP},     {"gb18030", DX_ENC_GB18030},    {"gbk", DX_ENC_GB18030},
    {"gb2312", DX_ENC_GB18030},  {"cp1252", DX_ENC_CP1252},      {"windows1252", DX_ENC_CP1252},
    {"latin1", DX_ENC_LATIN1},   {"iso88591", DX_ENC_LATIN1},
};

dx_status dx_encoding_parse(const char *name, dx_encoding *out)
{
    if (!name || !out)
        return DX_ERR_INVALID;
    char key[16];
    size_t n = 0;
    for (const char *p = name; *p; p++) {
        if (*p == '-' || *p == '_')
            continue;
        if (n + 1 == sizeof key)
            return DX_ERR_NOT_FOUND;
        char c = *p;
        key[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    key[n] = '\0';
    for (size_t i = 0; i < sizeof dx_encoding_aliases / sizeof dx_encoding_aliases[0]; i++) {
        if (strcmp(key, dx_encoding_aliases[i].key) == 0) {
            *out = dx_encoding_aliases[i].encoding;
            return DX_OK;
        }
    }
    return DX_ERR_NOT_FOUND;
}

const char *dx_encoding_name(dx_encoding enc)
{
    switch (enc) {
    case DX_ENC_UTF8: return "UTF-8";
    case DX_ENC_UTF16LE: return "UTF-16LE";
    case DX_ENC_UTF16BE: return "UTF-16BE";
    case DX_ENC_CP932: return "CP932";
    case DX_ENC_EUCJP: return "EUC-JP";
    case DX_ENC_GB18030: return "GB18030";
    case DX_ENC_CP1252: return "CP1252";
    case DX_ENC_LATIN1: return "ISO-8859-1";
    case DX_ENC_AUTO: break;
    }
    return "auto";
}

/* glibc's iconv name for an iconv-backed encoding; NULL for the hand-written ones. */
static const char *dx_iconv_name(dx_encoding enc)
{
    switch (enc) {
    case DX_ENC_CP932: return "CP932";
    case DX_ENC_EUCJP: return "EUC-JP";
    case DX_ENC_GB18030: return "GB18030";
    case DX_ENC_CP1252: return "CP1252";
    case DX_ENC_LATIN1: return "ISO-8859-1";
    default: return NULL;
    }
}

/* ---- the decoder state and its output --------------------------------------------------- */

typedef struct dx_decoder {
    const unsigned char *src; /* the bytes to decode (after any BOM); borrowed */
    size_t len;
    size_t base;              /* offset of src[0] in the caller's input, for src_offset */
    int at_eof;               /* src ends where the input ends (0 for a detection sample) */
    size_t limit;             /* output cap in bytes, terminator excluded */
    char *out;                /* UTF-8 output; out_cap counts the terminator */
    size_t out_len, out_cap;
    dx_decode_error *errors;  /* NULL while none */
    size_t n_errors, errors_cap;
    int counting;             /* detection sample: count problems in n_bad, store none */
    int stop_at_invalid;      /* detection by validation: give up at the first bad sequence */
    int stopped;              /* stop_at_invalid gave up */
    size_t n_bad;             /* INVALID errors, and TRUNCATED ones at the real end */
    iconv_t cd;               /* for the iconv-backed encodings; borrowed */
} dx_decoder;

static void dx_decoder_init(dx_decoder *d, const unsigned char *src, size_t len, size_t base,
                            size_t max_out)
{
    memset(d, 0, sizeof *d);
    d->src = src;
    d->len = len;
    d->base = base;
    d->at_eof = 1;
    d->limit = (max_out == 0 || max_out > SIZE_MAX / 2) ? SIZE_MAX / 2 : max_out;
    d->cd = (iconv_t)-1;
}

/* Keeps the buffers, forgets their content: for decoding again with another encoding. */
static void dx_decoder_restart(dx_decoder *d)
{
    d->out_len = 0;
    d->n_errors = 0;
    d->n_bad = 0;
    d->stopped = 0;
    d->stop_at_invalid = 0;
}

/*
 * Makes room for `extra` more output bytes plus the terminator. DX_ERR_LIMIT when the output
 * would pass the cap, DX_ERR_NOMEM when the buffer cannot grow.
 */
static dx_status dx_out_reserve(dx_decoder *d, size_t extra)
{
    if (extra > d->limit - d->out_len)
        return DX_ERR_LIMIT;
    size_t need = d->out_len + extra + 1;
    if (need <= d->out_cap)
        return DX_OK;
    size_t cap = dx_grow_cap(d->out_cap, need, d->limit + 1);
    if (cap < need)
        return DX_ERR_LIMIT;
    char *grown = dx_realloc(d->out, cap);
    if (!grown)
        return DX_ERR_NOMEM;
    d->out = grown;
    d->out_cap = cap;
    return DX_OK;
}

static dx_status dx_out_put(dx_decoder *d, const void *bytes, size_t n)
{
    if (n == 0)
        return DX_OK;
    dx_status st = dx_out_reserve(d, n);
    if (st != DX_OK)
        return st;
    memcpy(d->out + d->out_len, bytes, n);
    d->out_len += n;
    return DX_OK;
}

/* Appends code point cp (a scalar value, checked by the caller) as UTF-8. */
static dx_status dx_out_code_point(dx_decoder *d, uint32_t cp)
{
    unsigned char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | (cp >> 18));
        b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return dx_out_put(d, b, n);
}

/*
 * Records a problem with the n bytes at src[at] and writes U+FFFD in their place. While
 * validating (stop_at_invalid) any problem but NUL ends the decode with d->stopped set.
 * DX_ERR_ENCODING when the error list is full.
 */
static dx_status dx_decode_problem_add(dx_decoder *d, size_t at, size_t n,
                                       dx_decode_problem problem)
{
    if (problem == DX_DECODE_INVALID || (problem == DX_DECODE_TRUNCATED && d->at_eof))
        d->n_bad++;
    if (d->stop_at_invalid && problem != DX_DECODE_NUL) {
        d->stopped = 1;
        return DX_ERR_ENCODING;
    }
    if (!d->counting) {
        if (d->n_errors == DX_DECODE_MAX_ERRORS)
            return DX_ERR_ENCODING;
        if (d->n_errors == d->errors_cap) {
            size_t cap = dx_grow_cap(d->errors_cap, d->n_errors + 1, DX_DECODE_MAX_ERRORS);
            dx_decode_error *grown = dx_realloc(d->errors, cap * sizeof *grown);
            if (!grown)
                return DX_ERR_NOMEM;
            d->errors = grown;
            d->errors_cap = cap;
        }
        dx_decode_error *e = &d->errors[d->n_errors++];
        memset(e, 0, sizeof *e);
        e->src_offset = d->base + at;
        e->out_offset = d->out_len;
        e->nbytes = (unsigned char)(n < sizeof e->bytes ? n : sizeof e->bytes);
        memcpy(e->bytes, d->src + at, e->nbytes);
        e->problem = problem;
    }
    return dx_out_put(d, dx_replacement, sizeof dx_replacement);
}

/* ---- ASCII fast path -------------------------------------------------------------------- */

/*
 * Index of the first byte at or after i that is not ASCII 01–7F (so 00 and 80–FF stop it).
 * Eight bytes at a time: w | (w - 0x01..01) has a high bit set exactly when some byte of w is
 * 00 (the subtraction borrows into it) or is 80–FF.
 */
static size_t dx_ascii_span(const unsigned char *s, size_t i, size_t len)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    while (len - i >= 16) {
        uint64_t a, b;
        memcpy(&a, s + i, 8);
        memcpy(&b, s + i + 8, 8);
        if (((a | (a - ones) | b | (b - ones)) & highs) != 0)
            break;
        i += 16;
    }
    while (len - i >= 8) {
        uint64_t a;
        memcpy(&a, s + i, 8);
        if (((a | (a - ones)) & highs) != 0)
            break;
        i += 8;
    }
    while (i < len && (unsigned)s[i] - 1u < 0x7Fu)
        i++;
    return i;
}

/* ---- UTF-8 -------------------------------------------------------------------------------- */

/*
 * Length (2..4) of the well-formed multi-byte sequence at s, or 0 when it is ill-formed; then
 * *bad is the length of its maximal subpart (1..3) and *cut is 1 when that subpart runs into
 * the end of the input (a truncated character). s[0] >= 0x80.
 */
static size_t dx_utf8_sequence(const unsigned char *s, size_t avail, size_t *bad, int *cut)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t need;
    *cut = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80; /* E0 80..9F would be overlong */
        hi = c == 0xED ? 0x9F : 0xBF; /* ED A0..BF would be a surrogate */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        lo = c == 0xF0 ? 0x90 : 0x80; /* F0 80..8F would be overlong */
        hi = c == 0xF4 ? 0x8F : 0xBF; /* F4 90.. would pass U+10FFFF */
    } else {
        *bad = 1; /* continuation byte, C0, C1 (always overlong) or F5..FF */
        return 0;
    }
    size_t k = 1;
    if (avail > 1 && s[1] >= lo && s[1] <= hi) {
        k = 2;
        while (k < need && k < avail && (s[k] & 0xC0) == 0x80)
            k++;
    }
    if (k == need)
        return need;
    *bad = k;
    *cut = k == avail;
    return 0;
}

/* Strict UTF-8: well-formed runs are copied as they are, each bad subpart becomes U+FFFD. */
static dx_status dx_utf8_decode(dx_decoder *d)
{
    const unsigned char *s = d->src;
    size_t i = 0, run = 0;
    while (i < d->len) {
        i = dx_ascii_span(s, i, d->len);
        if (i == d->len)
            break;
        size_t bad = 1;
        int cut = 0;
        size_t n = s[i] ? dx_utf8_sequence(s + i, d->len - i, &bad, &cut) : 0;
        if (n) {
            i += n;
            continue;
        }
        dx_status st = dx_out_put(d, s + run, i - run);
        if (st != DX_OK)
            return st;
        dx_decode_problem problem = s[i] == 0 ? DX_DECODE_NUL
                                    : cut     ? DX_DECODE_TRUNCATED
                                              : DX_DECODE_INVALID;
        st = dx_decode_problem_add(d, i, bad, problem);
        if (st != DX_OK)
            return st;
        i += bad;
        run = i;
    }
    return dx_out_put(d, s + run, d->len - run);
}

/* ---- UTF-16 ------------------------------------------------------------------------------- */

static unsigned dx_utf16_unit(const unsigned char *p, int big_endian)
{
    return big_endian ? (unsigned)p[0] << 8 | p[1] : (unsigned)p[1] << 8 | p[0];
}

/* Copies the run of ASCII code units (0001–007F) at src[i] as single bytes; returns its end. */
static dx_status dx_utf16_ascii_run(dx_decoder *d, size_t i, int big_endian, size_t *end)
{
    const unsigned char *s = d->src;
    size_t hi = big_endian ? 0 : 1, j = i;
    while (d->len - j >= 2 && s[j + hi] == 0 && (unsigned)s[j + 1 - hi] - 1u < 0x7Fu)
        j += 2;
    *end = j;
    dx_status st = dx_out_reserve(d, (j - i) / 2);
    if (st != DX_OK)
        return st;
    char *o = d->out + d->out_len;
    for (size_t k = i; k < j; k += 2)
        *o++ = (char)s[k + 1 - hi];
    d->out_len = (size_t)(o - d->out);
    return DX_OK;
}

/*
 * Decodes the code unit (or surrogate pair) at src[i], i + 2 <= len, and sets *next past what
 * it consumed. A lone surrogate is INVALID (2 bytes, the next unit is decoded on its own); a
 * high surrogate that the end of the input cuts off is TRUNCATED.
 */
static dx_status dx_utf16_char(dx_decoder *d, size_t i, int big_endian, size_t *next)
{
    unsigned u = dx_utf16_unit(d->src + i, big_endian);
    *next = i + 2;
    if (u == 0)
        return dx_decode_problem_add(d, i, 2, DX_DECODE_NUL);
    if (u < 0xD800 || u > 0xDFFF)
        return dx_out_code_point(d, u);
    if (u >= 0xDC00)
        return dx_decode_problem_add(d, i, 2, DX_DECODE_INVALID);
    if (d->len - i < 4) {
        *next = d->len;
        return dx_decode_problem_add(d, i, d->len - i, DX_DECODE_TRUNCATED);
    }
    unsigned low = dx_utf16_unit(d->src + i + 2, big_endian);
    if (low < 0xDC00 || low > 0xDFFF)
        return dx_decode_problem_add(d, i, 2, DX_DECODE_INVALID);
    *next = i + 4;
    return dx_out_code_point(d, 0x10000 + ((uint32_t)(u - 0xD800) << 10) + (low - 0xDC00));
}

/* UTF-16 without its BOM; an odd byte at the end is TRUNCATED. */
static dx_status dx_utf16_decode(dx_decoder *d, int big_endian)
{
    size_t i = 0;
    while (d->len - i >= 2) {
        dx_status st = dx_utf16_ascii_run(d, i, big_endian, &i);
        if (st == DX_OK && d->len - i >= 2)
            st = dx_utf16_char(d, i, big_endian, &i);
        if (st != DX_OK)
            return st;
    }
    if (i < d->len)
        return dx_decode_problem_add(d, i, d->len - i, DX_DECODE_TRUNCATED);
    return DX_OK;
}

/* ---- iconv-backed encodings: character boundaries --------------------------------------- */

/*
 * A unit function gives the length of the character whose lead byte s[0] >= 0x80 starts the
 * avail bytes at s: n > 0 for a structurally complete unit (whether it is mapped is iconv's
 * call), DX_UNIT_BAD when s[0] cannot start a character or the next byte cannot continue it,
 * DX_UNIT_CUT when the input ends inside the unit.
 */
typedef int (*dx_unit_fn)(const unsigned char *s, size_t avail);
enum { DX_UNIT_BAD = 0, DX_UNIT_CUT = -1 };

static int dx_in(unsigned char c, unsigned char lo, unsigned char hi)
{
    return c >= lo && c <= hi;
}

/* CP932: 81–9F and E0–FC lead a pair whose trail is 40–7E or 80–FC; A1–DF are half-width
 * katakana; 80, A0 and FD–FF are single bytes that iconv rejects. */
static int dx_cp932_unit(const unsigned char *s, size_t avail)
{
    if (!dx_in(s[0], 0x81, 0x9F) && !dx_in(s[0], 0xE0, 0xFC))
        return 1;
    if (avail < 2)
        return DX_UNIT_CUT;
    return dx_in(s[1], 0x40, 0xFC) && s[1] != 0x7F ? 2 : DX_UNIT_BAD;
}

/* EUC-JP: 8E + A1–DF (half-width katakana), 8F + two A1–FE (JIS X 0212), A1–FE + A1–FE. */
static int dx_eucjp_unit(const unsigned char *s, size_t avail)
{
    size_t need;
    unsigned char lo = 0xA1, hi = 0xFE;
    if (s[0] == 0x8E) {
        need = 2;
        hi = 0xDF;
    } else if (s[0] == 0x8F) {
        need = 3;
    } else if (dx_in(s[0], 0xA1, 0xFE)) {
        need = 2;
    } else {
        return DX_UNIT_BAD;
    }
    for (size_t k = 1; k < need; k++) {
        if (k == avail)
            return DX_UNIT_CUT;
        if (!dx_in(s[k], lo, k == 1 ? hi : 0xFE))
            return DX_UNIT_BAD;
    }
    return (int)need;
}

/* GB18030: 81–FE + 40–7E/80–FE (two bytes) or 81–FE 30–39 81–FE 30–39 (four bytes). */
static int dx_gb18030_unit(const unsigned char *s, size_t avail)
{
    if (!dx_in(s[0], 0x81, 0xFE))
        return 1; /* 80 and FF: iconv rejects them */
    if (avail < 2)
        return DX_UNIT_CUT;
    if (dx_in(s[1], 0x40, 0xFE) && s[1] != 0x7F)
        return 2;
    if (!dx_in(s[1], 0x30, 0x39))
        return DX_UNIT_BAD;
    if (avail < 3)
        return DX_UNIT_CUT;
    if (!dx_in(s[2], 0x81, 0xFE))
        return DX_UNIT_BAD;
    if (avail < 4)
        return DX_UNIT_CUT;
    return dx_in(s[3], 0x30, 0x39) ? 4 : DX_UNIT_BAD;
}

static int dx_single_unit(const unsigned char *s, size_t avail)
{
    (void)s;
    (void)avail;
    return 1;
}

/*
 * A scan function walks the complete units from s[i] (i < len, s[i] >= 0x80) and returns where
 * they stop: at the end, at ASCII, or at a unit whose result (DX_UNIT_BAD or DX_UNIT_CUT) it
 * leaves in *stop. One per encoding, each passing a constant unit function to the inline
 * dx_scan_units, so that the compiler inlines the unit test: this walk runs once per character
 * of CJK text, an indirect call per character cost a third of the decoding time.
 */
typedef size_t (*dx_scan_fn)(const unsigned char *s, size_t i, size_t len, int *stop);

static inline size_t dx_scan_units(dx_unit_fn unit, const unsigned char *s, size_t i, size_t len,
                                   int *stop)
{
    int n = 1;
    while (i < len && s[i] >= 0x80 && (n = unit(s + i, len - i)) > 0)
        i += (size_t)n;
    *stop = n;
    return i;
}

static size_t dx_cp932_scan(const unsigned char *s, size_t i, size_t len, int *stop)
{
    return dx_scan_units(dx_cp932_unit, s, i, len, stop);
}

static size_t dx_eucjp_scan(const unsigned char *s, size_t i, size_t len, int *stop)
{
    return dx_scan_units(dx_eucjp_unit, s, i, len, stop);
}

static size_t dx_gb18030_scan(const unsigned char *s, size_t i, size_t len, int *stop)
{
    return dx_scan_units(dx_gb18030_unit, s, i, len, stop);
}

static size_t dx_single_scan(const unsigned char *s, size_t i, size_t len, int *stop)
{
    while (i < len && s[i] >= 0x80)
        i++;
    *stop = 1;
    return i;
}

/* Character boundaries of an iconv-backed encoding. */
typedef struct dx_cp932_table dx_cp932_table;

typedef struct dx_charset {
    dx_unit_fn unit;
    dx_scan_fn scan;
    const dx_cp932_table *table; /* CP932 decoded by table instead of iconv; NULL otherwise */
} dx_charset;

static const dx_cp932_table *dx_cp932_get(void);

static dx_charset dx_charset_for(dx_encoding enc)
{
    switch (enc) {
    case DX_ENC_CP932: return (dx_charset){dx_cp932_unit, dx_cp932_scan, dx_cp932_get()};
    case DX_ENC_EUCJP: return (dx_charset){dx_eucjp_unit, dx_eucjp_scan, NULL};
    case DX_ENC_GB18030: return (dx_charset){dx_gb18030_unit, dx_gb18030_scan, NULL};
    default: return (dx_charset){dx_single_unit, dx_single_scan, NULL};
    }
}

/* ---- CP932 by table -------------------------------------------------------------------- */

/*
 * CP932 is the encoding Japanese offices save most, and its text comes in short runs (a name
 * in kanji between commas), where one iconv call costs ~1,000 instructions of overhead for a
 * few characters. So CP932 is decoded with a table instead, built once per process *from
 * glibc's own CP932 converter* (to UCS-4, one lead byte's row per call): the mapping is glibc's
 * by construction, only the per-call cost is gone. Character structure still comes from
 * dx_cp932_unit, and a unit the table does not map is one INVALID error covering the unit,
 * exactly as on the iconv path (tests/unit/test_encoding.c compares the two over every unit).
 * If the table cannot be built, decoding falls back to iconv.
 */
typedef struct dx_cp932_table {
    uint16_t single[256];       /* one-byte units; 0 = not mapped */
    uint16_t pair[124][256];    /* [lead index][trail]; leads 81–9F, E0–FC; 0 = not mapped */
} dx_cp932_table;

static dx_cp932_table *dx_cp932;
static pthread_once_t dx_cp932_once = PTHREAD_ONCE_INIT;
static int dx_cp932_disabled; /* testing: force the iconv path */

static int dx_cp932_lead_index(unsigned char lead)
{
    return lead <= 0x9F ? lead - 0x81 : lead - 0xE0 + 31;
}

/* Converts `n` units of `unit_len` bytes at `in` one by one through cd into out[] (0 where
 * glibc has no mapping or maps outside the BMP). 0 on success, -1 when the table cannot be
 * trusted (glibc gave other than one code point per unit). */
static int dx_cp932_fill(iconv_t cd, const unsigned char *in, size_t n, size_t unit_len,
                         uint16_t *out)
{
    size_t done = 0;
    while (done < n) {
        char *ip = (char *)(in + done * unit_len);
        size_t il = (n - done) * unit_len;
        uint32_t cps[256];
        char *op = (char *)cps;
        size_t ol = sizeof cps;
        size_t r = iconv(cd, &ip, &il, &op, &ol);
        size_t units = (size_t)(ip - (char *)(in + done * unit_len)) / unit_len;
        if ((size_t)(op - (char *)cps) != units * 4 || units > 256)
            return -1;
        for (size_t k = 0; k < units; k++)
            out[done + k] = cps[k] > 0xFFFF ? 0 : (uint16_t)cps[k];
        done += units;
        if (r == (size_t)-1 && done < n) {
            out[done++] = 0; /* EILSEQ (or EINVAL) at this unit: not mapped */
            iconv(cd, NULL, NULL, NULL, NULL);
        }
    }
    return 0;
}

static void dx_cp932_build(void)
{
    iconv_t cd = iconv_open("UCS-4LE", "CP932");
    dx_cp932_table *t = dx_calloc(1, sizeof *t);
    int ok = cd != (iconv_t)-1 && t != NULL;
    unsigned char bytes[2 * 256];
    for (int b = 1; ok && b < 256; b++) { /* one call per byte: a lead would pair with the next */
        unsigned char one = (unsigned char)b;
        if (!dx_in(one, 0x81, 0x9F) && !dx_in(one, 0xE0, 0xFC))
            ok = dx_cp932_fill(cd, &one, 1, 1, &t->single[b]) == 0;
    }
    for (int lead = 0x81; ok && lead <= 0xFC; lead++) {
        if (lead > 0x9F && lead < 0xE0)
            continue;
        for (int trail = 0; trail < 256; trail++) {
            bytes[2 * trail] = (unsigned char)lead;
            bytes[2 * trail + 1] = (unsigned char)trail;
        }
        /* only trails 40–FC (not 7F) make units; the others are never looked up */
        ok = dx_cp932_fill(cd, bytes + 2 * 0x40, 0xFD - 0x40, 2,
                           t->pair[dx_cp932_lead_index((unsigned char)lead)] + 0x40) == 0;
    }
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    if (!ok) {
        dx_free(t);
        return;
    }
    dx_cp932 = t; /* never freed: one table per process, like iconv's own module data */
}

static const dx_cp932_table *dx_cp932_get(void)
{
    if (dx_cp932_disabled)
        return NULL;
    pthread_once(&dx_cp932_once, dx_cp932_build);
    return dx_cp932;
}

void dx_encoding_testing_use_tables(int on)
{
    dx_cp932_disabled = !on;
}

/* Like dx_iconv_run for CP932, by table. */
static dx_status dx_cp932_run(dx_decoder *d, const dx_cp932_table *t, size_t start, size_t end)
{
    const unsigned char *s = d->src;
    size_t want = (end - start) * 3 / 2 + 4, left = d->limit - d->out_len;
    dx_status st = dx_out_reserve(d, want < left ? want : left);
    for (size_t i = start; i < end && st == DX_OK;) {
        int n = dx_cp932_unit(s + i, end - i);
        uint16_t cp = n == 2 ? t->pair[dx_cp932_lead_index(s[i])][s[i + 1]] : t->single[s[i]];
        size_t len = n > 0 ? (size_t)n : 1;
        if (cp)
            st = dx_out_code_point(d, cp);
        else
            st = dx_decode_problem_add(d, i, len, DX_DECODE_INVALID);
        i += len;
    }
    return st;
}

/* ---- iconv-backed encodings: decoding ----------------------------------------------------- */

/*
 * Converts src[start..end), a run of complete units, with iconv. A unit iconv rejects is one
 * INVALID error covering the unit. The output grows as iconv asks (E2BIG); DX_ERR_LIMIT when
 * the next character does not fit under the cap.
 */
static dx_status dx_iconv_run(dx_decoder *d, size_t start, size_t end, dx_unit_fn unit)
{
    char *in = (char *)(d->src + start);
    size_t in_left = end - start;
    size_t want = in_left + in_left / 2 + 4;
    while (in_left > 0) {
        size_t left = d->limit - d->out_len;
        dx_status st = dx_out_reserve(d, want < left ? want : left);
        if (st != DX_OK)
            return st;
        size_t room = d->out_cap - 1 - d->out_len;
        char *o = d->out + d->out_len;
        size_t o_left = room;
        size_t r = iconv(d->cd, &in, &in_left, &o, &o_left);
        int err = errno;
        d->out_len += room - o_left;
        if (r != (size_t)-1)
            break;
        if (err == E2BIG) {
            if (o_left == room && room >= left)
                return DX_ERR_LIMIT;
            want = 2 * room + 16;
            continue;
        }
        size_t at = (size_t)((const unsigned char *)in - d->src);
        int n = unit(d->src + at, end - at);
        size_t skip = n > 0 ? (size_t)n : 1;
        st = dx_decode_problem_add(d, at, skip, DX_DECODE_INVALID);
        if (st != DX_OK)
            return st;
        in += skip;
        in_left -= skip;
    }
    return DX_OK;
}

/*
 * Decodes the run of non-ASCII characters at src[*i]: complete units go to iconv in one call;
 * the run ends at the end, at a bad or cut unit (recorded here) or at ASCII, except that an
 * ASCII gap of at most DX_RUN_GAP bytes between two non-ASCII characters ("山田 太郎") joins
 * the run: one iconv call costs more than converting a few ASCII bytes, which glibc maps to
 * themselves in all five encodings. NUL never joins a run.
 */
#define DX_RUN_GAP 4

static dx_status dx_multibyte_run(dx_decoder *d, size_t *i, const dx_charset *cs)
{
    const unsigned char *s = d->src;
    size_t start = *i, end = *i;
    int n = 1;
    for (;;) {
        end = cs->scan(s, end, d->len, &n);
        if (end == d->len || s[end] >= 0x80)
            break;
        size_t gap = end;
        while (gap < d->len && gap - end < DX_RUN_GAP && (unsigned)s[gap] - 1u < 0x7Fu)
            gap++;
        if (gap == d->len || s[gap] < 0x80)
            break;
        end = gap;
    }
    dx_status st = DX_OK;
    if (end > start)
        st = cs->table ? dx_cp932_run(d, cs->table, start, end)
                       : dx_iconv_run(d, start, end, cs->unit);
    *i = end;
    if (st != DX_OK || end == d->len || s[end] < 0x80)
        return st;
    if (n == DX_UNIT_CUT) {
        *i = d->len;
        return dx_decode_problem_add(d, end, d->len - end, DX_DECODE_TRUNCATED);
    }
    *i = end + 1;
    return dx_decode_problem_add(d, end, 1, DX_DECODE_INVALID);
}

/* An iconv-backed encoding: ASCII runs are copied, NUL bytes recorded, the rest to iconv. */
static dx_status dx_multibyte_decode(dx_decoder *d, const dx_charset *cs)
{
    const unsigned char *s = d->src;
    size_t i = 0;
    while (i < d->len) {
        size_t j = dx_ascii_span(s, i, d->len);
        dx_status st = dx_out_put(d, s + i, j - i);
        i = j;
        if (st == DX_OK && i < d->len) {
            if (s[i] == 0)
                st = dx_decode_problem_add(d, i++, 1, DX_DECODE_NUL);
            else
                st = dx_multibyte_run(d, &i, cs);
        }
        if (st != DX_OK)
            return st;
    }
    return DX_OK;
}

/* The iconv descriptors of one dx_decode call, opened on first use. */
typedef struct dx_converters {
    iconv_t cd[DX_N_ENCODINGS];
} dx_converters;

static void dx_converters_init(dx_converters *c)
{
    for (size_t i = 0; i < DX_N_ENCODINGS; i++)
        c->cd[i] = (iconv_t)-1;
}

static void dx_converters_close(dx_converters *c)
{
    for (size_t i = 0; i < DX_N_ENCODINGS; i++) {
        if (c->cd[i] != (iconv_t)-1)
            iconv_close(c->cd[i]);
        c->cd[i] = (iconv_t)-1;
    }
}

static dx_status dx_converter_get(dx_converters *c, dx_encoding enc, iconv_t *out)
{
    if (c->cd[enc] == (iconv_t)-1) {
        c->cd[enc] = iconv_open("UTF-8", dx_iconv_name(enc));
        if (c->cd[enc] == (iconv_t)-1)
            return errno == ENOMEM ? DX_ERR_NOMEM : DX_ERR_UNSUPPORTED;
    }
    *out = c->cd[enc];
    return DX_OK;
}

/* Decodes d->src as `enc` (not AUTO) into d, after sizing the output for the usual case. */
static dx_status dx_decode_as(dx_decoder *d, dx_encoding enc, dx_converters *conv)
{
    size_t guess = d->len + (enc == DX_ENC_UTF8 ? 0 : d->len / 2) + 16;
    size_t left = d->limit - d->out_len;
    dx_status st = dx_out_reserve(d, guess < left ? guess : left);
    if (st != DX_OK)
        return st;
    switch (enc) {
    case DX_ENC_UTF8: return dx_utf8_decode(d);
    case DX_ENC_UTF16LE: return dx_utf16_decode(d, 0);
    case DX_ENC_UTF16BE: return dx_utf16_decode(d, 1);
    default: break;
    }
    st = dx_converter_get(conv, enc, &d->cd);
    if (st != DX_OK)
        return st;
    dx_charset cs = dx_charset_for(enc);
    return dx_multibyte_decode(d, &cs);
}

/* ---- detection ------------------------------------------------------------------------- */

/* The encoding a byte-order mark announces (and the mark's length), or DX_ENC_AUTO. */
static dx_encoding dx_bom_encoding(const unsigned char *s, size_t len, size_t *bom_len)
{
    *bom_len = 0;
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        *bom_len = 3;
        return DX_ENC_UTF8;
    }
    if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
        *bom_len = 2;
        return DX_ENC_UTF16LE;
    }
    if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
        *bom_len = 2;
        return DX_ENC_UTF16BE;
    }
    return DX_ENC_AUTO;
}

/* Next code point of valid UTF-8 (the decoders' output) at s[*i]; advances *i. */
static uint32_t dx_utf8_next(const char *text, size_t *i)
{
    const unsigned char *s = (const unsigned char *)text + *i;
    if (s[0] < 0x80) {
        *i += 1;
        return s[0];
    }
    if (s[0] < 0xE0) {
        *i += 2;
        return (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
    }
    if (s[0] < 0xF0) {
        *i += 3;
        return (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    }
    *i += 4;
    return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
           (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
}

static int dx_is_ascii_letter(uint32_t cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
}

/* 1 when `cur`, between `prev` and `next`, is implausible in text decoded as `enc`. */
static int dx_implausible(dx_encoding enc, uint32_t prev, uint32_t cur, uint32_t next)
{
    if (cur < 0x80 || cur == 0xFFFD)
        return 0;
    if (cur <= 0x9F || (cur >= 0xE000 && cur <= 0xF8FF) || (cur >= 0xFF61 && cur <= 0xFF9F))
        return 1; /* C1 control, private use, half-width katakana */
    if (enc == DX_ENC_GB18030 && cur >= 0x3040 && cur <= 0x30FF)
        return 1; /* kana */
    if (enc == DX_ENC_CP1252)
        return prev >= 0x80 && prev != 0xFFFD;
    if (enc == DX_ENC_CP932 || enc == DX_ENC_EUCJP || enc == DX_ENC_GB18030)
        return dx_is_ascii_letter(prev) && dx_is_ascii_letter(next);
    return 0;
}

/* How many characters of the decoded sample are implausible for `enc`. */
static size_t dx_count_implausible(const char *text, size_t len, dx_encoding enc)
{
    if (len == 0)
        return 0;
    size_t count = 0, i = 0;
    uint32_t prev = '\n', cur = dx_utf8_next(text, &i);
    for (;;) {
        int last = i >= len;
        uint32_t next = last ? '\n' : dx_utf8_next(text, &i);
        count += (size_t)dx_implausible(enc, prev, cur, next);
        if (last)
            return count;
        prev = cur;
        cur = next;
    }
}

/* 1 when the unit s[0..n) is a rare character of `enc` (see the design comment). */
static int dx_rare_unit(dx_encoding enc, const unsigned char *s, int n)
{
    switch (enc) {
    case DX_ENC_CP932:
        return n == 2 && (dx_in(s[0], 0x99, 0x9F) || dx_in(s[0], 0xE0, 0xEA) ||
                          dx_in(s[0], 0xED, 0xEE) || dx_in(s[0], 0xFA, 0xFC));
    case DX_ENC_EUCJP:
        return n == 3 || (n == 2 && dx_in(s[0], 0xD0, 0xF4));
    case DX_ENC_GB18030:
        return n == 4 || (n == 2 && !(dx_in(s[0], 0xA1, 0xD7) && dx_in(s[1], 0xA1, 0xFE)));
    default:
        return 0;
    }
}

static size_t dx_count_rare(const unsigned char *s, size_t len, dx_encoding enc)
{
    dx_unit_fn unit = dx_charset_for(enc).unit;
    size_t count = 0, i = 0;
    while (i < len) {
        int n = s[i] < 0x80 ? 1 : unit(s + i, len - i);
        if (n <= 0)
            n = 1;
        count += (size_t)dx_rare_unit(enc, s + i, n);
        i += (size_t)n;
    }
    return count;
}

/* The detection cost of reading the sample s[0..len) as `enc` (lower is likelier). */
static dx_status dx_sample_cost(const unsigned char *s, size_t len, int at_eof, dx_encoding enc,
                                dx_converters *conv, size_t *cost)
{
    dx_decoder d;
    dx_decoder_init(&d, s, len, 0, 0);
    d.counting = 1;
    d.at_eof = at_eof;
    dx_status st = dx_decode_as(&d, enc, conv);
    if (st == DX_OK) {
        *cost = DX_COST_BAD * d.n_bad +
                DX_COST_ODD * dx_count_implausible(d.out, d.out_len, enc) +
                DX_COST_RARE * dx_count_rare(s, len, enc);
    }
    dx_free(d.out);
    return st;
}

/*
 * Step 3 of detection: scores each candidate on a sample that starts just before the first
 * non-ASCII byte and sets *best to the cheapest (the earlier candidate on a tie).
 */
static dx_status dx_detect_by_score(const unsigned char *s, size_t len, dx_converters *conv,
                                    dx_encoding *best)
{
    static const dx_encoding candidates[] = {DX_ENC_UTF8, DX_ENC_CP932, DX_ENC_EUCJP,
                                             DX_ENC_GB18030, DX_ENC_CP1252};
    size_t first = dx_ascii_span(s, 0, len);
    while (first < len && s[first] == 0)
        first = dx_ascii_span(s, first + 1, len);
    size_t start = first > DX_SAMPLE_CONTEXT ? first - DX_SAMPLE_CONTEXT : 0;
    size_t n = len - start < DX_SAMPLE_BYTES ? len - start : DX_SAMPLE_BYTES;
    size_t best_cost = SIZE_MAX;
    *best = DX_ENC_UTF8;
    for (size_t k = 0; k < sizeof candidates / sizeof candidates[0]; k++) {
        size_t cost;
        dx_status st = dx_sample_cost(s + start, n, start + n == len, candidates[k], conv, &cost);
        if (st != DX_OK)
            return st;
        if (cost < best_cost) {
            best_cost = cost;
            *best = candidates[k];
        }
    }
    return DX_OK;
}

/* DX_ENC_AUTO without a BOM: valid UTF-8 is UTF-8 (step 2), otherwise the cheapest candidate. */
static dx_status dx_detect_and_decode(dx_decoder *d, dx_converters *conv, dx_encoding *used)
{
    d->stop_at_invalid = 1;
    dx_status st = dx_decode_as(d, DX_ENC_UTF8, conv);
    d->stop_at_invalid = 0;
    *used = DX_ENC_UTF8;
    if (st == DX_OK || !d->stopped)
        return st;
    st = dx_detect_by_score(d->src, d->len, conv, used);
    if (st != DX_OK)
        return st;
    dx_decoder_restart(d);
    return dx_decode_as(d, *used, conv);
}

/* ---- the public entry points ------------------------------------------------------------ */

/* Moves the finished output of d into out (terminating the text, trimming waste). */
static dx_status dx_decoder_finish(dx_decoder *d, dx_decoded *out)
{
    dx_status st = dx_out_reserve(d, 0);
    if (st != DX_OK)
        return st;
    d->out[d->out_len] = '\0';
    if (d->out_cap - d->out_len > d->out_len / 4 + 64) {
        char *trimmed = dx_realloc(d->out, d->out_len + 1);
        if (trimmed) { /* a failed shrink only wastes memory */
            d->out = trimmed;
            d->out_cap = d->out_len + 1;
        }
    }
    out->text = d->out;
    out->len = d->out_len;
    out->errors = d->errors;
    out->n_errors = d->n_errors;
    d->out = NULL;
    d->errors = NULL;
    return DX_OK;
}

dx_status dx_decode(const void *bytes, size_t len, dx_encoding enc, size_t max_out,
                    dx_decoded *out)
{
    if (!out)
        return DX_ERR_INVALID;
    memset(out, 0, sizeof *out);
    if ((!bytes && len > 0) || (unsigned)enc > (unsigned)DX_ENC_LATIN1)
        return DX_ERR_INVALID;
    const unsigned char *src = len > 0 ? bytes : (const unsigned char *)"";
    size_t bom = 0;
    dx_encoding used = dx_bom_encoding(src, len, &bom);
    int detected = used != DX_ENC_AUTO && used != enc;
    dx_decoder d;
    dx_decoder_init(&d, src + bom, len - bom, bom, max_out);
    dx_converters conv;
    dx_converters_init(&conv);
    dx_status st;
    if (used != DX_ENC_AUTO) {
        st = dx_decode_as(&d, used, &conv);
    } else if (enc != DX_ENC_AUTO) {
        used = enc;
        st = dx_decode_as(&d, used, &conv);
    } else {
        detected = 1;
        st = dx_detect_and_decode(&d, &conv, &used);
    }
    dx_converters_close(&conv);
    if (st == DX_OK)
        st = dx_decoder_finish(&d, out);
    if (st != DX_OK) {
        dx_free(d.out);
        dx_free(d.errors);
        memset(out, 0, sizeof *out);
        return st;
    }
    out->encoding = used;
    out->had_bom = bom > 0;
    out->detected = detected;
    return DX_OK;
}

void dx_decoded_free(dx_decoded *d)
{
    if (!d)
        return;
    dx_free(d->text);
    dx_free(d->errors);
    memset(d, 0, sizeof *d);
}

/*
 * dexcheck/encoding.h — detect the encoding of a text file and decode it to UTF-8.
 *
 * Records arrive as UTF-8 (with or without BOM), UTF-16 LE/BE with BOM, Shift_JIS / CP932,
 * EUC-JP, GB18030, Latin-1 or CP1252. dx_decode() takes the raw bytes of a whole file and
 * returns UTF-8 text plus the exact position of every byte sequence that could not be decoded
 * (and of every NUL character, which no record may contain). Undecodable sequences are replaced
 * by U+FFFD in the output *and* recorded, so a caller can reject exactly the rows they touch:
 * nothing is replaced silently. How detection works is documented in docs/encodings.md.
 */
#ifndef DEXCHECK_ENCODING_H
#define DEXCHECK_ENCODING_H

#include <stddef.h>

#include "dexcheck/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dx_encoding {
    DX_ENC_AUTO = 0, /* detect */
    DX_ENC_UTF8,
    DX_ENC_UTF16LE,
    DX_ENC_UTF16BE,
    DX_ENC_CP932,   /* Shift_JIS as Windows writes it (0x5C is backslash, not yen) */
    DX_ENC_EUCJP,
    DX_ENC_GB18030, /* also reads GBK and GB2312, its subsets */
    DX_ENC_CP1252,
    DX_ENC_LATIN1
} dx_encoding;

/*
 * Parse an encoding name as a user types it (case and '-', '_' ignored): "utf-8", "utf8",
 * "utf-16le", "utf-16be", "shift_jis", "sjis", "cp932", "windows-31j", "ms932", "euc-jp",
 * "gb18030", "gbk", "gb2312", "cp1252", "windows-1252", "latin-1", "latin1", "iso-8859-1",
 * "auto". DX_ERR_NOT_FOUND when unknown.
 */
dx_status dx_encoding_parse(const char *name, dx_encoding *out);

/* Display name: "UTF-8", "UTF-16LE", "UTF-16BE", "CP932", "EUC-JP", "GB18030", "CP1252",
 * "ISO-8859-1", "auto". Never NULL. */
const char *dx_encoding_name(dx_encoding enc);

typedef enum dx_decode_problem {
    DX_DECODE_INVALID = 1,   /* a byte sequence that is not valid in the encoding */
    DX_DECODE_TRUNCATED = 2, /* the file ends inside a multi-byte character */
    DX_DECODE_NUL = 3        /* a NUL character (U+0000): never valid in records */
} dx_decode_problem;

typedef struct dx_decode_error {
    size_t src_offset;       /* byte offset of the bad sequence in the input (0-based) */
    size_t out_offset;       /* byte offset of its replacement in the UTF-8 output */
    unsigned char bytes[4];  /* the first bytes of the bad sequence */
    unsigned char nbytes;    /* how many of bytes[] are set (1..4) */
    dx_decode_problem problem;
} dx_decode_error;

/* At most this many errors are recorded; a file with more fails with DX_ERR_ENCODING. */
#define DX_DECODE_MAX_ERRORS 10000

typedef struct dx_decoded {
    char *text;               /* UTF-8, NUL-terminated, BOM removed; owned */
    size_t len;               /* bytes of text, without the terminator */
    dx_encoding encoding;     /* the encoding used (never DX_ENC_AUTO) */
    int had_bom;              /* 1 when a byte-order mark was present and removed */
    int detected;             /* 1 when the encoding was detected, 0 when it was requested */
    dx_decode_error *errors;  /* in input order; owned; NULL when none */
    size_t n_errors;
} dx_decoded;

/*
 * Decode `len` bytes. With DX_ENC_AUTO the encoding is detected (docs/encodings.md); otherwise
 * the requested one is used, except that a BOM always wins for UTF-8/UTF-16 and is removed.
 * `max_out` caps the output size in bytes (0 = no cap beyond memory).
 * Returns DX_OK (errors, if any, are in out->errors), DX_ERR_LIMIT when the output would
 * exceed max_out, DX_ERR_ENCODING when more than DX_DECODE_MAX_ERRORS sequences are bad,
 * DX_ERR_NOMEM. On failure *out is left empty (zeroed) and owns nothing.
 * Caller frees with dx_decoded_free.
 */
dx_status dx_decode(const void *bytes, size_t len, dx_encoding enc, size_t max_out,
                    dx_decoded *out);

void dx_decoded_free(dx_decoded *d); /* accepts a zeroed or NULL struct; zeroes it */

#ifdef __cplusplus
}
#endif
#endif

/*
 * test_encoding.c — dx_decode, detection, dx_encoding_parse / dx_encoding_name.
 *
 * Inputs in legacy encodings are produced here with glibc iconv from UTF-8 literals, so each
 * test states its text once, readable, and the expected output is that same literal.
 */
#include "testutil.h"

#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "encoding_int.h"
#include "dexcheck/encoding.h"

#define FFFD "\xEF\xBF\xBD"

/* Japanese records: kanji, hiragana, katakana, and ソ (83 5C) / 表 (95 5C) whose CP932 trail
 * byte is a backslash. */
static const char ja_text[] =
    "id,氏名,フリガナ,所属\n"
    "1,山田太郎,ヤマダタロウ,表計算ソフト担当\n"
    "2,佐藤花子,サトウハナコ,情報工学研究科\n"
    "3,鈴木一郎,スズキイチロウ,東京都千代田区の研究所です。\n"
    "備考:ひらがなとカタカナと漢字を含みます。path=C:\\data\\ソ表\n";

/* Simplified Chinese; 𠀀 (U+20000) is a four-byte GB18030 sequence (95 32 82 36). */
static const char zh_text[] =
    "编号,姓名,单位\n"
    "1,张伟,北京大学物理学院\n"
    "2,王芳,清华大学计算机系\n"
    "3,李娜,中国科学院研究所\n"
    "我们的研究项目需要进行出口管制审查,请提供相关材料。𠀀\n";

static const char fr_text[] =
    "Nom,Prénom,Ville\n"
    "Dupont,Hélène,Orléans\n"
    "Martin,François,Besançon\n"
    "Lefèvre,Zoé,Nîmes\n"
    "La société a reçu une “demande” d'accès à l'œuvre coûteuse: 5 €.\n";

static const char de_text[] =
    "Name,Vorname,Stadt\n"
    "Müller,Jürgen,München\n"
    "Schäfer,Björn,Köln\n"
    "Groß,Dörte,Düsseldorf\n"
    "Die Prüfung der Ausfuhrgenehmigung für „Güter“ ist gemäß §5 erforderlich.\n";

/* ---- helpers ------------------------------------------------------------------------------ */

typedef struct bytes {
    char *data;
    size_t len;
} bytes;

/* `utf8` converted to `encoding` with iconv; the test fails if iconv cannot do it. */
static bytes encode(const char *encoding, const char *utf8)
{
    iconv_t cd = iconv_open(encoding, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t in_left = strlen(utf8), cap = in_left * 4 + 16, out_left = cap;
    bytes b = {malloc(cap), 0};
    assert_non_null(b.data);
    char *in = (char *)utf8, *out = b.data;
    assert_true(iconv(cd, &in, &in_left, &out, &out_left) != (size_t)-1);
    iconv_close(cd);
    b.len = cap - out_left;
    return b;
}

/* a + b, for inserting bad bytes between encoded parts. */
static bytes concat(bytes a, const char *raw, size_t raw_len, bytes c)
{
    bytes r = {malloc(a.len + raw_len + c.len + 1), a.len + raw_len + c.len};
    assert_non_null(r.data);
    memcpy(r.data, a.data, a.len);
    memcpy(r.data + a.len, raw, raw_len);
    memcpy(r.data + a.len + raw_len, c.data, c.len);
    return r;
}

static void decode_ok(const void *data, size_t len, dx_encoding enc, dx_decoded *d)
{
    assert_int_equal(dx_decode(data, len, enc, 0, d), DX_OK);
    assert_non_null(d->text);
    assert_int_equal(d->text[d->len], '\0');
}

static void assert_text(const dx_decoded *d, const char *expected, size_t expected_len)
{
    assert_int_equal(d->len, expected_len);
    assert_memory_equal(d->text, expected, expected_len);
}

static void assert_zeroed(const dx_decoded *d)
{
    dx_decoded zero;
    memset(&zero, 0, sizeof zero);
    assert_memory_equal(d, &zero, sizeof zero);
}

static void assert_error(const dx_decoded *d, size_t k, size_t src_offset, size_t out_offset,
                         unsigned nbytes, dx_decode_problem problem)
{
    assert_true(k < d->n_errors);
    assert_int_equal(d->errors[k].src_offset, src_offset);
    assert_int_equal(d->errors[k].out_offset, out_offset);
    assert_int_equal(d->errors[k].nbytes, nbytes);
    assert_int_equal(d->errors[k].problem, problem);
    assert_memory_equal(d->text + out_offset, FFFD, 3);
}

/* Requested-encoding round trip of `text` through `iconv_name`. */
static void round_trip(const char *iconv_name, dx_encoding enc, const char *text)
{
    bytes b = encode(iconv_name, text);
    dx_decoded d;
    decode_ok(b.data, b.len, enc, &d);
    assert_text(&d, text, strlen(text));
    assert_int_equal(d.n_errors, 0);
    assert_null(d.errors);
    assert_int_equal(d.encoding, enc);
    assert_int_equal(d.detected, 0);
    assert_int_equal(d.had_bom, 0);
    dx_decoded_free(&d);
    free(b.data);
}

static void detects(const char *iconv_name, dx_encoding expected, const char *text)
{
    bytes b = encode(iconv_name, text);
    dx_decoded d;
    decode_ok(b.data, b.len, DX_ENC_AUTO, &d);
    assert_string_equal(dx_encoding_name(d.encoding), dx_encoding_name(expected));
    assert_int_equal(d.detected, 1);
    assert_int_equal(d.n_errors, 0);
    assert_text(&d, text, strlen(text));
    dx_decoded_free(&d);
    free(b.data);
}

/* ---- round trips -------------------------------------------------------------------------- */

static void test_round_trip_utf8(void **state)
{
    (void)state;
    round_trip("UTF-8", DX_ENC_UTF8, ja_text);
    round_trip("UTF-8", DX_ENC_UTF8, zh_text);
    round_trip("UTF-8", DX_ENC_UTF8, "max U+10FFFF: \xF4\x8F\xBF\xBF, U+FFFF: \xEF\xBF\xBF");
}

static void test_round_trip_utf16(void **state)
{
    (void)state;
    round_trip("UTF-16LE", DX_ENC_UTF16LE, ja_text);
    round_trip("UTF-16BE", DX_ENC_UTF16BE, ja_text);
    round_trip("UTF-16LE", DX_ENC_UTF16LE, zh_text); /* 𠀀 is a surrogate pair */
    round_trip("UTF-16BE", DX_ENC_UTF16BE, fr_text);
}

static void test_round_trip_cp932(void **state)
{
    (void)state;
    bytes b = encode("CP932", "ソ表");
    assert_int_equal(b.len, 4);
    assert_memory_equal(b.data, "\x83\x5C\x95\x5C", 4); /* the trail bytes are backslashes */
    free(b.data);
    round_trip("CP932", DX_ENC_CP932, ja_text);
    round_trip("CP932", DX_ENC_CP932, "半角ｶﾀｶﾅ,①㈱\n"); /* half-width kana, NEC specials */
}

static void test_round_trip_eucjp(void **state)
{
    (void)state;
    round_trip("EUC-JP", DX_ENC_EUCJP, ja_text);
    bytes b = encode("EUC-JP", "ｱ丂"); /* 8E B1 (half-width), 8F B0 A1 (JIS X 0212) */
    assert_memory_equal(b.data, "\x8E\xB1\x8F\xB0\xA1", 5);
    free(b.data);
    round_trip("EUC-JP", DX_ENC_EUCJP, "ｱ丂");
}

static void test_round_trip_gb18030(void **state)
{
    (void)state;
    bytes b = encode("GB18030", "𠀀");
    assert_memory_equal(b.data, "\x95\x32\x82\x36", 4);
    free(b.data);
    round_trip("GB18030", DX_ENC_GB18030, zh_text);
    round_trip("GB18030", DX_ENC_GB18030, "ÅéÄ€"); /* four-byte BMP codes and the euro */
}

static void test_round_trip_cp1252_latin1(void **state)
{
    (void)state;
    round_trip("CP1252", DX_ENC_CP1252, fr_text); /* € = 80, “ ” = 93 94, œ = 9C */
    round_trip("CP1252", DX_ENC_CP1252, de_text);
    round_trip("ISO-8859-1", DX_ENC_LATIN1, "Müller, Hélène: ¿qué? ÿ\n");
    dx_decoded d;
    decode_ok("\x80\xE9", 2, DX_ENC_LATIN1, &d); /* Latin-1 80 is the C1 control U+0080 */
    assert_text(&d, "\xC2\x80\xC3\xA9", 4);
    dx_decoded_free(&d);
    decode_ok("\x80\xE9", 2, DX_ENC_CP1252, &d);
    assert_text(&d, "€é", strlen("€é"));
    dx_decoded_free(&d);
}

/* ---- byte-order marks --------------------------------------------------------------------- */

static void test_bom_utf8(void **state)
{
    (void)state;
    dx_decoded d;
    decode_ok("\xEF\xBB\xBFid,名前\n", 13, DX_ENC_AUTO, &d);
    assert_text(&d, "id,名前\n", 10);
    assert_int_equal(d.encoding, DX_ENC_UTF8);
    assert_int_equal(d.had_bom, 1);
    assert_int_equal(d.detected, 1);
    dx_decoded_free(&d);

    decode_ok("\xEF\xBB\xBF" "a\0b", 6, DX_ENC_UTF8, &d); /* requested and confirmed */
    assert_int_equal(d.detected, 0);
    assert_int_equal(d.had_bom, 1);
    assert_int_equal(d.n_errors, 1);
    assert_error(&d, 0, 4, 1, 1, DX_DECODE_NUL); /* offsets count the BOM in the input */
    assert_text(&d, "a" FFFD "b", 5);
    dx_decoded_free(&d);

    decode_ok("\xEF\xBB\xBF\xC3\xA9", 5, DX_ENC_CP932, &d); /* the BOM beats the request */
    assert_int_equal(d.encoding, DX_ENC_UTF8);
    assert_int_equal(d.detected, 1);
    assert_text(&d, "é", 2);
    dx_decoded_free(&d);

    decode_ok("\xEF\xBB\xBF", 3, DX_ENC_AUTO, &d); /* only a BOM */
    assert_text(&d, "", 0);
    assert_int_equal(d.had_bom, 1);
    dx_decoded_free(&d);
}

static void test_bom_utf16(void **state)
{
    (void)state;
    bytes le = encode("UTF-16LE", ja_text), be = encode("UTF-16BE", ja_text);
    bytes le_bom = concat((bytes){"", 0}, "\xFF\xFE", 2, le);
    bytes be_bom = concat((bytes){"", 0}, "\xFE\xFF", 2, be);
    dx_decoded d;
    decode_ok(le_bom.data, le_bom.len, DX_ENC_AUTO, &d);
    assert_int_equal(d.encoding, DX_ENC_UTF16LE);
    assert_int_equal(d.had_bom, 1);
    assert_int_equal(d.detected, 1);
    assert_text(&d, ja_text, strlen(ja_text));
    dx_decoded_free(&d);

    decode_ok(be_bom.data, be_bom.len, DX_ENC_AUTO, &d);
    assert_int_equal(d.encoding, DX_ENC_UTF16BE);
    assert_int_equal(d.had_bom, 1);
    assert_text(&d, ja_text, strlen(ja_text));
    dx_decoded_free(&d);

    decode_ok(be_bom.data, be_bom.len, DX_ENC_UTF16LE, &d); /* BE mark, LE requested */
    assert_int_equal(d.encoding, DX_ENC_UTF16BE);
    assert_int_equal(d.detected, 1);
    assert_text(&d, ja_text, strlen(ja_text));
    dx_decoded_free(&d);

    decode_ok(le_bom.data, le_bom.len, DX_ENC_UTF16LE, &d);
    assert_int_equal(d.detected, 0);
    assert_int_equal(d.had_bom, 1);
    dx_decoded_free(&d);
    free(le.data);
    free(be.data);
    free(le_bom.data);
    free(be_bom.data);
}

/* ---- detection ---------------------------------------------------------------------------- */

static void test_detect_utf8_and_ascii(void **state)
{
    (void)state;
    detects("UTF-8", DX_ENC_UTF8, ja_text);
    detects("UTF-8", DX_ENC_UTF8, "plain,ascii\n1,2\n");
    dx_decoded d;
    decode_ok("", 0, DX_ENC_AUTO, &d);
    assert_text(&d, "", 0);
    assert_int_equal(d.encoding, DX_ENC_UTF8);
    dx_decoded_free(&d);
    decode_ok(NULL, 0, DX_ENC_CP932, &d);
    assert_text(&d, "", 0);
    dx_decoded_free(&d);
}

static void test_detect_japanese(void **state)
{
    (void)state;
    detects("CP932", DX_ENC_CP932, ja_text);
    detects("EUC-JP", DX_ENC_EUCJP, ja_text);
    detects("CP932", DX_ENC_CP932, "名前,山田太郎\n");
    detects("EUC-JP", DX_ENC_EUCJP, "名前,やまだ たろう\n");
    /* JIS level-2 kanji (EUC-JP D1–D3, common hanzi in GB2312): the kana decide */
    detects("EUC-JP", DX_ENC_EUCJP, "呟く、嘲る、儚い\n");
}

static void test_detect_chinese(void **state)
{
    (void)state;
    detects("GB18030", DX_ENC_GB18030, zh_text);
    detects("GB18030", DX_ENC_GB18030, "姓名,张伟\n");
}

static void test_detect_latin(void **state)
{
    (void)state;
    detects("CP1252", DX_ENC_CP1252, fr_text);
    detects("CP1252", DX_ENC_CP1252, de_text);
    detects("CP1252", DX_ENC_CP1252, "Café\n");
    /* Ä Ö Ü ß (A1–DF) read as CP932 are half-width katakana, which are implausible */
    detects("CP1252", DX_ENC_CP1252, "Ärger,Öl,Übel\n");
    /* ’ (92) + letter is a valid CP932 kanji: only "alone between letters" rejects it */
    detects("CP1252", DX_ENC_CP1252, "l’Europe d’Asie qu’il\n");
    detects("ISO-8859-1", DX_ENC_CP1252, "Zoë, Jürgen, Ñandú\n"); /* Latin-1 reads as CP1252 */
}

/* One bad byte in the middle of a CP932 file: still CP932, and the byte is reported exactly. */
static void test_detect_cp932_with_bad_byte(void **state)
{
    (void)state;
    const char *split = strstr(ja_text, "花子");
    size_t prefix_len = (size_t)(split - ja_text);
    char prefix[512];
    memcpy(prefix, ja_text, prefix_len);
    prefix[prefix_len] = '\0';
    bytes a = encode("CP932", prefix), c = encode("CP932", split);
    bytes b = concat(a, "\xFD", 1, c);
    dx_decoded d;
    decode_ok(b.data, b.len, DX_ENC_AUTO, &d);
    assert_int_equal(d.encoding, DX_ENC_CP932);
    assert_int_equal(d.detected, 1);
    assert_int_equal(d.n_errors, 1);
    assert_error(&d, 0, a.len, prefix_len, 1, DX_DECODE_INVALID);
    assert_int_equal(d.errors[0].bytes[0], 0xFD);
    assert_int_equal(d.len, strlen(ja_text) + 3);
    assert_memory_equal(d.text, ja_text, prefix_len);
    assert_string_equal(d.text + prefix_len + 3, split);
    dx_decoded_free(&d);
    free(a.data);
    free(b.data);
    free(c.data);
}

/* Equal costs go to the earlier candidate: 92 6A is 男 in CP932 and "’j" in CP1252. */
static void test_detect_tie_order(void **state)
{
    (void)state;
    detects("CP932", DX_ENC_CP932, "x,男\n");
}

/* The sample starts at the first non-ASCII byte, however far into the file it is, and a
 * character cut by the end of the sample is not held against the encoding. */
static void test_detect_sample_window(void **state)
{
    (void)state;
    size_t pad = 70000;
    bytes ja = encode("CP932", ja_text);
    bytes late = {malloc(pad + ja.len), pad + ja.len};
    assert_non_null(late.data);
    for (size_t k = 0; k < pad; k++)
        late.data[k] = k % 16 == 15 ? '\n' : 'a';
    memcpy(late.data + pad, ja.data, ja.len);
    dx_decoded d;
    decode_ok(late.data, late.len, DX_ENC_AUTO, &d);
    assert_int_equal(d.encoding, DX_ENC_CP932);
    assert_int_equal(d.n_errors, 0);
    assert_string_equal(d.text + pad, ja_text);
    dx_decoded_free(&d);

    size_t cut = 64 * 1024 - 1; /* the sample's last byte is the lead byte of 男 (92 6A) */
    bytes edge = {malloc(cut + 4), cut + 4};
    assert_non_null(edge.data);
    memset(edge.data, ',', edge.len);
    memcpy(edge.data, "x,\x92\x6A", 4);
    memcpy(edge.data + cut, "\x92\x6A,\n", 4);
    decode_ok(edge.data, edge.len, DX_ENC_AUTO, &d);
    assert_int_equal(d.encoding, DX_ENC_CP932);
    assert_int_equal(d.n_errors, 0);
    dx_decoded_free(&d);
    free(ja.data);
    free(late.data);
    free(edge.data);
}

/* A UTF-8 file with one stray Latin-1 byte stays UTF-8 (the byte reported), not CP1252. */
static void test_detect_utf8_with_bad_byte(void **state)
{
    (void)state;
    static const char text[] = "Prénom,Nom\nHélène,Müller\nZoé\xE9,Lefèvre\n";
    dx_decoded d;
    decode_ok(text, sizeof text - 1, DX_ENC_AUTO, &d);
    assert_int_equal(d.encoding, DX_ENC_UTF8);
    assert_int_equal(d.n_errors, 1);
    size_t at = (size_t)(strchr(text, '\xE9') - text);
    assert_error(&d, 0, at, at, 1, DX_DECODE_INVALID);
    dx_decoded_free(&d);
}

/* ---- bad sequences in the iconv-backed encodings ------------------------------------------ */

static void test_cp932_bad_sequences(void **state)
{
    (void)state;
    dx_decoded d;
    /* a lead byte before a comma: only the lead byte is bad, the comma is kept */
    decode_ok("a\x81,\x83\x5C", 5, DX_ENC_CP932, &d);
    assert_text(&d, "a" FFFD ",ソ", 1 + 3 + 1 + 3);
    assert_int_equal(d.n_errors, 1);
    assert_error(&d, 0, 1, 1, 1, DX_DECODE_INVALID);
    dx_decoded_free(&d);
    /* a well-formed but unassigned pair (85 40) is one error of two bytes */
    decode_ok("\x88\x9F\x85\x40\x88\x9F", 6, DX_ENC_CP932, &d);
    assert_text(&d, "亜" FFFD "亜", 9);
    assert_int_equal(d.n_errors, 1);
    assert_error(&d, 0, 2, 3, 2, DX_DECODE_INVALID);
    assert_memory_equal(d.errors[0].bytes, "\x85\x40", 2);
    dx_decoded_free(&d);
    /* short ASCII gaps between kanji go to iconv with them: offsets stay exact after one */
    decode_ok("\x8A\xBF \x85\x40 \x81,\x8E\x9A", 10, DX_ENC_CP932, &d);
    assert_text(&d, "漢 " FFFD " " FFFD ",字", 3 + 1 + 3 + 1 + 3 + 1 + 3);
    assert_int_equal(d.n_errors, 2);
    assert_error(&d, 0, 3, 4, 2, DX_DECODE_INVALID);
    assert_error(&d, 1, 6, 8, 1, DX_DECODE_INVALID);
    dx_decoded_free(&d);
}

static void test_eucjp_gb18030_bad_sequences(void **state)
{
    (void)state;
    dx_decoded d;
    decode_ok("\xA4\xA2\x85\xA4\x41", 5, DX_ENC_EUCJP, &d); /* あ, C1 byte, lead + 'A' */
    assert_text(&d, "あ" FFFD FFFD "A", 3 + 3 + 3 + 1);
    assert_int_equal(d.n_errors, 2);
    assert_error(&d, 0, 2, 3, 1, DX_DECODE_INVALID);
    assert_error(&d, 1, 3, 6, 1, DX_DECODE_INVALID);
    dx_decoded_free(&d);
    decode_ok("\x81\x30\x20\xFF", 4, DX_ENC_GB18030, &d); /* broken 4-byte form, FF */
    assert_text(&d, FFFD "0 " FFFD, 8);
    assert_int_equal(d.n_errors, 2);
    assert_error(&d, 0, 0, 0, 1, DX_DECODE_INVALID);
    assert_error(&d, 1, 3, 5, 1, DX_DECODE_INVALID);
    dx_decoded_free(&d);
    decode_ok("x\x81", 2, DX_ENC_CP1252, &d); /* 81 is unassigned in CP1252 */
    assert_int_equal(d.n_errors, 1);
    assert_error(&d, 0, 1, 1, 1, DX_DECODE_INVALID);
    dx_decoded_free(&d);
}

/* ---- NUL characters ----------------------------------------------------------------------- */

static void test_nul_every_family(void **state)
{
    (void)state;
    dx_decoded d;
    decode_ok("a\0b", 3, DX_ENC_UTF8, &d);
    assert_text(&d, "a" FFFD "b", 5);
    assert_int_equal(d.n_errors, 1);
    assert_error(&d, 0, 1, 1, 1, DX_DECODE_NUL);
    dx_decoded_free(&d);

    decode_ok("a\0\0\0b\0", 6, DX_ENC_UTF16LE, &d);
    assert_text(&d, "a" FFFD "b", 5);
    assert_error(&d, 0, 2, 1, 2, DX_DECODE_NUL);
    dx_decoded_free(&d);
    decode_ok("\0a\0\0\0b", 6, DX_ENC_UTF16BE, &d);
    assert_text(&d, "a" FFFD "b", 5);
    assert_error(&d, 0, 2, 1, 2, DX_DECODE_NUL);
    dx_decoded_free(&d);

    decode_ok("\x8A\xBF\0\x8E\x9A", 5, DX_ENC_CP932, &d); /* 漢 NUL 字 */
    assert_text(&d, "漢" FFFD "字", 9);
    assert_int_equal(d.n_errors, 1);
    assert_error(&d, 0, 2, 3, 1, DX_DECODE_NUL);
    dx_decoded_free(&d);

    decode_ok("\xB4\xC1\0", 3, DX_ENC_EUCJP, &d);
    assert_error(&d, 0, 2, 3, 1, DX_DECODE_NUL);
    dx_decoded_free(&d);
    decode_ok("\0\xD6\xD0", 3, DX_ENC_GB18030, &d);
    assert_text(&d, FFFD "中", 6);
    assert_error(&d, 0, 0, 0, 1, DX_DECODE_NUL);
    dx_decoded_free(&d);
    decode_ok("\xE9\0", 2, DX_ENC_CP1252, &d);
    assert_error(&d, 0, 1, 2, 1, DX_DECODE_NUL);
    dx_decoded_free(&d);
}

/* ---- UTF-16 errors ------------------------------------------------------------------------ */

static void test_utf16_surrogates_and_odd_length(void **state)
{
    (void)state;
    dx_decoded d;
    decode_ok("\x3D\xD8\x00\xDE", 4, DX_ENC_UTF16LE, &d); /* U+1F600 as a pair */
    assert_text(&d, "\xF0\x9F\x98\x80", 4);
    assert_int_equal(d.n_errors, 0);
    dx_decoded_free(&d);

    decode_ok("\x00\xD8" "A\0", 4, DX_ENC_UTF16LE, &d); /* lone high surrogate */
    assert_text(&d, FFFD "A", 4);
    assert_int_equal(d.n_errors, 1);
    assert_error(&d, 0, 0, 0, 2, DX_DECODE_INVALID);
    assert_memory_equal(d.errors[0].bytes, "\x00\xD8", 2);
    dx_decoded_free(&d);

    decode_ok("\0A\xDC\x00\0B", 6, DX_ENC_UTF16BE, &d); /* lone low surrogate */
    assert_text(&d, "A" FFFD "B", 5);
    assert_error(&d, 0, 2, 1, 2, DX_DECODE_INVALID);
    dx_decoded_free(&d);

    decode_ok("A\0\x00\xD8", 4, DX_ENC_UTF16LE, &d); /* high surrogate cut by the end */
    assert_error(&d, 0, 2, 1, 2, DX_DECODE_TRUNCATED);
    dx_decoded_free(&d);

    decode_ok("A\0B", 3, DX_ENC_UTF16LE, &d); /* odd length */
    assert_text(&d, "A" FFFD, 4);
    assert_int_equal(d.n_errors, 1);
    assert_error(&d, 0, 2, 1, 1, DX_DECODE_TRUNCATED);
    dx_decoded_free(&d);
}

/* ---- UTF-8 errors ------------------------------------------------------------------------- */

static void test_utf8_overlong_surrogate_range(void **state)
{
    (void)state;
    dx_decoded d;
    decode_ok("a\xC0\xAF" "b", 4, DX_ENC_UTF8, &d); /* overlong '/' */
    assert_int_equal(d.n_errors, 2);
    assert_error(&d, 0, 1, 1, 1, DX_DECODE_INVALID);
    assert_error(&d, 1, 2, 4, 1, DX_DECODE_INVALID);
    assert_text(&d, "a" FFFD FFFD "b", 8);
    dx_decoded_free(&d);

    decode_ok("\xE0\x80\xAF", 3, DX_ENC_UTF8, &d); /* three-byte overlong */
    assert_int_equal(d.n_errors, 3);
    dx_decoded_free(&d);

    decode_ok("\xED\xA0\x80", 3, DX_ENC_UTF8, &d); /* U+D800 encoded */
    assert_int_equal(d.n_errors, 3);
    assert_error(&d, 0, 0, 0, 1, DX_DECODE_INVALID);
    assert_int_equal(d.errors[0].bytes[0], 0xED);
    dx_decoded_free(&d);

    decode_ok("\xF4\x90\x80\x80", 4, DX_ENC_UTF8, &d); /* U+110000 */
    assert_int_equal(d.n_errors, 4);
    dx_decoded_free(&d);

    decode_ok("\xE3\x81" "A", 3, DX_ENC_UTF8, &d); /* a cut character inside the text */
    assert_int_equal(d.n_errors, 1);
    assert_error(&d, 0, 0, 0, 2, DX_DECODE_INVALID);
    assert_text(&d, FFFD "A", 4);
    dx_decoded_free(&d);

    decode_ok("\xED\x9F\xBF\xEE\x80\x80", 6, DX_ENC_UTF8, &d); /* U+D7FF, U+E000: valid */
    assert_int_equal(d.n_errors, 0);
    assert_int_equal(d.len, 6);
    dx_decoded_free(&d);
}

static void test_truncated_at_end(void **state)
{
    (void)state;
    static const struct {
        const char *data;
        size_t len;
        dx_encoding enc;
        unsigned nbytes;
    } cases[] = {
        {"ab\xE3\x81", 4, DX_ENC_UTF8, 2},          {"ab\xF0\x9F\x98", 5, DX_ENC_UTF8, 3},
        {"ab\x82", 3, DX_ENC_CP932, 1},             {"ab\x8F\xB0", 4, DX_ENC_EUCJP, 2},
        {"ab\xA4", 3, DX_ENC_EUCJP, 1},             {"ab\x81\x30", 4, DX_ENC_GB18030, 2},
        {"ab\x81\x30\x81", 5, DX_ENC_GB18030, 3},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        dx_decoded d;
        decode_ok(cases[k].data, cases[k].len, cases[k].enc, &d);
        assert_int_equal(d.n_errors, 1);
        assert_error(&d, 0, 2, 2, cases[k].nbytes, DX_DECODE_TRUNCATED);
        assert_memory_equal(d.errors[0].bytes, cases[k].data + 2, cases[k].nbytes);
        assert_text(&d, "ab" FFFD, 5);
        dx_decoded_free(&d);
    }
}

/* ---- limits ------------------------------------------------------------------------------- */

static void test_too_many_errors(void **state)
{
    (void)state;
    size_t n = DX_DECODE_MAX_ERRORS + 1;
    char *bad = malloc(n);
    assert_non_null(bad);
    memset(bad, 0xFF, n);
    dx_decoded d;
    assert_int_equal(dx_decode(bad, n, DX_ENC_UTF8, 0, &d), DX_ERR_ENCODING);
    assert_zeroed(&d);
    decode_ok(bad, n - 1, DX_ENC_UTF8, &d); /* exactly the maximum is still reported */
    assert_int_equal(d.n_errors, DX_DECODE_MAX_ERRORS);
    assert_int_equal(d.errors[n - 2].src_offset, n - 2);
    dx_decoded_free(&d);
    free(bad);
    bad = malloc(2 * n);
    assert_non_null(bad);
    for (size_t k = 0; k < 2 * n; k += 2) { /* CP932 lead bytes before commas */
        bad[k] = '\x82';
        bad[k + 1] = ',';
    }
    assert_int_equal(dx_decode(bad, 2 * n, DX_ENC_CP932, 0, &d), DX_ERR_ENCODING);
    assert_zeroed(&d);
    decode_ok(bad, 2 * n - 2, DX_ENC_CP932, &d);
    assert_int_equal(d.n_errors, DX_DECODE_MAX_ERRORS);
    dx_decoded_free(&d);
    free(bad);
}

static void test_max_out(void **state)
{
    (void)state;
    dx_decoded d;
    assert_int_equal(dx_decode("abcdef", 6, DX_ENC_UTF8, 5, &d), DX_ERR_LIMIT);
    assert_zeroed(&d);
    assert_int_equal(dx_decode("abcdef", 6, DX_ENC_UTF8, 6, &d), DX_OK);
    assert_int_equal(d.len, 6);
    dx_decoded_free(&d);

    /* 漢字 in CP932 is 4 bytes in, 6 bytes out: the cap counts output bytes */
    assert_int_equal(dx_decode("\x8A\xBF\x8E\x9A", 4, DX_ENC_CP932, 5, &d), DX_ERR_LIMIT);
    assert_zeroed(&d);
    assert_int_equal(dx_decode("\x8A\xBF\x8E\x9A", 4, DX_ENC_CP932, 6, &d), DX_OK);
    assert_text(&d, "漢字", 6);
    dx_decoded_free(&d);

    assert_int_equal(dx_decode("\x8A\xBF\x8E\x9A", 4, DX_ENC_AUTO, 5, &d), DX_ERR_LIMIT);
    assert_zeroed(&d);
    assert_int_equal(dx_decode("\x42\x30\x44\x30", 4, DX_ENC_UTF16LE, 5, &d), DX_ERR_LIMIT);
    assert_zeroed(&d);
    assert_int_equal(dx_decode("a\xFF", 2, DX_ENC_UTF8, 3, &d), DX_ERR_LIMIT); /* U+FFFD too */
    assert_zeroed(&d);

    bytes big = encode("CP932", ja_text); /* many iconv runs, cap somewhere inside one */
    size_t full = strlen(ja_text);
    for (size_t cap = full - 40; cap < full; cap++) {
        assert_int_equal(dx_decode(big.data, big.len, DX_ENC_CP932, cap, &d), DX_ERR_LIMIT);
        assert_zeroed(&d);
    }
    decode_ok(big.data, big.len, DX_ENC_CP932, &d);
    assert_int_equal(d.len, full);
    dx_decoded_free(&d);
    free(big.data);
}

static void test_invalid_arguments(void **state)
{
    (void)state;
    dx_decoded d;
    assert_int_equal(dx_decode("x", 1, DX_ENC_UTF8, 0, NULL), DX_ERR_INVALID);
    assert_int_equal(dx_decode(NULL, 1, DX_ENC_UTF8, 0, &d), DX_ERR_INVALID);
    assert_zeroed(&d);
    assert_int_equal(dx_decode("x", 1, (dx_encoding)99, 0, &d), DX_ERR_INVALID);
    assert_zeroed(&d);
    dx_decoded_free(NULL);
    dx_decoded_free(&d); /* a zeroed struct */
}

/* ---- names -------------------------------------------------------------------------------- */

static void test_encoding_parse_and_name(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        dx_encoding enc;
    } names[] = {
        {"utf-8", DX_ENC_UTF8},         {"UTF8", DX_ENC_UTF8},           {"utf-16le", DX_ENC_UTF16LE},
        {"UTF_16BE", DX_ENC_UTF16BE},   {"Shift_JIS", DX_ENC_CP932},     {"sjis", DX_ENC_CP932},
        {"cp932", DX_ENC_CP932},        {"Windows-31J", DX_ENC_CP932},   {"MS932", DX_ENC_CP932},
        {"EUC-JP", DX_ENC_EUCJP},       {"eucjp", DX_ENC_EUCJP},         {"gb18030", DX_ENC_GB18030},
        {"GBK", DX_ENC_GB18030},        {"gb2312", DX_ENC_GB18030},      {"cp1252", DX_ENC_CP1252},
        {"windows-1252", DX_ENC_CP1252}, {"latin-1", DX_ENC_LATIN1},     {"Latin1", DX_ENC_LATIN1},
        {"ISO-8859-1", DX_ENC_LATIN1},  {"auto", DX_ENC_AUTO},           {"AUTO", DX_ENC_AUTO},
    };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        dx_encoding enc = (dx_encoding)-1;
        assert_int_equal(dx_encoding_parse(names[k].name, &enc), DX_OK);
        assert_int_equal(enc, names[k].enc);
    }
    dx_encoding enc = DX_ENC_CP1252;
    assert_int_equal(dx_encoding_parse("ebcdic", &enc), DX_ERR_NOT_FOUND);
    assert_int_equal(dx_encoding_parse("", &enc), DX_ERR_NOT_FOUND);
    assert_int_equal(dx_encoding_parse("utf-8-and-a-very-long-tail", &enc), DX_ERR_NOT_FOUND);
    assert_int_equal(enc, DX_ENC_CP1252); /* untouched on failure */
    assert_int_equal(dx_encoding_parse(NULL, &enc), DX_ERR_INVALID);
    assert_int_equal(dx_encoding_parse("utf8", NULL), DX_ERR_INVALID);

    assert_string_equal(dx_encoding_name(DX_ENC_UTF8), "UTF-8");
    assert_string_equal(dx_encoding_name(DX_ENC_UTF16LE), "UTF-16LE");
    assert_string_equal(dx_encoding_name(DX_ENC_UTF16BE), "UTF-16BE");
    assert_string_equal(dx_encoding_name(DX_ENC_CP932), "CP932");
    assert_string_equal(dx_encoding_name(DX_ENC_EUCJP), "EUC-JP");
    assert_string_equal(dx_encoding_name(DX_ENC_GB18030), "GB18030");
    assert_string_equal(dx_encoding_name(DX_ENC_CP1252), "CP1252");
    assert_string_equal(dx_encoding_name(DX_ENC_LATIN1), "ISO-8859-1");
    assert_string_equal(dx_encoding_name(DX_ENC_AUTO), "auto");
    assert_string_equal(dx_encoding_name((dx_encoding)42), "auto");
}

/* ---- allocation failure ------------------------------------------------------------------- */

/* Fails allocation n = 0, 1, 2, ... until the decode succeeds: each failure must be a clean
 * DX_ERR_NOMEM with *out zeroed (LSan in the san build checks nothing leaks). */
static void sweep_alloc_failures(const void *data, size_t len, dx_encoding enc)
{
    long n;
    dx_decoded d;
    for (n = 0; n < 100000; n++) {
        dx_alloc_fail_after(n);
        dx_status st = dx_decode(data, len, enc, 0, &d);
        dx_alloc_fail_after(-1);
        if (st == DX_OK)
            break;
        assert_int_equal(st, DX_ERR_NOMEM);
        assert_zeroed(&d);
    }
    assert_true(n > 0); /* at least one allocation was made to fail */
    assert_non_null(d.text);
    dx_decoded_free(&d);
}

static void test_allocation_failures(void **state)
{
    (void)state;
    char many_errors[200]; /* enough errors to grow the error list several times */
    for (size_t k = 0; k < sizeof many_errors; k += 2) {
        many_errors[k] = 'x';
        many_errors[k + 1] = '\xFF';
    }
    sweep_alloc_failures(many_errors, sizeof many_errors, DX_ENC_UTF8);
    bytes ja = encode("CP932", ja_text);
    bytes bad = concat(ja, "\xFD\x82", 2, ja);
    sweep_alloc_failures(bad.data, bad.len, DX_ENC_AUTO); /* detection, then CP932 errors */
    bytes kana = encode("CP932", "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝ");
    sweep_alloc_failures(kana.data, kana.len, DX_ENC_CP932); /* output 3x input: grows */
    bytes le = encode("UTF-16LE", zh_text);
    sweep_alloc_failures(le.data, le.len, DX_ENC_UTF16LE);
    sweep_alloc_failures("", 0, DX_ENC_AUTO);
    free(ja.data);
    free(bad.data);
    free(kana.data);
    free(le.data);
}


/*
 * CP932 is decoded by a table built from glibc's converter. Over every one-byte unit and every
 * lead byte paired with every other byte, the table path and the iconv path must give the
 * same text and the same errors (offsets, bytes, problems).
 */
static void test_cp932_table_matches_iconv(void **state)
{
    (void)state;
    size_t errors = 0;
    for (int lead = 1; lead < 256; lead++) {
        unsigned char buf[4 + 3 * 256];
        size_t n = 0;
        buf[n++] = (unsigned char)lead;
        buf[n++] = ',';
        for (int b = 1; b < 256; b++) {
            buf[n++] = (unsigned char)lead;
            buf[n++] = (unsigned char)b;
            buf[n++] = '\n';
        }
        dx_decoded by_table = {0}, by_iconv = {0};
        dx_encoding_testing_use_tables(1);
        assert_int_equal(dx_decode(buf, n, DX_ENC_CP932, 0, &by_table), DX_OK);
        dx_encoding_testing_use_tables(0);
        assert_int_equal(dx_decode(buf, n, DX_ENC_CP932, 0, &by_iconv), DX_OK);
        dx_encoding_testing_use_tables(1);
        assert_int_equal(by_table.len, by_iconv.len);
        assert_memory_equal(by_table.text, by_iconv.text, by_table.len);
        assert_int_equal(by_table.n_errors, by_iconv.n_errors);
        for (size_t k = 0; k < by_table.n_errors; k++) {
            assert_int_equal(by_table.errors[k].src_offset, by_iconv.errors[k].src_offset);
            assert_int_equal(by_table.errors[k].out_offset, by_iconv.errors[k].out_offset);
            assert_int_equal(by_table.errors[k].nbytes, by_iconv.errors[k].nbytes);
            assert_int_equal(by_table.errors[k].problem, by_iconv.errors[k].problem);
        }
        errors += by_table.n_errors;
        dx_decoded_free(&by_table);
        dx_decoded_free(&by_iconv);
    }
    assert_true(errors > 10000); /* the unmapped units were really exercised */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_utf8),
        cmocka_unit_test(test_round_trip_utf16),
        cmocka_unit_test(test_round_trip_cp932),
        cmocka_unit_test(test_round_trip_eucjp),
        cmocka_unit_test(test_round_trip_gb18030),
        cmocka_unit_test(test_round_trip_cp1252_latin1),
        cmocka_unit_test(test_bom_utf8),
        cmocka_unit_test(test_bom_utf16),
        cmocka_unit_test(test_detect_utf8_and_ascii),
        cmocka_unit_test(test_detect_japanese),
        cmocka_unit_test(test_detect_chinese),
        cmocka_unit_test(test_detect_latin),
        cmocka_unit_test(test_detect_cp932_with_bad_byte),
        cmocka_unit_test(test_detect_tie_order),
        cmocka_unit_test(test_detect_sample_window),
        cmocka_unit_test(test_detect_utf8_with_bad_byte),
        cmocka_unit_test(test_cp932_bad_sequences),
        cmocka_unit_test(test_eucjp_gb18030_bad_sequences),
        cmocka_unit_test(test_nul_every_family),
        cmocka_unit_test(test_utf16_surrogates_and_odd_length),
        cmocka_unit_test(test_utf8_overlong_surrogate_range),
        cmocka_unit_test(test_truncated_at_end),
        cmocka_unit_test(test_too_many_errors),
        cmocka_unit_test(test_max_out),
        cmocka_unit_test(test_invalid_arguments),
        cmocka_unit_test(test_encoding_parse_and_name),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_cp932_table_matches_iconv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

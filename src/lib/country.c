/*
 * country.c — resolve what people type for a country or nationality to ISO 3166-1 alpha-2.
 *
 * How it works
 * ------------
 * dx_countries_new() builds one immutable hash table from normalised key to one or two
 * country codes; dx_country_lookup() normalises its input the same way and probes the table.
 *
 * Where the names come from (three sources, in increasing precedence):
 *   1. ICU's locale data (CLDR). The codes are uloc_getISOCountries(), less DG, EA and IC
 *      (ICU lists them, but ISO only reserves them for parts of other countries); XK (Kosovo)
 *      is kept although user-assigned, because CLDR, the EU and US agencies all use it. For
 *      each display locale in kDisplayLocales the name is uloc_getDisplayCountry(); the
 *      alternative forms come from the "Countries%short" and "Countries%variant" tables of
 *      ICU's region bundle ("UK", "Ivory Coast", "Congo (DRC)"). In ICU 72 these are
 *      separate tables, not "HK%short" keys inside "Countries"; keys that are not codes in our
 *      set ("001", "419", "EU", "UN") are skipped. Names with abbreviations are also added
 *      spelled out (kSpellings: "St. Kitts & Nevis" → "Saint Kitts and Nevis", 英領 →
 *      イギリス領). A two-letter Latin key from ICU is dropped (see add_name). The English
 *      name of each code is kept for dx_country_name().
 *   2. The project's own table, country_variants.inc: demonyms ("Chinese"), sanctions-list
 *      and HR forms ("Korea, South", "PRC", "Burma") and CJK official forms CLDR lacks.
 *   3. The codes themselves, lower-cased alpha-2 and alpha-3.
 *
 * Key normalisation (normalise_key; the same function for building and for lookup):
 * NFKC with case folding (full-width → ASCII, half-width katakana → full-width, "ß" → "ss"),
 * then NFD, then the combining marks of the Latin/Greek/Cyrillic diacritic blocks are dropped
 * ("Côte" → "cote", "й" → "и"), then NFC, and finally everything that is not a letter, digit
 * or remaining combining mark is dropped (spaces, punctuation, "・", "’"). Only those
 * diacritic blocks are dropped, not every nonspacing mark: dropping all would merge Japanese
 * ド with ト (the voicing mark is a nonspacing mark in NFD) and erase Thai and Devanagari
 * vowels. Katakana ヴァ/ヴィ/ヴ/ヴェ/ヴォ fold to バ/ビ/ブ/ベ/ボ, two spellings of one
 * sound (ヴェトナム, ベトナム). Pure-ASCII text takes a shortcut with the same result
 * (lower-case letters and digits), so English names never touch ICU at lookup time.
 *
 * Ambiguity: a key that two sources of the same precedence map to two different codes is
 * AMBIGUOUS, and lookup reports both (never a silent pick). A source of higher precedence
 * replaces what lower ones said about the same key: so when the project table states a key,
 * its codes are the answer even if some locale's CLDR name disagrees, and stating a key twice
 * in the project table makes it deliberately ambiguous ("Congo": CG, CD; "Korea": KR, KP;
 * "Dominican": DO, DM; "Channel Islands": GG, JE; "Virgin Islands": VG, VI; "Republic of
 * China": TW, CN, since people write it for both; Japanese 朝鮮 and so 朝鮮籍: KR, KP, since
 * on a Japanese residence card it names the peninsula, not DPRK nationality). The only
 * ICU-internal collision is "Kongo" (CG, CD), left ambiguous. Decisions on near-collisions,
 * all in the table:
 * "Georgia" → GE (a country field does not hold US states), "Dominica" → DM but "Dominican"
 * is ambiguous, "Niger"/"Nigerien" → NE and "Nigeria"/"Nigerian" → NG, "Guinea" → GN (its
 * ISO short name; the other Guineas have their own keys).
 *
 * Nationality forms: when the whole key is unknown, one affix is stripped and the rest looked
 * up again: Japanese/Chinese 国籍, 籍, 人, 系 (also a leading 国籍 as in "国籍：中国"), Korean
 * 국적, 인, English "national", "citizen", "nationality", "citizen of", "national of"; and an
 * English "X Island" is tried as "X Islands" ("Cook Island" is the adjective of Cook Islands).
 *
 * Cost: a two- or three-letter code is answered from direct-index arrays without
 * normalising; anything else is normalised into stack buffers (text over
 * DX_COUNTRY_TEXT_MAX bytes is UNKNOWN) and probed in an open-addressing table (FNV-1a,
 * linear probing, load at most 1/2). Lookups never allocate and never write to the table, so
 * any number of threads may share one dx_countries.
 */
#include "dexcheck/country.h"

#include <stdint.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/udata.h>
#include <unicode/uloc.h>
#include <unicode/unorm2.h>
#include <unicode/ures.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "alloc.h"

#define DX_COUNTRY_TEXT_MAX 200         /* bytes of trimmed input; longer is UNKNOWN */
#define KEY_MAX 512                     /* bytes of a normalised key */
#define U16_CAP (4 * DX_COUNTRY_TEXT_MAX) /* UTF-16 units while normalising */
#define NAME_MAX_UNITS 256              /* UTF-16 units of a name read from ICU */
#define NO_COUNTRY 0xFFFFu
#define TABLE_MAX_KEYS (1u << 20)

enum key_source { SRC_ICU = 1, SRC_PROJECT = 2, SRC_CODE = 3 };

typedef struct country_slot {
    uint32_t hash;
    uint32_t key_off; /* into text */
    uint16_t key_len; /* 0: empty slot */
    uint16_t code[2]; /* country indices; code[1] is NO_COUNTRY unless ambiguous */
    uint8_t source;   /* enum key_source of the entries that won */
} country_slot;

typedef struct country_info {
    char alpha2[3];
    char alpha3[4];
    uint32_t name_off; /* English short name, NUL-terminated, in text */
} country_info;

struct dx_countries {
    country_info *info;
    size_t count;
    uint16_t by_alpha2[26 * 26];      /* index into info, or NO_COUNTRY */
    uint16_t by_alpha3[26 * 26 * 26]; /* likewise */
    country_slot *slots;
    size_t slot_cap; /* a power of two */
    size_t keys;
    char *text; /* keys and English names, each followed by a NUL */
    size_t text_len, text_cap;
    const UNormalizer2 *nfkc_cf, *nfd, *nfc;
};

typedef struct country_variant {
    const char *text;
    const char *alpha2;
} country_variant;

static const country_variant kVariants[] = {
#define DX_CV(text, alpha2) {text, alpha2},
#include "country_variants.inc"
#undef DX_CV
};

/* The locales whose country names become keys. zh_Hant and zh_Hant_HK differ from zh in
 * script and usage; pt_PT and es_419 add a few spellings of their own. */
static const char *const kDisplayLocales[] = {
    "en", "ja", "zh", "zh_Hant", "zh_Hant_HK", "ko", "ru", "fr", "de", "es", "es_419", "pt",
    "pt_PT", "it", "ar", "fa", "vi", "th", "id", "ms", "tr", "uk", "pl", "nl", "he", "hi",
    "bn", "ur", "my", "km", "lo", "mn", "kk", "uz", "ky", "az", "hy", "ka", "el", "cs", "sk",
    "hu", "ro", "bg", "sr", "hr", "sl", "sv", "da", "nb", "fi", "et", "lv", "lt", "fil", "ne",
    "ta", "be",
};

/* Abbreviations in CLDR names that people also write out; each name is added in every
 * combination of its spelled-out forms ("St. Kitts & Nevis" → "Saint Kitts and Nevis"). */
static const struct {
    const char *locale, *from, *to;
} kSpellings[] = {
    {"en", "&", "and"},
    {"en", "St.", "Saint"},
    {"ja", "米領", "アメリカ領"},
    {"ja", "英領", "イギリス領"},
    {"ja", "仏領", "フランス領"},
};

/* ICU lists these, but ISO 3166-1 only reserves them (Diego Garcia, Ceuta and Melilla, the
 * Canary Islands are parts of IO, ES and ES). */
static const char *const kNotCountries[] = {"DG", "EA", "IC"};

/* Affixes stripped from an unknown key (normalised forms), tried in this order. */
static const struct {
    const char *text;
    int prefix;
} kAffixes[] = {
    {"国籍", 0}, {"籍", 0}, {"人", 0}, {"系", 0}, {"국적", 0}, {"인", 0},
    {"nationality", 0}, {"nationals", 0}, {"national", 0}, {"citizens", 0}, {"citizen", 0},
    {"国籍", 1}, {"국적", 1}, {"nationality", 1}, {"citizenof", 1}, {"nationalof", 1},
};

/* ---- small helpers ---------------------------------------------------------------- */

static int ascii_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static unsigned letter_index(unsigned char c)
{
    return (unsigned)((c | 0x20) - 'a');
}

static uint32_t fnv1a(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

/* In-range combining marks of the Latin, Greek and Cyrillic diacritic blocks. */
static int is_dropped_diacritic(UChar c)
{
    return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
           (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
           (c >= 0xFE20 && c <= 0xFE2F);
}

/* Append `n` bytes and a NUL to the text pool; *off gets where they start. */
static dx_status text_append(dx_countries *c, const char *s, size_t n, uint32_t *off)
{
    if (c->text_len + n + 1 > c->text_cap) {
        size_t cap = dx_grow_cap(c->text_cap, c->text_len + n + 1, UINT32_MAX);
        if (!cap)
            return DX_ERR_LIMIT;
        char *grown = dx_realloc(c->text, cap);
        if (!grown)
            return DX_ERR_NOMEM;
        c->text = grown;
        c->text_cap = cap;
    }
    memcpy(c->text + c->text_len, s, n);
    c->text[c->text_len + n] = '\0';
    *off = (uint32_t)c->text_len;
    c->text_len += n + 1;
    return DX_OK;
}

/* ---- normalisation ---------------------------------------------------------------- */

/* ASCII text: lower-case letters and digits, nothing else. Returns the key length. */
static size_t normalise_ascii(const char *text, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ascii_alpha(ch))
            out[n++] = (char)(ch | 0x20);
        else if (ch >= '0' && ch <= '9')
            out[n++] = (char)ch;
    }
    return n;
}

/* Katakana ヴ and ヴァ ヴィ ヴェ ヴォ are spelling variants of ブ and バ ビ ベ ボ (ヴェトナム,
 * ベトナム); both spell the same key. Called after ヴ at u[*i - 1]; consumes a small vowel. */
static UChar32 fold_katakana_vu(const UChar *u, int32_t *i, int32_t n)
{
    static const UChar small[] = {0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9}; /* ァィゥェォ */
    static const UChar plain[] = {0x30D0, 0x30D3, 0x30D6, 0x30D9, 0x30DC}; /* バビブベボ */
    for (int k = 0; *i < n && k < 5; k++)
        if (u[*i] == small[k]) {
            (*i)++;
            return plain[k];
        }
    return 0x30D6;
}

/* Keep letters, digits and combining marks of `u`, as UTF-8 into out[KEY_MAX]; 0 when the
 * key would not fit. */
static size_t emit_key(const UChar *u, int32_t n, char *out)
{
    size_t len = 0;
    int32_t i = 0;
    while (i < n) {
        UChar32 cp;
        U16_NEXT(u, i, n, cp);
        if (!u_isalnum(cp) && !(U_GET_GC_MASK(cp) & U_GC_M_MASK))
            continue;
        if (cp == 0x30F4) /* ヴ */
            cp = fold_katakana_vu(u, &i, n);
        if (len + U8_LENGTH(cp) > KEY_MAX)
            return 0;
        U8_APPEND_UNSAFE(out, len, cp);
    }
    return len;
}

/*
 * The key of `len` bytes of UTF-8 (invalid sequences become U+FFFD, which is then dropped)
 * into out[KEY_MAX]; returns its length, 0 when there is no usable key (empty after
 * normalisation, or too long).
 */
static size_t normalise_key(const dx_countries *c, const char *text, size_t len, char *out)
{
    size_t i = 0;
    while (i < len && !((unsigned char)text[i] & 0x80))
        i++;
    if (i == len)
        return len <= KEY_MAX ? normalise_ascii(text, len, out) : 0;
    if (len > DX_COUNTRY_TEXT_MAX)
        return 0;

    UChar a[U16_CAP], b[U16_CAP];
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8WithSub(a, U16_CAP, &n, text, (int32_t)len, 0xFFFD, NULL, &err);
    n = unorm2_normalize(c->nfkc_cf, a, n, b, U16_CAP, &err);
    n = unorm2_normalize(c->nfd, b, n, a, U16_CAP, &err);
    if (U_FAILURE(err))
        return 0;
    int32_t kept = 0;
    for (int32_t j = 0; j < n; j++)
        if (!is_dropped_diacritic(a[j]))
            a[kept++] = a[j];
    n = unorm2_normalize(c->nfc, a, kept, b, U16_CAP, &err);
    if (U_FAILURE(err))
        return 0;
    return emit_key(b, n, out);
}

/* ---- the key table ---------------------------------------------------------------- */

/* Index of the slot holding `key` (hash `h`), or SIZE_MAX. */
static size_t table_index(const dx_countries *c, const char *key, size_t len, uint32_t h)
{
    size_t mask = c->slot_cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        const country_slot *s = &c->slots[i];
        if (s->key_len == 0)
            return SIZE_MAX;
        if (s->hash == h && s->key_len == len && memcmp(c->text + s->key_off, key, len) == 0)
            return i;
    }
}

static const country_slot *table_find(const dx_countries *c, const char *key, size_t len)
{
    size_t i = table_index(c, key, len, fnv1a(key, len));
    return i == SIZE_MAX ? NULL : &c->slots[i];
}

static country_slot *table_probe(country_slot *slots, size_t cap, uint32_t h)
{
    size_t i = h & (cap - 1);
    while (slots[i].key_len != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

/* Make room for one more key, keeping the load at most 1/2. */
static dx_status table_reserve(dx_countries *c)
{
    if ((c->keys + 1) * 2 <= c->slot_cap)
        return DX_OK;
    if (c->keys >= TABLE_MAX_KEYS)
        return DX_ERR_LIMIT;
    size_t cap = c->slot_cap ? c->slot_cap * 2 : 4096;
    country_slot *slots = dx_calloc(cap, sizeof *slots);
    if (!slots)
        return DX_ERR_NOMEM;
    for (size_t i = 0; i < c->slot_cap; i++)
        if (c->slots[i].key_len != 0)
            *table_probe(slots, cap, c->slots[i].hash) = c->slots[i];
    dx_free(c->slots);
    c->slots = slots;
    c->slot_cap = cap;
    return DX_OK;
}

/* Merge one (key, country) statement from `source` into an existing slot: a higher source
 * replaces, the same source adds a second code, a lower one is ignored. */
static void slot_merge(country_slot *s, uint16_t country, uint8_t source)
{
    if (source > s->source) {
        s->source = source;
        s->code[0] = country;
        s->code[1] = NO_COUNTRY;
    } else if (source == s->source && s->code[0] != country && s->code[1] == NO_COUNTRY) {
        s->code[1] = country;
    }
}

/* State that the normalised `key` means `country` according to `source`. */
static dx_status table_add(dx_countries *c, const char *key, size_t len, uint16_t country,
                           uint8_t source)
{
    if (len == 0 || len > KEY_MAX)
        return DX_OK;
    uint32_t h = fnv1a(key, len);
    size_t at = table_index(c, key, len, h);
    if (at != SIZE_MAX) {
        slot_merge(&c->slots[at], country, source);
        return DX_OK;
    }
    dx_status st = table_reserve(c);
    uint32_t off = 0;
    if (st == DX_OK)
        st = text_append(c, key, len, &off);
    if (st != DX_OK)
        return st;
    *table_probe(c->slots, c->slot_cap, h) =
        (country_slot){h, off, (uint16_t)len, {country, NO_COUNTRY}, source};
    c->keys++;
    return DX_OK;
}

/* Normalise a UTF-8 name and add it. A two-letter Latin key from ICU is left out: it is
 * another language's abbreviation (French "É.-U." and Dutch "VS" for the USA, Indonesian
 * "AS", which is also American Samoa's code) that reads as an ISO code or as something else
 * entirely ("EU"); the two-letter non-codes accepted are those the project table states
 * ("UK"). */
static dx_status add_name(dx_countries *c, const char *name, size_t len, uint16_t country,
                          uint8_t source)
{
    char key[KEY_MAX];
    size_t klen = normalise_key(c, name, len, key);
    if (source == SRC_ICU && klen == 2 && ascii_alpha((unsigned char)key[0]) &&
        ascii_alpha((unsigned char)key[1]))
        return DX_OK;
    return table_add(c, key, klen, country, source);
}

/* ---- building from ICU ------------------------------------------------------------ */

static dx_status icu_status(UErrorCode err)
{
    return err == U_MEMORY_ALLOCATION_ERROR ? DX_ERR_NOMEM : DX_OK;
}

/* Position of `n` ASCII letters (any case) in by_alpha2 (n = 2) or by_alpha3 (n = 3), or
 * SIZE_MAX when one is not a letter. */
static size_t code_slot(const char *s, size_t n)
{
    size_t at = 0;
    for (size_t k = 0; k < n; k++) {
        if (!ascii_alpha((unsigned char)s[k]))
            return SIZE_MAX;
        at = at * 26 + letter_index((unsigned char)s[k]);
    }
    return at;
}

/* Index of an alpha-2 code given as two ASCII letters (any case), or NO_COUNTRY. */
static uint16_t alpha2_index(const dx_countries *c, const char *s)
{
    size_t at = code_slot(s, 2);
    return at == SIZE_MAX ? NO_COUNTRY : c->by_alpha2[at];
}

/* Likewise for alpha-3. */
static uint16_t alpha3_index(const dx_countries *c, const char *s)
{
    size_t at = code_slot(s, 3);
    return at == SIZE_MAX ? NO_COUNTRY : c->by_alpha3[at];
}

static int is_excluded_code(const char *code)
{
    for (size_t i = 0; i < sizeof kNotCountries / sizeof kNotCountries[0]; i++)
        if (strcmp(code, kNotCountries[i]) == 0)
            return 1;
    return 0;
}

/* The English name of country i into the text pool, and its codes into the key table. */
static dx_status load_country(dx_countries *c, uint16_t i)
{
    country_info *ci = &c->info[i];
    char locale[8] = "und_";
    memcpy(locale + 4, ci->alpha2, 3);
    UChar u[NAME_MAX_UNITS];
    char utf8[4 * NAME_MAX_UNITS];
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = uloc_getDisplayCountry(locale, "en", u, NAME_MAX_UNITS, &err);
    u_strToUTF8(utf8, sizeof utf8, &n, u, n, &err);
    if (U_FAILURE(err))
        return icu_status(err) == DX_ERR_NOMEM ? DX_ERR_NOMEM : DX_ERR_INTERNAL;
    dx_status st = text_append(c, utf8, (size_t)n, &ci->name_off);
    char lower[4] = {0};
    for (int k = 0; k < 3 && st == DX_OK; k++)
        lower[k] = (char)(ci->alpha3[k] | 0x20);
    if (st == DX_OK)
        st = table_add(c, lower, 3, i, SRC_CODE);
    lower[0] = (char)(ci->alpha2[0] | 0x20);
    lower[1] = (char)(ci->alpha2[1] | 0x20);
    if (st == DX_OK)
        st = table_add(c, lower, 2, i, SRC_CODE);
    return st;
}

/* The code list: uloc_getISOCountries() less kNotCountries, with alpha-3 and English name. */
static dx_status load_codes(dx_countries *c)
{
    const char *const *iso = uloc_getISOCountries();
    size_t total = 0;
    while (iso[total])
        total++;
    c->info = dx_calloc(total, sizeof *c->info);
    if (!c->info)
        return DX_ERR_NOMEM;
    for (size_t k = 0; k < total; k++) {
        const char *code = iso[k];
        if (strlen(code) != 2 || alpha2_index(c, code) != NO_COUNTRY || is_excluded_code(code))
            continue;
        char locale[8] = "und_";
        memcpy(locale + 4, code, 3);
        const char *a3 = uloc_getISO3Country(locale);
        if (strlen(a3) != 3 || code_slot(a3, 3) == SIZE_MAX || alpha3_index(c, a3) != NO_COUNTRY)
            continue;
        uint16_t i = (uint16_t)c->count++;
        memcpy(c->info[i].alpha2, code, 3);
        memcpy(c->info[i].alpha3, a3, 4);
        c->by_alpha2[code_slot(code, 2)] = i;
        c->by_alpha3[code_slot(a3, 3)] = i;
        dx_status st = load_country(c, i);
        if (st != DX_OK)
            return st;
    }
    return DX_OK;
}

/* Replace every `from` in `s` by `to` into out[cap]; 1 when anything was replaced and the
 * result fits. */
static int replace_all(const char *s, const char *from, const char *to, char *out, size_t cap)
{
    size_t flen = strlen(from), tlen = strlen(to), n = 0;
    int replaced = 0;
    while (*s) {
        int hit = strncmp(s, from, flen) == 0;
        size_t piece = hit ? tlen : 1;
        if (n + piece >= cap)
            return 0;
        memcpy(out + n, hit ? to : s, piece);
        n += piece;
        s += hit ? flen : 1;
        replaced |= hit;
    }
    out[n] = '\0';
    return replaced;
}

/* A CLDR name and its spelled-out forms (kSpellings applied in every combination). */
static dx_status add_spelled_forms(dx_countries *c, const char *name, uint16_t country,
                                   const char *locale)
{
    char forms[4][4 * NAME_MAX_UNITS];
    size_t count = 1;
    size_t len = strlen(name);
    if (len >= sizeof forms[0])
        return DX_OK;
    memcpy(forms[0], name, len + 1);
    for (size_t r = 0; r < sizeof kSpellings / sizeof kSpellings[0]; r++) {
        if (strcmp(kSpellings[r].locale, locale) != 0)
            continue;
        for (size_t f = 0, have = count; f < have && count < 4; f++)
            if (replace_all(forms[f], kSpellings[r].from, kSpellings[r].to, forms[count],
                            sizeof forms[count]))
                count++;
    }
    dx_status st = DX_OK;
    for (size_t f = 0; f < count && st == DX_OK; f++)
        st = add_name(c, forms[f], strlen(forms[f]), country, SRC_ICU);
    return st;
}

/* One ICU name (UTF-16) for `country` seen in `locale`. */
static dx_status add_icu_name(dx_countries *c, const UChar *u, int32_t n, uint16_t country,
                              const char *locale)
{
    char utf8[4 * NAME_MAX_UNITS];
    int32_t len = 0;
    UErrorCode err = U_ZERO_ERROR;
    u_strToUTF8(utf8, sizeof utf8, &len, u, n, &err);
    if (U_FAILURE(err) || (size_t)len >= sizeof utf8)
        return icu_status(err);
    utf8[len] = '\0';
    return add_spelled_forms(c, utf8, country, locale);
}

/* The display name of every country in `locale`; a name that is only the code (ICU's
 * fallback when the locale lacks one) is skipped. */
static dx_status add_display_names(dx_countries *c, const char *locale)
{
    for (uint16_t i = 0; i < c->count; i++) {
        char id[8] = "und_";
        memcpy(id + 4, c->info[i].alpha2, 3);
        UChar u[NAME_MAX_UNITS];
        UErrorCode err = U_ZERO_ERROR;
        int32_t n = uloc_getDisplayCountry(id, locale, u, NAME_MAX_UNITS, &err);
        if (U_FAILURE(err) || err == U_USING_DEFAULT_WARNING) {
            if (icu_status(err) != DX_OK)
                return DX_ERR_NOMEM;
            continue;
        }
        if (n == 2 && u[0] == (UChar)c->info[i].alpha2[0] && u[1] == (UChar)c->info[i].alpha2[1])
            continue;
        dx_status st = add_icu_name(c, u, n, i, locale);
        if (st != DX_OK)
            return st;
    }
    return DX_OK;
}

/* The alternative names of one region-bundle table ("Countries%short", "Countries%variant")
 * of `locale`'s own bundle (inherited entries come with the parent locale, also listed). */
static dx_status add_alternative_table(dx_countries *c, UResourceBundle *bundle,
                                       const char *table, const char *locale)
{
    UErrorCode err = U_ZERO_ERROR;
    UResourceBundle *t = ures_getByKey(bundle, table, NULL, &err);
    dx_status st = icu_status(err);
    while (st == DX_OK && U_SUCCESS(err) && ures_hasNext(t)) {
        UErrorCode e = U_ZERO_ERROR;
        int32_t n = 0;
        const char *key = NULL;
        const UChar *u = ures_getNextString(t, &n, &key, &e);
        if (U_FAILURE(e)) {
            st = icu_status(e);
            continue;
        }
        if (!key || strlen(key) != 2)
            continue; /* "001", "419": regions, not countries */
        uint16_t i = alpha2_index(c, key);
        if (i != NO_COUNTRY && n < NAME_MAX_UNITS)
            st = add_icu_name(c, u, n, i, locale);
    }
    ures_close(t);
    return st;
}

static dx_status add_alternative_names(dx_countries *c, const char *locale)
{
    UErrorCode err = U_ZERO_ERROR;
    UResourceBundle *bundle =
        ures_open(U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "region", locale, &err);
    dx_status st = icu_status(err);
    if (st == DX_OK && U_SUCCESS(err))
        st = add_alternative_table(c, bundle, "Countries%short", locale);
    if (st == DX_OK && U_SUCCESS(err))
        st = add_alternative_table(c, bundle, "Countries%variant", locale);
    ures_close(bundle);
    return st;
}

static dx_status load_icu_names(dx_countries *c)
{
    for (size_t k = 0; k < sizeof kDisplayLocales / sizeof kDisplayLocales[0]; k++) {
        dx_status st = add_display_names(c, kDisplayLocales[k]);
        if (st == DX_OK)
            st = add_alternative_names(c, kDisplayLocales[k]);
        if (st != DX_OK)
            return st;
    }
    return DX_OK;
}

/* The project table; a code it names that ICU does not know is a bug in the table. */
static dx_status load_variants(dx_countries *c)
{
    for (size_t k = 0; k < sizeof kVariants / sizeof kVariants[0]; k++) {
        uint16_t i = alpha2_index(c, kVariants[k].alpha2);
        if (i == NO_COUNTRY)
            return DX_ERR_INTERNAL;
        dx_status st =
            add_name(c, kVariants[k].text, strlen(kVariants[k].text), i, SRC_PROJECT);
        if (st != DX_OK)
            return st;
    }
    return DX_OK;
}

dx_status dx_countries_new(dx_countries **out)
{
    if (!out)
        return DX_ERR_INVALID;
    dx_countries *c = dx_calloc(1, sizeof *c);
    if (!c)
        return DX_ERR_NOMEM;
    memset(c->by_alpha2, 0xFF, sizeof c->by_alpha2);
    memset(c->by_alpha3, 0xFF, sizeof c->by_alpha3);
    UErrorCode err = U_ZERO_ERROR;
    c->nfkc_cf = unorm2_getNFKCCasefoldInstance(&err);
    c->nfd = unorm2_getNFDInstance(&err);
    c->nfc = unorm2_getNFCInstance(&err);
    dx_status st = DX_OK;
    if (U_FAILURE(err))
        st = icu_status(err) == DX_ERR_NOMEM ? DX_ERR_NOMEM : DX_ERR_INTERNAL;
    if (st == DX_OK)
        st = table_reserve(c);
    if (st == DX_OK)
        st = load_codes(c);
    if (st == DX_OK)
        st = load_icu_names(c);
    if (st == DX_OK)
        st = load_variants(c);
    if (st != DX_OK) {
        dx_countries_free(c);
        return st;
    }
    *out = c;
    return DX_OK;
}

void dx_countries_free(dx_countries *countries)
{
    if (!countries)
        return;
    dx_free(countries->info);
    dx_free(countries->slots);
    dx_free(countries->text);
    dx_free(countries);
}

/* ---- lookup ----------------------------------------------------------------------- */

static void match_set(const dx_countries *c, dx_country_match *out, uint16_t a, uint16_t b)
{
    if (b != NO_COUNTRY && strcmp(c->info[b].alpha2, c->info[a].alpha2) < 0) {
        uint16_t t = a;
        a = b;
        b = t;
    }
    out->result = b == NO_COUNTRY ? DX_COUNTRY_FOUND : DX_COUNTRY_AMBIGUOUS;
    memcpy(out->alpha2, c->info[a].alpha2, 3);
    if (b != NO_COUNTRY)
        memcpy(out->alt_alpha2, c->info[b].alpha2, 3);
}

/* Exactly two or three ASCII letters that are a code; NO_COUNTRY otherwise. */
static uint16_t code_index(const dx_countries *c, const char *t, size_t len)
{
    if (len == 2)
        return alpha2_index(c, t);
    if (len == 3)
        return alpha3_index(c, t);
    return NO_COUNTRY;
}

/* The key with one nationality affix removed, or "X island" read as "X islands". */
static const country_slot *find_stripped(const dx_countries *c, char *key, size_t len)
{
    for (size_t k = 0; k < sizeof kAffixes / sizeof kAffixes[0]; k++) {
        size_t alen = strlen(kAffixes[k].text);
        if (alen >= len)
            continue;
        const char *rest = kAffixes[k].prefix ? key + alen : key;
        const char *affix = kAffixes[k].prefix ? key : key + len - alen;
        if (memcmp(affix, kAffixes[k].text, alen) != 0)
            continue;
        const country_slot *s = table_find(c, rest, len - alen);
        if (s)
            return s;
    }
    if (len > 6 && len < KEY_MAX && memcmp(key + len - 6, "island", 6) == 0) {
        key[len] = 's';
        return table_find(c, key, len + 1);
    }
    return NULL;
}

static int is_space(unsigned char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

dx_status dx_country_lookup(const dx_countries *countries, const char *text, size_t len,
                            dx_country_match *out)
{
    if (!out)
        return DX_ERR_INVALID;
    memset(out, 0, sizeof *out);
    out->result = DX_COUNTRY_UNKNOWN;
    if (!countries || (!text && len))
        return DX_ERR_INVALID;
    while (len && is_space((unsigned char)text[0])) {
        text++;
        len--;
    }
    while (len && is_space((unsigned char)text[len - 1]))
        len--;
    if (len == 0 || len > DX_COUNTRY_TEXT_MAX)
        return DX_OK;
    uint16_t code = code_index(countries, text, len);
    if (code != NO_COUNTRY) {
        match_set(countries, out, code, NO_COUNTRY);
        return DX_OK;
    }
    char key[KEY_MAX + 1];
    size_t klen = normalise_key(countries, text, len, key);
    if (klen == 0)
        return DX_OK;
    const country_slot *s = table_find(countries, key, klen);
    if (!s)
        s = find_stripped(countries, key, klen);
    if (s)
        match_set(countries, out, s->code[0], s->code[1]);
    return DX_OK;
}

int dx_country_is_code(const dx_countries *countries, const char *alpha2)
{
    if (!countries || !alpha2)
        return 0;
    if (alpha2[0] < 'A' || alpha2[0] > 'Z' || alpha2[1] < 'A' || alpha2[1] > 'Z' ||
        alpha2[2] != '\0')
        return 0;
    return alpha2_index(countries, alpha2) != NO_COUNTRY;
}

const char *dx_country_name(const dx_countries *countries, const char *alpha2)
{
    if (!dx_country_is_code(countries, alpha2))
        return NULL;
    return countries->text + countries->info[alpha2_index(countries, alpha2)].name_off;
}

const char *dx_country_alpha3(const dx_countries *countries, const char *alpha2)
{
    if (!dx_country_is_code(countries, alpha2))
        return NULL;
    return countries->info[alpha2_index(countries, alpha2)].alpha3;
}

size_t dx_countries_key_count(const dx_countries *countries)
{
    return countries ? countries->keys : 0;
}

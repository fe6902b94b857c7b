/*
 * name_norm.c — name normalisation for matching.
 *
 * How it works. A name goes through these steps, all on UTF-16 in scratch space sized from
 * the input (eight code units per input byte: NFKC can expand a presentation form many times
 * and romanisation turns one Cyrillic letter into up to four Latin ones, but not both eightfold
 * in a real name):
 *
 *  1. Decode UTF-8. Invalid UTF-8 is an error, not a U+FFFD: a list entry or record with broken
 *     bytes should be reported, not silently matched against something else.
 *  2. NFKC + case folding (ICU's NFKC_Casefold). NFKC folds full-width letters ("ＰＵＴＩＮ"),
 *     ligatures and compatibility forms; full case folding (not lower-casing) makes "ß" "ss" and
 *     Greek final sigma an ordinary sigma, and drops default-ignorable characters (soft hyphen,
 *     zero-width joiners). The result is the name "in its own script"; it is kept as `original`
 *     when it has letters that step 3 leaves alone (Han, Arabic, Hebrew, Indic, Thai ...), so
 *     the matcher can compare those exactly or through aliases.
 *  3. Romanise with an ICU transliterator opened when the normalizer is built:
 *        [[:Cyrl:][:Grek:][:Armn:][:Geor:][:Hang:][:Hira:][:Kana:][:Latn:][:Zyyy:]];
 *        Russian-Latin/BGN; Greek-Latin/UNGEGN; Any-Latin; Latin-ASCII
 *     The global filter restricts it to scripts whose romanisation is close to one-to-one and
 *     to what lists print: Cyrillic, Greek, Armenian, Georgian, Hangul and kana, plus Latin and
 *     common punctuation for Latin-ASCII (ł→l, ø→o, þ→th). Han is left alone (a Chinese,
 *     Japanese or Korean reading of the same characters differ: 金 is jin, kin or gim) and so is
 *     Arabic (abjad: the vowels are not written, "بوتين" gives "bwtyn", which matches nothing).
 *     Inherited combining marks are excluded from the filter, otherwise ICU romanises the
 *     Arabic vowel signs on their own. BGN/PCGN for Russian is chosen over ICU's default ISO 9
 *     style because Western lists spell Khodorkovskiy, Zhukov, Shchuka, not Hodorkovskij, Zukov,
 *     Suka; UNGEGN for Greek because it is the modern reading (Alexis, not Alexes). Letters
 *     those two leave (Ukrainian і, Belarusian ў) fall through to Any-Latin.
 *     Names that are ASCII once step 4 has taken their accents off skip this step: there is
 *     nothing to romanise, and most list names are like that.
 *  4. NFD, then drop the nonspacing marks (Mn) that sit on a Latin, Greek or Cyrillic letter
 *     (accents, a leftover Cyrillic stress mark), then NFKC_Casefold again (transliteration can
 *     produce capitals and decomposed text). Marks on other bases are kept: Devanagari and Thai
 *     write vowels as marks, and removing them would change the name.
 *  5. Punctuation. Apostrophe-like characters (' ’ ‘ ʼ ʻ ʹ ` ´) are deleted, so "O'BRIEN",
 *     "O’Brien" and "OBRIEN" all give "obrien" and Georgian romanisation ("p'ut'ini") gives
 *     "putini". Splitting instead (watchman's choice) leaves one-letter tokens ("o brien",
 *     "qar awi") that a token scorer cannot weigh, and the spellings without the apostrophe are
 *     common on lists. Every other punctuation mark, symbol and separator (hyphen, comma, dot,
 *     slash, the katakana middle dot) becomes a space: "Müller-Lüdenscheidt" is two words, and
 *     an initial "V." stays the token "v". Format characters are deleted. Runs of spaces are
 *     collapsed and the ends trimmed. The result is `latin`; `tokens` is it split at spaces.
 *
 * The dominant script is counted over the letters of step 2 (see scan_scripts()).
 *
 * Thread safety. ICU normalisers are immutable singletons. ICU transliterators are not
 * thread-safe: Any-Latin builds its per-script transliterators lazily, on first use, and keeps
 * them. So the normalizer holds a small pool of DX_NAME_TRANSLITERATORS transliterators, each
 * behind its own mutex; a call takes the first free one (trylock in turn, then waits on the
 * one its stack address picks). Everything else the normalizer holds is never written after
 * creation. Measured on ICU 72 (-O2, one core), for one short name:
 *     shared transliterator: Cyrillic 5.5 µs, Hangul 5.2, katakana 8.3, Arabic (filtered) 1.2;
 *     clone per call:        Cyrillic 7.9 µs, Hangul 78, katakana 169, Armenian 87;
 *     clone per call of an explicit per-script chain (no lazy cache): 8–18 µs, all scripts.
 * Cloning throws Any-Latin's cache away each time, so it costs up to 20 times the work itself;
 * an uncontended mutex costs tens of nanoseconds. The pool keeps a few threads from queueing
 * on one lock. Opening costs ~15 ms the first time in a process (ICU loads its rule data) and
 * ~2 ms for a whole normalizer after that.
 *
 * Memory: the result is one dx_malloc block (struct, token table, strings); the scratch space
 * is one dx_malloc block freed before returning. ICU's own allocations are ICU's.
 */
#include "name_norm.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#include "alloc.h"

#define UNITS_PER_BYTE 8
#define MIN_UNITS 64

static const char translit_id[] =
    "[[:Cyrl:][:Grek:][:Armn:][:Geor:][:Hang:][:Hira:][:Kana:][:Latn:][:Zyyy:]];"
    "Russian-Latin/BGN; Greek-Latin/UNGEGN; Any-Latin; Latin-ASCII";

#define DX_NAME_TRANSLITERATORS 4

typedef struct translit_slot {
    pthread_mutex_t lock; /* held while `translit` is in use */
    UTransliterator *translit;
} translit_slot;

struct dx_name_normalizer {
    const UNormalizer2 *nfkc_cf; /* ICU singleton, not freed */
    const UNormalizer2 *nfd;     /* ICU singleton, not freed */
    translit_slot *slots;        /* DX_NAME_TRANSLITERATORS; the only state written later */
    int n_slots;                 /* slots whose mutex exists; the first one's transliterator is
                                  * opened at once (it checks ICU's data), the others on first
                                  * use, under their lock: opening one costs ~15 ms, and most
                                  * runs never need a second */
};

static dx_status icu_status(UErrorCode err)
{
    if (U_SUCCESS(err))
        return DX_OK;
    if (err == U_MEMORY_ALLOCATION_ERROR)
        return DX_ERR_NOMEM;
    if (err == U_BUFFER_OVERFLOW_ERROR)
        return DX_ERR_LIMIT;
    return DX_ERR_INTERNAL;
}

static dx_status open_translit(UTransliterator **out)
{
    UChar id[sizeof translit_id];
    u_uastrncpy(id, translit_id, (int32_t)sizeof translit_id);
    UParseError perr;
    UErrorCode err = U_ZERO_ERROR;
    *out = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, &perr, &err);
    if (U_SUCCESS(err))
        return DX_OK;
    *out = NULL;
    if (err == U_MEMORY_ALLOCATION_ERROR)
        return DX_ERR_NOMEM;
    return err == U_INVALID_ID || err == U_MISSING_RESOURCE_ERROR ? DX_ERR_UNSUPPORTED
                                                                   : DX_ERR_INTERNAL;
}

dx_status dx_name_normalizer_new(dx_name_normalizer **out)
{
    if (!out)
        return DX_ERR_INVALID;
    dx_name_normalizer *nn = dx_calloc(1, sizeof *nn);
    if (!nn)
        return DX_ERR_NOMEM;
    nn->slots = dx_calloc(DX_NAME_TRANSLITERATORS, sizeof *nn->slots);
    if (!nn->slots) {
        dx_name_normalizer_free(nn);
        return DX_ERR_NOMEM;
    }
    UErrorCode err = U_ZERO_ERROR;
    nn->nfkc_cf = unorm2_getNFKCCasefoldInstance(&err);
    nn->nfd = unorm2_getNFDInstance(&err);
    dx_status st = U_FAILURE(err) ? icu_status(err) : DX_OK;
    if (st == DX_ERR_INTERNAL)
        st = DX_ERR_UNSUPPORTED; /* ICU built without normalisation data */
    while (st == DX_OK && nn->n_slots < DX_NAME_TRANSLITERATORS) {
        translit_slot *slot = &nn->slots[nn->n_slots];
        st = nn->n_slots == 0 ? open_translit(&slot->translit) : DX_OK;
        if (st == DX_OK && pthread_mutex_init(&slot->lock, NULL) != 0) {
            utrans_close(slot->translit);
            st = DX_ERR_NOMEM;
        }
        nn->n_slots += st == DX_OK;
    }
    if (st != DX_OK) {
        dx_name_normalizer_free(nn);
        return st;
    }
    *out = nn;
    return DX_OK;
}

void dx_name_normalizer_free(dx_name_normalizer *nn)
{
    if (!nn)
        return;
    for (int i = 0; i < nn->n_slots; i++) {
        if (nn->slots[i].translit)
            utrans_close(nn->slots[i].translit);
        pthread_mutex_destroy(&nn->slots[i].lock);
    }
    dx_free(nn->slots);
    dx_free(nn);
}

void dx_name_form_free(dx_name_form *form)
{
    dx_free(form);
}

const char *dx_name_script_str(dx_name_script script)
{
    static const char *const names[] = {
        [DX_SCRIPT_OTHER] = "other",       [DX_SCRIPT_LATIN] = "Latin",
        [DX_SCRIPT_CYRILLIC] = "Cyrillic", [DX_SCRIPT_GREEK] = "Greek",
        [DX_SCRIPT_HAN] = "Han",           [DX_SCRIPT_ARABIC] = "Arabic",
        [DX_SCRIPT_HANGUL] = "Hangul",     [DX_SCRIPT_KANA] = "Kana",
        [DX_SCRIPT_ARMENIAN] = "Armenian", [DX_SCRIPT_GEORGIAN] = "Georgian",
        [DX_SCRIPT_THAI] = "Thai",         [DX_SCRIPT_DEVANAGARI] = "Devanagari",
        [DX_SCRIPT_MIXED] = "mixed",
    };
    if ((unsigned)script < sizeof names / sizeof names[0] && names[script])
        return names[script];
    return "other";
}

/* ---- scripts ------------------------------------------------------------------------------ */

/* Our script for an ICU script code; DX_SCRIPT_OTHER for one we do not name (Hebrew ...). */
static dx_name_script script_of(UScriptCode sc)
{
    switch (sc) {
    case USCRIPT_LATIN: return DX_SCRIPT_LATIN;
    case USCRIPT_CYRILLIC: return DX_SCRIPT_CYRILLIC;
    case USCRIPT_GREEK: return DX_SCRIPT_GREEK;
    case USCRIPT_HAN: return DX_SCRIPT_HAN;
    case USCRIPT_ARABIC: return DX_SCRIPT_ARABIC;
    case USCRIPT_HANGUL: return DX_SCRIPT_HANGUL;
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_KATAKANA_OR_HIRAGANA: return DX_SCRIPT_KANA;
    case USCRIPT_ARMENIAN: return DX_SCRIPT_ARMENIAN;
    case USCRIPT_GEORGIAN: return DX_SCRIPT_GEORGIAN;
    case USCRIPT_THAI: return DX_SCRIPT_THAI;
    case USCRIPT_DEVANAGARI: return DX_SCRIPT_DEVANAGARI;
    default: return DX_SCRIPT_OTHER;
    }
}

/* True for the scripts step 3 romanises (Latin counts: it needs nothing). */
static bool romanised(dx_name_script s)
{
    return s != DX_SCRIPT_HAN && s != DX_SCRIPT_ARABIC && s != DX_SCRIPT_THAI &&
           s != DX_SCRIPT_DEVANAGARI && s != DX_SCRIPT_OTHER;
}

typedef struct script_scan {
    dx_name_script dominant;
    bool has_kept_letters; /* letters that are not romanised: keep `original` */
} script_scan;

/*
 * Which scripts the letters of `s` use. One script: that one. Han with kana is Japanese
 * (Kana), Han with Hangul is Korean written with hanja (Hangul). Anything else with more than
 * one script is mixed. Common and Inherited code points (digits, ー, marks) do not count; no
 * letters at all gives other.
 */
static script_scan scan_scripts(const UChar *s, int32_t n)
{
    script_scan r = {DX_SCRIPT_OTHER, false};
    unsigned seen = 0; /* bit per dx_name_script */
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(s, i, n, c);
        if (!(U_GET_GC_MASK(c) & U_GC_L_MASK))
            continue;
        UErrorCode err = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript(c, &err);
        if (sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED)
            continue;
        dx_name_script ds = script_of(sc);
        seen |= 1u << ds;
        if (!romanised(ds))
            r.has_kept_letters = true;
    }
    const unsigned han = 1u << DX_SCRIPT_HAN;
    if (seen == (han | 1u << DX_SCRIPT_KANA))
        seen = 1u << DX_SCRIPT_KANA;
    else if (seen == (han | 1u << DX_SCRIPT_HANGUL))
        seen = 1u << DX_SCRIPT_HANGUL;
    if (seen == 0)
        r.dominant = DX_SCRIPT_OTHER;
    else if (seen & (seen - 1))
        r.dominant = DX_SCRIPT_MIXED;
    else
        for (unsigned b = 0; b <= DX_SCRIPT_MIXED; b++)
            if (seen == 1u << b)
                r.dominant = (dx_name_script)b;
    return r;
}

/* ---- the UTF-16 steps --------------------------------------------------------------------- */

/* Step 4's filter, in place: drop Mn marks whose base letter is Latin, Greek or Cyrillic. */
static int32_t strip_marks(UChar *s, int32_t n)
{
    int32_t w = 0;
    UScriptCode base = USCRIPT_COMMON;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(s, i, n, c);
        if (U_GET_GC_MASK(c) & U_GC_MN_MASK) {
            if (base == USCRIPT_LATIN || base == USCRIPT_GREEK || base == USCRIPT_CYRILLIC)
                continue;
        } else {
            UErrorCode err = U_ZERO_ERROR;
            base = uscript_getScript(c, &err);
        }
        U16_APPEND_UNSAFE(s, w, c);
    }
    return w;
}

/* A slot of the pool, locked: the first free one whose transliterator is open, else the
 * first free one, else the one `hint` picks. */
static translit_slot *take_slot(const dx_name_normalizer *nn, uintptr_t hint)
{
    translit_slot *unopened = NULL;
    for (int i = 0; i < nn->n_slots; i++)
        if (pthread_mutex_trylock(&nn->slots[i].lock) == 0) {
            if (nn->slots[i].translit) {
                if (unopened)
                    pthread_mutex_unlock(&unopened->lock);
                return &nn->slots[i];
            }
            if (!unopened)
                unopened = &nn->slots[i];
            else
                pthread_mutex_unlock(&nn->slots[i].lock);
        }
    if (unopened)
        return unopened;
    translit_slot *slot = &nn->slots[(hint >> 12) % (uintptr_t)nn->n_slots];
    pthread_mutex_lock(&slot->lock);
    return slot;
}

/* Romanise s[0..*n) in place (capacity cap) with a transliterator of the pool. */
static dx_status romanise(const dx_name_normalizer *nn, UChar *s, int32_t *n, int32_t cap)
{
    char on_this_stack;
    translit_slot *slot = take_slot(nn, (uintptr_t)&on_this_stack);
    if (!slot->translit) { /* opened on first use (struct dx_name_normalizer) */
        dx_status st = open_translit(&slot->translit);
        if (st != DX_OK) {
            pthread_mutex_unlock(&slot->lock);
            return st;
        }
    }
    UErrorCode err = U_ZERO_ERROR;
    int32_t limit = *n;
    utrans_transUChars(slot->translit, s, n, cap, 0, &limit, &err);
    pthread_mutex_unlock(&slot->lock);
    if (U_FAILURE(err))
        return icu_status(err);
    *n = limit;
    return DX_OK;
}

/* ---- output ------------------------------------------------------------------------------- */

static bool is_apostrophe(UChar32 c)
{
    switch (c) {
    case 0x0027: case 0x0060: case 0x00B4: case 0x02B9: case 0x02BB: case 0x02BC:
    case 0x02BE: case 0x02BF: case 0x2018: case 0x2019: case 0x201B: case 0x2032:
        return true;
    default:
        return false;
    }
}

enum emit_rules { EMIT_LATIN, EMIT_ORIGINAL };

/* What becomes of c: 1 keep, 0 delete, -1 a space. */
static int classify(UChar32 c, enum emit_rules rules)
{
    uint32_t gc = U_GET_GC_MASK(c);
    if (rules == EMIT_ORIGINAL)
        return (gc & (U_GC_Z_MASK | U_GC_CC_MASK)) || u_isUWhiteSpace(c) ? -1 : 1;
    if (is_apostrophe(c) || (gc & U_GC_CF_MASK))
        return 0;
    return gc & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK) ? 1 : -1;
}

/*
 * UTF-8 of s[0..n) under `rules`, spaces collapsed and trimmed, into dst (NULL: only count).
 * Returns the byte length (without a NUL; dst gets one) and the number of words in *words.
 */
static size_t emit(const UChar *s, int32_t n, enum emit_rules rules, char *dst, size_t *words)
{
    size_t len = 0, nw = 0;
    bool pending_space = false;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(s, i, n, c);
        int k = classify(c, rules);
        if (k < 0)
            pending_space = len > 0;
        if (k <= 0)
            continue;
        if (pending_space || len == 0) {
            if (pending_space && dst)
                dst[len] = ' ';
            len += pending_space;
            nw++;
            pending_space = false;
        }
        if (dst)
            U8_APPEND_UNSAFE(dst, len, c);
        else
            len += U8_LENGTH(c);
    }
    if (dst)
        dst[len] = '\0';
    if (words)
        *words = nw;
    return len;
}

/* The result block: struct, token table, latin, original, token characters. */
static dx_status build_form(const UChar *latin, int32_t nl, const UChar *orig, int32_t no,
                            script_scan scan, dx_name_form **out)
{
    size_t ntok = 0;
    size_t llen = emit(latin, nl, EMIT_LATIN, NULL, &ntok);
    size_t olen = orig ? emit(orig, no, EMIT_ORIGINAL, NULL, NULL) : 0;
    size_t table = (ntok + 1) * sizeof(char *);
    size_t size = sizeof(dx_name_form) + table + 2 * (llen + 1) + (orig ? olen + 1 : 0);
    dx_name_form *f = dx_malloc(size);
    if (!f)
        return DX_ERR_NOMEM;
    const char **tokens = (const char **)(f + 1);
    char *p = (char *)tokens + table;
    emit(latin, nl, EMIT_LATIN, p, NULL);
    f->latin = p;
    p += llen + 1;
    f->original = NULL;
    if (orig) {
        emit(orig, no, EMIT_ORIGINAL, p, NULL);
        f->original = p;
        p += olen + 1;
    }
    memcpy(p, f->latin, llen + 1);
    size_t t = 0;
    for (char *tok = p; ntok > 0; tok++) { /* the words of latin are single-space separated */
        tokens[t++] = tok;
        tok = strchr(tok, ' ');
        if (!tok)
            break;
        *tok = '\0';
    }
    tokens[t] = NULL;
    f->tokens = tokens;
    f->n_tokens = t;
    f->script = scan.dominant;
    *out = f;
    return DX_OK;
}

static bool all_ascii(const UChar *s, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        if (s[i] > 0x7F)
            return false;
    return true;
}

/* Step 4's first half: c = NFD(s) without the marks on Latin, Greek and Cyrillic letters. */
static dx_status decompose_strip(const dx_name_normalizer *nn, const UChar *s, int32_t n,
                                 UChar *c, int32_t cap, int32_t *nc)
{
    UErrorCode err = U_ZERO_ERROR;
    *nc = unorm2_normalize(nn->nfd, s, n, c, cap, &err);
    if (U_FAILURE(err))
        return icu_status(err);
    *nc = strip_marks(c, *nc);
    return DX_OK;
}

/*
 * Steps 2–4 on the decoded name in `a` (na units), with `b` and `c` as further scratch of
 * `cap` units each; then step 5 into the result. See the design comment. A name that is ASCII
 * once its accents are gone (Müller, José) skips the transliterator, whose Latin-ASCII pass
 * alone costs several microseconds and would give the same letters.
 */
static dx_status normalize_utf16(const dx_name_normalizer *nn, UChar *a, int32_t na, UChar *b,
                                 UChar *c, int32_t cap, dx_name_form **out)
{
    UErrorCode err = U_ZERO_ERROR;
    int32_t nb = unorm2_normalize(nn->nfkc_cf, a, na, b, cap, &err); /* b: folded */
    if (U_FAILURE(err))
        return icu_status(err);
    script_scan scan = scan_scripts(b, nb);
    int32_t nc;
    dx_status st = decompose_strip(nn, b, nb, c, cap, &nc);
    if (st == DX_OK && !all_ascii(c, nc)) {
        /* Romanise the folded text, not c: Cyrillic й and ё need their marks. */
        memcpy(a, b, (size_t)nb * sizeof *b);
        na = nb;
        st = romanise(nn, a, &na, cap);
        if (st == DX_OK)
            st = decompose_strip(nn, a, na, c, cap, &nc);
    }
    if (st != DX_OK)
        return st;
    na = unorm2_normalize(nn->nfkc_cf, c, nc, a, cap, &err); /* a: latin */
    if (U_FAILURE(err))
        return icu_status(err);
    return build_form(a, na, scan.has_kept_letters ? b : NULL, nb, scan, out);
}

dx_status dx_name_normalize(const dx_name_normalizer *nn, const char *name, dx_name_form **out)
{
    if (!nn || !name || !out)
        return DX_ERR_INVALID;
    size_t len = strnlen(name, DX_NAME_MAX_BYTES + 1);
    if (len > DX_NAME_MAX_BYTES)
        return DX_ERR_LIMIT;
    int32_t cap = (int32_t)(len * UNITS_PER_BYTE + MIN_UNITS);
    UChar *scratch = dx_malloc(3 * (size_t)cap * sizeof(UChar));
    if (!scratch)
        return DX_ERR_NOMEM;
    UErrorCode err = U_ZERO_ERROR;
    int32_t na = 0;
    u_strFromUTF8(scratch, cap, &na, name, (int32_t)len, &err);
    dx_status st = err == U_INVALID_CHAR_FOUND ? DX_ERR_ENCODING : icu_status(err);
    if (st == DX_OK)
        st = normalize_utf16(nn, scratch, na, scratch + cap, scratch + 2 * (size_t)cap, cap,
                             out);
    dx_free(scratch);
    return st;
}

/* ---- list form ---------------------------------------------------------------------------- */

/* Where the single list-form comma of text is, and its byte length; false if not list form. */
static bool find_list_comma(const char *text, size_t *at, size_t *width)
{
    if (!text)
        return false;
    size_t n = strnlen(text, DX_NAME_MAX_BYTES + 1);
    if (n > DX_NAME_MAX_BYTES)
        return false;
    int commas = 0;
    bool letter_before = false, letter_after = false, digit_after = false;
    for (size_t i = 0; i < n;) {
        size_t start = i;
        UChar32 c;
        U8_NEXT(text, i, n, c);
        if (c < 0)
            return false;
        if (c == ',' || c == 0xFF0C) {
            commas++;
            *at = start;
            *width = i - start;
        } else if (u_isalpha(c)) {
            *(commas ? &letter_after : &letter_before) = true;
        } else if (commas && u_isdigit(c)) {
            digit_after = true;
        }
    }
    return commas == 1 && letter_before && letter_after && !digit_after;
}

bool dx_name_is_reversed_list_form(const char *text)
{
    size_t at, width;
    return find_list_comma(text, &at, &width);
}

/* [*b, *e) without ASCII spaces and tabs at either end. */
static void trim(const char **b, const char **e)
{
    while (*b < *e && (**b == ' ' || **b == '\t'))
        (*b)++;
    while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
        (*e)--;
}

dx_status dx_name_given_first(const char *text, char **out)
{
    size_t at, width;
    if (!out || !find_list_comma(text, &at, &width))
        return DX_ERR_INVALID;
    const char *sb = text, *se = text + at;
    const char *gb = text + at + width, *ge = gb + strlen(gb);
    trim(&sb, &se);
    trim(&gb, &ge);
    size_t ns = (size_t)(se - sb), ng = (size_t)(ge - gb);
    char *r = dx_malloc(ng + 1 + ns + 1);
    if (!r)
        return DX_ERR_NOMEM;
    memcpy(r, gb, ng);
    r[ng] = ' ';
    memcpy(r + ng + 1, sb, ns);
    r[ng + 1 + ns] = '\0';
    *out = r;
    return DX_OK;
}

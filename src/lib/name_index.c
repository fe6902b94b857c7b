/*
 * name_index.c — which list names a query name can match, without scoring every name.
 *
 * How it works. The scorer (name_score.c) computes a weighted average of the similarities of
 * aligned word pairs, lowered by the cost of unaligned words and by penalties; so a name that
 * scores s has at least one aligned word pair of similarity s or more. The index therefore
 * finds, for each word of the query, every list word of similarity at or above the threshold,
 * and returns the names that contain one of them; only those are scored. With the default
 * threshold (0.77) a search scores a few hundred names instead of some 70,000.
 *
 * Finding similar words: the scorer's similarity is the smaller of Jaro-Winkler and an edit
 * score, and above DX_NAME_SIM_DIST2 (0.7) it implies a Levenshtein distance of at most 2 (at
 * most 1 for words of four letters or fewer); words of one or two letters match only equally
 * (or as initials). Two words within edit distance k share a string obtained by deleting at
 * most k characters from each (a substitution is a deletion on both sides), so every list word
 * is stored under each of its deletion variants (up to 2 deletions, 1 for words of four
 * letters or fewer), hashed; a query word looks up its own deletion variants, and each word
 * found is confirmed with the scorer's own similarity. This is exact where n-gram or
 * phonetic-key postings are approximate: it finds every word the scorer would rate above the
 * threshold and nothing else needs scoring.
 *
 * Joined words: the scorer joins 2-4 adjacent words of one name when the joined form matches
 * a word of the other at DX_NAME_COMPOUND_SIM ("Good Will" / "Goodwill"). Joined forms of the
 * list names are stored too (deletion variants up to 1, enough for that similarity), and the
 * query's joined forms are looked up, so a name that would be scored through a joined word
 * is a candidate as well. Original-script names (Han, Arabic ...) are stored whole and found
 * by equality, as the scorer matches them.
 *
 * What the guarantee does not cover (the caller scores every name instead, or accepts it):
 * thresholds at or below 0.7; queries with no word of three letters or more; a hit whose only
 * aligned pair at the threshold is an initial ("V" / "Vladimir", similarity 0.8), which needs
 * the other aligned words just below the threshold to reach it. `make eval` compares the
 * index with exhaustive scoring on a sample and reports any difference.
 *
 * Layout: words are interned (strmap) with their postings (variant numbers) in one array
 * (CSR); the deletion keys are an open-addressing table of 64-bit hashes, each pointing to
 * a run of word numbers. Building takes two passes over the deletion variants (count, then
 * fill), no sorting.
 */
#include "name_index.h"

#include <string.h>

#include "alloc.h"
#include "arena.h"
#include "strmap.h"

#define MAX_CPS 64     /* words longer than this are found by equality only */
#define MAX_JOIN 4     /* words joined at most, as the scorer does */
#define QUERY_MAX_KEYS 4096

enum { W_WORD = 1, W_JOINED = 2, W_ORIGINAL = 4 };

typedef struct key_slot {
    uint64_t hash; /* 0 = empty */
    uint32_t start, count;
} key_slot;

struct dx_name_index {
    dx_arena arena;
    dx_strmap words;       /* word -> number */
    dx_name_word *word;    /* by number: the word as the scorer sees it */
    unsigned char *flags;  /* W_* */
    size_t n_words, cap_words;
    uint32_t *pairs;       /* (word, variant) while adding */
    size_t n_pairs, cap_pairs;
    uint32_t n_variants;
    uint32_t *post_start;  /* n_words + 1 */
    uint32_t *post;        /* variants by word */
    key_slot *keys;
    size_t key_cap, n_keys;
    uint32_t *key_words;
    int finished;
};

struct dx_name_cands {
    uint32_t *word_mark, *variant_mark, *accepted;
    uint32_t epoch, word_epoch;
    uint32_t *out;
    size_t n_out, n_accepted;
};

/* ---- code points and deletion keys ---- */

static size_t to_cps(const char *s, size_t len, uint32_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n < MAX_CPS + 1;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        uint32_t cp = k == 1 ? c : c & (0x3Fu >> (k - 1));
        for (size_t j = 1; j < k && i + j < len; j++)
            cp = (cp << 6) | ((unsigned char)s[i + j] & 0x3Fu);
        out[n++] = cp;
        i += k;
    }
    return n;
}

/* FNV-1a over the code points of cps without positions skip1 and skip2 (SIZE_MAX: none). */
static uint64_t key_hash(const uint32_t *cps, size_t n, size_t skip1, size_t skip2)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        if (i == skip1 || i == skip2)
            continue;
        uint32_t c = cps[i];
        for (int b = 0; b < 4; b++) {
            h ^= (c >> (8 * b)) & 0xFFu;
            h *= 1099511628211ull;
        }
    }
    return h ? h : 1; /* 0 marks an empty slot */
}

typedef void (*key_fn)(void *ctx, uint64_t hash);

/* Every string made by deleting at most `d` (0-2) code points, hashed. Repeats are possible
 * ("anna" without either n); users tolerate them. */
static void each_deletion(const uint32_t *cps, size_t n, int d, key_fn fn, void *ctx)
{
    fn(ctx, key_hash(cps, n, SIZE_MAX, SIZE_MAX));
    for (size_t i = 0; d >= 1 && i < n; i++) {
        fn(ctx, key_hash(cps, n, i, SIZE_MAX));
        for (size_t j = i + 1; d >= 2 && j < n; j++)
            fn(ctx, key_hash(cps, n, i, j));
    }
}

/* How many deletions a word is stored and looked up under (see the design comment). */
static int deletions_for(const dx_name_word *w, int joined_only)
{
    if (w->kind == DX_WORD_EXACT || w->ncp < 3 || w->ncp > MAX_CPS)
        return -1;
    if (joined_only)
        return 1;
    return w->ncp <= 4 ? 1 : 2;
}

/* ---- building ---- */

dx_status dx_name_index_new(dx_name_index **out)
{
    dx_name_index *ix = dx_calloc(1, sizeof(*ix));
    if (!ix)
        return DX_ERR_NOMEM;
    *out = ix;
    return DX_OK;
}

void dx_name_index_free(dx_name_index *ix)
{
    if (!ix)
        return;
    dx_arena_free(&ix->arena);
    dx_strmap_free(&ix->words);
    dx_free(ix->word);
    dx_free(ix->flags);
    dx_free(ix->pairs);
    dx_free(ix->post_start);
    dx_free(ix->post);
    dx_free(ix->keys);
    dx_free(ix->key_words);
    dx_free(ix);
}

static dx_status grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return DX_OK;
    size_t ncap = *cap ? *cap : 1024;
    while (ncap < need)
        ncap *= 2;
    void *q = dx_realloc(*p, ncap * size);
    if (!q)
        return DX_ERR_NOMEM;
    *p = q;
    *cap = ncap;
    return DX_OK;
}

/* The number of word `s` (len bytes), interning it with `flags`. */
static dx_status intern(dx_name_index *ix, const char *s, size_t len, int flags, uint32_t *id)
{
    char *copy = dx_arena_strndup(&ix->arena, s, len);
    if (!copy)
        return DX_ERR_NOMEM;
    int inserted = 0;
    size_t existing = 0;
    dx_status st = dx_strmap_put(&ix->words, copy, ix->n_words, &inserted, &existing);
    if (st != DX_OK)
        return st;
    if (!inserted) {
        ix->flags[existing] |= (unsigned char)flags;
        *id = (uint32_t)existing;
        return DX_OK;
    }
    size_t cap_flags = ix->cap_words;
    if (grow((void **)&ix->word, &ix->cap_words, ix->n_words + 1, sizeof(*ix->word)) ||
        grow((void **)&ix->flags, &cap_flags, ix->cap_words, 1))
        return DX_ERR_NOMEM;
    ix->word[ix->n_words] = dx_name_word_make(copy, len, DX_SCHEMA_ORGANIZATION);
    ix->flags[ix->n_words] = (unsigned char)flags;
    *id = (uint32_t)ix->n_words++;
    return DX_OK;
}

static dx_status add_pair(dx_name_index *ix, uint32_t word, uint32_t variant)
{
    if (grow((void **)&ix->pairs, &ix->cap_pairs, ix->n_pairs + 2, sizeof(uint32_t)))
        return DX_ERR_NOMEM;
    ix->pairs[ix->n_pairs++] = word;
    ix->pairs[ix->n_pairs++] = variant;
    return DX_OK;
}

static dx_status add_text(dx_name_index *ix, const char *s, size_t len, int flags, uint32_t v)
{
    uint32_t id;
    dx_status st = intern(ix, s, len, flags, &id);
    return st == DX_OK ? add_pair(ix, id, v) : st;
}

/* Adjacent words i..i+k-1 joined, into buf (cap bytes); 0 when they do not fit. */
static size_t join_words(const dx_name_prep *p, size_t i, size_t k, char *buf, size_t cap)
{
    size_t len = 0;
    for (size_t m = i; m < i + k; m++) {
        if (len + p->words[m].len > cap)
            return 0;
        memcpy(buf + len, p->words[m].s, p->words[m].len);
        len += p->words[m].len;
    }
    return len;
}

dx_status dx_name_index_add(dx_name_index *ix, uint32_t variant, const dx_name_prep *name)
{
    if (ix->finished)
        return DX_ERR_INVALID;
    dx_status st = DX_OK;
    for (size_t i = 0; i < name->n_words && st == DX_OK; i++)
        st = add_text(ix, name->words[i].s, name->words[i].len, W_WORD, variant);
    char buf[256];
    for (size_t i = 0; i < name->n_words && st == DX_OK; i++)
        for (size_t k = 2; k <= MAX_JOIN && i + k <= name->n_words && st == DX_OK; k++) {
            size_t len = join_words(name, i, k, buf, sizeof buf);
            if (len)
                st = add_text(ix, buf, len, W_JOINED, variant);
        }
    if (st == DX_OK && name->original)
        st = add_text(ix, name->original, strlen(name->original), W_ORIGINAL, variant);
    if (variant + 1 > ix->n_variants)
        ix->n_variants = variant + 1;
    return st;
}

/* Postings: the pairs grouped by word (counting sort), repeats of a variant dropped. */
static dx_status build_postings(dx_name_index *ix)
{
    ix->post_start = dx_calloc(ix->n_words + 1, sizeof(uint32_t));
    ix->post = dx_malloc((ix->n_pairs / 2 + 1) * sizeof(uint32_t));
    if (!ix->post_start || !ix->post)
        return DX_ERR_NOMEM;
    for (size_t i = 0; i < ix->n_pairs; i += 2)
        ix->post_start[ix->pairs[i] + 1]++;
    for (size_t w = 0; w < ix->n_words; w++)
        ix->post_start[w + 1] += ix->post_start[w];
    uint32_t *fill = dx_malloc((ix->n_words + 1) * sizeof(uint32_t));
    if (!fill)
        return DX_ERR_NOMEM;
    memcpy(fill, ix->post_start, (ix->n_words + 1) * sizeof(uint32_t));
    for (size_t i = 0; i < ix->n_pairs; i += 2) {
        uint32_t w = ix->pairs[i], v = ix->pairs[i + 1];
        /* Variants arrive in ascending order: a repeat is the last one written. */
        if (fill[w] > ix->post_start[w] && ix->post[fill[w] - 1] == v)
            continue;
        ix->post[fill[w]++] = v;
    }
    /* Close the gaps left by dropped repeats. */
    uint32_t out = 0;
    for (size_t w = 0; w < ix->n_words; w++) {
        uint32_t from = ix->post_start[w], to = fill[w];
        ix->post_start[w] = out;
        memmove(ix->post + out, ix->post + from, (to - from) * sizeof(uint32_t));
        out += to - from;
    }
    ix->post_start[ix->n_words] = out;
    dx_free(fill);
    dx_free(ix->pairs);
    ix->pairs = NULL;
    ix->n_pairs = ix->cap_pairs = 0;
    return DX_OK;
}

static key_slot *slot_of(const dx_name_index *ix, uint64_t hash)
{
    size_t mask = ix->key_cap - 1;
    for (size_t i = (size_t)(hash ^ (hash >> 29)) & mask;; i = (i + 1) & mask)
        if (ix->keys[i].hash == hash || ix->keys[i].hash == 0)
            return &ix->keys[i];
}

typedef struct key_pass {
    dx_name_index *ix;
    uint32_t word;
    int fill; /* 0: count, 1: fill */
} key_pass;

static void key_visit(void *ctx, uint64_t hash)
{
    key_pass *kp = ctx;
    key_slot *s = slot_of(kp->ix, hash);
    if (!kp->fill) {
        if (s->hash == 0) {
            s->hash = hash;
            kp->ix->n_keys++;
        }
        s->count++;
    } else {
        kp->ix->key_words[s->start + s->count++] = kp->word;
    }
}

/* Run `fill` pass over every stored word's deletion variants. */
static void key_walk(dx_name_index *ix, int fill)
{
    uint32_t cps[MAX_CPS + 1];
    for (size_t w = 0; w < ix->n_words; w++) {
        int flags = ix->flags[w];
        if (!(flags & (W_WORD | W_JOINED)))
            continue;
        int d = deletions_for(&ix->word[w], !(flags & W_WORD));
        if (d < 0)
            continue;
        size_t n = to_cps(ix->word[w].s, ix->word[w].len, cps);
        key_pass kp = {ix, (uint32_t)w, fill};
        each_deletion(cps, n, d, key_visit, &kp);
    }
}

static dx_status build_keys(dx_name_index *ix)
{
    /* Room for about 40 deletion variants per word at a load of one half or less. */
    size_t want = ix->n_words * 80 + 1024;
    ix->key_cap = 1;
    while (ix->key_cap < want)
        ix->key_cap <<= 1;
    ix->keys = dx_calloc(ix->key_cap, sizeof(key_slot));
    if (!ix->keys)
        return DX_ERR_NOMEM;
    key_walk(ix, 0);
    if (ix->n_keys * 4 > ix->key_cap * 3)
        return DX_ERR_LIMIT; /* not reachable with words of at most MAX_CPS code points */
    size_t total = 0;
    for (size_t i = 0; i < ix->key_cap; i++) {
        ix->keys[i].start = (uint32_t)total;
        total += ix->keys[i].count;
        ix->keys[i].count = 0;
    }
    ix->key_words = dx_malloc((total + 1) * sizeof(uint32_t));
    if (!ix->key_words)
        return DX_ERR_NOMEM;
    key_walk(ix, 1);
    return DX_OK;
}

dx_status dx_name_index_finish(dx_name_index *ix)
{
    if (ix->finished)
        return DX_ERR_INVALID;
    dx_status st = build_postings(ix);
    if (st == DX_OK)
        st = build_keys(ix);
    if (st == DX_OK)
        ix->finished = 1;
    return st;
}

void dx_name_index_size(const dx_name_index *ix, size_t *words, size_t *keys)
{
    *words = ix->n_words;
    *keys = ix->n_keys;
}

/* ---- querying ---- */

dx_status dx_name_cands_new(const dx_name_index *ix, dx_name_cands **out)
{
    dx_name_cands *c = dx_calloc(1, sizeof(*c));
    if (!c)
        return DX_ERR_NOMEM;
    c->word_mark = dx_calloc(ix->n_words + 1, sizeof(uint32_t));
    c->accepted = dx_malloc((ix->n_words + 1) * sizeof(uint32_t));
    c->variant_mark = dx_calloc(ix->n_variants + 1, sizeof(uint32_t));
    c->out = dx_malloc((ix->n_variants + 1) * sizeof(uint32_t));
    if (!c->word_mark || !c->accepted || !c->variant_mark || !c->out) {
        dx_name_cands_free(c);
        return DX_ERR_NOMEM;
    }
    *out = c;
    return DX_OK;
}

void dx_name_cands_free(dx_name_cands *c)
{
    if (!c)
        return;
    dx_free(c->word_mark);
    dx_free(c->accepted);
    dx_free(c->variant_mark);
    dx_free(c->out);
    dx_free(c);
}

/* A new epoch for the word marks; marks are cleared when the counter wraps. */
static void next_word_epoch(const dx_name_index *ix, dx_name_cands *c)
{
    if (++c->word_epoch == 0) {
        memset(c->word_mark, 0, (ix->n_words + 1) * sizeof(uint32_t));
        c->word_epoch = 1;
    }
}

typedef struct lookup {
    const dx_name_index *ix;
    dx_name_cands *c;
    const dx_name_word *q;
    double floor;  /* for stored words */
    int joined_q;  /* the query word is a joined form: only joined similarity counts */
} lookup;

static void accept(lookup *lk, uint32_t w)
{
    dx_name_cands *c = lk->c;
    if (c->word_mark[w] == c->word_epoch)
        return;
    c->word_mark[w] = c->word_epoch;
    int flags = lk->ix->flags[w];
    double sim = dx_name_word_sim(lk->q, &lk->ix->word[w]);
    int ok = (!lk->joined_q && (flags & W_WORD) && sim >= lk->floor) ||
             ((lk->joined_q || (flags & W_JOINED)) && sim >= DX_NAME_COMPOUND_SIM);
    if (ok)
        c->accepted[c->n_accepted++] = w;
}

static void lookup_key(void *ctx, uint64_t hash)
{
    lookup *lk = ctx;
    key_slot *s = slot_of(lk->ix, hash);
    for (uint32_t i = 0; s->hash && i < s->count; i++)
        accept(lk, lk->ix->key_words[s->start + i]);
}

/* Stored words similar to `q` (a word of the query, or a joined form when joined_q). */
static void find_similar(const dx_name_index *ix, dx_name_cands *c, const dx_name_word *q,
                         double floor, int joined_q)
{
    next_word_epoch(ix, c);
    lookup lk = {ix, c, q, floor, joined_q};
    size_t id;
    char buf[512];
    if (q->len < sizeof buf) {
        memcpy(buf, q->s, q->len);
        buf[q->len] = '\0';
        if (dx_strmap_get(&ix->words, buf, &id))
            accept(&lk, (uint32_t)id);
    }
    int d = deletions_for(q, joined_q);
    if (d < 0)
        return;
    uint32_t cps[MAX_CPS + 1];
    size_t n = to_cps(q->s, q->len, cps);
    each_deletion(cps, n, d, lookup_key, &lk);
}

static void collect_variants(const dx_name_index *ix, dx_name_cands *c)
{
    for (size_t a = 0; a < c->n_accepted; a++) {
        uint32_t w = c->accepted[a];
        for (uint32_t i = ix->post_start[w]; i < ix->post_start[w + 1]; i++) {
            uint32_t v = ix->post[i];
            if (c->variant_mark[v] != c->epoch) {
                c->variant_mark[v] = c->epoch;
                c->out[c->n_out++] = v;
            }
        }
    }
    c->n_accepted = 0;
}

static void start_query(const dx_name_index *ix, dx_name_cands *c)
{
    if (++c->epoch == 0) {
        memset(c->variant_mark, 0, (ix->n_variants + 1) * sizeof(uint32_t));
        c->epoch = 1;
    }
    c->n_out = 0;
    c->n_accepted = 0;
}

/* The query's joined forms (2-4 adjacent words), each looked up as a joined word. */
static void find_joined(const dx_name_index *ix, dx_name_cands *c, const dx_name_prep *q)
{
    char buf[256];
    for (size_t i = 0; i < q->n_words; i++)
        for (size_t k = 2; k <= MAX_JOIN && i + k <= q->n_words; k++) {
            size_t len = join_words(q, i, k, buf, sizeof buf);
            if (!len)
                continue;
            dx_name_word jw = dx_name_word_make(buf, len, q->schema);
            find_similar(ix, c, &jw, DX_NAME_COMPOUND_SIM, 1);
            collect_variants(ix, c);
        }
}

/* Accumulate the candidates of one prepared form; 1 when it has a word of 3+ letters. */
static int candidates_of(const dx_name_index *ix, const dx_name_prep *query, double threshold,
                         dx_name_cands *c)
{
    int long_word = 0;
    for (size_t i = 0; i < query->n_words; i++) {
        const dx_name_word *q = &query->words[i];
        long_word |= q->ncp >= 3;
        find_similar(ix, c, q, threshold, 0);
        collect_variants(ix, c);
    }
    find_joined(ix, c, query);
    size_t id;
    if (query->original && dx_strmap_get(&ix->words, query->original, &id) &&
        (ix->flags[id] & W_ORIGINAL)) {
        c->accepted[c->n_accepted++] = (uint32_t)id;
        collect_variants(ix, c);
    }
    return long_word;
}

dx_status dx_name_index_candidates(const dx_name_index *ix, const dx_name_prep *const *query,
                                   size_t n_query, double threshold, dx_name_cands *c,
                                   const uint32_t **out, size_t *n, int *complete)
{
    if (!ix->finished)
        return DX_ERR_INVALID;
    start_query(ix, c);
    int ok = n_query > 0 && threshold > DX_NAME_SIM_DIST2;
    for (size_t i = 0; i < n_query; i++)
        ok &= candidates_of(ix, query[i], threshold, c);
    *complete = ok;
    *out = c->out;
    *n = c->n_out;
    return DX_OK;
}

/*
 * name_index.c — which list names a query name can match, without scoring every name.
 *
 * How it works. The scorer (name_score.c) computes a weighted average of the similarities of
 * aligned word pairs, lowered by the cost of unaligned words and by penalties; so a name that
 * scores s has at least one aligned word pair of similarity s or more. The index therefore
 * finds, for each word of the query, every list word of similarity at or above the threshold,
 * and returns the names that contain one of them; only those can be hits. With the bounds
 * below, a typical search of some 88,000 listed names scores none to a few dozen of them.
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
 * threshold and nothing else needs scoring. (Words found below the threshold are confirmed
 * only when a cheap upper bound from their lengths and letters reaches it; otherwise that
 * bound stands in for their similarity.)
 *
 * Bounds. Each word found is kept with its similarity, whatever it is, for the query word
 * that found it; a name reached through a word at the threshold is a candidate, and the
 * best similarity of each query word within it goes with it (dx_name_cands_found). From
 * those and the lengths of the remaining word pairs dx_name_score_may_reach() bounds the
 * score: most candidates (a shared "Mohammad" and nothing else) are dropped unscored.
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
 * (CSR); the deletion keys are 64-bit hashes with their word numbers, grouped into 2^20
 * buckets by the top bits of the hash and sorted within each bucket, so a lookup reads one
 * directory entry and a few neighbouring keys. Building takes two sequential passes over
 * the deletion variants (count per bucket, then place) and a small sort per bucket: no hash
 * table is probed at random while building.
 */
#include "name_index.h"

#include <math.h>
#include <string.h>

#include "alloc.h"
#include "arena.h"
#include "strmap.h"

#define MAX_CPS 64     /* words longer than this are found by equality only */
#define MAX_JOIN 4     /* words joined at most, as the scorer does */
#define QUERY_MAX_KEYS 4096

enum { W_WORD = 1, W_JOINED = 2, W_ORIGINAL = 4 };

#define BUCKET_BITS 20 /* the key directory: 2^20 buckets by the top bits of a key's hash */

struct dx_name_index {
    dx_arena arena;
    dx_strmap words;       /* word -> number */
    dx_name_word *word;    /* by number: the word as the scorer sees it */
    unsigned char *flags;  /* W_* */
    size_t n_words, cap_words;
    uint32_t *pairs;       /* (word, variant) while adding */
    size_t n_pairs, cap_pairs;
    uint32_t n_variants;
    unsigned char *vschema; /* by variant: the schema it was prepared under */
    size_t cap_vschema;
    uint32_t *post_start;  /* n_words + 1 */
    uint32_t *post;        /* variants by word */
    uint32_t *bucket;       /* 2^BUCKET_BITS + 1 starts into key_hash / key_word */
    uint64_t *key_hash;     /* deletion keys, grouped by bucket, sorted within it */
    uint32_t *key_word;     /* the word of each key */
    size_t n_keys;
    int finished;
};

enum { V_CANDIDATE = 1, V_MUST_SCORE = 2 };

struct dx_name_cands {
    uint32_t *word_mark, *variant_mark, *accepted;
    double *accepted_sim;
    uint32_t epoch, word_epoch;
    uint32_t *touched;     /* variants touched by this query */
    size_t n_touched, n_accepted;
    uint32_t *out;         /* candidates, after dx_name_cands_get */
    size_t n_out;
    unsigned char *found;  /* by variant: DX_NAME_BOUND_WORDS best similarities, in 255ths
                              rounded up */
    unsigned char *vflag;  /* by variant: V_* */
    /* Memo of find_similar for the words of queries and their joined forms: names in a batch
     * share words (family names, given names, "university"), and a word's similar index
     * words do not depend on the rest of the query. Open addressing by hash, at most half
     * full; the pools are emptied whole when full. */
    struct memo_slot *memo;
    uint32_t *memo_words;
    double *memo_sims;
    char *memo_text;
    size_t memo_used, pairs_used, text_used, memo_hits, memo_misses;
    uint32_t memo_gen; /* a slot is in use when its gen equals this: emptying is ++memo_gen */
};

/* One remembered find_similar: the word and the lookup's parameters, and where its accepted
 * words are in the pools. */
typedef struct memo_slot {
    uint64_t hash;
    uint32_t text, len;      /* into memo_text */
    uint32_t start, n;       /* into memo_words / memo_sims */
    double short_cap, threshold;
    uint32_t gen;            /* in use when equal to dx_name_cands.memo_gen */
    unsigned char kind, joined;
} memo_slot;

enum { MEMO_SLOTS = 1u << 16, MEMO_PAIRS = 1u << 20, MEMO_TEXT = 1u << 20 };

/* ---- code points and deletion keys ---- */

static size_t to_cps(const char *s, size_t len, uint32_t *out)
{
    return dx_name_decode(s, len, out, MAX_CPS + 1);
}

/* A 64-bit hash of the code points of cps without positions skip1 and skip2 (SIZE_MAX:
 * none): one multiply and shift per code point. */
static uint64_t key_hash(const uint32_t *cps, size_t n, size_t skip1, size_t skip2)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        if (i == skip1 || i == skip2)
            continue;
        h = (h ^ cps[i]) * 0x9E3779B97F4A7C15ull;
        h ^= h >> 29;
    }
    return h;
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
    dx_free(ix->vschema);
    dx_free(ix->pairs);
    dx_free(ix->post_start);
    dx_free(ix->post);
    dx_free(ix->bucket);
    dx_free(ix->key_hash);
    dx_free(ix->key_word);
    dx_free(ix);
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
    if (dx_grow_array((void **)&ix->word, &ix->cap_words, ix->n_words + 1, sizeof(*ix->word)) ||
        dx_grow_array((void **)&ix->flags, &cap_flags, ix->cap_words, 1))
        return DX_ERR_NOMEM;
    dx_name_word w = dx_name_word_make(copy, len, DX_SCHEMA_ORGANIZATION);
    uint32_t cps[MAX_CPS + 1];
    size_t n = to_cps(copy, len, cps);
    n = n < 64 ? n : 64;
    unsigned *kept = dx_arena_alloc(&ix->arena, (n ? n : 1) * sizeof(unsigned));
    if (!kept)
        return DX_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        kept[i] = cps[i];
    w.cps = kept; /* decoded once here, not at every comparison */
    ix->word[ix->n_words] = w;
    ix->flags[ix->n_words] = (unsigned char)flags;
    *id = (uint32_t)ix->n_words++;
    return DX_OK;
}

static dx_status add_pair(dx_name_index *ix, uint32_t word, uint32_t variant)
{
    if (dx_grow_array((void **)&ix->pairs, &ix->cap_pairs, ix->n_pairs + 2, sizeof(uint32_t)))
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
    if (st == DX_OK &&
        dx_grow_array((void **)&ix->vschema, &ix->cap_vschema, (size_t)variant + 1, 1) != DX_OK)
        st = DX_ERR_NOMEM;
    if (st == DX_OK) {
        ix->vschema[variant] = (unsigned char)name->schema;
        if (variant + 1 > ix->n_variants)
            ix->n_variants = variant + 1;
    }
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

static size_t bucket_of(uint64_t hash)
{
    return (size_t)(hash >> (64 - BUCKET_BITS));
}

typedef struct key_pass {
    dx_name_index *ix;
    uint32_t word;
    uint32_t *fill; /* NULL: count into ix->bucket; else next free position per bucket */
} key_pass;

static void key_visit(void *ctx, uint64_t hash)
{
    key_pass *kp = ctx;
    size_t b = bucket_of(hash);
    if (!kp->fill) {
        kp->ix->bucket[b + 1]++;
        return;
    }
    uint32_t at = kp->fill[b]++;
    kp->ix->key_hash[at] = hash;
    kp->ix->key_word[at] = kp->word;
}

/* Run a pass over every stored word's deletion variants. */
static void key_walk(dx_name_index *ix, uint32_t *fill)
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

/* Sort one bucket by hash (buckets hold a few keys: insertion sort), dropping repeats of a
 * (hash, word) pair; returns the kept count, compacted to start at `out`. */
static uint32_t sort_bucket(dx_name_index *ix, uint32_t from, uint32_t to, uint32_t out)
{
    for (uint32_t i = from + 1; i < to; i++) {
        uint64_t h = ix->key_hash[i];
        uint32_t w = ix->key_word[i], j = i;
        while (j > from && (ix->key_hash[j - 1] > h ||
                            (ix->key_hash[j - 1] == h && ix->key_word[j - 1] > w))) {
            ix->key_hash[j] = ix->key_hash[j - 1];
            ix->key_word[j] = ix->key_word[j - 1];
            j--;
        }
        ix->key_hash[j] = h;
        ix->key_word[j] = w;
    }
    uint32_t n = 0;
    for (uint32_t i = from; i < to; i++) {
        if (n && ix->key_hash[out + n - 1] == ix->key_hash[i] &&
            ix->key_word[out + n - 1] == ix->key_word[i])
            continue;
        ix->key_hash[out + n] = ix->key_hash[i];
        ix->key_word[out + n] = ix->key_word[i];
        n++;
    }
    return n;
}

/* The deletion keys: counted per bucket, placed, then each bucket sorted. Two sequential
 * passes over the words and one over the keys: no hash table to probe while building. */
static dx_status build_keys(dx_name_index *ix)
{
    size_t nb = (size_t)1 << BUCKET_BITS;
    ix->bucket = dx_calloc(nb + 1, sizeof(uint32_t));
    if (!ix->bucket)
        return DX_ERR_NOMEM;
    key_walk(ix, NULL);
    for (size_t b = 0; b < nb; b++) {
        if ((uint64_t)ix->bucket[b] + ix->bucket[b + 1] > UINT32_MAX - 1)
            return DX_ERR_LIMIT;
        ix->bucket[b + 1] += ix->bucket[b];
    }
    size_t total = ix->bucket[nb];
    uint32_t *fill = dx_malloc(nb * sizeof(uint32_t));
    ix->key_hash = dx_malloc((total + 1) * sizeof(uint64_t));
    ix->key_word = dx_malloc((total + 1) * sizeof(uint32_t));
    if (!fill || !ix->key_hash || !ix->key_word) {
        dx_free(fill);
        return DX_ERR_NOMEM;
    }
    memcpy(fill, ix->bucket, nb * sizeof(uint32_t));
    key_walk(ix, fill);
    dx_free(fill);
    uint32_t out = 0;
    for (size_t b = 0; b < nb; b++) {
        uint32_t from = ix->bucket[b], to = ix->bucket[b + 1];
        ix->bucket[b] = out;
        out += sort_bucket(ix, from, to, out);
    }
    ix->bucket[nb] = out;
    ix->n_keys = out;
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
    size_t nv = (size_t)ix->n_variants + 1;
    c->word_mark = dx_calloc(ix->n_words + 1, sizeof(uint32_t));
    c->accepted = dx_malloc((ix->n_words + 1) * sizeof(uint32_t));
    c->accepted_sim = dx_malloc((ix->n_words + 1) * sizeof(double));
    c->variant_mark = dx_calloc(nv, sizeof(uint32_t));
    c->touched = dx_malloc(nv * sizeof(uint32_t));
    c->out = dx_malloc(nv * sizeof(uint32_t));
    c->found = dx_malloc(nv * DX_NAME_BOUND_WORDS);
    c->vflag = dx_malloc(nv);
    c->memo = dx_calloc(MEMO_SLOTS, sizeof *c->memo);
    c->memo_gen = 1;
    c->memo_words = dx_malloc(MEMO_PAIRS * sizeof *c->memo_words);
    c->memo_sims = dx_malloc(MEMO_PAIRS * sizeof *c->memo_sims);
    c->memo_text = dx_malloc(MEMO_TEXT);
    if (!c->word_mark || !c->accepted || !c->accepted_sim || !c->variant_mark || !c->touched ||
        !c->out || !c->found || !c->vflag || !c->memo || !c->memo_words || !c->memo_sims ||
        !c->memo_text) {
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
    dx_free(c->accepted_sim);
    dx_free(c->variant_mark);
    dx_free(c->touched);
    dx_free(c->out);
    dx_free(c->found);
    dx_free(c->vflag);
    dx_free(c->memo);
    dx_free(c->memo_words);
    dx_free(c->memo_sims);
    dx_free(c->memo_text);
    dx_free(c);
}

/* A new epoch for the word marks; marks are cleared when the counter wraps. */
static void next_word_epoch(const dx_name_index *ix, dx_name_cands *c)
{
    if (++c->word_epoch == 0) {
        memset(c->word_mark, 0, (ix->n_words + 1) * sizeof(uint32_t));
        c->word_epoch = 1;
    }
    c->n_accepted = 0;
}

void dx_name_cands_begin(const dx_name_index *ix, dx_name_cands *c)
{
    if (++c->epoch == 0) {
        memset(c->variant_mark, 0, ((size_t)ix->n_variants + 1) * sizeof(uint32_t));
        c->epoch = 1;
    }
    c->n_touched = 0;
    c->n_out = 0;
}

typedef struct lookup {
    const dx_name_index *ix;
    dx_name_cands *c;
    const dx_name_word *q;
    int joined_q;  /* the query word is a joined form: only joined similarity counts */
    double short_cap;
    double threshold;
} lookup;

/* Keep stored word w when it is similar at all to the query word (its similarity recorded). */
static void accept(lookup *lk, uint32_t w)
{
    dx_name_cands *c = lk->c;
    if (c->word_mark[w] == c->word_epoch)
        return;
    c->word_mark[w] = c->word_epoch;
    int flags = lk->ix->flags[w];
    const dx_name_word *x = &lk->ix->word[w];
    /* Similar at all means at most 3 edits (1 for a joined word at 0.85): a larger length
     * difference, or more letters present in one word only than twice that, rules it out
     * without computing the similarity. */
    size_t diff = x->ncp > lk->q->ncp ? x->ncp - lk->q->ncp : lk->q->ncp - x->ncp;
    size_t odd = (size_t)__builtin_popcount(x->letters ^ lk->q->letters);
    int joined = lk->joined_q || !(flags & W_WORD);
    size_t max_edits = joined ? 1 : 3;
    if (diff > max_edits || odd > 2 * max_edits)
        return;
    /* Below the threshold only an upper bound is needed (it feeds the score bound): the
     * exact similarity is computed when the bound reaches the threshold. */
    size_t min_edits = diff > (odd + 1) / 2 ? diff : (odd + 1) / 2;
    double cap = joined ? 1.0 : lk->short_cap;
    double sim = dx_name_word_sim_bound(lk->q, x, min_edits, cap);
    if (joined || sim >= lk->threshold)
        sim = dx_name_word_sim(lk->q, x, cap);
    int ok = (!lk->joined_q && (flags & W_WORD) && sim > 0.0) ||
             ((lk->joined_q || (flags & W_JOINED)) && sim >= DX_NAME_COMPOUND_SIM);
    if (ok) {
        c->accepted_sim[c->n_accepted] = sim;
        c->accepted[c->n_accepted++] = w;
    }
}

typedef struct key_list {
    size_t n;
    uint64_t hash[QUERY_MAX_KEYS];
} key_list;

static void collect_key(void *ctx, uint64_t hash)
{
    key_list *k = ctx;
    if (k->n < QUERY_MAX_KEYS)
        k->hash[k->n++] = hash;
}

static void lookup_key(void *ctx, uint64_t hash)
{
    lookup *lk = ctx;
    const dx_name_index *ix = lk->ix;
    size_t b = bucket_of(hash);
    for (uint32_t i = ix->bucket[b]; i < ix->bucket[b + 1] && ix->key_hash[i] <= hash; i++)
        if (ix->key_hash[i] == hash)
            accept(lk, ix->key_word[i]);
}

/* Stored words similar to `q` (a word of the query, or a joined form when joined_q). */
static void find_similar(const dx_name_index *ix, dx_name_cands *c, const dx_name_word *q,
                         int joined_q, double short_cap, double threshold)
{
    next_word_epoch(ix, c);
    lookup lk = {ix, c, q, joined_q, short_cap, threshold};
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
    key_list keys = {0, {0}};
    each_deletion(cps, n, d, collect_key, &keys);
    /* Two prefetch rounds (directory, then keys) hide most of the memory latency. */
    for (size_t i = 0; i < keys.n; i++)
        __builtin_prefetch(&ix->bucket[bucket_of(keys.hash[i])]);
    for (size_t i = 0; i < keys.n; i++)
        __builtin_prefetch(&ix->key_hash[ix->bucket[bucket_of(keys.hash[i])]]);
    for (size_t i = 0; i < keys.n; i++)
        lookup_key(&lk, keys.hash[i]);
}

static uint64_t memo_hash(const dx_name_word *q, int joined_q, double short_cap,
                          double threshold)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < q->len; i++)
        h = (h ^ (unsigned char)q->s[i]) * 1099511628211ull;
    uint64_t bits[2];
    memcpy(&bits[0], &short_cap, sizeof bits[0]);
    memcpy(&bits[1], &threshold, sizeof bits[1]);
    h ^= ((uint64_t)q->kind << 1 | (uint64_t)(joined_q != 0)) * 0x9E3779B97F4A7C15ull;
    h ^= bits[0] * 0xC2B2AE3D27D4EB4Full;
    h ^= bits[1] * 0x165667B19E3779F9ull;
    return h ^ (h >> 29);
}

/* find_similar through the memo: the same word with the same parameters gets the words
 * accepted the first time, in the same order. */
static void find_similar_memo(const dx_name_index *ix, dx_name_cands *c, const dx_name_word *q,
                              int joined_q, double short_cap, double threshold)
{
    uint64_t h = memo_hash(q, joined_q, short_cap, threshold);
    size_t at = (size_t)h & (MEMO_SLOTS - 1);
    for (;; at = (at + 1) & (MEMO_SLOTS - 1)) {
        memo_slot *m = &c->memo[at];
        if (m->gen != c->memo_gen)
            break;
        if (m->hash == h && m->len == q->len && m->kind == (unsigned char)q->kind &&
            m->joined == (joined_q != 0) && m->short_cap == short_cap &&
            m->threshold == threshold && memcmp(c->memo_text + m->text, q->s, q->len) == 0) {
            memcpy(c->accepted, c->memo_words + m->start, m->n * sizeof *c->accepted);
            memcpy(c->accepted_sim, c->memo_sims + m->start, m->n * sizeof *c->accepted_sim);
            c->n_accepted = m->n;
            c->memo_hits++;
            return;
        }
    }
    find_similar(ix, c, q, joined_q, short_cap, threshold);
    c->memo_misses++;
    if (c->memo_used + 1 > MEMO_SLOTS / 2 || c->pairs_used + c->n_accepted > MEMO_PAIRS ||
        c->text_used + q->len > MEMO_TEXT) { /* full: forget everything, start again */
        if (c->n_accepted > MEMO_PAIRS || q->len > MEMO_TEXT)
            return;
        if (++c->memo_gen == 0) { /* wrapped: clear the stamps once */
            memset(c->memo, 0, MEMO_SLOTS * sizeof *c->memo);
            c->memo_gen = 1;
        }
        c->memo_used = c->pairs_used = c->text_used = 0;
        at = (size_t)h & (MEMO_SLOTS - 1);
    }
    memo_slot *m = &c->memo[at];
    *m = (memo_slot){h, (uint32_t)c->text_used, (uint32_t)q->len, (uint32_t)c->pairs_used,
                     (uint32_t)c->n_accepted, short_cap, threshold, c->memo_gen,
                     (unsigned char)q->kind, (unsigned char)(joined_q != 0)};
    memcpy(c->memo_text + c->text_used, q->s, q->len);
    memcpy(c->memo_words + c->pairs_used, c->accepted, c->n_accepted * sizeof *c->accepted);
    memcpy(c->memo_sims + c->pairs_used, c->accepted_sim,
           c->n_accepted * sizeof *c->accepted_sim);
    c->text_used += q->len;
    c->pairs_used += c->n_accepted;
    c->memo_used++;
}

/* Touch the variants of the accepted words: record the similarity for query word `qi` (-1:
 * a joined form or original script, which makes them candidates that must be scored). */
static void collect_variants(const dx_name_index *ix, dx_name_cands *c, unsigned mask, int qi,
                             double threshold)
{
    for (size_t a = 0; a < c->n_accepted; a++) {
        uint32_t w = c->accepted[a];
        double sim = c->accepted_sim[a];
        unsigned char q8 = (unsigned char)ceil(sim * 255.0);
        uint32_t end = ix->post_start[w + 1];
        for (uint32_t i = ix->post_start[w]; i < end; i++) {
            uint32_t v = ix->post[i];
            if (i + 8 < end) { /* postings are scattered over the variants: fetch ahead */
                uint32_t ahead = ix->post[i + 8];
                __builtin_prefetch(&c->variant_mark[ahead]);
                __builtin_prefetch(&c->found[(size_t)ahead * DX_NAME_BOUND_WORDS]);
            }
            if (!(mask & (1u << ix->vschema[v])))
                continue;
            unsigned char *f = &c->found[(size_t)v * DX_NAME_BOUND_WORDS];
            if (c->variant_mark[v] != c->epoch) {
                c->variant_mark[v] = c->epoch;
                memset(f, 0, DX_NAME_BOUND_WORDS);
                c->vflag[v] = 0;
                c->touched[c->n_touched++] = v;
            }
            if (qi < 0) {
                c->vflag[v] |= V_CANDIDATE | V_MUST_SCORE;
                continue;
            }
            if (qi < DX_NAME_BOUND_WORDS && q8 > f[qi])
                f[qi] = q8;
            if (sim >= threshold)
                c->vflag[v] |= V_CANDIDATE;
        }
    }
    c->n_accepted = 0;
}

/* The query's joined forms (2-4 adjacent words), each looked up as a joined word. */
static void find_joined(const dx_name_index *ix, dx_name_cands *c, const dx_name_prep *q,
                        unsigned mask)
{
    char buf[256];
    for (size_t i = 0; i < q->n_words; i++)
        for (size_t k = 2; k <= MAX_JOIN && i + k <= q->n_words; k++) {
            size_t len = join_words(q, i, k, buf, sizeof buf);
            if (!len)
                continue;
            dx_name_word jw = dx_name_word_make(buf, len, q->schema);
            find_similar_memo(ix, c, &jw, 1, 1.0, DX_NAME_COMPOUND_SIM);
            collect_variants(ix, c, mask, -1, 1.0);
        }
}

int dx_name_cands_add(const dx_name_index *ix, dx_name_cands *c, const dx_name_prep *query,
                      unsigned schema_mask, double short_cap, double threshold)
{
    if (!ix->finished)
        return 0;
    int long_word = 0, many = query->n_words > DX_NAME_BOUND_WORDS;
    for (size_t i = 0; i < query->n_words; i++) {
        const dx_name_word *q = &query->words[i];
        long_word |= q->ncp >= 3 || q->kind == DX_WORD_EXACT;
        find_similar_memo(ix, c, q, 0, short_cap, threshold);
        /* Beyond DX_NAME_BOUND_WORDS words no bound is kept: every candidate is scored. */
        collect_variants(ix, c, schema_mask, many ? -1 : (int)i, threshold);
    }
    find_joined(ix, c, query, schema_mask);
    size_t id;
    if (query->original && dx_strmap_get(&ix->words, query->original, &id) &&
        (ix->flags[id] & W_ORIGINAL)) {
        next_word_epoch(ix, c);
        c->accepted_sim[0] = 1.0;
        c->accepted[c->n_accepted++] = (uint32_t)id;
        collect_variants(ix, c, schema_mask, -1, 1.0);
    }
    return long_word && threshold > DX_NAME_SIM_DIST2;
}

size_t dx_name_cands_get(dx_name_cands *c, const uint32_t **variants)
{
    c->n_out = 0;
    for (size_t i = 0; i < c->n_touched; i++)
        if (c->vflag[c->touched[i]] & V_CANDIDATE)
            c->out[c->n_out++] = c->touched[i];
    *variants = c->out;
    return c->n_out;
}

const unsigned char *dx_name_cands_found(const dx_name_cands *c, uint32_t variant)
{
    return c->vflag[variant] & V_MUST_SCORE ? NULL
                                            : &c->found[(size_t)variant * DX_NAME_BOUND_WORDS];
}

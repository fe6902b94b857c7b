/*
 * test_name_norm.c — dx_name_normalize and the list-form helpers.
 *
 * Expected forms were checked by eye against how the names are written in Latin on sanctions
 * lists, then asserted exactly as ICU 72 produces them. The Putin name variants are read at
 * run time from the shared nomenklatura file, never copied.
 */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "name_norm.h"

#define PUTIN_NAMES DX_SHARED_DATA "/matching/nomenklatura/putin_names.txt"

static dx_name_normalizer *nn; /* shared by every test, like the matcher will share it */

static int setup(void **state)
{
    return dx_name_normalizer_new(&nn) == DX_OK ? 0 : -1;
}

static int teardown(void **state)
{
    dx_name_normalizer_free(nn);
    nn = NULL;
    return 0;
}

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Normalise `name` and check each field; original NULL means "no original form". */
static void check(const char *name, const char *latin, const char *original,
                  dx_name_script script, size_t n_tokens)
{
    dx_name_form *f = NULL;
    assert_int_equal(dx_name_normalize(nn, name, &f), DX_OK);
    assert_string_equal(f->latin, latin);
    if (original)
        assert_non_null(f->original), assert_string_equal(f->original, original);
    else
        assert_null(f->original);
    assert_string_equal(dx_name_script_str(f->script), dx_name_script_str(script));
    assert_int_equal(f->n_tokens, n_tokens);
    assert_null(f->tokens[n_tokens]);
    dx_name_form_free(f);
}

static void test_cyrillic(void **state)
{
    check("Владимир Путин", "vladimir putin", NULL, DX_SCRIPT_CYRILLIC, 2);
    /* Stress marks as printed in dictionaries; BGN spellings of the hard letters. */
    check("Влади́мир Влади́мирович ПУ́ТИН", "vladimir vladimirovich putin", NULL,
          DX_SCRIPT_CYRILLIC, 3);
    check("Ходорковский Михаил", "khodorkovskiy mikhail", NULL, DX_SCRIPT_CYRILLIC, 2);
    check("Дмитрий Ёлкин", "dmitriy yelkin", NULL, DX_SCRIPT_CYRILLIC, 2);
    check("Путін Володимир", "putin volodimir", NULL, DX_SCRIPT_CYRILLIC, 2);
}

static void test_greek_armenian_georgian(void **state)
{
    check("ΑΛΈΞΗΣ ΤΣΊΠΡΑΣ", "alexis tsipras", NULL, DX_SCRIPT_GREEK, 2);
    check("Βλαντίμιρ Πούτιν", "vlantimir poutin", NULL, DX_SCRIPT_GREEK, 2);
    check("Վլադիմիր Պուտին", "vladimir putin", NULL, DX_SCRIPT_ARMENIAN, 2);
    /* ICU writes ejectives with an apostrophe (p'ut'ini); apostrophes are deleted. */
    check("ვლადიმერ პუტინი", "vladimer putini", NULL, DX_SCRIPT_GEORGIAN, 2);
}

static void test_korean_japanese(void **state)
{
    /* ICU's Hangul romanisation joins the syllables of a word and hyphenates ambiguous ones. */
    check("김정은", "gimjeong eun", NULL, DX_SCRIPT_HANGUL, 2);
    check("블라디미르 푸틴", "beulladimileu putin", NULL, DX_SCRIPT_HANGUL, 2);
    /* The katakana middle dot separates words. */
    check("ウラジーミル・プーチン", "urajimiru puchin", NULL, DX_SCRIPT_KANA, 2);
    check("やまだ たろう", "yamada tarou", NULL, DX_SCRIPT_KANA, 2);
    /* Japanese with kanji: the kanji are kept, so there is an original form. */
    check("山田タロウ", "山田tarou", "山田タロウ", DX_SCRIPT_KANA, 1);
}

static void test_kept_scripts(void **state)
{
    /* Han and Arabic are not romanised: latin holds the folded name itself. */
    check("習近平", "習近平", "習近平", DX_SCRIPT_HAN, 1);
    check("أسامة بن لادن", "أسامة بن لادن", "أسامة بن لادن", DX_SCRIPT_ARABIC, 3);
    /* Arabic vowel signs are not romanised one by one, nor stripped. */
    check("مُحَمَّد", "مُحَمَّد", "مُحَمَّد", DX_SCRIPT_ARABIC, 1);
    /* Devanagari vowel signs (marks) survive. */
    check("व्लादिमीर पुतिन", "व्लादिमीर पुतिन", "व्लादिमीर पुतिन", DX_SCRIPT_DEVANAGARI, 2);
    check("ולדימיר פוטין", "ולדימיר פוטין", "ולדימיר פוטין", DX_SCRIPT_OTHER, 2);
    check("Xi 習近平", "xi 習近平", "xi 習近平", DX_SCRIPT_MIXED, 2);
}

static void test_latin(void **state)
{
    check("Müller-Lüdenscheidt GmbH", "muller ludenscheidt gmbh", NULL, DX_SCRIPT_LATIN, 3);
    check("ＰＵＴＩＮ", "putin", NULL, DX_SCRIPT_LATIN, 1);
    check("O'BRIEN, Seán", "obrien sean", NULL, DX_SCRIPT_LATIN, 2);
    check("O’Brien", "obrien", NULL, DX_SCRIPT_LATIN, 1);
    check("'ABD AL-NASIR, Qar'awi", "abd al nasir qarawi", NULL, DX_SCRIPT_LATIN, 4);
    check("ANGLO-CARIBBEAN CO., LTD.", "anglo caribbean co ltd", NULL, DX_SCRIPT_LATIN, 4);
    check("Vladimir V. Putin", "vladimir v putin", NULL, DX_SCRIPT_LATIN, 3);
    check("Straße Łódź Ørsted Þór Đoković", "strasse lodz orsted thor dokovic", NULL,
          DX_SCRIPT_LATIN, 5);
    check("  many \t  spaces\u00a0here  ", "many spaces here", NULL, DX_SCRIPT_LATIN, 3);
    check("soft\u00adhyphen", "softhyphen", NULL, DX_SCRIPT_LATIN, 1);
    check("11,420.2-1 CORP.", "11 420 2 1 corp", NULL, DX_SCRIPT_LATIN, 5);
}

static void test_empty_and_errors(void **state)
{
    check("", "", NULL, DX_SCRIPT_OTHER, 0);
    check(" -- ., ", "", NULL, DX_SCRIPT_OTHER, 0);
    check("007", "007", NULL, DX_SCRIPT_OTHER, 1);

    dx_name_form *f = NULL;
    assert_int_equal(dx_name_normalize(nn, "bad \xC3\x28 utf8", &f), DX_ERR_ENCODING);
    assert_int_equal(dx_name_normalize(nn, "truncated \xE2\x82", &f), DX_ERR_ENCODING);
    assert_int_equal(dx_name_normalize(NULL, "x", &f), DX_ERR_INVALID);
    assert_int_equal(dx_name_normalize(nn, NULL, &f), DX_ERR_INVALID);
    assert_int_equal(dx_name_normalize(nn, "x", NULL), DX_ERR_INVALID);
    assert_null(f);

    char big[DX_NAME_MAX_BYTES + 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(dx_name_normalize(nn, big, &f), DX_ERR_LIMIT);
    big[DX_NAME_MAX_BYTES] = '\0';
    assert_int_equal(dx_name_normalize(nn, big, &f), DX_OK);
    assert_int_equal(strlen(f->latin), DX_NAME_MAX_BYTES);
    dx_name_form_free(f);

    /* The worst NFKC expansion (U+FDFA, 18 letters) over the whole length still fits. */
    char wide[DX_NAME_MAX_BYTES + 1] = "";
    for (size_t i = 0; i + 3 <= DX_NAME_MAX_BYTES; i += 3)
        memcpy(wide + i, "\xEF\xB7\xBA", 4);
    assert_int_equal(dx_name_normalize(nn, wide, &f), DX_OK);
    assert_int_equal(f->script, DX_SCRIPT_ARABIC);
    dx_name_form_free(f);
    dx_name_form_free(NULL);
    dx_name_normalizer_free(NULL);
}

static void test_tokens(void **state)
{
    dx_name_form *f = NULL;
    assert_int_equal(dx_name_normalize(nn, "PUTIN, Vladimir Vladimirovich", &f), DX_OK);
    assert_string_equal(f->latin, "putin vladimir vladimirovich");
    assert_int_equal(f->n_tokens, 3);
    assert_string_equal(f->tokens[0], "putin");
    assert_string_equal(f->tokens[1], "vladimir");
    assert_string_equal(f->tokens[2], "vladimirovich");
    assert_null(f->tokens[3]);
    dx_name_form_free(f);
}

static void test_list_form(void **state)
{
    assert_true(dx_name_is_reversed_list_form("PUTIN, Vladimir Vladimirovich"));
    assert_true(dx_name_is_reversed_list_form("Путин, Владимир"));
    assert_true(dx_name_is_reversed_list_form("AL-NASIR, 'Abd"));
    assert_true(dx_name_is_reversed_list_form("山田，太郎"));
    assert_false(dx_name_is_reversed_list_form("Vladimir Putin"));
    assert_false(dx_name_is_reversed_list_form("PUTIN,"));
    assert_false(dx_name_is_reversed_list_form(", Vladimir"));
    assert_false(dx_name_is_reversed_list_form("A, B, C"));
    assert_false(dx_name_is_reversed_list_form("11,420.2-1 CORP."));
    assert_false(dx_name_is_reversed_list_form("ACME, 2nd branch"));
    assert_false(dx_name_is_reversed_list_form("bad \xC3\x28, x"));
    assert_false(dx_name_is_reversed_list_form(NULL));

    char *g = NULL;
    assert_int_equal(dx_name_given_first("PUTIN, Vladimir Vladimirovich", &g), DX_OK);
    assert_string_equal(g, "Vladimir Vladimirovich PUTIN");
    dx_free(g);
    assert_int_equal(dx_name_given_first("  Путин ,  Владимир  ", &g), DX_OK);
    assert_string_equal(g, "Владимир Путин");
    dx_free(g);
    assert_int_equal(dx_name_given_first("山田，太郎", &g), DX_OK);
    assert_string_equal(g, "太郎 山田");
    dx_free(g);
    g = NULL;
    assert_int_equal(dx_name_given_first("Vladimir Putin", &g), DX_ERR_INVALID);
    assert_null(g);
    assert_int_equal(dx_name_given_first("A, B", NULL), DX_ERR_INVALID);

    /* Reordered, then normalised: the same latin form as the given-first spelling. */
    assert_int_equal(dx_name_given_first("PUTIN, Vladimir Vladimirovich", &g), DX_OK);
    dx_name_form *f = NULL;
    assert_int_equal(dx_name_normalize(nn, g, &f), DX_OK);
    assert_string_equal(f->latin, "vladimir vladimirovich putin");
    dx_name_form_free(f);
    dx_free(g);
}

/* Latin spellings of the surname across the languages of the file. */
static bool names_putin(const char *latin)
{
    static const char *const spellings[] = {"putin", "poutin", "poetin", "putyin", "putsin"};
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++)
        if (strstr(latin, spellings[i]))
            return true;
    return false;
}

static void test_putin_names(void **state)
{
    FILE *fp = fopen(PUTIN_NAMES, "r");
    assert_non_null(fp);
    char line[1024];
    int total = 0, found = 0, original = 0;
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0])
            continue;
        dx_name_form *f = NULL;
        assert_int_equal(dx_name_normalize(nn, line, &f), DX_OK);
        total++;
        if (names_putin(f->latin))
            found++;
        else
            print_message("# not romanised to putin: %s -> %s (%s)\n", line, f->latin,
                          dx_name_script_str(f->script));
        original += f->original != NULL;
        dx_name_form_free(f);
    }
    fclose(fp);
    print_message("# putin_names.txt: %d of %d names give a latin form with putin/poutin/"
                  "poetin/putyin/putsin; %d keep an original form\n",
                  found, total, original);
    assert_int_equal(total, 81);
    assert_int_equal(found, 65);
}

static void sweep(const char *name)
{
    long n;
    for (n = 0;; n++) {
        dx_name_form *f = NULL;
        dx_alloc_fail_after(n);
        dx_status st = dx_name_normalize(nn, name, &f);
        dx_alloc_fail_after(-1);
        if (st == DX_OK) {
            dx_name_form_free(f);
            break;
        }
        assert_int_equal(st, DX_ERR_NOMEM);
        assert_null(f);
    }
    assert_true(n > 0);
}

static void test_allocation_failures(void **state)
{
    sweep("Łódź Müller");
    sweep("Влади́мир Путин");
    sweep("習近平");
    sweep("PUTIN, Vladimir");
    long n;
    for (n = 0;; n++) {
        dx_name_normalizer *other = NULL;
        dx_alloc_fail_after(n);
        dx_status st = dx_name_normalizer_new(&other);
        dx_alloc_fail_after(-1);
        if (st == DX_OK) {
            dx_name_normalizer_free(other);
            break;
        }
        assert_int_equal(st, DX_ERR_NOMEM);
        assert_null(other);
    }
    for (n = 0;; n++) {
        char *g = NULL;
        dx_alloc_fail_after(n);
        dx_status st = dx_name_given_first("PUTIN, Vladimir", &g);
        dx_alloc_fail_after(-1);
        if (st == DX_OK) {
            dx_free(g);
            break;
        }
        assert_int_equal(st, DX_ERR_NOMEM);
    }
}

static const char *const sample[] = {
    "Vladimir Putin", "PUTIN, Vladimir Vladimirovich", "Müller-Lüdenscheidt GmbH",
    "Владимир Путин", "ΑΛΈΞΗΣ ΤΣΊΠΡΑΣ", "김정은", "習近平", "أسامة بن لادن",
};
#define N_SAMPLE (sizeof sample / sizeof sample[0])

/* Threads normalising on the shared normalizer must all get the single-threaded answers. */
static void *normalise_many(void *arg)
{
    const char **expect = arg;
    for (int i = 0; i < 2000; i++) {
        dx_name_form *f = NULL;
        size_t k = (size_t)i % N_SAMPLE;
        if (dx_name_normalize(nn, sample[k], &f) != DX_OK || strcmp(f->latin, expect[k]) != 0) {
            dx_name_form_free(f);
            return (void *)1;
        }
        dx_name_form_free(f);
    }
    return NULL;
}

static void test_threads(void **state)
{
    char *expect[N_SAMPLE];
    for (size_t k = 0; k < N_SAMPLE; k++) {
        dx_name_form *f = NULL;
        assert_int_equal(dx_name_normalize(nn, sample[k], &f), DX_OK);
        expect[k] = strdup(f->latin);
        dx_name_form_free(f);
    }
    pthread_t th[8];
    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&th[i], NULL, normalise_many, expect), 0);
    for (int i = 0; i < 8; i++) {
        void *r;
        assert_int_equal(pthread_join(th[i], &r), 0);
        assert_null(r);
    }
    for (size_t k = 0; k < N_SAMPLE; k++)
        free(expect[k]);
}

/* Cost per name, printed for the report; not an assertion (machines differ). */
static double ns_per_name(const char *const *names, size_t n_names, int count)
{
    double start = seconds_now();
    for (int i = 0; i < count; i++) {
        dx_name_form *f = NULL;
        dx_name_normalize(nn, names[(size_t)i % n_names], &f);
        dx_name_form_free(f);
    }
    return (seconds_now() - start) * 1e9 / count;
}

static void test_cost(void **state)
{
    static const char *const ascii[] = {"Vladimir Putin", "ACME TRADING CO., LTD."};
    static const char *const cyrillic[] = {"Владимир Путин"};
    double t0 = seconds_now();
    double mix = ns_per_name(sample, N_SAMPLE, 100000);
    double total = seconds_now() - t0;
    print_message("# 100000 short names (8-name mix, 3 ASCII): %.0f ms, %.0f ns per name\n",
                  total * 1e3, mix);
    print_message("# ASCII only: %.0f ns per name; Cyrillic: %.0f ns per name\n",
                  ns_per_name(ascii, 2, 100000), ns_per_name(cyrillic, 1, 100000));
    dx_name_normalizer *other = NULL;
    t0 = seconds_now();
    assert_int_equal(dx_name_normalizer_new(&other), DX_OK);
    print_message("# dx_name_normalizer_new: %.1f ms\n", (seconds_now() - t0) * 1e3);
    dx_name_normalizer_free(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cyrillic),
        cmocka_unit_test(test_greek_armenian_georgian),
        cmocka_unit_test(test_korean_japanese),
        cmocka_unit_test(test_kept_scripts),
        cmocka_unit_test(test_latin),
        cmocka_unit_test(test_empty_and_errors),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_list_form),
        cmocka_unit_test(test_putin_names),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_cost),
    };
    /* No u_cleanup(): ICU's caches stay reachable from its globals, and LeakSanitizer does not
     * report them. */
    return cmocka_run_group_tests(tests, setup, teardown);
}

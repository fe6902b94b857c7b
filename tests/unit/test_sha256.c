/* test_sha256.c — SHA-256 against the FIPS 180-4 vectors and sha256sum of a real list file. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static void test_vectors(void **state)
{
    (void)state;
    char hex[65];
    dx_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    dx_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    dx_sha256_hex(two, strlen(two), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_million_a_in_pieces(void **state)
{
    (void)state;
    dx_sha256 h;
    unsigned char digest[32];
    char hex[65], chunk[1001];
    memset(chunk, 'a', sizeof chunk);
    dx_sha256_init(&h);
    for (int i = 0; i < 1000; i++)
        dx_sha256_update(&h, chunk, (size_t)(i % 2 ? 999 : 1001)); /* uneven pieces */
    dx_sha256_final(&h, digest);
    dx_sha256_to_hex(digest, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* The UN list file: its SHA-256 as PROVENANCE.md records it starts with 66b392a4090868d2. */
static void test_real_file(void **state)
{
    (void)state;
    FILE *f = fopen(DX_SHARED_DATA "/lists/un_csl/2026-02/UN_consolidated.xml", "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    char hex[65];
    dx_sha256_hex(buf, (size_t)n, hex);
    free(buf);
    assert_memory_equal(hex, "66b392a4090868d2", 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_million_a_in_pieces),
        cmocka_unit_test(test_real_file),
    };
    return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}

/*
 * sha256.h — SHA-256 (FIPS 180-4), for list provenance and entry content hashes.
 */
#ifndef DX_SHA256_H
#define DX_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct dx_sha256 {
    uint32_t state[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t used;
} dx_sha256;

void dx_sha256_init(dx_sha256 *h);
void dx_sha256_update(dx_sha256 *h, const void *data, size_t len);
void dx_sha256_final(dx_sha256 *h, unsigned char digest[32]);
/* One call: the lower-case hex digest of `len` bytes into hex[65]. */
void dx_sha256_hex(const void *data, size_t len, char hex[65]);
void dx_sha256_to_hex(const unsigned char digest[32], char hex[65]);

#endif

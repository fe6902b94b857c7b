/*
 * screen_facts.c — the run facts of a screening that come from outside the results: the
 * SHA-256 of each input file, the run id, and a hash of the rule set.
 *
 * The rule-set hash covers what decides outcomes, as the compiled rule set reports it: each
 * file's name, regulation, version and date; each rule's id, target, regime, outcome,
 * severity, basis and channel; each parameter's name and value (overrides included). Two runs
 * with the same hash decided by the same rules; comments and layout of the files do not count.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "screen_int.h"
#include "sha256.h"

dx_status dx_screen_file_sha256(const char *path, char hex[65])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return DX_ERR_IO;
    dx_sha256 h;
    dx_sha256_init(&h);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        dx_sha256_update(&h, buf, n);
    int bad = ferror(f);
    fclose(f);
    unsigned char digest[32];
    dx_sha256_final(&h, digest);
    dx_sha256_to_hex(digest, hex);
    return bad ? DX_ERR_IO : DX_OK;
}

void dx_screen_random_id(char out[33])
{
    unsigned char bytes[16];
    size_t got = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = read(fd, bytes, sizeof bytes);
        got = n > 0 ? (size_t)n : 0;
        close(fd);
    }
    if (got < sizeof bytes) { /* no kernel randomness: the clock and pid, hashed */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        char seed[64];
        int len = snprintf(seed, sizeof seed, "%lld.%ld.%ld", (long long)ts.tv_sec,
                           ts.tv_nsec, (long)getpid());
        char hex[65];
        dx_sha256_hex(seed, (size_t)len, hex);
        memcpy(out, hex, 32);
        out[32] = 0;
        return;
    }
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof bytes; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[32] = 0;
}

static void put(dx_sha256 *h, const char *s)
{
    if (s)
        dx_sha256_update(h, s, strlen(s));
    dx_sha256_update(h, "\x1f", 1);
}

static void put_num(dx_sha256 *h, long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    put(h, buf);
}

void dx_screen_ruleset_hash(const dx_ruleset *rs, char hex[65])
{
    dx_sha256 h;
    dx_sha256_init(&h);
    for (size_t i = 0; i < dx_ruleset_file_count(rs); i++) {
        dx_rule_file_info f;
        if (dx_ruleset_file_get(rs, i, &f) != DX_OK)
            continue;
        put(&h, f.source), put(&h, f.regulation), put(&h, f.version), put(&h, f.date);
    }
    for (size_t i = 0; i < dx_ruleset_rule_count(rs); i++) {
        dx_rule_info r;
        if (dx_ruleset_rule_get(rs, i, &r) != DX_OK)
            continue;
        put(&h, r.id), put(&h, r.target), put(&h, dx_regime_name(r.regime));
        put_num(&h, r.is_finding), put_num(&h, r.determination), put_num(&h, r.severity);
        put(&h, r.basis), put(&h, r.channel);
    }
    for (size_t i = 0; i < dx_ruleset_param_count(rs); i++) {
        dx_rule_param_info p;
        if (dx_ruleset_param_get(rs, i, &p) == DX_OK)
            put(&h, p.name), put(&h, p.value);
    }
    unsigned char digest[32];
    dx_sha256_final(&h, digest);
    dx_sha256_to_hex(digest, hex);
}

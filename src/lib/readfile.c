/* readfile.c — see readfile.h. */
#include "readfile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"

static dx_status problem(dx_diags *diags, const char *path, const char *prefix,
                         const char *suffix, dx_status status, const char *fmt, const char *what,
                         const char *detail)
{
    char code[64];
    snprintf(code, sizeof code, "%s.%s", prefix, suffix);
    dx_status st = dx_diags_add(diags, DX_SEV_ERROR, path, 0, 0, code, NULL, fmt, what, detail);
    return st != DX_OK ? st : status;
}

dx_status dx_read_whole_file(const char *path, size_t max, const char *prefix, const char *what,
                             dx_diags *diags, unsigned char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    if (!f || fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        int err = f ? (S_ISDIR(sb.st_mode) ? EISDIR : errno) : errno;
        if (f)
            fclose(f);
        return problem(diags, path, prefix, "unreadable", DX_ERR_IO, "cannot read the %s: %s",
                       what, strerror(err));
    }
    if ((unsigned long long)sb.st_size > max) {
        fclose(f);
        char detail[96];
        snprintf(detail, sizeof detail, "%lld bytes; the limit is %zu", (long long)sb.st_size,
                 max);
        return problem(diags, path, prefix, "too-large", DX_ERR_LIMIT, "the %s is %s", what,
                       detail);
    }
    size_t want = (size_t)sb.st_size;
    unsigned char *bytes = dx_malloc(want + 1);
    if (!bytes) {
        fclose(f);
        return DX_ERR_NOMEM;
    }
    size_t got = fread(bytes, 1, want, f);
    int failed = ferror(f);
    fclose(f);
    if (failed || got != want) {
        dx_free(bytes);
        char detail[96];
        snprintf(detail, sizeof detail, "read %zu of %zu bytes", got, want);
        return problem(diags, path, prefix, "unreadable", DX_ERR_IO, "cannot read the %s: %s",
                       what, detail);
    }
    bytes[want] = '\0';
    *out = bytes;
    *len = want;
    return DX_OK;
}

/*
 * replay_main.c — runs a fuzz target over saved inputs without libFuzzer, so that `make test`
 * replays every corpus file and every saved crasher (built with the sanitizers in the san
 * variant). Arguments are folders (missing ones are skipped); prints one TAP line per folder.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *bigger = realloc(buf, cap *= 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
            }
            buf = bigger;
        }
    }
    fclose(f);
    if (!buf)
        return -1;
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    int test = 0;
    for (int i = 1; i < argc; i++) {
        DIR *dir = opendir(argv[i]);
        if (!dir)
            continue;
        struct dirent *e;
        size_t files = 0, unreadable = 0;
        char path[4096];
        while ((e = readdir(dir)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
            if (replay_file(path) == 0)
                files++;
            else
                unreadable++;
        }
        closedir(dir);
        printf("%s %d - replayed %zu inputs from %s\n", unreadable ? "not ok" : "ok", ++test,
               files, argv[i]);
    }
    printf("1..%d\n", test);
    return 0;
}

/*
 * import_testutil.h — scaffolding shared by the importer unit tests (test_import_un.c,
 * test_import_jp_eu.c, test_import_us_ear.c, test_import_meti_eul.c, test_import_dfat_mof.c).
 *
 * Header-only (static inline): the Makefile builds each tests/unit/test_*.c alone against
 * libdexcheck.a. What is here is what those tests did identically: read a reference file into
 * memory, run one importer over bytes with a fresh dx_diags and entry builder, and look up
 * diagnostics by code. What each test collects from an entry (its own got_entry) stays in the
 * test, since every test keeps different fields.
 */
#ifndef DX_IMPORT_TESTUTIL_H
#define DX_IMPORT_TESTUTIL_H

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dexcheck/diag.h"
#include "entry.h"
#include "alloc.h"
#include "import.h"

/* The whole file at `path`, NUL-terminated (malloc'd; the caller frees); fails the test when
 * the file cannot be read or is empty. */
static inline unsigned char *itu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    assert_true(size > 0);
    rewind(f);
    unsigned char *buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
    buf[size] = '\0';
    fclose(f);
    *len = (size_t)size;
    return buf;
}

/*
 * Runs `fn` over `len` bytes as the one file `path` (base name `name`), with a new dx_diags
 * (into *diags; the caller frees it) and a new entry builder, entries going to emit(ctx).
 * publication_date starts as `date_before` (a non-date, so that a test sees whether the
 * importer set it) and ends in date[11]. *seconds (when not NULL) gets the import's wall time.
 * Returns the importer's status.
 */
static inline dx_status itu_import(dx_import_fn fn, const dx_countries *countries,
                                   const char *path, const char *name, const void *bytes,
                                   size_t len, dx_entry_fn emit, void *ctx,
                                   const char *date_before, dx_diags **diags, char date[11],
                                   double *seconds)
{
    dx_entry_builder *b = NULL;
    assert_int_equal(dx_diags_new(diags), DX_OK);
    assert_int_equal(dx_entry_builder_new(countries, &b), DX_OK);
    dx_import im = {*diags, b, emit, ctx, countries, "", NULL};
    snprintf(im.publication_date, sizeof im.publication_date, "%s", date_before);
    dx_import_file f = {path, name, bytes, len};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    dx_status st = fn(&im, &f, 1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (seconds)
        *seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    memcpy(date, im.publication_date, sizeof im.publication_date);
    dx_free(im.meta);
    dx_entry_builder_free(b);
    return st;
}

/* How many diagnostics have `code`. */
static inline size_t itu_count_code(const dx_diags *diags, const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < dx_diags_count(diags); i++)
        n += strcmp(dx_diags_get(diags, i)->code, code) == 0;
    return n;
}

/* The first diagnostic with `code`; fails the test when there is none. */
static inline const dx_diag *itu_diag_of(const dx_diags *diags, const char *code)
{
    for (size_t i = 0; i < dx_diags_count(diags); i++) {
        const dx_diag *d = dx_diags_get(diags, i);
        if (strcmp(d->code, code) == 0)
            return d;
    }
    fail_msg("no diagnostic %s", code);
    return NULL;
}

#endif

/*
 * records_int.h — the insides of dx_records, shared by records.c (the set and its files),
 * records_parse.c (rows into records) and records_check.c (the cross-file checks).
 */
#ifndef DX_RECORDS_INT_H
#define DX_RECORDS_INT_H

#include "arena.h"
#include "dexcheck/records.h"
#include "strmap.h"

/*
 * One kind's accepted records, with each record's row as read: raw[i] holds the header's
 * number of NUL-terminated values back to back (an accepted row has exactly that many), so
 * a row that a cross-file check rejects can still be kept as it was read.
 */
typedef struct dx_table {
    unsigned char *items; /* n records of the schema's record_size */
    const char **raw;     /* raw[i]: the values of record i, back to back */
    size_t n, cap;
} dx_table;

/* A file's header: its column names as written. */
typedef struct dx_header {
    const char **names;
    size_t n;
} dx_header;

struct dx_records {
    dx_records_options opt;
    const dx_countries *countries;
    dx_countries *owned_countries;
    dx_arena arena;
    dx_records_file files[DX_REC_KIND_COUNT];
    dx_header headers[DX_REC_KIND_COUNT];
    dx_table tables[DX_REC_KIND_COUNT];
    dx_rejected_row *rejected;
    size_t n_rejected, cap_rejected;
    dx_strmap tainted; /* subject ids that rejected rows concern */
    int finished;
};

/* Append a rejected row (values aligned with the kind's header; may be NULL) and mark its
 * subject. Strings must live in the arena. */
dx_status dx_records_reject(dx_records *r, dx_record_kind kind, dx_source_ref src,
                            const char *subject_id, const char *const *values);

/* Make room for `extra` more records of `kind`. */
dx_status dx_records_table_reserve(dx_records *r, dx_record_kind kind, size_t extra);

/* Decode, split and convert one file (records_parse.c). */
dx_status dx_records_parse_file(dx_records *r, dx_record_kind kind, dx_records_file *info,
                                const void *bytes, size_t len, dx_diags *diags);

#endif

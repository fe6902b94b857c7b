/*
 * schema.h — the columns of the nine record files (product.md §4) as data.
 *
 * Each column names its canonical header, its accepted aliases (Japanese headers among them),
 * its type and where its value lands in the record struct. The loader (records.c) is generic
 * over this table, so adding a column is one line here. docs/records.md lists the same.
 */
#ifndef DX_SCHEMA_H
#define DX_SCHEMA_H

#include <stddef.h>

#include "dexcheck/records.h"
#include "values.h"

typedef enum dx_col_type {
    DX_COL_TEXT,            /* const char * */
    DX_COL_TEXT_LIST,       /* dx_strlist */
    DX_COL_DATE,            /* dx_date */
    DX_COL_DATE_OR_YEAR,    /* dx_date, a bare year allowed */
    DX_COL_YESNO,           /* dx_tristate: yes / no */
    DX_COL_YESNO_UNKNOWN,   /* dx_tristate: yes / no / unknown */
    DX_COL_AMOUNT,          /* dx_amount */
    DX_COL_COUNTRY,         /* char[3] */
    DX_COL_COUNTRY_LIST,    /* dx_country_list of CC[@date] */
    DX_COL_CURRENCY,        /* char[4] */
    DX_COL_ENUM,            /* an int-sized enum, words from the column's table */
    DX_COL_JP_ITEM,         /* const char *: "1".."16", "3-2" */
    DX_COL_ECCN,            /* const char * */
    DX_COL_REASONS,         /* dx_strlist of reasons for control */
    DX_COL_CONCERNS,        /* unsigned DX_CONCERN_* bits */
    DX_COL_OWNERS           /* n_owners + owners of dx_organization */
} dx_col_type;

enum {
    DX_COL_REQUIRED = 1 << 0, /* the file must have the column and each row a value */
    DX_COL_ID = 1 << 1,       /* the record's own id */
    DX_COL_SUBJECT = 1 << 2   /* names the person or visitor the row concerns */
};

typedef struct dx_column {
    const char *name;    /* canonical header */
    const char *aliases; /* '|'-separated, may be NULL */
    dx_col_type type;
    size_t offset;       /* into the record struct */
    unsigned flags;
    const dx_value_word *words; /* DX_COL_ENUM */
} dx_column;

/* A start/end pair checked for order. */
typedef struct dx_date_pair {
    size_t start, end;           /* offsets of dx_date fields */
    const char *start_name, *end_name;
} dx_date_pair;

/* No file has more columns than this (visitors.csv has the most). */
#define DX_SCHEMA_MAX_COLUMNS 64

typedef struct dx_schema {
    dx_record_kind kind;
    const char *file;
    size_t record_size;
    size_t src_offset;   /* dx_source_ref */
    size_t extra_offset; /* dx_fields */
    const dx_column *columns;
    size_t n_columns;
    const dx_date_pair *date_pairs;
    size_t n_date_pairs;
} dx_schema;

const dx_schema *dx_schema_get(dx_record_kind kind);

/* The column a header names, or -1. */
int dx_schema_find_column(const dx_schema *schema, const char *header, size_t len);

#endif

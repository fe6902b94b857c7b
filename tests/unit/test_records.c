/*
 * test_records.c — the record files of product.md §4 (src/lib/records*.c, schema.c).
 *
 * Record sets are built from CSV text with dx_records_read_buffer and checked field by field:
 * typed values, header matching, unknown columns, rejected rows (their diagnostics, raw
 * fields and subjects), counts that reconcile, the cross-file checks of dx_records_finish,
 * the example folder, and an allocation-failure sweep. The country table is built once for
 * the file and lent to each record set (one test builds its own through options NULL).
 */
#include "testutil.h"

#include <dirent.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "dexcheck/country.h"
#include "dexcheck/diag.h"
#include "dexcheck/records.h"

static dx_countries *countries;

/* The record set and diagnostics of the running test, freed by the teardown. */
static dx_records *R;
static dx_diags *D;

static int group_setup(void **state)
{
    (void)state;
    return dx_countries_new(&countries) == DX_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    dx_countries_free(countries);
    countries = NULL;
    return 0;
}

static void fresh(void)
{
    dx_records_free(R);
    dx_diags_free(D);
    R = NULL;
    D = NULL;
    dx_records_options opt = {DX_ENC_AUTO, 0, countries};
    assert_int_equal(dx_records_new(&opt, &R), DX_OK);
    assert_int_equal(dx_diags_new(&D), DX_OK);
}

static int setup(void **state)
{
    (void)state;
    fresh();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dx_alloc_fail_after(-1);
    dx_records_free(R);
    dx_diags_free(D);
    R = NULL;
    D = NULL;
    return 0;
}

/* ---- helpers ---- */

static dx_status rd(dx_record_kind kind, const char *text)
{
    return dx_records_read_buffer(R, kind, dx_record_kind_file(kind), text, strlen(text), D);
}

#define READ_OK(kind, text) assert_int_equal(rd(kind, text), DX_OK)

static void dump_diags(void)
{
    for (size_t i = 0; i < dx_diags_count(D); i++) {
        const dx_diag *d = dx_diags_get(D, i);
        print_message("  %s:%lu:%lu: %s %s: %s\n", d->source, d->line, d->column,
                      dx_severity_str(d->severity), d->code, d->message);
    }
}

static size_t count_code(const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < dx_diags_count(D); i++)
        n += strcmp(dx_diags_get(D, i)->code, code) == 0;
    return n;
}

/* The diagnostic with this code, source, line and column; fails when there is none (saying
 * so precisely when one with another column exists). */
static const dx_diag *expect_diag(const char *code, const char *source, unsigned long line,
                                  unsigned long column, const char *message_part)
{
    const dx_diag *other = NULL;
    for (size_t i = 0; i < dx_diags_count(D); i++) {
        const dx_diag *d = dx_diags_get(D, i);
        if (strcmp(d->code, code) != 0 || strcmp(d->source, source) != 0 || d->line != line)
            continue;
        if (d->column != column) {
            other = other ? other : d;
            continue;
        }
        if (message_part && !strstr(d->message, message_part))
            fail_msg("%s at %s:%lu: message \"%s\" lacks \"%s\"", code, source, line, d->message,
                     message_part);
        return d;
    }
    if (other)
        fail_msg("%s at %s:%lu: column %lu, expected %lu (%s)", code, source, line,
                 other->column, column, other->message);
    dump_diags();
    fail_msg("no diagnostic %s at %s:%lu", code, source, line);
    return NULL;
}

static void expect_no_errors(void)
{
    if (dx_diags_count_severity(D, DX_SEV_ERROR) != 0) {
        dump_diags();
        fail_msg("%zu unexpected error diagnostics", dx_diags_count_severity(D, DX_SEV_ERROR));
    }
}

static void expect_no_diags(void)
{
    if (dx_diags_count(D) != 0) {
        dump_diags();
        fail_msg("%zu unexpected diagnostics", dx_diags_count(D));
    }
}

static void expect_counts(dx_record_kind kind, size_t read, size_t accepted, size_t rejected)
{
    const dx_records_file *f = dx_records_file_info(R, kind);
    assert_non_null(f);
    if (f->rows_read != read || f->rows_accepted != accepted || f->rows_rejected != rejected)
        fail_msg("%s: read %zu accepted %zu rejected %zu, expected %zu %zu %zu",
                 dx_record_kind_file(kind), f->rows_read, f->rows_accepted, f->rows_rejected,
                 read, accepted, rejected);
}

static const dx_rejected_row *rejected_at(dx_record_kind kind, unsigned long line)
{
    size_t n;
    const dx_rejected_row *rows = dx_records_rejected(R, &n);
    for (size_t i = 0; i < n; i++) {
        if (rows[i].kind == kind && rows[i].src.line == line)
            return &rows[i];
    }
    fail_msg("no rejected row of %s at line %lu", dx_record_kind_file(kind), line);
    return NULL;
}

static size_t n_rejected_of(dx_record_kind kind)
{
    size_t n, k = 0;
    const dx_rejected_row *rows = dx_records_rejected(R, &n);
    for (size_t i = 0; i < n; i++)
        k += rows[i].kind == kind;
    return k;
}

static const char *field_of(const dx_fields *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++) {
        if (strcmp(f->items[i].name, name) == 0)
            return f->items[i].value;
    }
    fail_msg("no field '%s'", name);
    return NULL;
}

static void expect_date(dx_date d, int y, int m, int day)
{
    if (d.year != y || d.month != m || d.day != day)
        fail_msg("date %d-%d-%d, expected %d-%d-%d", d.year, d.month, d.day, y, m, day);
}

static void expect_country_at(const dx_country_list *l, size_t i, const char *cc, int y, int m,
                              int d)
{
    assert_true(i < l->n);
    assert_string_equal(l->items[i].country, cc);
    expect_date(l->items[i].acquired, y, m, d);
}

static void expect_totals_reconcile(void)
{
    dx_records_totals t = dx_records_totals_get(R);
    size_t files = 0, read = 0, acc = 0, rej = 0, n_rej;
    for (int k = 0; k < DX_REC_KIND_COUNT; k++) {
        const dx_records_file *f = dx_records_file_info(R, (dx_record_kind)k);
        if (!f->path)
            continue;
        files++;
        read += f->rows_read;
        acc += f->rows_accepted;
        rej += f->rows_rejected;
        assert_int_equal(f->rows_read, f->rows_accepted + f->rows_rejected);
    }
    dx_records_rejected(R, &n_rej);
    assert_int_equal(t.files, files);
    assert_int_equal(t.rows_read, read);
    assert_int_equal(t.rows_accepted, acc);
    assert_int_equal(t.rows_rejected, rej);
    assert_int_equal(t.rows_read, t.rows_accepted + t.rows_rejected);
    assert_int_equal(n_rej, t.rows_rejected);
}

/* ---- people: every column ---- */

static const char PEOPLE_ALL_HEADER[] =
    "person_id,family_name,given_name,full_name,name_local,aliases,date_of_birth,gender,"
    "citizenships,permanent_residencies,us_person_status,visa_type,role,department,affiliation,"
    "affiliation_country,jp_entry_date,jp_employed,jp_official_status,jp_abroad_since,"
    "jp_abroad_purpose,jp_abroad_country,jp_return_date,jp_residency,residency_note,"
    "annual_income,income_currency,pledge_date,pledge_answer,foreign_gov_instructions,"
    "start_date,end_date\n";

static void test_people_every_column(void **state)
{
    (void)state;
    /* options NULL: the record set builds its own country table */
    dx_records_free(R);
    R = NULL;
    assert_int_equal(dx_records_new(NULL, &R), DX_OK);
    char text[4096];
    snprintf(text, sizeof text, "%s%s%s", PEOPLE_ALL_HEADER,
             "P001,Smith,John,John Smith,\xE3\x82\xB8\xE3\x83\xA7\xE3\x83\xB3,Johnny; J. Smith,"
             "1985,M,Iranian@1980-03-01;Canada@2015-06-01,"
             "\xE6\x97\xA5\xE6\x9C\xAC@2020-04-01;United States,LPR,\xE7\xA0\x94\xE7\xA9\xB6,"
             "\xE6\x95\x99\xE5\x93\xA1,Physics,Sharif University,Chinese,2024/4/1,"
             "\xE6\x9C\x89,none,2025-01-10,long_stay,\xE4\xB8\xAD\xE5\x9B\xBD,"
             "2025\xE5\xB9\xB4" "2\xE6\x9C\x88" "1\xE6\x97\xA5,non-resident,manual override,"
             "\"12,000,000\",jpy,20240402,1+2,unknown,2024-04-01,2027-03-31\n",
             "P002,,,Jane Doe,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n");
    READ_OK(DX_REC_PEOPLE, text);
    assert_int_equal(dx_records_finish(R, D), DX_OK);
    expect_no_diags();
    expect_counts(DX_REC_PEOPLE, 2, 2, 0);

    const dx_records_file *f = dx_records_file_info(R, DX_REC_PEOPLE);
    assert_string_equal(f->path, "people.csv");
    assert_int_equal(f->encoding, DX_ENC_UTF8);
    assert_int_equal(f->had_bom, 0);
    assert_int_equal(f->n_unknown_columns, 0);

    size_t n;
    const dx_person *p = dx_records_people(R, &n);
    assert_int_equal(n, 2);
    assert_string_equal(p->src.file, "people.csv");
    assert_int_equal(p->src.line, 2);
    assert_string_equal(p->person_id, "P001");
    assert_string_equal(p->family_name, "Smith");
    assert_string_equal(p->given_name, "John");
    assert_string_equal(p->full_name, "John Smith");
    assert_string_equal(p->name_local, "\xE3\x82\xB8\xE3\x83\xA7\xE3\x83\xB3");
    assert_int_equal(p->aliases.n, 2);
    assert_string_equal(p->aliases.items[0], "Johnny");
    assert_string_equal(p->aliases.items[1], "J. Smith");
    expect_date(p->date_of_birth, 1985, 0, 0);
    assert_int_equal(p->gender, DX_GENDER_M);
    assert_int_equal(p->citizenships.n, 2);
    expect_country_at(&p->citizenships, 0, "IR", 1980, 3, 1);
    expect_country_at(&p->citizenships, 1, "CA", 2015, 6, 1);
    assert_int_equal(p->permanent_residencies.n, 2);
    expect_country_at(&p->permanent_residencies, 0, "JP", 2020, 4, 1);
    expect_country_at(&p->permanent_residencies, 1, "US", 0, 0, 0);
    assert_int_equal(p->us_person_status, DX_US_LPR);
    assert_string_equal(p->visa_type, "\xE7\xA0\x94\xE7\xA9\xB6");
    assert_int_equal(p->role, DX_ROLE_FACULTY);
    assert_string_equal(p->department, "Physics");
    assert_string_equal(p->affiliation, "Sharif University");
    assert_string_equal(p->affiliation_country, "CN");
    expect_date(p->jp_entry_date, 2024, 4, 1);
    assert_int_equal(p->jp_employed, DX_TRI_YES);
    assert_int_equal(p->jp_official_status, DX_JP_OFFICIAL_NONE);
    expect_date(p->jp_abroad_since, 2025, 1, 10);
    assert_int_equal(p->jp_abroad_purpose, DX_ABROAD_LONG_STAY);
    assert_string_equal(p->jp_abroad_country, "CN");
    expect_date(p->jp_return_date, 2025, 2, 1);
    assert_int_equal(p->jp_residency, DX_RESIDENCY_NON_RESIDENT);
    assert_string_equal(p->residency_note, "manual override");
    assert_int_equal(p->annual_income.present, 1);
    assert_true(p->annual_income.value == 12000000.0);
    assert_string_equal(p->income_currency, "JPY");
    expect_date(p->pledge_date, 2024, 4, 2);
    assert_int_equal(p->pledge_answer, DX_PLEDGE_1_2);
    assert_int_equal(p->foreign_gov_instructions, DX_TRI_UNKNOWN);
    expect_date(p->start_date, 2024, 4, 1);
    expect_date(p->end_date, 2027, 3, 31);
    assert_int_equal(p->extra.n, 0);

    /* the second row: absent values are NULL, year 0, "", UNSET, empty lists */
    const dx_person *q = &p[1];
    assert_int_equal(q->src.line, 3);
    assert_string_equal(q->person_id, "P002");
    assert_null(q->family_name);
    assert_null(q->given_name);
    assert_string_equal(q->full_name, "Jane Doe");
    assert_null(q->name_local);
    assert_int_equal(q->aliases.n, 0);
    assert_int_equal(q->date_of_birth.year, 0);
    assert_int_equal(q->gender, DX_GENDER_UNSET);
    assert_int_equal(q->citizenships.n, 0);
    assert_int_equal(q->permanent_residencies.n, 0);
    assert_int_equal(q->us_person_status, DX_US_UNSET);
    assert_null(q->visa_type);
    assert_int_equal(q->role, DX_ROLE_UNSET);
    assert_string_equal(q->affiliation_country, "");
    assert_int_equal(q->jp_entry_date.year, 0);
    assert_int_equal(q->jp_employed, DX_TRI_UNSET);
    assert_int_equal(q->jp_official_status, DX_JP_OFFICIAL_UNSET);
    assert_int_equal(q->jp_abroad_purpose, DX_ABROAD_UNSET);
    assert_string_equal(q->jp_abroad_country, "");
    assert_int_equal(q->jp_residency, DX_RESIDENCY_UNSET);
    assert_int_equal(q->annual_income.present, 0);
    assert_string_equal(q->income_currency, "");
    assert_int_equal(q->pledge_answer, DX_PLEDGE_UNSET);
    assert_int_equal(q->foreign_gov_instructions, DX_TRI_UNSET);
    assert_int_equal(q->end_date.year, 0);
    assert_int_equal(dx_records_subject_has_rejected_rows(R, "P001"), 0);
    assert_int_equal(dx_records_subject_has_rejected_rows(R, "P002"), 0);
    expect_totals_reconcile();
}

static void test_people_japanese_headers(void **state)
{
    (void)state;
    /* UTF-8 BOM; 個人ID,氏名,国籍,生年月日,入国日,所属,所属国,性別,身分,年収,通貨,在留資格 */
    const char *text =
        "\xEF\xBB\xBF"
        "\xE5\x80\x8B\xE4\xBA\xBA" "ID,\xE6\xB0\x8F\xE5\x90\x8D,\xE5\x9B\xBD\xE7\xB1\x8D,"
        "\xE7\x94\x9F\xE5\xB9\xB4\xE6\x9C\x88\xE6\x97\xA5,\xE5\x85\xA5\xE5\x9B\xBD\xE6\x97\xA5,"
        "\xE6\x89\x80\xE5\xB1\x9E,\xE6\x89\x80\xE5\xB1\x9E\xE5\x9B\xBD,\xE6\x80\xA7\xE5\x88\xA5,"
        "\xE8\xBA\xAB\xE5\x88\x86,\xE5\xB9\xB4\xE5\x8F\x8E,\xE9\x80\x9A\xE8\xB2\xA8,"
        "\xE5\x9C\xA8\xE7\x95\x99\xE8\xB3\x87\xE6\xA0\xBC\r\n"
        /* S-01,山田 太郎,中国籍;日本,1990年1月2日,2024/04/01,東京大学,日本,男,学生,"5,000,000",円,留学 */
        "S-01,\xE5\xB1\xB1\xE7\x94\xB0 \xE5\xA4\xAA\xE9\x83\x8E,"
        "\xE4\xB8\xAD\xE5\x9B\xBD\xE7\xB1\x8D;\xE6\x97\xA5\xE6\x9C\xAC,"
        "1990\xE5\xB9\xB4" "1\xE6\x9C\x88" "2\xE6\x97\xA5,2024/04/01,"
        "\xE6\x9D\xB1\xE4\xBA\xAC\xE5\xA4\xA7\xE5\xAD\xA6,\xE6\x97\xA5\xE6\x9C\xAC,\xE7\x94\xB7,"
        "\xE5\xAD\xA6\xE7\x94\x9F,\"5,000,000\",\xE5\x86\x86,\xE7\x95\x99\xE5\xAD\xA6\r\n";
    READ_OK(DX_REC_PEOPLE, text);
    assert_int_equal(dx_records_finish(R, D), DX_OK);
    expect_no_diags();
    const dx_records_file *f = dx_records_file_info(R, DX_REC_PEOPLE);
    assert_int_equal(f->had_bom, 1);
    assert_int_equal(f->encoding, DX_ENC_UTF8);
    assert_int_equal(f->n_unknown_columns, 0);
    size_t n;
    const dx_person *p = dx_records_people(R, &n);
    assert_int_equal(n, 1);
    assert_string_equal(p->person_id, "S-01");
    assert_string_equal(p->full_name, "\xE5\xB1\xB1\xE7\x94\xB0 \xE5\xA4\xAA\xE9\x83\x8E");
    assert_int_equal(p->citizenships.n, 2);
    expect_country_at(&p->citizenships, 0, "CN", 0, 0, 0);
    expect_country_at(&p->citizenships, 1, "JP", 0, 0, 0);
    expect_date(p->date_of_birth, 1990, 1, 2);
    expect_date(p->jp_entry_date, 2024, 4, 1);
    assert_string_equal(p->affiliation, "\xE6\x9D\xB1\xE4\xBA\xAC\xE5\xA4\xA7\xE5\xAD\xA6");
    assert_string_equal(p->affiliation_country, "JP");
    assert_int_equal(p->gender, DX_GENDER_M);
    assert_int_equal(p->role, DX_ROLE_STUDENT);
    assert_true(p->annual_income.present && p->annual_income.value == 5000000.0);
    assert_string_equal(p->income_currency, "JPY");
    assert_string_equal(p->visa_type, "\xE7\x95\x99\xE5\xAD\xA6");
}

static void test_header_matching(void **state)
{
    (void)state;
    static const char *const id_headers[] = {
        "person_id", "Person ID", "PERSON_ID", "person-id", "  Person Id ", "PersonID",
        "\xEF\xBD\x90\xEF\xBD\x85\xEF\xBD\x92\xEF\xBD\x93\xEF\xBD\x8F\xEF\xBD\x8E\xEF\xBC\xBF"
        "\xEF\xBD\x89\xEF\xBD\x84" /* ｐｅｒｓｏｎ＿ｉｄ */,
        "id"};
    static const char *const name_headers[] = {"full_name", "Full Name", "FULL_NAME",
                                               "full name", "Name"};
    for (size_t i = 0; i < sizeof id_headers / sizeof *id_headers; i++) {
        for (size_t j = 0; j < sizeof name_headers / sizeof *name_headers; j++) {
            fresh();
            char text[256];
            snprintf(text, sizeof text, "%s,%s,Date Of Birth\nX%zu,Name %zu,1970-01-02\n",
                     id_headers[i], name_headers[j], i, j);
            READ_OK(DX_REC_PEOPLE, text);
            if (dx_diags_count(D)) {
                dump_diags();
                fail_msg("header \"%s,%s\": unexpected diagnostics", id_headers[i],
                         name_headers[j]);
            }
            size_t n;
            const dx_person *p = dx_records_people(R, &n);
            assert_int_equal(n, 1);
            char want[32];
            snprintf(want, sizeof want, "X%zu", i);
            assert_string_equal(p->person_id, want);
            snprintf(want, sizeof want, "Name %zu", j);
            assert_string_equal(p->full_name, want);
            expect_date(p->date_of_birth, 1970, 1, 2);
        }
    }
}

static void test_unknown_columns(void **state)
{
    (void)state;
    READ_OK(DX_REC_PEOPLE, "person_id,Shoe Size,full_name,favourite colour,\n"
                           "P1,42,Alice,blue,\n"
                           "P2,,Bob,green,\n");
    /* the empty fifth header cell (a trailing comma) is no unknown column: nothing to warn of
     * while no value stands under it */
    assert_int_equal(dx_records_finish(R, D), DX_OK);
    assert_int_equal(dx_diags_count(D), 1);
    const dx_diag *d = expect_diag("records.unknown-columns", "people.csv", 1, 0, "'Shoe Size'");
    assert_int_equal(d->severity, DX_SEV_WARNING);
    assert_non_null(strstr(d->message, "'favourite colour'"));
    assert_int_equal(dx_records_file_info(R, DX_REC_PEOPLE)->n_unknown_columns, 2);
    expect_counts(DX_REC_PEOPLE, 2, 2, 0);
    size_t n;
    const dx_person *p = dx_records_people(R, &n);
    assert_int_equal(n, 2);
    assert_string_equal(p[0].full_name, "Alice");
    assert_int_equal(p[0].extra.n, 2);
    assert_string_equal(p[0].extra.items[0].name, "Shoe Size");
    assert_string_equal(p[0].extra.items[0].value, "42");
    assert_string_equal(p[0].extra.items[1].name, "favourite colour");
    assert_string_equal(p[0].extra.items[1].value, "blue");
    assert_int_equal(p[1].extra.n, 2);
    assert_string_equal(p[1].extra.items[0].value, "");
    assert_string_equal(p[1].extra.items[1].value, "green");
}

/* ---- the other kinds ---- */

static void test_visitors(void **state)
{
    (void)state;
    READ_OK(DX_REC_PEOPLE, "person_id,full_name\nH1,Host\n");
    READ_OK(DX_REC_PROJECTS, "project_id,title\nPR1,Project\n");
    READ_OK(DX_REC_TECHNOLOGIES, "tech_id,project_id\nT1,PR1\nT2,PR1\n");
    READ_OK(DX_REC_VISITORS,
            "visitor_id,family_name,given_name,date_of_birth,citizenships,role,organization,"
            "organization_country,host_person_id,visit_start,visit_end,facility,purpose,"
            "technologies,public_only,jp_entry_date,annual_income,income_currency\n"
            "V1,Wang,Wei,1970,Chinese,visiting,Tsinghua University,China,H1,2026-05-01,"
            "2026-05-03,Lab 3,seminar,T1; T2,no,2026-04-30,800000,CNY\n"
            "V2,Lee,,1980-02-03,KR,,,,,,,,,,yes,,,\n");
    assert_int_equal(dx_records_finish(R, D), DX_OK);
    expect_no_diags();
    expect_counts(DX_REC_VISITORS, 2, 2, 0);
    size_t n;
    const dx_visitor *v = dx_records_visitors(R, &n);
    assert_int_equal(n, 2);
    assert_string_equal(v->person.src.file, "visitors.csv");
    assert_int_equal(v->person.src.line, 2);
    assert_string_equal(v->person.person_id, "V1");
    assert_string_equal(v->person.family_name, "Wang");
    assert_string_equal(v->person.given_name, "Wei");
    expect_date(v->person.date_of_birth, 1970, 0, 0);
    assert_int_equal(v->person.citizenships.n, 1);
    expect_country_at(&v->person.citizenships, 0, "CN", 0, 0, 0);
    assert_int_equal(v->person.role, DX_ROLE_VISITING);
    expect_date(v->person.jp_entry_date, 2026, 4, 30);
    assert_true(v->person.annual_income.present && v->person.annual_income.value == 800000.0);
    assert_string_equal(v->person.income_currency, "CNY");
    assert_string_equal(v->organization, "Tsinghua University");
    assert_string_equal(v->organization_country, "CN");
    assert_string_equal(v->host_person_id, "H1");
    expect_date(v->visit_start, 2026, 5, 1);
    expect_date(v->visit_end, 2026, 5, 3);
    assert_string_equal(v->facility, "Lab 3");
    assert_string_equal(v->purpose, "seminar");
    assert_int_equal(v->technologies.n, 2);
    assert_string_equal(v->technologies.items[0], "T1");
    assert_string_equal(v->technologies.items[1], "T2");
    assert_int_equal(v->public_only, DX_TRI_NO);
    assert_string_equal(v[1].person.person_id, "V2");
    expect_date(v[1].person.date_of_birth, 1980, 2, 3);
    expect_country_at(&v[1].person.citizenships, 0, "KR", 0, 0, 0);
    assert_null(v[1].host_person_id);
    assert_int_equal(v[1].technologies.n, 0);
    assert_int_equal(v[1].public_only, DX_TRI_YES);
}

static void test_projects_and_technologies(void **state)
{
    (void)state;
    READ_OK(DX_REC_PEOPLE, "person_id,full_name\nP1,PI\n");
    READ_OK(DX_REC_PROJECTS,
            "project_id,title,pi_person_id,description,location,sponsor,sponsor_country,"
            "collaborators,start_date,end_date,fundamental_research,publication_restrictions,"
            "foreign_national_restrictions\n"
            "PR1,Quantum,P1,Qubits,Japan,JSPS,JP,O1;Tokyo Tech,2024-04-01,2027-03-31,yes,no,"
            "no\n");
    READ_OK(DX_REC_TECHNOLOGIES,
            "tech_id,project_id,description,origin,jp_item,jp_citation,concern_types,eccn,"
            "us_reasons,us_origin,usml_category,eu_code,public,basic_science,educational,"
            "classification_status\n"
            /* 3の2, 貨物等省令第2条の2, B;cw;ミサイル */
            "T1,PR1,Cryo design,input,3\xE3\x81\xAE" "2,"
            "\xE8\xB2\xA8\xE7\x89\xA9\xE7\xAD\x89\xE7\x9C\x81\xE4\xBB\xA4\xE7\xAC\xAC" "2"
            "\xE6\x9D\xA1\xE3\x81\xAE" "2,B;cw;\xE3\x83\x9F\xE3\x82\xB5\xE3\x82\xA4\xE3\x83\xAB,"
            "3e001,NS1;at1,yes,XI(a),3E001,no,no,no,classified\n"
            "T2,PR1,Results,output,16,,N,ear99,,no,,,yes,yes,yes,pending\n"
            "T3,PR1,,,,,,,,,,,,,,\n"
            "T4,PR1,Sensors,Output,\xEF\xBC\x97\xE9\xA0\x85,,C;N,9E515.A,MT,,,,,,,\n");
    assert_int_equal(dx_records_finish(R, D), DX_OK);
    expect_no_diags();

    size_t n;
    const dx_project *pr = dx_records_projects(R, &n);
    assert_int_equal(n, 1);
    assert_string_equal(pr->project_id, "PR1");
    assert_string_equal(pr->title, "Quantum");
    assert_string_equal(pr->pi_person_id, "P1");
    assert_string_equal(pr->description, "Qubits");
    assert_string_equal(pr->location, "JP");
    assert_string_equal(pr->sponsor, "JSPS");
    assert_string_equal(pr->sponsor_country, "JP");
    assert_int_equal(pr->collaborators.n, 2);
    assert_string_equal(pr->collaborators.items[0], "O1");
    assert_string_equal(pr->collaborators.items[1], "Tokyo Tech");
    expect_date(pr->start_date, 2024, 4, 1);
    expect_date(pr->end_date, 2027, 3, 31);
    assert_int_equal(pr->fundamental_research, DX_TRI_YES);
    assert_int_equal(pr->publication_restrictions, DX_TRI_NO);
    assert_int_equal(pr->foreign_national_restrictions, DX_TRI_NO);

    const dx_technology *t = dx_records_technologies(R, &n);
    assert_int_equal(n, 4);
    assert_string_equal(t[0].tech_id, "T1");
    assert_string_equal(t[0].project_id, "PR1");
    assert_string_equal(t[0].description, "Cryo design");
    assert_int_equal(t[0].origin, DX_ORIGIN_INPUT);
    assert_string_equal(t[0].jp_item, "3-2");
    assert_string_equal(t[0].jp_citation,
                        "\xE8\xB2\xA8\xE7\x89\xA9\xE7\xAD\x89\xE7\x9C\x81\xE4\xBB\xA4\xE7\xAC\xAC"
                        "2\xE6\x9D\xA1\xE3\x81\xAE" "2");
    assert_int_equal(t[0].concern_types, DX_CONCERN_B | DX_CONCERN_CW | DX_CONCERN_M);
    assert_string_equal(t[0].eccn, "3E001");
    assert_int_equal(t[0].us_reasons.n, 2);
    assert_string_equal(t[0].us_reasons.items[0], "NS1");
    assert_string_equal(t[0].us_reasons.items[1], "AT1");
    assert_int_equal(t[0].us_origin, DX_TRI_YES);
    assert_string_equal(t[0].usml_category, "XI(a)");
    assert_string_equal(t[0].eu_code, "3E001");
    assert_int_equal(t[0].is_public, DX_TRI_NO);
    assert_int_equal(t[0].basic_science, DX_TRI_NO);
    assert_int_equal(t[0].educational, DX_TRI_NO);
    assert_int_equal(t[0].classification_status, DX_CLASS_CLASSIFIED);

    assert_int_equal(t[1].origin, DX_ORIGIN_OUTPUT);
    assert_string_equal(t[1].jp_item, "16");
    assert_int_equal(t[1].concern_types, DX_CONCERN_N);
    assert_string_equal(t[1].eccn, "EAR99");
    assert_int_equal(t[1].us_reasons.n, 0);
    assert_int_equal(t[1].us_origin, DX_TRI_NO);
    assert_null(t[1].usml_category);
    assert_int_equal(t[1].is_public, DX_TRI_YES);
    assert_int_equal(t[1].basic_science, DX_TRI_YES);
    assert_int_equal(t[1].educational, DX_TRI_YES);
    assert_int_equal(t[1].classification_status, DX_CLASS_PENDING);

    /* not yet classified: everything absent */
    assert_string_equal(t[2].tech_id, "T3");
    assert_null(t[2].description);
    assert_int_equal(t[2].origin, DX_ORIGIN_UNSET);
    assert_null(t[2].jp_item);
    assert_int_equal(t[2].concern_types, 0);
    assert_null(t[2].eccn);
    assert_int_equal(t[2].us_reasons.n, 0);
    assert_int_equal(t[2].us_origin, DX_TRI_UNSET);
    assert_int_equal(t[2].classification_status, DX_CLASS_UNSET);

    /* ７項 → "7", 9E515.A → "9E515.a" */
    assert_int_equal(t[3].origin, DX_ORIGIN_OUTPUT);
    assert_string_equal(t[3].jp_item, "7");
    assert_int_equal(t[3].concern_types, DX_CONCERN_C | DX_CONCERN_N);
    assert_string_equal(t[3].eccn, "9E515.a");
    assert_int_equal(t[3].us_reasons.n, 1);
    assert_string_equal(t[3].us_reasons.items[0], "MT");
}

static void test_organizations(void **state)
{
    (void)state;
    READ_OK(DX_REC_ORGANIZATIONS, "org_id,name,aliases,country,owners,relation\n"
                                  "O1,Acme,ACME Corp;Acme KK,Japan,O2@30;O3@25.5,sponsor\n"
                                  "O2,Parent,,US,,investor\n"
                                  "O3,Fund,,Deutschland,O2@100%,Investor\n"
                                  "O4,Over,,,O2@60;O3@50,\n"
                                  "O5,Bad,,,O2,\n"
                                  "O6,Bad2,,,O2@abc,\n");
    assert_int_equal(dx_records_finish(R, D), DX_OK);
    expect_counts(DX_REC_ORGANIZATIONS, 6, 3, 3);
    expect_diag("value.owners", "organizations.csv", 5, 5, "110.00");
    expect_diag("value.owner", "organizations.csv", 6, 5, "'O2'");
    expect_diag("value.owner", "organizations.csv", 7, 5, "'O2@abc'");
    assert_int_equal(dx_diags_count(D), 3);
    size_t n;
    const dx_organization *o = dx_records_organizations(R, &n);
    assert_int_equal(n, 3);
    assert_string_equal(o[0].org_id, "O1");
    assert_string_equal(o[0].name, "Acme");
    assert_int_equal(o[0].aliases.n, 2);
    assert_string_equal(o[0].aliases.items[0], "ACME Corp");
    assert_string_equal(o[0].aliases.items[1], "Acme KK");
    assert_string_equal(o[0].country, "JP");
    assert_int_equal(o[0].n_owners, 2);
    assert_string_equal(o[0].owners[0].org_id, "O2");
    assert_true(o[0].owners[0].percent == 30.0);
    assert_string_equal(o[0].owners[1].org_id, "O3");
    assert_true(o[0].owners[1].percent == 25.5);
    assert_int_equal(o[0].relation, DX_RELATION_SPONSOR);
    assert_int_equal(o[1].n_owners, 0);
    assert_int_equal(o[1].relation, DX_RELATION_INVESTOR);
    assert_string_equal(o[2].country, "DE");
    assert_int_equal(o[2].n_owners, 1);
    assert_true(o[2].owners[0].percent == 100.0);
    assert_int_equal(o[2].relation, DX_RELATION_INVESTOR);
    expect_totals_reconcile();
}

static void test_licenses(void **state)
{
    (void)state;
    READ_OK(DX_REC_PEOPLE, "person_id,full_name\nP1,Alice\n");
    READ_OK(DX_REC_PROJECTS, "project_id\nPR1\n");
    READ_OK(DX_REC_TECHNOLOGIES, "tech_id,project_id\nT1,PR1\n");
    READ_OK(DX_REC_LICENSES,
            "license_id,authority,kind,exception_code,subject_id,tech_id,jp_item,eccn,country,"
            "valid_from,valid_to,conditions\n"
            "L1,METI,individual,,P1,T1,3-2,3E001,CN,2025-01-01,2026-12-31,report yearly\n"
            "L2,bis,exception,TSR,P1,,,3e001,China,2025-01-01,,\n"
            /* 包括 */
            "L3,meti,\xE5\x8C\x85\xE6\x8B\xAC,,,,16,,,,,\n");
    assert_int_equal(dx_records_finish(R, D), DX_OK);
    expect_no_diags();
    size_t n;
    const dx_license *l = dx_records_licenses(R, &n);
    assert_int_equal(n, 3);
    assert_string_equal(l[0].license_id, "L1");
    assert_int_equal(l[0].authority, DX_AUTHORITY_METI);
    assert_int_equal(l[0].kind, DX_LICENSE_INDIVIDUAL);
    assert_null(l[0].exception_code);
    assert_string_equal(l[0].subject_id, "P1");
    assert_string_equal(l[0].tech_id, "T1");
    assert_string_equal(l[0].jp_item, "3-2");
    assert_string_equal(l[0].eccn, "3E001");
    assert_string_equal(l[0].country, "CN");
    expect_date(l[0].valid_from, 2025, 1, 1);
    expect_date(l[0].valid_to, 2026, 12, 31);
    assert_string_equal(l[0].conditions, "report yearly");
    assert_int_equal(l[1].authority, DX_AUTHORITY_BIS);
    assert_int_equal(l[1].kind, DX_LICENSE_EXCEPTION);
    assert_string_equal(l[1].exception_code, "TSR");
    assert_null(l[1].tech_id);
    assert_null(l[1].jp_item);
    assert_string_equal(l[1].eccn, "3E001");
    assert_string_equal(l[1].country, "CN");
    assert_int_equal(l[1].valid_to.year, 0);
    assert_null(l[1].conditions);
    assert_int_equal(l[2].authority, DX_AUTHORITY_METI);
    assert_int_equal(l[2].kind, DX_LICENSE_BULK);
    assert_null(l[2].subject_id);
    assert_string_equal(l[2].jp_item, "16");
}

static void test_contracts_and_funding(void **state)
{
    (void)state;
    READ_OK(DX_REC_PEOPLE, "person_id,full_name,annual_income,income_currency\n"
                           "P1,Alice,\"10,000,000\",JPY\n");
    READ_OK(DX_REC_CONTRACTS,
            "person_id,counterparty,counterparty_type,counterparty_country,subject_to_direction,"
            "precedence_agreement,same_group,start_date,end_date\n"
            "P1,Huawei,foreign_entity,Chinese,yes,no,no,2025-04-01,2026-03-31\n"
            /* 外国政府 */
            "P1,Gov,\xE5\xA4\x96\xE5\x9B\xBD\xE6\x94\xBF\xE5\xBA\x9C,CN,,,,,\n");
    READ_OK(DX_REC_FUNDING,
            "person_id,source,source_type,source_country,annual_amount,currency,start_date,"
            "end_date\n"
            "P1,Talent plan,Foreign Government,China,\"3,000,000\",jpy,2025-01-01,2025-12-31\n");
    assert_int_equal(dx_records_finish(R, D), DX_OK);
    expect_no_diags();
    size_t n;
    const dx_contract *c = dx_records_contracts(R, &n);
    assert_int_equal(n, 2);
    assert_string_equal(c[0].person_id, "P1");
    assert_string_equal(c[0].counterparty, "Huawei");
    assert_int_equal(c[0].counterparty_type, DX_PARTY_FOREIGN_ENTITY);
    assert_string_equal(c[0].counterparty_country, "CN");
    assert_int_equal(c[0].subject_to_direction, DX_TRI_YES);
    assert_int_equal(c[0].precedence_agreement, DX_TRI_NO);
    assert_int_equal(c[0].same_group, DX_TRI_NO);
    expect_date(c[0].start_date, 2025, 4, 1);
    expect_date(c[0].end_date, 2026, 3, 31);
    assert_int_equal(c[1].counterparty_type, DX_PARTY_FOREIGN_GOVERNMENT);
    assert_int_equal(c[1].subject_to_direction, DX_TRI_UNSET);
    const dx_funding *f = dx_records_funding(R, &n);
    assert_int_equal(n, 1);
    assert_string_equal(f->person_id, "P1");
    assert_string_equal(f->source, "Talent plan");
    assert_int_equal(f->source_type, DX_PARTY_FOREIGN_GOVERNMENT);
    assert_string_equal(f->source_country, "CN");
    assert_true(f->annual_amount.present && f->annual_amount.value == 3000000.0);
    assert_string_equal(f->currency, "JPY");
    expect_date(f->start_date, 2025, 1, 1);
    expect_date(f->end_date, 2025, 12, 31);
}

/* ---- rejected rows ---- */

static void test_rejected_rows(void **state)
{
    (void)state;
    READ_OK(DX_REC_PEOPLE, "person_id,full_name,citizenships,date_of_birth,annual_income\n"
                           "P1,Alice,JP,1990-01-01,100\n"       /* 2 */
                           "P2,Bob,JP,1990-13-01,100\n"         /* 3: bad date */
                           "P3,Carol,Narnia,1990-01-01,100\n"   /* 4: unknown country */
                           "P4,Dan,JP,1990-01-01,12;00\n"       /* 5: bad amount */
                           "P6,Frank,Congo,,\n"                 /* 6: ambiguous country */
                           "P7,Gina,JP\n"                       /* 7: too few fields */
                           "P8,,JP,,\n"                         /* 8: no name */
                           "P9,Ivan,CN@1990-02-30,,\n"          /* 9: bad acquisition date */
                           "P10,Jo,JP,1990,=1+1\n"              /* 10: bad amount */
                           "P11,Kim,KR@2015,1991,1\n");         /* 11 */
    expect_counts(DX_REC_PEOPLE, 10, 2, 8);
    expect_diag("value.date", "people.csv", 3, 4, "1990-13-01");
    expect_diag("value.unknown-country", "people.csv", 4, 3, "Narnia");
    expect_diag("value.amount", "people.csv", 5, 5, "12;00");
    const dx_diag *amb = expect_diag("value.ambiguous-country", "people.csv", 6, 3, "Congo");
    assert_true(strstr(amb->message, "CD") && strstr(amb->message, "CG"));
    expect_diag("records.ragged-row", "people.csv", 7, 0, "3 fields");
    expect_diag("records.no-name", "people.csv", 8, 0, "P8");
    expect_diag("value.date", "people.csv", 9, 3, "CN@1990-02-30");
    expect_diag("value.amount", "people.csv", 10, 5, NULL);
    for (size_t i = 0; i < dx_diags_count(D); i++)
        assert_int_equal(dx_diags_get(D, i)->severity, DX_SEV_ERROR);
    assert_int_equal(dx_diags_count(D), 8);

    /* a bad contract row about P1 and a bad funding row about P11, whose own rows are fine */
    READ_OK(DX_REC_CONTRACTS, "person_id,counterparty,counterparty_type,subject_to_direction\n"
                              "P1,Foreign Corp,foreign_entity,maybe\n");
    READ_OK(DX_REC_FUNDING, "person_id,source,source_type,annual_amount,currency\n"
                            "P11,X,foreign_government,abc,KRW\n");
    expect_diag("value.yes-no", "contracts.csv", 2, 4, "maybe");
    expect_diag("value.amount", "funding.csv", 2, 4, "abc");
    assert_int_equal(dx_records_finish(R, D), DX_OK);
    assert_int_equal(dx_diags_count(D), 10);
    expect_counts(DX_REC_PEOPLE, 10, 2, 8);
    expect_counts(DX_REC_CONTRACTS, 1, 0, 1);
    expect_counts(DX_REC_FUNDING, 1, 0, 1);

    size_t n;
    const dx_person *p = dx_records_people(R, &n);
    assert_int_equal(n, 2);
    assert_string_equal(p[0].person_id, "P1");
    assert_string_equal(p[1].person_id, "P11");
    expect_country_at(&p[1].citizenships, 0, "KR", 2015, 0, 0); /* a bare year of acquisition */

    const dx_rejected_row *r = rejected_at(DX_REC_PEOPLE, 3);
    assert_string_equal(r->src.file, "people.csv");
    assert_string_equal(r->subject_id, "P2");
    assert_int_equal(r->fields.n, 5);
    assert_string_equal(r->fields.items[0].name, "person_id");
    assert_string_equal(r->fields.items[0].value, "P2");
    assert_string_equal(r->fields.items[1].name, "full_name");
    assert_string_equal(r->fields.items[1].value, "Bob");
    assert_string_equal(r->fields.items[3].name, "date_of_birth");
    assert_string_equal(r->fields.items[3].value, "1990-13-01");
    assert_string_equal(r->fields.items[4].value, "100");
    r = rejected_at(DX_REC_PEOPLE, 7);
    assert_string_equal(r->subject_id, "P7");
    assert_int_equal(r->fields.n, 5);
    assert_string_equal(field_of(&r->fields, "citizenships"), "JP");
    assert_string_equal(field_of(&r->fields, "date_of_birth"), "");
    r = rejected_at(DX_REC_CONTRACTS, 2);
    assert_string_equal(r->subject_id, "P1");
    assert_string_equal(field_of(&r->fields, "subject_to_direction"), "maybe");
    r = rejected_at(DX_REC_FUNDING, 2);
    assert_string_equal(r->subject_id, "P11");
    assert_string_equal(field_of(&r->fields, "annual_amount"), "abc");

    static const char *const tainted[] = {"P1", "P2", "P3", "P4", "P6", "P7",
                                          "P8", "P9", "P10", "P11"};
    for (size_t i = 0; i < sizeof tainted / sizeof *tainted; i++) {
        if (!dx_records_subject_has_rejected_rows(R, tainted[i]))
            fail_msg("%s should have rejected rows", tainted[i]);
    }
    assert_int_equal(dx_records_subject_has_rejected_rows(R, "P5"), 0);
    assert_int_equal(dx_records_subject_has_rejected_rows(R, ""), 0);
    assert_int_equal(dx_records_subject_has_rejected_rows(R, NULL), 0);
    assert_int_equal(dx_records_subject_has_rejected_rows(NULL, "P1"), 0);

    dx_records_totals t = dx_records_totals_get(R);
    assert_int_equal(t.files, 3);
    assert_int_equal(t.rows_read, 12);
    assert_int_equal(t.rows_accepted, 2);
    assert_int_equal(t.rows_rejected, 10);
    expect_totals_reconcile();
}

static void test_required_value_empty(void **state)
{
    (void)state;
    READ_OK(DX_REC_PEOPLE, "full_name,person_id\nAlice,P1\nBob,\n");
    expect_counts(DX_REC_PEOPLE, 2, 1, 1);
    const dx_rejected_row *r = rejected_at(DX_REC_PEOPLE, 3);
    assert_null(r->subject_id);
    assert_string_equal(field_of(&r->fields, "full_name"), "Bob");
    /* An empty required value is reported at its column: person_id is field 2 here. */
    expect_diag("records.required", "people.csv", 3, 2, "person_id");
}

static void test_formula_like_text(void **state)
{
    (void)state;
    READ_OK(DX_REC_PEOPLE, "person_id,full_name,department\nP1,=SUM(A1),-Physics\n"
                           "P2,Bob,-5 lab\n");
    expect_counts(DX_REC_PEOPLE, 2, 2, 0);
    expect_diag("value.formula-like", "people.csv", 2, 2, "'='");
    expect_diag("value.formula-like", "people.csv", 2, 3, "'-'");
    /* a spreadsheet reads any leading '-' as the start of a formula ("-2+3") */
    expect_diag("value.formula-like", "people.csv", 3, 3, "'-'");
    assert_int_equal(dx_diags_count(D), 3);
    assert_int_equal(dx_diags_count_severity(D, DX_SEV_WARNING), 3);
    size_t n;
    const dx_person *p = dx_records_people(R, &n);
    assert_string_equal(p[0].full_name, "=SUM(A1)");
    assert_string_equal(p[1].department, "-5 lab");
}

static void test_csv_damage_rejects_row(void **state)
{
    (void)state;
    READ_OK(DX_REC_PEOPLE, "person_id,full_name\nP1,O\"Brien\nP2,\"multi\nline\"\nP3,Ok\n");
    expect_counts(DX_REC_PEOPLE, 3, 2, 1);
    expect_diag("csv.stray-quote", "people.csv", 2, 2, NULL);
    const dx_rejected_row *r = rejected_at(DX_REC_PEOPLE, 2);
    assert_string_equal(r->subject_id, "P1");
    assert_true(dx_records_subject_has_rejected_rows(R, "P1"));
    size_t n;
    const dx_person *p = dx_records_people(R, &n);
    assert_int_equal(n, 2);
    assert_string_equal(p[0].full_name, "multi\nline");
    assert_int_equal(p[0].src.line, 3);
    assert_int_equal(p[1].src.line, 5);
}

static void test_end_before_start(void **state)
{
    (void)state;
    READ_OK(DX_REC_PEOPLE, "person_id,full_name,start_date,end_date,jp_abroad_since,"
                           "jp_return_date\n"
                           "P1,A,2026-02-01,2026-01-01,,\n"
                           "P2,B,,,2025-03-01,2025-02-28\n"
                           "P3,C,2026-01-01,2026-01-01,2025-03-01,\n");
    expect_diag("records.end-before-start", "people.csv", 2, 0,
                "end_date 2026-01-01 is before start_date 2026-02-01");
    expect_diag("records.end-before-start", "people.csv", 3, 0,
                "jp_return_date 2025-02-28 is before jp_abroad_since 2025-03-01");
    expect_counts(DX_REC_PEOPLE, 3, 1, 2);
    READ_OK(DX_REC_VISITORS, "visitor_id,full_name,visit_start,visit_end,start_date,end_date\n"
                             "V1,A,2026-05-02,2026-05-01,,\n"
                             "V2,B,,,2026-02-01,2026-01-01\n");
    expect_diag("records.end-before-start", "visitors.csv", 2, 0,
                "visit_end 2026-05-01 is before visit_start 2026-05-02");
    /* The person date pair of a visitor is named by its columns, not its struct path. */
    const dx_diag *d = expect_diag("records.end-before-start", "visitors.csv", 3, 0,
                                   "end_date 2026-01-01 is before start_date 2026-02-01");
    assert_int_equal(strncmp(d->message, "end_date", 8), 0);
    expect_counts(DX_REC_VISITORS, 2, 0, 2);
}

/* ---- cross-file checks ---- */

static void test_cross_file_checks(void **state)
{
    (void)state;
    READ_OK(DX_REC_PEOPLE, "person_id,full_name,annual_income,income_currency\n"
                           "P1,Alice,\"10,000,000\",JPY\n" /* 2 */
                           "P2,Bob,,\n"                    /* 3: no income */
                           "P1,Alice again,,\n"            /* 4: duplicate id */
                           "P3,Carol,5000000,\n"           /* 5: income, no currency */
                           "PX,Bad,notanumber,\n"          /* 6: rejected here */
                           "P4,Dora,,\n");                 /* 7: nothing wrong */
    READ_OK(DX_REC_VISITORS, "visitor_id,full_name\nP3,Clash\nV1,Vera\n");
    READ_OK(DX_REC_PROJECTS, "project_id,title\nPR1,Proj\n");
    READ_OK(DX_REC_TECHNOLOGIES, "tech_id,project_id\nT1,PR1\nT2,NOPE\n");
    READ_OK(DX_REC_ASSIGNMENTS, "subject_id,tech_id,project_id,access,start_date,end_date\n"
                                "P1,T1,,full,,\n"                              /* 2 */
                                "ZZ,T1,,full,,\n"                              /* 3 */
                                "P1,T9,,full,,\n"                              /* 4 */
                                "P1,,PR9,full,,\n"                             /* 5 */
                                "P1,T1,PR1,full,,\n"                           /* 6 */
                                "P1,,,full,,\n"                                /* 7 */
                                "V1,,PR1,supervised,2026-05-01,2026-04-01\n"   /* 8 */
                                "PX,T1,,full,,\n"                              /* 9 */
                                "V1,,PR1,none,2026-05-01,2026-05-01\n");       /* 10 */
    READ_OK(DX_REC_FUNDING, "person_id,source,source_type,source_country,annual_amount,currency\n"
                            "P1,MEXT,domestic,JP,\"1,000,000\",JPY\n"      /* 2 */
                            "P2,Gov,foreign_government,CN,100,JPY\n"     /* 3 */
                            "P1,Gov,foreign_government,CN,100,USD\n"     /* 4 */
                            "P3,Gov,foreign_government,CN,100,USD\n"     /* 5 */
                            "ZZ,Gov,foreign_government,CN,100,JPY\n");   /* 6 */
    READ_OK(DX_REC_CONTRACTS, "person_id,counterparty,counterparty_type\n"
                              "P1,Foo,domestic\nQQ,Bar,domestic\n");
    READ_OK(DX_REC_ORGANIZATIONS, "org_id,name,owners\nO1,One,O2@10\nO2,Two,O9@5\n");
    READ_OK(DX_REC_LICENSES, "license_id,authority,subject_id,tech_id\n"
                             "L1,METI,P1,T1\nL2,METI,ZZ,\nL3,METI,P1,T9\nL1,BIS,,\n");

    /* before finish: only the row-level problems */
    expect_diag("value.amount", "people.csv", 6, 3, "notanumber");
    expect_diag("records.assignment-target", "assignments.csv", 6, 0, NULL);
    expect_diag("records.assignment-target", "assignments.csv", 7, 0, NULL);
    expect_diag("records.end-before-start", "assignments.csv", 8, 0,
                "end_date 2026-04-01 is before start_date 2026-05-01");
    assert_int_equal(dx_diags_count(D), 4);

    assert_int_equal(dx_records_finish(R, D), DX_OK);
    expect_diag("records.duplicate-id", "people.csv", 4, 0, "people.csv:2");
    expect_diag("records.duplicate-id", "visitors.csv", 2, 0, "people.csv:5");
    expect_diag("records.unknown-reference", "technologies.csv", 3, 0, "project 'NOPE'");
    expect_diag("records.unknown-subject", "assignments.csv", 3, 0, "'ZZ'");
    expect_diag("records.unknown-reference", "assignments.csv", 4, 0, "technology 'T9'");
    expect_diag("records.unknown-reference", "assignments.csv", 5, 0, "project 'PR9'");
    expect_diag("records.funding-without-income", "funding.csv", 3, 0, "'P2'");
    expect_diag("records.currency-mismatch", "funding.csv", 4, 0, "USD");
    expect_diag("records.unknown-subject", "funding.csv", 6, 0, "'ZZ'");
    expect_diag("records.unknown-subject", "contracts.csv", 3, 0, "'QQ'");
    expect_diag("records.unknown-reference", "organizations.csv", 3, 0, "organization 'O9'");
    expect_diag("records.unknown-subject", "licenses.csv", 3, 0, "'ZZ'");
    expect_diag("records.unknown-reference", "licenses.csv", 4, 0, "technology 'T9'");
    expect_diag("records.duplicate-id", "licenses.csv", 5, 0, "licenses.csv:2");
    /* P3 has an income but no income_currency: USD funding cannot be compared with it */
    expect_diag("records.currency-mismatch", "funding.csv", 5, 0, "no income_currency");
    assert_int_equal(dx_diags_count(D), 19);

    expect_counts(DX_REC_PEOPLE, 6, 4, 2);
    expect_counts(DX_REC_VISITORS, 2, 1, 1);
    expect_counts(DX_REC_PROJECTS, 1, 1, 0);
    expect_counts(DX_REC_TECHNOLOGIES, 2, 1, 1);
    expect_counts(DX_REC_ASSIGNMENTS, 9, 3, 6);
    expect_counts(DX_REC_FUNDING, 5, 1, 4);
    expect_counts(DX_REC_CONTRACTS, 2, 1, 1);
    expect_counts(DX_REC_ORGANIZATIONS, 2, 1, 1);
    expect_counts(DX_REC_LICENSES, 4, 1, 3);
    assert_int_equal(n_rejected_of(DX_REC_ASSIGNMENTS), 6);
    expect_totals_reconcile();

    /* the accepted records, in file order */
    size_t n;
    const dx_person *p = dx_records_people(R, &n);
    assert_int_equal(n, 4);
    assert_string_equal(p[0].person_id, "P1");
    assert_string_equal(p[0].full_name, "Alice");
    assert_string_equal(p[1].person_id, "P2");
    assert_string_equal(p[2].person_id, "P3");
    assert_string_equal(p[3].person_id, "P4");
    const dx_visitor *v = dx_records_visitors(R, &n);
    assert_int_equal(n, 1);
    assert_string_equal(v->person.person_id, "V1");
    const dx_assignment *a = dx_records_assignments(R, &n);
    assert_int_equal(n, 3);
    assert_int_equal(a[0].src.line, 2);
    /* the assignment of PX, whose own row was rejected, is kept */
    assert_int_equal(a[1].src.line, 9);
    assert_string_equal(a[1].subject_id, "PX");
    assert_string_equal(a[1].tech_id, "T1");
    assert_null(a[1].project_id);
    assert_int_equal(a[1].access, DX_ACCESS_FULL);
    assert_int_equal(a[2].src.line, 10);
    assert_string_equal(a[2].project_id, "PR1");
    assert_int_equal(a[2].access, DX_ACCESS_NONE);
    const dx_funding *f = dx_records_funding(R, &n);
    assert_int_equal(n, 1);
    assert_int_equal(f[0].src.line, 2);

    /* rejected rows keep their raw fields and subjects */
    const dx_rejected_row *r = rejected_at(DX_REC_PEOPLE, 4);
    assert_string_equal(r->subject_id, "P1");
    assert_string_equal(field_of(&r->fields, "full_name"), "Alice again");
    r = rejected_at(DX_REC_ASSIGNMENTS, 4);
    assert_string_equal(r->subject_id, "P1");
    assert_string_equal(field_of(&r->fields, "tech_id"), "T9");
    r = rejected_at(DX_REC_FUNDING, 3);
    assert_string_equal(r->subject_id, "P2");
    assert_string_equal(field_of(&r->fields, "source"), "Gov");
    r = rejected_at(DX_REC_TECHNOLOGIES, 3);
    assert_null(r->subject_id);
    assert_string_equal(field_of(&r->fields, "project_id"), "NOPE");
    r = rejected_at(DX_REC_ORGANIZATIONS, 3);
    assert_string_equal(field_of(&r->fields, "owners"), "O9@5");

    /* subjects: P2 only through its funding row; P4 has nothing */
    assert_true(dx_records_subject_has_rejected_rows(R, "P1"));
    assert_true(dx_records_subject_has_rejected_rows(R, "P2"));
    assert_true(dx_records_subject_has_rejected_rows(R, "P3"));
    assert_true(dx_records_subject_has_rejected_rows(R, "PX"));
    assert_true(dx_records_subject_has_rejected_rows(R, "V1"));
    assert_true(dx_records_subject_has_rejected_rows(R, "ZZ"));
    assert_int_equal(dx_records_subject_has_rejected_rows(R, "P4"), 0);

    /* the set is read-only now */
    assert_int_equal(rd(DX_REC_PEOPLE, "person_id\nP9\n"), DX_ERR_INVALID);
    assert_int_equal(dx_records_finish(R, D), DX_ERR_INVALID);
}

static void test_rejected_subject_still_known(void **state)
{
    (void)state;
    /* V9's row and T9's row are rejected; rows naming them are not rejected for it */
    READ_OK(DX_REC_VISITORS, "visitor_id,full_name,visit_start\nV9,Vic,not a date\n");
    READ_OK(DX_REC_PROJECTS, "project_id\nPR1\n");
    READ_OK(DX_REC_TECHNOLOGIES, "tech_id,project_id,eccn\nT9,PR1,3F001\nT1,PR1,\n");
    READ_OK(DX_REC_ASSIGNMENTS, "subject_id,tech_id,project_id\nV9,T1,\nV9,T9,\n");
    READ_OK(DX_REC_CONTRACTS, "person_id,counterparty,counterparty_type\nV9,X,domestic\n");
    assert_int_equal(dx_records_finish(R, D), DX_OK);
    expect_diag("value.date", "visitors.csv", 2, 3, NULL);
    expect_diag("value.eccn", "technologies.csv", 2, 3, "3F001");
    assert_int_equal(dx_diags_count(D), 2);
    expect_counts(DX_REC_ASSIGNMENTS, 2, 2, 0);
    expect_counts(DX_REC_CONTRACTS, 1, 1, 0);
    assert_true(dx_records_subject_has_rejected_rows(R, "V9"));
}

static void test_missing_required_column(void **state)
{
    (void)state;
    READ_OK(DX_REC_PEOPLE, "full_name,citizenships\nA,JP\nB,JP\n");
    expect_diag("records.missing-column", "people.csv", 1, 0, "'person_id'");
    READ_OK(DX_REC_FUNDING, "person_id,source,source_type,annual_amount\nP1,X,domestic,5\n");
    expect_diag("records.missing-column", "funding.csv", 1, 0, "'currency'");
    assert_int_equal(dx_records_finish(R, D), DX_OK);
    expect_counts(DX_REC_PEOPLE, 2, 0, 2);
    expect_counts(DX_REC_FUNDING, 1, 0, 1);
    const dx_rejected_row *r = rejected_at(DX_REC_PEOPLE, 2);
    assert_null(r->subject_id);
    assert_string_equal(field_of(&r->fields, "full_name"), "A");
    r = rejected_at(DX_REC_FUNDING, 2);
    assert_string_equal(r->subject_id, "P1");
    assert_true(dx_records_subject_has_rejected_rows(R, "P1"));
    expect_totals_reconcile();
}

static void test_duplicate_column(void **state)
{
    (void)state;
    /* 氏名 is full_name again */
    READ_OK(DX_REC_PEOPLE, "person_id,full_name,\xE6\xB0\x8F\xE5\x90\x8D\nP1,A,B\n");
    expect_diag("records.duplicate-column", "people.csv", 1, 3, "full_name");
    expect_counts(DX_REC_PEOPLE, 1, 0, 1);
}

static void test_no_subjects(void **state)
{
    (void)state;
    READ_OK(DX_REC_ASSIGNMENTS, "subject_id,tech_id\nP1,T1\n");
    assert_int_equal(dx_records_finish(R, D), DX_ERR_NO_SUBJECTS);
    const dx_diag *d = NULL;
    for (size_t i = 0; i < dx_diags_count(D); i++) {
        if (strcmp(dx_diags_get(D, i)->code, "records.no-subjects") == 0)
            d = dx_diags_get(D, i);
    }
    assert_non_null(d);
    assert_int_equal(d->severity, DX_SEV_ERROR);
    assert_int_equal(count_code("records.no-subjects"), 1);

    /* nothing read at all */
    fresh();
    assert_int_equal(dx_records_finish(R, D), DX_ERR_NO_SUBJECTS);

    /* an organizations file alone is a subject file */
    fresh();
    READ_OK(DX_REC_ORGANIZATIONS, "org_id,name\nO1,One\n");
    assert_int_equal(dx_records_finish(R, D), DX_OK);
}

static void test_same_kind_twice(void **state)
{
    (void)state;
    READ_OK(DX_REC_PEOPLE, "person_id,full_name\nP1,A\n");
    const char *again = "person_id,full_name\nP2,B\nP3,C\n";
    assert_int_equal(dx_records_read_buffer(R, DX_REC_PEOPLE, "other/people.csv", again,
                                            strlen(again), D),
                     DX_ERR_INVALID);
    const dx_diag *d = dx_diags_get(D, 0);
    assert_non_null(d);
    assert_string_equal(d->code, "records.duplicate-file");
    assert_string_equal(d->source, "other/people.csv");
    assert_int_equal(d->severity, DX_SEV_ERROR);
    assert_non_null(strstr(d->message, "people.csv"));
    assert_int_equal(dx_diags_count(D), 1);
    assert_int_equal(dx_records_finish(R, D), DX_OK);
    const dx_records_file *f = dx_records_file_info(R, DX_REC_PEOPLE);
    assert_string_equal(f->path, "people.csv");
    expect_counts(DX_REC_PEOPLE, 1, 1, 0);
    size_t n;
    dx_records_people(R, &n);
    assert_int_equal(n, 1);
    dx_records_totals t = dx_records_totals_get(R);
    assert_int_equal(t.files, 1);
    assert_int_equal(t.rows_read, 1);
}

static void test_kind_names(void **state)
{
    (void)state;
    static const char *const names[DX_REC_KIND_COUNT] = {
        "people.csv", "visitors.csv", "projects.csv", "technologies.csv", "assignments.csv",
        "contracts.csv", "funding.csv", "organizations.csv", "licenses.csv"};
    for (int k = 0; k < DX_REC_KIND_COUNT; k++) {
        assert_string_equal(dx_record_kind_file((dx_record_kind)k), names[k]);
        dx_record_kind kind = DX_REC_KIND_COUNT;
        assert_int_equal(dx_record_kind_from_file(names[k], &kind), DX_OK);
        assert_int_equal(kind, k);
    }
    dx_record_kind kind;
    assert_int_equal(dx_record_kind_from_file("PEOPLE.CSV", &kind), DX_OK);
    assert_int_equal(kind, DX_REC_PEOPLE);
    assert_int_equal(dx_record_kind_from_file("person.csv", &kind), DX_ERR_NOT_FOUND);
    assert_int_equal(dx_record_kind_from_file("people.csv.bak", &kind), DX_ERR_NOT_FOUND);
    assert_null(dx_record_kind_file(DX_REC_KIND_COUNT));
}

static void test_limits_and_arguments(void **state)
{
    (void)state;
    dx_records_free(R);
    R = NULL;
    dx_records_options opt = {DX_ENC_AUTO, 16, countries};
    assert_int_equal(dx_records_new(&opt, &R), DX_OK);
    const char *text = "person_id,full_name\nP1,A\n";
    assert_int_equal(rd(DX_REC_PEOPLE, text), DX_ERR_LIMIT);
    expect_diag("records.too-large", "people.csv", 0, 0, NULL);
    assert_int_equal(dx_records_read_buffer(R, DX_REC_KIND_COUNT, "x.csv", text, 4, D),
                     DX_ERR_INVALID);
    assert_int_equal(dx_records_read_buffer(R, DX_REC_PEOPLE, "x.csv", text, 4, NULL),
                     DX_ERR_INVALID);
    /* an empty file: a warning, no rows */
    READ_OK(DX_REC_PROJECTS, "");
    expect_diag("records.empty", "projects.csv", 0, 0, NULL);
    expect_counts(DX_REC_PROJECTS, 0, 0, 0);
    assert_int_equal(dx_records_finish(R, D), DX_OK);
}

static void test_encodings(void **state)
{
    (void)state;
    /* CP932 people.csv: 個人ID,氏名,所属 / P1,田中,東京大学 / P2,鈴木,大阪大学 / P3,佐藤,京都大学 */
    static const unsigned char cp932[] = {
        0x8C, 0xC2, 0x90, 0x6C, 'I', 'D', ',', 0x8E, 0x81, 0x96, 0xBC, ',', 0x8F, 0x8A, 0x91,
        0xAE, '\r', '\n',
        'P', '1', ',', 0x93, 0x63, 0x92, 0x86, ',', 0x93, 0x8C, 0x8B, 0x9E, 0x91, 0xE5, 0x8A,
        0x77, '\r', '\n',
        'P', '2', ',', 0x97, 0xE9, 0x96, 0xD8, ',', 0x91, 0xE5, 0x8D, 0xE3, 0x91, 0xE5, 0x8A,
        0x77, '\r', '\n',
        'P', '3', ',', 0x8D, 0xB2, 0x93, 0xA1, ',', 0x8B, 0x9E, 0x93, 0x73, 0x91, 0xE5, 0x8A,
        0x77, '\r', '\n'};
    assert_int_equal(dx_records_read_buffer(R, DX_REC_PEOPLE, "people.csv", cp932, sizeof cp932,
                                            D),
                     DX_OK);
    /* UTF-16LE visitors.csv with BOM: visitor_id,full_name / V1,Ωmega */
    const char *utf8 = "visitor_id,full_name\r\nV1,\xCE\xA9mega\r\n";
    unsigned char utf16[128];
    size_t n = 0;
    utf16[n++] = 0xFF;
    utf16[n++] = 0xFE;
    for (const unsigned char *p = (const unsigned char *)utf8; *p; p++) {
        unsigned cp = *p;
        if (*p == 0xCE) { /* Ω U+03A9 */
            cp = 0x3A9;
            p++;
        }
        utf16[n++] = (unsigned char)(cp & 0xFF);
        utf16[n++] = (unsigned char)(cp >> 8);
    }
    assert_int_equal(dx_records_read_buffer(R, DX_REC_VISITORS, "visitors.csv", utf16, n, D),
                     DX_OK);
    assert_int_equal(dx_records_finish(R, D), DX_OK);
    expect_no_diags();
    const dx_records_file *f = dx_records_file_info(R, DX_REC_PEOPLE);
    assert_int_equal(f->encoding, DX_ENC_CP932);
    assert_int_equal(f->detected, 1);
    f = dx_records_file_info(R, DX_REC_VISITORS);
    assert_int_equal(f->encoding, DX_ENC_UTF16LE);
    assert_int_equal(f->had_bom, 1);
    size_t k;
    const dx_person *p = dx_records_people(R, &k);
    assert_int_equal(k, 3);
    assert_string_equal(p->person_id, "P1");
    assert_string_equal(p->full_name, "\xE7\x94\xB0\xE4\xB8\xAD");
    /* 東京大学 */
    assert_string_equal(p->affiliation, "\xE6\x9D\xB1\xE4\xBA\xAC\xE5\xA4\xA7\xE5\xAD\xA6");
    /* 京都大学 */
    assert_string_equal(p[2].affiliation, "\xE4\xBA\xAC\xE9\x83\xBD\xE5\xA4\xA7\xE5\xAD\xA6");
    const dx_visitor *v = dx_records_visitors(R, &k);
    assert_int_equal(k, 1);
    assert_string_equal(v->person.full_name, "\xCE\xA9mega");
}

static void test_invalid_byte_rejects_row(void **state)
{
    (void)state;
    static const unsigned char cp932[] = {
        'p', 'e', 'r', 's', 'o', 'n', '_', 'i', 'd', ',', 'f', 'u', 'l', 'l', '_', 'n', 'a', 'm',
        'e', '\n',                                                   /* 0-19 */
        'P', '1', ',', 0x93, 0x63, 0x92, 0x86, '\n',                 /* 20-27 */
        'P', '2', ',', 0xFF, 0x93, 0x63, '\n',                       /* 28-34: FF at 31 */
        'P', '3', ',', 0x8D, 0xB2, 0x93, 0xA1, '\n'};
    dx_records_free(R);
    R = NULL;
    dx_records_options opt = {DX_ENC_CP932, 0, countries};
    assert_int_equal(dx_records_new(&opt, &R), DX_OK);
    assert_int_equal(dx_records_read_buffer(R, DX_REC_PEOPLE, "people.csv", cp932, sizeof cp932,
                                            D),
                     DX_OK);
    assert_int_equal(dx_records_finish(R, D), DX_OK);
    expect_diag("encoding.invalid", "people.csv", 3, 2, "byte offset 31 ");
    assert_int_equal(dx_diags_count(D), 1);
    expect_counts(DX_REC_PEOPLE, 3, 2, 1);
    const dx_records_file *f = dx_records_file_info(R, DX_REC_PEOPLE);
    assert_int_equal(f->encoding, DX_ENC_CP932);
    assert_int_equal(f->detected, 0);
    const dx_rejected_row *r = rejected_at(DX_REC_PEOPLE, 3);
    assert_string_equal(r->subject_id, "P2");
    assert_string_equal(field_of(&r->fields, "full_name"), "\xEF\xBF\xBD\xE7\x94\xB0");
    assert_true(dx_records_subject_has_rejected_rows(R, "P2"));
}

/* ---- the example folder ---- */

static void test_example_university(void **state)
{
    (void)state;
    const char *folder = DX_EXAMPLES "/university";
    DIR *dir = opendir(folder);
    if (!dir) {
        print_message("skipped: %s is missing\n", folder);
        skip();
    }
    closedir(dir);
    assert_int_equal(dx_records_read_folder(R, folder, D), DX_OK);
    assert_int_equal(dx_records_finish(R, D), DX_OK);
    expect_no_errors();
    size_t n_rejected;
    const dx_rejected_row *rows = dx_records_rejected(R, &n_rejected);
    if (n_rejected) {
        dump_diags();
        fail_msg("%zu rejected rows, the first at %s:%lu", n_rejected, rows[0].src.file,
                 rows[0].src.line);
    }
    const dx_records_file *people = dx_records_file_info(R, DX_REC_PEOPLE);
    const dx_records_file *visitors = dx_records_file_info(R, DX_REC_VISITORS);
    assert_non_null(people->path);
    assert_non_null(visitors->path);
    assert_int_equal(people->encoding, DX_ENC_CP932);
    assert_int_equal(visitors->encoding, DX_ENC_UTF16LE);
    assert_true(people->rows_read > 0);
    assert_true(visitors->rows_read > 0);
    dx_records_totals t = dx_records_totals_get(R);
    assert_int_equal(t.rows_rejected, 0);
    assert_int_equal(t.rows_read, t.rows_accepted);
    expect_totals_reconcile();
}

/* ---- allocation failures ---- */

typedef struct sweep_result {
    dx_status st;
    size_t diags, people, assignments, rejected;
} sweep_result;

typedef struct sweep_file {
    dx_record_kind kind;
    const char *text;
} sweep_file;

/* A fresh record set and diagnostics, the files read, finish; everything freed. */
static sweep_result read_files(const sweep_file *files, size_t n_files)
{
    sweep_result res = {DX_OK, 0, 0, 0, 0};
    dx_records_options opt = {DX_ENC_AUTO, 0, countries};
    dx_records *r = NULL;
    dx_diags *d = NULL;
    res.st = dx_diags_new(&d);
    if (res.st == DX_OK)
        res.st = dx_records_new(&opt, &r);
    for (size_t i = 0; i < n_files && res.st == DX_OK; i++)
        res.st = dx_records_read_buffer(r, files[i].kind, dx_record_kind_file(files[i].kind),
                                        files[i].text, strlen(files[i].text), d);
    if (res.st == DX_OK)
        res.st = dx_records_finish(r, d);
    if (res.st == DX_OK) {
        res.diags = dx_diags_count(d);
        dx_records_people(r, &res.people);
        dx_records_assignments(r, &res.assignments);
        dx_records_rejected(r, &res.rejected);
    }
    dx_records_free(r);
    dx_diags_free(d);
    return res;
}

/* Bytes in use on the heap, for a coarse leak check that also works without sanitizers.
 * glibc counts chunks parked in its per-thread cache as in use, so a few KiB of difference
 * is noise: only growth beyond LEAK_NOISE that happens twice in a row counts. The precise
 * check is LeakSanitizer in the san build (under it mallinfo2 reports 0). */
enum { LEAK_NOISE = 16 * 1024 };
static size_t heap_in_use(void)
{
    return mallinfo2().uordblks;
}

static void sweep_files(const sweep_file *files, size_t n_files)
{
    sweep_result ref = read_files(files, n_files);
    assert_int_equal(ref.st, DX_OK);
    for (long n = 0;; n++) {
        if (n > 1000000)
            fail_msg("no success after %ld allocations", n);
        sweep_result res;
        for (int attempt = 0;; attempt++) {
            size_t before = heap_in_use();
            dx_alloc_fail_after(n);
            res = read_files(files, n_files);
            dx_alloc_fail_after(-1);
            size_t after = heap_in_use();
            if (after <= before + LEAK_NOISE)
                break;
            /* the C library may set something up the first time a path runs: a leak is
             * only a leak when it happens again */
            if (attempt == 1)
                fail_msg("allocation %ld failed (%s): %zu bytes leaked", n,
                         dx_status_name(res.st), after - before);
        }
        if (res.st == DX_OK) {
            assert_true(n > 0);
            if (res.diags != ref.diags || res.people != ref.people ||
                res.assignments != ref.assignments || res.rejected != ref.rejected)
                fail_msg("allocation %ld failed, yet DX_OK with %zu diagnostics, %zu people, "
                         "%zu assignments, %zu rejected; expected %zu %zu %zu %zu",
                         n, res.diags, res.people, res.assignments, res.rejected, ref.diags,
                         ref.people, ref.assignments, ref.rejected);
            break;
        }
        if (res.st != DX_ERR_NOMEM)
            fail_msg("allocation %ld failed: %s, expected DX_ERR_NOMEM", n,
                     dx_status_name(res.st));
    }
}

static void sweep(const char *people, const char *assignments)
{
    const sweep_file files[] = {{DX_REC_PEOPLE, people}, {DX_REC_ASSIGNMENTS, assignments}};
    sweep_files(files, 2);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    sweep("person_id,full_name,citizenships,date_of_birth,shoe_size\n"
          "P1,Alice,Chinese;JP@2020-01-01,1990,42\n"
          "P2,Bob,CN,bad date,43\n"
          "P3,Carol,\xE6\x97\xA5\xE6\x9C\xAC,1985-05-05,44\n"
          "P1,Dup,,,\n",
          "subject_id,project_id,tech_id,access\n"
          "P1,,,full\n"
          "P2,PR1,,full\n"
          "ZZ,,T1,none\n"
          "P3,PR1,T1,full\n");
}

static void test_alloc_failures_long_header(void **state)
{
    (void)state;
    /* Two long unknown header cells: the first fills most of the record set's first arena
     * block, so the copy of the second needs a block of its own, and that allocation can fail
     * after read_header has started its list of unknown column names.
     * A failure there must not leak the list of unknown column names noted so far (it once
     * did: 64 KiB here, found by LeakSanitizer). */
    enum { long_len = 40000 };
    static char people[2 * long_len + 200]; /* static: nothing of the test's own leaks */
    size_t k = (size_t)sprintf(people, "person_id,full_name,unknown_one,");
    memset(people + k, 'x', long_len);
    k += long_len;
    people[k++] = ',';
    memset(people + k, 'y', long_len);
    k += long_len;
    sprintf(people + k, "\nP1,Alice,a,b,c\n");
    sweep(people, "subject_id,project_id\nP1,PR1\n");
}

static void test_alloc_failures_every_kind(void **state)
{
    (void)state;
    /* every file and every cross-file check, with rows rejected at each stage */
    const sweep_file files[] = {
        {DX_REC_PEOPLE, "person_id,full_name,annual_income,income_currency,citizenships\n"
                        "P1,Alice,\"10,000,000\",JPY,CN;JP@2001-02-03\n"
                        "P2,Bob,,,Narnia\nP1,Dup,,,\nP3,Carol,5,,KR\n"},
        {DX_REC_VISITORS, "visitor_id,full_name,host_person_id,technologies\n"
                          "P3,Clash,P1,\nV1,Vera,P9,T1;T9\nV2,Val,P1,T1\n"},
        {DX_REC_PROJECTS, "project_id,title,pi_person_id\nPR1,Proj,P9\n"},
        {DX_REC_TECHNOLOGIES, "tech_id,project_id,eccn,concern_types\n"
                              "T1,PR1,3E001,B;CW\nT2,NOPE,,\nT3,PR1,3F001,\n"},
        {DX_REC_ASSIGNMENTS, "subject_id,tech_id,project_id,start_date,end_date\n"
                             "P1,T1,,,\nZZ,T1,,,\nP1,T9,,,\nP1,,PR9,,\nP1,T1,PR1,,\n"
                             "V2,,PR1,2026-05-01,2026-04-01\nP2,T3,,,\n"},
        {DX_REC_CONTRACTS, "person_id,counterparty,counterparty_type\nP1,Foo,domestic\n"
                           "QQ,Bar,domestic\nP1,Baz,nonsense\n"},
        {DX_REC_FUNDING, "person_id,source,source_type,annual_amount,currency\n"
                         "P1,A,domestic,1,JPY\nP2,B,domestic,1,JPY\nP1,C,domestic,1,USD\n"
                         "ZZ,D,domestic,1,JPY\n"},
        {DX_REC_ORGANIZATIONS, "org_id,name,owners\nO1,One,O2@10\nO2,Two,O9@5\nO3,Three,O1@200\n"},
        {DX_REC_LICENSES, "license_id,authority,subject_id,tech_id\n"
                          "L1,METI,P1,T1\nL2,METI,ZZ,\nL3,METI,P1,T9\nL1,BIS,,\n"},
    };
    sweep_files(files, sizeof files / sizeof *files);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_people_every_column),
        T(test_people_japanese_headers),
        T(test_header_matching),
        T(test_unknown_columns),
        T(test_visitors),
        T(test_projects_and_technologies),
        T(test_organizations),
        T(test_licenses),
        T(test_contracts_and_funding),
        T(test_rejected_rows),
        T(test_required_value_empty),
        T(test_formula_like_text),
        T(test_csv_damage_rejects_row),
        T(test_end_before_start),
        T(test_cross_file_checks),
        T(test_rejected_subject_still_known),
        T(test_missing_required_column),
        T(test_duplicate_column),
        T(test_no_subjects),
        T(test_same_kind_twice),
        T(test_kind_names),
        T(test_limits_and_arguments),
        T(test_encodings),
        T(test_invalid_byte_rejects_row),
        T(test_example_university),
        T(test_alloc_failures),
        T(test_alloc_failures_every_kind),
        T(test_alloc_failures_long_header),
    };
#undef T
    return cmocka_run_group_tests_name("records", tests, group_setup, group_teardown);
}

/*
 * screen.c — dx_screen_run: one screening run, from the inputs to the written outputs
 * (dexcheck/screen.h). It connects the pieces and adds no law of its own.
 *
 * The steps, each of which can stop the run (the stage says where, for the exit status):
 *   1. compile the rule files against the records' environment (a rule error stops before
 *      anything is read: rules);
 *   2. read the record files and run the cross-file checks; a file or folder that cannot be
 *      read at all, or cannot be decoded, stops the run (input): screening the rest would
 *      give clean-looking answers for people whose file was never read. A rejected row does
 *      not stop it;
 *   3. open the store, load its U.S. control data (Country Chart, Country Groups, CCL: the
 *      us_* functions of the rules; without them those rules give needs_review) and build the
 *      name index over its restricted-party lists (store). A store without lists is not an
 *      error: see dexcheck/screen.h;
 *   4. open the report with the run facts (output);
 *   5. list screening (screen_lists.c): every hit is reported, and kept by owner in a
 *      dx_list_hits;
 *   6. the rules over the records (dx_rules_eval_records), with those hits (subject.list_hits,
 *      project.list_hits, organization.list_hits): each outcome becomes a result; the trace
 *      goes into the result's explanation, one line per item. Lists come first so that a
 *      rule can decide with them (an Entity List employer, an End User List concern type);
 *   7. DATA findings and input issues from the records' diagnostics;
 *   8. the subject summary of every person and visitor;
 *   9. close the report (every output renamed into place, or none);
 *  10. commit the run's record in the store (audit_int.h: the run, its inputs and list
 *      versions, the subjects with the names screened for them, every result), begun in one
 *      transaction before step 5. Each result is shown with the latest disposition a reviewer
 *      recorded for its finding id, and cleared when that disposition clears it (product.md
 *      §5): apply_disposition below, which reopens a false_positive whose list entry changed
 *      and a cleared_with_licence whose licence expired, is for someone else or is not on file.
 *
 * A rescreen (dexcheck/screen.h, `rescreen`) has no records and no rules: rescreen.c plans it
 * (which list entries changed, the stored subjects' names, an index over the changed entries),
 * step 5 searches the stored names against that index, hits whose entry was removed become
 * LIST-DELISTED findings, and steps 9 and 10 are as for a screen.
 *
 * Results the report cannot hold as determinations (a determination rule applied to a person
 * rather than an access pair, or in the LIST or DATA regime) are passed on as findings with
 * the severity of their urgency (dx_result_urgency), so nothing is lost.
 *
 * The subject summary: the worst determination by the rank of dx_screen_det_rank, the worst
 * finding severity, needs attention when any of its results does or when a rejected row
 * concerns it (then the worst determination is at least needs_review), the rule and reason of
 * its most urgent result, and the Form I-129 Part 6 answer from its U.S. determinations:
 * "n/a" without any; "licence required; access prevented until licensed" for
 * license_required or prohibited; "undetermined: needs review before certifying" for
 * needs_review; otherwise "no licence required". A person or visitor whose own row was
 * rejected still gets a summary row, with needs_review.
 */
#include "dexcheck/screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "alloc.h"
#include "audit_int.h"
#include "rescreen_int.h"
#include "dexcheck/rules_records.h"
#include "dexcheck/version.h"
#include "screen_int.h"
#include "sha256.h"

/* ---- finding ids, ranks, emitting ---- */

void dx_screen_finding_id(const dx_result *r, const char *extra, char out[19])
{
    const char *parts[] = {dx_result_kind_name(r->kind), r->regime, r->subject_type,
                           r->subject_id, r->rule, r->tech_id, r->list, r->entry_id, extra};
    dx_sha256 h;
    dx_sha256_init(&h);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (parts[i])
            dx_sha256_update(&h, parts[i], strlen(parts[i]));
        dx_sha256_update(&h, "\x1f", 1);
    }
    unsigned char digest[32];
    char hex[65];
    dx_sha256_final(&h, digest);
    dx_sha256_to_hex(digest, hex);
    memcpy(out, "F-", 2);
    memcpy(out + 2, hex, 16);
    out[18] = 0;
}

int dx_screen_det_rank(dx_determination d)
{
    switch (d) {
    case DX_DET_PROHIBITED: return 8;
    case DX_DET_LICENSE_REQUIRED: return 7;
    case DX_DET_NEEDS_REVIEW: return 6;
    case DX_DET_EXCEPTION_AVAILABLE: return 5;
    case DX_DET_LICENSED: return 4;
    case DX_DET_NO_LICENSE_REQUIRED: return 3;
    case DX_DET_EXEMPT: return 2;
    case DX_DET_NOT_CONTROLLED: return 1;
    default: return 0;
    }
}

static dx_screen_subject *subject_of(dx_screen_ctx *c, const dx_result *r)
{
    size_t i;
    if (!r->subject_id || !r->subject_type ||
        (strcmp(r->subject_type, "person") && strcmp(r->subject_type, "visitor")))
        return NULL;
    return dx_strmap_get(&c->subject_ix, r->subject_id, &i) ? &c->subjects[i] : NULL;
}

/* Fold one result into its subject's summary. */
static dx_status note_subject(dx_screen_ctx *c, const dx_result *r)
{
    dx_screen_subject *s = subject_of(c, r);
    if (!s)
        return DX_OK;
    int dr = dx_screen_det_rank(r->determination), sr = dx_finding_severity_rank(r->severity);
    if (r->kind == DX_RESULT_DETERMINATION && dr > s->det_rank)
        s->det_rank = dr, s->worst_det = r->determination;
    if (r->kind == DX_RESULT_FINDING && sr > s->sev_rank)
        s->sev_rank = sr, s->worst_sev = r->severity;
    if (r->kind == DX_RESULT_DETERMINATION && r->regime && !strcmp(r->regime, "US") &&
        dr > s->us_rank)
        s->us_rank = dr;
    s->attention |= r->needs_attention;
    int urgency = dx_finding_severity_rank(dx_result_urgency(r));
    if (urgency <= s->why_rank && s->why)
        return DX_OK;
    dx_strbuf_reset(&c->text2);
    dx_status st = dx_strbuf_printf(&c->text2, "%s%s%s", r->rule ? r->rule : "",
                                    r->rule ? ": " : "", r->reason ? r->reason : "");
    char *why = st == DX_OK ? dx_arena_strndup(&c->arena, c->text2.data, c->text2.len) : NULL;
    if (!why)
        return DX_ERR_NOMEM;
    s->why = why, s->why_rank = urgency;
    return DX_OK;
}

static void count_result(dx_screen_summary *sum, const dx_result *r)
{
    if (r->kind == DX_RESULT_DETERMINATION) {
        sum->determinations++;
        if (r->determination <= DX_DET_NEEDS_REVIEW)
            sum->by_determination[r->determination]++;
    } else {
        sum->findings++;
        if (r->severity <= DX_FSEV_INFO)
            sum->by_severity[r->severity]++;
    }
    sum->needs_attention += r->needs_attention != 0;
}

double dx_screen_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* r->reason with `more` appended, in c->reason. */
static void amend_reason(dx_screen_ctx *c, dx_result *r, const char *more)
{
    dx_strbuf_reset(&c->reason);
    if (dx_strbuf_printf(&c->reason, "%s%s%s", r->reason ? r->reason : "",
                         r->reason ? " " : "", more) == DX_OK)
        r->reason = c->reason.data;
}

/* A licence of licenses.csv by id, or NULL. */
static const dx_license *licence_of(const dx_screen_ctx *c, const char *id)
{
    size_t n;
    const dx_license *l = dx_records_licenses(c->records, &n);
    for (size_t i = 0; id && i < n; i++)
        if (l[i].license_id && strcmp(l[i].license_id, id) == 0)
            return &l[i];
    return NULL;
}

/* Whether a cleared_with_licence disposition still clears on the as-of date: the licence is in
 * licenses.csv, is for this subject and technology when it names them, and is valid on the
 * as-of date. When not, the reason it reopens, into why[]. */
static int licence_clears(const dx_screen_ctx *c, const dx_result *r,
                          const dx_audit_disposition *d, char *why, size_t size)
{
    const dx_license *l = licence_of(c, d->license_id);
    char date[11];
    if (!l) {
        snprintf(why, size, "licence %s is not in licenses.csv, so its validity cannot be "
                 "confirmed", d->license_id ? d->license_id : "(none)");
        return 0;
    }
    if (l->subject_id && *l->subject_id && r->subject_id &&
        strcmp(l->subject_id, r->subject_id) != 0) {
        snprintf(why, size, "licence %s is for %s, not %s", l->license_id, l->subject_id,
                 r->subject_id);
        return 0;
    }
    if (l->tech_id && *l->tech_id && r->tech_id && strcmp(l->tech_id, r->tech_id) != 0) {
        snprintf(why, size, "licence %s is for %s, not %s", l->license_id, l->tech_id,
                 r->tech_id);
        return 0;
    }
    if (l->valid_to.year && dx_date_days(l->valid_to) < c->as_of) {
        dx_date_format(l->valid_to, date);
        snprintf(why, size, "licence %s expired on %s", l->license_id, date);
        return 0;
    }
    if (l->valid_from.year && dx_date_days(l->valid_from) > c->as_of) {
        dx_date_format(l->valid_from, date);
        snprintf(why, size, "licence %s is valid only from %s", l->license_id, date);
        return 0;
    }
    return 1;
}

/* A reviewer's latest disposition of this finding id (docs/audit.md): shown on the result,
 * and clearing it when product.md §5 says it does and nothing has changed since. */
static void apply_disposition(dx_screen_ctx *c, dx_result *r, const char *entry_hash)
{
    const dx_audit_disposition *d = dx_audit_disposition_of(c->audit, r->finding_id);
    if (!d)
        return;
    r->disposition = d->disposition;
    r->reviewer = d->reviewer, r->review_date = d->review_date;
    r->license_id = d->license_id, r->note = d->note;
    char why[256];
    int clears = 0;
    why[0] = 0;
    if (d->disposition == DX_DISP_FALSE_POSITIVE) {
        if (!r->list)
            snprintf(why, sizeof why, "false_positive clears list hits only");
        else if (d->entry_hash && entry_hash && strcmp(d->entry_hash, entry_hash) != 0)
            snprintf(why, sizeof why, "the list entry changed since it was marked "
                     "false_positive");
        else
            clears = 1;
    } else if (d->disposition == DX_DISP_CLEARED_WITH_LICENCE) {
        clears = licence_clears(c, r, d, why, sizeof why);
    }
    if (clears) {
        r->cleared = 1;
        c->sum->cleared++;
    } else if (why[0] && dx_result_needs_attention(r)) {
        char more[400];
        snprintf(more, sizeof more, "[reopened: %s by %s on %s; %s]",
                 dx_disposition_name(d->disposition), d->reviewer ? d->reviewer : "?",
                 d->review_date ? d->review_date : "?", why);
        amend_reason(c, r, more);
        c->sum->reopened++;
    }
}

static dx_status emit(dx_screen_ctx *c, dx_result *r, const char *id_extra,
                      const char *entry_hash)
{
    char fid[19];
    if (!r->finding_id) {
        dx_screen_finding_id(r, id_extra, fid);
        r->finding_id = fid;
    }
    if (c->audit)
        apply_disposition(c, r, entry_hash);
    r->needs_attention = dx_result_needs_attention(r);
    count_result(c->sum, r);
    dx_status st = note_subject(c, r);
    if (st == DX_OK && c->report) {
        double t0 = dx_screen_now();
        st = dx_report_add_result(c->report, r);
        c->sum->seconds_outputs += dx_screen_now() - t0;
    }
    if (st == DX_OK && c->audit)
        st = dx_audit_result(c->audit, r, entry_hash);
    if (st == DX_OK && c->opt->on_result)
        st = c->opt->on_result(c->opt->ud, r, NULL);
    return st;
}

dx_status dx_screen_emit(dx_screen_ctx *c, dx_result *r, const char *id_extra)
{
    return emit(c, r, id_extra, NULL);
}

dx_status dx_screen_emit_hit(dx_screen_ctx *c, dx_result *r, const char *entry_hash)
{
    return emit(c, r, NULL, entry_hash);
}

/* ---- rule outcomes → results ---- */

static const char *trace_kind(dx_trace_kind k)
{
    switch (k) {
    case DX_TRACE_RULE_NOT_MET: return "not met: ";
    case DX_TRACE_MISSING: return "unknown: ";
    default: return "";
    }
}

/* The trace as lines "name = value: text" into c->text2. */
static dx_status render_trace(dx_screen_ctx *c, const dx_outcome *o)
{
    dx_strbuf *b = &c->text2;
    dx_strbuf_reset(b);
    dx_status st = dx_strbuf_append(b, "", 0);
    for (size_t i = 0; st == DX_OK && i < o->n_trace; i++) {
        const dx_trace_item *t = &o->trace[i];
        if (i)
            st = dx_strbuf_putc(b, '\n');
        if (st == DX_OK)
            st = dx_strbuf_puts(b, trace_kind(t->kind));
        if (st == DX_OK)
            st = dx_strbuf_puts(b, t->name);
        if (st == DX_OK && t->kind != DX_TRACE_RULE_NOT_MET && t->value) {
            st = dx_strbuf_append(b, " = ", 3);
            if (st == DX_OK)
                st = dx_strbuf_puts(b, t->value);
        }
        if (st == DX_OK && t->text && *t->text) {
            st = dx_strbuf_append(b, ": ", 2);
            if (st == DX_OK)
                st = dx_strbuf_puts(b, t->text);
        }
    }
    return st;
}

static int matrix_regime(dx_regime g)
{
    return g == DX_REGIME_JP || g == DX_REGIME_US || g == DX_REGIME_EU;
}

static void outcome_subject(const dx_records_outcome *o, dx_result *r)
{
    if (o->subject_id) {
        r->subject_type = o->subject_type, r->subject_id = o->subject_id;
    } else if (o->org_id) {
        r->subject_type = "organization", r->subject_id = o->org_id;
    } else if (o->project_id) {
        r->subject_type = "project", r->subject_id = o->project_id;
    }
}

static dx_status on_outcome(void *ud, const dx_records_outcome *ro)
{
    dx_screen_ctx *c = ud;
    const dx_outcome *o = ro->outcome;
    dx_status st = render_trace(c, o);
    if (st != DX_OK)
        return st;
    dx_result r = {.kind = o->is_finding ? DX_RESULT_FINDING : DX_RESULT_DETERMINATION,
                   .rule = o->rule_id, .regime = dx_regime_name(o->regime),
                   .tech_id = ro->tech_id, .project_id = ro->project_id,
                   .basis = o->basis, .reason = o->reason,
                   .channel = o->channel && *o->channel ? o->channel : NULL,
                   .score = -1, .explanation = c->text2.len ? c->text2.data : NULL};
    outcome_subject(ro, &r);
    size_t si;
    if (r.subject_id && subject_of(c, &r) && dx_strmap_get(&c->subject_ix, r.subject_id, &si))
        r.subject_name = c->subjects[si].name;
    if (o->is_finding) {
        r.severity = o->severity;
    } else {
        r.determination = o->determination;
        if (!matrix_regime(o->regime) || !r.tech_id || !r.subject_id)
            r.kind = DX_RESULT_FINDING, r.severity = dx_result_urgency(&r);
    }
    if (r.kind == DX_RESULT_FINDING && r.severity == DX_FSEV_NONE)
        r.severity = DX_FSEV_INFO;
    return dx_screen_emit(c, &r, NULL);
}

/* ---- the subjects ---- */

/* The name a person goes by in the outputs: full name, else family and given name. */
static const char *display_name(dx_screen_ctx *c, const dx_person *p)
{
    if (p->full_name && *p->full_name)
        return p->full_name;
    dx_strbuf_reset(&c->text2);
    if (dx_strbuf_printf(&c->text2, "%s%s%s", p->family_name ? p->family_name : "",
                         p->family_name && p->given_name ? " " : "",
                         p->given_name ? p->given_name : "") != DX_OK)
        return NULL;
    return dx_arena_strndup(&c->arena, c->text2.data, c->text2.len);
}

static const char *citizenship_text(dx_screen_ctx *c, const dx_person *p)
{
    dx_strbuf_reset(&c->text2);
    dx_status st = dx_strbuf_printf(&c->text2, "%s", "");
    for (size_t i = 0; st == DX_OK && i < p->citizenships.n; i++)
        st = dx_strbuf_printf(&c->text2, "%s%s", i ? ";" : "", p->citizenships.items[i].country);
    return st == DX_OK ? dx_arena_strndup(&c->arena, c->text2.data, c->text2.len) : NULL;
}

static dx_status add_subject(dx_screen_ctx *c, const dx_person *p, const char *type)
{
    dx_screen_subject *s = &c->subjects[c->n_subjects];
    *s = (dx_screen_subject){.type = type, .id = p->person_id};
    s->name = display_name(c, p);
    s->citizenship = citizenship_text(c, p);
    if (!s->name || !s->citizenship)
        return DX_ERR_NOMEM;
    int inserted;
    dx_status st = dx_strmap_put(&c->subject_ix, p->person_id, c->n_subjects, &inserted, NULL);
    if (st == DX_OK && inserted)
        c->n_subjects++;
    return st;
}

static dx_status init_subjects(dx_screen_ctx *c)
{
    size_t np, nv;
    const dx_person *people = dx_records_people(c->records, &np);
    const dx_visitor *visitors = dx_records_visitors(c->records, &nv);
    c->subjects = dx_calloc(np + nv + 1, sizeof *c->subjects);
    if (!c->subjects)
        return DX_ERR_NOMEM;
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < np; i++)
        st = add_subject(c, &people[i], "person");
    for (size_t i = 0; st == DX_OK && i < nv; i++)
        st = add_subject(c, &visitors[i].person, "visitor");
    return st;
}

static const char *i129_answer(int us_rank)
{
    if (!us_rank)
        return "n/a";
    if (us_rank >= dx_screen_det_rank(DX_DET_LICENSE_REQUIRED))
        return "licence required; access prevented until licensed";
    if (us_rank == dx_screen_det_rank(DX_DET_NEEDS_REVIEW))
        return "undetermined: needs review before certifying";
    return "no licence required";
}

static dx_status emit_subject(dx_screen_ctx *c, const dx_subject_summary *ss)
{
    c->sum->subjects++;
    c->sum->subjects_attention += ss->needs_attention != 0;
    dx_status st = c->report ? dx_report_add_subject(c->report, ss) : DX_OK;
    if (st == DX_OK && c->opt->on_result)
        st = c->opt->on_result(c->opt->ud, NULL, ss);
    return st;
}

static dx_status subject_summaries(dx_screen_ctx *c)
{
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < c->n_subjects; i++) {
        dx_screen_subject *s = &c->subjects[i];
        int rejected = dx_records_subject_has_rejected_rows(c->records, s->id);
        dx_subject_summary ss = {s->type, s->id, s->name, s->citizenship, s->worst_det,
                                 s->worst_sev, i129_answer(s->us_rank), s->why,
                                 s->attention || rejected};
        if (rejected && s->det_rank < dx_screen_det_rank(DX_DET_NEEDS_REVIEW))
            ss.worst_determination = DX_DET_NEEDS_REVIEW;
        if (rejected && !s->why)
            ss.reason = "a row about this subject was rejected; see the input issues";
        st = emit_subject(c, &ss);
    }
    return st;
}

/* ---- DATA findings and input issues ---- */

static const char *base_name(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    return slash ? slash + 1 : path ? path : "";
}

/* The errors reported at the row's file and line, joined, into c->text. */
static dx_status row_problems(dx_screen_ctx *c, const dx_rejected_row *row, size_t from,
                              size_t to)
{
    dx_strbuf_reset(&c->text);
    dx_status st = dx_strbuf_printf(&c->text, "%s line %lu was rejected",
                                    base_name(row->src.file), row->src.line);
    const char *sep = ": ";
    for (size_t i = from; st == DX_OK && i < to; i++) {
        const dx_diag *d = dx_diags_get(c->diags, i);
        if (d->severity != DX_SEV_ERROR || d->line != row->src.line ||
            strcmp(d->source, row->src.file))
            continue;
        st = dx_strbuf_printf(&c->text, "%s%s (column %lu)", sep, d->message, d->column);
        sep = "; ";
    }
    if (st == DX_OK)
        st = dx_strbuf_printf(&c->text, "%s", "; every subject it concerns gets needs_review");
    return st;
}

static dx_status rejected_row_finding(dx_screen_ctx *c, const dx_rejected_row *row,
                                      size_t from, size_t to)
{
    dx_status st = row_problems(c, row, from, to);
    char extra[300];
    snprintf(extra, sizeof extra, "%s:%lu", base_name(row->src.file), row->src.line);
    dx_result r = {.kind = DX_RESULT_FINDING, .rule = "DATA-REJECTED-ROW", .regime = "DATA",
                   .subject_id = row->subject_id, .severity = DX_FSEV_MEDIUM,
                   .basis = "product.md §3: a missing fact must never clear a person",
                   .reason = c->text.data, .score = -1};
    if (row->subject_id) {
        size_t si;
        int known = dx_strmap_get(&c->subject_ix, row->subject_id, &si);
        r.subject_type = known ? c->subjects[si].type
                               : row->kind == DX_REC_VISITORS ? "visitor" : "person";
        r.subject_name = known ? c->subjects[si].name : NULL;
    }
    return st == DX_OK ? dx_screen_emit(c, &r, extra) : st;
}

static dx_status warning_finding(dx_screen_ctx *c, const dx_diag *d)
{
    char extra[400];
    snprintf(extra, sizeof extra, "%s:%lu:%lu:%s", base_name(d->source), d->line, d->column,
             d->code);
    dx_strbuf_reset(&c->text);
    dx_status st = dx_strbuf_printf(&c->text, "%s line %lu, column %lu: %s",
                                    base_name(d->source), d->line, d->column, d->message);
    dx_result r = {.kind = DX_RESULT_FINDING, .rule = "DATA-WARNING", .regime = "DATA",
                   .severity = DX_FSEV_LOW, .basis = "input records (docs/records.md)",
                   .reason = c->text.data, .score = -1};
    return st == DX_OK ? dx_screen_emit(c, &r, extra) : st;
}

/* A person or visitor whose own row was rejected has no record: a summary row still. */
static dx_status rejected_subject(dx_screen_ctx *c, const dx_rejected_row *row)
{
    size_t si;
    if (!row->subject_id || (row->kind != DX_REC_PEOPLE && row->kind != DX_REC_VISITORS) ||
        dx_strmap_get(&c->subject_ix, row->subject_id, &si))
        return DX_OK;
    dx_subject_summary ss = {row->kind == DX_REC_VISITORS ? "visitor" : "person",
                             row->subject_id, NULL, NULL, DX_DET_NEEDS_REVIEW, DX_FSEV_MEDIUM,
                             "undetermined: needs review before certifying",
                             "the subject's own row was rejected; see the input issues", 1};
    return emit_subject(c, &ss);
}

static dx_status data_findings(dx_screen_ctx *c, size_t from, size_t to)
{
    size_t n;
    const dx_rejected_row *rows = dx_records_rejected(c->records, &n);
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < n; i++)
        st = rejected_row_finding(c, &rows[i], from, to);
    for (size_t i = from; st == DX_OK && i < to; i++) {
        const dx_diag *d = dx_diags_get(c->diags, i);
        if (d->severity == DX_SEV_WARNING && d->line > 0)
            st = warning_finding(c, d);
    }
    for (size_t i = from; st == DX_OK && c->report && i < to; i++)
        st = dx_report_add_issue(c->report, dx_diags_get(c->diags, i));
    return st;
}

static dx_status rejected_subjects(dx_screen_ctx *c)
{
    size_t n;
    const dx_rejected_row *rows = dx_records_rejected(c->records, &n);
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < n; i++)
        st = rejected_subject(c, &rows[i]);
    return st;
}

/* ---- no lists ---- */

static dx_status no_lists_finding(dx_screen_ctx *c)
{
    dx_result r = {.kind = DX_RESULT_FINDING, .rule = "LIST-NONE", .regime = "LIST",
                   .severity = DX_FSEV_HIGH,
                   .basis = "restricted-party screening (product.md §5)",
                   .reason = "the store holds no restricted-party list: no name was screened; "
                             "import the lists (dexcheck lists import) and screen again",
                   .score = -1};
    return dx_screen_emit(c, &r, NULL);
}

/* ---- the run ---- */

typedef struct screen_run {
    dx_screen_ctx c;
    dx_ruleenv *env;
    dx_ruleset *rs;
    dx_store *store;
    dx_index *index;
    dx_us_controls *us; /* the U.S. control data of the store (rules_records.h) */
    long as_of;
    size_t diag_from, diag_to; /* the records' diagnostics */
    /* run facts */
    dx_report_input inputs[DX_REC_KIND_COUNT];
    char input_sha[DX_REC_KIND_COUNT][65];
    dx_report_list *lists;
    dx_report_rule *rules;
    size_t n_lists, n_rules;
    char started_at[32];
    size_t n_inputs;
    dx_rescreen_plan *plan; /* a rescreen's */
} screen_run;

static dx_status fail(screen_run *r, dx_screen_stage stage, dx_status st)
{
    if (st != DX_OK && r->c.sum->stage == DX_SCREEN_DONE)
        r->c.sum->stage = st == DX_ERR_NOMEM || st == DX_ERR_INTERNAL ? DX_SCREEN_INTERNAL
                                                                        : stage;
    return st;
}

static dx_status compile_rules(screen_run *r)
{
    const dx_screen_options *o = r->c.opt;
    dx_status st = dx_records_ruleenv_new(&r->env);
    if (st == DX_OK)
        st = dx_ruleset_compile_paths(r->env, o->rule_paths, o->n_rule_paths, NULL,
                                      r->c.diags, &r->rs);
    if (st == DX_OK) {
        r->c.sum->rules = dx_ruleset_rule_count(r->rs);
        dx_screen_ruleset_hash(r->rs, r->c.sum->ruleset_hash);
    }
    return fail(r, DX_SCREEN_RULES, st);
}

static int is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Any file that could not be decoded at all stops the run (see the design comment). */
static dx_status check_decoded(screen_run *r)
{
    for (int k = 0; k < DX_REC_KIND_COUNT; k++) {
        const dx_records_file *f = dx_records_file_info(r->c.records, (dx_record_kind)k);
        if (f && f->path && f->undecodable)
            return DX_ERR_ENCODING;
    }
    return DX_OK;
}

static dx_status read_records(screen_run *r)
{
    const dx_screen_options *o = r->c.opt;
    dx_records_options ro = {o->encoding, 0, NULL};
    r->diag_from = dx_diags_count(r->c.diags);
    dx_status st = dx_records_new(&ro, &r->c.records);
    for (size_t i = 0; st == DX_OK && i < o->n_inputs; i++)
        st = is_dir(o->inputs[i]) ? dx_records_read_folder(r->c.records, o->inputs[i], r->c.diags)
                                  : dx_records_read_file(r->c.records, o->inputs[i], r->c.diags);
    if (st == DX_OK)
        st = dx_records_finish(r->c.records, r->c.diags);
    if (st == DX_OK)
        st = check_decoded(r);
    r->diag_to = dx_diags_count(r->c.diags);
    if (st == DX_OK) {
        dx_records_totals t = dx_records_totals_get(r->c.records);
        r->c.sum->files = t.files, r->c.sum->rows_read = t.rows_read;
        r->c.sum->rows_accepted = t.rows_accepted, r->c.sum->rows_rejected = t.rows_rejected;
    }
    return fail(r, DX_SCREEN_INPUT, st);
}


/* ---- the store and the index ---- */

static dx_status copy_diags(dx_diags *to, const dx_diags *from)
{
    dx_status st = DX_OK;
    for (size_t i = 0; st == DX_OK && i < dx_diags_count(from); i++) {
        const dx_diag *d = dx_diags_get(from, i);
        st = dx_diags_add(to, d->severity, d->source, d->line, d->column, d->code, d->hint,
                          "%s", d->message);
        if (st == DX_OK && d->source_line)
            st = dx_diags_set_source_line(to, d->source_line, strlen(d->source_line));
    }
    return st;
}

/* The index over the store's lists; a store without any is a warning (dexcheck/screen.h). */
static dx_status build_index(screen_run *r)
{
    dx_diags *mine = NULL;
    dx_status st = dx_diags_new(&mine);
    dx_status built = st == DX_OK ? dx_index_build(r->store, NULL, 0, mine, &r->index) : st;
    if (built == DX_ERR_INPUT && !r->index) {
        r->c.sum->no_lists = 1;
        st = dx_diags_add(r->c.diags, DX_SEV_WARNING, r->c.opt->db_path, 0, 0,
                          "screen.no-lists", "import lists first: dexcheck lists import FILES",
                          "the store holds no restricted-party list: no name was screened");
    } else {
        st = st == DX_OK ? copy_diags(r->c.diags, mine) : st;
        st = st == DX_OK ? built : st;
    }
    dx_diags_free(mine);
    return st;
}

/* Whether the run screens against list version `version_id`, and with how many entries: the
 * versions of the index; for a rescreen, the newest version of every restricted-party list,
 * indexed or not (the subjects are up to date with them after the run). */
static int screened_version(const screen_run *r, const dx_list_version *v, size_t *entries)
{
    if (r->plan) {
        *entries = v->entries;
        for (size_t i = 0; i < r->plan->n_newest; i++)
            if (r->plan->newest[i] == v->version_id)
                return 1;
        return 0;
    }
    dx_index_stats s;
    dx_index_stats_get(r->index, &s);
    for (size_t i = 0; i < s.lists; i++) {
        const char *id;
        long long version_id;
        dx_index_list(r->index, i, &id, &version_id, entries);
        if (version_id == v->version_id)
            return 1;
    }
    return 0;
}

static const char *rcopy(screen_run *r, const char *s, int *ok)
{
    if (!s)
        return NULL;
    char *c = dx_arena_strndup(&r->c.arena, s, strlen(s));
    *ok &= c != NULL;
    return c;
}

/* Each list version the index holds, with its provenance from the store. */
static dx_status on_version(void *ctx, const dx_list_version *v)
{
    screen_run *r = ctx;
    size_t entries;
    if (!screened_version(r, v, &entries))
        return DX_OK;
    dx_report_list *lists = dx_realloc(r->lists, (r->n_lists + 1) * sizeof *lists);
    if (!lists)
        return DX_ERR_NOMEM;
    r->lists = lists;
    char version[32];
    snprintf(version, sizeof version, "%lld", v->version_id);
    int ok = 1;
    lists[r->n_lists] = (dx_report_list){rcopy(r, v->list_id, &ok), rcopy(r, version, &ok),
                                         rcopy(r, v->files, &ok), rcopy(r, v->sha256, &ok),
                                         rcopy(r, v->publication_date, &ok), entries};
    r->n_lists += ok;
    r->c.sum->list_entries += ok ? entries : 0;
    return ok ? DX_OK : DX_ERR_NOMEM;
}

static dx_status open_lists(screen_run *r)
{
    dx_status st = dx_store_open(r->c.opt->db_path, r->c.diags, &r->store);
    if (st == DX_OK)
        st = dx_us_controls_load(r->store, &r->us);
    if (st == DX_OK)
        st = build_index(r);
    if (st == DX_OK && r->index)
        st = dx_store_list_versions(r->store, NULL, on_version, r);
    r->c.sum->lists = r->n_lists;
    return fail(r, DX_SCREEN_STORE, st);
}

/* ---- the run facts and the report ---- */

static const char *const DATA_RULES[][3] = {
    {"DATA-REJECTED-ROW", "A rejected input row", "product.md §3: a missing fact must never "
                                                  "clear a person"},
    {"DATA-WARNING", "A suspicious input row", "input records (docs/records.md)"},
    {"LIST-NONE", "No restricted-party list in the store", "product.md §5"},
};
#define N_DATA_RULES (sizeof DATA_RULES / sizeof DATA_RULES[0])

static dx_status rule_facts(screen_run *r)
{
    size_t n = r->rs ? dx_ruleset_rule_count(r->rs) : 0, nl = dx_screen_list_rule_count();
    r->rules = dx_calloc(n + nl + N_DATA_RULES, sizeof *r->rules);
    if (!r->rules)
        return DX_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        dx_rule_info info;
        if (dx_ruleset_rule_get(r->rs, i, &info) == DX_OK)
            r->rules[r->n_rules++] = (dx_report_rule){info.id, info.title, info.basis};
    }
    for (size_t i = 0; i < nl; i++)
        dx_screen_list_rule(i, &r->rules[r->n_rules++]);
    for (size_t i = 0; i < N_DATA_RULES; i++)
        r->rules[r->n_rules++] = (dx_report_rule){DATA_RULES[i][0], DATA_RULES[i][1],
                                                  DATA_RULES[i][2]};
    return DX_OK;
}

static dx_status input_facts(screen_run *r, size_t *n)
{
    *n = 0;
    if (!r->c.records)
        return DX_OK;
    for (int k = 0; k < DX_REC_KIND_COUNT; k++) {
        const dx_records_file *f = dx_records_file_info(r->c.records, (dx_record_kind)k);
        if (!f || !f->path)
            continue;
        if (dx_screen_file_sha256(f->path, r->input_sha[*n]) != DX_OK)
            r->input_sha[*n][0] = 0;
        r->inputs[*n] = (dx_report_input){f->path, r->input_sha[*n][0] ? r->input_sha[*n] : NULL,
                                          (unsigned long)f->rows_read,
                                          (unsigned long)f->rows_rejected};
        (*n)++;
    }
    return DX_OK;
}

static int wants_report(const dx_screen_options *o)
{
    return o->xlsx_path || o->json_path || o->json_stream || o->csv_path;
}

static dx_status open_report(screen_run *r)
{
    const dx_screen_options *o = r->c.opt;
    size_t n_inputs = 0;
    dx_status st = rule_facts(r);
    if (st == DX_OK)
        st = input_facts(r, &n_inputs);
    time_t now = time(NULL);
    struct tm tm;
    strftime(r->started_at, sizeof r->started_at, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    r->n_inputs = n_inputs;
    if (st != DX_OK || !wants_report(o))
        return fail(r, DX_SCREEN_OUTPUT, st);
    dx_run_facts facts = {r->c.sum->run_id, o->as_of, o->user, dx_version(), r->started_at,
                          r->inputs, n_inputs, r->lists, r->n_lists, r->rules, r->n_rules,
                          r->c.sum->ruleset_hash, o->options_text, NULL, 0};
    dx_report_options ro = {o->xlsx_path, o->json_path, o->json_path ? NULL : o->json_stream,
                            o->csv_path, NULL, 0, 0};
    return fail(r, DX_SCREEN_OUTPUT, dx_report_open(&r->c.report, &ro, &facts, r->c.diags));
}

/* The run's record in the store (audit_int.h): begun before the first result, committed
 * after the outputs are in place. */
static dx_status begin_audit(screen_run *r)
{
    const dx_screen_options *o = r->c.opt;
    dx_audit_run run = {r->c.sum->run_id, o->rescreen ? "rescreen" : "screen", o->as_of,
                        r->started_at, o->user, dx_version(), r->c.sum->ruleset_hash,
                        o->options_text};
    dx_status st = dx_audit_begin(r->store, &run, &r->c.audit);
    for (size_t i = 0; st == DX_OK && i < r->n_inputs; i++) {
        const dx_report_input *in = &r->inputs[i];
        st = dx_audit_input(r->c.audit, in->file, in->sha256, in->rows,
                            in->rows - in->rejected, in->rejected);
    }
    for (size_t i = 0; st == DX_OK && i < r->n_lists; i++)
        st = dx_audit_list(r->c.audit, r->lists[i].list_id,
                           strtoll(r->lists[i].version, NULL, 10));
    return fail(r, DX_SCREEN_STORE, st);
}

/* The counts of a run as JSON, for the run table. */
static dx_status counts_json(const dx_screen_summary *s, dx_strbuf *b)
{
    dx_strbuf_reset(b);
    return dx_strbuf_printf(b, "{\"determinations\":%zu,\"findings\":%zu,\"subjects\":%zu,"
                            "\"needs_attention\":%zu,\"subjects_attention\":%zu,"
                            "\"list_hits\":%zu,\"names_screened\":%zu,\"cleared\":%zu,"
                            "\"reopened\":%zu,\"subjects_changed\":%zu,\"rows_read\":%zu,"
                            "\"rows_rejected\":%zu}",
                            s->determinations, s->findings, s->subjects, s->needs_attention,
                            s->subjects_attention, s->list_hits, s->names_screened, s->cleared,
                            s->reopened, s->subjects_changed, s->rows_read, s->rows_rejected);
}

/* Adds the time since *t0 to *seconds, less what the outputs took meanwhile, and restarts
 * the clock (so that the steps of dx_screen_summary do not overlap). */
static void step_time(screen_run *r, double *seconds, double *t0, double *outputs0)
{
    double t = dx_screen_now();
    *seconds += t - *t0 - (r->c.sum->seconds_outputs - *outputs0);
    *t0 = t;
    *outputs0 = r->c.sum->seconds_outputs;
}

/* ---- a rescreen (rescreen.c makes the plan) ---- */

static dx_status open_rescreen(screen_run *r)
{
    dx_status st = dx_store_open(r->c.opt->db_path, r->c.diags, &r->store);
    if (st == DX_OK)
        st = dx_rescreen_plan_new(r->store, r->c.diags, &r->plan);
    if (st == DX_OK) {
        dx_screen_summary *sum = r->c.sum;
        sum->entries_added = r->plan->added_count, sum->entries_changed = r->plan->changed_count;
        sum->entries_removed = r->plan->removed_count;
        sum->entries_indexed = r->plan->indexed;
        r->index = r->plan->index, r->plan->index = NULL;
        r->c.stored = r->plan->queries, r->c.n_stored = r->plan->n_queries;
        st = dx_store_list_versions(r->store, NULL, on_version, r);
        r->c.sum->lists = r->n_lists;
    }
    return fail(r, st == DX_ERR_NOT_FOUND ? DX_SCREEN_INPUT : DX_SCREEN_STORE, st);
}

/* A recorded list hit whose entry is no longer on its list. */
static dx_status delisted_finding(screen_run *r, const dx_stored_hit *h)
{
    dx_screen_ctx *c = &r->c;
    dx_strbuf_reset(&c->text);
    dx_status st = dx_strbuf_printf(&c->text, "%s entry %s '%s', which matched '%s' (%s), was "
                                    "removed from the list: review and lift the hold it caused",
                                    h->list, h->entry_id, h->entry_name ? h->entry_name : "",
                                    h->matched_name ? h->matched_name : "?",
                                    h->rule ? h->rule : "list hit");
    if (st != DX_OK)
        return st;
    dx_result res = {.kind = DX_RESULT_FINDING, .rule = "LIST-DELISTED", .regime = "LIST",
                     .subject_type = h->subject_type, .subject_id = h->subject_id,
                     .subject_name = h->subject_name, .project_id = h->project_id,
                     .severity = DX_FSEV_LOW, .basis = "the list's new version (lists diff)",
                     .reason = c->text.data, .list = h->list, .entry_id = h->entry_id,
                     .entry_name = h->entry_name, .matched_name = h->matched_name,
                     .score = h->score};
    c->sum->delisted++;
    return dx_screen_emit(c, &res, "delisted");
}

static dx_status produce_rescreen(screen_run *r)
{
    dx_screen_summary *sum = r->c.sum;
    double t0 = dx_screen_now(), out0 = sum->seconds_outputs;
    dx_status st = DX_OK;
    if (r->index)
        st = dx_screen_lists(&r->c, r->index);
    for (size_t i = 0; st == DX_OK && i < r->plan->n_delisted; i++)
        st = delisted_finding(r, &r->plan->delisted[i]);
    step_time(r, &sum->seconds_names, &t0, &out0);
    if (st == DX_OK && r->c.report)
        st = dx_report_close(r->c.report);
    sum->seconds_outputs += dx_screen_now() - t0;
    if (st != DX_OK)
        return fail(r, DX_SCREEN_OUTPUT, st);
    st = counts_json(sum, &r->c.text);
    if (st == DX_OK)
        st = dx_audit_commit(r->c.audit, r->c.text.data);
    return fail(r, DX_SCREEN_STORE, st);
}

/* ---- the whole run ---- */

static dx_status check_options(const dx_screen_options *o, long *as_of)
{
    dx_date d;
    if (!o->as_of || dx_date_parse(o->as_of, strlen(o->as_of), 0, &d) != DX_OK || !d.month)
        return DX_ERR_INVALID;
    *as_of = dx_date_days(d);
    if ((!o->rescreen && (!o->n_inputs || !o->n_rule_paths)) || !o->db_path)
        return DX_ERR_INVALID;
    return wants_report(o) || o->on_result ? DX_OK : DX_ERR_INVALID;
}

/* Steps 5 to 9 of the design comment. */
static dx_status produce(screen_run *r)
{
    const dx_screen_options *o = r->c.opt;
    dx_screen_summary *sum = r->c.sum;
    double t0 = dx_screen_now(), out0 = sum->seconds_outputs;
    dx_status st = dx_list_hits_new(&r->c.hits);
    if (st == DX_OK && r->c.sum->no_lists)
        st = no_lists_finding(&r->c);
    if (st == DX_OK && r->index)
        st = dx_screen_lists(&r->c, r->index);
    step_time(r, &sum->seconds_names, &t0, &out0);
    dx_records_eval_options eo = {r->as_of, o->home_country ? o->home_country : "JP", r->us,
                                  r->c.hits};
    if (st == DX_OK)
        st = dx_rules_eval_records(r->rs, r->c.records, &eo, on_outcome, &r->c);
    if (st == DX_OK)
        st = data_findings(&r->c, r->diag_from, r->diag_to);
    if (st == DX_OK)
        st = subject_summaries(&r->c);
    if (st == DX_OK)
        st = rejected_subjects(&r->c);
    step_time(r, &sum->seconds_rules, &t0, &out0);
    if (st == DX_OK && r->c.report)
        st = dx_report_close(r->c.report);
    sum->seconds_outputs += dx_screen_now() - t0;
    if (st != DX_OK)
        return fail(r, DX_SCREEN_OUTPUT, st);
    st = counts_json(sum, &r->c.text);
    if (st == DX_OK && r->c.audit)
        st = dx_audit_commit(r->c.audit, r->c.text.data);
    return fail(r, DX_SCREEN_STORE, st);
}

static void run_free(screen_run *r)
{
    dx_report_free(r->c.report);
    dx_audit_free(r->c.audit);
    dx_rescreen_plan_free(r->plan);
    dx_strbuf_free(&r->c.reason);
    dx_index_free(r->index);
    dx_list_hits_free(r->c.hits);
    dx_us_controls_free(r->us);
    dx_store_close(r->store);
    dx_ruleset_free(r->rs);
    dx_ruleenv_free(r->env);
    dx_records_free(r->c.records);
    dx_free(r->c.subjects);
    dx_strmap_free(&r->c.subject_ix);
    dx_strbuf_free(&r->c.text);
    dx_strbuf_free(&r->c.text2);
    dx_arena_free(&r->c.arena);
    dx_free(r->lists);
    dx_free(r->rules);
    dx_free(r);
}

dx_status dx_screen_run(const dx_screen_options *options, dx_diags *diags,
                        dx_screen_summary *summary)
{
    memset(summary, 0, sizeof *summary);
    long as_of = 0;
    if (!options || !diags || check_options(options, &as_of) != DX_OK) {
        summary->stage = DX_SCREEN_USAGE;
        return DX_ERR_INVALID;
    }
    screen_run *r = dx_calloc(1, sizeof *r);
    if (!r) {
        summary->stage = DX_SCREEN_INTERNAL;
        return DX_ERR_NOMEM;
    }
    r->c = (dx_screen_ctx){.opt = options, .diags = diags, .sum = summary,
                           .arena = DX_ARENA_INIT, .subject_ix = DX_STRMAP_INIT,
                           .text = DX_STRBUF_INIT, .text2 = DX_STRBUF_INIT,
                           .reason = DX_STRBUF_INIT, .as_of = as_of};
    r->as_of = as_of;
    dx_screen_random_id(summary->run_id);
    double start = dx_screen_now(), t0 = start, out0 = 0;
    dx_status st = DX_OK;
    if (options->rescreen) {
        st = open_rescreen(r);
        step_time(r, &summary->seconds_index, &t0, &out0);
    } else {
        st = compile_rules(r);
        if (st == DX_OK)
            st = read_records(r);
        step_time(r, &summary->seconds_inputs, &t0, &out0);
        if (st == DX_OK)
            st = open_lists(r);
        step_time(r, &summary->seconds_index, &t0, &out0);
        if (st == DX_OK)
            st = fail(r, DX_SCREEN_INTERNAL, init_subjects(&r->c));
    }
    if (st == DX_OK)
        st = open_report(r);
    summary->seconds_outputs += dx_screen_now() - t0;
    if (st == DX_OK)
        st = begin_audit(r);
    if (st == DX_OK)
        st = options->rescreen ? produce_rescreen(r) : produce(r);
    run_free(r);
    summary->seconds_total = dx_screen_now() - start;
    return st;
}

/*
 * bench_report.c — time and peak memory to write the report of a large run (issue 6: 200,000
 * findings in <= 10 s and <= 200 MB), against a baseline measured in the same run.
 *
 *   bench_report OUT_DIR [FINDINGS]
 *
 * The run is synthetic but shaped like a real one: 20,000 subjects; FINDINGS rows on the
 * Findings sheet (three quarters determinations that need attention, in the JP and US
 * matrices and linked from them, one quarter list hits with score explanations); a quarter
 * as many clean determinations again, which go only to the matrices, with their reasons as
 * cell comments; and one subject summary row per subject. Each case runs in a child process
 * so that its peak resident memory (wait4's ru_maxrss) is its own:
 *   baseline   the same FINDINGS rows written as plain CSV with fprintf (no quoting, no
 *              workbook): the cost of merely formatting and writing the text;
 *   workbook   dx_report with -o only;
 *   all three  the workbook, JSON lines and CSV together.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dexcheck/report.h"

#define SUBJECTS 20000
#define PER_SUBJECT 10 /* determinations per subject: 5 in JP, 5 in US */

static long findings = 200000;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char reason[] =
    "Non-resident: entered Japan 2025-11-20, less than 6 months before the as-of date, and not "
    "employed in Japan; the technology is list-controlled (item 7).";
static const char explanation[] =
    "'example' = 'example' 1.00\n'nuclear' = 'nuclear' 1.00\n'inst' ~ 'institute' 0.91";

/* Result j of the run: determinations first (attention, then clean), then list hits. */
static void make_result(long j, dx_result *r, char *ids)
{
    long dets = findings * 3 / 4, clean = findings / 4;
    memset(r, 0, sizeof *r);
    r->score = -1;
    char *fid = ids, *sid = ids + 32, *tid = ids + 64, *name = ids + 96;
    snprintf(fid, 32, "F-%08lx", (unsigned long)j * 2654435761UL % 0xFFFFFFFFUL);
    r->finding_id = fid;
    r->subject_type = "person";
    r->subject_name = name;
    if (j < dets + clean) {
        long s = j / PER_SUBJECT % SUBJECTS, k = j % PER_SUBJECT;
        snprintf(sid, 32, "P%06ld", s);
        snprintf(tid, 32, "T%03ld", (k % 5) * 8 + s % 8);
        snprintf(name, 64, "SURNAME%ld Given 名前", s);
        r->kind = DX_RESULT_DETERMINATION;
        r->regime = k < 5 ? "JP" : "US";
        r->tech_id = tid;
        r->project_id = "PRJ-01";
        static const dx_determination alarm[] = {DX_DET_LICENSE_REQUIRED, DX_DET_NEEDS_REVIEW,
                                                 DX_DET_EXCEPTION_AVAILABLE, DX_DET_PROHIBITED};
        r->determination = j < dets ? alarm[j % 4] : (j % 2 ? DX_DET_EXEMPT : DX_DET_NO_LICENSE_REQUIRED);
        r->rule = "jp.deemed.nonresident";
        r->basis = "FEFTA Art. 25(1); 外為令別表7項";
    } else {
        long s = j % SUBJECTS;
        snprintf(sid, 32, "P%06ld", s);
        snprintf(name, 64, "SURNAME%ld Given 名前", s);
        r->kind = DX_RESULT_FINDING;
        r->regime = "LIST";
        r->severity = DX_FSEV_HIGH;
        r->rule = "list.screen";
        r->basis = "METI End User List";
        r->list = "jp_meti_eul";
        r->entry_id = "EUL-612";
        r->entry_name = "Example Nuclear Institute";
        r->matched_name = "Example Nuclear Inst.";
        r->score = 0.93;
        r->explanation = explanation;
    }
    r->subject_id = sid;
    r->reason = reason;
    r->channel = "foreign students and researchers";
    r->needs_attention = dx_result_needs_attention(r);
}

static long total_results(void)
{
    return findings + findings / 4;
}

/* The baseline: the Findings rows as plain CSV lines. */
static int run_baseline(const char *dir)
{
    char path[512], ids[160];
    snprintf(path, sizeof path, "%s/baseline.csv", dir);
    FILE *fp = fopen(path, "w");
    if (!fp)
        return 1;
    for (long j = 0; j < total_results(); j++) {
        dx_result r;
        make_result(j, &r, ids);
        if (!r.needs_attention)
            continue;
        fprintf(fp, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%.4f\n", r.finding_id, r.regime,
                r.subject_id, r.subject_name, r.tech_id ? r.tech_id : "",
                r.determination ? dx_determination_name(r.determination) : "",
                r.severity ? dx_finding_severity_name(r.severity) : "", r.rule, r.basis, r.reason,
                r.channel, r.list ? r.list : "", r.entry_name ? r.entry_name : "", r.score);
    }
    return fclose(fp) != 0;
}

static int run_report(const char *dir, int all)
{
    char xlsx[512], json[512], csv[512], ids[160];
    snprintf(xlsx, sizeof xlsx, "%s/bench.xlsx", dir);
    snprintf(json, sizeof json, "%s/bench.jsonl", dir);
    snprintf(csv, sizeof csv, "%s/bench.csv", dir);
    dx_report_options opt = {.xlsx_path = xlsx, .json_path = all ? json : NULL,
                             .csv_path = all ? csv : NULL};
    dx_run_facts facts = {.run_id = "bench", .as_of = "2026-04-01", .user = "bench"};
    dx_report *rep = NULL;
    dx_status st = dx_report_open(&rep, &opt, &facts, NULL);
    for (long j = 0; st == DX_OK && j < total_results(); j++) {
        dx_result r;
        make_result(j, &r, ids);
        st = dx_report_add_result(rep, &r);
    }
    for (long s = 0; st == DX_OK && s < SUBJECTS; s++) {
        snprintf(ids, 32, "P%06ld", s);
        dx_subject_summary sub = {"person", ids, "SURNAME Given 名前", "CN",
                                  DX_DET_LICENSE_REQUIRED, DX_FSEV_HIGH,
                                  "A license is required", reason, 1};
        st = dx_report_add_subject(rep, &sub);
    }
    if (st == DX_OK)
        st = dx_report_close(rep);
    dx_report_free(rep);
    if (st != DX_OK)
        fprintf(stderr, "bench_report: %s\n", dx_status_str(st));
    return st != DX_OK;
}

/* Run one case in a child; its wall time and peak RSS (MB). */
static int measure(const char *dir, int which, double *seconds, double *mb)
{
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0)
        _exit(which == 0 ? run_baseline(dir) : run_report(dir, which == 2));
    int status = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) != pid)
        return 1;
    *seconds = now() - t0;
    *mb = (double)ru.ru_maxrss / 1024.0;
    return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return fprintf(stderr, "usage: bench_report OUT_DIR [FINDINGS]\n"), 2;
    if (argc > 2)
        findings = atol(argv[2]) / 4 * 4;
    double t[3], mb[3];
    static const char *const names[] = {"baseline: the same rows as plain CSV (fprintf)",
                                        "workbook (-o)", "workbook + JSON lines + CSV"};
    for (int i = 0; i < 3; i++)
        if (measure(argv[1], i, &t[i], &mb[i]) != 0)
            return fprintf(stderr, "bench_report: case %d failed\n", i), 1;
    printf("  %ld Findings rows (%ld determinations needing attention, %ld list hits), %ld clean "
           "determinations (matrix comments), %d subjects\n", findings, findings * 3 / 4,
           findings / 4, findings / 4, SUBJECTS);
    for (int i = 0; i < 3; i++)
        printf("  %-48s %6.2f s  %7.1f MB peak\n", names[i], t[i], mb[i]);
    printf("  ratio to baseline: workbook %.1fx, all three %.1fx (time); target <= 10 s and "
           "<= 200 MB: %s\n", t[1] / t[0], t[2] / t[0],
           t[1] <= 10 && mb[1] <= 200 ? "met" : "NOT met");
    return 0;
}

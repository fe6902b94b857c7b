#!/bin/sh
# Writes docs/reliability.md (on stdout) from the logs of the last fuzzing campaign and the
# hostile-input measurement kept under BUILD (default build-fuzz):
#   BUILD/fuzz/campaign.txt        what scripts/fuzz.sh printed, with the start and end
#   BUILD/fuzz/fuzz-TARGET.log     libFuzzer's log of each target, ending with fuzz.sh's lines
#   BUILD/hostile.tsv              scripts/reliability-hostile.sh's measurements
#   BUILD/faults.tap               tests/cli/faults.sh's TAP output, with a last line of rounds,
#                                  seconds and date (the recipe at the end shows how)
#   BUILD/valgrind.tap             tests/cli/valgrind.sh's TAP output, with seconds and date
#   build/release/tests/test_audit.tap  the last `make test`'s output of test_audit.c
#                                  (how many failure points its sweeps tried)
# and from the repository: the allocation-failure sweeps of tests/unit (grep for
# dx_alloc_fail_after) and the regression inputs of tests/fuzz/regressions.
# `make reliability` runs it. Nothing is measured here: the figures are those of the logs.
#   scripts/reliability.sh [BUILD] > docs/reliability.md
set -eu
build=${1:-build-fuzz}
logs=$build/fuzz

# What each target reads (tests/fuzz/fuzz_TARGET.c has the details and the invariants).
describe() {
    case $1 in
        csv) echo "CSV reader (src/lib/csvread.c) against a reference parser, any encoding" ;;
        records) echo "records ingest: encoding detection and decoding, CSV, headers, values, cross-file checks" ;;
        import_ofac) echo "OFAC SDN / non-SDN CSV files (import_ofac.c)" ;;
        import_csl_dpl) echo "Consolidated Screening List CSV and BIS Denied Persons text (import_csl.c, import_dpl.c)" ;;
        import_un) echo "UN consolidated list XML (import_un.c, xmlsafe.c)" ;;
        import_dfat_mof) echo "DFAT and Japan MOF xlsx lists (import_au_dfat.c, import_jp_mof.c)" ;;
        import_us_ear) echo "U.S. EAR JSON: CCL, Country Chart, Country Groups, licence exceptions (import_us_ear.c)" ;;
        import_jp_eu) echo "Japan Export Trade Control Order e-Gov XML and EU Annex I JSON" ;;
        xlsx) echo "xlsx reader (xlsx.c, xlsx_table.c) and METI End User List importer" ;;
        match) echo "name matching, both algorithms (match.c, name_norm.c, name_score.c, ofac_score.c)" ;;
        rules) echo "rule compiler (rules_lex/parse/compile.c) and evaluation over records" ;;
        search_file) echo "search batch file (search_file.c): decoder, CSV, columns, then the search" ;;
        review) echo "reviewers' disposition files, CSV in any encoding or the audit workbook's Findings sheets (review_read.c, xlsx.c)" ;;
        *) echo "" ;;
    esac
}

# One value from a log: the last match of an extended regular expression, field N.
last_field() {  # file regex field
    grep -aE "$2" "$1" 2> /dev/null | tail -n 1 | awk -v f="$3" '{print $f}'
}

started=$(sed -n 's/^campaign: started \([^,]*\),.*/\1/p' "$logs/campaign.txt" 2> /dev/null | head -n 1)
ended=$(sed -n 's/^campaign: ended \([^ ]*\).*/\1/p' "$logs/campaign.txt" 2> /dev/null | tail -n 1)
commit=$(sed -n 's/.*built from commit \(.*\)/\1/p' "$logs/campaign.txt" 2> /dev/null | head -n 1)
machine=$(cat "$logs"/fuzz-*.log 2> /dev/null | sed -n 's/^fuzz.sh: machine=//p' | head -n 1)

cat <<EOF
# Reliability

What has been done to make sure dexcheck does not crash, hang or leak on hostile input, with
the figures of the last measurement. **Generated** by \`make reliability\`
(scripts/reliability.sh) from the logs that the last campaign left under \`$build/\`; do not
edit by hand.

Measured from ${started:-?} to ${ended:-?} (UTC) on ${machine:-?} (shared with another build;
the fuzzers ran one at a time under \`nice -n 10\`), with libFuzzer binaries built by clang
with AddressSanitizer and UndefinedBehaviorSanitizer (\`VARIANT=fuzz BUILD_ROOT=build-fuzz\`)
from commit ${commit:-?}.

## Fuzzing (libFuzzer)

Each target was run by \`scripts/fuzz.sh\` (\`make fuzz FUZZ_SECONDS=N\`, or
\`scripts/fuzz.sh build-fuzz/fuzz N TARGET...\` with binaries already built) with
\`-max_len=65536 -rss_limit_mb=2048 -timeout=10\`, starting from its kept corpus
(\`tests/fuzz/corpus/TARGET\`, seeded by \`scripts/fuzz-seed-TARGET.sh\` when empty; the
\`import_*\` corpora hold cuts of ../shared/data and are not committed). New inputs were merged
back into the corpus, which \`make test\` replays through \`replay_TARGET\` together with
\`tests/fuzz/regressions/TARGET\`.

**executions**: inputs run; **corpus**: inputs at the start (after libFuzzer's own reduction)
→ kept after the merge; **cov / ft**: libFuzzer's edge coverage and features at the end;
**findings**: crashes, sanitizer reports, invariant failures (abort), timeouts (> 10 s) and
out-of-memory (> 2 GB) in this campaign; **regressions kept**: inputs in
\`tests/fuzz/regressions/TARGET\`, each a failure found by an earlier campaign and fixed (they
replay cleanly in \`make test\`).

| target | reads | executions | time (s) | exec/s | corpus | cov / ft | peak RSS (MB) | findings | regressions kept |
|---|---|---:|---:|---:|---|---|---:|---:|---:|
EOF

total_execs=0; total_secs=0; total_findings=0; n_targets=0
for log in "$logs"/fuzz-*.log; do
    [ -f "$log" ] || continue
    t=${log##*/fuzz-}; t=${t%.log}
    execs=$(last_field "$log" '^stat::number_of_executed_units:' 2)
    [ -n "$execs" ] || execs=$(grep -aoE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
    secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
    [ -n "$secs" ] || secs=$(sed -n 's/^fuzz.sh: .* seconds=\([0-9]*\).*/\1/p' "$log" | tail -n 1)
    rss=$(last_field "$log" '^stat::peak_rss_mb:' 2)
    start=$(grep -aE 'INITED' "$log" | head -n 1 | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
    kept=$(sed -n 's/^fuzz.sh: .* corpus=\([0-9]*\).*/\1/p' "$log" | tail -n 1)
    cov=$(grep -aE ' cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1 | sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*/\1 \/ \2/p')
    findings=$(grep -ac 'Test unit written to' "$log" || true)
    regs=$(ls "tests/fuzz/regressions/$t" 2> /dev/null | wc -l)
    rate=$( [ -n "$execs" ] && [ -n "$secs" ] && [ "$secs" -gt 0 ] && echo $((execs / secs)) || echo "?")
    printf '| %s | %s | %s | %s | %s | %s → %s | %s | %s | %s | %s |\n' "$t" "$(describe "$t")" \
        "${execs:-?}" "${secs:-?}" "$rate" "${start:-?}" "${kept:-?}" "${cov:-?}" "${rss:-?}" \
        "$findings" "$regs"
    n_targets=$((n_targets + 1))
    total_execs=$((total_execs + ${execs:-0}))
    total_secs=$((total_secs + ${secs:-0}))
    total_findings=$((total_findings + findings))
done
printf '| **all %s targets** | | **%s** | **%s** (%s min) | | | | | **%s** | |\n' "$n_targets" \
    "$total_execs" "$total_secs" "$((total_secs / 60))" "$total_findings"

echo
if [ "$total_findings" -gt 0 ]; then
    echo "Findings of this campaign (the first report of each log):"
    echo
    for log in "$logs"/fuzz-*.log; do
        grep -q 'Test unit written to' "$log" 2> /dev/null || continue
        t=${log##*/fuzz-}; t=${t%.log}
        what=$(grep -aE '^==[0-9]+==ERROR|^SUMMARY|ERROR: libFuzzer|runtime error' "$log" | head -n 1)
        unit=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | head -n 1)
        printf -- '- `%s`: %s (input `%s`)\n' "$t" "$what" "$unit"
    done
    echo
fi
cat <<'EOF'
Review import is fuzzed through its reader of disposition files (the `review` target: CSV and
workbook). Not fuzzed yet: the list download path (src/lib/fetch.c; what it downloads goes
through the importers above) and the command line itself.

## Allocation failures

`dx_alloc_fail_after(n)` (src/lib/alloc.h) makes every allocation of the library after the
n-th fail. These unit tests sweep n from 0 until the path succeeds and require, for every n,
a clean DX_ERR_NOMEM (or the documented status) and no leak: LeakSanitizer in the `san`
variant of `make test`, a heap-usage comparison (mallinfo2) in the release variant. They run
on every `make test`, so their figure is "every allocation of the path, on every run" (except
the screen of test_audit.c, sampled as its row says).

| unit test | path swept (the n-th allocation fails) |
|---|---|
EOF

# How many failure points test_audit.c's three sweeps tried in the last `make test` (they print
# "N failure points"; cmocka's TAP output is kept in build/release/tests/test_audit.tap).
audit_points() {
    tap=build/release/tests/test_audit.tap
    [ -f "$tap" ] || return 0
    set -- $(sed -n 's/^ *\([0-9][0-9]*\) failure points.*/\1/p' "$tap")
    [ $# -eq 3 ] || return 0
    printf '; the last `make test` tried %s, %s and %s failure points (build/release/tests/test_audit.tap)' "$1" "$2" "$3"
}

# The sweeps: every tests/unit file that calls dx_alloc_fail_after with a variable.
sweep_what() {
    case $1 in
        test_country.c) echo "building the country table (dx_countries_new)" ;;
        test_csvread.c) echo "CSV reading, clean and damaged input (dx_csv_read_*)" ;;
        test_encoding.c) echo "encoding detection and decoding, each encoding" ;;
        test_records.c) echo "records ingest: people and assignments, then the whole example folder (dx_records_read_buffer, dx_records_finish)" ;;
        test_import_ofac.c) echo "OFAC SDN import, the four files (dx_import_ofac)" ;;
        test_import_csl.c) echo "CSL import (sample and built file) and DPL import" ;;
        test_import_un.c) echo "UN XML import" ;;
        test_import_dfat_mof.c) echo "DFAT and MOF xlsx import" ;;
        test_import_meti_eul.c) echo "METI End User List xlsx import" ;;
        test_import_us_ear.c) echo "U.S. EAR JSON imports (CCL, chart, groups, exceptions)" ;;
        test_import_jp_eu.c) echo "Export Trade Control Order XML and EU Annex I JSON imports" ;;
        test_xlsx.c) echo "xlsx reader: open and read every sheet (dx_xlsx_open, rows)" ;;
        test_match.c) echo "name matching with explanation (dx_match_names)" ;;
        test_name_norm.c) echo "name normalisation (dx_name_normalize), several scripts" ;;
        test_rules.c) echo "rule compilation and evaluation (dx_ruleset_compile, eval)" ;;
        test_search.c) echo "index build (dx_index_build), one search (dx_index_search), batch search (dx_index_search_batch)" ;;
        test_report.c) echo "report writing: JSON lines + CSV, and the xlsx workbook + JSON lines (dx_report_open/add/close)" ;;
        test_audit.c) echo "screening a folder end to end with the store and the outputs (dx_screen_run: records, rules, index, search, report, audit trail), **sampled**: every allocation up to the 400th, then every k-th (k a 300th of the run's allocations); review import of a CSV (dx_store_open, dx_review_import) and a rescreen after a list change (plan, two reader connections, index, search), every allocation. Each failing run must record nothing (runs and dispositions as before) and leave the previous JSON as it was$(audit_points)" ;;
        test_review_read.c) echo "reading disposition files (dx_review_read_bytes): a clean CSV (UTF-8 with BOM, quoted line breaks), a CSV with every kind of bad value, an edited workbook (dates as numbers, a continuation sheet)" ;;
        *) echo "(not described in scripts/reliability.sh yet)" ;;
    esac
}
for f in $(grep -lE 'dx_alloc_fail_after\([a-z_]+\)' tests/unit/*.c | sort); do
    name=${f##*/}
    printf '| `%s` | %s |\n' "$name" "$(sweep_what "$name")"
done

cat <<'EOF'

The store and screening are swept through test_audit.c: a screen records its run in a real
SQLite store, review import writes dispositions and a rescreen reads the store back. Not swept
yet: importing lists into the store on its own (dx_store_import; the importers' parsers are
swept above, not the SQLite writes) and the rule tests runner.

## Hostile inputs

The record folders of `examples/hostile/` (described in examples/hostile/README.md, whose
expected diagnostics `tests/cli/hostile.sh` checks on every `make test`), run through
`dexcheck records check FOLDER` (release build) by `scripts/reliability-hostile.sh`. **clean**:
exit status 0 (accepted) or 3 (problems reported), no signal, no sanitizer report, within
120 s. Memory is the peak resident set size.

EOF
if [ -f "$build/hostile.tsv" ]; then
    echo '| folder | exit | time (s) | peak RSS (MB) | diagnostic lines | clean |'
    echo '|---|---:|---:|---:|---:|---|'
    tail -n +2 "$build/hostile.tsv" | while IFS="$(printf '\t')" read -r name st secs rss lines clean; do
        mb=$( [ "$rss" != "?" ] && awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }' || echo "?")
        printf '| `%s` | %s | %s | %s | %s | %s |\n' "$name" "$st" "$secs" "$mb" "$lines" "$clean"
    done
else
    echo "(no measurement: run scripts/reliability-hostile.sh DEXCHECK $build/hostile.tsv)"
fi
cat <<'EOF'

The other hostile inputs of issue 8 are covered elsewhere: overlong and invalid UTF-8, NUL
bytes and UTF-16 surrogates by the encoding and records targets above; DTDs, entity expansion
and external entities in list XML by the UN and Export Trade Control Order seeds (a DTD is
refused) and tests/unit/test_import_un.c; zip bombs and path-traversal names in xlsx by
tests/unit/test_xlsx.c and the xlsx target; deeply nested rule expressions by the rules
target.

## Faults

`tests/cli/faults.sh` runs on every `make test`, in both variants (release and ASan/UBSan),
with 8 rounds of each kill loop (`FAULT_ROUNDS`). Its inputs: 1,500 people made by
tests/bench/gen_university.py, a store holding OFAC's tiny17 sample and the UN list, and the
2022 Consolidated Screening List from ../shared/data.

- **`kill -9` during `screen`**, at a random moment within the time an uninterrupted screen
  takes (measured first): after each kill the store passes `PRAGMA integrity_check`, holds no
  half-recorded run and at most one run more than before, and the workbook is the previous one
  byte for byte or a complete new one (openpyxl opens it and finds its Findings sheet). A
  screen after the kills runs normally.
- **`kill -9` during `lists import`** of the CSL: `integrity_check`, every list version with
  all its entries (its entry count equals the entries stored) and never two versions of the
  CSL; the import then completes.
- **`kill -9` during `review import`** of a CSV of real finding ids (up to 2,000 rows, killed
  within 0.3 s): `integrity_check`, and either every row of the file recorded or none.
- **A full disk**, simulated with a file-size limit (`ulimit -f`, SIGXFSZ ignored, so writes
  fail with EFBIG) during a screen: exit status 5, a message saying which output could not be
  written, the previous workbook untouched, no run recorded, the store consistent, and no
  temporary file left beside the outputs. And during the store's own writes: the CSL (about
  20 MB in the store) imported into a small store holding only OFAC's sample, under a limit
  close to that store's size: exit status 3 or 5 with a message saying why, the store
  consistent and holding only its earlier list version, and the same import succeeding once
  there is room.

`tests/cli/valgrind.sh` runs the main commands once under valgrind's memcheck (release build;
the `san` variant skips it, as memcheck and ASan do not mix): `lists import` of OFAC CSV files
and METI's xlsx, `records check` of examples/university (CP932, UTF-16), `screen` with every
output, `review import` of a CSV and of the screen's workbook, `rescreen` and `history`. A
check fails on an unexpected exit status or on any uninitialised read, invalid read or invalid
write in memcheck's log (leaks are LeakSanitizer's part, in the `san` variant). One
suppression, in tests/cli/valgrind.supp: ld.so's 8-byte `strncmp` past the end of rpath
strings when iconv's modules are loaded (glibc, not dexcheck).

EOF

# A TAP file of tests/cli written by the recipe under "Regenerating": its checks as table rows,
# and the line the recipe appended ("# rounds=N seconds=N date=...").
tap_rows() {  # file
    echo '| check | result |'
    echo '|---|---|'
    sed -n 's/^ok [0-9]* - \(.*\)/| \1 | ok |/p; s/^not ok [0-9]* - \(.*\)/| \1 | **not ok** |/p;
            s/^1\.\.0 # SKIP \(.*\)/| (skipped: \1) | skip |/p' "$1"
}
tap_field() {  # file key
    sed -n "s/^# .*$2=\([^ ]*\).*/\1/p" "$1" | tail -n 1
}
if [ -f "$build/faults.tap" ]; then
    f=$build/faults.tap
    printf 'Last measurement (`FAULT_ROUNDS=%s`, release build `%s/release/dexcheck`): %s checks, %s not ok, %s s, ended %s (from `%s`).\n\n' \
        "$(tap_field "$f" rounds)" "$build" "$(grep -c '^ok\|^not ok' "$f")" \
        "$(grep -c '^not ok' "$f")" "$(tap_field "$f" seconds)" "$(tap_field "$f" date)" "$f"
    tap_rows "$f"
else
    echo "(no measurement of the faults: see the recipe below, which writes $build/faults.tap)"
fi
echo
if [ -f "$build/valgrind.tap" ]; then
    f=$build/valgrind.tap
    printf 'Last memcheck run (release build `%s/release/dexcheck`): %s checks, %s not ok, %s s, ended %s (from `%s`).\n\n' \
        "$build" "$(grep -c '^ok\|^not ok' "$f")" "$(grep -c '^not ok' "$f")" \
        "$(tap_field "$f" seconds)" "$(tap_field "$f" date)" "$f"
    tap_rows "$f"
else
    echo "(no memcheck measurement: see the recipe below, which writes $build/valgrind.tap)"
fi

cat <<'EOF'

## Regenerating

```sh
T="csv records import_ofac import_csl_dpl import_un import_dfat_mof import_us_ear import_jp_eu \
   xlsx match rules search_file review"                                # every target
make VARIANT=fuzz BUILD_ROOT=build-fuzz $(for t in $T; do echo build-fuzz/fuzz/fuzz_$t; done)
make VARIANT=release BUILD_ROOT=build-fuzz build-fuzz/release/dexcheck
nice -n 10 scripts/fuzz.sh build-fuzz/fuzz SECONDS $T                    # writes campaign.txt
scripts/reliability-hostile.sh build-fuzz/release/dexcheck build-fuzz/hostile.tsv
s=$(date +%s); FAULT_ROUNDS=20 DEXCHECK=build-fuzz/release/dexcheck sh tests/cli/faults.sh \
    > build-fuzz/faults.tap 2>&1
echo "# rounds=20 seconds=$(($(date +%s) - s)) date=$(date -u +%Y-%m-%dT%H:%MZ)" >> build-fuzz/faults.tap
s=$(date +%s); BUILD=build-fuzz/release DEXCHECK=build-fuzz/release/dexcheck sh tests/cli/valgrind.sh \
    > build-fuzz/valgrind.tap 2>&1
echo "# seconds=$(($(date +%s) - s)) date=$(date -u +%Y-%m-%dT%H:%MZ)" >> build-fuzz/valgrind.tap
make test                        # build/release/tests/test_audit.tap: the sweeps' failure points
make reliability                                                       # this file
```
EOF

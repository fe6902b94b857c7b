#!/bin/sh
# The report writer's benchmark (issue 6): time and peak memory to write 200,000 findings
# with subjects and matrices, against plain CSV written in the same run.
#   scripts/bench-report.sh BUILD [FINDINGS]      (BUILD holds libdexcheck.a)
set -eu
B=$1
N=${2:-${BENCH_FINDINGS:-200000}}
mkdir -p "$B/bench"
CFLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Iinclude"
LIBS="$(pkg-config --libs icu-uc icu-i18n sqlite3 xlsxwriter libxml-2.0 libzip jansson libcurl) -lcsv -pthread"
# shellcheck disable=SC2086
cc $CFLAGS -o "$B/bench/bench_report" tests/bench/bench_report.c "$B/libdexcheck.a" $LIBS
echo "== report writer (issue: 200,000 findings in <= 10 s and <= 200 MB)"
"$B/bench/bench_report" "$B/bench" "$N"
ls -l "$B/bench/bench.xlsx" | awk '{ printf "  workbook: %.1f MB on disk\n", $5 / 1e6 }'
rm -f "$B/bench/bench.xlsx" "$B/bench/bench.jsonl" "$B/bench/bench.csv" "$B/bench/baseline.csv"

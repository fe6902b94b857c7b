#!/bin/sh
# make bench: benchmarks, each with a baseline measured in the same run.
#   scripts/bench.sh BUILD
set -eu
B=$1
mkdir -p "$B/bench"
CFLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Iinclude"
LIBS="$(pkg-config --libs icu-uc icu-i18n sqlite3 xlsxwriter libxml-2.0 libzip jansson) -lcsv -pthread"
# shellcheck disable=SC2086
cc $CFLAGS -o "$B/bench/bench_ingest" tests/bench/bench_ingest.c "$B/libdexcheck.a" $LIBS

ROWS=${BENCH_ROWS:-200000}
people="$B/bench/people-$ROWS.csv"
[ -f "$people" ] || python3 tests/bench/gen_people.py "$ROWS" "$people"
echo "== records ingest (issue: target >= 100 MB/s on one core)"
"$B/bench/bench_ingest" "$people" 5
echo "== the same file through the command line (dexcheck records check --quiet)"
dir="$B/bench/folder"; mkdir -p "$dir"; cp "$people" "$dir/people.csv"
start=$(date +%s.%N)
"$B/dexcheck" records check --quiet "$dir" | tail -1
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "  wall: %.2f s\n", e - s }'

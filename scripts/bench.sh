#!/bin/sh
# make bench: benchmarks, each with a baseline measured in the same run.
#   scripts/bench.sh BUILD
set -eu
B=$1
mkdir -p "$B/bench"
CFLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Iinclude"
LIBS="$(pkg-config --libs icu-uc icu-i18n sqlite3 xlsxwriter libxml-2.0 libzip jansson libcurl) -lcsv -pthread"
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

echo "== lists import: the fullest recent publication of each supported list into a fresh store"
echo "   (issue: target <= 10 s); baseline: reading and hashing the same files (sha256sum)"
L=../shared/data/lists
set -- $L/us_ofac_sdn/2021-07_bench_full/sdn.csv $L/us_ofac_sdn/2021-07_bench_full/add.csv \
       $L/us_ofac_sdn/2021-07_bench_full/alt.csv $L/us_ofac_sdn/2021-07_bench_full/sdn_comments.csv \
       $L/us_ofac_consolidated_non_sdn/2025-12/cons_prim.csv \
       $L/us_ofac_consolidated_non_sdn/2025-12/cons_add.csv \
       $L/us_ofac_consolidated_non_sdn/2025-12/cons_alt.csv \
       $L/us_ofac_consolidated_non_sdn/2025-12/cons_comments.csv \
       $L/us_csl/2022-05_full/consolidated.csv $L/us_bis_dpl/2022-09_bench/dpl.txt \
       $L/un_csl/2026-02/UN_consolidated.xml $L/meti_end_user_list/20250929_4.xlsx \
       $L/au_dfat_consolidated/regulation8_consolidated.xlsx \
       $L/jp_mof_economic_sanctions/shisantouketsu20260305.xlsx
db="$B/bench/lists.db"
rm -f "$db" "$db-wal" "$db-shm"
t0=$(date +%s.%N)
cat "$@" | sha256sum > /dev/null
t1=$(date +%s.%N)
"$B/dexcheck" lists import --db "$db" "$@" > "$B/bench/lists-import.txt" 2> /dev/null
t2=$(date +%s.%N)
sed 's/^/  /' "$B/bench/lists-import.txt"
awk -v a="$t0" -v b="$t1" -v c="$t2" -v mb="$(cat "$@" | wc -c)" 'BEGIN {
    printf "  %.1f MB of list files: import %.2f s; baseline read+hash %.3f s (ratio %.0fx)\n",
           mb / 1e6, c - b, b - a, (c - b) / (b - a) }'

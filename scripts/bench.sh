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

echo "== name search: the 100,000 synthetic negatives against OFAC SDN, CSL, METI EUL and UN"
echo "   (issue: <= 5 s wall and <= 1 GB on 2 cores; >= 100x faster per row than --exhaustive)"
Y=../shared/data/matching/yente/candidate_generation
sdb="$B/bench/search.db"
rm -f "$sdb" "$sdb-wal" "$sdb-shm"
"$B/dexcheck" lists import --db "$sdb" $L/us_ofac_sdn/2021-07_bench_full/sdn.csv \
    $L/us_ofac_sdn/2021-07_bench_full/add.csv $L/us_ofac_sdn/2021-07_bench_full/alt.csv \
    $L/us_ofac_sdn/2021-07_bench_full/sdn_comments.csv $L/us_csl/2022-05_full/consolidated.csv \
    $L/un_csl/2026-02/UN_consolidated.xml $L/meti_end_user_list/20250929_4.xlsx > /dev/null 2>&1
neg="$B/bench/negatives.csv"
python3 - $Y/negatives_global.csv $Y/negatives_us.csv "$neg" <<'PY'
import csv, sys
with open(sys.argv[3], "w", encoding="utf-8", newline="") as out:
    w = None
    for path in sys.argv[1:3]:
        for r in csv.DictReader(open(path, encoding="utf-8")):
            r.pop(None, None)
            if w is None:
                w = csv.DictWriter(out, fieldnames=list(r.keys()) + ["schema"])
                w.writeheader()
            r["schema"] = "person"
            w.writerow(r)
PY
head -201 "$neg" > "$B/bench/negatives-200.csv"
/usr/bin/time -f "%e %M" -o "$B/bench/search.time" "$B/dexcheck" search --db "$sdb" \
    --batch "$neg" > /dev/null 2> "$B/bench/search.err"
"$B/dexcheck" search --db "$sdb" --threads 1 --batch "$B/bench/negatives-200.csv" \
    > /dev/null 2> "$B/bench/search-index.err"
"$B/dexcheck" search --db "$sdb" --threads 1 --exhaustive \
    --batch "$B/bench/negatives-200.csv" > /dev/null 2> "$B/bench/search-exh.err"
python3 - "$B/bench" <<'PY'
import re, sys
d = sys.argv[1]
wall, rss = open(d + "/search.time").read().split()[-2:]
def secs(name):
    return float(re.search(r"searched in ([0-9.]+) s", open(d + "/" + name).read()).group(1))
print("  100,000 rows: %.2f s wall (index build included), peak RSS %.0f MB; searching %.2f s"
      % (float(wall), int(rss) / 1024, secs("search.err")))
ti, te = secs("search-index.err"), secs("search-exh.err")
print("  per row on one thread (200 rows): index %.3f ms, baseline --exhaustive %.1f ms: %.0fx"
      % (ti * 5, te * 5, te / ti))
PY

scripts/bench-report.sh "$B"
scripts/bench-screen.sh "$B"
scripts/bench-rescreen.sh "$B"

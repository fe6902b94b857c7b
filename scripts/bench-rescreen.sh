#!/bin/sh
# The rescreen benchmark (issue 7): 100,000 stored subjects, a list update that changes 1 % of
# the entries, `dexcheck rescreen` against a full `dexcheck screen` of the same records in the
# same run (target: rescreen >= 20x faster).
#   scripts/bench-rescreen.sh BUILD [PEOPLE]
# The records are tests/bench/gen_university.py's (PEOPLE people, 500 technologies, PEOPLE
# access pairs); the lists are OFAC SDN (2021 full file), the CSL (2022), the UN list and METI's
# End User List. The update is a second OFAC SDN publication derived from the first: every
# 100th entry of each list changed (its remarks, which carry the identifiers, edited) — 1 % of
# the SDN entries; the other lists stay as they were.
set -eu
B=$1
P=${2:-100000}
D="$B/bench/university-$P-500-$P"
[ -f "$D/assignments.csv" ] || python3 tests/bench/gen_university.py "$P" 500 "$P" "$D"
L=../shared/data/lists
S=$L/us_ofac_sdn/2021-07_bench_full
db="$B/bench/rescreen.db"
rm -f "$db" "$db-wal" "$db-shm"
"$B/dexcheck" lists import --db "$db" $S/sdn.csv $S/add.csv $S/alt.csv $S/sdn_comments.csv \
    $L/us_csl/2022-05_full/consolidated.csv $L/un_csl/2026-02/UN_consolidated.xml \
    $L/meti_end_user_list/20250929_4.xlsx > /dev/null 2>&1
V2="$B/bench/sdn-v2"
mkdir -p "$V2"
cp $S/add.csv $S/alt.csv $S/sdn_comments.csv "$V2/"
python3 - "$S/sdn.csv" "$V2/sdn.csv" <<'PY'
import sys
rows = open(sys.argv[1], encoding="latin-1", newline="").read().split("\r\n")
out, changed = [], 0
for i, r in enumerate(rows):
    if r and i % 100 == 50:
        if r.endswith('"'):
            r = r[:-1] + '; Passport BENCH%05d."' % i
        else:  # no remarks ("-0- "): give it some
            r = r[: r.rstrip().rfind(",") + 1] + '"Passport BENCH%05d."' % i
        changed += 1
    out.append(r)
open(sys.argv[2], "w", encoding="latin-1", newline="").write("\r\n".join(out))
print("  update: %d of %d SDN entries changed" % (changed, sum(1 for r in rows if r)))
PY
echo "== rescreen: $P stored subjects after a list update changing 1 % of the SDN entries"
echo "   (issue: >= 20x faster than a full screen); baseline: dexcheck screen of the same records"
/usr/bin/time -f "%e %M" -o "$B/bench/full.time" "$B/dexcheck" screen "$D" --db "$db" \
    --as-of 2026-12-01 --json "$B/bench/full.jsonl" > "$B/bench/full.out" 2>&1 || true
"$B/dexcheck" lists import --db "$db" "$V2"/*.csv > /dev/null 2>&1
/usr/bin/time -f "%e %M" -o "$B/bench/rescreen.time" "$B/dexcheck" rescreen --db "$db" \
    --as-of 2026-12-01 --json "$B/bench/rescreen.jsonl" > "$B/bench/rescreen.out" 2>&1 || true
grep -E "entries |lists " "$B/bench/rescreen.out" | sed 's/^/  /'
python3 - "$B/bench" <<'PY'
import sys
d = sys.argv[1]
full, frss = open(d + "/full.time").read().split()[-2:]
re, rrss = open(d + "/rescreen.time").read().split()[-2:]
print("  full screen %.2f s (%.0f MB); rescreen %.2f s (%.0f MB): %.1fx faster"
      % (float(full), int(frss) / 1024, float(re), int(rrss) / 1024, float(full) / float(re)))
PY
grep '^time' "$B/bench/full.out" "$B/bench/rescreen.out" | sed 's/^/  /'
rm -f "$B/bench/full.jsonl" "$B/bench/rescreen.jsonl"

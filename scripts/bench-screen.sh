#!/bin/sh
# The screen's benchmark (issue 5): a generated university of 50,000 people, 2,000
# technologies and 200,000 access pairs (tests/bench/gen_university.py), screened against
# every list and the control data that `make demo` imports (scripts/demo-lists.sh), with JSON
# output; then the same with the Excel workbook. Baseline in the same run: reading and validating the same records
# (`dexcheck records check`), the part of a screen no engine can skip.
#   scripts/bench-screen.sh BUILD [PEOPLE TECHNOLOGIES PAIRS]
set -eu
B=$1
P=${2:-50000} T=${3:-2000} N=${4:-200000}
D="$B/bench/university-$P-$T-$N"
[ -f "$D/assignments.csv" ] || python3 tests/bench/gen_university.py "$P" "$T" "$N" "$D"
db="$B/bench/screen.db"
if [ ! -f "$db" ]; then
    # shellcheck disable=SC2046
    "$B/dexcheck" lists import --db "$db" $(scripts/demo-lists.sh) > /dev/null 2>&1
fi
echo "== screen: $P people, $T technologies, $N access pairs against every list"
echo "   (issue: target <= 10 s on 2 cores); baseline: dexcheck records check of the same folder"
t0=$(date +%s.%N)
"$B/dexcheck" records check --quiet "$D" > /dev/null
t1=$(date +%s.%N)
/usr/bin/time -f "%e %M" -o "$B/bench/screen.time" "$B/dexcheck" screen "$D" --db "$db" \
    --as-of 2026-12-01 --json "$B/bench/screen.jsonl" > "$B/bench/screen.out" 2>&1 || true
/usr/bin/time -f "%e %M" -o "$B/bench/screen-xlsx.time" "$B/dexcheck" screen "$D" --db "$db" \
    --as-of 2026-12-01 -o "$B/bench/screen.xlsx" > "$B/bench/screen-xlsx.out" 2>&1 || true
grep -E "records |lists |^determinations|^findings|^subjects" "$B/bench/screen.out" | sed 's/^/  /'
python3 - "$B/bench" "$t0" "$t1" <<'PY'
import re, sys
d, t0, t1 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
base = t1 - t0
for label, name in (("JSON lines", "screen"), ("Excel workbook", "screen-xlsx")):
    wall, rss = open(f"{d}/{name}.time").read().split()[-2:]
    steps = re.search(r"^time: .*$", open(f"{d}/{name}.out").read(), re.M)
    print("  with %s: %.2f s wall, peak RSS %.0f MB (%.0fx the baseline's %.2f s)"
          % (label, float(wall), int(rss) / 1024, float(wall) / base, base))
    print("    " + (steps.group(0) if steps else "(no time line)"))
PY
rm -f "$B/bench/screen.jsonl" "$B/bench/screen.xlsx"

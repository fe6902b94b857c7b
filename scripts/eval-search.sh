#!/bin/sh
# make eval, part 2: list search measured through `dexcheck search --batch`.
#   1. Recall: the 683 UN persons of positives_un_treated.csv (names and dates changed)
#      searched against the UN list: the right entry in the top 3 at the default threshold.
#      The right entry is the one the untreated name finds at score 1.
#   2. False alerts: the 100,000 synthetic negatives (negatives_global.csv and
#      negatives_us.csv, with nationality and date of birth) against OFAC SDN, the CSL,
#      METI's End User List and the UN list: rows with a match, per 1,000.
#   3. Speed and memory of that batch (wall time, peak RSS), and the index against
#      --exhaustive on a 1,000-row sample: the same matches, and the time per row of each.
#   scripts/eval-search.sh DEXCHECK
set -eu
DX=$1
Y=../shared/data/matching/yente/candidate_generation
L=../shared/data/lists
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/lists.db"
"$DX" lists import --db "$db" \
    $L/us_ofac_sdn/2021-07_bench_full/sdn.csv $L/us_ofac_sdn/2021-07_bench_full/add.csv \
    $L/us_ofac_sdn/2021-07_bench_full/alt.csv $L/us_ofac_sdn/2021-07_bench_full/sdn_comments.csv \
    $L/us_csl/2022-05_full/consolidated.csv $L/un_csl/2026-02/UN_consolidated.xml \
    $L/meti_end_user_list/20250929_4.xlsx > /dev/null 2>&1

echo "== recall: 683 perturbed UN persons against the UN list (issue: >= 99 % in the top 3)"
"$DX" search --db "$db" --list un_sc --limit 20 --batch $Y/positives_un_untreated.csv \
    > "$tmp/untreated.jsonl" 2> /dev/null
"$DX" search --db "$db" --list un_sc --limit 3 --batch $Y/positives_un_treated.csv \
    > "$tmp/treated.jsonl" 2> "$tmp/treated.err"
python3 - "$tmp/untreated.jsonl" "$tmp/treated.jsonl" <<'PY'
import json, sys
un = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
tr = {r["line"]: r for r in (json.loads(l) for l in open(sys.argv[2], encoding="utf-8"))}
found = missing = 0
absent = []
misses = []
for u in un:
    right = {m["entry_id"] for m in u["matches"] if m["name_score"] >= 0.999}
    if not right:
        absent.append(u["query"])
        continue
    t = tr.get(u["line"], {"matches": [], "query": "?"})
    if right & {m["entry_id"] for m in t["matches"][:3]}:
        found += 1
    else:
        missing += 1
        misses.append((u["query"], t["query"], [(m["entry_name"], round(m["score"], 3)) for m in t["matches"][:3]]))
total = found + missing
print("  %d of %d found in the top 3: %.1f %%" % (found, total, 100.0 * found / total))
print("  %d rows not on this UN list version (their untreated name scores 1 nowhere): %s"
      % (len(absent), "; ".join(absent[:5]) + (" ..." if len(absent) > 5 else "")))
for m in misses[:15]:
    print("  missed: %s -> %s: %s" % m)
PY

echo "== false alerts: 100,000 synthetic negatives against OFAC SDN, CSL, METI EUL, UN"
echo "   (issue: <= 1 per 1,000; <= 5 s wall and <= 1 GB on 2 cores)"
python3 - $Y/negatives_global.csv $Y/negatives_us.csv "$tmp/negatives.csv" <<'PY'
import csv, sys
with open(sys.argv[3], "w", encoding="utf-8", newline="") as out:
    w = None
    for path in sys.argv[1:3]:
        for r in csv.DictReader(open(path, encoding="utf-8")):
            if w is None:
                w = csv.DictWriter(out, fieldnames=list(r.keys()) + ["schema"])
                w.writeheader()
            r["schema"] = "person"
            w.writerow(r)
PY
/usr/bin/time -f "%e %M" -o "$tmp/time" "$DX" search --db "$db" --limit 3 \
    --batch "$tmp/negatives.csv" > "$tmp/neg.jsonl" 2> "$tmp/neg.err"
python3 - "$tmp/neg.jsonl" "$tmp/time" "$tmp/neg.err" <<'PY'
import json, sys, collections
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
alerted = [r for r in rows if r["matches"]]
wall, rss = open(sys.argv[2]).read().split()[-2:]
print("  %d rows, %d with a match: %.2f per 1,000" % (len(rows), len(alerted), 1000.0 * len(alerted) / len(rows)))
print("  wall %.2f s (index build included), peak RSS %.0f MB" % (float(wall), int(rss) / 1024))
by = collections.Counter(m["list"] for r in alerted for m in r["matches"][:1])
print("  alerts by list of the best match: " + ", ".join("%s %d" % kv for kv in by.most_common()))
for r in alerted[:8]:
    m = r["matches"][0]
    print("  e.g. %s -> %s (%s, %.3f)" % (r["query"], m["entry_name"], m["list"], m["score"]))
PY

echo "== the index against --exhaustive: the 683 perturbed UN persons at threshold 0.75 against"
echo "   all four lists, and a 1,000-row sample of the negatives (500 of each file)"
for mode in index exhaustive; do
    flag=; [ $mode = exhaustive ] && flag=--exhaustive
    "$DX" search --db "$db" --limit 0 --threshold 0.75 $flag --threads 1 \
        --batch $Y/positives_un_treated.csv > "$tmp/$mode-pos.jsonl" 2> "$tmp/$mode-pos.err"
done
python3 - "$tmp/negatives.csv" "$tmp/sample.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
sample = rows[:500] + rows[50000:50500]
with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    w = csv.DictWriter(out, fieldnames=list(sample[0].keys()))
    w.writeheader()
    w.writerows(sample)
PY
for mode in index exhaustive; do
    flag=; [ $mode = exhaustive ] && flag=--exhaustive
    "$DX" search --db "$db" --limit 0 $flag --threads 1 \
        --batch "$tmp/sample.csv" > "$tmp/$mode-default.jsonl" 2> "$tmp/$mode-default.err"
done
python3 - "$tmp" <<'PY'
import json, sys, re
d = sys.argv[1]
def load(name):
    return [json.loads(l) for l in open("%s/%s.jsonl" % (d, name), encoding="utf-8")]
def secs(name):
    return float(re.search(r"searched in ([0-9.]+) s", open("%s/%s.err" % (d, name)).read()).group(1))
for suffix, label in (("-pos", "UN persons, threshold 0.75"), ("-default", "negatives, default threshold")):
    a, b = load("index" + suffix), load("exhaustive" + suffix)
    diff = 0
    for x, y in zip(a, b):
        sx = {(m["list"], m["entry_id"], round(m["score"], 4)) for m in x["matches"]}
        sy = {(m["list"], m["entry_id"], round(m["score"], 4)) for m in y["matches"]}
        if sx != sy:
            diff += 1
            print("  differs: %s: index %s, exhaustive %s" % (x["query"], sorted(sx - sy), sorted(sy - sx)))
    hits = sum(len(x["matches"]) for x in b)
    ti, te = secs("index" + suffix), secs("exhaustive" + suffix)
    print("  %s: %d rows differ of %d (%d matches); per row: index %.3f ms, exhaustive %.1f ms (%.0fx), one thread (build excluded)"
          % (label, diff, len(a), hits, 1000 * ti / len(a), 1000 * te / len(a), te / ti))
PY

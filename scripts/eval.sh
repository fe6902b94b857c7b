#!/bin/sh
# make eval: name matching measured on ../shared/data/matching through the command line.
#   1. name_bench_cases.csv: precision, recall and F1 of `dexcheck match --pairs` at the
#      default threshold, overall and by schema and quality (reference: an open matcher's
#      frozen scores on the same pairs, P 0.76 / R 0.82 / F1 0.79).
#   2. ofac_sls_parity_fixtures.csv: share of pairs within 5 points of OFAC's own score in
#      --algorithm ofac.
#   scripts/eval.sh DEXCHECK
set -eu
DX=$1
M=../shared/data/matching/nomenklatura
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== name_bench_cases.csv, default algorithm, default threshold"
"$DX" match --pairs $M/name_bench_cases.csv > "$tmp/bench.jsonl"
python3 - "$M/name_bench_cases.csv" "$tmp/bench.jsonl" <<'PY'
import csv, json, sys
cases = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
scores = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert len(cases) == len(scores), (len(cases), len(scores))
def prf(rows):
    tp = sum(1 for c, s in rows if c["is_match"] == "true" and s["match"])
    fp = sum(1 for c, s in rows if c["is_match"] != "true" and s["match"])
    fn = sum(1 for c, s in rows if c["is_match"] == "true" and not s["match"])
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, len(rows)
rows = list(zip(cases, scores))
print("  all:            P %.3f  R %.3f  F1 %.3f  (%d pairs)" % prf(rows))
for key in ("schema", "quality"):
    for value in sorted({c[key] for c in cases}):
        sub = [(c, s) for c, s in rows if c[key] == value]
        print("  %-8s %-14s P %.3f  R %.3f  F1 %.3f  (%d pairs)" % ((key, value) + prf(sub)))
PY

echo "== ofac_sls_parity_fixtures.csv, --algorithm ofac"
python3 - "$M/ofac_sls_parity_fixtures.csv" "$tmp/ofac_pairs.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    w = csv.writer(out)
    w.writerow(["name1", "name2", "ofac_score"])
    for r in rows:
        w.writerow([r["query_name"], r["result_name"], r["ofac_score"]])
PY
"$DX" match --algorithm ofac --pairs "$tmp/ofac_pairs.csv" > "$tmp/ofac.jsonl"
python3 - "$tmp/ofac_pairs.csv" "$tmp/ofac.jsonl" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
scores = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
pairs = [(float(r["ofac_score"]), s["score"] * 100) for r, s in zip(rows, scores)
         if float(r["ofac_score"]) >= 0]
within = sum(1 for o, d in pairs if abs(o - d) <= 5)
print("  %d of %d pairs scored by OFAC within 5 points: %.1f %%; mean |difference| %.2f"
      % (within, len(pairs), 100.0 * within / len(pairs),
         sum(abs(o - d) for o, d in pairs) / len(pairs)))
PY

#!/bin/sh
# Golden end-to-end check: `dexcheck screen examples/university` against a temporary store
# with the real lists (CSL 2022-05, UN 2026-02, METI End User List 2025-09-29) and the U.S.
# control data (CCL, Country Chart, Country Groups) of ../shared/data, with the shipped rules,
# as of 2026-12-01. Every row of tests/golden/university.tsv (case, subject, tech, regime,
# expected; see its header) is one TAP line; a mismatch shows what the JSON lines say (the
# determination, the rule and the reason). TAP output; DEXCHECK is the binary.
. tests/cli/lib/tap.sh
set -u
: "${DEXCHECK:?set DEXCHECK to the dexcheck binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
L=../shared/data/lists
C=../shared/data/controls

"$DEXCHECK" lists import --db "$tmp/store.db" "$L/us_csl/2022-05_full/consolidated.csv" \
    "$L/un_csl/2026-02/UN_consolidated.xml" "$L/meti_end_user_list/20250929_4.xlsx" \
    "$C/us_ear/ccl.json" "$C/us_ear/country-chart.json" "$C/us_ear/country-groups.json" \
    > "$tmp/import.out" 2> "$tmp/import.err"
check "golden: the lists and the control data import" grep -q us_country_groups "$tmp/import.out"

"$DEXCHECK" screen examples/university --db "$tmp/store.db" --rules rules --as-of 2026-12-01 \
    --json "$tmp/results.jsonl" > "$tmp/screen.out" 2> "$tmp/screen.err"
rc=$?
check "golden: screen exits 1 (results need attention)" test "$rc" -eq 1

# One line per expectation: "ok<TAB>description" or "not ok<TAB>description<TAB>detail".
$PY - "$tmp/results.jsonl" tests/golden/university.tsv > "$tmp/golden.txt" <<'PYEOF'
import json, sys
dets, findings = {}, {}
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r.get("kind") == "determination":
        dets.setdefault((r["subject_id"], r["tech_id"], r["regime"]), []).append(r)
    elif r.get("kind") == "finding":
        findings.setdefault(r.get("subject_id"), []).append(r)
for n, row in enumerate(open(sys.argv[2], encoding="utf-8"), 1):
    if not row.strip() or row.startswith("#"):
        continue
    f = row.rstrip("\n").split("\t")
    if len(f) != 5:
        print("not ok\tline %d of the expectations\thas %d columns, not 5" % (n, len(f)))
        continue
    case, subject, tech, regime, want = f
    what = "%s: %s %s %s %s" % (case, subject, tech, regime, want)
    if regime == "LIST":
        rules = sorted({x["rule"] for x in findings.get(subject, []) if x.get("regime") == "LIST"})
        ok = want in rules
        print("ok\t" + what if ok else "not ok\t%s\tLIST findings: %s" % (what, rules or "none"))
        continue
    got = dets.get((subject, tech, regime), [])
    if want == "none":
        ok = not got
    else:
        ok = len(got) == 1 and got[0]["determination"] in want.split("|")
    if ok:
        print("ok\t" + what)
    else:
        detail = "; ".join("%s by %s: %s" % (g["determination"], g["rule"], g["reason"][:200])
                           for g in got) or "no determination"
        print("not ok\t%s\tgot %s" % (what, detail))
PYEOF
check "golden: the expectations were read" test -s "$tmp/golden.txt"
while IFS='	' read -r status what detail; do
    if [ "$status" = ok ]; then
        check "$what" true
    else
        check "$what" false
        echo "#   $detail"
    fi
done < "$tmp/golden.txt"
tap_done

#!/bin/sh
# Seeds the U.S. EAR importers' fuzz corpus with small JSON documents built from a few
# elements of each real file in ../shared/data/controls/us_ear (never copied into the
# repository), each prefixed with the selector byte of its importer (0 us_ccl, 1 chart,
# 2 groups, 3 license exceptions), plus a few hand-made edge cases.
#   scripts/fuzz-seed-import_us_ear.sh OUTDIR
set -eu
out=$1
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/../shared/data/controls/us_ear
mkdir -p "$out"

if [ -d "$dir" ] && command -v python3 > /dev/null; then
    python3 - "$dir" "$out" <<'PY'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]

def load(name):
    with open(os.path.join(src, name), encoding="utf-8") as f:
        return json.load(f)

def seed(name, selector, doc):
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes([selector]) + json.dumps(doc, ensure_ascii=False, indent=1).encode())

ccl = load("ccl.json")
pick = {"3E001", "9E515", "1C351", "2B004", "0A503", "1C350", "1D018"}
entries = [e for e in ccl["entries"] if e["eccn"] in pick]
head = {k: v for k, v in ccl.items() if k != "entries"}
seed("seed-ccl-1", 0, dict(head, entries=entries[:3], entryCount=3))
seed("seed-ccl-2", 0, dict(head, entries=entries[3:]))

chart = load("country-chart.json")
rows = ["China", "Germany", "Seycheles", "Sint Maarten (the Dutch two-fifths of the island of Saint Martin)", "Switzerland"]
doc = {k: v for k, v in chart.items() if k not in ("countries", "procedure", "allDestinationsEntries")}
doc["countries"] = {r: chart["countries"][r] for r in rows}
doc["countryCount"] = len(rows)
seed("seed-chart-1", 1, doc)

groups = load("country-groups.json")
doc = {k: groups[k] for k in ("ecfrIssueDate", "aliases", "labels")}
doc["groups"] = {g: groups["groups"][g][:6] for g in ("A:5", "D:5", "E:1")}
doc["groups"]["B"] = [m for m in groups["groups"]["B"] if m[0] in "CS"]
seed("seed-groups-1", 2, doc)

exc = load("license-exception-catalog.json")
seed("seed-exceptions-1", 3, dict(exc, exceptions=exc["exceptions"][3:6], count=3))
PY
fi

printf '\000{"entries": [{"eccn": "1A001", "heading": "h", "reasonForControl": "MT and AT, CC 1",
 "countryChart": [{"control": "AT applies", "countryChart": "Column 1."}]}, {"eccn": "1A001"}]}' \
    > "$out/seed-hand-1"
printf '\001{"columns": ["NS 1"], "countries": {"Atlantis": {"marks": ["NS 1", "XX 9"],
 "footnotes": [1, "2"]}}, "embargoed": {"Cuba": {"pointer": "See part 746"}}}' > "$out/seed-hand-2"
printf '\002{"groups": {"X": ["Cote d'"'"'lvoire", "", 5]}, "labels": {"X": 1}}' > "$out/seed-hand-3"
printf '\003{"exceptions": [{"symbols": ["A", "B"], "title": "t"}], "ecfrIssueDate": "2026-0x-01"}' \
    > "$out/seed-hand-4"

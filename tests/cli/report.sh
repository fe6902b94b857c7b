#!/bin/sh
# The report writer end to end (dexcheck/report.h), driven by tests/tools/report_fixture from
# the hand-made results of tests/report/sample.jsonl, and read back with independent readers:
# the workbook with python3-openpyxl (tests/report/check_workbook.py: sheets, headers, values,
# the disposition drop-down, freeze panes, filters, the matrix's links and comments, and that
# no cell holds a formula although the fixture is full of formula-like text), JSON lines with
# python3's json module, CSV with its csv module. Also: continuation sheets, atomic
# replacement, and determinism. TAP output; BUILD is the build folder.
. tests/cli/lib/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
FIX="$BUILD/tools/report_fixture"
SAMPLE=tests/report/sample.jsonl
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
CHECK="$PY -W ignore tests/report/check_workbook.py"

"$FIX" "$SAMPLE" -o "$tmp/audit.xlsx" --json "$tmp/audit.jsonl" --csv "$tmp/audit.csv" 2> "$tmp/err"
check "the sample fixture writes a workbook, JSON lines and CSV (exit 0)" test $? -eq 0
for c in sheets findings layout validation no_formulas matrix subjects issues hits lists summary; do
    check "workbook: $c" $CHECK "$tmp/audit.xlsx" $c
done
check "no temporary file is left beside the outputs" sh -c "! ls '$tmp' | grep -q tmp"

check "JSON lines: every line an object with the same 29 keys; 21 lines" $PY -c "
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
keys = list(lines[0])
assert len(lines) == 21 and len(keys) == 29, (len(lines), len(keys))
assert all(list(o) == keys for o in lines)
assert [o['kind'] for o in lines].count('subject') == 6
hit = next(o for o in lines if o['finding_id'] == 'F-list-01')
assert hit['score'] == 0.93 and hit['entry_name'] == '\t=1 Example Nuclear Institute'
assert hit['explanation'].count('\n') == 3
" "$tmp/audit.jsonl"
check "CSV: the JSON keys as columns; formula-like values start with a quote" $PY -c "
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
keys = list(json.loads(open(sys.argv[2], encoding='utf-8').readline()))
assert list(rows[0]) == keys, list(rows[0])
v = next(r for r in rows if r['subject_id'] == 'V3001' and r['kind'] == 'determination')
assert v['subject_name'] == '\'=HYPERLINK(\"http://x\")', v['subject_name']
assert v['reason'].startswith('\'+SUM(A1)'), v['reason']
assert next(r for r in rows if r['subject_id'] == 'V3002')['subject_name'] == '\'-2+3'
" "$tmp/audit.csv" "$tmp/audit.jsonl"

"$FIX" "$SAMPLE" --json - > "$tmp/stdout.jsonl"
check "--json - writes the same lines to standard output" cmp "$tmp/stdout.jsonl" "$tmp/audit.jsonl"

"$FIX" "$SAMPLE" -o "$tmp/again.xlsx"
check "deterministic: the same results and as-of date give the same workbook" $PY -c "
import sys, zipfile
a, b = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2])
assert a.namelist() == b.namelist()
for n in a.namelist():
    assert a.read(n) == b.read(n), n
" "$tmp/audit.xlsx" "$tmp/again.xlsx"

"$FIX" "$SAMPLE" -o "$tmp/small.xlsx" --sheet-rows 4
check "a full Findings sheet continues on Findings (2), (3), and the Summary says so" \
    $CHECK "$tmp/small.xlsx" continued

# 6,000 clean determinations in one regime: the matrix comments the first 5,000 (comments
# are the costliest part of a workbook), the sheet "Clean determinations" has every one
$PY - "$SAMPLE" "$tmp/clean.jsonl" <<'PY'
import json, sys
facts = open(sys.argv[1], encoding="utf-8").readline()
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write(facts)
    for i in range(6000):
        out.write(json.dumps({"type": "result", "kind": "determination",
                              "finding_id": "F-%016x" % i, "rule": "JP-DE-010", "regime": "JP",
                              "subject_type": "person", "subject_id": "P%05d" % (i // 20),
                              "tech_id": "T%02d" % (i % 20), "determination": "no_license_required",
                              "basis": "FEFTA Art. 25(1)", "reason": "resident %d" % i}) + "\n")
PY
"$FIX" "$tmp/clean.jsonl" -o "$tmp/clean.xlsx" > /dev/null
check "6,000 clean determinations: 5,000 matrix comments, all 6,000 on 'Clean determinations'" \
    $PY -W ignore -c "
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
notes = sum(1 for row in wb['Matrix JP'].iter_rows() for c in row if c.comment is not None)
rows = list(wb['Clean determinations'].iter_rows(values_only=True))
assert notes == 5000, notes
assert len(rows) == 6001 and rows[0][0] == 'finding_id', len(rows)
assert rows[6000][8] == 'resident 5999' and rows[6000][5] == 'no_license_required', rows[6000]
" "$tmp/clean.xlsx"

cp "$tmp/audit.xlsx" "$tmp/keep.xlsx"
cp "$tmp/audit.jsonl" "$tmp/keep.jsonl"
"$FIX" "$SAMPLE" -o "$tmp/audit.xlsx" --json "$tmp/audit.jsonl" --abort-after-line 5 2> /dev/null
check "a run that fails part way exits 1" test $? -eq 1
check "... and leaves the previous workbook and JSON untouched" \
    sh -c "cmp -s '$tmp/audit.xlsx' '$tmp/keep.xlsx' && cmp -s '$tmp/audit.jsonl' '$tmp/keep.jsonl'"
check "... and no temporary file" sh -c "! ls '$tmp' | grep -q tmp"
"$FIX" "$SAMPLE" -o "$tmp/no/such/dir/audit.xlsx" 2> "$tmp/err"
rc=$?
check "an output folder that does not exist: exit 1, the path and reason named" \
    sh -c "test $rc -eq 1 && grep -q 'no/such/dir/audit.xlsx: cannot create a temporary file beside it: No such file or directory' '$tmp/err'"
tap_done

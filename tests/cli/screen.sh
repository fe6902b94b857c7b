#!/bin/sh
# `dexcheck screen` end to end: real lists (UN, METI End User List, an OFAC SDN extract)
# imported into a temporary store, examples/university screened with every output, and the
# outputs read back with independent readers (python3-openpyxl for the workbook, python3's
# json and csv modules). Also: exit statuses (1 attention, 3 unreadable input, 4 rule error
# with file:line:col, 0 for a clean folder), stable finding ids across runs, and a store
# without lists. TAP output; DEXCHECK is the binary.
. tests/cli/lib/tap.sh
set -u
: "${DEXCHECK:?set DEXCHECK to the dexcheck binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
L=../shared/data/lists
DB=$tmp/store.db
AS_OF=2026-11-25

"$DEXCHECK" lists import --db "$DB" "$L/un_csl/2026-02/UN_consolidated.xml" \
    "$L/meti_end_user_list/20250929_4.xlsx" "$L"/us_ofac_sdn/2025-05_tiny17/*.csv \
    > "$tmp/import.out" 2> "$tmp/import.err"
check "three lists import into a temporary store" grep -q jp_meti_eul "$tmp/import.out"

screen() { # OUT_PREFIX, more args: runs screen on examples/university; status in $rc
    p=$1; shift
    "$DEXCHECK" screen examples/university --db "$DB" -o "$p.xlsx" --json "$p.jsonl" \
        --csv "$p.csv" --as-of "$AS_OF" "$@" > "$p.out" 2> "$p.err"
    rc=$?
}

screen "$tmp/a"
check "screen of examples/university exits 1 (results need attention)" test "$rc" -eq 1
check "the summary counts records, lists and determinations" sh -c "
grep -q '176 rows read = 176 accepted + 0 rejected' '$tmp/a.out' &&
grep -q '3 lists' '$tmp/a.out' && grep -q '^determinations: ' '$tmp/a.out' &&
grep -q '^needs attention: ' '$tmp/a.out'"
check "nothing is printed on standard error for clean records" test ! -s "$tmp/a.err"

check "workbook: the sheets of product.md §5" $PY -W ignore -c "
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
need = ['Summary', 'Findings', 'Matrix JP', 'Subjects', 'List hits', 'Input issues',
        'Lists and rules']
assert all(s in wb.sheetnames for s in need), wb.sheetnames
" "$tmp/a.xlsx"
check "workbook: the End User List hits of examples/university/README.md" $PY -W ignore -c "
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
rows = list(wb['List hits'].iter_rows(values_only=True))
head = rows[0]
col = lambda r, k: r[head.index(k)]
hits = {(col(r, 'subject_id'), col(r, 'list'), col(r, 'entry_name')) for r in rows[1:]}
for want in [('V26003', 'jp_meti_eul', 'Bentech Computer Corp.'),
             ('V26004', 'jp_meti_eul', 'Bentech Computer Corp.'),
             ('O06', 'jp_meti_eul', 'Bentech Computer Corp.'),
             ('O05', 'jp_meti_eul', 'Raybeam Optronics Co. Ltd.'),
             ('PRJ-03', 'jp_meti_eul', 'Raybeam Optronics Co. Ltd.'),
             ('O09', 'jp_meti_eul', 'Uralvagonzavod')]:
    assert want in hits, (want, hits)
subjects = list(wb['Subjects'].iter_rows(values_only=True))
assert len(subjects) == 56, len(subjects)
" "$tmp/a.xlsx"
check "workbook: no cell is a formula" $PY -W ignore -c "
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb:
    if ws.title.startswith(('Findings', 'Subjects', 'List hits', 'Input issues')):
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != 'f', (ws.title, c.coordinate, c.value)
" "$tmp/a.xlsx"

check "JSON lines: the keys of product.md §5 on every line" $PY -c "
import json, sys
keys = ['kind', 'finding_id', 'rule', 'regime', 'subject_type', 'subject_id', 'subject_name',
        'tech_id', 'project_id', 'determination', 'severity', 'basis', 'reason', 'channel',
        'list', 'entry_id', 'entry_name', 'matched_name', 'score', 'disposition']
lines = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
assert all(all(k in o for k in keys) for o in lines)
kinds = {o['kind'] for o in lines}
assert kinds == {'determination', 'finding', 'subject'}, kinds
assert sum(o['kind'] == 'subject' for o in lines) == 55
d = [o for o in lines if o['kind'] == 'determination']
assert all(o['subject_id'] and o['tech_id'] and o['regime'] in ('JP', 'US', 'EU') for o in d)
assert [o['determination'] for o in d if o['regime'] == 'EU' and o['subject_id'] == 'S500131'] == ['not_controlled']
j1 = [o for o in d if o['subject_id'] == 'E100101' and o['tech_id'] == 'T01']
assert j1 and j1[0]['determination'] == 'license_required', j1
assert not [o for o in d if o['regime'] == 'US' and o['tech_id'] == 'T01']
# U.S. pairs (rules/us): the store here has no Country Chart, Groups or CCL, so what needs them
# is needs_review, never a clean answer; what does not is still decided
us = {(o['subject_id'], o['tech_id']): o for o in d if o['regime'] == 'US'}
assert us[('E400121', 'T10')]['determination'] == 'not_controlled', us[('E400121', 'T10')]
assert us[('S400128', 'T19')]['determination'] == 'exempt'
assert us[('E400122', 'T10')]['determination'] == 'needs_review'
assert us[('E400122', 'T10')]['rule'] == 'US-DE-065'
hit = [o for o in lines if o['regime'] == 'LIST' and o['subject_id'] == 'V26003']
assert hit and hit[0]['severity'] == 'high' and 0 < hit[0]['score'] <= 1, hit
assert hit[0]['rule'] == 'LIST-EUL' and 'concern M' in hit[0]['reason']
ids = [o['finding_id'] for o in lines if o['kind'] != 'subject']
assert len(ids) == len(set(ids)), 'finding ids are unique'
" "$tmp/a.jsonl"
check "CSV: the JSON keys as columns, as many rows as JSON lines" $PY -c "
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
lines = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
assert list(rows[0]) == list(lines[0]) and len(rows) == len(lines)
" "$tmp/a.csv" "$tmp/a.jsonl"

screen "$tmp/b"
check "finding ids are identical across two runs" sh -c "
$PY -c 'import json,sys; [print(json.loads(l)[\"finding_id\"]) for l in open(sys.argv[1])]' \
    '$tmp/a.jsonl' > '$tmp/a.ids' &&
$PY -c 'import json,sys; [print(json.loads(l)[\"finding_id\"]) for l in open(sys.argv[1])]' \
    '$tmp/b.jsonl' > '$tmp/b.ids' && cmp -s '$tmp/a.ids' '$tmp/b.ids'"
check "the run ids of two runs differ" sh -c "
[ \"\$(grep -o 'run [0-9a-f]*' '$tmp/a.out')\" != \"\$(grep -o 'run [0-9a-f]*' '$tmp/b.out')\" ]"

"$DEXCHECK" screen examples/university --db "$DB" --json - --as-of "$AS_OF" \
    > "$tmp/c.jsonl" 2> "$tmp/c.err"
check "--json - writes JSON to standard output and the summary to standard error" sh -c "
grep -q '^determinations: ' '$tmp/c.err' && $PY -c '
import json, sys
[json.loads(l) for l in open(sys.argv[1])]' '$tmp/c.jsonl'"

mkdir -p "$tmp/badrules"
printf 'regulation "x"\nversion "1"\ndate 2026-01-01\nregime JP\n\nrule R-1 "t"\n  applies to access\n  when subject.residenci == "x"\n  then exempt\n  basis "b"\n  reason "r"\n' \
    > "$tmp/badrules/bad.rules"
screen "$tmp/d" --rules "$tmp/badrules"
check "a broken rule folder exits 4" test "$rc" -eq 4
check "the rule error is shown as file:line:col with a caret" sh -c "
grep -q 'bad.rules:8:[0-9]*: error: ' '$tmp/d.err' && grep -q '^ *\\^' '$tmp/d.err'"
check "a rule error writes no output" test ! -e "$tmp/d.xlsx"

screen "$tmp/e" --rules "$tmp/badrules/bad.rules"
check "a broken rule file given by path exits 4" test "$rc" -eq 4

"$DEXCHECK" screen "$tmp/no-such-folder" --db "$DB" --json "$tmp/f.jsonl" --as-of "$AS_OF" \
    > /dev/null 2> "$tmp/f.err"
check "an unreadable record folder exits 3" test $? -eq 3

"$DEXCHECK" screen examples/university --db "$tmp/empty.db" --json "$tmp/g.jsonl" \
    --as-of "$AS_OF" > "$tmp/g.out" 2> "$tmp/g.err"
rc=$?
check "a store without lists: still screened, exit 1, a warning" sh -c "
[ $rc -eq 1 ] && grep -q 'no restricted-party list' '$tmp/g.err' &&
grep -q 'LIST-NONE' '$tmp/g.jsonl' && grep -q '\"determination\"' '$tmp/g.jsonl'"

mkdir -p "$tmp/clean"
printf 'person_id,full_name,citizenships,jp_employed,pledge_date,pledge_answer\nP1,Hanako Yamada,JP,yes,2026-04-01,none\n' \
    > "$tmp/clean/people.csv"
"$DEXCHECK" screen "$tmp/clean" --db "$DB" --json "$tmp/h.jsonl" --as-of "$AS_OF" \
    > "$tmp/h.out" 2> "$tmp/h.err"
check "a folder where nothing needs attention exits 0" test $? -eq 0

mkdir -p "$tmp/rejected"
printf 'person_id,full_name,citizenships,jp_employed\nP1,Hanako Yamada,JP,yes\nP2,Taro Sato,JP,perhaps\n' \
    > "$tmp/rejected/people.csv"
"$DEXCHECK" screen "$tmp/rejected" --db "$DB" --json "$tmp/i.jsonl" --as-of "$AS_OF" \
    > "$tmp/i.out" 2> "$tmp/i.err"
rc=$?
check "a rejected row: exit 1, a DATA finding and needs_review for its subject" sh -c "
[ $rc -eq 1 ] && grep -q 'people.csv:3:' '$tmp/i.err' && $PY -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
data = [o for o in lines if o[\"rule\"] == \"DATA-REJECTED-ROW\"]
assert data and data[0][\"subject_id\"] == \"P2\" and data[0][\"severity\"] == \"medium\"
p2 = [o for o in lines if o[\"kind\"] == \"subject\" and o[\"subject_id\"] == \"P2\"]
assert p2 and p2[0][\"determination\"] == \"needs_review\", p2
' '$tmp/i.jsonl'"

# With the U.S. control data in the store (Country Chart, Country Groups, CCL of ../shared), the
# U.S. pairs of cases.md are decided, and the subject summary gives the I-129 Part 6 answer.
C=../shared/data/controls/us_ear
"$DEXCHECK" lists import --db "$tmp/controls.db" "$C/country-chart.json" "$C/country-groups.json" \
    "$C/ccl.json" > "$tmp/c-import.out" 2> "$tmp/c-import.err"
"$DEXCHECK" screen examples/university --db "$tmp/controls.db" --json "$tmp/u.jsonl" \
    --as-of 2026-12-01 > "$tmp/u.out" 2> "$tmp/u.err"
check "U.S. control data: the U cases of cases.md and the I-129 answer" $PY -c "
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
us = {(o['subject_id'], o['tech_id']): o['determination'] for o in lines
      if o['kind'] == 'determination' and o['regime'] == 'US'}
want = {('E400121', 'T10'): 'not_controlled', ('E400122', 'T10'): 'license_required',
        ('V26005', 'T10'): 'exception_available', ('V26005', 'T11'): 'needs_review',
        ('E400124', 'T10'): 'no_license_required', ('E400125', 'T10'): 'needs_review',
        ('S400126', 'T17'): 'exempt', ('S400126', 'T18'): 'needs_review',
        ('S400126', 'T14'): 'prohibited', ('E400127', 'T12'): 'not_controlled',
        ('S400128', 'T19'): 'exempt', ('E400129', 'T15'): 'prohibited',
        ('V26006', 'T13'): 'exempt', ('E100115', 'T02'): 'needs_review'}
bad = {k: (us.get(k), v) for k, v in want.items() if us.get(k) != v}
assert not bad, bad
u2 = [o for o in lines if o['kind'] == 'subject' and o['subject_id'] == 'E400122']
assert u2 and u2[0]['i129_part6'] == 'licence required; access prevented until licensed', u2
" "$tmp/u.jsonl"

"$DEXCHECK" screen examples/university --db "$DB" --as-of 2026-13-01 > /dev/null 2>&1
check "a bad --as-of is a usage error (2)" test $? -eq 2

tap_done
[ "$failures" -eq 0 ]

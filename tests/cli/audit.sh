#!/bin/sh
# The audit trail end to end (issue 7): runs recorded in the store, a full review cycle
# (screen → review the workbook with openpyxl → review import → screen again), cleared hits
# reopened when their list entry changes, a licence that expires, a list update with changed,
# added and removed entries (rescreen: new hits and delistings), `runs` and `history`, bad
# review files rejected whole, and the store's schema, permissions and integrity.
# The lists are OFAC's tiny17 publication from ../shared/data and a second publication derived
# from it here (one entry removed, one changed, one added). TAP output; DEXCHECK is the binary.
. tests/cli/lib/tap.sh
set -u
: "${DEXCHECK:?set DEXCHECK to the dexcheck binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
T17=../shared/data/lists/us_ofac_sdn/2025-05_tiny17
DB=$tmp/store.db
AS_OF=2026-12-01

# The records: two people named as two SDN entries, one named as the entry the update adds,
# one who matches nothing; each has access to list-controlled technology in Japan.
R=$tmp/records
mkdir -p "$R"
cat > "$R/people.csv" <<'EOF'
person_id,family_name,given_name,date_of_birth,citizenships,role,jp_entry_date,jp_employed,jp_official_status,annual_income,income_currency,pledge_date,pledge_answer,foreign_gov_instructions
P1,LOGAN MOREY,Elvis Angus,1963-07-28,BZ,visiting,2026-10-01,no,none,6000000,JPY,2026-10-01,none,no
P2,MORENO,Daniel,1972-10-12,BZ,visiting,2026-10-01,no,none,6000000,JPY,2026-10-01,none,no
P3,TESTAROSSA,Marcellino,1980-02-02,IT,visiting,2026-10-01,no,none,6000000,JPY,2026-10-01,none,no
P4,YAMADA,Hanako,1990-04-04,JP,faculty,,yes,none,9000000,JPY,2026-04-01,none,no
EOF
cat > "$R/projects.csv" <<'EOF'
project_id,title,pi_person_id,location,fundamental_research,publication_restrictions,foreign_national_restrictions
PRJ1,Resist process,P4,JP,no,no,no
EOF
cat > "$R/technologies.csv" <<'EOF'
tech_id,project_id,description,origin,jp_item,eccn,us_origin,public,basic_science,educational,classification_status
T1,PRJ1,Resist process data,output,7,,no,no,no,no,classified
EOF
cat > "$R/assignments.csv" <<'EOF'
subject_id,tech_id,project_id,access,start_date,end_date
P1,T1,,full,2026-10-01,2027-03-31
P2,T1,,full,2026-10-01,2027-03-31
P3,T1,,full,2026-10-01,2027-03-31
P4,T1,,full,2026-10-01,2027-03-31
EOF
cat > "$R/licenses.csv" <<'EOF'
license_id,authority,kind,exception_code,subject_id,tech_id,jp_item,eccn,country,valid_from,valid_to,conditions
L-BULK,METI,bulk,,,,7,,,2026-01-01,2027-12-31,bulk licence for the university's item 7 research
L-P4,METI,individual,,P4,T1,7,,JP,2026-01-01,2027-12-31,for another person
L-OLD,METI,individual,,P1,T1,7,,BZ,2025-07-01,2026-06-30,expired
EOF

"$DEXCHECK" lists import --db "$DB" "$T17"/*.csv > "$tmp/import1.out" 2>&1
check "OFAC tiny17 imports into a new store" grep -q 'us_ofac_sdn.*17 entries' "$tmp/import1.out"
check "the store is created owner-only (it holds personal data)" \
    sh -c "test \"\$(stat -c %a '$DB')\" = 600"
check "the store has schema version 2" sh -c "test \"\$($PY -c \"import sqlite3; print(sqlite3.connect('$DB').execute('pragma user_version').fetchone()[0])\")\" = 2"

screen() { # NAME, more args: screen the records into $tmp/NAME.{xlsx,jsonl,out}; status in $rc
    p=$tmp/$1; shift
    "$DEXCHECK" screen "$R" --db "$DB" --as-of "$AS_OF" -o "$p.xlsx" --json "$p.jsonl" "$@" \
        > "$p.out" 2> "$p.err"
    rc=$?
}
# jq-like: the value of KEY of the JSON line whose fields match (python)
pick() { # FILE, python condition on d, key
    $PY -c "
import json, sys
for line in open(sys.argv[1], encoding='utf-8'):
    d = json.loads(line)
    if $2:
        print(d.get('$3'))
" "$1"
}

screen s1
check "screen 1 exits 1 (results need attention)" test "$rc" -eq 1
run1=$(sed -n 's/^screen as of .*, run \([0-9a-f]*\)$/\1/p' "$tmp/s1.out")
check "the run id is printed" test ${#run1} -eq 32
check "the run is recorded with its inputs and list versions" sh -c "
[ \"\$($PY -c \"
import sqlite3; c = sqlite3.connect('$DB')
print(c.execute(\\\"select count(*) from run_input where run_id = '$run1'\\\").fetchone()[0],
      c.execute(\\\"select count(*) from run_list where run_id = '$run1'\\\").fetchone()[0],
      c.execute(\\\"select kind from run where run_id = '$run1'\\\").fetchone()[0])\")\" = '5 1 screen' ]"
check "every result of the run is in the store" sh -c "
test \"\$(grep -c '\"kind\":\"determination\"\\|\"kind\":\"finding\"' '$tmp/s1.jsonl')\" -eq \
     \"\$($PY -c \"import sqlite3; print(sqlite3.connect('$DB').execute(\\\"select count(*) from result where run_id='$run1'\\\").fetchone()[0])\")\""
check "subjects are stored with their screened names" sh -c "
test \"\$($PY -c \"import sqlite3; print(sqlite3.connect('$DB').execute('select count(*) from subject where length(queries) > 0').fetchone()[0])\")\" -ge 4"

hitA=$(pick "$tmp/s1.jsonl" "d['subject_id'] == 'P1' and d['regime'] == 'LIST'" finding_id)
hitB=$(pick "$tmp/s1.jsonl" "d['subject_id'] == 'P2' and d['regime'] == 'LIST'" finding_id)
detA=$(pick "$tmp/s1.jsonl" "d['subject_id'] == 'P1' and d['kind'] == 'determination'" finding_id)
detC=$(pick "$tmp/s1.jsonl" "d['subject_id'] == 'P3' and d['kind'] == 'determination'" finding_id)
check "P1 and P2 hit the SDN list, P3 and P4 do not" sh -c "
test -n '$hitA' && test -n '$hitB' &&
! grep '\"regime\":\"LIST\"' '$tmp/s1.jsonl' | grep -q '\"subject_id\":\"P[34]\"'"
check "P1's and P3's determinations are license_required" sh -c "
grep '$detA' '$tmp/s1.jsonl' | grep -q license_required &&
grep '$detC' '$tmp/s1.jsonl' | grep -q license_required"

# ---- a bad review file: nothing of it is recorded ----
cat > "$tmp/bad.csv" <<EOF
finding_id,disposition,reviewer,date,note,license_id
$hitA,false_positive,K. Sato,2026-12-02,different person,
F-0000000000000000,true_match,K. Sato,2026-12-02,,
$hitB,maybe,K. Sato,2026-12-31,,
$detA,cleared_with_licence,K. Sato,2026-13-01,,
EOF
"$DEXCHECK" review import --db "$DB" "$tmp/bad.csv" > "$tmp/bad.out" 2> "$tmp/bad.err"
rc=$?
check "a review file with errors exits 3" test "$rc" -eq 3
check "each error names its file and row (unknown id, bad value, bad date, missing licence)" sh -c "
grep -q 'bad.csv:3:.*F-0000000000000000' '$tmp/bad.err' &&
grep -q 'bad.csv:4:.*maybe' '$tmp/bad.err' && grep -q 'bad.csv:5:.*2026-13-01' '$tmp/bad.err'"
check "and nothing of it is recorded, not even its good row" sh -c "
test \"\$($PY -c \"import sqlite3; print(sqlite3.connect('$DB').execute('select count(*) from disposition').fetchone()[0])\")\" -eq 0"

# ---- the reviewer works in the workbook itself ----
$PY -W ignore - "$tmp/s1.xlsx" "$tmp/reviewed.xlsx" "$hitA" "$hitB" "$detA" "$detC" <<'PY'
import openpyxl, sys
src, dst, hit_a, hit_b, det_a, det_c = sys.argv[1:7]
wb = openpyxl.load_workbook(src)
ws = wb['Findings']
head = [c.value for c in ws[1]]
col = {k: head.index(k) + 1 for k in head}
decisions = {hit_a: ('false_positive', 'K. Sato', '2026-12-02', '', 'born elsewhere'),
             hit_b: ('true_match', 'K. Sato', '2026-12-02', '', 'same passport'),
             det_a: ('cleared_with_licence', 'K. Sato', '2026-12-02', 'L-OLD', ''),
             det_c: ('cleared_with_licence', 'K. Sato', '2026-12-02', 'L-BULK', '')}
seen = set()
for row in range(2, ws.max_row + 1):
    fid = ws.cell(row, col['finding_id']).value
    if fid in decisions:
        d, who, when, lic, note = decisions[fid]
        ws.cell(row, col['disposition']).value = d
        ws.cell(row, col['reviewer']).value = who
        ws.cell(row, col['review_date']).value = when
        ws.cell(row, col['license_id']).value = lic or None
        ws.cell(row, col['note']).value = note or None
        seen.add(fid)
assert seen == set(decisions), (seen, decisions)
wb.save(dst)
PY
"$DEXCHECK" review import --db "$DB" "$tmp/reviewed.xlsx" > "$tmp/rev1.out" 2> "$tmp/rev1.err"
rc=$?
check "review import of the reviewed workbook exits 0" test "$rc" -eq 0
check "it records the four dispositions" grep -q '4 dispositions recorded' "$tmp/rev1.out"
"$DEXCHECK" review import --db "$DB" "$tmp/reviewed.xlsx" > "$tmp/rev2.out" 2> "$tmp/rev2.err"
check "importing the same workbook again records nothing new" grep -q '0 dispositions recorded.*4 unchanged' "$tmp/rev2.out"

# ---- the next screen shows what was cleared ----
screen s2
check "screen 2: the false_positive hit is cleared (who, when) and needs no attention" sh -c "
grep '\"finding_id\":\"$hitA\"' '$tmp/s2.jsonl' | grep -q '\"disposition\":\"false_positive\"' &&
grep '\"finding_id\":\"$hitA\"' '$tmp/s2.jsonl' | grep -q '\"cleared\":true' &&
grep '\"finding_id\":\"$hitA\"' '$tmp/s2.jsonl' | grep -q '\"reviewer\":\"K. Sato\"' &&
grep '\"finding_id\":\"$hitA\"' '$tmp/s2.jsonl' | grep -q '\"needs_attention\":false'"
check "the true_match hit still needs attention" sh -c "
grep '\"finding_id\":\"$hitB\"' '$tmp/s2.jsonl' | grep -q '\"needs_attention\":true'"
check "cleared_with_licence with a valid licence clears the determination" sh -c "
grep '\"finding_id\":\"$detC\"' '$tmp/s2.jsonl' | grep -q '\"cleared\":true'"
check "cleared_with_licence with an expired licence is reopened, with the reason" sh -c "
grep '\"finding_id\":\"$detA\"' '$tmp/s2.jsonl' | grep -q '\"needs_attention\":true' &&
grep '\"finding_id\":\"$detA\"' '$tmp/s2.jsonl' | grep -q 'licence L-OLD expired on 2026-06-30'"
check "the summary counts cleared and reopened results" \
    grep -q 'reviews  2 results cleared by a reviewer.s disposition, 1 reopened' "$tmp/s2.out"
check "the workbook shows the cleared hit as cleared" $PY -W ignore -c "
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1])['Findings']
rows = list(ws.iter_rows(values_only=True))
h = rows[0]
r = [r for r in rows[1:] if r[h.index('finding_id')] == sys.argv[2]][0]
assert r[h.index('status')] == 'cleared', r
assert r[h.index('disposition')] == 'false_positive', r
" "$tmp/s2.xlsx" "$hitA"
# a later decision from a CSV replaces the earlier one: a licence for somebody else does not clear
printf 'finding_id,disposition,reviewer,date,note,license_id\n%s,cleared_with_licence,M. Ito,2026-12-03,second look,L-P4\n' \
    "$detC" > "$tmp/second.csv"
"$DEXCHECK" review import --db "$DB" "$tmp/second.csv" > "$tmp/rev3.out" 2> "$tmp/rev3.err"
check "a CSV review file records its disposition" grep -q '1 dispositions recorded' "$tmp/rev3.out"
screen s2b
check "the latest disposition wins: a licence of another subject does not clear" sh -c "
grep '\"finding_id\":\"$detC\"' '$tmp/s2b.jsonl' | grep -q '\"needs_attention\":true' &&
grep '\"finding_id\":\"$detC\"' '$tmp/s2b.jsonl' | grep -q 'licence L-P4 is for P4, not P3'"
check "an unchanged subject is recognised (no new subject version)" sh -c "
test \"\$($PY -c \"import sqlite3; print(sqlite3.connect('$DB').execute(\\\"select count(*) from subject where subject_id='P1'\\\").fetchone()[0])\")\" -eq 1"

# ---- the list changes: MORENO removed, LOGAN MOREY changed, TESTAROSSA added ----
V2=$tmp/ofac-v2
mkdir -p "$V2"
cp "$T17/add.csv" "$T17/alt.csv" "$T17/sdn_comments.csv" "$V2/"
$PY - "$T17/sdn.csv" "$V2/sdn.csv" <<'PY'
import sys
rows = open(sys.argv[1], encoding='latin-1').read().splitlines()
out = []
for r in rows:
    if r.startswith('15102,'):
        continue                                   # MORENO, Daniel: delisted
    if r.startswith('10278,'):
        r = r.replace('Passport P0017003', 'Passport P0099999')   # changed entry
    out.append(r)
out.append('99001,"TESTAROSSA, Marcellino","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
           '-0- ,"DOB 02 Feb 1980; nationality Italy."')
open(sys.argv[2], 'w', encoding='latin-1', newline='').write('\r\n'.join(out) + '\r\n')
PY
"$DEXCHECK" lists import --db "$DB" "$V2"/*.csv > "$tmp/import2.out" 2>&1
check "the second publication imports as a new version" grep -q '17 entries.*(new)' "$tmp/import2.out"

"$DEXCHECK" rescreen --db "$DB" --as-of "$AS_OF" -o "$tmp/r1.xlsx" --json "$tmp/r1.jsonl" \
    > "$tmp/r1.out" 2> "$tmp/r1.err"
rc=$?
check "rescreen exits 1 (a new hit needs attention)" test "$rc" -eq 1
check "rescreen counts 1 added, 1 changed, 1 removed entry, and indexes only 2" \
    grep -q 'entries  1 added, 1 changed, 1 removed since the last screening; 2 indexed' "$tmp/r1.out"
check "rescreen finds the new hit (P3, the added entry)" sh -c "
grep '\"subject_id\":\"P3\"' '$tmp/r1.jsonl' | grep -q '\"entry_id\":\"99001\"'"
check "rescreen reopens the false_positive on the changed entry, saying why" sh -c "
grep '\"finding_id\":\"$hitA\"' '$tmp/r1.jsonl' | grep -q '\"needs_attention\":true' &&
grep '\"finding_id\":\"$hitA\"' '$tmp/r1.jsonl' | grep -q 'the list entry changed since it was marked false_positive'"
check "rescreen reports the delisting of P2's hit" sh -c "
grep '\"rule\":\"LIST-DELISTED\"' '$tmp/r1.jsonl' | grep -q '\"subject_id\":\"P2\"'"
check "rescreen reports nothing about P4 (no new hit)" sh -c "! grep -q '\"subject_id\":\"P4\"' '$tmp/r1.jsonl'"
check "rescreen writes a readable workbook" $PY -W ignore -c "
import openpyxl, sys; openpyxl.load_workbook(sys.argv[1])['Findings']" "$tmp/r1.xlsx"
"$DEXCHECK" rescreen --db "$DB" --as-of "$AS_OF" --json "$tmp/r2.jsonl" > "$tmp/r2.out" 2>&1
check "a second rescreen with no list change finds nothing new" sh -c "
grep -q 'entries  0 added, 0 changed, 0 removed' '$tmp/r2.out' && test ! -s '$tmp/r2.jsonl' ||
! grep -q '\"kind\":\"finding\"' '$tmp/r2.jsonl'"

# ---- a full screen after the update agrees ----
screen s3
check "screen 3 after the update: P1's hit is reopened (entry changed), P2 has no hit" sh -c "
grep '\"finding_id\":\"$hitA\"' '$tmp/s3.jsonl' | grep -q '\"needs_attention\":true' &&
! grep -q '\"finding_id\":\"$hitB\"' '$tmp/s3.jsonl'"

# ---- runs and history ----
"$DEXCHECK" runs --db "$DB" > "$tmp/runs.out" 2>&1
check "runs lists the 4 screens and 2 rescreens, oldest first" sh -c "
test \"\$(grep -c '  screen  ' '$tmp/runs.out')\" -eq 4 &&
test \"\$(grep -c '  rescreen' '$tmp/runs.out')\" -eq 2 && head -2 '$tmp/runs.out' | grep -q '$run1'"
"$DEXCHECK" history --db "$DB" P1 > "$tmp/hist.out" 2>&1
check "history P1 shows its results in every run and the dispositions, with their source" sh -c "
test \"\$(grep -c '^run ' '$tmp/hist.out')\" -ge 4 && grep -q '^dispositions' '$tmp/hist.out' &&
grep -q 'false_positive.*by K. Sato on 2026-12-02.*reviewed.xlsx (sheet Findings):' '$tmp/hist.out'"
"$DEXCHECK" history --db "$DB" NOBODY > /dev/null 2>&1
check "history of an unknown subject exits 3" test $? -eq 3

check "the store passes PRAGMA integrity_check" sh -c "
$PY -c \"import sqlite3; print(sqlite3.connect('$DB').execute('pragma integrity_check').fetchone()[0])\" | grep -qx ok"

# ---- a store of schema version 1 is migrated ----
V1=$tmp/v1.db
$PY - "$V1" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript("""
CREATE TABLE list_version(version_id INTEGER PRIMARY KEY, list_id TEXT NOT NULL, format TEXT NOT NULL,
 sha256 TEXT NOT NULL, files TEXT NOT NULL, publication_date TEXT, imported_at TEXT NOT NULL,
 entry_count INTEGER NOT NULL DEFAULT 0, name_count INTEGER NOT NULL DEFAULT 0, meta TEXT,
 UNIQUE(list_id, sha256));
CREATE TABLE source_file(version_id INTEGER NOT NULL REFERENCES list_version ON DELETE CASCADE,
 file_name TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL);
CREATE TABLE entry(entry_rowid INTEGER PRIMARY KEY, version_id INTEGER NOT NULL REFERENCES list_version
 ON DELETE CASCADE, entry_id TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
 concern_types INTEGER NOT NULL DEFAULT 0, remarks TEXT, source_url TEXT, start_date TEXT,
 content_hash TEXT NOT NULL, raw TEXT NOT NULL, UNIQUE(version_id, entry_id));
CREATE TABLE entry_name(entry_rowid INTEGER NOT NULL REFERENCES entry ON DELETE CASCADE,
 kind TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE entry_fact(entry_rowid INTEGER NOT NULL REFERENCES entry ON DELETE CASCADE,
 type TEXT NOT NULL, value TEXT NOT NULL, country TEXT NOT NULL);
PRAGMA user_version = 1;""")
c.commit()
PY
"$DEXCHECK" lists import --db "$V1" "$T17"/*.csv > /dev/null 2>&1
check "a version-1 store is migrated to version 2 when opened" sh -c "
test \"\$($PY -c \"import sqlite3; c=sqlite3.connect('$V1'); print(c.execute('pragma user_version').fetchone()[0], c.execute('select count(*) from run').fetchone()[0])\")\" = '2 0'"

tap_done
[ "$failures" -eq 0 ]

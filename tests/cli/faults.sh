#!/bin/sh
# Faults (issues 7 and 8): `kill -9` at random moments during lists import, screen and review
# import, in a loop; after every kill the store passes PRAGMA integrity_check, holds only whole
# runs and whole list versions, and the previous workbook and JSON are intact (byte for byte)
# or replaced by complete new ones. Then a full disk (a file-size limit) during a screen (the
# outputs) and during an import (the store's own writes): a clean error, the store and the old
# outputs untouched.
# Records: tests/bench/gen_university.py (1,500 people); lists: OFAC tiny17, the UN list and the
# 2022 CSL from ../shared/data. TAP output; DEXCHECK is the binary.
. tests/cli/lib/tap.sh
set -u
: "${DEXCHECK:?set DEXCHECK to the dexcheck binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
L=../shared/data/lists
DB=$tmp/store.db
ROUNDS=${FAULT_ROUNDS:-8}
R=$tmp/records
$PY tests/bench/gen_university.py 1500 200 3000 "$R" > /dev/null
q() { $PY -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute(sys.argv[2]).fetchone()[0])" "$DB" "$1"; }
now() { $PY -c 'import time; print(time.time())'; }
# sleep a random fraction of $1 seconds
nap() { $PY -c "import random,time,sys; time.sleep(random.random()*float(sys.argv[1]))" "$1"; }
# run a command in the background and kill -9 it after a random part of $1 seconds
kill_during() {
    span=$1; shift
    "$@" > /dev/null 2>&1 &
    pid=$!
    nap "$span"
    kill -9 "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
}
intact() { [ "$(q 'pragma integrity_check')" = ok ]; }

"$DEXCHECK" lists import --db "$DB" "$L"/us_ofac_sdn/2025-05_tiny17/*.csv \
    "$L/un_csl/2026-02/UN_consolidated.xml" > /dev/null 2>&1
"$DEXCHECK" screen "$R" --db "$DB" --as-of 2026-12-01 -o "$tmp/good.xlsx" --json "$tmp/good.jsonl" \
    > /dev/null 2>&1
check "a first screen writes the workbook and the JSON" test -s "$tmp/good.xlsx"
cp "$tmp/good.xlsx" "$tmp/out.xlsx"
cp "$tmp/good.jsonl" "$tmp/out.jsonl"
t0=$(now)
"$DEXCHECK" screen "$R" --db "$DB" --as-of 2026-12-01 -o "$tmp/probe.xlsx" > /dev/null 2>&1
span=$($PY -c "import sys; print(max(0.2, float(sys.argv[2]) - float(sys.argv[1])))" "$t0" "$(now)")

# ---- screen ----
bad=0
for i in $(seq "$ROUNDS"); do
    runs_before=$(q 'select count(*) from run')
    cp "$tmp/out.xlsx" "$tmp/prev.xlsx"
    kill_during "$span" "$DEXCHECK" screen "$R" --db "$DB" --as-of 2026-12-01 \
        -o "$tmp/out.xlsx" --json "$tmp/out.jsonl"
    intact || { echo "# round $i: integrity_check failed"; bad=1; }
    runs=$(q 'select count(*) from run')
    # a run is there whole (its counts written at commit) or not at all
    [ "$(q "select count(*) from run where counts = '{}'")" = 0 ] || { echo "# round $i: half run"; bad=1; }
    [ "$runs" -ge "$runs_before" ] && [ "$runs" -le $((runs_before + 1)) ] || bad=1
    # the workbook is the previous one, byte for byte, or a complete new one
    if ! cmp -s "$tmp/out.xlsx" "$tmp/prev.xlsx"; then
        $PY -W ignore -c "import openpyxl,sys; openpyxl.load_workbook(sys.argv[1])['Findings']" \
            "$tmp/out.xlsx" 2> /dev/null || { echo "# round $i: workbook broken"; bad=1; }
    fi
done
check "screen killed $ROUNDS times: store consistent, runs whole, workbook old or whole" test "$bad" -eq 0
"$DEXCHECK" screen "$R" --db "$DB" --as-of 2026-12-01 -o "$tmp/after.xlsx" > /dev/null 2>&1
check "a screen after the kills runs normally (exit 1: results need attention)" test $? -eq 1

# ---- lists import ----
bad=0
CSL=$L/us_csl/2022-05_full/consolidated.csv
t0=$(now)
"$DEXCHECK" lists import --db "$tmp/probe.db" "$CSL" > /dev/null 2>&1
ispan=$($PY -c "import sys; print(max(0.2, float(sys.argv[2]) - float(sys.argv[1])))" "$t0" "$(now)")
for i in $(seq "$ROUNDS"); do
    kill_during "$ispan" "$DEXCHECK" lists import --db "$DB" "$CSL"
    intact || { echo "# import round $i: integrity_check failed"; bad=1; }
    # a version is there with all its entries, or not at all
    [ "$(q "select count(*) from list_version v where entry_count <> (select count(*) from entry e where e.version_id = v.version_id)")" = 0 ] ||
        { echo "# import round $i: a half version"; bad=1; }
    [ "$(q "select count(*) from list_version where list_id = 'us_csl'")" -le 1 ] || bad=1
done
check "lists import killed $ROUNDS times: store consistent, no half version" test "$bad" -eq 0
"$DEXCHECK" lists import --db "$DB" "$CSL" > "$tmp/import.out" 2>&1
check "the import then completes (or finds the version already whole)" \
    grep -q 'us_csl.*entries' "$tmp/import.out"

# ---- review import ----
fid=$($PY -c "
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d['kind'] != 'subject' and d['needs_attention']:
        print(d['finding_id']); break" "$tmp/good.jsonl")
$PY - "$tmp/review.csv" "$tmp/good.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[2])]
ids = [d['finding_id'] for d in rows if d['kind'] != 'subject' and d['needs_attention']][:2000]
with open(sys.argv[1], 'w') as f:
    f.write('finding_id,disposition,reviewer,date,note,license_id\n')
    for i in ids:
        f.write('%s,escalated,K. Sato,2026-12-02,checked in the kill loop,\n' % i)
PY
bad=0
for i in $(seq "$ROUNDS"); do
    kill_during 0.3 "$DEXCHECK" review import --db "$DB" "$tmp/review.csv"
    intact || bad=1
    nd=$(q 'select count(*) from disposition')
    # all of the file or none of it (the same file again adds nothing)
    [ "$nd" = 0 ] || [ "$nd" = "$(($(wc -l < "$tmp/review.csv") - 1))" ] ||
        { echo "# review round $i: $nd dispositions"; bad=1; }
done
check "review import killed $ROUNDS times: all of the file or nothing" test "$bad" -eq 0
check "the kill loop was about a real finding id" test -n "$fid"

# ---- a full disk: a file-size limit (SIGXFSZ ignored, so writes fail with EFBIG) ----
rm -f "$tmp"/*.tmp # what the killed screens left (a kill leaves its temporary file)
cp "$tmp/out.xlsx" "$tmp/prev.xlsx"
runs_before=$(q 'select count(*) from run')
sh -c "trap '' XFSZ; ulimit -f 2048; exec \"\$0\" \"\$@\"" "$DEXCHECK" screen "$R" --db "$DB" \
    --as-of 2026-12-01 -o "$tmp/out.xlsx" --json "$tmp/out.jsonl" > "$tmp/full.out" 2> "$tmp/full.err"
rc=$?
check "a screen on a full disk fails with status 5 (storage or output)" test "$rc" -eq 5
check "it says which file could not be written" grep -qi 'write\|space\|large\|output' "$tmp/full.err"
check "the previous workbook is untouched" cmp -s "$tmp/out.xlsx" "$tmp/prev.xlsx"
check "no run was recorded and the store is consistent" sh -c "
test \"\$($PY -c \"import sqlite3; print(sqlite3.connect('$DB').execute('select count(*) from run').fetchone()[0])\")\" -eq $runs_before &&
test \"\$($PY -c \"import sqlite3; print(sqlite3.connect('$DB').execute('pragma integrity_check').fetchone()[0])\")\" = ok"
check "the failed screen leaves no temporary file beside the outputs" \
    sh -c "! ls '$tmp' | grep -q '\\.tmp\$'"

# ---- a full disk during a store write: a large import into a small store at its limit ----
DB2=$tmp/small.db
"$DEXCHECK" lists import --db "$DB2" "$L"/us_ofac_sdn/2025-05_tiny17/*.csv > /dev/null 2>&1
# ulimit -f counts 512-byte blocks in dash (POSIX sh): 1 MB more than the store; the CSL needs ~20
limit=$(( $(stat -c %s "$DB2") / 512 + 2048 ))
sh -c "trap '' XFSZ; ulimit -f $limit; exec \"\$0\" \"\$@\"" "$DEXCHECK" lists import \
    --db "$DB2" "$L/us_csl/2022-05_full/consolidated.csv" > "$tmp/full-import.out" \
    2> "$tmp/full-import.err"
rc=$?
check "an import on a full disk fails (status 3 or 5) and says why" sh -c "
[ $rc -eq 3 ] || [ $rc -eq 5 ]; grep -qi 'large\|full\|disk\|write\|I/O' '$tmp/full-import.err'"
check "the store is consistent and holds only what it held before" sh -c "
[ \"\$($PY -c \"import sqlite3; print(sqlite3.connect('$DB2').execute('pragma integrity_check').fetchone()[0])\")\" = ok ] &&
[ \"\$($PY -c \"import sqlite3; print(sqlite3.connect('$DB2').execute('select count(*) from list_version').fetchone()[0])\")\" = 1 ]"
"$DEXCHECK" lists import --db "$DB2" "$L/us_csl/2022-05_full/consolidated.csv" > /dev/null 2>&1
check "with room again, the same import succeeds" test $? -eq 0

tap_done
[ "$failures" -eq 0 ]

#!/bin/sh
# `dexcheck lists import | status | diff` on real list files from ../shared/data/lists, with a
# fresh store: counts, idempotent re-import, a broken file that changes nothing, an owner-only
# store file, and the diff of two OFAC publications. TAP output; DEXCHECK is the binary.
. tests/cli/lib/tap.sh
L=../shared/data/lists
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
DB=$tmp/store.db
dx() { "$DEXCHECK" "$@" --db "$DB"; }

dx lists import $L/us_ofac_sdn/2025-05_tiny17/sdn.csv $L/us_ofac_sdn/2025-05_tiny17/add.csv \
    $L/us_ofac_sdn/2025-05_tiny17/alt.csv $L/us_ofac_sdn/2025-05_tiny17/sdn_comments.csv \
    > "$tmp/out" 2> "$tmp/err"
check "OFAC tiny17 imports (exit 0)" test $? -eq 0
check "... as one version of us_ofac_sdn with 17 entries" grep -q "us_ofac_sdn .*version 1, 17 entries" "$tmp/out"
check "... marked new" grep -q "(new)" "$tmp/out"
check "the store file is owner-only (0600)" sh -c "stat -c %a '$DB' | grep -qx 600"

dx lists import $L/us_ofac_sdn/2025-05_tiny17/*.csv > "$tmp/out2" 2>&1
check "the same files again: exit 0" test $? -eq 0
check "... already in the store, unchanged" grep -q "already in the store: unchanged" "$tmp/out2"
dx lists status > "$tmp/status1" 2>&1
check "status shows one version" sh -c "grep -c '^us_ofac_sdn' '$tmp/status1' | grep -qx 1"

# A broken file: nothing of it is stored, the store is as it was.
head -c 3000 $L/us_csl/2025-06_tiny13/consolidated.csv > "$tmp/consolidated.csv"
printf '"unclosed' >> "$tmp/consolidated.csv"
dx lists import "$tmp/consolidated.csv" > "$tmp/out3" 2> "$tmp/err3"
check "a truncated CSL file: exit 3" test $? -eq 3
check "... with a diagnostic naming the file" grep -q "consolidated.csv" "$tmp/err3"
dx lists status > "$tmp/status2" 2>&1
check "... and the store unchanged" cmp -s "$tmp/status1" "$tmp/status2"

printf 'this is no list\n' > "$tmp/mystery.txt"
dx lists import "$tmp/mystery.txt" > /dev/null 2> "$tmp/err4"
check "an unrecognised file: exit 3" test $? -eq 3
check "... saying to name the format" grep -q -- "--format" "$tmp/err4"

# Two OFAC publications: 2019 and 2021; the diff lists added, removed and changed entries.
dx lists import $L/us_ofac_sdn/2019_static_full/*.csv > /dev/null 2>&1
check "OFAC 2019 imports" test $? -eq 0
dx lists import $L/us_ofac_sdn/2021-07_bench_full/*.csv > "$tmp/out5" 2>&1
check "OFAC 2021-07 imports: 8,976 entries" grep -q "8976 entries" "$tmp/out5"
dx lists diff us_ofac_sdn 2 3 > "$tmp/diff" 2>&1
check "diff v2 -> v3 exits 0" test $? -eq 0
check "... ends with a count line" grep -qE "^us_ofac_sdn v2 -> v3: [0-9]+ added, [0-9]+ removed, [0-9]+ changed$" "$tmp/diff"
added=$(grep -c '^added ' "$tmp/diff"); removed=$(grep -c '^removed ' "$tmp/diff")
check "... with entries added and removed between 2019 and 2021" test "$added" -gt 0 -a "$removed" -gt 0
dx lists diff us_ofac_sdn 3 3 > "$tmp/diff0" 2>&1
check "a version compared with itself: nothing changed" grep -q "0 added, 0 removed, 0 changed" "$tmp/diff0"
dx lists diff un_sc > /dev/null 2>&1
check "diff of a list with no versions: exit 3" test $? -eq 3
# Control data and the two other xlsx lists, recognised by their published names.
C=../shared/data/controls
dx lists import $C/us_ear/ccl.json $C/us_ear/country-chart.json $C/us_ear/country-groups.json \
    $C/us_ear/license-exception-catalog.json $C/eu_dual_use/annex.json \
    $C/jp/324CO0000000378_20260214_507CO0000000376.xml \
    $L/au_dfat_consolidated/regulation8_consolidated.xlsx \
    $L/jp_mof_economic_sanctions/shisantouketsu20260305.xlsx > "$tmp/ctl" 2>&1
check "control data and DFAT/MOF import: exit 0" test $? -eq 0
check "... CCL: 633 ECCNs" grep -q "^us_ccl .*633 entries" "$tmp/ctl"
check "... Country Chart: 196 destinations + the 4 embargoed ones" grep -q "^us_country_chart .*200 entries" "$tmp/ctl"
check "... Country Groups: 14 groups" grep -q "^us_country_groups .*14 entries" "$tmp/ctl"
check "... licence exceptions: 28" grep -q "^us_license_exceptions .*28 entries" "$tmp/ctl"
check "... Export Trade Control Order: 17 items + 3 country sets" grep -q "^jp_export_order .*20 entries, .*published 2026-02-14" "$tmp/ctl"
check "... EU Annex I: 384 entries" grep -q "^eu_annex_i .*384 entries" "$tmp/ctl"
check "... DFAT: 3,062 parties" grep -q "^au_dfat .*3062 entries" "$tmp/ctl"
check "... MOF: 2,862 parties" grep -q "^jp_mof .*2862 entries" "$tmp/ctl"
check "the Country Chart's file-level data (all-destinations ECCNs) is kept with its version" \
    sh -c "python3 -c \"import sqlite3,sys; m=sqlite3.connect(sys.argv[1]).execute(\\\"SELECT meta FROM list_version WHERE list_id='us_country_chart'\\\").fetchone()[0]; sys.exit(0 if '0A983' in m and 'allDestinationsEntries' in m else 1)\" '$DB'"
tap_done

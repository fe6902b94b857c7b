#!/bin/sh
# Uninitialised reads (issue 8): AddressSanitizer and UBSan do not see a read of memory that
# was never written, so the main commands run once under valgrind's memcheck, on the release
# build (memcheck and ASan do not mix: the san variant skips this file). A memcheck error makes
# the command exit 99. Lists: OFAC tiny17 and METI's End User List (xlsx); the rest of the
# parsers are covered by their fuzz targets under ASan.
# TAP output; DEXCHECK is the binary, BUILD its folder.
. tests/cli/lib/tap.sh
set -u
: "${DEXCHECK:?set DEXCHECK to the dexcheck binary}"
case "${BUILD:-}" in
*/san) echo "1..0 # SKIP memcheck runs on the release build only"; exit 0 ;;
esac
if ! command -v valgrind > /dev/null 2>&1; then
    echo "1..0 # SKIP valgrind is not installed (scripts/install-deps.sh installs it)"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
L=../shared/data/lists
VG="valgrind -q --error-exitcode=99 --suppressions=tests/cli/valgrind.supp --log-file=$tmp/vg.%p.log"
DB=$tmp/store.db
memcheck() { # DESCRIPTION, EXPECTED-STATUSES (e.g. "0 1"), COMMAND...
    what=$1 ok=$2; shift 2
    # shellcheck disable=SC2086
    $VG "$@" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    check "memcheck: $what (status $rc, no error)" sh -c "
case ' $ok ' in *' $rc '*) ;; *) exit 1 ;; esac
! grep -q 'uninitialised\\|Invalid read\\|Invalid write' $tmp/vg.*.log 2>/dev/null"
    rm -f "$tmp"/vg.*.log
}

memcheck "lists import of OFAC CSV and the METI xlsx" "0" "$DEXCHECK" lists import --db "$DB" \
    "$L"/us_ofac_sdn/2025-05_tiny17/*.csv "$L/meti_end_user_list/20250929_4.xlsx"
memcheck "records check of examples/university (CP932, UTF-16)" "0" \
    "$DEXCHECK" records check examples/university
memcheck "screen of examples/university with every output" "1" "$DEXCHECK" screen \
    examples/university --db "$DB" --as-of 2026-12-01 -o "$tmp/a.xlsx" --json "$tmp/a.jsonl" \
    --csv "$tmp/a.csv"
fid=$(sed -n 's/.*"finding_id":"\(F-[0-9a-f]*\)".*"regime":"LIST".*/\1/p' "$tmp/a.jsonl" | head -1)
printf 'finding_id,disposition,reviewer,date,note,license_id\n%s,false_positive,K. Sato,2026-12-02,,\n' \
    "$fid" > "$tmp/review.csv"
memcheck "review import of a CSV" "0" "$DEXCHECK" review import --db "$DB" "$tmp/review.csv"
memcheck "review import of the workbook" "0" "$DEXCHECK" review import --db "$DB" "$tmp/a.xlsx"
memcheck "rescreen" "0 1" "$DEXCHECK" rescreen --db "$DB" --as-of 2026-12-01 --json "$tmp/r.jsonl"
memcheck "history" "0" "$DEXCHECK" history --db "$DB" E100101
tap_done
[ "$failures" -eq 0 ]

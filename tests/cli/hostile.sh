#!/bin/sh
# hostile.sh — `dexcheck records check` on the hostile record folders of examples/hostile/
# (see examples/hostile/README.md for what each one holds and what must be reported).
#
# For every folder: it finishes within 20 seconds, does not crash (exit status < 128, nothing
# from AddressSanitizer / UBSan / LeakSanitizer on stderr), exits 3 when rows are rejected and
# 0 when there are only warnings, prints each expected diagnostic at its exact file:line:col
# with its key words, and prints the totals line with the exact counts, which reconcile
# (rows read = accepted + rejected, in the totals and in every file's line).
#
# Prints TAP. Run by tests/run.sh with DEXCHECK set to the binary (release or sanitizer build)
# from the repository root; uses only sh, timeout, grep, sed and awk.
. tests/cli/lib/tap.sh
set -u

: "${DEXCHECK:?set DEXCHECK to the dexcheck binary}"
H=examples/hostile
[ -d "$H" ] || { echo "Bail out! $H not found: run from the repository root"; exit 1; }
tmp=${TMPDIR:-/tmp}/dexcheck-hostile.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
out=$tmp/out
err=$tmp/err
LIMIT=20 # seconds


# run ARGS...: `dexcheck records check ARGS` under timeout; stdout in $out, stderr in $err,
# exit status in $rc (124 when it was stopped at the time limit).
run() {
    timeout "$LIMIT" "$DEXCHECK" records check "$@" > "$out" 2> "$err"
    rc=$?
}

status_is() { [ "$rc" -eq "$1" ]; }
finished() { [ "$rc" -ne 124 ] && [ "$rc" -ne 137 ]; }
no_crash() { [ "$rc" -lt 128 ]; }
no_sanitizer_report() {
    ! grep -q -e AddressSanitizer -e LeakSanitizer -e 'runtime error' "$err"
}
err_empty() { [ ! -s "$err" ]; }
out_has_fixed() { grep -q -F -e "$1" "$out"; }
out_lacks_fixed() { ! grep -q -F -e "$1" "$out"; }

# has_diag PREFIX WORD...: a line of stdout starts with PREFIX and contains every WORD.
has_diag() {
    prefix=$1; shift
    LC_ALL=C awk -v p="$prefix" -v words="$(printf '%s\037' "$@")" '
        BEGIN { nw = split(words, w, "\037") - 1 }
        index($0, p) == 1 {
            ok = 1
            for (i = 1; i <= nw; i++) if (index($0, w[i]) == 0) ok = 0
            if (ok) found = 1
        }
        END { exit !found }' "$out"
}

# count_diags PREFIX N: exactly N lines of stdout start with PREFIX.
count_diags() {
    c=$(LC_ALL=C awk -v p="$1" 'index($0, p) == 1 { c++ } END { print c + 0 }' "$out")
    [ "$c" -eq "$2" ]
}

# The totals line: "N file(s), R rows read = A accepted + J rejected; E error(s), W warning(s)".
totals_line() { grep -E '^[0-9]+ files?, [0-9]+ rows? read = ' "$out" | tail -n 1; }
totals_are() { totals_line | grep -q -E -e ", $1 rows? read = $2 accepted \+ $3 rejected; "; }
totals_reconcile() {
    set -- $(totals_line | sed -n \
        's/^[0-9]* files*, \([0-9]*\) rows* read = \([0-9]*\) accepted + \([0-9]*\) rejected; .*/\1 \2 \3/p')
    [ $# -eq 3 ] && [ "$1" -eq $(($2 + $3)) ]
}
# Every file line ("  people.csv  UTF-8 (detected)  3 rows  2 accepted  1 rejected")
# reconciles, and the files add up to the totals.
files_reconcile() {
    t=$(totals_line | sed -n \
        's/^[0-9]* files*, \([0-9]*\) rows* read = \([0-9]*\) accepted + \([0-9]*\) rejected; .*/\1 \2 \3/p')
    [ -n "$t" ] || return 1
    sed -n 's/.* \([0-9][0-9]*\) rows* *\([0-9][0-9]*\) accepted *\([0-9][0-9]*\) rejected.*/\1 \2 \3/p' "$out" |
        LC_ALL=C awk -v t="$t" '
        { if ($1 != $2 + $3) bad = 1; R += $1; A += $2; J += $3 }
        END { split(t, x, " "); exit bad || R != x[1] || A != x[2] || J != x[3] }'
}
errors_are() { totals_line | grep -q -E "; $1 errors?, "; }
warnings_are() { totals_line | grep -q -E ", $1 warnings?$"; }


# folder NAME STATUS READ ACCEPTED REJECTED [OPTION...]: runs records check on the folder and
# checks what every hostile folder must satisfy. $d is the folder's path, for diag().
folder() {
    name=$1 want=$2 r=$3 a=$4 j=$5
    shift 5
    d=$H/$name
    label="$name${1:+ ($*)}"
    run "$@" "$d"
    check "$label: finishes within $LIMIT s" finished
    check "$label: does not crash (exit status $rc < 128)" no_crash
    check "$label: no sanitizer report on stderr" no_sanitizer_report
    check "$label: nothing on stderr" err_empty
    check "$label: exit status $want" status_is "$want"
    check "$label: totals say $r rows read = $a accepted + $j rejected" totals_are "$r" "$a" "$j"
    check "$label: totals reconcile (read = accepted + rejected)" totals_reconcile
    check "$label: every file's counts reconcile and add up to the totals" files_reconcile
}

# diag LOC SEVERITY CODE WORD...: the diagnostic "$d/LOC: SEVERITY: ..." with every WORD.
# CODE (the library's diagnostic code; not printed) names it in the TAP line.
diag() {
    loc=$1 sev=$2 code=$3
    shift 3
    check "$name: $loc: $sev $code: $*" has_diag "$d/$loc: $sev: " "$@"
}

# ---- encodings ----------------------------------------------------------------------------

folder enc-cp932-invalid 3 6 4 2
check "$name: people.csv is read as CP932" has_diag "  people.csv " "CP932 (detected)"
diag people.csv:4:4 error encoding.invalid "byte FD at byte offset 140 cannot be decoded as CP932"
diag people.csv:5:4 error encoding.invalid "byte 81 at byte offset 169 cannot be decoded as CP932"
check "$name: the comma after the stray lead byte is kept (line 5 is not ragged)" \
    count_diags "$d/people.csv:5" 1

folder enc-utf8-invalid 3 6 4 2
check "$name: people.csv is read as UTF-8" has_diag "  people.csv " "UTF-8 (detected)"
diag people.csv:4:4 error encoding.invalid "byte FF at byte offset 152 cannot be decoded as UTF-8"
diag people.csv:5:4 error encoding.invalid "bytes E3 81 at byte offset 179 cannot be decoded as UTF-8"

folder enc-truncated 3 7 5 2
diag people.csv:5:5 error encoding.truncated "the file ends inside a UTF-8 character (byte offset 185)"
diag visitors.csv:4:5 error encoding.truncated "the file ends inside a CP932 character (byte offset 141)"

folder enc-utf16-surrogate 3 5 3 2
check "$name: people.csv is read as UTF-16LE" has_diag "  people.csv " "UTF-16LE with BOM"
check "$name: visitors.csv is read as UTF-16BE" has_diag "  visitors.csv " "UTF-16BE with BOM"
diag people.csv:3:2 error encoding.invalid "bytes 00 D8 at byte offset 148 cannot be decoded as UTF-16LE"
diag people.csv:4:3 error encoding.invalid "bytes 00 DC at byte offset 206 cannot be decoded as UTF-16LE"
check "$name: the valid surrogate pair in visitors.csv is accepted" out_lacks_fixed "$d/visitors.csv:"

folder enc-garbage 3 0 0 0
diag people.csv error encoding.undecodable "more than 10000 byte sequences cannot be decoded" \
    "in the encoding detected"
check "$name: the file line says it could not be decoded" has_diag "  people.csv " "not decodable"
for e in utf-8:UTF-8 utf-16le:UTF-16LE utf-16be:UTF-16BE cp932:CP932 euc-jp:EUC-JP \
         gb18030:GB18030 cp1252:CP1252 latin-1:ISO-8859-1; do
    opt=${e%%:*} shown=${e#*:}
    folder enc-garbage 3 0 0 0 --encoding "$opt"
    diag people.csv error encoding.undecodable \
        "more than 10000 byte sequences cannot be decoded as $shown: the file is not in that encoding"
done

# 10,000 errors at the end of one 1 MB row: reported in one pass over the row (the time
# limit catches a return of the quadratic rescan this folder once exposed).
folder enc-many-errors 3 1 0 1
diag people.csv:2:23 error encoding.invalid "byte 81 at byte offset 1008070 cannot be decoded as UTF-8"
diag people.csv:2:23 error encoding.invalid "byte 81 at byte offset 1028068 cannot be decoded as UTF-8"
check "$name: all 10000 errors are printed" \
    count_diags "$d/people.csv:2:23: error: byte 81 at" 10000
check "$name: totals count 10000 errors" errors_are 10000

folder nul-bytes 3 6 4 2
check "$name: visitors.csv is read as CP932" has_diag "  visitors.csv " "CP932 (detected)"
diag people.csv:3:2 error encoding.nul "NUL character at byte offset 69"
diag visitors.csv:3:4 error encoding.nul "NUL character at byte offset 109"

# ---- CSV syntax ---------------------------------------------------------------------------

folder csv-ragged 3 5 2 3
diag people.csv:3 error records.ragged-row "the row has 2 fields; the header has 4"
diag people.csv:4 error records.ragged-row "the row has 6 fields; the header has 4"
diag people.csv:5 error records.ragged-row "the row has 5 fields; the header has 4"

folder csv-quotes 3 7 4 3
diag people.csv:3:2 error csv.stray-quote 'a quote (") inside field 2, which is not quoted'
diag people.csv:4:2 error csv.text-after-quote "text follows the closing quote of field 2"
diag people.csv:6:2 error csv.unclosed-quote "field 2 opens a quote that is never closed"
check "$name: the correctly quoted comma on line 5 is accepted" out_lacks_fixed "$d/people.csv:5"
check "$name: the rows after the unclosed quote (lines 7, 8) are accepted" \
    out_lacks_fixed "$d/people.csv:7"

# A quote left open on line 4 runs into the quoted field of line 6 and is followed by text
# there: the row of line 4 is rejected as ending on line 4, and lines 5 and 6 are read again as
# rows of their own, so nothing between is lost (6 = 5 + 1).
folder csv-unclosed-quote 3 6 5 1
diag people.csv:4:2 error csv.text-after-quote "field 2 opens a quote that runs on to line 6"
check "$name: the quoted comma of line 6 (\"Doe, Jr.\") is read again and accepted" \
    out_lacks_fixed "$d/people.csv:6"

folder csv-huge-field 3 6 4 2
diag people.csv:3:2 error csv.field-too-long "field 2 is 1048576 bytes long; the limit is 65536 bytes"
# A too-long field is reported where its row starts, like every row problem.
check "$name: visitors.csv:3:2: the two-line 80,001-byte field is reported where its row starts" \
    has_diag "$d/visitors.csv:3:2: error: " "field 2 is 80001 bytes long; the limit is 65536 bytes"

folder csv-wide-row 3 3 2 1
diag people.csv:3:1025 error csv.too-many-fields "the row has 100000 fields; the limit is 1024"

folder line-endings 3 8 6 2
diag people.csv:5:4 error value.date "date_of_birth '1990-13-01' is not a valid date"
diag visitors.csv:5:4 error value.date "date_of_birth '1972-02-30' is not a valid date"

folder blank-lines 3 3 2 1
diag people.csv:5:4 error value.unknown-country "unknown country 'Atlantis'"
check "$name: the blank line and the all-empty row are not reported" count_diags "$d/" 1

# ---- values -------------------------------------------------------------------------------

folder formula-like 0 6 6 0
diag people.csv:2:2 warning value.formula-like "family_name begins with '='" "never as a formula"
diag people.csv:3:2 warning value.formula-like "family_name begins with '+'"
# "-2+3" is a formula to a spreadsheet: any leading '-' in a text column is flagged.
diag people.csv:4:2 warning value.formula-like "family_name begins with '-'"
diag people.csv:5:2 warning value.formula-like "family_name begins with '@'"
diag people.csv:6:4 warning value.formula-like "department begins with '='"
# Each item of a list column (aliases, collaborators, ...) is checked too.
diag visitors.csv:2:4 warning value.formula-like "aliases begins with '='"

folder bad-values 3 18 5 13
diag people.csv:3:4 error value.date "date_of_birth '1990-02-30' is not a valid date"
diag people.csv:4:7 error value.yes-no "jp_employed 'maybe' is not yes or no"
diag people.csv:5:8 error value.amount "annual_income '12.5k' is not an amount"
diag people.csv:6:6 error value.unknown-country "unknown country 'Atlantis'"
diag people.csv:7:6 error value.ambiguous-country "'Congo' could mean" "CD (" "CG ("
diag people.csv:8:9 error value.currency "income_currency 'YENS' is not a currency code"
diag people.csv:9:5 error value.word "gender 'Q' is not one of: M, F, X"
diag people.csv:10:10 error value.word "role 'wizard' is not one of:" "faculty"
diag technologies.csv:3:4 error value.jp-item "jp_item '17' is not an item"
diag technologies.csv:4:5 error value.eccn "eccn '3Z001' is not an ECCN"
diag technologies.csv:5:6 error value.reason "'XYZ9' is not a reason for control"
diag technologies.csv:6:7 error value.concern "'Q' is not a concern type"
diag organizations.csv:3:4 error value.owners "the owners' shares add up to 110.00 %, more than 100 %"
check "$name: owners adding up to exactly 100 % are accepted" out_lacks_fixed "$d/organizations.csv:4"

# ---- cross-file ---------------------------------------------------------------------------

folder cross-file 3 19 9 10
diag people.csv:4 error records.duplicate-id "id 'P1' is already used at $d/people.csv:2"
diag visitors.csv:3 error records.duplicate-id "id 'P2' is already used at $d/people.csv:3"
diag technologies.csv:3 error records.unknown-reference "project 'PR404' is not in projects.csv"
diag assignments.csv:3 error records.unknown-subject \
    "subject 'NOBODY' is not in people.csv or visitors.csv"
diag assignments.csv:4 error records.unknown-reference "technology 'T999' is not in technologies.csv"
diag assignments.csv:5 error records.assignment-target \
    "an assignment names exactly one of tech_id and project_id"
diag assignments.csv:6 error records.end-before-start \
    "end_date 2025-01-01 is before start_date 2025-12-31"
diag funding.csv:3 error records.funding-without-income "'P2' has funding but no annual_income"
diag funding.csv:4 error records.currency-mismatch \
    "funding in EUR, but the annual_income of 'P1' is in JPY"
diag organizations.csv:3 error records.unknown-reference \
    "organization 'O99' is not in organizations.csv"
check "$name: exactly 10 errors" errors_are 10

# ---- headers and files --------------------------------------------------------------------

folder header-missing-column 3 3 0 3
diag people.csv:1 error records.missing-column "the required column 'person_id' is missing"
check "$name: exactly one error, at the header" errors_are 1

folder header-duplicate-column 3 2 0 2
diag people.csv:1:4 error records.duplicate-column "column 'Person ID' means person_id, like column 1"
diag people.csv:1:5 error records.duplicate-column "means family_name, like column 2"

folder header-unknown-column 0 2 2 0
diag people.csv:1 warning records.unknown-columns "unknown column kept as it is" "'shoe_size'"
check "$name: one warning and no error" warnings_are 1

folder empty-file 0 0 0 0
diag people.csv warning records.empty "the file is empty: no header and no rows"
diag visitors.csv warning records.empty "the file is empty: no header and no rows"
check "$name: a header without rows is not a problem" out_lacks_fixed "$d/projects.csv:"
check "$name: three files are counted" has_diag "3 files, " "0 rows read"

folder unknown-file 0 1 1 0
diag staff.csv warning records.unknown-file "not a record file name; ignored"
diag people.txt warning records.unknown-file "not a record file name; ignored"
check "$name: only people.csv is read" has_diag "1 file, " "1 row read"

tap_done
[ "$failures" -eq 0 ]

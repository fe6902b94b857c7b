#!/bin/sh
# `dexcheck rules check` and `dexcheck rules test`: the shipped rules compile; every error of
# every file is reported in one pass as file:line:col with the source line and a caret; exit
# statuses (0, 4, 2); and the rule test files of tests/rules/ pass. TAP output.
. tests/cli/lib/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$DEXCHECK" rules check rules > "$tmp/check.out" 2>&1
check "rules check: the shipped rules compile (exit 0)" test $? -eq 0
check "rules check: summary names the rules" grep -q 'rules, .* parameters: no errors' "$tmp/check.out"

cat > "$tmp/a.rules" <<'RULES'
regulation "test"
version "1"
date 2026-01-01
regime JP
rule A-1 "typo"
  applies to access
  when subject.jp_entry_dat is known
  then exempt
  basis "b"
  reason "r"
RULES
cat > "$tmp/b.rules" <<'RULES'
regulation "test"
version "1"
date 2026-01-01
regime JP
rule B-1 "bad word"
  applies to access
  when true
  then licence_required
  basis "b"
  reason "r"
RULES
"$DEXCHECK" rules check "$tmp" > "$tmp/bad.out" 2>&1
check "rules check: a rule error exits 4" test $? -eq 4
check "rules check: file:line:col: error: for the first file" \
    grep -q "a.rules:7:16: error: subject has no fact or conclusion 'jp_entry_dat'" "$tmp/bad.out"
check "rules check: ... and the second file in the same pass" \
    grep -q "b.rules:8:8: error: unknown determination 'licence_required'" "$tmp/bad.out"
check "rules check: the source line is shown" grep -q '^      when subject.jp_entry_dat is known$' "$tmp/bad.out"
check "rules check: a caret under the column" grep -q '^                   ^$' "$tmp/bad.out"
check "rules check: a hint for a misspelt name" grep -q "hint: did you mean 'jp_entry_date'?" "$tmp/bad.out"
check "rules check: the error count" grep -q '^2 errors; the rules cannot be used$' "$tmp/bad.out"

"$DEXCHECK" rules check "$tmp/missing.rules" > /dev/null 2>&1
check "rules check: an unreadable path exits 4" test $? -eq 4
"$DEXCHECK" rules frobnicate > /dev/null 2>&1
check "rules: an unknown action exits 2" test $? -eq 2
"$DEXCHECK" rules check --nope > /dev/null 2>&1
check "rules: an unknown option exits 2" test $? -eq 2

"$DEXCHECK" rules test tests/rules/*.test > "$tmp/test.out" 2>&1
check "rules test: every rule test passes" test $? -eq 0
check "rules test: TAP lines and a summary" grep -q ' passed, 0 failed$' "$tmp/test.out"

cat > "$tmp/fail.test" <<'TEST'
rules ../../../work/none
as-of 2026-12-01
case a wrong expectation
file a.rules
regulation "t"
version "1"
date 2026-01-01
regime JP
rule R-1 "all" applies to access when true then exempt basis "b" reason "r"
end
file people.csv
person_id,full_name
P1,A
end
file technologies.csv
tech_id,project_id
T1,PR1
end
file projects.csv
project_id
PR1
end
file assignments.csv
subject_id,tech_id,access
P1,T1,full
end
expect P1/T1 JP license_required
TEST
"$DEXCHECK" rules test "$tmp/fail.test" > "$tmp/fail.out" 2>&1
check "rules test: a failed expectation exits 4" test $? -eq 4
check "rules test: ... shown as not ok with what was found" grep -q '^#   got exempt by R-1: r$' "$tmp/fail.out"
"$DEXCHECK" rules --help | grep -q 'rules check' 
check "rules --help describes check" test $? -eq 0
tap_done

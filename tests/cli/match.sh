#!/bin/sh
# `dexcheck match`: one pair, --json, --pairs with a schema column, the OFAC algorithm, and
# usage errors. TAP output; DEXCHECK is the binary.
. tests/cli/lib/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$DEXCHECK" match "PUTIN, Vladimir Vladimirovich" "Владимир Путин" > "$tmp/one" 2>&1
check "a list-form name against its Cyrillic form: exit 0" test $? -eq 0
check "... is a match, with the word pairs explained" sh -c "head -1 '$tmp/one' | grep -q '^match (score' && grep -q \"'putin' ~ 'putin'\" '$tmp/one'"
"$DEXCHECK" match "International Trading Co" "Global Trading Co" > "$tmp/two" 2>&1
check "generic words do not make a match (exit 0 all the same)" sh -c "test \$? -eq 0 && head -1 '$tmp/two' | grep -q '^no match'"
"$DEXCHECK" match --json --algorithm ofac "GEORGE BUSH" "BUSH, George" > "$tmp/ofac" 2>&1
check "--algorithm ofac --json: one JSON object with score 1" grep -q '^{"name1":"GEORGE BUSH","name2":"BUSH, George","score":1.0000,"match":true,"explanation":' "$tmp/ofac"
printf 'name1,name2,schema,note\n"Acme Trading Co., Ltd.",Acme Trading Company Limited,Company,x\nJohn Smith,Jon Smyth,person,y\nA,B,Vessel,z\n' > "$tmp/pairs.csv"
"$DEXCHECK" match --pairs "$tmp/pairs.csv" > "$tmp/pairs.out" 2>&1
check "--pairs: exit 0" test $? -eq 0
check "... one JSON line per pair, in order" sh -c "test \$(grep -c '^{\"name1\"' '$tmp/pairs.out') -eq 3 && head -1 '$tmp/pairs.out' | grep -q 'Acme Trading Co., Ltd.'"
printf 'name1,name2,schema\nA,B,planet\n' > "$tmp/bad.csv"
"$DEXCHECK" match --pairs "$tmp/bad.csv" > /dev/null 2> "$tmp/bad.err"
check "an unknown schema is reported with its file:line:column" grep -q "bad.csv:2:3: error: unknown schema 'planet'" "$tmp/bad.err"
"$DEXCHECK" match "only one name" > /dev/null 2>&1
check "one name only: usage error (exit 2)" test $? -eq 2
"$DEXCHECK" match --threshold 2 a b > /dev/null 2>&1
check "a threshold outside 0..1: usage error (exit 2)" test $? -eq 2
tap_done

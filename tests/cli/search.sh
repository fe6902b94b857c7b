#!/bin/sh
# `dexcheck search`: one name (readable and --json), --limit, --threshold, --country, --dob,
# --exhaustive, usage errors, an empty store, and --batch FILE.csv in UTF-8, UTF-16 and CP932
# with a bad date reported by file:line:column. The OFAC SDN extract tiny17 and the CSL extract
# tiny13 from ../shared/data are imported into a temporary store. TAP output; DEXCHECK is the
# binary.
. tests/cli/lib/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
data=../shared/data/lists
sdn=$data/us_ofac_sdn/2025-05_tiny17
db="$tmp/store.db"

"$DEXCHECK" lists import --db "$db" "$sdn/sdn.csv" "$sdn/add.csv" "$sdn/alt.csv" \
    "$sdn/sdn_comments.csv" "$data/us_csl/2025-06_tiny13/consolidated.csv" > "$tmp/import" 2>&1
check "the tiny17 and tiny13 lists import" test $? -eq 0

# json_ok FILE PYTHON-EXPRESSION: every line of FILE is JSON and the expression over the list
# of parsed lines `docs` is true.
json_ok() {
    python3 - "$1" "$2" <<'PY'
import json, sys
docs = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
sys.exit(0 if docs and eval(sys.argv[2]) else 1)
PY
}

"$DEXCHECK" search --db "$db" "TNK Trading International S.A." > "$tmp/one" 2> "$tmp/one.err"
check "search NAME: exit 0" test $? -eq 0
check "... a heading with the count, the name and the threshold" \
    grep -q "^1 match for 'TNK Trading International S.A.' at 0\.[0-9][0-9] or more" "$tmp/one"
check "... one hit at 1.000 naming both sources (the CSL row repeats OFAC 28603)" \
    sh -c "grep -q '^1.000  us_' '$tmp/one' && grep -q 'us_ofac_sdn 28603' '$tmp/one' && grep -q 'us_csl' '$tmp/one'"
check "... explained: the listed name, the word pairs, the final score" \
    sh -c "grep -q \"matched listed name 'TNK Trading International S.A.'\" '$tmp/one' && grep -q \"'tnk' ~ 'tnk'\" '$tmp/one' && grep -q 'final score 1.000' '$tmp/one'"

"$DEXCHECK" search --db "$db" "Zebulon Quartermaine" > "$tmp/none" 2>&1
check "a name that matches nothing: exit 0, 0 matches" \
    sh -c "test $? -eq 0 && grep -q '^0 matches for' '$tmp/none'"

"$DEXCHECK" search --db "$db" --json "khoroshev dmitry" > "$tmp/json" 2> "$tmp/json.err"
check "--json: exit 0" test $? -eq 0
check "... parses, with query and matches" json_ok "$tmp/json" \
    'len(docs) == 1 and docs[0]["query"] == "khoroshev dmitry" and len(docs[0]["matches"]) == 1'
check "... each match has list, entry_id, entry_name, matched_name, score, explanation" \
    json_ok "$tmp/json" 'all(k in m for m in docs[0]["matches"] for k in ("list", "entry_id", "entry_name", "matched_name", "score", "explanation"))'
check "... the OFAC entry in list form, its score in (0.77, 1) and explained" json_ok "$tmp/json" \
    '[m for m in docs[0]["matches"] if m["list"] == "us_ofac_sdn" and m["entry_id"] == "48603" and m["entry_name"] == "KHOROSHEV, Dmitry Yuryevich" and 0.77 <= m["score"] < 1 and "final score" in m["explanation"]]'

"$DEXCHECK" search --db "$db" --json --threshold 0 --limit 0 "Iris Makran Trading" > "$tmp/many" 2>&1
check "--threshold 0 --limit 0: every party, best first" json_ok "$tmp/many" \
    '[m["score"] for m in docs[0]["matches"]] == sorted([m["score"] for m in docs[0]["matches"]], reverse=True) and len(docs[0]["matches"]) >= 20 and docs[0]["matches"][0]["entry_id"] == "40716"'
"$DEXCHECK" search --db "$db" --json --threshold 0 --limit 2 "Iris Makran Trading" > "$tmp/lim" 2>&1
check "--limit 2: the first two of them" python3 -c "
import json, sys
a = json.load(open('$tmp/many'))['matches']; b = json.load(open('$tmp/lim'))['matches']
sys.exit(0 if len(b) == 2 and [m['entry_id'] for m in b] == [m['entry_id'] for m in a[:2]] else 1)"
"$DEXCHECK" search --db "$db" --json --threshold 0 "Iris Makran Trading" > "$tmp/lim10" 2>&1
check "no --limit: at most 10" json_ok "$tmp/lim10" 'len(docs[0]["matches"]) == 10'
"$DEXCHECK" search --db "$db" --json --threshold 0.95 "khoroshev dmitry" > "$tmp/high" 2>&1
check "--threshold 0.95: the 0.91 hit is left out" json_ok "$tmp/high" 'docs[0]["matches"] == []'
"$DEXCHECK" search --db "$db" --json "Khoroshev Dmitri Yurevich" > "$tmp/fast" 2>&1
"$DEXCHECK" search --db "$db" --json --exhaustive "Khoroshev Dmitri Yurevich" > "$tmp/exh" 2>&1
check "--exhaustive: the same matches as the index" python3 -c "
import json, sys
a = json.load(open('$tmp/fast'))['matches']; b = json.load(open('$tmp/exh'))['matches']
sys.exit(0 if a and a == b else 1)"

"$DEXCHECK" search --db "$db" --json --dob 1993-04-17 --country RU "khoroshev dmitry" > "$tmp/ev" 2>&1
check "--dob and --country accepted; the same date of birth adds 0.03" json_ok "$tmp/ev" \
    '[m for m in docs[0]["matches"] if abs(m["score"] - m["name_score"] - 0.03) < 0.0002 and "same date of birth" in m["explanation"]]'
"$DEXCHECK" search --db "$db" --json --threshold 0.5 --dob 1980 --country JP "khoroshev dmitry" > "$tmp/ev2" 2>&1
check "another year and another country subtract 0.10 and 0.05" json_ok "$tmp/ev2" \
    '[m for m in docs[0]["matches"] if abs(m["name_score"] - m["score"] - 0.15) < 0.0002 and "no country in common" in m["explanation"]]'

"$DEXCHECK" search --db "$db" --dob 1990-13-01 "khoroshev" > /dev/null 2> "$tmp/baddob"
check "a bad --dob: usage error (exit 2)" test $? -eq 2
check "... naming the date" grep -q "1990-13-01" "$tmp/baddob"
"$DEXCHECK" search --db "$db" --threshold 1.5 "khoroshev" > /dev/null 2>&1
check "--threshold 1.5: usage error (exit 2)" test $? -eq 2
"$DEXCHECK" search --db "$db" --threshold abc "khoroshev" > /dev/null 2>&1
check "--threshold abc: usage error (exit 2)" test $? -eq 2
"$DEXCHECK" search --db "$db" > /dev/null 2>&1
check "no name: usage error (exit 2)" test $? -eq 2
"$DEXCHECK" search --db "$db" one two > /dev/null 2>&1
check "two names: usage error (exit 2)" test $? -eq 2
"$DEXCHECK" search --db "$db" --limit > /dev/null 2>&1
check "an option without its value: usage error (exit 2)" test $? -eq 2

"$DEXCHECK" search --db "$tmp/empty.db" "khoroshev" > /dev/null 2> "$tmp/empty"
check "an empty store: exit 3" test $? -eq 3
check "... with a message naming 'lists import'" grep -q "lists import" "$tmp/empty"

# Batch files: one JSON line per row with its line number; a summary on standard error.
printf 'id,Name,dob,country\n1,TNK Trading International,,Switzerland\n2,"KHOROSHEV, Dmitry",1960-02-30,RU\n3,Zebulon Quartermaine,,\n' \
    > "$tmp/batch.csv"
"$DEXCHECK" search --db "$db" --batch "$tmp/batch.csv" > "$tmp/batch.out" 2> "$tmp/batch.err"
check "--batch FILE.csv: exit 0" test $? -eq 0
check "... one JSON line per row, in order, with line, query and matches" json_ok "$tmp/batch.out" \
    '[d["line"] for d in docs] == [2, 3, 4] and [d["query"] for d in docs] == ["TNK Trading International", "KHOROSHEV, Dmitry", "Zebulon Quartermaine"] and len(docs[0]["matches"]) == 1 and docs[2]["matches"] == []'
check "... the bad date reported with file:line:column" \
    grep -q "batch.csv:3:3: warning: date of birth '1960-02-30'" "$tmp/batch.err"
check "... and its row still searched" json_ok "$tmp/batch.out" \
    '[m for m in docs[1]["matches"] if m["entry_id"] == "48603"]'
check "... a summary on standard error" grep -q "^3 rows searched in .* s: 2 with a match, 0 failed" "$tmp/batch.err"

printf 'name,country\r\nIRIS MAKRAN,Iran\r\nKHOROSHEV Dmitry,RU\r\n' | iconv -f UTF-8 -t UTF-16LE > "$tmp/u16.raw"
{ printf '\377\376'; cat "$tmp/u16.raw"; } > "$tmp/u16.csv"
"$DEXCHECK" search --db "$db" --batch "$tmp/u16.csv" > "$tmp/u16.out" 2>&1
check "--batch in UTF-16LE with BOM: exit 0" test $? -eq 0
check "... both rows found" sh -c "grep -q '^{\"line\":2,\"query\":\"IRIS MAKRAN\",\"matches\":\[{\"list\":\"us_ofac_sdn\",\"entry_id\":\"40716\"' '$tmp/u16.out' && grep -q '^{\"line\":3,.*\"entry_id\":\"48603\"' '$tmp/u16.out'"

printf 'name,country\n山田太郎,日本\nIRIS MAKRAN,イラン\n' | iconv -f UTF-8 -t CP932 > "$tmp/sjis.csv"
"$DEXCHECK" search --db "$db" --batch "$tmp/sjis.csv" > "$tmp/sjis.out" 2> "$tmp/sjis.err"
check "--batch in CP932: exit 0, the Japanese name decoded" json_ok "$tmp/sjis.out" \
    'docs[0]["query"] == "山田太郎" and docs[0]["matches"] == [] and docs[1]["matches"][0]["entry_id"] == "40716"'
check "... the countries in Japanese read without a warning" sh -c "! grep -q warning '$tmp/sjis.err'"

printf 'who,dob\nx,1970\n' > "$tmp/noname.csv"
"$DEXCHECK" search --db "$db" --batch "$tmp/noname.csv" > /dev/null 2> "$tmp/noname.err"
check "--batch without a name column: exit 3, said" sh -c "test $? -eq 3 && grep -q 'no name column' '$tmp/noname.err'"
tap_done

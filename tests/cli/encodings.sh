#!/bin/sh
# Every supported encoding through `dexcheck records check`: a people.csv written in each one
# (made here with the iconv tool from a UTF-8 text in the language the encoding serves) is
# detected, reported by name and read with every row accepted; --encoding overrides detection;
# the wrong --encoding rejects rows instead of reading mojibake. TAP output; DEXCHECK is the
# binary.
. tests/cli/lib/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

JA='person_id,family_name,given_name,name_local,citizenships,department
P1,Yamada,Taro,山田 太郎,日本,工学研究科
P2,Soda,Hyoko,曽田 表子,JP,ソフトウェア研究室
P3,Wang,Wei,王 偉,中国籍,情報科学研究科
'
ZH='person_id,family_name,given_name,name_local,citizenships,department
P1,Wang,Wei,王伟,中国,计算机科学系
P2,Li,Na,李娜,中华人民共和国,物理学院
'
LATIN='person_id,family_name,given_name,citizenships,department
P1,Müller,Jürgen,Deutschland,Physik
P2,Lefèvre,Zoë,France,Département de chimie
P3,Nuñez,José,Spain,Química
'
# make NAME ICONV-ENCODING TEXT [BOM-BYTES]
make_file() {
    mkdir -p "$tmp/$1"
    { [ -n "${4:-}" ] && printf "$4"; printf '%s' "$3" | iconv -f UTF-8 -t "$2"; } \
        > "$tmp/$1/people.csv"
}
make_file utf8 UTF-8 "$JA"
make_file utf8bom UTF-8 "$JA" '\357\273\277'
make_file utf16le UTF-16LE "$JA" '\377\376'
make_file utf16be UTF-16BE "$JA" '\376\377'
make_file cp932 CP932 "$JA"
make_file eucjp EUC-JP "$JA"
make_file gb18030 GB18030 "$ZH"
make_file cp1252 CP1252 "$LATIN"

expect() {  # folder, shown encoding, rows
    out="$tmp/$1.out"
    "$DEXCHECK" records check "$tmp/$1" > "$out" 2>&1
    rc=$?
    check "$1: exit 0 (every row accepted)" test "$rc" -eq 0
    check "$1: read as $2" grep -q "people.csv  *$2" "$out"
    check "$1: $3 rows read = $3 accepted + 0 rejected" grep -q "$3 rows read = $3 accepted + 0 rejected" "$out"
}
expect utf8 "UTF-8 (detected)" 3
expect utf8bom "UTF-8 with BOM" 3
expect utf16le "UTF-16LE with BOM" 3
expect utf16be "UTF-16BE with BOM" 3
expect cp932 "CP932 (detected)" 3
expect eucjp "EUC-JP (detected)" 3
expect gb18030 "GB18030 (detected)" 2
expect cp1252 "CP1252 (detected)" 3

# --encoding overrides detection: Latin-1 is never detected, but can be named.
"$DEXCHECK" records check --encoding latin-1 "$tmp/cp1252" > "$tmp/latin1.out" 2>&1
check "--encoding latin-1 is used as named" grep -q "people.csv  *ISO-8859-1 " "$tmp/latin1.out"
# The wrong encoding: CP932 bytes read as UTF-8 are errors with their byte offsets, and the
# rows that hold them are rejected; nothing is replaced silently.
"$DEXCHECK" records check --encoding utf-8 "$tmp/cp932" > "$tmp/wrong.out" 2>&1
rc=$?
check "CP932 read as --encoding utf-8 exits 3" test "$rc" -eq 3
check "... reports a byte that cannot be decoded as UTF-8, with its offset" \
    grep -q "people.csv:2:4: error: byte.* at byte offset [0-9]* cannot be decoded as UTF-8" "$tmp/wrong.out"
check "... rejects the rows that hold such bytes" grep -q "3 rows read = 0 accepted + 3 rejected" "$tmp/wrong.out"
check "unknown --encoding is a usage error (exit 2)" sh -c "'$DEXCHECK' records check --encoding klingon '$tmp/utf8'; test \$? -eq 2"
tap_done

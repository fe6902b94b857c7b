#!/bin/sh
# `dexcheck lists update` against a local HTTP server on 127.0.0.1 serving ../shared/data/lists
# (python3 -m http.server, stopped at the end, never longer than 120 s). Downloads go through
# libcurl exactly as from the official servers; only --base-url differs. TAP output.
. tests/cli/lib/tap.sh
tmp=$(mktemp -d)
DB=$tmp/store.db
port=$((20000 + $$ % 20000))
(cd ../shared/data/lists && exec timeout 120 python3 -m http.server "$port" --bind 127.0.0.1) \
    > "$tmp/http.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
for i in 1 2 3 4 5 6 7 8 9 10; do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
    sleep 0.3
done
base=http://127.0.0.1:$port
dx() { "$DEXCHECK" lists "$@" --db "$DB" --catalogue lists/catalogue.tsv; }

dx update --base-url "$base" --only us_bis_dpl > "$tmp/out1" 2> "$tmp/err1"
check "update of one list from the mirror: exit 0" test $? -eq 0
check "... imported 581 DPL entries" grep -q "us_bis_dpl .*581 entries.*(new)" "$tmp/out1"
check "... its diagnostics name the URL the file came from" grep -q "^$base/us_bis_dpl/2022-09_bench/dpl.txt:403: warning" "$tmp/err1"
dx update --base-url "$base" --only un_sc > "$tmp/out2" 2>&1
check "the UN list: 1003 entries, publication date from the file" grep -q "un_sc .*1003 entries, .*published 2026-02-27" "$tmp/out2"
dx update --base-url "$base" --only us_ofac_nonsdn > "$tmp/out3" 2>&1
check "OFAC non-SDN: its four files are one version" grep -q "us_ofac_nonsdn  *cons_add.csv,cons_alt.csv,cons_comments.csv,cons_prim.csv: version 3, 442 entries" "$tmp/out3"
dx update --base-url "$base" --only us_bis_dpl > "$tmp/out4" 2>&1
check "updating again with nothing new changes nothing" grep -q "already in the store: unchanged" "$tmp/out4"
"$DEXCHECK" lists status --db "$DB" > "$tmp/status1"

# A mirror that fails: a wrong address, and a file that is not the list it should be.
dx update --base-url "http://127.0.0.1:9" --only un_sc > /dev/null 2> "$tmp/err5"
check "an unreachable server: exit 3" test $? -eq 3
check "... naming the URL" grep -q "http://127.0.0.1:9/un_csl/2026-02/UN_consolidated.xml: error: download failed" "$tmp/err5"
sed 's|us_bis_dpl/2022-09_bench/dpl.txt|un_csl/2026-02/UN_consolidated.xml|' lists/catalogue.tsv > "$tmp/wrong.tsv"
"$DEXCHECK" lists update --db "$DB" --catalogue "$tmp/wrong.tsv" --base-url "$base" --only us_bis_dpl \
    > /dev/null 2> "$tmp/err6"
check "a file that is not the list it should be: exit 3" test $? -eq 3
"$DEXCHECK" lists status --db "$DB" > "$tmp/status2"
check "... and the store is unchanged" cmp -s "$tmp/status1" "$tmp/status2"
dx update --base-url "$base" --only no_such_list > /dev/null 2>&1
check "an unknown list id is a usage error (exit 2)" test $? -eq 2
printf 'id\turl\nx\ty\n' > "$tmp/bad.tsv"
"$DEXCHECK" lists update --db "$DB" --catalogue "$tmp/bad.tsv" > /dev/null 2> "$tmp/err7"
check "a catalogue with a wrong header: exit 3 with file:line:col" grep -q "bad.tsv:1:1: error" "$tmp/err7"
check "no download left behind in the temporary folder" sh -c "! ls /tmp/dexcheck-update-* >/dev/null 2>&1"
tap_done

#!/bin/sh
# Seeds the DFAT/MOF importer fuzz target: the synthetic xlsx seeds, each with both selector
# bytes (even = DFAT, odd = MOF).
set -eu
out=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
scripts/fuzz-seed-xlsx.sh "$tmp"
i=0
for f in "$tmp"/*; do
    [ -f "$f" ] || continue
    for sel in '\000' '\001'; do
        i=$((i + 1))
        { printf "$sel"; cat "$f"; } > "$out/seed-$i"
    done
done

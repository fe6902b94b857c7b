#!/bin/sh
# Seeds the CSV differential fuzz corpus with the example record files (any encoding), as is.
set -eu
out=$1
i=0
for f in examples/university/*.csv examples/hostile/*/*.csv; do
    [ -f "$f" ] || continue
    [ "$(stat -c %s "$f")" -le 65536 ] || continue
    i=$((i + 1))
    cp "$f" "$out/seed-$i"
done

#!/bin/sh
# Seeds the records fuzz corpus: each example file, prefixed with its kind and "auto" encoding.
set -eu
out=$1
i=0
for f in examples/university/*.csv examples/hostile/*/*.csv; do
    [ -f "$f" ] || continue
    [ "$(stat -c %s "$f")" -le 65536 ] || continue
    case "$(basename "$f")" in
        people.csv) k=0 ;; visitors.csv) k=1 ;; projects.csv) k=2 ;; technologies.csv) k=3 ;;
        assignments.csv) k=4 ;; contracts.csv) k=5 ;; funding.csv) k=6 ;;
        organizations.csv) k=7 ;; licenses.csv) k=8 ;; *) k=0 ;;
    esac
    i=$((i + 1))
    { printf "\\$(printf '%03o' "$k")\\000"; cat "$f"; } > "$out/seed-$i"
done

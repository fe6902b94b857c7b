#!/bin/sh
# Seeds the rule-compiler fuzz corpus: the shipped rule files, the inline rule files of the
# rule tests (between "file NAME.rules" and "end"), and a few small hand-written programs.
set -eu
out=$1
i=0
for f in rules/*/*.rules; do
    [ -f "$f" ] || continue
    i=$((i + 1))
    cp "$f" "$out/seed-$i"
done
for t in tests/rules/*.test; do
    [ -f "$t" ] || continue
    awk -v out="$out" -v base="$i" '
        /^file .*\.rules$/ { n++; name = out "/seed-inline-" base "-" n; on = 1; next }
        on && /^end$/ { on = 0; close(name); next }
        on { print > name }' "$t"
done
i=$((i + 1))
printf 'regulation "r"\nversion "1"\ndate 2026-01-01\nregime JP\nparam p = 25%%\n  doc "d"\nrule A-1 "t"\n  applies to access\n  when any(c in subject.contracts where c.same_group) or count(x in subject.citizenships) > p\n  then exempt\n  basis "b {tech.id}"\n  reason "r {{ {subject.id} }}"\n' > "$out/seed-$i"
i=$((i + 1))
printf 'regulation "r"\nversion "1"\ndate 2026-01-01\ntable t = {"a": "b"}\n  doc "d"\ndefine x for subject\n  case t["a"] == "b" then add_months(as_of, -3) because "{x}"\n  otherwise as_of\n' > "$out/seed-$i"

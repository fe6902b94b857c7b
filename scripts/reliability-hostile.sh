#!/bin/sh
# Measures `dexcheck records check` on each hostile record folder of examples/hostile/: exit
# status, wall time, peak memory (GNU time's maximum resident set size), lines of diagnostics
# and whether the run ended cleanly (exit 0 or 3, no signal, no sanitizer report, within the
# time limit). Writes one tab-separated line per folder to OUT, which scripts/reliability.sh
# turns into rows of docs/reliability.md. What each folder must report is checked by
# tests/cli/hostile.sh; this only records the bounds observed.
#   scripts/reliability-hostile.sh DEXCHECK OUT
set -eu
bin=$1; out=$2
limit=120
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
    printf 'folder\texit\tseconds\tmax_rss_kb\tdiagnostic_lines\tclean\n'
    for d in examples/hostile/*/; do
        d=${d%/}
        name=${d##*/}
        status=0
        /usr/bin/time -f '%e %M' -o "$tmp/time" timeout "$limit" "$bin" records check "$d" \
            > "$tmp/out" 2> "$tmp/err" || status=$?
        set -- $(tail -n 1 "$tmp/time")
        secs=${1:-?}; rss=${2:-?}
        lines=$(cat "$tmp/out" "$tmp/err" | grep -c ':[0-9]*:[0-9]*:\? *\(error\|warning\)\|: \(error\|warning\)' || true)
        clean=yes
        case $status in 0|3) ;; *) clean=no ;; esac
        if grep -q 'Sanitizer\|runtime error\|Segmentation' "$tmp/err"; then clean=no; fi
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$status" "$secs" "$rss" "$lines" "$clean"
    done
} > "$out"

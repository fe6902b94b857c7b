#!/bin/sh
# Runs the test suite of one build folder, or sums several.
#
#   tests/run.sh build/release          unit tests (cmocka, TAP), fuzz replays, CLI tests;
#                                       writes BUILD/test-counts ("passed failed")
#   tests/run.sh --summary B1 B2 ...    prints "N passed, N failed" over those builds and
#                                       exits 1 when anything failed
set -u

if [ "${1:-}" = "--summary" ]; then
    shift
    passed=0; failed=0
    for b in "$@"; do
        if [ -f "$b/test-counts" ]; then
            read -r p f < "$b/test-counts"
        else
            p=0; f=1; echo "no results for $b" >&2
        fi
        passed=$((passed + p)); failed=$((failed + f))
    done
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
fi

B=$1
variant=$(basename "$B")
passed=0; failed=0
log="$B/test-log.txt"
: > "$log"

count_tap() {  # name, output file, exit status
    p=$(grep -c '^ok ' "$2" || true)
    f=$(grep -c '^not ok ' "$2" || true)
    passed=$((passed + p)); failed=$((failed + f))
    grep '^not ok ' "$2" | sed "s|^|  [$variant] $1: |"
    if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "  [$variant] $1: exited $3 without a failing test (crash?)"; tail -5 "$2"
        failed=$((failed + 1))
    fi
}

run_tap() {  # name, command...
    name=$1; shift
    out="$B/tests/$(echo "$name" | tr / _).tap"
    "$@" > "$out" 2>&1
    rc=$?
    cat "$out" >> "$log"
    count_tap "$name" "$out" $rc
}

mkdir -p "$B/tests"
export CMOCKA_MESSAGE_OUTPUT=TAP
DEXCHECK="$B/dexcheck"; BUILD="$B"; export DEXCHECK BUILD
for t in "$B"/tests/test_*; do
    case "$t" in *.tap) continue ;; esac
    [ -x "$t" ] || continue
    run_tap "$(basename "$t")" "$t"
done

# Saved fuzz inputs (corpora and crashers) replayed through each target.
for r in "$B"/tests/replay_*; do
    case "$r" in *.tap) continue ;; esac
    [ -x "$r" ] || continue
    target=${r##*/replay_}
    run_tap "replay_$target" "$r" tests/fuzz/corpus/"$target" tests/fuzz/regressions/"$target"
done

# Command-line tests: each tests/cli/*.sh prints TAP lines.
for s in tests/cli/*.sh; do
    [ -f "$s" ] || continue
    run_tap "cli/$(basename "$s" .sh)" sh "$s"
done

echo "$passed $failed" > "$B/test-counts"
echo "[$variant] $passed passed, $failed failed (log: $log)"

#!/bin/sh
# Runs each libFuzzer target for SECONDS, growing its corpus in tests/fuzz/corpus/TARGET
# (kept in the repository) and saving crashers to tests/fuzz/regressions/TARGET, which
# `make test` replays. Seeds come from the examples and ../shared/data.
#   scripts/fuzz.sh BUILD SECONDS TARGET...
set -eu
B=$1; SECONDS_EACH=$2; shift 2
status=0
for t in "$@"; do
    corpus=tests/fuzz/corpus/$t
    crashes=tests/fuzz/regressions/$t
    mkdir -p "$corpus" "$crashes" "$B/fuzz-work/$t"
    if [ -x "scripts/fuzz-seed-$t.sh" ] && [ -z "$(ls -A "$corpus")" ]; then
        "scripts/fuzz-seed-$t.sh" "$corpus"
    fi
    echo "fuzz: $t for ${SECONDS_EACH}s"
    # -artifact_prefix: crashers land beside the regressions; corpus merges new inputs.
    if ! "$B/fuzz_$t" "$B/fuzz-work/$t" "$corpus" -max_total_time="$SECONDS_EACH" \
            -max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
            -artifact_prefix="$crashes/" > "$B/fuzz-$t.log" 2>&1; then
        echo "fuzz: $t FOUND A FAILURE; see $B/fuzz-$t.log and $crashes/"
        status=1
    fi
    # Keep the corpus small and useful: merge the work folder's finds into the kept corpus.
    "$B/fuzz_$t" -merge=1 "$corpus" "$B/fuzz-work/$t" > /dev/null 2>&1 || true
    rm -rf "$B/fuzz-work/$t"
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$B/fuzz-$t.log" | sed "s/^/  $t /" || true
    echo "  $t corpus: $(ls "$corpus" | wc -l) inputs"
done
exit $status

#!/bin/sh
# Runs each libFuzzer target for SECONDS, growing its corpus in tests/fuzz/corpus/TARGET
# (kept in the repository) and saving crashers to tests/fuzz/regressions/TARGET, which
# `make test` replays. Seeds come from the examples and ../shared/data.
# What it prints also goes to BUILD/campaign.txt (started, ended, the commit built), and each
# target's log BUILD/fuzz-TARGET.log ends with a line of settings and corpus size:
# scripts/reliability.sh (`make reliability`) reads them back into docs/reliability.md.
#   scripts/fuzz.sh BUILD SECONDS TARGET...
set -eu
B=$1; SECONDS_EACH=$2; shift 2
status=0
commit=$(git rev-parse HEAD 2> /dev/null || echo unknown)
[ -z "$(git status --porcelain --untracked-files=no -- src include 2> /dev/null)" ] ||
    commit="$commit (with uncommitted changes in src/ or include/)"
echo "campaign: started $(date -u +%Y-%m-%dT%H:%M:%SZ), $SECONDS_EACH s per target, binaries built from commit $commit" \
    > "$B/campaign.txt"
say() { echo "$@"; echo "$@" >> "$B/campaign.txt"; }
for t in "$@"; do
    corpus=tests/fuzz/corpus/$t
    crashes=tests/fuzz/regressions/$t
    mkdir -p "$corpus" "$crashes" "$B/fuzz-work/$t"
    if [ -x "scripts/fuzz-seed-$t.sh" ] && [ -z "$(ls -A "$corpus")" ]; then
        "scripts/fuzz-seed-$t.sh" "$corpus"
    fi
    say "fuzz: $t for ${SECONDS_EACH}s"
    # -artifact_prefix: crashers land beside the regressions; corpus merges new inputs.
    if ! "$B/fuzz_$t" "$B/fuzz-work/$t" "$corpus" -max_total_time="$SECONDS_EACH" \
            -max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
            -artifact_prefix="$crashes/" > "$B/fuzz-$t.log" 2>&1; then
        say "fuzz: $t FOUND A FAILURE; see $B/fuzz-$t.log and $crashes/"
        status=1
    fi
    # Keep the corpus small and useful: merge the work folder's finds into the kept corpus.
    "$B/fuzz_$t" -merge=1 "$corpus" "$B/fuzz-work/$t" > /dev/null 2>&1 || true
    rm -rf "$B/fuzz-work/$t"
    # What scripts/reliability.sh reads back: the run's settings and the kept corpus's size.
    { echo "fuzz.sh: target=$t seconds=$SECONDS_EACH corpus=$(ls "$corpus" | wc -l)" \
          "regressions=$(ls "$crashes" | wc -l) date=$(date -u +%Y-%m-%dT%H:%MZ)"
      echo "fuzz.sh: machine=$(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)"
    } >> "$B/fuzz-$t.log"
    say "$(grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$B/fuzz-$t.log" | sed "s/^/  $t /" || true)"
    say "  $t corpus: $(ls "$corpus" | wc -l) inputs"
done
say "campaign: ended $(date -u +%Y-%m-%dT%H:%M:%SZ) status $status"
exit $status

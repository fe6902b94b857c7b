#!/bin/sh
# basic.sh — the dexcheck command line itself: version, help, dispatch, usage errors, and the
# subcommands that are not built yet. Prints TAP. Run by tests/run.sh with DEXCHECK set to the
# binary; uses only sh, grep and the binary.
. tests/cli/lib/tap.sh
set -u

: "${DEXCHECK:?set DEXCHECK to the dexcheck binary}"
tmp=${TMPDIR:-/tmp}/dexcheck-basic.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
out=$tmp/out
err=$tmp/err


# run ARGS...: runs dexcheck; stdout in $out, stderr in $err, exit status in $rc.
run() {
    "$DEXCHECK" "$@" > "$out" 2> "$err"
    rc=$?
}

status_is() { [ "$rc" -eq "$1" ]; }
out_has() { grep -q -e "$1" "$out"; }
err_has() { grep -q -e "$1" "$err"; }
out_empty() { [ ! -s "$out" ]; }

commands="screen search match lists rules records review rescreen runs history help"

run --version
check "--version exits 0" status_is 0
check "--version prints 'dexcheck X.Y.Z'" out_has '^dexcheck [0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*$'
run -V
check "-V exits 0 and prints the version" out_has '^dexcheck [0-9]'

run --help
check "--help exits 0" status_is 0
for c in $commands; do
    check "--help mentions $c" out_has "^  $c"
done
check "--help documents DEXCHECK_DB" out_has DEXCHECK_DB
check "--help documents NO_COLOR" out_has NO_COLOR

run
check "no arguments exits 2" status_is 2
check "no arguments prints the usage on stderr" err_has '^usage: dexcheck'
check "no arguments prints nothing on stdout" out_empty

run frobnicate
check "unknown subcommand exits 2" status_is 2
check "unknown subcommand is named" err_has "frobnicate"
check "unknown subcommand points to --help" err_has "dexcheck --help"

run --frobnicate
check "unknown option exits 2" status_is 2

# the audit-trail commands: usage errors exit 2 and say what is wrong, before any store is touched
for args in "review" "review export x" "history" "history a b" "runs extra" "rescreen folder" \
            "rescreen --rules rules"; do
    # shellcheck disable=SC2086
    run $args --db "$tmp/none/store.db"
    check "'$args' exits 2" status_is 2
    check "'$args' prints nothing on stdout" out_empty
    check "'$args' names the command in its message" err_has "^dexcheck ${args%% *}"
done
run lists update --only no_such_list --db "$tmp/store.db" --catalogue lists/catalogue.tsv
check "lists update of a list not in the catalogue exits 2" status_is 2
run lists frobnicate
check "lists with an unknown action exits 2" status_is 2

for c in $commands; do
    run "$c" --help
    check "$c --help exits 0" status_is 0
    check "$c --help prints a usage line" out_has "^usage: dexcheck $c"
    check "$c --help lists the exit statuses" out_has '^exit status'
done
run rules check -h
check "rules check -h prints the rules help" out_has '^usage: dexcheck rules check'

run records --help
check "records --help mentions --encoding" out_has '--encoding'
check "records --help mentions --quiet" out_has '--quiet'
check "records --help mentions --max-issues" out_has '--max-issues'
check "records --help lists the encodings" out_has 'cp932'
run records check --help
check "records check --help exits 0" status_is 0
check "records check --help mentions --encoding" out_has '--encoding'

run help screen
check "help screen exits 0 with the screen help" out_has '^usage: dexcheck screen'
run help frobnicate
check "help of an unknown command exits 2" status_is 2

tap_done
[ "$failures" -eq 0 ]

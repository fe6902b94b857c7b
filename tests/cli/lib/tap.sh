# tap.sh — sourced by the tests in tests/cli/: TAP output for POSIX sh tests.
#
#   check DESCRIPTION COMMAND...   one TAP line, "ok" when COMMAND succeeds
#   tap_done                       the plan line "1..N"; call last
n=0
failures=0

check() {
    what=$1; shift
    n=$((n + 1))
    if "$@" > /dev/null 2>&1; then
        echo "ok $n - $what"
    else
        echo "not ok $n - $what"
        failures=$((failures + 1))
    fi
}

tap_done() {
    echo "1..$n"
}

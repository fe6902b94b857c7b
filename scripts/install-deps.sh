#!/bin/sh
# Installs the Debian packages dexcheck needs, when any is missing. Runs `apt-get update`
# first only when something has to be installed. Needs root (or sudo) only then.
set -eu

# libxml2: UN list XML, e-Gov XML and the sheets of xlsx files; libzip: the xlsx container;
# jansson: the JSON control data; libcurl: `lists update` downloads; valgrind: the memcheck
# runs of tests/cli/valgrind.sh (uninitialised reads, which the sanitizers do not see).
PACKAGES="make gcc clang pkg-config libc6-dev
libxlsxwriter-dev libcsv-dev libsqlite3-dev libicu-dev libcmocka-dev
libxml2-dev libzip-dev libjansson-dev libcurl4-openssl-dev
python3 python3-openpyxl valgrind"

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-deps: need root (or sudo) to install:$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null

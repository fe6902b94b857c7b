#!/bin/sh
# `make install` puts the binary, the man page and the rules under DESTDIR/PREFIX, and the
# installed binary runs; scripts/install-deps.sh installs exactly the missing packages (with
# apt-get update first) and nothing when all are present. The package tools are replaced by
# fakes on PATH, so this runs anywhere without touching the machine. TAP output.
. tests/cli/lib/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make --no-print-directory -s install BUILD_ROOT="$(dirname "$BUILD")" \
    VARIANT="$(basename "$BUILD")" DESTDIR="$tmp/root" PREFIX=/usr > "$tmp/install.log" 2>&1
check "make install succeeds" test $? -eq 0
check "binary installed and runs" sh -c "'$tmp/root/usr/bin/dexcheck' --version | grep -q '^dexcheck '"
check "man page installed" test -s "$tmp/root/usr/share/man/man1/dexcheck.1"
check "rules installed" test -f "$tmp/root/usr/share/dexcheck/rules/README.md"
check "list catalogue installed" test -s "$tmp/root/usr/share/dexcheck/lists/catalogue.tsv"

# Fakes: dpkg-query reports the packages named in $FAKE_MISSING as not installed; apt-get
# logs its arguments; id says root.
mkdir -p "$tmp/bin"
cat > "$tmp/bin/dpkg-query" <<'FAKE'
#!/bin/sh
pkg=$(eval echo "\${$#}")
for m in $FAKE_MISSING; do [ "$m" = "$pkg" ] && { printf 'unknown ok not-installed'; exit 0; }; done
printf 'install ok installed'
FAKE
cat > "$tmp/bin/apt-get" <<'FAKE'
#!/bin/sh
echo "apt-get $*" >> "$FAKE_LOG"
FAKE
printf '#!/bin/sh\necho 0\n' > "$tmp/bin/id"
chmod +x "$tmp/bin/"*
export FAKE_LOG="$tmp/apt.log"

: > "$FAKE_LOG"
FAKE_MISSING="" PATH="$tmp/bin:$PATH" sh scripts/install-deps.sh > /dev/null 2>&1
check "install-deps: nothing missing, apt-get not run" test ! -s "$FAKE_LOG"

: > "$FAKE_LOG"
FAKE_MISSING="libcsv-dev libcmocka-dev" PATH="$tmp/bin:$PATH" sh scripts/install-deps.sh \
    > /dev/null 2>&1
check "install-deps: missing packages, exit 0" test $? -eq 0
check "install-deps: apt-get update runs first" sh -c "head -1 '$FAKE_LOG' | grep -q 'apt-get update'"
check "install-deps: installs exactly the missing packages" \
    grep -q 'apt-get install .* libcsv-dev libcmocka-dev$' "$FAKE_LOG"

printf '#!/bin/sh\necho 1000\n' > "$tmp/bin/id"
: > "$FAKE_LOG"
# PATH holds only the fakes: no sudo to be found
FAKE_MISSING="libcsv-dev" PATH="$tmp/bin" /bin/sh scripts/install-deps.sh > "$tmp/nonroot.out" 2>&1
status=$?
check "install-deps: not root and no sudo: exit 1" test "$status" -eq 1
check "install-deps: ... saying what it needs" grep -q "need root (or sudo) to install: libcsv-dev" "$tmp/nonroot.out"
check "install-deps: ... and installing nothing" test ! -s "$FAKE_LOG"
tap_done

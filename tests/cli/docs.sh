#!/bin/sh
# The generated documents are up to date: docs/records.md and docs/errors.md are exactly what
# `make docs` writes from the code. TAP output; BUILD is the build folder.
. tests/cli/lib/tap.sh
gen=$BUILD/tools/gen_docs
for doc in records errors; do
    check "docs/$doc.md is what 'make docs' generates (run it after changing the code)" \
        sh -c "'$gen' $doc | cmp -s - docs/$doc.md"
done
check "docs/records.md names the Japanese header 入国日" grep -q '入国日' docs/records.md
check "docs/errors.md lists DX_ERR_NOMEM" grep -q 'DX_ERR_NOMEM' docs/errors.md
tap_done

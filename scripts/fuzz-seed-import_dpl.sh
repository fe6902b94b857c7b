#!/bin/sh
# Seeds the DPL importer's fuzz corpus: the header and first 49 rows of the 2019-07 dpl.txt,
# and a short slice holding a row published twice, read from ../shared/data.
#   scripts/fuzz-seed-import_dpl.sh OUTDIR
set -eu
out=$1
data=$(cd "$(dirname "$0")/.." && pwd)/../shared/data/lists/us_bis_dpl
head -n 50 "$data/2019-07/dpl.txt" > "$out/seed-head50"
{ head -n 1 "$data/2022-09_bench/dpl.txt"; sed -n '140,145p' "$data/2022-09_bench/dpl.txt"; } \
    > "$out/seed-repeated-row"

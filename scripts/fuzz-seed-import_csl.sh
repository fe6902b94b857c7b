#!/bin/sh
# Seeds the CSL importer's fuzz corpus: the 13-row trade.gov sample (2025 layout, every field
# quoted) and the first rows of the 2019 sample (28 columns, no _id), read from ../shared/data.
#   scripts/fuzz-seed-import_csl.sh OUTDIR
set -eu
out=$1
data=$(cd "$(dirname "$0")/.." && pwd)/../shared/data/lists/us_csl
cat "$data/2025-06_tiny13/consolidated.csv" > "$out/seed-tiny13"
head -n 20 "$data/2019-12_sample/csl.csv" > "$out/seed-2019-head"

#!/bin/sh
# Seeds the CSL/DPL fuzz target from ../shared/data (the corpus is regenerated, never
# committed): selector 0 + the 13-row trade.gov CSL sample and the first rows of the 2019
# sample (28 columns, no _id); selector 1 + the header and first 49 rows of the 2019-07
# dpl.txt, and a slice holding a row BIS published twice.
#   scripts/fuzz-seed-import_csl_dpl.sh OUTDIR
set -eu
out=$1
root=$(cd "$(dirname "$0")/.." && pwd)/../shared/data/lists
csl=$root/us_csl
dpl=$root/us_bis_dpl
{ printf '\000'; cat "$csl/2025-06_tiny13/consolidated.csv"; } > "$out/seed-csl-tiny13"
{ printf '\000'; head -n 20 "$csl/2019-12_sample/csl.csv"; } > "$out/seed-csl-2019-head"
{ printf '\001'; head -n 50 "$dpl/2019-07/dpl.txt"; } > "$out/seed-dpl-head50"
{ printf '\001'; head -n 1 "$dpl/2022-09_bench/dpl.txt"; sed -n '140,145p' "$dpl/2022-09_bench/dpl.txt"; } \
    > "$out/seed-dpl-repeated-row"

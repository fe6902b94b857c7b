#!/bin/sh
# Seeds the OFAC importer's fuzz corpus from watchman's tiny17 SDN set in ../shared/data: the
# four files joined with "\n--\n" (the target's separator), the primary file alone, the set
# with the end-of-file mark (0x1A) official downloads end with, and one set per record.
#   scripts/fuzz-seed-import_ofac.sh OUTDIR
set -eu
out=$1
dir=$(cd "$(dirname "$0")/.." && pwd)/../shared/data/lists/us_ofac_sdn/2025-05_tiny17
mkdir -p "$out"
sep='\n--\n'
{ cat "$dir/sdn.csv"; printf "$sep"; cat "$dir/add.csv"; printf "$sep"; cat "$dir/alt.csv"
  printf "$sep"; cat "$dir/sdn_comments.csv"; } > "$out/seed-tiny17"
cat "$dir/sdn.csv" > "$out/seed-tiny17-sdn"
{ cat "$dir/sdn.csv"; printf '\032'; printf "$sep"; cat "$dir/add.csv"; printf '\032'
  printf "$sep"; cat "$dir/alt.csv"; printf '\032'; printf "$sep"
  cat "$dir/sdn_comments.csv"; printf '\032'; } > "$out/seed-tiny17-eof"
i=0
for ent in $(cut -d, -f1 "$dir/sdn.csv"); do
    i=$((i + 1))
    { grep "^$ent," "$dir/sdn.csv"; printf "$sep"; grep "^$ent," "$dir/add.csv" || true
      printf "$sep"; grep "^$ent," "$dir/alt.csv" || true; printf "$sep"
      grep "^$ent," "$dir/sdn_comments.csv" || true; } > "$out/seed-record-$i"
done

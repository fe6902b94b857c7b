#!/bin/sh
# The files of the demo store, one per line: the fullest recent publication of each list and
# the control data in ../shared/data. scripts/demo.sh (`make demo`) and scripts/bench-screen.sh
# (`make bench`) import them; paths are relative to the repository.
L=../shared/data/lists
C=../shared/data/controls
for f in \
    $L/us_ofac_sdn/2021-07_bench_full/sdn.csv $L/us_ofac_sdn/2021-07_bench_full/add.csv \
    $L/us_ofac_sdn/2021-07_bench_full/alt.csv $L/us_ofac_sdn/2021-07_bench_full/sdn_comments.csv \
    $L/us_ofac_consolidated_non_sdn/2025-12/cons_prim.csv \
    $L/us_ofac_consolidated_non_sdn/2025-12/cons_add.csv \
    $L/us_ofac_consolidated_non_sdn/2025-12/cons_alt.csv \
    $L/us_ofac_consolidated_non_sdn/2025-12/cons_comments.csv \
    $L/us_csl/2022-05_full/consolidated.csv $L/us_bis_dpl/2022-09_bench/dpl.txt \
    $L/un_csl/2026-02/UN_consolidated.xml $L/meti_end_user_list/20250929_4.xlsx \
    $L/au_dfat_consolidated/regulation8_consolidated.xlsx \
    $L/jp_mof_economic_sanctions/shisantouketsu20260305.xlsx \
    $C/us_ear/ccl.json $C/us_ear/country-chart.json $C/us_ear/country-groups.json \
    $C/us_ear/license-exception-catalog.json $C/eu_dual_use/annex.json \
    $C/jp/324CO0000000378_20260214_507CO0000000376.xml; do
    echo "$f"
done

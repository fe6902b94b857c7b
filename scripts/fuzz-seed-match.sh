#!/bin/sh
# Seeds the matching fuzz target with name pairs of several scripts (two names, NUL between).
set -eu
out=$1
i=0
while IFS='|' read -r a b; do
    i=$((i + 1))
    printf '%s\000%s' "$a" "$b" > "$out/seed-$i"
done <<'PAIRS'
PUTIN, Vladimir Vladimirovich|Владимир Путин
ACME Trading Co., Ltd.|Acme Trading Company Limited
習近平|Xi Jinping
أسامة بن لادن|Osama bin Laden
김정은|KIM Jong Un
Müller-Lüdenscheidt GmbH|Mueller Luedenscheidt LLC
O'BRIEN, Sean|Sean OBrien
PAIRS

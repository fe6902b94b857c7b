#!/bin/sh
# Seeds the batch-file search fuzz target (tests/fuzz/fuzz_search_file.c) with small batch
# files written here (the columns of docs/search.md, several encodings, rows the reader must
# report); nothing is copied from ../shared/data. The target's index holds five hand-made UN
# parties (Ivan Petrovich SIDOROV, Abdul Rahman AL-KHALIL, KIM Chol Su, Raybeam Optronics,
# Golden Star Trading), so some rows hit.
#   scripts/fuzz-seed-search_file.sh OUTDIR
set -eu
out=$1
mkdir -p "$out"
printf 'name,schema,country,dob,identifier\nIvan Sidorov,person,RU;Russia,1965-03-01,712345678\nRaybeam Optronics Co Ltd,organization,CN,,\n,,,,\nKIM Chol Su,person,KP,1980,\n' \
    > "$out/seed-1"
printf 'id_number,Name,DOB,country\n1,"AL-KHALIL, Abdul Rahman",1971,Iraq\n2,,,\n3,Zebulon Quartermaine,1960-02-30,Narnia\n4,"Golden ""Star"" Trading",,DE ; AT ;;\n' \
    > "$out/seed-2"
printf 'full_name;nationality;date_of_birth;id\r\nИван Петрович Сидоров;RU;1965;A1;B2;C3\r\n김철수;KP;;\r\n' \
    > "$out/seed-3"
printf 'who,dob\nx,1970\n' > "$out/seed-4"                       # no name column
printf '\357\273\277name\n株式会社ゴールデンスター\nعبد الرحمن الخليل\n' > "$out/seed-5"
# UTF-16LE with a byte order mark, and Shift_JIS.
if command -v iconv > /dev/null; then
    printf 'name,country\nRaybeam Optical,China\nIvan Sidorov,RU\n' |
        iconv -f UTF-8 -t UTF-16 > "$out/seed-6" 2> /dev/null || rm -f "$out/seed-6"
    printf 'name,country\nゴールデンスター,JP\n' |
        iconv -f UTF-8 -t SHIFT_JIS > "$out/seed-7" 2> /dev/null || rm -f "$out/seed-7"
fi
printf 'name,schema,dob\n"unterminated\nKIM,alien,19x\n\377\376bad utf8,,\n' > "$out/seed-8"

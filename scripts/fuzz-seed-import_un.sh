#!/bin/sh
# Seeds the UN list importer's fuzz corpus with small UN documents: a few INDIVIDUAL and
# ENTITY elements cut out of the real 2026-02 list (../shared/data, never copied into the
# repository), each wrapped in the list's own header and footer, plus a few hand-made edge
# cases (attributes, CDATA, comments, a DTD that must be refused).
#   scripts/fuzz-seed-import_un.sh OUTDIR
set -eu
out=$1
root=$(cd "$(dirname "$0")/.." && pwd)
list=$root/../shared/data/lists/un_csl/2026-02/UN_consolidated.xml
mkdir -p "$out"

head='<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<CONSOLIDATED_LIST xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" dateGenerated="2026-02-27T00:00:09.554Z">'
foot='</CONSOLIDATED_LIST>'

# The INDIVIDUAL or ENTITY elements (whole lines) whose REFERENCE_NUMBER is in the list.
cut() {  # element refs...
    element=$1; shift
    awk -v el="$element" -v refs=" $* " '
        $0 ~ "<" el ">" { buf = ""; inside = 1 }
        inside { buf = buf $0 "\n" }
        inside && $0 ~ "</" el ">" {
            inside = 0
            if (match(buf, /<REFERENCE_NUMBER>[^<]*</)) {
                ref = substr(buf, RSTART + 18, RLENGTH - 19)
                if (index(refs, " " ref " ")) printf "%s", buf
            }
        }' "$list"
}

seed() {  # name individuals-refs entities-refs
    {
        printf '%s\n  <INDIVIDUALS>\n' "$head"
        [ -z "$2" ] || cut INDIVIDUAL $2
        printf '  </INDIVIDUALS>\n  <ENTITIES>\n'
        [ -z "$3" ] || cut ENTITY $3
        printf '  </ENTITIES>\n%s\n' "$foot"
    } > "$out/$1"
}

if [ -f "$list" ]; then
    seed seed-un-1 "CDi.001 CDi.002" "CDe.001 CDe.002"
    seed seed-un-2 "QDi.290" "KPe.002"                  # passport, DOBs, original script
    seed seed-un-3 "IQi.025 QDi.092 QDi.129" "IQe.200"  # aliases with DOB/POB, f.k.a.
fi

cat > "$out/seed-un-4" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!-- hand-made -->
<CONSOLIDATED_LIST dateGenerated="2026-01-01"><INDIVIDUALS>
<INDIVIDUAL id="7"><DATAID>1</DATAID><FIRST_NAME>A<![CDATA[ & B]]></FIRST_NAME>
<REFERENCE_NUMBER>T.1</REFERENCE_NUMBER><LISTED_ON>2015-07-01-04:00</LISTED_ON>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1960</FROM_YEAR>
<TO_YEAR>1962</TO_YEAR><NOTE>Approximately</NOTE></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NOTE>number 12</NOTE>
</INDIVIDUAL_DOCUMENT><X><Y z="1">deep<?pi?></Y>tail</X></INDIVIDUAL>
<INDIVIDUAL><FIRST_NAME>no reference</FIRST_NAME></INDIVIDUAL>
</INDIVIDUALS><ENTITIES><ENTITY/></ENTITIES></CONSOLIDATED_LIST>
EOF

cat > "$out/seed-un-5" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&b;</FIRST_NAME>
<REFERENCE_NUMBER>T.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>
EOF

#!/bin/sh
# make demo: the main job on the shipped examples. Today that is validating the record
# folders: examples/university (a fictional university whose files exercise every worked case
# of the domain specification; CP932 and UTF-16 files among them) and one of the hostile
# folders, to show what a rejected row looks like.
#   scripts/demo.sh DEXCHECK
set -u
DX=$1
echo "== dexcheck records check examples/university"
"$DX" records check examples/university
status=$?
echo
echo "== dexcheck records check examples/hostile/csv-unclosed-quote  (a broken file: exit 3 expected)"
"$DX" records check examples/hostile/csv-unclosed-quote
echo
echo "Screening, list import and the audit workbook arrive with the rules engine, the list"
echo "importers and the report writer; see 'dexcheck --help'."
exit $status

#!/bin/sh
# Seeds the xlsx fuzz corpus (tests/fuzz/fuzz_xlsx.c) with small workbooks made here from
# minimal XML by python3's zipfile module; nothing is copied from ../shared/data.
#   scripts/fuzz-seed-xlsx.sh OUTDIR
# Two kinds of seed, matching the target's two modes:
#   *.xlsx         zip archives (deflated and stored), read as they are;
#   members-*      "name\0content\0name\0content..." lists, which the target packs into a zip
#                  itself, so that mutations reach the XML instead of failing the zip's CRC.
# The workbooks look like METI's End User List (header, concern labels and codes, furigana
# runs in the shared strings, CJK names in parentheses) so that the importer is reached too.
set -eu
out=$1
mkdir -p "$out"
python3 - "$out" <<'EOF'
import sys, zipfile

out = sys.argv[1]
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'

def workbook(sheets):
    s = ''.join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (n, i + 1, i + 1)
                for i, n in enumerate(sheets))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<workbook %s xmlns:r="%s"><sheets>%s'
            '</sheets></workbook>' % (MAIN, REL, s))

def rels(n, shared=True):
    r = ''.join('<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>'
                % (i + 1, REL, i + 1) for i in range(n))
    if shared:
        r += ('<Relationship Id="rId%d" Type="%s/sharedStrings" Target="sharedStrings.xml"/>'
              % (n + 1, REL))
    return ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships">%s</Relationships>' % r)

def sst(strings):
    items = ''.join('<si>%s</si>' % s for s in strings)
    return '<sst %s count="%d" uniqueCount="%d">%s</sst>' % (MAIN, len(strings), len(strings), items)

def sheet(rows):
    body = ''
    for r, cells in rows:
        body += '<row r="%d">%s</row>\n' % (r, ''.join(cells))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<worksheet %s>\n<sheetData>\n%s'
            '</sheetData>\n</worksheet>\n' % (MAIN, body))

def s(ref, i):
    return '<c r="%s" t="s"><v>%d</v></c>' % (ref, i)

def inline(ref, text):
    return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, text)

def num(ref, v):
    return '<c r="%s"><v>%s</v></c>' % (ref, v)

CORE = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dcterms="http://purl.org/dc/terms/"><dcterms:created>'
        '2025-09-25T07:32:15Z</dcterms:created><dcterms:modified>2025-09-25T07:37:02Z'
        '</dcterms:modified></cp:coreProperties>')

STRINGS = [
    '<t>No.</t>',
    '<t>国名、地域名\nCountry or Region</t>',
    '<t>企業名､組織名\nCompany or Organization</t>',
    '<t>別名\nAlso Known As</t><rPh sb="0" eb="2"><t>ベツメイ</t></rPh><phoneticPr fontId="7"/>',
    '<t>懸念区分\nType of WMD</t><rPh sb="0" eb="2"><t>ケネン</t></rPh>',
    '<t>通常兵器\nConventional Weapons</t>',
    '<t>イラン\nIslamic Republic of Iran</t>',
    '<t>Alpha Industries (AI)</t>',
    '<t>・Alpha Ind\n・Alpha Group\n(阿尔法)</t>',
    '<t>生物、化学、ミサイル、核\nB,C,M,N</t><rPh sb="0" eb="2"><t>セイブツ</t></rPh>',
    '<t>通常兵器\nCW</t>',
    '<t>中国\nPeople\'s Republic of China</t>',
    '<r><t>Beta Works</t></r><r><rPr><b/></rPr><t xml:space="preserve">\n(北京贸易)</t></r>',
    '<t>ミサイル、核\nM、N</t>',
    '<t>核\nＮ</t>',
    '<t>ミサイルM</t>',
]

meti_rows = [
    (1, [s('A1', 0), s('B1', 1), s('C1', 2), s('D1', 3), s('E1', 4), s('F1', 5)]),
    (2, [num('A2', 1), s('B2', 6), s('C2', 7), s('D2', 8), s('E2', 9), s('F2', 10)]),
    (3, [num('A3', 2), s('B3', 11), s('C3', 12), s('E3', 13)]),
    (4, [num('A4', 3), s('B4', 6), inline('C4', 'Gamma'), s('E4', 14), s('F4', 10)]),
    (6, [num('A6', 4), s('B6', 11), inline('C6', 'Delta Co'), s('E6', 15)]),
]

def meti_members():
    return [
        ('xl/workbook.xml', workbook(['ユーザーリスト'])),
        ('xl/_rels/workbook.xml.rels', rels(1)),
        ('xl/sharedStrings.xml', sst(STRINGS)),
        ('xl/worksheets/sheet1.xml', sheet(meti_rows)),
        ('docProps/core.xml', CORE),
    ]

def plain_members():
    rows = [(1, [inline('A1', 'text'), num('B1', '3.5'), '<c r="C1" t="b"><v>1</v></c>',
                 '<c r="D1" t="e"><v>#N/A</v></c>', '<c r="AB1" t="str"><v>xy</v></c>']),
            (7, ['<c r="A7" s="1"/>', num('XFD7', '-1E-3')])]
    return [
        ('xl/workbook.xml', workbook(['One', 'Two'])),
        ('xl/_rels/workbook.xml.rels', rels(2, shared=False)),
        ('xl/worksheets/sheet1.xml', sheet(rows)),
        ('xl/worksheets/sheet2.xml', sheet([(1, [inline('A1', 'two')])])),
    ]

def write_zip(name, members, method):
    with zipfile.ZipFile('%s/%s' % (out, name), 'w', method) as z:
        for n, text in members:
            z.writestr(n, text.encode('utf-8'))

def write_list(name, members):
    with open('%s/%s' % (out, name), 'wb') as f:
        for n, text in members:
            f.write(n.encode('utf-8') + b'\0' + text.encode('utf-8') + b'\0')

write_zip('meti-deflated.xlsx', meti_members(), zipfile.ZIP_DEFLATED)
write_zip('meti-stored.xlsx', meti_members(), zipfile.ZIP_STORED)
write_zip('plain.xlsx', plain_members(), zipfile.ZIP_DEFLATED)
write_list('members-meti', meti_members())
write_list('members-plain', plain_members())
EOF

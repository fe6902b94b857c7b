#!/bin/sh
# Seeds the fuzz corpus of the control-data importers (tests/fuzz/fuzz_import_jp_eu.c) with
# small documents written here: the first byte picks the importer ("J" is even: the
# 輸出貿易管理令 e-Gov XML importer; "E" is odd: the EU Annex I JSON importer), the rest is the
# file. Nothing is copied from ../shared/data.
#   scripts/fuzz-seed-import_jp_eu.sh OUTDIR
set -eu
out=$1
mkdir -p "$out"

# A minimal e-Gov-like law: the title, 別表第一 with a header row and two 項, and the three
# country tables (one name that does not resolve).
cat > "$out/seed-jp-1" <<'XML'
J<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<Law Lang="ja" Era="Showa" Year="24" Num="378" LawType="CabinetOrder"><LawNum>昭和二十四年政令第三百七十八号</LawNum><LawBody><LawTitle Kana="ゆしゅつぼうえきかんりれい">輸出貿易管理令</LawTitle>
<MainProvision><Article Num="1"><Paragraph Num="1"><ParagraphSentence><Sentence Num="1">本則</Sentence></ParagraphSentence></Paragraph></Article></MainProvision>
<AppdxTable><AppdxTableTitle WritingMode="vertical">別表第一</AppdxTableTitle><RelatedArticleNum>（第一条関係）</RelatedArticleNum>
<TableStruct><Table WritingMode="vertical">
<TableRow><TableColumn><Sentence Num="1">　</Sentence></TableColumn><TableColumn><Sentence Num="1">貨物</Sentence></TableColumn><TableColumn><Sentence Num="1">地域</Sentence></TableColumn></TableRow>
<TableRow><TableColumn><Sentence Num="1">三の二</Sentence></TableColumn><TableColumn><Sentence Num="1">次に掲げる貨物</Sentence><Sentence Num="2">（一）　<Ruby>燐<Rt>りん</Rt></Ruby>の化合物</Sentence></TableColumn><TableColumn><Sentence Num="1">全地域</Sentence></TableColumn></TableRow>
<TableRow><TableColumn><Sentence Num="1">一六</Sentence></TableColumn><TableColumn><Sentence Num="1">その他</Sentence></TableColumn><TableColumn><Sentence Num="1">全地域（別表第三に掲げる地域を除く。）</Sentence></TableColumn></TableRow>
</Table></TableStruct></AppdxTable>
<AppdxTable><AppdxTableTitle>別表第三</AppdxTableTitle><RelatedArticleNum>（第四条関係）</RelatedArticleNum><Item Num="1"><ItemTitle/><ItemSentence><Sentence Num="1">アメリカ合衆国、英国、ナルニア</Sentence></ItemSentence></Item></AppdxTable>
<AppdxTable><AppdxTableTitle>別表第三の二</AppdxTableTitle><Item Num="1"><ItemSentence><Sentence Num="1">北朝鮮、コンゴ民主共和国</Sentence></ItemSentence></Item></AppdxTable>
<AppdxTable><AppdxTableTitle>別表第四</AppdxTableTitle><Item Num="1"><ItemSentence><Sentence Num="1">イラン、イラク、北朝鮮</Sentence></ItemSentence></Item></AppdxTable>
</LawBody></Law>
XML

# Only one AppdxTable, and a row that cannot be read.
cat > "$out/seed-jp-2" <<'XML'
J<?xml version="1.0"?><Law><LawBody><LawTitle>輸出貿易管理令</LawTitle><AppdxTable><AppdxTableTitle>別表第一</AppdxTableTitle><TableStruct><Table><TableRow><TableColumn><Sentence>十</Sentence></TableColumn><TableColumn><![CDATA[bare & text]]></TableColumn><TableColumn/></TableRow><TableRow><TableColumn><Sentence>甲</Sentence></TableColumn></TableRow></Table></TableStruct></AppdxTable></LawBody></Law>
XML

# A DTD, which must be refused.
cat > "$out/seed-jp-3" <<'XML'
J<?xml version="1.0"?>
<!DOCTYPE Law [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>
<Law><LawBody><LawTitle>&b;</LawTitle></LawBody></Law>
XML

# A small Annex I.
cat > "$out/seed-eu-1" <<'JSON'
E{"corpus_version": "02021R0821-20251115", "valid_from": "2025-11-15",
 "source_url": "http://publications.europa.eu/resource/celex/02021R0821-20251115",
 "entry_count": 2, "index": [{"code": "3E001", "first_line": "3E001 \"Technology\""}],
 "entries": [
  {"entry_code": "3E001", "category": "3",
   "verbatim_text": "3E001 \"Technology\" for the \"development\" of items in 3A.\n3E001 Note 1: not 3A003.",
   "parameters": [], "applicable_notes": ["Note 1: not 3A003."]},
  {"entry_code": "0A001", "category": "0", "verbatim_text": "0A001 Reactors:\n0A001.a Vessels; \u00e9",
   "parameters": ["0A001.a 10 kg"], "applicable_notes": [], "extra": {"n": [1, 2.5, null, true]}}
 ], "docs": [], "geas": []}
JSON

# Problems: a duplicate code, a wrong type, a count that does not match.
cat > "$out/seed-eu-2" <<'JSON'
E{"entry_count": 5, "entries": [7, {"entry_code": "1A001", "verbatim_text": "1A001 x"},
 {"entry_code": "1A001", "verbatim_text": "y"}, {"entry_code": "1A002", "parameters": "p"}]}
JSON

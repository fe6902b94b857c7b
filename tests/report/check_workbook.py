#!/usr/bin/python3
"""Reads an audit workbook back with openpyxl (an independent reader) and checks one property.

    check_workbook.py FILE.xlsx CHECK

Exit 0 when the property holds; otherwise a message on stderr and exit 1. The checks know the
fixture tests/report/sample.jsonl (see tests/cli/report.sh for which check is run on what).
"""
import sys

import openpyxl

HOSTILE = ['=HYPERLINK("http://x")', "+SUM(A1)", "-2+3", "@cmd", "\t=1 Example Nuclear Institute"]
FINDINGS_HEADER = ["finding_id", "status", "kind", "regime", "subject_type", "subject_id",
                   "subject_name", "tech_id", "project_id", "determination", "severity", "rule",
                   "basis", "reason", "channel", "list", "entry_id", "entry_name", "matched_name",
                   "score", "disposition", "reviewer", "review_date", "license_id", "note"]


def rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def header(ws):
    return [c for c in rows(ws)[0] if c is not None]


def find_row(ws, col, value):
    for r in ws.iter_rows():
        if r[col].value == value:
            return r
    raise AssertionError(f"{ws.title}: no row with {value!r} in column {col + 1}")


def check_sheets(wb):
    want = ["Summary", "Findings", "Matrix JP", "Matrix US", "Matrix EU",
            "Clean determinations", "Subjects", "List hits", "Input issues", "Lists and rules"]
    assert wb.sheetnames == want, wb.sheetnames


def check_findings(wb):
    ws = wb["Findings"]
    assert header(ws) == FINDINGS_HEADER, header(ws)
    ids = [r[0] for r in rows(ws)[1:]]
    # needs attention or reviewed, in the fixture's order; clean determinations are left out
    want = ["F-7c1a2e", "F-7c1a2f", "F-7c1a32", "F-7c1a33", "F-7c1a34", "F-7c1a35",
            "F-list-01", "F-list-02", "F-data-01"]
    assert ids == want, ids
    r = find_row(ws, 0, "F-list-01")
    assert r[19].value == 0.93 and r[19].data_type == "n", r[19].value
    assert r[1].value == "needs attention" and r[10].value == "critical"
    r = find_row(ws, 0, "F-list-02")
    assert (r[1].value, r[20].value, r[21].value) == ("cleared", "false_positive", "kato.yumi")
    r = find_row(ws, 0, "F-7c1a35")
    assert (r[20].value, r[23].value) == ("cleared_with_licence", "METI-2025-0042")


def check_layout(wb):
    ws = wb["Findings"]
    assert ws.freeze_panes == "B2", ws.freeze_panes
    assert ws.auto_filter.ref == "A1:Y10", ws.auto_filter.ref
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    assert widths.get("N", 0) >= 30 and widths.get("A", 0) >= 12, widths
    assert ws["N2"].alignment.wrap_text, "reason does not wrap"
    for name in ("Subjects", "List hits", "Input issues"):
        assert wb[name].freeze_panes == "B2" and wb[name].auto_filter.ref, name


def check_validation(wb):
    ws = wb["Findings"]
    dvs = ws.data_validations.dataValidation
    assert len(dvs) == 1, dvs
    dv = dvs[0]
    assert dv.type == "list" and str(dv.sqref) == "U2:U10", (dv.type, dv.sqref)
    assert dv.formula1 == '"true_match,false_positive,escalated,cleared_with_licence"', dv.formula1
    cf = ws.conditional_formatting
    ranges = sorted(str(r.sqref) for r in cf)
    assert ranges == ["J2:J10", "K2:K10"], ranges


def check_no_formulas(wb):
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    raise AssertionError(f"{ws.title}!{c.coordinate} holds a formula: {c.value!r}")
                if isinstance(c.value, str):
                    for h in HOSTILE:
                        if h in c.value:
                            seen.add(h)
    missing = set(HOSTILE) - seen
    assert not missing, f"hostile strings not kept as text: {missing}"


def check_matrix(wb):
    ws = wb["Matrix JP"]
    table = rows(ws)
    head = table[7]  # title, two lines of notes, a legend of 3 rows (3 technologies), blank
    assert head[:2] == ("subject_id", "subject_name") or head[:2] == ["subject_id", "subject_name"], head
    techs = [t for t in head[2:] if t]
    assert techs == ["T01", "T03", "T04"], techs  # first-seen order
    subjects = [r[0] for r in table[8:]]
    assert subjects == ["E200301", "E200201", "E200106", "V3001", "E200144", "V3002"], subjects
    cell = ws.cell(row=9, column=3)  # E200301 x T01
    assert cell.value == "license_required", cell.value
    assert cell.hyperlink is not None and cell.hyperlink.location == "'Findings'!A2", cell.hyperlink
    clean = ws.cell(row=10, column=4)  # E200201 x T03: exempt, reason in a comment
    assert clean.value == "exempt" and clean.comment is not None, (clean.value, clean.comment)
    assert "公知" in clean.comment.text, clean.comment.text
    assert ws.freeze_panes == "C9", ws.freeze_panes
    assert ws.cell(row=9, column=4).value is None  # no access: blank
    legend = [c for r in table[3:6] for c in r[2:] if c]
    assert legend == ["license_required", "exception_available", "licensed", "exempt",
                      "no_license_required", "not_controlled", "prohibited", "needs_review"], legend
    us = rows(wb["Matrix US"])  # 1 technology: a legend of 2 columns, 4 rows
    assert us[8][:3] == ("subject_id", "subject_name", "T02") or us[8][:3] == ["subject_id", "subject_name", "T02"], us[8]
    assert [r[0] for r in us[9:]] == ["E200301", "E200106"], us[9:]


def check_subjects(wb):
    ws = wb["Subjects"]
    assert header(ws) == ["subject_type", "subject_id", "subject_name", "citizenship",
                          "worst_determination", "worst_severity", "needs_attention",
                          "i129_part6", "reason"], header(ws)
    r = find_row(ws, 1, "E200301")
    assert r[4].value == "license_required" and r[6].value == "yes"
    assert r[7].value.startswith("A license is required")
    assert len(rows(ws)) == 7


def check_issues(wb):
    ws = wb["Input issues"]
    t = rows(ws)
    assert list(t[0]) == ["file", "line", "column", "severity", "code", "problem", "hint"], t[0]
    assert list(t[1][:4]) == ["examples/university/people.csv", 46, 9, "error"], t[1]
    assert t[2][5] == "=cmd|' /C calc'!A0 unknown column kept", t[2]


def check_hits(wb):
    t = rows(wb["List hits"])
    assert [r[0] for r in t[1:]] == ["F-list-01", "F-list-02"], t
    assert "'inst' ~ 'institute'" in t[1][10] and t[1][8] == 0.93, t[1]


def check_lists(wb):
    t = rows(wb["Lists and rules"])
    flat = [c for r in t for c in r if c is not None]
    for v in ("us_csl", "jp_meti_eul", 14160, "2025-09-29", "jp.deemed.specific3",
              "役務通達 1(3)(サ)③", "sha256:5f1c0d7e2a9b44c1"):
        assert v in flat, v


def check_summary(wb):
    t = rows(wb["Summary"])
    flat = [c for r in t for c in r if c is not None]
    text = "\n".join(str(c) for c in flat)
    for v in ("R-20260401-0001", "2026-04-01", "kato.yumi", "Prepared by", "Reviewed by",
              "Needs attention first", "examples/university/people.csv", "us_csl"):
        assert v in text, v
    assert "7 results need attention (5 determinations, 2 findings)" in text, text[:400]
    # determinations by regime: license_required JP 1, US 1
    r = next(r for r in t if r[0] == "license_required")
    assert list(r[1:5]) == [1, 1, 0, 2], r
    r = next(r for r in t if r[0] == "critical")
    assert list(r[1:3]) == [1, 1], r
    # the most urgent first: the prohibited visitor, then the critical list hit
    i = next(i for i, r in enumerate(t) if r[0] == "subject" and r[1] == "regime")
    assert t[i + 1][0].startswith("V3001") and t[i + 1][3] == "critical", t[i + 1]
    assert wb["Summary"]._charts, "no chart"


def check_continued(wb):
    assert "Findings (2)" in wb.sheetnames and "Findings (3)" in wb.sheetnames, wb.sheetnames
    ids = [r[0] for name in ("Findings", "Findings (2)", "Findings (3)")
           for r in rows(wb[name])[1:]]
    assert len(ids) == 9 and ids[0] == "F-7c1a2e" and ids[-1] == "F-data-01", ids
    assert header(wb["Findings (2)"]) == FINDINGS_HEADER
    text = "\n".join(str(c) for r in rows(wb["Summary"]) for c in r if c is not None)
    assert 'continued on sheets "Findings (2)" to "Findings (3)"' in text, text
    # the JP matrix has 6 subjects: 4 on its first sheet, 2 on "Matrix JP (2)", same header
    jp2 = rows(wb["Matrix JP (2)"])
    assert [r[0] for r in jp2[8:]] == ["E200144", "V3002"], jp2[8:]
    assert list(jp2[7][:5]) == ["subject_id", "subject_name", "T01", "T03", "T04"], jp2[7]
    assert 'Matrix JP: 6 subjects, continued on sheet "Matrix JP (2)".' in text, text


def main():
    wb = openpyxl.load_workbook(sys.argv[1])
    try:
        globals()["check_" + sys.argv[2]](wb)
    except AssertionError as e:
        print(f"{sys.argv[2]}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

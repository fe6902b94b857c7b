#!/usr/bin/env python3
"""Generate a people.csv for benchmarks: N rows, Japanese headers, CP932, CRLF, every row valid.

usage: gen_people.py N OUT.csv
Deterministic (fixed seed) so that runs are comparable.
"""
import random
import sys

HEADERS = ["個人ID", "姓", "名", "漢字氏名", "別名", "生年月日", "性別", "国籍", "永住権",
           "米国人区分", "在留資格", "身分", "部局", "所属", "所属国", "入国日", "本邦雇用",
           "公務区分", "居住性", "年収", "通貨", "誓約日", "誓約内容", "外国政府指示",
           "開始日", "終了日"]
FAMILY = [("Tanaka", "田中"), ("Suzuki", "鈴木"), ("Takahashi", "高橋"), ("Wang", "王"),
          ("Li", "李"), ("Zhang", "張"), ("Kim", "金"), ("Park", "朴"), ("Nguyen", "阮"),
          ("Sato", "佐藤"), ("Ito", "伊藤"), ("Watanabe", "渡辺"), ("Chen", "陳"), ("Liu", "劉")]
GIVEN = [("Hiroshi", "博"), ("Yuki", "由紀"), ("Wei", "偉"), ("Min-jun", "民俊"),
         ("Akira", "明"), ("Sakura", "さくら"), ("Jing", "静"), ("Haruto", "陽翔"),
         ("Soo-ah", "秀雅"), ("Kenta", "健太")]
COUNTRIES = ["JP", "CN", "KR", "VN", "US", "DE", "IN", "中国", "韓国", "Chinese", "Japan",
             "IR@1985-01-01;CA@2015-06-01", "TW", "TH"]
ROLES = ["faculty", "staff", "postdoc", "student", "教員", "学生"]
DEPTS = ["工学研究科", "理学研究科", "情報科学研究科", "Graduate School of Engineering",
         "Department of Physics"]


def date(rng, y0, y1):
    y = rng.randint(y0, y1)
    m = rng.randint(1, 12)
    d = rng.randint(1, 28)
    return f"{y}/{m}/{d}" if rng.random() < 0.3 else f"{y:04d}-{m:02d}-{d:02d}"


def row(rng, i):
    fam, fam_k = rng.choice(FAMILY)
    giv, giv_k = rng.choice(GIVEN)
    start = date(rng, 2015, 2024)
    return [f"P{i:07d}", fam, giv, fam_k + " " + giv_k,
            f"{giv} {fam}" if rng.random() < 0.2 else "",
            date(rng, 1950, 2004), rng.choice("MFX"), rng.choice(COUNTRIES),
            "", rng.choice(["none", "citizen", "lpr", ""]), rng.choice(["研究", "留学", "", "H-1B"]),
            rng.choice(ROLES), rng.choice(DEPTS), "北見科学技術大学", "JP",
            date(rng, 2020, 2026), rng.choice(["yes", "no", "有", "無"]), "none",
            "", f"{rng.randint(2, 15) * 1000000:,}", "JPY", date(rng, 2022, 2026),
            rng.choice(["none", "1", "2", "1+2"]), rng.choice(["no", "unknown"]),
            start, ""]


def quote(v):
    if any(c in v for c in ',"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(20261125)
    with open(out, "wb") as f:
        f.write((",".join(HEADERS) + "\r\n").encode("cp932"))
        for i in range(1, n + 1):
            f.write((",".join(quote(v) for v in row(rng, i)) + "\r\n").encode("cp932"))


if __name__ == "__main__":
    main()

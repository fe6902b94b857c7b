#!/usr/bin/env python3
"""Generate a university's records for the screen benchmark (make bench).

usage: gen_university.py PEOPLE TECHNOLOGIES PAIRS OUTDIR
e.g.   gen_university.py 50000 2000 200000 build/release/bench/university

Writes people.csv, projects.csv, technologies.csv, assignments.csv (exactly PAIRS access pairs,
each subject x technology once), organizations.csv, contracts.csv and funding.csv in UTF-8. The
mix follows examples/university: most people are Japanese residents, a third are foreign
nationals with entry dates, some hold foreign contracts or foreign-government funding; projects
are in Japan, the United States or Germany; technologies carry list items, ECCNs and reasons of
every kind the rules read, some unclassified. A few affiliations and sponsors are names on the
real lists, so the screen finds hits as it would at a real university. Deterministic (fixed
seed) so that runs are comparable.
"""
import csv
import os
import random
import sys

# Names by origin, varied enough that few of 50,000 people share a full name (as at a real
# university); Chinese and Korean given names are built from syllables, Japanese ones from
# common stems and endings.
JP_FAMILY = ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
             "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto",
             "Inoue", "Kimura", "Hayashi", "Shimizu", "Yamazaki", "Mori", "Abe", "Ikeda",
             "Hashimoto", "Yamashita", "Ishikawa", "Nakajima", "Maeda", "Fujita", "Ogawa",
             "Goto", "Okada", "Hasegawa", "Murakami", "Kondo", "Ishii", "Saito", "Sakamoto",
             "Endo", "Aoki", "Fujii", "Nishimura", "Fukuda", "Ota", "Miura", "Fujiwara",
             "Okamoto", "Matsuda", "Nakagawa", "Nakano", "Harada", "Ono", "Tamura", "Takeuchi",
             "Kaneko", "Wada", "Nakayama", "Ishida", "Ueda", "Morita", "Hara", "Shibata", "Sakai",
             "Kudo", "Yokoyama", "Miyazaki", "Miyamoto", "Uchida", "Takagi", "Ando", "Taniguchi",
             "Ohno", "Maruyama", "Imai", "Kono", "Fujimoto", "Murata", "Takeda", "Ueno",
             "Sugiyama", "Masuda", "Sugawara", "Hirano", "Otsuka", "Chiba", "Kubo", "Matsui"]
JP_STEM = ["Haru", "Yu", "Ken", "Sho", "Dai", "Ryo", "Taka", "Hiro", "Kazu", "Masa", "Nao",
           "Aki", "Yoshi", "Tomo", "Shin", "Tetsu", "Kei", "Mai", "Saki", "Nana", "Emi", "Rin",
           "Yui", "Mio", "Ayu", "Chi", "Tsuyo", "Kiyo", "Mitsu", "Nobu"]
JP_END = ["to", "ki", "ta", "ko", "mi", "ya", "shi", "suke", "hei", "na", "ka", "ro", "ichi",
          "o", "e"]
CN_FAMILY = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu",
             "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Gao", "Luo", "Zheng", "Liang",
             "Xie", "Song", "Tang", "Han", "Feng", "Deng", "Cao", "Peng", "Zeng", "Xiao", "Tian",
             "Dong", "Pan", "Yuan", "Cai", "Jiang", "Yu", "Du", "Ye", "Cheng", "Wei", "Su", "Lu",
             "Ding", "Ren", "Shen", "Yao", "Lu", "Jiang", "Cui", "Zhong", "Tan", "Fan", "Wan"]
CN_SYL = ["wei", "fang", "na", "min", "jing", "li", "qiang", "lei", "jun", "yang", "yong",
          "yan", "jie", "tao", "ming", "chao", "xiu", "xia", "hua", "ping", "gang", "hui", "bo",
          "ling", "yu", "hao", "kai", "xin", "rui", "zi", "han", "chen", "yi", "tian", "long",
          "feng", "hong", "lan", "mei", "qing", "dong", "shan", "wen", "xue", "zhi", "jian",
          "cheng", "guo", "hai", "peng", "ning", "shu", "yue", "zhen", "bin", "kun", "lin",
          "song", "ting", "xuan"]
KR_FAMILY = ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han",
             "Oh", "Seo", "Shin", "Kwon", "Hwang", "Ahn", "Song", "Yoo", "Hong"]
KR_SYL = ["min", "jun", "seo", "ji", "hyun", "woo", "soo", "young", "jin", "ho", "eun", "hye",
          "sung", "jae", "dong", "kyung", "mi", "yeon", "hoon", "na"]
VN_FAMILY = ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do"]
VN_GIVEN = ["Van Anh", "Thi Lan", "Minh Duc", "Thanh Huong", "Quoc Bao", "Thu Trang",
            "Duc Minh", "Hoai Nam", "Ngoc Linh", "Tuan Anh", "Hai Yen", "Van Hung"]
FAMILY = ["Tanaka", "Suzuki", "Takahashi", "Sato", "Ito", "Watanabe", "Yamamoto", "Nakamura",
          "Kobayashi", "Kato", "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao",
          "Kim", "Park", "Choi", "Nguyen", "Tran", "Le", "Sharma", "Gupta", "Singh", "Patel",
          "Mueller", "Schmidt", "Schneider", "Fischer", "Smith", "Johnson", "Brown", "Garcia",
          "Rossi", "Ivanov", "Petrov", "Hosseini", "Ahmadi", "Rezaei", "Silva", "Santos",
          "Dubois", "Martin", "Novak", "Kowalski", "Yilmaz", "Demir"]
GIVEN = ["Hiroshi", "Yuki", "Akira", "Sakura", "Haruto", "Kenta", "Aoi", "Ren", "Mei", "Sota",
         "Wei", "Jing", "Fang", "Lei", "Xiaoming", "Min-jun", "Soo-ah", "Ji-woo", "Anh", "Minh",
         "Rahul", "Priya", "Arjun", "Anna", "Lukas", "Felix", "Emma", "James", "Maria", "Luca",
         "Dmitri", "Olga", "Reza", "Sara", "Ali", "Joao", "Camille", "Jan", "Piotr", "Emre"]
# Nationality mix of a Japanese research university; pairs (citizenship, weight).
CITIZEN = [("JP", 62), ("CN", 12), ("KR", 4), ("VN", 3), ("IN", 3), ("DE", 2), ("US", 2),
           ("TW", 2), ("TH", 2), ("ID", 2), ("IR", 1), ("RU", 1), ("FR", 1), ("BR", 1),
           ("IR@1985-01-01;CA@2015-06-01", 1), ("GB", 1)]
ROLES = ["faculty", "staff", "postdoc", "student", "visiting", "contractor"]
DEPTS = ["Graduate School of Engineering", "Department of Physics", "Graduate School of "
         "Information Science", "Institute for Materials Research", "Department of Chemistry"]
# Outside organisations: mostly ordinary, a few that are on the real lists.
ORGS = [("Hokuto Denki K.K.", "JP"), ("Tsugaru Semiconductor K.K.", "JP"),
        ("Bayshore Lithography Inc.", "US"), ("Universitaet Valtrebbia", "IT"),
        ("Dongjiang University of Technology", "CN"), ("Seoul Photonics Co.", "KR"),
        ("Hanoi Institute of Materials", "VN"), ("Bangalore Avionics Ltd", "IN"),
        ("Rheinland Optik GmbH", "DE"), ("Kyushu Robotics K.K.", "JP"),
        ("Harbin Institute of Technology", "CN"), ("Northwestern Polytechnical University", "CN"),
        ("Beihang University", "CN"), ("National University of Defense Technology", "CN"),
        ("Sharif University of Technology", "IR"), ("Moscow Institute of Physics and Technology",
                                                   "RU")]
ECCNS = [("3E001", "NS1;AT1"), ("3E001", ""), ("5E002", "NS1;AT1"), ("3E003", "NS1;AT1"),
         ("9E515", ""), ("EAR99", ""), ("1E001", ""), ("6E001", "NS1;AT1"), ("", "")]


def person_name(rng, cit):
    """(family, given) for a citizenship."""
    cc = cit[:2]
    if cc == "JP":
        return rng.choice(JP_FAMILY), rng.choice(JP_STEM) + rng.choice(JP_END)
    if cc in ("CN", "TW"):
        given = "".join(rng.choice(CN_SYL) for _ in range(rng.choice((1, 2, 2))))
        return rng.choice(CN_FAMILY), given.capitalize()
    if cc == "KR":
        return rng.choice(KR_FAMILY), (rng.choice(KR_SYL) + "-" + rng.choice(KR_SYL)).title()
    if cc == "VN":
        return rng.choice(VN_FAMILY), rng.choice(VN_GIVEN)
    return rng.choice(FAMILY), rng.choice(GIVEN) + (
        " " + rng.choice(GIVEN) if rng.random() < 0.3 else "")


def date(rng, y0, y1):
    return f"{rng.randint(y0, y1):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.uniform(0, total)
    for v, w in pairs:
        x -= w
        if x <= 0:
            return v
    return pairs[-1][0]


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main():
    n_people, n_tech, n_pairs, out = (int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]),
                                      sys.argv[4])
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20261125)

    people, contracts, funding = [], [], []
    for i in range(1, n_people + 1):
        pid = f"P{i:06d}"
        cit = weighted(rng, CITIZEN)
        foreign = not cit.startswith("JP")
        org, org_cc = rng.choice(ORGS) if rng.random() < 0.08 else ("", "")
        family, given = person_name(rng, cit)
        people.append([
            pid, family, given, date(rng, 1955, 2004),
            rng.choice("MF"), cit, "", rng.choice(["none", "none", "lpr", ""]) if foreign
            else "none", rng.choice(ROLES), rng.choice(DEPTS), org, org_cc,
            date(rng, 2023, 2026) if foreign else "",
            rng.choice(["yes", "no"]) if foreign else "yes", "none",
            str(rng.randint(3, 15) * 1000000), "JPY",
            date(rng, 2022, 2026) if rng.random() < 0.9 else "",
            rng.choice(["none", "none", "none", "1"]),
            rng.choice(["no", "no", "unknown"]), date(rng, 2015, 2026), ""])
        if foreign and rng.random() < 0.06:
            contracts.append([pid, org or "Dongjiang University of Technology", "foreign_entity",
                              org_cc or "CN", rng.choice(["yes", "no"]), "no", "no",
                              "2024-04-01", "2028-03-31"])
        if rng.random() < 0.05:
            funding.append([pid, "National research grant", rng.choice(
                ["foreign_government", "foreign_entity", "domestic"]),
                rng.choice(["CN", "KR", "US", "DE"]), str(rng.randint(2, 40) * 100000), "JPY",
                "2026-04-01", "2027-03-31"])
    write(os.path.join(out, "people.csv"),
          ["person_id", "family_name", "given_name", "date_of_birth", "gender", "citizenships",
           "permanent_residencies", "us_person_status", "role", "department", "affiliation",
           "affiliation_country", "jp_entry_date", "jp_employed", "jp_official_status",
           "annual_income", "income_currency", "pledge_date", "pledge_answer",
           "foreign_gov_instructions", "start_date", "end_date"], people)
    write(os.path.join(out, "contracts.csv"),
          ["person_id", "counterparty", "counterparty_type", "counterparty_country",
           "subject_to_direction", "precedence_agreement", "same_group", "start_date",
           "end_date"], contracts)
    write(os.path.join(out, "funding.csv"),
          ["person_id", "source", "source_type", "source_country", "annual_amount", "currency",
           "start_date", "end_date"], funding)

    n_projects = max(1, n_tech // 4)
    projects = []
    for i in range(1, n_projects + 1):
        loc = weighted(rng, [("JP", 75), ("US", 20), ("DE", 5)])
        sponsor, sponsor_cc = rng.choice(ORGS)
        fr = rng.choice(["yes", "no"])
        projects.append([f"PRJ{i:05d}", f"Research project {i}",
                         f"P{rng.randint(1, n_people):06d}", "", loc, sponsor, sponsor_cc, "",
                         "2025-04-01", "2028-03-31", fr,
                         "yes" if fr == "no" and rng.random() < 0.3 else "no", "no"])
    write(os.path.join(out, "projects.csv"),
          ["project_id", "title", "pi_person_id", "description", "location", "sponsor",
           "sponsor_country", "collaborators", "start_date", "end_date", "fundamental_research",
           "publication_restrictions", "foreign_national_restrictions"], projects)

    techs = []
    for i in range(1, n_tech + 1):
        eccn, reasons = rng.choice(ECCNS)
        item = rng.choice(["7", "7", "2", "4", "10", "16", "16", "16", ""])
        techs.append([f"T{i:05d}", f"PRJ{rng.randint(1, n_projects):05d}",
                      f"Technology {i}", rng.choice(["input", "output"]), item, "",
                      rng.choice(["", "", "M", "N;M", "CW"]) if item == "16" else "",
                      eccn, reasons, rng.choice(["yes", "no"]), "", "",
                      "yes" if rng.random() < 0.05 else "no",
                      "yes" if rng.random() < 0.05 else "no", "no",
                      "classified" if item else "pending"])
    write(os.path.join(out, "technologies.csv"),
          ["tech_id", "project_id", "description", "origin", "jp_item", "jp_citation",
           "concern_types", "eccn", "us_reasons", "us_origin", "usml_category", "eu_code",
           "public", "basic_science", "educational", "classification_status"], techs)

    # Exactly n_pairs distinct subject x technology pairs.
    seen, assignments = set(), []
    while len(assignments) < n_pairs:
        s, t = rng.randint(1, n_people), rng.randint(1, n_tech)
        if (s, t) in seen:
            continue
        seen.add((s, t))
        assignments.append([f"P{s:06d}", f"T{t:05d}", "",
                            rng.choice(["full", "full", "supervised"]), "2026-04-01", ""])
    write(os.path.join(out, "assignments.csv"),
          ["subject_id", "tech_id", "project_id", "access", "start_date", "end_date"],
          assignments)

    orgs = [[f"O{i:03d}", name, "", cc, "", "collaborator"]
            for i, (name, cc) in enumerate(ORGS, 1)]
    write(os.path.join(out, "organizations.csv"),
          ["org_id", "name", "aliases", "country", "owners", "relation"], orgs)


if __name__ == "__main__":
    main()

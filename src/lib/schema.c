/*
 * schema.c — the record files' columns (product.md §4), their types, Japanese header aliases
 * and value words. The Japanese aliases are those Japanese HR and research-office exports use;
 * docs/records.md documents all of them.
 */
#include "schema.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

/* ---- value words ---- */

static const dx_value_word GENDER[] = {
    {"M", DX_GENDER_M}, {"male", DX_GENDER_M}, {"\xE7\x94\xB7", DX_GENDER_M}, /* 男 */
    {"F", DX_GENDER_F}, {"female", DX_GENDER_F}, {"\xE5\xA5\xB3", DX_GENDER_F}, /* 女 */
    {"X", DX_GENDER_X}, {NULL, 0}};

static const dx_value_word US_STATUS[] = {
    {"citizen", DX_US_CITIZEN}, {"us_citizen", DX_US_CITIZEN},
    {"lpr", DX_US_LPR}, {"permanent_resident", DX_US_LPR}, {"green_card", DX_US_LPR},
    {"protected", DX_US_PROTECTED}, {"protected_individual", DX_US_PROTECTED},
    {"none", DX_US_NONE}, {NULL, 0}};

static const dx_value_word ROLE[] = {
    {"faculty", DX_ROLE_FACULTY}, {"\xE6\x95\x99\xE5\x93\xA1", DX_ROLE_FACULTY}, /* 教員 */
    {"staff", DX_ROLE_STAFF}, {"\xE8\x81\xB7\xE5\x93\xA1", DX_ROLE_STAFF},       /* 職員 */
    {"postdoc", DX_ROLE_POSTDOC},
    {"\xE3\x83\x9D\xE3\x82\xB9\xE3\x83\x89\xE3\x82\xAF", DX_ROLE_POSTDOC},     /* ポスドク */
    {"\xE5\x8D\x9A\xE5\xA3\xAB\xE7\xA0\x94\xE7\xA9\xB6\xE5\x93\xA1", DX_ROLE_POSTDOC}, /* 博士研究員 */
    {"student", DX_ROLE_STUDENT}, {"\xE5\xAD\xA6\xE7\x94\x9F", DX_ROLE_STUDENT}, /* 学生 */
    {"visiting", DX_ROLE_VISITING}, {"\xE5\xAE\xA2\xE5\x93\xA1", DX_ROLE_VISITING}, /* 客員 */
    {"contractor", DX_ROLE_CONTRACTOR},
    {"\xE5\xA7\x94\xE8\xA8\x97", DX_ROLE_CONTRACTOR},                          /* 委託 */
    {"other", DX_ROLE_OTHER}, {"\xE3\x81\x9D\xE3\x81\xAE\xE4\xBB\x96", DX_ROLE_OTHER}, /* その他 */
    {NULL, 0}};

static const dx_value_word OFFICIAL[] = {
    {"none", DX_JP_OFFICIAL_NONE}, {"diplomat", DX_JP_OFFICIAL_DIPLOMAT},
    {"foreign_official", DX_JP_OFFICIAL_FOREIGN_OFFICIAL}, {"intl_org", DX_JP_OFFICIAL_INTL_ORG},
    {"armed_forces", DX_JP_OFFICIAL_ARMED_FORCES}, {NULL, 0}};

static const dx_value_word ABROAD[] = {
    {"work", DX_ABROAD_WORK}, {"long_stay", DX_ABROAD_LONG_STAY},
    {"diplomatic_mission", DX_ABROAD_DIPLOMATIC_MISSION}, {"other", DX_ABROAD_OTHER},
    {NULL, 0}};

static const dx_value_word RESIDENCY[] = {
    {"resident", DX_RESIDENCY_RESIDENT},
    {"\xE5\xB1\x85\xE4\xBD\x8F\xE8\x80\x85", DX_RESIDENCY_RESIDENT}, /* 居住者 */
    {"non-resident", DX_RESIDENCY_NON_RESIDENT},
    {"\xE9\x9D\x9E\xE5\xB1\x85\xE4\xBD\x8F\xE8\x80\x85", DX_RESIDENCY_NON_RESIDENT}, /* 非居住者 */
    {NULL, 0}};

static const dx_value_word PLEDGE[] = {
    {"none", DX_PLEDGE_NONE}, {"\xE3\x81\xAA\xE3\x81\x97", DX_PLEDGE_NONE}, /* なし */
    {"\xE7\x84\xA1", DX_PLEDGE_NONE},                                      /* 無 */
    {"1", DX_PLEDGE_1}, {"2", DX_PLEDGE_2}, {"1+2", DX_PLEDGE_1_2}, {"2+1", DX_PLEDGE_1_2},
    {NULL, 0}};

static const dx_value_word PARTY[] = {
    {"foreign_government", DX_PARTY_FOREIGN_GOVERNMENT},
    {"\xE5\xA4\x96\xE5\x9B\xBD\xE6\x94\xBF\xE5\xBA\x9C", DX_PARTY_FOREIGN_GOVERNMENT}, /* 外国政府 */
    {"foreign_entity", DX_PARTY_FOREIGN_ENTITY},
    {"\xE5\xA4\x96\xE5\x9B\xBD\xE6\xB3\x95\xE4\xBA\xBA", DX_PARTY_FOREIGN_ENTITY}, /* 外国法人 */
    {"domestic", DX_PARTY_DOMESTIC}, {"\xE5\x9B\xBD\xE5\x86\x85", DX_PARTY_DOMESTIC}, /* 国内 */
    {NULL, 0}};

static const dx_value_word ORIGIN[] = {
    {"input", DX_ORIGIN_INPUT}, {"output", DX_ORIGIN_OUTPUT}, {NULL, 0}};

static const dx_value_word ACCESS[] = {
    {"full", DX_ACCESS_FULL}, {"supervised", DX_ACCESS_SUPERVISED}, {"none", DX_ACCESS_NONE},
    {NULL, 0}};

static const dx_value_word CLASSIFICATION[] = {
    {"classified", DX_CLASS_CLASSIFIED}, {"pending", DX_CLASS_PENDING}, {NULL, 0}};

static const dx_value_word RELATION[] = {
    {"sponsor", DX_RELATION_SPONSOR}, {"collaborator", DX_RELATION_COLLABORATOR},
    {"supplier", DX_RELATION_SUPPLIER}, {"customer", DX_RELATION_CUSTOMER},
    {"employer", DX_RELATION_EMPLOYER}, {"investor", DX_RELATION_INVESTOR}, {NULL, 0}};

static const dx_value_word AUTHORITY[] = {
    {"METI", DX_AUTHORITY_METI}, {"BIS", DX_AUTHORITY_BIS}, {"DDTC", DX_AUTHORITY_DDTC},
    {"EU", DX_AUTHORITY_EU}, {NULL, 0}};

static const dx_value_word LICENSE_KIND[] = {
    {"individual", DX_LICENSE_INDIVIDUAL}, {"\xE5\x80\x8B\xE5\x88\xA5", DX_LICENSE_INDIVIDUAL}, /* 個別 */
    {"bulk", DX_LICENSE_BULK}, {"\xE5\x8C\x85\xE6\x8B\xAC", DX_LICENSE_BULK}, /* 包括 */
    {"exception", DX_LICENSE_EXCEPTION}, {NULL, 0}};

/* ---- columns ---- */

#define COL(st, name, aliases, type, field, flags) \
    {name, aliases, type, offsetof(st, field), flags, NULL}
#define ENUMCOL(st, name, aliases, field, words, flags) \
    {name, aliases, DX_COL_ENUM, offsetof(st, field), flags, words}

/* The person columns, shared by people.csv and visitors.csv (a visitor begins with a person). */
#define PERSON_COLUMNS(st, base, id_name, id_aliases)                                           \
    COL(st, id_name, id_aliases, DX_COL_TEXT, base person_id, DX_COL_REQUIRED | DX_COL_ID | DX_COL_SUBJECT), \
    COL(st, "family_name", "姓|氏|surname|last_name", DX_COL_TEXT, base family_name, 0),        \
    COL(st, "given_name", "名|first_name", DX_COL_TEXT, base given_name, 0),                    \
    COL(st, "full_name", "氏名|名前|name", DX_COL_TEXT, base full_name, 0),                     \
    COL(st, "name_local", "漢字氏名|氏名漢字|現地表記|native_name", DX_COL_TEXT, base name_local, 0), \
    COL(st, "aliases", "別名|通称", DX_COL_TEXT_LIST, base aliases, 0),                          \
    COL(st, "date_of_birth", "生年月日|dob|birth_date", DX_COL_DATE_OR_YEAR, base date_of_birth, 0), \
    ENUMCOL(st, "gender", "性別|sex", base gender, GENDER, 0),                                   \
    COL(st, "citizenships", "国籍|citizenship|nationality|nationalities", DX_COL_COUNTRY_LIST,   \
        base citizenships, 0),                                                                   \
    COL(st, "permanent_residencies", "永住権|永住国|permanent_residency", DX_COL_COUNTRY_LIST,   \
        base permanent_residencies, 0),                                                          \
    ENUMCOL(st, "us_person_status", "米国人区分", base us_person_status, US_STATUS, 0),          \
    COL(st, "visa_type", "在留資格|ビザ|visa", DX_COL_TEXT, base visa_type, 0),                  \
    ENUMCOL(st, "role", "身分|職名|区分", base role, ROLE, 0),                                   \
    COL(st, "department", "部局|部署|学科", DX_COL_TEXT, base department, 0),                    \
    COL(st, "affiliation", "所属|所属機関", DX_COL_TEXT, base affiliation, 0),                   \
    COL(st, "affiliation_country", "所属国|所属機関国", DX_COL_COUNTRY, base affiliation_country, 0), \
    COL(st, "jp_entry_date", "入国日|本邦入国日", DX_COL_DATE, base jp_entry_date, 0),           \
    COL(st, "jp_employed", "本邦雇用|国内雇用", DX_COL_YESNO, base jp_employed, 0),              \
    ENUMCOL(st, "jp_official_status", "公務区分", base jp_official_status, OFFICIAL, 0),         \
    COL(st, "jp_abroad_since", "出国日", DX_COL_DATE, base jp_abroad_since, 0),                  \
    ENUMCOL(st, "jp_abroad_purpose", "出国目的", base jp_abroad_purpose, ABROAD, 0),             \
    COL(st, "jp_abroad_country", "滞在国", DX_COL_COUNTRY, base jp_abroad_country, 0),           \
    COL(st, "jp_return_date", "帰国日", DX_COL_DATE, base jp_return_date, 0),                    \
    ENUMCOL(st, "jp_residency", "居住性", base jp_residency, RESIDENCY, 0),                      \
    COL(st, "residency_note", "居住性備考|居住性理由", DX_COL_TEXT, base residency_note, 0),     \
    COL(st, "annual_income", "年収|年間所得", DX_COL_AMOUNT, base annual_income, 0),             \
    COL(st, "income_currency", "通貨|所得通貨", DX_COL_CURRENCY, base income_currency, 0),       \
    COL(st, "pledge_date", "誓約日|誓約書提出日", DX_COL_DATE, base pledge_date, 0),             \
    ENUMCOL(st, "pledge_answer", "誓約内容|特定類型", base pledge_answer, PLEDGE, 0),            \
    COL(st, "foreign_gov_instructions", "外国政府指示", DX_COL_YESNO_UNKNOWN,                    \
        base foreign_gov_instructions, 0),                                                       \
    COL(st, "start_date", "開始日|着任日|入学日", DX_COL_DATE, base start_date, 0),              \
    COL(st, "end_date", "終了日|離任日|修了日", DX_COL_DATE, base end_date, 0)

static const dx_column PEOPLE[] = {PERSON_COLUMNS(dx_person, , "person_id", "個人ID|職員番号|学籍番号|id")};

static const dx_column VISITORS[] = {
    PERSON_COLUMNS(dx_visitor, person., "visitor_id", "来訪者ID|person_id|id"),
    COL(dx_visitor, "organization", "所属組織|来訪者所属|organisation", DX_COL_TEXT, organization, 0),
    COL(dx_visitor, "organization_country", "所属組織国|organisation_country", DX_COL_COUNTRY,
        organization_country, 0),
    COL(dx_visitor, "host_person_id", "受入教員ID|host", DX_COL_TEXT, host_person_id, 0),
    COL(dx_visitor, "visit_start", "来訪開始日|訪問開始日", DX_COL_DATE, visit_start, 0),
    COL(dx_visitor, "visit_end", "来訪終了日|訪問終了日", DX_COL_DATE, visit_end, 0),
    COL(dx_visitor, "facility", "施設", DX_COL_TEXT, facility, 0),
    COL(dx_visitor, "purpose", "目的|来訪目的", DX_COL_TEXT, purpose, 0),
    COL(dx_visitor, "technologies", "提供技術|技術", DX_COL_TEXT_LIST, technologies, 0),
    COL(dx_visitor, "public_only", "公開情報のみ", DX_COL_YESNO, public_only, 0),
};

static const dx_column PROJECTS[] = {
    COL(dx_project, "project_id", "プロジェクトID|課題番号|id", DX_COL_TEXT, project_id,
        DX_COL_REQUIRED | DX_COL_ID),
    COL(dx_project, "title", "課題名|名称", DX_COL_TEXT, title, 0),
    COL(dx_project, "pi_person_id", "研究代表者ID|pi", DX_COL_TEXT, pi_person_id, 0),
    COL(dx_project, "description", "概要|説明", DX_COL_TEXT, description, 0),
    COL(dx_project, "location", "実施国|実施場所", DX_COL_COUNTRY, location, 0),
    COL(dx_project, "sponsor", "資金提供元|スポンサー", DX_COL_TEXT, sponsor, 0),
    COL(dx_project, "sponsor_country", "資金提供元国", DX_COL_COUNTRY, sponsor_country, 0),
    COL(dx_project, "collaborators", "共同研究先", DX_COL_TEXT_LIST, collaborators, 0),
    COL(dx_project, "start_date", "開始日", DX_COL_DATE, start_date, 0),
    COL(dx_project, "end_date", "終了日", DX_COL_DATE, end_date, 0),
    COL(dx_project, "fundamental_research", "基礎研究", DX_COL_YESNO, fundamental_research, 0),
    COL(dx_project, "publication_restrictions", "公表制限", DX_COL_YESNO,
        publication_restrictions, 0),
    COL(dx_project, "foreign_national_restrictions", "外国人参加制限", DX_COL_YESNO,
        foreign_national_restrictions, 0),
};

static const dx_column TECHNOLOGIES[] = {
    COL(dx_technology, "tech_id", "技術ID|id", DX_COL_TEXT, tech_id, DX_COL_REQUIRED | DX_COL_ID),
    COL(dx_technology, "project_id", "プロジェクトID|課題番号", DX_COL_TEXT, project_id,
        DX_COL_REQUIRED),
    COL(dx_technology, "description", "概要|説明|技術名", DX_COL_TEXT, description, 0),
    ENUMCOL(dx_technology, "origin", "由来", origin, ORIGIN, 0),
    COL(dx_technology, "jp_item", "該当項番|項番|外為令別表", DX_COL_JP_ITEM, jp_item, 0),
    COL(dx_technology, "jp_citation", "該当条項|省令条項", DX_COL_TEXT, jp_citation, 0),
    COL(dx_technology, "concern_types", "懸念区分", DX_COL_CONCERNS, concern_types, 0),
    COL(dx_technology, "eccn", "ECCN", DX_COL_ECCN, eccn, 0),
    COL(dx_technology, "us_reasons", "規制理由|reasons_for_control", DX_COL_REASONS, us_reasons, 0),
    COL(dx_technology, "us_origin", "米国原産", DX_COL_YESNO, us_origin, 0),
    COL(dx_technology, "usml_category", "USML", DX_COL_TEXT, usml_category, 0),
    COL(dx_technology, "eu_code", "EU番号|eu_annex_i", DX_COL_TEXT, eu_code, 0),
    COL(dx_technology, "public", "公知", DX_COL_YESNO, is_public, 0),
    COL(dx_technology, "basic_science", "基礎科学", DX_COL_YESNO, basic_science, 0),
    COL(dx_technology, "educational", "教育", DX_COL_YESNO, educational, 0),
    ENUMCOL(dx_technology, "classification_status", "該非判定状況", classification_status,
            CLASSIFICATION, 0),
};

static const dx_column ASSIGNMENTS[] = {
    COL(dx_assignment, "subject_id", "個人ID|来訪者ID|person_id|visitor_id", DX_COL_TEXT,
        subject_id, DX_COL_REQUIRED | DX_COL_SUBJECT),
    COL(dx_assignment, "tech_id", "技術ID", DX_COL_TEXT, tech_id, 0),
    COL(dx_assignment, "project_id", "プロジェクトID|課題番号", DX_COL_TEXT, project_id, 0),
    ENUMCOL(dx_assignment, "access", "アクセス|アクセス権", access, ACCESS, 0),
    COL(dx_assignment, "start_date", "開始日", DX_COL_DATE, start_date, 0),
    COL(dx_assignment, "end_date", "終了日", DX_COL_DATE, end_date, 0),
};

static const dx_column CONTRACTS[] = {
    COL(dx_contract, "person_id", "個人ID", DX_COL_TEXT, person_id, DX_COL_REQUIRED | DX_COL_SUBJECT),
    COL(dx_contract, "counterparty", "契約相手|相手方", DX_COL_TEXT, counterparty, DX_COL_REQUIRED),
    ENUMCOL(dx_contract, "counterparty_type", "相手方区分", counterparty_type, PARTY,
            DX_COL_REQUIRED),
    COL(dx_contract, "counterparty_country", "相手方国", DX_COL_COUNTRY, counterparty_country, 0),
    COL(dx_contract, "subject_to_direction", "指揮命令|善管注意義務", DX_COL_YESNO,
        subject_to_direction, 0),
    COL(dx_contract, "precedence_agreement", "優先合意", DX_COL_YESNO, precedence_agreement, 0),
    COL(dx_contract, "same_group", "同一グループ", DX_COL_YESNO, same_group, 0),
    COL(dx_contract, "start_date", "開始日", DX_COL_DATE, start_date, 0),
    COL(dx_contract, "end_date", "終了日", DX_COL_DATE, end_date, 0),
};

static const dx_column FUNDING[] = {
    COL(dx_funding, "person_id", "個人ID", DX_COL_TEXT, person_id, DX_COL_REQUIRED | DX_COL_SUBJECT),
    COL(dx_funding, "source", "資金源|支給元", DX_COL_TEXT, source, DX_COL_REQUIRED),
    ENUMCOL(dx_funding, "source_type", "支給元区分", source_type, PARTY, DX_COL_REQUIRED),
    COL(dx_funding, "source_country", "支給元国", DX_COL_COUNTRY, source_country, 0),
    COL(dx_funding, "annual_amount", "年額", DX_COL_AMOUNT, annual_amount, DX_COL_REQUIRED),
    COL(dx_funding, "currency", "通貨", DX_COL_CURRENCY, currency, DX_COL_REQUIRED),
    COL(dx_funding, "start_date", "開始日", DX_COL_DATE, start_date, 0),
    COL(dx_funding, "end_date", "終了日", DX_COL_DATE, end_date, 0),
};

static const dx_column ORGANIZATIONS[] = {
    COL(dx_organization, "org_id", "組織ID|id", DX_COL_TEXT, org_id, DX_COL_REQUIRED | DX_COL_ID),
    COL(dx_organization, "name", "組織名|名称", DX_COL_TEXT, name, DX_COL_REQUIRED),
    COL(dx_organization, "aliases", "別名", DX_COL_TEXT_LIST, aliases, 0),
    COL(dx_organization, "country", "国|所在国", DX_COL_COUNTRY, country, 0),
    COL(dx_organization, "owners", "出資者|株主", DX_COL_OWNERS, n_owners, 0),
    ENUMCOL(dx_organization, "relation", "関係", relation, RELATION, 0),
};

static const dx_column LICENSES[] = {
    COL(dx_license, "license_id", "許可番号|id", DX_COL_TEXT, license_id, DX_COL_REQUIRED | DX_COL_ID),
    ENUMCOL(dx_license, "authority", "許可当局", authority, AUTHORITY, DX_COL_REQUIRED),
    ENUMCOL(dx_license, "kind", "許可種別", kind, LICENSE_KIND, 0),
    COL(dx_license, "exception_code", "許可例外", DX_COL_TEXT, exception_code, 0),
    COL(dx_license, "subject_id", "個人ID|来訪者ID", DX_COL_TEXT, subject_id, DX_COL_SUBJECT),
    COL(dx_license, "tech_id", "技術ID", DX_COL_TEXT, tech_id, 0),
    COL(dx_license, "jp_item", "該当項番|項番", DX_COL_JP_ITEM, jp_item, 0),
    COL(dx_license, "eccn", "ECCN", DX_COL_ECCN, eccn, 0),
    COL(dx_license, "country", "仕向国|国", DX_COL_COUNTRY, country, 0),
    COL(dx_license, "valid_from", "有効期間開始|許可日", DX_COL_DATE, valid_from, 0),
    COL(dx_license, "valid_to", "有効期限|有効期間終了", DX_COL_DATE, valid_to, 0),
    COL(dx_license, "conditions", "許可条件|条件", DX_COL_TEXT, conditions, 0),
};

#define PAIR(st, a, b) {offsetof(st, a), offsetof(st, b), #a, #b}
#define PERSON_PAIR(st, a, b) {offsetof(st, person.a), offsetof(st, person.b), #a, #b}
static const dx_date_pair PERSON_PAIRS[] = {PAIR(dx_person, start_date, end_date),
                                            PAIR(dx_person, jp_abroad_since, jp_return_date)};
static const dx_date_pair VISITOR_PAIRS[] = {PERSON_PAIR(dx_visitor, start_date, end_date),
                                             PAIR(dx_visitor, visit_start, visit_end)};
static const dx_date_pair PROJECT_PAIRS[] = {PAIR(dx_project, start_date, end_date)};
static const dx_date_pair ASSIGNMENT_PAIRS[] = {PAIR(dx_assignment, start_date, end_date)};
static const dx_date_pair CONTRACT_PAIRS[] = {PAIR(dx_contract, start_date, end_date)};
static const dx_date_pair FUNDING_PAIRS[] = {PAIR(dx_funding, start_date, end_date)};
static const dx_date_pair LICENSE_PAIRS[] = {PAIR(dx_license, valid_from, valid_to)};

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SCHEMA(kind, file, st, cols, pairs, npairs)                                           \
    {kind, file, sizeof(st), offsetof(st, src), offsetof(st, extra), cols, N(cols), pairs, npairs}

_Static_assert(N(VISITORS) <= DX_SCHEMA_MAX_COLUMNS, "raise DX_SCHEMA_MAX_COLUMNS");

static const dx_schema SCHEMAS[DX_REC_KIND_COUNT] = {
    SCHEMA(DX_REC_PEOPLE, "people.csv", dx_person, PEOPLE, PERSON_PAIRS, N(PERSON_PAIRS)),
    {DX_REC_VISITORS, "visitors.csv", sizeof(dx_visitor), offsetof(dx_visitor, person.src),
     offsetof(dx_visitor, person.extra), VISITORS, N(VISITORS), VISITOR_PAIRS, N(VISITOR_PAIRS)},
    SCHEMA(DX_REC_PROJECTS, "projects.csv", dx_project, PROJECTS, PROJECT_PAIRS, N(PROJECT_PAIRS)),
    SCHEMA(DX_REC_TECHNOLOGIES, "technologies.csv", dx_technology, TECHNOLOGIES, NULL, 0),
    SCHEMA(DX_REC_ASSIGNMENTS, "assignments.csv", dx_assignment, ASSIGNMENTS, ASSIGNMENT_PAIRS,
           N(ASSIGNMENT_PAIRS)),
    SCHEMA(DX_REC_CONTRACTS, "contracts.csv", dx_contract, CONTRACTS, CONTRACT_PAIRS,
           N(CONTRACT_PAIRS)),
    SCHEMA(DX_REC_FUNDING, "funding.csv", dx_funding, FUNDING, FUNDING_PAIRS, N(FUNDING_PAIRS)),
    SCHEMA(DX_REC_ORGANIZATIONS, "organizations.csv", dx_organization, ORGANIZATIONS, NULL, 0),
    SCHEMA(DX_REC_LICENSES, "licenses.csv", dx_license, LICENSES, LICENSE_PAIRS,
           N(LICENSE_PAIRS)),
};

const dx_schema *dx_schema_get(dx_record_kind kind)
{
    return (unsigned)kind < DX_REC_KIND_COUNT ? &SCHEMAS[kind] : NULL;
}

/* A header as matched: full-width folded, lower case, no spaces, '_' or '-'. */
static void header_key(const char *text, size_t len, char *out, size_t cap)
{
    char folded[DX_VALUE_MAX];
    size_t n, o = 0;
    if (dx_value_fold(text, len, folded, sizeof folded, &n) != 0)
        n = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        char c = folded[i];
        if (c == ' ' || c == '_' || c == '-' || c == '\t')
            continue;
        out[o++] = (char)tolower((unsigned char)c);
    }
    out[o] = '\0';
}

static int alias_matches(const char *key, const char *aliases)
{
    char alias_key[DX_VALUE_MAX];
    while (aliases && *aliases) {
        const char *bar = strchr(aliases, '|');
        size_t n = bar ? (size_t)(bar - aliases) : strlen(aliases);
        header_key(aliases, n, alias_key, sizeof alias_key);
        if (strcmp(key, alias_key) == 0)
            return 1;
        aliases = bar ? bar + 1 : NULL;
    }
    return 0;
}

int dx_schema_find_column(const dx_schema *schema, const char *header, size_t len)
{
    char key[DX_VALUE_MAX], name_key[DX_VALUE_MAX];
    header_key(header, len, key, sizeof key);
    if (!key[0])
        return -1;
    for (size_t i = 0; i < schema->n_columns; i++) {
        const dx_column *c = &schema->columns[i];
        header_key(c->name, strlen(c->name), name_key, sizeof name_key);
        if (strcmp(key, name_key) == 0)
            return (int)i;
    }
    for (size_t i = 0; i < schema->n_columns; i++) {
        if (alias_matches(key, schema->columns[i].aliases))
            return (int)i;
    }
    return -1;
}

const char *dx_record_kind_file(dx_record_kind kind)
{
    const dx_schema *s = dx_schema_get(kind);
    return s ? s->file : NULL;
}

dx_status dx_record_kind_from_file(const char *basename, dx_record_kind *out)
{
    for (int k = 0; k < DX_REC_KIND_COUNT; k++) {
        if (strcasecmp(basename, SCHEMAS[k].file) == 0) {
            *out = (dx_record_kind)k;
            return DX_OK;
        }
    }
    return DX_ERR_NOT_FOUND;
}

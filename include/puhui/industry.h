/*
 * puhui — industries (GB/T 4754-2017, 国民经济行业分类) and the SME size
 * classification (《中小企业划型标准规定》, 工信部联企业〔2011〕300号).
 *
 * GB/T 4754-2017 has 20 sections A..T (门类) and 97 two-digit divisions
 * 01..97 (大类), each section covering a contiguous range of divisions.
 * Below them are 3-digit groups (中类, 131) and 4-digit classes (小类, 1311);
 * those are parsed for their form and their division, not looked up.
 *
 * Money is in integer fen (1 yuan = 100 fen; 1 万元 = 1,000,000 fen) as
 * int64_t; this will become `ph_money` (typedef int64_t) once
 * include/puhui/money.h exists, with the same meaning.
 */
#ifndef PUHUI_INDUSTRY_H
#define PUHUI_INDUSTRY_H

#include "puhui/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- GB/T 4754-2017 sections and divisions ------------------------------- */

#define PH_INDUSTRY_SECTION_COUNT 20
#define PH_INDUSTRY_DIVISION_MIN 1
#define PH_INDUSTRY_DIVISION_MAX 97

typedef struct ph_industry_section {
    char letter;         /* 'A'..'T' */
    const char *name_zh; /* "农、林、牧、渔业" */
    const char *name_en; /* "Agriculture, forestry, animal husbandry and fishery" */
    int first_division;  /* first 2-digit division of the section: 1 for A */
    int last_division;   /* last one, inclusive: 5 for A */
} ph_industry_section;

/* The sections in order, index 0 ('A') .. 19 ('T'); NULL past the end. */
PH_EXTERN const ph_industry_section *ph_industry_section_at(size_t index);

/* The section with this letter (upper case only), or NULL. */
PH_EXTERN const ph_industry_section *ph_industry_section_find(char letter);

/*
 * Parse exactly `len` bytes of `s` as a section letter ("C").
 * Errors (field "industry_section"): PH_EMISUSE for NULL s or out; PH_EINVAL
 * for an empty or longer string, or a letter outside A..T (lower case is
 * named as such).
 */
PH_EXTERN ph_status ph_industry_section_parse(const char *s, size_t len,
                                              const ph_industry_section **out, ph_error *err);

/*
 * The section letter of a 2-digit division: 13 -> 'C', 70 -> 'K'.
 * Errors: PH_EMISUSE for NULL section; PH_EINVAL (field "industry_division")
 * outside 1..97.
 */
PH_EXTERN ph_status ph_industry_section_of_division(int division, char *section,
                                                    ph_error *err);

/* The Chinese name of a division ("农副食品加工业" for 13), or NULL outside 1..97. */
PH_EXTERN const char *ph_industry_division_name(int division);

/* A parsed industry code at whatever depth it was given. */
typedef struct ph_industry_code {
    char section;   /* 'A'..'T', always set */
    int division;   /* 1..97, or 0 when only a section was given */
    int group;      /* 3-digit group (131), or 0 when not given */
    int class_code; /* 4-digit class (1311), or 0 when not given */
} ph_industry_code;

/*
 * Parse `len` bytes of `s` as an industry code: a section letter alone ("C"),
 * 2, 3 or 4 digits ("13", "131", "1311"), or the letter followed by them
 * ("C13", "C1311"). A letter given with digits must be the division's own
 * section. Errors (field "industry_code"): PH_EMISUSE for NULL; PH_EINVAL for
 * a bad letter, non-digits, a wrong number of digits, a division outside
 * 01..97, or a letter that does not match ("division 13 belongs to section
 * C, not F").
 */
PH_EXTERN ph_status ph_industry_code_parse(const char *s, size_t len, ph_industry_code *out,
                                           ph_error *err);

/* --- SME size classification (2011) ---------------------------------------- */

typedef enum ph_size_class {
    PH_SIZE_MICRO = 0,
    PH_SIZE_SMALL = 1,
    PH_SIZE_MEDIUM = 2,
    PH_SIZE_LARGE = 3
} ph_size_class;

/* "micro", "small", "medium", "large"; "unknown" for other values. */
PH_EXTERN const char *ph_size_class_name(ph_size_class size);
/* 微型, 小型, 中型, 大型; "" for other values. */
PH_EXTERN const char *ph_size_class_name_zh(ph_size_class size);
/* Parse an English or Chinese name as above. PH_EINVAL (field "size_class") otherwise. */
PH_EXTERN ph_status ph_size_class_parse(const char *s, size_t len, ph_size_class *out,
                                        ph_error *err);

/* The 16 sectors of the 2011 rule, in the rule's order. */
typedef enum ph_sme_sector {
    PH_SME_AGRICULTURE = 0,      /* 农、林、牧、渔业 */
    PH_SME_INDUSTRY = 1,         /* 工业 (GB/T 4754 B, C, D) */
    PH_SME_CONSTRUCTION = 2,     /* 建筑业 */
    PH_SME_WHOLESALE = 3,        /* 批发业 */
    PH_SME_RETAIL = 4,           /* 零售业 */
    PH_SME_TRANSPORT = 5,        /* 交通运输业 */
    PH_SME_WAREHOUSING = 6,      /* 仓储业 */
    PH_SME_POSTAL = 7,           /* 邮政业 */
    PH_SME_ACCOMMODATION = 8,    /* 住宿业 */
    PH_SME_CATERING = 9,         /* 餐饮业 */
    PH_SME_INFO_TRANSMISSION = 10, /* 信息传输业 */
    PH_SME_SOFTWARE_IT = 11,     /* 软件和信息技术服务业 */
    PH_SME_REAL_ESTATE_DEV = 12, /* 房地产开发经营 */
    PH_SME_PROPERTY_MGMT = 13,   /* 物业管理 */
    PH_SME_LEASING_BUSINESS = 14, /* 租赁和商务服务业 */
    PH_SME_OTHER = 15            /* 其他未列明行业 */
} ph_sme_sector;
#define PH_SME_SECTOR_COUNT 16

/* The metrics a sector's rule uses (bit flags). */
#define PH_SME_METRIC_EMPLOYEES 0x1u /* 从业人员, persons */
#define PH_SME_METRIC_REVENUE 0x2u   /* 营业收入, fen per year */
#define PH_SME_METRIC_ASSETS 0x4u    /* 资产总额, fen */

/* Lower bounds of one metric: a firm reaches a tier when, for every metric
 * its sector uses, the value is at or above that tier's bound. Unused
 * metrics have all bounds 0. */
typedef struct ph_sme_bounds {
    int64_t large;  /* not an SME from here on (the rule's "X以下的为中小微型企业") */
    int64_t medium; /* 中型: "X及以上" */
    int64_t small;  /* 小型: "X及以上"; below it in any metric is 微型 */
} ph_sme_bounds;

typedef struct ph_sme_rule {
    ph_sme_sector sector;
    const char *key;       /* stable ASCII name: "industry", "retail", ... */
    const char *name_zh;   /* "工业" */
    const char *name_en;   /* "industry" */
    unsigned metrics;      /* PH_SME_METRIC_* */
    ph_sme_bounds employees; /* persons */
    ph_sme_bounds revenue;   /* fen */
    ph_sme_bounds assets;    /* fen */
} ph_sme_rule;

/* The rule of a sector, or NULL for a value outside the enum. */
PH_EXTERN const ph_sme_rule *ph_sme_rule_of(ph_sme_sector sector);

/* Parse a sector key ("software_it") or its Chinese name ("软件和信息技术服务业").
 * PH_EINVAL (field "sme_sector") otherwise; PH_EMISUSE for NULL. */
PH_EXTERN ph_status ph_sme_sector_parse(const char *s, size_t len, ph_sme_sector *out,
                                        ph_error *err);

/*
 * The 2011 sector of a GB/T 4754-2017 section and 2-digit division:
 *   A -> agriculture; B, C, D -> industry; E -> construction;
 *   F 51 -> wholesale, 52 -> retail;
 *   G 53-58 -> transport, 59 -> warehousing, 60 -> postal;
 *   H 61 -> accommodation, 62 -> catering;
 *   I 63, 64 -> information transmission, 65 -> software and IT services;
 *   K 70 -> real-estate development (the rule splits K by class, 7010
 *     development vs 7020 property management; at division level the
 *     development rule is chosen);
 *   L -> leasing and business services; every other section -> other.
 * (J finance has its own 2015 rule; here it falls under "other" too.)
 * `division` 0 means unknown; it suffices for sections whose mapping does
 * not depend on the division. Errors: PH_EMISUSE for NULL out; PH_EINVAL
 * (field "industry_section") for a letter outside A..T; PH_EINVAL (field
 * "industry_division") for a division outside 1..97 or not in the section,
 * or 0 where the section needs it (F, G, H, I).
 */
PH_EXTERN ph_status ph_sme_sector_of(char section, int division, ph_sme_sector *out,
                                     ph_error *err);

/*
 * As ph_sme_sector_of, from a parsed code at any depth, using the group or
 * class where the rule looks below the division: K 701x real-estate
 * development, 702x property management, other groups of 70 (agency,
 * leasing, other) -> other. A bare K or K70 keeps ph_sme_sector_of's
 * choice. Errors as ph_sme_sector_of; PH_EMISUSE for NULL code or out.
 */
PH_EXTERN ph_status ph_sme_sector_of_code(const ph_industry_code *code, ph_sme_sector *out,
                                          ph_error *err);

/*
 * Classify a firm by the 2011 rule. `employees` in persons, `revenue_fen`
 * the operating revenue of the year and `assets_fen` the total assets, both
 * in fen. Pass a negative value for a metric that is unknown; metrics the
 * sector does not use are ignored. The rule: large when every used metric
 * is at or above the large bound; else medium when every used metric is at
 * or above the medium bound; else small likewise; else micro (one metric
 * below the small bound is enough).
 * Errors: PH_EMISUSE for NULL out; PH_EINVAL (field "sme_sector") for a
 * sector outside the enum; PH_EINVAL (field "employees", "revenue" or
 * "assets") when the sector needs that metric and it is negative.
 */
PH_EXTERN ph_status ph_sme_classify(ph_sme_sector sector, int64_t employees,
                                    int64_t revenue_fen, int64_t assets_fen,
                                    ph_size_class *out, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_INDUSTRY_H */

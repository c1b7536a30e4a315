/*
 * puhui — administrative division codes (GB/T 2260, 中华人民共和国行政区划代码).
 *
 * A division code has six digits: province (2) + city (2) + county (2).
 *   370000  Shandong province                   (level PH_DIV_PROVINCE)
 *   370100  Jinan, a prefecture-level city      (level PH_DIV_CITY)
 *   370102  Lixia district of Jinan             (level PH_DIV_COUNTY)
 * Codes are handled as plain ints (370102). Validation checks the form and
 * that the province prefix is one of the 34 provincial-level divisions; it
 * cannot know whether a given city or county part exists, except inside the
 * tabulated data.
 *
 * Reference data: the 34 provincial-level divisions (Chinese and English
 * names), and Shandong in full: its 16 prefecture-level cities and their 136
 * county-level divisions (58 districts, 26 county-level cities, 52 counties,
 * as after the 2020 Penglai/Changdao change). The tables are static and
 * immutable; pointers into them stay valid for the life of the program.
 */
#ifndef PUHUI_REGION_H
#define PUHUI_REGION_H

#include "puhui/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The province prefix of Shandong, the province whose cities and counties are tabulated. */
#define PH_DIVISION_SHANDONG 370000

typedef enum ph_div_level {
    PH_DIV_INVALID = 0,  /* not a well-formed code */
    PH_DIV_PROVINCE = 1, /* xx0000 */
    PH_DIV_CITY = 2,     /* xxyy00 */
    PH_DIV_COUNTY = 3    /* xxyyzz */
} ph_div_level;

/* What kind of division an entry is. For county-level entries this is the
 * urban/rural split used later: a district (市辖区) is urban; county-level
 * cities and counties together form the county economy (县域). */
typedef enum ph_div_kind {
    PH_DIVK_MUNICIPALITY = 0,      /* 直辖市: Beijing, Tianjin, Shanghai, Chongqing */
    PH_DIVK_PROVINCE = 1,          /* 省 */
    PH_DIVK_AUTONOMOUS_REGION = 2, /* 自治区 */
    PH_DIVK_SAR = 3,               /* 特别行政区: Hong Kong, Macau */
    PH_DIVK_PREFECTURE_CITY = 4,   /* 地级市 */
    PH_DIVK_DISTRICT = 5,          /* 市辖区 (urban) */
    PH_DIVK_COUNTY_CITY = 6,       /* 县级市 (county economy) */
    PH_DIVK_COUNTY = 7             /* 县 (rural, county economy) */
} ph_div_kind;

/* One entry of the reference tables. */
typedef struct ph_division {
    int code;                /* e.g. 370102 */
    const char *name_zh;     /* official Chinese name, UTF-8: "历下区" */
    const char *name_en;     /* pinyin; county-level entries carry their kind: "Lixia District" */
    ph_div_level level;
    ph_div_kind kind;
} ph_division;

/*
 * Parse exactly `len` bytes of `s` as a division code: six ASCII digits, the
 * province prefix one of the 34 provincial-level codes, and no county part
 * without a city part (xx00zz). Writes the code to *code.
 * Errors (field "division_code"): PH_EMISUSE for NULL s or code; PH_EINVAL
 * for a wrong length, a non-digit (its position is named), an unknown
 * province prefix, or a county part without a city part.
 */
PH_EXTERN ph_status ph_division_parse(const char *s, size_t len, int *code, ph_error *err);

/* Check an integer code by the same rules as ph_division_parse. PH_EINVAL
 * (field "division_code") when it is out of 100000..999999 or fails a rule. */
PH_EXTERN ph_status ph_division_check(int code, ph_error *err);

/* The level of a well-formed code; PH_DIV_INVALID when the code is out of
 * 100000..999999 or has a county part without a city part. The province
 * prefix is not checked here (use ph_division_check). */
PH_EXTERN ph_div_level ph_division_level(int code);

/* The province a code belongs to: 370102 -> 370000. 0 when ill-formed. */
PH_EXTERN int ph_division_province(int code);

/* The city a code belongs to: 370102 -> 370100, 370100 -> 370100;
 * 0 for a province code (it has no city) or an ill-formed code. */
PH_EXTERN int ph_division_city(int code);

/* The tabulated entry for exactly `code`, or NULL when the code is not in
 * the tables (any province; Shandong's cities and counties). */
PH_EXTERN const ph_division *ph_division_find(int code);

/* The Chinese name of a tabulated code ("山东省", "青岛市", "历下区"), or NULL. */
PH_EXTERN const char *ph_division_name(int code);

/* The English name of a tabulated code ("Shandong", "Qingdao"), or NULL. */
PH_EXTERN const char *ph_division_name_en(int code);

/*
 * The direct children of a division, as a slice of a static table sorted by
 * code: parent 0 gives the 34 provincial-level divisions; a province gives
 * its prefecture-level cities; a city gives its county-level divisions.
 * Errors: PH_EMISUSE for NULL out or count; PH_EINVAL (field
 * "division_code") for an ill-formed parent or a county-level parent (the
 * level below, townships, is not part of GB/T 2260); PH_ENOTFOUND when the
 * parent is well formed but its children are not tabulated (any province
 * other than Shandong, or a city code not in the Shandong table).
 */
PH_EXTERN ph_status ph_division_children(int parent_code, const ph_division **out,
                                         size_t *count, ph_error *err);

/*
 * All county-level divisions under a province or a city, as one slice sorted
 * by code: 370000 gives Shandong's 136, 370200 gives Qingdao's 10.
 * Errors as for ph_division_children; a county-level code is PH_EINVAL.
 */
PH_EXTERN ph_status ph_division_counties(int code, const ph_division **out, size_t *count,
                                         ph_error *err);

/* "municipality", "province", "autonomous region", "SAR", "prefecture-level city",
 * "district", "county-level city", "county"; "unknown" for other values. */
PH_EXTERN const char *ph_division_kind_name(ph_div_kind kind);

/* 直辖市, 省, 自治区, 特别行政区, 地级市, 市辖区, 县级市, 县; "" for other values. */
PH_EXTERN const char *ph_division_kind_name_zh(ph_div_kind kind);

/* 1 for a district (urban), 0 for everything else. */
PH_EXTERN int ph_division_kind_is_urban(ph_div_kind kind);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_REGION_H */

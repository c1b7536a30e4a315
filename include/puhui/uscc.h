/*
 * puhui — the Unified Social Credit Code (统一社会信用代码, GB 32100-2015).
 *
 * 18 characters from a 31-character set: 0-9 and A-Z without I, O, S, V, Z.
 *   position 1      registration-authority code (登记管理部门代码), e.g. '9' 工商
 *   position 2      institution-category code (机构类别代码), e.g. '1' 企业
 *   positions 3-8   administrative division code of the registering office (GB/T 2260);
 *                   100000 stands for the national level
 *   positions 9-17  organisation code (组织机构代码, GB 11714): 8 body characters
 *                   and their own check character (0-9 or X) at position 17
 *   position 18     check character over positions 1-17
 *
 * Check character (position 18): each of the first 17 characters has the
 * value of its index in the character set (0..30); the weights are 3^(i-1)
 * mod 31 for position i; C18 = 31 - (sum mod 31), with 31 written as '0'.
 * Organisation-code check (position 17, GB 11714): body characters valued
 * 0-9 for digits and 10..35 for A..Z, weights 3 7 9 10 5 8 4 2,
 * C = 11 - (sum mod 11), 10 written 'X', 11 written '0'.
 *
 * Example, the standard's own: 91350100M000100Y43.
 */
#ifndef PUHUI_USCC_H
#define PUHUI_USCC_H

#include "puhui/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PH_USCC_LEN 18
/* The 31 code characters, in value order. */
#define PH_USCC_CHARSET "0123456789ABCDEFGHJKLMNPQRTUWXY"
/* Serial numbers 0 .. PH_USCC_SERIAL_MAX (31^8 - 1) are accepted by ph_uscc_generate. */
#define PH_USCC_SERIAL_MAX UINT64_C(852891037440)

/* Flags for ph_uscc_validate_ex. */
#define PH_USCC_SKIP_ORGCODE_CHECK 0x1u /* do not verify position 17 (GB 11714 check) */

/* One registration authority + institution category pair allowed by the standard. */
typedef struct ph_uscc_category {
    char authority;           /* position 1: '1'..'9', 'A', 'N', 'Y' */
    char category;            /* position 2 */
    const char *authority_zh; /* 登记管理部门, UTF-8: "工商" */
    const char *authority_en; /* "industry and commerce (market regulation)" */
    const char *category_zh;  /* 机构类别: "企业" */
    const char *category_en;  /* "enterprise" */
} ph_uscc_category;

/* A parsed code. All strings are NUL-terminated copies. */
typedef struct ph_uscc {
    char code[PH_USCC_LEN + 1];  /* the whole code */
    char authority;              /* position 1 */
    char category;               /* position 2 */
    int division_code;           /* positions 3-8 as an int: 350100 */
    char org_code[10];           /* positions 9-17: "M000100Y4" */
    char check;                  /* position 18 */
    const ph_uscc_category *kind; /* the table entry for authority + category */
} ph_uscc;

/*
 * Validate exactly `len` bytes of `s` (no terminator needed) as a USCC.
 * Checks, in this order: length 18; every character in the code's set (the
 * message names the position and the character); the authority/category
 * pair is one of the standard's; positions 3-8 are digits forming a division
 * code with a known province prefix (or 100000, national); the organisation
 * code's check character at position 17; the check character at position 18
 * ("check character is 'X', expected '7'").
 * Errors (field "uscc", value the input): PH_EMISUSE for NULL s, PH_EINVAL
 * for everything else.
 */
PH_EXTERN ph_status ph_uscc_validate(const char *s, size_t len, ph_error *err);

/* As ph_uscc_validate with `flags` (PH_USCC_SKIP_ORGCODE_CHECK, for data from
 * sources known to carry codes with bad position-17 checks). Unknown flag
 * bits are PH_EMISUSE. */
PH_EXTERN ph_status ph_uscc_validate_ex(const char *s, size_t len, unsigned flags,
                                        ph_error *err);

/*
 * Compute the check character (position 18) of the 17 characters at
 * `first17` (read up to a NUL or 17 bytes; no other rule is checked).
 * Errors (field "uscc"): PH_EMISUSE for NULL arguments; PH_EINVAL when fewer
 * than 17 characters precede a NUL or a character is outside the set.
 */
PH_EXTERN ph_status ph_uscc_check_char(const char *first17, char *out, ph_error *err);

/*
 * Compute the GB 11714 organisation-code check character ('0'..'9' or 'X')
 * of the 8 body characters at `body8` (up to a NUL or 8 bytes). Body
 * characters are 0-9 or A-Z (upper case); the USCC further excludes
 * I, O, S, V, Z but this function follows GB 11714 alone.
 * Errors (field "org_code"): PH_EMISUSE for NULL; PH_EINVAL for a short body
 * or a character outside 0-9 A-Z.
 */
PH_EXTERN ph_status ph_uscc_orgcode_check_char(const char *body8, char *out, ph_error *err);

/* Validate (strictly, as ph_uscc_validate) and fill *out. Errors as for
 * ph_uscc_validate; PH_EMISUSE for NULL out. */
PH_EXTERN ph_status ph_uscc_parse(const char *s, size_t len, ph_uscc *out, ph_error *err);

/*
 * Make a valid code, deterministically, from a serial number: the 8
 * organisation-code body characters are a fixed bijective scramble of
 * `serial` written in base 31 with the code's own characters, so distinct
 * serials give distinct codes, and consecutive serials do not look
 * consecutive. Both check characters are computed. `out` receives 18
 * characters and a NUL.
 * Errors: PH_EMISUSE for NULL out; PH_EINVAL (field "uscc_authority" /
 * "uscc_category") for a pair not in the standard's table; PH_EINVAL (field
 * "division_code") for a division code that fails ph_division_check and is
 * not 100000; PH_ERANGE (field "serial") above PH_USCC_SERIAL_MAX.
 */
PH_EXTERN ph_status ph_uscc_generate(char authority, char category, int division_code,
                                     uint64_t serial, char out[PH_USCC_LEN + 1],
                                     ph_error *err);

/* The table entry for an authority/category pair, or NULL if the standard has no such pair. */
PH_EXTERN const ph_uscc_category *ph_uscc_category_find(char authority, char category);

/* Iterate over the table: index 0 .. ph_uscc_category_count()-1; NULL past the end. */
PH_EXTERN size_t ph_uscc_category_count(void);
PH_EXTERN const ph_uscc_category *ph_uscc_category_at(size_t index);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_USCC_H */

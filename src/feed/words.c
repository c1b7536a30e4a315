/*
 * The domain's enumerations as the catalogue defines them (words.h), with
 * the lookups every module uses instead of its own copy (feed.h).
 */
#include <string.h>

#include "puhui/feed.h"

#include "feed/words.h"

static const char *const STATUS_NAMES[PH_BUSINESS_STATUS_COUNT] = {
    [PH_BUSINESS_ACTIVE] = WORD_ACTIVE,
    [PH_BUSINESS_ABNORMAL] = WORD_ABNORMAL,
    [PH_BUSINESS_DEREGISTERED] = WORD_DEREGISTERED,
    [PH_BUSINESS_REVOKED] = WORD_REVOKED,
};

/* How the status reads in Chinese, as a registry extract says it. */
static const char *const STATUS_ZH[PH_BUSINESS_STATUS_COUNT] = {
    [PH_BUSINESS_ACTIVE] = "存续",
    [PH_BUSINESS_ABNORMAL] = "经营异常",
    [PH_BUSINESS_DEREGISTERED] = "注销",
    [PH_BUSINESS_REVOKED] = "吊销",
};

/* Best first: the rank is PH_TAX_GRADE_COUNT - 1 - the index. */
static const char *const GRADES[PH_TAX_GRADE_COUNT] = {WORD_GRADE_A, WORD_GRADE_B, WORD_GRADE_M,
                                                       WORD_GRADE_C, WORD_GRADE_D};

static int index_of(const char *const *names, int count, const char *text)
{
    for (int i = 0; text != NULL && i < count; i++)
        if (strcmp(names[i], text) == 0)
            return i;
    return -1;
}

const char *ph_business_status_name(int status)
{
    return status >= 0 && status < PH_BUSINESS_STATUS_COUNT ? STATUS_NAMES[status] : NULL;
}

const char *ph_business_status_zh(int status)
{
    return status >= 0 && status < PH_BUSINESS_STATUS_COUNT ? STATUS_ZH[status] : NULL;
}

int ph_business_status_parse(const char *text)
{
    return index_of(STATUS_NAMES, PH_BUSINESS_STATUS_COUNT, text);
}

int ph_tax_grade_rank(const char *grade)
{
    int i = index_of(GRADES, PH_TAX_GRADE_COUNT, grade);
    return i < 0 ? -1 : PH_TAX_GRADE_COUNT - 1 - i;
}

const char *ph_tax_grade_of_rank(int rank)
{
    return rank >= 0 && rank < PH_TAX_GRADE_COUNT ? GRADES[PH_TAX_GRADE_COUNT - 1 - rank] : NULL;
}

/*
 * Interest-subsidy programmes: the loaded form, shared by the loader
 * (subsidy_load.c) and the matcher (subsidy_apply.c).
 */
#ifndef PH_MARKET_SUBSIDY_INTERNAL_H
#define PH_MARKET_SUBSIDY_INTERNAL_H

#include "puhui/industry.h"
#include "puhui/subsidy.h"

typedef struct sub_tier {
    ph_money credit_below; /* fen; strictly ascending across tiers */
    ph_rate share;         /* (0, PH_RATE_ONE] */
} sub_tier;

struct ph_subsidy_programme {
    const ph_ctx *ctx;
    char *name;
    int64_t version;
    int base_is_lpr;       /* 1: the base is the LPR given at apply time */
    ph_rate base_rate;     /* the fixed base when !base_is_lpr */
    unsigned size_mask;    /* bit ph_size_class; 0: every size is eligible */
    size_t n_tiers;
    sub_tier tiers[PH_SUBSIDY_MAX_TIERS];
    ph_rate bonus_green;
    ph_rate bonus_tech;
    ph_rate bonus_max;
    int has_award;
    ph_rate award_rate;
    ph_money award_max;
    int award_to_enterprise;
};

#endif

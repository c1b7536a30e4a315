/*
 * Risk-sharing schemes as the loan module holds them (private): the parsed
 * document of include/puhui/riskshare.h. share.c splits with them,
 * share_load.c reads them.
 */
#ifndef PH_LOAN_SHARE_INTERNAL_H
#define PH_LOAN_SHARE_INTERNAL_H

#include "puhui/riskshare.h"

struct ph_share_scheme {
    char name[PH_SHARE_NAME_MAX + 1];
    int32_t bp[PH_PARTY_COUNT]; /* the pool's is always 0; the others sum to 10000 */
};

struct ph_share_schemes {
    const ph_ctx *ctx;
    size_t n;
    ph_share_scheme *items;
    int32_t default_dpd; /* 0: days past due never trigger */
    int on_write_off;
};

/* An empty set of schemes with room for n (the defaults when n is 0 are not
 * implied: the caller fills items). PH_ENOMEM. */
ph_status share_schemes_new(const ph_ctx *ctx, size_t n, ph_share_schemes **out, ph_error *err);

/* The party a scheme member may name (not the pool): 1 and *out, or 0. */
int share_scheme_party(const char *name, ph_share_party *out);

#endif /* PH_LOAN_SHARE_INTERNAL_H */

/* Private to src/anchor: the leaf builders (leaves.c) the sweep and the
 * check share. */
#ifndef PUHUI_ANCHOR_INTERNAL_H
#define PUHUI_ANCHOR_INTERNAL_H

#include "puhui/access.h"
#include "puhui/anchor.h"
#include "puhui/market.h"
#include "puhui/money.h"
#include "puhui/rate.h"

#define ANCHOR_SCHEMA 19

#define ANCHOR_GRANT "consent.grant"
#define ANCHOR_REVOKE "consent.revoke"
#define ANCHOR_DECISION "decision"
#define ANCHOR_HEAD "access.head"

/* A leaf's bytes, allocated with the store's context. */
typedef struct anchor_leaf {
    char *data;
    size_t len;
} anchor_leaf;

ph_status anchor_consent_leaf(const ph_ctx *ctx, const ph_consent *c, int revocation,
                              anchor_leaf *out, ph_error *err);
ph_status anchor_decision_leaf(const ph_ctx *ctx, const ph_market_decision *d,
                               const char *trace, anchor_leaf *out, ph_error *err);
ph_status anchor_head_leaf(const ph_ctx *ctx, int64_t seq, const char *hash, anchor_leaf *out,
                           ph_error *err);

#endif

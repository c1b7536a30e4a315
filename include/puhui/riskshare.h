/* CONTRACT COPY (replaced at merge) */
#ifndef PUHUI_RISKSHARE_H
#define PUHUI_RISKSHARE_H
#include <stddef.h>
#include <stdint.h>
#include "puhui/common.h"
#include "puhui/money.h"

typedef struct ph_share_scheme ph_share_scheme;
typedef struct ph_share_schemes ph_share_schemes;
ph_status ph_share_schemes_default(const ph_ctx *ctx, ph_share_schemes **out, ph_error *err);
ph_status ph_share_schemes_load_file(const ph_ctx *ctx, const char *path, ph_share_schemes **out, ph_error *err);
const ph_share_scheme *ph_share_schemes_find(const ph_share_schemes *s, const char *name);
void ph_share_schemes_free(ph_share_schemes *s);
typedef enum ph_share_party { PH_PARTY_BANK = 0, PH_PARTY_GUARANTOR, PH_PARTY_REGUARANTOR, PH_PARTY_GOVERNMENT,
                              PH_PARTY_POOL, PH_PARTY_COUNT } ph_share_party;
typedef struct ph_share_split { ph_money part[PH_PARTY_COUNT]; } ph_share_split;  /* sums exactly to the loss */
const char *ph_share_party_name(ph_share_party p);
/* Split a loss by the scheme, then the pool pays pool_bp of the bank's part, capped by *pool_balance (decreased).
   Each part rounded down except the bank, which takes the residue (documented); parts sum exactly. */
ph_status ph_share_loss(const ph_share_scheme *scheme, ph_money loss, int32_t pool_bp, ph_money *pool_balance,
                        ph_share_split *out, ph_error *err);
/* A recovery after compensation flows back in the same shares as the compensated loss (by the original split's
   proportions, exact to the fen, no party gets more than it paid). */
ph_status ph_share_recovery(const ph_share_split *loss_split, ph_money recovered_so_far, ph_money recovery,
                            ph_share_split *out, ph_error *err);
/* Guarantee leverage = outstanding guaranteed / capital (as a ph_rate-style ratio 1e-8) and whether it is within the
   cap; compensation rate = compensated / guaranteed matured (1e-8). */

#endif

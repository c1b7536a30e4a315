/* Shared between the files of the scorecard module. */
#ifndef PH_SCORECARD_INTERNAL_H
#define PH_SCORECARD_INTERNAL_H

#include "puhui/scorecard.h"

/* Release what a characteristic holds and zero it. */
void sc_characteristic_clear(const ph_ctx *ctx, ph_sc_characteristic *c);

#endif /* PH_SCORECARD_INTERNAL_H */

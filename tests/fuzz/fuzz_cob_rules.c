/*
 * The classification and provisioning rules (src/loan/cob_rules.c) through
 * ph_cob_rules_load_text, as `puhui cob --rules FILE` reads them. What loads
 * is used: beyond memory safety the properties the loader promises are
 * checked: min_dpd strictly increasing from normal (0) to loss, every
 * provision in 0..10000 bp, a default trigger of at least one day, and the
 * category ph_cob_classify gives each threshold (and the day before it) is
 * the one the thresholds name; a provision never exceeds the exposure. A
 * refused input's error must carry a message.
 */
#include "fuzz_common.h"

#include "puhui/cob.h"

static void fail(const char *what, int c, long long v)
{
    fprintf(stderr, "fuzz: %s (category %d, value %lld)\n", what, c, v);
    abort();
}

static void use(const ph_cob_rules *r)
{
    if (ph_cob_rules_min_dpd(r, PH_CATEGORY_NORMAL) != 0)
        fail("normal does not start at 0 DPD", 0, ph_cob_rules_min_dpd(r, PH_CATEGORY_NORMAL));
    if (ph_cob_rules_default_dpd(r) < 1)
        fail("default trigger below one day", 0, ph_cob_rules_default_dpd(r));
    for (int c = 0; c < PH_CATEGORY_COUNT; c++) {
        int32_t min = ph_cob_rules_min_dpd(r, (ph_loan_category)c);
        int32_t bp = ph_cob_rules_provision_bp(r, (ph_loan_category)c);
        if (bp < 0 || bp > 10000)
            fail("provision out of 0..10000 bp", c, bp);
        if (c > 0 && min <= ph_cob_rules_min_dpd(r, (ph_loan_category)(c - 1)))
            fail("min_dpd not strictly increasing", c, min);
        /* a performing loan that was never restructured takes the category
         * its DPD reaches: at the threshold this one, the day before the
         * one below */
        ph_loan_state s;
        memset(&s, 0, sizeof(s));
        s.category = PH_CATEGORY_NORMAL;
        s.dpd = min;
        ph_loan_category got = PH_CATEGORY_COUNT;
        if (ph_cob_classify(r, &s, 1, &got, NULL) != PH_OK || (int)got != c)
            fail("a loan at the threshold is not in its category", c, min);
        if (c > 0) {
            s.dpd = min - 1;
            if (ph_cob_classify(r, &s, 1, &got, NULL) != PH_OK || (int)got != c - 1)
                fail("a loan a day short of the threshold is not in the one below", c, min);
        }
        ph_money exposure = 123456789, provision = -1;
        if (ph_cob_provision(r, (ph_loan_category)c, exposure, &provision, NULL) != PH_OK)
            fail("provision refused", c, exposure);
        if (provision < 0 || provision > exposure)
            fail("provision outside 0..exposure", c, provision);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ph_ctx *ctx = fuzz_ctx();
    ph_cob_rules *rules = NULL;
    ph_error err;
    if (ph_cob_rules_load_text(ctx, (const char *)data, size, "fuzz", &rules, &err) == PH_OK)
        use(rules);
    else if (err.message[0] == '\0')
        abort();
    ph_cob_rules_free(rules);
    ph_ctx_free(ctx);
    return 0;
}

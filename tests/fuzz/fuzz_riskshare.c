/*
 * Risk-sharing schemes (src/loan/share_load.c) through
 * ph_share_schemes_load_text, as the loan module reads a schemes file. What
 * loads is used: every scheme is found by its name and splits a loss (with a
 * pool) and a recovery. Beyond memory safety two properties are checked: a
 * loaded scheme's shares sum to 10000 bp, and every split sums exactly to
 * its amount with no negative part. A refused input's error must carry a
 * message (the locator walked the text without crashing).
 */
#include "fuzz_common.h"

#include "puhui/riskshare.h"

static void check_split(const ph_share_split *s, ph_money amount, const char *what)
{
    ph_money sum = 0;
    for (int p = 0; p < PH_PARTY_COUNT; p++) {
        if (s->part[p] < 0) {
            fprintf(stderr, "fuzz: %s: negative part for the %s\n", what,
                    ph_share_party_name((ph_share_party)p));
            abort();
        }
        sum += s->part[p];
    }
    if (sum != amount) {
        fprintf(stderr, "fuzz: %s: parts sum to %lld, not %lld\n", what, (long long)sum,
                (long long)amount);
        abort();
    }
}

static void use(const ph_share_schemes *schemes)
{
    for (size_t i = 0; i < ph_share_schemes_count(schemes); i++) {
        const ph_share_scheme *s = ph_share_schemes_at(schemes, i);
        if (ph_share_schemes_find(schemes, ph_share_scheme_name(s)) != s) {
            fprintf(stderr, "fuzz: scheme %zu not found by its name\n", i);
            abort();
        }
        int32_t total = 0;
        for (int p = 0; p < PH_PARTY_COUNT; p++)
            total += ph_share_scheme_bp(s, (ph_share_party)p);
        if (total != PH_SHARE_BP_ONE) {
            fprintf(stderr, "fuzz: scheme %zu shares sum to %d bp\n", i, (int)total);
            abort();
        }
        ph_money balance = 12345, loss = 1000003;
        ph_share_split split, back;
        if (ph_share_loss(s, loss, 3000, &balance, &split, NULL) != PH_OK)
            abort();
        check_split(&split, loss, "loss");
        if (ph_share_recovery(&split, 1, 500000, &back, NULL) != PH_OK)
            abort();
        check_split(&back, 500000, "recovery");
    }
    (void)ph_share_is_default(schemes, 90, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ph_ctx *ctx = fuzz_ctx();
    ph_share_schemes *schemes = NULL;
    ph_error err;
    if (ph_share_schemes_load_text(ctx, (const char *)data, size, "fuzz", &schemes, &err) ==
        PH_OK)
        use(schemes);
    else if (err.message[0] == '\0')
        abort();
    ph_share_schemes_free(schemes);
    ph_ctx_free(ctx);
    return 0;
}

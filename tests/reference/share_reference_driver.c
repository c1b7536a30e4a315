/*
 * The risk-sharing reference driver: random losses, pools and recoveries
 * split by the library, printed as CSV for tests/reference/share_reference.py,
 * which recomputes every line with Python's fractions.
 *
 *   share_reference_driver SEED COUNT
 *
 * Lines (no header):
 *   L,bank_bp,guarantor_bp,reguarantor_bp,government_bp,loss,pool_bp,
 *     balance_before,bank,guarantor,reguarantor,government,pool,balance_after
 *   R,recovered_so_far,recovery,bank,guarantor,reguarantor,government,pool
 *       (a recovery on the last L line's split)
 *   V,outstanding,capital,cap,leverage,within_cap
 *   C,compensated,matured,rate
 * The cases are drawn here (splitmix64), so the script needs no RNG of ours.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/riskshare.h"

static uint64_t state;

static uint64_t next(void)
{
    uint64_t z = (state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static int64_t below(int64_t n)
{
    return n <= 0 ? 0 : (int64_t)(next() % (uint64_t)n);
}

/* An amount of any size: tiny (0..10 fen), odd, or up to 10^k fen. */
static int64_t amount(void)
{
    switch (below(4)) {
    case 0:
        return below(11);
    case 1:
        return below(1000000) * 2 + 1;
    default: {
        int64_t top = 1;
        for (int64_t k = below(16) + 1; k > 0; k--)
            top *= 10;
        return below(top + 1);
    }
    }
}

static void fail(const char *what, const ph_error *err)
{
    fprintf(stderr, "share_reference_driver: %s: %s\n", what, err->message);
    exit(1);
}

/* Shares of the four parties summing to 10000: a fixed scheme or a random one
 * (sometimes without a bank share). */
static void draw_scheme(int32_t bp[4])
{
    static const int32_t fixed[][4] = {
        {2000, 8000, 0, 0}, {2000, 4000, 3000, 1000}, {10000, 0, 0, 0}, {0, 5000, 5000, 0}};
    int64_t pick = below(6);
    if (pick < 4) {
        memcpy(bp, fixed[pick], sizeof(fixed[pick]));
        return;
    }
    int32_t left = 10000;
    for (int p = 0; p < 3; p++) {
        bp[p] = (int32_t)(below(3) == 0 ? 0 : below(left + 1));
        left -= bp[p];
    }
    bp[3] = left;
    if (pick == 5) { /* shuffle so that the bank is not always the big one */
        int64_t j = below(4);
        int32_t t = bp[0];
        bp[0] = bp[j];
        bp[j] = t;
    }
}

static void print_split(const ph_share_split *s)
{
    printf(",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64,
           s->part[PH_PARTY_BANK], s->part[PH_PARTY_GUARANTOR], s->part[PH_PARTY_REGUARANTOR],
           s->part[PH_PARTY_GOVERNMENT], s->part[PH_PARTY_POOL]);
}

static void one_loss(const ph_ctx *ctx)
{
    int32_t bp[4];
    draw_scheme(bp);
    static const char *const names[4] = {"bank", "guarantor", "reguarantor", "government"};
    char text[512];
    int used = snprintf(text, sizeof(text), "{\"schemes\": [{\"name\": \"s\", \"shares\": {");
    int first = 1;
    for (int p = 0; p < 4; p++) {
        if (bp[p] == 0 && below(2))
            continue; /* a party left out and one named with 0 are the same */
        used += snprintf(text + used, sizeof(text) - (size_t)used, "%s\"%s\": %d",
                         first ? "" : ", ", names[p], (int)bp[p]);
        first = 0;
    }
    snprintf(text + used, sizeof(text) - (size_t)used, "}}]}");
    ph_share_schemes *schemes;
    ph_error err;
    if (ph_share_schemes_load_text(ctx, text, strlen(text), NULL, &schemes, &err) != PH_OK)
        fail(text, &err);
    const ph_share_scheme *scheme = ph_share_schemes_find(schemes, "s");

    ph_money loss = amount();
    int32_t pool_bp = below(3) == 0 ? 0 : (int32_t)(below(2) ? below(10001) : 1000 * below(6));
    ph_money balance = below(2) ? amount() : (ph_money)below(loss / 2 + 2);
    ph_money before = balance;
    ph_share_split split;
    if (ph_share_loss(scheme, loss, pool_bp, pool_bp ? &balance : NULL, &split, &err) != PH_OK)
        fail("ph_share_loss", &err);
    printf("L,%d,%d,%d,%d,%" PRId64 ",%d,%" PRId64, (int)bp[0], (int)bp[1], (int)bp[2],
           (int)bp[3], loss, (int)pool_bp, pool_bp ? before : 0);
    print_split(&split);
    printf(",%" PRId64 "\n", pool_bp ? balance : 0);
    ph_share_schemes_free(schemes);

    /* Recoveries: up to 4 steps, sometimes to the whole loss. */
    ph_money so_far = 0;
    for (int64_t k = below(5); k > 0 && so_far < loss; k--) {
        ph_money left = loss - so_far;
        ph_money r = k == 1 && below(2) ? left : 1 + below(below(2) ? left : (left < 10 ? left : 10));
        ph_share_split back;
        if (ph_share_recovery(&split, so_far, r, &back, &err) != PH_OK)
            fail("ph_share_recovery", &err);
        printf("R,%" PRId64 ",%" PRId64, so_far, r);
        print_split(&back);
        printf("\n");
        so_far += r;
    }
}

static void one_ratio(void)
{
    ph_money outstanding = amount(), capital = 1 + amount() / 3, compensated = amount() / 50;
    ph_rate cap = below(20) * 100000000 + below(100000000), lev;
    int within;
    ph_error err;
    if (ph_share_leverage(outstanding, capital, cap, &lev, &within, &err) == PH_OK)
        printf("V,%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%d\n", outstanding, capital, cap,
               lev, within);
    else if (err.code != PH_ERANGE)
        fail("ph_share_leverage", &err);
    ph_money matured = compensated + amount();
    ph_rate rate;
    if (ph_share_compensation_rate(compensated, matured, &rate, &err) != PH_OK)
        fail("ph_share_compensation_rate", &err);
    printf("C,%" PRId64 ",%" PRId64 ",%" PRId64 "\n", compensated, matured, rate);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: share_reference_driver SEED COUNT\n");
        return 2;
    }
    state = strtoull(argv[1], NULL, 10);
    long count = strtol(argv[2], NULL, 10);
    ph_ctx *ctx;
    ph_error err;
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK)
        fail("ph_ctx_new", &err);
    for (long i = 0; i < count; i++) {
        one_loss(ctx);
        if (i % 10 == 0)
            one_ratio();
    }
    ph_ctx_free(ctx);
    return fflush(stdout) == 0 ? 0 : 1;
}

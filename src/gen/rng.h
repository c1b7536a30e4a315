/*
 * puhui gen — the simulator's random numbers (private to src/gen).
 *
 * Every firm and every purpose has its own stream, derived by hashing
 * (seed, stream, index): firm 17's payments never depend on firm 16 or on
 * how many threads ran, which is what makes the output byte-identical for
 * the same arguments. xoshiro256** is the generator (fast, 256-bit state,
 * well tested); splitmix64 spreads the seed into its state.
 */
#ifndef PH_GEN_RNG_H
#define PH_GEN_RNG_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gen_rng {
    uint64_t s[4];
    double spare;     /* second normal of the last polar pair */
    int has_spare;
} gen_rng;

/* Stream identifiers: one per purpose, so adding draws to one feed leaves
 * every other feed unchanged. */
enum {
    GEN_STREAM_FIRM = 1,
    GEN_STREAM_HEALTH,
    GEN_STREAM_MONTHLY,
    GEN_STREAM_DAILY,
    GEN_STREAM_EVENTS,
    GEN_STREAM_CREDIT,
    GEN_STREAM_STATUS,
    GEN_STREAM_DIRTY,
    GEN_STREAM_MACRO,
    GEN_STREAM_SUPPLY,
    GEN_STREAM_NAME,
    GEN_STREAM_POWER,
    GEN_STREAM_TRAITS,
    GEN_STREAM_CONSUMER,
    GEN_STREAM_GPS,       /* logistics_gps: the fleet, then its trips */
    GEN_STREAM_OPINION,   /* public_opinion */
    GEN_STREAM_WAREHOUSE, /* the warehouses (index 0), then each firm's lots (index + 1) */
    GEN_STREAM_PRICES     /* commodity_prices, one stream a commodity */
};

static inline uint64_t gen_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static inline void gen_rng_init(gen_rng *r, uint64_t seed, uint64_t stream, uint64_t index)
{
    uint64_t x = seed ^ (stream * UINT64_C(0xD1B54A32D192ED03));
    x ^= gen_splitmix64(&x) + index * UINT64_C(0x8CB92BA72F3D8DD7);
    for (int i = 0; i < 4; i++)
        r->s[i] = gen_splitmix64(&x);
    r->has_spare = 0;
    r->spare = 0.0;
}

static inline uint64_t gen_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t gen_next(gen_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = gen_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = gen_rotl(s[3], 45);
    return result;
}

/* Uniform in [0, 1), 53 bits. */
static inline double gen_uniform(gen_rng *r)
{
    return (double)(gen_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n > 0 (Lemire's multiply; the bias for
 * n << 2^64 is far below anything a simulation can see). */
static inline uint64_t gen_below(gen_rng *r, uint64_t n)
{
    __extension__ typedef unsigned __int128 gen_u128;
    return (uint64_t)(((gen_u128)gen_next(r) * n) >> 64);
}

static inline int gen_chance(gen_rng *r, double p)
{
    return gen_uniform(r) < p;
}

/* Standard normal, Marsaglia's polar method. */
static inline double gen_normal(gen_rng *r)
{
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    double u, v, s;
    do {
        u = 2.0 * gen_uniform(r) - 1.0;
        v = 2.0 * gen_uniform(r) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double f = sqrt(-2.0 * log(s) / s);
    r->spare = v * f;
    r->has_spare = 1;
    return u * f;
}

/* exp(N(mu, sigma)): a lognormal multiplier. */
static inline double gen_lognormal(gen_rng *r, double mu, double sigma)
{
    return exp(mu + sigma * gen_normal(r));
}

/* Poisson(lambda): inversion for small means, a rounded normal above 40
 * (the counts it feeds are daily transactions, where that is invisible). */
static inline uint32_t gen_poisson(gen_rng *r, double lambda)
{
    if (lambda <= 0.0)
        return 0;
    if (lambda > 40.0) {
        double x = lambda + sqrt(lambda) * gen_normal(r) + 0.5;
        return x < 0.0 ? 0u : (uint32_t)x;
    }
    double p = exp(-lambda), cdf = p, u = gen_uniform(r);
    uint32_t k = 0;
    while (u > cdf && k < 1000) {
        k++;
        p *= lambda / k;
        cdf += p;
    }
    return k;
}

/* Index drawn from cumulative weights cum[0..n-1] (cum[n-1] = total). */
static inline size_t gen_pick_cumulative(gen_rng *r, const double *cum, size_t n)
{
    double x = gen_uniform(r) * cum[n - 1];
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cum[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

#endif

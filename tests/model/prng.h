/* prng.h: the tester's own deterministic random numbers: splitmix64 to seed, xoshiro256**
 * to draw. Nothing here depends on libpossession; a seed gives the same run everywhere. */
#ifndef MODEL_PRNG_H
#define MODEL_PRNG_H

#include <stdint.h>

typedef struct prng {
    uint64_t s[4];
} prng;

static inline uint64_t prng_splitmix(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static inline void prng_seed(prng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = prng_splitmix(&x);
}

static inline uint64_t prng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t prng_next(prng *r)
{
    uint64_t *s = r->s;
    uint64_t result = prng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = prng_rotl(s[3], 45);
    return result;
}

/* A number in 0 .. n-1 (n > 0). */
static inline uint64_t prng_below(prng *r, uint64_t n)
{
    return n ? prng_next(r) % n : 0;
}

/* A number in lo .. hi inclusive. */
static inline int64_t prng_range(prng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)prng_below(r, (uint64_t)(hi - lo) + 1);
}

/* 1 with probability pct percent. */
static inline int prng_chance(prng *r, int pct)
{
    return (int)prng_below(r, 100) < pct;
}

#endif

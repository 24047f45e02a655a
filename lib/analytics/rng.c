/* xoshiro256** by Blackman and Vigna; splitmix64 spreads a small seed
 * over the four words, which must not all be zero. */
#include "analytics/rng.h"

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
crm_rng_seed(struct crm_rng *g, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		g->s[i] = splitmix64(&seed);
}

uint64_t
crm_rng_next(struct crm_rng *g)
{
	uint64_t *s = g->s, r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

double
crm_rng_uniform(struct crm_rng *g)
{
	return (double)(crm_rng_next(g) >> 11) * 0x1.0p-53;
}

uint64_t
crm_rng_below(struct crm_rng *g, uint64_t n)
{
	/* Draws past the last whole multiple of n would favour small values. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, x;

	do
		x = crm_rng_next(g);
	while (x >= limit);
	return x % n;
}

/* A seeded generator of our own (xoshiro256**, seeded through
 * splitmix64), so an analysis run again on the same data with the same
 * seed gives the same answer on every machine and libc. */
#ifndef CRM_RNG_H
#define CRM_RNG_H

#include <stdint.h>

struct crm_rng {
	uint64_t s[4];
};

void crm_rng_seed(struct crm_rng *, uint64_t seed);
uint64_t crm_rng_next(struct crm_rng *);
/* Uniform in [0, 1), 53 bits. */
double crm_rng_uniform(struct crm_rng *);
/* Uniform in 0..n-1 without modulo bias; n > 0. */
uint64_t crm_rng_below(struct crm_rng *, uint64_t n);

#endif

#include <stdlib.h>
#include <string.h>

#include "crm_num.h"

/* Two digits a division: a list page prints a few hundred numbers (ids,
 * counts), and a division a digit was most of their cost. */
static const char pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

size_t
crm_num_u64(char *buf, unsigned long long v)
{
	char tmp[20];
	size_t n = sizeof(tmp), k;

	while (v >= 100) {
		unsigned d = (unsigned)(v % 100) * 2;

		v /= 100;
		tmp[--n] = pairs[d + 1];
		tmp[--n] = pairs[d];
	}
	if (v >= 10) {
		tmp[--n] = pairs[v * 2 + 1];
		tmp[--n] = pairs[v * 2];
	} else {
		tmp[--n] = (char)('0' + v);
	}
	k = sizeof(tmp) - n;
	memcpy(buf, tmp + n, k);
	buf[k] = '\0';
	return k;
}

size_t
crm_num_i64(char *buf, long long v)
{
	/* Through unsigned, so that LLONG_MIN has a magnitude. */
	if (v < 0) {
		buf[0] = '-';
		return 1 + crm_num_u64(buf + 1, 0ULL - (unsigned long long)v);
	}
	return crm_num_u64(buf, (unsigned long long)v);
}

double
crm_num_decimal(const char *s)
{
	/* Every power of ten up to 1e22 is a double exactly. */
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
	const char *p = s;
	unsigned long long m = 0;
	int neg = 0, digits = 0, significant = 0, decimals = 0, point = 0;
	double v;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (;; p++) {
		if (*p >= '0' && *p <= '9') {
			m = m * 10 + (unsigned long long)(*p - '0');
			digits++;
			decimals += point;
			if (m != 0 && ++significant > 15)
				return strtod(s, NULL);
		} else if (*p == '.' && !point) {
			point = 1;
		} else {
			break;
		}
	}
	if (*p != '\0' || digits == 0 || decimals > 22)
		return strtod(s, NULL);
	v = (double)m / pow10[decimals];
	return neg ? -v : v;
}

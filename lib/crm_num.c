#include <stdlib.h>

#include "crm_num.h"

size_t
crm_num_u64(char *buf, unsigned long long v)
{
	char tmp[20];
	size_t n = 0, k = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		buf[k++] = tmp[--n];
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

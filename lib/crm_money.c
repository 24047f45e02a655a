/* Exact decimal arithmetic for money: see crm_money.h. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "crm_money.h"

int
crm_decimal_parse(const char *s, int scale, int digits, long long *out)
{
	const char *p = s;
	long long v = 0;
	int neg = 0, n = 0, frac = -1;

	if (s == NULL || scale < 0 || scale > 9 || digits < 1 || digits > 18)
		return -1;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (*p == '\0' || *p == '.')
		return -1;
	for (; *p; p++) {
		if (*p == '.') {
			if (frac >= 0 || p[1] == '\0')
				return -1;
			frac = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			return -1;
		if (frac >= 0 && ++frac > scale)
			return -1;
		if (frac < 0 && ++n > digits - scale)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (frac < 0)
		frac = 0;
	for (; frac < scale; frac++)
		v *= 10;
	*out = neg ? -v : v;
	return 0;
}

char *
crm_decimal_format(char *buf, long long v, int scale)
{
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	unsigned long long div = 1;
	int i;

	for (i = 0; i < scale; i++)
		div *= 10;
	if (scale == 0)
		snprintf(buf, CRM_DECIMAL_MAX, "%s%llu", v < 0 ? "-" : "", u);
	else
		snprintf(buf, CRM_DECIMAL_MAX, "%s%llu.%0*llu", v < 0 ? "-" : "", u / div, scale,
		    u % div);
	return buf;
}

int
crm_money_parse(const char *s, long long *cents)
{
	return crm_decimal_parse(s, CRM_MONEY_SCALE, 15, cents);
}

char *
crm_money_format(char *buf, long long cents)
{
	return crm_decimal_format(buf, cents, CRM_MONEY_SCALE);
}

int
crm_muldiv(long long a, long long b, long long d, long long *out)
{
	__int128 p = (__int128)a * b, q, r;

	if (d == 0)
		return -1;
	if (d < 0) {
		d = -d;
		p = -p;
	}
	q = p / d;
	r = p % d;
	/* Half away from zero: |r| * 2 >= d moves q one step from zero. */
	if ((r < 0 ? -r : r) * 2 >= d)
		q += p < 0 ? -1 : 1;
	if (q > LLONG_MAX || q < -LLONG_MAX)
		return -1;
	*out = (long long)q;
	return 0;
}

int
crm_line_amounts(long long qty_milli, long long price_cents, long long discount_bp,
    long long tax_bp, struct crm_line_amounts *a)
{
	memset(a, 0, sizeof(*a));
	if (crm_muldiv(qty_milli, price_cents, 1000, &a->gross) != 0 ||
	    crm_muldiv(a->gross, discount_bp, 10000, &a->discount) != 0)
		return -1;
	a->net = a->gross - a->discount;
	if (crm_muldiv(a->net, tax_bp, 10000, &a->tax) != 0)
		return -1;
	a->total = a->net + a->tax;
	return 0;
}

int
crm_money_convert(long long cents, long long rate, long long *out)
{
	return crm_muldiv(cents, rate, 100000000LL, out);
}

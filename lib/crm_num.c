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

/* Months as the forecast and the quotas count them: year * 12 + month - 1,
 * so a window of months is a range of integers; "YYYY-MM" on the way in
 * and out, and the first of the month for SQL. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extern.h"

int
sales_month_parse(const char *s, int *ym)
{
	int y, m, i;

	if (s == NULL || strlen(s) != 7 || s[4] != '-')
		return -1;
	for (i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = atoi(s);
	m = atoi(s + 5);
	if (y < 1970 || y > 9998 || m < 1 || m > 12)
		return -1;
	*ym = y * 12 + m - 1;
	return 0;
}

const char *
sales_month_text(struct crm_ctx *c, int ym)
{
	return crm_arena_printf(c->arena, "%04d-%02d", ym / 12, ym % 12 + 1);
}

const char *
sales_month_first(struct crm_ctx *c, int ym)
{
	return crm_arena_printf(c->arena, "%04d-%02d-01", ym / 12, ym % 12 + 1);
}

int
sales_month_now(void)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	return (tm.tm_year + 1900) * 12 + tm.tm_mon;
}

/* Exact decimals for money, quantities, percentages and exchange rates.
 * A value is a long long count of its smallest unit (scale 2: cents,
 * scale 3: thousandths of a unit of quantity, scale 2 for a percentage:
 * basis points). MariaDB's DECIMAL columns travel as text both ways, so
 * nothing passes through floating point. Products round half away from
 * zero, as an invoice does. */
#ifndef CRM_MONEY_H
#define CRM_MONEY_H

#include <stddef.h>

#define CRM_MONEY_SCALE 2       /* DECIMAL(15,2) */
#define CRM_QTY_SCALE 3         /* DECIMAL(12,3) */
#define CRM_PERCENT_SCALE 2     /* DECIMAL(5,2): 12.50 % is 1250 */
#define CRM_RATE_SCALE 8        /* DECIMAL(18,8) */
#define CRM_DECIMAL_MAX 32      /* room for any formatted value */

/* "1234", "-12.5", "0.07": an optional minus, digits, an optional point
 * and at most scale digits after it; at most digits digits in all. No
 * grouping, no exponent, no spaces. Returns 0, or -1 with *out untouched. */
int crm_decimal_parse(const char *s, int scale, int digits, long long *out);
/* Writes v with exactly scale decimals ("1234.50") into buf, which has
 * CRM_DECIMAL_MAX bytes, and returns buf. */
char *crm_decimal_format(char *buf, long long v, int scale);

/* Money as DECIMAL(15,2): 13 digits before the point. */
int crm_money_parse(const char *s, long long *cents);
char *crm_money_format(char *buf, long long cents);

/* a * b / d rounded half away from zero, computed in 128 bits. Returns 0,
 * or -1 when d is 0 or the result does not fit a long long. */
int crm_muldiv(long long a, long long b, long long d, long long *out);

/* One priced line: quantity (scale 3) x unit price (cents), less the
 * discount (percent, scale 2), then the tax (percent, scale 2) on what is
 * left. Each step rounds to the cent, so the sum of the lines' figures is
 * the document's total to the cent. Returns 0, or -1 on overflow. */
struct crm_line_amounts {
	long long gross;        /* quantity x price */
	long long discount;     /* taken off gross */
	long long net;          /* gross - discount */
	long long tax;          /* on net */
	long long total;        /* net + tax */
};
int crm_line_amounts(long long qty_milli, long long price_cents, long long discount_bp,
    long long tax_bp, struct crm_line_amounts *);

/* Converts cents of the base currency with rate (units of the other
 * currency per unit of the base, scale 8): cents * rate, to the cent. */
int crm_money_convert(long long cents, long long rate, long long *out);

#endif

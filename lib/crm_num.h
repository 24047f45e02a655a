/* Decimal digits of integers without printf: pages print hundreds of ids,
 * counts and chart coordinates, and snprintf costs about ten times this. */
#ifndef CRM_NUM_H
#define CRM_NUM_H

#include <stddef.h>

/* Writes v's digits and a NUL into buf (at least 21 bytes); returns the
 * length. */
size_t crm_num_u64(char *buf, unsigned long long v);
/* Like crm_num_u64 with a leading '-' for negatives (LLONG_MIN included);
 * buf holds at least 21 bytes. */
size_t crm_num_i64(char *buf, long long v);
/* The value of a decimal as MariaDB sends a DECIMAL column ("-1234.50"),
 * exactly as strtod reads it: up to 15 significant digits are worked out
 * here (an exact integer over an exact power of ten, so one correctly
 * rounded division); anything else goes to strtod. */
double crm_num_decimal(const char *s);

#endif

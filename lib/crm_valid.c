/* Value validators. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crm_valid.h"

int
crm_valid_id(const char *s, long long *out)
{
	long long v = 0;
	size_t i;

	if (s == NULL || s[0] < '1' || s[0] > '9')
		return 0;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 18)
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	if (out)
		*out = v;
	return 1;
}

int
crm_valid_email(const char *s)
{
	const char *at, *dot;
	size_t i, n;

	if (s == NULL || (n = strlen(s)) < 3 || n > 254)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f || s[i] == '<' || s[i] == '>' ||
		    s[i] == ',' || s[i] == ';' || s[i] == '"')
			return 0;
	at = strchr(s, '@');
	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return 0;
	dot = strrchr(at, '.');
	return dot != NULL && dot > at + 1 && dot[1] != '\0';
}

int
crm_valid_text(const char *s, size_t min, size_t max, int multiline)
{
	size_t chars = 0;

	if (s == NULL)
		return min == 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f) {
			if (!multiline || (c != '\n' && c != '\r' && c != '\t'))
				return 0;
		}
		if ((c & 0xC0) != 0x80)
			chars++;
	}
	return chars >= min && chars <= max;
}

int
crm_valid_oneof(const char *s, const char *const *list)
{
	if (s == NULL)
		return 0;
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

int
crm_valid_time_zone(const char *s)
{
	char path[128];
	struct stat st;
	size_t i;

	if (s == NULL || s[0] == '\0' || strlen(s) > 64 || s[0] == '/' || strstr(s, ".."))
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || strchr("/_+-", s[i])))
			return 0;
	if (strcmp(s, "UTC") == 0)
		return 1;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", s);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

long long
crm_ctx_id(struct crm_ctx *c, const char *name)
{
	long long id;

	return crm_valid_id(crm_ctx_path_param(c, name), &id) ? id : 0;
}

void
crm_ctx_field_error(struct crm_ctx *c, const char *field, const char *message)
{
	json_t *errors = json_object_get(c->view, "errors");

	if (errors == NULL) {
		errors = json_object();
		json_object_set_new(c->view, "errors", errors);
	}
	if (json_object_get(errors, field) == NULL)
		json_object_set_new(errors, field, json_string(crm_ctx_text(c, message)));
}

int
crm_ctx_has_errors(struct crm_ctx *c)
{
	return json_object_size(json_object_get(c->view, "errors")) > 0;
}

static int
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int
crm_valid_date(const char *s)
{
	int y, m, d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    !digits(s, 4) || !digits(s + 5, 2) || !digits(s + 8, 2))
		return 0;
	y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= (m == 2 ? ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28) :
	    (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31);
}

int
crm_valid_datetime(const char *s)
{
	char date[11];

	if (s == NULL || (strlen(s) != 16 && strlen(s) != 19) || (s[10] != 'T' && s[10] != ' '))
		return 0;
	memcpy(date, s, 10);
	date[10] = '\0';
	return crm_valid_date(date) && digits(s + 11, 2) && s[13] == ':' &&
	    digits(s + 14, 2) && atoi(s + 11) < 24 && atoi(s + 14) < 60 &&
	    (s[16] == '\0' || (s[16] == ':' && digits(s + 17, 2) && atoi(s + 17) < 60));
}

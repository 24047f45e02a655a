/* Tags: see crm_tags.h. */
#include <ctype.h>
#include <string.h>

#include "crm_stmts.h"
#include "crm_tags.h"
#include "crm_valid.h"

/* Calls fn for each trimmed, non-empty tag; stops when it returns nonzero. */
static int
each_tag(const char *tags, int (*fn)(const char *, void *), void *arg)
{
	char one[256];
	const char *p = tags, *end;
	size_t n;

	while (p && *p) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		while (p < end && isspace((unsigned char)*p))
			p++;
		n = (size_t)(end - p);
		while (n > 0 && isspace((unsigned char)p[n - 1]))
			n--;
		if (n >= sizeof(one))
			return -1;
		memcpy(one, p, n);
		one[n] = '\0';
		if (n > 0 && fn(one, arg) != 0)
			return -1;
		p = *end ? end + 1 : end;
	}
	return 0;
}

static int
count_tag(const char *tag, void *arg)
{
	int *n = arg;

	return !crm_valid_text(tag, 1, 50, 0) || ++*n > 20;
}

int
crm_tags_valid(const char *tags)
{
	int n = 0;

	return tags == NULL || each_tag(tags, count_tag, &n) == 0;
}

struct tag_save {
	struct crm_db *db;
	const char *entity;
	long long id;
	enum crm_err e;
};

static int
save_tag(const char *tag, void *arg)
{
	struct tag_save *s = arg;
	struct crm_db_bind b[3];

	crm_db_bind_str(&b[0], tag, (size_t)-1);
	if ((s->e = crm_db_exec(s->db, CRM_STMT_TAG_ENSURE, b, 1, NULL, NULL)) != CRM_OK)
		return 1;
	crm_db_bind_str(&b[0], s->entity, (size_t)-1);
	crm_db_bind_i64(&b[1], s->id);
	crm_db_bind_str(&b[2], tag, (size_t)-1);
	s->e = crm_db_exec(s->db, CRM_STMT_TAG_LINK, b, 3, NULL, NULL);
	return s->e != CRM_OK;
}

enum crm_err
crm_tags_add(struct crm_db *db, const char *entity, long long id, const char *tags)
{
	struct tag_save s = { db, entity, id, CRM_OK };

	if (tags != NULL)
		each_tag(tags, save_tag, &s);
	return s.e;
}

enum crm_err
crm_tags_save(struct crm_db *db, const char *entity, long long id, const char *tags)
{
	struct crm_db_bind b[2];
	enum crm_err e;

	crm_db_bind_str(&b[0], entity, (size_t)-1);
	crm_db_bind_i64(&b[1], id);
	if ((e = crm_db_exec(db, CRM_STMT_TAGS_CLEAR, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return crm_tags_add(db, entity, id, tags);
}

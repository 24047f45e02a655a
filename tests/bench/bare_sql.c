/* The baseline for a database page in make bench: a bare fcgi2 program
 * that runs the same SQL our page ran (captured from MariaDB's general
 * log, one statement per line in BARE_SQL) and prints as many bytes
 * (BARE_BYTES). What our page costs beyond this is our own code.
 *
 * The statements are prepared once, as our modules prepare theirs, and
 * executed with the binary protocol on every request, each result read
 * to its last row; the values the page bound are in the captured text.
 * A statement the server will not prepare runs as plain text instead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>
#include <mysql.h>

#define MAX_SQL 64

struct bare_stmt {
	char *text;
	MYSQL_STMT *stmt; /* NULL: run as text */
};

static void
run_text(MYSQL *my, const char *text)
{
	MYSQL_RES *res;

	if (mysql_query(my, text) == 0 && (res = mysql_store_result(my)) != NULL)
		mysql_free_result(res);
}

static void
run_prepared(MYSQL_STMT *stmt)
{
	if (mysql_stmt_execute(stmt) != 0 || mysql_stmt_store_result(stmt) != 0) {
		fprintf(stderr, "bare_sql: %s\n", mysql_stmt_error(stmt));
		return;
	}
	while (mysql_stmt_fetch(stmt) == 0)
		;
	mysql_stmt_free_result(stmt);
}

int
main(void)
{
	const char *s = getenv("BARE_BYTES"), *file = getenv("BARE_SQL");
	const char *prepared = getenv("BARE_PREPARED");
	size_t n = s ? (size_t)atol(s) : 2048, i, nsql = 0;
	char *body = malloc(n + 1), head[128], line[65536];
	struct bare_stmt sql[MAX_SQL];
	FILE *f;
	MYSQL *my = mysql_init(NULL);
	FCGX_Request r;

	if (body == NULL || file == NULL || (f = fopen(file, "r")) == NULL)
		return 1;
	while (nsql < MAX_SQL && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (*line) {
			sql[nsql].text = strdup(line);
			sql[nsql++].stmt = NULL;
		}
	}
	fclose(f);
	if (!mysql_real_connect(my, NULL, getenv("BARE_DB_USER"), NULL, getenv("BARE_DB_NAME"), 0,
	    getenv("BARE_DB_SOCKET"), 0)) {
		fprintf(stderr, "bare_sql: %s\n", mysql_error(my));
		return 1;
	}
	mysql_set_character_set(my, "utf8mb4");
	for (i = 0; i < nsql && !(prepared && strcmp(prepared, "0") == 0); i++) {
		MYSQL_STMT *st = mysql_stmt_init(my);

		if (st != NULL && mysql_stmt_prepare(st, sql[i].text, strlen(sql[i].text)) == 0)
			sql[i].stmt = st;
		else if (st != NULL)
			mysql_stmt_close(st);
		/* Placeholders left in the text: the log did not hold the values
		 * (the page prepared it before logging began), and a baseline
		 * that runs nothing would flatter it. */
		if (sql[i].stmt != NULL && mysql_stmt_param_count(sql[i].stmt) > 0) {
			fprintf(stderr, "bare_sql: statement %zu has placeholders, not values\n", i + 1);
			return 1;
		}
	}
	for (i = 0; i < n; i++)
		body[i] = i % 64 == 63 ? '\n' : 'x';
	snprintf(head, sizeof(head), "Content-Type: text/html\r\nContent-Length: %zu\r\n\r\n", n);
	FCGX_Init();
	FCGX_InitRequest(&r, 0, 0);
	while (FCGX_Accept_r(&r) >= 0) {
		for (i = 0; i < nsql; i++) {
			if (sql[i].stmt != NULL)
				run_prepared(sql[i].stmt);
			else
				run_text(my, sql[i].text);
		}
		FCGX_PutS(head, r.out);
		FCGX_PutStr(body, (int)n, r.out);
		FCGX_Finish_r(&r);
	}
	return 0;
}

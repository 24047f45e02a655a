/* The baseline for a database page in make bench: a bare fcgi2 program
 * that runs the same SQL our page ran (captured from MariaDB's general
 * log, one statement per line in BARE_SQL) and prints as many bytes
 * (BARE_BYTES). What our page costs beyond this is our own code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>
#include <mysql.h>

int
main(void)
{
	const char *s = getenv("BARE_BYTES"), *file = getenv("BARE_SQL");
	size_t n = s ? (size_t)atol(s) : 2048, i, nsql = 0;
	char *body = malloc(n + 1), head[128], line[65536], *sql[64];
	FILE *f;
	MYSQL *my = mysql_init(NULL);
	FCGX_Request r;

	if (file == NULL || (f = fopen(file, "r")) == NULL)
		return 1;
	while (nsql < 64 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (*line)
			sql[nsql++] = strdup(line);
	}
	fclose(f);
	if (!mysql_real_connect(my, NULL, getenv("BARE_DB_USER"), NULL, getenv("BARE_DB_NAME"), 0,
	    getenv("BARE_DB_SOCKET"), 0)) {
		fprintf(stderr, "bare_sql: %s\n", mysql_error(my));
		return 1;
	}
	mysql_set_character_set(my, "utf8mb4");
	for (i = 0; i < n; i++)
		body[i] = i % 64 == 63 ? '\n' : 'x';
	snprintf(head, sizeof(head), "Content-Type: text/html\r\nContent-Length: %zu\r\n\r\n", n);
	FCGX_Init();
	FCGX_InitRequest(&r, 0, 0);
	while (FCGX_Accept_r(&r) >= 0) {
		for (i = 0; i < nsql; i++) {
			MYSQL_RES *res;

			if (mysql_query(my, sql[i]) == 0 && (res = mysql_store_result(my)) != NULL)
				mysql_free_result(res);
		}
		FCGX_PutS(head, r.out);
		FCGX_PutStr(body, (int)n, r.out);
		FCGX_Finish_r(&r);
	}
	return 0;
}

/* The baseline for make bench: the least a fcgi2 program can do. It
 * prints a fixed page of the size given in BARE_BYTES. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

int
main(void)
{
	const char *s = getenv("BARE_BYTES");
	size_t n = s ? (size_t)atol(s) : 2048, i;
	char *body = malloc(n + 1), head[128];
	FCGX_Request r;

	for (i = 0; i < n; i++)
		body[i] = i % 64 == 63 ? '\n' : 'x';
	snprintf(head, sizeof(head),
	    "Content-Type: text/html\r\nContent-Length: %zu\r\n\r\n", n);
	FCGX_Init();
	FCGX_InitRequest(&r, 0, 0);
	while (FCGX_Accept_r(&r) >= 0) {
		FCGX_PutS(head, r.out);
		FCGX_PutStr(body, (int)n, r.out);
		FCGX_Finish_r(&r);
	}
	return 0;
}

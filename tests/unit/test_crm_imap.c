/* IMAP mailbox addresses: what the form accepts, and what it must not
 * (other schemes, credentials in the URL, mailbox names that would need
 * quoting in a command). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "crm_imap.h"

static void
test_url_ok(void **state)
{
	(void)state;
	assert_true(crm_imap_url_ok("imaps://mail.example.com/INBOX"));
	assert_true(crm_imap_url_ok("imap://127.0.0.1:14313/INBOX"));
	assert_true(crm_imap_url_ok("imaps://mail.example.com:993/Support/Incoming"));
	assert_true(crm_imap_url_ok("imaps://mail.example.com/&ZeVnLIqe-"));
	assert_false(crm_imap_url_ok(NULL));
	assert_false(crm_imap_url_ok(""));
	assert_false(crm_imap_url_ok("imaps://mail.example.com"));
	assert_false(crm_imap_url_ok("imaps://mail.example.com/"));
	assert_false(crm_imap_url_ok("https://mail.example.com/INBOX"));
	assert_false(crm_imap_url_ok("pop3://mail.example.com/INBOX"));
	assert_false(crm_imap_url_ok("imaps://user:pw@mail.example.com/INBOX"));
	assert_false(crm_imap_url_ok("imaps://mail.example.com:0/INBOX"));
	assert_false(crm_imap_url_ok("imaps://mail.example.com:65536/INBOX"));
	assert_false(crm_imap_url_ok("imaps://mail.example.com/IN BOX"));
	assert_false(crm_imap_url_ok("imaps://mail.example.com/IN\"BOX"));
	assert_false(crm_imap_url_ok("imaps://mail.example.com/INBOX;UID=1"));
	assert_false(crm_imap_url_ok("imaps://mail.example.com/INBOX?ALL"));
	assert_false(crm_imap_url_ok("imaps://mail.example.com//INBOX"));
	assert_false(crm_imap_url_ok("imaps://[::1]/INBOX"));
	assert_false(crm_imap_url_ok("imaps://-x.example.com/INBOX"));
}

static void
test_open(void **state)
{
	struct crm_imap *m;
	unsigned long long v = 1, next = 1;
	char err[300] = "";

	(void)state;
	assert_null(crm_imap_open("http://x/INBOX", "u", "p", 5));
	m = crm_imap_open("imap://127.0.0.1:1/INBOX", "u", "secret-pw", 5);
	assert_non_null(m);
	/* Nothing listens on port 1: an error with a reason, never the password. */
	assert_int_equal(crm_imap_status(m, &v, &next, err, sizeof(err)), CRM_EIO);
	assert_true(err[0] != '\0');
	assert_null(strstr(err, "secret-pw"));
	crm_imap_close(m);
	crm_imap_close(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_ok),
		cmocka_unit_test(test_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

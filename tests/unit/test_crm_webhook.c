/* Webhooks: the signature a receiver recomputes, the secret's shape, the
 * addresses a hook may post to, and which events an audit row stands for. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>

#include "crm_webhook.h"

static void
test_signature(void **state)
{
	char sig[CRM_WEBHOOK_SIGNATURE_LEN + 1], other[CRM_WEBHOOK_SIGNATURE_LEN + 1];
	const char *body = "{\"event\":\"ping\"}";

	(void)state;
	/* python3: hmac.new(b"whsec_test-secret", b'1700000000.{"event":"ping"}',
	 * hashlib.sha256).hexdigest() */
	crm_webhook_sign("whsec_test-secret", 1700000000LL, body, strlen(body), sig);
	assert_string_equal(sig, "sha256=29a5a027bc1497a78963fa0e4f91dd6968f76d371197430bf662155cb99c4f19");
	/* The timestamp and the secret are both in it. */
	crm_webhook_sign("whsec_test-secret", 1700000001LL, body, strlen(body), other);
	assert_string_not_equal(sig, other);
	crm_webhook_sign("whsec_test-secreT", 1700000000LL, body, strlen(body), other);
	assert_string_not_equal(sig, other);
	/* Only len bytes of the body count. */
	crm_webhook_sign("whsec_test-secret", 1700000000LL, "{\"event\":\"ping\"}trailing", strlen(body), other);
	assert_string_equal(sig, other);
}

static void
test_secret(void **state)
{
	char a[CRM_WEBHOOK_SECRET_LEN + 1], b[CRM_WEBHOOK_SECRET_LEN + 1];

	(void)state;
	crm_webhook_new_secret(a);
	crm_webhook_new_secret(b);
	assert_int_equal(strlen(a), CRM_WEBHOOK_SECRET_LEN);
	assert_memory_equal(a, "whsec_", 6);
	assert_int_equal(strspn(a + 6, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
	    CRM_WEBHOOK_SECRET_LEN - 6);
	assert_string_not_equal(a, b);
}

static void
test_urls(void **state)
{
	char longer[2100];

	(void)state;
	assert_true(crm_webhook_url_ok("https://hooks.example.com/crm"));
	assert_true(crm_webhook_url_ok("http://127.0.0.1:8080/x?y=1"));
	assert_false(crm_webhook_url_ok("ftp://example.com/x"));
	assert_false(crm_webhook_url_ok("file:///etc/passwd"));
	assert_false(crm_webhook_url_ok("gopher://example.com"));
	assert_false(crm_webhook_url_ok("https://"));
	assert_false(crm_webhook_url_ok("http:///path"));
	assert_false(crm_webhook_url_ok("https://exa mple.com/"));
	assert_false(crm_webhook_url_ok("https://example.com/\n"));
	assert_false(crm_webhook_url_ok("HTTPS://example.com"));
	assert_false(crm_webhook_url_ok(""));
	assert_false(crm_webhook_url_ok(NULL));
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	memcpy(longer, "https://", 8);
	assert_false(crm_webhook_url_ok(longer));
}

/* The events of one audit row, comma-joined. */
static const char *
events(const char *entity, const char *action, const char *changes)
{
	static char out[200];
	const char *t[CRM_WEBHOOK_MAX_EVENTS];
	json_t *ch = json_loads(changes, 0, NULL);
	size_t i, n = crm_webhook_events_of(entity, action, ch, t);

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(out, ",");
		strcat(out, t[i]);
		assert_true(crm_webhook_event_known(t[i]));
	}
	json_decref(ch);
	return out;
}

static void
test_events(void **state)
{
	(void)state;
	assert_string_equal(events("contact", "create", "{\"after\":{\"email\":\"a@b.c\"},\"before\":null}"), "contact.created");
	assert_string_equal(events("contact", "update", "{\"after\":{\"city\":\"X\"},\"before\":{\"city\":\"Y\"}}"), "contact.updated");
	assert_string_equal(events("account", "delete", "{}"), "account.deleted");
	assert_string_equal(events("contact", "erase", "{}"), "contact.deleted");
	assert_string_equal(events("contact", "export", "{}"), "");
	/* What the actions name. */
	assert_string_equal(events("opportunity", "stage", "{\"after\":{\"stage_id\":4}}"),
	    "opportunity.updated,opportunity.stage_changed");
	assert_string_equal(events("opportunity", "update", "{\"after\":{\"stage_id\":4,\"owner_id\":2}}"),
	    "opportunity.updated,opportunity.stage_changed,opportunity.assigned");
	assert_string_equal(events("opportunity", "update", "{\"after\":{\"amount\":\"5.00\"}}"), "opportunity.updated");
	assert_string_equal(events("quote", "approve", "{\"after\":{\"status\":\"approved\"}}"), "quote.updated,quote.approved");
	assert_string_equal(events("quote", "reject", "{\"after\":{\"status\":\"rejected\"}}"), "quote.updated,quote.rejected");
	assert_string_equal(events("quote", "send", "{}"), "quote.updated,quote.sent");
	assert_string_equal(events("ticket", "update", "{\"after\":{\"status\":\"resolved\"},\"before\":{\"status\":\"open\"}}"),
	    "ticket.updated,ticket.resolved");
	assert_string_equal(events("ticket", "update", "{\"after\":{\"status\":\"closed\"}}"), "ticket.updated");
	assert_string_equal(events("ticket", "assign", "{\"after\":{\"owner_id\":3}}"), "ticket.updated,ticket.assigned");
	assert_string_equal(events("ticket", "update", "{\"after\":{\"owner_id\":null}}"), "ticket.updated");
	assert_string_equal(events("ticket", "reply", "{\"after\":{\"message_id\":9}}"), "ticket.updated,ticket.replied");
	assert_string_equal(events("ticket", "note", "{\"after\":{\"message_id\":9}}"), "ticket.updated");
	assert_string_equal(events("lead", "convert", "{}"), "lead.updated,lead.converted");
	assert_string_equal(events("activity", "done", "{}"), "activity.updated,activity.completed");
	assert_string_equal(events("invoice", "payment", "{}"), "invoice.updated,invoice.paid");
	/* Not records: no events. */
	assert_string_equal(events("user", "login", "{}"), "");
	assert_string_equal(events("settings", "update", "{}"), "");
	assert_string_equal(events("webhook", "create", "{}"), "");
	assert_string_equal(events(NULL, "create", "{}"), "");
	/* Every type in the list is known, once. */
	{
		size_t i, k;

		for (i = 0; crm_webhook_event_types[i] != NULL; i++) {
			assert_true(crm_webhook_event_known(crm_webhook_event_types[i]));
			for (k = 0; k < i; k++)
				assert_string_not_equal(crm_webhook_event_types[i], crm_webhook_event_types[k]);
		}
		assert_true(i > 30);
		assert_false(crm_webhook_event_known("contact.exploded"));
		assert_false(crm_webhook_event_known(""));
		assert_false(crm_webhook_event_known(NULL));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_secret),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_events),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

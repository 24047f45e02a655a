/* LDAP sign-in: DN and filter escaping, then real binds against the private
 * slapd of scripts/ldap.sh, whose URI make check puts in CRM_TEST_LDAP_URI. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <ldap.h>

#include "crm_ldap.h"

#define PEOPLE "ou=people,dc=example,dc=com"
#define GROUPS "ou=groups,dc=example,dc=com"
#define SALES "cn=sales," GROUPS
#define ADMINS "cn=admins," GROUPS

static void
expect_dn(const char *in, const char *want)
{
	struct crm_buf b;

	crm_buf_init(&b, NULL, 0);
	crm_ldap_escape_dn_value(&b, in);
	if (strcmp(b.data, want) != 0)
		fail_msg("DN value \"%s\": got \"%s\", want \"%s\"", in, b.data, want);
	crm_buf_release(&b);
}

static void
expect_filter(const char *in, const char *want)
{
	struct crm_buf b;

	crm_buf_init(&b, NULL, 0);
	crm_ldap_escape_filter(&b, in);
	if (strcmp(b.data, want) != 0)
		fail_msg("filter value \"%s\": got \"%s\", want \"%s\"", in, b.data, want);
	crm_buf_release(&b);
}

static void
test_dn_escaping(void **state)
{
	(void)state;
	expect_dn("", "");
	expect_dn("alice", "alice");
	/* RFC 4514 section 4 */
	expect_dn("James \"Jim\" Smith, III", "James \\\"Jim\\\" Smith\\, III");
	expect_dn("Before\rAfter", "Before\\0dAfter");
	expect_dn("Lu\xc4\x8di\xc4\x87", "Lu\xc4\x8di\xc4\x87");       /* UTF-8 stays */
	/* every special, and the positions that matter */
	expect_dn(",+\"\\<>;=", "\\,\\+\\\"\\\\\\<\\>\\;\\=");
	expect_dn("#hash", "\\#hash");
	expect_dn("a#b", "a#b");
	expect_dn(" lead", "\\ lead");
	expect_dn("trail ", "trail\\ ");
	expect_dn(" ", "\\ ");
	expect_dn("  ", "\\ \\ ");
	expect_dn("in side", "in side");
	/* injection: another RDN, another entry, a multi-valued RDN */
	expect_dn("admin,ou=x", "admin\\,ou\\=x");
	expect_dn("bob,ou=people,dc=example,dc=com", "bob\\,ou\\=people\\,dc\\=example\\,dc\\=com");
	expect_dn("x+cn=admin", "x\\+cn\\=admin");
	expect_dn("*)(uid=*", "*)(uid\\=*");
}

static void
test_filter_escaping(void **state)
{
	(void)state;
	expect_filter("", "");
	expect_filter("alice", "alice");
	/* RFC 4515 section 4 */
	expect_filter("Parens R Us (for all your parenthetical needs)",
	    "Parens R Us \\28for all your parenthetical needs\\29");
	expect_filter("*", "\\2a");
	expect_filter("C:\\MyFile", "C:\\5cMyFile");
	expect_filter("Lu\xc4\x8di\xc4\x87", "Lu\xc4\x8di\xc4\x87");
	/* injection */
	expect_filter("*)(uid=*", "\\2a\\29\\28uid=\\2a");
	expect_filter("x)(|(objectClass=*)", "x\\29\\28|\\28objectClass=\\2a\\29");
	expect_filter("uid=dave\\,jr," PEOPLE, "uid=dave\\5c,jr," PEOPLE);
	expect_filter(",+\"<>;=#& ", ",+\"<>;=#& ");
}

/* Every escaped DN value must parse back, with libldap's own parser, to
 * one attribute holding exactly the original value. */
static void
roundtrip_dn(const char *value)
{
	struct crm_buf b;
	LDAPDN dn = NULL;
	LDAPAVA *ava;

	crm_buf_init(&b, NULL, 0);
	crm_buf_puts(&b, "uid=");
	crm_ldap_escape_dn_value(&b, value);
	crm_buf_puts(&b, "," PEOPLE);
	if (ldap_str2dn(b.data, &dn, LDAP_DN_FORMAT_LDAPV3 | LDAP_DN_PEDANTIC) != LDAP_SUCCESS)
		fail_msg("\"%s\" does not parse", b.data);
	assert_non_null(dn[0]);
	assert_non_null(dn[0][0]);
	assert_null(dn[0][1]);          /* one AVA: no "+" got through */
	ava = dn[0][0];
	assert_int_equal(ava->la_attr.bv_len, 3);
	assert_memory_equal(ava->la_attr.bv_val, "uid", 3);
	if (ava->la_value.bv_len != strlen(value) ||
	    memcmp(ava->la_value.bv_val, value, strlen(value)) != 0)
		fail_msg("\"%s\" parses to \"%.*s\"", value, (int)ava->la_value.bv_len,
		    ava->la_value.bv_val);
	/* and the rest of the DN is the rest of the template */
	assert_non_null(dn[1]);
	assert_non_null(dn[2]);
	assert_non_null(dn[3]);
	assert_null(dn[4]);
	ldap_dnfree(dn);
	crm_buf_release(&b);
}

static void
test_dn_roundtrip(void **state)
{
	static const char *const nasty[] = {
		"alice", "dave,jr", "#", "# x", " ", "a ", " a", "\\", "\\\\,",
		"=", "a=b", "x+cn=admin", "admin,ou=x", "\"quoted\"", "<script>",
		";", "*)(uid=*", "tab\there", "\x01\x1f\x7f", "\xc3\xa9t\xc3\xa9",
		"#,+\"\\<>;= ",
	};
	char random_value[33];
	size_t i, j;

	(void)state;
	for (i = 0; i < CRM_NELEM(nasty); i++)
		roundtrip_dn(nasty[i]);
	srand(4514);
	for (i = 0; i < 2000; i++) {
		size_t n = (size_t)rand() % (sizeof(random_value) - 1);

		/* printable ASCII: the parser rightly refuses invalid UTF-8 */
		for (j = 0; j < n; j++)
			random_value[j] = (char)(0x20 + rand() % 0x5f);
		random_value[n] = '\0';
		roundtrip_dn(random_value);
	}
}

static int
unhex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Any byte string escapes to a value with no bare * ( ) or \, that an
 * RFC 4515 reader decodes back to the same bytes. */
static void
test_filter_roundtrip(void **state)
{
	char value[33], back[33];
	size_t i, j, k;

	(void)state;
	srand(4515);
	for (i = 0; i < 2000; i++) {
		size_t n = (size_t)rand() % (sizeof(value) - 1);
		struct crm_buf b;

		for (j = 0; j < n; j++)
			value[j] = (char)(1 + rand() % 255);
		value[n] = '\0';
		crm_buf_init(&b, NULL, 0);
		crm_ldap_escape_filter(&b, value);
		for (j = k = 0; j < b.len; k++) {
			assert_true(k < n);
			assert_null(strchr("*()", b.data[j]));
			if (b.data[j] == '\\') {
				assert_true(unhex(b.data[j + 1]) >= 0 && unhex(b.data[j + 2]) >= 0);
				back[k] = (char)(unhex(b.data[j + 1]) << 4 | unhex(b.data[j + 2]));
				j += 3;
			} else {
				back[k] = b.data[j++];
			}
		}
		assert_int_equal(k, n);
		assert_memory_equal(back, value, n);
		crm_buf_release(&b);
	}
}

static struct crm_ldap_config
config(const char *uri)
{
	struct crm_ldap_config c = {
		.uri = uri,
		.user_dn = "uid=%s," PEOPLE,
		.group_base = GROUPS,
		.group_filter = "(&(objectClass=groupOfNames)(member=%s))",
		.role_map = SALES "=sales;" ADMINS "=admin",
		.timeout = 3,
	};

	return c;
}

static void
expect_config_error(struct crm_ldap_config c, const char *needle)
{
	char err[256];

	assert_int_equal(crm_ldap_config_check(&c, err, sizeof(err)), CRM_ECONFIG);
	if (strstr(err, needle) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, needle);
}

static void
test_config_check(void **state)
{
	struct crm_ldap_config c = config("ldap://127.0.0.1:3890");
	struct crm_ldap_user u;
	char err[256];

	(void)state;
	assert_int_equal(crm_ldap_config_check(&c, err, sizeof(err)), CRM_OK);
	c.role_map = " " SALES " = sales ; ; " ADMINS "=admin;";
	assert_int_equal(crm_ldap_config_check(&c, err, sizeof(err)), CRM_OK);
	c = config("");
	assert_int_equal(crm_ldap_config_check(&c, err, sizeof(err)), CRM_OK);
	assert_int_equal(crm_ldap_authenticate(&c, "alice", "alice-password-1", &u, err, sizeof(err)),
	    CRM_ECONFIG);
	crm_ldap_user_free(&u);

	c = config("http://x");
	expect_config_error(c, "[ldap] uri");
	c = config("ldap://x");
	c.user_dn = "uid=alice," PEOPLE;
	expect_config_error(c, "[ldap] user_dn");
	c.user_dn = "uid=%s,cn=%s";
	expect_config_error(c, "[ldap] user_dn");
	c = config("ldap://x");
	c.group_filter = "member=%s";
	expect_config_error(c, "[ldap] group_filter");
	c.group_filter = "(member=uid)";
	expect_config_error(c, "[ldap] group_filter");
	c = config("ldap://x");
	c.timeout = 0;
	expect_config_error(c, "[ldap] timeout");
	c = config("ldap://x");
	c.role_map = "";
	expect_config_error(c, "role_map: no group");
	c.role_map = SALES;
	expect_config_error(c, "role_map: \"cn=sales");
	c.role_map = "sales";
	expect_config_error(c, "role_map: \"sales\"");
	c.role_map = SALES "=";
	expect_config_error(c, "expected group DN=role");
	c.role_map = "=admin";
	expect_config_error(c, "expected group DN=role");
	c.role_map = "cn=a,,dc=x=admin";
	expect_config_error(c, "is not a DN");
}

/* The private slapd, or a failure naming the variable: a suite that passes
 * because it tested nothing is worse than one that fails. */
static const char *
ldap_uri(void)
{
	const char *uri = getenv("CRM_TEST_LDAP_URI");

	if (uri == NULL || uri[0] == '\0')
		fail_msg("set CRM_TEST_LDAP_URI (sh scripts/ldap.sh start DIR 3890, then "
		    "CRM_TEST_LDAP_URI=ldap://127.0.0.1:3890)");
	return uri;
}

static enum crm_err
auth(const struct crm_ldap_config *c, const char *login, const char *password,
    struct crm_ldap_user *u, char *err, size_t errlen)
{
	enum crm_err e = crm_ldap_authenticate(c, login, password, u, err, errlen);

	if (e != CRM_OK)
		print_message("# %s: %s: %s\n", login, crm_err_str(e), err);
	return e;
}

/* The server may spell a DN its own way ("\\2C" for "\\,"). */
static void
expect_same_dn(const char *got, const char *want)
{
	char *g = NULL, *w = NULL;

	assert_int_equal(ldap_dn_normalize(got, LDAP_DN_FORMAT_LDAPV3, &g, LDAP_DN_FORMAT_LDAPV3), LDAP_SUCCESS);
	assert_int_equal(ldap_dn_normalize(want, LDAP_DN_FORMAT_LDAPV3, &w, LDAP_DN_FORMAT_LDAPV3), LDAP_SUCCESS);
	if (strcasecmp(g, w) != 0)
		fail_msg("DN \"%s\", want \"%s\"", got, want);
	ldap_memfree(g);
	ldap_memfree(w);
}

static void
expect_user(const char *login, const char *password, const char *dn, const char *name,
    const char *email, const char *role)
{
	struct crm_ldap_config c = config(ldap_uri());
	struct crm_ldap_user u;
	char err[256];

	assert_int_equal(auth(&c, login, password, &u, err, sizeof(err)), CRM_OK);
	expect_same_dn(u.dn, dn);
	assert_string_equal(u.name, name);
	assert_string_equal(u.email, email);
	assert_string_equal(u.role, role);
	crm_ldap_user_free(&u);
	assert_null(u.dn);
	crm_ldap_user_free(&u);         /* twice is harmless */
}

static void
test_users_get_their_roles(void **state)
{
	(void)state;
	expect_user("alice", "alice-password-1", "uid=alice," PEOPLE, "Alice Archer",
	    "alice@example.com", "sales");
	expect_user("bob", "bob-password-22", "uid=bob," PEOPLE, "Bob Baker",
	    "bob@example.com", "admin");
	/* a login that needs DN escaping, and whose DN needs filter escaping */
	expect_user("dave,jr", "dave-password-4", "uid=dave\\,jr," PEOPLE, "Dave Dunn Jr.",
	    "davejr@example.com", "sales");
	/* the directory's matching rule, not the typed login, names the user */
	expect_user("ALICE", "alice-password-1", "uid=alice," PEOPLE, "Alice Archer",
	    "alice@example.com", "sales");
}

static void
test_role_map_order_wins(void **state)
{
	struct crm_ldap_config c = config(ldap_uri());
	struct crm_ldap_user u;
	char err[256];

	(void)state;
	/* erin is in both groups: the map's order decides, not the server's */
	assert_int_equal(auth(&c, "erin", "erin-password-5", &u, err, sizeof(err)), CRM_OK);
	assert_string_equal(u.role, "sales");
	crm_ldap_user_free(&u);
	c.role_map = ADMINS "=admin;" SALES "=sales";
	assert_int_equal(auth(&c, "erin", "erin-password-5", &u, err, sizeof(err)), CRM_OK);
	assert_string_equal(u.role, "admin");
	crm_ldap_user_free(&u);
	/* group DNs compare as DNs: case and spacing do not matter */
	c.role_map = "CN=Admins, OU=Groups, DC=Example, DC=Com = admin";
	assert_int_equal(auth(&c, "bob", "bob-password-22", &u, err, sizeof(err)), CRM_OK);
	assert_string_equal(u.role, "admin");
	crm_ldap_user_free(&u);
}

static void
test_no_mapped_group(void **state)
{
	struct crm_ldap_config c = config(ldap_uri());
	struct crm_ldap_user u;
	char err[256];

	(void)state;
	assert_int_equal(crm_ldap_authenticate(&c, "carol", "carol-password-3", &u, err, sizeof(err)),
	    CRM_ENOTFOUND);
	expect_same_dn(u.dn, "uid=carol," PEOPLE);
	assert_string_equal(u.name, "Carol Cooper");
	assert_null(u.role);
	assert_non_null(strstr(err, "role_map"));
	crm_ldap_user_free(&u);
	/* a group the map names, but the user is not in it */
	c.role_map = ADMINS "=admin";
	assert_int_equal(crm_ldap_authenticate(&c, "alice", "alice-password-1", &u, err, sizeof(err)),
	    CRM_ENOTFOUND);
	crm_ldap_user_free(&u);
}

static void
expect_refused(const struct crm_ldap_config *c, const char *login, const char *password)
{
	struct crm_ldap_user u;
	char err[256];

	if (crm_ldap_authenticate(c, login, password, &u, err, sizeof(err)) != CRM_EINVAL)
		fail_msg("login \"%s\" with \"%s\" was not refused: %s (%s)", login, password,
		    u.role ? u.role : "no role", err);
	assert_string_equal(err, "wrong login name or password");
	assert_null(u.dn);
	assert_null(u.role);
	crm_ldap_user_free(&u);
}

static void
test_wrong_credentials(void **state)
{
	struct crm_ldap_config c = config(ldap_uri());

	(void)state;
	expect_refused(&c, "alice", "alice-password-2");
	expect_refused(&c, "alice", "bob-password-22");
	expect_refused(&c, "alice", "ALICE-PASSWORD-1");
	expect_refused(&c, "nobody", "alice-password-1");
	expect_refused(&c, "", "alice-password-1");
	/* the server takes a DN with no password as an anonymous bind */
	expect_refused(&c, "alice", "");
	expect_refused(&c, "bob", "");
}

static void
test_empty_password_sends_nothing(void **state)
{
	/* Nothing listens on port 1: any traffic would be CRM_EIO. */
	struct crm_ldap_config c = config("ldap://127.0.0.1:1");

	(void)state;
	expect_refused(&c, "alice", "");
	expect_refused(&c, "", "x");
}

static void
test_injection_in_login(void **state)
{
	struct crm_ldap_config c = config(ldap_uri());
	static const char *const logins[] = {
		"*", "*)(uid=*", "alice)(|(uid=*", "bob,ou=people,dc=example,dc=com",
		"x,uid=bob,ou=people,dc=example,dc=com", "bob+cn=Bob Baker", "x+uid=bob",
		"bob\\", "bob\\,", "#626f62", "=bob", "bob;", "bob, ou=people",
		"uid=bob,ou=people,dc=example,dc=com",
	};
	size_t i;

	(void)state;
	/* bob's password with a login that would reach bob's entry unescaped */
	for (i = 0; i < CRM_NELEM(logins); i++)
		expect_refused(&c, logins[i], "bob-password-22");
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
expect_eio_within(const char *uri, long timeout)
{
	struct crm_ldap_config c = config(uri);
	struct crm_ldap_user u;
	char err[256];
	double t0 = now(), took;

	c.timeout = timeout;
	assert_int_equal(crm_ldap_authenticate(&c, "alice", "alice-password-1", &u, err, sizeof(err)),
	    CRM_EIO);
	took = now() - t0;
	print_message("# %s: %s (%.2fs)\n", uri, err, took);
	if (took > (double)timeout + 1.5)
		fail_msg("%s took %.2fs with a %lds timeout", uri, took, timeout);
	assert_non_null(strstr(err, "ldap"));
	assert_null(u.dn);
	crm_ldap_user_free(&u);
}

static void
test_unreachable(void **state)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	char uri[64];
	int fd;

	(void)state;
	/* Without a working timeout the bind below never returns: end the
	 * run (SIGALRM) rather than hang make check. */
	alarm(20);
	expect_eio_within("ldap://127.0.0.1:1", 2);
	/* A server that accepts and then says nothing: the connect succeeds
	 * into the backlog, and only the operation timeout ends the bind. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", ntohs(sa.sin_port));
	expect_eio_within(uri, 1);
	close(fd);
	alarm(0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dn_escaping),
		cmocka_unit_test(test_filter_escaping),
		cmocka_unit_test(test_dn_roundtrip),
		cmocka_unit_test(test_filter_roundtrip),
		cmocka_unit_test(test_config_check),
		cmocka_unit_test(test_users_get_their_roles),
		cmocka_unit_test(test_role_map_order_wins),
		cmocka_unit_test(test_no_mapped_group),
		cmocka_unit_test(test_wrong_credentials),
		cmocka_unit_test(test_empty_password_sends_nothing),
		cmocka_unit_test(test_injection_in_login),
		cmocka_unit_test(test_unreachable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

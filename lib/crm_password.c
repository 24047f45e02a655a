/* Password hashing and policy. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "crm_i18n.h"
#include "crm_password.h"

/* The most common passwords of ten or more characters (shorter ones fail
 * the length rule anyway), from published breach frequency lists. */
static const char *const common[] = {
	"1234567890", "0123456789", "12345678910", "123456789a", "1234567890a",
	"qwertyuiop", "1q2w3e4r5t", "1qaz2wsx3edc", "qwerty1234", "qwerty12345",
	"password12", "password123", "password1234", "passw0rd12", "p@ssw0rd123",
	"iloveyou12", "iloveyou123", "princess12", "sunshine12", "football12",
	"baseball12", "superman12", "welcome123", "welcome1234", "letmein123",
	"administrator", "admin12345", "admin123456", "changeme123", "changeme12",
	"abcdefghij", "abc1234567", "abcd123456", "aaaaaaaaaa", "1111111111",
	"0000000000", "9876543210", "987654321a", "asdfghjkl1", "asdfghjkl;",
	"zxcvbnm123", "qazwsxedc1", "trustno1234", "monkey1234", "dragon1234",
	"michael123", "jennifer12", "whatever12", "computer12", "internet12",
	"starwars12", "pokemon123", "liverpool1", "chelsea123", "arsenal123",
	"mustang123", "shadow1234", "master1234", "killer1234", "charlie123",
	"qwertyuiop123", "1qazxsw23edc", "zaq12wsxcde3", "passwordpassword",
	"woaini1314", "woaini520", "5201314520", "1314520521", "aa123456789",
	"a123456789", "qq123456789", "abc123456789", "123qweasdzxc", "1q2w3e4r5t6y",
	"summer2024", "winter2024", "spring2025", "autumn2025", "summer2025",
	"company123", "crmpassword", "password2024", "password2025", "password2026",
};

static int
all_same(const char *p)
{
	size_t i;

	for (i = 1; p[i]; i++)
		if (p[i] != p[0])
			return 0;
	return 1;
}

const char *
crm_password_problem(const char *pw, const char *email, const char *name)
{
	size_t i, n = strlen(pw);
	char local[256];

	if (n < CRM_PASSWORD_MIN)
		return N_("Use at least 10 characters.");
	if (n > CRM_PASSWORD_MAX)
		return N_("Use at most 200 characters.");
	if (all_same(pw))
		return N_("This password is too easy to guess.");
	for (i = 0; i < CRM_NELEM(common); i++)
		if (strcasecmp(pw, common[i]) == 0)
			return N_("This password is one of the most common ones; choose another.");
	if (email != NULL) {
		size_t at = strcspn(email, "@");

		snprintf(local, sizeof(local), "%.*s", (int)at, email);
		if (strcasecmp(pw, email) == 0 || (at >= 4 && strcasestr(pw, local) != NULL))
			return N_("The password may not contain your e-mail address.");
	}
	if (name != NULL && strlen(name) >= 4 && strcasecmp(pw, name) == 0)
		return N_("The password may not be your name.");
	return NULL;
}

enum crm_err
crm_password_hash(const char *pw, char out[128])
{
	_Static_assert(crypto_pwhash_STRBYTES <= 128, "hash buffer");
	if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return CRM_EIO;
	return CRM_OK;
}

int
crm_password_verify(const char *hash, const char *pw)
{
	static char dummy[crypto_pwhash_STRBYTES];

	if (hash == NULL || strncmp(hash, "$argon2", 7) != 0) {
		/* Same work as a real check; the result is thrown away. */
		if (dummy[0] == '\0' && crm_password_hash("not a real password", dummy) != CRM_OK)
			return 0;
		if (crypto_pwhash_str_verify(dummy, pw, strlen(pw)) == 0)
			return 0;
		return 0;
	}
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void
crm_password_generate(char out[21])
{
	static const char alphabet[] =
	    "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	size_t i;

	for (i = 0; i < 20; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[20] = '\0';
}

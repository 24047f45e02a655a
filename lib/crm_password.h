/* Staff passwords: argon2id hashes (libsodium), and the rules a new
 * password must pass. */
#ifndef CRM_PASSWORD_H
#define CRM_PASSWORD_H

#include "crm.h"

#define CRM_PASSWORD_MIN 10
#define CRM_PASSWORD_MAX 200

/* NULL when acceptable, else why not (English, for translation). */
const char *crm_password_problem(const char *password, const char *email, const char *name);
/* out must hold crypto_pwhash_STRBYTES (128) bytes. */
enum crm_err crm_password_hash(const char *password, char out[128]);
/* Constant-time verify. With hash NULL it still spends the same time, so
 * an unknown account cannot be told from a wrong password. */
int crm_password_verify(const char *hash, const char *password);
/* A random 20-character password without look-alikes (0/O, 1/l/I), for an
 * admin to read off the screen once and hand over. */
void crm_password_generate(char out[21]);

#endif

/*
 * password.h — password hashing for reviewer and admin accounts.
 *
 * scrypt from OpenSSL at OWASP's parameters (N = 2^17, r = 8, p = 1), stored
 * as a self-describing string so that parameters can be raised later and old
 * hashes still verify:  $scrypt$ln=17,r=8,p=1$<salt b64>$<hash b64>
 */
#ifndef CB_PASSWORD_H
#define CB_PASSWORD_H

#include <stdbool.h>

#include "util/err.h"

#define PASSWORD_MIN_LEN 10
#define PASSWORD_MAX_LEN 1024

/* *out is malloc'd; caller frees.  ln is log2(N); 0 means the default. */
cb_err password_hash(const char *password, unsigned ln, char **out);
/* *ok is true only for a match; CB_EINVAL for an unparseable stored hash. */
cb_err password_verify(const char *password, const char *stored, bool *ok);

#endif

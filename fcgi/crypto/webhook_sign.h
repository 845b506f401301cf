/*
 * webhook_sign.h — Standard Webhooks signatures (API-CONVENTIONS
 * "Webhooks"): secrets are "whsec_" + base64 of random bytes, and a
 * signature is "v1," + base64(HMAC-SHA256(secret bytes,
 * id + "." + timestamp + "." + body)).  The known-answer vector of the
 * conventions is a unit test.
 */
#ifndef CB_WEBHOOK_SIGN_H
#define CB_WEBHOOK_SIGN_H

#include <stddef.h>

#include "util/err.h"

#define WEBHOOK_SECRET_PREFIX "whsec_"
#define WEBHOOK_SECRET_BYTES 32
#define WEBHOOK_SIG_MAX 64   /* "v1," + 44 characters, and the NUL */

/* A new secret; *out malloc'd (caller frees). */
cb_err webhook_secret_new(char **out);

/* out receives "v1,<base64>"; CB_EINVAL for a secret that is not
 * whsec_ + base64 of 24..64 bytes. */
cb_err webhook_sign(const char *secret, const char *msg_id, long timestamp,
    const char *body, size_t len, char out[WEBHOOK_SIG_MAX]);

#endif

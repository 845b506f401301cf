/*
 * crypto.h — the few primitives comprobar needs, over OpenSSL's libcrypto:
 * random bytes, SHA-256, constant-time comparison and secret tokens.
 */
#ifndef CB_CRYPTO_H
#define CB_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

#define SHA256_HEX_LEN 64

/* CSPRNG; CB_EIO if the generator fails (never silently weak). */
cb_err crypto_random(unsigned char *out, size_t n);
/* hex must hold SHA256_HEX_LEN+1 bytes. */
cb_err crypto_sha256_hex(const void *data, size_t n, char *hex);
/* SHA-256 of head[0..len) followed by everything in fd from offset 0 (fd
 * -1: head only). */
cb_err crypto_sha256_stream_hex(const void *head, size_t len, int fd,
    char *hex);
/* Constant time for equal lengths; false when lengths differ. */
bool crypto_equal(const void *a, size_t alen, const void *b, size_t blen);

/* A secret token: prefix + base64url of nbytes random bytes.  *out is
 * malloc'd (caller frees). */
cb_err crypto_token_new(const char *prefix, size_t nbytes, char **out);

/* HMAC-SHA256 of the concatenated parts (webhook signatures, JWTs). */
struct crypto_part {
	const void *data;
	size_t len;
};
cb_err crypto_hmac_sha256(const void *key, size_t klen,
    const struct crypto_part *parts, size_t n, unsigned char out[32]);

/* A random (version 4) UUID, lower-case, 36 characters and the NUL. */
cb_err crypto_uuid_v4(char out[37]);

#endif

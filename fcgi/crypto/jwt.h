/*
 * jwt.h — JSON Web Tokens as RFC 8725 asks (seed 001's Bearer tokens):
 * one algorithm per configured key (an HS256 secret verifies only HS256
 * tokens, an RS256 public key only RS256), `alg: none` and every other
 * algorithm refused, `kid` only a lookup key, MACs compared in constant
 * time, `exp` required and `nbf`, `iss`, `aud` checked with a small
 * leeway.  Pure but for OpenSSL: token and time in, claims or why out.
 */
#ifndef CB_JWT_H
#define CB_JWT_H

#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "util/err.h"

#define JWT_MAX_BYTES 8192

struct jwt_keys {
	const unsigned char *hs256;   /* the secret's bytes, or NULL */
	size_t hs256_len;
	const char *hs256_kid;        /* "" or NULL: any kid (or none) */
	const char *rs256_pem;        /* a PEM public key, or NULL */
	const char *rs256_kid;
};

struct jwt_rules {
	const char *issuer;           /* "" or NULL: not checked */
	const char *audience;         /* "" or NULL: not checked */
	long leeway;                  /* seconds, ≤ 60 */
	time_t now;
};

/* On success *claims is the payload object (caller puts).  CB_EINVAL with
 * a reason for the log in why (never sent to the client as is). */
cb_err jwt_verify(const char *token, const struct jwt_keys *k,
    const struct jwt_rules *r, json_object **claims, char *why, size_t whylen);

/* An HS256 token of claims (borrowed) for the operator's tools
 * (comprobarctl jwt sign); *out malloc'd. */
cb_err jwt_sign_hs256(const unsigned char *key, size_t klen, const char *kid,
    json_object *claims, char **out);

#endif

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

struct evp_pkey_st;

struct jwt_keys {
	const unsigned char *hs256;   /* the secret's bytes, or NULL */
	size_t hs256_len;
	const char *hs256_kid;        /* "" or NULL: any kid (or none) */
	struct evp_pkey_st *rs256;    /* an RSA public key, or NULL */
	const char *rs256_kid;
};

/* The keys of a process, made once at start from the configuration's
 * text: hs256_b64 (base64url of at least 32 bytes, or "") and a PEM file
 * (or ""); the kids are copied.  A key that cannot be used is left out
 * and said in why (CB_EINVAL), the other one still loaded: the caller
 * logs it.  *out is owned (jwt_keys_free). */
cb_err jwt_keys_load(const char *hs256_b64, const char *hs256_kid,
    const char *rs256_pem_file, const char *rs256_kid, struct jwt_keys **out,
    char *why, size_t whylen);
void jwt_keys_free(struct jwt_keys *k);

struct jwt_rules {
	const char *issuer;           /* "" or NULL: not checked */
	const char *audience;         /* "" or NULL: not checked */
	long leeway;                  /* seconds, ≤ 60 */
	long max_lifetime;            /* exp at most now + this; 0: no limit */
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

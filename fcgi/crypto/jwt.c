/* jwt.c — see jwt.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "crypto/crypto.h"
#include "crypto/jwt.h"
#include "http/json_body.h"
#include "util/codec.h"
#include "util/jsonx.h"

#define FAIL(...) \
	do { \
		snprintf(why, whylen, __VA_ARGS__); \
		goto done; \
	} while (0)

/* A base64url part decoded and parsed as a JSON object. */
static json_object *
json_part(const char *b64, size_t n, char *why, size_t whylen, const char *what)
{
	unsigned char buf[JWT_MAX_BYTES];
	size_t len;
	json_object *o = NULL;
	char err[160];
	if (base64url_decode(b64, n, buf, sizeof buf, &len) != CB_OK) {
		snprintf(why, whylen, "the %s is not base64url", what);
		return NULL;
	}
	if (json_body_parse((const char *)buf, len, &o, err, sizeof err) != CB_OK ||
	    !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		snprintf(why, whylen, "the %s is not a JSON object", what);
		return NULL;
	}
	return o;
}

static const char *
str_member(json_object *o, const char *k)
{
	json_object *v;
	return json_object_object_get_ex(o, k, &v) &&
	    json_object_is_type(v, json_type_string) ? json_object_get_string(v) :
	    NULL;
}

static bool
hs256_ok(const struct jwt_keys *k, const char *signed_part, size_t n,
    const unsigned char *sig, size_t siglen)
{
	unsigned char mac[32];
	struct crypto_part part = {signed_part, n};
	return crypto_hmac_sha256(k->hs256, k->hs256_len, &part, 1, mac) ==
	    CB_OK && siglen == 32 && CRYPTO_memcmp(mac, sig, 32) == 0;
}

static bool
rs256_ok(const struct jwt_keys *k, const char *signed_part, size_t n,
    const unsigned char *sig, size_t siglen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	/* EVP_PKEYs are safe to share between threads for verifying. */
	bool ok = ctx && EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL,
	    k->rs256) == 1 && EVP_DigestVerify(ctx, sig, siglen,
	    (const unsigned char *)signed_part, n) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

/* What jwt_keys_load allocates around the struct. */
struct jwt_keyring {
	struct jwt_keys k;
	unsigned char secret[512];
	char hs_kid[65], rs_kid[65];
};

cb_err
jwt_keys_load(const char *hs256_b64, const char *hs256_kid,
    const char *rs256_pem_file, const char *rs256_kid, struct jwt_keys **out,
    char *why, size_t whylen)
{
	struct jwt_keyring *r = calloc(1, sizeof *r);
	size_t n = 0;
	cb_err e = CB_OK;
	why[0] = '\0';
	if (!r)
		return CB_ENOMEM;
	snprintf(r->hs_kid, sizeof r->hs_kid, "%s", hs256_kid ? hs256_kid : "");
	snprintf(r->rs_kid, sizeof r->rs_kid, "%s", rs256_kid ? rs256_kid : "");
	r->k.hs256_kid = r->hs_kid;
	r->k.rs256_kid = r->rs_kid;
	if (hs256_b64 && *hs256_b64) {
		if (base64url_decode(hs256_b64, strlen(hs256_b64), r->secret,
		    sizeof r->secret, &n) != CB_OK || n < 32) {
			snprintf(why, whylen, "[jwt] hs256_secret must be base64url of at"
			    " least 32 bytes: HS256 tokens are refused");
			e = CB_EINVAL;
		} else {
			r->k.hs256 = r->secret;
			r->k.hs256_len = n;
		}
	}
	if (rs256_pem_file && *rs256_pem_file) {
		FILE *f = fopen(rs256_pem_file, "re");
		EVP_PKEY *key = f ? PEM_read_PUBKEY(f, NULL, NULL, NULL) : NULL;
		if (f)
			fclose(f);
		/* An RSA key only: RS256 names the key type too. */
		if (!key || !EVP_PKEY_is_a(key, "RSA")) {
			EVP_PKEY_free(key);
			snprintf(why, whylen, "[jwt] rs256_public_key_file %.100s is not a"
			    " readable RSA public key (PEM): RS256 tokens are refused",
			    rs256_pem_file);
			e = CB_EINVAL;
		} else
			r->k.rs256 = key;
	}
	*out = &r->k;
	return e;
}

void
jwt_keys_free(struct jwt_keys *k)
{
	if (!k)
		return;
	struct jwt_keyring *r = (struct jwt_keyring *)k; /* k is its first member */
	EVP_PKEY_free(r->k.rs256);
	OPENSSL_cleanse(r->secret, sizeof r->secret);
	free(r);
}

/* A NumericDate claim; false when absent or not a number. */
static bool
numeric(json_object *o, const char *k, double *out)
{
	json_object *v;
	if (!json_object_object_get_ex(o, k, &v) ||
	    !(json_object_is_type(v, json_type_int) ||
	        json_object_is_type(v, json_type_double)))
		return false;
	*out = json_object_get_double(v);
	return true;
}

static bool
audience_ok(json_object *claims, const char *want)
{
	json_object *v;
	if (!json_object_object_get_ex(claims, "aud", &v))
		return false;
	if (json_object_is_type(v, json_type_string))
		return strcmp(json_object_get_string(v), want) == 0;
	if (!json_object_is_type(v, json_type_array))
		return false;
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *a = json_object_array_get_idx(v, i);
		if (json_object_is_type(a, json_type_string) &&
		    strcmp(json_object_get_string(a), want) == 0)
			return true;
	}
	return false;
}

cb_err
jwt_verify(const char *token, const struct jwt_keys *k,
    const struct jwt_rules *r, json_object **claims, char *why, size_t whylen)
{
	json_object *header = NULL, *payload = NULL;
	unsigned char sig[1024];
	size_t siglen, n = token ? strlen(token) : 0;
	cb_err e = CB_EINVAL;
	*claims = NULL;
	if (!n || n > JWT_MAX_BYTES)
		FAIL("no token, or a token over %d bytes", JWT_MAX_BYTES);
	const char *d1 = strchr(token, '.');
	const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	if (!d1 || !d2 || strchr(d2 + 1, '.') || d1 == token || d2 == d1 + 1 ||
	    !d2[1])
		FAIL("not a signed JWT (three non-empty parts)");
	if (!(header = json_part(token, (size_t)(d1 - token), why, whylen,
	    "header")))
		goto done;
	const char *alg = str_member(header, "alg");
	const char *kid = str_member(header, "kid");
	json_object *crit;
	if (json_object_object_get_ex(header, "crit", &crit))
		FAIL("critical header parameters are not understood");
	if (!alg)
		FAIL("the header names no algorithm");
	if (base64url_decode(d2 + 1, strlen(d2 + 1), sig, sizeof sig, &siglen) !=
	    CB_OK)
		FAIL("the signature is not base64url");
	size_t signed_len = (size_t)(d2 - token);
	if (strcmp(alg, "HS256") == 0) {
		if (!k->hs256 || !k->hs256_len)
			FAIL("no HS256 key is configured");
		if (kid && k->hs256_kid && *k->hs256_kid && strcmp(kid, k->hs256_kid))
			FAIL("unknown key id");
		if (!hs256_ok(k, token, signed_len, sig, siglen))
			FAIL("bad signature");
	} else if (strcmp(alg, "RS256") == 0) {
		if (!k->rs256)
			FAIL("no RS256 key is configured");
		if (kid && k->rs256_kid && *k->rs256_kid && strcmp(kid, k->rs256_kid))
			FAIL("unknown key id");
		if (!rs256_ok(k, token, signed_len, sig, siglen))
			FAIL("bad signature");
	} else
		FAIL("the algorithm %.20s is not accepted", alg);
	if (!(payload = json_part(d1 + 1, (size_t)(d2 - d1 - 1), why, whylen,
	    "payload")))
		goto done;
	double exp, nbf;
	if (!numeric(payload, "exp", &exp))
		FAIL("the token has no expiry (exp)");
	/* NaN compares false with everything and 1e308 never comes: a token
	 * must name a real moment, and not too far away. */
	if (!isfinite(exp) || exp < 0)
		FAIL("the token's expiry (exp) is not a date");
	if (r->max_lifetime > 0 && exp > (double)r->now + (double)r->max_lifetime +
	    (double)r->leeway)
		FAIL("the token's expiry (exp) is further away than allowed");
	if ((double)r->now > exp + (double)r->leeway)
		FAIL("the token has expired");
	if (numeric(payload, "nbf", &nbf) && (!isfinite(nbf) ||
	    (double)r->now + (double)r->leeway < nbf))
		FAIL("the token is not valid yet (nbf)");
	if (r->issuer && *r->issuer) {
		const char *iss = str_member(payload, "iss");
		if (!iss || strcmp(iss, r->issuer))
			FAIL("wrong issuer");
	}
	if (r->audience && *r->audience && !audience_ok(payload, r->audience))
		FAIL("wrong audience");
	*claims = payload;
	payload = NULL;
	e = CB_OK;
done:
	json_object_put(header);
	json_object_put(payload);
	return e;
}

cb_err
jwt_sign_hs256(const unsigned char *key, size_t klen, const char *kid,
    json_object *claims, char **out)
{
	json_object *h = jx_object();
	jx_add(h, "alg", jx_string("HS256"));
	jx_add(h, "typ", jx_string("JWT"));
	if (kid && *kid)
		jx_add(h, "kid", jx_string(kid));
	const char *hj = json_object_to_json_string_ext(h, JSON_C_TO_STRING_PLAIN);
	const char *cj = json_object_to_json_string_ext(claims,
	    JSON_C_TO_STRING_PLAIN);
	size_t hl = strlen(hj), cl = strlen(cj);
	size_t n = base64_encoded_len(hl) + base64_encoded_len(cl) +
	    base64_encoded_len(32) + 3;
	char *t = malloc(n);
	unsigned char mac[32];
	cb_err e = CB_ENOMEM;
	if (!t)
		goto done;
	base64_encode((const unsigned char *)hj, hl, t, true);
	size_t o = strlen(t);
	t[o++] = '.';
	base64_encode((const unsigned char *)cj, cl, t + o, true);
	o += strlen(t + o);
	struct crypto_part part = {t, o};
	if (crypto_hmac_sha256(key, klen, &part, 1, mac) != CB_OK) {
		free(t);
		e = CB_EIO;
		goto done;
	}
	t[o++] = '.';
	base64_encode(mac, 32, t + o, true);
	*out = t;
	e = CB_OK;
done:
	json_object_put(h);
	return e;
}

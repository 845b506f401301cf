/* webhook_sign.c — see webhook_sign.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/core_names.h>

#include "crypto/crypto.h"
#include "crypto/webhook_sign.h"
#include "util/codec.h"

cb_err
webhook_secret_new(char **out)
{
	unsigned char raw[WEBHOOK_SECRET_BYTES];
	char b64[64];
	cb_err e = crypto_random(raw, sizeof raw);
	if (e != CB_OK)
		return e;
	base64_encode(raw, sizeof raw, b64, false);
	size_t n = strlen(WEBHOOK_SECRET_PREFIX) + strlen(b64) + 1;
	if (!(*out = malloc(n)))
		return CB_ENOMEM;
	snprintf(*out, n, "%s%s", WEBHOOK_SECRET_PREFIX, b64);
	return CB_OK;
}

/* The key bytes of a whsec_ secret; 0 if it is not one. */
static size_t
secret_key(const char *secret, unsigned char *key, size_t max)
{
	size_t plen = strlen(WEBHOOK_SECRET_PREFIX);
	if (strncmp(secret, WEBHOOK_SECRET_PREFIX, plen) != 0)
		return 0;
	const char *b = secret + plen;
	size_t n = strlen(b);
	if (n == 0 || n % 4 != 0 || n / 4 * 3 > max)
		return 0;
	int got = EVP_DecodeBlock(key, (const unsigned char *)b, (int)n);
	if (got < 0)
		return 0;
	/* EVP_DecodeBlock counts the padding as zero bytes. */
	size_t len = (size_t)got;
	if (b[n - 1] == '=')
		len--;
	if (b[n - 2] == '=')
		len--;
	return len >= 24 && len <= 64 ? len : 0;
}

cb_err
webhook_sign(const char *secret, const char *msg_id, long timestamp,
    const char *body, size_t len, char out[WEBHOOK_SIG_MAX])
{
	unsigned char key[96], mac[EVP_MAX_MD_SIZE];
	unsigned maclen = 0;
	char ts[24];
	size_t klen = secret_key(secret, key, sizeof key);
	if (!klen)
		return CB_EINVAL;
	snprintf(ts, sizeof ts, "%ld", timestamp);
	EVP_MAC *m = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = m ? EVP_MAC_CTX_new(m) : NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0),
		OSSL_PARAM_construct_end(),
	};
	size_t outl = 0;
	cb_err e = CB_EIO;
	if (ctx && EVP_MAC_init(ctx, key, klen, params) == 1 &&
	    EVP_MAC_update(ctx, (const unsigned char *)msg_id, strlen(msg_id)) == 1 &&
	    EVP_MAC_update(ctx, (const unsigned char *)".", 1) == 1 &&
	    EVP_MAC_update(ctx, (const unsigned char *)ts, strlen(ts)) == 1 &&
	    EVP_MAC_update(ctx, (const unsigned char *)".", 1) == 1 &&
	    EVP_MAC_update(ctx, (const unsigned char *)body, len) == 1 &&
	    EVP_MAC_final(ctx, mac, &outl, sizeof mac) == 1 && outl == 32) {
		maclen = (unsigned)outl;
		memcpy(out, "v1,", 3);
		base64_encode(mac, maclen, out + 3, false);
		e = CB_OK;
	}
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(m);
	OPENSSL_cleanse(key, sizeof key);
	return e;
}

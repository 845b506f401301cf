/* webhook_sign.c — see webhook_sign.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

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
	unsigned char key[96], mac[32];
	char ts[24];
	size_t klen = secret_key(secret, key, sizeof key);
	if (!klen)
		return CB_EINVAL;
	snprintf(ts, sizeof ts, "%ld", timestamp);
	struct crypto_part parts[] = {{msg_id, strlen(msg_id)}, {".", 1},
	    {ts, strlen(ts)}, {".", 1}, {body, len}};
	cb_err e = crypto_hmac_sha256(key, klen, parts, 5, mac);
	OPENSSL_cleanse(key, sizeof key);
	if (e != CB_OK)
		return e;
	memcpy(out, "v1,", 3);
	base64_encode(mac, sizeof mac, out + 3, false);
	return CB_OK;
}

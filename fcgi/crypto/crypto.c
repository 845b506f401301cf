/* crypto.c — see crypto.h. */
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "crypto/crypto.h"
#include "util/codec.h"

cb_err
crypto_random(unsigned char *out, size_t n)
{
	if (n > 0x7fffffff || RAND_bytes(out, (int)n) != 1)
		return CB_EIO;
	return CB_OK;
}

cb_err
crypto_sha256_hex(const void *data, size_t n, char *hex)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	if (EVP_Digest(data, n, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != 32)
		return CB_EIO;
	hex_encode(md, 32, hex);
	return CB_OK;
}

cb_err
crypto_sha256_stream_hex(const void *head, size_t len, int fd, char *hex)
{
	unsigned char md[32], buf[65536];
	unsigned int mdlen = 0;
	cb_err e = CB_EIO;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx)
		return CB_ENOMEM;
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    (len && EVP_DigestUpdate(ctx, head, len) != 1))
		goto out;
	for (off_t off = 0; fd >= 0;) {
		ssize_t r = pread(fd, buf, sizeof buf, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto out;
		if (r == 0)
			break;
		if (EVP_DigestUpdate(ctx, buf, (size_t)r) != 1)
			goto out;
		off += r;
	}
	if (EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 32) {
		hex_encode(md, 32, hex);
		e = CB_OK;
	}
out:
	EVP_MD_CTX_free(ctx);
	return e;
}

bool
crypto_equal(const void *a, size_t alen, const void *b, size_t blen)
{
	if (alen != blen)
		return false;
	return CRYPTO_memcmp(a, b, alen) == 0;
}

cb_err
crypto_token_new(const char *prefix, size_t nbytes, char **out)
{
	unsigned char raw[64];
	size_t plen = strlen(prefix);
	cb_err e;

	*out = NULL;
	if (nbytes > sizeof raw)
		return CB_EINVAL;
	if ((e = crypto_random(raw, nbytes)) != CB_OK)
		return e;
	char *s = malloc(plen + base64_encoded_len(nbytes) + 1);
	if (!s)
		return CB_ENOMEM;
	memcpy(s, prefix, plen);
	base64_encode(raw, nbytes, s + plen, true);
	OPENSSL_cleanse(raw, sizeof raw);
	*out = s;
	return CB_OK;
}

cb_err
crypto_uuid_v4(char out[37])
{
	unsigned char b[16];
	static const char hex[] = "0123456789abcdef";
	cb_err e = crypto_random(b, sizeof b);
	if (e != CB_OK)
		return e;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
	return CB_OK;
}

cb_err
crypto_hmac_sha256(const void *key, size_t klen, const struct crypto_part *p,
    size_t n, unsigned char out[32])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	size_t maclen = 0;
	EVP_MAC *m = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = m ? EVP_MAC_CTX_new(m) : NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0),
		OSSL_PARAM_construct_end(),
	};
	bool ok = ctx && EVP_MAC_init(ctx, key, klen, params) == 1;
	for (size_t i = 0; ok && i < n; i++)
		ok = EVP_MAC_update(ctx, p[i].data, p[i].len) == 1;
	ok = ok && EVP_MAC_final(ctx, mac, &maclen, sizeof mac) == 1 &&
	    maclen == 32;
	if (ok)
		memcpy(out, mac, 32);
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(m);
	OPENSSL_cleanse(mac, sizeof mac);
	return ok ? CB_OK : CB_EIO;
}

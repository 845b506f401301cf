/* password.c — see password.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "crypto/crypto.h"
#include "crypto/password.h"
#include "util/codec.h"

#define DEFAULT_LN 17
#define SALT_LEN 16
#define HASH_LEN 32

static cb_err
derive(const char *pw, const unsigned char *salt, size_t saltlen,
    unsigned ln, unsigned r, unsigned p, unsigned char *out)
{
	uint64_t n = (uint64_t)1 << ln;
	/* scrypt needs 128*N*r bytes, plus slack. */
	uint64_t maxmem = 128 * n * r + (1u << 20);
	if (EVP_PBE_scrypt(pw, strlen(pw), salt, saltlen, n, r, p, maxmem, out,
	        HASH_LEN) != 1)
		return CB_EIO;
	return CB_OK;
}

cb_err
password_hash(const char *pw, unsigned ln, char **out)
{
	unsigned char salt[SALT_LEN], hash[HASH_LEN];
	char s64[32], h64[64];
	cb_err e;

	*out = NULL;
	if (ln == 0)
		ln = DEFAULT_LN;
	if (ln < 4 || ln > 22)
		return CB_EINVAL;
	if ((e = crypto_random(salt, sizeof salt)) != CB_OK)
		return e;
	if ((e = derive(pw, salt, sizeof salt, ln, 8, 1, hash)) != CB_OK)
		return e;
	base64_encode(salt, sizeof salt, s64, true);
	base64_encode(hash, sizeof hash, h64, true);
	OPENSSL_cleanse(hash, sizeof hash);
	size_t len = strlen(s64) + strlen(h64) + 48;
	char *s = malloc(len);
	if (!s)
		return CB_ENOMEM;
	snprintf(s, len, "$scrypt$ln=%u,r=8,p=1$%s$%s", ln, s64, h64);
	*out = s;
	return CB_OK;
}

static int
b64url_val(char c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '-') return 62;
	if (c == '_') return 63;
	return -1;
}

/* Decodes unpadded base64url; returns length or -1. */
static int
b64url_decode(const char *s, size_t n, unsigned char *out, size_t max)
{
	size_t o = 0;
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		int v = b64url_val(s[i]);
		if (v < 0)
			return -1;
		acc = acc << 6 | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= max)
				return -1;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	return (int)o;
}

cb_err
password_verify(const char *pw, const char *stored, bool *ok)
{
	unsigned ln, r, p;
	unsigned char salt[64], want[HASH_LEN], got[HASH_LEN];
	int consumed = 0;
	cb_err e;

	*ok = false;
	if (sscanf(stored, "$scrypt$ln=%2u,r=%2u,p=%2u$%n", &ln, &r, &p,
	        &consumed) != 3 || consumed == 0)
		return CB_EINVAL;
	if (ln < 4 || ln > 22 || r < 1 || r > 32 || p < 1 || p > 4)
		return CB_EINVAL;
	const char *s = stored + consumed;
	const char *dollar = strchr(s, '$');
	if (!dollar)
		return CB_EINVAL;
	int slen = b64url_decode(s, (size_t)(dollar - s), salt, sizeof salt);
	int hlen = b64url_decode(dollar + 1, strlen(dollar + 1), want, sizeof want);
	if (slen < 8 || hlen != HASH_LEN)
		return CB_EINVAL;
	if ((e = derive(pw, salt, (size_t)slen, ln, r, p, got)) != CB_OK)
		return e;
	*ok = CRYPTO_memcmp(got, want, HASH_LEN) == 0;
	OPENSSL_cleanse(got, sizeof got);
	return CB_OK;
}

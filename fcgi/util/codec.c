/* codec.c — see codec.h. */
#include <string.h>

#include "util/codec.h"

void
hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

size_t
base64_encoded_len(size_t n)
{
	return (n + 2) / 3 * 4;
}

cb_err
base64url_decode(const char *in, size_t n, unsigned char *out, size_t max,
    size_t *outlen)
{
	unsigned acc = 0;
	int bits = 0;
	size_t o = 0;
	/* JWS uses no padding; a stray '=' is refused like any other byte. */
	if (n % 4 == 1)
		return CB_EINVAL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		int v;
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '-')
			v = 62;
		else if (c == '_')
			v = 63;
		else
			return CB_EINVAL;
		acc = (acc << 6 | (unsigned)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == max)
				return CB_ETOOBIG;
			out[o++] = (unsigned char)(acc >> bits & 0xff);
		}
	}
	/* The leftover bits of the last character must be zero (canonical). */
	if (bits && (acc & ((1u << bits) - 1)))
		return CB_EINVAL;
	*outlen = o;
	return CB_OK;
}

void
base64_encode(const unsigned char *in, size_t n, char *out, bool url)
{
	static const char std[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	static const char safe[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	const char *a = url ? safe : std;
	size_t o = 0, i = 0;

	for (; i + 2 < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		out[o++] = a[v >> 18 & 63];
		out[o++] = a[v >> 12 & 63];
		out[o++] = a[v >> 6 & 63];
		out[o++] = a[v & 63];
	}
	if (i < n) {
		unsigned v = (unsigned)in[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)in[i + 1] << 8;
		out[o++] = a[v >> 18 & 63];
		out[o++] = a[v >> 12 & 63];
		if (i + 1 < n)
			out[o++] = a[v >> 6 & 63];
		else if (!url)
			out[o++] = '=';
		if (!url)
			out[o++] = '=';
	}
	out[o] = '\0';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

cb_err
pct_decode(const char *src, size_t n, char *out, size_t *outlen,
    bool plus_is_space)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = src[i];
		if (c == '%') {
			int hi, lo;
			if (n - i < 3)
				return CB_EINVAL;
			hi = hexval(src[i + 1]);
			lo = hexval(src[i + 2]);
			if (hi < 0 || lo < 0)
				return CB_EINVAL;
			c = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_is_space)
			c = ' ';
		if (c == '\0')
			return CB_EINVAL;
		out[o++] = c;
	}
	out[o] = '\0';
	if (outlen)
		*outlen = o;
	return CB_OK;
}

bool
utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t len;
		unsigned cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4;
			cp = c & 0x07;
		} else
			return false;
		if (i + len > n)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += len;
	}
	return true;
}

bool
pct_encode(const char *s, char *out, size_t outlen)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		    c == '~';
		if (o + (keep ? 1 : 3) >= outlen) {
			if (outlen)
				out[0] = '\0';
			return false;
		}
		if (keep)
			out[o++] = (char)c;
		else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	if (o >= outlen)
		return false;
	out[o] = '\0';
	return true;
}

bool
utf8_copy(char *out, size_t outlen, const char *src)
{
	size_t n = strlen(src);
	bool cut = n >= outlen;
	if (cut) {
		n = outlen - 1;
		/* Back off continuation bytes, then the lead byte they follow. */
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out, src, n);
	out[n] = '\0';
	return cut;
}

void
utf8_trim_tail(char *s)
{
	size_t n = strlen(s), j = n;
	while (j > 0 && n - j < 3 && ((unsigned char)s[j - 1] & 0xC0) == 0x80)
		j--;
	if (j == 0)
		return;
	unsigned char lead = (unsigned char)s[j - 1];
	size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (lead >= 0xC0 && n - (j - 1) < want)
		s[j - 1] = '\0';
}

/*
 * codec.h — pure byte codecs: hex, base64 (standard and URL-safe) and
 * strict percent-decoding.  No allocation: callers size the output with the
 * *_len helpers.  Percent-decoding refuses malformed escapes and NUL bytes
 * so that decoded values are always safe C strings.
 */
#ifndef CB_CODEC_H
#define CB_CODEC_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

/* out must hold 2*n+1 bytes. */
void hex_encode(const unsigned char *in, size_t n, char *out);

size_t base64_encoded_len(size_t n); /* excluding NUL */
/* url: URL-safe alphabet without padding; else standard with padding.
 * out must hold base64_encoded_len(n)+1 bytes. */
void base64_encode(const unsigned char *in, size_t n, char *out, bool url);

/* Decodes unpadded base64url (RFC 4648 §5, as JWS writes it) into out
 * (at most max bytes); CB_EINVAL for any other byte or non-canonical
 * trailing bits, CB_ETOOBIG past max. */
cb_err base64url_decode(const char *in, size_t n, unsigned char *out,
    size_t max, size_t *outlen);
/* Decodes src[0..n) into out (which must hold n+1 bytes), NUL-terminates,
 * sets *outlen.  plus_is_space: form encoding ('+' means ' ').
 * CB_EINVAL on a bad escape or a decoded NUL. */
cb_err pct_decode(const char *src, size_t n, char *out, size_t *outlen,
    bool plus_is_space);

/* Percent-encodes s for a query value (RFC 3986 unreserved characters
 * kept) into out; false, with out empty, when it does not fit. */
bool pct_encode(const char *s, char *out, size_t outlen);

/* True if s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t n);

/* Copies src into out (size outlen > 0), cut where needed at a character
 * boundary so that a long text never ends in half a character; returns
 * true when it was cut. */
bool utf8_copy(char *out, size_t outlen, const char *src);

/* The single-byte charsets bank files arrive in when they are not UTF-8:
 * Windows-1252 (Latin-1 with its printable 0x80-0x9F) and CP852 (the
 * DOS code page of Central Europe, which Hungarian and Czech exports
 * use). */
enum legacy_charset { LEGACY_CP1252, LEGACY_CP852 };
/* Which of them text (not UTF-8) more likely is: CP852 when its accented
 * letters (0x81 ü, 0x82 é, 0xA0 á …) sit inside words more often than
 * Windows-1252's (0xC0-0xFF). */
enum legacy_charset legacy_guess(const char *s, size_t n);
/* The Unicode code point byte c stands for in cs. */
unsigned legacy_codepoint(unsigned char c, enum legacy_charset cs);
/* s in cs to UTF-8 into out (outlen > 0), cut at a character boundary;
 * returns false when it was cut. */
bool legacy_to_utf8(const char *s, enum legacy_charset cs, char *out,
    size_t outlen);

/* Drops a character cut in half at the end of s (after snprintf filled a
 * buffer to the brim), in place. */
void utf8_trim_tail(char *s);

#endif

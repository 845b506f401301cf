/* document.c — see document.h. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/document.h"

enum doc_type
doc_sniff(const unsigned char *h, size_t n)
{
	static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n',
	    0x1a, '\n'};
	if (n >= 8 && memcmp(h, png, 8) == 0)
		return DOC_PNG;
	if (n >= 8 && h[0] == 0xff && h[1] == 0xd8 && h[2] == 0xff)
		return DOC_JPEG;
	if (n >= 8 && memcmp(h, "%PDF-", 5) == 0)
		return DOC_PDF;
	return DOC_NONE;
}

const char *
doc_mime(enum doc_type t)
{
	switch (t) {
	case DOC_JPEG: return "image/jpeg";
	case DOC_PNG: return "image/png";
	case DOC_PDF: return "application/pdf";
	default: return "application/octet-stream";
	}
}

const char *
doc_ext(enum doc_type t)
{
	switch (t) {
	case DOC_JPEG: return ".jpg";
	case DOC_PNG: return ".png";
	case DOC_PDF: return ".pdf";
	default: return "";
	}
}

enum doc_type
doc_type_from_mime(const char *m)
{
	if (!m)
		return DOC_NONE;
	if (strcmp(m, "image/jpeg") == 0)
		return DOC_JPEG;
	if (strcmp(m, "image/png") == 0)
		return DOC_PNG;
	if (strcmp(m, "application/pdf") == 0)
		return DOC_PDF;
	return DOC_NONE;
}

const char *
doc_check_tail(enum doc_type t, const unsigned char *tail, size_t n)
{
	static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D',
	    0xae, 0x42, 0x60, 0x82};
	size_t end = n;
	switch (t) {
	case DOC_JPEG:
		/* Some encoders pad after EOI with zeros: allow a little. */
		while (end > 0 && n - end < 16 && tail[end - 1] == 0)
			end--;
		if (end < 2 || tail[end - 2] != 0xff || tail[end - 1] != 0xd9)
			return "the JPEG is truncated or has data appended after its end";
		return NULL;
	case DOC_PNG:
		if (n < 12 || memcmp(tail + n - 12, iend, 12) != 0)
			return "the PNG is truncated or has data appended after its end";
		return NULL;
	case DOC_PDF:
		for (size_t i = 0; i + 5 <= n; i++)
			if (memcmp(tail + i, "%%EOF", 5) == 0)
				return NULL;
		return "the PDF is truncated (no %%EOF in its last 1024 bytes)";
	default:
		return "unsupported type";
	}
}

/* Length of the valid UTF-8 sequence at s (max n bytes), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned cp;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	/* C1 controls and direction controls would mislead a reader
	 * ("exe.png" drawn as "gnp.exe"). */
	if ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x061c || cp == 0x200e ||
	    cp == 0x200f)
		return 0;
	return len;
}

void
doc_sanitize_name(const char *raw, enum doc_type t, char *out)
{
	char clean[4 * DOC_NAME_MAX + 8];
	size_t o = 0;
	const char *base = raw ? raw : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	const unsigned char *s = (const unsigned char *)base;
	size_t n = strlen(base);
	for (size_t i = 0; i < n && o + 4 < sizeof clean;) {
		size_t l = utf8_len(s + i, n - i);
		if (l == 0 || s[i] < 0x20 || s[i] == 0x7f || s[i] == '"' ||
		    s[i] == ';' || s[i] == '%') {
			clean[o++] = '_';
			i += l ? l : 1;
			continue;
		}
		memcpy(clean + o, s + i, l);
		o += l;
		i += l;
	}
	clean[o] = '\0';
	char *c = clean;
	while (*c == '.' || *c == ' ')
		c++;
	/* Trailing dots and spaces confuse other systems' file dialogs. */
	size_t len = strlen(c);
	while (len && (c[len - 1] == '.' || c[len - 1] == ' '))
		c[--len] = '\0';
	const char *ext = doc_ext(t);
	/* The name always ends in its type's extension: one that names
	 * another receipt type is replaced ("recibo.jpg" of a PDF downloads as
	 * "recibo.pdf"), any other is kept and the type's added ("x.html" of
	 * a PNG is "x.html.png"), so that no download opens as what it is
	 * not. */
	static const char *const known[] = {".jpg", ".jpeg", ".png", ".pdf",
	    ".jpe"};
	char *dot = strrchr(c, '.');
	bool own = false;
	if (dot && dot != c && *ext) {
		own = strcasecmp(dot, ext) == 0 || (t == DOC_JPEG &&
		    (strcasecmp(dot, ".jpeg") == 0 || strcasecmp(dot, ".jpe") == 0));
		for (size_t k = 0; !own && k < sizeof known / sizeof known[0]; k++)
			if (strcasecmp(dot, known[k]) == 0) {
				*dot = '\0';
				len = strlen(c);
				break;
			}
	}
	/* Nothing left, or no extension: give it the type's, so downloads open
	 * right.  Too long: keep the head (whole characters) and the type's
	 * extension. */
	size_t extlen = strlen(ext);
	const char *name = c;
	bool add_ext = !own;
	if (len == 0) {
		name = "document";
		len = 8;
	}
	if (len > DOC_NAME_MAX - (add_ext ? extlen : 0)) {
		add_ext = true;
		len = DOC_NAME_MAX - extlen;
		while (len > 0 && ((unsigned char)name[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(out, name, len);
	if (add_ext)
		memcpy(out + len, ext, extlen + 1);
	else
		out[len] = '\0';
}

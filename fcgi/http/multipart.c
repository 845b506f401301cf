/* multipart.c — see multipart.h. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/multipart.h"

enum mp_state {
	MP_PREAMBLE,   /* before the first delimiter */
	MP_AFTER_DELIM,/* just after "--boundary": "--" or CRLF follows */
	MP_HEADERS,
	MP_DATA,
	MP_EPILOGUE,   /* after the closing delimiter */
	MP_ERROR,
};

struct mp_parser {
	enum mp_state state;
	struct mp_limits lim;
	struct mp_callbacks cb;
	char delim[MP_BOUNDARY_MAX + 5]; /* "\r\n--" + boundary */
	size_t dlen;
	char *buf;     /* pending bytes not yet consumed */
	size_t len, cap;
	size_t parts;
	size_t headers;
	struct mp_part part;
	bool saw_disposition;
	char err[192];
};

void
mp_fail(struct mp_parser *p, const char *msg)
{
	snprintf(p->err, sizeof p->err, "%s", msg);
	p->state = MP_ERROR;
}

const char *
mp_error(const struct mp_parser *p)
{
	return p->err;
}

static bool
bchar(unsigned char c)
{
	return isalnum(c) || strchr("'()+_,-./:=? ", c) != NULL;
}

cb_err
mp_boundary_from_content_type(const char *ct, char *out, size_t outlen)
{
	const char *semi = strchr(ct, ';');
	size_t tl = semi ? (size_t)(semi - ct) : strlen(ct);
	while (tl && ct[tl - 1] == ' ')
		tl--;
	if (tl != 19 || strncasecmp(ct, "multipart/form-data", 19) != 0)
		return CB_EINVAL;
	while (semi) {
		const char *p = semi + 1;
		while (*p == ' ' || *p == '\t')
			p++;
		semi = strchr(p, ';');
		if (strncasecmp(p, "boundary=", 9) != 0)
			continue;
		const char *v = p + 9;
		size_t vl = semi ? (size_t)(semi - v) : strlen(v);
		while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
			vl--;
		if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
			v++;
			vl -= 2;
		}
		if (vl == 0 || vl > MP_BOUNDARY_MAX || vl + 1 > outlen ||
		    v[vl - 1] == ' ')
			return CB_EINVAL;
		for (size_t i = 0; i < vl; i++)
			if (!bchar((unsigned char)v[i]))
				return CB_EINVAL;
		memcpy(out, v, vl);
		out[vl] = '\0';
		return CB_OK;
	}
	return CB_EINVAL;
}

struct mp_parser *
mp_new(const char *boundary, const struct mp_limits *lim,
    const struct mp_callbacks *cb)
{
	size_t bl = strlen(boundary);
	if (bl == 0 || bl > MP_BOUNDARY_MAX)
		return NULL;
	struct mp_parser *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->lim = *lim;
	p->cb = *cb;
	p->dlen = (size_t)snprintf(p->delim, sizeof p->delim, "\r\n--%s", boundary);
	p->cap = 8192;
	p->buf = malloc(p->cap);
	if (!p->buf) {
		free(p);
		return NULL;
	}
	/* The body may open with the delimiter itself: pretend a CRLF came
	 * before it so that one search handles both cases. */
	memcpy(p->buf, "\r\n", 2);
	p->len = 2;
	p->state = MP_PREAMBLE;
	return p;
}

void
mp_free(struct mp_parser *p)
{
	if (!p)
		return;
	free(p->buf);
	free(p);
}

static void
consume(struct mp_parser *p, size_t n)
{
	memmove(p->buf, p->buf + n, p->len - n);
	p->len -= n;
}

static const char *
find(const char *hay, size_t hl, const char *needle, size_t nl)
{
	if (nl > hl)
		return NULL;
	return memmem(hay, hl, needle, nl);
}

/* Reads a parameter (name="…") out of a Content-Disposition value. */
static bool
disp_param(const char *v, const char *key, char *out, size_t outlen,
    bool *found)
{
	size_t kl = strlen(key);
	const char *p = v;
	*found = false;
	while ((p = strchr(p, ';')) != NULL) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, key, kl) != 0 || p[kl] != '=')
			continue;
		const char *s = p + kl + 1;
		size_t o = 0;
		if (*s == '"') {
			s++;
			while (*s && *s != '"') {
				/* Browsers escape quotes as %22; a backslash escapes
				 * the next character in the RFC 2616 grammar. */
				if (*s == '\\' && s[1])
					s++;
				if (o + 1 >= outlen)
					return false;
				out[o++] = *s++;
			}
			if (*s != '"')
				return false;
		} else {
			while (*s && *s != ';' && *s != ' ' && *s != '\t') {
				if (o + 1 >= outlen)
					return false;
				out[o++] = *s++;
			}
		}
		out[o] = '\0';
		*found = true;
		return true;
	}
	return true;
}

static cb_err
header_line(struct mp_parser *p, char *line)
{
	char *colon = strchr(line, ':');
	if (!colon) {
		mp_fail(p, "a part header has no colon");
		return CB_EINVAL;
	}
	*colon = '\0';
	char *v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	if (++p->headers > p->lim.max_headers) {
		mp_fail(p, "a part has too many headers");
		return CB_EINVAL;
	}
	if (strcasecmp(line, "Content-Disposition") == 0) {
		bool found;
		if (strncasecmp(v, "form-data", 9) != 0 ||
		    (v[9] != ';' && v[9] != '\0' && v[9] != ' ')) {
			mp_fail(p, "a part is not form-data");
			return CB_EINVAL;
		}
		if (p->saw_disposition) {
			mp_fail(p, "a part has two Content-Disposition headers");
			return CB_EINVAL;
		}
		p->saw_disposition = true;
		if (!disp_param(v, "name", p->part.name, sizeof p->part.name, &found) ||
		    !found || !p->part.name[0]) {
			mp_fail(p, "a part has no usable name (or one over 100 bytes)");
			return CB_EINVAL;
		}
		if (!disp_param(v, "filename", p->part.filename,
		        sizeof p->part.filename, &found)) {
			mp_fail(p, "a part's filename is over 255 bytes or unterminated");
			return CB_EINVAL;
		}
		p->part.has_filename = found;
	} else if (strcasecmp(line, "Content-Type") == 0) {
		snprintf(p->part.content_type, sizeof p->part.content_type, "%s", v);
	}
	/* Other headers (Content-Transfer-Encoding …) are ignored, as RFC
	 * 7578 says senders must not use them. */
	return CB_OK;
}

/* Runs the state machine over what is buffered. */
static cb_err
run(struct mp_parser *p)
{
	cb_err e;
	for (;;) {
		switch (p->state) {
		case MP_ERROR:
			return CB_EINVAL;
		case MP_EPILOGUE:
			p->len = 0; /* ignored */
			return CB_OK;
		case MP_PREAMBLE:
		case MP_DATA: {
			const char *hit = find(p->buf, p->len, p->delim, p->dlen);
			if (!hit) {
				/* Keep a possible partial delimiter at the end. */
				size_t keep = p->dlen - 1;
				if (p->len > keep) {
					size_t emit = p->len - keep;
					if (p->state == MP_DATA && p->cb.part_data &&
					    (e = p->cb.part_data(p->buf, emit, p->cb.arg)) != CB_OK) {
						if (!p->err[0])
							mp_fail(p, "a part was refused");
						p->state = MP_ERROR;
						return e;
					}
					consume(p, emit);
				}
				return CB_OK;
			}
			size_t at = (size_t)(hit - p->buf);
			if (p->state == MP_DATA) {
				if (at && p->cb.part_data &&
				    (e = p->cb.part_data(p->buf, at, p->cb.arg)) != CB_OK) {
					if (!p->err[0])
						mp_fail(p, "a part was refused");
					p->state = MP_ERROR;
					return e;
				}
				if (p->cb.part_end && (e = p->cb.part_end(p->cb.arg)) != CB_OK) {
					if (!p->err[0])
						mp_fail(p, "a part was refused");
					p->state = MP_ERROR;
					return e;
				}
			}
			consume(p, at + p->dlen);
			p->state = MP_AFTER_DELIM;
			break;
		}
		case MP_AFTER_DELIM: {
			/* Transport padding (spaces) may follow the boundary. */
			size_t i = 0;
			while (i < p->len && (p->buf[i] == ' ' || p->buf[i] == '\t'))
				i++;
			if (i > 0 && i == p->len) {
				consume(p, i);
				return CB_OK;
			}
			if (p->len - i < 2)
				return CB_OK;
			if (p->buf[i] == '-' && p->buf[i + 1] == '-') {
				consume(p, i + 2);
				p->state = MP_EPILOGUE;
				break;
			}
			if (p->buf[i] == '\r' && p->buf[i + 1] == '\n') {
				consume(p, i + 2);
				if (++p->parts > p->lim.max_parts) {
					mp_fail(p, "the body has too many parts");
					return CB_EINVAL;
				}
				memset(&p->part, 0, sizeof p->part);
				p->headers = 0;
				p->saw_disposition = false;
				p->state = MP_HEADERS;
				break;
			}
			mp_fail(p, "a boundary is followed by something other than CRLF or --");
			return CB_EINVAL;
		}
		case MP_HEADERS: {
			const char *crlf = find(p->buf, p->len, "\r\n", 2);
			if (!crlf) {
				if (p->len > p->lim.max_header_line) {
					mp_fail(p, "a part header line is too long");
					return CB_EINVAL;
				}
				return CB_OK;
			}
			size_t ll = (size_t)(crlf - p->buf);
			if (ll > p->lim.max_header_line) {
				mp_fail(p, "a part header line is too long");
				return CB_EINVAL;
			}
			if (ll == 0) {
				consume(p, 2);
				if (!p->saw_disposition) {
					mp_fail(p, "a part has no Content-Disposition header");
					return CB_EINVAL;
				}
				if (p->cb.part_begin &&
				    (e = p->cb.part_begin(&p->part, p->cb.arg)) != CB_OK) {
					if (!p->err[0])
						mp_fail(p, "a part was refused");
					p->state = MP_ERROR;
					return e;
				}
				/* Data begins here; it ends at the CRLF-led
				 * delimiter, so an empty part needs nothing special. */
				p->state = MP_DATA;
				break;
			}
			char line[2048];
			if (ll >= sizeof line) {
				mp_fail(p, "a part header line is too long");
				return CB_EINVAL;
			}
			memcpy(line, p->buf, ll);
			line[ll] = '\0';
			if (memchr(line, '\0', ll)) {
				mp_fail(p, "a part header contains a NUL byte");
				return CB_EINVAL;
			}
			consume(p, ll + 2);
			if ((e = header_line(p, line)) != CB_OK)
				return e;
			break;
		}
		}
	}
}

cb_err
mp_feed(struct mp_parser *p, const char *data, size_t len)
{
	while (len) {
		if (p->state == MP_ERROR)
			return CB_EINVAL;
		size_t room = p->cap - p->len;
		if (room == 0) {
			/* Only headers can fill the buffer; their limit is far
			 * smaller than the buffer, so this is a header too long. */
			mp_fail(p, "a part header line is too long");
			return CB_EINVAL;
		}
		size_t take = len < room ? len : room;
		memcpy(p->buf + p->len, data, take);
		p->len += take;
		data += take;
		len -= take;
		cb_err e = run(p);
		if (e != CB_OK)
			return e;
	}
	return CB_OK;
}

cb_err
mp_finish(struct mp_parser *p)
{
	if (p->state == MP_ERROR)
		return CB_EINVAL;
	if (p->state != MP_EPILOGUE) {
		mp_fail(p, p->parts == 0 ? "the body has no multipart boundary"
		                         : "the body ends before its closing boundary");
		return CB_EINVAL;
	}
	return CB_OK;
}

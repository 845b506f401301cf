/* form.c — see form.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "http/form.h"
#include "http/response.h"

struct collect {
	struct form *form;
	struct mp_parser *mp;
	size_t file_max;
	const char *tmpdir;
	struct form_field *cur;
	int status; /* 400 or 413 when a callback refuses */
};

static cb_err
on_begin(const struct mp_part *part, void *arg)
{
	struct collect *c = arg;
	struct form *f = c->form;
	char msg[160];
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, part->name) == 0) {
			snprintf(msg, sizeof msg, "the field '%.100s' appears twice",
			    part->name);
			mp_fail(c->mp, msg);
			return CB_EINVAL;
		}
	if (f->n == FORM_MAX_PARTS)
		return CB_EINVAL; /* the parser's own part limit says it first */
	struct form_field *fl = &f->fields[f->n++];
	memset(fl, 0, sizeof *fl);
	snprintf(fl->name, sizeof fl->name, "%s", part->name);
	snprintf(fl->filename, sizeof fl->filename, "%s", part->filename);
	snprintf(fl->content_type, sizeof fl->content_type, "%s",
	    part->content_type);
	fl->is_file = part->has_filename;
	fl->fd = -1;
	buf_init(&fl->data, fl->is_file ? FORM_SPILL_AT : FORM_TEXT_MAX);
	c->cur = fl;
	return CB_OK;
}

static cb_err
spill(struct collect *c, struct form_field *fl)
{
	int fd = open(c->tmpdir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		char tmpl[4096];
		snprintf(tmpl, sizeof tmpl, "%s/comprobar-upload-XXXXXX", c->tmpdir);
		fd = mkstemp(tmpl);
		if (fd >= 0)
			unlink(tmpl);
	}
	if (fd < 0)
		return CB_EIO;
	size_t off = 0;
	while (off < fl->data.len) {
		ssize_t w = write(fd, fl->data.data + off, fl->data.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return CB_EIO;
		}
		off += (size_t)w;
	}
	fl->fd = fd;
	return CB_OK;
}

static cb_err
on_data(const char *d, size_t len, void *arg)
{
	struct collect *c = arg;
	struct form_field *fl = c->cur;
	char msg[160];
	if (fl->size + len > (fl->is_file ? c->file_max : FORM_TEXT_MAX)) {
		snprintf(msg, sizeof msg, "the field '%.100s' is larger than %zu bytes",
		    fl->name, fl->is_file ? c->file_max : (size_t)FORM_TEXT_MAX);
		mp_fail(c->mp, msg);
		c->status = 413;
		return CB_ETOOBIG;
	}
	fl->size += len;
	if (fl->fd < 0 && buf_append(&fl->data, d, len) == CB_OK)
		return CB_OK;
	if (fl->fd < 0 && spill(c, fl) != CB_OK) {
		mp_fail(c->mp, "the upload could not be buffered");
		c->status = 500;
		return CB_EIO;
	}
	while (len) {
		ssize_t w = write(fl->fd, d, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			mp_fail(c->mp, "the upload could not be buffered");
			c->status = 500;
			return CB_EIO;
		}
		d += w;
		len -= (size_t)w;
	}
	return CB_OK;
}

static cb_err
on_end(void *arg)
{
	((struct collect *)arg)->cur = NULL;
	return CB_OK;
}

void
form_free(struct form *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		buf_free(&f->fields[i].data);
		if (f->fields[i].fd >= 0)
			close(f->fields[i].fd);
	}
	free(f->fields);
	free(f);
}

static struct form *
form_new(void)
{
	struct form *f = calloc(1, sizeof *f);
	if (f && !(f->fields = calloc(FORM_MAX_PARTS, sizeof *f->fields))) {
		free(f);
		return NULL;
	}
	return f;
}

static const struct mp_limits limits = {FORM_MAX_PARTS, 1024, 8};

/* Drives the parser with chunks from `next`; shared by both entry points. */
static int
parse_with(const char *ct, size_t file_max, const char *tmpdir,
    int (*next)(void *src, char *buf, int max), void *src, struct form **out,
    char *why, size_t whylen)
{
	char boundary[MP_BOUNDARY_MAX + 1], chunk[16384];
	*out = NULL;
	if (!ct || mp_boundary_from_content_type(ct, boundary, sizeof boundary) !=
	        CB_OK) {
		snprintf(why, whylen, "expected multipart/form-data with a valid"
		                      " boundary (1-70 characters)");
		return ct && strncasecmp(ct, "multipart/form-data", 19) == 0 ? 400
		                                                             : 415;
	}
	struct form *f = form_new();
	struct collect c = {.form = f, .file_max = file_max, .tmpdir = tmpdir,
	    .status = 400};
	struct mp_callbacks cb = {on_begin, on_data, on_end, &c};
	if (!f || !(c.mp = mp_new(boundary, &limits, &cb))) {
		form_free(f);
		snprintf(why, whylen, "out of memory");
		return 500;
	}
	cb_err e = CB_OK;
	int n;
	while ((n = next(src, chunk, sizeof chunk)) > 0)
		if ((e = mp_feed(c.mp, chunk, (size_t)n)) != CB_OK)
			break;
	if (e == CB_OK && n < 0) {
		snprintf(why, whylen, "the request body could not be read");
		mp_free(c.mp);
		form_free(f);
		return 400;
	}
	if (e == CB_OK)
		e = mp_finish(c.mp);
	if (e != CB_OK) {
		snprintf(why, whylen, "malformed multipart body: %s", mp_error(c.mp));
		int st = e == CB_ETOOBIG ? 413 : c.status;
		mp_free(c.mp);
		form_free(f);
		return st;
	}
	mp_free(c.mp);
	*out = f;
	return 0;
}

struct membuf {
	const char *p;
	size_t left;
};

static int
next_mem(void *src, char *buf, int max)
{
	struct membuf *m = src;
	/* Odd chunk sizes exercise boundaries split across reads. */
	size_t take = m->left < (size_t)max ? m->left : (size_t)max;
	if (take > 7 && (m->left % 3) == 0)
		take = take / 2 + 1;
	memcpy(buf, m->p, take);
	m->p += take;
	m->left -= take;
	return (int)take;
}

int
form_parse_buffer(const char *ct, const char *body, size_t len,
    size_t file_max, const char *tmpdir, struct form **out, char *why,
    size_t whylen)
{
	struct membuf m = {body, len};
	return parse_with(ct, file_max, tmpdir, next_mem, &m, out, why, whylen);
}

static int
next_fcgi(void *src, char *buf, int max)
{
	FCGX_Stream *in = src;
	int n = FCGX_GetStr(buf, max, in);
	if (n == 0 && FCGX_GetError(in) != 0)
		return -1;
	return n;
}

bool
http_form_body(struct http_req *req, struct form **out)
{
	char why[256];
	const char *ct = http_param(req, "CONTENT_TYPE");
	const char *cl = http_param(req, "CONTENT_LENGTH");
	size_t max = (size_t)req->cfg->upload_max_bytes;
	/* Room for the other fields and the multipart framing. */
	if (cl && *cl && strtoll(cl, NULL, 10) > (long long)(max + (1 << 20))) {
		http_drain_body(req);
		snprintf(why, sizeof why, "the body is larger than %zu bytes", max);
		http_problem(req, 413, "payload-too-large", "Content Too Large", why);
		return false;
	}
	req->body_read = true;
	int st = parse_with(ct, max, req->cfg->upload_tmp_dir, next_fcgi,
	    req->fcgi->in, out, why, sizeof why);
	if (st == 0)
		return true;
	req->body_read = false;
	http_drain_body(req);
	if (st == 415)
		http_problem(req, 415, "unsupported-media-type",
		    "Unsupported Media Type", why);
	else if (st == 413)
		http_problem(req, 413, "payload-too-large", "Content Too Large", why);
	else if (st == 500)
		http_fail(req, CB_EIO);
	else
		http_problem(req, 400, "malformed-multipart", "Bad Request", why);
	return false;
}

const struct form_field *
form_field(const struct form *f, const char *name)
{
	for (size_t i = 0; f && i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return &f->fields[i];
	return NULL;
}

const char *
form_text(const struct form *f, const char *name)
{
	const struct form_field *fl = form_field(f, name);
	if (!fl || fl->is_file)
		return NULL;
	return fl->data.data ? fl->data.data : "";
}

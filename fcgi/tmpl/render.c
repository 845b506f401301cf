/* render.c — walks a compiled template with a json-c model (see tmpl.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/node.h"
#include "tmpl/tmpl.h"
#include "util/jsonx.h"

#define MAX_DEPTH 16     /* includes and layouts nested */
#define MAX_VARS 32      /* loop variables in scope */

struct scope {
	const char *name[MAX_VARS];
	json_object *val[MAX_VARS];
	char idxname[MAX_VARS][72];
	json_object *idx[MAX_VARS];
	int n;
};

struct rctx {
	const struct tmpl_set *set;
	json_object *model;
	json_object *shared;         /* read-only, looked up after model */
	struct buf *out;
	struct scope sc;
	const struct tmpl *page;     /* supplies t:fill for a layout */
	int depth;
	char *err;
	size_t errlen;
	const char *file;
};

static json_object *
lookup(struct rctx *r, const char *path)
{
	char seg[128];
	const char *p = path;
	size_t n = strcspn(p, ".");
	if (n >= sizeof seg)
		return NULL;
	memcpy(seg, p, n);
	seg[n] = '\0';
	json_object *cur = NULL;
	bool found = false;
	for (int i = r->sc.n - 1; i >= 0 && !found; i--) {
		if (strcmp(r->sc.name[i], seg) == 0) {
			cur = r->sc.val[i];
			found = true;
		} else if (strcmp(r->sc.idxname[i], seg) == 0) {
			cur = r->sc.idx[i];
			found = true;
		}
	}
	if (!found && !json_object_object_get_ex(r->model, seg, &cur) &&
	    !(r->shared && json_object_object_get_ex(r->shared, seg, &cur)))
		return NULL;
	p += n;
	while (*p == '.') {
		p++;
		n = strcspn(p, ".");
		if (n >= sizeof seg)
			return NULL;
		memcpy(seg, p, n);
		seg[n] = '\0';
		p += n;
		if (strcmp(seg, "length") == 0 && !*p &&
		    json_object_is_type(cur, json_type_array))
			return NULL; /* handled by value_text / truthy callers */
		json_object *next = NULL;
		if (!json_object_is_type(cur, json_type_object) ||
		    !json_object_object_get_ex(cur, seg, &next))
			return NULL;
		cur = next;
	}
	return cur;
}

/* `x.length` of an array: its length, or -1 when the path is not that. */
static long
array_length(struct rctx *r, const char *path)
{
	size_t n = strlen(path);
	if (n < 8 || strcmp(path + n - 7, ".length") != 0)
		return -1;
	char base[256];
	if (n - 7 >= sizeof base)
		return -1;
	memcpy(base, path, n - 7);
	base[n - 7] = '\0';
	json_object *a = lookup(r, base);
	return json_object_is_type(a, json_type_array) ?
	    (long)json_object_array_length(a) : -1;
}

static bool
truthy(struct rctx *r, const char *path)
{
	long len = array_length(r, path);
	if (len >= 0)
		return len > 0;
	json_object *v = lookup(r, path);
	switch (json_object_get_type(v)) {
	case json_type_null: return false;
	case json_type_boolean: return json_object_get_boolean(v);
	case json_type_int: return json_object_get_int64(v) != 0;
	case json_type_double: return json_object_get_double(v) != 0;
	case json_type_string: return json_object_get_string_len(v) > 0;
	case json_type_array: return json_object_array_length(v) > 0;
	case json_type_object: return true;
	}
	return false;
}

/* The text of a value: strings as they are, numbers as the API writes
 * them (json-c keeps an exact decimal's own text), null as nothing. */
static const char *
value_text(struct rctx *r, const char *path, char *tmp, size_t tlen,
    size_t *len)
{
	long alen = array_length(r, path);
	if (alen >= 0) {
		*len = (size_t)snprintf(tmp, tlen, "%ld", alen);
		return tmp;
	}
	json_object *v = lookup(r, path);
	if (!v || json_object_is_type(v, json_type_null) ||
	    json_object_is_type(v, json_type_object) ||
	    json_object_is_type(v, json_type_array)) {
		*len = 0;
		return "";
	}
	if (json_object_is_type(v, json_type_string)) {
		*len = (size_t)json_object_get_string_len(v);
		return json_object_get_string(v);
	}
	const char *s = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
	*len = strlen(s);
	return s;
}

static cb_err render_node(struct rctx *r, const struct tnode *n);

static cb_err
render_kids(struct rctx *r, const struct tnode *n)
{
	cb_err e = CB_OK;
	for (size_t i = 0; i < n->nkids && e == CB_OK; i++)
		e = render_node(r, n->kids[i]);
	return e;
}

static const struct tnode *
find_fill(const struct tnode *n, const char *name)
{
	if (!n)
		return NULL;
	if (n->fill && strcmp(n->fill, name) == 0)
		return n;
	for (size_t i = 0; i < n->nkids; i++) {
		const struct tnode *f = find_fill(n->kids[i], name);
		if (f)
			return f;
	}
	return NULL;
}

static cb_err
render_template(struct rctx *r, const struct tmpl *t);

static cb_err
render_one(struct rctx *r, const struct tnode *n)
{
	cb_err e;
	char tmp[32];
	size_t len;
	if (n->include) {
		const struct tmpl *t = tmpl_find(r->set, n->include);
		if (!t) {
			snprintf(r->err, r->errlen, "%s:%d: no template %s", r->file,
			    n->line, n->include);
			return CB_ENOTFOUND;
		}
		return render_template(r, t);
	}
	if (n->kind == TN_ELEM) {
		if ((e = buf_printf(r->out, "<%s", n->name)) != CB_OK)
			return e;
		for (size_t i = 0; i < n->nattrs; i++) {
			bool overridden = false;
			for (size_t k = 0; k < n->ndyn; k++)
				if (strcmp(n->dyn[k].name, n->attrs[i].name) == 0)
					overridden = true;
			if (!overridden && (e = buf_printf(r->out, " %s=\"%s\"",
			        n->attrs[i].name, n->attrs[i].value)) != CB_OK)
				return e;
		}
		for (size_t k = 0; k < n->ndyn; k++) {
			const char *v = value_text(r, n->dyn[k].path, tmp, sizeof tmp,
			    &len);
			if (!len && !lookup(r, n->dyn[k].path))
				continue; /* absent: no attribute */
			char *copy = strndup(v, len);
			if (!copy)
				return CB_ENOMEM;
			bool ok = !n->dyn[k].url || tmpl_url_ok(copy);
			free(copy);
			if ((e = buf_printf(r->out, " %s=\"", n->dyn[k].name)) != CB_OK ||
			    (e = ok ? tmpl_escape_attr(r->out, v, len) :
			         buf_puts(r->out, "#")) != CB_OK ||
			    (e = buf_puts(r->out, "\"")) != CB_OK)
				return e;
		}
		if ((e = buf_puts(r->out, ">")) != CB_OK)
			return e;
		if (n->void_elem)
			return CB_OK;
	}
	if (n->slot && r->page) {
		const struct tnode *f = find_fill(r->page->root, n->slot);
		if (f) {
			const struct tmpl *layout_page = r->page;
			r->page = NULL; /* fills render with no further layout */
			e = render_kids(r, f);
			r->page = layout_page;
		} else
			e = render_kids(r, n);
	} else if (n->text_path) {
		const char *v = value_text(r, n->text_path, tmp, sizeof tmp, &len);
		e = tmpl_escape_text(r->out, v, len);
	} else
		e = render_kids(r, n);
	if (e == CB_OK && n->kind == TN_ELEM)
		e = buf_printf(r->out, "</%s>", n->name);
	return e;
}

static cb_err
render_node(struct rctx *r, const struct tnode *n)
{
	if (n->kind == TN_TEXT)
		return buf_puts(r->out, n->text);
	if (n->if_path && !truthy(r, n->if_path))
		return CB_OK;
	if (n->unless_path && truthy(r, n->unless_path))
		return CB_OK;
	if (!n->each_var)
		return render_one(r, n);
	json_object *arr = lookup(r, n->each_path);
	if (!json_object_is_type(arr, json_type_array))
		return CB_OK;
	if (r->sc.n == MAX_VARS) {
		snprintf(r->err, r->errlen, "%s:%d: loops nest too deep", r->file,
		    n->line);
		return CB_ETOOBIG;
	}
	int slot = r->sc.n++;
	r->sc.name[slot] = n->each_var;
	snprintf(r->sc.idxname[slot], sizeof r->sc.idxname[slot], "%s_index",
	    n->each_var);
	cb_err e = CB_OK;
	size_t len = json_object_array_length(arr);
	for (size_t i = 0; i < len && e == CB_OK; i++) {
		r->sc.val[slot] = json_object_array_get_idx(arr, i);
		r->sc.idx[slot] = jx_int64((int64_t)i);
		e = render_one(r, n);
		json_object_put(r->sc.idx[slot]);
	}
	r->sc.n--;
	return e;
}

static cb_err
render_template(struct rctx *r, const struct tmpl *t)
{
	if (++r->depth > MAX_DEPTH) {
		snprintf(r->err, r->errlen, "%s: includes nest too deep", t->name);
		return CB_ETOOBIG;
	}
	const char *file = r->file;
	r->file = t->name;
	cb_err e;
	if (t->layout && !r->page) {
		const struct tmpl *l = tmpl_find(r->set, t->layout);
		if (!l) {
			snprintf(r->err, r->errlen, "%s: no layout %s", t->name, t->layout);
			e = CB_ENOTFOUND;
		} else {
			r->page = t;
			e = render_template(r, l);
			r->page = NULL;
		}
	} else
		e = render_node(r, t->root);
	r->file = file;
	r->depth--;
	return e;
}

cb_err
tmpl_render(const struct tmpl_set *s, const char *name, json_object *model,
    struct buf *out, char *err, size_t errlen)
{
	return tmpl_render_shared(s, name, model, NULL, out, err, errlen);
}

cb_err
tmpl_render_shared(const struct tmpl_set *s, const char *name,
    json_object *model, json_object *shared, struct buf *out, char *err,
    size_t errlen)
{
	const struct tmpl *t = tmpl_find(s, name);
	if (!t) {
		snprintf(err, errlen, "no template %s", name);
		return CB_ENOTFOUND;
	}
	struct rctx r = {.set = s, .model = model, .shared = shared, .out = out,
	    .err = err,
	    .errlen = errlen, .file = name};
	cb_err e = buf_puts(out, "<!DOCTYPE html>\n");
	if (e == CB_OK)
		e = render_template(&r, t);
	if (e == CB_ETOOBIG && !err[0])
		snprintf(err, errlen, "%s: the page is larger than allowed", name);
	return e;
}

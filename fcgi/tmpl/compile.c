/*
 * compile.c — XHTML (libxml2) to the compiled tree of node.h.  Parsing
 * refuses DTDs, entities and network access; an unknown t: attribute or
 * element, a malformed t:each or t:attr, is an error naming file and line.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "tmpl/node.h"
#include "tmpl/tmpl.h"

struct cctx {
	const char *file;
	char *err;
	size_t errlen;
	bool failed;
};

static void fail(struct cctx *c, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fail(struct cctx *c, int line, const char *fmt, ...)
{
	if (c->failed)
		return;
	c->failed = true;
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s:%d: %s", c->file, line, msg);
}

static const char *const void_elems[] = {"area", "base", "br", "col", "embed",
    "hr", "img", "input", "link", "meta", "source", "track", "wbr", NULL};
static const char *const url_attrs[] = {"href", "src", "action", "formaction",
    "poster", "cite", NULL};

static bool
in_list(const char *s, const char *const *l)
{
	for (; *l; l++)
		if (strcmp(s, *l) == 0)
			return true;
	return false;
}

static char *
escaped(const char *s, bool attr)
{
	struct buf b;
	buf_init(&b, 1 << 20);
	cb_err e = attr ? tmpl_escape_attr(&b, s, strlen(s)) :
	    tmpl_escape_text(&b, s, strlen(s));
	if (e != CB_OK || buf_append(&b, "", 0) != CB_OK) {
		buf_free(&b);
		return NULL;
	}
	char *out = b.data ? b.data : strdup("");
	return out;
}

static bool
valid_path(const char *p)
{
	if (!*p)
		return false;
	for (; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.')
			return false;
	return true;
}

static char *
dupx(const xmlChar *s)
{
	return strdup(s ? (const char *)s : "");
}

static bool
is_t(const xmlNs *ns)
{
	return ns && ns->href && strcmp((const char *)ns->href, TMPL_NS) == 0;
}

static void
set_path(struct cctx *c, int line, char **dst, const char *v, const char *what)
{
	if (!valid_path(v)) {
		fail(c, line, "%s needs a path such as payment.amount", what);
		return;
	}
	*dst = strdup(v);
}

/* t:attr="href url; title p.name" */
static void
parse_dyn(struct cctx *c, int line, struct tnode *n, const char *spec)
{
	char *copy = strdup(spec), *save = NULL;
	for (char *item = strtok_r(copy, ";", &save); item;
	     item = strtok_r(NULL, ";", &save)) {
		char name[64], path[256];
		if (sscanf(item, " %63s %255s", name, path) != 2 || !valid_path(path)) {
			fail(c, line, "t:attr wants \"name path; …\", not \"%s\"", item);
			break;
		}
		struct tdyn *d = realloc(n->dyn, (n->ndyn + 1) * sizeof *d);
		if (!d)
			break;
		n->dyn = d;
		d[n->ndyn].name = strdup(name);
		d[n->ndyn].path = strdup(path);
		d[n->ndyn].url = in_list(name, url_attrs);
		n->ndyn++;
	}
	free(copy);
}

static struct tnode *compile_node(struct cctx *c, xmlNode *x);

static void
add_kid(struct tnode *n, struct tnode *k)
{
	struct tnode **kids = realloc(n->kids, (n->nkids + 1) * sizeof *kids);
	if (!kids) {
		tnode_free(k);
		return;
	}
	n->kids = kids;
	n->kids[n->nkids++] = k;
}

static void
compile_kids(struct cctx *c, xmlNode *x, struct tnode *n)
{
	for (xmlNode *k = x->children; k && !c->failed; k = k->next) {
		struct tnode *t = compile_node(c, k);
		if (t)
			add_kid(n, t);
	}
}

static struct tnode *
compile_elem(struct cctx *c, xmlNode *x)
{
	int line = (int)xmlGetLineNo(x);
	struct tnode *n = calloc(1, sizeof *n);
	if (!n)
		return NULL;
	n->line = line;
	if (is_t(x->ns)) {
		if (strcmp((const char *)x->name, "block") != 0)
			fail(c, line, "unknown template element t:%s", (const char *)x->name);
		n->kind = TN_BLOCK;
	} else {
		n->kind = TN_ELEM;
		n->name = dupx(x->name);
		n->void_elem = in_list(n->name, void_elems);
		if (x->ns && x->ns->prefix)
			fail(c, line, "namespaced element %s: use plain XHTML",
			    (const char *)x->name);
	}
	for (xmlAttr *a = x->properties; a && !c->failed; a = a->next) {
		xmlChar *v = xmlNodeListGetString(x->doc, a->children, 1);
		const char *an = (const char *)a->name, *val = v ? (const char *)v : "";
		if (is_t(a->ns)) {
			if (!strcmp(an, "if"))
				set_path(c, line, &n->if_path, val, "t:if");
			else if (!strcmp(an, "unless"))
				set_path(c, line, &n->unless_path, val, "t:unless");
			else if (!strcmp(an, "text"))
				set_path(c, line, &n->text_path, val, "t:text");
			else if (!strcmp(an, "each")) {
				char var[64], path[256];
				if (sscanf(val, " %63s %255s", var, path) != 2 ||
				    !valid_path(var) || strchr(var, '.') || !valid_path(path))
					fail(c, line, "t:each wants \"name path\", not \"%s\"", val);
				else {
					n->each_var = strdup(var);
					n->each_path = strdup(path);
				}
			} else if (!strcmp(an, "attr"))
				parse_dyn(c, line, n, val);
			else if (!strcmp(an, "include"))
				n->include = strdup(val);
			else if (!strcmp(an, "layout"))
				; /* read by the caller on the root */
			else if (!strcmp(an, "slot"))
				n->slot = strdup(val);
			else if (!strcmp(an, "fill"))
				n->fill = strdup(val);
			else
				fail(c, line, "unknown template attribute t:%s", an);
		} else if (a->ns && a->ns->prefix &&
		    strcmp((const char *)a->ns->prefix, "xml") != 0) {
			fail(c, line, "namespaced attribute %s", an);
		} else if (n->kind == TN_ELEM) {
			if (!strncmp(an, "on", 2)) {
				fail(c, line, "event handler attribute %s: scripts belong in"
				    " static files", an);
			} else if (in_list(an, url_attrs) && !tmpl_url_ok(val)) {
				fail(c, line, "%s with a scheme that is not allowed", an);
			} else {
				struct tattr *at = realloc(n->attrs, (n->nattrs + 1) *
				    sizeof *at);
				if (at) {
					n->attrs = at;
					at[n->nattrs].name = strdup(an);
					at[n->nattrs].value = escaped(val, true);
					n->nattrs++;
				}
			}
		}
		xmlFree(v);
	}
	if (n->void_elem && x->children)
		fail(c, line, "<%s> cannot have content", n->name);
	if (!c->failed && !n->text_path && !n->include)
		compile_kids(c, x, n);
	return n;
}

static struct tnode *
compile_node(struct cctx *c, xmlNode *x)
{
	switch (x->type) {
	case XML_ELEMENT_NODE:
		return compile_elem(c, x);
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE: {
		struct tnode *n = calloc(1, sizeof *n);
		if (!n)
			return NULL;
		n->kind = TN_TEXT;
		n->line = (int)xmlGetLineNo(x);
		n->text = escaped(x->content ? (const char *)x->content : "", false);
		return n;
	}
	case XML_COMMENT_NODE:
		return NULL; /* comments are for template authors */
	case XML_ENTITY_REF_NODE:
		fail(c, (int)xmlGetLineNo(x), "entity references are not allowed");
		return NULL;
	default:
		return NULL;
	}
}

static void
silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

cb_err
tmpl_set_add(struct tmpl_set *s, const char *name, const char *xml, size_t len,
    char *err, size_t errlen)
{
	struct cctx c = {name, err, errlen, false};
	if (len > 4 << 20) {
		snprintf(err, errlen, "%s: too large", name);
		return CB_ETOOBIG;
	}
	xmlSetGenericErrorFunc(NULL, silent);
	xmlDoc *doc = xmlReadMemory(xml, (int)len, name, "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *xe = xmlGetLastError();
		snprintf(err, errlen, "%s:%d: not well-formed XHTML: %s", name,
		    xe ? xe->line : 0, xe && xe->message ? xe->message : "parse error");
		char *nl = strchr(err, '\n');
		if (nl)
			*nl = '\0';
		return CB_EINVAL;
	}
	if (doc->intSubset || doc->extSubset) {
		xmlFreeDoc(doc);
		snprintf(err, errlen, "%s: a DOCTYPE is not allowed (the engine writes"
		    " <!DOCTYPE html>)", name);
		return CB_EINVAL;
	}
	xmlNode *root = xmlDocGetRootElement(doc);
	struct tmpl *t = calloc(1, sizeof *t);
	if (!t || !root) {
		free(t);
		xmlFreeDoc(doc);
		snprintf(err, errlen, "%s: empty", name);
		return CB_EINVAL;
	}
	t->name = strdup(name);
	for (xmlAttr *a = root->properties; a; a = a->next)
		if (is_t(a->ns) && strcmp((const char *)a->name, "layout") == 0) {
			xmlChar *v = xmlNodeListGetString(doc, a->children, 1);
			t->layout = dupx(v);
			xmlFree(v);
		}
	t->root = compile_node(&c, root);
	xmlFreeDoc(doc);
	if (c.failed || !t->root) {
		tnode_free(t->root);
		free(t->name);
		free(t->layout);
		free(t);
		if (!c.failed)
			snprintf(err, errlen, "%s: out of memory", name);
		return CB_EINVAL;
	}
	/* A later definition replaces an earlier one (reload). */
	for (struct tmpl **p = &s->list; *p; p = &(*p)->next)
		if (strcmp((*p)->name, name) == 0) {
			struct tmpl *old = *p;
			t->next = old->next;
			*p = t;
			tnode_free(old->root);
			free(old->name);
			free(old->layout);
			free(old);
			return CB_OK;
		}
	t->next = s->list;
	s->list = t;
	return CB_OK;
}

cb_err
tmpl_set_load_dir(struct tmpl_set *s, const char *dir, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "%s: cannot open the template directory", dir);
		return CB_EIO;
	}
	struct dirent *de;
	cb_err e = CB_OK;
	while (e == CB_OK && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n < 7 || strcmp(de->d_name + n - 6, ".xhtml") != 0)
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		FILE *f = fopen(path, "rb");
		if (!f) {
			snprintf(err, errlen, "%s: cannot read", path);
			e = CB_EIO;
			break;
		}
		struct buf b;
		buf_init(&b, 4 << 20);
		char chunk[8192];
		size_t r;
		while (e == CB_OK && (r = fread(chunk, 1, sizeof chunk, f)) > 0)
			e = buf_append(&b, chunk, r);
		fclose(f);
		if (e == CB_OK)
			e = tmpl_set_add(s, de->d_name, b.data ? b.data : "", b.len, err,
			    errlen);
		else
			snprintf(err, errlen, "%s: too large", path);
		buf_free(&b);
	}
	closedir(d);
	return e == CB_OK ? tmpl_set_check(s, err, errlen) : e;
}

/*
 * node.h — a compiled template: the tree tmpl_compile.c builds and
 * tmpl_render.c walks (private to fcgi/tmpl).
 */
#ifndef CB_TMPL_NODE_H
#define CB_TMPL_NODE_H

#include <stdbool.h>
#include <stddef.h>

enum tnode_kind { TN_TEXT, TN_ELEM, TN_BLOCK };

struct tattr {                 /* a static attribute, already escaped */
	char *name;
	char *value;
};

struct tdyn {                  /* t:attr entry */
	char *name;
	char *path;
	bool url;                  /* href, src, action, formaction */
};

struct tnode {
	enum tnode_kind kind;
	int line;
	char *text;                /* TN_TEXT: escaped markup-ready text */
	char *name;                /* TN_ELEM: element name */
	bool void_elem;            /* <br>, <img>, … have no end tag */
	struct tattr *attrs;
	size_t nattrs;
	struct tdyn *dyn;
	size_t ndyn;
	char *if_path, *unless_path;
	char *each_var, *each_path;
	char *text_path;
	char *include;             /* template name */
	char *slot, *fill;
	struct tnode **kids;
	size_t nkids;
};

struct tmpl {
	char *name;
	char *layout;              /* root's t:layout, or NULL */
	struct tnode *root;
	struct tmpl *next;
};

struct tmpl_set {
	struct tmpl *list;
};

void tnode_free(struct tnode *n);
const struct tmpl *tmpl_find(const struct tmpl_set *s, const char *name);

#endif

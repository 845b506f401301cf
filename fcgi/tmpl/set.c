/* set.c — a set of compiled templates (see tmpl.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/node.h"
#include "tmpl/tmpl.h"

void
tnode_free(struct tnode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		tnode_free(n->kids[i]);
	for (size_t i = 0; i < n->nattrs; i++) {
		free(n->attrs[i].name);
		free(n->attrs[i].value);
	}
	for (size_t i = 0; i < n->ndyn; i++) {
		free(n->dyn[i].name);
		free(n->dyn[i].path);
	}
	free(n->kids);
	free(n->attrs);
	free(n->dyn);
	free(n->text);
	free(n->name);
	free(n->if_path);
	free(n->unless_path);
	free(n->each_var);
	free(n->each_path);
	free(n->text_path);
	free(n->include);
	free(n->slot);
	free(n->fill);
	free(n);
}

cb_err
tmpl_set_new(struct tmpl_set **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? CB_OK : CB_ENOMEM;
}

void
tmpl_set_free(struct tmpl_set *s)
{
	if (!s)
		return;
	while (s->list) {
		struct tmpl *t = s->list;
		s->list = t->next;
		tnode_free(t->root);
		free(t->name);
		free(t->layout);
		free(t);
	}
	free(s);
}

const struct tmpl *
tmpl_find(const struct tmpl_set *s, const char *name)
{
	for (const struct tmpl *t = s->list; t; t = t->next)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

static cb_err
check_node(const struct tmpl_set *s, const struct tmpl *t,
    const struct tnode *n, char *err, size_t errlen)
{
	if (!n)
		return CB_OK;
	if (n->include && !tmpl_find(s, n->include)) {
		snprintf(err, errlen, "%s:%d: t:include names no template: %s",
		    t->name, n->line, n->include);
		return CB_EINVAL;
	}
	for (size_t i = 0; i < n->nkids; i++)
		if (check_node(s, t, n->kids[i], err, errlen) != CB_OK)
			return CB_EINVAL;
	return CB_OK;
}

cb_err
tmpl_set_check(const struct tmpl_set *s, char *err, size_t errlen)
{
	for (const struct tmpl *t = s->list; t; t = t->next) {
		if (t->layout && !tmpl_find(s, t->layout)) {
			snprintf(err, errlen, "%s: t:layout names no template: %s",
			    t->name, t->layout);
			return CB_EINVAL;
		}
		if (check_node(s, t, t->root, err, errlen) != CB_OK)
			return CB_EINVAL;
	}
	return CB_OK;
}

/*
 * tmpl.h — the HTML template engine: XHTML templates with TAL-style
 * attributes, compiled once (at start and on SIGHUP) and rendered from the
 * same json-c view model the JSON API serialises.
 *
 * A template is a well-formed XHTML file whose dynamic parts are
 * attributes in the namespace urn:comprobar:tmpl (prefix `t:` by
 * convention):
 *   t:if="path" / t:unless="path"   keep the element or not
 *   t:each="name path"              repeat it for each item of an array,
 *                                   binding `name` (and `name_index`)
 *   t:text="path"                   replace its content by the value, as text
 *   t:attr="href path; title path"  set attributes from values
 *   t:include="other.xhtml"         render another template here instead
 *   t:layout="layout.xhtml"         (root) render inside that layout, whose
 *                                   t:slot="x" elements take this page's
 *                                   t:fill="x" elements' content
 * and <t:block> elements render only their content.  Paths are dotted
 * member names looked up in the loop variables, then the model
 * (`payment.amount`, `item.name`); `path.length` is an array's length.
 *
 * DESIGN: libxml2 parses (no network, no DTD, no entity expansion) and is
 * then out of the picture: templates compile into a small tree that
 * rendering walks, writing into a bounded buffer.  Every value is escaped
 * for where it lands (text or attribute); URL attributes (href, src,
 * action, formaction) refuse schemes other than http(s) and mailto
 * (`javascript:` becomes "#"); there is no construct that emits raw
 * markup from data.  Errors name the file and line.
 */
#ifndef CB_TMPL_H
#define CB_TMPL_H

#include <stddef.h>

#include <json-c/json.h>

#include "util/buf.h"
#include "util/err.h"

#define TMPL_NS "urn:comprobar:tmpl"

struct tmpl_set;

cb_err tmpl_set_new(struct tmpl_set **out);
void tmpl_set_free(struct tmpl_set *s);
/* Compiles every *.xhtml file of dir (non-recursive) into s. */
cb_err tmpl_set_load_dir(struct tmpl_set *s, const char *dir, char *err,
    size_t errlen);
/* Compiles one template from memory under name. */
cb_err tmpl_set_add(struct tmpl_set *s, const char *name, const char *xml,
    size_t len, char *err, size_t errlen);
/* Checks that every t:include and t:layout names a template of the set. */
cb_err tmpl_set_check(const struct tmpl_set *s, char *err, size_t errlen);

/* Renders template name with model (borrowed) into out, starting with
 * "<!DOCTYPE html>".  CB_ENOTFOUND for an unknown name, CB_ETOOBIG when
 * out's limit is reached or includes nest too deep. */
cb_err tmpl_render(const struct tmpl_set *s, const char *name,
    json_object *model, struct buf *out, char *err, size_t errlen);
/* The same, with names not in the model looked up in shared: an object
 * many threads render with at once (message catalogues).  It is only
 * read, never put into the model: json-c 0.16 counts references without
 * atomics, so a shared object must never be json_object_get/put from two
 * threads.  Its leaves must be strings (reading other types writes a
 * cached text into them). */
cb_err tmpl_render_shared(const struct tmpl_set *s, const char *name,
    json_object *model, json_object *shared, struct buf *out, char *err,
    size_t errlen);

/* Escapers, exposed for tests. */
cb_err tmpl_escape_text(struct buf *b, const char *s, size_t n);
cb_err tmpl_escape_attr(struct buf *b, const char *s, size_t n);
/* true when a URL attribute may carry u as is. */
int tmpl_url_ok(const char *u);

#endif

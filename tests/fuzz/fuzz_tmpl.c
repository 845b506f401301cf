/* fuzz_tmpl.c — the template engine on hostile templates: compile (the
 * input is the template) and, when it compiles, render with a model that
 * has strings, numbers, arrays and nesting. */
#include <stdint.h>
#include <string.h>

#include "tmpl/tmpl.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_object *model;
	if (!model)
		model = json_tokener_parse("{\"a\":\"<x>&\\\"'\",\"n\":15.50,\"t\":true,"
		    "\"xs\":[{\"b\":\"javascript:x\"},{\"b\":2}],\"o\":{\"p\":[1,2,3]}}");
	struct tmpl_set *s;
	char err[256];
	if (tmpl_set_new(&s) != CB_OK)
		return 0;
	if (tmpl_set_add(s, "f.xhtml", (const char *)data, size, err, sizeof err) ==
	    CB_OK) {
		/* Includes of itself or missing names must fail cleanly too. */
		struct buf b;
		buf_init(&b, 1 << 20);
		tmpl_render(s, "f.xhtml", model, &b, err, sizeof err);
		buf_free(&b);
	}
	tmpl_set_free(s);
	return 0;
}

/* fuzz_json_body.c — libFuzzer target for strict JSON bodies
 * (http/json_body.c).  Whatever is accepted must be an object. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "http/json_body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *o = NULL;
	char why[160];
	if (json_body_parse((const char *)data, size, &o, why, sizeof why) == CB_OK) {
		if (!json_object_is_type(o, json_type_object))
			abort();
		json_object_put(o);
	} else if (o)
		abort();
	return 0;
}

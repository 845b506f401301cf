/* json_body.c — see json_body.h. */
#include <stdio.h>
#include <string.h>

#include "http/json_body.h"
#include "util/codec.h"

/* json-c's strict mode still takes 'single-quoted' member names; JSON never
 * has a quote character outside a double-quoted string, so look for one. */
static bool
has_single_quote_outside_strings(const char *s, size_t n)
{
	bool in_str = false;
	for (size_t i = 0; i < n; i++) {
		if (in_str) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_str = false;
		} else if (s[i] == '"')
			in_str = true;
		else if (s[i] == '\'')
			return true;
	}
	return false;
}

cb_err
json_body_parse(const char *data, size_t len, json_object **out, char *why,
    size_t whylen)
{
	json_tokener *tok;
	json_object *obj;
	size_t i;

	*out = NULL;
	if (len == 0) {
		snprintf(why, whylen, "the request body is empty");
		return CB_EINVAL;
	}
	if (len > 0x7fffffff) {
		snprintf(why, whylen, "the request body is too large");
		return CB_ETOOBIG;
	}
	if (!utf8_valid(data, len)) {
		snprintf(why, whylen, "the request body is not valid UTF-8");
		return CB_EINVAL;
	}
	if (memchr(data, '\0', len)) {
		snprintf(why, whylen, "the request body contains a NUL byte");
		return CB_EINVAL;
	}
	if (has_single_quote_outside_strings(data, len)) {
		snprintf(why, whylen, "malformed JSON: strings take double quotes");
		return CB_EINVAL;
	}
	if (!(tok = json_tokener_new_ex(JSON_MAX_DEPTH)))
		return CB_ENOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, data, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t used = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr != json_tokener_success) {
		if (jerr == json_tokener_continue)
			snprintf(why, whylen, "the JSON document ends early");
		else
			snprintf(why, whylen, "malformed JSON at byte %zu: %s", used,
			    json_tokener_error_desc(jerr));
		json_object_put(obj);
		return CB_EINVAL;
	}
	for (i = used; i < len; i++)
		if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r' &&
		    data[i] != '\n') {
			snprintf(why, whylen,
			    "unexpected data after the JSON document at byte %zu", i);
			json_object_put(obj);
			return CB_EINVAL;
		}
	if (!json_object_is_type(obj, json_type_object)) {
		snprintf(why, whylen, "the JSON document must be an object");
		json_object_put(obj);
		return CB_EINVAL;
	}
	*out = obj;
	return CB_OK;
}

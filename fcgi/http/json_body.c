/* json_body.c — see json_body.h. */
#include <stdio.h>
#include <string.h>

#include "http/json_body.h"
#include "util/codec.h"
#include "util/jsonx.h"

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

/* The members of every object in a parsed value, nested ones included. */
static size_t
members_in(json_object *o)
{
	size_t n = 0;
	if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, k, v) {
			(void)k;
			n += 1 + members_in(v);
		}
	} else if (json_object_is_type(o, json_type_array)) {
		size_t len = json_object_array_length(o);
		for (size_t i = 0; i < len; i++)
			n += members_in(json_object_array_get_idx(o, i));
	}
	return n;
}

static int
hex4(const char *s)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v = v * 16 + (c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
		    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 0);
	}
	return v;
}

/* What json-c lets through silently, in a document it parsed: a member
 * name twice in one object (it keeps the last), and an escaped UTF-16
 * surrogate without its pair (it writes U+FFFD).  Both are refused, as
 * RFC 8259 allows and our strict rule wants.  The text is known to be
 * well-formed JSON here. */
static bool
strict_extras(const char *s, size_t n, json_object *parsed, char *why,
    size_t whylen)
{
	size_t members = 0;
	/* Names of the object being read at each depth, as sent (escapes
	 * kept), in a json-c object used as a set. */
	json_object *names[JSON_MAX_DEPTH + 1] = {0};
	int depth = 0;
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++) {
		char c = s[i];
		if (c == '{' || c == '[') {
			if (++depth <= JSON_MAX_DEPTH && c == '{')
				names[depth] = jx_object();
		} else if (c == '}' || c == ']') {
			if (depth <= JSON_MAX_DEPTH && names[depth]) {
				json_object_put(names[depth]);
				names[depth] = NULL;
			}
			depth--;
		} else if (c == ':')
			members++;
		else if (c == '"') {
			size_t start = ++i;
			for (; i < n && s[i] != '"'; i++) {
				if (s[i] != '\\')
					continue;
				if (s[++i] != 'u' || i + 4 >= n)
					continue;
				int u = hex4(s + i + 1);
				i += 4;
				if (u >= 0xdc00 && u <= 0xdfff)
					ok = false;
				else if (u >= 0xd800 && u <= 0xdbff) {
					if (i + 6 < n && s[i + 1] == '\\' && s[i + 2] == 'u' &&
					    hex4(s + i + 3) >= 0xdc00 && hex4(s + i + 3) <= 0xdfff)
						i += 6;
					else
						ok = false;
				}
			}
			if (!ok) {
				snprintf(why, whylen, "malformed JSON: a \\u escape is half"
				    " of a UTF-16 surrogate pair");
				break;
			}
			size_t end = i, j = i + 1;
			while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' ||
			    s[j] == '\n'))
				j++;
			json_object *set = depth >= 1 && depth <= JSON_MAX_DEPTH ?
			    names[depth] : NULL;
			if (j < n && s[j] == ':' && set) {
				char key[256];
				size_t kl = end - start < sizeof key - 1 ? end - start :
				    sizeof key - 1;
				memcpy(key, s + start, kl);
				key[kl] = '\0';
				if (json_object_object_get_ex(set, key, NULL)) {
					snprintf(why, whylen, "malformed JSON: the member \"%.60s\""
					    " appears twice in one object", key);
					ok = false;
				} else {
					jx_add(set, key, NULL);
				}
			}
		}
	}
	for (int d = 0; d <= JSON_MAX_DEPTH; d++)
		json_object_put(names[d]);
	/* The same name spelled with other escapes ("a" and "\u0061"). */
	if (ok && members != members_in(parsed)) {
		snprintf(why, whylen, "malformed JSON: a member name appears twice in"
		    " one object");
		ok = false;
	}
	return ok;
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
	if (!strict_extras(data, len, obj, why, whylen)) {
		json_object_put(obj);
		return CB_EINVAL;
	}
	*out = obj;
	return CB_OK;
}

/* escape.c — see tmpl.h: escaping for HTML text and attribute values, and
 * the URL check for href/src/action. */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "tmpl/tmpl.h"

static cb_err
escape(struct buf *b, const char *s, size_t n, bool attr)
{
	size_t start = 0;
	cb_err e;
	for (size_t i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = attr ? "&quot;" : NULL; break;
		case '\'': rep = attr ? "&#39;" : NULL; break;
		case '\0': rep = "\xef\xbf\xbd"; break; /* U+FFFD */
		}
		if (!rep)
			continue;
		if ((e = buf_append(b, s + start, i - start)) != CB_OK ||
		    (e = buf_puts(b, rep)) != CB_OK)
			return e;
		start = i + 1;
	}
	return buf_append(b, s + start, n - start);
}

cb_err
tmpl_escape_text(struct buf *b, const char *s, size_t n)
{
	return escape(b, s, n, false);
}

cb_err
tmpl_escape_attr(struct buf *b, const char *s, size_t n)
{
	return escape(b, s, n, true);
}

int
tmpl_url_ok(const char *u)
{
	/* Browsers skip leading spaces and controls and drop tabs and newlines
	 * inside a URL ("java\tscript:"): judge what they see. */
	char seen[32];
	size_t n = 0;
	while (*u && (unsigned char)*u <= 0x20)
		u++;
	for (const char *p = u; *p && n < sizeof seen - 1; p++)
		if (*p != '\t' && *p != '\n' && *p != '\r')
			seen[n++] = (char)tolower((unsigned char)*p);
	seen[n] = '\0';
	size_t k = strcspn(seen, ":/?#");
	if (seen[k] != ':')
		return 1; /* relative: no scheme */
	seen[k] = '\0';
	return !strcmp(seen, "http") || !strcmp(seen, "https") ||
	    !strcmp(seen, "mailto");
}

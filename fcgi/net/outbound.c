/* outbound.c — see outbound.h. */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/outbound.h"

static cb_err
opts_common(const struct config *cfg, struct outbound_opts *o)
{
	char why[160];
	memset(o, 0, sizeof *o);
	if (addr_policy_parse(cfg->outbound_allow, &o->policy, why, sizeof why) !=
	    CB_OK)
		return CB_EINVAL; /* the config parser has said so already */
	o->allow_http = cfg->outbound_allow_http;
	o->ca_file = cfg->outbound_ca_file;
	o->connect_timeout_ms = (long)cfg->outbound_connect_timeout * 1000L;
	return CB_OK;
}

cb_err
outbound_opts_receipts(const struct config *cfg, struct outbound_opts *o)
{
	cb_err e = opts_common(cfg, o);
	o->total_timeout_ms = (long)cfg->receipt_timeout * 1000L;
	o->low_speed_bytes = cfg->receipt_low_speed_bytes;
	o->low_speed_seconds = cfg->receipt_low_speed_seconds;
	o->max_bytes = cfg->receipt_max_bytes;
	o->max_redirects = cfg->receipt_max_redirects;
	o->keep_bytes = (size_t)cfg->receipt_max_bytes;
	return e;
}

cb_err
outbound_opts_webhooks(const struct config *cfg, struct outbound_opts *o)
{
	cb_err e = opts_common(cfg, o);
	o->total_timeout_ms = (long)cfg->webhook_timeout * 1000L;
	if (o->connect_timeout_ms > o->total_timeout_ms)
		o->connect_timeout_ms = o->total_timeout_ms;
	o->max_bytes = 1L << 20; /* an answer is read, not kept */
	o->max_redirects = 0;
	o->keep_bytes = 512;
	return e;
}

static const char *
schemes(const struct outbound_opts *o)
{
	return o->allow_http ? "http,https" : "https";
}

cb_err
outbound_url_check(const struct outbound_opts *o, const char *url,
    bool resolve, const char **code, char *why, size_t whylen)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	cb_err e = CB_EINVAL;
	if (!u)
		return CB_ENOMEM;
	*code = "invalid";
	if (strlen(url) > 2000) {
		snprintf(why, whylen, "longer than 2000 characters");
		goto done;
	}
	/* Only absolute URLs; no guessing a scheme. */
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) !=
	    CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
		snprintf(why, whylen, "not an absolute URL");
		goto done;
	}
	if (strcasecmp(scheme, "https") != 0 &&
	    !(o->allow_http && strcasecmp(scheme, "http") == 0)) {
		*code = "scheme_not_allowed";
		snprintf(why, whylen, "the scheme \"%.20s\" is not allowed: %s only",
		    scheme, o->allow_http ? "http and https" : "https");
		goto done;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !*host) {
		snprintf(why, whylen, "not an absolute URL with a host");
		goto done;
	}
	/* "[::1]" → "::1"; a zone id is refused with the rest of fe80::/10. */
	char lit[80];
	size_t n = strlen(host);
	if (host[0] == '[' && n > 2 && n - 2 < sizeof lit) {
		memcpy(lit, host + 1, n - 2);
		lit[n - 2] = '\0';
		char *zone = strchr(lit, '%');
		if (zone)
			*zone = '\0';
	} else
		snprintf(lit, sizeof lit, "%s", host);
	bool is_addr;
	const char *bad = addr_policy_denied_text(&o->policy, lit, &is_addr);
	if (bad) {
		*code = "address_denied";
		snprintf(why, whylen, "%s is in %s, which is not reachable from here",
		    lit, bad);
		goto done;
	}
	if (!is_addr && resolve) {
		struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
		int rc = getaddrinfo(host, NULL, &hints, &res);
		if (rc != 0) {
			*code = "unresolvable";
			snprintf(why, whylen, "the name %.100s does not resolve: %s",
			    host, gai_strerror(rc));
			goto done;
		}
		for (struct addrinfo *a = res; a; a = a->ai_next) {
			if ((bad = addr_policy_denied(&o->policy, a->ai_addr))) {
				*code = "address_denied";
				snprintf(why, whylen, "the name %.100s resolves to an"
				    " address in %s, which is not reachable from here",
				    host, bad);
				freeaddrinfo(res);
				goto done;
			}
		}
		freeaddrinfo(res);
	}
	e = CB_OK;
done:
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return e;
}

cb_err
outbound_url_judge(const struct config *cfg, bool webhook_target,
    const char *url, const char **code, char *why, size_t whylen)
{
	struct outbound_opts o;
	cb_err e = webhook_target ? outbound_opts_webhooks(cfg, &o) :
	    outbound_opts_receipts(cfg, &o);
	if (e != CB_OK) {
		*code = "invalid";
		snprintf(why, whylen, "the [outbound] allow list is not valid");
		return CB_EINVAL;
	}
	return outbound_url_check(&o, url, webhook_target, code, why, whylen);
}

/* The one place a socket for an outbound request is made: the address
 * curl is about to connect to (after DNS, for every redirect) is judged. */
static curl_socket_t
open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct outbound_xfer *x = arg;
	(void)purpose;
	const char *bad = addr_policy_denied(&x->o->policy, &a->addr);
	if (bad) {
		char text[INET6_ADDRSTRLEN] = "?";
		if (a->family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&a->addr)->sin_addr,
			    text, sizeof text);
		else if (a->family == AF_INET6)
			inet_ntop(AF_INET6,
			    &((struct sockaddr_in6 *)&a->addr)->sin6_addr, text,
			    sizeof text);
		snprintf(x->denied, sizeof x->denied,
		    "refused to connect to %s: it is in %s", text, bad);
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct outbound_xfer *x = arg;
	size_t len = size * n;
	if (x->received + (long)len > x->o->max_bytes) {
		x->too_big = true;
		return 0; /* stops the transfer */
	}
	x->received += (long)len;
	size_t room = x->o->keep_bytes > x->body.len ?
	    x->o->keep_bytes - x->body.len : 0;
	if (room && buf_append(&x->body, p, len < room ? len : room) != CB_OK)
		return 0;
	return len;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct outbound_xfer *x = arg;
	size_t len = size * n;
	char line[256];
	size_t k = len < sizeof line - 1 ? len : sizeof line - 1;
	memcpy(line, p, k);
	line[k] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (strncasecmp(line, "HTTP/", 5) == 0) {
		/* A new answer (after a redirect): forget the last one's. */
		x->retry_after = -1;
		x->content_type[0] = '\0';
	} else if (strncasecmp(line, "Retry-After:", 12) == 0) {
		const char *v = line + 12;
		while (*v == ' ' || *v == '\t')
			v++;
		char *end;
		long secs = strtol(v, &end, 10);
		if (end != v && *end == '\0' && secs >= 0)
			x->retry_after = secs;
		else {
			time_t t = curl_getdate(v, NULL);
			if (t > 0) {
				long d = (long)(t - time(NULL));
				x->retry_after = d > 0 ? d : 0;
			}
		}
	} else if (strncasecmp(line, "Content-Type:", 13) == 0) {
		const char *v = line + 13;
		while (*v == ' ')
			v++;
		snprintf(x->content_type, sizeof x->content_type, "%.127s", v);
	}
	return len;
}

#define SETOPT(opt, val) \
	do { \
		if (curl_easy_setopt(x->h, opt, val) != CURLE_OK) \
			goto fail; \
	} while (0)

cb_err
outbound_xfer_init(struct outbound_xfer *x, const struct outbound_opts *o,
    const char *url)
{
	memset(x, 0, sizeof *x);
	x->o = o;
	x->retry_after = -1;
	buf_init(&x->body, o->keep_bytes);
	if (!(x->h = curl_easy_init()))
		return CB_ENOMEM;
	SETOPT(CURLOPT_URL, url);
	SETOPT(CURLOPT_PROTOCOLS_STR, schemes(o));
	SETOPT(CURLOPT_REDIR_PROTOCOLS_STR, schemes(o));
	SETOPT(CURLOPT_FOLLOWLOCATION, o->max_redirects > 0 ? 1L : 0L);
	SETOPT(CURLOPT_MAXREDIRS, o->max_redirects);
	SETOPT(CURLOPT_PROXY, "");
	SETOPT(CURLOPT_NOPROXY, "*");
	SETOPT(CURLOPT_SSL_VERIFYPEER, 1L);
	SETOPT(CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->ca_file && *o->ca_file)
		SETOPT(CURLOPT_CAINFO, o->ca_file);
	SETOPT(CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for DNS timeouts */
	SETOPT(CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	SETOPT(CURLOPT_TIMEOUT_MS, o->total_timeout_ms);
	if (o->low_speed_seconds > 0) {
		SETOPT(CURLOPT_LOW_SPEED_LIMIT, o->low_speed_bytes);
		SETOPT(CURLOPT_LOW_SPEED_TIME, o->low_speed_seconds);
	}
	SETOPT(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
	SETOPT(CURLOPT_OPENSOCKETFUNCTION, open_socket);
	SETOPT(CURLOPT_OPENSOCKETDATA, x);
	SETOPT(CURLOPT_WRITEFUNCTION, on_body);
	SETOPT(CURLOPT_WRITEDATA, x);
	SETOPT(CURLOPT_HEADERFUNCTION, on_header);
	SETOPT(CURLOPT_HEADERDATA, x);
	SETOPT(CURLOPT_ERRORBUFFER, x->errbuf);
	SETOPT(CURLOPT_USERAGENT, "comprobar/" PACKAGE_VERSION);
	SETOPT(CURLOPT_PRIVATE, x);
	return CB_OK;
fail:
	outbound_xfer_cleanup(x);
	return CB_EIO;
}

cb_err
outbound_xfer_header(struct outbound_xfer *x, const char *line)
{
	struct curl_slist *l = curl_slist_append(x->headers, line);
	if (!l)
		return CB_ENOMEM;
	x->headers = l;
	return curl_easy_setopt(x->h, CURLOPT_HTTPHEADER, x->headers) ==
	    CURLE_OK ? CB_OK : CB_EIO;
}

static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	struct outbound_xfer *x = arg;
	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	time_t now = time(NULL);
	if (now == x->last_tick)
		return 0;
	x->last_tick = now;
	return x->tick(x->tick_arg) ? 0 : 1;
}

cb_err
outbound_xfer_tick(struct outbound_xfer *x, bool (*tick)(void *arg), void *arg)
{
	x->tick = tick;
	x->tick_arg = arg;
	x->last_tick = time(NULL);
	if (curl_easy_setopt(x->h, CURLOPT_XFERINFOFUNCTION, on_progress) !=
	    CURLE_OK || curl_easy_setopt(x->h, CURLOPT_XFERINFODATA, x) !=
	    CURLE_OK || curl_easy_setopt(x->h, CURLOPT_NOPROGRESS, 0L) != CURLE_OK)
		return CB_EIO;
	return CB_OK;
}

void
outbound_xfer_cleanup(struct outbound_xfer *x)
{
	if (x->h)
		curl_easy_cleanup(x->h);
	x->h = NULL;
	curl_slist_free_all(x->headers);
	x->headers = NULL;
	buf_free(&x->body);
}

enum outbound_result
outbound_xfer_outcome(struct outbound_xfer *x, CURLcode rc, long *status,
    char *why, size_t whylen)
{
	*status = 0;
	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, status);
	if (x->denied[0]) {
		snprintf(why, whylen, "%s", x->denied);
		return OUT_DENIED;
	}
	switch (rc) {
	case CURLE_OK:
		snprintf(why, whylen, "HTTP %ld", *status);
		return OUT_OK;
	case CURLE_UNSUPPORTED_PROTOCOL:
		snprintf(why, whylen, "the scheme is not allowed: %s only",
		    x->o->allow_http ? "http and https" : "https");
		return OUT_DENIED;
	case CURLE_FILESIZE_EXCEEDED:
		x->too_big = true;
		/* fall through */
	case CURLE_WRITE_ERROR:
		if (x->too_big) {
			snprintf(why, whylen, "the answer is larger than %ld bytes",
			    x->o->max_bytes);
			return OUT_TOO_BIG;
		}
		break;
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(why, whylen, "timed out: %s", x->errbuf[0] ? x->errbuf :
		    curl_easy_strerror(rc));
		return OUT_TIMEOUT;
	case CURLE_TOO_MANY_REDIRECTS:
		snprintf(why, whylen, "more than %ld redirects", x->o->max_redirects);
		return OUT_REDIRECTS;
	default:
		break;
	}
	snprintf(why, whylen, "%s", x->errbuf[0] ? x->errbuf :
	    curl_easy_strerror(rc));
	return OUT_FAILED;
}

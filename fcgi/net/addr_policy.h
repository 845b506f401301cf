/*
 * addr_policy.h — which network addresses comprobar may call out to
 * (webhooks, receipt URLs): API-CONVENTIONS "Outbound HTTP".  Pure: an
 * address in, allowed or the name of the denied range out.  The connect
 * callback (net/outbound.c) asks this for every address curl is about to
 * connect to, so a name that resolves to a private address, or a redirect
 * to one, is refused where it matters: at connect time.
 */
#ifndef CB_ADDR_POLICY_H
#define CB_ADDR_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "util/err.h"

#define ADDR_ALLOW_MAX 32

struct addr_range {
	int family;               /* AF_INET or AF_INET6 */
	unsigned char net[16];
	unsigned prefix;
};

struct addr_policy {
	struct addr_range allow[ADDR_ALLOW_MAX]; /* admitted despite the rules */
	size_t nallow;
};

/* "10.0.0.0/8, 127.0.0.2, fd00::/8": comma- or space-separated addresses
 * with optional prefix lengths.  "" is an empty allowlist.  CB_EINVAL with
 * a message in why for anything else. */
cb_err addr_policy_parse(const char *text, struct addr_policy *out, char *why,
    size_t whylen);

/* NULL when sa may be connected to; otherwise the denied range, such as
 * "127.0.0.0/8 (loopback)".  IPv4 wrapped in IPv6 (::ffff:0:0/96,
 * 64:ff9b::/96, 2002::/16) is judged by the IPv4 address it carries. */
const char *addr_policy_denied(const struct addr_policy *p,
    const struct sockaddr *sa);

/* The same for an address in text ("127.0.0.1", "::1"); *is_addr false
 * (and NULL returned) when text is not a literal address. */
const char *addr_policy_denied_text(const struct addr_policy *p,
    const char *text, bool *is_addr);

#endif

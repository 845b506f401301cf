/* addr_policy.c — see addr_policy.h. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/addr_policy.h"

struct denied {
	int family;
	const char *net;
	unsigned prefix;
	const char *name;
};

/* API-CONVENTIONS "Outbound HTTP", then every block of IANA's IPv4 and
 * IPv6 special-purpose address registries that is not globally reachable
 * (or is for documentation, benchmarks or deprecated uses), by address. */
static const struct denied DENIED[] = {
	{AF_INET, "0.0.0.0", 8, "0.0.0.0/8 (this network)"},
	{AF_INET, "10.0.0.0", 8, "10.0.0.0/8 (private)"},
	{AF_INET, "100.64.0.0", 10, "100.64.0.0/10 (shared address space)"},
	{AF_INET, "127.0.0.0", 8, "127.0.0.0/8 (loopback)"},
	{AF_INET, "169.254.0.0", 16, "169.254.0.0/16 (link-local, cloud metadata)"},
	{AF_INET, "172.16.0.0", 12, "172.16.0.0/12 (private)"},
	{AF_INET, "192.0.0.0", 24, "192.0.0.0/24 (IETF protocol assignments)"},
	{AF_INET, "192.0.2.0", 24, "192.0.2.0/24 (documentation)"},
	{AF_INET, "192.88.99.0", 24, "192.88.99.0/24 (6to4 relay anycast, deprecated)"},
	{AF_INET, "192.168.0.0", 16, "192.168.0.0/16 (private)"},
	{AF_INET, "198.18.0.0", 15, "198.18.0.0/15 (benchmarking)"},
	{AF_INET, "198.51.100.0", 24, "198.51.100.0/24 (documentation)"},
	{AF_INET, "203.0.113.0", 24, "203.0.113.0/24 (documentation)"},
	{AF_INET, "224.0.0.0", 4, "224.0.0.0/4 (multicast)"},
	{AF_INET, "240.0.0.0", 4, "240.0.0.0/4 (reserved)"},
	{AF_INET6, "::", 128, ":: (unspecified)"},
	{AF_INET6, "::1", 128, "::1 (loopback)"},
	{AF_INET6, "::", 96, "::/96 (IPv4-compatible)"},
	{AF_INET6, "::ffff:0:0", 96, "::ffff:0:0/96 (IPv4-mapped)"},
	{AF_INET6, "64:ff9b::", 96, "64:ff9b::/96 (IPv4 through NAT64)"},
	{AF_INET6, "64:ff9b:1::", 48, "64:ff9b:1::/48 (local-use NAT64)"},
	{AF_INET6, "100::", 64, "100::/64 (discard-only)"},
	{AF_INET6, "100:0:0:1::", 64, "100:0:0:1::/64 (dummy prefix)"},
	{AF_INET6, "2001::", 23, "2001::/23 (IETF protocol assignments, Teredo)"},
	{AF_INET6, "2001:db8::", 32, "2001:db8::/32 (documentation)"},
	{AF_INET6, "2002::", 16, "2002::/16 (6to4)"},
	{AF_INET6, "3fff::", 20, "3fff::/20 (documentation)"},
	{AF_INET6, "5f00::", 16, "5f00::/16 (segment routing)"},
	{AF_INET6, "fc00::", 7, "fc00::/7 (unique local)"},
	{AF_INET6, "fe80::", 10, "fe80::/10 (link-local)"},
	{AF_INET6, "fec0::", 10, "fec0::/10 (site-local, deprecated)"},
	{AF_INET6, "ff00::", 8, "ff00::/8 (multicast)"},
};
#define NDENIED (sizeof DENIED / sizeof DENIED[0])

static bool
in_prefix(const unsigned char *a, const unsigned char *net, unsigned prefix)
{
	unsigned whole = prefix / 8, rest = prefix % 8;
	if (memcmp(a, net, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (a[whole] & mask) == (net[whole] & mask);
}

/* The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4), if any. */
static bool
embedded_v4(const unsigned char *a6, unsigned char *a4)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff};
	static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b};
	if (memcmp(a6, mapped, 12) == 0 || memcmp(a6, nat64, 12) == 0) {
		memcpy(a4, a6 + 12, 4);
		return true;
	}
	if (a6[0] == 0x20 && a6[1] == 0x02) {
		memcpy(a4, a6 + 2, 4);
		return true;
	}
	return false;
}

static bool
allowed(const struct addr_policy *p, int family, const unsigned char *a)
{
	for (size_t i = 0; i < p->nallow; i++)
		if (p->allow[i].family == family &&
		    in_prefix(a, p->allow[i].net, p->allow[i].prefix))
			return true;
	return false;
}

static const char *
judge(const struct addr_policy *p, int family, const unsigned char *a)
{
	unsigned char v4[4];
	if (allowed(p, family, a))
		return NULL;
	/* A wrapped allowlisted IPv4 address is that address. */
	if (family == AF_INET6 && embedded_v4(a, v4) && allowed(p, AF_INET, v4))
		return NULL;
	for (size_t i = 0; i < NDENIED; i++) {
		unsigned char net[16];
		if (DENIED[i].family != family)
			continue;
		if (inet_pton(family, DENIED[i].net, net) != 1)
			continue;
		if (in_prefix(a, net, DENIED[i].prefix))
			return DENIED[i].name;
	}
	return NULL;
}

const char *
addr_policy_denied(const struct addr_policy *p, const struct sockaddr *sa)
{
	if (!sa)
		return "no address";
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		return judge(p, AF_INET, (const unsigned char *)&in->sin_addr);
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		return judge(p, AF_INET6, in6->sin6_addr.s6_addr);
	}
	return "not an internet address";
}

const char *
addr_policy_denied_text(const struct addr_policy *p, const char *text,
    bool *is_addr)
{
	unsigned char a[16];
	*is_addr = true;
	if (inet_pton(AF_INET, text, a) == 1)
		return judge(p, AF_INET, a);
	if (inet_pton(AF_INET6, text, a) == 1)
		return judge(p, AF_INET6, a);
	*is_addr = false;
	return NULL;
}

static cb_err
parse_one(const char *tok, struct addr_range *r, char *why, size_t whylen)
{
	char addr[64];
	const char *slash = strchr(tok, '/');
	size_t n = slash ? (size_t)(slash - tok) : strlen(tok);
	if (n == 0 || n >= sizeof addr)
		goto bad;
	memcpy(addr, tok, n);
	addr[n] = '\0';
	memset(r, 0, sizeof *r);
	if (inet_pton(AF_INET, addr, r->net) == 1)
		r->family = AF_INET;
	else if (inet_pton(AF_INET6, addr, r->net) == 1)
		r->family = AF_INET6;
	else
		goto bad;
	unsigned max = r->family == AF_INET ? 32 : 128;
	r->prefix = max;
	if (slash) {
		char *end;
		long v = strtol(slash + 1, &end, 10);
		if (end == slash + 1 || *end || v < 0 || v > (long)max)
			goto bad;
		r->prefix = (unsigned)v;
	}
	return CB_OK;
bad:
	snprintf(why, whylen, "\"%s\" is not an address or address/prefix", tok);
	return CB_EINVAL;
}

cb_err
addr_policy_parse(const char *text, struct addr_policy *out, char *why,
    size_t whylen)
{
	char tok[80];
	memset(out, 0, sizeof *out);
	for (const char *s = text; *s;) {
		while (*s == ' ' || *s == ',' || *s == '\t')
			s++;
		if (!*s)
			break;
		size_t n = strcspn(s, " ,\t");
		if (n >= sizeof tok) {
			snprintf(why, whylen, "an entry is too long");
			return CB_EINVAL;
		}
		memcpy(tok, s, n);
		tok[n] = '\0';
		s += n;
		if (out->nallow == ADDR_ALLOW_MAX) {
			snprintf(why, whylen, "at most %d entries", ADDR_ALLOW_MAX);
			return CB_EINVAL;
		}
		cb_err e = parse_one(tok, &out->allow[out->nallow], why, whylen);
		if (e != CB_OK)
			return e;
		out->nallow++;
	}
	return CB_OK;
}

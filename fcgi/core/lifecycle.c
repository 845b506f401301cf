/* lifecycle.c — see lifecycle.h. */
#include <stdio.h>
#include <string.h>

#include "core/lifecycle.h"

const char *const pay_status_names[] = {"pendiente", "validado", "rechazado",
    "en_proceso_ach", "conciliado", "aplicado", "cancelado", "reversado", NULL};

static const bool allowed[PS_COUNT][PS_COUNT] = {
	[PS_PENDIENTE] = {[PS_VALIDADO] = true, [PS_RECHAZADO] = true,
	    [PS_CANCELADO] = true},
	/* A client may withdraw a voucher the bank has not yet confirmed, and
	 * one a person rejected (seed 002's cancel of PENDING and INVALID). */
	[PS_VALIDADO] = {[PS_EN_PROCESO_ACH] = true, [PS_CONCILIADO] = true,
	    [PS_RECHAZADO] = true, [PS_CANCELADO] = true},
	[PS_RECHAZADO] = {[PS_CANCELADO] = true},
	[PS_EN_PROCESO_ACH] = {[PS_CONCILIADO] = true, [PS_RECHAZADO] = true},
	[PS_CONCILIADO] = {[PS_APLICADO] = true},
	[PS_APLICADO] = {[PS_REVERSADO] = true},
};

enum pay_status
pay_status_parse(const char *s)
{
	for (int i = 0; s && i < PS_COUNT; i++)
		if (strcmp(pay_status_names[i], s) == 0)
			return (enum pay_status)i;
	return PS_NONE;
}

const char *
pay_status_name(enum pay_status s)
{
	return s >= 0 && s < PS_COUNT ? pay_status_names[s] : "";
}

bool
pay_transition_allowed(enum pay_status from, enum pay_status to)
{
	if (from < 0 || from >= PS_COUNT || to < 0 || to >= PS_COUNT)
		return false;
	return allowed[from][to];
}

size_t
pay_status_sources(enum pay_status to, enum pay_status *out, size_t max)
{
	size_t n = 0;
	for (int f = 0; f < PS_COUNT && n < max; f++)
		if (pay_transition_allowed((enum pay_status)f, to))
			out[n++] = (enum pay_status)f;
	return n;
}

void
pay_status_targets_text(enum pay_status from, char *out, size_t outlen)
{
	size_t used = 0;
	out[0] = '\0';
	for (int t = 0; t < PS_COUNT; t++)
		if (pay_transition_allowed(from, (enum pay_status)t) && used < outlen)
			used += (size_t)snprintf(out + used, outlen - used, "%s%s",
			    used ? ", " : "", pay_status_names[t]);
}

bool
pay_transition_needs_reason(enum pay_status to)
{
	return to == PS_RECHAZADO || to == PS_CANCELADO || to == PS_REVERSADO;
}

/* webhook_events.c — see webhook_events.h. */
#include <string.h>

#include "core/webhook_events.h"

const char *const webhook_event_types[] = {
	"payment.created", "payment.ocr_completed", "payment.needs_review",
	"payment.validated", "payment.rejected", "payment.reconciled",
	"payment.unreconciled", "payment.applied", "payment.canceled",
	"payment.reversed", "payment.status_changed", NULL,
};

static const char *const callback_types[] = {
	"payment.validated", "payment.rejected", "payment.reconciled", NULL,
};

static bool
in(const char *const *list, const char *type)
{
	for (; *list; list++)
		if (strcmp(*list, type) == 0)
			return true;
	return false;
}

bool
webhook_event_known(const char *type)
{
	return in(webhook_event_types, type);
}

bool
webhook_event_is_callback(const char *type)
{
	return in(callback_types, type);
}

/*
 * webhook_events.h — the event types a client can subscribe to (written by
 * the outbox triggers of sql/010_webhooks.sql: keep the two in step), and
 * which of them reach a payment's own webhook URL (seed 002 calls it "when
 * a payment is validated or invalidated").
 */
#ifndef CB_WEBHOOK_EVENTS_H
#define CB_WEBHOOK_EVENTS_H

#include <stdbool.h>

extern const char *const webhook_event_types[]; /* NULL-terminated */

bool webhook_event_known(const char *type);
/* Sent to a payment's own webhook URL too. */
bool webhook_event_is_callback(const char *type);

#endif

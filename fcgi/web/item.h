/*
 * item.h — the review item page as the decision handler shows it again:
 * after a refused decision (stale version, invalid correction, missing
 * reason) the reviewer sees the current values, what they entered and why
 * it was refused.
 */
#ifndef CB_WEB_ITEM_H
#define CB_WEB_ITEM_H

#include <json-c/json.h>

#include "http/request.h"
#include "store/payments.h"
#include "store/sessions.h"

struct item_outcome {
	int status;               /* HTTP status; 0 = 200 */
	json_object *notice;      /* borrowed {"cls", "text"}, or NULL */
	json_object *errors;      /* borrowed problem errors for the inputs */
	const char *form;         /* borrowed: the submitted form, to refill */
	const char *reject_error; /* catalogue key, or NULL */
};

/* Renders the item page for row (claiming it when still decidable). */
void web_item_show(struct http_req *req, const struct session *s,
    const struct payment_row *row, const struct item_outcome *o);

/* The notice ?done={id}&decision={approved|corrected|rejected|skipped}
 * asks for after a decision's redirect (a new object), or NULL. */
json_object *web_decided_notice(struct http_req *req);

#endif

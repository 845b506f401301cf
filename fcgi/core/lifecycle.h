/*
 * lifecycle.h — a payment's statuses (seed 000's Spanish values) and the
 * transitions between them.  The one table here is what the API enforces
 * and what its 409 answers list.
 *
 *   pendiente → validado | rechazado | cancelado
 *   validado → en_proceso_ach | conciliado | rechazado | cancelado
 *   en_proceso_ach → conciliado | rechazado
 *   conciliado → aplicado
 *   aplicado → reversado        (undoes the invoice application)
 *   rechazado → cancelado       (its client withdraws it)
 *   cancelado, reversado: final
 */
#ifndef CB_LIFECYCLE_H
#define CB_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>

enum pay_status {
	PS_NONE = -1,
	PS_PENDIENTE,
	PS_VALIDADO,
	PS_RECHAZADO,
	PS_EN_PROCESO_ACH,
	PS_CONCILIADO,
	PS_APLICADO,
	PS_CANCELADO,
	PS_REVERSADO,
	PS_COUNT
};

enum pay_status pay_status_parse(const char *s);
const char *pay_status_name(enum pay_status s);
bool pay_transition_allowed(enum pay_status from, enum pay_status to);
/* Statuses from which `to` may be reached, e.g. for a SQL IN list. */
size_t pay_status_sources(enum pay_status to, enum pay_status *out, size_t max);
/* "validado, rechazado, cancelado" into out; "" for a final status. */
void pay_status_targets_text(enum pay_status from, char *out, size_t outlen);
/* A reason is required to reject, cancel or reverse. */
bool pay_transition_needs_reason(enum pay_status to);
/* Every status name, for validation messages and filters. */
extern const char *const pay_status_names[];

#endif

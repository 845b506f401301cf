/*
 * ownership.h — the one rule of who sees and changes what.
 *
 * Every object a client makes (payments, customers and their invoices,
 * beneficiaries, webhook endpoints, deliveries, idempotency records) has an
 * owner: the api_keys.id of the client key that made it.  A client key sees
 * and changes only its own; an object it may not see does not exist for it
 * (404, never 403, so that ids are no oracle).  Admins see everything, and
 * so do reviewers, whose work is everybody's queue; what each role may *do*
 * is the route's role mask.  Bank accounts may be given to one client by an
 * admin; an account given to nobody is shared, like the bank registry and
 * the currencies.
 */
#ifndef CB_OWNERSHIP_H
#define CB_OWNERSHIP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/role.h"

/* The owner whose rows p's listings and lookups are limited to: 0 means
 * every owner's (admin, reviewer).  A client with no key (cannot happen
 * for an authenticated route) gets -1, which owns nothing. */
int64_t owner_scope(const struct principal *p);

/* May p see (and, within its role, change) an object owned by `owner`? */
bool owner_sees(const struct principal *p, int64_t owner);

/* The same for an object that may be shared: owner 0 is everybody's. */
bool owner_sees_shared(const struct principal *p, int64_t owner);

#endif

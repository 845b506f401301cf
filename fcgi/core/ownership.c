/* ownership.c — see ownership.h. */
#include "core/ownership.h"

int64_t
owner_scope(const struct principal *p)
{
	if (p->role == ROLE_ADMIN || p->role == ROLE_REVIEWER)
		return 0;
	return p->role == ROLE_CLIENT && p->key_id > 0 ? p->key_id : -1;
}

bool
owner_sees(const struct principal *p, int64_t owner)
{
	int64_t s = owner_scope(p);
	return s == 0 || (s > 0 && s == owner);
}

bool
owner_sees_shared(const struct principal *p, int64_t owner)
{
	return owner == 0 ? owner_scope(p) >= 0 : owner_sees(p, owner);
}

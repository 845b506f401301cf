/*
 * role.h — who may do what.  A principal is an API key or a signed-in user;
 * routes declare the set of roles they admit as a bit mask.
 */
#ifndef CB_ROLE_H
#define CB_ROLE_H

#include <stdbool.h>
#include <stdint.h>

enum role {
	ROLE_NONE = 0,
	ROLE_ADMIN = 1u << 0,
	ROLE_CLIENT = 1u << 1,
	ROLE_REVIEWER = 1u << 2,
};
#define ROLE_ANY (ROLE_ADMIN | ROLE_CLIENT | ROLE_REVIEWER)

struct principal {
	enum role role;     /* ROLE_NONE when anonymous */
	int64_t key_id;     /* api_keys.id, 0 if none */
	int64_t user_id;    /* users.id of a signed-in reviewer, 0 if none */
	char name[101];     /* the key's or the user's name, for logs */
	/* A seed 001 JWT's claims (account payments): "" when none. */
	char subject[65];   /* sub: who registered a payment (paidById) */
	char scope[12];     /* role claim: ADMIN, VENTANA or VENDEDOR */
	char ventana_id[65];
	char vendedor_id[65];
};

/* "admin" → ROLE_ADMIN …; ROLE_NONE for an unknown name. */
enum role role_parse(const char *name);
/* Static string; "" for ROLE_NONE. */
const char *role_name(enum role r);

#endif

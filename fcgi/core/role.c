/* role.c — see role.h. */
#include <string.h>

#include "core/role.h"

static const struct {
	enum role role;
	const char *name;
} roles[] = {
	{ROLE_ADMIN, "admin"},
	{ROLE_CLIENT, "client"},
	{ROLE_REVIEWER, "reviewer"},
};

enum role
role_parse(const char *name)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (name && strcmp(name, roles[i].name) == 0)
			return roles[i].role;
	return ROLE_NONE;
}

const char *
role_name(enum role r)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (roles[i].role == r)
			return roles[i].name;
	return "";
}

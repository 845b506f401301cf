/* fuzz_router.c — libFuzzer target for path routing (http/router.c) over
 * the real route table shape. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void h(struct http_req *r) { (void)r; }

static const struct route routes[] = {
	{"GET", "/healthz", h, 0, NULL, ACCESS_PUBLIC},
	{"GET", "/api/api-keys", h, 0, NULL, ACCESS_PUBLIC},
	{"POST", "/api/api-keys", h, 0, NULL, ACCESS_PUBLIC},
	{"DELETE", "/api/api-keys/{id}", h, 0, NULL, ACCESS_PUBLIC},
	{"GET", "/api/payments/{id}/history", h, 0, NULL, ACCESS_PUBLIC},
	{"GET", "/a/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}", h, 0, NULL, ACCESS_PUBLIC},
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *methods[] = {"GET", "POST", "DELETE", "HEAD"};
	const struct route *rt;
	struct route_params p;
	char allow[96];
	char *path = malloc(size + 1);
	if (!path || size == 0) {
		free(path);
		return 0;
	}
	memcpy(path, data + 1, size - 1);
	path[size - 1] = '\0';
	enum route_result r = router_match(routes, sizeof routes / sizeof routes[0],
	    methods[data[0] & 3], path, &rt, &p, allow, sizeof allow);
	if (r == ROUTE_OK)
		for (unsigned i = 0; i < p.n; i++)
			if (strlen(p.p[i].value) > ROUTE_PATH_MAX)
				abort();
	free(path);
	return 0;
}

/* jwt_auth.c — see jwt_auth.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "crypto/jwt.h"
#include "http/response.h"
#include "server/jwt_auth.h"
#include "util/log.h"

static const char WWW_AUTH_JWT[] =
    "WWW-Authenticate: Bearer realm=\"comprobar\", error=\"invalid_token\"\r\n";

static void
claim(json_object *claims, const char *k, char *out, size_t len)
{
	json_object *v;
	out[0] = '\0';
	if (json_object_object_get_ex(claims, k, &v) &&
	    (json_object_is_type(v, json_type_string) ||
	        json_object_is_type(v, json_type_int)))
		snprintf(out, len, "%s", json_object_get_string(v));
}

static bool
refuse(struct http_req *req, const char *detail)
{
	struct problem p;
	problem_init(&p, 401, "unauthorized", "Unauthorized", detail);
	http_send_problem(req, &p, WWW_AUTH_JWT);
	return false;
}

bool
jwt_authenticate(struct http_req *req)
{
	const struct config *cfg = req->cfg;
	const char *h = http_header(req, "Authorization");
	char why[200];
	json_object *claims = NULL;

	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return refuse(req, "send a token as: Authorization: Bearer <JWT>");
	if (!req->jwt)
		return refuse(req, "the token was not accepted");
	const char *token = h + 7;
	while (*token == ' ')
		token++;
	struct jwt_rules r = {.issuer = cfg->jwt_issuer,
	    .audience = cfg->jwt_audience, .leeway = cfg->jwt_leeway_seconds,
	    .max_lifetime = cfg->jwt_max_lifetime,
	    .now = time(NULL)};
	if (jwt_verify(token, req->jwt, &r, &claims, why, sizeof why) != CB_OK) {
		log_info("rid=%s: token refused: %s", req->request_id, why);
		return refuse(req, "the token was not accepted");
	}
	struct principal *w = &req->who;
	claim(claims, "sub", w->subject, sizeof w->subject);
	claim(claims, "role", w->scope, sizeof w->scope);
	claim(claims, "ventanaId", w->ventana_id, sizeof w->ventana_id);
	claim(claims, "vendedorId", w->vendedor_id, sizeof w->vendedor_id);
	snprintf(w->name, sizeof w->name, "jwt:%.60s", w->subject);
	json_object_put(claims);
	if (strcmp(w->scope, "ADMIN") && strcmp(w->scope, "VENTANA") &&
	    strcmp(w->scope, "VENDEDOR")) {
		log_info("rid=%s: token refused: unknown role claim", req->request_id);
		return refuse(req, "the token was not accepted");
	}
	return true;
}

/* jwt_auth.c — see jwt_auth.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "crypto/jwt.h"
#include "http/response.h"
#include "server/jwt_auth.h"
#include "util/codec.h"
#include "util/log.h"

#define PEM_MAX 16384

static const char WWW_AUTH_JWT[] =
    "WWW-Authenticate: Bearer realm=\"comprobar\", error=\"invalid_token\"\r\n";

/* The PEM file (small, page-cached) read into buf; "" when none. */
static void
read_pem(const char *path, char *buf, size_t len)
{
	buf[0] = '\0';
	if (!path || !*path)
		return;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_error("jwt: cannot open %s: %s", path, strerror(errno));
		return;
	}
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
}

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
	unsigned char secret[512];
	size_t slen = 0;
	char pem[PEM_MAX], why[200];
	json_object *claims = NULL;

	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return refuse(req, "send a token as: Authorization: Bearer <JWT>");
	const char *token = h + 7;
	while (*token == ' ')
		token++;
	const char *sec = cfg->jwt_hs256_secret;
	if (sec && *sec && (base64url_decode(sec, strlen(sec), secret,
	    sizeof secret, &slen) != CB_OK || slen < 32)) {
		log_error("jwt: [jwt] hs256_secret must be base64url of at least 32"
		    " bytes; HS256 tokens are refused");
		slen = 0;
	}
	read_pem(cfg->jwt_rs256_public_key_file, pem, sizeof pem);
	struct jwt_keys k = {.hs256 = slen ? secret : NULL, .hs256_len = slen,
	    .hs256_kid = cfg->jwt_hs256_kid, .rs256_pem = pem[0] ? pem : NULL,
	    .rs256_kid = cfg->jwt_rs256_kid};
	struct jwt_rules r = {.issuer = cfg->jwt_issuer,
	    .audience = cfg->jwt_audience, .leeway = cfg->jwt_leeway_seconds,
	    .now = time(NULL)};
	cb_err e = jwt_verify(token, &k, &r, &claims, why, sizeof why);
	explicit_bzero(secret, sizeof secret);
	if (e != CB_OK) {
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

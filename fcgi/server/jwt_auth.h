/*
 * jwt_auth.h — seed 001's callers: a JWT Bearer token verified with the
 * keys of [jwt] (crypto/jwt.h), its claims put into req->who (sub, role,
 * ventanaId, vendedorId).  Any failure is a 401 whose body says only that
 * the token was not accepted; the reason goes to the log.
 */
#ifndef CB_JWT_AUTH_H
#define CB_JWT_AUTH_H

#include <stdbool.h>

#include "http/request.h"

/* true when the request may go on; false after answering. */
bool jwt_authenticate(struct http_req *req);

#endif

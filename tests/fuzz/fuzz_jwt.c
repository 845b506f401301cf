/* fuzz_jwt.c — libFuzzer target for JWT verification (crypto/jwt.c): any
 * bytes as a token against an HS256 key; nothing must crash, and a token
 * that passes must carry an object of claims. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/jwt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char key[32] = "0123456789abcdef0123456789abcdef";
	char tok[JWT_MAX_BYTES + 2], why[200];
	json_object *claims = NULL;
	if (size > JWT_MAX_BYTES + 1)
		return 0;
	memcpy(tok, data, size);
	tok[size] = '\0';
	struct jwt_keys k = {.hs256 = key, .hs256_len = sizeof key};
	struct jwt_rules r = {.issuer = "i", .audience = "a", .leeway = 30,
	    .now = 1700000000};
	if (jwt_verify(tok, &k, &r, &claims, why, sizeof why) == CB_OK &&
	    !json_object_is_type(claims, json_type_object))
		abort();
	json_object_put(claims);
	return 0;
}

/* err.c — one string per cb_err, for logs and CLI messages. */
#include "util/err.h"

const char *
cb_strerror(cb_err e)
{
	switch (e) {
	case CB_OK: return "ok";
	case CB_ENOMEM: return "out of memory";
	case CB_ETOOBIG: return "too big";
	case CB_EINVAL: return "invalid input";
	case CB_EIO: return "input/output error";
	case CB_ENOTFOUND: return "not found";
	case CB_EEXIST: return "already exists";
	case CB_EUNAVAILABLE: return "database unavailable";
	case CB_EDB: return "database error";
	case CB_ECONFLICT: return "conflict";
	}
	return "unknown error";
}

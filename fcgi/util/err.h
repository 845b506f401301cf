/*
 * err.h — the error type shared by util, crypto, conf and store.
 *
 * Every function that can fail returns a cb_err; CB_OK is zero so that
 * `if ((e = f()) != CB_OK) goto out;` reads naturally.  The HTTP layer maps
 * these to statuses in exactly one place (http/problem.c).
 */
#ifndef CB_ERR_H
#define CB_ERR_H

typedef enum {
	CB_OK = 0,
	CB_ENOMEM,       /* allocation failed */
	CB_ETOOBIG,      /* a declared maximum was exceeded */
	CB_EINVAL,       /* malformed input */
	CB_EIO,          /* read/write/system call failed */
	CB_ENOTFOUND,    /* no such row / key / file */
	CB_EEXIST,       /* unique key already taken */
	CB_EUNAVAILABLE, /* database unreachable: retry later */
	CB_EDB,          /* database answered with an error */
	CB_ECONFLICT,    /* state changed under us */
} cb_err;

/* Static, never NULL. */
const char *cb_strerror(cb_err e);

#endif

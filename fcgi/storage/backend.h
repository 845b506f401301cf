/*
 * backend.h — what a storage backend implements (storage.c dispatches to
 * it after validating keys).  Only storage.c and the backends include this.
 */
#ifndef CB_STORAGE_BACKEND_H
#define CB_STORAGE_BACKEND_H

#include "storage/storage.h"

struct storage_ops {
	cb_err (*put)(void *impl, const char *key, const void *head, size_t len,
	    int fd);
	cb_err (*open)(void *impl, const char *key, int *fd, off_t *size);
	cb_err (*remove)(void *impl, const char *key);
	cb_err (*list)(void *impl, const char *dir,
	    cb_err (*fn)(const char *, const char *, time_t, void *), void *arg);
	cb_err (*remove_tmp)(void *impl, const char *dir, const char *tmpname);
	void (*free)(void *impl);
};

/* Takes ownership of impl. */
cb_err storage_wrap(const struct storage_ops *ops, void *impl,
    struct storage **out);

#endif

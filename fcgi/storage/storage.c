/* storage.c — see storage.h: key validation, then the backend. */
#include <stdlib.h>
#include <string.h>

#include "storage/backend.h"

struct storage {
	const struct storage_ops *ops;
	void *impl;
};

cb_err
storage_wrap(const struct storage_ops *ops, void *impl, struct storage **out)
{
	struct storage *s = malloc(sizeof *s);
	if (!s) {
		ops->free(impl);
		return CB_ENOMEM;
	}
	s->ops = ops;
	s->impl = impl;
	*out = s;
	return CB_OK;
}

void
storage_free(struct storage *s)
{
	if (s) {
		s->ops->free(s->impl);
		free(s);
	}
}

bool
storage_key_valid(const char *key)
{
	size_t n = key ? strlen(key) : 0;
	if (n == 0 || n > STORAGE_KEY_MAX || key[0] == '/' || key[n - 1] == '/')
		return false;
	for (const char *seg = key; *seg;) {
		size_t len = strcspn(seg, "/");
		if (len == 0 || (len == 1 && seg[0] == '.') ||
		    (len == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)seg[i] < 0x20 || seg[i] == 0x7f)
				return false;
		seg += len;
		if (*seg == '/')
			seg++;
	}
	/* Temporary files are the backend's: never a key. */
	const char *base = strrchr(key, '/');
	base = base ? base + 1 : key;
	return strncmp(base, ".tmp-", 5) != 0;
}

cb_err
storage_put(struct storage *s, const char *key, const void *head, size_t len,
    int fd)
{
	if (!storage_key_valid(key))
		return CB_EINVAL;
	return s->ops->put(s->impl, key, head, len, fd);
}

cb_err
storage_open(struct storage *s, const char *key, int *fd, off_t *size)
{
	if (!storage_key_valid(key))
		return CB_EINVAL;
	return s->ops->open(s->impl, key, fd, size);
}

cb_err
storage_remove(struct storage *s, const char *key)
{
	if (!storage_key_valid(key))
		return CB_EINVAL;
	return s->ops->remove(s->impl, key);
}

cb_err
storage_list(struct storage *s, const char *dir,
    cb_err (*fn)(const char *, const char *, time_t, void *), void *arg)
{
	if (!storage_key_valid(dir))
		return CB_EINVAL;
	return s->ops->list(s->impl, dir, fn, arg);
}

cb_err
storage_remove_tmp(struct storage *s, const char *dir, const char *tmpname)
{
	if (!storage_key_valid(dir) || strncmp(tmpname, ".tmp-", 5) != 0 ||
	    strchr(tmpname, '/'))
		return CB_EINVAL;
	return s->ops->remove_tmp(s->impl, dir, tmpname);
}

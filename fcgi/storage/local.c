/*
 * local.c — the local-directory storage backend.
 *
 * A put writes "<dir>/.tmp-XXXXXX" (mkstemp, 0640), fsyncs it, links it to
 * its final name with linkat (which, unlike rename, refuses to replace an
 * existing object), unlinks the temporary name and fsyncs the directory, so
 * that after a crash a key either exists complete or not at all.  Paths are
 * opened relative to the root's descriptor with O_NOFOLLOW.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/backend.h"
#include "util/log.h"

struct local {
	int root;                 /* owned O_PATH|O_DIRECTORY descriptor */
};

static cb_err
mkdirs(int root, const char *dir)
{
	char path[STORAGE_KEY_MAX + 1];
	snprintf(path, sizeof path, "%s", dir);
	for (char *p = path;; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = '\0';
			if (mkdirat(root, path, 0750) != 0 && errno != EEXIST)
				return CB_EIO;
			if (c == '\0')
				return CB_OK;
			*p = c;
		}
	}
}

/* Splits key into its directory (may be "") and base name. */
static void
split(const char *key, char *dir, size_t dlen, const char **base)
{
	const char *slash = strrchr(key, '/');
	if (!slash) {
		snprintf(dir, dlen, ".");
		*base = key;
	} else {
		snprintf(dir, dlen, "%.*s", (int)(slash - key), key);
		*base = slash + 1;
	}
}

static cb_err
write_all(int fd, const void *d, size_t n)
{
	const char *p = d;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return CB_EIO;
		p += w;
		n -= (size_t)w;
	}
	return CB_OK;
}

static cb_err
copy_fd(int out, int in)
{
	char buf[65536];
	off_t off = 0;
	for (;;) {
		ssize_t r = pread(in, buf, sizeof buf, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return CB_EIO;
		if (r == 0)
			return CB_OK;
		cb_err e = write_all(out, buf, (size_t)r);
		if (e != CB_OK)
			return e;
		off += r;
	}
}

static cb_err
local_put(void *impl, const char *key, const void *head, size_t len, int fd)
{
	struct local *l = impl;
	char dir[STORAGE_KEY_MAX + 1], tmp[STORAGE_KEY_MAX + 32];
	const char *base;
	cb_err e;
	split(key, dir, sizeof dir, &base);
	if (strcmp(dir, ".") != 0 && (e = mkdirs(l->root, dir)) != CB_OK)
		return e;
	int dfd = openat(l->root, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (dfd < 0)
		return CB_EIO;
	int out = -1;
	for (int tries = 0; tries < 16 && out < 0; tries++) {
		unsigned char r[6];
		static const char al[] = "abcdefghijklmnopqrstuvwxyz0123456789";
		if (getentropy(r, sizeof r) != 0) {
			close(dfd);
			return CB_EIO;
		}
		snprintf(tmp, sizeof tmp, ".tmp-%c%c%c%c%c%c", al[r[0] % 36],
		    al[r[1] % 36], al[r[2] % 36], al[r[3] % 36], al[r[4] % 36],
		    al[r[5] % 36]);
		out = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0640);
		if (out < 0 && errno != EEXIST)
			break;
	}
	if (out < 0) {
		close(dfd);
		return CB_EIO;
	}
	e = len ? write_all(out, head, len) : CB_OK;
	if (e == CB_OK && fd >= 0)
		e = copy_fd(out, fd);
	if (e == CB_OK && fsync(out) != 0)
		e = CB_EIO;
	if (close(out) != 0 && e == CB_OK)
		e = CB_EIO;
	if (e == CB_OK && linkat(dfd, tmp, dfd, base, 0) != 0)
		e = errno == EEXIST ? CB_EEXIST : CB_EIO;
	unlinkat(dfd, tmp, 0);
	if (e == CB_OK && fsync(dfd) != 0)
		e = CB_EIO;
	close(dfd);
	return e;
}

static cb_err
local_open(void *impl, const char *key, int *fd, off_t *size)
{
	struct local *l = impl;
	struct stat st;
	int f = openat(l->root, key, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (f < 0)
		return errno == ENOENT ? CB_ENOTFOUND : CB_EIO;
	if (fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(f);
		return CB_ENOTFOUND;
	}
	*fd = f;
	*size = st.st_size;
	return CB_OK;
}

static cb_err
remove_at(int root, const char *path)
{
	char dir[STORAGE_KEY_MAX + 1];
	const char *base;
	split(path, dir, sizeof dir, &base);
	if (unlinkat(root, path, 0) != 0)
		return errno == ENOENT ? CB_OK : CB_EIO;
	int dfd = openat(root, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return CB_OK;
}

static cb_err
local_remove(void *impl, const char *key)
{
	return remove_at(((struct local *)impl)->root, key);
}

static cb_err
local_remove_tmp(void *impl, const char *dir, const char *tmpname)
{
	char path[STORAGE_KEY_MAX + 64];
	snprintf(path, sizeof path, "%s/%s", dir, tmpname);
	return remove_at(((struct local *)impl)->root, path);
}

static cb_err
local_list(void *impl, const char *dir,
    cb_err (*fn)(const char *, const char *, time_t, void *), void *arg)
{
	struct local *l = impl;
	int dfd = openat(l->root, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ? CB_OK : CB_EIO;
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return CB_EIO;
	}
	cb_err e = CB_OK;
	struct dirent *de;
	char key[STORAGE_KEY_MAX + 1];
	while (e == CB_OK && (de = readdir(d))) {
		struct stat st;
		if (de->d_name[0] == '.' && strncmp(de->d_name, ".tmp-", 5) != 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (strncmp(de->d_name, ".tmp-", 5) == 0) {
			e = fn(NULL, de->d_name, st.st_mtime, arg);
			continue;
		}
		if ((size_t)snprintf(key, sizeof key, "%s/%s", dir, de->d_name) >=
		    sizeof key)
			continue;
		e = fn(key, NULL, st.st_mtime, arg);
	}
	closedir(d);
	return e;
}

static void
local_free(void *impl)
{
	struct local *l = impl;
	if (l) {
		close(l->root);
		free(l);
	}
}

static const struct storage_ops local_ops = {
	local_put, local_open, local_remove, local_list, local_remove_tmp,
	local_free,
};

cb_err
storage_local_new(const char *root, struct storage **out)
{
	if (!root || root[0] != '/')
		return CB_EINVAL;
	if (mkdir(root, 0750) != 0 && errno != EEXIST) {
		log_error("storage: cannot create %s: %s", root, strerror(errno));
		return CB_EIO;
	}
	struct local *l = malloc(sizeof *l);
	if (!l)
		return CB_ENOMEM;
	l->root = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (l->root < 0) {
		log_error("storage: cannot open %s: %s", root, strerror(errno));
		free(l);
		return CB_EIO;
	}
	return storage_wrap(&local_ops, l, out);
}

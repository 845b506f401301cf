/*
 * storage.h — where receipt documents live, behind a small interface so
 * that a backend other than the local directory (an object store) can be
 * added without touching callers.
 *
 * Keys are relative paths such as "payments/documents/42-recibo.pdf"
 * (seed 000's layout): no leading '/', no "." or ".." segment, no empty
 * segment.  A put is atomic: readers see the whole old object or the whole
 * new one, never a part, and a crash leaves at most a stray temporary file
 * (removed by the janitor, jobs/janitor.c).
 */
#ifndef CB_STORAGE_H
#define CB_STORAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "util/err.h"

#define STORAGE_KEY_MAX 400

struct storage;

/* The local-directory backend rooted at root (created if missing, 0750). */
cb_err storage_local_new(const char *root, struct storage **out);
void storage_free(struct storage *s);

/* Stores len bytes of head followed by everything readable from fd (from
 * its offset 0; fd -1 for none) under key, replacing nothing: CB_EEXIST if
 * the key is taken. */
cb_err storage_put(struct storage *s, const char *key, const void *head,
    size_t len, int fd);
/* Opens key for reading; *fd owned by the caller.  CB_ENOTFOUND if absent. */
cb_err storage_open(struct storage *s, const char *key, int *fd, off_t *size);
/* CB_OK also when the key was already absent. */
cb_err storage_remove(struct storage *s, const char *key);
/* Calls fn for every object under dir (a key prefix ending in a segment),
 * and for every temporary file (key NULL, name given) so the janitor can
 * judge them by age.  Stops at fn's first error. */
cb_err storage_list(struct storage *s, const char *dir,
    cb_err (*fn)(const char *key, const char *tmpname, time_t mtime, void *arg),
    void *arg);
/* Removes a temporary file storage_list reported. */
cb_err storage_remove_tmp(struct storage *s, const char *dir,
    const char *tmpname);

/* true for a well-formed key (see above). */
bool storage_key_valid(const char *key);

#endif

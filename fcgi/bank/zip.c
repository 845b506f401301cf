/* zip.c — see zip.h.  libarchive reads the archive as a stream: only
 * the zip format, no other filters, so nothing but a zip is opened. */
#include <stdio.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "bank/zip.h"

bool
zip_sniff(const char *head, size_t n)
{
	return n >= 4 && head[0] == 'P' && head[1] == 'K' &&
	    ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
}

struct zip_stream {
	struct archive *a;
	long long left;         /* bytes the files may still inflate to */
	bool over;
	bool broken;
};

static long
zip_read(void *ctx, char *buf, size_t len)
{
	struct zip_stream *z = ctx;
	if (z->left <= 0) {
		/* One byte more tells a file that ends here from one that does
		 * not. */
		char one;
		la_ssize_t n = archive_read_data(z->a, &one, 1);
		if (n > 0)
			z->over = true;
		if (n < 0)
			z->broken = true;
		return n == 0 ? 0 : -1;
	}
	if ((long long)len > z->left)
		len = (size_t)z->left;
	la_ssize_t n = archive_read_data(z->a, buf, len);
	if (n < 0) {
		z->broken = true;
		return -1;
	}
	z->left -= n;
	return (long)n;
}

cb_err
zip_each(int fd, long long max_bytes, zip_file_fn fn, void *arg, char *err,
    size_t errlen)
{
	struct archive_entry *ent;
	struct zip_stream z = {.left = max_bytes};
	cb_err e = CB_OK;
	int files = 0, r;
	if (!(z.a = archive_read_new()))
		return CB_ENOMEM;
	archive_read_support_format_zip(z.a);
	if (archive_read_open_fd(z.a, fd, 64 * 1024) != ARCHIVE_OK) {
		snprintf(err, errlen, "not a readable zip archive: %s",
		    archive_error_string(z.a) ? archive_error_string(z.a) : "?");
		archive_read_free(z.a);
		return CB_EINVAL;
	}
	while ((r = archive_read_next_header(z.a, &ent)) == ARCHIVE_OK ||
	    r == ARCHIVE_WARN) {
		if (archive_entry_filetype(ent) != AE_IFREG)
			continue;
		const char *name = archive_entry_pathname(ent);
		if (!name)
			name = "?";
		if (++files > ZIP_MAX_FILES) {
			snprintf(err, errlen, "the zip holds more than %d files",
			    ZIP_MAX_FILES);
			e = CB_ETOOBIG;
			break;
		}
		if (archive_entry_is_encrypted(ent)) {
			snprintf(err, errlen, "%.200s in the zip is encrypted", name);
			e = CB_EINVAL;
			break;
		}
		/* Resource forks and the like that archivers add are no
		 * statements. */
		if (!strncmp(name, "__MACOSX/", 9))
			continue;
		e = fn(arg, name, zip_read, &z);
		if (z.over) {
			snprintf(err, errlen, "the zip's files inflate to more than %lld"
			    " bytes", max_bytes);
			e = CB_ETOOBIG;
		} else if (z.broken) {
			snprintf(err, errlen, "%.200s in the zip cannot be read: %s",
			    name, archive_error_string(z.a) ?
			    archive_error_string(z.a) : "?");
			e = CB_EINVAL;
		}
		if (e != CB_OK)
			break;
	}
	if (e == CB_OK && r != ARCHIVE_EOF) {
		snprintf(err, errlen, "the zip archive is broken: %s",
		    archive_error_string(z.a) ? archive_error_string(z.a) : "?");
		e = CB_EINVAL;
	}
	archive_read_free(z.a);
	return e;
}

/* migrate.c — see migrate.h. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysqld_error.h>

#include "crypto/crypto.h"
#include "store/migrate.h"
#include "util/buf.h"
#include "util/log.h"

#define MIGRATION_MAX_BYTES (4 << 20)
#define MAX_MIGRATIONS 999

static const char SQL_CREATE[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INT NOT NULL PRIMARY KEY,"
    " name VARCHAR(200) NOT NULL,"
    " checksum CHAR(64) NOT NULL,"
    " applied_at DATETIME(6) NOT NULL"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
static const char SQL_CURRENT[] =
    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
static const char SQL_CHECKSUM[] =
    "SELECT checksum FROM schema_migrations WHERE version = ?";
static const char SQL_RECORD[] =
    "INSERT INTO schema_migrations (version, name, checksum, applied_at)"
    " VALUES (?, ?, ?, UTC_TIMESTAMP(6))";

cb_err
migrate_current(struct db_conn *c, int *version)
{
	struct db_stmt *s;
	bool row;
	cb_err e;

	*version = 0;
	if ((e = db_prepare(c, SQL_CURRENT, &s)) != CB_OK) {
		/* No table yet means nothing applied. */
		if (e == CB_EDB && c->last_errno == ER_NO_SUCH_TABLE)
			return CB_OK;
		return e;
	}
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		return e;
	if (row)
		*version = (int)db_col_i64(s, 0);
	return CB_OK;
}

struct mfile {
	int version;
	char name[NAME_MAX + 1];
};

static int
cmp_mfile(const void *a, const void *b)
{
	return ((const struct mfile *)a)->version -
	    ((const struct mfile *)b)->version;
}

/* Accepts NNN_lowercase_name.sql only. */
static int
parse_name(const char *n)
{
	size_t len = strlen(n);
	if (len < 9 || strcmp(n + len - 4, ".sql") != 0 || n[3] != '_')
		return -1;
	for (int i = 0; i < 3; i++)
		if (n[i] < '0' || n[i] > '9')
			return -1;
	for (size_t i = 4; i < len - 4; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= '0' && n[i] <= '9') ||
		        n[i] == '_'))
			return -1;
	return (n[0] - '0') * 100 + (n[1] - '0') * 10 + (n[2] - '0');
}

static cb_err
read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;
	cb_err e = CB_OK;
	if (!f)
		return CB_EIO;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if ((e = buf_append(b, chunk, n)) != CB_OK)
			break;
	if (ferror(f))
		e = CB_EIO;
	fclose(f);
	return e;
}

cb_err
migrate_apply(struct db_conn *c, const char *dir, int *applied, char *err,
    size_t errlen)
{
	struct mfile *files = NULL;
	size_t nfiles = 0;
	struct buf body;
	cb_err e;
	DIR *d;

	*applied = 0;
	buf_init(&body, MIGRATION_MAX_BYTES);
	if ((e = db_query(c, SQL_CREATE)) != CB_OK) {
		snprintf(err, errlen, "cannot create schema_migrations: %s",
		    db_errmsg(c));
		return e;
	}
	if (!(d = opendir(dir))) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return CB_EIO;
	}
	files = calloc(MAX_MIGRATIONS, sizeof *files);
	if (!files) {
		closedir(d);
		return CB_ENOMEM;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		int v = parse_name(de->d_name);
		if (v <= 0)
			continue;
		if (nfiles == MAX_MIGRATIONS)
			break;
		for (size_t i = 0; i < nfiles; i++)
			if (files[i].version == v) {
				snprintf(err, errlen, "two migrations numbered %03d: %s and %s",
				    v, files[i].name, de->d_name);
				closedir(d);
				e = CB_EINVAL;
				goto out;
			}
		files[nfiles].version = v;
		snprintf(files[nfiles].name, sizeof files[nfiles].name, "%s",
		    de->d_name);
		nfiles++;
	}
	closedir(d);
	qsort(files, nfiles, sizeof *files, cmp_mfile);

	for (size_t i = 0; i < nfiles; i++) {
		char path[PATH_MAX], sum[SHA256_HEX_LEN + 1];
		struct db_stmt *s;
		bool row;

		snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
		buf_reset(&body);
		if ((e = read_file(path, &body)) != CB_OK) {
			snprintf(err, errlen, "%s: cannot read (%s)", path,
			    cb_strerror(e));
			goto out;
		}
		if ((e = crypto_sha256_hex(body.data ? body.data : "", body.len,
		         sum)) != CB_OK)
			goto out;
		if ((e = db_prepare(c, SQL_CHECKSUM, &s)) != CB_OK)
			goto dberr;
		db_bind_i64(s, 0, files[i].version);
		if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
			goto dberr;
		if (row) {
			if (strcmp(db_col(s, 0), sum) != 0) {
				snprintf(err, errlen,
				    "%s was edited after it was applied (checksum differs);"
				    " write a new migration instead", files[i].name);
				e = CB_EINVAL;
				goto out;
			}
			continue;
		}
		log_info("applying migration %s", files[i].name);
		if ((e = db_query(c, body.data ? body.data : "")) != CB_OK) {
			snprintf(err, errlen, "%s failed: %s", files[i].name,
			    db_errmsg(c));
			goto out;
		}
		if ((e = db_prepare(c, SQL_RECORD, &s)) != CB_OK)
			goto dberr;
		db_bind_i64(s, 0, files[i].version);
		db_bind_str(s, 1, files[i].name);
		db_bind_str(s, 2, sum);
		if ((e = db_exec(c, s)) != CB_OK)
			goto dberr;
		(*applied)++;
	}
	e = CB_OK;
	goto out;
dberr:
	snprintf(err, errlen, "database: %s", db_errmsg(c));
out:
	free(files);
	buf_free(&body);
	return e;
}

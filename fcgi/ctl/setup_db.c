/* setup_db.c — see setup_db.h. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctl/setup_db.h"
#include "crypto/crypto.h"
#include "store/db.h"
#include "store/migrate.h"
#include "util/err.h"
#include "util/log.h"

#define EX_USAGE 64
#define EX_UNAVAILABLE 69
#define EX_CANTCREAT 73
#define EX_CONFIG 78
#define DROPIN "50-database.conf"

/* Identifiers go into DDL, which takes no placeholders: only these. */
static bool
plain_identifier(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 32)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* Our generated passwords are base64url: safe inside '…' as they are. */
static bool
plain_password(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

/* One DDL statement as the admin connection; says what failed. */
static bool
ddl(struct db_conn *admin, const char *what, const char *sql)
{
	if (db_query(admin, sql) == CB_OK)
		return true;
	fprintf(stderr, "comprobarctl: setup-db: %s: %s\n", what,
	    db_errmsg(admin));
	return false;
}

/* Writes the drop-in atomically: 0640, group comprobar when it exists
 * (the service reads it; nobody else may). */
static int
write_dropin(const char *config_path, const struct config *cfg,
    const char *password)
{
	char dir[PATH_MAX], path[PATH_MAX], tmp[PATH_MAX];
	if ((size_t)snprintf(dir, sizeof dir, "%s.d", config_path) >= sizeof dir ||
	    (size_t)snprintf(path, sizeof path, "%s/%s", dir, DROPIN) >=
	    sizeof path ||
	    (size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp) {
		fprintf(stderr, "comprobarctl: setup-db: %s: path too long\n",
		    config_path);
		return EX_CANTCREAT;
	}
	if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
		fprintf(stderr, "comprobarctl: setup-db: %s: %s\n", dir,
		    strerror(errno));
		return EX_CANTCREAT;
	}
	struct group *gr = getgrnam("comprobar");
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0640);
	if (fd < 0) {
		fprintf(stderr, "comprobarctl: setup-db: %s: %s\n", tmp,
		    strerror(errno));
		return EX_CANTCREAT;
	}
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return EX_CANTCREAT;
	}
	fprintf(f,
	    "# Written by comprobarctl setup-db at %s.  The database\n"
	    "# credentials live here, beside the packaged comprobar.conf, so that\n"
	    "# file stays as shipped and upgrades never ask about it.  Keys here\n"
	    "# override the same keys there.\n"
	    "[database]\n"
	    "host =\n"
	    "socket = %s\n"
	    "user = %s\n"
	    "password = %s\n"
	    "name = %s\n",
	    stamp, cfg->db_socket, cfg->db_user, password, cfg->db_name);
	bool ok = fflush(f) == 0 && fchmod(fd, 0640) == 0 &&
	    (!gr || getuid() != 0 || fchown(fd, 0, gr->gr_gid) == 0) &&
	    fsync(fd) == 0;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		fprintf(stderr, "comprobarctl: setup-db: %s: %s\n", path,
		    strerror(errno));
		unlink(tmp);
		return EX_CANTCREAT;
	}
	if (gr && getuid() == 0 && chown(dir, 0, gr->gr_gid) != 0) {
		fprintf(stderr, "comprobarctl: setup-db: %s: %s\n", dir,
		    strerror(errno));
		return EX_CANTCREAT;
	}
	printf("wrote %s\n", path);
	return 0;
}

/* Does the configured user already get in with the configured password? */
static bool
credentials_work(const struct config *cfg)
{
	if (!*cfg->db_password)
		return false;
	struct db_conn probe;
	db_conn_init(&probe, cfg);
	bool ok = db_ready(&probe) == CB_OK;
	db_conn_close(&probe);
	return ok;
}

int
ctl_setup_db(const char *config_path, const struct config *cfg, int argc,
    char **argv)
{
	const char *admin_user = "root";
	bool migrate = true;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--admin-user") == 0 && i + 1 < argc)
			admin_user = argv[++i];
		else if (strcmp(argv[i], "--no-migrate") == 0)
			migrate = false;
		else {
			fprintf(stderr, "usage: comprobarctl setup-db "
			    "[--admin-user NAME] [--no-migrate]\n");
			return EX_USAGE;
		}
	}
	if (*cfg->db_host) {
		fprintf(stderr, "comprobarctl: setup-db: [database] host is set: "
		    "setup-db works on a local MariaDB through its unix socket; "
		    "create the database and user on %s yourself\n", cfg->db_host);
		return EX_CONFIG;
	}
	if (!plain_identifier(cfg->db_name) || !plain_identifier(cfg->db_user)) {
		fprintf(stderr, "comprobarctl: setup-db: [database] name and user "
		    "must be 1 to 32 letters, digits or '_'\n");
		return EX_CONFIG;
	}

	/* Quiet: a first run is expected to fail this probe. */
	log_init(LOG_LVL_ERROR, "comprobarctl");
	bool keep = credentials_work(cfg);
	log_init(LOG_LVL_WARN, "comprobarctl");
	char *password = NULL;
	if (keep) {
		if (!(password = strdup(cfg->db_password)))
			return 1;
	} else if (crypto_token_new("", 24, &password) != CB_OK ||
	    !plain_password(password)) {
		free(password);
		return 1;
	}

	struct config admin_cfg = *cfg; /* shallow: borrows cfg's strings */
	admin_cfg.db_user = (char *)admin_user;
	admin_cfg.db_password = (char *)"";
	admin_cfg.db_name = NULL;
	struct db_conn admin;
	db_conn_init(&admin, &admin_cfg);
	if (db_ready(&admin) != CB_OK) {
		fprintf(stderr, "comprobarctl: setup-db: cannot connect as %s "
		    "through %s: run as root, with MariaDB running\n", admin_user,
		    cfg->db_socket);
		db_conn_close(&admin);
		free(password);
		return EX_UNAVAILABLE;
	}
	char sql[512];
	bool ok = true;
	snprintf(sql, sizeof sql, "CREATE DATABASE IF NOT EXISTS `%s` CHARACTER "
	    "SET utf8mb4 COLLATE utf8mb4_unicode_ci", cfg->db_name);
	ok = ok && ddl(&admin, "create database", sql);
	if (!keep) {
		/* A password that fails (or is unknown) is replaced. */
		snprintf(sql, sizeof sql, "CREATE USER IF NOT EXISTS '%s'@'localhost' "
		    "IDENTIFIED BY '%s'", cfg->db_user, password);
		ok = ok && ddl(&admin, "create user", sql);
		snprintf(sql, sizeof sql, "ALTER USER '%s'@'localhost' IDENTIFIED "
		    "BY '%s'", cfg->db_user, password);
		ok = ok && ddl(&admin, "set password", sql);
	}
	snprintf(sql, sizeof sql, "GRANT ALL ON `%s`.* TO '%s'@'localhost'",
	    cfg->db_name, cfg->db_user);
	ok = ok && ddl(&admin, "grant", sql);
	db_conn_close(&admin);
	explicit_bzero(sql, sizeof sql);
	if (!ok) {
		free(password);
		return 1;
	}
	printf("database %s and user %s@localhost ready%s\n", cfg->db_name,
	    cfg->db_user, keep ? " (password kept)" : "");
	int rc = keep ? 0 : write_dropin(config_path, cfg, password);
	if (rc != 0 || !migrate) {
		free(password);
		return rc;
	}

	struct config app_cfg = *cfg;
	app_cfg.db_password = password;
	struct db_conn app;
	db_conn_init(&app, &app_cfg);
	app.multi_statements = true;
	char err[512] = "";
	int applied = 0, version = 0;
	log_init(LOG_LVL_INFO, "comprobarctl");
	cb_err e = migrate_apply(&app, cfg->migrations_dir, &applied, err,
	    sizeof err);
	if (e == CB_OK)
		e = migrate_current(&app, &version);
	db_conn_close(&app);
	explicit_bzero(password, strlen(password));
	free(password);
	if (e != CB_OK) {
		fprintf(stderr, "comprobarctl: setup-db: migrate: %s\n",
		    *err ? err : cb_strerror(e));
		return e == CB_EUNAVAILABLE ? EX_UNAVAILABLE : 1;
	}
	printf("applied %d migration%s; schema version %d\n", applied,
	    applied == 1 ? "" : "s", version);
	return 0;
}

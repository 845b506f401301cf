/* doctor.c — see doctor.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctl/doctor.h"
#include "crypto/jwt.h"
#include "ocr/engine.h"
#include "store/migrate.h"
#include "store/schema_version.h"

#define DEFAULT_SOCKET "/run/comprobar/fcgi.sock"
#define NGINX_SITE "/etc/nginx/sites-enabled/comprobar"

/* ok: 1 ok, 0 failed (counted in *failed), -1 skipped. */
static void
report(int *failed, const char *what, int ok, const char *detail)
{
	printf("%-5s %-16s %s\n", ok > 0 ? "ok" : ok ? "skip" : "FAIL", what,
	    detail);
	if (!ok)
		(*failed)++;
}

static void
check_database(int *failed, struct db_conn *db)
{
	char msg[200];
	int version = 0;
	cb_err e = db_ready(db);
	if (e != CB_OK) {
		report(failed, "database", 0, "cannot connect: see [database] in the config");
		report(failed, "schema", -1, "needs the database");
		return;
	}
	report(failed, "database", 1, "reachable");
	if ((e = migrate_current(db, &version)) != CB_OK) {
		snprintf(msg, sizeof msg, "cannot read the schema version: %s",
		    db_errmsg(db));
		report(failed, "schema", 0, msg);
		return;
	}
	snprintf(msg, sizeof msg, "version %d, this build expects %d%s", version,
	    SCHEMA_VERSION, version < SCHEMA_VERSION ?
	    ": run comprobarctl migrate" : version > SCHEMA_VERSION ?
	    ": install the matching comprobar" : "");
	report(failed, "schema", version == SCHEMA_VERSION, msg);
}

static void
check_storage(int *failed, const struct config *cfg)
{
	char msg[600], probe[600];
	struct stat st;
	if (stat(cfg->storage_root, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(msg, sizeof msg, "%s is not a directory", cfg->storage_root);
		report(failed, "documents", 0, msg);
		return;
	}
	if (st.st_mode & 0007) {
		snprintf(msg, sizeof msg, "%s is open to every user (mode %04o):"
		    " chmod o-rwx", cfg->storage_root, (unsigned)(st.st_mode & 07777));
		report(failed, "documents", 0, msg);
		return;
	}
	snprintf(probe, sizeof probe, "%s/.doctor-%ld", cfg->storage_root,
	    (long)getpid());
	int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(msg, sizeof msg, "%s is not writable by this user: %s",
		    cfg->storage_root, strerror(errno));
		report(failed, "documents", 0, msg);
		return;
	}
	close(fd);
	unlink(probe);
	snprintf(msg, sizeof msg, "%s (mode %04o), writable", cfg->storage_root,
	    (unsigned)(st.st_mode & 07777));
	report(failed, "documents", 1, msg);
}

static void
check_ocr(int *failed, const struct config *cfg)
{
	struct ocr_engine *e = NULL;
	char msg[200];
	/* Loading every language is what the job threads will do. */
	if (ocr_engine_tesseract_new(cfg->ocr_languages, &e) != CB_OK) {
		snprintf(msg, sizeof msg, "tesseract cannot load %s: install"
		    " tesseract-ocr-<lang>", cfg->ocr_languages);
		report(failed, "ocr", 0, msg);
		return;
	}
	bool osd = ocr_engine_has_orientation(e);
	ocr_engine_free(e);
	snprintf(msg, sizeof msg, "tesseract loads %s%s", cfg->ocr_languages,
	    osd ? " and its orientation detector" : "");
	report(failed, "ocr", 1, msg);
	if (!osd)
		report(failed, "ocr-orientation", 0, "tesseract cannot load osd:"
		    " install tesseract-ocr-osd (photos stored sideways or upside"
		    " down are read far worse without it)");
}

static void
check_socket(int *failed, const char *path)
{
	char msg[200];
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof a.sun_path) {
		report(failed, "socket", 0, "the path is too long");
		return;
	}
	memcpy(a.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		snprintf(msg, sizeof msg, "%.100s: %s (is comprobar running?)", path,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		report(failed, "socket", 0, msg);
		return;
	}
	close(fd);
	snprintf(msg, sizeof msg, "%.100s accepts connections", path);
	report(failed, "socket", 1, msg);
}

static void
check_jwt(int *failed, const struct config *cfg)
{
	struct jwt_keys *k = NULL;
	char why[200];
	/* Loaded as a worker loads them at start. */
	cb_err e = jwt_keys_load(cfg->jwt_hs256_secret, cfg->jwt_hs256_kid,
	    cfg->jwt_rs256_public_key_file, cfg->jwt_rs256_kid, &k, why,
	    sizeof why);
	if (e != CB_OK)
		report(failed, "jwt", 0, k ? why : "out of memory");
	else if (!k->hs256 && !k->rs256)
		report(failed, "jwt", -1, "no keys: seed 001's account payments"
		    " refuse every token");
	else
		report(failed, "jwt", 1, k->hs256 && k->rs256 ? "HS256 and RS256"
		    " keys" : k->hs256 ? "an HS256 key" : "an RS256 key");
	jwt_keys_free(k);
}

static void
check_nginx(int *failed)
{
	if (access(NGINX_SITE, F_OK) != 0) {
		report(failed, "nginx", -1, "the site is not enabled (" NGINX_SITE ")");
		return;
	}
	int rc = system("nginx -t -q >/dev/null 2>&1");
	report(failed, "nginx", rc == 0, rc == 0 ? "nginx -t: the configuration is valid" :
	    "nginx -t fails: run it to see why");
}

int
ctl_doctor(const struct config *cfg, struct db_conn *db, int argc,
    char **argv)
{
	const char *sock = *cfg->listen && cfg->listen[0] == '/' ? cfg->listen :
	    DEFAULT_SOCKET;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--socket") && i + 1 < argc)
			sock = argv[++i];
		else {
			fprintf(stderr, "usage: comprobarctl doctor [--socket PATH]\n");
			return 64;
		}
	}
	int failed = 0;
	check_database(&failed, db);
	check_storage(&failed, cfg);
	check_ocr(&failed, cfg);
	check_socket(&failed, sock);
	check_jwt(&failed, cfg);
	check_nginx(&failed);
	printf("%s\n", failed ? "some checks failed" : "all checks passed");
	return failed ? 1 : 0;
}

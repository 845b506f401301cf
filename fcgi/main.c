/*
 * main.c — comprobar-fcgi: reads the config, checks the database schema,
 * takes the listening socket, and hands over to the master process.
 * Libraries with global state are initialised here, once, before any
 * thread or worker exists.
 */
#include <curl/curl.h>
#include <getopt.h>
#include <libxml/parser.h>
#include <mysql.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "bank/camt.h"
#include "conf/config.h"
#include "core/role.h"
#include "server/listen.h"
#include "server/master.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/schema_version.h"
#include "util/log.h"

#define EX_CONFIG 78

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: comprobar-fcgi [--config PATH] [--listen PATH|HOST:PORT]\n"
	    "                      [--check-config] [--routes] [--version]\n"
	    "default config: %s\n", CB_DEFAULT_CONFIG);
}

/* --routes: one JSON object a line for every route, with who may call it
 * and whose objects it reaches (the authorization test reads this). */
static void
print_routes(void)
{
	for (size_t i = 0; i < api_routes_count; i++) {
		const struct route *r = &api_routes[i];
		unsigned m = r->roles;
		printf("{\"method\":\"%s\",\"pattern\":\"%s\",\"auth\":\"%s\","
		    "\"roles\":[", r->method, r->pattern,
		    m & ROUTE_AUTH_JWT ? "jwt" : m & ROUTE_AUTH_HEADER_KEY ?
		    "api-key" : (m & ROLE_ANY) ? "bearer" : "none");
		const enum role all[] = {ROLE_ADMIN, ROLE_CLIENT, ROLE_REVIEWER};
		bool first = true;
		for (size_t k = 0; k < 3; k++)
			if (!(m & ROUTE_AUTH_JWT) && (m & all[k])) {
				printf("%s\"%s\"", first ? "" : ",", role_name(all[k]));
				first = false;
			}
		printf("],\"access\":\"%s\"}\n", route_access_name(r->access));
	}
}

static void
log_key(const char *section, const char *key, const char *value, void *arg)
{
	(void)arg;
	log_info("config %s.%s = %s", section, key, value);
}

/* Refuses to serve on a schema other than this build's.  An unreachable
 * database is only a warning: /readyz reports it until it comes up. */
static int
check_schema(const struct config *cfg)
{
	struct db_conn c;
	int version = 0, rc = 0;
	db_conn_init(&c, cfg);
	cb_err e = db_ready(&c);
	if (e == CB_OK)
		e = migrate_current(&c, &version);
	if (e == CB_EUNAVAILABLE)
		log_warn("database not reachable at start; serving anyway,"
		         " /readyz will say when it is");
	else if (e != CB_OK) {
		log_error("cannot read the schema version (%s): %s", cb_strerror(e),
		    db_errmsg(&c));
		rc = EX_CONFIG;
	}
	else if (version < SCHEMA_VERSION) {
		log_error("the database schema is at version %d; this build needs %d."
		          " Run: comprobarctl migrate", version, SCHEMA_VERSION);
		rc = EX_CONFIG;
	} else if (version > SCHEMA_VERSION) {
		log_error("the database schema (version %d) is newer than this build"
		          " (%d); install the matching comprobar", version,
		    SCHEMA_VERSION);
		rc = EX_CONFIG;
	}
	db_conn_close(&c);
	return rc;
}

int
main(int argc, char **argv)
{
	/* Debian's libtesseract uses OpenMP, 4-5x slower per document with our
	 * own threads on top; libgomp reads OMP_THREAD_LIMIT when it is loaded,
	 * before main, so set it and start again (same pid: inherited sockets
	 * and LISTEN_PID stay valid). */
	if (!getenv("OMP_THREAD_LIMIT")) {
		/* By its real path: exec'ing /proc/self/exe itself would name
		 * every process "exe" in ps, top and the journal. */
		char self[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
		setenv("OMP_THREAD_LIMIT", "1", 1);
		if (n > 0) {
			self[n] = '\0';
			execv(self, argv);
		}
		/* No /proc: run on, slower. */
	}
	const char *config_path = CB_DEFAULT_CONFIG;
	const char *listen_spec = NULL;
	bool check_only = false;
	char err[512];
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"listen", required_argument, NULL, 'l'},
		{"check-config", no_argument, NULL, 'C'},
		{"routes", no_argument, NULL, 'R'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int ch;
	while ((ch = getopt_long(argc, argv, "c:l:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': config_path = optarg; break;
		case 'l': listen_spec = optarg; break;
		case 'C': check_only = true; break;
		case 'R': print_routes(); return 0;
		case 'V': printf("comprobar-fcgi %s\n", PACKAGE_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	log_init(LOG_LVL_INFO, "comprobar");
	struct config *cfg = calloc(1, sizeof *cfg);
	if (!cfg)
		return 1;
	if (config_load(cfg, config_path, err, sizeof err) != CB_OK) {
		log_error("%s", err);
		config_free(cfg);
		free(cfg);
		return EX_CONFIG;
	}
	if (check_only) {
		printf("%s: ok\n", config_path);
		config_free(cfg);
		free(cfg);
		return 0;
	}
	enum log_level lvl;
	if (log_level_parse(cfg->log_level, &lvl) == 0)
		log_init(lvl, "comprobar");
	if (listen_spec) {
		free(cfg->listen);
		cfg->listen = strdup(listen_spec);
	}
	log_info("comprobar-fcgi %s starting with %s", PACKAGE_VERSION, config_path);
	config_each(cfg, log_key, NULL);

	/* Dates from users are read in the installation's zone (localtime_r);
	 * set before any thread exists, and again by the master on reload. */
	setenv("TZ", cfg->timezone, 1);
	tzset();
	/* Leptonica warns on stderr about every odd image users send. */
	setMsgSeverity(L_SEVERITY_ERROR);
	if (mysql_library_init(0, NULL, NULL) != 0) {
		log_error("mysql_library_init failed");
		return 1;
	}
	xmlInitParser();
	camt_global_init(); /* libxml2's global loader, before any thread */
	curl_global_init(CURL_GLOBAL_DEFAULT);

	int rc = check_schema(cfg);
	if (rc != 0)
		goto out;
	int fd;
	char *created = NULL;
	if (listen_open(cfg, cfg->listen, &fd, &created, err, sizeof err) != CB_OK) {
		log_error("%s", err);
		rc = EX_CONFIG;
		goto out;
	}
	rc = master_run(cfg, config_path, fd);
	cfg = NULL; /* the master freed it */
	if (created) {
		unlink(created);
		free(created);
	}
	close(fd);
out:
	if (cfg) {
		config_free(cfg);
		free(cfg);
	}
	curl_global_cleanup();
	xmlCleanupParser();
	mysql_library_end();
	return rc;
}

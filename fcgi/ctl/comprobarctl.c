/*
 * comprobarctl.c — the admin CLI: schema migrations, reviewer/admin users,
 * API keys, bank statement imports.  It reads the same config file as the server and writes to the
 * same database; every change goes to the activity log as principal "cli".
 * Secrets (generated passwords, new API keys) go to stdout once; nothing
 * secret is logged.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <mysql.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "conf/config.h"
#include "core/role.h"
#include "crypto/crypto.h"
#include "crypto/password.h"
#include "jobs/import.h"
#include "jobs/match_job.h"
#include "ocr/features.h"
#include "store/activity.h"
#include "store/apikeys.h"
#include "store/bank.h"
#include "store/db.h"
#include "store/idempotency.h"
#include "store/migrate.h"
#include "store/ocr_corrections.h"
#include "store/schema_version.h"
#include "store/users.h"
#include "store/webhooks.h"
#include "util/jsonx.h"
#include "crypto/jwt.h"
#include "ctl/doctor.h"
#include "ctl/setup_db.h"
#include "util/codec.h"
#include "util/log.h"

#define EX_USAGE 64
#define EX_DATAERR 65
#define EX_UNAVAILABLE 69
#define EX_SOFTWARE 70
#define EX_CANTCREAT 73
#define EX_IOERR 74
#define EX_CONFIG 78

struct ctl {
	struct config cfg;
	struct db_conn db;
	char who[64];
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: comprobarctl [--config PATH] COMMAND …\n"
	    "  setup-db [--admin-user NAME] [--no-migrate]  (as root: creates the\n"
	    "                             local database and user, writes CONFIG.d/\n"
	    "                             50-database.conf, migrates)\n"
	    "  migrate [--status] [--sql-dir DIR]\n"
	    "  user add NAME --role reviewer|admin [--password-stdin]\n"
	    "  user passwd NAME [--password-stdin]\n"
	    "  user disable NAME\n"
	    "  apikey create --name NAME --role admin|client|reviewer\n"
	    "  apikey list\n"
	    "  apikey revoke ID\n"
	    "  idempotency purge [--older-than HOURS]\n"
	    "  webhooks purge [--older-than DAYS]\n"
	    "  doctor [--socket PATH]     (database, schema, documents, OCR\n"
	    "                             languages, socket, JWT keys, nginx)\n"
	    "  jwt sign --role ADMIN|VENTANA|VENDEDOR --sub ID [--ventana ID]\n"
	    "           [--vendedor ID] [--ttl SECONDS]  (an HS256 token for\n"
	    "                             seed 001's account payments, from [jwt])\n"
	    "  import-statement FILE [--profile NAME]  (camt, MT940, CSV by its\n"
	    "                             bank's profile, or a zip of them; prints\n"
	    "                             the report, then matches)\n"
	    "  match                      (one bank matching pass; prints what it did)\n"
	    "  ocr export-corrections DIR (reviewed documents OCR misread, with\n"
	    "                             the candidates it weighed: DIR/\n"
	    "                             candidates.jsonl and truth.jsonl, the\n"
	    "                             input of tests/corpus/fit.py --extra)\n"
	    "default config: %s\n", CB_DEFAULT_CONFIG);
}

static int
db_fail(struct ctl *c, cb_err e)
{
	if (e == CB_EUNAVAILABLE) {
		fprintf(stderr, "comprobarctl: cannot reach the database (see the"
		                " [database] section of the config)\n");
		return EX_UNAVAILABLE;
	}
	fprintf(stderr, "comprobarctl: %s: %s\n", cb_strerror(e),
	    db_errmsg(&c->db));
	return 1;
}

static void
audit(struct ctl *c, const char *action, const char *target)
{
	if (activity_record(&c->db, action, "cli", c->who, target, NULL, NULL) !=
	    CB_OK)
		fprintf(stderr, "comprobarctl: warning: activity log not written\n");
}

static int
cmd_migrate(struct ctl *c, int argc, char **argv)
{
	bool status = false;
	const char *dir = c->cfg.migrations_dir;
	char err[512];
	int applied = 0, version = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--status") == 0)
			status = true;
		else if (strcmp(argv[i], "--sql-dir") == 0 && i + 1 < argc)
			dir = argv[++i];
		else {
			usage(stderr);
			return EX_USAGE;
		}
	}
	cb_err e;
	if ((e = db_ready(&c->db)) != CB_OK)
		return db_fail(c, e);
	if (status) {
		if ((e = migrate_current(&c->db, &version)) != CB_OK)
			return db_fail(c, e);
		printf("schema version %d; this build expects %d%s\n", version,
		    SCHEMA_VERSION,
		    version < SCHEMA_VERSION ? " (run: comprobarctl migrate)" : "");
		return version == SCHEMA_VERSION ? 0 : 1;
	}
	if ((e = migrate_apply(&c->db, dir, &applied, err, sizeof err)) != CB_OK) {
		fprintf(stderr, "comprobarctl: migrate: %s\n", err);
		return e == CB_EUNAVAILABLE ? EX_UNAVAILABLE : 1;
	}
	if ((e = migrate_current(&c->db, &version)) != CB_OK)
		return db_fail(c, e);
	printf("applied %d migration%s; schema version %d\n", applied,
	    applied == 1 ? "" : "s", version);
	if (applied)
		audit(c, "SCHEMA_MIGRATE", NULL);
	return 0;
}

/* Reads one line from stdin, or generates a password when generate. */
static int
get_password(bool from_stdin, char *out, size_t outlen, bool *generated)
{
	*generated = false;
	if (from_stdin) {
		if (!fgets(out, (int)outlen, stdin)) {
			fprintf(stderr, "comprobarctl: no password on stdin\n");
			return EX_DATAERR;
		}
		out[strcspn(out, "\r\n")] = '\0';
		if (strlen(out) < PASSWORD_MIN_LEN) {
			fprintf(stderr, "comprobarctl: a password needs at least %d"
			                " characters\n", PASSWORD_MIN_LEN);
			return EX_DATAERR;
		}
		return 0;
	}
	char *tok = NULL;
	if (crypto_token_new("", 15, &tok) != CB_OK)
		return 1;
	snprintf(out, outlen, "%s", tok);
	free(tok);
	*generated = true;
	return 0;
}

static bool
valid_username(const char *u)
{
	size_t n = strlen(u);
	if (n == 0 || n > USERNAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = u[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		        (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-' ||
		        ch == '@'))
			return false;
	}
	return true;
}

static int
cmd_user(struct ctl *c, int argc, char **argv)
{
	const char *role = NULL;
	bool from_stdin = false;
	char pw[PASSWORD_MAX_LEN + 2], target[96];
	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	const char *sub = argv[0], *name = argv[1];
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			role = argv[++i];
		else if (strcmp(argv[i], "--password-stdin") == 0)
			from_stdin = true;
		else {
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (!valid_username(name)) {
		fprintf(stderr, "comprobarctl: user names are 1-%d characters of"
		                " letters, digits and . _ - @\n", USERNAME_MAX);
		return EX_DATAERR;
	}
	snprintf(target, sizeof target, "user:%s", name);
	cb_err e;
	if ((e = db_ready(&c->db)) != CB_OK)
		return db_fail(c, e);
	if (strcmp(sub, "disable") == 0) {
		if ((e = users_disable(&c->db, name)) == CB_ENOTFOUND) {
			fprintf(stderr, "comprobarctl: no user %s\n", name);
			return 1;
		}
		if (e != CB_OK)
			return db_fail(c, e);
		audit(c, "USER_DISABLE", target);
		printf("user %s disabled\n", name);
		return 0;
	}
	bool add = strcmp(sub, "add") == 0;
	if (!add && strcmp(sub, "passwd") != 0) {
		usage(stderr);
		return EX_USAGE;
	}
	if (add && (!role || (strcmp(role, "reviewer") != 0 &&
	                strcmp(role, "admin") != 0))) {
		fprintf(stderr, "comprobarctl: user add needs --role reviewer|admin\n");
		return EX_USAGE;
	}
	bool generated;
	int rc = get_password(from_stdin, pw, sizeof pw, &generated);
	if (rc)
		return rc;
	char *hash = NULL;
	if (password_hash(pw, 0, &hash) != CB_OK) {
		fprintf(stderr, "comprobarctl: password hashing failed\n");
		return 1;
	}
	e = add ? users_add(&c->db, name, role, hash)
	        : users_set_password(&c->db, name, hash);
	free(hash);
	if (e == CB_EEXIST) {
		fprintf(stderr, "comprobarctl: user %s already exists\n", name);
		return 1;
	}
	if (e == CB_ENOTFOUND) {
		fprintf(stderr, "comprobarctl: no user %s\n", name);
		return 1;
	}
	if (e != CB_OK)
		return db_fail(c, e);
	audit(c, add ? "USER_ADD" : "USER_PASSWORD", target);
	printf("user %s %s\n", name, add ? "added" : "password changed");
	if (generated)
		printf("password: %s\n", pw);
	return 0;
}

static cb_err
print_key(const struct apikey_row *r, void *arg)
{
	(void)arg;
	printf("%-6lld %-9s %-13s %-20.20s %-19.19s %s\n", (long long)r->id,
	    role_name(r->role), r->prefix, r->name, r->created_at,
	    r->revoked_at[0] ? "revoked" : "active");
	return CB_OK;
}

static int
cmd_apikey(struct ctl *c, int argc, char **argv)
{
	cb_err e;
	if (argc < 1) {
		usage(stderr);
		return EX_USAGE;
	}
	if ((e = db_ready(&c->db)) != CB_OK)
		return db_fail(c, e);
	if (strcmp(argv[0], "list") == 0) {
		printf("%-6s %-9s %-13s %-20s %-19s %s\n", "ID", "ROLE", "PREFIX",
		    "NAME", "CREATED (UTC)", "STATE");
		if ((e = apikey_list(&c->db, print_key, NULL)) != CB_OK)
			return db_fail(c, e);
		return 0;
	}
	if (strcmp(argv[0], "revoke") == 0 && argc == 2) {
		char *end, target[32];
		errno = 0;
		long long id = strtoll(argv[1], &end, 10);
		if (errno || *end || id <= 0) {
			fprintf(stderr, "comprobarctl: %s is not a key id\n", argv[1]);
			return EX_USAGE;
		}
		if ((e = apikey_revoke(&c->db, id)) == CB_ENOTFOUND) {
			fprintf(stderr, "comprobarctl: no API key %lld\n", id);
			return 1;
		}
		if (e != CB_OK)
			return db_fail(c, e);
		snprintf(target, sizeof target, "api_key:%lld", id);
		audit(c, "API_KEY_REVOKE", target);
		printf("API key %lld revoked\n", id);
		return 0;
	}
	if (strcmp(argv[0], "create") == 0) {
		const char *name = NULL, *role = NULL;
		for (int i = 1; i < argc; i++) {
			if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
				name = argv[++i];
			else if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
				role = argv[++i];
			else {
				usage(stderr);
				return EX_USAGE;
			}
		}
		enum role r = role_parse(role);
		if (!name || !*name || strlen(name) > APIKEY_NAME_MAX || r == ROLE_NONE) {
			fprintf(stderr, "comprobarctl: apikey create needs --name (1-%d"
			                " chars) and --role admin|client|reviewer\n",
			    APIKEY_NAME_MAX);
			return EX_USAGE;
		}
		struct apikey_row row;
		char *key = NULL, target[32];
		if ((e = apikey_create(&c->db, name, r, &row, &key)) != CB_OK)
			return db_fail(c, e);
		snprintf(target, sizeof target, "api_key:%lld", (long long)row.id);
		audit(c, "API_KEY_CREATE", target);
		printf("id: %lld\nkey: %s\n", (long long)row.id, key);
		fprintf(stderr, "store this key now: it is not shown again\n");
		free(key);
		return 0;
	}
	usage(stderr);
	return EX_USAGE;
}

/* "purge [--older-than N]": N (min..max) into *value; false after saying
 * what is wrong. */
static bool
purge_args(int argc, char **argv, const char *unit, long min, long max,
    int *value)
{
	if (argc < 1 || strcmp(argv[0], "purge") != 0) {
		usage(stderr);
		return false;
	}
	if (argc == 3 && strcmp(argv[1], "--older-than") == 0) {
		char *end;
		long v = strtol(argv[2], &end, 10);
		if (*end || v < min || v > max) {
			fprintf(stderr, "comprobarctl: --older-than takes %s (%ld..%ld)\n",
			    unit, min, max);
			return false;
		}
		*value = (int)v;
		return true;
	}
	if (argc != 1) {
		usage(stderr);
		return false;
	}
	return true;
}

/* Runs purge in batches until a batch comes back short. */
static int
purge_all(struct ctl *c, cb_err (*purge)(struct db_conn *, int, int,
    uint64_t *), int age, uint64_t *total)
{
	cb_err e;
	uint64_t n;
	*total = 0;
	if ((e = db_ready(&c->db)) != CB_OK)
		return db_fail(c, e);
	do {
		if ((e = purge(&c->db, age, 5000, &n)) != CB_OK)
			return db_fail(c, e);
		*total += n;
	} while (n >= 5000);
	return 0;
}

struct export {
	FILE *cands, *truth;
	unsigned long n, skipped;
	json_object *names;        /* this build's feature names */
};

static cb_err
export_one(const struct ocr_reviewed *r, void *arg)
{
	struct export *x = arg;
	json_object *o = json_tokener_parse(r->candidates), *names;
	if (!o || !json_object_object_get_ex(o, "features", &names) ||
	    !json_object_equal(names, x->names)) {
		/* Read by a build with other features: its numbers mean
		 * something else now. */
		x->skipped++;
		json_object_put(o);
		return CB_OK;
	}
	char id[40];
	snprintf(id, sizeof id, "corr-%lld", (long long)r->payment_id);
	json_object_object_del(o, "features");
	jx_add(o, "file", jx_string(id));
	fprintf(x->cands, "%s\n", json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	json_object *t = jx_object();
	jx_add(t, "id", jx_string(id));
	jx_add(t, "fold", jx_int(1000));
	jx_add(t, "amount", r->amount ?
	    jx_string(r->amount) : NULL);
	jx_add(t, "date", r->date ?
	    jx_string(r->date) : NULL);
	jx_add(t, "reference", r->reference ?
	    jx_string(r->reference) : NULL);
	fprintf(x->truth, "%s\n", json_object_to_json_string_ext(t,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(t);
	x->n++;
	return ferror(x->cands) || ferror(x->truth) ? CB_EIO : CB_OK;
}

/* ocr export-corrections DIR: the reviewed documents OCR misread, as
 * tests/corpus/fit.py reads them (--extra DIR/candidates.jsonl
 * DIR/truth.jsonl). */
static int
cmd_ocr(struct ctl *c, int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[0], "export-corrections") != 0) {
		usage(stderr);
		return EX_USAGE;
	}
	char cp[4096], tp[4096];
	snprintf(cp, sizeof cp, "%s/candidates.jsonl", argv[1]);
	snprintf(tp, sizeof tp, "%s/truth.jsonl", argv[1]);
	struct export x = {0};
	x.cands = fopen(cp, "w");
	x.truth = x.cands ? fopen(tp, "w") : NULL;
	if (!x.truth) {
		fprintf(stderr, "comprobarctl: %s: %s\n", x.cands ? tp : cp,
		    strerror(errno));
		if (x.cands)
			fclose(x.cands);
		return EX_CANTCREAT;
	}
	x.names = jx_array();
	fprintf(x.cands, "{\"features\":[");
	for (int i = 0; i < OCR_NFEAT; i++) {
		jx_push(x.names, jx_string(
		    ocr_feature_name(i)));
		fprintf(x.cands, "%s\"%s\"", i ? "," : "", ocr_feature_name(i));
	}
	fprintf(x.cands, "],\"model\":\"corrections\"}\n");
	cb_err e = db_ready(&c->db);
	if (e == CB_OK)
		e = ocr_corrections_each(&c->db, export_one, &x);
	json_object_put(x.names);
	bool bad = fclose(x.cands) != 0;
	bad |= fclose(x.truth) != 0;
	if (e != CB_OK)
		return e == CB_EIO ? EX_IOERR : db_fail(c, e);
	if (bad) {
		fprintf(stderr, "comprobarctl: writing %s failed\n", argv[1]);
		return EX_IOERR;
	}
	printf("exported %lu reviewed documents to %s", x.n, argv[1]);
	if (x.skipped)
		printf(" (%lu read by a build with other features left out)",
		    x.skipped);
	printf("\n");
	return 0;
}

/* Deletes idempotency keys past the retention ([idempotency]
 * retention_hours, or --older-than). */
static int
cmd_idempotency(struct ctl *c, int argc, char **argv)
{
	int hours = c->cfg.idem_retention_hours, rc;
	uint64_t total;
	if (!purge_args(argc, argv, "hours", 1, 24 * 3650, &hours))
		return EX_USAGE;
	if ((rc = purge_all(c, idem_purge, hours, &total)) != 0)
		return rc;
	printf("purged %llu idempotency keys older than %d hours\n",
	    (unsigned long long)total, hours);
	return 0;
}

/* Deletes finished webhook deliveries and events past the retention
 * ([webhooks] retention_days, or --older-than DAYS). */
static int
cmd_webhooks(struct ctl *c, int argc, char **argv)
{
	int days = c->cfg.webhook_retention_days, rc;
	uint64_t total;
	if (!purge_args(argc, argv, "days", 0, 3650, &days))
		return EX_USAGE;
	if ((rc = purge_all(c, wh_purge, days, &total)) != 0)
		return rc;
	printf("purged %llu webhook rows older than %d days\n",
	    (unsigned long long)total, days);
	return 0;
}

/* Mints an HS256 token with the [jwt] secret: for operators and demos
 * (clients are given tokens by their own identity provider). */
static int
cmd_jwt(struct ctl *c, int argc, char **argv)
{
	const char *role = NULL, *sub = NULL, *ventana = NULL, *vendedor = NULL;
	long ttl = 3600;
	if (argc < 1 || strcmp(argv[0], "sign") != 0) {
		usage(stderr);
		return EX_USAGE;
	}
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v) {
			usage(stderr);
			return EX_USAGE;
		}
		if (!strcmp(argv[i], "--role"))
			role = v;
		else if (!strcmp(argv[i], "--sub"))
			sub = v;
		else if (!strcmp(argv[i], "--ventana"))
			ventana = v;
		else if (!strcmp(argv[i], "--vendedor"))
			vendedor = v;
		else if (!strcmp(argv[i], "--ttl")) {
			char *end;
			ttl = strtol(v, &end, 10);
			if (*end || ttl < 1 || ttl > 86400 * 30) {
				fprintf(stderr, "comprobarctl: --ttl takes 1 to 2592000"
				    " seconds\n");
				return EX_USAGE;
			}
		} else {
			usage(stderr);
			return EX_USAGE;
		}
		i++;
	}
	if (!role || !sub || (strcmp(role, "ADMIN") && strcmp(role, "VENTANA") &&
	    strcmp(role, "VENDEDOR"))) {
		usage(stderr);
		return EX_USAGE;
	}
	struct jwt_keys *keys = NULL;
	char why[200];
	/* The key the server verifies with, read the way it reads it. */
	jwt_keys_load(c->cfg.jwt_hs256_secret, c->cfg.jwt_hs256_kid, "", "", &keys,
	    why, sizeof why);
	if (!keys || !keys->hs256) {
		fprintf(stderr, "comprobarctl: %s\n", why[0] ? why :
		    "[jwt] hs256_secret is not set");
		jwt_keys_free(keys);
		return EX_CONFIG;
	}
	time_t now = time(NULL);
	json_object *cl = jx_object();
	jx_add(cl, "sub", jx_string(sub));
	jx_add(cl, "role", jx_string(role));
	if (ventana)
		jx_add(cl, "ventanaId", jx_string(ventana));
	if (vendedor)
		jx_add(cl, "vendedorId",
		    jx_string(vendedor));
	if (*c->cfg.jwt_issuer)
		jx_add(cl, "iss", jx_string(
		    c->cfg.jwt_issuer));
	if (*c->cfg.jwt_audience)
		jx_add(cl, "aud", jx_string(
		    c->cfg.jwt_audience));
	jx_add(cl, "iat", jx_int64((int64_t)now));
	jx_add(cl, "exp", jx_int64((int64_t)now + ttl));
	char *tok = NULL;
	cb_err e = jwt_sign_hs256(keys->hs256, keys->hs256_len, keys->hs256_kid, cl,
	    &tok);
	jwt_keys_free(keys);
	json_object_put(cl);
	if (e != CB_OK) {
		fprintf(stderr, "comprobarctl: signing failed\n");
		return 1;
	}
	printf("%s\n", tok);
	free(tok);
	return 0;
}

/* Imports a statement file from this machine: the same import the API's
 * job runs, without copying the file into storage (it may be large). */
/* One matching pass, as {"vouchers", …, "seconds"}; NULL (said on
 * stderr) when it failed. */
static json_object *
match_pass_json(struct ctl *c)
{
	struct match_pass_stats st;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	cb_err e = match_pass(&c->db, &c->cfg, &st);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (e != CB_OK) {
		fprintf(stderr, "comprobarctl: matching pass: %s: %s\n",
		    cb_strerror(e), db_errmsg(&c->db));
		return NULL;
	}
	json_object *o = jx_object();
	jx_add(o, "vouchers", jx_int64(st.vouchers));
	jx_add(o, "movements", jx_int64(st.movements));
	jx_add(o, "reconciled", jx_int64(
	    st.auto_matched));
	jx_add(o, "review", jx_int64(st.review));
	jx_add(o, "invalid", jx_int64(st.invalid));
	jx_add(o, "seconds", jx_double(
	    (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9));
	return o;
}

static int
cmd_match(struct ctl *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 0) {
		usage(stderr);
		return EX_USAGE;
	}
	setenv("TZ", c->cfg.timezone, 1);
	tzset();
	cb_err e = db_ready(&c->db);
	if (e != CB_OK)
		return db_fail(c, e);
	json_object *o = match_pass_json(c);
	if (!o)
		return EX_SOFTWARE;
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
	json_object_put(o);
	audit(c, "BANK_MATCH_PASS", NULL);
	return 0;
}

static int
cmd_import_statement(struct ctl *c, int argc, char **argv)
{
	char sha[SHA256_HEX_LEN + 1], key[400], err[400], *report = NULL;
	char format[40] = "";
	struct csv_profile prof;
	int64_t id;
	cb_err e;
	if (argc == 3 && strcmp(argv[1], "--profile") == 0) {
		if (import_csv_profile(&c->db, &c->cfg, argv[2], &prof, err,
		    sizeof err) != CB_OK) {
			fprintf(stderr, "comprobarctl: %s\n", err);
			return EX_DATAERR;
		}
		snprintf(format, sizeof format, "csv:%s", argv[2]);
	} else if (argc != 1) {
		usage(stderr);
		return EX_USAGE;
	}
	/* Dates in statements are the installation's calendar days. */
	setenv("TZ", c->cfg.timezone, 1);
	tzset();
	int fd = open(argv[0], O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "comprobarctl: %s: %s\n", argv[0], fd < 0 ?
		    strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return EX_DATAERR;
	}
	if ((e = crypto_sha256_stream_hex(NULL, 0, fd, sha)) != CB_OK) {
		close(fd);
		fprintf(stderr, "comprobarctl: %s: cannot be read\n", argv[0]);
		return EX_DATAERR;
	}
	const char *base = strrchr(argv[0], '/');
	snprintf(key, sizeof key, "cli:%.390s", argv[0]);
	if ((e = db_ready(&c->db)) != CB_OK ||
	    (e = bank_imports_insert(&c->db, base ? base + 1 : argv[0], key, sha,
	        (int64_t)st.st_size, format[0] ? format : NULL, 0, &id)) != CB_OK) {
		close(fd);
		return db_fail(c, e);
	}
	e = import_run(&c->db, id, fd, c->cfg.statement_max_bytes, format[0] ?
	    &prof : NULL, &report, err, sizeof err);
	close(fd);
	bool ok = e == CB_OK;
	if (!ok && e != CB_EINVAL && e != CB_ETOOBIG)
		return db_fail(c, e);
	if ((e = bank_imports_finish(&c->db, id, ok ? "done" : "failed", report,
	    ok ? NULL : err)) != CB_OK) {
		free(report);
		return db_fail(c, e);
	}
	char target[40];
	snprintf(target, sizeof target, "bank_import:%lld", (long long)id);
	audit(c, "BANK_STATEMENT_IMPORT", target);
	if (ok) {
		json_object *r = json_tokener_parse(report);
		/* New movements are matched now, as the import job does. */
		json_object *m = match_pass_json(c);
		if (r && m)
			jx_add(r, "matching", m);
		else
			json_object_put(m);
		printf("%s\n", json_object_to_json_string_ext(r,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(r);
	} else
		fprintf(stderr, "comprobarctl: %s: %s\n", argv[0], err);
	free(report);
	return ok ? 0 : EX_DATAERR;
}

int
main(int argc, char **argv)
{
	const char *config_path = CB_DEFAULT_CONFIG;
	char err[512];
	struct ctl c;
	int i = 1, rc;

	memset(&c, 0, sizeof c);
	log_init(LOG_LVL_WARN, "comprobarctl");
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			config_path = argv[++i];
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("comprobarctl %s (schema %d)\n", PACKAGE_VERSION,
			    SCHEMA_VERSION);
			return 0;
		} else {
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EX_USAGE;
	}
	if (config_load(&c.cfg, config_path, err, sizeof err) != CB_OK) {
		fprintf(stderr, "comprobarctl: %s\n", err);
		config_free(&c.cfg);
		return EX_CONFIG;
	}
	const char *sudo = getenv("SUDO_USER");
	struct passwd *pw = getpwuid(getuid());
	snprintf(c.who, sizeof c.who, "%s", sudo ? sudo : pw ? pw->pw_name : "?");
	if (mysql_library_init(0, NULL, NULL) != 0)
		return 1;
	db_conn_init(&c.db, &c.cfg);
	const char *cmd = argv[i++];
	if (strcmp(cmd, "migrate") == 0) {
		c.db.multi_statements = true;
		log_init(LOG_LVL_INFO, "comprobarctl");
		rc = cmd_migrate(&c, argc - i, argv + i);
	} else if (strcmp(cmd, "user") == 0)
		rc = cmd_user(&c, argc - i, argv + i);
	else if (strcmp(cmd, "apikey") == 0)
		rc = cmd_apikey(&c, argc - i, argv + i);
	else if (strcmp(cmd, "setup-db") == 0)
		rc = ctl_setup_db(config_path, &c.cfg, argc - i, argv + i);
	else if (strcmp(cmd, "doctor") == 0)
		rc = ctl_doctor(&c.cfg, &c.db, argc - i, argv + i);
	else if (strcmp(cmd, "jwt") == 0)
		rc = cmd_jwt(&c, argc - i, argv + i);
	else if (strcmp(cmd, "webhooks") == 0)
		rc = cmd_webhooks(&c, argc - i, argv + i);
	else if (strcmp(cmd, "idempotency") == 0)
		rc = cmd_idempotency(&c, argc - i, argv + i);
	else if (strcmp(cmd, "import-statement") == 0)
		rc = cmd_import_statement(&c, argc - i, argv + i);
	else if (strcmp(cmd, "match") == 0)
		rc = cmd_match(&c, argc - i, argv + i);
	else if (strcmp(cmd, "ocr") == 0)
		rc = cmd_ocr(&c, argc - i, argv + i);
	else {
		usage(stderr);
		rc = EX_USAGE;
	}
	db_conn_close(&c.db);
	config_free(&c.cfg);
	mysql_library_end();
	return rc;
}

/* config.c — see config.h.  The `keys[]` table is the single source of truth. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/config.h"
#include "core/retry_schedule.h"
#include "net/addr_policy.h"
#include "util/buf.h"
#include "util/log.h"

enum ktype { K_STR, K_INT, K_LONG, K_BOOL, K_MODE, K_LEVEL, K_TZ, K_SCHEDULE,
    K_ADDRS, K_URL };

struct key {
	const char *section;
	const char *name;
	enum ktype type;
	size_t off;
	long min, max;
	const char *def;
	bool secret;
};

#define O(f) offsetof(struct config, f)
static const struct key keys[] = {
	{"server", "listen", K_STR, O(listen), 0, 0, "", false},
	{"server", "listen_group", K_STR, O(listen_group), 0, 0, "www-data", false},
	{"server", "listen_mode", K_MODE, O(listen_mode), 0, 0777, "0660", false},
	{"server", "workers", K_INT, O(workers), 1, 64, "2", false},
	{"server", "threads", K_INT, O(threads), 1, 256, "8", false},
	{"server", "shutdown_timeout", K_INT, O(shutdown_timeout), 1, 3600, "30", false},
	{"server", "restart_backoff_max", K_INT, O(restart_backoff_max), 1, 600, "30", false},
	{"server", "json_max_bytes", K_LONG, O(json_max_bytes), 1024, 64L << 20, "1048576", false},
	{"server", "upload_max_bytes", K_LONG, O(upload_max_bytes), 1024, 1L << 30, "10485760", false},
	{"server", "upload_tmp_dir", K_STR, O(upload_tmp_dir), 0, 0, "/var/tmp", false},
	{"server", "timezone", K_TZ, O(timezone), 0, 0, "America/Guatemala", false},
	{"server", "debug_routes", K_BOOL, O(debug_routes), 0, 0, "false", false},
	{"server", "public_url", K_URL, O(public_url), 0, 0, "", false},
	{"database", "host", K_STR, O(db_host), 0, 0, "", false},
	{"database", "port", K_INT, O(db_port), 1, 65535, "3306", false},
	{"database", "socket", K_STR, O(db_socket), 0, 0, "/run/mysqld/mysqld.sock", false},
	{"database", "user", K_STR, O(db_user), 0, 0, "comprobar", false},
	{"database", "password", K_STR, O(db_password), 0, 0, "", true},
	{"database", "name", K_STR, O(db_name), 0, 0, "comprobar", false},
	{"database", "connect_timeout", K_INT, O(db_connect_timeout), 1, 300, "5", false},
	{"database", "retry_after", K_INT, O(db_retry_after), 1, 3600, "5", false},
	{"database", "migrations_dir", K_STR, O(migrations_dir), 0, 0, CB_SQLDIR, false},
	{"idempotency", "lock_seconds", K_INT, O(idem_lock_seconds), 1, 3600, "60", false},
	{"idempotency", "retention_hours", K_INT, O(idem_retention_hours), 24, 24 * 365, "24", false},
	{"jobs", "threads", K_INT, O(job_threads), 0, 64, "2", false},
	{"jobs", "poll_ms", K_INT, O(job_poll_ms), 50, 60000, "1000", false},
	{"jobs", "lease_seconds", K_INT, O(job_lease_seconds), 1, 3600, "60", false},
	{"jobs", "retry_base_seconds", K_INT, O(job_retry_base_seconds), 0, 3600, "5", false},
	{"jobs", "max_attempts", K_INT, O(job_max_attempts), 1, 100, "5", false},
	{"storage", "root", K_STR, O(storage_root), 0, 0, "/var/lib/comprobar/documents", false},
	{"storage", "janitor_interval", K_INT, O(janitor_interval), 10, 86400, "3600", false},
	{"storage", "janitor_grace", K_INT, O(janitor_grace), 1, 86400, "3600", false},
	{"ocr", "languages", K_STR, O(ocr_languages), 0, 0, "spa+eng", false},
	{"ocr", "wait_seconds", K_INT, O(ocr_wait_seconds), 0, 60, "5", false},
	{"ocr", "max_pixels", K_LONG, O(ocr_max_pixels), 10000, 200000000L, "40000000", false},
	{"ocr", "pdf_max_pages", K_INT, O(ocr_pdf_max_pages), 1, 100, "10", false},
	{"ocr", "pdf_dpi", K_INT, O(ocr_pdf_dpi), 72, 600, "200", false},
	{"ocr", "time_limit", K_INT, O(ocr_time_limit), 5, 3600, "60", false},
	{"ocr", "model", K_STR, O(ocr_model), 0, 0, "", false},
	{"bank", "statement_max_bytes", K_LONG, O(statement_max_bytes), 1024, 1L << 40, "1073741824", false},
	{"bank", "csv_profiles_dir", K_STR, O(csv_profiles_dir), 0, 0, "/etc/comprobar/csv-profiles", false},
	{"bank", "match_interval", K_INT, O(match_interval), 10, 86400, "300", false},
	{"bank", "match_days_before", K_INT, O(match_days_before), 0, 30, "3", false},
	{"bank", "match_days_after", K_INT, O(match_days_after), 0, 30, "7", false},
	{"bank", "match_fee_tolerance", K_LONG, O(match_fee_tolerance), 0, 100000000L, "0", false},
	{"web", "templates_dir", K_STR, O(templates_dir), 0, 0, CB_TEMPLATEDIR, false},
	{"web", "cookie_secure", K_BOOL, O(cookie_secure), 0, 0, "true", false},
	{"web", "session_idle_minutes", K_INT, O(session_idle_minutes), 1, 1440, "30", false},
	{"web", "session_hours", K_INT, O(session_hours), 1, 168, "12", false},
	{"web", "login_max_failures", K_INT, O(login_max_failures), 1, 1000, "5", false},
	{"web", "login_window_minutes", K_INT, O(login_window_minutes), 1, 1440, "15", false},
	{"webhooks", "timeout", K_INT, O(webhook_timeout), 1, 60, "15", false},
	{"webhooks", "schedule", K_SCHEDULE, O(webhook_schedule), 0, 0, "0,5,300,1800,7200,18000,36000,36000", false},
	{"webhooks", "jitter_percent", K_INT, O(webhook_jitter_percent), 0, 50, "10", false},
	{"webhooks", "concurrency", K_INT, O(webhook_concurrency), 1, 1000, "64", false},
	{"webhooks", "poll_seconds", K_INT, O(webhook_poll_seconds), 1, 60, "1", false},
	{"webhooks", "disable_after_hours", K_INT, O(webhook_disable_after_hours), 1, 8760, "120", false},
	{"webhooks", "secret_overlap_hours", K_INT, O(webhook_secret_overlap_hours), 0, 720, "24", false},
	{"webhooks", "retry_after_max", K_INT, O(webhook_retry_after_max), 1, 604800, "86400", false},
	{"webhooks", "retention_days", K_INT, O(webhook_retention_days), 1, 3650, "30", false},
	{"outbound", "allow_http", K_BOOL, O(outbound_allow_http), 0, 0, "false", false},
	{"outbound", "allow", K_ADDRS, O(outbound_allow), 0, 0, "", false},
	{"outbound", "ca_file", K_STR, O(outbound_ca_file), 0, 0, "", false},
	{"outbound", "connect_timeout", K_INT, O(outbound_connect_timeout), 1, 120, "10", false},
	{"outbound", "receipt_timeout", K_INT, O(receipt_timeout), 1, 3600, "60", false},
	{"outbound", "receipt_max_bytes", K_LONG, O(receipt_max_bytes), 1024, 1L << 30, "10485760", false},
	{"outbound", "receipt_low_speed_bytes", K_LONG, O(receipt_low_speed_bytes), 1, 1L << 30, "1024", false},
	{"outbound", "receipt_low_speed_seconds", K_INT, O(receipt_low_speed_seconds), 0, 3600, "15", false},
	{"outbound", "receipt_max_redirects", K_INT, O(receipt_max_redirects), 0, 3, "3", false},
	{"jwt", "hs256_secret", K_STR, O(jwt_hs256_secret), 0, 0, "", true},
	{"jwt", "hs256_kid", K_STR, O(jwt_hs256_kid), 0, 0, "", false},
	{"jwt", "rs256_public_key_file", K_STR, O(jwt_rs256_public_key_file), 0, 0, "", false},
	{"jwt", "rs256_kid", K_STR, O(jwt_rs256_kid), 0, 0, "", false},
	{"jwt", "issuer", K_STR, O(jwt_issuer), 0, 0, "", false},
	{"jwt", "audience", K_STR, O(jwt_audience), 0, 0, "", false},
	{"jwt", "leeway_seconds", K_INT, O(jwt_leeway_seconds), 0, 60, "30", false},
	{"jwt", "max_lifetime", K_INT, O(jwt_max_lifetime), 60, 2592000, "86400",
	    false},
	{"log", "level", K_LEVEL, O(log_level), 0, 0, "info", false},
};
#undef O
#define NKEYS (sizeof keys / sizeof keys[0])

static cb_err
set_value(struct config *c, const struct key *k, const char *v, char *msg,
    size_t msglen)
{
	char *base = (char *)c + k->off;
	char *end;
	long n;

	switch (k->type) {
	case K_STR:
	case K_TZ:
	case K_SCHEDULE:
	case K_ADDRS:
	case K_URL:
	case K_LEVEL: {
		if (k->type == K_TZ) {
			/* An IANA name with a zoneinfo file; no path tricks. */
			char zf[256];
			struct stat st;
			snprintf(zf, sizeof zf, "/usr/share/zoneinfo/%s", v);
			if (!*v || strstr(v, "..") || v[0] == '/' ||
			    stat(zf, &st) != 0 || !S_ISREG(st.st_mode)) {
				snprintf(msg, msglen,
				    "expected an IANA time zone such as America/Guatemala");
				return CB_EINVAL;
			}
		}
		if (k->type == K_SCHEDULE) {
			struct retry_schedule sch;
			if (retry_schedule_parse(v, &sch) != CB_OK) {
				snprintf(msg, msglen, "expected 1 to %d delays in seconds,"
				    " separated by commas, such as 0,5,300",
				    RETRY_SCHEDULE_MAX);
				return CB_EINVAL;
			}
		}
		if (k->type == K_URL && *v && ((strncmp(v, "https://", 8) &&
		    strncmp(v, "http://", 7)) || strpbrk(v, " \t\"<>?#") ||
		    v[strlen(v) - 1] == '/')) {
			snprintf(msg, msglen, "expected an http(s) URL without a"
			    " trailing slash, query or fragment, such as"
			    " https://pagos.example.com");
			return CB_EINVAL;
		}
		if (k->type == K_ADDRS) {
			struct addr_policy pol;
			char why[160];
			if (addr_policy_parse(v, &pol, why, sizeof why) != CB_OK) {
				snprintf(msg, msglen, "%s", why);
				return CB_EINVAL;
			}
		}
		if (k->type == K_LEVEL) {
			enum log_level lvl;
			if (log_level_parse(v, &lvl) != 0) {
				snprintf(msg, msglen,
				    "expected one of debug, info, warn, error");
				return CB_EINVAL;
			}
		}
		char *s = strdup(v);
		if (!s)
			return CB_ENOMEM;
		free(*(char **)base);
		*(char **)base = s;
		return CB_OK;
	}
	case K_BOOL:
		if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
		    strcmp(v, "on") == 0 || strcmp(v, "1") == 0)
			*(bool *)base = true;
		else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0 ||
		    strcmp(v, "off") == 0 || strcmp(v, "0") == 0)
			*(bool *)base = false;
		else {
			snprintf(msg, msglen, "expected true or false");
			return CB_EINVAL;
		}
		return CB_OK;
	case K_MODE:
	case K_INT:
	case K_LONG:
		if (!*v || isspace((unsigned char)*v) || *v == '+' || *v == '-')
			goto bad;
		errno = 0;
		n = strtol(v, &end, k->type == K_MODE ? 8 : 10);
		if (errno || *end || n < k->min || n > k->max)
			goto bad;
		if (k->type == K_MODE)
			*(unsigned *)base = (unsigned)n;
		else if (k->type == K_INT)
			*(int *)base = (int)n;
		else
			*(long *)base = n;
		return CB_OK;
	}
bad:
	if (k->type == K_MODE)
		snprintf(msg, msglen, "expected an octal mode 0000..0777");
	else
		snprintf(msg, msglen, "expected an integer %ld..%ld", k->min,
		    k->max);
	return CB_EINVAL;
}

cb_err
config_defaults(struct config *c)
{
	char msg[128];
	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < NKEYS; i++) {
		cb_err e = set_value(c, &keys[i], keys[i].def, msg, sizeof msg);
		if (e != CB_OK)
			return e;
	}
	return CB_OK;
}

static char *
trim(char *s, char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*end = '\0';
	return s;
}

cb_err
config_parse(struct config *c, const char *text, size_t len, const char *name,
    char *err, size_t errlen)
{
	char section[64] = "";
	char msg[160];
	unsigned seen[NKEYS] = {0};
	cb_err e = CB_OK;
	size_t lineno = 0;

	if (len > CONFIG_MAX_BYTES) {
		snprintf(err, errlen, "%s: larger than %d bytes", name,
		    CONFIG_MAX_BYTES);
		return CB_EINVAL;
	}
	char *copy = malloc(len + 1);
	if (!copy)
		return CB_ENOMEM;
	memcpy(copy, text, len);
	copy[len] = '\0';

	char *p = copy, *stop = copy + len;
	while (p < stop) {
		char *nl = memchr(p, '\n', (size_t)(stop - p));
		char *eol = nl ? nl : stop;
		lineno++;
		if (memchr(p, '\0', (size_t)(eol - p))) {
			snprintf(err, errlen, "%s:%zu: NUL byte", name, lineno);
			e = CB_EINVAL;
			goto out;
		}
		char *line = trim(p, eol);
		p = nl ? nl + 1 : stop;
		if (*line == '\0' || *line == '#' || *line == ';')
			continue;
		if (*line == '[') {
			char *close = strchr(line, ']');
			if (!close || close[1] != '\0' ||
			    (size_t)(close - line - 1) >= sizeof section) {
				snprintf(err, errlen, "%s:%zu: bad section header",
				    name, lineno);
				e = CB_EINVAL;
				goto out;
			}
			*close = '\0';
			snprintf(section, sizeof section, "%s", trim(line + 1, close));
			bool known = false;
			for (size_t i = 0; i < NKEYS; i++)
				known |= strcmp(keys[i].section, section) == 0;
			if (!known) {
				snprintf(err, errlen, "%s:%zu: unknown section [%.60s]",
				    name, lineno, section);
				e = CB_EINVAL;
				goto out;
			}
			continue;
		}
		char *eq = strchr(line, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%zu: expected key = value", name,
			    lineno);
			e = CB_EINVAL;
			goto out;
		}
		char *key = trim(line, eq);
		char *val = trim(eq + 1, eq + 1 + strlen(eq + 1));
		/* Quotes are optional; they let a value keep edge spaces. */
		size_t vl = strlen(val);
		if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
			val[vl - 1] = '\0';
			val++;
		}
		const struct key *k = NULL;
		size_t ki = 0;
		for (; ki < NKEYS; ki++)
			if (strcmp(keys[ki].section, section) == 0 &&
			    strcmp(keys[ki].name, key) == 0) {
				k = &keys[ki];
				break;
			}
		if (!k) {
			snprintf(err, errlen, "%s:%zu: unknown key '%.60s' in [%.60s]",
			    name, lineno, key, *section ? section : "(no section)");
			e = CB_EINVAL;
			goto out;
		}
		if (seen[ki]++) {
			snprintf(err, errlen, "%s:%zu: key '%s' set twice in [%s]",
			    name, lineno, key, section);
			e = CB_EINVAL;
			goto out;
		}
		if ((e = set_value(c, k, val, msg, sizeof msg)) != CB_OK) {
			if (e == CB_EINVAL)
				snprintf(err, errlen, "%s:%zu: %s.%s: %s, got '%.60s'",
				    name, lineno, section, key, msg,
				    k->secret ? "(redacted)" : val);
			goto out;
		}
	}
out:
	free(copy);
	return e;
}

/* Parses one file over what *c already holds. */
static cb_err
parse_file(struct config *c, const char *path, char *err, size_t errlen)
{
	struct buf b;
	char chunk[8192];
	cb_err e = CB_OK;

	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return CB_EIO;
	}
	buf_init(&b, CONFIG_MAX_BYTES);
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			e = CB_EIO;
			break;
		}
		if (n == 0)
			break;
		if ((e = buf_append(&b, chunk, (size_t)n)) != CB_OK) {
			snprintf(err, errlen, "%s: %s", path, cb_strerror(e));
			break;
		}
	}
	close(fd);
	if (e == CB_OK)
		e = config_parse(c, b.data ? b.data : "", b.len, path, err, errlen);
	buf_free(&b);
	return e;
}

static int
dropin_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] != '.' && n > 5 &&
	    strcmp(d->d_name + n - 5, ".conf") == 0;
}

cb_err
config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	cb_err e;

	if ((e = config_defaults(c)) != CB_OK)
		return e;
	if ((e = parse_file(c, path, err, errlen)) != CB_OK)
		return e;
	/* Drop-ins: what tools write (comprobarctl setup-db) goes beside the
	 * packaged conffile, never into it, so upgrades never ask. */
	char dir[PATH_MAX];
	if ((size_t)snprintf(dir, sizeof dir, "%s.d", path) >= sizeof dir) {
		snprintf(err, errlen, "%s: path too long", path);
		return CB_EINVAL;
	}
	struct dirent **list = NULL;
	int n = scandir(dir, &list, dropin_name, alphasort);
	if (n < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return CB_OK;
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return CB_EIO;
	}
	for (int i = 0; i < n; i++) {
		char file[PATH_MAX];
		if (e == CB_OK) {
			if ((size_t)snprintf(file, sizeof file, "%s/%s", dir,
			    list[i]->d_name) >= sizeof file) {
				snprintf(err, errlen, "%s: path too long", dir);
				e = CB_EINVAL;
			} else
				e = parse_file(c, file, err, errlen);
		}
		free(list[i]);
	}
	free(list);
	return e;
}

static bool
is_string(enum ktype t)
{
	return t == K_STR || t == K_LEVEL || t == K_TZ || t == K_SCHEDULE ||
	    t == K_ADDRS || t == K_URL;
}

void
config_free(struct config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < NKEYS; i++)
		if (is_string(keys[i].type)) {
			char **s = (char **)((char *)c + keys[i].off);
			free(*s);
			*s = NULL;
		}
}

void
config_each(const struct config *c,
    void (*fn)(const char *, const char *, const char *, void *), void *arg)
{
	char tmp[32];
	for (size_t i = 0; i < NKEYS; i++) {
		const struct key *k = &keys[i];
		const char *base = (const char *)c + k->off;
		const char *v = tmp;
		switch (k->type) {
		case K_STR:
		case K_TZ:
		case K_SCHEDULE:
		case K_ADDRS:
		case K_URL:
		case K_LEVEL: v = *(char *const *)base; break;
		case K_BOOL: v = *(const bool *)base ? "true" : "false"; break;
		case K_INT: snprintf(tmp, sizeof tmp, "%d", *(const int *)base); break;
		case K_LONG: snprintf(tmp, sizeof tmp, "%ld", *(const long *)base); break;
		case K_MODE: snprintf(tmp, sizeof tmp, "%04o", *(const unsigned *)base); break;
		}
		if (k->secret && v && *v)
			v = "(redacted)";
		fn(k->section, k->name, v ? v : "", arg);
	}
}

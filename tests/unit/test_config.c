/* test_config.c — the INI parser: defaults, types, bounds, errors with file
 * and line, and agreement with the documented sample. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf/config.h"
#include "unit.h"

static cb_err
parse(struct config *c, const char *text, char *err)
{
	ck_assert_int_eq(config_defaults(c), CB_OK);
	return config_parse(c, text, strlen(text), "t.conf", err, 256);
}

START_TEST(defaults)
{
	struct config c;
	ck_assert_int_eq(config_defaults(&c), CB_OK);
	ck_assert_int_eq(c.workers, 2);
	ck_assert_int_eq(c.threads, 8);
	ck_assert_int_eq(c.listen_mode, 0660);
	ck_assert_int_eq(c.json_max_bytes, 1048576);
	ck_assert_str_eq(c.db_socket, "/run/mysqld/mysqld.sock");
	ck_assert(!c.debug_routes);
	config_free(&c);
}
END_TEST

START_TEST(values_and_comments)
{
	struct config c;
	char err[256] = "";
	ck_assert_int_eq(parse(&c,
	    "# comment\n; other\n[server]\r\nworkers = 4\nthreads=16 \n"
	    "listen_mode = 0600\ndebug_routes = yes\n[database]\n"
	    "password = \" spaced secret \"\nhost=db.local\n[log]\nlevel = debug\n",
	    err), CB_OK);
	ck_assert_int_eq(c.workers, 4);
	ck_assert_int_eq(c.threads, 16);
	ck_assert_int_eq(c.listen_mode, 0600);
	ck_assert(c.debug_routes);
	ck_assert_str_eq(c.db_password, " spaced secret ");
	ck_assert_str_eq(c.db_host, "db.local");
	ck_assert_str_eq(c.log_level, "debug");
	config_free(&c);
}
END_TEST

static void
expect_error(const char *text, const char *needle)
{
	struct config c;
	char err[256] = "";
	ck_assert_int_eq(parse(&c, text, err), CB_EINVAL);
	ck_assert_msg(strstr(err, needle) != NULL, "'%s' lacks '%s'", err, needle);
	config_free(&c);
}

START_TEST(errors_name_line_and_key)
{
	expect_error("[server]\nwrokers = 3\n", "t.conf:2: unknown key 'wrokers'");
	expect_error("[server]\nworkers = 0\n", "t.conf:2: server.workers: expected an integer 1..64");
	expect_error("[server]\nworkers = 65\n", "1..64");
	expect_error("[server]\nworkers = 3x\n", "got '3x'");
	expect_error("[server]\nworkers = -1\n", "1..64");
	expect_error("[server]\nworkers = \n", "1..64");
	expect_error("[server]\nworkers = 99999999999999999999\n", "1..64");
	expect_error("[server]\ndebug_routes = maybe\n", "true or false");
	expect_error("[server]\nlisten_mode = 0999\n", "octal");
	expect_error("[log]\nlevel = loud\n", "debug, info, warn, error");
	expect_error("[servr]\n", "t.conf:1: unknown section [servr]");
	expect_error("[server\n", "bad section header");
	expect_error("workers = 3\n", "(no section)");
	expect_error("[server]\njust words\n", "t.conf:2: expected key = value");
	expect_error("[server]\nworkers = 2\nworkers = 3\n", "set twice");
	expect_error("[server]\npublic_url = pagos.example.com\n", "http(s) URL");
	expect_error("[server]\npublic_url = https://x.example/\n", "trailing slash");
	expect_error("[server]\npublic_url = https://x.example?a\n", "http(s) URL");
	expect_error("[server]\npublic_url = ftp://x.example\n", "http(s) URL");
	expect_error("[jwt]\nmax_lifetime = 10\n", "60..2592000");
}
END_TEST

static void
collect(const char *s, const char *k, const char *v, void *arg)
{
	char line[512];
	snprintf(line, sizeof line, "%s.%s=%s\n", s, k, v);
	strncat((char *)arg, line, 8191 - strlen(arg));
}

START_TEST(each_redacts_password)
{
	struct config c;
	char err[256], out[8192] = "";
	ck_assert_int_eq(parse(&c, "[database]\npassword = hunter2\n", err), CB_OK);
	config_each(&c, collect, out);
	ck_assert(strstr(out, "hunter2") == NULL);
	ck_assert(strstr(out, "database.password=(redacted)") != NULL);
	ck_assert(strstr(out, "server.workers=2") != NULL);
	config_free(&c);
}
END_TEST

START_TEST(nul_and_size_limits)
{
	struct config c;
	char err[256];
	static const char text[] = "[server]\nworkers = 2\0\n";
	ck_assert_int_eq(config_defaults(&c), CB_OK);
	ck_assert_int_eq(config_parse(&c, text, sizeof text - 1, "t", err, sizeof err),
	    CB_EINVAL);
	ck_assert(strstr(err, "NUL") != NULL);
	ck_assert_int_eq(config_parse(&c, text, CONFIG_MAX_BYTES + 1, "t", err,
	                     sizeof err), CB_EINVAL);
	config_free(&c);
}
END_TEST

/* The commented sample documents every key with its default: parsing it
 * must succeed and give exactly the built-in defaults. */
START_TEST(sample_matches_defaults)
{
	char path[1024], err[256] = "", a[8192] = "", b[8192] = "";
	struct config c, d;
	snprintf(path, sizeof path, "%s/etc/comprobar.conf.sample", TOP_SRCDIR);
	ck_assert_msg(config_load(&c, path, err, sizeof err) == CB_OK, "%s", err);
	ck_assert_int_eq(config_defaults(&d), CB_OK);
	/* The packaged path differs from a /usr/local build's default. */
	free(d.migrations_dir);
	d.migrations_dir = strdup(c.migrations_dir);
	free(d.templates_dir);
	d.templates_dir = strdup(c.templates_dir);
	config_each(&c, collect, a);
	config_each(&d, collect, b);
	ck_assert_str_eq(a, b);
	/* And every key appears in the sample, uncommented. */
	FILE *f = fopen(path, "r");
	static char text[65536];
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	char *save = NULL;
	for (char *line = strtok_r(b, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char needle[128];
		char *dot = strchr(line, '.'), *eq = strchr(line, '=');
		snprintf(needle, sizeof needle, "\n%.*s =", (int)(eq - dot - 1),
		    dot + 1);
		ck_assert_msg(strstr(text, needle) != NULL,
		    "key %s is not documented in the sample", line);
	}
	config_free(&c);
	config_free(&d);
}
END_TEST

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* PATH.d/NAME.conf override the file in name order; others are ignored; a bad
 * drop-in is named in the error. */
START_TEST(dropins_override_in_order)
{
	char dir[] = "/tmp/cb-conf-XXXXXX", path[256], d[300], f[400];
	char err[256] = "";
	struct config c;
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/comprobar.conf", dir);
	snprintf(d, sizeof d, "%s.d", path);
	write_file(path, "[database]\nuser = a\npassword = p0\nname = n0\n");
	ck_assert_int_eq(config_load(&c, path, err, sizeof err), CB_OK);
	ck_assert_str_eq(c.db_password, "p0");
	config_free(&c);
	ck_assert_int_eq(mkdir(d, 0700), 0);
	snprintf(f, sizeof f, "%s/50-database.conf", d);
	write_file(f, "[database]\npassword = p1\nname = n1\n");
	snprintf(f, sizeof f, "%s/60-more.conf", d);
	write_file(f, "[database]\nname = n2\n");
	snprintf(f, sizeof f, "%s/90-skipped.conf.dpkg-old", d);
	write_file(f, "garbage\n");
	ck_assert_msg(config_load(&c, path, err, sizeof err) == CB_OK, "%s", err);
	ck_assert_str_eq(c.db_user, "a");
	ck_assert_str_eq(c.db_password, "p1");
	ck_assert_str_eq(c.db_name, "n2");
	config_free(&c);
	snprintf(f, sizeof f, "%s/70-bad.conf", d);
	write_file(f, "[database]\nnope = 1\n");
	ck_assert_int_eq(config_load(&c, path, err, sizeof err), CB_EINVAL);
	ck_assert_msg(strstr(err, "70-bad.conf:2") != NULL, "%s", err);
	config_free(&c);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("config");
	TCase *t = tcase_create("config");
	tcase_add_test(t, defaults);
	tcase_add_test(t, values_and_comments);
	tcase_add_test(t, errors_name_line_and_key);
	tcase_add_test(t, each_redacts_password);
	tcase_add_test(t, nul_and_size_limits);
	tcase_add_test(t, sample_matches_defaults);
	tcase_add_test(t, dropins_override_in_order);
	suite_add_tcase(s, t);
	return s;
}

/*
 * config.h — comprobar.conf, an INI file.
 *
 * DESIGN: every key is declared once in a table (config.c: `keys[]`) with
 * its section, type, bounds and default; the parser walks that table, so an
 * unknown key or an out-of-range value is an error naming the file, line
 * and key.  The parser is pure (text in, struct out) and has a fuzz target.
 * etc/comprobar.conf.sample documents every key with its default; a unit
 * test checks that the sample and the table agree.
 */
#ifndef CB_CONFIG_H
#define CB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

#define CONFIG_MAX_BYTES (1 << 20)

struct config {
	/* [server] — strings are owned by the struct, freed by config_free */
	char *listen;             /* "" = socket on fd 0 / systemd */
	char *listen_group;       /* group for a unix socket we create */
	unsigned listen_mode;     /* octal file mode for that socket */
	int workers;              /* worker processes */
	int threads;              /* request threads per worker */
	int shutdown_timeout;     /* seconds to finish in-flight requests */
	int restart_backoff_max;  /* seconds between restarts of a crashing worker */
	long json_max_bytes;      /* largest JSON body accepted */
	long upload_max_bytes;    /* largest upload accepted (multipart) */
	char *upload_tmp_dir;     /* where large uploads are buffered */
	char *timezone;           /* installation time zone, IANA name */
	bool debug_routes;        /* /api/debug/… for tests only */
	char *public_url;         /* "https://host" clients reach us at; "" = none */
	/* [database] */
	char *db_host;            /* "" = unix socket */
	int db_port;
	char *db_socket;
	char *db_user;
	char *db_password;        /* secret: never logged */
	char *db_name;
	int db_connect_timeout;   /* seconds */
	int db_retry_after;       /* seconds advertised on 503 */
	char *migrations_dir;
	/* [idempotency] */
	int idem_lock_seconds;    /* a claimed key's lock: then reclaimable */
	int idem_retention_hours; /* keys are kept at least this long */
	/* [jobs] */
	int job_threads;          /* job threads per worker */
	int job_poll_ms;          /* idle threads look for due jobs this often */
	int job_lease_seconds;    /* a claimed job is another's after this */
	int job_retry_base_seconds; /* first retry delay; doubles each time */
	int job_max_attempts;     /* default attempts before a job is dead */
	/* [storage] */
	char *storage_root;       /* documents live under here */
	int janitor_interval;     /* seconds between stray-file sweeps */
	int janitor_grace;        /* a file younger than this is never a stray */
	long statement_max_bytes; /* the largest bank statement file read */
	char *csv_profiles_dir;   /* <name>.conf: how each bank writes CSV */
	int match_interval;       /* seconds between matching passes */
	int match_days_before;    /* business days a movement may precede … */
	int match_days_after;     /* … or follow the voucher's date */
	long match_fee_tolerance; /* minor units a movement may fall short */
	/* [ocr] */
	char *ocr_languages;      /* tesseract languages, tried in order */
	int ocr_wait_seconds;     /* a create waits this long for its OCR */
	long ocr_max_pixels;      /* width × height of an image or page */
	int ocr_pdf_max_pages;
	int ocr_pdf_dpi;          /* scanned PDF pages are rendered at this */
	int ocr_time_limit;       /* seconds for one document */
	char *ocr_model;          /* a refitted model (JSON); "": built in */
	/* [web] */
	char *templates_dir;      /* *.xhtml and messages.{es,en}.json */
	bool cookie_secure;       /* Secure, __Host- cookies (false: http demo) */
	int session_idle_minutes;
	int session_hours;        /* absolute lifetime */
	int login_max_failures;   /* per account per window (×4 per address) */
	int login_window_minutes;
	/* [webhooks] */
	int webhook_timeout;      /* seconds for a 2xx, else the attempt failed */
	char *webhook_schedule;   /* seconds before each attempt: "0,5,300,…" */
	int webhook_jitter_percent; /* ± this much of each delay */
	int webhook_concurrency;  /* deliveries in flight on the one job thread */
	int webhook_poll_seconds; /* the dispatcher looks for work this often */
	int webhook_disable_after_hours; /* failing this long: endpoint disabled */
	int webhook_secret_overlap_hours; /* a rotated secret still signs */
	int webhook_retry_after_max; /* a receiver's Retry-After is capped here */
	int webhook_retention_days; /* finished deliveries and events kept */
	/* [outbound] */
	bool outbound_allow_http; /* http as well as https (tests only) */
	char *outbound_ca_file;   /* PEM CAs trusted instead of the system's; "" */
	char *outbound_allow;     /* addresses admitted despite the denied ranges */
	int outbound_connect_timeout; /* seconds */
	int receipt_timeout;      /* seconds for a whole receipt download */
	long receipt_max_bytes;
	long receipt_low_speed_bytes; /* slower than this a second … */
	int receipt_low_speed_seconds; /* … for this long: abandoned */
	int receipt_max_redirects;
	/* [jwt] — seed 001's Bearer tokens */
	char *jwt_hs256_secret;   /* base64url of ≥ 32 random bytes; secret */
	char *jwt_hs256_kid;
	char *jwt_rs256_public_key_file; /* PEM */
	char *jwt_rs256_kid;
	char *jwt_issuer;         /* "" = not checked */
	char *jwt_audience;       /* "" = not checked */
	int jwt_leeway_seconds;
	int jwt_max_lifetime;      /* seconds a token may still run from now */
	/* [log] */
	char *log_level;
};

/* Fills *c with defaults (all strings allocated). */
cb_err config_defaults(struct config *c);

/* Parses text over the defaults already in *c.  On error writes a message
 * "NAME:LINE: …" into err and returns CB_EINVAL; *c may be partly updated
 * (callers discard it). */
cb_err config_parse(struct config *c, const char *text, size_t len,
    const char *name, char *err, size_t errlen);

/* Defaults, then the file at path (a missing file is an error), then each
 * every PATH.d/NAME.conf in name order, each over the last: a key a drop-in sets
 * replaces the file's (within one file a key may be set once). */
cb_err config_load(struct config *c, const char *path, char *err,
    size_t errlen);

void config_free(struct config *c);

/* Calls fn(section, key, value) for each key, secrets replaced with
 * "(redacted)"; for logging the effective config at start. */
void config_each(const struct config *c,
    void (*fn)(const char *section, const char *key, const char *value,
        void *arg),
    void *arg);

#endif

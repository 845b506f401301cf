/* log.c — see log.h.  The only mutable globals are set once at startup. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

static enum log_level min_level = LOG_LVL_INFO;
static const char *ident = "comprobar";
static int journal;

void
log_init(enum log_level min, const char *id)
{
	min_level = min;
	if (id)
		ident = id;
	journal = getenv("JOURNAL_STREAM") != NULL;
}

int
log_level_parse(const char *name, enum log_level *out)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	for (int i = 0; i < 4; i++)
		if (strcmp(name, names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	return -1;
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *tag[] = {"debug", "info", "warn", "error"};
	static const char *prio[] = {"<7>", "<6>", "<4>", "<3>"};
	char line[2048];
	size_t n;
	int r;
	va_list ap;

	if (lvl < min_level)
		return;
	if (journal)
		r = snprintf(line, sizeof line, "%s%s[%ld]: ", prio[lvl], ident,
		    (long)getpid());
	else {
		struct timespec ts;
		struct tm tm;
		char when[32];
		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
		r = snprintf(line, sizeof line, "%s.%03ldZ %s[%ld] %s: ", when,
		    ts.tv_nsec / 1000000, ident, (long)getpid(), tag[lvl]);
	}
	n = r > 0 ? (size_t)r : 0;
	va_start(ap, fmt);
	r = vsnprintf(line + n, sizeof line - n, fmt, ap);
	va_end(ap);
	if (r > 0)
		n += (size_t)r;
	if (n > sizeof line - 2)
		n = sizeof line - 2;
	/* Control characters from data must not forge extra log lines. */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)line[i] < 0x20 && line[i] != '\t')
			line[i] = ' ';
	line[n++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, n);
	(void)w;
}

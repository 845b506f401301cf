/*
 * log.h — one-line log records on stderr, for journald.
 *
 * Each record is written with a single write(2) so that lines from
 * concurrent threads and processes never interleave.  When stderr is a
 * journald stream (JOURNAL_STREAM set) the line carries a <N> syslog level
 * prefix; otherwise it carries the level name.  Never pass secrets here:
 * callers log ids and names, never keys, passwords or bodies.
 */
#ifndef CB_LOG_H
#define CB_LOG_H

enum log_level { LOG_LVL_DEBUG, LOG_LVL_INFO, LOG_LVL_WARN, LOG_LVL_ERROR };

/* Startup only: set before any thread starts. */
void log_init(enum log_level min, const char *ident);
/* Returns 0 and sets *out, or -1 for an unknown name. */
int log_level_parse(const char *name, enum log_level *out);

void log_msg(enum log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)

#endif

/*
 * camt.h — ISO 20022 bank-to-customer statements: camt.053 (statement),
 * camt.052 (intraday report) and camt.054 (notification), any version
 * (read from the namespace), inside a business application header or
 * envelope or not.  Streamed: memory stays flat whatever the file's size.
 */
#ifndef CB_CAMT_H
#define CB_CAMT_H

#include "bank/statement.h"

/* Reads one XML document from rd (at most max_bytes) and hands its
 * statements, entries and refusals to sink.  CB_EINVAL (err says where)
 * for malformed or hostile XML and for a document that is not camt,
 * CB_ETOOBIG past max_bytes, or the sink's own error. */
/* Sets libxml2's process-wide entity loader (nothing outside a document
 * is ever read).  Servers call it at startup, before any thread; camt_read
 * calls it too (once) for the command line and the tests. */
void camt_global_init(void);

cb_err camt_read(stmt_read_fn rd, void *ctx, long long max_bytes,
    const struct stmt_sink *sink, char *err, size_t errlen);

#endif

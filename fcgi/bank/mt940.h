/*
 * mt940.h — SWIFT MT940 customer statements as banks write them: :20:
 * :25: :28C: :60F/M: :61: :86: :62F/M: :64:, several statements a file,
 * inside FIN blocks and SOH/ETX framing or bare, after banks' header
 * lines and preambles, wrapped lines, entry dates without a year or
 * blank, RC/RD reversals, funds codes, any type code or none, decimal
 * commas, text in UTF-8, CP852 or Windows-1252; :86: structures read by
 * mt940_info.c.  Streamed line by line.
 */
#ifndef CB_MT940_H
#define CB_MT940_H

#include "bank/statement.h"

/* Reads rd to the end (at most max_bytes) and hands statements, entries
 * and refusals (by line) to sink.  CB_EINVAL when nothing in it is an
 * MT940 statement, CB_ETOOBIG past max_bytes, or the sink's error. */
cb_err mt940_read(stmt_read_fn rd, void *ctx, long long max_bytes,
    const struct stmt_sink *sink, char *err, size_t errlen);

#endif

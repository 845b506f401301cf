/*
 * mt940_info.h — an MT940 :86: field read into the movement it follows:
 * German ?NN subfields with SEPA keywords, Dutch /TAG/ structures and ABN
 * AMRO's labelled columns give the end-to-end id, the other party's name
 * and account, the creditor reference and the remittance text; free text
 * is kept as written.  For mt940.c only.
 */
#ifndef CB_MT940_INFO_H
#define CB_MT940_INFO_H

#include <stddef.h>

#include "bank/statement.h"

/* The :86: text v (its lines joined by '\n') into x, and onto x->raw. */
void mt940_information(struct stmt_entry *x, const char *v);

/* Copies at most len bytes of s (which has at least len) into out (size
 * outlen), spaces trimmed at both ends, never cutting a UTF-8 character. */
void mt940_put_text(char *out, size_t outlen, const char *s, size_t len);

#endif

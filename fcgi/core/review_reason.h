/*
 * review_reason.h — why a payment waits for a person, as codes.
 *
 * A payment's review reason is stored as English sentences joined by "; "
 * (the API's reviewReason, the log).  Each sentence comes from one template
 * of the table in review_reason.c, with up to three values in it; the same
 * table writes a sentence (review_reason_format) and reads it back into a
 * code and its values (review_reasons_parse), so that the API can give each
 * reason a code and the review pages can say it in the reader's language.
 * A sentence no template matches is code "other" with the sentence itself.
 */
#ifndef CB_REVIEW_REASON_H
#define CB_REVIEW_REASON_H

#include <stdbool.h>
#include <stddef.h>

#define REVIEW_REASONS_MAX 12

struct review_reason {
	const char *code;          /* static: "low_confidence", …, "other" */
	char field[40];            /* {field}: a payment member, "" = none */
	char a[256], b[256];       /* {a}, {b}: the values the sentence carries */
};

/* The sentence for code with its values ("" where unused) into out; false
 * (out "") for an unknown code. */
bool review_reason_format(char *out, size_t len, const char *code,
    const char *field, const char *a, const char *b);

/* Splits text ("; "-joined sentences) into at most max reasons; returns
 * how many.  Never fails: what no template reads is "other". */
size_t review_reasons_parse(const char *text, struct review_reason *out,
    size_t max);

/* A payment's reasons after a new OCR reading: the sentences of old
 * that others wrote (bank matching, "other") kept in order, those an
 * earlier reading wrote dropped, then ocr's (either may be NULL or "").
 * A new string the caller frees ("" when nothing is left), NULL when out
 * of memory. */
char *review_reasons_with_ocr(const char *old, const char *ocr);

#endif

/*
 * document.h — what a receipt document is, decided from its bytes alone
 * (never its name or the Content-Type a client sent), and the name it is
 * stored under.
 */
#ifndef CB_DOCUMENT_H
#define CB_DOCUMENT_H

#include <stddef.h>

enum doc_type { DOC_NONE = 0, DOC_JPEG, DOC_PNG, DOC_PDF };

#define DOC_TYPES_SUPPORTED "image/jpeg, image/png, application/pdf"
#define DOC_NAME_MAX 100  /* bytes of a sanitised file name */

/* From the first bytes (at least 8 are needed).  DOC_NONE if unsupported. */
enum doc_type doc_sniff(const unsigned char *head, size_t n);
const char *doc_mime(enum doc_type t);      /* "image/jpeg" … */
const char *doc_ext(enum doc_type t);       /* ".jpg" … */
enum doc_type doc_type_from_mime(const char *mime);

/* Checks how the file ends, given its last bytes (up to 1024): a JPEG must
 * end at its EOI marker, a PNG at its IEND chunk (so nothing is appended:
 * polyglots and truncated uploads are refused), a PDF must carry %%EOF.
 * NULL if fine, else a static reason. */
const char *doc_check_tail(enum doc_type t, const unsigned char *tail,
    size_t n);

/* A safe file name from what a client sent: the last path segment only;
 * control and direction-control characters, separators, quotes and bytes
 * that are not UTF-8 become '_'; no leading dot; always ending in t's
 * extension (another receipt type's replaced, anything else kept before
 * it); at most DOC_NAME_MAX bytes (the extension kept, no UTF-8 sequence
 * cut); "document" + ext if nothing is left.  out must hold DOC_NAME_MAX +
 * 1 bytes. */
void doc_sanitize_name(const char *raw, enum doc_type t, char *out);

#endif

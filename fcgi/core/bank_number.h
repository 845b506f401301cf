/*
 * bank_number.h — account numbers as clients register them: an IBAN
 * (ISO 13616, mod-97 check), a Mexican CLABE (18 digits, weighted check
 * digit), a Peruvian CCI (20 digits) or a bank's own account number.
 */
#ifndef CB_BANK_NUMBER_H
#define CB_BANK_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

/* Letters and digits of in, upper case ("0011-0123-02" → "0011012302"),
 * into out (len bytes, truncated to fit): how registered numbers and the
 * numbers statements name are compared.  Returns how many there are. */
size_t bank_number_norm(const char *in, char *out, size_t len);

/* Checks number as kind ("iban", "clabe", "cci", "account"; NULL or ""
 * to tell from its shape).  On success *kind_out is the kind and norm
 * (≥ 65 bytes) its letters and digits, upper case; false with why. */
bool bank_number_check(const char *number, const char *kind,
    const char **kind_out, char *norm, size_t normlen, char *why,
    size_t whylen);

/* Whether s (spaces allowed) is an IBAN: its shape and check digits. */
bool bank_number_is_iban(const char *s);

#endif

/* mt940_info.c — see mt940_info.h. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bank/mt940_info.h"
#include "util/codec.h"

void
mt940_put_text(char *out, size_t outlen, const char *s, size_t len)
{
	while (len && *s == ' ')
		s++, len--;
	while (len && s[len - 1] == ' ')
		len--;
	if (len >= outlen)
		len = outlen - 1;
	/* s[len] is inside the text (len never passes its end): a character
	 * it starts in the middle of is left out whole. */
	while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
		len--;
	memcpy(out, s, len);
	out[len] = '\0';
}

/* The remittance text (len bytes of text) as the movement's information,
 * before the :61: line's supplementary details already there ("/OCMT/…"):
 * neither is lost. */
static void
set_remittance(struct stmt_entry *x, const char *text, size_t len)
{
	char before[sizeof x->info];
	snprintf(before, sizeof before, "%s", x->info);
	mt940_put_text(x->info, sizeof x->info, text, len);
	size_t n = strlen(x->info);
	if (before[0] && n + 3 < sizeof x->info) {
		snprintf(x->info + n, sizeof x->info - n, "; %.*s",
		    (int)(sizeof x->info - n - 3), before);
		utf8_trim_tail(x->info);
	}
}

/* The value of SEPA keyword kw ("EREF+") in a purpose text: up to the next
 * keyword or the end. */
static bool
sepa_value(const char *text, const char *kw, char *out, size_t outlen)
{
	static const char *const kws[] = {"EREF+", "KREF+", "MREF+", "CRED+",
	    "DEBT+", "SVWZ+", "ABWA+", "ABWE+", "COAM+", "OAMT+", "IBAN+", "BIC+",
	    NULL};
	const char *v = strstr(text, kw);
	if (!v)
		return false;
	v += strlen(kw);
	size_t len = strlen(v);
	for (int i = 0; kws[i]; i++) {
		const char *n = strstr(v, kws[i]);
		if (n && (size_t)(n - v) < len)
			len = (size_t)(n - v);
	}
	mt940_put_text(out, outlen, v, len);
	return out[0] != '\0';
}

/* German :86: — "NNN?00text?10…?20…": subfields ?20-?29 and ?60-?63 are
 * the purpose (joined as written: a wrap may fall inside a word), ?30
 * the bank code, ?31 the account, ?32-?33 the name. */
static bool
german(struct stmt_entry *x, const char *v)
{
	char purpose[512] = "", name[141] = "";
	size_t pu = 0, nu = 0;
	for (const char *q = strchr(v, '?'); q; q = strchr(q + 1, '?')) {
		if (q[1] < '0' || q[1] > '9' || q[2] < '0' || q[2] > '9')
			continue;
		int k = (q[1] - '0') * 10 + (q[2] - '0');
		const char *val = q + 3;
		size_t len = strcspn(val, "?");
		if ((k >= 20 && k <= 29) || (k >= 60 && k <= 63)) {
			if (pu + len < sizeof purpose) {
				memcpy(purpose + pu, val, len);
				pu += len;
				purpose[pu] = '\0';
			}
		} else if (k == 31)
			mt940_put_text(x->party_account, sizeof x->party_account, val, len);
		else if ((k == 32 || k == 33) && nu + len < sizeof name) {
			memcpy(name + nu, val, len);
			nu += len;
			name[nu] = '\0';
		}
	}
	if (name[0])
		mt940_put_text(x->party_name, sizeof x->party_name, name, nu);
	char t[141];
	if (sepa_value(purpose, "EREF+", t, sizeof t) && strcmp(t, "NOTPROVIDED"))
		utf8_copy(x->end_to_end, sizeof x->end_to_end, t);
	if (!x->party_account[0] && sepa_value(purpose, "IBAN+", t, sizeof t))
		utf8_copy(x->party_account, sizeof x->party_account, t);
	char remi[512];
	if (!sepa_value(purpose, "SVWZ+", remi, sizeof remi))
		mt940_put_text(remi, sizeof remi, purpose, pu);
	if (remi[0])
		set_remittance(x, remi, strlen(remi));
	return remi[0] != '\0';
}

/* The value after "/TAG/" in Dutch structured :86: text, up to the next
 * known tag; CNTP's parts are account/BIC/name/city. */
static const char *
dutch_tag(const char *v, const char *tag, size_t *len)
{
	static const char *const tags[] = {"/TRTP/", "/IBAN/", "/BIC/", "/NAME/",
	    "/REMI/", "/EREF/", "/CNTP/", "/ORDP/", "/BENM/", "/MARF/", "/CSID/",
	    "/SVCL/", "/ISDT/", "/RTRN/", "/PREF/", "/ID/", "/ADDR/", "/CDTRREF/",
	    "/CDTRREFTP/", "/PURP/", "/ULTC/", "/ULTD/", "/SUM/", "/OCMT/",
	    "/CHGS/", "/EXCH/", NULL};
	const char *p = strstr(v, tag);
	if (!p)
		return NULL;
	p += strlen(tag);
	size_t n = strlen(p);
	for (int i = 0; tags[i]; i++) {
		const char *q = strstr(p, tags[i]);
		if (q && (size_t)(q - p) < n)
			n = (size_t)(q - p);
	}
	*len = n;
	return p;
}

static bool
dutch(struct stmt_entry *x, const char *v)
{
	size_t len;
	const char *p;
	if ((p = dutch_tag(v, "/EREF/", &len)) && strncmp(p, "NOTPROVIDED", 11))
		mt940_put_text(x->end_to_end, sizeof x->end_to_end, p, len);
	if ((p = dutch_tag(v, "/CNTP/", &len))) {
		/* account/BIC/name/city */
		size_t a = strcspn(p, "/");
		if (a < len) {
			mt940_put_text(x->party_account, sizeof x->party_account, p, a);
			const char *b = p + a + 1;
			size_t bl = strcspn(b, "/");
			if ((size_t)(b - p) + bl < len) {
				const char *nm = b + bl + 1;
				size_t nl = strcspn(nm, "/");
				if ((size_t)(nm - p) + nl > len)
					nl = len - (size_t)(nm - p);
				mt940_put_text(x->party_name, sizeof x->party_name, nm, nl);
			}
		}
	}
	/* A name or an IBAN ends at the next '/' too (no closing slash in
	 * bunq's /NAME/x/REMI/…, free text after it in others). */
	if (!x->party_name[0] && (p = dutch_tag(v, "/NAME/", &len)))
		mt940_put_text(x->party_name, sizeof x->party_name, p, strcspn(p, "/") <
		    len ? strcspn(p, "/") : len);
	if ((p = dutch_tag(v, "/CDTRREF/", &len)))
		mt940_put_text(x->creditor_ref, sizeof x->creditor_ref, p, strcspn(p, "/") <
		    len ? strcspn(p, "/") : len);
	if (!x->party_account[0] && (p = dutch_tag(v, "/IBAN/", &len)))
		mt940_put_text(x->party_account, sizeof x->party_account, p, strcspn(p,
		    "/") < len ? strcspn(p, "/") : len);
	if ((p = dutch_tag(v, "/REMI/", &len))) {
		/* /REMI/USTD//text/ or /REMI/text */
		if (!strncmp(p, "USTD//", 6) && len >= 6)
			p += 6, len -= 6;
		while (len && p[len - 1] == '/')
			len--;
		set_remittance(x, p, len);
		return true;
	}
	return false;
}

/* The value after label ("NAAM: ") on its line, up to two spaces (the
 * next fixed column) or the line's end. */
static bool
label_value(const char *v, const char *label, char *out, size_t outlen)
{
	const char *p = strstr(v, label);
	if (!p)
		return false;
	p += strlen(label);
	while (*p == ' ')
		p++;
	size_t n = strcspn(p, "\n");
	const char *gap = strstr(p, "  ");
	if (gap && (size_t)(gap - p) < n)
		n = (size_t)(gap - p);
	mt940_put_text(out, outlen, p, n);
	return out[0] != '\0';
}

/* ABN AMRO's labelled :86: ("IBAN: …", "NAAM: …", "OMSCHRIJVING: …" in
 * fixed columns), read on its own lines: true when it gave the
 * remittance text. */
static bool
labelled(struct stmt_entry *x, const char *v)
{
	if (!x->party_account[0])
		label_value(v, "IBAN: ", x->party_account, sizeof x->party_account);
	if (!x->party_name[0] && !label_value(v, "NAAM: ", x->party_name,
	    sizeof x->party_name))
		label_value(v, "NAME: ", x->party_name, sizeof x->party_name);
	char text[512];
	if (!label_value(v, "OMSCHRIJVING: ", text, sizeof text))
		return false;
	set_remittance(x, text, strlen(text));
	return true;
}

/* :86: text, its lines joined.  German ?NN, SEPA keywords and Dutch /TAG/ structures give the
 * end-to-end id, the other party's name and account and the remittance
 * text, which then is the movement's information. */
void
mt940_information(struct stmt_entry *x, const char *v)
{
	char joined[STMT_MAX_TEXT];
	size_t r = strlen(x->raw);
	if (r + 6 < sizeof x->raw) {
		snprintf(x->raw + r, sizeof x->raw - r, "\n:86:%.*s",
		    (int)(sizeof x->raw - r - 6), v);
		utf8_trim_tail(x->raw);
	}
	bool german_form = strspn(v, "0123456789") >= 3 && v[3] == '?';
	bool structured = german_form || v[0] == '/' || strstr(v, "/REMI/") ||
	    strstr(v, "/EREF/") || strstr(v, "/NAME/");
	/* A line cut by width (65 characters; 60 and more), or any line of the
	 * German form (its ?NN subfields run on across lines), goes on in the
	 * next without a space: the cut may fall inside a word or an IBAN. */
	size_t u = 0, line_len = 0;
	for (const char *p = v; *p && u + 1 < sizeof joined; p++)
		if (*p != '\n') {
			joined[u++] = *p;
			line_len++;
		} else {
			if (line_len < 60 && !german_form)
				joined[u++] = ' ';
			line_len = 0;
		}
	joined[u] = '\0';
	bool remittance = german_form ? german(x, joined) : structured ?
	    dutch(x, joined) : labelled(x, v);
	if (!x->end_to_end[0]) {
		char t[141];
		if (sepa_value(joined, "EREF+", t, sizeof t) && strcmp(t,
		    "NOTPROVIDED"))
			utf8_copy(x->end_to_end, sizeof x->end_to_end, t);
	}
	if (remittance)
		return; /* the remittance text, without the structure around it */
	size_t n = strlen(x->info);
	if (n && n + 2 < sizeof x->info) {
		memcpy(x->info + n, "; ", 3);
		n += 2;
	}
	mt940_put_text(x->info + n, sizeof x->info - n, joined, strlen(joined));
}

/* camt.c — see camt.h.
 *
 * DESIGN: libxml2's xmlReader walks the document node by node; only the
 * pieces we read (an account, a balance, one Ntry) are expanded into a
 * small tree and dropped when the reader moves past them, so memory does
 * not grow with the file.  The input is hostile until proven otherwise:
 * no network, no entity substitution, no DTD loading, no XInclude, no
 * "huge" mode, a deny-all external entity loader, and a DOCTYPE anywhere
 * is refused; depth, text size and total bytes are capped. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "bank/camt.h"
#include "util/codec.h"
#include "core/date.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;

static xmlParserInputPtr
deny_entities(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL; /* nothing outside the document is ever read */
}

static void
init(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(deny_entities);
}

void
camt_global_init(void)
{
	pthread_once(&once, init);
}

struct camt {
	stmt_read_fn rd;
	void *ctx;
	long long max_bytes, read;
	bool too_big;
	const struct stmt_sink *sink;
	char xml_err[256];
	int xml_line;
	struct stmt_header h;
	bool in_stmt, begun;
	int stmt_depth;
	char stmt_name[8];
	xmlBufferPtr raw;          /* one buffer for every entry's text */
};

static int
io_read(void *arg, char *buf, int len)
{
	struct camt *c = arg;
	if (c->read >= c->max_bytes) {
		c->too_big = true;
		return -1;
	}
	long long room = c->max_bytes - c->read;
	long n = c->rd(c->ctx, buf, (size_t)(len < room ? len : room));
	if (n < 0)
		return -1;
	c->read += n;
	return (int)n;
}

static void
on_error(void *arg, xmlErrorPtr e)
{
	struct camt *c = arg;
	if (c->xml_err[0] || !e || e->level < XML_ERR_ERROR)
		return;
	snprintf(c->xml_err, sizeof c->xml_err, "%s",
	    e->message ? e->message : "malformed XML");
	size_t n = strlen(c->xml_err);
	while (n && (c->xml_err[n - 1] == '\n' || c->xml_err[n - 1] == ' '))
		c->xml_err[--n] = '\0';
	c->xml_line = e->line;
}

/* ---- the expanded pieces ------------------------------------------- */

static xmlNodePtr
child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr k = n ? n->children : NULL; k; k = k->next)
		if (k->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)k->name, name) == 0)
			return k;
	return NULL;
}

/* "A/B/C" below n. */
static xmlNodePtr
path(xmlNodePtr n, const char *p)
{
	char part[32];
	while (n && *p) {
		size_t len = strcspn(p, "/");
		if (len >= sizeof part)
			return NULL;
		memcpy(part, p, len);
		part[len] = '\0';
		n = child(n, part);
		p += len + (p[len] == '/');
	}
	return n;
}

/* The text of n (trimmed) into out; false when absent or too long. */
static bool
text(xmlNodePtr n, char *out, size_t len)
{
	out[0] = '\0';
	if (!n)
		return false;
	xmlChar *t = xmlNodeGetContent(n);
	if (!t)
		return false;
	const char *s = (const char *)t;
	while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
		s++;
	size_t l = strlen(s);
	while (l && (s[l - 1] == ' ' || s[l - 1] == '\n' || s[l - 1] == '\r' ||
	    s[l - 1] == '\t'))
		l--;
	if (l >= len) {
		/* Kept, cut: free text may be long; never inside a character. */
		l = len - 1;
		while (l && ((unsigned char)s[l] & 0xC0) == 0x80)
			l--;
	}
	memcpy(out, s, l);
	out[l] = '\0';
	xmlFree(t);
	return true;
}

static bool
ptext(xmlNodePtr n, const char *p, char *out, size_t len)
{
	return text(path(n, p), out, len);
}

/* Appends the text of n to out, "; " between parts, cut (at a character
 * boundary) when out is full. */
static void
append(char *out, size_t len, xmlNodePtr n)
{
	char t[512];
	if (!text(n, t, sizeof t) || !t[0])
		return;
	size_t u = strlen(out), k = strlen(t);
	if (u && u + 2 < len) {
		memcpy(out + u, "; ", 2);
		u += 2;
	}
	if (u + 1 >= len)
		return;
	if (k > len - 1 - u) {
		k = len - 1 - u;
		while (k && ((unsigned char)t[k] & 0xC0) == 0x80)
			k--;
	}
	memcpy(out + u, t, k);
	out[u + k] = '\0';
}

/* BookgDt/ValDt: <Dt> as written; <DtTm> as the day it names in its own
 * offset (a bank writes its own day, in Z or its zone's offset; without
 * an offset it is already the account's local time).  Never converted
 * with the server's zone: the same file must give the same days on any
 * host. */
static bool
date_of(xmlNodePtr n, char out[11])
{
	char t[64];
	out[0] = '\0';
	if (!n)
		return true; /* absent is allowed; the caller decides */
	struct ymd d;
	if (ptext(n, "Dt", t, sizeof t)) {
		/* An ISODate, which some banks write with an offset
		 * ("2017-04-01+02:00"): the day as written. */
		size_t tl = strlen(t);
		if (tl > 10 && (!strcmp(t + 10, "Z") || (tl == 16 && (t[10] == '+' ||
		    t[10] == '-') && t[13] == ':')))
			t[10] = '\0';
		return date_parse(t, &d) == CB_OK && (date_format(&d, out), true);
	}
	if (!ptext(n, "DtTm", t, sizeof t) || strlen(t) < 19 || t[10] != 'T')
		return false;
	char day[11];
	memcpy(day, t, 10);
	day[10] = '\0';
	int hh, mi, ss;
	if (date_parse(day, &d) != CB_OK || sscanf(t + 11, "%2d:%2d:%2d", &hh,
	    &mi, &ss) != 3 || hh > 23 || mi > 59 || ss > 60)
		return false;
	/* The offset: Z, ±hh:mm, or none; anything else is not a DtTm. */
	const char *z = t + 19;
	if (*z == '.')
		for (z++; *z >= '0' && *z <= '9'; z++)
			;
	if (*z && !(*z == 'Z' && !z[1]) && !((*z == '+' || *z == '-') &&
	    strlen(z) == 6 && z[3] == ':' && (z[1] - '0') * 10 + (z[2] - '0') <= 23 &&
	    (z[4] - '0') * 10 + (z[5] - '0') <= 59))
		return false;
	date_format(&d, out);
	return true;
}

/* An Amt element: a positive exact amount and its currency. */
static bool
amount_of(xmlNodePtr n, struct dec *amt, char ccy[4])
{
	char t[64];
	if (!text(n, t, sizeof t) || dec_parse(t, false, amt) != CB_OK ||
	    amt->units <= 0)
		return false;
	xmlChar *c = xmlGetProp(n, (const xmlChar *)"Ccy");
	bool ok = c && strlen((const char *)c) == 3;
	if (ok)
		snprintf(ccy, 4, "%s", (const char *)c);
	xmlFree(c);
	return ok;
}

/* ---- statement pieces ---------------------------------------------- */

static void
account(struct camt *c, xmlNodePtr acct)
{
	if (!ptext(acct, "Id/IBAN", c->h.account, sizeof c->h.account))
		ptext(acct, "Id/Othr/Id", c->h.account, sizeof c->h.account);
	ptext(acct, "Ccy", c->h.currency, sizeof c->h.currency);
}

/* An opening or closing balance into the header; one in another currency
 * than the statement's is reported and left out. */
static cb_err
balance(struct camt *c, xmlNodePtr bal)
{
	char code[8], t[64], sign[8], day[11];
	struct dec v;
	if (!ptext(bal, "Tp/CdOrPrtry/Cd", code, sizeof code))
		return CB_OK;
	bool open = strcmp(code, "OPBD") == 0 || strcmp(code, "PRCD") == 0;
	bool close = strcmp(code, "CLBD") == 0;
	bool avail_open = strcmp(code, "OPAV") == 0;
	bool avail_close = strcmp(code, "CLAV") == 0;
	if ((!open && !close && !avail_open && !avail_close) ||
	    !ptext(bal, "Amt", t, sizeof t) ||
	    dec_parse(t, false, &v) != CB_OK)
		return CB_OK;
	xmlChar *ccy = xmlGetProp(child(bal, "Amt"), (const xmlChar *)"Ccy");
	const char *bc = ccy && strlen((const char *)ccy) == 3 ?
	    (const char *)ccy : "";
	if (c->h.currency[0] && bc[0] && strcmp(bc, c->h.currency) != 0) {
		char where[96], why[160];
		snprintf(where, sizeof where, "%s/Bal %s (line %ld)", c->stmt_name,
		    code, xmlGetLineNo(bal));
		snprintf(why, sizeof why, "the balance is in %s, the statement in %s:"
		    " not taken", bc, c->h.currency);
		xmlFree(ccy);
		return c->sink->warn ? c->sink->warn(c->sink->arg, where, why) : CB_OK;
	}
	if (!c->h.currency[0] && bc[0])
		snprintf(c->h.currency, sizeof c->h.currency, "%s", bc);
	xmlFree(ccy);
	if (ptext(bal, "CdtDbtInd", sign, sizeof sign) && strcmp(sign, "DBIT") == 0)
		v.units = -v.units;
	date_of(child(bal, "Dt"), day);
	if (open && !c->h.has_opening) {
		c->h.opening = v;
		c->h.has_opening = true;
		memcpy(c->h.opening_date, day, sizeof day);
	} else if (close) {
		c->h.closing = v;
		c->h.has_closing = true;
		memcpy(c->h.closing_date, day, sizeof day);
	} else if (avail_open && !c->h.has_avail_opening) {
		c->h.avail_opening = v;
		c->h.has_avail_opening = true;
	} else if (avail_close && !c->h.has_avail_closing) {
		c->h.avail_closing = v; /* the first: later ones are forward days */
		c->h.has_avail_closing = true;
	}
	return CB_OK;
}

static cb_err
reject(struct camt *c, xmlNodePtr n, const char *why)
{
	char where[96];
	snprintf(where, sizeof where, "%s/Ntry #%d (line %ld)", c->stmt_name,
	    c->h.entries + 1, n ? xmlGetLineNo(n) : 0L);
	return c->sink->reject ? c->sink->reject(c->sink->arg, where, why) : CB_OK;
}

/* The details one TxDtls adds to an entry (a batch's part, or the only). */
static void
details(xmlNodePtr tx, struct stmt_entry *e)
{
	char t[64];
	if (!tx)
		return;
	if (ptext(tx, "Refs/EndToEndId", t, sizeof t) && strcmp(t, "NOTPROVIDED"))
		snprintf(e->end_to_end, sizeof e->end_to_end, "%s", t);
	if (!ptext(tx, "Refs/TxId", e->tx_id, sizeof e->tx_id))
		ptext(tx, "Refs/InstrId", e->tx_id, sizeof e->tx_id);
	if (strcmp(e->tx_id, "NOTPROVIDED") == 0)
		e->tx_id[0] = '\0';
	/* Both levels: the transaction's own reference is the movement's,
	 * the entry's is kept beside it. */
	if (ptext(tx, "Refs/AcctSvcrRef", t, sizeof t) && t[0] &&
	    strcmp(t, e->svcr_ref)) {
		if (e->svcr_ref[0] && !e->entry_svcr_ref[0])
			snprintf(e->entry_svcr_ref, sizeof e->entry_svcr_ref, "%s",
			    e->svcr_ref);
		snprintf(e->svcr_ref, sizeof e->svcr_ref, "%s", t);
	}
	/* The other party: who paid a credit, who was paid by a debit; else
	 * the ultimate one; else whichever the file names (some name only
	 * the creditor of a credit).  .08 puts the party under Pty. */
	static const char *const credit_parties[][2] = {
	    {"RltdPties/Dbtr", "RltdPties/DbtrAcct"},
	    {"RltdPties/UltmtDbtr", "RltdPties/DbtrAcct"},
	    {"RltdPties/Cdtr", "RltdPties/CdtrAcct"}};
	static const char *const debit_parties[][2] = {
	    {"RltdPties/Cdtr", "RltdPties/CdtrAcct"},
	    {"RltdPties/UltmtCdtr", "RltdPties/CdtrAcct"},
	    {"RltdPties/Dbtr", "RltdPties/DbtrAcct"}};
	const char *const (*order)[2] = e->credit ? credit_parties : debit_parties;
	for (int k = 0; k < 3 && !e->party_name[0]; k++) {
		xmlNodePtr p = path(tx, order[k][0]);
		xmlNodePtr pty = child(p, "Pty") ? child(p, "Pty") : p;
		if (!pty)
			continue;
		ptext(pty, "Nm", e->party_name, sizeof e->party_name);
		if (!ptext(pty, "Id/OrgId/Othr/Id", e->party_id, sizeof e->party_id))
			ptext(pty, "Id/PrvtId/Othr/Id", e->party_id, sizeof e->party_id);
		xmlNodePtr a = path(tx, order[k][1]);
		if (!ptext(a, "Id/IBAN", e->party_account, sizeof e->party_account))
			ptext(a, "Id/Othr/Id", e->party_account, sizeof e->party_account);
	}
	for (int k = 0; k < 3 && !e->party_account[0]; k++) {
		xmlNodePtr a = path(tx, order[k][1]);
		if (!ptext(a, "Id/IBAN", e->party_account, sizeof e->party_account))
			ptext(a, "Id/Othr/Id", e->party_account, sizeof e->party_account);
	}
	/* A structured creditor reference (RF, ISR/QR), as a reference. */
	xmlNodePtr strd = path(tx, "RmtInf/Strd");
	for (; strd && !e->creditor_ref[0]; strd = strd->next)
		if (strd->type == XML_ELEMENT_NODE && !strcmp((const char *)strd->name,
		    "Strd"))
			ptext(strd, "CdtrRefInf/Ref", e->creditor_ref,
			    sizeof e->creditor_ref);
	xmlNodePtr rmt = child(tx, "RmtInf");
	for (xmlNodePtr k = rmt ? rmt->children : NULL; k; k = k->next)
		if (k->type == XML_ELEMENT_NODE && !strcmp((const char *)k->name, "Ustrd"))
			append(e->info, sizeof e->info, k);
	for (xmlNodePtr k = rmt ? rmt->children : NULL; k; k = k->next)
		if (k->type == XML_ELEMENT_NODE && !strcmp((const char *)k->name, "Strd"))
			append(e->info, sizeof e->info, path(k, "CdtrRefInf/Ref"));
	append(e->info, sizeof e->info, child(tx, "AddtlTxInf"));
}

/* A TxDtls's own amount: .08 writes it as Amt, older versions under
 * AmtDtls. */
static bool
part_amount(xmlNodePtr tx, struct dec *amt, char ccy[4])
{
	xmlNodePtr a = child(tx, "Amt");
	if (!a)
		a = path(tx, "AmtDtls/TxAmt/Amt");
	if (!a)
		a = path(tx, "AmtDtls/InstdAmt/Amt");
	return a && amount_of(a, amt, ccy);
}

static cb_err
emit(struct camt *c, struct stmt_entry *e)
{
	e->index = c->h.entries++;
	return c->sink->entry ? c->sink->entry(c->sink->arg, &c->h, e) : CB_OK;
}

static cb_err
entry(struct camt *c, xmlNodePtr n)
{
	struct stmt_entry e;
	char t[64];
	memset(&e, 0, sizeof e);
	/* The entry as the bank wrote it (its parts share it). */
	if (!c->raw)
		c->raw = xmlBufferCreate();
	if (c->raw) {
		xmlBufferEmpty(c->raw);
		if (xmlNodeDump(c->raw, n->doc, n, 0, 0) >= 0) {
			const char *x = (const char *)xmlBufferContent(c->raw);
			utf8_copy(e.raw, sizeof e.raw, x ? x : "");
		}
	}
	if (!amount_of(child(n, "Amt"), &e.amount, e.currency))
		return reject(c, n, "Amt is missing, not a positive amount or has no"
		    " 3-letter Ccy");
	if (!ptext(n, "CdtDbtInd", t, sizeof t) || (strcmp(t, "CRDT") &&
	    strcmp(t, "DBIT")))
		return reject(c, n, "CdtDbtInd must be CRDT or DBIT");
	e.credit = strcmp(t, "CRDT") == 0;
	if (ptext(n, "RvslInd", t, sizeof t))
		e.reversal = strcmp(t, "true") == 0 || strcmp(t, "1") == 0;
	/* Sts: a code (.02, .04) or a choice of Cd / Prtry (.08). */
	xmlNodePtr sts = child(n, "Sts");
	if (!ptext(sts, "Cd", t, sizeof t) && !ptext(sts, "Prtry", t, sizeof t))
		text(sts, t, sizeof t);
	e.status = !strcmp(t, "BOOK") ? STMT_BOOKED : !strcmp(t, "PDNG") ?
	    STMT_PENDING : !strcmp(t, "INFO") ? STMT_INFO : STMT_OTHER;
	if (!date_of(child(n, "BookgDt"), e.booking_date))
		return reject(c, n, "BookgDt is not a valid Dt or DtTm");
	if (!date_of(child(n, "ValDt"), e.value_date))
		return reject(c, n, "ValDt is not a valid Dt or DtTm");
	if (!e.booking_date[0] && !e.value_date[0]) {
		/* Some banks date only the statement (its balances). */
		const char *day = c->h.closing_date[0] ? c->h.closing_date :
		    c->h.opening_date;
		if (!day[0])
			return reject(c, n, "neither BookgDt nor ValDt, and the statement"
			    " has no dated balance");
		memcpy(e.booking_date, day, sizeof e.booking_date);
		char where[96];
		snprintf(where, sizeof where, "%s/Ntry #%d (line %ld)", c->stmt_name,
		    c->h.entries + 1, xmlGetLineNo(n));
		cb_err we = c->sink->warn ? c->sink->warn(c->sink->arg, where,
		    "neither BookgDt nor ValDt: dated by the statement's balance") :
		    CB_OK;
		if (we != CB_OK)
			return we;
	}
	if (!e.booking_date[0]) {
		if (!e.value_date[0])
			return reject(c, n, "neither BookgDt nor ValDt");
		memcpy(e.booking_date, e.value_date, sizeof e.booking_date);
	}
	ptext(n, "AcctSvcrRef", e.svcr_ref, sizeof e.svcr_ref);
	ptext(n, "NtryRef", e.entry_ref, sizeof e.entry_ref);
	if (!ptext(n, "BkTxCd/Prtry/Cd", e.tx_code, sizeof e.tx_code))
		ptext(n, "BkTxCd/Domn/Fmly/SubFmlyCd", e.tx_code, sizeof e.tx_code);
	append(e.info, sizeof e.info, child(n, "AddtlNtryInf"));

	/* The transactions inside: one → its details; several with amounts
	 * that add up to the entry → one movement each (a batch). */
	xmlNodePtr txs[256];
	size_t ntx = 0;
	for (xmlNodePtr d = n->children; d; d = d->next) {
		if (d->type != XML_ELEMENT_NODE || strcmp((const char *)d->name,
		    "NtryDtls"))
			continue;
		for (xmlNodePtr x = d->children; x; x = x->next)
			if (x->type == XML_ELEMENT_NODE &&
			    !strcmp((const char *)x->name, "TxDtls") &&
			    ntx < sizeof txs / sizeof txs[0])
				txs[ntx++] = x;
	}
	bool split = ntx > 1;
	struct dec sum = {0, 0};
	for (size_t i = 0; split && i < ntx; i++) {
		struct dec a;
		char ccy[4];
		split = part_amount(txs[i], &a, ccy) && !strcmp(ccy, e.currency) &&
		    dec_add(&sum, &a, &sum) == CB_OK;
	}
	if (split && dec_cmp(&sum, &e.amount) != 0)
		split = false;
	if (!split) {
		details(ntx ? txs[0] : NULL, &e);
		return emit(c, &e);
	}
	for (size_t i = 0; i < ntx; i++) {
		struct stmt_entry p = e;
		char ccy[4];
		part_amount(txs[i], &p.amount, ccy);
		p.end_to_end[0] = p.tx_id[0] = p.party_name[0] = p.party_id[0] =
		    p.party_account[0] = p.creditor_ref[0] = '\0';
		/* Parts share the entry's reference unless they have their own:
		 * the part number keeps them apart, the entry's is kept too. */
		snprintf(p.svcr_ref, sizeof p.svcr_ref, "%.40s#%zu", e.svcr_ref, i + 1);
		snprintf(p.entry_svcr_ref, sizeof p.entry_svcr_ref, "%s", e.svcr_ref);
		p.info[0] = '\0';
		details(txs[i], &p);
		cb_err err = emit(c, &p);
		if (err != CB_OK)
			return err;
	}
	return CB_OK;
}

/* ---- the walk ------------------------------------------------------ */

static bool
camt_ns(const xmlChar *ns, char *format, size_t len)
{
	static const char prefix[] = "urn:iso:std:iso:20022:tech:xsd:";
	const char *s = (const char *)ns;
	if (!s || strncmp(s, prefix, sizeof prefix - 1) != 0)
		return false;
	s += sizeof prefix - 1;
	if (strncmp(s, "camt.052.", 9) && strncmp(s, "camt.053.", 9) &&
	    strncmp(s, "camt.054.", 9))
		return false;
	if (format)
		snprintf(format, len, "%s", s);
	return true;
}

static cb_err
begin(struct camt *c)
{
	if (c->begun)
		return CB_OK;
	c->begun = true;
	return c->sink->begin ? c->sink->begin(c->sink->arg, &c->h) : CB_OK;
}

static cb_err
finish(struct camt *c)
{
	cb_err e = begin(c);
	c->in_stmt = false;
	if (e == CB_OK && c->sink->end)
		e = c->sink->end(c->sink->arg, &c->h);
	return e;
}

cb_err
camt_read(stmt_read_fn rd, void *ctx, long long max_bytes,
    const struct stmt_sink *sink, char *err, size_t errlen)
{
	struct camt c;
	char format[24] = "";
	cb_err e = CB_OK;
	camt_global_init();
	memset(&c, 0, sizeof c);
	c.rd = rd;
	c.ctx = ctx;
	c.max_bytes = max_bytes;
	c.sink = sink;
	err[0] = '\0';
	xmlTextReaderPtr r = xmlReaderForIO(io_read, NULL, &c, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING);
	if (!r) {
		snprintf(err, errlen, "the XML reader could not start");
		return CB_ENOMEM;
	}
	xmlTextReaderSetStructuredErrorHandler(r, on_error, &c);
	int ret = xmlTextReaderRead(r);
	while (ret == 1 && e == CB_OK) {
		int type = xmlTextReaderNodeType(r);
		int depth = xmlTextReaderDepth(r);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE ||
		    type == XML_READER_TYPE_ENTITY_REFERENCE) {
			snprintf(err, errlen, "line %d: a DOCTYPE or entity is not allowed"
			    " in a statement", xmlTextReaderGetParserLineNumber(r));
			e = CB_EINVAL;
			break;
		}
		if (depth > STMT_MAX_DEPTH) {
			snprintf(err, errlen, "line %d: elements nested deeper than %d",
			    xmlTextReaderGetParserLineNumber(r), STMT_MAX_DEPTH);
			e = CB_EINVAL;
			break;
		}
		const char *name = (const char *)xmlTextReaderConstLocalName(r);
		const xmlChar *ns = xmlTextReaderConstNamespaceUri(r);
		if (type == XML_READER_TYPE_END_ELEMENT && c.in_stmt &&
		    depth == c.stmt_depth) {
			e = finish(&c);
			ret = xmlTextReaderRead(r);
			continue;
		}
		if (type != XML_READER_TYPE_ELEMENT || !camt_ns(ns, NULL, 0)) {
			ret = xmlTextReaderRead(r);
			continue;
		}
		if (!format[0] && !strcmp(name, "Document"))
			camt_ns(ns, format, sizeof format);
		if (!c.in_stmt && (!strcmp(name, "Stmt") || !strcmp(name, "Rpt") ||
		    !strcmp(name, "Ntfctn"))) {
			memset(&c.h, 0, sizeof c.h);
			snprintf(c.h.format, sizeof c.h.format, "%s", format);
			snprintf(c.stmt_name, sizeof c.stmt_name, "%s", name);
			c.in_stmt = true;
			c.begun = false;
			c.stmt_depth = depth;
			if (xmlTextReaderIsEmptyElement(r))
				e = finish(&c);
			ret = xmlTextReaderRead(r);
			continue;
		}
		bool top = c.in_stmt && depth == c.stmt_depth + 1;
		if (top && (!strcmp(name, "Id") || !strcmp(name, "Acct") ||
		    !strcmp(name, "Bal") || !strcmp(name, "Ntry"))) {
			xmlNodePtr n = xmlTextReaderExpand(r);
			if (!n)
				break; /* malformed inside: the error handler has it */
			if (!strcmp(name, "Id"))
				text(n, c.h.id, sizeof c.h.id);
			else if (!strcmp(name, "Acct"))
				account(&c, n);
			else if (!strcmp(name, "Bal"))
				e = balance(&c, n);
			else {
				/* No Acct/Ccy nor balance (camt.054): the first
				 * entry's currency is the statement's. */
				if (!c.h.currency[0] && !c.begun) {
					xmlChar *ccy = xmlGetProp(child(n, "Amt"),
					    (const xmlChar *)"Ccy");
					if (ccy && strlen((const char *)ccy) == 3)
						snprintf(c.h.currency, sizeof c.h.currency, "%s",
						    (const char *)ccy);
					xmlFree(ccy);
				}
				if ((e = begin(&c)) == CB_OK)
					e = entry(&c, n);
			}
			ret = xmlTextReaderNext(r);
			continue;
		}
		ret = xmlTextReaderRead(r);
	}
	if (e == CB_OK && (ret < 0 || c.xml_err[0] || c.too_big)) {
		if (c.too_big)
			snprintf(err, errlen, "the statement is larger than %lld bytes",
			    max_bytes);
		else
			snprintf(err, errlen, "line %d: %s", c.xml_line ? c.xml_line :
			    xmlTextReaderGetParserLineNumber(r),
			    c.xml_err[0] ? c.xml_err : "malformed XML");
		e = c.too_big ? CB_ETOOBIG : CB_EINVAL;
	}
	if (e == CB_OK && !format[0]) {
		snprintf(err, errlen, "not an ISO 20022 camt.052, camt.053 or"
		    " camt.054 document");
		e = CB_EINVAL;
	}
	if (e == CB_OK && c.in_stmt)
		e = finish(&c);
	xmlFreeTextReader(r);
	if (c.raw)
		xmlBufferFree(c.raw);
	return e;
}

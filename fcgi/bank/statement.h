/*
 * statement.h — what the statement readers (camt.c, mt940.c, and csv.c,
 * xlsx.c, xls.c through table.c) hand over: each statement's header and balances, each movement, each part
 * they had to refuse and each thing they read otherwise than written,
 * through a sink of callbacks, one at a time, so that
 * a file of any size is read in flat memory.  The readers know nothing of
 * the database; the import (jobs/import.c) stores what they give.
 */
#ifndef CB_STATEMENT_H
#define CB_STATEMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/decimal.h"
#include "util/err.h"

enum stmt_status {
	STMT_BOOKED,    /* BOOK: on the account */
	STMT_PENDING,   /* PDNG */
	STMT_INFO,      /* INFO: for information only */
	STMT_OTHER,
};

struct stmt_header {
	char format[24];        /* "camt.053.001.08", "mt940" */
	char id[64];            /* the statement's own id (Stmt/Id, :20:/:28C:) */
	char account[64];       /* IBAN, else the bank's account id (:25:) */
	char currency[4];
	bool has_opening, has_closing;
	struct dec opening;     /* OPBD / PRCD, :60F:/:60M: (signed) */
	struct dec closing;     /* CLBD, :62F:/:62M: */
	char opening_date[11], closing_date[11];
	/* Available balances (camt OPAV / CLAV, MT940 :64:), when given. */
	bool has_avail_opening, has_avail_closing;
	struct dec avail_opening, avail_closing;
	int entries;            /* movements handed over so far */
};

struct stmt_entry {
	int index;              /* 0-based position in its statement */
	struct dec amount;      /* positive */
	char currency[4];
	bool credit;            /* CRDT / C; debit otherwise */
	bool reversal;          /* RvslInd true, MT940 RC / RD */
	enum stmt_status status;
	char booking_date[11];  /* YYYY-MM-DD, the account's calendar day */
	char value_date[11];    /* "" when absent */
	char svcr_ref[64];      /* the bank's own id (AcctSvcrRef, :61: //ref):
	                           the transaction's when it has its own */
	char entry_svcr_ref[64]; /* the entry's, when the transaction's differs
	                           (a batch part's, or a TxDtls's own) */
	char creditor_ref[64];  /* a structured creditor reference (camt
	                           CdtrRefInf: RF, ISR/QR) */
	char entry_ref[64];     /* NtryRef */
	char end_to_end[64];    /* "" for NOTPROVIDED */
	char tx_id[64];         /* TxId, InstrId, :61: customer reference */
	char party_name[141];   /* the other party (the payer of a credit) */
	char party_id[64];      /* its document or organisation id */
	char party_account[64]; /* its IBAN or account */
	char info[512];         /* remittance and additional text, joined */
	char tx_code[36];       /* bank transaction code (BkTxCd, :61: type) */
	char raw[1024];         /* the text it was read from (the Ntry's XML,
	                           :61: and :86:, the CSV or sheet row), cut
	                           at a character boundary */
};

struct stmt_sink {
	/* A statement's header, before its entries. */
	cb_err (*begin)(void *arg, const struct stmt_header *h);
	cb_err (*entry)(void *arg, const struct stmt_header *h,
	    const struct stmt_entry *e);
	/* After its entries (MT940's closing balance comes last). */
	cb_err (*end)(void *arg, const struct stmt_header *h);
	/* A part refused: where (element path and line, or line) and why.
	 * Reading goes on with the next entry. */
	cb_err (*reject)(void *arg, const char *where, const char *why);
	/* Something read otherwise than written, or left out, and why: an
	 * impossible date taken as the month's last day, a balance in
	 * another currency.  What it concerns is still handed over. */
	cb_err (*warn)(void *arg, const char *where, const char *why);
	void *arg;
};

/* Where a reader gets its bytes: like read(2), 0 at the end, -1 on an
 * error. */
typedef long (*stmt_read_fn)(void *ctx, char *buf, size_t len);

#define STMT_MAX_DEPTH 64        /* XML element nesting */
#define STMT_MAX_TEXT 8192       /* one element's text or one line */

#endif

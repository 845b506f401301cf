/*
 * import_bench.c — the statement readers' speed and memory on generated
 * statements streamed from a pipe-like source (nothing is written to
 * disk): entries per second and peak resident memory for a camt.053 of
 * ENTRIES entries (1 GB at the default size), an MT940 and a bank CSV
 * read by a profile that names its columns (bank/table.c) of the same
 * entries, beside the baseline of reading the same bytes without parsing
 * them.  Used by `make bench-import`:
 *   import_bench [ENTRIES]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bank/camt.h"
#include "bank/csv.h"
#include "bank/mt940.h"

/* A statement generated on the fly: head, ENTRIES entries, tail.  The
 * entries cycle through a pool of POOL pre-rendered ones, so that making
 * the bytes costs a copy, not a printf (the readers are what is timed). */
#define POOL 1024
struct gen {
	char *pool[POOL];
	size_t pool_len[POOL];
	bool mt940, csv;
	long entries, next;
	char chunk[4096];
	size_t len, pos;
	int part;            /* 0 head, 1 entries, 2 tail, 3 done */
	long long bytes;
};

static void
fill(struct gen *g)
{
	g->pos = 0;
	g->len = 0;
	if (g->part == 0) {
		g->len = (size_t)snprintf(g->chunk, sizeof g->chunk, g->csv ?
		    "Fecha;Concepto;Cargo;Abono;Saldo;Operacion\n" : g->mt940 ?
		    ":20:BENCH\r\n:25:0011-0123-0200456789\r\n:28C:1/1\r\n"
		    ":60F:C260301PEN0,00\r\n" :
		    "<?xml version=\"1.0\"?>\n<Document xmlns=\"urn:iso:std:iso:"
		    "20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt><GrpHdr><MsgId>B"
		    "</MsgId></GrpHdr><Stmt><Id>BENCH</Id><Acct><Id><Othr><Id>"
		    "0011-0123-0200456789</Id></Othr></Id><Ccy>PEN</Ccy></Acct>\n");
		g->part = 1;
		return;
	}
	if (g->part == 1) {
		while (g->next < g->entries && g->len + 1200 < sizeof g->chunk) {
			long k = g->next++;
			if (g->pool[k % POOL]) {
				memcpy(g->chunk + g->len, g->pool[k % POOL],
				    g->pool_len[k % POOL]);
				g->len += g->pool_len[k % POOL];
				continue;
			}
			size_t start = g->len;
			int day = 1 + (int)(k % 28);
			long amt = 10 + k % 99990, cents = k % 100, op = 10000000 + k;
			char *o = g->chunk + g->len;
			size_t room = sizeof g->chunk - g->len;
			if (g->csv)
				g->len += (size_t)snprintf(o, room, "%02d/03/2026;DEPOSITO"
				    " OPERACION %08ld AGENCIA CENTRAL LIMA;;%ld,%02ld;%ld,%02ld;"
				    "%08ld\n", day, op, amt, cents, amt + 1000, cents, op);
			else if (g->mt940)
				g->len += (size_t)snprintf(o, room,
				    ":61:2603%02d03%02dC%ld,%02ldNTRFREF%ld//%08ld\r\n"
				    ":86:/NAME/CLIENTE %ld/ DEPOSITO OPERACION %08ld AGENCIA\r\n"
				    "CENTRAL LIMA\r\n", day, day, amt, cents, k, op, k % 5000, op);
			else
				g->len += (size_t)snprintf(o, room,
				    "<Ntry><Amt Ccy=\"PEN\">%ld.%02ld</Amt><CdtDbtInd>CRDT"
				    "</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-%02d"
				    "</Dt></BookgDt><ValDt><DtTm>2026-03-%02dT10:15:00-05:00</DtTm>"
				    "</ValDt><AcctSvcrRef>%08ld</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT"
				    "</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly>"
				    "</Domn></BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>E2E%ld"
				    "</EndToEndId><TxId>TX%ld</TxId></Refs><AmtDtls><TxAmt><Amt "
				    "Ccy=\"PEN\">%ld.%02ld</Amt></TxAmt></AmtDtls><RltdPties><Dbtr>"
				    "<Pty><Nm>CLIENTE %ld SAC</Nm><Id><OrgId><Othr><Id>20%09ld"
				    "</Id></Othr></OrgId></Id></Pty></Dbtr><DbtrAcct><Id><Othr><Id>"
				    "191-%08ld-0-01</Id></Othr></Id></DbtrAcct></RltdPties><RmtInf>"
				    "<Ustrd>DEPOSITO OPERACION %08ld AGENCIA CENTRAL LIMA</Ustrd>"
				    "</RmtInf></TxDtls></NtryDtls></Ntry>\n", amt, cents, day, day,
				    op, k, k, amt, cents, k % 5000, op, op, op);
			g->pool_len[k % POOL] = g->len - start;
			g->pool[k % POOL] = malloc(g->len - start);
			if (g->pool[k % POOL])
				memcpy(g->pool[k % POOL], g->chunk + start, g->len - start);
		}
		if (g->next >= g->entries)
			g->part = 2;
		if (g->len)
			return;
	}
	if (g->part == 2) {
		g->part = 3;
		if (g->csv)
			return; /* a CSV has no tail */
		g->len = (size_t)snprintf(g->chunk, sizeof g->chunk, g->mt940 ?
		    ":62F:C260331PEN0,00\r\n-\r\n" : "</Stmt></BkToCstmrStmt></Document>\n");
	}
}

static long
gen_read(void *ctx, char *buf, size_t len)
{
	struct gen *g = ctx;
	if (g->pos == g->len) {
		if (g->part == 3)
			return 0;
		fill(g);
	}
	size_t n = g->len - g->pos < len ? g->len - g->pos : len;
	memcpy(buf, g->chunk + g->pos, n);
	g->pos += n;
	g->bytes += (long long)n;
	return (long)n;
}

struct count {
	long entries, rejects;
};

static cb_err
on_entry(void *arg, const struct stmt_header *h, const struct stmt_entry *e)
{
	(void)h;
	(void)e;
	((struct count *)arg)->entries++;
	return CB_OK;
}

static cb_err
on_reject(void *arg, const char *where, const char *why)
{
	(void)where;
	(void)why;
	((struct count *)arg)->rejects++;
	return CB_OK;
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long
rss_kib(void)
{
	long kib = 0;
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6))
			kib = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return kib;
}

static struct csv_profile bench_csv;

static void
run(const char *name, bool mt940, bool csv, long entries, double base_rate)
{
	struct gen g = {.mt940 = mt940, .csv = csv, .entries = entries};
	struct count c = {0, 0};
	struct stmt_sink sink = {NULL, on_entry, NULL, on_reject, on_reject,
	    &c};
	char err[256] = "";
	long before = rss_kib();
	double t0 = now();
	cb_err e = csv ? csv_read(gen_read, &g, 1LL << 40, &bench_csv, &sink, err,
	    sizeof err) : mt940 ? mt940_read(gen_read, &g, 1LL << 40, &sink, err,
	    sizeof err) : camt_read(gen_read, &g, 1LL << 40, &sink, err, sizeof err);
	double dt = now() - t0;
	long after = rss_kib();
	for (int i = 0; i < POOL; i++)
		free(g.pool[i]);
	double rate = c.entries / dt;
	(void)base_rate;
	printf("%-22s %10ld %9.0f MB %12.0f %10.1f %8ld MiB %7ld MiB%s%s\n", name,
	    c.entries, g.bytes / 1e6, rate, g.bytes / dt / 1e6, before / 1024,
	    after / 1024, e ? "  error: " : "", e ? err : "");
}

int
main(int argc, char **argv)
{
	long entries = argc > 1 ? strtol(argv[1], NULL, 10) : 1400000;
	/* Baseline: the same generated bytes, only read. */
	struct gen g = {.mt940 = false, .entries = entries};
	char buf[65536];
	double t0 = now();
	while (gen_read(&g, buf, sizeof buf) > 0)
		;
	double base = g.bytes / (now() - t0);
	for (int i = 0; i < POOL; i++)
		free(g.pool[i]);
	printf("statement readers, one core: %ld entries a file\n", entries);
	printf("%-22s %10s %12s %12s %10s %12s %11s\n", "", "entries", "size",
	    "entries/s", "MB/s", "RSS before", "RSS after");
	printf("%-22s %10s %9.0f MB %12s %10.1f %12s %11s\n",
	    "bytes only (baseline)", "-", g.bytes / 1e6, "-", base / 1e6, "-", "-");
	char why[200];
	if (!csv_profile_parse("separator = ;\ndecimal = ,\nthousands = .\n"
	    "date_format = %d/%m/%Y\namount = debit_credit\ndate_column = Fecha\n"
	    "description_column = Concepto\ndebit_column = Cargo\n"
	    "credit_column = Abono\nbalance_column = Saldo\n"
	    "reference_column = Operacion\naccount = 1\ncurrency = PEN\n", "bench",
	    &bench_csv, why, sizeof why)) {
		fprintf(stderr, "profile: %s\n", why);
		return 1;
	}
	run("camt.053 (xmlReader)", false, false, entries, base);
	run("MT940", true, false, entries, base);
	run("CSV by column names", false, true, entries, base);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak resident memory of the whole run: %ld MiB; goals: camt >= 50000"
	    " entries/s, flat memory (<= 50 MB)\n", ru.ru_maxrss / 1024);
	return 0;
}

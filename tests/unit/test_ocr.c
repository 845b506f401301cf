/* test_ocr.c — receipts without the engine: field extraction from words
 * for every format and label the issue names and for the distractors
 * vouchers carry, the number/date scanners, review decisions, document
 * typing and file names, EXIF orientation, and the local storage backend. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/document.h"
#include "ocr/exif.h"
#include "ocr/extract.h"
#include "ocr/model.h"
#include "ocr/review.h"
#include "storage/storage.h"
#include "unit.h"

static const struct bank_alias banks[] = {
	{"BI", "GT", "BANCO INDUSTRIAL|BI|B.I."},
	{"BAC_GT", "GT", "BAC|BAC CREDOMATIC"},
	{"BAC_CR", "CR", "BAC|BAC CREDOMATIC|BAC SAN JOSE"},
	{"BCP", "PE", "BCP|BANCO DE CREDITO"},
	{"BANCOLOMBIA", "CO", "BANCOLOMBIA"},
	{"BANORTE", "MX", "BANORTE"},
	{"BNCR", "CR", "BANCO NACIONAL|BNCR"},
};
#define NB (sizeof banks / sizeof banks[0])

/* A document from lines of text: words split on spaces, boxes laid out
 * left to right, 30 px a line (each space after the first is a column's
 * gap of 12 px more); conf for every word. */
static void
doc(struct ocr_text *t, float conf, const char *const *lines)
{
	ocr_text_init(t);
	t->source = "ocr";
	for (int l = 0; lines[l]; l++) {
		const char *p = lines[l];
		int x = 10;
		while (*p) {
			size_t n = strcspn(p, " ");
			if (n)
				ck_assert(ocr_text_add(t, p, n, x, 30 * l, x + 12 * (int)n,
				    30 * l + 20, conf, 0, l) == CB_OK);
			x += 12 * (int)n + 12;
			p += n;
			for (bool first = true; *p == ' '; p++, first = false)
				x += first ? 0 : 12;
		}
	}
	t->pages = 1;
}

static void
extract(const char *const *lines, float conf, struct ocr_fields *f)
{
	struct ocr_text t;
	doc(&t, conf, lines);
	ocr_extract(&t, banks, NB, f);
	ocr_text_release(&t);
}

static void
want_amount(const char *line, int64_t minor, const char *cur)
{
	/* With the other number every voucher prints: a value alone has
	 * only even odds to beat, and is trusted by its own score alone. */
	const char *lines[] = {"Comprobante de pago", line, "Operación 48213",
	    NULL};
	struct ocr_fields f;
	extract(lines, 0.95f, &f);
	ck_assert_msg(f.amount.found, "%s: no amount", line);
	ck_assert_msg(f.amount_minor == minor, "%s → %lld, want %lld", line,
	    (long long)f.amount_minor, (long long)minor);
	ck_assert_msg(f.currency.found && strcmp(f.currency.value, cur) == 0,
	    "%s → currency %s, want %s", line, f.currency.value, cur);
	ck_assert_msg(f.amount.conf >= 0.85f, "%s: confidence %.2f", line,
	    (double)f.amount.conf);
}

START_TEST(amount_formats)
{
	want_amount("Monto: Q1,500.00", 150000, "GTQ");
	want_amount("Total Q 1.500,00", 150000, "GTQ");
	want_amount("Importe S/ 123.30", 12330, "PEN");
	want_amount("Valor $ 10,000.00 MXN", 1000000, "MXN");
	want_amount("Monto ₡25 000,00", 2500000, "CRC");
	want_amount("Total COP $1.250.000", 125000000, "COP");
	want_amount("Importe: GTQ 75.50", 7550, "GTQ");
	want_amount("Monto transferido: Q.2,000.00", 200000, "GTQ");
	want_amount("TOTAL S/. 1,234.56", 123456, "PEN");
	/* OCR split the cents off with a space. */
	want_amount("Monto: S/ 24,553. 55", 2455355, "PEN");
	/* VOUCHERS.md's other spellings. */
	want_amount("Monto: ¢25.000,00", 2500000, "CRC");
	want_amount("Monto: CRC 25,000.00", 2500000, "CRC");
	want_amount("Monto: S/ 45", 4500, "PEN");
	want_amount("Valor: COP $41.000", 4100000, "COP");
	want_amount("Importe: $ 1,250.00 M.N.", 125000, "MXN");
	want_amount("Monto: US$ 150.00", 15000, "USD");
	want_amount("Total: Q*****1,150.00", 115000, "GTQ");
	want_amount("Monto: GTQ 2,331.00", 233100, "GTQ");
}
END_TEST

static void
want_date(const char *line, const char *iso)
{
	const char *lines[] = {"Transferencia", line, "Monto: Q 10.00", NULL};
	struct ocr_fields f;
	extract(lines, 0.95f, &f);
	ck_assert_msg(f.date.found && strcmp(f.date.value, iso) == 0,
	    "%s → %s, want %s", line, f.date.found ? f.date.value : "none", iso);
	ck_assert_msg(f.date.conf >= 0.85f, "%s: confidence %.2f", line,
	    (double)f.date.conf);
}

START_TEST(date_formats)
{
	want_date("Fecha: 03/03/2026", "2026-03-03");
	want_date("Fecha: 3 mar 2026", "2026-03-03");
	want_date("Fecha: 03-MAR-26", "2026-03-03");
	want_date("Fecha: 3 de marzo de 2026", "2026-03-03");
	want_date("Fecha y hora: 03/03/2026 14:32:05", "2026-03-03");
	want_date("Fecha de operación: 2026-03-03", "2026-03-03");
	want_date("Fecha: 15.11.2026 08:15", "2026-11-15");
	want_date("FECHA: 1 DE SEPTIEMBRE DEL 2026", "2026-09-01");
	want_date("Fecha: 30 set 2026", "2026-09-30");
	/* Month first only where the day cannot be a month. */
	want_date("DATE : 12/13/2016 9:52:15 AM", "2016-12-13");
	want_date("Fecha: 18/06/2018 08.18.00", "2018-06-18");
	want_date("Fecha: 12/11/2026", "2026-11-12");
	want_date("DATE : 10 0CT 2017 TUE", "2017-10-10");
}
END_TEST

static void
want_ref(const char *line, const char *ref)
{
	const char *lines[] = {"Banco Industrial", line, "Monto: Q 10.00", NULL};
	struct ocr_fields f;
	extract(lines, 0.95f, &f);
	ck_assert_msg(f.reference.found && strcmp(f.reference.value, ref) == 0,
	    "%s → %s, want %s", line, f.reference.found ? f.reference.value :
	    "none", ref);
}

START_TEST(reference_labels)
{
	want_ref("Referencia: TRX-123456", "TRX-123456");
	want_ref("No. de operación: 12345678", "12345678");
	want_ref("Número de operación 00912345", "00912345");
	want_ref("No. de autorización: 445566", "445566");
	want_ref("Clave de rastreo: MBAN01002603030012345678",
	    "MBAN01002603030012345678");
	want_ref("Comprobante No. 0012345678", "0012345678");
	want_ref("Ref. 77889900", "77889900");
	/* VOUCHERS.md's labels of each family. */
	want_ref("Código de operación: 4455667", "4455667");
	want_ref("Nro. de operación 00123456", "00123456");
	want_ref("Comprobante No. 4821", "4821");
	want_ref("No. Autorización: 731904", "731904");
	want_ref("Referencia M8837261", "M8837261");
	want_ref("Clave de rastreo 2025111140014TRANS0012345",
	    "2025111140014TRANS0012345");
}
END_TEST

START_TEST(label_above_value)
{
	const char *lines[] = {"BCP", "¡Yapeaste!", "S/ 123.30", "Nro. de operación",
	    "87654321", "Fecha", "3 mar 2026", NULL};
	struct ocr_fields f;
	extract(lines, 0.95f, &f);
	ck_assert(f.amount.found && f.amount_minor == 12330);
	ck_assert_str_eq(f.reference.value, "87654321");
	ck_assert_str_eq(f.date.value, "2026-03-03");
	ck_assert_str_eq(f.bank.value, "BCP");
}
END_TEST

START_TEST(distractors_lose)
{
	const char *lines[] = {
		"Banco Industrial", "Transferencia exitosa",
		"Cuenta origen: 123-456789-0", "NIT: 1234567-8",
		"Tel. (502) 2222-3333", "Saldo disponible: Q 12,345.67",
		"Comisión: Q 5.00", "Monto: Q 1,500.00", "Referencia: TRX-991122",
		"Fecha: 03/03/2026", "Fecha de vencimiento: 31/12/2027", NULL,
	};
	struct ocr_fields f;
	extract(lines, 0.95f, &f);
	ck_assert_int_eq(f.amount_minor, 150000);
	ck_assert_str_eq(f.reference.value, "TRX-991122");
	ck_assert_str_eq(f.date.value, "2026-03-03");
	ck_assert_str_eq(f.bank.value, "BI");
	ck_assert_str_eq(f.method.value, "transferencia");
	ck_assert_str_eq(f.currency.value, "GTQ");
}
END_TEST

/* Numbers that are never the reference or the amount: CLABE, CCI,
 * exchange rates, phones, balances (VOUCHERS.md's distracting numbers). */
START_TEST(vouchers_md_distractors)
{
	struct ocr_fields f;
	const char *mx[] = {"BBVA México", "Transferencia SPEI",
	    "CLABE 012180001234567891", "Importe $ 2,500.00 MXN",
	    "Tipo de cambio 17.25", "Clave de rastreo MBAN01002603030012345678",
	    "Fecha 03/03/2026", NULL};
	extract(mx, 0.95f, &f);
	ck_assert_str_eq(f.reference.value, "MBAN01002603030012345678");
	ck_assert_int_eq(f.amount_minor, 250000);
	const char *pe[] = {"Interbank", "Constancia de transferencia",
	    "CCI 00312345678901234567", "Monto S/ 320.00",
	    "Nro. de operación 7766554", "Celular 987 654 321",
	    "Saldo disponible S/ 12,400.00", "Fecha 3 mar 2026", NULL};
	extract(pe, 0.95f, &f);
	ck_assert_str_eq(f.reference.value, "7766554");
	ck_assert_int_eq(f.amount_minor, 32000);
	ck_assert_str_eq(f.date.value, "2026-03-03");
	/* The cents of the amount in words are no reference. */
	const char *words[] = {"Banco Industrial", "Monto Q 1,500.00",
	    "Son: MIL QUINIENTOS QUETZALES 00/100", NULL};
	extract(words, 0.95f, &f);
	ck_assert(!f.reference.found || strcmp(f.reference.value, "00/100") != 0);
}
END_TEST

/* A value whose words read a second time say other digits is trusted
 * less; the same digits (spacing and punctuation aside) change nothing. */
START_TEST(second_reading_disagrees)
{
	const char *lines[] = {"Banco Industrial", "Transferencia exitosa",
	    "Monto: Q 1,500.00", "Referencia: 4471920113", "Fecha: 03/03/2026",
	    NULL};
	struct ocr_text t;
	struct ocr_fields f;
	doc(&t, 0.95f, lines);
	ocr_extract(&t, banks, NB, &f);
	ck_assert(f.amount.found && f.reference.found);
	float amount = f.amount.conf, ref = f.reference.conf;
	int a0 = f.amount.w0, a1 = f.amount.w1, r0 = f.reference.w0;
	ck_assert_str_eq(t.w[r0].text, "4471920113");
	ck_assert(ocr_text_add_reread(&t, a0, a1, "1 ,500.00"));
	ocr_extract(&t, banks, NB, &f);
	ck_assert_msg(f.amount.conf == amount, "%.3f vs %.3f", (double)f.amount.conf,
	    (double)amount);
	ck_assert(ocr_text_add_reread(&t, r0, f.reference.w1, "4471926113"));
	ocr_extract(&t, banks, NB, &f);
	ck_assert_msg(!f.reference.found || f.reference.conf < ref, "%.3f vs %.3f",
	    (double)f.reference.conf, (double)ref);
	/* Words dropped take their second readings with them. */
	ocr_text_truncate(&t, (size_t)r0);
	ck_assert(ocr_text_reread(&t, r0, r0) == NULL);
	ck_assert(ocr_text_reread(&t, a0, a1) != NULL);
	ocr_text_release(&t);
}
END_TEST

/* A model file an installation fitted before the second reading existed
 * (a calibration of 7 numbers) still loads; one of 6 does not. */
START_TEST(model_files_of_before_load)
{
	char path[] = "/tmp/cb-model-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	static const char *const docs[] = {
	    "{\"origin\":\"x\",\"amount\":{\"w\":{\"bias\":1},\"c\":[0,1,0,0,0,0,0]},"
	    "\"date\":{\"w\":{},\"c\":[0,0,0,0,0,0,0]},"
	    "\"reference\":{\"w\":{},\"c\":[0,0,0,0,0,0,0,0]}}",
	    "{\"origin\":\"x\",\"amount\":{\"w\":{},\"c\":[0,0,0,0,0,0]},"
	    "\"date\":{\"w\":{},\"c\":[0,0,0,0,0,0,0]},"
	    "\"reference\":{\"w\":{},\"c\":[0,0,0,0,0,0,0]}}"};
	for (int i = 0; i < 2; i++) {
		ck_assert(ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0);
		ck_assert(write(fd, docs[i], strlen(docs[i])) == (ssize_t)strlen(docs[i]));
		struct ocr_model *m = NULL;
		char why[200] = "";
		cb_err e = ocr_model_load(path, &m, why, sizeof why);
		if (i == 0) {
			ck_assert_msg(e == CB_OK, "%s", why);
			/* c[7] is 0: a second reading changes nothing here. */
			ck_assert(ocr_model_confidence(m, CAL_AMOUNT, 2, 8, 1, false, 1, 1) ==
			    ocr_model_confidence(m, CAL_AMOUNT, 2, 8, 1, false, 1, 0));
			ocr_model_free(m);
		} else
			ck_assert_msg(e != CB_OK && strstr(why, "\"c\""), "%s", why);
	}
	close(fd);
	unlink(path);
}
END_TEST

/* Shops' tickets (cash payments, receipts sent as proof): items, a
 * subtotal, tax, rounding, the total, then the cash handed over and the
 * change — the total is the amount, "SUB TOTAL" is no total, and a tax
 * line inside "Total (Incl. Tax)" does not make it one. */
START_TEST(shop_tickets)
{
	struct ocr_fields f;
	const char *en[] = {"LIMA BOOK SHOP", "CASH RECEIPT",
	    "Receipt No 15910112", "Date: 08/08/2026 10:53 PM",
	    "GST REG NO 22747574526", "TOILET ROLL 18.68", "SUGAR 2KG 124.34",
	    "SUB TOTAL 143.02", "GST 18%: 21.81", "Rounding -0.02",
	    "Total (Incl. Tax): 143.00", "CASH 150.00", "CHANGE 7.00", NULL};
	extract(en, 0.95f, &f);
	ck_assert_int_eq(f.amount_minor, 14300);
	ck_assert_str_eq(f.date.value, "2026-08-08");
	ck_assert_str_eq(f.reference.value, "15910112");
	const char *es[] = {"SUPERMERCADOS LA TORRE", "TICKET DE VENTA",
	    "NIT: 12345678", "Fecha: 14/02/2026", "Ticket No. 4471920",
	    "LECHE ENTERA 1L 12.50", "2 x PAN FRANCES 30.00", "Subtotal 42.50",
	    "IVA 12% 4.55", "TOTAL A PAGAR Q 42.50", "EFECTIVO Q 50.00",
	    "Vuelto Q 7.50", NULL};
	extract(es, 0.95f, &f);
	ck_assert_int_eq(f.amount_minor, 4250);
	ck_assert_str_eq(f.reference.value, "4471920");
	ck_assert_str_eq(f.date.value, "2026-02-14");
}
END_TEST

/* Real receipts' shapes, each a ticket that chose another number before:
 * the total is the amount. */
START_TEST(shop_tickets_real_shapes)
{
	static const struct { const char *why; const char *lines[18];
	    int64_t minor; } t[] = {
		/* The tax added to a net subtotal (Malaysian receipts, many
		 * Mexican ones): "Total (Inclusive of GST)" is a total, not
		 * the GST; "(Excluding GST)" and the tax summary are not. */
		{"tax added", {"KEDAI PAPAN YEW CHUAN", "TAX INVOICE",
		    "Doc No. : CS00011351 Date: 31/03/2018",
		    "Item Qty S/Price Amount Tax", "101756 10 16.50 174.90 SR",
		    "Total Sales (Excluding GST) : 165.00", "Discount : 0.00",
		    "Total GST : 9.90", "Rounding : 0.00",
		    "Total Sales (Inclusive of GST) : 174.90", "CASH : 174.90",
		    "Change : 0.00", "GST SUMMARY", "Tax Code % Amt(RM) Tax(RM)",
		    "SR 6 165.00 9.90", "Total: 165.00 9.90", NULL}, 17490},
		{"incl. and a rate", {"PASARAYA SEGAR", "Date : 10-05-2017",
		    "Sub Total 14.06", "GST 6% 0.84",
		    "Total Incl. GST 6% RM 14.90", "Cash RM 20.00",
		    "Change RM 5.10", NULL}, 1490},
		/* A row of its own above the total ("No. Items: 1") is no
		 * head of a column: "TOTAL" on its line still labels it. */
		{"a row above", {"PERNIAGAAN RIANG RIA", "TAX INVOICE",
		    "No. Qtys: 1.00                No. Items: 1",
		    "TOTAL                          22.60",
		    "CASH                           30.00",
		    "CHANGE                          7.40",
		    "TAXABLE AMT 21.37", "GST 6% 1.28", NULL}, 2260},
		/* The grand total is the sum of two other totals, however
		 * often the parts are printed. */
		{"sum of totals", {"GARDENIA BAKERIES", "TAX INVOICE",
		    "Cash Inv No.: 7022F710 Date: 22/10/2017",
		    "Total 0% supplies: 6.01",
		    "Total 6% supplies (excl. GST): 26.60", "GST: 1.60",
		    "Total 6% supplies (Inc. GST): 28.20",
		    "Total 0% supplies: 6.01", "Total Payable: 34.21", NULL},
		    3421},
		/* What the customer paid with, when change is given, is not
		 * what the goods came to. */
		{"paid with", {"SAM HARDWARE", "Invoice No: 1234 Date: 05/01/2018",
		    "Total Amt Payable : 159.00", "Paid Amount: 200.00",
		    "Change : 41.00", NULL}, 15900},
		/* Quantities of one on every line are counts, not a payment
		 * printed again and again. */
		{"quantities", {"RESTORAN MAKAN", "Date: 19/03/2018",
		    "Description Qty Amount", "TEH TARIK 1 2.20",
		    "KOPI O 1 1.80", "ROTI CANAI 1 3.40", "MEE GORENG 1 4.50",
		    "AIR 1 1.00", "TOTAL 12.90", "CASH 20.00", "CHANGE 7.10",
		    NULL}, 1290},
		/* A total before rounding, then the rounding, then what was
		 * paid: the rounding applied says which (minus or plus). */
		/* The tax "included in total" is not the total. */
		{"tax included", {"HOME'S HARDWARE", "Date: 24-03-18",
		    "9555221300282 2X 6.50 13.00", "Item(s) : 2 Qty(s) : 3",
		    "Total Incl. GST86% RM 14.90", "CASH RM 20.00",
		    "CHANGE RM 5.10", "GST @6% included in total RM 0.84", NULL},
		    1490},
		{"rounded down", {"MR. D.I.Y. SP3", "Invoice No : SP3-01-147902",
		    "Date : 17/06/2018 7:36:12 PM",
		    "2 SR 9555586101265 1 9.91 9.91",
		    "Total Sales Inclusive GST 28.31",
		    "Rounding Adjustment: -0.01", "TOTAL : 28.30",
		    "CASH 50.00", "Change : 21.70", NULL}, 2830},
		{"rounded up", {"KEDAI PAPAN", "Date: 30/09/2017",
		    "Total Qty: 39.00 616.59",
		    "Total Sales (Excluding GST) : 616.59", "Total GST : 0.00",
		    "Rounding : 0.01",
		    "Total Sales (Inclusive of GST) : 616.60",
		    "VISA : 616.60", "Total : 616.59 0.00", NULL}, 61660},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct ocr_fields f;
		extract(t[i].lines, 0.95f, &f);
		ck_assert_msg(f.amount_minor == t[i].minor, "%s: %lld, want %lld",
		    t[i].why, (long long)f.amount_minor, (long long)t[i].minor);
	}
	/* The day of the sale, not the stamp of a reprint the next day (a
	 * time with dots is a time too). */
	const char *re[] = {"RESTORAN MAKAN", "Date : 18/06/2018 08.18.00",
	    "TOTAL RM 30.00", "Date printed 19/06/2018 03:18:01", NULL};
	struct ocr_fields f;
	extract(re, 0.95f, &f);
	ck_assert_str_eq(f.date.value, "2018-06-18");
}
END_TEST

START_TEST(doubt_lowers_confidence)
{
	/* No label, no sign, no decimals: at most a guess a reviewer checks
	 * (shops print whole colones and pesos bare, so it can be one). */
	const char *a[] = {"Recibo", "1500", NULL};
	struct ocr_fields f;
	extract(a, 0.95f, &f);
	ck_assert_msg(!f.amount.found || f.amount.conf < 0.85f, "%s %.3f",
	    f.amount.value, (double)f.amount.conf);
	/* Two values under labels of the amount that disagree: neither is
	 * trusted.  (A "Total" beside a "Monto" is the total with the fee,
	 * which VOUCHERS.md makes a distractor: that is not a doubt.) */
	const char *b[] = {"Monto: Q 1,500.00", "Importe: Q 1,800.00", NULL};
	extract(b, 0.95f, &f);
	ck_assert(f.amount.found);
	ck_assert_msg(f.amount.conf < 0.85f, "%.2f", (double)f.amount.conf);
	/* Poorly read words are trusted less (how much less is fitted). */
	const char *c[] = {"Banco Industrial", "Transferencia", "Monto: Q 1,500.00",
	    NULL};
	extract(c, 0.95f, &f);
	float sure = f.amount.conf;
	extract(c, 0.40f, &f);
	ck_assert_msg(f.amount.found && f.amount.conf < sure, "%.2f vs %.2f",
	    (double)f.amount.conf, (double)sure);
	/* A reference with an O beside digits (issuers leave O and I out;
	 * OCR writes them for 0 and 1) is trusted less than a clean one. */
	const char *d0[] = {"Referencia: AB0012345", NULL};
	extract(d0, 0.95f, &f);
	sure = f.reference.conf;
	const char *d[] = {"Referencia: AB0O12345", NULL};
	extract(d, 0.95f, &f);
	ck_assert_msg(f.reference.found && f.reference.conf < sure,
	    "%.3f vs %.3f", (double)f.reference.conf, (double)sure);
	/* A long numeric reference: an O before digits is read as a zero. */
	const char *g[] = {"Clave de rastreo: MBANO1002603030012345678", NULL};
	extract(g, 0.95f, &f);
	ck_assert_str_eq(f.reference.value, "MBAN01002603030012345678");
	/* Cents OCR could not read: the integer part is not the amount. */
	const char *h[] = {"Monto: Q 23,253.7x", "Comisión: Q 5.00", NULL};
	extract(h, 0.95f, &f);
	ck_assert(!f.amount.found || f.amount.conf < 0.85f);
	/* "Fecha de operación" labels a date, never a reference. */
	const char *e[] = {"Fecha de operación 23-ENE-26", NULL};
	extract(e, 0.95f, &f);
	ck_assert(!f.reference.found);
	ck_assert_str_eq(f.date.value, "2026-01-23");
}
END_TEST

/* A document whose lines hold cells at fixed columns: "a\tb" puts b at
 * x = 410 (two-column grids: labels on one line, values under them). */
static void
extract_cols(const char *const *lines, struct ocr_fields *f)
{
	struct ocr_text t;
	ocr_text_init(&t);
	t.source = "ocr";
	for (int l = 0; lines[l]; l++) {
		const char *p = lines[l];
		int x = 10;
		while (*p) {
			if (*p == '\t') {
				x = 410;
				p++;
				continue;
			}
			size_t n = strcspn(p, " \t");
			if (n)
				ck_assert(ocr_text_add(&t, p, n, x, 30 * l, x + 12 * (int)n,
				    30 * l + 20, 0.95f, 0, l) == CB_OK);
			x += 12 * (int)n + 12;
			p += n;
			for (bool first = true; *p == ' '; p++, first = false)
				x += first ? 0 : 12;
		}
	}
	t.pages = 1;
	t.page_w[0] = 820;
	t.page_h[0] = 30 * 20;
	ocr_extract(&t, banks, NB, f);
	ocr_text_release(&t);
}

/* VOUCHERS.md, each a document the hand-tuned extractor got wrong or
 * missed: the layout corpus's families. */
START_TEST(voucher_families)
{
	struct ocr_fields f;
	/* Yape: the amount glued to "S/" (was taken for part of a date). */
	const char *yape[] = {"Yape", "¡Yapeaste!", "Monto", "S/265.09",
	    "21 feb. 2026 - 02:20 p. m.", "Número de operación", "58340922",
	    "Celular", "*** *** 980", "Cód. de seguridad", "806", NULL};
	extract(yape, 0.95f, &f);
	ck_assert_msg(f.amount.found && f.amount_minor == 26509, "%s",
	    f.amount.value);
	ck_assert_str_eq(f.reference.value, "58340922");
	ck_assert_str_eq(f.date.value, "2026-02-21");
	/* A teller's validation line: the number after TRANS:, the amount
	 * behind its '*' fill (neither was read). */
	const char *slip[] = {"Banco Industrial — Depósito monetario",
	    "No. 3989111", "CUENTA NO. 1601121709644", "CHEQUES 951938",
	    "Fecha: 21/09/26",
	    "21/09/2026 TRANS:41473199 Q*******442.00 AG:258 U230", NULL};
	extract(slip, 0.95f, &f);
	ck_assert_str_eq(f.reference.value, "41473199");
	ck_assert_msg(f.amount.found && f.amount_minor == 44200, "%s",
	    f.amount.value);
	ck_assert_str_eq(f.currency.value, "GTQ");
	/* Card POS: the autorización, not REF, lote, terminal or ticket. */
	const char *pos[] = {"VISANET GUATEMALA", "TERMINAL: 01144858",
	    "BATCH 942", "TICKET 5028", "************4821",
	    "FECHA/HORA: 24-AGO-26 - 22:49:36", "AUT.: 231348",
	    "REF: 94863757261", "MONTO: GTQ 17,974.00", NULL};
	extract(pos, 0.95f, &f);
	ck_assert_str_eq(f.reference.value, "231348");
	ck_assert_int_eq(f.amount_minor, 1797400);
	ck_assert_str_eq(f.date.value, "2026-08-24");
	/* A fee and the total with it: the amount is what was sent. */
	const char *fee[] = {"Transferencia exitosa", "Monto", "Q 468.00",
	    "Fecha y hora 2026/07/12", "No. de autorización 527270280",
	    "IVA Q 3.00", "Total a pagar Q 471.00", NULL};
	extract(fee, 0.95f, &f);
	ck_assert_int_eq(f.amount_minor, 46800);
	ck_assert_str_eq(f.date.value, "2026-07-12");
	ck_assert_str_eq(f.reference.value, "527270280");
	/* SPEI: the clave de rastreo, not the referencia numérica or folio;
	 * the operation's date, not the print stamp of the next day. */
	const char *spei[] = {"Transferencia SPEI", "Importe $ 10,000.00 MXN",
	    "Fecha de operación 3 de marzo de 2026, 12:02 p. m.",
	    "Referencia numérica 7546495", "Folio de internet 4370366200",
	    "Clave de rastreo MBAN01002603030012345678",
	    "CLABE 106881099940666751",
	    "Fecha de impresión 04/03/2026 10:15", NULL};
	extract(spei, 0.95f, &f);
	ck_assert_str_eq(f.reference.value, "MBAN01002603030012345678");
	ck_assert_str_eq(f.date.value, "2026-03-03");
	ck_assert_int_eq(f.amount_minor, 1000000);
	/* Two-column grid: each value under its own label (the reference
	 * under "No. de referencia" was never a candidate). */
	const char *grid[] = {"Banco Industrial", "Transferencia exitosa",
	    "Cuenta debitada\tCuenta destino", "****2771\t869481731873",
	    "No. de referencia\tValor", "485267331354\tQ 448.00",
	    "DPI\tFecha de operación", "5582700113935\t24 feb. 2025", NULL};
	extract_cols(grid, &f);
	ck_assert_str_eq(f.reference.value, "485267331354");
	ck_assert_int_eq(f.amount_minor, 44800);
	ck_assert_str_eq(f.date.value, "2025-02-24");
}
END_TEST

START_TEST(currency_from_country)
{
	/* A bare "$" is pesos when the bank is Mexican. */
	const char *a[] = {"BANORTE", "Importe: $ 2,500.00", NULL};
	struct ocr_fields f;
	extract(a, 0.95f, &f);
	ck_assert_str_eq(f.currency.value, "MXN");
	/* Printed 1.250.000: Colombian. */
	const char *b[] = {"Valor: $ 1.250.000", NULL};
	extract(b, 0.95f, &f);
	ck_assert_str_eq(f.currency.value, "COP");
	/* An ambiguous alias settles by the currency's country. */
	const char *c[] = {"BAC Credomatic", "Monto: ₡5 000,00", NULL};
	extract(c, 0.95f, &f);
	ck_assert_str_eq(f.bank.value, "BAC_CR");
}
END_TEST

START_TEST(scanners)
{
	struct ocr_number n;
	ck_assert_uint_eq(ocr_scan_number("1.234,56", 0, &n), 8);
	ck_assert_int_eq(n.cents, 123456);
	ck_assert_uint_eq(ocr_scan_number("1,234.5", 0, &n), 7);
	ck_assert_int_eq(n.cents, 123450);
	ck_assert_uint_eq(ocr_scan_number("1,23,456.00", 0, &n), 0);
	ck_assert_uint_eq(ocr_scan_number("1.250.000", 0, &n), 9);
	ck_assert_int_eq(n.cents, 125000000);
	ck_assert_uint_eq(ocr_scan_number("12 345,00 X", 0, &n), 9);
	ck_assert_int_eq(n.cents, 1234500);
	ck_assert_uint_eq(ocr_scan_number("99999999999999999999", 0, &n), 0);
	char iso[11];
	ck_assert_uint_eq(ocr_scan_date("31/02/2026", 0, iso), 0);
	ck_assert_uint_eq(ocr_scan_date("03/03/1999", 0, iso), 0);
	ck_assert_uint_eq(ocr_scan_date("MARZO 3, 2026", 0, iso), 13);
	ck_assert_str_eq(iso, "2026-03-03");
	ck_assert_uint_eq(ocr_scan_date("3 MARTES 2026", 0, iso), 0);
	/* VOUCHERS.md's date formats. */
	static const char *const dates[][2] = {
		{"24/DIC/2025", "2025-12-24"}, {"08/SEP/2025", "2025-09-08"},
		{"2026/03/03", "2026-03-03"}, {"03 MAR. 2026", "2026-03-03"},
		{"3 DE MARZO DE 2026", "2026-03-03"}, {"03-MAR-26", "2026-03-03"},
		{"03/03/26", "2026-03-03"}, {"30 SET 2026", "2026-09-30"},
		{"03.03.2026", "2026-03-03"},
	};
	for (size_t k = 0; k < sizeof dates / sizeof dates[0]; k++) {
		ck_assert_msg(ocr_scan_date(dates[k][0], 0, iso) > 0, "%s",
		    dates[k][0]);
		ck_assert_str_eq(iso, dates[k][1]);
	}
	char out[64];
	int map[64];
	ocr_fold("Número de operación ₡", out, map, sizeof out);
	ck_assert_str_eq(out, "NUMERO DE OPERACION #");
}
END_TEST

START_TEST(review_rules)
{
	const char *lines[] = {"Monto: Q 1,500.00", "Fecha: 03/03/2026",
	    "Referencia: TRX-123456", NULL};
	struct ocr_fields f;
	char why[512];
	extract(lines, 0.95f, &f);
	struct manual_values none = {.currency = "", .date = "", .reference = "",
	    .bank_code = "", .method = ""};
	ck_assert_msg(!ocr_review(&f, &none, why, sizeof why), "%s", why);
	struct manual_values other = none;
	other.has_amount = true;
	other.amount_minor = 160000;
	ck_assert(ocr_review(&f, &other, why, sizeof why));
	ck_assert(strstr(why, "amount") != NULL);
	const char *partial[] = {"Monto: Q 1,500.00", NULL};
	extract(partial, 0.95f, &f);
	ck_assert(ocr_review(&f, &none, why, sizeof why));
	ck_assert(strstr(why, "transactionDate not found") != NULL);
	/* Manual values fill what OCR missed: no review for those. */
	struct manual_values given = none;
	given.date = "2026-03-03";
	given.reference = "X-1";
	ck_assert_msg(!ocr_review(&f, &given, why, sizeof why), "%s", why);
}
END_TEST

START_TEST(document_types)
{
	static const unsigned char jpg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J',
	    'F', 'I', 'F', 0, 0xff, 0xd9};
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
	    '\n', 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
	ck_assert_int_eq(doc_sniff(jpg, sizeof jpg), DOC_JPEG);
	ck_assert_int_eq(doc_sniff(png, sizeof png), DOC_PNG);
	ck_assert_int_eq(doc_sniff((const unsigned char *)"%PDF-1.7\n", 9), DOC_PDF);
	ck_assert_int_eq(doc_sniff((const unsigned char *)"GIF89a..", 8), DOC_NONE);
	ck_assert_int_eq(doc_sniff((const unsigned char *)"<svg>..", 7), DOC_NONE);
	ck_assert_ptr_null(doc_check_tail(DOC_JPEG, jpg, sizeof jpg));
	ck_assert_ptr_nonnull(doc_check_tail(DOC_JPEG, jpg, sizeof jpg - 1));
	ck_assert_ptr_nonnull(doc_check_tail(DOC_JPEG,
	    (const unsigned char *)"\xff\xd9%PDF-1.4 %%EOF", 16));
	ck_assert_ptr_null(doc_check_tail(DOC_PNG, png, sizeof png));
	ck_assert_ptr_nonnull(doc_check_tail(DOC_PNG, png, sizeof png - 3));
	ck_assert_ptr_null(doc_check_tail(DOC_PDF,
	    (const unsigned char *)"trailer\n%%EOF\n", 14));
	ck_assert_ptr_nonnull(doc_check_tail(DOC_PDF,
	    (const unsigned char *)"stream\nxx", 9));
}
END_TEST

START_TEST(file_names)
{
	char out[DOC_NAME_MAX + 1];
	doc_sanitize_name("../../etc/passwd", DOC_PDF, out);
	ck_assert_str_eq(out, "passwd.pdf");
	doc_sanitize_name("C:\\Users\\x\\recibo.pdf", DOC_PDF, out);
	ck_assert_str_eq(out, "recibo.pdf");
	doc_sanitize_name("a\nb.pdf", DOC_PDF, out);
	ck_assert_str_eq(out, "a_b.pdf");
	doc_sanitize_name("\xff\xfe" "x.pdf", DOC_PDF, out);
	ck_assert_str_eq(out, "__x.pdf");
	doc_sanitize_name("recibo \"final\"; v2.jpg", DOC_JPEG, out);
	ck_assert_str_eq(out, "recibo _final__ v2.jpg");
	doc_sanitize_name("", DOC_PNG, out);
	ck_assert_str_eq(out, "document.png");
	doc_sanitize_name("../..", DOC_PNG, out);
	ck_assert_str_eq(out, "document.png");
	doc_sanitize_name("recibo.jpg", DOC_PDF, out);
	ck_assert_str_eq(out, "recibo.pdf");
	doc_sanitize_name("foto.JPEG", DOC_JPEG, out);
	ck_assert_str_eq(out, "foto.JPEG");
	doc_sanitize_name(".bashrc", DOC_PNG, out);
	ck_assert_str_eq(out, "bashrc.png");
	doc_sanitize_name("año-señal.pdf", DOC_PDF, out);
	ck_assert_str_eq(out, "año-señal.pdf");
	/* Never a name that opens as another type, nor one drawn backwards. */
	doc_sanitize_name("x.html", DOC_PNG, out);
	ck_assert_str_eq(out, "x.html.png");
	doc_sanitize_name("x.svg", DOC_PNG, out);
	ck_assert_str_eq(out, "x.svg.png");
	doc_sanitize_name("\xe2\x80\xae" "gnp.exe", DOC_PNG, out);
	ck_assert_str_eq(out, "___gnp.exe.png");
	doc_sanitize_name("recibo.PDF", DOC_PDF, out);
	ck_assert_str_eq(out, "recibo.PDF");
	doc_sanitize_name("scan.jpe", DOC_JPEG, out);
	ck_assert_str_eq(out, "scan.jpe");
	char longn[400];
	memset(longn, 'a', 300);
	strcpy(longn + 300, ".pdf");
	doc_sanitize_name(longn, DOC_PDF, out);
	ck_assert_uint_eq(strlen(out), DOC_NAME_MAX);
	ck_assert_str_eq(out + DOC_NAME_MAX - 4, ".pdf");
	/* Never a UTF-8 sequence cut in half by the cap. */
	char ll[400] = "";
	for (int i = 0; i < 120; i++)
		strcat(ll, "ñ");
	doc_sanitize_name(ll, DOC_JPEG, out);
	ck_assert(strlen(out) <= DOC_NAME_MAX);
	ck_assert_str_eq(out + strlen(out) - 4, ".jpg");
	ck_assert((unsigned char)out[strlen(out) - 5] != 0xc3);
}
END_TEST

START_TEST(exif)
{
	/* SOI, APP1 "Exif\0\0" + little-endian TIFF with Orientation = 6. */
	unsigned char j[64] = {0xff, 0xd8, 0xff, 0xe1, 0, 34, 'E', 'x', 'i', 'f',
	    0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0,
	    6, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xd9};
	ck_assert_int_eq(exif_orientation(j, 40), 6);
	ck_assert_int_eq(exif_orientation(j, 30), 1);   /* truncated */
	j[5] = 200;                                     /* lies about length */
	ck_assert_int_eq(exif_orientation(j, 40), 1);
	ck_assert_int_eq(exif_orientation((const unsigned char *)"\xff\xd8", 2), 1);
}
END_TEST

static cb_err
count(const char *key, const char *tmp, time_t m, void *arg)
{
	(void)m;
	int *n = arg;
	n[key ? 0 : 1]++;
	(void)tmp;
	return CB_OK;
}

START_TEST(local_storage)
{
	char root[] = "/tmp/cb-storage-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(root));
	struct storage *s;
	ck_assert(storage_local_new(root, &s) == CB_OK);
	const char *key = "payments/documents/1-recibo.pdf";
	ck_assert(storage_put(s, key, "hello", 5, -1) == CB_OK);
	ck_assert(storage_put(s, key, "other", 5, -1) == CB_EEXIST);
	int fd;
	off_t size;
	char buf[16] = "";
	ck_assert(storage_open(s, key, &fd, &size) == CB_OK);
	ck_assert_int_eq(size, 5);
	ck_assert_int_eq(read(fd, buf, sizeof buf), 5);
	ck_assert_str_eq(buf, "hello");
	close(fd);
	/* From a file descriptor, after a head. */
	FILE *f = tmpfile();
	fputs(" world", f);
	fflush(f);
	ck_assert(storage_put(s, "payments/documents/2-x.pdf", "hello", 5,
	    fileno(f)) == CB_OK);
	fclose(f);
	ck_assert(storage_open(s, "payments/documents/2-x.pdf", &fd, &size) ==
	    CB_OK);
	ck_assert_int_eq(size, 11);
	close(fd);
	ck_assert(storage_put(s, "../escape", "x", 1, -1) == CB_EINVAL);
	ck_assert(storage_put(s, "a//b", "x", 1, -1) == CB_EINVAL);
	ck_assert(storage_put(s, "/abs", "x", 1, -1) == CB_EINVAL);
	ck_assert(storage_put(s, "a/./b", "x", 1, -1) == CB_EINVAL);
	ck_assert(storage_put(s, "a/.tmp-x", "x", 1, -1) == CB_EINVAL);
	ck_assert(storage_open(s, "payments/documents/none", &fd, &size) ==
	    CB_ENOTFOUND);
	/* A stray temporary file is listed as such. */
	char tmp[256];
	snprintf(tmp, sizeof tmp, "%s/payments/documents/.tmp-abc123", root);
	close(open(tmp, O_CREAT | O_WRONLY, 0600));
	int n[2] = {0, 0};
	ck_assert(storage_list(s, "payments/documents", count, n) == CB_OK);
	ck_assert_int_eq(n[0], 2);
	ck_assert_int_eq(n[1], 1);
	ck_assert(storage_remove_tmp(s, "payments/documents", ".tmp-abc123") ==
	    CB_OK);
	ck_assert(storage_remove(s, key) == CB_OK);
	ck_assert(storage_remove(s, key) == CB_OK);
	n[0] = n[1] = 0;
	ck_assert(storage_list(s, "payments/documents", count, n) == CB_OK);
	ck_assert_int_eq(n[0], 1);
	ck_assert_int_eq(n[1], 0);
	storage_remove(s, "payments/documents/2-x.pdf");
	storage_free(s);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("ocr");
	TCase *t = tcase_create("ocr");
	tcase_add_test(t, amount_formats);
	tcase_add_test(t, voucher_families);
	tcase_add_test(t, vouchers_md_distractors);
	tcase_add_test(t, shop_tickets);
	tcase_add_test(t, shop_tickets_real_shapes);
	tcase_add_test(t, second_reading_disagrees);
	tcase_add_test(t, model_files_of_before_load);
	tcase_add_test(t, date_formats);
	tcase_add_test(t, reference_labels);
	tcase_add_test(t, label_above_value);
	tcase_add_test(t, distractors_lose);
	tcase_add_test(t, doubt_lowers_confidence);
	tcase_add_test(t, currency_from_country);
	tcase_add_test(t, scanners);
	tcase_add_test(t, review_rules);
	tcase_add_test(t, document_types);
	tcase_add_test(t, file_names);
	tcase_add_test(t, exif);
	tcase_add_test(t, local_storage);
	suite_add_tcase(s, t);
	return s;
}

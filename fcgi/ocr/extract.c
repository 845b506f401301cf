/* extract.c — see extract.h. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocr/calibrate.h"
#include "ocr/extract.h"
#include "ocr/model.h"

#define LINE_CH 400

struct line {
	char f[LINE_CH];         /* folded text, words joined by one space */
	int wi[LINE_CH];         /* word index of each folded character */
	int off[LINE_CH];        /* byte offset of it in that word */
	size_t len;
	int page;
};

struct cand {
	char value[72], raw[72];
	int64_t minor;
	float score, conf;       /* conf: OCR confidence of its words */
	int li;                  /* line */
	size_t a, b;             /* folded span [a, b) */
	const char *currency;    /* amounts */
	bool marker;             /* amounts: currency sign or code printed */
	char dec, grp;           /* amounts: separators as printed */
	unsigned kind;           /* amounts: its same-line label's lab_kind */
	int height;              /* pixels: how large it is printed */
	int x0, x1, y0;          /* its box on the page */
	struct ocr_where where;  /* page and box, as reported */
	float x[OCR_NFEAT];      /* what the model weighs */
};

/* Label words and what they say of the value after (or below) them. */
enum lab_class { LC_NONE, LC_POS, LC_NEG, LC_TOTAL, LC_PRINT, LC_STRONG,
	LC_WEAK, LC_AUT, LC_ALT };
/* What else an amount label says: a fee the bank charged (a total with it
 * is a distractor, VOUCHERS.md), a tax on goods (a shop's total includes
 * it), "including" (the tax word after it qualifies a total), cash (what
 * a slip deposits, or what a shop's customer handed over when the ticket
 * gives change), change, a rounding adjustment (the total after it is
 * what was paid). */
enum lab_kind { LK_FEE = 1, LK_TAX = 2, LK_INCL = 4, LK_CASH = 8,
	LK_CHANGE = 16, LK_ROUND = 32 };
/* kind: enum lab_kind bits, amount labels only.  IVA is charged on banks'
 * fees too (VOUCHERS.md): on a voucher it is a fee, on a shop's ticket the
 * tax on the goods (label_kind tells them apart). */
struct label { const char *word; enum lab_class c; unsigned kind; };

static const struct label amount_labels[] = {
	{"MONTO", LC_POS, 0}, {"IMPORTE", LC_POS, 0}, {"TOTAL", LC_TOTAL, 0},
	{"VALOR", LC_POS, 0}, {"CANTIDAD", LC_POS, 0}, {"AMOUNT", LC_POS, 0},
	{"PAGASTE", LC_POS, 0}, {"ENVIASTE", LC_POS, 0},
	{"TRANSFERIDO", LC_POS, 0}, {"DEPOSITADO", LC_POS, 0},
	{"PAGADO", LC_POS, 0}, {"YAPEASTE", LC_POS, 0},
	{"PLINEASTE", LC_POS, 0}, {"RECIBISTE", LC_POS, 0},
	{"ENVIADO", LC_POS, 0}, {"EFECTIVO", LC_POS, LK_CASH},
	{"DEPOSITO", LC_POS, 0}, {"CUANTO", LC_POS, 0},
	{"COMISION", LC_NEG, LK_FEE}, {"SALDO", LC_NEG, 0},
	{"DISPONIBLE", LC_NEG, 0}, {"IVA", LC_NEG, LK_FEE | LK_TAX},
	{"IMPUESTO", LC_NEG, LK_TAX}, {"CARGO", LC_NEG, LK_FEE},
	{"ITF", LC_NEG, LK_FEE}, {"FEE", LC_NEG, LK_FEE},
	{"LIMITE", LC_NEG, 0}, {"INTERES", LC_NEG, 0}, {"SUBTOTAL", LC_NEG, 0},
	{"CUENTA", LC_NEG, 0}, {"TEL", LC_NEG, 0}, {"TELEFONO", LC_NEG, 0},
	{"NIT", LC_NEG, 0}, {"DNI", LC_NEG, 0}, {"RUC", LC_NEG, 0},
	{"CELULAR", LC_NEG, 0}, {"TARJETA", LC_NEG, 0}, {"CHEQUES", LC_NEG, 0},
	{"ANTERIOR", LC_NEG, 0}, {"RETENCION", LC_NEG, 0},
	{"PROPINA", LC_NEG, 0}, {"DESCUENTO", LC_NEG, 0},
	{"GMF", LC_NEG, LK_FEE}, {"4X1000", LC_NEG, LK_FEE},
	{"COSTO", LC_NEG, LK_FEE}, {"TIPO DE CAMBIO", LC_NEG, 0},
	{"CAMBIO", LC_NEG, LK_CHANGE}, {"DEBITADO", LC_TOTAL, 0},
	{"CARGADO", LC_TOTAL, 0},
	/* Shops' tickets: the cash handed over and the change are money
	 * too, and so are taxes and rounding. */
	{"CASH", LC_NEG, 0}, {"CHANGE", LC_NEG, LK_CHANGE},
	{"TENDER", LC_NEG, 0}, {"TENDERED", LC_NEG, 0},
	{"ROUNDING", LC_NEG, LK_ROUND}, {"REDONDEO", LC_NEG, LK_ROUND},
	{"GST", LC_NEG, LK_TAX}, {"SST", LC_NEG, LK_TAX},
	{"TAX", LC_NEG, LK_TAX}, {"VAT", LC_NEG, LK_TAX},
	{"IGV", LC_NEG, LK_TAX}, {"DISC", LC_NEG, 0}, {"DISCOUNT", LC_NEG, 0},
	{"SUB TOTAL", LC_NEG, 0}, {"SUB-TOTAL", LC_NEG, 0},
	{"VUELTO", LC_NEG, LK_CHANGE}, {"PAGO CON", LC_NEG, 0},
	{"QTY", LC_NEG, 0}, {"ITEMS", LC_NEG, 0}, {"ARTICULOS", LC_NEG, 0},
	{"EXCLUDING", LC_NEG, 0}, {"EXCL", LC_NEG, 0}, {"EXCL.", LC_NEG, 0},
	/* "Total (Inclusive of GST)", "Total Incl. GST 6%": a total, not
	 * the tax. */
	{"INCL", LC_TOTAL, LK_INCL}, {"INCL.", LC_TOTAL, LK_INCL},
	{"INCLUSIVE", LC_TOTAL, LK_INCL}, {"INCLUDING", LC_TOTAL, LK_INCL},
	{"NET AMT", LC_TOTAL, 0}, {"NET AMOUNT", LC_TOTAL, 0},
	/* "GST 6% included in total RM 0.84": the tax, not the total. */
	{"INCLUDED IN TOTAL", LC_NEG, LK_TAX},
	{"INCLUIDO EN EL TOTAL", LC_NEG, LK_TAX},
	{"PAID AMOUNT", LC_POS, LK_CASH}, {"AMOUNT PAID", LC_POS, LK_CASH},
};
static const struct label date_labels[] = {
	{"FECHA", LC_POS, 0}, {"DATE", LC_POS, 0}, {"EMITIDO", LC_POS, 0},
	{"REALIZADO", LC_POS, 0}, {"OPERACION", LC_POS, 0},
	{"APLICACION", LC_POS, 0}, {"VENC", LC_NEG, 0},
	{"VENCIMIENTO", LC_NEG, 0}, {"NACIMIENTO", LC_NEG, 0},
	{"VALIDO", LC_NEG, 0}, {"EXPIRA", LC_NEG, 0}, {"CORTE", LC_NEG, 0},
	{"IMPRESION", LC_PRINT, 0}, {"IMPRESO", LC_PRINT, 0},
	{"GENERADO", LC_PRINT, 0}, {"CONSULTA", LC_PRINT, 0},
	{"EMISION", LC_PRINT, 0}, {"PRINTED", LC_PRINT, 0},
	{"REPRINT", LC_PRINT, 0}, {"RE-PRINT", LC_PRINT, 0},
};
static const struct label ref_labels[] = {
	{"REFERENCIA", LC_STRONG, 0}, {"OPERACION", LC_STRONG, 0},
	{"RASTREO", LC_STRONG, 0}, {"COMPROBANTE", LC_STRONG, 0},
	{"BOLETA", LC_STRONG, 0}, {"CONFIRMACION", LC_STRONG, 0},
	{"AUTORIZACION", LC_AUT, 0}, {"AUT", LC_AUT, 0}, {"AUT.", LC_AUT, 0},
	{"REF", LC_WEAK, 0}, {"REF.", LC_WEAK, 0}, {"FOLIO", LC_WEAK, 0},
	{"TRANSACCION", LC_WEAK, 0}, {"SECUENCIA", LC_WEAK, 0},
	{"TRX", LC_WEAK, 0}, {"TRANS", LC_WEAK, 0}, {"DOC", LC_WEAK, 0},
	{"RECIBO", LC_WEAK, 0}, {"TICKET", LC_WEAK, 0}, {"LOTE", LC_ALT, 0},
	{"NUMERICA", LC_ALT, 0}, {"DOCUMENTO", LC_ALT, 0},
	{"SEGURIDAD", LC_ALT, 0}, {"CUENTA", LC_NEG, 0}, {"CTA", LC_NEG, 0},
	{"NIT", LC_NEG, 0}, {"DNI", LC_NEG, 0}, {"RUC", LC_NEG, 0},
	{"TEL", LC_NEG, 0}, {"TELEFONO", LC_NEG, 0}, {"CELULAR", LC_NEG, 0},
	{"TARJETA", LC_NEG, 0}, {"CLIENTE", LC_NEG, 0}, {"CUI", LC_NEG, 0},
	{"DPI", LC_NEG, 0}, {"RFC", LC_NEG, 0}, {"CEDULA", LC_NEG, 0},
	{"AGENCIA", LC_NEG, 0}, {"CAJERO", LC_NEG, 0}, {"TERMINAL", LC_NEG, 0},
	{"CLABE", LC_NEG, 0}, {"CCI", LC_NEG, 0}, {"IBAN", LC_NEG, 0},
	{"C.C.", LC_NEG, 0}, {"NEQUI", LC_NEG, 0},
	{"INTERBANCARIA", LC_NEG, 0}, {"FECHA", LC_NEG, 0},
	{"MONTO", LC_NEG, 0}, {"VALOR", LC_NEG, 0}, {"IMPORTE", LC_NEG, 0},
	{"TOTAL", LC_NEG, 0}, {"SUC", LC_NEG, 0}, {"SUC.", LC_NEG, 0},
	{"RECEIPT", LC_WEAK, 0}, {"INVOICE", LC_WEAK, 0}, {"BILL", LC_WEAK, 0},
	{"FACTURA", LC_WEAK, 0}, {"CASHIER", LC_NEG, 0},
	{"COUNTER", LC_NEG, 0}, {"TILL", LC_NEG, 0}, {"CAJA", LC_NEG, 0},
	{"REG", LC_NEG, 0}, {"TAX ID", LC_NEG, 0}, {"BRANCH", LC_NEG, 0},
};
#define NLAB(a) (sizeof a / sizeof a[0])

static bool
word_at(const char *s, size_t p, const char *w)
{
	size_t n = strlen(w);
	return strncmp(s + p, w, n) == 0 && (p == 0 || !isalnum((unsigned char)
	    s[p - 1])) && !isalnum((unsigned char)s[p + n]);
}

/* The longest label that starts at p of s, or NULL: "SUB TOTAL" is one
 * label (a subtotal), not "TOTAL" after a word. */
static const struct label *
label_at(const char *s, size_t p, const struct label *l, size_t nl)
{
	const struct label *best = NULL;
	if (!isalnum((unsigned char)s[p]) || (p && isalnum((unsigned char)s[p - 1])))
		return NULL;
	for (size_t k = 0; k < nl; k++)
		if (word_at(s, p, l[k].word) && (!best || strlen(l[k].word) >
		    strlen(best->word)))
			best = &l[k];
	return best;
}

/* The kind of amount label b, found at p of s (enum lab_kind; 0 for any
 * other label).  A tax that may be a fee's ("IVA") is the goods' tax when
 * its rate follows ("IVA 12%"): banks print the fee's IVA as money. */
static unsigned
label_kind(const struct label *b, const char *s, size_t p)
{
	unsigned kind = b->kind;
	if ((kind & LK_FEE) && (kind & LK_TAX)) {
		size_t q = p + strlen(b->word);
		q += strspn(s + q, " (@:");
		size_t d = strspn(s + q, "0123456789.,");
		if (d && s[q + d] == '%')
			kind = LK_TAX;
	}
	return kind;
}

/* The label nearest before position `end` of s: its class (LC_NONE if
 * none); *at receives its end and *kind its kind.  Words inside a longer
 * label are that label's, not labels of their own; a tax right after
 * "including" qualifies the total ("Total (Inclusive of GST)"), it does
 * not label the tax. */
static enum lab_class
nearest_label(const char *s, size_t end, const struct label *l, size_t nl,
    size_t *at, unsigned *kind)
{
	enum lab_class c = LC_NONE;
	unsigned prev = 0;
	for (size_t p = 0; p < end; p++) {
		const struct label *b = label_at(s, p, l, nl);
		if (!b)
			continue;
		unsigned k = label_kind(b, s, p);
		p += strlen(b->word) - 1;
		if ((k & LK_TAX) && (prev & LK_INCL))
			continue;
		c = b->c;
		prev = k;
		if (at)
			*at = p + 1;
	}
	if (kind)
		*kind = prev;
	return c;
}

/* Whether a label of class c is anywhere before `end` on s. */
static bool
has_label(const char *s, size_t end, const struct label *l, size_t nl,
    enum lab_class c)
{
	for (size_t p = 0; p < end; p++) {
		const struct label *b = label_at(s, p, l, nl);
		if (!b)
			continue;
		if (b->c == c)
			return true;
		p += strlen(b->word) - 1;
	}
	return false;
}

/* Lines from words. */
static size_t
build_lines(const struct ocr_text *t, struct line *L)
{
	size_t n = 0;
	int cur = -1, curpage = -1;
	for (size_t i = 0; i < t->n; i++) {
		const struct ocr_word *w = &t->w[i];
		if (w->line != cur || w->page != curpage || n == 0) {
			L[n].len = 0;
			L[n].page = w->page;
			L[n].f[0] = '\0';
			n++;
			cur = w->line;
			curpage = w->page;
		}
		struct line *l = &L[n - 1];
		if (l->len && l->len + 1 < LINE_CH) {
			l->wi[l->len] = (int)i;
			l->off[l->len] = 0;
			l->f[l->len++] = ' ';
		}
		char tmp[LINE_CH];
		int map[LINE_CH];
		size_t k = ocr_fold(w->text, tmp, map, sizeof tmp);
		for (size_t j = 0; j < k && l->len + 1 < LINE_CH; j++) {
			l->wi[l->len] = (int)i;
			l->off[l->len] = map[j];
			l->f[l->len++] = tmp[j];
		}
		l->f[l->len] = '\0';
	}
	return n;
}

static void
span_box(const struct ocr_text *t, const struct line *l, size_t a, size_t b,
    struct ocr_field *f, float *minconf)
{
	bool first = true;
	float mc = 1;
	for (size_t k = a; k < b && k < l->len; k++) {
		const struct ocr_word *w = &t->w[l->wi[k]];
		if (first) {
			f->x0 = w->x0; f->y0 = w->y0; f->x1 = w->x1; f->y1 = w->y1;
			f->page = w->page;
			f->w0 = f->w1 = l->wi[k];
			first = false;
		}
		if (l->wi[k] < f->w0)
			f->w0 = l->wi[k];
		if (l->wi[k] > f->w1)
			f->w1 = l->wi[k];
		if (w->x0 < f->x0) f->x0 = w->x0;
		if (w->y0 < f->y0) f->y0 = w->y0;
		if (w->x1 > f->x1) f->x1 = w->x1;
		if (w->y1 > f->y1) f->y1 = w->y1;
		if (w->conf < mc)
			mc = w->conf;
	}
	*minconf = mc;
}

/* The printed text of a span (original bytes, ASCII only). */
static void
span_raw(const struct ocr_text *t, const struct line *l, size_t a, size_t b,
    char *out, size_t cap)
{
	size_t o = 0;
	for (size_t k = a; k < b && o + 1 < cap; k++) {
		const char *wt = t->w[l->wi[k]].text;
		unsigned char c = (unsigned char)wt[l->off[k]];
		out[o++] = l->f[k] == ' ' ? ' ' : c < 0x80 ? (char)c : l->f[k];
	}
	out[o] = '\0';
}

/* ---- evidence common to every field ------------------------------------- */

/* The label on the line above the value whose words sit over the value's
 * columns (two-column grids, app screens, label-above forms). */
static enum lab_class
label_above(const struct ocr_text *t, const struct line *L, size_t li,
    const struct cand *k, const struct label *l, size_t nl, unsigned *kind)
{
	if (li == 0 || L[li - 1].page != L[li].page)
		return LC_NONE;
	const struct line *u = &L[li - 1];
	enum lab_class best = LC_NONE;
	int bestd = 1 << 30, slack = (k->x1 - k->x0) / 2 + 8;
	for (size_t p = 0; p < u->len; p++) {
		if (!isalnum((unsigned char)u->f[p]) || (p && isalnum((unsigned char)
		    u->f[p - 1])))
			continue;
		for (size_t q = 0; q < nl; q++) {
			size_t n = strlen(l[q].word);
			if (!word_at(u->f, p, l[q].word))
				continue;
			const struct ocr_word *a = &t->w[u->wi[p]];
			const struct ocr_word *b = &t->w[u->wi[p + n - 1]];
			int lx0 = a->x0, lx1 = b->x1;
			int d = lx1 < k->x0 ? k->x0 - lx1 : lx0 > k->x1 ? lx0 - k->x1 : 0;
			if (d <= slack && d <= bestd) {
				bestd = d;
				best = l[q].c;
				*kind = label_kind(&l[q], u->f, p);
			}
		}
	}
	return best;
}

static bool
has_digit(const struct line *l)
{
	for (size_t i = 0; i < l->len; i++)
		if (isdigit((unsigned char)l->f[i]))
			return true;
	return false;
}

/* Label features of a candidate: its line first, then the line above. */
static enum lab_class
label_features(const struct ocr_text *t, const struct line *L, struct cand *k,
    const struct label *l, size_t nl)
{
	const char *s = L[k->li].f;
	size_t at = 0;
	enum lab_class c = nearest_label(s, k->a, l, nl, &at, &k->kind);
	/* A label across a column gap (grids: "Concepto  Comisión" over
	 * "PAGO  $3.00") belongs to the other column: the label above, when
	 * there is one on a line of labels, says more.  A line above with
	 * values of its own ("No. Items: 1" over "TOTAL      22.60") is a
	 * row of its own, not a grid's head. */
	if (c != LC_NONE && at > 0 && (k->li == 0 ||
	    !has_digit(&L[k->li - 1]))) {
		const struct ocr_word *lw = &t->w[L[k->li].wi[at - 1]];
		int h = k->height > 0 ? k->height : 1;
		if (k->x0 - lw->x1 > 6 * h) {
			unsigned uk = 0;
			enum lab_class up = label_above(t, L, (size_t)k->li, k, l,
			    nl, &uk);
			if (up != LC_NONE) {
				k->x[up == LC_NEG ? F_LAB_NEG_ABOVE : F_LAB_ABOVE] = 1;
				k->kind = uk;
				return up;
			}
		}
	}
	if (c != LC_NONE) {
		/* "Fecha de operación": a date's label, not a reference's. */
		if (l == ref_labels && (c == LC_STRONG || c == LC_WEAK) &&
		    has_label(s, at, date_labels, 1, LC_POS) && at < k->a &&
		    nearest_label(s, at, ref_labels, nl, NULL, NULL) == LC_NEG)
			c = LC_NEG;
		k->x[c == LC_NEG ? F_LAB_NEG : F_LAB_SAME] = 1;
		float gap = (float)(k->a > at ? k->a - at : 0) / 20.0f;
		k->x[F_LAB_GAP] = gap > 1 ? 1 : gap;
		return c;
	}
	c = label_above(t, L, (size_t)k->li, k, l, nl, &k->kind);
	if (c != LC_NONE)
		k->x[c == LC_NEG ? F_LAB_NEG_ABOVE : F_LAB_ABOVE] = 1;
	return c;
}

/* Letters and digits of s, folded as lines are (ocr_fold), into out. */
static void
alnum_folded(const char *s, char *out, size_t cap)
{
	size_t n = ocr_fold(s, out, NULL, cap), o = 0;
	for (size_t i = 0; i < n; i++)
		if (isalnum((unsigned char)out[i]))
			out[o++] = out[i];
	out[o] = '\0';
}

/* Whether words w0..w1 were read a second time with other letters or
 * digits (spaces and punctuation aside). */
static bool
reread_differs(const struct ocr_text *t, int w0, int w1)
{
	const struct ocr_reread *r = ocr_text_reread(t, w0, w1);
	if (!r)
		return false;
	char first[160] = "", a[160], b[160];
	size_t o = 0;
	for (int i = w0; i <= w1 && (size_t)i < t->n; i++) {
		int n = snprintf(first + o, sizeof first - o, "%s", t->w[i].text);
		if (n < 0 || (size_t)n >= sizeof first - o)
			break;
		o += (size_t)n;
	}
	alnum_folded(first, a, sizeof a);
	alnum_folded(r->text, b, sizeof b);
	return strcmp(a, b) != 0;
}

/* Box, OCR confidence, position and size of the span [a, b) of line li. */
static void
place(const struct ocr_text *t, struct line *L, struct cand *k)
{
	float mc;
	struct ocr_field f;
	memset(&f, 0, sizeof f);
	span_box(t, &L[k->li], k->a, k->b, &f, &mc);
	k->conf = mc;
	k->x0 = f.x0;
	k->x1 = f.x1;
	k->y0 = f.y0;
	k->where = (struct ocr_where){f.page, f.x0, f.y0, f.x1, f.y1};
	k->height = t->rotation % 180 ? f.x1 - f.x0 : f.y1 - f.y0;
	k->x[F_OCR_CONF] = strcmp(t->source, "text-layer") == 0 ? 1 : mc;
	k->x[F_TEXT_LAYER] = strcmp(t->source, "text-layer") == 0;
	k->x[F_REREAD_DIFF] = reread_differs(t, f.w0, f.w1);
	int ph = f.page >= 0 && f.page < OCR_MAX_PAGES ? t->page_h[f.page] : 0;
	k->x[F_YPOS] = ph > 0 ? (float)(f.y0 + f.y1) / 2.0f / (float)ph : 0.5f;
	if (k->x[F_YPOS] > 1)
		k->x[F_YPOS] = 1;
	/* Alone: nothing after it on the line, nothing before it but a label
	 * (letters only). */
	const char *s = L[k->li].f;
	bool alone = s[k->b] == '\0' || strspn(s + k->b, " .-:") == strlen(s +
	    k->b);
	for (size_t q = 0; alone && q < k->a; q++)
		if (isdigit((unsigned char)s[q]))
			alone = false;
	k->x[F_ALONE] = alone;
	k->x[F_BIAS] = 1;
}

static int
cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static int
median_height(const struct ocr_text *t)
{
	if (!t->n)
		return 0;
	int *h = malloc(t->n * sizeof *h);
	if (!h)
		return 0;
	for (size_t i = 0; i < t->n; i++)
		h[i] = t->rotation % 180 ? t->w[i].x1 - t->w[i].x0 :
		    t->w[i].y1 - t->w[i].y0;
	qsort(h, t->n, sizeof *h, cmp_int);
	int med = h[t->n / 2];
	free(h);
	return med;
}

/* Features that depend on the other candidates: repetition, print size,
 * how crowded the page is with values of the kind. */
static void
relate(struct cand *c, size_t n, int med)
{
	size_t distinct = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < i && strcmp(c[i].value, c[j].value) != 0)
			j++;
		distinct += j == i;
	}
	float crowd = (float)distinct / 20.0f;
	for (size_t i = 0; i < n; i++) {
		c[i].x[F_CROWD] = crowd > 1 ? 1 : crowd;
		int same = 0;
		/* A bare "6" (a rate, a count, a quantity) confirms nothing:
		 * tickets print "1" on every line. */
		for (size_t j = 0; j < n; j++)
			if (j != i && strcmp(c[i].value, c[j].value) == 0 &&
			    !c[j].x[F_BARE])
				same++;
		c[i].x[F_REPEAT] = same > 3 ? 1 : (float)same / 3.0f;
		float h = med > 0 ? (float)c[i].height / (float)med / 4.0f : 0.25f;
		c[i].x[F_HEIGHT] = h > 1 ? 1 : h;
	}
}

/* ---- amounts ----------------------------------------------------------- */

static const struct { const char *code; const char *country; } countries[] = {
	{"GTQ", "GT"}, {"CRC", "CR"}, {"PEN", "PE"}, {"COP", "CO"},
	{"MXN", "MX"}, {"USD", NULL},
};

const char *
currency_country(const char *code)
{
	for (size_t i = 0; code && i < sizeof countries / sizeof countries[0]; i++)
		if (strcmp(countries[i].code, code) == 0)
			return countries[i].country;
	return NULL;
}

/* A currency printed just before s[i] (one space, or a teller's '*' fill,
 * allowed): its code ("$" for a bare dollar sign), or NULL. */
static const char *
prefix_currency(const char *s, size_t i)
{
	size_t p = i;
	while (p && s[p - 1] == '*')
		p--;
	if (p && s[p - 1] == ' ')
		p--;
	static const struct { const char *t; const char *code; } pre[] = {
		{"COP $", "COP"}, {"COP$", "COP"}, {"MXN $", "MXN"}, {"MX$", "MXN"},
		{"US$", "USD"}, {"USD", "USD"}, {"GTQ", "GTQ"}, {"PEN", "PEN"},
		{"COP", "COP"}, {"MXN", "MXN"}, {"CRC", "CRC"}, {"S/.", "PEN"},
		{"S/", "PEN"}, {"Q.", "GTQ"}, {"Q", "GTQ"}, {"$", "$"}, {"#", "CRC"},
	};
	for (size_t k = 0; k < sizeof pre / sizeof pre[0]; k++) {
		size_t n = strlen(pre[k].t);
		if (p >= n && strncmp(s + p - n, pre[k].t, n) == 0 &&
		    (p == n || !isalnum((unsigned char)s[p - n - 1]) ||
		        !isalpha((unsigned char)pre[k].t[0])))
			return pre[k].code;
	}
	return NULL;
}

static const char *
suffix_currency(const char *s, size_t e)
{
	size_t p = e;
	/* "1,500.00.-" and "1500,00 -" print no cents sign; skip them. */
	if (s[p] == '.' && s[p + 1] == '-')
		p += 2;
	if (s[p] == ' ')
		p++;
	static const char *const codes[] = {"MXN", "USD", "GTQ", "PEN", "COP",
	    "CRC", "M.N.", "MN", "QUETZALES", "SOLES", "PESOS", "COLONES"};
	static const char *const as[] = {"MXN", "USD", "GTQ", "PEN", "COP", "CRC",
	    "MXN", "MXN", "GTQ", "PEN", "$", "CRC"};
	for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++)
		if (strncmp(s + p, codes[k], strlen(codes[k])) == 0 &&
		    !isalpha((unsigned char)s[p + strlen(codes[k])]))
			return as[k];
	return NULL;
}

static size_t
find_amounts(const struct ocr_text *t, struct line *L, size_t nl,
    struct cand *c, size_t cap)
{
	size_t n = 0;
	for (size_t li = 0; li < nl; li++) {
		const char *s = L[li].f;
		for (size_t i = 0; s[i] && n < cap; i++) {
			struct ocr_number num;
			size_t len = ocr_scan_number(s, i, &num);
			if (!len)
				continue;
			bool dec = num.dec != 0;
			/* Part of a code such as "TRX123" — but a lone letter glued
			 * to the digits may be a currency sign OCR misread
			 * ("t133.320,98" for ¢133.320,98). */
			if (i > 0 && isalpha((unsigned char)s[i - 1]) && s[i - 1] != 'Q' &&
			    !(strchr("TCE", s[i - 1]) && (i == 1 || s[i - 2] == ' ')))
				continue;
			/* Inside a number ("133.320,98" read from its middle). */
			if (i > 1 && (s[i - 1] == '.' || s[i - 1] == ',') &&
			    isdigit((unsigned char)s[i - 2]))
				continue;
			const char *pc = prefix_currency(s, i);
			const char *sc = suffix_currency(s, i + len);
			/* Dates and times are not money. */
			char iso[11];
			bool sol = i >= 2 && s[i - 1] == '/' && s[i - 2] == 'S';
			if (ocr_scan_date(s, i, iso) || s[i + len] == ':' ||
			    s[i + len] == '/' || (i && (s[i - 1] == ':' ||
			        (s[i - 1] == '/' && !sol) || s[i - 1] == '-')) ||
			    s[i + len] == '-' || s[i + len] == '%') {
				i += len - 1;
				continue;
			}
			/* Nothing paid is no payment: zeros (empty rounding,
			 * change, discount and tax lines) are never the amount,
			 * however often a ticket prints them. */
			if (num.cents == 0) {
				i += len - 1;
				continue;
			}
			struct cand *k = &c[n];
			memset(k, 0, sizeof *k);
			k->li = (int)li;
			k->a = i;
			k->b = i + len;
			k->minor = num.cents;
			k->marker = pc || sc;
			k->currency = sc && strcmp(sc, "$") ? sc : pc ? pc : sc;
			k->dec = num.dec;
			k->grp = num.grp;
			snprintf(k->value, sizeof k->value, "%lld.%02lld",
			    (long long)(num.cents / 100), (long long)(num.cents % 100));
			span_raw(t, &L[li], i, i + len, k->raw, sizeof k->raw);
			place(t, L, k);
			enum lab_class lc = label_features(t, L, k, amount_labels,
			    NLAB(amount_labels));
			k->x[F_LAB_TOTAL] = lc == LC_TOTAL || has_label(s, i,
			    amount_labels, NLAB(amount_labels), LC_TOTAL);
			k->x[F_MARKER] = k->marker;
			k->x[F_FORMATTED] = (dec && num.decimals == 2) ||
			    (num.grp && num.groups >= 2);
			k->x[F_BARE] = !k->marker && !dec;
			k->x[F_TOO_LONG] = num.digits > 11;
			/* "23,253.7б": cents OCR could not read; glued to letters
			 * that are no currency code: a misread. */
			k->x[F_BROKEN] = ((s[i + len] == '.' || s[i + len] == ',') &&
			    s[i + len + 1] && s[i + len + 1] != ' ') ||
			    (isalpha((unsigned char)s[i + len]) && !sc);
			n++;
			i += len - 1;
		}
	}
	return n;
}

/* The amount written in words ("MIL QUINIENTOS QUETZALES 00/100"), in
 * minor units, or -1. */
static int64_t
words_amount(const struct line *L, size_t nl)
{
	static const struct { const char *w; int v; } num[] = {
		{"UN", 1}, {"UNO", 1}, {"UNA", 1}, {"DOS", 2}, {"TRES", 3},
		{"CUATRO", 4}, {"CINCO", 5}, {"SEIS", 6}, {"SIETE", 7}, {"OCHO", 8},
		{"NUEVE", 9}, {"DIEZ", 10}, {"ONCE", 11}, {"DOCE", 12},
		{"TRECE", 13}, {"CATORCE", 14}, {"QUINCE", 15}, {"DIECISEIS", 16},
		{"DIECISIETE", 17}, {"DIECIOCHO", 18}, {"DIECINUEVE", 19},
		{"VEINTE", 20}, {"VEINTIUNO", 21}, {"VEINTIUN", 21},
		{"VEINTIDOS", 22}, {"VEINTITRES", 23}, {"VEINTICUATRO", 24},
		{"VEINTICINCO", 25}, {"VEINTISEIS", 26}, {"VEINTISIETE", 27},
		{"VEINTIOCHO", 28}, {"VEINTINUEVE", 29}, {"TREINTA", 30},
		{"CUARENTA", 40}, {"CINCUENTA", 50}, {"SESENTA", 60},
		{"SETENTA", 70}, {"OCHENTA", 80}, {"NOVENTA", 90}, {"CIEN", 100},
		{"CIENTO", 100}, {"DOSCIENTOS", 200}, {"TRESCIENTOS", 300},
		{"CUATROCIENTOS", 400}, {"QUINIENTOS", 500}, {"SEISCIENTOS", 600},
		{"SETECIENTOS", 700}, {"OCHOCIENTOS", 800}, {"NOVECIENTOS", 900},
	};
	for (size_t li = 0; li < nl; li++) {
		const char *s = L[li].f;
		const char *slash = strstr(s, "/100");
		if (!slash || slash - s < 2 || !isdigit((unsigned char)slash[-1]) ||
		    !isdigit((unsigned char)slash[-2]))
			continue;
		int64_t total = 0, group = 0;
		bool any = false;
		size_t p = 0, end = (size_t)(slash - s) - 2;
		while (p < end) {
			while (p < end && !isalpha((unsigned char)s[p]))
				p++;
			size_t q = p;
			while (q < end && isalpha((unsigned char)s[q]))
				q++;
			size_t wl = q - p;
			bool hit = false;
			for (size_t k = 0; k < sizeof num / sizeof num[0]; k++)
				if (strlen(num[k].w) == wl && strncmp(s + p, num[k].w, wl) == 0) {
					group += num[k].v;
					hit = any = true;
				}
			if (!hit && wl == 3 && strncmp(s + p, "MIL", 3) == 0) {
				total += (group ? group : 1) * 1000;
				group = 0;
				any = true;
			} else if (!hit && (strncmp(s + p, "MILLON", 6) == 0) && wl >= 6) {
				total += (group ? group : 1) * 1000000;
				group = 0;
				any = true;
			}
			p = q;
		}
		if (any)
			return (total + group) * 100 + (slash[-2] - '0') * 10 +
			    (slash[-1] - '0');
	}
	return -1;
}

/* Labelled a total, not a part of one ("Total GST"). */
static bool
is_total(const struct cand *k)
{
	return k->x[F_LAB_TOTAL] && !k->x[F_LAB_NEG] && !k->x[F_LAB_NEG_ABOVE];
}

/* The kinds of amount label the voucher prints anywhere (a fee, change). */
static unsigned
kinds_printed(const struct line *L, size_t nl)
{
	unsigned k = 0;
	for (size_t li = 0; li < nl; li++)
		for (size_t p = 0; p < L[li].len; p++) {
			const struct label *b = label_at(L[li].f, p, amount_labels,
			    NLAB(amount_labels));
			if (b) {
				k |= label_kind(b, L[li].f, p);
				p += strlen(b->word) - 1;
			}
		}
	return k;
}

/* The rounding adjustments printed ("Rounding Adj : -0.01", "Redondeo
 * 0.02"), signed, in minor units: at most cap of them, each under 100
 * (a rounding is cents, never a price).  A negative one is no amount
 * candidate (a value after '-' is not money paid), so it is read here. */
static size_t
roundings(const struct line *L, size_t nl, int64_t *adj, size_t cap)
{
	size_t n = 0;
	for (size_t li = 0; li < nl && n < cap; li++) {
		const char *s = L[li].f;
		for (size_t p = 0; s[p] && n < cap; p++) {
			const struct label *b = label_at(s, p, amount_labels,
			    NLAB(amount_labels));
			if (!b)
				continue;
			bool round = label_kind(b, s, p) & LK_ROUND;
			size_t q = p + strlen(b->word);
			p = q - 1;
			if (!round)
				continue;
			/* The first number after the label, on its line. */
			bool minus = false;
			while (s[q] && !isdigit((unsigned char)s[q])) {
				minus = minus || s[q] == '-';
				q++;
			}
			struct ocr_number num;
			if (!s[q] || !ocr_scan_number(s, q, &num) || num.cents <= 0 ||
			    num.cents >= 100)
				continue;
			adj[n++] = minus ? -num.cents : num.cents;
		}
	}
	return n;
}

/* Amount features that look across the candidates: the largest, the
 * amount in words, a total that is another value plus a fee (a bank's
 * total, a distractor) or plus a tax (a shop's total, what was paid) or
 * the sum of two other totals, another value with a printed rounding
 * adjustment applied (adj, nadj: roundings()), a total on a voucher that
 * prints no fee. */
static void
relate_amounts(struct cand *c, size_t n, int64_t in_words, unsigned printed,
    const int64_t *adj, size_t nadj)
{
	bool fee_printed = printed & LK_FEE;
	/* "Efectivo", "Paid Amount" on a ticket that gives change ("Vuelto")
	 * is what was handed over, not what the goods came to. */
	for (size_t i = 0; i < n && (printed & LK_CHANGE); i++)
		if (c[i].kind & LK_CASH) {
			if (c[i].x[F_LAB_SAME])
				c[i].x[F_LAB_NEG] = 1;
			if (c[i].x[F_LAB_ABOVE])
				c[i].x[F_LAB_NEG_ABOVE] = 1;
			c[i].x[F_LAB_SAME] = c[i].x[F_LAB_ABOVE] = 0;
		}
	int64_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (c[i].marker && c[i].minor > max)
			max = c[i].minor;
	for (size_t i = 0; i < n; i++) {
		c[i].x[F_IS_MAX] = c[i].marker && c[i].minor == max;
		c[i].x[F_WORDS_AGREE] = in_words >= 0 && c[i].minor == in_words;
		c[i].x[F_TOTAL_NO_FEE] = is_total(&c[i]) && !fee_printed;
		/* Sums of printed money only: bare numbers (counts, rates,
		 * codes) add up to anything. */
		for (size_t j = 0; j < n && !c[i].x[F_BARE]; j++)
			for (size_t f = 0; f < n; f++) {
				if (j == i || f == i || f == j || c[f].minor <= 0 ||
				    c[j].x[F_BARE] || c[f].x[F_BARE] ||
				    c[j].minor + c[f].minor != c[i].minor)
					continue;
				if (c[f].kind & LK_FEE)
					c[i].x[F_IS_SUM] = 1;
				if (c[f].kind & LK_TAX)
					c[i].x[F_PLUS_TAX] = 1;
				if (is_total(&c[j]) && is_total(&c[f]))
					c[i].x[F_SUM_TOTALS] = 1;
			}
		for (size_t j = 0; j < n && !c[i].x[F_BARE]; j++)
			for (size_t k = 0; k < nadj && j != i && !c[j].x[F_BARE]; k++)
				if (c[j].minor + adj[k] == c[i].minor)
					c[i].x[F_ROUNDED] = 1;
	}
}

/* ---- dates -------------------------------------------------------------- */

/* "14:05", or "08.18.00" (with seconds: two dots and no more digits, so
 * that no amount passes for a time). */
static bool
has_time(const char *s)
{
	for (size_t i = 0; s[i]; i++) {
		if (!isdigit((unsigned char)s[i]) || !isdigit((unsigned char)s[i + 2]) ||
		    !isdigit((unsigned char)s[i + 3]))
			continue;
		if (s[i + 1] == ':')
			return true;
		if (s[i + 1] == '.' && s[i + 4] == '.' &&
		    isdigit((unsigned char)s[i + 5]) &&
		    isdigit((unsigned char)s[i + 6]) &&
		    !isdigit((unsigned char)s[i + 7]))
			return true;
	}
	return false;
}

static size_t
find_dates(const struct ocr_text *t, struct line *L, size_t nl,
    struct cand *c, size_t cap)
{
	size_t n = 0;
	for (size_t li = 0; li < nl; li++) {
		const char *s = L[li].f;
		for (size_t i = 0; s[i] && n < cap; i++) {
			char iso[11];
			size_t len = ocr_scan_date(s, i, iso);
			if (!len)
				continue;
			struct cand *k = &c[n];
			memset(k, 0, sizeof *k);
			k->li = (int)li;
			k->a = i;
			k->b = i + len;
			memcpy(k->value, iso, 11);
			span_raw(t, &L[li], i, i + len, k->raw, sizeof k->raw);
			place(t, L, k);
			enum lab_class lc = label_features(t, L, k, date_labels,
			    NLAB(date_labels));
			k->x[F_LAB_PRINT] = lc == LC_PRINT;
			if (lc == LC_PRINT)
				k->x[F_LAB_SAME] = k->x[F_LAB_ABOVE] = 0;
			k->x[F_HAS_TIME] = has_time(s);
			bool month = false;
			for (size_t q = i; q < i + len; q++)
				if (isalpha((unsigned char)s[q]))
					month = true;
			k->x[F_MONTH_NAME] = month;
			n++;
			i += len - 1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		bool earliest = true;
		for (size_t j = 0; j < n; j++)
			if (strcmp(c[j].value, c[i].value) < 0)
				earliest = false;
		c[i].x[F_IS_EARLIEST] = earliest;
	}
	return n;
}

/* ---- references --------------------------------------------------------- */

/* A reference-like token of line s at p (after a space, ':' or '#'): its
 * end, or p.  Letters, digits and inner '-' '/' '_'; 4 to 40 characters;
 * at least two digits. */
static size_t
ref_token(const char *s, size_t p, int min_digits)
{
	size_t e = p;
	int digits = 0;
	while (isalnum((unsigned char)s[e]) || s[e] == '-' || s[e] == '/' ||
	    s[e] == '_') {
		if (isdigit((unsigned char)s[e]))
			digits++;
		e++;
	}
	while (e > p && (s[e - 1] == '-' || s[e - 1] == '/'))
		e--;
	/* "00/100": the cents of an amount written in words. */
	if (e - p == 6 && s[p + 2] == '/' && strncmp(s + p + 3, "100", 3) == 0)
		return p;
	/* The token must end where the word ends (no "1,500.00", "****12"). */
	if (s[e] && s[e] != ' ' && !(s[e] == '.' && (!s[e + 1] || s[e + 1] ==
	    ' ')) && s[e] != ',')
		return p;
	if (e - p < 4 || e - p > 40 || digits < min_digits)
		return p;
	return e;
}

static size_t
find_refs(const struct ocr_text *t, struct line *L, size_t nl,
    struct cand *c, size_t cap)
{
	size_t n = 0;
	for (size_t li = 0; li < nl && n < cap; li++) {
		const char *s = L[li].f;
		bool money = false, date = false;
		for (size_t q = 0; s[q]; q++) {
			struct ocr_number num;
			char iso[11];
			if (!date && (q == 0 || !isalnum((unsigned char)s[q - 1])) &&
			    ocr_scan_date(s, q, iso))
				date = true;
			if (!money && ocr_scan_number(s, q, &num) && num.dec &&
			    prefix_currency(s, q))
				money = true;
		}
		for (size_t p = 0; s[p] && n < cap; p++) {
			if (strchr(" :#", s[p]) || (p && !strchr(" :#", s[p - 1])))
				continue;
			char iso[11];
			size_t e = ref_token(s, p, 2);
			/* A card authorization may be letters only ("AUTORIZACION:
			 * LUEJLT"): such a code counts right after that label. */
			if (e == p && p > 0 && (e = ref_token(s, p, 0)) > p) {
				size_t lat = 0;
				enum lab_class lc = nearest_label(s, p, ref_labels,
				    NLAB(ref_labels), &lat, NULL);
				if (e - p < 5 || e - p > 8 || lat + 3 < p || lc != LC_AUT)
					e = p;
			}
			if (e == p || ocr_scan_date(s, p, iso)) {
				while (s[p + 1] && !strchr(" :#", s[p + 1]))
					p++;
				continue;
			}
			struct cand *k = &c[n];
			memset(k, 0, sizeof *k);
			k->li = (int)li;
			k->a = p;
			k->b = e;
			span_raw(t, &L[li], p, e, k->value, sizeof k->value);
			memcpy(k->raw, k->value, sizeof k->raw);
			int letters = 0, digits = 0;
			for (size_t q = p; q < e; q++)
				isdigit((unsigned char)s[q]) ? digits++ : isalpha(
				    (unsigned char)s[q]) ? letters++ : 0;
			/* In a long numeric reference an 'O' just before digits is far
			 * likelier a zero Tesseract misread; F_CONFUSABLE still says
			 * so. */
			if (digits >= 8)
				for (size_t q = p; q + 1 < e; q++)
					if (k->value[q - p] == 'O' && isdigit((unsigned char)
					    s[q + 1]))
						k->value[q - p] = '0';
			place(t, L, k);
			enum lab_class lc = label_features(t, L, k, ref_labels,
			    NLAB(ref_labels));
			k->x[F_LAB_STRONG] = lc == LC_STRONG;
			k->x[F_LAB_WEAK] = lc == LC_WEAK;
			k->x[F_LAB_AUT] = lc == LC_AUT;
			k->x[F_LAB_ALT] = lc == LC_ALT;
			if (lc != LC_NEG && lc != LC_NONE)
				k->x[F_LAB_SAME] = k->x[F_LAB_ABOVE] = 0;
			k->x[F_NEXT_LINE] = !k->x[F_LAB_SAME] && !k->x[F_LAB_NEG] &&
			    lc != LC_NONE;
			float d = (float)digits / 20.0f;
			k->x[F_DIGITS] = d > 1 ? 1 : d;
			k->x[F_MIXED] = letters > 0 && digits > 0;
			k->x[F_SHORT] = e - p < 6;
			k->x[F_VALIDATION] = money && date;
			/* O and I beside digits: issuers leave both out of their
			 * codes, OCR puts them in for 0 and 1. */
			for (size_t q = p; q < e; q++)
				if (strchr("OI", s[q]) && ((q > p && isdigit((unsigned char)
				    s[q - 1])) || isdigit((unsigned char)s[q + 1]))) {
					k->x[F_CONFUSABLE] = 1;
					break;
				}
			n++;
			p = e - 1;
		}
	}
	return n;
}

/* ---- choosing ---------------------------------------------------------- */

/* Scores every candidate with the field's model and picks the best;
 * *margin = its score - the best score of another value, within [0, 8].
 * A value alone has only even odds to beat: a lone bare number that the
 * model scores far below them is no sure thing for want of rivals. */
static struct cand *
choose(const struct ocr_model *m, struct cand *c, size_t n,
    enum cal_field which, float *margin, const struct ocr_trace *tr)
{
	struct cand *best = NULL;
	for (size_t i = 0; i < n; i++) {
		c[i].score = ocr_model_score(m, which, c[i].x);
		if (tr && tr->candidate)
			tr->candidate(tr->arg, which, c[i].value, c[i].x, c[i].score,
			    &c[i].where);
		if (!best || c[i].score > best->score)
			best = &c[i];
	}
	bool rival = false;
	float second = 0;
	for (size_t i = 0; best && i < n; i++)
		if (strcmp(c[i].value, best->value) != 0 && (!rival ||
		    c[i].score > second)) {
			second = c[i].score;
			rival = true;
		}
	float d = !best ? 0 : rival ? best->score - second : best->score;
	*margin = d < 0 ? 0 : d > 8 ? 8 : d;
	return best;
}

/* The field from its winner, when the model trusts it at all. */
static bool
set_field(const struct ocr_model *m, const struct ocr_text *t,
    struct line *L, const struct cand *k, enum cal_field which, float margin,
    struct ocr_field *f)
{
	float mc;
	bool tl = strcmp(t->source, "text-layer") == 0;
	float conf = ocr_model_confidence(m, which, k->score, margin,
	    k->x[F_OCR_CONF], tl, tl ? 1.0f : ocr_text_mean_conf(t),
	    k->x[F_REREAD_DIFF]);
	/* Characters OCR could not read inside the value ("23,253.7x"): no
	 * weight makes it trustworthy, whatever the corpus had of them. */
	if (k->x[F_BROKEN] && conf > OCR_BROKEN_CONF)
		conf = OCR_BROKEN_CONF;
	if (conf < OCR_MIN_CONF)
		return false;
	memset(f, 0, sizeof *f);
	f->found = true;
	memcpy(f->value, k->value, sizeof f->value);
	memcpy(f->raw, k->raw, sizeof f->raw);
	span_box(t, &L[k->li], k->a, k->b, f, &mc);
	f->score = k->score;
	f->conf = conf;
	return true;
}

/* ---- banks and methods ---------------------------------------------------- */

static void
find_bank(struct line *L, size_t nl, const struct bank_alias *banks,
    size_t nb, const char *country, struct ocr_field *f, const char **code)
{
	float best = 0, second = 0;
	const char *bc = NULL;
	for (size_t b = 0; b < nb; b++) {
		float score = 0;
		const char *a = banks[b].aliases;
		while (a && *a) {
			size_t n = strcspn(a, "|");
			char al[64];
			if (n < sizeof al) {
				memcpy(al, a, n);
				al[n] = '\0';
				char fal[64];
				ocr_fold(al, fal, NULL, sizeof fal);
				for (size_t li = 0; li < nl; li++) {
					const char *s = L[li].f;
					const char *hit = s;
					while ((hit = strstr(hit, fal))) {
						size_t p = (size_t)(hit - s);
						if ((p == 0 || !isalnum((unsigned char)s[p - 1])) &&
						    !isalnum((unsigned char)s[p + n])) {
							float sc = (float)(n >= 4 ? 3 : n == 3 ? 2 : 1) +
							    (li < 6 ? 1.5f : 0);
							if (sc > score)
								score = sc;
						}
						hit++;
					}
				}
			}
			a += n;
			if (*a == '|')
				a++;
		}
		if (score > 0 && country && strcmp(country, banks[b].country) == 0)
			score += 1.5f;
		if (score > best) {
			second = best;
			best = score;
			bc = banks[b].code;
		} else if (score > second)
			second = score;
	}
	memset(f, 0, sizeof *f);
	if (!bc)
		return;
	f->found = true;
	snprintf(f->value, sizeof f->value, "%s", bc);
	snprintf(f->raw, sizeof f->raw, "%s", bc);
	f->score = best;
	f->conf = ocr_calibrate(CAL_BANK, best, best - second, 1, "ocr");
	*code = bc;
}

static void
find_method(struct line *L, size_t nl, struct ocr_field *f)
{
	static const struct { const char *w; int m; float s; } kw[] = {
		{"TRANSFERENCIA", 0, 3}, {"TRANSFERISTE", 0, 3}, {"TRANSF", 0, 2},
		{"SPEI", 0, 3}, {"ACH", 0, 2}, {"YAPE", 0, 3}, {"PLIN", 0, 3},
		{"SINPE", 0, 3}, {"ENVIASTE", 0, 2}, {"BANCA EN LINEA", 0, 2},
		{"DEPOSITO", 1, 3}, {"DEPOSITADO", 1, 2}, {"BOLETA", 1, 1},
		{"CHEQUE", 2, 1.5f}, {"TARJETA DE CREDITO", 4, 1},
	};
	static const char *const names[] = {"transferencia", "deposito", "cheque",
	    "efectivo", "tarjeta"};
	float score[5] = {0};
	for (size_t li = 0; li < nl; li++)
		for (size_t k = 0; k < sizeof kw / sizeof kw[0]; k++) {
			const char *s = L[li].f, *hit = s;
			while ((hit = strstr(hit, kw[k].w))) {
				size_t p = (size_t)(hit - s);
				if ((p == 0 || !isalpha((unsigned char)s[p - 1])) &&
				    !isalpha((unsigned char)s[p + strlen(kw[k].w)]))
					score[kw[k].m] += kw[k].s * (li < 6 ? 2 : 1);
				hit++;
			}
		}
	int best = -1;
	float second = 0;
	for (int m = 0; m < 5; m++)
		if (best < 0 || score[m] > score[best])
			best = m;
	for (int m = 0; m < 5; m++)
		if (m != best && score[m] > second)
			second = score[m];
	memset(f, 0, sizeof *f);
	if (score[best] <= 0)
		return;
	f->found = true;
	snprintf(f->value, sizeof f->value, "%s", names[best]);
	snprintf(f->raw, sizeof f->raw, "%s", names[best]);
	f->score = score[best];
	f->conf = ocr_calibrate(CAL_METHOD, score[best], score[best] - second, 1,
	    "ocr");
}

/* ---- the whole ------------------------------------------------------------ */

#define MAX_CANDS 512

void
ocr_extract(const struct ocr_text *t, const struct bank_alias *banks,
    size_t nbanks, struct ocr_fields *out)
{
	ocr_extract_traced(t, banks, nbanks, NULL, out, NULL);
}

void
ocr_extract_traced(const struct ocr_text *t, const struct bank_alias *banks,
    size_t nbanks, const struct ocr_model *m, struct ocr_fields *out,
    const struct ocr_trace *tr)
{
	memset(out, 0, sizeof *out);
	if (!t->n)
		return;
	struct line *L = malloc(t->n * sizeof *L);
	struct cand *c = malloc(MAX_CANDS * sizeof *c);
	if (!L || !c) {
		free(L);
		free(c);
		return;
	}
	size_t nl = build_lines(t, L), n;
	int med = median_height(t);
	float margin;
	struct cand *k;

	n = find_amounts(t, L, nl, c, MAX_CANDS);
	relate(c, n, med);
	int64_t adj[8];
	size_t nadj = roundings(L, nl, adj, sizeof adj / sizeof adj[0]);
	relate_amounts(c, n, words_amount(L, nl), kinds_printed(L, nl), adj,
	    nadj);
	if ((k = choose(m, c, n, CAL_AMOUNT, &margin, tr)) &&
	    set_field(m, t, L, k, CAL_AMOUNT, margin, &out->amount)) {
		out->amount_minor = k->minor;
		const char *cur = k->currency;
		/* A bare "$" printed 1.250.000 or 1.250,00 is a Colombian peso;
		 * 1,250.00 may be Mexican pesos or dollars: the bank decides. */
		if (cur && strcmp(cur, "$") == 0 && (k->dec == ',' || k->grp == '.'))
			cur = "COP";
		if (cur) {
			out->currency.found = true;
			snprintf(out->currency.value, sizeof out->currency.value, "%s",
			    cur);
			out->currency.conf = strcmp(cur, "$") ? out->amount.conf : 0.3f;
		}
	}
	n = find_dates(t, L, nl, c, MAX_CANDS);
	relate(c, n, med);
	if ((k = choose(m, c, n, CAL_DATE, &margin, tr)))
		set_field(m, t, L, k, CAL_DATE, margin, &out->date);
	n = find_refs(t, L, nl, c, MAX_CANDS);
	relate(c, n, med);
	if ((k = choose(m, c, n, CAL_REFERENCE, &margin, tr)))
		set_field(m, t, L, k, CAL_REFERENCE, margin, &out->reference);

	const char *country = out->currency.found ?
	    currency_country(out->currency.value) : NULL;
	const char *bc = NULL;
	find_bank(L, nl, banks, nbanks, country, &out->bank, &bc);
	find_method(L, nl, &out->method);

	/* A bare "$" is the bank's country's peso, or US dollars. */
	if (out->currency.found && strcmp(out->currency.value, "$") == 0) {
		const char *cc = NULL;
		for (size_t b = 0; bc && b < nbanks; b++)
			if (strcmp(banks[b].code, bc) == 0)
				cc = banks[b].country;
		const char *code = cc && strcmp(cc, "MX") == 0 ? "MXN" :
		    cc && strcmp(cc, "CO") == 0 ? "COP" : NULL;
		if (code) {
			snprintf(out->currency.value, sizeof out->currency.value, "%s",
			    code);
			out->currency.conf = out->bank.conf * out->amount.conf;
		} else
			out->currency.found = false;
	}
	/* No sign printed (or one OCR could not read): the bank's country's
	 * currency, trusted no more than the bank and the amount. */
	if (out->amount.found && !out->currency.found && bc) {
		for (size_t b = 0; b < nbanks; b++)
			if (strcmp(banks[b].code, bc) == 0) {
				const char *code = NULL;
				for (size_t q = 0; q < sizeof countries / sizeof countries[0];
				     q++)
					if (countries[q].country &&
					    strcmp(countries[q].country, banks[b].country) == 0)
						code = countries[q].code;
				if (code) {
					out->currency.found = true;
					snprintf(out->currency.value, sizeof out->currency.value,
					    "%s", code);
					float c1 = out->bank.conf < out->amount.conf ?
					    out->bank.conf : out->amount.conf;
					out->currency.conf = 0.9f * c1;
				}
			}
	}
	free(L);
	free(c);
}

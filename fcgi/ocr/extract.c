/* extract.c — see extract.h. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocr/calibrate.h"
#include "ocr/extract.h"

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
	int height;              /* pixels: how large it is printed */
};

struct label { const char *word; float w; };

static const struct label amount_labels[] = {
	{"MONTO", 3}, {"IMPORTE", 3}, {"TOTAL", 3}, {"VALOR", 2.5f},
	{"CANTIDAD", 2}, {"AMOUNT", 3}, {"PAGASTE", 3}, {"ENVIASTE", 3},
	{"TRANSFERIDO", 3}, {"DEPOSITADO", 3}, {"PAGADO", 2.5f},
	{"YAPEASTE", 3}, {"PLINEASTE", 3}, {"RECIBISTE", 2}, {"ENVIADO", 2},
	{"EFECTIVO", 1},
	{"COMISION", -5}, {"SALDO", -5}, {"DISPONIBLE", -5}, {"IVA", -5},
	{"IMPUESTO", -5}, {"CARGO", -4}, {"ITF", -5}, {"FEE", -5},
	{"LIMITE", -5}, {"INTERES", -5}, {"SUBTOTAL", -2}, {"CUENTA", -5},
	{"TEL", -5}, {"TELEFONO", -5}, {"NIT", -5}, {"DNI", -5}, {"RUC", -5},
	{"CELULAR", -5}, {"TARJETA", -5}, {"CHEQUES", -1}, {"ANTERIOR", -5},
	{"RETENCION", -5}, {"PROPINA", -4}, {"DESCUENTO", -4},
};
static const struct label date_labels[] = {
	{"FECHA", 3}, {"DATE", 3}, {"EMITIDO", 1}, {"REALIZADO", 1.5f},
	{"VENC", -5}, {"VENCIMIENTO", -5}, {"NACIMIENTO", -5}, {"VALIDO", -4},
	{"EXPIRA", -5}, {"CORTE", -3}, {"IMPRESION", -1},
};
static const struct label ref_labels[] = {
	{"REFERENCIA", 3.5f}, {"REF", 2.5f}, {"OPERACION", 3.5f},
	{"RASTREO", 3.5f}, {"AUTORIZACION", 2}, {"COMPROBANTE", 3},
	{"TRANSACCION", 3}, {"FOLIO", 2.5f}, {"BOLETA", 3}, {"CONFIRMACION", 2.5f},
	{"SECUENCIA", 1.5f},
	{"CUENTA", -5}, {"NIT", -5}, {"DNI", -5}, {"RUC", -5}, {"TEL", -5},
	{"TELEFONO", -5}, {"CELULAR", -5}, {"TARJETA", -5}, {"CLIENTE", -3},
	{"CUI", -5}, {"RFC", -5}, {"CEDULA", -5}, {"AGENCIA", -3},
	{"CAJERO", -3}, {"TERMINAL", -3},
};
#define NLAB(a) (sizeof a / sizeof a[0])

static bool
word_at(const char *s, size_t p, const char *w)
{
	size_t n = strlen(w);
	return strncmp(s + p, w, n) == 0 && (p == 0 || !isalnum((unsigned char)
	    s[p - 1])) && !isalpha((unsigned char)s[p + n]);
}

/* The label nearest before position `end` of s (or anywhere if end is the
 * length): its weight, 0 if none.  *at receives its end. */
static float
nearest_label(const char *s, size_t end, const struct label *l, size_t nl,
    size_t *at)
{
	float w = 0;
	size_t best = 0;
	bool found = false;
	for (size_t p = 0; p < end; p++) {
		if (!isalpha((unsigned char)s[p]) || (p && isalnum((unsigned char)
		    s[p - 1])))
			continue;
		for (size_t k = 0; k < nl; k++)
			if (word_at(s, p, l[k].word) && (!found || p >= best)) {
				best = p;
				w = l[k].w;
				found = true;
				if (at)
					*at = p + strlen(l[k].word);
			}
	}
	return w;
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
			first = false;
		}
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

/* A currency printed just before s[i] (one space allowed): its code ("$"
 * for a bare dollar sign), or NULL. */
static const char *
prefix_currency(const char *s, size_t i)
{
	size_t p = i;
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
			int64_t cents = num.cents;
			bool dec = num.dec != 0;
			int nd = num.digits;
			if (i > 0 && isalpha((unsigned char)s[i - 1]) && s[i - 1] != 'Q')
				continue; /* part of a code such as "TRX123" */
			const char *pc = prefix_currency(s, i);
			const char *sc = suffix_currency(s, i + len);
			/* Dates and times are not money. */
			char iso[11];
			if (ocr_scan_date(s, i, iso) || s[i + len] == ':' ||
			    s[i + len] == '/' || (i && (s[i - 1] == ':' ||
			        s[i - 1] == '/' || s[i - 1] == '-')) ||
			    s[i + len] == '-' || s[i + len] == '%') {
				i += len - 1;
				continue;
			}
			struct cand *k = &c[n];
			memset(k, 0, sizeof *k);
			k->li = (int)li;
			k->a = i;
			k->b = i + len;
			k->minor = cents;
			k->marker = pc || sc;
			k->currency = sc && strcmp(sc, "$") ? sc : pc ? pc : sc;
			float w = nearest_label(s, i, amount_labels, NLAB(amount_labels),
			    NULL);
			if (w == 0 && li > 0 && L[li - 1].page == L[li].page) {
				/* Label above the value (app layouts). */
				const char *ps = L[li - 1].f;
				bool has_num = false;
				for (size_t q = 0; ps[q]; q++)
					if (isdigit((unsigned char)ps[q]))
						has_num = true;
				if (!has_num)
					w = 0.8f * nearest_label(ps, strlen(ps), amount_labels,
					    NLAB(amount_labels), NULL);
			}
			k->dec = num.dec;
			k->grp = num.grp;
			/* Format evidence: cents, or thousands grouped consistently
			 * (pesos and colones are often printed whole). */
			/* One decimal digit is not how amounts are printed. */
			bool formatted = (dec && num.decimals == 2) ||
			    (num.grp && num.groups >= 2);
			k->score = w + (k->marker ? 1.5f : 0) + (formatted ? 1.0f : 0);
			if (!k->marker && !dec)
				k->score -= 2;
			if (nd > 11 || cents == 0)
				k->score -= 5;
			/* "23,253.7б": cents OCR could not read; the integer part
			 * alone must not pass for the amount. */
			if ((s[i + len] == '.' || s[i + len] == ',') &&
			    s[i + len + 1] && s[i + len + 1] != ' ')
				k->score -= 3;
			/* Glued to letters ("23,253.7X"): a misread, unless the
			 * letters are a currency code. */
			if (isalpha((unsigned char)s[i + len]) && !sc)
				k->score -= 3;
			float mc;
			struct ocr_field tmpf;
			span_box(t, &L[li], i, i + len, &tmpf, &mc);
			k->conf = mc;
			/* Boxes are on the original: a page read turned has its
			 * lines running up or down it. */
			k->height = t->rotation % 180 ? tmpf.x1 - tmpf.x0 :
			    tmpf.y1 - tmpf.y0;
			snprintf(k->value, sizeof k->value, "%lld.%02lld",
			    (long long)(cents / 100), (long long)(cents % 100));
			span_raw(t, &L[li], i, i + len, k->raw, sizeof k->raw);
			n++;
			i += len - 1;
		}
	}
	return n;
}

static int
cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The amount is what vouchers print largest: a money candidate well above
 * the median word height gains. */
static void
prominence(const struct ocr_text *t, struct cand *c, size_t n)
{
	if (!t->n || !n)
		return;
	int *h = malloc(t->n * sizeof *h);
	if (!h)
		return;
	for (size_t i = 0; i < t->n; i++)
		h[i] = t->rotation % 180 ? t->w[i].x1 - t->w[i].x0 :
		    t->w[i].y1 - t->w[i].y0;
	qsort(h, t->n, sizeof *h, cmp_int);
	int med = h[t->n / 2];
	free(h);
	for (size_t i = 0; i < n; i++)
		if (med > 0 && c[i].marker && c[i].height * 10 >= med * 16)
			c[i].score += 1.5f;
}

/* ---- dates -------------------------------------------------------------- */

static bool
has_time(const char *s)
{
	for (size_t i = 0; s[i]; i++)
		if (isdigit((unsigned char)s[i]) && s[i + 1] == ':' &&
		    isdigit((unsigned char)s[i + 2]) && isdigit((unsigned char)s[i + 3]))
			return true;
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
			float w = nearest_label(s, i, date_labels, NLAB(date_labels),
			    NULL);
			if (w == 0 && li > 0 && L[li - 1].page == L[li].page)
				w = 0.8f * nearest_label(L[li - 1].f, strlen(L[li - 1].f),
				    date_labels, NLAB(date_labels), NULL);
			k->score = w + (has_time(s) ? 1.0f : 0) + 1.0f;
			float mc;
			struct ocr_field tmpf;
			span_box(t, &L[li], i, i + len, &tmpf, &mc);
			k->conf = mc;
			span_raw(t, &L[li], i, i + len, k->raw, sizeof k->raw);
			n++;
			i += len - 1;
		}
	}
	return n;
}

/* ---- references --------------------------------------------------------- */

static bool
filler(const char *s, size_t p, size_t *len)
{
	static const char *const f[] = {"NUMERO", "NRO.", "NRO", "NUM.", "NUM",
	    "NO.", "NO", "N.", "N", "DE", "DEL", "LA", "ID", "#"};
	for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
		size_t n = strlen(f[k]);
		if (strncmp(s + p, f[k], n) == 0 && !isalnum((unsigned char)s[p + n])) {
			*len = n;
			return true;
		}
	}
	return false;
}

/* The reference-like token at s[p]: its end, or p if none. */
static size_t
ref_token(const char *s, size_t p)
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
	if (e - p < 4 || e - p > 40 || digits < 2)
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
		size_t at = 0;
		float w = nearest_label(s, strlen(s), ref_labels, NLAB(ref_labels),
		    &at);
		if (w <= 0)
			continue;
		/* "Fecha de operación": a date's label, not a reference's. */
		size_t fat = 0;
		if (nearest_label(s, at, date_labels, NLAB(date_labels), &fat) > 0)
			continue;
		size_t p = at, fl;
		for (;;) {
			while (s[p] && strchr(" :#.-", s[p]))
				p++;
			if (filler(s, p, &fl))
				p += fl;
			else
				break;
		}
		size_t vl = li, e;
		float bonus = 1.0f;
		if (!s[p] && li + 1 < nl && L[li + 1].page == L[li].page) {
			vl = li + 1;
			s = L[vl].f;
			p = 0;
			bonus = 0.5f;
		}
		char iso[11];
		if ((e = ref_token(s, p)) == p || ocr_scan_date(s, p, iso))
			continue;
		struct cand *k = &c[n];
		memset(k, 0, sizeof *k);
		k->li = (int)vl;
		k->a = p;
		k->b = e;
		span_raw(t, &L[vl], p, e, k->value, sizeof k->value);
		memcpy(k->raw, k->value, sizeof k->raw);
		int letters = 0, digits = 0;
		for (size_t q = p; q < e; q++)
			isdigit((unsigned char)s[q]) ? digits++ : letters++;
		/* In a long numeric reference an 'O' just before digits is far
		 * likelier a zero Tesseract misread; the penalty below still
		 * sends it to review. */
		if (digits >= 8)
			for (size_t q = p; q + 1 < e; q++)
				if (k->value[q - p] == 'O' && isdigit((unsigned char)s[q + 1]))
					k->value[q - p] = '0';
		k->score = w + bonus + (digits >= 6 ? 1.0f : 0.5f);
		/* O/0, I/1, S/5, B/8 beside digits: OCR confuses exactly these,
		 * and nothing in a reference says which was printed. */
		for (size_t q = p; q < e; q++)
			if (strchr("OISBZ", s[q]) && ((q > p && isdigit((unsigned char)
			    s[q - 1])) || isdigit((unsigned char)s[q + 1]))) {
				k->score -= 2.5f;
				break;
			}
		float mc;
		struct ocr_field tmpf;
		span_box(t, &L[vl], p, e, &tmpf, &mc);
		k->conf = mc;
		n++;
	}
	return n;
}

/* ---- choosing ---------------------------------------------------------- */

/* Adds agreement, picks the best; *margin = best - best other value. */
static struct cand *
choose(struct cand *c, size_t n, float sole_bonus, float *margin)
{
	struct cand *best = NULL;
	bool one_value = n > 0;
	for (size_t i = 1; i < n; i++)
		if (strcmp(c[i].value, c[0].value) != 0)
			one_value = false;
	for (size_t i = 0; one_value && i < n; i++)
		c[i].score += sole_bonus;
	for (size_t i = 0; i < n; i++) {
		int same = 0;
		for (size_t j = 0; j < n; j++)
			if (j != i && strcmp(c[i].value, c[j].value) == 0 &&
			    c[j].score > 0)
				same++;
		if (same && c[i].score > 0)
			c[i].score += same > 2 ? 1.5f : 0.75f * (float)same;
	}
	for (size_t i = 0; i < n; i++)
		if (!best || c[i].score > best->score)
			best = &c[i];
	float second = -10;
	for (size_t i = 0; best && i < n; i++)
		if (strcmp(c[i].value, best->value) != 0 && c[i].score > second)
			second = c[i].score;
	*margin = best ? best->score - second : 0;
	return best;
}

static void
set_field(const struct ocr_text *t, struct line *L, const struct cand *k,
    enum cal_field which, float margin, struct ocr_field *f)
{
	float mc;
	memset(f, 0, sizeof *f);
	f->found = true;
	memcpy(f->value, k->value, sizeof f->value);
	memcpy(f->raw, k->raw, sizeof f->raw);
	span_box(t, &L[k->li], k->a, k->b, f, &mc);
	f->score = k->score;
	f->conf = ocr_calibrate(which, k->score, margin, mc, t->source);
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

#define MAX_CANDS 256

void
ocr_extract(const struct ocr_text *t, const struct bank_alias *banks,
    size_t nbanks, struct ocr_fields *out)
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
	float margin;
	struct cand *k;

	n = find_amounts(t, L, nl, c, MAX_CANDS);
	prominence(t, c, n);
	if ((k = choose(c, n, 0, &margin)) && k->score >= 1.5f) {
		set_field(t, L, k, CAL_AMOUNT, margin, &out->amount);
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
	if ((k = choose(c, n, 1.0f, &margin)) && k->score >= 1.0f)
		set_field(t, L, k, CAL_DATE, margin, &out->date);
	n = find_refs(t, L, nl, c, MAX_CANDS);
	if ((k = choose(c, n, 0, &margin)) && k->score >= 2.0f)
		set_field(t, L, k, CAL_REFERENCE, margin, &out->reference);

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

/*
 * gen.c — the labelled receipt corpus: renders realistic payment vouchers
 * of nine layouts for banks of the five countries, with ground truth, in
 * four conditions:
 *   clean   PNG straight from the renderer
 *   textpdf PDF with a text layer (what banks' web portals download)
 *   scanpdf image-only PDF (a scan)
 *   photo   JPEG as a phone takes it: rotated, perspective, blur, noise,
 *           uneven light, low quality
 * Usage: corpus-gen OUTDIR COUNT [SEED]  → OUTDIR/NNNN-<cond>.<ext> and
 * OUTDIR/truth.jsonl (one line per voucher).  Deterministic for a seed.
 *        corpus-gen --degrade IN.png STEM SEED [photo] [scanpdf]
 *                   [words=IN.tsv] [turn=Q]
 *   makes STEM-photo.jpg and/or STEM-scanpdf.pdf from a rendered voucher
 *   (the layout corpus: tests/corpus/vouchers.py, tests/browser/corpus.mjs),
 *   with the harsher photos of the world: turns up to ±10°, glare.  With
 *   words= (word boxes on IN.png, corpus.mjs's NNNN-words.tsv) it writes
 *   STEM-photo-words.tsv: where those words are on the photo.  turn=Q
 *   stores the photo turned Q quarters clockwise (else as chance has it).
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <leptonica/allheaders.h>

static uint64_t rng_state;

static uint32_t
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

static int
rint_(int lo, int hi)
{
	return lo + (int)(rnd() % (uint32_t)(hi - lo + 1));
}

static double
rfloat(double lo, double hi)
{
	return lo + (hi - lo) * (rnd() % 100000) / 100000.0;
}

/* ---- what a voucher says ------------------------------------------------ */

struct bank { const char *code, *country, *printed; };
static const struct bank banks[] = {
	{"BI", "GT", "Banco Industrial"}, {"BANRURAL", "GT", "BANRURAL"},
	{"BAM", "GT", "Banco Agromercantil"}, {"GYT", "GT", "G&T Continental"},
	{"BNCR", "CR", "Banco Nacional de Costa Rica"},
	{"BCR", "CR", "Banco de Costa Rica"},
	{"BCP", "PE", "BCP Banco de Crédito"}, {"INTERBANK", "PE", "Interbank"},
	{"SCOTIA_PE", "PE", "Scotiabank Perú"},
	{"BANCOLOMBIA", "CO", "Bancolombia"}, {"DAVIVIENDA", "CO", "Davivienda"},
	{"BOGOTA", "CO", "Banco de Bogotá"},
	{"BANORTE", "MX", "Banorte"}, {"BANAMEX", "MX", "Citibanamex"},
	{"AZTECA", "MX", "Banco Azteca"},
};
#define NBANKS (sizeof banks / sizeof banks[0])

struct truth {
	const struct bank *bank;
	const char *currency, *method, *layout;
	long long cents;
	int y, m, d, hh, mi;
	char reference[48];
	char amount_text[48], date_text[48];
};

static const char *const mes_full[] = {"enero", "febrero", "marzo", "abril",
    "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre",
    "diciembre"};
static const char *const mes_abbr[] = {"ene", "feb", "mar", "abr", "may",
    "jun", "jul", "ago", "sep", "oct", "nov", "dic"};

static void
group(long long units, char sep, char *out)
{
	char d[32];
	snprintf(d, sizeof d, "%lld", units);
	size_t n = strlen(d), o = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = sep;
		out[o++] = d[i];
	}
	out[o] = '\0';
}

/* The amount as this country's vouchers print it. */
static void
format_amount(struct truth *t)
{
	char g[32];
	long long u = t->cents / 100, c = t->cents % 100;
	const char *cc = t->bank->country;
	int v = rint_(0, 1);
	if (!strcmp(cc, "GT")) {
		group(u, ',', g);
		snprintf(t->amount_text, sizeof t->amount_text, v ? "Q%s.%02lld" :
		    "Q %s.%02lld", g, c);
	} else if (!strcmp(cc, "CR")) {
		if (v) {
			group(u, ' ', g);
			snprintf(t->amount_text, sizeof t->amount_text, "₡%s,%02lld", g, c);
		} else {
			group(u, ',', g);
			snprintf(t->amount_text, sizeof t->amount_text, "CRC %s.%02lld", g,
			    c);
		}
	} else if (!strcmp(cc, "PE")) {
		group(u, ',', g);
		snprintf(t->amount_text, sizeof t->amount_text, "S/ %s.%02lld", g, c);
	} else if (!strcmp(cc, "CO")) {
		group(u, '.', g);
		if (v) {
			t->cents = u * 100; /* pesos printed whole */
			snprintf(t->amount_text, sizeof t->amount_text, "COP $%s", g);
		} else
			snprintf(t->amount_text, sizeof t->amount_text, "$ %s,%02lld", g, c);
	} else {
		group(u, ',', g);
		snprintf(t->amount_text, sizeof t->amount_text, "$ %s.%02lld MXN", g, c);
	}
}

static void
format_date(struct truth *t)
{
	switch (rint_(0, 4)) {
	case 0:
		snprintf(t->date_text, sizeof t->date_text, "%02d/%02d/%04d %02d:%02d",
		    t->d, t->m, t->y, t->hh, t->mi);
		break;
	case 1:
		snprintf(t->date_text, sizeof t->date_text, "%d %s %04d, %02d:%02d",
		    t->d, mes_abbr[t->m - 1], t->y, t->hh, t->mi);
		break;
	case 2: {
		char up[8];
		snprintf(up, sizeof up, "%s", mes_abbr[t->m - 1]);
		for (char *p = up; *p; p++)
			*p = (char)(*p - 32);
		snprintf(t->date_text, sizeof t->date_text, "%02d-%s-%02d", t->d, up,
		    t->y % 100);
		break;
	}
	case 3:
		snprintf(t->date_text, sizeof t->date_text, "%d de %s de %04d", t->d,
		    mes_full[t->m - 1], t->y);
		break;
	default:
		snprintf(t->date_text, sizeof t->date_text, "%02d/%02d/%04d", t->d,
		    t->m, t->y);
	}
}

static void
make_truth(struct truth *t, const char *layout, const char *country)
{
	memset(t, 0, sizeof *t);
	do
		t->bank = &banks[rnd() % NBANKS];
	while (country && strcmp(t->bank->country, country) != 0);
	const char *cc = t->bank->country;
	t->currency = !strcmp(cc, "GT") ? "GTQ" : !strcmp(cc, "CR") ? "CRC" :
	    !strcmp(cc, "PE") ? "PEN" : !strcmp(cc, "CO") ? "COP" : "MXN";
	long long scale = !strcmp(cc, "CO") || !strcmp(cc, "CR") ? 1000 : 1;
	t->cents = (long long)rint_(500, 2500000) * scale;
	if (scale > 1)
		t->cents -= t->cents % 100;
	if (rint_(0, 3) == 0)
		t->cents -= t->cents % 10000; /* round amounts are common */
	if (t->cents < 100)
		t->cents = 100 * scale;
	t->y = 2026;
	t->m = rint_(1, 10);
	t->d = rint_(1, 28);
	t->hh = rint_(7, 21);
	t->mi = rint_(0, 59);
	t->layout = layout;
	format_amount(t);
	format_date(t);
}

/* ---- drawing ------------------------------------------------------------- */

struct canvas {
	cairo_t *cr;
	double w, h;
	const char *font;
	double fg;          /* gray of the text: 0 black, 1 white */
};

static void
text(struct canvas *c, double x, double y, double size, int bold, int align,
    const char *fmt, ...)
{
	char s[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s, sizeof s, fmt, ap);
	va_end(ap);
	cairo_select_font_face(c->cr, c->font, CAIRO_FONT_SLANT_NORMAL,
	    bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(c->cr, size);
	cairo_text_extents_t e;
	cairo_text_extents(c->cr, s, &e);
	double px = align == 0 ? x : align == 1 ? x - e.x_advance / 2 : x -
	    e.x_advance;
	cairo_set_source_rgb(c->cr, c->fg, c->fg, c->fg);
	cairo_move_to(c->cr, px, y);
	cairo_show_text(c->cr, s);
}

static void
rule(struct canvas *c, double x0, double y, double x1)
{
	cairo_set_source_rgb(c->cr, 0.6, 0.6, 0.6);
	cairo_set_line_width(c->cr, 1);
	cairo_move_to(c->cr, x0, y);
	cairo_line_to(c->cr, x1, y);
	cairo_stroke(c->cr);
}

static void
fill(struct canvas *c, double x, double y, double w, double h, double g)
{
	cairo_set_source_rgb(c->cr, g, g, g);
	cairo_rectangle(c->cr, x, y, w, h);
	cairo_fill(c->cr);
}

static void
account(char *out, size_t n)
{
	snprintf(out, n, "%03d-%06d-%d", rint_(100, 999), rint_(0, 999999),
	    rint_(0, 9));
}

static void
distractor_money(const struct truth *t, char *out, size_t n, long long cents)
{
	struct truth u = *t;
	u.cents = cents;
	format_amount(&u);
	snprintf(out, n, "%s", u.amount_text);
}

/* Each layout: a label/value list around the fields, distractors mixed in.
 * The reference label and format depend on the layout. */
static void
draw_rows(struct canvas *c, double x, double *y, double step, double size,
    const char *const *labels, const char *const *values, int n, int two_col)
{
	for (int i = 0; i < n; i++) {
		if (two_col) {
			text(c, x, *y, size, 0, 0, "%s", labels[i]);
			text(c, c->w - x, *y, size, 1, 2, "%s", values[i]);
			*y += step;
		} else {
			text(c, x, *y, size * 0.85, 0, 0, "%s", labels[i]);
			*y += step * 0.8;
			text(c, x, *y, size * 1.05, 1, 0, "%s", values[i]);
			*y += step * 1.1;
		}
	}
}

static void
layout_web(struct canvas *c, struct truth *t)
{
	char acc[32], acc2[32], fee[48], nit[32];
	account(acc, sizeof acc);
	account(acc2, sizeof acc2);
	distractor_money(t, fee, sizeof fee, rint_(1, 30) * 100);
	snprintf(nit, sizeof nit, "%d-%d", rint_(1000000, 9999999), rint_(0, 9));
	snprintf(t->reference, sizeof t->reference, "TRX-%06d", rint_(0, 999999));
	t->method = "transferencia";
	fill(c, 0, 0, c->w, 90, 0.15);
	c->fg = 1;
	text(c, 40, 58, 30, 1, 0, "%s", t->bank->printed);
	c->fg = 0;
	text(c, 40, 150, 26, 1, 0, "Transferencia realizada con éxito");
	double y = 220;
	const char *L[] = {"Número de referencia:", "Fecha y hora:",
	    "Cuenta origen:", "Cuenta destino:", "NIT beneficiario:",
	    "Monto transferido:", "Comisión:", "Tel. atención:"};
	char tel[32];
	snprintf(tel, sizeof tel, "(502) %04d-%04d", rint_(1000, 9999),
	    rint_(1000, 9999));
	const char *V[] = {t->reference, t->date_text, acc, acc2, nit,
	    t->amount_text, fee, tel};
	draw_rows(c, 40, &y, 46, 20, L, V, 8, 1);
}

static void
layout_app(struct canvas *c, struct truth *t, int dark)
{
	char acc[32], ref[48];
	if (dark) {
		fill(c, 0, 0, c->w, c->h, 0.09);
		c->fg = 0.95;
	}
	snprintf(acc, sizeof acc, "****%04d", rint_(0, 9999));
	snprintf(ref, sizeof ref, "%010d", rint_(100000000, 2000000000));
	snprintf(t->reference, sizeof t->reference, "%s", ref);
	t->method = "transferencia";
	text(c, c->w / 2, 110, 30, 1, 1, "%s", t->bank->printed);
	text(c, c->w / 2, 220, 30, 0, 1, "¡Transferencia exitosa!");
	text(c, c->w / 2, 300, 24, 0, 1, "Monto enviado");
	text(c, c->w / 2, 370, 52, 1, 1, "%s", t->amount_text);
	double y = 480;
	const char *L[] = {"Fecha", "No. de operación", "Cuenta de origen",
	    "Destinatario"};
	const char *V[] = {t->date_text, ref, acc, "Comercial La Esperanza"};
	draw_rows(c, 60, &y, 50, 24, L, V, 4, 0);
}

static void
layout_deposit(struct canvas *c, struct truth *t)
{
	char acc[32], nit[32], zero[48];
	account(acc, sizeof acc);
	snprintf(nit, sizeof nit, "%d-K", rint_(1000000, 9999999));
	distractor_money(t, zero, sizeof zero, 0);
	snprintf(t->reference, sizeof t->reference, "%08d", rint_(1000000, 99999999));
	t->method = "deposito";
	cairo_set_source_rgb(c->cr, 0, 0, 0);
	cairo_set_line_width(c->cr, 2);
	cairo_rectangle(c->cr, 20, 20, c->w - 40, c->h - 40);
	cairo_stroke(c->cr);
	text(c, 40, 70, 26, 1, 0, "%s", t->bank->printed);
	text(c, c->w - 40, 70, 20, 1, 2, "BOLETA DE DEPÓSITO");
	text(c, c->w - 40, 105, 18, 0, 2, "No. de boleta: %s", t->reference);
	double y = 160;
	const char *L[] = {"Fecha:", "Cuenta No.:", "NIT depositante:",
	    "Efectivo:", "Cheques propios:", "Cheques otros bancos:", "TOTAL:"};
	const char *V[] = {t->date_text, acc, nit, t->amount_text, zero, zero,
	    t->amount_text};
	draw_rows(c, 40, &y, 44, 20, L, V, 7, 1);
	rule(c, 40, y, c->w - 40);
	text(c, 40, y + 40, 16, 0, 0, "Firma del depositante ____________________");
}

static void
layout_thermal(struct canvas *c, struct truth *t)
{
	char acc[32], bal[48], auth[24];
	c->font = "DejaVu Sans Mono";
	snprintf(acc, sizeof acc, "****%04d", rint_(0, 9999));
	distractor_money(t, bal, sizeof bal, (long long)rint_(100, 9000000) * 100);
	snprintf(auth, sizeof auth, "%06d", rint_(0, 999999));
	snprintf(t->reference, sizeof t->reference, "%012lld",
	    (long long)rint_(0, 999999) * 1000000LL + rint_(0, 999999));
	t->method = "deposito";
	double x = 20, y = 50, s = 17;
	text(c, c->w / 2, y, 22, 1, 1, "%s", t->bank->printed);
	y += 36;
	text(c, c->w / 2, y, s, 0, 1, "AGENCIA CENTRAL %d", rint_(1, 99));
	y += 30;
	text(c, c->w / 2, y, s, 1, 1, "DEPOSITO MONETARIO");
	y += 34;
	text(c, x, y, s, 0, 0, "FECHA: %s", t->date_text);
	y += 28;
	text(c, x, y, s, 0, 0, "CUENTA: %s", acc);
	y += 28;
	text(c, x, y, s, 0, 0, "REFERENCIA: %s", t->reference);
	y += 28;
	text(c, x, y, s, 0, 0, "AUTORIZACION: %s", auth);
	y += 28;
	text(c, x, y, s, 0, 0, "--------------------------------");
	y += 28;
	text(c, x, y, s, 1, 0, "IMPORTE: %s", t->amount_text);
	y += 28;
	text(c, x, y, s, 0, 0, "SALDO DISPONIBLE: %s", bal);
	y += 28;
	text(c, x, y, s, 0, 0, "--------------------------------");
	y += 28;
	text(c, c->w / 2, y, s, 0, 1, "CONSERVE ESTE COMPROBANTE");
}

static void
layout_spei(struct canvas *c, struct truth *t)
{
	char clabe[32], rfc[24], iva[48];
	snprintf(clabe, sizeof clabe, "0721%04d%06d%04d", rint_(0, 9999),
	    rint_(0, 999999), rint_(0, 9999));
	snprintf(rfc, sizeof rfc, "XAXX%06d%03d", rint_(0, 999999), rint_(0, 999));
	distractor_money(t, iva, sizeof iva, rint_(100, 900));
	snprintf(t->reference, sizeof t->reference, "MBAN01002%02d%02d%02d%09d",
	    t->y % 100, t->m, t->d, rint_(0, 999999999));
	t->method = "transferencia";
	text(c, 40, 70, 28, 1, 0, "%s", t->bank->printed);
	text(c, 40, 120, 22, 0, 0, "Comprobante de transferencia SPEI");
	rule(c, 40, 140, c->w - 40);
	double y = 190;
	const char *L[] = {"Fecha de operación", "Clave de rastreo", "Cuenta CLABE",
	    "RFC beneficiario", "Importe", "IVA comisión"};
	const char *V[] = {t->date_text, t->reference, clabe, rfc, t->amount_text,
	    iva};
	draw_rows(c, 40, &y, 44, 19, L, V, 6, 1);
}

static void
layout_yape(struct canvas *c, struct truth *t)
{
	char cel[24];
	snprintf(cel, sizeof cel, "*** *** %03d", rint_(0, 999));
	snprintf(t->reference, sizeof t->reference, "%08d", rint_(10000000, 99999999));
	t->method = "transferencia";
	fill(c, 0, 0, c->w, 260, 0.85);
	text(c, c->w / 2, 40, 18, 0, 1, "%s", t->bank->printed);
	text(c, c->w / 2, 100, 34, 1, 1, "¡Yapeaste!");
	text(c, c->w / 2, 190, 56, 1, 1, "%s", t->amount_text);
	text(c, c->w / 2, 330, 26, 0, 1, "Comercial San Martín");
	double y = 430;
	const char *L[] = {"Fecha y hora", "Nro. de celular", "Destino",
	    "Nro. de operación"};
	const char *V[] = {t->date_text, cel, "Yape", t->reference};
	draw_rows(c, 60, &y, 48, 22, L, V, 4, 0);
}

static void
layout_bancolombia(struct canvas *c, struct truth *t)
{
	char acc[32], cc_[32], saldo[48];
	snprintf(acc, sizeof acc, "Ahorros *%04d", rint_(0, 9999));
	snprintf(cc_, sizeof cc_, "C.C. %d", rint_(10000000, 99999999));
	distractor_money(t, saldo, sizeof saldo, (long long)rint_(100, 90000) * 100000);
	snprintf(t->reference, sizeof t->reference, "%010d", rint_(100000000, 2000000000));
	t->method = "transferencia";
	text(c, 40, 70, 30, 1, 0, "%s", t->bank->printed);
	text(c, 40, 140, 26, 1, 0, "¡Transferencia exitosa!");
	text(c, 40, 180, 19, 0, 0, "Comprobante No. %s", t->reference);
	text(c, 40, 215, 19, 0, 0, "%s", t->date_text);
	double y = 290;
	const char *L[] = {"Valor de la transferencia", "Producto origen",
	    "Documento destino", "Saldo disponible"};
	const char *V[] = {t->amount_text, acc, cc_, saldo};
	draw_rows(c, 40, &y, 50, 22, L, V, 4, 0);
}

static void
layout_sinpe(struct canvas *c, struct truth *t)
{
	char ced[24], com[48];
	snprintf(ced, sizeof ced, "%d-%04d-%04d", rint_(1, 9), rint_(0, 9999),
	    rint_(0, 9999));
	distractor_money(t, com, sizeof com, 0);
	snprintf(t->reference, sizeof t->reference, "%04d%02d%02d%08d", t->y, t->m,
	    t->d, rint_(0, 99999999));
	t->method = "transferencia";
	fill(c, 0, 0, c->w, 8, 0.3);
	text(c, 40, 70, 26, 1, 0, "%s", t->bank->printed);
	text(c, 40, 120, 22, 0, 0, "Comprobante SINPE Móvil");
	double y = 180;
	const char *L[] = {"Referencia:", "Fecha:", "Cédula destino:", "Monto:",
	    "Comisión:"};
	const char *V[] = {t->reference, t->date_text, ced, t->amount_text, com};
	draw_rows(c, 40, &y, 46, 20, L, V, 5, 1);
}

struct layout {
	const char *name;
	double w, h;            /* points at 1×; images are rendered at 2× */
	const char *country;    /* NULL = any */
	void (*draw)(struct canvas *, struct truth *);
};

static void app_light(struct canvas *c, struct truth *t) { layout_app(c, t, 0); }
static void app_dark(struct canvas *c, struct truth *t) { layout_app(c, t, 1); }

static const struct layout layouts[] = {
	{"web", 760, 640, NULL, layout_web},
	{"app-light", 540, 900, NULL, app_light},
	{"app-dark", 540, 900, NULL, app_dark},
	{"deposit", 760, 560, "GT", layout_deposit},
	{"thermal", 400, 560, NULL, layout_thermal},
	{"spei", 760, 520, "MX", layout_spei},
	{"yape", 540, 820, "PE", layout_yape},
	{"bancolombia", 600, 640, "CO", layout_bancolombia},
	{"sinpe", 720, 480, "CR", layout_sinpe},
};
#define NLAYOUTS (sizeof layouts / sizeof layouts[0])

static void
draw(cairo_t *cr, const struct layout *l, struct truth *t, uint64_t seed)
{
	struct canvas c = {cr, l->w, l->h, "DejaVu Sans", 0};
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	rng_state = seed; /* the same voucher in every condition */
	make_truth(t, l->name, l->country);
	l->draw(&c, t);
}

/* ---- conditions ------------------------------------------------------- */

static PIX *
surface_to_pix(cairo_surface_t *s)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	const unsigned char *d = cairo_image_surface_get_data(s);
	PIX *p = pixCreate(w, h, 32);
	for (int y = 0; y < h; y++) {
		const uint32_t *row = (const uint32_t *)(d + y * stride);
		for (int x = 0; x < w; x++) {
			uint32_t v = row[x];
			pixSetRGBPixel(p, x, y, (v >> 16) & 255, (v >> 8) & 255, v & 255);
		}
	}
	return p;
}

static double max_turn = 4;  /* degrees; --degrade: 10 */
static int glare;             /* --degrade: a bright spot on some photos */

/* Where photo() moved the voucher's pixels, so that a point of the voucher
 * can be found on the photo: the table's margin, the perspective, the turn
 * about the centre (clockwise, radians), then quarter turns. */
struct photo_map {
	int ox, oy;
	l_float32 *proj;            /* 8 coefficients, voucher+margin → photo */
	double ang, cx, cy;
	int quads, rw, rh;          /* clockwise quarter turns of rw × rh */
};

static void
photo_point(const struct photo_map *m, double x, double y, double *px,
    double *py)
{
	l_float32 fx = (l_float32)(x + m->ox), fy = (l_float32)(y + m->oy);
	l_float32 qx = fx, qy = fy;
	if (m->proj) {
		/* projectiveXformPt takes whole pixels; this is its formula. */
		const l_float32 *v = m->proj;
		l_float32 d = v[6] * fx + v[7] * fy + 1;
		qx = (v[0] * fx + v[1] * fy + v[2]) / d;
		qy = (v[3] * fx + v[4] * fy + v[5]) / d;
	}
	double c = cos(m->ang), s = sin(m->ang);
	double rx = m->cx + (qx - m->cx) * c - (qy - m->cy) * s;
	double ry = m->cy + (qx - m->cx) * s + (qy - m->cy) * c;
	switch (m->quads) {
	case 1: *px = m->rh - 1 - ry; *py = rx; break;
	case 2: *px = m->rw - 1 - rx; *py = m->rh - 1 - ry; break;
	case 3: *px = ry; *py = m->rw - 1 - rx; break;
	default: *px = rx; *py = ry; break;
	}
}

/* Copies IN ("x0 y0 x1 y1 word" lines, boxes on the voucher) to OUT with
 * each box carried onto the photo: the upright box around its four
 * corners, as the reader reports a box read on a turned page. */
static int
photo_words(const struct photo_map *m, const char *in, const char *out)
{
	FILE *f = fopen(in, "r"), *g = f ? fopen(out, "w") : NULL;
	if (!g) {
		if (f)
			fclose(f);
		return -1;
	}
	char line[1024], word[900];
	int x0, y0, x1, y1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "%d %d %d %d %899[^\n]", &x0, &y0, &x1, &y1,
		    word) == 5) {
			double xs[4] = {x0, x1, x0, x1}, ys[4] = {y0, y0, y1, y1};
			double lx = 1e9, ly = 1e9, hx = -1e9, hy = -1e9;
			for (int k = 0; k < 4; k++) {
				double px, py;
				photo_point(m, xs[k], ys[k], &px, &py);
				lx = fmin(lx, px); hx = fmax(hx, px);
				ly = fmin(ly, py); hy = fmax(hy, py);
			}
			fprintf(g, "%ld %ld %ld %ld %s\n", lround(lx), lround(ly),
			    lround(hx), lround(hy), word);
		}
	fclose(f);
	return fclose(g) == 0 ? 0 : -1;
}

/* A phone's photo of src; m (may be NULL) gets where the pixels went, and
 * its proj is the caller's to free.  turn >= 0 forces the quarter turns a
 * phone stores the picture with (else chosen at random). */
static PIX *
photo(PIX *src, struct photo_map *m, int turn)
{
	int w = pixGetWidth(src), h = pixGetHeight(src);
	/* Put the voucher on a table, bigger canvas. */
	int W = w + w / 5, H = h + h / 5;
	PIX *bg = pixCreate(W, H, 32);
	pixSetAllArbitrary(bg, (l_uint32)((rint_(90, 150) << 24) |
	    (rint_(80, 140) << 16) | (rint_(70, 120) << 8)));
	pixRasterop(bg, w / 10, h / 10, w, h, PIX_SRC, src, 0, 0);
	/* Perspective: move the corners a little. */
	PTA *from = ptaCreate(4), *to = ptaCreate(4);
	double j = 0.03;
	ptaAddPt(from, 0, 0); ptaAddPt(from, W, 0);
	ptaAddPt(from, W, H); ptaAddPt(from, 0, H);
	ptaAddPt(to, W * rfloat(0, j), H * rfloat(0, j));
	ptaAddPt(to, W * (1 - rfloat(0, j)), H * rfloat(0, j));
	ptaAddPt(to, W * (1 - rfloat(0, j)), H * (1 - rfloat(0, j)));
	ptaAddPt(to, W * rfloat(0, j), H * (1 - rfloat(0, j)));
	PIX *pp = pixProjectivePtaColor(bg, to, from, 0x50505000);
	if (m) {
		memset(m, 0, sizeof *m);
		m->ox = w / 10;
		m->oy = h / 10;
		if (pp && getProjectiveXformCoeffs(from, to, &m->proj) != 0)
			m->proj = NULL;
	}
	ptaDestroy(&from);
	ptaDestroy(&to);
	/* Small rotation. */
	double ang = rfloat(-max_turn, max_turn) * M_PI / 180;
	PIX *rot = pixRotate(pp ? pp : bg, (float)ang, L_ROTATE_AREA_MAP,
	    L_BRING_IN_BLACK, 0, 0);
	if (m) {
		/* pixRotate turns about the centre and keeps the size. */
		m->ang = ang;
		m->cx = pixGetWidth(rot) / 2.0;
		m->cy = pixGetHeight(rot) / 2.0;
		m->rw = pixGetWidth(rot);
		m->rh = pixGetHeight(rot);
	}
	/* Uneven light: a gradient multiplied in; noise; blur. */
	int RW = pixGetWidth(rot), RH = pixGetHeight(rot);
	double gx = rfloat(-0.35, 0.35), gy = rfloat(-0.35, 0.35);
	for (int y = 0; y < RH; y++)
		for (int x = 0; x < RW; x++) {
			l_int32 r, g, b;
			pixGetRGBPixel(rot, x, y, &r, &g, &b);
			double f = 0.85 + gx * ((double)x / RW - 0.5) + gy * ((double)y /
			    RH - 0.5);
			int n = (int)(rnd() % 21) - 10;
			r = (int)(r * f) + n; g = (int)(g * f) + n; b = (int)(b * f * 0.95) + n;
			r = r < 0 ? 0 : r > 255 ? 255 : r;
			g = g < 0 ? 0 : g > 255 ? 255 : g;
			b = b < 0 ? 0 : b > 255 ? 255 : b;
			pixSetRGBPixel(rot, x, y, r, g, b);
		}
	if (glare && rint_(0, 2) == 0) {
		/* A lamp on glossy paper or a screen: washed-out ellipse. */
		int cx = rint_(0, RW - 1), cy = rint_(0, RH - 1), rad = RW / rint_(4, 8);
		for (int y = cy - rad; y < cy + rad; y++)
			for (int x = cx - rad; x < cx + rad; x++) {
				if (x < 0 || y < 0 || x >= RW || y >= RH)
					continue;
				double d = hypot(x - cx, y - cy) / rad;
				if (d >= 1)
					continue;
				l_int32 r, g, b;
				pixGetRGBPixel(rot, x, y, &r, &g, &b);
				double a = 0.75 * (1 - d * d);
				r = (int)(r + (255 - r) * a);
				g = (int)(g + (255 - g) * a);
				b = (int)(b + (255 - b) * a);
				pixSetRGBPixel(rot, x, y, r, g, b);
			}
	}
	PIX *bl0 = pixBlockconv(rot, 1, 1);
	/* Phones store some pictures sideways or upside down. */
	int drawn = rint_(0, 9); /* drawn even when forced: same stream after */
	turn = turn == 1 ? 0 : turn == 3 ? 1 : turn == 2 ? 2 : turn == 0 ? 3 :
	    drawn;
	if (m)
		m->quads = turn == 0 ? 1 : turn == 1 ? 3 : turn == 2 ? 2 : 0;
	PIX *bl = turn == 0 ? pixRotateOrth(bl0, 1) : turn == 1 ? pixRotateOrth(bl0,
	    3) : turn == 2 ? pixRotate180(NULL, bl0) : pixClone(bl0);
	pixDestroy(&bl0);
	pixDestroy(&bg);
	pixDestroy(&pp);
	pixDestroy(&rot);
	return bl;
}

static void
json_str(FILE *f, const char *k, const char *v, int comma)
{
	fprintf(f, "\"%s\":\"", k);
	for (const char *p = v; *p; p++)
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else
			fputc(*p, f);
	fprintf(f, "\"%s", comma ? "," : "");
}

/* A printout scanned: grey, a slight skew, speckle; painted into a PDF
 * page at 150 dpi. */
static int
scan_pdf(PIX *src, const char *path)
{
	PIX *g = pixConvertRGBToLuminance(src);
	PIX *r = pixRotate(g, (float)(rfloat(-1.5, 1.5) * M_PI / 180),
	    L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
	int w = pixGetWidth(r), h = pixGetHeight(r);
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	unsigned char *d = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			l_uint32 v;
			pixGetPixel(r, x, y, &v);
			int n = (int)(rnd() % 25) - 12, c = (int)v * 92 / 100 + 8 + n;
			if (rnd() % 4000 == 0)
				c = 40; /* dust */
			c = c < 0 ? 0 : c > 255 ? 255 : c;
			((uint32_t *)(d + y * stride))[x] = (uint32_t)(c << 16 | c << 8 | c);
		}
	cairo_surface_mark_dirty(img);
	double pw = w * 72.0 / 150, ph = h * 72.0 / 150;
	cairo_surface_t *pdf = cairo_pdf_surface_create(path, pw, ph);
	cairo_t *cr = cairo_create(pdf);
	cairo_scale(cr, 72.0 / 150, 72.0 / 150);
	cairo_set_source_surface(cr, img, 0, 0);
	cairo_paint(cr);
	cairo_destroy(cr);
	cairo_surface_destroy(pdf);
	cairo_surface_destroy(img);
	pixDestroy(&g);
	pixDestroy(&r);
	return 0;
}

static int
degrade(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: %s --degrade IN.png STEM SEED [photo] "
		    "[scanpdf] [words=IN.tsv] [turn=Q]\n", argv[0]);
		return 2;
	}
	const char *words = NULL;
	int turn = -1;
	for (int i = 5; i < argc; i++)
		if (strncmp(argv[i], "words=", 6) == 0)
			words = argv[i] + 6;
		else if (strncmp(argv[i], "turn=", 5) == 0)
			turn = atoi(argv[i] + 5) & 3;
	setMsgSeverity(L_SEVERITY_ERROR);
	PIX *in = pixRead(argv[2]);
	if (!in)
		return 1;
	PIX *src = pixConvertTo32(in);
	char path[4096];
	max_turn = 10;
	glare = 1;
	rng_state = strtoull(argv[4], NULL, 10) * 2654435761ULL + 1;
	for (int i = 5; i < argc; i++) {
		if (strcmp(argv[i], "photo") == 0) {
			struct photo_map m;
			PIX *ph = photo(src, &m, turn);
			snprintf(path, sizeof path, "%s-photo.jpg", argv[3]);
			FILE *jf = fopen(path, "wb");
			if (!jf)
				return 1;
			pixWriteStreamJpeg(jf, ph, rint_(40, 70), 0);
			fclose(jf);
			pixDestroy(&ph);
			snprintf(path, sizeof path, "%s-photo-words.tsv", argv[3]);
			int werr = words ? photo_words(&m, words, path) : 0;
			LEPT_FREE(m.proj);
			if (werr != 0)
				return 1;
		} else if (strcmp(argv[i], "scanpdf") == 0) {
			snprintf(path, sizeof path, "%s-scanpdf.pdf", argv[3]);
			scan_pdf(src, path);
		}
	}
	pixDestroy(&in);
	pixDestroy(&src);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--degrade") == 0)
		return degrade(argc, argv);
	if (argc < 3) {
		fprintf(stderr, "usage: %s OUTDIR COUNT [SEED]\n", argv[0]);
		return 2;
	}
	const char *dir = argv[1];
	int count = atoi(argv[2]);
	uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 20261121;
	mkdir(dir, 0755);
	setMsgSeverity(L_SEVERITY_ERROR);
	char path[4096];
	snprintf(path, sizeof path, "%s/truth.jsonl", dir);
	FILE *tf = fopen(path, "w");
	if (!tf)
		return 1;
	for (int i = 0; i < count; i++) {
		const struct layout *l = &layouts[i % NLAYOUTS];
		uint64_t vs = seed * 1000003ULL + (uint64_t)i * 7919ULL + 1;
		struct truth t;
		double scale = 2.0; /* ~144 dpi for 72-pt pages */
		/* clean PNG */
		cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
		    (int)(l->w * scale), (int)(l->h * scale));
		cairo_t *cr = cairo_create(img);
		cairo_scale(cr, scale, scale);
		draw(cr, l, &t, vs);
		cairo_destroy(cr);
		cairo_surface_flush(img);
		snprintf(path, sizeof path, "%s/%04d-clean.png", dir, i);
		cairo_surface_write_to_png(img, path);
		/* text PDF */
		snprintf(path, sizeof path, "%s/%04d-textpdf.pdf", dir, i);
		cairo_surface_t *pdf = cairo_pdf_surface_create(path, l->w, l->h);
		cr = cairo_create(pdf);
		draw(cr, l, &t, vs);
		cairo_destroy(cr);
		cairo_surface_destroy(pdf);
		/* scanned PDF: the image painted into a PDF page */
		snprintf(path, sizeof path, "%s/%04d-scanpdf.pdf", dir, i);
		pdf = cairo_pdf_surface_create(path, l->w, l->h);
		cr = cairo_create(pdf);
		cairo_scale(cr, 1 / scale, 1 / scale);
		cairo_set_source_surface(cr, img, 0, 0);
		cairo_paint(cr);
		cairo_destroy(cr);
		cairo_surface_destroy(pdf);
		/* phone photo */
		rng_state = vs ^ 0x9e3779b97f4a7c15ULL;
		PIX *p = surface_to_pix(img);
		PIX *ph = photo(p, NULL, -1);
		snprintf(path, sizeof path, "%s/%04d-photo.jpg", dir, i);
		FILE *jf = fopen(path, "wb");
		if (jf) {
			/* Messaging apps recompress hard. */
			pixWriteStreamJpeg(jf, ph, rint_(35, 60), 0);
			fclose(jf);
		}
		pixDestroy(&p);
		pixDestroy(&ph);
		cairo_surface_destroy(img);
		/* truth */
		char amount[32], date[16];
		snprintf(amount, sizeof amount, "%lld.%02lld", t.cents / 100,
		    t.cents % 100);
		snprintf(date, sizeof date, "%04d-%02d-%02d", t.y, t.m, t.d);
		fprintf(tf, "{\"id\":\"%04d\",", i);
		json_str(tf, "layout", t.layout, 1);
		json_str(tf, "amount", amount, 1);
		json_str(tf, "currency", t.currency, 1);
		json_str(tf, "date", date, 1);
		json_str(tf, "reference", t.reference, 1);
		json_str(tf, "bankCode", t.bank->code, 1);
		json_str(tf, "paymentMethod", t.method, 1);
		json_str(tf, "amountText", t.amount_text, 1);
		json_str(tf, "dateText", t.date_text, 0);
		fprintf(tf, "}\n");
	}
	fclose(tf);
	return 0;
}

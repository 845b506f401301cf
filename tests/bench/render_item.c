/*
 * render_item.c — the review item page's template render, in process:
 * the compiled templates (as a worker holds them) render a realistic item
 * model (six fields, a receipt page with WORDS word boxes and the field
 * boxes) N times; p50/p99/max per render are printed beside the baseline
 * of serialising the same model as JSON (what the API does with it), in
 * the same run.  Used by `make bench`:
 *   render_item TEMPLATES_DIR [N [WORDS]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "tmpl/tmpl.h"
#include "util/buf.h"

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static json_object *
s(const char *v)
{
	return json_object_new_string(v);
}

static json_object *
model(const char *dir, int words)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/messages.es.json", dir);
	json_object *m = json_object_new_object(), *u = json_object_new_object();
	json_object_object_add(m, "t", json_object_from_file(path));
	json_object_object_add(m, "lang", s("es"));
	json_object_object_add(u, "name", s("revisor"));
	json_object_object_add(m, "user", u);
	json_object_object_add(m, "csrf", s("8Q0AVyAFZpeI90Aqm8s7I8Lv1cwlJaC2"));
	json_object *p = json_object_new_object();
	json_object_object_add(p, "id", json_object_new_int64(4242));
	json_object_object_add(p, "status", s("pendiente"));
	json_object_object_add(p, "statusLabel", s("pendiente"));
	json_object_object_add(p, "version", json_object_new_int(2));
	json_object_object_add(p, "kind", s("Baja confianza"));
	json_object_object_add(p, "reason", s("transactionDate read with low"
	    " confidence (0.67); <b>markup</b> & \"quotes\""));
	json_object_object_add(p, "detailUrl", s("/payments/4242"));
	json_object_object_add(p, "action", s("/review/4242/decision"));
	json_object_object_add(m, "payment", p);
	json_object_object_add(m, "decidable", json_object_new_boolean(1));
	static const char *names[][3] = {{"Monto", "amount", "20900.00"},
	    {"Moneda", "currency", "GTQ"}, {"Fecha", "transactionDate", "2026-02-08"},
	    {"Referencia", "reference", "TRX-437532"}, {"Banco", "bankCode", "GYT"},
	    {"Método", "paymentMethod", "transferencia"}};
	json_object *fields = json_object_new_array();
	for (int i = 0; i < 6; i++) {
		json_object *f = json_object_new_object();
		char id[40];
		snprintf(id, sizeof id, "in-%s", names[i][1]);
		json_object_object_add(f, "label", s(names[i][0]));
		json_object_object_add(f, "key", s(names[i][1]));
		json_object_object_add(f, "name", s(names[i][1]));
		json_object_object_add(f, "inputId", s(id));
		json_object_object_add(f, "input", s(names[i][2]));
		json_object_object_add(f, "value", s(names[i][2]));
		json_object_object_add(f, "ocr", s(names[i][2]));
		json_object_object_add(f, "confidence", json_object_new_double(0.94));
		json_object_object_add(f, "cls", s(i == 2 ? "conf low" : "conf ok"));
		json_object_array_add(fields, f);
	}
	json_object_object_add(m, "fields", fields);
	json_object *boxes = json_object_new_array();
	for (int i = 0; i < words + 4; i++) {
		json_object *b = json_object_new_object();
		json_object_object_add(b, "x", json_object_new_int(100 + (i * 37) % 1500));
		json_object_object_add(b, "y", json_object_new_int(200 + (i * 53) % 1200));
		json_object_object_add(b, "w", json_object_new_int(60 + i % 200));
		json_object_object_add(b, "h", json_object_new_int(30 + i % 20));
		json_object_object_add(b, "cls", s(i < words ? "word" :
		    "field field-amount"));
		json_object_array_add(boxes, b);
	}
	json_object *pg = json_object_new_object(), *pages = json_object_new_array();
	json_object_object_add(pg, "img", s("/review/4242/document"));
	json_object_object_add(pg, "viewBox", s("0 0 1824 1536"));
	json_object_object_add(pg, "w", json_object_new_int(1824));
	json_object_object_add(pg, "h", json_object_new_int(1536));
	json_object_object_add(pg, "label", s("Página 1"));
	json_object_object_add(pg, "boxes", boxes);
	json_object_array_add(pages, pg);
	json_object *doc = json_object_new_object();
	json_object_object_add(doc, "url", s("/review/4242/document"));
	json_object_object_add(doc, "name", s("0000-photo.jpg"));
	json_object_object_add(doc, "pages", pages);
	json_object_object_add(m, "doc", doc);
	json_object *claim = json_object_new_object();
	json_object_object_add(claim, "mine", json_object_new_boolean(0));
	json_object_object_add(claim, "by", s("otra"));
	json_object_object_add(claim, "until", s("2026-11-21 13:31 CST"));
	json_object_object_add(m, "claim", claim);
	json_object *nav = json_object_new_object();
	json_object_object_add(nav, "prev", s("/review/4241"));
	json_object_object_add(nav, "next", s("/review/4243"));
	json_object_object_add(m, "nav", nav);
	return m;
}

static void
report(const char *what, double *t, int n, double base_p99)
{
	qsort(t, (size_t)n, sizeof *t, cmp);
	double p99 = t[(int)(n * 0.99)];
	printf("%-40s %9.3f %9.3f %9.3f", what, t[n / 2], p99, t[n - 1]);
	if (base_p99 > 0)
		printf(" %10.1f\n", p99 / base_p99);
	else
		printf(" %10s\n", "1.0");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: render_item TEMPLATES_DIR [N [WORDS]]\n");
		return 2;
	}
	int n = argc > 2 ? atoi(argv[2]) : 5000;
	int words = argc > 3 ? atoi(argv[3]) : 150;
	if (n < 100)
		n = 100;
	struct tmpl_set *set;
	char err[512] = "";
	if (tmpl_set_new(&set) != CB_OK ||
	    tmpl_set_load_dir(set, argv[1], err, sizeof err) != CB_OK) {
		fprintf(stderr, "render_item: %s\n", err);
		return 1;
	}
	json_object *m = model(argv[1], words);
	double *html = calloc((size_t)n, sizeof *html);
	double *json = calloc((size_t)n, sizeof *json);
	size_t bytes = 0, jbytes = 0;
	for (int i = 0; i < n; i++) {
		struct buf b;
		buf_init(&b, 4 << 20);
		double t0 = now_ms();
		if (tmpl_render(set, "item.xhtml", m, &b, err, sizeof err) != CB_OK) {
			fprintf(stderr, "render_item: %s\n", err);
			return 1;
		}
		html[i] = now_ms() - t0;
		bytes = b.len;
		buf_free(&b);
		t0 = now_ms();
		/* The API's path: serialise, then copy into a response buffer. */
		const char *j = json_object_to_json_string_ext(m,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		buf_init(&b, 4 << 20);
		buf_puts(&b, j);
		json[i] = now_ms() - t0;
		jbytes = b.len;
		buf_free(&b);
	}
	printf("review item render, in process: %d renders, %d word boxes\n", n,
	    words);
	printf("%-40s %9s %9s %9s %10s\n", "", "p50 ms", "p99 ms", "max ms",
	    "vs JSON");
	report("same model as JSON (baseline)", json, n, 0);
	qsort(json, (size_t)n, sizeof *json, cmp);
	double jp99 = json[(int)(n * 0.99)];
	report("item.xhtml rendered", html, n, jp99);
	qsort(html, (size_t)n, sizeof *html, cmp);
	printf("page %zu bytes, JSON %zu bytes; goal p99 < 5 ms: %s\n", bytes,
	    jbytes, html[(int)(n * 0.99)] < 5.0 ? "met" : "NOT met");
	free(html);
	free(json);
	json_object_put(m);
	tmpl_set_free(set);
	return 0;
}

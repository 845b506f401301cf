/*
 * ocr_read.c — reads documents the way the OCR job does (the same
 * engine, preparation, PDF handling and extractor, minus the database) and
 * prints one JSON line per document: the fields, their confidences and the
 * seconds it took.  Used by `make bench-ocr` and handy by hand:
 *   ocr_read [-j THREADS] [-b BANKS.tsv] [-l LANGS] [-W DIR] [-R] FILE…
 * BANKS.tsv: code<TAB>country<TAB>aliases, as in sql/002_payments.sql.
 * -W DIR: also writes what was read (words, boxes, confidences) to
 *   DIR/<file's name>.words.json;  -R: the FILEs are such words files, and
 *   only extraction runs — so extraction is measured and fitted without
 *   reading the corpus again.  -C FILE: every candidate of amount, date and
 *   reference with its features, a JSON line per document, for
 *   tests/corpus/fit.py (the first line names the features).  -M FILE:
 *   choose with the model fit.py --write-json wrote, not the built-in one.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <leptonica/allheaders.h>

#include <json-c/json.h>

#include "core/document.h"
#include "ocr/extract.h"
#include "ocr/features.h"
#include "ocr/model.h"
#include "ocr/reader.h"

static struct bank_alias banks[64];
static size_t nbanks;
static char **files;
static int nfiles;
static char **out;
static atomic_int next;
/* The service's default ([ocr] languages), so that the bench times what
 * users run. */
static const char *langs = "spa+eng";
static const char *words_dir;
static const char *cands_path;
static struct ocr_model *model; /* -M FILE; NULL: the built-in one */
static char **cands_out;

struct cbuf { json_object *by[3]; };

static void
on_candidate(void *arg, int field, const char *value, const float *x,
    float score, const struct ocr_where *at)
{
	struct cbuf *b = arg;
	(void)score;
	(void)at;
	if (field < 0 || field > 2)
		return;
	json_object *a = json_object_new_array(), *xs = json_object_new_array();
	json_object_array_add(a, json_object_new_string(value));
	for (int i = 0; i < OCR_NFEAT; i++) {
		char num[32];
		snprintf(num, sizeof num, "%.4g", (double)x[i]);
		json_object_array_add(xs, json_object_new_double_s(x[i], num));
	}
	json_object_array_add(a, xs);
	json_object_array_add(b->by[field], a);
}
static int from_words;

static void
save_words(const char *file, const struct ocr_text *t)
{
	char path[4096];
	const char *base = strrchr(file, '/');
	snprintf(path, sizeof path, "%s/%s.words.json", words_dir,
	    base ? base + 1 : file);
	json_object *o = json_object_new_object(), *ws = json_object_new_array();
	json_object_object_add(o, "source", json_object_new_string(t->source));
	json_object_object_add(o, "rotation", json_object_new_int(t->rotation));
	json_object_object_add(o, "pages", json_object_new_int(t->pages));
	json_object *pw = json_object_new_array(), *ph = json_object_new_array();
	for (int p = 0; p < t->pages && p < OCR_MAX_PAGES; p++) {
		json_object_array_add(pw, json_object_new_int(t->page_w[p]));
		json_object_array_add(ph, json_object_new_int(t->page_h[p]));
	}
	json_object_object_add(o, "pageW", pw);
	json_object_object_add(o, "pageH", ph);
	for (size_t i = 0; i < t->n; i++) {
		const struct ocr_word *w = &t->w[i];
		json_object *a = json_object_new_array();
		json_object_array_add(a, json_object_new_string(w->text));
		int v[] = {w->x0, w->y0, w->x1, w->y1, w->page, w->line};
		for (int k = 0; k < 6; k++)
			json_object_array_add(a, json_object_new_int(v[k]));
		json_object_array_add(a, json_object_new_int((int)(w->conf * 1000)));
		json_object_array_add(ws, a);
	}
	json_object_object_add(o, "words", ws);
	json_object *rr = json_object_new_array();
	for (size_t i = 0; i < t->nrr; i++) {
		json_object *a = json_object_new_array();
		json_object_array_add(a, json_object_new_int(t->rr[i].w0));
		json_object_array_add(a, json_object_new_int(t->rr[i].w1));
		json_object_array_add(a, json_object_new_string(t->rr[i].text));
		json_object_array_add(rr, a);
	}
	json_object_object_add(o, "rereads", rr);
	json_object_to_file_ext(path, o, JSON_C_TO_STRING_PLAIN);
	json_object_put(o);
}

/* A words file back into t; CB_EINVAL when it is not one. */
static cb_err
load_words(const char *path, struct ocr_text *t)
{
	json_object *o = json_object_from_file(path), *ws, *v;
	if (!o || !json_object_object_get_ex(o, "words", &ws))
		return CB_EINVAL;
	if (json_object_object_get_ex(o, "source", &v))
		t->source = strcmp(json_object_get_string(v), "text-layer") == 0 ?
		    "text-layer" : "ocr";
	if (json_object_object_get_ex(o, "rotation", &v))
		t->rotation = json_object_get_int(v);
	if (json_object_object_get_ex(o, "pages", &v))
		t->pages = json_object_get_int(v);
	json_object *pw, *ph;
	if (json_object_object_get_ex(o, "pageW", &pw) &&
	    json_object_object_get_ex(o, "pageH", &ph))
		for (size_t p = 0; p < json_object_array_length(pw) &&
		     p < OCR_MAX_PAGES; p++) {
			t->page_w[p] = json_object_get_int(json_object_array_get_idx(pw, p));
			t->page_h[p] = json_object_get_int(json_object_array_get_idx(ph, p));
		}
	for (size_t i = 0; i < json_object_array_length(ws); i++) {
		json_object *a = json_object_array_get_idx(ws, i);
		int v8[7];
		for (int k = 0; k < 7; k++)
			v8[k] = json_object_get_int(json_object_array_get_idx(a, k + 1));
		const char *txt = json_object_get_string(json_object_array_get_idx(a, 0));
		if (ocr_text_add(t, txt, strlen(txt), v8[0], v8[1], v8[2], v8[3],
		        (float)v8[6] / 1000, v8[4], v8[5]) != CB_OK) {
			json_object_put(o);
			return CB_ENOMEM;
		}
	}
	json_object *rr;
	if (json_object_object_get_ex(o, "rereads", &rr))
		for (size_t i = 0; i < json_object_array_length(rr); i++) {
			json_object *a = json_object_array_get_idx(rr, i);
			ocr_text_add_reread(t,
			    json_object_get_int(json_object_array_get_idx(a, 0)),
			    json_object_get_int(json_object_array_get_idx(a, 1)),
			    json_object_get_string(json_object_array_get_idx(a, 2)));
		}
	json_object_put(o);
	return CB_OK;
}

static void
load_banks(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	if (!f) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof line, f) && nbanks < 64) {
		line[strcspn(line, "\n")] = '\0';
		char *a = strchr(line, '\t'), *b = a ? strchr(a + 1, '\t') : NULL;
		if (!b)
			continue;
		*a = *b = '\0';
		banks[nbanks].code = strdup(line);
		banks[nbanks].country = strdup(a + 1);
		banks[nbanks].aliases = strdup(b + 1);
		nbanks++;
	}
	fclose(f);
}

static void
field(char *buf, size_t len, const char *name, const struct ocr_field *f,
    int comma)
{
	size_t u = strlen(buf);
	if (f->found)
		snprintf(buf + u, len - u, "\"%s\":{\"value\":\"%s\",\"conf\":%.3f,"
		    "\"score\":%.2f}%s", name, f->value, (double)f->conf,
		    (double)f->score, comma ? "," : "");
	else
		snprintf(buf + u, len - u, "\"%s\":null%s", name, comma ? "," : "");
}

static void *
worker(void *arg)
{
	(void)arg;
	struct ocr_engine *e = NULL;
	if (!from_words && ocr_engine_tesseract_new(langs, &e) != CB_OK) {
		fprintf(stderr, "cannot start tesseract\n");
		exit(1);
	}
	struct ocr_limits lim = {40000000, 10, 120,
	    getenv("OCR_DPI") ? atoi(getenv("OCR_DPI")) : 200, NULL, NULL};
	int i;
	while ((i = atomic_fetch_add(&next, 1)) < nfiles) {
		struct ocr_text t;
		struct ocr_fields f;
		char why[300] = "", *buf = malloc(4096);
		unsigned char head[16] = {0};
		struct timespec a, b;
		int fd = from_words ? -1 : open(files[i], O_RDONLY);
		ssize_t hn = fd >= 0 ? pread(fd, head, sizeof head, 0) : -1;
		ocr_text_init(&t);
		clock_gettime(CLOCK_MONOTONIC, &a);
		cb_err err = from_words ? load_words(files[i], &t) :
		    fd < 0 || hn < 8 ? CB_EIO : ocr_read_document(e,
		    doc_sniff(head, (size_t)hn), fd, &lim, &t, why, sizeof why);
		if (words_dir && !from_words)
			save_words(files[i], &t);
		struct cbuf cb = {{json_object_new_array(), json_object_new_array(),
		    json_object_new_array()}};
		struct ocr_trace tr = {on_candidate, &cb};
		ocr_extract_traced(&t, banks, nbanks, model, &f, cands_path ? &tr :
		    NULL);
		if (cands_path) {
			json_object *o = json_object_new_object();
			json_object_object_add(o, "file", json_object_new_string(files[i]));
			json_object_object_add(o, "source", json_object_new_string(
			    t.source ? t.source : "ocr"));
			char mc[16];
			bool tl = t.source && strcmp(t.source, "text-layer") == 0;
			float dc = tl ? 1.0f : ocr_text_mean_conf(&t);
			snprintf(mc, sizeof mc, "%.6g", (double)dc);
			json_object_object_add(o, "docConf", json_object_new_double_s(dc,
			    mc));
			json_object_object_add(o, "amount", cb.by[0]);
			json_object_object_add(o, "date", cb.by[1]);
			json_object_object_add(o, "reference", cb.by[2]);
			cands_out[i] = strdup(json_object_to_json_string_ext(o,
			    JSON_C_TO_STRING_PLAIN));
			json_object_put(o);
		} else
			for (int k = 0; k < 3; k++)
				json_object_put(cb.by[k]);
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (getenv("OCR_WORDS")) /* debugging: the words, a line each */
			for (size_t w = 0; w < t.n; w++)
				fprintf(stderr, "%s%s", t.w[w].text, w + 1 < t.n &&
				    t.w[w + 1].line == t.w[w].line ? " " : "\n");
		if (fd >= 0)
			close(fd);
		double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec -
		    a.tv_nsec) / 1e9;
		snprintf(buf, 4096, "{\"file\":\"%s\",\"ok\":%s,\"seconds\":%.3f,"
		    "\"source\":\"%s\",\"words\":%zu,\"rotation\":%d,\"meanConf\":%.3f,",
		    files[i], err == CB_OK ? "true" : "false", s, t.source, t.n,
		    t.rotation, (double)ocr_text_mean_conf(&t));
		field(buf, 4096, "amount", &f.amount, 1);
		field(buf, 4096, "currency", &f.currency, 1);
		field(buf, 4096, "date", &f.date, 1);
		field(buf, 4096, "reference", &f.reference, 1);
		field(buf, 4096, "bankCode", &f.bank, 1);
		field(buf, 4096, "paymentMethod", &f.method, 0);
		strncat(buf, "}", 4096 - strlen(buf) - 1);
		out[i] = buf;
		ocr_text_release(&t);
	}
	ocr_engine_free(e);
	return NULL;
}

int
main(int argc, char **argv)
{
	int threads = 1, c;
	if (!getenv("OMP_THREAD_LIMIT")) {
		setenv("OMP_THREAD_LIMIT", "1", 1);
		execv("/proc/self/exe", argv);
	}
	setMsgSeverity(L_SEVERITY_NONE);
	char why[256];
	while ((c = getopt(argc, argv, "j:b:l:W:RC:M:")) != -1)
		switch (c) {
		case 'M':
			if (ocr_model_load(optarg, &model, why, sizeof why) != CB_OK) {
				fprintf(stderr, "%s\n", why);
				return 2;
			}
			break;
		case 'C': cands_path = optarg; break;
		case 'W': words_dir = optarg; break;
		case 'R': from_words = 1; break;
		case 'j': threads = atoi(optarg); break;
		case 'b': load_banks(optarg); break;
		case 'l': langs = optarg; break;
		default:
			fprintf(stderr, "usage: ocr_read [-j N] [-b banks.tsv] [-l langs]"
			    " [-W DIR] [-R] [-C FILE] [-M MODEL.json] FILE…\n");
			return 2;
		}
	files = argv + optind;
	nfiles = argc - optind;
	out = calloc((size_t)nfiles + 1, sizeof *out);
	cands_out = calloc((size_t)nfiles + 1, sizeof *cands_out);
	pthread_t tid[64];
	if (threads < 1 || threads > 64)
		threads = 1;
	for (int i = 0; i < threads; i++)
		pthread_create(&tid[i], NULL, worker, NULL);
	for (int i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	for (int i = 0; i < nfiles; i++) {
		puts(out[i]);
		free(out[i]);
	}
	if (cands_path) {
		FILE *cf = fopen(cands_path, "w");
		if (!cf) {
			perror(cands_path);
			return 1;
		}
		fprintf(cf, "{\"features\":[");
		for (int k = 0; k < OCR_NFEAT; k++)
			fprintf(cf, "%s\"%s\"", k ? "," : "", ocr_feature_name(k));
		fprintf(cf, "],\"model\":\"%s\"}\n", ocr_model_origin(model));
		for (int i = 0; i < nfiles; i++) {
			fprintf(cf, "%s\n", cands_out[i] ? cands_out[i] : "{}");
			free(cands_out[i]);
		}
		fclose(cf);
	}
	free(cands_out);
	free(out);
	return 0;
}

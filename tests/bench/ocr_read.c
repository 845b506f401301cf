/*
 * ocr_read.c — reads documents the way the OCR job does (the same
 * engine, preparation, PDF handling and extractor, minus the database) and
 * prints one JSON line per document: the fields, their confidences and the
 * seconds it took.  Used by `make bench-ocr` and handy by hand:
 *   ocr_read [-j THREADS] [-b BANKS.tsv] [-l LANGS] FILE…
 * BANKS.tsv: code<TAB>country<TAB>aliases, as in sql/002_payments.sql.
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

#include "core/document.h"
#include "ocr/extract.h"
#include "ocr/reader.h"

static struct bank_alias banks[64];
static size_t nbanks;
static char **files;
static int nfiles;
static char **out;
static atomic_int next;
static const char *langs = "spa";

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
	struct ocr_engine *e;
	if (ocr_engine_tesseract_new(langs, &e) != CB_OK) {
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
		int fd = open(files[i], O_RDONLY);
		ssize_t hn = fd >= 0 ? pread(fd, head, sizeof head, 0) : -1;
		ocr_text_init(&t);
		clock_gettime(CLOCK_MONOTONIC, &a);
		cb_err err = fd < 0 || hn < 8 ? CB_EIO : ocr_read_document(e,
		    doc_sniff(head, (size_t)hn), fd, &lim, &t, why, sizeof why);
		ocr_extract(&t, banks, nbanks, &f);
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
	while ((c = getopt(argc, argv, "j:b:l:")) != -1)
		switch (c) {
		case 'j': threads = atoi(optarg); break;
		case 'b': load_banks(optarg); break;
		case 'l': langs = optarg; break;
		default:
			fprintf(stderr, "usage: ocr_read [-j N] [-b banks.tsv] [-l langs]"
			    " FILE…\n");
			return 2;
		}
	files = argv + optind;
	nfiles = argc - optind;
	out = calloc((size_t)nfiles + 1, sizeof *out);
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
	free(out);
	return 0;
}

/*
 * tess.c — the Tesseract backend of engine.h, through its C API.
 *
 * Page segmentation is PSM 6 (one uniform block): on real receipts it
 * found the total more often than the default.  OpenMP is off for the
 * whole process (OMP_THREAD_LIMIT=1, set in main before the library
 * loads); parallelism comes from our job threads.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "ocr/engine.h"
#include "util/log.h"

#define MAX_LANGS 3

struct ocr_engine {
	char langs[MAX_LANGS][16];
	int nlangs;
	TessBaseAPI *api[MAX_LANGS]; /* created when first needed */
	TessBaseAPI *osd;            /* orientation detection, when first needed */
	bool osd_failed;             /* it could not be loaded: not again */
};

/* Tesseract keeps some parameters (debug_file among them) process-wide,
 * and Init and SetVariable write them: two job threads making their
 * engines at once raced there (ThreadSanitizer).  Only the making of an
 * engine is serialised; reading with it is not. */
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;

static TessBaseAPI *make_api(const char *lang);

static TessBaseAPI *
api_for(struct ocr_engine *e, int k)
{
	if (e->api[k])
		return e->api[k];
	pthread_mutex_lock(&init_lock);
	TessBaseAPI *a = make_api(e->langs[k]);
	pthread_mutex_unlock(&init_lock);
	e->api[k] = a;
	return a;
}

static TessBaseAPI *
make_api(const char *lang)
{
	TessBaseAPI *a = TessBaseAPICreate();
	if (!a)
		return NULL;
	if (TessBaseAPIInit3(a, NULL, lang) != 0) {
		log_error("ocr: tesseract cannot load language '%s' (is"
		    " tesseract-ocr-%s installed?)", lang, lang);
		TessBaseAPIDelete(a);
		return NULL;
	}
	bool osd = strcmp(lang, "osd") == 0;
	TessBaseAPISetPageSegMode(a, osd ? PSM_OSD_ONLY : PSM_SINGLE_BLOCK);
	/* Keep inter-word spaces so "Q 1,500.00" stays two words. */
	TessBaseAPISetVariable(a, "preserve_interword_spaces", "1");
	TessBaseAPISetVariable(a, "debug_file", "/dev/null");
	return a;
}

cb_err
ocr_engine_tesseract_new(const char *languages, struct ocr_engine **out)
{
	struct ocr_engine *e = calloc(1, sizeof *e);
	if (!e)
		return CB_ENOMEM;
	const char *p = languages && *languages ? languages : "spa";
	while (*p && e->nlangs < MAX_LANGS) {
		size_t n = strcspn(p, "+");
		if (n && n < sizeof e->langs[0]) {
			memcpy(e->langs[e->nlangs], p, n);
			e->langs[e->nlangs++][n] = '\0';
		}
		p += n;
		if (*p == '+')
			p++;
	}
	if (!e->nlangs || !api_for(e, 0)) {
		ocr_engine_free(e);
		return CB_EINVAL;
	}
	*out = e;
	return CB_OK;
}

void
ocr_engine_free(struct ocr_engine *e)
{
	if (!e)
		return;
	for (int k = 0; k < MAX_LANGS; k++)
		if (e->api[k]) {
			TessBaseAPIEnd(e->api[k]);
			TessBaseAPIDelete(e->api[k]);
		}
	if (e->osd) {
		TessBaseAPIEnd(e->osd);
		TessBaseAPIDelete(e->osd);
	}
	free(e);
}

struct ticker {
	const struct ocr_limits *lim;
	struct timespec last;
	bool stop;
};

/* Tesseract asks this often while recognising: renew the lease about once
 * a second, cancel if it was lost. */
static bool
cancel_cb(void *arg, int words)
{
	struct ticker *t = arg;
	struct timespec now;
	(void)words;
	if (!t->lim || !t->lim->tick)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec - t->last.tv_sec >= 1) {
		t->last = now;
		if (!t->lim->tick(t->lim->tick_arg))
			t->stop = true;
	}
	return t->stop;
}

/* One recognition with language k into out; the mean word confidence. */
static cb_err
run(struct ocr_engine *e, int k, PIX *pix, int page, int *line,
    int deadline_ms, const struct ocr_limits *lim, struct ocr_text *out,
    float *mean)
{
	TessBaseAPI *a = api_for(e, k);
	if (!a)
		return CB_EINVAL;
	TessBaseAPISetImage2(a, pix);
	TessBaseAPISetSourceResolution(a, 300);
	ETEXT_DESC *mon = TessMonitorCreate();
	if (!mon)
		return CB_ENOMEM;
	struct ticker tk = {.lim = lim};
	clock_gettime(CLOCK_MONOTONIC, &tk.last);
	TessMonitorSetDeadlineMSecs(mon, deadline_ms);
	TessMonitorSetCancelFunc(mon, cancel_cb);
	TessMonitorSetCancelThis(mon, &tk);
	int rc = TessBaseAPIRecognize(a, mon);
	TessMonitorDelete(mon);
	if (rc != 0 || tk.stop) {
		TessBaseAPIClear(a);
		return CB_ETOOBIG;
	}
	TessResultIterator *it = TessBaseAPIGetIterator(a);
	cb_err err = CB_OK;
	double sum = 0;
	size_t nw = 0;
	if (it) {
		const TessPageIterator *pi = TessResultIteratorGetPageIterator(it);
		do {
			if (TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE))
				(*line)++;
			char *txt = TessResultIteratorGetUTF8Text(it, RIL_WORD);
			int l, t, r, b;
			if (!txt)
				continue;
			float conf = TessResultIteratorConfidence(it, RIL_WORD) / 100.0f;
			if (TessPageIteratorBoundingBox(pi, RIL_WORD, &l, &t, &r, &b) &&
			    err == CB_OK) {
				err = ocr_text_add(out, txt, strlen(txt), l, t, r, b, conf,
				    page, *line);
				sum += conf;
				nw++;
			}
			TessDeleteText(txt);
		} while (TessResultIteratorNext(it, RIL_WORD));
		TessResultIteratorDelete(it);
	}
	TessBaseAPIClear(a);
	*mean = nw ? (float)(sum / (double)nw) : 0;
	return err;
}

cb_err
ocr_engine_recognize(struct ocr_engine *e, struct Pix *pix, int page,
    int *line, int deadline_ms, const struct ocr_limits *lim,
    struct ocr_text *out, float *mean_conf)
{
	return run(e, 0, pix, page, line, deadline_ms, lim, out, mean_conf);
}

cb_err
ocr_engine_recognize_others(struct ocr_engine *e, struct Pix *pix, int page,
    int *line, int line0, size_t mark, int deadline_ms,
    const struct ocr_limits *lim, struct ocr_text *out, float *mean_conf)
{
	cb_err err = CB_OK;
	for (int k = 1; err == CB_OK && k < e->nlangs &&
	     *mean_conf < OCR_OTHER_LANG_BELOW; k++) {
		struct ocr_text alt;
		float m = 0;
		int l2 = line0;
		ocr_text_init(&alt);
		if (run(e, k, pix, page, &l2, deadline_ms, lim, &alt, &m) == CB_OK &&
		    m > *mean_conf + 0.05f) {
			err = ocr_text_replace_from(out, mark, &alt);
			*mean_conf = m;
			*line = l2;
		}
		ocr_text_release(&alt);
	}
	return err;
}

bool
ocr_engine_has_orientation(struct ocr_engine *e)
{
	if (!e->osd && !e->osd_failed) {
		pthread_mutex_lock(&init_lock);
		e->osd = make_api("osd");
		pthread_mutex_unlock(&init_lock);
		e->osd_failed = !e->osd;
	}
	return e->osd != NULL;
}

cb_err
ocr_engine_orientation(struct ocr_engine *e, struct Pix *pix, int *degrees,
    float *conf)
{
	*degrees = 0;
	*conf = 0;
	if (!ocr_engine_has_orientation(e))
		return CB_EINVAL;
	TessBaseAPISetImage2(e->osd, pix);
	TessBaseAPISetSourceResolution(e->osd, 300);
	const char *script = NULL;
	float sconf = 0;
	/* False when it found too few characters to judge by. */
	int ok = TessBaseAPIDetectOrientationScript(e->osd, degrees, conf,
	    &script, &sconf);
	TessBaseAPIClear(e->osd);
	if (!ok || *degrees % 90 != 0 || *degrees < 0 || *degrees >= 360) {
		*degrees = 0;
		*conf = 0;
		return CB_ENOTFOUND;
	}
	return CB_OK;
}

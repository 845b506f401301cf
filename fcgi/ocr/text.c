/* text.c — see text.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocr/text.h"

void
ocr_text_init(struct ocr_text *t)
{
	memset(t, 0, sizeof *t);
	t->source = "ocr";
}

void
ocr_text_release(struct ocr_text *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->w[i].text);
	free(t->w);
	t->w = NULL;
	t->n = t->cap = 0;
	t->nrr = 0;
}

cb_err
ocr_text_add(struct ocr_text *t, const char *text, size_t len, int x0, int y0,
    int x1, int y1, float conf, int page, int line)
{
	while (len && (text[len - 1] == ' ' || text[len - 1] == '\n'))
		len--;
	while (len && (*text == ' ' || *text == '\n')) {
		text++;
		len--;
	}
	if (!len)
		return CB_OK;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct ocr_word *w = realloc(t->w, cap * sizeof *w);
		if (!w)
			return CB_ENOMEM;
		t->w = w;
		t->cap = cap;
	}
	char *s = malloc(len + 1);
	if (!s)
		return CB_ENOMEM;
	memcpy(s, text, len);
	s[len] = '\0';
	t->w[t->n++] = (struct ocr_word){s, x0, y0, x1, y1,
	    conf < 0 ? 0 : conf > 1 ? 1 : conf, page, line};
	return CB_OK;
}

float
ocr_text_mean_conf(const struct ocr_text *t)
{
	double s = 0;
	for (size_t i = 0; i < t->n; i++)
		s += t->w[i].conf;
	return t->n ? (float)(s / (double)t->n) : 0;
}

static int
by_y(const void *a, const void *b)
{
	const struct ocr_word *x = a, *y = b;
	int cx = x->y0 + x->y1, cy = y->y0 + y->y1;
	return cx != cy ? cx - cy : x->x0 - y->x0;
}

static int
by_line_x(const void *a, const void *b)
{
	const struct ocr_word *x = a, *y = b;
	return x->line != y->line ? x->line - y->line : x->x0 - y->x0;
}

cb_err
ocr_text_relines(struct ocr_text *t, size_t from, int *line)
{
	if (from >= t->n)
		return CB_OK;
	struct ocr_word *w = t->w + from;
	size_t n = t->n - from;
	qsort(w, n, sizeof *w, by_y);
	int cur = ++*line;
	double lc = (w[0].y0 + w[0].y1) / 2.0, lh = w[0].y1 - w[0].y0;
	w[0].line = cur;
	for (size_t i = 1; i < n; i++) {
		double c = (w[i].y0 + w[i].y1) / 2.0, h = w[i].y1 - w[i].y0;
		if (c - lc > 0.5 * (h > lh ? h : lh)) {
			cur = ++*line;
			lc = c;
			lh = h;
		}
		w[i].line = cur;
	}
	qsort(w, n, sizeof *w, by_line_x);
	return CB_OK;
}

void
ocr_text_truncate(struct ocr_text *t, size_t mark)
{
	while (t->n > mark)
		free(t->w[--t->n].text);
	size_t k = 0;
	for (size_t i = 0; i < t->nrr; i++)
		if ((size_t)t->rr[i].w1 < mark)
			t->rr[k++] = t->rr[i];
	t->nrr = k;
}

bool
ocr_text_add_reread(struct ocr_text *t, int w0, int w1, const char *text)
{
	if (t->nrr >= OCR_MAX_REREADS || w0 < 0 || w1 < w0 || (size_t)w1 >= t->n)
		return false;
	struct ocr_reread *r = &t->rr[t->nrr++];
	r->w0 = w0;
	r->w1 = w1;
	snprintf(r->text, sizeof r->text, "%s", text);
	return true;
}

const struct ocr_reread *
ocr_text_reread(const struct ocr_text *t, int w0, int w1)
{
	for (size_t i = 0; i < t->nrr; i++)
		if (t->rr[i].w0 == w0 && t->rr[i].w1 == w1)
			return &t->rr[i];
	return NULL;
}

cb_err
ocr_text_replace_from(struct ocr_text *t, size_t mark,
    const struct ocr_text *src)
{
	cb_err err = CB_OK;
	ocr_text_truncate(t, mark);
	for (size_t i = 0; i < src->n && err == CB_OK; i++) {
		const struct ocr_word *w = &src->w[i];
		err = ocr_text_add(t, w->text, strlen(w->text), w->x0, w->y0, w->x1,
		    w->y1, w->conf, w->page, w->line);
	}
	return err;
}

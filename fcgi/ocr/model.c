/*
 * model.c — see model.h.  The numbers are in model_weights.inc, which
 * tests/corpus/fit.py writes, or in the file it wrote; nothing here is
 * tuned by hand.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "ocr/model.h"

struct field_model {
	float w[OCR_NFEAT];
	/* calibration: p = σ(c[0] + c[1]·score + c[2]·min(margin, 8) +
	 * c[3]·ocr_conf + c[4]·text_layer + c[5]·doc_conf +
	 * c[6]·max(0, 0.85 - ocr_conf) + c[7]·reread_diff) — c[6] because
	 * Tesseract's word confidence says little above 0.85 and much below
	 * it; c[7] because a second reading that disagrees says more of the
	 * winner's chances than of which candidate wins. */
	float c[8];
};

static const char *const names[OCR_NFEAT] = {
	[F_BIAS] = "bias", [F_LAB_SAME] = "lab_same", [F_LAB_ABOVE] = "lab_above",
	[F_LAB_NEG] = "lab_neg", [F_LAB_NEG_ABOVE] = "lab_neg_above",
	[F_LAB_GAP] = "lab_gap", [F_OCR_CONF] = "ocr_conf",
	[F_TEXT_LAYER] = "text_layer", [F_REPEAT] = "repeat", [F_YPOS] = "ypos",
	[F_ALONE] = "alone", [F_HEIGHT] = "height", [F_MARKER] = "marker",
	[F_FORMATTED] = "formatted", [F_BARE] = "bare", [F_TOO_LONG] = "too_long",
	[F_BROKEN] = "broken", [F_IS_MAX] = "is_max",
	[F_WORDS_AGREE] = "words_agree", [F_IS_SUM] = "is_sum",
	[F_LAB_TOTAL] = "lab_total", [F_HAS_TIME] = "has_time",
	[F_MONTH_NAME] = "month_name", [F_LAB_PRINT] = "lab_print",
	[F_IS_EARLIEST] = "is_earliest", [F_LAB_STRONG] = "lab_strong",
	[F_LAB_WEAK] = "lab_weak", [F_LAB_AUT] = "lab_aut", [F_LAB_ALT] = "lab_alt",
	[F_NEXT_LINE] = "next_line", [F_DIGITS] = "digits", [F_MIXED] = "mixed",
	[F_CONFUSABLE] = "confusable", [F_VALIDATION] = "validation",
	[F_SHORT] = "short", [F_REREAD_DIFF] = "reread_diff",
	[F_CROWD] = "crowd", [F_TOTAL_NO_FEE] = "total_no_fee",
	[F_PLUS_TAX] = "plus_tax", [F_SUM_TOTALS] = "sum_totals",
	[F_ROUNDED] = "rounded",
};

struct ocr_model {
	struct field_model f[3]; /* CAL_AMOUNT, CAL_DATE, CAL_REFERENCE */
	char origin[160];
};

/* builtin_model: generated. */
#include "ocr/model_weights.inc"

static const struct ocr_model *
builtin(void)
{
	return &builtin_model;
}

const struct ocr_model *
ocr_model_builtin(void)
{
	return builtin();
}

static int
feature_index(const char *name)
{
	for (int i = 0; i < OCR_NFEAT; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

static cb_err
load_field(json_object *root, const char *key, struct field_model *fm,
    char *why, size_t whylen)
{
	json_object *f, *w, *c;
	if (!json_object_object_get_ex(root, key, &f) ||
	    !json_object_object_get_ex(f, "w", &w) ||
	    !json_object_is_type(w, json_type_object) ||
	    !json_object_object_get_ex(f, "c", &c) ||
	    !json_object_is_type(c, json_type_array) ||
	    (json_object_array_length(c) != sizeof fm->c / sizeof fm->c[0] &&
	     json_object_array_length(c) != 7)) {
		snprintf(why, whylen, "\"%s\" lacks \"w\" or a \"c\" of %zu numbers",
		    key, sizeof fm->c / sizeof fm->c[0]);
		return CB_EINVAL;
	}
	memset(fm, 0, sizeof *fm);
	json_object_object_foreach(w, name, v) {
		int i = feature_index(name);
		if (i < 0 || (!json_object_is_type(v, json_type_double) &&
		    !json_object_is_type(v, json_type_int))) {
			snprintf(why, whylen, "%s: feature \"%.40s\" is not one this "
			    "build has", key, name);
			return CB_EINVAL;
		}
		fm->w[i] = (float)json_object_get_double(v);
	}
	/* A model fitted before the second reading has 7: its c[7] is 0. */
	for (size_t i = 0; i < json_object_array_length(c); i++)
		fm->c[i] = (float)json_object_get_double(
		    json_object_array_get_idx(c, i));
	return CB_OK;
}

cb_err
ocr_model_load(const char *path, struct ocr_model **out, char *why,
    size_t whylen)
{
	*out = NULL;
	json_object *root = json_object_from_file(path), *o;
	if (!root || !json_object_is_type(root, json_type_object)) {
		snprintf(why, whylen, "%s: not a JSON object", path);
		json_object_put(root);
		return CB_EINVAL;
	}
	struct ocr_model *m = calloc(1, sizeof *m);
	if (!m) {
		json_object_put(root);
		return CB_ENOMEM;
	}
	static const char *const keys[] = {[CAL_AMOUNT] = "amount",
	    [CAL_DATE] = "date", [CAL_REFERENCE] = "reference"};
	cb_err e = CB_OK;
	for (int k = CAL_AMOUNT; k <= CAL_REFERENCE && e == CB_OK; k++)
		e = load_field(root, keys[k], &m->f[k], why, whylen);
	snprintf(m->origin, sizeof m->origin, "%s",
	    json_object_object_get_ex(root, "origin", &o) ?
	    json_object_get_string(o) : path);
	json_object_put(root);
	if (e != CB_OK) {
		free(m);
		return e;
	}
	*out = m;
	return CB_OK;
}

void
ocr_model_free(struct ocr_model *m)
{
	if (m != builtin())
		free(m);
}

const char *
ocr_feature_name(int i)
{
	return i >= 0 && i < OCR_NFEAT ? names[i] : NULL;
}

const char *
ocr_model_origin(const struct ocr_model *m)
{
	return (m ? m : builtin())->origin;
}

static const struct field_model *
model_of(const struct ocr_model *m, enum cal_field f)
{
	if (!m)
		m = builtin();
	return f >= CAL_AMOUNT && f <= CAL_REFERENCE ? &m->f[f] : NULL;
}

float
ocr_model_score(const struct ocr_model *mo, enum cal_field f,
    const float x[OCR_NFEAT])
{
	const struct field_model *m = model_of(mo, f);
	float s = 0;
	for (int i = 0; m && i < OCR_NFEAT; i++)
		s += m->w[i] * x[i];
	return s;
}

float
ocr_model_confidence(const struct ocr_model *mo, enum cal_field f,
    float score, float margin, float ocr_conf, bool text_layer,
    float doc_conf, float reread_diff)
{
	const struct field_model *m = model_of(mo, f);
	if (!m)
		return 0;
	float z = m->c[0] + m->c[1] * score + m->c[2] * (margin > 8 ? 8 : margin) +
	    m->c[3] * ocr_conf + m->c[4] * (text_layer ? 1.0f : 0.0f) +
	    m->c[5] * doc_conf + m->c[6] * (ocr_conf < 0.85f ? 0.85f - ocr_conf :
	    0.0f) + m->c[7] * reread_diff;
	float p = 1.0f / (1.0f + expf(-z));
	/* Of two candidates the model scores s1 > s2, one of them right, the
	 * first is right with probability σ(s1 - s2): a close rival caps the
	 * confidence, however sure the calibration is of such scores. */
	float cap = 1.0f / (1.0f + expf(-(margin > 8 ? 8 : margin)));
	return p < cap ? p : cap;
}

/*
 * calibrate.c — see calibrate.h.  A logistic curve over the evidence
 * score, discounted when a rival value is close and when the words were
 * read with low OCR confidence.  Only bank and method still come here;
 * amount, date and reference have fitted models (model.h).  The constants
 * were set by hand against the generated corpus (tests/corpus/gen.c).
 */
#include <math.h>
#include <string.h>

#include "ocr/calibrate.h"

static const struct { float mid, slope; } curve[] = {
	[CAL_BANK] = {2.5f, 1.5f},
	[CAL_METHOD] = {3.0f, 0.8f},
};

float
ocr_calibrate(enum cal_field f, float score, float margin, float ocr_conf,
    const char *source)
{
	float p = 1.0f / (1.0f + expf(-curve[f].slope * (score - curve[f].mid)));
	if (margin < 1.0f)
		p *= 0.5f + 0.5f * (margin < 0 ? 0 : margin);
	if (source && strcmp(source, "text-layer") != 0) {
		/* Tesseract's own confidence (0..1) is weak evidence alone but a
		 * misread word seldom scores high. */
		float q = (ocr_conf - 0.5f) / 0.4f;
		if (q < 0)
			q = 0;
		if (q > 1)
			q = 1;
		p *= 0.6f + 0.4f * q;
	}
	return p < 0 ? 0 : p > 1 ? 1 : p;
}

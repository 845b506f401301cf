/*
 * model.h — choosing a field's value and saying how sure we are, from
 * fitted weights: a logistic score per candidate (features.h) and a
 * calibration of the winner's score and margin to the probability that it
 * is right.  The built-in tables are generated (model_weights.inc, by
 * `make ocr-model`: tests/corpus/fit.py on the layout corpus, fitted on
 * some layouts and calibrated on others).  An installation that refitted
 * on its own reviewers' corrections loads its model from a file instead
 * ([ocr] model; fit.py --write-json).
 */
#ifndef CB_OCR_MODEL_H
#define CB_OCR_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "ocr/calibrate.h"
#include "ocr/features.h"
#include "util/err.h"

struct ocr_model;

/* The tables built in; static, never freed. */
const struct ocr_model *ocr_model_builtin(void);
/* A model from a JSON file fit.py wrote: {"origin", "features": [names],
 * "amount"|"date"|"reference": {"w": {name: weight}, "c": [7 numbers]}}.
 * A feature this build does not know is refused (a model fitted for other
 * features would score nonsense): CB_EINVAL with why.  Free with
 * ocr_model_free. */
cb_err ocr_model_load(const char *path, struct ocr_model **out, char *why,
    size_t whylen);
void ocr_model_free(struct ocr_model *m);

/* The candidate's score (a logit); only CAL_AMOUNT, CAL_DATE and
 * CAL_REFERENCE have models.  m NULL: the built-in one. */
float ocr_model_score(const struct ocr_model *m, enum cal_field f,
    const float x[OCR_NFEAT]);
/* The probability that the winner is right: its score, its margin over
 * the best other value's, its words' OCR confidence, its source, the
 * mean word confidence of the whole document (a poor photo says so), and
 * whether its words read again said otherwise (F_REREAD_DIFF); never
 * more than σ(margin). */
float ocr_model_confidence(const struct ocr_model *m, enum cal_field f,
    float score, float margin, float ocr_conf, bool text_layer,
    float doc_conf, float reread_diff);
/* Where the tables came from (printed by ocr_read -C). */
const char *ocr_model_origin(const struct ocr_model *m);

#endif

/*
 * calibrate.h — from evidence to a confidence that means something: a
 * field reported at ≥ 0.85 must almost never be wrong.  The field names
 * are shared with the fitted model (model.h), which gives amount, date and
 * reference their confidence; ocr_calibrate's hand-set curve is for bank
 * and method only.
 */
#ifndef CB_OCR_CALIBRATE_H
#define CB_OCR_CALIBRATE_H

enum cal_field { CAL_AMOUNT, CAL_DATE, CAL_REFERENCE, CAL_BANK, CAL_METHOD };

/* Bank and method only.  score: the extractor's evidence; margin: over the
 * best other value;
 * ocr_conf: the lowest word confidence of the value (1 for text layers);
 * source: "ocr" | "text-layer". */
float ocr_calibrate(enum cal_field f, float score, float margin,
    float ocr_conf, const char *source);

#endif

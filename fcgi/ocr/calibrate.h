/*
 * calibrate.h — from evidence to a confidence that means something: a
 * field reported at ≥ 0.85 must be right at least 99% of the time on the
 * corpus (tests/corpus; `make bench-ocr` prints the measured precision).
 */
#ifndef CB_OCR_CALIBRATE_H
#define CB_OCR_CALIBRATE_H

enum cal_field { CAL_AMOUNT, CAL_DATE, CAL_REFERENCE, CAL_BANK, CAL_METHOD };

/* score: the extractor's evidence; margin: over the best other value;
 * ocr_conf: the lowest word confidence of the value (1 for text layers);
 * source: "ocr" | "text-layer". */
float ocr_calibrate(enum cal_field f, float score, float margin,
    float ocr_conf, const char *source);

#endif

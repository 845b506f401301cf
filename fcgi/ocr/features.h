/*
 * features.h — what the extractor knows about one candidate value, as
 * numbers that mean the same on any layout: labels (which kind, where),
 * format, print size, position, repetition, agreement, OCR confidence.
 * The model (model.h) weighs them; the weights are fitted from data by
 * tests/corpus/fit.py, which reads the same names (ocr_read -C prints them),
 * so the order here is the order of the weight tables.  Appending a feature
 * is safe (old tables give it weight 0 until refitted); reordering is not.
 */
#ifndef CB_OCR_FEATURES_H
#define CB_OCR_FEATURES_H

enum ocr_feat {
	F_BIAS,
	F_LAB_SAME,      /* a label of the field before it on its line */
	F_LAB_ABOVE,     /* … or alone on the line above */
	F_LAB_NEG,       /* a label of something else (fee, balance, id) */
	F_LAB_NEG_ABOVE,
	F_LAB_GAP,       /* characters between that label and the value /20 */
	F_OCR_CONF,      /* lowest word confidence (1 for text layers) */
	F_TEXT_LAYER,
	F_REPEAT,        /* other candidates with the same value, /3, ≤ 1 */
	F_YPOS,          /* 0 top of the page … 1 bottom */
	F_ALONE,         /* nothing else on its line but its label */
	F_HEIGHT,        /* print height / median word height, /4, ≤ 1 */
	F_MARKER,        /* amounts: a currency sign or code */
	F_FORMATTED,     /* amounts: two decimals or consistent grouping */
	F_BARE,          /* amounts: neither marker nor decimals */
	F_TOO_LONG,      /* amounts: more than 11 digits */
	F_BROKEN,        /* amounts: unreadable cents, or glued to letters */
	F_IS_MAX,        /* amounts: the largest money value printed */
	F_WORDS_AGREE,   /* amounts: the amount in words says the same */
	F_IS_SUM,        /* amounts: another value plus a fee (a total) */
	F_LAB_TOTAL,     /* amounts: "total" labels it */
	F_HAS_TIME,      /* dates: a time beside it */
	F_MONTH_NAME,    /* dates: the month spelled */
	F_LAB_PRINT,     /* dates: printed / generated / consulted */
	F_IS_EARLIEST,   /* dates: no other date before it */
	F_LAB_STRONG,    /* references: referencia, rastreo, operación, … */
	F_LAB_WEAK,      /* references: ref, folio, transacción, secuencia */
	F_LAB_AUT,       /* references: autorización / AUT */
	F_LAB_ALT,       /* references: a numbered alternate (numérica, doc) */
	F_NEXT_LINE,     /* references: the value on the line after the label */
	F_DIGITS,        /* references: digits /20, ≤ 1 */
	F_MIXED,         /* references: letters and digits */
	F_CONFUSABLE,    /* references: O or I beside digits */
	F_VALIDATION,    /* references: a teller's line (money and a date) */
	F_SHORT,         /* references: fewer than 6 characters */
	F_REREAD_DIFF,   /* its words read again (text.h) said otherwise */
	F_CROWD,         /* distinct values of its kind on the page /20, ≤ 1:
	                    a ticket of thirty prices is harder than a
	                    voucher of three */
	F_TOTAL_NO_FEE,  /* amounts: a total, on a voucher that prints no fee
	                    (a shop's total is what was paid) */
	F_PLUS_TAX,      /* amounts: another value plus a tax (a shop's total) */
	F_SUM_TOTALS,    /* amounts: the sum of two other totals ("Total 0%
	                    supplies" and "Total 6% supplies": the grand one) */
	F_ROUNDED,       /* amounts: another value with the printed rounding
	                    applied ("Total 28.31", "Rounding -0.01": 28.30) */
	OCR_NFEAT
};

/* The name fit.py and ocr_read -C use for feature i. */
const char *ocr_feature_name(int i);

#endif

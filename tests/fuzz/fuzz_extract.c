/* fuzz_extract.c — the field extractor and its scanners on arbitrary
 * "OCR output": the input is split into lines and words as Tesseract would
 * hand them over, with confidences and boxes taken from the bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ocr/extract.h"
#include "ocr/review.h"

static const struct bank_alias banks[] = {
	{"BI", "GT", "BANCO INDUSTRIAL|BI|B.I."},
	{"BAC_CR", "CR", "BAC|BAC CREDOMATIC"},
	{"BBVA_MX", "MX", "BBVA|BANCOMER"},
	{"NEQUI", "CO", "NEQUI"},
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ocr_text t;
	struct ocr_fields f;
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	ocr_text_init(&t);
	int line = 0, x = 0;
	for (char *p = s; *p;) {
		size_t n = strcspn(p, " \n");
		if (n)
			ocr_text_add(&t, p, n, x, line * 20, x + (int)n * 9,
			    line * 20 + (int)((unsigned char)p[0] % 40), (float)((
			    unsigned char)p[n - 1] % 101) / 100.0f, line / 50, line);
		x += (int)n * 9 + 5;
		p += n;
		if (*p == '\n') {
			line++;
			x = 0;
		}
		if (*p)
			p++;
	}
	ocr_extract(&t, banks, sizeof banks / sizeof banks[0], &f);
	struct manual_values m = {.has_amount = size & 1, .amount_minor = 100,
	    .currency = "", .date = "", .reference = size & 2 ? "X" : "",
	    .bank_code = "", .method = ""};
	char why[256];
	ocr_review(&f, &m, why, sizeof why);
	/* The scanners on the folded whole. */
	char *fold = malloc(size + 1);
	if (fold) {
		ocr_fold(s, fold, NULL, size + 1);
		for (size_t i = 0; fold[i]; i++) {
			struct ocr_number num;
			char iso[11];
			ocr_scan_number(fold, i, &num);
			ocr_scan_date(fold, i, iso);
		}
		free(fold);
	}
	ocr_text_release(&t);
	free(s);
	return 0;
}

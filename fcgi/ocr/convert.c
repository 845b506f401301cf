/* convert.c — see convert.h.  Leptonica decodes (it is Tesseract's image
 * library, built with GIF, WebP and TIFF support on Debian). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>

#include "ocr/convert.h"

const char *
ocr_convertible(const unsigned char *h, size_t n)
{
	if (n >= 6 && (memcmp(h, "GIF87a", 6) == 0 || memcmp(h, "GIF89a", 6) == 0))
		return "GIF";
	if (n >= 14 && h[0] == 'B' && h[1] == 'M')
		return "BMP";
	if (n >= 12 && memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WEBP", 4) == 0)
		return "WebP";
	if (n >= 8 && (memcmp(h, "II*\0", 4) == 0 || memcmp(h, "MM\0*", 4) == 0))
		return "TIFF";
	return NULL;
}

/* Width and height from the header where it is simple (GIF, BMP): no
 * library decodes anything of a file that lies about its size. */
static bool
own_header(const unsigned char *h, size_t n, long long *w, long long *ht)
{
	if (n >= 10 && memcmp(h, "GIF8", 4) == 0) {
		*w = h[6] | h[7] << 8;
		*ht = h[8] | h[9] << 8;
		return true;
	}
	if (n >= 26 && h[0] == 'B' && h[1] == 'M') {
		int32_t bw, bh;
		memcpy(&bw, h + 18, 4); /* little-endian, as is x86 and arm */
		memcpy(&bh, h + 22, 4);
		*w = bw < 0 ? -(long long)bw : bw;
		*ht = bh < 0 ? -(long long)bh : bh; /* negative: top-down rows */
		return true;
	}
	return false;
}

cb_err
ocr_convert_png(const unsigned char *data, size_t n, long max_pixels,
    unsigned char **png, size_t *pnglen, char *why, size_t whylen)
{
	l_int32 fmt, w, h, bps, spp, cmap;
	long long ow, oh;
	*png = NULL;
	*pnglen = 0;
	if (own_header(data, n, &ow, &oh) && ow * oh > max_pixels) {
		snprintf(why, whylen, "%lld x %lld pixels is more than the %ld"
		    " allowed", ow, oh, max_pixels);
		return CB_ETOOBIG;
	}
	if (pixReadHeaderMem(data, n, &fmt, &w, &h, &bps, &spp, &cmap) != 0 ||
	    w <= 0 || h <= 0) {
		snprintf(why, whylen, "the image's header cannot be read");
		return CB_EINVAL;
	}
	if ((long long)w * h > max_pixels) {
		snprintf(why, whylen, "%d x %d pixels is more than the %ld allowed",
		    w, h, max_pixels);
		return CB_ETOOBIG;
	}
	PIX *pix = pixReadMem(data, n);
	if (!pix) {
		snprintf(why, whylen, "the image cannot be decoded");
		return CB_EINVAL;
	}
	l_uint8 *out = NULL;
	size_t len = 0;
	int rc = pixWriteMem(&out, &len, pix, IFF_PNG);
	pixDestroy(&pix);
	if (rc != 0 || !out) {
		snprintf(why, whylen, "the image cannot be converted");
		return CB_EINVAL;
	}
	/* Leptonica allocates with malloc; handed over as is. */
	*png = out;
	*pnglen = len;
	return CB_OK;
}

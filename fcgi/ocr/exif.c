/* exif.c — see exif.h. */
#include <string.h>

#include "ocr/exif.h"

static unsigned
rd16(const unsigned char *p, int le)
{
	return le ? (unsigned)p[0] | (unsigned)p[1] << 8
	          : (unsigned)p[0] << 8 | (unsigned)p[1];
}

static unsigned long
rd32(const unsigned char *p, int le)
{
	return le ? (unsigned long)rd16(p, 1) | (unsigned long)rd16(p + 2, 1) << 16
	          : (unsigned long)rd16(p, 0) << 16 | (unsigned long)rd16(p + 2, 0);
}

static int
from_tiff(const unsigned char *t, size_t n)
{
	if (n < 8)
		return 1;
	int le;
	if (t[0] == 'I' && t[1] == 'I')
		le = 1;
	else if (t[0] == 'M' && t[1] == 'M')
		le = 0;
	else
		return 1;
	unsigned long ifd = rd32(t + 4, le);
	if (ifd > n - 2)
		return 1;
	unsigned cnt = rd16(t + ifd, le);
	for (unsigned i = 0; i < cnt; i++) {
		size_t e = ifd + 2 + (size_t)i * 12;
		if (e + 12 > n)
			return 1;
		if (rd16(t + e, le) == 0x0112) {
			unsigned v = rd16(t + e + 8, le);
			return v >= 1 && v <= 8 ? (int)v : 1;
		}
	}
	return 1;
}

int
exif_orientation(const unsigned char *j, size_t len)
{
	size_t p = 2;
	if (len < 4 || j[0] != 0xff || j[1] != 0xd8)
		return 1;
	while (p + 4 <= len) {
		if (j[p] != 0xff)
			return 1;
		unsigned char m = j[p + 1];
		if (m == 0xda || m == 0xd9)
			return 1; /* image data: no EXIF before it */
		size_t seglen = rd16(j + p + 2, 0);
		if (seglen < 2 || p + 2 + seglen > len)
			return 1;
		if (m == 0xe1 && seglen >= 8 && memcmp(j + p + 4, "Exif\0\0", 6) == 0)
			return from_tiff(j + p + 10, seglen - 8);
		p += 2 + seglen;
	}
	return 1;
}

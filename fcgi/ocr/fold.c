/*
 * fold.c — UTF-8 to upper-case ASCII, so that label and number matching
 * sees "Número de operación" and "NUMERO DE OPERACION" alike.  Currency
 * signs without an ASCII spelling (₡, ¢) become '#'; '°' and 'º' become
 * 'O' ("N°" reads "NO"); other non-ASCII characters become '?'.
 */
#include <string.h>

#include "ocr/extract.h"

static char
fold_cp(unsigned cp)
{
	if (cp < 0x80) {
		char c = (char)cp;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if ((unsigned char)c < 0x20)
			c = ' ';
		return c;
	}
	switch (cp) {
	case 0xc0: case 0xc1: case 0xc2: case 0xc3: case 0xc4: case 0xc5:
	case 0xe0: case 0xe1: case 0xe2: case 0xe3: case 0xe4: case 0xe5:
	case 0xaa:
		return 'A';
	case 0xc8: case 0xc9: case 0xca: case 0xcb:
	case 0xe8: case 0xe9: case 0xea: case 0xeb:
		return 'E';
	case 0xcc: case 0xcd: case 0xce: case 0xcf:
	case 0xec: case 0xed: case 0xee: case 0xef:
		return 'I';
	case 0xd2: case 0xd3: case 0xd4: case 0xd5: case 0xd6:
	case 0xf2: case 0xf3: case 0xf4: case 0xf5: case 0xf6:
	case 0xba: case 0xb0:
		return 'O';
	case 0xd9: case 0xda: case 0xdb: case 0xdc:
	case 0xf9: case 0xfa: case 0xfb: case 0xfc:
		return 'U';
	case 0xd1: case 0xf1:
		return 'N';
	case 0xc7: case 0xe7:
		return 'C';
	case 0xa2: case 0x20a1:
		return '#';
	case 0xa0: case 0x2009: case 0x202f:
		return ' ';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
		return '-';
	}
	return '?';
}

size_t
ocr_fold(const char *in, char *out, int *map, size_t cap)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0;
	while (s[i] && o + 1 < cap) {
		unsigned cp;
		size_t len = 1;
		if (s[i] < 0x80)
			cp = s[i];
		else if ((s[i] & 0xe0) == 0xc0 && (s[i + 1] & 0xc0) == 0x80) {
			cp = ((s[i] & 0x1fu) << 6) | (s[i + 1] & 0x3fu);
			len = 2;
		} else if ((s[i] & 0xf0) == 0xe0 && (s[i + 1] & 0xc0) == 0x80 &&
		    (s[i + 2] & 0xc0) == 0x80) {
			cp = ((s[i] & 0x0fu) << 12) | ((s[i + 1] & 0x3fu) << 6) |
			    (s[i + 2] & 0x3fu);
			len = 3;
		} else if ((s[i] & 0xf8) == 0xf0 && (s[i + 1] & 0xc0) == 0x80 &&
		    (s[i + 2] & 0xc0) == 0x80 && (s[i + 3] & 0xc0) == 0x80) {
			cp = 0xfffd;
			len = 4;
		} else
			cp = 0xfffd;
		out[o] = fold_cp(cp);
		if (map)
			map[o] = (int)i;
		o++;
		i += len;
	}
	out[o] = '\0';
	return o;
}

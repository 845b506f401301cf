/* fuzz_document.c — what runs on an upload's raw bytes before any
 * decoder: type sniffing, the tail check, EXIF orientation, and file-name
 * sanitising (the input's first line is taken as the name). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/document.h"
#include "ocr/exif.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum doc_type t = doc_sniff(data, size);
	for (int k = DOC_JPEG; k <= DOC_PDF; k++)
		doc_check_tail((enum doc_type)k, data, size > 1024 ? 1024 : size);
	exif_orientation(data, size);
	size_t n = 0;
	while (n < size && data[n] != '\n')
		n++;
	char *name = malloc(n + 1);
	if (!name)
		return 0;
	memcpy(name, data, n);
	name[n] = '\0';
	char out[DOC_NAME_MAX + 1];
	doc_sanitize_name(name, t == DOC_NONE ? DOC_PDF : t, out);
	if (strlen(out) > DOC_NAME_MAX || strchr(out, '/') || strchr(out, '\n'))
		abort();
	free(name);
	return 0;
}

/* fuzz_config.c — libFuzzer target for the INI parser (conf/config.c). */
#include <stddef.h>
#include <stdint.h>

#include "conf/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	char err[256];
	if (config_defaults(&c) == CB_OK)
		(void)config_parse(&c, (const char *)data, size, "fuzz", err,
		    sizeof err);
	config_free(&c);
	return 0;
}

/* unit.h — each unit test program defines unit_suite(); main.c runs it. */
#ifndef CB_UNIT_H
#define CB_UNIT_H
#include <check.h>
Suite *unit_suite(void);
#endif

#include "unit.h"
Suite *unit_suite(void){Suite *s=suite_create("config");return s;}

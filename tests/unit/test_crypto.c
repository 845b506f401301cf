#include "unit.h"
Suite *unit_suite(void){Suite *s=suite_create("crypto");return s;}

#!/bin/sh
# style.sh — banned functions in fcgi/ (curl's list, plus atoi): each is
# either unbounded or hides errors; and json-c constructors outside jsonx.c.
# Prints TAP.
top=${top_srcdir:-.}
banned='\<(atoi|atol|sprintf|vsprintf|strcpy|strcat|gets|strtok|strncpy)[[:space:]]*\('
echo "1..3"
hits=$(grep -rnE "$banned" "$top/fcgi" --include='*.c' --include='*.h' || true)
if [ -z "$hits" ]; then echo "ok 1 - no banned functions in fcgi/"; else
  echo "not ok 1 - banned functions in fcgi/"; echo "$hits" | sed 's/^/# /'; fi
# scanf-family with an unbounded %s
hits=$(grep -rnE 'scanf\([^)]*%s' "$top/fcgi" --include='*.c' || true)
if [ -z "$hits" ]; then echo "ok 2 - no unbounded scanf %s"; else
  echo "not ok 2 - unbounded scanf %s"; echo "$hits" | sed 's/^/# /'; fi
# json-c constructors whose NULL would become JSON null: only util/jsonx.c
# calls them (jsonx.h says why).
hits=$(grep -rnE '\<json_object_(new_[a-z0-9_]+|object_add|array_add)[[:space:]]*\(' \
  "$top/fcgi" --include='*.c' | grep -v '/fcgi/util/jsonx\.c:' || true)
if [ -z "$hits" ]; then echo "ok 3 - json-c values built only through jsonx"; else
  echo "not ok 3 - unchecked json-c constructors"; echo "$hits" | sed 's/^/# /'; fi

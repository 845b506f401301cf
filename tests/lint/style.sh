#!/bin/sh
# style.sh — banned functions in fcgi/ (curl's list, plus atoi): each is
# either unbounded or hides errors.  Prints TAP.
top=${top_srcdir:-.}
banned='\<(atoi|atol|sprintf|vsprintf|strcpy|strcat|gets|strtok|strncpy)[[:space:]]*\('
echo "1..2"
hits=$(grep -rnE "$banned" "$top/fcgi" --include='*.c' --include='*.h' || true)
if [ -z "$hits" ]; then echo "ok 1 - no banned functions in fcgi/"; else
  echo "not ok 1 - banned functions in fcgi/"; echo "$hits" | sed 's/^/# /'; fi
# scanf-family with an unbounded %s
hits=$(grep -rnE 'scanf\([^)]*%s' "$top/fcgi" --include='*.c' || true)
if [ -z "$hits" ]; then echo "ok 2 - no unbounded scanf %s"; else
  echo "not ok 2 - unbounded scanf %s"; echo "$hits" | sed 's/^/# /'; fi

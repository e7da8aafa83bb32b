#!/bin/sh
# checkbanned.sh: fail when C sources use a banned function (STYLE.md C4)
# or call sqlite3_exec outside src/db/db.c (where it runs literal or
# embedded migration SQL only).
set -u
cd "$(dirname "$0")/.."
status=0
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find src tests tools -name '*.[ch]')
banned='(^|[^a-zA-Z0-9_>.])(sprintf|vsprintf|strcpy|strcat|strncpy|strncat|strtok|gets|atoi|atol|atoll|system|popen|rand)[[:space:]]*\('
if grep -nE "$banned" $files; then
  echo "checkbanned: banned functions above (STYLE.md C4)" >&2
  status=1
fi
if grep -n 'sqlite3_exec[[:space:]]*(' $files | grep -v '^src/db/db.c:'; then
  echo "checkbanned: sqlite3_exec outside src/db/db.c" >&2
  status=1
fi
exit $status

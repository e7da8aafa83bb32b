#!/bin/sh
# checkoutput.sh: the output and SQL rules of STYLE.md C7 and C9.
#  - HTML is written only through the escaping writer: page and API files
#    never append to buffers or print directly, and html_raw_ is used only
#    by the html_lit() macro;
#  - SQL lives only in *_store.c files and src/db/.
set -u
cd "$(dirname "$0")/.."
status=0
pages=$(git ls-files 'src/*_pages.c' 'src/*_api.c' 2>/dev/null)
if grep -nE '(buf_append|buf_appendf|buf_puts|buf_putc)[[:space:]]*\(|(^|[^a-z_])(f?printf|puts|fputs|fwrite)[[:space:]]*\(' $pages; then
  echo "checkoutput: direct output in a page or API file (use html_printf / the JSON writer)" >&2
  status=1
fi
if git ls-files 'src/*.c' 'src/*.h' | grep -v '^src/core/html\.[ch]$' |
   xargs grep -n 'html_raw_[[:space:]]*(' | grep -v 'define html_lit'; then
  echo "checkoutput: html_raw_ outside core/html (use html_lit)" >&2
  status=1
fi
if git ls-files 'src/*.c' | grep -v '_store\.c$' | grep -v '^src/db/' |
   xargs grep -nE '(sqlite3_(prepare|step|bind|column|exec)|db_prepare)[_a-z0-9]*[[:space:]]*\('; then
  echo "checkoutput: SQL outside *_store.c and src/db/" >&2
  status=1
fi
exit $status

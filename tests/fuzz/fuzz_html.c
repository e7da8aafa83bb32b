/*
 * fuzz_html.c: property fuzzer for the HTML writer (core/html.c).
 *
 * For every input, abort() when one of these does not hold:
 * - html_printf("%s"), html_printf("%.*s") and html_str() write no <, >,
 *   " or ', every & starts one of &amp; &lt; &gt; &quot; &#39;, and
 *   decoding those entities gives back exactly the bytes written (up to
 *   the first NUL for %s, all of them for html_str);
 * - html_template() with the input as template and as argument writes
 *   no raw <, >, " or ' and only the five entities, even when it stops
 *   at the cap;
 * - html_urlarg() writes only [A-Za-z0-9%-._~], every % starts %XX with
 *   upper-case hex of a byte that needed encoding, and decoding gives
 *   back the input.
 *
 * Depends on core/{html,buf,str,mem}.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int ok)
{
  if(!ok) {
    abort();
  }
}

/* The entity starting at p (which is '&') and its decoded byte; 0 when p
 * starts none of the five. */
static size_t entity(const char *p, size_t left, char *c)
{
  static const struct {
    const char *text;
    char c;
  } ents[] = {
    { "&amp;", '&' },  { "&lt;", '<' },   { "&gt;", '>' },
    { "&quot;", '"' }, { "&#39;", '\'' },
  };
  size_t i;

  for(i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
    size_t n = strlen(ents[i].text);
    if(left >= n && memcmp(p, ents[i].text, n) == 0) {
      *c = ents[i].c;
      return n;
    }
  }
  return 0;
}

/*
 * Abort unless out is safe escaped HTML; when want is not NULL, also
 * unless it decodes to exactly want[0..want_len).
 */
static void check_escaped(const char *out, size_t len, const char *want,
                          size_t want_len)
{
  size_t i = 0, k = 0;

  while(i < len) {
    char c = out[i];
    require(c != '<' && c != '>' && c != '"' && c != '\'');
    if(c == '&') {
      size_t n = entity(out + i, len - i, &c);
      require(n > 0);
      i += n;
    }
    else {
      i++;
    }
    if(want) {
      require(k < want_len && want[k] == c);
    }
    k++;
  }
  if(want) {
    require(k == want_len);
  }
}

static int hex_value(char c)
{
  if(c >= '0' && c <= '9') {
    return c - '0';
  }
  if(c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1; /* lower case is not what html_urlarg writes */
}

static int unreserved(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
         c == '~';
}

/* Abort unless out is the canonical percent-encoding of in. */
static void check_urlarg(const char *out, size_t len, const uint8_t *in,
                         size_t in_len)
{
  size_t i = 0, k = 0;

  while(i < len) {
    unsigned char c = (unsigned char)out[i];
    if(c == '%') {
      int hi, lo;
      require(len - i >= 3);
      hi = hex_value(out[i + 1]);
      lo = hex_value(out[i + 2]);
      require(hi >= 0 && lo >= 0);
      c = (unsigned char)(hi * 16 + lo);
      require(!unreserved(c)); /* no needless encoding */
      i += 3;
    }
    else {
      require(unreserved(c));
      i++;
    }
    require(k < in_len && in[k] == c);
    k++;
  }
  require(k == in_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *cstr = malloc(size + 1);
  size_t clen;
  struct html h;
  const char *args[1];

  require(cstr != NULL);
  if(size) {
    memcpy(cstr, data, size);
  }
  cstr[size] = 0;
  clen = strlen(cstr);

  /* %s: up to the first NUL */
  html_init(&h, 6 * size + 64);
  html_printf(&h, "%s", cstr);
  require(h.out.err == ST_OK);
  check_escaped(html_cstr(&h), h.out.len, cstr, clen);
  html_free(&h);

  /* %.*s with a precision taken from the input */
  html_init(&h, 6 * size + 64);
  html_printf(&h, "%.*s", (int)(size % 17), cstr);
  require(h.out.err == ST_OK);
  check_escaped(html_cstr(&h), h.out.len, cstr,
                clen < size % 17 ? clen : size % 17);
  html_free(&h);

  /* html_str: every byte, NULs included */
  html_init(&h, 6 * size + 64);
  html_str(&h, (struct str){ (const char *)data, size });
  require(h.out.err == ST_OK);
  check_escaped(html_cstr(&h), h.out.len, (const char *)data, size);
  html_free(&h);

  /* html_template: the input as template and argument; a small cap, so
   * what was written before ST_TOOBIG is checked as well */
  html_init(&h, 64 * 1024);
  args[0] = cstr;
  html_template(&h, cstr, 1, args);
  require(h.out.err == ST_OK || h.out.err == ST_TOOBIG);
  check_escaped(html_cstr(&h), h.out.len, NULL, 0);
  html_free(&h);

  /* html_urlarg */
  html_init(&h, 3 * size + 64);
  html_urlarg(&h, (struct str){ (const char *)data, size });
  require(h.out.err == ST_OK);
  check_urlarg(html_cstr(&h), h.out.len, data, size);
  html_free(&h);

  free(cstr);
  return 0;
}

/*
 * fuzz_form.c: libFuzzer target for http/form.c.  The whole input goes
 * through form_parse_urlencoded() and form_parse_cookies(); its first
 * line (up to 70 bytes) is used as the boundary for form_parse_multipart()
 * over the rest, and as the value of a Content-Type for form_boundary().
 *
 * Properties checked (abort() when one fails):
 * - every param name and value is valid UTF-8, NUL-terminated, and a
 *   name holds no NUL;
 * - every upload's data lies inside the input buffer, and its name and
 *   filename are valid UTF-8;
 * - a failed parse leaves the caller's arrays and counts unchanged;
 * - no result exceeds max;
 * - form_boundary() returns a view of at most 70 bytes into its input.
 *
 * Depends on http/form and core/{arena,str,utf8,mem}.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "http/form.h"

/* Small, so that long inputs (-max_len above a few KiB) reach the cap. */
#define FUZZ_ARENA_MAX    (16u << 10)
#define FUZZ_MAX_PAIRS    64
#define FUZZ_BOUNDARY_MAX 70

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int ok)
{
  if(!ok) {
    abort();
  }
}

/* Check the properties of n params (see the file comment). */
static void check_params(const struct param *params, size_t n)
{
  size_t i;

  require(n <= FUZZ_MAX_PAIRS);
  for(i = 0; i < n; i++) {
    require(params[i].name && params[i].value);
    require(utf8_valid(str_c(params[i].name), NULL));
    require(utf8_valid((struct str){ params[i].value, params[i].len }, NULL));
    require(params[i].value[params[i].len] == 0);
  }
}

static void check_uploads(const struct upload *uploads, size_t n,
                          struct str in)
{
  size_t i;

  for(i = 0; i < n; i++) {
    require(uploads[i].name && uploads[i].filename);
    require(utf8_valid(str_c(uploads[i].name), NULL));
    require(utf8_valid(str_c(uploads[i].filename), NULL));
    require(uploads[i].filename[0] != 0);
    require(uploads[i].data.p >= in.p);
    require(uploads[i].data.len <= in.len);
    require((size_t)(uploads[i].data.p - in.p) <=
            in.len - uploads[i].data.len);
  }
}

/* Run the urlencoded or cookie parser and check the outcome. */
static void run_pairs(struct str in, struct arena *a, int is_cookie)
{
  struct param *params = NULL;
  size_t n = 0;
  enum status st;

  if(is_cookie) {
    st = form_parse_cookies(in, a, &params, &n, FUZZ_MAX_PAIRS);
  }
  else {
    st = form_parse_urlencoded(in, a, &params, &n, FUZZ_MAX_PAIRS);
  }
  if(st) {
    require(st == ST_INVALID || st == ST_TOOBIG);
    require(!is_cookie || st == ST_TOOBIG);
    require(!params && n == 0);
    return;
  }
  check_params(params, n);
}

static void run_multipart(struct str body, struct str boundary,
                          struct arena *a)
{
  struct param *params = NULL;
  struct upload *uploads = NULL;
  size_t n_params = 0, n_uploads = 0;
  enum status st;

  st = form_parse_multipart(body, boundary, a, &params, &n_params, &uploads,
                            &n_uploads, FUZZ_MAX_PAIRS);
  if(st) {
    require(st == ST_INVALID || st == ST_TOOBIG);
    require(!params && !uploads && n_params == 0 && n_uploads == 0);
    return;
  }
  require(n_params + n_uploads <= FUZZ_MAX_PAIRS);
  check_params(params, n_params);
  check_uploads(uploads, n_uploads, body);
}

/* form_boundary() on the first line as a NUL-terminated string. */
static void run_boundary(struct str line)
{
  char *ct = xmalloc(line.len + 1);
  struct str b;

  if(line.len) {
    memcpy(ct, line.p, line.len);
  }
  ct[line.len] = 0;
  b = form_boundary(ct);
  require(b.p != NULL);
  require(b.len <= FUZZ_BOUNDARY_MAX);
  if(b.len) {
    size_t ct_len = strlen(ct);
    require(b.p >= ct && (size_t)(b.p - ct) <= ct_len - b.len);
  }
  free(ct);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct str in = { (const char *)data, size };
  struct str boundary, body;
  const char *nl;
  size_t b_len;
  struct arena a;

  arena_init(&a, FUZZ_ARENA_MAX);
  run_pairs(in, &a, 0);
  arena_reset(&a);
  run_pairs(in, &a, 1);
  arena_reset(&a);

  /* first line (without CR) as the boundary, the rest as the body */
  nl = size ? memchr(data, '\n', size) : NULL;
  b_len = nl ? (size_t)(nl - in.p) : size;
  if(b_len > FUZZ_BOUNDARY_MAX) {
    b_len = FUZZ_BOUNDARY_MAX;
    nl = NULL;
  }
  boundary.p = in.p;
  boundary.len = b_len;
  body.p = in.p + b_len + (nl ? 1 : 0);
  body.len = size - b_len - (nl ? 1 : 0);
  if(boundary.len && boundary.p[boundary.len - 1] == '\r') {
    boundary.len--;
  }
  run_boundary(boundary);
  run_multipart(body, boundary, &a);
  arena_reset(&a);
  return 0;
}

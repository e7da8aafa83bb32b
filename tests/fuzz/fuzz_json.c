/*
 * fuzz_json.c: property fuzzer for the JSON writer (core/json.c).
 *
 * Each input is written as {"<input>":["<input>","<input bytes>"]}: the
 * key and the first value with json_key() and json_str() (a C string, so
 * up to the first NUL), the second with json_strn() (every byte, NULs
 * included).  abort() when one of these does not hold:
 * - json_done() is true and the text is valid UTF-8 with no raw < > &,
 *   no raw U+2028/2029 and no raw control character;
 * - jansson's json_loadb() parses it (NULs allowed) into one object
 *   member holding an array of two strings;
 * - every string parses back to the input with each invalid UTF-8
 *   sequence replaced by U+FFFD, one per byte that utf8_next() rejects;
 *   in particular, for valid UTF-8 input, to the input's exact bytes.
 *
 * Depends on jansson and core/{json,buf,str,utf8,mem}.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/json.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int ok)
{
  if(!ok) {
    abort();
  }
}

/* What the writer promises s reads back as: s with every byte that
 * starts no valid sequence replaced by U+FFFD. */
static void expected(struct buf *b, struct str s)
{
  size_t pos = 0;

  buf_clear(b);
  while(pos < s.len) {
    size_t start = pos;
    if(utf8_next(s, &pos) < 0) {
      buf_puts(b, "\xEF\xBF\xBD");
    }
    else {
      buf_append(b, s.p + start, pos - start);
    }
  }
  require(b->err == ST_OK);
}

/* Abort unless the JSON text is plain, HTML-safe, valid UTF-8. */
static void check_text(const struct buf *b)
{
  size_t i;

  require(utf8_valid((struct str){ b->data, b->len }, NULL));
  for(i = 0; i < b->len; i++) {
    unsigned char c = (unsigned char)b->data[i];
    require(c >= 0x20 && c != 0x7f && c != '<' && c != '>' && c != '&');
    if(c == 0xE2 && i + 2 < b->len && (unsigned char)b->data[i + 1] == 0x80) {
      unsigned char c3 = (unsigned char)b->data[i + 2];
      require(c3 != 0xA8 && c3 != 0xA9);
    }
  }
}

/* Abort unless the JSON string v holds exactly want. */
static void check_string(json_t *v, const struct buf *want)
{
  require(json_is_string(v));
  require(json_string_length(v) == want->len);
  require(memcmp(json_string_value(v), want->data, want->len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct str all = { (const char *)data, size };
  struct buf out, want_c, want_all;
  struct json j;
  json_t *root, *arr;
  json_error_t err;
  const char *key;
  char *cstr = malloc(size + 1);
  size_t clen;

  require(cstr != NULL);
  if(size) {
    memcpy(cstr, data, size);
  }
  cstr[size] = 0;
  clen = strlen(cstr);

  buf_init(&out, 18 * size + 64);
  json_init(&j, &out);
  json_obj_begin(&j);
  json_key(&j, cstr);
  json_arr_begin(&j);
  json_str(&j, cstr);
  json_strn(&j, all);
  json_arr_end(&j);
  json_obj_end(&j);
  require(json_done(&j));
  check_text(&out);

  root = json_loadb(out.data, out.len, JSON_ALLOW_NUL, &err);
  require(root != NULL);
  require(json_is_object(root) && json_object_size(root) == 1);

  buf_init(&want_c, 3 * size + 16);
  buf_init(&want_all, 3 * size + 16);
  expected(&want_c, (struct str){ cstr, clen });
  expected(&want_all, all);
  if(utf8_valid(all, NULL)) {
    /* valid input comes back byte for byte, NULs included */
    require(want_all.len == size && memcmp(want_all.data, data, size) == 0);
  }

  key = json_object_iter_key(json_object_iter(root));
  arr = json_object_iter_value(json_object_iter(root));
  require(key != NULL && strlen(key) == want_c.len &&
          memcmp(key, want_c.data, want_c.len) == 0);
  require(json_is_array(arr) && json_array_size(arr) == 2);
  check_string(json_array_get(arr, 0), &want_c);
  check_string(json_array_get(arr, 1), &want_all);

  json_decref(root);
  buf_free(&out);
  buf_free(&want_c);
  buf_free(&want_all);
  free(cstr);
  return 0;
}

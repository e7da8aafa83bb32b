/*
 * fuzz_mask.c: libFuzzer target for the personal-data scanner and its
 * operators (core/mask.h).  Depends on core/{mask,buf,utf8,mem} and
 * libsodium.
 *
 * Two texts per input:
 *
 * 1. The raw bytes, any bytes: mask_scan() must report findings inside
 *    the text, ascending and non-overlapping, the same on every pass of
 *    the scanner (byte by byte, AVX2, AVX-512: mask_scan_pass()), and
 *    mask_text() and mask_reveal() must not crash (ASan: no read outside
 *    the input, which is the fuzzer's own exact-size buffer).
 *
 * 2. A text built from the input: pieces of the input kept where they
 *    are valid UTF-8, and between them identifiers planted with fresh
 *    digits from the input: a TW_ID with a valid checksum (ASCII or
 *    full-width), a payment card (Luhn, plain or grouped) and a mobile
 *    number (plain, grouped, +886).  Each planted identifier stands
 *    between two full-width commas, so it is never glued to an ASCII
 *    letter or digit.  Then abort() unless:
 *    - each planted identifier is exactly one finding, the same on every
 *      pass;
 *    - findings are ascending, non-overlapping and on character
 *      boundaries;
 *    - the masked text of every operator is valid UTF-8, and with
 *      replace no planted identifier's text is left in it (it may occur
 *      as often as the pieces themselves hold it);
 *    - encrypting and then revealing with the same key gives the text
 *      back.
 *
 * Build: cmake --preset fuzz && cmake --build --preset fuzz; run with
 *   build/fuzz/tests/fuzz/fuzz_mask -dict=tests/fuzz/mask.dict
 *   tests/fuzz/corpus/mask
 */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mask.h"
#include "core/mem.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PLANTED 64
#define MAX_FOUND   4096
#define MAX_TEXT    (1u << 16)

/* Findings of one scan. */
struct found {
  struct mask_finding f[MAX_FOUND];
  size_t n;
};

static int collect(void *ctx, const struct mask_finding *f)
{
  struct found *r = ctx;
  if(r->n == MAX_FOUND) {
    return 1;
  }
  r->f[r->n++] = *f;
  return 0;
}

/* abort() unless r's findings fit the contract on a text of n bytes. */
static void check_order(const struct found *r, size_t n)
{
  size_t end = 0;
  for(size_t i = 0; i < r->n; i++) {
    const struct mask_finding *f = &r->f[i];
    if(f->off < end || f->len == 0 || f->off > n || f->len > n - f->off ||
       (unsigned)f->entity >= MASK_N || !(f->score > 0.0f) ||
       f->score > 1.0f) {
      abort();
    }
    end = f->off + f->len;
  }
}

/* abort() unless every pass of the scanner (those this CPU has) reports
 * exactly the findings r holds for the n bytes at p and the entities of
 * set. */
static void same_on_every_pass(const char *p, size_t n, unsigned set,
                               const struct found *r)
{
  static struct found other;
  for(int pass = 0; pass <= 2; pass++) {
    other.n = 0;
    mask_scan_pass(p, n, set, collect, &other, pass);
    if(other.n != r->n) {
      abort();
    }
    for(size_t i = 0; i < r->n; i++) {
      if(other.f[i].entity != r->f[i].entity ||
         other.f[i].off != r->f[i].off || other.f[i].len != r->f[i].len ||
         other.f[i].score != r->f[i].score) {
        abort();
      }
    }
  }
}

/* Reads the fuzzer's bytes in order; zeros once they run out. */
struct input {
  const uint8_t *p;
  size_t n, at;
};

static unsigned next(struct input *in)
{
  return in->at < in->n ? in->p[in->at++] : 0;
}

static int digit(struct input *in)
{
  return (int)(next(in) % 10);
}

/* One planted identifier. */
struct planted {
  size_t off, len; /* its bytes in the text */
  char text[64];   /* those bytes, NUL-terminated */
};

struct builder {
  struct buf text;
  struct planted pl[MAX_PLANTED];
  size_t n_pl;
};

/* Append s between full-width commas and record it. */
static void plant(struct builder *b, const char *s)
{
  if(b->n_pl == MAX_PLANTED) {
    return;
  }
  buf_puts(&b->text, "，");
  struct planted *p = &b->pl[b->n_pl++];
  p->off = b->text.len;
  p->len = strlen(s);
  memcpy(p->text, s, p->len + 1);
  buf_puts(&b->text, s);
  buf_puts(&b->text, "，");
}

/* The letter codes of TW_ID (mask-spec.md). */
static const int letter_code[26] = {
  10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,
  22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33,
};

/* Append the ASCII character c, or its full-width form. */
static void put_char(char *out, size_t *o, char c, int wide)
{
  if(!wide) {
    out[(*o)++] = c;
    return;
  }
  /* U+FF10 + (c - '0') and U+FF21 + (c - 'A'): EF BC 90.. and EF BC A1.. */
  unsigned cp =
    c >= 'A' ? 0xFF21u + (unsigned)(c - 'A') : 0xFF10u + (unsigned)(c - '0');
  out[(*o)++] = (char)0xEF;
  out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[(*o)++] = (char)(0x80 | (cp & 0x3F));
}

static void plant_id(struct builder *b, struct input *in)
{
  unsigned flags = next(in);
  int letter = (int)(next(in) % 26);
  int d[9], sum, code = letter_code[letter];
  char out[64];
  size_t o = 0;
  d[0] = flags & 1 ? 2 : 1;
  for(int k = 1; k < 8; k++) {
    d[k] = digit(in);
  }
  sum = code / 10 + (code % 10) * 9;
  for(int k = 0; k < 8; k++) {
    sum += d[k] * (8 - k);
  }
  d[8] = (10 - sum % 10) % 10;
  put_char(out, &o, (char)('A' + letter), flags & 2);
  for(int k = 0; k < 9; k++) {
    put_char(out, &o, (char)('0' + d[k]), flags & 4);
  }
  out[o] = 0;
  plant(b, out);
}

static void plant_card(struct builder *b, struct input *in)
{
  unsigned flags = next(in);
  int d[16], sum = 0;
  char out[64];
  size_t o = 0;
  d[0] = 4;
  for(int k = 1; k < 15; k++) {
    d[k] = digit(in);
  }
  /* Luhn: double every second digit from the right, the check digit
   * being the first from the right */
  for(int k = 0; k < 15; k++) {
    int v = d[14 - k];
    if(!(k & 1)) {
      v *= 2;
      if(v > 9) {
        v -= 9;
      }
    }
    sum += v;
  }
  d[15] = (10 - sum % 10) % 10;
  for(int k = 0; k < 16; k++) {
    if(k && k % 4 == 0 && flags % 3) {
      out[o++] = flags % 3 == 1 ? ' ' : '-';
    }
    out[o++] = (char)('0' + d[k]);
  }
  out[o] = 0;
  plant(b, out);
}

static void plant_mobile(struct builder *b, struct input *in)
{
  unsigned flags = next(in);
  char d[9], out[64];
  size_t o = 0;
  d[0] = '9';
  for(int k = 1; k < 9; k++) {
    d[k] = (char)('0' + digit(in));
  }
  switch(flags % 5) {
  case 0: /* 0912345678 */
  case 1: /* 0912-345-678 */
  case 2: /* 0912 345 678 */
    out[o++] = '0';
    for(int k = 0; k < 9; k++) {
      if((k == 3 || k == 6) && flags % 5) {
        out[o++] = flags % 5 == 1 ? '-' : ' ';
      }
      out[o++] = d[k];
    }
    break;
  default: /* +886912345678, +886-912-345-678 */
    memcpy(out, "+886", 4);
    o = 4;
    for(int k = 0; k < 9; k++) {
      if((k == 0 || k == 3 || k == 6) && flags % 5 == 4) {
        out[o++] = '-';
      }
      out[o++] = d[k];
    }
    break;
  }
  out[o] = 0;
  plant(b, out);
}

/* Append up to len bytes of the input, keeping only valid UTF-8
 * characters. */
static void piece(struct builder *b, struct input *in, size_t len)
{
  size_t end = in->at + len > in->n ? in->n : in->at + len;
  struct str s = { (const char *)in->p + in->at, end - in->at };
  size_t pos = 0;
  while(pos < s.len) {
    size_t at = pos;
    int32_t cp = utf8_next(s, &pos);
    if(cp >= 0) {
      buf_append(&b->text, s.p + at, pos - at);
    }
  }
  in->at = end;
}

/* Occurrences of the NUL-terminated needle in p[0..n). */
static size_t count(const char *p, size_t n, const char *needle)
{
  size_t l = strlen(needle), c = 0;
  for(size_t i = 0; l && i + l <= n; i++) {
    if(memcmp(p + i, needle, l) == 0) {
      c++;
    }
  }
  return c;
}

static void check_planted(const struct builder *b, const struct found *r)
{
  const char *t = b->text.data;
  size_t n = b->text.len;
  check_order(r, n);
  for(size_t i = 0; i < r->n; i++) {
    size_t a = r->f[i].off, e = a + r->f[i].len;
    if((a < n && ((unsigned char)t[a] & 0xC0) == 0x80) ||
       (e < n && ((unsigned char)t[e] & 0xC0) == 0x80)) {
      abort(); /* not on a character boundary */
    }
  }
  for(size_t k = 0; k < b->n_pl; k++) {
    const struct planted *p = &b->pl[k];
    size_t i;
    for(i = 0; i < r->n; i++) {
      if(r->f[i].off == p->off && r->f[i].len == p->len) {
        break;
      }
    }
    if(i == r->n) {
      abort(); /* a planted identifier was missed or cut */
    }
  }
}

static void check_masked(const struct builder *b, const struct mask_key *key)
{
  static const enum mask_op ops[] = { MASK_OP_REPLACE, MASK_OP_REDACT,
                                      MASK_OP_PARTIAL, MASK_OP_HASH,
                                      MASK_OP_ENCRYPT };
  const char *t = b->text.data;
  size_t n = b->text.len;
  for(size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
    struct buf out;
    buf_init(&out, 64 * n + 4096);
    mask_text(&out, t, n, MASK_DEFAULT, ops[o], key);
    if(out.err || !utf8_valid((struct str){ out.data, out.len }, NULL)) {
      abort();
    }
    if(ops[o] == MASK_OP_REPLACE) {
      for(size_t k = 0; k < b->n_pl; k++) {
        size_t same = 0;
        for(size_t j = 0; j < b->n_pl; j++) {
          same += strcmp(b->pl[j].text, b->pl[k].text) == 0;
        }
        if(count(out.data, out.len, b->pl[k].text) >
           count(t, n, b->pl[k].text) - same) {
          abort(); /* a planted identifier is still there */
        }
      }
    }
    if(ops[o] == MASK_OP_ENCRYPT) {
      struct buf back;
      buf_init(&back, n + 4096);
      mask_reveal(&back, out.data, out.len, key);
      if(back.err || back.len != n || memcmp(back.data, t, n) != 0) {
        abort(); /* encrypt then reveal must give the text back */
      }
      buf_free(&back);
    }
    buf_free(&out);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static struct found r;
  static int ready;
  struct mask_key key;
  struct input in = { data, size, 0 };
  struct builder b;

  if(!ready) {
    if(sodium_init() < 0) {
      abort();
    }
    ready = 1;
  }
  memset(key.hash, 0x11, sizeof(key.hash));
  memset(key.enc, 0x22, sizeof(key.enc));

  /* 1. the raw bytes */
  r.n = 0;
  mask_scan((const char *)data, size, MASK_ALL, collect, &r);
  check_order(&r, size);
  same_on_every_pass((const char *)data, size, MASK_ALL, &r);
  {
    struct buf out;
    buf_init(&out, 64 * size + 4096);
    mask_text(&out, (const char *)data, size, MASK_ALL, MASK_OP_PARTIAL, NULL);
    buf_clear(&out);
    mask_reveal(&out, (const char *)data, size, &key);
    buf_free(&out);
  }

  /* 2. a text with planted identifiers */
  memset(&b, 0, sizeof(b));
  buf_init(&b.text, MAX_TEXT);
  while(in.at < in.n && b.text.len < MAX_TEXT - 256) {
    unsigned op = next(&in);
    switch(op % 8) {
    case 4:
      plant_id(&b, &in);
      break;
    case 5:
      plant_card(&b, &in);
      break;
    case 6:
      plant_mobile(&b, &in);
      break;
    case 7:
      buf_putc(&b.text, '\n');
      break;
    default:
      piece(&b, &in, op >> 3);
      break;
    }
  }
  if(!b.text.err && b.text.len > 0) {
    r.n = 0;
    mask_scan(b.text.data, b.text.len, MASK_DEFAULT, collect, &r);
    if(r.n < MAX_FOUND) {
      same_on_every_pass(b.text.data, b.text.len, MASK_DEFAULT, &r);
      check_planted(&b, &r);
      check_masked(&b, &key);
    }
  }
  buf_free(&b.text);
  return 0;
}

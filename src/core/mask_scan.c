/*
 * mask_scan.c: the scanner of core/mask.h.
 *
 * Two stages.  A vector pass (AVX-512BW or AVX2 when the CPU has it,
 * the same test byte by byte otherwise; ISMS_MASK_ISA=avx2|scalar asks
 * for less) marks the few positions where an identifier can start: the
 * digit runs whose shape can be a phone number, an ID or a card (a run
 * continuing a dotted, slashed, dashed or timed number never is), a
 * full-width digit, '@', the characters 人 名 號 生 護 編 that end a name,
 * address or context keyword, the ASCII keywords (birth, born, DOB,
 * passport, UBN, VAT, Tax ID) and "Name:", "Contact:" ... .  Each mark
 * goes to a small recogniser that reads the text around it (full-width
 * forms folded to ASCII by fw_at) and either reports a finding or says
 * where scanning goes on, skipping whole tokens (a hash, an IP address,
 * a CVE id) so that their other marks cost nothing.  Dates of birth,
 * passports and 統一編號 are read forward from their keyword.
 *
 * Findings are reported in order and never overlap: s->floor is the end
 * of the last one, and no recogniser reaches back before it.  Every pass
 * reports the same findings.
 */
#include "mask.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#endif

struct scan {
  const unsigned char *p;
  size_t n;
  unsigned set; /* entities wanted */
  mask_fn *fn;
  void *ctx;
  size_t floor; /* end of the last finding */
  size_t count; /* findings reported */
  int stop;     /* fn asked to stop */
};

#define ON(s, e) ((s)->set & (1u << (e)))

/* ---- characters ---- */

/* Branch-free: c may be -1 or -2 (fw_at, fw_before), which wraps to a
 * large unsigned number and fails every test. */
static int is_digit(int c)
{
  return (unsigned)(c - '0') < 10u;
}

static int is_upper(int c)
{
  return (unsigned)(c - 'A') < 26u;
}

static int is_alpha(int c)
{
  return (unsigned)((c | 0x20) - 'a') < 26u;
}

static int is_alnum(int c)
{
  return is_digit(c) || is_alpha(c);
}

/*
 * The character at p[i] as ASCII: an ASCII byte itself, a full-width form
 * (U+FF01..FF5E) as its ASCII twin; *w is its width in bytes.  -1 for any
 * other byte (*w = 1) and at the end (*w = 0).
 */
__attribute__((always_inline)) static inline int fw_at(const struct scan *s,
                                                       size_t i, size_t *w)
{
  const unsigned char *p = s->p;
  if(i >= s->n) {
    *w = 0;
    return -1;
  }
  unsigned c = p[i];
  if(c < 0x80) {
    *w = 1;
    return (int)c;
  }
  if(c == 0xef && i + 2 < s->n) {
    unsigned c1 = p[i + 1], c2 = p[i + 2];
    if(c1 == 0xbc && c2 >= 0x81 && c2 <= 0xbf) {
      *w = 3;
      return (int)(0x21 + (c2 - 0x81));
    }
    if(c1 == 0xbd && c2 >= 0x80 && c2 <= 0x9e) {
      *w = 3;
      return (int)(0x60 + (c2 - 0x80));
    }
  }
  *w = 1;
  return -1;
}

/* The character that ends just before p[i] (not looking before lo), as
 * fw_at() reads it; -1 (*w = 0) at lo, -2 for another non-ASCII
 * character (*w = its width, or 1 in broken UTF-8). */
static int fw_before(const struct scan *s, size_t lo, size_t i, size_t *w)
{
  const unsigned char *p = s->p;
  if(i <= lo) {
    *w = 0;
    return -1;
  }
  unsigned c = p[i - 1];
  if(c < 0x80) {
    *w = 1;
    return (int)c;
  }
  if(i - lo >= 3 && p[i - 3] == 0xef) {
    size_t w3;
    int a = fw_at(s, i - 3, &w3);
    if(a >= 0 && w3 == 3) {
      *w = 3;
      return a;
    }
  }
  /* Back to the lead byte of this character, at most 3 steps. */
  size_t k = i - 1, steps = 0;
  while(k > lo && (p[k] & 0xc0) == 0x80 && steps < 3) {
    k--;
    steps++;
  }
  *w = (p[k] & 0xc0) == 0x80 ? 1 : i - k;
  return -2;
}

/*
 * The literals the recognisers look for are a few bytes long and mostly
 * differ from the text in their first or second byte: a loop that stops
 * there costs less than strlen() and memcmp() calls (which were a tenth
 * of the scan on dense text).
 */

/* 1 if p[i..] holds the bytes of lit. */
__attribute__((always_inline)) static inline int
at_lit(const struct scan *s, size_t i, const char *lit)
{
  const unsigned char *l = (const unsigned char *)lit;
  size_t k = 0;
  for(; l[k]; k++) {
    if(i + k >= s->n || s->p[i + k] != l[k]) {
      return 0;
    }
  }
  return 1;
}

/* 1 if the bytes of lit end just before p[i], not before lo. */
__attribute__((always_inline)) static inline int
before_lit(const struct scan *s, size_t lo, size_t i, const char *lit)
{
  const unsigned char *l = (const unsigned char *)lit;
  size_t len = 0;
  while(l[len]) {
    len++;
  }
  if(i < lo + len) {
    return 0;
  }
  for(size_t k = len; k > 0; k--) {
    if(s->p[i - len + k - 1] != l[k - 1]) {
      return 0;
    }
  }
  return 1;
}

/* The width of the CJK ideograph (U+3400..U+9FFF) at p[i], else 0. */
__attribute__((always_inline)) static inline size_t
cjk_at(const struct scan *s, size_t i)
{
  const unsigned char *p = s->p;
  if(i + 2 < s->n && p[i] >= 0xe3 && p[i] <= 0xe9 &&
     (p[i + 1] & 0xc0) == 0x80 && (p[i + 2] & 0xc0) == 0x80) {
    if(p[i] == 0xe3 && p[i + 1] < 0x90) {
      return 0; /* U+3000..U+33FF: punctuation, kana */
    }
    return 3;
  }
  return 0;
}

/*
 * Sets of 3-byte characters (U+0800..U+FFFF), one bit per set in a table
 * by code point, built once by cset_init(): a surname is one lookup
 * instead of a walk along 200 of them.
 */
enum {
  CS_SURNAME = 1,    /* surnames */
  CS_NAME_FIRST = 2, /* name_stop_first */
  CS_STOP_NEXT = 4,  /* the first character of a name_stop_next word */
  CS_NUMERAL = 8,    /* numerals */
  CS_DIRECTION = 16, /* directions */
  CS_ADMIN = 32,     /* admin_marks */
  CS_GAP = 64,       /* gap_cjk */
  CS_DISTRICT = 128, /* 區鄉鎮市 */
};

static unsigned char cset[0x10000];

static unsigned cp3(const unsigned char *q)
{
  return (q[0] & 0x0fu) << 12 | (q[1] & 0x3fu) << 6 | (q[2] & 0x3fu);
}

/* Add the characters of set (a string of 3-byte UTF-8 characters). */
static void cset_add(const char *set, unsigned bit)
{
  for(const unsigned char *c = (const unsigned char *)set; *c; c += 3) {
    cset[cp3(c)] |= (unsigned char)bit;
  }
}

/* 1 if the character at p[i] is a 3-byte one in the sets of bit. */
__attribute__((always_inline)) static inline int cjk_in(const struct scan *s,
                                                        size_t i, unsigned bit)
{
  const unsigned char *q = s->p + i;
  return i + 3 <= s->n && (q[0] & 0xf0) == 0xe0 && (q[1] & 0xc0) == 0x80 &&
         (q[2] & 0xc0) == 0x80 && (cset[cp3(q)] & bit);
}

/* ---- findings ---- */

static void emit(struct scan *s, enum mask_entity e, size_t off, size_t end,
                 float score)
{
  if(off < s->floor) {
    off = s->floor;
  }
  if(end <= off || s->stop) {
    return;
  }
  struct mask_finding f = { e, off, end - off, score };
  s->floor = end;
  s->count++;
  if(s->fn && s->fn(s->ctx, &f)) {
    s->stop = 1;
  }
}

/* ---- context keywords ---- */

/* Characters that may stand between a keyword and its value. */
static const char gap_cjk[] = "：（）日期年月號碼為是民國字之的";

/* Words that may stand between an ASCII keyword and its value
 * (Passport No.: , Date of birth: , born on , birthday: , Birthdate ). */
static const char *const gap_words[] = {
  "No", "no", "NO", "Number", "number", "date", "Date", "of",
  "on", "is", "ID", "Nr",     "day",    "Day",  NULL,
};

/*
 * Where the value after a keyword that ends at byte i begins: past at
 * most 24 bytes of filler (spaces, ':', '.', '#', '(', ')', '-', the
 * characters of gap_cjk, the words of gap_words).  Returns that offset.
 */
static size_t value_after(const struct scan *s, size_t i)
{
  size_t end = i + 24 < s->n ? i + 24 : s->n;
  while(i < end) {
    size_t w;
    int c = fw_at(s, i, &w);
    if(c == ' ' || c == ':' || c == '.' || c == '#' || c == '(' || c == ')' ||
       c == '-' || c == '\t' || c == '=') {
      i += w;
      continue;
    }
    if(c == -1 && cjk_in(s, i, CS_GAP)) {
      i += 3;
      continue;
    }
    if(is_alpha(c)) {
      size_t k;
      for(k = 0; gap_words[k]; k++) {
        size_t l = strlen(gap_words[k]);
        if(at_lit(s, i, gap_words[k]) &&
           !is_alpha(i + l < s->n ? s->p[i + l] : 0)) {
          i += l;
          break;
        }
      }
      if(gap_words[k]) {
        continue;
      }
    }
    break;
  }
  return i;
}

/* ---- checksums ---- */

/* The code of an ID's first letter (A=10 ... as the ministry numbers
 * them), or -1. */
static int id_letter(int c)
{
  static const signed char code[26] = {
    10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,
    22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33,
  };
  return is_upper(c) ? code[c - 'A'] : -1;
}

/* 1 if letter code L, first digit d1 (0..9) and the eight digits d pass
 * the ID checksum. */
static int id_sum_ok(int code, int d1, const char *d8)
{
  int sum = code / 10 + (code % 10) * 9 + d1 * 8;
  for(int k = 0; k < 7; k++) {
    sum += (d8[k] - '0') * (7 - k);
  }
  sum += d8[7] - '0';
  return sum % 10 == 0;
}

static int luhn_ok(const char *d, int n)
{
  int sum = 0;
  for(int k = 0; k < n; k++) {
    int v = d[n - 1 - k] - '0';
    if(k & 1) {
      v *= 2;
      if(v > 9) {
        v -= 9;
      }
    }
    sum += v;
  }
  return sum % 10 == 0;
}

static int card_prefix_ok(const char *d)
{
  int two = (d[0] - '0') * 10 + (d[1] - '0');
  int four = two * 100 + (d[2] - '0') * 10 + (d[3] - '0');
  return d[0] == '4' || (two >= 51 && two <= 55) ||
         (four >= 2221 && four <= 2720) || two == 34 || two == 37 ||
         two == 35 || two == 62;
}

static int ubn_ok(const char *d)
{
  static const int wt[8] = { 1, 2, 1, 2, 1, 2, 4, 1 };
  int sum = 0;
  for(int k = 0; k < 8; k++) {
    int v = (d[k] - '0') * wt[k];
    sum += v / 10 + v % 10;
  }
  return sum % 5 == 0 || (d[6] == '7' && (sum + 1) % 5 == 0);
}

/* ---- digit tokens ---- */

#define MAXG 6
#define MAXD 24

/* Digit groups from a start: "0912-345-678", "4111 1111 1111 1111",
 * "(02)2345-6789" (the ')' is a separator after the first group). */
struct tok {
  size_t start;     /* first digit */
  int ng;           /* groups */
  size_t ge[MAXG];  /* byte end of each group */
  int cum[MAXG];    /* digits up to the end of each group */
  int gl[MAXG];     /* digits of each group */
  char sep[MAXG];   /* separator after each group, or 0 */
  char d[MAXD + 1]; /* the digits */
};

static void read_tok(const struct scan *s, size_t start, int paren,
                     struct tok *t)
{
  size_t i = start, w;
  int nd = 0;
  t->start = start;
  t->ng = 0;
  while(t->ng < MAXG) {
    int len = 0, c;
    while((c = fw_at(s, i, &w)) >= '0' && c <= '9') {
      if(nd == MAXD) {
        break;
      }
      t->d[nd++] = (char)c;
      len++;
      i += w;
    }
    t->gl[t->ng] = len;
    t->ge[t->ng] = i;
    t->cum[t->ng] = nd;
    t->sep[t->ng] = 0;
    t->ng++;
    if(nd == MAXD || is_digit(c)) {
      break;
    }
    size_t w2;
    if((c == '-' || c == ' ') && is_digit(fw_at(s, i + w, &w2))) {
      t->sep[t->ng - 1] = (char)c;
      i += w;
      continue;
    }
    if(c == ')' && paren && t->ng == 1) {
      size_t j = i + w;
      if(fw_at(s, j, &w2) == ' ') {
        j += w2;
      }
      if(is_digit(fw_at(s, j, &w2))) {
        t->sep[0] = ')';
        i = j;
        continue;
      }
    }
    break;
  }
  t->d[nd] = 0;
}

/* 1 if what follows byte i ends a token: not an ASCII letter or digit,
 * not an e-mail local part going on to '@'. */
static int ends_token(const struct scan *s, size_t i)
{
  size_t w;
  int c = fw_at(s, i, &w);
  if(is_alnum(c) || c == '@') {
    return 0;
  }
  if(c == '.' || c == '_' || c == '%' || c == '+' || c == '-') {
    /* "a1234.x@host": the local part of an address */
    for(size_t k = i + 1; k < s->n && k < i + 64; k++) {
      int d = s->p[k];
      if(d == '@') {
        return 0;
      }
      if(!is_alnum(d) && d != '.' && d != '_' && d != '%' && d != '+' &&
         d != '-') {
        break;
      }
    }
  }
  return 1;
}

/* The end of the ASCII alphanumeric token around byte i (for skipping a
 * hash, a word with digits). */
static size_t skip_alnum(const struct scan *s, size_t i)
{
  size_t w;
  while(i < s->n && is_alnum(fw_at(s, i, &w))) {
    i += w;
  }
  return i;
}

/* Phone numbers: the digits d[0..nd) with the international prefix or
 * not. */
static int phone_digits_ok(const char *d, int nd, int intl)
{
  if(intl) {
    if(nd < 3 || memcmp(d, "886", 3) != 0) {
      return 0;
    }
    d += 3;
    nd -= 3;
    if(d[0] == '9') {
      return nd == 9;
    }
    return d[0] >= '2' && d[0] <= '8' && (nd == 8 || nd == 9);
  }
  if(nd < 2 || d[0] != '0') {
    return 0;
  }
  if(d[1] == '9') {
    return nd == 10;
  }
  return d[1] >= '2' && d[1] <= '8' && (nd == 9 || nd == 10);
}

/* A phone number in t starting at byte from: the byte end, or 0. */
static size_t phone(const struct scan *s, const struct tok *t, int intl)
{
  int best = -1;
  for(int g = 0; g < t->ng; g++) {
    /* single-digit groups only right after 886 */
    if(t->gl[g] < 2 && !(intl && g == 1) && t->ng > 1) {
      break;
    }
    if(phone_digits_ok(t->d, t->cum[g], intl)) {
      best = g;
    }
    if(t->cum[g] > 12) {
      break;
    }
  }
  if(best < 0) {
    return 0;
  }
  /* more digits glued on with '-' make it something else */
  if(best + 1 < t->ng && t->sep[best] == '-') {
    return 0;
  }
  if(!ends_token(s, t->ge[best])) {
    return 0;
  }
  return t->ge[best];
}

/* A card number in t: the byte end, or 0. */
static size_t card(const struct scan *s, const struct tok *t)
{
  for(int g = t->ng - 1; g >= 0; g--) {
    int nd = t->cum[g];
    if(nd < 13 || nd > 19) {
      continue;
    }
    int grouped = 1;
    if(g > 0) {
      int amex = g == 2 && t->gl[0] == 4 && t->gl[1] == 6 && t->gl[2] == 5;
      for(int k = 0; k < g && !amex; k++) {
        if(t->gl[k] != 4 || t->sep[k] == ')') {
          grouped = 0;
        }
      }
    }
    if(!grouped || !card_prefix_ok(t->d) || !luhn_ok(t->d, nd)) {
      continue;
    }
    if(g + 1 < t->ng && t->sep[g] == '-') {
      continue;
    }
    if(!ends_token(s, t->ge[g])) {
      continue;
    }
    return t->ge[g];
  }
  return 0;
}

/* Read 1..max digits at p[*i] into *v; returns the count. */
static int digits(const struct scan *s, size_t *i, int max, int *v)
{
  size_t w;
  int c, k = 0;
  *v = 0;
  while(k < max && (c = fw_at(s, *i, &w)) >= '0' && c <= '9') {
    *v = *v * 10 + (c - '0');
    *i += w;
    k++;
  }
  if(k == max && is_digit(fw_at(s, *i, &w))) {
    return 0;
  }
  return k;
}

/* A date at p[start]: 1986-03-02, 1986/3/2, 1986.03.02, 19860302,
 * 1986年3月2日, 75年3月2日, 075/03/02, 0750302.  The byte end, or 0. */
static size_t date_at(const struct scan *s, size_t start)
{
  size_t i = start, j = start, w;
  int y, m, d, ny, v;
  /* 19860302 or 0750302: all digits (digits() refuses a longer run) */
  int nd = digits(s, &j, 8, &v);
  if(nd == 7 || nd == 8) {
    y = v / 10000;
    ny = nd - 4;
    m = v / 100 % 100;
    d = v % 100;
    i = j;
  }
  else {
    ny = digits(s, &i, 4, &y);
    int c = fw_at(s, i, &w);
    int cjk = at_lit(s, i, "年");
    if(ny < 2 || !(c == '-' || c == '/' || c == '.' || cjk)) {
      return 0;
    }
    int sep = c;
    i += cjk ? 3 : w;
    if(!digits(s, &i, 2, &m)) {
      return 0;
    }
    if(cjk) {
      if(!at_lit(s, i, "月")) {
        return 0;
      }
      i += 3;
    }
    else {
      if(fw_at(s, i, &w) != sep) {
        return 0;
      }
      i += w;
    }
    if(!digits(s, &i, 2, &d)) {
      return 0;
    }
    if(cjk && at_lit(s, i, "日")) {
      i += 3;
    }
  }
  if(ny == 4 ? (y < 1900 || y > 2100) : (y < 1 || y > 199)) {
    return 0;
  }
  if(m < 1 || m > 12 || d < 1 || d > 31) {
    return 0;
  }
  size_t w2;
  int after = fw_at(s, i, &w2);
  if(is_alnum(after)) {
    return 0;
  }
  return i;
}

/* A run of digits glued to ASCII letters before it: an ID, a resident
 * certificate, a passport with letters, or a word to skip. */
static size_t lettered(struct scan *s, size_t k, int c1, size_t w1)
{
  size_t w2, w3;
  size_t l1 = k - w1; /* the letter just before the digits */
  int c2 = fw_before(s, 0, l1, &w2);
  struct tok t;
  read_tok(s, k, 0, &t);
  int run = t.gl[0];
  size_t end = t.ge[0];
  /* letter + 9 digits: ID or new resident certificate */
  if(is_upper(c1) && run == 9 && !is_alnum(c2) && ends_token(s, end)) {
    int code = id_letter(c1);
    char first = t.d[0];
    if(id_sum_ok(code, first - '0', t.d + 1)) {
      if(first == '1' || first == '2') {
        if(ON(s, MASK_TW_ID)) {
          emit(s, MASK_TW_ID, l1, end, 1.0f);
          return end;
        }
      }
      else if(first == '8' || first == '9') {
        if(ON(s, MASK_TW_ARC)) {
          emit(s, MASK_TW_ARC, l1, end, 1.0f);
          return end;
        }
      }
    }
  }
  /* two letters + 8 digits: old resident certificate */
  if(is_upper(c1) && is_upper(c2) && run == 8 && c1 <= 'D' &&
     !is_alnum(fw_before(s, 0, l1 - w2, &w3)) && ends_token(s, end)) {
    int code = id_letter(c2);
    int second = id_letter(c1) % 10;
    if(id_sum_ok(code, second, t.d) && ON(s, MASK_TW_ARC)) {
      emit(s, MASK_TW_ARC, l1 - w2, end, 1.0f);
      return end;
    }
  }
  return skip_alnum(s, end);
}

/* A run of digits (ASCII or full-width) starting at k. */
static size_t on_digits(struct scan *s, size_t k)
{
  size_t w, wb, w2;
  int cb = fw_before(s, 0, k, &wb);
  if(is_digit(cb)) {
    /* inside a run (full-width digits mark each one) */
    return k + 1;
  }
  if(is_alpha(cb)) {
    return lettered(s, k, cb, wb);
  }
  /* CVE-2024-12345 */
  if(cb == '-' && k >= 4 &&
     (before_lit(s, 0, k, "CVE-") || before_lit(s, 0, k, "cve-"))) {
    size_t i = k;
    while(i < s->n && (is_digit(s->p[i]) || (s->p[i] == '-' && i + 1 < s->n &&
                                             is_digit(s->p[i + 1])))) {
      i++;
    }
    return i; /* the id's digits and single dashes: not "--" and on */
  }
  int paren = cb == '(';
  struct tok t;
  read_tok(s, k, paren, &t);
  size_t end0 = t.ge[0];
  int after0 = fw_at(s, end0, &w);
  if(is_alpha(after0) || after0 == '_') {
    return skip_alnum(s, end0); /* 3f2a..., 64bit, 12px */
  }
  if(after0 == '@' || !ends_token(s, end0)) {
    return end0; /* an e-mail address: '@' takes it */
  }
  /* dotted: IP addresses and versions */
  if(after0 == '.' && is_digit(fw_at(s, end0 + 1, &w2))) {
    size_t i = end0;
    while(i < s->n && (is_digit(s->p[i]) || (s->p[i] == '.' && i + 1 < s->n &&
                                             is_digit(s->p[i + 1])))) {
      i++;
    }
    return i; /* the digits and single dots: not ".." and on */
  }
  /* phone numbers */
  if(ON(s, MASK_PHONE)) {
    /* 886 as the first three digits of the first group (+88 6912... is
     * no international number) */
    int intl = t.gl[0] >= 3 && t.d[0] == '8' && t.d[1] == '8' && t.d[2] == '6';
    /* the finding starts at the '+' of +886 and the '(' of (02) */
    size_t from = cb == '+' || (paren && t.sep[0] == ')') ? k - wb : k;
    /* +886, 886 and a separator, or a bare 886912345678 (one run: the
     * length test in phone() decides) */
    if((intl && (cb == '+' || t.gl[0] == 3 || t.ng == 1)) || t.d[0] == '0') {
      size_t e = phone(s, &t, intl);
      if(e && !(cb == '+' && !intl)) {
        emit(s, MASK_PHONE, from, e, t.d[intl ? 3 : 1] == '9' ? 0.9f : 0.75f);
        return e;
      }
    }
  }
  /* payment cards */
  if(ON(s, MASK_CARD) && t.cum[t.ng - 1] >= 13) {
    size_t e = card(s, &t);
    if(e) {
      emit(s, MASK_CARD, k, e, 1.0f);
      return e;
    }
  }
  return end0;
}

/* ---- context: dates of birth, passports, 統一編號 ---- */

/* A keyword that announces a value: its bytes, the offset in them of the
 * bytes that mark it, and what the value is. */
struct ctx_kw {
  const char *lit;
  size_t mark;
  enum mask_entity e;
};

static const struct ctx_kw ctx_kws[] = {
  { "出生", 3, MASK_DOB },
  { "生日", 0, MASK_DOB },
  { "birth", 2, MASK_DOB },
  { "Birth", 2, MASK_DOB },
  { "BIRTH", 2, MASK_DOB },
  { "born", 1, MASK_DOB },
  { "Born", 1, MASK_DOB },
  { "DOB", 0, MASK_DOB },
  { "dob", 0, MASK_DOB },
  { "D.O.B", 2, MASK_DOB },
  { "護照", 0, MASK_PASSPORT },
  { "passport", 2, MASK_PASSPORT },
  { "Passport", 2, MASK_PASSPORT },
  { "PASSPORT", 2, MASK_PASSPORT },
  { "統編", 3, MASK_UBN },
  { "統一編號", 9, MASK_UBN },
  { "UBN", 0, MASK_UBN },
  { "VAT", 0, MASK_UBN },
  { "Tax ID", 2, MASK_UBN },
  { "tax ID", 2, MASK_UBN },
  { NULL, 0, MASK_N },
};

/* The passport number at p[j]: up to two upper-case letters and 6-9
 * digits.  The byte end, or 0. */
static size_t passport_at(const struct scan *s, size_t j)
{
  size_t i = j, w;
  int letters = 0, v;
  while(letters < 2 && is_upper(fw_at(s, i, &w))) {
    i += w;
    letters++;
  }
  int nd = digits(s, &i, 9, &v);
  if(nd < 6 || is_alpha(fw_at(s, i, &w)) || !ends_token(s, i)) {
    return 0;
  }
  return i;
}

/* The 統一編號 at p[j]: 8 digits with a valid checksum.  The byte end, or
 * 0. */
static size_t ubn_at(const struct scan *s, size_t j)
{
  size_t i = j, w;
  char d[9];
  int n = 0, c;
  while(n < 9 && (c = fw_at(s, i, &w)) >= '0' && c <= '9') {
    d[n++] = (char)c;
    i += w;
  }
  if(n != 8 || !ubn_ok(d) || is_alpha(fw_at(s, i, &w)) || !ends_token(s, i)) {
    return 0;
  }
  return i;
}

/* A context keyword marked at k: its value after it.  Returns where
 * scanning goes on. */
static size_t on_keyword(struct scan *s, size_t k)
{
  for(size_t q = 0; ctx_kws[q].lit; q++) {
    const struct ctx_kw *kw = &ctx_kws[q];
    if((unsigned char)kw->lit[kw->mark] != s->p[k]) {
      continue;
    }
    size_t l = strlen(kw->lit);
    if(k < kw->mark || !at_lit(s, k - kw->mark, kw->lit)) {
      continue;
    }
    size_t from = k - kw->mark, end = from + l, w;
    if(is_alpha((unsigned char)kw->lit[0]) &&
       (is_alnum(fw_before(s, 0, from, &w)) ||
        (kw->e != MASK_DOB && is_alpha(fw_at(s, end, &w))))) {
      continue; /* newborn, passports, 02passport: a longer word */
    }
    if(!ON(s, kw->e)) {
      return end;
    }
    size_t j = value_after(s, end), e;
    switch(kw->e) {
    case MASK_DOB:
      e = date_at(s, j);
      break;
    case MASK_PASSPORT:
      e = passport_at(s, j);
      break;
    default:
      e = ubn_at(s, j);
      break;
    }
    if(e) {
      emit(s, kw->e, j, e, kw->e == MASK_UBN ? 0.95f : 0.9f);
      return e;
    }
    return end;
  }
  return k + 1;
}

/* ---- e-mail ---- */

/* The bytes of an e-mail address's local part: letters, digits and
 * . _ % + - (a table: on_at() walks every byte of every address). */
static const unsigned char local_bytes[256] = {
  ['.'] = 1, ['_'] = 1, ['%'] = 1, ['+'] = 1, ['-'] = 1, ['0'] = 1, ['1'] = 1,
  ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1,
  ['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
  ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1,
  ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
  ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1,
  ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
  ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1,
  ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1,
  ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

static int local_char(int c)
{
  return local_bytes[(unsigned char)c];
}

/* Bytes of a domain name: letters, digits, '-' and '.'. */
static int domain_byte(int c)
{
  return is_alnum(c) || c == '-' || c == '.';
}

#if defined(__SSE2__)
/* 16 bytes at q as bits (bit i for q[i]): letters and digits, and the
 * bytes of extra (up to 5, NUL-terminated).  SSE2 is part of x86-64, so
 * no target attribute: the address walks below run on every path. */
static unsigned bytes16(const unsigned char *q, const char *extra)
{
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
  __m128i f = _mm_or_si128(v, _mm_set1_epi8(0x20));
  __m128i t = _mm_sub_epi8(f, _mm_set1_epi8('a'));
  __m128i u = _mm_sub_epi8(v, _mm_set1_epi8('0'));
  __m128i m =
    _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(25)), t),
                 _mm_cmpeq_epi8(_mm_min_epu8(u, _mm_set1_epi8(9)), u));
  for(; *extra; extra++) {
    m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8(*extra)));
  }
  return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* The start of the run of e-mail local-part bytes that ends before k,
 * not before lo. */
static size_t local_start(const struct scan *s, size_t lo, size_t k)
{
  const unsigned char *p = s->p;
  size_t a = k;
#if defined(__SSE2__)
  while(a >= lo + 16) {
    unsigned m = ~bytes16(p + a - 16, "._%+-") & 0xffffu;
    if(m) {
      return a - 16 + (size_t)(31 - __builtin_clz(m)) + 1;
    }
    a -= 16;
  }
#endif
  while(a > lo && local_char(p[a - 1])) {
    a--;
  }
  return a;
}

/* The end of the run of domain bytes from i, not past lim. */
static size_t domain_end(const struct scan *s, size_t i, size_t lim)
{
  const unsigned char *p = s->p;
#if defined(__SSE2__)
  while(i + 16 <= lim) {
    unsigned m = ~bytes16(p + i, ".-") & 0xffffu;
    if(m) {
      return i + (size_t)__builtin_ctz(m);
    }
    i += 16;
  }
#endif
  while(i < lim && domain_byte(p[i])) {
    i++;
  }
  return i;
}

/* '@' at k: an e-mail address around it.  The local part is read back
 * and the domain forward as runs of their bytes (16 at a time); only the
 * dots are then looked at one by one. */
static size_t on_at(struct scan *s, size_t k)
{
  const unsigned char *p = s->p;
  size_t lo = k - s->floor > 64 ? k - 64 : s->floor;
  size_t a = local_start(s, lo, k);
  while(a < k && (p[a] == '.' || p[a] == '-')) {
    a++;
  }
  if(a == k) {
    return k + 1;
  }
  /* domain: labels of letters, digits and '-', at least one dot, and a
   * top-level label of two or more letters; it ends at the first dot
   * that does not stand between two labels */
  size_t lim = s->n - k > 256 ? k + 256 : s->n;
  size_t r = domain_end(s, k + 1, lim);
  size_t i = k + 1, last_dot = 0, label = k + 1; /* where the label began */
  for(;;) {
    const unsigned char *dot = memchr(p + i, '.', r - i);
    if(!dot) {
      i = r;
      break;
    }
    size_t d = (size_t)(dot - p);
    if(d == label || d + 1 >= s->n || !is_alnum(p[d + 1])) {
      i = d;
      break;
    }
    last_dot = d;
    i = label = d + 1;
  }
  if(!last_dot || i - last_dot - 1 < 2) {
    return k + 1;
  }
  for(size_t j = last_dot + 1; j < i; j++) {
    if(!is_alpha(p[j])) {
      return k + 1;
    }
  }
  if(ON(s, MASK_EMAIL)) {
    emit(s, MASK_EMAIL, a, i, 0.95f);
  }
  return i;
}

/* ---- names ---- */

/* Characters a name does not begin with: the keyword is followed by
 * something else (聯絡人電話, 承辦人員, 姓名欄). */
static const char name_stop_first[] =
  "電信地資單部之的及與等應需須於在是欄名數身手傳職簽如請並未不均皆同本該此"
  "由員對代所務會結可計或虛";
/* Words that end a name: titles and what follows a name. */
static const char *const name_stop_next[] = {
  "先生", "小姐", "女士", "君",   "等",   "及",   "與",   "和",   "於",
  "之",   "的",   "電話", "分機", "手機", "已",   "表示", "稱",   "說",
  "來",   "將",   "在",   "為",   "是",   "主任", "科長", "專員", "負責",
  "承辦", "聯絡", "請",   "同",   "擔任", "處長", "局長", "股長", "課長",
  "組長", "秘書", "技正", "技士", "科員", "辦理", "提出", "通報", "反映",
  "向",   "至",   "到",   "（",   NULL,
};

/* 1 if a word of name_stop_next begins at p[i]. */
static int name_stops(const struct scan *s, size_t i)
{
  if(!cjk_in(s, i, CS_STOP_NEXT)) {
    return 0; /* most calls */
  }
  for(size_t k = 0; name_stop_next[k]; k++) {
    if(at_lit(s, i, name_stop_next[k])) {
      return 1;
    }
  }
  return 0;
}

/* Common surnames in Taiwan: a name not announced by a colon must
 * begin with one (收件人結果檔 is not a name, 聯絡人陳大文 is). */
static const char surnames[] =
  "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾彭游詹"
  "胡施沈余盧梁趙顏柯翁魏孫戴范方宋鄧杜傅侯曹薛丁卓阮馬董温溫唐藍蔣石古紀姚"
  "連馮歐程湯黄田康姜白汪鄒尤巫鐘黎涂龔嚴韓袁金童陸夏柳凃邵錢伍倪于譚駱熊任"
  "甘秦顧毛章史官萬俞雷粘饒孔霍易常武喬辛左段崔焦孟殷聶蒲龍麥包賀齊鮑";

/* Compound surnames, for four-character names. */
static const char *const compound[] = {
  "歐陽", "司馬", "諸葛", "上官", "張簡", "范姜", "周黃", "司徒",
  "東方", "夏侯", "皇甫", "端木", "長孫", "慕容", NULL,
};

/* A CJK name at p[i]: 2-4 ideographs.  The byte end, or 0.  Without
 * a colon before it (announced 0) it must begin with a common surname. */
static size_t cjk_name(const struct scan *s, size_t i, int announced)
{
  size_t at[5];
  int n = 0;
  size_t j = i;
  while(n < 4 && cjk_at(s, j)) {
    at[n++] = j;
    j += 3;
  }
  at[n] = j;
  if(n < 2 || cjk_in(s, i, CS_NAME_FIRST)) {
    return 0;
  }
  if(!announced && !cjk_in(s, i, CS_SURNAME)) {
    int comp = 0;
    for(size_t c = 0; compound[c]; c++) {
      comp |= at_lit(s, i, compound[c]);
    }
    if(!comp) {
      return 0;
    }
  }
  if(name_stops(s, at[1])) {
    return 0; /* 姓名連到此頁: one character is not a name */
  }
  int len = n >= 3 && !name_stops(s, at[2]) ? 3 : 2;
  for(size_t c = 0; compound[c]; c++) {
    if(at_lit(s, i, compound[c])) {
      len = n < 3 || name_stops(s, at[2])   ? 2 :
            n == 4 && !name_stops(s, at[3]) ? 4 :
                                              3;
      break;
    }
  }
  return at[len];
}

/* English: two or three capitalised words.  The byte end, or 0. */
static size_t latin_name(const struct scan *s, size_t i)
{
  const unsigned char *p = s->p;
  int words = 0;
  size_t end = 0;
  while(words < 3 && i < s->n && is_upper(p[i])) {
    size_t j = i + 1;
    while(j < s->n && ((p[j] >= 'a' && p[j] <= 'z') || p[j] == '\'' ||
                       (p[j] == '-' && j + 1 < s->n && is_alpha(p[j + 1])))) {
      j++;
    }
    if(j - i < 2) {
      break;
    }
    words++;
    end = j;
    if(j + 1 < s->n && p[j] == ' ' && is_upper(p[j + 1])) {
      i = j + 1;
    }
    else {
      break;
    }
  }
  if(words < 2 || (end < s->n && is_alnum(p[end]))) {
    return 0;
  }
  return end;
}

/* The value after a name keyword that ends before byte i. */
static size_t name_after(struct scan *s, size_t i)
{
  size_t w;
  int c = fw_at(s, i, &w);
  int announced = c == ':';
  if(c == ':' || c == ' ') {
    i += w;
    while(fw_at(s, i, &w) == ' ') {
      i += w;
    }
  }
  else if(at_lit(s, i, "　")) {
    i += 3;
  }
  if(at_lit(s, i, "為")) {
    i += 3;
  }
  size_t e = cjk_name(s, i, announced);
  if(!e) {
    e = latin_name(s, i);
  }
  if(e) {
    emit(s, MASK_NAME, i, e, 0.85f);
    return e;
  }
  return i;
}

static const char *const name_kw_ren[] = {
  "聯絡", "承辦", "申請", "負責", "當事", "報案",
  "通報", "收件", "寄件", "持卡", "聯繫", NULL,
};

/* 人 or 名 at k (or the pair check fired on other bytes). */
static size_t on_name_char(struct scan *s, size_t k)
{
  if(at_lit(s, k, "人")) {
    for(size_t i = 0; name_kw_ren[i]; i++) {
      if(before_lit(s, 0, k, name_kw_ren[i])) {
        /* 聯絡人員, 承辦人員: not a name keyword */
        return ON(s, MASK_NAME) ? name_after(s, k + 3) : k + 3;
      }
    }
    return k + 3;
  }
  if(at_lit(s, k, "名") && before_lit(s, 0, k, "姓")) {
    return ON(s, MASK_NAME) ? name_after(s, k + 3) : k + 3;
  }
  return k + 1;
}

/* "e:", "t:", "r:" at k: Name:, Contact:, Applicant:, Reporter:. */
static size_t on_colon_word(struct scan *s, size_t k)
{
  static const char *const kw[] = {
    "Name",     "name",      "NAME",      "Contact",   "contact",
    "CONTACT",  "Applicant", "applicant", "APPLICANT", "Reporter",
    "reporter", "REPORTER",  NULL,
  };
  if(!ON(s, MASK_NAME)) {
    return k + 2;
  }
  for(size_t i = 0; kw[i]; i++) {
    if(before_lit(s, 0, k + 1, kw[i])) {
      size_t w, l = strlen(kw[i]);
      if(is_alnum(fw_before(s, 0, k + 1 - l, &w))) {
        continue; /* "Hostname:", "Username:", "0000Name:" */
      }
      return name_after(s, k + 1);
    }
  }
  return k + 2;
}

/* ---- addresses ---- */

static const char *const cities[] = {
  "臺北市", "台北市", "新北市", "桃園市", "臺中市", "台中市", "臺南市",
  "台南市", "高雄市", "基隆市", "新竹市", "嘉義市", "新竹縣", "苗栗縣",
  "彰化縣", "南投縣", "雲林縣", "嘉義縣", "屏東縣", "宜蘭縣", "花蓮縣",
  "臺東縣", "台東縣", "澎湖縣", "金門縣", "連江縣", NULL,
};

static const char numerals[] = "一二三四五六七八九十";
static const char directions[] = "東西南北中";
static const char admin_marks[] = "區鄉鎮市縣里村鄰";

/* Back over digits (ASCII or full-width) ending at i: the start. */
static size_t back_digits(const struct scan *s, size_t lo, size_t i)
{
  size_t w;
  while(is_digit(fw_before(s, lo, i, &w))) {
    i -= w;
  }
  return i;
}

/* 號 at k: an address ending there, read backwards. */
static size_t on_hao(struct scan *s, size_t k)
{
  if(before_lit(s, 0, k, "統一編")) {
    return on_keyword(s, k);
  }
  if(!at_lit(s, k, "號") || !ON(s, MASK_ADDRESS)) {
    return k + 1;
  }
  size_t lo = s->floor;
  size_t i = back_digits(s, lo, k);
  if(i == k) {
    return k + 3;
  }
  /* 12之3號, 12-3號 */
  size_t w;
  if(before_lit(s, lo, i, "之") && back_digits(s, lo, i - 3) < i - 3) {
    i = back_digits(s, lo, i - 3);
  }
  else if(fw_before(s, lo, i, &w) == '-' &&
          back_digits(s, lo, i - w) < i - w) {
    i = back_digits(s, lo, i - w);
  }
  /* N弄, N巷 */
  if(before_lit(s, lo, i, "弄") && back_digits(s, lo, i - 3) < i - 3) {
    i = back_digits(s, lo, i - 3);
  }
  if(before_lit(s, lo, i, "巷") && back_digits(s, lo, i - 3) < i - 3) {
    i = back_digits(s, lo, i - 3);
  }
  /* N段 */
  if(before_lit(s, lo, i, "段") && i >= lo + 6) {
    size_t j = i - 3;
    if(cjk_in(s, j - 3, CS_NUMERAL)) {
      i = j - 3;
    }
    else if(back_digits(s, lo, j) < j) {
      i = back_digits(s, lo, j);
    }
  }
  /* the road */
  size_t road_end;
  if(before_lit(s, lo, i, "大道")) {
    road_end = i - 6;
  }
  else if(before_lit(s, lo, i, "路") || before_lit(s, lo, i, "街")) {
    road_end = i - 3;
  }
  else {
    return k + 3;
  }
  size_t r = road_end;
  if(r >= lo + 3 && cjk_in(s, r - 3, CS_NUMERAL | CS_DIRECTION)) {
    r -= 3;
  }
  /* The road's name: two characters, or three when an administrative
   * mark comes right before those three (羅斯福路 after 中正區). */
  size_t c[5];
  int have = 0;
  while(have < 4 && r >= lo + 3 * (size_t)(have + 1) &&
        cjk_at(s, r - 3 * (size_t)(have + 1))) {
    c[have] = r - 3 * (size_t)(have + 1);
    have++;
  }
  int len = have < 2 ? have : 2;
  if(have >= 4 && !cjk_in(s, c[2], CS_ADMIN) && cjk_in(s, c[3], CS_ADMIN)) {
    len = 3;
  }
  if(len < 1) {
    return k + 3;
  }
  size_t start = r - 3 * (size_t)len;
  /* between the district and the road, a village and its neighbourhood
   * (幸福里3鄰, 大同村): two characters and 里 or 村, three when a
   * district mark stands before them; only after a district or before a
   * neighbourhood (約兩公里中山路5號 has no village) */
  int lin = 0;
  if(before_lit(s, lo, start, "鄰") &&
     back_digits(s, lo, start - 3) < start - 3) {
    start = back_digits(s, lo, start - 3);
    lin = 1;
  }
  if((before_lit(s, lo, start, "里") || before_lit(s, lo, start, "村")) &&
     start >= lo + 9 && cjk_at(s, start - 9) && cjk_at(s, start - 6)) {
    size_t v = start - 9;
    if(v >= lo + 6 && !cjk_in(s, v - 3, CS_DISTRICT) &&
       cjk_in(s, v - 6, CS_DISTRICT)) {
      v -= 3;
    }
    if(lin || (v >= lo + 3 && cjk_in(s, v - 3, CS_DISTRICT))) {
      start = v;
    }
  }
  /* the city right before the road, or a district (X區) and the city
   * before it */
  int city = 0;
  int after_city =
    before_lit(s, lo, start, "市") || before_lit(s, lo, start, "縣");
  for(size_t q = 0; after_city && cities[q] && !city; q++) {
    if(before_lit(s, lo, start, cities[q])) {
      start -= strlen(cities[q]);
      city = 1;
    }
  }
  if(!city && start >= lo + 6 && cjk_in(s, start - 3, CS_DISTRICT)) {
    /* has_city, not d != 0: a city at the very start of the text (or
     * right after the last finding) begins at byte 0 */
    size_t m = start - 3, d = 0;
    int has_city = 0;
    for(size_t dl = 1; dl <= 3 && !has_city && m >= lo + 3 * dl; dl++) {
      size_t at = m - 3 * dl;
      if(!cjk_at(s, at)) {
        break;
      }
      int maybe = before_lit(s, lo, at, "市") || before_lit(s, lo, at, "縣");
      for(size_t q = 0; maybe && cities[q]; q++) {
        if(before_lit(s, lo, at, cities[q])) {
          d = at - strlen(cities[q]);
          has_city = 1;
          break;
        }
      }
    }
    if(has_city) {
      start = d;
      city = 1;
    }
    else if(m >= lo + 9 && (before_lit(s, lo, m, "太麻里") ||
                            before_lit(s, lo, m, "三地門") ||
                            before_lit(s, lo, m, "阿里山") ||
                            before_lit(s, lo, m, "那瑪夏"))) {
      start = m - 9; /* the districts of three characters and their mark */
    }
    else if(m >= lo + 6 && cjk_at(s, m - 6) && cjk_at(s, m - 3)) {
      start = m - 6;
    }
    else if(m >= lo + 3 && cjk_at(s, m - 3)) {
      start = m - 3;
    }
  }
  /* after 號: 之N, N樓, N樓之N */
  size_t e = k + 3, j;
  int v;
  j = e;
  if(at_lit(s, j, "之") && (j += 3, digits(s, &j, 4, &v))) {
    e = j;
  }
  j = e;
  size_t j0 = j;
  if(digits(s, &j, 3, &v) || (cjk_in(s, j0, CS_NUMERAL) && (j += 3, 1))) {
    if(at_lit(s, j, "樓")) {
      e = j + 3;
      j = e;
      if(at_lit(s, j, "之") && (j += 3, digits(s, &j, 4, &v))) {
        e = j;
      }
    }
  }
  emit(s, MASK_ADDRESS, start, e, city ? 0.9f : 0.8f);
  return e;
}

/* ---- the mark pass ---- */

/* One mark at k: the recogniser it calls.  Returns where to go on. */
static size_t on_mark(struct scan *s, size_t k)
{
  unsigned c = s->p[k];
  if(c >= '0' && c <= '9') {
    return on_digits(s, k);
  }
  if(c == '@') {
    return on_at(s, k);
  }
  if(c == 0xef && k + 2 < s->n && s->p[k + 1] == 0xbc &&
     s->p[k + 2] - 0x90u <= 9) {
    return on_digits(s, k);
  }
  if(c < 0x80) {
    /* "me:", "ct:", "nt:", "er:" (Name:, Contact:, Applicant:,
     * Reporter:) or a keyword */
    if(k + 2 < s->n && s->p[k + 2] == ':') {
      return on_colon_word(s, k + 1);
    }
    return on_keyword(s, k);
  }
  if(at_lit(s, k, "號")) {
    return on_hao(s, k);
  }
  if(at_lit(s, k, "護") || at_lit(s, k, "生") || at_lit(s, k, "編")) {
    return on_keyword(s, k);
  }
  return on_name_char(s, k);
}

static int sep_byte(unsigned c)
{
  return c == '.' || c == '/' || c == '-' || c == ':';
}

/* The three ASCII bytes that mark a keyword (case folded): birth, born,
 * DOB, D.O.B, passport, UBN, VAT, Tax ID; and "me:", "ct:", "nt:", "er:"
 * (Name:, Contact:, Applicant:, Reporter:). */
static const char ascii_marks[][4] = {
  "rth", "orn", "dob", "o.b", "ssp", "ubn", "vat", "x i",
};

static int ascii_trigger(unsigned c, unsigned a, unsigned b)
{
  if(b == ':') {
    c |= 0x20, a |= 0x20; /* NAME:, CONTACT: too */
    return (c == 'm' || c == 'c' || c == 'n' || c == 'e') &&
           (a == 'e' || a == 't' || a == 'r');
  }
  c |= 0x20, a |= 0x20, b |= 0x20; /* '.' and ' ' stay themselves */
  for(size_t k = 0; k < sizeof(ascii_marks) / sizeof(ascii_marks[0]); k++) {
    if(c == (unsigned char)ascii_marks[k][0] &&
       a == (unsigned char)ascii_marks[k][1] &&
       b == (unsigned char)ascii_marks[k][2]) {
      return 1;
    }
  }
  return 0;
}

/* The mark test for byte i, one byte at a time (the vector pass does
 * the same 32 bytes at once). */
static int is_mark(const unsigned char *p, size_t n, size_t i)
{
  unsigned c = p[i];
  if(c - '0' <= 9) {
    if(i >= 1 && (unsigned)(p[i - 1] - '0') <= 9u) {
      return 0;
    }
    if(i >= 2 && sep_byte(p[i - 1]) && (unsigned)(p[i - 2] - '0') <= 9u) {
      return 0;
    }
    return 1;
  }
  if(c == '@') {
    return 1;
  }
  if(i + 2 < n) {
    unsigned a = p[i + 1], b = p[i + 2];
    if(c == 0xef && a == 0xbc && b - 0x90 <= 9) {
      return 1;
    }
    if((a == 0xba && b == 0xba) || (a == 0x90 && b == 0x8d) ||
       (a == 0x99 && b == 0x9f) || (a == 0x94 && b == 0x9f) ||
       (a == 0xad && b == 0xb7) || (a == 0xb7 && b == 0xa8)) {
      return 1;
    }
    if(c < 0x80 && a < 0x80 && b < 0x80) {
      return ascii_trigger(c, a, b);
    }
  }
  return 0;
}

#ifdef HAVE_AVX2_PATH
/*
 * The vector pass.  For each 64-byte block it builds one bit per byte
 * for a handful of byte classes, then keeps only the digit runs whose
 * shape can start an identifier (the shifts look up to 20 bytes ahead,
 * into the next block's classes): see BLOCK_MARKS.  Every other run of
 * digits, the bulk of a log, is never looked at.  The marks kept are a
 * superset of what on_digits() can report; is_mark() (every run) is the
 * plain fallback.  The findings are the same whichever pass runs, since
 * no recogniser counts on an earlier mark having skipped the text before
 * it (bench/mask.py --agree checks this).
 */
/* Eight blocks' classes side by side, one 64-bit lane each: the marks
 * of eight blocks are computed at once (GCC's vector extensions; the
 * AVX2 pass does each operation in two halves). */
typedef uint64_t u64x8 __attribute__((vector_size(64)));
/* The same, at an address aligned to 8 only (as GCC's own __m512i_u). */
typedef uint64_t u64x8u
  __attribute__((vector_size(64), aligned(8), may_alias));

struct blk8 {
  u64x8 d, sg;   /* digit; ' ' or '-' */
  u64x8 start;   /* is_mark()'s digit-run starts */
  u64x8 lp, upp; /* the byte before is a letter; an upper-case one */
  u64x8 upp2;    /* the byte two before is an upper-case letter */
  u64x8 fwd;    /* a full-width digit or '－' starts here (EF BC 90-99, 8D) */
  u64x8 plusp;  /* the byte before is '+' */
  u64x8 hip;    /* the byte before is not ASCII (Ａ: EF BC A1) */
  u64x8 hip2;   /* the byte two before is not ASCII */
  u64x8 z, c26; /* first digit 0; 2-6 */
  u64x8 d29;    /* 2-9 */
  u64x8 e886;   /* "886" starts here */
  u64x8 other;  /* '@', full-width digit, 人 名 號, e: t: r: */
  u64x8 dc;     /* '.', ':' or '/' */
  /* the same classes of the next 64 bytes, for looking ahead */
  u64x8 xd, xsg, xdc, xd29, xlp, xfwd;
};

/* Blocks per run of the vector pass (see PASS_BODY). */
#define PASS_BLOCKS 64

/* What the vector pass knows of a run of 64-byte blocks, one array per
 * class: bit i of slot j tells about byte i of that block itself.  What
 * the marks need of the bytes before and after comes from the
 * neighbouring slots (see marks8()), so each block is classified once.
 * Slot 0 holds the block before the run; slots past the run's end are
 * only read into lanes whose marks are dropped. */
#define CLS_SLOTS (PASS_BLOCKS + 16)
struct c5 {
  uint64_t d[CLS_SLOTS], z[CLS_SLOTS], d29[CLS_SLOTS], c26[CLS_SLOTS];
  uint64_t sep[CLS_SLOTS], sg[CLS_SLOTS], dc[CLS_SLOTS], let[CLS_SLOTS];
  uint64_t up[CLS_SLOTS], plus[CLS_SLOTS], hi[CLS_SLOTS], fwd[CLS_SLOTS];
  uint64_t e886[CLS_SLOTS], other[CLS_SLOTS];
};

/* After a run of nb blocks: its last block becomes slot 0. */
static void cl_carry(struct c5 *cl, size_t nb)
{
  cl->d[0] = cl->d[nb], cl->z[0] = cl->z[nb], cl->d29[0] = cl->d29[nb];
  cl->c26[0] = cl->c26[nb], cl->sep[0] = cl->sep[nb], cl->sg[0] = cl->sg[nb];
  cl->dc[0] = cl->dc[nb], cl->let[0] = cl->let[nb], cl->up[0] = cl->up[nb];
  cl->plus[0] = cl->plus[nb], cl->hi[0] = cl->hi[nb];
  cl->fwd[0] = cl->fwd[nb], cl->e886[0] = cl->e886[nb];
  cl->other[0] = cl->other[nb];
}

#define V        __m256i
#define LD(q, o) _mm256_loadu_si256((const V *)(const void *)((q) + (o)))
#define EQ(v, c) _mm256_cmpeq_epi8((v), _mm256_set1_epi8((char)(c)))
#define OR       _mm256_or_si256
#define AND      _mm256_and_si256
#define MM(v)    ((uint64_t)(uint32_t)_mm256_movemask_epi8(v))

/* Bytes in [lo, lo + span]. */
__attribute__((target("avx2"), always_inline)) static inline V
in_range(V v, int lo, int span)
{
  V t = _mm256_sub_epi8(v, _mm256_set1_epi8((char)lo));
  return _mm256_cmpeq_epi8(_mm256_min_epu8(t, _mm256_set1_epi8((char)span)),
                           t);
}

/* The role tables below by nibble, for vpshufb: 16 entries for the low
 * nibble, then 16 for the high one, each twice (one copy per 128-bit
 * lane).  An entry is the union of the roles of the bytes with that
 * nibble: lo[c & 15] & hi[c >> 4] holds every role of c, maybe more. */
static unsigned char nib_kw[3][64], nib_cjk[2][64], nib_cls[64];

/* The roles of a byte of v from the nibble table t. */
__attribute__((target("avx2"), always_inline)) static inline V
nib(V v, const unsigned char *t)
{
  V m = _mm256_set1_epi8(0x0f);
  return AND(_mm256_shuffle_epi8(LD(t, 0), AND(v, m)),
             _mm256_shuffle_epi8(LD(t, 32), AND(_mm256_srli_epi16(v, 4), m)));
}

/* The classes of the 32 bytes at q, as bits h*32.. of slot j of c (h = 0
 * or 1); reads q[0] .. q[33]. */
__attribute__((target("avx2"), always_inline)) static inline void
classes32(const unsigned char *q, struct c5 *c, size_t j, int h)
{
  V v0 = LD(q, 0), v1 = LD(q, 1), v2 = LD(q, 2);
  V fwd = AND(AND(EQ(v0, 0xef), EQ(v1, 0xbc)), in_range(v2, 0x90, 9));
  /* the keywords and the characters that end one (see kw_roles and
   * cjk_roles) by their bytes' nibbles: a superset of the AVX-512 pass's
   * marks, as the recognisers check every mark */
  V f = _mm256_set1_epi8(0x20);
  V kw = AND(AND(nib(v0, nib_kw[0]), nib(v1, nib_kw[1])), nib(v2, nib_kw[2]));
  V cjk = AND(nib(v1, nib_cjk[0]), nib(v2, nib_cjk[1]));
  V zero = _mm256_setzero_si256();
  V other = OR(OR(EQ(v0, '@'), fwd),
               _mm256_xor_si256(AND(EQ(kw, 0), EQ(cjk, 0)), EQ(zero, 0)));
  V l0 = OR(v0, f);
  int sh = h * 32;
  /* the classes of bytes 0x20-0x3f by nibbles (nib_cls): exact, as
   * every class there has one high nibble; bit b moved to bit 7 */
  V k = nib(v0, nib_cls);
#define BIT(b) MM(_mm256_slli_epi16(k, 7 - (b)))
  c->d[j] |= BIT(0) << sh;
  c->z[j] |= BIT(1) << sh;
  c->d29[j] |= BIT(2) << sh;
  c->c26[j] |= BIT(3) << sh;
  c->sep[j] |= (BIT(4) | BIT(5)) << sh;
  c->sg[j] |= BIT(6) << sh;
  c->dc[j] |= (BIT(7) | BIT(5)) << sh;
#undef BIT
  c->let[j] |= MM(in_range(l0, 'a', 25)) << sh;
  c->up[j] |= MM(in_range(v0, 'A', 25)) << sh;
  c->plus[j] |= MM(EQ(v0, '+')) << sh;
  c->hi[j] |= MM(v0) << sh;
  c->fwd[j] |= MM(OR(fwd, AND(AND(EQ(v0, 0xef), EQ(v1, 0xbc)), EQ(v2, 0x8d))))
               << sh;
  c->e886[j] |= MM(AND(AND(EQ(v0, '8'), EQ(v1, '8')), EQ(v2, '6'))) << sh;
  c->other[j] |= MM(other) << sh;
}

/* The classes of the 64 bytes at q into slot j of c. */
__attribute__((target("avx2"), always_inline)) static inline void
classes_avx2(const unsigned char *q, struct c5 *c, size_t j)
{
  c->d[j] = c->z[j] = c->d29[j] = c->c26[j] = c->sep[j] = c->sg[j] = 0;
  c->dc[j] = c->let[j] = c->up[j] = c->plus[j] = c->hi[j] = c->fwd[j] = 0;
  c->e886[j] = c->other[j] = 0;
  classes32(q, c, j, 0);
  classes32(q + 32, c, j, 1);
}

/* The ASCII keywords as bits (see ascii_marks and ascii_trigger): for
 * each of the three bytes, which keywords that byte can stand in (both
 * cases).  Built once by kw_roles_init(). */
static unsigned char kw_roles[3][128];

static void kw_roles_init(void)
{
  static const char *const keys[] = {
    "rth", "orn", "dob", "o.b", "ssp", "ubn", "vat", "x i",
  };
  for(size_t k = 0; k < 8; k++) {
    unsigned char bit = (unsigned char)(1u << (k == 3 ? 2 : k));
    for(size_t j = 0; j < 3; j++) {
      unsigned char c = (unsigned char)keys[k][j];
      kw_roles[j][c] |= bit;
      if(c >= 'a' && c <= 'z') {
        kw_roles[j][c - 'a' + 'A'] |= bit;
      }
    }
  }
  /* bit 3 (free: "o.b" shares "dob"'s bit): "me:" "ce:" "ne:" "ee:" ...,
   * the colon words of on_colon_word */
  for(const char *c = "mcneMCNE"; *c; c++) {
    kw_roles[0][(unsigned char)*c] |= 8;
  }
  for(const char *c = "etrETR"; *c; c++) {
    kw_roles[1][(unsigned char)*c] |= 8;
  }
  kw_roles[2][':'] |= 8;
}

/* The same for the second and third bytes (high bit dropped) of the
 * characters that end a keyword: one bit per character (bits 0-5); bit
 * 7 for EF BC 90-99 (full-width digits, checked with the EF lead). */
static unsigned char cjk_roles[2][128];

static void cjk_roles_init(void)
{
  static const unsigned char pairs[][2] = {
    { 0xba, 0xba }, /* 人 */ { 0x90, 0x8d }, /* 名 */ { 0x99, 0x9f }, /* 號 */
    { 0x94, 0x9f }, /* 生 */ { 0xad, 0xb7 }, /* 護 */ { 0xb7, 0xa8 }, /* 編 */
  };
  for(size_t k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++) {
    cjk_roles[0][pairs[k][0] & 0x7f] |= (unsigned char)(1u << k);
    cjk_roles[1][pairs[k][1] & 0x7f] |= (unsigned char)(1u << k);
  }
  cjk_roles[0][0xbc & 0x7f] |= 0x80;
  for(unsigned c = 0x90; c <= 0x99; c++) {
    cjk_roles[1][c & 0x7f] |= 0x80;
  }
}

/* nib_cls: bit 0 digit, 1 '0', 2 '2'-'9', 3 '2'-'6', 4 '-' '.' '/',
 * 5 ':', 6 ' ' '-', 7 '.' '/' (so sep is 4 or 5, dc 7 or 5); each bit's
 * bytes share one high nibble, so low & high nibble entries are exact. */
static void nib_cls_init(void)
{
  for(unsigned c = 0x20; c < 0x40; c++) {
    unsigned v = 0;
    v |= c >= '0' && c <= '9' ? 1 : 0;
    v |= c == '0' ? 2 : 0;
    v |= c >= '2' && c <= '9' ? 4 : 0;
    v |= c >= '2' && c <= '6' ? 8 : 0;
    v |= c == '-' || c == '.' || c == '/' ? 16 : 0;
    v |= c == ':' ? 32 : 0;
    v |= c == ' ' || c == '-' ? 64 : 0;
    v |= c == '.' || c == '/' ? 128 : 0;
    for(size_t lane = 0; lane < 2; lane++) {
      nib_cls[16 * lane + (c & 15)] |= (unsigned char)v;
      nib_cls[32 + 16 * lane + (c >> 4)] |= (unsigned char)v;
    }
  }
}

/* nib_kw and nib_cjk from kw_roles and cjk_roles (built first).  The
 * characters' bytes are 0x80 and up: cjk_roles is indexed by the low 7
 * bits; bit 7 (full-width digits) is left out, the AVX2 pass tests those
 * exactly. */
static void nib_init(void)
{
  for(unsigned c = 0; c < 256; c++) {
    for(size_t k = 0; k < 3; k++) {
      unsigned char r = c < 128 ? kw_roles[k][c] : 0;
      for(size_t lane = 0; lane < 2; lane++) {
        nib_kw[k][16 * lane + (c & 15)] |= r;
        nib_kw[k][32 + 16 * lane + (c >> 4)] |= r;
      }
    }
    for(size_t k = 0; k < 2; k++) {
      unsigned char r = c >= 128 ? cjk_roles[k][c & 0x7f] & 0x3f : 0;
      for(size_t lane = 0; lane < 2; lane++) {
        nib_cjk[k][16 * lane + (c & 15)] |= r;
        nib_cjk[k][32 + 16 * lane + (c >> 4)] |= r;
      }
    }
  }
}

/* The same classes with AVX-512BW: one compare per class and 64 bytes. */
#define M512      __m512i
#define LD5(q, o) _mm512_loadu_si512((const void *)((q) + (o)))
#define EQ5(v, c) _mm512_cmpeq_epi8_mask((v), _mm512_set1_epi8((char)(c)))
__attribute__((target("avx512bw,avx512vbmi"),
               always_inline)) static inline uint64_t
in_range5(M512 v, int lo, int span)
{
  return _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8((char)lo)),
                                _mm512_set1_epi8((char)(span + 1)));
}

/* The classes of the ASCII bytes for the AVX-512 pass, one bit each
 * (a table of 128 read by vpermi2b; non-ASCII bytes get 0). */
enum {
  C_D = 1,    /* digit */
  C_Z = 2,    /* '0' */
  C_D29 = 4,  /* '2'-'9' */
  C_C26 = 8,  /* '2'-'6' */
  C_SEP = 16, /* '.' '/' '-' ':' (a dotted, slashed, dashed or timed number) */
  C_SG = 32,  /* ' ' '-' (a phone number's or card's groups) */
  C_DC = 64,  /* '.' ':' '/' */
  C_LET = 128, /* letter */
};

static unsigned char ascii_cls[128];

static void ascii_cls_init(void)
{
  for(unsigned c = 0; c < 128; c++) {
    unsigned v = 0;
    v |= is_digit((int)c) ? C_D : 0;
    v |= c == '0' ? C_Z : 0;
    v |= c >= '2' && c <= '9' ? C_D29 : 0;
    v |= c >= '2' && c <= '6' ? C_C26 : 0;
    v |= c == '.' || c == '/' || c == '-' || c == ':' ? C_SEP : 0;
    v |= c == ' ' || c == '-' ? C_SG : 0;
    v |= c == '.' || c == ':' || c == '/' ? C_DC : 0;
    v |= is_alpha((int)c) ? C_LET : 0;
    ascii_cls[c] = (unsigned char)v;
  }
}

__attribute__((target("avx512bw,avx512vbmi"),
               always_inline)) static inline void
classes512(const unsigned char *q, struct c5 *c, size_t j)
{
  M512 v0 = LD5(q, 0), v1 = LD5(q, 1), v2 = LD5(q, 2);
  uint64_t h0 = _mm512_movepi8_mask(v0), h1 = _mm512_movepi8_mask(v1),
           h2 = _mm512_movepi8_mask(v2);
  M512 k = _mm512_maskz_permutex2var_epi8(~h0, LD5(ascii_cls, 0), v0,
                                          LD5(ascii_cls, 64));
#define HAS(bit) _mm512_test_epi8_mask(k, _mm512_set1_epi8((char)(bit)))
  c->d[j] = HAS(C_D);
  c->z[j] = HAS(C_Z);
  c->d29[j] = HAS(C_D29);
  c->c26[j] = HAS(C_C26);
  c->sep[j] = HAS(C_SEP);
  c->sg[j] = HAS(C_SG);
  c->dc[j] = HAS(C_DC);
  c->let[j] = HAS(C_LET);
#undef HAS
  c->up[j] = in_range5(v0, 'A', 25);
  c->plus[j] = EQ5(v0, '+');
  c->hi[j] = h0;
  c->e886[j] = EQ5(v0, '8') & EQ5(v1, '8') & EQ5(v2, '6');
  /* ascii_marks (both cases) and "me:" "ct:" "nt:" "er:": one bit per
   * keyword; a byte's table entry says which keywords it can be the
   * first, second or third byte of (tables of 128; non-ASCII bytes give
   * 0); a keyword starts where the three lookups share a bit */
#define ROLE(v, h, k)                                                         \
  _mm512_maskz_permutex2var_epi8(~(h), LD5(kw_roles[k], 0), (v),              \
                                 LD5(kw_roles[k], 64))
  M512 r = _mm512_and_si512(_mm512_and_si512(ROLE(v0, h0, 0), ROLE(v1, h1, 1)),
                            ROLE(v2, h2, 2));
#undef ROLE
  /* the last two bytes of 人 名 號 生 護 編, and full-width digits
   * (EF BC 90-99), by the same kind of tables on the bytes' low 7 bits */
#define CROLE(v, h, k)                                                        \
  _mm512_maskz_permutex2var_epi8((h), LD5(cjk_roles[k], 0), (v),              \
                                 LD5(cjk_roles[k], 64))
  M512 cr = _mm512_and_si512(CROLE(v1, h1, 0), CROLE(v2, h2, 1));
#undef CROLE
  uint64_t fwdig =
    EQ5(v0, 0xef) & _mm512_test_epi8_mask(cr, _mm512_set1_epi8((char)0x80));
  c->fwd[j] = fwdig | (EQ5(v0, 0xef) & EQ5(v1, 0xbc) & EQ5(v2, 0x8d));
  c->other[j] = EQ5(v0, '@') | _mm512_test_epi8_mask(r, r) | fwdig |
                _mm512_test_epi8_mask(cr, _mm512_set1_epi8(0x3f));
}

#undef M512
#undef LD5
#undef EQ5

/* x seen k bytes ahead: bit i tells about byte i + k, the bits past
 * the block taken from the next block's xx (whose own look-ahead past
 * its end says "maybe", so the marks stay a superset). */
#define look(x, xx, k) ((x) >> (k) | (xx) << (64 - (k)))

/* The marks of the blocks c into *out (T: the lanes, u64x8). */
#define BLOCK_MARKS(T)                                                           \
  T s = c->start; /* no early return: see classes512() */                        \
  T d = c->d, sg = c->sg, xd = c->xd;                                            \
  T d2 = d & look(d, xd, 1);                                                     \
  T xd2 = xd & (xd >> 1 | ~UINT64_C(0) << 63);                                   \
  T d4 = d2 & look(d2, xd2, 2);                                                  \
  T xd4 = xd2 & (xd2 >> 2 | ~UINT64_C(0) << 62);                                 \
  T d8 = d4 & look(d4, xd4, 4);                                                  \
  T xd8 = xd4 & (xd4 >> 4 | ~UINT64_C(0) << 60);                                 \
  T free = s & ~c->lp;                                                           \
  /* 0 before a digit 2-9 (no area code begins 00 or 01), not after '+'      \
   * (+0800 is a time zone) and not before '.', ':' or '/' (0.5, 09:30,      \
   * 02/Mar: none of them separates a phone number's groups) */   \
  T times = look(c->dc, c->xdc, 1) | look(c->dc, c->xdc, 2);                     \
  T m = free & c->z & look(c->d29, c->xd29, 1) & ~c->plusp & ~times;             \
  /* ... and not before a letter (04ea6b..., 09ccff...: hashes): a letter    \
   * at byte i + 2 is lp at i + 3 */   \
  m &= ~look(c->lp, c->xlp, 3);                                                  \
  /* 886 (+886, (886), 886-2-..., 886912345678, 8869１２...: any run         \
   * that begins with it) */ \
  m |= free & c->e886;                                                           \
  /* an upper-case letter then 9 or more digits (an ID, a new resident       \
   * certificate), two letters then 8 (an old one; the first may be         \
   * full-width: a non-ASCII byte two before); or a full-width letter (a     \
   * non-ASCII byte before) then 8 or more */   \
  m |= s & d8 & ((c->upp & (look(d, xd, 8) | c->upp2 | c->hip2)) | c->hip);      \
  /* a card: 2-6, then 13 digits, or two groups of four */                       \
  m |= free & c->c26 & d4 &                                                      \
       ((d8 & look(d8, xd8, 5)) | (look(sg, c->xsg, 4) & look(d4, xd4, 5)));     \
  /* The shapes above count ASCII digits and separators only.  A run may    \
   * go on in full-width digits or hyphens (0912３４５６７８, typed half in  \
   * one width, half in the other): where this block or the next has one,   \
   * every run start is a mark, as in is_mark().  any: 1 when fw is not 0. */    \
  T fw = c->fwd | c->xfwd;                                                       \
  T any = (fw | (0 - fw)) >> 63;                                                 \
  m |= s & (0 - any);                                                            \
  *out = m | c->other;

__attribute__((target("avx512f,avx512bw,avx512vbmi"),
               always_inline)) static inline void
block_marks512(const struct blk8 *c, u64x8 *out)
{
  BLOCK_MARKS(u64x8)
}

__attribute__((target("avx2"), always_inline)) static inline void
block_marks_avx2(const struct blk8 *c, u64x8 *out)
{
  BLOCK_MARKS(u64x8)
}
#undef BLOCK_MARKS

/*
 * The marks of the eight blocks in slots j .. j + 7 of cl, into
 * mk[0 .. 7], one function per pass (TARGET: its instruction sets,
 * BLOCK_MARKS_FN: its block_marks).  The slots are only 8-byte aligned:
 * eight lanes are read through u64x8u.
 */
#define LANES(f, k) (*(const u64x8u *)(const void *)&cl->f[j + (k)])
#define C(f)        LANES(f, 0)              /* the blocks */
#define P(f)        LANES(f, -1)             /* the blocks before */
#define X(f)        LANES(f, 1)              /* the blocks after */
#define BEF(f)      (C(f) << 1 | P(f) >> 63) /* the byte before */
#define BEF2(f)     (C(f) << 2 | P(f) >> 62) /* two bytes before */
#define DEFINE_MARKS8(NAME, TARGET, BLOCK_MARKS_FN)                           \
  __attribute__((target(TARGET), always_inline)) static inline void NAME(     \
    const struct c5 *cl, size_t j, uint64_t *mk)                              \
  {                                                                           \
    u64x8 m;                                                                  \
    struct blk8 b;                                                            \
    b.d = C(d);                                                               \
    b.sg = C(sg);                                                             \
    b.start = C(d) & ~(BEF(d) | (BEF(sep) & BEF2(d)));                        \
    b.lp = BEF(let);                                                          \
    b.upp = BEF(up);                                                          \
    b.upp2 = BEF2(up);                                                        \
    b.fwd = C(fwd);                                                           \
    b.plusp = BEF(plus);                                                      \
    b.hip = BEF(hi);                                                          \
    b.hip2 = BEF2(hi);                                                        \
    b.z = C(z);                                                               \
    b.c26 = C(c26);                                                           \
    b.d29 = C(d29);                                                           \
    b.e886 = C(e886);                                                         \
    b.other = C(other);                                                       \
    b.dc = C(dc);                                                             \
    b.xd = X(d);                                                              \
    b.xsg = X(sg);                                                            \
    b.xdc = X(dc);                                                            \
    b.xd29 = X(d29);                                                          \
    b.xlp = X(let) << 1 | C(let) >> 63;                                       \
    b.xfwd = X(fwd);                                                          \
    BLOCK_MARKS_FN(&b, &m);                                                   \
    memcpy(mk, &m, sizeof(m));                                                \
  }
DEFINE_MARKS8(marks512, "avx512f,avx512bw,avx512vbmi", block_marks512)
DEFINE_MARKS8(marks_avx2, "avx2", block_marks_avx2)
#undef DEFINE_MARKS8
#undef LANES
#undef C
#undef P
#undef X
#undef BEF
#undef BEF2

/* The vector pass over whole blocks from `from`: returns where it
 * stopped (*cur: where marks count again).  MARKS(nb) sets mk[j] to the
 * marks of the block at i + 64 * j, for j < nb.  Two loops over up to
 * PASS_BLOCKS blocks at a time: the first only computes their marks
 * (vector work, no data-dependent branch), the second hands the marks to
 * the recognisers.  Interleaved, every block's "any marks here?" branch
 * stalled the vector work behind it. */
#define PASS_BODY(MARKS, CLASSES, MARKS8)                                     \
  uint64_t mk[PASS_BLOCKS + 8];                                               \
  size_t i = from;                                                            \
  while(i + 128 + 2 <= s->n) {                                                \
    size_t nb = (s->n - (i + 128 + 2)) / 64 + 1;                              \
    if(nb > PASS_BLOCKS) {                                                    \
      nb = PASS_BLOCKS;                                                       \
    }                                                                         \
    MARKS(nb, CLASSES, MARKS8);                                               \
    for(size_t j = 0; j < nb; j++) {                                          \
      uint64_t m = mk[j];                                                     \
      while(m) {                                                              \
        size_t at = i + 64 * j + (size_t)__builtin_ctzll(m);                  \
        m &= m - 1;                                                           \
        if(at >= *cur) {                                                      \
          *cur = on_mark(s, at);                                              \
          if(s->stop) {                                                       \
            return i + 64 * j;                                                \
          }                                                                   \
        }                                                                     \
      }                                                                       \
    }                                                                         \
    i += 64 * nb;                                                             \
  }                                                                           \
  return i;
/* From the start of the text (the block before it is all 0s: nothing
 * before byte 0 is a digit or a letter).  The classes of a run of blocks
 * and of the one after it are stored first (vector work, one block at a
 * time), then the marks computed eight blocks at a time. */
#define DEFINE_PASS(NAME, TARGET, CLASSES, MARKS8)                            \
  __attribute__((target(TARGET))) static size_t NAME(struct scan *s,          \
                                                     size_t *cur)             \
  {                                                                           \
    const size_t from = 0;                                                    \
    struct c5 cl; /* slot j + 1: block j of the run; slot 0 the one before */ \
    memset(&cl, 0, sizeof(cl));                                               \
    PASS_BODY(RUN_MARKS, CLASSES, MARKS8)                                     \
  }
#define RUN_MARKS(nb, CLASSES, MARKS8)                                        \
  for(size_t j = 0; j <= (nb); j++) {                                         \
    CLASSES(s->p + i + 64 * j, &cl, j + 1);                                   \
  }                                                                           \
  for(size_t j = 0; j < (nb); j += 8) {                                       \
    MARKS8(&cl, j + 1, mk + j);                                               \
  }                                                                           \
  cl_carry(&cl, nb)
DEFINE_PASS(pass_avx2, "avx2", classes_avx2, marks_avx2)
DEFINE_PASS(pass_avx512, "avx512f,avx512bw,avx512vbmi", classes512, marks512)
#undef DEFINE_PASS
#undef RUN_MARKS
#undef PASS_BODY
#undef PASS_BLOCKS
#undef CLS_SLOTS
#undef V
#undef LD
#undef EQ
#undef OR
#undef AND
#undef MM
#endif

#ifdef HAVE_AVX2_PATH
/* The vector pass this CPU can run: 2 AVX-512BW and VBMI, 1 AVX2, 0
 * none.  The environment variable ISMS_MASK_ISA (avx2, scalar) may ask
 * for less, so that the tests run every path on any machine. */
static int isa_level = -1;

static void isa_init(void)
{
  const char *want = getenv("ISMS_MASK_ISA");
  int v = __builtin_cpu_supports("avx512bw") &&
              __builtin_cpu_supports("avx512vbmi") ?
            2 :
          __builtin_cpu_supports("avx2") ? 1 :
                                           0;
  if(want && !strcmp(want, "avx2") && v > 1) {
    v = 1;
  }
  else if(want && !strcmp(want, "scalar")) {
    v = 0;
  }
  kw_roles_init();
  cjk_roles_init();
  nib_init();
  nib_cls_init();
  ascii_cls_init();
  isa_level = v;
}
#endif

/* The tables every path uses, and the vector pass's, built once. */
static void tables_init(void)
{
  cset_add(surnames, CS_SURNAME);
  cset_add(name_stop_first, CS_NAME_FIRST);
  for(size_t k = 0; name_stop_next[k]; k++) {
    char first[4];
    memcpy(first, name_stop_next[k], 3);
    first[3] = 0;
    cset_add(first, CS_STOP_NEXT);
  }
  cset_add(numerals, CS_NUMERAL);
  cset_add(directions, CS_DIRECTION);
  cset_add(admin_marks, CS_ADMIN);
  cset_add(gap_cjk, CS_GAP);
  cset_add("區鄉鎮市", CS_DISTRICT);
#ifdef HAVE_AVX2_PATH
  isa_init();
#endif
}

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

const char *mask_scan_isa(void)
{
  pthread_once(&tables_once, tables_init);
#ifdef HAVE_AVX2_PATH
  return isa_level == 2 ? "avx512" : isa_level == 1 ? "avx2" : "scalar";
#else
  return "scalar";
#endif
}

size_t mask_scan_pass(const char *text, size_t n, unsigned entities,
                      mask_fn *fn, void *ctx, int pass)
{
  struct scan s = {
    (const unsigned char *)text, n, entities & MASK_ALL, fn, ctx, 0, 0, 0
  };
  size_t cur = 0, i = 0;
  if(!text || !n || !s.set) {
    return 0;
  }
  pthread_once(&tables_once, tables_init);
#ifdef HAVE_AVX2_PATH
  int level = pass < 0 || pass > isa_level ? isa_level : pass;
  if(n >= 2 + 128 + 2 && level > 0) {
    i = level == 2 ? pass_avx512(&s, &cur) : pass_avx2(&s, &cur);
  }
#else
  (void)pass;
#endif
  for(; i < n && !s.stop; i++) {
    if(i >= cur && is_mark(s.p, n, i)) {
      cur = on_mark(&s, i);
    }
  }
  return s.count;
}

size_t mask_scan(const char *text, size_t n, unsigned entities, mask_fn *fn,
                 void *ctx)
{
  return mask_scan_pass(text, n, entities, fn, ctx, -1);
}

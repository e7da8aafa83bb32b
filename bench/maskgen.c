/*
 * maskgen.c: labelled test text for the personal-data scanner
 * (core/mask.h; issue 7, "Accuracy").  Deterministic from --seed.
 *
 *   maskgen --out PREFIX [--seed N] [--size BYTES] [--mix prose|log|mixed]
 *           [--density PCT]  (the share of sentences and log lines with a
 *           personal identifier or a near miss that are kept; 100, the
 *           default, keeps all: dense; 2 is closer to a real log)
 *
 * writes
 *   PREFIX.txt             the text (valid UTF-8)
 *   PREFIX.labels.tsv      the gold spans: entity, byte offset, byte length,
 *                          form (how it was written: plain, wide, url ...)
 *   PREFIX.indicators.tsv  what intelligence is about and must survive
 *                          byte for byte: kind, offset, length
 *   PREFIX.traps.tsv       near misses that must not be found: form,
 *                          offset, length
 * each in ascending order of offset.  Entity names are mask_entity_name's.
 *
 * The text mixes Traditional Chinese intelligence-report prose, English
 * advisories and log lines (web access, syslog, firewall, mail), dense
 * with IP addresses, domains, URLs, hashes, CVE identifiers, versions and
 * times.  Planted entities follow the span conventions agreed for the
 * scanner (issue 7: what a finding covers per entity: an ID's ten
 * characters; a phone number from the '+' of +886 or the '(' of (02) to
 * its last digit, without an extension; a date of birth without its
 * keyword or 民國; a name without its title; an address from its county,
 * district or road through 號 and 樓 ...) in every form they list:
 * full-width, glued to CJK text, inside URLs and e-mail addresses.  Near
 * misses (wrong check digits, 11-digit runs, dates without a birth
 * keyword, numbers without their keyword, identifiers glued to ASCII ...)
 * go to the traps file, never to the labels.
 *
 * Where the conventions leave a choice, this generator avoids the
 * ambiguity rather than guessing: an address that starts at its district
 * or road, and an e-mail local part, always follow punctuation, a space
 * or '=' (never CJK text, where the start would be a guess); a name is
 * always followed by punctuation, a space, a digit or 先生/小姐/君; no
 * other number of a keyword's kind stands within about 20 characters
 * after it (a near miss starts with a long neutral phrase); filler text
 * never contains a keyword.  Landline numbers are grouped as they are
 * written (a five- or six-digit local number stays one group).
 *
 * Links isms_lib for mask_entity_name() only.
 */
#include "core/buf.h"
#include "core/mask.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct gen {
  uint64_t s;             /* splitmix64 state */
  struct buf text;        /* the text */
  struct buf labels;      /* TSV rows of the gold spans */
  struct buf inds;        /* TSV rows of the indicators */
  struct buf traps;       /* TSV rows of the near misses */
  size_t n_gold[MASK_N];  /* gold spans per entity */
  size_t n_inds, n_traps; /* rows in inds and traps */
  unsigned density;       /* --density: % of units that may plant one */
};

/* Where a unit (a sentence, a log line) began, to take it back. */
struct unit {
  size_t text, labels, inds, traps, n_inds, n_traps;
  size_t n_gold[MASK_N];
};

/* ---- randomness (splitmix64: small, fast, the same everywhere) ---- */

static uint64_t next(struct gen *g)
{
  uint64_t z = (g->s += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

/* A number in [0, n). */
static unsigned pick(struct gen *g, unsigned n)
{
  return (unsigned)(next(g) % n);
}

/* A number in [lo, hi]. */
static unsigned range(struct gen *g, unsigned lo, unsigned hi)
{
  return lo + pick(g, hi - lo + 1);
}

/* 1 with probability pct %. */
static int chance(struct gen *g, unsigned pct)
{
  return pick(g, 100) < pct;
}

static void unit_begin(struct gen *g, struct unit *u)
{
  u->text = g->text.len, u->labels = g->labels.len, u->inds = g->inds.len;
  u->traps = g->traps.len, u->n_inds = g->n_inds, u->n_traps = g->n_traps;
  memcpy(u->n_gold, g->n_gold, sizeof(u->n_gold));
}

/*
 * 1 to keep the unit begun at u.  With --density below 100, a unit that
 * planted a personal identifier or a near miss is kept only that often;
 * otherwise it is taken back (0) and the caller writes another.  The
 * default 100 keeps everything: the accuracy set is dense on purpose.
 */
static int unit_keep(struct gen *g, const struct unit *u)
{
  if(g->density >= 100 ||
     (g->labels.len == u->labels && g->traps.len == u->traps) ||
     chance(g, g->density)) {
    return 1;
  }
  g->text.len = u->text, g->labels.len = u->labels, g->inds.len = u->inds;
  g->traps.len = u->traps, g->n_inds = u->n_inds, g->n_traps = u->n_traps;
  memcpy(g->n_gold, u->n_gold, sizeof(g->n_gold));
  return 0;
}

#define ONE_OF(g, a) ((a)[pick((g), N(a))])

/* ---- writing and recording ---- */

static size_t at(const struct gen *g)
{
  return g->text.len;
}

static void put(struct gen *g, const char *s)
{
  buf_puts(&g->text, s);
}

/* Append printf output to the text. */
#define putf(g, ...) buf_appendf(&(g)->text, __VA_ARGS__)

/* Write ASCII s with digits and capital letters in full width
 * (U+FF10.., U+FF21..); other characters as they are. */
static void put_wide(struct gen *g, const char *s)
{
  for(; *s; s++) {
    char w[4] = { (char)0xef, (char)0xbc, 0, 0 };
    if(*s >= '0' && *s <= '9') {
      w[2] = (char)(0x90 + (*s - '0'));
      put(g, w);
    }
    else if(*s >= 'A' && *s <= 'Z') {
      w[2] = (char)(0xa1 + (*s - 'A'));
      put(g, w);
    }
    else {
      buf_putc(&g->text, *s);
    }
  }
}

/* Record text [from, now) as a gold span of e written in form. */
static void gold(struct gen *g, enum mask_entity e, size_t from,
                 const char *form)
{
  buf_appendf(&g->labels, "%s\t%zu\t%zu\t%s\n", mask_entity_name(e), from,
              at(g) - from, form);
  g->n_gold[e]++;
}

/* Record text [from, now) as an indicator of kind. */
static void keep(struct gen *g, const char *kind, size_t from)
{
  buf_appendf(&g->inds, "%s\t%zu\t%zu\n", kind, from, at(g) - from);
  g->n_inds++;
}

/* Record text [from, now) as a near miss of form. */
static void trap(struct gen *g, const char *form, size_t from)
{
  buf_appendf(&g->traps, "%s\t%zu\t%zu\n", form, from, at(g) - from);
  g->n_traps++;
}

/* n random decimal digits into d (NUL-terminated), the first not 0 when
 * lead is set. */
static void digits(struct gen *g, char *d, size_t n, int lead)
{
  for(size_t i = 0; i < n; i++) {
    d[i] = (char)('0' + (i == 0 && lead ? range(g, 1, 9) : pick(g, 10)));
  }
  d[n] = 0;
}

/* ---- checksums ---- */

/* The letter codes of the national ID and resident certificate. */
static const unsigned char letter_code[26] = {
  10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,
  22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33,
};

/* The weighted sum of letter L and digits d1..d8 (d[0..7]), without the
 * check digit. */
static unsigned id_sum(char l, const unsigned d[8])
{
  unsigned c = letter_code[l - 'A'];
  unsigned s = c / 10 + (c % 10) * 9;
  for(unsigned i = 0; i < 8; i++) {
    s += d[i] * (8 - i);
  }
  return s;
}

/* A national ID (kind 'I': second digit 1|2), new resident certificate
 * ('N': 8|9) or old one ('O': second letter A-D) into out[11]; a valid
 * check digit unless bad. */
static void make_id(struct gen *g, char kind, int bad, char out[11])
{
  unsigned d[8];
  char l = (char)('A' + pick(g, 26));
  out[0] = l;
  if(kind == 'O') {
    out[1] = (char)('A' + pick(g, 4));
    d[0] = letter_code[out[1] - 'A'] % 10;
  }
  else {
    d[0] = kind == 'I' ? range(g, 1, 2) : range(g, 8, 9);
    out[1] = (char)('0' + d[0]);
  }
  for(unsigned i = 1; i < 8; i++) {
    d[i] = pick(g, 10);
    out[i + 1] = (char)('0' + d[i]);
  }
  unsigned check = (10 - id_sum(l, d) % 10) % 10;
  if(bad) {
    check = (check + range(g, 1, 9)) % 10;
  }
  out[9] = (char)('0' + check);
  out[10] = 0;
}

/* 1 if the 8 digits are a valid unified business number. */
static int ubn_ok(const char *d)
{
  static const unsigned w[8] = { 1, 2, 1, 2, 1, 2, 4, 1 };
  unsigned s = 0;
  for(unsigned i = 0; i < 8; i++) {
    unsigned p = (unsigned)(d[i] - '0') * w[i];
    s += p / 10 + p % 10;
  }
  return s % 5 == 0 || (d[6] == '7' && (s + 1) % 5 == 0);
}

/* A unified business number into out[9], valid unless bad. */
static void make_ubn(struct gen *g, int bad, char out[9])
{
  for(;;) {
    digits(g, out, 8, 0);
    if(ubn_ok(out) != bad) {
      return;
    }
  }
}

/* The Luhn check digit for the digits d[0..n). */
static char luhn_digit(const char *d, size_t n)
{
  unsigned s = 0;
  for(size_t i = 0; i < n; i++) {
    unsigned v = (unsigned)(d[n - 1 - i] - '0');
    if(i % 2 == 0) {
      v *= 2;
      if(v > 9) {
        v -= 9;
      }
    }
    s += v;
  }
  return (char)('0' + (10 - s % 10) % 10);
}

/* A card number of len digits starting with prefix into out (len + 1
 * bytes), its last digit the Luhn check digit, wrong when bad. */
static void make_card(struct gen *g, const char *prefix, size_t len, int bad,
                      char *out)
{
  size_t pl = strlen(prefix);
  memcpy(out, prefix, pl);
  for(size_t i = pl; i < len - 1; i++) {
    out[i] = (char)('0' + pick(g, 10));
  }
  out[len - 1] = luhn_digit(out, len - 1);
  if(bad) {
    out[len - 1] = (char)('0' + (out[len - 1] - '0' + range(g, 1, 9)) % 10);
  }
  out[len] = 0;
}

/* Write the digits d grouped as given (sizes summing to strlen(d)),
 * separated by sep. */
static void put_groups(struct gen *g, const char *d, const unsigned *sizes,
                       size_t n_sizes, const char *sep)
{
  for(size_t i = 0; i < n_sizes; i++) {
    if(i) {
      put(g, sep);
    }
    buf_append(&g->text, d, sizes[i]);
    d += sizes[i];
  }
}

/* ---- indicators ---- */

static const char *const words[] = {
  "update", "cdn",   "login", "secure", "portal", "mail", "static", "api",
  "sync",   "files", "vpn",   "auth",   "cloud",  "data", "news",   "support",
};
static const char *const tlds[] = {
  "example.com",    "example.net",    "example.org", "example.gov.tw",
  "example.com.tw", "example.edu.tw", "example.io",  "test.example.jp",
};

static void ipv4(struct gen *g)
{
  size_t f = at(g);
  putf(g, "%u.%u.%u.%u", range(g, 1, 223), pick(g, 256), pick(g, 256),
       range(g, 1, 254));
  keep(g, "ipv4", f);
}

static void ipv6(struct gen *g)
{
  size_t f = at(g);
  if(chance(g, 50)) {
    putf(g, "2001:db8:%x:%x::%x", pick(g, 0x10000), pick(g, 0x10000),
         range(g, 1, 0xffff));
  }
  else {
    putf(g, "fe80::%x:%x:%x:%x", pick(g, 0x10000), pick(g, 0x10000),
         pick(g, 0x10000), pick(g, 0x10000));
  }
  keep(g, "ipv6", f);
}

/* A domain name without recording it. */
static void domain_raw(struct gen *g)
{
  if(chance(g, 30)) {
    putf(g, "%s%u.", ONE_OF(g, words), range(g, 1, 99));
  }
  else if(chance(g, 30)) {
    putf(g, "%s-%s.", ONE_OF(g, words), ONE_OF(g, words));
  }
  else {
    putf(g, "%s.", ONE_OF(g, words));
  }
  put(g, ONE_OF(g, tlds));
}

static void domain(struct gen *g)
{
  size_t f = at(g);
  domain_raw(g);
  keep(g, "domain", f);
}

static const char *const paths[] = {
  "/wp-login.php",     "/index.php",         "/admin/config.php",
  "/cgi-bin/luci",     "/api/v1/session",    "/owa/auth/logon.aspx",
  "/static/js/app.js", "/download/tool.zip", "/.env",
  "/remote/login",     "/vpn/index.html",    "/phpmyadmin/index.php",
};

/* An URL of the indicator kind (sometimes defanged). */
static void url(struct gen *g)
{
  size_t f = at(g);
  int defang = chance(g, 20);
  put(g, defang ? "hxxps://" : chance(g, 70) ? "https://" : "http://");
  domain_raw(g);
  put(g, ONE_OF(g, paths));
  if(chance(g, 40)) {
    putf(g, "?v=%u&lang=zh-TW", range(g, 1, 9999));
  }
  keep(g, "url", f);
}

static const char hexd[] = "0123456789abcdef";

/* A hex hash of n characters; sometimes with a run of digits inside that
 * alone would be a phone, card or ID number (the scanner must not look
 * inside a hash). */
static void hash(struct gen *g, size_t n, const char *kind)
{
  char h[65];
  int upper = chance(g, 10);
  for(size_t i = 0; i < n; i++) {
    h[i] = hexd[pick(g, 16)];
    if(upper && h[i] >= 'a') {
      h[i] = (char)(h[i] - 'a' + 'A');
    }
  }
  h[n] = 0;
  if(chance(g, 15)) {
    char run[20];
    switch(pick(g, 3)) {
    case 0:
      memcpy(run, "09", 2);
      digits(g, run + 2, 8, 0);
      break;
    case 1:
      make_card(g, "4", 16, 0, run);
      break;
    default:
      make_id(g, 'I', 0, run);
      break;
    }
    size_t rl = strlen(run), pos = range(g, 1, (unsigned)(n - rl - 1));
    memcpy(h + pos, run, rl);
    kind = "hash-with-digits";
  }
  size_t f = at(g);
  put(g, h);
  keep(g, kind, f);
}

static void cve(struct gen *g)
{
  size_t f = at(g);
  if(chance(g, 10)) {
    putf(g, "CVE-%u-%u", range(g, 2019, 2026), range(g, 1000000, 9999999));
  }
  else {
    putf(g, "CVE-%u-%u", range(g, 2014, 2026), range(g, 1000, 59999));
  }
  keep(g, "cve", f);
}

static void version(struct gen *g)
{
  size_t f = at(g);
  switch(pick(g, 4)) {
  case 0:
    putf(g, "%u.%u.%u", range(g, 1, 20), pick(g, 10), range(g, 1, 60));
    break;
  case 1:
    putf(g, "%u.%u", range(g, 1, 12), pick(g, 100));
    break;
  case 2:
    putf(g, "%u.%u.%u-h%u", range(g, 7, 11), pick(g, 5), range(g, 1, 15),
         range(g, 1, 9));
    break;
  default:
    putf(g, "%u.%u.%u.%u", range(g, 1, 10), pick(g, 10), pick(g, 30),
         range(g, 1000, 9999));
    break;
  }
  keep(g, "version", f);
}

static void clock_time(struct gen *g)
{
  size_t f = at(g);
  putf(g, "%02u:%02u:%02u", pick(g, 24), pick(g, 60), pick(g, 60));
  keep(g, "time", f);
}

/* A date without a birth keyword: never a finding. */
static void plain_date(struct gen *g, int zh)
{
  size_t f = at(g);
  unsigned y = range(g, 2019, 2026), m = range(g, 1, 12), d = range(g, 1, 28);
  if(zh && chance(g, 50)) {
    putf(g, "%u年%u月%u日", y - 1911, m, d);
  }
  else if(zh && chance(g, 30)) {
    putf(g, "%u年%u月%u日", y, m, d);
  }
  else if(chance(g, 30)) {
    putf(g, "%u/%02u/%02u", y, m, d);
  }
  else {
    putf(g, "%u-%02u-%02u", y, m, d);
  }
  trap(g, "date-no-keyword", f);
}

/* ---- entities ---- */

/* National ID or resident certificate, forms plain, wide, url-query,
 * url-path, cjk-glued; kind as make_id. */
static void id_entity(struct gen *g, char kind, int zh)
{
  char id[11];
  enum mask_entity e = kind == 'I' ? MASK_TW_ID : MASK_TW_ARC;
  const char *form = "plain";
  make_id(g, kind, 0, id);
  unsigned how = pick(g, 10);
  size_t f;
  if(how == 0) {
    f = at(g);
    put_wide(g, id);
    gold(g, e, f, "wide");
    return;
  }
  if(how == 1 && zh) {
    /* glued to CJK on both sides (王小明A123456789先生) */
    put(g, ONE_OF(g, ((const char *const[]){ "王小明", "陳美玲", "林志豪" })));
    f = at(g);
    put(g, id);
    gold(g, e, f, "cjk-glued");
    put(g, "先生");
    return;
  }
  if(how == 2) {
    size_t u = at(g);
    put(g, "https://portal.example.gov.tw/case/query?id=");
    keep(g, "url-part", u);
    f = at(g);
    put(g, id);
    gold(g, e, f, "url-query");
    u = at(g);
    putf(g, "&type=%u", range(g, 1, 9));
    keep(g, "url-part", u);
    return;
  }
  if(how == 3) {
    size_t u = at(g);
    put(g, "https://hr.example.gov.tw/users/");
    keep(g, "url-part", u);
    f = at(g);
    put(g, id);
    gold(g, e, f, "url-path");
    u = at(g);
    put(g, "/profile");
    keep(g, "url-part", u);
    return;
  }
  f = at(g);
  put(g, id);
  gold(g, e, f, form);
}

static void tw_id(struct gen *g, int zh)
{
  if(zh) {
    put(g, ONE_OF(g, ((const char *const[]){ "身分證統一編號", "身分證字號：",
                                             "身分證號 ", "（身分證字號" })));
  }
  else {
    put(g, ONE_OF(g, ((const char *const[]){ "national ID ", "ID card no. ",
                                             "Taiwan ID: " })));
  }
  id_entity(g, 'I', zh);
}

static void tw_arc(struct gen *g, int zh)
{
  if(zh) {
    put(g, ONE_OF(g, ((const char *const[]){ "居留證號", "居留證統一證號：",
                                             "統一證號 " })));
  }
  else {
    put(g, ONE_OF(g, ((const char *const[]){ "resident certificate ",
                                             "ARC no. " })));
  }
  id_entity(g, chance(g, 60) ? 'N' : 'O', zh);
}

/* Landline area codes (without the 0) and the digits after them. */
static const struct {
  const char *area;
  unsigned local;
} areas[] = {
  { "2", 8 },  { "3", 7 },  { "37", 6 },  { "4", 8 }, { "4", 7 },
  { "49", 7 }, { "5", 7 },  { "6", 7 },   { "7", 7 }, { "8", 7 },
  { "89", 6 }, { "82", 6 }, { "836", 5 },
};

/* A phone number (the gold span only; the caller writes the context). */
static void phone_number(struct gen *g)
{
  size_t f = at(g);
  const char *form;
  char d[16];
  if(chance(g, 55)) {
    /* mobile: 09 + 8 digits */
    digits(g, d, 8, 0);
    unsigned how = pick(g, 10);
    static const unsigned g433[] = { 4, 3, 3 }, g46[] = { 4, 6 };
    char full[11] = "09";
    memcpy(full + 2, d, 9);
    switch(how) {
    case 0:
    case 1:
      put(g, full);
      form = "mobile";
      break;
    case 2:
      put_groups(g, full, g433, 3, "-");
      form = "mobile-dash";
      break;
    case 3:
      put_groups(g, full, g433, 3, " ");
      form = "mobile-space";
      break;
    case 4:
      put_groups(g, full, g46, 2, "-");
      form = "mobile-dash";
      break;
    case 5:
      putf(g, "+886%s", full + 1);
      form = "intl";
      break;
    case 6: {
      static const unsigned g333[] = { 3, 3, 3 };
      put(g, chance(g, 50) ? "+886 " : "+886-");
      put_groups(g, full + 1, g333, 3, chance(g, 50) ? " " : "-");
      form = "intl-sep";
      break;
    }
    case 7:
      putf(g, "886%s", full + 1);
      form = "intl-bare";
      break;
    case 8:
      put_wide(g, full);
      form = "wide";
      break;
    default:
      put_groups(g, full, g433, 3, "-");
      form = "mobile-dash";
      break;
    }
  }
  else {
    unsigned a = pick(g, N(areas));
    const char *area = areas[a].area;
    unsigned local = areas[a].local;
    digits(g, d, local, 1);
    /* the local number split 3-4 or 4-4 as written; five or six digits
     * stay in one group (0836-22381, 037-123456) */
    char dash[20], space[20];
    unsigned head = local - 4;
    if(local > 6) {
      snprintf(dash, sizeof(dash), "%.*s-%s", (int)head, d, d + head);
      snprintf(space, sizeof(space), "%.*s %s", (int)head, d, d + head);
    }
    else {
      snprintf(dash, sizeof(dash), "%s", d);
      snprintf(space, sizeof(space), "%s", d);
    }
    switch(pick(g, 8)) {
    case 0:
      putf(g, "(0%s)%s", area, dash);
      form = "paren";
      break;
    case 1:
      putf(g, "0%s-%s", area, dash);
      form = "landline-dash";
      break;
    case 2:
      putf(g, "0%s %s", area, space);
      form = "landline-space";
      break;
    case 3:
      putf(g, "0%s%s", area, d);
      form = "landline";
      break;
    case 4:
      putf(g, "0%s-%s", area, d);
      form = "landline-dash";
      break;
    case 5:
      putf(g, "+886-%s-%s", area, dash);
      form = "intl-sep";
      break;
    case 6:
      putf(g, "+886 %s %s", area, space);
      form = "intl-sep";
      break;
    default:
      putf(g, "(0%s)%s", area, d);
      form = "paren";
      break;
    }
  }
  gold(g, MASK_PHONE, f, form);
  if(chance(g, 8)) {
    /* an extension is not part of the number */
    putf(g, "%s%u",
         ONE_OF(g, ((const char *const[]){ "#", "分機", " ext. " })),
         range(g, 10, 999));
  }
}

static void phone(struct gen *g, int zh)
{
  if(zh) {
    put(g,
        ONE_OF(g, ((const char *const[]){ "聯絡電話：", "電話 ", "手機",
                                          "聯絡電話為", "電話：", "TEL:" })));
  }
  else {
    put(g, ONE_OF(g, ((const char *const[]){ "phone ", "tel. ",
                                             "mobile: ", "call " })));
  }
  phone_number(g);
}

static const char *const locals[] = {
  "wang.xiaoming", "chen_mei",   "lin.zh",   "j.smith", "mary.lee+soc",
  "kevin-huang",   "amy.wu",     "user2024", "soc",     "hr.admin",
  "tsai.yt",       "John.Smith", "cert-tw",  "a.b.c",   "liu_9527",
};

/* An e-mail address (the gold span only). */
static void email_addr(struct gen *g, const char *form)
{
  size_t f = at(g);
  if(chance(g, 5)) {
    char id[11];
    make_id(g, 'I', 0, id);
    put(g, id);
    form = "id-local";
  }
  else {
    put(g, ONE_OF(g, locals));
  }
  put(g, "@");
  if(chance(g, 40)) {
    put(g, ONE_OF(g, ((const char *const[]){ "mail.", "ms1.", "gov.", "" })));
  }
  put(g, ONE_OF(g, tlds));
  gold(g, MASK_EMAIL, f, form);
}

static void email(struct gen *g, int zh)
{
  unsigned how = pick(g, 6);
  if(how == 0) {
    put(g, "<");
    email_addr(g, "angle");
    put(g, ">");
  }
  else if(how == 1 && zh) {
    put(g, "請寄至");
    email_addr(g, "cjk-glued");
    put(g, "聯繫");
  }
  else if(how == 2) {
    put(g, "mailto:");
    email_addr(g, "mailto");
  }
  else if(how == 3) {
    size_t u = at(g);
    put(g, "https://webmail.example.gov.tw/compose?to=");
    keep(g, "url-part", u);
    email_addr(g, "url-query");
    u = at(g);
    put(g, "&lang=zh-TW");
    keep(g, "url-part", u);
  }
  else {
    put(g, zh ? "電子郵件 " : "e-mail ");
    email_addr(g, "plain");
  }
}

/* A date of birth: keyword, separator, date (the gold span). */
static void dob(struct gen *g, int zh)
{
  static const char *const kw_zh[] = { "出生日期", "出生年月日", "生日",
                                       "出生" };
  static const char *const kw_en[] = { "DOB", "D.O.B.", "Date of birth",
                                       "born", "born on" };
  unsigned y = range(g, 1940, 2008), m = range(g, 1, 12), d = range(g, 1, 28);
  unsigned roc = y - 1911;
  int use_roc = 0;
  char date[64];
  const char *form;
  if(zh) {
    static const char *const sep_zh[] = { "：", ":",      " ",
                                          "為", "：民國", "是民國" };
    unsigned k = pick(g, N(sep_zh));
    put(g, ONE_OF(g, kw_zh));
    put(g, sep_zh[k]);
    use_roc = k >= 4;
  }
  else {
    put(g, ONE_OF(g, kw_en));
    put(g, ONE_OF(g, ((const char *const[]){ ": ", " " })));
  }
  unsigned how = use_roc ? range(g, 5, 7) : pick(g, zh ? 9 : 5);
  switch(how) {
  case 0:
    snprintf(date, sizeof(date), "%u-%02u-%02u", y, m, d);
    form = "iso";
    break;
  case 1:
    snprintf(date, sizeof(date), "%u/%u/%u", y, m, d);
    form = "slash";
    break;
  case 2:
    snprintf(date, sizeof(date), "%u.%02u.%02u", y, m, d);
    form = "dot";
    break;
  case 3:
    snprintf(date, sizeof(date), "%u%02u%02u", y, m, d);
    form = "compact";
    break;
  case 4:
    snprintf(date, sizeof(date), "%u/%02u/%02u", y, m, d);
    form = "slash";
    break;
  case 5:
    snprintf(date, sizeof(date), "%u年%u月%u日", roc, m, d);
    form = "roc-cjk";
    break;
  case 6:
    snprintf(date, sizeof(date), "%03u/%02u/%02u", roc, m, d);
    form = "roc-slash";
    break;
  case 7:
    snprintf(date, sizeof(date), "%u.%u.%u", roc, m, d);
    form = "roc-dot";
    break;
  default:
    snprintf(date, sizeof(date), "%u年%u月%u日", y, m, d);
    form = "ad-cjk";
    break;
  }
  size_t f = at(g);
  if(zh && chance(g, 10)) {
    put_wide(g, date);
    form = "wide";
  }
  else {
    put(g, date);
  }
  gold(g, MASK_DOB, f, form);
}

/* A passport number after its keyword. */
static void passport(struct gen *g, int zh)
{
  char d[12];
  const char *form;
  if(zh) {
    put(g, ONE_OF(g, ((const char *const[]){ "護照號碼：", "護照號碼", "護照 ",
                                             "護照號碼為" })));
  }
  else {
    put(g, ONE_OF(g, ((const char *const[]){ "passport no. ", "passport ",
                                             "passport number ",
                                             "Passport number: " })));
  }
  size_t f = at(g);
  switch(pick(g, 4)) {
  case 0:
  case 1:
    digits(g, d, 9, 0);
    d[0] = (char)('0' + range(g, 1, 3));
    put(g, d);
    form = "tw";
    break;
  case 2:
    digits(g, d, 8, 0);
    putf(g, "%c%s", 'E' + pick(g, 10), d);
    form = "letter";
    break;
  default:
    digits(g, d, 7, 0);
    putf(g, "%c%c%s", 'A' + pick(g, 26), 'E' + pick(g, 20), d);
    form = "two-letters";
    break;
  }
  gold(g, MASK_PASSPORT, f, form);
}

static const char *const surnames[] = {
  "陳", "林", "黃", "張", "李", "王", "吳", "劉", "蔡", "楊", "許", "鄭",
  "謝", "郭", "洪", "曾", "邱", "廖", "賴", "周", "徐", "蘇", "葉", "莊",
  "呂", "江", "何", "蕭", "羅", "高", "潘", "簡", "朱", "鍾", "彭", "游",
};
static const char *const surnames2[] = { "歐陽", "司馬", "張簡", "范姜" };
static const char *const given[] = {
  "志", "明", "俊", "傑", "建", "宏", "家", "豪", "冠", "廷", "宗", "翰",
  "承", "恩", "怡", "雅", "婷", "淑", "芬", "美", "玲", "佳", "穎", "欣",
  "宜", "詩", "涵", "文", "華", "國", "榮", "偉", "強", "慧", "如", "柏",
};
static const char *const name_kw[] = {
  "姓名",   "聯絡人", "承辦人", "申請人", "負責人", "當事人",
  "報案人", "通報人", "收件人", "寄件人", "持卡人", "使用者姓名",
};

/* A Chinese name after a keyword, then a word that ends it. */
static void name_zh(struct gen *g)
{
  put(g, ONE_OF(g, name_kw));
  put(g, ONE_OF(g, ((const char *const[]){ "：", ":", " ", "" })));
  size_t f = at(g);
  unsigned len;
  if(chance(g, 8)) {
    put(g, ONE_OF(g, surnames2));
    len = 2;
  }
  else {
    put(g, ONE_OF(g, surnames));
    len = 1;
  }
  for(unsigned k = range(g, 1, chance(g, 85) ? 2 : 1); k > 0; k--, len++) {
    put(g, ONE_OF(g, given));
  }
  gold(g, MASK_NAME, f, len == 2 ? "zh-2" : len == 3 ? "zh-3" : "zh-4");
  if(chance(g, 8)) {
    phone_number(g);
    put(g, "，");
    return;
  }
  put(g, ONE_OF(g, ((const char *const[]){ "先生", "小姐", "君", "，", "、",
                                           " ", "（", "。" })));
}

static const char *const first_en[] = {
  "John",   "Mary", "David", "Linda", "Michael", "Sarah", "James", "Emily",
  "Robert", "Anna", "Kevin", "Grace", "Wei",     "Jason", "Amy",   "Peter",
};
static const char *const middle_en[] = { "Ann", "Lee", "Marie", "Ming" };
static const char *const last_en[] = {
  "Smith", "Chen",   "Lin",    "Wang",  "Johnson", "Lee",    "Brown",
  "Huang", "Garcia", "Miller", "Davis", "Wu",      "Taylor", "Anderson",
};

/* An English name after Name:, Contact:, Applicant: or Reporter:. */
static void name_en(struct gen *g)
{
  put(g, ONE_OF(g, ((const char *const[]){
                     "Name: ", "Contact: ", "Applicant: ", "Reporter: " })));
  size_t f = at(g);
  put(g, ONE_OF(g, first_en));
  put(g, " ");
  int three = chance(g, 20);
  if(three) {
    put(g, ONE_OF(g, middle_en));
    put(g, " ");
  }
  put(g, ONE_OF(g, last_en));
  gold(g, MASK_NAME, f, three ? "en-3" : "en-2");
  put(g, ONE_OF(g, ((const char *const[]){ ",", ";", " -", "." })));
}

static const struct {
  const char *county;
  const char *districts[3];
} counties[] = {
  { "臺北市", { "中正區", "大安區", "信義區" } },
  { "台北市", { "內湖區", "士林區", "中山區" } },
  { "新北市", { "板橋區", "新店區", "中和區" } },
  { "桃園市", { "桃園區", "中壢區", "龜山區" } },
  { "臺中市", { "西屯區", "北屯區", "豐原區" } },
  { "台中市", { "南屯區", "西區", "大里區" } },
  { "臺南市", { "東區", "安平區", "永康區" } },
  { "台南市", { "新營區", "北區", "仁德區" } },
  { "高雄市", { "苓雅區", "前鎮區", "左營區" } },
  { "基隆市", { "仁愛區", "中正區", "七堵區" } },
  { "新竹市", { "東區", "北區", "香山區" } },
  { "嘉義市", { "西區", "東區", "西區" } },
  { "新竹縣", { "竹北市", "湖口鄉", "竹東鎮" } },
  { "苗栗縣", { "苗栗市", "頭份市", "竹南鎮" } },
  { "彰化縣", { "彰化市", "員林市", "鹿港鎮" } },
  { "南投縣", { "南投市", "埔里鎮", "草屯鎮" } },
  { "雲林縣", { "斗六市", "虎尾鎮", "麥寮鄉" } },
  { "嘉義縣", { "太保市", "民雄鄉", "朴子市" } },
  { "屏東縣", { "屏東市", "潮州鎮", "恆春鎮" } },
  { "宜蘭縣", { "宜蘭市", "羅東鎮", "礁溪鄉" } },
  { "花蓮縣", { "花蓮市", "吉安鄉", "玉里鎮" } },
  { "臺東縣", { "臺東市", "成功鎮", "池上鄉" } },
  { "台東縣", { "臺東市", "關山鎮", "太麻里鄉" } },
  { "澎湖縣", { "馬公市", "湖西鄉", "白沙鄉" } },
  { "金門縣", { "金城鎮", "金湖鎮", "金沙鎮" } },
  { "連江縣", { "南竿鄉", "北竿鄉", "東引鄉" } },
};
static const char *const roads[] = {
  "中山路", "中正路",   "民生路",   "民權東路", "忠孝東路", "仁愛路",
  "信義路", "和平東路", "重慶南路", "四維三路", "文心路",   "中華路",
  "博愛街", "永康街",   "成功路",   "建國北路", "復興南路", "光復路",
  "三民路", "自由路",   "臺灣大道", "英才路",   "大同街",   "民族路",
};
/* Villages (里 in towns and cities, 村 in townships), written between the
 * district and the road in household-registration addresses. */
static const char *const villages[] = {
  "幸福里", "中山里", "光明里", "福德里", "忠孝里", "大同村", "仁愛村",
};
static const char *const cjk_num[] = { "一", "二", "三", "四", "五",
                                       "六", "七", "八", "九" };

/* A number 1..max as ASCII or full-width digits. */
static void addr_num(struct gen *g, unsigned max, int wide)
{
  char d[12];
  snprintf(d, sizeof(d), "%u", range(g, 1, max));
  if(wide) {
    put_wide(g, d);
  }
  else {
    put(g, d);
  }
}

/* A street address; from the county unless lead says "district" or
 * "road" (the caller puts punctuation or a space before those). */
static void address(struct gen *g, const char *lead)
{
  unsigned c = pick(g, N(counties));
  int wide = chance(g, 10), village = 0;
  char form[48];
  size_t f = at(g);
  if(!strcmp(lead, "county")) {
    put(g, counties[c].county);
  }
  if(strcmp(lead, "road")) {
    put(g, counties[c].districts[pick(g, 3)]);
    if(chance(g, 15)) {
      village = 1;
      put(g, ONE_OF(g, villages));
      if(chance(g, 60)) {
        addr_num(g, 30, wide);
        put(g, "鄰");
      }
    }
  }
  put(g, ONE_OF(g, roads));
  if(chance(g, 50)) {
    unsigned k = pick(g, 3);
    if(k == 0) {
      put(g, ONE_OF(g, cjk_num));
    }
    else {
      addr_num(g, 9, k == 2);
    }
    put(g, "段");
  }
  if(chance(g, 30)) {
    addr_num(g, 300, wide);
    put(g, "巷");
    if(chance(g, 40)) {
      addr_num(g, 30, wide);
      put(g, "弄");
    }
  }
  addr_num(g, 999, wide);
  put(g, "號");
  switch(pick(g, 6)) {
  case 0:
    put(g, "之");
    addr_num(g, 9, wide);
    break;
  case 1:
  case 2:
    addr_num(g, 30, wide);
    put(g, "樓");
    break;
  case 3:
    addr_num(g, 30, wide);
    put(g, "樓之");
    addr_num(g, 9, wide);
    break;
  default:
    break;
  }
  snprintf(form, sizeof(form), "%s%s%s", lead, village ? "-village" : "",
           wide ? "-wide" : "");
  gold(g, MASK_ADDRESS, f, form);
}

/* A card brand's prefix, chosen inside its range, and a length it uses:
 * Visa 4, Mastercard 51-55 and 2221-2720, Amex 34 and 37, JCB 3528-3589,
 * UnionPay 62. */
static void card_prefix(struct gen *g, char *prefix, size_t *len)
{
  switch(pick(g, 8)) {
  case 2:
    snprintf(prefix, 8, "5%u", range(g, 1, 5));
    *len = 16;
    break;
  case 3:
    snprintf(prefix, 8, "%u", range(g, 2221, 2720));
    *len = 16;
    break;
  case 4:
    snprintf(prefix, 8, "%s", chance(g, 50) ? "34" : "37");
    *len = 15;
    break;
  case 5:
    snprintf(prefix, 8, "%u", range(g, 3528, 3589));
    *len = 16;
    break;
  case 6:
    snprintf(prefix, 8, "62");
    *len = range(g, 16, 19);
    break;
  default:
    snprintf(prefix, 8, "4");
    *len = chance(g, 90) ? 16 : chance(g, 50) ? 13 : 19;
    break;
  }
}

/* A card number (the gold span only), grouped or not. */
static void card_number(struct gen *g)
{
  char prefix[8], d[20];
  size_t len;
  const char *form = "plain";
  card_prefix(g, prefix, &len);
  make_card(g, prefix, len, 0, d);
  size_t f = at(g);
  unsigned how = pick(g, 10);
  if(how < 3) {
    put(g, d);
  }
  else if(how == 3) {
    put_wide(g, d);
    form = "wide";
  }
  else {
    const char *sep = how < 7 ? " " : "-";
    static const unsigned amex[] = { 4, 6, 5 }, g13[] = { 4, 4, 5 };
    form = how < 7 ? "space" : "dash";
    if(len == 15) {
      put_groups(g, d, amex, 3, sep);
    }
    else if(len == 13) {
      put_groups(g, d, g13, 3, sep);
    }
    else {
      unsigned sizes[5] = { 4, 4, 4, 4, 0 };
      size_t n = 4;
      if(len > 16) {
        sizes[4] = (unsigned)len - 16;
        n = 5;
      }
      put_groups(g, d, sizes, n, sep);
    }
  }
  gold(g, MASK_CARD, f, form);
}

static void card(struct gen *g, int zh)
{
  if(zh) {
    put(g, ONE_OF(g, ((const char *const[]){ "卡號", "信用卡卡號：", "卡號 ",
                                             "簽帳金融卡" })));
  }
  else {
    put(g,
        ONE_OF(g, ((const char *const[]){ "card ", "card number ", "PAN " })));
  }
  card_number(g);
}

/* A unified business number after its keyword. */
static void ubn(struct gen *g, int zh)
{
  char d[9];
  if(zh) {
    put(g, ONE_OF(g, ((const char *const[]){
                       "統一編號：", "統編", "統編：", "營利事業統一編號 ",
                       "扣繳單位統一編號：", "統一編號" })));
  }
  else {
    put(g, ONE_OF(g, ((const char *const[]){
                       "UBN ", "Tax ID ", "Tax ID: ", "VAT no. ", "VAT " })));
  }
  make_ubn(g, 0, d);
  size_t f = at(g);
  if(zh && chance(g, 10)) {
    put_wide(g, d);
    gold(g, MASK_UBN, f, "wide");
  }
  else {
    put(g, d);
    gold(g, MASK_UBN, f, "plain");
  }
}

/* ---- near misses ---- */

/* One near miss, recorded in the traps file under its form. */
static void near_miss(struct gen *g, int zh)
{
  char d[24];
  size_t f;
  const char *form;
  /* far enough from any keyword before it (a keyword looks ~12
   * characters ahead) */
  put(g,
      zh ? "經比對後確認為系統產生之參考編號" : "system-generated reference ");
  f = at(g);
  switch(pick(g, 20)) {
  case 0:
    make_id(g, 'I', 1, d);
    put(g, d);
    form = "id-bad-check";
    break;
  case 1:
    make_id(g, 'I', 0, d);
    d[0] = (char)(d[0] - 'A' + 'a');
    put(g, d);
    form = "id-lower-case";
    break;
  case 2:
    make_id(g, 'I', 0, d);
    putf(g, "%s%s", ONE_OF(g, ((const char *const[]){ "x", "user", "ID" })),
         d);
    form = "id-glued-ascii";
    break;
  case 3:
    make_id(g, 'I', 0, d);
    putf(g, "%s%u", d, pick(g, 10));
    form = "id-11-chars";
    break;
  case 4:
    make_id(g, chance(g, 50) ? 'N' : 'O', 1, d);
    put(g, d);
    form = "arc-bad-check";
    break;
  case 5:
    digits(g, d, 7, 0);
    putf(g, "09%.2s-%.3s-%.2s", d, d + 2, d + 5);
    form = "phone-9-digits";
    break;
  case 6:
    digits(g, d, 9, 0);
    putf(g, "09%s", d);
    form = "phone-11-digits";
    break;
  case 7:
    digits(g, d, 6, 1);
    putf(g, "02-%.3s-%.3s", d, d + 3);
    form = "phone-8-digits";
    break;
  case 8:
    digits(g, d, 8, 1);
    putf(g, "01-%.4s-%.4s", d, d + 4);
    form = "phone-area-01";
    break;
  case 9:
    digits(g, d, 9, 1);
    putf(g, "02%s", d);
    form = "phone-11-digits";
    break;
  case 10:
    digits(g, d, 9, 0);
    d[0] = (char)('0' + range(g, 1, 3));
    put(g, d);
    form = "passport-no-keyword";
    break;
  case 11: {
    char prefix[8];
    size_t len;
    card_prefix(g, prefix, &len);
    make_card(g, prefix, len, 1, d);
    put(g, d);
    form = "card-bad-luhn";
    break;
  }
  case 12:
    make_card(g,
              ONE_OF(g, ((const char *const[]){ "6011", "9", "1", "7", "36",
                                                "30", "8" })),
              16, 0, d);
    put(g, d);
    form = "card-bad-prefix";
    break;
  case 13:
    make_card(g, "4", 12, 0, d);
    put(g, d);
    form = "card-12-digits";
    break;
  case 14:
    make_ubn(g, 0, d);
    put(g, d);
    form = "ubn-no-keyword";
    break;
  case 15:
    /* the keyword comes after the label's start: a bad check digit */
    put(g, zh ? "統一編號：" : "UBN ");
    f = at(g);
    make_ubn(g, 1, d);
    put(g, d);
    form = "ubn-bad-check";
    break;
  case 16:
    if(zh) {
      put(g, "，聯絡人：");
      f = at(g);
      put(g, ONE_OF(g, surnames));
      trap(g, "name-one-char", f);
      put(g, chance(g, 50) ? "先生" : "小姐");
      return;
    }
    put(g, "@");
    put(g, ONE_OF(g, ((const char *const[]){ "soc_team", "cert", "admin" })));
    form = "email-handle";
    break;
  case 17:
    if(zh) {
      put(g, "，");
      f = at(g);
      put(g, ONE_OF(g, ((const char *const[]){
                         "臺北市政府", "中山路上", "中正區公所", "第12號函",
                         "忠孝東路四段附近", "高雄市" })));
      form = "address-no-number";
      break;
    }
    digits(g, d, 8, 0);
    putf(g, "build %s", d);
    form = "number-no-keyword";
    break;
  case 18:
    put(g, zh ? "，" : " ");
    f = at(g);
    plain_date(g, zh);
    return;
  default:
    digits(g, d, 7, 1);
    putf(g, "0912-345-%.4s", d);
    form = "phone-glued-digits";
    break;
  }
  trap(g, form, f);
}

/* ---- prose ---- */

static const char *const products[] = {
  "FortiOS",
  "PAN-OS",
  "Ivanti Connect Secure",
  "Citrix NetScaler ADC",
  "OpenSSH",
  "Apache HTTP Server",
  "Microsoft Exchange Server",
  "Confluence Data Center",
};
static const char *const agencies[] = {
  "TWCERT/CC",
  "CISA",
  "JPCERT/CC",
  "The national CSIRT",
};

/* An address led by county, district or road. */
static void any_address(struct gen *g)
{
  unsigned k = pick(g, 4);
  address(g, k < 2 ? "county" : k == 2 ? "district" : "road");
}

/* Expand a sentence template: %-codes write entities, indicators and
 * near misses (see the switch); other bytes are copied. */
static void expand(struct gen *g, const char *t, int zh)
{
  for(; *t; t++) {
    if(*t != '%') {
      buf_putc(&g->text, *t);
      continue;
    }
    switch(*++t) {
    case 'i':
      tw_id(g, zh);
      break;
    case 'a':
      tw_arc(g, zh);
      break;
    case 'p':
      phone(g, zh);
      break;
    case 'm':
      email(g, zh);
      break;
    case 'b':
      dob(g, zh);
      break;
    case 's':
      passport(g, zh);
      break;
    case 'n':
      if(zh) {
        name_zh(g);
      }
      else {
        name_en(g);
      }
      break;
    case 'r':
      any_address(g);
      break;
    case 'R':
      address(g, "county");
      break;
    case 'c':
      card(g, zh);
      break;
    case 'u':
      ubn(g, zh);
      break;
    case 'x':
      near_miss(g, zh);
      break;
    case '4':
      ipv4(g);
      break;
    case '6':
      ipv6(g);
      break;
    case 'd':
      domain(g);
      break;
    case 'l':
      url(g);
      break;
    case 'h':
      hash(g, 64, "sha256");
      break;
    case '5':
      hash(g, 32, "md5");
      break;
    case '1':
      hash(g, 40, "sha1");
      break;
    case 'v':
      cve(g);
      break;
    case 'V':
      version(g);
      break;
    case 't':
      clock_time(g);
      break;
    case 'D':
      plain_date(g, zh);
      break;
    case '$':
      putf(g, "%u,%03u", range(g, 1, 999), pick(g, 1000));
      break;
    case 'P':
      put(g, ONE_OF(g, products));
      break;
    case 'A':
      put(g, ONE_OF(g, agencies));
      break;
    default:
      fprintf(stderr, "maskgen: bad template code %%%c\n", *t);
      abort();
    }
  }
}

static const char *const zh_sentences[] = {
  "本中心於%D接獲通報，疑似遭受進階持續性威脅攻擊，攻擊來源IP為%4。",
  "經分析，惡意程式連線至中繼站%d（%4），並下載%l。",
  "該惡意檔案之SHA-256雜湊值為%h，MD5為%5。",
  "攻擊者利用%v漏洞入侵未更新之%P %V版本，請各機關儘速完成修補。",
  "系統日誌顯示於%D %t有大量異常登入嘗試，來源包括%4與%6。",
  "請各機關於%D前完成弱點修補，並將處理情形回報至本中心。",
  "本次事件影響範圍約%$筆資料，目前尚無證據顯示資料遭外洩。",
  "%n於%D提出申請，%p。",
  "外洩資料包含%i、%p及%m等欄位。",
  "%n%i，住址：%r。",
  "據查%n%b，已通知其本人並協助處理。",
  "外籍人士%a，其%s。",
  "信用卡%c遭盜刷，交易時間為%D %t。",
  "涉案廠商（%u）之伺服器遭植入後門，C2 網域為%d。",
  "設備放置地點：%r，備援機房位於%R。",
  "請%n協助確認%D之登入紀錄，並以%m回覆。",
  "附件為相關紀錄，參考資料：%l。",
  "%x，經查核後確認非屬個人資料。",
  "另查%x之紀錄為系統產生之編號。",
  "該帳號於%t自%4登入，並存取%l。",
  "建議封鎖下列網域：%d、%d、%d。",
  "相關CVE編號：%v、%v。",
  "%x。",
  "受駭主機已隔離，鑑識映像檔雜湊值為%1。",
};

static const char *const en_sentences[] = {
  "%A has observed active exploitation of %v affecting %P versions prior "
  "to %V.",
  "Indicators of compromise include %4, %6, %d and a payload with SHA-256 "
  "%h (MD5 %5, SHA-1 %1).",
  "Infected hosts beaconed to %l every 300 seconds; the first connection "
  "was logged on %D at %t UTC.",
  "%n who reported the message, can be reached by %p or %m.",
  "The leaked record lists %i, %p, %b and %c.",
  "The traveller holds %s and %a.",
  "Payments were routed through a vendor with %u.",
  "Please send further samples to %m.",
  "The value %x is a system-generated number, not personal data.",
  "Block %d and %4 at the perimeter; the exploit chain uses %v and %v.",
  "Patch %P to %V or later; see %l for details.",
  "%x.",
};

static void paragraph(struct gen *g, int zh)
{
  unsigned n = range(g, 3, 7);
  if(zh && chance(g, 30)) {
    put(g, ONE_OF(g, ((const char *const[]){ "【情資分享】", "一、事件說明：",
                                             "二、處理情形：", "【警訊】" })));
  }
  for(unsigned i = 0; i < n; i++) {
    struct unit u;
    for(unsigned tries = 0;; tries++) {
      unit_begin(g, &u);
      if(zh) {
        expand(g, ONE_OF(g, zh_sentences), 1);
      }
      else {
        if(i) {
          put(g, " ");
        }
        expand(g, ONE_OF(g, en_sentences), 0);
      }
      if(tries == 50 || unit_keep(g, &u)) {
        break;
      }
    }
  }
  put(g, "\n\n");
}

/* ---- logs ---- */

static const char *const months[] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun",
  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};
static const char *const agents[] = {
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
  "like Gecko) Chrome/122.0.6261.95 Safari/537.36",
  "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
  "curl/7.88.1",
  "python-requests/2.31.0",
  "Mozilla/5.0 zgrab/0.x",
  "sqlmap/1.7.2#stable (https://sqlmap.org)",
};

/* "Mar  2 09:12:30 host " */
static void syslog_head(struct gen *g, const char *host)
{
  putf(g, "%s %2u ", ONE_OF(g, months), range(g, 1, 28));
  clock_time(g);
  putf(g, " %s ", host);
}

/* The path of a request, sometimes carrying personal data. */
static void request_path(struct gen *g)
{
  size_t u = at(g);
  switch(pick(g, 12)) {
  case 0: {
    put(g, "/case/query?id=");
    keep(g, "url-part", u);
    char id[11];
    make_id(g, chance(g, 80) ? 'I' : 'N', 0, id);
    size_t f = at(g);
    put(g, id);
    gold(g, id[1] == '1' || id[1] == '2' ? MASK_TW_ID : MASK_TW_ARC, f,
         "log-url-query");
    u = at(g);
    putf(g, "&page=%u", range(g, 1, 20));
    keep(g, "url-part", u);
    return;
  }
  case 1:
    put(g, "/member/sms?tel=");
    keep(g, "url-part", u);
    phone_number(g);
    return;
  case 2:
    put(g, "/newsletter/subscribe?email=");
    keep(g, "url-part", u);
    email_addr(g, "log-url-query");
    return;
  default:
    put(g, ONE_OF(g, paths));
    if(chance(g, 30)) {
      putf(g, "?id=%u", range(g, 1, 99999));
    }
    keep(g, "url-part", u);
    return;
  }
}

static void log_apache(struct gen *g)
{
  static const unsigned status[] = { 200, 200, 200, 301, 302, 403, 404, 500 };
  ipv4(g);
  putf(g, " - - [%02u/%s/%u:", range(g, 1, 28), ONE_OF(g, months),
       range(g, 2023, 2026));
  clock_time(g);
  put(g, " +0800] \"");
  put(g,
      ONE_OF(g, ((const char *const[]){ "GET ", "GET ", "POST ", "HEAD " })));
  request_path(g);
  putf(g, " HTTP/1.1\" %u %u \"", ONE_OF(g, status), range(g, 120, 99999));
  if(chance(g, 50)) {
    put(g, "-");
  }
  else {
    url(g);
  }
  putf(g, "\" \"%s\"\n", ONE_OF(g, agents));
}

static void log_sshd(struct gen *g)
{
  syslog_head(
    g, ONE_OF(g, ((const char *const[]){ "web01", "db02", "bastion" })));
  putf(g, "sshd[%u]: ", range(g, 1000, 65000));
  if(chance(g, 70)) {
    putf(g, "Failed password for invalid user %s from ",
         ONE_OF(g, ((const char *const[]){ "admin", "root", "oracle", "test",
                                           "ubuntu", "git" })));
  }
  else {
    put(g, "Accepted publickey for deploy from ");
  }
  ipv4(g);
  putf(g, " port %u ssh2\n", range(g, 1024, 65535));
}

static void log_fortigate(struct gen *g)
{
  putf(g, "date=%u-%02u-%02u time=", range(g, 2023, 2026), range(g, 1, 12),
       range(g, 1, 28));
  clock_time(g);
  putf(g,
       " devname=\"FG100E\" devid=\"FG100E3G16000001\" logid=\"00000000%02u\" "
       "type=\"traffic\" subtype=\"forward\" level=\"notice\" srcip=",
       range(g, 10, 20));
  ipv4(g);
  putf(g, " srcport=%u srcintf=\"port1\" dstip=", range(g, 1024, 65535));
  ipv4(g);
  putf(g,
       " dstport=%u dstintf=\"wan1\" sessionid=%u proto=6 action=\"%s\" "
       "policyid=%u service=\"HTTPS\" hostname=\"",
       ONE_OF(g, ((const unsigned[]){ 443, 80, 22, 3389, 445 })),
       range(g, 1000000, 99999999),
       ONE_OF(g, ((const char *const[]){ "deny", "accept", "close" })),
       range(g, 1, 99));
  domain(g);
  putf(g, "\" sentbyte=%u rcvdbyte=%u\n", range(g, 40, 99999),
       range(g, 0, 99999));
}

static void log_iptables(struct gen *g)
{
  syslog_head(g, "gw");
  putf(g,
       "kernel: [%u.%06u] [UFW BLOCK] IN=eth0 OUT= MAC=00:16:3e:%02x:%02x:"
       "%02x:00:16:3e:65:43:21:08:00 SRC=",
       range(g, 100, 999999), pick(g, 1000000), pick(g, 256), pick(g, 256),
       pick(g, 256));
  if(chance(g, 15)) {
    ipv6(g);
    put(g, " DST=");
    ipv6(g);
  }
  else {
    ipv4(g);
    put(g, " DST=");
    ipv4(g);
  }
  putf(g,
       " LEN=%u TOS=0x00 PREC=0x00 TTL=%u ID=%u DF PROTO=TCP SPT=%u DPT=%u "
       "WINDOW=29200 RES=0x00 SYN URGP=0\n",
       range(g, 40, 1500), range(g, 30, 128), range(g, 1, 65535),
       range(g, 1024, 65535),
       ONE_OF(g, ((const unsigned[]){ 22, 23, 445, 3389, 8080 })));
}

/* A postfix queue id: hex starting with a digit, with letters in it, so
 * that it is never an identifier's shape. */
static void queue_id(struct gen *g)
{
  char q[12];
  q[0] = (char)('1' + pick(g, 9));
  for(unsigned i = 1; i < 10; i++) {
    q[i] = "0123456789ABCDEF"[pick(g, 16)];
  }
  q[3] = (char)('A' + pick(g, 6));
  q[6] = (char)('A' + pick(g, 6));
  q[10] = 0;
  put(g, q);
}

static void log_mail(struct gen *g)
{
  syslog_head(g, "mx1");
  switch(pick(g, 4)) {
  case 0:
    putf(g, "postfix/smtpd[%u]: connect from ", range(g, 1000, 65000));
    domain(g);
    put(g, "[");
    ipv4(g);
    put(g, "]\n");
    break;
  case 1:
    putf(g, "postfix/qmgr[%u]: ", range(g, 1000, 65000));
    queue_id(g);
    put(g, ": from=<");
    email_addr(g, "log");
    putf(g, ">, size=%u, nrcpt=1 (queue active)\n", range(g, 800, 900000));
    break;
  case 2:
    putf(g, "postfix/smtp[%u]: ", range(g, 1000, 65000));
    queue_id(g);
    put(g, ": to=<");
    email_addr(g, "log");
    put(g, ">, relay=");
    domain(g);
    put(g, "[");
    ipv4(g);
    putf(g,
         "]:25, delay=%u.%02u, delays=0.1/0/0.2/0.22, dsn=2.0.0, "
         "status=sent (250 2.0.0 Ok: queued as ",
         range(g, 0, 9), pick(g, 100));
    queue_id(g);
    put(g, ")\n");
    break;
  default:
    putf(g, "postfix/smtpd[%u]: NOQUEUE: reject: RCPT from unknown[",
         range(g, 1000, 65000));
    ipv4(g);
    put(g, "]: 554 5.7.1 <");
    email_addr(g, "log");
    put(g, ">: Relay access denied; from=<");
    email_addr(g, "log");
    put(g, "> proto=ESMTP helo=<");
    domain(g);
    put(g, ">\n");
    break;
  }
}

/* An application's JSON log line. */
static void log_json(struct gen *g)
{
  putf(g, "{\"ts\":\"%u-%02u-%02uT", range(g, 2023, 2026), range(g, 1, 12),
       range(g, 1, 28));
  clock_time(g);
  put(g, "+08:00\",\"level\":\"warn\",\"event\":\"login_failed\",\"ip\":\"");
  ipv4(g);
  put(g, "\",\"user\":\"");
  if(chance(g, 40)) {
    email_addr(g, "log-json");
  }
  else {
    put(g, ONE_OF(g, ((const char *const[]){ "admin", "svc_backup", "guest",
                                             "operator" })));
  }
  if(chance(g, 30)) {
    put(g, "\",\"mobile\":\"");
    phone_number(g);
  }
  if(chance(g, 10)) {
    char id[11];
    make_id(g, 'I', 0, id);
    put(g, "\",\"national_id\":\"");
    size_t f = at(g);
    put(g, id);
    gold(g, MASK_TW_ID, f, "log-json");
  }
  put(g, "\",\"session\":\"");
  hash(g, 32, "md5");
  put(g, "\"}\n");
}

static void log_burst(struct gen *g)
{
  unsigned kind = pick(g, 6), n = range(g, 5, 20);
  struct unit u;
  for(unsigned i = 0, tries = 0; i < n; i++) {
    unit_begin(g, &u);
    switch(kind) {
    case 0:
    case 1:
      log_apache(g);
      break;
    case 2:
      log_sshd(g);
      break;
    case 3:
      if(chance(g, 50)) {
        log_fortigate(g);
      }
      else {
        log_iptables(g);
      }
      break;
    case 4:
      log_mail(g);
      break;
    default:
      log_json(g);
      break;
    }
    if(tries < 50 && !unit_keep(g, &u)) {
      i--, tries++; /* another line instead */
    }
    else {
      tries = 0;
    }
  }
}

/* ---- main ---- */

static int write_file(const char *prefix, const char *suffix,
                      const struct buf *b)
{
  char path[4096];
  snprintf(path, sizeof(path), "%s%s", prefix, suffix);
  FILE *f = fopen(path, "wb");
  int ok = f && fwrite(b->data, 1, b->len, f) == b->len;
  if(f && fclose(f)) {
    ok = 0;
  }
  if(!ok) {
    fprintf(stderr, "maskgen: cannot write %s\n", path);
  }
  return ok;
}

static int usage(void)
{
  fputs("usage: maskgen --out PREFIX [--seed N] [--size BYTES] "
        "[--mix prose|log|mixed] [--density PCT]\n",
        stderr);
  return 64;
}

int main(int argc, char **argv)
{
  const char *out = NULL, *mix = "mixed";
  unsigned density = 100;
  unsigned long long seed = 7, size = 2000000;
  struct gen g;
  char *end;

  for(int i = 1; i < argc; i++) {
    if(i + 1 >= argc) {
      return usage();
    }
    if(!strcmp(argv[i], "--out")) {
      out = argv[++i];
    }
    else if(!strcmp(argv[i], "--seed")) {
      seed = strtoull(argv[++i], &end, 10);
      if(*end) {
        return usage();
      }
    }
    else if(!strcmp(argv[i], "--size")) {
      size = strtoull(argv[++i], &end, 10);
      if(*end || size == 0 || size > (1ull << 34)) {
        return usage();
      }
    }
    else if(!strcmp(argv[i], "--density")) {
      density = (unsigned)strtoul(argv[++i], &end, 10);
      if(*end || density > 100) {
        return usage();
      }
    }
    else if(!strcmp(argv[i], "--mix")) {
      mix = argv[++i];
      if(strcmp(mix, "prose") && strcmp(mix, "log") && strcmp(mix, "mixed")) {
        return usage();
      }
    }
    else {
      return usage();
    }
  }
  if(!out) {
    return usage();
  }
  memset(&g, 0, sizeof(g));
  g.s = seed;
  g.density = density;
  buf_init(&g.text, (size_t)size + (1u << 20));
  buf_init(&g.labels, (size_t)size + (1u << 20));
  buf_init(&g.inds, (size_t)size + (1u << 20));
  buf_init(&g.traps, (size_t)size + (1u << 20));
  while(g.text.len < size && !g.text.err) {
    unsigned k = pick(&g, 100);
    if(!strcmp(mix, "log") || (!strcmp(mix, "mixed") && k >= 50)) {
      log_burst(&g);
    }
    else if(k % 10 < 7) {
      paragraph(&g, 1);
    }
    else {
      paragraph(&g, 0);
    }
  }
  int ok = !g.text.err && !g.labels.err && !g.inds.err && !g.traps.err;
  if(!ok) {
    fputs("maskgen: out of buffer space\n", stderr);
  }
  ok = ok && write_file(out, ".txt", &g.text) &&
       write_file(out, ".labels.tsv", &g.labels) &&
       write_file(out, ".indicators.tsv", &g.inds) &&
       write_file(out, ".traps.tsv", &g.traps);
  if(ok) {
    printf("maskgen: %zu bytes (seed %llu, %s, density %u %%)", g.text.len,
           seed, mix, density);
    for(unsigned e = 0; e < MASK_N; e++) {
      printf(", %s %zu", mask_entity_name((enum mask_entity)e), g.n_gold[e]);
    }
    printf(", indicators %zu, near misses %zu\n", g.n_inds, g.n_traps);
  }
  buf_free(&g.text);
  buf_free(&g.labels);
  buf_free(&g.inds);
  buf_free(&g.traps);
  return ok ? 0 : 1;
}

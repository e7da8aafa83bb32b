/*
 * mask_op.c: the masking operators, entity and operator names, and the
 * masking key of core/mask.h.  The scanner is mask_scan.c.
 *
 * Tokens: <NAME>, <NAME:h:HASH> and <NAME:e:SEALED>, where HASH and
 * SEALED are written in a base-32 alphabet of letters only, so that a
 * token holds nothing the scanner could take for an identifier (no
 * digit, '@' or CJK character) and masked text masks to itself.
 */
#include "mask.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const entity_names[MASK_N] = {
  "TW_ID",    "TW_ARC", "PHONE",   "EMAIL", "DOB",
  "PASSPORT", "NAME",   "ADDRESS", "CARD",  "UBN",
};

/* The replace operator's tokens, "<" entity_names[e] ">", whole: one
 * append per finding (mask_text() writes hundreds of thousands of them
 * a second). */
#define TOKEN(name)                                                           \
  {                                                                           \
    "<" name ">", sizeof("<" name ">") - 1                                    \
  }
static const struct {
  const char *s;
  size_t len;
} replace_tokens[MASK_N] = {
  TOKEN("TW_ID"), TOKEN("TW_ARC"),   TOKEN("PHONE"), TOKEN("EMAIL"),
  TOKEN("DOB"),   TOKEN("PASSPORT"), TOKEN("NAME"),  TOKEN("ADDRESS"),
  TOKEN("CARD"),  TOKEN("UBN"),
};
#undef TOKEN

static const char *const op_names[] = {
  "replace", "redact", "partial", "hash", "encrypt",
};

/* Letters only: see the header comment. */
static const char b32[] = "abcdefghijklmnopqrstuvwxyzABCDEF";

/* Bytes of a hash token's digest. */
#define HASH_BYTES 10
/* Longest value the encryption operator seals; longer findings (none of
 * the recognisers makes one) are replaced instead. */
#define SEAL_MAX 512

const char *mask_entity_name(enum mask_entity e)
{
  return (unsigned)e < MASK_N ? entity_names[e] : "?";
}

/* 1 if s[0..n) equals the NUL-terminated name, ignoring ASCII case. */
static int same_name(const char *s, size_t n, const char *name)
{
  size_t i;
  for(i = 0; i < n && name[i]; i++) {
    char c = s[i];
    if(c >= 'a' && c <= 'z') {
      c = (char)(c - 'a' + 'A');
    }
    char d = name[i];
    if(d >= 'a' && d <= 'z') {
      d = (char)(d - 'a' + 'A');
    }
    if(c != d) {
      return 0;
    }
  }
  return i == n && !name[i];
}

enum status mask_entities_parse(const char *list, unsigned *set,
                                size_t *bad_at)
{
  unsigned got = 0;
  size_t i = 0;
  int any = 0;
  if(!list) {
    list = "";
  }
  for(;;) {
    while(list[i] == ' ' || list[i] == '\t') {
      i++;
    }
    size_t start = i;
    while(list[i] && list[i] != ',') {
      i++;
    }
    size_t end = i;
    while(end > start && (list[end - 1] == ' ' || list[end - 1] == '\t')) {
      end--;
    }
    size_t e;
    if(same_name(list + start, end - start, "all")) {
      got |= MASK_ALL;
    }
    else if(same_name(list + start, end - start, "default")) {
      got |= MASK_DEFAULT;
    }
    else {
      for(e = 0; e < MASK_N; e++) {
        if(same_name(list + start, end - start, entity_names[e])) {
          got |= 1u << e;
          break;
        }
      }
      if(e == MASK_N) {
        if(bad_at) {
          *bad_at = start;
        }
        return ST_INVALID;
      }
    }
    any = 1;
    if(!list[i]) {
      break;
    }
    i++;
  }
  if(!any || !got) {
    if(bad_at) {
      *bad_at = 0;
    }
    return ST_INVALID;
  }
  *set = got;
  return ST_OK;
}

enum status mask_op_parse(const char *name, enum mask_op *op)
{
  for(size_t i = 0; name && i < N(op_names); i++) {
    if(same_name(name, strlen(name), op_names[i])) {
      *op = (enum mask_op)i;
      return ST_OK;
    }
  }
  return ST_INVALID;
}

const char *mask_op_name(enum mask_op op)
{
  return (unsigned)op < N(op_names) ? op_names[op] : "?";
}

/* ---- the key ---- */

/* Derive the two operator keys from the master key. */
static void derive(struct mask_key *k, const unsigned char master[32])
{
  crypto_kdf_derive_from_key(k->hash, sizeof(k->hash), 1, "ismsmask", master);
  crypto_kdf_derive_from_key(k->enc, sizeof(k->enc), 2, "ismsmask", master);
}

/* Write a new master key to path (O_EXCL, 0600) and derive *k from it. */
static enum status key_create(const char *path, struct mask_key *k)
{
  unsigned char master[crypto_kdf_KEYBYTES];
  int fd =
    open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if(fd < 0) {
    return ST_IO;
  }
  randombytes_buf(master, sizeof(master));
  ssize_t w = write(fd, master, sizeof(master));
  int ok = w == (ssize_t)sizeof(master) && fsync(fd) == 0;
  if(close(fd) != 0) {
    ok = 0;
  }
  if(!ok) {
    sodium_memzero(master, sizeof(master));
    unlink(path);
    return ST_IO;
  }
  derive(k, master);
  sodium_memzero(master, sizeof(master));
  return ST_OK;
}

enum status mask_key_load(const char *path, int create, struct mask_key *k)
{
  unsigned char master[crypto_kdf_KEYBYTES + 1];
  struct stat st;
  if(sodium_init() < 0) {
    return ST_INTERNAL;
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if(fd < 0) {
    if(errno == ENOENT && create) {
      return key_create(path, k);
    }
    return ST_IO;
  }
  if(fstat(fd, &st) != 0) {
    close(fd);
    return ST_IO;
  }
  if(!S_ISREG(st.st_mode)) {
    close(fd);
    return ST_IO;
  }
  if(st.st_mode & 077) {
    close(fd);
    return ST_FORBIDDEN;
  }
  ssize_t got = read(fd, master, sizeof(master));
  close(fd);
  if(got != crypto_kdf_KEYBYTES) {
    sodium_memzero(master, sizeof(master));
    return got < 0 ? ST_IO : ST_INVALID;
  }
  derive(k, master);
  sodium_memzero(master, sizeof(master));
  return ST_OK;
}

void mask_key_wipe(struct mask_key *k)
{
  sodium_memzero(k, sizeof(*k));
}

/* ---- base 32, letters only ---- */

static void b32_put(struct buf *out, const unsigned char *p, size_t n)
{
  unsigned acc = 0;
  int bits = 0;
  for(size_t i = 0; i < n; i++) {
    acc = (acc << 8) | p[i];
    bits += 8;
    while(bits >= 5) {
      buf_putc(out, b32[(acc >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if(bits > 0) {
    buf_putc(out, b32[(acc << (5 - bits)) & 31]);
  }
}

/* The value of base-32 letter c, or -1. */
static int b32_val(unsigned char c)
{
  if(c >= 'a' && c <= 'z') {
    return c - 'a';
  }
  if(c >= 'A' && c <= 'F') {
    return c - 'A' + 26;
  }
  return -1;
}

/* Decode s[0..n) into out (room for max bytes): the byte count, or -1
 * on a bad letter, stray bits or overflow. */
static long b32_get(const char *s, size_t n, unsigned char *out, size_t max)
{
  unsigned acc = 0;
  int bits = 0;
  size_t o = 0;
  for(size_t i = 0; i < n; i++) {
    int v = b32_val((unsigned char)s[i]);
    if(v < 0) {
      return -1;
    }
    acc = ((acc << 5) | (unsigned)v) & 0xfff;
    bits += 5;
    if(bits >= 8) {
      if(o == max) {
        return -1;
      }
      out[o++] = (unsigned char)(acc >> (bits - 8));
      bits -= 8;
    }
  }
  if(bits >= 5 || (acc & ((1u << bits) - 1))) {
    return -1;
  }
  return (long)o;
}

/* ---- operators ---- */

/* 1 if byte c starts a UTF-8 character. */
static int is_lead(unsigned char c)
{
  return (c & 0xc0) != 0x80;
}

/* The characters partial masking keeps at the start and the end of a
 * finding of entity e that has cps characters. */
static void partial_keep(enum mask_entity e, size_t cps, size_t *head,
                         size_t *tail)
{
  switch(e) {
  case MASK_PHONE:
    *head = 4, *tail = 3;
    break;
  case MASK_CARD:
    *head = 4, *tail = 4;
    break;
  case MASK_NAME:
    *head = 1, *tail = cps >= 3 ? 1 : 0;
    break;
  case MASK_DOB:
    *head = 2, *tail = 0;
    break;
  case MASK_ADDRESS:
    *head = 6, *tail = 0;
    break;
  default:
    *head = 3, *tail = 3;
    break;
  }
  if(*head + *tail >= cps) {
    *head = cps / 3;
    *tail = 0;
  }
}

/* Partial masking of finding f of text p. */
static void put_partial(struct buf *out, const char *p,
                        const struct mask_finding *f)
{
  const char *s = p + f->off;
  size_t n = f->len, i, cps = 0, head, tail;
  if(f->entity == MASK_EMAIL) {
    /* The first character of the local part, then stars to the '@'. */
    const char *at = memchr(s, '@', n);
    if(at) {
      size_t k = 0;
      for(i = 0; s + i < at; i++) {
        if(is_lead((unsigned char)s[i])) {
          if(k++ == 0) {
            size_t j = i + 1;
            while(s + j < at && !is_lead((unsigned char)s[j])) {
              j++;
            }
            buf_append(out, s + i, j - i);
          }
          else {
            buf_putc(out, '*');
          }
        }
      }
      buf_append(out, at, (size_t)(s + n - at));
      return;
    }
  }
  for(i = 0; i < n; i++) {
    cps += is_lead((unsigned char)s[i]);
  }
  partial_keep(f->entity, cps, &head, &tail);
  size_t k = 0;
  for(i = 0; i < n;) {
    size_t j = i + 1;
    while(j < n && !is_lead((unsigned char)s[j])) {
      j++;
    }
    if(k < head || k >= cps - tail) {
      buf_append(out, s + i, j - i);
    }
    else {
      buf_putc(out, '*');
    }
    k++;
    i = j;
  }
}

/* The value of a finding as it is hashed: full-width ASCII folded, ASCII
 * letters upper-cased (e-mail lower-cased), separators dropped. */
static size_t hash_form(const char *s, size_t n, enum mask_entity e,
                        unsigned char *out, size_t max)
{
  size_t o = 0;
  for(size_t i = 0; i < n && o < max;) {
    unsigned char c = (unsigned char)s[i];
    if(c == 0xef && i + 2 < n &&
       ((unsigned char)s[i + 1] == 0xbc || (unsigned char)s[i + 1] == 0xbd)) {
      /* U+FF01..FF5E: EF BC 81..BF, EF BD 80..9E.  The lead byte EF
       * gives the top four bits, 0xF000 (not 0xFF00: that folded
       * nothing, and Ａ１２３４５６７８９ hashed apart from A123456789). */
      unsigned cp = 0xf000 + (((unsigned char)s[i + 1] & 0x3f) << 6) +
                    ((unsigned char)s[i + 2] & 0x3f);
      if(cp >= 0xff01 && cp <= 0xff5e) {
        c = (unsigned char)(cp - 0xff01 + 0x21);
        i += 3;
      }
      else {
        out[o++] = c;
        i++;
        continue;
      }
    }
    else {
      i++;
    }
    if(c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' || c == '/') {
      if(e != MASK_EMAIL && e != MASK_NAME && e != MASK_ADDRESS) {
        continue;
      }
    }
    if(e == MASK_EMAIL && c >= 'A' && c <= 'Z') {
      c = (unsigned char)(c - 'A' + 'a');
    }
    else if(e != MASK_EMAIL && c >= 'a' && c <= 'z') {
      c = (unsigned char)(c - 'a' + 'A');
    }
    out[o++] = c;
  }
  return o;
}

static void put_hash(struct buf *out, const char *p,
                     const struct mask_finding *f, const struct mask_key *k)
{
  unsigned char form[SEAL_MAX], h[HASH_BYTES];
  size_t n = hash_form(p + f->off, f->len, f->entity, form, sizeof(form));
  crypto_generichash(h, sizeof(h), form, n, k->hash, sizeof(k->hash));
  buf_putc(out, '<');
  buf_puts(out, entity_names[f->entity]);
  buf_puts(out, ":h:");
  b32_put(out, h, sizeof(h));
  buf_putc(out, '>');
  sodium_memzero(form, sizeof(form));
}

#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG   crypto_aead_xchacha20poly1305_ietf_ABYTES

static void put_sealed(struct buf *out, const char *p,
                       const struct mask_finding *f, const struct mask_key *k)
{
  unsigned char sealed[NONCE + SEAL_MAX + TAG];
  unsigned long long clen = 0;
  const char *name = entity_names[f->entity];
  randombytes_buf(sealed, NONCE);
  crypto_aead_xchacha20poly1305_ietf_encrypt(
    sealed + NONCE, &clen, (const unsigned char *)p + f->off, f->len,
    (const unsigned char *)name, strlen(name), NULL, sealed, k->enc);
  buf_putc(out, '<');
  buf_puts(out, name);
  buf_puts(out, ":e:");
  b32_put(out, sealed, NONCE + (size_t)clen);
  buf_putc(out, '>');
}

struct masking {
  struct buf *out;
  const char *p;
  size_t at; /* bytes of p already copied or replaced */
  enum mask_op op;
  const struct mask_key *key;
};

void mask_put(struct buf *out, const char *p, const struct mask_finding *f,
              enum mask_op op, const struct mask_key *key)
{
  if((op == MASK_OP_HASH || op == MASK_OP_ENCRYPT) && !key) {
    op = MASK_OP_REPLACE;
  }
  if(op == MASK_OP_ENCRYPT && f->len > SEAL_MAX) {
    op = MASK_OP_REPLACE;
  }
  switch(op) {
  case MASK_OP_REDACT:
    break;
  case MASK_OP_PARTIAL:
    put_partial(out, p, f);
    break;
  case MASK_OP_HASH:
    put_hash(out, p, f, key);
    break;
  case MASK_OP_ENCRYPT:
    put_sealed(out, p, f, key);
    break;
  case MASK_OP_REPLACE:
  default:
    buf_append(out, replace_tokens[f->entity].s,
               replace_tokens[f->entity].len);
    break;
  }
}

static int on_finding(void *ctx, const struct mask_finding *f)
{
  struct masking *m = ctx;
  buf_append(m->out, m->p + m->at, f->off - m->at);
  m->at = f->off + f->len;
  mask_put(m->out, m->p, f, m->op, m->key);
  return m->out->err != ST_OK;
}

size_t mask_text(struct buf *out, const char *p, size_t n, unsigned entities,
                 enum mask_op op, const struct mask_key *key)
{
  struct masking m = { out, p, 0, op, key };
  size_t found = mask_scan(p, n, entities, on_finding, &m);
  buf_append(out, p + m.at, n - m.at);
  return found;
}

/* If p[i..n) starts an encryption token "<NAME:e:letters>", its length,
 * with its entity in *e and its letters at p[*from .. *to); else 0. */
static size_t sealed_token(const char *p, size_t i, size_t n, size_t *e,
                           size_t *from, size_t *to)
{
  for(*e = 0; *e < MASK_N; (*e)++) {
    const char *name = entity_names[*e];
    size_t nl = strlen(name);
    if(n - i < nl + 5 || p[i] != '<' || memcmp(p + i + 1, name, nl) != 0 ||
       memcmp(p + i + 1 + nl, ":e:", 3) != 0) {
      continue;
    }
    size_t s = i + 1 + nl + 3, j = s;
    while(j < n && b32_val((unsigned char)p[j]) >= 0 &&
          j - s < 2 * (NONCE + SEAL_MAX + TAG)) {
      j++;
    }
    if(j == s || j >= n || p[j] != '>') {
      return 0;
    }
    *from = s;
    *to = j;
    return j + 1 - i;
  }
  return 0;
}

/* If p[i..n) starts an encryption token that key opens, append its text
 * to out and return the token's length; else 0. */
static size_t reveal_one(struct buf *out, const char *p, size_t i, size_t n,
                         const struct mask_key *key)
{
  unsigned char sealed[NONCE + SEAL_MAX + TAG];
  unsigned char plain[SEAL_MAX];
  unsigned long long plen = 0;
  size_t e, from, to, len = sealed_token(p, i, n, &e, &from, &to);
  if(!len) {
    return 0;
  }
  const char *name = entity_names[e];
  long got = b32_get(p + from, to - from, sealed, sizeof(sealed));
  if(got < (long)(NONCE + TAG) ||
     crypto_aead_xchacha20poly1305_ietf_decrypt(
       plain, &plen, NULL, sealed + NONCE, (unsigned long long)got - NONCE,
       (const unsigned char *)name, strlen(name), sealed, key->enc) != 0) {
    return 0;
  }
  buf_append(out, plain, (size_t)plen);
  sodium_memzero(plain, sizeof(plain));
  return len;
}

size_t mask_sealed_count(const char *p, size_t n)
{
  size_t k = 0, i = 0, e, from, to;
  while(i < n) {
    const char *lt = memchr(p + i, '<', n - i);
    if(!lt) {
      break;
    }
    i = (size_t)(lt - p);
    size_t len = sealed_token(p, i, n, &e, &from, &to);
    k += len != 0;
    i += len ? len : 1;
  }
  return k;
}

size_t mask_reveal(struct buf *out, const char *p, size_t n,
                   const struct mask_key *key)
{
  size_t opened = 0, i = 0, from = 0;
  while(i < n) {
    const char *lt = memchr(p + i, '<', n - i);
    if(!lt) {
      break;
    }
    i = (size_t)(lt - p);
    buf_append(out, p + from, i - from);
    size_t used = reveal_one(out, p, i, n, key);
    if(used) {
      opened++;
      i += used;
    }
    else {
      buf_putc(out, '<');
      i++;
    }
    from = i;
  }
  buf_append(out, p + from, n - from);
  return opened;
}

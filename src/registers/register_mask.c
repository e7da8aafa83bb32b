/*
 * register_mask.c: masking of entered text with the agency's settings
 * and the key file beside the database (register_mask.h).
 */
#include "register_mask.h"

#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"
#include "db/settings.h"

#include <string.h>
#include <time.h>

/* Room for a masked text: the longest token (an encryption of a long
 * finding) is a few times its finding, so this is never reached by a
 * field's text; it bounds what a hostile input can make. */
#define MASKED_MAX(n) (16 * (n) + 4096)

void reg_masker_init(struct reg_masker *m, struct db *db)
{
  struct arena a;
  const char *t;
  memset(m, 0, sizeof(*m));
  m->db = db;
  m->entities = MASK_DEFAULT;
  m->op = MASK_OP_REPLACE;
  arena_init(&a, 4096);
  t = setting_text(db, SET_MASK_ENTITIES, &a);
  if(!t || mask_entities_parse(t, &m->entities, NULL)) {
    log_msg(LOG_WARNING, "mask-entities %s not understood: using default",
            t ? t : "(unreadable)");
    m->entities = MASK_DEFAULT;
  }
  t = setting_text(db, SET_MASK_OPERATOR, &a);
  if(!t || mask_op_parse(t, &m->op)) {
    log_msg(LOG_WARNING, "mask-operator %s not understood: using replace",
            t ? t : "(unreadable)");
    m->op = MASK_OP_REPLACE;
  }
  arena_reset(&a);
}

void reg_masker_end(struct reg_masker *m)
{
  mask_key_wipe(&m->key);
  m->has_key = 0;
}

/* The key file of db into a: "<db file>.maskkey", or NULL when db has no
 * file. */
static const char *key_path(struct db *db, struct arena *a)
{
  const char *file = db_filename(db);
  if(!*file) {
    return NULL;
  }
  return arena_printf(a, "%s.maskkey", file);
}

/* Load (or make, when create is set) the key of db into *k.  Two
 * workers that find no key at once both try to make it; the one that
 * loses (O_EXCL) reads the winner's, after a moment for it to be
 * written when it is not whole yet. */
static enum status key_load(struct db *db, int create, struct mask_key *k)
{
  struct arena a;
  const char *path;
  enum status st;
  int tries;
  arena_init(&a, 8192);
  path = key_path(db, &a);
  st = path ? mask_key_load(path, create, k) : ST_IO;
  for(tries = 0; path && create && st && st != ST_FORBIDDEN && tries < 3;
      tries++) {
    struct timespec pause = { 0, 20 * 1000 * 1000 };
    if(tries) {
      nanosleep(&pause, NULL);
    }
    st = mask_key_load(path, 0, k);
  }
  if(st) {
    log_msg(LOG_ERR, "masking key %s: %s", path ? path : "(no database file)",
            status_name(st));
  }
  arena_reset(&a);
  return st;
}

/* The findings of one scan, collected for counts and spans. */
struct findings {
  struct arena *a;
  struct mask_finding *items; /* n of cap */
  size_t n, cap;
  int full; /* a was exhausted */
};

static int collect(void *ctx, const struct mask_finding *f)
{
  struct findings *fs = ctx;
  if(fs->n == fs->cap) {
    size_t cap = fs->cap ? fs->cap * 2 : 16;
    struct mask_finding *grown = arena_alloc(fs->a, sizeof(*grown) * cap);
    if(!grown) {
      fs->full = 1;
      return 1;
    }
    if(fs->n) {
      memcpy(grown, fs->items, sizeof(*grown) * fs->n);
    }
    fs->items = grown;
    fs->cap = cap;
  }
  fs->items[fs->n++] = *f;
  return 0;
}

/* Bytes of the UTF-8 characters p[0..n) counted as characters. */
static size_t chars_of(const char *p, size_t n)
{
  size_t i, k = 0;
  for(i = 0; i < n; i++) {
    k += ((unsigned char)p[i] & 0xc0) != 0x80;
  }
  return k;
}

/* The length of the replacement of a finding of chars characters at
 * out[at..n) made by op: nothing for redact, as many characters for a
 * partial mask, a token "<...>" otherwise (hash and encrypt without a
 * key, or of a finding too long to seal, are tokens too).  (size_t)-1
 * when out does not hold one there. */
static size_t replacement_len(const char *out, size_t at, size_t n,
                              enum mask_op op, size_t chars)
{
  size_t i;
  if(op == MASK_OP_REDACT) {
    return 0;
  }
  if(op == MASK_OP_PARTIAL) {
    for(i = at; i < n && chars; chars--) {
      i++;
      while(i < n && ((unsigned char)out[i] & 0xc0) == 0x80) {
        i++;
      }
    }
    return chars ? (size_t)-1 : i - at;
  }
  if(at >= n || out[at] != '<') {
    return (size_t)-1;
  }
  for(i = at + 1; i < n; i++) {
    if(out[i] == '>') {
      return i + 1 - at;
    }
  }
  return (size_t)-1;
}

/*
 * Where each finding's replacement lies in out (the masked text): the
 * text between findings is copied unchanged, so walking both and
 * checking every copied part locates each replacement.  NULL when out
 * does not agree (the preview then marks nothing, the text is still
 * right).
 */
static struct reg_mask_span *locate(const char *text, const char *out,
                                    size_t out_len, enum mask_op op,
                                    const struct findings *fs, struct arena *a)
{
  struct reg_mask_span *spans = arena_alloc(a, sizeof(*spans) * fs->n);
  size_t i, in_at = 0, out_at = 0;
  if(!spans) {
    return NULL;
  }
  for(i = 0; i < fs->n; i++) {
    const struct mask_finding *f = &fs->items[i];
    size_t gap = f->off - in_at, len;
    if(f->off < in_at || out_at + gap > out_len ||
       memcmp(out + out_at, text + in_at, gap) != 0) {
      return NULL;
    }
    out_at += gap;
    len = replacement_len(out, out_at, out_len, op,
                          chars_of(text + f->off, f->len));
    if(len == (size_t)-1) {
      return NULL;
    }
    spans[i].off = out_at;
    spans[i].len = len;
    spans[i].entity = f->entity;
    out_at += len;
    in_at = f->off + f->len;
  }
  if(out_len - out_at != strlen(text) - in_at ||
     memcmp(out + out_at, text + in_at, out_len - out_at) != 0) {
    return NULL;
  }
  return spans;
}

enum status reg_masker_text(struct reg_masker *m, enum mask_op op,
                            const char *text, struct arena *a,
                            struct reg_masked *out)
{
  struct findings fs;
  struct buf b;
  size_t n = strlen(text), i;
  char *copy;

  memset(out, 0, sizeof(*out));
  out->text = text;
  out->op = op;
  memset(&fs, 0, sizeof(fs));
  fs.a = a;
  mask_scan(text, n, m->entities, collect, &fs);
  if(fs.full) {
    return ST_TOOBIG;
  }
  if(!fs.n) {
    return ST_OK;
  }
  if(op == MASK_OP_HASH || op == MASK_OP_ENCRYPT) {
    if(!m->has_key && !m->key_err) {
      m->key_err = key_load(m->db, 1, &m->key);
      m->has_key = !m->key_err;
    }
    if(!m->has_key) {
      return m->key_err;
    }
  }
  buf_init(&b, MASKED_MAX(n));
  mask_text(&b, text, n, m->entities, op, m->has_key ? &m->key : NULL);
  if(b.err) {
    buf_free(&b);
    return ST_TOOBIG;
  }
  copy = arena_strndup(a, b.data, b.len);
  if(copy) {
    out->spans = locate(text, copy, b.len, op, &fs, a);
  }
  buf_free(&b);
  if(!copy) {
    return ST_TOOBIG;
  }
  out->text = copy;
  out->n = fs.n;
  for(i = 0; i < fs.n; i++) {
    if((unsigned)fs.items[i].entity < MASK_N) {
      out->count[fs.items[i].entity]++;
      m->count[fs.items[i].entity]++;
    }
  }
  m->total += fs.n;
  return ST_OK;
}

int reg_has_mask(const struct reg *reg)
{
  size_t i;
  for(i = 0; i < reg->n_fields; i++) {
    if(reg->fields[i].flags & FF_MASK) {
      return 1;
    }
  }
  return 0;
}

enum status reg_mask_values(struct reg_masker *m, const struct reg *reg,
                            const char **in, const enum mask_op *ops,
                            const unsigned char *only, struct arena *a,
                            struct reg_masked *res)
{
  size_t i;
  if(res) {
    memset(res, 0, sizeof(*res) * reg->n_fields);
  }
  for(i = 0; i < reg->n_fields; i++) {
    struct reg_masked one;
    enum status st;
    if(!(reg->fields[i].flags & FF_MASK) || !in[i] || (only && !only[i])) {
      continue;
    }
    st = reg_masker_text(m, ops ? ops[i] : m->op, in[i], a, &one);
    if(st) {
      return st;
    }
    in[i] = one.text;
    if(res) {
      res[i] = one;
    }
  }
  return ST_OK;
}

/* The length of an encryption token at p[0..n) ("<NAME:e:" letters ">"),
 * or 0. */
static size_t sealed_at(const char *p, size_t n)
{
  size_t e, i;
  for(e = 0; e < MASK_N; e++) {
    const char *name = mask_entity_name((enum mask_entity)e);
    size_t nl = strlen(name);
    if(n < nl + 5 || p[0] != '<' || memcmp(p + 1, name, nl) != 0 ||
       memcmp(p + 1 + nl, ":e:", 3) != 0) {
      continue;
    }
    for(i = nl + 4; i < n; i++) {
      char c = p[i];
      if(c == '>') {
        return i > nl + 4 ? i + 1 : 0;
      }
      if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'F'))) {
        return 0;
      }
    }
    return 0;
  }
  return 0;
}

/* How many encryption tokens v holds. */
static size_t count_sealed(const char *v)
{
  size_t n = v ? strlen(v) : 0, i = 0, k = 0;
  while(i < n) {
    const char *lt = memchr(v + i, '<', n - i);
    size_t len;
    if(!lt) {
      break;
    }
    i = (size_t)(lt - v);
    len = sealed_at(v + i, n - i);
    if(len) {
      k++;
      i += len;
    }
    else {
      i++;
    }
  }
  return k;
}

int reg_mask_has_sealed(const char *v)
{
  return count_sealed(v) > 0;
}

enum status reg_mask_reveal(struct db *db, const char *v, struct arena *a,
                            const char **out, size_t *opened, size_t *sealed)
{
  struct mask_key k;
  struct buf b;
  size_t n = strlen(v);
  enum status st;
  *out = v;
  *opened = 0;
  *sealed = count_sealed(v);
  if(!*sealed) {
    return ST_OK;
  }
  st = key_load(db, 0, &k);
  if(st) {
    return st;
  }
  buf_init(&b, n + 1024);
  *opened = mask_reveal(&b, v, n, &k);
  mask_key_wipe(&k);
  if(b.err) {
    buf_free(&b);
    return ST_TOOBIG;
  }
  *out = arena_strndup(a, b.data, b.len);
  /* The caller's copy lives in its arena; this one is cleared before it
   * goes back to the heap. */
  memset(b.data, 0, b.len);
  buf_free(&b);
  return *out ? ST_OK : ST_TOOBIG;
}

const char *reg_mask_summary(const size_t count[MASK_N], struct arena *a)
{
  struct buf b;
  const char *s;
  size_t e;
  buf_init(&b, 512);
  for(e = 0; e < MASK_N; e++) {
    if(count[e]) {
      buf_appendf(&b, "%s%s %zu", b.len ? ", " : "",
                  mask_entity_name((enum mask_entity)e), count[e]);
    }
  }
  s = arena_strdup(a, b.err ? "" : b.data);
  buf_free(&b);
  return s ? s : "";
}

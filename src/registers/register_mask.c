/*
 * register_mask.c: masking of entered text with the agency's settings
 * and the key file beside the database (register_mask.h).
 */
#include "register_mask.h"

#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"
#include "core/utf8.h"
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

/* One text being masked: the scan's callback writes each gap and
 * replacement to out and records where the replacement went. */
struct masking {
  struct reg_masker *m;
  enum mask_op op;
  const char *text;
  size_t at;                   /* bytes of text already written */
  struct buf out;              /* the masked text */
  struct arena *a;             /* where spans live */
  struct reg_mask_span *spans; /* n of cap */
  size_t n, cap;
  enum status err; /* why the scan was stopped */
};

static int on_finding(void *ctx, const struct mask_finding *f)
{
  struct masking *k = ctx;
  struct reg_masker *m = k->m;
  if(k->n == k->cap) {
    size_t cap = k->cap ? k->cap * 2 : 16;
    struct reg_mask_span *grown = arena_alloc(k->a, sizeof(*grown) * cap);
    if(!grown) {
      k->err = ST_TOOBIG;
      return 1;
    }
    if(k->n) {
      memcpy(grown, k->spans, sizeof(*grown) * k->n);
    }
    k->spans = grown;
    k->cap = cap;
  }
  /* The key is loaded (or made) on the first finding that needs it. */
  if((k->op == MASK_OP_HASH || k->op == MASK_OP_ENCRYPT) && !m->has_key) {
    if(!m->key_err) {
      m->key_err = key_load(m->db, 1, &m->key);
      m->has_key = !m->key_err;
    }
    if(!m->has_key) {
      k->err = m->key_err;
      return 1;
    }
  }
  buf_append(&k->out, k->text + k->at, f->off - k->at);
  k->spans[k->n].off = k->out.len;
  k->spans[k->n].entity = f->entity;
  mask_put(&k->out, k->text, f, k->op, m->has_key ? &m->key : NULL);
  k->spans[k->n].len = k->out.len - k->spans[k->n].off;
  k->n++;
  k->at = f->off + f->len;
  if(k->out.err) {
    k->err = ST_TOOBIG;
    return 1;
  }
  return 0;
}

enum status reg_masker_text(struct reg_masker *m, enum mask_op op,
                            const char *text, struct arena *a,
                            struct reg_masked *out)
{
  size_t n = strlen(text), i;
  struct masking k;
  const char *copy;

  memset(out, 0, sizeof(*out));
  out->text = text;
  out->op = op;
  memset(&k, 0, sizeof(k));
  k.m = m;
  k.op = op;
  k.text = text;
  k.a = a;
  buf_init(&k.out, MASKED_MAX(n));
  mask_scan(text, n, m->entities, on_finding, &k);
  if(k.err || !k.n) {
    buf_free(&k.out);
    return k.err;
  }
  buf_append(&k.out, text + k.at, n - k.at);
  copy = k.out.err ? NULL : arena_strndup(a, k.out.data, k.out.len);
  buf_free(&k.out);
  if(!copy) {
    return ST_TOOBIG;
  }
  out->text = copy;
  out->spans = k.spans;
  out->n = k.n;
  for(i = 0; i < k.n; i++) {
    out->count[k.spans[i].entity]++;
    m->count[k.spans[i].entity]++;
  }
  m->total += k.n;
  return ST_OK;
}

enum status reg_mask_meta(struct reg_masker *m, const char *text,
                          struct arena *a, const char **out)
{
  struct reg_masked mk;
  enum status st;
  *out = NULL;
  if(!text) {
    return ST_OK;
  }
  st = reg_masker_text(m, MASK_OP_REPLACE, text, a, &mk);
  if(!st) {
    *out = mk.text;
  }
  return st;
}

/* The extension of file name that masking must not take: its last '.'
 * and 1 to 5 ASCII letters and digits, the first a letter (.pdf, .jpeg,
 * .docx), too short to be any entity; empty when there is none. */
static struct str file_ext(const char *name)
{
  static const struct str none = { "", 0 };
  const char *dot = strrchr(name, '.');
  size_t i, n;
  if(!dot) {
    return none;
  }
  n = strlen(dot + 1);
  if(n < 1 || n > 5 || !((dot[1] | 0x20) >= 'a' && (dot[1] | 0x20) <= 'z')) {
    return none;
  }
  for(i = 1; i <= n; i++) {
    char c = dot[i];
    if(!((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))) {
      return none;
    }
  }
  return (struct str){ dot, n + 1 };
}

enum status reg_mask_file_name(struct reg_masker *m, const char *name,
                               struct arena *a, const char **out)
{
  struct str ext;
  const char *masked;
  size_t len;
  enum status st;
  *out = NULL;
  if(!name) {
    name = "";
  }
  ext = file_ext(name);
  st = reg_mask_meta(m, name, a, &masked);
  if(st) {
    return st;
  }
  /* A token ends in '>', so a masked name that still ends with the
   * extension ends with the extension as sent; otherwise a finding took
   * it in (an e-mail address's domain) and it is put back. */
  len = strlen(masked);
  if(ext.len && len >= ext.len &&
     !memcmp(masked + len - ext.len, ext.p, ext.len)) {
    len -= ext.len;
  }
  if(str_blank((struct str){ masked, len })) {
    masked = "evidence";
    len = strlen(masked);
  }
  *out = arena_printf(a, "%.*s%.*s", (int)len, masked, (int)ext.len, ext.p);
  return *out ? ST_OK : ST_TOOBIG;
}

enum status reg_mask_upload_name(struct db *db, const char *name,
                                 struct arena *a, const char **out)
{
  struct reg_masker m;
  enum status st;
  reg_masker_init(&m, db);
  st = reg_mask_file_name(&m, name, a, out);
  reg_masker_end(&m);
  return st;
}

void reg_mask_long_errors(const struct reg *reg, const char *const *raw,
                          struct reg_errors *errs, size_t from)
{
  size_t k;
  for(k = from; k < errs->n; k++) {
    struct reg_error *e = &errs->items[k];
    const struct field *f = reg_field(reg, e->field);
    const char *was;
    if(e->msg != M_ERR_TOO_LONG || !f || !(f->flags & FF_MASK)) {
      continue;
    }
    was = raw[reg_field_index(reg, f)];
    if(was && (int64_t)utf8_count(str_trim(str_c(was))) <= f->max) {
      e->msg = M_MASK_TOO_LONG;
    }
  }
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

int reg_mask_has_sealed(const char *v)
{
  return v && mask_sealed_count(v, strlen(v)) > 0;
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
  *sealed = mask_sealed_count(v, n);
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

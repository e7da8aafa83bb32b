/*
 * doc.c: building the document model: every text checked, copied into
 * the arena and counted against the limits.
 */
#include "doc.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/utf8.h"

#include <math.h>
#include <string.h>

/* The separator of a meta line's label and value. */
#define META_SEP "："

void doc_init(struct doc *d, struct arena *a)
{
  memset(d, 0, sizeof(*d));
  d->arena = a;
  d->title = "";
  d->subtitle = "";
  d->footer = "";
}

enum status doc_status(const struct doc *d)
{
  return d->err;
}

/* Record the first failure; returns the document's status. */
static enum status fail(struct doc *d, enum status st)
{
  if(!d->err) {
    d->err = st;
  }
  return d->err;
}

/* 1 if s holds U+FFFE or U+FFFF (valid UTF-8, but not XML characters). */
static int has_nonchar(struct str s)
{
  size_t i;
  for(i = 0; i + 2 < s.len; i++) {
    if((unsigned char)s.p[i] == 0xEF && (unsigned char)s.p[i + 1] == 0xBF &&
       ((unsigned char)s.p[i + 2] == 0xBE ||
        (unsigned char)s.p[i + 2] == 0xBF)) {
      return 1;
    }
  }
  return 0;
}

/* Check text (NULL is "") and copy it into the arena; NULL after a
 * failure, which is recorded in d. */
static const char *take(struct doc *d, const char *text)
{
  struct str s = str_c(text);
  char *copy;
  if(d->err) {
    return NULL;
  }
  if(s.len > DOC_TEXT_MAX || s.len > DOC_TOTAL_MAX - d->text_bytes) {
    fail(d, ST_TOOBIG);
    return NULL;
  }
  if(!utf8_valid(s, NULL) || utf8_has_control(s, 1) || has_nonchar(s)) {
    fail(d, ST_INVALID);
    return NULL;
  }
  copy = arena_strndup(d->arena, s.p ? s.p : "", s.len);
  if(!copy) {
    fail(d, ST_TOOBIG);
    return NULL;
  }
  d->text_bytes += s.len;
  return copy;
}

/* Append a new block of kind k; NULL after a failure. */
static struct doc_block *add_block(struct doc *d, enum doc_kind k)
{
  struct doc_block *b;
  if(d->err) {
    return NULL;
  }
  if(d->n_blocks >= DOC_BLOCKS_MAX) {
    fail(d, ST_TOOBIG);
    return NULL;
  }
  b = arena_alloc(d->arena, sizeof(*b));
  if(!b) {
    fail(d, ST_TOOBIG);
    return NULL;
  }
  memset(b, 0, sizeof(*b));
  b->kind = k;
  b->text = "";
  if(d->last) {
    d->last->next = b;
  }
  else {
    d->blocks = b;
  }
  d->last = b;
  d->n_blocks++;
  if(k == DOC_TABLE || k == DOC_FIELDS || k == DOC_SIGNATURE) {
    d->n_tables++;
  }
  return b;
}

/* Copy n texts into a new array; NULL after a failure. */
static const char **take_all(struct doc *d, const char *const *texts, size_t n)
{
  const char **out;
  size_t i;
  if(d->err) {
    return NULL;
  }
  out = arena_alloc(d->arena, n * sizeof(*out));
  if(!out) {
    fail(d, ST_TOOBIG);
    return NULL;
  }
  for(i = 0; i < n; i++) {
    out[i] = take(d, texts ? texts[i] : NULL);
    if(!out[i]) {
      return NULL;
    }
  }
  return out;
}

/* Add a row of the last block, which must be of kind k; limit is the
 * most rows it may have. */
static enum status add_row(struct doc *d, enum doc_kind k,
                           const char *const *cells, size_t limit)
{
  struct doc_block *b = d->last;
  struct doc_row *r;
  if(d->err) {
    return d->err;
  }
  if(!b || b->kind != k) {
    return fail(d, ST_INTERNAL);
  }
  if(b->n_rows >= limit) {
    return fail(d, ST_TOOBIG);
  }
  r = arena_alloc(d->arena, sizeof(*r));
  if(!r) {
    return fail(d, ST_TOOBIG);
  }
  r->next = NULL;
  r->cells = take_all(d, cells, b->n_cols);
  if(!r->cells) {
    return d->err;
  }
  if(b->last) {
    b->last->next = r;
  }
  else {
    b->rows = r;
  }
  b->last = r;
  b->n_rows++;
  return ST_OK;
}

enum status doc_title(struct doc *d, const char *text)
{
  const char *t = take(d, text);
  if(t) {
    d->title = t;
  }
  return d->err;
}

enum status doc_subtitle(struct doc *d, const char *text)
{
  const char *t = take(d, text);
  if(t) {
    d->subtitle = t;
  }
  return d->err;
}

enum status doc_meta(struct doc *d, const char *label, const char *value)
{
  const char *l, *v;
  char *line;
  size_t n_l, n_v;
  if(d->err) {
    return d->err;
  }
  if(d->n_meta >= DOC_META_MAX) {
    return fail(d, ST_TOOBIG);
  }
  l = take(d, label);
  v = take(d, value);
  if(!l || !v) {
    return d->err;
  }
  n_l = strlen(l);
  n_v = strlen(v);
  if(!n_l) {
    d->meta[d->n_meta++] = v;
    return ST_OK;
  }
  line = arena_alloc(d->arena, n_l + sizeof(META_SEP) + n_v);
  if(!line) {
    return fail(d, ST_TOOBIG);
  }
  memcpy(line, l, n_l);
  memcpy(line + n_l, META_SEP, sizeof(META_SEP) - 1);
  memcpy(line + n_l + sizeof(META_SEP) - 1, v, n_v + 1);
  d->meta[d->n_meta++] = line;
  return ST_OK;
}

enum status doc_meta_roc(struct doc *d, const char *label, struct date day)
{
  struct buf b;
  enum status st;
  buf_init(&b, 64);
  time_format_roc(&b, day);
  st = b.err ? fail(d, ST_INVALID) : doc_meta(d, label, b.data);
  buf_free(&b);
  return st;
}

enum status doc_footer(struct doc *d, const char *text)
{
  const char *t = take(d, text);
  if(t) {
    d->footer = t;
  }
  return d->err;
}

enum status doc_heading(struct doc *d, int level, const char *text)
{
  struct doc_block *b;
  const char *t;
  if(d->err) {
    return d->err;
  }
  if(level < 1 || level > 3) {
    return fail(d, ST_INVALID);
  }
  t = take(d, text);
  b = t ? add_block(d, DOC_HEADING) : NULL;
  if(b) {
    b->level = level;
    b->text = t;
  }
  return d->err;
}

enum status doc_para(struct doc *d, const char *text)
{
  const char *t = take(d, text);
  struct doc_block *b = t ? add_block(d, DOC_PARA) : NULL;
  if(b) {
    b->text = t;
  }
  return d->err;
}

enum status doc_list(struct doc *d)
{
  struct doc_block *b = add_block(d, DOC_LIST);
  if(b) {
    b->n_cols = 1;
  }
  return d->err;
}

enum status doc_item(struct doc *d, const char *text)
{
  const char *cells[1];
  cells[0] = text;
  return add_row(d, DOC_LIST, cells, DOC_ITEMS_MAX);
}

enum status doc_fields(struct doc *d)
{
  static const double widths[2] = { 3, 7 };
  struct doc_block *b = add_block(d, DOC_FIELDS);
  if(b) {
    b->n_cols = 2;
    b->widths = widths;
  }
  return d->err;
}

enum status doc_field(struct doc *d, const char *label, const char *value)
{
  const char *cells[2];
  cells[0] = label;
  cells[1] = value;
  return add_row(d, DOC_FIELDS, cells, DOC_ITEMS_MAX);
}

enum status doc_table(struct doc *d, size_t n_cols, const char *const *head,
                      const double *widths)
{
  struct doc_block *b;
  double *w;
  size_t i;
  if(d->err) {
    return d->err;
  }
  if(n_cols == 0) {
    return fail(d, ST_INVALID);
  }
  if(n_cols > DOC_COLS_MAX) {
    return fail(d, ST_TOOBIG);
  }
  for(i = 0; widths && i < n_cols; i++) {
    if(!isfinite(widths[i]) || widths[i] <= 0) {
      return fail(d, ST_INVALID);
    }
  }
  w = arena_alloc(d->arena, n_cols * sizeof(*w));
  if(!w) {
    return fail(d, ST_TOOBIG);
  }
  for(i = 0; i < n_cols; i++) {
    w[i] = widths ? widths[i] : 1.0;
  }
  b = add_block(d, DOC_TABLE);
  if(!b) {
    return d->err;
  }
  b->n_cols = n_cols;
  b->widths = w;
  if(head) {
    b->head = take_all(d, head, n_cols);
  }
  return d->err;
}

enum status doc_row(struct doc *d, const char *const *cells)
{
  return add_row(d, DOC_TABLE, cells, DOC_ROWS_MAX);
}

enum status doc_signature(struct doc *d, const char *const *roles, size_t n)
{
  const char *usual[3];
  struct doc_block *b;
  if(d->err) {
    return d->err;
  }
  if(!roles) {
    usual[0] = msg_get(LANG_ZH, M_DOC_SIGN_CLERK);
    usual[1] = msg_get(LANG_ZH, M_DOC_SIGN_HEAD);
    usual[2] = msg_get(LANG_ZH, M_ROLE_CISO);
    roles = usual;
    n = 3;
  }
  if(n == 0) {
    return fail(d, ST_INVALID);
  }
  if(n > DOC_SIGNERS_MAX) {
    return fail(d, ST_TOOBIG);
  }
  b = add_block(d, DOC_SIGNATURE);
  if(b) {
    b->n_cols = n;
    b->head = take_all(d, roles, n);
  }
  return d->err;
}

void doc_col_widths(const struct doc_block *b, double total, double min,
                    double *out)
{
  int is_min[DOC_COLS_MAX] = { 0 };
  size_t i, round, n = b->n_cols, n_min = 0;
  if(n == 0 || n > DOC_COLS_MAX) {
    return;
  }
  if(min * (double)n > total) {
    min = total / (double)n;
  }
  /* Scale the hints; a column that comes out narrower than min gets min
   * and the others share what is left.  Each round fixes at least one
   * more column or ends. */
  for(round = 0; round <= n; round++) {
    double sum = 0, room = total - min * (double)n_min;
    int changed = 0;
    for(i = 0; i < n; i++) {
      if(!is_min[i]) {
        sum += b->widths ? b->widths[i] : 1.0;
      }
    }
    for(i = 0; i < n; i++) {
      if(is_min[i]) {
        out[i] = min;
        continue;
      }
      out[i] = room * (b->widths ? b->widths[i] : 1.0) / sum;
      if(out[i] < min) {
        is_min[i] = 1;
        n_min++;
        changed = 1;
      }
    }
    if(!changed) {
      break;
    }
  }
}

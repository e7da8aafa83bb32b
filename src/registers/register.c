/*
 * register.c: declarations, validation and normalisation of register
 * values.  No SQL here (register_store.c) and no HTML (register_pages.c).
 */
#include "register.h"
#include "register_store.h"
#include "core/mem.h"
#include "core/time.h"
#include "core/utf8.h"

#include <stdio.h>
#include <string.h>

int reg_area(const char *name)
{
  const struct reg *reg = reg_find(name);
  return reg ? reg->area : -1;
}

const struct reg *reg_find(const char *name)
{
  size_t i;
  for(i = 0; i < n_registers; i++) {
    if(strcmp(registers[i]->name, name) == 0) {
      return registers[i];
    }
  }
  return NULL;
}

const struct field *reg_field(const struct reg *reg, const char *name)
{
  size_t i;
  if(!name) {
    return NULL;
  }
  for(i = 0; i < reg->n_fields; i++) {
    if(strcmp(reg->fields[i].name, name) == 0) {
      return &reg->fields[i];
    }
  }
  return NULL;
}

size_t reg_field_index(const struct reg *reg, const struct field *f)
{
  return (size_t)(f - reg->fields);
}

const char **reg_slot(const struct reg *reg, const char **v, const char *name)
{
  const struct field *f = reg_field(reg, name);
  CHECK(f != NULL);
  return &v[reg_field_index(reg, f)];
}

const char *reg_val(const struct reg *reg, const struct record *rec,
                    const char *name)
{
  return *reg_slot(reg, rec->v, name);
}

void reg_errors_init(struct reg_errors *errs, struct arena *a)
{
  memset(errs, 0, sizeof(*errs));
  errs->arena = a;
}

void reg_error(struct reg_errors *errs, const char *field, enum msg msg)
{
  if(errs->n == errs->cap) {
    size_t cap = errs->cap ? errs->cap * 2 : 16;
    struct reg_error *items = arena_alloc(errs->arena, cap * sizeof(*items));
    if(!items) {
      errs->failed = 1; /* the arena cap: still an error */
      return;
    }
    if(errs->n) {
      memcpy(items, errs->items, errs->n * sizeof(*items));
    }
    errs->items = items;
    errs->cap = cap;
  }
  errs->items[errs->n].field = field ? field : "";
  errs->items[errs->n].msg = msg;
  errs->items[errs->n].detail = NULL;
  errs->items[errs->n].row = errs->row;
  errs->n++;
}

void reg_error_detail(struct reg_errors *errs, const char *field, enum msg msg,
                      const char *detail)
{
  size_t n = errs->n, len = detail ? strlen(detail) : 0;
  reg_error(errs, field, msg);
  if(errs->n == n || !detail) {
    return;
  }
  if(len > 100) {
    len = 100;
    while(len > 0 && ((unsigned char)detail[len] & 0xC0) == 0x80) {
      len--; /* do not cut a UTF-8 sequence */
    }
  }
  errs->items[n].detail = arena_strndup(errs->arena, detail, len);
}

const char *reg_msg_detail(enum lang lang, enum msg msg, const char *detail,
                           struct arena *a)
{
  const char *text = msg_get(lang, msg), *at, *r;
  if(!detail) {
    return text;
  }
  at = strstr(text, "%s");
  if(at) {
    /* The message names the data itself. */
    r = arena_printf(a, "%.*s%s%s", (int)(at - text), text, detail, at + 2);
  }
  else {
    r = lang == LANG_ZH ? arena_printf(a, "%s：「%s」", text, detail) :
                          arena_printf(a, "%s: “%s”", text, detail);
  }
  return r ? r : text;
}

int reg_errors_any(const struct reg_errors *errs)
{
  return errs->n > 0 || errs->failed;
}

const char *reg_enum_label(const struct field *f, const char *value,
                           enum lang lang)
{
  const struct field_opt *o;
  for(o = f->opts; o && o->value; o++) {
    if(strcmp(o->value, value) == 0) {
      return msg_get(lang, o->label);
    }
  }
  return value;
}

/* Folded copy (full-width → ASCII, lower case) of s, trimmed. */
static const char *fold(struct arena *a, const char *s)
{
  struct buf b;
  struct str t;
  char *r;
  const char *p;
  /* Plain digits and punctuation (most numbers and dates) fold to
   * themselves. */
  for(p = s; *p && (unsigned char)*p < 0x80 && !(*p >= 'A' && *p <= 'Z');
      p++) {
  }
  if(!*p) {
    t = str_trim(str_c(s));
    return arena_strndup(a, t.p, t.len);
  }
  buf_init(&b, 4096);
  utf8_fold_search(&b, str_c(s));
  t = str_trim((struct str){ b.data, b.len });
  r = b.err ? NULL : arena_strndup(a, t.p, t.len);
  buf_free(&b);
  return r;
}

/* Parse ROC dates: 114/11/24, 114-11-24, 114.11.24, 民國114年11月24日. */
static int parse_roc(const char *s, struct date *d)
{
  int y, m, dd, n = 0;
  char sep1, sep2;
  if(strncmp(s, "民國", 6) == 0) {
    if(sscanf(s + 6, "%d年%d月%d日%n", &y, &m, &dd, &n) == 3 && !s[6 + n]) {
      goto check;
    }
    return 0;
  }
  if(sscanf(s, "%3d%c%2d%c%2d%n", &y, &sep1, &m, &sep2, &dd, &n) != 5 ||
     s[n] || sep1 != sep2 || (sep1 != '/' && sep1 != '-' && sep1 != '.')) {
    return 0;
  }
check:
  if(y < 1 || y > 300 || m < 1 || m > 12 || dd < 1 ||
     dd > time_days_in_month(y + 1911, m)) {
    return 0;
  }
  d->year = y + 1911;
  d->month = m;
  d->day = dd;
  return 1;
}

/* Two decimal digits at s, or -1. */
static int two_digits(const char *s)
{
  if(s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9') {
    return -1;
  }
  return (s[0] - '0') * 10 + (s[1] - '0');
}

/* "HH:MM" or "HH:MM:SS" (all of s) as seconds of the day; -1 when s is
 * not such a time. */
static int parse_clock(const char *s)
{
  size_t n = strlen(s);
  int hh, mm, ss = 0;
  if((n != 5 && n != 8) || s[2] != ':' || (n == 8 && s[5] != ':')) {
    return -1;
  }
  hh = two_digits(s);
  mm = two_digits(s + 3);
  if(n == 8) {
    ss = two_digits(s + 6);
  }
  if(hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) {
    return -1;
  }
  return hh * 3600 + mm * 60 + ss;
}

/* Parse an instant: the storage form "YYYY-MM-DDTHH:MM:SSZ", or a date
 * (ISO or ROC) and a time separated by a space or "T", read as Asia/Taipei
 * time.  0 when it is none of these. */
static int parse_instant(struct arena *a, const char *folded, int64_t *t)
{
  char *s = arena_strdup(a, folded), *p;
  const char *sep;
  char *date;
  struct date d;
  int secs;
  if(!s) {
    return 0;
  }
  /* fold() lowered the "T" and "Z" of the ISO forms. */
  for(p = s; *p; p++) {
    *p = *p == 't' ? 'T' : *p == 'z' ? 'Z' : *p;
  }
  if(!time_parse_utc(str_c(s), t)) {
    return 1;
  }
  sep = strrchr(s, ' ');
  if(!sep) {
    sep = strchr(s, 'T');
  }
  if(!sep || sep == s) {
    return 0;
  }
  date = arena_strndup(a, s, (size_t)(sep - s));
  if(!date || (time_parse_date(str_c(date), &d) && !parse_roc(date, &d))) {
    return 0;
  }
  secs = parse_clock(sep + 1);
  if(secs < 0) {
    return 0;
  }
  *t = time_taipei_instant(d, secs);
  return 1;
}

static int valid_email(const char *s)
{
  const char *at = strchr(s, '@'), *p;
  size_t len = strlen(s);
  if(!at || at == s || strchr(at + 1, '@') || len > 254 ||
     (size_t)(at - s) > 64) {
    return 0;
  }
  for(p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if(c <= ' ' || c == '"' || c == '(' || c == ')' || c == ',' || c == ':' ||
       c == ';' || c == '<' || c == '>' || c == '[' || c == ']' || c == '\\' ||
       c >= 0x7f) {
      return 0;
    }
  }
  p = strrchr(at, '.');
  return p && p > at + 1 && p[1] != 0;
}

static int valid_phone(const char *s)
{
  const char *p = s;
  int digits = 0;
  while(*p) {
    if(*p >= '0' && *p <= '9') {
      digits++;
      p++;
    }
    else if(strchr(" +-()#", *p)) {
      p++;
    }
    else if(strncmp(p, "ext", 3) == 0) {
      p += 3;
    }
    else if(strncmp(p, "分機", 6) == 0 || strncmp(p, "轉", 3) == 0) {
      p += strncmp(p, "轉", 3) == 0 ? 3 : 6;
    }
    else {
      return 0;
    }
  }
  return digits >= 4 && digits <= 20 && strlen(s) <= 40;
}

/* Normalise one value; returns the stored form or NULL with an error. */
/* A normalised value, or an error when allocating it failed (so that a
 * full arena never turns a value into an empty one). */
static const char *kept(const char *v, const struct field *f,
                        struct reg_errors *errs)
{
  if(!v) {
    reg_error(errs, f->name, M_ERR_TOO_BIG);
    errs->failed = 1;
  }
  return v;
}

/* ---- FT_REFS ---- */

/* Pieces of an FT_REFS text looked at, and how many adjacent pieces a
 * label holding separators may span. */
#define REFS_PIECES_MAX (4 * REG_REFS_MAX)
#define REFS_SPAN_MAX   8

/* The length of the separator of FT_REFS text at p, or 0: "," ";" and
 * the full-width "；" "、" "，". */
static size_t refs_sep(const char *p)
{
  if(*p == ',' || *p == ';') {
    return 1;
  }
  if(!strncmp(p, "；", 3) || !strncmp(p, "、", 3) || !strncmp(p, "，", 3)) {
    return 3;
  }
  return 0;
}

/* Split s into pieces between separators (REG_REFS_SEP only when exact):
 * the byte ranges [from[i], to[i]) of at most max pieces, or only
 * count them when from is NULL.  Returns the number of pieces (up to
 * max; an empty s is one empty piece). */
static size_t refs_split(const char *s, int exact, size_t *from, size_t *to,
                         size_t max)
{
  size_t n = 0, at = 0, len = strlen(s);
  while(at <= len && n < max) {
    size_t end = at, sep = 0;
    while(end < len) {
      sep = exact ? (s[end] == REG_REFS_SEP) : refs_sep(s + end);
      if(sep) {
        break;
      }
      end++;
    }
    if(from) {
      from[n] = at;
      to[n] = end;
    }
    n++;
    at = end + (sep ? sep : 1);
  }
  return n;
}

/* Resolve one item: an id (digits, full-width too) or the exact label of
 * an active record of target.  ST_OK with *id; ST_NOTFOUND, ST_CONFLICT
 * (a label several records have) or ST_FORBIDDEN (archived). */
static enum status refs_item(struct db *db, const struct reg *target,
                             struct str item, struct arena *a, int64_t *id)
{
  const char *text, *folded;
  item = str_trim(item);
  text = arena_strndup(a, item.p, item.len);
  if(!text || !*text) {
    return ST_NOTFOUND;
  }
  folded = fold(a, text);
  if(folded && !str_to_i64(str_c(folded), 1, INT64_MAX, id)) {
    return reg_store_active(db, target, *id);
  }
  switch(reg_store_find_label(db, target, text, id)) {
  case ST_OK:
    return ST_OK;
  case ST_CONFLICT:
    return ST_CONFLICT;
  default:
    return ST_NOTFOUND;
  }
}

static enum msg refs_msg(enum status st)
{
  return st == ST_CONFLICT  ? M_ERR_REFS_AMBIGUOUS :
         st == ST_FORBIDDEN ? M_ERR_REFS_ARCHIVED :
                              M_ERR_REFS_UNKNOWN;
}

/*
 * 1 if the record errs->record_id of reg (0: a new one) holds ref in its
 * field f (FT_REF or FT_REFS) already: a record archived after it was
 * chosen stays, so that the record can still be saved with it (the form
 * offers it chosen); it cannot be newly chosen.  The stored values are
 * read once and kept in errs.
 */
static int had_ref(struct db *db, const struct reg *reg, const struct field *f,
                   struct reg_errors *errs, int64_t ref, struct arena *a)
{
  int64_t *ids;
  size_t n, k;
  const char *v;
  if(!errs->record_id) {
    return 0;
  }
  if(!errs->stored || errs->stored_of != errs->record_id) {
    /* once per record, not per reference: an import checks many */
    struct record old;
    if(reg_store_get(db, reg, errs->record_id, a, &old) != ST_OK) {
      return 0;
    }
    errs->stored = old.v;
    errs->stored_of = errs->record_id;
  }
  v = errs->stored[reg_field_index(reg, f)];
  if(!v || reg_refs_parse(v, a, &ids, &n) != ST_OK) {
    return 0;
  }
  for(k = 0; k < n; k++) {
    if(ids[k] == ref) {
      return 1;
    }
  }
  return 0;
}

/*
 * Check an FT_REFS value s (trimmed, not empty) of reg's field f: resolve
 * every item, and return the ids ascending and deduplicated as "3,7,12",
 * or NULL (with errors, or none for no item at all).
 */
static const char *check_refs(const struct reg *reg, struct db *db,
                              const struct field *f, const char *s,
                              struct arena *a, struct reg_errors *errs)
{
  const struct reg *target = reg_find(f->ref);
  int exact = strchr(s, REG_REFS_SEP) != NULL;
  size_t *from, *to, max_pieces;
  int64_t *ids;
  size_t n_pieces, n = 0, i, j, k;
  int bad = 0;
  struct buf out;
  const char *r;

  CHECK(target != NULL);
  /* Pieces between separators (only REG_REFS_SEP for exact items),
   * counted first: an import checks many values in one arena. */
  n_pieces = refs_split(s, exact, NULL, NULL, REFS_PIECES_MAX + 1);
  if(n_pieces > REFS_PIECES_MAX) {
    reg_error(errs, f->name, M_ERR_REFS_TOO_MANY);
    return NULL;
  }
  max_pieces = n_pieces;
  from = arena_alloc(a, sizeof(size_t) * n_pieces);
  to = arena_alloc(a, sizeof(size_t) * n_pieces);
  ids = arena_alloc(a, sizeof(int64_t) *
                         (n_pieces < REG_REFS_MAX ? n_pieces : REG_REFS_MAX));
  if(!from || !to || !ids) {
    return kept(NULL, f, errs);
  }
  n_pieces = refs_split(s, exact, from, to, max_pieces);
  for(i = 0; i < n_pieces;) {
    struct str piece = str_trim((struct str){ s + from[i], to[i] - from[i] });
    enum status first = ST_NOTFOUND, st = ST_NOTFOUND;
    int64_t id = 0, first_id = 0;
    if(piece.len == 0) {
      i++;
      continue;
    }
    /* The piece alone, else with the pieces after it (a label such as
     * 市政行銷、新聞發布業務 holds separators). */
    for(j = i; j < n_pieces && j < i + (exact ? 1 : REFS_SPAN_MAX); j++) {
      st = refs_item(db, target, (struct str){ s + from[i], to[j] - from[i] },
                     a, &id);
      if(j == i) {
        first = st;
        first_id = id;
      }
      if(!st) {
        break;
      }
    }
    if(st && first == ST_FORBIDDEN && had_ref(db, reg, f, errs, first_id, a)) {
      st = ST_OK; /* archived, but chosen before: kept */
      id = first_id;
      j = i;
    }
    if(st) {
      reg_error_detail(errs, f->name, refs_msg(first),
                       arena_strndup(a, piece.p, piece.len));
      bad = 1;
      i++;
      continue;
    }
    i = j + 1;
    for(k = 0; k < n && ids[k] != id; k++) {
    }
    if(k < n) {
      continue; /* named twice: once is enough */
    }
    if(n == REG_REFS_MAX) {
      reg_error(errs, f->name, M_ERR_REFS_TOO_MANY);
      return NULL;
    }
    /* Insert in ascending order. */
    for(k = n; k > 0 && ids[k - 1] > id; k--) {
      ids[k] = ids[k - 1];
    }
    ids[k] = id;
    n++;
  }
  if(bad) {
    return NULL;
  }
  if(n == 0) {
    if(f->flags & FF_REQUIRED) {
      reg_error(errs, f->name, M_ERR_REQUIRED);
    }
    return NULL;
  }
  buf_init(&out, 24 * REG_REFS_MAX);
  for(k = 0; k < n; k++) {
    buf_appendf(&out, k ? ",%lld" : "%lld", (long long)ids[k]);
  }
  r = out.err ? NULL : arena_strndup(a, out.data, out.len);
  buf_free(&out);
  return kept(r, f, errs);
}

enum status reg_refs_parse(const char *v, struct arena *a, int64_t **ids,
                           size_t *n)
{
  const char *p;
  size_t cap = 1;
  *ids = NULL;
  *n = 0;
  if(!v || !*v) {
    return ST_OK;
  }
  for(p = v; *p; p++) {
    cap += *p == ',' || *p == REG_REFS_SEP;
  }
  *ids = arena_alloc(a, sizeof(int64_t) * cap);
  if(!*ids) {
    return ST_TOOBIG;
  }
  for(p = v;;) {
    size_t len = strcspn(p, ",\x1f");
    int64_t id;
    if(!str_to_i64(str_trim((struct str){ p, len }), 1, INT64_MAX, &id)) {
      (*ids)[(*n)++] = id;
    }
    if(!p[len]) {
      break;
    }
    p += len + 1;
  }
  return ST_OK;
}

static const char *check_value(const struct reg *reg, struct db *db,
                               const struct field *f, const char *raw,
                               struct arena *a, struct reg_errors *errs)
{
  struct str t = str_trim(str_c(raw));
  char *s;
  const char *folded;
  int64_t i;
  double d;

  /* "　" (U+3000) is no more an answer than " " is */
  if(str_blank(t)) {
    if(f->flags & FF_REQUIRED) {
      reg_error(errs, f->name, M_ERR_REQUIRED);
    }
    return NULL;
  }
  if(!utf8_valid(t, NULL)) {
    reg_error(errs, f->name, M_ERR_CONTROL);
    return NULL;
  }
  s = arena_strndup(a, t.p, t.len);
  if(!s) {
    return kept(NULL, f, errs);
  }
  switch(f->type) {
  case FT_TEXT:
  case FT_LONGTEXT:
    if(utf8_has_control(t, f->type == FT_LONGTEXT)) {
      reg_error(errs, f->name, M_ERR_CONTROL);
      return NULL;
    }
    if((int64_t)utf8_count(t) > f->max) {
      reg_error(errs, f->name, M_ERR_TOO_LONG);
      return NULL;
    }
    if(f->type == FT_LONGTEXT && strchr(s, '\r')) {
      /* CRLF and lone CR become LF */
      char *w = s;
      const char *p;
      for(p = s; *p; p++) {
        if(*p == '\r') {
          *w++ = '\n';
          if(p[1] == '\n') {
            p++;
          }
        }
        else {
          *w++ = *p;
        }
      }
      *w = 0;
    }
    return s;
  case FT_INT:
    folded = fold(a, s);
    if(!folded || str_to_i64(str_c(folded), INT64_MIN, INT64_MAX, &i)) {
      reg_error(errs, f->name, M_ERR_INT);
      return NULL;
    }
    if(i < f->min || i > f->max) {
      reg_error(errs, f->name, M_ERR_RANGE);
      return NULL;
    }
    return kept(arena_printf(a, "%lld", (long long)i), f, errs);
  case FT_REAL:
    folded = fold(a, s);
    if(!folded || str_to_double(str_c(folded), &d)) {
      reg_error(errs, f->name, M_ERR_NUMBER);
      return NULL;
    }
    if(d < (double)f->min || d > (double)f->max) {
      reg_error(errs, f->name, M_ERR_RANGE);
      return NULL;
    }
    return kept(arena_printf(a, "%.15g", d), f, errs);
  case FT_BOOL:
    folded = fold(a, s);
    if(folded && (!strcmp(folded, "1") || !strcmp(folded, "true") ||
                  !strcmp(folded, "是") || !strcmp(folded, "yes") ||
                  !strcmp(folded, "y") || !strcmp(folded, "on"))) {
      return "1";
    }
    if(folded && (!strcmp(folded, "0") || !strcmp(folded, "false") ||
                  !strcmp(folded, "否") || !strcmp(folded, "no") ||
                  !strcmp(folded, "n") || !strcmp(folded, "off"))) {
      return "0";
    }
    reg_error(errs, f->name, M_ERR_BOOL);
    return NULL;
  case FT_ENUM: {
    const struct field_opt *o;
    for(o = f->opts; o->value; o++) {
      if(!strcmp(s, o->value) || !strcmp(s, msg_get(LANG_ZH, o->label)) ||
         !strcmp(s, msg_get(LANG_EN, o->label))) {
        return o->value;
      }
    }
    reg_error(errs, f->name, M_ERR_ENUM);
    return NULL;
  }
  case FT_DATE: {
    struct date dt;
    folded = fold(a, s);
    if(!folded ||
       (time_parse_date(str_c(folded), &dt) && !parse_roc(folded, &dt))) {
      reg_error(errs, f->name, M_ERR_DATE);
      return NULL;
    }
    return kept(arena_printf(a, "%04d-%02d-%02d", dt.year, dt.month, dt.day),
                f, errs);
  }
  case FT_DATETIME: {
    int64_t at;
    struct buf b;
    const char *out;
    if(reg_instant(a, s, &at)) {
      reg_error(errs, f->name, M_ERR_DATETIME);
      return NULL;
    }
    buf_init(&b, 32);
    time_format_utc(&b, at);
    out = arena_strdup(a, b.data ? b.data : "");
    buf_free(&b);
    return kept(out, f, errs);
  }
  case FT_EMAIL:
    folded = fold(a, s);
    if(!folded || !valid_email(folded)) {
      reg_error(errs, f->name, M_ERR_EMAIL);
      return NULL;
    }
    return folded;
  case FT_PHONE:
    folded = fold(a, s);
    if(!folded || !valid_phone(folded)) {
      reg_error(errs, f->name, M_ERR_PHONE);
      return NULL;
    }
    return folded;
  case FT_REF: {
    const struct reg *target = reg_find(f->ref);
    folded = fold(a, s);
    CHECK(target != NULL);
    if(folded && !str_to_i64(str_c(folded), 1, INT64_MAX, &i)) {
      /* an archived record only where it was chosen before (had_ref) */
      enum status st = reg_store_active(db, target, i);
      if(st == ST_FORBIDDEN && had_ref(db, reg, f, errs, i, a)) {
        st = ST_OK;
      }
      if(st) {
        reg_error(errs, f->name,
                  st == ST_FORBIDDEN ? M_ERR_REFS_ARCHIVED : M_ERR_REF);
        return NULL;
      }
      return kept(arena_printf(a, "%lld", (long long)i), f, errs);
    }
    if(reg_store_find_label(db, target, s, &i)) {
      reg_error(errs, f->name, M_ERR_REF);
      return NULL;
    }
    return kept(arena_printf(a, "%lld", (long long)i), f, errs);
  }
  case FT_REFS:
    return check_refs(reg, db, f, s, a, errs);
  }
  reg_error(errs, f->name, M_ERR_INTERNAL);
  return NULL;
}

void reg_validate(const struct reg *reg, struct db *db, const char **in,
                  const char **out, struct arena *a, struct reg_errors *errs)
{
  size_t i, before = errs->n;
  for(i = 0; i < reg->n_fields; i++) {
    out[i] =
      check_value(reg, db, &reg->fields[i], in[i] ? in[i] : "", a, errs);
  }
  if(reg->check && errs->n == before) {
    reg->check(reg, db, out, errs);
  }
}

const char *reg_filter_value(const struct field *f, const char *raw)
{
  static const char *const yes[] = { "1", "true", "yes", "是", NULL };
  static const char *const no[] = { "0", "false", "no", "否", NULL };
  size_t i;
  if(f->type == FT_BOOL) {
    for(i = 0; yes[i]; i++) {
      if(!strcmp(raw, yes[i])) {
        return "1";
      }
      if(!strcmp(raw, no[i])) {
        return "0";
      }
    }
  }
  else if(f->type == FT_ENUM) {
    const struct field_opt *o;
    for(o = f->opts; o->value; o++) {
      if(!strcmp(raw, o->value) || !strcmp(raw, msg_get(LANG_ZH, o->label)) ||
         !strcmp(raw, msg_get(LANG_EN, o->label))) {
        return o->value;
      }
    }
  }
  return raw;
}

static int is_ident(const char *s)
{
  if(!s || !*s || strlen(s) > 40) {
    return 0;
  }
  for(; *s; s++) {
    if(!((*s >= 'a' && *s <= 'z') || *s == '_' || (*s >= '0' && *s <= '9'))) {
      return 0;
    }
  }
  return 1;
}

void reg_check_declarations(void)
{
  size_t i, j, k;
  for(i = 0; i < n_registers; i++) {
    const struct reg *reg = registers[i];
    CHECK(is_ident(reg->name));
    CHECK(reg->n_fields > 0);
    CHECK(reg_field(reg, reg->label_field) != NULL);
    CHECK(!reg->order_by ||
          (reg_field(reg, reg->order_by) &&
           (reg_field(reg, reg->order_by)->flags & FF_SORT)));
    CHECK(!reg->unique_warn || reg_field(reg, reg->unique_warn));
    for(j = 0; j < reg->n_fields; j++) {
      const struct field *f = &reg->fields[j];
      CHECK(is_ident(f->name));
      CHECK(strcmp(f->name, "id") != 0 && strcmp(f->name, "archived") != 0 &&
            strcmp(f->name, "version") != 0);
      CHECK(f->type != FT_ENUM || (f->opts && f->opts[0].value));
      CHECK((f->type != FT_REF && f->type != FT_REFS) ||
            reg_find(f->ref) != NULL);
      /* An FT_REFS value is not a column: it cannot be sorted on, name
       * a record or be counted for duplicates; its join table's name
       * <reg>_<field> must stay a short identifier. */
      CHECK(f->type != FT_REFS ||
            (!(f->flags & FF_SORT) && strcmp(f->name, reg->label_field) &&
             (!reg->unique_warn || strcmp(f->name, reg->unique_warn)) &&
             strlen(reg->name) + strlen(f->name) < 60));
      /* Masking changes text: only free text may ask for it. */
      CHECK(!(f->flags & FF_MASK) || f->type == FT_TEXT ||
            f->type == FT_LONGTEXT);
      CHECK(f->type == FT_INT || f->type == FT_REAL || f->max > 0 ||
            f->type == FT_BOOL || f->type == FT_ENUM || f->type == FT_DATE ||
            f->type == FT_DATETIME || f->type == FT_REF ||
            f->type == FT_REFS || f->type == FT_EMAIL || f->type == FT_PHONE);
      /* CSV headers may be labels: they must be unique in both
       * languages. */
      for(k = 0; k < j; k++) {
        CHECK(reg->fields[k].label != f->label);
        CHECK(strcmp(msg_get(LANG_ZH, reg->fields[k].label),
                     msg_get(LANG_ZH, f->label)) != 0);
        CHECK(strcmp(msg_get(LANG_EN, reg->fields[k].label),
                     msg_get(LANG_EN, f->label)) != 0);
      }
    }
  }
}

/* The SQLite column type a field is stored as. */
static const char *sql_type(enum field_type t)
{
  switch(t) {
  case FT_INT:
  case FT_BOOL:
  case FT_REF:
    return "INTEGER";
  case FT_REAL:
    return "REAL";
  default:
    return "TEXT";
  }
}

enum status reg_check_schema(struct db *db, struct buf *why)
{
  size_t i, j;
  enum status st = ST_OK;
  for(i = 0; i < n_registers; i++) {
    const struct reg *reg = registers[i];
    struct buf want, have;
    buf_init(&want, 1 << 16);
    buf_init(&have, 1 << 16);
    buf_appendf(&want, "id:INTEGER:0\n");
    for(j = 0; j < reg->n_fields; j++) {
      const struct field *f = &reg->fields[j];
      if(f->type == FT_REFS) {
        continue; /* in its join table, below */
      }
      buf_appendf(&want, "%s:%s:%d\n", f->name, sql_type(f->type),
                  (f->flags & FF_REQUIRED) ? 1 : 0);
    }
    buf_appendf(&want,
                "archived:INTEGER:1\nversion:INTEGER:1\n"
                "created_at:TEXT:1\ncreated_by:TEXT:1\nupdated_at:TEXT:1\n");
    if(reg_store_columns(db, reg->name, &have) ||
       strcmp(want.data, have.data) != 0) {
      buf_appendf(why,
                  "register %s does not match its table:\nexpected:\n%s"
                  "found:\n%s",
                  reg->name, want.data, have.data);
      st = ST_CONFLICT;
    }
    for(j = 0; j < reg->n_fields; j++) {
      const struct field *f = &reg->fields[j];
      char table[128];
      if(f->type != FT_REFS) {
        continue;
      }
      snprintf(table, sizeof(table), "%s_%s", reg->name, f->name);
      buf_clear(&have);
      if(reg_store_columns(db, table, &have) ||
         strcmp(have.data, "rec:INTEGER:1\nref:INTEGER:1\n") != 0) {
        buf_appendf(why,
                    "register %s: field %s needs the table %s(rec INTEGER "
                    "NOT NULL, ref INTEGER NOT NULL); found:\n%s",
                    reg->name, f->name, table, have.data);
        st = ST_CONFLICT;
      }
    }
    buf_free(&want);
    buf_free(&have);
  }
  return st;
}

enum msg reg_locked_msg(const struct reg *reg, struct db *db, int64_t id)
{
  enum msg m = reg->locked ? reg->locked(db, id) : M_NONE;
  return m != M_NONE ? m : M_ERR_ARCHIVED;
}

enum status reg_instant(struct arena *a, const char *text, int64_t *t)
{
  const char *folded = text ? fold(a, text) : NULL;
  return folded && parse_instant(a, folded, t) ? ST_OK : ST_INVALID;
}

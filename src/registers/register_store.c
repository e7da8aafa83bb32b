/*
 * register_store.c: the SQL of the register engine.
 *
 * Statement text is assembled from the registers' static declarations
 * (table and column names checked by reg_check_declarations()) and fixed
 * fragments; values are always bound.  Assembled text is cached as a
 * prepared statement per connection by db_prepare_().
 *
 * A list query first reads the ids of every matching record in list order
 * (kept in register_cache.c for the current data epoch), then fetches
 * the records of the page by id: counting or skipping 100,000 rows costs
 * milliseconds, and pages must answer in well under one.
 *
 * An FT_REFS field has no column: its ids are rows (rec, ref) of the join
 * table <reg>_<field>.  Every statement that reads records selects them
 * as one more column ("3,7,12", a correlated subquery on the join
 * table's primary key), so a page of records still costs one statement;
 * creating and updating a record replaces its rows in the same
 * transaction.
 */
#include "register_store.h"
#include "auth/audit.h"
#include "register_cache.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/time.h"
#include "core/utf8.h"
#include "db/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQL_MAX 8192

/* ---- SQL text assembly (identifiers from declarations only) ---- */

struct sql {
  struct buf b; /* the statement text */
};

static void sql_init(struct sql *s)
{
  buf_init(&s->b, SQL_MAX);
}

/* A fixed fragment of SQL. */
#define sql_lit(s, lit) buf_append(&(s)->b, "" lit, sizeof(lit) - 1)

/* A declared identifier (checked at start-up). */
static void sql_ident(struct sql *s, const char *name)
{
  buf_puts(&s->b, name);
}

/* The join table of FT_REFS field f: "<reg>_<field>". */
static void sql_refs_table(struct sql *s, const struct reg *reg,
                           const struct field *f)
{
  sql_ident(s, reg->name);
  sql_lit(s, "_");
  sql_ident(s, f->name);
}

/* "id, archived, version, created_at, updated_at, created_by, f1 …";
 * an FT_REFS field is its ids from the join table, comma-separated
 * (ascending: the primary key (rec, ref) is read in order). */
static void sql_columns(struct sql *s, const struct reg *reg)
{
  size_t i;
  sql_lit(s, "id, archived, version, created_at, updated_at, created_by");
  for(i = 0; i < reg->n_fields; i++) {
    const struct field *f = &reg->fields[i];
    sql_lit(s, ", ");
    if(f->type == FT_REFS) {
      sql_lit(s, "(SELECT group_concat(ref, ',') FROM ");
      sql_refs_table(s, reg, f);
      sql_lit(s, " WHERE rec = ");
      sql_ident(s, reg->name);
      sql_lit(s, ".id)");
    }
    else {
      sql_ident(s, f->name);
    }
  }
}

static enum status sql_prepare(struct db *db, struct sql *s, sqlite3_stmt **st)
{
  enum status rc;
  if(s->b.err) {
    buf_free(&s->b);
    return ST_INTERNAL;
  }
  rc = db_prepare_(db, st, s->b.data);
  buf_free(&s->b);
  return rc;
}

/* ---- values ---- */

/* v ("3,7,12") with its ids ascending and each once: as read, unless
 * SQLite handed the group's rows over in another order. */
static const char *refs_canonical(const char *v, struct arena *a)
{
  int64_t *ids, prev = 0;
  size_t n, i, k;
  int ok = 1;
  struct buf b;
  const char *r;
  if(!v || reg_refs_parse(v, a, &ids, &n)) {
    return v;
  }
  for(i = 0; i < n && ok; i++) {
    ok = ids[i] > prev;
    prev = ids[i];
  }
  if(ok) {
    return v;
  }
  for(i = 1; i < n; i++) { /* insertion sort: at most REG_REFS_MAX */
    int64_t x = ids[i];
    for(k = i; k > 0 && ids[k - 1] > x; k--) {
      ids[k] = ids[k - 1];
    }
    ids[k] = x;
  }
  buf_init(&b, 1 << 16);
  for(i = 0; i < n; i++) {
    if(i && ids[i] == ids[i - 1]) {
      continue;
    }
    buf_appendf(&b, b.len ? ",%lld" : "%lld", (long long)ids[i]);
  }
  r = b.err ? v : arena_strndup(a, b.data, b.len);
  buf_free(&b);
  return r ? r : v;
}

/* Fill rec from a row selected with sql_columns(). */
static enum status read_record(const struct reg *reg, sqlite3_stmt *st,
                               struct arena *a, struct record *rec)
{
  size_t i;
  rec->id = sqlite3_column_int64(st, 0);
  rec->archived = sqlite3_column_int(st, 1);
  rec->version = sqlite3_column_int64(st, 2);
  rec->created_at = db_col_text(st, 3, a);
  rec->updated_at = db_col_text(st, 4, a);
  rec->created_by = db_col_text(st, 5, a);
  rec->v = arena_alloc(a, sizeof(char *) * reg->n_fields);
  if(!rec->v) {
    return ST_TOOBIG;
  }
  for(i = 0; i < reg->n_fields; i++) {
    if(reg->fields[i].type == FT_REAL &&
       sqlite3_column_type(st, (int)i + 6) == SQLITE_FLOAT) {
      /* As validation writes numbers: 100, not SQLite's 100.0. */
      rec->v[i] =
        arena_printf(a, "%.15g", sqlite3_column_double(st, (int)i + 6));
    }
    else if(reg->fields[i].type == FT_REFS) {
      rec->v[i] = refs_canonical(db_col_text(st, (int)i + 6, a), a);
    }
    else {
      rec->v[i] = db_col_text(st, (int)i + 6, a);
    }
  }
  return ST_OK;
}

/* Bind a validated text value as the column's type. */
static void bind_value(sqlite3_stmt *st, int idx, const struct field *f,
                       const char *v)
{
  int64_t i;
  double d;
  if(!v) {
    sqlite3_bind_null(st, idx);
    return;
  }
  switch(f->type) {
  case FT_INT:
  case FT_BOOL:
  case FT_REF:
  case FT_REFS: /* a list filter: one id */
    if(!str_to_i64(str_c(v), INT64_MIN, INT64_MAX, &i)) {
      sqlite3_bind_int64(st, idx, i);
      return;
    }
    break;
  case FT_REAL:
    if(!str_to_double(str_c(v), &d)) {
      sqlite3_bind_double(st, idx, d);
      return;
    }
    break;
  default:
    break;
  }
  sqlite3_bind_text(st, idx, v, -1, SQLITE_TRANSIENT);
}

/* A write refused: logged as db_fail() logs it; ST_CONFLICT when a
 * constraint of the table refused it (such as a register's partial
 * unique index: one approved procedure of each kind), ST_DB otherwise. */
static enum status write_fail(struct db *db, const char *what)
{
  int is_constraint =
    (sqlite3_errcode(db_handle(db)) & 0xff) == SQLITE_CONSTRAINT;
  enum status rc = db_fail(db, what);
  return is_constraint ? ST_CONFLICT : rc;
}

static const char *now_utc(struct arena *a)
{
  struct buf b;
  const char *r;
  buf_init(&b, 64);
  time_format_utc(&b, time_now());
  r = arena_strdup(a, b.data);
  buf_free(&b);
  return r;
}

/* ---- list ---- */

/* The search text folded like the index; NULL when blank. */
static const char *fold_query(const char *q, struct arena *a)
{
  struct buf b;
  struct str t;
  const char *r = NULL;
  if(!q) {
    return NULL;
  }
  buf_init(&b, 1024);
  utf8_fold_search(&b, str_c(q));
  t = str_trim((struct str){ b.data, b.len });
  if(!b.err && t.len) {
    r = arena_strndup(a, t.p, t.len);
  }
  buf_free(&b);
  return r;
}

/* WHERE clause of a list query; *like says how the search is bound. */
static void sql_where(struct sql *s, const struct reg *reg,
                      const struct list_query *q, const char *folded,
                      int *like)
{
  size_t i;
  if(q->archived == LIST_ARCHIVED) {
    sql_lit(s, " WHERE archived = 1");
  }
  else if(q->archived == LIST_ACTIVE) {
    sql_lit(s, " WHERE archived = 0");
  }
  else {
    sql_lit(s, " WHERE 1");
  }
  for(i = 0; i < q->n_filters; i++) {
    const struct field *f = q->filter_field[i];
    if(f->type == FT_REFS) {
      /* the records that name the record chosen */
      sql_lit(s, " AND id IN (SELECT rec FROM ");
      sql_refs_table(s, reg, f);
      sql_lit(s, " WHERE ref = ?)");
      continue;
    }
    sql_lit(s, " AND ");
    sql_ident(s, f->name);
    sql_lit(s, " = ?");
  }
  *like = 0;
  if(folded) {
    sql_lit(s, " AND id IN (SELECT rowid FROM ");
    sql_ident(s, reg->name);
    /* The trigram index serves LIKE for three or more characters
     * without wildcards; shorter queries scan (FTS5 finds nothing for
     * one- or two-character Chinese queries). */
    if(utf8_count(str_c(folded)) >= 3 && !strpbrk(folded, "%_")) {
      sql_lit(s, "_fts WHERE body LIKE ?)");
      *like = 1;
    }
    else {
      sql_lit(s, "_fts WHERE instr(body, ?) > 0)");
    }
  }
}

/* Bind filters and search from index 1; returns the next index. */
static int bind_where(sqlite3_stmt *st, const struct list_query *q,
                      const char *folded, int like, struct arena *a)
{
  int idx = 1;
  size_t i;
  for(i = 0; i < q->n_filters; i++) {
    bind_value(st, idx++, q->filter_field[i], q->filter_value[i]);
  }
  if(folded) {
    const char *v = like ? arena_printf(a, "%%%s%%", folded) : folded;
    sqlite3_bind_text(st, idx++, v ? v : folded, -1, SQLITE_TRANSIENT);
  }
  return idx;
}

static void sql_order(struct sql *s, const struct reg *reg,
                      const struct list_query *q)
{
  const char *col = q->sort ? q->sort->name : reg->order_by;
  sql_lit(s, " ORDER BY ");
  if(col) {
    sql_ident(s, col);
    if(q->desc) {
      sql_lit(s, " DESC");
    }
    sql_lit(s, ", ");
  }
  sql_lit(s, "id");
  if(q->desc) {
    sql_lit(s, " DESC");
  }
}

/*
 * The ids of every record matching q, in list order: from the cache, or
 * read and cached.  Copies those of the page [from, from + max) into out.
 */
static enum status list_ids(struct db *db, const struct reg *reg,
                            const struct list_query *q, const char *folded,
                            struct arena *a, size_t from, size_t max,
                            int64_t *out, size_t *n_out, int64_t *total)
{
  struct sql s;
  sqlite3_stmt *st;
  enum status rc;
  int like, step;
  uint64_t key;
  long epoch;
  size_t i, n = 0, cap = 1024;
  int64_t *ids;
  struct buf keytext;

  epoch = db_snapshot_epoch(db);
  sql_init(&s);
  sql_lit(&s, "SELECT id FROM ");
  sql_ident(&s, reg->name);
  sql_where(&s, reg, q, folded, &like);
  sql_order(&s, reg, q);
  /* The cache key: the statement and its values, 0x1f-separated. */
  buf_init(&keytext, 1 << 16);
  buf_puts(&keytext, s.b.data);
  for(i = 0; i < q->n_filters; i++) {
    buf_putc(&keytext, 0x1f);
    buf_puts(&keytext, q->filter_value[i]);
  }
  buf_putc(&keytext, 0x1f);
  buf_puts(&keytext, folded ? folded : "");
  key = reg_cache_hash(keytext.data);
  if(!keytext.err &&
     reg_cache_ids_get(key, keytext.data, from, max, out, n_out, total)) {
    buf_free(&keytext);
    buf_free(&s.b);
    return ST_OK;
  }
  rc = sql_prepare(db, &s, &st);
  if(rc) {
    buf_free(&keytext);
    return rc;
  }
  bind_where(st, q, folded, like, a);
  ids = xmalloc(cap * sizeof(*ids));
  while((step = sqlite3_step(st)) == SQLITE_ROW) {
    if(n == cap) {
      cap *= 2;
      ids = xrealloc(ids, cap * sizeof(*ids));
    }
    ids[n++] = sqlite3_column_int64(st, 0);
  }
  db_done(st);
  if(step != SQLITE_DONE) {
    free(ids);
    buf_free(&keytext);
    return db_fail(db, "list");
  }
  *total = (int64_t)n;
  *n_out = from < n ? (n - from < max ? n - from : max) : 0;
  if(*n_out) {
    memcpy(out, ids + from, *n_out * sizeof(*out));
  }
  if(keytext.err) {
    free(ids);
  }
  else {
    reg_cache_ids_put(key, keytext.data, epoch, ids, n);
  }
  buf_free(&keytext);
  return ST_OK;
}

/*
 * Read the records ids[0..n) into out->rows in that order with one
 * statement ("WHERE id IN (?, …)"); records gone since the ids were read
 * are left out.
 */
static enum status fetch_ids(struct db *db, const struct reg *reg,
                             const int64_t *ids, size_t n, struct arena *a,
                             struct record_page *out)
{
  struct sql s;
  sqlite3_stmt *st;
  struct record *found;
  enum status rc;
  size_t i, k, n_found = 0, slots;
  int step = SQLITE_DONE;

  found = arena_alloc(a, sizeof(*found) * n);
  if(!found) {
    return ST_TOOBIG;
  }
  sql_init(&s);
  sql_lit(&s, "SELECT ");
  sql_columns(&s, reg);
  sql_lit(&s, " FROM ");
  sql_ident(&s, reg->name);
  /* A few statement sizes, not one per page length, so that the
   * statement cache is not flooded; the spare places hold id 0, which no
   * record has. */
  slots = n <= 10 ? 10 : n <= 50 ? 50 : n <= 100 ? 100 : n <= 250 ? 250 : 500;
  CHECK(n <= slots);
  sql_lit(&s, " WHERE id IN (?");
  for(i = 1; i < slots; i++) {
    sql_lit(&s, ", ?");
  }
  sql_lit(&s, ")");
  rc = sql_prepare(db, &s, &st);
  if(rc) {
    return rc;
  }
  for(i = 0; i < slots; i++) {
    sqlite3_bind_int64(st, (int)i + 1, i < n ? ids[i] : 0);
  }
  while(!rc && n_found < n && (step = sqlite3_step(st)) == SQLITE_ROW) {
    rc = read_record(reg, st, a, &found[n_found++]);
  }
  if(!rc && step != SQLITE_ROW && step != SQLITE_DONE) {
    rc = db_fail(db, "fetch");
  }
  db_done(st);
  if(rc) {
    return rc;
  }
  /* Back into list order. */
  for(i = 0; i < n; i++) {
    for(k = 0; k < n_found; k++) {
      if(found[k].id == ids[i]) {
        out->rows[out->n++] = found[k];
        break;
      }
    }
  }
  return ST_OK;
}

enum status reg_store_list(struct db *db, const struct reg *reg,
                           const struct list_query *q, struct arena *a,
                           struct record_page *out)
{
  const char *folded = fold_query(q->q, a);
  size_t cap = q->per_page > 0 ? (size_t)q->per_page : 1, n = 0;
  size_t from = (size_t)((q->page - 1) * q->per_page);
  int64_t *ids = arena_alloc(a, sizeof(int64_t) * cap);
  enum status rc;

  memset(out, 0, sizeof(*out));
  out->rows = arena_alloc(a, sizeof(struct record) * cap);
  if(!ids || !out->rows) {
    return ST_TOOBIG;
  }
  rc = list_ids(db, reg, q, folded, a, from, cap, ids, &n, &out->total);
  if(!rc && n) {
    rc = fetch_ids(db, reg, ids, n, a, out);
  }
  return rc;
}

enum status reg_store_export(struct db *db, const struct reg *reg,
                             const struct list_query *q, reg_row_fn *fn,
                             void *ctx)
{
  struct sql s;
  sqlite3_stmt *st;
  enum status rc;
  int like, step;
  struct arena a;
  const char *folded;

  arena_init(&a, 1 << 20);
  folded = fold_query(q->q, &a);
  sql_init(&s);
  sql_lit(&s, "SELECT ");
  sql_columns(&s, reg);
  sql_lit(&s, " FROM ");
  sql_ident(&s, reg->name);
  sql_where(&s, reg, q, folded, &like);
  sql_order(&s, reg, q);
  rc = sql_prepare(db, &s, &st);
  if(rc) {
    arena_reset(&a);
    return rc;
  }
  bind_where(st, q, folded, like, &a);
  while((step = sqlite3_step(st)) == SQLITE_ROW) {
    struct arena row;
    struct record rec;
    int stop;
    arena_init(&row, 1 << 20);
    rc = read_record(reg, st, &row, &rec);
    stop = rc ? 1 : fn(ctx, &rec);
    arena_reset(&row);
    if(stop) {
      break;
    }
  }
  if(!rc && step != SQLITE_ROW && step != SQLITE_DONE) {
    rc = db_fail(db, "export");
  }
  db_done(st);
  arena_reset(&a);
  return rc;
}

/* "SELECT <columns> FROM <table> WHERE id = ?" of every register, built
 * once: fetching a page of 50 records runs it 50 times. */
static pthread_once_t get_sql_once = PTHREAD_ONCE_INIT;
static char *get_sql[64];

static void build_get_sql(void)
{
  size_t i;
  CHECK(n_registers <= sizeof(get_sql) / sizeof(get_sql[0]));
  for(i = 0; i < n_registers; i++) {
    struct sql s;
    sql_init(&s);
    sql_lit(&s, "SELECT ");
    sql_columns(&s, registers[i]);
    sql_lit(&s, " FROM ");
    sql_ident(&s, registers[i]->name);
    sql_lit(&s, " WHERE id = ?");
    CHECK(!s.b.err);
    get_sql[i] = buf_detach(&s.b);
  }
}

static const char *get_sql_of(const struct reg *reg)
{
  size_t i;
  pthread_once(&get_sql_once, build_get_sql);
  for(i = 0; i < n_registers; i++) {
    if(registers[i] == reg) {
      return get_sql[i];
    }
  }
  CHECK(!"register not in registers[]");
  return NULL;
}

enum status reg_store_get(struct db *db, const struct reg *reg, int64_t id,
                          struct arena *a, struct record *out)
{
  sqlite3_stmt *st;
  enum status rc;
  int step;

  rc = db_prepare_static(db, &st, get_sql_of(reg));
  if(rc) {
    return rc;
  }
  sqlite3_bind_int64(st, 1, id);
  step = sqlite3_step(st);
  if(step == SQLITE_ROW) {
    rc = read_record(reg, st, a, out);
  }
  else if(step == SQLITE_DONE) {
    rc = ST_NOTFOUND;
  }
  else {
    rc = db_fail(db, "get");
  }
  db_done(st);
  return rc;
}

enum status reg_store_exists(struct db *db, const struct reg *reg, int64_t id)
{
  struct sql s;
  sqlite3_stmt *st;
  enum status rc;
  int step;
  sql_init(&s);
  sql_lit(&s, "SELECT 1 FROM ");
  sql_ident(&s, reg->name);
  sql_lit(&s, " WHERE id = ?");
  rc = sql_prepare(db, &s, &st);
  if(rc) {
    return rc;
  }
  sqlite3_bind_int64(st, 1, id);
  step = sqlite3_step(st);
  rc = step == SQLITE_ROW  ? ST_OK :
       step == SQLITE_DONE ? ST_NOTFOUND :
                             db_fail(db, "exists");
  db_done(st);
  return rc;
}

enum status reg_store_active(struct db *db, const struct reg *reg, int64_t id)
{
  struct sql s;
  sqlite3_stmt *st;
  enum status rc;
  int step;
  sql_init(&s);
  sql_lit(&s, "SELECT archived FROM ");
  sql_ident(&s, reg->name);
  sql_lit(&s, " WHERE id = ?");
  rc = sql_prepare(db, &s, &st);
  if(rc) {
    return rc;
  }
  sqlite3_bind_int64(st, 1, id);
  step = sqlite3_step(st);
  rc = step == SQLITE_ROW ?
         (sqlite3_column_int(st, 0) ? ST_FORBIDDEN : ST_OK) :
       step == SQLITE_DONE ? ST_NOTFOUND :
                             db_fail(db, "active");
  db_done(st);
  return rc;
}

enum status reg_store_labels(struct db *db, const struct reg *reg,
                             const int64_t *ids, size_t n, struct arena *a,
                             const char **labels, int *archived)
{
  size_t done, i;
  enum status rc = ST_OK;

  for(i = 0; i < n; i++) {
    labels[i] = NULL;
    if(archived) {
      archived[i] = 0;
    }
  }
  for(done = 0; !rc && done < n;) {
    size_t chunk = n - done < 500 ? n - done : 500, slots;
    struct sql s;
    sqlite3_stmt *st;
    int step;
    /* A few statement sizes, as in fetch_ids(). */
    slots = chunk <= 10  ? 10 :
            chunk <= 50  ? 50 :
            chunk <= 100 ? 100 :
            chunk <= 250 ? 250 :
                           500;
    sql_init(&s);
    sql_lit(&s, "SELECT id, archived, ");
    sql_ident(&s, reg->label_field);
    sql_lit(&s, " FROM ");
    sql_ident(&s, reg->name);
    sql_lit(&s, " WHERE id IN (?");
    for(i = 1; i < slots; i++) {
      sql_lit(&s, ", ?");
    }
    sql_lit(&s, ")");
    rc = sql_prepare(db, &s, &st);
    if(rc) {
      return rc;
    }
    for(i = 0; i < slots; i++) {
      sqlite3_bind_int64(st, (int)i + 1, i < chunk ? ids[done + i] : 0);
    }
    while(!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
      int64_t id = sqlite3_column_int64(st, 0);
      size_t lo = done, hi = done + chunk;
      while(lo < hi) { /* ids ascend */
        size_t mid = lo + (hi - lo) / 2;
        if(ids[mid] < id) {
          lo = mid + 1;
        }
        else {
          hi = mid;
        }
      }
      if(lo == done + chunk || ids[lo] != id) {
        continue;
      }
      labels[lo] = db_col_text(st, 2, a);
      if(!labels[lo] || !*labels[lo]) {
        labels[lo] = arena_printf(a, "#%lld", (long long)id);
      }
      if(!labels[lo]) {
        rc = ST_TOOBIG;
      }
      if(archived) {
        archived[lo] = sqlite3_column_int(st, 1);
      }
    }
    if(!rc && step != SQLITE_DONE) {
      rc = db_fail(db, "labels");
    }
    db_done(st);
    done += chunk;
  }
  return rc;
}

enum status reg_store_options(struct db *db, const struct reg *reg, size_t max,
                              struct arena *a, struct ref_option **out,
                              size_t *n)
{
  struct sql s;
  sqlite3_stmt *st;
  struct list_query q;
  enum status rc;
  int step;

  *n = 0;
  *out = arena_alloc(a, sizeof(**out) * (max ? max : 1));
  if(!*out) {
    return ST_TOOBIG;
  }
  memset(&q, 0, sizeof(q));
  sql_init(&s);
  sql_lit(&s, "SELECT id, ");
  sql_ident(&s, reg->label_field);
  sql_lit(&s, " FROM ");
  sql_ident(&s, reg->name);
  sql_lit(&s, " WHERE archived = 0");
  sql_order(&s, reg, &q);
  sql_lit(&s, " LIMIT ?");
  rc = sql_prepare(db, &s, &st);
  if(rc) {
    return rc;
  }
  sqlite3_bind_int64(st, 1, (int64_t)max);
  while(!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
    struct ref_option *o = &(*out)[(*n)++];
    o->id = sqlite3_column_int64(st, 0);
    o->label = db_col_text(st, 1, a);
    if(!o->label || !*o->label) {
      o->label = arena_printf(a, "#%lld", (long long)o->id);
    }
    if(!o->label) {
      rc = ST_TOOBIG;
    }
  }
  if(!rc && step != SQLITE_DONE) {
    rc = db_fail(db, "options");
  }
  db_done(st);
  return rc;
}

enum status reg_store_label(struct db *db, const struct reg *reg, int64_t id,
                            struct arena *a, const char **label)
{
  struct sql s;
  sqlite3_stmt *st;
  enum status rc;
  int step;
  sql_init(&s);
  sql_lit(&s, "SELECT ");
  sql_ident(&s, reg->label_field);
  sql_lit(&s, " FROM ");
  sql_ident(&s, reg->name);
  sql_lit(&s, " WHERE id = ?");
  rc = sql_prepare(db, &s, &st);
  if(rc) {
    return rc;
  }
  sqlite3_bind_int64(st, 1, id);
  step = sqlite3_step(st);
  if(step == SQLITE_ROW) {
    *label = db_col_text(st, 0, a);
    if(!*label || !**label) {
      *label = arena_printf(a, "#%lld", (long long)id);
    }
  }
  else {
    rc = step == SQLITE_DONE ? ST_NOTFOUND : db_fail(db, "label");
  }
  db_done(st);
  return rc;
}

enum status reg_store_find_label(struct db *db, const struct reg *reg,
                                 const char *label, int64_t *id)
{
  struct sql s;
  sqlite3_stmt *st;
  enum status rc = ST_NOTFOUND;
  int n = 0, step;
  sql_init(&s);
  sql_lit(&s, "SELECT id FROM ");
  sql_ident(&s, reg->name);
  sql_lit(&s, " WHERE archived = 0 AND ");
  sql_ident(&s, reg->label_field);
  sql_lit(&s, " = ? LIMIT 2");
  if(sql_prepare(db, &s, &st)) {
    return ST_DB;
  }
  sqlite3_bind_text(st, 1, label, -1, SQLITE_TRANSIENT);
  while((step = sqlite3_step(st)) == SQLITE_ROW) {
    *id = sqlite3_column_int64(st, 0);
    n++;
  }
  db_done(st);
  if(step != SQLITE_DONE) {
    return db_fail(db, "find label");
  }
  if(n == 1) {
    rc = ST_OK;
  }
  else if(n > 1) {
    rc = ST_CONFLICT;
  }
  return rc;
}

enum status reg_store_count(struct db *db, const struct reg *reg, int64_t *n)
{
  struct list_query q;
  struct arena a;
  int64_t none;
  size_t got;
  enum status rc;
  memset(&q, 0, sizeof(q));
  arena_init(&a, 1 << 16);
  rc = list_ids(db, reg, &q, NULL, &a, 0, 0, &none, &got, n);
  arena_reset(&a);
  return rc;
}

enum status reg_store_duplicates(struct db *db, const struct reg *reg,
                                 struct arena *a, struct dup **out, size_t *n)
{
  struct sql s;
  sqlite3_stmt *st;
  enum status rc;
  long epoch;

  *out = NULL;
  *n = 0;
  if(!reg->unique_warn) {
    return ST_OK;
  }
  *out = arena_alloc(a, sizeof(struct dup) * REG_DUP_MAX);
  if(!*out) {
    return ST_TOOBIG;
  }
  epoch = db_snapshot_epoch(db);
  if(reg_cache_dups_get(reg, a, *out, n)) {
    return ST_OK;
  }
  sql_init(&s);
  sql_lit(&s, "SELECT ");
  sql_ident(&s, reg->unique_warn);
  sql_lit(&s, ", count(*) FROM ");
  sql_ident(&s, reg->name);
  sql_lit(&s, " WHERE archived = 0 GROUP BY ");
  sql_ident(&s, reg->unique_warn);
  sql_lit(&s, " HAVING count(*) > 1 ORDER BY 1 LIMIT 16");
  rc = sql_prepare(db, &s, &st);
  if(rc) {
    return rc;
  }
  while(*n < REG_DUP_MAX && sqlite3_step(st) == SQLITE_ROW) {
    (*out)[*n].value = db_col_text(st, 0, a);
    (*out)[*n].count = sqlite3_column_int64(st, 1);
    if(!(*out)[*n].value) {
      continue;
    }
    (*n)++;
  }
  db_done(st);
  reg_cache_dups_put(reg, epoch, *out, *n);
  return ST_OK;
}

/* ---- writes (callers hold a transaction) ---- */

static enum status history(struct db *db, const struct reg *reg, int64_t id,
                           const char *at, const char *actor,
                           const char *action, const char *field,
                           const char *before, const char *after)
{
  sqlite3_stmt *st;
  enum status rc = db_prepare(
    db, &st,
    "INSERT INTO reg_history(register, record_id, at, actor, action, field,"
    " before, after) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
  if(rc) {
    return rc;
  }
  sqlite3_bind_text(st, 1, reg->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, id);
  sqlite3_bind_text(st, 3, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, action, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, field, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 7, before, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 8, after, -1, SQLITE_TRANSIENT);
  if(sqlite3_step(st) != SQLITE_DONE) {
    rc = db_fail(db, "history");
  }
  db_done(st);
  return rc;
}

/* Replace the search body of record id. */
static enum status index_record(struct db *db, const struct reg *reg,
                                int64_t id, const char **v, int is_new)
{
  struct sql s;
  sqlite3_stmt *st;
  enum status rc;
  struct buf body;
  size_t i;

  if(!is_new) {
    sql_init(&s);
    sql_lit(&s, "DELETE FROM ");
    sql_ident(&s, reg->name);
    sql_lit(&s, "_fts WHERE rowid = ?");
    rc = sql_prepare(db, &s, &st);
    if(rc) {
      return rc;
    }
    sqlite3_bind_int64(st, 1, id);
    if(sqlite3_step(st) != SQLITE_DONE) {
      rc = db_fail(db, "unindex");
    }
    db_done(st);
    if(rc) {
      return rc;
    }
  }
  buf_init(&body, 64u << 20);
  for(i = 0; i < reg->n_fields; i++) {
    if((reg->fields[i].flags & FF_SEARCH) && v[i]) {
      utf8_fold_search(&body, str_c(v[i]));
      buf_putc(&body, '\n');
    }
  }
  if(body.err) {
    buf_free(&body);
    return ST_TOOBIG; /* never index a record partly */
  }
  sql_init(&s);
  sql_lit(&s, "INSERT INTO ");
  sql_ident(&s, reg->name);
  sql_lit(&s, "_fts(rowid, body) VALUES(?, ?)");
  rc = sql_prepare(db, &s, &st);
  if(!rc) {
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, body.data, (int)body.len, SQLITE_STATIC);
    if(sqlite3_step(st) != SQLITE_DONE) {
      rc = db_fail(db, "index");
    }
    db_done(st);
  }
  buf_free(&body);
  return rc;
}

/* Replace the rows of FT_REFS field f of record id by the ids of v
 * ("3,7,12" or NULL); is_new: the record has none yet. */
static enum status write_refs(struct db *db, const struct reg *reg,
                              const struct field *f, int64_t id, const char *v,
                              int is_new)
{
  struct sql s;
  sqlite3_stmt *st;
  enum status rc = ST_OK;
  const char *p;

  if(!is_new) {
    sql_init(&s);
    sql_lit(&s, "DELETE FROM ");
    sql_refs_table(&s, reg, f);
    sql_lit(&s, " WHERE rec = ?");
    rc = sql_prepare(db, &s, &st);
    if(rc) {
      return rc;
    }
    sqlite3_bind_int64(st, 1, id);
    if(sqlite3_step(st) != SQLITE_DONE) {
      rc = db_fail(db, "unlink refs");
    }
    db_done(st);
  }
  if(rc || !v || !*v) {
    return rc;
  }
  sql_init(&s);
  sql_lit(&s, "INSERT INTO ");
  sql_refs_table(&s, reg, f);
  sql_lit(&s, "(rec, ref) VALUES(?, ?)");
  rc = sql_prepare(db, &s, &st);
  if(rc) {
    return rc;
  }
  for(p = v; !rc;) {
    size_t len = strcspn(p, ",");
    int64_t ref;
    if(str_to_i64((struct str){ p, len }, 1, INT64_MAX, &ref)) {
      rc = ST_INVALID; /* not the stored form: a caller's bug */
      break;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, ref);
    if(sqlite3_step(st) != SQLITE_DONE) {
      rc = db_fail(db, "link refs");
    }
    sqlite3_reset(st);
    if(!p[len]) {
      break;
    }
    p += len + 1;
  }
  db_done(st);
  return rc;
}

/* Write the FT_REFS fields of record id whose values changed (all of
 * them for a new record, old NULL). */
static enum status write_all_refs(struct db *db, const struct reg *reg,
                                  int64_t id, const char **old, const char **v)
{
  size_t i;
  enum status rc = ST_OK;
  for(i = 0; !rc && i < reg->n_fields; i++) {
    const struct field *f = &reg->fields[i];
    if(f->type != FT_REFS) {
      continue;
    }
    if(old &&
       ((!old[i] && !v[i]) || (old[i] && v[i] && strcmp(old[i], v[i]) == 0))) {
      continue;
    }
    rc = write_refs(db, reg, f, id, v[i], old == NULL);
  }
  return rc;
}

static enum status insert_record(struct db *db, const struct reg *reg,
                                 const char **v, const char *actor,
                                 const char *at, int64_t *id)
{
  struct sql s;
  sqlite3_stmt *st;
  enum status rc;
  size_t i;
  int idx = 1;

  sql_init(&s);
  sql_lit(&s, "INSERT INTO ");
  sql_ident(&s, reg->name);
  sql_lit(&s, "(");
  for(i = 0; i < reg->n_fields; i++) {
    if(reg->fields[i].type != FT_REFS) {
      sql_ident(&s, reg->fields[i].name);
      sql_lit(&s, ", ");
    }
  }
  sql_lit(&s, "created_at, updated_at, created_by) VALUES(");
  for(i = 0; i < reg->n_fields; i++) {
    if(reg->fields[i].type != FT_REFS) {
      sql_lit(&s, "?, ");
    }
  }
  /* No RETURNING: it opens a statement journal per row, and each one
   * makes the search index flush its pending terms (5x slower import). */
  sql_lit(&s, "?, ?, ?)");
  rc = sql_prepare(db, &s, &st);
  if(rc) {
    return rc;
  }
  for(i = 0; i < reg->n_fields; i++) {
    if(reg->fields[i].type != FT_REFS) {
      bind_value(st, idx++, &reg->fields[i], v[i]);
    }
  }
  sqlite3_bind_text(st, idx++, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, idx++, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, idx, actor, -1, SQLITE_TRANSIENT);
  if(sqlite3_step(st) != SQLITE_DONE) {
    rc = write_fail(db, "insert");
    db_done(st);
    return rc;
  }
  *id = sqlite3_last_insert_rowid(db_handle(db));
  db_done(st);
  rc = write_all_refs(db, reg, *id, NULL, v);
  if(rc) {
    return rc;
  }
  rc = index_record(db, reg, *id, v, 1);
  if(rc) {
    return rc;
  }
  /* No history row: who created the record and when are on the record
   * (created_by, created_at), and every later change records its
   * field's value before and after, so the values it was created with
   * are its current values with those changes undone.  A row per record
   * would cost a quarter of an import's time. */
  return ST_OK;
}

static int same(const char *a, const char *b)
{
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static enum status update_record(struct db *db, const struct reg *reg,
                                 int64_t id, int64_t expect_version,
                                 const char **v, const char *actor,
                                 const char *at, const char *action,
                                 struct arena *a, int *was_changed)
{
  struct record old;
  struct sql s;
  sqlite3_stmt *st;
  enum status rc;
  size_t i, changed = 0;
  int idx = 1;

  rc = reg_store_get(db, reg, id, a, &old);
  if(rc) {
    return rc;
  }
  if(old.archived) {
    return ST_FORBIDDEN; /* restore it first: archived records are kept
                            as they were */
  }
  if(reg->locked && reg->locked(db, id) != M_NONE) {
    return ST_FORBIDDEN; /* the feature says why (reg_locked_msg) */
  }
  if(expect_version && old.version != expect_version) {
    return ST_CONFLICT;
  }
  for(i = 0; i < reg->n_fields; i++) {
    if(!same(old.v[i], v[i])) {
      changed++;
      rc = history(db, reg, id, at, actor, action, reg->fields[i].name,
                   old.v[i], v[i]);
      if(rc) {
        return rc;
      }
    }
  }
  *was_changed = changed > 0;
  if(!changed) {
    return ST_OK;
  }
  sql_init(&s);
  sql_lit(&s, "UPDATE ");
  sql_ident(&s, reg->name);
  sql_lit(&s, " SET ");
  for(i = 0; i < reg->n_fields; i++) {
    if(reg->fields[i].type != FT_REFS) {
      sql_ident(&s, reg->fields[i].name);
      sql_lit(&s, " = ?, ");
    }
  }
  sql_lit(&s, "version = version + 1, updated_at = ? WHERE id = ?");
  rc = sql_prepare(db, &s, &st);
  if(rc) {
    return rc;
  }
  for(i = 0; i < reg->n_fields; i++) {
    if(reg->fields[i].type != FT_REFS) {
      bind_value(st, idx++, &reg->fields[i], v[i]);
    }
  }
  sqlite3_bind_text(st, idx++, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, idx, id);
  if(sqlite3_step(st) != SQLITE_DONE) {
    rc = write_fail(db, "update");
  }
  db_done(st);
  if(!rc) {
    rc = write_all_refs(db, reg, id, old.v, v);
  }
  if(!rc) {
    rc = index_record(db, reg, id, v, 0);
  }
  return rc;
}

/* Commit or roll back (db_commit() bumps the data epoch). */
static enum status finish(struct db *db, enum status rc)
{
  if(!rc) {
    rc = db_commit(db);
  }
  if(rc) {
    db_rollback(db);
  }
  return rc;
}

enum status reg_store_create(struct db *db, const struct reg *reg,
                             const char **v, const char *actor, int64_t *id)
{
  struct arena a;
  enum status rc;
  arena_init(&a, 1 << 16);
  rc = db_begin(db);
  if(!rc) {
    rc = insert_record(db, reg, v, actor, now_utc(&a), id);
    if(!rc) {
      rc = reg_store_audit(
        db, actor, "create",
        arena_printf(&a, "%s/%lld", reg->name, (long long)*id), NULL);
    }
    rc = finish(db, rc);
  }
  arena_reset(&a);
  return rc;
}

enum status reg_store_update(struct db *db, const struct reg *reg, int64_t id,
                             int64_t expect_version, const char **v,
                             const char *actor)
{
  struct arena a;
  enum status rc;
  arena_init(&a, 64u << 20);
  rc = db_begin(db);
  if(!rc) {
    int changed = 0;
    rc = update_record(db, reg, id, expect_version, v, actor, now_utc(&a),
                       "update", &a, &changed);
    if(!rc && changed) {
      rc = reg_store_audit(
        db, actor, "update",
        arena_printf(&a, "%s/%lld", reg->name, (long long)id), NULL);
    }
    rc = finish(db, rc);
  }
  arena_reset(&a);
  return rc;
}

enum status reg_store_set_archived(struct db *db, const struct reg *reg,
                                   int64_t id, int archived, const char *actor)
{
  struct arena a;
  struct sql s;
  sqlite3_stmt *st;
  enum status rc;
  const char *at, *object;

  arena_init(&a, 1 << 16);
  at = now_utc(&a);
  object = arena_printf(&a, "%s/%lld", reg->name, (long long)id);
  rc = db_begin(db);
  if(rc) {
    arena_reset(&a);
    return rc;
  }
  if(reg->locked && reg->locked(db, id) != M_NONE) {
    db_rollback(db);
    arena_reset(&a);
    return ST_FORBIDDEN;
  }
  sql_init(&s);
  sql_lit(&s, "UPDATE ");
  sql_ident(&s, reg->name);
  sql_lit(&s, " SET archived = ?, version = version + 1, updated_at = ?"
              " WHERE id = ? AND archived <> ?");
  rc = sql_prepare(db, &s, &st);
  if(!rc) {
    sqlite3_bind_int(st, 1, archived);
    sqlite3_bind_text(st, 2, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, id);
    sqlite3_bind_int(st, 4, archived);
    if(sqlite3_step(st) != SQLITE_DONE) {
      rc = write_fail(db, "archive");
    }
    else if(sqlite3_changes(db_handle(db)) == 0) {
      /* No such record, or already in that state. */
      rc = reg_store_exists(db, reg, id);
      db_done(st);
      db_rollback(db);
      arena_reset(&a);
      return rc;
    }
    db_done(st);
  }
  if(!rc) {
    rc = history(db, reg, id, at, actor, archived ? "archive" : "restore",
                 NULL, NULL, NULL);
  }
  if(!rc) {
    rc = reg_store_audit(db, actor, archived ? "archive" : "restore", object,
                         NULL);
  }
  rc = finish(db, rc);
  arena_reset(&a);
  return rc;
}

/* Set the search index's automerge level (FTS5 default 4; 0 while many
 * rows arrive at once, so segments are merged once at the end). */
static enum status fts_automerge(struct db *db, const struct reg *reg,
                                 int level)
{
  struct sql s;
  sqlite3_stmt *st;
  enum status rc;
  sql_init(&s);
  sql_lit(&s, "INSERT INTO ");
  sql_ident(&s, reg->name);
  sql_lit(&s, "_fts(");
  sql_ident(&s, reg->name);
  sql_lit(&s, "_fts, rank) VALUES('automerge', ?)");
  rc = sql_prepare(db, &s, &st);
  if(rc) {
    return rc;
  }
  sqlite3_bind_int(st, 1, level);
  if(sqlite3_step(st) != SQLITE_DONE) {
    rc = db_fail(db, "automerge");
  }
  db_done(st);
  return rc;
}

enum status reg_store_import(struct db *db, const struct reg *reg,
                             const struct import_row *rows, size_t n,
                             const char *actor, size_t *created,
                             size_t *updated)
{
  struct arena a;
  enum status rc;
  char at[32], detail[96];
  size_t i;

  *created = *updated = 0;
  arena_init(&a, 64u << 20);
  /* One time for the whole import. */
  snprintf(at, sizeof(at), "%s", now_utc(&a));
  rc = db_begin(db);
  if(!rc && n > 1000) {
    rc = fts_automerge(db, reg, 0);
  }
  for(i = 0; !rc && i < n; i++) {
    int64_t id;
    if(rows[i].id) {
      int changed = 0;
      rc = update_record(db, reg, rows[i].id, 0, rows[i].v, actor, at,
                         "import", &a, &changed);
      *updated += (size_t)changed;
      arena_reset(&a);
    }
    else {
      rc = insert_record(db, reg, rows[i].v, actor, at, &id);
      (*created)++;
    }
  }
  if(!rc && n > 1000) {
    rc = fts_automerge(db, reg, 4);
  }
  if(!rc) {
    snprintf(detail, sizeof(detail), "%zu created, %zu updated", *created,
             *updated);
    rc = reg_store_audit(db, actor, "import", reg->name, detail);
  }
  rc = finish(db, rc);
  arena_reset(&a);
  if(rc) {
    *created = *updated = 0;
  }
  return rc;
}

enum status reg_store_reindex(struct db *db, const struct reg *reg)
{
  struct sql s;
  sqlite3_stmt *st = NULL;
  enum status rc;
  struct arena a;
  int step;

  rc = db_begin(db);
  if(rc) {
    return rc;
  }
  sql_init(&s);
  sql_lit(&s, "DELETE FROM ");
  sql_ident(&s, reg->name);
  sql_lit(&s, "_fts");
  rc = sql_prepare(db, &s, &st);
  if(!rc) {
    if(sqlite3_step(st) != SQLITE_DONE) {
      rc = db_fail(db, "reindex");
    }
    db_done(st);
  }
  if(!rc) {
    sql_init(&s);
    sql_lit(&s, "SELECT ");
    sql_columns(&s, reg);
    sql_lit(&s, " FROM ");
    sql_ident(&s, reg->name);
    rc = sql_prepare(db, &s, &st);
  }
  arena_init(&a, 1 << 20);
  while(!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
    struct record rec;
    rc = read_record(reg, st, &a, &rec);
    if(!rc) {
      rc = index_record(db, reg, rec.id, rec.v, 1);
    }
    arena_reset(&a);
  }
  db_done(st);
  arena_reset(&a);
  return finish(db, rc);
}

enum status reg_store_history(struct db *db, const struct reg *reg, int64_t id,
                              struct arena *a, struct history_row **rows,
                              size_t *n)
{
  sqlite3_stmt *st;
  enum status rc;
  size_t cap = 16;
  int step;

  *rows = NULL;
  *n = 0;
  rc = db_prepare(db, &st,
                  "SELECT id, at, actor, action, field, before, after"
                  " FROM reg_history WHERE register = ? AND record_id = ?"
                  " ORDER BY id");
  if(rc) {
    return rc;
  }
  sqlite3_bind_text(st, 1, reg->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, id);
  while((step = sqlite3_step(st)) == SQLITE_ROW) {
    struct history_row *h;
    if(!*rows || *n == cap) {
      struct history_row *grown;
      cap = *rows ? cap * 2 : cap;
      grown = arena_alloc(a, sizeof(**rows) * cap);
      if(!grown) {
        rc = ST_TOOBIG;
        break;
      }
      if(*n) {
        memcpy(grown, *rows, sizeof(**rows) * *n);
      }
      *rows = grown;
    }
    h = &(*rows)[(*n)++];
    h->id = sqlite3_column_int64(st, 0);
    h->at = db_col_text(st, 1, a);
    h->actor = db_col_text(st, 2, a);
    h->action = db_col_text(st, 3, a);
    h->field = db_col_text(st, 4, a);
    h->before = db_col_text(st, 5, a);
    h->after = db_col_text(st, 6, a);
  }
  if(!rc && step != SQLITE_DONE) {
    rc = db_fail(db, "history");
  }
  db_done(st);
  return rc;
}

enum status reg_store_audit(struct db *db, const char *actor,
                            const char *action, const char *object,
                            const char *detail)
{
  return audit_append(db, actor, action, object, detail);
}

enum status reg_store_columns(struct db *db, const char *table,
                              struct buf *out)
{
  sqlite3_stmt *st;
  enum status rc = db_prepare(db, &st,
                              "SELECT name, type, \"notnull\" FROM"
                              " pragma_table_info(?) ORDER BY cid");
  if(rc) {
    return rc;
  }
  sqlite3_bind_text(st, 1, table, -1, SQLITE_TRANSIENT);
  while(sqlite3_step(st) == SQLITE_ROW) {
    buf_appendf(out, "%s:%s:%d\n", sqlite3_column_text(st, 0),
                sqlite3_column_text(st, 1), sqlite3_column_int(st, 2));
  }
  db_done(st);
  return ST_OK;
}

/*
 * register_io.c: CSV import and export.
 */
#include "register_io.h"
#include "core/csv.h"
#include "core/mem.h"
#include "reports/xlsx_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Map a header cell to a field index, -1 for "id", -2 when unknown. */
static int column_of(const struct reg *reg, struct str name)
{
  size_t i;
  name = str_trim(name);
  if(str_eq_c(name, "id") || str_eq_c(name, "編號") || str_eq_c(name, "No.")) {
    return -1;
  }
  for(i = 0; i < reg->n_fields; i++) {
    const struct field *f = &reg->fields[i];
    if(str_eq_c(name, f->name) || str_eq_c(name, msg_get(LANG_ZH, f->label)) ||
       str_eq_c(name, msg_get(LANG_EN, f->label))) {
      return (int)i;
    }
  }
  return -2;
}

/* A header cell as a field name for an error, at most 100 bytes (the
 * report shows it; a huge cell must not exhaust the arena). */
static const char *column_name(struct arena *a, struct str cell)
{
  size_t n = cell.len > 100 ? 100 : cell.len;
  const char *name;
  while(n < cell.len && n > 0 && ((unsigned char)cell.p[n] & 0xC0) == 0x80) {
    n--; /* do not cut a UTF-8 sequence */
  }
  name = arena_strndup(a, cell.p, n);
  return name ? name : "";
}

static enum msg csv_msg(enum csv_error e)
{
  switch(e) {
  case CSV_ERR_QUOTE:
    return M_CSV_QUOTE;
  case CSV_ERR_GARBAGE:
    return M_CSV_GARBAGE;
  case CSV_ERR_UTF8:
    return M_CSV_UTF8;
  case CSV_ERR_FIELDS:
    return M_CSV_FIELDS;
  default:
    return M_ERR_TOO_BIG;
  }
}

/* The rows of an import as they are checked: shared by the CSV import
 * and the mapped import of a table. */
struct importer {
  struct db *db;           /* for references and updates */
  const struct reg *reg;   /* the register */
  struct arena *a;         /* everything lives here */
  const int *cols;         /* per column: field index, IMPORT_COL_ID or
                             IMPORT_COL_IGNORE */
  size_t n_cols;           /* columns */
  unsigned char *has_col;  /* has_col[f]: a column maps to field f */
  const char **in;         /* values of the current row (masked in place) */
  const char **raw;        /* the row's values as in the file */
  struct import_row *rows; /* checked rows */
  size_t cap;              /* allocated rows */
  struct import_report *rep;
  struct reg_masker m; /* masks FF_MASK cells (when rep->masks) */
};

static enum status importer_init(struct importer *im, struct db *db,
                                 const struct reg *reg, const int *cols,
                                 size_t n_cols, struct arena *a,
                                 struct import_report *rep)
{
  size_t i;
  memset(im, 0, sizeof(*im));
  rep->masks = reg_has_mask(reg);
  reg_masker_init(&im->m, db);
  rep->mask_op = im->m.op;
  im->db = db;
  im->reg = reg;
  im->a = a;
  im->cols = cols;
  im->n_cols = n_cols;
  im->rep = rep;
  im->cap = 1024;
  im->has_col = arena_alloc(a, reg->n_fields);
  im->in = arena_alloc(a, sizeof(char *) * reg->n_fields);
  im->raw = arena_alloc(a, sizeof(char *) * reg->n_fields);
  im->rows = arena_alloc(a, sizeof(*im->rows) * im->cap);
  if(!im->has_col || !im->in || !im->raw || !im->rows) {
    return ST_TOOBIG;
  }
  memset(im->has_col, 0, reg->n_fields);
  for(i = 0; i < n_cols; i++) {
    if(cols[i] >= 0) {
      im->has_col[cols[i]] = 1;
    }
  }
  return ST_OK;
}

/* Check one data row of n_cells cells (fewer than n_cols: the rest are
 * empty); errors carry rep->errs.row, set by the caller. */
static enum status importer_row(struct importer *im, const struct str *cells,
                                size_t n_cells, int is_csv)
{
  const struct reg *reg = im->reg;
  struct import_report *rep = im->rep;
  const char **v;
  int64_t id = 0;
  size_t i, from;

  if(rep->rows == IMPORT_MAX_ROWS) {
    reg_error(&rep->errs, "", M_ERR_TOO_BIG);
    return ST_INVALID;
  }
  memset(im->in, 0, sizeof(char *) * reg->n_fields);
  for(i = 0; i < im->n_cols && i < n_cells; i++) {
    struct str c = is_csv ? csv_unprotect(cells[i]) : cells[i];
    if(im->cols[i] >= 0) {
      im->in[im->cols[i]] = arena_strndup(im->a, c.p, c.len);
      if(!im->in[im->cols[i]]) {
        return ST_TOOBIG; /* never store a value as empty */
      }
    }
    else if(im->cols[i] == IMPORT_COL_ID && c.len &&
            str_to_i64(str_trim(c), 1, INT64_MAX, &id)) {
      reg_error(&rep->errs, "id", M_ERR_INT);
    }
  }
  if(id) {
    /* An update keeps the values of the columns the file lacks; a new
     * record has them empty. */
    struct record old;
    if(reg_store_get(im->db, reg, id, im->a, &old)) {
      reg_error(&rep->errs, "id", M_ERR_NOT_FOUND);
    }
    else if(old.archived ||
            (reg->locked && reg->locked(im->db, id) != M_NONE)) {
      reg_error(&rep->errs, "id", reg_locked_msg(reg, im->db, id));
    }
    else {
      size_t f;
      for(f = 0; f < reg->n_fields; f++) {
        if(!im->has_col[f]) {
          im->in[f] = old.v[f];
        }
      }
    }
  }
  if(rep->masks) {
    /* Only the file's cells: what is stored was masked when written. */
    enum status st;
    memcpy(im->raw, im->in, sizeof(char *) * reg->n_fields);
    st = reg_mask_values(&im->m, reg, im->in, NULL, im->has_col, im->a, NULL);
    if(st == ST_TOOBIG) {
      return st;
    }
    if(st) {
      reg_error(&rep->errs, "", M_MASK_KEY_FAILED);
      return ST_INVALID;
    }
  }
  v = arena_alloc(im->a, sizeof(char *) * reg->n_fields);
  if(!v) {
    return ST_TOOBIG;
  }
  rep->errs.record_id = id; /* an update is checked against the others */
  from = rep->errs.n;
  reg_validate(reg, im->db, im->in, v, im->a, &rep->errs);
  if(rep->masks) {
    reg_mask_long_errors(reg, im->raw, &rep->errs, from);
  }
  if(rep->rows == im->cap) {
    struct import_row *grown =
      arena_alloc(im->a, sizeof(*grown) * im->cap * 2);
    if(!grown) {
      return ST_TOOBIG;
    }
    memcpy(grown, im->rows, sizeof(*grown) * im->cap);
    im->rows = grown;
    im->cap *= 2;
  }
  im->rows[rep->rows].id = id;
  im->rows[rep->rows].v = v;
  rep->rows++;
  return ST_OK;
}

/* End the masking session (wipes its key) and count what it masked;
 * st is returned. */
static enum status importer_end(struct importer *im, enum status st)
{
  reg_masker_end(&im->m);
  im->rep->masked = im->m.total;
  memcpy(im->rep->masked_count, im->m.count, sizeof(im->m.count));
  return st;
}

/* Write the checked rows when none had an error. */
static enum status importer_finish(struct importer *im, const char *actor)
{
  struct import_report *rep = im->rep;
  enum status st;
  importer_end(im, ST_OK);
  if(reg_errors_any(&rep->errs)) {
    return ST_INVALID;
  }
  if(rep->rows == 0) {
    reg_error(&rep->errs, "", M_IMPORT_EMPTY);
    return ST_INVALID;
  }
  st = reg_store_import(im->db, im->reg, im->rows, rep->rows, actor,
                        &rep->created, &rep->updated);
  if(st == ST_CONFLICT) {
    /* Rows valid one by one that a unique index refuses together (two
     * approved procedures of one kind in the file). */
    rep->errs.row = 0; /* no one line is wrong */
    reg_error(&rep->errs, "", M_ERR_UNIQUE);
    return ST_INVALID;
  }
  return st;
}

enum status reg_import_csv(struct db *db, const struct reg *reg,
                           struct str csv, const char *actor, struct arena *a,
                           struct import_report *rep)
{
  struct csv_reader rd;
  struct importer im;
  struct str *cells;
  size_t n_cells, n_cols, i;
  int *cols;
  enum status st;

  memset(rep, 0, sizeof(*rep));
  reg_errors_init(&rep->errs, a);
  csv_reader_init(&rd, csv);
  st = csv_read(&rd, a, &cells, &n_cols, 256);
  if(st == ST_NOTFOUND) {
    reg_error(&rep->errs, "", M_IMPORT_EMPTY);
    return ST_INVALID;
  }
  if(st) {
    rep->errs.row = rd.err_line;
    reg_error(&rep->errs, "", csv_msg(rd.err));
    return ST_INVALID;
  }
  cols = arena_alloc(a, sizeof(int) * n_cols);
  if(!cols) {
    return ST_TOOBIG;
  }
  rep->errs.row = rd.record_line;
  for(i = 0; i < n_cols; i++) {
    size_t k;
    cols[i] = column_of(reg, cells[i]);
    if(cols[i] == -2) {
      reg_error(&rep->errs, column_name(a, cells[i]), M_IMPORT_UNKNOWN_COLUMN);
    }
    for(k = 0; k < i; k++) {
      if(cols[k] == cols[i] && cols[i] != -2) {
        reg_error(&rep->errs, column_name(a, cells[i]), M_IMPORT_DUP_COLUMN);
      }
    }
  }
  if(reg_errors_any(&rep->errs)) {
    return ST_INVALID;
  }
  if(importer_init(&im, db, reg, cols, n_cols, a, rep)) {
    return ST_TOOBIG;
  }
  for(;;) {
    st = csv_read(&rd, a, &cells, &n_cells, 256);
    if(st == ST_NOTFOUND) {
      break;
    }
    if(st) {
      rep->errs.row = rd.err_line;
      reg_error(&rep->errs, "", csv_msg(rd.err));
      return importer_end(&im, ST_INVALID);
    }
    if(n_cells == 1 && cells[0].len == 0) {
      continue; /* blank line */
    }
    rep->errs.row = rd.record_line;
    if(n_cells != n_cols) {
      reg_error(&rep->errs, "", M_IMPORT_COLUMNS);
      continue;
    }
    st = importer_row(&im, cells, n_cells, 1);
    if(st) {
      return importer_end(&im, st);
    }
  }
  return importer_finish(&im, actor);
}

/* ---- tables: the two-step import with a column mapping ---- */

enum status reg_table_parse(struct str data, struct arena *a,
                            struct import_table *t, enum msg *why)
{
  memset(t, 0, sizeof(*t));
  if(xlsx_is_zip(data)) {
    struct xlsx_sheet sh;
    enum status st = xlsx_read(data, a, &sh, why);
    if(st) {
      return st;
    }
    t->is_xlsx = 1;
    t->rows = sh.rows;
    t->n_rows = sh.n_rows;
    t->n_cols = sh.n_cols;
  }
  else {
    struct csv_reader rd;
    size_t cap = 0;
    csv_reader_init(&rd, data);
    for(;;) {
      struct str *cells;
      size_t n;
      enum status st = csv_read(&rd, a, &cells, &n, XLSX_MAX_COLS);
      if(st == ST_NOTFOUND) {
        break;
      }
      if(st) {
        t->err_line = rd.err_line;
        *why = csv_msg(rd.err);
        return st == ST_TOOBIG ? st : ST_INVALID;
      }
      if(n == 1 && cells[0].len == 0) {
        continue; /* blank line */
      }
      if(t->n_rows == IMPORT_MAX_ROWS) {
        *why = M_ERR_TOO_BIG;
        return ST_TOOBIG;
      }
      if(t->n_rows == cap) {
        struct xlsx_row *grown;
        cap = cap ? cap * 2 : 256;
        grown = arena_alloc(a, sizeof(*grown) * cap);
        if(!grown) {
          *why = M_ERR_TOO_BIG;
          return ST_TOOBIG;
        }
        if(t->n_rows) {
          memcpy(grown, t->rows, sizeof(*grown) * t->n_rows);
        }
        t->rows = grown;
      }
      t->rows[t->n_rows].line = rd.record_line;
      t->rows[t->n_rows].cells = cells;
      t->rows[t->n_rows].n_cells = n;
      if(n > t->n_cols) {
        t->n_cols = n;
      }
      t->n_rows++;
    }
  }
  if(t->n_rows == 0) {
    *why = M_IMPORT_EMPTY;
    return ST_INVALID;
  }
  return ST_OK;
}

int reg_guess_column(const struct reg *reg, struct str header)
{
  int c = column_of(reg, header);
  return c == -2 ? IMPORT_COL_IGNORE : c == -1 ? IMPORT_COL_ID : c;
}

enum status reg_import_table(struct db *db, const struct reg *reg,
                             const struct import_table *t, const int *cols,
                             const char *actor, struct arena *a,
                             struct import_report *rep)
{
  struct importer im;
  size_t i, k, n_mapped = 0;
  enum status st;

  memset(rep, 0, sizeof(*rep));
  reg_errors_init(&rep->errs, a);
  if(t->n_rows == 0) {
    reg_error(&rep->errs, "", M_IMPORT_EMPTY);
    return ST_INVALID;
  }
  rep->errs.row = t->rows[0].line;
  for(i = 0; i < t->n_cols; i++) {
    if(cols[i] < IMPORT_COL_IGNORE || cols[i] >= (int)reg->n_fields) {
      reg_error(&rep->errs, "", M_IMPORT_UNKNOWN_COLUMN);
      continue;
    }
    if(cols[i] == IMPORT_COL_IGNORE) {
      continue;
    }
    n_mapped++;
    for(k = 0; k < i; k++) {
      if(cols[k] == cols[i]) {
        reg_error(&rep->errs, cols[i] >= 0 ? reg->fields[cols[i]].name : "id",
                  M_IMPORT_DUP_COLUMN);
      }
    }
  }
  if(!n_mapped) {
    reg_error(&rep->errs, "", M_IMPORT_MAP_NONE);
  }
  if(reg_errors_any(&rep->errs)) {
    return ST_INVALID;
  }
  if(importer_init(&im, db, reg, cols, t->n_cols, a, rep)) {
    return ST_TOOBIG;
  }
  for(i = 1; i < t->n_rows; i++) {
    const struct xlsx_row *row = &t->rows[i];
    rep->errs.row = row->line;
    if(!t->is_xlsx && row->n_cells != t->rows[0].n_cells) {
      reg_error(&rep->errs, "", M_IMPORT_COLUMNS);
      continue;
    }
    st = importer_row(&im, row->cells, row->n_cells, !t->is_xlsx);
    if(st) {
      return importer_end(&im, st);
    }
  }
  return importer_finish(&im, actor);
}

/* How an export names the records an FT_REFS value refers to, found
 * once per record referred to (slots of a hash table keyed by id). */
#define NAME_SLOTS 4096

struct name_slot {
  int64_t id;       /* 0 for a free slot */
  const char *text; /* what the export writes for it */
};

struct export_ctx {
  struct db *db;           /* for the names of references */
  const struct reg *reg;   /* the register */
  enum lang lang;          /* labels */
  struct buf *out;         /* destination */
  struct arena names;      /* the texts of slots */
  struct name_slot *slots; /* NAME_SLOTS, or NULL */
  size_t n_slots;          /* slots used */
  enum status err;         /* a lookup failed */
};

/* 1 if an import would read label as something else than that one
 * record's name: digits (an id) or a separator of FT_REFS text. */
static int name_unsafe(const char *label)
{
  int64_t id;
  return !str_to_i64(str_trim(str_c(label)), INT64_MIN, INT64_MAX, &id) ||
         strpbrk(label, ",;") || strstr(label, "；") || strstr(label, "、") ||
         strstr(label, "，");
}

/*
 * What the export writes for record id of target: its label when an
 * import finds that record by it (the only active record of that name,
 * not digits, no separator), else the id.  Lives in x->names.
 */
static const char *export_name(struct export_ctx *x, const struct reg *target,
                               int64_t id)
{
  uint64_t h = ((uint64_t)id * 0x9E3779B97F4A7C15u) >> 52; /* 12 bits */
  struct name_slot *slot = NULL;
  const char *label = NULL, *text;
  int64_t found = 0;
  size_t k;

  for(k = 0; x->slots && k < NAME_SLOTS; k++) {
    struct name_slot *s = &x->slots[(h + k) % NAME_SLOTS];
    if(s->id == id) {
      return s->text;
    }
    if(!s->id) {
      slot = s;
      break;
    }
  }
  if(reg_store_labels(x->db, target, &id, 1, &x->names, &label, NULL)) {
    x->err = ST_DB;
  }
  if(label && !name_unsafe(label) &&
     !reg_store_find_label(x->db, target, label, &found) && found == id) {
    text = label;
  }
  else {
    text = arena_printf(&x->names, "%lld", (long long)id);
  }
  if(slot && text && x->n_slots < NAME_SLOTS * 3 / 4) {
    slot->id = id;
    slot->text = text;
    x->n_slots++;
  }
  return text;
}

/* Append an FT_REFS value as names joined by 、 (see export_name()). */
static void export_refs(struct export_ctx *x, const struct field *f,
                        const char *v)
{
  const struct reg *target = reg_find(f->ref);
  struct buf names;
  const char *p = v;
  buf_init(&names, 1 << 20);
  while(target && p && *p) {
    size_t len = strcspn(p, ",");
    int64_t id;
    if(!str_to_i64((struct str){ p, len }, 1, INT64_MAX, &id)) {
      const char *text = export_name(x, target, id);
      if(names.len) {
        buf_puts(&names, "、");
      }
      buf_puts(&names, text ? text : "");
    }
    p += len + (p[len] != 0);
  }
  if(names.err) {
    x->err = names.err;
  }
  csv_field(x->out, (struct str){ names.data, names.len });
  buf_free(&names);
}

static int export_row(void *arg, const struct record *rec)
{
  struct export_ctx *x = arg;
  size_t i;
  char id[24];
  snprintf(id, sizeof(id), "%lld", (long long)rec->id);
  buf_puts(x->out, id);
  for(i = 0; i < x->reg->n_fields; i++) {
    const struct field *f = &x->reg->fields[i];
    const char *v = rec->v[i];
    buf_putc(x->out, ',');
    if(!v) {
      continue;
    }
    if(f->type == FT_REFS) {
      export_refs(x, f, v);
      continue;
    }
    if(f->type == FT_ENUM) {
      v = reg_enum_label(f, v, x->lang);
    }
    else if(f->type == FT_BOOL) {
      v = msg_get(x->lang, strcmp(v, "1") == 0 ? M_YES : M_NO);
    }
    csv_field(x->out, str_c(v));
  }
  buf_puts(x->out, "\r\n");
  return x->out->err != ST_OK || x->err != ST_OK;
}

enum status reg_export_csv(struct db *db, const struct reg *reg,
                           const struct list_query *q, enum lang lang,
                           struct buf *out)
{
  struct export_ctx x;
  size_t i;
  enum status st;
  memset(&x, 0, sizeof(x));
  x.db = db;
  x.reg = reg;
  x.lang = lang;
  x.out = out;
  arena_init(&x.names, 64u << 20);
  for(i = 0; i < reg->n_fields; i++) {
    if(reg->fields[i].type == FT_REFS) {
      x.slots = xcalloc(NAME_SLOTS, sizeof(*x.slots));
      break;
    }
  }
  buf_puts(out, "\xEF\xBB\xBF"
                "id");
  for(i = 0; i < reg->n_fields; i++) {
    buf_putc(out, ',');
    csv_field(out, str_c(msg_get(lang, reg->fields[i].label)));
  }
  buf_puts(out, "\r\n");
  st = reg_store_export(db, reg, q, export_row, &x);
  free(x.slots);
  arena_reset(&x.names);
  return st ? st : x.err ? x.err : out->err;
}

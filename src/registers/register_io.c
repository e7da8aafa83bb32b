/*
 * register_io.c: CSV import and export.
 */
#include "register_io.h"
#include "core/csv.h"
#include "core/mem.h"

#include <stdio.h>
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

enum status reg_import_csv(struct db *db, const struct reg *reg,
                           struct str csv, const char *actor, struct arena *a,
                           struct import_report *rep)
{
  struct csv_reader rd;
  struct str *cells;
  size_t n_cells, n_cols, i, cap = 1024;
  int *cols;
  unsigned char *has_col; /* has_col[f]: the file has field f */
  struct import_row *rows;
  enum status st;
  const char **in;

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
  has_col = arena_alloc(a, reg->n_fields);
  in = arena_alloc(a, sizeof(char *) * reg->n_fields);
  rows = arena_alloc(a, sizeof(*rows) * cap);
  if(!cols || !has_col || !in || !rows) {
    return ST_TOOBIG;
  }
  memset(has_col, 0, reg->n_fields);
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
    if(cols[i] >= 0) {
      has_col[cols[i]] = 1;
    }
  }
  if(reg_errors_any(&rep->errs)) {
    return ST_INVALID;
  }
  for(;;) {
    const char **v;
    int64_t id = 0;
    st = csv_read(&rd, a, &cells, &n_cells, 256);
    if(st == ST_NOTFOUND) {
      break;
    }
    if(st) {
      rep->errs.row = rd.err_line;
      reg_error(&rep->errs, "", csv_msg(rd.err));
      return ST_INVALID;
    }
    if(n_cells == 1 && cells[0].len == 0) {
      continue; /* blank line */
    }
    rep->errs.row = rd.record_line;
    if(n_cells != n_cols) {
      reg_error(&rep->errs, "", M_IMPORT_COLUMNS);
      continue;
    }
    if(rep->rows == IMPORT_MAX_ROWS) {
      reg_error(&rep->errs, "", M_ERR_TOO_BIG);
      return ST_INVALID;
    }
    memset(in, 0, sizeof(char *) * reg->n_fields);
    for(i = 0; i < n_cols; i++) {
      struct str c = csv_unprotect(cells[i]);
      if(cols[i] >= 0) {
        in[cols[i]] = arena_strndup(a, c.p, c.len);
        if(!in[cols[i]]) {
          return ST_TOOBIG; /* never store a value as empty */
        }
      }
      else if(c.len && str_to_i64(str_trim(c), 1, INT64_MAX, &id)) {
        reg_error(&rep->errs, "id", M_ERR_INT);
      }
    }
    if(id) {
      /* An update keeps the values of the columns the file lacks; a new
       * record has them empty. */
      struct record old;
      if(reg_store_get(db, reg, id, a, &old)) {
        reg_error(&rep->errs, "id", M_ERR_NOT_FOUND);
      }
      else if(old.archived) {
        reg_error(&rep->errs, "id", M_ERR_ARCHIVED);
      }
      else {
        size_t f;
        for(f = 0; f < reg->n_fields; f++) {
          if(!has_col[f]) {
            in[f] = old.v[f];
          }
        }
      }
    }
    v = arena_alloc(a, sizeof(char *) * reg->n_fields);
    if(!v) {
      return ST_TOOBIG;
    }
    reg_validate(reg, db, in, v, a, &rep->errs);
    if(rep->rows == cap) {
      struct import_row *grown = arena_alloc(a, sizeof(*rows) * cap * 2);
      if(!grown) {
        return ST_TOOBIG;
      }
      memcpy(grown, rows, sizeof(*rows) * cap);
      rows = grown;
      cap *= 2;
    }
    rows[rep->rows].id = id;
    rows[rep->rows].v = v;
    rep->rows++;
  }
  if(reg_errors_any(&rep->errs)) {
    return ST_INVALID;
  }
  if(rep->rows == 0) {
    reg_error(&rep->errs, "", M_IMPORT_EMPTY);
    return ST_INVALID;
  }
  return reg_store_import(db, reg, rows, rep->rows, actor, &rep->created,
                          &rep->updated);
}

struct export_ctx {
  const struct reg *reg; /* the register */
  enum lang lang;        /* labels */
  struct buf *out;       /* destination */
};

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
    if(f->type == FT_ENUM) {
      v = reg_enum_label(f, v, x->lang);
    }
    else if(f->type == FT_BOOL) {
      v = msg_get(x->lang, strcmp(v, "1") == 0 ? M_YES : M_NO);
    }
    csv_field(x->out, str_c(v));
  }
  buf_puts(x->out, "\r\n");
  return x->out->err != ST_OK;
}

enum status reg_export_csv(struct db *db, const struct reg *reg,
                           const struct list_query *q, enum lang lang,
                           struct buf *out)
{
  struct export_ctx x = { reg, lang, out };
  size_t i;
  enum status st;
  buf_puts(out, "\xEF\xBB\xBF"
                "id");
  for(i = 0; i < reg->n_fields; i++) {
    buf_putc(out, ',');
    csv_field(out, str_c(msg_get(lang, reg->fields[i].label)));
  }
  buf_puts(out, "\r\n");
  st = reg_store_export(db, reg, q, export_row, &x);
  return st ? st : out->err;
}

/*
 * form5.c: form 5 (資訊及資通系統資產清冊) as XLSX, ODS or CSV, and its
 * routes.  The layout follows the plan's form: title, date, the eight
 * columns of 柒.一.3, then the columns the labels and the 115 rules add.
 * Text is always Chinese: the form is the agency's official record
 * whatever the reader's interface language.
 */
#include "form5.h"
#include "assets.h"
#include "form5_store.h"
#include "core/csv.h"
#include "core/time.h"
#include "db/db.h"
#include "features/agency/agency.h"
#include "registers/register_http.h"
#include "reports/ods.h"
#include "reports/xlsx.h"

#include <string.h>

/* Field names of the asset register, in column order; "" for the two
 * columns that come from the system. */
static const struct {
  const char *field; /* asset field, or a system column */
  enum msg header;   /* Chinese header */
  double width;      /* in characters */
} cols[FORM5_COLUMNS] = {
  { "@system", M_F_AS_SYSTEM, 24 },
  { "name", M_F_AS_NAME, 24 },
  { "class", M_F_AS_CLASS, 12 },
  { "owner", M_F_AS_OWNER, 12 },
  { "custodian", M_F_AS_CUSTODIAN, 12 },
  { "user", M_F_AS_USER, 12 },
  { "location", M_F_AS_LOCATION, 16 },
  { "@level", M_F_SYS_LEVEL, 10 },
  { "property_no", M_F_AS_PROPERTY_NO, 18 },
  { "keeper", M_F_AS_KEEPER, 10 },
  { "brand", M_F_AS_BRAND, 12 },
  { "model", M_F_AS_MODEL, 14 },
  { "quantity", M_F_AS_QUANTITY, 6 },
  { "is_core", M_F_AS_CORE, 8 },
  { "third_party", M_F_AS_THIRD_PARTY, 10 },
  { "ns_concern", M_F_AS_NS_CONCERN, 18 },
};

/* One spreadsheet in one of the three formats. */
struct sheet {
  enum form5_format fmt;                /* which writer */
  struct xlsx x;                        /* FORM5_XLSX */
  struct ods o;                         /* FORM5_ODS */
  struct buf *csv;                      /* FORM5_CSV: the output itself */
  size_t col;                           /* CSV: next column */
  int has_row;                          /* CSV: a row was started */
  const struct field *f[FORM5_COLUMNS]; /* asset field per column */
  size_t fi[FORM5_COLUMNS];             /* and its index */
  const struct field *level;            /* the system's level field */
};

static void sh_row(struct sheet *s)
{
  switch(s->fmt) {
  case FORM5_XLSX:
    xlsx_row(&s->x);
    break;
  case FORM5_ODS:
    ods_row(&s->o);
    break;
  case FORM5_CSV:
    if(s->has_row) {
      buf_puts(s->csv, "\r\n");
    }
    s->has_row = 1;
    s->col = 0;
    break;
  }
}

static void sh_text(struct sheet *s, const char *v, enum cell_style st)
{
  switch(s->fmt) {
  case FORM5_XLSX:
    xlsx_text(&s->x, v, st);
    break;
  case FORM5_ODS:
    ods_text(&s->o, v, st);
    break;
  case FORM5_CSV:
    if(s->col++) {
      buf_putc(s->csv, ',');
    }
    if(v) {
      csv_field(s->csv, str_c(v)); /* quotes, and ' before = + - @ */
    }
    break;
  }
}

/* A quantity: a number cell when it is one. */
static void sh_int(struct sheet *s, const char *v)
{
  int64_t n;
  if(!v || str_to_i64(str_c(v), INT64_MIN, INT64_MAX, &n) ||
     s->fmt == FORM5_CSV) {
    sh_text(s, v, CELL_PLAIN);
    return;
  }
  if(s->fmt == FORM5_XLSX) {
    xlsx_number(&s->x, (double)n);
  }
  else {
    ods_number(&s->o, n);
  }
}

static int write_row(void *arg, const struct form5_row *row)
{
  struct sheet *s = arg;
  size_t i;
  sh_row(s);
  for(i = 0; i < FORM5_COLUMNS; i++) {
    const struct field *f = s->f[i];
    const char *v;
    if(strcmp(cols[i].field, "@system") == 0) {
      sh_text(s, row->system, CELL_PLAIN);
      continue;
    }
    if(strcmp(cols[i].field, "@level") == 0) {
      v = NULL;
      if(row->has_system) {
        v = row->level ? reg_enum_label(s->level, row->level, LANG_ZH) :
                         msg_get(LANG_ZH, M_PL_NONE);
      }
      sh_text(s, v, CELL_PLAIN);
      continue;
    }
    v = f ? row->asset->v[s->fi[i]] : NULL;
    if(v && f->type == FT_ENUM) {
      v = reg_enum_label(f, v, LANG_ZH);
    }
    else if(v && f->type == FT_BOOL) {
      v = msg_get(LANG_ZH, strcmp(v, "1") == 0 ? M_YES : M_NO);
    }
    if(f && f->type == FT_INT) {
      sh_int(s, v);
    }
    else {
      sh_text(s, v, CELL_PLAIN);
    }
  }
  if(s->fmt == FORM5_CSV) {
    return s->csv->err != ST_OK;
  }
  return (s->fmt == FORM5_XLSX ? s->x.err : s->o.err) != ST_OK;
}

/* "高雄市政府新聞局 資訊及資通系統資產清冊": the agency's name from its
 * register, then the form's title.  Into b. */
static void title(struct db *db, struct buf *b)
{
  struct arena a;
  const char *name;
  arena_init(&a, 1u << 20);
  name = agency_name(db, &a);
  if(name) {
    buf_puts(b, name);
    buf_putc(b, ' ');
  }
  buf_puts(b, msg_get(LANG_ZH, M_R_ASSET));
  arena_reset(&a);
}

enum status form5_export(struct db *db, const struct list_query *q,
                         enum form5_format fmt, int64_t now, struct buf *out)
{
  struct sheet sh;
  struct sheet *s = &sh;
  double widths[FORM5_COLUMNS];
  const char *sheet_name = msg_get(LANG_ZH, M_F5_SHEET);
  struct buf head;
  enum status st = ST_OK;
  size_t i;

  memset(s, 0, sizeof(*s));
  s->fmt = fmt;
  s->csv = out;
  s->level = reg_field(&reg_system, "level");
  for(i = 0; i < FORM5_COLUMNS; i++) {
    widths[i] = cols[i].width;
    s->f[i] = reg_field(&reg_asset, cols[i].field);
    s->fi[i] = s->f[i] ? reg_field_index(&reg_asset, s->f[i]) : 0;
  }
  if(fmt == FORM5_XLSX) {
    st = xlsx_open(&s->x, sheet_name, widths, FORM5_COLUMNS);
  }
  else if(fmt == FORM5_ODS) {
    st = ods_open(&s->o, sheet_name, widths, FORM5_COLUMNS);
  }
  else {
    buf_puts(out, "\xEF\xBB\xBF");
  }
  buf_init(&head, 4096);
  if(!st) {
    /* Row 1: the title; row 2: the date; row 3: the headers. */
    title(db, &head);
    sh_row(s);
    sh_text(s, head.data, CELL_TITLE);
    buf_clear(&head);
    buf_puts(&head, msg_get(LANG_ZH, M_F5_DATE));
    time_format_roc(&head, time_taipei_date(now));
    sh_row(s);
    sh_text(s, head.data, CELL_PLAIN);
    sh_row(s);
    for(i = 0; i < FORM5_COLUMNS; i++) {
      sh_text(s, msg_get(LANG_ZH, cols[i].header), CELL_HEADER);
    }
    if(fmt == FORM5_XLSX) {
      xlsx_freeze_rows(&s->x, 3);
    }
    st = head.err ? head.err : form5_store_rows(db, q, write_row, s);
  }
  buf_free(&head);
  switch(fmt) {
  case FORM5_XLSX:
    if(st) {
      xlsx_abort(&s->x);
    }
    else {
      st = xlsx_finish(&s->x, out);
    }
    break;
  case FORM5_ODS:
    if(st) {
      ods_abort(&s->o);
    }
    else {
      st = ods_finish(&s->o, out);
    }
    break;
  case FORM5_CSV:
    buf_puts(out, "\r\n");
    if(!st) {
      st = out->err;
    }
    break;
  }
  return st;
}

int form5_format_of(const char *name)
{
  static const char *const names[] = { "xlsx", "ods", "csv" };
  int i;
  for(i = 0; i < 3; i++) {
    if(name && strcmp(name, names[i]) == 0) {
      return i;
    }
  }
  return -1;
}

/* The route: the list's filters, the export, the audit row, then the
 * bytes as an attachment. */
static void form5_report(struct req *r, enum form5_format fmt)
{
  static const char *const ctype[] = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
    "text/csv; charset=utf-8",
  };
  static const char *const ext[] = { "xlsx", "ods", "csv" };
  const struct reg *reg = reg_of_req(r);
  struct list_query q;
  enum status st;
  if(!reg) {
    return;
  }
  if(reg != &reg_asset) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return;
  }
  reg_list_query(r, reg, &q);
  buf_clear(&r->page.out);
  st = form5_export(r->db, &q, fmt, time_now(), &r->page.out);
  if(st) {
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  /* Data leaving isms is an audited event: after the read snapshot, in
   * a write transaction of its own (as reg_export_page). */
  db_read_end(r->db);
  if(reg_store_audit(r->db, r->actor, "export", reg->name,
                     arena_printf(&r->arena, "form5 %s, %s", ext[fmt],
                                  q.q || q.n_filters ? "filtered" : "all"))) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  r->status = 200;
  r->ctype = ctype[fmt];
  req_set_header(
    r, "Content-Disposition",
    arena_printf(&r->arena, "attachment; filename=\"form5.%s\"", ext[fmt]));
}

void form5_xlsx_report(struct req *r)
{
  form5_report(r, FORM5_XLSX);
}

void form5_ods_report(struct req *r)
{
  form5_report(r, FORM5_ODS);
}

void form5_csv_report(struct req *r)
{
  form5_report(r, FORM5_CSV);
}

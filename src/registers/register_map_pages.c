/*
 * register_map_pages.c: the two-step import of any register, with a
 * column mapping.  Step 1 uploads a CSV or XLSX file (told apart by its
 * content); the file is read once to refuse a broken one at once, kept
 * in import_upload (register_upload_store.c) and the browser is sent to step
 * 2, which proposes a field for every column of the file (from its
 * header: a field's code or its zh-TW or English label, else ignored).
 * Confirming imports all rows or none through the same checks as the
 * CSV import (reg_import_table), naming the file's rows on errors.
 */
#include "register_http.h"
#include "register_io.h"
#include "register_mask.h"
#include "register_upload_store.h"
#include "ui/layout.h"

#include <stdio.h>
#include <string.h>

const struct param_spec reg_import_map_params[] = {
  { "col_*", PARAM_TEXT, 64, 0, 0 }, /* col_<i>: "", "id" or a field */
  { NULL, 0, 0, 0, 0 },
};

/* Spreadsheet letters of 0-based column i: A, Z, AA, GR. */
static void col_letters(size_t i, char out[8])
{
  char tmp[8];
  size_t n = 0, k;
  i++;
  while(i && n < sizeof(tmp) - 1) {
    tmp[n++] = (char)('A' + (i - 1) % 26);
    i = (i - 1) / 26;
  }
  for(k = 0; k < n; k++) {
    out[k] = tmp[n - 1 - k];
  }
  out[n] = '\0';
}

/* At most 80 bytes of a cell for display, not cutting a character. */
static const char *short_cell(struct req *r, struct str c)
{
  size_t n = c.len > 80 ? 80 : c.len;
  const char *s;
  while(n < c.len && n > 0 && ((unsigned char)c.p[n] & 0xC0) == 0x80) {
    n--;
  }
  s = arena_strndup(&r->arena, c.p, n);
  return s ? s : "";
}

static struct str cell_of(const struct import_table *t, size_t row, size_t i)
{
  if(row < t->n_rows && i < t->rows[row].n_cells) {
    return t->rows[row].cells[i];
  }
  return (struct str){ "", 0 };
}

/* The file id of the request, loaded and read into t; on failure the
 * response is written and 0 is returned. */
static int load(struct req *r, const struct reg *reg, int64_t *id,
                const char **filename, struct import_table *t)
{
  struct str data;
  enum status st;
  enum msg why;
  *id = reg_id_of_req(r);
  if(!*id) {
    return 0;
  }
  st = reg_upload_get(r->db, *id, reg->name, r->actor, &r->arena, &data,
                      filename);
  if(st == ST_NOTFOUND) {
    req_fail(r, ST_NOTFOUND, M_IMPORT_MAP_GONE);
    return 0;
  }
  if(st) {
    req_fail(r, st, M_ERR_INTERNAL);
    return 0;
  }
  st = reg_table_parse(data, &r->arena, t, &why);
  if(st) {
    /* read at upload already: only the arena's cap can stop it now */
    req_fail(r, st, why);
    return 0;
  }
  return 1;
}

/* Write the mapping form; cols holds the selection of every column. */
static void map_form(struct req *r, const struct reg *reg, int status,
                     int64_t id, const char *filename,
                     const struct import_table *t, const int *cols,
                     const struct import_report *rep)
{
  const char *args[1] = { req_t(r, reg->title) };
  char rows[24];
  const char *fargs[3];
  struct html *h;
  size_t i, k;

  h = page_begin(r, status, req_t(r, M_IMPORT_MAP_HEADING), reg->chapter);
  html_printf(h,
              "<p class=\"crumbs\"><a href=\"/r/%s\">%s</a> › "
              "<a href=\"/r/%s/import\">",
              reg->name, req_t(r, reg->title), reg->name);
  html_template(h, req_t(r, M_IMPORT_TITLE), 1, args);
  html_printf(h, "</a></p>\n<h1>%s</h1>\n", req_t(r, M_IMPORT_MAP_HEADING));
  reg_import_errors(r, reg, rep);
  snprintf(rows, sizeof(rows), "%zu", t->n_rows - 1);
  fargs[0] = filename;
  fargs[1] = req_t(r, t->is_xlsx ? M_IMPORT_MAP_XLSX : M_IMPORT_MAP_CSV);
  fargs[2] = rows;
  html_lit(h, "<p class=\"import-file\">");
  html_template(h, req_t(r, M_IMPORT_MAP_SUMMARY), 3, fargs);
  html_printf(h,
              "</p>\n<p>%s</p>\n<form method=\"post\" "
              "action=\"/r/%s/import/%lld\">",
              req_t(r, M_IMPORT_MAP_HELP), reg->name, (long long)id);
  page_csrf(r);
  html_printf(h,
              "<div class=\"table-wrap\"><table class=\"import-map\">"
              "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
              "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
              "</thead><tbody>\n",
              req_t(r, M_IMPORT_MAP_LETTER), req_t(r, M_IMPORT_MAP_COLUMN),
              req_t(r, M_IMPORT_MAP_SAMPLE), req_t(r, M_IMPORT_MAP_FIELD));
  for(i = 0; i < t->n_cols; i++) {
    char letters[8];
    col_letters(i, letters);
    html_printf(h,
                "<tr><td>%s</td><th scope=\"row\" id=\"map-h-%zu\">%s</th>"
                "<td>%s</td><td><select name=\"col_%zu\" "
                "aria-labelledby=\"map-h-%zu\">",
                letters, i, short_cell(r, cell_of(t, 0, i)),
                short_cell(r, cell_of(t, 1, i)), i, i);
    html_printf(h, "<option value=\"\"%s>%s</option>",
                cols[i] == IMPORT_COL_IGNORE ? " selected" : "",
                req_t(r, M_IMPORT_MAP_IGNORE));
    html_printf(h, "<option value=\"id\"%s>%s</option>",
                cols[i] == IMPORT_COL_ID ? " selected" : "",
                req_t(r, M_IMPORT_MAP_ID));
    for(k = 0; k < reg->n_fields; k++) {
      const struct field *f = &reg->fields[k];
      html_printf(h, "<option value=\"%s\"%s>%s（%s）</option>", f->name,
                  cols[i] == (int)k ? " selected" : "", req_t(r, f->label),
                  f->name);
    }
    html_lit(h, "</select></td></tr>\n");
  }
  html_printf(h,
              "</tbody></table></div>\n<div class=\"actions\">"
              "<button type=\"submit\">%s</button> "
              "<a href=\"/r/%s/import\">%s</a></div></form>\n",
              req_t(r, M_IMPORT_MAP_CONFIRM), reg->name, req_t(r, M_CANCEL));
  page_end(r);
}

void reg_import_upload_page(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  const struct upload *up;
  struct import_report rep;
  struct import_table t;
  enum status st;
  enum msg why;
  int64_t id;
  const char *name;

  if(!reg) {
    return;
  }
  memset(&rep, 0, sizeof(rep));
  reg_errors_init(&rep.errs, &r->arena);
  up = req_upload(r, "file");
  if(!up || up->data.len == 0) {
    reg_error(&rep.errs, "", M_IMPORT_NO_FILE);
    reg_import_form(r, reg, 400, &rep);
    return;
  }
  st = reg_table_parse(up->data, &r->arena, &t, &why);
  if(st) {
    rep.errs.row = t.err_line;
    reg_error(&rep.errs, "", why);
    reg_import_form(r, reg, st == ST_TOOBIG ? 413 : 400, &rep);
    return;
  }
  name = up->filename;
  if(name && *name) {
    /* the name is kept with the upload and shown on the mapping page:
     * personal data in it replaced by its token */
    st = reg_mask_upload_name(r->db, up->filename, &r->arena, &name);
    if(st) {
      req_fail(r, st == ST_TOOBIG ? ST_TOOBIG : ST_INTERNAL,
               st == ST_TOOBIG ? M_ERR_TOO_BIG : M_ERR_INTERNAL);
      return;
    }
  }
  st = reg_upload_save(r->db, reg->name, up->data, name, r->actor, &id);
  if(st) {
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  req_redirect(
    r, arena_printf(&r->arena, "/r/%s/import/%lld", reg->name, (long long)id));
}

void reg_import_map_page(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  struct import_table t;
  const char *filename;
  int64_t id;
  int *cols;
  size_t i;

  if(!reg || !load(r, reg, &id, &filename, &t)) {
    return;
  }
  cols = arena_alloc(&r->arena, sizeof(int) * (t.n_cols + 1));
  if(!cols) {
    req_fail(r, ST_TOOBIG, M_ERR_TOO_BIG);
    return;
  }
  for(i = 0; i < t.n_cols; i++) {
    int c = reg_guess_column(reg, cell_of(&t, 0, i));
    size_t k;
    for(k = 0; k < i; k++) {
      if(cols[k] == c) {
        c = IMPORT_COL_IGNORE; /* propose each field once */
      }
    }
    cols[i] = c;
  }
  map_form(r, reg, 200, id, filename, &t, cols, NULL);
}

void reg_import_map_post_page(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  struct import_table t;
  struct import_report rep;
  const char *filename;
  int64_t id;
  int *cols;
  size_t i;
  enum status st;

  if(!reg || !load(r, reg, &id, &filename, &t)) {
    return;
  }
  cols = arena_alloc(&r->arena, sizeof(int) * (t.n_cols + 1));
  if(!cols) {
    req_fail(r, ST_TOOBIG, M_ERR_TOO_BIG);
    return;
  }
  for(i = 0; i < t.n_cols; i++) {
    char name[32];
    const char *v;
    const struct field *f;
    snprintf(name, sizeof(name), "col_%zu", i);
    v = req_param(r, name);
    f = v && *v ? reg_field(reg, v) : NULL;
    cols[i] = !v || !*v        ? IMPORT_COL_IGNORE :
              !strcmp(v, "id") ? IMPORT_COL_ID :
              f                ? (int)reg_field_index(reg, f) :
                                 IMPORT_COL_IGNORE - 1; /* refused */
  }
  st = reg_import_table(r->db, reg, &t, cols, r->actor, &r->arena, &rep);
  if(st == ST_INVALID) {
    for(i = 0; i < t.n_cols; i++) {
      if(cols[i] < IMPORT_COL_IGNORE) {
        cols[i] = IMPORT_COL_IGNORE;
      }
    }
    map_form(r, reg, 400, id, filename, &t, cols, &rep);
    return;
  }
  if(st) {
    req_fail(r, st, st == ST_TOOBIG ? M_ERR_TOO_BIG : M_ERR_INTERNAL);
    return;
  }
  if(reg_upload_delete(r->db, id)) {
    /* imported all the same; the purge removes the file within a day */
  }
  reg_import_done(r, reg, &rep);
}

/*
 * register_pages.c: the HTML pages of every register: list (search,
 * filters, sort, pagination), record with its history, create and edit
 * forms with field errors, archive and restore, CSV import and export.
 * All output goes through the escaping writer; SQL is in
 * register_store.c.
 */
#include "register_http.h"
#include "auth/roles.h"
#include "register_io.h"
#include "register_mask_pages.h"
#include "core/mem.h"
#include "core/time.h"
#include "core/utf8.h"
#include "db/db.h"
#include "ui/layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REF_OPTIONS_MAX 500

/* 1 if the signed-in account may change records of reg: the write
 * buttons are shown only then (the router enforces it either way). */
static int can_write(const struct req *r, const struct reg *reg)
{
  return (r->rights & W(reg->area)) != 0;
}

/* ---- small pieces ---- */

/* A stored instant v in Asia/Taipei time, "YYYY-MM-DD HH:MM" with sep
 * between date and time; v itself when it is not the storage form (a
 * value typed into a form that was refused). */
static const char *taipei_text(struct req *r, const char *v, char sep)
{
  int64_t t;
  struct buf b;
  char *out;
  if(time_parse_utc(str_c(v), &t)) {
    return v;
  }
  buf_init(&b, 32);
  time_format_taipei(&b, t);
  out = arena_strdup(&r->arena, b.data ? b.data : "");
  buf_free(&b);
  if(out && out[0] && sep != ' ') {
    out[10] = sep;
  }
  return out ? out : v;
}

static const char *text_of(const struct reg *reg, const struct field *f,
                           const char *v, struct req *r)
{
  (void)reg;
  if(!v) {
    return NULL;
  }
  if(f->type == FT_ENUM) {
    return reg_enum_label(f, v, r->lang);
  }
  if(f->type == FT_BOOL) {
    return req_t(r, strcmp(v, "1") == 0 ? M_YES : M_NO);
  }
  if(f->type == FT_DATETIME) {
    return taipei_text(r, v, ' ');
  }
  return v;
}

/* The labels of the records that a field of a list page's rows refers
 * to, read with one statement for the whole page. */
struct ref_names {
  const struct field *f; /* an FT_REF or FT_REFS field */
  int64_t *ids;          /* ascending, each once */
  const char **labels;   /* labels[i] of ids[i], or NULL when none */
  size_t n;              /* ids */
};

static int cmp_id(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Sort ids[0..*n) ascending and drop repeats. */
static void sort_unique(int64_t *ids, size_t *n)
{
  size_t i, m = 0;
  if(*n > 1) {
    qsort(ids, *n, sizeof(*ids), cmp_id);
  }
  for(i = 0; i < *n; i++) {
    if(!m || ids[m - 1] != ids[i]) {
      ids[m++] = ids[i];
    }
  }
  *n = m;
}

/*
 * Fill names with the labels of every record that field f of rows[0..n)
 * refers to (one statement per 500 records).  Leaves names->n at 0 when
 * they cannot be read: values are then shown one by one.
 */
static void ref_names_load(struct req *r, const struct field *f,
                           const struct record *rows, size_t n, size_t col,
                           struct ref_names *names)
{
  const struct reg *target = reg_find(f->ref);
  size_t i, cap = 0;
  memset(names, 0, sizeof(*names));
  names->f = f;
  for(i = 0; i < n; i++) {
    const char *p;
    for(p = rows[i].v[col]; p && *p; p++) {
      cap += *p == ',';
    }
    cap += rows[i].v[col] != NULL;
  }
  if(!target || !cap) {
    return;
  }
  names->ids = arena_alloc(&r->arena, sizeof(int64_t) * cap);
  names->labels = arena_alloc(&r->arena, sizeof(char *) * cap);
  if(!names->ids || !names->labels) {
    return;
  }
  for(i = 0; i < n; i++) {
    int64_t *ids;
    size_t k, m;
    if(reg_refs_parse(rows[i].v[col], &r->arena, &ids, &m)) {
      return;
    }
    for(k = 0; k < m && names->n < cap; k++) {
      names->ids[names->n++] = ids[k];
    }
  }
  sort_unique(names->ids, &names->n);
  if(reg_store_labels(r->db, target, names->ids, names->n, &r->arena,
                      names->labels, NULL)) {
    names->n = 0;
  }
}

/* The label of id in names: 1 with *label (NULL: no such record), or 0
 * when names does not hold id. */
static int ref_name(const struct ref_names *names, int64_t id,
                    const char **label)
{
  size_t lo = 0, hi = names ? names->n : 0;
  while(lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if(names->ids[mid] < id) {
      lo = mid + 1;
    }
    else {
      hi = mid;
    }
  }
  if(!names || lo == names->n || names->ids[lo] != id) {
    return 0;
  }
  *label = names->labels[lo];
  return 1;
}

/* Write the records of an FT_REFS value as links joined by 、. */
static void show_refs(struct req *r, const struct field *f, const char *v,
                      const struct ref_names *names)
{
  struct html *h = &r->page;
  const struct reg *target = reg_find(f->ref);
  int64_t *ids;
  const char **labels = NULL;
  size_t n, i;
  if(!target || reg_refs_parse(v, &r->arena, &ids, &n)) {
    html_printf(h, "%s", v);
    return;
  }
  if(!names || !names->n) {
    /* One statement for the value: its ids are stored ascending. */
    labels = arena_alloc(&r->arena, sizeof(char *) * (n ? n : 1));
    sort_unique(ids, &n);
    if(labels &&
       reg_store_labels(r->db, target, ids, n, &r->arena, labels, NULL)) {
      labels = NULL;
    }
  }
  for(i = 0; i < n; i++) {
    const char *label = NULL;
    if(i) {
      html_lit(h, "、");
    }
    if(labels) {
      label = labels[i];
    }
    else {
      ref_name(names, ids[i], &label);
    }
    if(label) {
      html_printf(h, "<a href=\"/r/%s/%lld\">%s</a>", target->name,
                  (long long)ids[i], label);
    }
    else {
      html_printf(h, "#%lld", (long long)ids[i]);
    }
  }
}

/* Write a stored value for people: enum labels, 是/否, dates with their
 * ROC form, references as links (their labels from names when given,
 * else read here). */
static void show_value(struct req *r, const struct reg *reg,
                       const struct field *f, const char *v,
                       const struct ref_names *names)
{
  struct html *h = &r->page;
  if(!v) {
    html_printf(h, "<span class=\"none\">%s</span>", req_t(r, M_EMPTY_VALUE));
    return;
  }
  switch(f->type) {
  case FT_DATE:
    page_date(r, v);
    return;
  case FT_DATETIME:
    page_time(r, v);
    return;
  case FT_LONGTEXT:
    html_printf(h, "<span class=\"longtext\">%s</span>", v);
    return;
  case FT_EMAIL:
    html_printf(h, "<a href=\"mailto:%s\">%s</a>", v, v);
    return;
  case FT_REF: {
    const struct reg *target = reg_find(f->ref);
    const char *label = NULL;
    int64_t id;
    if(target && !str_to_i64(str_c(v), 1, INT64_MAX, &id) &&
       (ref_name(names, id, &label) ||
        !reg_store_label(r->db, target, id, &r->arena, &label)) &&
       label) {
      html_printf(h, "<a href=\"/r/%s/%lld\">%s</a>", target->name,
                  (long long)id, label);
      return;
    }
    html_printf(h, "#%s", v);
    return;
  }
  case FT_REFS:
    show_refs(r, f, v, names);
    return;
  default:
    html_printf(h, "%s", text_of(reg, f, v, r));
  }
}

/* A list URL with the current query, changing page, sort or direction. */
static void list_href(struct req *r, const struct reg *reg,
                      const struct list_query *q, const char *base,
                      int64_t page, const struct field *sort, int desc)
{
  struct html *h = &r->page;
  size_t i;
  html_printf(h, "/r/%s%s?page=%lld", reg->name, base, (long long)page);
  if(q->q && *q->q) {
    html_lit(h, "&amp;q=");
    html_urlarg(h, str_c(q->q));
  }
  if(q->archived) {
    html_printf(h, "&amp;archived=%d", (int)q->archived);
  }
  if(sort) {
    html_printf(h, "&amp;sort=%s&amp;dir=%s", sort->name,
                desc ? "desc" : "asc");
  }
  if(q->per_page != 50) {
    html_printf(h, "&amp;per_page=%lld", (long long)q->per_page);
  }
  for(i = 0; i < q->n_filters; i++) {
    html_printf(h, "&amp;f_%s=", q->filter_field[i]->name);
    html_urlarg(h, str_c(q->filter_value[i]));
  }
}

static const char *record_label(const struct reg *reg,
                                const struct record *rec, struct req *r)
{
  const struct field *f = reg_field(reg, reg->label_field);
  const char *v = rec->v[reg_field_index(reg, f)];
  return v ? v : arena_printf(&r->arena, "#%lld", (long long)rec->id);
}

/* A catalog template with its one %s filled in, as plain text (for a page
 * title, which page_begin() escapes); lives in r->arena. */
static const char *fill(struct req *r, const char *tmpl, const char *arg)
{
  const char *at = strstr(tmpl, "%s");
  const char *s;
  if(!at) {
    return tmpl;
  }
  s = arena_printf(&r->arena, "%.*s%s%s", (int)(at - tmpl), tmpl, arg, at + 2);
  return s ? s : tmpl;
}

static void fmt_int(char *out, size_t n, int64_t v)
{
  snprintf(out, n, "%lld", (long long)v);
}

/* ---- list ---- */

static void ref_options(struct req *r, const struct field *f, const char *cur,
                        int archived_ok);

static void filter_controls(struct req *r, const struct reg *reg,
                            const struct list_query *q)
{
  struct html *h = &r->page;
  size_t i, k;
  for(i = 0; i < reg->n_fields; i++) {
    const struct field *f = &reg->fields[i];
    const char *cur = NULL;
    if(!(f->flags & FF_FILTER)) {
      continue;
    }
    for(k = 0; k < q->n_filters; k++) {
      if(q->filter_field[k] == f) {
        cur = q->filter_value[k];
      }
    }
    html_printf(h,
                "<label>%s <select name=\"f_%s\"><option value=\"\">%s"
                "</option>",
                req_t(r, f->label), f->name, req_t(r, M_LIST_FILTER_ALL));
    if(f->type == FT_BOOL) {
      html_printf(h, "<option value=\"1\"%s>%s</option>",
                  cur && !strcmp(cur, "1") ? " selected" : "",
                  req_t(r, M_YES));
      html_printf(h, "<option value=\"0\"%s>%s</option>",
                  cur && !strcmp(cur, "0") ? " selected" : "", req_t(r, M_NO));
    }
    else if(f->type == FT_REF || f->type == FT_REFS) {
      ref_options(r, f, cur, 1); /* records naming the one chosen */
    }
    else {
      const struct field_opt *o;
      for(o = f->opts; o && o->value; o++) {
        html_printf(h, "<option value=\"%s\"%s>%s</option>", o->value,
                    cur && !strcmp(cur, o->value) ? " selected" : "",
                    req_t(r, o->label));
      }
    }
    html_lit(h, "</select></label>\n");
  }
  html_printf(
    h,
    "<label>%s <select name=\"archived\">"
    "<option value=\"0\"%s>%s</option>"
    "<option value=\"2\"%s>%s</option>"
    "<option value=\"1\"%s>%s</option></select></label>\n",
    req_t(r, M_LIST_STATUS), q->archived == LIST_ACTIVE ? " selected" : "",
    req_t(r, M_LIST_ACTIVE), q->archived == LIST_ALL ? " selected" : "",
    req_t(r, M_LIST_SHOW_ARCHIVED),
    q->archived == LIST_ARCHIVED ? " selected" : "",
    req_t(r, M_LIST_ONLY_ARCHIVED));
}

static void duplicate_warnings(struct req *r, const struct reg *reg)
{
  struct dup *dups;
  size_t n, i;
  if(reg_store_duplicates(r->db, reg, &r->arena, &dups, &n) || n == 0) {
    return;
  }
  html_printf(&r->page,
              "<section class=\"warnings\" role=\"note\" "
              "aria-labelledby=\"warn-h\"><h2 id=\"warn-h\">%s</h2><ul>",
              req_t(r, M_HOME_WARNINGS));
  for(i = 0; i < n; i++) {
    char count[24];
    const char *args[2];
    fmt_int(count, sizeof(count), dups[i].count);
    args[0] = dups[i].value;
    args[1] = count;
    html_lit(&r->page, "<li>");
    html_template(&r->page, req_t(r, M_DUPLICATE_WARNING), 2, args);
    html_printf(&r->page, " <a href=\"/r/%s?q=", reg->name);
    html_urlarg(&r->page, str_c(dups[i].value));
    html_printf(&r->page, "\">%s</a></li>", req_t(r, M_LIST_SEARCH));
  }
  html_lit(&r->page, "</ul></section>\n");
}

void reg_list_page(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  struct list_query q;
  struct record_page pg;
  struct ref_names *names;
  struct html *h;
  size_t i, j;
  int64_t pages;
  enum status st;

  if(!reg) {
    return;
  }
  reg_list_query(r, reg, &q);
  st = reg_store_list(r->db, reg, &q, &r->arena, &pg);
  if(st) {
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  h = page_begin(r, 200, req_t(r, reg->title), reg->chapter);
  html_printf(h, "<h1>%s</h1>\n<p class=\"source\">%s</p>\n",
              req_t(r, reg->title), req_t(r, reg->source));
  duplicate_warnings(r, reg);
  html_lit(h, "<div class=\"actions\">");
  if(can_write(r, reg)) {
    html_printf(h, "<a class=\"button\" href=\"/r/%s/new\">%s</a> ", reg->name,
                req_t(r, M_LIST_NEW));
  }
  html_lit(h, "<a href=\"");
  list_href(r, reg, &q, "/export.csv", 1, q.sort, q.desc);
  html_printf(h, "\">%s</a> ", req_t(r, M_LIST_EXPORT));
  if(can_write(r, reg)) {
    html_printf(h, "<a href=\"/r/%s/import\">%s</a> ", reg->name,
                req_t(r, M_LIST_IMPORT));
  }
  if(reg->links) {
    reg->links(r, 0);
  }
  html_printf(h,
              "<button type=\"button\" class=\"print\" hidden>%s</button>"
              "</div>\n",
              req_t(r, M_PRINT));
  html_printf(h,
              "<form class=\"filters\" method=\"get\" action=\"/r/%s\" "
              "role=\"search\">\n<label>%s <input type=\"search\" "
              "name=\"q\" value=\"%s\" placeholder=\"%s\"></label>\n",
              reg->name, req_t(r, M_LIST_SEARCH), q.q ? q.q : "",
              req_t(r, M_LIST_SEARCH_PLACEHOLDER));
  filter_controls(r, reg, &q);
  html_printf(h,
              "<button type=\"submit\">%s</button> <a href=\"/r/%s\">%s</a>"
              "</form>\n",
              req_t(r, M_LIST_APPLY), reg->name, req_t(r, M_LIST_RESET));
  {
    char from[24], to[24], total[24];
    const char *args[3] = { from, to, total };
    fmt_int(from, sizeof(from), pg.n ? (q.page - 1) * q.per_page + 1 : 0);
    fmt_int(to, sizeof(to), (q.page - 1) * q.per_page + (int64_t)pg.n);
    fmt_int(total, sizeof(total), pg.total);
    html_lit(h, "<p class=\"count\" role=\"status\">");
    html_template(h, req_t(r, M_LIST_RANGE), 3, args);
    html_lit(h, "</p>\n");
  }
  if(pg.n == 0) {
    html_printf(h, "<p class=\"empty\">%s</p>\n", req_t(r, M_LIST_EMPTY));
  }
  else {
    html_printf(h,
                "<div class=\"table-wrap\"><table class=\"list\">"
                "<caption class=\"visually-hidden\">%s</caption>\n"
                "<thead><tr><th scope=\"col\">%s</th>",
                req_t(r, reg->title), req_t(r, M_LIST_ID));
    for(i = 0; i < reg->n_fields; i++) {
      const struct field *f = &reg->fields[i];
      if(!(f->flags & FF_LIST)) {
        continue;
      }
      if(f->flags & FF_SORT) {
        int active = q.sort == f;
        html_printf(h, "<th scope=\"col\" aria-sort=\"%s\"><a href=\"",
                    active ? (q.desc ? "descending" : "ascending") : "none");
        list_href(r, reg, &q, "", 1, f, active && !q.desc);
        html_printf(h, "\" title=\"%s\">%s</a></th>", req_t(r, M_LIST_SORT_BY),
                    req_t(r, f->label));
      }
      else {
        html_printf(h, "<th scope=\"col\">%s</th>", req_t(r, f->label));
      }
    }
    html_lit(h, "</tr></thead>\n<tbody>\n");
    names = arena_alloc(&r->arena, sizeof(*names) * reg->n_fields);
    for(i = 0; names && i < reg->n_fields; i++) {
      const struct field *f = &reg->fields[i];
      memset(&names[i], 0, sizeof(names[i]));
      if((f->flags & FF_LIST) && (f->type == FT_REF || f->type == FT_REFS)) {
        ref_names_load(r, f, pg.rows, pg.n, i, &names[i]);
      }
    }
    for(j = 0; j < pg.n; j++) {
      const struct record *rec = &pg.rows[j];
      int first = 1;
      html_printf(h,
                  "<tr class=\"%s\"><td><a href=\"/r/%s/%lld\">%lld</a></td>",
                  rec->archived ? "archived" : "", reg->name,
                  (long long)rec->id, (long long)rec->id);
      for(i = 0; i < reg->n_fields; i++) {
        const struct field *f = &reg->fields[i];
        if(!(f->flags & FF_LIST)) {
          continue;
        }
        html_lit(h, "<td>");
        if(!strcmp(f->name, reg->label_field)) {
          html_printf(h, "<a href=\"/r/%s/%lld\">%s</a>", reg->name,
                      (long long)rec->id, rec->v[i] ? rec->v[i] : "");
        }
        else {
          show_value(r, reg, f, rec->v[i], names ? &names[i] : NULL);
        }
        if(first && rec->archived) {
          html_printf(h, " <span class=\"badge\">%s</span>",
                      req_t(r, M_ARCHIVED));
        }
        first = 0;
        html_lit(h, "</td>");
      }
      html_lit(h, "</tr>\n");
    }
    html_lit(h, "</tbody></table></div>\n");
  }
  pages = (pg.total + q.per_page - 1) / q.per_page;
  if(pages > 1) {
    html_printf(h, "<nav class=\"pager\" aria-label=\"%s\">",
                req_t(r, M_LIST_PAGE));
    if(q.page > 1) {
      html_lit(h, "<a rel=\"prev\" href=\"");
      list_href(r, reg, &q, "", q.page - 1, q.sort, q.desc);
      html_printf(h, "\">%s</a> ", req_t(r, M_LIST_PREV));
    }
    html_printf(h, "<span>%lld / %lld</span>", (long long)q.page,
                (long long)pages);
    if(q.page < pages) {
      html_lit(h, " <a rel=\"next\" href=\"");
      list_href(r, reg, &q, "", q.page + 1, q.sort, q.desc);
      html_printf(h, "\">%s</a>", req_t(r, M_LIST_NEXT));
    }
    html_lit(h, "</nav>\n");
  }
  page_end(r);
}

/* ---- record ---- */

static void history_section(struct req *r, const struct reg *reg,
                            const struct record *rec)
{
  int64_t id = rec->id;
  struct history_row *rows;
  size_t n, i;
  struct html *h = &r->page;

  html_printf(h,
              "<section id=\"history\" aria-labelledby=\"history-h\">"
              "<h2 id=\"history-h\">%s</h2>\n",
              req_t(r, M_HISTORY));
  if(reg_store_history(r->db, reg, id, &r->arena, &rows, &n)) {
    html_printf(h, "<p>%s</p></section>\n", req_t(r, M_ERR_INTERNAL));
    return;
  }
  html_printf(h,
              "<div class=\"table-wrap\"><table class=\"history\"><thead><tr>"
              "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
              "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
              "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
              "</tr></thead><tbody>\n",
              req_t(r, M_HISTORY_AT), req_t(r, M_HISTORY_ACTOR),
              req_t(r, M_HISTORY_ACTION), req_t(r, M_HISTORY_FIELD),
              req_t(r, M_HISTORY_BEFORE), req_t(r, M_HISTORY_AFTER));
  for(i = n; i-- > 0;) { /* newest first */
    const struct history_row *x = &rows[i];
    const struct field *f = x->field ? reg_field(reg, x->field) : NULL;
    enum msg action = M_ACTION_UPDATE;
    if(!strcmp(x->action, "create")) {
      action = M_ACTION_CREATE;
    }
    else if(!strcmp(x->action, "archive")) {
      action = M_ACTION_ARCHIVE;
    }
    else if(!strcmp(x->action, "restore")) {
      action = M_ACTION_RESTORE;
    }
    else if(!strcmp(x->action, "import")) {
      action = M_ACTION_IMPORT;
    }
    html_lit(h, "<tr><td>");
    page_time(r, x->at);
    html_printf(h, "</td><td>%s</td><td>%s</td><td>%s</td><td>", x->actor,
                req_t(r, action),
                f ? req_t(r, f->label) : (x->field ? x->field : ""));
    if(f) {
      show_value(r, reg, f, x->before, NULL);
    }
    html_lit(h, "</td><td>");
    if(f) {
      show_value(r, reg, f, x->after, NULL);
    }
    else if(x->after) {
      html_printf(h, "%s", x->after);
    }
    html_lit(h, "</td></tr>\n");
  }
  /* The creation, from the record itself (oldest, so last). */
  html_lit(h, "<tr><td>");
  page_time(r, rec->created_at);
  html_printf(h,
              "</td><td>%s</td><td>%s</td><td></td><td></td><td></td></tr>\n",
              rec->created_by, req_t(r, M_ACTION_CREATE));
  html_lit(h, "</tbody></table></div></section>\n");
}

void reg_show_page(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  int64_t id = reg ? reg_id_of_req(r) : 0;
  struct record rec;
  struct html *h;
  size_t i;
  enum status st;
  enum msg lock;
  const char *title;
  int may_reveal = -1; /* not asked yet */

  if(!id) {
    return;
  }
  st = reg_store_get(r->db, reg, id, &r->arena, &rec);
  if(st) {
    req_fail(r, st, st == ST_NOTFOUND ? M_ERR_NOT_FOUND : M_ERR_INTERNAL);
    return;
  }
  /* A locked record says why, and offers no edit or archive. */
  lock = reg->locked ? reg->locked(r->db, id) : M_NONE;
  title = record_label(reg, &rec, r);
  h = page_begin(r, 200, title, reg->chapter);
  html_printf(h,
              "<p class=\"crumbs\"><a href=\"/r/%s\">%s</a></p>\n"
              "<h1>%s</h1>\n",
              reg->name, req_t(r, reg->title), title);
  if(rec.archived) {
    html_printf(h, "<p class=\"badge archived-note\">%s</p>\n",
                req_t(r, M_ARCHIVED));
  }
  if(lock != M_NONE) {
    html_printf(h, "<p class=\"notice locked-note\">%s</p>\n", req_t(r, lock));
  }
  html_lit(h, "<dl class=\"record\">\n");
  for(i = 0; i < reg->n_fields; i++) {
    const struct field *f = &reg->fields[i];
    html_printf(h, "<dt>%s</dt><dd>", req_t(r, f->label));
    show_value(r, reg, f, rec.v[i], NULL);
    /* Encrypted personal data: the officer and the CISO may reveal it
     * (audited); nobody else is offered the form. */
    if((f->flags & FF_MASK) && reg_mask_has_sealed(rec.v[i])) {
      if(may_reveal < 0) {
        may_reveal = reg_mask_may_reveal(r);
      }
      if(may_reveal) {
        reg_mask_reveal_form(r, reg, id, f);
      }
    }
    html_lit(h, "</dd>\n");
  }
  if(reg->detail) {
    reg->detail(r, &rec);
  }
  html_printf(h, "<dt>%s</dt><dd>%s，", req_t(r, M_CREATED_AT),
              rec.created_by);
  page_time(r, rec.created_at);
  html_printf(h, "</dd><dt>%s</dt><dd>%lld</dd><dt>%s</dt><dd>",
              req_t(r, M_VERSION), (long long)rec.version,
              req_t(r, M_UPDATED_AT));
  page_time(r, rec.updated_at);
  html_printf(h, "</dd></dl>\n<div class=\"actions\">");
  if(reg->links) {
    reg->links(r, id);
  }
  if(can_write(r, reg) && lock == M_NONE) {
    if(!rec.archived) {
      html_printf(h, "<a class=\"button\" href=\"/r/%s/%lld/edit\">%s</a> ",
                  reg->name, (long long)id, req_t(r, M_EDIT));
    }
    html_printf(h,
                "<form method=\"post\" action=\"/r/%s/%lld/%s\" "
                "class=\"inline\" data-confirm=\"%s\">",
                reg->name, (long long)id, rec.archived ? "restore" : "archive",
                rec.archived ? "" : req_t(r, M_ARCHIVE_CONFIRM));
    page_csrf(r);
    html_printf(h, "<button type=\"submit\" class=\"%s\">%s</button></form> ",
                rec.archived ? "" : "secondary",
                req_t(r, rec.archived ? M_RESTORE : M_ARCHIVE));
  }
  html_printf(h,
              "<button type=\"button\" class=\"print\" hidden>%s</button>"
              "</div>\n",
              req_t(r, M_PRINT));
  history_section(r, reg, &rec);
  page_end(r);
}

/* ---- forms ---- */

static const char *field_error(struct req *r, const char *name)
{
  size_t i;
  for(i = 0; i < r->n_errs; i++) {
    if(!strcmp(r->errs[i].field, name)) {
      return reg_msg_detail(r->lang, r->errs[i].msg, r->errs[i].extra,
                            &r->arena);
    }
  }
  return NULL;
}

/* The checkboxes of an FT_REFS field: the active records of the register
 * it refers to (up to REF_OPTIONS_MAX), checked when v (stored or raw
 * form value) names them, then any record v names that is not among
 * them (archived ones marked), so that saving never drops one unseen. */
static void refs_checkboxes(struct req *r, const struct field *f,
                            const char *v)
{
  struct html *h = &r->page;
  const struct reg *target = reg_find(f->ref);
  struct ref_option *opts;
  int64_t *cur;
  unsigned char *shown;
  size_t n_cur = 0, n_opts = 0, i, k;
  int first = 1;

  if(reg_refs_parse(v, &r->arena, &cur, &n_cur)) {
    n_cur = 0;
  }
  sort_unique(cur, &n_cur);
  shown = arena_alloc(&r->arena, n_cur ? n_cur : 1);
  if(!shown) {
    n_cur = 0; /* the arena is full: the page fails anyway */
  }
  else {
    memset(shown, 0, n_cur ? n_cur : 1);
  }
  if(reg_store_options(r->db, target, REF_OPTIONS_MAX, &r->arena, &opts,
                       &n_opts)) {
    n_opts = 0; /* the chosen ones are still shown, below */
  }
  html_lit(h, "<div class=\"refs-list\">");
  for(i = 0; i < n_opts; i++) {
    int checked = 0;
    for(k = 0; k < n_cur; k++) {
      if(cur[k] == opts[i].id) {
        checked = shown[k] = 1;
      }
    }
    html_lit(h, "<label><input type=\"checkbox\"");
    if(first) {
      html_printf(h, " id=\"in-%s\"", f->name);
      first = 0;
    }
    html_printf(h, " name=\"%s\" value=\"%lld\"%s> %s</label>\n", f->name,
                (long long)opts[i].id, checked ? " checked" : "",
                opts[i].label);
  }
  for(k = 0; k < n_cur; k++) {
    const char *label = NULL;
    int archived = 0;
    if(shown[k]) {
      continue;
    }
    if(reg_store_labels(r->db, target, &cur[k], 1, &r->arena, &label,
                        &archived)) {
      label = NULL;
    }
    html_lit(h, "<label><input type=\"checkbox\"");
    if(first) {
      html_printf(h, " id=\"in-%s\"", f->name);
      first = 0;
    }
    html_printf(h, " name=\"%s\" value=\"%lld\" checked> ", f->name,
                (long long)cur[k]);
    if(label) {
      html_printf(h, "%s", label);
    }
    else {
      html_printf(h, "#%lld", (long long)cur[k]);
    }
    if(archived) {
      html_printf(h, " <span class=\"badge\">%s</span>", req_t(r, M_ARCHIVED));
    }
    html_lit(h, "</label>\n");
  }
  if(first) {
    html_printf(h, "<p id=\"in-%s\" class=\"none\">%s</p>", f->name,
                req_t(r, M_REFS_EMPTY));
  }
  html_lit(h, "</div>");
}

static void ref_options(struct req *r, const struct field *f, const char *cur,
                        int archived_ok)
{
  const struct reg *target = reg_find(f->ref);
  struct ref_option *opts;
  size_t i, n;
  int64_t chosen = 0;
  if(reg_store_options(r->db, target, REF_OPTIONS_MAX, &r->arena, &opts, &n)) {
    return;
  }
  if(cur && str_to_i64(str_c(cur), 1, INT64_MAX, &chosen)) {
    chosen = 0;
  }
  for(i = 0; i < n; i++) {
    html_printf(&r->page, "<option value=\"%lld\"%s>%s</option>",
                (long long)opts[i].id, opts[i].id == chosen ? " selected" : "",
                opts[i].label);
    if(opts[i].id == chosen) {
      chosen = 0; /* offered */
    }
  }
  if(chosen) {
    /* The record chosen is archived, or beyond the first options: still
     * offered, selected, or the form sent as it stands would drop it
     * (an archived one only where it may stay: an edit, a filter). */
    const char *label = NULL;
    int archived = 0;
    if(!reg_store_labels(r->db, target, &chosen, 1, &r->arena, &label,
                         &archived) &&
       label && (archived_ok || !archived)) {
      html_printf(&r->page,
                  "<option value=\"%lld\" selected>%s%s%s%s</option>",
                  (long long)chosen, label,
                  !archived          ? "" :
                  r->lang == LANG_EN ? " (" :
                                       "（",
                  archived ? req_t(r, M_ARCHIVED) : "",
                  !archived          ? "" :
                  r->lang == LANG_EN ? ")" :
                                       "）");
    }
  }
}

/* One field of a form with its value v (raw or stored), and below it
 * the masking preview of its text when mk found something; editing: the
 * form of a stored record (an archived reference may stay). */
static void form_field(struct req *r, const struct field *f, const char *v,
                       const struct reg_masked *mk, int editing)
{
  struct html *h = &r->page;
  const char *err = field_error(r, f->name);
  int req_ = (f->flags & FF_REQUIRED) != 0;
  const char *describe_full =
    f->help && err ? arena_printf(&r->arena, "h-%s e-%s", f->name, f->name) :
    f->help        ? arena_printf(&r->arena, "h-%s", f->name) :
    err            ? arena_printf(&r->arena, "e-%s", f->name) :
                     NULL;

  html_printf(h, "<div class=\"field%s\">", err ? " has-error" : "");
  if(f->type == FT_BOOL) {
    html_lit(h, "<fieldset");
    if(describe_full) {
      html_printf(h, " aria-describedby=\"%s\"", describe_full);
    }
    html_printf(h,
                "><legend>%s<span class=\"req\">%s</span></legend>"
                "<label><input type=\"radio\" name=\"%s\" value=\"1\"%s> "
                "%s</label> <label><input type=\"radio\" name=\"%s\" "
                "value=\"0\"%s> %s</label>",
                req_t(r, f->label), req_ ? req_t(r, M_REQUIRED_MARK) : "",
                f->name, v && !strcmp(v, "1") ? " checked" : "",
                req_t(r, M_YES), f->name,
                v && !strcmp(v, "0") ? " checked" : "", req_t(r, M_NO));
    html_lit(h, "</fieldset>");
  }
  else if(f->type == FT_REFS) {
    /* Checkboxes: each one reachable with Tab and toggled with Space,
     * unlike a <select multiple>. */
    html_lit(h, "<fieldset class=\"refs\"");
    if(describe_full) {
      html_printf(h, " aria-describedby=\"%s\"", describe_full);
    }
    html_printf(h, "><legend>%s<span class=\"req\">%s</span></legend>",
                req_t(r, f->label), req_ ? req_t(r, M_REQUIRED_MARK) : "");
    refs_checkboxes(r, f, v);
    html_lit(h, "</fieldset>");
  }
  else {
    html_printf(h,
                "<label for=\"in-%s\">%s<span class=\"req\">%s</span>"
                "</label>",
                f->name, req_t(r, f->label),
                req_ ? req_t(r, M_REQUIRED_MARK) : "");
    switch(f->type) {
    case FT_LONGTEXT:
      html_printf(h, "<textarea id=\"in-%s\" name=\"%s\" rows=\"4\"", f->name,
                  f->name);
      break;
    case FT_ENUM:
    case FT_REF:
      html_printf(h, "<select id=\"in-%s\" name=\"%s\"", f->name, f->name);
      break;
    default:
      html_printf(h,
                  "<input id=\"in-%s\" name=\"%s\" type=\"%s\" "
                  "value=\"%s\" inputmode=\"%s\"",
                  f->name, f->name,
                  f->type == FT_EMAIL ? "email" :
                  f->type == FT_PHONE ? "tel" :
                                        "text",
                  v && f->type == FT_DATETIME ? taipei_text(r, v, ' ') :
                  v                           ? v :
                                                "",
                  f->type == FT_INT   ? "numeric" :
                  f->type == FT_REAL  ? "decimal" :
                  f->type == FT_EMAIL ? "email" :
                  f->type == FT_PHONE ? "tel" :
                                        "text");
      break;
    }
    if(req_) {
      html_lit(h, " required");
    }
    if(err) {
      html_lit(h, " aria-invalid=\"true\"");
    }
    if(describe_full) {
      html_printf(h, " aria-describedby=\"%s\"", describe_full);
    }
    html_lit(h, ">");
    if(f->type == FT_LONGTEXT) {
      html_printf(h, "%s</textarea>", v ? v : "");
    }
    else if(f->type == FT_ENUM) {
      const struct field_opt *o;
      html_printf(h, "<option value=\"\">%s</option>",
                  req_t(r, req_ ? M_CHOOSE : M_NONE_OPTION));
      for(o = f->opts; o->value; o++) {
        html_printf(h, "<option value=\"%s\"%s>%s</option>", o->value,
                    v && !strcmp(v, o->value) ? " selected" : "",
                    req_t(r, o->label));
      }
      html_lit(h, "</select>");
    }
    else if(f->type == FT_REF) {
      html_printf(h, "<option value=\"\">%s</option>",
                  req_t(r, req_ ? M_CHOOSE : M_NONE_OPTION));
      ref_options(r, f, v, editing);
      html_lit(h, "</select>");
    }
  }
  if(f->help) {
    html_printf(h, "<p class=\"hint\" id=\"h-%s\">%s</p>", f->name,
                req_t(r, f->help));
  }
  if(err) {
    html_printf(h, "<p class=\"error\" id=\"e-%s\">%s</p>", f->name, err);
  }
  html_lit(h, "</div>\n");
  if(mk && mk->n) {
    reg_mask_panel(r, f->name, req_t(r, f->label), mk);
  }
}

/* Render the create (id 0) or edit form with values v (raw or stored)
 * and, when mk (one per field) found personal data, the masking preview
 * of each such field and the button that confirms it. */
static void form_page(struct req *r, const struct reg *reg, int64_t id,
                      int64_t version, const char **v, int status,
                      const struct reg_masked *mk)
{
  const char *title = arena_printf(
    &r->arena, "%s", req_t(r, id ? M_EDIT_TITLE : M_CREATE_TITLE));
  const char *args[1] = { req_t(r, reg->item) };
  struct html *h;
  size_t i;
  int pending = 0;

  for(i = 0; mk && i < reg->n_fields; i++) {
    pending |= mk[i].n > 0;
  }

  h = page_begin(r, status, fill(r, title, args[0]), reg->chapter);
  html_printf(h, "<p class=\"crumbs\"><a href=\"/r/%s\">%s</a></p>\n",
              reg->name, req_t(r, reg->title));
  html_lit(h, "<h1>");
  html_template(h, req_t(r, id ? M_EDIT_TITLE : M_CREATE_TITLE), 1, args);
  html_lit(h, "</h1>\n");
  if(r->n_errs) {
    html_printf(h,
                "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\">"
                "<p>%s</p><ul>",
                req_t(r, M_FORM_HAS_ERRORS));
    for(i = 0; i < r->n_errs; i++) {
      const struct field *f = reg_field(reg, r->errs[i].field);
      const char *text =
        reg_msg_detail(r->lang, r->errs[i].msg, r->errs[i].extra, &r->arena);
      if(f) {
        html_printf(h, "<li><a href=\"#in-%s\">%s：%s</a></li>", f->name,
                    req_t(r, f->label), text);
      }
      else {
        html_printf(h, "<li>%s</li>", text);
      }
    }
    html_lit(h, "</ul></div>\n");
  }
  if(pending) {
    reg_mask_pending_note(r);
  }
  else if(mk && status == 200) {
    reg_mask_none_note(r);
  }
  if(id) {
    html_printf(h,
                "<form method=\"post\" action=\"/r/%s/%lld\" "
                "class=\"record-form\" novalidate>",
                reg->name, (long long)id);
    html_printf(h, "<input type=\"hidden\" name=\"version\" value=\"%lld\">",
                (long long)version);
  }
  else {
    html_printf(h,
                "<form method=\"post\" action=\"/r/%s\" "
                "class=\"record-form\" novalidate>",
                reg->name);
  }
  page_csrf(r);
  html_lit(h, "\n");
  for(i = 0; i < reg->n_fields; i++) {
    form_field(r, &reg->fields[i], v ? v[i] : NULL, mk ? &mk[i] : NULL,
               id != 0);
  }
  html_lit(h, "<div class=\"actions\">");
  if(pending) {
    reg_mask_confirm_button(r);
  }
  else {
    html_printf(h, "<button type=\"submit\">%s</button> ", req_t(r, M_SAVE));
  }
  if(reg_has_mask(reg)) {
    reg_mask_preview_button(r);
  }
  if(id) {
    html_printf(h, "<a href=\"/r/%s/%lld\">%s</a>", reg->name, (long long)id,
                req_t(r, M_CANCEL));
  }
  else {
    html_printf(h, "<a href=\"/r/%s\">%s</a>", reg->name, req_t(r, M_CANCEL));
  }
  html_lit(h, "</div></form>\n");
  page_end(r);
}

void reg_edit_page(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  int64_t id = reg ? reg_id_of_req(r) : 0;
  struct record rec;
  enum status st;
  if(!id) {
    return;
  }
  st = reg_store_get(r->db, reg, id, &r->arena, &rec);
  if(st) {
    req_fail(r, st, st == ST_NOTFOUND ? M_ERR_NOT_FOUND : M_ERR_INTERNAL);
    return;
  }
  form_page(r, reg, id, rec.version, rec.v, 200, NULL);
}

/* Into *out, the values of the repeated parameter name (an FT_REFS
 * field's checked boxes), each followed by REG_REFS_SEP so that each
 * stays one item; NULL when none was sent.  Lives in r->arena; -1 when
 * it is full. */
static int form_refs(struct req *r, const char *name, const char **out)
{
  const char **values =
    arena_alloc(&r->arena, sizeof(char *) * (r->n_params + 1));
  size_t n, i, len = 0, at = 0;
  char *text;
  *out = NULL;
  if(!values) {
    return -1;
  }
  n = req_param_all(r, name, values, r->n_params + 1);
  if(!n) {
    return 0;
  }
  for(i = 0; i < n; i++) {
    len += strlen(values[i]) + 1;
  }
  text = arena_alloc(&r->arena, len + 1);
  if(!text) {
    return -1;
  }
  for(i = 0; i < n; i++) {
    size_t k = strlen(values[i]);
    memcpy(text + at, values[i], k);
    at += k;
    text[at++] = REG_REFS_SEP;
  }
  text[at] = 0;
  *out = text;
  return 0;
}

/* Read the form values of reg's fields from r; NULL when r's arena is
 * full. */
static const char **form_values(struct req *r, const struct reg *reg)
{
  const char **in = arena_alloc(&r->arena, sizeof(char *) * reg->n_fields);
  size_t i;
  if(!in) {
    return NULL;
  }
  for(i = 0; i < reg->n_fields; i++) {
    if(reg->fields[i].type != FT_REFS) {
      in[i] = req_param(r, reg->fields[i].name);
    }
    else if(form_refs(r, reg->fields[i].name, &in[i])) {
      return NULL;
    }
  }
  return in;
}

/*
 * The create form, prefilled from the query: a parameter named after one
 * of the register's fields (the router keeps only those, as for a POST)
 * fills that field, so that a page can link to a new record with some
 * values filled in.  Nothing is checked or stored here: the values are
 * only shown (escaped) and are validated like anything typed when the
 * form is posted.  A value with control characters (line breaks in a
 * multi-line field excepted) is left out.
 */
void reg_new_page(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  const char **v;
  size_t i;
  if(!reg) {
    return;
  }
  v = form_values(r, reg);
  for(i = 0; v && i < reg->n_fields; i++) {
    if(v[i] &&
       utf8_has_control(str_c(v[i]), reg->fields[i].type == FT_LONGTEXT)) {
      v[i] = NULL;
    }
  }
  form_page(r, reg, 0, 0, v, 200, NULL);
}

/*
 * Mask the FF_MASK fields of in[] in place, each with the operator the
 * form chose for it (mask_op_<field>) or the agency's default; an
 * unknown operator is an error of its field.  *mk gets each field's
 * result (in r's arena) and *found how many findings there were in all.
 */
static enum status mask_form(struct req *r, const struct reg *reg,
                             const char **in, struct reg_errors *errs,
                             struct reg_masked **mk, size_t *found)
{
  struct reg_masker m;
  enum mask_op *ops = arena_alloc(&r->arena, sizeof(*ops) * reg->n_fields);
  struct reg_masked *res =
    arena_alloc(&r->arena, sizeof(*res) * reg->n_fields);
  enum status st;
  size_t i;
  *mk = NULL;
  *found = 0;
  if(!ops || !res) {
    return ST_TOOBIG;
  }
  reg_masker_init(&m, r->db);
  for(i = 0; i < reg->n_fields; i++) {
    const struct field *f = &reg->fields[i];
    ops[i] = m.op;
    if((f->flags & FF_MASK) && reg_mask_op_of_req(r, f->name, m.op, &ops[i])) {
      reg_error(errs, f->name, M_MASK_BAD_OP);
    }
  }
  st = reg_mask_values(&m, reg, in, ops, NULL, &r->arena, res);
  reg_masker_end(&m);
  if(!st) {
    *mk = res;
    *found = m.total;
  }
  return st;
}

static void save(struct req *r, const struct reg *reg, int64_t id)
{
  const char **in = form_values(r, reg);
  const char **v = arena_alloc(&r->arena, sizeof(char *) * reg->n_fields);
  const char **raw = arena_alloc(&r->arena, sizeof(char *) * reg->n_fields);
  struct reg_masked *mk = NULL;
  struct reg_errors errs;
  int64_t version = 0;
  const char *ver = req_param(r, "version");
  size_t found = 0;
  int pending = 0;
  enum status st;

  if(!in || !v || !raw) {
    req_fail(r, ST_TOOBIG, M_ERR_TOO_BIG);
    return;
  }
  if(id && ver && str_to_i64(str_c(ver), 1, INT64_MAX, &version)) {
    version = 0;
  }
  /* The typed text is shown again when the form is; only its masked
   * form is validated and stored. */
  memcpy(raw, in, sizeof(char *) * reg->n_fields);
  reg_errors_init(&errs, &r->arena);
  errs.record_id = id;
  if(reg_has_mask(reg)) {
    st = mask_form(r, reg, in, &errs, &mk, &found);
    if(st) {
      req_field_error(
        r, "", st == ST_TOOBIG ? M_ERR_TOO_BIG : M_MASK_KEY_FAILED, NULL);
      form_page(r, reg, id, version, raw, st == ST_TOOBIG ? 413 : 500, NULL);
      return;
    }
    /* Personal data is stored masked only once the person has seen the
     * preview and confirmed it. */
    pending = (found && !reg_mask_confirmed(r)) || reg_mask_preview_asked(r);
  }
  reg_validate(reg, r->db, in, v, &r->arena, &errs);
  reg_mask_long_errors(reg, raw, &errs, 0);
  if(reg_errors_any(&errs) || pending) {
    reg_errors_to_req(r, &errs);
    form_page(r, reg, id, version, raw, reg_errors_any(&errs) ? 400 : 200, mk);
    return;
  }
  if(id) {
    st = reg_store_update(r->db, reg, id, version, v, r->actor);
  }
  else {
    st = reg_store_create(r->db, reg, v, r->actor, &id);
  }
  if(st == ST_CONFLICT || st == ST_FORBIDDEN) {
    /* A new record conflicts only through a unique index. */
    req_field_error(r, "",
                    st == ST_FORBIDDEN ? reg_locked_msg(reg, r->db, id) :
                    id                 ? M_STALE_EDIT :
                                         M_ERR_UNIQUE,
                    NULL);
    form_page(r, reg, id, version, raw, 409, NULL);
    return;
  }
  if(st) {
    req_fail(r, st, st == ST_NOTFOUND ? M_ERR_NOT_FOUND : M_ERR_INTERNAL);
    return;
  }
  req_redirect(
    r, arena_printf(&r->arena, "/r/%s/%lld", reg->name, (long long)id));
}

void reg_create_page(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  if(reg) {
    save(r, reg, 0);
  }
}

void reg_update_page(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  int64_t id = reg ? reg_id_of_req(r) : 0;
  if(id) {
    save(r, reg, id);
  }
}

static void set_archived(struct req *r, int archived)
{
  const struct reg *reg = reg_of_req(r);
  int64_t id = reg ? reg_id_of_req(r) : 0;
  enum status st;
  if(!id) {
    return;
  }
  st = reg_store_set_archived(r->db, reg, id, archived, r->actor);
  if(st == ST_FORBIDDEN) {
    req_fail(r, ST_CONFLICT, reg_locked_msg(reg, r->db, id));
    return;
  }
  if(st) {
    req_fail(r, st,
             st == ST_NOTFOUND ? M_ERR_NOT_FOUND :
             st == ST_CONFLICT ? M_ERR_UNIQUE :
                                 M_ERR_INTERNAL);
    return;
  }
  req_redirect(
    r, arena_printf(&r->arena, "/r/%s/%lld", reg->name, (long long)id));
}

void reg_archive_page(struct req *r)
{
  set_archived(r, 1);
}

void reg_restore_page(struct req *r)
{
  set_archived(r, 0);
}

/* ---- CSV ---- */

void reg_export_page(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  struct list_query q;
  enum status st;
  const char *disp;
  if(!reg) {
    return;
  }
  reg_list_query(r, reg, &q);
  buf_clear(&r->page.out);
  st = reg_export_csv(r->db, reg, &q, r->lang, &r->page.out);
  if(st) {
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  /* Data leaving isms is an audited event: after the read snapshot,
   * in a write transaction of its own. */
  db_read_end(r->db);
  if(reg_store_audit(r->db, r->actor, "export", reg->name,
                     arena_printf(&r->arena, "csv, %s",
                                  q.q || q.n_filters ? "filtered" : "all"))) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  r->status = 200;
  r->ctype = "text/csv; charset=utf-8";
  disp = arena_printf(&r->arena, "attachment; filename=\"%s.csv\"", reg->name);
  req_set_header(r, "Content-Disposition", disp);
}

void reg_import_errors(struct req *r, const struct reg *reg,
                       const struct import_report *rep)
{
  struct html *h = &r->page;
  size_t i;
  if(!rep || !rep->errs.n) {
    return;
  }
  html_printf(h,
              "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\">"
              "<p>%s</p><div class=\"table-wrap\"><table><thead><tr>"
              "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
              "<th scope=\"col\">%s</th></tr></thead><tbody>\n",
              req_t(r, M_IMPORT_FAILED), req_t(r, M_LIST_PAGE),
              req_t(r, M_HISTORY_FIELD), req_t(r, M_LIST_STATUS));
  for(i = 0; i < rep->errs.n && i < 1000; i++) {
    const struct reg_error *e = &rep->errs.items[i];
    const struct field *f = reg_field(reg, e->field);
    char row[24];
    const char *rargs[1] = { row };
    fmt_int(row, sizeof(row), (int64_t)e->row);
    html_lit(h, "<tr><td>");
    if(e->row) {
      html_template(h, req_t(r, M_IMPORT_ROW), 1, rargs);
    }
    html_printf(h, "</td><td>%s</td><td>%s</td></tr>\n",
                f ? req_t(r, f->label) : e->field,
                reg_msg_detail(r->lang, e->msg, e->detail, &r->arena));
  }
  html_lit(h, "</tbody></table></div></div>\n");
}

void reg_import_form(struct req *r, const struct reg *reg, int status,
                     const struct import_report *rep)
{
  const char *args[1] = { req_t(r, reg->title) };
  struct html *h;

  h = page_begin(r, status, fill(r, req_t(r, M_IMPORT_TITLE), args[0]),
                 reg->chapter);
  html_printf(h, "<p class=\"crumbs\"><a href=\"/r/%s\">%s</a></p>\n<h1>",
              reg->name, req_t(r, reg->title));
  html_template(h, req_t(r, M_IMPORT_TITLE), 1, args);
  html_lit(h, "</h1>\n");
  reg_import_errors(r, reg, rep);
  html_printf(h,
              "<p>%s</p>\n<form method=\"post\" action=\"/r/%s/import\" "
              "enctype=\"multipart/form-data\">",
              req_t(r, M_IMPORT_HELP), reg->name);
  page_csrf(r);
  html_printf(h,
              "<div class=\"field\"><label for=\"in-file\">%s</label>"
              "<input id=\"in-file\" type=\"file\" name=\"file\" "
              "accept=\".csv,text/csv\" required></div>"
              "<div class=\"actions\"><button type=\"submit\">%s</button> "
              "<a href=\"/r/%s\">%s</a></div></form>\n",
              req_t(r, M_IMPORT_FILE), req_t(r, M_IMPORT_SUBMIT), reg->name,
              req_t(r, M_CANCEL));
  /* The two-step import: any file (CSV or XLSX), then a column mapping
   * (register_map_pages.c). */
  html_printf(
    h,
    "<h2>%s</h2>\n<p>%s</p>\n<form method=\"post\" "
    "action=\"/r/%s/import/upload\" enctype=\"multipart/form-data\">",
    req_t(r, M_IMPORT_MAP_HEADING), req_t(r, M_IMPORT_MAP_INTRO), reg->name);
  page_csrf(r);
  html_printf(h,
              "<div class=\"field\"><label for=\"in-map-file\">%s</label>"
              "<input id=\"in-map-file\" type=\"file\" name=\"file\" "
              "accept=\".xlsx,.csv,application/vnd.openxmlformats-"
              "officedocument.spreadsheetml.sheet,text/csv\" required></div>"
              "<div class=\"actions\"><button type=\"submit\">%s</button>"
              "</div></form>\n",
              req_t(r, M_IMPORT_MAP_FILE), req_t(r, M_IMPORT_MAP_UPLOAD));
  page_end(r);
}

void reg_import_done(struct req *r, const struct reg *reg,
                     const struct import_report *rep)
{
  char n[24], c[24], u[24];
  const char *args[3] = { n, c, u };
  struct html *h;
  fmt_int(n, sizeof(n), (int64_t)rep->rows);
  fmt_int(c, sizeof(c), (int64_t)rep->created);
  fmt_int(u, sizeof(u), (int64_t)rep->updated);
  h = page_begin(r, 200, req_t(r, reg->title), reg->chapter);
  html_printf(h, "<h1>%s</h1>\n<p class=\"notice\" role=\"status\">",
              req_t(r, reg->title));
  html_template(h, req_t(r, M_IMPORT_DONE), 3, args);
  if(rep->masked) {
    /* No preview in an import: say what the agency's default did. */
    html_lit(h, "</p>\n<p class=\"mask-counts\">");
    reg_mask_import_note(r, rep->masked, rep->mask_op, rep->masked_count);
  }
  html_printf(h, "</p>\n<p><a href=\"/r/%s\">%s</a></p>\n", reg->name,
              req_t(r, reg->title));
  page_end(r);
}

void reg_import_page(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  if(reg) {
    reg_import_form(r, reg, 200, NULL);
  }
}

void reg_import_post_page(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  const struct upload *up;
  struct import_report rep;
  enum status st;

  if(!reg) {
    return;
  }
  up = req_upload(r, "file");
  if(!up || up->data.len == 0) {
    memset(&rep, 0, sizeof(rep));
    reg_errors_init(&rep.errs, &r->arena);
    reg_error(&rep.errs, "", M_IMPORT_NO_FILE);
    reg_import_form(r, reg, 400, &rep);
    return;
  }
  st = reg_import_csv(r->db, reg, up->data, r->actor, &r->arena, &rep);
  if(st == ST_INVALID) {
    reg_import_form(r, reg, 400, &rep);
    return;
  }
  if(st) {
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  reg_import_done(r, reg, &rep);
}

/*
 * register_http.c: request plumbing shared by register pages and API.
 */
#include "register_http.h"

#include <string.h>

const struct param_spec reg_list_params[] = {
  { "q", PARAM_TEXT, 200, 0, 0 },
  { "archived", PARAM_INT, 1, 0, 2 },
  { "sort", PARAM_WORD, 40, 0, 0 },
  { "dir", PARAM_WORD, 4, 0, 0 },
  { "page", PARAM_INT, 10, 1, 1000000000 },
  { "per_page", PARAM_INT, 3, 1, 500 },
  { "f_*", PARAM_TEXT, 200, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec reg_form_params[] = {
  { "version", PARAM_INT, 19, 1, INT64_MAX },
  /* masking (register_mask_pages.h): a preview, its confirmation and
   * the operator chosen per field */
  { "mask_preview", PARAM_INT, 1, 0, 1 },
  { "mask_confirm", PARAM_INT, 1, 0, 1 },
  { "mask_op_*", PARAM_WORD, 16, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec reg_import_params[] = {
  { NULL, 0, 0, 0, 0 },
};

const struct reg *reg_of_req(struct req *r)
{
  const char *name = req_path_param(r, "reg");
  const struct reg *reg = name ? reg_find(name) : NULL;
  if(!reg) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
  }
  return reg;
}

int64_t reg_id_of_req(struct req *r)
{
  const char *s = req_path_param(r, "id");
  int64_t id;
  if(!s || str_to_i64(str_c(s), 1, INT64_MAX, &id)) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return 0;
  }
  return id;
}

void reg_list_query(struct req *r, const struct reg *reg, struct list_query *q)
{
  const char *s;
  int64_t v;
  size_t i;

  memset(q, 0, sizeof(*q));
  q->page = 1;
  q->per_page = 50;
  q->q = req_param(r, "q");
  s = req_param(r, "archived");
  if(s && !str_to_i64(str_c(s), 0, 2, &v)) {
    q->archived = (enum list_archived)v;
  }
  s = req_param(r, "sort");
  if(s) {
    const struct field *f = reg_field(reg, s);
    if(f && (f->flags & FF_SORT)) {
      q->sort = f;
    }
  }
  s = req_param(r, "dir");
  q->desc = s && strcmp(s, "desc") == 0;
  s = req_param(r, "page");
  if(s && !str_to_i64(str_c(s), 1, 1000000000, &v)) {
    q->page = v;
  }
  s = req_param(r, "per_page");
  if(s && !str_to_i64(str_c(s), 1, 500, &v)) {
    q->per_page = v;
  }
  for(i = 0; i < r->n_params && q->n_filters < LIST_MAX_FILTERS; i++) {
    const struct field *f;
    if(strncmp(r->params[i].name, "f_", 2) != 0 || !r->params[i].len) {
      continue;
    }
    f = reg_field(reg, r->params[i].name + 2);
    if(f && (f->flags & FF_FILTER)) {
      q->filter_field[q->n_filters] = f;
      q->filter_value[q->n_filters] = reg_filter_value(f, r->params[i].value);
      q->n_filters++;
    }
  }
}

void reg_errors_to_req(struct req *r, const struct reg_errors *errs)
{
  size_t i;
  for(i = 0; i < errs->n; i++) {
    req_field_error(r, errs->items[i].field, errs->items[i].msg,
                    errs->items[i].detail);
  }
}

int reg_param_allowed(const struct req *r, const char *name)
{
  const char *reg_name = req_path_param(r, "reg");
  const struct reg *reg = reg_name ? reg_find(reg_name) : NULL;
  return reg && reg_field(reg, name) != NULL;
}

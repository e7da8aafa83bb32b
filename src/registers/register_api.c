/*
 * register_api.c: the JSON API of every register under /api/v1/<reg>:
 * paged list, get, create, update (PATCH), archive and restore (never a
 * hard delete), history and CSV import.  Output through the JSON writer;
 * input read with jansson.
 */
#include "register_http.h"
#include "register_io.h"
#include "register_mask.h"

#include "core/utf8.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* An FT_REFS value as an array of ids ([] when there is none). */
static void refs_json(struct json *j, const char *v)
{
  const char *p = v;
  json_arr_begin(j);
  while(p && *p) {
    size_t len = strcspn(p, ",");
    int64_t id;
    if(!str_to_i64((struct str){ p, len }, 1, INT64_MAX, &id)) {
      json_i64(j, id);
    }
    p += len + (p[len] != 0);
  }
  json_arr_end(j);
}

/* The "masked" member of a write's answer: how many findings were
 * replaced, with which operator, and how many per entity. */
static void masked_json(struct json *j, size_t total, enum mask_op op,
                        const size_t count[MASK_N])
{
  size_t e;
  json_key(j, "masked");
  json_obj_begin(j);
  json_key_i64(j, "count", (int64_t)total);
  json_key_str(j, "operator", mask_op_name(op));
  json_key(j, "entities");
  json_obj_begin(j);
  for(e = 0; e < MASK_N; e++) {
    if(count[e]) {
      json_key_i64(j, mask_entity_name((enum mask_entity)e),
                   (int64_t)count[e]);
    }
  }
  json_obj_end(j);
  json_obj_end(j);
}

/* Write one record as a JSON object with typed values; with m (a write
 * to a register that masks), its "masked" member too. */
static void record_json(struct json *j, const struct reg *reg,
                        const struct record *rec, const struct reg_masker *m)
{
  size_t i;
  json_obj_begin(j);
  json_key_i64(j, "id", rec->id);
  for(i = 0; i < reg->n_fields; i++) {
    const struct field *f = &reg->fields[i];
    const char *v = rec->v[i];
    int64_t n;
    double d;
    json_key(j, f->name);
    if(f->type == FT_REFS) {
      refs_json(j, v);
    }
    else if(!v) {
      json_null_val(j);
    }
    else if((f->type == FT_INT || f->type == FT_REF) &&
            !str_to_i64(str_c(v), INT64_MIN, INT64_MAX, &n)) {
      json_i64(j, n);
    }
    else if(f->type == FT_BOOL) {
      json_bool(j, strcmp(v, "1") == 0);
    }
    else if(f->type == FT_REAL && !str_to_double(str_c(v), &d)) {
      json_double(j, d);
    }
    else {
      json_str(j, v);
    }
  }
  json_key_bool(j, "archived", rec->archived);
  json_key_i64(j, "version", rec->version);
  json_key_str(j, "created_at", rec->created_at);
  json_key_str(j, "created_by", rec->created_by);
  json_key_str(j, "updated_at", rec->updated_at);
  if(m) {
    masked_json(j, m->total, m->op, m->count);
  }
  json_obj_end(j);
}

void reg_list_api(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  struct list_query q;
  struct record_page pg;
  struct json j;
  size_t i;
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
  req_json(r, 200, &j);
  json_obj_begin(&j);
  json_key(&j, "items");
  json_arr_begin(&j);
  for(i = 0; i < pg.n; i++) {
    record_json(&j, reg, &pg.rows[i], NULL);
  }
  json_arr_end(&j);
  json_key_i64(&j, "page", q.page);
  json_key_i64(&j, "per_page", q.per_page);
  json_key_i64(&j, "total", pg.total);
  json_obj_end(&j);
  req_json_end(r, &j);
}

static void send_record(struct req *r, const struct reg *reg, int64_t id,
                        int status, const struct reg_masker *m)
{
  struct record rec;
  struct json j;
  enum status st = reg_store_get(r->db, reg, id, &r->arena, &rec);
  if(st) {
    req_fail(r, st, st == ST_NOTFOUND ? M_ERR_NOT_FOUND : M_ERR_INTERNAL);
    return;
  }
  req_json(r, status, &j);
  record_json(&j, reg, &rec, m);
  req_json_end(r, &j);
}

void reg_get_api(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  int64_t id = reg ? reg_id_of_req(r) : 0;
  if(id) {
    send_record(r, reg, id, 200, NULL);
  }
}

/*
 * The raw text of an FT_REFS member: an array of ids (integers) or of
 * exact labels (strings), each followed by REG_REFS_SEP; "" for null or
 * []; NULL when val is neither (or an element is not an integer or a
 * string without control characters).  Lives in a.
 */
static const char *refs_text(json_t *val, struct arena *a)
{
  size_t i, len = 0;
  json_t *el;
  char *text, *w;
  if(json_is_null(val)) {
    return "";
  }
  if(!json_is_array(val)) {
    return NULL;
  }
  json_array_foreach(val, i, el)
  {
    if(json_is_integer(el)) {
      len += 21;
    }
    else if(json_is_string(el) &&
            !utf8_has_control(str_c(json_string_value(el)), 0) &&
            strlen(json_string_value(el)) == json_string_length(el)) {
      len += json_string_length(el) + 1;
    }
    else {
      return NULL;
    }
  }
  text = arena_alloc(a, len + 1);
  if(!text) {
    return NULL;
  }
  w = text;
  json_array_foreach(val, i, el)
  {
    if(json_is_integer(el)) {
      int k = snprintf(w, 22, "%lld", (long long)json_integer_value(el));
      w += k;
    }
    else {
      memcpy(w, json_string_value(el), json_string_length(el));
      w += json_string_length(el);
    }
    *w++ = REG_REFS_SEP;
  }
  *w = 0;
  return text;
}

/*
 * Read the JSON object body into in[] (field values as text).  Returns 0
 * and fills *version when the object holds "version"; answers the error
 * and returns -1 otherwise.
 */
static int read_body(struct req *r, const struct reg *reg, const char **in,
                     int64_t *version)
{
  json_error_t jerr;
  json_t *root, *val;
  const char *key;
  int bad = 0;

  root = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &jerr);
  if(!root || !json_is_object(root)) {
    json_decref(root);
    req_fail(r, ST_INVALID, M_ERR_JSON);
    return -1;
  }
  json_object_foreach(root, key, val)
  {
    const struct field *f = reg_field(reg, key);
    const char *text = NULL;
    if(!f) {
      if(!strcmp(key, "version") && json_is_integer(val)) {
        *version = json_integer_value(val);
        continue;
      }
      if(!strcmp(key, "id") || !strcmp(key, "archived") ||
         !strcmp(key, "created_at") || !strcmp(key, "updated_at") ||
         !strcmp(key, "created_by")) {
        continue; /* read-only members of a record sent back */
      }
      req_field_error(r, arena_strdup(&r->arena, key), M_ERR_UNKNOWN_FIELD,
                      NULL);
      bad = 1;
      continue;
    }
    if(f->type == FT_REFS) {
      text = refs_text(val, &r->arena);
      if(!text) {
        req_field_error(r, f->name, M_ERR_BAD_PARAM, NULL);
        bad = 1;
        continue;
      }
    }
    else if(json_is_string(val)) {
      text = arena_strndup(&r->arena, json_string_value(val),
                           json_string_length(val));
    }
    else if(json_is_integer(val)) {
      text =
        arena_printf(&r->arena, "%lld", (long long)json_integer_value(val));
    }
    else if(json_is_real(val)) {
      text = arena_printf(&r->arena, "%.15g", json_real_value(val));
    }
    else if(json_is_boolean(val)) {
      text = json_is_true(val) ? "1" : "0";
    }
    else if(json_is_null(val)) {
      text = "";
    }
    else {
      req_field_error(r, f->name, M_ERR_BAD_PARAM, NULL);
      bad = 1;
      continue;
    }
    in[reg_field_index(reg, f)] = text ? text : "";
  }
  json_decref(root);
  if(bad) {
    req_fail(r, ST_INVALID, M_ERR_INVALID_FIELDS);
    return -1;
  }
  return 0;
}

/*
 * Mask the FF_MASK fields the body sent (sent[i] set) with the agency's
 * default operator: the API has no preview, its answer says what was
 * masked (the "masked" member).  0, or -1 when it answered the error.
 */
static int mask_body(struct req *r, const struct reg *reg, const char **in,
                     const unsigned char *sent, struct reg_masker *m)
{
  enum status st = reg_mask_values(m, reg, in, NULL, sent, &r->arena, NULL);
  if(st) {
    req_fail(r, st == ST_TOOBIG ? ST_TOOBIG : ST_INTERNAL,
             st == ST_TOOBIG ? M_ERR_TOO_BIG : M_MASK_KEY_FAILED);
    return -1;
  }
  return 0;
}

static void write_api(struct req *r, int64_t id)
{
  const struct reg *reg = reg_of_req(r);
  const char **in, **v, **kept;
  unsigned char *sent;
  struct reg_errors errs;
  struct reg_masker m;
  int64_t version = 0;
  int is_new = !id, masks;
  enum status st;
  size_t i;

  if(!reg) {
    return;
  }
  in = arena_alloc(&r->arena, sizeof(char *) * reg->n_fields);
  v = arena_alloc(&r->arena, sizeof(char *) * reg->n_fields);
  kept = arena_alloc(&r->arena, sizeof(char *) * reg->n_fields);
  sent = arena_alloc(&r->arena, reg->n_fields);
  if(!in || !v || !kept || !sent) {
    req_fail(r, ST_TOOBIG, M_ERR_TOO_BIG);
    return;
  }
  memset(in, 0, sizeof(char *) * reg->n_fields);
  if(id) {
    /* PATCH: fields not sent keep their values. */
    struct record old;
    st = reg_store_get(r->db, reg, id, &r->arena, &old);
    if(st) {
      req_fail(r, st, st == ST_NOTFOUND ? M_ERR_NOT_FOUND : M_ERR_INTERNAL);
      return;
    }
    for(i = 0; i < reg->n_fields; i++) {
      in[i] = old.v[i];
    }
  }
  memcpy(kept, in, sizeof(char *) * reg->n_fields);
  if(read_body(r, reg, in, &version)) {
    return;
  }
  /* What is stored was masked when it was written: only what the body
   * sends is masked now. */
  for(i = 0; i < reg->n_fields; i++) {
    sent[i] = !id || in[i] != kept[i];
  }
  masks = reg_has_mask(reg);
  if(masks) {
    /* kept now holds the values as sent, for reg_mask_long_errors() */
    memcpy(kept, in, sizeof(char *) * reg->n_fields);
    reg_masker_init(&m, r->db);
    st = mask_body(r, reg, in, sent, &m) ? ST_INVALID : ST_OK;
    reg_masker_end(&m);
    if(st) {
      return;
    }
  }
  reg_errors_init(&errs, &r->arena);
  errs.record_id = id;
  reg_validate(reg, r->db, in, v, &r->arena, &errs);
  if(masks) {
    reg_mask_long_errors(reg, kept, &errs, 0);
  }
  if(reg_errors_any(&errs)) {
    reg_errors_to_req(r, &errs);
    req_fail(r, ST_INVALID, M_ERR_INVALID_FIELDS);
    return;
  }
  if(id) {
    st = reg_store_update(r->db, reg, id, version, v, r->actor);
  }
  else {
    st = reg_store_create(r->db, reg, v, r->actor, &id);
  }
  if(st == ST_FORBIDDEN) {
    /* restore it first, or what the register's lock says */
    req_fail(r, ST_CONFLICT, reg_locked_msg(reg, r->db, id));
    return;
  }
  if(st) {
    /* A new record conflicts only through a unique index. */
    req_fail(r, st,
             st == ST_CONFLICT ? (is_new ? M_ERR_UNIQUE : M_ERR_CONFLICT) :
             st == ST_NOTFOUND ? M_ERR_NOT_FOUND :
                                 M_ERR_INTERNAL);
    return;
  }
  send_record(r, reg, id, r->method == HTTP_POST ? 201 : 200,
              masks ? &m : NULL);
}

void reg_create_api(struct req *r)
{
  write_api(r, 0);
}

void reg_update_api(struct req *r)
{
  int64_t id = reg_id_of_req(r);
  if(id) {
    write_api(r, id);
  }
}

static void archive_api(struct req *r, int archived)
{
  const struct reg *reg = reg_of_req(r);
  int64_t id = reg ? reg_id_of_req(r) : 0;
  enum status st;
  if(!id) {
    return;
  }
  st = reg_store_set_archived(r->db, reg, id, archived, r->actor);
  if(st == ST_FORBIDDEN) {
    /* the register's lock (a closed incident): the state, not the role */
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
  send_record(r, reg, id, 200, NULL);
}

void reg_archive_api(struct req *r)
{
  archive_api(r, 1);
}

void reg_restore_api(struct req *r)
{
  archive_api(r, 0);
}

void reg_history_api(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  int64_t id = reg ? reg_id_of_req(r) : 0;
  struct history_row *rows;
  struct record rec;
  size_t n, i;
  struct json j;
  enum status st;

  if(!id) {
    return;
  }
  st = reg_store_get(r->db, reg, id, &r->arena, &rec);
  if(!st) {
    st = reg_store_history(r->db, reg, id, &r->arena, &rows, &n);
  }
  if(st) {
    req_fail(r, st, st == ST_NOTFOUND ? M_ERR_NOT_FOUND : M_ERR_INTERNAL);
    return;
  }
  req_json(r, 200, &j);
  json_obj_begin(&j);
  json_key(&j, "items");
  json_arr_begin(&j);
  /* The creation, from the record itself, then every change. */
  json_obj_begin(&j);
  json_key_str(&j, "at", rec.created_at);
  json_key_str(&j, "actor", rec.created_by);
  json_key_str(&j, "action", "create");
  json_key_str(&j, "field", NULL);
  json_key_str(&j, "before", NULL);
  json_key_str(&j, "after", NULL);
  json_obj_end(&j);
  for(i = 0; i < n; i++) {
    json_obj_begin(&j);
    json_key_str(&j, "at", rows[i].at);
    json_key_str(&j, "actor", rows[i].actor);
    json_key_str(&j, "action", rows[i].action);
    json_key_str(&j, "field", rows[i].field);
    json_key_str(&j, "before", rows[i].before);
    json_key_str(&j, "after", rows[i].after);
    json_obj_end(&j);
  }
  json_arr_end(&j);
  json_obj_end(&j);
  req_json_end(r, &j);
}

void reg_import_api(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  struct import_report rep;
  struct json j;
  enum status st;
  size_t i;

  if(!reg) {
    return;
  }
  st = reg_import_csv(r->db, reg, (struct str){ r->body.data, r->body.len },
                      r->actor, &r->arena, &rep);
  if(st && st != ST_INVALID) {
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  req_json(r, st ? 400 : 200, &j);
  json_obj_begin(&j);
  if(st) {
    json_key_str(&j, "error", "invalid");
    json_key_str(&j, "message", req_t(r, M_IMPORT_FAILED));
    json_key(&j, "rows");
    json_arr_begin(&j);
    for(i = 0; i < rep.errs.n; i++) {
      json_obj_begin(&j);
      json_key_i64(&j, "line", (int64_t)rep.errs.items[i].row);
      json_key_str(&j, "field", rep.errs.items[i].field);
      json_key_str(&j, "message",
                   reg_msg_detail(r->lang, rep.errs.items[i].msg,
                                  rep.errs.items[i].detail, &r->arena));
      if(rep.errs.items[i].detail) {
        json_key_str(&j, "detail", rep.errs.items[i].detail);
      }
      json_obj_end(&j);
    }
    json_arr_end(&j);
  }
  else {
    json_key_i64(&j, "rows", (int64_t)rep.rows);
    json_key_i64(&j, "created", (int64_t)rep.created);
    json_key_i64(&j, "updated", (int64_t)rep.updated);
    if(rep.masks) {
      masked_json(&j, rep.masked, rep.mask_op, rep.masked_count);
    }
  }
  json_obj_end(&j);
  req_json_end(r, &j);
}

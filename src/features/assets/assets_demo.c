/*
 * assets_demo.c: the gradings and baseline states of the reference
 * agency's demo data (data/demo/reference-systems.json: "gradings" and
 * "controls"; its registers are loaded by reg_load_json()).
 */
#include "assets.h"
#include "assets_store.h"
#include "core/arena.h"
#include "db/db.h"
#include "registers/register_store.h"
#include "rules/baseline.h"
#include "rules/grading.h"

#include <jansson.h>
#include <string.h>

/* The id of the system called name, or 0. */
static int64_t system_id(struct db *db, const char *name, struct arena *a)
{
  struct system_row *v;
  size_t n = 0, i;
  if(!name || system_rows(db, a, &v, &n)) {
    return 0;
  }
  for(i = 0; i < n; i++) {
    if(strcmp(v[i].name, name) == 0) {
      return v[i].id;
    }
  }
  return 0;
}

static const char *str(json_t *o, const char *key)
{
  return json_string_value(json_object_get(o, key));
}

/* Approve grading g of system id: the register row takes its level. */
static enum status approve(struct db *db, int64_t id, const struct grading *g,
                           const char *approver, const char *note,
                           struct arena *a)
{
  struct record rec;
  const char **v;
  const struct field *fl = reg_field(&reg_system, "level");
  const struct field *fc = reg_field(&reg_system, "is_core");
  enum status st = grading_decide(db, g->id, "approved", approver, note);
  if(st || reg_store_get(db, &reg_system, id, a, &rec)) {
    return st ? st : ST_NOTFOUND;
  }
  v = arena_alloc(a, sizeof(char *) * reg_system.n_fields);
  if(!v || !fl || !fc) {
    return ST_NOMEM;
  }
  memcpy(v, rec.v, sizeof(char *) * reg_system.n_fields);
  v[reg_field_index(&reg_system, fl)] = prot_level_key(g->level);
  if(grading_is_core(g->level)) {
    v[reg_field_index(&reg_system, fc)] = "1";
  }
  return reg_store_update(db, &reg_system, id, 0, v, approver);
}

enum status assets_load_demo(struct db *db, const char *json, size_t len,
                             const char *actor, struct buf *why)
{
  json_error_t jerr;
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
  json_t *row;
  struct arena a;
  enum status st = ST_OK;
  size_t i;
  if(!root) {
    buf_appendf(why, "JSON error at line %d: %s", jerr.line, jerr.text);
    return ST_INVALID;
  }
  arena_init(&a, 16u << 20);
  json_array_foreach(json_object_get(root, "gradings"), i, row)
  {
    struct grading g;
    int64_t id = system_id(db, str(row, "system"), &a), gid = 0;
    memset(&g, 0, sizeof(g));
    g.system = id;
    g.c = (int)json_integer_value(json_object_get(row, "c"));
    g.i = (int)json_integer_value(json_object_get(row, "i"));
    g.a = (int)json_integer_value(json_object_get(row, "a"));
    g.l = (int)json_integer_value(json_object_get(row, "l"));
    g.level = grading_level(g.c, g.i, g.a, g.l);
    g.justification = str(row, "justification");
    g.graded_by = str(row, "graded_by") ? str(row, "graded_by") : actor;
    if(!id || !g.level || !g.justification) {
      buf_appendf(why, "gradings[%zu]: unknown system or bad levels", i);
      st = ST_INVALID;
      break;
    }
    if(db_begin(db)) {
      st = ST_DB;
      break;
    }
    st = grading_insert(db, &g, &gid);
    if(!st) {
      st = db_commit(db);
    }
    else {
      db_rollback(db);
    }
    g.id = gid;
    if(!st && str(row, "status") && !strcmp(str(row, "status"), "approved")) {
      st = approve(db, id, &g,
                   str(row, "approver") ? str(row, "approver") : actor,
                   str(row, "note"), &a);
    }
    if(st) {
      buf_appendf(why, "gradings[%zu]: %s", i, status_name(st));
      break;
    }
  }
  json_array_foreach(json_object_get(root, "controls"), i, row)
  {
    struct control_state s;
    int64_t id;
    if(st) {
      break;
    }
    id = system_id(db, str(row, "system"), &a);
    memset(&s, 0, sizeof(s));
    s.control = str(row, "control");
    s.status = str(row, "status");
    s.evidence = str(row, "evidence");
    s.owner = str(row, "owner");
    s.due = str(row, "due");
    s.exemption = str(row, "exemption");
    if(!id || !s.control || !baseline_control(s.control) || !s.status) {
      buf_appendf(why, "controls[%zu]: unknown system or control", i);
      st = ST_INVALID;
      break;
    }
    if(db_begin(db)) {
      st = ST_DB;
      break;
    }
    st = control_set(db, id, &s, actor);
    if(!st) {
      st = db_commit(db);
    }
    else {
      db_rollback(db);
      buf_appendf(why, "controls[%zu]: %s", i, status_name(st));
    }
  }
  arena_reset(&a);
  json_decref(root);
  return st;
}

/*
 * incident_demo.c: the reference agency's past incident in the demo data
 * (data/demo/reference-systems.json: "incident_history"; the incident
 * itself is a register row loaded by reg_load_json()): its assessment,
 * steps and timeline, recorded as the pages would record them, so that
 * `make run` shows a closed incident with its clocks and documents.
 */
#include "incidents.h"
#include "incident_store.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/time.h"
#include "db/db.h"
#include "registers/register_store.h"

#include <jansson.h>
#include <string.h>

static const char *str(json_t *o, const char *key)
{
  return json_string_value(json_object_get(o, key));
}

/* A typed Taipei time ("2026-09-15 10:20") in the storage form, or NULL. */
static const char *utc_of(const char *taipei, struct arena *a)
{
  struct buf b;
  const char *out;
  int64_t t;
  if(reg_instant(a, taipei, &t)) {
    return NULL;
  }
  buf_init(&b, 32);
  time_format_utc(&b, t);
  out = b.err ? NULL : arena_strdup(a, b.data);
  buf_free(&b);
  return out;
}

/* Record one past incident's assessment, steps and timeline. */
static enum status one(struct db *db, json_t *row, const char *actor,
                       struct arena *a)
{
  struct ir_assessment x;
  struct incident_facts f;
  const struct incident_row *decided = NULL;
  const struct incident_rules *law;
  struct record rec;
  const char *facts = str(row, "facts");
  json_t *v;
  size_t i;
  int64_t id = 0, aware = 0;
  int level = 0;
  enum status st;
  if(!str(row, "title") || !facts) {
    return ST_INVALID;
  }
  st = reg_store_find_label(db, &reg_incident, str(row, "title"), &id);
  if(!st) {
    st = reg_store_get(db, &reg_incident, id, a, &rec);
  }
  if(st) {
    return st;
  }
  if(time_parse_utc(str_c(reg_val(&reg_incident, &rec, "aware_at")), &aware) ||
     !(law = incident_rules_at(aware))) {
    return ST_INVALID;
  }
  if(!ir_facts_parse(facts, &f)) {
    return ST_INVALID;
  }
  f.is_daily_work_affected = json_is_true(json_object_get(row, "daily_work"));
  st = incident_level(law, &f, &level, &decided);
  if(st) {
    return st;
  }
  memset(&x, 0, sizeof(x));
  x.incident = id;
  x.rule_set = law->name;
  x.facts = facts;
  x.daily_work = f.is_daily_work_affected;
  x.level = level;
  x.row_id = decided ? decided->id : NULL;
  x.by = str(row, "assessed_by") ? str(row, "assessed_by") : actor;
  x.at = rec.created_at;
  st = ir_store_assess(db, &x, NULL);
  json_array_foreach(json_object_get(row, "events"), i, v)
  {
    struct ir_event e;
    if(st) {
      break;
    }
    memset(&e, 0, sizeof(e));
    e.incident = id;
    e.kind = str(v, "kind");
    e.at = utc_of(str(v, "at"), a);
    e.text = str(v, "text");
    e.by = x.by;
    e.recorded_at = e.at;
    st = e.kind && e.at && e.text ? ir_store_event(db, &e) : ST_INVALID;
  }
  json_array_foreach(json_object_get(row, "steps"), i, v)
  {
    struct ir_step s;
    if(st) {
      break;
    }
    memset(&s, 0, sizeof(s));
    s.incident = id;
    s.step = str(v, "step");
    s.at = utc_of(str(v, "at"), a);
    s.level = s.step && !strcmp(s.step, "notified") ? level : 0;
    s.channel = str(v, "channel");
    s.reference = str(v, "reference");
    s.note = str(v, "note");
    s.by = x.by;
    s.recorded_at = s.at;
    st = s.step && s.at ? ir_store_step(db, &s) : ST_INVALID;
  }
  return st;
}

enum status incidents_load_demo(struct db *db, const char *json, size_t len,
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
  arena_init(&a, 1u << 20);
  json_array_foreach(json_object_get(root, "incident_history"), i, row)
  {
    if(db_begin(db)) {
      st = ST_DB;
      break;
    }
    st = one(db, row, actor, &a);
    if(!st) {
      st = db_commit(db);
    }
    else {
      db_rollback(db);
    }
    if(st) {
      buf_appendf(why, "incident_history[%zu]: %s", i, status_name(st));
      break;
    }
  }
  arena_reset(&a);
  json_decref(root);
  return st;
}

/*
 * risk_demo.c: the CISO's acceptances in the reference agency's demo
 * data (data/demo/reference-systems.json: "risk_acceptances"; its
 * campaign and risks are registers loaded by reg_load_json()).  Each
 * acceptance is bound to the risk's content as stored, exactly as the
 * acceptance page binds it.
 */
#include "risk.h"
#include "risk_store.h"
#include "auth/audit.h"
#include "core/arena.h"
#include "db/db.h"
#include "registers/register_store.h"

#include <jansson.h>

static const char *str(json_t *o, const char *key)
{
  return json_string_value(json_object_get(o, key));
}

/* Accept the risk whose threat is exactly threat, in one transaction
 * with its audit event. */
static enum status accept_one(struct db *db, const char *threat,
                              const char *approver, const char *note,
                              struct arena *a)
{
  struct record rec;
  char hash[65];
  int64_t id = 0;
  enum status st = reg_store_find_label(db, &reg_risk, threat, &id);
  if(st || (st = reg_store_get(db, &reg_risk, id, a, &rec))) {
    return st;
  }
  risk_content_hash(&rec, hash);
  if(db_begin(db)) {
    return ST_DB;
  }
  st = risk_store_accept(db, id, hash, approver, note);
  if(!st) {
    st = audit_append(
      db, approver, "risk-accept", arena_printf(a, "risk/%lld", (long long)id),
      arena_printf(a, "demo, version %lld, %s", (long long)rec.version, hash));
  }
  if(st) {
    db_rollback(db);
    return st;
  }
  return db_commit(db) ? ST_DB : ST_OK;
}

enum status risk_load_demo(struct db *db, const char *json, size_t len,
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
  json_array_foreach(json_object_get(root, "risk_acceptances"), i, row)
  {
    const char *threat = str(row, "threat");
    const char *approver = str(row, "approver");
    if(!threat) {
      buf_appendf(why, "risk_acceptances[%zu]: no threat", i);
      st = ST_INVALID;
      break;
    }
    st = accept_one(db, threat, approver ? approver : actor, str(row, "note"),
                    &a);
    if(st) {
      buf_appendf(why, "risk_acceptances[%zu]: %s", i, status_name(st));
      break;
    }
  }
  arena_reset(&a);
  json_decref(root);
  return st;
}

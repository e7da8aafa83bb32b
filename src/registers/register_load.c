/*
 * register_load.c: JSON data files into registers.
 */
#include "register_load.h"
#include "register_store.h"

#include <jansson.h>
#include <string.h>

#define MAX_KEYS 1024

struct key {
  const char *name; /* the row's _key (owned by the JSON tree) */
  int64_t id;       /* the record it became */
};

static const char *value_text(json_t *val, struct key *keys, size_t n_keys,
                              struct arena *a)
{
  if(json_is_string(val)) {
    return arena_strdup(a, json_string_value(val));
  }
  if(json_is_integer(val)) {
    return arena_printf(a, "%lld", (long long)json_integer_value(val));
  }
  if(json_is_real(val)) {
    return arena_printf(a, "%.15g", json_real_value(val));
  }
  if(json_is_boolean(val)) {
    return json_is_true(val) ? "1" : "0";
  }
  if(json_is_object(val)) {
    const char *ref = json_string_value(json_object_get(val, "ref"));
    size_t i;
    for(i = 0; ref && i < n_keys; i++) {
      if(!strcmp(keys[i].name, ref)) {
        return arena_printf(a, "%lld", (long long)keys[i].id);
      }
    }
  }
  return NULL;
}

enum status reg_load_json(struct db *db, const char *json, size_t len,
                          const char *actor, struct buf *why)
{
  json_error_t jerr;
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
  json_t *sets, *set;
  struct key keys[MAX_KEYS];
  size_t n_keys = 0, i;
  enum status st = ST_OK;
  struct arena a;

  if(!root) {
    buf_appendf(why, "JSON error at line %d: %s", jerr.line, jerr.text);
    return ST_INVALID;
  }
  sets = json_object_get(root, "registers");
  arena_init(&a, 64u << 20);
  json_array_foreach(sets, i, set)
  {
    const char *name = json_string_value(json_object_get(set, "register"));
    const struct reg *reg = name ? reg_find(name) : NULL;
    json_t *row;
    size_t k;
    if(!reg) {
      buf_appendf(why, "unknown register %s", name ? name : "(none)");
      st = ST_INVALID;
      break;
    }
    json_array_foreach(json_object_get(set, "rows"), k, row)
    {
      const char **in = arena_alloc(&a, sizeof(char *) * reg->n_fields);
      const char **v = arena_alloc(&a, sizeof(char *) * reg->n_fields);
      struct reg_errors errs;
      const char *key;
      json_t *val;
      int64_t id;
      if(!in || !v) {
        st = ST_TOOBIG;
        break;
      }
      memset(in, 0, sizeof(char *) * reg->n_fields);
      json_object_foreach(row, key, val)
      {
        const struct field *f = reg_field(reg, key);
        if(!strcmp(key, "_key")) {
          continue;
        }
        if(!f) {
          buf_appendf(why, "%s row %zu: unknown field %s", reg->name, k + 1,
                      key);
          st = ST_INVALID;
          break;
        }
        in[reg_field_index(reg, f)] = value_text(val, keys, n_keys, &a);
      }
      if(st) {
        break;
      }
      reg_errors_init(&errs, &a);
      reg_validate(reg, db, in, v, &a, &errs);
      if(reg_errors_any(&errs)) {
        buf_appendf(why, "%s row %zu: field %s: ", reg->name, k + 1,
                    errs.items[0].field);
        msg_fill_lang(why, LANG_EN, errs.items[0].msg, errs.items[0].detail,
                      NULL);
        st = ST_INVALID;
        break;
      }
      st = reg_store_create(db, reg, v, actor, &id);
      if(st) {
        buf_appendf(why, "%s row %zu: cannot store it", reg->name, k + 1);
        break;
      }
      key = json_string_value(json_object_get(row, "_key"));
      if(key && n_keys < MAX_KEYS) {
        keys[n_keys].name = key;
        keys[n_keys].id = id;
        n_keys++;
      }
    }
    if(st) {
      break;
    }
  }
  arena_reset(&a);
  json_decref(root);
  return st;
}

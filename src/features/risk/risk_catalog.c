/*
 * risk_catalog.c: form 7 (風險類型暨風險對策參考表) as one catalog: the
 * reference entries shipped in data/rules/risk_catalog.json (ids R01 …,
 * rules/riskcat) and the agency's own risk types (the risk_type
 * register, ids "A" and the record id).  Here, and only here, is the
 * rule of which ids a risk's catalog field may name.  Records are read
 * through the register engine; the one query of its own is in
 * risk_store.c.
 */
#include "risk.h"
#include "risk_store.h"
#include "registers/register_store.h"
#include "rules/riskcat.h"

#include <string.h>

int64_t risk_type_id_parse(const char *s)
{
  const char *p;
  int64_t id;
  if(!s || s[0] != 'A' || s[1] < '1' || s[1] > '9') {
    return 0;
  }
  for(p = s + 1; *p; p++) {
    if(*p < '0' || *p > '9') {
      return 0;
    }
  }
  if(str_to_i64(str_c(s + 1), 1, INT64_MAX, &id)) {
    return 0;
  }
  return id;
}

/* The value of field name of a risk_type record. */
static const char *tv(const struct record *rec, const char *name)
{
  const struct field *f = reg_field(&reg_risk_type, name);
  return f ? rec->v[reg_field_index(&reg_risk_type, f)] : NULL;
}

/* Fill *out from shipped entry e in lang. */
static enum status from_shipped(const struct riskcat_entry *e, enum lang lang,
                                struct arena *a, struct risk_cat *out)
{
  size_t i;
  int en = lang == LANG_EN;
  memset(out, 0, sizeof(*out));
  out->id = e->id;
  out->type = en ? e->type_en : e->type;
  out->threat = en ? e->threat_en : e->threat;
  out->vulnerability = en ? e->vulnerability_en : e->vulnerability;
  out->asset_classes = e->asset_classes;
  out->measures = arena_alloc(a, sizeof(char *) * e->n_measures);
  out->families = arena_alloc(a, sizeof(char *) * e->n_measures);
  if(!out->measures || !out->families) {
    return ST_NOMEM;
  }
  for(i = 0; i < e->n_measures; i++) {
    out->measures[i] = en ? e->measures[i].text_en : e->measures[i].text;
    out->families[i] = e->measures[i].family;
  }
  out->n_measures = e->n_measures;
  return ST_OK;
}

/* Fill *out from risk_type record rec: one measure per non-empty line of
 * its countermeasures, each with the record's family. */
static enum status from_record(const struct record *rec, struct arena *a,
                               struct risk_cat *out)
{
  const struct riskcat_asset_class *classes;
  const char *text = tv(rec, "countermeasures");
  const char *family = tv(rec, "family");
  const char *p;
  size_t n_classes, i, lines = 1;
  memset(out, 0, sizeof(*out));
  out->id = arena_printf(a, "A%lld", (long long)rec->id);
  out->type_id = rec->id;
  out->is_archived = rec->archived;
  out->type = tv(rec, "type");
  out->threat = tv(rec, "threat");
  out->vulnerability = tv(rec, "vulnerability");
  classes = riskcat_asset_classes(&n_classes);
  for(i = 0; i < n_classes; i++) {
    const char *b = tv(rec, classes[i].key);
    if(b && strcmp(b, "1") == 0) {
      out->asset_classes |= classes[i].bit;
    }
  }
  for(p = text ? text : ""; *p; p++) {
    lines += *p == '\n';
  }
  out->measures = arena_alloc(a, sizeof(char *) * lines);
  out->families = arena_alloc(a, sizeof(char *) * lines);
  if(!out->id || !out->measures || !out->families) {
    return ST_NOMEM;
  }
  p = text;
  while(p && *p) {
    const char *eol = strchr(p, '\n');
    size_t len = eol ? (size_t)(eol - p) : strlen(p);
    struct str line = str_trim((struct str){ p, len });
    if(line.len) {
      char *m = arena_strndup(a, line.p, line.len);
      if(!m) {
        return ST_NOMEM;
      }
      out->measures[out->n_measures] = m;
      out->families[out->n_measures] = family;
      out->n_measures++;
    }
    p = eol ? eol + 1 : NULL;
  }
  return ST_OK;
}

enum status risk_cat_get(struct db *db, const char *id, enum lang lang,
                         struct arena *a, struct risk_cat *out)
{
  const struct riskcat_entry *e = riskcat_find(id);
  struct record rec;
  int64_t rid;
  if(e) {
    return from_shipped(e, lang, a, out);
  }
  rid = risk_type_id_parse(id);
  if(!rid) {
    return ST_NOTFOUND;
  }
  {
    enum status st = reg_store_get(db, &reg_risk_type, rid, a, &rec);
    if(st) {
      return st;
    }
  }
  return from_record(&rec, a, out);
}

enum status risk_cat_allowed(struct db *db, const char *id, struct arena *a)
{
  struct risk_cat c;
  enum status st = risk_cat_get(db, id, LANG_ZH, a, &c);
  if(st) {
    return st;
  }
  return c.is_archived ? ST_FORBIDDEN : ST_OK;
}

enum status risk_cat_list(struct db *db, unsigned asset_bit, enum lang lang,
                          struct arena *a, struct risk_cat **out,
                          size_t *n_ref, size_t *n_agency)
{
  const struct riskcat_entry *entries = riskcat_entries(n_ref);
  struct risk_cat *v;
  int64_t *ids;
  size_t n_ids = 0, k = 0, i;
  enum status st = risk_store_type_ids(db, a, &ids, &n_ids);
  size_t n_shipped = *n_ref;
  *out = NULL;
  *n_ref = 0;
  *n_agency = 0;
  if(st) {
    return st;
  }
  v = arena_alloc(a, sizeof(*v) * (n_shipped + n_ids + 1));
  if(!v) {
    return ST_NOMEM;
  }
  for(i = 0; i < n_shipped; i++) {
    if(asset_bit && !riskcat_applies(&entries[i], asset_bit)) {
      continue;
    }
    st = from_shipped(&entries[i], lang, a, &v[k]);
    if(st) {
      return st;
    }
    k++;
    (*n_ref)++;
  }
  for(i = 0; i < n_ids; i++) {
    struct record rec;
    st = reg_store_get(db, &reg_risk_type, ids[i], a, &rec);
    if(st == ST_NOTFOUND) {
      continue;
    }
    if(!st) {
      st = from_record(&rec, a, &v[k]);
    }
    if(st) {
      return st;
    }
    if(asset_bit && (v[k].asset_classes & asset_bit) != asset_bit) {
      continue;
    }
    k++;
    (*n_agency)++;
  }
  *out = v;
  return ST_OK;
}

/*
 * calendar_demo.c: the reference agency's compliance calendar in the demo
 * data (data/demo/reference-agency.json: "calendar_history"): the
 * occurrences generated as the scheduler would, then those due more than
 * a number of days ago closed as the pages would close them, each with
 * its evidence (a link to a demo record where one fits, else a small text
 * file kept by the evidence store), except the last past occurrence of
 * the duties left open on purpose so that `make run` shows an overdue
 * one.  Last year is generated too, for a year of history.  Relative to
 * today, so the demo looks the same whenever it is loaded.
 */
#include "calendar.h"
#include "calendar_store.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"
#include "db/db.h"
#include "features/evidence/evidence.h"
#include "rules/schedule.h"

#include <jansson.h>
#include <string.h>

/* 1 if v[i] is the last of the occurrences of its duty in v (ascending
 * by due date) and the duty is in the array keep. */
static int kept(json_t *keep, const struct occurrence *v, size_t n, size_t i)
{
  size_t j;
  json_t *x;
  for(j = i + 1; j < n; j++) {
    if(strcmp(v[j].duty, v[i].duty) == 0) {
      return 0;
    }
  }
  json_array_foreach(keep, j, x)
  {
    if(json_is_string(x) && strcmp(json_string_value(x), v[i].duty) == 0) {
      return 1;
    }
  }
  return 0;
}

/* Close o with its evidence: the link in links[o->duty] ("drill:3"), or
 * a text file. */
static enum status close_one(struct db *db, const struct occurrence *o,
                             json_t *links, const char *note,
                             const char *actor, struct arena *a)
{
  const char *link = json_string_value(json_object_get(links, o->duty));
  const char *reg = NULL, *at, *colon;
  int64_t link_id = 0, file = 0;
  int64_t t = time_taipei_instant(o->due, 10 * 3600) - 2 * 86400;
  enum status st = ST_OK;
  if(t > time_now()) {
    t = time_now();
  }
  at = time_utc_in(a, t);
  if(!at) {
    return ST_NOMEM;
  }
  colon = link ? strchr(link, ':') : NULL;
  if(colon) {
    reg = arena_strndup(a, link, (size_t)(colon - link));
    if(!reg || str_to_i64(str_c(colon + 1), 1, INT64_MAX, &link_id)) {
      return ST_INVALID;
    }
  }
  else {
    const char *text = arena_printf(
      a, "示範佐證（isms 示範資料）\n應辦事項：%s\n期限：%04d-%02d-%02d\n%s\n",
      o->name, o->due.year, o->due.month, o->due.day, note);
    const char *name = arena_printf(a, "%s-%04d%02d%02d.txt", o->duty,
                                    o->due.year, o->due.month, o->due.day);
    const char *mime = NULL;
    enum msg why;
    char hex[65];
    if(!text || !name) {
      return ST_NOMEM;
    }
    st = evidence_check(name, text, strlen(text), &mime, &why);
    if(!st) {
      st = evidence_add(db, name, mime, text, strlen(text), actor, &file, hex);
    }
  }
  return st ? st : calendar_close(db, o, note, file, reg, link_id, actor, at);
}

enum status calendar_load_demo(struct db *db, const char *json, size_t len,
                               const char *actor, struct buf *why)
{
  json_error_t jerr;
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr), *h;
  struct cal_gen g;
  struct cal_filter f;
  struct occurrence *v;
  struct arena a;
  const char *note;
  json_int_t days;
  size_t n = 0, i;
  int64_t until;
  enum status st;
  if(!root) {
    buf_appendf(why, "JSON error at line %d: %s", jerr.line, jerr.text);
    return ST_INVALID;
  }
  h = json_object_get(root, "calendar_history");
  note = json_string_value(json_object_get(h, "note"));
  days = json_integer_value(json_object_get(h, "done_until_days_ago"));
  if(!h || !note || days < 0) {
    json_decref(root);
    buf_appendf(why, "calendar_history: note and done_until_days_ago");
    return ST_INVALID;
  }
  /* This year's and next year's duties first (occurrence 1 is open,
   * for the documentation's examples), then last year's, so the demo
   * has a year of history. */
  st = calendar_generate(db, time_now(), actor, &g);
  if(!st) {
    st = calendar_generate(db, time_now() - 366 * 86400, actor, &g);
  }
  arena_init(&a, 1u << 22);
  memset(&f, 0, sizeof(f));
  until = time_now() - (int64_t)days * 86400;
  f.to = time_taipei_date(time_now() - 86400); /* every past one */
  f.status = "open";
  if(!st) {
    st = calendar_list(db, &f, LANG_ZH, &a, &v, &n);
  }
  if(!st && n) {
    st = db_begin(db);
    for(i = 0; !st && i < n; i++) {
      struct date cut = time_taipei_date(until);
      if(schedule_date_cmp(v[i].due, cut) <= 0 &&
         !kept(json_object_get(h, "keep_open"), v, n, i)) {
        st =
          close_one(db, &v[i], json_object_get(h, "links"), note, actor, &a);
      }
    }
    if(!st) {
      st = db_commit(db);
    }
    else {
      db_rollback(db);
    }
  }
  if(st) {
    buf_appendf(why, "calendar_history: %s", status_name(st));
  }
  arena_reset(&a);
  json_decref(root);
  return st;
}

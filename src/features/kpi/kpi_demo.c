/*
 * kpi_demo.c: the reference agency's social-engineering drill results
 * in the demo data (data/demo/reference-systems.json: "drill_results",
 * each naming its drill by title and holding the provider's file line
 * by line), read by the same parser as an upload and stored as an
 * import would store them, so that `make run` shows the drill's rates
 * and the dashboard's tiles.
 */
#include "kpi.h"
#include "kpi_store.h"
#include "core/arena.h"
#include "core/buf.h"
#include "features/drill/drill.h"
#include "registers/register_store.h"

#include <jansson.h>
#include <string.h>

/* One drill's results: the lines joined into a file, then imported. */
static enum status one(struct db *db, json_t *row, const char *actor,
                       struct arena *a, struct buf *why)
{
  const char *title = json_string_value(json_object_get(row, "drill"));
  const char *file = json_string_value(json_object_get(row, "file"));
  json_t *lines = json_object_get(row, "lines"), *line;
  struct kpi_phish_row *rows;
  struct kpi_phish rates;
  struct reg_errors errs;
  struct buf csv;
  size_t i, n;
  int64_t id;
  enum status st;

  if(!title || !file || !json_is_array(lines)) {
    return ST_INVALID;
  }
  st = reg_store_find_label(db, &reg_drill, title, &id);
  if(st) {
    buf_appendf(why, "no drill %s: ", title);
    return st;
  }
  buf_init(&csv, KPI_RESULTS_MAX_BYTES);
  json_array_foreach(lines, i, line)
  {
    buf_puts(&csv, json_is_string(line) ? json_string_value(line) : "");
    buf_puts(&csv, "\r\n");
  }
  reg_errors_init(&errs, a);
  st = csv.err ? csv.err :
                 kpi_results_parse((struct str){ csv.data, csv.len }, a, &rows,
                                   &n, &errs);
  if(st == ST_INVALID && errs.n) {
    buf_appendf(why, "line %zu: %s: ", errs.items[0].row,
                msg_get(LANG_EN, errs.items[0].msg));
  }
  if(!st) {
    st = kpi_phish_rates(rows, n, a, &rates);
  }
  if(!st) {
    st = kpi_store_replace(db, id, rows, n, rates.recipients, file,
                           (struct str){ csv.data, csv.len }, actor);
  }
  buf_free(&csv);
  return st;
}

enum status kpi_load_demo(struct db *db, const char *json, size_t len,
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
  json_array_foreach(json_object_get(root, "drill_results"), i, row)
  {
    st = one(db, row, actor, &a, why);
    if(st) {
      buf_appendf(why, "drill_results[%zu]: %s", i, status_name(st));
      break;
    }
    arena_reset(&a);
  }
  arena_reset(&a);
  json_decref(root);
  return st;
}

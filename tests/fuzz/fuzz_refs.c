/*
 * fuzz_refs.c: libFuzzer target for the values of a field of several
 * references (FT_REFS, registers/register.c): the input is the raw text
 * of system.business, as a CSV cell, a stored value or U+001F-separated
 * form items bring it, checked against a database of a few businesses
 * (some names holding separators, two sharing a name, one archived).
 * Depends on registers, db and core.
 *
 * For every input it validates a system with that business value and
 * abort()s when one of these does not hold:
 * - a value that passes is the stored form: decimal ids, strictly
 *   ascending, at most REG_REFS_MAX, each an active business;
 * - validating that stored form again gives it back unchanged;
 * - a value that fails has its errors on the field business only, and
 *   leaves the field empty.
 *
 * Build: the "fuzz" preset (tests/fuzz/CMakeLists.txt); the database
 * lives in a temporary directory removed at exit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "registers/register.h"
#include "registers/register_store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 4096

static struct db *db;
static char dir[64], path[128];
static int64_t active[16];
static size_t n_active;

static void cleanup(void)
{
  char p[160];
  db_close(db);
  unlink(path);
  snprintf(p, sizeof(p), "%s-wal", path);
  unlink(p);
  snprintf(p, sizeof(p), "%s-shm", path);
  unlink(p);
  rmdir(dir);
}

/* Create business name (archived when archive); its id. */
static int64_t business(const char *name, int archive)
{
  const struct reg *reg = reg_find("business");
  const char *in[16] = { 0 }, *v[16];
  struct reg_errors errs;
  struct arena a;
  int64_t id = 0;
  if(!reg || reg->n_fields > 16) {
    abort();
  }
  arena_init(&a, 1 << 16);
  in[reg_field_index(reg, reg_field(reg, "name"))] = name;
  in[reg_field_index(reg, reg_field(reg, "is_core"))] = "0";
  in[reg_field_index(reg, reg_field(reg, "mtd_kind"))] = "owner";
  reg_errors_init(&errs, &a);
  reg_validate(reg, db, in, v, &a, &errs);
  if(reg_errors_any(&errs) || reg_store_create(db, reg, v, "fuzz", &id) ||
     (archive && reg_store_set_archived(db, reg, id, 1, "fuzz"))) {
    abort();
  }
  if(!archive) {
    active[n_active++] = id;
  }
  arena_reset(&a);
  return id;
}

static void setup(void)
{
  struct buf why;
  snprintf(dir, sizeof(dir), "/tmp/isms-fuzz-refs-XXXXXX");
  if(!mkdtemp(dir)) {
    abort();
  }
  snprintf(path, sizeof(path), "%s/f.db", dir);
  buf_init(&why, 4096);
  if(db_open(path, DB_CREATE | DB_MIGRATE, &db, &why)) {
    abort();
  }
  buf_free(&why);
  atexit(cleanup);
  business("有線電視", 0);                         /* 1 */
  business("電影院及錄影帶業", 0);                 /* 2 */
  business("市政行銷、新聞發布、媒體連繫業務", 0); /* 3 */
  business("甲;乙", 0);                            /* 4 */
  business("差勤", 0);                             /* 5 */
  business("差勤", 0);                             /* 6 */
  business("舊業務", 1);                           /* 7 */
  business("12", 0);                               /* 8 */
}

static int is_active(int64_t id)
{
  size_t i;
  for(i = 0; i < n_active; i++) {
    if(active[i] == id) {
      return 1;
    }
  }
  return 0;
}

/* Validate a system whose business is raw; the stored value into *out
 * (NULL for none); the number of errors, all of them on business. */
static size_t check(const char *raw, const char **out, struct arena *a)
{
  const struct reg *reg = reg_find("system");
  const struct field *f = reg_field(reg, "business");
  const char **in = arena_alloc(a, sizeof(char *) * reg->n_fields);
  const char **v = arena_alloc(a, sizeof(char *) * reg->n_fields);
  struct reg_errors errs;
  size_t i;
  if(!in || !v) {
    abort();
  }
  memset(in, 0, sizeof(char *) * reg->n_fields);
  in[reg_field_index(reg, reg_field(reg, "name"))] = "系統";
  in[reg_field_index(reg, reg_field(reg, "sourcing"))] = "self";
  in[reg_field_index(reg, reg_field(reg, "environment"))] = "prod";
  in[reg_field_index(reg, f)] = raw;
  reg_errors_init(&errs, a);
  reg_validate(reg, db, in, v, a, &errs);
  if(errs.failed) {
    abort();
  }
  for(i = 0; i < errs.n; i++) {
    if(strcmp(errs.items[i].field, "business") != 0) {
      abort();
    }
  }
  *out = v[reg_field_index(reg, f)];
  if(errs.n && *out) {
    abort();
  }
  return errs.n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct arena a;
  char *raw;
  const char *out, *again;
  int64_t *ids;
  size_t n, i;

  if(!db) {
    setup();
  }
  if(size > MAX_INPUT || memchr(data, 0, size)) {
    return 0; /* form and CSV values hold no NUL */
  }
  arena_init(&a, 16u << 20);
  raw = arena_strndup(&a, (const char *)data, size);
  if(!raw) {
    abort();
  }
  if(check(raw, &out, &a) == 0 && out) {
    const char *p;
    for(p = out; *p; p++) {
      if(!(*p >= '0' && *p <= '9') && *p != ',') {
        abort();
      }
    }
    if(reg_refs_parse(out, &a, &ids, &n) || n == 0 || n > REG_REFS_MAX) {
      abort();
    }
    for(i = 0; i < n; i++) {
      if(!is_active(ids[i]) || (i && ids[i] <= ids[i - 1])) {
        abort();
      }
    }
    if(check(out, &again, &a) != 0 || !again || strcmp(again, out) != 0) {
      abort();
    }
  }
  arena_reset(&a);
  return 0;
}

/*
 * test_refs.c: the register engine's fields of several references
 * (FT_REFS), through system.business (issue 4: a system serves several
 * businesses): the stored form and its join table, history, list
 * filters, validation (unknown, archived, ambiguous, repeated, too many,
 * required), the separators of CSV text, CSV import and export, data
 * files, and the schema check of the join table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"
#include "registers/register.h"
#include "registers/register_io.h"
#include "registers/register_load.h"
#include "registers/register_store.h"

struct fixture {
  char dir[64];   /* temp directory */
  char path[128]; /* database in it */
  struct db *db;  /* open connection */
  struct arena a; /* per test */
  int64_t cable;  /* business 有線電視 */
  int64_t cinema; /* business 電影院及錄影帶業 */
  int64_t media; /* business 市政行銷、新聞發布、媒體連繫業務 */
  int64_t twin[2];            /* two businesses both called 差勤服務 */
  int64_t old;                /* an archived business, 舊業務 */
  const struct reg *system;   /* the system register */
  const struct reg *business; /* the business register */
};

/* Validate the NULL-terminated name/value pairs for reg into out (field
 * order); errors go to errs. */
static void validate(struct fixture *f, const struct reg *reg,
                     const char *const *pairs, const char **out,
                     struct reg_errors *errs)
{
  const char **in = arena_alloc(&f->a, sizeof(char *) * reg->n_fields);
  size_t i;
  assert_non_null(in);
  memset(in, 0, sizeof(char *) * reg->n_fields);
  for(i = 0; pairs[i]; i += 2) {
    const struct field *fl = reg_field(reg, pairs[i]);
    assert_non_null(fl);
    in[reg_field_index(reg, fl)] = pairs[i + 1];
  }
  reg_errors_init(errs, &f->a);
  reg_validate(reg, f->db, in, out, &f->a, errs);
}

/* Create a record of reg from valid name/value pairs; its id. */
static int64_t make(struct fixture *f, const struct reg *reg,
                    const char *const *pairs)
{
  const char **v = arena_alloc(&f->a, sizeof(char *) * reg->n_fields);
  struct reg_errors errs;
  int64_t id = 0;
  assert_non_null(v);
  validate(f, reg, pairs, v, &errs);
  if(errs.n) {
    print_error("%s: field %s: %s\n", reg->name, errs.items[0].field,
                msg_get(LANG_EN, errs.items[0].msg));
  }
  assert_int_equal(errs.n, 0);
  assert_int_equal(reg_store_create(f->db, reg, v, "test", &id), ST_OK);
  return id;
}

static int64_t make_business(struct fixture *f, const char *name)
{
  const char *pairs[] = { "name",     name,    "is_core", "否",
                          "mtd_kind", "owner", NULL };
  return make(f, f->business, pairs);
}

/* A system called name serving business (raw value); its id. */
static int64_t make_system(struct fixture *f, const char *name,
                           const char *business)
{
  const char *pairs[] = { "name",        name,       "business",
                          business,      "sourcing", "self",
                          "environment", "prod",     NULL };
  return make(f, f->system, pairs);
}

/* The business value of system id as stored. */
static const char *business_of(struct fixture *f, int64_t id)
{
  struct record rec;
  const struct field *fl = reg_field(f->system, "business");
  assert_int_equal(reg_store_get(f->db, f->system, id, &f->a, &rec), ST_OK);
  return rec.v[reg_field_index(f->system, fl)];
}

/* The join table's refs of system id, ascending, as "a,b". */
static const char *join_rows(struct fixture *f, int64_t id)
{
  sqlite3_stmt *st;
  char *out = arena_alloc(&f->a, 1024);
  size_t len = 0;
  assert_non_null(out);
  out[0] = 0;
  assert_int_equal(sqlite3_prepare_v2(db_handle(f->db),
                                      "SELECT ref FROM system_business "
                                      "WHERE rec = ? ORDER BY ref",
                                      -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_bind_int64(st, 1, id);
  while(sqlite3_step(st) == SQLITE_ROW) {
    len += (size_t)snprintf(out + len, 1024 - len, "%s%lld", len ? "," : "",
                            (long long)sqlite3_column_int64(st, 0));
  }
  sqlite3_finalize(st);
  return out;
}

static int setup(void **state)
{
  struct fixture *f = calloc(1, sizeof(*f));
  struct buf why;
  assert_non_null(f);
  snprintf(f->dir, sizeof(f->dir), "/tmp/isms-test-refs-XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
  buf_init(&why, 4096);
  assert_int_equal(db_open(f->path, DB_CREATE | DB_MIGRATE, &f->db, &why),
                   ST_OK);
  buf_free(&why);
  arena_init(&f->a, 64u << 20);
  f->system = reg_find("system");
  f->business = reg_find("business");
  assert_non_null(f->system);
  assert_non_null(f->business);
  f->cable = make_business(f, "有線電視");
  f->cinema = make_business(f, "電影院及錄影帶業");
  f->media = make_business(f, "市政行銷、新聞發布、媒體連繫業務");
  f->twin[0] = make_business(f, "差勤服務");
  f->twin[1] = make_business(f, "差勤服務");
  f->old = make_business(f, "舊業務");
  assert_int_equal(
    reg_store_set_archived(f->db, f->business, f->old, 1, "test"), ST_OK);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *f = *state;
  char p[160];
  arena_reset(&f->a);
  db_close(f->db);
  unlink(f->path);
  snprintf(p, sizeof(p), "%s-wal", f->path);
  unlink(p);
  snprintf(p, sizeof(p), "%s-shm", f->path);
  unlink(p);
  rmdir(f->dir);
  free(f);
  return 0;
}

/* Stored as ids ascending in the join table; read back; an update
 * replaces the rows in the same change and is one history entry. */
static void test_refs_round_trip(void **state)
{
  struct fixture *f = *state;
  const struct field *fl = reg_field(f->system, "business");
  char raw[64], want[64];
  const char **v;
  struct reg_errors errs;
  struct history_row *h;
  size_t n;
  int64_t id;
  const char *pairs[] = { "name", "影視平台",    "business", raw, "sourcing",
                          "self", "environment", "prod",     NULL };

  assert_non_null(fl);
  assert_int_equal(fl->type, FT_REFS);
  /* form items (REG_REFS_SEP after each), given in descending order */
  snprintf(raw, sizeof(raw), "%lld\x1f%lld\x1f", (long long)f->cinema,
           (long long)f->cable);
  id = make(f, f->system, pairs);
  snprintf(want, sizeof(want), "%lld,%lld", (long long)f->cable,
           (long long)f->cinema);
  assert_string_equal(business_of(f, id), want);
  assert_string_equal(join_rows(f, id), want);

  /* the update replaces the rows; one history entry, before and after */
  snprintf(raw, sizeof(raw), "%lld", (long long)f->media);
  v = arena_alloc(&f->a, sizeof(char *) * f->system->n_fields);
  validate(f, f->system, pairs, v, &errs);
  assert_int_equal(errs.n, 0);
  assert_int_equal(reg_store_update(f->db, f->system, id, 1, v, "test"),
                   ST_OK);
  assert_string_equal(business_of(f, id), raw);
  assert_string_equal(join_rows(f, id), raw);
  assert_int_equal(reg_store_history(f->db, f->system, id, &f->a, &h, &n),
                   ST_OK);
  assert_int_equal(n, 1);
  assert_string_equal(h[0].field, "business");
  assert_string_equal(h[0].before, want);
  assert_string_equal(h[0].after, raw);

  /* the same value again changes nothing: no version, no history */
  assert_int_equal(reg_store_update(f->db, f->system, id, 0, v, "test"),
                   ST_OK);
  assert_int_equal(reg_store_history(f->db, f->system, id, &f->a, &h, &n),
                   ST_OK);
  assert_int_equal(n, 1);

  /* none: NULL, and no row left */
  v[reg_field_index(f->system, fl)] = NULL;
  assert_int_equal(reg_store_update(f->db, f->system, id, 2, v, "test"),
                   ST_OK);
  assert_null(business_of(f, id));
  assert_string_equal(join_rows(f, id), "");
}

/* A page of records carries every record's value; a filter keeps the
 * records whose list holds the id. */
static void test_refs_list_and_filter(void **state)
{
  struct fixture *f = *state;
  char both[64], one[32], other[32];
  struct list_query q;
  struct record_page pg;
  size_t col = reg_field_index(f->system, reg_field(f->system, "business"));
  int64_t s1, s2, s3;

  snprintf(both, sizeof(both), "%lld,%lld", (long long)f->cable,
           (long long)f->cinema);
  snprintf(one, sizeof(one), "%lld", (long long)f->cinema);
  snprintf(other, sizeof(other), "%lld", (long long)f->media);
  s1 = make_system(f, "甲", both);
  s2 = make_system(f, "乙", one);
  s3 = make_system(f, "丙", NULL);
  make_system(f, "丁", other);

  memset(&q, 0, sizeof(q));
  q.page = 1;
  q.per_page = 50;
  assert_int_equal(reg_store_list(f->db, f->system, &q, &f->a, &pg), ST_OK);
  assert_int_equal(pg.total, 4);
  /* in name order (code points): 丁 丙 乙 甲 */
  assert_int_equal(pg.rows[1].id, s3);
  assert_null(pg.rows[1].v[col]);
  assert_int_equal(pg.rows[2].id, s2);
  assert_string_equal(pg.rows[2].v[col], one);
  assert_int_equal(pg.rows[3].id, s1);
  assert_string_equal(pg.rows[3].v[col], both);

  q.filter_field[0] = reg_field(f->system, "business");
  q.filter_value[0] = one; /* 電影院: 甲 and 乙 */
  q.n_filters = 1;
  assert_int_equal(reg_store_list(f->db, f->system, &q, &f->a, &pg), ST_OK);
  assert_int_equal(pg.total, 2);
  assert_int_equal(pg.rows[0].id, s2);
  assert_int_equal(pg.rows[1].id, s1);
  q.filter_value[0] = "999";
  assert_int_equal(reg_store_list(f->db, f->system, &q, &f->a, &pg), ST_OK);
  assert_int_equal(pg.total, 0);
}

/* Check one raw business value: the stored form (want, NULL for none)
 * or the error (msg, and detail when not NULL). */
static void check(struct fixture *f, const struct reg *reg, const char *raw,
                  const char *want, enum msg msg, const char *detail)
{
  const char **v = arena_alloc(&f->a, sizeof(char *) * reg->n_fields);
  const char *pairs[] = { "name", "測試",        "business", raw, "sourcing",
                          "self", "environment", "prod",     NULL };
  size_t col = reg_field_index(reg, reg_field(reg, "business"));
  struct reg_errors errs;
  validate(f, reg, pairs, v, &errs);
  if(msg == M_NONE) {
    if(errs.n) {
      print_error("%s: %s %s\n", raw, msg_get(LANG_EN, errs.items[0].msg),
                  errs.items[0].detail ? errs.items[0].detail : "");
    }
    assert_int_equal(errs.n, 0);
    if(want) {
      assert_string_equal(v[col], want);
    }
    else {
      assert_null(v[col]);
    }
    return;
  }
  if(errs.n != 1 || errs.items[0].msg != msg) {
    print_error("%s: %zu errors, the first %s\n", raw, errs.n,
                errs.n ? msg_get(LANG_EN, errs.items[0].msg) : "-");
  }
  assert_int_equal(errs.n, 1);
  assert_string_equal(errs.items[0].field, "business");
  assert_int_equal(errs.items[0].msg, msg);
  if(detail) {
    assert_non_null(errs.items[0].detail);
    assert_string_equal(errs.items[0].detail, detail);
  }
  assert_null(v[col]);
}

/* Ids and names, each separator, names holding separators, repeats;
 * unknown, archived and ambiguous items are errors naming the item. */
static void test_refs_validate(void **state)
{
  struct fixture *f = *state;
  const struct reg *s = f->system;
  char want[64], raw[128], twin[32], both[64];

  snprintf(want, sizeof(want), "%lld,%lld", (long long)f->cable,
           (long long)f->cinema);
  check(f, s, "有線電視;電影院及錄影帶業", want, M_NONE, NULL);
  check(f, s, "電影院及錄影帶業、有線電視", want, M_NONE, NULL);
  check(f, s, "有線電視，電影院及錄影帶業", want, M_NONE, NULL);
  check(f, s, " 有線電視 ； 電影院及錄影帶業 ", want, M_NONE, NULL);
  snprintf(raw, sizeof(raw), "%lld,%lld", (long long)f->cinema,
           (long long)f->cable);
  check(f, s, raw, want, M_NONE, NULL); /* the stored form, reordered */
  /* an id in full-width digits, and repeats counted once */
  assert_int_equal(f->cable, 1);
  check(f, s, "有線電視;電影院及錄影帶業、有線電視;１", want, M_NONE, NULL);
  /* a name that holds the separator 、, alone and between others */
  snprintf(want, sizeof(want), "%lld", (long long)f->media);
  check(f, s, "市政行銷、新聞發布、媒體連繫業務", want, M_NONE, NULL);
  snprintf(want, sizeof(want), "%lld,%lld", (long long)f->cable,
           (long long)f->media);
  check(f, s, "市政行銷、新聞發布、媒體連繫業務、有線電視", want, M_NONE,
        NULL);
  check(f, s, "有線電視;市政行銷、新聞發布、媒體連繫業務", want, M_NONE, NULL);
  /* exact items (form, JSON) are never split */
  check(f, s, "市政行銷、新聞發布、媒體連繫業務\x1f有線電視\x1f", want, M_NONE,
        NULL);
  check(f, s, "有線電視、電影院及錄影帶業\x1f", NULL, M_ERR_REFS_UNKNOWN,
        "有線電視、電影院及錄影帶業");
  /* nothing at all */
  check(f, s, "", NULL, M_NONE, NULL);
  check(f, s, " ;、 ", NULL, M_NONE, NULL);
  check(f, s, "\x1f", NULL, M_NONE, NULL);

  /* unknown names and ids, archived, ambiguous */
  check(f, s, "有線電視;有線電台", NULL, M_ERR_REFS_UNKNOWN, "有線電台");
  check(f, s, "999", NULL, M_ERR_REFS_UNKNOWN, "999");
  check(f, s, "0", NULL, M_ERR_REFS_UNKNOWN, "0");
  check(f, s, "舊業務", NULL, M_ERR_REFS_UNKNOWN, "舊業務"); /* by name:
                                                   active records only */
  snprintf(raw, sizeof(raw), "%lld", (long long)f->old);
  check(f, s, raw, NULL, M_ERR_REFS_ARCHIVED, raw);
  check(f, s, "差勤服務", NULL, M_ERR_REFS_AMBIGUOUS, "差勤服務");
  /* ... which its ids settle */
  snprintf(twin, sizeof(twin), "%lld、%lld", (long long)f->twin[1],
           (long long)f->twin[0]);
  snprintf(both, sizeof(both), "%lld,%lld", (long long)f->twin[0],
           (long long)f->twin[1]);
  check(f, s, twin, both, M_NONE, NULL);
}

/* REG_REFS_MAX records at most; FF_REQUIRED asks for one. */
static void test_refs_limits(void **state)
{
  struct fixture *f = *state;
  static const struct field required_fields[] = {
    { "name", FT_TEXT, M_F_SYS_NAME, M_NONE, FF_REQUIRED, 0, 200, NULL, NULL },
    { "business", FT_REFS, M_F_SYS_BUSINESS, M_NONE, FF_REQUIRED, 0, 0, NULL,
      "business" },
    { "sourcing", FT_TEXT, M_F_SYS_SOURCING, M_NONE, 0, 0, 200, NULL, NULL },
    { "environment", FT_TEXT, M_F_SYS_ENV, M_NONE, 0, 0, 200, NULL, NULL },
  };
  static const struct reg required = {
    "test_refs", M_R_SYSTEM, M_I_SYSTEM, M_S_SYSTEM, 7,    required_fields,
    4,           "name",     NULL,       NULL,       NULL, 0,
    NULL,        NULL,       NULL,
  };
  struct buf raw, want;
  char one[32];
  int i;

  check(f, &required, "", NULL, M_ERR_REQUIRED, NULL);
  check(f, &required, "；，", NULL, M_ERR_REQUIRED, NULL);
  snprintf(one, sizeof(one), "%lld", (long long)f->cable);
  check(f, &required, "有線電視", one, M_NONE, NULL);

  buf_init(&raw, 1 << 16);
  buf_init(&want, 1 << 16);
  for(i = 0; i < REG_REFS_MAX + 1; i++) {
    char name[32];
    int64_t id;
    snprintf(name, sizeof(name), "業務%02d", i);
    id = make_business(f, name);
    if(i < REG_REFS_MAX) {
      buf_appendf(&want, "%s%lld", i ? "," : "", (long long)id);
    }
    buf_appendf(&raw, "%s%s", i ? "、" : "", name);
    if(i == REG_REFS_MAX - 1) {
      check(f, f->system, raw.data, want.data, M_NONE, NULL);
    }
  }
  check(f, f->system, raw.data, NULL, M_ERR_REFS_TOO_MANY, NULL);
  buf_free(&raw);
  buf_free(&want);
}

/* CSV import: names with each separator; an unknown name is an error of
 * its line naming it, and nothing is written. */
static void test_refs_import(void **state)
{
  struct fixture *f = *state;
  static const char good[] =
    "name,business,sourcing,environment\n"
    "甲,有線電視;電影院及錄影帶業,self,prod\n"
    "乙,電影院及錄影帶業、市政行銷、新聞發布、媒體連繫業務,self,prod\n"
    "丙,\"有線電視，市政行銷、新聞發布、媒體連繫業務\",self,prod\n"
    "丁,,self,prod\n";
  static const char bad[] = "name,business,sourcing,environment\n"
                            "戊,有線電視,self,prod\n"
                            "己,有線電視、有線電台,self,prod\n";
  struct import_report rep;
  struct list_query q;
  struct record_page pg;
  size_t col = reg_field_index(f->system, reg_field(f->system, "business"));
  char w1[64], w2[64], w3[64];
  int64_t before;

  assert_int_equal(reg_import_csv(f->db, f->system,
                                  (struct str){ good, sizeof(good) - 1 },
                                  "test", &f->a, &rep),
                   ST_OK);
  assert_int_equal(rep.created, 4);
  snprintf(w1, sizeof(w1), "%lld,%lld", (long long)f->cable,
           (long long)f->cinema);
  snprintf(w2, sizeof(w2), "%lld,%lld", (long long)f->cinema,
           (long long)f->media);
  snprintf(w3, sizeof(w3), "%lld,%lld", (long long)f->cable,
           (long long)f->media);
  memset(&q, 0, sizeof(q));
  q.page = 1;
  q.per_page = 50;
  assert_int_equal(reg_store_list(f->db, f->system, &q, &f->a, &pg), ST_OK);
  assert_int_equal(pg.n, 4); /* 丁 丙 乙 甲 */
  assert_null(pg.rows[0].v[col]);
  assert_string_equal(pg.rows[1].v[col], w3);
  assert_string_equal(pg.rows[2].v[col], w2);
  assert_string_equal(pg.rows[3].v[col], w1);
  assert_string_equal(join_rows(f, pg.rows[3].id), w1);

  assert_int_equal(reg_store_count(f->db, f->system, &before), ST_OK);
  assert_int_equal(reg_import_csv(f->db, f->system,
                                  (struct str){ bad, sizeof(bad) - 1 }, "test",
                                  &f->a, &rep),
                   ST_INVALID);
  assert_int_equal(rep.errs.n, 1);
  assert_int_equal(rep.errs.items[0].row, 3);
  assert_string_equal(rep.errs.items[0].field, "business");
  assert_int_equal(rep.errs.items[0].msg, M_ERR_REFS_UNKNOWN);
  assert_string_equal(rep.errs.items[0].detail, "有線電台");
  assert_string_equal(reg_msg_detail(LANG_ZH, rep.errs.items[0].msg,
                                     rep.errs.items[0].detail, &f->a),
                      "找不到這個名稱或編號的資料：「有線電台」");
  {
    int64_t after;
    assert_int_equal(reg_store_count(f->db, f->system, &after), ST_OK);
    assert_int_equal(after, before);
  }
}

/* Export writes names joined by 、, ids where a name would not import
 * back as that record; the export imports back unchanged. */
static void test_refs_export(void **state)
{
  struct fixture *f = *state;
  char raw[128], line[256];
  struct buf out;
  struct list_query q;
  struct import_report rep;

  snprintf(raw, sizeof(raw), "%lld,%lld,%lld,%lld", (long long)f->cable,
           (long long)f->cinema, (long long)f->media, (long long)f->twin[1]);
  make_system(f, "甲", raw);
  make_system(f, "乙", NULL);
  memset(&q, 0, sizeof(q));
  buf_init(&out, 1 << 20);
  assert_int_equal(reg_export_csv(f->db, f->system, &q, LANG_ZH, &out), ST_OK);
  /* the media's name holds 、 and the twins share one: ids for them */
  snprintf(line, sizeof(line), ",甲,有線電視、電影院及錄影帶業、%lld、%lld,",
           (long long)f->media, (long long)f->twin[1]);
  if(!strstr(out.data, line)) {
    print_error("no %s in\n%s\n", line, out.data);
  }
  assert_non_null(strstr(out.data, line));
  assert_non_null(strstr(out.data, ",乙,,"));

  /* back in: every row has an id and nothing changes */
  assert_int_equal(reg_import_csv(f->db, f->system,
                                  (struct str){ out.data, out.len }, "test",
                                  &f->a, &rep),
                   ST_OK);
  assert_int_equal(rep.rows, 2);
  assert_int_equal(rep.created, 0);
  assert_int_equal(rep.updated, 0);
  buf_free(&out);
}

/* A data file gives several references as an array of names, ids and
 * {"ref": key} objects. */
static void test_refs_data_file(void **state)
{
  struct fixture *f = *state;
  static const char json[] =
    "{\"registers\": ["
    "{\"register\": \"business\", \"rows\": [{\"_key\": \"k\", \"name\": "
    "\"新業務\", \"is_core\": true, \"mtd_kind\": \"undefined\"}]},"
    "{\"register\": \"system\", \"rows\": [{\"name\": \"資料系統\", "
    "\"business\": [\"市政行銷、新聞發布、媒體連繫業務\", {\"ref\": \"k\"}, "
    "1], \"sourcing\": \"self\", \"environment\": \"test\"}]}]}";
  struct buf why;
  struct list_query q;
  struct record_page pg;
  char want[64];
  size_t col = reg_field_index(f->system, reg_field(f->system, "business"));

  buf_init(&why, 4096);
  assert_int_equal(reg_load_json(f->db, json, sizeof(json) - 1, "test", &why),
                   ST_OK);
  buf_free(&why);
  memset(&q, 0, sizeof(q));
  q.page = 1;
  q.per_page = 10;
  q.q = "資料系統";
  assert_int_equal(reg_store_list(f->db, f->system, &q, &f->a, &pg), ST_OK);
  assert_int_equal(pg.n, 1);
  /* 1 is 有線電視 (the first business), the new one comes last */
  snprintf(want, sizeof(want), "%lld,%lld,%lld", (long long)f->cable,
           (long long)f->media, (long long)f->old + 1);
  assert_string_equal(pg.rows[0].v[col], want);
}

/* The schema check knows the join table: without it, start-up stops. */
static void test_refs_schema(void **state)
{
  struct fixture *f = *state;
  struct buf why;
  buf_init(&why, 1 << 16);
  assert_int_equal(reg_check_schema(f->db, &why), ST_OK);
  {
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db_handle(f->db),
                                        "ALTER TABLE system_business "
                                        "RENAME TO x",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
  }
  assert_int_equal(reg_check_schema(f->db, &why), ST_CONFLICT);
  assert_non_null(strstr(why.data, "system_business"));
  buf_free(&why);
}

/* The parser of stored and form values. */
static void test_refs_parse(void **state)
{
  struct fixture *f = *state;
  int64_t *ids;
  size_t n;
  assert_int_equal(reg_refs_parse(NULL, &f->a, &ids, &n), ST_OK);
  assert_int_equal(n, 0);
  assert_int_equal(reg_refs_parse("", &f->a, &ids, &n), ST_OK);
  assert_int_equal(n, 0);
  assert_int_equal(reg_refs_parse("3,7,12", &f->a, &ids, &n), ST_OK);
  assert_int_equal(n, 3);
  assert_int_equal(ids[0], 3);
  assert_int_equal(ids[2], 12);
  assert_int_equal(reg_refs_parse("9\x1f"
                                  "x\x1f"
                                  "0\x1f"
                                  "4\x1f",
                                  &f->a, &ids, &n),
                   ST_OK);
  assert_int_equal(n, 2);
  assert_int_equal(ids[0], 9);
  assert_int_equal(ids[1], 4);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_refs_round_trip, setup, teardown),
    cmocka_unit_test_setup_teardown(test_refs_list_and_filter, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_refs_validate, setup, teardown),
    cmocka_unit_test_setup_teardown(test_refs_limits, setup, teardown),
    cmocka_unit_test_setup_teardown(test_refs_import, setup, teardown),
    cmocka_unit_test_setup_teardown(test_refs_export, setup, teardown),
    cmocka_unit_test_setup_teardown(test_refs_data_file, setup, teardown),
    cmocka_unit_test_setup_teardown(test_refs_schema, setup, teardown),
    cmocka_unit_test_setup_teardown(test_refs_parse, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

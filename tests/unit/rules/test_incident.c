/*
 * test_incident.c: unit tests for rules/incident.c against the digest
 * /work/shared/reference/regulations.md §4.1-§4.3 (issue 5).  The
 * expected levels below were written by hand from the §4.1 matrix (and
 * its list of 110 differences), cell by cell, not computed with the
 * loader.  Also: the highest level when several rows match and the row
 * that decides, the rule set at the boundary dates, the clocks (month
 * ends under 行政程序法 §48, leap years, awareness just before midnight,
 * 36 h against 72 h), the time-left formatter, the ROC display of a due
 * date, thread-safe first load and the error messages for broken data.
 * Depends on cmocka, rules/incident, core/buf, core/embed, core/str,
 * core/time and core/utf8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/embed.h"
#include "core/str.h"
#include "core/time.h"
#include "core/utf8.h"
#include "rules/incident.h"

#define N_THREADS 8

/* Thread body: load concurrently and report the set count. */
static void *load_in_thread(void *arg)
{
  size_t n = 0;
  const struct incident_rules *sets = incident_rules_all(&n);

  *(size_t *)arg = sets ? n : 0;
  return NULL;
}

/* Runs first: the first load happens in N_THREADS threads at once. */
static void test_concurrent_first_load(void **state)
{
  pthread_t t[N_THREADS];
  size_t got[N_THREADS];
  size_t i;

  (void)state;
  for(i = 0; i < N_THREADS; i++) {
    got[i] = 0;
    assert_int_equal(pthread_create(&t[i], NULL, load_in_thread, &got[i]), 0);
  }
  for(i = 0; i < N_THREADS; i++) {
    assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(got[i], 2);
  }
}

/* Non-empty, valid UTF-8, no control characters. */
static void check_text(const char *s)
{
  assert_non_null(s);
  assert_true(s[0] != 0);
  assert_true(utf8_valid(str_c(s), NULL));
  assert_false(utf8_has_control(str_c(s), 0));
}

/* An instant from its UTC storage form. */
static int64_t utc(const char *s)
{
  int64_t t = 0;

  assert_int_equal(time_parse_utc(str_c(s), &t), ST_OK);
  return t;
}

/* The instant Taipei clocks show "YYYY-MM-DD" at hh:mm:ss. */
static int64_t taipei(const char *date, int hh, int mm, int ss)
{
  struct date d;

  assert_int_equal(time_parse_date(str_c(date), &d), ST_OK);
  return time_taipei_instant(d, hh * 3600 + mm * 60 + ss);
}

static void test_sets(void **state)
{
  static const char *const fields[] = {
    "發生機關",     "發生或知悉時間",       "狀況之描述",
    "等級之評估",   "因應事件所採取之措施", "外部支援需求評估",
    "其他相關事項",
  };
  static const char *const items[] = {
    "事件發生或知悉其發生、完成損害控制或復原作業之時間",
    "事件影響之範圍及損害評估",
    "損害控制及復原作業之歷程",
    "事件調查及處理作業之歷程",
    "事件根因分析",
    "為防範類似事件再次發生所採取之管理、技術、人力或資源等層面之措施",
    "前款措施之預定完成時程及成效追蹤機制",
  };
  const struct incident_rules *s110 = incident_rules_find("110");
  const struct incident_rules *s115 = incident_rules_find("115");
  const struct incident_rules *all;
  size_t n, i, k;
  int lv;

  (void)state;
  all = incident_rules_all(&n);
  assert_int_equal(n, 2);
  assert_ptr_equal(&all[0], s110);
  assert_ptr_equal(&all[1], s115);
  assert_null(incident_rules_find("108"));
  assert_null(incident_rules_find(NULL));
  assert_string_equal(s110->effective, "2021-08-23");
  assert_string_equal(s110->until, "2026-01-04");
  assert_string_equal(s115->effective, "2026-01-05");
  assert_null(s115->until);
  assert_non_null(strstr(s110->title, "資通安全事件通報及應變辦法"));
  assert_non_null(strstr(s115->title, "資通安全事件通報應變及演練辦法"));
  for(i = 0; i < n; i++) {
    const struct incident_rules *s = &all[i];
    check_text(s->title);
    check_text(s->title_en);
    check_text(s->source);
    check_text(s->daily_work);
    check_text(s->daily_work_en);
    /* §4.3: notify 1 h; contain 72 h (1-2) / 36 h (3-4); report 1
     * month; the superior's review 8 h (1-2) / 2 h (3-4); 重大 = 3-4. */
    assert_int_equal(s->notify_hours, 1);
    assert_int_equal(s->report_months, 1);
    for(lv = 1; lv <= INCIDENT_LEVEL_MAX; lv++) {
      assert_int_equal(s->levels[lv].level, lv);
      assert_int_equal(s->levels[lv].contain_hours, lv <= 2 ? 72 : 36);
      assert_int_equal(s->levels[lv].review_hours, lv <= 2 ? 8 : 2);
      assert_int_equal(incident_is_major(s, lv), lv >= 3);
      check_text(s->levels[lv].name);
      check_text(s->levels[lv].name_en);
    }
    assert_string_equal(s->levels[3].name, "第三級");
    assert_false(incident_is_major(s, 0));
    assert_false(incident_is_major(s, 5));
    /* §4.2: the seven fields of a notification, in order. */
    assert_int_equal(s->n_fields, 7);
    for(k = 0; k < s->n_fields; k++) {
      assert_string_equal(s->fields[k].name, fields[k]);
      assert_int_equal(s->fields[k].code, (int)k);
      check_text(s->fields[k].id);
      check_text(s->fields[k].name_en);
    }
    assert_string_equal(s->fields_source, "第3條");
    /* The seven items of the report (施行細則 115 §12; 110 §8). */
    assert_int_equal(s->n_items, 7);
    for(k = 0; k < s->n_items; k++) {
      assert_string_equal(s->items[k].name, items[k]);
      check_text(s->items[k].id);
      check_text(s->items[k].name_en);
    }
    check_text(s->items_source);
    check_text(s->items_source_en);
    /* Every clock says what it is and where the law says so. */
    check_text(s->notify.name);
    check_text(s->notify.text_en);
    check_text(s->contain.article);
    check_text(s->report.text);
    check_text(s->review.article_en);
    assert_int_equal(s->n_impacts, IM_COUNT);
    for(k = 0; k < s->n_impacts; k++) {
      assert_int_equal(s->impacts[k].code, (int)k);
      check_text(s->impacts[k].name);
      check_text(s->impacts[k].name_en);
    }
    /* Twenty alternatives of §2 in both versions. */
    assert_int_equal(s->n_rows, 20);
    for(k = 0; k < s->n_rows; k++) {
      const struct incident_row *r = &s->rows[k];
      check_text(r->text);
      check_text(r->text_en);
      check_text(r->article);
      check_text(r->article_en);
      assert_ptr_equal(r->set, s);
      assert_ptr_equal(incident_row_find(r->id), r);
      assert_true(strncmp(r->article, "第2條", strlen("第2條")) == 0);
    }
  }
  assert_string_equal(s110->notify.article, "第4條第1項");
  assert_string_equal(s115->notify.article, "第6條第1項");
  assert_null(incident_row_find("115-5-leak"));
  assert_null(incident_row_find(NULL));
  /* 敏感資訊 is a kind of 110 only. */
  assert_int_equal(s110->n_kinds, 6);
  assert_int_equal(s115->n_kinds, 5);
  assert_string_equal(incident_kind_term(s110, IK_SENSITIVE)->name,
                      "敏感資訊");
  assert_null(incident_kind_term(s115, IK_SENSITIVE));
  assert_string_equal(incident_kind_term(s115, IK_STATE_SECRET)->name,
                      "國家機密");
  assert_string_equal(incident_kind_term(s115, IK_CLASSIFIED)->name,
                      "一般公務機密");
  assert_null(incident_kind_term(s115, IK_COUNT));
  assert_null(incident_impact_term(s115, -1));
  assert_string_equal(incident_impact_term(s110, IM_LEAK_SERIOUS)->id,
                      "leak_serious");
}

static void test_parse_ids(void **state)
{
  (void)state;
  assert_int_equal(incident_kind_parse("noncore"), IK_NONCORE);
  assert_int_equal(incident_kind_parse("core_ci"), IK_CORE_CI);
  assert_int_equal(incident_kind_parse("state_secret"), IK_STATE_SECRET);
  assert_int_equal(incident_kind_parse("Core"), -1);
  assert_int_equal(incident_kind_parse(""), -1);
  assert_int_equal(incident_kind_parse(NULL), -1);
  assert_int_equal(incident_impact_parse("down_beyond_mtd"), IM_DOWN_BEYOND);
  assert_int_equal(incident_impact_parse("tamper_minor"), IM_TAMPER_MINOR);
  assert_int_equal(incident_impact_parse("leak"), -1);
}

/*
 * Every cell of the §4.1 matrix, by hand: kind, impact, the level when
 * daily work is not affected and when it is, and the row that decides
 * (without the set's prefix; NULL for an empty cell).  The only cell
 * that depends on daily work is 非核心 restored within the downtime.
 */
struct cell {
  int kind, impact;
  int level, level_daily; /* 0: no level */
  const char *row;        /* "1-leak-noncore" */
};

static const struct cell cells[] = {
  { IK_NONCORE, IM_LEAK_MINOR, 1, 1, "1-leak-noncore" },
  { IK_NONCORE, IM_LEAK_SERIOUS, 2, 2, "2-leak-noncore" },
  { IK_NONCORE, IM_TAMPER_MINOR, 1, 1, "1-tamper-noncore" },
  { IK_NONCORE, IM_TAMPER_SERIOUS, 2, 2, "2-tamper-noncore" },
  { IK_NONCORE, IM_DOWN_WITHIN, 0, 1, "1-down-noncore" },
  { IK_NONCORE, IM_DOWN_BEYOND, 2, 2, "2-down-noncore" },
  { IK_CORE, IM_LEAK_MINOR, 2, 2, "2-leak-core" },
  { IK_CORE, IM_LEAK_SERIOUS, 3, 3, "3-leak-core" },
  { IK_CORE, IM_TAMPER_MINOR, 2, 2, "2-tamper-core" },
  { IK_CORE, IM_TAMPER_SERIOUS, 3, 3, "3-tamper-core" },
  { IK_CORE, IM_DOWN_WITHIN, 2, 2, "2-down-core" },
  { IK_CORE, IM_DOWN_BEYOND, 3, 3, "3-down-core" },
  { IK_CORE_CI, IM_LEAK_MINOR, 3, 3, "3-leak-ci" },
  { IK_CORE_CI, IM_LEAK_SERIOUS, 4, 4, "4-leak-ci" },
  { IK_CORE_CI, IM_TAMPER_MINOR, 3, 3, "3-tamper-ci" },
  { IK_CORE_CI, IM_TAMPER_SERIOUS, 4, 4, "4-tamper-ci" },
  { IK_CORE_CI, IM_DOWN_WITHIN, 3, 3, "3-down-ci" },
  { IK_CORE_CI, IM_DOWN_BEYOND, 4, 4, "4-down-ci" },
  { IK_CLASSIFIED, IM_LEAK_MINOR, 3, 3, "3-leak-ci" },
  { IK_CLASSIFIED, IM_LEAK_SERIOUS, 4, 4, "4-leak-ci" },
  { IK_CLASSIFIED, IM_TAMPER_MINOR, 3, 3, "3-tamper-ci" },
  { IK_CLASSIFIED, IM_TAMPER_SERIOUS, 4, 4, "4-tamper-ci" },
  { IK_CLASSIFIED, IM_DOWN_WITHIN, 0, 0, NULL },
  { IK_CLASSIFIED, IM_DOWN_BEYOND, 0, 0, NULL },
  { IK_STATE_SECRET, IM_LEAK_MINOR, 4, 4, "4-leak-secret" },
  { IK_STATE_SECRET, IM_LEAK_SERIOUS, 4, 4, "4-leak-secret" },
  { IK_STATE_SECRET, IM_TAMPER_MINOR, 4, 4, "4-tamper-secret" },
  { IK_STATE_SECRET, IM_TAMPER_SERIOUS, 4, 4, "4-tamper-secret" },
  { IK_STATE_SECRET, IM_DOWN_WITHIN, 0, 0, NULL },
  { IK_STATE_SECRET, IM_DOWN_BEYOND, 0, 0, NULL },
  /* 110 only: 敏感資訊 sits with 一般公務機密 at levels 3 and 4. */
  { IK_SENSITIVE, IM_LEAK_MINOR, 3, 3, "3-leak-ci" },
  { IK_SENSITIVE, IM_LEAK_SERIOUS, 4, 4, "4-leak-ci" },
  { IK_SENSITIVE, IM_TAMPER_MINOR, 3, 3, "3-tamper-ci" },
  { IK_SENSITIVE, IM_TAMPER_SERIOUS, 4, 4, "4-tamper-ci" },
  { IK_SENSITIVE, IM_DOWN_WITHIN, 0, 0, NULL },
  { IK_SENSITIVE, IM_DOWN_BEYOND, 0, 0, NULL },
};

/* Check one cell under set s with daily work affected or not; marks the
 * deciding row in used (indexed like s->rows). */
static void check_cell(const struct incident_rules *s, const struct cell *c,
                       int is_daily, int *used)
{
  struct incident_facts f;
  const struct incident_row *row = (const struct incident_row *)&f;
  int want = is_daily ? c->level_daily : c->level;
  int level = -1;
  char id[32];

  incident_facts_init(&f);
  incident_facts_add(&f, c->kind, c->impact);
  f.is_daily_work_affected = is_daily;
  assert_int_equal(incident_level(s, &f, &level, &row), ST_OK);
  if(level != want) {
    fail_msg("set %s kind %d impact %d daily %d: level %d, want %d", s->name,
             c->kind, c->impact, is_daily, level, want);
  }
  if(!want) {
    assert_null(row);
    assert_int_equal(incident_matches(s, &f, NULL, 0), 0);
    return;
  }
  assert_non_null(row);
  snprintf(id, sizeof(id), "%s-%s", s->name, c->row);
  if(strcmp(row->id, id) != 0) {
    fail_msg("set %s kind %d impact %d: row %s, want %s", s->name, c->kind,
             c->impact, row->id, id);
  }
  assert_int_equal(row->level, want);
  used[row - s->rows] = 1;
}

static void test_matrix_every_cell(void **state)
{
  static const char *const names[] = { "110", "115" };
  size_t i, k, n_cells = 0;
  int d;

  (void)state;
  for(i = 0; i < 2; i++) {
    const struct incident_rules *s = incident_rules_find(names[i]);
    int used[32] = { 0 };
    assert_true(s->n_rows <= 32);
    for(k = 0; k < sizeof(cells) / sizeof(cells[0]); k++) {
      if(cells[k].kind == IK_SENSITIVE && !strcmp(s->name, "115")) {
        continue;
      }
      for(d = 0; d <= 1; d++) {
        check_cell(s, &cells[k], d, used);
      }
      n_cells++;
    }
    /* Every row of the data decides some cell: no dead or shadowed row. */
    for(k = 0; k < s->n_rows; k++) {
      if(!used[k]) {
        fail_msg("row %s decides no cell", s->rows[k].id);
      }
    }
  }
  /* 6 kinds x 6 impacts for 110, 5 x 6 for 115. */
  assert_int_equal(n_cells, 36 + 30);
}

/* 敏感資訊 was dropped in 115: such facts are refused, not levelled 0. */
static void test_kind_not_in_set(void **state)
{
  const struct incident_rules *s115 = incident_rules_find("115");
  const struct incident_row *row = (const struct incident_row *)s115;
  struct incident_facts f;
  int level = -1;

  (void)state;
  incident_facts_init(&f);
  incident_facts_add(&f, IK_SENSITIVE, IM_LEAK_SERIOUS);
  incident_facts_add(&f, IK_CORE, IM_LEAK_MINOR);
  assert_int_equal(incident_level(s115, &f, &level, &row), ST_INVALID);
  assert_int_equal(level, 0);
  assert_null(row);
  assert_int_equal(incident_matches(s115, &f, NULL, 0), 0);
  /* Bits outside enum incident_impact are refused too. */
  incident_facts_init(&f);
  f.impacts[IK_CORE] = 1u << IM_COUNT;
  assert_int_equal(incident_level(s115, &f, &level, NULL), ST_INVALID);
  /* incident_facts_add() ignores values out of range. */
  incident_facts_init(&f);
  incident_facts_add(&f, IK_COUNT, IM_LEAK_MINOR);
  incident_facts_add(&f, -1, IM_LEAK_MINOR);
  incident_facts_add(&f, IK_CORE, IM_COUNT);
  incident_facts_add(&f, IK_CORE, -1);
  assert_int_equal(incident_level(s115, &f, &level, NULL), ST_OK);
  assert_int_equal(level, 0);
  /* No facts at all: no level. */
  assert_int_equal(incident_level(s115, &f, &level, &row), ST_OK);
  assert_int_equal(level, 0);
  assert_null(row);
}

/* Several facts at once: the highest level wins; among rows of that
 * level the first in file order decides. */
static void test_highest_and_ties(void **state)
{
  static const struct {
    const char *set;
    int kind[3], impact[3]; /* up to three facts; kind -1 ends */
    int is_daily;
    int level;
    const char *row;   /* deciding row */
    size_t n_matches;  /* rows that match */
    const char *first; /* the first matching row in file order */
  } cases[] = {
    /* leak serious AND disruption of a core system */
    { "115",
      { IK_CORE, IK_CORE, -1 },
      { IM_LEAK_SERIOUS, IM_DOWN_WITHIN, 0 },
      0,
      3,
      "115-3-leak-core",
      2,
      "115-2-down-core" },
    /* a defaced non-core website that was also down for days */
    { "115",
      { IK_NONCORE, IK_NONCORE, -1 },
      { IM_TAMPER_MINOR, IM_DOWN_BEYOND, 0 },
      0,
      2,
      "115-2-down-noncore",
      2,
      "115-1-tamper-noncore" },
    /* ties at level 3: 3-leak-core comes before 3-leak-ci in the file */
    { "115",
      { IK_CORE_CI, IK_CORE, -1 },
      { IM_LEAK_MINOR, IM_LEAK_SERIOUS, 0 },
      0,
      3,
      "115-3-leak-core",
      2,
      "115-3-leak-core" },
    /* ties at level 3 given in the other order: same row decides */
    { "115",
      { IK_CORE, IK_CLASSIFIED, -1 },
      { IM_DOWN_BEYOND, IM_TAMPER_MINOR, 0 },
      0,
      3,
      "115-3-tamper-ci",
      2,
      "115-3-tamper-ci" },
    /* a low fact does not lower a high one */
    { "115",
      { IK_NONCORE, IK_CORE_CI, IK_NONCORE },
      { IM_LEAK_MINOR, IM_DOWN_BEYOND, IM_DOWN_WITHIN },
      1,
      4,
      "115-4-down-ci",
      3,
      "115-1-leak-noncore" },
    /* one fact matching two rows of one level: one kind, both leaks */
    { "110",
      { IK_STATE_SECRET, IK_STATE_SECRET, IK_SENSITIVE },
      { IM_LEAK_MINOR, IM_LEAK_SERIOUS, IM_TAMPER_MINOR },
      0,
      4,
      "110-4-leak-secret",
      2,
      "110-3-tamper-ci" },
    /* disruption of secrets adds nothing */
    { "110",
      { IK_SENSITIVE, IK_CLASSIFIED, IK_NONCORE },
      { IM_DOWN_BEYOND, IM_DOWN_BEYOND, IM_LEAK_MINOR },
      0,
      1,
      "110-1-leak-noncore",
      1,
      "110-1-leak-noncore" },
  };
  size_t i, j;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const struct incident_rules *s = incident_rules_find(cases[i].set);
    const struct incident_row *row = NULL, *all[32];
    struct incident_facts f;
    int level = 0;
    size_t n;

    incident_facts_init(&f);
    for(j = 0; j < 3 && cases[i].kind[j] >= 0; j++) {
      incident_facts_add(&f, cases[i].kind[j], cases[i].impact[j]);
    }
    f.is_daily_work_affected = cases[i].is_daily;
    assert_int_equal(incident_level(s, &f, &level, &row), ST_OK);
    assert_int_equal(level, cases[i].level);
    if(strcmp(row->id, cases[i].row) != 0) {
      fail_msg("case %zu: row %s, want %s", i, row->id, cases[i].row);
    }
    n = incident_matches(s, &f, all, 32);
    assert_int_equal(n, cases[i].n_matches);
    assert_string_equal(all[0]->id, cases[i].first);
    for(j = 1; j < n; j++) {
      assert_true(all[j - 1] < all[j]); /* file order */
      assert_true(all[j]->level <= level);
    }
    /* A short array gets the first ones; the count stays the same. */
    all[0] = NULL;
    assert_int_equal(incident_matches(s, &f, all, 1), cases[i].n_matches);
    assert_string_equal(all[0]->id, cases[i].first);
    /* row may be NULL. */
    assert_int_equal(incident_level(s, &f, &level, NULL), ST_OK);
    assert_int_equal(level, cases[i].level);
  }
}

/* The 110 wording differs as §4.1 says: business-based availability,
 * 敏感資訊 with 一般公務機密. */
static void test_110_differences(void **state)
{
  const struct incident_row *r;
  size_t n, i, k;
  const struct incident_rules *all = incident_rules_all(&n);

  (void)state;
  r = incident_row_find("110-1-down-noncore");
  assert_non_null(strstr(r->text, "非核心業務之運作"));
  assert_non_null(strstr(r->text, "造成機關日常作業影響"));
  assert_true(r->needs_daily_work);
  r = incident_row_find("115-1-down-noncore");
  assert_non_null(strstr(r->text, "非核心資通系統之運作"));
  assert_true(r->needs_daily_work);
  assert_non_null(strstr(incident_row_find("110-3-down-core")->text,
                         "核心業務或核心資通系統之運作"));
  assert_null(strstr(incident_row_find("115-3-down-core")->text, "核心業務"));
  assert_non_null(
    strstr(incident_row_find("110-4-leak-ci")->text, "敏感資訊"));
  assert_true(incident_row_find("110-4-leak-ci")->kinds & 1u << IK_SENSITIVE);
  for(i = 0; i < n; i++) {
    for(k = 0; k < all[i].n_rows; k++) {
      const struct incident_row *row = &all[i].rows[k];
      int is_115 = !strcmp(all[i].name, "115");
      if(is_115) {
        assert_null(strstr(row->text, "敏感資訊"));
      }
      /* Only one row needs the daily-work fact. */
      assert_int_equal(row->needs_daily_work,
                       strstr(row->id, "-1-down-noncore") != NULL);
    }
  }
}

/* The set in force on the Asia/Taipei date of awareness. */
static void test_rules_at(void **state)
{
  static const struct {
    const char *utc;
    const char *set; /* NULL: none */
  } cases[] = {
    { "2026-01-04T15:59:00Z", "110" }, /* 2026-01-04 23:59 Taipei */
    { "2026-01-04T15:59:59Z", "110" }, /* 23:59:59 */
    { "2026-01-04T16:00:00Z", "115" }, /* 2026-01-05 00:00 Taipei */
    { "2026-01-05T00:00:00Z", "115" }, /* 08:00 Taipei */
    { "2021-08-22T15:59:59Z", NULL },  /* 2021-08-22 23:59:59 Taipei */
    { "2021-08-22T16:00:00Z", "110" }, /* 2021-08-23 00:00 Taipei */
    { "2024-06-01T04:00:00Z", "110" }, { "2099-12-31T12:00:00Z", "115" },
    { "1970-01-01T00:00:00Z", NULL },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const struct incident_rules *s = incident_rules_at(utc(cases[i].utc));
    if(!cases[i].set) {
      assert_null(s);
      continue;
    }
    assert_non_null(s);
    if(strcmp(s->name, cases[i].set) != 0) {
      fail_msg("%s: set %s, want %s", cases[i].utc, s->name, cases[i].set);
    }
  }
  /* Written with the Taipei helper too. */
  assert_string_equal(incident_rules_at(taipei("2026-01-04", 23, 59, 0))->name,
                      "110");
  assert_string_equal(incident_rules_at(taipei("2026-01-05", 0, 0, 0))->name,
                      "115");
}

/* The report's month under 行政程序法 §48 from the Taipei date of
 * recovery, due at 23:59:59 Taipei. */
static void test_report_due(void **state)
{
  static const struct {
    const char *recovered; /* Taipei date, recovery at 10:00 */
    const char *due;       /* Taipei date */
  } cases[] = {
    { "2026-03-31", "2026-04-30" }, /* the example */
    { "2026-01-30", "2026-02-28" }, /* the issue's: end of February */
    { "2026-01-15", "2026-02-15" },
    { "2026-01-31", "2026-02-28" },
    { "2026-05-31", "2026-06-30" },
    { "2026-08-31", "2026-09-30" },
    { "2026-12-31", "2027-01-31" }, /* into the next year */
    { "2026-12-15", "2027-01-15" },
    { "2026-04-30", "2026-05-31" }, /* last day: whole months */
    { "2026-06-30", "2026-07-31" },
    { "2026-02-28", "2026-03-31" },
    { "2026-01-01", "2026-02-01" },
    { "2028-01-30", "2028-02-29" }, /* leap year */
    { "2028-01-31", "2028-02-29" },
    { "2028-01-28", "2028-02-28" }, /* 2/29 exists: the day before it */
    { "2028-02-28", "2028-03-28" },
    { "2028-02-29", "2028-03-31" },
    { "2027-01-29", "2027-02-28" }, /* common year */
    { "2027-01-28", "2027-02-28" },
    { "2027-01-27", "2027-02-27" },
    { "2100-01-30", "2100-02-28" }, /* not a leap year */
    { "2000-01-30", "2000-02-29" }, /* a leap year */
  };
  const struct incident_rules *s = incident_rules_find("115");
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct incident_deadlines dl;
    struct date want;
    int64_t recovered = taipei(cases[i].recovered, 10, 0, 0);
    assert_int_equal(time_parse_date(str_c(cases[i].due), &want), ST_OK);
    assert_int_equal(
      incident_deadlines(s, 2, recovered - 3 * 86400, recovered, &dl), ST_OK);
    assert_true(dl.has_report_due);
    if(dl.report_date.year != want.year ||
       dl.report_date.month != want.month || dl.report_date.day != want.day) {
      fail_msg("recovered %s: due %d-%d-%d, want %s", cases[i].recovered,
               dl.report_date.year, dl.report_date.month, dl.report_date.day,
               cases[i].due);
    }
    assert_true(dl.report_due == taipei(cases[i].due, 23, 59, 59));
  }
}

/* The recovery's date is the Taipei date: 3/31 23:30 Taipei is 15:30 UTC
 * the same day; 4/1 00:30 Taipei is 3/31 16:30 UTC. */
static void test_report_due_taipei_date(void **state)
{
  const struct incident_rules *s = incident_rules_find("115");
  struct incident_deadlines dl;
  int64_t aware = utc("2026-03-30T02:00:00Z");

  (void)state;
  assert_int_equal(
    incident_deadlines(s, 1, aware, utc("2026-03-31T15:30:00Z"), &dl), ST_OK);
  assert_true(dl.report_due == utc("2026-04-30T15:59:59Z"));
  assert_int_equal(
    incident_deadlines(s, 1, aware, utc("2026-03-31T16:30:00Z"), &dl), ST_OK);
  assert_true(dl.report_due == utc("2026-05-01T15:59:59Z"));
  /* Saturday 2026-02-28 is kept: no shift for weekends (§48 IV). */
  assert_int_equal(incident_deadlines(s, 1, aware - 86400 * 60,
                                      taipei("2026-01-30", 18, 0, 0), &dl),
                   ST_OK);
  assert_int_equal(dl.report_date.day, 28);
  assert_int_equal(dl.report_date.month, 2);
}

/* Notification one hour after awareness, across Taipei midnight. */
static void test_notify_before_midnight(void **state)
{
  const struct incident_rules *s = incident_rules_find("115");
  struct incident_deadlines dl;
  int64_t aware = taipei("2026-03-10", 23, 30, 0);
  struct date d;
  struct buf b;

  (void)state;
  assert_int_equal(incident_deadlines(s, 1, aware, 0, &dl), ST_OK);
  assert_true(dl.notify_due == aware + 3600);
  assert_true(dl.notify_due == utc("2026-03-10T16:30:00Z"));
  d = time_taipei_date(dl.notify_due);
  assert_int_equal(d.day, 11);
  buf_init(&b, 64);
  incident_format_due(&b, LANG_ZH, dl.notify_due);
  assert_string_equal(b.data, "民國115年3月11日 00:30");
  buf_clear(&b);
  incident_format_due(&b, LANG_EN, dl.notify_due);
  assert_string_equal(b.data, "2026-03-11 00:30");
  buf_free(&b);
  /* Not recovered: no report clock. */
  assert_false(dl.has_report_due);
  assert_true(dl.report_due == 0);
  /* 2026-12-31 23:59 Taipei: the notification is due next year. */
  aware = taipei("2026-12-31", 23, 59, 0);
  assert_int_equal(incident_deadlines(s, 4, aware, 0, &dl), ST_OK);
  d = time_taipei_date(dl.notify_due);
  assert_int_equal(d.year, 2027);
  assert_int_equal(d.month, 1);
  assert_int_equal(d.day, 1);
}

/* Containment 72 h for levels 1-2, 36 h for 3-4; review 8 h / 2 h;
 * under both sets. */
static void test_contain_by_level(void **state)
{
  static const char *const names[] = { "110", "115" };
  int64_t aware = utc("2025-07-01T03:00:00Z");
  size_t i;
  int lv;

  (void)state;
  for(i = 0; i < 2; i++) {
    const struct incident_rules *s = incident_rules_find(names[i]);
    struct incident_deadlines dl;
    for(lv = 1; lv <= 4; lv++) {
      assert_int_equal(incident_deadlines(s, lv, aware, 0, &dl), ST_OK);
      assert_int_equal(dl.contain_hours, lv <= 2 ? 72 : 36);
      assert_true(dl.contain_due == aware + (lv <= 2 ? 72 : 36) * 3600);
      assert_int_equal(dl.review_hours, lv <= 2 ? 8 : 2);
      assert_true(dl.notify_due == aware + 3600);
    }
    assert_true(incident_deadlines(s, 3, aware, 0, &dl) == ST_OK &&
                dl.contain_due == utc("2025-07-02T15:00:00Z"));
    assert_true(incident_deadlines(s, 2, aware, 0, &dl) == ST_OK &&
                dl.contain_due == utc("2025-07-04T03:00:00Z"));
    /* No level, a bad level, recovery before awareness. */
    assert_int_equal(incident_deadlines(s, 0, aware, 0, &dl), ST_INVALID);
    assert_true(dl.notify_due == 0);
    assert_int_equal(incident_deadlines(s, 5, aware, 0, &dl), ST_INVALID);
    assert_int_equal(incident_deadlines(s, -1, aware, 0, &dl), ST_INVALID);
    assert_int_equal(incident_deadlines(s, 1, aware, aware - 1, &dl),
                     ST_INVALID);
    assert_false(dl.has_report_due);
    /* Recovered the moment it was known: allowed. */
    assert_int_equal(incident_deadlines(s, 1, aware, aware, &dl), ST_OK);
    assert_true(dl.has_report_due);
  }
}

static void test_format_left(void **state)
{
  static const struct {
    int64_t left; /* due - now, seconds */
    const char *zh, *en;
  } cases[] = {
    { 42 * 60, "剩餘 0 小時 42 分", "0 h 42 min left" },
    { 42 * 60 + 59, "剩餘 0 小時 42 分", "0 h 42 min left" }, /* down */
    { 59, "剩餘 0 小時 0 分", "0 h 0 min left" },
    { 0, "剩餘 0 小時 0 分", "0 h 0 min left" },     /* exactly due: met */
    { -1, "逾期 0 小時 1 分", "0 h 1 min overdue" }, /* up */
    { -60, "逾期 0 小時 1 分", "0 h 1 min overdue" },
    { -61, "逾期 0 小時 2 分", "0 h 2 min overdue" },
    { 3600, "剩餘 1 小時 0 分", "1 h 0 min left" },
    { 36 * 3600, "剩餘 1 天 12 小時", "1 d 12 h left" },
    { 24 * 3600 - 1, "剩餘 23 小時 59 分", "23 h 59 min left" },
    { 24 * 3600, "剩餘 1 天 0 小時", "1 d 0 h left" },
    { -(24 * 3600 - 30), "逾期 1 天 0 小時", "1 d 0 h overdue" },
    { -(3 * 86400 + 2 * 3600), "逾期 3 天 2 小時", "3 d 2 h overdue" },
    { -(3 * 86400 + 2 * 3600 + 59 * 60), "逾期 3 天 2 小時",
      "3 d 2 h overdue" },
    { 400 * 86400LL, "剩餘 400 天 0 小時", "400 d 0 h left" },
  };
  int64_t now = utc("2026-05-01T00:00:00Z");
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf b;
    buf_init(&b, 128);
    incident_format_left(&b, LANG_ZH, now + cases[i].left, now);
    if(strcmp(b.data, cases[i].zh) != 0) {
      fail_msg("case %zu: \"%s\", want \"%s\"", i, b.data, cases[i].zh);
    }
    buf_clear(&b);
    incident_format_left(&b, LANG_EN, now + cases[i].left, now);
    if(strcmp(b.data, cases[i].en) != 0) {
      fail_msg("case %zu: \"%s\", want \"%s\"", i, b.data, cases[i].en);
    }
    buf_free(&b);
  }
}

/* A due date on an official form: the ROC date in Taipei. */
static void test_format_due_roc(void **state)
{
  const struct incident_rules *s = incident_rules_find("115");
  struct incident_deadlines dl;
  struct buf b;

  (void)state;
  buf_init(&b, 64);
  assert_int_equal(incident_deadlines(s, 2, taipei("2026-01-28", 9, 0, 0),
                                      taipei("2026-01-30", 17, 0, 0), &dl),
                   ST_OK);
  incident_format_due(&b, LANG_ZH, dl.report_due);
  assert_string_equal(b.data, "民國115年2月28日 23:59");
  buf_clear(&b);
  time_format_roc(&b, dl.report_date);
  assert_string_equal(b.data, "民國115年2月28日");
  buf_clear(&b);
  incident_format_due(&b, LANG_EN, dl.report_due);
  assert_string_equal(b.data, "2026-02-28 23:59");
  buf_free(&b);
}

/* The embedded file passes; broken copies name file, place and key. */
static void test_check_errors(void **state)
{
  static const struct {
    const char *after;     /* search from here */
    const char *from, *to; /* replace in the embedded text */
    const char *where;     /* expected in the message */
  } cases[] = {
    /* level 5 */
    { "\"115-3-leak-ci\"", "\"level\": 3", "\"level\": 5",
      "sets[1].rows[10]: level: not 1 to 4" },
    /* an unknown fact */
    { "\"115-3-leak-ci\"", "\"classified\"", "\"secret\"",
      "sets[1].rows[10].kinds[0]: \"secret\" is not a kind of this set" },
    { "\"110-2-down-core\"", "\"down_within_mtd\"", "\"down_briefly\"",
      "sets[0].rows[8].impacts[0]: \"down_briefly\" is not an impact" },
    /* 敏感資訊 in a 115 row */
    { "\"115-4-leak-ci\"", "\"classified\"", "\"sensitive\"",
      "sets[1].rows[15].kinds[0]: \"sensitive\" is not a kind of this set" },
    /* missing text */
    { "\"115-2-leak-core\"",
      "\"text\":", "\"txet\":", "sets[1].rows[4]: text: missing" },
    { "\"115-2-leak-core\"",
      "\"text_en\":", "\"text_xx\":", "sets[1].rows[4]: text_en: missing" },
    { "\"110-1-leak-noncore\"",
      "\"article\":", "\"art\":", "sets[0].rows[0]: article: missing" },
    { "\"115-1-leak-noncore\"", "\"kinds\": [\"noncore\"]", "\"kinds\": []",
      "sets[1].rows[0]: kinds: empty" },
    { "\"115-1-down-noncore\"", "\"daily_work\": true", "\"daily_work\": 1",
      "sets[1].rows[2]: daily_work: not true or false" },
    { "{", "\"format\": 1", "\"format\": 2", "format: unknown format" },
    { "\"sets\"", "\"until\": \"2026-01-04\"", "\"until\": \"2026-01-05\"",
      "sets[1]: effective: the previous set" },
    { "\"sets\"", "\"until\": \"2026-01-04\"", "\"until\": \"2026-02-30\"",
      "sets[0]: until: not a YYYY-MM-DD date" },
    { "\"sets\"", "\"id\": \"115-1-leak-noncore\"",
      "\"id\": \"115-1-tamper-noncore\"", "sets[1].rows[1]: id: duplicate" },
    { "\"sets\"", "\"id\": \"115-1-leak-noncore\"",
      "\"id\": \"110-1-leak-noncore\"",
      "sets[1].rows[0]: id: does not start with the set's name" },
    { "\"name\": \"115\"", "\"id\": \"state_secret\"", "\"id\": \"secret\"",
      "sets[1].kinds[4]: id: unknown id" },
    { "\"name\": \"115\"", "\"id\": \"noncore\"", "\"id\": \"core\"",
      "sets[1].kinds[1]: id: duplicate id" },
    { "\"name\": \"115\"", "\"contain_hours\": 72", "\"contain_hours\": 0",
      "sets[1].levels[0]: contain_hours: not between 1 and 1000" },
    { "\"name\": \"115\"", "\"level\": 2,", "\"level\": 3,",
      "sets[1].levels[1]: level: not the level expected here" },
    { "\"name\": \"115\"", "\"major\": true", "\"major\": \"yes\"",
      "sets[1].levels[2]: major: not true or false" },
    { "\"name\": \"115\"", "\"hours\": 1", "\"hours\": -1",
      "sets[1].clocks.notify: hours: not between 1 and 1000" },
    { "\"name\": \"115\"", "\"months\": 1", "\"moths\": 1",
      "sets[1].clocks.report: months: missing" },
    { "\"name\": \"115\"", "\"review\": {", "\"reviews\": {",
      "sets[1].clocks: review: missing" },
    { "\"name\": \"115\"", "\"name\": \"外部支援需求評估\"", "\"name\": \"\"",
      "sets[1].notification_fields.items[5]: name: empty" },
    { "\"name\": \"115\"", "\"report_items\"", "\"report_list\"",
      "sets[1]: report_items: missing" },
  };
  const struct embedded_file *f =
    embed_find(embedded_data, n_embedded_data, "incident.json");
  struct buf why;
  size_t i;

  (void)state;
  assert_non_null(f);
  buf_init(&why, 1024);
  assert_int_equal(incident_check((const char *)f->data, f->len, &why), ST_OK);
  assert_int_equal(why.len, 0);
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const char *text = (const char *)f->data;
    const char *start = strstr(text, cases[i].after);
    const char *at = start ? strstr(start, cases[i].from) : NULL;
    struct buf broken;
    if(!at) {
      fail_msg("case %zu: \"%s\" not found", i, cases[i].from);
    }
    buf_init(&broken, 1 << 20);
    buf_append(&broken, text, (size_t)(at - text));
    buf_puts(&broken, cases[i].to);
    buf_puts(&broken, at + strlen(cases[i].from));
    buf_clear(&why);
    assert_int_equal(incident_check(broken.data, broken.len, &why),
                     ST_INVALID);
    assert_non_null(strstr(why.data, "incident.json: "));
    if(!strstr(why.data, cases[i].where)) {
      fail_msg("case %zu: \"%s\" lacks \"%s\"", i, why.data, cases[i].where);
    }
    buf_free(&broken);
  }
  /* Not JSON, not an object. */
  buf_clear(&why);
  assert_int_equal(incident_check("[1]", 3, &why), ST_INVALID);
  assert_non_null(strstr(why.data, "not an object"));
  buf_clear(&why);
  assert_int_equal(incident_check("{", 1, &why), ST_INVALID);
  assert_non_null(strstr(why.data, "incident.json: line 1"));
  buf_free(&why);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_concurrent_first_load),
    cmocka_unit_test(test_sets),
    cmocka_unit_test(test_parse_ids),
    cmocka_unit_test(test_matrix_every_cell),
    cmocka_unit_test(test_kind_not_in_set),
    cmocka_unit_test(test_highest_and_ties),
    cmocka_unit_test(test_110_differences),
    cmocka_unit_test(test_rules_at),
    cmocka_unit_test(test_report_due),
    cmocka_unit_test(test_report_due_taipei_date),
    cmocka_unit_test(test_notify_before_midnight),
    cmocka_unit_test(test_contain_by_level),
    cmocka_unit_test(test_format_left),
    cmocka_unit_test(test_format_due_roc),
    cmocka_unit_test(test_check_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_baseline.c: unit tests for rules/baseline.c against the digest
 * /work/shared/reference/regulations.md §3.  The expected numbers below
 * were tallied by hand from the markdown (§3.1 and §3.2, row by row), not
 * computed with the loader: 110 has 78 rows (普 35, 中 23, 高 20) in 7
 * families and 29 measures; 115 has 80 rows (普 45, 中 17, 高 18) in 7
 * families and 27 measures.  Also: the cumulative rule, the dates each
 * set is in force, the rows the digest marks as moved down a level, the
 * 110 → 115 mapping, UTF-8 texts, thread-safe first load and the error
 * messages for broken data.  Depends on cmocka, rules/baseline, core/buf,
 * core/str and core/utf8.
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
#include "core/str.h"
#include "core/utf8.h"
#include "rules/baseline.h"

/* Hand tally of regulations.md, per set: rows introduced at each level,
 * rows per family (in the digest's order 1..7), families, measures. */
static const struct {
  const char *name;
  size_t at[PL_HIGH + 1]; /* rows introduced at 普, 中, 高 ([0] unused) */
  size_t total;           /* rows */
  const char *family[7];  /* the seven families */
  size_t per_family[7];   /* rows per family */
  size_t n_measures;      /* distinct (family, measure) pairs */
} tally[] = {
  { "110",
    { 0, 35, 23, 20 },
    78,
    { "存取控制", "事件日誌與可歸責性", "營運持續計畫", "識別與鑑別",
      "系統與服務獲得", "系統與通訊保護", "系統與資訊完整性" },
    { 14, 13, 7, 13, 16, 6, 9 },
    29 },
  { "115",
    { 0, 45, 17, 18 },
    80,
    { "存取控制", "事件日誌與可歸責性", "營運持續計畫", "識別與鑑別",
      "系統與服務獲得", "系統與通訊保護", "系統與資訊完整性" },
    { 14, 13, 8, 12, 19, 5, 9 },
    27 },
};

#define N_THREADS 8

/* Thread body: load concurrently and report the set count. */
static void *load_in_thread(void *arg)
{
  size_t n = 0;
  const struct rule_set *sets = baseline_sets(&n);

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

static void test_sets(void **state)
{
  const struct rule_set *sets, *s110, *s115;
  size_t n;

  (void)state;
  sets = baseline_sets(&n);
  assert_int_equal(n, 2);
  s110 = baseline_set("110");
  s115 = baseline_set("115");
  assert_ptr_equal(s110, &sets[0]);
  assert_ptr_equal(s115, &sets[1]);
  assert_null(baseline_set("108"));
  assert_null(baseline_set(""));
  assert_null(baseline_set(NULL));
  assert_string_equal(s110->effective, "2021-08-23");
  assert_string_equal(s110->until, "2026-01-06");
  assert_string_equal(s115->effective, "2026-01-07");
  assert_null(s115->until);
  assert_non_null(strstr(s115->source, "數授資法字第1145000416號"));
  assert_non_null(strstr(s110->source, "110-08-23"));
}

static void test_at(void **state)
{
  static const struct {
    const char *date, *set; /* set NULL: none in force */
  } cases[] = {
    { "2021-08-22", NULL },  { "2021-08-23", "110" },
    { "2024-02-29", "110" }, { "2026-01-06", "110" },
    { "2026-01-07", "115" }, { "2030-12-31", "115" },
    { "1999-01-01", NULL },  { "2026-02-30", NULL },
    { "2026-1-7", NULL },    { "", NULL },
    { "20260107", NULL },    { "2026-01-07x", NULL },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const struct rule_set *s = baseline_at(cases[i].date);
    if(cases[i].set) {
      assert_non_null(s);
      assert_string_equal(s->name, cases[i].set);
    }
    else {
      assert_null(s);
    }
  }
  assert_null(baseline_at(NULL));
}

/* The number of distinct strings among the first n of list. */
static size_t distinct(const char **list, size_t n)
{
  size_t i, k, d = 0;

  for(i = 0; i < n; i++) {
    for(k = 0; k < i && strcmp(list[k], list[i]) != 0; k++) {
    }
    d += k == i;
  }
  return d;
}

static void test_tally(void **state)
{
  size_t t;

  (void)state;
  for(t = 0; t < sizeof(tally) / sizeof(tally[0]); t++) {
    const struct rule_set *s = baseline_set(tally[t].name);
    size_t at[PL_HIGH + 1] = { 0 }, fam[7] = { 0 };
    const char *pairs[128], *families[128];
    char pair_buf[128][160];
    size_t i, f;

    assert_non_null(s);
    assert_int_equal(s->n, tally[t].total);
    assert_true(s->n <= 128);
    for(i = 0; i < s->n; i++) {
      const struct control *c = &s->controls[i];
      assert_in_range(c->level, PL_LOW, PL_HIGH);
      at[c->level]++;
      for(f = 0; f < 7 && strcmp(tally[t].family[f], c->family) != 0; f++) {
      }
      assert_true(f < 7); /* a known family */
      fam[f]++;
      families[i] = c->family;
      snprintf(pair_buf[i], sizeof(pair_buf[i]), "%s/%s", c->family,
               c->measure);
      pairs[i] = pair_buf[i];
    }
    for(i = PL_LOW; i <= PL_HIGH; i++) {
      assert_int_equal(at[i], tally[t].at[i]);
    }
    for(f = 0; f < 7; f++) {
      assert_int_equal(fam[f], tally[t].per_family[f]);
    }
    assert_int_equal(distinct(families, s->n), 7);
    assert_int_equal(distinct(pairs, s->n), tally[t].n_measures);
    /* Cumulative counts follow from the tally. */
    assert_int_equal(baseline_count(s, PL_NONE), 0);
    assert_int_equal(baseline_count(s, PL_LOW), tally[t].at[1]);
    assert_int_equal(baseline_count(s, PL_MID),
                     tally[t].at[1] + tally[t].at[2]);
    assert_int_equal(baseline_count(s, PL_HIGH), tally[t].total);
    assert_int_equal(baseline_count(s, 4), 0);
    assert_int_equal(baseline_count(s, -1), 0);
  }
}

static void test_cumulative(void **state)
{
  const struct rule_set *sets;
  size_t n, i, k;
  int lv;

  (void)state;
  sets = baseline_sets(&n);
  for(i = 0; i < n; i++) {
    for(lv = PL_LOW; lv < PL_HIGH; lv++) {
      assert_true(baseline_count(&sets[i], lv) <=
                  baseline_count(&sets[i], lv + 1));
      /* Both sets introduce controls at every level. */
      assert_true(baseline_count(&sets[i], lv) <
                  baseline_count(&sets[i], lv + 1));
    }
    for(k = 0; k < sets[i].n; k++) {
      const struct control *c = &sets[i].controls[k];
      assert_false(baseline_applies(c, PL_NONE));
      assert_false(baseline_applies(c, PL_HIGH + 1));
      assert_true(baseline_applies(c, c->level));
      assert_true(baseline_applies(c, PL_HIGH));
      for(lv = PL_LOW; lv < PL_HIGH; lv++) {
        if(baseline_applies(c, lv)) {
          assert_true(baseline_applies(c, lv + 1));
        }
      }
      if(c->level > PL_LOW) {
        assert_false(baseline_applies(c, c->level - 1));
      }
    }
  }
}

static void test_ids(void **state)
{
  const struct rule_set *sets;
  const char *ids[256];
  size_t n, i, k, n_ids = 0;

  (void)state;
  sets = baseline_sets(&n);
  for(i = 0; i < n; i++) {
    size_t name_len = strlen(sets[i].name);
    for(k = 0; k < sets[i].n; k++) {
      const struct control *c = &sets[i].controls[k];
      assert_true(n_ids < 256);
      ids[n_ids++] = c->id;
      assert_ptr_equal(baseline_control(c->id), c);
      assert_ptr_equal(c->set, &sets[i]);
      assert_memory_equal(c->id, sets[i].name, name_len);
      assert_int_equal(c->id[name_len], '-');
      /* The id ends in the source's own number. */
      if(!strcmp(sets[i].name, "110")) {
        assert_string_equal(c->id + name_len + 1, c->ref);
      }
      else {
        char want[16];
        int64_t row;
        assert_int_equal(c->ref[0], '#');
        assert_int_equal(str_to_i64(str_c(c->ref + 1), 1, 999, &row), ST_OK);
        assert_int_equal(row, k + 1);
        snprintf(want, sizeof(want), "115-%02d", (int)row);
        assert_string_equal(c->id, want);
      }
    }
  }
  assert_int_equal(distinct(ids, n_ids), n_ids);
  assert_null(baseline_control("115-81"));
  assert_null(baseline_control("1-1-1"));
  assert_null(baseline_control(NULL));
}

/* The 115 rows regulations.md §3.2 marks as moved down a level, with
 * their 110 level (the "new at 普; 110 had it at 中" of #33 included). */
static void test_moved_down(void **state)
{
  static const struct {
    const char *id;  /* 115 row */
    int level;       /* its 115 level */
    const char *was; /* the 110 control */
    int was_level;   /* its 110 level */
  } moved[] = {
    { "115-02", PL_LOW, "110-1-1-2", PL_MID },
    { "115-03", PL_LOW, "110-1-1-3", PL_MID },
    { "115-04", PL_LOW, "110-1-1-4", PL_MID },
    { "115-05", PL_MID, "110-1-1-5", PL_HIGH },
    { "115-06", PL_MID, "110-1-1-6", PL_HIGH },
    { "115-09", PL_LOW, "110-1-2-1", PL_MID },
    { "115-14", PL_LOW, "110-1-3-5", PL_MID },
    { "115-24", PL_LOW, "110-2-5-2", PL_MID },
    { "115-33", PL_LOW, "110-3-2-1", PL_MID },
    { "115-77", PL_LOW, "110-7-3-2", PL_MID },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(moved) / sizeof(moved[0]); i++) {
    const struct control *c = baseline_control(moved[i].id);
    const struct control *old = baseline_control(moved[i].was);
    assert_non_null(c);
    assert_non_null(old);
    assert_int_equal(c->level, moved[i].level);
    assert_int_equal(old->level, moved[i].was_level);
    assert_true(c->level < old->level);
    assert_int_equal(c->n_from, 1);
    assert_string_equal(c->from[0], moved[i].was);
    assert_non_null(c->change);
    assert_non_null(strstr(c->change, "→"));
  }
}

/* Every "X→Y" change note agrees with the levels of the row and of the
 * rows it continues; the other notes are not level changes. */
static void test_change_notes(void **state)
{
  const struct rule_set *s110 = baseline_set("110");
  const struct rule_set *s115 = baseline_set("115");
  size_t i, k, n_moves = 0;

  (void)state;
  for(i = 0; i < s110->n; i++) {
    assert_null(s110->controls[i].change);
    assert_int_equal(s110->controls[i].n_from, 0);
  }
  for(i = 0; i < s115->n; i++) {
    const struct control *c = &s115->controls[i];
    char from[8], to[8];
    const char *arrow;
    assert_non_null(c->change);
    arrow = strstr(c->change, "→");
    if(!arrow || arrow - c->change != 3 || strlen(c->change) != 9) {
      continue; /* not a bare level move such as "中→普" */
    }
    memcpy(from, c->change, 3);
    from[3] = 0;
    memcpy(to, arrow + 3, 3);
    to[3] = 0;
    assert_int_equal(prot_level_parse(to), c->level);
    assert_true(c->n_from > 0);
    for(k = 0; k < c->n_from; k++) {
      assert_int_equal(baseline_control(c->from[k])->level,
                       prot_level_parse(from));
    }
    n_moves++;
  }
  assert_int_equal(n_moves, 10);
}

/* The 110 → 115 mapping: only 6-1-3 (maximum key length) has no
 * successor; 4-1-1 and 4-5-1 merge into #36; 5-5-1 splits into #58 and
 * #59; 3-1-2 continues in #29 and #61; #35 and #64 are new. */
static void test_mapping(void **state)
{
  const struct rule_set *s110 = baseline_set("110");
  const struct rule_set *s115 = baseline_set("115");
  const struct control *c;
  size_t i, k, m;

  (void)state;
  for(i = 0; i < s110->n; i++) {
    size_t successors = 0;
    for(k = 0; k < s115->n; k++) {
      for(m = 0; m < s115->controls[k].n_from; m++) {
        successors += !strcmp(s115->controls[k].from[m], s110->controls[i].id);
      }
    }
    if(!strcmp(s110->controls[i].id, "110-6-1-3")) {
      assert_int_equal(successors, 0);
    }
    else {
      assert_true(successors >= 1);
    }
  }
  c = baseline_control("115-36");
  assert_int_equal(c->n_from, 2);
  assert_string_equal(c->from[0], "110-4-1-1");
  assert_string_equal(c->from[1], "110-4-5-1");
  assert_string_equal(c->measure, "使用者之識別與鑑別");
  assert_string_equal(baseline_control("115-58")->from[0], "110-5-5-1");
  assert_string_equal(baseline_control("115-59")->from[0], "110-5-5-1");
  assert_string_equal(baseline_control("115-29")->from[0], "110-3-1-2");
  assert_string_equal(baseline_control("115-61")->from[0], "110-3-1-2");
  assert_string_equal(baseline_control("115-61")->measure,
                      "系統發展生命週期部署與維運階段");
  assert_int_equal(baseline_control("115-35")->n_from, 0);
  assert_string_equal(baseline_control("115-35")->change, "new");
  assert_int_equal(baseline_control("115-64")->n_from, 0);
  assert_int_equal(baseline_control("115-64")->level, PL_LOW);
  assert_string_equal(baseline_control("115-28")->measure, "資料備份");
  assert_string_equal(baseline_control("110-3-1-1")->measure, "系統備份");
  assert_string_equal(baseline_control("115-46")->measure, "鑑別資訊保護");
  assert_string_equal(baseline_control("115-47")->measure, "鑑別資訊保護");
}

/* Numbers of §3.3 that the texts must carry. */
static void test_numbers(void **state)
{
  static const struct {
    const char *id, *needle; /* the control and a phrase it contains */
    int level;               /* its level */
  } cases[] = {
    { "110-2-1-1", "六個月", PL_LOW },    { "115-15", "六個月", PL_LOW },
    { "110-4-2-3", "五次", PL_LOW },      { "110-4-2-3", "十五分鐘", PL_LOW },
    { "115-40", "五次", PL_LOW },         { "115-40", "十五分鐘", PL_LOW },
    { "110-4-2-5", "前三次", PL_LOW },    { "115-42", "前三次", PL_LOW },
    { "110-4-1-2", "多重認證", PL_HIGH }, { "115-37", "多因子", PL_HIGH },
    { "110-5-3-4", "源碼掃描", PL_HIGH }, { "115-54", "源碼掃描", PL_HIGH },
    { "110-5-4-2", "滲透測試", PL_HIGH }, { "115-57", "滲透測試", PL_HIGH },
    { "110-5-4-1", "弱點掃描", PL_LOW },  { "115-56", "弱點掃描", PL_LOW },
    { "110-2-5-1", "UTC", PL_LOW },       { "115-23", "UTC", PL_LOW },
    { "110-1-1-6", "自動", PL_HIGH },     { "115-06", "自動", PL_MID },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const struct control *c = baseline_control(cases[i].id);
    assert_non_null(c);
    assert_non_null(strstr(c->text, cases[i].needle));
    assert_int_equal(c->level, cases[i].level);
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

static void test_texts(void **state)
{
  const struct rule_set *sets;
  size_t n, i, k, m;

  (void)state;
  sets = baseline_sets(&n);
  for(i = 0; i < n; i++) {
    check_text(sets[i].name);
    check_text(sets[i].title);
    check_text(sets[i].title_en);
    check_text(sets[i].source);
    for(k = 0; k < sets[i].n; k++) {
      const struct control *c = &sets[i].controls[k];
      check_text(c->id);
      check_text(c->ref);
      check_text(c->family);
      check_text(c->family_en);
      check_text(c->measure);
      check_text(c->text);
      check_text(c->text_en);
      if(c->change) {
        check_text(c->change);
      }
      for(m = 0; m < c->n_from; m++) {
        check_text(c->from[m]);
      }
    }
  }
}

static void test_prot_level(void **state)
{
  static const struct {
    const char *in;
    int level;
  } cases[] = {
    { "普", PL_LOW },   { "中", PL_MID },  { "高", PL_HIGH },
    { "low", PL_LOW },  { "mid", PL_MID }, { "high", PL_HIGH },
    { "", PL_NONE },    { "無", PL_NONE }, { "LOW", PL_NONE },
    { "普 ", PL_NONE }, { "1", PL_NONE },  { "medium", PL_NONE },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    assert_int_equal(prot_level_parse(cases[i].in), cases[i].level);
  }
  assert_int_equal(prot_level_parse(NULL), PL_NONE);
  assert_string_equal(prot_level_name(PL_LOW), "普");
  assert_string_equal(prot_level_name(PL_MID), "中");
  assert_string_equal(prot_level_name(PL_HIGH), "高");
  assert_string_equal(prot_level_name(PL_NONE), "");
  assert_string_equal(prot_level_name(4), "");
  assert_string_equal(prot_level_name(-1), "");
  assert_string_equal(prot_level_key(PL_LOW), "low");
  assert_string_equal(prot_level_key(PL_MID), "mid");
  assert_string_equal(prot_level_key(PL_HIGH), "high");
  assert_string_equal(prot_level_key(PL_NONE), "");
}

/* A minimal valid file, then one fault at a time: each is rejected with
 * a message naming the file, the place and the key. */
#define SET_HEAD                                                              \
  "{\"format\":1,\"sets\":[{\"name\":\"A\",\"title\":\"t\","                  \
  "\"title_en\":\"t\",\"effective\":\"2020-01-01\",\"until\":null,"           \
  "\"source\":\"s\",\"controls\":["
#define CONTROL(id, level, extra)                                             \
  "{\"id\":\"" id "\",\"ref\":\"1\",\"family\":\"f\",\"family_en\":\"f\","    \
  "\"measure\":\"m\",\"level\":\"" level "\",\"text\":\"x\","                 \
  "\"text_en\":\"x\"" extra "}"

/* Families are found by either name and give both. */
static void test_family(void **state)
{
  static const struct {
    const char *in, *zh, *en;
  } cases[] = {
    { "存取控制", "存取控制", "Access control" },
    { "Access control", "存取控制", "Access control" },
    { "access CONTROL", "存取控制", "Access control" },
    { "營運持續計畫", "營運持續計畫", "Business continuity" },
    { "系統與服務獲得", "系統與服務獲得", "System and services acquisition" },
    { "存取", NULL, NULL },
    { "存取控制 ", NULL, NULL },
    { "", NULL, NULL },
    { "帳號管理", NULL, NULL }, /* a measure, not a family */
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const struct control *c = baseline_family(cases[i].in);
    if(!cases[i].zh) {
      assert_null(c);
      continue;
    }
    assert_non_null(c);
    assert_string_equal(c->family, cases[i].zh);
    assert_string_equal(c->family_en, cases[i].en);
  }
  assert_null(baseline_family(NULL));
}

static void test_check_errors(void **state)
{
  static const struct {
    const char *json;  /* the file */
    const char *where; /* expected in the message; NULL: valid */
  } cases[] = {
    { SET_HEAD CONTROL("A-1", "普", "") "]}]}", NULL },
    { SET_HEAD CONTROL("A-1", "普", "") "," CONTROL("A-2", "高", "") "]}]}",
      NULL },
    { SET_HEAD CONTROL("A-1", "低", "") "]}]}", "sets[0].controls[0]: level" },
    { SET_HEAD CONTROL("A-1", "普", "") "," CONTROL("A-1", "中", "") "]}]}",
      "sets[0].controls[1]: id: duplicate" },
    { SET_HEAD CONTROL("B-1", "普", "") "]}]}", "sets[0].controls[0]: id" },
    { SET_HEAD CONTROL("A-1", "普", ",\"text\":\"\"") "]}]}",
      "line 1" }, /* duplicate key rejected by jansson */
    { SET_HEAD CONTROL("A-1", "普", ",\"change\":\"\"") "]}]}",
      "sets[0].controls[0]: change: empty" },
    { SET_HEAD CONTROL("A-1", "普", ",\"from\":[\"Z-1\"]") "]}]}",
      "sets[0].controls[0].from[0]" },
    { SET_HEAD "]}]}", "sets[0]: controls: empty" },
    { "{\"format\":2,\"sets\":[]}", "format" },
    { "{\"format\":1}", "sets: missing" },
    { "[1]", "top level" },
    { "{\"format\":1,", "line 1" },
    { "{\"format\":1,\"sets\":[{\"name\":\"A\",\"title\":\"t\","
      "\"title_en\":\"t\",\"effective\":\"2020-02-30\",\"until\":null,"
      "\"source\":\"s\",\"controls\":[" CONTROL("A-1", "普", "") "]}]}",
      "sets[0]: effective: not a YYYY-MM-DD date" },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf why;
    enum status st;
    buf_init(&why, 1024);
    st = baseline_check(cases[i].json, strlen(cases[i].json), &why);
    if(!cases[i].where) {
      assert_int_equal(st, ST_OK);
      assert_int_equal(why.len, 0);
    }
    else {
      assert_int_equal(st, ST_INVALID);
      assert_non_null(strstr(why.data, "baseline.json: "));
      if(!strstr(why.data, cases[i].where)) {
        fail_msg("case %zu: \"%s\" lacks \"%s\"", i, why.data, cases[i].where);
      }
    }
    buf_free(&why);
  }
}

/* Two sets: the second must start after the first ends, and a from id
 * may only name a control of an earlier set. */
static void test_check_two_sets(void **state)
{
  static const char ok[] =
    "{\"format\":1,\"sets\":["
    "{\"name\":\"A\",\"title\":\"t\",\"title_en\":\"t\","
    "\"effective\":\"2020-01-01\",\"until\":\"2020-12-31\",\"source\":\"s\","
    "\"controls\":[" CONTROL(
      "A-1", "中",
      "") "]},"
          "{\"name\":\"B\",\"title\":\"t\",\"title_en\":\"t\","
          "\"effective\":\"2021-01-01\",\"until\":null,\"source\":\"s\","
          "\"controls\":[" CONTROL("B-1", "普", ",\"from\":[\"A-1\"]") "]}]}";
  static const char overlap[] =
    "{\"format\":1,\"sets\":["
    "{\"name\":\"A\",\"title\":\"t\",\"title_en\":\"t\","
    "\"effective\":\"2020-01-01\",\"until\":\"2021-01-01\",\"source\":\"s\","
    "\"controls\":[" CONTROL(
      "A-1", "中",
      "") "]},"
          "{\"name\":\"B\",\"title\":\"t\",\"title_en\":\"t\","
          "\"effective\":\"2021-01-01\",\"until\":null,\"source\":\"s\","
          "\"controls\":[" CONTROL("B-1", "普", "") "]}]}";
  static const char self_from[] =
    "{\"format\":1,\"sets\":["
    "{\"name\":\"A\",\"title\":\"t\",\"title_en\":\"t\","
    "\"effective\":\"2020-01-01\",\"until\":null,\"source\":\"s\","
    "\"controls\":[" CONTROL("A-1", "中", "") "," CONTROL(
      "A-2", "中", ",\"from\":[\"A-1\"]") "]}]}";
  struct buf why;

  (void)state;
  buf_init(&why, 1024);
  assert_int_equal(baseline_check(ok, strlen(ok), &why), ST_OK);
  assert_int_equal(baseline_check(overlap, strlen(overlap), &why), ST_INVALID);
  assert_non_null(strstr(why.data, "sets[1]: effective"));
  buf_clear(&why);
  assert_int_equal(baseline_check(self_from, strlen(self_from), &why),
                   ST_INVALID);
  assert_non_null(strstr(why.data, "from[0]"));
  buf_free(&why);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_concurrent_first_load), /* must stay first */
    cmocka_unit_test(test_sets),
    cmocka_unit_test(test_at),
    cmocka_unit_test(test_tally),
    cmocka_unit_test(test_cumulative),
    cmocka_unit_test(test_ids),
    cmocka_unit_test(test_moved_down),
    cmocka_unit_test(test_change_notes),
    cmocka_unit_test(test_mapping),
    cmocka_unit_test(test_numbers),
    cmocka_unit_test(test_texts),
    cmocka_unit_test(test_prot_level),
    cmocka_unit_test(test_family),
    cmocka_unit_test(test_check_errors),
    cmocka_unit_test(test_check_two_sets),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

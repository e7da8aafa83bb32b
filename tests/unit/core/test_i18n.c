/*
 * test_i18n.c: checks over the whole message catalog (core/messages.def
 * through core/i18n.c): every message has both texts, zh-TW texts are
 * plain (no raw < or &), and both texts of a message take the same
 * number of %s arguments; msg_fill_lang() follows its language.  Depends
 * on cmocka, core/buf and core/i18n.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/buf.h"
#include "core/i18n.h"

/* The id names, for failure messages. */
static const char *const names[M_COUNT_] = {
  [M_NONE] = "M_NONE",
#define MSG(id, zh, en) [id] = #id,
#include "core/messages.def"
#undef MSG
};

/* Number of "%s" in s. */
static size_t count_s(const char *s)
{
  size_t n = 0;
  const char *p = s;

  while((p = strstr(p, "%s")) != NULL) {
    n++;
    p += 2;
  }
  return n;
}

static void test_i18n_all_texts_present(void **state)
{
  int id, bad = 0;

  (void)state;
  assert_true(M_COUNT_ > M_NONE + 1);
  for(id = M_NONE + 1; id < M_COUNT_; id++) {
    const char *zh = msg_get(LANG_ZH, (enum msg)id);
    const char *en = msg_get(LANG_EN, (enum msg)id);
    if(!zh || !*zh) {
      print_error("%s: empty zh-TW text\n", names[id]);
      bad++;
    }
    if(!en || !*en) {
      print_error("%s: empty English text\n", names[id]);
      bad++;
    }
  }
  assert_int_equal(bad, 0);
}

/* The catalog goes through the escaping writers anyway, but its zh-TW
 * texts are plain text, not HTML. */
static void test_i18n_zh_plain(void **state)
{
  int id, bad = 0;

  (void)state;
  for(id = M_NONE + 1; id < M_COUNT_; id++) {
    const char *zh = msg_get(LANG_ZH, (enum msg)id);
    if(strchr(zh, '<') || strchr(zh, '&')) {
      print_error("%s: raw < or & in zh-TW text \"%s\"\n", names[id], zh);
      bad++;
    }
  }
  assert_int_equal(bad, 0);
}

static void test_i18n_same_arguments(void **state)
{
  int id, bad = 0;

  (void)state;
  for(id = M_NONE + 1; id < M_COUNT_; id++) {
    const char *zh = msg_get(LANG_ZH, (enum msg)id);
    const char *en = msg_get(LANG_EN, (enum msg)id);
    if(count_s(zh) != count_s(en)) {
      print_error("%s: %zu %%s in zh-TW \"%s\", %zu in English \"%s\"\n",
                  names[id], count_s(zh), zh, count_s(en), en);
      bad++;
    }
  }
  assert_int_equal(bad, 0);
}

/* html_template() knows only %s: any other % would show up verbatim. */
static void test_i18n_only_percent_s(void **state)
{
  int id, lang, bad = 0;

  (void)state;
  for(id = M_NONE + 1; id < M_COUNT_; id++) {
    for(lang = LANG_ZH; lang <= LANG_EN; lang++) {
      const char *t = msg_get((enum lang)lang, (enum msg)id);
      const char *p = t;
      while((p = strchr(p, '%')) != NULL) {
        if(p[1] != 's') {
          print_error("%s: a %% not followed by s in \"%s\"\n", names[id], t);
          bad++;
          break;
        }
        p += 2;
      }
    }
  }
  assert_int_equal(bad, 0);
}

/* Out-of-range ids and languages give "", never NULL. */
static void test_i18n_out_of_range(void **state)
{
  (void)state;
  assert_string_equal(msg_get(LANG_ZH, M_NONE), "");
  assert_string_equal(msg_get(LANG_EN, M_COUNT_), "");
  assert_string_equal(msg_get((enum lang)2, (enum msg)(M_NONE + 1)), "");
  assert_string_equal(msg_get(LANG_ZH, (enum msg) - 1), "");
  assert_string_equal(lang_tag(LANG_ZH), "zh-TW");
  assert_string_equal(lang_tag(LANG_EN), "en");
}

/* msg_fill_lang() follows its lang argument, not the process's. */
static void test_i18n_fill_lang(void **state)
{
  struct buf b;

  (void)state;
  lang_set_default(LANG_ZH);
  buf_init(&b, 256);
  msg_fill_lang(&b, LANG_EN, M_IMPORT_MAP_SUMMARY, "a.csv", "CSV", "3",
                (const char *)NULL);
  assert_string_equal(b.data, "File “a.csv” (CSV), 3 rows after the header "
                              "row.");
  buf_clear(&b);
  msg_fill_lang(&b, LANG_ZH, M_IMPORT_MAP_SUMMARY, "a.csv", "CSV",
                (const char *)NULL);
  assert_string_equal(b.data, "檔案「a.csv」（CSV），標題列之後共  列。");
  buf_clear(&b);
  lang_set_default(LANG_EN);
  msg_fill_lang(&b, LANG_ZH, M_IMPORT_MAP_SUMMARY, "x", "y", "1",
                (const char *)NULL);
  assert_string_equal(b.data, "檔案「x」（y），標題列之後共 1 列。");
  buf_clear(&b);
  /* msg_fill() still uses the process's language. */
  msg_fill(&b, M_IMPORT_MAP_SUMMARY, "x", "y", "1", (const char *)NULL);
  assert_string_equal(b.data, "File “x” (y), 1 rows after the header row.");
  lang_set_default(LANG_ZH);
  buf_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_i18n_all_texts_present),
    cmocka_unit_test(test_i18n_zh_plain),
    cmocka_unit_test(test_i18n_same_arguments),
    cmocka_unit_test(test_i18n_only_percent_s),
    cmocka_unit_test(test_i18n_out_of_range),
    cmocka_unit_test(test_i18n_fill_lang),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}

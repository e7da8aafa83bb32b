/*
 * test_ical.c: unit tests for reports/ical.c: TEXT escaping, folding at
 * 75 octets without cutting a UTF-8 sequence, the calendar's lines and
 * the refusals.  Depends on cmocka and reports/ical, core/{buf,utf8}.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/utf8.h"
#include "reports/ical.h"

static void test_ical_escape(void **state)
{
  static const struct {
    const char *in, *out;
  } cases[] = {
    { "plain", "plain" },
    { "", "" },
    { "a,b;c\\d", "a\\,b\\;c\\\\d" },
    { "line1\nline2", "line1\\nline2" },
    { "line1\r\nline2", "line1\\nline2" },
    { "資安健診：每 2 年；核心系統", "資安健診：每 2 年；核心系統" },
    { "\\n is not a newline", "\\\\n is not a newline" },
    { "tab\tstays", "tab\tstays" },
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf b;
    buf_init(&b, 1024);
    ical_escape(&b, cases[i].in);
    assert_string_equal(b.data, cases[i].out);
    buf_free(&b);
  }
}

/* Check the folded text: CRLF ends, at most 75 octets a line, every
 * line valid UTF-8 on its own, and unfolding gives back want. */
static void check_fold(const char *folded, const char *want)
{
  struct buf un;
  const char *p = folded;
  int first = 1;
  buf_init(&un, 1u << 16);
  while(*p) {
    const char *crlf = strstr(p, "\r\n");
    size_t n;
    assert_non_null(crlf);
    n = (size_t)(crlf - p);
    assert_true(n <= 75);
    assert_true(utf8_valid((struct str){ p, n }, NULL));
    if(!first) {
      assert_int_equal(p[0], ' ');
      buf_append(&un, p + 1, n - 1);
    }
    else {
      buf_append(&un, p, n);
    }
    first = 0;
    p = crlf + 2;
  }
  assert_string_equal(un.data, want);
  buf_free(&un);
}

static void test_ical_fold(void **state)
{
  /* ASCII, CJK (3 octets), a 4-octet emoji, mixed at every offset. */
  static const char *const units[] = { "a", "臺", "\xf0\x9f\x93\x85", "é" };
  size_t u, shift;
  (void)state;
  for(u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
    for(shift = 0; shift < 4; shift++) {
      struct buf line, out;
      size_t k;
      buf_init(&line, 4096);
      buf_init(&out, 8192);
      buf_puts(&line, "SUMMARY:");
      for(k = 0; k < shift; k++) {
        buf_putc(&line, 'x');
      }
      for(k = 0; k < 100; k++) {
        buf_puts(&line, units[u]);
      }
      ical_fold(&out, line.data, line.len);
      check_fold(out.data, line.data);
      buf_free(&line);
      buf_free(&out);
    }
  }
}

static void test_ical_fold_exact(void **state)
{
  struct buf out;
  char line[160];
  (void)state;
  /* 75 octets stay one line; 76 fold after 75; then 74 a line. */
  memset(line, 'a', sizeof(line));
  buf_init(&out, 1024);
  ical_fold(&out, line, 75);
  assert_int_equal(out.len, 77);
  buf_clear(&out);
  ical_fold(&out, line, 76);
  assert_int_equal(out.len, 75 + 3 + 1 + 2);
  assert_memory_equal(out.data + 75, "\r\n a\r\n", 6);
  buf_clear(&out);
  ical_fold(&out, line, 75 + 74 + 1);
  assert_int_equal(out.len, 75 + 2 + 75 + 2 + 2 + 2);
  line[150] = 0;
  check_fold(out.data, line);
  buf_free(&out);
}

static void test_ical_fold_cjk_boundary(void **state)
{
  /* "SUMMARY:" is 8 octets; 22 CJK characters reach octet 74, so the
   * 23rd (octets 75..77) would straddle the fold and must move. */
  struct buf line, out;
  size_t k;
  (void)state;
  buf_init(&line, 1024);
  buf_init(&out, 1024);
  buf_puts(&line, "SUMMARY:");
  for(k = 0; k < 30; k++) {
    buf_puts(&line, "稽");
  }
  ical_fold(&out, line.data, line.len);
  assert_memory_equal(out.data + 74, "\r\n 稽", 6);
  check_fold(out.data, line.data);
  buf_free(&line);
  buf_free(&out);
}

static void test_ical_write(void **state)
{
  struct ical_event ev[2];
  struct buf out;
  (void)state;
  memset(ev, 0, sizeof(ev));
  ev[0].uid = "occ-17@isms.example.gov.tw";
  ev[0].date = (struct date){ 2026, 12, 31 };
  ev[0].summary = "管理審查會議, 12 月; 資安長主持";
  ev[0].description = "第一行\n第二行";
  ev[0].url = "https://isms.example.gov.tw/calendar/17";
  ev[0].alarm_days = 7;
  ev[1].uid = "occ-18@isms.example.gov.tw";
  ev[1].date = (struct date){ 2028, 2, 29 };
  ev[1].summary = "Restore test";
  buf_init(&out, 1u << 16);
  assert_int_equal(
    ical_write(&out, "isms 法遵行事曆", ev, 2, 1767225600 /* 2026-01-01 */),
    ST_OK);
  assert_true(strncmp(out.data, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) ==
              0);
  assert_non_null(strstr(out.data, "\r\nPRODID:"));
  assert_non_null(strstr(out.data, "\r\nMETHOD:PUBLISH\r\n"));
  assert_non_null(strstr(out.data, "\r\nX-WR-CALNAME:isms 法遵行事曆\r\n"));
  assert_non_null(strstr(out.data, "\r\nUID:occ-17@isms.example.gov.tw\r\n"));
  assert_non_null(strstr(out.data, "\r\nDTSTAMP:20260101T000000Z\r\n"));
  assert_non_null(strstr(out.data, "\r\nDTSTART;VALUE=DATE:20261231\r\n"));
  assert_non_null(strstr(out.data, "\r\nDTSTART;VALUE=DATE:20280229\r\n"));
  assert_non_null(
    strstr(out.data, "\r\nSUMMARY:管理審查會議\\, 12 月\\; 資安長主持\r\n"));
  assert_non_null(strstr(out.data, "\r\nDESCRIPTION:第一行\\n第二行\r\n"));
  assert_non_null(
    strstr(out.data, "\r\nURL:https://isms.example.gov.tw/calendar/17\r\n"));
  assert_non_null(strstr(out.data, "\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n"));
  assert_non_null(strstr(out.data, "\r\nTRIGGER:-P7D\r\nEND:VALARM\r\n"));
  /* One alarm only: the second event has none. */
  assert_null(strstr(strstr(out.data, "occ-18"), "VALARM"));
  assert_string_equal(out.data + out.len - 15, "END:VCALENDAR\r\n");
  {
    const char *p = out.data;
    while(*p) {
      const char *crlf = strstr(p, "\r\n");
      assert_non_null(crlf);
      assert_true(crlf - p <= 75);
      p = crlf + 2;
    }
  }
  buf_free(&out);
}

static void test_ical_write_refuses(void **state)
{
  struct ical_event e;
  struct buf out;
  (void)state;
  buf_init(&out, 1u << 16);
  memset(&e, 0, sizeof(e));
  e.uid = "u1";
  e.summary = "s";
  e.date = (struct date){ 2027, 2, 29 }; /* not a leap year */
  assert_int_equal(ical_write(&out, "c", &e, 1, 0), ST_INVALID);
  e.date = (struct date){ 2027, 2, 28 };
  assert_int_equal(ical_write(&out, "c", &e, 1, 0), ST_OK);
  e.uid = "";
  assert_int_equal(ical_write(&out, "c", &e, 1, 0), ST_INVALID);
  e.uid = "u1";
  e.summary = NULL;
  assert_int_equal(ical_write(&out, "c", &e, 1, 0), ST_INVALID);
  e.summary = "bad \xff";
  assert_int_equal(ical_write(&out, "c", &e, 1, 0), ST_INVALID);
  e.summary = "s";
  e.url = "https://x.example/\r\nATTACH:evil";
  assert_int_equal(ical_write(&out, "c", &e, 1, 0), ST_INVALID);
  e.url = NULL;
  e.uid = "u1\nX-EVIL:1";
  assert_int_equal(ical_write(&out, "c", &e, 1, 0), ST_INVALID);
  e.uid = "u1";
  assert_int_equal(ical_write(&out, "", &e, 1, 0), ST_INVALID);
  buf_free(&out);
}

static void test_ical_write_cap(void **state)
{
  struct ical_event e;
  struct buf out;
  (void)state;
  memset(&e, 0, sizeof(e));
  e.uid = "u1";
  e.summary = "a summary";
  e.date = (struct date){ 2026, 1, 1 };
  buf_init(&out, 100);
  assert_int_equal(ical_write(&out, "c", &e, 1, 0), ST_TOOBIG);
  buf_free(&out);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ical_escape),
    cmocka_unit_test(test_ical_fold),
    cmocka_unit_test(test_ical_fold_exact),
    cmocka_unit_test(test_ical_fold_cjk_boundary),
    cmocka_unit_test(test_ical_write),
    cmocka_unit_test(test_ical_write_refuses),
    cmocka_unit_test(test_ical_write_cap),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}

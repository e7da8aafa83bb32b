/*
 * test_indicator.c: unit tables for features/intel/indicator.c, the
 * classifier of threat-indicator lines: every kind with its boundaries
 * (octets, prefixes, hash lengths, CVE years and digit counts, label
 * lengths, ports), the defanged spellings analysts use (hxxp, [.], (.),
 * [dot], [:], [://]) classified as what they name, near misses that are
 * no indicator at all, white space and control characters, and the
 * line splitter's numbering.  Depends on cmocka and features/intel.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "features/intel/indicator.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
  const char *line;
  enum ioc_kind kind;
} cases[] = {
  /* IPv4, with a prefix; no leading zeros, octets up to 255 */
  { "192.0.2.1", IOC_IPV4 },
  { "0.0.0.0", IOC_IPV4 },
  { "255.255.255.255", IOC_IPV4 },
  { "203.0.113.0/24", IOC_IPV4 },
  { "203.0.113.7/32", IOC_IPV4 },
  { "203.0.113.0/0", IOC_IPV4 },
  { "203.0.113.0/33", IOC_NONE },
  { "203.0.113.0/", IOC_NONE },
  { "203.0.113.0/024", IOC_NONE },
  { "256.1.1.1", IOC_NONE },
  { "1.2.3", IOC_NONE },
  { "1.2.3.4.5", IOC_NONE },
  { "1.2.3.4.", IOC_NONE },
  { "01.2.3.4", IOC_NONE },
  { "1..3.4", IOC_NONE },
  { "1.2.3.-4", IOC_NONE },
  { "1.2.3[.]4", IOC_IPV4 },
  { "198[.]51[.]100[.]23", IOC_IPV4 },
  { "198(.)51(.)100(.)23", IOC_IPV4 },
  { "198[dot]51[DOT]100{.}23", IOC_IPV4 },
  { "  192.0.2.1\t", IOC_IPV4 },
  { "192.0.2.1\r", IOC_IPV4 },
  /* IPv6 */
  { "2001:db8::1", IOC_IPV6 },
  { "::1", IOC_IPV6 },
  { "::", IOC_IPV6 },
  { "2001:0db8:0000:0000:0000:ff00:0042:8329", IOC_IPV6 },
  { "::ffff:192.0.2.1", IOC_IPV6 },
  { "2001:db8::/32", IOC_IPV6 },
  { "2001:db8::/128", IOC_IPV6 },
  { "2001:db8::/129", IOC_NONE },
  { "2001:db8[:][:]1", IOC_IPV6 },
  { "2001:db8:::1", IOC_NONE },
  { "2001:db8::g", IOC_NONE },
  { "1:2:3:4:5:6:7:8:9", IOC_NONE },
  { ":", IOC_NONE },
  /* domains */
  { "example.com", IOC_DOMAIN },
  { "EXAMPLE.COM", IOC_DOMAIN },
  { "example.com.", IOC_DOMAIN },
  { "mail.kcg-gov-tw.example", IOC_DOMAIN },
  { "a.b.c.d.e.example", IOC_DOMAIN },
  { "x1.co", IOC_DOMAIN },
  { "example.xn--kpry57d", IOC_DOMAIN },
  { "高雄.example.tw", IOC_DOMAIN },
  { "example[.]com", IOC_DOMAIN },
  { "example(.)com", IOC_DOMAIN },
  { "example[dot]com", IOC_DOMAIN },
  { "login-kcg[.]gov[.]tw[.]example", IOC_DOMAIN },
  { "example", IOC_NONE },
  { "example.c", IOC_NONE },
  { "example.c0m", IOC_NONE },
  { "example.123", IOC_NONE },
  { "example..com", IOC_NONE },
  { ".example.com", IOC_NONE },
  { "-bad.example.com", IOC_NONE },
  { "bad-.example.com", IOC_NONE },
  { "under_score.example.com", IOC_NONE },
  { "example.台灣", IOC_NONE },
  { "*.example.com", IOC_NONE },
  { "user@example.com", IOC_NONE },
  /* a label of 63 bytes is the longest */
  { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
    IOC_DOMAIN },
  { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
    IOC_NONE },
  /* URLs */
  { "http://example.com", IOC_URL },
  { "https://example.com/", IOC_URL },
  { "HTTPS://Example.com/a/b?c=d&e=f#g", IOC_URL },
  { "ftp://192.0.2.1/pub/file.exe", IOC_URL },
  { "http://192.0.2.1:8080/x", IOC_URL },
  { "http://[2001:db8::1]/x", IOC_URL },
  { "http://[2001:db8::1]:443", IOC_URL },
  { "https://example.com:65535/", IOC_URL },
  { "https://example.com:65536/", IOC_NONE },
  { "https://example.com:0/", IOC_NONE },
  { "https://example.com:/", IOC_NONE },
  { "hxxp://example[.]com/login.php", IOC_URL },
  { "hXXps://evil[.]example/a?b=1", IOC_URL },
  { "hxxps[://]evil[.]example/", IOC_URL },
  { "http[:]//198.51.100.23/drop.bin", IOC_URL },
  { "fxp://198.51.100.23/x", IOC_URL },
  { "evil.example/login.php", IOC_URL },
  { "198.51.100.23/admin/", IOC_URL },
  { "http://", IOC_NONE },
  { "http:///path", IOC_NONE },
  { "http://user:pw@example.com/", IOC_NONE },
  { "http://exa mple.com/", IOC_NONE },
  { "javascript:alert(1)", IOC_NONE },
  { "mailto:someone@example.com", IOC_NONE },
  { "http://[2001:db8::1/x", IOC_NONE },
  { "https://example.com/路徑", IOC_URL },
  /* hashes */
  { "d41d8cd98f00b204e9800998ecf8427e", IOC_MD5 },
  { "D41D8CD98F00B204E9800998ECF8427E", IOC_MD5 },
  { "da39a3ee5e6b4b0d3255bfef95601890afd80709", IOC_SHA1 },
  { "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    IOC_SHA256 },
  { "d41d8cd98f00b204e9800998ecf8427", IOC_NONE },   /* 31 */
  { "d41d8cd98f00b204e9800998ecf8427ee", IOC_NONE }, /* 33 */
  { "g41d8cd98f00b204e9800998ecf8427e", IOC_NONE },
  { "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
    IOC_NONE }, /* 63 */
  /* CVE identifiers */
  { "CVE-2024-3094", IOC_CVE },
  { "cve-2021-44228", IOC_CVE },
  { "CVE-1999-0001", IOC_CVE },
  { "CVE-2026-1234567", IOC_CVE },
  { "CVE-2026-1234567890123456789", IOC_CVE },
  { "CVE-2026-12345678901234567890", IOC_NONE },
  { "CVE-1998-0001", IOC_NONE },
  { "CVE-2024-123", IOC_NONE },
  { "CVE-24-3094", IOC_NONE },
  { "CVE-2024-3094a", IOC_NONE },
  { "CVE 2024-3094", IOC_NONE },
  { "CVE-2024_3094", IOC_NONE },
  /* not indicators */
  { "", IOC_NONE },
  { "   ", IOC_NONE },
  { "see 192.0.2.1", IOC_NONE },
  { "192.0.2.1 # C2", IOC_NONE },
  { "惡意中繼站", IOC_NONE },
  { "[.]", IOC_NONE },
  { "hxxp", IOC_NONE },
  { "192.0.2.1\x01", IOC_NONE },
  { "exa\x7fmple.com", IOC_NONE },
};

static void test_classify(void **state)
{
  size_t i, bad = 0;
  (void)state;
  for(i = 0; i < N(cases); i++) {
    enum ioc_kind got = ioc_classify(str_c(cases[i].line));
    if(got != cases[i].kind) {
      print_error("\"%s\": kind %d, want %d\n", cases[i].line, (int)got,
                  (int)cases[i].kind);
      bad++;
    }
  }
  assert_int_equal(bad, 0);
}

/* The length limit: a URL of IOC_LINE_MAX bytes is one, a byte more is
 * not; a defanged line is measured after its defanging is undone. */
static void test_long_lines(void **state)
{
  static char line[IOC_LINE_MAX + 2];
  size_t n;
  (void)state;
  memset(line, 'a', sizeof(line) - 1);
  memcpy(line, "http://example.com/", 19);
  line[IOC_LINE_MAX] = 0;
  assert_int_equal(ioc_classify(str_c(line)), IOC_URL);
  line[IOC_LINE_MAX] = 'a';
  line[IOC_LINE_MAX + 1] = 0;
  assert_int_equal(ioc_classify(str_c(line)), IOC_NONE);
  /* hxxp: (4 bytes) + "[://]" → "://" shortens by 2 */
  n = (size_t)snprintf(line, sizeof(line), "hxxp[://]example[.]com/");
  memset(line + n, 'a', IOC_LINE_MAX + 1 - n);
  line[IOC_LINE_MAX + 1] = 0;
  /* IOC_LINE_MAX + 1 bytes as typed: refused before defanging */
  assert_int_equal(ioc_classify(str_c(line)), IOC_NONE);
  line[IOC_LINE_MAX] = 0;
  assert_int_equal(ioc_classify(str_c(line)), IOC_URL);
}

/* An odd length must not make the hash test read past the line. */
static void test_view_not_terminated(void **state)
{
  const char text[] = "192.0.2.10";
  struct str s = { text, 9 }; /* "192.0.2.1" */
  (void)state;
  assert_int_equal(ioc_classify(s), IOC_IPV4);
  s.len = 7; /* "192.0.2" */
  assert_int_equal(ioc_classify(s), IOC_NONE);
}

static void test_labels(void **state)
{
  (void)state;
  assert_int_equal(ioc_kind_label(IOC_NONE), M_NONE);
  assert_int_equal(ioc_kind_label(IOC_IPV4), M_IOC_IPV4);
  assert_int_equal(ioc_kind_label(IOC_SHA256), M_IOC_SHA256);
  assert_int_equal(ioc_kind_label(IOC_CVE), M_IOC_CVE);
  assert_string_equal(msg_get(LANG_ZH, ioc_kind_label(IOC_URL)), "網址");
}

static void test_lines(void **state)
{
  struct str rest = str_c("\n  192.0.2.1 \r\n\r\n\t\nexample.com\nlast"), line;
  size_t lineno = 0;
  (void)state;
  assert_true(ioc_next_line(&rest, &line, &lineno));
  assert_int_equal(lineno, 2);
  assert_int_equal(line.len, 9);
  assert_memory_equal(line.p, "192.0.2.1", 9);
  assert_true(ioc_next_line(&rest, &line, &lineno));
  assert_int_equal(lineno, 5);
  assert_memory_equal(line.p, "example.com", 11);
  assert_true(ioc_next_line(&rest, &line, &lineno));
  assert_int_equal(lineno, 6);
  assert_int_equal(line.len, 4);
  assert_false(ioc_next_line(&rest, &line, &lineno));
  assert_false(ioc_next_line(&rest, &line, &lineno));
  rest = str_c("");
  lineno = 0;
  assert_false(ioc_next_line(&rest, &line, &lineno));
  assert_int_equal(lineno, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_classify),
    cmocka_unit_test(test_long_lines),
    cmocka_unit_test(test_view_not_terminated),
    cmocka_unit_test(test_labels),
    cmocka_unit_test(test_lines),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

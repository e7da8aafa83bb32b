/*
 * test_mail.c: unit tests for core/mail.c: address, relay and STARTTLS
 * checks, the RFC 5322 message (RFC 2047 subject cut between UTF-8
 * sequences, base64 body, lines of at most 76, CRLF) and header
 * injection refused.  Depends on cmocka and core/{mail,buf,utf8,str}.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/buf.h"
#include "core/mail.h"
#include "core/str.h"
#include "core/utf8.h"

/* Decode base64 s[0..n) into out; returns 0 on a bad character. */
static int unbase64(const char *s, size_t n, struct buf *out)
{
  static const char set[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  unsigned acc = 0;
  int bits = 0;
  size_t i;
  for(i = 0; i < n && s[i] != '='; i++) {
    const char *p = strchr(set, s[i]);
    if(!p || !s[i]) {
      return 0;
    }
    acc = (acc << 6) | (unsigned)(p - set);
    bits += 6;
    if(bits >= 8) {
      bits -= 8;
      buf_putc(out, (char)((acc >> bits) & 0xff));
    }
  }
  return 1;
}

/* Every line of msg ends with CRLF and has at most 76 characters. */
static void assert_lines(const char *msg)
{
  const char *p = msg;
  while(*p) {
    const char *crlf = strstr(p, "\r\n");
    assert_non_null(crlf);
    assert_true(crlf - p <= 76);
    assert_null(memchr(p, '\n', (size_t)(crlf - p)));
    assert_null(memchr(p, '\r', (size_t)(crlf - p)));
    p = crlf + 2;
  }
}

static void test_mail_check_address(void **state)
{
  static const struct {
    const char *addr;
    enum status want;
  } cases[] = {
    { "isms@example.gov.tw", ST_OK },
    { "first.last+tag@example.org", ST_OK },
    { "a@localhost", ST_OK },
    { "o'brien@x-y.example", ST_OK },
    { "", ST_INVALID },
    { "no-at.example.org", ST_INVALID },
    { "@example.org", ST_INVALID },
    { "a@", ST_INVALID },
    { ".a@example.org", ST_INVALID },
    { "a.@example.org", ST_INVALID },
    { "a..b@example.org", ST_INVALID },
    { "a b@example.org", ST_INVALID },
    { "a@exa mple.org", ST_INVALID },
    { "a@-example.org", ST_INVALID },
    { "a@example-.org", ST_INVALID },
    { "a@example..org", ST_INVALID },
    { "a@example.org.", ST_INVALID },
    { "\"quoted\"@example.org", ST_INVALID },
    { "a@example.org\r\nBcc: x@evil.example", ST_INVALID },
    { "a@example.org\nBcc: x@evil.example", ST_INVALID },
    { "a\r@example.org", ST_INVALID },
    { "a@example.org>", ST_INVALID },
    { "<a@example.org", ST_INVALID },
    { "名@example.org", ST_INVALID },
    { "a@例子.台灣", ST_INVALID },
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    if(mail_check_address(cases[i].addr) != cases[i].want) {
      fail_msg("address %s", cases[i].addr);
    }
  }
  assert_int_equal(mail_check_address(NULL), ST_INVALID);
}

static void test_mail_check_address_lengths(void **state)
{
  char addr[300];
  (void)state;
  /* 64 octets of local part pass, 65 do not. */
  memset(addr, 'a', 64);
  memcpy(addr + 64, "@example.org", 13);
  assert_int_equal(mail_check_address(addr), ST_OK);
  memset(addr, 'a', 65);
  memcpy(addr + 65, "@example.org", 13);
  assert_int_equal(mail_check_address(addr), ST_INVALID);
  /* A label of 64 octets is refused. */
  memcpy(addr, "a@", 2);
  memset(addr + 2, 'b', 64);
  memcpy(addr + 66, ".org", 5);
  assert_int_equal(mail_check_address(addr), ST_INVALID);
}

static void test_mail_check_relay(void **state)
{
  static const struct {
    const char *relay;
    enum status want;
  } cases[] = {
    { "smtp://mail.example.gov.tw", ST_OK },
    { "smtp://mail.example.gov.tw:587", ST_OK },
    { "smtps://mail.example.gov.tw:465/", ST_OK },
    { "smtp://127.0.0.1:2525", ST_OK },
    { "smtp://[::1]:25", ST_OK },
    { "", ST_INVALID },
    { "mail.example.gov.tw", ST_INVALID },
    { "http://mail.example.gov.tw", ST_INVALID },
    { "smtp://", ST_INVALID },
    { "smtp://user:secret@mail.example.gov.tw", ST_INVALID },
    { "smtp://mail.example.gov.tw:0", ST_INVALID },
    { "smtp://mail.example.gov.tw:65536", ST_INVALID },
    { "smtp://mail.example.gov.tw:x", ST_INVALID },
    { "smtp://mail.example.gov.tw/helo.example", ST_INVALID },
    { "smtp://mail example", ST_INVALID },
    { "smtp://mail.example.gov.tw\r\n", ST_INVALID },
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    if(mail_check_relay(cases[i].relay) != cases[i].want) {
      fail_msg("relay %s", cases[i].relay);
    }
  }
}

static void test_mail_tls_parse(void **state)
{
  enum mail_tls t = MAIL_TLS_NONE;
  (void)state;
  assert_int_equal(mail_tls_parse("required", &t), ST_OK);
  assert_int_equal(t, MAIL_TLS_REQUIRED);
  assert_int_equal(mail_tls_parse("optional", &t), ST_OK);
  assert_int_equal(t, MAIL_TLS_OPTIONAL);
  assert_int_equal(mail_tls_parse("none", &t), ST_OK);
  assert_int_equal(t, MAIL_TLS_NONE);
  assert_int_equal(mail_tls_parse("Required", &t), ST_INVALID);
  assert_int_equal(mail_tls_parse("", &t), ST_INVALID);
  assert_int_equal(mail_tls_parse(NULL, &t), ST_INVALID);
}

/* The decoded subject of message msg: the encoded words joined.  Each
 * word on its own must be valid UTF-8 (no sequence cut in two). */
static void decoded_subject(const char *msg, struct buf *out)
{
  const char *p = strstr(msg, "\r\nSubject:");
  const char *end;
  assert_non_null(p);
  p += 10;
  end = strstr(p, "\r\nMessage-ID:");
  assert_non_null(end);
  while(p < end) {
    const char *w = strstr(p, "=?UTF-8?B?"), *q;
    struct buf word;
    if(!w || w >= end) {
      break;
    }
    w += 10;
    q = strstr(w, "?=");
    assert_non_null(q);
    buf_init(&word, 256);
    assert_true(unbase64(w, (size_t)(q - w), &word));
    assert_true(utf8_valid((struct str){ word.data, word.len }, NULL));
    buf_append(out, word.data, word.len);
    buf_free(&word);
    p = q + 2;
  }
}

static void test_mail_build(void **state)
{
  static const char *const to[] = { "a@example.org", "b.c@example.org" };
  static const char subject[] =
    "【提醒】資通安全維護計畫實施情形將於 30 日後到期：請上傳佐證資料，"
    "逾期將通知資通安全長";
  struct mail m;
  struct buf msg, got;
  const char *body_at;
  enum msg why;
  (void)state;

  memset(&m, 0, sizeof(m));
  m.from = "isms@example.gov.tw";
  m.to = to;
  m.n_to = 2;
  m.subject = subject;
  m.body = "第一行\n第二行，含逗號; 分號\r\n第三行";
  m.date = 0;
  buf_init(&msg, 1u << 16);
  assert_int_equal(mail_build(&m, &msg, &why), ST_OK);
  assert_int_equal(why, M_NONE);
  assert_lines(msg.data);
  assert_non_null(
    strstr(msg.data, "Date: Thu, 1 Jan 1970 08:00:00 +0800\r\n"));
  assert_non_null(strstr(msg.data, "\r\nFrom: isms@example.gov.tw\r\n"));
  assert_non_null(
    strstr(msg.data, "\r\nTo: a@example.org, b.c@example.org\r\n"));
  assert_non_null(strstr(msg.data, "\r\nMIME-Version: 1.0\r\n"));
  assert_non_null(
    strstr(msg.data, "\r\nContent-Type: text/plain; charset=UTF-8\r\n"));
  assert_non_null(
    strstr(msg.data, "\r\nContent-Transfer-Encoding: base64\r\n"));
  assert_non_null(strstr(msg.data, "@example.gov.tw>\r\n"));
  /* The long subject needs several words, all decoded back whole. */
  assert_non_null(strstr(msg.data, "?=\r\n =?UTF-8?B?"));
  buf_init(&got, 4096);
  decoded_subject(msg.data, &got);
  assert_string_equal(got.data, subject);
  /* The body decodes to the text with CRLF line ends. */
  body_at = strstr(msg.data, "\r\n\r\n");
  assert_non_null(body_at);
  body_at += 4;
  buf_clear(&got);
  {
    struct buf b64;
    const char *p;
    buf_init(&b64, 4096);
    for(p = body_at; *p; p++) {
      if(*p != '\r' && *p != '\n') {
        buf_putc(&b64, *p);
      }
    }
    assert_true(unbase64(b64.data, b64.len, &got));
    buf_free(&b64);
  }
  assert_string_equal(got.data, "第一行\r\n第二行，含逗號; 分號\r\n第三行");
  buf_free(&got);
  buf_free(&msg);
}

static void test_mail_build_many_recipients(void **state)
{
  static const char *const to[] = {
    "officer.one@example.gov.tw",   "officer.two@example.gov.tw",
    "officer.three@example.gov.tw", "ciso@example.gov.tw",
    "security-team@example.gov.tw", "x@example.gov.tw",
  };
  struct mail m;
  struct buf msg;
  enum msg why;
  size_t i;
  (void)state;
  memset(&m, 0, sizeof(m));
  m.from = "isms@example.gov.tw";
  m.to = to;
  m.n_to = sizeof(to) / sizeof(to[0]);
  m.subject = "ASCII subject";
  m.body = "";
  buf_init(&msg, 1u << 16);
  assert_int_equal(mail_build(&m, &msg, &why), ST_OK);
  assert_lines(msg.data);
  for(i = 0; i < m.n_to; i++) {
    assert_non_null(strstr(msg.data, to[i]));
  }
  /* The To: header went on to a continuation line. */
  assert_non_null(strstr(msg.data, ",\r\n officer.three@example.gov.tw"));
  /* The empty subject and body still make a well-formed message. */
  buf_free(&msg);
}

/* Header injection: CR or LF in the subject, an address or the sender,
 * and other control characters, are refused before anything is built. */
static void test_mail_build_refuses_injection(void **state)
{
  static const struct {
    const char *from, *to, *subject;
    enum msg why;
  } cases[] = {
    { "isms@example.gov.tw", "a@example.org", "hi\r\nBcc: x@evil.example",
      M_MAIL_BAD_SUBJECT },
    { "isms@example.gov.tw", "a@example.org", "hi\nBcc: x@evil.example",
      M_MAIL_BAD_SUBJECT },
    { "isms@example.gov.tw", "a@example.org", "hi\rthere",
      M_MAIL_BAD_SUBJECT },
    { "isms@example.gov.tw", "a@example.org", "tab\there",
      M_MAIL_BAD_SUBJECT },
    { "isms@example.gov.tw", "a@example.org", "bad \xff utf-8",
      M_MAIL_BAD_SUBJECT },
    { "isms@example.gov.tw", "a@example.org\r\nBcc: x@evil.example", "hi",
      M_MAIL_BAD_TO },
    { "isms@example.gov.tw\nBcc: x@evil.example", "a@example.org", "hi",
      M_MAIL_BAD_FROM },
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const char *to[1];
    struct mail m;
    struct buf msg;
    enum msg why;
    memset(&m, 0, sizeof(m));
    to[0] = cases[i].to;
    m.from = cases[i].from;
    m.to = to;
    m.n_to = 1;
    m.subject = cases[i].subject;
    m.body = "body";
    buf_init(&msg, 4096);
    assert_int_equal(mail_build(&m, &msg, &why), ST_INVALID);
    assert_int_equal(why, cases[i].why);
    assert_null(strstr(msg.data, "Bcc"));
    buf_free(&msg);
  }
}

static void test_mail_build_no_recipient_and_bad_body(void **state)
{
  static const char *const to[] = { "a@example.org" };
  struct mail m;
  struct buf msg;
  enum msg why;
  (void)state;
  memset(&m, 0, sizeof(m));
  m.from = "isms@example.gov.tw";
  m.to = to;
  m.n_to = 0;
  m.subject = "s";
  m.body = "b";
  buf_init(&msg, 4096);
  assert_int_equal(mail_build(&m, &msg, &why), ST_INVALID);
  assert_int_equal(why, M_MAIL_NO_TO);
  m.n_to = 1;
  m.body = "\xe8\xb3";
  assert_int_equal(mail_build(&m, &msg, &why), ST_INVALID);
  assert_int_equal(why, M_MAIL_BAD_BODY);
  buf_free(&msg);
}

static void test_mail_build_cap(void **state)
{
  static const char *const to[] = { "a@example.org" };
  struct mail m;
  struct buf msg;
  enum msg why;
  (void)state;
  memset(&m, 0, sizeof(m));
  m.from = "isms@example.gov.tw";
  m.to = to;
  m.n_to = 1;
  m.subject = "s";
  m.body = "a body longer than the cap allows, a body longer than the cap";
  buf_init(&msg, 300);
  assert_int_equal(mail_build(&m, &msg, &why), ST_TOOBIG);
  buf_free(&msg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_mail_check_address),
    cmocka_unit_test(test_mail_check_address_lengths),
    cmocka_unit_test(test_mail_check_relay),
    cmocka_unit_test(test_mail_tls_parse),
    cmocka_unit_test(test_mail_build),
    cmocka_unit_test(test_mail_build_many_recipients),
    cmocka_unit_test(test_mail_build_refuses_injection),
    cmocka_unit_test(test_mail_build_no_recipient_and_bad_body),
    cmocka_unit_test(test_mail_build_cap),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}

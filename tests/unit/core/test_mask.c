/*
 * test_mask.c: unit tables for the personal-data scanner and its
 * operators (core/mask.h), written from /work/briefs/mask-spec.md: each
 * entity with valid and invalid checksums, separators, full-width forms,
 * identifiers glued to CJK text, inside URLs and e-mail addresses; the
 * indicators that are never masked; the context entities with and
 * without their keyword; span boundaries; every operator; the entity and
 * operator parsers; the key file.  Every input is scanned from a heap
 * buffer of its exact size, so ASan sees a read past the end.
 * Depends on cmocka, libsodium and core/{mask,buf,utf8,mem}.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mask.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "../exact.h"

#define N(a)   (sizeof(a) / sizeof((a)[0]))
#define BIT(e) (1u << (e))
#define DEF    MASK_DEFAULT
#define ALL    MASK_ALL

/* ---- helpers ---- */

#define MAX_FOUND 64

/* What one scan reported. */
struct found {
  struct mask_finding f[MAX_FOUND]; /* the findings, in order */
  size_t n;                         /* how many */
  size_t calls;                     /* callbacks, also past MAX_FOUND */
  size_t stop_after;                /* stop after this many (0: never) */
};

static int collect(void *ctx, const struct mask_finding *f)
{
  struct found *r = ctx;
  if(r->n < MAX_FOUND) {
    r->f[r->n++] = *f;
  }
  r->calls++;
  return r->stop_after && r->calls >= r->stop_after;
}

/* 1 if byte offset i of s[0..n) is the start of a character or the
 * end. */
static int on_boundary(const char *s, size_t n, size_t i)
{
  return i == n || ((unsigned char)s[i] & 0xC0) != 0x80;
}

/* Scan s[0..n) (already an exact-size buffer) and check what mask.h
 * promises of any input: findings inside the text, ascending,
 * non-overlapping, of a known entity in the set, with a score in (0, 1],
 * on character boundaries when the text is valid UTF-8, and the return
 * value equal to the number of callbacks.  Returns the count of broken
 * promises (printed). */
static int scan_checked(const char *s, size_t n, unsigned set, struct found *r,
                        const char *what)
{
  int bad = 0;
  int valid = utf8_valid((struct str){ s, n }, NULL);
  size_t end = 0, got;
  memset(r, 0, sizeof(*r));
  got = mask_scan(s, n, set, collect, r);
  if(got != r->calls) {
    print_error("%s: mask_scan returned %zu for %zu findings\n", what, got,
                r->calls);
    bad++;
  }
  for(size_t i = 0; i < r->n; i++) {
    const struct mask_finding *f = &r->f[i];
    if(f->off < end || f->len == 0 || f->off > n || f->len > n - f->off ||
       (unsigned)f->entity >= MASK_N || !(set & BIT(f->entity)) ||
       !(f->score > 0.0f && f->score <= 1.0f) ||
       (valid &&
        (!on_boundary(s, n, f->off) || !on_boundary(s, n, f->off + f->len)))) {
      print_error("%s: finding %zu (%s at %zu+%zu, score %g) breaks the "
                  "contract\n",
                  what, i, mask_entity_name(f->entity), f->off, f->len,
                  (double)f->score);
      bad++;
    }
    end = f->off + f->len;
  }
  return bad;
}

/* mask_text(s, set, op, key) from an exact-size copy of s; the result in
 * out (freed by the caller with buf_free). */
static size_t mask_str(struct buf *out, const char *s, unsigned set,
                       enum mask_op op, const struct mask_key *key)
{
  struct str in = exact(s, strlen(s));
  size_t n;
  buf_init(out, 1u << 20);
  n = mask_text(out, in.p, in.len, set, op, key);
  exact_free(in);
  return n;
}

/* A cases table: input, entity set, the text mask_text() writes with the
 * replace operator.  Every case is checked and every failure printed
 * before the test fails, so one run shows all the differences. */
struct mcase {
  const char *in;  /* the text */
  unsigned set;    /* entities */
  const char *out; /* masked with replace */
};

/* Newlines around a case's text: long enough that the scanner's vector
 * pass (texts of 132 bytes and more) sees the text, not only its byte by
 * byte loop; a newline is neither filler nor part of any identifier. */
#define PAD 150

/* The case again between PAD newlines on each side: masked the same.
 * Returns 1 (printed) when not. */
static int padded_same(const struct mcase *c, const char *what)
{
  size_t n = strlen(c->in), want_n = strlen(c->out);
  char *text = xmalloc(n + 2 * PAD), *want = xmalloc(want_n + 2 * PAD + 1);
  struct buf out;
  int bad;
  memset(text, '\n', PAD);
  memcpy(text + PAD, c->in, n);
  memset(text + PAD + n, '\n', PAD);
  memset(want, '\n', PAD);
  memcpy(want + PAD, c->out, want_n);
  memset(want + PAD + want_n, '\n', PAD);
  want[want_n + 2 * PAD] = 0;
  buf_init(&out, 1u << 20);
  mask_text(&out, text, n + 2 * PAD, c->set, MASK_OP_REPLACE, NULL);
  bad = out.err || strcmp(out.data, want) != 0;
  if(bad) {
    print_error("%s, padded to %zu bytes: \"%s\"\n   want \"%s\"\n    got "
                "\"%.*s\"\n",
                what, n + 2 * PAD, c->in, c->out,
                out.len > 2 * PAD ? (int)(out.len - 2 * PAD) : 0,
                out.len > 2 * PAD ? out.data + PAD : "");
  }
  buf_free(&out);
  free(text);
  free(want);
  return bad;
}

static void run_cases(const struct mcase *cases, size_t n, const char *name)
{
  int failures = 0;
  for(size_t i = 0; i < n; i++) {
    struct str in = exact(cases[i].in, strlen(cases[i].in));
    struct found r;
    struct buf out;
    char what[96];
    snprintf(what, sizeof(what), "%s case %zu", name, i);
    failures += scan_checked(in.p, in.len, cases[i].set, &r, what);
    buf_init(&out, 1u << 20);
    mask_text(&out, in.p, in.len, cases[i].set, MASK_OP_REPLACE, NULL);
    if(out.err || strcmp(out.data, cases[i].out) != 0) {
      print_error("%s: \"%s\"\n   want \"%s\"\n    got \"%s\"\n", what,
                  cases[i].in, cases[i].out, out.data);
      failures++;
    }
    buf_free(&out);
    exact_free(in);
    failures += padded_same(&cases[i], what);
  }
  assert_int_equal(failures, 0);
}

/* Unchanged: a text in which nothing may be found. */
#define KEEP(s, set)                                                          \
  {                                                                           \
    s, set, s                                                                 \
  }

/* ---- entities ---- */

/* The pass mask_scan() runs is the one ISMS_MASK_ISA asks for (the
 * ctest variants set it; a CPU may have less, never more). */
static void test_isa(void **state)
{
  const char *want = getenv("ISMS_MASK_ISA"), *isa = mask_scan_isa();
  (void)state;
  assert_true(!strcmp(isa, "avx512") || !strcmp(isa, "avx2") ||
              !strcmp(isa, "scalar"));
  if(want && !strcmp(want, "scalar")) {
    assert_string_equal(isa, "scalar");
  }
  if(want && !strcmp(want, "avx2")) {
    assert_string_not_equal(isa, "avx512");
  }
}

/* TW_ID: each letter code (I O W X Y Z have codes out of order), men and
 * women, and the same numbers with the check digit off by one. */
static void test_tw_id_checksums(void **state)
{
  static const struct mcase cases[] = {
    { "A123456789", DEF, "<TW_ID>" },
    { "B123456780", DEF, "<TW_ID>" },
    { "C123456781", DEF, "<TW_ID>" },
    { "D123456782", DEF, "<TW_ID>" },
    { "E123456783", DEF, "<TW_ID>" },
    { "F123456784", DEF, "<TW_ID>" },
    { "G123456785", DEF, "<TW_ID>" },
    { "H123456786", DEF, "<TW_ID>" },
    { "I123456781", DEF, "<TW_ID>" },
    { "J123456787", DEF, "<TW_ID>" },
    { "K123456788", DEF, "<TW_ID>" },
    { "L123456788", DEF, "<TW_ID>" },
    { "M123456789", DEF, "<TW_ID>" },
    { "N123456780", DEF, "<TW_ID>" },
    { "O123456782", DEF, "<TW_ID>" },
    { "P123456781", DEF, "<TW_ID>" },
    { "Q123456782", DEF, "<TW_ID>" },
    { "R123456783", DEF, "<TW_ID>" },
    { "S123456784", DEF, "<TW_ID>" },
    { "T123456785", DEF, "<TW_ID>" },
    { "U123456786", DEF, "<TW_ID>" },
    { "V123456787", DEF, "<TW_ID>" },
    { "W123456789", DEF, "<TW_ID>" },
    { "X123456787", DEF, "<TW_ID>" },
    { "Y123456788", DEF, "<TW_ID>" },
    { "Z123456780", DEF, "<TW_ID>" },
    { "A200000012", DEF, "<TW_ID>" },
    { "I200000014", DEF, "<TW_ID>" },
    { "O200000015", DEF, "<TW_ID>" },
    { "W200000012", DEF, "<TW_ID>" },
    { "Z200000013", DEF, "<TW_ID>" },
    { "A100000001", DEF, "<TW_ID>" },
    /* check digit off by one */
    KEEP("A123456780", DEF),
    KEEP("B123456781", DEF),
    KEEP("I123456782", DEF),
    KEEP("K123456789", DEF),
    KEEP("O123456783", DEF),
    KEEP("W123456780", DEF),
    KEEP("X123456788", DEF),
    KEEP("Y123456789", DEF),
    KEEP("Z123456781", DEF),
    KEEP("A200000013", DEF),
    /* the second digit is 1 or 2 (3 with a valid sum is neither an ID
     * nor a resident certificate) */
    KEEP("A323456783", ALL),
    /* lower case is not an ID */
    KEEP("a123456789", ALL),
    KEEP("z123456780", ALL),
    /* one digit short or long */
    KEEP("A12345678", ALL),
    KEEP("A1234567890", ALL),
  };
  (void)state;
  run_cases(cases, N(cases), "tw_id");
}

/* TW_ARC: the new format (letter + 8|9) with the ID's checksum, the old
 * format (two letters, the second's code mod 10 as the first digit). */
static void test_tw_arc_checksums(void **state)
{
  static const struct mcase cases[] = {
    { "A800000014", DEF, "<TW_ARC>" },
    { "F912345678", DEF, "<TW_ARC>" },
    { "AA12345675", DEF, "<TW_ARC>" },
    { "BB00000011", DEF, "<TW_ARC>" },
    { "CC76543215", DEF, "<TW_ARC>" },
    { "DD11111110", DEF, "<TW_ARC>" },
    { "居留證號碼：A800000014。", DEF, "居留證號碼：<TW_ARC>。" },
    KEEP("A800000015", DEF),
    KEEP("F912345679", DEF),
    KEEP("AA12345676", DEF),
    KEEP("DD11111111", DEF),
    /* only A-D as the old format's second letter */
    KEEP("AE12345675", ALL),
    /* glued to a letter: part of a longer token */
    KEEP("XAA12345675", ALL),
    { "A800000014", BIT(MASK_TW_ID), "A800000014" },
  };
  (void)state;
  run_cases(cases, N(cases), "tw_arc");
}

/* PHONE: mobile and landline, every separator, +886 and 886, (02),
 * extensions left out, wrong lengths. */
static void test_phone(void **state)
{
  static const struct mcase cases[] = {
    { "0912345678", DEF, "<PHONE>" },
    { "0912-345-678", DEF, "<PHONE>" },
    { "0912 345 678", DEF, "<PHONE>" },
    { "0912-345678", DEF, "<PHONE>" },
    { "+886912345678", DEF, "<PHONE>" },
    { "+886-912-345-678", DEF, "<PHONE>" },
    { "+886 912 345 678", DEF, "<PHONE>" },
    { "886912345678", DEF, "<PHONE>" },
    { "0223456789", DEF, "<PHONE>" },
    { "02-2345-6789", DEF, "<PHONE>" },
    { "02 2345 6789", DEF, "<PHONE>" },
    { "(02)2345-6789", DEF, "<PHONE>" },
    { "(02)23456789", DEF, "<PHONE>" },
    { "(07)123-4567", DEF, "<PHONE>" },
    { "071234567", DEF, "<PHONE>" },
    { "07-123-4567", DEF, "<PHONE>" },
    { "+886-2-2345-6789", DEF, "<PHONE>" },
    { "+886 2 2345 6789", DEF, "<PHONE>" },
    { "+88622345678", DEF, "<PHONE>" },
    { "電話：02-2345-6789#123", DEF, "電話：<PHONE>#123" },
    { "電話 02-2345-6789 分機 123", DEF, "電話 <PHONE> 分機 123" },
    { "電話02-2345-6789分機123", DEF, "電話<PHONE>分機123" },
    { "Tel: 02-2345-6789 ext. 12", DEF, "Tel: <PHONE> ext. 12" },
    { "手機0912345678請回電", DEF, "手機<PHONE>請回電" },
    { "（0912-345-678）", DEF, "（<PHONE>）" },
    { "０９１２３４５６７８", DEF, "<PHONE>" },
    /* wrong length, wrong prefix, glued to digits or letters */
    KEEP("091234567", ALL),
    KEEP("09123456789", ALL),
    KEEP("0112345678", ALL),
    KEEP("1912345678", ALL),
    KEEP("x0912345678", ALL),
    KEEP("0912345678x", ALL),
    KEEP("02234567", ALL),
    KEEP("022345678901", ALL),
    { "0912345678", BIT(MASK_EMAIL), "0912345678" },
  };
  (void)state;
  run_cases(cases, N(cases), "phone");
}

static void test_email(void **state)
{
  static const struct mcase cases[] = {
    { "john@example.com", DEF, "<EMAIL>" },
    { "john.doe+isms@mail.example.gov.tw", DEF, "<EMAIL>" },
    { "寄至 wang_xm@example.com.tw 。", DEF, "寄至 <EMAIL> 。" },
    { "信箱wang@example.com，謝謝", DEF, "信箱<EMAIL>，謝謝" },
    { "（wang@example.com.tw）", DEF, "（<EMAIL>）" },
    /* an ID in the local part makes it an e-mail address */
    { "A123456789@example.com", DEF, "<EMAIL>" },
    { "0912345678@example.com", DEF, "<EMAIL>" },
    { "mail a@b.tw and c@d.tw", DEF, "mail <EMAIL> and <EMAIL>" },
    /* domains alone are indicators */
    KEEP("www.example.gov.tw", ALL),
    KEEP("see example.com", ALL),
    KEEP("@example.com", ALL),
    KEEP("john@", ALL),
    { "john@example.com", BIT(MASK_PHONE), "john@example.com" },
  };
  (void)state;
  run_cases(cases, N(cases), "email");
}

/* DOB: every date form after every keyword, the date only; nothing
 * without a keyword. */
static void test_dob(void **state)
{
  static const struct mcase cases[] = {
    { "出生日期：1986-03-02", DEF, "出生日期：<DOB>" },
    { "生日 1986/3/2", DEF, "生日 <DOB>" },
    { "DOB: 1986.03.02", DEF, "DOB: <DOB>" },
    { "出生 19860302", DEF, "出生 <DOB>" },
    { "出生年月日：1986年3月2日", DEF, "出生年月日：<DOB>" },
    { "生日：75年3月2日", DEF, "生日：<DOB>" },
    { "出生：民國75年3月2日", DEF, "出生：民國<DOB>" },
    { "生日 075/03/02", DEF, "生日 <DOB>" },
    { "DOB 75.3.2", DEF, "DOB <DOB>" },
    { "D.O.B. 1986-03-02", DEF, "D.O.B. <DOB>" },
    { "Date of birth: 1986-03-02", DEF, "Date of birth: <DOB>" },
    { "born on 1986-03-02", DEF, "born on <DOB>" },
    { "born 1986-03-02.", DEF, "born <DOB>." },
    /* the keyword inside a longer word: birthday, Birthdate */
    { "birthday: 1986-03-02", DEF, "birthday: <DOB>" },
    { "Birthdate 1986/03/02", DEF, "Birthdate <DOB>" },
    KEEP("newborn 1986-03-02", ALL),
    { "王小明，1986年3月2日出生", DEF, "王小明，1986年3月2日出生" },
    /* no birth keyword: plain dates are indicators */
    KEEP("日期：1986-03-02", ALL),
    KEEP("事件發生於 113年3月2日 09:12:30", ALL),
    KEEP("2024-03-02 09:12:30 sshd[1234]", ALL),
    KEEP("19860302", ALL),
    /* the keyword too far away */
    KEEP("出生地為臺灣，本案於民國一百一十三年第一季受理，日期 1986-03-02",
         ALL),
    { "生日 1986-03-02", BIT(MASK_TW_ID), "生日 1986-03-02" },
  };
  (void)state;
  run_cases(cases, N(cases), "dob");
}

static void test_passport(void **state)
{
  static const struct mcase cases[] = {
    { "護照號碼：312345678", DEF, "護照號碼：<PASSPORT>" },
    { "護照 312345678", DEF, "護照 <PASSPORT>" },
    { "護照312345678。", DEF, "護照<PASSPORT>。" },
    { "passport no. 312345678", DEF, "passport no. <PASSPORT>" },
    { "Passport number: AB1234567", DEF, "Passport number: <PASSPORT>" },
    { "passport 312345678", DEF, "passport <PASSPORT>" },
    KEEP("312345678", ALL),
    KEEP("號碼 312345678", ALL),
    /* the keyword glued to digits before it is part of a longer token */
    KEEP("02passport 312345678", ALL),
    { "護照 312345678", BIT(MASK_TW_ID), "護照 312345678" },
  };
  (void)state;
  run_cases(cases, N(cases), "passport");
}

static void test_name(void **state)
{
  static const struct mcase cases[] = {
    { "姓名：王小明", DEF, "姓名：<NAME>" },
    { "姓名:王小明", DEF, "姓名:<NAME>" },
    { "聯絡人 陳大文先生", DEF, "聯絡人 <NAME>先生" },
    { "承辦人：林美玲，電話", DEF, "承辦人：<NAME>，電話" },
    { "申請人:張三", DEF, "申請人:<NAME>" },
    { "負責人：李四小姐", DEF, "負責人：<NAME>小姐" },
    { "通報人：歐陽娜娜。", DEF, "通報人：<NAME>。" },
    { "當事人 黃志明", DEF, "當事人 <NAME>" },
    { "報案人：吳美華 君", DEF, "報案人：<NAME> 君" },
    { "收件人：周杰", DEF, "收件人：<NAME>" },
    { "寄件人：鄭成功", DEF, "寄件人：<NAME>" },
    { "持卡人：許文雄", DEF, "持卡人：<NAME>" },
    { "使用者姓名：蔡英", DEF, "使用者姓名：<NAME>" },
    { "姓名：王小明0912345678", DEF, "姓名：<NAME><PHONE>" },
    { "Name: John Smith", DEF, "Name: <NAME>" },
    { "Contact: Mary Ann Lee", DEF, "Contact: <NAME>" },
    { "Applicant: John Smith, IT", DEF, "Applicant: <NAME>, IT" },
    { "Reporter: Jane Doe.", DEF, "Reporter: <NAME>." },
    /* no keyword */
    KEEP("王小明到場說明", ALL),
    KEEP("John Smith wrote", ALL),
    KEEP("name: john smith", ALL),
    KEEP("0000Name: John Smith", ALL),
    { "NAME: 王小明", DEF, "NAME: <NAME>" },
    { "CONTACT: Mary Ann Lee", DEF, "CONTACT: <NAME>" },
    KEEP("x9Contact: 王小明", ALL),
    { "姓名：王小明", BIT(MASK_TW_ID), "姓名：王小明" },
  };
  (void)state;
  run_cases(cases, N(cases), "name");
}

static void test_address(void **state)
{
  static const struct mcase cases[] = {
    { "臺北市中正區重慶南路一段122號", DEF, "<ADDRESS>" },
    { "台北市中正區重慶南路1段122號", DEF, "<ADDRESS>" },
    { "地址：新北市板橋區中山路1段161號3樓", DEF, "地址：<ADDRESS>" },
    { "台中市西屯區臺灣大道三段99號", DEF, "<ADDRESS>" },
    /* household registration: village and neighbourhood */
    { "臺北市中正區幸福里3鄰重慶南路一段122號", DEF, "<ADDRESS>" },
    { "地址：花蓮縣吉安鄉仁愛村中山路12號", DEF, "地址：<ADDRESS>" },
    { "新北市板橋區光明里１２鄰中山路1段161號3樓", DEF, "<ADDRESS>" },
    /* 里 without a district before it or a 鄰 after it is no village */
    { "約兩公里中山路5號", DEF, "約兩公里<ADDRESS>" },
    /* a district of three characters, no county before it */
    { "地點：太麻里鄉成功路一段115號之2", DEF, "地點：<ADDRESS>" },
    { "位於阿里山鄉中正路3號", DEF, "位於<ADDRESS>" },
    { "高雄市苓雅區四維三路2號之1，", DEF, "<ADDRESS>，" },
    { "臺北市大安區和平東路二段106巷12弄5號3樓之2", DEF, "<ADDRESS>" },
    { "臺北市大安區忠孝東路四段１２３號", DEF, "<ADDRESS>" },
    { "花蓮縣吉安鄉中山路三段1號", DEF, "<ADDRESS>" },
    { "中正區重慶南路一段122號", DEF, "<ADDRESS>" },
    { "地址：重慶南路一段122號，電話", DEF, "地址：<ADDRESS>，電話" },
    { "住址為宜蘭縣宜蘭市中山路二段5號。", DEF, "住址為<ADDRESS>。" },
    /* no number and 號: a place, not an address */
    KEEP("臺北市中正區", ALL),
    KEEP("重慶南路一段", ALL),
    KEEP("本機關位於臺北市", ALL),
    { "臺北市中正區重慶南路一段122號", BIT(MASK_TW_ID),
      "臺北市中正區重慶南路一段122號" },
  };
  (void)state;
  run_cases(cases, N(cases), "address");
}

/* CARD: each prefix, 13 to 19 digits, Luhn, groups. */
static void test_card(void **state)
{
  static const struct mcase cases[] = {
    { "4111111111111111", DEF, "<CARD>" },
    { "4111 1111 1111 1111", DEF, "<CARD>" },
    { "4111-1111-1111-1111", DEF, "<CARD>" },
    { "5555555555554444", DEF, "<CARD>" },
    { "5100000000000008", DEF, "<CARD>" },
    { "2221000000000009", DEF, "<CARD>" },
    { "2720000000000005", DEF, "<CARD>" },
    { "378282246310005", DEF, "<CARD>" },
    { "3782 822463 10005", DEF, "<CARD>" },
    { "371449635398431", DEF, "<CARD>" },
    { "3530111333300000", DEF, "<CARD>" },
    { "3500000000000009", DEF, "<CARD>" },
    { "6200000000000005", DEF, "<CARD>" },
    { "4000000000006", DEF, "<CARD>" },
    { "4000000000000000006", DEF, "<CARD>" },
    { "卡號4111111111111111，", DEF, "卡號<CARD>，" },
    /* Luhn off by one */
    KEEP("4111111111111112", ALL),
    KEEP("4111 1111 1111 1112", ALL),
    KEEP("5555555555554445", ALL),
    /* prefixes not listed */
    KEEP("6011111111111117", ALL),
    KEEP("9000000000000001", ALL),
    KEEP("5600000000000003", ALL),
    KEEP("2220000000000000", ALL),
    KEEP("2721000000000004", ALL),
    /* too short or long */
    KEEP("400000000002", ALL),
    KEEP("40000000000000000002", ALL),
    KEEP("x4111111111111111", ALL),
    { "4111111111111111", BIT(MASK_PHONE), "4111111111111111" },
  };
  (void)state;
  run_cases(cases, N(cases), "card");
}

/* UBN: off by default, found only after its keyword, the 7th-digit-7
 * rule. */
static void test_ubn(void **state)
{
  static const struct mcase cases[] = {
    { "統一編號：04595257", ALL, "統一編號：<UBN>" },
    { "統編 22099131", ALL, "統編 <UBN>" },
    { "營利事業統一編號 12345675", ALL, "營利事業統一編號 <UBN>" },
    { "扣繳單位統一編號：10458575", ALL, "扣繳單位統一編號：<UBN>" },
    { "UBN: 10000074", ALL, "UBN: <UBN>" },
    { "Tax ID 04595257", ALL, "Tax ID <UBN>" },
    { "VAT 04595257", ALL, "VAT <UBN>" },
    /* the 7th digit is 7: (sum + 1) % 5 == 0 is enough */
    { "統一編號：10000073", ALL, "統一編號：<UBN>" },
    { "統一編號：10000078", ALL, "統一編號：<UBN>" },
    { "統一編號：10000171", BIT(MASK_UBN), "統一編號：<UBN>" },
    /* ... but only then */
    KEEP("統一編號：10000003", ALL),
    KEEP("統一編號：22099132", ALL),
    /* off by default; nothing without a keyword */
    KEEP("統一編號：04595257", DEF),
    KEEP("04595257", ALL),
    KEEP("訂單 04595257", ALL),
  };
  (void)state;
  run_cases(cases, N(cases), "ubn");
}

/* ---- boundaries ---- */

static void test_boundaries(void **state)
{
  static const struct mcase cases[] = {
    /* glued to CJK: found */
    { "王小明A123456789先生", DEF, "王小明<TW_ID>先生" },
    { "身分證字號A123456789。", DEF, "身分證字號<TW_ID>。" },
    /* glued to ASCII letters or digits: part of a longer token */
    KEEP("xA123456789", ALL),
    KEEP("A123456789x", ALL),
    KEEP("1A123456789", ALL),
    KEEP("A1234567890", ALL),
    KEEP("ABA123456789", ALL),
    /* punctuation around it */
    { "(A123456789)", DEF, "(<TW_ID>)" },
    { "ID:A123456789,", DEF, "ID:<TW_ID>," },
    { "\"A123456789\"", DEF, "\"<TW_ID>\"" },
    { "A123456789\nB123456780\n", DEF, "<TW_ID>\n<TW_ID>\n" },
    /* full-width letters and digits count as ASCII */
    { "Ａ１２３４５６７８９", DEF, "<TW_ID>" },
    { "Ａ123456789", DEF, "<TW_ID>" },
    { "身分證Ａ１２３４５６７８９號", DEF, "身分證<TW_ID>號" },
    KEEP("ｘＡ１２３４５６７８９", ALL),
    KEEP("Ａ１２３４５６７８９０", ALL),
    KEEP("Ａ１２３４５６７８０", ALL),
    /* typed half in one width, half in the other (the vector pass once
     * saw only the ASCII digits of these, too few for any shape) */
    { "886９12345678", DEF, "<PHONE>" },
    { "0912３４５６７８", DEF, "<PHONE>" },
    { "A12345678９", DEF, "<TW_ID>" },
    { "4111 1111 1111 １１１１", DEF, "<CARD>" },
    { "卡號5509１１２３４５６７８", DEF, "卡號<CARD>" },
    /* a full-width hyphen between groups, a full-width letter two before
     * the digits (found by every pass alike) */
    { "4111－1111－1111－1111", DEF, "<CARD>" },
    { "ＡB10000004", DEF, "<TW_ARC>" },
    /* a dotted number ends at "..": what follows is read on its own */
    { "x 1.2..0912345678 y", DEF, "x 1.2..<PHONE> y" },
    { "x ver 1.2..4111111111111111 x", DEF, "x ver 1.2..<CARD> x" },
    /* 886 split over two groups is no international number */
    KEEP("tel +88 6912345678", ALL),
    KEEP("tel +88-6912345678", ALL),
    /* a CVE id's digits end at "--": what follows is read on its own */
    { "CVE-2024-12345--0912345678", DEF, "CVE-2024-12345--<PHONE>" },
    KEEP("CVE-2024-0912345678", ALL),
    /* inside URLs only the identifier is masked */
    { "https://example.gov.tw/q?id=A123456789&lang=zh", DEF,
      "https://example.gov.tw/q?id=<TW_ID>&lang=zh" },
    { "https://example.gov.tw/u/A123456789/edit", DEF,
      "https://example.gov.tw/u/<TW_ID>/edit" },
    { "http://10.1.2.3/cb?phone=0912345678", DEF,
      "http://10.1.2.3/cb?phone=<PHONE>" },
    /* several in one text, in order */
    { "姓名：王小明，身分證A123456789，手機0912-345-678，"
      "信箱wang@example.com。",
      DEF, "姓名：<NAME>，身分證<TW_ID>，手機<PHONE>，信箱<EMAIL>。" },
    { "A123456789 0912345678 4111111111111111 john@example.com", DEF,
      "<TW_ID> <PHONE> <CARD> <EMAIL>" },
    /* the set chooses */
    { "A123456789 0912345678 4111111111111111", BIT(MASK_PHONE),
      "A123456789 <PHONE> 4111111111111111" },
    KEEP("", ALL),
  };
  (void)state;
  run_cases(cases, N(cases), "boundaries");
}

/* The indicators intelligence is about, even when they hold digit runs
 * shaped like identifiers. */
static void test_never_masked(void **state)
{
  static const struct mcase cases[] = {
    KEEP("192.168.100.200", ALL),
    KEEP("from 10.0.0.1 port 22", ALL),
    KEEP("140.112.8.116:443", ALL),
    KEEP("2001:db8:85a3::8a2e:370:7334", ALL),
    KEEP("fe80::1ff:fe23:4567:890a", ALL),
    KEEP("2001:0db8:0000:0000:0000:ff00:0042:8329", ALL),
    KEEP("[2001:db8::1]:8080", ALL),
    KEEP("www.example.gov.tw", ALL),
    KEEP("evil-domain123.example.com", ALL),
    KEEP("d41d8cd98f00b204e9800998ecf8427e", ALL),
    KEEP("D41D8CD98F00B204E9800998ECF8427E", ALL),
    KEEP("0912345678abcdef0123456789abcdef", ALL),
    KEEP("4111111111111111abcdefabcdefabcdef012345", ALL),
    KEEP("e3b0c44298fc1c149afbf4c8996fb9240223456789ae41e4649b934ca495991b",
         ALL),
    KEEP("MD5: 0912345678abcdef0123456789abcdef。", ALL),
    KEEP("CVE-2024-12345", ALL),
    KEEP("CVE-2021-44228 及 CVE-2024-3094", ALL),
    KEEP("CVE-2023-4863000", ALL),
    KEEP("v10.0.19045.3803", ALL),
    KEEP("OpenSSL 3.0.11", ALL),
    KEEP("09:12:30", ALL),
    KEEP("2024-03-02T09:12:30+08:00", ALL),
    KEEP("2024/03/02 09:12", ALL),
    KEEP("113年3月2日", ALL),
    KEEP("port 8080, pid 12345, uid 1000", ALL),
  };
  (void)state;
  run_cases(cases, N(cases), "never");
}

/* Checksum entities score 1; spans of full-width input are the whole
 * characters. */
static void test_scores_and_spans(void **state)
{
  static const struct {
    const char *in;     /* text */
    unsigned set;       /* entities */
    enum mask_entity e; /* the one finding */
    size_t off, len;    /* its span */
    int exact_score;    /* score must be 1 */
  } cases[] = {
    { "ID A123456789", DEF, MASK_TW_ID, 3, 10, 1 },
    { "Ａ１２３４５６７８９", DEF, MASK_TW_ID, 0, 30, 1 },
    { "身分證Ａ１２３４５６７８９號", DEF, MASK_TW_ID, 9, 30, 1 },
    { "AA12345675", DEF, MASK_TW_ARC, 0, 10, 1 },
    { "卡 4111-1111-1111-1111", DEF, MASK_CARD, 4, 19, 1 },
    /* a UBN's checksum passes one number in five: the scanner scores
     * it 0.95, context and checksum together */
    { "統編 04595257", ALL, MASK_UBN, 7, 8, 0 },
    { "+886-912-345-678#5", DEF, MASK_PHONE, 0, 16, 0 },
    { "(02)2345-6789", DEF, MASK_PHONE, 0, 13, 0 },
    { "生日 1986-03-02", DEF, MASK_DOB, 7, 10, 0 },
    { "姓名：王小明", DEF, MASK_NAME, 9, 9, 0 },
  };
  int failures = 0;
  (void)state;
  for(size_t i = 0; i < N(cases); i++) {
    struct str in = exact(cases[i].in, strlen(cases[i].in));
    struct found r;
    char what[64];
    snprintf(what, sizeof(what), "span case %zu", i);
    failures += scan_checked(in.p, in.len, cases[i].set, &r, what);
    if(r.n != 1 || r.f[0].entity != cases[i].e || r.f[0].off != cases[i].off ||
       r.f[0].len != cases[i].len ||
       (cases[i].exact_score && r.f[0].score != 1.0f)) {
      print_error("%s \"%s\": want %s at %zu+%zu, got %zu findings", what,
                  cases[i].in, mask_entity_name(cases[i].e), cases[i].off,
                  cases[i].len, r.n);
      if(r.n) {
        print_error(" (first %s at %zu+%zu score %g)",
                    mask_entity_name(r.f[0].entity), r.f[0].off, r.f[0].len,
                    (double)r.f[0].score);
      }
      print_error("\n");
      failures++;
    }
    exact_free(in);
  }
  assert_int_equal(failures, 0);
}

/* The callback can stop the scan. */
static void test_scan_stops(void **state)
{
  struct str in = exact("A123456789 B123456780 C123456781", 32);
  struct found r;
  (void)state;
  memset(&r, 0, sizeof(r));
  r.stop_after = 1;
  assert_int_equal(mask_scan(in.p, in.len, DEF, collect, &r), 1);
  assert_int_equal(r.calls, 1);
  memset(&r, 0, sizeof(r));
  assert_int_equal(mask_scan(in.p, in.len, DEF, collect, &r), 3);
  memset(&r, 0, sizeof(r));
  assert_int_equal(mask_scan(in.p, in.len, 0, collect, &r), 0);
  assert_int_equal(mask_scan(in.p, 0, DEF, collect, &r), 0);
  exact_free(in);
}

/* ---- robustness ---- */

/* A text with every entity and indicator, cut at every byte (and so
 * mid-character), scanned from exact-size buffers; then bad bytes in
 * the middle and truncated sequences at the end. */
static void test_truncated_and_invalid(void **state)
{
  static const char rich[] =
    "姓名：王小明，身分證Ａ１２３４５６７８９，居留證AA12345675，"
    "手機+886-912-345-678，電話(02)2345-6789#12，信箱 wang@example.com，"
    "出生日期：民國75年3月2日，護照號碼：312345678，卡號 4111 1111 1111 "
    "1111，統一編號：04595257，地址：臺北市大安區和平東路二段106巷12弄"
    "5號3樓之2。Name: John Smith, DOB 1986-03-02, passport AB1234567. "
    "https://example.gov.tw/q?id=A123456789 from 192.168.1.10 "
    "2001:db8::1 CVE-2024-12345 d41d8cd98f00b204e9800998ecf8427e 09:12:30";
  static const char *const tails[] = {
    "A12345678\xE4\xB8",
    "０９１２３４５６７\xEF\xBC",
    "姓名：\xE7\x8E",
    "臺北市中正區重慶南路一段12\xEF",
    "john@\xFF",
    "護照\xE8",
    "+886\xC2",
    "\xEF\xBC",
    "\xEF",
    "Ａ\xEF\xBC\x91",
    "出生 1986-03-0\xF0\x9F\x98",
  };
  static const char *const middles[] = {
    "A1234\x80"
    "56789",
    "09\xFF"
    "12345678",
    "王\xC0\x80小明",
    "john\xED\xA0\x80@example.com",
    "臺北市\xF5中正區重慶南路一段122號",
    "\xEF\xBC\x91\xEF\xBC"
    "2345678",
  };
  size_t len = sizeof(rich) - 1, k;
  int failures = 0;
  char what[64];
  (void)state;
  for(k = 0; k <= len; k++) {
    struct str in = exact(rich, k);
    struct found r;
    snprintf(what, sizeof(what), "prefix %zu", k);
    failures += scan_checked(in.p, in.len, ALL, &r, what);
    exact_free(in);
  }
  for(k = 0; k < N(tails) + N(middles); k++) {
    const char *s = k < N(tails) ? tails[k] : middles[k - N(tails)];
    size_t n = strlen(s), cut;
    for(cut = 0; cut <= n; cut++) {
      struct str in = exact(s, cut);
      struct found r;
      struct buf out;
      snprintf(what, sizeof(what), "bad %zu cut %zu", k, cut);
      failures += scan_checked(in.p, in.len, ALL, &r, what);
      buf_init(&out, 1 << 16);
      mask_text(&out, in.p, in.len, ALL, MASK_OP_PARTIAL, NULL);
      assert_int_equal(out.err, ST_OK);
      exact_free(in);
      buf_free(&out);
    }
  }
  /* The whole rich text: something of each entity is found. */
  {
    struct str in = exact(rich, len);
    struct found r;
    unsigned seen = 0;
    failures += scan_checked(in.p, in.len, ALL, &r, "rich");
    for(k = 0; k < r.n; k++) {
      seen |= BIT(r.f[k].entity);
    }
    if(seen != ALL) {
      print_error("rich text: entities seen %#x, want %#x\n", seen, ALL);
      failures++;
    }
    exact_free(in);
  }
  assert_int_equal(failures, 0);
}

/* ---- operators ---- */

static const char mixed[] =
  "姓名：王小明，身分證A123456789，手機0912-345-678，信箱 "
  "john@example.com，卡號4111111111111111，地址：臺北市中正區重慶南路一段"
  "122號。來源 192.168.1.10，CVE-2024-12345。\n";

/* A fixed key for the operators (no file). */
static void fixed_key(struct mask_key *k, unsigned char fill)
{
  memset(k->hash, fill, sizeof(k->hash));
  memset(k->enc, (unsigned char)(fill + 1), sizeof(k->enc));
}

static void test_op_partial(void **state)
{
  static const struct {
    const char *in, *out;
  } cases[] = {
    { "A123456789", "A12****789" },
    { "Ａ１２３４５６７８９", "Ａ１２****７８９" },
    { "姓名：王小明", "姓名：王*明" },
    { "申請人:張三", "申請人:張*" },
    { "通報人：歐陽娜娜。", "通報人：歐**娜。" },
    { "john@example.com", "j***@example.com" },
    { "0912345678", "0912***678" },
    { "4111111111111111", "4111********1111" },
  };
  int failures = 0;
  (void)state;
  for(size_t i = 0; i < N(cases); i++) {
    struct buf out;
    mask_str(&out, cases[i].in, DEF, MASK_OP_PARTIAL, NULL);
    if(strcmp(out.data, cases[i].out) != 0) {
      print_error("partial \"%s\": want \"%s\", got \"%s\"\n", cases[i].in,
                  cases[i].out, out.data);
      failures++;
    }
    buf_free(&out);
  }
  assert_int_equal(failures, 0);
}

static void test_op_redact_replace(void **state)
{
  struct buf out;
  (void)state;
  mask_str(&out, "身分證 A123456789。", DEF, MASK_OP_REDACT, NULL);
  assert_string_equal(out.data, "身分證 。");
  buf_free(&out);
  assert_int_equal(mask_str(&out, mixed, DEF, MASK_OP_REPLACE, NULL), 6);
  assert_string_equal(out.data,
                      "姓名：<NAME>，身分證<TW_ID>，手機<PHONE>，信箱 "
                      "<EMAIL>，卡號<CARD>，地址：<ADDRESS>。"
                      "來源 192.168.1.10，CVE-2024-12345。\n");
  buf_free(&out);
  /* hash and encrypt without a key fall back to replace */
  mask_str(&out, "ID A123456789", DEF, MASK_OP_HASH, NULL);
  assert_string_equal(out.data, "ID <TW_ID>");
  buf_free(&out);
  mask_str(&out, "ID A123456789", DEF, MASK_OP_ENCRYPT, NULL);
  assert_string_equal(out.data, "ID <TW_ID>");
  buf_free(&out);
}

/* 1 if s is one hash or encryption token of entity name: <NAME:k:...>
 * with letters of the token alphabet only. */
static int is_token(const char *s, size_t n, const char *name, char kind)
{
  size_t nl = strlen(name), i;
  if(n < nl + 5 || s[0] != '<' || memcmp(s + 1, name, nl) != 0 ||
     s[nl + 1] != ':' || s[nl + 2] != kind || s[nl + 3] != ':' ||
     s[n - 1] != '>') {
    return 0;
  }
  for(i = nl + 4; i < n - 1; i++) {
    if(!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'F'))) {
      return 0;
    }
  }
  return 1;
}

static void test_op_hash(void **state)
{
  struct mask_key k1, k2;
  struct buf a, b, c;
  (void)state;
  fixed_key(&k1, 1);
  fixed_key(&k2, 7);
  /* the same value twice: the same token */
  mask_str(&a, "A123456789 A123456789 B123456780", DEF, MASK_OP_HASH, &k1);
  {
    const char *sp1 = strchr(a.data, ' ');
    assert_non_null(sp1);
    const char *sp2 = strchr(sp1 + 1, ' ');
    assert_non_null(sp2);
    size_t l1 = (size_t)(sp1 - a.data), l2 = (size_t)(sp2 - sp1 - 1);
    assert_true(is_token(a.data, l1, "TW_ID", 'h'));
    assert_int_equal(l1, l2);
    assert_memory_equal(a.data, sp1 + 1, l1);
    /* another value: another token */
    assert_true(is_token(sp2 + 1, strlen(sp2 + 1), "TW_ID", 'h'));
    assert_string_not_equal(sp2 + 1, "");
    assert_false(strlen(sp2 + 1) == l1 && !memcmp(sp2 + 1, a.data, l1));
  }
  /* full-width and separators do not change the value */
  mask_str(&b, "Ａ１２３４５６７８９ A123456789 B123456780", DEF, MASK_OP_HASH,
           &k1);
  assert_string_equal(a.data, b.data);
  buf_free(&b);
  mask_str(&b, "0912-345-678", DEF, MASK_OP_HASH, &k1);
  mask_str(&c, "0912345678", DEF, MASK_OP_HASH, &k1);
  assert_true(is_token(b.data, b.len, "PHONE", 'h'));
  assert_string_equal(b.data, c.data);
  buf_free(&b);
  buf_free(&c);
  /* another key: another token */
  mask_str(&b, "A123456789 A123456789 B123456780", DEF, MASK_OP_HASH, &k2);
  assert_string_not_equal(a.data, b.data);
  buf_free(&a);
  buf_free(&b);
}

static void test_op_encrypt_reveal(void **state)
{
  struct mask_key k1, k2;
  struct buf m1, m2, back;
  size_t found;
  (void)state;
  fixed_key(&k1, 3);
  fixed_key(&k2, 9);
  found = mask_str(&m1, mixed, DEF, MASK_OP_ENCRYPT, &k1);
  assert_int_equal(found, 6);
  assert_null(strstr(m1.data, "A123456789"));
  assert_null(strstr(m1.data, "王小明"));
  assert_null(strstr(m1.data, "john@example.com"));
  assert_non_null(strstr(m1.data, "<TW_ID:e:"));
  assert_non_null(strstr(m1.data, "192.168.1.10"));
  /* the tokens are counted without a key; other tokens are not */
  assert_int_equal(mask_sealed_count(m1.data, m1.len), 6);
  assert_int_equal(mask_sealed_count("<TW_ID> <TW_ID:h:abc> <TW_ID:e:>", 32),
                   0);
  /* a token cut before its '>' is not one */
  assert_int_equal(
    mask_sealed_count(m1.data, (size_t)(strrchr(m1.data, '>') - m1.data)), 5);
  /* a fresh nonce each time */
  mask_str(&m2, mixed, DEF, MASK_OP_ENCRYPT, &k1);
  assert_string_not_equal(m1.data, m2.data);
  /* the key opens every token */
  buf_init(&back, 1 << 20);
  assert_int_equal(mask_reveal(&back, m1.data, m1.len, &k1), 6);
  assert_string_equal(back.data, mixed);
  buf_free(&back);
  /* another key opens none and changes nothing */
  buf_init(&back, 1 << 20);
  assert_int_equal(mask_reveal(&back, m1.data, m1.len, &k2), 0);
  assert_string_equal(back.data, m1.data);
  buf_free(&back);
  /* a token changed by one letter stays closed; the others open */
  {
    char *t = strstr(m1.data, "<TW_ID:e:");
    assert_non_null(t);
    t += 12;
    *t = *t == 'a' ? 'b' : 'a';
    buf_init(&back, 1 << 20);
    assert_int_equal(mask_reveal(&back, m1.data, m1.len, &k1), 5);
    assert_null(strstr(back.data, "A123456789"));
    assert_non_null(strstr(back.data, "王小明"));
    buf_free(&back);
  }
  /* reveal on text without tokens, and on cut tokens, from exact
   * buffers */
  for(size_t cut = 0; cut <= m2.len; cut += 7) {
    struct str in = exact(m2.data, cut);
    buf_init(&back, 1 << 20);
    mask_reveal(&back, in.p, in.len, &k1);
    assert_int_equal(back.err, ST_OK);
    buf_free(&back);
    exact_free(in);
  }
  buf_free(&m1);
  buf_free(&m2);
}

/* Masked text masks to itself, with every operator; the output of valid
 * UTF-8 is valid UTF-8. */
static void test_idempotent(void **state)
{
  static const enum mask_op ops[] = { MASK_OP_REPLACE, MASK_OP_REDACT,
                                      MASK_OP_PARTIAL, MASK_OP_HASH,
                                      MASK_OP_ENCRYPT };
  static const char *const texts[] = {
    mixed,
    "Name: John Smith, DOB 1986-03-02, passport AB1234567, "
    "phone +886 2 2345 6789, card 3782 822463 10005.",
    "居留證AA12345675、A800000014；電話 (07)123-4567；"
    "出生年月日：民國75年3月2日；護照號碼：312345678。",
  };
  struct mask_key k;
  int failures = 0;
  (void)state;
  fixed_key(&k, 5);
  for(size_t t = 0; t < N(texts); t++) {
    for(size_t o = 0; o < N(ops); o++) {
      struct buf once, twice;
      size_t again;
      mask_str(&once, texts[t], ALL, ops[o], &k);
      assert_true(utf8_valid((struct str){ once.data, once.len }, NULL));
      again = mask_str(&twice, once.data, ALL, ops[o], &k);
      if(again != 0 || strcmp(once.data, twice.data) != 0) {
        print_error("text %zu, %s: masking again found %zu\n  once  %s\n  "
                    "twice %s\n",
                    t, mask_op_name(ops[o]), again, once.data, twice.data);
        failures++;
      }
      buf_free(&once);
      buf_free(&twice);
    }
  }
  assert_int_equal(failures, 0);
}

/* ---- parsers ---- */

static void test_entities_parse(void **state)
{
  static const struct {
    const char *in; /* list */
    enum status st; /* result */
    unsigned set;   /* when ST_OK */
    size_t bad_at;  /* when ST_INVALID */
  } cases[] = {
    { "TW_ID", ST_OK, BIT(MASK_TW_ID), 0 },
    { "tw_id,Phone", ST_OK, BIT(MASK_TW_ID) | BIT(MASK_PHONE), 0 },
    { " EMAIL , CARD ", ST_OK, BIT(MASK_EMAIL) | BIT(MASK_CARD), 0 },
    { "all", ST_OK, MASK_ALL, 0 },
    { "ALL", ST_OK, MASK_ALL, 0 },
    { "default", ST_OK, MASK_DEFAULT, 0 },
    { "default,UBN", ST_OK, MASK_ALL, 0 },
    { "UBN", ST_OK, BIT(MASK_UBN), 0 },
    { "TW_ARC,DOB,PASSPORT,NAME,ADDRESS", ST_OK,
      BIT(MASK_TW_ARC) | BIT(MASK_DOB) | BIT(MASK_PASSPORT) | BIT(MASK_NAME) |
        BIT(MASK_ADDRESS),
      0 },
    { "TW_ID,TW_ID", ST_OK, BIT(MASK_TW_ID), 0 },
    { "", ST_INVALID, 0, 0 },
    { "   ", ST_INVALID, 0, 3 },
    { "FOO", ST_INVALID, 0, 0 },
    { "TW_ID,FOO", ST_INVALID, 0, 6 },
    { "TW_ID, FOO", ST_INVALID, 0, 7 },
    { "TW_ID,,EMAIL", ST_INVALID, 0, 6 },
    { ",TW_ID", ST_INVALID, 0, 0 },
    { "TW_IDX", ST_INVALID, 0, 0 },
    { "TW", ST_INVALID, 0, 0 },
    { "身分證", ST_INVALID, 0, 0 },
  };
  (void)state;
  for(size_t i = 0; i < N(cases); i++) {
    unsigned set = 12345;
    size_t bad = 999;
    enum status st = mask_entities_parse(cases[i].in, &set, &bad);
    if(st != cases[i].st) {
      print_error("entities \"%s\": status %d\n", cases[i].in, (int)st);
    }
    assert_int_equal(st, cases[i].st);
    if(st == ST_OK) {
      assert_int_equal(set, cases[i].set);
    }
    else {
      assert_int_equal(set, 12345); /* untouched */
      assert_int_equal(bad, cases[i].bad_at);
    }
    /* bad_at may be NULL */
    assert_int_equal(mask_entities_parse(cases[i].in, &set, NULL),
                     cases[i].st);
  }
  /* the names round-trip */
  for(unsigned e = 0; e < MASK_N; e++) {
    unsigned set = 0;
    assert_int_equal(
      mask_entities_parse(mask_entity_name((enum mask_entity)e), &set, NULL),
      ST_OK);
    assert_int_equal(set, BIT(e));
  }
  assert_string_equal(mask_entity_name(MASK_N), "?");
}

static void test_op_parse(void **state)
{
  static const struct {
    const char *in;
    enum status st;
    enum mask_op op;
  } cases[] = {
    { "replace", ST_OK, MASK_OP_REPLACE },
    { "redact", ST_OK, MASK_OP_REDACT },
    { "partial", ST_OK, MASK_OP_PARTIAL },
    { "hash", ST_OK, MASK_OP_HASH },
    { "encrypt", ST_OK, MASK_OP_ENCRYPT },
    { "HASH", ST_OK, MASK_OP_HASH },
    { "", ST_INVALID, 0 },
    { "mask", ST_INVALID, 0 },
    { "hash ", ST_INVALID, 0 },
    { "replac", ST_INVALID, 0 },
    { "encryption", ST_INVALID, 0 },
  };
  (void)state;
  for(size_t i = 0; i < N(cases); i++) {
    enum mask_op op = MASK_OP_PARTIAL;
    assert_int_equal(mask_op_parse(cases[i].in, &op), cases[i].st);
    if(cases[i].st == ST_OK) {
      assert_int_equal(op, cases[i].op);
      assert_string_equal(mask_op_name(op),
                          cases[i].in[0] == 'H' ? "hash" : cases[i].in);
    }
  }
  {
    enum mask_op op;
    assert_int_equal(mask_op_parse(NULL, &op), ST_INVALID);
  }
}

/* ---- the key file ---- */

/* Write n bytes of fill to path with mode. */
static void write_file(const char *path, size_t n, mode_t mode)
{
  unsigned char b[64];
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  assert_true(fd >= 0);
  memset(b, 0x5a, sizeof(b));
  assert_int_equal(write(fd, b, n), (ssize_t)n);
  assert_int_equal(close(fd), 0);
  assert_int_equal(chmod(path, mode), 0);
}

static void test_key_load(void **state)
{
  char dir[] = "/tmp/isms-test-mask-XXXXXX";
  char path[128], other[128];
  struct mask_key k1, k2, zero;
  struct stat sb;
  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof(path), "%s/mask.key", dir);
  snprintf(other, sizeof(other), "%s/other.key", dir);
  memset(&zero, 0, sizeof(zero));

  /* missing, not created */
  assert_int_equal(mask_key_load(path, 0, &k1), ST_IO);
  assert_int_not_equal(stat(path, &sb), 0);
  /* created: 32 bytes, owner only, and the same key when read again */
  assert_int_equal(mask_key_load(path, 1, &k1), ST_OK);
  assert_int_equal(stat(path, &sb), 0);
  assert_int_equal(sb.st_size, 32);
  assert_int_equal(sb.st_mode & 0777, 0600);
  assert_int_equal(mask_key_load(path, 0, &k2), ST_OK);
  assert_memory_equal(&k1, &k2, sizeof(k1));
  assert_int_equal(mask_key_load(path, 1, &k2), ST_OK);
  assert_memory_equal(&k1, &k2, sizeof(k1));
  assert_memory_not_equal(k1.hash, k1.enc, sizeof(k1.hash));
  /* another new key differs */
  assert_int_equal(mask_key_load(other, 1, &k2), ST_OK);
  assert_memory_not_equal(&k1, &k2, sizeof(k1));
  unlink(other);
  /* readable by others: refused */
  assert_int_equal(chmod(path, 0644), 0);
  assert_int_equal(mask_key_load(path, 0, &k2), ST_FORBIDDEN);
  assert_int_equal(chmod(path, 0640), 0);
  assert_int_equal(mask_key_load(path, 1, &k2), ST_FORBIDDEN);
  assert_int_equal(chmod(path, 0400), 0);
  assert_int_equal(mask_key_load(path, 0, &k2), ST_OK);
  assert_memory_equal(&k1, &k2, sizeof(k1));
  unlink(path);
  /* wrong sizes */
  write_file(other, 31, 0600);
  assert_int_equal(mask_key_load(other, 0, &k2), ST_INVALID);
  write_file(other, 33, 0600);
  assert_int_equal(mask_key_load(other, 1, &k2), ST_INVALID);
  write_file(other, 0, 0600);
  assert_int_equal(mask_key_load(other, 0, &k2), ST_INVALID);
  write_file(other, 32, 0600);
  assert_int_equal(mask_key_load(other, 0, &k2), ST_OK);
  unlink(other);
  /* not a file */
  assert_int_equal(mask_key_load(dir, 0, &k2), ST_IO);
  /* a directory that does not exist: cannot be made */
  snprintf(other, sizeof(other), "%s/no/such.key", dir);
  assert_int_equal(mask_key_load(other, 1, &k2), ST_IO);
  /* wiped */
  mask_key_wipe(&k1);
  assert_memory_equal(&k1, &zero, sizeof(k1));
  assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_isa),
    cmocka_unit_test(test_tw_id_checksums),
    cmocka_unit_test(test_tw_arc_checksums),
    cmocka_unit_test(test_phone),
    cmocka_unit_test(test_email),
    cmocka_unit_test(test_dob),
    cmocka_unit_test(test_passport),
    cmocka_unit_test(test_name),
    cmocka_unit_test(test_address),
    cmocka_unit_test(test_card),
    cmocka_unit_test(test_ubn),
    cmocka_unit_test(test_boundaries),
    cmocka_unit_test(test_never_masked),
    cmocka_unit_test(test_scores_and_spans),
    cmocka_unit_test(test_scan_stops),
    cmocka_unit_test(test_truncated_and_invalid),
    cmocka_unit_test(test_op_partial),
    cmocka_unit_test(test_op_redact_replace),
    cmocka_unit_test(test_op_hash),
    cmocka_unit_test(test_op_encrypt_reveal),
    cmocka_unit_test(test_idempotent),
    cmocka_unit_test(test_entities_parse),
    cmocka_unit_test(test_op_parse),
    cmocka_unit_test(test_key_load),
  };
  if(sodium_init() < 0) {
    return 1;
  }
  return cmocka_run_group_tests(tests, NULL, NULL);
}

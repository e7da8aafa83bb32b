/*
 * test_ods.c: unit tests for reports/ods.c and odf.c: XML escaping of
 * every cell (the five XML characters, control characters XML 1.0
 * forbids, NUL, CJK text), the paragraphs of a cell (lines, tabs, runs of spaces), a
 * whole spreadsheet's zip layout (mimetype first and stored) and its
 * temporary files being removed.  Depends on cmocka, reports/ods and
 * libzip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "reports/odf.h"
#include "reports/ods.h"

/* A string literal and its length, so cases can hold NUL bytes. */
#define S(lit)                                                                \
  {                                                                           \
    lit, sizeof(lit) - 1                                                      \
  }

static void test_odf_xml_escape_table(void **state)
{
  static const struct {
    struct str in;
    const char *out;
  } cases[] = {
    { S(""), "" },
    { S("plain"), "plain" },
    { S("<b>&\"'"), "&lt;b&gt;&amp;&quot;&apos;" },
    { S("a&&b"), "a&amp;&amp;b" },
    { S("=cmd|' /C calc'!A0"), "=cmd|&apos; /C calc&apos;!A0" },
    { S("資訊資產"), "資訊資產" },
    { S("tab\there\nline\rcr"), "tab\there\nline\rcr" },
    { S("nul\0x\x01y\x1f"), "nulxy" },
    { S("\x7f"), "\x7f" },
    { S("]]>"), "]]&gt;" },
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf b;
    buf_init(&b, 1024);
    odf_xml_escape(&b, cases[i].in);
    assert_int_equal(b.err, ST_OK);
    assert_string_equal(b.data, cases[i].out);
    buf_free(&b);
  }
}

static void test_ods_xml_paragraphs_table(void **state)
{
  static const struct {
    struct str in;
    const char *out;
  } cases[] = {
    { S(""), "<text:p></text:p>" },
    { S("a<b"), "<text:p>a&lt;b</text:p>" },
    { S("one\ntwo"), "<text:p>one</text:p><text:p>two</text:p>" },
    { S("one\r\ntwo\rthree"),
      "<text:p>one</text:p><text:p>two</text:p><text:p>three</text:p>" },
    { S("a\tb"), "<text:p>a<text:tab/>b</text:p>" },
    { S("a b"), "<text:p>a b</text:p>" },
    { S("a  b"), "<text:p>a <text:s/>b</text:p>" },
    { S("a    b"), "<text:p>a <text:s text:c=\"3\"/>b</text:p>" },
    { S(" lead"), "<text:p><text:s/>lead</text:p>" },
    { S("   lead"), "<text:p><text:s text:c=\"3\"/>lead</text:p>" },
    { S("x\n y"), "<text:p>x</text:p><text:p><text:s/>y</text:p>" },
    { S("&\n<"), "<text:p>&amp;</text:p><text:p>&lt;</text:p>" },
    { S("\x02"), "<text:p></text:p>" },
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf b;
    buf_init(&b, 1024);
    ods_xml_paragraphs(&b, cases[i].in);
    assert_int_equal(b.err, ST_OK);
    assert_string_equal(b.data, cases[i].out);
    buf_free(&b);
  }
}

/* The escaped output never holds a raw < or &, whatever the input. */
static void test_odf_xml_escape_every_byte(void **state)
{
  char in[256];
  struct buf b;
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(in); i++) {
    in[i] = (char)i;
  }
  buf_init(&b, 4096);
  ods_xml_paragraphs(&b, (struct str){ in, sizeof(in) });
  assert_int_equal(b.err, ST_OK);
  for(i = 0; i < b.len; i++) {
    unsigned char c = (unsigned char)b.data[i];
    assert_true(c >= 0x20 || c == '\t' || c == '\n' || c == '\r');
  }
  assert_non_null(strstr(b.data, "&lt;"));
  assert_null(strstr(b.data, "<text:p><</text:p>"));
  buf_free(&b);
}

/* out is a zip whose first entry is the stored mimetype, then the
 * manifest, the styles and the content. */
static void check_zip(const struct buf *out)
{
  zip_error_t ze;
  zip_source_t *src;
  zip_t *z;
  zip_stat_t st;
  zip_file_t *f;
  char mime[64];
  zip_int64_t n;
  zip_error_init(&ze);
  src = zip_source_buffer_create(out->data, out->len, 0, &ze);
  assert_non_null(src);
  z = zip_open_from_source(src, ZIP_RDONLY, &ze);
  assert_non_null(z);
  assert_int_equal(zip_get_num_entries(z, 0), 4);
  assert_string_equal(zip_get_name(z, 0, 0), "mimetype");
  assert_int_equal(zip_stat_index(z, 0, 0, &st), 0);
  assert_int_equal(st.comp_method, ZIP_CM_STORE);
  f = zip_fopen_index(z, 0, 0);
  assert_non_null(f);
  n = zip_fread(f, mime, sizeof(mime) - 1);
  assert_true(n > 0);
  mime[n] = 0;
  zip_fclose(f);
  assert_string_equal(mime, "application/vnd.oasis.opendocument.spreadsheet");
  assert_true(zip_name_locate(z, "META-INF/manifest.xml", 0) > 0);
  assert_true(zip_name_locate(z, "styles.xml", 0) > 0);
  assert_true(zip_name_locate(z, "content.xml", 0) > 0);
  zip_close(z);
  /* The raw bytes start with the stored mimetype (ODF 1.2 part 3). */
  assert_memory_equal(out->data + 30, "mimetype", 8);
}

static void test_ods_sheet(void **state)
{
  static const double widths[] = { 10, 20 };
  struct ods o;
  struct buf out;
  struct stat sb;
  char dir[REPORT_DIR_MAX];
  (void)state;
  assert_int_equal(ods_open(&o, "表<1>", widths, 2), ST_OK);
  memcpy(dir, o.dir, sizeof(dir));
  assert_int_equal(stat(dir, &sb), 0);
  ods_row(&o);
  ods_text(&o, "標題 & <title>", CELL_TITLE);
  ods_row(&o);
  ods_text(&o, "=1+1", CELL_PLAIN);
  ods_number(&o, 42);
  ods_row(&o);
  ods_text(&o, NULL, CELL_PLAIN);
  ods_text(&o, "", CELL_HEADER);
  buf_init(&out, 1u << 20);
  assert_int_equal(ods_finish(&o, &out), ST_OK);
  check_zip(&out);
  /* The temporary directory is gone. */
  assert_int_not_equal(stat(dir, &sb), 0);
  buf_free(&out);
}

static void test_ods_abort_cleans_up(void **state)
{
  static const double widths[] = { 10 };
  struct ods o;
  struct stat sb;
  char dir[REPORT_DIR_MAX];
  (void)state;
  assert_int_equal(ods_open(&o, "x", widths, 1), ST_OK);
  memcpy(dir, o.dir, sizeof(dir));
  ods_row(&o);
  ods_text(&o, "a", CELL_PLAIN);
  ods_abort(&o);
  assert_int_not_equal(stat(dir, &sb), 0);
  ods_abort(&o); /* harmless twice */
}

/* An output cap that is too small fails with ST_TOOBIG and leaves no
 * temporary files. */
static void test_ods_output_cap(void **state)
{
  static const double widths[] = { 10 };
  struct ods o;
  struct buf out;
  struct stat sb;
  char dir[REPORT_DIR_MAX];
  (void)state;
  assert_int_equal(ods_open(&o, "x", widths, 1), ST_OK);
  memcpy(dir, o.dir, sizeof(dir));
  ods_row(&o);
  ods_text(&o, "a", CELL_PLAIN);
  buf_init(&out, 100);
  assert_int_equal(ods_finish(&o, &out), ST_TOOBIG);
  assert_int_not_equal(stat(dir, &sb), 0);
  buf_free(&out);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_odf_xml_escape_table),
    cmocka_unit_test(test_ods_xml_paragraphs_table),
    cmocka_unit_test(test_odf_xml_escape_every_byte),
    cmocka_unit_test(test_ods_sheet),
    cmocka_unit_test(test_ods_abort_cleans_up),
    cmocka_unit_test(test_ods_output_cap),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}

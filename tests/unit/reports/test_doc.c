/*
 * test_doc.c: unit tests for the document writer: the model
 * (reports/doc.c: every text checked, invalid UTF-8 and control
 * characters refused, each limit refused with ST_TOOBIG and never cut,
 * errors sticky, a full arena), the column widths, the ODT
 * (reports/odt.c: the package, well-formed XML, every text of the
 * sample present and the hostile strings intact, page layout, language,
 * font, repeated header row, page fields) and the PDF (reports/pdf.c:
 * a file with more than one page for the long table, a row taller than
 * a page, the page cap, the output cap).  Outside readers (pdftotext,
 * LibreOffice) check the same sample in tests/integration/test_doc.py.
 * Depends on cmocka, reports/doc, odt, pdf, libzip and expat.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <expat.h>
#include <math.h>
#include <string.h>
#include <zip.h>

#include "core/arena.h"
#include "core/buf.h"
#include "reports/doc.h"
#include "reports/odt.h"
#include "reports/pdf.h"
#include "doc_sample.h"

/* Room for every test's document. */
#define ARENA_MAX (64u << 20)

/* The texts the sample promises, one line each. */
struct expected {
  const char *lines[1024]; /* copies in the arena */
  size_t n;                /* number of lines */
  struct arena *a;         /* where the copies live */
};

static void remember(void *ctx, const char *line)
{
  struct expected *e = ctx;
  assert_true(e->n < sizeof(e->lines) / sizeof(e->lines[0]));
  e->lines[e->n] = arena_strdup(e->a, line);
  assert_non_null(e->lines[e->n]);
  e->n++;
}

static void ignore(void *ctx, const char *line)
{
  (void)ctx;
  (void)line;
}

/* ---- the model ---- */

static void test_doc_builds_sample(void **state)
{
  struct arena a;
  struct doc d;
  const struct doc_block *b;
  size_t n_tables = 0;
  (void)state;
  arena_init(&a, ARENA_MAX);
  doc_init(&d, &a);
  assert_int_equal(doc_sample(&d, SAMPLE_ROWS, ignore, NULL), ST_OK);
  assert_string_equal(d.title, "資通安全事件調查、處理及改善報告");
  assert_int_equal(d.n_meta, 2);
  assert_string_equal(d.meta[0], "機關名稱：高雄市政府新聞局");
  /* The ROC date (2026-01-07 is 民國115年). */
  assert_string_equal(d.meta[1], "製表日期：民國115年1月7日");
  for(b = d.blocks; b; b = b->next) {
    if(b->kind == DOC_TABLE && b->n_cols == 4) {
      assert_int_equal(b->n_rows, SAMPLE_ROWS);
      assert_string_equal(b->head[1], "資產名稱");
      assert_string_equal(b->rows->cells[3], sample_hostile[0]);
      assert_string_equal(b->last->cells[1], "主機-200");
    }
    if(b->kind == DOC_SIGNATURE) {
      assert_int_equal(b->n_cols, 3);
      assert_string_equal(b->head[0], "承辦人");
      assert_string_equal(b->head[1], "單位主管");
      assert_string_equal(b->head[2], "資通安全長");
    }
    n_tables += b->kind == DOC_TABLE || b->kind == DOC_FIELDS ||
                b->kind == DOC_SIGNATURE;
  }
  assert_int_equal(n_tables, d.n_tables);
  arena_reset(&a);
}

/* Texts are copied: the caller's buffers may change afterwards. */
static void test_doc_copies_text(void **state)
{
  struct arena a;
  struct doc d;
  char text[16] = "原文";
  const char *cells[1];
  (void)state;
  arena_init(&a, ARENA_MAX);
  doc_init(&d, &a);
  doc_para(&d, text);
  doc_table(&d, 1, NULL, NULL);
  cells[0] = text;
  doc_row(&d, cells);
  memcpy(text, "changed", 8);
  assert_string_equal(d.blocks->text, "原文");
  assert_string_equal(d.last->rows->cells[0], "原文");
  assert_null(d.last->head);
  /* NULL cells and texts are empty. */
  cells[0] = NULL;
  assert_int_equal(doc_row(&d, cells), ST_OK);
  assert_string_equal(d.last->last->cells[0], "");
  assert_int_equal(doc_para(&d, NULL), ST_OK);
  assert_string_equal(d.last->text, "");
  arena_reset(&a);
}

/* Each bad text, given to each builder, fails with its status, and the
 * failure sticks: later calls and both renderers return it too. */
enum builder {
  B_TITLE,
  B_SUBTITLE,
  B_META_LABEL,
  B_META_VALUE,
  B_FOOTER,
  B_HEADING,
  B_PARA,
  B_ITEM,
  B_FIELD_LABEL,
  B_FIELD_VALUE,
  B_HEAD,
  B_ROW,
  B_ROLE,
  N_BUILDERS,
};

static enum status build_with(struct doc *d, enum builder b, const char *s)
{
  const char *four[4] = { "a", "b", "c", "d" };
  switch(b) {
  case B_TITLE:
    return doc_title(d, s);
  case B_SUBTITLE:
    return doc_subtitle(d, s);
  case B_META_LABEL:
    return doc_meta(d, s, "v");
  case B_META_VALUE:
    return doc_meta(d, "l", s);
  case B_FOOTER:
    return doc_footer(d, s);
  case B_HEADING:
    return doc_heading(d, 2, s);
  case B_PARA:
    return doc_para(d, s);
  case B_ITEM:
    doc_list(d);
    return doc_item(d, s);
  case B_FIELD_LABEL:
    doc_fields(d);
    return doc_field(d, s, "v");
  case B_FIELD_VALUE:
    doc_fields(d);
    return doc_field(d, "l", s);
  case B_HEAD:
    four[2] = s;
    return doc_table(d, 4, four, NULL);
  case B_ROW:
    doc_table(d, 4, NULL, NULL);
    four[3] = s;
    return doc_row(d, four);
  case B_ROLE:
    four[1] = s;
    return doc_signature(d, four, 3);
  case N_BUILDERS:
    break;
  }
  return ST_INTERNAL;
}

static void test_doc_refuses_bad_text(void **state)
{
  static const struct {
    const char *text;
    enum status st;
  } cases[] = {
    { "\xff", ST_INVALID },                     /* not UTF-8 */
    { "ab\xe8\xb3", ST_INVALID },               /* truncated sequence */
    { "\xc0\xaf", ST_INVALID },                 /* overlong / */
    { "\xed\xa0\x80", ST_INVALID },             /* surrogate */
    { "\xf4\x90\x80\x80", ST_INVALID },         /* above U+10FFFF */
    { "bell\x07", ST_INVALID },                 /* C0 control */
    { "del\x7f", ST_INVALID },                  /* DEL */
    { "c1\xc2\x85", ST_INVALID },               /* C1 control (NEL) */
    { "\x1b[31m", ST_INVALID },                 /* escape */
    { "non\xef\xbf\xbe", ST_INVALID },          /* U+FFFE: not an XML char */
    { "non\xef\xbf\xbf", ST_INVALID },          /* U+FFFF */
    { "ok\n\r\tline", ST_OK },                  /* line ends and tabs */
    { "中文　全形", ST_OK },                    /* CJK, ideographic space */
    { "\xef\xbf\xbd \xf0\x9f\x94\x92", ST_OK }, /* U+FFFD, an emoji */
  };
  size_t i;
  int b;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    for(b = 0; b < N_BUILDERS; b++) {
      struct arena a;
      struct doc d;
      struct buf out;
      arena_init(&a, ARENA_MAX);
      doc_init(&d, &a);
      assert_int_equal(build_with(&d, (enum builder)b, cases[i].text),
                       cases[i].st);
      assert_int_equal(doc_status(&d), cases[i].st);
      if(cases[i].st) {
        /* Sticky: a good call after it fails the same way. */
        assert_int_equal(doc_para(&d, "fine"), cases[i].st);
        buf_init(&out, 1u << 20);
        assert_int_equal(odt_render(&d, &out), cases[i].st);
        assert_int_equal(pdf_render(&d, &out), cases[i].st);
        assert_int_equal(out.len, 0);
        buf_free(&out);
      }
      arena_reset(&a);
    }
  }
}

/* A text of exactly DOC_TEXT_MAX bytes is taken; one byte more is
 * refused, whichever builder gets it. */
static void test_doc_text_limit(void **state)
{
  char *big = test_malloc(DOC_TEXT_MAX + 2);
  int b;
  (void)state;
  memset(big, 'x', DOC_TEXT_MAX + 1);
  big[DOC_TEXT_MAX + 1] = 0;
  for(b = 0; b < N_BUILDERS; b++) {
    struct arena a;
    struct doc d;
    arena_init(&a, ARENA_MAX);
    doc_init(&d, &a);
    assert_int_equal(build_with(&d, (enum builder)b, big), ST_TOOBIG);
    arena_reset(&a);
    doc_init(&d, &a);
    big[DOC_TEXT_MAX] = 0;
    assert_int_equal(build_with(&d, (enum builder)b, big), ST_OK);
    big[DOC_TEXT_MAX] = 'x';
    arena_reset(&a);
  }
  test_free(big);
}

/* All texts together stop at DOC_TOTAL_MAX. */
static void test_doc_total_limit(void **state)
{
  struct arena a;
  struct doc d;
  char *big = test_malloc(DOC_TEXT_MAX + 1);
  size_t i, n = DOC_TOTAL_MAX / DOC_TEXT_MAX;
  (void)state;
  memset(big, 'y', DOC_TEXT_MAX);
  big[DOC_TEXT_MAX] = 0;
  arena_init(&a, ARENA_MAX);
  doc_init(&d, &a);
  for(i = 0; i < n; i++) {
    assert_int_equal(doc_para(&d, big), ST_OK);
  }
  assert_int_equal(d.text_bytes, DOC_TOTAL_MAX);
  assert_int_equal(doc_para(&d, "z"), ST_TOOBIG);
  arena_reset(&a);
  test_free(big);
}

static void test_doc_count_limits(void **state)
{
  static const char *const one[1] = { "x" };
  struct arena a;
  struct doc d;
  const char *roles[DOC_SIGNERS_MAX + 1];
  size_t i;
  (void)state;
  arena_init(&a, ARENA_MAX);

  doc_init(&d, &a);
  for(i = 0; i < DOC_BLOCKS_MAX; i++) {
    assert_int_equal(doc_para(&d, ""), ST_OK);
  }
  assert_int_equal(doc_para(&d, ""), ST_TOOBIG);
  arena_reset(&a);

  doc_init(&d, &a);
  for(i = 0; i < DOC_META_MAX; i++) {
    assert_int_equal(doc_meta(&d, "l", "v"), ST_OK);
  }
  assert_int_equal(doc_meta(&d, "l", "v"), ST_TOOBIG);
  assert_int_equal(d.n_meta, DOC_META_MAX);
  arena_reset(&a);

  doc_init(&d, &a);
  doc_list(&d);
  for(i = 0; i < DOC_ITEMS_MAX; i++) {
    assert_int_equal(doc_item(&d, "i"), ST_OK);
  }
  assert_int_equal(doc_item(&d, "i"), ST_TOOBIG);
  arena_reset(&a);

  doc_init(&d, &a);
  doc_fields(&d);
  for(i = 0; i < DOC_ITEMS_MAX; i++) {
    assert_int_equal(doc_field(&d, "l", "v"), ST_OK);
  }
  assert_int_equal(doc_field(&d, "l", "v"), ST_TOOBIG);
  arena_reset(&a);

  doc_init(&d, &a);
  doc_table(&d, 1, one, NULL);
  for(i = 0; i < DOC_ROWS_MAX; i++) {
    assert_int_equal(doc_row(&d, one), ST_OK);
  }
  assert_int_equal(doc_row(&d, one), ST_TOOBIG);
  assert_int_equal(d.last->n_rows, DOC_ROWS_MAX);
  arena_reset(&a);

  doc_init(&d, &a);
  assert_int_equal(doc_table(&d, DOC_COLS_MAX + 1, NULL, NULL), ST_TOOBIG);
  arena_reset(&a);
  doc_init(&d, &a);
  assert_int_equal(doc_table(&d, DOC_COLS_MAX, NULL, NULL), ST_OK);
  assert_int_equal(doc_table(&d, 0, NULL, NULL), ST_INVALID);
  arena_reset(&a);

  for(i = 0; i <= DOC_SIGNERS_MAX; i++) {
    roles[i] = "簽";
  }
  doc_init(&d, &a);
  assert_int_equal(doc_signature(&d, roles, DOC_SIGNERS_MAX), ST_OK);
  assert_int_equal(doc_signature(&d, roles, DOC_SIGNERS_MAX + 1), ST_TOOBIG);
  arena_reset(&a);
  doc_init(&d, &a);
  assert_int_equal(doc_signature(&d, roles, 0), ST_INVALID);
  arena_reset(&a);
}

static void test_doc_bad_arguments(void **state)
{
  static const char *const two[2] = { "a", "b" };
  static const struct {
    double w[2];
    enum status st;
  } widths[] = {
    { { 1, 2 }, ST_OK },
    { { 0.001, 1000 }, ST_OK },
    { { 0, 1 }, ST_INVALID },
    { { -1, 1 }, ST_INVALID },
    { { 1, INFINITY }, ST_INVALID },
    { { NAN, 1 }, ST_INVALID },
  };
  struct arena a;
  struct doc d;
  size_t i;
  (void)state;
  arena_init(&a, ARENA_MAX);
  for(i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
    doc_init(&d, &a);
    assert_int_equal(doc_table(&d, 2, two, widths[i].w), widths[i].st);
    arena_reset(&a);
  }
  /* Heading levels 1..3 only. */
  doc_init(&d, &a);
  assert_int_equal(doc_heading(&d, 0, "h"), ST_INVALID);
  doc_init(&d, &a);
  assert_int_equal(doc_heading(&d, 4, "h"), ST_INVALID);
  doc_init(&d, &a);
  assert_int_equal(doc_heading(&d, 3, "h"), ST_OK);
  /* Rows need the matching block just before them: a bug in the
   * caller. */
  assert_int_equal(doc_item(&d, "i"), ST_INTERNAL);
  doc_init(&d, &a);
  doc_list(&d);
  assert_int_equal(doc_row(&d, two), ST_INTERNAL);
  doc_init(&d, &a);
  doc_table(&d, 2, NULL, NULL);
  assert_int_equal(doc_field(&d, "l", "v"), ST_INTERNAL);
  arena_reset(&a);
}

/* Every allocation failure of a full build ends in ST_TOOBIG, never a
 * crash, and renders nothing. */
static void test_doc_arena_failures(void **state)
{
  long n;
  (void)state;
  for(n = 1;; n++) {
    struct arena a;
    struct doc d;
    struct buf out;
    enum status st;
    arena_init(&a, ARENA_MAX);
    doc_init(&d, &a);
    arena_fail_after(&a, n);
    st = doc_sample(&d, 20, ignore, NULL);
    arena_reset(&a);
    if(st == ST_OK) {
      assert_true(n > 100);
      break;
    }
    assert_int_equal(st, ST_TOOBIG);
    buf_init(&out, 1024);
    assert_int_equal(odt_render(&d, &out), ST_TOOBIG);
    assert_int_equal(out.len, 0);
    buf_free(&out);
  }
}

/* A small arena cap is a clean ST_TOOBIG. */
static void test_doc_arena_cap(void **state)
{
  struct arena a;
  struct doc d;
  (void)state;
  arena_init(&a, 4096);
  doc_init(&d, &a);
  assert_int_equal(doc_sample(&d, SAMPLE_ROWS, ignore, NULL), ST_TOOBIG);
  arena_reset(&a);
}

static void test_doc_col_widths(void **state)
{
  static const double hints[4] = { 1, 3, 2, 5 };
  static const double skewed[3] = { 1e9, 1, 1 };
  struct doc_block b;
  double w[4], sum = 0;
  size_t i;
  (void)state;
  memset(&b, 0, sizeof(b));
  b.n_cols = 4;
  b.widths = hints;
  doc_col_widths(&b, 110, 1, w);
  assert_true(fabs(w[0] - 10) < 1e-9);
  assert_true(fabs(w[3] - 50) < 1e-9);
  /* Equal without hints. */
  b.widths = NULL;
  doc_col_widths(&b, 100, 1, w);
  for(i = 0; i < 4; i++) {
    assert_true(fabs(w[i] - 25) < 1e-9);
  }
  /* No column narrower than the minimum; the total is kept. */
  b.n_cols = 3;
  b.widths = skewed;
  doc_col_widths(&b, 100, 10, w);
  assert_true(fabs(w[1] - 10) < 1e-9);
  assert_true(fabs(w[2] - 10) < 1e-9);
  assert_true(fabs(w[0] - 80) < 1e-9);
  /* A minimum the columns cannot all have is shared out. */
  doc_col_widths(&b, 20, 10, w);
  for(i = 0; i < 3; i++) {
    sum += w[i];
  }
  assert_true(fabs(sum - 20) < 1e-9);
}

/* ---- ODT ---- */

/* The bytes of entry name of the zip in out, appended to b. */
static void zip_entry(const struct buf *out, const char *name, struct buf *b)
{
  zip_error_t ze;
  zip_source_t *src;
  zip_t *z;
  zip_file_t *f;
  char chunk[4096];
  zip_int64_t n;
  zip_error_init(&ze);
  src = zip_source_buffer_create(out->data, out->len, 0, &ze);
  assert_non_null(src);
  z = zip_open_from_source(src, ZIP_RDONLY, &ze);
  assert_non_null(z);
  f = zip_fopen(z, name, 0);
  assert_non_null(f);
  while((n = zip_fread(f, chunk, sizeof(chunk))) > 0) {
    buf_append(b, chunk, (size_t)n);
  }
  assert_int_equal(n, 0);
  zip_fclose(f);
  zip_close(z);
  assert_int_equal(b->err, ST_OK);
}

/* The text of a parsed XML part: character data, with a line end after
 * each paragraph, heading and line break. */
static void on_data(void *ctx, const XML_Char *s, int len)
{
  buf_append(ctx, s, (size_t)len);
}

static void on_end(void *ctx, const XML_Char *name)
{
  if(!strcmp(name, "text:p") || !strcmp(name, "text:h") ||
     !strcmp(name, "text:line-break")) {
    buf_putc(ctx, '\n');
  }
}

/* Parse xml (it must be well-formed) and append its text to text. */
static void xml_text(const struct buf *xml, struct buf *text)
{
  XML_Parser p = XML_ParserCreate("UTF-8");
  assert_non_null(p);
  XML_SetUserData(p, text);
  XML_SetCharacterDataHandler(p, on_data);
  XML_SetEndElementHandler(p, on_end);
  if(XML_Parse(p, xml->data, (int)xml->len, 1) != XML_STATUS_OK) {
    fail_msg("XML error at line %lu: %s",
             (unsigned long)XML_GetCurrentLineNumber(p),
             XML_ErrorString(XML_GetErrorCode(p)));
  }
  XML_ParserFree(p);
}

/* 1 if the line appears as a whole line of text. */
static int has_line(const char *text, const char *line)
{
  size_t n = strlen(line);
  const char *at = text;
  while((at = strstr(at, line)) != NULL) {
    if((at == text || at[-1] == '\n') && (at[n] == '\n' || at[n] == 0)) {
      return 1;
    }
    at++;
  }
  return 0;
}

static void test_odt_sample(void **state)
{
  struct arena a;
  struct doc d;
  struct expected e;
  struct buf out, content, styles, meta, mime, text;
  zip_error_t ze;
  zip_source_t *src;
  zip_t *z;
  zip_stat_t st;
  size_t i;
  (void)state;
  arena_init(&a, ARENA_MAX);
  doc_init(&d, &a);
  memset(&e, 0, sizeof(e));
  e.a = &a;
  assert_int_equal(doc_sample(&d, SAMPLE_ROWS, remember, &e), ST_OK);
  buf_init(&out, 16u << 20);
  assert_int_equal(odt_render(&d, &out), ST_OK);

  /* The package: mimetype first and stored, then the parts. */
  assert_memory_equal(out.data + 30, "mimetype", 8);
  zip_error_init(&ze);
  src = zip_source_buffer_create(out.data, out.len, 0, &ze);
  z = zip_open_from_source(src, ZIP_RDONLY, &ze);
  assert_non_null(z);
  assert_string_equal(zip_get_name(z, 0, 0), "mimetype");
  assert_int_equal(zip_stat_index(z, 0, 0, &st), 0);
  assert_int_equal(st.comp_method, ZIP_CM_STORE);
  assert_int_equal(zip_get_num_entries(z, 0), 5);
  zip_close(z);
  buf_init(&mime, 1024);
  zip_entry(&out, "mimetype", &mime);
  assert_string_equal(mime.data, ODT_MIME);

  buf_init(&content, 64u << 20);
  buf_init(&styles, 1u << 20);
  buf_init(&meta, 1u << 20);
  buf_init(&text, 64u << 20);
  zip_entry(&out, "content.xml", &content);
  zip_entry(&out, "styles.xml", &styles);
  zip_entry(&out, "meta.xml", &meta);
  xml_text(&content, &text);
  xml_text(&styles, &text);
  {
    struct buf manifest, ignored;
    buf_init(&manifest, 1u << 16);
    buf_init(&ignored, 1u << 16);
    zip_entry(&out, "META-INF/manifest.xml", &manifest);
    xml_text(&manifest, &ignored);
    assert_non_null(
      strstr(manifest.data, "manifest:full-path=\"content.xml\""));
    assert_non_null(strstr(manifest.data, "manifest:full-path=\"meta.xml\""));
    buf_free(&manifest);
    buf_free(&ignored);
  }
  xml_text(&meta, &text);

  /* Every text, as a whole line; the hostile ones intact. */
  for(i = 0; i < e.n; i++) {
    if(!has_line(text.data, e.lines[i])) {
      fail_msg("missing from the ODT: %s", e.lines[i]);
    }
  }
  /* ...and escaped in the XML. */
  assert_null(strstr(content.data, "<script>"));
  assert_non_null(strstr(content.data, "&lt;script&gt;"));
  assert_non_null(strstr(content.data, "AT&amp;T &amp;amp; R&amp;D"));
  assert_non_null(strstr(content.data, "]]&gt; &lt;![CDATA[x]]&gt;"));
  assert_non_null(strstr(content.data, "=cmd|&apos; /C calc&apos;!A0"));
  /* Text cells are strings, never formulas. */
  assert_null(strstr(content.data, "table:formula"));

  /* A4 portrait, 2 cm margins, zh-TW for Western and Asian text, the
   * font, the page fields in the footer. */
  assert_non_null(strstr(styles.data, "fo:page-width=\"21cm\""));
  assert_non_null(strstr(styles.data, "fo:page-height=\"29.7cm\""));
  assert_non_null(strstr(styles.data, "style:print-orientation=\"portrait\""));
  assert_non_null(strstr(styles.data, "fo:margin-top=\"2cm\""));
  assert_non_null(strstr(styles.data, "fo:margin-bottom=\"2cm\""));
  assert_non_null(strstr(styles.data, "fo:margin-left=\"2cm\""));
  assert_non_null(strstr(styles.data, "fo:margin-right=\"2cm\""));
  assert_non_null(strstr(styles.data, "fo:language=\"zh\" fo:country=\"TW\""));
  assert_non_null(strstr(styles.data, "style:language-asian=\"zh\" "
                                      "style:country-asian=\"TW\""));
  assert_non_null(strstr(styles.data, "style:font-name-asian=\"Noto Sans "
                                      "CJK TC\""));
  assert_non_null(strstr(styles.data, "第 <text:page-number text:select-page"
                                      "=\"current\">1</text:page-number> 頁，"
                                      "共 <text:page-count>1</text:page-count>"
                                      " 頁"));
  assert_non_null(strstr(styles.data, "本報告含機敏資訊，請依規定保管"));
  /* The long table's header row repeats; headings are outlined. */
  assert_non_null(strstr(content.data, "<table:table-header-rows>"
                                       "<table:table-row>"));
  assert_non_null(strstr(content.data, "<text:h text:style-name="
                                       "\"Heading_20_1\" "
                                       "text:outline-level=\"1\">"));
  assert_non_null(strstr(content.data, "<text:list "));
  assert_non_null(strstr(meta.data,
                         "<dc:title>資通安全事件調查、處理及改善報告"
                         "</dc:title>"));

  buf_free(&mime);
  buf_free(&content);
  buf_free(&styles);
  buf_free(&meta);
  buf_free(&text);
  buf_free(&out);
  arena_reset(&a);
}

/* An empty document is still a valid file. */
static void test_odt_empty(void **state)
{
  struct arena a;
  struct doc d;
  struct buf out, content, text;
  (void)state;
  arena_init(&a, ARENA_MAX);
  doc_init(&d, &a);
  doc_list(&d);                 /* no items */
  doc_table(&d, 2, NULL, NULL); /* no rows */
  buf_init(&out, 1u << 20);
  assert_int_equal(odt_render(&d, &out), ST_OK);
  buf_init(&content, 1u << 20);
  buf_init(&text, 1u << 20);
  zip_entry(&out, "content.xml", &content);
  xml_text(&content, &text);
  assert_null(strstr(content.data, "<table:table "));
  assert_null(strstr(content.data, "<text:list "));
  buf_free(&out);
  buf_free(&content);
  buf_free(&text);
  arena_reset(&a);
}

/* ---- PDF ---- */

/* Pages of a PDF written by cairo: one "/Type /Page %" per page. */
static size_t pdf_pages(const struct buf *pdf)
{
  size_t n = 0;
  const char *at = pdf->data;
  while((at = memmem(at, pdf->len - (size_t)(at - pdf->data), "/Type /Page %",
                     13)) != NULL) {
    n++;
    at += 13;
  }
  return n;
}

static void check_pdf(const struct buf *pdf)
{
  assert_true(pdf->len > 1000);
  assert_memory_equal(pdf->data, "%PDF-1.", 7);
  assert_non_null(memmem(pdf->data, pdf->len, "%%EOF", 5));
  /* The font is embedded (a subset): its name is in the file. */
  assert_non_null(memmem(pdf->data, pdf->len, "NotoSansCJKtc-Regular", 21));
}

static void test_pdf_sample(void **state)
{
  struct arena a;
  struct doc d;
  struct buf out;
  (void)state;
  arena_init(&a, ARENA_MAX);
  doc_init(&d, &a);
  assert_int_equal(doc_sample(&d, SAMPLE_ROWS, ignore, NULL), ST_OK);
  buf_init(&out, 64u << 20);
  assert_int_equal(pdf_render(&d, &out), ST_OK);
  check_pdf(&out);
  assert_true(pdf_pages(&out) > 1);
  assert_non_null(memmem(out.data, out.len, "NotoSansCJKtc-Bold", 18));
  buf_free(&out);
  arena_reset(&a);
}

static void test_pdf_short_and_empty(void **state)
{
  struct arena a;
  struct doc d;
  struct buf out;
  (void)state;
  arena_init(&a, ARENA_MAX);
  doc_init(&d, &a);
  doc_title(&d, "標題");
  doc_para(&d, "一段。");
  buf_init(&out, 16u << 20);
  assert_int_equal(pdf_render(&d, &out), ST_OK);
  check_pdf(&out);
  assert_int_equal(pdf_pages(&out), 1);
  buf_free(&out);
  arena_reset(&a);

  /* Nothing at all: one page (with its footer), no crash. */
  doc_init(&d, &a);
  doc_list(&d);
  doc_fields(&d);
  doc_table(&d, 3, NULL, NULL);
  buf_init(&out, 16u << 20);
  assert_int_equal(pdf_render(&d, &out), ST_OK);
  assert_int_equal(pdf_pages(&out), 1);
  buf_free(&out);
  arena_reset(&a);
}

/* Rows taller than a page in every column, a header of more than a
 * quarter page (not repeated), a signature after a page break, a
 * 16-column table: all end. */
static void test_pdf_tall_rows(void **state)
{
  struct arena a;
  struct doc d;
  struct buf out, tall, head_text;
  const char *cells[DOC_COLS_MAX], *head[DOC_COLS_MAX];
  size_t i;
  (void)state;
  arena_init(&a, ARENA_MAX);
  buf_init(&tall, DOC_TEXT_MAX);
  buf_init(&head_text, DOC_TEXT_MAX);
  for(i = 0; i < 150; i++) {
    buf_appendf(&tall, "%s第%zu行", i ? "\n" : "", i + 1);
  }
  for(i = 0; i < 20; i++) {
    buf_appendf(&head_text, "%s表頭%zu", i ? "\n" : "", i + 1);
  }
  for(i = 0; i < DOC_COLS_MAX; i++) {
    cells[i] = tall.data;
    head[i] = i == 0 ? head_text.data : "欄";
  }
  doc_init(&d, &a);
  doc_para(&d, "前文");
  doc_table(&d, 3, head, NULL);
  doc_row(&d, cells);
  doc_row(&d, cells);
  doc_table(&d, DOC_COLS_MAX, NULL, NULL);
  doc_row(&d, cells);
  doc_signature(&d, NULL, 0);
  doc_fields(&d);
  doc_field(&d, tall.data, tall.data);
  assert_int_equal(doc_status(&d), ST_OK);
  buf_init(&out, 64u << 20);
  assert_int_equal(pdf_render(&d, &out), ST_OK);
  check_pdf(&out);
  /* About 45 lines of 11 pt fit on a page: 150 lines take 4. */
  assert_true(pdf_pages(&out) >= 12);
  assert_true(pdf_pages(&out) < 40);
  buf_free(&out);
  buf_free(&tall);
  buf_free(&head_text);
  arena_reset(&a);
}

/* Past DOC_PAGES_MAX pages the renderer stops with ST_TOOBIG. */
static void test_pdf_page_limit(void **state)
{
  struct arena a;
  struct doc d;
  struct buf out;
  char *lines = test_malloc(DOC_TEXT_MAX + 1);
  (void)state;
  /* Each paragraph is DOC_TEXT_MAX empty lines, over 1,000 pages. */
  memset(lines, '\n', DOC_TEXT_MAX);
  lines[DOC_TEXT_MAX] = 0;
  arena_init(&a, ARENA_MAX);
  doc_init(&d, &a);
  doc_para(&d, lines);
  doc_para(&d, lines);
  assert_int_equal(doc_status(&d), ST_OK);
  buf_init(&out, 64u << 20);
  assert_int_equal(pdf_render(&d, &out), ST_TOOBIG);
  buf_free(&out);
  arena_reset(&a);
  test_free(lines);
}

/* An output cap too small for the file: ST_TOOBIG from both. */
static void test_output_cap(void **state)
{
  struct arena a;
  struct doc d;
  struct buf out;
  (void)state;
  arena_init(&a, ARENA_MAX);
  doc_init(&d, &a);
  assert_int_equal(doc_sample(&d, SAMPLE_ROWS, ignore, NULL), ST_OK);
  buf_init(&out, 2000);
  assert_int_equal(odt_render(&d, &out), ST_TOOBIG);
  buf_free(&out);
  buf_init(&out, 2000);
  assert_int_equal(pdf_render(&d, &out), ST_TOOBIG);
  buf_free(&out);
  arena_reset(&a);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_doc_builds_sample),
    cmocka_unit_test(test_doc_copies_text),
    cmocka_unit_test(test_doc_refuses_bad_text),
    cmocka_unit_test(test_doc_text_limit),
    cmocka_unit_test(test_doc_total_limit),
    cmocka_unit_test(test_doc_count_limits),
    cmocka_unit_test(test_doc_bad_arguments),
    cmocka_unit_test(test_doc_arena_failures),
    cmocka_unit_test(test_doc_arena_cap),
    cmocka_unit_test(test_doc_col_widths),
    cmocka_unit_test(test_odt_sample),
    cmocka_unit_test(test_odt_empty),
    cmocka_unit_test(test_pdf_sample),
    cmocka_unit_test(test_pdf_short_and_empty),
    cmocka_unit_test(test_pdf_tall_rows),
    cmocka_unit_test(test_pdf_page_limit),
    cmocka_unit_test(test_output_cap),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}

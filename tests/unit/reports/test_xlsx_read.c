/*
 * test_xlsx_read.c: reports/xlsx_read.c on small XLSX files built here
 * with libzip: shared and inline strings, numbers, dates (1900 and 1904
 * systems, built-in and custom formats), booleans, empty cells, columns
 * beyond Z, the caps (a zip bomb, too many columns), broken XML, a
 * DOCTYPE, and files that are not zips.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zip.h>

#include "reports/xlsx_read.h"

#define WB                                                                    \
  "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/"   \
  "main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"   \
  "relationships\">%s<sheets><sheet name=\"A\" sheetId=\"1\" r:id=\"rId7\"/>" \
  "</sheets></workbook>"
#define RELS                                                                  \
  "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"    \
  "relationships\"><Relationship Id=\"rId7\" Type=\"x\" "                     \
  "Target=\"worksheets/data.xml\"/></Relationships>"
#define STYLES                                                                \
  "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/" \
  "main\"><numFmts count=\"1\"><numFmt numFmtId=\"164\" "                     \
  "formatCode=\"yyyy/mm/dd;@\"/></numFmts><cellXfs count=\"5\">"              \
  "<xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"           \
  "<xf numFmtId=\"20\"/><xf numFmtId=\"2\"/></cellXfs></styleSheet>"
#define SST                                                                   \
  "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" \
  "<si><t>財產編號</t></si><si><r><t>資產</t></r><r><t "                \
  "xml:space=\"preserve\">"                                                   \
  "名稱</t></r><rPh><t>ㄗ</t></rPh></si></sst>"
#define SHEET_OPEN                                                            \
  "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/"  \
  "main\"><sheetData>"
#define SHEET_CLOSE "</sheetData></worksheet>"

/* A zip of the given parts (name, text pairs, NULL-terminated); the
 * caller frees *out. */
static size_t make_zip(char **out, const char *const *parts)
{
  zip_error_t ze;
  zip_source_t *src;
  zip_t *z;
  zip_stat_t stt;
  size_t n;
  zip_error_init(&ze);
  src = zip_source_buffer_create(NULL, 0, 0, &ze);
  assert_non_null(src);
  zip_source_keep(src);
  z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
  assert_non_null(z);
  for(; parts[0]; parts += 2) {
    zip_source_t *s = zip_source_buffer(z, parts[1], strlen(parts[1]), 0);
    assert_true(zip_file_add(z, parts[0], s, ZIP_FL_ENC_UTF_8) >= 0);
  }
  assert_int_equal(zip_close(z), 0);
  assert_int_equal(zip_source_stat(src, &stt), 0);
  n = (size_t)stt.size;
  *out = malloc(n);
  assert_int_equal(zip_source_open(src), 0);
  assert_int_equal(zip_source_read(src, *out, n), (zip_int64_t)n);
  zip_source_close(src);
  zip_source_free(src);
  zip_error_fini(&ze);
  return n;
}

/* Read a workbook with the standard parts and the given sheet body and
 * workbookPr; returns the status. */
static enum status read_sheet(const char *wbpr, const char *rows,
                              struct arena *a, struct xlsx_sheet *sh,
                              enum msg *why)
{
  char wb[1024], *sheet, *zip;
  size_t n, len = strlen(SHEET_OPEN) + strlen(rows) + strlen(SHEET_CLOSE) + 1;
  enum status st;
  const char *parts[11];
  snprintf(wb, sizeof(wb), WB, wbpr);
  sheet = malloc(len);
  snprintf(sheet, len, "%s%s%s", SHEET_OPEN, rows, SHEET_CLOSE);
  parts[0] = "xl/workbook.xml";
  parts[1] = wb;
  parts[2] = "xl/_rels/workbook.xml.rels";
  parts[3] = RELS;
  parts[4] = "xl/styles.xml";
  parts[5] = STYLES;
  parts[6] = "xl/sharedStrings.xml";
  parts[7] = SST;
  parts[8] = "xl/worksheets/data.xml";
  parts[9] = sheet;
  parts[10] = NULL;
  n = make_zip(&zip, parts);
  st = xlsx_read((struct str){ zip, n }, a, sh, why);
  free(zip);
  free(sheet);
  return st;
}

static void assert_cell(const struct xlsx_row *r, size_t i, const char *want)
{
  struct str c = i < r->n_cells ? r->cells[i] : (struct str){ "", 0 };
  if(c.len != strlen(want) || (c.len && memcmp(c.p, want, c.len) != 0)) {
    fail_msg("cell %zu of row %zu: got '%.*s', want '%s'", i, r->line,
             (int)c.len, c.p, want);
  }
}

static void test_cells(void **state)
{
  struct arena a;
  struct xlsx_sheet sh;
  enum msg why;
  (void)state;
  arena_init(&a, 1 << 22);
  assert_int_equal(
    read_sheet(
      "",
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
      "<c r=\"B1\" t=\"s\"><v>1</v></c>"
      "<c r=\"AA1\" t=\"inlineStr\"><is><t>內嵌</t></is></c></row>"
      "<row r=\"2\"/>"
      "<row r=\"3\"><c r=\"A3\"><v>20240101</v></c>"
      "<c r=\"B3\" s=\"1\"><v>45292</v></c>"
      "<c r=\"C3\" s=\"2\"><v>45292.75</v></c>"
      "<c r=\"D3\" s=\"3\"><v>0.5</v></c>"
      "<c r=\"E3\" s=\"4\"><v>3.5</v></c>"
      "<c r=\"F3\"><v>0.30000000000000004</v></c>"
      "<c r=\"G3\" t=\"b\"><v>1</v></c><c r=\"H3\" t=\"b\"><v>0</v></c>"
      "<c r=\"J3\" t=\"e\"><v>#N/A</v></c>"
      "<c r=\"K3\" t=\"str\"><f>A1</f><v>公式</v></c>"
      "<c r=\"L3\"><v>-12</v></c><c r=\"M3\"><v>1E3</v></c>"
      "<c r=\"N3\" s=\"1\"><v>59</v></c><c r=\"O3\" s=\"1\"><v>61</v></c>"
      "</row>",
      &a, &sh, &why),
    ST_OK);
  assert_int_equal(sh.n_rows, 2); /* the empty row 2 is left out */
  assert_int_equal(sh.rows[0].line, 1);
  assert_int_equal(sh.rows[0].n_cells, 27);
  assert_int_equal(sh.n_cols, 27);
  assert_cell(&sh.rows[0], 0, "財產編號");
  assert_cell(&sh.rows[0], 1, "資產名稱"); /* runs joined, rPh dropped */
  assert_cell(&sh.rows[0], 2, "");
  assert_cell(&sh.rows[0], 26, "內嵌"); /* AA */
  assert_int_equal(sh.rows[1].line, 3);
  assert_cell(&sh.rows[1], 0, "20240101");
  assert_cell(&sh.rows[1], 1, "2024-01-01"); /* built-in 14 */
  assert_cell(&sh.rows[1], 2, "2024-01-01"); /* custom yyyy/mm/dd */
  assert_cell(&sh.rows[1], 3, "0.5");        /* 20 is a time: a number */
  assert_cell(&sh.rows[1], 4, "3.5");
  assert_cell(&sh.rows[1], 5, "0.3");
  assert_cell(&sh.rows[1], 6, "TRUE");
  assert_cell(&sh.rows[1], 7, "FALSE");
  assert_cell(&sh.rows[1], 8, "");
  assert_cell(&sh.rows[1], 9, "#N/A");
  assert_cell(&sh.rows[1], 10, "公式");
  assert_cell(&sh.rows[1], 11, "-12");
  assert_cell(&sh.rows[1], 12, "1000");
  assert_cell(&sh.rows[1], 13, "1900-02-28");
  assert_cell(&sh.rows[1], 14, "1900-03-01");
  arena_reset(&a);
}

static void test_1904_and_prefixes(void **state)
{
  struct arena a;
  struct xlsx_sheet sh;
  enum msg why;
  (void)state;
  arena_init(&a, 1 << 22);
  /* 1904 system: serial 0 is 1904-01-01; no r attributes: next column */
  assert_int_equal(read_sheet("<workbookPr date1904=\"1\"/>",
                              "<row><c s=\"1\"><v>1</v></c><c><v>7</v></c>"
                              "</row>",
                              &a, &sh, &why),
                   ST_OK);
  assert_int_equal(sh.n_rows, 1);
  assert_int_equal(sh.rows[0].line, 1);
  assert_cell(&sh.rows[0], 0, "1904-01-02");
  assert_cell(&sh.rows[0], 1, "7");
  arena_reset(&a);
}

static void test_limits(void **state)
{
  struct arena a;
  struct xlsx_sheet sh;
  enum msg why;
  char *big, *zip;
  size_t n, i;
  const char *parts[5];
  (void)state;
  arena_init(&a, 1 << 22);
  /* a value in column 201 (GS) */
  assert_int_equal(read_sheet("",
                              "<row r=\"1\"><c r=\"GS1\"><v>1</v></c></row>",
                              &a, &sh, &why),
                   ST_TOOBIG);
  assert_int_equal(why, M_XLSX_COLS);
  /* but 200 (GR) is fine, and a styled empty cell further out too */
  assert_int_equal(read_sheet("",
                              "<row r=\"1\"><c r=\"GR1\"><v>1</v></c>"
                              "<c r=\"XFD1\" s=\"1\"/></row>",
                              &a, &sh, &why),
                   ST_OK);
  assert_int_equal(sh.n_cols, 200);
  /* a zip bomb: a sheet that inflates past 64 MiB from a small zip */
  n = XLSX_MAX_PART + 1024;
  big = malloc(n + 1);
  memcpy(big, SHEET_OPEN, strlen(SHEET_OPEN));
  for(i = strlen(SHEET_OPEN); i < n; i++) {
    big[i] = ' ';
  }
  big[n] = '\0';
  parts[0] = "xl/worksheets/sheet1.xml";
  parts[1] = big;
  parts[2] = NULL;
  n = make_zip(&zip, parts);
  free(big);
  assert_true(n < (1u << 20));
  assert_int_equal(xlsx_read((struct str){ zip, n }, &a, &sh, &why),
                   ST_TOOBIG);
  assert_int_equal(why, M_XLSX_BOMB);
  free(zip);
  arena_reset(&a);
}

static void test_broken(void **state)
{
  struct arena a;
  struct xlsx_sheet sh;
  enum msg why;
  char *zip;
  size_t n;
  const char *nosheet[] = { "hello.txt", "hi", NULL };
  const char *doctype[] = {
    "xl/worksheets/sheet1.xml",
    "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet><sheetData><row><c "
    "t=\"inlineStr\"><is><t>&a;</t></is></c></row></sheetData></worksheet>",
    NULL
  };
  (void)state;
  arena_init(&a, 1 << 22);
  /* unclosed tag */
  assert_int_equal(read_sheet("", "<row><c><v>1</v></row>", &a, &sh, &why),
                   ST_INVALID);
  assert_int_equal(why, M_XLSX_BROKEN);
  /* a shared-string index past the table */
  assert_int_equal(
    read_sheet("", "<row><c t=\"s\"><v>9</v></c></row>", &a, &sh, &why),
    ST_INVALID);
  /* not a zip, a truncated zip, a zip without a sheet */
  assert_int_equal(xlsx_read(str_c("a,b\r\n1,2\r\n"), &a, &sh, &why),
                   ST_INVALID);
  assert_int_equal(why, M_XLSX_NOT_ZIP);
  assert_false(xlsx_is_zip(str_c("a,b")));
  n = make_zip(&zip, nosheet);
  assert_true(xlsx_is_zip((struct str){ zip, n }));
  assert_int_equal(xlsx_read((struct str){ zip, n / 2 }, &a, &sh, &why),
                   ST_INVALID);
  assert_int_equal(why, M_XLSX_NOT_ZIP);
  assert_int_equal(xlsx_read((struct str){ zip, n }, &a, &sh, &why),
                   ST_INVALID);
  assert_int_equal(why, M_XLSX_BROKEN);
  free(zip);
  /* a DOCTYPE (entity expansion) is refused */
  n = make_zip(&zip, doctype);
  assert_int_equal(xlsx_read((struct str){ zip, n }, &a, &sh, &why),
                   ST_INVALID);
  assert_int_equal(why, M_XLSX_BROKEN);
  free(zip);
  arena_reset(&a);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_cells),
    cmocka_unit_test(test_1904_and_prefixes),
    cmocka_unit_test(test_limits),
    cmocka_unit_test(test_broken),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * doc_sample.c: writes the sample document (doc_sample.h) with the real
 * writers for test_doc.py, which checks the files with outside readers
 * (pdftotext, pdffonts, python3-odf, LibreOffice).
 *
 *   doc_sample DIR [ROWS]
 *
 * writes DIR/sample.odt, DIR/sample.pdf and DIR/sample.json (the texts
 * each rendering must show, the hostile strings, the row counts), and
 * prints how long each rendering took.  Exit code 0 on success.
 */
#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/str.h"
#include "reports/doc.h"
#include "reports/odt.h"
#include "reports/pdf.h"
#include "reports/doc_sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void seen(void *ctx, const char *line)
{
  json_str(ctx, line);
}

static int write_file(const char *dir, const char *name, const struct buf *b)
{
  char path[4096];
  FILE *f;
  int ok;
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  f = fopen(path, "wb");
  if(!f) {
    perror(path);
    return 0;
  }
  ok = fwrite(b->data, 1, b->len, f) == b->len;
  ok = !fclose(f) && ok;
  if(!ok) {
    perror(path);
  }
  return ok;
}

static double now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
  struct arena a;
  struct doc d;
  struct buf odt, pdf, expected;
  struct json j;
  int64_t rows = SAMPLE_ROWS;
  double t0, t1, t2;
  enum status st, st_odt, st_pdf;
  size_t i;
  int ok;

  if(argc < 2 || argc > 3 ||
     (argc == 3 && str_to_i64(str_c(argv[2]), 0, DOC_ROWS_MAX, &rows))) {
    fprintf(stderr, "usage: doc_sample DIR [ROWS]\n");
    return 64;
  }
  arena_init(&a, 256u << 20);
  doc_init(&d, &a);
  buf_init(&expected, 64u << 20);
  json_init(&j, &expected);
  json_obj_begin(&j);
  json_key(&j, "texts");
  json_arr_begin(&j);
  st = doc_sample(&d, (size_t)rows, seen, &j);
  json_arr_end(&j);
  json_key(&j, "hostile");
  json_arr_begin(&j);
  for(i = 0; i < N_SAMPLE_HOSTILE; i++) {
    json_str(&j, sample_hostile[i]);
  }
  json_arr_end(&j);
  json_key_i64(&j, "rows", rows);
  json_key_i64(&j, "tall_lines", SAMPLE_TALL_LINES);
  json_obj_end(&j);
  if(st) {
    fprintf(stderr, "doc_sample: building failed: %s\n", status_name(st));
    return 1;
  }
  buf_init(&odt, 256u << 20);
  buf_init(&pdf, 256u << 20);
  t0 = now_ms();
  st_odt = odt_render(&d, &odt);
  t1 = now_ms();
  st_pdf = pdf_render(&d, &pdf);
  t2 = now_ms();
  if(st_odt || st_pdf) {
    fprintf(stderr, "doc_sample: odt %s, pdf %s\n", status_name(st_odt),
            status_name(st_pdf));
    return 1;
  }
  ok = write_file(argv[1], "sample.odt", &odt) &&
       write_file(argv[1], "sample.pdf", &pdf) &&
       write_file(argv[1], "sample.json", &expected);
  printf("rows=%lld odt=%.1fms (%zu bytes) pdf=%.1fms (%zu bytes)\n",
         (long long)rows, t1 - t0, odt.len, t2 - t1, pdf.len);
  buf_free(&odt);
  buf_free(&pdf);
  buf_free(&expected);
  arena_reset(&a);
  return ok ? 0 : 1;
}

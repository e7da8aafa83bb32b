/*
 * report.c: the private temporary directory of the spreadsheet writers
 * (libxlsxwriter and libzip both write files, not buffers).
 */
#include "report.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum status report_tmpdir(char dir[REPORT_DIR_MAX])
{
  static const char tmpl[] = "/tmp/isms-report-XXXXXX";
  memcpy(dir, tmpl, sizeof(tmpl));
  if(!mkdtemp(dir)) {
    dir[0] = 0;
    return ST_IO;
  }
  return ST_OK;
}

void report_rmdir(char dir[REPORT_DIR_MAX])
{
  DIR *d;
  struct dirent *e;
  if(!dir[0]) {
    return;
  }
  d = opendir(dir);
  if(d) {
    while((e = readdir(d)) != NULL) {
      char path[REPORT_DIR_MAX + 256];
      if(strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
        continue;
      }
      snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
      unlink(path);
    }
    closedir(d);
  }
  rmdir(dir);
  dir[0] = 0;
}

enum status report_slurp(const char *path, struct buf *out)
{
  char chunk[65536];
  size_t n;
  int failed;
  FILE *f = fopen(path, "rb");
  if(!f) {
    return ST_IO;
  }
  while((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
    buf_append(out, chunk, n);
  }
  failed = ferror(f);
  fclose(f);
  if(failed) {
    return ST_IO;
  }
  return out->err;
}

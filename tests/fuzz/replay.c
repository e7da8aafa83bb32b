/*
 * replay.c: runs every file of the given corpus directories (or files)
 * through LLVMFuzzerTestOneInput, so that plain gcc builds under ctest
 * reproduce what the fuzzers found (SQLite's fuzzcheck).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  long n;
  uint8_t *data;
  if(!f) {
    perror(path);
    return 1;
  }
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  data = malloc(n > 0 ? (size_t)n : 1);
  if(!data || (n > 0 && fread(data, 1, (size_t)n, f) != (size_t)n)) {
    fclose(f);
    free(data);
    return 1;
  }
  fclose(f);
  LLVMFuzzerTestOneInput(data, (size_t)n);
  free(data);
  return 0;
}

int main(int argc, char **argv)
{
  int i, files = 0, bad = 0;
  for(i = 1; i < argc; i++) {
    struct stat sb;
    if(stat(argv[i], &sb)) {
      perror(argv[i]);
      return 1;
    }
    if(S_ISDIR(sb.st_mode)) {
      DIR *d = opendir(argv[i]);
      struct dirent *e;
      while(d && (e = readdir(d))) {
        char path[4096];
        if(e->d_name[0] == '.') {
          continue;
        }
        snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
        bad |= run_file(path);
        files++;
      }
      if(d) {
        closedir(d);
      }
    }
    else {
      bad |= run_file(argv[i]);
      files++;
    }
  }
  printf("replayed %d inputs\n", files);
  return bad || files == 0;
}

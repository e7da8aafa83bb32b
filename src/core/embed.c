/*
 * embed.c: lookup in the generated tables of embedded files.
 */
#include "embed.h"

#include <string.h>

const struct embedded_file *embed_find(const struct embedded_file *files,
                                       size_t n, const char *name)
{
  size_t i;
  for(i = 0; i < n; i++) {
    if(strcmp(files[i].name, name) == 0) {
      return &files[i];
    }
  }
  return NULL;
}

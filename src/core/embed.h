/*
 * embed.h: files compiled into the binary by tools/embed.c (static web
 * assets, migrations, demo data, help pages).  Depends on nothing.
 */
#ifndef ISMS_CORE_EMBED_H
#define ISMS_CORE_EMBED_H

#include <stddef.h>

struct embedded_file {
  const char *name;          /* base name, e.g. "0001_core.sql" */
  const unsigned char *data; /* contents plus a NUL not counted in len */
  size_t len;                /* bytes */
  const char *etag;          /* 16 hex digits of a hash of the contents */
};

/* Look name up in a table of n files; NULL if absent. */
const struct embedded_file *embed_find(const struct embedded_file *files,
                                       size_t n, const char *name);

/* The generated tables (build/<preset>/gen/embedded_*.c). */
extern const struct embedded_file embedded_assets[];
extern const size_t n_embedded_assets;
extern const struct embedded_file embedded_migrations[];
extern const size_t n_embedded_migrations;
extern const struct embedded_file embedded_data[];
extern const size_t n_embedded_data;
extern const struct embedded_file embedded_help[];
extern const size_t n_embedded_help;

#endif

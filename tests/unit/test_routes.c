/*
 * test_routes.c: checks of the declarative route table (STYLE.md C8) and
 * of the reference documentation in docs/ (C12), in the manner of
 * Fossil's "every WEBPAGE: has help" and curl's test1173:
 *   (a) no two routes share method and pattern;
 *   (b) no route has PERM_INVALID (or a permission outside enum perm);
 *   (c) every route with a body (POST, PATCH, ...) declares params or a
 *       body flag;
 *   (d) every route names a doc file that exists, under docs/api/ for
 *       JSON routes and docs/pages/ for HTML ones; every file in those
 *       folders is named by a route;
 *   (e) every file in docs/cli, docs/pages and docs/api has exactly the
 *       sections NAME ... SEE ALSO, in order, none empty, and an
 *       EXAMPLE that the integration suite can run;
 *   (f) docs/cli/<cmd>.md exists for every command in src/main.c's
 *       commands[] table, and no other file is there;
 *   (g) path parameters are only {reg}, {id} and {file};
 *   (h) no route is hidden behind an earlier one that matches all its
 *       paths (the router takes the first match);
 *   (i) the field tables in docs/api/register-list.md match registers[]:
 *       one "### `name`" section per register, one row per field with
 *       code, type, required flag and both labels ("mask" in its use
 *       cell exactly when it has FF_MASK), and every enum value.
 *
 * The source tree is $ISMS_SOURCE, else the first directory at or above
 * the current one that holds docs/ and src/main.c.  Every problem is
 * printed; each test fails when it found any.
 * Depends on cmocka, http/route.h, registers/register.h, core/i18n.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/mem.h"
#include "http/route.h"
#include "registers/register.h"

#define MAX_FILES 256

static const char *const sections[] = {
  "NAME",       "SYNOPSIS", "DESCRIPTION", "PERMISSIONS",
  "PARAMETERS", "EXAMPLE",  "ERRORS",      "SEE ALSO",
};

#define N_SECTIONS (sizeof(sections) / sizeof(sections[0]))

static char source_dir[PATH_MAX];

/* ---- helpers ---- */

static int is_dir(const char *path)
{
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int is_file(const char *path)
{
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* 1 if dir looks like the root of the source tree. */
static int is_source_root(const char *dir)
{
  char p[PATH_MAX + 32];
  snprintf(p, sizeof(p), "%s/docs", dir);
  if(!is_dir(p)) {
    return 0;
  }
  snprintf(p, sizeof(p), "%s/src/main.c", dir);
  return is_file(p);
}

/* Find the source tree once; fails the test when there is none. */
static void find_source(void)
{
  const char *env = getenv("ISMS_SOURCE");
  char dir[PATH_MAX];

  if(source_dir[0]) {
    return;
  }
  if(env && *env) {
    if(!is_source_root(env)) {
      fail_msg("ISMS_SOURCE=%s holds no docs/ and src/main.c", env);
    }
    snprintf(source_dir, sizeof(source_dir), "%s", env);
    return;
  }
  if(!getcwd(dir, sizeof(dir))) {
    fail_msg("getcwd failed");
  }
  for(;;) {
    char *slash;
    if(is_source_root(dir)) {
      snprintf(source_dir, sizeof(source_dir), "%s", dir);
      return;
    }
    slash = strrchr(dir, '/');
    if(!slash || slash == dir) {
      fail_msg("no source tree (docs/ and src/main.c) at or above the "
               "current directory; set ISMS_SOURCE");
    }
    *slash = 0;
  }
}

/* The whole of source_dir/rel as a NUL-terminated string the caller
 * frees, or NULL when it cannot be read. */
static char *slurp(const char *rel)
{
  char path[PATH_MAX + 256];
  FILE *f;
  char *data = NULL;
  size_t len = 0, cap = 0, n;

  snprintf(path, sizeof(path), "%s/%s", source_dir, rel);
  f = fopen(path, "rb");
  if(!f) {
    return NULL;
  }
  do {
    if(cap - len < 4096) {
      cap = cap ? cap * 2 : 65536;
      data = xrealloc(data, cap + 1);
    }
    n = fread(data + len, 1, cap - len, f);
    len += n;
  } while(n > 0);
  fclose(f);
  data[len] = 0;
  return data;
}

/* Names of the *.md files in source_dir/rel, sorted; returns how many.
 * The caller frees each name. */
static size_t list_md(const char *rel, char **names, size_t max)
{
  char path[PATH_MAX + 256];
  DIR *d;
  struct dirent *e;
  size_t n = 0, i, j;

  snprintf(path, sizeof(path), "%s/%s", source_dir, rel);
  d = opendir(path);
  if(!d) {
    return 0;
  }
  while((e = readdir(d)) != NULL && n < max) {
    size_t len = strlen(e->d_name);
    if(len > 3 && strcmp(e->d_name + len - 3, ".md") == 0) {
      names[n++] = xstrdup(e->d_name);
    }
  }
  closedir(d);
  for(i = 1; i < n; i++) {
    for(j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
      char *t = names[j];
      names[j] = names[j - 1];
      names[j - 1] = t;
    }
  }
  return n;
}

static const char *method_name(enum http_method m)
{
  switch(m) {
  case HTTP_GET:
    return "GET";
  case HTTP_POST:
    return "POST";
  case HTTP_PATCH:
    return "PATCH";
  case HTTP_PUT:
    return "PUT";
  case HTTP_DELETE:
    return "DELETE";
  case HTTP_OTHER:
    break;
  }
  return "?";
}

/*
 * 1 if path matches pattern by the router's rules (http/router.c): {id}
 * is 1 to 18 digits without a leading zero; any other parameter is 1 to
 * 64 of [a-z0-9_.-].
 */
static int pattern_matches(const char *pat, const char *path)
{
  while(*pat && *path) {
    if(*pat == '{') {
      const char *close = strchr(pat, '}');
      size_t seg = strcspn(path, "/"), i;
      int is_id;
      if(!close) {
        return 0;
      }
      is_id = close - pat == 3 && strncmp(pat, "{id}", 4) == 0;
      if(seg == 0 || seg > 64 || (is_id && (seg > 18 || path[0] == '0'))) {
        return 0;
      }
      for(i = 0; i < seg; i++) {
        char c = path[i];
        int ok = is_id ? (c >= '0' && c <= '9') :
                         ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                          c == '_' || c == '-' || c == '.');
        if(!ok) {
          return 0;
        }
      }
      pat = close + 1;
      path += seg;
      continue;
    }
    if(*pat++ != *path++) {
      return 0;
    }
  }
  return *pat == 0 && *path == 0;
}

/* A path that pattern matches: {id} becomes "1", other parameters "x". */
static void sample_path(const char *pat, char *out, size_t size)
{
  size_t n = 0;
  while(*pat && n + 2 < size) {
    if(*pat == '{') {
      const char *close = strchr(pat, '}');
      if(!close) {
        break;
      }
      out[n++] = strncmp(pat, "{id}", 4) == 0 ? '1' : 'x';
      pat = close + 1;
      continue;
    }
    out[n++] = *pat++;
  }
  out[n] = 0;
}

/* ---- (a) to (d), (g), (h): the route table ---- */

static void test_no_duplicate_routes(void **state)
{
  size_t i, j, bad = 0;
  (void)state;
  assert_true(n_routes > 0);
  for(i = 0; i < n_routes; i++) {
    for(j = i + 1; j < n_routes; j++) {
      if(routes[i].method == routes[j].method &&
         strcmp(routes[i].pattern, routes[j].pattern) == 0) {
        print_error("routes %zu and %zu are both %s %s\n", i, j,
                    method_name(routes[i].method), routes[i].pattern);
        bad++;
      }
    }
  }
  assert_int_equal(bad, 0);
}

static void test_permissions(void **state)
{
  size_t i, bad = 0;
  (void)state;
  for(i = 0; i < n_routes; i++) {
    if(routes[i].perm == PERM_INVALID || routes[i].perm > PERM_REVIEW) {
      print_error("%s %s: permission %d is not a valid enum perm\n",
                  method_name(routes[i].method), routes[i].pattern,
                  (int)routes[i].perm);
      bad++;
    }
  }
  assert_int_equal(bad, 0);
}

static void test_bodies_declared(void **state)
{
  const unsigned body_flags = ROUTE_NO_BODY | ROUTE_JSON_BODY |
                              ROUTE_CSV_BODY | ROUTE_UPLOAD | ROUTE_REG_FIELDS;
  size_t i, bad = 0;
  (void)state;
  for(i = 0; i < n_routes; i++) {
    const struct route *rt = &routes[i];
    if(rt->method != HTTP_GET && !rt->params && !(rt->flags & body_flags)) {
      print_error("%s %s: a route with a body needs params or one of "
                  "ROUTE_NO_BODY, ROUTE_JSON_BODY, ROUTE_CSV_BODY, "
                  "ROUTE_UPLOAD, ROUTE_REG_FIELDS\n",
                  method_name(rt->method), rt->pattern);
      bad++;
    }
    if(rt->method == HTTP_GET &&
       (rt->flags & (ROUTE_JSON_BODY | ROUTE_CSV_BODY | ROUTE_UPLOAD))) {
      print_error("GET %s: a GET takes no body\n", rt->pattern);
      bad++;
    }
  }
  assert_int_equal(bad, 0);
}

static void test_route_docs_exist(void **state)
{
  size_t i, bad = 0;
  (void)state;
  find_source();
  for(i = 0; i < n_routes; i++) {
    const struct route *rt = &routes[i];
    const char *want = (rt->flags & ROUTE_JSON) ? "api/" : "pages/";
    char path[PATH_MAX + 256];
    if(!rt->doc || !*rt->doc) {
      print_error("%s %s: no doc file\n", method_name(rt->method),
                  rt->pattern);
      bad++;
      continue;
    }
    if(strncmp(rt->doc, want, strlen(want)) != 0 || strstr(rt->doc, "..") ||
       strchr(rt->doc + strlen(want), '/') || strlen(rt->doc) < 4 ||
       strcmp(rt->doc + strlen(rt->doc) - 3, ".md") != 0) {
      print_error("%s %s: doc \"%s\" should be %s<name>.md (%s route)\n",
                  method_name(rt->method), rt->pattern, rt->doc, want,
                  (rt->flags & ROUTE_JSON) ? "a JSON" : "an HTML");
      bad++;
    }
    snprintf(path, sizeof(path), "%s/docs/%s", source_dir, rt->doc);
    if(!is_file(path)) {
      print_error("%s %s: docs/%s does not exist\n", method_name(rt->method),
                  rt->pattern, rt->doc);
      bad++;
    }
  }
  assert_int_equal(bad, 0);
}

/* Every docs/pages and docs/api file documents at least one route. */
static void test_no_orphan_docs(void **state)
{
  static const char *const dirs[] = { "pages", "api" };
  size_t d, i, k, bad = 0;
  (void)state;
  find_source();
  for(d = 0; d < 2; d++) {
    char rel[64];
    char *names[MAX_FILES];
    size_t n;
    snprintf(rel, sizeof(rel), "docs/%s", dirs[d]);
    n = list_md(rel, names, MAX_FILES);
    for(i = 0; i < n; i++) {
      int used = 0;
      char doc[PATH_MAX];
      snprintf(doc, sizeof(doc), "%s/%s", dirs[d], names[i]);
      for(k = 0; k < n_routes; k++) {
        used |= routes[k].doc && strcmp(routes[k].doc, doc) == 0;
      }
      if(!used) {
        print_error("docs/%s: no route names it\n", doc);
        bad++;
      }
      free(names[i]);
    }
  }
  assert_int_equal(bad, 0);
}

static void test_path_parameters(void **state)
{
  size_t i, bad = 0;
  (void)state;
  for(i = 0; i < n_routes; i++) {
    const char *p = routes[i].pattern;
    if(p[0] != '/') {
      print_error("%s: a pattern starts with /\n", p);
      bad++;
    }
    while((p = strchr(p, '{')) != NULL) {
      const char *close = strchr(p, '}');
      size_t len = close ? (size_t)(close - p + 1) : 0;
      if(!close || !((len == 5 && strncmp(p, "{reg}", 5) == 0) ||
                     (len == 4 && strncmp(p, "{id}", 4) == 0) ||
                     (len == 6 && strncmp(p, "{file}", 6) == 0))) {
        print_error("%s: path parameter %.*s is not {reg}, {id} or {file}\n",
                    routes[i].pattern, close ? (int)len : (int)strlen(p), p);
        bad++;
        break;
      }
      if(p[-1] != '/' || (close[1] != '/' && close[1] != 0)) {
        print_error("%s: %.*s must fill a whole path segment\n",
                    routes[i].pattern, (int)len, p);
        bad++;
      }
      p = close + 1;
    }
    if(strchr(routes[i].pattern, '}') && !strchr(routes[i].pattern, '{')) {
      print_error("%s: unbalanced }\n", routes[i].pattern);
      bad++;
    }
  }
  assert_int_equal(bad, 0);
}

/* The router stops at the first route whose pattern matches; a later
 * route every path of which an earlier one of the same method matches
 * can never run (say GET /api/v1/{reg} before GET /api/v1/health). */
static void test_no_shadowed_routes(void **state)
{
  size_t i, j, bad = 0;
  (void)state;
  for(j = 0; j < n_routes; j++) {
    char path[512];
    sample_path(routes[j].pattern, path, sizeof(path));
    assert_true(pattern_matches(routes[j].pattern, path));
    for(i = 0; i < j; i++) {
      if(routes[i].method == routes[j].method &&
         pattern_matches(routes[i].pattern, path)) {
        print_error("%s %s is hidden by the earlier %s %s, which also "
                    "matches %s\n",
                    method_name(routes[j].method), routes[j].pattern,
                    method_name(routes[i].method), routes[i].pattern, path);
        bad++;
        break;
      }
    }
  }
  assert_int_equal(bad, 0);
}

/* ---- (e): sections of every doc file ---- */

/*
 * Check one Markdown file's "## " headings (outside ``` fences): exactly
 * the eight sections, in order, each with some text; the EXAMPLE holds a
 * line starting with example_prefix.  Returns the number of problems.
 */
static size_t check_sections(const char *rel, const char *example_prefix)
{
  char *text = slurp(rel);
  char *line, *next;
  size_t found = 0, bad = 0, body = 0;
  int fence = 0, in_example = 0, example_ok = 0;

  if(!text) {
    print_error("%s: cannot read\n", rel);
    return 1;
  }
  for(line = text; line && *line; line = next) {
    next = strchr(line, '\n');
    if(next) {
      *next++ = 0;
    }
    if(strncmp(line, "```", 3) == 0) {
      fence = !fence;
      body++;
      continue;
    }
    if(!fence && strncmp(line, "## ", 3) == 0) {
      const char *name = line + 3;
      if(found > 0 && body == 0) {
        print_error("%s: section %s is empty\n", rel, sections[found - 1]);
        bad++;
      }
      if(found >= N_SECTIONS || strcmp(name, sections[found]) != 0) {
        print_error("%s: found \"## %s\" where \"## %s\" belongs\n", rel, name,
                    found < N_SECTIONS ? sections[found] : "(none)");
        bad++;
        break;
      }
      in_example = strcmp(name, "EXAMPLE") == 0;
      found++;
      body = 0;
      continue;
    }
    if(strspn(line, " \t\r") != strlen(line)) {
      body++;
    }
    if(in_example && fence &&
       strncmp(line, example_prefix, strlen(example_prefix)) == 0) {
      example_ok = 1;
    }
  }
  if(!bad && found < N_SECTIONS) {
    print_error("%s: \"## %s\" is missing\n", rel, sections[found]);
    bad++;
  }
  if(!bad && body == 0) {
    print_error("%s: section %s is empty\n", rel, sections[N_SECTIONS - 1]);
    bad++;
  }
  if(fence) {
    print_error("%s: a ``` fence is not closed\n", rel);
    bad++;
  }
  if(!bad && !example_ok) {
    print_error("%s: EXAMPLE has no \"%s\" line in a code block\n", rel,
                example_prefix);
    bad++;
  }
  free(text);
  return bad;
}

static void test_doc_sections(void **state)
{
  static const struct {
    const char *dir;     /* under the source tree */
    const char *example; /* what an EXAMPLE line starts with */
  } dirs[] = {
    { "docs/cli", "$ isms " },
    { "docs/pages", "$ curl " },
    { "docs/api", "$ curl " },
  };
  size_t d, i, bad = 0, total = 0;
  (void)state;
  find_source();
  for(d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
    char *names[MAX_FILES];
    size_t n = list_md(dirs[d].dir, names, MAX_FILES);
    for(i = 0; i < n; i++) {
      char rel[PATH_MAX];
      snprintf(rel, sizeof(rel), "%s/%s", dirs[d].dir, names[i]);
      bad += check_sections(rel, dirs[d].example);
      free(names[i]);
    }
    total += n;
  }
  assert_true(total > 0);
  assert_int_equal(bad, 0);
}

/* ---- (f): CLI commands and their help pages ---- */

/* The command names of src/main.c's commands[] table: the first token
 * of each top-level { ... } entry, a string literal.  Comments are
 * skipped.  Returns how many; the caller frees each. */
static size_t main_commands(char **names, size_t max)
{
  char *text = slurp("src/main.c");
  const char *p, *end;
  size_t n = 0;
  int depth = 0, want = 0;

  assert_non_null(text);
  p = strstr(text, "commands[] = {");
  assert_non_null(p);
  p = strchr(p, '{') + 1;
  end = strstr(p, "};");
  assert_non_null(end);
  for(; p < end; p++) {
    if(p[0] == '/' && p[1] == '*') {
      const char *close = strstr(p + 2, "*/");
      assert_non_null(close);
      p = close + 1;
    }
    else if(*p == '"') {
      const char *start = p + 1;
      for(p++; p < end && *p != '"'; p++) {
        if(*p == '\\') {
          p++;
        }
      }
      if(want && n < max) {
        names[n] = xmalloc((size_t)(p - start) + 1);
        memcpy(names[n], start, (size_t)(p - start));
        names[n][p - start] = 0;
        n++;
      }
      want = 0;
    }
    else if(*p == '{') {
      depth++;
      want = depth == 1;
    }
    else if(*p == '}') {
      depth--;
      want = 0;
    }
    else if(*p != ' ' && *p != '\t' && *p != '\n') {
      want = 0;
    }
  }
  free(text);
  return n;
}

static void test_cli_docs(void **state)
{
  char *cmds[64], *files[MAX_FILES];
  size_t n_cmds, n_files, i, k, bad = 0;
  (void)state;
  find_source();
  n_cmds = main_commands(cmds, 64);
  n_files = list_md("docs/cli", files, MAX_FILES);
  assert_true(n_cmds > 0);
  for(i = 0; i < n_cmds; i++) {
    int has = 0;
    for(k = 0; k < n_files; k++) {
      has |= strlen(files[k]) == strlen(cmds[i]) + 3 &&
             strncmp(files[k], cmds[i], strlen(cmds[i])) == 0;
    }
    if(!has) {
      print_error("command \"%s\" has no docs/cli/%s.md\n", cmds[i], cmds[i]);
      bad++;
    }
  }
  for(k = 0; k < n_files; k++) {
    int has = 0;
    for(i = 0; i < n_cmds; i++) {
      has |= strlen(files[k]) == strlen(cmds[i]) + 3 &&
             strncmp(files[k], cmds[i], strlen(cmds[i])) == 0;
    }
    if(!has) {
      print_error("docs/cli/%s: no such command in src/main.c\n", files[k]);
      bad++;
    }
  }
  for(i = 0; i < n_cmds; i++) {
    free(cmds[i]);
  }
  for(k = 0; k < n_files; k++) {
    free(files[k]);
  }
  assert_int_equal(bad, 0);
}

/* ---- (i): the register tables of docs/api/register-list.md ---- */

static const char *type_word(enum field_type t)
{
  switch(t) {
  case FT_TEXT:
    return "text";
  case FT_LONGTEXT:
    return "longtext";
  case FT_INT:
    return "int";
  case FT_REAL:
    return "real";
  case FT_BOOL:
    return "bool";
  case FT_ENUM:
    return "enum";
  case FT_DATE:
    return "date";
  case FT_EMAIL:
    return "email";
  case FT_PHONE:
    return "phone";
  case FT_REF:
    return "ref";
  case FT_DATETIME:
    return "datetime";
  case FT_REFS:
    return "refs";
  }
  return "?";
}

/* Split a Markdown table row "| a | b |" into trimmed cells (in place);
 * returns how many. */
static size_t split_row(char *row, char **cells, size_t max)
{
  size_t n = 0;
  char *p = row;
  if(*p != '|') {
    return 0;
  }
  p++;
  while(*p && n < max) {
    char *bar = strchr(p, '|'), *e;
    if(!bar) {
      break;
    }
    *bar = 0;
    while(*p == ' ') {
      p++;
    }
    e = p + strlen(p);
    while(e > p && e[-1] == ' ') {
      *--e = 0;
    }
    cells[n++] = p;
    p = bar + 1;
  }
  return n;
}

/* Check one field's table row; returns the number of problems. */
static size_t check_field_row(const struct reg *reg, const struct field *f,
                              char *row)
{
  char *cells[8];
  char want[128];
  size_t n = split_row(row, cells, 8), bad = 0;
  const char *tw = type_word(f->type);
  int required = (f->flags & FF_REQUIRED) != 0;

  if(n < 5) {
    print_error("register-list.md %s.%s: a row needs 5 cells\n", reg->name,
                f->name);
    return 1;
  }
  snprintf(want, sizeof(want), "`%s`", f->name);
  if(strcmp(cells[0], want) != 0) {
    print_error("register-list.md %s: row %s where %s belongs (fields in "
                "declaration order)\n",
                reg->name, cells[0], want);
    return 1;
  }
  if(strncmp(cells[1], tw, strlen(tw)) != 0 ||
     (cells[1][strlen(tw)] != 0 && cells[1][strlen(tw)] != ' ')) {
    print_error("register-list.md %s.%s: type \"%s\", want %s\n", reg->name,
                f->name, cells[1], tw);
    bad++;
  }
  else if(f->type == FT_TEXT || f->type == FT_LONGTEXT) {
    snprintf(want, sizeof(want), "%s \xe2\x89\xa4%lld", tw, (long long)f->max);
    if(strcmp(cells[1], want) != 0) {
      print_error("register-list.md %s.%s: type \"%s\", want \"%s\"\n",
                  reg->name, f->name, cells[1], want);
      bad++;
    }
  }
  else if(f->type == FT_INT || f->type == FT_REAL) {
    snprintf(want, sizeof(want), "%s %lld\xe2\x80\x93%lld", tw,
             (long long)f->min, (long long)f->max);
    if(strcmp(cells[1], want) != 0) {
      print_error("register-list.md %s.%s: type \"%s\", want \"%s\"\n",
                  reg->name, f->name, cells[1], want);
      bad++;
    }
  }
  else if(f->type == FT_REF || f->type == FT_REFS) {
    snprintf(want, sizeof(want), "`%s`", f->ref);
    if(!strstr(cells[1], want)) {
      print_error("register-list.md %s.%s: type \"%s\" should name %s\n",
                  reg->name, f->name, cells[1], want);
      bad++;
    }
  }
  if(strncmp(cells[2], required ? "\xe6\x98\xaf" : "\xe5\x90\xa6", 3) != 0) {
    print_error("register-list.md %s.%s: required \"%s\", want %s\n",
                reg->name, f->name, cells[2], required ? "是" : "否");
    bad++;
  }
  if(strcmp(cells[3], msg_get(LANG_ZH, f->label)) != 0) {
    print_error("register-list.md %s.%s: label \"%s\", want \"%s\"\n",
                reg->name, f->name, cells[3], msg_get(LANG_ZH, f->label));
    bad++;
  }
  if(strcmp(cells[4], msg_get(LANG_EN, f->label)) != 0) {
    print_error("register-list.md %s.%s: label \"%s\", want \"%s\"\n",
                reg->name, f->name, cells[4], msg_get(LANG_EN, f->label));
    bad++;
  }
  /* The use column says "mask" exactly for the fields whose personal
   * data is masked before it is stored (issue 7). */
  if(n > 5 && (strstr(cells[5], "mask") != NULL) != !!(f->flags & FF_MASK)) {
    print_error("register-list.md %s.%s: use \"%s\" %s say mask\n", reg->name,
                f->name, cells[5],
                (f->flags & FF_MASK) ? "should" : "should not");
    bad++;
  }
  return bad;
}

/* Check the "### `name`" section of reg, from sec (NUL-terminated at
 * the next section); returns the number of problems. */
static size_t check_register_section(const struct reg *reg, char *sec)
{
  char *copy = xstrdup(sec);
  char *line, *next;
  size_t row = 0, bad = 0, i;

  for(line = copy; line && *line; line = next) {
    next = strchr(line, '\n');
    if(next) {
      *next++ = 0;
    }
    if(strncmp(line, "| `", 3) != 0) {
      continue;
    }
    if(row >= reg->n_fields) {
      print_error("register-list.md %s: row %s: no such field\n", reg->name,
                  line);
      bad++;
      continue;
    }
    bad += check_field_row(reg, &reg->fields[row], line);
    row++;
  }
  if(row < reg->n_fields) {
    print_error("register-list.md %s: %zu field rows, want %zu\n", reg->name,
                row, reg->n_fields);
    bad++;
  }
  free(copy);
  for(i = 0; i < reg->n_fields; i++) {
    const struct field *f = &reg->fields[i];
    const struct field_opt *o;
    for(o = f->opts; f->type == FT_ENUM && o && o->value; o++) {
      char want[512];
      snprintf(want, sizeof(want), "`%s` %s / %s", o->value,
               msg_get(LANG_ZH, o->label), msg_get(LANG_EN, o->label));
      if(!strstr(sec, want)) {
        print_error("register-list.md %s.%s: value \"%s\" missing\n",
                    reg->name, f->name, want);
        bad++;
      }
    }
  }
  return bad;
}

static void test_register_tables(void **state)
{
  char *text;
  size_t i, bad = 0;
  (void)state;
  find_source();
  text = slurp("docs/api/register-list.md");
  assert_non_null(text);
  for(i = 0; i < n_registers; i++) {
    char head[128];
    char *sec, *end, saved;
    snprintf(head, sizeof(head), "\n### `%s`", registers[i]->name);
    sec = strstr(text, head);
    if(!sec) {
      print_error("register-list.md: no \"### `%s`\" section\n",
                  registers[i]->name);
      bad++;
      continue;
    }
    sec += strlen(head);
    end = strstr(sec, "\n### ");
    if(!end) {
      end = strstr(sec, "\n## ");
    }
    if(!end) {
      end = sec + strlen(sec);
    }
    saved = *end;
    *end = 0;
    bad += check_register_section(registers[i], sec);
    *end = saved;
  }
  {
    /* no section for a register that does not exist */
    const char *p = text;
    while((p = strstr(p, "\n### `")) != NULL) {
      const char *name = p + 6;
      size_t len = strcspn(name, "`");
      char buf[64];
      snprintf(buf, sizeof(buf), "%.*s", (int)len, name);
      if(!reg_find(buf)) {
        print_error("register-list.md: section for \"%s\", which is not a "
                    "register\n",
                    buf);
        bad++;
      }
      p = name;
    }
  }
  free(text);
  assert_int_equal(bad, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_no_duplicate_routes),
    cmocka_unit_test(test_permissions),
    cmocka_unit_test(test_bodies_declared),
    cmocka_unit_test(test_route_docs_exist),
    cmocka_unit_test(test_no_orphan_docs),
    cmocka_unit_test(test_path_parameters),
    cmocka_unit_test(test_no_shadowed_routes),
    cmocka_unit_test(test_doc_sections),
    cmocka_unit_test(test_cli_docs),
    cmocka_unit_test(test_register_tables),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

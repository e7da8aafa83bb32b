/*
 * main.c: the isms command line.  One table declares every command with
 * its one-line help; `isms help CMD` prints the long help embedded from
 * docs/cli/CMD.md.  Errors go to stderr with a non-zero exit code.
 */
#include "core/embed.h"
#include "core/log.h"
#include "core/mem.h"
#include "db/db.h"
#include "http/server.h"
#include "registers/register.h"
#include "registers/register_http.h"
#include "registers/register_io.h"
#include "registers/register_load.h"
#include "registers/register_store.h"

#include <errno.h>
#include <stdarg.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ISMS_VERSION
#define ISMS_VERSION "0.1.0"
#endif

#define DEMO_FILE "reference-agency.json"

typedef int command_fn(int argc, char **argv);

struct command {
  const char *name;    /* what the user types */
  command_fn *fn;      /* runs it; returns the exit code */
  const char *summary; /* one line for `isms help` */
};

static command_fn init_cmd, serve_cmd, version_cmd, help_cmd, import_cmd,
  export_cmd, rebuild_cmd;

static const struct command commands[] = {
  { "init", init_cmd,
    "建立資料庫（--demo 載入參考機關）/ create a database (--demo loads the "
    "reference agency)" },
  { "serve", serve_cmd, "啟動網頁伺服器 / serve the web application" },
  { "import", import_cmd,
    "自 CSV 匯入登錄簿（全部成功或全部不寫入）/ import a CSV into a "
    "register, all or nothing" },
  { "export", export_cmd, "將登錄簿匯出為 CSV / export a register as CSV" },
  { "rebuild", rebuild_cmd,
    "重建搜尋索引等衍生資料 / rebuild derived data (search index)" },
  { "version", version_cmd, "顯示版本 / print the version" },
  { "help", help_cmd, "顯示說明 / print help for a command" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
  va_list ap;
  fputs("isms: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

/* The value of option name at argv[*i] ("--db FILE" or "--db=FILE"),
 * advancing *i; NULL when argv[*i] is not that option. */
static const char *opt(int argc, char **argv, int *i, const char *name,
                       int *missing)
{
  size_t n = strlen(name);
  if(strncmp(argv[*i], name, n) != 0) {
    return NULL;
  }
  if(argv[*i][n] == '=') {
    return argv[*i] + n + 1;
  }
  if(argv[*i][n] != 0) {
    return NULL;
  }
  if(*i + 1 >= argc) {
    *missing = 1;
    return NULL;
  }
  (*i)++;
  return argv[*i];
}

static const char *default_db(void)
{
  const char *env = getenv("ISMS_DB");
  return env && *env ? env : "isms.db";
}

/* Who runs the CLI, for history rows: "cli:<login>". */
static const char *cli_actor(void)
{
  static char actor[80];
  struct passwd *pw = getpwuid(getuid());
  snprintf(actor, sizeof(actor), "cli:%s", pw ? pw->pw_name : "unknown");
  return actor;
}

static int bad_usage(const char *cmd, const char *arg)
{
  fail("無法理解的參數「%s」；請看 isms help %s / unknown argument \"%s\"; "
       "see isms help %s",
       arg, cmd, arg, cmd);
  return 64;
}

/* Open the database for a command; prints the reason and returns NULL on
 * failure. */
static struct db *open_db(const char *path, unsigned flags, int *code)
{
  struct db *db = NULL;
  struct buf why;
  enum status st;
  buf_init(&why, 4096);
  st = db_open(path, flags, &db, &why);
  if(!st) {
    struct buf schema;
    buf_init(&schema, 1 << 20);
    st = reg_check_schema(db, &schema);
    if(st) {
      fail("資料庫結構與程式不符 / the schema does not match this "
           "binary:\n%s",
           schema.data);
      db_close(db);
      db = NULL;
    }
    buf_free(&schema);
  }
  else {
    fail("%s", why.data);
  }
  *code = status_exit(st);
  buf_free(&why);
  return st ? NULL : db;
}

static int init_cmd(int argc, char **argv)
{
  const char *path = default_db(), *v;
  int demo = 0, i, code = 0, missing = 0;
  struct db *db;
  struct stat sb;

  for(i = 2; i < argc; i++) {
    if((v = opt(argc, argv, &i, "--db", &missing))) {
      path = v;
    }
    else if(!strcmp(argv[i], "--demo")) {
      demo = 1;
    }
    else {
      return bad_usage("init", argv[i]);
    }
  }
  if(missing) {
    return bad_usage("init", argv[argc - 1]);
  }
  if(stat(path, &sb) == 0) {
    fail("%s 已存在，未作任何變更 / %s already exists; it was left "
         "untouched",
         path, path);
    return 73;
  }
  db = open_db(path, DB_CREATE | DB_MIGRATE, &code);
  if(!db) {
    unlink(path);
    return code;
  }
  if(reg_store_audit(db, cli_actor(), "init", path, demo ? "demo" : NULL)) {
    code = 74;
  }
  if(demo && !code) {
    const struct embedded_file *f =
      embed_find(embedded_data, n_embedded_data, DEMO_FILE);
    struct buf why;
    buf_init(&why, 4096);
    if(!f || reg_load_json(db, (const char *)f->data, f->len,
                           "isms init --demo", &why)) {
      fail("無法載入參考機關資料 / cannot load the reference agency: %s",
           why.data);
      code = 65;
    }
    buf_free(&why);
  }
  db_close(db);
  if(code) {
    unlink(path);
    return code;
  }
  printf("已建立 %s%s / created %s%s\n", path,
         demo ? "（含參考機關：高雄市政府新聞局）" : "", path,
         demo ? " with the reference agency" : "");
  return 0;
}

static int serve_cmd(int argc, char **argv)
{
  struct server_config cfg = { default_db(), "127.0.0.1:8080", 0, 0 };
  const char *v;
  int i, code = 0, missing = 0;
  struct db *db;
  struct buf why;
  enum status st;

  for(i = 2; i < argc; i++) {
    if((v = opt(argc, argv, &i, "--db", &missing))) {
      cfg.db_path = v;
    }
    else if((v = opt(argc, argv, &i, "--listen", &missing))) {
      cfg.listen = v;
    }
    else if((v = opt(argc, argv, &i, "--threads", &missing))) {
      int64_t n;
      if(str_to_i64(str_c(v), 1, 64, &n)) {
        return bad_usage("serve", v);
      }
      cfg.threads = (unsigned)n;
    }
    else if(!strcmp(argv[i], "--print-port")) {
      cfg.print_port = 1;
    }
    else {
      return bad_usage("serve", argv[i]);
    }
  }
  if(missing) {
    return bad_usage("serve", argv[argc - 1]);
  }
  /* Migrate once, before any worker opens the file. */
  db = open_db(cfg.db_path, DB_MIGRATE, &code);
  if(!db) {
    return code;
  }
  db_close(db);
  buf_init(&why, 4096);
  st = server_run(&cfg, &why);
  if(st) {
    fail("%s", why.data);
  }
  buf_free(&why);
  return status_exit(st);
}

static int import_cmd(int argc, char **argv)
{
  const char *path = default_db(), *v, *reg_name = NULL, *file = NULL;
  int i, code = 0, missing = 0;
  const struct reg *reg;
  struct db *db;
  FILE *f;
  struct buf data;
  struct arena a;
  struct import_report rep;
  enum status st;
  char chunk[65536];
  size_t n;

  for(i = 2; i < argc; i++) {
    if((v = opt(argc, argv, &i, "--db", &missing))) {
      path = v;
    }
    else if(!reg_name) {
      reg_name = argv[i];
    }
    else if(!file) {
      file = argv[i];
    }
    else {
      return bad_usage("import", argv[i]);
    }
  }
  if(missing || !reg_name || !file) {
    fail("用法 / usage: isms import REGISTER FILE.csv [--db FILE]");
    return 64;
  }
  reg = reg_find(reg_name);
  if(!reg) {
    fail("沒有名為「%s」的登錄簿 / no register called \"%s\"", reg_name,
         reg_name);
    return 64;
  }
  f = strcmp(file, "-") ? fopen(file, "rb") : stdin;
  if(!f) {
    fail("無法讀取 %s：%s / cannot read %s: %s", file, strerror(errno), file,
         strerror(errno));
    return 66;
  }
  buf_init(&data, IMPORT_MAX_BYTES);
  while((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
    buf_append(&data, chunk, n);
  }
  if(f != stdin) {
    fclose(f);
  }
  if(data.err) {
    fail("檔案過大（上限 %u MiB）/ the file is too large (limit %u MiB)",
         IMPORT_MAX_BYTES >> 20, IMPORT_MAX_BYTES >> 20);
    buf_free(&data);
    return 65;
  }
  db = open_db(path, DB_MIGRATE, &code);
  if(!db) {
    buf_free(&data);
    return code;
  }
  arena_init(&a, 1u << 30);
  st = reg_import_csv(db, reg, (struct str){ data.data, data.len },
                      cli_actor(), &a, &rep);
  if(st == ST_INVALID) {
    size_t k;
    fail("匯入失敗，沒有任何資料被寫入 / the import failed and nothing was "
         "written:");
    for(k = 0; k < rep.errs.n && k < 200; k++) {
      const struct reg_error *e = &rep.errs.items[k];
      fprintf(stderr, "  第 %zu 列 / line %zu: %s: %s / %s\n", e->row, e->row,
              e->field, msg_get(LANG_ZH, e->msg), msg_get(LANG_EN, e->msg));
    }
    if(rep.errs.n > 200) {
      fprintf(stderr, "  … %zu more\n", rep.errs.n - 200);
    }
  }
  else if(st) {
    fail("匯入失敗 / the import failed (%s)", status_name(st));
  }
  else {
    printf("已匯入 %zu 筆（新增 %zu，更新 %zu）/ imported %zu rows (%zu "
           "added, %zu updated)\n",
           rep.rows, rep.created, rep.updated, rep.rows, rep.created,
           rep.updated);
  }
  arena_reset(&a);
  db_close(db);
  buf_free(&data);
  return status_exit(st);
}

static int export_cmd(int argc, char **argv)
{
  const char *path = default_db(), *v, *reg_name = NULL;
  int i, code = 0, missing = 0;
  const struct reg *reg;
  struct db *db;
  struct list_query q;
  struct buf out;
  enum status st;

  memset(&q, 0, sizeof(q));
  for(i = 2; i < argc; i++) {
    if((v = opt(argc, argv, &i, "--db", &missing))) {
      path = v;
    }
    else if(!strcmp(argv[i], "--all")) {
      q.archived = LIST_ALL;
    }
    else if(!reg_name) {
      reg_name = argv[i];
    }
    else {
      return bad_usage("export", argv[i]);
    }
  }
  if(missing || !reg_name) {
    fail("用法 / usage: isms export REGISTER [--all] [--db FILE]");
    return 64;
  }
  reg = reg_find(reg_name);
  if(!reg) {
    fail("沒有名為「%s」的登錄簿 / no register called \"%s\"", reg_name,
         reg_name);
    return 64;
  }
  db = open_db(path, DB_MIGRATE, &code);
  if(!db) {
    return code;
  }
  buf_init(&out, 1u << 30);
  st = reg_export_csv(db, reg, &q, LANG_ZH, &out);
  if(st) {
    fail("匯出失敗 / the export failed (%s)", status_name(st));
  }
  else if(fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout)) {
    fail("無法寫出 / cannot write the output: %s", strerror(errno));
    st = ST_IO;
  }
  buf_free(&out);
  db_close(db);
  return status_exit(st);
}

static int rebuild_cmd(int argc, char **argv)
{
  const char *path = default_db(), *v;
  int i, code = 0, missing = 0;
  struct db *db;
  size_t k;
  for(i = 2; i < argc; i++) {
    if((v = opt(argc, argv, &i, "--db", &missing))) {
      path = v;
    }
    else {
      return bad_usage("rebuild", argv[i]);
    }
  }
  if(missing) {
    return bad_usage("rebuild", argv[argc - 1]);
  }
  db = open_db(path, DB_MIGRATE, &code);
  if(!db) {
    return code;
  }
  for(k = 0; k < n_registers && !code; k++) {
    if(reg_store_reindex(db, registers[k])) {
      fail("無法重建 %s / cannot rebuild %s", registers[k]->name,
           registers[k]->name);
      code = 74;
    }
  }
  db_close(db);
  if(!code) {
    printf("已重建 / rebuilt\n");
  }
  return code;
}

static int version_cmd(int argc, char **argv)
{
  (void)argv;
  if(argc > 2) {
    return bad_usage("version", argv[2]);
  }
  printf("isms %s (SQLite %s)\n", ISMS_VERSION, sqlite3_libversion());
  return 0;
}

static int help_cmd(int argc, char **argv)
{
  size_t i;
  if(argc > 2) {
    char name[128];
    const struct embedded_file *f;
    snprintf(name, sizeof(name), "%s.md", argv[2]);
    f = embed_find(embedded_help, n_embedded_help, name);
    if(!f) {
      fail("沒有「%s」這個指令；請執行 isms help / no command \"%s\"; run "
           "isms help",
           argv[2], argv[2]);
      return 64;
    }
    fwrite(f->data, 1, f->len, stdout);
    return 0;
  }
  printf("isms %s — 資通安全維護計畫管理系統 / cyber security maintenance "
         "plan system\n\n用法 / usage: isms COMMAND [OPTIONS]\n\n",
         ISMS_VERSION);
  for(i = 0; i < N_COMMANDS; i++) {
    printf("  %-8s %s\n", commands[i].name, commands[i].summary);
  }
  printf("\n資料庫預設為環境變數 ISMS_DB，否則為 ./isms.db / the database "
         "defaults to $ISMS_DB, else ./isms.db\n"
         "isms help COMMAND 顯示詳細說明 / shows a command's details\n");
  return 0;
}

int main(int argc, char **argv)
{
  size_t i;
  if(sqlite3_libversion_number() < 3037000) {
    fail("需要 SQLite 3.37 以上（目前 %s）/ SQLite 3.37 or newer is "
         "needed (found %s)",
         sqlite3_libversion(), sqlite3_libversion());
    return 69;
  }
  /* isms does not read SQLite's memory statistics; without them SQLite
   * takes no global mutex on every allocation. */
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  reg_check_declarations();
  route_reg_allow = reg_param_allowed;
  if(argc < 2) {
    help_cmd(1, argv);
    return 64;
  }
  if(!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    return help_cmd(1, argv);
  }
  if(!strcmp(argv[1], "--version")) {
    return version_cmd(2, argv);
  }
  for(i = 0; i < N_COMMANDS; i++) {
    if(!strcmp(argv[1], commands[i].name)) {
      if(argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
        char *args[3] = { argv[0], (char *)"help", argv[1] };
        return help_cmd(3, args);
      }
      return commands[i].fn(argc, argv);
    }
  }
  fail("沒有「%s」這個指令；請執行 isms help / no command \"%s\"; run isms "
       "help",
       argv[1], argv[1]);
  return 64;
}

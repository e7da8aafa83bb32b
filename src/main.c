/*
 * main.c: the isms command line.  One table declares every command with
 * its one-line help; `isms help CMD` prints the long help embedded from
 * docs/cli/CMD.md.  Errors go to stderr with a non-zero exit code.
 */
#include "cli.h"
#include "core/embed.h"
#include "auth/audit.h"
#include "auth/auth.h"
#include "auth/roles.h"
#include "features/accounts/accounts.h"
#include "features/assets/assets.h"
#include "features/assets/form5.h"
#include "features/calendar/calendar.h"
#include "features/calendar/remind.h"
#include "features/incidents/incidents.h"
#include "features/kpi/kpi.h"
#include "features/mail/mail.h"
#include "features/mask/mask_cli.h"
#include "features/risk/risk.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/time.h"
#include "db/db.h"
#include "http/server.h"
#include "registers/register.h"
#include "registers/register_http.h"
#include "registers/register_io.h"
#include "registers/register_load.h"
#include "registers/register_store.h"
#include "ui/layout.h"

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

#define DEMO_FILE    "reference-agency.json"
#define DEMO_SYSTEMS "reference-systems.json"

typedef int command_fn(int argc, char **argv);

struct command {
  const char *name; /* what the user types */
  command_fn *fn;   /* runs it; returns the exit code */
  enum msg summary; /* one line for `isms help` */
};

static command_fn init_cmd, serve_cmd, version_cmd, help_cmd, import_cmd,
  export_cmd, rebuild_cmd;

static const struct command commands[] = {
  { "init", init_cmd, M_CMD_INIT },
  { "serve", serve_cmd, M_CMD_SERVE },
  { "import", import_cmd, M_CMD_IMPORT },
  { "export", export_cmd, M_CMD_EXPORT },
  { "rebuild", rebuild_cmd, M_CMD_REBUILD },
  { "user", user_cmd, M_CMD_USER },
  { "token", token_cmd, M_CMD_TOKEN },
  { "audit", audit_cmd, M_CMD_AUDIT },
  { "settings", settings_cmd, M_CMD_SETTINGS },
  { "mail", mail_cmd, M_CMD_MAIL },
  { "calendar", calendar_cmd, M_CMD_CALENDAR },
  { "mask", mask_cmd, M_CMD_MASK },
  { "version", version_cmd, M_CMD_VERSION },
  { "help", help_cmd, M_CMD_HELP },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/* The names of all registers, comma-separated, into out. */
static const char *register_names(char *out, size_t n)
{
  size_t i, used = 0;
  out[0] = 0;
  for(i = 0; i < n_registers && used + 1 < n; i++) {
    int w = snprintf(out + used, n - used, "%s%s", i ? ", " : "",
                     registers[i]->name);
    if(w < 0) {
      break;
    }
    used += (size_t)w;
  }
  return out;
}

/* Create the first administrator, a privileged account called admin,
 * with a one-time password written to otp[OTP_LEN+1]. */
static enum status first_admin(struct db *db, char *otp)
{
  static const char *const admin_roles[] = { "admin" };
  struct new_account in;
  struct auth_err err;
  int64_t id;
  memset(&in, 0, sizeof(in));
  in.login = "admin";
  in.name = msg_text(M_ROLE_ADMIN);
  in.privileged = 1;
  in.roles = admin_roles;
  in.n_roles = 1;
  return auth_user_add(db, &in, cli_actor(), otp, &id, &err);
}

static int init_cmd(int argc, char **argv)
{
  const char *path = cli_default_db(), *v;
  int demo = 0, i, code = 0, missing = 0;
  struct db *db;
  struct stat sb;
  char otp[OTP_LEN + 1];

  for(i = 2; i < argc; i++) {
    if((v = cli_opt(argc, argv, &i, "--db", &missing))) {
      path = v;
    }
    else if(!strcmp(argv[i], "--demo")) {
      demo = 1;
    }
    else {
      return cli_bad_usage("init", argv[i]);
    }
  }
  if(missing) {
    return cli_bad_usage("init", argv[argc - 1]);
  }
  if(stat(path, &sb) == 0) {
    cli_fail(M_CLI_EXISTS, path, NULL);
    return 73;
  }
  db = cli_open_db(path, DB_CREATE | DB_MIGRATE, &code);
  if(!db) {
    unlink(path);
    return code;
  }
  audit_set_source("cli");
  if(reg_store_audit(db, cli_actor(), "init", path, demo ? "demo" : NULL)) {
    code = 74;
  }
  if(!code && first_admin(db, otp)) {
    code = 74;
  }
  if(demo && !code) {
    const struct embedded_file *f =
      embed_find(embedded_data, n_embedded_data, DEMO_FILE);
    struct buf why;
    buf_init(&why, 4096);
    if(!f || reg_load_json(db, (const char *)f->data, f->len,
                           "isms init --demo", &why)) {
      cli_fail(M_CLI_DEMO_FAILED, why.data, NULL);
      code = 65;
    }
    else {
      /* Its systems and assets, with gradings and baseline states. */
      f = embed_find(embedded_data, n_embedded_data, DEMO_SYSTEMS);
      if(!f ||
         reg_load_json(db, (const char *)f->data, f->len, "isms init --demo",
                       &why) ||
         assets_load_demo(db, (const char *)f->data, f->len,
                          "isms init --demo", &why) ||
         risk_load_demo(db, (const char *)f->data, f->len, "isms init --demo",
                        &why) ||
         incidents_load_demo(db, (const char *)f->data, f->len,
                             "isms init --demo", &why) ||
         calendar_load_demo(db, (const char *)f->data, f->len,
                            "isms init --demo", &why) ||
         kpi_load_demo(db, (const char *)f->data, f->len, "isms init --demo",
                       &why)) {
        cli_fail(M_CLI_DEMO_FAILED, why.data, NULL);
        code = 65;
      }
    }
    buf_free(&why);
  }
  db_close(db);
  if(code) {
    unlink(path);
    return code;
  }
  cli_say(stdout, demo ? M_CLI_CREATED_DEMO : M_CLI_CREATED, path, NULL);
  cli_say(stdout, M_CLI_ADMIN_CREATED, otp, NULL);
  return 0;
}

static int serve_cmd(int argc, char **argv)
{
  struct server_config cfg = { .db_path = cli_default_db(),
                               .listen = "127.0.0.1:8080" };
  const char *v;
  int i, code = 0, missing = 0;
  unsigned tick = SCHED_TICK_DEFAULT;
  struct db *db;
  struct sched *sched = NULL;
  struct buf why;
  enum status st;

  for(i = 2; i < argc; i++) {
    if((v = cli_opt(argc, argv, &i, "--db", &missing))) {
      cfg.db_path = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--tick", &missing))) {
      int64_t n;
      if(str_to_i64(str_c(v), 1, 86400, &n)) {
        return cli_bad_usage("serve", v);
      }
      tick = (unsigned)n;
    }
    else if((v = cli_opt(argc, argv, &i, "--listen", &missing))) {
      cfg.listen = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--threads", &missing))) {
      int64_t n;
      if(str_to_i64(str_c(v), 1, 64, &n)) {
        return cli_bad_usage("serve", v);
      }
      cfg.threads = (unsigned)n;
    }
    else if((v = cli_opt(argc, argv, &i, "--tls-cert", &missing))) {
      cfg.tls_cert = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--tls-key", &missing))) {
      cfg.tls_key = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--host", &missing))) {
      if(cfg.n_hosts == SERVER_MAX_HOSTS) {
        char n[24];
        cli_fail(M_SRV_TOO_MANY_HOSTS, cli_num(n, sizeof(n), SERVER_MAX_HOSTS),
                 NULL);
        return 64;
      }
      cfg.hosts[cfg.n_hosts++] = v;
    }
    else if(!strcmp(argv[i], "--print-port")) {
      cfg.print_port = 1;
    }
    else if(!strcmp(argv[i], "--behind-proxy")) {
      cfg.behind_proxy = 1;
    }
    else {
      return cli_bad_usage("serve", argv[i]);
    }
  }
  if(missing) {
    return cli_bad_usage("serve", argv[argc - 1]);
  }
  if(!cfg.tls_cert != !cfg.tls_key) {
    cli_fail(M_SRV_TLS_PAIR, NULL);
    return 64;
  }
  /* A listen address, --host or TLS file that cannot work is refused
   * before the database is opened (and perhaps migrated). */
  buf_init(&why, 4096);
  st = server_check(&cfg, &why);
  if(st) {
    cli_fail(M_CLI_TEXT, why.data, NULL);
    buf_free(&why);
    return status_exit(st);
  }
  buf_free(&why);
  /* Migrate once, before any worker opens the file; seal audit rows
   * written before the hash chain existed. */
  db = cli_open_db(cfg.db_path, DB_MIGRATE, &code);
  if(!db) {
    return code;
  }
  if(audit_seal(db)) {
    db_close(db);
    return 74;
  }
  {
    /* A database from before accounts existed gets its first
     * administrator now, or nobody could sign in. */
    struct arena a;
    struct account *list;
    size_t n = 0;
    arena_init(&a, 1u << 24);
    audit_set_source("cli");
    if(!acct_list(db, &a, &list, &n) && n == 0) {
      char otp[OTP_LEN + 1];
      if(first_admin(db, otp)) {
        arena_reset(&a);
        db_close(db);
        return 74;
      }
      /* With --print-port the first stdout line is the port. */
      cli_say(cfg.print_port ? stderr : stdout, M_CLI_ADMIN_CREATED, otp,
              NULL);
      fflush(stdout);
    }
    arena_reset(&a);
  }
  db_close(db);
  route_guard = auth_guard;
  auth_reg_area = reg_area;
  page_unread = notice_unread;
  /* The scheduler (occurrences, reminders, mail) on its own connection;
   * a failure to start it is logged and the server runs without. */
  sched_start(cfg.db_path, tick, &sched);
  buf_init(&why, 4096);
  st = server_run(&cfg, &why);
  sched_stop(sched);
  if(st) {
    cli_fail(M_CLI_TEXT, why.data, NULL);
  }
  buf_free(&why);
  return status_exit(st);
}

static int import_cmd(int argc, char **argv)
{
  const char *path = cli_default_db(), *v, *reg_name = NULL, *file = NULL;
  int i, code = 0, missing = 0;
  const struct reg *reg;
  struct db *db;
  FILE *f;
  struct buf data;
  struct arena a;
  struct import_report rep;
  enum status st;
  char chunk[65536], names[512], n1[24], n2[24], n3[24];
  size_t n;

  for(i = 2; i < argc; i++) {
    if((v = cli_opt(argc, argv, &i, "--db", &missing))) {
      path = v;
    }
    else if(!reg_name) {
      reg_name = argv[i];
    }
    else if(!file) {
      file = argv[i];
    }
    else {
      return cli_bad_usage("import", argv[i]);
    }
  }
  if(missing || !reg_name || !file) {
    cli_fail(M_CLI_USAGE_IMPORT, NULL);
    return 64;
  }
  reg = reg_find(reg_name);
  if(!reg) {
    cli_fail(M_CLI_NO_REGISTER, reg_name, register_names(names, sizeof(names)),
             NULL);
    return 64;
  }
  f = strcmp(file, "-") ? fopen(file, "rb") : stdin;
  if(!f) {
    cli_fail(M_CLI_CANNOT_READ, file, strerror(errno), NULL);
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
    cli_fail(M_CLI_FILE_TOO_BIG,
             cli_num(n1, sizeof(n1), IMPORT_MAX_BYTES >> 20), NULL);
    buf_free(&data);
    return 65;
  }
  db = cli_open_db(path, DB_MIGRATE, &code);
  if(!db) {
    buf_free(&data);
    return code;
  }
  arena_init(&a, 1u << 30);
  st = reg_import_csv(db, reg, (struct str){ data.data, data.len },
                      cli_actor(), &a, &rep);
  if(st == ST_INVALID) {
    size_t k;
    cli_fail(M_CLI_IMPORT_FAILED, NULL);
    for(k = 0; k < rep.errs.n && k < 200; k++) {
      const struct reg_error *e = &rep.errs.items[k];
      cli_say(stderr, M_CLI_IMPORT_ROW,
              cli_num(n1, sizeof(n1), (long long)e->row), e->field,
              reg_msg_detail(lang_default(), e->msg, e->detail, &a), NULL);
    }
    if(rep.errs.n > 200) {
      cli_say(stderr, M_CLI_IMPORT_MORE,
              cli_num(n1, sizeof(n1), (long long)(rep.errs.n - 200)), NULL);
    }
  }
  else if(st) {
    cli_fail(M_CLI_IMPORT_ERROR, status_name(st), NULL);
  }
  else {
    cli_say(stdout, M_CLI_IMPORTED,
            cli_num(n1, sizeof(n1), (long long)rep.rows),
            cli_num(n2, sizeof(n2), (long long)rep.created),
            cli_num(n3, sizeof(n3), (long long)rep.updated), NULL);
    if(rep.masked) {
      /* Personal data of FF_MASK columns, masked without a preview. */
      cli_say(stdout, M_CLI_IMPORT_MASKED,
              cli_num(n1, sizeof(n1), (long long)rep.masked),
              mask_op_name(rep.mask_op),
              reg_mask_summary(rep.masked_count, &a), NULL);
    }
  }
  arena_reset(&a);
  db_close(db);
  buf_free(&data);
  return status_exit(st);
}

static int export_cmd(int argc, char **argv)
{
  char names[512];
  const char *path = cli_default_db(), *v, *reg_name = NULL, *fmt = NULL;
  int i, code = 0, missing = 0, is_form5 = 0, form5_fmt = FORM5_CSV;
  const struct reg *reg;
  struct db *db;
  struct list_query q;
  struct buf out;
  enum status st;

  memset(&q, 0, sizeof(q));
  for(i = 2; i < argc; i++) {
    if((v = cli_opt(argc, argv, &i, "--db", &missing))) {
      path = v;
    }
    else if(!strcmp(argv[i], "--all")) {
      q.archived = LIST_ALL;
    }
    else if(!strcmp(argv[i], "--form5")) {
      is_form5 = 1;
    }
    else if((v = cli_opt(argc, argv, &i, "--format", &missing))) {
      fmt = v;
    }
    else if(!reg_name) {
      reg_name = argv[i];
    }
    else {
      return cli_bad_usage("export", argv[i]);
    }
  }
  if(fmt) {
    form5_fmt = form5_format_of(fmt);
  }
  /* Form 5 (--form5 [--format xlsx|ods|csv]) is the asset register's. */
  if(missing || !reg_name || (fmt && (!is_form5 || form5_fmt < 0)) ||
     (is_form5 && strcmp(reg_name, "asset") != 0)) {
    cli_fail(M_CLI_USAGE_EXPORT, NULL);
    return 64;
  }
  reg = reg_find(reg_name);
  if(!reg) {
    cli_fail(M_CLI_NO_REGISTER, reg_name, register_names(names, sizeof(names)),
             NULL);
    return 64;
  }
  db = cli_open_db(path, DB_MIGRATE, &code);
  if(!db) {
    return code;
  }
  buf_init(&out, 1u << 30);
  if(is_form5) {
    static const char *const what[] = { "form5 xlsx", "form5 ods",
                                        "form5 csv" };
    st = form5_export(db, &q, (enum form5_format)form5_fmt, time_now(), &out);
    if(!st) {
      audit_set_source("cli");
      st =
        reg_store_audit(db, cli_actor(), "export", reg->name, what[form5_fmt]);
    }
  }
  else {
    st = reg_export_csv(db, reg, &q, LANG_ZH, &out);
    if(!st) {
      audit_set_source("cli");
      st =
        reg_store_audit(db, cli_actor(), "export", reg->name,
                        q.archived == LIST_ALL ? "csv, with archived" : "csv");
    }
  }
  if(st) {
    cli_fail(M_CLI_EXPORT_FAILED, status_name(st), NULL);
  }
  else if(fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout)) {
    cli_fail(M_CLI_WRITE_FAILED, strerror(errno), NULL);
    st = ST_IO;
  }
  buf_free(&out);
  db_close(db);
  return status_exit(st);
}

static int rebuild_cmd(int argc, char **argv)
{
  const char *path = cli_default_db(), *v;
  int i, code = 0, missing = 0;
  struct db *db;
  size_t k;
  for(i = 2; i < argc; i++) {
    if((v = cli_opt(argc, argv, &i, "--db", &missing))) {
      path = v;
    }
    else {
      return cli_bad_usage("rebuild", argv[i]);
    }
  }
  if(missing) {
    return cli_bad_usage("rebuild", argv[argc - 1]);
  }
  db = cli_open_db(path, DB_MIGRATE, &code);
  if(!db) {
    return code;
  }
  for(k = 0; k < n_registers && !code; k++) {
    if(reg_store_reindex(db, registers[k])) {
      cli_fail(M_CLI_REBUILD_FAILED, registers[k]->name, NULL);
      code = 74;
    }
  }
  db_close(db);
  if(!code) {
    cli_say(stdout, M_CLI_REBUILT, NULL);
  }
  return code;
}

static int version_cmd(int argc, char **argv)
{
  (void)argv;
  if(argc > 2) {
    return cli_bad_usage("version", argv[2]);
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
      cli_fail(M_CLI_NO_COMMAND, argv[2], NULL);
      return 64;
    }
    fwrite(f->data, 1, f->len, stdout);
    return 0;
  }
  cli_say(stdout, M_CLI_HELP_HEAD, ISMS_VERSION, NULL);
  for(i = 0; i < N_COMMANDS; i++) {
    printf("  %-8s %s\n", commands[i].name, msg_text(commands[i].summary));
  }
  printf("\n");
  cli_say(stdout, M_CLI_HELP_TAIL, NULL);
  return 0;
}

int main(int argc, char **argv)
{
  size_t i;
  lang_set_default(lang_from_env());
  if(sqlite3_libversion_number() < 3037000) {
    cli_fail(M_CLI_OLD_SQLITE, sqlite3_libversion(), NULL);
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
  cli_fail(M_CLI_NO_COMMAND, argv[1], NULL);
  return 64;
}

/*
 * accounts_cli.c: isms user, token, audit and settings.  The command line
 * has no login: whoever can write the database file is its operator, and
 * every change is audited as "cli:<login>" from source "cli".
 */
#include "accounts.h"
#include "cli.h"
#include "auth/audit.h"
#include "auth/auth.h"
#include "auth/roles.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/time.h"
#include "db/db.h"
#include "db/settings.h"

#include <stdio.h>
#include <string.h>

/* Print an account operation's refusal and return the exit code. */
static int refused(enum status st, const struct auth_err *err)
{
  if(err->msg != M_NONE) {
    cli_fail(M_CLI_TEXT, msg_text(err->msg), NULL);
  }
  else {
    cli_fail(M_CLI_FAILED, status_name(st), NULL);
  }
  return status_exit(st);
}

static int user_usage(void)
{
  cli_fail(M_CLI_USAGE_USER, NULL);
  return 64;
}

int user_cmd(int argc, char **argv)
{
  const char *path = cli_default_db(), *v, *sub = argc > 2 ? argv[2] : NULL;
  const char *args[4] = { NULL, NULL, NULL, NULL };
  const char *roles_v[32];
  struct new_account in;
  struct auth_err err;
  size_t nargs = 0, nroles = 0;
  int i, code = 0, missing = 0;
  const char *reason = NULL;
  struct db *db;
  enum status st = ST_OK;
  char otp[OTP_LEN + 1];

  memset(&in, 0, sizeof(in));
  memset(&err, 0, sizeof(err));
  if(!sub) {
    return user_usage();
  }
  for(i = 3; i < argc; i++) {
    if((v = cli_opt(argc, argv, &i, "--db", &missing))) {
      path = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--name", &missing))) {
      in.name = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--unit", &missing))) {
      in.unit = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--email", &missing))) {
      in.email = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--owner", &missing))) {
      in.owner = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--reason", &missing))) {
      reason = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--request", &missing))) {
      if(str_to_i64(str_c(v), 1, INT64_MAX, &in.request)) {
        return cli_bad_usage("user", v);
      }
    }
    else if((v = cli_opt(argc, argv, &i, "--role", &missing))) {
      if(nroles == 32) {
        return cli_bad_usage("user", v);
      }
      roles_v[nroles++] = v;
    }
    else if(!strcmp(argv[i], "--privileged")) {
      in.privileged = 1;
    }
    else if(argv[i][0] != '-' && nargs < 2) {
      args[nargs++] = argv[i];
    }
    else {
      return cli_bad_usage("user", argv[i]);
    }
  }
  if(missing) {
    return cli_bad_usage("user", argv[argc - 1]);
  }
  if(strcmp(sub, "list") != 0 && nargs < 1) {
    return user_usage();
  }
  db = cli_open_db(path, DB_MIGRATE, &code);
  if(!db) {
    return code;
  }
  audit_set_source("cli");
  if(!strcmp(sub, "add") && nargs == 1) {
    int64_t id;
    in.login = args[0];
    in.roles = roles_v;
    in.n_roles = nroles;
    st = auth_user_add(db, &in, cli_actor(), otp, &id, &err);
    if(!st) {
      cli_say(stdout, M_CLI_USER_ADDED, in.login, otp, NULL);
    }
  }
  else if(!strcmp(sub, "list") && nargs == 0) {
    struct arena a;
    struct account *list;
    size_t n = 0, k;
    int64_t now = time_now();
    arena_init(&a, 1u << 28);
    st = acct_list(db, &a, &list, &n);
    for(k = 0; !st && k < n; k++) {
      const struct account *x = &list[k];
      printf("%-20s %-12s %-10s %s%s%s\t%s\n", x->login, x->name,
             x->disabled           ? "disabled" :
             x->locked_until > now ? "locked" :
                                     "active",
             x->privileged ? "privileged" : "daily",
             x->owner_login ? " of " : "",
             x->owner_login ? x->owner_login : "", x->roles);
    }
    arena_reset(&a);
  }
  else if(!strcmp(sub, "disable") && nargs == 1) {
    st = auth_set_disabled(db, args[0], 1, reason, cli_actor(), &err);
    if(!st) {
      cli_say(stdout, M_CLI_USER_DISABLED, args[0], NULL);
    }
  }
  else if(!strcmp(sub, "enable") && nargs == 1) {
    st = auth_set_disabled(db, args[0], 0, NULL, cli_actor(), &err);
    if(!st) {
      cli_say(stdout, M_CLI_USER_ENABLED, args[0], NULL);
    }
  }
  else if(!strcmp(sub, "reset-password") && nargs == 1) {
    st = auth_reset_password(db, args[0], cli_actor(), otp, &err);
    if(!st) {
      cli_say(stdout, M_CLI_USER_RESET, args[0], otp, NULL);
    }
  }
  else if((!strcmp(sub, "grant") || !strcmp(sub, "revoke")) && nargs == 2) {
    int grant = !strcmp(sub, "grant");
    st = auth_grant(db, args[0], args[1], grant, cli_actor(), &err);
    if(!st) {
      cli_say(stdout, grant ? M_CLI_USER_GRANTED : M_CLI_USER_REVOKED, args[1],
              args[0], NULL);
    }
  }
  else {
    db_close(db);
    return user_usage();
  }
  db_close(db);
  return st ? refused(st, &err) : 0;
}

int token_cmd(int argc, char **argv)
{
  const char *path = cli_default_db(), *v, *sub = argc > 2 ? argv[2] : NULL;
  const char *login = NULL, *name = NULL, *scope = "read", *arg = NULL;
  int64_t days = 30;
  int i, code = 0, missing = 0;
  struct auth_err err;
  struct account acct;
  struct arena a;
  struct db *db;
  enum status st;

  memset(&err, 0, sizeof(err));
  if(!sub) {
    cli_fail(M_CLI_USAGE_TOKEN, NULL);
    return 64;
  }
  for(i = 3; i < argc; i++) {
    if((v = cli_opt(argc, argv, &i, "--db", &missing))) {
      path = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--user", &missing))) {
      login = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--name", &missing))) {
      name = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--scope", &missing))) {
      scope = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--days", &missing))) {
      if(str_to_i64(str_c(v), 1, 3650, &days)) {
        return cli_bad_usage("token", v);
      }
    }
    else if(argv[i][0] != '-' && !arg) {
      arg = argv[i];
    }
    else {
      return cli_bad_usage("token", argv[i]);
    }
  }
  if(missing || !login) {
    cli_fail(M_CLI_USAGE_TOKEN, NULL);
    return 64;
  }
  db = cli_open_db(path, DB_MIGRATE, &code);
  if(!db) {
    return code;
  }
  audit_set_source("cli");
  arena_init(&a, 1u << 24);
  st = acct_by_login(db, login, &a, &acct);
  if(st) {
    err.msg = st == ST_NOTFOUND ? M_ACCT_NOT_FOUND : M_NONE;
  }
  else if(!strcmp(sub, "create") && !arg) {
    char token[TOKEN_LEN + 1];
    int64_t id;
    st = auth_token_create(db, acct.id, cli_actor(), name, scope, (int)days,
                           token, &id, &err);
    if(!st) {
      printf("%s\n", token);
      cli_say(stderr, M_CLI_TOKEN_CREATED, cli_num((char[24]){ 0 }, 24, id),
              NULL);
    }
  }
  else if(!strcmp(sub, "list") && !arg) {
    struct api_token *t;
    size_t n = 0, k;
    st = tok_list(db, acct.id, &a, &t, &n);
    for(k = 0; !st && k < n; k++) {
      struct buf c, e;
      buf_init(&c, 64);
      buf_init(&e, 64);
      time_format_utc(&c, t[k].created_at);
      time_format_utc(&e, t[k].expires_at);
      printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)t[k].id, t[k].name,
             t[k].scope, c.data, e.data,
             t[k].revoked_at               ? "revoked" :
             t[k].expires_at <= time_now() ? "expired" :
                                             "valid");
      buf_free(&c);
      buf_free(&e);
    }
  }
  else if(!strcmp(sub, "revoke") && arg) {
    int64_t id;
    if(str_to_i64(str_c(arg), 1, INT64_MAX, &id)) {
      st = ST_INVALID;
    }
    else {
      st = auth_token_revoke(db, acct.id, cli_actor(), id);
    }
    if(!st) {
      cli_say(stdout, M_CLI_TOKEN_REVOKED, arg, NULL);
    }
    else if(st == ST_NOTFOUND || st == ST_INVALID) {
      err.msg = M_CLI_NO_TOKEN;
    }
  }
  else {
    arena_reset(&a);
    db_close(db);
    cli_fail(M_CLI_USAGE_TOKEN, NULL);
    return 64;
  }
  arena_reset(&a);
  db_close(db);
  return st ? refused(st, &err) : 0;
}

/* Writes one audit row as a JSON line on stdout. */
static enum status print_row(void *ctx, const struct audit_row *row)
{
  struct buf b;
  struct json j;
  (void)ctx;
  buf_init(&b, 1u << 24);
  json_init(&j, &b);
  json_obj_begin(&j);
  json_key_i64(&j, "id", row->id);
  json_key_str(&j, "at", row->at);
  json_key_str(&j, "actor", row->actor);
  json_key_str(&j, "action", row->action);
  json_key_str(&j, "object", row->object);
  json_key_str(&j, "detail", row->detail);
  json_key_str(&j, "source", row->source);
  json_key_str(&j, "prev_hash", row->prev_hash);
  json_key_str(&j, "hash", row->hash);
  json_obj_end(&j);
  buf_putc(&b, '\n');
  fwrite(b.data, 1, b.len, stdout);
  buf_free(&b);
  return ferror(stdout) ? ST_IO : ST_OK;
}

int audit_cmd(int argc, char **argv)
{
  const char *path = cli_default_db(), *v, *sub = argc > 2 ? argv[2] : NULL;
  const char *since = NULL;
  int i, code = 0, missing = 0;
  struct db *db;
  enum status st;

  if(!sub) {
    cli_fail(M_CLI_USAGE_AUDIT, NULL);
    return 64;
  }
  for(i = 3; i < argc; i++) {
    if((v = cli_opt(argc, argv, &i, "--db", &missing))) {
      path = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--since", &missing))) {
      struct date d;
      int64_t t;
      if(time_parse_date(str_c(v), &d) && time_parse_utc(str_c(v), &t)) {
        return cli_bad_usage("audit", v);
      }
      since = v;
    }
    else {
      return cli_bad_usage("audit", argv[i]);
    }
  }
  if(missing) {
    return cli_bad_usage("audit", argv[argc - 1]);
  }
  db = cli_open_db(path, DB_MIGRATE, &code);
  if(!db) {
    return code;
  }
  audit_set_source("cli");
  if(!strcmp(sub, "verify")) {
    struct audit_check c;
    char n1[24];
    st = audit_verify(db, &c);
    if(!st) {
      cli_say(stdout, M_CLI_AUDIT_OK, cli_num(n1, sizeof(n1), c.rows), c.head,
              NULL);
    }
    else if(st == ST_CONFLICT) {
      cli_fail(M_CLI_AUDIT_BAD, cli_num(n1, sizeof(n1), c.bad_id),
               msg_text(c.why), NULL);
    }
    else {
      cli_fail(M_CLI_FAILED, status_name(st), NULL);
    }
  }
  else if(!strcmp(sub, "export")) {
    st = audit_each(db, since, print_row, NULL);
    if(!st) {
      st = audit_append(db, cli_actor(), "audit-export", NULL, since);
    }
    if(st) {
      cli_fail(M_CLI_FAILED, status_name(st), NULL);
    }
  }
  else if(!strcmp(sub, "prune")) {
    int n = 0;
    char n1[24];
    st = audit_prune(db, cli_actor(), &n);
    if(!st) {
      cli_say(stdout, M_CLI_AUDIT_PRUNED, cli_num(n1, sizeof(n1), n), NULL);
    }
    else {
      cli_fail(M_CLI_FAILED, status_name(st), NULL);
    }
  }
  else {
    db_close(db);
    cli_fail(M_CLI_USAGE_AUDIT, NULL);
    return 64;
  }
  db_close(db);
  return status_exit(st);
}

/* "(set)" or "(not set)" for a sensitive setting, whose value is never
 * printed. */
static const char *sensitive_state(struct db *db, enum setting_id id,
                                   struct arena *a)
{
  const char *v = setting_text(db, id, a);
  return v && *v ? "(set)" : "(not set)";
}

int settings_cmd(int argc, char **argv)
{
  const char *path = cli_default_db(), *v, *sub = argc > 2 ? argv[2] : NULL;
  const char *args[2] = { NULL, NULL };
  size_t nargs = 0, k;
  int i, code = 0, missing = 0;
  struct arena a;
  struct db *db;
  enum status st = ST_OK;

  if(!sub) {
    cli_fail(M_CLI_USAGE_SETTINGS, NULL);
    return 64;
  }
  for(i = 3; i < argc; i++) {
    if((v = cli_opt(argc, argv, &i, "--db", &missing))) {
      path = v;
    }
    else if(nargs < 2) {
      args[nargs++] = argv[i];
    }
    else {
      return cli_bad_usage("settings", argv[i]);
    }
  }
  if(missing) {
    return cli_bad_usage("settings", argv[argc - 1]);
  }
  db = cli_open_db(path, DB_MIGRATE, &code);
  if(!db) {
    return code;
  }
  audit_set_source("cli");
  arena_init(&a, 1u << 20);
  if(!strcmp(sub, "list") && nargs == 0) {
    for(k = 0; k < SET_COUNT_; k++) {
      const struct setting_decl *d = &setting_decls[k];
      if(d->flags & SET_SENSITIVE) {
        printf("%s\t%s\t%s\n", d->name,
               sensitive_state(db, (enum setting_id)k, &a),
               msg_text(d->label));
      }
      else if(d->type == SET_TEXT) {
        printf("%s\t%s\t%s\n", d->name,
               setting_text(db, (enum setting_id)k, &a), msg_text(d->label));
      }
      else {
        printf("%s\t%lld\t%s\n", d->name,
               (long long)setting_int(db, (enum setting_id)k),
               msg_text(d->label));
      }
    }
  }
  else if((!strcmp(sub, "get") && nargs == 1) ||
          (!strcmp(sub, "set") && nargs == 2)) {
    const struct setting_decl *d = setting_find(args[0]);
    enum msg why;
    if(!d) {
      cli_fail(M_CLI_NO_SETTING, args[0], NULL);
      st = ST_NOTFOUND;
    }
    else if(!strcmp(sub, "get")) {
      enum setting_id id = (enum setting_id)(d - setting_decls);
      if(d->flags & SET_SENSITIVE) {
        printf("%s\n", sensitive_state(db, id, &a));
      }
      else if(d->type == SET_TEXT) {
        printf("%s\n", setting_text(db, id, &a));
      }
      else {
        printf("%lld\n", (long long)setting_int(db, id));
      }
    }
    else if(setting_check(d, args[1], &why)) {
      cli_fail(M_CLI_BAD_SETTING, args[0], msg_text(why), NULL);
      st = ST_INVALID;
    }
    else {
      const char *value = args[1];
      int64_t n;
      if(d->type != SET_TEXT &&
         !str_to_i64(str_trim(str_c(value)), d->min, d->max, &n)) {
        value = arena_printf(&a, "%lld", (long long)n);
      }
      st = db_begin(db);
      if(!st) {
        st = setting_store(db, d, value, cli_actor());
      }
      if(!st) {
        st = audit_append(db, cli_actor(), "setting", d->name,
                          (d->flags & SET_SENSITIVE) ?
                            "(sensitive)" :
                            arena_printf(&a, "-> %s", value));
      }
      if(st) {
        db_rollback(db);
        cli_fail(M_CLI_FAILED, status_name(st), NULL);
      }
      else {
        st = db_commit(db);
      }
    }
  }
  else {
    arena_reset(&a);
    db_close(db);
    cli_fail(M_CLI_USAGE_SETTINGS, NULL);
    return 64;
  }
  arena_reset(&a);
  db_close(db);
  return status_exit(st);
}

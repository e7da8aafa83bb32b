/*
 * mail_cli.c: `isms mail test`.  See mail.h and docs/cli/mail.md.
 */
#include "mail.h"
#include "cli.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/time.h"
#include "db/db.h"
#include "reports/smtp.h"

#include <string.h>

/* Most --to options taken at once. */
#define MAX_TO 16

int mail_cmd(int argc, char **argv)
{
  const char *path = cli_default_db(), *v, *to[MAX_TO];
  const char *sub = argc > 2 ? argv[2] : NULL;
  size_t n_to = 0, k;
  int i, code = 0, missing = 0;
  struct smtp_config cfg;
  struct mail m;
  struct arena a;
  struct buf detail, now, body;
  struct db *db;
  enum status st;
  enum msg why;

  if(!sub || strcmp(sub, "test") != 0) {
    cli_fail(M_CLI_USAGE_MAIL, NULL);
    return 64;
  }
  for(i = 3; i < argc; i++) {
    if((v = cli_opt(argc, argv, &i, "--db", &missing))) {
      path = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--to", &missing))) {
      if(n_to == MAX_TO) {
        return cli_bad_usage("mail", v);
      }
      to[n_to++] = v;
    }
    else {
      return cli_bad_usage("mail", argv[i]);
    }
  }
  if(missing) {
    return cli_bad_usage("mail", argv[argc - 1]);
  }
  if(n_to == 0) {
    cli_fail(M_CLI_USAGE_MAIL, NULL);
    return 64;
  }
  for(k = 0; k < n_to; k++) {
    if(mail_check_address(to[k])) {
      cli_fail(M_CLI_MAIL_BAD_TO, to[k], NULL);
      return 65;
    }
  }
  db = cli_open_db(path, DB_MIGRATE, &code);
  if(!db) {
    return code;
  }
  arena_init(&a, 1u << 20);
  buf_init(&detail, 1024);
  buf_init(&now, 64);
  buf_init(&body, 4096);
  st = smtp_config_load(db, &a, &cfg, &why);
  if(!st) {
    memset(&m, 0, sizeof(m));
    m.from = cfg.from;
    m.to = to;
    m.n_to = n_to;
    m.date = time_now();
    time_format_taipei(&now, m.date);
    m.subject = msg_text(M_MAIL_TEST_SUBJECT);
    buf_puts(&body, msg_text(M_MAIL_TEST_BODY));
    buf_appendf(&body, "\n\n%s\n%s\n", now.data, cfg.relay);
    m.body = body.data;
    st = body.err ? body.err : smtp_send(&cfg, &m, &why, &detail);
  }
  if(st && why != M_NONE) {
    if(detail.len) {
      cli_fail(M_CLI_MAIL_FAILED_DETAIL, msg_text(why), detail.data, NULL);
    }
    else {
      cli_fail(M_CLI_MAIL_FAILED, msg_text(why), NULL);
    }
  }
  else if(st) {
    cli_fail(M_CLI_FAILED, status_name(st), NULL);
  }
  else {
    char n[24];
    cli_say(stdout, M_CLI_MAIL_SENT, cli_num(n, sizeof(n), (long long)n_to),
            NULL);
  }
  buf_free(&body);
  buf_free(&now);
  buf_free(&detail);
  arena_reset(&a);
  db_close(db);
  return status_exit(st);
}

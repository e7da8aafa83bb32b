/*
 * sched_cli.c: `isms calendar tick`, one pass of the scheduler for cron
 * and tests.  See remind.h and docs/cli/calendar.md.
 */
#include "remind.h"
#include "cli.h"
#include "auth/audit.h"
#include "core/time.h"
#include "db/db.h"

#include <string.h>

int calendar_cmd(int argc, char **argv)
{
  const char *path = cli_default_db(), *v;
  const char *sub = argc > 2 ? argv[2] : NULL;
  int i, code = 0, missing = 0;
  struct remind_pass_result r;
  struct db *db;
  enum status st;
  char n1[24], n2[24], n3[24], n4[24];

  if(!sub || strcmp(sub, "tick") != 0) {
    cli_fail(M_CLI_USAGE_CALENDAR, NULL);
    return 64;
  }
  for(i = 3; i < argc; i++) {
    if((v = cli_opt(argc, argv, &i, "--db", &missing))) {
      path = v;
    }
    else {
      return cli_bad_usage("calendar", argv[i]);
    }
  }
  if(missing) {
    return cli_bad_usage("calendar", argv[argc - 1]);
  }
  db = cli_open_db(path, DB_MIGRATE, &code);
  if(!db) {
    return code;
  }
  audit_set_source("cli");
  st = remind_pass(db, time_now(), NULL, NULL, &r);
  cli_say(stdout, M_CLI_TICK_GENERATED,
          cli_num(n1, sizeof(n1), (long long)r.added),
          cli_num(n2, sizeof(n2), (long long)r.voided),
          cli_num(n3, sizeof(n3), (long long)r.restored), NULL);
  cli_say(stdout, M_CLI_TICK_REMINDED,
          cli_num(n1, sizeof(n1), (long long)r.remind.reminders),
          cli_num(n2, sizeof(n2), (long long)r.remind.notices),
          cli_num(n3, sizeof(n3), (long long)r.remind.mails), NULL);
  if(r.sent.no_relay) {
    cli_say(stdout, M_CLI_TICK_NO_RELAY,
            cli_num(n1, sizeof(n1), (long long)r.sent.waiting), NULL);
  }
  else {
    cli_say(stdout, M_CLI_TICK_SENT,
            cli_num(n1, sizeof(n1), (long long)r.sent.sent),
            cli_num(n2, sizeof(n2), (long long)r.sent.failed),
            cli_num(n3, sizeof(n3), (long long)r.sent.dropped),
            cli_num(n4, sizeof(n4), (long long)r.sent.waiting), NULL);
  }
  if(st) {
    cli_fail(M_CLI_FAILED, status_name(st), NULL);
  }
  db_close(db);
  return status_exit(st);
}

/*
 * cli.c: what every command of the command line shares: messages in the
 * CLI's language, options, the database path, the actor of CLI changes.
 */
#include "cli.h"
#include "core/i18n.h"
#include "db/db.h"
#include "registers/register.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Print catalog message id, its %s filled with the arguments (const char
 * *, ending with NULL), as one line on to. */
void cli_say(FILE *to, enum msg id, ...)
{
  struct buf line;
  va_list ap;
  buf_init(&line, 1 << 20);
  va_start(ap, id);
  msg_vfill(&line, id, ap);
  va_end(ap);
  buf_putc(&line, '\n');
  fputs(line.data, to);
  buf_free(&line);
}

/* An error: say() on stderr after "isms: ". */

/* A number as text for a message. */
const char *cli_num(char *out, size_t n, long long v)
{
  snprintf(out, n, "%lld", v);
  return out;
}

/* The value of option name at argv[*i] ("--db FILE" or "--db=FILE"),
 * advancing *i; NULL when argv[*i] is not that option. */
const char *cli_opt(int argc, char **argv, int *i, const char *name,
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

const char *cli_default_db(void)
{
  const char *env = getenv("ISMS_DB");
  return env && *env ? env : "isms.db";
}

/* Who runs the CLI, for history rows: "cli:<login>". */
const char *cli_actor(void)
{
  static char actor[80];
  struct passwd *pw = getpwuid(getuid());
  snprintf(actor, sizeof(actor), "cli:%s", pw ? pw->pw_name : "unknown");
  return actor;
}

int cli_bad_usage(const char *cmd, const char *arg)
{
  cli_fail(M_CLI_BAD_ARG, arg, cmd, NULL);
  return 64;
}

/* Open the database for a command; prints the reason and returns NULL on
 * failure. */
struct db *cli_open_db(const char *path, unsigned flags, int *code)
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
      cli_fail(M_CLI_SCHEMA_MISMATCH, schema.data, NULL);
      db_close(db);
      db = NULL;
    }
    buf_free(&schema);
  }
  else {
    cli_fail(M_CLI_TEXT, why.data, NULL);
  }
  *code = status_exit(st);
  buf_free(&why);
  return st ? NULL : db;
}

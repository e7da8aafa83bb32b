/*
 * cli.h: helpers of the command line (src/main.c and the commands of
 * features): messages from the catalog in the CLI's language, options,
 * the database, the actor recorded for CLI changes.  Depends on core,
 * db and registers.
 */
#ifndef ISMS_CLI_H
#define ISMS_CLI_H

#include <stdio.h>

#include "core/i18n.h"

struct db;

/* Print catalog message id, its %s filled with the arguments (const char
 * *, ending with NULL), as one line on to. */
void cli_say(FILE *to, enum msg id, ...);

/* An error: cli_say() on stderr after "isms: ". */
#define cli_fail(...) (fputs("isms: ", stderr), cli_say(stderr, __VA_ARGS__))

/* A number as text for a message, in out[n]; returns out. */
const char *cli_num(char *out, size_t n, long long v);

/* The value of option name at argv[*i] ("--db FILE" or "--db=FILE"),
 * advancing *i; NULL when argv[*i] is not that option; *missing is set
 * when the value is missing. */
const char *cli_opt(int argc, char **argv, int *i, const char *name,
                    int *missing);

/* ISMS_DB, or "isms.db". */
const char *cli_default_db(void);

/* Who runs the CLI, for history and audit rows: "cli:<login>"
 * (a static buffer). */
const char *cli_actor(void);

/* Report an argument cmd does not take; returns the exit code 64. */
int cli_bad_usage(const char *cmd, const char *arg);

/* Open the database for a command and check its schema; prints the
 * reason and returns NULL (with the exit code in *code) on failure. */
struct db *cli_open_db(const char *path, unsigned flags, int *code);

#endif

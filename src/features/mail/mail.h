/*
 * mail.h: the `isms mail` command (issue 6): sends a test message with
 * the mail settings, so an administrator can check the relay before
 * reminders depend on it.  Depends on core, db, reports/smtp and cli.
 */
#ifndef ISMS_FEATURES_MAIL_H
#define ISMS_FEATURES_MAIL_H

/* isms mail test --to ADDRESS [--to ADDRESS ...] [--db FILE]: send one
 * test message; returns the exit code (0, 64 usage, 65 a bad address or
 * setting, 74 the relay failed). */
int mail_cmd(int argc, char **argv);

#endif

/*
 * notice.h: the text of in-app notifications, made when they are shown,
 * in the reader's language (notice_pages.c).  Depends on calendar.h and
 * remind_store.h.
 */
#ifndef ISMS_FEATURES_CALENDAR_NOTICE_H
#define ISMS_FEATURES_CALENDAR_NOTICE_H

#include <stdint.h>

#include "core/i18n.h"
#include "core/status.h"

struct db;
struct arena;
struct notice;

/* The text of notification x in lang (plain text, to be escaped on
 * output), with what became of its occurrence since; in a.
 * ST_NOTFOUND when the occurrence is gone. */
enum status notice_text(struct db *db, const struct notice *x, enum lang lang,
                        struct arena *a, const char **text);

#endif

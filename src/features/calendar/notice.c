/*
 * notice.c: the text of notifications.  See notice.h.
 */
#include "notice.h"
#include "calendar.h"
#include "remind_store.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/time.h"

#include <string.h>

enum status notice_text(struct db *db, const struct notice *x, enum lang lang,
                        struct arena *a, const char **text)
{
  struct occurrence o;
  struct buf b, due;
  enum msg id;
  enum status st;
  *text = NULL;
  st = calendar_get(db, x->occurrence, lang, a, &o);
  if(st) {
    return st;
  }
  buf_init(&due, 128);
  if(lang == LANG_ZH) {
    time_format_roc(&due, o.due);
  }
  else {
    time_format_date(&due, o.due);
  }
  id = strcmp(x->kind, "due") == 0      ? M_NT_DUE :
       strcmp(x->kind, "escalate") == 0 ? M_NT_ESCALATE :
                                          M_NT_OVERDUE;
  buf_init(&b, 8192);
  msg_fill_lang(&b, lang, id, o.name ? o.name : o.duty, due.data,
                calendar_owner_label(o.owner, lang), NULL);
  if(strcmp(o.status, "done") == 0) {
    msg_fill_lang(&b, lang, M_NT_NOW_DONE, NULL);
  }
  else if(strcmp(o.status, "void") == 0) {
    msg_fill_lang(&b, lang, M_NT_NOW_VOID, NULL);
  }
  if(!b.err && !due.err) {
    *text = arena_strdup(a, b.data);
  }
  buf_free(&b);
  buf_free(&due);
  return *text ? ST_OK : ST_NOMEM;
}

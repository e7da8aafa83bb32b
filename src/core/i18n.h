/*
 * i18n.h: the one message catalog (messages.def): every user-facing
 * string has a zh-TW text (the default) and an English one.  Pages use
 * the request's language; the CLI and start-up messages use the
 * process's language, taken from the environment.  Depends on buf.h.
 */
#ifndef ISMS_CORE_I18N_H
#define ISMS_CORE_I18N_H

#include <stdarg.h>

#include "buf.h"

enum lang {
  LANG_ZH = 0, /* Traditional Chinese (Taiwan), the default */
  LANG_EN = 1, /* English */
};

enum msg {
  M_NONE = 0,
#define MSG(id, zh, en) id,
#include "messages.def"
#undef MSG
  M_COUNT_
};

/* The text of id in lang; never NULL. */
const char *msg_get(enum lang lang, enum msg id);

/* The BCP 47 tag of lang ("zh-TW", "en"). */
const char *lang_tag(enum lang lang);

/* The language the environment asks for: English when the first of
 * ISMS_LANG, LC_ALL, LC_MESSAGES and LANG that is set and not empty
 * starts with "en", Traditional Chinese otherwise. */
enum lang lang_from_env(void);

/* The process's language for messages outside a request (set once by
 * main; LANG_ZH until then). */
void lang_set_default(enum lang lang);
enum lang lang_default(void);

/* The text of id in the process's language. */
const char *msg_text(enum msg id);

/*
 * Append the text of id in the process's language to b, each "%s"
 * replaced by the next argument; the arguments end with NULL.  Plain
 * text: for the terminal and logs, never for HTML.
 */
void msg_fill(struct buf *b, enum msg id, ...);

/* msg_fill() with a va_list of const char * ending with NULL. */
void msg_vfill(struct buf *b, enum msg id, va_list ap);

/* msg_fill() in lang (a request's language) instead of the process's.
 * Plain text, never for HTML: pages use html_template(). */
void msg_fill_lang(struct buf *b, enum lang lang, enum msg id, ...);

#endif

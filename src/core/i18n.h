/*
 * i18n.h: the one message catalog (messages.def): every user-facing
 * string has a zh-TW text (the default) and an English one.
 * Depends on nothing.
 */
#ifndef ISMS_CORE_I18N_H
#define ISMS_CORE_I18N_H

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

#endif

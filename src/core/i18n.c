/*
 * i18n.c: catalog lookup.
 */
#include "i18n.h"

static const char *const catalog[M_COUNT_][2] = {
  [M_NONE] = { "", "" },
#define MSG(id, zh, en) [id] = { zh, en },
#include "messages.def"
#undef MSG
};

const char *msg_get(enum lang lang, enum msg id)
{
  if((unsigned)id >= M_COUNT_ || (unsigned)lang > LANG_EN) {
    return "";
  }
  return catalog[id][lang];
}

const char *lang_tag(enum lang lang)
{
  return lang == LANG_EN ? "en" : "zh-TW";
}

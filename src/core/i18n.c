/*
 * i18n.c: catalog lookup.
 */
#include "i18n.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

static enum lang default_lang = LANG_ZH;

enum lang lang_from_env(void)
{
  static const char *const vars[] = { "ISMS_LANG", "LC_ALL", "LC_MESSAGES",
                                      "LANG" };
  size_t i;
  for(i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
    const char *v = getenv(vars[i]);
    if(v && *v) {
      return strncmp(v, "en", 2) == 0 ? LANG_EN : LANG_ZH;
    }
  }
  return LANG_ZH;
}

void lang_set_default(enum lang lang)
{
  default_lang = lang;
}

enum lang lang_default(void)
{
  return default_lang;
}

const char *msg_text(enum msg id)
{
  return msg_get(default_lang, id);
}

void msg_fill(struct buf *b, enum msg id, ...)
{
  va_list ap;
  va_start(ap, id);
  msg_vfill(b, id, ap);
  va_end(ap);
}

/* Append template p with each "%s" replaced by the next argument of ap
 * (const char *, ending with NULL). */
static void fill(struct buf *b, const char *p, va_list ap)
{
  const char *q;
  while((q = strstr(p, "%s")) != NULL) {
    const char *arg = va_arg(ap, const char *);
    buf_append(b, p, (size_t)(q - p));
    if(arg) {
      buf_puts(b, arg);
    }
    else {
      /* fewer arguments than places: leave the rest empty */
      p = q + 2;
      while((q = strstr(p, "%s")) != NULL) {
        buf_append(b, p, (size_t)(q - p));
        p = q + 2;
      }
      break;
    }
    p = q + 2;
  }
  buf_puts(b, p);
}

void msg_vfill(struct buf *b, enum msg id, va_list ap)
{
  fill(b, msg_text(id), ap);
}

void msg_fill_lang(struct buf *b, enum lang lang, enum msg id, ...)
{
  va_list ap;
  va_start(ap, id);
  fill(b, msg_get(lang, id), ap);
  va_end(ap);
}

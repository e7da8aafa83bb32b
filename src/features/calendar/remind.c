/*
 * remind.c: deciding reminders, writing their mail and delivering the
 * mail queue.  See remind.h; the rules of which reminder is due when are
 * core/remind_rule.h.
 */
#include "remind.h"
#include "calendar.h"
#include "remind_store.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/remind_rule.h"
#include "core/str.h"
#include "core/time.h"
#include "db/db.h"
#include "db/settings.h"
#include "reports/smtp.h"

#include <stdio.h>
#include <string.h>

/* How long a delivery attempt holds a mail (more than smtp_send's 70
 * seconds at most). */
#define LEASE_SECONDS 600
/* Longest wait between two attempts. */
#define BACKOFF_MAX 3600
/* Mails tried in one delivery pass. */
#define DELIVER_BATCH 100
/* Cap of one mail's text. */
#define MAIL_TEXT_MAX (1u << 20)

const char *remind_base_url(struct db *db, struct arena *a)
{
  const char *b = setting_text(db, SET_BASE_URL, a);
  size_t n;
  if(!b || remind_check_base_url(b)) {
    b = setting_decls[SET_BASE_URL].def;
  }
  n = strlen(b);
  while(n > 0 && b[n - 1] == '/') {
    n--;
  }
  b = arena_strndup(a, b, n);
  return b ? b : setting_decls[SET_BASE_URL].def;
}

/* The offsets of the remind-days setting (its default when the stored
 * text no longer parses). */
static void offsets(struct db *db, struct arena *a, struct remind_days *rd)
{
  const char *t = setting_text(db, SET_REMIND_DAYS, a);
  if(!t || remind_days_parse(t, rd)) {
    log_msg(LOG_WARNING, "remind-days %s not understood: using %s",
            t ? t : "(unreadable)", setting_decls[SET_REMIND_DAYS].def);
    remind_days_parse(setting_decls[SET_REMIND_DAYS].def, rd);
  }
}

/* "YYYY-MM-DD" of d into out[11]. */
static void day_text(char out[11], struct date d)
{
  unsigned y = (unsigned)d.year % 10000u, m = (unsigned)d.month % 13u;
  unsigned dd = (unsigned)d.day % 32u;
  snprintf(out, 11, "%04u-%02u-%02u", y, m, dd);
}

/* One occurrence in a mail, with the reminder keys it carries. */
struct item {
  const struct occurrence *o;   /* names in zh-TW */
  int overdue;                  /* in the overdue part */
  int escalated;                /* first seen overdue by the CISO */
  char keys[3][REMIND_KEY_MAX]; /* its new keys */
  size_t n_keys;                /* how many */
};

/* A number as text in out[24]. */
static const char *num(char *out, long long v)
{
  snprintf(out, 24, "%lld", v);
  return out;
}

/* Append the lines of one part (overdue or not) of a mail. */
static void put_part(struct buf *b, const char *base, struct date day,
                     const struct item *items, size_t n, int overdue)
{
  size_t i, k = 0;
  char a1[24], a2[24];
  struct buf roc, when;
  buf_init(&roc, 128);
  buf_init(&when, 128);
  for(i = 0; i < n; i++) {
    const struct occurrence *o = items[i].o;
    int left = remind_days_between(day, o->due);
    if(items[i].overdue != overdue) {
      continue;
    }
    if(k == 0) {
      buf_putc(b, '\n');
      msg_fill_lang(b, LANG_ZH, overdue ? M_RM_PART_OVERDUE : M_RM_PART_DUE,
                    NULL);
      buf_putc(b, '\n');
    }
    k++;
    buf_clear(&roc);
    buf_clear(&when);
    time_format_roc(&roc, o->due);
    if(left > 0) {
      msg_fill_lang(&when, LANG_ZH, M_RM_DAYS_LEFT, num(a2, left), NULL);
    }
    else if(left == 0) {
      msg_fill_lang(&when, LANG_ZH, M_RM_DUE_TODAY, NULL);
    }
    else {
      msg_fill_lang(&when, LANG_ZH, M_RM_DAYS_OVERDUE, num(a2, -left), NULL);
    }
    buf_appendf(b, "%s. %s", num(a1, (long long)k), o->name ? o->name : "");
    if(items[i].escalated) {
      msg_fill_lang(b, LANG_ZH, M_RM_NEWLY_OVERDUE, NULL);
    }
    buf_puts(b, "\n   ");
    msg_fill_lang(b, LANG_ZH, M_RM_LINE_DUE, roc.data, when.data, NULL);
    buf_puts(b, "\n   ");
    msg_fill_lang(b, LANG_ZH, M_RM_LINE_OWNER,
                  calendar_owner_label(o->owner, LANG_ZH), NULL);
    if(o->basis && *o->basis) {
      buf_puts(b, "\n   ");
      msg_fill_lang(b, LANG_ZH, M_RM_LINE_BASIS, o->basis, NULL);
    }
    buf_appendf(b, "\n   %s/r/duty/calendar/%lld\n", base, (long long)o->id);
  }
  buf_free(&when);
  buf_free(&roc);
}

/* Write the subject and body of the mail to a person called name on day
 * (days left count from it) with items[0..n). */
static enum status compose(const char *name, struct date day, const char *base,
                           const struct item *items, size_t n,
                           struct buf *subject, struct buf *body)
{
  size_t i, n_due = 0, n_over = 0;
  char a1[24], a2[24];
  struct buf roc;
  enum status st;
  for(i = 0; i < n; i++) {
    if(items[i].overdue) {
      n_over++;
    }
    else {
      n_due++;
    }
  }
  if(n_due && n_over) {
    msg_fill_lang(subject, LANG_ZH, M_RM_SUBJECT_BOTH,
                  num(a1, (long long)n_due), num(a2, (long long)n_over), NULL);
  }
  else if(n_over) {
    msg_fill_lang(subject, LANG_ZH, M_RM_SUBJECT_OVERDUE,
                  num(a1, (long long)n_over), NULL);
  }
  else {
    msg_fill_lang(subject, LANG_ZH, M_RM_SUBJECT_DUE,
                  num(a1, (long long)n_due), NULL);
  }
  buf_init(&roc, 128);
  time_format_roc(&roc, day);
  msg_fill_lang(body, LANG_ZH, M_RM_GREETING, name ? name : "", NULL);
  buf_puts(body, "\n\n");
  msg_fill_lang(body, LANG_ZH, M_RM_INTRO, roc.data, num(a1, (long long)n),
                NULL);
  buf_putc(body, '\n');
  put_part(body, base, day, items, n, 0);
  put_part(body, base, day, items, n, 1);
  buf_putc(body, '\n');
  msg_fill_lang(body, LANG_ZH, M_RM_CLOSING, NULL);
  buf_putc(body, '\n');
  msg_fill_lang(body, LANG_ZH, M_RM_ALL_NOTICES, base, NULL);
  buf_puts(body, "\n\n");
  msg_fill_lang(body, LANG_ZH, M_RM_AUTOMATIC, NULL);
  buf_putc(body, '\n');
  st = subject->err ? subject->err : body->err ? body->err : roc.err;
  buf_free(&roc);
  return st;
}

/* The notification kind of a new reminder key, or NULL for none: every
 * advance reminder, the escalation, and an owner's first overdue digest
 * (later daily digests come by mail only). */
static const char *notice_kind(const char *key, int is_owner, int had_overdue)
{
  if(key[0] == 'd') {
    return "due";
  }
  if(strcmp(key, "escalate") == 0) {
    return "escalate";
  }
  return is_owner && !had_overdue ? "overdue" : NULL;
}

/* What one tick needs for each person. */
struct tick {
  struct db *db;
  int64_t now;
  struct date today;
  char today_s[11];
  const char *base;
  struct remind_days rd;
  const struct occurrence *occ; /* the open occurrences */
  size_t n_occ;
  struct item *items; /* room for n_occ */
  struct remind_result *out;
};

/* Decide, record and notify the new reminders of person p; fills
 * t->items with them and *n with how many. */
static enum status person_items(struct tick *t, const struct remind_person *p,
                                size_t *n)
{
  int is_ciso = remind_has_role(p->roles, "ciso");
  size_t i, j;
  enum status st = ST_OK;
  *n = 0;
  for(i = 0; i < t->n_occ && !st; i++) {
    const struct occurrence *o = &t->occ[i];
    int is_owner = remind_has_role(p->roles, o->owner), had = 0;
    struct remind_keys keys;
    struct item *it = &t->items[*n];
    remind_keys_for(&t->rd, o->due, t->today, is_owner, is_ciso, &keys);
    if(keys.n == 0) {
      continue;
    }
    if(keys.key[0][0] == 'o' && is_owner) {
      st = remind_store_had_overdue(t->db, o->id, p->id, &had);
    }
    memset(it, 0, sizeof(*it));
    for(j = 0; j < keys.n && !st; j++) {
      int added = 0;
      const char *kind;
      st = remind_store_mark(t->db, o->id, keys.key[j], p->id, t->now, &added);
      if(st || !added) {
        continue;
      }
      t->out->reminders++;
      memcpy(it->keys[it->n_keys++], keys.key[j], REMIND_KEY_MAX);
      if(strcmp(keys.key[j], "escalate") == 0) {
        it->escalated = 1;
      }
      kind = notice_kind(keys.key[j], is_owner, had);
      if(kind) {
        st =
          remind_store_notice(t->db, p->id, o->id, kind, keys.key[j], t->now);
        t->out->notices += !st;
      }
    }
    if(it->n_keys && !st) {
      it->o = o;
      it->overdue = keys.key[0][0] == 'o';
      (*n)++;
    }
  }
  return st;
}

/* Queue the mail of person p with t->items[0..n). */
static enum status queue_mail(struct tick *t, const struct remind_person *p,
                              size_t n)
{
  struct buf subject, body;
  int64_t id = 0;
  size_t i, j;
  enum status st;
  buf_init(&subject, 4096);
  buf_init(&body, MAIL_TEXT_MAX);
  st = compose(p->name, t->today, t->base, t->items, n, &subject, &body);
  if(!st) {
    st = remind_store_queue(t->db, p->id, p->email, subject.data, body.data,
                            t->today_s, t->now, &id);
  }
  for(i = 0; i < n && !st; i++) {
    for(j = 0; j < t->items[i].n_keys && !st; j++) {
      st = remind_store_queue_item(t->db, id, t->items[i].o->id,
                                   t->items[i].keys[j]);
    }
  }
  if(!st) {
    t->out->mails++;
  }
  buf_free(&body);
  buf_free(&subject);
  return st;
}

enum status remind_tick(struct db *db, int64_t now, struct remind_result *out)
{
  struct arena a;
  struct tick t;
  struct remind_person *people;
  struct occurrence *occ;
  struct cal_filter f;
  size_t n_people = 0, n_occ = 0, i, n;
  enum status st;

  memset(out, 0, sizeof(*out));
  memset(&t, 0, sizeof(t));
  arena_init(&a, 1u << 26);
  t.db = db;
  t.now = now;
  t.today = time_taipei_date(now);
  day_text(t.today_s, t.today);
  t.out = out;
  offsets(db, &a, &t.rd);
  t.base = remind_base_url(db, &a);
  memset(&f, 0, sizeof(f));
  f.status = "open";
  f.to = remind_date_add(t.today, t.rd.n ? t.rd.days[0] : 0);
  /* Read and decide under the write lock, so what is decided is what
   * the database holds (an occurrence closed meanwhile is not
   * reminded of). */
  st = db_begin(db);
  if(!st) {
    st = calendar_list(db, &f, LANG_ZH, &a, &occ, &n_occ);
  }
  if(!st && n_occ) {
    st = remind_store_people(db, &a, &people, &n_people);
  }
  if(!st && n_occ && n_people) {
    t.occ = occ;
    t.n_occ = n_occ;
    t.items = arena_alloc(&a, sizeof(*t.items) * n_occ);
    if(!t.items) {
      st = ST_NOMEM;
    }
  }
  for(i = 0; i < n_people && t.items && !st; i++) {
    const struct remind_person *p = &people[i];
    st = person_items(&t, p, &n);
    if(st || n == 0 || !p->email) {
      continue;
    }
    if(mail_check_address(p->email)) {
      log_msg(LOG_WARNING, "account %s: e-mail address %s refused, no mail",
              p->login, p->email);
      continue;
    }
    st = queue_mail(&t, p, n);
  }
  if(!st && out->reminders) {
    st = db_commit(db);
  }
  else {
    db_rollback(db); /* a failure, or nothing decided: nothing to keep */
  }
  if(st) {
    memset(out, 0, sizeof(*out)); /* nothing of it was kept */
  }
  arena_reset(&a);
  return st;
}

/* Make queued mail m ready to send: *drop gets the reason (in zh-TW)
 * when none of its occurrences is open any more or its account is
 * disabled; when only some became moot its text is written again
 * without them. */
static enum status refresh_mail(struct db *db, const struct outbox_mail *m,
                                const char *base, struct arena *a,
                                const char **subject, const char **body,
                                enum msg *drop)
{
  struct remind_person p;
  int64_t *occ;
  const char **keys;
  int *open;
  size_t n = 0, i, k = 0, n_open = 0;
  struct item *items;
  struct occurrence *o;
  struct date day;
  struct buf s, b;
  enum status st;

  *drop = M_NONE;
  *subject = m->subject;
  *body = m->body;
  st = remind_store_person(db, m->account, a, &p);
  if(st == ST_NOTFOUND || (!st && p.disabled)) {
    *drop = M_RM_DROP_DISABLED;
    return ST_OK;
  }
  if(!st) {
    st = remind_store_mail_items(db, m->id, a, &occ, &keys, &open, &n);
  }
  if(st) {
    return st;
  }
  for(i = 0; i < n; i++) {
    n_open += open[i] != 0;
  }
  if(n_open == 0) {
    *drop = M_RM_DROP_MOOT;
    return ST_OK;
  }
  if(n_open == n) {
    return ST_OK;
  }
  /* Some became moot: one item per open occurrence (its keys are in
   * order of occurrence). */
  items = arena_alloc(a, sizeof(*items) * n);
  o = arena_alloc(a, sizeof(*o) * n);
  if(!items || !o || !m->made_on || time_parse_date(str_c(m->made_on), &day)) {
    return ST_NOMEM;
  }
  for(i = 0; i < n; i++) {
    if(!open[i]) {
      continue;
    }
    if(k == 0 || items[k - 1].o->id != occ[i]) {
      memset(&items[k], 0, sizeof(items[k]));
      st = calendar_get(db, occ[i], LANG_ZH, a, &o[k]);
      if(st) {
        return st;
      }
      items[k].o = &o[k];
      k++;
    }
    if(strncmp(keys[i], "overdue:", 8) == 0) {
      items[k - 1].overdue = 1;
    }
    else if(strcmp(keys[i], "escalate") == 0) {
      items[k - 1].overdue = 1;
      items[k - 1].escalated = 1;
    }
  }
  buf_init(&s, 4096);
  buf_init(&b, MAIL_TEXT_MAX);
  st = compose(p.name, day, base, items, k, &s, &b);
  if(!st) {
    st = remind_store_retext(db, m->id, s.data, b.data);
  }
  if(!st) {
    *subject = arena_strdup(a, s.data);
    *body = arena_strdup(a, b.data);
    if(!*subject || !*body) {
      st = ST_NOMEM;
    }
  }
  buf_free(&b);
  buf_free(&s);
  return st;
}

/* The wait before attempt number attempts + 1. */
static int64_t backoff(int attempts)
{
  int64_t w = 60;
  int i;
  for(i = 1; i < attempts && w < BACKOFF_MAX; i++) {
    w *= 2;
  }
  return w < BACKOFF_MAX ? w : BACKOFF_MAX;
}

enum status remind_deliver(struct db *db, int64_t now, remind_stop_fn *stop,
                           void *ctx, struct remind_delivery *out)
{
  struct arena a;
  struct smtp_config cfg;
  struct outbox_mail *mails;
  size_t n = 0, i;
  const char *base;
  enum msg why;
  enum status st;

  memset(out, 0, sizeof(*out));
  arena_init(&a, 1u << 26);
  st = smtp_config_load(db, &a, &cfg, &why);
  if(st == ST_INVALID) {
    out->no_relay = 1; /* mails wait until a relay is set */
    arena_reset(&a);
    return remind_store_queued(db, &out->waiting);
  }
  base = remind_base_url(db, &a);
  if(!st) {
    st = remind_store_due_mails(db, now, DELIVER_BATCH, &a, &mails, &n);
  }
  for(i = 0; i < n && !st; i++) {
    const struct outbox_mail *m = &mails[i];
    const char *subject, *body, *to[1];
    struct mail msg;
    struct buf detail, error;
    enum msg drop, fail;
    enum status sent;
    int claimed = 0;
    int64_t t;

    if(stop && stop(ctx)) {
      break;
    }
    st = remind_store_claim(db, m->id, now, now + LEASE_SECONDS, &claimed);
    if(st || !claimed) {
      continue;
    }
    st = refresh_mail(db, m, base, &a, &subject, &body, &drop);
    if(st) {
      break;
    }
    if(drop != M_NONE) {
      st = remind_store_drop(db, m->id, msg_get(LANG_ZH, drop));
      out->dropped += !st;
      continue;
    }
    memset(&msg, 0, sizeof(msg));
    to[0] = m->rcpt;
    msg.from = cfg.from;
    msg.to = to;
    msg.n_to = 1;
    msg.subject = subject;
    msg.body = body;
    msg.date = time_now();
    buf_init(&detail, 1024);
    sent = smtp_send(&cfg, &msg, &fail, &detail);
    t = time_now();
    if(!sent) {
      st = remind_store_sent(db, m->id, t);
      out->sent += !st;
      if(st) {
        /* The relay has it; only the mark failed: the lease keeps it
         * from going out again for a while, and the log says so. */
        log_msg(LOG_ERR, "mail %lld sent but not marked sent",
                (long long)m->id);
      }
      buf_free(&detail);
      continue;
    }
    buf_init(&error, 2048);
    buf_puts(&error,
             fail != M_NONE ? msg_get(LANG_ZH, fail) : status_name(sent));
    if(detail.len) {
      buf_appendf(&error, " (%s)", detail.data);
    }
    log_msg(LOG_WARNING, "mail %lld to account %s not sent: %s",
            (long long)m->id, m->login ? m->login : "?",
            msg_get(LANG_EN, fail != M_NONE ? fail : M_ERR_INTERNAL));
    st = remind_store_failed(db, m->id, error.err ? "?" : error.data,
                             t + backoff(m->attempts + 1),
                             m->attempts + 1 >= REMIND_MAX_ATTEMPTS);
    out->failed++;
    buf_free(&error);
    buf_free(&detail);
    if(fail != M_MAIL_REFUSED && sent != ST_INVALID) {
      /* The relay itself is the trouble (down, unreachable, refusing
       * the sign-in): the rest waits for the next pass. */
      break;
    }
  }
  if(!st) {
    st = remind_store_queued(db, &out->waiting);
  }
  arena_reset(&a);
  return st;
}

/* Log a failed step of a pass. */
static void step_failed(const char *what, enum status st)
{
  log_msg(LOG_ERR, "scheduler: %s failed: %s", what, status_name(st));
}

enum status remind_pass(struct db *db, int64_t now, remind_stop_fn *stop,
                        void *ctx, struct remind_pass_result *out)
{
  struct cal_gen g;
  memset(out, 0, sizeof(*out));
  out->gen_st = calendar_generate(db, now, "scheduler", &g);
  if(out->gen_st) {
    step_failed("generating occurrences", out->gen_st);
  }
  else {
    out->added = g.added;
    out->voided = g.voided;
    out->restored = g.restored;
  }
  out->tick_st = remind_tick(db, now, &out->remind);
  if(out->tick_st) {
    step_failed("deciding reminders", out->tick_st);
  }
  out->deliver_st = remind_deliver(db, time_now(), stop, ctx, &out->sent);
  if(out->deliver_st) {
    step_failed("delivering mail", out->deliver_st);
  }
  return out->gen_st  ? out->gen_st :
         out->tick_st ? out->tick_st :
                        out->deliver_st;
}

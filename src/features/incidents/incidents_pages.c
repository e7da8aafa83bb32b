/*
 * incidents_pages.c: the pages of plan 壹拾 on top of the incident
 * register: the state, clocks, steps and timeline on an incident's page,
 * the level assessment as the regulation's matrix, the CISO's decision,
 * the workflow steps, timeline entries (their free text masked after a
 * preview, as the register forms mask theirs), the list of open
 * incidents with their clocks, the notification text (the 7 fields of
 * §3) and the short report form every user may file.
 */
#include "incidents.h"
#include "incident_store.h"
#include "auth/audit.h"
#include "auth/roles.h"
#include "core/str.h"
#include "core/time.h"
#include "core/utf8.h"
#include "db/db.h"
#include "features/evidence/evidence.h"
#include "registers/register_http.h"
#include "registers/register_mask_pages.h"
#include "registers/register_store.h"
#include "ui/layout.h"

#include <stdio.h>
#include <string.h>

const struct param_spec ir_assess_params[] = {
  { "x_*", PARAM_WORD, 1, 0, 0 },
  { "daily_work", PARAM_WORD, 1, 0, 0 },
  { "proposed", PARAM_INT, 1, 0, 4 },
  { "reason", PARAM_TEXT, 2000, 0, 0 },
  /* masking of the reason (registers/register_mask_pages.h) */
  { "mask_preview", PARAM_INT, 1, 0, 1 },
  { "mask_confirm", PARAM_INT, 1, 0, 1 },
  { "mask_op_reason", PARAM_WORD, 16, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec ir_decide_params[] = {
  { "level", PARAM_INT, 1, 1, 4 },
  { "reason", PARAM_TEXT, 2000, 0, 0 },
  /* masking of the reason (registers/register_mask_pages.h) */
  { "mask_preview", PARAM_INT, 1, 0, 1 },
  { "mask_confirm", PARAM_INT, 1, 0, 1 },
  { "mask_op_reason", PARAM_WORD, 16, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec ir_step_params[] = {
  { "step", PARAM_WORD, 16, 0, 0 },
  { "at", PARAM_TEXT, 40, 0, 0 },
  { "channel", PARAM_TEXT, 200, 0, 0 },
  { "reference", PARAM_TEXT, 200, 0, 0 },
  { "note", PARAM_TEXT, 4000, 0, 0 },
  /* masking of the note (registers/register_mask_pages.h) */
  { "mask_preview", PARAM_INT, 1, 0, 1 },
  { "mask_confirm", PARAM_INT, 1, 0, 1 },
  { "mask_op_note", PARAM_WORD, 16, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec ir_event_params[] = {
  { "kind", PARAM_WORD, 16, 0, 0 },
  { "at", PARAM_TEXT, 40, 0, 0 },
  { "text", PARAM_TEXT, 4000, 0, 0 },
  { "sha256", PARAM_TEXT, 64, 0, 0 },
  /* masking of the text (registers/register_mask_pages.h) */
  { "mask_preview", PARAM_INT, 1, 0, 1 },
  { "mask_confirm", PARAM_INT, 1, 0, 1 },
  { "mask_op_text", PARAM_WORD, 16, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec ir_report_get_params[] = {
  { "sent", PARAM_WORD, 1, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec ir_report_params[] = {
  { "title", PARAM_TEXT, 600, 0, 0 },
  { "aware_at", PARAM_TEXT, 40, 0, 0 },
  { "description", PARAM_TEXT, 20000, 0, 0 },
  { "contact", PARAM_TEXT, 600, 0, 0 },
  { "mask_preview", PARAM_INT, 1, 0, 1 },
  { "mask_confirm", PARAM_INT, 1, 0, 1 },
  { "mask_op_*", PARAM_WORD, 16, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

/* The timeline's kinds with their labels (the table's CHECK). */
static const struct {
  const char *key;
  enum msg label;
} event_kinds[] = {
  { "detection", M_IR_EV_DETECTION },
  { "notification", M_IR_EV_NOTIFICATION },
  { "containment", M_IR_EV_CONTAINMENT },
  { "recovery", M_IR_EV_RECOVERY },
  { "investigation", M_IR_EV_INVESTIGATION },
  { "evidence", M_IR_EV_EVIDENCE },
  { "communication", M_IR_EV_COMMUNICATION },
  { "meeting", M_IR_EV_MEETING },
  { "other_agency", M_IR_EV_OTHER_AGENCY },
  { "note", M_IR_EV_NOTE },
};

#define N_EVENT_KINDS (sizeof(event_kinds) / sizeof(event_kinds[0]))

/* The steps in workflow order with their labels. */
static const struct {
  const char *key;
  enum msg label;
} steps[] = {
  { "notified", M_IR_STEP_NOTIFIED }, { "recovered", M_IR_STEP_RECOVERED },
  { "report", M_IR_STEP_REPORT },     { "closed", M_IR_STEP_CLOSED },
  { "reopened", M_IR_STEP_REOPENED },
};

#define N_STEPS (sizeof(steps) / sizeof(steps[0]))

static enum msg step_label(const char *key)
{
  size_t i;
  for(i = 0; i < N_STEPS; i++) {
    if(!strcmp(steps[i].key, key)) {
      return steps[i].label;
    }
  }
  return M_NONE;
}

static enum msg event_label(const char *key)
{
  size_t i;
  for(i = 0; i < N_EVENT_KINDS; i++) {
    if(!strcmp(event_kinds[i].key, key)) {
      return event_kinds[i].label;
    }
  }
  return M_NONE;
}

/* The incident of the {reg}/{id} path (only the incident register has
 * these pages); 0 after the failure was sent. */
static int64_t incident_of(struct req *r, struct record *rec)
{
  const struct reg *reg = reg_of_req(r);
  int64_t id;
  enum status st;
  if(reg && reg != &reg_incident) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return 0;
  }
  id = reg ? reg_id_of_req(r) : 0;
  if(!id) {
    return 0;
  }
  st = reg_store_get(r->db, &reg_incident, id, &r->arena, rec);
  if(st) {
    req_fail(r, st, st == ST_NOTFOUND ? M_ERR_NOT_FOUND : M_ERR_INTERNAL);
    return 0;
  }
  return id;
}

/* The storage form of UTC instant t, in the request's arena. */
static const char *utc_text(struct req *r, int64_t t)
{
  struct buf b;
  const char *s;
  buf_init(&b, 32);
  time_format_utc(&b, t);
  s = arena_strdup(&r->arena, b.data ? b.data : "");
  buf_free(&b);
  return s;
}

/* "第三級" / "Level 3" for level under rules, or "未評定". */
static const char *level_text(struct req *r,
                              const struct incident_rules *rules, int level)
{
  if(!rules || level < 1 || level > INCIDENT_LEVEL_MAX) {
    return req_t(r, M_IR_NO_LEVEL);
  }
  return r->lang == LANG_EN ? rules->levels[level].name_en :
                              rules->levels[level].name;
}

/*
 * A typed time (Taipei, ISO or ROC, or the storage form) in the storage
 * form, or NULL when it is none of these.  An empty one is now, and then
 * *filled gets that instant as the form shows it again (Taipei time to
 * the second): a form that comes back (a masking preview, an error)
 * carries it, so that a step or an entry sent with its time left empty
 * keeps the time of its first sending, not the later one of its
 * confirmation, which the clocks would judge instead.  *filled is NULL
 * when a time was typed.
 */
static const char *typed_time(struct req *r, const char *s,
                              const char **filled)
{
  int64_t t = time_now();
  *filled = NULL;
  if(s && *s) {
    return reg_instant(&r->arena, s, &t) ? NULL : utc_text(r, t);
  }
  {
    struct buf b;
    buf_init(&b, 32);
    time_format_taipei(&b, t);
    *filled = arena_printf(&r->arena, "%s:%02d", b.data ? b.data : "",
                           (int)(((t % 60) + 60) % 60));
    buf_free(&b);
  }
  return utc_text(r, t);
}

/* ---- the clocks ---- */

static void clock_row(struct req *r, enum msg name, const struct ir_clock *c,
                      const struct incident_clock *law, enum msg waiting)
{
  struct html *h = &r->page;
  struct buf b;
  int64_t now = time_now();
  const char *cls;
  if(!c->applies) {
    html_printf(h,
                "<tr class=\"clock waiting\"><th scope=\"row\">%s</th>"
                "<td colspan=\"2\">%s</td><td>%s</td></tr>\n",
                req_t(r, name), req_t(r, waiting),
                law ? (r->lang == LANG_EN ? law->article_en : law->article) :
                      "");
    return;
  }
  cls = c->done      ? (c->met ? "met" : "late") :
        now > c->due ? "overdue" :
                       "running";
  html_printf(h, "<tr class=\"clock %s\"><th scope=\"row\">%s</th><td>", cls,
              req_t(r, name));
  page_time(r, utc_text(r, c->due));
  html_lit(h, "</td><td>");
  buf_init(&b, 64);
  if(c->done) {
    html_printf(h, "<strong>%s</strong> ",
                req_t(r, c->met ? M_IR_CLOCK_MET : M_IR_CLOCK_LATE));
    page_time(r, utc_text(r, c->done));
  }
  else {
    incident_format_left(&b, r->lang, c->due, now);
    html_printf(h, "<strong>%s</strong>", b.data ? b.data : "");
  }
  buf_free(&b);
  html_printf(h, "</td><td>%s</td></tr>\n",
              law ? (r->lang == LANG_EN ? law->article_en : law->article) :
                    "");
}

static void clocks_table(struct req *r, const struct ir_state *s)
{
  struct html *h = &r->page;
  const struct incident_rules *law = s->rules;
  html_printf(h,
              "<table class=\"list clocks\"><thead><tr><th>%s</th><th>%s</th>"
              "<th>%s</th><th>%s</th></tr></thead><tbody>\n",
              req_t(r, M_IR_CLOCK), req_t(r, M_IR_CLOCK_DUE),
              req_t(r, M_IR_CLOCK_STATE), req_t(r, M_IR_CLOCK_LAW));
  clock_row(r, M_IR_CLOCK_NOTIFY, &s->notify, law ? &law->notify : NULL,
            M_IR_NO_RULES);
  clock_row(r, M_IR_CLOCK_CONTAIN, &s->contain, law ? &law->contain : NULL,
            M_IR_WAIT_LEVEL);
  clock_row(r, M_IR_CLOCK_REPORT, &s->report, law ? &law->report : NULL,
            M_IR_WAIT_RECOVERY);
  html_lit(h, "</tbody></table>\n");
  if(s->review_hours && law) {
    char hours[16];
    const char *args[1] = { hours };
    snprintf(hours, sizeof(hours), "%d", s->review_hours);
    html_lit(h, "<p class=\"hint\">");
    html_template(h, req_t(r, M_IR_REVIEW_INFO), 1, args);
    html_lit(h, "</p>\n");
  }
}

/* ---- the incident's page ---- */

enum msg incident_locked(struct db *db, int64_t id)
{
  return ir_store_is_closed(db, id) ? M_IR_LOCKED : M_NONE;
}

void incident_detail(struct req *r, const struct record *rec)
{
  struct html *h = &r->page;
  struct ir_state s;
  struct ir_step *st;
  struct ir_event *ev;
  size_t n = 0, i;
  if(ir_state_of(r->db, rec->id, reg_val(&reg_incident, rec, "aware_at"),
                 &r->arena, &s)) {
    return;
  }
  html_printf(h, "<dt>%s</dt><dd class=\"ir-status\"><strong>%s</strong></dd>",
              req_t(r, M_IR_STATUS), req_t(r, ir_status_label(s.status)));
  html_printf(h, "<dt>%s</dt><dd class=\"ir-level\"><strong>%s</strong>",
              req_t(r, M_IR_LEVEL), level_text(r, s.rules, s.level));
  if(s.rules && s.level && s.rules->levels[s.level].is_major) {
    html_printf(h, " <span class=\"tag\">%s</span>", req_t(r, M_IR_MAJOR));
  }
  if(s.pending) {
    html_printf(h, " <span class=\"tag warn\">%s</span>",
                req_t(r, M_IR_PENDING));
  }
  if(s.renotify && s.status != IR_CLOSED) {
    html_printf(h, " <strong class=\"warn\">%s</strong>",
                req_t(r, M_IR_RENOTIFY));
  }
  html_printf(h, " <a href=\"/r/incident/%lld/assess\">%s</a></dd>\n",
              (long long)rec->id, req_t(r, M_IR_ASSESS));
  if(s.rules && s.level && s.rules->levels[s.level].is_major &&
     !ir_store_events(r->db, rec->id, &r->arena, &ev, &n)) {
    int met = 0;
    for(i = 0; i < n; i++) {
      met |= !strcmp(ev[i].kind, "meeting");
    }
    html_printf(h, "<dt>%s</dt><dd class=\"%s\">%s</dd>\n",
                req_t(r, M_IR_EV_MEETING), met ? "ir-meeting" : "warn",
                req_t(r, met ? M_IR_MEETING_HELD : M_IR_MEETING_NEEDED));
  }
  html_printf(h, "<dt>%s</dt><dd>", req_t(r, M_IR_CLOCKS));
  clocks_table(r, &s);
  html_lit(h, "</dd>\n");
  if(!ir_store_steps(r->db, rec->id, &r->arena, &st, &n) && n) {
    html_printf(h, "<dt>%s</dt><dd><ol class=\"ir-steps\">",
                req_t(r, M_IR_STEPS));
    for(i = 0; i < n; i++) {
      html_printf(h, "<li><strong>%s</strong> ",
                  req_t(r, step_label(st[i].step)));
      page_time(r, st[i].at);
      if(st[i].level) {
        html_printf(h, " · %s", level_text(r, s.rules, st[i].level));
      }
      html_printf(
        h, "%s%s%s%s%s%s · %s</li>", st[i].channel ? " · " : "",
        st[i].channel ? st[i].channel : "", st[i].reference ? " · " : "",
        st[i].reference ? st[i].reference : "", st[i].note ? " · " : "",
        st[i].note ? st[i].note : "", st[i].by);
    }
    html_lit(h, "</ol></dd>\n");
  }
  if(!ir_store_events(r->db, rec->id, &r->arena, &ev, &n) && n) {
    html_printf(h,
                "<dt>%s</dt><dd><table class=\"list ir-timeline\"><thead><tr>"
                "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
                "<tbody>",
                req_t(r, M_IR_TIMELINE), req_t(r, M_F_WHEN),
                req_t(r, M_IR_EV_KIND), req_t(r, M_IR_EV_TEXT),
                req_t(r, M_IR_EV_BY));
    for(i = 0; i < n; i++) {
      html_lit(h, "<tr><td>");
      page_time(r, ev[i].at);
      html_printf(h, "</td><td>%s</td><td class=\"longtext\">%s",
                  req_t(r, event_label(ev[i].kind)), ev[i].text);
      if(ev[i].file) {
        html_printf(h,
                    "<br><a href=\"/r/incident/%lld/evidence?file=%lld\" "
                    "download>%s #%lld</a>",
                    (long long)rec->id, (long long)ev[i].file,
                    req_t(r, M_EV_FILE), (long long)ev[i].file);
      }
      if(ev[i].sha256) {
        html_printf(h, "<br><small>SHA-256 <code>%s</code></small>",
                    ev[i].sha256);
      }
      html_printf(h, "</td><td>%s</td></tr>", ev[i].by);
    }
    html_lit(h, "</tbody></table></dd>\n");
  }
}

/* ---- the forms of an incident's page, and of its assessment ---- */


static const struct page_ctl step_ctls[] = {
  { "step", "ir-step" },       { "at", "ir-step-at" },
  { "channel", "ir-channel" }, { "reference", "ir-reference" },
  { "note", "ir-note" },       { NULL, NULL },
};

static const struct page_ctl event_ctls[] = {
  { "kind", "ir-kind" }, { "at", "ir-ev-at" },      { "text", "ir-text" },
  { "file", "ir-file" }, { "sha256", "ir-sha256" }, { NULL, NULL },
};

static const struct page_ctl assess_ctls[] = {
  { "proposed", "ir-proposed" },
  { "reason", "ir-assess-reason" },
  { NULL, NULL },
};

static const struct page_ctl decide_ctls[] = {
  { "level", "ir-decide-level" },
  { "reason", "ir-decide-reason" },
  { NULL, NULL },
};

/* The message of the first error of form field name in r, or NULL. */
static const char *field_error(struct req *r, const char *name)
{
  size_t i;
  for(i = 0; i < r->n_errs; i++) {
    if(r->errs[i].field && !strcmp(r->errs[i].field, name)) {
      return req_t(r, r->errs[i].msg);
    }
  }
  return NULL;
}

/* Inside the tag of control id of field name: when name has an error in
 * r, marks the control invalid and names its message (error_text()), and
 * the hint hint_id (or NULL) that describes it either way. */
static void ctl_attrs(struct req *r, const char *name, const char *id,
                      const char *hint_id)
{
  int err = field_error(r, name) != NULL;
  if(err) {
    html_lit(&r->page, " aria-invalid=\"true\"");
  }
  if(err && hint_id) {
    html_printf(&r->page, " aria-describedby=\"e-%s %s\"", id, hint_id);
  }
  else if(err || hint_id) {
    html_printf(&r->page, " aria-describedby=\"%s%s\"", err ? "e-" : "",
                err ? id : hint_id);
  }
}

/* The message of the error of field name after its control id, if any. */
static void error_text(struct req *r, const char *name, const char *id)
{
  const char *err = field_error(r, name);
  if(err) {
    html_printf(&r->page, "<span class=\"error\" id=\"e-%s\">%s</span> ", id,
                err);
  }
}

/* What a step or a timeline entry posted, shown again in its form when
 * its text awaits a confirmed masking, a preview was asked or it was
 * refused. */
struct ir_input {
  const char *choice;          /* the step or the kind chosen */
  const char *at;              /* as typed, or the time filled in */
  int at_filled;               /* at was empty: the time of this sending */
  const char *channel;         /* a step's */
  const char *reference;       /* a step's */
  const char *sha256;          /* a timeline entry's */
  const char *text;            /* the step's note or the entry's text */
  int had_file;                /* a file came with the entry (not kept) */
  const struct reg_masked *mk; /* the text's masking, or NULL */
};

/* The buttons of a step or timeline form: save, or confirm the masking
 * its text awaits; and preview. */
static void ir_buttons(struct req *r, const struct ir_input *in)
{
  reg_mask_buttons(r, in && in->mk && in->mk->n, M_SAVE, NULL);
}

/* A labelled one-line input of a step form: control id of field name,
 * at most maxlen bytes, with value as typed and its error. */
static void line_input(struct req *r, const char *id, const char *name,
                       enum msg label, int maxlen, const char *value)
{
  struct html *h = &r->page;
  html_printf(h,
              "<label for=\"%s\">%s</label> <input id=\"%s\" name=\"%s\" "
              "maxlength=\"%d\" value=\"%s\"",
              id, req_t(r, label), id, name, maxlen, value ? value : "");
  ctl_attrs(r, name, id, NULL);
  html_lit(h, "> ");
  error_text(r, name, id);
}

/* The time input (control id) of a step or timeline form, with what in
 * posted, its error, and the hint that an empty time was filled in. */
static void time_input(struct req *r, const char *id,
                       const struct ir_input *in)
{
  struct html *h = &r->page;
  const char *hint =
    in && in->at_filled ? arena_printf(&r->arena, "h-%s", id) : NULL;
  html_printf(h,
              "<label for=\"%s\">%s</label> <input id=\"%s\" name=\"at\" "
              "placeholder=\"%s\" value=\"%s\"",
              id, req_t(r, M_F_WHEN), id, req_t(r, M_IR_NOW_HINT),
              in && in->at ? in->at : "");
  ctl_attrs(r, "at", id, hint);
  html_lit(h, "> ");
  error_text(r, "at", id);
  if(hint) {
    html_printf(h, "<span class=\"hint\" id=\"%s\">%s</span> ", hint,
                req_t(r, M_IR_AT_FILLED));
  }
}

/* The step form of incident id in state s, folded, or open with what in
 * posted, its errors and the preview of its note. */
static void step_form(struct req *r, int64_t id, const struct ir_state *s,
                      const struct ir_input *in)
{
  struct html *h = &r->page;
  size_t i;
  html_printf(h,
              "<details class=\"ir-form\"%s><summary>%s</summary>"
              "<form method=\"post\" action=\"/r/incident/%lld/step\">",
              in ? " open" : "", req_t(r, M_IR_ADD_STEP), (long long)id);
  page_csrf(r);
  /* Labels name their control by id: a label around a filled control
   * would add its value to the control's name. */
  html_printf(h,
              "<label for=\"ir-step\">%s</label> <select id=\"ir-step\" "
              "name=\"step\" required",
              req_t(r, M_IR_STEP));
  ctl_attrs(r, "step", "ir-step", NULL);
  html_lit(h, ">");
  for(i = 0; i < N_STEPS; i++) {
    int closed = s->status == IR_CLOSED;
    int is_reopen = !strcmp(steps[i].key, "reopened");
    int chosen;
    if(closed != is_reopen) {
      continue;
    }
    chosen = in && in->choice && !strcmp(in->choice, steps[i].key);
    html_printf(h, "<option value=\"%s\"%s>%s</option>", steps[i].key,
                chosen ? " selected" : "", req_t(r, steps[i].label));
  }
  html_lit(h, "</select> ");
  error_text(r, "step", "ir-step");
  time_input(r, "ir-step-at", in);
  line_input(r, "ir-channel", "channel", M_IR_CHANNEL, 200,
             in ? in->channel : NULL);
  line_input(r, "ir-reference", "reference", M_IR_REFERENCE, 200,
             in ? in->reference : NULL);
  line_input(r, "ir-note", "note", M_IR_NOTE, 4000, in ? in->text : NULL);
  if(in && in->mk && in->mk->n) {
    reg_mask_panel(r, "note", req_t(r, M_IR_NOTE), in->mk);
  }
  ir_buttons(r, in);
  html_lit(h, "</form></details>\n");
}

/* The timeline form of incident id, folded, or open with what in posted,
 * its errors and the preview of its text. */
static void event_form(struct req *r, int64_t id, const struct ir_input *in)
{
  struct html *h = &r->page;
  size_t i;
  html_printf(h,
              "<details class=\"ir-form\"%s><summary>%s</summary>"
              "<form method=\"post\" action=\"/r/incident/%lld/timeline\" "
              "enctype=\"multipart/form-data\">",
              in ? " open" : "", req_t(r, M_IR_ADD_EVENT), (long long)id);
  page_csrf(r);
  html_printf(h,
              "<label for=\"ir-kind\">%s</label> <select id=\"ir-kind\" "
              "name=\"kind\" required",
              req_t(r, M_IR_EV_KIND));
  ctl_attrs(r, "kind", "ir-kind", NULL);
  html_lit(h, ">");
  for(i = 0; i < N_EVENT_KINDS; i++) {
    int chosen = in && in->choice && !strcmp(in->choice, event_kinds[i].key);
    html_printf(h, "<option value=\"%s\"%s>%s</option>", event_kinds[i].key,
                chosen ? " selected" : "", req_t(r, event_kinds[i].label));
  }
  html_lit(h, "</select> ");
  error_text(r, "kind", "ir-kind");
  time_input(r, "ir-ev-at", in);
  html_printf(h,
              "<label for=\"ir-text\">%s</label> <textarea id=\"ir-text\" "
              "name=\"text\" rows=\"2\" maxlength=\"4000\" required",
              req_t(r, M_IR_EV_TEXT));
  ctl_attrs(r, "text", "ir-text", NULL);
  html_printf(h, ">%s</textarea> ", in && in->text ? in->text : "");
  error_text(r, "text", "ir-text");
  if(in && in->mk && in->mk->n) {
    reg_mask_panel(r, "text", req_t(r, M_IR_EV_TEXT), in->mk);
  }
  html_printf(h,
              "<label for=\"ir-file\">%s</label> <input id=\"ir-file\" "
              "name=\"file\" type=\"file\"",
              req_t(r, M_EV_FILE));
  ctl_attrs(r, "file", "ir-file", NULL);
  html_lit(h, "> ");
  error_text(r, "file", "ir-file");
  if(in && in->had_file) {
    /* A browser never fills a file input again. */
    html_printf(h, "<p class=\"hint\">%s</p>\n",
                req_t(r, r->n_errs ? M_IR_REFILE : M_MASK_REFILE));
  }
  html_printf(h,
              "<label for=\"ir-sha256\">%s</label> <input id=\"ir-sha256\" "
              "name=\"sha256\" maxlength=\"64\" pattern=\"[0-9a-fA-F]{64}\" "
              "value=\"%s\"",
              req_t(r, M_IR_EV_SHA), in && in->sha256 ? in->sha256 : "");
  ctl_attrs(r, "sha256", "ir-sha256", NULL);
  html_lit(h, "> ");
  error_text(r, "sha256", "ir-sha256");
  ir_buttons(r, in);
  html_lit(h, "</form></details>\n");
}

/*
 * The page of a step (s given) or a timeline entry (s NULL) that was not
 * stored: its text awaits a confirmed masking, a preview was asked, or
 * it was refused (the errors of r).  The form again with what in posted,
 * its errors and its preview, then the incident's state, steps and
 * timeline it would join.
 */
static void ir_form_page(struct req *r, const struct record *rec,
                         const struct ir_state *s, int status,
                         const struct ir_input *in)
{
  const char *title = reg_val(&reg_incident, rec, "title");
  struct html *h;
  title = title ? title : "";
  h = page_begin(r, status, title, reg_incident.chapter);
  html_printf(h,
              "<p class=\"crumbs\"><a href=\"/r/incident\">%s</a> › <a "
              "href=\"/r/incident/%lld\">%s</a></p>\n<h1>%s</h1>\n",
              req_t(r, reg_incident.title), (long long)rec->id, title, title);
  page_error_summary(r, s ? step_ctls : event_ctls);
  reg_mask_note(r, in->mk);
  if(s) {
    step_form(r, rec->id, s, in);
  }
  else {
    event_form(r, rec->id, in);
  }
  html_lit(h, "<dl class=\"record\">\n");
  incident_detail(r, rec);
  html_lit(h, "</dl>\n");
  page_end(r);
}

void incident_links(struct req *r, int64_t id)
{
  struct html *h = &r->page;
  struct record rec;
  struct ir_state s;
  if(!id) {
    html_printf(h,
                "<a href=\"/r/incident/open\">%s</a> <a "
                "href=\"/incident/report\">%s</a> ",
                req_t(r, M_IR_OPEN_TITLE), req_t(r, M_IR_REPORT_TITLE));
    return;
  }
  html_printf(h,
              "<a class=\"button\" href=\"/r/incident/%lld/assess\">%s</a> "
              "<a href=\"/r/incident/%lld/notification\">%s</a> ",
              (long long)id, req_t(r, M_IR_ASSESS), (long long)id,
              req_t(r, M_IR_NOTIF_TITLE));
  html_printf(h,
              "<a href=\"/r/incident/%lld/report.odt\" download>%s ODT</a> "
              "<a href=\"/r/incident/%lld/report.pdf\" download>%s PDF</a> ",
              (long long)id, req_t(r, M_IR_REPORT_DOC), (long long)id,
              req_t(r, M_IR_REPORT_DOC));
  if(!(r->rights & W(AREA_INCIDENT)) ||
     reg_store_get(r->db, &reg_incident, id, &r->arena, &rec) ||
     rec.archived ||
     ir_state_of(r->db, id, reg_val(&reg_incident, &rec, "aware_at"),
                 &r->arena, &s)) {
    return;
  }
  step_form(r, id, &s, NULL);
  if(s.status != IR_CLOSED) {
    event_form(r, id, NULL);
  }
}

/* ---- the assessment ---- */

/* 1 if fact kind:impact is in facts text. */
static int has_fact(const char *facts, const char *kind, const char *impact)
{
  char want[64];
  const char *p = facts;
  size_t len;
  int n = snprintf(want, sizeof(want), "%s:%s", kind, impact);
  if(!facts || n < 0 || (size_t)n >= sizeof(want)) {
    return 0;
  }
  len = (size_t)n;
  while((p = strstr(p, want)) != NULL) {
    if((p == facts || p[-1] == ',') && (p[len] == ',' || p[len] == '\0')) {
      return 1;
    }
    p += len;
  }
  return 0;
}

/* What an assessment or a level decision posted, shown again in its form
 * when its reason awaits a confirmed masking, a preview was asked or it
 * was refused. */
struct level_input {
  const char *facts;           /* an assessment's ticks, "kind:impact,…" */
  int daily_work;              /* an assessment's "daily work affected" */
  int level;                   /* the level proposed (0: none) or decided */
  const char *reason;          /* as typed */
  const struct reg_masked *mk; /* the reason's masking, or NULL */
};

/* Save (label) or confirm the masking the reason of in awaits; and
 * preview. */
static void level_buttons(struct req *r, const struct level_input *in,
                          enum msg label)
{
  reg_mask_buttons(r, in && in->mk && in->mk->n, label, NULL);
}

/* The reason input of the assessment (id ir-assess-reason) or the
 * decision (ir-decide-reason) with value, and, when in is the form that
 * was posted, its error and the preview of its masking. */
static void reason_input(struct req *r, const char *id, const char *value,
                         int required, const struct level_input *in)
{
  struct html *h = &r->page;
  html_printf(h,
              "<label for=\"%s\">%s</label> <input id=\"%s\" name=\"reason\" "
              "maxlength=\"2000\"%s value=\"%s\"",
              id, req_t(r, M_IR_REASON), id, required ? " required" : "",
              value ? value : "");
  if(in) {
    ctl_attrs(r, "reason", id, NULL);
  }
  html_lit(h, "> ");
  if(in) {
    error_text(r, "reason", id);
  }
  if(in && in->mk && in->mk->n) {
    reg_mask_panel(r, "reason", req_t(r, M_IR_REASON), in->mk);
  }
}

/* The CISO's form confirming the level of incident id (s pending); di:
 * what a decision posted, or NULL. */
static void decide_form(struct req *r, int64_t id, const struct ir_state *s,
                        const struct level_input *di)
{
  struct html *h = &r->page;
  const struct incident_rules *law = s->rules;
  int chosen = di ? di->level : s->proposed;
  int k;
  html_printf(h,
              "<form method=\"post\" action=\"/r/incident/%lld/level\" "
              "class=\"%sir-decide\">",
              (long long)id, di ? "" : "inline ");
  page_csrf(r);
  html_printf(h,
              "<label for=\"ir-decide-level\">%s</label> <select "
              "id=\"ir-decide-level\" name=\"level\" required",
              req_t(r, M_IR_DECIDE_LEVEL));
  if(di) {
    ctl_attrs(r, "level", "ir-decide-level", NULL);
  }
  html_lit(h, ">");
  for(k = 1; k <= INCIDENT_LEVEL_MAX; k++) {
    html_printf(h, "<option value=\"%d\"%s>%s</option>", k,
                k == chosen ? " selected" : "", level_text(r, law, k));
  }
  html_lit(h, "</select> ");
  if(di) {
    error_text(r, "level", "ir-decide-level");
  }
  reason_input(r, "ir-decide-reason", di ? di->reason : NULL, 1, di);
  level_buttons(r, di, M_IR_DECIDE);
  html_lit(h, "</form>\n");
}

/*
 * The assessment page of incident rec in state s with status: the level
 * in force, the CISO's form when a proposal waits, and the matrix with
 * the last assessment ticked.  ai: what an assessment posted, or di: what
 * a decision posted (each NULL but on a page that comes back), shown
 * again in its form with the errors of r and its reason's preview.
 */
static void assess_page(struct req *r, const struct record *rec,
                        const struct ir_state *s, int status,
                        const struct level_input *ai,
                        const struct level_input *di)
{
  struct ir_assessment x;
  struct html *h;
  const struct incident_rules *law = s->rules;
  const char *facts = NULL, *reason = NULL;
  int64_t id = rec->id;
  int has_x, can_write, k, daily_work = 0, proposed = 0;
  size_t i;
  has_x = !ir_store_assessment(r->db, id, &r->arena, &x);
  if(has_x) {
    facts = x.facts;
    daily_work = x.daily_work;
    proposed = x.proposed;
    reason = x.reason;
  }
  if(ai) {
    facts = ai->facts;
    daily_work = ai->daily_work;
    proposed = ai->level;
    reason = ai->reason;
  }
  can_write =
    (r->rights & W(AREA_INCIDENT)) && !rec->archived && s->status != IR_CLOSED;
  h = page_begin(r, status, req_t(r, M_IR_ASSESS), 10);
  html_printf(h,
              "<p class=\"crumbs\"><a href=\"/r/incident\">%s</a> › <a "
              "href=\"/r/incident/%lld\">%s</a></p><h1>%s</h1>\n",
              req_t(r, M_R_INCIDENT), (long long)id,
              reg_val(&reg_incident, rec, "title"), req_t(r, M_IR_ASSESS));
  if(!law) {
    html_printf(h, "<p>%s</p>\n", req_t(r, M_IR_NO_RULES));
    page_end(r);
    return;
  }
  page_error_summary(r, ai ? assess_ctls : di ? decide_ctls : NULL);
  reg_mask_note(r, ai ? ai->mk : di ? di->mk : NULL);
  html_printf(h, "<p>%s：<strong>%s</strong></p>\n", req_t(r, M_IR_RULE_SET),
              r->lang == LANG_EN ? law->title_en : law->title);
  html_printf(h,
              "<p class=\"summary\" role=\"status\">%s：<strong>%s</strong>",
              req_t(r, M_IR_LEVEL), level_text(r, law, s->level));
  if(s->row_id) {
    const struct incident_row *row = incident_row_find(s->row_id);
    if(row) {
      html_printf(h, "<br><small>%s：%s %s</small>", req_t(r, M_IR_DECIDED_BY),
                  r->lang == LANG_EN ? row->article_en : row->article,
                  r->lang == LANG_EN ? row->text_en : row->text);
    }
  }
  if(s->pending) {
    html_printf(h, "<br><strong class=\"warn\">%s</strong>",
                req_t(r, M_IR_PENDING));
  }
  if(s->decided) {
    struct ir_decision d;
    if(!ir_store_decision(r->db, id, &r->arena, &d)) {
      html_printf(h, "<br>%s：%s（%s，%s）", req_t(r, M_IR_DECIDED),
                  level_text(r, law, d.level), d.by, d.reason);
    }
  }
  html_lit(h, "</p>\n");
  if(has_x) {
    struct incident_facts f;
    const struct incident_row *rows[64];
    size_t n = 0;
    if(ir_facts_parse(x.facts, &f)) {
      f.is_daily_work_affected = x.daily_work;
      n = incident_matches(law, &f, rows, 64);
      n = n < 64 ? n : 64; /* it counts them all, fills at most 64 */
    }
    if(n) {
      html_printf(h, "<details><summary>%s</summary><ul>",
                  req_t(r, M_IR_ALL_ROWS));
      for(i = 0; i < n; i++) {
        html_printf(
          h, "<li>%s · %s %s</li>", level_text(r, law, rows[i]->level),
          r->lang == LANG_EN ? rows[i]->article_en : rows[i]->article,
          r->lang == LANG_EN ? rows[i]->text_en : rows[i]->text);
      }
      html_lit(h, "</ul></details>\n");
    }
  }
  if(s->pending && (r->rights & RIGHT_APPROVE)) {
    /* Nobody decides on their own proposal (ir_decide_post() refuses
     * it): its author is told who must, not offered a form that fails. */
    if(has_x && x.by && !strcmp(x.by, r->login)) {
      html_printf(h, "<p class=\"hint ir-not-own\">%s</p>\n",
                  req_t(r, M_IR_OTHER_DECIDES));
    }
    else {
      decide_form(r, id, s, di);
    }
  }
  /* The matrix: kinds × impacts as the regulation tabulates them. */
  if(can_write) {
    html_printf(h, "<form method=\"post\" action=\"/r/incident/%lld/assess\">",
                (long long)id);
    page_csrf(r);
  }
  html_printf(h,
              "<table class=\"list ir-matrix\"><caption>%s</caption><thead>"
              "<tr><th scope=\"col\">%s</th>",
              req_t(r, M_IR_MATRIX), req_t(r, M_IR_KIND));
  for(i = 0; i < law->n_impacts; i++) {
    html_printf(h, "<th scope=\"col\">%s</th>",
                r->lang == LANG_EN ? law->impacts[i].name_en :
                                     law->impacts[i].name);
  }
  html_lit(h, "</tr></thead><tbody>\n");
  for(k = 0; (size_t)k < law->n_kinds; k++) {
    const struct incident_term *kt = &law->kinds[k];
    html_printf(h, "<tr><th scope=\"row\">%s</th>",
                r->lang == LANG_EN ? kt->name_en : kt->name);
    for(i = 0; i < law->n_impacts; i++) {
      const struct incident_term *it = &law->impacts[i];
      int on = has_fact(facts, kt->id, it->id);
      html_printf(h,
                  "<td><input type=\"checkbox\" name=\"x_%s_%s\" value=\"1\" "
                  "aria-label=\"%s／%s\"%s%s></td>",
                  kt->id, it->id, r->lang == LANG_EN ? kt->name_en : kt->name,
                  r->lang == LANG_EN ? it->name_en : it->name,
                  on ? " checked" : "", can_write ? "" : " disabled");
    }
    html_lit(h, "</tr>\n");
  }
  html_lit(h, "</tbody></table>\n");
  html_printf(h,
              "<p><label><input type=\"checkbox\" name=\"daily_work\" "
              "value=\"1\"%s%s> %s</label></p>\n",
              daily_work ? " checked" : "", can_write ? "" : " disabled",
              r->lang == LANG_EN ? law->daily_work_en : law->daily_work);
  if(can_write) {
    html_printf(h,
                "<fieldset><legend>%s</legend><label for=\"ir-proposed\">%s"
                "</label> <select id=\"ir-proposed\" name=\"proposed\"",
                req_t(r, M_IR_PROPOSE), req_t(r, M_IR_LEVEL));
    if(ai) {
      ctl_attrs(r, "proposed", "ir-proposed", NULL);
    }
    html_printf(h, "><option value=\"0\">%s</option>",
                req_t(r, M_IR_AS_COMPUTED));
    for(k = 1; k <= INCIDENT_LEVEL_MAX; k++) {
      html_printf(h, "<option value=\"%d\"%s>%s</option>", k,
                  proposed == k ? " selected" : "", level_text(r, law, k));
    }
    html_lit(h, "</select> ");
    if(ai) {
      error_text(r, "proposed", "ir-proposed");
    }
    reason_input(r, "ir-assess-reason", reason, 0, ai);
    html_lit(h, "</fieldset><p>");
    level_buttons(r, ai, M_IR_ASSESS_SAVE);
    html_lit(h, "</p></form>\n");
  }
  page_end(r);
}

void ir_assess_page(struct req *r)
{
  struct record rec;
  struct ir_state s;
  int64_t id = incident_of(r, &rec);
  if(!id) {
    return;
  }
  if(ir_state_of(r->db, id, reg_val(&reg_incident, &rec, "aware_at"),
                 &r->arena, &s)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  assess_page(r, &rec, &s, 200, NULL, NULL);
}

/* 1 if text is NULL or only white space (U+3000 too: str_blank()). */
static int blank(const char *text)
{
  return !text || str_blank(str_c(text));
}

/*
 * Mask the reason of a posted assessment or decision (in->reason) into
 * *mk as the step notes are masked, with in->mk set: ST_OK, or the
 * page (ai or di being in) sent with 413 or 500 when the masking failed.
 * A reason that masking empties is an error of r.
 */
static enum status mask_reason(struct req *r, const struct record *rec,
                               const struct ir_state *s,
                               struct level_input *in, int is_decision,
                               struct reg_masked *mk)
{
  enum status st = reg_mask_req_text(r, "reason", in->reason, mk);
  if(st) {
    req_field_error(r, "", st == ST_TOOBIG ? M_ERR_TOO_BIG : M_MASK_KEY_FAILED,
                    NULL);
    assess_page(r, rec, s, st == ST_TOOBIG ? 413 : 500,
                is_decision ? NULL : in, is_decision ? in : NULL);
    return st;
  }
  in->mk = mk;
  if(!blank(in->reason) && blank(mk->text)) {
    req_field_error(r, "reason", M_MASK_NOTHING_LEFT, NULL);
  }
  return ST_OK;
}

void ir_assess_post(struct req *r)
{
  struct record rec;
  struct ir_state s;
  struct ir_assessment x;
  struct incident_facts f;
  struct level_input in;
  struct reg_masked mk;
  const char *facts = "";
  const struct incident_row *row = NULL;
  const char *proposed = req_param(r, "proposed");
  const char *reason = req_param(r, "reason");
  int64_t id = incident_of(r, &rec), pl = 0, xid = 0;
  size_t k, i;
  int level = 0, keep;
  enum status st;
  if(!id) {
    return;
  }
  if(ir_state_of(r->db, id, reg_val(&reg_incident, &rec, "aware_at"),
                 &r->arena, &s) ||
     !s.rules) {
    req_fail(r, ST_INVALID, M_IR_NO_RULES);
    return;
  }
  if(s.status == IR_CLOSED || rec.archived) {
    req_fail(r, ST_CONFLICT, M_IR_LOCKED);
    return;
  }
  if(proposed && str_to_i64(str_c(proposed), 0, 4, &pl)) {
    req_field_error(r, "proposed", M_ERR_BAD_PARAM, NULL);
    pl = 0;
  }
  incident_facts_init(&f);
  for(k = 0; k < s.rules->n_kinds; k++) {
    for(i = 0; i < s.rules->n_impacts; i++) {
      const char *name = arena_printf(
        &r->arena, "x_%s_%s", s.rules->kinds[k].id, s.rules->impacts[i].id);
      const char *v = name ? req_param(r, name) : NULL;
      if(v && !strcmp(v, "1")) {
        facts = arena_printf(&r->arena, "%s%s%s:%s", facts, *facts ? "," : "",
                             s.rules->kinds[k].id, s.rules->impacts[i].id);
        if(!facts) {
          req_fail(r, ST_TOOBIG, M_ERR_TOO_BIG);
          return;
        }
        incident_facts_add(&f, s.rules->kinds[k].code,
                           s.rules->impacts[i].code);
      }
    }
  }
  f.is_daily_work_affected =
    req_param(r, "daily_work") && !strcmp(req_param(r, "daily_work"), "1");
  if(incident_level(s.rules, &f, &level, &row)) {
    req_field_error(r, "", M_ERR_BAD_PARAM, NULL);
  }
  /* The reason is kept with a proposal of another level only: then it
   * is required, and its personal data is stored masked, once the
   * assessor has seen the preview and confirmed it; until then, or when
   * something is wrong, the page comes back with everything as posted.
   * A reason that is thrown away is neither masked nor checked: its
   * operator or what masking would leave of it cannot refuse the
   * assessment. */
  keep = pl && pl != level;
  if(keep && blank(reason)) {
    req_field_error(r, "reason", M_IR_NEED_REASON, NULL);
  }
  memset(&in, 0, sizeof(in));
  in.facts = facts;
  in.daily_work = f.is_daily_work_affected;
  in.level = (int)pl;
  in.reason = reason;
  memset(&mk, 0, sizeof(mk));
  if(keep && mask_reason(r, &rec, &s, &in, 0, &mk)) {
    return;
  }
  if(r->n_errs || (keep && reg_mask_pending(r, &mk)) ||
     reg_mask_preview_asked(r)) {
    assess_page(r, &rec, &s, r->n_errs ? 400 : 200, &in, NULL);
    return;
  }
  memset(&x, 0, sizeof(x));
  x.incident = id;
  x.rule_set = s.rules->name;
  x.facts = facts;
  x.daily_work = f.is_daily_work_affected;
  x.level = level;
  x.row_id = row ? row->id : NULL;
  x.proposed = keep ? (int)pl : 0;
  x.reason = x.proposed ? mk.text : NULL; /* only ever masked */
  x.by = r->login;
  x.at = utc_text(r, time_now());
  if(db_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  st = ir_store_assess(r->db, &x, &xid);
  if(!st) {
    st = audit_append(
      r->db, r->login, "incident-assess",
      arena_printf(&r->arena, "incident/%lld", (long long)id),
      arena_printf(
        &r->arena, "level %d%s%s, %s", level, x.proposed ? ", proposed " : "",
        x.proposed ? arena_printf(&r->arena, "%d", x.proposed) : "", x.facts));
  }
  if(st || db_commit(r->db)) {
    db_rollback(r->db);
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  req_redirect(
    r, arena_printf(&r->arena, "/r/incident/%lld/assess", (long long)id));
}

void ir_decide_post(struct req *r)
{
  struct record rec;
  struct ir_state s;
  struct ir_assessment x;
  struct ir_decision d;
  struct level_input in;
  struct reg_masked mk;
  const char *lv = req_param(r, "level");
  const char *reason = req_param(r, "reason");
  int64_t id = incident_of(r, &rec), level = 0;
  enum status st;
  if(!id) {
    return;
  }
  if(ir_state_of(r->db, id, reg_val(&reg_incident, &rec, "aware_at"),
                 &r->arena, &s) ||
     ir_store_assessment(r->db, id, &r->arena, &x)) {
    req_fail(r, ST_NOTFOUND, M_IR_NOT_ASSESSED);
    return;
  }
  if(!s.pending) {
    req_fail(r, ST_CONFLICT, M_IR_NOT_PENDING);
    return;
  }
  if(x.by && !strcmp(x.by, r->login)) {
    req_fail(r, ST_FORBIDDEN, M_IR_NOT_OWN);
    return;
  }
  if(!lv || str_to_i64(str_c(lv), 1, 4, &level)) {
    req_field_error(r, "level", M_ERR_BAD_PARAM, NULL);
    level = 0;
  }
  if(blank(reason)) {
    req_field_error(r, "reason", M_IR_NEED_REASON, NULL);
  }
  /* The reason is masked as the assessor's is. */
  memset(&in, 0, sizeof(in));
  in.level = (int)level;
  in.reason = reason;
  if(mask_reason(r, &rec, &s, &in, 1, &mk)) {
    return;
  }
  if(r->n_errs || reg_mask_pending(r, &mk)) {
    assess_page(r, &rec, &s, r->n_errs ? 400 : 200, NULL, &in);
    return;
  }
  memset(&d, 0, sizeof(d));
  d.incident = id;
  d.assessment = x.id;
  d.level = (int)level;
  d.reason = mk.text; /* only the masked reason is ever stored */
  d.by = r->login;
  d.at = utc_text(r, time_now());
  if(db_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  st = ir_store_decide(r->db, &d);
  if(!st) {
    st = audit_append(r->db, r->login, "incident-level",
                      arena_printf(&r->arena, "incident/%lld", (long long)id),
                      arena_printf(&r->arena,
                                   "level %lld (computed %d, "
                                   "proposed %d)",
                                   (long long)level, x.level, x.proposed));
  }
  if(st || db_commit(r->db)) {
    db_rollback(r->db);
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  req_redirect(
    r, arena_printf(&r->arena, "/r/incident/%lld/assess", (long long)id));
}

/* ---- steps and the timeline ---- */

/* Which steps may follow status s (reopened only when closed). */
static int step_allowed(const char *step, const struct ir_state *s)
{
  if(!strcmp(step, "reopened")) {
    return s->status == IR_CLOSED;
  }
  if(s->status == IR_CLOSED) {
    return 0;
  }
  if(!strcmp(step, "notified")) {
    return 1; /* again as 續行通報 when the level changed */
  }
  if(!strcmp(step, "recovered")) {
    return s->status >= IR_NOTIFIED && s->status < IR_RECOVERED;
  }
  if(!strcmp(step, "report")) {
    return s->status == IR_RECOVERED;
  }
  if(!strcmp(step, "closed")) {
    return s->status == IR_REPORTED_DOC;
  }
  return 0;
}

/* Record field's error msg in r, and code as *status unless an earlier
 * error set it: the first error found decides the answer's status. */
static void refuse(struct req *r, int *status, const char *field, enum msg msg,
                   int code)
{
  req_field_error(r, field, msg, NULL);
  if(!*status) {
    *status = code;
  }
}

void ir_step_post(struct req *r)
{
  struct record rec;
  struct ir_state s;
  struct ir_step x;
  struct ir_input in;
  struct reg_masked mk;
  struct reg_masker m;
  const char *step = req_param(r, "step");
  const char *at, *filled, *note = req_param(r, "note");
  int64_t id = incident_of(r, &rec);
  int status = 0;
  enum status st;
  if(!id) {
    return;
  }
  if(rec.archived ||
     ir_state_of(r->db, id, reg_val(&reg_incident, &rec, "aware_at"),
                 &r->arena, &s)) {
    req_fail(r, ST_CONFLICT, M_ERR_ARCHIVED);
    return;
  }
  /* What is wrong comes back with the form as it was filled in, the
   * masking preview of the note among it. */
  memset(&x, 0, sizeof(x));
  x.channel = req_param(r, "channel");
  x.reference = req_param(r, "reference");
  memset(&in, 0, sizeof(in));
  in.choice = step;
  in.at = req_param(r, "at");
  in.channel = x.channel;
  in.reference = x.reference;
  in.text = note;
  if(!step || step_label(step) == M_NONE) {
    refuse(r, &status, "step", M_ERR_BAD_PARAM, 400);
  }
  else if(!step_allowed(step, &s)) {
    refuse(r, &status, "step", M_IR_STEP_ORDER, 409);
  }
  else if(!strcmp(step, "notified") && !s.level) {
    refuse(r, &status, "step", M_IR_NOTIFY_NEEDS_LEVEL, 409);
  }
  /* A note of white space only is none: the reason to reopen is then
   * missing, as when it is empty. */
  if(blank(note)) {
    note = NULL;
  }
  if(step && !strcmp(step, "reopened") && !note) {
    refuse(r, &status, "note", M_IR_NEED_REASON, 400);
  }
  at = typed_time(r, in.at, &filled);
  if(filled) {
    in.at = filled;
    in.at_filled = 1;
  }
  if(!at) {
    refuse(r, &status, "at", M_ERR_DATETIME, 400);
  }
  else if(strcmp(at, reg_val(&reg_incident, &rec, "aware_at")) < 0) {
    refuse(r, &status, "at", M_IR_BEFORE_AWARE, 400);
  }
  /* Personal data in the note is stored masked, once the person has seen
   * the preview and confirmed it; until then the form comes back with
   * what was typed and nothing is stored. */
  st = reg_mask_req_text(r, "note", note, &mk);
  if(st) {
    req_field_error(r, "", st == ST_TOOBIG ? M_ERR_TOO_BIG : M_MASK_KEY_FAILED,
                    NULL);
    ir_form_page(r, &rec, &s, st == ST_TOOBIG ? 413 : 500, &in);
    return;
  }
  in.mk = &mk;
  if(note && blank(mk.text)) {
    req_field_error(r, "note", M_MASK_NOTHING_LEFT, NULL);
  }
  if(r->n_errs || reg_mask_pending(r, &mk)) {
    ir_form_page(r, &rec, &s, r->n_errs ? (status ? status : 400) : 200, &in);
    return;
  }
  x.incident = id;
  x.step = step;
  x.at = at;
  x.level = !strcmp(step, "notified") ? s.level : 0;
  /* white space only is none, as for the note */
  x.channel = blank(x.channel) ? NULL : x.channel;
  x.reference = blank(x.reference) ? NULL : x.reference;
  /* The channel and the reference number are metadata: personal data in
   * them (a telephone number as the channel, an ID in a letter's number)
   * is replaced by its token without a preview, before anything is
   * stored or audited. */
  reg_masker_init(&m, r->db);
  st = reg_mask_meta(&m, x.channel, &r->arena, &x.channel);
  if(!st) {
    st = reg_mask_meta(&m, x.reference, &r->arena, &x.reference);
  }
  reg_masker_end(&m);
  if(st) {
    req_field_error(r, "", st == ST_TOOBIG ? M_ERR_TOO_BIG : M_ERR_INTERNAL,
                    NULL);
    ir_form_page(r, &rec, &s, st == ST_TOOBIG ? 413 : 500, &in);
    return;
  }
  x.note = mk.text; /* only the masked note is ever stored */
  x.by = r->login;
  x.recorded_at = utc_text(r, time_now());
  if(db_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  st = ir_store_step(r->db, &x);
  if(!st) {
    st = audit_append(r->db, r->login, "incident-step",
                      arena_printf(&r->arena, "incident/%lld", (long long)id),
                      arena_printf(&r->arena, "%s at %s", step, at));
  }
  if(st || db_commit(r->db)) {
    db_rollback(r->db);
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  req_redirect(r, arena_printf(&r->arena, "/r/incident/%lld", (long long)id));
}

/* The 64 hex digits of sha in lower case (in r's arena), or NULL when
 * it is not a SHA-256. */
static const char *sha_hex(struct req *r, const char *sha)
{
  char *lower = arena_strdup(&r->arena, sha);
  size_t i;
  if(!lower || strlen(lower) != 64) {
    return NULL;
  }
  for(i = 0; i < 64; i++) {
    char c = lower[i];
    c = c >= 'A' && c <= 'F' ? (char)(c - 'A' + 'a') : c;
    if(!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return NULL;
    }
    lower[i] = c;
  }
  return lower;
}

void ir_event_post(struct req *r)
{
  struct record rec;
  struct ir_event x;
  struct ir_input in;
  struct reg_masked mk;
  const char *kind = req_param(r, "kind");
  const char *text = req_param(r, "text");
  const char *sha = req_param(r, "sha256");
  const char *filled, *file_name = NULL;
  const struct upload *up;
  const char *mime = NULL;
  char hex[65];
  int64_t id = incident_of(r, &rec);
  int status = 0;
  enum status st;
  if(!id) {
    return;
  }
  if(rec.archived || ir_store_is_closed(r->db, id)) {
    req_fail(r, ST_CONFLICT, M_IR_LOCKED);
    return;
  }
  /* What is wrong comes back with the form as it was filled in (a file
   * to be chosen again), the masking preview of the text among it. */
  memset(&in, 0, sizeof(in));
  in.choice = kind;
  in.at = req_param(r, "at");
  in.sha256 = sha;
  in.text = text;
  if(!kind || event_label(kind) == M_NONE) {
    refuse(r, &status, "kind", M_ERR_BAD_PARAM, 400);
  }
  memset(&x, 0, sizeof(x));
  x.incident = id;
  x.kind = kind;
  x.at = typed_time(r, in.at, &filled);
  if(filled) {
    in.at = filled;
    in.at_filled = 1;
  }
  if(!x.at) {
    refuse(r, &status, "at", M_ERR_DATETIME, 400);
  }
  if(blank(text)) {
    refuse(r, &status, "text", M_IR_NEED_TEXT, 400);
  }
  up = req_upload(r, "file");
  if(up && up->data.len) {
    enum msg why = M_NONE;
    st = evidence_check(up->filename, up->data.p, up->data.len, &mime, &why);
    if(st) {
      refuse(r, &status, "file", why, st == ST_TOOBIG ? 413 : 400);
    }
  }
  else {
    up = NULL;
  }
  in.had_file = up != NULL;
  if(sha && !*sha) {
    sha = NULL;
  }
  if(sha) {
    sha = sha_hex(r, sha);
    if(!sha) {
      refuse(r, &status, "sha256", M_IR_BAD_SHA, 400);
    }
  }
  /* The hash isms computes is the record; one typed in must agree. */
  if(up) {
    evidence_sha256(up->data.p, up->data.len, hex);
    if(sha && strcmp(sha, hex) != 0) {
      refuse(r, &status, "sha256", M_EV_SHA_DIFFERS, 400);
    }
    sha = hex;
  }
  /* Personal data in the text is stored masked, once the person has seen
   * the preview and confirmed it; until then the form comes back with
   * what was typed and nothing is stored, neither the entry nor its
   * file (which must be chosen again). */
  st = reg_mask_req_text(r, "text", text, &mk);
  if(st) {
    req_field_error(r, "", st == ST_TOOBIG ? M_ERR_TOO_BIG : M_MASK_KEY_FAILED,
                    NULL);
    ir_form_page(r, &rec, NULL, st == ST_TOOBIG ? 413 : 500, &in);
    return;
  }
  in.mk = &mk;
  if(!blank(text) && blank(mk.text)) {
    req_field_error(r, "text", M_MASK_NOTHING_LEFT, NULL);
  }
  if(r->n_errs || reg_mask_pending(r, &mk)) {
    ir_form_page(r, &rec, NULL, r->n_errs ? (status ? status : 400) : 200,
                 &in);
    return;
  }
  /* The file's name as sent is metadata: personal data in it
   * (王小明_A123456789.pdf) is replaced by its token without a preview,
   * its extension kept (reg_mask_file_name()); its bytes, and so its
   * SHA-256, are the file's. */
  if(up) {
    st = reg_mask_upload_name(r->db, up->filename, &r->arena, &file_name);
    if(st) {
      req_field_error(r, "", st == ST_TOOBIG ? M_ERR_TOO_BIG : M_ERR_INTERNAL,
                      NULL);
      ir_form_page(r, &rec, NULL, st == ST_TOOBIG ? 413 : 500, &in);
      return;
    }
  }
  x.text = mk.text; /* only the masked text is ever stored */
  x.sha256 = sha;
  x.by = r->login;
  x.recorded_at = utc_text(r, time_now());
  if(db_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  st = ST_OK;
  if(up) {
    st = evidence_add(r->db, file_name, mime, up->data.p, up->data.len,
                      r->login, &x.file, hex);
    x.sha256 = hex;
  }
  if(!st) {
    st = ir_store_event(r->db, &x);
  }
  if(!st) {
    st = audit_append(r->db, r->login, "incident-event",
                      arena_printf(&r->arena, "incident/%lld", (long long)id),
                      kind);
  }
  if(st || db_commit(r->db)) {
    db_rollback(r->db);
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  req_redirect(r, arena_printf(&r->arena, "/r/incident/%lld", (long long)id));
}

/* ---- open incidents ---- */

/* The clock's cell of the open list: time left or overdue, or met. */
static void clock_cell(struct req *r, const struct ir_clock *c)
{
  struct buf b;
  int64_t now = time_now();
  if(!c->applies) {
    html_lit(&r->page, "<td>—</td>");
    return;
  }
  buf_init(&b, 64);
  if(c->done) {
    html_printf(&r->page, "<td class=\"clock %s\">%s</td>",
                c->met ? "met" : "late",
                req_t(r, c->met ? M_IR_CLOCK_MET : M_IR_CLOCK_LATE));
  }
  else {
    incident_format_left(&b, r->lang, c->due, now);
    html_printf(&r->page, "<td class=\"clock %s\">%s</td>",
                now > c->due ? "overdue" : "running", b.data ? b.data : "");
  }
  buf_free(&b);
}

int ir_open_table(struct req *r, size_t limit)
{
  struct html *h = &r->page;
  int64_t *ids;
  size_t n = 0, i;
  if(ir_store_open(r->db, &r->arena, &ids, &n)) {
    return -1;
  }
  if(!n) {
    return 0;
  }
  html_printf(h,
              "<div class=\"table-wrap\"><table class=\"list ir-open\">"
              "<thead><tr><th>%s</th><th>%s</th>"
              "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>"
              "</thead><tbody>\n",
              req_t(r, M_F_IR_TITLE), req_t(r, M_F_IR_AWARE),
              req_t(r, M_IR_LEVEL), req_t(r, M_IR_STATUS),
              req_t(r, M_IR_CLOCK_NOTIFY), req_t(r, M_IR_CLOCK_CONTAIN),
              req_t(r, M_IR_CLOCK_REPORT));
  for(i = 0; i < n && (!limit || i < limit); i++) {
    struct record rec;
    struct ir_state s;
    if(reg_store_get(r->db, &reg_incident, ids[i], &r->arena, &rec) ||
       ir_state_of(r->db, ids[i], reg_val(&reg_incident, &rec, "aware_at"),
                   &r->arena, &s)) {
      continue;
    }
    html_printf(h, "<tr><td><a href=\"/r/incident/%lld\">%s</a></td><td>",
                (long long)ids[i], reg_val(&reg_incident, &rec, "title"));
    page_time(r, reg_val(&reg_incident, &rec, "aware_at"));
    html_printf(h, "</td><td>%s%s</td><td>%s</td>",
                level_text(r, s.rules, s.level),
                s.pending ? req_t(r, M_IR_PENDING_SHORT) : "",
                req_t(r, ir_status_label(s.status)));
    clock_cell(r, &s.notify);
    clock_cell(r, &s.contain);
    clock_cell(r, &s.report);
    html_lit(h, "</tr>\n");
  }
  html_lit(h, "</tbody></table></div>\n");
  return n > (size_t)1 << 30 ? 1 << 30 : (int)n;
}

void ir_open_page(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  struct html *h;
  int n;
  if(reg != &reg_incident) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return;
  }
  h = page_begin(r, 200, req_t(r, M_IR_OPEN_TITLE), 10);
  html_printf(h,
              "<p class=\"crumbs\"><a href=\"/r/incident\">%s</a></p>"
              "<h1>%s</h1>\n",
              req_t(r, M_R_INCIDENT), req_t(r, M_IR_OPEN_TITLE));
  n = ir_open_table(r, 0);
  if(n < 0) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  if(!n) {
    html_printf(h, "<p>%s</p>\n", req_t(r, M_IR_NONE_OPEN));
  }
  page_end(r);
}

/* ---- the notification text (§3, 7 fields) ---- */

void ir_notification_page(struct req *r)
{
  struct record rec;
  struct ir_state s;
  struct html *h;
  int64_t id = incident_of(r, &rec);
  const char *text;
  if(!id) {
    return;
  }
  if(ir_state_of(r->db, id, reg_val(&reg_incident, &rec, "aware_at"),
                 &r->arena, &s) ||
     !s.rules) {
    req_fail(r, ST_INVALID, M_IR_NO_RULES);
    return;
  }
  text = ir_notification_text(r->db, &rec, &s, &r->arena);
  if(!text) {
    req_fail(r, ST_NOMEM, M_ERR_INTERNAL);
    return;
  }
  h = page_begin(r, 200, req_t(r, M_IR_NOTIF_TITLE), 10);
  html_printf(h,
              "<p class=\"crumbs\"><a href=\"/r/incident\">%s</a> › <a "
              "href=\"/r/incident/%lld\">%s</a></p><h1>%s</h1>\n"
              "<p class=\"hint\">%s（%s %s）</p>\n",
              req_t(r, M_R_INCIDENT), (long long)id,
              reg_val(&reg_incident, &rec, "title"),
              req_t(r, M_IR_NOTIF_TITLE), req_t(r, M_IR_NOTIF_HINT),
              s.rules->title, s.rules->fields_source);
  html_printf(h,
              "<textarea id=\"notification-text\" class=\"copy\" rows=\"16\" "
              "readonly aria-label=\"%s\">%s</textarea>\n",
              req_t(r, M_IR_NOTIF_TITLE), text);
  page_end(r);
}

/* ---- anyone may report ---- */

/* The masking preview of incident field name when mk (one per field of
 * the register, or NULL) found something in it. */
static void report_panel(struct req *r, const struct reg_masked *mk,
                         const char *name)
{
  const struct field *f = reg_field(&reg_incident, name);
  const struct reg_masked *m =
    mk ? &mk[reg_field_index(&reg_incident, f)] : NULL;
  if(m && m->n) {
    reg_mask_panel(r, f->name, req_t(r, f->label), m);
  }
}

static void report_form(struct req *r, int status, const char *title,
                        const char *aware, const char *desc,
                        const char *contact, const struct reg_masked *mk)
{
  struct html *h = page_begin(r, status, req_t(r, M_IR_REPORT_TITLE), 10);
  struct buf now;
  int pending = 0;
  size_t i;
  for(i = 0; mk && i < reg_incident.n_fields; i++) {
    pending |= mk[i].n > 0;
  }
  buf_init(&now, 32);
  time_format_taipei(&now, time_now());
  html_printf(h, "<h1>%s</h1>\n<p>%s</p>\n", req_t(r, M_IR_REPORT_TITLE),
              req_t(r, M_IR_REPORT_HELP));
  if(r->n_errs) {
    page_error_summary(r, NULL);
  }
  else if(req_param(r, "sent")) {
    html_printf(h, "<p class=\"notice\" role=\"status\">%s</p>\n",
                req_t(r, M_IR_REPORT_SENT));
  }
  if(pending) {
    reg_mask_pending_note(r);
  }
  html_lit(h, "<form method=\"post\" action=\"/incident/report\">");
  page_csrf(r);
  html_printf(h,
              "<div class=\"field\"><label for=\"in-title\">%s<span "
              "class=\"req\">%s</span></label><input id=\"in-title\" "
              "name=\"title\" maxlength=\"200\" required value=\"%s\">"
              "</div>",
              req_t(r, M_F_IR_TITLE), req_t(r, M_REQUIRED_MARK),
              title ? title : "");
  report_panel(r, mk, "title");
  html_printf(
    h,
    "<div class=\"field\"><label for=\"in-aware_at\">%s</label><input "
    "id=\"in-aware_at\" name=\"aware_at\" value=\"%s\"><p class=\"hint\">%s"
    "</p></div>"
    "<div class=\"field\"><label for=\"in-description\">%s<span "
    "class=\"req\">%s</span></label><textarea id=\"in-description\" "
    "name=\"description\" rows=\"6\" required>%s</textarea></div>",
    req_t(r, M_IR_NOTICED), aware ? aware : (now.data ? now.data : ""),
    req_t(r, M_DATETIME_HINT), req_t(r, M_F_IR_DESC),
    req_t(r, M_REQUIRED_MARK), desc ? desc : "");
  report_panel(r, mk, "description");
  html_printf(h,
              "<div class=\"field\"><label for=\"in-contact\">%s</label>"
              "<input id=\"in-contact\" name=\"contact\" maxlength=\"200\" "
              "value=\"%s\"></div><p>",
              req_t(r, M_F_IR_CONTACT), contact ? contact : "");
  reg_mask_buttons(r, pending, M_IR_REPORT_SEND, NULL);
  html_lit(h, "</p></form>\n");
  buf_free(&now);
  page_end(r);
}

void ir_report_form(struct req *r)
{
  report_form(r, 200, NULL, NULL, NULL, NULL, NULL);
}

void ir_report_post(struct req *r)
{
  const char *title = req_param(r, "title");
  const char *aware = req_param(r, "aware_at");
  const char *desc = req_param(r, "description");
  const char *contact = req_param(r, "contact");
  const char **in =
    arena_alloc(&r->arena, sizeof(char *) * reg_incident.n_fields);
  const char **v =
    arena_alloc(&r->arena, sizeof(char *) * reg_incident.n_fields);
  const char **raw =
    arena_alloc(&r->arena, sizeof(char *) * reg_incident.n_fields);
  enum mask_op *ops =
    arena_alloc(&r->arena, sizeof(enum mask_op) * reg_incident.n_fields);
  struct reg_masked *mk =
    arena_alloc(&r->arena, sizeof(struct reg_masked) * reg_incident.n_fields);
  struct reg_errors errs;
  struct reg_masker m;
  int64_t id = 0;
  size_t i;
  int pending;
  enum status st;
  if(!in || !v || !raw || !ops || !mk) {
    req_fail(r, ST_TOOBIG, M_ERR_TOO_BIG);
    return;
  }
  memset(in, 0, sizeof(char *) * reg_incident.n_fields);
  *reg_slot(&reg_incident, in, "title") = title;
  *reg_slot(&reg_incident, in, "aware_at") =
    aware && *aware ? aware : utc_text(r, time_now());
  *reg_slot(&reg_incident, in, "description") = desc;
  *reg_slot(&reg_incident, in, "contact") = contact;
  *reg_slot(&reg_incident, in, "reporter") = r->login;
  reg_errors_init(&errs, &r->arena);
  /* Personal data in the title and the description is stored masked,
   * once the reporter has seen the preview and confirmed it. */
  reg_masker_init(&m, r->db);
  for(i = 0; i < reg_incident.n_fields; i++) {
    const struct field *f = &reg_incident.fields[i];
    ops[i] = m.op;
    if((f->flags & FF_MASK) && reg_mask_op_of_req(r, f->name, m.op, &ops[i])) {
      reg_error(&errs, f->name, M_MASK_BAD_OP);
    }
  }
  memcpy(raw, in, sizeof(char *) * reg_incident.n_fields);
  st = reg_mask_values(&m, &reg_incident, in, ops, NULL, &r->arena, mk);
  reg_masker_end(&m);
  if(st) {
    req_field_error(r, "", st == ST_TOOBIG ? M_ERR_TOO_BIG : M_MASK_KEY_FAILED,
                    NULL);
    report_form(r, st == ST_TOOBIG ? 413 : 500, title, aware, desc, contact,
                NULL);
    return;
  }
  pending = (m.total && !reg_mask_confirmed(r)) || reg_mask_preview_asked(r);
  reg_validate(&reg_incident, r->db, in, v, &r->arena, &errs);
  reg_mask_long_errors(&reg_incident, raw, &errs, 0);
  if(reg_errors_any(&errs) || pending) {
    reg_errors_to_req(r, &errs);
    report_form(r, reg_errors_any(&errs) ? 400 : 200, title, aware, desc,
                contact, mk);
    return;
  }
  st = reg_store_create(r->db, &reg_incident, v, r->actor, &id);
  if(st) {
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  req_redirect(r,
               (r->rights & R(AREA_INCIDENT)) ?
                 arena_printf(&r->arena, "/r/incident/%lld", (long long)id) :
                 "/incident/report?sent=1");
}

/* ---- the home page ---- */

void ir_home(struct req *r)
{
  struct html *h = &r->page;
  int64_t *ids;
  size_t n = 0, i, overdue = 0;
  int64_t now = time_now();
  html_printf(h,
              "<p class=\"ir-report-link\"><a class=\"button\" "
              "href=\"/incident/report\">%s</a></p>\n",
              req_t(r, M_IR_REPORT_TITLE));
  if(!(r->rights & R(AREA_INCIDENT)) ||
     ir_store_open(r->db, &r->arena, &ids, &n) || !n) {
    return;
  }
  for(i = 0; i < n; i++) {
    struct record rec;
    struct ir_state s;
    if(reg_store_get(r->db, &reg_incident, ids[i], &r->arena, &rec) ||
       ir_state_of(r->db, ids[i], reg_val(&reg_incident, &rec, "aware_at"),
                   &r->arena, &s)) {
      continue;
    }
    if((s.notify.applies && !s.notify.done && now > s.notify.due) ||
       (s.contain.applies && !s.contain.done && now > s.contain.due) ||
       (s.report.applies && !s.report.done && now > s.report.due)) {
      overdue++;
    }
  }
  {
    char a[24], b[24];
    const char *args[2] = { a, b };
    snprintf(a, sizeof(a), "%zu", n);
    snprintf(b, sizeof(b), "%zu", overdue);
    html_printf(h, "<p class=\"notice ir-alert%s\" role=\"status\">",
                overdue ? " overdue" : "");
    html_template(h, req_t(r, M_IR_HOME_OPEN), 2, args);
    html_printf(h, " <a href=\"/r/incident/open\">%s</a></p>\n",
                req_t(r, M_IR_OPEN_TITLE));
  }
}

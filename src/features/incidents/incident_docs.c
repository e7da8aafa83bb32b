/*
 * incident_docs.c: the texts isms writes for an incident: the
 * notification of §3 of the notification and response regulations (its
 * 7 fields, in the rules in force at awareness), ready to paste into the
 * national reporting platform; and the investigation, handling and
 * improvement report with the items of 施行細則 §12 as ODT and PDF.
 * Always Traditional Chinese: both are filed with the authorities.
 */
#include "incidents.h"
#include "incident_store.h"
#include "auth/audit.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/time.h"
#include "db/db.h"
#include "features/agency/agency.h"
#include "features/evidence/evidence.h"
#include "registers/register_http.h"
#include "registers/register_store.h"
#include "reports/doc.h"
#include "reports/odt.h"
#include "reports/pdf.h"

#include <string.h>

/* Documents are filed with the authorities: always Traditional Chinese. */
#define Z(id) msg_get(LANG_ZH, (id))


/* The names of the records of register name whose ids are the
 * comma-separated list ids, joined by 、; NULL when there are none. */
static const char *names_of(struct db *db, const char *name, const char *ids,
                            struct arena *a)
{
  const struct reg *target = reg_find(name);
  const char *p = ids, *out = NULL;
  while(target && p && *p) {
    const char *end = strchr(p, ',');
    const char *label = NULL;
    int64_t id = 0;
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if(!str_to_i64((struct str){ p, len }, 1, INT64_MAX, &id) &&
       !reg_store_label(db, target, id, a, &label) && label) {
      out = out ? arena_printf(a, "%s、%s", out, label) : label;
    }
    p = end ? end + 1 : NULL;
  }
  return out;
}

const char *ir_notification_text(struct db *db, const struct record *rec,
                                 const struct ir_state *s, struct arena *a)
{
  const char *agency = agency_name(db, a);
  const struct incident_rules *law = s->rules;
  struct ir_event *ev;
  struct buf t;
  const char *out;
  size_t n = 0, i;
  int64_t id = rec->id;
  if(!law) {
    return NULL;
  }
  buf_init(&t, 4096);
  for(i = 0; i < law->n_fields; i++) {
    const struct incident_term *f = &law->fields[i];
    buf_appendf(&t, "%zu. %s：", i + 1, f->name);
    if(!strcmp(f->id, "agency")) {
      buf_appendf(&t, "%s", agency ? agency : "");
    }
    else if(!strcmp(f->id, "time")) {
      struct buf b;
      int64_t occ = 0;
      buf_init(&b, 64);
      time_format_taipei_roc(&b, s->aware);
      buf_appendf(&t, "%s %s", Z(M_F_IR_AWARE), b.data ? b.data : "");
      if(reg_val(&reg_incident, rec, "occurred_at") &&
         !time_parse_utc(str_c(reg_val(&reg_incident, rec, "occurred_at")),
                         &occ)) {
        buf_clear(&b);
        time_format_taipei_roc(&b, occ);
        buf_appendf(&t, "；%s %s", Z(M_F_IR_OCCURRED), b.data ? b.data : "");
      }
      buf_free(&b);
    }
    else if(!strcmp(f->id, "description")) {
      const char *sys =
        names_of(db, "system", reg_val(&reg_incident, rec, "systems"), a);
      const char *biz =
        names_of(db, "business", reg_val(&reg_incident, rec, "businesses"), a);
      buf_appendf(&t, "%s", reg_val(&reg_incident, rec, "description"));
      if(sys) {
        buf_appendf(&t, "（%s：%s）", Z(M_F_IR_SYSTEMS), sys);
      }
      if(biz) {
        buf_appendf(&t, "（%s：%s）", Z(M_F_IR_BUSINESSES), biz);
      }
    }
    else if(!strcmp(f->id, "level")) {
      const struct incident_row *row =
        s->row_id ? incident_row_find(s->row_id) : NULL;
      if(s->level >= 1 && s->level <= INCIDENT_LEVEL_MAX) {
        buf_appendf(&t, "%s", law->levels[s->level].name);
      }
      else {
        buf_appendf(&t, "%s", Z(M_IRD_NOT_ASSESSED));
      }
      if(row && row->level == s->level) {
        buf_appendf(&t, "（%s：%s）", row->article, row->text);
      }
    }
    else if(!strcmp(f->id, "measures")) {
      const char *m = reg_val(&reg_incident, rec, "measures");
      int sep = m != NULL;
      buf_appendf(&t, "%s", m ? m : "");
      if(!ir_store_events(db, id, a, &ev, &n)) {
        size_t k;
        for(k = 0; k < n; k++) {
          if(!strcmp(ev[k].kind, "containment") ||
             !strcmp(ev[k].kind, "recovery")) {
            buf_appendf(&t, "%s%s", sep ? "；" : "", ev[k].text);
            sep = 1;
          }
        }
      }
    }
    else if(!strcmp(f->id, "support")) {
      const char *m = reg_val(&reg_incident, rec, "support_needed");
      buf_appendf(&t, "%s", m ? m : Z(M_IRD_NIL));
    }
    else {
      const char *m = reg_val(&reg_incident, rec, "other");
      buf_appendf(&t, "%s", m ? m : Z(M_IRD_NIL));
    }
    buf_appendf(&t, "\n");
  }
  out = t.err ? NULL : arena_strndup(a, t.data ? t.data : "", t.len);
  buf_free(&t);
  return out;
}

/* "民國115年11月24日 14:30" for storage text utc, or NULL. */
static const char *roc_time(const char *utc, struct arena *a)
{
  struct buf b;
  const char *out;
  int64_t t;
  if(!utc || time_parse_utc(str_c(utc), &t)) {
    return NULL;
  }
  buf_init(&b, 64);
  time_format_taipei_roc(&b, t);
  out = b.err ? NULL : arena_strndup(a, b.data ? b.data : "", b.len);
  buf_free(&b);
  return out;
}

/* The first step called name, or NULL. */
static const struct ir_step *first_step(const struct ir_step *v, size_t n,
                                        const char *name)
{
  size_t i;
  for(i = 0; i < n; i++) {
    if(!strcmp(v[i].step, name)) {
      return &v[i];
    }
  }
  return NULL;
}

/* A table of the timeline entries of kinds k1 or k2. */
static void events_table(struct doc *d, const struct ir_event *ev, size_t n,
                         const char *k1, const char *k2, struct arena *a)
{
  const char *const head[] = { Z(M_IRD_TIME), Z(M_IRD_ENTRY), Z(M_IR_EV_BY) };
  static const double widths[] = { 3, 8, 2 };
  size_t i, rows = 0;
  for(i = 0; i < n; i++) {
    if(!strcmp(ev[i].kind, k1) || !strcmp(ev[i].kind, k2)) {
      const char *cells[3];
      if(!rows++) {
        doc_table(d, 3, head, widths);
      }
      cells[0] = roc_time(ev[i].at, a);
      cells[1] = ev[i].sha256 ? arena_printf(a, "%s（SHA-256 %s）", ev[i].text,
                                             ev[i].sha256) :
                                ev[i].text;
      cells[2] = ev[i].by;
      doc_row(d, cells);
    }
  }
  if(!rows) {
    doc_para(d, Z(M_IRD_NO_EVENTS));
  }
}

/* A field's text, or a visible mark that it is still missing. */
static const char *or_missing(const char *s)
{
  return s && *s ? s : Z(M_IRD_MISSING);
}

enum status ir_report_doc(struct db *db, const struct record *rec,
                          const struct ir_state *s, struct arena *a,
                          struct doc *d)
{
  /* the numbering of official documents: 一、二、… */
  static const char *const nums[] = { "一", "二", "三", "四",
                                      "五", "六", "七", "八" };
  const struct incident_rules *law = s->rules;
  struct ir_step *steps;
  struct ir_event *ev;
  size_t n_steps = 0, n_ev = 0, i;
  const struct ir_step *notified, *recovered;
  const char *agency = agency_name(db, a);
  enum status st;
  if(!law) {
    return ST_INVALID;
  }
  st = ir_store_steps(db, rec->id, a, &steps, &n_steps);
  if(!st) {
    st = ir_store_events(db, rec->id, a, &ev, &n_ev);
  }
  if(st) {
    return st;
  }
  notified = first_step(steps, n_steps, "notified");
  recovered = first_step(steps, n_steps, "recovered");
  doc_init(d, a);
  doc_title(d, Z(M_IRD_TITLE));
  doc_meta(d, Z(M_F_AGENCY_NAME), agency ? agency : "");
  doc_meta(d, Z(M_F_IR_TITLE), reg_val(&reg_incident, rec, "title"));
  doc_meta_roc(d, Z(M_IRD_DATE), time_taipei_date(time_now()));
  doc_fields(d);
  doc_field(d, Z(M_IR_LEVEL),
            s->level >= 1 && s->level <= INCIDENT_LEVEL_MAX ?
              law->levels[s->level].name :
              Z(M_IRD_NOT_ASSESSED));
  doc_field(d, Z(M_IR_RULE_SET), law->title);
  doc_field(d, Z(M_F_IR_REPORTER),
            or_missing(reg_val(&reg_incident, rec, "reporter")));
  doc_field(d, Z(M_F_IR_TEAM),
            or_missing(reg_val(&reg_incident, rec, "response_team")));
  doc_field(d, Z(M_IRD_NOTIFIED),
            notified ?
              arena_printf(a, "%s %s %s", roc_time(notified->at, a),
                           notified->channel ? notified->channel : "",
                           notified->reference ? notified->reference : "") :
              Z(M_IRD_NOT_NOTIFIED));
  {
    struct buf intro;
    buf_init(&intro, 256);
    msg_fill_lang(&intro, LANG_ZH, M_IRD_INTRO, law->items_source, NULL);
    doc_para(d, intro.err ? "" : intro.data);
    buf_free(&intro);
  }
  for(i = 0; i < law->n_items && i < 8; i++) {
    const struct incident_term *it = &law->items[i];
    doc_heading(d, 2, arena_printf(a, "%s、%s", nums[i], it->name));
    if(!strcmp(it->id, "times")) {
      doc_fields(d);
      doc_field(d, Z(M_F_IR_OCCURRED),
                reg_val(&reg_incident, rec, "occurred_at") ?
                  roc_time(reg_val(&reg_incident, rec, "occurred_at"), a) :
                  Z(M_IRD_UNKNOWN));
      doc_field(d, Z(M_F_IR_AWARE),
                roc_time(reg_val(&reg_incident, rec, "aware_at"), a));
      doc_field(d, Z(M_IRD_RECOVERED_AT),
                recovered ? roc_time(recovered->at, a) : Z(M_IRD_NOT_DONE));
    }
    else if(!strcmp(it->id, "scope")) {
      const char *sys =
        names_of(db, "system", reg_val(&reg_incident, rec, "systems"), a);
      const char *biz =
        names_of(db, "business", reg_val(&reg_incident, rec, "businesses"), a);
      if(sys || biz) {
        doc_fields(d);
        doc_field(d, Z(M_F_IR_SYSTEMS), sys ? sys : Z(M_IRD_NONE));
        doc_field(d, Z(M_F_IR_BUSINESSES), biz ? biz : Z(M_IRD_NONE));
      }
      doc_para(d, or_missing(reg_val(&reg_incident, rec, "impact_scope")));
    }
    else if(!strcmp(it->id, "containment")) {
      if(reg_val(&reg_incident, rec, "measures")) {
        doc_para(d, reg_val(&reg_incident, rec, "measures"));
      }
      events_table(d, ev, n_ev, "containment", "recovery", a);
    }
    else if(!strcmp(it->id, "investigation")) {
      events_table(d, ev, n_ev, "investigation", "evidence", a);
    }
    else if(!strcmp(it->id, "root_cause")) {
      doc_para(d, or_missing(reg_val(&reg_incident, rec, "root_cause")));
    }
    else if(!strcmp(it->id, "prevention")) {
      doc_para(d, or_missing(reg_val(&reg_incident, rec, "prevention")));
    }
    else {
      doc_para(d, or_missing(reg_val(&reg_incident, rec, "follow_up")));
    }
  }
  doc_signature(d, NULL, 0);
  doc_footer(d,
             arena_printf(a, "%s %s", agency ? agency : "", Z(M_IRD_TITLE)));
  return doc_status(d);
}

/* GET /r/incident/{id}/report.odt|.pdf */
static void report_file(struct req *r, int pdf)
{
  const struct reg *reg = reg_of_req(r);
  int64_t id = reg ? reg_id_of_req(r) : 0;
  struct record rec;
  struct ir_state s;
  struct doc d;
  enum status st;
  if(!id) {
    return;
  }
  if(reg != &reg_incident) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return;
  }
  st = reg_store_get(r->db, &reg_incident, id, &r->arena, &rec);
  if(!st) {
    st = ir_state_of(r->db, id, reg_val(&reg_incident, &rec, "aware_at"),
                     &r->arena, &s);
  }
  if(!st) {
    st = ir_report_doc(r->db, &rec, &s, &r->arena, &d);
  }
  if(st) {
    req_fail(r, st, st == ST_NOTFOUND ? M_ERR_NOT_FOUND : M_ERR_INTERNAL);
    return;
  }
  buf_clear(&r->page.out);
  st = pdf ? pdf_render(&d, &r->page.out) : odt_render(&d, &r->page.out);
  if(st) {
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  db_read_end(r->db);
  if(audit_append(r->db, r->login, "export",
                  arena_printf(&r->arena, "incident/%lld", (long long)id),
                  pdf ? "report pdf" : "report odt")) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  r->status = 200;
  r->ctype =
    pdf ? "application/pdf" : "application/vnd.oasis.opendocument.text";
  req_set_header(r, "Content-Disposition",
                 arena_printf(&r->arena,
                              "attachment; filename=\"incident-%lld.%s\"",
                              (long long)id, pdf ? "pdf" : "odt"));
}

void ir_report_odt(struct req *r)
{
  report_file(r, 0);
}

void ir_report_pdf(struct req *r)
{
  report_file(r, 1);
}

const struct param_spec ir_evidence_params[] = {
  { "file", PARAM_INT, 19, 1, INT64_MAX },
  { NULL, 0, 0, 0, 0 },
};

/* GET /r/incident/{id}/evidence?file=N: an evidence file of the
 * incident, as stored, after checking its SHA-256 again. */
void ir_evidence_file(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  int64_t id = reg ? reg_id_of_req(r) : 0, file = 0;
  const char *f = req_param(r, "file");
  struct evidence_file ev;
  enum status st;
  if(!id) {
    return;
  }
  if(reg != &reg_incident || !f || str_to_i64(str_c(f), 1, INT64_MAX, &file) ||
     !ir_store_has_file(r->db, id, file)) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return;
  }
  st = evidence_get(r->db, file, &r->arena, &ev);
  if(st) {
    req_fail(r, st, st == ST_IO ? M_EV_CORRUPT : M_ERR_INTERNAL);
    return;
  }
  buf_clear(&r->page.out);
  buf_append(&r->page.out, ev.data, (size_t)ev.size);
  if(r->page.out.err) {
    req_fail(r, ST_NOMEM, M_ERR_INTERNAL);
    return;
  }
  r->status = 200;
  r->ctype = ev.mime;
  req_set_header(r, "Content-Disposition",
                 arena_printf(&r->arena,
                              "attachment; filename=\"evidence-%lld\"",
                              (long long)file));
  req_set_header(r, "X-Evidence-SHA256", ev.sha256);
}

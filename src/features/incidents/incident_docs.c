/*
 * incident_docs.c: the texts isms writes for an incident: the
 * notification of §3 of the notification and response regulations (its
 * 7 fields, in the rules in force at awareness), ready to paste into the
 * national reporting platform.  Always Traditional Chinese: it is filed
 * with the authorities.
 */
#include "incidents.h"
#include "incident_store.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/time.h"

#include <string.h>

/* The value of field name of rec. */
static const char *val(const struct record *rec, const char *name)
{
  const struct field *f = reg_field(&reg_incident, name);
  return f ? rec->v[reg_field_index(&reg_incident, f)] : NULL;
}


const char *ir_notification_text(struct db *db, const struct record *rec,
                                 const struct ir_state *s,
                                 const char *agency_name, enum lang lang,
                                 struct arena *a)
{
  const struct incident_rules *law = s->rules;
  struct ir_event *ev;
  struct buf t;
  const char *out;
  size_t n = 0, i;
  int64_t id = rec->id;
  (void)lang;
  if(!law) {
    return NULL;
  }
  buf_init(&t, 4096);
  for(i = 0; i < law->n_fields; i++) {
    const struct incident_term *f = &law->fields[i];
    buf_appendf(&t, "%zu. %s：", i + 1, f->name);
    if(!strcmp(f->id, "agency")) {
      buf_appendf(&t, "%s", agency_name ? agency_name : "");
    }
    else if(!strcmp(f->id, "time")) {
      struct buf b;
      int64_t occ = 0;
      buf_init(&b, 64);
      time_format_taipei_roc(&b, s->aware);
      buf_appendf(&t, "知悉時間 %s", b.data ? b.data : "");
      if(val(rec, "occurred_at") &&
         !time_parse_utc(str_c(val(rec, "occurred_at")), &occ)) {
        buf_clear(&b);
        time_format_taipei_roc(&b, occ);
        buf_appendf(&t, "；發生時間 %s", b.data ? b.data : "");
      }
      buf_free(&b);
    }
    else if(!strcmp(f->id, "description")) {
      buf_appendf(&t, "%s", val(rec, "description"));
    }
    else if(!strcmp(f->id, "level")) {
      const struct incident_row *row =
        s->row_id ? incident_row_find(s->row_id) : NULL;
      if(s->level >= 1 && s->level <= INCIDENT_LEVEL_MAX) {
        buf_appendf(&t, "%s", law->levels[s->level].name);
      }
      else {
        buf_appendf(&t, "尚未評定");
      }
      if(row && row->level == s->level) {
        buf_appendf(&t, "（%s：%s）", row->article, row->text);
      }
    }
    else if(!strcmp(f->id, "measures")) {
      const char *m = val(rec, "measures");
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
      const char *m = val(rec, "support_needed");
      buf_appendf(&t, "%s", m ? m : "無");
    }
    else {
      const char *m = val(rec, "other");
      buf_appendf(&t, "%s", m ? m : "無");
    }
    buf_appendf(&t, "\n");
  }
  out = t.err ? NULL : arena_strndup(a, t.data ? t.data : "", t.len);
  buf_free(&t);
  return out;
}

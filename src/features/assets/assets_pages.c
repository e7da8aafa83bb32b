/*
 * assets_pages.c: protection-need grading of a system, 附表九, with its
 * approval, the 附表十 baseline of a system with the state of each
 * control, and the agency's gap list.
 */
#include "assets.h"
#include "assets_store.h"
#include "auth/audit.h"
#include "auth/roles.h"
#include "core/str.h"
#include "core/time.h"
#include "db/db.h"
#include "registers/register_http.h"
#include "registers/register_store.h"
#include "rules/baseline.h"
#include "rules/grading.h"
#include "ui/layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct param_spec grading_params[] = {
  { "c", PARAM_INT, 1, 1, 3 },
  { "i", PARAM_INT, 1, 1, 3 },
  { "a", PARAM_INT, 1, 1, 3 },
  { "l", PARAM_INT, 1, 1, 3 },
  { "justification", PARAM_TEXT, 4000, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec grading_decide_params[] = {
  { "grading", PARAM_INT, 19, 1, INT64_MAX },
  { "approve", PARAM_WORD, 1, 0, 0 },
  { "note", PARAM_TEXT, 1000, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec baseline_params[] = {
  { "control", PARAM_TEXT, 40, 0, 0 },
  { "status", PARAM_WORD, 16, 0, 0 },
  { "evidence", PARAM_TEXT, 2000, 0, 0 },
  { "owner", PARAM_TEXT, 100, 0, 0 },
  { "due", PARAM_TEXT, 10, 0, 0 },
  { "exemption", PARAM_TEXT, 1000, 0, 0 },
  { "set", PARAM_WORD, 8, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

/* The system of the {reg}/{id} path (only the system register has these
 * pages); 0 after a 404. */
static int64_t system_of(struct req *r, struct record *rec)
{
  const struct reg *reg = reg_of_req(r);
  int64_t id;
  if(reg && reg != &reg_system) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return 0;
  }
  id = reg ? reg_id_of_req(r) : 0;
  if(!id) {
    return 0;
  }
  if(reg_store_get(r->db, &reg_system, id, &r->arena, rec)) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return 0;
  }
  return id;
}

/* The value of field name of a system record. */
static const char *sys_value(const struct record *rec, const char *name)
{
  const struct field *f = reg_field(&reg_system, name);
  return f ? rec->v[reg_field_index(&reg_system, f)] : NULL;
}

/* A level's name in the page's language. */
static const char *level_name(struct req *r, int level)
{
  static const enum msg names[] = { M_PL_NONE, M_PL_LOW, M_PL_MID, M_PL_HIGH };
  return req_t(r, names[level >= 0 && level <= 3 ? level : 0]);
}

/* Crumbs and the system's heading with the sub-page's title. */
static void system_head(struct req *r, const struct record *rec, int64_t id,
                        enum msg title)
{
  html_printf(&r->page,
              "<p class=\"crumbs\"><a href=\"/r/system\">%s</a> › "
              "<a href=\"/r/system/%lld\">%s</a></p>\n<h1>%s：%s</h1>\n"
              "<p class=\"tabs\"><a href=\"/r/system/%lld/grading\">%s</a> · "
              "<a href=\"/r/system/%lld/baseline\">%s</a></p>\n",
              req_t(r, M_R_SYSTEM), (long long)id, sys_value(rec, "name"),
              req_t(r, title), sys_value(rec, "name"), (long long)id,
              req_t(r, M_GRADING_TITLE), (long long)id,
              req_t(r, M_BASELINE_TITLE));
}

/* ---- grading (附表九) ---- */

static void grading_form(struct req *r, int64_t id, const struct record *rec,
                         int status)
{
  const struct grading_rules *gr = grading_rules();
  struct grading *v;
  struct grading cur;
  size_t n = 0, i;
  int d, lv, have;
  struct html *h;
  if(grading_list(r->db, id, &r->arena, &v, &n)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  have = !grading_approved(r->db, id, 0, &r->arena, &cur);
  h = page_begin(r, status, req_t(r, M_GRADING_TITLE), 8);
  system_head(r, rec, id, M_GRADING_TITLE);
  html_printf(h, "<p class=\"hint\">%s</p>\n",
              r->lang == LANG_EN ? gr->rule_en : gr->rule);
  if(have) {
    struct date due;
    int64_t t;
    char iso[16];
    html_printf(h, "<p>%s：<strong>%s</strong>", req_t(r, M_F_SYS_LEVEL),
                level_name(r, cur.level));
    /* Re-grading is due a year after the last approval. */
    if(cur.decided_at && !time_parse_utc(str_c(cur.decided_at), &t)) {
      due = time_taipei_date(t + 365 * 86400);
      snprintf(iso, sizeof(iso), "%04d-%02d-%02d", due.year, due.month,
               due.day);
      html_printf(h, " · %s ", req_t(r, M_GRADING_DUE));
      page_date(r, iso);
      if(t + 365 * 86400 < time_now()) {
        html_printf(h, " <strong class=\"overdue\">%s</strong>",
                    req_t(r, M_GRADING_OVERDUE));
      }
    }
    html_lit(h, "</p>\n");
  }
  else {
    html_printf(h, "<p>%s</p>\n", req_t(r, M_GRADING_NONE));
  }
  if(r->n_errs) {
    html_printf(h, "<p class=\"error\" role=\"alert\">%s</p>\n",
                req_t(r, r->errs[0].msg));
  }
  if(r->rights & W(reg_system.area)) {
    html_printf(h,
                "<form method=\"post\" action=\"/r/system/%lld/grading\" "
                "class=\"record-form grading\">",
                (long long)id);
    page_csrf(r);
    for(d = 0; d < GD_COUNT; d++) {
      const struct grading_dimension *gd = grading_dimension(d);
      static const char *const keys[] = { "c", "i", "a", "l" };
      const char *sent = req_param(r, keys[d]);
      html_printf(h, "<fieldset class=\"dim\"><legend>%s</legend>",
                  r->lang == LANG_EN ? gd->name_en : gd->name);
      for(lv = PL_HIGH; lv >= PL_LOW; lv--) {
        char val[2] = { (char)('0' + lv), 0 };
        html_printf(
          h,
          "<label class=\"choice\"><input type=\"radio\" "
          "name=\"%s\" value=\"%s\" required%s> <strong>%s</strong>"
          " <span class=\"criterion\">%s</span></label>",
          keys[d], val, sent && strcmp(sent, val) == 0 ? " checked" : "",
          level_name(r, lv),
          r->lang == LANG_EN ? gd->criterion_en[lv] : gd->criterion[lv]);
      }
      html_lit(h, "</fieldset>\n");
    }
    html_printf(h,
                "<div class=\"field\"><label for=\"in-justification\">%s"
                "</label><textarea id=\"in-justification\" "
                "name=\"justification\" rows=\"4\" maxlength=\"4000\" "
                "required>%s</textarea></div>"
                "<div class=\"actions\"><button type=\"submit\">%s</button>"
                "</div></form>\n",
                req_t(r, M_GRADING_JUSTIFY),
                req_param(r, "justification") ? req_param(r, "justification") :
                                                "",
                req_t(r, M_GRADING_SUBMIT));
  }
  html_printf(h, "<h2>%s</h2>\n", req_t(r, M_GRADING_HISTORY));
  if(!n) {
    html_printf(h, "<p>%s</p>\n", req_t(r, M_GRADING_NONE));
  }
  else {
    html_printf(h,
                "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th>"
                "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
                "<th>%s</th><th>%s</th></tr></thead><tbody>\n",
                req_t(r, M_F_WHEN), grading_dimension(0)->name,
                grading_dimension(1)->name, grading_dimension(2)->name,
                grading_dimension(3)->name, req_t(r, M_F_SYS_LEVEL),
                req_t(r, M_GRADING_JUSTIFY), req_t(r, M_F_STATUS),
                req_t(r, M_GRADING_APPROVER));
    for(i = 0; i < n; i++) {
      const struct grading *g = &v[i];
      html_lit(h, "<tr><td>");
      page_time(r, g->graded_at);
      html_printf(
        h,
        " %s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
        "<td><strong>%s</strong></td><td class=\"longtext\">%s</td>"
        "<td>%s</td><td>",
        g->graded_by, level_name(r, g->c), level_name(r, g->i),
        level_name(r, g->a), level_name(r, g->l), level_name(r, g->level),
        g->justification,
        req_t(r, strcmp(g->status, "approved") == 0 ? M_PRIV_APPROVED :
                 strcmp(g->status, "rejected") == 0 ? M_PRIV_REJECTED :
                                                      M_PRIV_PENDING));
      if(g->approver) {
        html_printf(h, "%s ", g->approver);
        page_time(r, g->decided_at);
        html_printf(h, "%s%s", g->note ? "：" : "", g->note ? g->note : "");
      }
      else if(r->rights & RIGHT_APPROVE) {
        html_printf(h,
                    "<form method=\"post\" action=\"/r/system/%lld/grading/"
                    "decide\" class=\"inline\">",
                    (long long)id);
        page_csrf(r);
        html_printf(h,
                    "<input type=\"hidden\" name=\"grading\" value=\"%lld\">"
                    "<label class=\"visually-hidden\" for=\"gn-%lld\">%s"
                    "</label><input id=\"gn-%lld\" name=\"note\" "
                    "maxlength=\"1000\"> <button type=\"submit\" "
                    "name=\"approve\" value=\"1\">%s</button> <button "
                    "type=\"submit\" name=\"approve\" value=\"0\">%s</button>"
                    "</form>",
                    (long long)g->id, (long long)g->id, req_t(r, M_PRIV_NOTE),
                    (long long)g->id, req_t(r, M_PRIV_APPROVE),
                    req_t(r, M_PRIV_REJECT));
      }
      html_lit(h, "</td></tr>\n");
    }
    html_lit(h, "</tbody></table>\n");
  }
  page_end(r);
}

void grading_page(struct req *r)
{
  struct record rec;
  int64_t id = system_of(r, &rec);
  if(id) {
    grading_form(r, id, &rec, 200);
  }
}

void grading_post_page(struct req *r)
{
  struct record rec;
  struct grading g;
  int64_t id = system_of(r, &rec), gid = 0;
  const char *just = req_param(r, "justification");
  const char *keys[4] = { "c", "i", "a", "l" };
  int lv[4], d;
  enum status st;
  if(!id) {
    return;
  }
  for(d = 0; d < 4; d++) {
    const char *s = req_param(r, keys[d]);
    lv[d] = s && s[0] >= '1' && s[0] <= '3' && !s[1] ? s[0] - '0' : 0;
    if(!lv[d]) {
      req_field_error(r, keys[d], M_GRADING_ALL, NULL);
    }
  }
  if(!just || !*just) {
    req_field_error(r, "justification", M_GRADING_NEED_WHY, NULL);
  }
  if(r->n_errs) {
    grading_form(r, id, &rec, 400);
    return;
  }
  memset(&g, 0, sizeof(g));
  g.system = id;
  g.c = lv[0];
  g.i = lv[1];
  g.a = lv[2];
  g.l = lv[3];
  g.level = grading_level(g.c, g.i, g.a, g.l);
  g.justification = just;
  g.graded_by = r->login;
  if(db_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  st = grading_insert(r->db, &g, &gid);
  if(!st) {
    st = audit_append(r->db, r->login, "grading",
                      arena_printf(&r->arena, "system/%lld", (long long)id),
                      arena_printf(&r->arena, "C%d I%d A%d L%d -> %d", g.c,
                                   g.i, g.a, g.l, g.level));
  }
  if(st) {
    db_rollback(r->db);
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  if(db_commit(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  req_redirect(
    r, arena_printf(&r->arena, "/r/system/%lld/grading", (long long)id));
}

void grading_decide_page(struct req *r)
{
  struct record rec;
  struct grading g;
  int64_t id = system_of(r, &rec), gid = 0;
  const char *gs = req_param(r, "grading");
  const char *approve = req_param(r, "approve");
  const char *note = req_param(r, "note");
  int ok;
  enum status st;
  if(!id) {
    return;
  }
  if(!gs || str_to_i64(str_c(gs), 1, INT64_MAX, &gid) ||
     grading_get(r->db, gid, &r->arena, &g) || g.system != id || !approve ||
     (strcmp(approve, "1") != 0 && strcmp(approve, "0") != 0)) {
    req_fail(r, ST_INVALID, M_ERR_BAD_PARAM);
    return;
  }
  if(strcmp(g.graded_by, r->login) == 0) {
    /* The one who graded does not approve it. */
    req_fail(r, ST_FORBIDDEN, M_GRADING_NOT_OWN);
    return;
  }
  ok = approve[0] == '1';
  if(db_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  st =
    grading_decide(r->db, gid, ok ? "approved" : "rejected", r->login, note);
  if(!st) {
    st =
      audit_append(r->db, r->login, ok ? "grading-approve" : "grading-reject",
                   arena_printf(&r->arena, "system/%lld", (long long)id),
                   arena_printf(&r->arena, "grading %lld: level %d",
                                (long long)gid, g.level));
  }
  if(st) {
    db_rollback(r->db);
    req_fail(r, st, st == ST_CONFLICT ? M_PRIV_DECIDED : M_ERR_INTERNAL);
    return;
  }
  if(db_commit(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  if(ok) {
    /* The system's register row mirrors the approved level; 高 makes it
     * a core system, as 施行細則 defines it. */
    const char **v =
      arena_alloc(&r->arena, sizeof(char *) * reg_system.n_fields);
    const struct field *fl = reg_field(&reg_system, "level");
    const struct field *fc = reg_field(&reg_system, "is_core");
    if(v && fl && fc) {
      memcpy(v, rec.v, sizeof(char *) * reg_system.n_fields);
      v[reg_field_index(&reg_system, fl)] = prot_level_key(g.level);
      if(grading_is_core(g.level)) {
        v[reg_field_index(&reg_system, fc)] = "1";
      }
      st = reg_store_update(r->db, &reg_system, id, 0, v, r->login);
      if(st) {
        req_fail(r, st, M_ERR_INTERNAL);
        return;
      }
    }
  }
  req_redirect(
    r, arena_printf(&r->arena, "/r/system/%lld/grading", (long long)id));
}

/* ---- the baseline (附表十) ---- */

static const struct {
  const char *key; /* stored status */
  enum msg label;  /* what people see */
} statuses[] = {
  { "implemented", M_CS_IMPLEMENTED },
  { "partial", M_CS_PARTIAL },
  { "planned", M_CS_PLANNED },
  { "na", M_CS_NA },
};

static enum msg status_label(const char *s)
{
  size_t i;
  for(i = 0; s && i < sizeof(statuses) / sizeof(statuses[0]); i++) {
    if(strcmp(statuses[i].key, s) == 0) {
      return statuses[i].label;
    }
  }
  return M_CS_MISSING;
}

/* The state recorded for control id, or NULL. */
static const struct control_state *state_of(const struct control_state *v,
                                            size_t n, const char *id)
{
  size_t i;
  for(i = 0; i < n; i++) {
    if(strcmp(v[i].control, id) == 0) {
      return &v[i];
    }
  }
  return NULL;
}

/* Today's date in Asia/Taipei as YYYY-MM-DD into out[16]. */
static void today(char *out)
{
  struct date d = time_taipei_date(time_now());
  snprintf(out, 16, "%04d-%02d-%02d", d.year, d.month, d.day);
}

/* The set in force before set, or NULL for the first. */
static const struct rule_set *previous_set(const struct rule_set *set)
{
  size_t ns = 0, k;
  const struct rule_set *sets = baseline_sets(&ns);
  for(k = 1; k < ns; k++) {
    if(&sets[k] == set) {
      return &sets[k - 1];
    }
  }
  return NULL;
}

/* 1 if c applies at level but none of the earlier controls it continues
 * did (new in its set, or now required at a lower level), else 0. */
static int newly_applies(const struct control *c, int level)
{
  size_t k;
  if(!baseline_applies(c, level)) {
    return 0;
  }
  for(k = 0; k < c->n_from; k++) {
    const struct control *p = baseline_control(c->from[k]);
    if(p && baseline_applies(p, level)) {
      return 0;
    }
  }
  return 1;
}

/* 1 if p (of the previous set) applies at level and no control of set
 * that applies at level continues it, else 0. */
static int dropped(const struct control *p, const struct rule_set *set,
                   int level)
{
  size_t i, k;
  if(!baseline_applies(p, level)) {
    return 0;
  }
  for(i = 0; i < set->n; i++) {
    const struct control *c = &set->controls[i];
    for(k = 0; k < c->n_from; k++) {
      if(strcmp(c->from[k], p->id) == 0 && baseline_applies(c, level)) {
        return 0;
      }
    }
  }
  return 1;
}

/* What the amendment changed for a system at level: the counts, and the
 * earlier controls no longer listed. */
static void set_diff(struct req *r, const struct rule_set *set,
                     const struct rule_set *prev, int level)
{
  struct html *h = &r->page;
  size_t i, added = 0, gone = 0;
  char a[16], b[16];
  const char *args[4];
  for(i = 0; i < set->n; i++) {
    added += (size_t)newly_applies(&set->controls[i], level);
  }
  for(i = 0; i < prev->n; i++) {
    gone += (size_t)dropped(&prev->controls[i], set, level);
  }
  snprintf(a, sizeof(a), "%zu", added);
  snprintf(b, sizeof(b), "%zu", gone);
  args[0] = prev->name;
  args[1] = set->name;
  args[2] = a;
  args[3] = b;
  html_lit(h, "<p class=\"set-diff\">");
  html_template(h, req_t(r, M_BASELINE_DIFF), 4, args);
  html_lit(h, "</p>\n");
  if(!gone) {
    return;
  }
  html_printf(h, "<details class=\"set-dropped\"><summary>%s</summary><ul>",
              req_t(r, M_BASELINE_DROPPED));
  for(i = 0; i < prev->n; i++) {
    const struct control *p = &prev->controls[i];
    if(dropped(p, set, level)) {
      html_printf(h, "<li>%s %s：%s</li>", p->ref, p->measure,
                  r->lang == LANG_EN ? p->text_en : p->text);
    }
  }
  html_lit(h, "</ul></details>\n");
}

void baseline_page(struct req *r)
{
  struct record rec;
  struct grading cur, prev;
  struct control_state *st;
  int64_t id = system_of(r, &rec);
  const struct rule_set *set, *prev_set;
  const char *which = req_param(r, "set");
  size_t n = 0, i, applies = 0, done = 0, partial = 0, planned = 0, na = 0;
  int level, prev_level = 0, can_write;
  char day[16];
  struct html *h;
  const char *family = "";
  if(!id) {
    return;
  }
  today(day);
  set = which && *which ? baseline_set(which) : baseline_at(day);
  if(!set) {
    set = baseline_at(day);
  }
  prev_set = set ? previous_set(set) : NULL;
  level = grading_approved(r->db, id, 0, &r->arena, &cur) ? 0 : cur.level;
  if(level && !grading_approved(r->db, id, cur.id, &r->arena, &prev)) {
    prev_level = prev.level;
  }
  if(control_list(r->db, id, &r->arena, &st, &n)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  can_write = (r->rights & W(reg_system.area)) != 0;
  h = page_begin(r, 200, req_t(r, M_BASELINE_TITLE), 9);
  system_head(r, &rec, id, M_BASELINE_TITLE);
  if(!level) {
    html_printf(h, "<p>%s <a href=\"/r/system/%lld/grading\">%s</a></p>\n",
                req_t(r, M_BASELINE_UNGRADED), (long long)id,
                req_t(r, M_GRADING_TITLE));
    page_end(r);
    return;
  }
  {
    size_t k, ns = 0;
    const struct rule_set *sets = baseline_sets(&ns);
    html_printf(h, "<p>%s：<strong>%s</strong> · %s：",
                req_t(r, M_F_SYS_LEVEL), level_name(r, level),
                req_t(r, M_BASELINE_SET));
    for(k = 0; k < ns; k++) {
      if(&sets[k] == set) {
        html_printf(h, "<strong>%s</strong> ",
                    r->lang == LANG_EN ? sets[k].title_en : sets[k].title);
      }
      else {
        html_printf(h, "<a href=\"/r/system/%lld/baseline?set=%s\">%s</a> ",
                    (long long)id, sets[k].name,
                    r->lang == LANG_EN ? sets[k].title_en : sets[k].title);
      }
    }
    html_lit(h, "</p>\n");
  }
  for(i = 0; i < set->n; i++) {
    const struct control *c = &set->controls[i];
    const struct control_state *s;
    if(!baseline_applies(c, level)) {
      continue;
    }
    applies++;
    s = state_of(st, n, c->id);
    if(s && strcmp(s->status, "implemented") == 0) {
      done++;
    }
    else if(s && strcmp(s->status, "partial") == 0) {
      partial++;
    }
    else if(s && strcmp(s->status, "planned") == 0) {
      planned++;
    }
    else if(s && strcmp(s->status, "na") == 0) {
      na++;
    }
  }
  {
    char a[16], b[16], c2[16], d[16], e[16], f[16];
    const char *args[6];
    snprintf(a, sizeof(a), "%zu", applies);
    snprintf(b, sizeof(b), "%zu", done);
    snprintf(c2, sizeof(c2), "%zu", partial);
    snprintf(d, sizeof(d), "%zu", planned);
    snprintf(e, sizeof(e), "%zu", na);
    snprintf(f, sizeof(f), "%zu", applies - done - partial - planned - na);
    args[0] = a;
    args[1] = b;
    args[2] = c2;
    args[3] = d;
    args[4] = e;
    args[5] = f;
    html_lit(h, "<p class=\"summary\" role=\"status\">");
    html_template(h, req_t(r, M_BASELINE_SUMMARY), 6, args);
    html_lit(h, "</p>\n");
  }
  if(prev_level && prev_level < level) {
    html_printf(h, "<p class=\"notice\">%s</p>\n",
                req_t(r, M_BASELINE_NEW_LEVEL));
  }
  if(prev_set) {
    set_diff(r, set, prev_set, level);
  }
  html_printf(h,
              "<table class=\"list baseline\"><thead><tr><th>%s</th>"
              "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
              "<tbody>\n",
              req_t(r, M_BASELINE_CONTROL), req_t(r, M_F_SYS_LEVEL),
              req_t(r, M_BASELINE_REQ), req_t(r, M_F_STATUS),
              req_t(r, M_BASELINE_EVIDENCE));
  for(i = 0; i < set->n; i++) {
    const struct control *c = &set->controls[i];
    const struct control_state *s;
    if(!baseline_applies(c, level)) {
      continue;
    }
    if(strcmp(family, c->family) != 0) {
      family = c->family;
      html_printf(h, "<tr class=\"family\"><th colspan=\"5\">%s</th></tr>\n",
                  r->lang == LANG_EN ? c->family_en : c->family);
    }
    s = state_of(st, n, c->id);
    html_printf(h,
                "<tr id=\"c-%s\" class=\"cs-%s%s\"><td>%s<br><small>%s</small>"
                "</td><td>%s</td><td>%s</td><td>",
                c->id, s ? s->status : "missing",
                prev_level && c->level > prev_level ? " new" : "", c->measure,
                c->ref, level_name(r, c->level),
                r->lang == LANG_EN ? c->text_en : c->text);
    if(prev_level && c->level > prev_level) {
      html_printf(h, "<span class=\"tag\">%s</span> ",
                  req_t(r, M_BASELINE_NEWLY));
    }
    if(prev_set && newly_applies(c, level)) {
      html_printf(h, "<span class=\"tag set-new\">%s %s</span> ", set->name,
                  req_t(r, M_BASELINE_SET_NEW));
    }
    html_printf(h, "<strong>%s</strong>",
                req_t(r, status_label(s ? s->status : NULL)));
    if(s && s->due) {
      html_printf(h, "<br><small>%s ", req_t(r, M_BASELINE_DUE));
      page_date(r, s->due);
      html_lit(h, "</small>");
    }
    if(s && s->owner) {
      html_printf(h, "<br><small>%s</small>", s->owner);
    }
    html_printf(h, "</td><td>%s%s%s", s && s->evidence ? s->evidence : "",
                s && s->exemption ? " · " : "",
                s && s->exemption ? s->exemption : "");
    if(can_write) {
      size_t k;
      html_printf(h,
                  "<details><summary>%s</summary><form method=\"post\" "
                  "action=\"/r/system/%lld/baseline\" class=\"cs-form\">",
                  req_t(r, M_EDIT), (long long)id);
      page_csrf(r);
      html_printf(h,
                  "<input type=\"hidden\" name=\"control\" value=\"%s\">"
                  "<input type=\"hidden\" name=\"set\" value=\"%s\">"
                  "<label>%s <select name=\"status\">",
                  c->id, set->name, req_t(r, M_F_STATUS));
      for(k = 0; k < sizeof(statuses) / sizeof(statuses[0]); k++) {
        html_printf(
          h, "<option value=\"%s\"%s>%s</option>", statuses[k].key,
          s && strcmp(s->status, statuses[k].key) == 0 ? " selected" : "",
          req_t(r, statuses[k].label));
      }
      html_printf(h,
                  "</select></label> <label>%s <input name=\"evidence\" "
                  "value=\"%s\" maxlength=\"2000\"></label> <label>%s "
                  "<input name=\"owner\" value=\"%s\" maxlength=\"100\">"
                  "</label> <label>%s <input name=\"due\" type=\"date\" "
                  "value=\"%s\"></label> <label>%s <input name=\"exemption\" "
                  "value=\"%s\" maxlength=\"1000\"></label> <button "
                  "type=\"submit\">%s</button></form></details>",
                  req_t(r, M_BASELINE_EVIDENCE),
                  s && s->evidence ? s->evidence : "", req_t(r, M_AS_OWNER_L),
                  s && s->owner ? s->owner : "", req_t(r, M_BASELINE_DUE),
                  s && s->due ? s->due : "", req_t(r, M_BASELINE_EXEMPTION),
                  s && s->exemption ? s->exemption : "", req_t(r, M_SAVE));
    }
    html_lit(h, "</td></tr>\n");
  }
  html_lit(h, "</tbody></table>\n");
  page_end(r);
}

void baseline_post_page(struct req *r)
{
  struct record rec;
  struct control_state s;
  int64_t id = system_of(r, &rec);
  const char *status = req_param(r, "status");
  const char *due = req_param(r, "due");
  const char *set = req_param(r, "set");
  const struct control *c;
  struct date d;
  enum status st;
  if(!id) {
    return;
  }
  memset(&s, 0, sizeof(s));
  s.control = req_param(r, "control");
  c = s.control ? baseline_control(s.control) : NULL;
  if(!c || status_label(status) == M_CS_MISSING) {
    req_fail(r, ST_INVALID, M_ERR_BAD_PARAM);
    return;
  }
  if(due && *due && time_parse_date(str_c(due), &d)) {
    req_fail(r, ST_INVALID, M_BASELINE_BAD_DUE);
    return;
  }
  s.status = status;
  s.evidence = req_param(r, "evidence");
  s.owner = req_param(r, "owner");
  s.due = due && *due ? due : NULL;
  s.exemption = req_param(r, "exemption");
  if(s.evidence && !*s.evidence) {
    s.evidence = NULL;
  }
  if(s.owner && !*s.owner) {
    s.owner = NULL;
  }
  if(s.exemption && !*s.exemption) {
    s.exemption = NULL;
  }
  if(strcmp(status, "na") == 0 && !s.exemption) {
    /* Not applicable only with an approved exemption (§11). */
    req_fail(r, ST_INVALID, M_BASELINE_NEED_EXEMPTION);
    return;
  }
  if(db_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  st = control_set(r->db, id, &s, r->login);
  if(!st) {
    st = audit_append(r->db, r->login, "control",
                      arena_printf(&r->arena, "system/%lld", (long long)id),
                      arena_printf(&r->arena, "%s: %s", c->id, status));
  }
  if(st) {
    db_rollback(r->db);
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  if(db_commit(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  req_redirect(r, arena_printf(&r->arena, "/r/system/%lld/baseline%s%s#c-%s",
                               (long long)id, set ? "?set=" : "",
                               set ? set : "", c->id));
}

/* ---- the agency's gap list ---- */

/* Counts of one system on the gap list. */
struct gap {
  int64_t id;  /* the system */
  int level;   /* its approved level, 0 when not graded */
  size_t done; /* implemented or approved as not applicable */
  size_t open; /* partly or planned */
};

/* The gap list being summed: systems sorted by id, and the controls of
 * the set in force sorted by id (found by bsearch, not a scan). */
struct gaps {
  struct gap *v;              /* one per system */
  size_t n;                   /* how many */
  const struct control **ctl; /* the set's controls, by id */
  size_t n_ctl;               /* how many */
};

static int ctl_cmp(const void *a, const void *b)
{
  const struct control *const *x = a, *const *y = b;
  return strcmp((*x)->id, (*y)->id);
}

static int ctl_key(const void *key, const void *elem)
{
  const struct control *const *y = elem;
  return strcmp(key, (*y)->id);
}

static struct gap *gap_of(struct gaps *g, int64_t id)
{
  size_t lo = 0, hi = g->n;
  while(lo < hi) {
    size_t mid = (lo + hi) / 2;
    if(g->v[mid].id < id) {
      lo = mid + 1;
    }
    else {
      hi = mid;
    }
  }
  return lo < g->n && g->v[lo].id == id ? &g->v[lo] : NULL;
}

static void gap_level(void *ctx, int64_t system, int level)
{
  struct gap *x = gap_of(ctx, system);
  if(x) {
    x->level = level;
  }
}

static void gap_state(void *ctx, int64_t system, const char *control,
                      const char *status)
{
  struct gaps *g = ctx;
  struct gap *x = gap_of(g, system);
  const struct control *const *found;
  if(!x || !x->level) {
    return;
  }
  found = bsearch(control, g->ctl, g->n_ctl, sizeof(*g->ctl), ctl_key);
  if(!found || !baseline_applies(*found, x->level)) {
    return; /* a state kept from a higher level or another set */
  }
  if(strcmp(status, "implemented") == 0 || strcmp(status, "na") == 0) {
    x->done++;
  }
  else {
    x->open++;
  }
}

static int by_id(const void *a, const void *b)
{
  const struct gap *x = a, *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}

void gaps_page(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  struct system_row *sys;
  struct gaps g;
  size_t n = 0, i;
  char day[16], prefix[16];
  const struct rule_set *set;
  struct html *h;
  size_t total = 0, per_level[PL_HIGH + 1];
  if(!reg) {
    return;
  }
  if(reg != &reg_system) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return;
  }
  today(day);
  set = baseline_at(day);
  if(!set || system_rows(r->db, &r->arena, &sys, &n)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  /* Three queries whatever the number of systems: the systems, their
   * approved levels and every state of the set in force. */
  g.n = n;
  g.v = arena_alloc(&r->arena, sizeof(*g.v) * (n ? n : 1));
  if(!g.v) {
    req_fail(r, ST_TOOBIG, M_ERR_TOO_BIG);
    return;
  }
  for(i = 0; i < n; i++) {
    memset(&g.v[i], 0, sizeof(g.v[i]));
    g.v[i].id = sys[i].id;
  }
  qsort(g.v, n, sizeof(*g.v), by_id);
  g.n_ctl = set->n;
  g.ctl = arena_alloc(&r->arena, sizeof(*g.ctl) * set->n);
  if(!g.ctl) {
    req_fail(r, ST_TOOBIG, M_ERR_TOO_BIG);
    return;
  }
  for(i = 0; i < set->n; i++) {
    g.ctl[i] = &set->controls[i];
  }
  qsort(g.ctl, g.n_ctl, sizeof(*g.ctl), ctl_cmp);
  snprintf(prefix, sizeof(prefix), "%s-", set->name);
  if(grading_levels(r->db, gap_level, &g) ||
     control_states(r->db, prefix, gap_state, &g)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  for(i = 0; i <= PL_HIGH; i++) {
    per_level[i] = i ? baseline_count(set, (int)i) : 0;
  }
  h = page_begin(r, 200, req_t(r, M_GAPS_TITLE), 9);
  html_printf(h, "<h1>%s</h1>\n<p class=\"hint\">%s（%s）</p>\n",
              req_t(r, M_GAPS_TITLE), req_t(r, M_GAPS_HINT),
              r->lang == LANG_EN ? set->title_en : set->title);
  html_printf(h,
              "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th>"
              "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
              "<tbody>\n",
              req_t(r, M_F_SYS_NAME), req_t(r, M_F_SYS_LEVEL),
              req_t(r, M_GAPS_APPLY), req_t(r, M_CS_IMPLEMENTED),
              req_t(r, M_GAPS_OPEN), req_t(r, M_GAPS_MISSING));
  for(i = 0; i < n; i++) {
    const struct gap *x = gap_of(&g, sys[i].id);
    size_t applies;
    html_printf(h, "<tr><td><a href=\"/r/system/%lld/baseline\">%s</a>%s</td>",
                (long long)sys[i].id, sys[i].name,
                sys[i].is_core ? req_t(r, M_CORE_MARK) : "");
    if(!x || !x->level) {
      html_printf(h, "<td colspan=\"5\">%s</td></tr>\n",
                  req_t(r, M_BASELINE_UNGRADED));
      continue;
    }
    applies = per_level[x->level];
    total += applies - x->done;
    html_printf(h,
                "<td>%s</td><td>%zu</td><td>%zu</td><td>%zu</td><td>%zu</td>"
                "</tr>\n",
                level_name(r, x->level), applies, x->done, x->open,
                applies - x->done - x->open);
  }
  html_lit(h, "</tbody></table>\n");
  {
    char t[24];
    const char *args[1];
    snprintf(t, sizeof(t), "%zu", total);
    args[0] = t;
    html_lit(h, "<p class=\"summary\" role=\"status\">");
    html_template(h, req_t(r, M_GAPS_TOTAL), 1, args);
    html_lit(h, "</p>\n");
  }
  page_end(r);
}

void system_links(struct req *r, int64_t id)
{
  if(id) {
    html_printf(&r->page,
                "<a class=\"button\" href=\"/r/system/%lld/grading\">%s</a> "
                "<a class=\"button\" href=\"/r/system/%lld/baseline\">%s</a> ",
                (long long)id, req_t(r, M_GRADING_TITLE), (long long)id,
                req_t(r, M_BASELINE_TITLE));
  }
  else {
    html_printf(&r->page, "<a href=\"/r/system/gaps\">%s</a> ",
                req_t(r, M_GAPS_TITLE));
  }
}

/* ---- the asset's level, from its system ---- */

void asset_detail(struct req *r, const struct record *rec)
{
  struct html *h = &r->page;
  const struct field *fs = reg_field(&reg_asset, "system");
  const struct field *fl = reg_field(&reg_system, "level");
  const char *sid = fs ? rec->v[reg_field_index(&reg_asset, fs)] : NULL;
  struct record sys;
  int64_t id = 0;
  html_printf(h, "<dt>%s</dt><dd>", req_t(r, M_AS_LEVEL_DERIVED));
  if(!sid || !fl || str_to_i64(str_c(sid), 1, INT64_MAX, &id) ||
     reg_store_get(r->db, &reg_system, id, &r->arena, &sys)) {
    html_printf(h, "%s</dd>\n", req_t(r, M_AS_LEVEL_NO_SYSTEM));
    return;
  }
  sid = sys.v[reg_field_index(&reg_system, fl)];
  html_printf(h, "<a href=\"/r/system/%lld/grading\">%s</a></dd>\n",
              (long long)id,
              sid ? reg_enum_label(fl, sid, r->lang) : req_t(r, M_PL_NONE));
}

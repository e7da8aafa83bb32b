/*
 * register_mask_pages.c: what the pages show of masking (issue 7): the
 * preview panel of a masked text (the text as it will be stored with the
 * replaced parts in <mark>, the count per entity, the operator to use),
 * the buttons that ask for a preview or confirm it, and revealing the
 * encrypted values of a record's field to the security officer and the
 * CISO (POST /r/{reg}/{id}/reveal, audited with its reason masked, never
 * cached).  The forms that use them are register_pages.c, the incident
 * report form, an incident's step and timeline forms and the calendar's
 * closing and reopening forms.  Masking itself is register_mask.c.
 */
#include "register_mask.h"
#include "register_mask_pages.h"

#include "auth/account_store.h"
#include "auth/audit.h"
#include "core/str.h"
#include "db/db.h"
#include "ui/layout.h"

#include <stdio.h>
#include <string.h>

const struct param_spec reg_reveal_params[] = {
  { "field", PARAM_WORD, 40, 0, 0 },
  { "reason", PARAM_TEXT, 2000, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

static const enum msg entity_msg[MASK_N] = {
  [MASK_TW_ID] = M_MASK_E_TW_ID, [MASK_TW_ARC] = M_MASK_E_TW_ARC,
  [MASK_PHONE] = M_MASK_E_PHONE, [MASK_EMAIL] = M_MASK_E_EMAIL,
  [MASK_DOB] = M_MASK_E_DOB,     [MASK_PASSPORT] = M_MASK_E_PASSPORT,
  [MASK_NAME] = M_MASK_E_NAME,   [MASK_ADDRESS] = M_MASK_E_ADDRESS,
  [MASK_CARD] = M_MASK_E_CARD,   [MASK_UBN] = M_MASK_E_UBN,
};

/* The operators in the order they are offered. */
static const struct {
  enum mask_op op;
  enum msg label;
} op_choices[] = {
  { MASK_OP_REPLACE, M_MASK_OP_REPLACE }, { MASK_OP_REDACT, M_MASK_OP_REDACT },
  { MASK_OP_PARTIAL, M_MASK_OP_PARTIAL }, { MASK_OP_HASH, M_MASK_OP_HASH },
  { MASK_OP_ENCRYPT, M_MASK_OP_ENCRYPT },
};

enum msg reg_mask_entity_msg(enum mask_entity e)
{
  return (unsigned)e < MASK_N ? entity_msg[e] : M_NONE;
}

int reg_mask_op_of_req(struct req *r, const char *field, enum mask_op def,
                       enum mask_op *op)
{
  const char *name = arena_printf(&r->arena, "mask_op_%s", field);
  const char *v = name ? req_param(r, name) : NULL;
  *op = def;
  if(!v || !*v) {
    return 0;
  }
  if(mask_op_parse(v, op)) {
    *op = def;
    return -1;
  }
  return 0;
}

enum status reg_mask_req_text(struct req *r, const char *field,
                              const char *text, struct reg_masked *mk)
{
  struct reg_masker m;
  enum mask_op op;
  enum status st = ST_OK;
  memset(mk, 0, sizeof(*mk));
  mk->text = text;
  reg_masker_init(&m, r->db);
  if(reg_mask_op_of_req(r, field, m.op, &op)) {
    req_field_error(r, field, M_MASK_BAD_OP, NULL);
  }
  mk->op = op;
  if(text && *text) {
    st = reg_masker_text(&m, op, text, &r->arena, mk);
  }
  reg_masker_end(&m);
  return st;
}

int reg_mask_pending(const struct req *r, const struct reg_masked *mk)
{
  return (mk->n && !reg_mask_confirmed(r)) || reg_mask_preview_asked(r);
}

int reg_mask_confirmed(const struct req *r)
{
  const char *c = req_param(r, "mask_confirm");
  const char *p = req_param(r, "mask_preview");
  return c && !strcmp(c, "1") && !(p && !strcmp(p, "1"));
}

int reg_mask_preview_asked(const struct req *r)
{
  const char *p = req_param(r, "mask_preview");
  return p && !strcmp(p, "1");
}

/* "身分證統一編號 1 處、電話號碼 2 處", each in a span with the
 * entity's name and count as data. */
static void counts(struct req *r, const size_t count[MASK_N])
{
  struct html *h = &r->page;
  size_t e;
  int first = 1;
  for(e = 0; e < MASK_N; e++) {
    char n[24];
    const char *args[2];
    if(!count[e]) {
      continue;
    }
    snprintf(n, sizeof(n), "%zu", count[e]);
    args[0] = req_t(r, entity_msg[e]);
    args[1] = n;
    if(!first) {
      html_lit(h, "、");
    }
    first = 0;
    html_printf(h, "<span data-entity=\"%s\" data-count=\"%zu\">",
                mask_entity_name((enum mask_entity)e), count[e]);
    html_template(h, req_t(r, M_MASK_COUNT), 2, args);
    html_lit(h, "</span>");
  }
}

void reg_mask_import_note(struct req *r, size_t total, enum mask_op op,
                          const size_t count[MASK_N])
{
  struct html *h = &r->page;
  char n[24];
  const char *args[2] = { n, NULL };
  size_t i;
  snprintf(n, sizeof(n), "%zu", total);
  for(i = 0; i < sizeof(op_choices) / sizeof(op_choices[0]); i++) {
    if(op_choices[i].op == op) {
      args[1] = req_t(r, op_choices[i].label);
    }
  }
  if(!args[1]) {
    args[1] = mask_op_name(op);
  }
  html_template(h, req_t(r, M_MASK_IMPORTED), 2, args);
  html_lit(h, " ");
  counts(r, count);
}

/* The masked text of m with each replacement in <mark>. */
static void marked_text(struct req *r, const struct reg_masked *m)
{
  struct html *h = &r->page;
  const char *t = m->text;
  size_t i, at = 0;
  if(!m->spans) {
    html_printf(h, "%s", t);
    return;
  }
  for(i = 0; i < m->n; i++) {
    const struct reg_mask_span *s = &m->spans[i];
    const char *label = req_t(r, reg_mask_entity_msg(s->entity));
    html_str(h, (struct str){ t + at, s->off - at });
    if(s->len) {
      html_printf(h, "<mark data-entity=\"%s\" title=\"%s\">",
                  mask_entity_name(s->entity), label);
      html_str(h, (struct str){ t + s->off, s->len });
      html_lit(h, "</mark>");
    }
    else {
      /* Removed: nothing is stored here; say what was. */
      html_printf(h,
                  "<mark class=\"removed\" data-entity=\"%s\">［%s：%s］"
                  "</mark>",
                  mask_entity_name(s->entity), req_t(r, M_MASK_OP_REDACT),
                  label);
    }
    at = s->off + s->len;
  }
  html_printf(h, "%s", t + at);
}

void reg_mask_panel(struct req *r, const char *field, const char *label,
                    const struct reg_masked *m)
{
  struct html *h = &r->page;
  const char *args[1] = { label };
  size_t i;
  html_printf(h,
              "<section class=\"mask-preview\" id=\"mp-%s\" "
              "aria-labelledby=\"mp-%s-h\"><h2 id=\"mp-%s-h\">",
              field, field, field);
  html_template(h, req_t(r, M_MASK_PREVIEW_TITLE), 1, args);
  html_printf(h, "</h2><p class=\"hint\">%s</p>\n<div class=\"masked\">",
              req_t(r, M_MASK_PREVIEW_INTRO));
  marked_text(r, m);
  html_printf(h, "</div>\n<p class=\"mask-counts\">%s：",
              req_t(r, M_MASK_FOUND));
  counts(r, m->count);
  html_printf(h,
              "</p>\n<p><label for=\"mo-%s\">%s</label> <select "
              "id=\"mo-%s\" name=\"mask_op_%s\">",
              field, req_t(r, M_MASK_OPERATOR), field, field);
  for(i = 0; i < sizeof(op_choices) / sizeof(op_choices[0]); i++) {
    html_printf(h, "<option value=\"%s\"%s>%s</option>",
                mask_op_name(op_choices[i].op),
                op_choices[i].op == m->op ? " selected" : "",
                req_t(r, op_choices[i].label));
  }
  html_lit(h, "</select></p></section>\n");
}

void reg_mask_pending_note(struct req *r)
{
  html_printf(&r->page,
              "<div class=\"notice mask-pending\" role=\"status\" "
              "tabindex=\"-1\"><p>%s</p></div>\n",
              req_t(r, M_MASK_PENDING));
}

void reg_mask_none_note(struct req *r)
{
  html_printf(&r->page, "<p class=\"notice\" role=\"status\">%s</p>\n",
              req_t(r, M_MASK_NONE_FOUND));
}

void reg_mask_note(struct req *r, const struct reg_masked *mk)
{
  if(mk && mk->n) {
    reg_mask_pending_note(r);
  }
  else if(mk && !r->n_errs && reg_mask_preview_asked(r)) {
    reg_mask_none_note(r);
  }
}

void reg_mask_confirm_button(struct req *r)
{
  html_printf(&r->page,
              "<button type=\"submit\" name=\"mask_confirm\" value=\"1\">%s"
              "</button> ",
              req_t(r, M_MASK_CONFIRM));
}

void reg_mask_preview_button(struct req *r)
{
  html_printf(&r->page,
              "<button type=\"submit\" name=\"mask_preview\" value=\"1\" "
              "class=\"secondary\">%s</button> ",
              req_t(r, M_MASK_PREVIEW));
}

void reg_mask_buttons(struct req *r, int pending, enum msg label,
                      const char *cls)
{
  if(pending) {
    reg_mask_confirm_button(r);
  }
  else if(cls) {
    html_printf(&r->page, "<button type=\"submit\" class=\"%s\">%s</button> ",
                cls, req_t(r, label));
  }
  else {
    html_printf(&r->page, "<button type=\"submit\">%s</button> ",
                req_t(r, label));
  }
  reg_mask_preview_button(r);
}

/* ---- revealing ---- */

/* 1 if held (space-separated role keys) has role key. */
static int has_role(const char *held, const char *key)
{
  size_t n = strlen(key);
  const char *p = held;
  while(p && *p) {
    size_t len = strcspn(p, " ");
    if(len == n && memcmp(p, key, n) == 0) {
      return 1;
    }
    p += len;
    p += *p == ' ';
  }
  return 0;
}

int reg_mask_may_reveal(struct req *r)
{
  struct account acct;
  if(!r->uid || acct_by_id(r->db, r->uid, &r->arena, &acct) || acct.disabled) {
    return 0;
  }
  return has_role(acct.roles, "officer") || has_role(acct.roles, "ciso");
}

void reg_mask_reveal_form(struct req *r, const struct reg *reg, int64_t id,
                          const struct field *f)
{
  struct html *h = &r->page;
  html_printf(h,
              "<form method=\"post\" action=\"/r/%s/%lld/reveal\" "
              "class=\"reveal\"><input type=\"hidden\" name=\"field\" "
              "value=\"%s\">",
              reg->name, (long long)id, f->name);
  page_csrf(r);
  html_printf(h,
              "<label for=\"rv-%s\">%s</label> <input id=\"rv-%s\" "
              "name=\"reason\" maxlength=\"2000\" required> "
              "<button type=\"submit\" class=\"secondary\">%s</button>"
              "</form>",
              f->name, req_t(r, M_MASK_REVEAL_REASON), f->name,
              req_t(r, M_MASK_REVEAL));
}

/*
 * The reveal's reason as the audit trail keeps it, into *out (in r's
 * arena): its personal data masked with the agency's default operator,
 * without a preview (it is a reason, not a record).  The audit trail is
 * kept longest, exported to auditors and never corrected, so it must not
 * hold personal data that can be recovered: encryption would leave there
 * what the key beside the database opens, and a keyed hash of an ID or a
 * phone number is found again by whoever holds that key by hashing every
 * possible number (a few hundred million), so both become replace there
 * (<TW_ID>).  Replace, redact and partial are kept as chosen.
 */
static enum status audit_reason(struct req *r, const char *reason,
                                const char **out)
{
  struct reg_masker m;
  struct reg_masked mk;
  enum mask_op op;
  enum status st;
  reg_masker_init(&m, r->db);
  op = m.op;
  if(op == MASK_OP_ENCRYPT || op == MASK_OP_HASH) {
    op = MASK_OP_REPLACE;
  }
  st = reg_masker_text(&m, op, reason, &r->arena, &mk);
  reg_masker_end(&m);
  *out = mk.text;
  return st;
}

void reg_reveal_page(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  int64_t id = reg ? reg_id_of_req(r) : 0;
  const char *name = req_param(r, "field");
  const char *reason = req_param(r, "reason");
  const struct field *f;
  struct record rec;
  const char *v, *text, *detail, *object, *label;
  size_t opened = 0, sealed = 0;
  char n_open[24], n_sealed[24];
  const char *args[2] = { n_open, n_sealed };
  struct html *h;
  enum status st;

  if(!id) {
    return;
  }
  st = reg_store_get(r->db, reg, id, &r->arena, &rec);
  if(st) {
    req_fail(r, st, st == ST_NOTFOUND ? M_ERR_NOT_FOUND : M_ERR_INTERNAL);
    return;
  }
  if(!reg_mask_may_reveal(r)) {
    req_fail(r, ST_FORBIDDEN, M_MASK_REVEAL_FORBIDDEN);
    return;
  }
  f = name ? reg_field(reg, name) : NULL;
  if(!f || !(f->flags & FF_MASK)) {
    req_field_error(r, "field", M_ERR_BAD_PARAM, NULL);
    req_fail(r, ST_INVALID, M_ERR_BAD_PARAM);
    return;
  }
  if(!reason || str_blank(str_c(reason))) {
    req_field_error(r, "reason", M_MASK_NEED_REASON, NULL);
    req_fail(r, ST_INVALID, M_MASK_NEED_REASON);
    return;
  }
  v = rec.v[reg_field_index(reg, f)];
  if(!v || !reg_mask_has_sealed(v)) {
    req_fail(r, ST_INVALID, M_MASK_REVEAL_NONE);
    return;
  }
  st = audit_reason(r, reason, &reason);
  if(st) {
    req_fail(r, st == ST_TOOBIG ? ST_TOOBIG : ST_INTERNAL,
             st == ST_TOOBIG ? M_ERR_TOO_BIG : M_MASK_KEY_FAILED);
    return;
  }
  if(str_blank(str_c(reason))) {
    req_field_error(r, "reason", M_MASK_NOTHING_LEFT, NULL);
    req_fail(r, ST_INVALID, M_MASK_NOTHING_LEFT);
    return;
  }
  st = reg_mask_reveal(r->db, v, &r->arena, &text, &opened, &sealed);
  if(st) {
    req_fail(r, st == ST_TOOBIG ? ST_TOOBIG : ST_INTERNAL,
             st == ST_TOOBIG ? M_ERR_TOO_BIG : M_MASK_KEY_FAILED);
    return;
  }
  /* Who, which record and field, why and how many: never the text. */
  object = arena_printf(&r->arena, "%s/%lld", reg->name, (long long)id);
  detail = arena_printf(&r->arena, "%s; %zu/%zu; %s", f->name, opened, sealed,
                        reason);
  if(!object || !detail || db_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  st = audit_append(r->db, r->login, "mask-reveal", object, detail);
  if(st || db_commit(r->db)) {
    db_rollback(r->db);
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  snprintf(n_open, sizeof(n_open), "%zu", opened);
  snprintf(n_sealed, sizeof(n_sealed), "%zu", sealed);
  label = reg_val(reg, &rec, reg->label_field);
  h =
    page_begin(r, 200, req_t_fill(r, M_MASK_REVEAL_TITLE, req_t(r, f->label)),
               reg->chapter);
  req_set_header(r, "Cache-Control", "no-store");
  html_printf(h,
              "<p class=\"crumbs\"><a href=\"/r/%s\">%s</a> › <a "
              "href=\"/r/%s/%lld\">%s</a></p>\n<h1>%s</h1>\n",
              reg->name, req_t(r, reg->title), reg->name, (long long)id,
              label ? label : "",
              req_t_fill(r, M_MASK_REVEAL_TITLE, req_t(r, f->label)));
  html_printf(h, "<p class=\"notice\" role=\"status\">");
  html_template(h, req_t(r, M_MASK_REVEALED), 2, args);
  html_printf(h, " %s</p>\n<div class=\"longtext revealed\">%s</div>\n",
              req_t(r, M_MASK_REVEAL_HINT), text);
  html_printf(h, "<p><a href=\"/r/%s/%lld\">%s</a></p>\n", reg->name,
              (long long)id, label ? label : req_t(r, reg->item));
  page_end(r);
}

/*
 * register_mask_pages.h: the pieces of the masking preview that forms
 * share (register pages, the incident report form, an incident's step
 * and timeline forms, the calendar's closing and reopening forms), and
 * revealing encrypted values (register_mask_pages.c).
 * Depends on register_mask.h and register_http.h.
 */
#ifndef ISMS_REGISTERS_REGISTER_MASK_PAGES_H
#define ISMS_REGISTERS_REGISTER_MASK_PAGES_H

#include "register_http.h"
#include "register_mask.h"

/* Declared parameters of POST /r/{reg}/{id}/reveal. */
extern const struct param_spec reg_reveal_params[];

/* The catalog name of entity e (身分證統一編號 ...), or M_NONE. */
enum msg reg_mask_entity_msg(enum mask_entity e);

/* The operator the form chose for field (parameter mask_op_<field>) into
 * *op, def when none was sent: 0, or -1 (with *op = def) when the value
 * names no operator. */
int reg_mask_op_of_req(struct req *r, const char *field, enum mask_op def,
                       enum mask_op *op);

/*
 * Mask the free text of form field field (text NULL or empty: nothing
 * found) with the operator the form chose for it (mask_op_<field>) or
 * the agency's default into *mk (in r's arena); an unknown operator is
 * an error of field (M_MASK_BAD_OP, the default used meanwhile).  For the
 * one-text forms (a closing note, a timeline entry, a step's note, a
 * reopening reason).  ST_OK or the status of reg_masker_text().
 */
enum status reg_mask_req_text(struct req *r, const char *field,
                              const char *text, struct reg_masked *mk);

/* 1 if a form whose text gave mk must come back instead of being saved:
 * mk found something that was not confirmed yet (mask_confirm=1), or a
 * preview was asked (mask_preview=1). */
int reg_mask_pending(const struct req *r, const struct reg_masked *mk);

/* 1 if the form was posted with mask_confirm=1 (and no preview asked). */
int reg_mask_confirmed(const struct req *r);

/* 1 if the form was posted with mask_preview=1. */
int reg_mask_preview_asked(const struct req *r);

/* Write the preview panel of field (its label for people) from m: the
 * masked text with each replacement in <mark data-entity=NAME>, the
 * count per entity and a select mask_op_<field> with m->op chosen.
 * Goes inside the form it previews. */
void reg_mask_panel(struct req *r, const char *field, const char *label,
                    const struct reg_masked *m);

/* What an import masked without a preview: "其中 N 處個人資料已遮蔽
 * （operator）。" and the count per entity. */
void reg_mask_import_note(struct req *r, size_t total, enum mask_op op,
                          const size_t count[MASK_N]);

/* The note above a form whose text awaits a confirmed masking. */
void reg_mask_pending_note(struct req *r);

/* The note of a preview that found nothing to mask. */
void reg_mask_none_note(struct req *r);

/* Above a form with one masked text whose masking is mk (NULL: none
 * yet): the pending note when it found something, else the none note
 * when a preview was asked and nothing else is wrong. */
void reg_mask_note(struct req *r, const struct reg_masked *mk);

/* The buttons: 「確認遮蔽並儲存」 (mask_confirm=1) and 「預覽遮蔽」
 * (mask_preview=1). */
void reg_mask_confirm_button(struct req *r);
void reg_mask_preview_button(struct req *r);

/* The buttons of a form with one masked text: 「確認遮蔽並儲存」 when its
 * masking awaits confirmation (pending), else the form's own submit
 * button labelled label (with class cls, or none when NULL); then
 * 「預覽遮蔽」. */
void reg_mask_buttons(struct req *r, int pending, enum msg label,
                      const char *cls);

/* 1 if the signed-in account holds the officer or the CISO role: the
 * people who may reveal encrypted values. */
int reg_mask_may_reveal(struct req *r);

/* The reveal form of field f of record id (a reason and the button
 * 「還原加密內容」), for the record page. */
void reg_mask_reveal_form(struct req *r, const struct reg *reg, int64_t id,
                          const struct field *f);

/* POST /r/{reg}/{id}/reveal: docs/pages/register-reveal.md. */
route_fn reg_reveal_page;

#endif

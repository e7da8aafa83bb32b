/*
 * register_http.h: what the register pages and API share: finding the
 * register and record of a request, reading list parameters, the
 * parameter allow-list hook, and the handlers' declarations for the
 * route table.  Depends on register.h, register_store.h, http.
 */
#ifndef ISMS_REGISTERS_REGISTER_HTTP_H
#define ISMS_REGISTERS_REGISTER_HTTP_H

#include "register.h"
#include "register_store.h"
#include "http/req.h"
#include "http/route.h"

/* Body limit of a record form: 20,000-character fields, percent-encoded
 * (up to 9 bytes a character), and a few of them. */
#define REG_FORM_MAX_BODY (2u << 20)

/* The register named by the {reg} path parameter; answers 404 and returns
 * NULL when there is none. */
const struct reg *reg_of_req(struct req *r);

/* The {id} path parameter; answers 404 and returns 0 when invalid. */
int64_t reg_id_of_req(struct req *r);

/* Fill q from the list parameters (q, archived, sort, dir, page,
 * per_page, f_<field>).  Unknown sort or filter fields are ignored. */
void reg_list_query(struct req *r, const struct reg *reg,
                    struct list_query *q);

/* Copy validation errors into r's field errors. */
void reg_errors_to_req(struct req *r, const struct reg_errors *errs);

/* The allow-list hook for ROUTE_REG_FIELDS routes. */
int reg_param_allowed(const struct req *r, const char *name);

/* Declared parameters of list pages and of forms. */
extern const struct param_spec reg_list_params[];
extern const struct param_spec reg_form_params[];
extern const struct param_spec reg_import_params[];
extern const struct param_spec reg_import_map_params[];

struct import_report;

/* Parts of the import pages that the two-step import shares
 * (register_pages.c): the upload forms (status 200 or 400, with rep's
 * errors when given), the error table alone, and the success page. */
void reg_import_form(struct req *r, const struct reg *reg, int status,
                     const struct import_report *rep);
void reg_import_errors(struct req *r, const struct reg *reg,
                       const struct import_report *rep);
void reg_import_done(struct req *r, const struct reg *reg,
                     const struct import_report *rep);

/*
 * Pages (register_pages.c); each route's doc file in docs/pages/ says
 * what it shows and accepts:
 *   reg_list_page        GET  /r/{reg}             list, search, filters
 *   reg_new_page         GET  /r/{reg}/new         empty form
 *   reg_create_page      POST /r/{reg}             create, 303 or 400
 *   reg_show_page        GET  /r/{reg}/{id}        record and history
 *   reg_edit_page        GET  /r/{reg}/{id}/edit   filled form
 *   reg_update_page      POST /r/{reg}/{id}        save, 303, 400 or 409
 *   reg_archive_page     POST /r/{reg}/{id}/archive
 *   reg_restore_page     POST /r/{reg}/{id}/restore
 *   reg_export_page      GET  /r/{reg}/export.csv  CSV of the list
 *   reg_import_page      GET  /r/{reg}/import      upload form
 *   reg_import_post_page POST /r/{reg}/import      all-or-nothing import
 * and the two-step import with a column mapping (register_map_pages.c):
 *   reg_import_upload_page  POST /r/{reg}/import/upload  CSV or XLSX, 303
 *   reg_import_map_page     GET  /r/{reg}/import/{id}    proposed mapping
 *   reg_import_map_post_page POST /r/{reg}/import/{id}   mapped import
 */
route_fn reg_list_page, reg_new_page, reg_create_page, reg_show_page,
  reg_edit_page, reg_update_page, reg_archive_page, reg_restore_page,
  reg_export_page, reg_import_page, reg_import_post_page,
  reg_import_upload_page, reg_import_map_page, reg_import_map_post_page;

/*
 * JSON API (register_api.c), documented in docs/api/register-*.md:
 * paged list, get, create (201), update (PATCH), archive, restore,
 * history, and CSV import.
 */
route_fn reg_list_api, reg_get_api, reg_create_api, reg_update_api,
  reg_archive_api, reg_restore_api, reg_history_api, reg_import_api;

#endif

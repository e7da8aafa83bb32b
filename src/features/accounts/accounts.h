/*
 * accounts.h: the pages, API and commands of accounts (plan 玖.二):
 * sign-in, password change, multi-factor enrolment, one's own account
 * and API tokens, and the administration of accounts, settings and the
 * audit trail.  The rules live in src/auth/.
 * Depends on auth, ui and http.
 */
#ifndef ISMS_FEATURES_ACCOUNTS_H
#define ISMS_FEATURES_ACCOUNTS_H

#include "http/route.h"
#include "registers/register.h"

/* Parameter allow-lists. */
extern const struct param_spec login_params[];
extern const struct param_spec password_params[];
extern const struct param_spec account_params[];
extern const struct param_spec mfa_params[];
extern const struct param_spec token_params[];
extern const struct param_spec user_add_params[];
extern const struct param_spec user_role_params[];
extern const struct param_spec user_disable_params[];
extern const struct param_spec settings_params[];
extern const struct param_spec audit_params[];
extern const struct param_spec priv_apply_params[];
extern const struct param_spec priv_decide_params[];
extern const struct param_spec review_open_params[];
extern const struct param_spec review_decide_params[];

/* Sign-in and one's own account (accounts_pages.c). */
route_fn login_page, login_post_page, logout_page, password_page,
  password_post_page, account_page, logout_all_page, token_create_page,
  token_revoke_page, me_api, mfa_page, mfa_post_page, enroll_page,
  enroll_post_page, codes_post_page;

/* Administration (admin_pages.c). */
route_fn users_page, user_add_page, user_page, user_role_page, user_reset_page,
  user_disable_page, user_enable_page, settings_page, settings_post_page,
  audit_page, audit_export_page;

/* Privileged-account applications and account reviews
 * (review_pages.c). */
route_fn priv_apply_page, priv_apply_post_page, priv_list_page,
  priv_decide_page, reviews_page, review_open_page, review_page,
  review_decide_page, review_close_page;

/* The register of approved password exceptions (玖.二.(二).1.(5)). */
extern const struct reg reg_pw_exception;

/* CLI commands (accounts_cli.c): isms user, token, audit, settings. */
int user_cmd(int argc, char **argv);
int token_cmd(int argc, char **argv);
int audit_cmd(int argc, char **argv);
int settings_cmd(int argc, char **argv);

#endif

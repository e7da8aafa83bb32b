/*
 * test_role_matrix.c: every route of the route table (src/routes.c) for
 * every role of the role table (auth/roles.def), and for nobody, against
 * an expectation written here from PRODUCT.md's role descriptions and the
 * plan (伍 推動組織, 玖.二.(二)/(四)), not copied from roles.def.  Register
 * routes are tried on every register, and the register permissions on
 * every area.  A route or a role that this file does not know makes the
 * test fail, so that a new one forces a decision here.
 * Depends on cmocka, auth/{auth,roles}, http/route and registers/register.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "auth/roles.h"
#include "http/route.h"
#include "registers/register.h"

/* What a route is for, and so who may use it. */
enum need {
  N_PUBLIC = 1, /* anyone, signed in or not */
  N_PENDING,    /* any signed-in account, even one that owes a step */
  N_USER,       /* any signed-in account that owes no step */
  N_READ,       /* read the register's area */
  N_WRITE,      /* write the register's area */
  N_USERS,      /* administer accounts */
  N_SETTINGS,   /* change settings and the password policy */
  N_AUDIT,      /* read the audit trail */
  N_APPROVE,    /* approve privileged-account applications */
  N_REVIEW,     /* run account reviews */
};

/* Every route, by method and pattern, with what it is for. */
static const struct {
  enum http_method method;
  const char *pattern;
  enum need need;
} want_routes[] = {
  /* The shell and signing in: open to all. */
  { HTTP_GET, "/static/{file}", N_PUBLIC },
  { HTTP_POST, "/lang", N_PUBLIC },
  { HTTP_GET, "/api/v1/health", N_PUBLIC },
  { HTTP_GET, "/login", N_PUBLIC },
  { HTTP_POST, "/login", N_PUBLIC },
  /* The steps a session may owe (password change, MFA) and leaving. */
  { HTTP_POST, "/logout", N_PENDING },
  { HTTP_GET, "/account/password", N_PENDING },
  { HTTP_POST, "/account/password", N_PENDING },
  { HTTP_GET, "/login/mfa", N_PENDING },
  { HTTP_POST, "/login/mfa", N_PENDING },
  { HTTP_GET, "/account/mfa", N_PENDING },
  { HTTP_POST, "/account/mfa", N_PENDING },
  /* One's own account: everybody signed in, once the steps are done. */
  { HTTP_GET, "/", N_USER },
  { HTTP_GET, "/account", N_USER },
  { HTTP_POST, "/account/logout-all", N_USER },
  { HTTP_POST, "/account/tokens", N_USER },
  { HTTP_POST, "/account/tokens/{id}/revoke", N_USER },
  { HTTP_GET, "/api/v1/me", N_USER },
  { HTTP_POST, "/account/mfa/codes", N_USER },
  /* Anyone may apply for a privileged account (玖.二.(四).1). */
  { HTTP_GET, "/account/privileged", N_USER },
  { HTTP_POST, "/account/privileged", N_USER },
  /* Account administration. */
  { HTTP_GET, "/admin/users", N_USERS },
  { HTTP_POST, "/admin/users", N_USERS },
  { HTTP_GET, "/admin/users/{id}", N_USERS },
  { HTTP_POST, "/admin/users/{id}/roles", N_USERS },
  { HTTP_POST, "/admin/users/{id}/reset", N_USERS },
  { HTTP_POST, "/admin/users/{id}/disable", N_USERS },
  { HTTP_POST, "/admin/users/{id}/enable", N_USERS },
  /* Settings and the password policy. */
  { HTTP_GET, "/admin/settings", N_SETTINGS },
  { HTTP_POST, "/admin/settings", N_SETTINGS },
  /* The audit trail, read and exported. */
  { HTTP_GET, "/admin/audit", N_AUDIT },
  { HTTP_GET, "/admin/audit.jsonl", N_AUDIT },
  /* Approving privileged accounts (CISO). */
  { HTTP_GET, "/admin/privileged", N_APPROVE },
  { HTTP_POST, "/admin/privileged/{id}/decide", N_APPROVE },
  /* Account reviews (玖.二.(二).3, (四).5). */
  { HTTP_GET, "/admin/reviews", N_REVIEW },
  { HTTP_POST, "/admin/reviews", N_REVIEW },
  { HTTP_GET, "/admin/reviews/{id}", N_REVIEW },
  { HTTP_POST, "/admin/reviews/{id}/decide", N_REVIEW },
  { HTTP_POST, "/admin/reviews/{id}/close", N_REVIEW },
  /* Registers: reading lists, records, exports and history … */
  { HTTP_GET, "/r/{reg}", N_READ },
  { HTTP_GET, "/r/{reg}/export.csv", N_READ },
  { HTTP_GET, "/r/{reg}/{id}", N_READ },
  { HTTP_GET, "/api/v1/{reg}", N_READ },
  { HTTP_GET, "/api/v1/{reg}/{id}", N_READ },
  { HTTP_GET, "/api/v1/{reg}/{id}/history", N_READ },
  /* … and every form and change, including the forms' pages. */
  { HTTP_GET, "/r/{reg}/new", N_WRITE },
  { HTTP_POST, "/r/{reg}", N_WRITE },
  { HTTP_GET, "/r/{reg}/import", N_WRITE },
  { HTTP_POST, "/r/{reg}/import", N_WRITE },
  { HTTP_POST, "/r/{reg}/import/upload", N_WRITE },
  { HTTP_GET, "/r/{reg}/import/{id}", N_WRITE },
  { HTTP_POST, "/r/{reg}/import/{id}", N_WRITE },
  { HTTP_GET, "/r/{reg}/{id}/edit", N_WRITE },
  { HTTP_POST, "/r/{reg}/{id}", N_WRITE },
  { HTTP_POST, "/r/{reg}/{id}/archive", N_WRITE },
  { HTTP_POST, "/r/{reg}/{id}/restore", N_WRITE },
  /* Revealing encrypted personal data: the register's readers reach it,
   * the handler lets only the officer and the CISO through (issue 7). */
  { HTTP_POST, "/r/{reg}/{id}/reveal", N_READ },
  /* Grading and the baseline of a system, in the asset area; the CISO
   * approves a grading. */
  { HTTP_GET, "/r/{reg}/{id}/grading", N_READ },
  { HTTP_POST, "/r/{reg}/{id}/grading", N_WRITE },
  { HTTP_POST, "/r/{reg}/{id}/grading/decide", N_APPROVE },
  { HTTP_GET, "/r/{reg}/{id}/baseline", N_READ },
  { HTTP_POST, "/r/{reg}/{id}/baseline", N_WRITE },
  { HTTP_GET, "/r/{reg}/gaps", N_READ },
  /* The risk register report of an assessment; the CISO accepts a
   * risk. */
  { HTTP_GET, "/r/{reg}/{id}/report", N_READ },
  { HTTP_POST, "/r/{reg}/{id}/accept", N_APPROVE },
  /* Form 7, the reference entries and the agency's risk types, read
   * with the risk register. */
  { HTTP_GET, "/r/{reg}/catalog", N_READ },
  /* Incidents (壹拾): the assessment, steps and timeline with the
   * incident area's write right, the CISO confirms a different level,
   * and every signed-in user may report a suspected incident. */
  { HTTP_GET, "/r/{reg}/open", N_READ },
  { HTTP_GET, "/r/{reg}/{id}/assess", N_READ },
  { HTTP_POST, "/r/{reg}/{id}/assess", N_WRITE },
  { HTTP_POST, "/r/{reg}/{id}/level", N_APPROVE },
  { HTTP_POST, "/r/{reg}/{id}/step", N_WRITE },
  { HTTP_POST, "/r/{reg}/{id}/timeline", N_WRITE },
  { HTTP_GET, "/r/{reg}/{id}/evidence", N_READ },
  { HTTP_GET, "/r/{reg}/{id}/notification", N_READ },
  { HTTP_GET, "/r/{reg}/{id}/report.odt", N_READ },
  { HTTP_GET, "/r/{reg}/{id}/report.pdf", N_READ },
  { HTTP_GET, "/incident/report", N_USER },
  { HTTP_POST, "/incident/report", N_USER },
  /* The compliance calendar (肆, 玖, 壹拾伍): under the duty register, so
   * the plan area's readers see it; closing and reopening need the
   * occurrence's owner role or the officer's or the CISO's rights,
   * which the handler checks on top. */
  { HTTP_GET, "/r/{reg}/calendar", N_READ },
  { HTTP_GET, "/r/{reg}/calendar/{id}", N_READ },
  { HTTP_POST, "/r/{reg}/calendar/{id}/close", N_READ },
  { HTTP_POST, "/r/{reg}/calendar/{id}/reopen", N_READ },
  { HTTP_GET, "/r/{reg}/calendar/{id}/evidence", N_READ },
  /* The CISO's dashboard: each part shows what the account may read. */
  { HTTP_GET, "/dashboard", N_USER },
  /* Reminders (issue 6): one's own notifications and calendar feed
   * address, for every signed-in account; the feed itself is public,
   * its secret address being the credential; the mail queue goes with
   * the mail settings. */
  { HTTP_GET, "/notices", N_USER },
  { HTTP_POST, "/notices/read-all", N_USER },
  { HTTP_POST, "/notices/{id}/read", N_USER },
  { HTTP_GET, "/account/calendar-feed", N_USER },
  { HTTP_POST, "/account/calendar-feed", N_USER },
  { HTTP_POST, "/account/calendar-feed/revoke", N_USER },
  { HTTP_GET, "/feed/{file}", N_PUBLIC },
  { HTTP_GET, "/admin/mail", N_SETTINGS },
  /* Asset labels and the yearly inventory (柒.一): owners record their
   * assets with the asset area's write right. */
  { HTTP_GET, "/r/{reg}/labels", N_READ },
  /* Form 5 as a spreadsheet (柒.一.3). */
  { HTTP_GET, "/r/{reg}/form5.xlsx", N_READ },
  { HTTP_GET, "/r/{reg}/form5.ods", N_READ },
  { HTTP_GET, "/r/{reg}/form5.csv", N_READ },
  { HTTP_GET, "/r/{reg}/inventory", N_READ },
  { HTTP_POST, "/r/{reg}/inventory", N_WRITE },
  { HTTP_POST, "/r/{reg}/inventory/close", N_WRITE },
  { HTTP_POST, "/r/{reg}/{id}/confirm", N_WRITE },
  /* The goals computed from records (肆.二.(一)): read with the goal
   * metrics (the plan area); a social-engineering drill's results are
   * imported with the incident area's write right, as the drill is
   * kept. */
  { HTTP_GET, "/r/{reg}/kpi", N_READ },
  { HTTP_POST, "/r/{reg}/{id}/results", N_WRITE },
  { HTTP_POST, "/api/v1/{reg}", N_WRITE },
  { HTTP_POST, "/api/v1/{reg}/import", N_WRITE },
  { HTTP_PATCH, "/api/v1/{reg}/{id}", N_WRITE },
  { HTTP_POST, "/api/v1/{reg}/{id}/archive", N_WRITE },
  { HTTP_POST, "/api/v1/{reg}/{id}/restore", N_WRITE },
};

/* Areas as a set. */
#define A(x)  (1u << (x))
#define PLAN  A(AREA_PLAN)
#define ASSET A(AREA_ASSET)
#define INC   A(AREA_INCIDENT)
#define REV   A(AREA_REVIEW)
#define TRAIN A(AREA_TRAINING)
#define VEND  A(AREA_VENDOR)
#define ALL   (PLAN | ASSET | INC | REV | TRAIN | VEND)

/* What each role may do, from PRODUCT.md "Who uses it" and the plan. */
static const struct {
  const char *name; /* the role */
  int privileged;   /* held by a privileged account */
  unsigned read;    /* areas it reads */
  unsigned write;   /* areas it writes */
  int users, settings, audit, approve, review;
} want_roles[] = {
  /* 資通安全長: sees everything, approves (privileged accounts among
   * them), reads the trail; neither administers nor keeps registers.
   * Reviews of privileged accounts go with approving them. */
  { "ciso", 0, ALL, 0, 0, 0, 1, 1, 1 },
  /* 資通安全專職人員: day-to-day owner of the programme: keeps every
   * register, reads the trail, no account administration. */
  { "officer", 0, ALL, PLAN | ASSET | INC | REV | TRAIN | VEND, 0, 0, 1, 0,
    0 },
  /* 推動小組 groups: each keeps its own registers (伍.(二)); as members of
   * the team that coordinates the whole programme they read all. */
  { "strategy", 0, ALL, PLAN, 0, 0, 0, 0, 0 },
  { "protection", 0, ALL, ASSET | INC | VEND, 0, 0, 0, 0, 0 },
  { "performance", 0, ALL, REV, 0, 0, 0, 0, 0 },
  /* 資訊人員: systems and their assets. */
  { "it", 0, PLAN | ASSET | INC, ASSET, 0, 0, 0, 0, 0 },
  /* All staff: the plan and policy. */
  { "staff", 0, PLAN, 0, 0, 0, 0, 0, 0 },
  /* 稽核人員: read all, record audits, read the trail. */
  { "auditor", 0, ALL, REV, 0, 0, 1, 0, 0 },
  /* 委外廠商: only what concerns contractors. */
  { "contractor", 0, VEND, 0, 0, 0, 0, 0, 0 },
  /* 上級機關: read-only: plan, incidents, reports and reviews. */
  { "superior", 0, PLAN | INC | REV, 0, 0, 0, 0, 0, 0 },
  /* 系統管理者 on a separate privileged account: accounts and settings,
   * reads everything and the trail, keeps no register; reviews accounts
   * (玖.二.(二).3, (四).5). */
  { "admin", 1, ALL, 0, 1, 1, 1, 0, 1 },
};

#define N_WANT_ROUTES (sizeof(want_routes) / sizeof(want_routes[0]))
#define N_WANT_ROLES  (sizeof(want_roles) / sizeof(want_roles[0]))

static const char *need_name(enum need n)
{
  static const char *const names[] = {
    "?",     "public",   "pending", "user",    "read",   "write",
    "users", "settings", "audit",   "approve", "review",
  };
  return (size_t)n < sizeof(names) / sizeof(names[0]) ? names[n] : "?";
}

/* The expected answer for role r (or nobody when r < 0) and need in area
 * (ignored unless N_READ or N_WRITE). */
static int expect(int r, enum need need, int area)
{
  if(need == N_PUBLIC) {
    return 1;
  }
  if(r < 0) {
    return 0;
  }
  switch(need) {
  case N_PUBLIC:
    return 1;
  case N_PENDING:
  case N_USER:
    return 1;
  case N_READ:
    return area < 0 || (want_roles[r].read & A(area)) != 0;
  case N_WRITE:
    return area < 0 || (want_roles[r].write & A(area)) != 0;
  case N_USERS:
    return want_roles[r].users;
  case N_SETTINGS:
    return want_roles[r].settings;
  case N_AUDIT:
    return want_roles[r].audit;
  case N_APPROVE:
    return want_roles[r].approve;
  case N_REVIEW:
    return want_roles[r].review;
  }
  return 0;
}

/* The rights of an account holding only role r. */
static uint64_t rights_of_role(int r)
{
  struct account a;

  memset(&a, 0, sizeof(a));
  a.login = "someone";
  a.roles = want_roles[r].name;
  a.privileged = want_roles[r].privileged;
  return auth_rights_of(&a);
}

/* Index in want_routes of route rt, or -1. */
static int find_route(const struct route *rt)
{
  size_t i;

  for(i = 0; i < N_WANT_ROUTES; i++) {
    if(want_routes[i].method == rt->method &&
       strcmp(want_routes[i].pattern, rt->pattern) == 0) {
      return (int)i;
    }
  }
  return -1;
}

/* Index in want_roles of name, or -1. */
static int find_role(const char *name)
{
  size_t i;

  for(i = 0; i < N_WANT_ROLES; i++) {
    if(strcmp(want_roles[i].name, name) == 0) {
      return (int)i;
    }
  }
  return -1;
}

static int setup(void **state)
{
  (void)state;
  auth_reg_area = reg_area;
  return 0;
}

/* Both tables are complete, both ways. */
static void test_tables_complete(void **state)
{
  size_t i, j;
  int bad = 0;

  (void)state;
  for(i = 0; i < n_routes; i++) {
    if(routes[i].perm == PERM_INVALID) {
      print_error("route %s has no permission\n", routes[i].pattern);
      bad++;
    }
    if(find_route(&routes[i]) < 0) {
      print_error("route %d %s is not in want_routes: decide who may use "
                  "it\n",
                  (int)routes[i].method, routes[i].pattern);
      bad++;
    }
  }
  for(i = 0; i < N_WANT_ROUTES; i++) {
    int found = 0;
    for(j = 0; j < n_routes; j++) {
      found |= routes[j].method == want_routes[i].method &&
               strcmp(routes[j].pattern, want_routes[i].pattern) == 0;
    }
    if(!found) {
      print_error("want_routes has %s, which is no longer a route\n",
                  want_routes[i].pattern);
      bad++;
    }
  }
  for(i = 0; i < n_roles; i++) {
    int r = find_role(roles[i].name);
    if(r < 0) {
      print_error("role %s is not in want_roles: decide what it may do\n",
                  roles[i].name);
      bad++;
    }
    else if(want_roles[r].privileged != ((roles[i].flags & ROLE_PRIV) != 0)) {
      print_error("role %s: privileged-only is %d, want %d\n", roles[i].name,
                  (roles[i].flags & ROLE_PRIV) != 0, want_roles[r].privileged);
      bad++;
    }
  }
  for(i = 0; i < N_WANT_ROLES; i++) {
    if(!role_find(want_roles[i].name)) {
      print_error("want_roles has %s, which is no longer a role\n",
                  want_roles[i].name);
      bad++;
    }
  }
  assert_int_equal(bad, 0);
}

/* Every route × every role (× every register for register routes), and
 * nobody. */
static void test_route_matrix(void **state)
{
  size_t i, k;
  int bad = 0, checked = 0;

  (void)state;
  assert_true(n_registers > 0);
  for(i = 0; i < n_routes; i++) {
    const struct route *rt = &routes[i];
    int w = find_route(rt), r;
    int is_reg = strstr(rt->pattern, "{reg}") != NULL;
    enum need need;
    if(w < 0) {
      bad++; /* reported by test_tables_complete */
      continue;
    }
    need = want_routes[w].need;
    /* A step page must be reachable mid-step, and nothing else may be:
     * auth_allows() cannot tell these apart, the declaration must. */
    if((need == N_PENDING && rt->perm != PERM_PENDING) ||
       (need == N_USER && rt->perm != PERM_USER) ||
       (need == N_PUBLIC && rt->perm != PERM_PUBLIC)) {
      print_error("%s: declared %d, want %s\n", rt->pattern, (int)rt->perm,
                  need_name(need));
      bad++;
    }
    /* A register route reads or writes it, or approves what is in it
     * (a grading); other routes never take {reg}. */
    if(is_reg ? !(need == N_READ || need == N_WRITE || need == N_APPROVE) :
                (need == N_READ || need == N_WRITE)) {
      print_error("%s: a register route is for reading or writing it\n",
                  rt->pattern);
      bad++;
    }
    for(r = -1; r < (int)N_WANT_ROLES; r++) {
      const char *who = r < 0 ? "nobody" : want_roles[r].name;
      uint64_t rights = r < 0 ? 0 : rights_of_role(r);
      for(k = 0; k < (is_reg ? n_registers : 1); k++) {
        int area = is_reg ? registers[k]->area : -1;
        int got = auth_allows(r >= 0, rights, rt->perm, area);
        int want = expect(r, need, area);
        checked++;
        if(got != want) {
          print_error("%-11s %s%s%s: %s, want %s (%s)\n", who, rt->pattern,
                      is_reg ? " reg " : "", is_reg ? registers[k]->name : "",
                      got ? "allowed" : "denied", want ? "allowed" : "denied",
                      need_name(need));
          bad++;
        }
      }
    }
    /* Nobody is nobody, whatever rights are passed along. */
    if(need != N_PUBLIC &&
       auth_allows(0, ~UINT64_C(0), rt->perm, is_reg ? 0 : -1)) {
      print_error("%s: allowed without an account\n", rt->pattern);
      bad++;
    }
  }
  print_message("%d route, role and register combinations checked\n", checked);
  assert_true(checked >= (int)(n_routes * (N_WANT_ROLES + 1)));
  assert_int_equal(bad, 0);
}

/* The register permissions on every area, including areas that have no
 * register yet, so that a role's rights are right before one appears. */
static void test_area_matrix(void **state)
{
  int r, area, bad = 0;

  (void)state;
  for(r = 0; r < (int)N_WANT_ROLES; r++) {
    uint64_t rights = rights_of_role(r);
    for(area = 0; area < AREA_COUNT_; area++) {
      int got_r = auth_allows(1, rights, PERM_REG_READ, area);
      int got_w = auth_allows(1, rights, PERM_REG_WRITE, area);
      if(got_r != expect(r, N_READ, area)) {
        print_error("%s reading area %d: %s\n", want_roles[r].name, area,
                    got_r ? "allowed, want denied" : "denied, want allowed");
        bad++;
      }
      if(got_w != expect(r, N_WRITE, area)) {
        print_error("%s writing area %d: %s\n", want_roles[r].name, area,
                    got_w ? "allowed, want denied" : "denied, want allowed");
        bad++;
      }
      /* Whoever writes an area reads it. */
      if(got_w && !got_r) {
        print_error("%s writes area %d without reading it\n",
                    want_roles[r].name, area);
        bad++;
      }
    }
    /* An unknown register: allowed, so that it answers 404. */
    assert_int_equal(auth_allows(1, rights, PERM_REG_READ, -1), 1);
    assert_int_equal(auth_allows(1, rights, PERM_REG_WRITE, -1), 1);
  }
  assert_int_equal(auth_allows(0, 0, PERM_REG_READ, -1), 0);
  assert_int_equal(auth_allows(0, 0, PERM_REG_WRITE, -1), 0);
  /* Every register names a real area, and the hook agrees. */
  for(r = 0; r < (int)n_registers; r++) {
    assert_true(registers[r]->area >= 0 && registers[r]->area < AREA_COUNT_);
    assert_int_equal(reg_area(registers[r]->name), registers[r]->area);
  }
  assert_int_equal(reg_area("no_such_register"), -1);
  assert_int_equal(bad, 0);
}

/* Rights come from the account: privileged roles need a privileged
 * account, disabled accounts have none, roles add up. */
static void test_rights_of(void **state)
{
  struct account a;
  uint64_t rights;
  int staff = find_role("staff"), contractor = find_role("contractor");

  (void)state;
  memset(&a, 0, sizeof(a));
  a.login = "someone";

  /* The admin role on a daily (non-privileged) account: no account
   * administration, no settings (玖.二.(四).3). */
  a.roles = "admin";
  a.privileged = 0;
  rights = auth_rights_of(&a);
  assert_int_equal(rights & (RIGHT_USERS | RIGHT_SETTINGS), 0);
  assert_int_equal(auth_allows(1, rights, PERM_USERS, -1), 0);
  assert_int_equal(auth_allows(1, rights, PERM_SETTINGS, -1), 0);
  /* The same role on a privileged account has them. */
  a.privileged = 1;
  rights = auth_rights_of(&a);
  assert_int_equal(auth_allows(1, rights, PERM_USERS, -1), 1);
  assert_int_equal(auth_allows(1, rights, PERM_SETTINGS, -1), 1);
  /* Disabled: nothing at all. */
  a.disabled = 1;
  assert_int_equal(auth_rights_of(&a), 0);
  a.disabled = 0;

  /* No role, an unknown role, an empty list: nothing. */
  a.privileged = 0;
  a.roles = "";
  assert_int_equal(auth_rights_of(&a), 0);
  a.roles = NULL;
  assert_int_equal(auth_rights_of(&a), 0);
  a.roles = "root";
  assert_int_equal(auth_rights_of(&a), 0);
  a.roles = "staf";
  assert_int_equal(auth_rights_of(&a), 0);
  a.roles = "staffs";
  assert_int_equal(auth_rights_of(&a), 0);

  /* Two roles: what either allows. */
  assert_true(staff >= 0 && contractor >= 0);
  a.roles = "staff contractor";
  rights = auth_rights_of(&a);
  assert_int_equal(auth_allows(1, rights, PERM_REG_READ, AREA_PLAN),
                   expect(staff, N_READ, AREA_PLAN) ||
                     expect(contractor, N_READ, AREA_PLAN));
  assert_int_equal(auth_allows(1, rights, PERM_REG_READ, AREA_VENDOR),
                   expect(staff, N_READ, AREA_VENDOR) ||
                     expect(contractor, N_READ, AREA_VENDOR));
  assert_int_equal(auth_allows(1, rights, PERM_REG_READ, AREA_ASSET), 0);
  assert_int_equal(auth_allows(1, rights, PERM_REG_WRITE, AREA_VENDOR), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_tables_complete),
    cmocka_unit_test(test_route_matrix),
    cmocka_unit_test(test_area_matrix),
    cmocka_unit_test(test_rights_of),
  };

  return cmocka_run_group_tests(tests, setup, NULL);
}

/*
 * calendar_registers.c: the register of the agency's own duties (the
 * catalog's duties come from data/rules/obligations.json): name, plan
 * chapter, owner group, frequency with its first due date, basis and
 * what evidence fits.  The table comes from
 * src/db/migrations/0016_calendar.sql; occurrences are generated from it
 * by calendar.c.
 */
#include "calendar.h"
#include "auth/roles.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct field_opt chapter_opts[] = {
  { "4", M_CH_4 },   { "5", M_CH_5 },   { "6", M_CH_6 },   { "7", M_CH_7 },
  { "8", M_CH_8 },   { "9", M_CH_9 },   { "10", M_CH_10 }, { "11", M_CH_11 },
  { "12", M_CH_12 }, { "13", M_CH_13 }, { "14", M_CH_14 }, { "15", M_CH_15 },
  { "16", M_CH_16 }, { "17", M_CH_17 }, { NULL, M_NONE },
};

/* The groups a duty may be given to: the roles that do plan work. */
static const struct field_opt owner_opts[] = {
  { "officer", M_ROLE_OFFICER },
  { "strategy", M_ROLE_STRATEGY },
  { "protection", M_ROLE_PROTECTION },
  { "performance", M_ROLE_PERFORMANCE },
  { "it", M_ROLE_IT },
  { "ciso", M_ROLE_CISO },
  { NULL, M_NONE },
};

static const struct field_opt frequency_opts[] = {
  { "once", M_FREQ_ONCE },
  { "monthly", M_FREQ_MONTHLY },
  { "quarterly", M_FREQ_QUARTERLY },
  { "half_yearly", M_FREQ_HALF_YEARLY },
  { "yearly", M_FREQ_YEARLY },
  { "years", M_FREQ_YEARS },
  { NULL, M_NONE },
};

static const struct field duty_fields[] = {
  { "name", FT_TEXT, M_F_DUTY_NAME, M_NONE,
    FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, 0, 200, NULL, NULL },
  { "chapter", FT_ENUM, M_F_DUTY_CHAPTER, M_NONE,
    FF_REQUIRED | FF_LIST | FF_FILTER, 0, 0, chapter_opts, NULL },
  { "owner", FT_ENUM, M_F_DUTY_OWNER, M_H_DUTY_OWNER,
    FF_REQUIRED | FF_LIST | FF_FILTER, 0, 0, owner_opts, NULL },
  { "frequency", FT_ENUM, M_F_DUTY_FREQUENCY, M_NONE,
    FF_REQUIRED | FF_LIST | FF_FILTER, 0, 0, frequency_opts, NULL },
  { "years", FT_INT, M_F_DUTY_YEARS, M_H_DUTY_YEARS, 0, 2, 10, NULL, NULL },
  { "first_due", FT_DATE, M_F_DUTY_FIRST_DUE, M_H_DUTY_FIRST_DUE,
    FF_REQUIRED | FF_LIST, 0, 0, NULL, NULL },
  { "basis", FT_TEXT, M_F_DUTY_BASIS, M_NONE, FF_SEARCH, 0, 200, NULL, NULL },
  { "evidence_hint", FT_TEXT, M_F_DUTY_EVIDENCE, M_H_DUTY_EVIDENCE, FF_SEARCH,
    0, 200, NULL, NULL },
};

/* Every N years needs N; other frequencies take none. */
static void duty_check(const struct reg *reg, struct db *db, const char **v,
                       struct reg_errors *errs)
{
  const char **freq = reg_slot(reg, v, "frequency");
  const char **years = reg_slot(reg, v, "years");
  (void)db;
  if(!freq || !*freq || !years) {
    return;
  }
  if(strcmp(*freq, "years") == 0 && !*years) {
    reg_error(errs, "years", M_ERR_DUTY_YEARS);
  }
  else if(strcmp(*freq, "years") != 0 && *years) {
    reg_error(errs, "years", M_ERR_DUTY_NO_YEARS);
  }
}

const struct reg reg_duty = {
  "duty",      M_R_DUTY,       M_I_DUTY,       M_S_DUTY, 15,
  duty_fields, N(duty_fields), "name",         "name",   duty_check,
  "name",      AREA_PLAN,      cal_duty_links, NULL,     NULL,
};

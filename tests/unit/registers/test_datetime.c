/*
 * test_datetime.c: FT_DATETIME fields (incident times, issue 5): what
 * input is accepted, the UTC instant it is stored as (typed times are
 * Asia/Taipei, UTC+8 all year), and what is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "registers/register.h"

static const struct field fields[] = {
  { "at", FT_DATETIME, M_F_WHEN, M_NONE, 0, 0, 0, NULL, NULL },
};

static const struct reg reg_t = {
  "t",  M_R_SYSTEM, M_I_SYSTEM, M_S_SYSTEM, 10,   fields, 1,    "at",
  NULL, NULL,       NULL,       0,          NULL, NULL,   NULL,
};

/* The stored form of in, or NULL with *msg set when refused. */
static const char *check(struct arena *a, const char *in, enum msg *msg)
{
  const char *vin[1] = { in }, *out[1] = { NULL };
  struct reg_errors errs;
  reg_errors_init(&errs, a);
  reg_validate(&reg_t, NULL, vin, out, a, &errs);
  *msg = errs.n ? errs.items[0].msg : M_NONE;
  return errs.n ? NULL : out[0];
}

static void test_accepted(void **state)
{
  static const struct {
    const char *in, *stored;
  } cases[] = {
    /* Taipei time, ISO date, minutes or seconds, space or T. */
    { "2026-11-24 14:30", "2026-11-24T06:30:00Z" },
    { "2026-11-24T14:30", "2026-11-24T06:30:00Z" },
    { "2026-11-24 14:30:59", "2026-11-24T06:30:59Z" },
    /* Just after midnight in Taipei is the day before in UTC. */
    { "2026-01-05 00:00", "2026-01-04T16:00:00Z" },
    { "2028-03-01 07:59", "2028-02-29T23:59:00Z" },
    /* ROC dates, as officials write them. */
    { "115/11/24 14:30", "2026-11-24T06:30:00Z" },
    { "115-01-05 08:00", "2026-01-05T00:00:00Z" },
    { "民國115年1月5日 08:00", "2026-01-05T00:00:00Z" },
    /* The storage form itself (JSON API, CSV round trip) is UTC. */
    { "2026-11-24T06:30:00Z", "2026-11-24T06:30:00Z" },
    /* Surrounding blanks and full-width digits are folded. */
    { "  2026-11-24 14:30 ", "2026-11-24T06:30:00Z" },
    { "２０２６-１１-２４ １４:３０", "2026-11-24T06:30:00Z" },
  };
  struct arena a;
  size_t i;
  (void)state;
  arena_init(&a, 1u << 16);
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    enum msg m;
    const char *got = check(&a, cases[i].in, &m);
    if(!got || strcmp(got, cases[i].stored) != 0) {
      fail_msg("%s: got %s, want %s", cases[i].in, got ? got : "(refused)",
               cases[i].stored);
    }
  }
  arena_reset(&a);
}

static void test_refused(void **state)
{
  static const char *const cases[] = {
    "2026-11-24",       /* a date is not an instant */
    "14:30",            /* nor is a time */
    "2026-11-24 24:00", /* hour out of range */
    "2026-11-24 14:60", /* minute out of range */
    "2026-11-24 14:30:60",
    "2026-02-29 10:00", /* not a leap year */
    "2026-11-24 1430",
    "2026-11-24 14:3",
    "2026-11-24 14:30:5",
    "2026-11-24  14:30x",
    "2026-13-01 10:00",
    "115/02/30 10:00",
    "2026-11-24T06:30:00+08:00", /* offsets other than Z are not read */
    "tomorrow",
    "2026-11-24 14:30 +8",
  };
  struct arena a;
  size_t i;
  (void)state;
  arena_init(&a, 1u << 16);
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    enum msg m = M_NONE;
    const char *got = check(&a, cases[i], &m);
    if(got || m != M_ERR_DATETIME) {
      fail_msg("%s: accepted as %s (message %d)", cases[i], got ? got : "-",
               (int)m);
    }
  }
  arena_reset(&a);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_accepted),
    cmocka_unit_test(test_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

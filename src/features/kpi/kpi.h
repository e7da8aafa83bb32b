/*
 * kpi.h: the quantitative goals of plan 肆.二.(一) computed from records
 * (issue 6, item 5), and the outage log (register outage, plan 玖) they
 * need:
 *   - availability per system and agency-wide = 1 − unplanned downtime ÷
 *     operating time, time-weighted, planned maintenance taken out of
 *     the operating time, by Asia/Taipei calendar month and year;
 *   - incident timeliness: the share of incidents whose legal clocks
 *     (通報, 損害控制或復原, 調查處理改善報告) were met, per ROC year of
 *     awareness;
 *   - social-engineering drill rates over unique recipients, from the
 *     provider's file imported on the drill (郵件開啟率, 附件點閱率).
 * A goal metric (register goal_metric) names the value it is measured
 * by (its field kpi); a tile compares that value with the metric's
 * comparator and target.  The computations are pure functions (tested
 * without a database); kpi_store.c reads the rows.
 * Depends on core, registers, the incident, drill, system and goal
 * registers (through their headers) and ui.
 */
#ifndef ISMS_FEATURES_KPI_KPI_H
#define ISMS_FEATURES_KPI_KPI_H

#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "features/incidents/incidents.h"
#include "http/route.h"
#include "registers/register.h"

struct db;
struct arena;
struct buf;

extern const struct reg reg_outage;

/* ---- availability ---- */

/* The end of an interruption that still lasts: it counts up to the end
 * of whatever window it is clipped to (never past now). */
#define KPI_ONGOING INT64_MAX

/* One interruption of one system's service. */
struct kpi_outage {
  int64_t from;   /* start, UTC seconds */
  int64_t to;     /* end (after from), or KPI_ONGOING */
  int is_planned; /* 1: planned maintenance; 0: unplanned downtime */
};

/* Availability over a window. */
struct kpi_avail {
  int has_value;     /* 0 when there is no operating time: a period in
                        the future or before the system existed, or
                        one spent wholly in maintenance */
  int64_t down;      /* seconds of unplanned downtime outside
                        maintenance */
  int64_t operating; /* seconds of the window minus maintenance */
  double value;      /* percent: 100 × (1 − down ÷ operating) */
};

/*
 * The availability of one system over the period [from, to) (UTC
 * seconds), counted from since (when the system existed: the earlier of
 * its record's creation and its first outage) and up to now at most:
 * the window is [max(from, since), min(to, now)).  The outages o[0..n)
 * (any order, any overlap) are clipped to the window; overlapping ones
 * are merged (a union), so no second is counted twice; maintenance
 * comes off the operating time, and unplanned downtime counts only
 * outside maintenance.  Scratch memory comes from a: ST_NOMEM when it is
 * full, else ST_OK with *out set (has_value 0 for an empty window or no
 * operating time).
 */
enum status kpi_availability(const struct kpi_outage *o, size_t n,
                             int64_t since, int64_t from, int64_t to,
                             int64_t now, struct arena *a,
                             struct kpi_avail *out);

/* Add one system's availability into sum (agency-wide: Σ downtime ÷
 * Σ operating time) and recompute sum's value; one without a value adds
 * nothing. */
void kpi_avail_add(struct kpi_avail *sum, const struct kpi_avail *one);

/* The instants where Asia/Taipei calendar month month of year (1..12)
 * begins and where the next one begins. */
void kpi_month(int year, int month, int64_t *from, int64_t *to);

/* The same for a calendar year. */
void kpi_year(int year, int64_t *from, int64_t *to);

/* ---- social-engineering drill results ---- */

/* The largest results file accepted, in bytes, and its most lines. */
#define KPI_RESULTS_MAX_BYTES (4u << 20)
#define KPI_RESULTS_MAX_ROWS  50000

/* The longest recipient (an e-mail address or an employee id). */
#define KPI_RECIPIENT_MAX 254

/* One event line of a provider's results file. */
struct kpi_phish_row {
  const char *recipient; /* trimmed, ASCII letters in lower case */
  int opened;            /* the mail was opened */
  int clicked;           /* a link or the attachment was clicked */
  size_t line;           /* the file's line */
};

/* A drill's rates over unique recipients. */
struct kpi_phish {
  size_t events;     /* lines */
  size_t recipients; /* unique recipients */
  size_t opened;     /* recipients with an open or a click on any line */
  size_t clicked;    /* recipients with a click on any line */
};

/*
 * Read a provider's results file (CSV, UTF-8 with or without a BOM): a
 * header row naming the columns recipient (收件人, 收件者, 電子郵件,
 * e-mail, email, 員工編號, employee id), opened (開啟, 開啟郵件, 開信)
 * and clicked (點閱, 點擊, 點閱連結, 點閱附件, click), in any order, in
 * zh-TW or English, any case; other columns are ignored.  Then one line
 * per event.  A flag is yes for Y, YES, 是, 1, TRUE or a date with an
 * optional time (2026-05-12 09:31, 2026/5/12, 115/05/12), no for N, NO,
 * 否, 0, FALSE or an empty cell; anything else is an error.  Every line
 * is checked and every error recorded in errs (its row is the line);
 * *rows (in a) is meant to be used only when ST_OK is returned.
 * ST_INVALID when the file or a line is wrong (or holds no data line),
 * ST_TOOBIG when a is full.
 */
enum status kpi_results_parse(struct str csv, struct arena *a,
                              struct kpi_phish_row **rows, size_t *n,
                              struct reg_errors *errs);

/*
 * The rates of rows[0..n): recipients compared without regard to ASCII
 * case; a recipient who clicked counts as having opened the mail too
 * (one cannot click in a mail one has not opened; a provider that saw
 * the click but not the open had its tracking image blocked), so
 * opened >= clicked.  Scratch from a; ST_NOMEM when it is full.
 */
enum status kpi_phish_rates(const struct kpi_phish_row *rows, size_t n,
                            struct arena *a, struct kpi_phish *out);

/* ---- incident timeliness ---- */

enum kpi_clock {
  KPI_NOTIFY = 0, /* 通報: 1 hour from awareness */
  KPI_CONTAIN,    /* 損害控制或復原: 36 or 72 hours */
  KPI_REPORT, /* 調查、處理及改善報告: one month after recovery */
  KPI_ALL,    /* every clock met */
  KPI_N_CLOCKS
};

/* How many incidents' clocks were decided, and how many were met. */
struct kpi_tally {
  int decided; /* met, or late: done after the due time or not done
                  when it passed */
  int met;     /* done by the due time */
};

/* The clocks of a group of incidents (a year). */
struct kpi_timeliness {
  int incidents;                    /* incidents added */
  struct kpi_tally c[KPI_N_CLOCKS]; /* per clock, and all of them */
};

/* The state of clock c at now: 1 met, 0 late, -1 not decided yet (not
 * running, or running and not yet due). */
int kpi_clock_state(const struct ir_clock *c, int64_t now);

/* Count incident s into t at now.  "All" is decided when one clock is
 * late (not all met) or when all three are decided (met when all three
 * were met). */
void kpi_timeliness_add(struct kpi_timeliness *t, const struct ir_state *s,
                        int64_t now);

/* ---- targets ---- */

/* 1 when value meets comparator (">=", ">", "<=", "<", "=") target,
 * with a tolerance of 1e-9 for rounding in the computation; 0 for an
 * unknown comparator. */
int kpi_meets(double value, const char *comparator, double target);

/*
 * value as text with at least decimals digits after the point, more (up
 * to 6) when fewer would make the text look as if it met comparator
 * target when the value does not, or the other way round (99.9695 is
 * not shown as 99.970 against ≥ 99.97).  In a; NULL when a is full.
 */
const char *kpi_format(struct arena *a, double value, int decimals,
                       const char *comparator, double target);

/* What a goal metric's kpi field names. */
#define KPI_AVAILABILITY   "availability"
#define KPI_TIMELINESS     "incident_timeliness"
#define KPI_PHISHING_OPEN  "phishing_open"
#define KPI_PHISHING_CLICK "phishing_click"

/* ---- tiles: what the CISO's dashboard shows ---- */

/* Months in a tile's trend. */
#define KPI_TREND_MONTHS 12

/* One goal metric bound to a computed value.  Strings live in the arena
 * kpi_tiles() was given. */
struct kpi_tile {
  int64_t metric_id;      /* the goal_metric record */
  const char *metric;     /* its name (衡量指標) */
  const char *unit;       /* its unit, e.g. "%" */
  const char *comparator; /* ">=", ">", "<=", "<" or "=" */
  double target;          /* its target */
  const char *kind;       /* KPI_AVAILABILITY, … */
  int has_value;          /* 0: no data this year yet */
  double value;           /* this year so far, in percent */
  int met;                /* value meets the target (0 without a value) */
  int64_t num, den;       /* what the value comes from: downtime and
                             operating seconds; incidents with every
                             clock met and decided; recipients who opened
                             (clicked) and recipients */
  int year;               /* the calendar year (Gregorian) of value */
  int n_trend;            /* months in trend (KPI_TREND_MONTHS) */
  double trend[KPI_TREND_MONTHS];    /* the last months, oldest first, the
                                     current one last */
  int trend_has[KPI_TREND_MONTHS];   /* 1 when trend[i] has a value */
  int trend_year[KPI_TREND_MONTHS];  /* the month of trend[i] */
  int trend_month[KPI_TREND_MONTHS]; /* 1..12 */
  const char *href;                  /* the page of the records behind
                                        it */
};

/*
 * The tiles of every goal metric (not archived) whose kpi field is set,
 * in record order, as of now: value over the Asia/Taipei calendar year
 * of now up to now, trend over the twelve months up to now's (the year
 * and month of the second before now, so that the end of a past year,
 * the next 1 January 00:00, shows that year whole).  At most
 * cap into out; *n gets how many.  Strings in a.  ST_DB, or ST_NOMEM
 * when a is full.
 */
enum status kpi_tiles(struct db *db, struct arena *a, int64_t now,
                      struct kpi_tile *out, size_t cap, size_t *n);

/*
 * Write tile t into r's page: the metric's name linked to t->href, the
 * value against the target, met or not met in words (with a mark, never
 * by colour alone), and an inline SVG trend line (role="img" with a
 * <title> and a <desc> listing every month) with the target as a dashed
 * line; printable.
 */
void kpi_tile_html(struct req *r, const struct kpi_tile *t);

/* ---- pages and hooks ---- */

/* The drill register's hooks: on a social-engineering drill's page, its
 * rates against the targets (detail) and the form to import the
 * provider's results (links, for those who write drills). */
void kpi_drill_detail(struct req *r, const struct record *rec);
void kpi_drill_links(struct req *r, int64_t id);

/* The goal metric register's hooks: a link to the page of the goals
 * (links), and on a metric bound to a computed value its tile (detail). */
void kpi_goal_links(struct req *r, int64_t id);
void kpi_goal_detail(struct req *r, const struct record *rec);

/* Parameter allow-lists. */
extern const struct param_spec kpi_page_params[];
extern const struct param_spec kpi_results_params[];

/*
 * GET /r/{reg}/kpi ({reg} goal_metric): 資通安全目標達成情形, the tiles,
 * availability per system and month of a year, incident timeliness per
 * year, the drills' rates.
 * POST /r/{reg}/{id}/results ({reg} drill): import the results of a
 * social-engineering drill, replacing those before.
 */
route_fn kpi_page, kpi_results_post;

/*
 * Load the demo data's drill results (json, len bytes: "drill_results",
 * each naming its drill by title and holding the file's lines) after
 * the drills were loaded, through the same parser as an upload.
 */
enum status kpi_load_demo(struct db *db, const char *json, size_t len,
                          const char *actor, struct buf *why);

#endif

/*
 * layout.h: the page shell every HTML page shares: head, header with the
 * language switch, navigation by plan chapter, main landmark, footer;
 * plus small shared pieces (CSRF field, dates in ISO and ROC form).
 * Depends on core, http, registers.
 */
#ifndef ISMS_UI_LAYOUT_H
#define ISMS_UI_LAYOUT_H

#include "core/html.h"
#include "http/req.h"

/* One plan chapter as navigation shows it. */
struct chapter {
  int number;     /* 1 (壹 and 貳 together), 3 … 17 */
  enum msg title; /* e.g. 參 核心業務及重要性 */
};

extern const struct chapter chapters[];
extern const size_t n_chapters;

/* The number of unread notifications of r's account, shown as a link in
 * the header; set at start-up by features/calendar (NULL: no link). */
typedef int64_t page_count_fn(struct req *r);
extern page_count_fn *page_unread;

/* Start an HTML page with status 200 (or the given status) and return its
 * writer; chapter marks the current chapter in the navigation (0 for
 * none).  The caller writes the content and calls page_end(). */
struct html *page_begin(struct req *r, int status, const char *title,
                        int chapter);

/* Close the page. */
void page_end(struct req *r);

/* The hidden CSRF input of a form. */
void page_csrf(struct req *r);

/* ISO date, with the ROC form beside it in Chinese pages:
 * "2025-11-24（民國114年11月24日）". */
void page_date(struct req *r, const char *iso);

/* A stored UTC instant in Asia/Taipei time, in a <time> element. */
void page_time(struct req *r, const char *utc);

/* A form's control, for the error summary's links. */
struct page_ctl {
  const char *field; /* the parameter */
  const char *id;    /* its control's id */
};

/* Above a refused form: "the form has errors" and each of r's errors,
 * linked to its control when ctls (NULL-terminated, or NULL) names the
 * field; nothing when r has no errors. */
void page_error_summary(struct req *r, const struct page_ctl *ctls);

#endif

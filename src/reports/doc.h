/*
 * doc.h: one document model for the forms and reports isms prints
 * (incident notifications and reports, the annex forms, the
 * implementation report), rendered by odt.c as OpenDocument text and by
 * pdf.c as PDF.  A document is a title block (title, subtitle, meta
 * lines such as 機關名稱 and 製表日期), then blocks in order: headings
 * (levels 1-3), paragraphs, numbered lists, fields blocks (label and
 * value rows, as government forms lay them out), tables (an optional
 * header row repeated on every page, column width hints) and signature
 * blocks (承辦人 / 單位主管 / 資通安全長 over empty boxes), and a footer
 * line printed on every page beside "第 N 頁，共 M 頁".
 *
 * Everything lives in the caller's arena; every text is copied, checked
 * (valid UTF-8, no control characters but LF, CR and TAB, no U+FFFE or
 * U+FFFF, which XML cannot carry) and counted against the limits below.
 * Errors are sticky, as in struct buf: build the whole document, then
 * check the status once (the renderers return it too).  Depends on
 * core/arena.h, core/str.h, core/time.h and core/utf8.h.
 */
#ifndef ISMS_REPORTS_DOC_H
#define ISMS_REPORTS_DOC_H

#include "core/arena.h"
#include "core/status.h"
#include "core/time.h"

#include <stddef.h>

/* Limits; past them the call fails with ST_TOOBIG (nothing is cut). */
#define DOC_TEXT_MAX    (64u * 1024) /* bytes of one text */
#define DOC_TOTAL_MAX   (8u << 20)   /* bytes of all texts together */
#define DOC_BLOCKS_MAX  4096         /* blocks of one document */
#define DOC_META_MAX    16           /* meta lines under the title */
#define DOC_ITEMS_MAX   2000         /* items of a list, rows of fields */
#define DOC_COLS_MAX    16           /* columns of a table */
#define DOC_ROWS_MAX    20000        /* body rows of one table */
#define DOC_SIGNERS_MAX 6            /* boxes of a signature block */
#define DOC_PAGES_MAX   2000         /* pages of a rendered PDF */

/* What a block is. */
enum doc_kind {
  DOC_HEADING,   /* text, level 1..3 */
  DOC_PARA,      /* text; its line breaks are kept */
  DOC_LIST,      /* rows of one cell, numbered 1., 2., ... */
  DOC_FIELDS,    /* rows of two cells: label, value */
  DOC_TABLE,     /* head (or none) and rows of n_cols cells */
  DOC_SIGNATURE, /* head: the roles; one box under each */
};

/* One item of a list, field of a fields block or row of a table. */
struct doc_row {
  const char **cells;   /* the block's n_cols texts, never NULL */
  struct doc_row *next; /* the next row, or NULL */
};

/* One block.  Invariant: n_rows counts the rows from rows to last. */
struct doc_block {
  enum doc_kind kind;     /* what it is */
  int level;              /* DOC_HEADING: 1..3 */
  const char *text;       /* DOC_HEADING, DOC_PARA */
  size_t n_cols;          /* cells per row (list 1, fields 2) */
  const char **head;      /* table header or signature roles, or NULL */
  const double *widths;   /* relative column widths, all > 0 */
  struct doc_row *rows;   /* first row, or NULL */
  struct doc_row *last;   /* last row, or NULL */
  size_t n_rows;          /* number of rows */
  struct doc_block *next; /* the next block, or NULL */
};

/* A document being built.  Texts are never NULL once stored ("" for
 * none). */
struct doc {
  struct arena *arena;            /* where everything lives */
  const char *title;              /* "" until doc_title() */
  const char *subtitle;           /* "" until doc_subtitle() */
  const char *meta[DOC_META_MAX]; /* meta lines, "label：value" */
  size_t n_meta;                  /* number of meta lines */
  const char *footer;             /* footer text, "" for none */
  struct doc_block *blocks;       /* first block, or NULL */
  struct doc_block *last;         /* last block, or NULL */
  size_t n_blocks;                /* number of blocks */
  size_t n_tables;                /* tables, fields and signatures */
  size_t text_bytes;              /* bytes of all texts so far */
  enum status err;                /* sticky: the first failure */
};

/* Start an empty document whose memory comes from a (which must outlive
 * it).  Allocates nothing. */
void doc_init(struct doc *d, struct arena *a);

/*
 * The title block.  doc_title() and doc_subtitle() replace earlier
 * values; doc_meta() adds the line "label：value" (label may be NULL or
 * "" for a line of value alone) and doc_meta_roc() the line
 * "label：民國115年1月7日".  Each returns the document's status:
 * ST_INVALID for text that is not valid UTF-8 or holds a control
 * character, ST_TOOBIG past a limit or when the arena is full.
 */
enum status doc_title(struct doc *d, const char *text);
enum status doc_subtitle(struct doc *d, const char *text);
enum status doc_meta(struct doc *d, const char *label, const char *value);
enum status doc_meta_roc(struct doc *d, const char *label, struct date day);

/* The text printed at the foot of every page, beside the page numbers
 * (replaces an earlier one).  Status as doc_title(). */
enum status doc_footer(struct doc *d, const char *text);

/* Add a heading of level 1 (largest) to 3; ST_INVALID for another
 * level.  Otherwise as doc_title(). */
enum status doc_heading(struct doc *d, int level, const char *text);

/* Add a paragraph; LF, CR LF and CR end lines within it.  As
 * doc_title(). */
enum status doc_para(struct doc *d, const char *text);

/* Start a numbered list; doc_item() adds its items.  As doc_title(). */
enum status doc_list(struct doc *d);

/* Add an item to the list just started (ST_INTERNAL when the last block
 * is not a list).  As doc_title(). */
enum status doc_item(struct doc *d, const char *text);

/* Start a fields block; doc_field() adds its rows.  As doc_title(). */
enum status doc_fields(struct doc *d);

/* Add a row "label | value" to the fields block just started
 * (ST_INTERNAL when the last block is not one).  As doc_title(). */
enum status doc_field(struct doc *d, const char *label, const char *value);

/*
 * Start a table of n_cols columns (1..DOC_COLS_MAX; ST_INVALID for 0,
 * ST_TOOBIG past the limit):
 *   head    n_cols header texts, repeated at the top of every page the
 *           table reaches; NULL for a table without a header row;
 *   widths  n_cols relative widths (3, 1 makes the first column three
 *           times as wide as the second; each finite and > 0, or
 *           ST_INVALID); NULL for equal columns.
 * Both are copied.  doc_row() adds the rows.  Otherwise as doc_title().
 */
enum status doc_table(struct doc *d, size_t n_cols, const char *const *head,
                      const double *widths);

/* Add a row of the table just started: n_cols texts, each NULL or a
 * string (ST_INTERNAL when the last block is not a table).  As
 * doc_title(). */
enum status doc_row(struct doc *d, const char *const *cells);

/*
 * Add a signature block: one empty box under each of the n roles
 * (1..DOC_SIGNERS_MAX); roles NULL (n ignored) gives the usual three,
 * 承辦人, 單位主管 and 資通安全長.  Kept on one page.  As doc_title().
 */
enum status doc_signature(struct doc *d, const char *const *roles, size_t n);

/*
 * The widths of b's columns, written to out[0..b->n_cols): b's width
 * hints scaled to total, with no column narrower than min (less when
 * the columns cannot all have min).  Any unit; both renderers use it.
 */
void doc_col_widths(const struct doc_block *b, double total, double min,
                    double *out);

/* The status of the document: ST_OK or the first failure. */
enum status doc_status(const struct doc *d);

#endif

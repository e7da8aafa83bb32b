/*
 * pdf.c: PDF from the document model with pango and cairo.
 *
 * Everything on a page flows through one routine, flow(): a row of
 * cells (one cell for a paragraph, two for a list item or a field, n
 * for a table row), each a pango layout whose lines are drawn one by
 * one, so that a row may continue on the next page.  A table row that
 * fits on a page is moved whole to the next one; a longer one, or a
 * paragraph, is split between lines.  At the top of a page at least one
 * line of every unfinished cell is drawn, so every step makes progress
 * and the number of pages is bounded by the text (and by
 * DOC_PAGES_MAX).  The same code runs twice: first without drawing, to
 * count the pages for "共 M 頁", then drawing.
 */
#include "pdf.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/mem.h"
#include "report.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

/* Page geometry in points (1/72 inch). */
#define PAGE_W      595.2756 /* A4: 210 mm */
#define PAGE_H      841.8898 /* 297 mm */
#define MARGIN      56.6929  /* 2 cm */
#define BODY_W      (PAGE_W - 2 * MARGIN)
#define BODY_TOP    MARGIN
#define BODY_BOTTOM (PAGE_H - MARGIN)
#define BODY_H      (BODY_BOTTOM - BODY_TOP)
#define PAD         4.0  /* inside a table cell */
#define GAP         6.0  /* after a paragraph, list or table */
#define MIN_COL     24.0 /* the narrowest table column */
#define BOX_H       70.0 /* a signature box, about 2.5 cm */
#define LINE_W      0.5  /* borders */
#define FILL_HEAD   0.88 /* grey of a header cell */
#define FILL_LABEL  0.95 /* grey of a field label */

/* The fonts, all REPORT_FONT. */
enum font {
  F_BODY,
  F_BOLD,
  F_TITLE,
  F_SUBTITLE,
  F_H1,
  F_H2,
  F_H3,
  F_SMALL,
  N_FONTS,
};

static const struct {
  double size; /* points */
  int is_bold; /* bold weight */
} font_spec[N_FONTS] = {
  { 11, 0 }, { 11, 1 }, { 18, 1 }, { 13, 0 },
  { 16, 1 }, { 14, 1 }, { 12, 1 }, { 9, 0 },
};

/* One line of a laid-out cell, in the layout's coordinates. */
struct line {
  PangoLayoutLine *line; /* owned by the layout */
  double top;            /* top of its logical box */
  double bottom;         /* bottom of its logical box */
  double baseline;       /* its baseline */
  double x;              /* its left edge (alignment included) */
};

/* A cell being drawn: its text laid out, the lines not drawn yet. */
struct cell {
  PangoLayout *layout; /* the text */
  struct line *lines;  /* n_lines lines (xmalloc) */
  int n_lines;         /* at least 1 */
  int next;            /* the first line not drawn yet */
  double x;            /* left edge of the cell's box */
  double w;            /* width of the box, padding included */
  double fill;         /* grey level of the background, 0 for none */
};

/* The state of one pass. */
struct pdf {
  cairo_surface_t *surface;            /* the PDF */
  cairo_t *cr;                         /* drawing on it */
  PangoFontMap *fm;                    /* this rendering's fonts */
  PangoContext *pc;                    /* 72 dpi: 1 pt is 1 unit */
  PangoFontDescription *font[N_FONTS]; /* by enum font */
  int is_drawing;                      /* second pass */
  int page;                            /* current page, from 1 */
  int n_pages;                         /* total, in the second pass */
  double y;                            /* next free position */
  double top;                          /* body top of this page */
  double line_h;                       /* one line of body text */
  struct cell *head;                   /* repeated header, or NULL */
  size_t n_head;                       /* its cells */
  double head_h;                       /* its height */
  int outline[4];                      /* last outline id per level */
  const struct doc *d;                 /* the document */
  enum status err;                     /* first failure */
};

#if defined(__SANITIZE_ADDRESS__)
/*
 * Leaks that are not ours, for LeakSanitizer (the asan preset): cairo
 * 1.16 (Debian 12) loses a few hundred bytes per embedded font in
 * cairo_surface_finish() of every PDF surface, and fontconfig a few
 * hundred while it parses its configuration, once.  Frames inside these
 * stripped libraries have no names, so only whole libraries can be
 * named; nothing of ours is allocated inside them but the cairo and
 * pango objects pdf_render() destroys itself.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
  return "leak:libcairo.so\nleak:libfontconfig.so\n";
}
#endif

static cairo_status_t write_out(void *closure, const unsigned char *data,
                                unsigned int len)
{
  struct buf *out = closure;
  buf_append(out, data, len);
  return out->err ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* Lay text out in font f, w points wide (padding excluded). */
static void cell_init(struct pdf *p, struct cell *c, const char *text,
                      enum font f, double x, double w, double pad,
                      PangoAlignment align)
{
  PangoLayoutIter *it;
  int i = 0;
  memset(c, 0, sizeof(*c));
  c->x = x;
  c->w = w;
  c->layout = pango_layout_new(p->pc);
  pango_layout_set_font_description(c->layout, p->font[f]);
  pango_layout_set_width(c->layout, pango_units_from_double(w - 2 * pad));
  pango_layout_set_wrap(c->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(c->layout, align);
  pango_layout_set_text(c->layout, text, -1);
  c->n_lines = pango_layout_get_line_count(c->layout);
  if(c->n_lines < 1) {
    c->n_lines = 0;
    return;
  }
  c->lines = xcalloc((size_t)c->n_lines, sizeof(*c->lines));
  it = pango_layout_get_iter(c->layout);
  do {
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(it, NULL, &logical);
    c->lines[i].line = pango_layout_iter_get_line_readonly(it);
    c->lines[i].top = pango_units_to_double(logical.y);
    c->lines[i].bottom = pango_units_to_double(logical.y + logical.height);
    c->lines[i].baseline =
      pango_units_to_double(pango_layout_iter_get_baseline(it));
    c->lines[i].x = pango_units_to_double(logical.x);
    i++;
  } while(i < c->n_lines && pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
  c->n_lines = i;
}

static void cell_free(struct cell *c)
{
  if(c->layout) {
    g_object_unref(c->layout);
  }
  free(c->lines);
  memset(c, 0, sizeof(*c));
}

/* Height of what is left of c. */
static double cell_rest(const struct cell *c)
{
  if(c->next >= c->n_lines) {
    return 0;
  }
  return c->lines[c->n_lines - 1].bottom - c->lines[c->next].top;
}

/* Height of the next line of c. */
static double cell_first(const struct cell *c)
{
  if(c->next >= c->n_lines) {
    return 0;
  }
  return c->lines[c->next].bottom - c->lines[c->next].top;
}

static int at_top(const struct pdf *p)
{
  return p->y <= p->top + 0.01;
}

/* Draw one segment at p->y: of each cell the lines that fit in avail
 * (at least one when force), then the boxes when boxed.  Advances
 * p->y and each cell's next. */
static void segment(struct pdf *p, struct cell *c, size_t n, double pad,
                    int boxed, double avail, int force)
{
  int stop[DOC_COLS_MAX];
  double seg = 0;
  size_t i;
  for(i = 0; i < n; i++) {
    double off;
    stop[i] = c[i].next;
    if(c[i].next >= c[i].n_lines) {
      continue;
    }
    off = c[i].lines[c[i].next].top;
    while(stop[i] < c[i].n_lines &&
          (c[i].lines[stop[i]].bottom - off <= avail ||
           (force && stop[i] == c[i].next))) {
      stop[i]++;
    }
    if(stop[i] > c[i].next && c[i].lines[stop[i] - 1].bottom - off > seg) {
      seg = c[i].lines[stop[i] - 1].bottom - off;
    }
  }
  if(p->is_drawing) {
    cairo_t *cr = p->cr;
    for(i = 0; boxed && i < n; i++) {
      if(c[i].fill > 0) {
        cairo_set_source_rgb(cr, c[i].fill, c[i].fill, c[i].fill);
        cairo_rectangle(cr, c[i].x, p->y, c[i].w, seg + 2 * pad);
        cairo_fill(cr);
      }
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    for(i = 0; i < n; i++) {
      int k;
      double off;
      if(c[i].next >= c[i].n_lines) {
        continue;
      }
      off = c[i].lines[c[i].next].top;
      for(k = c[i].next; k < stop[i]; k++) {
        const struct line *l = &c[i].lines[k];
        cairo_move_to(cr, c[i].x + pad + l->x,
                      p->y + pad + (l->baseline - off));
        pango_cairo_show_layout_line(cr, l->line);
      }
    }
    if(boxed) {
      cairo_set_line_width(cr, LINE_W);
      for(i = 0; i < n; i++) {
        cairo_rectangle(cr, c[i].x, p->y, c[i].w, seg + 2 * pad);
      }
      cairo_stroke(cr);
    }
  }
  for(i = 0; i < n; i++) {
    c[i].next = stop[i];
  }
  p->y += seg + 2 * pad;
}

/* The foot of the current page, then the page itself. */
static void end_page(struct pdf *p)
{
  PangoLayout *l;
  struct buf line;
  char cur[24], total[24];
  const char *t, *hole;
  size_t i;
  double y = BODY_BOTTOM + 10;

  if(!p->is_drawing) {
    return;
  }
  l = pango_layout_new(p->pc);
  pango_layout_set_font_description(l, p->font[F_SMALL]);
  pango_layout_set_width(l, pango_units_from_double(BODY_W));
  pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
  pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode(l, TRUE);
  cairo_set_source_rgb(p->cr, 0, 0, 0);
  if(p->d->footer[0]) {
    int h;
    pango_layout_set_text(l, p->d->footer, -1);
    cairo_move_to(p->cr, MARGIN, y);
    pango_cairo_show_layout(p->cr, l);
    pango_layout_get_size(l, NULL, &h);
    y += pango_units_to_double(h);
  }
  /* "第 N 頁，共 M 頁": the catalog's template with its two %s. */
  snprintf(cur, sizeof(cur), "%d", p->page);
  snprintf(total, sizeof(total), "%d", p->n_pages);
  buf_init(&line, 256);
  t = msg_get(LANG_ZH, M_DOC_PAGE);
  for(i = 0; i < 2 && (hole = strstr(t, "%s")) != NULL; i++) {
    buf_append(&line, t, (size_t)(hole - t));
    buf_puts(&line, i ? total : cur);
    t = hole + 2;
  }
  buf_puts(&line, t);
  pango_layout_set_text(l, line.data, -1);
  cairo_move_to(p->cr, MARGIN, y);
  pango_cairo_show_layout(p->cr, l);
  buf_free(&line);
  g_object_unref(l);
  cairo_show_page(p->cr);
}

/* Draw the repeated header row at p->y (it fits: see table()). */
static void draw_head(struct pdf *p)
{
  size_t i;
  for(i = 0; i < p->n_head; i++) {
    p->head[i].next = 0;
  }
  segment(p, p->head, p->n_head, PAD, 1, BODY_H, 1);
}

static void new_page(struct pdf *p)
{
  end_page(p);
  p->page++;
  if(p->page > DOC_PAGES_MAX && !p->err) {
    p->err = ST_TOOBIG;
  }
  p->y = p->top = BODY_TOP;
  if(p->head) {
    draw_head(p);
    p->top = p->y;
  }
}

/*
 * Draw the n cells of a row from p->y on, across pages as needed, each
 * padded by pad and boxed when boxed.  With keep, a row that would fit
 * on an empty page is not split: it moves to the next page when it does
 * not fit on this one.
 */
static void flow(struct pdf *p, struct cell *c, size_t n, double pad,
                 int boxed, int keep)
{
  for(;;) {
    double rest = 0, first = 0, avail, room;
    int is_done = 1;
    size_t i;
    if(p->err) {
      return;
    }
    for(i = 0; i < n; i++) {
      if(cell_rest(&c[i]) > rest) {
        rest = cell_rest(&c[i]);
      }
      if(cell_first(&c[i]) > first) {
        first = cell_first(&c[i]);
      }
    }
    avail = BODY_BOTTOM - p->y - 2 * pad;
    room = BODY_BOTTOM - BODY_TOP - (p->head ? p->head_h : 0) - 2 * pad;
    if(!at_top(p) &&
       ((keep && rest > avail && rest <= room) || first > avail)) {
      new_page(p);
      continue;
    }
    segment(p, c, n, pad, boxed, avail, at_top(p));
    for(i = 0; i < n; i++) {
      if(c[i].next < c[i].n_lines) {
        is_done = 0;
      }
    }
    if(is_done) {
      return;
    }
    new_page(p);
  }
}

/* One full-width text in font f. */
static void text_block(struct pdf *p, const char *text, enum font f,
                       PangoAlignment align)
{
  struct cell c;
  cell_init(p, &c, text, f, MARGIN, BODY_W, 0, align);
  flow(p, &c, 1, 0, 0, 0);
  cell_free(&c);
}

/* The name of an outline entry: the heading on one line.  (cairo
 * writes it, and the metadata, as an escaped UTF-16 string.) */
static void outline_name(struct buf *b, const char *s)
{
  for(; *s; s++) {
    buf_putc(b, *s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s);
  }
}

static void heading(struct pdf *p, const struct doc_block *b)
{
  static const enum font by_level[4] = { F_H1, F_H1, F_H2, F_H3 };
  struct cell c;
  double h;
  if(!at_top(p)) {
    p->y += GAP;
  }
  cell_init(p, &c, b->text, by_level[b->level], MARGIN, BODY_W, 0,
            PANGO_ALIGN_LEFT);
  /* Kept with two lines of what follows. */
  h = cell_rest(&c) + 2 * p->line_h;
  if(!at_top(p) && h > BODY_BOTTOM - p->y && h <= BODY_H) {
    new_page(p);
  }
  if(p->is_drawing && !p->err) {
    struct buf name, dest;
    int parent = b->level > 1 ? p->outline[b->level - 1] : 0;
    buf_init(&name, DOC_TEXT_MAX + 1);
    buf_init(&dest, 128);
    outline_name(&name, b->text);
    buf_appendf(&dest, "page=%d pos=[%.1f %.1f]", p->page, MARGIN, p->y);
    if(!name.err && !dest.err) {
      p->outline[b->level] = cairo_pdf_surface_add_outline(
        p->surface, parent, name.data, dest.data, 0);
      if(b->level < 3) {
        p->outline[b->level + 1] = p->outline[b->level];
      }
      if(b->level < 2) {
        p->outline[3] = p->outline[1];
      }
    }
    buf_free(&name);
    buf_free(&dest);
  }
  flow(p, &c, 1, 0, 0, 0);
  cell_free(&c);
  p->y += GAP / 2;
}

static void list(struct pdf *p, const struct doc_block *b)
{
  const struct doc_row *r;
  struct cell c[2];
  size_t k = 0, digits = 1;
  double num_w;
  char num[24];
  /* The column of numbers: room for the widest, "2000." at most. */
  for(k = b->n_rows; k >= 10; k /= 10) {
    digits++;
  }
  num_w = 8 + 6.5 * (double)(digits + 1);
  k = 0;
  for(r = b->rows; r && !p->err; r = r->next) {
    snprintf(num, sizeof(num), "%zu.", ++k);
    cell_init(p, &c[0], num, F_BODY, MARGIN, num_w, 0, PANGO_ALIGN_LEFT);
    cell_init(p, &c[1], r->cells[0], F_BODY, MARGIN + num_w, BODY_W - num_w, 0,
              PANGO_ALIGN_LEFT);
    flow(p, c, 2, 0, 0, 0);
    cell_free(&c[0]);
    cell_free(&c[1]);
    p->y += 2;
  }
  p->y += GAP;
}

/* Lay out a row of n texts over the columns x, w. */
static void row_init(struct pdf *p, struct cell *c, const char *const *texts,
                     size_t n, const double *x, const double *w, enum font f,
                     PangoAlignment align, double fill)
{
  size_t i;
  for(i = 0; i < n; i++) {
    cell_init(p, &c[i], texts[i], f, x[i], w[i], PAD, align);
    c[i].fill = fill;
  }
}

static void row_free(struct cell *c, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++) {
    cell_free(&c[i]);
  }
}

/* Height of a whole row, padding included. */
static double row_height(const struct cell *c, size_t n)
{
  double h = 0;
  size_t i;
  for(i = 0; i < n; i++) {
    if(cell_rest(&c[i]) > h) {
      h = cell_rest(&c[i]);
    }
  }
  return h + 2 * PAD;
}

/* Where the columns of b start, and their widths. */
static void columns(const struct doc_block *b, double *x, double *w)
{
  size_t i;
  doc_col_widths(b, BODY_W, MIN_COL, w);
  for(i = 0; i < b->n_cols; i++) {
    x[i] = i ? x[i - 1] + w[i - 1] : MARGIN;
  }
}

/*
 * Draw the header row head (height head_h) where it may stay with the
 * first row (first, n cells; NULL when there are no rows): on this page
 * when the first row fits under it, or at least its first lines;
 * otherwise on the next.  A header row of at most a quarter page then
 * repeats on every page the table reaches.
 */
static void place_head(struct pdf *p, struct cell *head, size_t n,
                       double head_h, const struct cell *first)
{
  int is_repeated = head_h <= BODY_H / 4;
  double need = head_h;
  if(first) {
    double row_h = row_height(first, n);
    double room = BODY_H - (is_repeated ? head_h : 0);
    size_t i;
    double line = 0;
    for(i = 0; i < n; i++) {
      if(cell_first(&first[i]) > line) {
        line = cell_first(&first[i]);
      }
    }
    need += row_h <= room ? row_h : line + 2 * PAD;
  }
  if(!at_top(p) && need > BODY_BOTTOM - p->y) {
    new_page(p);
  }
  flow(p, head, n, PAD, 1, 1);
  if(is_repeated) {
    p->head = head;
    p->n_head = n;
    p->head_h = head_h;
  }
}

/* A table, a fields block or a signature block. */
static void table(struct pdf *p, const struct doc_block *b)
{
  struct cell head[DOC_COLS_MAX], cells[DOC_COLS_MAX];
  double x[DOC_COLS_MAX], w[DOC_COLS_MAX], head_h = 0;
  const struct doc_row *r;
  size_t n = b->n_cols;
  int is_first = 1;

  columns(b, x, w);
  if(b->head) {
    row_init(p, head, (const char *const *)b->head, n, x, w, F_BOLD,
             PANGO_ALIGN_CENTER, FILL_HEAD);
    head_h = row_height(head, n);
  }
  if(b->kind == DOC_SIGNATURE) {
    size_t i;
    /* Roles and boxes on one page when they fit on one. */
    if(!at_top(p) && head_h + BOX_H > BODY_BOTTOM - p->y &&
       head_h + BOX_H <= BODY_H) {
      new_page(p);
    }
    flow(p, head, n, PAD, 1, 1);
    if(!at_top(p) && BOX_H > BODY_BOTTOM - p->y) {
      new_page(p);
    }
    if(p->is_drawing && !p->err) {
      cairo_set_line_width(p->cr, LINE_W);
      for(i = 0; i < n; i++) {
        cairo_rectangle(p->cr, x[i], p->y, w[i], BOX_H);
      }
      cairo_stroke(p->cr);
    }
    p->y += BOX_H;
  }
  for(r = b->rows; r && !p->err; r = r->next) {
    if(b->kind == DOC_FIELDS) {
      cell_init(p, &cells[0], r->cells[0], F_BOLD, x[0], w[0], PAD,
                PANGO_ALIGN_LEFT);
      cells[0].fill = FILL_LABEL;
      cell_init(p, &cells[1], r->cells[1], F_BODY, x[1], w[1], PAD,
                PANGO_ALIGN_LEFT);
    }
    else {
      row_init(p, cells, (const char *const *)r->cells, n, x, w, F_BODY,
               PANGO_ALIGN_LEFT, 0);
    }
    if(is_first && b->head && b->kind == DOC_TABLE) {
      place_head(p, head, n, head_h, cells);
    }
    is_first = 0;
    flow(p, cells, n, PAD, 1, 1);
    row_free(cells, n);
  }
  if(is_first && b->head && b->kind == DOC_TABLE) {
    place_head(p, head, n, head_h, NULL);
  }
  p->head = NULL;
  p->n_head = 0;
  if(b->head) {
    row_free(head, n);
  }
  p->y += GAP;
}

/* One pass over the whole document. */
static void layout(struct pdf *p)
{
  const struct doc *d = p->d;
  const struct doc_block *b;
  size_t i;
  p->page = 1;
  p->y = p->top = BODY_TOP;
  p->head = NULL;
  memset(p->outline, 0, sizeof(p->outline));
  if(d->title[0]) {
    text_block(p, d->title, F_TITLE, PANGO_ALIGN_CENTER);
    p->y += 2;
  }
  if(d->subtitle[0]) {
    text_block(p, d->subtitle, F_SUBTITLE, PANGO_ALIGN_CENTER);
    p->y += 2;
  }
  for(i = 0; i < d->n_meta; i++) {
    text_block(p, d->meta[i], F_BODY, PANGO_ALIGN_CENTER);
  }
  if(d->title[0] || d->subtitle[0] || d->n_meta) {
    p->y += 2 * GAP;
  }
  for(b = d->blocks; b && !p->err; b = b->next) {
    switch(b->kind) {
    case DOC_HEADING:
      heading(p, b);
      break;
    case DOC_PARA:
      text_block(p, b->text, F_BODY, PANGO_ALIGN_LEFT);
      p->y += GAP;
      break;
    case DOC_LIST:
      list(p, b);
      break;
    case DOC_FIELDS:
    case DOC_TABLE:
    case DOC_SIGNATURE:
      table(p, b);
      break;
    }
  }
  end_page(p);
}

/* Set up fonts; ST_IO when REPORT_FONT is not what fontconfig finds. */
static enum status fonts_init(struct pdf *p)
{
  PangoFont *font;
  PangoFontDescription *got;
  PangoLayout *l;
  const char *family;
  enum status st = ST_OK;
  int i, h;
  for(i = 0; i < N_FONTS; i++) {
    p->font[i] = pango_font_description_new();
    pango_font_description_set_family(p->font[i], REPORT_FONT);
    pango_font_description_set_size(p->font[i],
                                    (gint)(font_spec[i].size * PANGO_SCALE));
    pango_font_description_set_weight(p->font[i], font_spec[i].is_bold ?
                                                    PANGO_WEIGHT_BOLD :
                                                    PANGO_WEIGHT_NORMAL);
  }
  font = pango_context_load_font(p->pc, p->font[F_BODY]);
  got = font ? pango_font_describe(font) : NULL;
  family = got ? pango_font_description_get_family(got) : NULL;
  if(!family || strcmp(family, REPORT_FONT) != 0) {
    log_msg(LOG_ERR,
            "PDF: font \"%s\" not installed (found \"%s\"); install "
            "fonts-noto-cjk",
            REPORT_FONT, family ? family : "");
    st = ST_IO;
  }
  if(got) {
    pango_font_description_free(got);
  }
  if(font) {
    g_object_unref(font);
  }
  l = pango_layout_new(p->pc);
  pango_layout_set_font_description(l, p->font[F_BODY]);
  pango_layout_set_text(l, "國", -1);
  pango_layout_get_size(l, NULL, &h);
  p->line_h = pango_units_to_double(h);
  g_object_unref(l);
  return st;
}

enum status pdf_render(const struct doc *d, struct buf *out)
{
  struct pdf p;
  cairo_font_options_t *fo;
  cairo_status_t cs;
  enum status st = d->err;
  int i;

  if(st) {
    return st;
  }
  memset(&p, 0, sizeof(p));
  p.d = d;
  p.surface =
    cairo_pdf_surface_create_for_stream(write_out, out, PAGE_W, PAGE_H);
  if(cairo_surface_status(p.surface)) {
    cairo_surface_destroy(p.surface);
    return out->err ? out->err : ST_IO;
  }
  if(d->title[0]) {
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE,
                                   d->title);
  }
  cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR,
                                 "isms " ISMS_VERSION);
  p.cr = cairo_create(p.surface);
  p.fm = pango_cairo_font_map_new();
  p.pc = pango_font_map_create_context(p.fm);
  pango_cairo_update_context(p.cr, p.pc);
  pango_cairo_context_set_resolution(p.pc, 72);
  /* Metrics as the font designed them, the same in both passes. */
  fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(p.pc, fo);
  cairo_font_options_destroy(fo);
  st = fonts_init(&p);
  if(!st) {
    layout(&p);
    p.n_pages = p.page;
    st = p.err;
  }
  if(!st) {
    p.is_drawing = 1;
    layout(&p);
    st = p.err;
  }
  for(i = 0; i < N_FONTS; i++) {
    if(p.font[i]) {
      pango_font_description_free(p.font[i]);
    }
  }
  g_object_unref(p.pc);
  g_object_unref(p.fm);
  cairo_destroy(p.cr);
  cairo_surface_finish(p.surface);
  cs = cairo_surface_status(p.surface);
  cairo_surface_destroy(p.surface);
  if(!st && cs) {
    st = out->err ? out->err : ST_IO;
  }
  return st;
}

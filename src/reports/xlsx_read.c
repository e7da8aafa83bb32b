/*
 * xlsx_read.c: the first worksheet of an XLSX file as rows of text.
 *
 * Four parts are read, each streamed through expat as libzip inflates
 * it: xl/workbook.xml (the first <sheet>'s relationship id and the date
 * system), xl/_rels/workbook.xml.rels (that sheet's part name),
 * xl/styles.xml (which cell styles are dates) and xl/sharedStrings.xml,
 * then the sheet itself.  The parser is namespace-aware, so prefixed
 * element names (x:row) are read as well as plain ones.
 */
#include "xlsx_read.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>

#include "core/buf.h"

#define CHUNK        (64u << 10)
#define MAX_CELL_LEN (1u << 20) /* Excel's own limit is 32,767 characters */
#define MAX_NAME     512        /* a part name or relationship id */

enum part { P_WORKBOOK, P_RELS, P_STYLES, P_SST, P_SHEET };

/* The reader's state across parts. */
struct xr {
  struct arena *a; /* where results live */
  XML_Parser p;    /* the part being parsed */
  enum part part;  /* which one */
  enum status st;  /* first failure */
  enum msg why;    /* its message */
  struct buf text; /* character data being collected */
  int is_text;     /* collecting character data now */
  /* workbook and relationships */
  char rid[MAX_NAME];    /* first sheet's r:id, "" until found */
  char target[MAX_NAME]; /* its part name, "" until found */
  int is_1904;           /* workbookPr date1904 */
  /* styles */
  int date_fmts[64];      /* custom numFmtIds whose code is a date */
  size_t n_date_fmts;     /* used */
  int in_cellxfs;         /* inside <cellXfs> */
  unsigned char *xf_date; /* per cell style: 1 if a date format */
  size_t n_xf, cap_xf;    /* used, allocated */
  /* shared strings */
  struct str *sst;       /* the table */
  size_t n_sst, cap_sst; /* used, allocated */
  int rph;               /* depth inside <rPh> (phonetic, dropped) */
  /* sheet */
  struct xlsx_sheet *out; /* result */
  size_t cap_rows;        /* allocated rows */
  struct str *row;        /* XLSX_MAX_COLS cells of the current row */
  size_t row_n;           /* up to the last cell with a value */
  size_t line;            /* current row number */
  size_t col;             /* current cell's column, 0-based */
  char ctype;             /* 's' shared, 'i' inline, 'b' bool, 'e' error,
                              'd' ISO date, 't' formula string, 'n' number */
  size_t cstyle;          /* current cell's style index */
  int in_is;              /* inside <is> */
};

static void fail(struct xr *x, enum status st, enum msg why)
{
  if(!x->st) {
    x->st = st;
    x->why = why;
  }
  XML_StopParser(x->p, XML_FALSE);
}

/* The local part of a namespaced name "uri|local". */
static const char *local(const char *name)
{
  const char *bar = strrchr(name, '|');
  return bar ? bar + 1 : name;
}

/* The value of the attribute whose local name is want (any namespace
 * when is_ns, none otherwise), or NULL. */
static const char *attr(const char **atts, const char *want, int is_ns)
{
  size_t i;
  for(i = 0; atts[i]; i += 2) {
    const char *bar = strrchr(atts[i], '|');
    if(is_ns ? bar && !strcmp(bar + 1, want) :
               !bar && !strcmp(atts[i], want)) {
      return atts[i + 1];
    }
  }
  return NULL;
}

static void copy_name(char *dst, const char *src)
{
  size_t n = strlen(src);
  if(n >= MAX_NAME) {
    n = MAX_NAME - 1;
  }
  memcpy(dst, src, n);
  dst[n] = '\0';
}

/* Parse a non-negative decimal, or return -1. */
static long long num(const char *s)
{
  long long v = 0;
  if(!s || !*s) {
    return -1;
  }
  for(; *s; s++) {
    if(*s < '0' || *s > '9' || v > 100000000) {
      return -1;
    }
    v = v * 10 + (*s - '0');
  }
  return v;
}

/* 1 if a number format code shows a date (y, d, or the ROC year e
 * outside quotes, brackets and escapes). */
static int code_is_date(const char *c)
{
  if(strstr(c, "General") || strstr(c, "general")) {
    return 0;
  }
  for(; *c; c++) {
    if(*c == '"') {
      c = strchr(c + 1, '"');
      if(!c) {
        return 0;
      }
    }
    else if(*c == '[') {
      c = strchr(c + 1, ']');
      if(!c) {
        return 0;
      }
    }
    else if(*c == '\\' || *c == '_' || *c == '*') {
      if(!c[1]) {
        return 0;
      }
      c++;
    }
    else if(*c == 'y' || *c == 'Y' || *c == 'd' || *c == 'D' || *c == 'e') {
      return 1;
    }
  }
  return 0;
}

static int builtin_is_date(long long id)
{
  return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) ||
         id == 36 || id == 50 || id == 51 || id == 54 || id == 57 || id == 58;
}

/* Grow an arena array of n used, *cap allocated elements of size sz. */
static void *grow(struct xr *x, void *old, size_t n, size_t *cap, size_t sz)
{
  void *p;
  size_t want;
  if(n < *cap) {
    return old;
  }
  want = *cap ? *cap * 2 : 64;
  p = arena_alloc(x->a, want * sz);
  if(!p) {
    fail(x, ST_TOOBIG, M_XLSX_MEMORY);
    return NULL;
  }
  if(n) {
    memcpy(p, old, n * sz);
  }
  *cap = want;
  return p;
}

static void start_text(struct xr *x)
{
  buf_clear(&x->text);
  x->is_text = 1;
}

static struct str keep_text(struct xr *x)
{
  struct str s = { "", 0 };
  x->is_text = 0;
  if(x->text.err) {
    fail(x, ST_TOOBIG, M_XLSX_MEMORY);
    return s;
  }
  if(x->text.len) {
    char *p = arena_strndup(x->a, x->text.data, x->text.len);
    if(!p) {
      fail(x, ST_TOOBIG, M_XLSX_MEMORY);
      return s;
    }
    s.p = p;
    s.len = x->text.len;
  }
  return s;
}

/* ---- numbers and dates ---- */

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void civil(long long z, int *y, unsigned *m, unsigned *d)
{
  long long era, yy;
  unsigned doe, yoe, doy, mp;
  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = (unsigned)(z - era * 146097);
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  yy = (long long)yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int)(yy + (*m <= 2));
}

/* A number cell's text: dates as YYYY-MM-DD when is_date, integers as
 * written, other numbers to 15 significant digits. */
static struct str number_text(struct xr *x, struct str v, int is_date)
{
  double d;
  char tmp[40];
  size_t i;
  int is_int = v.len > 0 && v.len < 20;
  for(i = 0; i < v.len && is_int; i++) {
    if(!((v.p[i] >= '0' && v.p[i] <= '9') ||
         (i == 0 && v.p[i] == '-' && v.len > 1))) {
      is_int = 0;
    }
  }
  if(!v.len || str_to_double(v, &d) || !isfinite(d)) {
    return v; /* not a number: keep what the file says */
  }
  if(is_date && d >= 1 && d < 2958466) {
    long long days = (long long)floor(d);
    int y;
    unsigned m, dd;
    if(x->is_1904) {
      days += 1462;
    }
    else if(days < 60) {
      days += 1; /* Excel counts a 29 February 1900 that never was */
    }
    civil(days - 25569, &y, &m, &dd);
    snprintf(tmp, sizeof(tmp), "%04d-%02u-%02u", y, m, dd);
  }
  else if(is_int) {
    return v;
  }
  else if(d == floor(d) && fabs(d) < 1e15) {
    snprintf(tmp, sizeof(tmp), "%.0f", d);
  }
  else {
    snprintf(tmp, sizeof(tmp), "%.15g", d);
  }
  v.p = arena_strdup(x->a, tmp);
  if(!v.p) {
    fail(x, ST_TOOBIG, M_XLSX_MEMORY);
    return (struct str){ "", 0 };
  }
  v.len = strlen(v.p);
  return v;
}

/* ---- the sheet ---- */

/* Parse a cell reference "AB12" into a 0-based column; -1 if bad. */
static long cell_col(const char *ref)
{
  long c = 0;
  int n = 0;
  for(; *ref >= 'A' && *ref <= 'Z'; ref++) {
    if(++n > 3) {
      return -1;
    }
    c = c * 26 + (*ref - 'A' + 1);
  }
  return n ? c - 1 : -1;
}

static void set_cell(struct xr *x, struct str v)
{
  if(!v.len) {
    return;
  }
  if(x->col >= XLSX_MAX_COLS) {
    fail(x, ST_TOOBIG, M_XLSX_COLS);
    return;
  }
  x->row[x->col] = v;
  if(x->col + 1 > x->row_n) {
    x->row_n = x->col + 1;
  }
}

static void end_row(struct xr *x)
{
  struct xlsx_sheet *s = x->out;
  struct xlsx_row *r;
  if(!x->row_n) {
    return;
  }
  if(s->n_rows == XLSX_MAX_ROWS) {
    fail(x, ST_TOOBIG, M_XLSX_ROWS);
    return;
  }
  s->rows = grow(x, s->rows, s->n_rows, &x->cap_rows, sizeof(*s->rows));
  if(!s->rows) {
    return;
  }
  r = &s->rows[s->n_rows++];
  r->line = x->line;
  r->n_cells = x->row_n;
  r->cells = arena_alloc(x->a, sizeof(struct str) * x->row_n);
  if(!r->cells) {
    fail(x, ST_TOOBIG, M_XLSX_MEMORY);
    return;
  }
  memcpy(r->cells, x->row, sizeof(struct str) * x->row_n);
  if(x->row_n > s->n_cols) {
    s->n_cols = x->row_n;
  }
}

static void sheet_start(struct xr *x, const char *el, const char **atts)
{
  if(!strcmp(el, "row")) {
    long long n = num(attr(atts, "r", 0));
    x->line = n > 0 ? (size_t)n : x->line + 1;
    x->row_n = 0;
    x->col = (size_t)-1;
    memset(x->row, 0, sizeof(struct str) * XLSX_MAX_COLS);
  }
  else if(!strcmp(el, "c")) {
    const char *ref = attr(atts, "r", 0), *t = attr(atts, "t", 0);
    long long s = num(attr(atts, "s", 0));
    long c = ref ? cell_col(ref) : -1;
    x->col = c >= 0 ? (size_t)c : x->col + 1;
    x->cstyle = s > 0 ? (size_t)s : 0;
    x->ctype = !t                      ? 'n' :
               !strcmp(t, "s")         ? 's' :
               !strcmp(t, "inlineStr") ? 'i' :
               !strcmp(t, "b")         ? 'b' :
               !strcmp(t, "e")         ? 'e' :
               !strcmp(t, "d")         ? 'd' :
               !strcmp(t, "str")       ? 't' :
                                         'n';
  }
  else if(!strcmp(el, "v")) {
    start_text(x);
  }
  else if(!strcmp(el, "is")) {
    x->in_is = 1;
    start_text(x);
  }
  else if(!strcmp(el, "rPh")) {
    x->rph++;
  }
}

static void sheet_end(struct xr *x, const char *el)
{
  if(!strcmp(el, "row")) {
    end_row(x);
  }
  else if(!strcmp(el, "rPh")) {
    x->rph--;
  }
  else if(!strcmp(el, "is")) {
    x->in_is = 0;
    set_cell(x, keep_text(x));
  }
  else if(!strcmp(el, "v") && x->is_text) {
    struct str v = keep_text(x);
    long long i;
    switch(x->ctype) {
    case 's':
      i = num(v.len ? arena_strndup(x->a, v.p, v.len) : "");
      if(i < 0 || (size_t)i >= x->n_sst) {
        fail(x, ST_INVALID, M_XLSX_BROKEN);
        return;
      }
      v = x->sst[i];
      break;
    case 'b':
      v = str_c(str_eq_c(v, "1") ? "TRUE" : "FALSE");
      break;
    case 'd':
      if(v.len > 10) {
        v.len = 10;
      }
      break;
    case 'n':
      v = number_text(x, v, x->cstyle < x->n_xf && x->xf_date[x->cstyle] != 0);
      break;
    default:
      break;
    }
    set_cell(x, v);
  }
}

/* ---- the other parts ---- */

static void other_start(struct xr *x, const char *el, const char **atts)
{
  switch(x->part) {
  case P_WORKBOOK:
    if(!strcmp(el, "sheet") && !x->rid[0]) {
      const char *id = attr(atts, "id", 1);
      if(id) {
        copy_name(x->rid, id);
      }
    }
    else if(!strcmp(el, "workbookPr")) {
      const char *v = attr(atts, "date1904", 0);
      x->is_1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
    }
    break;
  case P_RELS:
    if(!strcmp(el, "Relationship") && !x->target[0]) {
      const char *id = attr(atts, "Id", 0), *t = attr(atts, "Target", 0);
      if(id && t && x->rid[0] && !strcmp(id, x->rid)) {
        if(t[0] == '/') {
          copy_name(x->target, t + 1);
        }
        else {
          char full[MAX_NAME + 8];
          snprintf(full, sizeof(full), "xl/%s", t);
          copy_name(x->target, full);
        }
      }
    }
    break;
  case P_STYLES:
    if(!strcmp(el, "numFmt")) {
      long long id = num(attr(atts, "numFmtId", 0));
      const char *code = attr(atts, "formatCode", 0);
      if(id >= 0 && code && code_is_date(code) &&
         x->n_date_fmts < sizeof(x->date_fmts) / sizeof(x->date_fmts[0])) {
        x->date_fmts[x->n_date_fmts++] = (int)id;
      }
    }
    else if(!strcmp(el, "cellXfs")) {
      x->in_cellxfs = 1;
    }
    else if(!strcmp(el, "xf") && x->in_cellxfs) {
      long long id = num(attr(atts, "numFmtId", 0));
      size_t i;
      int is_date = builtin_is_date(id);
      for(i = 0; i < x->n_date_fmts && !is_date; i++) {
        is_date = x->date_fmts[i] == id;
      }
      x->xf_date = grow(x, x->xf_date, x->n_xf, &x->cap_xf, 1);
      if(x->xf_date) {
        x->xf_date[x->n_xf++] = (unsigned char)is_date;
      }
    }
    break;
  case P_SST:
    if(!strcmp(el, "si")) {
      start_text(x);
    }
    else if(!strcmp(el, "rPh")) {
      x->rph++;
    }
    break;
  case P_SHEET:
    break;
  }
}

static void XMLCALL on_start(void *arg, const XML_Char *name,
                             const XML_Char **atts)
{
  struct xr *x = arg;
  const char *el = local(name);
  if(x->part == P_SHEET) {
    sheet_start(x, el, atts);
  }
  else {
    other_start(x, el, atts);
  }
}

static void XMLCALL on_end(void *arg, const XML_Char *name)
{
  struct xr *x = arg;
  const char *el = local(name);
  if(x->part == P_SHEET) {
    sheet_end(x, el);
  }
  else if(x->part == P_STYLES && !strcmp(el, "cellXfs")) {
    x->in_cellxfs = 0;
  }
  else if(x->part == P_SST) {
    if(!strcmp(el, "rPh")) {
      x->rph--;
    }
    else if(!strcmp(el, "si")) {
      struct str s = keep_text(x);
      x->sst = grow(x, x->sst, x->n_sst, &x->cap_sst, sizeof(*x->sst));
      if(x->sst) {
        x->sst[x->n_sst++] = s;
      }
    }
  }
}

/* 1 while in a string item (<si>, <is>), where only the text of its
 * <t> elements counts (not indentation between runs, not <rPh>). */
static int in_string(const struct xr *x)
{
  return x->part == P_SST || (x->part == P_SHEET && x->in_is);
}

static void XMLCALL on_start_t(void *arg, const XML_Char *name,
                               const XML_Char **atts)
{
  struct xr *x = arg;
  on_start(arg, name, atts);
  if(in_string(x) && !strcmp(local(name), "t")) {
    x->is_text = 2; /* inside <t> */
  }
}

static void XMLCALL on_end_t(void *arg, const XML_Char *name)
{
  struct xr *x = arg;
  if(in_string(x) && !strcmp(local(name), "t") && x->is_text) {
    x->is_text = 1;
  }
  on_end(arg, name);
}

static void XMLCALL on_text_t(void *arg, const XML_Char *s, int len)
{
  struct xr *x = arg;
  if(in_string(x) ? x->is_text == 2 && !x->rph : x->is_text != 0) {
    buf_append(&x->text, s, (size_t)len);
  }
}

static void XMLCALL on_doctype(void *arg, const XML_Char *name,
                               const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal)
{
  (void)name;
  (void)sysid;
  (void)pubid;
  (void)has_internal;
  fail(arg, ST_INVALID, M_XLSX_BROKEN);
}

/* Stream part name of z through expat.  A missing part is ST_NOTFOUND
 * (the caller decides whether that matters). */
static enum status parse_part(struct xr *x, zip_t *z, const char *name,
                              enum part part, char *chunk)
{
  zip_int64_t idx = zip_name_locate(z, name, 0);
  zip_file_t *f;
  size_t total = 0;
  if(idx < 0) {
    return ST_NOTFOUND;
  }
  f = zip_fopen_index(z, (zip_uint64_t)idx, 0);
  if(!f) {
    fail(x, ST_INVALID, M_XLSX_BROKEN);
    return x->st;
  }
  x->p = XML_ParserCreateNS(NULL, '|');
  if(!x->p) {
    zip_fclose(f);
    fail(x, ST_TOOBIG, M_XLSX_MEMORY);
    return x->st;
  }
  x->part = part;
  x->is_text = 0;
  x->rph = 0;
  x->in_is = 0;
  XML_SetUserData(x->p, x);
  XML_SetElementHandler(x->p, on_start_t, on_end_t);
  XML_SetCharacterDataHandler(x->p, on_text_t);
  XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
  for(;;) {
    zip_int64_t n = zip_fread(f, chunk, CHUNK);
    if(n < 0) {
      fail(x, ST_INVALID, M_XLSX_BROKEN);
      break;
    }
    total += (size_t)n;
    if(total > XLSX_MAX_PART) {
      fail(x, ST_TOOBIG, M_XLSX_BOMB);
      break;
    }
    if(XML_Parse(x->p, chunk, (int)n, n == 0) != XML_STATUS_OK) {
      fail(x, ST_INVALID, M_XLSX_BROKEN);
      break;
    }
    if(n == 0 || x->st) {
      break;
    }
  }
  XML_ParserFree(x->p);
  x->p = NULL;
  zip_fclose(f);
  return x->st;
}

int xlsx_is_zip(struct str data)
{
  return data.len >= 4 && memcmp(data.p, "PK\x03\x04", 4) == 0;
}

enum status xlsx_read(struct str data, struct arena *a, struct xlsx_sheet *out,
                      enum msg *why)
{
  struct xr x;
  zip_source_t *src;
  zip_t *z;
  zip_error_t ze;
  char *chunk;
  enum status st;

  memset(out, 0, sizeof(*out));
  *why = M_XLSX_NOT_ZIP;
  if(!xlsx_is_zip(data)) {
    return ST_INVALID;
  }
  memset(&x, 0, sizeof(x));
  x.a = a;
  x.out = out;
  buf_init(&x.text, MAX_CELL_LEN);
  chunk = arena_alloc(a, CHUNK);
  x.row = arena_alloc(a, sizeof(struct str) * XLSX_MAX_COLS);
  if(!chunk || !x.row) {
    buf_free(&x.text);
    *why = M_XLSX_MEMORY;
    return ST_TOOBIG;
  }
  zip_error_init(&ze);
  src = zip_source_buffer_create(data.p, data.len, 0, &ze);
  z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
  zip_error_fini(&ze);
  if(!z) {
    if(src) {
      zip_source_free(src);
    }
    buf_free(&x.text);
    return ST_INVALID;
  }
  st = parse_part(&x, z, "xl/workbook.xml", P_WORKBOOK, chunk);
  if(!st) {
    st = parse_part(&x, z, "xl/_rels/workbook.xml.rels", P_RELS, chunk);
  }
  if(st == ST_NOTFOUND || (!st && !x.target[0])) {
    /* no usable relationship: the name every writer uses */
    copy_name(x.target, "xl/worksheets/sheet1.xml");
    st = ST_OK;
  }
  if(!st) {
    st = parse_part(&x, z, "xl/styles.xml", P_STYLES, chunk);
    st = st == ST_NOTFOUND ? ST_OK : st;
  }
  if(!st) {
    st = parse_part(&x, z, "xl/sharedStrings.xml", P_SST, chunk);
    st = st == ST_NOTFOUND ? ST_OK : st;
  }
  if(!st) {
    st = parse_part(&x, z, x.target, P_SHEET, chunk);
    if(st == ST_NOTFOUND) {
      x.st = ST_INVALID;
      x.why = M_XLSX_BROKEN;
      st = ST_INVALID;
    }
  }
  zip_discard(z);
  buf_free(&x.text);
  if(st) {
    *why = x.st ? x.why : M_XLSX_BROKEN;
    memset(out, 0, sizeof(*out));
    return x.st ? x.st : st;
  }
  return ST_OK;
}

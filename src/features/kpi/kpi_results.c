/*
 * kpi_results.c: the reader of a social-engineering drill's results as
 * the provider exports them (one CSV line per recipient event), checked
 * line by line as the register import checks a file: every error is
 * recorded with its line, and nothing is used unless the whole file is
 * right.  Pure: no database (tests/fuzz/fuzz_results.c drives it).
 */
#include "kpi.h"
#include "core/csv.h"
#include "core/time.h"
#include "core/utf8.h"

#include <string.h>

/* The columns the file must have. */
enum col {
  COL_RECIPIENT = 0,
  COL_OPENED,
  COL_CLICKED,
  N_COLS,
  COL_OTHER = -1, /* a column of the provider's that is not read */
};

/* Header names of each column, compared in lower case without spaces,
 * '-' and '_' ("E-mail Address" is "emailaddress"). */
static const char *const aliases[N_COLS][12] = {
  { "recipient", "收件人", "收件者", "電子郵件", "電子郵件地址", "email",
    "emailaddress", "mail", "員工編號", "employeeid", NULL },
  { "opened", "open", "開啟", "開啟郵件", "開信", "開啟時間", "openedat",
    NULL },
  { "clicked", "click", "點閱", "點擊", "點閱連結", "點閱附件", "點擊連結",
    "點閱時間", "clickedat", NULL },
};

/* The name a missing column is reported under. */
static const enum msg col_label[N_COLS] = { M_KPI_COL_RECIPIENT,
                                            M_KPI_COL_OPENED,
                                            M_KPI_COL_CLICKED };

static enum msg csv_msg(enum csv_error e)
{
  switch(e) {
  case CSV_ERR_QUOTE:
    return M_CSV_QUOTE;
  case CSV_ERR_GARBAGE:
    return M_CSV_GARBAGE;
  case CSV_ERR_UTF8:
    return M_CSV_UTF8;
  case CSV_ERR_FIELDS:
    return M_CSV_FIELDS;
  default:
    return M_ERR_TOO_BIG;
  }
}

/* Which column header cell h names. */
static int column_of(struct str h)
{
  char key[64];
  size_t i, k = 0;
  int c, j;
  h = str_trim(csv_unprotect(h));
  for(i = 0; i < h.len; i++) {
    char ch = h.p[i];
    if(ch == ' ' || ch == '-' || ch == '_') {
      continue;
    }
    if(k + 1 >= sizeof(key)) {
      return COL_OTHER; /* longer than any name */
    }
    key[k++] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
  }
  key[k] = '\0';
  for(c = 0; c < N_COLS; c++) {
    for(j = 0; aliases[c][j]; j++) {
      if(!strcmp(key, aliases[c][j])) {
        return c;
      }
    }
  }
  return COL_OTHER;
}

/* A header cell as an error's field: at most 100 bytes, not cut inside
 * a UTF-8 sequence. */
static const char *cell_name(struct arena *a, struct str cell)
{
  const char *name;
  size_t n;
  cell = str_trim(cell);
  n = cell.len > 100 ? 100 : cell.len;
  while(n < cell.len && n > 0 && ((unsigned char)cell.p[n] & 0xC0) == 0x80) {
    n--;
  }
  name = arena_strndup(a, cell.p, n);
  return name ? name : "";
}

/* Read up to max_digits digits at s[*i]; -1 when there is none. */
static int digits(struct str s, size_t *i, int max_digits)
{
  int v = 0, n = 0;
  while(*i < s.len && s.p[*i] >= '0' && s.p[*i] <= '9' && n < max_digits) {
    v = v * 10 + (s.p[*i] - '0');
    (*i)++;
    n++;
  }
  if(*i < s.len && s.p[*i] >= '0' && s.p[*i] <= '9') {
    return -1; /* too many digits */
  }
  return n ? v : -1;
}

/* 1 if s is a date (2026-05-12, 2026/5/12, 2026.5.12, or an ROC year:
 * 115/05/12) with an optional time after a space or "T" (09:31,
 * 09:31:22, 上午 9:31, 9:31 PM, 09:31:22Z, +08:00). */
static int is_timestamp(struct str s)
{
  size_t i = 0, start;
  int y, m, d, year_digits;
  char sep;
  start = i;
  y = digits(s, &i, 4);
  year_digits = (int)(i - start);
  if(y < 0 || i >= s.len) {
    return 0;
  }
  sep = s.p[i];
  if(sep != '-' && sep != '/' && sep != '.') {
    return 0;
  }
  i++;
  m = digits(s, &i, 2);
  if(m < 0 || i >= s.len || s.p[i] != sep) {
    return 0;
  }
  i++;
  d = digits(s, &i, 2);
  if(d < 0) {
    return 0;
  }
  if(year_digits <= 3) {
    y += 1911; /* 民國 */
  }
  if(year_digits < 2 || m < 1 || m > 12 || d < 1 ||
     d > time_days_in_month(y, m)) {
    return 0;
  }
  if(i == s.len) {
    return 1;
  }
  if(s.p[i] != ' ' && s.p[i] != 'T') {
    return 0;
  }
  /* The time: digits and the marks of the usual forms only. */
  while(i < s.len) {
    static const char *const words[] = {
      "上午", "下午", "AM", "PM", "am", "pm"
    };
    size_t w;
    char c = s.p[i];
    if((c >= '0' && c <= '9') || c == ':' || c == '.' || c == ' ' ||
       c == 'T' || c == 'Z' || c == '+' || c == '-') {
      i++;
      continue;
    }
    for(w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
      size_t len = strlen(words[w]);
      if(s.len - i >= len && !memcmp(s.p + i, words[w], len)) {
        i += len;
        break;
      }
    }
    if(w == sizeof(words) / sizeof(words[0])) {
      return 0;
    }
  }
  return 1;
}

/* 1 if s (trimmed) equals word, ASCII letters compared in any case. */
static int is_word(struct str s, const char *word)
{
  size_t i, n = strlen(word);
  if(s.len != n) {
    return 0;
  }
  for(i = 0; i < n; i++) {
    char c = s.p[i];
    c = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    if(c != word[i]) {
      return 0;
    }
  }
  return 1;
}

/* A flag cell: 1 yes, 0 no, -1 not recognised. */
static int flag_of(struct str s)
{
  static const char *const yes[] = { "y", "yes", "1", "true", "是" };
  static const char *const no[] = { "n", "no", "0", "false", "否" };
  size_t i;
  s = str_trim(s);
  if(!s.len) {
    return 0;
  }
  for(i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
    if(is_word(s, yes[i])) {
      return 1;
    }
    if(is_word(s, no[i])) {
      return 0;
    }
  }
  return is_timestamp(s) ? 1 : -1;
}

/* The recipient of a cell, trimmed and in lower case, or NULL with an
 * error recorded (field name). */
static const char *recipient_of(struct str s, const char *name,
                                struct arena *a, struct reg_errors *errs,
                                int *nomem)
{
  char *out;
  size_t i;
  s = str_trim(s);
  if(!s.len) {
    reg_error(errs, name, M_KPI_RES_NO_RECIPIENT);
    return NULL;
  }
  if(s.len > KPI_RECIPIENT_MAX) {
    reg_error(errs, name, M_KPI_RES_RECIPIENT_LONG);
    return NULL;
  }
  if(utf8_has_control(s, 0)) {
    reg_error(errs, name, M_KPI_RES_RECIPIENT_BAD);
    return NULL;
  }
  out = arena_strndup(a, s.p, s.len);
  if(!out) {
    *nomem = 1;
    return NULL;
  }
  for(i = 0; out[i]; i++) {
    if(out[i] >= 'A' && out[i] <= 'Z') {
      out[i] = (char)(out[i] - 'A' + 'a');
    }
  }
  return out;
}

enum status kpi_results_parse(struct str csv, struct arena *a,
                              struct kpi_phish_row **rows, size_t *n,
                              struct reg_errors *errs)
{
  struct csv_reader rd;
  struct str *cells;
  struct kpi_phish_row *v = NULL;
  const char *names[N_COLS];
  size_t n_cols, n_cells, i, cap = 0, k = 0, lines = 0;
  int at[N_COLS];
  int nomem = 0;
  enum status st;

  *rows = NULL;
  *n = 0;
  if(csv.len > KPI_RESULTS_MAX_BYTES) {
    reg_error(errs, "", M_ERR_TOO_BIG);
    return ST_INVALID;
  }
  csv_reader_init(&rd, csv);
  st = csv_read(&rd, a, &cells, &n_cols, 256);
  if(st == ST_NOTFOUND) {
    reg_error(errs, "", M_IMPORT_EMPTY);
    return ST_INVALID;
  }
  if(st == ST_TOOBIG) {
    return ST_TOOBIG;
  }
  if(st) {
    errs->row = rd.err_line;
    reg_error(errs, "", csv_msg(rd.err));
    return ST_INVALID;
  }
  errs->row = rd.record_line;
  for(i = 0; i < N_COLS; i++) {
    at[i] = -1;
    names[i] = NULL;
  }
  for(i = 0; i < n_cols; i++) {
    int c = column_of(cells[i]);
    if(c == COL_OTHER) {
      continue; /* the provider's other columns */
    }
    if(at[c] >= 0) {
      reg_error(errs, cell_name(a, cells[i]), M_IMPORT_DUP_COLUMN);
      continue;
    }
    at[c] = (int)i;
    names[c] = cell_name(a, cells[i]);
  }
  for(i = 0; i < N_COLS; i++) {
    if(at[i] < 0) {
      reg_error(errs, msg_get(LANG_ZH, col_label[i]), M_KPI_RES_NO_COLUMN);
    }
  }
  if(reg_errors_any(errs)) {
    return ST_INVALID;
  }
  for(;;) {
    struct kpi_phish_row row;
    int flag;
    st = csv_read(&rd, a, &cells, &n_cells, 256);
    if(st == ST_NOTFOUND) {
      break;
    }
    if(st == ST_TOOBIG) {
      return ST_TOOBIG;
    }
    if(st) {
      errs->row = rd.err_line;
      reg_error(errs, "", csv_msg(rd.err));
      return ST_INVALID; /* the reader cannot go on past it */
    }
    if(n_cells == 1 && cells[0].len == 0) {
      continue; /* a blank line */
    }
    errs->row = rd.record_line;
    if(++lines > KPI_RESULTS_MAX_ROWS) {
      reg_error(errs, "", M_ERR_TOO_BIG);
      return ST_INVALID;
    }
    if(n_cells != n_cols) {
      reg_error(errs, "", M_IMPORT_COLUMNS);
      continue;
    }
    memset(&row, 0, sizeof(row));
    row.line = rd.record_line;
    row.recipient = recipient_of(csv_unprotect(cells[at[COL_RECIPIENT]]),
                                 names[COL_RECIPIENT], a, errs, &nomem);
    if(nomem) {
      return ST_TOOBIG;
    }
    flag = flag_of(csv_unprotect(cells[at[COL_OPENED]]));
    if(flag < 0) {
      reg_error_detail(errs, names[COL_OPENED], M_KPI_RES_FLAG,
                       cell_name(a, cells[at[COL_OPENED]]));
    }
    row.opened = flag > 0;
    flag = flag_of(csv_unprotect(cells[at[COL_CLICKED]]));
    if(flag < 0) {
      reg_error_detail(errs, names[COL_CLICKED], M_KPI_RES_FLAG,
                       cell_name(a, cells[at[COL_CLICKED]]));
    }
    row.clicked = flag > 0;
    if(reg_errors_any(errs)) {
      continue; /* keep checking, keep nothing */
    }
    if(k == cap) {
      struct kpi_phish_row *grown;
      cap = cap ? cap * 2 : 128;
      grown = arena_alloc(a, sizeof(*grown) * cap);
      if(!grown) {
        return ST_TOOBIG;
      }
      if(k) {
        memcpy(grown, v, sizeof(*v) * k);
      }
      v = grown;
    }
    v[k++] = row;
  }
  if(reg_errors_any(errs)) {
    return ST_INVALID;
  }
  if(!k) {
    errs->row = 0;
    reg_error(errs, "", M_IMPORT_EMPTY);
    return ST_INVALID;
  }
  *rows = v;
  *n = k;
  return ST_OK;
}

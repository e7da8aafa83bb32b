/*
 * mask_bench.c: accuracy and speed of the personal-data scanner
 * (core/mask.h; issue 7, "Accuracy" and "Speed"), measured in process.
 *
 *   mask_bench accuracy PREFIX [--examples N] [--check]
 *   mask_bench speed FILE [--runs N]
 *   mask_bench digest FILE [--slice L]...
 *
 * accuracy reads what maskgen wrote under PREFIX (.txt, .labels.tsv,
 * .indicators.tsv, .traps.tsv), runs mask_scan over the text with every
 * entity (UBN too) and scores each entity:
 *   precision = findings that overlap a gold span of the same entity
 *               / findings
 *   recall    = gold spans fully covered by findings of the same entity
 *               / gold spans
 * with F1, against the targets (0.99 for the checksum entities TW_ID,
 * TW_ARC, CARD and UBN; 0.95 for the others).  It then masks the text
 * with mask_text (replace) and checks that every indicator is still
 * there byte for byte, and counts the near misses that were found.
 * Misses and false findings are broken down by the form maskgen wrote,
 * with up to N examples each (text around them).  --check: exit status
 * 1 when an entity is under its target or an indicator was touched.
 *
 * speed reads FILE into memory and times, single-threaded, best of N
 * runs (5): mask_scan counting findings, mask_text replacing into a
 * buffer already large enough, and memchr for a byte the text does not
 * hold.  MB/s and GB/s with 1 MB = 10^6 and 1 GB = 10^9 bytes.  The last
 * line ("result ...") is for bench/mask.py.
 *
 * digest prints one line, the same on every pass of the scanner: a hash
 * of every finding over FILE whole and cut in pieces of each L (see
 * digest() below), their count and the pass that ran.
 *
 * Exit status 0, 1 (--check failed), 2 (bad input), 64 (usage).
 */
#include "core/buf.h"
#include "core/mask.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A span of the text read from a TSV file. */
struct span {
  int entity;       /* enum mask_entity, or -1 in the other files */
  const char *form; /* entity form, indicator kind or near-miss form */
  size_t off, len;  /* bytes of the text */
};

struct spans {
  struct span *v; /* ascending by off */
  size_t n, cap;
  char *file; /* the TSV text the forms point into */
};

struct findings {
  struct mask_finding *v; /* as mask_scan reported them */
  size_t n, cap;
};

/* ---- files ---- */

/* Read the whole file at path into *data (NUL-terminated; free() it) and
 * its size into *n.  0 on success. */
static int read_all(const char *path, char **data, size_t *n)
{
  FILE *f = fopen(path, "rb");
  if(!f) {
    fprintf(stderr, "mask_bench: cannot open %s\n", path);
    return -1;
  }
  size_t cap = 1 << 20, len = 0;
  char *p = xmalloc(cap);
  for(;;) {
    if(len + 1 == cap) {
      cap *= 2;
      p = xrealloc(p, cap);
    }
    size_t got = fread(p + len, 1, cap - 1 - len, f);
    if(!got) {
      break;
    }
    len += got;
  }
  int bad = ferror(f);
  fclose(f);
  if(bad) {
    fprintf(stderr, "mask_bench: cannot read %s\n", path);
    free(p);
    return -1;
  }
  p[len] = 0;
  *data = p;
  *n = len;
  return 0;
}

/* The entity named s, or -1. */
static int entity_by_name(const char *s)
{
  for(int e = 0; e < MASK_N; e++) {
    if(!strcmp(s, mask_entity_name((enum mask_entity)e))) {
      return e;
    }
  }
  return -1;
}

/* Parse a decimal size; 0 on success. */
static int parse_size(const char *s, size_t *out)
{
  char *end;
  if(*s < '0' || *s > '9') {
    return -1;
  }
  unsigned long long v = strtoull(s, &end, 10);
  if(*end) {
    return -1;
  }
  *out = (size_t)v;
  return 0;
}

/*
 * Read the TSV file at path into *s.  labels: rows are entity, offset,
 * length, form; otherwise form, offset, length.  Every span must lie in
 * a text of text_len bytes and the rows must be in ascending order.
 */
static int read_spans(const char *path, int labels, size_t text_len,
                      struct spans *s)
{
  size_t n;
  memset(s, 0, sizeof(*s));
  if(read_all(path, &s->file, &n)) {
    return -1;
  }
  char *line = s->file;
  size_t lineno = 0, last = 0;
  while(*line) {
    char *nl = strchr(line, '\n');
    char *f[4] = { line, NULL, NULL, NULL };
    struct span sp = { -1, "", 0, 0 };
    lineno++;
    if(nl) {
      *nl = 0;
    }
    for(int i = 1; i < 4; i++) {
      char *tab = f[i - 1] ? strchr(f[i - 1], '\t') : NULL;
      if(tab) {
        *tab = 0;
        f[i] = tab + 1;
      }
    }
    int bad = !f[1] || !f[2];
    if(!bad && labels) {
      sp.entity = entity_by_name(f[0]);
      sp.form = f[3] ? f[3] : "";
      bad = sp.entity < 0;
    }
    else if(!bad) {
      sp.form = f[0];
    }
    bad = bad || parse_size(f[1], &sp.off) || parse_size(f[2], &sp.len) ||
          sp.off > text_len || sp.len > text_len - sp.off || sp.off < last;
    if(bad) {
      fprintf(stderr, "mask_bench: %s:%zu: bad row\n", path, lineno);
      return -1;
    }
    last = sp.off;
    if(s->n == s->cap) {
      s->cap = s->cap ? 2 * s->cap : 1024;
      s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
    }
    s->v[s->n++] = sp;
    if(!nl) {
      break;
    }
    line = nl + 1;
  }
  return 0;
}

static void spans_free(struct spans *s)
{
  free(s->v);
  free(s->file);
}

static int collect(void *ctx, const struct mask_finding *f)
{
  struct findings *fs = ctx;
  if(fs->n == fs->cap) {
    fs->cap = fs->cap ? 2 * fs->cap : 1024;
    fs->v = xrealloc(fs->v, fs->cap * sizeof(*fs->v));
  }
  fs->v[fs->n++] = *f;
  return 0;
}

/* ---- accuracy ---- */

static double target_of(int e)
{
  return e == MASK_TW_ID || e == MASK_TW_ARC || e == MASK_CARD ||
             e == MASK_UBN ?
           0.99 :
           0.95;
}

static int overlaps(size_t a_off, size_t a_len, size_t b_off, size_t b_len)
{
  return a_off < b_off + b_len && b_off < a_off + a_len;
}

/* The first span of s (from index *from, which it advances) that
 * overlaps [off, off+len) and for which entity matches (any entity when
 * entity is -2), or NULL.  Queries must come in ascending off. */
static const struct span *span_at(const struct spans *s, size_t *from,
                                  size_t off, size_t len, int entity)
{
  /* spans do not overlap each other, so those ending before off are
   * done for every later query */
  while(*from < s->n && s->v[*from].off + s->v[*from].len <= off) {
    (*from)++;
  }
  for(size_t i = *from; i < s->n && s->v[i].off < off + len; i++) {
    if(overlaps(s->v[i].off, s->v[i].len, off, len) &&
       (entity == -2 || s->v[i].entity == entity)) {
      return &s->v[i];
    }
  }
  return NULL;
}

/* A tally of causes or forms with counts. */
struct tally {
  const char *name[64];
  size_t count[64];
  size_t n;
};

static void tally_add(struct tally *t, const char *name)
{
  for(size_t i = 0; i < t->n; i++) {
    if(!strcmp(t->name[i], name)) {
      t->count[i]++;
      return;
    }
  }
  if(t->n < N(t->name)) {
    t->name[t->n] = name;
    t->count[t->n++] = 1;
  }
}

static void tally_print(const struct tally *t, const char *what)
{
  if(!t->n) {
    return;
  }
  printf("    %s:", what);
  for(size_t i = 0; i < t->n; i++) {
    printf(" %s %zu", t->name[i], t->count[i]);
  }
  putchar('\n');
}

/* Print text[off, off+len) with about 40 bytes around it, the span in
 * [[ ]], newlines as ⏎; the cut points move back to character starts. */
static void show(const char *text, size_t n, size_t off, size_t len)
{
  size_t a = off > 40 ? off - 40 : 0,
         b = off + len + 40 < n ? off + len + 40 : n;
  while(a > 0 && ((unsigned char)text[a] & 0xc0) == 0x80) {
    a--;
  }
  while(b < n && ((unsigned char)text[b] & 0xc0) == 0x80) {
    b--;
  }
  fputs("      ", stdout);
  for(size_t i = a; i < b; i++) {
    if(i == off) {
      fputs("[[", stdout);
    }
    if(text[i] == '\n') {
      fputs("⏎", stdout);
    }
    else if(text[i] == '\t') {
      putchar(' ');
    }
    else {
      putchar(text[i]);
    }
    if(i + 1 == off + len) {
      fputs("]]", stdout);
    }
  }
  putchar('\n');
}

/* Room for the examples of one entity: the first of each form first. */
struct examples {
  size_t off[16], len[16];
  const char *why[16];
  size_t n, max;
};

static void example_add(struct examples *x, size_t off, size_t len,
                        const char *why)
{
  size_t i;
  for(i = 0; i < x->n; i++) {
    if(!strcmp(x->why[i], why)) {
      return; /* one per form or cause */
    }
  }
  if(x->n < x->max && x->n < N(x->off)) {
    x->off[x->n] = off;
    x->len[x->n] = len;
    x->why[x->n++] = why;
  }
}

static void examples_print(const struct examples *x, const char *text,
                           size_t n, const char *what)
{
  for(size_t i = 0; i < x->n; i++) {
    printf("    %s (%s) at %zu:\n", what, x->why[i], x->off[i]);
    show(text, n, x->off[i], x->len[i]);
  }
}

/* The name of entity e with a prefix, kept for the tallies. */
static const char *as_name(const char *prefix, int e)
{
  static char names[2][MASK_N][32];
  int k = prefix[0] == 'f' ? 0 : 1;
  if(!names[k][e][0]) {
    snprintf(names[k][e], sizeof(names[k][e]), "%s%s", prefix,
             mask_entity_name((enum mask_entity)e));
  }
  return names[k][e];
}

/* Score entity e; returns 1 when it meets its target. */
static int score(int e, const char *text, size_t n, const struct spans *gold,
                 const struct spans *inds, const struct spans *traps,
                 const struct findings *fs, size_t max_examples)
{
  size_t n_gold = 0, covered = 0, n_found = 0, true_found = 0;
  size_t gi = 0, ti = 0, ii = 0, oi = 0;
  struct tally missed = { 0 }, miss_how = { 0 }, false_why = { 0 };
  struct examples miss_x = { .max = max_examples },
                  false_x = { .max = max_examples };

  /* precision: each finding of e against the gold spans of e */
  for(size_t i = 0; i < fs->n; i++) {
    const struct mask_finding *f = &fs->v[i];
    if((int)f->entity != e) {
      continue;
    }
    n_found++;
    if(span_at(gold, &gi, f->off, f->len, e)) {
      true_found++;
      continue;
    }
    const struct span *s;
    const char *why = "unexpected";
    if((s = span_at(gold, &oi, f->off, f->len, -2))) {
      why = as_name("gold ", s->entity);
    }
    else if((s = span_at(traps, &ti, f->off, f->len, -2))) {
      why = s->form;
    }
    else if((s = span_at(inds, &ii, f->off, f->len, -2))) {
      why = s->form;
    }
    tally_add(&false_why, why);
    example_add(&false_x, f->off, f->len, why);
  }

  /* recall: each gold span of e covered by findings of e */
  size_t fi = 0;
  for(size_t i = 0; i < gold->n; i++) {
    const struct span *g = &gold->v[i];
    if(g->entity != e) {
      continue;
    }
    n_gold++;
    while(fi < fs->n && fs->v[fi].off + fs->v[fi].len <= g->off) {
      fi++;
    }
    size_t pos = g->off;
    const char *why = "not found";
    for(size_t k = fi; k < fs->n && fs->v[k].off < g->off + g->len; k++) {
      const struct mask_finding *f = &fs->v[k];
      if((int)f->entity != e) {
        why = as_name("found as ", (int)f->entity);
        continue;
      }
      if(f->off <= pos && f->off + f->len > pos) {
        pos = f->off + f->len;
      }
      why = "partly";
    }
    if(pos >= g->off + g->len) {
      covered++;
      continue;
    }
    tally_add(&missed, g->form);
    tally_add(&miss_how, why);
    example_add(&miss_x, g->off, g->len, g->form);
  }

  double p = n_found ? (double)true_found / (double)n_found : 1.0;
  double r = n_gold ? (double)covered / (double)n_gold : 1.0;
  double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0.0;
  double t = target_of(e);
  int ok = p >= t && r >= t;
  printf("%-9s %7zu %7zu %10.4f %7.4f %7.4f %7.2f  %s\n",
         mask_entity_name((enum mask_entity)e), n_gold, n_found, p, r, f1, t,
         ok ? "PASS" : "MISS");
  tally_print(&missed, "missed, by form");
  tally_print(&miss_how, "missed, how");
  tally_print(&false_why, "false findings, by what they hit");
  examples_print(&miss_x, text, n, "missed");
  examples_print(&false_x, text, n, "false");
  return ok;
}

/* The output length of a replace token for entity e: "<NAME>". */
static size_t token_len(int e)
{
  return strlen(mask_entity_name((enum mask_entity)e)) + 2;
}

/*
 * Mask the text (replace) and check every indicator byte for byte in the
 * output, where the findings before it have moved it.  Prints the
 * counts; returns 1 when all are intact.
 */
static int check_indicators(const char *text, size_t n,
                            const struct findings *fs,
                            const struct spans *inds,
                            const struct spans *traps)
{
  struct buf out;
  size_t expect = n;
  for(size_t i = 0; i < fs->n; i++) {
    expect = expect - fs->v[i].len + token_len((int)fs->v[i].entity);
  }
  buf_init(&out, expect + 1);
  size_t replaced = mask_text(&out, text, n, MASK_ALL, MASK_OP_REPLACE, NULL);
  int consistent = !out.err && out.len == expect && replaced == fs->n;
  if(!consistent) {
    printf("mask_text does not agree with mask_scan: %zu findings, %zu "
           "replaced, %zu bytes, %zu expected\n",
           fs->n, replaced, out.len, expect);
  }
  struct tally broken = { 0 };
  size_t intact = 0, fi = 0;
  long long shift = 0;
  for(size_t i = 0; i < inds->n; i++) {
    const struct span *s = &inds->v[i];
    while(fi < fs->n && fs->v[fi].off + fs->v[fi].len <= s->off) {
      shift +=
        (long long)token_len((int)fs->v[fi].entity) - (long long)fs->v[fi].len;
      fi++;
    }
    int hit = fi < fs->n && fs->v[fi].off < s->off + s->len;
    size_t at = (size_t)((long long)s->off + shift);
    if(!hit && consistent && at + s->len <= out.len &&
       !memcmp(out.data + at, text + s->off, s->len)) {
      intact++;
    }
    else {
      tally_add(&broken, s->form);
    }
  }
  printf("indicators intact: %zu of %zu\n", intact, inds->n);
  tally_print(&broken, "touched, by kind");

  struct tally found = { 0 };
  size_t left = 0;
  fi = 0;
  for(size_t i = 0; i < traps->n; i++) {
    const struct span *s = &traps->v[i];
    while(fi < fs->n && fs->v[fi].off + fs->v[fi].len <= s->off) {
      fi++;
    }
    if(fi < fs->n && fs->v[fi].off < s->off + s->len) {
      tally_add(&found, s->form);
    }
    else {
      left++;
    }
  }
  printf("near misses left alone: %zu of %zu\n", left, traps->n);
  tally_print(&found, "found, by form");
  buf_free(&out);
  return consistent && intact == inds->n;
}

static int accuracy(const char *prefix, size_t max_examples, int check)
{
  char path[4096];
  char *text = NULL;
  size_t n;
  struct spans gold, inds, traps;
  struct findings fs = { 0 };
  int rc = 2;

  snprintf(path, sizeof(path), "%s.txt", prefix);
  if(read_all(path, &text, &n)) {
    return 2;
  }
  snprintf(path, sizeof(path), "%s.labels.tsv", prefix);
  int bad = read_spans(path, 1, n, &gold);
  snprintf(path, sizeof(path), "%s.indicators.tsv", prefix);
  bad = bad || read_spans(path, 0, n, &inds);
  snprintf(path, sizeof(path), "%s.traps.tsv", prefix);
  bad = bad || read_spans(path, 0, n, &traps);
  if(bad) {
    goto out;
  }

  mask_scan(text, n, MASK_ALL, collect, &fs);
  for(size_t i = 1; i < fs.n; i++) {
    if(fs.v[i].off < fs.v[i - 1].off + fs.v[i - 1].len) {
      printf("mask_scan broke its contract: finding %zu (at %zu) overlaps "
             "or precedes the one before\n",
             i, fs.v[i].off);
      rc = 1;
      goto out;
    }
  }
  printf("accuracy over %zu bytes: %zu gold spans, %zu findings (all "
         "entities)\n",
         n, gold.n, fs.n);
  printf("%-9s %7s %7s %10s %7s %7s %7s\n", "entity", "gold", "found",
         "precision", "recall", "F1", "target");
  int all_ok = 1;
  for(int e = 0; e < MASK_N; e++) {
    all_ok &= score(e, text, n, &gold, &inds, &traps, &fs, max_examples);
  }
  all_ok &= check_indicators(text, n, &fs, &inds, &traps);
  printf("accuracy: %s\n", all_ok ? "every target met" : "targets missed");
  rc = check && !all_ok ? 1 : 0;
out:
  free(fs.v);
  spans_free(&gold);
  spans_free(&inds);
  spans_free(&traps);
  free(text);
  return rc;
}

/* ---- speed ---- */

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count_one(void *ctx, const struct mask_finding *f)
{
  (void)f;
  (*(size_t *)ctx)++;
  return 0;
}

static void speed_row(const char *what, size_t n, double secs, double ref,
                      int targets)
{
  double mbps = (double)n / secs / 1e6;
  printf("%-30s %9.1f %7.3f %9.1f %%", what, mbps, mbps / 1000.0,
         100.0 * mbps / ref);
  if(targets) {
    printf("   %s (>= 1.5 GB/s)   stretch %s (>= 25 %% of memchr)",
           mbps >= 1500.0 ? "PASS" : "MISS",
           mbps >= 0.25 * ref ? "PASS" : "MISS");
  }
  putchar('\n');
}

static int speed(const char *path, unsigned runs)
{
  char *text;
  size_t n, hist[256] = { 0 };
  if(read_all(path, &text, &n)) {
    return 2;
  }
  for(size_t i = 0; i < n; i++) {
    hist[(unsigned char)text[i]]++;
  }
  int absent = -1;
  static const int prefer[] = { 0x00, 0xff, 0xfe, 0x01, 0x7f };
  for(size_t i = 0; i < N(prefer) && absent < 0; i++) {
    if(!hist[prefer[i]]) {
      absent = prefer[i];
    }
  }
  for(int c = 0; c < 256 && absent < 0; c++) {
    if(!hist[c]) {
      absent = c;
    }
  }
  if(absent < 0) {
    fputs("mask_bench: every byte value occurs; no memchr baseline\n", stderr);
    free(text);
    return 2;
  }

  double best_scan = 1e30, best_text = 1e30, best_chr = 1e30;
  size_t found = 0, replaced = 0;
  for(unsigned r = 0; r < runs; r++) {
    size_t c = 0;
    double t0 = now();
    mask_scan(text, n, MASK_ALL, count_one, &c);
    double t = now() - t0;
    best_scan = t < best_scan ? t : best_scan;
    found = c;
  }

  struct buf out;
  buf_init(&out, 2 * n + (1u << 20));
  mask_text(&out, text, n, MASK_ALL, MASK_OP_REPLACE, NULL); /* sizes out */
  for(unsigned r = 0; r < runs; r++) {
    buf_clear(&out);
    double t0 = now();
    replaced = mask_text(&out, text, n, MASK_ALL, MASK_OP_REPLACE, NULL);
    double t = now() - t0;
    best_text = t < best_text ? t : best_text;
  }
  int out_ok = !out.err;
  buf_free(&out);

  for(unsigned r = 0; r < runs; r++) {
    double t0 = now();
    const void *volatile hit = memchr(text, absent, n);
    double t = now() - t0;
    best_chr = t < best_chr ? t : best_chr;
    if(hit) {
      fputs("mask_bench: memchr found the absent byte\n", stderr);
      free(text);
      return 2;
    }
  }
  free(text);
  if(!out_ok || replaced != found) {
    fprintf(stderr, "mask_bench: mask_text failed (%zu replaced, %zu found)\n",
            replaced, found);
    return 2;
  }

  double chr_mbps = (double)n / best_chr / 1e6;
  printf("speed over %zu bytes of %s in memory, one thread, best of %u "
         "(1 MB = 10^6 bytes, 1 GB = 10^9 bytes); all entities; %zu "
         "findings; %s pass\n",
         n, path, runs, found, mask_scan_isa());
  printf("%-30s %9s %7s %11s\n", "measure", "MB/s", "GB/s", "of memchr");
  speed_row("mask_scan (count findings)", n, best_scan, chr_mbps, 1);
  speed_row("mask_text (replace)", n, best_text, chr_mbps, 1);
  char what[64];
  snprintf(what, sizeof(what), "memchr (absent byte 0x%02x)", absent);
  speed_row(what, n, best_chr, chr_mbps, 0);
  printf("result bytes=%zu findings=%zu scan_mbps=%.1f text_mbps=%.1f "
         "memchr_mbps=%.1f\n",
         n, found, (double)n / best_scan / 1e6, (double)n / best_text / 1e6,
         chr_mbps);
  return 0;
}

/* ---- digest ---- */

/* FNV-1a over each finding's entity, offset and length. */
struct digest {
  uint64_t h;
  size_t n;
  size_t base; /* the slice's offset in the file */
};

static void fnv(struct digest *d, uint64_t v)
{
  for(int k = 0; k < 8; k++) {
    d->h ^= (v >> (8 * k)) & 0xff;
    d->h *= UINT64_C(0x100000001b3);
  }
}

static int on_digest(void *ctx, const struct mask_finding *f)
{
  struct digest *d = ctx;
  fnv(d, (uint64_t)f->entity);
  fnv(d, (uint64_t)(d->base + f->off));
  fnv(d, (uint64_t)f->len);
  d->n++;
  return 0;
}

/*
 * The findings over FILE as one digest, with every entity: the whole
 * text, then (for each slice length L given) the text cut in pieces of L
 * bytes 17 bytes apart, so that texts begin and end everywhere, inside
 * tokens and characters too.  The line is the same on every vector pass
 * (bench/mask.py --agree runs it under each ISMS_MASK_ISA).
 */
static int digest(const char *path, const size_t *slices, size_t ns)
{
  char *text;
  size_t n;
  struct digest d = { UINT64_C(0xcbf29ce484222325), 0, 0 };
  if(read_all(path, &text, &n)) {
    return 2;
  }
  mask_scan(text, n, MASK_ALL, on_digest, &d);
  for(size_t k = 0; k < ns; k++) {
    for(size_t off = 0; off + slices[k] <= n; off += slices[k] + 17) {
      d.base = off;
      mask_scan(text + off, slices[k], MASK_ALL, on_digest, &d);
    }
  }
  printf("digest %016llx findings %zu isa %s\n", (unsigned long long)d.h, d.n,
         mask_scan_isa());
  free(text);
  return 0;
}

static int usage(void)
{
  fputs("usage: mask_bench accuracy PREFIX [--examples N] [--check]\n"
        "       mask_bench speed FILE [--runs N]\n"
        "       mask_bench digest FILE [--slice L]...\n",
        stderr);
  return 64;
}

int main(int argc, char **argv)
{
  size_t examples = 3, runs = 5, slices[8], ns = 0;
  int check = 0;
  if(argc < 3) {
    return usage();
  }
  for(int i = 3; i < argc; i++) {
    if(!strcmp(argv[i], "--check")) {
      check = 1;
    }
    else if(!strcmp(argv[i], "--examples") && i + 1 < argc) {
      if(parse_size(argv[++i], &examples) || examples > 16) {
        return usage();
      }
    }
    else if(!strcmp(argv[i], "--slice") && i + 1 < argc && ns < N(slices)) {
      if(parse_size(argv[++i], &slices[ns]) || slices[ns] == 0) {
        return usage();
      }
      ns++;
    }
    else if(!strcmp(argv[i], "--runs") && i + 1 < argc) {
      if(parse_size(argv[++i], &runs) || runs == 0 || runs > 100) {
        return usage();
      }
    }
    else {
      return usage();
    }
  }
  if(!strcmp(argv[1], "accuracy")) {
    return accuracy(argv[2], examples, check);
  }
  if(!strcmp(argv[1], "speed")) {
    return speed(argv[2], (unsigned)runs);
  }
  if(!strcmp(argv[1], "digest")) {
    return digest(argv[2], slices, ns);
  }
  return usage();
}

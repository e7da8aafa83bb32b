/*
 * mask_cli.c: `isms mask`, the masking engine of core/mask.h as a filter
 * for scripts (docs/cli/mask.md).
 *
 * The input is standard input, whole: mapped when it is a regular file
 * (a large log costs no copy), else read in large chunks into one
 * buffer.  It must be valid UTF-8, like every input at isms's edges: a
 * bad byte is refused with its offset before anything is written.  The
 * scanner then runs once over the whole input (it needs the context
 * around each identifier and keeps no state between calls), and the
 * output is streamed: the text between findings goes out straight from
 * the input (long stretches) or through a buffer of about 1 MiB with the
 * replacements, never as one copy of the whole text.  --report json
 * streams the findings the same way; --reveal opens encryption tokens
 * piece by piece.
 *
 * Depends on cli.h, core/mask.h, core/json.h, core/utf8.h.
 */
#include "mask_cli.h"
#include "cli.h"
#include "core/json.h"
#include "core/mask.h"
#include "core/mem.h"
#include "core/utf8.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The output buffer is written out once it holds this much. */
#define OUT_CHUNK (1u << 20)
/* Text between findings at least this long is written straight from the
 * input instead of being copied into the buffer first. */
#define DIRECT_MIN (64u << 10)
/* The cap of the output buffer: a chunk, a gap below DIRECT_MIN and one
 * replacement (under 1 KiB) always fit. */
#define OUT_MAX (4u << 20)
/* Input read from a pipe is kept in memory up to this many MiB. */
#define PIPE_MAX_MIB 2048
/* One read() from a pipe asks for at most this much. */
#define READ_CHUNK (16u << 20)
/* --reveal cuts its input into pieces of about OUT_CHUNK at the last '<'
 * within this many bytes before the cut: no encryption token is longer
 * (mask_op.c: at most 1,120 bytes), so none is cut in two. */
#define REVEAL_WINDOW 2048

/* Standard input, whole. */
struct input {
  const char *p;  /* the text */
  size_t n;       /* its length */
  void *map;      /* the mapping holding p, or NULL */
  size_t map_len; /* the mapping's length */
  char *heap;     /* the buffer holding p when read from a pipe, or NULL */
};

/* Standard output through a buffer. */
struct sink {
  int fd;       /* where it goes */
  struct buf b; /* written, not yet sent */
  int err;      /* errno of the first failed write; later writes do
                   nothing */
};

/* Write p[0..n) to fd whole; 0 or an errno value. */
static int write_all(int fd, const char *p, size_t n)
{
  while(n > 0) {
    ssize_t w = write(fd, p, n > (1u << 30) ? (1u << 30) : n);
    if(w < 0) {
      if(errno == EINTR) {
        continue;
      }
      return errno ? errno : EIO;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static void sink_flush(struct sink *s)
{
  if(!s->err && s->b.err) {
    s->err = ENOMEM; /* cannot happen: OUT_MAX holds any one step */
  }
  if(!s->err && s->b.len) {
    s->err = write_all(s->fd, s->b.data, s->b.len);
  }
  buf_clear(&s->b);
}

/* Send the buffer when it is full enough. */
static void sink_maybe_flush(struct sink *s)
{
  if(s->b.len >= OUT_CHUNK || s->b.err) {
    sink_flush(s);
  }
}

/* Write p[0..n): long stretches straight, short ones through the
 * buffer. */
static void sink_write(struct sink *s, const char *p, size_t n)
{
  if(n >= DIRECT_MIN) {
    sink_flush(s);
    if(!s->err) {
      s->err = write_all(s->fd, p, n);
    }
    return;
  }
  buf_append(&s->b, p, n);
  sink_maybe_flush(s);
}

/* ---- input ---- */

/* Map standard input when it is a non-empty regular file, from its
 * current offset to its end.  0 when it was mapped (in->n may be 0). */
static int input_map(struct input *in)
{
  struct stat sb;
  if(fstat(STDIN_FILENO, &sb) != 0 || !S_ISREG(sb.st_mode) ||
     sb.st_size <= 0) {
    return -1; /* a pipe, a terminal, or /proc's files of size 0 */
  }
  off_t at = lseek(STDIN_FILENO, 0, SEEK_CUR);
  if(at < 0 || at > sb.st_size) {
    return -1;
  }
  if(at == sb.st_size) {
    in->p = ""; /* nothing left to read (and no NULL for memcpy) */
    return 0;
  }
  long page = sysconf(_SC_PAGESIZE);
  off_t base = page > 0 ? at - at % page : 0;
  size_t len = (size_t)(sb.st_size - base);
  void *m =
    mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, STDIN_FILENO, base);
  if(m == MAP_FAILED) {
    return -1;
  }
  madvise(m, len, MADV_SEQUENTIAL);
  in->map = m;
  in->map_len = len;
  in->p = (const char *)m + (at - base);
  in->n = (size_t)(sb.st_size - at);
  /* As if it had been read. */
  lseek(STDIN_FILENO, sb.st_size, SEEK_SET);
  return 0;
}

/* Read standard input into in.  ST_TOOBIG past PIPE_MAX_MIB from a
 * pipe; ST_IO with *err set when a read fails. */
static enum status input_read(struct input *in, int *err)
{
  const size_t max = (size_t)PIPE_MAX_MIB << 20;
  size_t cap = 1u << 20, len = 0;
  char *p;

  memset(in, 0, sizeof(*in));
  if(input_map(in) == 0) {
    return ST_OK;
  }
  p = xmalloc(cap);
  for(;;) {
    if(len == cap) {
      if(cap == max) {
        char c;
        ssize_t r;
        do {
          r = read(STDIN_FILENO, &c, 1);
        } while(r < 0 && errno == EINTR);
        if(r == 0) {
          break;
        }
        free(p);
        if(r > 0) {
          return ST_TOOBIG;
        }
        *err = errno;
        return ST_IO;
      }
      cap = cap > max / 2 ? max : cap * 2;
      p = xrealloc(p, cap);
    }
    size_t want = cap - len > READ_CHUNK ? READ_CHUNK : cap - len;
    ssize_t r = read(STDIN_FILENO, p + len, want);
    if(r < 0) {
      if(errno == EINTR) {
        continue;
      }
      *err = errno;
      free(p);
      return ST_IO;
    }
    if(r == 0) {
      break;
    }
    len += (size_t)r;
  }
  in->heap = p;
  in->p = p;
  in->n = len;
  return ST_OK;
}

static void input_free(struct input *in)
{
  if(in->map) {
    munmap(in->map, in->map_len);
  }
  free(in->heap);
  memset(in, 0, sizeof(*in));
}

/* ---- the three outputs ---- */

struct masking {
  struct sink *s;             /* the output */
  const char *p;              /* the input */
  size_t n;                   /* its length */
  size_t at;                  /* bytes of p already written */
  enum mask_op op;            /* how findings are replaced */
  const struct mask_key *key; /* for hash and encrypt, else NULL */
};

static int on_mask(void *ctx, const struct mask_finding *f)
{
  struct masking *m = ctx;
  /* The scanner's contract: ascending, non-overlapping, inside. */
  CHECK(f->off >= m->at && f->len <= m->n - f->off);
  sink_write(m->s, m->p + m->at, f->off - m->at);
  mask_put(&m->s->b, m->p, f, m->op, m->key);
  m->at = f->off + f->len;
  sink_maybe_flush(m->s);
  return m->s->err != 0;
}

static void write_masked(struct sink *s, const struct input *in,
                         unsigned entities, enum mask_op op,
                         const struct mask_key *key)
{
  struct masking m = { s, in->p, in->n, 0, op, key };
  mask_scan(in->p, in->n, entities, on_mask, &m);
  sink_write(s, in->p + m.at, in->n - m.at);
  sink_flush(s);
}

struct reporting {
  struct sink *s;        /* the output */
  struct json j;         /* writing into s->b */
  size_t n;              /* the input's length */
  size_t last_end;       /* end of the previous finding */
  size_t counts[MASK_N]; /* findings per entity */
};

static int on_report(void *ctx, const struct mask_finding *f)
{
  struct reporting *r = ctx;
  CHECK(f->off >= r->last_end && f->len <= r->n - f->off &&
        (unsigned)f->entity < MASK_N);
  r->last_end = f->off + f->len;
  r->counts[f->entity]++;
  json_obj_begin(&r->j);
  json_key_str(&r->j, "entity", mask_entity_name(f->entity));
  json_key_i64(&r->j, "offset", (int64_t)f->off);
  json_key_i64(&r->j, "length", (int64_t)f->len);
  json_key(&r->j, "score");
  /* Two decimals: a float's 0.9 would print as 0.899999976158142. */
  json_double(&r->j, round((double)f->score * 100.0) / 100.0);
  json_obj_end(&r->j);
  sink_maybe_flush(r->s);
  return r->s->err != 0;
}

/* {"bytes":N,"findings":[{"entity","offset","length","score"}...],
 * "counts":{ENTITY:N...}}: counts has every entity scanned for. */
static void write_report(struct sink *s, const struct input *in,
                         unsigned entities)
{
  struct reporting r;
  memset(&r, 0, sizeof(r));
  r.s = s;
  r.n = in->n;
  json_init(&r.j, &s->b);
  json_obj_begin(&r.j);
  json_key_i64(&r.j, "bytes", (int64_t)in->n);
  json_key(&r.j, "findings");
  json_arr_begin(&r.j);
  mask_scan(in->p, in->n, entities, on_report, &r);
  json_arr_end(&r.j);
  json_key(&r.j, "counts");
  json_obj_begin(&r.j);
  for(unsigned e = 0; e < MASK_N; e++) {
    if(entities & (1u << e)) {
      json_key_i64(&r.j, mask_entity_name((enum mask_entity)e),
                   (int64_t)r.counts[e]);
    }
  }
  json_obj_end(&r.j);
  json_obj_end(&r.j);
  CHECK(s->err || json_done(&r.j));
  buf_putc(&s->b, '\n');
  sink_flush(s);
}

static void write_revealed(struct sink *s, const struct input *in,
                           const struct mask_key *key)
{
  size_t from = 0;
  while(from < in->n && !s->err) {
    size_t to = in->n;
    if(in->n - from > OUT_CHUNK) {
      to = from + OUT_CHUNK;
      const char *lt = memrchr(in->p + to - REVEAL_WINDOW, '<', REVEAL_WINDOW);
      if(lt) {
        to = (size_t)(lt - in->p);
      }
    }
    mask_reveal(&s->b, in->p + from, to - from, key);
    sink_flush(s);
    from = to;
  }
}

/* ---- options ---- */

/* The entity names joined for a message, in out[n]; returns out. */
static const char *entity_list(char *out, size_t n)
{
  const char *sep = lang_default() == LANG_ZH ? "、" : ", ";
  size_t used = 0;
  out[0] = 0;
  for(unsigned e = 0; e < MASK_N && used + 1 < n; e++) {
    int w = snprintf(out + used, n - used, "%s%s", e ? sep : "",
                     mask_entity_name((enum mask_entity)e));
    if(w < 0) {
      break;
    }
    used += (size_t)w;
  }
  return out;
}

/* Explain why list is not a list of entities; returns 64. */
static int bad_entities(const char *list, size_t bad_at)
{
  char names[256], bad[64];
  size_t i = bad_at, k = 0;
  while(list[i] == ' ' || list[i] == '\t') {
    i++;
  }
  while(list[i] && list[i] != ',' && k + 1 < sizeof(bad)) {
    bad[k++] = list[i++];
  }
  while(k > 0 && (bad[k - 1] == ' ' || bad[k - 1] == '\t')) {
    k--;
  }
  bad[k] = 0;
  entity_list(names, sizeof(names));
  if(k == 0) {
    /* Only blanks, or an empty item between commas. */
    const char *c = list;
    while(*c == ' ' || *c == '\t') {
      c++;
    }
    if(*c) {
      cli_fail(M_MASK_EMPTY_ENTITY, NULL);
    }
    else {
      cli_fail(M_MASK_NO_ENTITY, names, NULL);
    }
  }
  else {
    cli_fail(M_MASK_BAD_ENTITY, bad, names, NULL);
  }
  return 64;
}

/* Load the key at path (made first with create); explains a failure and
 * returns its exit code, or 0. */
static int load_key(const char *path, int create, struct mask_key *key)
{
  struct stat sb;
  int existed = stat(path, &sb) == 0 || errno != ENOENT;
  errno = 0;
  enum status st = mask_key_load(path, create, key);
  int e = errno ? errno : EINVAL;
  switch(st) {
  case ST_OK:
    if(create && !existed) {
      cli_say(stderr, M_MASK_KEY_CREATED, path, NULL);
    }
    return 0;
  case ST_INVALID:
    cli_fail(M_MASK_KEY_SIZE, path, NULL);
    return 65;
  case ST_FORBIDDEN:
    cli_fail(M_MASK_KEY_MODE, path, path, NULL);
    return 77;
  case ST_IO:
    if(create && !existed) {
      cli_fail(M_MASK_KEY_CANNOT_CREATE, path, strerror(e), NULL);
      return 74;
    }
    cli_fail(M_MASK_KEY_CANNOT_READ, path, strerror(e), NULL);
    return e == ENOENT ? 66 : 74;
  default:
    cli_fail(M_CLI_FAILED, status_name(st), NULL);
    return status_exit(st);
  }
}

int mask_cmd(int argc, char **argv)
{
  const char *v, *entities_arg = NULL, *op_arg = NULL, *key_path = NULL;
  const char *report = NULL;
  int i, missing = 0, new_key = 0, reveal = 0, code = 0, rerr = 0;
  unsigned entities = MASK_DEFAULT;
  enum mask_op op = MASK_OP_REPLACE;
  struct mask_key key;
  struct input in;
  struct sink s;
  enum status st;
  size_t bad;
  char n1[24];

  for(i = 2; i < argc; i++) {
    if((v = cli_opt(argc, argv, &i, "--entities", &missing))) {
      entities_arg = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--operator", &missing))) {
      op_arg = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--key", &missing))) {
      key_path = v;
    }
    else if((v = cli_opt(argc, argv, &i, "--report", &missing))) {
      report = v;
    }
    else if(!strcmp(argv[i], "--new-key")) {
      new_key = 1;
    }
    else if(!strcmp(argv[i], "--reveal")) {
      reveal = 1;
    }
    else {
      return cli_bad_usage("mask", argv[i]);
    }
  }
  if(missing) {
    return cli_bad_usage("mask", argv[argc - 1]);
  }
  if(entities_arg && mask_entities_parse(entities_arg, &entities, &bad)) {
    return bad_entities(entities_arg, bad);
  }
  if(op_arg && mask_op_parse(op_arg, &op)) {
    cli_fail(M_MASK_CLI_BAD_OP, op_arg, NULL);
    return 64;
  }
  if(report && strcmp(report, "json") != 0) {
    cli_fail(M_MASK_BAD_REPORT, report, NULL);
    return 64;
  }
  if(new_key && !key_path) {
    cli_fail(M_MASK_NEW_KEY_ALONE, NULL);
    return 64;
  }
  if(reveal) {
    if(entities_arg || op_arg || report || new_key) {
      cli_fail(M_MASK_REVEAL_ALONE, NULL);
      return 64;
    }
    if(!key_path) {
      cli_fail(M_MASK_REVEAL_NEED_KEY, NULL);
      return 64;
    }
  }
  else if((op == MASK_OP_HASH || op == MASK_OP_ENCRYPT) && !key_path) {
    cli_fail(M_MASK_NEED_KEY, mask_op_name(op), NULL);
    return 64;
  }
  memset(&key, 0, sizeof(key));
  if(key_path) {
    code = load_key(key_path, new_key, &key);
    if(code) {
      return code;
    }
  }

  st = input_read(&in, &rerr);
  if(st == ST_TOOBIG) {
    cli_fail(M_MASK_TOO_BIG, cli_num(n1, sizeof(n1), PIPE_MAX_MIB), NULL);
    code = 65;
    goto out;
  }
  if(st) {
    cli_fail(M_CLI_CANNOT_READ, msg_text(M_MASK_STDIN), strerror(rerr), NULL);
    code = 74;
    goto out;
  }
  if(!utf8_valid((struct str){ in.p, in.n }, &bad)) {
    cli_fail(M_MASK_BAD_UTF8, cli_num(n1, sizeof(n1), (long long)bad), NULL);
    code = 65;
    goto out;
  }

  memset(&s, 0, sizeof(s));
  s.fd = STDOUT_FILENO;
  buf_init(&s.b, OUT_MAX);
  if(reveal) {
    write_revealed(&s, &in, &key);
  }
  else if(report) {
    write_report(&s, &in, entities);
  }
  else {
    write_masked(&s, &in, entities, op, key_path ? &key : NULL);
  }
  if(s.err) {
    cli_fail(M_CLI_WRITE_FAILED, strerror(s.err), NULL);
    code = 74;
  }
  buf_free(&s.b);

out:
  input_free(&in);
  mask_key_wipe(&key);
  return code;
}

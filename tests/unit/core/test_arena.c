/*
 * test_arena.c: unit tests for core/arena.c (cap, alignment, copies,
 * reset, failure injection).  Depends on cmocka and core/{arena,mem}.
 */
#define _POSIX_C_SOURCE 200809L /* fork, waitpid */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/mem.h"

/* Allocating in chunks stops at the cap and never goes past it. */
static void test_arena_cap(void **state)
{
  static const size_t chunks[] = { 1, 16, 100, 1000, 5000, 20000 };
  const size_t max = 256 * 1024;
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
    struct arena a;
    size_t got = 0;
    unsigned char *p;

    arena_init(&a, max);
    for(;;) {
      p = arena_alloc(&a, chunks[i]);
      if(!p) {
        break;
      }
      memset(p, 0xA5, chunks[i]); /* ASan checks the whole chunk is ours */
      /* each allocation takes at least the alignment */
      got += (chunks[i] + 15) / 16 * 16;
      assert_true(a.used <= a.max);
    }
    /* most of the cap is usable, none of it past the cap */
    assert_true(got <= max);
    assert_true(got >= max / 2);
    /* once full it stays full for the same size */
    assert_null(arena_alloc(&a, chunks[i]));
    arena_reset(&a);
  }
}

/* One allocation larger than the whole cap fails; so do absurd sizes. */
static void test_arena_too_big(void **state)
{
  struct arena a;

  (void)state;
  arena_init(&a, 64 * 1024);
  assert_null(arena_alloc(&a, 64 * 1024 + 1));
  assert_null(arena_alloc(&a, SIZE_MAX));
  assert_null(arena_alloc(&a, SIZE_MAX - 8));
  assert_non_null(arena_alloc(&a, 100));
  arena_reset(&a);
}

/*
 * A huge request after a first small one must fail cleanly, not bypass
 * the cap.  Run in a child: with the overflow bug xmalloc() aborts.
 */
static void test_arena_huge_after_small(void **state)
{
  pid_t pid;
  int status = 0;

  (void)state;
  pid = fork();
  assert_true(pid >= 0);
  if(pid == 0) {
    struct arena a;
    void *p;
    arena_init(&a, 1 << 20);
    if(!arena_alloc(&a, 100)) {
      _exit(2);
    }
    p = arena_alloc(&a, SIZE_MAX - 100);
    _exit(p ? 1 : 0);
  }
  assert_int_equal(waitpid(pid, &status, 0), pid);
  if(!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    print_error("arena_alloc(SIZE_MAX - 100) after arena_alloc(100) did "
                "not return NULL: child exit %d, signal %d (0 and 0 "
                "expected)\n",
                WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  }
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * arena_strndup() with n == SIZE_MAX must fail cleanly: n + 1 wraps to 0.
 * Run in a child, as a wrong answer copies SIZE_MAX bytes and crashes.
 */
static void test_arena_strndup_huge(void **state)
{
  pid_t pid;
  int status = 0;

  (void)state;
  pid = fork();
  assert_true(pid >= 0);
  if(pid == 0) {
    struct arena a;
    char *p;
    arena_init(&a, 1 << 20);
    p = arena_strndup(&a, "abc", SIZE_MAX);
    _exit(p ? 1 : 0);
  }
  assert_int_equal(waitpid(pid, &status, 0), pid);
  if(!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    print_error("arena_strndup(n = SIZE_MAX) did not return NULL: "
                "child exit %d, signal %d (0 and 0 expected)\n",
                WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  }
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
}

/* A cap smaller than one block still allows allocations within it. */
static void test_arena_small_cap(void **state)
{
  static const size_t caps[] = { 256, 1024, 8192 };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
    struct arena a;
    arena_init(&a, caps[i]);
    if(!arena_alloc(&a, 16)) {
      print_error("arena_init(max=%zu): arena_alloc(16) gave NULL\n", caps[i]);
    }
    assert_non_null(arena_alloc(&a, 16));
    assert_null(arena_alloc(&a, caps[i]));
    arena_reset(&a);
  }
}

static void test_arena_alignment(void **state)
{
  static const size_t sizes[] = { 0,  1,  3,   7,    8,     15, 16,
                                  17, 31, 100, 4095, 20000, 1,  2 };
  struct arena a;
  size_t i;

  (void)state;
  arena_init(&a, 1 << 20);
  for(i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
    unsigned char *p = arena_alloc(&a, sizes[i]);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
    assert_int_equal((uintptr_t)p % 16, 0);
    if(sizes[i]) {
      memset(p, 0x5A, sizes[i]);
    }
  }
  arena_reset(&a);
}

/* Allocations do not overlap. */
static void test_arena_distinct(void **state)
{
  struct arena a;
  unsigned char *p[64];
  size_t i, j;

  (void)state;
  arena_init(&a, 1 << 20);
  for(i = 0; i < 64; i++) {
    p[i] = arena_alloc(&a, 1000);
    assert_non_null(p[i]);
    memset(p[i], (int)i, 1000);
  }
  for(i = 0; i < 64; i++) {
    for(j = 0; j < 1000; j++) {
      assert_int_equal(p[i][j], i);
    }
  }
  arena_reset(&a);
}

static void test_arena_strndup(void **state)
{
  static const struct {
    const char *in;  /* source */
    size_t n;        /* bytes to copy */
    const char *out; /* expected copy */
  } cases[] = {
    { "hello", 5, "hello" }, { "hello", 3, "hel" }, { "hello", 0, "" },
    { "台北市", 6, "台北" }, { "", 0, "" },
  };
  struct arena a;
  size_t i;

  (void)state;
  arena_init(&a, 1 << 20);
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    /* the source has exactly n bytes and no NUL: no read past it */
    char *src = xmalloc(cases[i].n);
    char *p;
    memcpy(src, cases[i].in, cases[i].n);
    p = arena_strndup(&a, src, cases[i].n);
    assert_non_null(p);
    assert_true(p != src);
    assert_string_equal(p, cases[i].out);
    free(src);
  }
  /* embedded NUL bytes are copied too */
  {
    char *p = arena_strndup(&a, "a\0b", 3);
    assert_non_null(p);
    assert_memory_equal(p, "a\0b", 4);
  }
  assert_string_equal(arena_strdup(&a, "x y"), "x y");
  assert_string_equal(arena_printf(&a, "%d-%s", 42, "z"), "42-z");
  arena_reset(&a);

  /* a copy that does not fit gives NULL */
  arena_init(&a, 32 * 1024);
  {
    char *big = xmalloc(40000);
    memset(big, 'x', 40000);
    assert_null(arena_strndup(&a, big, 40000));
    assert_null(arena_printf(&a, "%.*s", 40000, big));
    free(big);
  }
  arena_reset(&a);
}

/* reset frees everything; the arena is usable again with the same cap. */
static void test_arena_reset(void **state)
{
  struct arena a;
  int round;

  (void)state;
  arena_init(&a, 64 * 1024);
  for(round = 0; round < 3; round++) {
    size_t n = 0;
    while(arena_alloc(&a, 1024)) {
      n++;
    }
    assert_true(n >= 32);
    arena_reset(&a);
    assert_int_equal(a.used, 0);
    assert_null(a.head);
    assert_int_equal(a.max, 64 * 1024);
  }
  /* reset of an empty arena is fine */
  arena_reset(&a);
  assert_int_equal(a.used, 0);
}

static void test_arena_fail_after(void **state)
{
  static const struct {
    long n;       /* arena_fail_after(n) */
    int fails[6]; /* 1 where allocation i (from 0) must fail */
  } cases[] = {
    { 0, { 0, 0, 0, 0, 0, 0 } }, { 1, { 1, 0, 0, 0, 0, 0 } },
    { 2, { 0, 1, 0, 0, 0, 0 } }, { 3, { 0, 0, 1, 0, 0, 0 } },
    { 6, { 0, 0, 0, 0, 0, 1 } }, { 7, { 0, 0, 0, 0, 0, 0 } },
  };
  size_t i, j;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct arena a;
    arena_init(&a, 1 << 20);
    arena_fail_after(&a, cases[i].n);
    for(j = 0; j < 6; j++) {
      void *p = arena_alloc(&a, 8);
      if(cases[i].fails[j]) {
        assert_null(p);
      }
      else {
        assert_non_null(p);
      }
    }
    arena_reset(&a);
  }
}

/* Injected failures reach arena_strndup() and arena_printf(); reset
 * clears a pending injection. */
static void test_arena_fail_after_helpers(void **state)
{
  struct arena a;

  (void)state;
  arena_init(&a, 1 << 20);
  arena_fail_after(&a, 1);
  assert_null(arena_strndup(&a, "abc", 3));
  assert_non_null(arena_strndup(&a, "abc", 3));
  arena_fail_after(&a, 1);
  assert_null(arena_printf(&a, "%d", 1));
  arena_fail_after(&a, 2);
  arena_reset(&a);
  assert_non_null(arena_alloc(&a, 1));
  assert_non_null(arena_alloc(&a, 1));
  arena_reset(&a);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_arena_cap),
    cmocka_unit_test(test_arena_too_big),
    cmocka_unit_test(test_arena_huge_after_small),
    cmocka_unit_test(test_arena_strndup_huge),
    cmocka_unit_test(test_arena_small_cap),
    cmocka_unit_test(test_arena_alignment),
    cmocka_unit_test(test_arena_distinct),
    cmocka_unit_test(test_arena_strndup),
    cmocka_unit_test(test_arena_reset),
    cmocka_unit_test(test_arena_fail_after),
    cmocka_unit_test(test_arena_fail_after_helpers),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}

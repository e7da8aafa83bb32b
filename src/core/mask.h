/*
 * mask.h: the personal-data scanner and masking operators (plan 壹拾壹.二.
 * (三), 資通安全情資分享辦法 §4).  Our own scanner, not a regex engine
 * (ARCHITECTURE.md): a vector pass finds the few bytes that can start an
 * identifier (digits, '@', full-width digits, the keywords that give a
 * name or an address away) and small hand-written recognisers decide, with
 * checksums where the identifier has one.  It never reports the
 * indicators intelligence is about: IP addresses, domains, hashes, CVE
 * identifiers and URLs other than the identifiers inside them.
 *
 * Input may be any bytes; the recognisers never read outside [p, p+n)
 * and findings always begin and end on UTF-8 character boundaries, so
 * masking valid UTF-8 gives valid UTF-8.  Full-width digits and letters
 * (０-９, Ａ-Ｚ) count as their ASCII forms.
 *
 * Depends on buf.h, status.h and libsodium (keyed hash, encryption).
 */
#ifndef ISMS_CORE_MASK_H
#define ISMS_CORE_MASK_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "status.h"

/* What a finding is.  The names (mask_entity_name) are stable: they
 * appear in tokens, reports, settings and the CLI. */
enum mask_entity {
  MASK_TW_ID,  /* TW_ID: 國民身分證統一編號, letter + 1|2 + 8 digits,
                     checksum */
  MASK_TW_ARC, /* TW_ARC: 居留證統一證號, new (letter + 8|9 + 8
                     digits) and old (two letters + 8 digits), checksum */
  MASK_PHONE,  /* PHONE: mobile 09xx and landline 0x numbers, with or
                     without separators or +886 */
  MASK_EMAIL,  /* EMAIL: e-mail address */
  MASK_DOB,    /* DOB: a date marked as a birth date (出生, 生日, DOB,
                     born ...), AD or ROC */
  MASK_PASSPORT, /* PASSPORT: a number marked as a passport's (護照,
                     passport) */
  MASK_NAME,     /* NAME: a personal name marked by 姓名, 聯絡人,
                     承辦人, 申請人, Name: ... */
  MASK_ADDRESS,  /* ADDRESS: a street address ending in 號 (and 樓) */
  MASK_CARD,     /* CARD: payment card number, 13-19 digits, Luhn */
  MASK_UBN,      /* UBN: 統一編號 (8 digits, checksum) marked as one;
                     off by default */
  MASK_N
};

/* Every entity. */
#define MASK_ALL ((1u << MASK_N) - 1)
/* What is masked unless told otherwise: all but MASK_UBN. */
#define MASK_DEFAULT (MASK_ALL & ~(1u << MASK_UBN))

/* One finding: bytes [off, off+len) of the scanned text. */
struct mask_finding {
  enum mask_entity entity;
  size_t off, len;
  float score; /* 0..1: 1.0 for a valid checksum; lower when only the
                  shape or the context speaks for it */
};

/* Called for each finding in ascending order of off; findings never
 * overlap.  Return nonzero to stop the scan. */
typedef int mask_fn(void *ctx, const struct mask_finding *f);

/*
 * Scan p[0..n) for the entities in the set (bit 1u << entity) and call
 * fn for each finding.  Returns the number of findings reported.
 * Single-threaded, no allocation, thread-safe (no shared state but
 * read-only tables built once).
 */
size_t mask_scan(const char *p, size_t n, unsigned entities, mask_fn *fn,
                 void *ctx);

/* The vector pass mask_scan() runs here: "avx512", "avx2" or "scalar"
 * (the environment variable ISMS_MASK_ISA=avx2|scalar asks for less; the
 * findings are the same on every pass). */
const char *mask_scan_isa(void);

/* mask_scan() through a given pass, for tests that compare the passes in
 * one process: 0 byte by byte, 1 AVX2, 2 AVX-512 (lowered to what the CPU
 * and ISMS_MASK_ISA allow), -1 the one mask_scan() runs. */
size_t mask_scan_pass(const char *p, size_t n, unsigned entities, mask_fn *fn,
                      void *ctx, int pass);

/* The stable name of e ("TW_ID" ...), or "?" out of range. */
const char *mask_entity_name(enum mask_entity e);

/*
 * Parse a comma-separated list of entity names (case-insensitive), or
 * "all", or "default", into *set.  ST_INVALID on an unknown name (its
 * first byte's offset in *bad_at when not NULL) or an empty list.
 */
enum status mask_entities_parse(const char *list, unsigned *set,
                                size_t *bad_at);

/* How a finding is replaced. */
enum mask_op {
  MASK_OP_REPLACE, /* "replace": <TW_ID> */
  MASK_OP_REDACT,  /* "redact": removed */
  MASK_OP_PARTIAL, /* "partial": first and last characters kept, the rest
                      '*' per character (A12****789; 王*明; j***@x.org) */
  MASK_OP_HASH,    /* "hash": <TW_ID:h:...>, a keyed hash of the value
                      without separators, the same for the same value */
  MASK_OP_ENCRYPT, /* "encrypt": <TW_ID:e:...>, authenticated encryption
                      that mask_reveal() reverses with the same key */
};

/* Parse an operator name ("replace" ...) into *op: ST_OK or ST_INVALID. */
enum status mask_op_parse(const char *name, enum mask_op *op);

/* The name of op. */
const char *mask_op_name(enum mask_op op);

/* The keys of the hash and encryption operators, derived from one
 * 32-byte master key. */
struct mask_key {
  unsigned char hash[32];
  unsigned char enc[32];
};

/*
 * Load the master key from the file at path (exactly 32 bytes, not
 * readable by group or others) into *k.  When the file does not exist and
 * create is set, make one (mode 0600) from fresh random bytes.  ST_IO when
 * the file cannot be read or made, ST_INVALID when its size is wrong,
 * ST_FORBIDDEN when others may read it.
 */
enum status mask_key_load(const char *path, int create, struct mask_key *k);

/* Wipe *k. */
void mask_key_wipe(struct mask_key *k);

/*
 * Append p[0..n) to out with every finding of the entities in the set
 * replaced by op.  key may be NULL only for replace, redact and partial
 * (hash and encrypt then fall back to replace).  Tokens this module wrote
 * earlier contain no digit, '@' or CJK character, so masking masked text
 * again changes nothing.  Returns the number of findings replaced; out's
 * sticky error says whether it all fitted.
 */
size_t mask_text(struct buf *out, const char *p, size_t n, unsigned entities,
                 enum mask_op op, const struct mask_key *key);

/*
 * Append to out what finding f of text p (the whole text it was found
 * in) becomes under op, as mask_text() writes it: for callers that scan
 * with mask_scan() and stream the text between findings themselves (the
 * `isms mask` command on inputs larger than a buffer should hold).  key
 * as for mask_text().  out's sticky error says whether it fitted.
 */
void mask_put(struct buf *out, const char *p, const struct mask_finding *f,
              enum mask_op op, const struct mask_key *key);

/* How many encryption tokens (<TW_ID:e:...>) p[0..n) holds, opened or
 * not (no key needed). */
size_t mask_sealed_count(const char *p, size_t n);

/*
 * Append p[0..n) to out with every encryption token that key opens
 * replaced by its original text; tokens it cannot open stay as they are.
 * Returns the number of tokens opened.
 */
size_t mask_reveal(struct buf *out, const char *p, size_t n,
                   const struct mask_key *key);

#endif

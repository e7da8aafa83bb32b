/*
 * risk_rules.c: the scoring of plan 捌 (value = likelihood × impact ×
 * asset value), which risks need the CISO's acceptance, the zones of the
 * heat map, and the content hash an acceptance is bound to.  Depends on
 * libsodium and the register declarations.
 */
#include "risk.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int64_t risk_score(int64_t likelihood, int64_t impact, int64_t asset_value)
{
  if(likelihood < 1 || impact < 1 || asset_value < 1) {
    return 0;
  }
  return likelihood * impact * asset_value;
}

int risk_needs_acceptance(const char *treatment, int64_t residual_value,
                          int64_t threshold)
{
  if(treatment && strcmp(treatment, "accept") == 0) {
    return 1;
  }
  return residual_value > 0 && residual_value > threshold;
}

int risk_zone(int64_t l, int64_t i, int64_t threshold)
{
  if(risk_score(l, i, 3) <= threshold) {
    return 0;
  }
  return risk_score(l, i, 1) > threshold ? 2 : 1;
}

/* Feed one length-prefixed text (NULL differs from "") to the hash. */
static void feed(crypto_hash_sha256_state *h, const char *s)
{
  char len[24];
  int n;
  if(!s) {
    crypto_hash_sha256_update(h, (const unsigned char *)"-;", 2);
    return;
  }
  n = snprintf(len, sizeof(len), "%zu:", strlen(s));
  crypto_hash_sha256_update(h, (const unsigned char *)len, (size_t)n);
  crypto_hash_sha256_update(h, (const unsigned char *)s, strlen(s));
}

void risk_content_hash(const struct record *rec, char out[65])
{
  crypto_hash_sha256_state h;
  unsigned char sum[crypto_hash_sha256_BYTES];
  char id[24];
  size_t i;
  snprintf(id, sizeof(id), "%lld", (long long)rec->id);
  crypto_hash_sha256_init(&h);
  feed(&h, "isms-risk-1");
  feed(&h, id);
  for(i = 0; i < reg_risk.n_fields; i++) {
    feed(&h, reg_risk.fields[i].name);
    feed(&h, rec->v[i]);
  }
  crypto_hash_sha256_final(&h, sum);
  sodium_bin2hex(out, 65, sum, sizeof(sum));
}

/*
 * qr.c: QR code to SVG through libqrencode (see qr.h).
 */
#include "qr.h"

#include "core/html.h"

#include <errno.h>
#include <limits.h>
#include <qrencode.h>
#include <string.h>

/* Append the path commands for the dark modules of q, one command per
 * horizontal run, offset by the quiet zone. */
static void put_runs(struct buf *b, const QRcode *q)
{
  int x, y;

  for(y = 0; y < q->width; y++) {
    const unsigned char *row = q->data + (size_t)y * (size_t)q->width;
    x = 0;
    while(x < q->width) {
      int start;
      /* bit 0 of each module byte: 1 = dark */
      if(!(row[x] & 1)) {
        x++;
        continue;
      }
      start = x;
      while(x < q->width && (row[x] & 1)) {
        x++;
      }
      buf_appendf(b, "M%d %dh%dv1h-%dz", start + QR_QUIET_MODULES,
                  y + QR_QUIET_MODULES, x - start, x - start);
    }
  }
}

enum status qr_svg(struct buf *b, const char *text, unsigned scale,
                   const char *aria_label)
{
  QRcode *q;
  size_t len;
  unsigned n, px;

  if(b->err) {
    return b->err;
  }
  if(!text || !aria_label || !*text || !scale || scale > QR_MAX_SCALE) {
    return ST_INVALID;
  }
  len = strlen(text);
  if(len > INT_MAX) {
    return ST_TOOBIG;
  }
  errno = 0;
  q =
    QRcode_encodeData((int)len, (const unsigned char *)text, 0, QR_ECLEVEL_M);
  if(!q) {
    /* libqrencode reports why in errno */
    switch(errno) {
    case ERANGE:
      return ST_TOOBIG;
    case ENOMEM:
      return ST_NOMEM;
    case EINVAL:
      return ST_INVALID;
    default:
      return ST_INTERNAL;
    }
  }
  n = (unsigned)q->width + 2 * QR_QUIET_MODULES;
  px = n * scale;
  buf_appendf(b,
              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" "
              "height=\"%u\" viewBox=\"0 0 %u %u\" "
              "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"",
              px, px, n, n);
  html_escape_into(b, aria_label, strlen(aria_label));
  buf_appendf(b,
              "\"><rect width=\"%u\" height=\"%u\" fill=\"#fff\"/>"
              "<path fill=\"#000\" d=\"",
              n, n);
  put_runs(b, q);
  buf_puts(b, "\"/></svg>");
  QRcode_free(q);
  return b->err;
}

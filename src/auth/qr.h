/*
 * qr.h: QR codes as inline SVG, for showing an otpauth:// URI to an
 * authenticator app (issue 3).  Depends on core/buf.h, core/status.h and
 * libqrencode.
 */
#ifndef ISMS_AUTH_QR_H
#define ISMS_AUTH_QR_H

#include "core/buf.h"
#include "core/status.h"

#define QR_QUIET_MODULES 4   /* light border on each side (ISO 18004) */
#define QR_MAX_SCALE     100 /* px per module; more is a caller's bug */

/*
 * Append an SVG image of the QR code for text (byte mode, error
 * correction level M) to b: UTF-8, no XML declaration, a viewBox in
 * modules with a QR_QUIET_MODULES quiet zone, shape-rendering=
 * "crispEdges", a white background rect and one black <path> whose
 * commands "Mx yhNv1h-Nz" each draw a horizontal run of dark modules.
 *   b           the buffer; nothing is appended when the code cannot be
 *               made; if b fails (its cap) its sticky err is returned
 *   text        NUL-terminated, 1 or more bytes
 *   scale       width and height in px are (modules + 8) * scale;
 *               1..QR_MAX_SCALE
 *   aria_label  UTF-8 text for role="img" aria-label; it is escaped
 *               (& < > " ')
 * Returns ST_OK; ST_INVALID for NULL text or label, empty text or a scale
 * out of range; ST_TOOBIG if text is too long for any QR version at level
 * M (2331 bytes) or b's cap is hit; ST_NOMEM if libqrencode could not
 * allocate; ST_INTERNAL for another libqrencode failure.  Allocates only
 * temporarily (libqrencode's symbol, freed before return).  Thread-safe.
 */
enum status qr_svg(struct buf *b, const char *text, unsigned scale,
                   const char *aria_label);

#endif

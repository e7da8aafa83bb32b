/*
 * odf.h: what the OpenDocument writers (ods.c for spreadsheets, odt.c
 * for text documents) share: the namespaces and the CJK font
 * declaration of their XML, the escaping of text into that XML, and the
 * package itself: a zip holding "mimetype" first and uncompressed (ODF
 * 1.2 part 3, 3.3), META-INF/manifest.xml and the parts.  Depends on
 * report.h, core/buf.h, core/str.h and libzip.
 */
#ifndef ISMS_REPORTS_ODF_H
#define ISMS_REPORTS_ODF_H

#include "core/buf.h"
#include "core/str.h"
#include "report.h"

#include <stddef.h>

/* Namespaces of content.xml and styles.xml (a superset of what each
 * document type uses), and the ODF version. */
#define ODF_NS                                                                \
  " xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""        \
  " xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""          \
  " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""            \
  " xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""          \
  " xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:"                        \
  "xsl-fo-compatible:1.0\""                                                   \
  " xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\""   \
  " office:version=\"1.2\""

/* The font every document declares: REPORT_FONT. */
#define ODF_FONT_DECL                                                         \
  "<office:font-face-decls><style:font-face style:name=\"" REPORT_FONT        \
  "\" svg:font-family=\"&apos;" REPORT_FONT "&apos;\""                        \
  " style:font-family-generic=\"swiss\"/></office:font-face-decls>"

/* One file of a package: its bytes either in memory (data) or in a file
 * (path, when not NULL). */
struct odf_part {
  const char *name; /* path inside the zip, e.g. "content.xml" */
  struct str data;  /* the bytes, when path is NULL */
  const char *path; /* a file to read the bytes from, or NULL */
};

/*
 * Append s escaped for XML character data and attribute values: & < >
 * " ' become entities; characters XML 1.0 does not allow (C0 controls
 * other than TAB, LF and CR) are dropped.
 */
void odf_xml_escape(struct buf *b, struct str s);

/*
 * Append s as the content of a text:p or text:h element: a line end
 * (LF, CR LF or CR) as the markup line_end (for example
 * "<text:line-break/>", or "</text:p><text:p>" to start a new
 * paragraph), a TAB as <text:tab/>, and runs of spaces that XML would
 * collapse (at the start of a line, or after the first) as
 * <text:s text:c="N"/>; the text itself through odf_xml_escape().
 */
void odf_xml_text(struct buf *b, struct str s, const char *line_end);

/*
 * Append to out an ODF package of media type mime (for example
 * "application/vnd.oasis.opendocument.text"): "mimetype" stored first,
 * META-INF/manifest.xml listing the parts (each as text/xml), then the
 * n_parts parts, compressed.  The archive is built in memory; parts
 * given by path are read when the archive is written.  ST_IO when a
 * part cannot be read or libzip fails, ST_TOOBIG when out's cap is hit
 * (out may then hold part of the archive: discard it).
 */
enum status odf_package(const char *mime, const struct odf_part *parts,
                        size_t n_parts, struct buf *out);

#endif

/*
 * ods.c: OpenDocument spreadsheets written as XML into a zip by libzip.
 */
#include "ods.h"

#include <string.h>
#include <zip.h>

#define ODS_MIME "application/vnd.oasis.opendocument.spreadsheet"

/* Namespaces of content.xml and styles.xml. */
#define ODS_NS                                                                \
  " xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""        \
  " xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""          \
  " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""            \
  " xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""          \
  " xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:"                        \
  "xsl-fo-compatible:1.0\""                                                   \
  " xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\""   \
  " office:version=\"1.2\""

#define ODS_FONT_DECL                                                         \
  "<office:font-face-decls><style:font-face style:name=\"" REPORT_FONT        \
  "\" svg:font-family=\"&apos;" REPORT_FONT "&apos;\""                        \
  " style:font-family-generic=\"swiss\"/></office:font-face-decls>"

static const char manifest_xml[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:"
  "xmlns:manifest:1.0\" manifest:version=\"1.2\">"
  "<manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.2\" "
  "manifest:media-type=\"" ODS_MIME "\"/>"
  "<manifest:file-entry manifest:full-path=\"content.xml\" "
  "manifest:media-type=\"text/xml\"/>"
  "<manifest:file-entry manifest:full-path=\"styles.xml\" "
  "manifest:media-type=\"text/xml\"/>"
  "</manifest:manifest>\n";

/* The defaults of every cell: the CJK font and the zh-TW language for
 * Western and Asian text alike. */
static const char styles_xml[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<office:document-styles" ODS_NS ">" ODS_FONT_DECL "<office:styles>"
  "<style:default-style style:family=\"table-cell\">"
  "<style:text-properties style:font-name=\"" REPORT_FONT "\""
  " style:font-name-asian=\"" REPORT_FONT "\""
  " fo:language=\"zh\" fo:country=\"TW\""
  " style:language-asian=\"zh\" style:country-asian=\"TW\"/>"
  "</style:default-style>"
  "<style:style style:name=\"Default\" style:family=\"table-cell\"/>"
  "</office:styles></office:document-styles>\n";

/* Cell style names by enum cell_style. */
static const char *const cell_style_name[] = { "ce0", "ce1", "ce2" };

void ods_xml_escape(struct buf *b, struct str s)
{
  size_t i, from = 0;
  for(i = 0; i < s.len; i++) {
    unsigned char c = (unsigned char)s.p[i];
    const char *ent = NULL;
    switch(c) {
    case '&':
      ent = "&amp;";
      break;
    case '<':
      ent = "&lt;";
      break;
    case '>':
      ent = "&gt;";
      break;
    case '"':
      ent = "&quot;";
      break;
    case '\'':
      ent = "&apos;";
      break;
    default:
      if(c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        ent = ""; /* not allowed in XML 1.0: dropped */
      }
      break;
    }
    if(ent) {
      buf_append(b, s.p + from, i - from);
      buf_puts(b, ent);
      from = i + 1;
    }
  }
  buf_append(b, s.p + from, s.len - from);
}

void ods_xml_paragraphs(struct buf *b, struct str s)
{
  size_t i = 0, from = 0;
  int at_start = 1;
  buf_puts(b, "<text:p>");
  while(i < s.len) {
    char c = s.p[i];
    if(c == '\n' || c == '\r' || c == '\t' ||
       (c == ' ' && (at_start || (i + 1 < s.len && s.p[i + 1] == ' ')))) {
      ods_xml_escape(b, (struct str){ s.p + from, i - from });
      if(c == '\t') {
        buf_puts(b, "<text:tab/>");
        i++;
        at_start = 0;
      }
      else if(c == ' ') {
        /* A run of spaces: the first may stay a plain space unless the
         * line starts with it. */
        size_t n = 0;
        if(!at_start) {
          buf_putc(b, ' ');
          i++;
        }
        while(i + n < s.len && s.p[i + n] == ' ') {
          n++;
        }
        if(n == 1) {
          buf_puts(b, "<text:s/>");
        }
        else if(n > 1) {
          buf_appendf(b, "<text:s text:c=\"%zu\"/>", n);
        }
        i += n;
        at_start = 0;
      }
      else {
        if(c == '\r' && i + 1 < s.len && s.p[i + 1] == '\n') {
          i++;
        }
        i++;
        buf_puts(b, "</text:p><text:p>");
        at_start = 1;
      }
      from = i;
      continue;
    }
    at_start = 0;
    i++;
  }
  ods_xml_escape(b, (struct str){ s.p + from, s.len - from });
  buf_puts(b, "</text:p>");
}

/* Write the scratch buffer to content.xml. */
static void flush_cell(struct ods *o)
{
  if(o->cell.err && !o->err) {
    o->err = o->cell.err;
  }
  if(!o->err && o->cell.len &&
     fwrite(o->cell.data, 1, o->cell.len, o->content) != o->cell.len) {
    o->err = ST_IO;
  }
  buf_clear(&o->cell);
}

enum status ods_open(struct ods *o, const char *sheet, const double *widths,
                     size_t n_cols)
{
  char path[REPORT_DIR_MAX + 16];
  size_t i;
  memset(o, 0, sizeof(*o));
  buf_init(&o->cell, 1u << 20);
  if(report_tmpdir(o->dir)) {
    return o->err = ST_IO;
  }
  snprintf(path, sizeof(path), "%s/content.xml", o->dir);
  o->content = fopen(path, "wb");
  if(!o->content) {
    return o->err = ST_IO;
  }
  buf_puts(&o->cell, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<office:document-content" ODS_NS ">" ODS_FONT_DECL
                     "<office:automatic-styles>");
  for(i = 0; i < n_cols; i++) {
    /* A character of the CJK font is about 0.25 cm wide at 10 pt. */
    buf_appendf(&o->cell,
                "<style:style style:name=\"co%zu\" "
                "style:family=\"table-column\">"
                "<style:table-column-properties "
                "style:column-width=\"%.2fcm\"/></style:style>",
                i, widths[i] * 0.25 + 0.2);
  }
  buf_puts(&o->cell,
           "<style:style style:name=\"ce0\" style:family=\"table-cell\" "
           "style:parent-style-name=\"Default\"/>"
           "<style:style style:name=\"ce1\" style:family=\"table-cell\" "
           "style:parent-style-name=\"Default\">"
           "<style:table-cell-properties fo:wrap-option=\"wrap\" "
           "fo:border-bottom=\"0.5pt solid #000000\"/>"
           "<style:text-properties fo:font-weight=\"bold\" "
           "style:font-weight-asian=\"bold\"/></style:style>"
           "<style:style style:name=\"ce2\" style:family=\"table-cell\" "
           "style:parent-style-name=\"Default\">"
           "<style:text-properties fo:font-weight=\"bold\" "
           "style:font-weight-asian=\"bold\" fo:font-size=\"14pt\" "
           "style:font-size-asian=\"14pt\"/></style:style>"
           "</office:automatic-styles><office:body><office:spreadsheet>"
           "<table:table table:name=\"");
  ods_xml_escape(&o->cell, str_c(sheet));
  buf_puts(&o->cell, "\">");
  for(i = 0; i < n_cols; i++) {
    buf_appendf(&o->cell,
                "<table:table-column table:style-name=\"co%zu\" "
                "table:default-cell-style-name=\"ce0\"/>",
                i);
  }
  buf_putc(&o->cell, '\n');
  flush_cell(o);
  return o->err;
}

void ods_row(struct ods *o)
{
  if(o->err || !o->content) {
    return;
  }
  if(o->has_row) {
    buf_puts(&o->cell, "</table:table-row>\n");
  }
  buf_puts(&o->cell, "<table:table-row>");
  o->has_row = 1;
  flush_cell(o);
}

void ods_text(struct ods *o, const char *s, enum cell_style st)
{
  if(o->err || !o->content) {
    return;
  }
  if(!s || !s[0]) {
    buf_appendf(&o->cell, "<table:table-cell table:style-name=\"%s\"/>",
                cell_style_name[st]);
  }
  else {
    buf_appendf(&o->cell,
                "<table:table-cell table:style-name=\"%s\" "
                "office:value-type=\"string\">",
                cell_style_name[st]);
    ods_xml_paragraphs(&o->cell, str_c(s));
    buf_puts(&o->cell, "</table:table-cell>");
  }
  flush_cell(o);
}

void ods_number(struct ods *o, int64_t v)
{
  if(o->err || !o->content) {
    return;
  }
  buf_appendf(&o->cell,
              "<table:table-cell office:value-type=\"float\" "
              "office:value=\"%lld\"><text:p>%lld</text:p>"
              "</table:table-cell>",
              (long long)v, (long long)v);
  flush_cell(o);
}

/* Add a file from static memory; its index, or -1. */
static zip_int64_t add_static(zip_t *z, const char *name, const char *data,
                              size_t len)
{
  zip_source_t *src = zip_source_buffer(z, data, len, 0);
  zip_int64_t idx;
  if(!src) {
    return -1;
  }
  idx = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8);
  if(idx < 0) {
    zip_source_free(src);
  }
  return idx;
}

enum status ods_finish(struct ods *o, struct buf *out)
{
  char content[REPORT_DIR_MAX + 16], path[REPORT_DIR_MAX + 16];
  zip_t *z;
  zip_source_t *src;
  zip_int64_t idx;
  int zerr = 0;
  enum status st;

  if(o->content) {
    if(o->has_row) {
      buf_puts(&o->cell, "</table:table-row>\n");
    }
    buf_puts(&o->cell, "</table:table></office:spreadsheet></office:body>"
                       "</office:document-content>\n");
    flush_cell(o);
    if(fclose(o->content) && !o->err) {
      o->err = ST_IO;
    }
    o->content = NULL;
  }
  st = o->err;
  if(st) {
    ods_abort(o);
    return st;
  }
  snprintf(content, sizeof(content), "%s/content.xml", o->dir);
  snprintf(path, sizeof(path), "%s/sheet.ods", o->dir);
  z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
  if(!z) {
    ods_abort(o);
    return ST_IO;
  }
  /* libzip writes entries in the order they were added: mimetype is the
   * first, stored, so that file(1) and readers recognise the type. */
  idx = add_static(z, "mimetype", ODS_MIME, sizeof(ODS_MIME) - 1);
  if(idx < 0 ||
     zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0) < 0 ||
     add_static(z, "META-INF/manifest.xml", manifest_xml,
                sizeof(manifest_xml) - 1) < 0 ||
     add_static(z, "styles.xml", styles_xml, sizeof(styles_xml) - 1) < 0) {
    st = ST_IO;
  }
  if(!st) {
    src = zip_source_file(z, content, 0, -1);
    if(!src || zip_file_add(z, "content.xml", src, ZIP_FL_ENC_UTF_8) < 0) {
      if(src) {
        zip_source_free(src);
      }
      st = ST_IO;
    }
  }
  if(st) {
    zip_discard(z);
  }
  else if(zip_close(z) < 0) {
    zip_discard(z);
    st = ST_IO;
  }
  if(!st) {
    st = report_slurp(path, out);
  }
  ods_abort(o);
  return st;
}

void ods_abort(struct ods *o)
{
  if(o->content) {
    fclose(o->content);
    o->content = NULL;
  }
  buf_free(&o->cell);
  report_rmdir(o->dir);
}

/*
 * ods.c: OpenDocument spreadsheets written as XML and packaged by odf.c.
 */
#include "ods.h"
#include "odf.h"

#include <string.h>

#define ODS_MIME "application/vnd.oasis.opendocument.spreadsheet"

/* The defaults of every cell: the CJK font and the zh-TW language for
 * Western and Asian text alike. */
static const char styles_xml[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<office:document-styles" ODF_NS ">" ODF_FONT_DECL "<office:styles>"
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

void ods_xml_paragraphs(struct buf *b, struct str s)
{
  buf_puts(b, "<text:p>");
  odf_xml_text(b, s, "</text:p><text:p>");
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
                     "<office:document-content" ODF_NS ">" ODF_FONT_DECL
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
  odf_xml_escape(&o->cell, str_c(sheet));
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

enum status ods_finish(struct ods *o, struct buf *out)
{
  char content[REPORT_DIR_MAX + 16];
  struct odf_part parts[2];
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
  parts[0] = (struct odf_part){ "styles.xml",
                                { styles_xml, sizeof(styles_xml) - 1 },
                                NULL };
  parts[1] = (struct odf_part){ "content.xml", { NULL, 0 }, content };
  st = odf_package(ODS_MIME, parts, 2, out);
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

/*
 * odt.c: OpenDocument text from the document model.  Paragraph styles
 * live in styles.xml under the names LibreOffice gives its own (Title,
 * Heading 1, Text body, Table Contents ...), so an edited document keeps
 * a familiar structure; table, column and cell styles are automatic
 * styles in content.xml.
 */
#include "odt.h"
#include "core/i18n.h"
#include "odf.h"

#include <string.h>

/* content.xml's cap: the doc.h limits keep a real document far below
 * (8 MiB of text escaped at most sixfold, plus about 100 bytes of markup
 * per cell). */
#define CONTENT_MAX (192u << 20)

/* The width of the text area: 21 cm less two margins of 2 cm. */
#define TEXT_WIDTH_CM 17.0

/* The font of every character, and the zh-TW language for Western and
 * Asian text alike. */
#define FONT_LANG                                                             \
  " style:font-name=\"" REPORT_FONT "\""                                      \
  " style:font-name-asian=\"" REPORT_FONT "\""                                \
  " style:font-name-complex=\"" REPORT_FONT "\""                              \
  " fo:language=\"zh\" fo:country=\"TW\""                                     \
  " style:language-asian=\"zh\" style:country-asian=\"TW\""

/* A common paragraph style of styles.xml. */
struct pstyle {
  const char *name;    /* style:name */
  const char *display; /* style:display-name */
  const char *parent;  /* style:parent-style-name */
  const char *cls;     /* style:class */
  const char *para;    /* paragraph property attributes, or "" */
  const char *size;    /* font size such as "16pt", or NULL */
  int is_bold;         /* bold text */
  int outline;         /* a heading's outline level, or 0 */
};

static const struct pstyle pstyles[] = {
  { "Text_20_body", "Text body", "Standard", "text",
    " fo:margin-top=\"0cm\" fo:margin-bottom=\"0.2cm\"", NULL, 0, 0 },
  { "Title", "Title", "Standard", "chapter",
    " fo:text-align=\"center\" fo:margin-bottom=\"0.2cm\"", "18pt", 1, 0 },
  { "Subtitle", "Subtitle", "Standard", "chapter",
    " fo:text-align=\"center\" fo:margin-bottom=\"0.2cm\"", "13pt", 0, 0 },
  { "Document_20_meta", "Document meta", "Standard", "chapter",
    " fo:text-align=\"center\" fo:margin-bottom=\"0.1cm\"", NULL, 0, 0 },
  { "Heading", "Heading", "Standard", "text",
    " fo:margin-top=\"0.4cm\" fo:margin-bottom=\"0.2cm\""
    " fo:keep-with-next=\"always\"",
    NULL, 1, 0 },
  { "Heading_20_1", "Heading 1", "Heading", "text", "", "16pt", 1, 1 },
  { "Heading_20_2", "Heading 2", "Heading", "text", "", "14pt", 1, 2 },
  { "Heading_20_3", "Heading 3", "Heading", "text", "", "12pt", 1, 3 },
  { "Table_20_Contents", "Table Contents", "Standard", "extra", "", NULL, 0,
    0 },
  { "Table_20_Heading", "Table Heading", "Table_20_Contents", "extra",
    " fo:text-align=\"center\"", NULL, 1, 0 },
  { "Table_20_Label", "Table Label", "Table_20_Contents", "extra", "", NULL, 1,
    0 },
  { "Footer", "Footer", "Standard", "extra", " fo:text-align=\"center\"",
    "9pt", 0, 0 },
};

/* The start of styles.xml: the font, the defaults of every paragraph. */
static const char styles_start[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<office:document-styles" ODF_NS ">" ODF_FONT_DECL "<office:styles>"
  "<style:default-style style:family=\"paragraph\">"
  "<style:paragraph-properties style:writing-mode=\"page\"/>"
  "<style:text-properties" FONT_LANG " fo:font-size=\"11pt\""
  " style:font-size-asian=\"11pt\" style:font-size-complex=\"11pt\"/>"
  "</style:default-style>"
  "<style:style style:name=\"Standard\" style:family=\"paragraph\""
  " style:class=\"text\"/>";

/* After the paragraph styles: the numbered list ("1." hanging in front
 * of the text), the A4 page and the start of the footer. */
static const char styles_page[] =
  "<text:list-style style:name=\"Numbering_20_123\""
  " style:display-name=\"Numbering 123\">"
  "<text:list-level-style-number text:level=\"1\" style:num-suffix=\".\""
  " style:num-format=\"1\"><style:list-level-properties"
  " text:list-level-position-and-space-mode=\"label-alignment\">"
  "<style:list-level-label-alignment text:label-followed-by=\"listtab\""
  " text:list-tab-stop-position=\"0.8cm\" fo:text-indent=\"-0.6cm\""
  " fo:margin-left=\"0.8cm\"/></style:list-level-properties>"
  "</text:list-level-style-number></text:list-style>"
  "</office:styles><office:automatic-styles>"
  "<style:page-layout style:name=\"pm1\">"
  "<style:page-layout-properties fo:page-width=\"21cm\""
  " fo:page-height=\"29.7cm\" style:num-format=\"1\""
  " style:print-orientation=\"portrait\" fo:margin-top=\"2cm\""
  " fo:margin-bottom=\"2cm\" fo:margin-left=\"2cm\""
  " fo:margin-right=\"2cm\" style:writing-mode=\"lr-tb\"/>"
  "<style:footer-style><style:header-footer-properties"
  " fo:min-height=\"0cm\" fo:margin-top=\"0.3cm\"/></style:footer-style>"
  "</style:page-layout></office:automatic-styles><office:master-styles>"
  "<style:master-page style:name=\"Standard\""
  " style:page-layout-name=\"pm1\"><style:footer>";

/* Automatic styles of content.xml shared by all tables: cells (c0 body,
 * c1 header, c2 field label), cell paragraphs (P0 body, P1 header, P2
 * label) and the row of signature boxes (R0). */
static const char content_styles[] =
  "<style:style style:name=\"c0\" style:family=\"table-cell\">"
  "<style:table-cell-properties fo:padding=\"0.1cm\""
  " fo:border=\"0.5pt solid #000000\"/></style:style>"
  "<style:style style:name=\"c1\" style:family=\"table-cell\">"
  "<style:table-cell-properties fo:padding=\"0.1cm\""
  " fo:background-color=\"#e6e6e6\""
  " fo:border=\"0.5pt solid #000000\"/></style:style>"
  "<style:style style:name=\"c2\" style:family=\"table-cell\">"
  "<style:table-cell-properties fo:padding=\"0.1cm\""
  " fo:background-color=\"#f2f2f2\""
  " fo:border=\"0.5pt solid #000000\"/></style:style>"
  "<style:style style:name=\"P0\" style:family=\"paragraph\""
  " style:parent-style-name=\"Table_20_Contents\"/>"
  "<style:style style:name=\"P1\" style:family=\"paragraph\""
  " style:parent-style-name=\"Table_20_Heading\"/>"
  "<style:style style:name=\"P2\" style:family=\"paragraph\""
  " style:parent-style-name=\"Table_20_Label\"/>"
  "<style:style style:name=\"R0\" style:family=\"table-row\">"
  "<style:table-row-properties style:min-row-height=\"2.5cm\""
  " fo:keep-together=\"always\"/></style:style>";

/* Append a paragraph of style holding text, its line breaks kept. */
static void para(struct buf *b, const char *style, const char *text)
{
  buf_appendf(b, "<text:p text:style-name=\"%s\">", style);
  odf_xml_text(b, str_c(text), "<text:line-break/>");
  buf_puts(b, "</text:p>");
}

/* Append the page number line: the template M_DOC_PAGE with its two
 * %s as the page-number and page-count fields. */
static void page_line(struct buf *b)
{
  static const char *const fields[2] = {
    "<text:page-number text:select-page=\"current\">1</text:page-number>",
    "<text:page-count>1</text:page-count>",
  };
  const char *t = msg_get(LANG_ZH, M_DOC_PAGE), *hole;
  size_t i;
  buf_puts(b, "<text:p text:style-name=\"Footer\">");
  for(i = 0; i < 2 && (hole = strstr(t, "%s")) != NULL; i++) {
    odf_xml_escape(b, (struct str){ t, (size_t)(hole - t) });
    buf_puts(b, fields[i]);
    t = hole + 2;
  }
  odf_xml_escape(b, str_c(t));
  buf_puts(b, "</text:p>");
}

static void write_styles(const struct doc *d, struct buf *b)
{
  size_t i;
  buf_puts(b, styles_start);
  for(i = 0; i < sizeof(pstyles) / sizeof(pstyles[0]); i++) {
    const struct pstyle *ps = &pstyles[i];
    buf_appendf(b,
                "<style:style style:name=\"%s\" style:display-name=\"%s\""
                " style:family=\"paragraph\" style:parent-style-name=\"%s\""
                " style:class=\"%s\"",
                ps->name, ps->display, ps->parent, ps->cls);
    if(ps->outline) {
      buf_appendf(b,
                  " style:default-outline-level=\"%d\""
                  " style:next-style-name=\"Text_20_body\"",
                  ps->outline);
    }
    buf_appendf(b, "><style:paragraph-properties%s/><style:text-properties",
                ps->para);
    if(ps->size) {
      buf_appendf(b,
                  " fo:font-size=\"%s\" style:font-size-asian=\"%s\""
                  " style:font-size-complex=\"%s\"",
                  ps->size, ps->size, ps->size);
    }
    if(ps->is_bold) {
      buf_puts(b, " fo:font-weight=\"bold\" style:font-weight-asian=\"bold\""
                  " style:font-weight-complex=\"bold\"");
    }
    buf_puts(b, "/></style:style>");
  }
  buf_puts(b, styles_page);
  if(d->footer[0]) {
    para(b, "Footer", d->footer);
  }
  page_line(b);
  buf_puts(b, "</style:footer></style:master-page></office:master-styles>"
              "</office:document-styles>\n");
}

static void write_meta(const struct doc *d, struct buf *b)
{
  buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<office:document-meta"
              " xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:"
              "office:1.0\""
              " xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\""
              " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
              " office:version=\"1.2\"><office:meta>"
              "<meta:generator>isms/" ISMS_VERSION "</meta:generator>"
              "<dc:title>");
  odf_xml_escape(b, str_c(d->title));
  buf_puts(b, "</dc:title><dc:language>zh-TW</dc:language></office:meta>"
              "</office:document-meta>\n");
}

/* The automatic styles of table number t (1-based): the table's width
 * and each column's share of it (at least 0.8 cm). */
static void table_styles(struct buf *b, size_t t, const struct doc_block *bl)
{
  double w[DOC_COLS_MAX];
  size_t i;
  buf_appendf(b,
              "<style:style style:name=\"T%zu\" style:family=\"table\">"
              "<style:table-properties style:width=\"%.2fcm\""
              " table:align=\"margins\"%s/></style:style>",
              t, TEXT_WIDTH_CM,
              bl->kind == DOC_SIGNATURE ? " style:may-break-between-rows="
                                          "\"false\"" :
                                          "");
  doc_col_widths(bl, TEXT_WIDTH_CM, 0.8, w);
  for(i = 0; i < bl->n_cols; i++) {
    buf_appendf(b,
                "<style:style style:name=\"T%zu.%zu\""
                " style:family=\"table-column\">"
                "<style:table-column-properties"
                " style:column-width=\"%.3fcm\"/></style:style>",
                t, i, w[i]);
  }
}

/* One cell of cell style c holding text in paragraph style p. */
static void cell(struct buf *b, const char *c, const char *p, const char *text)
{
  buf_appendf(b,
              "<table:table-cell table:style-name=\"%s\""
              " office:value-type=\"string\">",
              c);
  para(b, p, text);
  buf_puts(b, "</table:table-cell>");
}

/* A row of n cells. */
static void row(struct buf *b, const char *c, const char *p,
                const char *const *cells, size_t n)
{
  size_t i;
  buf_puts(b, "<table:table-row>");
  for(i = 0; i < n; i++) {
    cell(b, c, p, cells[i]);
  }
  buf_puts(b, "</table:table-row>\n");
}

/* Table number t: a table, a fields block or a signature block. */
static void table(struct buf *b, size_t t, const struct doc_block *bl)
{
  const struct doc_row *r;
  size_t i;
  buf_appendf(b,
              "<table:table table:name=\"Table%zu\""
              " table:style-name=\"T%zu\">",
              t, t);
  for(i = 0; i < bl->n_cols; i++) {
    buf_appendf(b, "<table:table-column table:style-name=\"T%zu.%zu\"/>", t,
                i);
  }
  if(bl->head) {
    /* The header row repeats at the top of every page (the signature
     * block is kept on one page, so it has none to repeat on). */
    if(bl->kind == DOC_TABLE) {
      buf_puts(b, "<table:table-header-rows>");
    }
    row(b, "c1", "P1", (const char *const *)bl->head, bl->n_cols);
    if(bl->kind == DOC_TABLE) {
      buf_puts(b, "</table:table-header-rows>");
    }
  }
  if(bl->kind == DOC_SIGNATURE) {
    buf_puts(b, "<table:table-row table:style-name=\"R0\">");
    for(i = 0; i < bl->n_cols; i++) {
      buf_puts(b, "<table:table-cell table:style-name=\"c0\">"
                  "<text:p text:style-name=\"P0\"/></table:table-cell>");
    }
    buf_puts(b, "</table:table-row>\n");
  }
  for(r = bl->rows; r; r = r->next) {
    if(bl->kind == DOC_FIELDS) {
      buf_puts(b, "<table:table-row>");
      cell(b, "c2", "P2", r->cells[0]);
      cell(b, "c0", "P0", r->cells[1]);
      buf_puts(b, "</table:table-row>\n");
    }
    else {
      row(b, "c0", "P0", (const char *const *)r->cells, bl->n_cols);
    }
  }
  buf_puts(b, "</table:table>\n");
}

static void write_content(const struct doc *d, struct buf *b)
{
  const struct doc_block *bl;
  const struct doc_row *r;
  size_t i, t = 0;

  buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<office:document-content" ODF_NS ">" ODF_FONT_DECL
              "<office:automatic-styles>");
  buf_puts(b, content_styles);
  for(bl = d->blocks; bl; bl = bl->next) {
    if(bl->kind == DOC_TABLE || bl->kind == DOC_FIELDS ||
       bl->kind == DOC_SIGNATURE) {
      table_styles(b, ++t, bl);
    }
  }
  buf_puts(b, "</office:automatic-styles><office:body><office:text>\n");
  if(d->title[0]) {
    para(b, "Title", d->title);
  }
  if(d->subtitle[0]) {
    para(b, "Subtitle", d->subtitle);
  }
  for(i = 0; i < d->n_meta; i++) {
    para(b, "Document_20_meta", d->meta[i]);
  }
  t = 0;
  for(bl = d->blocks; bl; bl = bl->next) {
    switch(bl->kind) {
    case DOC_HEADING:
      buf_appendf(b,
                  "<text:h text:style-name=\"Heading_20_%d\""
                  " text:outline-level=\"%d\">",
                  bl->level, bl->level);
      odf_xml_text(b, str_c(bl->text), "<text:line-break/>");
      buf_puts(b, "</text:h>\n");
      break;
    case DOC_PARA:
      para(b, "Text_20_body", bl->text);
      buf_putc(b, '\n');
      break;
    case DOC_LIST:
      if(!bl->rows) {
        break; /* an empty text:list is not valid ODF */
      }
      buf_puts(b, "<text:list text:style-name=\"Numbering_20_123\">");
      for(r = bl->rows; r; r = r->next) {
        buf_puts(b, "<text:list-item>");
        para(b, "Text_20_body", r->cells[0]);
        buf_puts(b, "</text:list-item>");
      }
      buf_puts(b, "</text:list>\n");
      break;
    case DOC_FIELDS:
    case DOC_TABLE:
    case DOC_SIGNATURE:
      if(!bl->rows && !bl->head) {
        t++; /* no row at all: nothing a table:table may hold */
        break;
      }
      table(b, ++t, bl);
      break;
    }
  }
  buf_puts(b, "</office:text></office:body></office:document-content>\n");
}

enum status odt_render(const struct doc *d, struct buf *out)
{
  struct buf content, styles, meta;
  struct odf_part parts[3];
  enum status st = d->err;
  if(st) {
    return st;
  }
  buf_init(&content, CONTENT_MAX);
  buf_init(&styles, DOC_TEXT_MAX * 6 + (1u << 16));
  buf_init(&meta, DOC_TEXT_MAX * 6 + (1u << 12));
  write_content(d, &content);
  write_styles(d, &styles);
  write_meta(d, &meta);
  st = content.err ? content.err : styles.err ? styles.err : meta.err;
  if(!st) {
    parts[0] = (struct odf_part){ "meta.xml", { meta.data, meta.len }, NULL };
    parts[1] =
      (struct odf_part){ "styles.xml", { styles.data, styles.len }, NULL };
    parts[2] =
      (struct odf_part){ "content.xml", { content.data, content.len }, NULL };
    st = odf_package(ODT_MIME, parts, 3, out);
  }
  buf_free(&content);
  buf_free(&styles);
  buf_free(&meta);
  return st;
}

/*
 * odf.c: XML escaping and zip packaging shared by the OpenDocument
 * writers.
 */
#include "odf.h"

#include <string.h>
#include <zip.h>

void odf_xml_escape(struct buf *b, struct str s)
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

void odf_xml_text(struct buf *b, struct str s, const char *line_end)
{
  size_t i = 0, from = 0;
  int at_start = 1;
  while(i < s.len) {
    char c = s.p[i];
    if(c == '\n' || c == '\r' || c == '\t' ||
       (c == ' ' && (at_start || (i + 1 < s.len && s.p[i + 1] == ' ')))) {
      odf_xml_escape(b, (struct str){ s.p + from, i - from });
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
        buf_puts(b, line_end);
        at_start = 1;
      }
      from = i;
      continue;
    }
    at_start = 0;
    i++;
  }
  odf_xml_escape(b, (struct str){ s.p + from, s.len - from });
}

/* Add a file whose bytes stay alive until zip_close(); its index, or
 * -1. */
static zip_int64_t add_memory(zip_t *z, const char *name, struct str data)
{
  zip_source_t *src = zip_source_buffer(z, data.p, data.len, 0);
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

/* Add the file at path; its index, or -1. */
static zip_int64_t add_file(zip_t *z, const char *name, const char *path)
{
  zip_source_t *src = zip_source_file(z, path, 0, -1);
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

/* Append the bytes of the finished in-memory archive mem to out. */
static enum status copy_out(zip_source_t *mem, struct buf *out)
{
  char chunk[65536];
  zip_int64_t n;
  if(zip_source_open(mem) < 0) {
    return ST_IO;
  }
  while((n = zip_source_read(mem, chunk, sizeof(chunk))) > 0) {
    buf_append(out, chunk, (size_t)n);
    if(out->err) {
      break;
    }
  }
  zip_source_close(mem);
  if(n < 0) {
    return ST_IO;
  }
  return out->err;
}

enum status odf_package(const char *mime, const struct odf_part *parts,
                        size_t n_parts, struct buf *out)
{
  zip_error_t ze;
  zip_source_t *mem;
  zip_t *z;
  zip_int64_t idx;
  struct buf manifest;
  enum status st = ST_OK;
  size_t i;

  buf_init(&manifest, 1u << 16);
  buf_puts(&manifest,
           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:"
           "opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">"
           "<manifest:file-entry manifest:full-path=\"/\" "
           "manifest:version=\"1.2\" manifest:media-type=\"");
  odf_xml_escape(&manifest, str_c(mime));
  buf_puts(&manifest, "\"/>");
  for(i = 0; i < n_parts; i++) {
    buf_puts(&manifest, "<manifest:file-entry manifest:full-path=\"");
    odf_xml_escape(&manifest, str_c(parts[i].name));
    buf_puts(&manifest, "\" manifest:media-type=\"text/xml\"/>");
  }
  buf_puts(&manifest, "</manifest:manifest>\n");
  if(manifest.err) {
    buf_free(&manifest);
    return ST_INTERNAL;
  }

  zip_error_init(&ze);
  mem = zip_source_buffer_create(NULL, 0, 0, &ze);
  if(!mem) {
    zip_error_fini(&ze);
    buf_free(&manifest);
    return ST_IO;
  }
  z = zip_open_from_source(mem, ZIP_CREATE | ZIP_TRUNCATE, &ze);
  if(!z) {
    zip_source_free(mem);
    zip_error_fini(&ze);
    buf_free(&manifest);
    return ST_IO;
  }
  /* The archive's bytes stay in mem after zip_close(). */
  zip_source_keep(mem);
  /* libzip writes entries in the order they were added: mimetype is the
   * first, stored, so that file(1) and readers recognise the type. */
  idx = add_memory(z, "mimetype", str_c(mime));
  if(idx < 0 ||
     zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0) < 0 ||
     add_memory(z, "META-INF/manifest.xml",
                (struct str){ manifest.data, manifest.len }) < 0) {
    st = ST_IO;
  }
  for(i = 0; !st && i < n_parts; i++) {
    idx = parts[i].path ? add_file(z, parts[i].name, parts[i].path) :
                          add_memory(z, parts[i].name, parts[i].data);
    if(idx < 0) {
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
    st = copy_out(mem, out);
  }
  zip_source_free(mem);
  zip_error_fini(&ze);
  buf_free(&manifest);
  return st;
}

/*
 * form5.h: form 5 of the plan (柒.一.3), 資訊及資通系統資產清冊, exported
 * as XLSX, ODS or CSV in the form's own layout: a title row (the
 * agency's name and the form's title), the export date in the ROC
 * calendar, the form's eight columns in Chinese and our extra ones,
 * then one row per asset with its system's protection level as 普 / 中
 * / 高.  Depends on the asset and agency registers and reports/.
 */
#ifndef ISMS_FEATURES_ASSETS_FORM5_H
#define ISMS_FEATURES_ASSETS_FORM5_H

#include "core/buf.h"
#include "http/route.h"
#include "registers/register_store.h"

enum form5_format {
  FORM5_XLSX = 0, /* Office Open XML workbook */
  FORM5_ODS = 1,  /* OpenDocument spreadsheet */
  FORM5_CSV = 2,  /* UTF-8 with BOM, CRLF, formula-protected cells */
};

/* Columns of form 5: the plan's eight, then ours. */
#define FORM5_COLUMNS 16

/*
 * Append form 5 of the assets matching q (all pages) in format fmt to
 * out, dated now (Unix seconds; the ROC date is Taipei's).  Streams the
 * rows: memory beyond out stays flat.  ST_DB, ST_IO (temporary files)
 * or ST_TOOBIG (out's cap) on failure.
 */
enum status form5_export(struct db *db, const struct list_query *q,
                         enum form5_format fmt, int64_t now, struct buf *out);

/* The format named "xlsx", "ods" or "csv"; -1 for any other name. */
int form5_format_of(const char *name);

/* GET /r/asset/form5.xlsx, .ods, .csv. */
route_fn form5_xlsx_report, form5_ods_report, form5_csv_report;

#endif

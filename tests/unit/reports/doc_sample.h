/*
 * doc_sample.h: the sample document of the document writer's tests
 * (tests/unit/reports/test_doc.c and tests/integration/doc_sample.c,
 * which writes it for test_doc.py): Chinese text in every kind of
 * block, an ROC date, a table of n_rows rows whose header must repeat,
 * a row taller than a page, hostile strings, and the signature block.
 * Every text a rendering must show is passed to seen(), one line at a
 * time.  Depends on reports/doc.h.
 */
#ifndef ISMS_TESTS_DOC_SAMPLE_H
#define ISMS_TESTS_DOC_SAMPLE_H

#include "core/buf.h"
#include "reports/doc.h"

#include <stdio.h>
#include <string.h>

/* Rows of the long table in the usual sample. */
#define SAMPLE_ROWS 200

/* Lines of the row taller than a page. */
#define SAMPLE_TALL_LINES 120

/* Strings that must come out exactly as they went in. */
static const char *const sample_hostile[] = {
  "<script>alert(1)</script>",      "AT&T &amp; R&D",     "]]> <![CDATA[x]]>",
  "\"double\" and 'single' quotes", "=cmd|' /C calc'!A0", "a) /Evil (b \\ c",
};

#define N_SAMPLE_HOSTILE (sizeof(sample_hostile) / sizeof(sample_hostile[0]))

/* A callback that receives each expected line of text. */
typedef void sample_seen_fn(void *ctx, const char *line);

/* Pass each line of text to seen. */
static void sample_lines(sample_seen_fn *seen, void *ctx, const char *text)
{
  char line[1024];
  const char *nl;
  while(text) {
    size_t n;
    nl = strchr(text, '\n');
    n = nl ? (size_t)(nl - text) : strlen(text);
    if(n >= sizeof(line)) {
      n = sizeof(line) - 1;
    }
    memcpy(line, text, n);
    line[n] = 0;
    if(n) {
      seen(ctx, line);
    }
    text = nl ? nl + 1 : NULL;
  }
}

/* Build the sample in d (initialised by the caller) with a table of
 * n_rows rows; returns the document's status. */
static enum status doc_sample(struct doc *d, size_t n_rows,
                              sample_seen_fn *seen, void *ctx)
{
  static const char *const head[4] = { "編號", "資產名稱", "資產類別",
                                       "說明" };
  static const double widths[4] = { 1, 3, 2, 5 };
  static const char *const long_para =
    "依資通安全管理法及其施行細則，本機關應於知悉資通安全事件後一小時內，"
    "透過主管機關指定之方式進行通報，並於規定時限內完成損害控制或復原作業；"
    "完成後一個月內送交調查、處理及改善報告。本段文字刻意寫長，"
    "以驗證中文斷行：標點符號不應出現在行首，英文單詞 such as "
    "information security 不應被切斷。";
  char a[64], b[64], c[64], e[96];
  struct buf tall;
  size_t i;

  doc_title(d, "資通安全事件調查、處理及改善報告");
  sample_lines(seen, ctx, "資通安全事件調查、處理及改善報告");
  doc_subtitle(d, "範例文件 & <測試用>");
  sample_lines(seen, ctx, "範例文件 & <測試用>");
  doc_meta(d, "機關名稱", "高雄市政府新聞局");
  sample_lines(seen, ctx, "機關名稱：高雄市政府新聞局");
  doc_meta_roc(d, "製表日期", (struct date){ 2026, 1, 7 });
  sample_lines(seen, ctx, "製表日期：民國115年1月7日");
  doc_footer(d, "本報告含機敏資訊，請依規定保管");
  sample_lines(seen, ctx, "本報告含機敏資訊，請依規定保管");

  doc_heading(d, 1, "一、事件概述");
  sample_lines(seen, ctx, "一、事件概述");
  doc_para(d, "本機關於民國115年1月7日上午9時發現官網首頁遭置換。\n"
              "已即時中斷對外連線並保全相關紀錄。");
  sample_lines(seen, ctx,
               "本機關於民國115年1月7日上午9時發現官網首頁遭置換。\n"
               "已即時中斷對外連線並保全相關紀錄。");
  doc_para(d, long_para);
  sample_lines(seen, ctx, long_para);

  doc_heading(d, 2, "（一）處理經過");
  sample_lines(seen, ctx, "（一）處理經過");
  doc_list(d);
  doc_item(d, "通報主管機關並取得通報編號");
  doc_item(d, "隔離受影響主機");
  doc_item(d, "保全證據並計算 SHA-256 雜湊值");
  sample_lines(seen, ctx,
               "通報主管機關並取得通報編號\n隔離受影響主機\n"
               "保全證據並計算 SHA-256 雜湊值");

  doc_fields(d);
  doc_field(d, "事件等級", "第二級");
  doc_field(d, "知悉時間", "民國115年1月7日 09:12");
  doc_field(d, "影響範圍", "官網首頁\n新聞稿資料庫");
  sample_lines(seen, ctx,
               "事件等級\n第二級\n知悉時間\n民國115年1月7日 09:12\n"
               "影響範圍\n官網首頁\n新聞稿資料庫");
  for(i = 0; i < N_SAMPLE_HOSTILE; i++) {
    snprintf(a, sizeof(a), "欄位%zu", i + 1);
    doc_field(d, a, sample_hostile[i]);
    sample_lines(seen, ctx, a);
    sample_lines(seen, ctx, sample_hostile[i]);
  }

  doc_heading(d, 2, "（二）受影響資產清單");
  sample_lines(seen, ctx, "（二）受影響資產清單");
  doc_table(d, 4, head, widths);
  for(i = 0; i < n_rows; i++) {
    const char *cells[4];
    snprintf(a, sizeof(a), "%zu", i + 1);
    snprintf(b, sizeof(b), "主機-%03zu", i + 1);
    snprintf(c, sizeof(c), "%s", i % 2 ? "實體資產" : "軟體資產");
    if(i < N_SAMPLE_HOSTILE) {
      snprintf(e, sizeof(e), "%s", sample_hostile[i]);
    }
    else {
      snprintf(e, sizeof(e), "第%zu列說明", i + 1);
    }
    cells[0] = a;
    cells[1] = b;
    cells[2] = c;
    cells[3] = e;
    doc_row(d, cells);
    sample_lines(seen, ctx, b);
    sample_lines(seen, ctx, e);
  }

  doc_heading(d, 3, "1. 長列");
  sample_lines(seen, ctx, "1. 長列");
  {
    static const char *const tall_head[2] = { "項目", "內容" };
    const char *cells[2];
    buf_init(&tall, 1u << 16);
    for(i = 1; i <= SAMPLE_TALL_LINES; i++) {
      buf_appendf(&tall, "%s長列第%zu行", i > 1 ? "\n" : "", i);
    }
    doc_table(d, 2, tall_head, NULL);
    cells[0] = "跨頁";
    cells[1] = tall.data;
    doc_row(d, cells);
    sample_lines(seen, ctx, tall.data);
    buf_free(&tall);
  }

  doc_heading(d, 1, "二、簽核");
  sample_lines(seen, ctx, "二、簽核");
  doc_signature(d, NULL, 0);
  sample_lines(seen, ctx, "承辦人\n單位主管\n資通安全長");
  return doc_status(d);
}

#endif

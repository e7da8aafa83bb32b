/*
 * ical_sample.c: writes a sample calendar with the real iCalendar writer
 * (reports/ical.c) for test_ical.py, which parses it with
 * python3-icalendar.
 *
 *   ical_sample FILE
 *
 * The events hold every character TEXT escapes, long CJK text that must
 * fold between UTF-8 sequences, a 4-octet character, 29 February and an
 * alarm.  Exit code 0 on success.
 */
#include "core/buf.h"
#include "reports/ical.h"

#include <stdio.h>

int main(int argc, char **argv)
{
  static const struct ical_event events[] = {
    { "occ-1@isms.example.gov.tw",
      { 2026, 12, 15 },
      "管理審查會議（12 月）, 資通安全長主持; 請備妥資料\\附件",
      "依資通安全維護計畫辦理年度管理審查。\n議程：一、上次會議決議事項辦"
      "理情形；二、內外部議題之變化；三、資通安全績效，包括不符合事項及矯"
      "正措施、監督及量測結果、稽核結果、資通安全目標達成情形。📅",
      "https://isms.example.gov.tw/calendar/1",
      7 },
    { "occ-2@isms.example.gov.tw",
      { 2028, 2, 29 },
      "備份還原測試",
      NULL,
      NULL,
      0 },
  };
  struct buf out;
  FILE *f;
  int rc = 1;

  if(argc != 2) {
    fputs("usage: ical_sample FILE\n", stderr);
    return 64;
  }
  buf_init(&out, 1u << 20);
  if(ical_write(&out, "isms 法遵行事曆, 範例", events,
                sizeof(events) / sizeof(events[0]), 1767225600)) {
    fputs("ical_write failed\n", stderr);
    buf_free(&out);
    return 1;
  }
  f = fopen(argv[1], "wb");
  if(f && fwrite(out.data, 1, out.len, f) == out.len) {
    rc = 0;
  }
  if(f && fclose(f)) {
    rc = 1;
  }
  buf_free(&out);
  return rc;
}

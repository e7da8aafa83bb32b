#!/usr/bin/env python3
"""test_ical.py: the iCalendar writer's output read by a real parser
(Debian's python3-icalendar), issue 6.

ical_sample (tests/integration/ical_sample.c) writes a calendar with the
real writer; the test parses it and checks every property, the escaping
round trip, the folding (no line over 75 octets, each line valid UTF-8)
and the CRLF line ends.

Environment: ISMS_ICAL_SAMPLE names the ical_sample program (ctest sets
it), else it is looked for next to ISMS_BIN.
"""
import datetime
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

try:
    import icalendar  # noqa: E402
except ImportError:
    # Debian's module; the first python3 on PATH may be another one.
    sys.path.append("/usr/lib/python3/dist-packages")
    import icalendar  # noqa: E402

SAMPLE = os.environ.get("ISMS_ICAL_SAMPLE") or os.path.join(
    os.path.dirname(harness.BIN), "tests", "ical_sample")


class IcalTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.make_tempdir()
        path = os.path.join(cls.tmp.name, "sample.ics")
        subprocess.run([SAMPLE, path], check=True, timeout=60)
        with open(path, "rb") as f:
            cls.raw = f.read()
        cls.cal = icalendar.Calendar.from_ical(cls.raw)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_lines(self):
        self.assertTrue(self.raw.endswith(b"\r\n"))
        lines = self.raw.split(b"\r\n")[:-1]
        for line in lines:
            self.assertNotIn(b"\n", line)
            self.assertLessEqual(len(line), 75, line)
            line.decode("utf-8")  # no sequence cut by a fold
        self.assertTrue(any(line.startswith(b" ") for line in lines))

    def test_calendar(self):
        cal = self.cal
        self.assertEqual(cal.name, "VCALENDAR")
        self.assertEqual(str(cal["VERSION"]), "2.0")
        self.assertIn("isms", str(cal["PRODID"]))
        self.assertEqual(str(cal["METHOD"]), "PUBLISH")
        self.assertEqual(str(cal["X-WR-CALNAME"]), "isms 法遵行事曆, 範例")

    def test_events(self):
        events = list(self.cal.walk("VEVENT"))
        self.assertEqual(len(events), 2)
        e = events[0]
        self.assertEqual(str(e["UID"]), "occ-1@isms.example.gov.tw")
        self.assertEqual(e.decoded("DTSTART"), datetime.date(2026, 12, 15))
        self.assertEqual(e.decoded("DTSTAMP"),
                         datetime.datetime(2026, 1, 1,
                                           tzinfo=datetime.timezone.utc))
        self.assertEqual(str(e["SUMMARY"]),
                         "管理審查會議（12 月）, 資通安全長主持; 請備妥資料\\附件")
        self.assertTrue(str(e["DESCRIPTION"]).startswith(
            "依資通安全維護計畫辦理年度管理審查。\n議程："))
        self.assertTrue(str(e["DESCRIPTION"]).endswith("達成情形。📅"))
        self.assertEqual(str(e["URL"]), "https://isms.example.gov.tw/calendar/1")
        [alarm] = list(e.walk("VALARM"))
        self.assertEqual(str(alarm["ACTION"]), "DISPLAY")
        self.assertEqual(alarm.decoded("TRIGGER"), -datetime.timedelta(days=7))
        e = events[1]
        self.assertEqual(e.decoded("DTSTART"), datetime.date(2028, 2, 29))
        self.assertEqual(str(e["SUMMARY"]), "備份還原測試")
        self.assertNotIn("DESCRIPTION", e)
        self.assertNotIn("URL", e)
        self.assertEqual(list(e.walk("VALARM")), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)

#!/usr/bin/env python3
"""test_feed.py: the per-user iCalendar feed (issue 6, item 3) read by a
real parser (Debian's python3-icalendar).

On the demo agency's calendar: a protection-group account makes its
secret feed address on /account/calendar-feed and fetches it without a
session; the events are exactly the protection group's open and done
occurrences of this year and next (none void), each an all-day event on
its due date with a stable UID, the duty's name as SUMMARY (done ones
marked), its page as URL under base-url, a 7-day alarm on open ones;
two fetches give the same UIDs.  The officer's feed holds every
occurrence, a staff account's none.  Renewing makes the old address
404, as do a wrong or malformed token, a stopped feed and a disabled
account; every step is audited.

Environment: ISMS_BIN is the binary, ISMS_SOURCE the source tree.
"""
import datetime
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import ServedTestCase, db_count, db_query  # noqa: E402

try:
    import icalendar  # noqa: E402
except ImportError:
    # Debian's module; the first python3 on PATH may be another one.
    sys.path.append("/usr/lib/python3/dist-packages")
    import icalendar  # noqa: E402

TAIPEI = datetime.timezone(datetime.timedelta(hours=8))
BASE = "https://isms.example.gov.tw/isms"
URL_RE = re.compile(r'id="feed-url">https://isms\.example\.gov\.tw/isms(/feed/[0-9a-f]{48}\.ics)<')


class FeedTest(ServedTestCase):
    user = "feed-prot"
    roles = ("protection",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = harness.run("settings", "set", "base-url", BASE + "/", "--db", cls.db)
        if r.returncode != 0:
            raise AssertionError(r.stderr)
        r = harness.run("calendar", "tick", "--db", cls.db)
        if r.returncode != 0:
            raise AssertionError(r.stderr)

    def make_feed(self, c=None):
        """Make (or renew) the feed of c (the test's account); returns its
        path."""
        c = c or self.c
        self.assertEqual(c.page("/account/calendar-feed").status, 200)
        r = c.post_form("/account/calendar-feed", {})
        self.assertEqual(r.status, 201, r.text[:300])
        m = URL_RE.search(r.text)
        self.assertTrue(m, r.text[:2000])
        return m.group(1)

    def fetch(self, path):
        """The feed at path fetched without a session, parsed."""
        r = self.anonymous().get(path)
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertEqual(r.header("Content-Type"), "text/calendar; charset=utf-8")
        return icalendar.Calendar.from_ical(r.body)

    def window(self, owner=None):
        """{id: (due, status)} of the non-void occurrences of this year and
        next (of owner)."""
        y = datetime.datetime.now(TAIPEI).year
        sql = ("SELECT id, due_on, status FROM occurrence WHERE status <> 'void'"
               " AND due_on BETWEEN ? AND ?")
        args = ["%d-01-01" % y, "%d-12-31" % (y + 1)]
        if owner:
            sql += " AND owner = ?"
            args.append(owner)
        return {i: (datetime.date.fromisoformat(d), s)
                for i, d, s in db_query(self.db, sql, args)}

    def events(self, cal):
        """{occurrence id: event} of a parsed calendar."""
        out = {}
        for e in cal.walk("VEVENT"):
            m = re.fullmatch(r"occurrence-(\d+)@isms\.example\.gov\.tw", str(e["UID"]))
            self.assertTrue(m, str(e["UID"]))
            out[int(m.group(1))] = e
        return out

    def test_own_duties(self):
        path = self.make_feed()
        cal = self.fetch(path)
        self.assertEqual(str(cal["VERSION"]), "2.0")
        self.assertEqual(str(cal["X-WR-CALNAME"]), "isms 應辦事項（feed-prot）")
        got = self.events(cal)
        want = self.window("protection")
        self.assertTrue(want)
        self.assertEqual(set(got), set(want))
        self.assertIn("done", {s for _, s in want.values()})
        officer = self.server.signed_in(self, "feed-off", ("officer",))
        for oid, e in got.items():
            due, status = want[oid]
            self.assertEqual(e.decoded("DTSTART"), due)
            self.assertEqual(str(e["URL"]), "%s/r/duty/calendar/%d" % (BASE, oid))
            summary = str(e["SUMMARY"])
            alarms = list(e.walk("VALARM"))
            if status == "done":
                self.assertTrue(summary.startswith("【已完成】"), summary)
                self.assertIn("狀態：已完成", str(e["DESCRIPTION"]))
                self.assertEqual(alarms, [])
            else:
                self.assertFalse(summary.startswith("【"), summary)
                [alarm] = alarms
                self.assertEqual(alarm.decoded("TRIGGER"), -datetime.timedelta(days=7))
            self.assertIn("負責群組：資安防護組", str(e["DESCRIPTION"]))
        # The names are the duties' own, as their pages show them.
        for oid in sorted(got)[:3]:
            name = str(got[oid]["SUMMARY"]).replace("【已完成】", "")
            self.assertIn(name, officer.page("/r/duty/calendar/%d" % oid).text)
        # Stable: the same UIDs on the next fetch.
        again = self.events(self.fetch(path))
        self.assertEqual(sorted(again), sorted(got))
        self.assertEqual([str(again[i]["UID"]) for i in sorted(again)],
                         [str(got[i]["UID"]) for i in sorted(got)])

    def test_officer_and_staff(self):
        officer = self.server.signed_in(self, "feed-off2", ("officer",))
        got = self.events(self.fetch(self.make_feed(officer)))
        self.assertEqual(set(got), set(self.window()))
        staff = self.server.signed_in(self, "feed-staff", ("staff",))
        cal = self.fetch(self.make_feed(staff))
        self.assertEqual(list(cal.walk("VEVENT")), [])

    def test_renew_revoke_and_wrong_tokens(self):
        self.c = self.server.signed_in(self, "feed-renew", ("protection",))
        before = db_count(self.db, "audit_event", "action LIKE 'feed-%'")
        old = self.make_feed()
        self.assertEqual(self.anonymous().get(old).status, 200)
        page = self.c.page("/account/calendar-feed").text
        self.assertIn("目前的訂閱網址產生於", page)
        new = self.make_feed()
        self.assertNotEqual(old, new)
        self.assertEqual(self.anonymous().get(old).status, 404)
        self.assertEqual(self.anonymous().get(new).status, 200)
        # Only the hash is kept.
        token = new[len("/feed/"):-len(".ics")]
        self.assertEqual(db_count(self.db, "feed_token", "hash = x'%s'" % token), 0)
        for bad in ("/feed/%s.ics" % ("0" * 48), "/feed/%s.ics" % token[:-1],
                    "/feed/%s" % token, "/feed/%s.ical" % token, "/feed/abc.ics",
                    "/feed/%s.ics" % token.upper()):
            self.assertEqual(self.anonymous().get(bad).status, 404, bad)
        r = self.c.post_form("/account/calendar-feed/revoke", {})
        self.assertEqual((r.status, r.header("Location")), (303, "/account/calendar-feed"))
        self.assertEqual(self.anonymous().get(new).status, 404)
        self.assertEqual(self.c.post_form("/account/calendar-feed/revoke", {}).status, 404)
        self.assertEqual(
            [a for (a,) in db_query(self.db, "SELECT action FROM audit_event WHERE"
                                    " action LIKE 'feed-%' ORDER BY id")][before:],
            ["feed-create", "feed-renew", "feed-revoke"])
        # CSRF is checked like any state change.
        self.assertEqual(self.c.post_form("/account/calendar-feed", {},
                                          token="0" * 32).status, 403)

    def test_disabled_account(self):
        c = self.server.signed_in(self, "feed-gone", ("protection",))
        path = self.make_feed(c)
        self.assertEqual(self.anonymous().get(path).status, 200)
        r = harness.run("user", "disable", "feed-gone", "--db", self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.anonymous().get(path).status, 404)
        r = harness.run("user", "enable", "feed-gone", "--db", self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.anonymous().get(path).status, 200)


if __name__ == "__main__":
    harness.main()

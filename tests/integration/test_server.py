"""Server lifecycle: graceful shutdown with a request in flight, the access
log, the 405 Allow header, and numbers that must not turn into changes.

Run alone: python3 tests/integration/test_server.py (ISMS_BIN names the
binary, default build/dev/isms).
"""
import os
import re
import signal
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import db_count, db_query, init_db, make_tempdir  # noqa: E402


def business_csv(rows):
    """A CSV of rows new businesses with field codes as headers."""
    lines = ["name,is_core,mtd_kind,failure_impact"]
    for i in range(rows):
        lines.append("停機測試系統%d,否,由系統權管單位訂之,影響機關行政效率%d" % (i, i))
    return ("\n".join(lines) + "\n").encode("utf-8")


class ShutdownTest(unittest.TestCase):
    def test_request_in_flight_finishes_on_sigterm(self):
        """SIGTERM while an import runs: the import completes and commits, then the server exits 0."""
        tmp = make_tempdir(self).name
        rows = 20000
        for attempt in range(4):
            db = os.path.join(tmp, "shutdown%d.db" % attempt)
            init_db(db)
            server = harness.Server(db)
            server.__enter__()
            client = server.signed_in()
            result = {}

            def post():
                result["resp"] = client.request(
                    "POST", "/api/v1/business/import", body=business_csv(rows),
                    headers={"Content-Type": "text/csv"})

            worker = threading.Thread(target=post)
            worker.start()
            time.sleep(0.3)  # the request is in the server by now
            server.proc.send_signal(signal.SIGTERM)
            worker.join(60)
            code = server.stop()
            log = server.stderr_text
            self.assertEqual(code, 0, log[-2000:])
            self.assertIn("stopped; database closed", log)
            resp = result.get("resp")
            self.assertIsNotNone(resp, "no response to the import")
            self.assertEqual(resp.status, 200, resp.body[:300])
            self.assertEqual(db_count(db, "business"), 45 + rows)
            # Proof that it was in flight: the import's access line comes
            # after the stop signal was logged.  On a machine fast enough
            # to finish first, retry with more rows.
            stop_at = log.find("signal 15: stopping")
            access_at = log.find("path=/api/v1/business/import")
            self.assertNotEqual(stop_at, -1, log[-2000:])
            self.assertNotEqual(access_at, -1, log[-2000:])
            if access_at > stop_at:
                return
            rows *= 3
        self.fail("the import always finished before SIGTERM arrived")


class ServerTest(harness.ServedTestCase):
    def test_one_access_line_per_request(self):
        """Every request adds exactly one access-log line with its status."""
        before = self.server.read_stderr().count("access req=")
        statuses = [self.c.get(p).status for p in
                    ("/", "/r/business", "/r/nope", "/static/app.css")]
        self.assertEqual(statuses, [200, 200, 404, 200])
        time.sleep(0.2)  # the line is written when the request completes
        log = self.server.read_stderr()
        self.assertEqual(log.count("access req=") - before, 4)
        self.assertRegex(log, r"access req=[0-9a-f]{16} method=GET path=/r/nope "
                              r"status=404 bytes=[0-9]+ us=[0-9]+")

    def test_method_not_allowed_names_the_allowed(self):
        """A 405 carries an Allow header listing the path's methods."""
        resp = self.c.request("DELETE", "/api/v1/business/1")
        self.assertEqual(resp.status, 405)
        self.assertEqual(resp.header("Allow"), "GET, HEAD, PATCH")
        resp = self.c.request("PUT", "/r/business")
        self.assertEqual(resp.status, 405)
        self.assertEqual(resp.header("Allow"), "GET, HEAD, POST")

    def test_filters_take_labels_and_booleans(self):
        """List filters accept true/1/是 for yes-no fields and option labels as well as codes."""
        def total(**query):
            resp = self.c.get(harness.url("/api/v1/business", per_page=1, **query))
            self.assertEqual(resp.status, 200, resp.body[:200])
            return resp.json()["total"]
        core = db_count(self.db, "business", "is_core = 1")
        self.assertEqual(core, 3)
        for value in ("1", "true", "是", "yes"):
            self.assertEqual(total(f_is_core=value), core, value)
        self.assertEqual(total(f_is_core="false"), 45 - core)
        owner = db_count(self.db, "business", "mtd_kind = 'owner'")
        self.assertEqual(total(f_mtd_kind="owner"), owner)
        self.assertEqual(total(f_mtd_kind="由系統權管單位訂之"), owner)
        self.assertEqual(total(f_mtd_kind="nonsense"), 0)

    def test_archived_record_is_read_only(self):
        """An archived record cannot be changed by form, API or import until restored."""
        rid = 44
        self.assertEqual(self.c.request("POST", "/api/v1/business/%d/archive" % rid, body=b"{}",
                                        headers={"Content-Type": "application/json"}).status, 200)
        before = db_query(self.db, "SELECT name, version FROM business WHERE id = ?", (rid,))
        resp = self.c.patch_json("/api/v1/business/%d" % rid, {"name": "改名"})
        self.assertEqual(resp.status, 409, resp.body[:300])
        self.assertIn("封存", resp.json()["message"])
        resp = self.c.request("POST", "/api/v1/business/import",
                              body=("id,name\n%d,改名\n" % rid).encode(),
                              headers={"Content-Type": "text/csv"})
        self.assertEqual(resp.status, 400, resp.body[:300])
        self.assertEqual(db_query(self.db, "SELECT name, version FROM business WHERE id = ?",
                                  (rid,)), before)
        self.assertEqual(self.c.request("POST", "/api/v1/business/%d/restore" % rid, body=b"{}",
                                        headers={"Content-Type": "application/json"}).status, 200)
        self.assertEqual(self.c.patch_json("/api/v1/business/%d" % rid,
                                           {"name": "改名"}).status, 200)

    def test_creates_and_updates_are_audited(self):
        """Every create and every real update writes an audit event in its transaction."""
        before = db_count(self.db, "audit_event")
        resp = self.c.post_json("/api/v1/member", {"name": "稽核測試"})
        self.assertEqual(resp.status, 201, resp.body[:300])
        mid = resp.json()["id"]
        self.assertEqual(self.c.patch_json("/api/v1/member/%d" % mid, {"title": "科員"}).status, 200)
        self.assertEqual(self.c.patch_json("/api/v1/member/%d" % mid, {"title": "科員"}).status, 200)
        rows = db_query(self.db, "SELECT action, object FROM audit_event WHERE id > "
                                 "(SELECT max(id) - 2 FROM audit_event) ORDER BY id")
        self.assertEqual(db_count(self.db, "audit_event") - before, 2)  # no-op PATCH: none
        self.assertEqual(rows, [("create", "member/%d" % mid), ("update", "member/%d" % mid)])

    def test_small_numbers_round_trip(self):
        """A target of 0.00001 (stored as 1e-05) can be edited, exported and re-imported."""
        resp = self.c.post_json("/api/v1/goal_metric",
                                {"goal": 8, "metric": "極小值", "comparator": "<", "target": 0.00001})
        self.assertEqual(resp.status, 201, resp.body[:300])
        mid = resp.json()["id"]
        self.assertEqual(resp.json()["target"], 1e-05)
        self.assertEqual(self.c.patch_json("/api/v1/goal_metric/%d" % mid,
                                           {"unit": "%"}).status, 200)
        export = self.c.get("/r/goal_metric/export.csv").body
        resp = self.c.request("POST", "/api/v1/goal_metric/import", body=export,
                              headers={"Content-Type": "text/csv"})
        self.assertEqual(resp.status, 200, resp.body[:500])
        self.assertEqual(resp.json()["updated"], 0)

    def test_unchanged_number_is_no_change(self):
        """Saving a metric with its target unchanged (99.97, 100) records no change."""
        rows = db_query(self.db, "SELECT id, target, version FROM goal_metric "
                                 "WHERE id <= 4 ORDER BY id")
        self.assertEqual(len(rows), 4)
        history = db_count(self.db, "reg_history", "register = 'goal_metric'")
        for rid, target, version in rows:
            resp = self.c.patch_json("/api/v1/goal_metric/%d" % rid, {"target": target})
            self.assertEqual(resp.status, 200, resp.body[:300])
            self.assertEqual(resp.json()["version"], version)
        self.assertEqual(db_count(self.db, "reg_history", "register = 'goal_metric'"), history)
        # The edit form shows the number as it was entered.
        page = self.c.get("/r/goal_metric/1/edit").text
        self.assertTrue(re.search(r'name="target"[^>]*value="99\.97"', page), page[:2000])


if __name__ == "__main__":
    harness.main()

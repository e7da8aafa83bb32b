"""The yearly asset inventory (plan 柒.一.1): open this year's campaign
with one item per active asset, each owner records confirmed / changed /
missing, completion per owner, closing refused until every item is
decided, and every step in the audit trail."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import db_query  # noqa: E402


class InventoryTest(harness.ServedTestCase):
    demo = False

    def add_asset(self, name, owner):
        fields = {"name": name, "class": "physical", "property_no": "INV-" + name}
        if owner:
            fields["owner"] = owner
        self.c.page("/r/asset/new")
        r = self.c.post_form("/r/asset", fields)
        self.assertEqual(r.status, 303, r.text[:400])
        return int(r.header("Location").rsplit("/", 1)[1])

    def audit(self, action):
        return db_query(self.db, "SELECT object, detail FROM audit_event"
                        " WHERE action = ? ORDER BY id", (action,))

    def test_campaign(self):
        c = self.c
        mine = self.add_asset("甲機", "officer1")
        theirs = self.add_asset("乙機", "it1")
        nobody = self.add_asset("丙機", None)
        archived = self.add_asset("丁機", "officer1")
        c.page("/r/asset/%d" % archived)
        self.assertEqual(c.post_form("/r/asset/%d/archive" % archived, {}).status, 303)

        r = c.page("/r/asset/inventory")
        self.assertEqual(r.status, 200)
        self.assertContains('action="/r/asset/inventory"', r.text)

        r = c.post_form("/r/asset/inventory", {})
        self.assertEqual(r.status, 303, r.text[:400])
        self.assertEqual(r.header("Location"), "/r/asset/inventory")
        rows = db_query(self.db, "SELECT asset, owner, result FROM inventory_item"
                        " ORDER BY asset")
        self.assertEqual(rows, [(mine, "officer1", None), (theirs, "it1", None),
                                (nobody, None, None)])
        self.assertEqual(len(self.audit("inventory-open")), 1)
        # One a year, one at a time.
        self.assertEqual(c.post_form("/r/asset/inventory", {}).status, 409)

        # My assets come first.
        body = c.page("/r/asset/inventory").text
        self.assertLess(body.index("INV-甲機"), body.index("其他資產"))
        self.assertLess(body.index("其他資產"), body.index("INV-乙機"))
        self.assertContains("0／3", body)

        # The owner confirms; changed and missing need a note.
        r = c.post_form("/r/asset/%d/confirm" % mine, {"result": "confirmed"})
        self.assertEqual(r.status, 303)
        self.assertEqual(c.post_form("/r/asset/%d/confirm" % nobody,
                                     {"result": "missing"}).status, 400)
        self.assertEqual(c.post_form("/r/asset/%d/confirm" % nobody,
                                     {"result": "lost", "note": "x"}).status, 400)
        self.assertEqual(c.post_form("/r/asset/%d/confirm" % archived,
                                     {"result": "confirmed"}).status, 404)
        it = self.server.signed_in(self, login="it1", roles=("it",))
        it.page("/r/asset/inventory")
        r = it.post_form("/r/asset/%d/confirm" % theirs,
                         {"result": "changed", "note": "移至 B1 機房"})
        self.assertEqual(r.status, 303)

        # Completion per owner.
        body = c.page("/r/asset/inventory").text
        self.assertContains("2／3", body)
        self.assertContains("66%", body)  # rounded down: 100% only when all are done
        self.assertContains("100%", body)
        self.assertContains("0%", body)

        # Not closed while one is undecided.
        self.assertEqual(c.post_form("/r/asset/inventory/close", {}).status, 409)
        self.assertIsNone(db_query(self.db, "SELECT closed_at FROM inventory")[0][0])

        r = c.post_form("/r/asset/%d/confirm" % nobody,
                        {"result": "missing", "note": "查無此機"})
        self.assertEqual(r.status, 303)
        self.assertEqual(c.post_form("/r/asset/inventory/close", {}).status, 303)
        closed = db_query(self.db, "SELECT closed_by FROM inventory")
        self.assertEqual(closed, [("officer1",)])
        rows = db_query(self.db, "SELECT asset, result, note, decided_by"
                        " FROM inventory_item ORDER BY asset")
        self.assertEqual(rows, [(mine, "confirmed", None, "officer1"),
                                (theirs, "changed", "移至 B1 機房", "it1"),
                                (nobody, "missing", "查無此機", "officer1")])
        # Closed: nothing more to record.
        self.assertEqual(c.post_form("/r/asset/%d/confirm" % mine,
                                     {"result": "confirmed"}).status, 409)
        self.assertEqual(c.post_form("/r/asset/inventory/close", {}).status, 409)

        confirms = self.audit("inventory-confirm")
        self.assertEqual(len(confirms), 3)
        self.assertIn(("asset/%d" % theirs,), [(o,) for o, _ in confirms])
        self.assertEqual(len(self.audit("inventory-close")), 1)
        body = c.page("/r/asset/inventory").text
        self.assertContains("歷次盤點", body)

    def test_access(self):
        for reg in ("system", "business"):
            self.assertEqual(self.c.get("/r/%s/inventory" % reg).status, 404)
        staff = self.server.signed_in(self, login="staff1", roles=("staff",))
        self.assertEqual(staff.get("/r/asset/inventory").status, 403)
        auditor = self.server.signed_in(self, login="auditor1", roles=("auditor",))
        self.assertEqual(auditor.page("/r/asset/inventory").status, 200)
        self.assertEqual(auditor.post_form("/r/asset/inventory", {}).status, 403)


if __name__ == "__main__":
    harness.main()

"""The isms command line: exit codes, stdout and stderr, and refusing to
touch files that are not (this version's) isms databases."""

import csv
import io
import os
import sqlite3
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import run  # noqa: E402


def snapshot(path):
    """Bytes and mtime of a file, to prove it was not touched."""
    st = os.stat(path)
    with open(path, "rb") as f:
        return f.read(), st.st_mtime_ns, st.st_size


class CliTest(unittest.TestCase):

    def setUp(self):
        self.dir = harness.make_tempdir(self).name

    def path(self, name):
        """A path in this test's temp dir."""
        return os.path.join(self.dir, name)

    def assertUntouched(self, path, before):
        """path has the same bytes and mtime as in before, and no
        backup or journal files were left beside it."""
        self.assertEqual(snapshot(path), before)
        left = sorted(n for n in os.listdir(self.dir)
                      if n.startswith(os.path.basename(path)) and
                      n != os.path.basename(path))
        self.assertEqual(left, [], "files left beside %s" % path)

    def assertRefused(self, res, *needles):
        """res failed with a non-zero exit and every needle on stderr."""
        err = res.stderr.decode("utf-8", "replace")
        self.assertNotEqual(res.returncode, 0, err)
        for n in needles:
            self.assertIn(n, err)

    def test_version(self):
        """`isms version` prints the version and SQLite's on stdout, exit 0."""
        res = run("version", cwd=self.dir)
        self.assertEqual(res.returncode, 0)
        self.assertRegex(res.stdout.decode(), r"^isms \d+\.\d+\.\d+ \(SQLite 3\.\d+")
        self.assertEqual(res.stderr, b"")

    def test_help_lists_commands(self):
        """`isms help` lists every command and exits 0."""
        res = run("help", cwd=self.dir)
        self.assertEqual(res.returncode, 0)
        out = res.stdout.decode("utf-8")
        for cmd in ("init", "serve", "import", "export", "rebuild", "version", "help"):
            self.assertRegex(out, r"(?m)^  %s\s" % cmd)
        self.assertEqual(res.stderr, b"")

    def test_help_serve_prints_its_page(self):
        """`isms help serve` prints docs/cli/serve.md verbatim."""
        res = run("help", "serve", cwd=self.dir)
        self.assertEqual(res.returncode, 0)
        with open(os.path.join(harness.SOURCE, "docs", "cli", "serve.md"), "rb") as f:
            self.assertEqual(res.stdout, f.read())

    def test_unknown_command(self):
        """An unknown command exits non-zero with a message on stderr only."""
        res = run("frobnicate", cwd=self.dir)
        self.assertRefused(res, "frobnicate", "isms help")
        self.assertEqual(res.stdout, b"")
        res = run("help", "frobnicate", cwd=self.dir)
        self.assertRefused(res, "frobnicate")
        self.assertEqual(res.stdout, b"")

    def test_init_twice_refuses(self):
        """A second init on the same path fails and leaves the file as it was."""
        db = self.path("t.db")
        res = run("init", "--db", db, cwd=self.dir)
        self.assertEqual(res.returncode, 0, res.stderr)
        before = snapshot(db)
        time.sleep(0.01)
        res = run("init", "--db", db, "--demo", cwd=self.dir)
        self.assertRefused(res, "already exists")
        self.assertUntouched(db, before)

    def test_export_demo_business(self):
        """init --demo then export business gives a BOM, a header and 45 rows."""
        db = self.path("demo.db")
        res = run("init", "--db", db, "--demo", cwd=self.dir)
        self.assertEqual(res.returncode, 0, res.stderr)
        res = run("export", "business", "--db", db, cwd=self.dir)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertTrue(res.stdout.startswith(b"\xef\xbb\xbf"), res.stdout[:20])
        rows = list(csv.reader(io.StringIO(res.stdout[3:].decode("utf-8"), newline="")))
        self.assertEqual(rows[0][:3], ["id", "項次", "業務名稱"])
        self.assertEqual(len(rows) - 1, 45)
        self.assertTrue(all(len(r) == len(rows[0]) for r in rows))
        self.assertEqual(len({r[0] for r in rows[1:]}), 45)

    def test_not_a_database_is_refused(self):
        """serve and export refuse a text file and leave it untouched."""
        path = self.path("hello.db")
        with open(path, "w") as f:
            f.write("hello")
        before = snapshot(path)
        for args in (("serve", "--db", path, "--listen", "127.0.0.1:0", "--print-port"),
                     ("export", "business", "--db", path)):
            res = run(*args, cwd=self.dir)
            self.assertRefused(res, "not an isms database")
            self.assertEqual(res.stdout, b"")
            self.assertUntouched(path, before)

    def test_other_sqlite_application_is_refused(self):
        """A SQLite file of another application (application_id 123) is refused untouched."""
        path = self.path("other.db")
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)")
        con.execute("INSERT INTO notes(body) VALUES ('keep me')")
        con.execute("PRAGMA application_id = 123")
        con.commit()
        con.close()
        before = snapshot(path)
        time.sleep(0.01)
        for args in (("serve", "--db", path, "--listen", "127.0.0.1:0", "--print-port"),
                     ("export", "business", "--db", path)):
            res = run(*args, cwd=self.dir)
            self.assertRefused(res, "not an isms database")
            self.assertUntouched(path, before)

    def test_newer_schema_is_refused(self):
        """A database of a newer schema version is refused and left untouched."""
        db = self.path("new.db")
        harness.init_db(db, demo=False)
        con = sqlite3.connect(db)
        con.execute("PRAGMA user_version = 999")
        con.commit()
        con.close()
        before = snapshot(db)
        time.sleep(0.01)
        res = run("serve", "--db", db, "--listen", "127.0.0.1:0", "--print-port",
                  cwd=self.dir)
        self.assertRefused(res, "newer than this binary", "999")
        self.assertEqual(res.stdout, b"")
        self.assertUntouched(db, before)
        res = run("export", "business", "--db", db, cwd=self.dir)
        self.assertRefused(res, "newer than this binary")
        self.assertUntouched(db, before)

    def test_serve_wildcard_needs_host(self):
        """serve --listen 0.0.0.0:0 without --host is refused (test_tls.py has more)."""
        db = self.path("t.db")
        harness.init_db(db, demo=False)
        try:
            res = run("serve", "--db", db, "--listen", "0.0.0.0:0", "--print-port",
                      cwd=self.dir, timeout=10)
        except subprocess.TimeoutExpired:
            self.fail("serve --listen 0.0.0.0:0 started serving")
        self.assertRefused(res, "--host")
        self.assertEqual(res.stdout, b"")

    def test_isms_db_env_is_the_default(self):
        """ISMS_DB names the database when --db is not given."""
        db = self.path("env.db")
        env = {"ISMS_DB": db}
        res = run("init", "--demo", env=env, cwd=self.dir)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertTrue(os.path.exists(db))
        self.assertFalse(os.path.exists(self.path("isms.db")))
        res = run("export", "business", env=env, cwd=self.dir)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("WebITR 差勤服務系統".encode("utf-8"), res.stdout)
        # Without ISMS_DB the default is ./isms.db, which does not exist.
        res = run("export", "business", cwd=self.dir)
        self.assertRefused(res, "isms.db")


if __name__ == "__main__":
    harness.main()

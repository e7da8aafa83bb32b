"""`isms mask`: the masking engine as a filter (docs/cli/mask.md).

Every operator on a text with each kind of identifier and indicator;
--report json against the bytes it points at; hash tokens that repeat
and depend on the key; encrypt then --reveal; the error messages and
exit codes of bad entities, operators, keys and invalid UTF-8; a 50 MB
input from a file (mapped) and from a pipe giving the same output; a
file read from an offset; a failed write."""

import json
import os
import re
import stat
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import run  # noqa: E402

TEXT = ("姓名：王小明，身分證A123456789，手機0912-345-678，信箱 "
        "john@example.com。來源 192.168.1.10，CVE-2024-12345，"
        "d41d8cd98f00b204e9800998ecf8427e。\n").encode("utf-8")

REPLACED = ("姓名：<NAME>，身分證<TW_ID>，手機<PHONE>，信箱 <EMAIL>。"
            "來源 192.168.1.10，CVE-2024-12345，"
            "d41d8cd98f00b204e9800998ecf8427e。\n").encode("utf-8")

# What the text holds, in order: entity and the exact bytes.
FOUND = [("NAME", "王小明"), ("TW_ID", "A123456789"),
         ("PHONE", "0912-345-678"), ("EMAIL", "john@example.com")]

DEFAULT = ["TW_ID", "TW_ARC", "PHONE", "EMAIL", "DOB", "PASSPORT", "NAME",
           "ADDRESS", "CARD"]

TOKEN = re.compile(rb"<([A-Z_]+):([he]):([a-zA-F]+)>")


def mask(*args, stdin=b"", env=None):
    """isms mask ARGS with stdin (bytes) through a pipe."""
    return run("mask", *args, stdin=stdin, env=env, timeout=120)


def mask_file(path, *args, offset=0):
    """isms mask ARGS with the file at path as standard input (a regular
    file: the mapped path), read from offset."""
    env = dict(os.environ)
    env.pop("ISMS_DB", None)
    env["ISMS_LANG"] = "en"
    with open(path, "rb") as f:
        f.seek(offset)
        return subprocess.run([harness.BIN, "mask"] + list(args), stdin=f,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=env, timeout=120, check=False)


class MaskCliTest(unittest.TestCase):

    def setUp(self):
        self.dir = harness.make_tempdir(self).name

    def path(self, name):
        return os.path.join(self.dir, name)

    def new_key(self, name="mask.key"):
        """A fresh key file made with --new-key; its path."""
        p = self.path(name)
        r = mask("--operator", "hash", "--key", p, "--new-key", stdin=b"x")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(p.encode(), r.stderr)  # "created the key file ..."
        return p

    def assertFails(self, r, code, *needles):
        """r exited with code, wrote nothing on stdout, and its stderr
        starts with "isms: " and holds every needle."""
        err = r.stderr.decode("utf-8")
        self.assertEqual(r.returncode, code, err)
        self.assertEqual(r.stdout, b"")
        self.assertTrue(err.startswith("isms: "), err)
        for n in needles:
            self.assertIn(n, err)

    # ---- operators ----

    def test_replace_is_the_default(self):
        r = mask(stdin=TEXT)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, REPLACED)
        self.assertEqual(r.stderr, b"")
        r = mask("--operator", "replace", stdin=TEXT)
        self.assertEqual(r.stdout, REPLACED)

    def test_redact(self):
        r = mask("--operator", "redact", stdin=TEXT)
        self.assertEqual(r.returncode, 0, r.stderr)
        want = REPLACED
        for e, _ in FOUND:
            want = want.replace(b"<%s>" % e.encode(), b"")
        self.assertEqual(r.stdout, want)

    def test_partial(self):
        r = mask("--operator", "partial", stdin=TEXT)
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout.decode("utf-8")
        self.assertIn("姓名：王*明，", out)
        self.assertIn("身分證A12****789，", out)
        self.assertIn("手機0912*****678，", out)
        self.assertIn("信箱 j***@example.com。", out)
        self.assertIn("192.168.1.10，CVE-2024-12345，", out)

    def test_entities_choose(self):
        r = mask("--entities", "tw_id, email", stdin=TEXT)
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout.decode("utf-8")
        self.assertIn("王小明", out)
        self.assertIn("0912-345-678", out)
        self.assertIn("<TW_ID>", out)
        self.assertIn("<EMAIL>", out)
        # UBN only when asked for
        ubn = "統一編號：04595257\n".encode("utf-8")
        self.assertEqual(mask(stdin=ubn).stdout, ubn)
        self.assertEqual(mask("--entities", "all", stdin=ubn).stdout,
                         "統一編號：<UBN>\n".encode("utf-8"))
        self.assertEqual(mask("--entities", "default,UBN", stdin=ubn).stdout,
                         "統一編號：<UBN>\n".encode("utf-8"))

    def test_hash_repeats_and_depends_on_the_key(self):
        k1 = self.new_key("k1.key")
        k2 = self.new_key("k2.key")
        self.assertEqual(stat.S_IMODE(os.stat(k1).st_mode), 0o600)
        self.assertEqual(os.path.getsize(k1), 32)
        text = b"A123456789 A123456789 B123456780\n"
        r1 = mask("--operator", "hash", "--key", k1, stdin=text)
        self.assertEqual(r1.returncode, 0, r1.stderr)
        self.assertEqual(r1.stderr, b"")
        toks = r1.stdout.split()
        self.assertEqual(len(toks), 3)
        for t in toks:
            self.assertRegex(t, TOKEN)
            self.assertTrue(t.startswith(b"<TW_ID:h:"))
        self.assertEqual(toks[0], toks[1])
        self.assertNotEqual(toks[0], toks[2])
        # the same again, and with --new-key on an existing file
        again = mask("--operator", "hash", "--key", k1, "--new-key",
                     stdin=text)
        self.assertEqual(again.stdout, r1.stdout)
        self.assertEqual(again.stderr, b"")  # nothing created
        other = mask("--operator", "hash", "--key", k2, stdin=text)
        self.assertNotEqual(other.stdout.split()[0], toks[0])

    def test_encrypt_then_reveal(self):
        k1 = self.new_key("k1.key")
        k2 = self.new_key("k2.key")
        r = mask("--operator", "encrypt", "--key", k1, stdin=TEXT)
        self.assertEqual(r.returncode, 0, r.stderr)
        masked = r.stdout
        self.assertEqual(len(TOKEN.findall(masked)), len(FOUND))
        for _, value in FOUND:
            self.assertNotIn(value.encode("utf-8"), masked)
        self.assertIn(b"192.168.1.10", masked)
        # a fresh nonce each time
        self.assertNotEqual(
            mask("--operator", "encrypt", "--key", k1, stdin=TEXT).stdout,
            masked)
        back = mask("--reveal", "--key", k1, stdin=masked)
        self.assertEqual(back.returncode, 0, back.stderr)
        self.assertEqual(back.stdout, TEXT)
        # another key opens nothing and changes nothing
        closed = mask("--reveal", "--key", k2, stdin=masked)
        self.assertEqual(closed.returncode, 0, closed.stderr)
        self.assertEqual(closed.stdout, masked)
        # masked text masks to itself
        self.assertEqual(mask(stdin=masked).stdout, masked)

    def test_reveal_of_a_large_text(self):
        """Tokens across the reveal's 1 MiB pieces all open."""
        k = self.new_key()
        block = b"x" * 997 + b"\n" + TEXT
        text = block * 3000  # about 3.5 MB: several pieces
        r = mask("--operator", "encrypt", "--key", k, stdin=text)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(TOKEN.findall(r.stdout)), 3000 * len(FOUND))
        back = mask("--reveal", "--key", k, stdin=r.stdout)
        self.assertEqual(back.returncode, 0, back.stderr)
        self.assertEqual(back.stdout, text)

    # ---- the report ----

    def test_report_json(self):
        r = mask("--report", "json", stdin=TEXT)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.endswith(b"}\n"))
        rep = json.loads(r.stdout)
        self.assertEqual(list(rep), ["bytes", "findings", "counts"])
        self.assertEqual(rep["bytes"], len(TEXT))
        got = [(f["entity"], TEXT[f["offset"]:f["offset"] + f["length"]]
                .decode("utf-8")) for f in rep["findings"]]
        self.assertEqual(got, FOUND)
        for f in rep["findings"]:
            self.assertEqual(sorted(f), ["entity", "length", "offset",
                                         "score"])
            self.assertGreater(f["score"], 0)
            self.assertLessEqual(f["score"], 1)
        self.assertEqual(rep["findings"][1]["score"], 1)  # TW_ID checksum
        self.assertEqual(list(rep["counts"]), DEFAULT)
        for e in DEFAULT:
            self.assertEqual(rep["counts"][e],
                             sum(1 for x, _ in FOUND if x == e))
        # the operator does not change the report; the set does
        r2 = mask("--report", "json", "--operator", "partial", stdin=TEXT)
        self.assertEqual(r2.stdout, r.stdout)
        r3 = mask("--report=json", "--entities", "PHONE,UBN", stdin=TEXT)
        rep3 = json.loads(r3.stdout)
        self.assertEqual(rep3["counts"], {"PHONE": 1, "UBN": 0})
        self.assertEqual([f["entity"] for f in rep3["findings"]], ["PHONE"])

    def test_empty_input(self):
        r = mask(stdin=b"")
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, b"", b""))
        rep = json.loads(mask("--report", "json", stdin=b"").stdout)
        self.assertEqual(rep["bytes"], 0)
        self.assertEqual(rep["findings"], [])
        empty = self.path("empty.txt")
        open(empty, "wb").close()
        r = mask_file(empty)
        self.assertEqual((r.returncode, r.stdout), (0, b""))

    # ---- errors ----

    def test_bad_entity_is_named(self):
        r = mask("--entities", "TW_ID,FOO", stdin=TEXT)
        self.assertFails(r, 64, '"FOO"', "TW_ID, TW_ARC")
        r = mask("--entities", "TW_ID,,EMAIL", stdin=TEXT)
        self.assertFails(r, 64, "empty item")
        r = mask("--entities", "", stdin=TEXT)
        self.assertFails(r, 64, "lists no entity")
        # in Traditional Chinese
        r = mask("--entities", "身分證", stdin=TEXT,
                 env={"ISMS_LANG": "zh_TW.UTF-8"})
        self.assertFails(r, 64, "「身分證」不是可遮蔽的項目", "TW_ID、TW_ARC")

    def test_bad_operator_and_report(self):
        self.assertFails(mask("--operator", "shred", stdin=TEXT), 64,
                         '"shred" is not a masking operator', "partial")
        self.assertFails(mask("--report", "csv", stdin=TEXT), 64,
                         '"csv" is not a report format')
        self.assertFails(mask("--bogus", stdin=TEXT), 64, '"--bogus"',
                         "isms help mask")
        self.assertFails(mask("--key", stdin=TEXT), 64, '"--key"')
        r = mask("--operator", "洗掉", stdin=TEXT,
                 env={"ISMS_LANG": "zh_TW.UTF-8"})
        self.assertFails(r, 64, "「洗掉」不是遮蔽方式")

    def test_key_required_and_checked(self):
        for op in ("hash", "encrypt"):
            r = mask("--operator", op, stdin=TEXT)
            self.assertFails(r, 64, "the %s operator needs a key file" % op,
                             "--key FILE")
        r = mask("--operator", "hash", stdin=TEXT,
                 env={"ISMS_LANG": "zh_TW.UTF-8"})
        self.assertFails(r, 64, "遮蔽方式 hash 需要金鑰檔")
        self.assertFails(mask("--reveal", stdin=TEXT), 64, "--reveal needs")
        self.assertFails(mask("--new-key", stdin=TEXT), 64,
                         "--new-key goes with --key")
        k = self.new_key()
        self.assertFails(mask("--reveal", "--key", k, "--report", "json",
                              stdin=TEXT), 64, "--reveal takes --key only")
        # no such file, without --new-key
        missing = self.path("missing.key")
        self.assertFails(mask("--operator", "hash", "--key", missing,
                              stdin=TEXT), 66, missing)
        self.assertFalse(os.path.exists(missing))
        # readable by others
        os.chmod(k, 0o644)
        self.assertFails(mask("--operator", "encrypt", "--key", k,
                              stdin=TEXT), 77, "chmod 600")
        os.chmod(k, 0o600)
        # not a key
        short = self.path("short.key")
        with open(short, "wb") as f:
            f.write(b"x" * 31)
        os.chmod(short, 0o600)
        self.assertFails(mask("--reveal", "--key", short, stdin=TEXT), 65,
                         "32 bytes")
        # a directory that does not exist
        self.assertFails(mask("--operator", "hash", "--key",
                              self.path("no/such.key"), "--new-key",
                              stdin=TEXT), 74, "cannot create the key file")

    def test_invalid_utf8_is_refused(self):
        bad = "身分證A123456789".encode("utf-8") + b"\xff rest\n"
        r = mask(stdin=bad)
        self.assertFails(r, 65, "not valid UTF-8", "byte 19 ")
        r = mask(stdin=bad, env={"ISMS_LANG": "zh_TW.UTF-8"})
        self.assertFails(r, 65, "輸入不是有效的 UTF-8：第 19 個位元組")
        # a truncated character at the very end, from a file
        p = self.path("cut.txt")
        with open(p, "wb") as f:
            f.write(TEXT + "王".encode("utf-8")[:2])
        self.assertFails(mask_file(p), 65, "byte %d " % len(TEXT))
        self.assertFails(mask_file(p, "--report", "json"), 65)
        # a surrogate
        self.assertFails(mask(stdin=b"ok \xed\xa0\x80"), 65, "byte 3 ")

    def test_write_failure(self):
        with open("/dev/full", "wb") as full:
            r = subprocess.run([harness.BIN, "mask"], input=TEXT * 1000,
                               stdout=full, stderr=subprocess.PIPE,
                               env=dict(os.environ, ISMS_LANG="en"),
                               timeout=60, check=False)
        self.assertEqual(r.returncode, 74, r.stderr)
        self.assertIn(b"cannot write the output", r.stderr)

    # ---- large inputs ----

    def test_file_and_pipe_give_the_same_50_mb(self):
        block = ("2024-03-02 09:12:30 sshd[4242]: Failed password for root "
                 "from 192.168.1.10 port 22 ssh2\n"
                 "GET /q?id=A123456789&tel=0912345678 HTTP/1.1 200\n"
                 "通報人：王小明，電話 (02)2345-6789，地址臺北市中正區重慶南路"
                 "一段122號，卡號 4111 1111 1111 1111\n"
                 "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca4959"
                 "91b7852b855 CVE-2021-44228 mail john@example.com\n"
                 ).encode("utf-8")
        one = mask(stdin=block)
        self.assertEqual(one.returncode, 0, one.stderr)
        masked = one.stdout
        for leak in (b"A123456789", b"0912345678", b"2345-6789",
                     "王小明".encode("utf-8"), b"4111 1111",
                     b"john@example.com", "122號".encode("utf-8")):
            self.assertNotIn(leak, masked)
        for kept in (b"192.168.1.10", b"CVE-2021-44228", b"e3b0c442",
                     b"09:12:30", b"2024-03-02"):
            self.assertIn(kept, masked)
        n = (50 << 20) // len(block) + 1
        big = block * n
        path = self.path("big.log")
        with open(path, "wb") as f:
            f.write(big)
        t0 = time.monotonic()
        from_file = mask_file(path)
        t1 = time.monotonic()
        from_pipe = mask(stdin=big)
        t2 = time.monotonic()
        self.assertEqual(from_file.returncode, 0, from_file.stderr)
        self.assertEqual(from_pipe.returncode, 0, from_pipe.stderr)
        self.assertEqual(len(from_file.stdout), len(masked) * n)
        self.assertTrue(from_file.stdout == masked * n,
                        "the file's output is not the block's, repeated")
        self.assertTrue(from_pipe.stdout == from_file.stdout,
                        "pipe and file outputs differ")
        sys.stderr.write("\n50 MB: file %.2f s, pipe %.2f s\n"
                         % (t1 - t0, t2 - t1))
        # the report over the whole file counts every block
        rep = json.loads(mask_file(path, "--report", "json").stdout)
        self.assertEqual(rep["bytes"], len(big))
        self.assertEqual(rep["counts"]["TW_ID"], n)
        self.assertEqual(rep["counts"]["CARD"], n)

    def test_file_read_from_its_offset(self):
        """Standard input already partly read: the rest is masked."""
        path = self.path("offset.txt")
        head = b"h" * 5000  # past the first page of the file
        with open(path, "wb") as f:
            f.write(head + TEXT)
        r = mask_file(path, offset=len(head))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, REPLACED)
        r = mask_file(path, "--report", "json", offset=len(head))
        self.assertEqual(json.loads(r.stdout)["bytes"], len(TEXT))
        # read to its end already: nothing left
        r = mask_file(path, offset=len(head) + len(TEXT))
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, b"", b""))
        r = mask_file(path, "--report", "json", offset=len(head) + len(TEXT))
        self.assertEqual(json.loads(r.stdout)["bytes"], 0)


if __name__ == "__main__":
    unittest.main()

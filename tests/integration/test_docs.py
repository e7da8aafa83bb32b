#!/usr/bin/env python3
"""test_docs.py: the reference documentation runs (STYLE.md C12).

Every EXAMPLE in docs/ is executed against the real binary, so the
examples cannot go stale (curl compiles its doc examples):

- docs/cli/*.md: each "$ " line of the EXAMPLE code blocks runs in order
  under bash, in a temporary directory, with `isms` on PATH being
  $ISMS_BIN, and must exit with 0.  A `--db FILE` argument is replaced by
  a temporary database: a fresh path in docs/cli/init.md, otherwise a
  database made with `isms init --demo`; without --db, ISMS_DB points at
  such a database (or, for init, at a fresh path).  `isms serve` lines
  listen on port 0 instead of the one shown, must print a first line on
  stdout, and must exit with 0 on SIGTERM.
- `isms help CMD` prints exactly docs/cli/CMD.md, and every line of
  docs/cli is at most 80 terminal columns (East Asian wide, full-width
  and ambiguous characters count 2).
- docs/api/*.md and docs/pages/*.md: a server is started per file on a
  fresh `isms init --demo` database (`isms serve --listen 127.0.0.1:0
  --print-port`, stopped with SIGTERM, which must exit with 0).  Each
  "$ curl" line is translated to urllib (-X, -H, -d/--data,
  --data-binary, -b/--cookie, -F/--form; -s, -i, -o are ignored;
  127.0.0.1:8080 becomes the real port; redirects are not followed;
  $ISMS_SESSION, $ISMS_CSRF and $ISMS_TOKEN are the session cookie, CSRF
  token and API token of an officer account signed in for the file);
  other "$ " lines run under bash in the file's temporary directory with
  those variables, ISMS_DB (the server's database) and `isms` on PATH.
  API calls must answer 2xx, page calls 2xx or 3xx.  When the doc shows
  a JSON response, the real one must parse and have the same top-level
  keys; when it shows `curl -i` output, the status code and every
  header shown without "..." must match.

Environment: ISMS_BIN is the binary, ISMS_SOURCE the source tree.
"""
import json
import os
import re
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import unicodedata
import unittest
import urllib.error
import urllib.parse
import urllib.request
import uuid

BIN = os.path.abspath(os.environ["ISMS_BIN"]) if os.environ.get(
    "ISMS_BIN") else ""
SOURCE = os.environ.get("ISMS_SOURCE") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCS = os.path.join(SOURCE, "docs")
SECTIONS = ["NAME", "SYNOPSIS", "DESCRIPTION", "PERMISSIONS", "PARAMETERS",
            "EXAMPLE", "ERRORS", "SEE ALSO"]
TIMEOUT = 60


def doc_files(sub):
    """Sorted paths of docs/<sub>/*.md."""
    d = os.path.join(DOCS, sub)
    return sorted(os.path.join(d, f) for f in os.listdir(d)
                  if f.endswith(".md"))


def section(text, name):
    """The lines of the '## name' section (fences taken into account)."""
    out, inside, fence = [], False, False
    for line in text.split("\n"):
        if line.startswith("```"):
            fence = not fence
        if not fence and line.startswith("## "):
            inside = line[3:] == name
            continue
        if inside:
            out.append(line)
    return out


def code_blocks(lines):
    """The ``` fenced blocks among lines, each a list of lines."""
    blocks, cur = [], None
    for line in lines:
        if line.startswith("```"):
            if cur is None:
                cur = []
            else:
                blocks.append(cur)
                cur = None
        elif cur is not None:
            cur.append(line)
    return blocks


def complete(cmd):
    """True when cmd is a whole shell command (no open quote, no
    trailing backslash)."""
    if cmd.endswith("\\"):
        return False
    try:
        shlex.split(cmd.replace("\\\n", ""))
    except ValueError:
        return False
    return True


def examples(path):
    """(command, shown output lines) for every "$ " line of the EXAMPLE
    section, in order."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out = []
    for block in code_blocks(section(text, "EXAMPLE")):
        i = 0
        while i < len(block):
            if not block[i].startswith("$ "):
                i += 1
                continue
            cmd = block[i][2:]
            i += 1
            while not complete(cmd) and i < len(block):
                cmd += "\n" + block[i]
                i += 1
            shown = []
            while i < len(block) and not block[i].startswith("$ "):
                shown.append(block[i])
                i += 1
            out.append((cmd, shown))
    return out


def width(line):
    """Terminal columns of line, counting wide, full-width and ambiguous
    characters as 2 (a zh-TW terminal)."""
    n = 0
    for c in line:
        if unicodedata.combining(c):
            continue
        n += 2 if unicodedata.east_asian_width(c) in "WFA" else 1
    return n


def run(argv, **kw):
    return subprocess.run(argv, capture_output=True, timeout=TIMEOUT, **kw)


class Server:
    """`isms serve` on a fresh demo database in tmp, on a free port."""

    def __init__(self, tmp):
        self.db = os.path.join(tmp, "server.db")
        r = run([BIN, "init", "--demo", "--db", self.db])
        if r.returncode != 0:
            raise AssertionError("isms init --demo failed: %r" % r.stderr)
        self.log = open(os.path.join(tmp, "server.log"), "wb")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--db", self.db, "--listen", "127.0.0.1:0",
             "--print-port", "--threads", "2"],
            stdout=subprocess.PIPE, stderr=self.log)
        line = first_line(self.proc)
        if not line.strip().isdigit():
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("no port from isms serve: %r" % line)
        self.port = int(line)
        self.vars = self.sign_in()

    def sign_in(self):
        """Make the account the examples act as (an officer, the
        programme's day-to-day owner), sign it in and make an API token.
        Returns the values of $ISMS_SESSION, $ISMS_CSRF and $ISMS_TOKEN."""
        r = run([BIN, "user", "add", "docs", "--name", "文件範例",
                 "--role", "officer", "--db", self.db])
        if r.returncode != 0:
            raise AssertionError("isms user add failed: %r" % r.stderr)
        otp = r.stdout.decode().strip().splitlines()[-1]
        r = run([BIN, "token", "create", "--user", "docs", "--name",
                 "docs", "--scope", "write", "--days", "1", "--db",
                 self.db])
        if r.returncode != 0:
            raise AssertionError("isms token create failed: %r" % r.stderr)
        token = r.stdout.decode().strip()
        base = "http://127.0.0.1:%d" % self.port
        jar = {}

        def call(path, fields=None):
            hdrs = {"Cookie": "; ".join("%s=%s" % kv for kv in jar.items()),
                    "Origin": base}
            data = None
            if fields is not None:
                data = urllib.parse.urlencode(fields).encode()
                hdrs["Content-Type"] = "application/x-www-form-urlencoded"
            req = urllib.request.Request(base + path, data=data, headers=hdrs)
            try:
                with OPENER.open(req, timeout=TIMEOUT) as resp:
                    status, headers, body = resp.status, resp.headers, resp.read()
            except urllib.error.HTTPError as e:
                status, headers, body = e.code, e.headers, e.read()
            for c in headers.get_all("Set-Cookie") or []:
                name, _, value = c.split(";", 1)[0].partition("=")
                jar[name.strip()] = value.strip()
            m = re.search(rb'name="_csrf" value="([0-9a-f]+)"', body)
            return status, m.group(1).decode() if m else None

        _, csrf = call("/login")
        status, _ = call("/login", {"login": "docs", "password": otp,
                                    "_csrf": csrf})
        _, csrf = call("/account/password")
        new = "Docs-Passw0rd!"
        status, _ = call("/account/password", {"current": otp, "password": new,
                                               "confirm": new, "_csrf": csrf})
        if status != 303:
            raise AssertionError("docs account: password change gave %d" % status)
        _, csrf = call("/account")
        if not csrf or "isms_session" not in jar:
            raise AssertionError("docs account: no session")
        return {"ISMS_SESSION": jar["isms_session"], "ISMS_CSRF": csrf,
                "ISMS_TOKEN": token}

    def stop(self):
        """SIGTERM; returns the exit code."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            code = "timeout"
        self.proc.stdout.close()
        self.log.close()
        return code


def first_line(proc):
    """The first stdout line of proc, waiting at most TIMEOUT seconds."""
    ready, _, _ = select.select([proc.stdout], [], [], TIMEOUT)
    if not ready:
        return ""
    return proc.stdout.readline().decode("utf-8", "replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """curl without -L: a 3xx is the answer."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def multipart(forms, cwd):
    """(body, content type) for curl -F arguments."""
    boundary = "isms" + uuid.uuid4().hex
    parts = []
    for f in forms:
        name, _, value = f.partition("=")
        ctype = None
        if value.startswith("@"):
            spec = value[1:].split(";")
            fname = spec[0]
            for s in spec[1:]:
                if s.startswith("type="):
                    ctype = s[5:]
            with open(os.path.join(cwd, fname), "rb") as fh:
                data = fh.read()
            head = ('Content-Disposition: form-data; name="%s"; '
                    'filename="%s"\r\nContent-Type: %s\r\n'
                    % (name, os.path.basename(fname),
                       ctype or "application/octet-stream"))
        else:
            data = value.encode("utf-8")
            head = 'Content-Disposition: form-data; name="%s"\r\n' % name
        parts.append(b"--" + boundary.encode() + b"\r\n" +
                     head.encode("utf-8") + b"\r\n" + data + b"\r\n")
    body = b"".join(parts) + b"--" + boundary.encode() + b"--\r\n"
    return body, "multipart/form-data; boundary=" + boundary


def expand(arg, variables):
    """arg with $NAME and ${NAME} of variables replaced, as the shell
    would in double quotes."""
    for name, value in variables.items():
        arg = arg.replace("${%s}" % name, value).replace("$" + name, value)
    return arg


def curl(argv, port, cwd, variables=None):
    """Run a curl command line through urllib; returns (status, headers,
    body bytes).  $ISMS_SESSION, $ISMS_CSRF and $ISMS_TOKEN in arguments
    are the signed-in example account's (see Server.sign_in)."""
    argv = [expand(a, variables or {}) for a in argv]
    method, url, headers, data, cookies, forms = None, None, [], [], [], []
    i = 1
    while i < len(argv):
        a = argv[i]
        nxt = argv[i + 1] if i + 1 < len(argv) else None
        if a in ("-s", "--silent", "-S", "--show-error", "-i", "--include"):
            pass
        elif a in ("-o", "--output"):
            i += 1
        elif a in ("-X", "--request"):
            method = nxt
            i += 1
        elif a in ("-H", "--header"):
            name, _, value = nxt.partition(":")
            headers.append((name.strip(), value.strip()))
            i += 1
        elif a in ("-d", "--data", "--data-ascii", "--data-binary"):
            if nxt.startswith("@"):
                with open(os.path.join(cwd, nxt[1:]), "rb") as fh:
                    v = fh.read()
                if a != "--data-binary":
                    v = v.replace(b"\r", b"").replace(b"\n", b"")
            else:
                v = nxt.encode("utf-8")
            data.append(v)
            i += 1
        elif a in ("-b", "--cookie"):
            if "=" not in nxt:
                raise AssertionError("cookie files are not supported: " + nxt)
            cookies.append(nxt)
            i += 1
        elif a in ("-F", "--form"):
            forms.append(nxt)
            i += 1
        elif a.startswith("-"):
            raise AssertionError("curl option %s is not supported by "
                                 "test_docs.py" % a)
        else:
            url = a
        i += 1
    if not url or "127.0.0.1:8080" not in url:
        raise AssertionError("curl example without http://127.0.0.1:8080: "
                             "%r" % argv)
    url = url.replace("127.0.0.1:8080", "127.0.0.1:%d" % port)
    url = urllib.parse.quote(url, safe=":/?&=%#@+;,$!*'()[]~")
    body = None
    hdrs = {}
    if forms:
        body, ctype = multipart(forms, cwd)
        hdrs["Content-Type"] = ctype
    elif data:
        body = b"&".join(data)
        hdrs["Content-Type"] = "application/x-www-form-urlencoded"
    for name, value in headers:
        if name.lower() == "content-type":
            hdrs.pop("Content-Type", None)
        hdrs[name] = value
    if cookies:
        hdrs["Cookie"] = "; ".join(cookies)
    if method is None:
        method = "POST" if body is not None else "GET"
    req = urllib.request.Request(url, data=body, headers=hdrs, method=method)
    try:
        with OPENER.open(req, timeout=TIMEOUT) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


class CliDocs(unittest.TestCase):
    """docs/cli: help output, width, examples."""

    def test_help_prints_the_doc(self):
        for path in doc_files("cli"):
            cmd = os.path.basename(path)[:-3]
            with self.subTest(cmd=cmd):
                r = run([BIN, "help", cmd])
                self.assertEqual(r.returncode, 0, r.stderr)
                with open(path, "rb") as f:
                    want = f.read()
                self.assertEqual(r.stdout.decode("utf-8"),
                                 want.decode("utf-8"),
                                 "isms help %s differs from docs/cli/%s.md; "
                                 "rebuild after editing docs" % (cmd, cmd))
                r = run([BIN, cmd, "--help"])
                self.assertEqual(r.stdout, want)

    def test_register_lists_complete(self):
        """Every register the binary knows (its refusal of an unknown one
        lists them) is named where the docs list the registers."""
        r = run([BIN, "export", "no_such_register", "--db",
                 os.path.join(tempfile.mkdtemp(), "x.db")])
        self.assertNotEqual(r.returncode, 0)
        names = re.findall(r"[a-z_]+", r.stderr.decode("utf-8").split("：")[-1])
        self.assertIn("duty", names)
        self.assertGreater(len(names), 15)
        for doc in ("cli/export.md", "cli/import.md", "api/register-get.md"):
            with open(os.path.join(SOURCE, "docs", doc), encoding="utf-8") as f:
                text = f.read()
            for name in names:
                with self.subTest(doc=doc, register=name):
                    self.assertRegex(text, r"(?<![a-z_])%s(?![a-z_])" % name)
        # The area lists of the permissions name each register once.
        for doc in doc_files("api") + doc_files("pages"):
            with open(doc, encoding="utf-8") as f:
                text = f.read()
            areas = re.findall(r"- [^（\n]*範圍（([a-z_、]+)）", text)
            if len(areas) < 3:
                continue
            with self.subTest(doc=os.path.basename(doc)):
                listed = [n for a in areas[:3] for n in a.split("、")]
                self.assertEqual(sorted(listed), sorted(names))

    def test_lines_fit_a_terminal(self):
        for path in doc_files("cli"):
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f.read().split("\n"), 1):
                    with self.subTest(doc=os.path.basename(path), line=n):
                        self.assertLessEqual(width(line), 80, line)

    def test_examples_run(self):
        for path in doc_files("cli"):
            name = os.path.basename(path)
            with self.subTest(doc=name):
                self.run_examples(path, name == "init.md")

    def run_examples(self, path, fresh):
        cmds = examples(path)
        self.assertTrue(any(c.startswith("isms ") for c, _ in cmds),
                        "no $ isms line in EXAMPLE")
        tmp = tempfile.mkdtemp(prefix="isms-doc-")
        try:
            bindir = os.path.join(tmp, "bin")
            os.mkdir(bindir)
            os.symlink(os.path.abspath(BIN), os.path.join(bindir, "isms"))
            work = os.path.join(tmp, "work")
            os.mkdir(work)
            counter = [0]

            def new_db():
                counter[0] += 1
                p = os.path.join(tmp, "db%d.db" % counter[0])
                if not fresh:
                    r = run([BIN, "init", "--demo", "--db", p])
                    self.assertEqual(r.returncode, 0, r.stderr)
                return p

            dbs = {}

            def sub_db(m):
                if m.group(2) not in dbs:
                    dbs[m.group(2)] = new_db()
                return m.group(1) + shlex.quote(dbs[m.group(2)])

            env = dict(os.environ)
            env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
            env["ISMS_DB"] = new_db()
            for cmd, _ in cmds:
                cmd = re.sub(r"(--db[= ])(\S+)", sub_db, cmd)
                argv = shlex.split(cmd.replace("\\\n", ""))
                if argv[:2] == ["isms", "serve"]:
                    self.run_serve(argv, env, work)
                    continue
                r = subprocess.run(["bash", "-c", "set -o pipefail; " + cmd],
                                   cwd=work, env=env, capture_output=True,
                                   timeout=TIMEOUT)
                self.assertEqual(r.returncode, 0,
                                 "$ %s\nstdout: %s\nstderr: %s"
                                 % (cmd, r.stdout.decode("utf-8", "replace"),
                                    r.stderr.decode("utf-8", "replace")))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def run_serve(self, argv, env, cwd):
        """An `isms serve` example: on port 0, until its first line."""
        argv = [BIN] + argv[1:]
        for i, a in enumerate(argv):
            if a == "--listen" and i + 1 < len(argv):
                argv[i + 1] = argv[i + 1].rsplit(":", 1)[0] + ":0"
            elif a.startswith("--listen="):
                argv[i] = a.rsplit(":", 1)[0] + ":0"
        if not any(a.startswith("--listen") for a in argv):
            argv += ["--listen", "127.0.0.1:0"]
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
        try:
            line = first_line(proc)
            self.assertTrue(line.strip(), "%r printed nothing" % argv)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                code = "timeout"
            proc.stdout.close()
        self.assertEqual(code, 0, "%r did not stop cleanly on SIGTERM" % argv)


class HttpDocs(unittest.TestCase):
    """docs/api and docs/pages: the curl examples against a server."""

    def test_api_examples(self):
        for path in doc_files("api"):
            with self.subTest(doc="api/" + os.path.basename(path)):
                self.run_examples(path, api=True)

    def test_page_examples(self):
        for path in doc_files("pages"):
            with self.subTest(doc="pages/" + os.path.basename(path)):
                self.run_examples(path, api=False)

    def run_examples(self, path, api):
        cmds = examples(path)
        if api:
            self.assertTrue(any(c.startswith("curl ") for c, _ in cmds),
                            "no $ curl line in EXAMPLE")
        tmp = tempfile.mkdtemp(prefix="isms-doc-")
        server = None
        try:
            server = Server(tmp)
            for cmd, shown in cmds:
                argv = shlex.split(cmd.replace("\\\n", ""))
                if argv[0] != "curl":
                    env = dict(os.environ)
                    env.update(server.vars)
                    env["ISMS_DB"] = server.db
                    bindir = os.path.join(tmp, "bin")
                    if not os.path.isdir(bindir):
                        os.mkdir(bindir)
                        os.symlink(BIN, os.path.join(bindir, "isms"))
                    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
                    r = subprocess.run(["bash", "-c", cmd], cwd=tmp, env=env,
                                       capture_output=True, timeout=TIMEOUT)
                    self.assertEqual(r.returncode, 0, "$ %s: %r"
                                     % (cmd, r.stderr))
                    continue
                status, headers, body = curl(argv, server.port, tmp,
                                             server.vars)
                ok = (200 <= status < 300) if api else (200 <= status < 400)
                self.assertTrue(ok, "$ %s\n-> %d %s" % (
                    cmd, status, body[:500].decode("utf-8", "replace")))
                self.check_shown(cmd, shown, status, headers, body)
        finally:
            if server:
                code = server.stop()
                if code != 0:
                    self.fail("isms serve exited with %r on SIGTERM" % code)
            shutil.rmtree(tmp, ignore_errors=True)

    def check_shown(self, cmd, shown, status, headers, body):
        """Compare the response with the output the doc shows."""
        text = "\n".join(shown).strip()
        if not text:
            return
        m = re.match(r"HTTP/\S+ (\d{3})", text)
        if m:
            self.assertEqual(status, int(m.group(1)), "$ " + cmd)
            for line in shown[1:]:
                name, sep, value = line.partition(":")
                if (not sep or "..." in line or "\u2026" in line
                        or " " in name):
                    continue
                got = [v.strip() for v in headers.get_all(name.strip()) or []]
                self.assertIn(value.strip(), got,
                              "$ %s: header %s" % (cmd, name))
            return
        if text[0] in "{[":
            want = json.loads(text)
            got = json.loads(body.decode("utf-8"))
            self.assertEqual(type(got), type(want), "$ " + cmd)
            if isinstance(want, dict):
                self.assertEqual(list(got.keys()), list(want.keys()),
                                 "$ %s: top-level keys" % cmd)


if __name__ == "__main__":
    if not BIN or not os.access(BIN, os.X_OK):
        sys.exit("test_docs.py: set ISMS_BIN to the isms binary")
    unittest.main(verbosity=2)

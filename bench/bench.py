#!/usr/bin/env python3
"""bench.py: the isms benchmark.

Builds a fresh database, imports a realistic 100,000-row `business`
register, exports it, then serves it and measures three pages with wrk.
Prints a table of measure / value / target / PASS or MISS.

Exit status: 0 when everything ran (even if a target is missed: a
benchmark reports, it does not fail); 1 when something is broken (a
command failed, a wrong row count, a non-200 response, wrk missing).

Usage: python3 bench/bench.py --bin build/release/isms [--keep]
Python 3 standard library only, plus the `wrk` binary.
"""

import argparse
import csv
import os
import random
import re
import select
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ROWS = 100_000
SEED = 20240601
WRK_ARGS = ["-t2", "-c32", "-d5s", "--latency"]
# wrk shares the machine's two cores with the server, and a run varies by
# 15-20 %; each page is measured WRK_RUNS times and the median reported.
WRK_RUNS = 3
WARM_ARGS = ["-t2", "-c32", "-d2s"]
SERVER_THREADS = "2"

# The search term of the HTML list measure: the core system of one
# department; it must match a few hundred rows (checked below).
SEARCH_TERM = "地政局地理資訊系統"

# Targets: (measure key) -> (comparison, bound, unit)
TARGETS = {
    "import": ("<=", 2.0, "s"),
    "export": ("<=", 1.0, "s"),
    "rps": (">=", 10_000.0, "req/s"),
    "p99": ("<=", 10.0, "ms"),
}


class Broken(Exception):
    """Something that must not happen: the benchmark cannot be trusted."""


# ---------------------------------------------------------------- data

DEPTS = [
    "民政局", "財政局", "教育局", "經濟發展局", "工務局", "社會局", "勞工局",
    "警察局", "衛生局", "環境保護局", "都市發展局", "交通局", "地政局",
    "文化局", "觀光局", "新聞局", "法制局", "主計處", "人事處", "研考會",
]
SYSTEM_KINDS = [
    "地理資訊系統", "案件管理系統", "線上申辦平台", "財務會計系統",
    "公文管理系統", "資料倉儲平台", "電子表單系統", "檔案管理系統",
    "預約掛號系統", "繳費服務平台",
]
NAME_PREFIXES = [
    "市政資訊系統", "便民服務", "公文交換作業", "網站維運", "資料開放",
    "線上申辦服務", "地籍資料管理", "戶政資料查詢", "稅務稽徵作業",
    "社會福利補助", "學籍管理作業", "防疫通報作業", "路燈報修服務",
    "停車費徵收", "環境稽查作業", "人事薪資作業", "預算編列作業",
    "採購管理作業", "陳情案件處理", "新聞發布作業",
]
DESC_WORDS = [
    "受理", "民眾", "線上", "申請", "案件", "審核", "核定", "公告", "維護",
    "系統", "資料", "介接", "中央", "機關", "資訊", "服務", "查詢", "統計",
    "報表", "管理", "作業", "流程", "電子化", "公文", "簽核", "備份", "異地",
    "資安", "監控", "防護", "稽核", "紀錄", "帳號", "權限", "個人資料",
    "保護", "傳輸", "加密", "網站", "平台", "整合", "跨局處", "即時",
    "通報", "處理", "期程", "彙整", "分析", "決策", "支援", "行動裝置",
    "市府", "區公所", "里辦公處", "補助", "核發", "證明", "登記", "稅費",
    "繳納", "預約", "排程", "通知", "簡訊", "電子郵件", "地籍", "圖資",
    "門牌", "戶籍", "檔案", "歸檔", "調閱", "委外", "廠商", "維運",
]
IMPACT_WORDS = [
    "民眾無法", "線上申辦", "中斷", "延宕", "影響", "市府", "對外服務",
    "案件", "處理", "逾期", "造成", "陳情", "增加", "資料", "遺失", "外洩",
    "疑慮", "須改採", "人工作業", "效率", "降低", "法定期限", "無法達成",
    "財務", "損失", "機關", "形象", "受損", "媒體", "關注", "跨機關",
    "介接", "失敗", "繳費", "停擺", "通報", "時效",
]
IMPORTANCE_WORDS = [
    "為本府", "核心業務", "依法", "應辦理", "涉及", "大量", "個人資料",
    "攸關", "民眾權益", "每日", "服務量", "高", "須", "全年", "不中斷",
]
MTD_HOURS = [1, 2, 4, 8, 12, 24, 48, 72, 168]

FIELDS = ["seq", "name", "is_core", "description", "core_system",
          "importance", "failure_impact", "mtd_kind", "mtd_hours"]
SEARCH_FIELDS = ("name", "core_system", "failure_impact")  # FF_SEARCH


def cjk_text(rng, words, lo, hi):
    """lo..hi characters of words from the vocabulary."""
    n = rng.randint(lo, hi)
    out = ""
    while len(out) < n:
        out += rng.choice(words)
    return out[:n]


def fold(s):
    """Search folding as utf8_fold_search() does it."""
    out = []
    for ch in s:
        cp = ord(ch)
        if 0xFF01 <= cp <= 0xFF5E:
            cp -= 0xFEE0
        elif cp == 0x3000:
            cp = 0x20
        elif cp == 0x81FA:
            cp = 0x53F0
        if ord("A") <= cp <= ord("Z"):
            cp += 32
        out.append(chr(cp))
    return "".join(out)


def generate_csv(path, rows, term):
    """Write the CSV; returns how many rows the search term should match."""
    rng = random.Random(SEED)
    systems = [d + k for d in DEPTS for k in SYSTEM_KINDS]
    expect = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(FIELDS)
        for i in range(1, rows + 1):
            is_core = rng.random() < 0.6
            r = rng.random()
            if r < 0.6:
                kind, hours = "hours", str(rng.choice(MTD_HOURS))
            elif r < 0.85:
                kind, hours = "undefined", ""
            else:
                kind, hours = "owner", ""
            row = {
                "seq": str(i),
                "name": "%s第%d號" % (rng.choice(NAME_PREFIXES), i),
                "is_core": "1" if is_core else "0",
                "description": cjk_text(rng, DESC_WORDS, 20, 60),
                "core_system": rng.choice(systems) if is_core else "無",
                "importance": (cjk_text(rng, IMPORTANCE_WORDS, 10, 30)
                               if is_core else ""),
                "failure_impact": cjk_text(rng, IMPACT_WORDS, 15, 40),
                "mtd_kind": kind,
                "mtd_hours": hours,
            }
            body = "\n".join(fold(row[k]) for k in SEARCH_FIELDS if row[k])
            if fold(term) in body:
                expect += 1
            w.writerow([row[k] for k in FIELDS])
    return expect


# ---------------------------------------------------------------- helpers

def run(cmd, **kw):
    return subprocess.run(cmd, **kw)


def timed(cmd, **kw):
    t = time.perf_counter()
    p = subprocess.run(cmd, **kw)
    return time.perf_counter() - t, p


def to_ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0,
                           "m": 60_000.0, "h": 3_600_000.0}[unit]


def parse_wrk(out):
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m|h)\s*$", out, re.M)
    if not m or not p:
        raise Broken("cannot parse wrk output:\n" + out)
    res = {"rps": float(m.group(1)), "p99": to_ms(p.group(1), p.group(2)),
           "non2xx": 0, "sockerr": ""}
    n = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if n:
        res["non2xx"] = int(n.group(1))
    e = re.search(r"Socket errors:\s+(.*)", out)
    if e:
        res["sockerr"] = e.group(1).strip()
    t = re.search(r"(\d+) requests in", out)
    res["requests"] = int(t.group(1)) if t else 0
    return res


def fetch(url):
    """Status and body of GET url (urllib raises on non-2xx)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def verdict(key, value):
    op, bound, _ = TARGETS[key]
    ok = value <= bound if op == "<=" else value >= bound
    return "PASS" if ok else "MISS"


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def start_server(isms, db, tmp):
    log = open(os.path.join(tmp, "server.log"), "wb")
    p = subprocess.Popen([isms, "serve", "--db", db, "--listen",
                          "127.0.0.1:0", "--print-port", "--threads",
                          SERVER_THREADS],
                         stdout=subprocess.PIPE, stderr=log)
    log.close()
    ready, _, _ = select.select([p.stdout], [], [], 10)
    line = p.stdout.readline().decode().strip() if ready else ""
    if not line.isdigit():
        p.kill()
        p.wait()
        raise Broken("the server did not print its port (got %r); see %s"
                     % (line, os.path.join(tmp, "server.log")))
    return p, int(line)


def stop_server(p):
    p.send_signal(signal.SIGTERM)
    try:
        rc = p.wait(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        raise Broken("the server did not stop within 20 s of SIGTERM")
    if rc != 0:
        raise Broken("the server exited with %d after SIGTERM" % rc)


# ---------------------------------------------------------------- main

def bench(args, tmp, results, notes):
    isms = os.path.abspath(args.bin)
    db = os.path.join(tmp, "bench.db")
    data = os.path.join(tmp, "business.csv")
    exported = os.path.join(tmp, "export.csv")
    rows = args.rows

    p = run([isms, "init", "--db", db], capture_output=True)
    if p.returncode != 0:
        raise Broken("isms init failed (%d): %s"
                     % (p.returncode, p.stderr.decode()))

    t = time.perf_counter()
    expect = generate_csv(data, rows, SEARCH_TERM)
    size = os.path.getsize(data)
    print("generated %s: %d rows, %d bytes (%.1f MiB) in %.1f s"
          % (data, rows, size, size / 1048576, time.perf_counter() - t))
    results.append(("CSV size", "%.1f MiB" % (size / 1048576), "", ""))

    # -- import: one transaction into a fresh database; the median of
    # three runs (the first two databases are thrown away)
    times = []
    for attempt in range(3):
        if attempt < 2:
            scratch = os.path.join(tmp, "import%d.db" % attempt)
            p = run([isms, "init", "--db", scratch], capture_output=True)
            if p.returncode != 0:
                raise Broken("isms init failed (%d)" % p.returncode)
            target = scratch
        else:
            target = db
        secs, p = timed([isms, "import", "business", data, "--db", target],
                        capture_output=True)
        if p.returncode != 0:
            raise Broken("isms import failed (%d): %s"
                         % (p.returncode, p.stderr.decode()[:4000]))
        print("import run %d: %.3f s" % (attempt + 1, secs))
        times.append(secs)
        if attempt < 2:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(scratch + suffix):
                    os.remove(scratch + suffix)
    secs = sorted(times)[1]
    with sqlite3.connect(db) as c:
        n = c.execute("SELECT count(*) FROM business").fetchone()[0]
        nfts = c.execute("SELECT count(*) FROM business_fts").fetchone()[0]
    c.close()
    if n != rows:
        raise Broken("after the import the DB holds %d rows, not %d"
                     % (n, rows))
    if nfts != rows:
        raise Broken("after the import the search index holds %d rows, "
                     "not %d" % (nfts, rows))
    print("import: median %.3f s (%s)" % (secs, p.stdout.decode().strip()))
    results.append(("import %d rows" % rows, "%.3f s" % secs, "<= 2 s",
                    verdict("import", secs)))

    # -- export: check the content once, then best of 3 to /dev/null
    with open(exported, "wb") as f:
        p = run([isms, "export", "business", "--db", db], stdout=f,
                stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise Broken("isms export failed (%d): %s"
                     % (p.returncode, p.stderr.decode()))
    with open(exported, "rb") as f:
        lines = f.read().count(b"\n")
    if lines != rows + 1:
        raise Broken("the export has %d lines, not %d" % (lines, rows + 1))
    best = None
    for _ in range(3):
        with open(os.devnull, "wb") as null:
            secs, p = timed([isms, "export", "business", "--db", db],
                            stdout=null, stderr=subprocess.PIPE)
        if p.returncode != 0:
            raise Broken("isms export failed (%d)" % p.returncode)
        best = secs if best is None else min(best, secs)
    print("export: best of 3 %.3f s (%d lines, %d bytes)"
          % (best, lines, os.path.getsize(exported)))
    results.append(("export %d rows" % rows, "%.3f s" % best, "<= 1 s",
                    verdict("export", best)))

    # -- server
    server, port = start_server(isms, db, tmp)
    base = "http://127.0.0.1:%d" % port
    print("server: pid %d on port %d, access log %s"
          % (server.pid, port, os.path.join(tmp, "server.log")))
    try:
        pages = [
            ("JSON list page 777", "/api/v1/business?page=777&per_page=50"),
            ("HTML search list",
             "/r/business?q=" + urllib.parse.quote(SEARCH_TERM)),
            ("HTML record 54321", "/r/business/54321"),
        ]
        for label, path in pages:
            url = base + path
            status, body = fetch(url)
            if status != 200:
                raise Broken("GET %s answered %d" % (path, status))
            if path.startswith("/r/business?q="):
                m = re.search(r"共\s*([\d,]+)\s*筆", body)
                if not m:
                    raise Broken("the search page has no 「共 N 筆」")
                found = int(m.group(1).replace(",", ""))
                print("search %r matches %d rows (expected %d)"
                      % (SEARCH_TERM, found, expect))
                if found != expect:
                    raise Broken("the search %r found %d rows, expected %d"
                                 % (SEARCH_TERM, found, expect))
                notes.append("HTML search list: q=%s matches %d rows "
                             "(共 %d 筆)" % (SEARCH_TERM, found, found))
            elif path.startswith("/api/"):
                if '"id"' not in body:
                    raise Broken("the JSON page holds no records")
            elif "54321" not in body:
                raise Broken("the record page does not show record 54321")
            run(["wrk"] + WARM_ARGS + [url], capture_output=True)
            runs = []
            for _ in range(WRK_RUNS):
                p = run(["wrk"] + WRK_ARGS + [url], capture_output=True,
                        text=True, timeout=60)
                if p.returncode != 0:
                    raise Broken("wrk failed (%d): %s" % (p.returncode, p.stderr))
                w = parse_wrk(p.stdout)
                if w["non2xx"]:
                    raise Broken("wrk got %d non-2xx responses from %s"
                                 % (w["non2xx"], path))
                print("wrk %s: %.0f req/s, p99 %.2f ms, %d requests%s"
                      % (path, w["rps"], w["p99"], w["requests"],
                         ", socket errors: " + w["sockerr"]
                         if w["sockerr"] else ""))
                if w["sockerr"]:
                    notes.append("%s: wrk socket errors: %s (wrk times a request "
                                 "out after 2 s, so its p99 is capped there)"
                                 % (label, w["sockerr"]))
                runs.append(w)
            # The median run by throughput, and the median p99.
            runs.sort(key=lambda r: r["rps"])
            w = dict(runs[len(runs) // 2])
            w["p99"] = sorted(r["p99"] for r in runs)[len(runs) // 2]
            results.append((label + " req/s", "%.0f" % w["rps"],
                            ">= 10000", verdict("rps", w["rps"])))
            results.append((label + " p99", "%.2f ms" % w["p99"],
                            "<= 10 ms", verdict("p99", w["p99"])))
    except BaseException:
        try:
            stop_server(server)
        except Broken as e:
            print("bench: also: %s" % e, file=sys.stderr)
        raise
    stop_server(server)
    print("server stopped with exit code 0")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default="build/release/isms",
                    help="the isms binary")
    ap.add_argument("--rows", type=int, default=ROWS,
                    help="rows to generate (default %d)" % ROWS)
    ap.add_argument("--keep", action="store_true",
                    help="keep the temporary directory (DB, CSV, log)")
    args = ap.parse_args()

    if not shutil.which("wrk"):
        print("bench: wrk is not installed (apt-get install wrk)",
              file=sys.stderr)
        return 1
    if not os.access(args.bin, os.X_OK):
        print("bench: %s is not an executable; build it with "
              "`cmake --preset release && cmake --build --preset release`"
              % args.bin, file=sys.stderr)
        return 1

    isms = os.path.abspath(args.bin)
    version = run([isms, "version"], capture_output=True,
                  text=True).stdout.strip()
    nproc = len(os.sched_getaffinity(0))
    load0 = os.getloadavg()[0]
    if load0 > 0.5:
        print("bench: warning: load average %.2f before the start; other "
              "processes compete for the CPUs and the figures will be low "
              "and noisy" % load0, file=sys.stderr)
    tmp = tempfile.mkdtemp(prefix="isms-bench-")
    results, notes = [], []
    started = time.perf_counter()
    code = 0
    try:
        bench(args, tmp, results, notes)
    except (Broken, subprocess.TimeoutExpired, OSError) as e:
        print("\nbench: BROKEN: %s" % e, file=sys.stderr)
        code = 1
    finally:
        if args.keep:
            print("kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print()
    print("isms benchmark — %s" % version)
    print("machine: %d CPUs (nproc), %s; Linux %s; load average %.2f at "
          "the start, %.2f at the end" % (nproc, cpu_model(),
                                          os.uname().release, load0,
                                          os.getloadavg()[0]))
    print("wrk %s on the same machine; server --threads %s"
          % (" ".join(WRK_ARGS), SERVER_THREADS))
    print()
    w1 = max([len("measure")] + [len(r[0]) for r in results])
    w2 = max([len("value")] + [len(r[1]) for r in results])
    w3 = max([len("target")] + [len(r[2]) for r in results])
    fmt = "%-*s  %*s  %-*s  %s"
    print(fmt % (w1, "measure", w2, "value", w3, "target", "result"))
    print(fmt % (w1, "-" * w1, w2, "-" * w2, w3, "-" * w3, "------"))
    for r in results:
        print(fmt % (w1, r[0], w2, r[1], w3, r[2], r[3]))
    for n in notes:
        print("note: " + n)
    misses = sum(1 for r in results if r[3] == "MISS")
    print()
    print("%s; total %.0f s" % (
        "BROKEN" if code else
        ("all targets met" if not misses else "%d target(s) missed" % misses),
        time.perf_counter() - started))
    q = shlex.quote
    d = "$T"
    print()
    print("reproduce (T=$(mktemp -d); wrk's URLs need the printed PORT):")
    print("  python3 bench/bench.py --bin %s --keep   # data: seed %d"
          % (q(args.bin), SEED))
    print("  %s init --db %s/bench.db" % (q(args.bin), d))
    print("  %s import business %s/business.csv --db %s/bench.db"
          % (q(args.bin), d, d))
    print("  time %s export business --db %s/bench.db > /dev/null"
          % (q(args.bin), d))
    print("  %s serve --db %s/bench.db --listen 127.0.0.1:0 --print-port "
          "--threads %s 2>%s/server.log" % (q(args.bin), d, SERVER_THREADS, d))
    for path in ["/api/v1/business?page=777&per_page=50",
                 "/r/business?q=" + urllib.parse.quote(SEARCH_TERM),
                 "/r/business/54321"]:
        print("  wrk %s %s" % (" ".join(WRK_ARGS),
                               q("http://127.0.0.1:PORT" + path)))
    return code


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Runs the benchmark that scripts/bench describes and writes bench/out/results.json.

Every figure is measured in this run, the peer's (the SQLite bulk-insert floor from
shared/bench-peers) included, and each goal is reported as a ratio against it.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
LIAISON = os.path.join(ROOT, "target", "release", "liaison")
QUERY = os.path.join(ROOT, "target", "release", "examples", "query_latency")
PEERS = os.environ["LIAISON_BENCH_PEERS"]
VENV_PY = os.path.join(os.environ["VENV"], "bin", "python")
SHIPPED = [os.path.join(ROOT, "data", "ucdp", f) for f in (
    "ucdp_ged_Mali.csv", "ucdp_ged_Burkina.csv", "ucdp_ged_Niger_cleaned.csv", "ucdp_ged_Senegal.csv")]


def timed(cmd, **kw):
    """Runs cmd under GNU time; returns (wall seconds, peak RSS MiB, stdout)."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, **kw)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    return wall, rss_kb / 1024, p.stdout


def fresh_node(name):
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    subprocess.run([LIAISON, "init", "--data", d, "--member", "MLI"], check=True, capture_output=True)
    return d


def imported(stdout):
    return sum(f["inserted"] for f in json.loads(stdout)["files"])


def floor(rows):
    """The SQLite bulk-insert floor: ~1 KB JSON rows, one transaction, WAL, synchronous=FULL."""
    out = os.path.join(OUT, "floor.jsonl")
    if os.path.exists(out):
        os.remove(out)
    subprocess.run([VENV_PY, os.path.join(PEERS, "storage", "bench_sqlite.py"), "--rows", str(rows),
                    "--per-txn", str(rows), "--runs", "3", "--dir", os.path.join(OUT, "floor"),
                    "--out", out], check=True, capture_output=True)
    lines = [json.loads(l) for l in open(out) if l.strip()]
    median = next(r for r in lines if "summary" in r)
    return median["rows_per_s"]


def rss_of(pid):
    with open(f"/proc/{pid}/status") as f:
        s = f.read()
    hwm = int(re.search(r"VmHWM:\s+(\d+)", s).group(1)) / 1024
    rss = int(re.search(r"VmRSS:\s+(\d+)", s).group(1)) / 1024
    return hwm, rss


def serve_memory(node, token):
    p = subprocess.Popen([LIAISON, "serve", "--data", node, "--listen", "127.0.0.1:0"],
                         stderr=subprocess.PIPE, text=True)
    line = p.stderr.readline()
    addr = re.search(r"http://([^/]+)/", line).group(1)

    def get(path):
        req = urllib.request.Request(f"http://{addr}{path}", headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req) as r:
            return json.loads(r.read())

    # A working session: stats over everything, pages of search, a text query.
    get("/api/v1/stats?by=country,year,type")
    cursor = None
    for _ in range(20):
        q = "/api/v1/incidents?limit=1000" + (f"&cursor={cursor}" if cursor else "")
        page = get(q)
        cursor = page["next_cursor"]
    get("/api/v1/incidents?text=ambush%20convoy&limit=200")
    get("/api/v1/incidents?bbox=-2,13,2,17&type=battle&from=2000-01-01&to=2010-12-31&limit=500")
    hwm, rss = rss_of(p.pid)
    p.terminate()
    p.wait()
    return hwm, rss


def main():
    rows = int(sys.argv[1])
    os.makedirs(OUT, exist_ok=True)
    big = os.path.join(OUT, f"ucdp_{rows}.csv")
    if not os.path.exists(big):
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_ucdp.py"), str(rows), big], check=True)
    res = {"rows": rows, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
           "load_before": os.getloadavg()[0]}

    res["floor_rows_per_s"] = floor(rows)

    node = fresh_node("node-shipped")
    wall, rss, out = timed([LIAISON, "import", "ucdp", *SHIPPED, "--data", node, "--json"])
    n = imported(out)
    res["shipped"] = {"incidents": n, "wall_s": round(wall, 3), "per_s": round(n / wall), "peak_rss_mib": round(rss)}

    node = fresh_node("node-1m")
    wall, rss, out = timed([LIAISON, "import", "ucdp", big, "--data", node, "--json"])
    n = imported(out)
    res["big"] = {"incidents": n, "wall_s": round(wall, 2), "per_s": round(n / wall), "peak_rss_mib": round(rss)}
    res["big"]["ratio_to_floor"] = round(res["big"]["per_s"] / res["floor_rows_per_s"], 3)
    res["shipped"]["ratio_to_floor"] = round(res["shipped"]["per_s"] / res["floor_rows_per_s"], 3)

    q = subprocess.run([QUERY, f"sqlite://{node}/liaison.db", "300"], check=True, capture_output=True, text=True)
    res["query"] = json.loads(q.stdout.strip().splitlines()[-1])

    tok = subprocess.run([LIAISON, "user", "add", "bench", "--role", "analyst", "--data", node, "--json"],
                         check=True, capture_output=True, text=True)
    hwm, cur = serve_memory(node, json.loads(tok.stdout)["token"])
    res["serve"] = {"peak_rss_mib": round(hwm), "rss_after_mib": round(cur)}
    res["load_after"] = os.getloadavg()[0]

    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(res, f, indent=2)
    fl = res["floor_rows_per_s"]
    print(f"SQLite bulk-insert floor (shared/bench-peers, this run): {fl:,.0f} rows/s")
    print(f"import, shipped UCDP files: {res['shipped']['incidents']:,} incidents, "
          f"{res['shipped']['per_s']:,}/s = {res['shipped']['ratio_to_floor']}x floor (whole process, tiny files)")
    print(f"import, {rows:,} generated: {res['big']['per_s']:,}/s = {res['big']['ratio_to_floor']}x floor "
          f"(goal >= 0.5x), peak RSS {res['big']['peak_rss_mib']} MiB")
    print(f"incidents list bbox+time+type over {rows:,}: p50 {res['query']['p50_ms']} ms, "
          f"p95 {res['query']['p95_ms']} ms (goal p50 <= 20 ms)")
    print(f"serve holding {rows:,}: peak RSS {res['serve']['peak_rss_mib']} MiB (goal <= 1024 MiB)")


if __name__ == "__main__":
    main()

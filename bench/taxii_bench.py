#!/usr/bin/env python3
"""The TAXII benchmark that scripts/bench-taxii runs; writes bench/out/taxii/results.json.

Every figure is measured in this run, the peer's included:
  1. medallion 3.0.0 (memory backend), by shared/bench-peers/taxii/bench_medallion.py itself:
     POST N objects (~1.5 KB, synth.reports) in envelopes of 100, then page through
     GET .../objects/?limit=100&match[spec_version]=2.1 following `next`; median of RUNS runs,
     a fresh server each run.
  2. Liaison, by the same method (same objects, same envelopes, a requests.Session with Basic
     auth, same GET parameters), `liaison serve` on a fresh node each run; ratios against 1.
  3. Liaison alone with 100,000 objects in one collection: POST throughput per tenth of the
     load and the server's resident memory after each tenth (flat memory as the collection
     grows), then paging throughput and memory.

usage: bench/taxii_bench.py [--n 2000] [--big 100000] [--runs 3]
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out", "taxii")
LIAISON = os.path.join(ROOT, "target", "release", "liaison")
PEERS = os.environ.get("LIAISON_BENCH_PEERS", os.path.join(os.path.dirname(ROOT), "shared", "bench-peers"))
sys.path.insert(0, os.path.join(PEERS, "lib"))
import requests  # noqa: E402
from synth import reports  # noqa: E402

TAXII = "application/taxii+json;version=2.1"
BATCH = 100
LIMIT = 100


def rss_mib(pid):
    """(current, peak) resident memory of a process, MiB."""
    with open(f"/proc/{pid}/status") as f:
        s = f.read()
    cur = int(re.search(r"VmRSS:\s+(\d+)", s).group(1)) / 1024
    peak = int(re.search(r"VmHWM:\s+(\d+)", s).group(1)) / 1024
    return round(cur, 1), round(peak, 1)


def cpu_s(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Node:
    """A fresh node with an analyst, served on a free loopback port."""

    def __init__(self, name):
        self.dir = os.path.join(OUT, name)
        shutil.rmtree(self.dir, ignore_errors=True)
        init = subprocess.run([LIAISON, "init", "--data", self.dir, "--member", "MLI"],
                              check=True, capture_output=True, text=True).stdout
        self.collection = re.search(r"TAXII collections: (\S+)", init).group(1)
        tok = subprocess.run([LIAISON, "user", "add", "bench", "--role", "analyst", "--data", self.dir,
                              "--json"], check=True, capture_output=True, text=True).stdout
        self.token = json.loads(tok)["token"]
        self.proc = subprocess.Popen([LIAISON, "serve", "--data", self.dir, "--listen", "127.0.0.1:0"],
                                     stderr=subprocess.PIPE, text=True)
        line = ""
        while "TAXII 2.1 discovery" not in line:
            line = self.proc.stderr.readline()
            if not line:
                raise RuntimeError("liaison serve did not start")
        base = re.search(r"(http://\S+/taxii2/)", line).group(1)
        self.objects_url = f"{base}liaison/collections/{self.collection}/objects/"
        self.session = requests.Session()
        self.session.auth = ("bench", self.token)

    def post(self, body):
        r = self.session.post(self.objects_url, data=body, headers={"Accept": TAXII, "Content-Type": TAXII})
        if r.status_code != 202:
            raise RuntimeError(f"POST {r.status_code} {r.text[:300]}")
        st = r.json()
        if st.get("success_count") != st.get("total_count"):
            raise RuntimeError(f"status {st.get('success_count')}/{st.get('total_count')}")
        return st

    def page_all(self, expected):
        params = {"limit": str(LIMIT), "match[spec_version]": "2.1"}
        got, pages, lat = 0, 0, []
        while True:
            t = time.perf_counter()
            r = self.session.get(self.objects_url, params=params, headers={"Accept": TAXII})
            lat.append(time.perf_counter() - t)
            if r.status_code != 200:
                raise RuntimeError(f"GET {r.status_code} {r.text[:300]}")
            env = r.json()
            got += len(env.get("objects", []))
            pages += 1
            if not env.get("more"):
                break
            params = {"limit": str(LIMIT), "match[spec_version]": "2.1", "next": env["next"]}
        if got != expected:
            raise RuntimeError(f"fetched {got} of {expected} objects")
        return pages, lat

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def bodies_of(objs):
    return [json.dumps({"objects": objs[i:i + BATCH]}, separators=(",", ":")).encode()
            for i in range(0, len(objs), BATCH)]


def liaison_run(bodies, n, run):
    node = Node(f"node-small-{run}")
    try:
        c0, t0 = cpu_s(node.proc.pid), time.perf_counter()
        for b in bodies:
            node.post(b)
        t_post = time.perf_counter() - t0
        c1, t1 = cpu_s(node.proc.pid), time.perf_counter()
        pages, lat = node.page_all(n)
        t_get = time.perf_counter() - t1
        return {"run": run, "post_total_s": round(t_post, 3), "post_obj_per_s": round(n / t_post, 1),
                "post_server_cpu_s": round(c1 - c0, 2),
                "get_total_s": round(t_get, 3), "get_obj_per_s": round(n / t_get, 1),
                "get_server_cpu_s": round(cpu_s(node.proc.pid) - c1, 2), "get_pages": pages,
                "get_page_median_ms": round(statistics.median(lat) * 1e3, 2),
                "server_rss_mib": rss_mib(node.proc.pid)[0], "load1": round(os.getloadavg()[0], 2)}
    finally:
        node.stop()


def medallion(n, runs):
    out = os.path.join(OUT, "medallion.jsonl")
    if os.path.exists(out):
        os.remove(out)
    subprocess.run([sys.executable, os.path.join(PEERS, "taxii", "bench_medallion.py"), "--n", str(n),
                    "--runs", str(runs), "--out", out], check=True, stdout=subprocess.DEVNULL)
    rows = [json.loads(l) for l in open(out) if l.strip()]
    return next(r for r in rows if "summary" in r), [r for r in rows if "summary" not in r]


def big_run(n):
    """n objects into one collection: POST throughput and memory per tenth, then paging."""
    objs = reports(n, seed=7)
    bodies = bodies_of(objs)
    del objs
    node = Node("node-big")
    try:
        tenths, step = [], len(bodies) // 10
        t_all = time.perf_counter()
        for k in range(10):
            chunk = bodies[k * step:(k + 1) * step if k < 9 else len(bodies)]
            t = time.perf_counter()
            for b in chunk:
                node.post(b)
            dt = time.perf_counter() - t
            objects = len(chunk) * BATCH
            cur, _ = rss_mib(node.proc.pid)
            tenths.append({"objects_after": (k + 1) * step * BATCH if k < 9 else n,
                           "post_obj_per_s": round(objects / dt), "server_rss_mib": cur})
        t_post = time.perf_counter() - t_all
        rss_after_post = rss_mib(node.proc.pid)
        t = time.perf_counter()
        pages, lat = node.page_all(n)
        t_get = time.perf_counter() - t
        cur, peak = rss_mib(node.proc.pid)
        db = sum(os.path.getsize(os.path.join(node.dir, f)) for f in os.listdir(node.dir) if f.startswith("liaison.db"))
        return {"n": n, "post_total_s": round(t_post, 2), "post_obj_per_s": round(n / t_post),
                "post_by_tenth": tenths, "rss_after_post_mib": rss_after_post[0],
                "get_total_s": round(t_get, 2), "get_obj_per_s": round(n / t_get), "get_pages": pages,
                "get_page_median_ms": round(statistics.median(lat) * 1e3, 2),
                "get_page_p95_ms": round(sorted(lat)[int(0.95 * (len(lat) - 1))] * 1e3, 2),
                "rss_after_get_mib": cur, "peak_rss_mib": peak, "db_mib": round(db / 2**20, 1)}
    finally:
        node.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--big", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    res = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "n": a.n, "runs": a.runs,
           "load1_before": os.getloadavg()[0]}

    m, m_runs = medallion(a.n, a.runs)
    res["medallion"] = {"summary": m, "runs": m_runs}
    bodies = bodies_of(reports(a.n, seed=1))  # the objects bench_medallion.py posts
    ours = [liaison_run(bodies, a.n, r) for r in range(a.runs)]
    med = {k: statistics.median(r[k] for r in ours) for k in ("post_obj_per_s", "get_obj_per_s",
                                                               "post_server_cpu_s", "get_server_cpu_s")}
    res["liaison"] = {"median": med, "runs": ours}
    res["ratio_post"] = round(med["post_obj_per_s"] / m["post_obj_per_s"], 1)
    res["ratio_get"] = round(med["get_obj_per_s"] / m["get_obj_per_s"], 1)
    if a.big:
        res["big"] = big_run(a.big)
    res["load1_after"] = os.getloadavg()[0]
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(res, f, indent=2)

    print(f"TAXII, {a.n:,} objects of ~1.5 KB, envelopes of {BATCH}, pages of {LIMIT}, median of {a.runs} runs "
          f"(load {res['load1_before']:.2f} before)")
    print(f"  medallion {m['medallion']}: POST {m['post_obj_per_s']:,.0f} obj/s, GET {m['get_obj_per_s']:,.1f} obj/s")
    print(f"  liaison:         POST {med['post_obj_per_s']:,.0f} obj/s = {res['ratio_post']}x (goal >= 20x), "
          f"GET {med['get_obj_per_s']:,.0f} obj/s = {res['ratio_get']}x (goal >= 100x)")
    if a.big:
        b = res["big"]
        print(f"  liaison, {b['n']:,} objects in one collection: POST {b['post_obj_per_s']:,} obj/s (goal >= 10,000), "
              f"paging {b['get_obj_per_s']:,} obj/s (goal >= 20,000), page p50 {b['get_page_median_ms']} ms")
        print("  server RSS (MiB) after each tenth of the POSTs: "
              + ", ".join(str(t["server_rss_mib"]) for t in b["post_by_tenth"])
              + f"; after paging {b['rss_after_get_mib']}, peak {b['peak_rss_mib']}")
        print("  POST obj/s per tenth: " + ", ".join(f"{t['post_obj_per_s']:,}" for t in b["post_by_tenth"]))


if __name__ == "__main__":
    main()

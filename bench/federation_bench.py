#!/usr/bin/env python3
"""Federation benchmark: N incidents pulled node to node over loopback HTTPS, with decision,
transformation, signature and verification, and the bytes on the wire per incident against the
same incidents as uncompressed STIX JSON.

usage: federation_bench.py [N]   (default 100000; run by scripts/bench-federation)

Node A (MLI) imports N generated UCDP events (bench/gen_ucdp.py) and an agreement releasing them
to node B (DZA) with obligations (location coarsened to the province, sources pseudonymised);
A serves its federation listener; B runs `liaison sync --once` and the wall time of that one
process is the measure (it includes B's verification and storage). The STIX baseline is
`liaison export stix` of the same incidents (what a STIX/TAXII peer would be sent uncompressed).
"""
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "liaison")


def run(*args, capture=True):
    out = subprocess.run([BIN, *args], check=True, capture_output=capture, text=True)
    return out.stdout


def load1():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    out_dir = os.path.join(ROOT, "bench", "out", "federation")
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="liaison-fed-bench-") as tmp:
        csv_path = os.path.join(tmp, "events.csv")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_ucdp.py"), str(n), csv_path], check=True)
        a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
        run("init", "--data", a, "--member", "MLI")
        run("init", "--data", b, "--member", "DZA")
        run("import", "ucdp", csv_path, "--data", a)
        agreement = os.path.join(tmp, "agreement.json")
        with open(agreement, "w") as f:
            json.dump({"id": "mli-dza", "originator": "MLI", "recipients": ["DZA"],
                       "title": "Mali to Algeria, coarsened",
                       "obligations": {"location": {"precision": "admin1"},
                                       "pseudonymise_sources": True}}, f)
        run("agreement", "add", agreement, "--data", a)
        stix_path = os.path.join(tmp, "export.json")
        run("export", "stix", "--data", a, "--out", stix_path)
        stix_bytes = os.path.getsize(stix_path)
        server = subprocess.Popen([BIN, "serve", "--data", a, "--listen", "127.0.0.1:0",
                                   "--federation-listen", "127.0.0.1:0"],
                                  stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        try:
            url = None
            for line in server.stderr:
                if "https://" in line:
                    url = line[line.index("https://"):].strip()
                    break
            key_a = json.loads(run("identity", "show", "--data", a, "--json"))["public_key"]
            key_b = json.loads(run("identity", "show", "--data", b, "--json"))["public_key"]
            run("peer", "add", "DZA", "https://127.0.0.1:1", "--key", key_b, "--data", a)
            run("peer", "add", "MLI", url, "--key", key_a, "--data", b)
            before = load1()
            t0 = time.perf_counter()
            timed = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", BIN, "sync", "--once",
                                    "--data", b, "--json"], check=True, capture_output=True, text=True)
            wall = time.perf_counter() - t0
            after = load1()
        finally:
            server.terminate()
            server.wait()
        report = json.loads(timed.stdout)[0]
        rss_kib, user, sys_s = timed.stderr.strip().splitlines()[-1].split()
        stored = report["stored"]
        result = {
            "incidents": n,
            "stored_by_recipient": stored,
            "wall_s": round(wall, 3),
            "objects_per_s": round(stored / wall),
            "goal_objects_per_s": 10_000,
            "client_cpu_s": round(float(user) + float(sys_s), 2),
            "client_peak_rss_mib": round(int(rss_kib) / 1024, 1),
            "wire_bytes": report["wire_bytes"],
            "signed_json_bytes": report["body_bytes"],
            "stix_export_bytes": stix_bytes,
            "wire_bytes_per_incident": round(report["wire_bytes"] / stored, 1),
            "stix_bytes_per_incident": round(stix_bytes / n, 1),
            "wire_vs_stix": round(report["wire_bytes"] / stored / (stix_bytes / n), 4),
            "goal_wire_vs_stix": 0.25,
            "load1_before": before,
            "load1_after": after,
        }
        with open(os.path.join(out_dir, f"result-{n}.json"), "w") as f:
            json.dump(result, f, indent=2)
        print(json.dumps(result, indent=2))
        if stored != n:
            sys.exit(f"the recipient stored {stored} of {n} incidents")


if __name__ == "__main__":
    main()

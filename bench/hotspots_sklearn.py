"""scikit-learn's haversine DBSCAN on given points: the reference that Liaison's hotspots are
checked and timed against (docs/hotspots.md).

usage:
  python bench/hotspots_sklearn.py fit POINTS.csv [--eps-km 25] [--min-samples 5] [--jobs 1]
      POINTS.csv has the header lat,lon and one point per line in degrees. Prints one JSON line:
      fit_s (DBSCAN.fit alone, time.perf_counter), clusters, core count, noise fraction, and the
      SHA-256 of the labels (little-endian int64, noise -1) and of the core flags (one byte
      each), computed exactly as crates/liaison-geo/examples/hotspots_bench.rs computes them.
  python bench/hotspots_sklearn.py synth N OUT.csv [--seed 42]
      Writes the benchmark peers' synthetic Sahel points (../shared/bench-peers/lib/synth.py,
      the generator geo/bench_dbscan.py uses, same seed) with every float's shortest exact
      repr, so the Rust side reads bit-for-bit the points scikit-learn clusters.
  python bench/hotspots_sklearn.py ucdp-fixture OUT.json
      Reads the UCDP files of data/ucdp/ that `liaison demo` ships plus the v23.1 sample (each
      event once, by id, first file wins), and writes their points (as the files spell them)
      and UCDP ids with scikit-learn's labels and core points at eps 25 km / min 5 and 10 km /
      min 3: the fixture of crates/liaison-geo/tests/hotspots.rs and
      crates/liaison-cli/tests/hotspots.rs.

Points go to scikit-learn as numpy.radians([lat, lon]), algorithm="ball_tree", metric="haversine",
eps = eps_km / 6371.0088, as the peers measured it.
"""
import argparse
import csv
import hashlib
import json
import os
import sys
import time

import numpy as np

EARTH_R_KM = 6371.0088
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.environ.get("LIAISON_BENCH_PEERS", os.path.join(REPO, "..", "shared", "bench-peers"))
UCDP_FILES = [
    "ucdp_ged_Mali.csv",
    "ucdp_ged_Burkina.csv",
    "ucdp_ged_Niger_cleaned.csv",
    "ucdp_ged_Senegal.csv",
    "ucdp_ged_v23_1_sample_region.csv",
]
FIXTURE_RUNS = [(25.0, 5), (10.0, 3)]


def sklearn_dbscan(lat, lon, eps_km, min_samples, jobs=1):
    from sklearn.cluster import DBSCAN

    X = np.radians(np.c_[lat, lon])
    t0 = time.perf_counter()
    m = DBSCAN(eps=eps_km / EARTH_R_KM, min_samples=min_samples, metric="haversine",
               algorithm="ball_tree", n_jobs=jobs).fit(X)
    return m.labels_, m.core_sample_indices_, time.perf_counter() - t0


def read_points(path):
    lat, lon = [], []
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r, None)
        if header != ["lat", "lon"]:
            sys.exit(f"{path}: line 1: expected the header lat,lon, found {header}")
        for n, row in enumerate(r, start=2):
            if not row:
                continue
            if len(row) != 2:
                sys.exit(f"{path}: line {n}: expected 2 fields, found {len(row)}")
            try:
                lat.append(float(row[0]))
                lon.append(float(row[1]))
            except ValueError:
                sys.exit(f"{path}: line {n}: not a number: {row}")
    return np.array(lat), np.array(lon)


def cmd_fit(a):
    lat, lon = read_points(a.points)
    load0 = round(os.getloadavg()[0], 2)
    labels, core_idx, fit_s = sklearn_dbscan(lat, lon, a.eps_km, a.min_samples, a.jobs)
    core = np.zeros(len(labels), dtype=np.uint8)
    core[core_idx] = 1
    import sklearn

    print(json.dumps({
        "impl": "scikit-learn", "version": sklearn.__version__, "n": len(labels),
        "eps_km": a.eps_km, "min_points": a.min_samples, "jobs": a.jobs,
        "fit_s": round(fit_s, 3), "clusters": int(labels.max()) + 1 if len(labels) else 0,
        "core": int(core.sum()), "noise_frac": round(float((labels == -1).mean()), 4),
        "labels_sha256": hashlib.sha256(labels.astype("<i8").tobytes()).hexdigest(),
        "core_sha256": hashlib.sha256(core.tobytes()).hexdigest(),
        "load1_before": load0, "load1_after": round(os.getloadavg()[0], 2),
    }), flush=True)


def cmd_synth(a):
    sys.path.insert(0, os.path.join(PEERS, "lib"))
    from synth import points

    lat, lon = points(a.n, seed=a.seed)
    with open(a.out, "w") as f:
        f.write("lat,lon\n")
        f.writelines(f"{x!r},{y!r}\n" for x, y in zip(lat.tolist(), lon.tolist()))


def cmd_ucdp_fixture(a):
    seen, pts = set(), []
    for name in UCDP_FILES:
        with open(os.path.join(REPO, "data", "ucdp", name), newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row["id"] in seen:
                    continue
                seen.add(row["id"])
                pts.append((row["id"], row["latitude"].strip(), row["longitude"].strip()))
    lat = np.array([float(p[1]) for p in pts])
    lon = np.array([float(p[2]) for p in pts])
    import sklearn

    runs = []
    for eps_km, min_samples in FIXTURE_RUNS:
        labels, core_idx, _ = sklearn_dbscan(lat, lon, eps_km, min_samples)
        runs.append({"eps_km": eps_km, "min_points": min_samples,
                     "labels": labels.tolist(), "core": core_idx.tolist()})
    out = {
        "about": "UCDP GED events of data/ucdp/ (each id once) and scikit-learn's haversine "
                 "DBSCAN labels on them; made by bench/hotspots_sklearn.py ucdp-fixture",
        "sklearn": sklearn.__version__, "numpy": np.__version__,
        "files": UCDP_FILES,
        "ids": [p[0] for p in pts],
        "points": [[p[1], p[2]] for p in pts],
        "runs": runs,
    }
    with open(a.out, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fit")
    f.add_argument("points")
    f.add_argument("--eps-km", type=float, default=25.0)
    f.add_argument("--min-samples", type=int, default=5)
    f.add_argument("--jobs", type=int, default=1)
    s = sub.add_parser("synth")
    s.add_argument("n", type=int)
    s.add_argument("out")
    s.add_argument("--seed", type=int, default=42)
    u = sub.add_parser("ucdp-fixture")
    u.add_argument("out")
    a = ap.parse_args()
    {"fit": cmd_fit, "synth": cmd_synth, "ucdp-fixture": cmd_ucdp_fixture}[a.cmd](a)


if __name__ == "__main__":
    main()

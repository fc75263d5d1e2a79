#!/usr/bin/env python3
"""Writes N synthetic STIX 2.1 objects (~1.5 KB each) as a TAXII envelope, for taxii-check and
the TAXII benchmark.

The objects are shared/bench-peers' `synth.reports` (incident SDOs with custom x_ properties:
the same objects medallion is measured with), so every figure compares like with like.

usage: bench/taxii_objects.py N OUT.json [--seed S]
needs: numpy (the bench venv, ~/.cache/liaison-bench-venv) and LIAISON_BENCH_PEERS or
       ../shared/bench-peers next to the repository.
"""
import argparse
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.environ.get("LIAISON_BENCH_PEERS", os.path.join(os.path.dirname(ROOT), "shared", "bench-peers"))
sys.path.insert(0, os.path.join(PEERS, "lib"))
from synth import reports  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    objs = reports(a.n, seed=a.seed)
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump({"objects": objs}, f, ensure_ascii=False, separators=(",", ":"))
    size = os.path.getsize(a.out)
    print(f"{a.n} objects, {size / 1e6:.1f} MB ({size / max(1, a.n):.0f} bytes each) in {a.out}")


if __name__ == "__main__":
    main()

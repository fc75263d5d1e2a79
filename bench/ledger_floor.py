"""Floors for the ledger's append, measured in the same run as Liaison (scripts/bench-ledger).

hash:   Python's hashlib (OpenSSL SHA-256) doing the hashing an RFC 6962 append needs per entry:
        the leaf hash of the entry's bytes plus, on average, one interior node hash.
sqlite: Python's sqlite3 writing the rows Liaison's store writes per entry (one ledger_entries row;
        ledger_nodes keeps levels 2 and up, n/4 + n/8 + ... = one row per two entries) in
        transactions of BATCH entries, WAL, synchronous=NORMAL, the settings the store uses. No
        hashing, no signing: what the disk and SQLite alone cost.

usage: python3 bench/ledger_floor.py ENTRIES BATCH  -> one JSON object on stdout
"""
import hashlib
import json
import os
import sqlite3
import sys
import tempfile
import time

RECIPIENTS = ["MLI", "NER", "MRT", "TCD"]


def entry(i: int) -> bytes:
    """A `disclosed` entry of the shape and size Liaison writes (canonical JSON, sorted keys)."""
    doc = {
        "agreement": "agr-sahel-1", "agreement_version": 3,
        "applied": ["location:admin1", "narrative:dropped"],
        "at": "2026-03-01T12:%02d:%02dZ" % (i // 60 % 60, i % 60),
        "incident_id": "DZA-2026-%07d" % i, "kind": "release",
        "object_sha256": "%064x" % ((i & 0xFFFFFFFF) * 0x9E3779B97F4A7C15),
        "originator": "DZA", "recipient": RECIPIENTS[i % 4], "type": "disclosed", "v": 1,
        "version": i % 3 + 1,
    }
    return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()


def main() -> None:
    n, batch = int(sys.argv[1]), int(sys.argv[2])
    entries = [entry(i) for i in range(n)]
    t = time.perf_counter()
    prev = b"\x00" * 32
    for e in entries:
        leaf = hashlib.sha256(b"\x00" + e).digest()
        prev = hashlib.sha256(b"\x01" + prev + leaf).digest()
    hash_s = time.perf_counter() - t
    leaves = [hashlib.sha256(b"\x00" + e).hexdigest() for e in entries]

    with tempfile.TemporaryDirectory() as d:
        db = sqlite3.connect(os.path.join(d, "floor.db"), isolation_level=None)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("CREATE TABLE ledger_entries (idx INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
                   "at TEXT NOT NULL, concerns TEXT NOT NULL, entry TEXT NOT NULL, leaf_hash TEXT NOT NULL)")
        db.execute("CREATE TABLE ledger_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, "
                   "hash TEXT NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID")
        t = time.perf_counter()
        for start in range(0, n, batch):
            rows = [(i, "disclosed", "2026-03-01T12:00:00Z", " DZA MLI ", entries[i].decode(), leaves[i])
                    for i in range(start, min(n, start + batch))]
            nodes = [(2 + (i % 20), i, leaves[i]) for i in range(start, min(n, start + batch)) if i % 2]
            db.execute("BEGIN")
            db.executemany("INSERT INTO ledger_entries VALUES (?, ?, ?, ?, ?, ?)", rows)
            db.executemany("INSERT INTO ledger_nodes VALUES (?, ?, ?)", nodes)
            db.execute("COMMIT")
        sqlite_s = time.perf_counter() - t
        db.close()
    print(json.dumps({
        "entries": n, "batch": batch,
        "hash_seconds": round(hash_s, 3), "hash_entries_per_s": round(n / hash_s),
        "sqlite_seconds": round(sqlite_s, 3), "sqlite_entries_per_s": round(n / sqlite_s),
        "sqlite_version": sqlite3.sqlite_version,
    }))


if __name__ == "__main__":
    main()

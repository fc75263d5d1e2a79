//! Ledger benchmark: (1) batched appends of realistic `disclosed` entries (encode, hash, push
//! into a frontier collecting the completed nodes a store would persist, sign a checkpoint per
//! batch); (2) inclusion and consistency proofs in a tree of 10 million leaves, generated the way
//! a store does (plan, fetch the planned nodes into a map, build through a lookup) and verified.
//!
//! Run: `cargo run --release -p liaison-ledger --example ledger_bench -- [--leaves 10000000]
//! [--batch 1000] [--append 1000000] [--samples 10000] [--json]`.
//! Goals: appends >= 100,000 entries/s; inclusion proof generation + verification <= 50 µs.
//! Indices come from a seeded xorshift and the key from a fixed seed, so runs are comparable.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use ed25519_dalek::{Signer, SigningKey};
use liaison_ledger::hash::to_hex;
use liaison_ledger::{
    Checkpoint, Entry, Event, Frontier, Hash, MemoryTree, NodeId, consistency_plan,
    consistency_proof, inclusion_plan, inclusion_proof, leaf_hash, sign_checkpoint,
    verify_consistency, verify_inclusion,
};

struct Args {
    leaves: u64,
    batch: u64,
    append: u64,
    samples: usize,
    json: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        leaves: 10_000_000,
        batch: 1000,
        append: 1_000_000,
        samples: 10_000,
        json: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut num = |name: &str| -> Result<u64, String> {
            it.next()
                .ok_or(format!("{name} needs a value"))?
                .replace('_', "")
                .parse()
                .map_err(|e| format!("{name}: {e}"))
        };
        match flag.as_str() {
            "--leaves" => a.leaves = num("--leaves")?,
            "--batch" => a.batch = num("--batch")?,
            "--append" => a.append = num("--append")?,
            "--samples" => a.samples = num("--samples")? as usize,
            "--json" => a.json = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if a.leaves < 2 || a.batch == 0 || a.samples == 0 {
        return Err("--leaves must be >= 2, --batch and --samples > 0".into());
    }
    Ok(a)
}

/// xorshift64: enough randomness to spread indices, no rand crate.
fn xorshift(state: &mut u64) -> u64 {
    let mut x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    x
}

fn disclosed(i: u64, hex: &str) -> Entry {
    const RECIPIENTS: [&str; 4] = ["MLI", "NER", "MRT", "TCD"];
    Entry {
        at: format!("2026-03-01T12:{:02}:{:02}Z", i / 60 % 60, i % 60),
        event: Event::Disclosed {
            recipient: RECIPIENTS[(i % 4) as usize].to_string(),
            incident_id: format!("DZA-2026-{i:07}"),
            originator: "DZA".to_string(),
            version: (i % 3) as i64 + 1,
            kind: "release".to_string(),
            agreement: Some("agr-sahel-1".to_string()),
            agreement_version: Some(3),
            applied: vec![
                "location:admin1".to_string(),
                "narrative:dropped".to_string(),
            ],
            object_sha256: hex.to_string(),
        },
    }
}

struct AppendResult {
    entries: u64,
    seconds: f64,
    checkpoints: u64,
    nodes: u64,
    sign_seconds: f64,
}

fn bench_append(a: &Args, key: &SigningKey) -> AppendResult {
    let public = key.verifying_key().to_bytes();
    let sign = |m: &[u8]| key.sign(m).to_bytes();
    let origin = "liaison.example/DZA";
    // A pool of realistic object hashes, so building strings is not hashing work.
    let pool: Vec<String> = (0..1024u64)
        .map(|i| to_hex(&leaf_hash(&i.to_le_bytes())))
        .collect();
    let mut frontier = Frontier::empty();
    let mut completed: Vec<(NodeId, Hash)> = Vec::with_capacity(a.batch as usize * 2 + 64);
    let (mut nodes, mut checkpoints) = (0u64, 0u64);
    let mut sign_time = Duration::ZERO;
    let start = Instant::now();
    let mut i = 0;
    while i < a.append {
        let end = (i + a.batch).min(a.append);
        for j in i..end {
            let entry = disclosed(j, &pool[(j % 1024) as usize]);
            let bytes = entry.encode();
            frontier.push(leaf_hash(&bytes), &mut completed);
        }
        // A store would write `completed` in the batch's transaction here.
        nodes += completed.len() as u64;
        black_box(&completed);
        completed.clear();
        let t = Instant::now();
        let cp = Checkpoint {
            origin: origin.to_string(),
            size: frontier.size(),
            root: frontier.root(),
            extensions: vec![],
        };
        black_box(sign_checkpoint(&cp, origin, &public, &sign));
        sign_time += t.elapsed();
        checkpoints += 1;
        i = end;
    }
    AppendResult {
        entries: a.append,
        seconds: start.elapsed().as_secs_f64(),
        checkpoints,
        nodes,
        sign_seconds: sign_time.as_secs_f64(),
    }
}

struct Stats {
    median_us: f64,
    p99_us: f64,
    max_us: f64,
}

fn stats(mut v: Vec<Duration>) -> Stats {
    v.sort();
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e6;
    Stats {
        median_us: at(0.5),
        p99_us: at(0.99),
        max_us: at(1.0),
    }
}

/// A store's fetch: the planned nodes, in one go, into a map.
fn fetch(tree: &MemoryTree, plan: &[NodeId]) -> HashMap<NodeId, Hash> {
    plan.iter()
        .map(|id| (*id, tree.node(*id).expect("planned node")))
        .collect()
}

struct ProofResult {
    build_seconds: f64,
    incl_total: Stats,
    incl_gen: Stats,
    incl_verify: Stats,
    incl_len: f64,
    cons_total: Stats,
    cons_gen: Stats,
}

fn bench_proofs(a: &Args) -> ProofResult {
    let size = a.leaves;
    let start = Instant::now();
    let mut tree = MemoryTree::with_capacity(size);
    for i in 0..size {
        tree.push(leaf_hash(&i.to_le_bytes()));
    }
    let build_seconds = start.elapsed().as_secs_f64();
    let root = tree.root();
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;

    let (mut total, mut gen_t, mut ver_t) = (Vec::new(), Vec::new(), Vec::new());
    let mut proof_hashes = 0usize;
    for _ in 0..a.samples {
        let index = xorshift(&mut rng) % size;
        let leaf = tree.leaf(index).expect("leaf");
        let t0 = Instant::now();
        let plan = inclusion_plan(index, size).expect("plan");
        let nodes = fetch(&tree, &plan);
        let proof = inclusion_proof(index, size, &|id| nodes.get(&id).copied()).expect("proof");
        let t1 = Instant::now();
        verify_inclusion(&leaf, index, size, &proof, &root).expect("verifies");
        let t2 = Instant::now();
        proof_hashes += proof.len();
        gen_t.push(t1 - t0);
        ver_t.push(t2 - t1);
        total.push(t2 - t0);
    }

    let (mut ctotal, mut cgen) = (Vec::new(), Vec::new());
    for _ in 0..a.samples {
        let old = xorshift(&mut rng) % (size - 1) + 1;
        let old_root = tree.root_at(old).expect("old root");
        let t0 = Instant::now();
        let plan = consistency_plan(old, size).expect("plan");
        let nodes = fetch(&tree, &plan);
        let proof = consistency_proof(old, size, &|id| nodes.get(&id).copied()).expect("proof");
        let t1 = Instant::now();
        verify_consistency(old, size, &old_root, &root, &proof).expect("verifies");
        let t2 = Instant::now();
        cgen.push(t1 - t0);
        ctotal.push(t2 - t0);
    }
    ProofResult {
        build_seconds,
        incl_total: stats(total),
        incl_gen: stats(gen_t),
        incl_verify: stats(ver_t),
        incl_len: proof_hashes as f64 / a.samples as f64,
        cons_total: stats(ctotal),
        cons_gen: stats(cgen),
    }
}

/// Three decimals: enough for microseconds and seconds in the JSON report.
fn r3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn main() {
    let a = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("ledger_bench: {e}");
            std::process::exit(2);
        }
    };
    let key = SigningKey::from_bytes(&[42u8; 32]);
    let ap = bench_append(&a, &key);
    let pr = bench_proofs(&a);
    let rate = ap.entries as f64 / ap.seconds;
    if a.json {
        let v = serde_json::json!({
            "append": {
                "entries": ap.entries, "batch": a.batch, "seconds": r3(ap.seconds),
                "entries_per_s": r3(rate), "checkpoints": ap.checkpoints,
                "nodes_persisted": ap.nodes, "checkpoint_sign_seconds": r3(ap.sign_seconds),
                "goal_entries_per_s": 100_000,
            },
            "tree": { "leaves": a.leaves, "build_seconds": r3(pr.build_seconds) },
            "inclusion": {
                "samples": a.samples, "mean_proof_hashes": r3(pr.incl_len),
                "total_median_us": r3(pr.incl_total.median_us), "total_p99_us": r3(pr.incl_total.p99_us),
                "total_max_us": r3(pr.incl_total.max_us),
                "gen_median_us": r3(pr.incl_gen.median_us), "verify_median_us": r3(pr.incl_verify.median_us),
                "goal_us": 50,
            },
            "consistency": {
                "samples": a.samples,
                "total_median_us": r3(pr.cons_total.median_us), "total_p99_us": r3(pr.cons_total.p99_us),
                "gen_median_us": r3(pr.cons_gen.median_us),
            },
        });
        println!("{v}");
        return;
    }
    println!("liaison-ledger benchmark");
    println!();
    println!(
        "append: {} disclosed entries, batch {}, one signed checkpoint per batch",
        ap.entries, a.batch
    );
    println!("  {:<34} {:>12.3} s", "time", ap.seconds);
    println!(
        "  {:<34} {:>12.0} entries/s   (goal >= 100000)",
        "throughput", rate
    );
    println!("  {:<34} {:>12}", "checkpoints signed", ap.checkpoints);
    println!("  {:<34} {:>12.3} s", "of which signing", ap.sign_seconds);
    println!("  {:<34} {:>12}", "nodes to persist", ap.nodes);
    println!();
    println!(
        "proofs: tree of {} leaves (built in {:.1} s), {} seeded samples each",
        a.leaves, pr.build_seconds, a.samples
    );
    println!("  {:<34} {:>8} {:>8} {:>8}", "(µs)", "median", "p99", "max");
    let row = |name: &str, s: &Stats| {
        println!(
            "  {:<34} {:>8.2} {:>8.2} {:>8.2}",
            name, s.median_us, s.p99_us, s.max_us
        )
    };
    row("inclusion gen + verify (goal <=50)", &pr.incl_total);
    row("  inclusion plan+fetch+build", &pr.incl_gen);
    row("  inclusion verify", &pr.incl_verify);
    row("consistency gen + verify", &pr.cons_total);
    row("  consistency plan+fetch+build", &pr.cons_gen);
    println!(
        "  {:<34} {:>8.1}",
        "mean inclusion proof hashes", pr.incl_len
    );
}

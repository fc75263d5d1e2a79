//! The fusion benchmark: UCDP GED events scaled (`liaison_fusion::eval::scale`) into enough
//! distinct events that the two-node generator yields N claims, then `fuse` timed on them with
//! the default window. Prints one JSON line: claims, fused incidents, candidate pairs, the time of
//! each run and the best, and pairwise precision and recall against the generator's truth (the
//! scaled data is denser than the real one, so these are lower than `fusion_eval`'s).
//!
//! usage: `fusion_bench [--claims N] [--repeat R] [--seed S] [--data DIR]` (default 100,000
//! claims, 3 runs). Whole-process peak memory: run it under `/usr/bin/time -v`, as
//! `scripts/bench-fusion` does. An example, not part of the library: it reads files and the clock.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use liaison_core::CountryCode;
use liaison_fusion::eval::{Noise, generate, scale, score};
use liaison_fusion::{KeptApart, Window, fuse};
use serde_json::json;

#[path = "ucdp/mod.rs"]
mod ucdp;
use ucdp::load;

fn main() -> ExitCode {
    match main_inner() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fusion_bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn main_inner() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/ucdp");
    let mut n_claims = 100_000usize;
    let mut repeat = 3usize;
    let mut seed = 20_261_128_u64;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().cloned().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--data" => dir = PathBuf::from(value()?),
            "--claims" => n_claims = value()?.parse().map_err(|_| "--claims: not a number")?,
            "--repeat" => repeat = value()?.parse().map_err(|_| "--repeat: not a number")?,
            "--seed" => seed = value()?.parse().map_err(|_| "--seed: not a number")?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let base = load(&dir)?;
    let noise = Noise::default();
    // Enough events that p_a + p_b claims each cover N, then exactly N claims kept.
    let n_events = ((n_claims as f64) / (noise.p_a + noise.p_b) * 1.02).ceil() as usize;
    let events = scale(&base, n_events, seed);
    let a = CountryCode::parse("MLI").map_err(|e| e.to_string())?;
    let b = CountryCode::parse("NER").map_err(|e| e.to_string())?;
    let mut claims = generate(&events, seed, &noise, (&a, &b));
    claims.claims.truncate(n_claims);
    claims.truth.truncate(n_claims);
    let window = Window::default();
    let mut runs = Vec::new();
    let mut last = None;
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        let fusion = fuse(&claims.claims, &window, &KeptApart::new()).map_err(|e| e.to_string())?;
        runs.push((t.elapsed().as_secs_f64() * 1000.0).round() / 1000.0);
        last = Some(fusion);
    }
    let fusion = last.ok_or("no run")?;
    let s = score(&claims.claims, &claims.truth, &fusion);
    let best = runs.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "{}",
        json!({
            "claims": claims.claims.len(),
            "events": n_events,
            "window": window,
            "fused_incidents": fusion.clusters.len(),
            "candidate_pairs": fusion.candidate_pairs,
            "pairs_in_window": fusion.pairs_in_window,
            "fuse_s": best,
            "fuse_runs_s": runs,
            "precision": (s.precision * 10000.0).round() / 10000.0,
            "recall": (s.recall * 10000.0).round() / 10000.0,
        })
    );
    Ok(())
}

//! The fusion evaluation: reads the UCDP GED files, splits the events into a development half
//! (even years) and a test half (odd years), turns each half into two nodes' noisy claims with
//! `liaison_fusion::eval::generate` (fixed seed), fuses them and prints pairwise precision,
//! recall and F1 of each half as one JSON object. With `--sweep`, also every window of a small
//! grid (km × days) on the development half only: that is how the defaults were chosen.
//!
//! With `--explain`, the development half's errors: missed true pairs by the rule that refused
//! them, false pairs by distance and day gap.
//!
//! usage: `fusion_eval [--data DIR] [--seed N] [--km K] [--days D] [--sweep] [--explain]`
//! (`--data` defaults to the repository's `data/ucdp/`; files read: the GED files listed in
//! `ucdp::FILES`, events de-duplicated by id.) An example, not part of the library: it reads files.

use std::path::PathBuf;
use std::process::ExitCode;

use liaison_core::{CountryCode, Incident};
use liaison_fusion::eval::{Noise, generate, is_test, score};
use liaison_fusion::{KeptApart, Window, fuse};
use serde_json::json;

#[path = "ucdp/mod.rs"]
mod ucdp;
use ucdp::load;

fn run(events: &[Incident], window: &Window, seed: u64) -> Result<serde_json::Value, String> {
    let a = CountryCode::parse("MLI").map_err(|e| e.to_string())?;
    let b = CountryCode::parse("NER").map_err(|e| e.to_string())?;
    let claims = generate(events, seed, &Noise::default(), (&a, &b));
    let fusion = fuse(&claims.claims, window, &KeptApart::new()).map_err(|e| e.to_string())?;
    let s = score(&claims.claims, &claims.truth, &fusion);
    Ok(json!({
        "events": events.len(),
        "claims": s.claims,
        "fused_incidents": s.fused_incidents,
        "true_pairs": s.true_pairs,
        "predicted_pairs": s.predicted_pairs,
        "correct_pairs": s.correct_pairs,
        "precision": (s.precision * 10000.0).round() / 10000.0,
        "recall": (s.recall * 10000.0).round() / 10000.0,
        "f1": (s.f1 * 10000.0).round() / 10000.0,
    }))
}

/// Why the development half's errors happened: each missed true pair by the rule that refused
/// it (or "in window, joined elsewhere"), and each false pair by distance and day gap.
fn explain(events: &[Incident], window: &Window, seed: u64) -> Result<serde_json::Value, String> {
    use std::collections::{BTreeMap, HashMap};
    let a = CountryCode::parse("MLI").map_err(|e| e.to_string())?;
    let b = CountryCode::parse("NER").map_err(|e| e.to_string())?;
    let claims = generate(events, seed, &Noise::default(), (&a, &b));
    let fusion = fuse(&claims.claims, window, &KeptApart::new()).map_err(|e| e.to_string())?;
    let mut cluster_of: HashMap<&liaison_core::IncidentId, usize> = HashMap::new();
    for (k, c) in fusion.clusters.iter().enumerate() {
        for id in &c.claims {
            cluster_of.insert(id, k);
        }
    }
    let mut by_event: HashMap<usize, Vec<&Incident>> = HashMap::new();
    for (c, &t) in claims.claims.iter().zip(&claims.truth) {
        by_event.entry(t).or_default().push(c);
    }
    let mut missed: BTreeMap<String, u64> = BTreeMap::new();
    for group in by_event.values() {
        if let [x, y] = group.as_slice() {
            let together =
                cluster_of.contains_key(&x.id) && cluster_of.get(&x.id) == cluster_of.get(&y.id);
            if !together {
                let why = match window.score_pair(x, y) {
                    Ok(_) => "in window, joined elsewhere".to_string(),
                    Err(e) if e.contains("km apart") => "distance".into(),
                    Err(e) if e.contains("days apart") => "day gap".into(),
                    Err(e) if e.contains("types differ") => "type".into(),
                    Err(e) if e.contains("actors") => "actors".into(),
                    Err(e) => e,
                };
                *missed.entry(why).or_default() += 1;
            }
        }
    }
    let event_of: HashMap<&liaison_core::IncidentId, usize> = claims
        .claims
        .iter()
        .zip(&claims.truth)
        .map(|(c, &t)| (&c.id, t))
        .collect();
    let mut false_pairs: BTreeMap<String, u64> = BTreeMap::new();
    for c in &fusion.clusters {
        for e in &c.edges {
            if event_of.get(&e.a) != event_of.get(&e.b) {
                let key = format!(
                    "{} km, {}",
                    if e.km < 1.0 {
                        "<1"
                    } else if e.km < 10.0 {
                        "1-10"
                    } else {
                        ">=10"
                    },
                    if e.day_gap == 0 {
                        "same day"
                    } else {
                        "other day"
                    }
                );
                *false_pairs.entry(key).or_default() += 1;
            }
        }
    }
    Ok(json!({"missed_true_pairs": missed, "false_pairs": false_pairs}))
}

fn main() -> ExitCode {
    match main_inner() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fusion_eval: {e}");
            ExitCode::FAILURE
        }
    }
}

fn main_inner() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/ucdp");
    let mut seed = 20_261_128_u64;
    let mut window = Window::default();
    let mut sweep = false;
    let mut explain_errors = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().cloned().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--data" => dir = PathBuf::from(value()?),
            "--seed" => seed = value()?.parse().map_err(|_| "--seed: not a number")?,
            "--km" => window.km = value()?.parse().map_err(|_| "--km: not a number")?,
            "--days" => window.days = value()?.parse().map_err(|_| "--days: not a number")?,
            "--sweep" => sweep = true,
            "--explain" => explain_errors = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let events = load(&dir)?;
    let (test, dev): (Vec<Incident>, Vec<Incident>) = events.into_iter().partition(is_test);
    let mut out = json!({
        "seed": seed,
        "window": window,
        "noise": Noise::default(),
        "dev": run(&dev, &window, seed)?,
        "test": run(&test, &window, seed)?,
    });
    if explain_errors {
        out["dev_errors"] = explain(&dev, &window, seed)?;
    }
    if sweep {
        let mut rows = Vec::new();
        for km in [5.0, 10.0, 15.0, 25.0, 40.0, 60.0] {
            for days in [0, 1, 2, 3, 5] {
                let w = Window { km, days, ..window };
                let r = run(&dev, &w, seed)?;
                rows.push(json!([km, days, r["precision"], r["recall"], r["f1"]]));
            }
        }
        out["dev_sweep_km_days_precision_recall_f1"] = serde_json::Value::Array(rows);
    }
    println!(
        "{}",
        serde_json::to_string(&out).map_err(|e| e.to_string())?
    );
    Ok(())
}

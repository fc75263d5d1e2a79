//! The hotspot benchmark's Rust side: reads points from a CSV file (`lat,lon` header, one point
//! per line, degrees), clusters them with `liaison_geo::hotspots::dbscan`, and prints one JSON
//! line: timings, cluster count, noise fraction, and SHA-256 digests of the labels and core
//! flags that `bench/hotspots_sklearn.py` computes the same way for scikit-learn's answer.
//!
//! usage: `hotspots_bench FILE [--eps-km 25] [--min-points 5] [--threads N] [--repeat R]`
//!
//! Digests: labels as little-endian `i64` (noise = -1), core flags as one byte each (0 or 1).
//! `fit_s` is the best of `--repeat` runs (default 1); `fit_runs_s` lists them all. Not part of
//! the library: this program reads a file and the clock.

use std::process::ExitCode;
use std::time::Instant;

use liaison_geo::hotspots::{DbscanParams, LatLon, dbscan};
use sha2::{Digest, Sha256};

struct Args {
    file: String,
    eps_km: f64,
    min_points: usize,
    threads: usize,
    repeat: usize,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut file = None;
    let mut a = Args {
        file: String::new(),
        eps_km: 25.0,
        min_points: 5,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        repeat: 1,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("{name} needs a value"))
                .cloned()
        };
        match arg.as_str() {
            "--eps-km" => {
                let v = value("--eps-km")?;
                a.eps_km = v
                    .parse()
                    .map_err(|_| format!("--eps-km: not a number: {v}"))?;
            }
            "--min-points" => {
                let v = value("--min-points")?;
                a.min_points = v
                    .parse()
                    .map_err(|_| format!("--min-points: not a whole number: {v}"))?;
            }
            "--threads" => {
                let v = value("--threads")?;
                a.threads = v
                    .parse()
                    .ok()
                    .filter(|&t| t >= 1)
                    .ok_or_else(|| format!("--threads: not a positive whole number: {v}"))?;
            }
            "--repeat" => {
                let v = value("--repeat")?;
                a.repeat = v
                    .parse()
                    .ok()
                    .filter(|&t| t >= 1)
                    .ok_or_else(|| format!("--repeat: not a positive whole number: {v}"))?;
            }
            other if other.starts_with("--") => return Err(format!("unknown option {other}")),
            other if file.is_none() => file = Some(other.to_owned()),
            other => return Err(format!("unexpected argument {other}")),
        }
    }
    a.file = file.ok_or(
        "usage: hotspots_bench FILE [--eps-km KM] [--min-points N] [--threads N] [--repeat R]",
    )?;
    Ok(a)
}

/// Parses the points file; an error names the line (from 1) and the field.
fn parse_points(text: &str) -> Result<Vec<LatLon>, String> {
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header.trim() == "lat,lon" => {}
        Some((_, header)) => {
            return Err(format!(
                "line 1: expected the header lat,lon, found {header:?}"
            ));
        }
        None => return Err("the file is empty (expected the header lat,lon)".into()),
    }
    let mut points = Vec::new();
    for (i, line) in lines {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let mut fields = line.split(',');
        let mut field = |name: &str| -> Result<f64, String> {
            let v = fields
                .next()
                .ok_or_else(|| format!("line {n}: missing {name}"))?
                .trim();
            v.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("line {n}: {name} is not a number: {v:?}"))
        };
        let lat = field("lat")?;
        let lon = field("lon")?;
        if fields.next().is_some() {
            return Err(format!("line {n}: more than two fields"));
        }
        points.push(LatLon { lat, lon });
    }
    Ok(points)
}

fn run(args: &[String]) -> Result<String, String> {
    let a = parse_args(args)?;
    let t0 = Instant::now();
    let text = std::fs::read_to_string(&a.file).map_err(|e| format!("{}: {e}", a.file))?;
    let points = parse_points(&text).map_err(|e| format!("{}: {e}", a.file))?;
    drop(text);
    let read_s = t0.elapsed().as_secs_f64();
    let params = DbscanParams {
        eps_km: a.eps_km,
        min_points: a.min_points,
        threads: a.threads,
    };
    let mut runs = Vec::new();
    let mut result = None;
    for _ in 0..a.repeat {
        let t = Instant::now();
        let r = dbscan(&points, &params).map_err(|e| e.to_string())?;
        runs.push(t.elapsed().as_secs_f64());
        result = Some(r);
    }
    let r = result.ok_or("no run")?;
    let mut labels = Sha256::new();
    for l in &r.labels {
        labels.update(l.map_or(-1i64, i64::from).to_le_bytes());
    }
    let core: Vec<u8> = r.core.iter().map(|&c| u8::from(c)).collect();
    let noise = r.labels.iter().filter(|l| l.is_none()).count();
    let best = runs.iter().copied().fold(f64::INFINITY, f64::min);
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    Ok(format!(
        "{{\"impl\": \"liaison-geo\", \"n\": {}, \"eps_km\": {}, \"min_points\": {}, \"threads\": {}, \
         \"read_s\": {}, \"fit_s\": {}, \"fit_runs_s\": [{}], \"clusters\": {}, \"core\": {}, \
         \"noise_frac\": {:.4}, \"labels_sha256\": \"{}\", \"core_sha256\": \"{}\"}}",
        points.len(),
        a.eps_km,
        a.min_points,
        a.threads,
        round(read_s),
        round(best),
        runs.iter()
            .map(|&s| round(s).to_string())
            .collect::<Vec<_>>()
            .join(", "),
        r.cluster_count,
        r.core.iter().filter(|&&c| c).count(),
        noise as f64 / points.len().max(1) as f64,
        hex::encode(labels.finalize()),
        hex::encode(Sha256::digest(&core)),
    ))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("hotspots_bench: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_file_errors_name_the_line_and_field() {
        let cases = [
            ("", "the file is empty"),
            ("x,y\n1,2\n", "line 1: expected the header lat,lon"),
            ("lat,lon\n1,2\n3\n", "line 3: missing lon"),
            (
                "lat,lon\n1,2\nabc,4\n",
                "line 3: lat is not a number: \"abc\"",
            ),
            ("lat,lon\n1,NaN\n", "line 2: lon is not a number: \"NaN\""),
            ("lat,lon\n1,2,3\n", "line 2: more than two fields"),
        ];
        for (text, want) in cases {
            let err = parse_points(text).err().unwrap_or_default();
            assert!(
                err.starts_with(want),
                "{text:?}: got {err:?}, want {want:?}"
            );
        }
        let ok = parse_points("lat,lon\n14.5,-3.25\n\n-1,2\n").unwrap_or_default();
        assert_eq!(
            ok,
            vec![
                LatLon {
                    lat: 14.5,
                    lon: -3.25
                },
                LatLon {
                    lat: -1.0,
                    lon: 2.0
                }
            ]
        );
    }

    #[test]
    fn argument_errors_name_the_option() {
        let args = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        for (line, want) in [
            ("f --eps-km x", "--eps-km: not a number"),
            ("f --min-points -1", "--min-points: not a whole number"),
            ("f --threads 0", "--threads: not a positive"),
            ("f --repeat", "--repeat needs a value"),
            ("f --bogus 1", "unknown option --bogus"),
            ("f g", "unexpected argument g"),
            ("--eps-km 3", "usage:"),
        ] {
            let err = parse_args(&args(line)).err().unwrap_or_default();
            assert!(err.starts_with(want), "{line}: got {err:?}");
        }
    }
}

//! Measures `list_incidents` latency with a bounding box, a time window and a type, as the
//! benchmark's search workload: `cargo run --release -p liaison-store --example query_latency --
//! URL [QUERIES]`. Prints one JSON line with p50/p95/p99 in milliseconds.
//!
//! The queries are drawn from a fixed-seed generator over the Sahel box, so runs compare.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use liaison_core::date::parse_iso_date;
use liaison_core::{BBox, EventType, IncidentFilter, TypeFilter};
use liaison_store::Store;

/// A small deterministic generator (xorshift64*): benchmark inputs, not security.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url = args.get(1).expect("usage: query_latency URL [QUERIES]");
    let n: usize = args.get(2).map_or(200, |s| s.parse().expect("QUERIES"));
    let store = Store::open(url).await.expect("open store");
    let mut rng = Rng(0x5eed);
    let types = [EventType::Battle, EventType::Attack];
    let mut times = Vec::with_capacity(n);
    let mut returned = 0usize;
    for i in 0..n + 10 {
        let west = rng.range(-12.0, 12.0);
        let south = rng.range(10.0, 20.0);
        let year = 1990 + (rng.next() % 33) as i32;
        let filter = IncidentFilter {
            bbox: Some(BBox {
                west,
                south,
                east: west + 2.0,
                north: south + 2.0,
            }),
            from: Some(parse_iso_date(&format!("{year}-01-01")).unwrap()),
            to: Some(parse_iso_date(&format!("{year}-12-31")).unwrap()),
            types: vec![TypeFilter::Event(types[i % 2])],
            ..Default::default()
        };
        let t = Instant::now();
        let page = store
            .list_incidents(&filter, 50, None)
            .await
            .expect("query");
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if i >= 10 {
            // The first ten warm the caches and are not counted.
            times.push(ms);
            returned += page.incidents.len();
        }
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "{{\"queries\":{n},\"p50_ms\":{:.2},\"p95_ms\":{:.2},\"p99_ms\":{:.2},\"mean_rows\":{:.1}}}",
        pct(0.5),
        pct(0.95),
        pct(0.99),
        returned as f64 / n as f64
    );
    store.close().await;
}

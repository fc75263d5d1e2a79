//! Times the store's half of a TAXII POST: N envelopes of 100 objects of ~1.5 KB written with
//! `taxii_write` (one transaction each) into one collection, then paged back. A profiling aid for
//! `scripts/bench-taxii`: the difference between its figures and these is HTTP and parsing.
//! usage: cargo run --release -p liaison-store --example taxii_write -- DB_URL [ENVELOPES]

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use std::time::Instant;

use liaison_store::{
    NewTaxiiObject, ObjectVersion, Store, TaxiiCollection, TaxiiQuery, VersionMatch,
};
use time::OffsetDateTime;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let store = Store::open(&args[1]).await.unwrap();
    let envelopes: usize = args.get(2).map_or(20, |n| n.parse().unwrap());
    let at = OffsetDateTime::from_unix_timestamp(1_717_200_000).unwrap();
    let c = TaxiiCollection {
        id: "bench".into(),
        title: "bench".into(),
        description: String::new(),
        read_only: false,
    };
    let _ = store.add_taxii_collection(&c, at).await;
    let filler = "x".repeat(1_350);
    let mut n = 0u64;
    let mut phases = [0f64; 4];
    let t = Instant::now();
    for e in 0..envelopes {
        let objs: Vec<NewTaxiiObject> = (0..100)
            .map(|_| {
                n += 1;
                let id = format!(
                    "incident--{:08x}-0000-4000-8000-{:012x}",
                    n.wrapping_mul(2654435761) as u32,
                    n
                );
                NewTaxiiObject {
                    doc: format!(r#"{{"type":"incident","id":"{id}","d":"{filler}"}}"#),
                    id,
                    object_type: "incident".into(),
                    spec_version: "2.1".into(),
                    version: Some(ObjectVersion {
                        text: "2024-01-01T00:00:00.000Z".into(),
                        key: "2024-01-01T00:00:00.000000000Z".into(),
                    }),
                }
            })
            .collect();
        let t0 = Instant::now();
        let mut w = store
            .taxii_write("bench", at + time::Duration::milliseconds(e as i64))
            .await
            .unwrap();
        let t1 = Instant::now();
        w.add(&objs).await.unwrap();
        let t2 = Instant::now();
        w.put_status(&format!("s{n}"), "u", at, "{}").await.unwrap();
        let t3 = Instant::now();
        w.commit().await.unwrap();
        for (p, d) in phases
            .iter_mut()
            .zip([t1 - t0, t2 - t1, t3 - t2, t3.elapsed()])
        {
            *p += d.as_secs_f64();
        }
    }
    let dt = t.elapsed().as_secs_f64();
    let [lock, add, status, commit] = phases.map(|x| x * 1e3 / envelopes as f64);
    println!(
        "per envelope: begin and lock {lock:.2} ms, add {add:.2} ms, status {status:.2} ms, commit {commit:.2} ms"
    );
    println!(
        "write: {} objects in {dt:.3} s = {:.0} objects/s, {:.2} ms per envelope",
        n,
        n as f64 / dt,
        dt * 1e3 / envelopes as f64
    );
    let t = Instant::now();
    let mut q = TaxiiQuery {
        versions: VersionMatch::last(),
        limit: 100,
        ..TaxiiQuery::default()
    };
    let mut got = 0;
    loop {
        let p = store.taxii_objects("bench", &q, true).await.unwrap();
        got += p.rows.len();
        if !p.more {
            break;
        }
        q.after_seq = p.rows.last().unwrap().seq;
    }
    let dt = t.elapsed().as_secs_f64();
    println!(
        "read: {got} objects in {dt:.3} s = {:.0} objects/s",
        got as f64 / dt
    );
}

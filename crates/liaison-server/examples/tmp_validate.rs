#![allow(clippy::unwrap_used, clippy::disallowed_methods)]
fn main() {
    let text = std::fs::read_to_string("/tmp/obj300.json").unwrap();
    #[derive(serde::Deserialize)]
    struct E<'a> { #[serde(borrow)] objects: Vec<&'a serde_json::value::RawValue> }
    let t = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..20 {
        let e: E = serde_json::from_str(&text).unwrap();
        for o in &e.objects { liaison_server::taxii::check_object(o).unwrap(); n += 1; }
    }
    let dt = t.elapsed().as_secs_f64();
    println!("{n} objects validated in {dt:.3}s: {:.1} us each", dt * 1e6 / n as f64);
    let t = std::time::Instant::now();
    for _ in 0..20 {
        let e: E = serde_json::from_str(&text).unwrap();
        for o in &e.objects { let _v: serde_json::Value = serde_json::from_str(o.get()).unwrap(); }
    }
    let dt = t.elapsed().as_secs_f64();
    println!("parse only: {:.1} us each", dt * 1e6 / n as f64);
}

//! `liaison fuse` and `liaison fusion list|show|sign|split`, run as a user would, on a node that
//! holds two members' claims of the same real events: node MLI imports the UCDP regional sample
//! and exports it as STIX; node NER imports the same sample under ids of its own (the GED ids
//! prefixed with 9, one fatality count changed, as another state would count) and MLI's bundle.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fails, ok};
use serde_json::Value;

const SAMPLE: &str = "ucdp_ged_v23_1_sample_region.csv";

fn data(name: &str) -> String {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/ucdp")
        .join(name)
        .to_str()
        .unwrap()
        .to_owned()
}

fn json(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// The sample with every id prefixed by 9, and the first record's best estimate raised by 2.
/// Returns the file and the first record's GED id.
fn renumbered(dir: &std::path::Path) -> (String, String) {
    let mut r = csv::Reader::from_path(data(SAMPLE)).unwrap();
    let headers = r.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (id, best) = (col("id"), col("best"));
    let path = dir.join("ner.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(&headers).unwrap();
    let mut first = None;
    for (i, rec) in r.records().enumerate() {
        let rec = rec.unwrap();
        let mut fields: Vec<String> = rec.iter().map(str::to_owned).collect();
        if i == 0 {
            first = Some(fields[id].clone());
            let b: u32 = fields[best].parse().unwrap();
            fields[best] = (b + 2).to_string();
            let high = col("high");
            let h: u32 = fields[high].parse().unwrap();
            fields[high] = h.max(b + 2).to_string();
        }
        fields[id] = format!("9{}", fields[id]);
        w.write_record(&fields).unwrap();
    }
    w.flush().unwrap();
    (path.to_str().unwrap().to_owned(), first.unwrap())
}

fn node(base: &std::path::Path, member: &str) -> String {
    let d = base.join(member).to_str().unwrap().to_owned();
    ok(&["init", "--data", &d, "--member", member]);
    d
}

#[test]
fn fuse_show_sign_split_and_fuse_again() {
    let tmp = tempfile::tempdir().unwrap();
    let mli = node(tmp.path(), "MLI");
    ok(&["import", "ucdp", &data(SAMPLE), "--data", &mli]);
    let bundle = tmp.path().join("mli.json");
    ok(&[
        "export",
        "stix",
        "--data",
        &mli,
        "--out",
        bundle.to_str().unwrap(),
    ]);

    let ner = node(tmp.path(), "NER");
    let (file, first) = renumbered(tmp.path());
    ok(&["import", "ucdp", &file, "--data", &ner]);
    ok(&["import", "stix", bundle.to_str().unwrap(), "--data", &ner]);

    // Every MLI claim meets its NER twin (same point, day and actors).
    let out = json(&ok(&["fuse", "--data", &ner, "--json"]));
    assert_eq!(out["claims"], 122, "{out}");
    assert_eq!(out["window"]["km"], 25.0);
    let recorded = out["recorded"].as_u64().unwrap();
    assert!(recorded >= 55, "{out}");
    let (ours, theirs) = (format!("ucdp-ged:9{first}"), format!("ucdp-ged:{first}"));
    let fused = out["fused_incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["claims"].as_array().unwrap().iter().any(|c| c == &theirs))
        .unwrap_or_else(|| panic!("{theirs} not fused: {out}"));
    assert_eq!(fused["claims"], serde_json::json!([theirs, ours]));
    assert_eq!(fused["outcome"], "recorded");
    // The pair that joined them, with its reasons.
    let pair = &fused["pairs"][0];
    assert_eq!(
        (pair["km"].as_f64(), pair["day_gap"].as_u64()),
        (Some(0.0), Some(0))
    );
    assert_eq!(pair["actors"]["how"], "actor_id", "{pair}");
    let fid = fused["id"].as_str().unwrap().to_owned();

    // Nothing is recorded twice.
    let again = json(&ok(&["fuse", "--data", &ner, "--json"]));
    assert_eq!(again["recorded"], 0, "{again}");
    let text = ok(&["fuse", "--data", &ner]);
    assert!(text.contains("0 fused incidents recorded"), "{text}");

    let list = json(&ok(&["fusion", "list", "--data", &ner, "--json"]));
    assert_eq!(list.as_array().unwrap().len() as u64, recorded);
    let text = ok(&["fusion", "list", "--data", &ner]);
    assert!(text.contains(&fid) && text.contains("nobody yet"), "{text}");

    // Where the claims agree and differ: NER counted two more dead.
    let show = json(&ok(&["fusion", "show", &fid, "--data", &ner, "--json"]));
    assert_eq!(show["status"], "active");
    assert_eq!(
        show["differing"],
        serde_json::json!(["fatalities"]),
        "{show}"
    );
    let differ = &show["comparison"]["fatalities"]["differ"];
    assert_eq!(differ[0]["originator"], "MLI");
    assert_eq!(differ[1]["originator"], "NER");
    assert_eq!(
        differ[1]["value"]["best"].as_u64().unwrap(),
        differ[0]["value"]["best"].as_u64().unwrap() + 2
    );
    assert!(show["comparison"]["date"]["agree"].is_object(), "{show}");
    let agreed = &show["agreed"];
    assert_eq!(agreed["version"], 1);
    assert_eq!(agreed["sha256"].as_str().unwrap().len(), 64);
    assert!(
        agreed["doc"]["fatalities"]["dispute"]
            .as_str()
            .unwrap()
            .starts_with("claims differ: MLI"),
        "{agreed}"
    );
    assert_eq!(show["awaiting"], serde_json::json!(["MLI", "NER"]));
    let text = ok(&["fusion", "show", &fid, "--data", &ner]);
    assert!(text.contains("differ:\n  fatalities: MLI"), "{text}");
    assert!(
        text.contains("awaiting signature of v1: MLI, NER"),
        "{text}"
    );

    // NER signs for itself only; once per version.
    let signed = json(&ok(&["fusion", "sign", &fid, "--data", &ner, "--json"]));
    assert_eq!(signed["member"], "NER");
    assert_eq!(signed["version"], 1);
    let show = json(&ok(&["fusion", "show", &fid, "--data", &ner, "--json"]));
    assert_eq!(show["awaiting"], serde_json::json!(["MLI"]));
    assert_eq!(show["signoffs"][0]["member"], "NER");
    let err = fails(&["fusion", "sign", &fid, "--data", &ner]);
    assert!(
        err.contains("NER has already signed agreed version v1"),
        "{err}"
    );

    // Split: NER's claim leaves; nothing of two claims remains to fuse.
    let err = fails(&[
        "fusion",
        "split",
        &fid,
        "--claims",
        "ucdp-ged:1",
        "--data",
        &ner,
    ]);
    assert!(err.contains("ucdp-ged:1 is not a claim"), "{err}");
    let split = json(&ok(&[
        "fusion", "split", &fid, "--claims", &ours, "--data", &ner, "--json",
    ]));
    assert_eq!(split["parts"], serde_json::json!([]));
    assert_eq!(split["left"], serde_json::json!([ours]));
    let show = json(&ok(&["fusion", "show", &fid, "--data", &ner, "--json"]));
    assert_eq!(show["status"], "split");
    assert_eq!(show["split"].as_array().unwrap().len(), 2);
    let err = fails(&["fusion", "split", &fid, "--claims", &ours, "--data", &ner]);
    assert!(err.contains("already split"), "{err}");
    let err = fails(&["fusion", "sign", &fid, "--data", &ner]);
    assert!(err.contains("nothing to sign"), "{err}");

    // Fusing again: the two claims are back in the pool but stay apart.
    let again = json(&ok(&["fuse", "--data", &ner, "--json"]));
    for f in again["fused_incidents"].as_array().unwrap() {
        let c = f["claims"].as_array().unwrap();
        assert!(
            !(c.contains(&Value::from(ours.clone())) && c.contains(&Value::from(theirs.clone()))),
            "{again}"
        );
    }

    // Every write is in the ledger.
    let log = ok(&["audit", "log", "--data", &ner, "--kind", "fusion_split"]);
    assert!(log.contains(&format!("split {fid}: {ours} left")), "{log}");
    let log = ok(&["audit", "log", "--data", &ner, "--kind", "fusion_signed"]);
    assert!(log.contains("NER signed agreed version v1"), "{log}");
}

#[test]
fn bad_inputs_are_refused_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let d = node(tmp.path(), "MLI");
    let err = fails(&["fuse", "--data", &d, "--km", "-1"]);
    assert!(
        err.contains("window km must be a number greater than 0"),
        "{err}"
    );
    let err = fails(&["fuse", "--data", &d, "--days", "400"]);
    assert!(err.contains("window days must be at most 366"), "{err}");
    let err = fails(&["fuse", "--data", &d, "--from", "2020-13-01"]);
    assert!(err.contains("--from"), "{err}");
    let err = fails(&[
        "fuse",
        "--data",
        &d,
        "--from",
        "2021-01-01",
        "--to",
        "2020-01-01",
    ]);
    assert!(err.contains("is after --to"), "{err}");
    for cmd in [
        vec!["fusion", "show", "nope"],
        vec!["fusion", "sign", "nope"],
        vec!["fusion", "split", "nope", "--claims", "a"],
    ] {
        let mut args = cmd.clone();
        args.extend(["--data", d.as_str()]);
        let err = fails(&args);
        assert!(
            err.contains("fused incident nope not found"),
            "{args:?}: {err}"
        );
    }
    let err = fails(&["fusion", "split", "nope", "--claims", "a b", "--data", &d]);
    assert!(err.contains("--claims"), "{err}");
    let out = ok(&["fuse", "--data", &d]);
    assert!(out.contains("0 claims clustered"), "{out}");
    let out = ok(&["fusion", "list", "--data", &d]);
    assert!(out.contains("no fused incidents"), "{out}");
}

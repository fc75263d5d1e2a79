//! The `liaison` binary, run as a user would: a fresh node, the real UCDP files, the damaged
//! Niger file, the scenario, search, statistics checked against an independent count of the
//! files, users, and a live server answering over loopback.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{bin, ok, run};

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn ucdp_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/ucdp")
        .join(name)
}

fn damaged_niger() -> PathBuf {
    ucdp_file("ucdp_ged_Niger.csv")
}

fn init(dir: &Path) -> String {
    let d = dir.to_str().unwrap().to_owned();
    ok(&["init", "--data", &d, "--member", "MLI"]);
    d
}

type Sums = BTreeMap<(String, i64), (u64, u64, u64, u64)>;

/// Counts and fatality sums per country and year, read straight from the CSV files with the
/// `csv` crate, independently of Liaison's importer: the oracle for `liaison stats`.
fn oracle(files: &[PathBuf]) -> Sums {
    let iso3 = |name: &str| match name {
        "Mali" => "MLI",
        "Burkina Faso" => "BFA",
        "Niger" => "NER",
        "Senegal" => "SEN",
        other => panic!("unexpected country {other}"),
    };
    let mut seen = std::collections::HashSet::new();
    let mut sums = Sums::new();
    for f in files {
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(f)
            .unwrap();
        let h = r.headers().unwrap().clone();
        let col = |n: &str| h.iter().position(|c| c == n).unwrap();
        let (id, country, date, best, low, high) = (
            col("id"),
            col("country"),
            col("date_start"),
            col("best_est"),
            col("low_est"),
            col("high_est"),
        );
        for rec in r.records() {
            let rec = rec.unwrap();
            if !seen.insert(rec[id].to_owned()) {
                continue;
            }
            // MM/DD/YYYY 00:00:00
            let year: i64 = rec[date][6..10].parse().unwrap();
            let e = sums
                .entry((iso3(&rec[country]).to_owned(), year))
                .or_default();
            e.0 += 1;
            e.1 += rec[best].parse::<u64>().unwrap();
            e.2 += rec[low].parse::<u64>().unwrap();
            e.3 += rec[high].parse::<u64>().unwrap();
        }
    }
    sums
}

fn stats(d: &str) -> Sums {
    let out = ok(&["stats", "--data", d, "--by", "country,year", "--json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    rows.iter()
        .map(|r| {
            (
                (
                    r["country"].as_str().unwrap().to_owned(),
                    r["year"].as_i64().unwrap(),
                ),
                (
                    r["incidents"].as_u64().unwrap(),
                    r["fatalities_best"].as_u64().unwrap(),
                    r["fatalities_low"].as_u64().unwrap(),
                    r["fatalities_high"].as_u64().unwrap(),
                ),
            )
        })
        .collect()
}

#[test]
fn stats_over_the_real_ucdp_files_equal_what_the_files_hold() {
    let dir = tempfile::tempdir().unwrap();
    let d = init(dir.path());
    let files: Vec<PathBuf> = [
        "ucdp_ged_Mali.csv",
        "ucdp_ged_Burkina.csv",
        "ucdp_ged_Senegal.csv",
        "ucdp_ged_Niger_cleaned.csv",
    ]
    .iter()
    .map(|f| ucdp_file(f))
    .collect();
    let mut args = vec!["import", "ucdp"];
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    args.extend(paths.iter().map(String::as_str));
    args.extend(["--data", &d, "--json"]);
    let report: serde_json::Value = serde_json::from_str(&ok(&args)).unwrap();
    assert_eq!(report["committed"], true);
    for f in report["files"].as_array().unwrap() {
        assert_eq!(f["rejected"], 0, "{f}");
    }
    let want = oracle(&files);
    assert_eq!(stats(&d), want);
    assert!(want.len() > 30, "several countries and years");

    // Importing the same files again changes nothing.
    let again: serde_json::Value = serde_json::from_str(&ok(&args)).unwrap();
    for f in again["files"].as_array().unwrap() {
        assert_eq!(f["inserted"], 0);
        assert_eq!(f["updated"], 0);
        assert_eq!(f["unchanged"], f["rows"]);
    }
    assert_eq!(stats(&d), want);

    // Search over the imported data: filters combine, output is newest first.
    let out = ok(&[
        "incidents",
        "list",
        "--data",
        &d,
        "--country",
        "BFA",
        "--from",
        "2019-01-01",
        "--to",
        "2019-12-31",
        "--type",
        "battle",
        "--bbox",
        "-2,12,1,15",
        "--limit",
        "1000",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let incs = v["incidents"].as_array().unwrap();
    assert!(!incs.is_empty());
    let mut last = "9999".to_owned();
    for i in incs {
        assert_eq!(i["location"]["country"], "BFA");
        assert_eq!(i["event_type"], "battle");
        let start = i["date"]["start"].as_str().unwrap().to_owned();
        assert!(start.starts_with("2019") && start <= last);
        last = start;
        let (lat, lon) = (
            i["location"]["point"]["lat"].as_f64().unwrap(),
            i["location"]["point"]["lon"].as_f64().unwrap(),
        );
        assert!((12.0..=15.0).contains(&lat) && (-2.0..=1.0).contains(&lon));
    }
}

#[test]
fn the_damaged_niger_file_is_refused_line_by_line_and_nothing_half_stored() {
    let dir = tempfile::tempdir().unwrap();
    let d = init(dir.path());
    let niger = damaged_niger().display().to_string();
    let out = run(&["import", "ucdp", &niger, "--data", &d]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().unwrap();
    assert!(last.starts_with("liaison: import refused:"), "{last}");
    assert!(last.contains("nothing stored"));
    let line_errors = stderr.lines().filter(|l| l.contains(": line ")).count();
    assert!(
        line_errors > 10,
        "every bad record is named by its line:\n{stderr}"
    );
    assert_eq!(stats(&d), Sums::new(), "nothing of the file was stored");

    // With --skip-invalid the whole rows go in and each bad one is still reported.
    let out = run(&[
        "import",
        "ucdp",
        &niger,
        "--data",
        &d,
        "--skip-invalid",
        "--json",
    ]);
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &report["files"][0];
    let inserted = f["inserted"].as_u64().unwrap();
    let rejected = f["rejected"].as_u64().unwrap();
    assert!(inserted > 0 && rejected > 0);
    assert_eq!(f["rows"].as_u64().unwrap(), inserted + rejected);
    for e in f["errors"].as_array().unwrap() {
        assert!(e["line"].as_u64().unwrap() > 1);
        assert!(!e["reason"].as_str().unwrap().is_empty());
    }
    let total: u64 = stats(&d).values().map(|v| v.0).sum();
    assert_eq!(total, inserted);
}

#[test]
fn scenario_users_show_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = init(dir.path());
    let out = ok(&["scenario", "load", "sahel-2012", "--data", &d]);
    assert!(out.contains("incidents inserted"), "{out}");
    let again = ok(&["scenario", "load", "sahel-2012", "--data", &d]);
    assert!(again.contains(" 0 incidents inserted"), "{again}");

    let list = ok(&[
        "incidents",
        "list",
        "--data",
        &d,
        "--text",
        "gendarmes",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&list).unwrap();
    let hit = v["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["location"]["country"] == "DZA" && i["date"]["start"] == "2011-06-30")
        .expect("the Tamanrasset attack of 30 June 2011");
    assert_eq!(hit["casualties"]["fatalities"]["best"], 11);
    let id = hit["id"].as_str().unwrap();
    let shown: serde_json::Value =
        serde_json::from_str(&ok(&["incidents", "show", id, "--data", &d, "--json"])).unwrap();
    assert_eq!(shown["incident"]["id"], id);
    assert_eq!(shown["versions"][0]["version"], 1);
    let text = ok(&["incidents", "show", id, "--data", &d]);
    assert!(text.contains("fatalities: best 11"), "{text}");

    let out = ok(&[
        "user", "add", "awa", "--role", "analyst", "--data", &d, "--json",
    ]);
    let u: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(u["token"].as_str().unwrap().starts_with("lsn_"));
    let db = std::fs::read(dir.path().join("liaison.db")).unwrap();
    let token = u["token"].as_str().unwrap().as_bytes();
    assert!(
        !db.windows(token.len()).any(|w| w == token),
        "the token itself is never stored"
    );

    // Errors: one line on stderr naming what is wrong, exit code 1 (2 for usage).
    for (args, needle) in [
        (vec!["incidents", "show", "nope", "--data", &d], "not found"),
        (
            vec!["incidents", "list", "--data", &d, "--bbox", "1,2,3"],
            "--bbox",
        ),
        (
            vec!["incidents", "list", "--data", &d, "--from", "2020-13-01"],
            "--from",
        ),
        (
            vec!["incidents", "list", "--data", &d, "--type", "picnic"],
            "--type",
        ),
        (
            vec!["incidents", "list", "--data", &d, "--cursor", "zz"],
            "--cursor",
        ),
        (vec!["stats", "--data", &d, "--by", "colour"], "--by"),
        (
            vec!["user", "add", "awa", "--role", "analyst", "--data", &d],
            "exists",
        ),
        (vec!["init", "--data", &d, "--member", "MLI"], "already"),
        (
            vec!["init", "--data", "/tmp/x-liaison", "--member", "QQQ"],
            "--member",
        ),
        (
            vec!["scenario", "load", "atlantis", "--data", &d],
            "sahel-2012",
        ),
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    let out = run(&["incidents", "list"]);
    assert_eq!(out.status.code(), Some(2));
    let nowhere = dir.path().join("nowhere");
    let out = run(&["stats", "--data", nowhere.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("liaison init"));
}

fn http_get(addr: &str, path: &str, token: Option<&str>) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status = resp[9..12].parse().unwrap();
    let body = resp
        .split_once("\r\n\r\n")
        .map(|x| x.1.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn demo_prepares_a_node_and_serve_answers_over_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let node_dir = dir.path().join("demo");
    let out = ok(&[
        "demo",
        "--data",
        node_dir.to_str().unwrap(),
        "--no-serve",
        "--listen",
        "127.0.0.1:0",
    ]);
    let token = out
        .lines()
        .find_map(|l| l.strip_prefix("token: "))
        .unwrap()
        .trim()
        .to_owned();
    let d = node_dir.to_str().unwrap().to_owned();
    let total: u64 = stats(&d).values().map(|v| v.0).sum();
    assert!(total > 4_000, "scenario plus shipped UCDP events: {total}");
    // The example watch rules raised alerts on the scenario, not on the historical events.
    let alerts: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&["alerts", "list", "--data", &d, "--json"])).unwrap();
    assert!(
        (1..=20).contains(&alerts.len()),
        "{} alerts: {alerts:?}",
        alerts.len()
    );
    assert!(alerts.iter().all(|a| {
        a["incident_id"]
            .as_str()
            .unwrap()
            .starts_with("sahel-2012:")
    }));

    let mut child = bin()
        .args(["serve", "--data", &d, "--listen", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let line = lines.next().unwrap().unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap()
        .to_owned();
    let (status, _) = http_get(&addr, "/api/v1/incidents", None);
    assert_eq!(status, 401);
    let (status, body) = http_get(&addr, "/api/v1/stats?by=country", Some(&token));
    assert_eq!(status, 200, "{body}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(body.trim()).unwrap_or_default();
    let served: u64 = rows.iter().map(|r| r["incidents"].as_u64().unwrap()).sum();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(served, total);
}

/// The same node on PostgreSQL: `init --db postgres://…`, import, statistics and search give
/// the answers the SQLite node gives. Uses a schema of its own in `LIAISON_TEST_PG_URL`'s
/// database (created with `psql`), unless `LIAISON_TEST_PG=skip`.
#[test]
fn a_node_on_postgresql_answers_like_one_on_sqlite() {
    if std::env::var("LIAISON_TEST_PG").as_deref() == Ok("skip") {
        eprintln!("LIAISON_TEST_PG=skip: PostgreSQL node test NOT RUN");
        return;
    }
    let base = std::env::var("LIAISON_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let schema = format!("cli_{}", std::process::id());
    let psql = Command::new("psql")
        .args([
            base.as_str(),
            "-q",
            "-c",
            &format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"),
        ])
        .output()
        .expect("psql must be installed to run the PostgreSQL half");
    assert!(
        psql.status.success(),
        "{}",
        String::from_utf8_lossy(&psql.stderr)
    );
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");

    let pg_dir = tempfile::tempdir().unwrap();
    let pg = pg_dir.path().to_str().unwrap().to_owned();
    let out = ok(&["init", "--data", &pg, "--member", "MLI", "--db", &url]);
    assert!(out.contains("PostgreSQL"), "{out}");
    let lite_dir = tempfile::tempdir().unwrap();
    let lite = init(lite_dir.path());
    let mali = ucdp_file("ucdp_ged_Mali.csv").display().to_string();
    for d in [&pg, &lite] {
        ok(&["import", "ucdp", &mali, "--data", d]);
        ok(&["scenario", "load", "sahel-2012", "--data", d]);
    }
    assert_eq!(stats(&pg), stats(&lite));
    for args in [
        vec!["--text", "enlèvement"],
        vec!["--text", "Kidal attack"],
        vec!["--type", "explosion", "--from", "2011-01-01"],
        vec!["--bbox", "-5,14,2,18", "--to", "2015-12-31"],
    ] {
        let list = |d: &str| {
            let mut a = vec![
                "incidents",
                "list",
                "--data",
                d,
                "--limit",
                "1000",
                "--json",
            ];
            a.extend(args.iter().copied());
            let v: serde_json::Value = serde_json::from_str(&ok(&a)).unwrap();
            v["incidents"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        let (a, b) = (list(&pg), list(&lite));
        assert!(!a.is_empty(), "{args:?} finds something");
        assert_eq!(a, b, "{args:?}");
    }
    let _ = Command::new("psql")
        .args([
            base.as_str(),
            "-q",
            "-c",
            &format!("DROP SCHEMA {schema} CASCADE"),
        ])
        .output();
}

/// `liaison … | head`: the reader closes the pipe after a line; the program ends quietly with
/// SIGPIPE's status instead of a panic and a backtrace.
#[test]
fn a_reader_that_stops_early_ends_the_program_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    ok(&["init", "--data", d, "--member", "MLI"]);
    // Far more output than a pipe holds, so the writer is still writing when the reader goes.
    ok(&[
        "import",
        "ucdp",
        &common::repo("data/ucdp/ucdp_ged_Mali.csv"),
        "--data",
        d,
    ]);
    let mut child = common::bin()
        .args([
            "incidents",
            "list",
            "--data",
            d,
            "--limit",
            "1000",
            "--json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the pipe is closed with output still to come.
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!first.is_empty());
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(141), "{err}");
}

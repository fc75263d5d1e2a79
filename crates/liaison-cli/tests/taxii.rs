//! TAXII with real peers, over loopback: `liaison taxii pull` from medallion (the OASIS reference
//! server) started by the test, and the OASIS client check (`../shared/interop/taxii-check`, with
//! writes and Status polling) against `liaison serve`.
//!
//! Both need the interop venv that `../shared/interop/setup.sh` makes. Without it each test
//! prints a loud SKIPPED line and passes (CI has no venv); set `LIAISON_REQUIRE_INTEROP=1` to make
//! a missing venv a failure.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn venv() -> Option<PathBuf> {
    let v = std::env::var_os("LIAISON_INTEROP_VENV").map_or_else(
        || {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/liaison-interop-venv")
        },
        PathBuf::from,
    );
    // Both the venv and the tools beside the repository are needed: a clone elsewhere has the
    // venv in the home directory but not the tools.
    if v.join("bin/medallion").exists() && interop().join("taxii-check").exists() {
        return Some(v);
    }
    assert!(
        std::env::var("LIAISON_REQUIRE_INTEROP").as_deref() != Ok("1"),
        "no interop venv at {} or no tools at {}, and LIAISON_REQUIRE_INTEROP=1",
        v.display(),
        interop().display()
    );
    eprintln!(
        "SKIPPED: no interop venv at {} or no tools at {} (run ../shared/interop/setup.sh): TAXII interop test NOT RUN",
        v.display(),
        interop().display()
    );
    None
}

/// The interop tools: `LIAISON_INTEROP`, or `../shared/interop` beside the repository.
fn interop() -> PathBuf {
    std::env::var_os("LIAISON_INTEROP").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/interop"),
        PathBuf::from,
    )
}

fn liaison(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args(args)
        .env_remove("LIAISON_DATA")
        .env_remove("LIAISON_DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "liaison {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Kills the child when dropped, so a failed assertion leaves no server behind.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for(port: u16) {
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "port {port} never opened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

const COLL: &str = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";

fn note(i: u32, modified: &str) -> Value {
    json!({"type": "note", "spec_version": "2.1",
           "id": format!("note--00000000-0000-4000-8000-{i:012}"),
           "created": "2024-01-01T00:00:00.000Z", "modified": modified,
           "content": format!("note {i}"), "object_refs": ["incident--00000000-0000-4000-8000-000000000001"]})
}

/// medallion's memory-backend data file: one API root, one collection holding `groups` of
/// objects, each group sharing one `date_added`.
fn medallion_data(port: u16, groups: &[(&str, Vec<Value>)]) -> Value {
    let (mut objects, mut manifest) = (Vec::new(), Vec::new());
    for (date_added, objs) in groups {
        for o in objs {
            manifest.push(
                json!({"id": o["id"], "date_added": date_added, "version": o["modified"],
                                 "media_type": "application/stix+json;version=2.1"}),
            );
            objects.push(o.clone());
        }
    }
    json!({
        "/discovery": {"title": "medallion", "description": "test", "contact": "none",
                       "default": format!("http://127.0.0.1:{port}/api1/"),
                       "api_roots": [format!("http://127.0.0.1:{port}/api1/")]},
        "api1": {
            "information": {"title": "api1", "description": "test",
                            "versions": ["application/taxii+json;version=2.1"],
                            "max_content_length": 10_485_760},
            "status": [],
            "collections": [{"id": COLL, "title": "medallion incidents", "description": "test",
                             "can_read": true, "can_write": true,
                             "media_types": ["application/stix+json;version=2.1"],
                             "objects": objects, "manifest": manifest}]
        }
    })
}

fn pull(node: &str, port: u16, extra: &[&str]) -> Value {
    let url = format!("http://127.0.0.1:{port}/taxii2/");
    let mut args = vec![
        "taxii",
        "pull",
        &url,
        "--collection",
        COLL,
        "--user",
        "u",
        "--password",
        "p",
        "--data",
        node,
        "--json",
    ];
    args.extend_from_slice(extra);
    serde_json::from_str(&liaison(&args)).unwrap()
}

#[test]
fn pull_from_medallion() {
    let Some(venv) = venv() else { return };
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let v1 = "2024-02-01T00:00:00.000Z";
    let first: Vec<Value> = (0..30).map(|i| note(i, v1)).collect();
    let second: Vec<Value> = (30..50).map(|i| note(i, v1)).collect();
    let data = medallion_data(
        port,
        &[
            ("2024-05-01T10:00:00.000000Z", first),
            ("2024-05-01T11:00:00.000000Z", second),
            (
                "2024-05-01T12:00:00.000000Z",
                vec![note(0, "2024-03-01T00:00:00.000Z")],
            ),
        ],
    );
    let data_path = dir.path().join("data.json");
    std::fs::write(&data_path, data.to_string()).unwrap();
    let config = json!({"backend": {"module": "medallion.backends.memory_backend",
                                    "module_class": "MemoryBackend",
                                    "filename": data_path, "session_timeout": 600},
                        "users": {"u": "p"}, "taxii": {"max_page_size": 100}});
    let config_path = dir.path().join("config.json");
    std::fs::write(&config_path, config.to_string()).unwrap();
    let _medallion = Server(
        Command::new(venv.join("bin/medallion"))
            .args([
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--log-level",
                "ERROR",
            ])
            .arg(&config_path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for(port);

    let node = dir.path().join("node");
    let node = node.to_str().unwrap();
    liaison(&["init", "--data", node, "--member", "MLI"]);
    // An interrupted pull (2 pages of 7), then the rest: medallion's session token continues it.
    let r = pull(node, port, &["--limit", "7", "--max-pages", "2"]);
    assert_eq!(
        (r["added"].clone(), r["complete"].clone()),
        (json!(14), json!(false))
    );
    let r = pull(node, port, &["--limit", "7"]);
    assert_eq!(r["resumed_from"], "next");
    assert_eq!(
        (r["added"].clone(), r["unchanged"].clone()),
        (json!(37), json!(0))
    );
    assert_eq!(r["complete"], true);
    assert!(r["api_root"].as_str().unwrap().ends_with("/api1/"));
    let local = r["local_collection"].as_str().unwrap().to_owned();
    assert!(
        liaison(&["taxii", "collection", "list", "--data", node])
            .contains(&format!("{local} read-only  Pulled: medallion incidents"))
    );

    // Run again: medallion gives no token at the end, so the pull resumes after the last
    // date_added seen, and nothing is fetched.
    let r = pull(node, port, &[]);
    assert_eq!(r["resumed_from"], "added_after");
    assert_eq!(
        (r["fetched"].clone(), r["added"].clone()),
        (json!(0), json!(0))
    );

    // Objects added to medallion later arrive, and only they.
    let post = format!(
        r#"import json, requests
objs = [{}]
r = requests.post("http://127.0.0.1:{port}/api1/collections/{COLL}/objects/", auth=("u", "p"),
    data=json.dumps({{"objects": objs}}),
    headers={{"Accept": "application/taxii+json;version=2.1",
             "Content-Type": "application/taxii+json;version=2.1"}})
assert r.status_code == 202, r.text"#,
        (60..65)
            .map(|i| note(i, v1).to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    let st = Command::new(venv.join("bin/python"))
        .args(["-c", &post])
        .status()
        .unwrap();
    assert!(st.success());
    let r = pull(node, port, &[]);
    assert_eq!(
        (r["fetched"].clone(), r["added"].clone()),
        (json!(5), json!(5))
    );
    let r = pull(node, port, &[]);
    assert_eq!(r["fetched"], 0);
}

#[test]
fn taxii_check_against_liaison_serve() {
    let Some(venv) = venv() else { return };
    let dir = tempfile::tempdir().unwrap();
    let node = dir.path().join("node");
    let node = node.to_str().unwrap();
    let init = liaison(&["init", "--data", node, "--member", "MLI"]);
    let rw = init
        .split_whitespace()
        .skip_while(|w| *w != "collections:")
        .nth(1)
        .unwrap()
        .to_owned();
    let user: Value = serde_json::from_str(&liaison(&[
        "user", "add", "checker", "--role", "analyst", "--data", node, "--json",
    ]))
    .unwrap();
    let objects: Vec<Value> = (0..300)
        .map(|i| note(i, "2024-02-01T00:00:00.000Z"))
        .collect();
    let objects_path = dir.path().join("objects.json");
    std::fs::write(&objects_path, json!({ "objects": objects }).to_string()).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args(["serve", "--data", node, "--listen", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let _server = Server(child);
    let url = BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .find_map(|l| {
            l.split_whitespace()
                .find(|w| w.ends_with("/taxii2/"))
                .map(str::to_owned)
        })
        .unwrap();
    let out = Command::new(interop().join("taxii-check"))
        .args(["--url", &url, "--user", "checker", "--password"])
        .arg(user["token"].as_str().unwrap())
        .args(["--write-collection", &rw, "--objects"])
        .arg(&objects_path)
        .env("LIAISON_INTEROP_VENV", &venv)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    eprintln!("{report}");
    assert!(
        out.status.success(),
        "taxii-check failed: {}{report}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("write read-back"));
    assert!(report.contains("0 fail"));
}

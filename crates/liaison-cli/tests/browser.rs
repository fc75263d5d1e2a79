//! The web application in a real browser: makes the demo node with `liaison demo --no-serve`,
//! adds Mali's agreement with everyone, serves it with `liaison serve`, and runs the
//! Playwright suite `web/e2e/app.mjs` in headless Debian chromium against it (sign in, map
//! filters, an incident, the form invalid then valid, an agreement and its preview, French,
//! sign out). Screenshots and timings land in `target/e2e/`.
//!
//! It needs `/usr/bin/chromium`, Node.js and `web/node_modules` (`scripts/build-web` installs
//! them). Without them the test says it did not run, unless `LIAISON_REQUIRE_BROWSER=1` (set by
//! `.ci/run`), which makes their absence a failure.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use common::{bin, ok};

fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// Why the browser suite cannot run here, if it cannot.
fn missing_tools() -> Option<String> {
    if !Path::new("/usr/bin/chromium").exists() {
        return Some("/usr/bin/chromium is not installed (apt-get install chromium)".into());
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("Node.js is not installed".into());
    }
    if !repo().join("web/node_modules/playwright-core").exists() {
        return Some("web/node_modules is missing (run scripts/build-web)".into());
    }
    None
}

#[test]
fn the_web_application_works_in_a_real_browser() {
    if let Some(why) = missing_tools() {
        if std::env::var("LIAISON_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("browser suite required but {why}");
        }
        eprintln!("browser suite NOT RUN: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let node_dir = dir.path().join("demo");
    let d = node_dir.to_str().unwrap().to_owned();
    let out = ok(&[
        "demo",
        "--data",
        &d,
        "--no-serve",
        "--listen",
        "127.0.0.1:0",
    ]);
    let password = out
        .lines()
        .find_map(|l| l.split("password ").nth(1))
        .map(|p| p.trim_end_matches(')').trim().to_owned())
        .expect("demo prints the web password");
    let agreement = repo().join("docs/examples/agreements/mli-all.json");
    ok(&[
        "agreement",
        "add",
        agreement.to_str().unwrap(),
        "--data",
        &d,
    ]);

    let mut server = bin()
        .args(["serve", "--data", &d, "--listen", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The server's log is read to its end by a thread of its own: a full pipe would stall the
    // server, a closed one would make its next line fail.
    let (first_line, first) = std::sync::mpsc::channel();
    let stderr = server.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = first_line.send(line);
        }
    });
    let first = first.recv().unwrap();
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap()
        .to_owned();

    let artifacts = repo().join("target/e2e");
    let run = Command::new("node")
        .arg(repo().join("web/e2e/app.mjs"))
        .env("LIAISON_E2E_URL", format!("http://{addr}"))
        .env("LIAISON_E2E_PASSWORD", &password)
        .env("LIAISON_E2E_ARTIFACTS", &artifacts)
        .output()
        .unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    eprintln!("{stdout}{stderr}");
    assert!(
        run.status.success(),
        "the browser suite failed (screenshots in {}):\n{stdout}{stderr}",
        artifacts.display()
    );
}

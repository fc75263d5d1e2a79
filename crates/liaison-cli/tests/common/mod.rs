//! What the CLI tests share: running the `liaison` binary as a user would.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

/// The binary, with the environment that would change its behaviour removed.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_liaison"));
    c.env_remove("LIAISON_DATA")
        .env_remove("LIAISON_DATABASE_URL");
    c
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

/// Runs and returns stdout; fails the test with stderr if the command failed.
pub fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "liaison {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs a command expected to fail and returns its stderr.
pub fn fails(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        !out.status.success(),
        "liaison {args:?} succeeded: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr).unwrap()
}

/// A `liaison serve` process, killed when dropped.
pub struct Served {
    pub child: Child,
    pub url: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `serve` with a federation listener on a free port; returns once it prints its URL.
pub fn serve(dir: &str) -> Served {
    let mut child = bin()
        .args([
            "serve",
            "--data",
            dir,
            "--listen",
            "127.0.0.1:0",
            "--federation-listen",
            "127.0.0.1:0",
        ])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let url = loop {
        let line = lines.next().expect("serve exited").unwrap();
        if let Some(at) = line.find("https://") {
            break line[at..].trim().to_owned();
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Served { child, url }
}

/// A path inside the repository (the shipped data, the docs), as a string for arguments.
pub fn repo(path: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
        .display()
        .to_string()
}

/// A command's `--json` output, parsed; the output itself in the panic when it is not JSON.
pub fn json_of(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

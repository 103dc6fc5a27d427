//! `msme serve` answers over HTTP and stops cleanly on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::Msme;

/// Kills the server if the test fails half-way, so no process outlives it.
pub(crate) struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The first line the server prints, within `timeout`.
pub(crate) fn first_line(child: &mut Child, timeout: Duration) -> String {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    rx.recv_timeout(timeout)
        .expect("the server printed its URL")
}

#[cfg(unix)]
#[tokio::test]
async fn serve_answers_health_and_stops_on_sigterm() {
    // A fresh data directory: serve initialises it itself.
    let m = Msme::new();
    let child = m
        .command(&["serve", "--addr", "127.0.0.1:0", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let line = first_line(&mut server.0, Duration::from_secs(60));
    let announced: serde_json::Value =
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    let url = announced["url"].as_str().unwrap();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(announced["docs"], format!("{url}/docs"));
    assert!(m.data_dir.join("msme.toml").exists(), "serve ran init");

    let health = reqwest::get(format!("{url}/health")).await.unwrap();
    assert_eq!(health.status(), 200);

    let pid = server.0.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not stop after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "a clean shutdown exits 0, got {status}");
}

#[test]
fn a_bad_address_is_a_usage_error() {
    let m = Msme::new();
    let (code, stderr) = m.fails(&["serve", "--addr", "not-an-address"]);
    assert_eq!(code, 2);
    crate::common::assert_one_error_line(&stderr);
    assert!(stderr.contains("--addr"), "{stderr}");
}

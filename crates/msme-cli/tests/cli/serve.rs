//! `msme serve` answers over HTTP and stops cleanly on SIGTERM.

use std::time::Duration;

use crate::common::BIN;
use msme_testkit::Msme;

#[cfg(unix)]
#[tokio::test]
async fn serve_answers_health_and_stops_on_sigterm() {
    // A fresh data directory: serve initialises it itself.
    let m = Msme::new(BIN);
    let mut server = m.serve(&[]);
    let announced = server.announced();
    let url = announced["url"].as_str().unwrap();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(announced["docs"], format!("{url}/docs"));
    assert!(m.data_dir.join("msme.toml").exists(), "serve ran init");

    let health = reqwest::get(format!("{url}/health")).await.unwrap();
    assert_eq!(health.status(), 200);

    server.terminate();
    let status = server.exit_within(
        Duration::from_secs(20),
        "the server did not stop after SIGTERM",
    );
    assert!(status.success(), "a clean shutdown exits 0, got {status}");
}

#[test]
fn a_bad_address_is_a_usage_error() {
    let m = Msme::new(BIN);
    let (code, stderr) = m.fails(&["serve", "--addr", "not-an-address"]);
    assert_eq!(code, 2);
    msme_testkit::assert_one_error_line(&stderr);
    assert!(stderr.contains("--addr"), "{stderr}");
}

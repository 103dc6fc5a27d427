//! A process of the binary running beside the test, and its end.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

/// A process of the binary that runs beside the test (`msme serve`, `msme worker`), killed
/// if the test fails half-way, so that none outlives it.
pub struct Running {
    pub child: Child,
    /// The first line it printed: what `serve` and `worker` announce when they are ready.
    pub first_line: String,
}

impl Running {
    /// Waits (up to 60 s) for `child`, spawned with its stdout piped, to print its first line.
    pub fn started(mut child: Child) -> Self {
        let stdout = child.stdout.take().expect("stdout piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let mut running = Self {
            child,
            first_line: String::new(),
        };
        running.first_line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the process printed its first line");
        running
    }

    /// The first line as JSON (`serve --json` announces `url` and `docs`).
    pub fn announced(&self) -> Value {
        let line = &self.first_line;
        serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}"))
    }

    /// The URL `msme serve` announced.
    pub fn url(&self) -> String {
        let announced = self.announced();
        announced["url"].as_str().expect("url").to_string()
    }

    /// Waits (polling every 20 ms) for it to exit, failing with `what` after `within`.
    pub fn exit_within(&mut self, within: Duration, what: &str) -> ExitStatus {
        let exited = || self.child.try_wait().expect("try_wait");
        crate::wait::until_every(what, within, Duration::from_millis(20), exited)
    }

    /// Asks it to stop as an operator would (SIGTERM).
    pub fn terminate(&self) {
        let pid = self.child.id().to_string();
        let killed = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        assert!(killed.success());
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

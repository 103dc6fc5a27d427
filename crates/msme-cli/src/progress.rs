//! Progress bars on stderr for long commands, shown only to a person at a terminal: never
//! with `--json` and never when stderr is a pipe or file, so scripts see clean output.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::output::Output;

/// A bar of `len` steps with `what` as its label, or a hidden one when nobody watches.
pub fn bar(out: &Output, len: u64, what: &str, template: &str) -> ProgressBar {
    if out.json || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let pb = ProgressBar::new(len).with_style(style);
    pb.set_message(what.to_string());
    pb
}

/// A bar counting items: `label [=====>    ] 12/300 (eta)`.
pub fn items(out: &Output, len: u64, what: &str) -> ProgressBar {
    bar(out, len, what, "{msg:<20} [{bar:40}] {pos}/{len} ({eta})")
}

/// A bar counting bytes of a file being read.
pub fn bytes(out: &Output, len: u64, what: &str) -> ProgressBar {
    bar(out, len, what, "{msg:<20} [{bar:40}] {bytes}/{total_bytes}")
}

/// A spinner for one long step whose progress cannot be measured.
pub fn spinner(out: &Output, what: &str) -> ProgressBar {
    let pb = bar(out, 0, what, "{spinner} {msg}");
    if !pb.is_hidden() {
        pb.enable_steady_tick(Duration::from_millis(120));
    }
    pb
}

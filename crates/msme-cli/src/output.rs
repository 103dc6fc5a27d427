//! Writing results: text for people, or one JSON document for scripts (`--json`).

use std::io::Write;

use serde_json::Value;

/// Where command results go.
#[derive(Clone, Copy, Debug)]
pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints `json` with `--json`, else the text `text` builds.
    pub fn emit(&self, json: &Value, text: impl FnOnce() -> String) -> anyhow::Result<()> {
        let mut stdout = std::io::stdout().lock();
        if self.json {
            writeln!(stdout, "{json}")?;
        } else {
            let text = text();
            write!(stdout, "{text}")?;
            if !text.ends_with('\n') {
                writeln!(stdout)?;
            }
        }
        stdout.flush()?;
        Ok(())
    }
}

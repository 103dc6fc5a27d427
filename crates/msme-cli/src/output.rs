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

/// The text of a list: one line per item, or `empty` alone when there are none.
pub fn list_text<T>(items: &[T], empty: &str, row: impl FnMut(&T) -> String) -> String {
    if items.is_empty() {
        return empty.to_owned();
    }
    items.iter().map(row).collect::<Vec<_>>().join("\n")
}

/// The text of one page of a list: [`list_text`], then `more: --FLAG NEXT` when another page
/// follows.
pub fn page_text<T>(
    items: &[T],
    empty: &str,
    row: impl FnMut(&T) -> String,
    flag: &str,
    next: Option<impl std::fmt::Display>,
) -> String {
    let mut text = list_text(items, empty, row);
    if let Some(next) = next {
        text.push_str(&format!("\nmore: --{flag} {next}"));
    }
    text
}

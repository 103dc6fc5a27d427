//! Writing results: text for people, or one JSON document for scripts (`--json`).

use std::fmt::Display;
use std::io::Write;

use serde::Serialize;
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

/// The cursor of the page after `items`, from its last item: a full page (as long as `limit`)
/// may have more after it; a short one is the last.
pub fn next_after<T, C>(items: &[T], limit: u32, key: impl FnOnce(&T) -> C) -> Option<C> {
    if items.len() == limit as usize {
        items.last().map(key)
    } else {
        None
    }
}

impl Output {
    /// Prints one page of a list: `{"items", "next_cursor"}` with `--json`, else one `row` per
    /// item (or `empty`), then `more: --FLAG NEXT` when another page follows.
    pub fn page<T, C: Serialize + Display>(
        &self,
        items: &[T],
        next: Option<C>,
        flag: &str,
        empty: &str,
        json: impl FnMut(&T) -> Value,
        row: impl FnMut(&T) -> String,
    ) -> anyhow::Result<()> {
        let value = serde_json::json!({
            "items": items.iter().map(json).collect::<Vec<_>>(),
            "next_cursor": next,
        });
        self.emit(&value, || {
            let mut text = list_text(items, empty, row);
            if let Some(next) = &next {
                text.push_str(&format!("\nmore: --{flag} {next}"));
            }
            text
        })
    }
}

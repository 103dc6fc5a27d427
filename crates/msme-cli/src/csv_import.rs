//! What both CSV imports (`msme listing import`, `msme model import-comps`) share: the file
//! opened the same way (cells trimmed, errors naming the file), and bad rows reported the same
//! way (JSON objects and `line N: field: reason` lines, counted by row).

use std::fs::File;
use std::path::Path;

use csv::{Reader, StringRecord};
use msme_core::listing::RowError;
use serde_json::{json, Value};

use crate::error::InputError;

/// The file's reader, its cells trimmed, and its header row.
pub fn open(path: &Path) -> Result<(Reader<File>, StringRecord), InputError> {
    let file =
        File::open(path).map_err(|e| InputError(format!("cannot open {}: {e}", path.display())))?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(file);
    let header = reader
        .headers()
        .map_err(|e| InputError(format!("cannot read the header of {}: {e}", path.display())))?
        .clone();
    Ok((reader, header))
}

/// How many rows the errors fall on (`errors` sorted by line).
pub fn bad_rows(errors: &[RowError]) -> usize {
    let mut lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    lines.dedup();
    lines.len()
}

/// The errors as the `errors` array of an import's JSON report.
pub fn to_json(errors: &[RowError]) -> Vec<Value> {
    errors
        .iter()
        .map(|e| json!({"line": e.line, "field": e.field, "reason": e.reason}))
        .collect()
}

/// One `line N: field: reason` line an error.
pub fn lines(errors: &[RowError]) -> Vec<String> {
    errors
        .iter()
        .map(|e| format!("line {}: {}: {}", e.line, e.field, e.reason))
        .collect()
}

//! `msme listing import FILE.csv`: bulk import of listings as drafts of one seller.
//!
//! Every row is read and checked (with the core's own rules) before anything is saved, so one
//! run reports every bad row. The core then inserts the good rows in one transaction.

use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;
use indicatif::ProgressBar;
use msme_core::listing::{ListingContent, ListingInput, RowError};
use msme_core::types::UserId;
use serde_json::json;

use super::Ctx;
use crate::cli::ImportArgs;
use crate::csv_import;
use crate::error::InputError;
use crate::listing_csv::{Columns, CsvRow};
use crate::progress;

/// The rows of a file: those that passed every check, and what was wrong with the others.
#[derive(Debug, Default)]
struct Checked {
    good: Vec<CsvRow>,
    errors: Vec<RowError>,
    rows: usize,
}

impl Checked {
    /// Rows with at least one error.
    fn bad_rows(&self) -> usize {
        csv_import::bad_rows(&self.errors)
    }
}

/// Imports the file; exits 2 when rows were bad and nothing was imported.
pub async fn import(ctx: &Ctx, args: &ImportArgs) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let seller = platform.users().find(&ctx.operator(), &args.seller).await?;
    let today = platform.now().date_naive();
    let bar = progress::bytes(&ctx.out, file_len(&args.file), "checking rows");
    let path = args.file.clone();
    let reader_bar = bar.clone();
    let mut checked = tokio::task::spawn_blocking(move || check_file(&path, today, &reader_bar))
        .await
        .context("checking the file")??;
    bar.finish_and_clear();
    if !checked.errors.is_empty() && (!args.skip_invalid || checked.good.is_empty()) {
        return refuse(ctx, &seller.id, &checked);
    }
    if checked.good.is_empty() {
        return emit(ctx, &seller.id, &checked, 0);
    }
    let rows: Vec<(usize, ListingInput)> = checked
        .good
        .iter()
        .map(|r| (r.line, r.input.clone()))
        .collect();
    let spinner = progress::spinner(&ctx.out, &format!("saving {} listings", rows.len()));
    let report = platform
        .listings()
        .import(
            &ctx.meta(),
            &ctx.operator(),
            &seller.id,
            &rows,
            args.skip_invalid,
        )
        .await
        .context("saving the listings")?;
    spinner.finish_and_clear();
    // The core checks again; on a day boundary it could see a year as future that we did not.
    merge_core_errors(&mut checked, report.errors);
    if report.imported == 0 && !checked.errors.is_empty() {
        return refuse(ctx, &seller.id, &checked);
    }
    emit(ctx, &seller.id, &checked, report.imported)
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// Reads and checks every row; only a file that cannot be read at all is an error.
fn check_file(path: &Path, today: NaiveDate, bar: &ProgressBar) -> anyhow::Result<Checked> {
    let (mut reader, header) = csv_import::open(path)?;
    let columns = Columns::from_header(&header)?;
    let mut checked = Checked::default();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => check_row(&columns, &record, today, &mut checked),
            Err(e) => unreadable_row(e, &mut checked)?,
        }
        bar.set_position(reader.position().byte());
    }
    checked.errors.sort_by_key(|e| e.line);
    Ok(checked)
}

/// Checks one row with the same rules the core applies on import. The core stops at the first
/// failed check; it is reported unless it is about a cell already reported as unreadable.
fn check_row(columns: &Columns, record: &csv::StringRecord, today: NaiveDate, c: &mut Checked) {
    c.rows += 1;
    let line = record.position().map_or(0, |p| p.line() as usize);
    let (row, mut errors) = columns.row(record, line);
    match ListingContent::parse(&row.input, today) {
        Ok(_) if errors.is_empty() => c.good.push(row),
        Ok(_) => {}
        Err(e) => {
            let field = row.column_of(&e.field);
            if !errors.iter().any(|u| u.field == field) {
                errors.push(RowError {
                    line,
                    field,
                    reason: e.reason,
                });
            }
        }
    }
    c.errors.extend(errors);
}

/// A row the CSV reader could not split (wrong number of cells, not UTF-8) is a bad row;
/// an I/O failure ends the import.
fn unreadable_row(e: csv::Error, c: &mut Checked) -> anyhow::Result<()> {
    let line = e.position().map_or(0, |p| p.line() as usize);
    let reason = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("has {len} cells where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".to_string(),
        _ => return Err(anyhow::Error::new(e).context("reading the file")),
    };
    c.rows += 1;
    c.errors.push(RowError {
        line,
        field: "row".into(),
        reason,
    });
    Ok(())
}

/// Adds errors the core found, naming CSV columns, and drops those rows from the good ones.
fn merge_core_errors(c: &mut Checked, core: Vec<RowError>) {
    for e in core {
        let field = c
            .good
            .iter()
            .find(|r| r.line == e.line)
            .map_or(e.field.clone(), |r| r.column_of(&e.field));
        c.good.retain(|r| r.line != e.line);
        c.errors.push(RowError { field, ..e });
    }
    c.errors.sort_by_key(|e| e.line);
}

/// The report as JSON and as text lines (bad rows first, then the summary line).
fn report(seller: &UserId, c: &Checked, imported: usize) -> (serde_json::Value, String) {
    let json = json!({
        "seller_id": seller.as_str(),
        "rows": c.rows,
        "imported": imported,
        "invalid_rows": c.bad_rows(),
        "errors": csv_import::to_json(&c.errors),
    });
    let mut lines = csv_import::lines(&c.errors);
    if imported > 0 || c.errors.is_empty() {
        lines.push(format!(
            "imported {imported} of {} rows as drafts of {seller}",
            c.rows
        ));
    }
    (json, lines.join("\n"))
}

fn emit(ctx: &Ctx, seller: &UserId, c: &Checked, imported: usize) -> anyhow::Result<()> {
    let (json, text) = report(seller, c, imported);
    ctx.out.emit(&json, || {
        let skipped = c.bad_rows();
        if skipped > 0 {
            format!("{text}\ninvalid rows skipped: {skipped}")
        } else {
            text
        }
    })
}

/// Prints the bad rows and fails with exit status 2: nothing was imported.
fn refuse(ctx: &Ctx, seller: &UserId, c: &Checked) -> anyhow::Result<()> {
    let (json, text) = report(seller, c, 0);
    ctx.out.emit(&json, || text)?;
    let hint = if c.good.is_empty() {
        "no row is valid"
    } else {
        "fix them, or pass --skip-invalid to import the good rows"
    };
    Err(InputError(format!(
        "{} of {} rows are invalid; nothing was imported ({hint})",
        c.bad_rows(),
        c.rows
    ))
    .into())
}

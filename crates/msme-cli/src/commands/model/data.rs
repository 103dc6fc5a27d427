//! `msme model import-comps FILE.csv` and `msme model export FILE.csv`: comparable deals in,
//! the training set out.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use msme_core::listing::RowError;
use msme_core::model::{
    ComparableDeal, ComparableInput, ComparableSource, Example, Part, TrainingSet, FEATURES,
};
use serde_json::json;

use super::super::Ctx;
use crate::cli::{ExportModelArgs, ImportCompsArgs};
use crate::csv_import;
use crate::error::InputError;
use crate::listing_csv::YEAR_FIELDS;
use crate::progress;

/// Columns a file must have, in the order a missing one is named: these, one fiscal year's
/// figures (named as in a listing file, without the `fyN_` prefix), and `sale_price_paise`.
/// `employees` and `revenue_growth_bps` may be absent or empty.
const REQUIRED: [&str; 4] = ["industry", "state", "city", "year_established"];

fn required() -> impl Iterator<Item = &'static str> {
    REQUIRED
        .into_iter()
        .chain(YEAR_FIELDS)
        .chain(["sale_price_paise"])
}

/// A file's rows that could be read, and what was wrong with the others.
#[derive(Default)]
struct Read {
    rows: Vec<(usize, ComparableInput)>,
    errors: Vec<RowError>,
    lines: usize,
}

/// Imports the file's deals; exits 2 when rows were bad and nothing was imported. Every row
/// is checked here with the core's own rules first, so one run reports every bad row.
pub async fn import_comps(ctx: &Ctx, args: &ImportCompsArgs) -> anyhow::Result<()> {
    let path = args.file.clone();
    let mut read = tokio::task::spawn_blocking(move || read_file(&path))
        .await
        .context("reading the file")??;
    let platform = ctx.platform().await?;
    let now = platform.now();
    read.rows.retain(|(line, input)| {
        match ComparableDeal::parse(input, ComparableSource::Import, None, now) {
            Ok(_) => true,
            Err(errs) => {
                read.errors.extend(errs.into_iter().map(|e| RowError {
                    line: *line,
                    field: e.field,
                    reason: e.reason,
                }));
                false
            }
        }
    });
    read.errors.sort_by_key(|e| e.line);
    if !read.errors.is_empty() && (!args.skip_invalid || read.rows.is_empty()) {
        for line in csv_import::lines(&read.errors) {
            eprintln!("{line}");
        }
        return Err(InputError(format!(
            "{} of {} rows are invalid; nothing was imported (fix them, or pass --skip-invalid)",
            csv_import::bad_rows(&read.errors),
            read.lines
        ))
        .into());
    }
    let spinner = progress::spinner(&ctx.out, &format!("saving {} deals", read.rows.len()));
    let report = platform
        .models()
        .import_comparables(&ctx.meta(), &ctx.operator(), &read.rows, args.skip_invalid)
        .await
        .context("importing comparable deals")?;
    spinner.finish_and_clear();
    let kept = report.valid.saturating_sub(report.added);
    let json = json!({
        "rows": read.lines,
        "imported": report.added,
        "already_kept": kept,
        "errors": csv_import::to_json(&read.errors),
    });
    let mut lines = csv_import::lines(&read.errors);
    lines.push(format!(
        "imported {} of {} rows as comparable deals ({kept} already kept)",
        report.added, read.lines
    ));
    ctx.out.emit(&json, || lines.join("\n"))
}

fn read_file(path: &Path) -> anyhow::Result<Read> {
    let (mut reader, header) = csv_import::open(path)?;
    let columns: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.to_string(), i))
        .collect();
    let missing: Vec<&str> = required().filter(|c| !columns.contains_key(*c)).collect();
    if !missing.is_empty() {
        return Err(InputError(format!("the header lacks {}", missing.join(", "))).into());
    }
    let mut read = Read::default();
    for record in reader.records() {
        read.lines += 1;
        match record {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line() as usize);
                let mut cells = Cells {
                    columns: &columns,
                    record: &r,
                    line,
                    errors: Vec::new(),
                };
                let input = cells.input();
                if cells.errors.is_empty() {
                    read.rows.push((line, input));
                }
                read.errors.extend(cells.errors);
            }
            Err(e) => read.errors.push(RowError {
                line: e.position().map_or(0, |p| p.line() as usize),
                field: "row".into(),
                reason: format!("cannot be read: {e}"),
            }),
        }
    }
    Ok(read)
}

/// One row's cells by column name; cells that are not numbers are kept as errors.
struct Cells<'a> {
    columns: &'a HashMap<String, usize>,
    record: &'a csv::StringRecord,
    line: usize,
    errors: Vec<RowError>,
}

impl Cells<'_> {
    fn text(&self, name: &str) -> String {
        self.columns
            .get(name)
            .and_then(|&i| self.record.get(i))
            .unwrap_or("")
            .to_string()
    }

    fn number<T: std::str::FromStr + Default>(&mut self, name: &str) -> T {
        self.optional(name).unwrap_or_else(|| {
            if !self.errors.iter().any(|e| e.field == name) {
                self.errors.push(RowError {
                    line: self.line,
                    field: name.into(),
                    reason: "is required".into(),
                });
            }
            T::default()
        })
    }

    fn optional<T: std::str::FromStr>(&mut self, name: &str) -> Option<T> {
        let raw = self.text(name);
        if raw.is_empty() {
            return None;
        }
        let parsed = raw.parse().ok();
        if parsed.is_none() {
            self.errors.push(RowError {
                line: self.line,
                field: name.into(),
                reason: format!("`{raw}` is not a whole number"),
            });
        }
        parsed
    }

    fn input(&mut self) -> ComparableInput {
        ComparableInput {
            industry: self.text("industry"),
            state: self.text("state"),
            city: self.text("city"),
            year_established: self.number("year_established"),
            fiscal_year: self.number("fiscal_year"),
            employees: self.optional("employees"),
            revenue_paise: self.number("revenue_paise"),
            ebitda_paise: self.number("ebitda_paise"),
            net_profit_paise: self.number("net_profit_paise"),
            total_assets_paise: self.number("total_assets_paise"),
            total_liabilities_paise: self.number("total_liabilities_paise"),
            debt_paise: self.number("debt_paise"),
            revenue_growth_bps: self.optional("revenue_growth_bps"),
            sale_price_paise: self.number("sale_price_paise"),
        }
    }
}

/// Writes the training set, one row per deal.
pub async fn export(ctx: &Ctx, args: &ExportModelArgs) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let set = platform.models().training_set(&ctx.operator()).await?;
    let path = args.file.clone();
    let (n, fingerprint) = (set.len(), set.fingerprint.clone());
    tokio::task::spawn_blocking(move || write_set(&path, &set))
        .await
        .context("writing the file")??;
    let json = json!({ "rows": n, "data_fingerprint": fingerprint, "file": args.file });
    ctx.out.emit(&json, || {
        format!(
            "wrote {n} deals to {} (data {fingerprint})",
            args.file.display()
        )
    })
}

/// The columns of an exported training set.
pub fn header() -> Vec<String> {
    let mut h: Vec<String> = [
        "id",
        "part",
        "industry",
        "state",
        "industry_index",
        "state_index",
    ]
    .map(String::from)
    .into();
    h.extend(FEATURES[2..].iter().map(|f| (*f).to_string()));
    h.extend(["offset", "target", "price_paise"].map(String::from));
    h
}

fn cell(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        format!("{v}")
    }
}

fn write_set(path: &Path, set: &TrainingSet) -> anyhow::Result<()> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("creating {}", path.display()))?;
    w.write_record(header())?;
    let parts = [
        (Part::Train, &set.train),
        (Part::Calibration, &set.calibration),
        (Part::Test, &set.test),
    ];
    for (part, examples) in parts {
        for e in examples.iter() {
            w.write_record(row(part, e))?;
        }
    }
    w.flush()?;
    Ok(())
}

fn row(part: Part, e: &Example) -> Vec<String> {
    let f = &e.features;
    let mut r = vec![
        e.id.clone(),
        part.as_str().into(),
        f.industry_id().into(),
        f.state_code().into(),
        cell(f.values[0]),
        cell(f.values[1]),
    ];
    r.extend(f.values[2..].iter().map(|v| cell(*v)));
    r.extend([cell(f.offset), cell(e.target), cell(e.price)]);
    r
}

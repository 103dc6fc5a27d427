//! Figures for the trained valuation models (run with `cargo bench -p msme-models`):
//!
//! - training time on 100,000 comparable deals (demo deals priced by the documented process),
//!   every kind, on the cores the machine has;
//! - prediction latency per valuation (features of one business, the active model's estimate,
//!   its calibrated range and the explanation), single-threaded;
//! - interval coverage of the 80 % split-conformal range on the test part;
//! - accuracy against LightGBM and XGBoost: the training set (features, target, part) and our
//!   test predictions are written to `bench/out/`, and `bench/compare_boosters.py` trains both
//!   on the same rows with the same split and prints our test error divided by theirs (run
//!   here when `python3` with `lightgbm` and `xgboost` is found).
//!
//! `MSME_BENCH_DEALS` changes the number of deals (default 100,000).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::Utc;
use msme_core::model::explain::explain;
use msme_core::model::training::{self, Candidate, TrainingOptions};
use msme_core::model::{
    ComparableDeal, ComparableSource, Example, TrainSettings, TrainingSet, FEATURES,
};
use msme_demo::{closed_deals, comparables};
use msme_models::InProcessEngine;

const COVERAGE: f64 = 0.8;

fn main() {
    let n: usize = std::env::var("MSME_BENCH_DEALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    println!("valuation models: {n} comparable deals, {threads} cores");
    let started = Instant::now();
    let set = training_set(n);
    println!(
        "  training set      {:>8.2} s  ({} train, {} calibration, {} test)",
        started.elapsed().as_secs_f64(),
        set.train.len(),
        set.calibration.len(),
        set.test.len()
    );
    let opts = TrainingOptions {
        coverage: COVERAGE,
        settings: TrainSettings {
            budget: 1.0,
            threads: None,
        },
        ..TrainingOptions::default()
    };
    let mut stamps: Vec<(String, Instant)> = Vec::new();
    let started = Instant::now();
    let trained = training::train(&InProcessEngine, &set, &opts, &mut |stage: &str, _| {
        stamps.push((stage.to_string(), Instant::now()));
    })
    .expect("training");
    let total = started.elapsed();
    for pair in stamps.windows(2) {
        let took = pair[1].1 - pair[0].1;
        println!("  {:<18}{:>8.2} s", pair[0].0, took.as_secs_f64());
    }
    println!("  training, total   {:>8.2} s", total.as_secs_f64());
    for (i, c) in trained.candidates.iter().enumerate() {
        print_candidate(c, i == trained.selected);
    }
    let best = &trained.candidates[trained.selected];
    latency(best, &set);
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../bench/out");
    write_outputs(&out, &set, best);
    compare(&out);
}

fn training_set(n: usize) -> TrainingSet {
    let now = Utc::now();
    let deals: Vec<ComparableDeal> = comparables(2026, &closed_deals(2026, n))
        .into_iter()
        .map(|(r, input)| {
            ComparableDeal::parse(&input, ComparableSource::Demo, Some(r), now).expect("demo deal")
        })
        .collect();
    TrainingSet::from_deals(&deals)
}

fn print_candidate(c: &Candidate, chosen: bool) {
    let t = &c.test;
    println!(
        "  {:<9}{} test: MAPE {:.2}%  median APE {:.2}%  R² log {:.4}  RMSE log {:.4}  \
         coverage {:.2}% (stated {:.0}%, {:+.2} points)",
        c.model.kind(),
        if chosen { " (served)" } else { "         " },
        t.mape * 100.0,
        t.median_ape * 100.0,
        t.r2_log,
        t.rmse_log,
        t.coverage.unwrap_or(0.0) * 100.0,
        c.coverage * 100.0,
        (t.coverage.unwrap_or(0.0) - c.coverage) * 100.0
    );
}

/// What one valuation asks of the model: predict one row, its range, its explanation.
fn latency(c: &Candidate, set: &TrainingSet) {
    let rows: Vec<&Example> = set.test.iter().take(2000).collect();
    let mut times: Vec<Duration> = Vec::with_capacity(rows.len());
    let baseline = [0.0; FEATURES.len()];
    for e in &rows {
        let t = Instant::now();
        let p = c
            .model
            .predict(std::slice::from_ref(&e.features))
            .expect("predict")[0];
        let (low, high) = (p - c.half_width, p + c.half_width);
        let explained =
            explain(c.model.as_ref(), &e.features, Some(&baseline), 5).expect("explain");
        std::hint::black_box((low, high, explained));
        times.push(t.elapsed());
    }
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e6;
    println!(
        "  prediction latency per valuation ({}): p50 {:.1} µs, p99 {:.1} µs ({} valuations)",
        c.model.kind(),
        at(0.5),
        at(0.99),
        times.len()
    );
}

fn write_outputs(dir: &Path, set: &TrainingSet, best: &Candidate) {
    std::fs::create_dir_all(dir).expect("bench/out");
    let mut csv = String::from("id,part,industry_index,state_index");
    for f in &FEATURES[2..] {
        let _ = write!(csv, ",{f}");
    }
    csv.push_str(",offset,target,price_paise\n");
    for (part, examples) in [
        ("train", &set.train),
        ("calibration", &set.calibration),
        ("test", &set.test),
    ] {
        for e in examples {
            let v = &e.features.values;
            let _ = write!(csv, "{},{part}", e.id);
            for x in v {
                if x.is_nan() {
                    csv.push(',');
                } else {
                    let _ = write!(csv, ",{x}");
                }
            }
            let _ = writeln!(csv, ",{},{},{}", e.features.offset, e.target, e.price);
        }
    }
    std::fs::write(dir.join("training_set.csv"), csv).expect("write training set");
    let rows: Vec<_> = set.test.iter().map(|e| e.features.clone()).collect();
    let preds = best.model.predict(&rows).expect("predict");
    let mut ours = String::from("id,prediction\n");
    for (e, p) in set.test.iter().zip(preds) {
        let _ = writeln!(ours, "{},{p}", e.id);
    }
    std::fs::write(dir.join("ours.csv"), ours).expect("write predictions");
    println!("  wrote {}/training_set.csv and ours.csv", dir.display());
}

fn compare(dir: &Path) {
    let script = dir.join("../compare_boosters.py");
    let run = std::process::Command::new("python3")
        .arg(&script)
        .arg(dir)
        .status();
    match run {
        Ok(s) if s.success() => {}
        _ => println!(
            "  LightGBM/XGBoost comparison not run: pip install lightgbm xgboost pandas, then \
             python3 {} {}",
            script.display(),
            dir.display()
        ),
    }
}

//! The CatBoost fixture (made by fixtures/make_model.py with the real `catboost` package from
//! PyPI) served through the bundled library: the same predictions as Python, categorical
//! features included; bad files refused; explanations by substitution.

use std::collections::HashMap;
use std::path::PathBuf;

use msme_catboost::CatBoostEngine;
use msme_core::model::engine::CATBOOST;
use msme_core::model::explain::{explain, SUBSTITUTION};
use msme_core::model::{FeatureRow, ModelEngine, ModelError, FEATURE_COUNT};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// The exported rows by id: features as the models see them.
fn rows() -> HashMap<String, FeatureRow> {
    let mut reader = csv::Reader::from_path(fixture("training_set.csv")).expect("fixture csv");
    let header = reader.headers().expect("header").clone();
    let at = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (first, offset) = (at("industry_index"), at("offset"));
    reader
        .records()
        .map(|r| {
            let r = r.expect("row");
            let num = |i: usize| r[i].parse::<f64>().unwrap_or(f64::NAN);
            let mut values = [0.0; FEATURE_COUNT];
            for (j, v) in values.iter_mut().enumerate() {
                *v = num(first + j);
            }
            let row = FeatureRow {
                values,
                offset: num(offset),
            };
            (r[0].to_string(), row)
        })
        .collect()
}

#[derive(serde::Deserialize)]
struct Expected {
    ids: Vec<String>,
    predictions: Vec<f64>,
}

fn expected() -> Expected {
    let text = std::fs::read_to_string(fixture("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("expected predictions")
}

#[test]
fn a_python_model_predicts_here_what_it_predicted_in_python() {
    let file = std::fs::read(fixture("model.cbm")).expect("model.cbm");
    let model = CatBoostEngine.load(CATBOOST, &file).expect("load");
    let rows = rows();
    let e = expected();
    let batch: Vec<FeatureRow> = e.ids.iter().map(|id| rows[id].clone()).collect();
    assert!(batch.len() > 100);
    let got = model.predict(&batch).expect("predict");
    for ((id, want), got) in e.ids.iter().zip(&e.predictions).zip(&got) {
        assert!((want - got).abs() < 1e-9, "{id}: python {want}, here {got}");
    }
    // The categorical features matter: another industry and state give another answer.
    let mut moved = batch[0].clone();
    moved.values[0] = (moved.values[0] + 7.0) % 35.0;
    moved.values[1] = (moved.values[1] + 5.0) % 36.0;
    let other = model.predict(&[moved]).expect("predict")[0];
    assert!((other - got[0]).abs() > 1e-6, "{other} vs {}", got[0]);
    // The file kept is the file given, and loads again.
    assert_eq!(model.artifact().expect("file"), file);
    let again = CatBoostEngine.load(CATBOOST, &file).expect("reload");
    assert_eq!(
        again.predict(&batch[..5]).expect("predict"),
        got[..5].to_vec()
    );
}

#[test]
fn a_file_that_is_not_a_catboost_model_is_refused() {
    let err = CatBoostEngine
        .load(CATBOOST, b"not a model at all")
        .err()
        .expect("refused");
    assert!(matches!(err, ModelError::Artifact(_)), "{err:?}");
    let err = CatBoostEngine.load("gbt", b"").err().expect("not ours");
    assert!(matches!(err, ModelError::UnknownKind(_)), "{err:?}");
    assert!(CatBoostEngine.trainable_kinds().is_empty());
}

#[test]
fn a_catboost_estimate_is_explained_by_substitution() {
    let file = std::fs::read(fixture("model.cbm")).expect("model.cbm");
    let model = CatBoostEngine.load(CATBOOST, &file).expect("load");
    let rows = rows();
    let row = rows.values().next().expect("a row").clone();
    let baseline = rows.values().nth(1).expect("another row").values;
    let (effects, method) = explain(model.as_ref(), &row, Some(&baseline), 5).expect("explain");
    assert_eq!(method, SUBSTITUTION);
    assert!(!effects.is_empty() && effects.len() <= 5);
    // Largest first in log terms (a halving weighs as much as a doubling).
    let sizes: Vec<f64> = effects
        .iter()
        .map(|e| (1.0 + e.effect_pct / 100.0).ln().abs())
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
}

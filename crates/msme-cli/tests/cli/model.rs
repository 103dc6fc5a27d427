//! `msme model` through the real binary: comparable deals in (and bad rows refused by line),
//! training with every candidate registered, activation and rollback, evaluation, a CatBoost
//! model imported beside them, valuations using the active model, and an installed copy of the
//! binary finding the CatBoost library without `LD_LIBRARY_PATH`.

use std::path::{Path, PathBuf};

use msme_demo::generate;
use serde_json::Value;

use crate::common::BIN;
use msme_testkit::{json_of, Msme};

fn write_deals(path: &Path, n_listings: usize) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record([
        "industry",
        "state",
        "city",
        "year_established",
        "fiscal_year",
        "employees",
        "revenue_paise",
        "ebitda_paise",
        "net_profit_paise",
        "total_assets_paise",
        "total_liabilities_paise",
        "debt_paise",
        "revenue_growth_bps",
        "sale_price_paise",
    ])
    .unwrap();
    for d in &generate(11, n_listings).closed_deals {
        let i = d.comparable_input();
        let opt = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
        w.write_record([
            i.industry,
            i.state,
            i.city,
            i.year_established.to_string(),
            i.fiscal_year.to_string(),
            opt(i.employees),
            i.revenue_paise.to_string(),
            i.ebitda_paise.to_string(),
            i.net_profit_paise.to_string(),
            i.total_assets_paise.to_string(),
            i.total_liabilities_paise.to_string(),
            i.debt_paise.to_string(),
            opt(i.revenue_growth_bps),
            i.sale_price_paise.to_string(),
        ])
        .unwrap();
    }
    w.flush().unwrap();
}

fn fixture(name: &str) -> String {
    format!(
        "{}/../backends/catboost/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn example(name: &str) -> String {
    format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn active(m: &Msme) -> Option<String> {
    let list = m.json(&["model", "list"]);
    let items = list["items"].as_array().unwrap();
    let mut on = items.iter().filter(|v| v["active"] == true);
    let id = on.next().map(|v| v["id"].as_str().unwrap().to_string());
    assert!(on.next().is_none(), "one active version at most: {list}");
    id
}

/// Deals from a file that has good and bad rows: refused whole, every bad row named.
#[test]
fn bad_rows_are_reported_by_line_and_nothing_is_imported() {
    let m = Msme::initialised(BIN);
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    let good = std::fs::read_to_string(example("comparables.csv")).unwrap();
    let mut text = good.clone();
    text.push_str("alchemy,Atlantis,Nowhere,2008,2025,4,100,10,5,50,20,10,,0\n");
    text.push_str("machinery,MH,Pune,2008,2025,4,lots,10,5,50,20,10,,100\n");
    std::fs::write(&bad, text).unwrap();
    let (code, stderr) = m.fails(&["model", "import-comps", bad.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    for want in [
        "line 6: industry",
        "line 6: state",
        "line 6: sale_price_paise",
        "line 7: revenue_paise",
        "nothing was imported",
    ] {
        assert!(stderr.contains(want), "{want} missing from: {stderr}");
    }
    assert_eq!(m.json(&["model", "list"])["items"], Value::Array(vec![]));
    let out = m.json(&[
        "model",
        "import-comps",
        bad.to_str().unwrap(),
        "--skip-invalid",
    ]);
    assert_eq!(
        (
            out["imported"].as_u64(),
            out["errors"].as_array().unwrap().len()
        ),
        (Some(4), 4)
    );
    let again = m.json(&["model", "import-comps", &example("comparables.csv")]);
    assert_eq!(
        (again["imported"].as_u64(), again["already_kept"].as_u64()),
        (Some(0), Some(4))
    );
}

/// Train, list, roll back, evaluate, import CatBoost, valuate with the active model.
fn train_activate_roll_back_and_serve(m: Msme) {
    let dir = tempfile::tempdir().unwrap();
    let deals = dir.path().join("deals.csv");
    write_deals(&deals, 1000);
    let imported = m.json(&["model", "import-comps", deals.to_str().unwrap()]);
    assert_eq!(imported["imported"].as_u64(), Some(600));
    let fewer = m.fails(&["model", "train", "--coverage", "0.3"]);
    assert_eq!(fewer.0, 2, "{}", fewer.1);

    let first = m.json(&["model", "train", "--budget", "0.5"]);
    let versions = first["versions"].as_array().unwrap();
    let kinds: Vec<&str> = versions
        .iter()
        .map(|v| v["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"gbt") && kinds.contains(&"ridge"),
        "{kinds:?}"
    );
    let chosen = first["selected"].as_str().unwrap().to_string();
    assert_eq!(versions[0]["id"], chosen.as_str());
    assert_eq!(versions[0]["selected"], true);
    for v in versions {
        assert_eq!(v["data_fingerprint"].as_str().unwrap().len(), 64);
        let test = &v["test"];
        assert!(
            test["mape"].as_f64().unwrap() > 0.0 && test["r2_log"].as_f64().unwrap() > 0.8,
            "{v}"
        );
        assert!(test["coverage"].as_f64().unwrap() > 0.6, "{v}");
    }
    assert_eq!(active(&m), Some(chosen.clone()));

    let second = m.json(&["model", "train", "--kind", "ridge"]);
    let ridge = second["selected"].as_str().unwrap().to_string();
    assert_eq!(active(&m), Some(ridge.clone()));
    m.ok(&["model", "activate", &chosen]);
    assert_eq!(active(&m), Some(chosen.clone()), "rolled back");
    let (code, stderr) = m.fails(&["model", "activate", "0193a0c4-0000-7000-8000-000000000009"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(active(&m), Some(chosen.clone()));

    let e = m.json(&["model", "evaluate"]);
    assert_eq!(e["version"]["id"], chosen.as_str());
    assert_eq!(e["data_fingerprint"], e["version"]["data_fingerprint"]);

    let cb = m.json(&[
        "model",
        "import",
        "--format",
        "catboost",
        &fixture("model.cbm"),
    ]);
    assert_eq!(
        (
            cb["kind"].as_str(),
            cb["origin"].as_str(),
            cb["active"].as_bool()
        ),
        (Some("catboost"), Some("imported"), Some(false))
    );
    assert!(cb["test"]["r2_log"].as_f64().unwrap() > 0.8, "{cb}");
    m.ok(&["model", "activate", cb["id"].as_str().unwrap()]);
    let v = m.json(&["valuate", "--file", &example("financials.json")]);
    let model = &v["model"];
    assert_eq!(model["kind"], "catboost");
    assert_eq!(model["explanation_method"], "substitution");
    assert!(!model["top_features"].as_array().unwrap().is_empty());
    let line = v["methods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["method"] == "model")
        .unwrap();
    assert!(line["weight"].as_f64().unwrap() > 0.0);
    assert_eq!(v["coverage"].as_f64(), Some(0.8));
    assert!(v["low_paise"].as_i64() <= model["low_paise"].as_i64());

    let garbage = dir.path().join("garbage.cbm");
    std::fs::write(&garbage, b"not a model").unwrap();
    let (code, stderr) = m.fails(&[
        "model",
        "import",
        "--format",
        "catboost",
        garbage.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stderr}");
}

/// A copy of the binary in `bin/` with the library in `lib/` (as installed) runs a CatBoost
/// import with no `LD_LIBRARY_PATH`.
#[test]
fn an_installed_binary_finds_the_catboost_library() {
    let built = PathBuf::from(BIN);
    let library = built.parent().unwrap().join("libcatboostmodel.so.1");
    assert!(
        library.is_file(),
        "the build script puts the library beside the binary"
    );
    let prefix = tempfile::tempdir().unwrap();
    let (bin, lib) = (prefix.path().join("bin"), prefix.path().join("lib"));
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::copy(&built, bin.join("msme")).unwrap();
    std::fs::copy(&library, lib.join("libcatboostmodel.so.1")).unwrap();
    let m = Msme::initialised(BIN);
    let deals = prefix.path().join("deals.csv");
    write_deals(&deals, 600);
    m.ok(&["model", "import-comps", deals.to_str().unwrap()]);
    let v = json_of(
        std::process::Command::new(bin.join("msme"))
            .env_remove("LD_LIBRARY_PATH")
            .arg("--data-dir")
            .arg(&m.data_dir)
            .args([
                "--json",
                "model",
                "import",
                "--format",
                "catboost",
                &fixture("model.cbm"),
            ]),
    );
    assert_eq!(v["kind"], "catboost");
}

msme_testkit::on_each_backend!(cli(crate::common::BIN): train_activate_roll_back_and_serve,);

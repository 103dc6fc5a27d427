//! `msme listing import FILE.csv` through the real binary.

use crate::common::{example_csv, listing_ids, BIN};
use msme_testkit::{assert_one_error_line, Msme};
use serde_json::Value;

const HEADER: &str = "title,description,industry,city,state,year_established,employees,\
deal_type,asking_price_paise,anonymous,fy1_fiscal_year,fy1_revenue_paise,fy1_ebitda_paise,\
fy1_net_profit_paise,fy1_total_assets_paise,fy1_total_liabilities_paise,fy1_debt_paise";

/// A good row (Pune engineering works) with a title and the given price and EBITDA cells.
fn row(title: &str, price: &str, ebitda: &str) -> String {
    format!(
        "{title},\"Family-run fabrication works supplying steel structures to builders.\",\
steel_metals,Pune,Maharashtra,2001,35,full_sale,{price},no,\
2025,500000000,{ebitda},40000000,300000000,120000000,60000000"
    )
}

/// Four rows; line 3 has a price that is not a number, line 5 EBITDA above revenue.
fn two_bad_rows() -> String {
    [
        HEADER.to_string(),
        row("Fabrication works one", "250000000", "70000000"),
        row("Fabrication works two", "25O0000OO", "70000000"),
        row("Fabrication works three", "250000000", "70000000"),
        row("Fabrication works four", "250000000", "900000000"),
    ]
    .join("\n")
}

fn seller(m: &Msme) -> String {
    let s = m.create_user("Asha Rao", "9876543210", "seller");
    s["user"]["id"].as_str().unwrap().to_string()
}

fn listing_count(m: &Msme) -> usize {
    listing_ids(m).len()
}

/// An initialised directory with the seller, and a file with [`two_bad_rows`].
fn with_bad_file() -> (Msme, String) {
    let m = Msme::initialised(BIN);
    seller(&m);
    let csv = m.file("bad.csv", &two_bad_rows());
    (m, csv)
}

#[test]
fn a_good_file_is_imported_as_drafts_of_the_seller() {
    let m = Msme::initialised(BIN);
    let id = seller(&m);
    let report = m.json(&["listing", "import", &example_csv(), "--seller", &id]);
    assert_eq!(report["rows"], 3);
    assert_eq!(report["imported"], 3);
    assert_eq!(report["invalid_rows"], 0);
    assert_eq!(report["seller_id"], id.as_str());
    let list = m.json(&[
        "listing",
        "list",
        "--status",
        "draft",
        "--seller",
        "9876543210",
    ]);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let cloud = items
        .iter()
        .find(|l| l["industry"] == "it_services")
        .unwrap();
    assert_eq!(cloud["anonymous"], true);
    assert!(cloud["financials"].as_array().unwrap().is_empty());
    let spices = items
        .iter()
        .find(|l| l["state"] == "Andhra Pradesh")
        .unwrap();
    assert_eq!(spices["financials"].as_array().unwrap().len(), 2);

    let text = m.ok(&["listing", "import", &example_csv(), "--seller", &id]);
    assert!(text.contains("imported 3 of 3 rows"), "{text}");
}

/// Imports `csv` for the seller with `--json`, expecting the refusal (exit 2); its report
/// and its stderr.
fn refused(m: &Msme, csv: &str) -> (Value, String) {
    let args = ["listing", "import", csv, "--seller", "9876543210", "--json"];
    let out = m.run(&args);
    assert_eq!(out.status.code(), Some(2));
    let report = serde_json::from_slice(&out.stdout).unwrap();
    (report, String::from_utf8(out.stderr).unwrap())
}

/// The reported errors as (line, field) pairs.
fn errors(report: &Value) -> Vec<(i64, String)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert!(!e["reason"].as_str().unwrap().is_empty());
            (
                e["line"].as_i64().unwrap(),
                e["field"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_file_with_bad_rows_imports_nothing_and_names_each_row() {
    let (m, csv) = with_bad_file();
    let (report, stderr) = refused(&m, &csv);
    assert_eq!(report["imported"], 0);
    assert_eq!(report["rows"], 4);
    assert_eq!(report["invalid_rows"], 2);
    assert_eq!(
        errors(&report),
        [
            (3, "asking_price_paise".to_string()),
            (5, "fy1_ebitda_paise".to_string())
        ]
    );
    assert_one_error_line(&stderr);
    assert!(
        stderr.contains("2 of 4 rows are invalid; nothing was imported"),
        "{stderr}"
    );
    assert_eq!(listing_count(&m), 0);

    let out = m.run(&["listing", "import", &csv, "--seller", "9876543210"]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("line 3: asking_price_paise: `25O0000OO`"),
        "{text}"
    );
    assert!(
        text.contains("line 5: fy1_ebitda_paise: EBITDA cannot be more than revenue"),
        "{text}"
    );
    assert_eq!(listing_count(&m), 0);
}

#[test]
fn skip_invalid_imports_the_good_rows_and_still_reports_the_bad() {
    let (m, csv) = with_bad_file();
    let report = m.json(&[
        "listing",
        "import",
        &csv,
        "--seller",
        "9876543210",
        "--skip-invalid",
    ]);
    assert_eq!(report["imported"], 2);
    assert_eq!(report["invalid_rows"], 2);
    assert_eq!(errors(&report).len(), 2);
    let titles: Vec<String> = m.json(&["listing", "list"])["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles.len(), 2);
    assert!(titles.contains(&"Fabrication works one".to_string()));
    assert!(titles.contains(&"Fabrication works three".to_string()));
}

#[test]
fn unusable_files_and_sellers_fail_with_one_line() {
    let m = Msme::initialised(BIN);
    seller(&m);
    let buyer = m.create_user("Ravi Kumar", "9123456789", "buyer");
    let buyer = buyer["user"]["id"].as_str().unwrap();
    let (code, stderr) = m.fails(&["listing", "import", &example_csv(), "--seller", buyer]);
    assert_eq!(code, 2);
    assert_one_error_line(&stderr);
    assert!(stderr.contains("cannot list"), "{stderr}");

    let unknown = m.file("typo.csv", &format!("{HEADER},colour\n"));
    let (code, stderr) = m.fails(&["listing", "import", &unknown, "--seller", "9876543210"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown column `colour`"), "{stderr}");

    let short = m.file("short.csv", &format!("{HEADER}\nonly,three,cells\n"));
    let (code, _) = m.fails(&["listing", "import", &short, "--seller", "9876543210"]);
    assert_eq!(code, 2);
    let (code, stderr) = m.fails(&[
        "listing",
        "import",
        "/no/such.csv",
        "--seller",
        "9876543210",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot open"), "{stderr}");
    assert_eq!(listing_count(&m), 0);
}

#[test]
fn a_row_reports_its_unreadable_cells_and_the_first_failed_check() {
    let m = Msme::initialised(BIN);
    seller(&m);
    let csv = m.file(
        "mixed.csv",
        "title,description,industry,city,state,year_established,employees,deal_type,\
asking_price_paise\nBeach cafe,too short,restaurants,Panaji,GA,2015,nine,asset_sale,2500000000\n",
    );
    let (report, _) = refused(&m, &csv);
    assert_eq!(
        errors(&report),
        [(2, "employees".to_string()), (2, "description".to_string())]
    );
    assert_eq!(report["invalid_rows"], 1);
}

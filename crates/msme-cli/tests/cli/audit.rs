//! `msme audit verify|export` through the real binary, including a tampered audit table.

use crate::common::BIN;
use msme_testkit::{assert_one_error_line, Msme};
use serde_json::Value;

/// A data directory with a few audited changes.
fn with_history() -> Msme {
    let m = Msme::initialised(BIN);
    let seller = m.create_user("Asha Rao", "9876543210", "seller");
    m.create_user("Ravi Kumar", "9123456789", "buyer");
    let id = seller["user"]["id"].as_str().unwrap().to_string();
    m.ok(&["user", "disable", &id]);
    m
}

#[test]
fn an_untouched_chain_verifies() {
    let m = with_history();
    let text = m.ok(&["audit", "verify"]);
    assert!(text.starts_with("audit chain intact: 3 entries"), "{text}");
    let v = m.json(&["audit", "verify"]);
    assert_eq!(v["intact"], true);
    assert_eq!(v["entries"], 3);
}

#[test]
fn editing_one_audit_row_fails_verify_naming_that_entry() {
    let m = with_history();
    let db = rusqlite::Connection::open(m.database()).unwrap();
    let changed = db
        .execute(
            "UPDATE audit_log SET details = ?1 WHERE seq = 2",
            [r#"{"mobile":"+91******6789","role":"admin"}"#],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(db);

    let (code, stderr) = m.fails(&["audit", "verify"]);
    assert_eq!(code, 1);
    assert_one_error_line(&stderr);
    assert!(stderr.contains("broken at entry 2"), "{stderr}");
    assert!(stderr.contains("altered"), "{stderr}");

    let out = m.run(&["audit", "verify", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["intact"], false);
    assert_eq!(v["broken_seq"], 2);
    assert_eq!(v["problem"], "altered");
}

#[test]
fn a_removed_row_is_named_too() {
    let m = with_history();
    let db = rusqlite::Connection::open(m.database()).unwrap();
    db.execute("DELETE FROM audit_log WHERE seq = 3", [])
        .unwrap();
    drop(db);
    let (code, stderr) = m.fails(&["audit", "verify"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("entry 3"), "{stderr}");
}

#[test]
fn export_writes_one_json_line_per_entry() {
    let m = with_history();
    let stdout = m.ok(&["audit", "export"]);
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let fields = [
        "seq",
        "at",
        "actor",
        "action",
        "entity_type",
        "entity_id",
        "request_id",
        "details",
        "prev_hash",
        "hash",
    ];
    for (i, entry) in lines.iter().enumerate() {
        assert_eq!(entry["seq"], i as i64 + 1);
        for f in fields {
            assert!(entry.get(f).is_some(), "entry {i} lacks {f}: {entry}");
        }
        assert_eq!(entry["actor"], "operator");
    }
    assert_eq!(lines[1]["prev_hash"], lines[0]["hash"]);
    assert_eq!(lines[2]["action"], "user.disabled");

    let file = m.data_dir.join("export.jsonl");
    let summary = m.json(&[
        "audit",
        "export",
        "--after",
        "1",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(summary["exported"], 2);
    let written = std::fs::read_to_string(&file).unwrap();
    let first: Value = serde_json::from_str(written.lines().next().unwrap()).unwrap();
    assert_eq!(first["seq"], 2);
}

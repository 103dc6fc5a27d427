//! `msme init` and `msme user ...` through the real binary.

use crate::common::BIN;
use msme_testkit::{assert_one_error_line, Msme};

#[test]
fn init_creates_the_data_dir_and_is_safe_to_repeat() {
    let m = Msme::new(BIN);
    let first = m.json(&["init"]);
    assert_eq!(first["generated_secret"], true);
    assert_eq!(first["backend"], "sqlite");
    assert!(first["schema_version"].as_i64().unwrap() >= 1);
    let settings = std::fs::read_to_string(m.data_dir.join("msme.toml")).unwrap();
    assert!(settings.contains("jwt_secret"));

    let second = m.json(&["init"]);
    assert_eq!(second["generated_secret"], false);
    let again = std::fs::read_to_string(m.data_dir.join("msme.toml")).unwrap();
    assert_eq!(settings, again, "the secret is kept");
    assert!(m.ok(&["migrate"]).contains("schema version"));
}

fn users_are_created_listed_shown_disabled_enabled_and_re_roled(m: Msme) {
    let created = m.create_user("Asha Rao", "98765 43210", "seller");
    let user = &created["user"];
    let id = user["id"].as_str().unwrap();
    assert_eq!(user["mobile"], "+919876543210");
    assert_eq!(user["role"], "seller");
    assert!(created["mfa"].is_null());
    assert!(user.get("password_hash").is_none());
    m.create_user("Ravi Kumar", "9123456789", "buyer");

    let list = m.json(&["user", "list"]);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(list["next_cursor"].is_null());
    let page = m.json(&["user", "list", "--limit", "1"]);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = m.json(&["user", "list", "--after", cursor]);
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_ne!(rest["items"][0]["id"], page["items"][0]["id"]);

    assert_eq!(m.json(&["user", "show", id])["name"], "Asha Rao");
    assert_eq!(m.json(&["user", "show", "+91 98765 43210"])["id"], id);
    assert_eq!(m.json(&["user", "disable", id])["status"], "disabled");
    assert_eq!(m.json(&["user", "show", id])["status"], "disabled");
    assert_eq!(m.json(&["user", "enable", id])["status"], "active");
    let changed = m.json(&["user", "set-role", id, "agent"]);
    assert_eq!(changed["user"]["role"], "agent");
    assert_eq!(m.json(&["user", "show", id])["role"], "agent");
}

fn an_admin_gets_a_totp_secret_printed_once(m: Msme) {
    let text = m.ok(&[
        "user",
        "create",
        "--name",
        "Meera Iyer",
        "--mobile",
        "9988776655",
        "--password",
        "correct horse battery",
        "--role",
        "admin",
    ]);
    assert!(text.contains("TOTP secret:"), "{text}");
    assert!(text.contains("otpauth://totp/"), "{text}");
    assert!(text.contains("NOT shown again"), "{text}");
    let shown = m.ok(&["user", "show", "9988776655"]);
    assert!(shown.contains("mfa:        on"), "{shown}");
    assert!(
        !shown.contains("otpauth"),
        "the secret is not shown again: {shown}"
    );

    let promoted = m.create_user("Kiran", "9000000001", "buyer");
    let id = promoted["user"]["id"].as_str().unwrap();
    let admin = m.json(&["user", "set-role", id, "admin"]);
    let secret = admin["mfa"]["totp_secret"].as_str().unwrap();
    assert!(secret.len() >= 16);
    assert!(admin["mfa"]["otpauth_uri"]
        .as_str()
        .unwrap()
        .contains(secret));
}

#[test]
fn the_password_can_come_from_stdin() {
    use std::io::Write;
    let m = Msme::initialised(BIN);
    let mut child = m
        .command(&[
            "user",
            "create",
            "--name",
            "Stdin User",
            "--mobile",
            "9811111111",
            "--password-stdin",
            "--role",
            "nbfc",
            "--json",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "a long stdin password").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["user"]["role"], "nbfc");
}

fn a_taken_mobile_fails_with_one_line(m: Msme) {
    m.create_user("Asha Rao", "9876543210", "seller");
    let (code, stderr) = m.fails(&[
        "user",
        "create",
        "--name",
        "Someone",
        "--mobile",
        "+919876543210",
        "--password",
        "another password",
        "--role",
        "buyer",
    ]);
    assert_eq!(code, 2);
    assert_one_error_line(&stderr);
    assert!(stderr.contains("mobile number already exists"), "{stderr}");
    assert_eq!(
        m.json(&["user", "list"])["items"].as_array().unwrap().len(),
        1
    );
}

fn bad_input_exits_2_and_names_the_problem(m: Msme) {
    let (code, stderr) = m.fails(&[
        "user",
        "create",
        "--name",
        "X Y",
        "--mobile",
        "12345",
        "--password",
        "long enough",
        "--role",
        "seller",
    ]);
    assert_eq!(code, 2);
    assert_one_error_line(&stderr);
    assert!(stderr.contains("mobile"), "{stderr}");

    let (code, stderr) = m.fails(&["user", "show", "00000000-0000-7000-8000-000000000000"]);
    assert_eq!(code, 2);
    assert_one_error_line(&stderr);
    assert!(stderr.contains("no such account"), "{stderr}");

    // A password that is neither given nor read from stdin is a usage error (clap's exit 2).
    let (code, _) = m.fails(&[
        "user",
        "create",
        "--name",
        "A B",
        "--mobile",
        "9876543210",
        "--role",
        "buyer",
    ]);
    assert_eq!(code, 2);
    let (code, _) = m.fails(&["user", "set-role", "9876543210", "emperor"]);
    assert_eq!(code, 2);
}

#[test]
fn commands_before_init_say_what_to_do() {
    let m = Msme::new(BIN);
    let (code, stderr) = m.fails(&["user", "list"]);
    assert_eq!(code, 1);
    assert_one_error_line(&stderr);
    assert!(stderr.contains("msme init"), "{stderr}");
}

#[test]
fn every_command_has_help() {
    let m = Msme::new(BIN);
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["user", "create", "--help"],
        vec!["user", "set-role", "--help"],
        vec!["outbox", "list", "--help"],
        vec!["audit", "export", "--help"],
        vec!["listing", "list", "--help"],
        vec!["listing", "reject", "--help"],
        vec!["kyc", "list", "--help"],
        vec!["demo", "--help"],
    ] {
        let text = m.ok(&args);
        assert!(text.contains("Usage:"), "{args:?}: {text}");
    }
    assert!(m
        .ok(&["user", "create", "--help"])
        .contains("--password-stdin"));
    // The import format is documented where the operator looks for it.
    let import = m.ok(&["listing", "import", "--help"]);
    for column in [
        "asking_price_paise",
        "fyN_ebitda_paise",
        "--skip-invalid",
        "examples/listings.csv",
    ] {
        assert!(import.contains(column), "{column}: {import}");
    }
}

msme_testkit::on_each_backend!(cli(crate::common::BIN):
    users_are_created_listed_shown_disabled_enabled_and_re_roled,
    an_admin_gets_a_totp_secret_printed_once,
    a_taken_mobile_fails_with_one_line,
    bad_input_exits_2_and_names_the_problem,
);

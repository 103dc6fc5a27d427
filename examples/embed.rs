//! Embedding the MSME Exchange in a Rust program: open the platform on a SQLite file in a
//! temporary directory, register a seller, verify the mobile number by OTP, log in and refresh.
//!
//! Run with `cargo run --example embed`.

use msme::backends::{init, open_platform, Overrides, Settings};
use msme::core::auth::{LoginId, NewAccount};
use msme::core::rbac::Actor;
use msme::core::types::{Mobile, Password};
use msme::RequestMeta;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let overrides = Overrides {
        data_dir: Some(dir.path().into()),
        database_url: None,
    };
    init(&Settings::load(&overrides)?)?; // writes a fresh JWT secret into msme.toml
    let platform = open_platform(&Settings::load(&overrides)?).await?;
    let meta = RequestMeta::default();

    // Register a seller.
    let account = NewAccount::parse(
        "Asha Rao",
        "98765 43210",
        Some("asha@example.in"),
        "chai-and-ledgers",
        "seller",
    )?;
    let seller = platform.auth().register(&meta, account).await?;
    println!(
        "registered {} as {} ({})",
        seller.name.as_str(),
        seller.role,
        seller.id
    );

    // Send an OTP. With no SMS provider configured it waits in the outbox, where we read it.
    let mobile = Mobile::parse("9876543210")?;
    platform.auth().send_otp(&meta, &mobile).await?;
    let outbox = platform.outbox().list(&Actor::operator(), None, 10).await?;
    let code: String = outbox
        .last()
        .expect("an OTP message")
        .body
        .chars()
        .take(6)
        .collect();
    let tokens = platform
        .auth()
        .verify_otp(&meta, &mobile, &code, None)
        .await?;
    println!(
        "OTP verified; access token expires in {}s",
        tokens.expires_in
    );

    // Log in with the password, then rotate the refresh token.
    let id = LoginId::Mobile(mobile);
    let tokens = platform
        .auth()
        .login(&meta, &id, &Password::parse("chai-and-ledgers")?, None)
        .await?;
    let refreshed = platform
        .auth()
        .refresh(&meta, &tokens.refresh_token)
        .await?;
    let actor = platform
        .auth()
        .authenticate(&refreshed.access_token)
        .await?;
    println!(
        "refreshed; signed in as {:?} with role {}",
        actor.user_id(),
        actor.role()
    );

    // The old refresh token was rotated: using it again revokes the session.
    let reuse = platform.auth().refresh(&meta, &tokens.refresh_token).await;
    println!("reusing the old refresh token: {}", reuse.unwrap_err());
    Ok(())
}

//! What the server's API tests, the facade's end-to-end stories and the CLI's tests share.
//!
//! Every test gets a [`TestData`] of its own: a temporary data directory, its database the
//! SQLite file in it or a fresh PostgreSQL database on the server of `MSME_TEST_POSTGRES_URL`
//! (without it the PostgreSQL runs skip and say so, except when `CI` is set: then they fail).
//! Over it a test runs the real server on 127.0.0.1:0 ([`TestApp`], stopped cleanly by
//! [`TestApp::stop`]) or the real binary ([`Msme`], given the binary's path). Accounts
//! ([`TestApp::signed_in`], [`TestApp::admin_token`]), listings ([`TestApp::published`]),
//! JSON answers ([`TestApp::api`], [`error_code`]) and waiting for the runtime ([`until`],
//! [`eventually`]) come with them. [`on_each_backend!`] runs a test on both databases.

#![forbid(unsafe_code)]

mod accounts;
mod cli;
mod data;
mod http;
mod listings;
mod money;
mod operator;
mod process;
mod server;
mod wait;

pub use accounts::{totp, Cast, PASSWORD};
pub use cli::{assert_one_error_line, json_of, Msme, ISOLATED_VARS};
pub use data::{block_on, block_on_threads, Backend, TestData};
pub use http::{answer, assert_error, error_code, error_field, error_of, Api};
pub use listings::{changed, listing_body, listing_with, TEASER_HIDDEN};
pub use operator::{move_listings, TO_PUBLISHED};
pub use process::Running;
pub use server::{TestApp, GENEROUS};
pub use wait::{eventually, until, until_every};

/// The server's default limits on `/v1/auth/*`, as `msme serve` runs with.
pub fn default_limits() -> msme_server::RateLimit {
    msme_server::RateLimit::default()
}

/// Runs each named test twice, as the modules `NAME::sqlite` and `NAME::postgres`; the
/// PostgreSQL run skips, and says so, without `MSME_TEST_POSTGRES_URL`, except in CI, where
/// it fails.
///
/// - `on_each_backend!(a, b)`: each an `async fn(TestApp)` on a single-threaded runtime (as
///   `#[tokio::test]`), the server's limits generous; the test stops the server.
/// - `on_each_backend!(stories: a, b)`: the same on two worker threads, the server's limits
///   its defaults (as `msme serve` runs).
/// - `on_each_backend!(cli(BIN): a, b)`: each a `fn(Msme)` given an initialised data
///   directory, running the binary at `BIN` (`env!("CARGO_BIN_EXE_msme")` in its crate).
#[macro_export]
macro_rules! on_each_backend {
    (@http $run:path, $limit:expr; $($name:ident),*) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                $run(async {
                    let app = $crate::TestApp::spawn_on_with($crate::Backend::Sqlite, $limit);
                    super::$name(app.await.expect("SQLite is always there")).await
                })
            }
            #[test]
            fn postgres() {
                $run(async {
                    let app = $crate::TestApp::spawn_on_with($crate::Backend::Postgres, $limit);
                    if let Some(app) = app.await {
                        super::$name(app).await
                    }
                })
            }
        }
    )*};
    (cli($bin:expr): $($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                let m = $crate::Msme::initialised_on($bin, $crate::Backend::Sqlite);
                super::$name(m.expect("SQLite is always there"))
            }
            #[test]
            fn postgres() {
                if let Some(m) = $crate::Msme::initialised_on($bin, $crate::Backend::Postgres) {
                    super::$name(m)
                }
            }
        }
    )*};
    (stories: $($name:ident),* $(,)?) => {
        $crate::on_each_backend!(@http $crate::block_on_threads, $crate::default_limits(); $($name),*);
    };
    ($($name:ident),* $(,)?) => {
        $crate::on_each_backend!(@http $crate::block_on, $crate::GENEROUS; $($name),*);
    };
}

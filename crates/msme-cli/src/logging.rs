//! Logs go to stderr so stdout stays clean for output and `--json`.

use tracing_subscriber::EnvFilter;

/// Filter from `RUST_LOG` or `MSME_LOG` (default `info` for the server, `warn` otherwise);
/// JSON lines when `MSME_LOG_FORMAT=json`.
pub fn init(server: bool) {
    let default = if server { "info" } else { "warn" };
    let directives = std::env::var("RUST_LOG")
        .or_else(|_| std::env::var("MSME_LOG"))
        .unwrap_or_else(|_| default.to_string());
    let filter = EnvFilter::try_new(&directives).unwrap_or_else(|e| {
        eprintln!("warning: ignoring the log filter `{directives}`: {e}");
        EnvFilter::new(default)
    });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let json = std::env::var("MSME_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    // A subscriber may already be set (never in the binary); logging is then left as it is.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

//! The money side over HTTP: what the server's runtime pays out on its own.

use std::time::Duration;

use serde_json::Value;

use crate::server::TestApp;
use crate::wait::eventually;

impl TestApp {
    /// Waits (up to 20 s) until the server's runtime has settled payouts of `total` paise in
    /// all, as many as `count` accepts (releases close together may share a pass); answers how
    /// many there are.
    pub async fn settled_payouts(
        &self,
        admin: &str,
        total: i64,
        count: impl Fn(usize) -> bool,
    ) -> usize {
        let count = &count;
        let paid = || async move {
            let all: Value = self.json_ok("/v1/payouts", admin).await;
            let items = all["items"].as_array().cloned().unwrap_or_default();
            let settled = items.iter().all(|p| p["state"] == "settled");
            let sum: i64 = items
                .iter()
                .filter_map(|p| p["amount_paise"].as_i64())
                .sum();
            (count(items.len()) && settled && sum == total)
                .then_some(items.len())
                .ok_or(all)
        };
        let what = format!("the server did not pay out {total} paise on its own");
        let every = Duration::from_millis(100);
        eventually(&what, Duration::from_secs(20), every, paid).await
    }
}

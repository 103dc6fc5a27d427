//! What `msme demo` prints at the end: counts, the shared password and logins to try.

use std::collections::BTreeMap;
use std::time::Duration;

use msme_core::listing::ListingStatus;
use msme_core::types::Role;
use msme_demo::{DemoMarketplace, DEMO_PASSWORD};
use serde_json::json;

use super::Outcome;
use crate::commands::Ctx;

/// Roles in the order the marketplace lists them.
const ROLES: [Role; 5] = [
    Role::Seller,
    Role::Buyer,
    Role::Agent,
    Role::Nbfc,
    Role::Admin,
];

/// How long the run took, and how much of it creating (and hashing the passwords of) accounts.
#[derive(Clone, Copy, Debug)]
pub struct Took {
    pub accounts: Duration,
    pub total: Duration,
}

/// Counts of names, in name order.
fn tally<'a>(names: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut counts = BTreeMap::new();
    for n in names {
        *counts.entry(n).or_insert(0) += 1;
    }
    counts
}

/// "100 seller, 150 buyer": the counts in the order of `names`.
fn joined<'a>(counts: &BTreeMap<&str, usize>, names: impl Iterator<Item = &'a str>) -> String {
    let parts: Vec<String> = names
        .filter_map(|k| counts.get(k).map(|v| format!("{v} {k}")))
        .collect();
    parts.join(", ")
}

/// The mobile number of the first account with `role`, to sign in with.
fn first_mobile(market: &DemoMarketplace, role: Role) -> Option<String> {
    market
        .accounts
        .iter()
        .find(|a| a.role == role)
        .map(|a| a.mobile.to_string())
}

/// The counts a run ends with.
struct Summary<'a> {
    seed: u64,
    roles: BTreeMap<&'a str, usize>,
    statuses: BTreeMap<&'a str, usize>,
    listings: usize,
    /// Listings meant to be under offer or sold, left published.
    held_back: usize,
    /// Closed deals kept as comparable deals.
    deals: usize,
    seller: Option<String>,
    buyer: Option<String>,
    took: Took,
}

/// Prints the summary as text or JSON.
pub fn emit(
    ctx: &Ctx,
    market: &DemoMarketplace,
    outcomes: &[Outcome],
    took: Took,
    matching: &super::matching::Loaded,
) -> anyhow::Result<()> {
    let s = Summary {
        seed: market.seed,
        roles: tally(market.accounts.iter().map(|a| a.role.as_str())),
        statuses: tally(outcomes.iter().map(|o| o.reached.as_str())),
        listings: outcomes.len(),
        held_back: outcomes.iter().filter(|o| o.target != o.reached).count(),
        deals: market.closed_deals.len(),
        seller: first_mobile(market, Role::Seller),
        buyer: first_mobile(market, Role::Buyer),
        took,
    };
    let json = json!({
        "seed": s.seed,
        "accounts": s.roles,
        "listings": s.statuses,
        "listings_total": s.listings,
        "held_at_published": s.held_back,
        "comparable_deals": market.closed_deals.len(),
        "password": DEMO_PASSWORD,
        "try": { "seller": s.seller, "buyer": s.buyer },
        "seconds": took.total.as_secs_f64(),
        "account_seconds": took.accounts.as_secs_f64(),
        "buyer_preferences": matching.preferences,
        "interactions": matching.interactions,
    });
    ctx.out.emit(&json, || {
        let mut t = text(&s);
        t.push_str(&format!(
            "\nmatching:  {} buyers' preferences, {} interactions (try `msme match evaluate`)",
            matching.preferences, matching.interactions
        ));
        t
    })
}

fn text(s: &Summary) -> String {
    let mut lines = vec![
        format!(
            "demo marketplace (seed {}) ready in {:.1} s ({:.1} s of it creating accounts)",
            s.seed,
            s.took.total.as_secs_f64(),
            s.took.accounts.as_secs_f64()
        ),
        format!(
            "accounts:  {}",
            joined(&s.roles, ROLES.iter().map(|r| r.as_str()))
        ),
        format!(
            "listings:  {} ({})",
            s.listings,
            joined(&s.statuses, ListingStatus::ALL.iter().map(|st| st.as_str()))
        ),
    ];
    if s.held_back > 0 {
        lines.push(format!(
            "           {} meant to be {} or {} are {}: only an escrow moves them on, and \
             there is none yet",
            s.held_back,
            ListingStatus::UnderOffer,
            ListingStatus::Sold,
            ListingStatus::Published
        ));
    }
    lines.push(format!(
        "deals:     {} closed deals kept as comparable deals (train with `msme model train`)",
        s.deals
    ));
    lines.push(format!("password:  {DEMO_PASSWORD} (every demo account)"));
    lines.push(format!(
        "try:       seller {}, buyer {}",
        s.seller.as_deref().unwrap_or("-"),
        s.buyer.as_deref().unwrap_or("-")
    ));
    lines.join("\n")
}

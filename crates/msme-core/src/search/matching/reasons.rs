//! Why a listing matches a buyer, in words: for the buyer ("sector matches", "asking price 12%
//! under your maximum"), or for the seller looking at buyers ("looks for Machinery
//! businesses"). Reasons use only what the features use, so they never reveal an anonymous
//! listing's hidden text or city; the listing's margin, revenue and valuation are never stated
//! as figures, only against the buyer's own bounds.

use super::features::{within, Candidate, Features, Wants};
use crate::money::Paise;

/// Who reads the reasons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The buyer (or their agent, or an admin) looking at listings.
    Buyer,
    /// The seller (or their agent, or an admin) looking at buyers; the buyer's figures stay
    /// private.
    Seller,
}

fn pct(part: f64) -> i64 {
    (part * 100.0).round() as i64
}

/// Where the asking price stands against the buyer's ticket.
fn ticket(w: &Wants, c: &Candidate, audience: Audience) -> Option<String> {
    let p = w.preferences;
    if p.ticket_min.is_none() && p.ticket_max.is_none() {
        return None;
    }
    let price = c.asking_price.get() as f64;
    let of = |bound: Paise| bound.get().max(1) as f64;
    let inside = within(c.asking_price, p.ticket_min, p.ticket_max) >= 1.0;
    Some(match (audience, inside) {
        (Audience::Seller, true) => "asking price fits their ticket".into(),
        (Audience::Seller, false) => "asking price outside their ticket".into(),
        (Audience::Buyer, true) => match p.ticket_max {
            Some(max) if price < of(max) => format!(
                "asking price {}% under your maximum",
                pct(1.0 - price / of(max))
            ),
            Some(_) => "asking price at your maximum".into(),
            None => "asking price within your ticket".into(),
        },
        (Audience::Buyer, false) => match p.ticket_max {
            Some(max) if price > of(max) => format!(
                "asking price {}% over your maximum",
                pct(price / of(max) - 1.0)
            ),
            _ => format!(
                "asking price {}% under your minimum",
                pct(1.0 - price / p.ticket_min.map_or(1.0, of))
            ),
        },
    })
}

fn label(audience: Audience, buyer: &str, seller: String) -> String {
    match audience {
        Audience::Buyer => buyer.to_string(),
        Audience::Seller => seller,
    }
}

/// The reasons for one match, strongest first: each feature that counts, said in words.
pub fn reasons(w: &Wants, c: &Candidate, f: &Features, audience: Audience) -> Vec<String> {
    let p = w.preferences;
    let mut out = Vec::new();
    if f[0] > 0.0 {
        let seller = format!("looks for {} businesses", c.industry.label);
        out.push(label(audience, "sector matches", seller));
    }
    if w.city_matches(c) {
        let city = p
            .cities
            .iter()
            .find(|x| Some(x.trim().to_lowercase()) == c.city)
            .map_or("", |x| x.as_str());
        let buyer = format!("in {city}, one of your cities");
        out.push(label(audience, &buyer, format!("looks in {city}")));
    } else if f[1] > 0.0 {
        let buyer = format!("in {}, one of your states", c.state.name);
        out.push(label(
            audience,
            &buyer,
            format!("looks in {}", c.state.name),
        ));
    }
    if f[2] > 0.0 {
        let deal = c.deal_type.as_str().replace('_', " ");
        let buyer = format!("{deal}, as you want");
        out.push(label(audience, &buyer, format!("wants a {deal}")));
    }
    out.extend(ticket(w, c, audience));
    out.extend(figures(c, f, audience));
    let matched = w.matched_keywords(c);
    if !matched.is_empty() {
        let list = matched.join(", ");
        let buyer = format!("mentions {list}");
        out.push(label(audience, &buyer, format!("looks for {list}")));
    }
    if f[8] > 0.0 && audience == Audience::Buyer {
        out.push("seller's KYC is verified".into());
    }
    out
}

/// Valuation, revenue and margin against the buyer's bounds, never as the listing's figures.
fn figures(c: &Candidate, f: &Features, audience: Audience) -> Vec<String> {
    let mut out = Vec::new();
    let buyer = audience == Audience::Buyer;
    if buyer && f[4] > 0.0 {
        out.push("asking price below its latest valuation".into());
    } else if buyer && f[4] < 0.0 {
        out.push("asking price above its latest valuation".into());
    }
    let (your, their) = ("your", "their");
    let whose = if buyer { your } else { their };
    let no_figures = c.revenue.is_none();
    if f[5] >= 1.0 {
        out.push(format!("revenue within {whose} range"));
    } else if f[5] < 0.0 && buyer && !no_figures {
        out.push("revenue outside your range".into());
    }
    if f[6] >= 1.0 {
        out.push(format!("EBITDA margin meets {whose} minimum"));
    } else if f[6] < 0.0 && buyer && c.ebitda_margin_bps.is_some() {
        out.push("EBITDA margin below your minimum".into());
    }
    if buyer && no_figures && (f[5] < 0.0 || f[6] < 0.0) {
        out.push("no financials to check against your range".into());
    }
    out
}

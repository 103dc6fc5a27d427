//! How listings and KYC records look on the terminal and in `--json` output. The operator sees
//! full listings; a teaser (what a buyer sees) is printed only if the core ever returns one.

use msme_core::kyc::Kyc;
use msme_core::listing::{FullListing, ListingAsset, ListingView, Teaser, YearFinancials};
use serde_json::{json, Value};

use crate::view::time;

/// A listing as JSON, under the wire names of the HTTP API; `view` says which kind.
pub fn listing_json(v: &ListingView) -> Value {
    match v {
        ListingView::Full(f) => full_json(f),
        ListingView::Teaser(t) => teaser_json(t),
    }
}

fn full_json(f: &FullListing) -> Value {
    let l = &f.listing;
    let c = &l.content;
    json!({
        "view": "full",
        "id": l.id.as_str(),
        "seller_id": l.seller_id.as_str(),
        "seller_name": f.seller_name,
        "status": l.status.as_str(),
        "rejection_reason": l.rejection_reason,
        "title": c.title,
        "description": c.description,
        "industry": c.industry.id,
        "city": c.city,
        "state": c.state.name,
        "year_established": c.year_established,
        "employees": c.employees,
        "deal_type": c.deal_type.as_str(),
        "asking_price_paise": c.asking_price.get(),
        "anonymous": c.anonymous,
        "financials": c.financials.iter().map(year_json).collect::<Vec<_>>(),
        "assets": f.assets.iter().map(asset_json).collect::<Vec<_>>(),
        "version": l.version,
        "created_at": time(&l.created_at),
        "updated_at": time(&l.updated_at),
        "published_at": l.published_at.as_ref().map(time),
    })
}

fn year_json(y: &YearFinancials) -> Value {
    json!({
        "fiscal_year": y.fiscal_year,
        "revenue_paise": y.revenue.get(),
        "ebitda_paise": y.ebitda.get(),
        "net_profit_paise": y.net_profit.get(),
        "total_assets_paise": y.total_assets.get(),
        "total_liabilities_paise": y.total_liabilities.get(),
        "debt_paise": y.debt.get(),
    })
}

fn asset_json(a: &ListingAsset) -> Value {
    json!({
        "id": a.id,
        "item": a.item,
        "category": a.category.as_str(),
        "quantity": a.quantity,
        "book_value_paise": a.book_value.get(),
        "condition": a.condition.as_str(),
    })
}

fn teaser_json(t: &Teaser) -> Value {
    json!({
        "view": "teaser",
        "id": t.id.as_str(),
        "headline": t.headline,
        "industry": t.industry.id,
        "state": t.state.name,
        "revenue_band": t.revenue_band,
        "asking_price_paise": t.asking_price.get(),
        "deal_type": t.deal_type.as_str(),
        "status": t.status.as_str(),
        "published_at": t.published_at.as_ref().map(time),
    })
}

/// One listing per line, for lists.
pub fn listing_row(v: &ListingView) -> String {
    let (id, status, industry, state, price, title) = match v {
        ListingView::Full(f) => {
            let (l, c) = (&f.listing, &f.listing.content);
            (
                &l.id,
                l.status,
                &c.industry,
                &c.state,
                c.asking_price,
                &c.title,
            )
        }
        ListingView::Teaser(t) => (
            &t.id,
            t.status,
            &t.industry,
            &t.state,
            t.asking_price,
            &t.headline,
        ),
    };
    format!(
        "{}  {:<11} {:<22} {:<16} {:>20}  {}",
        id,
        status.as_str(),
        industry.id,
        state.code,
        price.to_string(),
        title
    )
}

/// A listing as labelled lines, financials newest year first.
pub fn listing_text(v: &ListingView) -> String {
    let ListingView::Full(f) = v else {
        return listing_row(v);
    };
    let (l, c) = (&f.listing, &f.listing.content);
    let mut lines = vec![
        format!("id:          {}", l.id),
        format!("title:       {}", c.title),
        format!("status:      {}", l.status),
        format!("seller:      {} ({})", f.seller_name, l.seller_id),
        format!("industry:    {} ({})", c.industry.label, c.industry.id),
        format!("location:    {}, {}", c.city, c.state.name),
        format!("established: {}", c.year_established),
        format!("employees:   {}", c.employees),
        format!("deal:        {}", c.deal_type.as_str()),
        format!("asking:      {}", c.asking_price),
        format!("anonymous:   {}", if c.anonymous { "yes" } else { "no" }),
    ];
    if let Some(reason) = &l.rejection_reason {
        lines.push(format!("rejected:    {reason}"));
    }
    lines.extend(c.financials.iter().map(year_text));
    lines.extend(f.assets.iter().map(|a| {
        format!(
            "asset:       {} × {} ({}, {}), {}",
            a.quantity,
            a.item,
            a.category.as_str(),
            a.condition.as_str(),
            a.book_value
        )
    }));
    lines.push(format!("created at:  {}", time(&l.created_at)));
    lines.push(String::new());
    lines.push(c.description.clone());
    lines.join("\n")
}

fn year_text(y: &YearFinancials) -> String {
    format!(
        "FY {}:     revenue {}, EBITDA {}, net profit {}, assets {}, liabilities {}, debt {}",
        y.fiscal_year,
        y.revenue,
        y.ebitda,
        y.net_profit,
        y.total_assets,
        y.total_liabilities,
        y.debt
    )
}

/// A KYC record as JSON. The identifiers are shown in full: the reviewer must check them.
pub fn kyc_json(k: &Kyc) -> Value {
    json!({
        "user_id": k.user_id.as_str(),
        "pan": k.pan.as_str(),
        "gstin": k.gstin.as_ref().map(|g| g.as_str()),
        "udyam": k.udyam.as_ref().map(|u| u.as_str()),
        "aadhaar_last4": k.aadhaar_last4.as_ref().map(|a| a.as_str()),
        "status": k.status.as_str(),
        "rejection_reason": k.rejection_reason,
        "submitted_at": time(&k.submitted_at),
        "decided_at": k.decided_at.as_ref().map(time),
        "decided_by": k.decided_by,
    })
}

/// A KYC record as one line.
pub fn kyc_row(k: &Kyc) -> String {
    let reason = k
        .rejection_reason
        .as_deref()
        .map(|r| format!("  ({r})"))
        .unwrap_or_default();
    format!(
        "{}  {:<9} PAN {}  GSTIN {}  Udyam {}  submitted {}{reason}",
        k.user_id,
        k.status.as_str(),
        k.pan.as_str(),
        k.gstin.as_ref().map_or("-", |g| g.as_str()),
        k.udyam.as_ref().map_or("-", |u| u.as_str()),
        time(&k.submitted_at)
    )
}

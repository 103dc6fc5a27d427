//! Cases for [`ValuationStore`](msme_core::ports::ValuationStore).

use std::collections::BTreeMap;
use std::sync::Arc;

use msme_core::listing::ListingId;
use msme_core::ports::Store;
use msme_core::types::{UserId, ValuationId};
use msme_core::valuation::{
    Comparable, InputSummary, MethodLine, ModelSummary, RiskLine, RiskSummary, SkippedLine,
    Valuation, ValuationReport,
};

use crate::fixtures::market::{listing, stored_listing};
use crate::fixtures::{assert_appended, at, event, head_seq, stored_user};

/// A valuation made at `at(secs)` with every field of its report set, so a lost field shows.
pub fn valuation(listing: Option<&ListingId>, by: Option<&UserId>, secs: i64) -> Valuation {
    let report = ValuationReport {
        input: InputSummary {
            subject: Some("Rao Precision — \"CNC\" ✓".into()),
            industry: "machinery".into(),
            city: "Pune".into(),
            state: Some("MH".into()),
            year_established: 2008,
            employees: 42,
            fiscal_years: vec![2026, 2025],
            latest_revenue_paise: Some(8_00_00_000_00 + secs),
            latest_ebitda_paise: None,
            latest_net_profit_paise: Some(-3_00_000_00),
            has_asset_inventory: true,
            valuation_date: "2026-11-25".into(),
            revenue_band: Some("5_to_25_crore".into()),
            withheld: true,
        },
        value_paise: 9_12_34_567_89 + secs,
        low_paise: 7_00_00_000_00,
        high_paise: 11_00_00_000_00,
        coverage: None,
        confidence: 57,
        methods: vec![MethodLine {
            method: "dcf".into(),
            value_paise: 9_00_00_000_00,
            low_paise: Some(8_00_00_000_00),
            high_paise: None,
            weight_bps: 10_000,
            reason: "one year of history".into(),
            notes: vec!["discount rate 18.8%".into()],
        }],
        skipped: vec![SkippedLine {
            method: "net_asset_value".into(),
            reason: "no balance sheet".into(),
        }],
        notes: vec!["preliminary range".into()],
        risks: RiskSummary {
            score: 30,
            flags: vec![RiskLine {
                code: "unverified_financials".into(),
                severity: "high".into(),
                reason: "the seller's own figures".into(),
            }],
        },
        comparables: vec![Comparable {
            listing_id: ListingId::generate().to_string(),
            headline: "Machinery business in Gujarat".into(),
            industry: "machinery".into(),
            state: "GJ".into(),
            status: "sold".into(),
            revenue_band: Some("5_to_25_crore".into()),
            asking_price_paise: 15_00_00_000_00,
            asking_to_revenue: Some(1.87),
            asking_to_ebitda: None,
            distance: 0.5,
        }],
        assumptions: BTreeMap::from([("tax_rate".into(), 0.25), ("beta".into(), 1.0)]),
        sources: vec!["Damodaran, India, 5 January 2026".into()],
        model: Some(ModelSummary {
            version_id: "0193a0c4-0000-7000-8000-000000000001".into(),
            kind: "gbt".into(),
            value_paise: 9_00_00_000_00,
            low_paise: 6_00_00_000_00,
            high_paise: 12_00_00_000_00,
            coverage: 0.8,
            test_mape: 0.31,
            test_median_ape: 0.24,
            explanation_method: "path_contributions".into(),
            top_features: vec![msme_core::model::FeatureEffect {
                feature: "ln_ebitda_margin".into(),
                value: Some(-1.9),
                effect_pct: -12.5,
            }],
        }),
    };
    Valuation {
        id: ValuationId::generate(),
        listing_id: listing.cloned(),
        requested_by: by.cloned(),
        created_at: at(secs),
        report,
    }
}

async fn save(store: &Arc<dyn Store>, v: &Valuation) {
    let audit = event("valuation.created", v.id.as_str());
    store
        .save_valuation(v, audit)
        .await
        .expect("save valuation");
}

/// A valuation reads back whole, with or without a listing and a requester; each save appends
/// one entry; an unknown id is `None`.
pub async fn valuation_round_trips_every_field(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let l = stored_listing(&store, listing(&u.id, 1)).await;
    let before = head_seq(&store).await;
    let of_listing = valuation(Some(&l.id), Some(&u.id), 10);
    let raw = valuation(None, None, 11);
    save(&store, &of_listing).await;
    save(&store, &raw).await;
    assert_appended(&store, before, 2, "two valuations").await;
    for v in [&of_listing, &raw] {
        let got = store.valuation_by_id(&v.id).await.expect("by id");
        assert_eq!(got.as_ref(), Some(v));
    }
    let unknown = store.valuation_by_id(&ValuationId::generate()).await;
    assert_eq!(unknown.expect("unknown"), None);
}

/// A listing's valuations come newest first (then id descending), and only that listing's.
pub async fn valuations_of_listing_are_newest_first(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let l1 = stored_listing(&store, listing(&u.id, 1)).await;
    let l2 = stored_listing(&store, listing(&u.id, 2)).await;
    let old = valuation(Some(&l1.id), Some(&u.id), 10);
    let mut tied = [
        valuation(Some(&l1.id), None, 20),
        valuation(Some(&l1.id), Some(&u.id), 20),
    ];
    let other = valuation(Some(&l2.id), Some(&u.id), 30);
    let raw = valuation(None, Some(&u.id), 40);
    for v in [&tied[1], &old, &other, &raw, &tied[0]] {
        save(&store, v).await;
    }
    tied.sort_by(|a, b| b.id.cmp(&a.id));
    let [first, second] = tied;
    let got = store.valuations_of_listing(&l1.id).await.expect("of l1");
    assert_eq!(got, vec![first, second, old]);
    let got = store.valuations_of_listing(&l2.id).await.expect("of l2");
    assert_eq!(got, vec![other]);
    let none = store.valuations_of_listing(&ListingId::generate()).await;
    assert!(none.expect("unknown listing").is_empty());
}

/// A valuation of a listing that does not exist is refused, and appends nothing.
pub async fn valuation_of_unknown_listing_is_refused_without_audit(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let before = head_seq(&store).await;
    let v = valuation(Some(&ListingId::generate()), Some(&u.id), 10);
    let audit = event("valuation.created", v.id.as_str());
    assert!(store.save_valuation(&v, audit).await.is_err());
    assert_appended(&store, before, 0, "a refused valuation").await;
    assert_eq!(store.valuation_by_id(&v.id).await.expect("by id"), None);
}

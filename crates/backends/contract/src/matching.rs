//! Cases for [`BuyerStore`](msme_core::ports::BuyerStore) and
//! [`MatchStore`](msme_core::ports::MatchStore).

use std::sync::Arc;

use msme_core::listing::{industry, state, ListingId};
use msme_core::matching::{
    BuyerPreferences, BuyerPreferencesInput, Interaction, InteractionId, InteractionKind,
    RankingModel, RankingModelId, SavedMatch, SavedSearch, SavedSearchId, FEATURES,
};
use msme_core::money::Paise;
use msme_core::ports::Store;
use msme_core::search::{SearchFilters, SearchSort};
use msme_core::types::UserId;

use crate::fixtures::market::{listing, stored_listing};
use crate::fixtures::{assert_appended, at, event, head_seq, stored_user};
use crate::valuations::valuation;

fn preferences(n: i64) -> BuyerPreferences {
    BuyerPreferences::parse(&BuyerPreferencesInput {
        sectors: vec!["machinery".into(), "software".into()],
        states: vec!["MH".into()],
        cities: vec!["Pune — \"east\" ✓".into()],
        ticket_min_paise: Some(n),
        ticket_max_paise: Some(10 * n),
        revenue_min_paise: None,
        revenue_max_paise: Some(20 * n),
        ebitda_margin_min_pct: Some(-3),
        deal_types: vec!["asset_sale".into()],
        keywords: vec!["CNC".into(), "export ✓".into()],
    })
    .expect("valid preferences")
}

/// Preferences round-trip whole and are replaced by the next put; each put appends one entry;
/// the list pages in buyer-id order.
pub async fn buyer_preferences_round_trip_replace_and_list(store: Arc<dyn Store>) {
    let mut buyers = Vec::new();
    for n in 1..=3 {
        buyers.push(stored_user(&store, n).await.id);
    }
    assert_eq!(
        store.buyer_preferences(&buyers[0]).await.expect("read"),
        None
    );
    let before = head_seq(&store).await;
    for (i, b) in buyers.iter().enumerate() {
        let p = preferences(100 + i as i64);
        let audit = event("buyer_preferences.updated", b.as_str());
        store
            .put_buyer_preferences(b, &p, at(10), audit)
            .await
            .expect("put");
    }
    let replaced = preferences(7);
    let audit = event("buyer_preferences.updated", buyers[1].as_str());
    store
        .put_buyer_preferences(&buyers[1], &replaced, at(20), audit)
        .await
        .expect("replace");
    assert_appended(&store, before, 4, "four puts").await;
    let got = store
        .buyer_preferences(&buyers[1])
        .await
        .expect("read")
        .expect("stored");
    assert_eq!((got.preferences, got.updated_at), (replaced, at(20)));
    buyers.sort();
    let first = store.list_buyer_preferences(None, 2).await.expect("page 1");
    let rest = store
        .list_buyer_preferences(Some(&first[1].buyer), 2)
        .await
        .expect("page 2");
    let order: Vec<UserId> = first.iter().chain(&rest).map(|p| p.buyer.clone()).collect();
    assert_eq!(order, buyers);
}

fn saved(owner: &UserId, name: &str, secs: i64) -> SavedSearch {
    SavedSearch {
        id: SavedSearchId::generate(),
        owner: owner.clone(),
        name: name.into(),
        query: "cnc \"machining\" ✓".into(),
        filters: SearchFilters {
            industry: Some(industry("machinery").expect("industry")),
            state: Some(state("GJ").expect("state")),
            city: Some("Surat".into()),
            asking_price_max_paise: Some(Paise::new(5_00_00_000_00)),
            ebitda_margin_min_pct: Some(10),
            year_established_max: Some(2015),
            verified_only: true,
            ..SearchFilters::default()
        },
        sort: SearchSort::PriceDesc,
        created_at: at(secs),
        updated_at: at(secs),
    }
}

/// Saved searches round-trip every field, list oldest first per owner, update and delete
/// once; each change appends one entry and a change of nothing appends none.
pub async fn saved_searches_are_kept_per_owner(store: Arc<dyn Store>) {
    let (a, b) = (
        stored_user(&store, 1).await.id,
        stored_user(&store, 2).await.id,
    );
    let before = head_seq(&store).await;
    let (mut a2, a1, b1) = (
        saved(&a, "second", 20),
        saved(&a, "first", 10),
        saved(&b, "b", 5),
    );
    for s in [&a2, &a1, &b1] {
        let audit = event("saved_search.created", s.id.as_str());
        store.create_saved_search(s, audit).await.expect("create");
    }
    assert_eq!(
        store.saved_search_by_id(&a1.id).await.expect("get"),
        Some(a1.clone())
    );
    let of_a = store.saved_searches_of(&a).await.expect("of a");
    assert_eq!(of_a, vec![a1.clone(), a2.clone()]);
    a2.name = "renamed".into();
    a2.filters = SearchFilters::default();
    a2.sort = SearchSort::Newest;
    a2.updated_at = at(30);
    let audit = || event("saved_search.updated", "x");
    assert!(store
        .update_saved_search(&a2, audit())
        .await
        .expect("update"));
    assert_eq!(
        store.saved_search_by_id(&a2.id).await.expect("get"),
        Some(a2.clone())
    );
    assert!(store
        .delete_saved_search(&a1.id, audit())
        .await
        .expect("delete"));
    assert!(!store
        .delete_saved_search(&a1.id, audit())
        .await
        .expect("again"));
    let ghost = saved(&a, "ghost", 1);
    assert!(!store
        .update_saved_search(&ghost, audit())
        .await
        .expect("ghost"));
    assert_appended(&store, before, 5, "three creates, an update, a delete").await;
    assert_eq!(store.saved_searches_of(&a).await.expect("of a"), vec![a2]);
    assert_eq!(
        store
            .saved_search_by_id(&SavedSearchId::generate())
            .await
            .expect("none"),
        None
    );
}

/// An agent is granted once and revoked once; grants list oldest first.
pub async fn agent_grants_are_given_and_taken_once(store: Arc<dyn Store>) {
    let buyer = stored_user(&store, 1).await.id;
    let (x, y) = (
        stored_user(&store, 2).await.id,
        stored_user(&store, 3).await.id,
    );
    let before = head_seq(&store).await;
    let audit = || event("agent_grant.granted", buyer.as_str());
    assert!(store
        .grant_agent(&buyer, &y, at(5), audit())
        .await
        .expect("grant y"));
    assert!(store
        .grant_agent(&buyer, &x, at(9), audit())
        .await
        .expect("grant x"));
    assert!(!store
        .grant_agent(&buyer, &x, at(12), audit())
        .await
        .expect("again"));
    assert_eq!(
        store.agents_of(&buyer).await.expect("agents"),
        vec![(y.clone(), at(5)), (x.clone(), at(9))]
    );
    assert!(store
        .revoke_agent(&buyer, &y, audit())
        .await
        .expect("revoke"));
    assert!(!store
        .revoke_agent(&buyer, &y, audit())
        .await
        .expect("again"));
    assert_appended(&store, before, 3, "two grants, one revoke").await;
    assert_eq!(
        store.agents_of(&buyer).await.expect("agents"),
        vec![(x, at(9))]
    );
    assert!(store.agents_of(&y).await.expect("none").is_empty());
}

/// Interactions read back in id order, paged; each appends one entry; one on a listing that
/// does not exist is refused and appends nothing.
pub async fn interactions_are_recorded_in_order(store: Arc<dyn Store>) {
    let buyer = stored_user(&store, 1).await.id;
    let l = stored_listing(&store, listing(&buyer, 1)).await;
    let before = head_seq(&store).await;
    let mut all = Vec::new();
    for (i, kind) in InteractionKind::ALL.into_iter().enumerate() {
        let it = Interaction {
            id: InteractionId::generate(),
            buyer: buyer.clone(),
            listing: l.id.clone(),
            kind,
            at: at(i as i64),
        };
        let audit = event("interaction.view", buyer.as_str());
        assert!(store.record_interaction(&it, audit).await.expect("record"));
        all.push(it);
    }
    // The same interaction again (a replayed reaction): nothing written, no audit entry.
    let audit = event("interaction.view", buyer.as_str());
    assert!(!store
        .record_interaction(&all[0], audit)
        .await
        .expect("again"));
    let bad = Interaction {
        listing: ListingId::generate(),
        id: InteractionId::generate(),
        ..all[0].clone()
    };
    let audit = event("interaction.view", buyer.as_str());
    assert!(store.record_interaction(&bad, audit).await.is_err());
    assert_appended(&store, before, 4, "four interactions").await;
    let first = store.interactions_page(None, 3).await.expect("page 1");
    let rest = store
        .interactions_page(Some(&first[2].id), 3)
        .await
        .expect("page 2");
    assert_eq!([first, rest].concat(), all);
}

/// Views are written in one batch without audit entries; one already recorded (by id) is
/// skipped, and a batch naming a listing that does not exist writes nothing.
pub async fn views_are_recorded_in_batches_without_audit(store: Arc<dyn Store>) {
    let buyer = stored_user(&store, 1).await.id;
    let l = stored_listing(&store, listing(&buyer, 1)).await;
    let before = head_seq(&store).await;
    let view = |i: i64| Interaction {
        id: InteractionId::generate(),
        buyer: buyer.clone(),
        listing: l.id.clone(),
        kind: InteractionKind::View,
        at: at(i),
    };
    let views: Vec<Interaction> = (0..3).map(view).collect();
    assert_eq!(store.record_views(&views).await.expect("record"), 3);
    let again = [views[0].clone(), view(3)];
    assert_eq!(store.record_views(&again).await.expect("again"), 1);
    let bad = Interaction {
        listing: ListingId::generate(),
        ..view(4)
    };
    assert!(store.record_views(&[view(5), bad]).await.is_err());
    assert_appended(&store, before, 0, "views are not audited").await;
    let stored = store.interactions_page(None, 10).await.expect("page");
    assert_eq!(stored, [views, vec![again[1].clone()]].concat());
}

/// Saved matches are replaced whole, read back best first, and write no audit entry.
pub async fn saved_matches_are_replaced_whole(store: Arc<dyn Store>) {
    let buyer = stored_user(&store, 1).await.id;
    let ls: Vec<ListingId> = {
        let mut v = Vec::new();
        for s in 1..=3 {
            v.push(stored_listing(&store, listing(&buyer, s)).await.id);
        }
        v
    };
    let m = |l: &ListingId, score: f64| SavedMatch {
        listing: l.clone(),
        score,
        reasons: vec![
            "sector matches".into(),
            "asking price 12% under your maximum ✓".into(),
        ],
        computed_at: at(3),
    };
    let before = head_seq(&store).await;
    let first = vec![m(&ls[2], 91.5), m(&ls[0], 40.25)];
    store
        .replace_saved_matches(&buyer, &first)
        .await
        .expect("save");
    assert_eq!(store.saved_matches(&buyer).await.expect("read"), first);
    let second = vec![m(&ls[1], 77.0)];
    store
        .replace_saved_matches(&buyer, &second)
        .await
        .expect("replace");
    assert_eq!(store.saved_matches(&buyer).await.expect("read"), second);
    store
        .replace_saved_matches(&buyer, &[])
        .await
        .expect("clear");
    assert!(store.saved_matches(&buyer).await.expect("read").is_empty());
    assert_appended(&store, before, 0, "derived rows").await;
}

fn model(secs: i64, adopted: bool) -> RankingModel {
    RankingModel {
        id: RankingModelId::generate(),
        trained_at: at(secs),
        features: FEATURES.iter().map(|f| f.to_string()).collect(),
        weights: vec![0.125, -2.5, 3.0, 1e-9, 0.0, 7.75, -0.5, 2.0, 0.33],
        interactions: 1234,
        learned_ndcg: 0.8125,
        hand_set_ndcg: 0.71,
        adopted,
    }
}

/// The newest adopted model is the one in use; models not adopted are kept but never used.
pub async fn the_newest_adopted_model_is_in_use(store: Arc<dyn Store>) {
    assert_eq!(store.adopted_ranking_model().await.expect("none"), None);
    let before = head_seq(&store).await;
    let (old, new, rejected) = (model(10, true), model(20, true), model(30, false));
    for m in [&new, &old, &rejected] {
        let audit = event("ranking_model.trained", m.id.as_str());
        store.save_ranking_model(m, audit).await.expect("save");
    }
    assert_appended(&store, before, 3, "three models").await;
    assert_eq!(
        store.adopted_ranking_model().await.expect("read"),
        Some(new)
    );
}

/// The newest valuation of each listing that has one, in listing-id order.
pub async fn latest_valuations_give_each_listings_newest_value(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let l1 = stored_listing(&store, listing(&u.id, 1)).await.id;
    let l2 = stored_listing(&store, listing(&u.id, 2)).await.id;
    let l3 = stored_listing(&store, listing(&u.id, 3)).await.id;
    for v in [
        valuation(Some(&l1), None, 10),
        valuation(Some(&l1), None, 30),
        valuation(Some(&l2), None, 20),
        valuation(Some(&l1), None, 20),
    ] {
        let audit = event("valuation.created", v.id.as_str());
        store.save_valuation(&v, audit).await.expect("save");
    }
    let value = |secs: i64| Paise::new(9_12_34_567_89 + secs);
    let mut expected = vec![(l1.clone(), value(30)), (l2.clone(), value(20))];
    expected.sort();
    let got = store
        .latest_valuations(&[l3, l2, l1])
        .await
        .expect("values");
    assert_eq!(got, expected);
    assert!(store.latest_valuations(&[]).await.expect("none").is_empty());
}

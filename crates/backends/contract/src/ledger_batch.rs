//! [`LedgerStore::update_escrows`](msme_core::ledger::LedgerStore::update_escrows): many escrow
//! moves in one transaction, each rolled back alone when it does not apply.

use std::sync::Arc;

use msme_core::ledger::{
    EntryContext, Escrow, EscrowCommand, EscrowId, EscrowTerms, EscrowTermsInput, EscrowWrite,
    GatewayName, IdempotentOutcome, MilestoneInput,
};
use msme_core::money::Paise;
use msme_core::ports::Store;
use msme_core::types::{ListingId, UserId};

use crate::fixtures::{assert_appended, at, event, head_seq, stored_user};
use crate::ledger_fixtures::{idem, key};

fn open(buyer: &UserId, seller: &UserId) -> Escrow {
    let input = EscrowTermsInput {
        listing_id: ListingId::generate(),
        buyer_id: buyer.clone(),
        seller_id: seller.clone(),
        amount_paise: 300_00,
        platform_fee_bps: 0,
        agent_id: None,
        agent_commission_bps: 0,
        milestones: vec![MilestoneInput {
            name: "all".into(),
            amount_paise: 300_00,
        }],
    };
    let terms = EscrowTerms::parse(input).expect("terms");
    Escrow::open(EscrowId::generate(), terms, at(0))
}

fn funding(e: &Escrow, k: &str, what: &str, expected: i64) -> EscrowWrite {
    let ctx = EntryContext {
        idempotency_key: key(k),
        at: at(3),
    };
    let source = GatewayName::parse("sandbox").expect("name");
    let t = e
        .apply(&EscrowCommand::Fund { source }, &ctx)
        .expect("fund");
    EscrowWrite {
        escrow: t.escrow,
        expected_version: expected,
        entries: t.entries,
        idempotency: idem(k, what),
        audit: event("escrow.funded", e.id.as_str()),
    }
}

/// In one batch: a move that applies, one on a stale version, one whose key was used for
/// another request, and one more that applies. Both good ones commit with their entries,
/// keys and audit entries; the others leave no trace.
pub async fn escrow_batches_commit_what_applies_and_roll_back_the_rest(store: Arc<dyn Store>) {
    let (buyer, seller) = (
        stored_user(&store, 221).await,
        stored_user(&store, 222).await,
    );
    let escrows: Vec<Escrow> = (0..4).map(|_| open(&buyer.id, &seller.id)).collect();
    for (i, e) in escrows.iter().enumerate() {
        let k = format!("open-{i}");
        let opened = store
            .create_escrow(e, idem(&k, &k), event("escrow.opened", e.id.as_str()))
            .await
            .expect("create");
        assert_eq!(opened, IdempotentOutcome::Applied);
    }
    let before = head_seq(&store).await;
    let writes = [
        funding(&escrows[0], "b-0", "b-0", 1),
        funding(&escrows[1], "b-1", "b-1", 5),
        funding(&escrows[2], "open-0", "not the opening", 1),
        funding(&escrows[3], "b-3", "b-3", 1),
    ];
    let outcomes = store.update_escrows(&writes).await.expect("batch");
    assert_eq!(
        outcomes,
        [
            IdempotentOutcome::Applied,
            IdempotentOutcome::StaleVersion,
            IdempotentOutcome::Conflict,
            IdempotentOutcome::Applied
        ]
    );
    assert_appended(&store, before, 2, "a batch with two moves that applied").await;
    for (i, funded) in [(0, true), (1, false), (2, false), (3, true)] {
        let e = &escrows[i];
        let stored = store
            .escrow_by_id(&e.id)
            .await
            .expect("get")
            .expect("escrow");
        assert_eq!(stored.version, if funded { 2 } else { 1 }, "escrow {i}");
        let held = store.balances(&[e.account()]).await.expect("balance");
        let expected = if funded { 300_00 } else { 0 };
        assert_eq!(
            held.normal(&e.account()),
            Paise::new(expected),
            "escrow {i}"
        );
    }
    assert!(store
        .idempotency_record(&key("b-0"))
        .await
        .expect("key")
        .is_some());
    assert_eq!(
        store.idempotency_record(&key("b-1")).await.expect("key"),
        None
    );
    let entries = store.entries_page(0, 100).await.expect("entries");
    assert_eq!(entries.len(), 2, "one funding entry per applied move");
    let again = store.update_escrows(&writes[..1]).await.expect("replay");
    assert!(matches!(again[0], IdempotentOutcome::Replayed { .. }));
    let before = head_seq(&store).await;
    let twice = store.update_escrows(&writes[..2]).await.expect("again");
    assert!(
        matches!(twice[0], IdempotentOutcome::Replayed { .. }),
        "{twice:?}"
    );
    assert_eq!(twice[1], IdempotentOutcome::StaleVersion);
    assert_appended(&store, before, 0, "a batch where nothing applied").await;
    assert_eq!(
        store.idempotency_record(&key("b-1")).await.expect("key"),
        None
    );
    assert_eq!(store.update_escrows(&[]).await.expect("empty"), []);
}

//! What the flow cases ([`crate::escrow_flow`], [`crate::payments_flow`]) share: a
//! [`Platform`] over a fresh store with a buyer, a seller and an agent signed in, published
//! listings to open escrows on, and the steps of the money flow, each expected to succeed.

use std::sync::Arc;

use msme_core::auth::{LoginId, NewAccount};
use msme_core::clock::ManualClock;
use msme_core::escrow_service::{PayoutRun, VerifyReport};
use msme_core::ledger::MilestoneInput;
use msme_core::ledger::{Escrow, EscrowId, EscrowTermsInput, IdempotencyKey, LedgerAccount};
use msme_core::listing::{ListingAction, ListingStatus, ListingView};
use msme_core::ports::Store;
use msme_core::rbac::Actor;
use msme_core::types::{ListingId, Mobile, Password, Secret, UserId};
use msme_core::{Platform, RequestMeta};
use msme_sandbox::{SandboxGateway, SandboxStore};

/// The sandbox gateway's books as raw SQL sees them: what a flow case checks or changes behind
/// the platform's back, which no port offers. Each backend's tests implement it on its tables.
#[async_trait::async_trait]
pub trait SandboxBooks: Send + Sync {
    /// How many sandbox objects of `kind` (`order`, `payment`, `payout`) are in `status`.
    async fn count(&self, kind: &str, status: &str) -> i64;
    /// Takes `paise` off the amount of every sandbox object of `kind`.
    async fn take_off(&self, kind: &str, paise: i64);
    /// Moves every sandbox object of `kind` to `status`.
    async fn set_status(&self, kind: &str, status: &str);
}

/// What a backend hands each flow case: a fresh, empty, migrated store and its sandbox books.
pub struct FlowStore {
    pub store: Arc<dyn Store>,
    /// The same database as the sandbox gateway's books.
    pub sandbox: Arc<dyn SandboxStore>,
    pub books: Box<dyn SandboxBooks>,
}

/// A platform on a manual clock, its three signed-in parties, and the operator.
pub struct World {
    pub p: Platform,
    pub clock: Arc<ManualClock>,
    pub buyer: Actor,
    pub seller: Actor,
    pub agent: Actor,
    pub op: Actor,
    pub m: RequestMeta,
    pub store: Arc<dyn Store>,
    pub sandbox: Arc<dyn SandboxStore>,
    pub books: Box<dyn SandboxBooks>,
}

pub fn key(s: &str) -> IdempotencyKey {
    IdempotencyKey::parse(s).expect("key")
}

pub fn user(a: &Actor) -> UserId {
    a.user_id().expect("a user").clone()
}

async fn sign_up(p: &Platform, n: u32, role: &str) -> Actor {
    let (m, mobile) = (RequestMeta::default(), format!("98765 4{n:04}"));
    let account =
        NewAccount::parse("Asha Rao", &mobile, None, "chai-and-ledgers", role).expect("account");
    p.auth().register(&m, account).await.expect("register");
    let id = LoginId::Mobile(Mobile::parse(&mobile).expect("mobile"));
    let password = Password::parse("chai-and-ledgers").expect("password");
    let tokens = p.auth().login(&m, &id, &password, None).await;
    let access = tokens.expect("login").access_token;
    p.auth().authenticate(&access).await.expect("actor")
}

impl World {
    pub async fn new(fresh: FlowStore) -> World {
        let FlowStore {
            store,
            sandbox,
            books,
        } = fresh;
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        let secret = Secret::new("a secret of at least thirty-two bytes!");
        let p = Platform::builder(store.clone(), secret)
            .clock(clock.clone())
            .gateway(Arc::new(SandboxGateway::new(
                sandbox.clone(),
                clock.clone(),
            )))
            .hash_concurrency(2)
            .build()
            .expect("platform");
        let buyer = sign_up(&p, 1, "buyer").await;
        let seller = sign_up(&p, 2, "seller").await;
        let agent = sign_up(&p, 3, "agent").await;
        let (op, m) = (Actor::operator(), RequestMeta::default());
        World {
            p,
            clock,
            buyer,
            seller,
            agent,
            op,
            m,
            store,
            sandbox,
            books,
        }
    }

    /// A listing of the seller's, taken through review to `published`, as escrows need.
    async fn published_listing(&self) -> ListingId {
        let input = msme_core::testing::listing_input(false);
        let listings = self.p.listings();
        let l = listings.create(&self.m, &self.seller, &input).await;
        let id = l.expect("listing").id;
        for (actor, action) in [
            (&self.seller, ListingAction::Submit),
            (&self.op, ListingAction::Approve),
            (&self.seller, ListingAction::Publish),
        ] {
            let moved = listings.transition(&self.m, actor, &id, action, None).await;
            moved.expect("workflow");
        }
        id
    }

    /// Terms for a new published listing: `amount` in `milestones`; with `agent`, the agent
    /// earns 1% and the platform 2.5%, without, nobody but the seller is paid.
    pub async fn terms(
        &self,
        amount: i64,
        milestones: &[(&str, i64)],
        agent: bool,
    ) -> EscrowTermsInput {
        let milestones = milestones.iter().map(|(n, a)| MilestoneInput {
            name: (*n).into(),
            amount_paise: *a,
        });
        EscrowTermsInput {
            listing_id: self.published_listing().await,
            buyer_id: user(&self.buyer),
            seller_id: user(&self.seller),
            amount_paise: amount,
            platform_fee_bps: if agent { 250 } else { 0 },
            agent_id: agent.then(|| user(&self.agent)),
            agent_commission_bps: if agent { 100 } else { 0 },
            milestones: milestones.collect(),
        }
    }

    /// The buyer opens an escrow on `input` under `k`.
    pub async fn open_on(&self, k: &str, input: EscrowTermsInput) -> Escrow {
        let (k, escrows) = (key(k), self.p.escrows());
        let opened = escrows.create(&self.m, &self.buyer, &k, input).await;
        opened.expect("open").value
    }

    /// The buyer opens an escrow of `amount` in one milestone, `all`, without an agent.
    pub async fn open(&self, k: &str, amount: i64) -> Escrow {
        let input = self.terms(amount, &[("all", amount)], false).await;
        self.open_on(k, input).await
    }

    /// The buyer funds `id` through the gateway under `k`.
    pub async fn fund(&self, k: &str, id: &EscrowId) -> Escrow {
        let (k, escrows) = (key(k), self.p.escrows());
        let funded = escrows.fund(&self.m, &self.buyer, &k, id).await;
        funded.expect("fund").value
    }

    /// The buyer releases `milestone` of `id` under `k`.
    pub async fn release(&self, k: &str, id: &EscrowId, milestone: &str) -> Escrow {
        let (k, escrows) = (key(k), self.p.escrows());
        let released = escrows.release(&self.m, &self.buyer, &k, id, milestone);
        released.await.expect("release").value
    }

    /// One payout run by the operator.
    pub async fn payouts(&self) -> PayoutRun {
        self.p
            .payouts()
            .run(&self.m, &self.op)
            .await
            .expect("payouts")
    }

    /// `ledger verify` by the operator.
    pub async fn verify(&self) -> VerifyReport {
        self.p.ledger().verify(&self.op).await.expect("verify")
    }

    /// `ledger verify` finds nothing wrong.
    pub async fn assert_verified(&self) {
        let report = self.verify().await;
        assert!(report.is_clean(), "{:?}", report.violations);
    }

    pub fn seller_payable(&self) -> LedgerAccount {
        LedgerAccount::SellerPayable(user(&self.seller))
    }

    /// What the runtime's consumers do after escrow moves (a worker would): the listing
    /// follows, the offer and the sale are recorded.
    pub async fn follow(&self) {
        use msme_core::runtime::{
            COMPARABLE_SALES_CONSUMER, LISTING_ESCROWS_CONSUMER, MATCHER_CONSUMER,
        };
        let rt = self.p.runtime();
        for name in [
            LISTING_ESCROWS_CONSUMER,
            COMPARABLE_SALES_CONSUMER,
            MATCHER_CONSUMER,
        ] {
            let done = rt.catch_up(name).await.expect("catch up");
            assert_eq!(done.dead_letters, 0, "{name}");
        }
    }

    /// The status of the listing `escrow` is on.
    pub async fn listing_status(&self, escrow: &Escrow) -> ListingStatus {
        let listing = escrow.terms.listing_id();
        let view = self.p.listings().get(&self.op, listing).await;
        match view.expect("listing") {
            ListingView::Full(f) => f.listing.status,
            ListingView::Teaser(t) => t.status,
        }
    }
}

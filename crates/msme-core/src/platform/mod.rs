//! [`Platform`]: the one value that holds the ports and policies; every operation hangs off it.

mod consumers;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::auth::{Auth, PasswordHasher, TokenKeys};
use crate::clock::{Clock, SystemClock};
use crate::error::ValidationError;
use crate::model::ModelEngine;
use crate::ports::{BlobStore, PaymentGateway, SearchIndex, SmsChannel, Store};
use crate::types::Secret;
use crate::valuation::ValuationAssumptions;

pub(crate) use crate::model::ModelCache;

pub use crate::audit::RequestMeta;
pub use crate::auth::AuthPolicy;

/// The marketplace: storage, clock, channels and policies. Cheap to clone; share it.
///
/// ```no_run
/// # async fn demo(
/// #     store: std::sync::Arc<dyn msme_core::ports::Store>,
/// #     gateway: std::sync::Arc<dyn msme_core::gateway::PaymentGateway>,
/// # ) -> Result<(), Box<dyn std::error::Error>> {
/// use msme_core::{Platform, types::Secret};
/// let platform = Platform::builder(store, Secret::new("a secret of at least thirty-two bytes"))
///     .gateway(gateway)
///     .build()?;
/// let health = platform.store().health().await;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Platform {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) sms: Option<Arc<dyn SmsChannel>>,
    pub(crate) blobs: Option<Arc<dyn BlobStore>>,
    pub(crate) gateway: Arc<dyn PaymentGateway>,
    pub(crate) search: Option<Arc<dyn SearchIndex>>,
    pub(crate) models: Option<Arc<dyn ModelEngine>>,
    /// The last model loaded, by version: valuations reuse it until another is active.
    pub(crate) model_cache: ModelCache,
    /// Public listings as matching sees them, built on first use and kept in step with the
    /// audit log.
    pub(crate) catalog: tokio::sync::RwLock<Option<crate::matching::Catalog>>,
    /// Buyers' views waiting for the runtime's view flusher.
    pub(crate) views: crate::matching::ViewBuffer,
    pub(crate) hasher: PasswordHasher,
    pub(crate) keys: TokenKeys,
    pub(crate) otp_key: Vec<u8>,
    pub(crate) policy: AuthPolicy,
    pub(crate) valuation_assumptions: ValuationAssumptions,
    /// Writes concurrent escrow moves together (see `escrow_service::group_commit`).
    pub(crate) group_commit: crate::escrow_service::group_commit::GroupCommit,
}

impl std::fmt::Debug for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Platform")
            .field("backend", &self.inner.store.backend_name())
            .field("sms", &self.inner.sms.as_ref().map(|s| s.name()))
            .finish_non_exhaustive()
    }
}

/// Sets up a [`Platform`]; only the store and the signing secret are required.
pub struct PlatformBuilder {
    store: Arc<dyn Store>,
    secret: Secret,
    clock: Arc<dyn Clock>,
    sms: Option<Arc<dyn SmsChannel>>,
    blobs: Option<Arc<dyn BlobStore>>,
    gateway: Option<Arc<dyn PaymentGateway>>,
    search: Option<Arc<dyn SearchIndex>>,
    models: Option<Arc<dyn ModelEngine>>,
    policy: AuthPolicy,
    hash_concurrency: usize,
    valuation_assumptions: ValuationAssumptions,
}

impl PlatformBuilder {
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }
    /// A provider that delivers SMS from the outbox. Without one, messages wait in the outbox.
    pub fn sms(mut self, channel: Arc<dyn SmsChannel>) -> Self {
        self.sms = Some(channel);
        self
    }
    /// Where uploaded files are kept. Without one, document operations fail as unavailable.
    pub fn blobs(mut self, blobs: Arc<dyn BlobStore>) -> Self {
        self.blobs = Some(blobs);
        self
    }

    /// The payment gateway escrows are funded and payouts made through (required: `build`
    /// refuses a platform without one).
    pub fn gateway(mut self, gateway: Arc<dyn PaymentGateway>) -> Self {
        self.gateway = Some(gateway);
        self
    }

    /// The search index. Without one, search fails as unavailable.
    pub fn search(mut self, index: Arc<dyn SearchIndex>) -> Self {
        self.search = Some(index);
        self
    }
    /// What trains and loads valuation models. Without one, valuations have no model method
    /// and training fails as unavailable.
    pub fn model_engine(mut self, engine: Arc<dyn ModelEngine>) -> Self {
        self.models = Some(engine);
        self
    }
    pub fn policy(mut self, policy: AuthPolicy) -> Self {
        self.policy = policy;
        self
    }
    /// The rates and discounts the valuation methods assume (default:
    /// [`ValuationAssumptions::default`], each value documented there). Checked by `build`.
    pub fn valuation_assumptions(mut self, assumptions: ValuationAssumptions) -> Self {
        self.valuation_assumptions = assumptions;
        self
    }
    /// How many password hashes may run at once (default: the number of CPUs).
    pub fn hash_concurrency(mut self, n: usize) -> Self {
        self.hash_concurrency = n;
        self
    }
    pub fn build(self) -> Result<Platform, ValidationError> {
        let keys = TokenKeys::new(&self.secret)?;
        self.valuation_assumptions
            .check()
            .map_err(|e| ValidationError::new("valuation_assumptions", e.to_string()))?;
        // OTPs are hashed with a key derived from the secret, so a stolen table of 6-digit
        // hashes cannot be brute-forced offline.
        let mut mac = Hmac::<Sha256>::new_from_slice(self.secret.expose().as_bytes())
            .expect("any key length");
        mac.update(b"msme otp hashing key v1");
        let otp_key = mac.finalize().into_bytes().to_vec();
        let gateway = self.gateway.ok_or_else(|| {
            ValidationError::new(
                "gateway",
                "a platform needs a payment gateway: msme-sandbox's SandboxGateway or msme-razorpay's RazorpayGateway",
            )
        })?;
        Ok(Platform {
            inner: Arc::new(Inner {
                store: self.store,
                clock: self.clock,
                sms: self.sms,
                blobs: self.blobs,
                gateway,
                search: self.search,
                models: self.models,
                model_cache: Mutex::new(None),
                catalog: tokio::sync::RwLock::new(None),
                views: Default::default(),
                hasher: PasswordHasher::owasp(self.hash_concurrency),
                keys,
                otp_key,
                policy: self.policy,
                valuation_assumptions: self.valuation_assumptions,
                group_commit: Default::default(),
            }),
        })
    }
}

impl Platform {
    pub fn builder(store: Arc<dyn Store>, jwt_secret: Secret) -> PlatformBuilder {
        PlatformBuilder {
            store,
            secret: jwt_secret,
            clock: Arc::new(SystemClock),
            sms: None,
            blobs: None,
            gateway: None,
            search: None,
            models: None,
            policy: AuthPolicy::default(),
            valuation_assumptions: ValuationAssumptions::default(),
            hash_concurrency: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
        }
    }

    /// Registration, sign-in, OTP, tokens, sessions and MFA.
    pub fn auth(&self) -> Auth<'_> {
        self.accounts().auth()
    }

    /// Operator and admin management of accounts.
    pub fn users(&self) -> crate::auth::Users<'_> {
        self.accounts().users()
    }

    /// The audit trail: verification and export.
    pub fn audit(&self) -> crate::auth::AuditLog<'_> {
        self.accounts().audit()
    }

    /// Profiles of every role.
    pub fn profiles(&self) -> crate::profile::Profiles<'_> {
        crate::profile::Profiles {
            store: self.inner.store.as_ref(),
            stamp: self.stamp(),
        }
    }

    /// KYC submissions and decisions.
    pub fn kyc(&self) -> crate::kyc::KycDesk<'_> {
        crate::kyc::KycDesk {
            store: self.inner.store.as_ref(),
            stamp: self.stamp(),
        }
    }

    /// Uploaded documents and images.
    pub fn documents(&self) -> crate::documents::Documents<'_> {
        crate::documents::Documents {
            store: self.inner.store.as_ref(),
            stamp: self.stamp(),
            blobs: self.inner.blobs.as_deref(),
        }
    }

    /// Listings and their workflow.
    pub fn listings(&self) -> crate::listing::Listings<'_> {
        crate::listing::Listings {
            store: self.inner.store.as_ref(),
            stamp: self.stamp(),
        }
    }

    /// Valuations users ask for and keep.
    pub fn valuations(&self) -> crate::valuation::Valuations<'_> {
        crate::valuation::Valuations {
            c: crate::valuation::ValuationCtx {
                store: self.inner.store.as_ref(),
                stamp: self.stamp(),
                assumptions: &self.inner.valuation_assumptions,
                listings: self.listings(),
                models: self.models(),
            },
        }
    }

    /// Comparable deals, model training, the registry and the active model.
    pub fn models(&self) -> crate::model::Models<'_> {
        crate::model::Models {
            c: self.models_ctx(),
        }
    }

    /// Buyer preferences, saved searches, agent grants, interactions and matching.
    pub fn matching(&self) -> crate::matching::Matching<'_> {
        crate::matching::Matching {
            c: self.search_ctx(),
        }
    }

    /// Search over public listings, and the indexer that keeps it current.
    pub fn search(&self) -> crate::search::Search<'_> {
        self.search_ctx().search()
    }

    /// The runtime with the platform's own consumers and its view flusher (see
    /// [`crate::runtime`]): run it with
    /// [`Runtime::run`](crate::runtime::Runtime::run) beside the HTTP API, in `msme worker`, or
    /// in an embedding program, adding its own consumers with
    /// [`Runtime::with`](crate::runtime::Runtime::with).
    pub fn runtime(&self) -> crate::runtime::Runtime {
        let log: Arc<dyn crate::ports::EventLog> = self.inner.store.clone();
        consumers::builtin_consumers(self)
            .into_iter()
            .fold(
                crate::runtime::Runtime::new(log, self.inner.clock.clone()),
                crate::runtime::Runtime::with,
            )
            .with_flusher(Arc::new(consumers::ViewFlusher(self.clone())))
    }

    /// The SMS outbox.
    pub fn outbox(&self) -> crate::auth::Outbox<'_> {
        self.accounts().outbox()
    }

    /// Escrows: open, fund, release, refund, dispute, resolve, cancel.
    pub fn escrows(&self) -> crate::escrow_service::Escrows<'_> {
        self.money().escrows()
    }

    /// Statements and verification of the ledger.
    pub fn ledger(&self) -> crate::escrow_service::Ledger<'_> {
        self.money().ledger()
    }

    /// Payments that funded escrows, bank transfers confirmed by admins, and gateway webhooks.
    pub fn payments(&self) -> crate::escrow_service::Payments<'_> {
        self.money().payments()
    }

    /// The payout pass and payout listings.
    pub fn payouts(&self) -> crate::escrow_service::Payouts<'_> {
        self.money().payouts()
    }

    /// The payment gateway in use.
    pub fn gateway(&self) -> &dyn PaymentGateway {
        self.inner.gateway.as_ref()
    }

    /// The storage backend, for health checks and tools.
    pub fn store(&self) -> &dyn Store {
        self.inner.store.as_ref()
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.inner.clock.now()
    }

    pub fn policy(&self) -> &AuthPolicy {
        &self.inner.policy
    }

    /// The rates and discounts valuations assume.
    pub fn valuation_assumptions(&self) -> &ValuationAssumptions {
        &self.inner.valuation_assumptions
    }

    /// The SMS provider delivering the outbox (`twilio`, `msg91`), or `None` when messages wait
    /// in the outbox for an operator.
    pub fn sms_channel_name(&self) -> Option<&'static str> {
        self.inner.sms.as_ref().map(|c| c.name())
    }

    /// The accounts context's ports, keys and policy.
    pub(crate) fn accounts(&self) -> crate::auth::AccountsCtx<'_> {
        let i = &self.inner;
        crate::auth::AccountsCtx {
            store: i.store.as_ref(),
            stamp: self.stamp(),
            hasher: &i.hasher,
            keys: &i.keys,
            otp_key: &i.otp_key,
            policy: &i.policy,
            sms: i.sms.as_deref(),
        }
    }

    /// The money context's ports, gateway and group commit.
    pub(crate) fn money(&self) -> crate::escrow_service::MoneyCtx<'_> {
        crate::escrow_service::MoneyCtx {
            store: self.inner.store.as_ref(),
            stamp: self.stamp(),
            gateway: self.inner.gateway.as_ref(),
            group_commit: &self.inner.group_commit,
        }
    }

    /// The models context's ports, engines and cache.
    pub(crate) fn models_ctx(&self) -> crate::model::ModelsCtx<'_> {
        crate::model::ModelsCtx {
            store: self.inner.store.as_ref(),
            stamp: self.stamp(),
            engines: &self.inner.models,
            cache: &self.inner.model_cache,
        }
    }

    /// The search and matching context's ports, index, catalog and listings.
    pub(crate) fn search_ctx(&self) -> crate::search::SearchCtx<'_> {
        crate::search::SearchCtx {
            store: self.inner.store.as_ref(),
            stamp: self.stamp(),
            index: &self.inner.search,
            catalog: &self.inner.catalog,
            views: &self.inner.views,
            listings: self.listings(),
        }
    }

    /// The clock services stamp their changes with.
    pub(crate) fn stamp(&self) -> crate::audit::Stamp<'_> {
        crate::audit::Stamp {
            clock: self.inner.clock.as_ref(),
        }
    }
}

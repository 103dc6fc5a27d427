//! [`Models`]: comparable deals, training, the registry and the active model's estimates.
//!
//! Who may do what: importing deals, training, importing and activating models need
//! [`Permission::ManageModels`] (admins and the operator); reading the registry's performance
//! needs [`Permission::RequestValuation`] (anyone signed in: it says how far to trust an
//! estimate).

use serde_json::json;

use super::{
    ComparableDeal, ComparableId, ComparableInput, ComparableSource, Metrics, ModelError,
    ModelVersion, TrainingSet,
};
use crate::audit::RequestMeta;
use crate::error::ValidationError;
use crate::ledger::EscrowState;
use crate::listing::{DealType, ListingStatus, RowError};
use crate::money::Paise;
use crate::rbac::{Actor, Permission};
use crate::types::ListingId;

type Result<T> = std::result::Result<T, ModelError>;

/// Rows per store page when reading every deal.
const PAGE: u32 = 1000;
/// Deals per insert transaction in [`Models::add_comparables`].
const BATCH: usize = 5000;

/// The last loaded model and its version.
pub(crate) type ModelCache =
    std::sync::Mutex<Option<(super::ModelVersionId, std::sync::Arc<dyn super::Regressor>)>>;

/// What the models context (comparable deals, training, the registry, estimates) is built
/// with: its ports, the engines and the loaded model's cache.
#[derive(Clone, Copy)]
pub(crate) struct ModelsCtx<'a> {
    pub(crate) store: &'a dyn crate::model::ModelPorts,
    pub(crate) stamp: crate::audit::Stamp<'a>,
    pub(crate) engines: &'a Option<std::sync::Arc<dyn super::ModelEngine>>,
    pub(crate) cache: &'a ModelCache,
}

impl ModelsCtx<'_> {
    /// The model cached for `version`, if that is the one loaded.
    pub(crate) fn cached_model(
        &self,
        version: &super::ModelVersionId,
    ) -> Option<std::sync::Arc<dyn super::Regressor>> {
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .as_ref()
            .filter(|(v, _)| v == version)
            .map(|(_, m)| m.clone())
    }

    pub(crate) fn cache_model(
        &self,
        version: &super::ModelVersionId,
        model: std::sync::Arc<dyn super::Regressor>,
    ) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        *cache = Some((version.clone(), model));
    }
}

/// Model operations; get one from [`Platform::models`](crate::Platform::models).
pub struct Models<'a> {
    pub(crate) c: ModelsCtx<'a>,
}

/// What an import of comparable deals did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ComparablesImport {
    /// Rows that passed their checks.
    pub valid: usize,
    /// Deals added (valid rows not already kept).
    pub added: usize,
    /// Rows refused, by line and field.
    pub errors: Vec<RowError>,
}

/// The registry as users see it.
#[derive(Clone, Debug, PartialEq)]
pub struct Performance {
    pub active: Option<ModelVersion>,
    /// Every version, newest first.
    pub versions: Vec<ModelVersion>,
    pub comparables: u64,
}

impl Models<'_> {
    /// Checks every row and adds the valid ones in one transaction. With errors nothing is
    /// added, unless `skip_invalid` (then the valid rows are). Rows are `(line, input)`.
    pub async fn import_comparables(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        rows: &[(usize, ComparableInput)],
        skip_invalid: bool,
    ) -> Result<ComparablesImport> {
        actor.require(Permission::ManageModels)?;
        let now = self.c.stamp.now();
        let mut report = ComparablesImport::default();
        let mut deals = Vec::with_capacity(rows.len());
        for (line, input) in rows {
            match ComparableDeal::parse(input, ComparableSource::Import, None, now) {
                Ok(d) => deals.push(d),
                Err(errs) => report.errors.extend(errs.into_iter().map(|e| RowError {
                    line: *line,
                    field: e.field,
                    reason: e.reason,
                })),
            }
        }
        report.valid = deals.len();
        if deals.is_empty() || (!report.errors.is_empty() && !skip_invalid) {
            return Ok(report);
        }
        report.added = self
            .add(meta, actor, &deals, "comparables.imported")
            .await?;
        Ok(report)
    }

    /// Adds deals of `source`, each named by the caller's reference within that source (the
    /// demo generator's `demo:SEED:N`). Every deal is checked before any is added; the first
    /// problem refuses the call. Deals already kept under the same source and reference are
    /// skipped. Added in transactions of up to 5,000 deals, each recording one audit event
    /// (`comparables.demo_added` for demo deals, `comparables.imported` for imports).
    /// Returns how many were added.
    ///
    /// `Platform` deals are refused: a sale becomes a deal only from its released escrow
    /// ([`Models::record_sale`]), so that every such deal is a listing sold here.
    pub async fn add_comparables(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        source: ComparableSource,
        deals: &[(String, ComparableInput)],
    ) -> Result<usize> {
        actor.require(Permission::ManageModels)?;
        let action = match source {
            ComparableSource::Demo => "comparables.demo_added",
            ComparableSource::Import => "comparables.imported",
            ComparableSource::Platform => {
                return Err(ModelError::Invalid(ValidationError::new(
                    "source",
                    "platform deals are recorded from sales, not added",
                )))
            }
        };
        let now = self.c.stamp.now();
        let parsed = deals
            .iter()
            .map(|(r, input)| {
                ComparableDeal::parse(input, source, Some(r.clone()), now).map_err(|e| {
                    let first = e.into_iter().next();
                    ModelError::Invalid(
                        first.unwrap_or_else(|| ValidationError::new("deal", "invalid")),
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut added = 0;
        for chunk in parsed.chunks(BATCH) {
            added += self.add(meta, actor, chunk, action).await?;
        }
        Ok(added)
    }

    /// Records a sold listing as a comparable deal (source `platform`, reference the listing
    /// id), priced at what its escrow paid. Full sales only: a stake's price is not the
    /// business's. Returns whether one was added.
    pub async fn record_sale(
        &self,
        meta: &RequestMeta,
        listing: &ListingId,
        price: Paise,
    ) -> Result<bool> {
        let store = self.c.store;
        if store
            .has_comparable(ComparableSource::Platform, listing.as_str())
            .await?
        {
            return Ok(false);
        }
        let Some(l) = store.listing_by_id(listing).await? else {
            return Ok(false);
        };
        if l.status != ListingStatus::Sold || l.content.deal_type != DealType::FullSale {
            return Ok(false);
        }
        let Some(input) = sale_input(&l.content, price.get()) else {
            return Ok(false);
        };
        let deal = ComparableDeal::parse(
            &input,
            ComparableSource::Platform,
            Some(listing.to_string()),
            self.c.stamp.now(),
        )
        .map_err(|e| ModelError::Invalid(e.into_iter().next().expect("parse fails with errors")))?;
        let n = self
            .add(
                meta,
                &Actor::operator(),
                &[deal],
                "comparables.sale_recorded",
            )
            .await?;
        Ok(n > 0)
    }

    /// Records every sold listing whose escrow was released and that is not yet a comparable
    /// deal: the catch-up for a sale whose recording did not happen (a crash after the
    /// release). Returns how many were added.
    pub async fn collect_sales(&self, meta: &RequestMeta, actor: &Actor) -> Result<usize> {
        actor.require(Permission::ManageModels)?;
        let store = self.c.store;
        let mut after = None;
        let mut added = 0;
        loop {
            let page = store.escrows_page(after.as_ref(), PAGE).await?;
            for e in page.iter().filter(|e| e.state == EscrowState::Released) {
                let listing = e.terms.listing_id();
                added += usize::from(self.record_sale(meta, listing, e.terms.amount()).await?);
            }
            match page.last() {
                Some(last) if page.len() == PAGE as usize => after = Some(last.id.clone()),
                _ => break,
            }
        }
        Ok(added)
    }

    /// Every kept deal, in id order.
    pub async fn comparables(&self, actor: &Actor) -> Result<Vec<ComparableDeal>> {
        actor.require(Permission::ManageModels)?;
        let store = self.c.store;
        let mut all = Vec::new();
        let mut after: Option<ComparableId> = None;
        loop {
            let page = store.comparables_page(after.as_ref(), PAGE).await?;
            let Some(last) = page.last() else {
                break;
            };
            after = Some(last.id.clone());
            let full = page.len() == PAGE as usize;
            all.extend(page);
            if !full {
                break;
            }
        }
        Ok(all)
    }

    /// The kept deals as a training set.
    pub async fn training_set(&self, actor: &Actor) -> Result<TrainingSet> {
        let deals = self.comparables(actor).await?;
        tokio::task::spawn_blocking(move || TrainingSet::from_deals(&deals))
            .await
            .map_err(|e| ModelError::Library(format!("building the training set: {e}")))
    }

    /// Every version, newest first.
    pub async fn versions(&self, actor: &Actor) -> Result<Vec<ModelVersion>> {
        actor.require(Permission::ManageModels)?;
        Ok(self.c.store.model_versions().await?)
    }

    /// The active version, every version and how many deals there are to learn from.
    pub async fn performance(&self, actor: &Actor) -> Result<Performance> {
        actor.require(Permission::RequestValuation)?;
        let store = self.c.store;
        let versions = store.model_versions().await?;
        Ok(Performance {
            active: versions.iter().find(|v| v.active).cloned(),
            versions,
            comparables: store.comparable_count().await?,
        })
    }

    /// Makes a version the active one (an older one: a rollback).
    pub async fn activate(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        id: &super::ModelVersionId,
    ) -> Result<ModelVersion> {
        actor.require(Permission::ManageModels)?;
        let event = self.c.stamp.event(
            meta,
            actor.audit_actor(),
            "model.activated",
            ("model_version", id.as_str()),
            json!({}),
        );
        let store = self.c.store;
        if !store
            .activate_model_version(id, self.c.stamp.now(), event)
            .await?
        {
            return Err(ModelError::VersionNotFound);
        }
        store
            .model_version_by_id(id)
            .await?
            .ok_or(ModelError::VersionNotFound)
    }

    async fn add(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        deals: &[ComparableDeal],
        action: &str,
    ) -> Result<usize> {
        let first = deals.first().map_or("", |d| d.id.as_str());
        let event = self.c.stamp.event(
            meta,
            actor.audit_actor(),
            action,
            ("comparable", first),
            json!({ "rows": deals.len() }),
        );
        Ok(self.c.store.add_comparables(deals, event).await?)
    }
}

/// Metrics in one line, for notes.
pub(crate) fn describe(m: &Metrics) -> String {
    format!(
        "test MAPE {:.1}%, median APE {:.1}%, R² (log) {:.3}, {} deals",
        m.mape * 100.0,
        m.median_ape * 100.0,
        m.r2_log,
        m.n
    )
}

/// A sold listing's latest figures and price as a deal; `None` without financials.
fn sale_input(c: &crate::listing::ListingContent, price: i64) -> Option<ComparableInput> {
    let latest = c.financials.first()?;
    let oldest = c.financials.last()?;
    let years = latest.fiscal_year - oldest.fiscal_year;
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let growth = (years > 0 && oldest.revenue.get() > 0).then(|| {
        let g = (latest.revenue.get() as f64 / oldest.revenue.get() as f64)
            .powf(1.0 / f64::from(years))
            - 1.0;
        (g * 10_000.0).round() as i64
    });
    Some(ComparableInput {
        industry: c.industry.id.into(),
        state: c.state.name.into(),
        city: c.city.clone(),
        year_established: c.year_established,
        fiscal_year: latest.fiscal_year,
        employees: Some(i64::from(c.employees)),
        revenue_paise: latest.revenue.get(),
        ebitda_paise: latest.ebitda.get(),
        net_profit_paise: latest.net_profit.get(),
        total_assets_paise: latest.total_assets.get(),
        total_liabilities_paise: latest.total_liabilities.get(),
        debt_paise: latest.debt.get(),
        revenue_growth_bps: growth,
        sale_price_paise: price,
    })
}

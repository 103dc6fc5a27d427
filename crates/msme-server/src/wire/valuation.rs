//! Valuations on the wire: the request in its three forms, and the kept valuation.

use std::collections::BTreeMap;

use msme_core::error::ValidationError;
use msme_core::listing::ListingId;
use msme_core::valuation::{
    Comparable, InputSummary, LegacyValuationRequest, MethodLine, RawFinancials, Valuation,
    ValuationRequest,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::listing::FinancialsBody;
use super::time;

/// `POST /v1/valuations`, in one of three forms (unknown fields are refused):
/// - `{"listing_id"}`: value a listing;
/// - figures in paise: `industry` (an id from `GET /v1/industries`), `city`, `state`,
///   `year_established`, `employees`, `financials` (at least one year), optional `company_name`,
///   `growth_rate` (percent) and `top_customer_share` (percent of revenue);
/// - the original design's fields, amounts in whole rupees: `company_name`, `business_type`,
///   `industry` (free text), `location` ("City" or "City, State"), `establishment_year`,
///   `annual_revenue`, `annual_profit`, and optionally `total_assets`, `current_assets`,
///   `current_liabilities`, `total_debt`, `employee_count`, `growth_rate` (percent), `ebitda`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ValuationRequestBody {
    pub listing_id: Option<String>,
    pub company_name: Option<String>,
    pub industry: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub year_established: Option<i32>,
    pub employees: Option<i64>,
    pub financials: Option<Vec<FinancialsBody>>,
    pub growth_rate: Option<f64>,
    /// Share of revenue from the largest customer, in percent (with financials in paise).
    pub top_customer_share: Option<f64>,
    pub business_type: Option<String>,
    pub location: Option<String>,
    pub establishment_year: Option<i32>,
    pub annual_revenue: Option<i64>,
    pub annual_profit: Option<i64>,
    pub total_assets: Option<i64>,
    pub current_assets: Option<i64>,
    pub current_liabilities: Option<i64>,
    pub total_debt: Option<i64>,
    pub employee_count: Option<i64>,
    pub ebitda: Option<i64>,
}

/// What a request body asks for.
pub enum Asked {
    Listing(ListingId),
    Figures(Box<ValuationRequest>),
}

fn need<T>(v: Option<T>, field: &str) -> Result<T, ValidationError> {
    v.ok_or_else(|| ValidationError::new(field, "is required"))
}

impl TryFrom<ValuationRequestBody> for Asked {
    type Error = ValidationError;

    fn try_from(b: ValuationRequestBody) -> Result<Self, ValidationError> {
        if let Some(id) = &b.listing_id {
            let id =
                ListingId::parse(id).map_err(|e| ValidationError::new("listing_id", e.reason))?;
            return Ok(Asked::Listing(id));
        }
        let request = if b.financials.is_some() {
            figures(b)?
        } else if b.annual_revenue.is_some() {
            legacy(b)?
        } else {
            return Err(ValidationError::new(
                "listing_id",
                "give a listing_id, financials in paise, or the original design's fields",
            ));
        };
        Ok(Asked::Figures(Box::new(request)))
    }
}

fn figures(b: ValuationRequestBody) -> Result<ValuationRequest, ValidationError> {
    Ok(ValuationRequest::Financials(RawFinancials {
        company_name: b.company_name,
        industry: need(b.industry, "industry")?,
        city: need(b.city, "city")?,
        state: need(b.state, "state")?,
        year_established: need(b.year_established, "year_established")?,
        employees: b.employees.unwrap_or(0),
        financials: b
            .financials
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect(),
        growth_rate: b.growth_rate,
        top_customer_share: b.top_customer_share,
    }))
}

fn legacy(b: ValuationRequestBody) -> Result<ValuationRequest, ValidationError> {
    if b.top_customer_share.is_some() {
        return Err(ValidationError::new(
            "top_customer_share",
            "is taken with financials in paise, not with the original design's fields",
        ));
    }
    Ok(ValuationRequest::Legacy(LegacyValuationRequest {
        company_name: b.company_name.unwrap_or_default(),
        business_type: b.business_type.unwrap_or_default(),
        industry: need(b.industry, "industry")?,
        location: need(b.location, "location")?,
        establishment_year: need(b.establishment_year, "establishment_year")?,
        annual_revenue: need(b.annual_revenue, "annual_revenue")?,
        annual_profit: need(b.annual_profit, "annual_profit")?,
        total_assets: b.total_assets,
        current_assets: b.current_assets,
        current_liabilities: b.current_liabilities,
        total_debt: b.total_debt,
        employee_count: b.employee_count,
        growth_rate: b.growth_rate,
        ebitda: b.ebitda,
    }))
}

/// One method's answer and weight.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MethodBody {
    /// `market_multiples`, `revenue_multiple`, `dcf`, `net_asset_value`, `rule_of_thumb`.
    pub method: String,
    pub value_paise: i64,
    pub low_paise: Option<i64>,
    pub high_paise: Option<i64>,
    /// Share of the blend, 0 to 1; the methods' weights add up to 1.
    pub weight: f64,
    /// Why this weight first, then the method's assumptions and steps.
    pub notes: Vec<String>,
}

impl From<&MethodLine> for MethodBody {
    fn from(m: &MethodLine) -> Self {
        Self {
            method: m.method.clone(),
            value_paise: m.value_paise,
            low_paise: m.low_paise,
            high_paise: m.high_paise,
            weight: f64::from(m.weight_bps) / 10_000.0,
            notes: std::iter::once(m.reason.clone())
                .chain(m.notes.iter().cloned())
                .collect(),
        }
    }
}

/// One risk flag.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RiskFlagBody {
    /// e.g. `falling_revenue`, `unverified_financials`.
    pub code: String,
    /// `low`, `medium` or `high`.
    pub severity: String,
    pub reason: String,
}

/// Risk score (0 nothing flagged, to 100) and flags.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RisksBody {
    pub score: u8,
    pub flags: Vec<RiskFlagBody>,
}

/// A published or sold listing near the business valued, as its teaser shows it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ComparableBody {
    pub listing_id: String,
    pub headline: String,
    pub industry: String,
    pub state: String,
    pub status: String,
    pub revenue_band: Option<String>,
    pub asking_price_paise: i64,
    /// Asking price ÷ latest revenue.
    pub asking_to_revenue: Option<f64>,
    /// Asking price ÷ latest EBITDA.
    pub asking_to_ebitda: Option<f64>,
    /// Smaller is nearer: industry, state and size apart.
    pub distance: f64,
}

impl From<&Comparable> for ComparableBody {
    fn from(c: &Comparable) -> Self {
        Self {
            listing_id: c.listing_id.clone(),
            headline: c.headline.clone(),
            industry: c.industry.clone(),
            state: c.state.clone(),
            status: c.status.clone(),
            revenue_band: c.revenue_band.clone(),
            asking_price_paise: c.asking_price_paise,
            asking_to_revenue: c.asking_to_revenue,
            asking_to_ebitda: c.asking_to_ebitda,
            distance: c.distance,
        }
    }
}

/// A kept valuation.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ValuationBody {
    pub id: String,
    pub listing_id: Option<String>,
    /// Null when the operator asked.
    pub requested_by: Option<String>,
    pub created_at: String,
    pub value_paise: i64,
    pub low_paise: i64,
    pub high_paise: i64,
    /// Stated coverage of the range; null while it is the methods' spread, not calibrated.
    pub coverage: Option<f64>,
    /// 0 to 100, from the range's width and the completeness of the inputs.
    pub confidence: u8,
    pub methods: Vec<MethodBody>,
    /// Methods that gave no number, with why: `{"method", "reason"}`.
    #[schema(value_type = Vec<Object>)]
    pub skipped: serde_json::Value,
    pub notes: Vec<String>,
    pub risks: RisksBody,
    pub comparables: Vec<ComparableBody>,
    /// What was valued, in brief. When `withheld` is true (the reader now sees only the
    /// listing's teaser) it holds only `subject` (the teaser's headline), `industry`, `state`,
    /// `revenue_band`, `valuation_date` and `withheld`, and each method's notes say its
    /// workings are withheld.
    #[schema(value_type = Object)]
    pub input: serde_json::Value,
    /// Every rate the methods assumed, by name.
    pub assumptions: BTreeMap<String, f64>,
    /// Where the reference data came from: the multiples table's source and date.
    pub sources: Vec<String>,
    /// The active trained model's estimate, range, test errors and the features that raised
    /// or lowered it most (`top_features`: `{"feature", "value", "effect_pct"}`); null when
    /// no model is active.
    #[schema(value_type = Option<Object>)]
    pub model: Option<serde_json::Value>,
}

impl From<&Valuation> for ValuationBody {
    fn from(v: &Valuation) -> Self {
        let r = &v.report;
        Self {
            id: v.id.to_string(),
            listing_id: v.listing_id.as_ref().map(ToString::to_string),
            requested_by: v.requested_by.as_ref().map(ToString::to_string),
            created_at: time(v.created_at),
            value_paise: r.value_paise,
            low_paise: r.low_paise,
            high_paise: r.high_paise,
            coverage: r.coverage,
            confidence: r.confidence,
            methods: r.methods.iter().map(MethodBody::from).collect(),
            skipped: serde_json::to_value(&r.skipped).unwrap_or_default(),
            notes: r.notes.clone(),
            risks: RisksBody {
                score: r.risks.score,
                flags: r
                    .risks
                    .flags
                    .iter()
                    .map(|f| RiskFlagBody {
                        code: f.code.clone(),
                        severity: f.severity.clone(),
                        reason: f.reason.clone(),
                    })
                    .collect(),
            },
            comparables: r.comparables.iter().map(ComparableBody::from).collect(),
            input: input_summary(&r.input),
            assumptions: r.assumptions.clone(),
            sources: r.sources.clone(),
            model: r.model.as_ref().and_then(|m| serde_json::to_value(m).ok()),
        }
    }
}

/// The input summary on the wire; a withheld one without the fields it no longer holds.
fn input_summary(i: &InputSummary) -> serde_json::Value {
    if !i.withheld {
        return serde_json::to_value(i).unwrap_or_default();
    }
    serde_json::json!({
        "subject": i.subject,
        "industry": i.industry,
        "state": i.state,
        "revenue_band": i.revenue_band,
        "valuation_date": i.valuation_date,
        "withheld": true,
    })
}

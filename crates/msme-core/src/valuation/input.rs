//! What a valuation is computed from.

use chrono::{Datelike, NaiveDate};

use crate::error::ValidationError;
use crate::listing::{Industry, ListingContent, State, YearFinancials};
use crate::money::Paise;

/// The kind of an asset in a seller's inventory; decides how much of its book value a buyer
/// could realise (see [`super::RealisableFactors`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AssetCategory {
    Land,
    Buildings,
    PlantMachinery,
    Vehicles,
    FurnitureFixtures,
    ComputersIt,
    Inventory,
    Receivables,
    Cash,
    Intangibles,
    Other,
}

impl AssetCategory {
    pub const ALL: [AssetCategory; 11] = [
        AssetCategory::Land,
        AssetCategory::Buildings,
        AssetCategory::PlantMachinery,
        AssetCategory::Vehicles,
        AssetCategory::FurnitureFixtures,
        AssetCategory::ComputersIt,
        AssetCategory::Inventory,
        AssetCategory::Receivables,
        AssetCategory::Cash,
        AssetCategory::Intangibles,
        AssetCategory::Other,
    ];

    /// Wire name, e.g. `plant_machinery`.
    pub fn as_str(self) -> &'static str {
        match self {
            AssetCategory::Land => "land",
            AssetCategory::Buildings => "buildings",
            AssetCategory::PlantMachinery => "plant_machinery",
            AssetCategory::Vehicles => "vehicles",
            AssetCategory::FurnitureFixtures => "furniture_fixtures",
            AssetCategory::ComputersIt => "computers_it",
            AssetCategory::Inventory => "inventory",
            AssetCategory::Receivables => "receivables",
            AssetCategory::Cash => "cash",
            AssetCategory::Intangibles => "intangibles",
            AssetCategory::Other => "other",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                ValidationError::new("category", format!("`{s}` is not an asset category"))
            })
    }
}

/// One asset with its book value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetItem {
    pub category: AssetCategory,
    pub book_value: Paise,
}

/// A seller's asset inventory. `total_book_value` is authoritative; items may itemise only part
/// of it, the rest counting as [`AssetCategory::Other`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetInventory {
    pub total_book_value: Paise,
    pub items: Vec<AssetItem>,
}

impl AssetInventory {
    /// An inventory whose total is the sum of its items; `None` if the sum overflows or an item
    /// is negative.
    pub fn from_items(items: Vec<AssetItem>) -> Option<Self> {
        let mut total = Paise::ZERO;
        for i in &items {
            if i.book_value.is_negative() {
                return None;
            }
            total = total.checked_add(i.book_value)?;
        }
        Some(Self {
            total_book_value: total,
            items,
        })
    }
}

/// What diligence has established about the seller's claims; feeds the risk report and the
/// blend's trust in earnings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diligence {
    /// Financials checked against filed returns or audited statements.
    pub financials_verified: bool,
    /// Every document the listing needs is uploaded.
    pub documents_complete: bool,
    /// Share of revenue from the largest customer (0 to 1), if the seller said.
    pub top_customer_share: Option<f64>,
}

/// Everything the valuation methods read.
#[derive(Clone, Debug, PartialEq)]
pub struct ValuationInput {
    pub industry: &'static Industry,
    pub city: String,
    /// `None` when a free-text location named no state.
    pub state: Option<&'static State>,
    pub year_established: i32,
    pub employees: u32,
    /// Newest year first.
    pub financials: Vec<YearFinancials>,
    /// False when the figures came without EBITDA (the original design made it optional); the
    /// years' `ebitda` is then zero and no method reads it.
    pub ebitda_known: bool,
    pub assets: Option<AssetInventory>,
    pub current_assets: Option<Paise>,
    pub current_liabilities: Option<Paise>,
    /// Cash and equivalents, added to equity value when known.
    pub cash: Option<Paise>,
    /// Expected revenue growth per year as a fraction (0.12 = 12%), if the seller gave one; the
    /// DCF uses it only when the history has a single year.
    pub growth_rate: Option<f64>,
    pub valuation_date: NaiveDate,
    pub diligence: Diligence,
}

impl ValuationInput {
    /// A listing's valuation input: its content, its asset inventory if any, and diligence.
    pub fn from_listing(
        content: &ListingContent,
        assets: Option<AssetInventory>,
        diligence: Diligence,
        valuation_date: NaiveDate,
    ) -> Result<Self, ValidationError> {
        let employees = u32::try_from(content.employees)
            .map_err(|_| ValidationError::new("employees", "must not be negative"))?;
        Ok(Self {
            industry: content.industry,
            city: content.city.clone(),
            state: Some(content.state),
            year_established: content.year_established,
            employees,
            financials: content.financials.clone(),
            ebitda_known: true,
            assets,
            current_assets: None,
            current_liabilities: None,
            cash: None,
            growth_rate: None,
            valuation_date,
            diligence,
        })
    }

    /// The latest year's figures, if any.
    pub fn latest(&self) -> Option<&YearFinancials> {
        self.financials.first()
    }

    /// Whole years since establishment at the valuation date (never negative).
    pub fn age_years(&self) -> i32 {
        (self.valuation_date.year() - self.year_established).max(0)
    }

    /// Latest debt, zero without financials.
    pub fn debt(&self) -> Paise {
        self.latest().map_or(Paise::ZERO, |y| y.debt)
    }

    /// How many of the latest consecutive years have positive EBITDA (0 when EBITDA is unknown).
    pub fn positive_ebitda_years(&self) -> usize {
        if !self.ebitda_known {
            return 0;
        }
        self.financials
            .iter()
            .take_while(|y| y.ebitda.get() > 0)
            .count()
    }

    /// Whether the latest EBITDA is known and positive.
    pub fn has_positive_ebitda(&self) -> bool {
        self.positive_ebitda_years() > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::valuation::test_support::{input, year};

    #[test]
    fn categories_round_trip_and_unknown_ones_are_named() {
        for c in AssetCategory::ALL {
            assert_eq!(AssetCategory::parse(c.as_str()), Ok(c));
        }
        assert_eq!(
            AssetCategory::parse("goodwill").unwrap_err().field,
            "category"
        );
    }

    #[test]
    fn inventory_totals_its_items_and_refuses_overflow() {
        let item = |v| AssetItem {
            category: AssetCategory::Land,
            book_value: Paise::new(v),
        };
        let inv = AssetInventory::from_items(vec![item(5), item(7)]).unwrap();
        assert_eq!(inv.total_book_value, Paise::new(12));
        assert_eq!(
            AssetInventory::from_items(vec![item(i64::MAX), item(1)]),
            None
        );
        assert_eq!(AssetInventory::from_items(vec![item(-1)]), None);
    }

    #[test]
    fn a_listing_becomes_an_input() {
        let mut listing = crate::testing::listing_input(true);
        listing.financials = vec![crate::testing::financials(2026)];
        let date = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let content = ListingContent::parse(&listing, date).unwrap();
        let assets = AssetInventory::from_items(vec![AssetItem {
            category: AssetCategory::PlantMachinery,
            book_value: Paise::new(3_00_00_000_00),
        }]);
        let i = ValuationInput::from_listing(&content, assets, Diligence::default(), date).unwrap();
        assert_eq!(
            (i.industry.id, i.state.unwrap().code, i.employees),
            ("machinery", "MH", 42)
        );
        assert_eq!(i.financials, content.financials);
        assert!(i.ebitda_known);
        assert_eq!(i.debt(), Paise::new(1_00_00_000_00));
        assert_eq!(
            i.assets.unwrap().total_book_value,
            Paise::new(3_00_00_000_00)
        );
    }

    #[test]
    fn positive_ebitda_years_count_the_latest_unbroken_run() {
        let mut i = input(vec![
            year(2026, 100, 10),
            year(2025, 100, -1),
            year(2024, 100, 9),
        ]);
        assert_eq!(i.positive_ebitda_years(), 1);
        i.ebitda_known = false;
        assert_eq!(i.positive_ebitda_years(), 0);
        assert_eq!(i.age_years(), 18);
    }
}

//! Fixtures for the tests of the core and of the crates built on it (feature `testing`): one
//! business, a CNC machining unit in Pune, wherever a test needs a listing.

use crate::listing::{FinancialsInput, ListingInput};

/// A year of the unit's books: ₹8 crore revenue, ₹1.2 crore EBITDA, ₹60 lakh profit.
pub fn financials(fiscal_year: i32) -> FinancialsInput {
    FinancialsInput {
        fiscal_year,
        revenue_paise: 8_00_00_000_00,
        ebitda_paise: 1_20_00_000_00,
        net_profit_paise: 60_00_000_00,
        total_assets_paise: 5_00_00_000_00,
        total_liabilities_paise: 2_00_00_000_00,
        debt_paise: 1_00_00_000_00,
    }
}

/// The unit for sale in full at ₹12 crore, with its books for FY 2024-25.
pub fn listing_input(anonymous: bool) -> ListingInput {
    ListingInput {
        title: "Precision CNC machining unit".into(),
        description: "Profitable CNC job shop serving auto OEMs in Pune for 18 years.".into(),
        industry: "machinery".into(),
        city: "Pune".into(),
        state: "Maharashtra".into(),
        year_established: 2008,
        employees: 42,
        deal_type: "full_sale".into(),
        asking_price_paise: 12_00_00_000_00,
        anonymous,
        financials: vec![financials(2025)],
    }
}

//! Per-industry figures the valuation needs beyond the Damodaran multiples.

use crate::listing::Industry;

/// A typical EBITDA margin for an Indian business in `industry`, used to turn EV/EBITDA into
/// EV/Sales (EV/Sales = EV/EBITDA × EBITDA/Sales), since EV/Sales for India is not shipped.
///
/// These are the engine's round estimates of mid-sized Indian firms' margins per sector (thin in
/// trade, wide in software, education and hospitality); they are stated in every note that uses
/// them. Industries added later without an entry get 10%, and the note says so.
pub fn typical_ebitda_margin(industry: &Industry) -> Option<f64> {
    let m = match industry.id {
        "wholesale_distribution" => 0.04,
        "grocery_retail" => 0.05,
        "retail" => 0.07,
        "agriculture" | "food_processing" | "textiles_apparel" | "leather_footwear"
        | "furniture" | "steel_metals" | "electronics" | "construction" | "logistics" => 0.10,
        "paper_printing"
        | "plastics_packaging"
        | "rubber_products"
        | "electrical_equipment"
        | "auto_components"
        | "media_advertising"
        | "personal_services" => 0.12,
        "machinery" => 0.13,
        "beverages"
        | "chemicals"
        | "building_materials"
        | "renewable_energy"
        | "waste_management"
        | "restaurants"
        | "professional_services"
        | "recreation" => 0.15,
        "pharmaceuticals" | "healthcare" | "healthcare_products" => 0.18,
        "it_services" | "real_estate_services" => 0.20,
        "hotels" | "software" | "education" => 0.25,
        "financial_services" => 0.30,
        _ => return None,
    };
    Some(m)
}

/// The original design's coarse sectors, each with its rule-of-thumb multipliers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RuleOfThumbSector {
    pub name: &'static str,
    /// × annual revenue.
    pub revenue_multiple: f64,
    /// × annual net profit (only when positive).
    pub profit_multiple: f64,
    /// × total assets at book.
    pub asset_multiple: f64,
}

const fn sector(name: &'static str, rev: f64, profit: f64, assets: f64) -> RuleOfThumbSector {
    RuleOfThumbSector {
        name,
        revenue_multiple: rev,
        profit_multiple: profit,
        asset_multiple: assets,
    }
}

/// The sector table of the rule-of-thumb method:
///
/// | sector | NIC sections | revenue | profit | assets |
/// |---|---|---|---|---|
/// | technology | J (not media) | 1.5 | 8 | 1.0 |
/// | manufacturing | C | 0.8 | 5 | 1.0 |
/// | trade | G | 0.3 | 4 | 0.9 |
/// | hospitality | I | 0.7 | 5 | 1.0 |
/// | infrastructure | A, D, E, F, H | 0.6 | 5 | 1.0 |
/// | services | K, L, M, P, Q, R, S and media | 1.0 | 6 | 0.8 |
pub fn rule_of_thumb_sector(industry: &Industry) -> RuleOfThumbSector {
    match (industry.nic_section, industry.id) {
        ('J', id) if id != "media_advertising" => sector("technology", 1.5, 8.0, 1.0),
        ('C', _) => sector("manufacturing", 0.8, 5.0, 1.0),
        ('G', _) => sector("trade", 0.3, 4.0, 0.9),
        ('I', _) => sector("hospitality", 0.7, 5.0, 1.0),
        ('A' | 'D' | 'E' | 'F' | 'H', _) => sector("infrastructure", 0.6, 5.0, 1.0),
        _ => sector("services", 1.0, 6.0, 0.8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listing::{industry, INDUSTRIES};

    #[test]
    fn every_industry_has_a_typical_margin() {
        for i in INDUSTRIES {
            let m = typical_ebitda_margin(i).unwrap_or_else(|| panic!("{}", i.id));
            assert!((0.0..1.0).contains(&m), "{}", i.id);
        }
    }

    #[test]
    fn sectors_follow_nic_sections() {
        let s = |id| rule_of_thumb_sector(industry(id).unwrap()).name;
        assert_eq!(s("software"), "technology");
        assert_eq!(s("media_advertising"), "services");
        assert_eq!(s("machinery"), "manufacturing");
        assert_eq!(s("retail"), "trade");
        assert_eq!(s("logistics"), "infrastructure");
        assert_eq!(s("education"), "services");
    }
}

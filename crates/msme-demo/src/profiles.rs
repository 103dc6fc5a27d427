//! What a typical business in each industry looks like: how common it is on the marketplace,
//! its EBITDA margin, how asset-heavy it is, how much revenue one employee brings, and the
//! words its listings use.

use msme_core::listing::INDUSTRIES;

use crate::{phrases_goods, phrases_industry, phrases_services};

/// The shape of a typical MSME in one industry.
#[derive(Debug)]
pub(super) struct Profile {
    /// Industry wire name, as in [`INDUSTRIES`].
    pub id: &'static str,
    /// Relative frequency among listings.
    pub weight: u32,
    /// Typical EBITDA margin, as a fraction of revenue.
    pub margin: f64,
    /// Total assets per rupee of revenue.
    pub assets_per_revenue: f64,
    /// Revenue per employee, in ₹ lakh.
    pub revenue_per_employee_lakh: f64,
}

const fn p(id: &'static str, weight: u32, margin_pct: f64, assets: f64, rpe: f64) -> Profile {
    Profile {
        id,
        weight,
        margin: margin_pct / 100.0,
        assets_per_revenue: assets,
        revenue_per_employee_lakh: rpe,
    }
}

/// Margins and intensities are round figures in the range Indian MSME surveys and listed peers
/// show; they only need to be plausible, not precise.
#[rustfmt::skip]
const PROFILES: &[Profile] = &[
    //  id                        weight margin% assets/revenue revenue per employee (₹ lakh)
    p("agriculture",               3,    12.0,   0.9,   20.0),
    p("food_processing",           6,     9.0,   0.6,   45.0),
    p("beverages",                 2,    14.0,   0.8,   50.0),
    p("textiles_apparel",          7,    10.0,   0.7,   20.0),
    p("leather_footwear",          2,     9.0,   0.6,   15.0),
    p("furniture",                 3,    11.0,   0.7,   20.0),
    p("paper_printing",            3,    12.0,   0.9,   35.0),
    p("chemicals",                 4,    15.0,   0.8,   80.0),
    p("pharmaceuticals",           3,    18.0,   0.9,   60.0),
    p("plastics_packaging",        4,    12.0,   0.8,   50.0),
    p("rubber_products",           2,    11.0,   0.8,   40.0),
    p("building_materials",        3,    14.0,   1.0,   50.0),
    p("steel_metals",              4,     8.0,   0.7,   90.0),
    p("machinery",                 6,    13.0,   0.8,   35.0),
    p("electrical_equipment",      3,    12.0,   0.7,   45.0),
    p("electronics",               3,    10.0,   0.6,   40.0),
    p("auto_components",           5,    12.0,   0.8,   35.0),
    p("renewable_energy",          2,    25.0,   2.0,  120.0),
    p("waste_management",          2,    18.0,   1.2,   25.0),
    p("construction",              4,    10.0,   0.6,   30.0),
    p("wholesale_distribution",    6,     4.0,   0.4,  150.0),
    p("retail",                    5,     7.0,   0.5,   40.0),
    p("grocery_retail",            3,     4.0,   0.35,  50.0),
    p("logistics",                 4,    10.0,   0.8,   35.0),
    p("hotels",                    2,    28.0,   2.5,   12.0),
    p("restaurants",               3,    14.0,   0.6,    8.0),
    p("it_services",               5,    18.0,   0.4,   18.0),
    p("software",                  3,    22.0,   0.5,   25.0),
    p("media_advertising",         2,    14.0,   0.4,   30.0),
    p("financial_services",        2,    30.0,   3.0,   40.0),
    p("real_estate_services",      2,    20.0,   0.8,   30.0),
    p("professional_services",     3,    16.0,   0.4,   20.0),
    p("education",                 2,    22.0,   1.2,   10.0),
    p("healthcare",                3,    18.0,   1.3,   15.0),
    p("healthcare_products",       2,    17.0,   0.9,   45.0),
    p("recreation",                2,    18.0,   1.5,   12.0),
    p("personal_services",         2,    12.0,   0.4,   10.0),
];

/// Words for one industry's listings: three kinds of business, the `i`-th title, activity and
/// strength describing the same one. Activities follow a subject ("The company …").
#[derive(Debug)]
pub(super) struct Phrases {
    pub id: &'static str,
    /// Title stems; the generator appends " in {place}".
    pub titles: [&'static str; 3],
    pub activities: [&'static str; 3],
    pub strengths: [&'static str; 3],
}

/// Profile and phrases of one industry, found by its position in [`INDUSTRIES`].
#[derive(Debug)]
pub(super) struct IndustryKit {
    pub profile: &'static Profile,
    pub phrases: &'static Phrases,
}

/// One kit per industry, in the order of [`INDUSTRIES`]; `None` if any industry lacks a profile
/// or phrases (a test guards this).
pub(super) fn kits() -> Option<Vec<IndustryKit>> {
    let banks = [
        phrases_goods::PHRASES,
        phrases_industry::PHRASES,
        phrases_services::PHRASES,
    ];
    INDUSTRIES
        .iter()
        .map(|ind| {
            Some(IndustryKit {
                profile: PROFILES.iter().find(|p| p.id == ind.id)?,
                phrases: banks
                    .iter()
                    .flat_map(|b| b.iter())
                    .find(|p| p.id == ind.id)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_industry_has_exactly_one_profile_and_phrase_bank() {
        let kits = kits().expect("every industry has a kit");
        assert_eq!(kits.len(), INDUSTRIES.len());
        assert_eq!(PROFILES.len(), INDUSTRIES.len());
        let phrases = phrases_goods::PHRASES.len()
            + phrases_industry::PHRASES.len()
            + phrases_services::PHRASES.len();
        assert_eq!(phrases, INDUSTRIES.len());
        let total: u32 = PROFILES.iter().map(|p| p.weight).sum();
        for k in &kits {
            // Rare enough to look real, common enough to appear in a few hundred listings.
            assert!(f64::from(k.profile.weight) / f64::from(total) > 0.012);
            assert!(k.profile.margin > 0.0 && k.profile.margin < 0.5);
            for t in k.phrases.titles {
                assert!(t.len() <= 60, "{t}");
            }
        }
    }
}

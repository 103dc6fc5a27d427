//! Free-text industry names of the original design mapped onto the taxonomy.

use crate::error::ValidationError;
use crate::listing::{industry, Industry, INDUSTRIES};

/// Names clients of the original design send, and the taxonomy id each maps to. Broad names go
/// to the closest single industry:
///
/// | names | industry | why |
/// |---|---|---|
/// | manufacturing, engineering | `machinery` | the largest manufacturing peer group (187 listed firms) and the typical MSME manufacturer (job shops, fabrication) |
/// | technology, tech, it, information technology | `it_services` | most Indian tech MSMEs sell services, not products |
/// | services, consulting, business services | `professional_services` | |
/// | trading, trade, wholesale, distribution | `wholesale_distribution` | |
/// | e-commerce, ecommerce | `retail` | |
/// | food, food and beverage, fmcg | `food_processing` | |
/// | hospitality | `hotels` | |
/// | health, medical | `healthcare` | |
/// | pharma | `pharmaceuticals` | |
/// | textile, textiles, garments | `textiles_apparel` | |
/// | automotive, auto | `auto_components` | MSMEs in the auto sector are overwhelmingly suppliers |
/// | transport, transportation | `logistics` | |
/// | finance, fintech, nbfc | `financial_services` | |
/// | real estate | `real_estate_services` | |
/// | farming, agro, agritech | `agriculture` | |
/// | energy, solar | `renewable_energy` | MSME energy businesses are mostly solar installers and developers |
/// | marketing, media | `media_advertising` | |
/// | edtech | `education` | |
/// | metals, steel, metal fabrication | `steel_metals` | |
/// | plastics, packaging | `plastics_packaging` | |
/// | chemical | `chemicals` | |
///
/// Matching ignores case, spaces, `&`/`and` and punctuation; taxonomy ids and labels match too.
const ALIASES: &[(&str, &str)] = &[
    ("manufacturing", "machinery"),
    ("engineering", "machinery"),
    ("technology", "it_services"),
    ("tech", "it_services"),
    ("it", "it_services"),
    ("informationtechnology", "it_services"),
    ("services", "professional_services"),
    ("consulting", "professional_services"),
    ("businessservices", "professional_services"),
    ("trading", "wholesale_distribution"),
    ("trade", "wholesale_distribution"),
    ("wholesale", "wholesale_distribution"),
    ("distribution", "wholesale_distribution"),
    ("ecommerce", "retail"),
    ("food", "food_processing"),
    ("foodbeverage", "food_processing"),
    ("fmcg", "food_processing"),
    ("hospitality", "hotels"),
    ("health", "healthcare"),
    ("medical", "healthcare"),
    ("pharma", "pharmaceuticals"),
    ("textile", "textiles_apparel"),
    ("textiles", "textiles_apparel"),
    ("garments", "textiles_apparel"),
    ("automotive", "auto_components"),
    ("auto", "auto_components"),
    ("transport", "logistics"),
    ("transportation", "logistics"),
    ("finance", "financial_services"),
    ("fintech", "financial_services"),
    ("nbfc", "financial_services"),
    ("realestate", "real_estate_services"),
    ("farming", "agriculture"),
    ("agro", "agriculture"),
    ("agritech", "agriculture"),
    ("energy", "renewable_energy"),
    ("solar", "renewable_energy"),
    ("marketing", "media_advertising"),
    ("media", "media_advertising"),
    ("edtech", "education"),
    ("metals", "steel_metals"),
    ("steel", "steel_metals"),
    ("metalfabrication", "steel_metals"),
    ("plastics", "plastics_packaging"),
    ("packaging", "plastics_packaging"),
    ("chemical", "chemicals"),
];

/// Lower case, letters and digits only, the word "and" dropped: "Food & Beverage" and
/// "food and beverage" both become `foodbeverage`.
fn key(s: &str) -> String {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "and")
        .collect()
}

/// The taxonomy industry for an original-design industry name; an unknown name is an error on
/// the field `industry`.
pub fn legacy_industry(raw: &str) -> Result<&'static Industry, ValidationError> {
    let k = key(raw);
    if let Some(i) = INDUSTRIES
        .iter()
        .find(|i| key(i.id) == k || key(i.label) == k)
    {
        return Ok(i);
    }
    match ALIASES.iter().find(|(alias, _)| *alias == k) {
        Some((_, id)) => industry(id),
        None => Err(ValidationError::new(
            "industry",
            format!(
                "`{}` is not a known industry; use a taxonomy id (GET /v1/industries) or a \
                 common name such as Manufacturing, Technology, Retail or Services",
                raw.trim()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_names_map_as_documented() {
        let id = |s| legacy_industry(s).unwrap().id;
        assert_eq!(id("Manufacturing"), "machinery");
        assert_eq!(id("  Technology "), "it_services");
        assert_eq!(id("Food & Beverage"), "food_processing");
        assert_eq!(id("food and beverage"), "food_processing");
        assert_eq!(id("E-commerce"), "retail");
        assert_eq!(id("Retail"), "retail");
        assert_eq!(id("Healthcare services"), "healthcare");
        assert_eq!(id("steel_metals"), "steel_metals");
    }

    #[test]
    fn every_alias_names_a_taxonomy_id() {
        for (alias, id) in ALIASES {
            assert!(industry(id).is_ok(), "{alias} -> {id}");
        }
    }

    #[test]
    fn unknown_names_are_an_error_on_the_industry_field() {
        let e = legacy_industry("Space mining").unwrap_err();
        assert_eq!(e.field, "industry");
        assert!(e.reason.contains("Space mining"));
    }
}

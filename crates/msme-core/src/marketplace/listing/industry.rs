//! The fixed industry taxonomy, each industry tied to its NIC-2008 section and to the
//! Damodaran industry whose multiples value it.

use crate::error::ValidationError;

/// An industry a listing can be in.
#[derive(Debug, PartialEq, Eq)]
pub struct Industry {
    /// Wire name, e.g. `machinery`.
    pub id: &'static str,
    pub label: &'static str,
    /// NIC-2008 section letter (A to U).
    pub nic_section: char,
    /// Damodaran's India industry name, for valuation multiples.
    pub damodaran: &'static str,
}

macro_rules! industries {
    ($($id:literal, $label:literal, $nic:literal, $dam:literal;)*) => {
        /// Every industry, in display order.
        pub const INDUSTRIES: &[Industry] = &[$(Industry { id: $id, label: $label, nic_section: $nic, damodaran: $dam }),*];
    };
}

industries! {
    "agriculture", "Agriculture and allied", 'A', "Farming/Agriculture";
    "food_processing", "Food processing", 'C', "Food Processing";
    "beverages", "Beverages", 'C', "Beverage (Soft)";
    "textiles_apparel", "Textiles and apparel", 'C', "Apparel";
    "leather_footwear", "Leather and footwear", 'C', "Shoe";
    "furniture", "Wood and furniture", 'C', "Furn/Home Furnishings";
    "paper_printing", "Paper and printing", 'C', "Paper/Forest Products";
    "chemicals", "Chemicals", 'C', "Chemical (Specialty)";
    "pharmaceuticals", "Pharmaceuticals", 'C', "Drugs (Pharmaceutical)";
    "plastics_packaging", "Plastics and packaging", 'C', "Packaging & Container";
    "rubber_products", "Rubber products", 'C', "Rubber& Tires";
    "building_materials", "Building materials", 'C', "Building Materials";
    "steel_metals", "Steel and metal products", 'C', "Steel";
    "machinery", "Machinery and engineering", 'C', "Machinery";
    "electrical_equipment", "Electrical equipment", 'C', "Electrical Equipment";
    "electronics", "Electronics", 'C', "Electronics (General)";
    "auto_components", "Auto components", 'C', "Auto Parts";
    "renewable_energy", "Renewable energy", 'D', "Green & Renewable Energy";
    "waste_management", "Water, waste and recycling", 'E', "Environmental & Waste Services";
    "construction", "Construction and contracting", 'F', "Engineering/Construction";
    "wholesale_distribution", "Wholesale and distribution", 'G', "Retail (Distributors)";
    "retail", "Retail", 'G', "Retail (General)";
    "grocery_retail", "Grocery and food retail", 'G', "Retail (Grocery and Food)";
    "logistics", "Transport and logistics", 'H', "Transportation";
    "hotels", "Hotels and hospitality", 'I', "Hotel/Gaming";
    "restaurants", "Restaurants and food service", 'I', "Restaurant/Dining";
    "it_services", "IT services", 'J', "Computer Services";
    "software", "Software products", 'J', "Software (System & Application)";
    "media_advertising", "Media and advertising", 'J', "Advertising";
    "financial_services", "Financial services", 'K', "Financial Svcs. (Non-bank & Insurance)";
    "real_estate_services", "Real estate services", 'L', "Real Estate (Operations & Services)";
    "professional_services", "Professional and business services", 'M', "Business & Consumer Services";
    "education", "Education and training", 'P', "Education";
    "healthcare", "Healthcare services", 'Q', "Hospitals/Healthcare Facilities";
    "healthcare_products", "Medical devices and supplies", 'C', "Healthcare Products";
    "recreation", "Recreation and fitness", 'R', "Recreation";
    "personal_services", "Personal and household services", 'S', "Household Products";
}

/// Looks an industry up by its wire name.
pub fn industry(id: &str) -> Result<&'static Industry, ValidationError> {
    let id = id.trim().to_ascii_lowercase();
    INDUSTRIES.iter().find(|i| i.id == id).ok_or_else(|| {
        ValidationError::new(
            "industry",
            format!("`{id}` is not in the taxonomy; see GET /v1/industries"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_snake_case_and_sections_valid() {
        let mut ids: Vec<_> = INDUSTRIES.iter().map(|i| i.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), INDUSTRIES.len());
        for i in INDUSTRIES {
            assert!(
                i.id.bytes().all(|c| c.is_ascii_lowercase() || c == b'_'),
                "{}",
                i.id
            );
            assert!(('A'..='U').contains(&i.nic_section), "{}", i.id);
        }
    }

    #[test]
    fn every_industry_maps_to_a_row_of_the_shipped_multiples() {
        let csv = include_str!("../../../../../data/damodaran-india-ev-multiples-2026-01.csv");
        let names: Vec<&str> = csv
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').next())
            .collect();
        for i in INDUSTRIES {
            assert!(names.contains(&i.damodaran), "{} -> {}", i.id, i.damodaran);
        }
    }

    #[test]
    fn lookup_names_unknown_industries() {
        assert_eq!(industry("Machinery").unwrap().nic_section, 'C');
        assert_eq!(industry("mining").unwrap_err().field, "industry");
    }
}

//! Indian states and union territories, with their GST state codes and city tiers.

use crate::error::ValidationError;

/// A state or union territory.
#[derive(Debug, PartialEq, Eq)]
pub struct State {
    /// Wire name: the official English name, e.g. `Maharashtra`.
    pub name: &'static str,
    /// Two-letter code as in vehicle registration and Udyam numbers.
    pub code: &'static str,
    /// GST state code (the first two digits of a GSTIN).
    pub gst_code: u8,
}

/// All 28 states and 8 union territories.
pub const STATES: &[State] = &[
    State {
        name: "Andaman and Nicobar Islands",
        code: "AN",
        gst_code: 35,
    },
    State {
        name: "Andhra Pradesh",
        code: "AP",
        gst_code: 37,
    },
    State {
        name: "Arunachal Pradesh",
        code: "AR",
        gst_code: 12,
    },
    State {
        name: "Assam",
        code: "AS",
        gst_code: 18,
    },
    State {
        name: "Bihar",
        code: "BR",
        gst_code: 10,
    },
    State {
        name: "Chandigarh",
        code: "CH",
        gst_code: 4,
    },
    State {
        name: "Chhattisgarh",
        code: "CG",
        gst_code: 22,
    },
    State {
        name: "Dadra and Nagar Haveli and Daman and Diu",
        code: "DH",
        gst_code: 26,
    },
    State {
        name: "Delhi",
        code: "DL",
        gst_code: 7,
    },
    State {
        name: "Goa",
        code: "GA",
        gst_code: 30,
    },
    State {
        name: "Gujarat",
        code: "GJ",
        gst_code: 24,
    },
    State {
        name: "Haryana",
        code: "HR",
        gst_code: 6,
    },
    State {
        name: "Himachal Pradesh",
        code: "HP",
        gst_code: 2,
    },
    State {
        name: "Jammu and Kashmir",
        code: "JK",
        gst_code: 1,
    },
    State {
        name: "Jharkhand",
        code: "JH",
        gst_code: 20,
    },
    State {
        name: "Karnataka",
        code: "KA",
        gst_code: 29,
    },
    State {
        name: "Kerala",
        code: "KL",
        gst_code: 32,
    },
    State {
        name: "Ladakh",
        code: "LA",
        gst_code: 38,
    },
    State {
        name: "Lakshadweep",
        code: "LD",
        gst_code: 31,
    },
    State {
        name: "Madhya Pradesh",
        code: "MP",
        gst_code: 23,
    },
    State {
        name: "Maharashtra",
        code: "MH",
        gst_code: 27,
    },
    State {
        name: "Manipur",
        code: "MN",
        gst_code: 14,
    },
    State {
        name: "Meghalaya",
        code: "ML",
        gst_code: 17,
    },
    State {
        name: "Mizoram",
        code: "MZ",
        gst_code: 15,
    },
    State {
        name: "Nagaland",
        code: "NL",
        gst_code: 13,
    },
    State {
        name: "Odisha",
        code: "OD",
        gst_code: 21,
    },
    State {
        name: "Puducherry",
        code: "PY",
        gst_code: 34,
    },
    State {
        name: "Punjab",
        code: "PB",
        gst_code: 3,
    },
    State {
        name: "Rajasthan",
        code: "RJ",
        gst_code: 8,
    },
    State {
        name: "Sikkim",
        code: "SK",
        gst_code: 11,
    },
    State {
        name: "Tamil Nadu",
        code: "TN",
        gst_code: 33,
    },
    State {
        name: "Telangana",
        code: "TS",
        gst_code: 36,
    },
    State {
        name: "Tripura",
        code: "TR",
        gst_code: 16,
    },
    State {
        name: "Uttar Pradesh",
        code: "UP",
        gst_code: 9,
    },
    State {
        name: "Uttarakhand",
        code: "UK",
        gst_code: 5,
    },
    State {
        name: "West Bengal",
        code: "WB",
        gst_code: 19,
    },
];

/// Finds a state by name (any case) or two-letter code.
pub fn state(raw: &str) -> Result<&'static State, ValidationError> {
    let s = raw.trim();
    STATES
        .iter()
        .find(|st| st.name.eq_ignore_ascii_case(s) || st.code.eq_ignore_ascii_case(s))
        .ok_or_else(|| {
            ValidationError::new(
                "state",
                format!("`{s}` is not an Indian state or union territory"),
            )
        })
}

/// City tiers as used for HRA classification and in the original valuation design.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CityTier {
    Tier1,
    Tier2,
    Tier3,
}

const TIER1: &[&str] = &[
    "mumbai",
    "delhi",
    "new delhi",
    "bengaluru",
    "bangalore",
    "chennai",
    "kolkata",
    "hyderabad",
    "pune",
    "ahmedabad",
];
const TIER2: &[&str] = &[
    "jaipur",
    "lucknow",
    "kanpur",
    "nagpur",
    "indore",
    "bhopal",
    "surat",
    "vadodara",
    "rajkot",
    "coimbatore",
    "kochi",
    "visakhapatnam",
    "vijayawada",
    "ludhiana",
    "chandigarh",
    "noida",
    "gurugram",
    "gurgaon",
    "nashik",
    "aurangabad",
    "madurai",
    "mysuru",
    "mysore",
    "thiruvananthapuram",
    "bhubaneswar",
    "patna",
    "ranchi",
    "raipur",
    "dehradun",
    "guwahati",
    "amritsar",
    "jodhpur",
    "agra",
    "varanasi",
    "meerut",
    "faridabad",
    "ghaziabad",
    "thane",
    "navi mumbai",
    "hubballi",
    "mangaluru",
    "tiruchirappalli",
    "salem",
    "jamshedpur",
    "goa",
    "panaji",
];

/// The tier of a city; unknown cities count as tier 3.
pub fn city_tier(city: &str) -> CityTier {
    let c = city.trim().to_lowercase();
    if TIER1.contains(&c.as_str()) {
        CityTier::Tier1
    } else if TIER2.contains(&c.as_str()) {
        CityTier::Tier2
    } else {
        CityTier::Tier3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_six_states_and_uts_with_unique_codes() {
        assert_eq!(STATES.len(), 36);
        let mut gst: Vec<_> = STATES.iter().map(|s| s.gst_code).collect();
        gst.sort_unstable();
        gst.dedup();
        assert_eq!(gst.len(), 36);
    }

    #[test]
    fn lookup_by_name_or_code() {
        assert_eq!(state("maharashtra").unwrap().code, "MH");
        assert_eq!(state("KA").unwrap().name, "Karnataka");
        assert_eq!(state("Bombay").unwrap_err().field, "state");
        assert_eq!(city_tier("Pune"), CityTier::Tier1);
        assert_eq!(city_tier("Coimbatore"), CityTier::Tier2);
        assert_eq!(city_tier("Hosur"), CityTier::Tier3);
    }
}

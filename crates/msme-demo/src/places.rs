//! Where demo businesses are: every state and union territory, weighted roughly by how many
//! MSMEs it registers on Udyam, with real cities of that state. Tiers come from
//! [`msme_core::listing::city_tier`], so tier-1 metros, tier-2 cities and tier-3 towns all appear.

/// A state's share of demo businesses and its cities with their relative weights.
#[derive(Debug)]
pub(super) struct StatePlaces {
    /// The state's wire name, as in [`msme_core::listing::STATES`].
    pub state: &'static str,
    pub weight: u32,
    pub cities: &'static [(&'static str, u32)],
}

/// Every state and union territory with at least one real city in it.
#[rustfmt::skip]
pub(super) const PLACES: &[StatePlaces] = &[
    s("Andaman and Nicobar Islands", 2, &[("Port Blair", 1)]),
    s("Andhra Pradesh", 40, &[("Visakhapatnam", 5), ("Vijayawada", 4), ("Guntur", 2), ("Nellore", 2), ("Tirupati", 2), ("Kurnool", 1)]),
    s("Arunachal Pradesh", 2, &[("Itanagar", 2), ("Naharlagun", 1)]),
    s("Assam", 12, &[("Guwahati", 5), ("Dibrugarh", 1), ("Silchar", 1), ("Jorhat", 1)]),
    s("Bihar", 25, &[("Patna", 5), ("Gaya", 1), ("Muzaffarpur", 2), ("Bhagalpur", 1)]),
    s("Chandigarh", 8, &[("Chandigarh", 1)]),
    s("Chhattisgarh", 12, &[("Raipur", 5), ("Bhilai", 2), ("Bilaspur", 1), ("Korba", 1)]),
    s("Dadra and Nagar Haveli and Daman and Diu", 4, &[("Silvassa", 3), ("Daman", 2), ("Diu", 1)]),
    s("Delhi", 50, &[("New Delhi", 3), ("Delhi", 5)]),
    s("Goa", 8, &[("Panaji", 3), ("Margao", 2), ("Vasco da Gama", 1), ("Mapusa", 1)]),
    s("Gujarat", 100, &[("Ahmedabad", 8), ("Surat", 6), ("Vadodara", 4), ("Rajkot", 4), ("Bhavnagar", 1), ("Jamnagar", 1), ("Morbi", 2), ("Anand", 1), ("Vapi", 1)]),
    s("Haryana", 40, &[("Gurugram", 5), ("Faridabad", 4), ("Panipat", 2), ("Sonipat", 1), ("Ambala", 1), ("Karnal", 1), ("Hisar", 1)]),
    s("Himachal Pradesh", 8, &[("Baddi", 3), ("Shimla", 2), ("Solan", 1), ("Mandi", 1)]),
    s("Jammu and Kashmir", 8, &[("Srinagar", 3), ("Jammu", 3), ("Anantnag", 1)]),
    s("Jharkhand", 12, &[("Ranchi", 4), ("Jamshedpur", 4), ("Dhanbad", 2), ("Bokaro Steel City", 1)]),
    s("Karnataka", 80, &[("Bengaluru", 12), ("Mysuru", 2), ("Hubballi", 2), ("Mangaluru", 2), ("Belagavi", 1), ("Davanagere", 1), ("Tumakuru", 1)]),
    s("Kerala", 30, &[("Kochi", 5), ("Thiruvananthapuram", 3), ("Kozhikode", 2), ("Thrissur", 2), ("Kollam", 1)]),
    s("Ladakh", 2, &[("Leh", 2), ("Kargil", 1)]),
    s("Lakshadweep", 1, &[("Kavaratti", 1)]),
    s("Madhya Pradesh", 40, &[("Indore", 6), ("Bhopal", 4), ("Jabalpur", 2), ("Gwalior", 2), ("Ujjain", 1), ("Pithampur", 1)]),
    s("Maharashtra", 140, &[("Mumbai", 10), ("Pune", 9), ("Thane", 3), ("Navi Mumbai", 3), ("Nagpur", 3), ("Nashik", 3), ("Aurangabad", 2), ("Kolhapur", 2), ("Solapur", 1), ("Bhiwandi", 1)]),
    s("Manipur", 2, &[("Imphal", 1)]),
    s("Meghalaya", 2, &[("Shillong", 1)]),
    s("Mizoram", 2, &[("Aizawl", 1)]),
    s("Nagaland", 2, &[("Dimapur", 2), ("Kohima", 1)]),
    s("Odisha", 20, &[("Bhubaneswar", 5), ("Cuttack", 2), ("Rourkela", 2), ("Sambalpur", 1)]),
    s("Puducherry", 4, &[("Puducherry", 3), ("Karaikal", 1)]),
    s("Punjab", 30, &[("Ludhiana", 5), ("Amritsar", 3), ("Jalandhar", 3), ("Mohali", 2), ("Patiala", 1)]),
    s("Rajasthan", 50, &[("Jaipur", 6), ("Jodhpur", 3), ("Udaipur", 2), ("Kota", 2), ("Bhilwara", 2), ("Ajmer", 1)]),
    s("Sikkim", 2, &[("Gangtok", 1)]),
    s("Tamil Nadu", 100, &[("Chennai", 10), ("Coimbatore", 6), ("Madurai", 3), ("Tiruchirappalli", 2), ("Salem", 2), ("Tiruppur", 3), ("Hosur", 2), ("Erode", 1)]),
    s("Telangana", 50, &[("Hyderabad", 12), ("Warangal", 2), ("Karimnagar", 1), ("Nizamabad", 1)]),
    s("Tripura", 2, &[("Agartala", 1)]),
    s("Uttar Pradesh", 120, &[("Lucknow", 5), ("Kanpur", 5), ("Noida", 5), ("Ghaziabad", 4), ("Agra", 3), ("Varanasi", 2), ("Meerut", 2), ("Aligarh", 2), ("Moradabad", 2), ("Gorakhpur", 1), ("Prayagraj", 1)]),
    s("Uttarakhand", 10, &[("Dehradun", 4), ("Haridwar", 2), ("Rudrapur", 2), ("Haldwani", 1)]),
    s("West Bengal", 60, &[("Kolkata", 10), ("Howrah", 3), ("Durgapur", 2), ("Siliguri", 2), ("Asansol", 1)]),
];

const fn s(
    state: &'static str,
    weight: u32,
    cities: &'static [(&'static str, u32)],
) -> StatePlaces {
    StatePlaces {
        state,
        weight,
        cities,
    }
}

/// Whether `city` is one of the demo cities of `state` (by wire name).
pub fn is_city_of(city: &str, state: &str) -> bool {
    PLACES
        .iter()
        .filter(|p| p.state == state)
        .any(|p| p.cities.iter().any(|(c, _)| *c == city))
}

#[cfg(test)]
mod tests {
    use super::*;
    use msme_core::listing::{city_tier, state, CityTier, STATES};

    #[test]
    fn every_state_appears_once_with_cities_and_resolves() {
        assert_eq!(PLACES.len(), STATES.len());
        for st in STATES {
            let n = PLACES.iter().filter(|p| p.state == st.name).count();
            assert_eq!(n, 1, "{}", st.name);
        }
        for p in PLACES {
            assert!(state(p.state).is_ok(), "{}", p.state);
            assert!(!p.cities.is_empty() && p.weight > 0, "{}", p.state);
        }
    }

    #[test]
    fn known_cities_sit_in_their_states_and_every_tier_is_present() {
        for (city, st) in [
            ("Pune", "Maharashtra"),
            ("Coimbatore", "Tamil Nadu"),
            ("Hosur", "Tamil Nadu"),
            ("Gurugram", "Haryana"),
            ("Noida", "Uttar Pradesh"),
            ("Jamshedpur", "Jharkhand"),
            ("Silvassa", "Dadra and Nagar Haveli and Daman and Diu"),
        ] {
            assert!(is_city_of(city, st), "{city}");
        }
        assert!(!is_city_of("Pune", "Karnataka"));
        let all = || PLACES.iter().flat_map(|p| p.cities.iter().map(|(c, _)| *c));
        for tier in [CityTier::Tier1, CityTier::Tier2, CityTier::Tier3] {
            assert!(all().any(|c| city_tier(c) == tier), "{tier:?}");
        }
        // No city name is claimed by two states.
        let mut names: Vec<&str> = all().collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before);
    }
}

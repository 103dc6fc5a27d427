//! Personal names from several regions of India. A person's given name and surname come from the
//! same region, so names read naturally ("Karthik Subramanian", not "Karthik Chatterjee").

use msme_core::rng::SplitMix64;

/// Given names and surnames common in one region or community.
#[derive(Debug)]
struct NamePool {
    weight: u32,
    given: &'static [&'static str],
    surnames: &'static [&'static str],
}

#[rustfmt::skip]
const POOLS: &[NamePool] = &[
    // Hindi-speaking north and centre
    NamePool { weight: 26,
        given: &["Rahul", "Amit", "Vikas", "Sanjay", "Rajesh", "Ankit", "Saurabh", "Manoj", "Deepak", "Alok",
                 "Priya", "Neha", "Pooja", "Anjali", "Sunita", "Kavita", "Shweta", "Ritu", "Nidhi", "Aarti"],
        surnames: &["Sharma", "Verma", "Gupta", "Agarwal", "Mishra", "Tiwari", "Yadav", "Chauhan",
                    "Srivastava", "Pandey", "Saxena", "Jain"] },
    // Punjab and the north-west
    NamePool { weight: 8,
        given: &["Gurpreet", "Harpreet", "Manpreet", "Jaspreet", "Amarjeet", "Rajinder", "Simran",
                 "Navneet", "Kuldeep", "Harleen", "Parminder", "Mandeep"],
        surnames: &["Singh", "Gill", "Sandhu", "Dhillon", "Bedi", "Sethi", "Malhotra", "Kapoor",
                    "Khanna", "Arora", "Ahuja", "Bhatia"] },
    // Gujarat and Maharashtra
    NamePool { weight: 22,
        given: &["Hardik", "Chirag", "Nirav", "Jignesh", "Mehul", "Rohit", "Sachin", "Aniket", "Prasad",
                 "Hetal", "Komal", "Snehal", "Madhuri", "Ashwini", "Rupal", "Tejal", "Omkar", "Swati"],
        surnames: &["Patel", "Shah", "Mehta", "Desai", "Joshi", "Kulkarni", "Deshpande", "Patil",
                    "Jadhav", "Shinde", "Parikh", "Gokhale", "Bhatt", "Pawar"] },
    // The south
    NamePool { weight: 24,
        given: &["Karthik", "Senthil", "Arun", "Vignesh", "Srinivas", "Venkatesh", "Manjunath",
                 "Prakash", "Anoop", "Arjun", "Lakshmi", "Divya", "Meena", "Kavya", "Sreeja",
                 "Deepa", "Padma", "Harini"],
        surnames: &["Iyer", "Iyengar", "Krishnan", "Subramanian", "Reddy", "Naidu", "Rao", "Gowda",
                    "Shetty", "Nair", "Menon", "Pillai", "Kurian", "Hegde", "Raju"] },
    // The east and north-east
    NamePool { weight: 12,
        given: &["Sourav", "Arindam", "Debashish", "Subhajit", "Pranab", "Biswajit", "Hiranya",
                 "Ananya", "Moumita", "Rituparna", "Smruti", "Sanghamitra", "Bhaskar", "Jayanta"],
        surnames: &["Banerjee", "Chatterjee", "Mukherjee", "Ghosh", "Das", "Bose", "Sen", "Mohanty",
                    "Patnaik", "Bora", "Baruah", "Dutta"] },
    // Muslim names, across regions
    NamePool { weight: 8,
        given: &["Imran", "Faisal", "Arif", "Salman", "Sameer", "Irfan", "Ayesha", "Farah", "Nazia",
                 "Zoya", "Rukhsar", "Shabana"],
        surnames: &["Khan", "Qureshi", "Ansari", "Shaikh", "Siddiqui", "Syed", "Mirza", "Hussain",
                    "Pathan", "Memon"] },
];

/// A realistic full name: given name and surname from one regional pool.
pub(super) fn person(rng: &mut SplitMix64) -> (&'static str, &'static str) {
    let weights: [u32; POOLS.len()] = std::array::from_fn(|i| POOLS[i].weight);
    let pool = &POOLS[rng.weighted(&weights)];
    (*rng.pick(pool.given), *rng.pick(pool.surnames))
}

/// Lower-case ASCII letters only, for the local part of an email address.
pub(super) fn email_part(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_words_that_make_email_parts() {
        for pool in POOLS {
            for n in pool.given.iter().chain(pool.surnames) {
                assert!(n.chars().all(|c| c.is_ascii_alphabetic()), "{n}");
                assert_eq!(email_part(n).len(), n.len());
            }
        }
        let mut rng = SplitMix64::new(5);
        let (g, s) = person(&mut rng);
        assert!(!g.is_empty() && !s.is_empty());
    }
}

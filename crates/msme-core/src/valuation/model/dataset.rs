//! The training set: comparable deals as examples, split into train, calibration and test parts
//! by a hash of each deal's id, so a deal stays in its part as the set grows.

use sha2::{Digest, Sha256};

use super::features::{deal_features, target, FeatureRow};
use super::ComparableDeal;

/// Which part of the set an example belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// 70 %: the models learn from these.
    Train,
    /// 15 %: picks the model and calibrates its range (split conformal).
    Calibration,
    /// 15 %: the figures reported; nothing is tuned on them.
    Test,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Train => "train",
            Part::Calibration => "calibration",
            Part::Test => "test",
        }
    }

    /// The part a deal with this id falls in: the first 8 bytes of SHA-256(id) mod 100.
    pub fn of(id: &str) -> Self {
        let h = Sha256::digest(id.as_bytes());
        let n = u64::from_be_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]]) % 100;
        match n {
            0..=69 => Part::Train,
            70..=84 => Part::Calibration,
            _ => Part::Test,
        }
    }
}

/// One deal as a model example.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    pub id: String,
    pub features: FeatureRow,
    /// `ln(price) − offset`.
    pub target: f64,
    /// The price paid, paise.
    pub price: f64,
}

impl Example {
    /// A deal as an example.
    #[allow(clippy::cast_precision_loss)]
    pub fn of(d: &ComparableDeal) -> Self {
        let features = deal_features(d);
        let price = d.sale_price.get() as f64;
        Self {
            id: d.id.to_string(),
            target: target(price, features.offset),
            features,
            price,
        }
    }
}

/// Examples in their parts, with the fingerprint of the data.
#[derive(Clone, Debug, Default)]
pub struct TrainingSet {
    pub train: Vec<Example>,
    pub calibration: Vec<Example>,
    pub test: Vec<Example>,
    /// SHA-256 over every example's id, part, features and price, in id order: the same deals
    /// give the same fingerprint, any change gives another.
    pub fingerprint: String,
}

impl TrainingSet {
    /// Splits deals by [`Part::of`] their id.
    pub fn from_deals(deals: &[ComparableDeal]) -> Self {
        let examples: Vec<(Part, Example)> = deals
            .iter()
            .map(|d| (Part::of(d.id.as_str()), Example::of(d)))
            .collect();
        Self::from_parts(examples)
    }

    /// Examples already assigned to parts (e.g. read back from an exported file).
    pub fn from_parts(mut examples: Vec<(Part, Example)>) -> Self {
        examples.sort_by(|a, b| a.1.id.cmp(&b.1.id));
        let mut hasher = Sha256::new();
        let mut set = Self::default();
        for (part, e) in examples {
            hasher.update(e.id.as_bytes());
            hasher.update(part.as_str().as_bytes());
            for v in e.features.values {
                hasher.update(v.to_bits().to_be_bytes());
            }
            hasher.update(e.price.to_bits().to_be_bytes());
            match part {
                Part::Train => set.train.push(e),
                Part::Calibration => set.calibration.push(e),
                Part::Test => set.test.push(e),
            }
        }
        set.fingerprint = hex::encode(hasher.finalize());
        set
    }

    pub fn len(&self) -> usize {
        self.train.len() + self.calibration.len() + self.test.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_stable_and_roughly_in_proportion() {
        let mut counts = [0usize; 3];
        for i in 0..10_000 {
            let id = format!("deal-{i}");
            assert_eq!(Part::of(&id), Part::of(&id));
            counts[Part::of(&id) as usize] += 1;
        }
        assert!((6_700..7_300).contains(&counts[0]), "{counts:?}");
        assert!((1_300..1_700).contains(&counts[1]), "{counts:?}");
        assert!((1_300..1_700).contains(&counts[2]), "{counts:?}");
    }
}

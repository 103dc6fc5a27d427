//! Reproducible random numbers: SplitMix64 and a few draws built on it, using only the IEEE-754
//! operations that are exactly rounded everywhere (+ − × ÷ √), so a seed gives the same bits on
//! every platform and with every dependency version.
//!
//! For draws that must repeat: the negatives of matching's ranking evaluation and the demo
//! generator (the `msme-demo` crate). Never for secrets: the stream is predictable by design; tokens and
//! one-time codes come from `rand`'s cryptographic thread generator.

/// Sebastiano Vigna's SplitMix64 (the seeder of xoshiro; Java's `SplittableRandom`).
///
/// Small, fast, passes BigCrush, and its output stream is fixed by its published definition,
/// unlike `rand::rngs::StdRng`, whose algorithm may change between `rand` versions.
#[derive(Clone, Debug)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// Starts the stream at `seed`.
    pub const fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// A stream for item `index` of `stream` under `seed`, independent of every other item, so
    /// generating item 7 does not depend on how many draws items 0 to 6 took.
    pub fn derive(seed: u64, stream: u64, index: u64) -> Self {
        let mut s = Self::new(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        let a = s.next_u64();
        Self::new(a ^ index.wrapping_mul(0xE703_7ED1_A0B4_28DB))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`, with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `[lo, hi)`.
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the bias is below 2⁻⁴⁰ for our `n`).
    /// Returns 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: i32, hi: i32) -> i32 {
        let span = usize::try_from(i64::from(hi) - i64::from(lo) + 1).unwrap_or(1);
        lo + i32::try_from(self.below(span)).unwrap_or(0)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element, uniformly.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index drawn in proportion to `weights` (which must not all be zero).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut r = ((u128::from(self.next_u64()) * u128::from(total)) >> 64) as u64;
        for (i, &w) in weights.iter().enumerate() {
            if r < u64::from(w) {
                return i;
            }
            r -= u64::from(w);
        }
        weights.len() - 1
    }

    /// Approximately standard normal: the Irwin–Hall sum of twelve uniforms minus six (mean 0,
    /// variance 1, tails cut at ±6). The uniforms are the four 16-bit lanes of three draws, summed
    /// as integers, so no logarithm or cosine (whose last bits vary by libm) is needed.
    pub fn normal(&mut self) -> f64 {
        let lanes: u64 = (0..3)
            .map(|_| {
                let x = self.next_u64();
                (x & 0xFFFF) + ((x >> 16) & 0xFFFF) + ((x >> 32) & 0xFFFF) + (x >> 48)
            })
            .sum();
        // Lane k stands for the uniform (k + ½) / 2¹⁶; twelve halves make the 6.
        (lanes as f64 + 6.0) / 65_536.0 - 6.0
    }

    /// Lognormal with median 1: `e^(σ·z)`.
    pub fn lognormal(&mut self, sigma: f64) -> f64 {
        exp(sigma * self.normal())
    }

    /// Log-uniform factor in `[1, e^ln_span)`: every order of magnitude equally likely.
    pub fn log_uniform(&mut self, ln_span: f64) -> f64 {
        exp(self.unit() * ln_span)
    }

    /// Shuffles in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// `eˣ` from basic operations only, so it is bit-identical on every platform (std's `exp` calls
/// the platform's libm). Relative error below 1e-13 for |x| ≤ 40, the only range used here.
fn exp(x: f64) -> f64 {
    let x = x.clamp(-40.0, 40.0);
    let mut r = x;
    let mut squarings = 0;
    while r.abs() > 0.125 {
        r /= 2.0;
        squarings += 1;
    }
    // Taylor series; for |r| ≤ 1/8 the 13th term is below 1e-22.
    let (mut term, mut sum) = (1.0, 1.0);
    for n in 1..=12 {
        term *= r / f64::from(n);
        sum += term;
    }
    for _ in 0..squarings {
        sum *= sum;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_published_reference_stream() {
        // The reference values of splitmix64.c (Vigna), as used by Rosetta Code's SplitMix64 task.
        let mut r = SplitMix64::new(1_234_567);
        let got: Vec<u64> = (0..5).map(|_| r.next_u64()).collect();
        assert_eq!(
            got,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423,
                4_593_380_528_125_082_431,
                16_408_922_859_458_223_821,
            ]
        );
        assert_eq!(SplitMix64::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn draws_stay_in_range_and_weights_are_respected() {
        let mut r = SplitMix64::new(9);
        let mut counts = [0u32; 3];
        for _ in 0..30_000 {
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
            assert!((3..=5).contains(&r.between(3, 5)));
            counts[r.weighted(&[1, 0, 3])] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!((6_900..8_100).contains(&counts[0]), "{counts:?}");
    }

    #[test]
    fn normal_has_unit_variance_and_exp_is_accurate() {
        let mut r = SplitMix64::new(3);
        let zs: Vec<f64> = (0..20_000).map(|_| r.normal()).collect();
        let mean = zs.iter().sum::<f64>() / zs.len() as f64;
        let var = zs.iter().map(|z| (z - mean) * (z - mean)).sum::<f64>() / zs.len() as f64;
        assert!(
            mean.abs() < 0.03 && (var - 1.0).abs() < 0.05,
            "{mean} {var}"
        );
        for x in [-7.5, -1.0, 0.0, 0.3, 1.0, 3.218_875_824_868_200_6, 12.0] {
            let rel = (exp(x) - x.exp()).abs() / x.exp();
            assert!(rel < 1e-13, "{x}: {rel}");
        }
    }

    #[test]
    fn derived_streams_differ_by_stream_and_index() {
        let a = SplitMix64::derive(1, 1, 0).next_u64();
        assert_ne!(a, SplitMix64::derive(1, 1, 1).next_u64());
        assert_ne!(a, SplitMix64::derive(1, 2, 0).next_u64());
        assert_ne!(a, SplitMix64::derive(2, 1, 0).next_u64());
        assert_eq!(a, SplitMix64::derive(1, 1, 0).next_u64());
    }
}

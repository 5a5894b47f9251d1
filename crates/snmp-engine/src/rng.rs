//! The engine's non-secret randomness (request-ids, msgIDs): splitmix64, seeded by
//! [`GeneratorConfig::rng_seed`](crate::GeneratorConfig::rng_seed), so that a test replays
//! the same identifiers. Secrets (salts, keys) never come from here.

/// Sebastiano Vigna's splitmix64: 64 bits of state, every seed good, fast.
#[derive(Clone, Debug)]
pub(crate) struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A value in `1..=i32::MAX`: request-ids and msgIDs (RFC 3412 `msgID INTEGER
    /// (0..2147483647)`; zero is avoided, some agents treat it specially).
    pub(crate) fn next_positive_i32(&mut self) -> i32 {
        loop {
            // 31 bits always fit in an i32.
            if let Ok(v) = i32::try_from(self.next_u64() >> 33)
                && v > 0
            {
                return v;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference outputs of splitmix64 for seed 0 (Vigna's splitmix64.c).
    #[test]
    fn known_answers() {
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(r.next_u64(), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(r.next_u64(), 0x06c4_5d18_8009_454f);
    }

    #[test]
    fn positive_ids() {
        let mut r = SplitMix64::new(7);
        for _ in 0..10_000 {
            assert!(r.next_positive_i32() > 0);
        }
    }
}

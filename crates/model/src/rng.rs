//! The model's only source of randomness: PCG32.
//!
//! This is O'Neill's `pcg32` (`pcg_setseq_64_xsh_rr_32`) from the PCG
//! reference implementation (`pcg_basic.c`): a 64-bit LCG state with a
//! selectable stream, output by xorshift-high then random rotation. It is
//! portable (only wrapping `u64`/`u32` arithmetic), so the same seed gives the
//! same numbers on wasm32 and on 64-bit hosts, which is what makes scenarios
//! replayable.

use serde::{Deserialize, Serialize};

/// The LCG multiplier of the reference implementation.
const MULTIPLIER: u64 = 6_364_136_223_846_793_005;

/// A PCG32 generator: 64 bits of state plus an odd stream increment.
///
/// `Pcg32::new(seed, stream)` is the reference `pcg32_srandom(initstate,
/// initseq)`; `next_u32` is `pcg32_random`; `below` is `pcg32_boundedrand`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pcg32 {
    state: u64,
    /// Always odd: the stream selector, `(stream << 1) | 1`.
    inc: u64,
}

impl Pcg32 {
    /// Seeds a generator exactly like the reference `pcg32_srandom(seed, stream)`.
    /// Generators with different `stream`s are independent sequences.
    pub fn new(seed: u64, stream: u64) -> Self {
        let mut rng = Pcg32 { state: 0, inc: (stream << 1) | 1 };
        rng.step();
        rng.state = rng.state.wrapping_add(seed);
        rng.step();
        rng
    }

    fn step(&mut self) {
        self.state = self.state.wrapping_mul(MULTIPLIER).wrapping_add(self.inc);
    }

    /// The next 32 random bits (`pcg32_random`).
    pub fn next_u32(&mut self) -> u32 {
        let old = self.state;
        self.step();
        // Truncations are the algorithm: XSH takes bits 27..59, RR rotates by the top 5 bits.
        let xorshifted = (((old >> 18) ^ old) >> 27) as u32;
        let rot = (old >> 59) as u32;
        xorshifted.rotate_right(rot)
    }

    /// The next 64 random bits: two outputs, the first one in the low half
    /// (the convention of `rand_core`'s `next_u64_via_u32`).
    pub fn next_u64(&mut self) -> u64 {
        let low = u64::from(self.next_u32());
        let high = u64::from(self.next_u32());
        (high << 32) | low
    }

    /// A uniformly distributed number in `0..bound`, without modulo bias
    /// (the reference `pcg32_boundedrand`: reject the few smallest outputs
    /// so that the rest divide evenly by `bound`).
    ///
    /// `below(0)` has no valid answer; it returns 0 without drawing, rather
    /// than dividing by zero.
    pub fn below(&mut self, bound: u32) -> u32 {
        if bound == 0 {
            return 0;
        }
        // 2^32 mod bound: outputs below this would make low results more likely.
        let threshold = bound.wrapping_neg() % bound;
        loop {
            let r = self.next_u32();
            if r >= threshold {
                return r % bound;
            }
        }
    }

    /// Derives an independent generator for `stream`, e.g. one per producer,
    /// so that adding draws to one producer does not shift another's numbers.
    ///
    /// The child's seed is the parent's next 64 bits, so this advances the
    /// parent by two outputs; forking the same parent state with the same
    /// stream always gives the same child.
    pub fn fork(&mut self, stream: u64) -> Pcg32 {
        let seed = self.next_u64();
        Pcg32::new(seed, stream)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The output of O'Neill's `pcg32-demo` (pcg-c-basic), round 1, for
    /// `pcg32_srandom_r(&rng, 42u, 54u)`.
    #[test]
    fn matches_pcg32_demo_reference_vectors() {
        let mut rng = Pcg32::new(42, 54);
        // The demo's "dump": multiplier, increment, state after seeding.
        assert_eq!(rng.inc, 109);
        assert_eq!(rng.state, 1_753_877_967_969_059_832);
        let numbers: Vec<u32> = (0..6).map(|_| rng.next_u32()).collect();
        assert_eq!(numbers, [0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e]);

        // The demo continues on the same generator with 65 coin flips
        // (`boundedrand(2)`, 1 = H) and 33 dice rolls (`boundedrand(6) + 1`).
        let coins: String = (0..65).map(|_| if rng.below(2) == 1 { 'H' } else { 'T' }).collect();
        assert_eq!(coins, "HHTTTHTHHHTHTTTHHHHHTTTHHHTHTHTHTTHTTTHHHHHHTTTTHHTTTTTHTTTTTTTHT");
        let rolls: Vec<u32> = (0..33).map(|_| rng.below(6) + 1).collect();
        assert_eq!(
            rolls,
            [
                3, 4, 1, 1, 2, 2, 3, 2, 4, 3, 2, 4, 3, 3, 5, 2, 3, 1, 3, 1, 5, 1, 4, 1, 5, 6, 4, 6, 6, 2, 6,
                3, 3
            ]
        );
    }

    #[test]
    fn next_u64_is_two_u32_low_first() {
        let mut a = Pcg32::new(42, 54);
        let mut b = a.clone();
        let low = u64::from(b.next_u32());
        let high = u64::from(b.next_u32());
        assert_eq!(a.next_u64(), (high << 32) | low);
        assert_eq!(a, b);
    }

    #[test]
    fn below_stays_in_range_and_handles_edges() {
        let mut rng = Pcg32::new(7, 1);
        for bound in [1u32, 2, 3, 7, 1000, u32::MAX] {
            for _ in 0..200 {
                assert!(rng.below(bound) < bound);
            }
        }
        let before = rng.clone();
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng, before, "below(0) draws nothing");
        assert_eq!(rng.below(1), 0);
    }

    #[test]
    fn below_is_roughly_uniform() {
        let mut rng = Pcg32::new(2024, 3);
        let mut counts = [0u32; 6];
        for _ in 0..60_000 {
            counts[rng.below(6) as usize] += 1;
        }
        for c in counts {
            assert!((9_000..11_000).contains(&c), "{counts:?}");
        }
    }

    #[test]
    fn fork_is_deterministic_and_independent() {
        let mut p1 = Pcg32::new(1, 0);
        let mut p2 = Pcg32::new(1, 0);
        let mut a = p1.fork(5);
        let mut b = p2.fork(5);
        assert_eq!(a, b);
        assert_eq!(p1, p2);
        assert_eq!(a.next_u32(), b.next_u32());

        // Different streams from the same parent state differ.
        let mut p3 = Pcg32::new(1, 0);
        let mut c = p3.fork(6);
        let mut d = Pcg32::new(1, 0).fork(5);
        let xs: Vec<u32> = (0..4).map(|_| c.next_u32()).collect();
        let ys: Vec<u32> = (0..4).map(|_| d.next_u32()).collect();
        assert_ne!(xs, ys);

        // The parent moved on, so a second fork differs from the first.
        let mut again = p1.fork(5);
        let mut first = Pcg32::new(1, 0).fork(5);
        assert_ne!(again.next_u32(), first.next_u32());
    }

    #[test]
    fn serde_round_trip_keeps_the_sequence() {
        let mut rng = Pcg32::new(42, 54);
        rng.next_u32();
        let json = serde_json::to_string(&rng).unwrap();
        let mut back: Pcg32 = serde_json::from_str(&json).unwrap();
        assert_eq!(back, rng);
        assert_eq!(back.next_u32(), rng.next_u32());
    }
}

//! The attempts seen so far, to drop an attempt that two overlapping exports both hold. One
//! 64-bit hash per attempt, in an open-addressing table sized to the log (linear probing,
//! load at most 7/8, any size rather than a power of two): 8 bytes a slot, about 9 per
//! attempt. A general hash set rounds up to a power of two and adds a control byte, which at
//! 30M attempts took 600 MB where this takes 275 MB (issue 11). Each shard of the states
//! keeps one for its numbers' attempts (`states`), so that the dedupe runs on every core.

/// Most slots in use, as a fraction of the table: 7/8.
const LOAD_NUM: usize = 7;
const LOAD_DEN: usize = 8;

/// A set of attempt hashes. `0` marks a free slot, so the hash 0 is stored as 1.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    slots: Vec<u64>,
    len: usize,
}

impl Seen {
    /// Makes room for `additional` more attempts (a log's line count) at once, so the table is
    /// not rebuilt as it fills.
    pub(crate) fn reserve(&mut self, additional: u64) {
        let want = self
            .len
            .saturating_add(usize::try_from(additional).unwrap_or(usize::MAX / 2));
        if want * LOAD_DEN > self.slots.len() * LOAD_NUM {
            self.resize(want.saturating_mul(LOAD_DEN) / LOAD_NUM + 1);
        }
    }

    /// True the first time an attempt with this hash is offered.
    pub(crate) fn first(&mut self, hash: u64) -> bool {
        if (self.len + 1) * LOAD_DEN > self.slots.len() * LOAD_NUM {
            self.resize((self.slots.len() * 2).max(64));
        }
        let hash = hash.max(1);
        let mut i = self.home(hash);
        loop {
            match self.slots[i] {
                0 => {
                    self.slots[i] = hash;
                    self.len += 1;
                    return true;
                }
                h if h == hash => return false,
                _ => i = if i + 1 == self.slots.len() { 0 } else { i + 1 },
            }
        }
    }

    /// The slot a probe for `hash` reads first (0 for an empty table), read only to bring its
    /// cache line in ahead of the probe.
    pub(crate) fn first_slot(&self, hash: u64) -> u64 {
        self.slots.get(self.home(hash.max(1))).copied().unwrap_or(0)
    }

    /// The first slot to try for `hash`: the hash scaled to the table (multiply-shift).
    fn home(&self, hash: u64) -> usize {
        ((u128::from(hash) * self.slots.len() as u128) >> 64) as usize
    }

    /// Moves every hash into a table of `slots` slots.
    fn resize(&mut self, slots: usize) {
        let old = std::mem::replace(&mut self.slots, vec![0; slots]);
        self.len = 0;
        for hash in old.into_iter().filter(|&h| h != 0) {
            self.first(hash);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The same answers as a standard set, with and without a reserve, zero included.
        #[test]
        fn answers_like_a_hash_set(hashes in proptest::collection::vec(prop_oneof![0..50u64, any::<u64>()], 0..2000), reserve in 0..3000u64) {
            let mut seen = Seen::default();
            seen.reserve(reserve);
            let mut want = HashSet::new();
            for h in hashes {
                prop_assert_eq!(seen.first(h), want.insert(h.max(1)));
            }
            prop_assert_eq!(seen.len, want.len());
        }
    }

    #[test]
    fn a_reserved_table_is_not_rebuilt_and_stays_under_the_load() {
        let mut seen = Seen::default();
        seen.reserve(1_000);
        let slots = seen.slots.len();
        assert!(slots < 1_200, "{slots} slots for 1,000 attempts");
        for h in 0..1_000u64 {
            assert!(seen.first(h.wrapping_mul(0x9E37_79B9_7F4A_7C15)));
        }
        assert_eq!(seen.slots.len(), slots);
        assert!(!seen.first(5u64.wrapping_mul(0x9E37_79B9_7F4A_7C15)));
    }
}

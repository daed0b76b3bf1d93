//! The index of one shard's numbers: key to the number's place in the shard's dense arrays.
//! An open-addressing table of `u32` slots (linear probing, load at most 7/8, any size
//! rather than a power of two), the keys themselves kept once, in the shard's entries. A
//! general map of key to state took 57 bytes a slot in power-of-two tables, about 100 bytes
//! per number at 10M numbers (issue 11); this takes 4 bytes a slot, the states 56 bytes a
//! number in their arrays.
//!
//! A slot holds the place in its low bits and, in the bits the places of a table that size
//! never need, a tag: bits of the key's hash. A probe that meets another key's slot can
//! then mostly tell from the tag alone, without reading that key from the key array (a
//! cache miss each, and most of the fold's time in the profile of 30M attempts).

/// Most slots in use, as a fraction of the table: 7/8.
const LOAD_NUM: usize = 7;
const LOAD_DEN: usize = 8;

/// An entry of the array the index places keys in: it holds its key.
pub(super) trait Keyed {
    fn key(&self) -> u64;
}

impl Keyed for u64 {
    fn key(&self) -> u64 {
        *self
    }
}

/// Places of keys in an array of entries. A slot holds `tag | (place + 1)`, the tag in the
/// bits above `bits`, so `0` marks a free slot.
#[derive(Debug, Default)]
pub(super) struct KeyIndex {
    slots: Vec<u32>,
    /// Bits of a slot that hold `place + 1`: enough for one more than the table's slots
    /// (the table is never full, so every place fits); the rest hold the tag.
    bits: u32,
}

impl KeyIndex {
    /// Makes room for `want` keys in all, so the table is not rebuilt as it fills.
    pub(super) fn reserve<T: Keyed>(&mut self, want: usize, keys: &[T]) {
        if want.saturating_mul(LOAD_DEN) > self.slots.len() * LOAD_NUM {
            self.rebuild(want.saturating_mul(LOAD_DEN) / LOAD_NUM + 1, keys);
        }
    }

    /// The place of `key` in `keys`, pushing `new(key)` there first when it is new (then
    /// `true`).
    pub(super) fn find_or_insert<T: Keyed>(
        &mut self,
        key: u64,
        keys: &mut Vec<T>,
        new: impl FnOnce(u64) -> T,
    ) -> (usize, bool) {
        if (keys.len() + 1) * LOAD_DEN > self.slots.len() * LOAD_NUM {
            self.rebuild((self.slots.len() * 2).max(64), keys);
        }
        match self.probe(key, keys) {
            Ok(place) => (place, false),
            Err((i, tag)) => {
                let place = keys.len();
                self.slots[i] = tag | self.slot_of(place);
                keys.push(new(key));
                (place, true)
            }
        }
    }

    /// The place of `key` in `keys`, if it is there.
    pub(super) fn get<T: Keyed>(&self, key: u64, keys: &[T]) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        self.probe(key, keys).ok()
    }

    /// Looks `key` up in a table with at least one free slot: its place, or the free slot
    /// where it would go and the tag that slot would hold.
    fn probe<T: Keyed>(&self, key: u64, keys: &[T]) -> Result<usize, (usize, u32)> {
        let hash = mix(key);
        let tag = self.tag(hash);
        let mut i = self.home(hash);
        loop {
            match self.slots[i] {
                0 => return Err((i, tag)),
                s if s & !self.place_mask() == tag && keys[self.place(s)].key() == key => return Ok(self.place(s)),
                _ => i = if i + 1 == self.slots.len() { 0 } else { i + 1 },
            }
        }
    }

    /// The slot a probe for `key` reads first (0 for an empty table), read only to bring its
    /// cache line in ahead of the probe.
    pub(super) fn first_slot(&self, key: u64) -> u32 {
        self.slots.get(self.home(mix(key))).copied().unwrap_or(0)
    }

    /// Bytes the table holds.
    #[cfg(test)]
    pub(super) fn bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<u32>()
    }

    /// The first slot to try for a key of hash `hash`: the hash's high bits scaled to the
    /// table (multiply-shift).
    fn home(&self, hash: u64) -> usize {
        ((u128::from(hash) * self.slots.len() as u128) >> 64) as usize
    }

    /// The tag of a key of hash `hash`, in place: its low bits, which `home` hardly reads.
    fn tag(&self, hash: u64) -> u32 {
        (hash as u32) & !self.place_mask()
    }

    /// The bits of a slot that hold `place + 1`.
    fn place_mask(&self) -> u32 {
        u32::MAX.checked_shr(32 - self.bits).unwrap_or(0)
    }

    /// The place a used slot holds.
    fn place(&self, slot: u32) -> usize {
        (slot & self.place_mask()) as usize - 1
    }

    fn slot_of(&self, place: usize) -> u32 {
        let slot = u32::try_from(place + 1).expect("fewer than 2^32 numbers in a shard");
        debug_assert!(slot & !self.place_mask() == 0);
        slot
    }

    /// Places every key of `keys` into a table of `slots` slots.
    fn rebuild<T: Keyed>(&mut self, slots: usize, keys: &[T]) {
        self.slots = vec![0; slots];
        self.bits = bits_for(slots + 1);
        for (place, key) in keys.iter().enumerate() {
            let hash = mix(key.key());
            let mut i = self.home(hash);
            while self.slots[i] != 0 {
                i = if i + 1 == self.slots.len() { 0 } else { i + 1 };
            }
            self.slots[i] = self.tag(hash) | self.slot_of(place);
        }
    }
}

/// The bits that hold every number up to `n` (at least 1, at most 32).
fn bits_for(n: usize) -> u32 {
    (usize::BITS - n.leading_zeros()).clamp(1, 32)
}

/// The splitmix64 finaliser: every bit of the key moves the home.
fn mix(key: u64) -> u64 {
    let mut z = key ^ (key >> 30);
    z = z.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z ^= z >> 27;
    z = z.wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The same places as a standard map that numbers keys in the order they come.
        #[test]
        fn places_like_a_hash_map(keys in proptest::collection::vec(prop_oneof![1..60u64, any::<u64>()], 0..2000), reserve in 0..3000usize) {
            let mut index = KeyIndex::default();
            let mut stored = Vec::new();
            index.reserve(reserve, &stored);
            let mut want: HashMap<u64, usize> = HashMap::new();
            for k in keys {
                let n = want.len();
                let place = *want.entry(k).or_insert(n);
                prop_assert_eq!(index.get(k, &stored), (place < n).then_some(place));
                prop_assert_eq!(index.find_or_insert(k, &mut stored, |k| k), (place, place == n));
            }
            prop_assert_eq!(stored.len(), want.len());
            for (k, place) in want {
                prop_assert_eq!(stored[place], k);
                prop_assert_eq!(index.get(k, &stored), Some(place));
            }
        }
    }

    #[test]
    fn place_bits_hold_one_more_than_the_slots() {
        for (n, bits) in [
            (1, 1),
            (2, 2),
            (3, 2),
            (64, 7),
            (65, 7),
            (714_287, 20),
            (1 << 31, 32),
            (u32::MAX as usize, 32),
        ] {
            assert_eq!(bits_for(n), bits, "{n}");
        }
    }

    /// Keys whose hashes share the tag bits still get their own places: the key decides.
    #[test]
    fn keys_with_one_tag_are_told_apart() {
        let mut index = KeyIndex::default();
        let mut keys = Vec::new();
        // A table of 2^20 places leaves 11 bits of tag: a few thousand keys give three alike.
        index.reserve(1 << 20, &keys);
        let mask = !index.place_mask();
        let tag = index.tag(mix(1));
        let same: Vec<u64> = (1..).filter(|&k| index.tag(mix(k)) == tag).take(3).collect();
        assert!(same.iter().all(|&k| mix(k) as u32 & mask == tag));
        for (place, &k) in same.iter().enumerate() {
            assert_eq!(index.find_or_insert(k, &mut keys, |k| k), (place, true));
        }
        for (place, &k) in same.iter().enumerate() {
            assert_eq!(index.get(k, &keys), Some(place));
        }
    }

    #[test]
    fn a_reserved_table_is_not_rebuilt() {
        let mut index = KeyIndex::default();
        let mut keys = Vec::new();
        index.reserve(1_000, &keys);
        let bytes = index.bytes();
        assert!(bytes < 1_200 * 4, "{bytes} bytes for 1,000 keys");
        for k in 1..=1_000u64 {
            index.find_or_insert(k * 10, &mut keys, |k| k);
        }
        assert_eq!(index.bytes(), bytes);
        assert_eq!(index.get(5, &keys), None);
        assert_eq!(index.get(50, &keys), Some(4));
    }
}

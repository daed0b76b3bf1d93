//! The index of one shard's numbers: key to the number's place in the shard's dense arrays.
//! An open-addressing table of `u32` places (linear probing, load at most 7/8, any size
//! rather than a power of two), the keys themselves kept once, in the shard's key array. A
//! general map of key to state took 57 bytes a slot in power-of-two tables, about 100 bytes
//! per number at 10M numbers (issue 11); this takes 4 bytes a slot, the states 56 bytes a
//! number in their arrays.

/// Most slots in use, as a fraction of the table: 7/8.
const LOAD_NUM: usize = 7;
const LOAD_DEN: usize = 8;

/// Places of keys in a key array. A slot holds `place + 1`, so `0` marks a free slot.
#[derive(Debug, Default)]
pub(super) struct KeyIndex {
    slots: Vec<u32>,
}

impl KeyIndex {
    /// Makes room for `want` keys in all, so the table is not rebuilt as it fills.
    pub(super) fn reserve(&mut self, want: usize, keys: &[u64]) {
        if want.saturating_mul(LOAD_DEN) > self.slots.len() * LOAD_NUM {
            self.rebuild(want.saturating_mul(LOAD_DEN) / LOAD_NUM + 1, keys);
        }
    }

    /// The place of `key` in `keys`, pushing it there first when it is new (then `true`).
    pub(super) fn find_or_insert(&mut self, key: u64, keys: &mut Vec<u64>) -> (usize, bool) {
        if (keys.len() + 1) * LOAD_DEN > self.slots.len() * LOAD_NUM {
            self.rebuild((self.slots.len() * 2).max(64), keys);
        }
        let mut i = self.home(key);
        loop {
            match self.slots[i] {
                0 => {
                    let place = keys.len();
                    self.slots[i] = slot_of(place);
                    keys.push(key);
                    return (place, true);
                }
                s if keys[s as usize - 1] == key => return (s as usize - 1, false),
                _ => i = if i + 1 == self.slots.len() { 0 } else { i + 1 },
            }
        }
    }

    /// The place of `key` in `keys`, if it is there.
    pub(super) fn get(&self, key: u64, keys: &[u64]) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mut i = self.home(key);
        loop {
            match self.slots[i] {
                0 => return None,
                s if keys[s as usize - 1] == key => return Some(s as usize - 1),
                _ => i = if i + 1 == self.slots.len() { 0 } else { i + 1 },
            }
        }
    }

    /// Bytes the table holds.
    #[cfg(test)]
    pub(super) fn bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<u32>()
    }

    /// The first slot to try for `key`: a full mix of the key (the shard already took some
    /// of its bits), scaled to the table (multiply-shift).
    fn home(&self, key: u64) -> usize {
        ((u128::from(mix(key)) * self.slots.len() as u128) >> 64) as usize
    }

    /// Places every key of `keys` into a table of `slots` slots.
    fn rebuild(&mut self, slots: usize, keys: &[u64]) {
        self.slots = vec![0; slots];
        for (place, &key) in keys.iter().enumerate() {
            let mut i = self.home(key);
            while self.slots[i] != 0 {
                i = if i + 1 == self.slots.len() { 0 } else { i + 1 };
            }
            self.slots[i] = slot_of(place);
        }
    }
}

fn slot_of(place: usize) -> u32 {
    u32::try_from(place + 1).expect("fewer than 2^32 numbers in a shard")
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
                prop_assert_eq!(index.find_or_insert(k, &mut stored), (place, place == n));
            }
            prop_assert_eq!(stored.len(), want.len());
            for (k, place) in want {
                prop_assert_eq!(stored[place], k);
                prop_assert_eq!(index.get(k, &stored), Some(place));
            }
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
            index.find_or_insert(k * 10, &mut keys);
        }
        assert_eq!(index.bytes(), bytes);
        assert_eq!(index.get(5, &keys), None);
        assert_eq!(index.get(50, &keys), Some(4));
    }
}

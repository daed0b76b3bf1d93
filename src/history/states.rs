//! The folded states of every dialled number, in shards: a number's shard is fixed by its
//! key, so each worker folds its own shards without locks, and a lookup goes to one shard.
//! A shard keeps its numbers' keys and states in one dense array, in the order the numbers
//! were first seen, found through a compact index (`index`), their unanswered attempts
//! per day as 4 bytes an attempt (`daily`), and the hashes of the attempts it has folded, to
//! drop a second copy of one (the hash mixes in the key, so both copies come to one shard).

use rayon::prelude::*;

use super::Folded;
use super::daily::DayCounts;
use super::index::{KeyIndex, Keyed};
use super::logs::Seen;
use super::state::{self, NumberState};
use crate::rules::Four;

/// Shards of states and compliance counters. A number's shard is fixed by its key, so each
/// worker folds its own shards without locks; lookups go to one shard.
#[derive(Debug, Default)]
pub(crate) struct States {
    shards: Vec<Shard>,
}

/// One shard: its numbers' keys and states, the index from key to place, their unanswered
/// attempts per day, and the attempts it has folded.
#[derive(Debug, Default)]
struct Shard {
    entries: Vec<Entry>,
    index: KeyIndex,
    daily: DayCounts,
    seen: Seen,
}

/// A number's key and state side by side, a cache line together: the key that a lookup
/// checks and the state it then folds into were two cache misses in two arrays.
#[derive(Debug)]
#[repr(C, align(64))]
struct Entry {
    key: u64,
    state: NumberState,
}

impl Keyed for Entry {
    fn key(&self) -> u64 {
        self.key
    }
}

/// Shards: more than threads, so that work spreads evenly.
const SHARDS: usize = 16;

/// Log lines per dialled number assumed when sizing the index from a log's line count (the
/// benchmark logs hold about three attempts a number); more numbers grow it.
const LINES_PER_NUMBER: u64 = 3;

/// A shard's attempt hashes are reserved for its share of the lines plus 1/64 of it.
const SEEN_SLACK: u64 = 64;

impl States {
    pub(super) fn new() -> States {
        States {
            shards: (0..SHARDS).map(|_| Shard::default()).collect(),
        }
    }

    fn shard_of(key: u64) -> usize {
        // Packed digits end in their last digit: mix before taking the shard.
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 60) as usize % SHARDS
    }

    /// Makes room for a log of `lines` lines: the arrays for every line being a new number
    /// (address space only: a page is only taken once written), the index for the expected
    /// numbers, the attempt hashes for a shard's share of the lines and a little more (keys
    /// spread evenly, so a shard's share is within a fraction of a percent of 1/16), so none
    /// is copied or rebuilt as the log is folded in the common case.
    pub(super) fn reserve(&mut self, lines: u64) {
        let share = lines / SHARDS as u64;
        let per_shard = usize::try_from(share + 1).unwrap_or(usize::MAX / 2);
        let numbers = usize::try_from(lines / LINES_PER_NUMBER / SHARDS as u64 + 1).unwrap_or(usize::MAX / 2);
        for shard in &mut self.shards {
            shard.entries.reserve(per_shard);
            shard.index.reserve(shard.entries.len() + numbers, &shard.entries);
            shard.seen.reserve(share + share / SEEN_SLACK + 64);
        }
    }

    /// The state of the number with `key`.
    pub(crate) fn get(&self, key: u64) -> Option<&NumberState> {
        let shard = &self.shards[Self::shard_of(key)];
        shard
            .index
            .get(key, &shard.entries)
            .map(|place| &shard.entries[place].state)
    }

    /// Every (key, state), in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&u64, &NumberState)> {
        self.shards
            .iter()
            .flat_map(|s| s.entries.iter().map(|e| (&e.key, &e.state)))
    }

    /// Every (key, state), in no particular order, shard by shard on the worker threads.
    pub(crate) fn par_iter(&self) -> impl ParallelIterator<Item = (&u64, &NumberState)> {
        self.shards
            .par_iter()
            .flat_map_iter(|s| s.entries.iter().map(|e| (&e.key, &e.state)))
    }

    /// Folds a batch: the attempts are dealt to their shards, then each shard, on its own
    /// thread, folds its attempts in batch order, dropping those it has folded before.
    /// Returns the positions in `batch` of the dropped duplicates, in order. (Each shard
    /// filtering the whole batch for its own attempts read every attempt 16 times.)
    pub(super) fn fold(&mut self, batch: &[Folded]) -> Vec<usize> {
        let mut parts: Vec<Vec<u32>> = (0..SHARDS)
            .map(|_| Vec::with_capacity(batch.len() / SHARDS * 2))
            .collect();
        for (i, f) in batch.iter().enumerate() {
            parts[Self::shard_of(f.key)].push(u32::try_from(i).expect("a batch under 2^32 attempts"));
        }
        let mut duplicates: Vec<usize> = self
            .shards
            .par_iter_mut()
            .zip(parts)
            .flat_map_iter(|(shard, part)| shard.fold(batch, part))
            .collect();
        duplicates.sort_unstable();
        duplicates
    }

    /// Frees the attempt hashes once the last log is folded: nothing is deduplicated after,
    /// and the states outlive them into the outputs.
    pub(super) fn forget_attempts(&mut self) {
        for shard in &mut self.shards {
            shard.seen = Seen::default();
        }
    }

    /// Bytes the per-day counters hold (their cost, for BENCHMARKS.md).
    pub(super) fn daily_bytes(&self) -> usize {
        self.shards.iter().map(|s| s.daily.bytes()).sum()
    }

    /// Bytes the index and the dense arrays of states hold (for the tests' budget).
    #[cfg(test)]
    pub(super) fn state_bytes(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.index.bytes() + s.entries.len() * std::mem::size_of::<Entry>())
            .sum()
    }

    /// Frees the daily counters after the cap check; returns the (key, day, count) of the
    /// days over `cap`, in no particular order.
    pub(super) fn take_over_cap(&mut self, cap: u16) -> Vec<(u64, u16, u16)> {
        let days: Vec<Vec<(u64, u16, u16)>> = self
            .shards
            .par_iter_mut()
            .map(|shard| {
                let daily = std::mem::take(&mut shard.daily);
                let entries = &shard.entries;
                daily
                    .over(cap, |place| entries[place].state.attempts > cap)
                    .into_iter()
                    .map(|(place, day, count)| (entries[place].key, day, count))
                    .collect()
            })
            .collect();
        days.into_iter().flatten().collect()
    }
}

impl Shard {
    /// Folds the attempts at the positions `part` of `batch` (this shard's, in order); returns
    /// the positions of those already folded. An attempt without a number (key 0) is checked
    /// for a copy but has no state.
    fn fold(&mut self, batch: &[Folded], part: Vec<u32>) -> Vec<usize> {
        self.warm(batch, &part);
        let mut duplicates = Vec::new();
        for i in part.into_iter().map(|i| i as usize) {
            let f = &batch[i];
            if !self.seen.first(f.hash) {
                duplicates.push(i);
                continue;
            }
            if f.key == 0 {
                continue;
            }
            let new = |key| Entry {
                key,
                state: NumberState::new(),
            };
            let (place, _) = self.index.find_or_insert(f.key, &mut self.entries, new);
            self.entries[place].state.add(f.class, f.at, f.slot);
            if f.class.four() != Four::Reached && f.class.counts_against_number() {
                self.daily.add(place, state::day_of(f.at));
            }
        }
        duplicates
    }

    /// Reads the index slot and the dedupe slot each attempt of `part` probes first, all in
    /// one pass: the reads do not depend on each other, so the core overlaps their cache
    /// misses, and the fold after finds most of those lines in cache (taken one after the
    /// other, inside the fold, those misses were most of its time in the profile).
    fn warm(&self, batch: &[Folded], part: &[u32]) {
        let sink = part.iter().fold(0u64, |sink, &i| {
            let f = &batch[i as usize];
            sink ^ u64::from(self.index.first_slot(f.key)) ^ self.seen.first_slot(f.hash)
        });
        std::hint::black_box(sink);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use proptest::prelude::*;

    use super::*;
    use crate::rules::Class;

    /// An attempt whose copies share `hash`.
    fn folded(key: u64, class: Class, at: u32, hash: u64) -> Folded {
        Folded {
            key,
            class,
            at,
            line: 0,
            slot: None,
            outside_window: false,
            unrecognised: None,
            hash,
        }
    }

    proptest! {
        /// The same states, duplicates and days over the cap as one set of the hashes folded,
        /// one map of states and one of counters per number-day, whatever the batches and the
        /// reserve. A copy (same key and `copy`, so same hash) may differ in class and time,
        /// as two lines that differ only in their notes do: the first one in order is folded.
        #[test]
        fn folds_like_maps(
            attempts in proptest::collection::vec((0..40u64, 0..3u64, 0..Class::ALL.len(), 0..4u32, 0..1440u32), 0..600),
            batch in 1..50usize,
            lines in 0..1000u64,
            cap in 0..4u16,
        ) {
            let mut states = States::new();
            states.reserve(lines);
            let mut want: HashMap<u64, NumberState> = HashMap::new();
            let mut days: HashMap<(u64, u16), u16> = HashMap::new();
            // Hashes from 1: the set stores a hash 0 as 1.
            let mut hashes = HashSet::new();
            let mut copies = Vec::new();
            let all: Vec<Folded> = attempts
                .iter()
                .map(|&(k, copy, c, d, m)| folded(k, Class::ALL[c], d * state::DAY + m, k * 3 + copy + 1))
                .collect();
            for (i, f) in all.iter().enumerate() {
                if !hashes.insert(f.hash) {
                    copies.push(i);
                    continue;
                }
                if f.key == 0 {
                    continue;
                }
                want.entry(f.key).or_default().add(f.class, f.at, f.slot);
                if f.class.four() != Four::Reached && f.class.counts_against_number() {
                    *days.entry((f.key, state::day_of(f.at))).or_default() += 1;
                }
            }
            let mut got_copies = Vec::new();
            for (n, chunk) in all.chunks(batch).enumerate() {
                got_copies.extend(states.fold(chunk).into_iter().map(|i| n * batch + i));
            }
            prop_assert_eq!(got_copies, copies);
            prop_assert_eq!(states.iter().count(), want.len());
            for (k, s) in &want {
                prop_assert_eq!(states.get(*k), Some(s));
            }
            prop_assert_eq!(states.get(1000), None);
            states.forget_attempts();
            let mut got = states.take_over_cap(cap);
            got.sort_unstable();
            let mut over: Vec<(u64, u16, u16)> =
                days.into_iter().filter(|(_, c)| *c > cap).map(|((k, d), c)| (k, d, c)).collect();
            over.sort_unstable();
            prop_assert_eq!(got, over);
        }
    }

    /// 64 bytes of key and state, and 4 to 9 of index (at most 7/8 full, doubled when a
    /// shard outgrows the reserve): a map took about 100 (issue 11).
    #[test]
    fn a_number_costs_under_72_bytes() {
        let mut states = States::new();
        let n = 200_000u64;
        states.reserve(n * LINES_PER_NUMBER);
        let batch: Vec<Folded> = (1..=n).map(|k| folded(k * 7919, Class::NoAnswer, 600, k)).collect();
        states.fold(&batch);
        let per = states.state_bytes() as u64 / n;
        assert!(per < 72, "{per} bytes a number");
    }
}

//! The folded states of every dialled number, in shards: a number's shard is fixed by its
//! key, so each worker folds its own shards without locks, and a lookup goes to one shard.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::Folded;
use super::state::{self, NumberState};
use crate::rules::Four;

/// Shards of states and compliance counters. A number's shard is fixed by its key, so each
/// worker folds its own shards without locks; lookups go to one shard.
#[derive(Debug, Default)]
pub(crate) struct States {
    shards: Vec<Shard>,
}

/// One shard: the states of its numbers and their unanswered attempts per day.
#[derive(Debug, Default)]
struct Shard {
    states: FxHashMap<u64, NumberState>,
    daily: FxHashMap<(u64, u16), u16>,
}

/// Shards: more than threads, so that work spreads evenly.
const SHARDS: usize = 16;

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

    /// The state of the number with `key`.
    pub(crate) fn get(&self, key: u64) -> Option<&NumberState> {
        self.shards[Self::shard_of(key)].states.get(&key)
    }

    /// Every (key, state), in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&u64, &NumberState)> {
        self.shards.iter().flat_map(|s| s.states.iter())
    }

    /// Every (key, state), in no particular order, shard by shard on the worker threads.
    pub(crate) fn par_iter(&self) -> impl ParallelIterator<Item = (&u64, &NumberState)> {
        self.shards.par_iter().flat_map_iter(|s| s.states.iter())
    }

    /// Folds a batch: each shard, on its own thread, takes the attempts of its numbers.
    pub(super) fn fold(&mut self, batch: &[Folded]) {
        self.shards.par_iter_mut().enumerate().for_each(|(i, shard)| {
            for f in batch.iter().filter(|f| f.key != 0 && Self::shard_of(f.key) == i) {
                shard.states.entry(f.key).or_default().add(f.class, f.at, f.slot);
                if f.class.four() != Four::Reached && f.class.counts_against_number() {
                    *shard.daily.entry((f.key, state::day_of(f.at))).or_default() += 1;
                }
            }
        });
    }

    /// Bytes the per-number-per-day counters hold (their cost, for BENCHMARKS.md).
    pub(super) fn daily_bytes(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.daily.capacity() * (std::mem::size_of::<((u64, u16), u16)>() + 1))
            .sum()
    }

    /// Frees the daily counters after the cap check; returns the days over `cap`.
    pub(super) fn take_over_cap(&mut self, cap: u16) -> Vec<(u64, u16, u16)> {
        let mut over = Vec::new();
        for shard in &mut self.shards {
            over.extend(
                shard
                    .daily
                    .iter()
                    .filter(|(_, c)| **c > cap)
                    .map(|(&(k, d), &c)| (k, d, c)),
            );
            shard.daily = FxHashMap::default();
        }
        over
    }
}

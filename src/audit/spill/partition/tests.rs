//! Tests of the partitioned spill: every value comes back once, in its key's partition,
//! sorted, whether held in memory, written out, or sorted through run files; the files are
//! removed; a damaged file is an error.

use std::collections::BTreeMap;
use std::fs;

use proptest::prelude::*;

use super::super::{get_u64, put_u64};
use super::*;

/// A key and a payload; `Ord` over both, as the shared-number sightings order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Pair {
    key: u64,
    payload: u64,
}

impl Spill for Pair {
    fn encode(&self, out: &mut Vec<u8>) {
        put_u64(out, self.key);
        put_u64(out, self.payload);
    }
    fn decode(input: &mut &[u8]) -> io::Result<Option<Self>> {
        if input.is_empty() {
            return Ok(None);
        }
        Ok(Some(Pair {
            key: get_u64(input)?,
            payload: get_u64(input)?,
        }))
    }
    fn size(&self) -> usize {
        size_of::<Self>()
    }
    const WHOLE_ORDER: bool = true;
}

/// Pushes `values` (hashed by key) into `parts` partitions with `budget`, and returns each
/// partition's sorted values.
fn run(dir: &Path, values: &[Pair], budget: usize, parts: usize) -> io::Result<Vec<Vec<Pair>>> {
    let mut spill = Partitioned::with_parts(dir, budget, parts);
    for v in values {
        spill.push(v.key.wrapping_mul(31), *v)?;
    }
    spill.finish_each(Iterator::collect::<io::Result<Vec<_>>>)
}

/// Files the spill left in `dir`.
fn leftovers(dir: &Path) -> usize {
    fs::read_dir(dir).expect("read dir").count()
}

/// Checks that `got` holds exactly `values`, each partition sorted, each key in one partition.
fn check(values: &[Pair], got: &[Vec<Pair>]) {
    let mut owner = BTreeMap::new();
    for (i, part) in got.iter().enumerate() {
        assert!(part.is_sorted(), "partition {i} is sorted");
        for v in part {
            assert_eq!(*owner.entry(v.key).or_insert(i), i, "key {} in one partition", v.key);
        }
    }
    let mut all: Vec<Pair> = got.concat();
    all.sort_unstable();
    let mut want = values.to_vec();
    want.sort_unstable();
    assert_eq!(all, want);
}

#[test]
fn values_come_back_sorted_in_their_partition_in_memory_written_out_or_run_sorted() {
    let values: Vec<Pair> = (0..5000u64)
        .map(|i| Pair {
            key: (i * 7919) % 613,
            payload: i ^ 0x55,
        })
        .collect();
    // Budgets: nothing written; written often; so small that each partition is run-sorted.
    for budget in [1 << 20, 4096, 0] {
        let dir = tempfile::tempdir().expect("tempdir");
        let got = run(dir.path(), &values, budget, 16).expect("partitioned");
        assert_eq!(got.len(), 16);
        check(&values, &got);
        assert_eq!(leftovers(dir.path()), 0, "budget {budget}: files removed");
    }
}

#[test]
fn files_exist_while_values_are_written_out_and_go_when_dropped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut spill = Partitioned::with_parts(dir.path(), 0, 4);
    for key in 0..40u64 {
        spill.push(key, Pair { key, payload: 0 }).expect("push");
    }
    assert!(leftovers(dir.path()) > 0, "written out at budget 0");
    drop(spill);
    assert_eq!(leftovers(dir.path()), 0);
}

#[test]
fn a_truncated_partition_file_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut spill = Partitioned::with_parts(dir.path(), 0, 1);
    for key in 0..10u64 {
        spill.push(key, Pair { key, payload: key }).expect("push");
    }
    let file = fs::read_dir(dir.path())
        .expect("dir")
        .next()
        .expect("one file")
        .expect("entry");
    let len = file.metadata().expect("metadata").len();
    fs::OpenOptions::new()
        .write(true)
        .open(file.path())
        .expect("open")
        .set_len(len - 3)
        .expect("truncate");
    let err = spill
        .finish_each(Iterator::collect::<io::Result<Vec<_>>>)
        .expect_err("truncated");
    assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof, "{err}");
}

#[test]
fn partitions_spread_clustered_hashes() {
    for hashes in [
        (0..4096u64).collect::<Vec<_>>(),
        (0..4096u64).map(|h| h << 40).collect(),
    ] {
        let mut counts = [0usize; PARTS];
        for h in hashes {
            counts[partition(h, PARTS)] += 1;
        }
        // 32 per partition on average: none empty, none holding four times its share.
        assert!(counts.iter().all(|&c| c > 0 && c < 128), "{counts:?}");
    }
}

proptest! {
    #[test]
    fn any_values_and_budget_come_back_whole(
        keys in prop::collection::vec(0u64..50, 0..400),
        budget in prop_oneof![Just(0usize), 1usize..2048, Just(1 << 20)],
        parts in 1usize..9,
    ) {
        let values: Vec<Pair> = keys.iter().enumerate().map(|(i, &key)| Pair { key, payload: i as u64 }).collect();
        let dir = tempfile::tempdir().expect("tempdir");
        let got = run(dir.path(), &values, budget, parts).expect("partitioned");
        check(&values, &got);
        prop_assert_eq!(leftovers(dir.path()), 0);
    }
}

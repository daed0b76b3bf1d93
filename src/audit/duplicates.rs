//! Numbers repeated within one record: `duplicate.in_record` on a second sighting, and
//! `contact.same_as_borrower` on a relative's or contact's number that is the customer's own.
//! Linear in the record's numbers, so a record packed with thousands of them stays cheap.

use std::collections::hash_map::Entry;
use std::hash::Hash;

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use super::record::Found;
use crate::input::columns::Relation;
use crate::phone::Issue;

/// `duplicate.in_record` on the second sighting of a number in one record, and
/// `contact.same_as_borrower` on a relative's or contact's number equal to the customer's own.
pub(super) fn mark_record_duplicates(found: &mut [Found]) {
    let keys = found.iter().map(|f| {
        let n = &f.number;
        (!n.digits.is_empty()).then_some((n.digits, n.kind))
    });
    for (i, first) in first_sightings(keys).into_iter().enumerate() {
        let Some(first) = first else { continue };
        let first_relation = found[first].relation;
        let n = &mut found[i];
        n.number.issues.insert(Issue::DuplicateInRecord);
        if n.relation != Relation::Own && first_relation == Relation::Own {
            n.number.issues.insert(Issue::ContactSameAsBorrower);
        }
    }
}

/// Records with more numbers than this find their duplicates through a hash map; fewer are
/// compared pairwise, which costs no allocation.
const PAIRWISE_MAX: usize = 16;

/// For each key, the index of the first earlier key equal to it (`None` for a first sighting
/// or no key). Linear: one hash lookup per key, so a record packed with 27,000 numbers costs
/// 27,000 lookups instead of 364 million comparisons (issue 10: 19.3 s against 1.6 s).
fn first_sightings<K: Hash + Eq>(keys: impl ExactSizeIterator<Item = Option<K>>) -> Vec<Option<usize>> {
    if keys.len() <= PAIRWISE_MAX {
        let keys: SmallVec<[Option<K>; PAIRWISE_MAX]> = keys.collect();
        return keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let k = k.as_ref()?;
                keys[..i].iter().position(|earlier| earlier.as_ref() == Some(k))
            })
            .collect();
    }
    let mut first: FxHashMap<K, usize> = FxHashMap::default();
    keys.enumerate()
        .map(|(i, k)| match first.entry(k?) {
            Entry::Occupied(e) => Some(*e.get()),
            Entry::Vacant(e) => {
                e.insert(i);
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::hash::Hasher;

    use super::*;

    thread_local! {
        static COMPARED: Cell<usize> = const { Cell::new(0) };
    }

    /// A key that counts how often it is compared.
    #[derive(Debug)]
    struct Counted(u32);

    impl PartialEq for Counted {
        fn eq(&self, other: &Self) -> bool {
            COMPARED.with(|c| c.set(c.get() + 1));
            self.0 == other.0
        }
    }

    impl Eq for Counted {}

    impl Hash for Counted {
        fn hash<H: Hasher>(&self, state: &mut H) {
            self.0.hash(state);
        }
    }

    #[test]
    fn first_sightings_point_at_the_first_equal_key() {
        let keys = [Some(7), None, Some(3), Some(7), Some(3), Some(7), None];
        let want = [None, None, None, Some(0), Some(2), Some(0), None];
        assert_eq!(first_sightings(keys.into_iter()), want);
        // The same answer past the pairwise size, through the map.
        let many: Vec<Option<u32>> = (0..100).map(|i| (i % 9 != 0).then_some(i % 10)).collect();
        let got = first_sightings(many.iter().copied());
        for (i, first) in got.iter().enumerate() {
            let want = many[i].and_then(|k| many[..i].iter().position(|e| *e == Some(k)));
            assert_eq!(*first, want, "key {i}");
        }
    }

    /// Issue 10: 27,000 numbers packed in one record took 12 times as long as spread out.
    /// Finding in-record duplicates must compare each number a bounded number of times.
    #[test]
    fn in_record_duplicates_are_found_in_linear_time() {
        let n = 20_000;
        COMPARED.with(|c| c.set(0));
        let got = first_sightings((0..n).map(|i| Some(Counted(i % 5_000))));
        assert_eq!(got.iter().filter(|f| f.is_some()).count(), 15_000);
        let compared = COMPARED.with(Cell::get);
        assert!(compared <= 2 * n as usize, "{compared} comparisons for {n} keys");
    }
}

//! Numbers shared across customers (`duplicate.across_records`): every valid own or family
//! number is keyed by its canonical form and spilled with the customer it belongs to; after
//! the stream, one sorted pass counts the distinct customers of each number.

use std::io;

use super::spill::{self, Sorter, Spill, get_bytes, get_u64, put_bytes, put_u64};
use crate::history::fnv1a;
use crate::phone::Digits;
use crate::report::Shared;

/// One sighting of a number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct SharedNumber {
    /// A 64-bit hash of the canonical form (E.164 when complete, else the national form).
    pub(crate) key: u64,
    /// A hash of the customer id.
    pub(crate) customer: u64,
    /// The line it was seen on.
    pub(crate) line: u64,
    /// The canonical form, for the report (inline: no allocation per sighting).
    pub(crate) number: Digits,
}

impl SharedNumber {
    /// The sighting of a number whose canonical form is `canonical` (E.164 when complete, else
    /// national), for customer `id` on `line`.
    pub(crate) fn new(canonical: &str, id: &str, line: u64) -> SharedNumber {
        SharedNumber {
            key: fnv1a(canonical.as_bytes()),
            customer: fnv1a(id.as_bytes()),
            line,
            number: Digits::new(canonical.as_bytes()),
        }
    }
}

impl Spill for SharedNumber {
    fn encode(&self, out: &mut Vec<u8>) {
        put_u64(out, self.key);
        put_u64(out, self.customer);
        put_u64(out, self.line);
        put_bytes(out, self.number.as_bytes());
    }

    fn decode(input: &mut &[u8]) -> io::Result<Option<Self>> {
        if input.is_empty() {
            return Ok(None);
        }
        Ok(Some(SharedNumber {
            key: get_u64(input)?,
            customer: get_u64(input)?,
            line: get_u64(input)?,
            number: Digits::new(get_bytes(input)?),
        }))
    }

    fn size(&self) -> usize {
        std::mem::size_of::<Self>()
    }

    // `Ord` is derived over every field.
    const WHOLE_ORDER: bool = true;
}

/// Folds one group of sightings of the same number (sorted by customer, then line).
fn fold_group(group: &[SharedNumber]) -> Shared {
    let mut customers = 0;
    let mut last = None;
    let mut lines: Vec<u64> = Vec::new();
    for s in group {
        if last != Some(s.customer) {
            customers += 1;
            last = Some(s.customer);
        }
        lines.push(s.line);
    }
    lines.sort_unstable();
    lines.truncate(5);
    Shared {
        number: group.first().map(|s| s.number.as_str().to_string()).unwrap_or_default(),
        customers,
        lines,
    }
}
/// Counts the distinct customers of each sighted number; keeps those at the threshold or
/// above, most customers first.
pub(crate) fn find(sightings: Sorter<SharedNumber>, threshold: u64) -> anyhow::Result<Vec<Shared>> {
    let mut found = Vec::new();
    for group in spill::groups(sightings.finish()?, |s: &SharedNumber| s.key) {
        let shared = fold_group(&group?);
        if shared.customers >= threshold.max(2) {
            found.push(shared);
        }
    }
    found.sort_by(|a, b| b.customers.cmp(&a.customers).then(a.number.cmp(&b.number)));
    Ok(found)
}

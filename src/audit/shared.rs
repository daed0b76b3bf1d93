//! Numbers shared across customers (`duplicate.across_records`): every valid own or family
//! number is keyed by its canonical form and spilled, partitioned by that key, with the
//! customer it belongs to; after the stream, each partition is sorted and counts the
//! distinct customers of each of its numbers.

use std::io;

use super::spill::{self, Partitioned, Spill, get_bytes, get_u64, put_bytes, put_u64};
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

/// The distinct customers of one group of sightings of the same number (sorted by
/// customer, then line).
fn customers(group: &[SharedNumber]) -> u64 {
    1 + group.windows(2).filter(|w| w[0].customer != w[1].customer).count() as u64
}

/// The report entry of one group of sightings with `customers` distinct customers: its five
/// first lines.
fn fold_group(group: &[SharedNumber], customers: u64) -> Shared {
    let mut lines: Vec<u64> = group.iter().map(|s| s.line).collect();
    lines.sort_unstable();
    lines.truncate(5);
    Shared {
        number: group[0].number.as_str().to_string(),
        customers,
        lines,
    }
}

/// Counts the distinct customers of each sighted number; keeps those at the threshold or
/// above, most customers first. The partitions are searched side by side; the order of the
/// result does not depend on them (ties between different numbers fall back to the key).
pub(crate) fn find(sightings: Partitioned<SharedNumber>, threshold: u64) -> anyhow::Result<Vec<Shared>> {
    let threshold = threshold.max(2);
    let parts = sightings.finish_each(|sorted| {
        let mut found = Vec::new();
        spill::for_each_group(
            sorted,
            |s: &SharedNumber| s.key,
            |group| {
                let customers = customers(group);
                if customers >= threshold {
                    found.push((group[0].key, fold_group(group, customers)));
                }
            },
        )?;
        Ok(found)
    })?;
    let mut found: Vec<(u64, Shared)> = parts.into_iter().flatten().collect();
    found.sort_unstable_by(|(ka, a), (kb, b)| {
        b.customers
            .cmp(&a.customers)
            .then_with(|| a.number.cmp(&b.number))
            .then(ka.cmp(kb))
    });
    Ok(found.into_iter().map(|(_, shared)| shared).collect())
}

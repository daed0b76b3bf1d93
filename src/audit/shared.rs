//! Numbers shared across customers (`duplicate.across_records`): every valid own or family
//! number is keyed by its canonical form and spilled, partitioned by that key, with the
//! customer it belongs to; after the stream, each partition is sorted and counts the
//! distinct customers of each of its numbers.

use std::io;

use super::spill::{self, Partitioned, Spill, get_bytes, get_u64, get_varint, put_bytes, put_u64, put_varint};
use crate::history::fnv1a;
use crate::phone::Digits;
use crate::report::Shared;

/// One sighting of a number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct SharedNumber {
    /// The canonical form (E.164 when complete, else the national form): exactly for E.164,
    /// else a 63-bit hash (see [`EXACT`]).
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
        let canonical = canonical.as_bytes();
        SharedNumber {
            key: exact_key(canonical).unwrap_or_else(|| fnv1a(canonical) & !EXACT),
            customer: fnv1a(id.as_bytes()),
            line,
            number: Digits::new(canonical),
        }
    }
}

/// The top bit of a key that holds its E.164 number exactly (nearly every sighting): such a
/// sighting is spilled without its text, which the key gives back. Other keys are hashes of
/// the canonical form with this bit clear, so the two never meet.
const EXACT: u64 = 1 << 63;
/// Most digits an exact key holds: 10^17 < 2^58, beside 5 bits of length. E.164 has 15.
const EXACT_DIGITS: usize = 17;
/// The bits of an exact key below its length.
const VALUE_BITS: u32 = 58;

/// The exact key of `+` and 1 to 17 digits: the flag, the digit count (so leading zeros
/// survive) and the digits' value.
fn exact_key(canonical: &[u8]) -> Option<u64> {
    let digits = canonical.strip_prefix(b"+")?;
    if digits.is_empty() || digits.len() > EXACT_DIGITS || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = digits.iter().fold(0u64, |v, d| v * 10 + u64::from(d - b'0'));
    Some(EXACT | (digits.len() as u64) << VALUE_BITS | value)
}

/// The number an exact key holds; `None` for a hash key.
fn exact_text(key: u64) -> Option<Digits> {
    if key & EXACT == 0 {
        return None;
    }
    let len = ((key >> VALUE_BITS) & 0x1F) as usize;
    let mut value = key & ((1 << VALUE_BITS) - 1);
    let mut text = [b'+'; 1 + EXACT_DIGITS];
    for slot in text[1..=len].iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
    Some(Digits::new(&text[..=len]))
}

impl Spill for SharedNumber {
    fn encode(&self, out: &mut Vec<u8>) {
        put_u64(out, self.key);
        put_u64(out, self.customer);
        put_varint(out, self.line);
        if self.key & EXACT == 0 {
            put_bytes(out, self.number.as_bytes());
        }
    }

    fn decode(input: &mut &[u8]) -> io::Result<Option<Self>> {
        if input.is_empty() {
            return Ok(None);
        }
        let key = get_u64(input)?;
        let customer = get_u64(input)?;
        let line = get_varint(input)?;
        let number = match exact_text(key) {
            Some(number) => number,
            None => Digits::new(get_bytes(input)?),
        };
        Ok(Some(SharedNumber {
            key,
            customer,
            line,
            number,
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Encodes and decodes one sighting.
    fn round_trip(s: &SharedNumber) -> SharedNumber {
        let mut out = Vec::new();
        s.encode(&mut out);
        let mut input = &out[..];
        let back = SharedNumber::decode(&mut input).expect("decodes").expect("a value");
        assert!(input.is_empty(), "decode reads the whole encoding");
        back
    }

    #[test]
    fn e164_numbers_are_keyed_exactly_and_other_forms_by_hash() {
        let mobile = SharedNumber::new("+8613912345678", "KH1", 2);
        let value: u64 = "8613912345678".parse().expect("digits");
        assert_eq!(mobile.key, EXACT | 13 << VALUE_BITS | value);
        let national = SharedNumber::new("027-8765432", "KH1", 2);
        assert_eq!(national.key & EXACT, 0);
        for s in [mobile, national, SharedNumber::new("+0012", "KH2", u64::MAX)] {
            assert_eq!(round_trip(&s), s);
        }
        // Not exact: no digits, 18 digits, or anything but digits after the plus.
        for form in ["+", "+123456789012345678", "+86 139", "8613912345678"] {
            assert_eq!(exact_key(form.as_bytes()), None, "{form}");
        }
    }

    #[test]
    fn customers_count_distinct_ids_of_a_sorted_group() {
        let mut group: Vec<SharedNumber> = [("A", 9), ("B", 4), ("A", 3), ("C", 7), ("B", 5)]
            .into_iter()
            .map(|(id, line)| SharedNumber::new("+8613912345678", id, line))
            .collect();
        group.sort_unstable();
        assert_eq!(customers(&group), 3);
        let shared = fold_group(&group, 3);
        assert_eq!(
            (shared.number.as_str(), shared.lines),
            ("+8613912345678", vec![3, 4, 5, 7, 9])
        );
    }

    proptest! {
        #[test]
        fn exact_keys_give_their_number_back(digits in "[0-9]{1,17}", line in any::<u64>()) {
            let canonical = format!("+{digits}");
            let s = SharedNumber::new(&canonical, "KH9", line);
            prop_assert!(s.key & EXACT != 0);
            let text = exact_text(s.key).expect("exact");
            prop_assert_eq!(text.as_str(), canonical.as_str());
            prop_assert_eq!(round_trip(&s), s);
        }

        #[test]
        fn equal_keys_mean_equal_forms(a in "\\+?[0-9-]{1,18}", b in "\\+?[0-9-]{1,18}") {
            let (ka, kb) = (SharedNumber::new(&a, "", 0).key, SharedNumber::new(&b, "", 0).key);
            prop_assert_eq!(ka == kb, a == b);
        }
    }
}

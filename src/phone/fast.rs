//! The fast paths of the cell check: the spellings most cells use (bare mobiles, `+86`,
//! `ddd-dddd-dddd`, landlines as `0AA-NNNNNNNN` or bare digits), judged without folding the
//! cell. Each is taken only when the general path (`split::check_folded`) would give exactly
//! the same result, and property tests compare the two on every shape.

use super::Engine;
use super::classify::is_clean;
use super::issue::IssueSet;
use super::number::{Cell, Kind, Number};

/// The spellings most cells use, judged without folding: 11 bare digits, `+86` and 11
/// digits, `ddd-dddd-dddd` and `ddd dddd dddd`. The three written forms are taken only when
/// the result is clean, the one case where the general path would return exactly the same
/// (a test compares the two on every shape).
pub(super) fn fast(engine: &Engine<'_>, cell: &str) -> Option<Cell> {
    let b = cell.as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let (n, written) = match b.len() {
        11 if digits(b) => (engine.classify(b, false), false),
        14 if b.starts_with(b"+86") && digits(&b[3..]) => (engine.classify(&b[1..], true), true),
        13 if (b[3] == b'-' || b[3] == b' ')
            && b[8] == b[3]
            && digits(&b[..3])
            && digits(&b[4..8])
            && digits(&b[9..]) =>
        {
            let joined: [u8; 11] = std::array::from_fn(|i| {
                b[if i < 3 {
                    i
                } else if i < 7 {
                    i + 1
                } else {
                    i + 2
                }]
            });
            (engine.classify(&joined, false), true)
        }
        10..=13 if b[0] == b'0' => return landline(engine, b),
        _ => return None,
    };
    if written && !is_clean(&n) {
        return None;
    }
    Some(whole_cell(n, b.len()))
}

/// The cell that is `n` and nothing else: its raw text the whole `len` bytes, no cell issue.
fn whole_cell(mut n: Number, len: usize) -> Cell {
    n.raw = 0..len as u32;
    Cell {
        numbers: smallvec::smallvec![n],
        issues: IssueSet::default(),
    }
}

/// A landline written `0AA-NNNNNNNN`, `0AAA-NNNNNNN` or as bare digits, judged without
/// folding: taken only when its area code ends where a dash stands and nothing at all is
/// wrong with it, so that the general path would return the same (a test compares the two
/// on every shape).
fn landline(engine: &Engine<'_>, b: &[u8]) -> Option<Cell> {
    let n = match b.iter().position(|&c| c == b'-') {
        // Bare digits (`075586013388`): the area code may end anywhere.
        None if b.iter().all(u8::is_ascii_digit) => engine.classify(b, false),
        Some(dash @ 3..=4) => {
            let (area, local) = (&b[..dash], &b[dash + 1..]);
            if !area.iter().chain(local).all(u8::is_ascii_digit) {
                return None;
            }
            let mut joined = [0u8; 12];
            joined[..dash].copy_from_slice(area);
            joined[dash..b.len() - 1].copy_from_slice(local);
            let n = engine.classify(&joined[..b.len() - 1], false);
            if usize::from(n.area_len) != dash {
                return None;
            }
            n
        }
        _ => return None,
    };
    if !n.issues.is_empty() || n.kind != Kind::Landline {
        return None;
    }
    Some(whole_cell(n, b.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phone::split::check_folded;
    use crate::rules::RuleSet;
    use proptest::prelude::*;

    fn rules() -> &'static RuleSet {
        static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
        RULES.get_or_init(RuleSet::embedded)
    }

    proptest! {
        /// The fast path must agree with the general path on every cell it takes.
        #[test]
        fn fast_path_equals_general_path(
            prefix in "(\\+86)?",
            d in "1[0-9]{10}|[0-9]{11}",
            sep in "[- ]?",
        ) {
            let engine = Engine::new(rules());
            let cell = if sep.is_empty() {
                format!("{prefix}{d}")
            } else {
                format!("{}{sep}{}{sep}{}", &d[..3], &d[3..7], &d[7..])
            };
            if let Some(fast) = fast(&engine, &cell) {
                prop_assert_eq!(fast, check_folded(&engine, &cell), "{}", cell);
            }
        }
    }

    proptest! {
        /// The landline fast path must agree with the general path on every cell it takes:
        /// real and unknown area codes, local numbers of every length, dashes anywhere.
        #[test]
        fn landline_fast_path_equals_general_path(
            area in "0(10|2[0-9]|[3-9][0-9]{2})|0[0-9]{1,3}",
            local in "[0-9]{5,9}",
            cut in 0usize..12,
        ) {
            let engine = Engine::new(rules());
            let digits = format!("{area}{local}");
            let cut = cut.min(digits.len());
            let cells = [
                format!("{area}-{local}"),
                format!("{}-{}", &digits[..cut], &digits[cut..]),
                digits.clone(),
            ];
            for cell in cells {
                if let Some(fast) = fast(&engine, &cell) {
                    prop_assert_eq!(fast, check_folded(&engine, &cell), "{}", cell);
                }
            }
        }
    }

    #[test]
    fn fast_path_takes_the_common_spellings() {
        let engine = Engine::new(rules());
        for cell in [
            "13971234567",
            "+8613971234567",
            "139-7123-4567",
            "139 7123 4567",
            "027-87654321",
            "0755-86013388",
            "075586013388",
        ] {
            assert!(fast(&engine, cell).is_some(), "{cell}");
        }
        // A 7-digit Wuhan number (pre-upgrade), a dash inside the area code, a space, an
        // unknown area: each has something to say, so the general path reads it.
        for cell in [
            "154-1234-5678",
            "139-7123 4567",
            "+8527123456789",
            "027-8765432",
            "02-787654321",
            "0371-6558 123",
            "0000-1234567",
        ] {
            assert!(fast(&engine, cell).is_none(), "{cell}");
        }
    }
}

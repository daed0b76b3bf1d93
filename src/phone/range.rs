//! Ranges written in one cell: `027-87654321/2`, `027-87654321、22` (the last digits of a
//! second line in the same exchange) and `027-87654321~3` (every line up to ...87654323).
//! A short run of digits after a complete landline stands for the numbers it spells with the
//! landline's other digits; it is expanded to them, each with `format.range` (info), instead of
//! being read as an unrecognised fragment of its own (issue 12).

use smallvec::SmallVec;

use super::Engine;
use super::classify::is_clean;
use super::fold::Folded;
use super::issue::Issue;
use super::number::{Kind, Number};

/// The most numbers a `~` range may stand for: a longer span is more likely a typo than a
/// block of lines, and is then read as written.
const MAX_SPAN: u32 = 9;

/// Expands symbols `start..end` of `f` (one piece of `cell`) when they are the tail of a range
/// after the number before them; true when they were (the numbers are then in `out`).
pub(crate) fn expand(
    engine: &Engine<'_>,
    cell: &str,
    f: &Folded,
    (start, end): (usize, usize),
    out: &mut SmallVec<[Number; 2]>,
) -> bool {
    let Some(tail) = tail(f, start, end) else {
        return false;
    };
    let Some(prev) = out.last().filter(|n| is_range_base(n)) else {
        return false;
    };
    let (sep_start, sep_end) = f.span[start - 1];
    let sep = cell.get(sep_start as usize..sep_end as usize).unwrap_or_default();
    let base = prev.digits.as_bytes();
    let local_len = base.len() - usize::from(prev.area_len);
    let digits = &f.sym[tail.0..tail.1];
    if !matches!(sep, "/" | "／" | "、" | "~") || digits.len() >= local_len {
        return false;
    }
    let head = &base[..base.len() - digits.len()];
    let ends: SmallVec<[u32; 9]> = if sep == "~" {
        let from = value(&base[head.len()..]);
        let to = value(digits);
        if to <= from || to - from > MAX_SPAN {
            return false;
        }
        (from + 1..=to).collect()
    } else {
        smallvec::smallvec![value(digits)]
    };
    let mut found: SmallVec<[Number; 2]> = SmallVec::new();
    for last in ends {
        let mut number: SmallVec<[u8; 24]> = head.into();
        number.extend_from_slice(format!("{last:0width$}", width = digits.len()).as_bytes());
        let mut n = engine.classify(&number, false);
        if !is_clean(&n) || n.digits.as_bytes() == base {
            return false;
        }
        n.issues.insert(Issue::Range);
        n.raw = f.span[tail.0].0..f.span[tail.1 - 1].1;
        found.push(n);
    }
    out.extend(found);
    true
}

/// The symbol range of the piece's digits when the piece is 1 or 2 digits and nothing else.
/// Longer tails are left alone: `/139` or `/8001` is more often a truncated mobile or an
/// extension than a second line, and guessing would make a valid-looking number of it.
fn tail(f: &Folded, start: usize, end: usize) -> Option<(usize, usize)> {
    if start == 0 {
        return None;
    }
    let sym = &f.sym[start..end];
    let first = sym.iter().position(|s| *s != b' ')?;
    let last = sym.iter().rposition(|s| *s != b' ')? + 1;
    let digits = &sym[first..last];
    ((1..=2).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit)).then_some((start + first, start + last))
}

/// A number a range can continue: a clean landline with its whole local number (with or
/// without an area code) and no extension.
fn is_range_base(n: &Number) -> bool {
    let local = n.issues.contains(Issue::NoAreaCode);
    n.kind == Kind::Landline && is_clean(n) && (n.complete || local) && n.extension.is_empty()
}

/// ASCII digits as a number (at most 2 of them here).
fn value(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0'))
}

#[cfg(test)]
mod tests {
    use crate::phone::Engine;
    use crate::rules::RuleSet;
    use test_case::test_case;

    fn rules() -> &'static RuleSet {
        static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
        RULES.get_or_init(RuleSet::embedded)
    }

    /// `national [issues]` of each number, `; `-joined, and the raw text of each.
    fn expanded(cell: &str) -> String {
        let c = Engine::new(rules()).check(cell);
        c.numbers
            .iter()
            .map(|n| {
                let codes: Vec<&str> = n.issues.iter().map(crate::phone::Issue::code).collect();
                format!("{} [{}] `{}`", n.national(), codes.join(" "), n.raw(cell))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    #[test_case("027-87654321/2" => "027-87654321 [] `027-87654321`; 027-87654322 [format.range] `2`" ; "slash one digit")]
    #[test_case("027-87654321、22" => "027-87654321 [] `027-87654321`; 027-87654322 [format.range] `22`" ; "enumeration comma two digits")]
    #[test_case("027-87654321~3" => "027-87654321 [] `027-87654321`; 027-87654322 [format.range] `3`; 027-87654323 [format.range] `3`" ; "tilde range")]
    #[test_case("87654321/5" => "87654321 [landline.no_area_code] `87654321`; 87654325 [format.range landline.no_area_code] `5`" ; "local number without area code")]
    #[test_case("027-87654321/2/3" => "027-87654321 [] `027-87654321`; 027-87654322 [format.range] `2`; 027-87654323 [format.range] `3`" ; "chained")]
    fn ranges_expand(cell: &str) -> String {
        expanded(cell)
    }

    #[test_case("027-87654321~1" ; "tilde going down")]
    #[test_case("027-87654321~99" ; "tilde over nine numbers")]
    #[test_case("13971234567/8" ; "after a mobile")]
    #[test_case("027-87654321转8001/2" ; "after an extension")]
    #[test_case("027-8765432/1" ; "after an invalid landline")]
    #[test_case("027-87654321;2" ; "semicolon is a list not a range")]
    #[test_case("027-87654321/1" ; "the same number again")]
    #[test_case("027-87654321/139" ; "three digits may be a truncated mobile")]
    #[test_case("027-87654321/8001" ; "four digits may be an extension")]
    fn not_ranges(cell: &str) {
        assert!(!expanded(cell).contains("format.range"), "{}", expanded(cell));
    }
}

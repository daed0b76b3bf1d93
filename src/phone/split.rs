//! Splitting: a folded cell to the numbers it holds.
//!
//! A cell is cut into pieces on list separators; each piece loses its extension, has its
//! recoverable damage repaired (`.0`, complete scientific notation) and its unrecoverable
//! damage reported (masks, lossy scientific notation, letters for digits); its digit groups
//! are then read as one number, or as a number and a dash-extension, or as several numbers
//! that were written with only spaces between them.

use smallvec::SmallVec;

use super::Engine;
use super::classify::is_clean;
use super::fold::{Folded, fold};
use super::issue::{Issue, IssueSet};
use super::number::{Cell, Detail, Digits, Kind, Number};

/// A run of digits in a piece: symbol indices `start..end`, and what separated it from the
/// previous run.
#[derive(Debug, Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
    sep: u8,
}

/// Checks one cell (see [`Engine::check`]).
pub(crate) fn check(engine: &Engine<'_>, cell: &str) -> Cell {
    if let Some(cell) = super::fast::fast(engine, cell) {
        return cell;
    }
    check_folded(engine, cell)
}

/// The general path: fold the cell, cut it into pieces, read each piece.
pub(super) fn check_folded(engine: &Engine<'_>, cell: &str) -> Cell {
    let trimmed = cell.trim_matches(|c: char| c.is_whitespace() || is_invisible(c) || c == '\'' || c == '"');
    if trimmed.is_empty() {
        return Cell::without_number(Issue::Empty);
    }
    // A short list compared in turn: no allocation, and most cells fail on length at once.
    let rules = engine.rules();
    if trimmed.len() <= rules.placeholder_len && rules.placeholders.iter().any(|p| p.eq_ignore_ascii_case(trimmed)) {
        return Cell::without_number(Issue::Placeholder);
    }
    let folded = fold(cell);
    let mut cell_out = Cell::default();
    let mut start = 0;
    for (i, &s) in folded.sym.iter().chain(std::iter::once(&b'/')).enumerate() {
        if s == b'/' {
            if !super::range::expand(engine, cell, &folded, (start, i), &mut cell_out.numbers) {
                piece(engine, &folded, start, i, &mut cell_out.numbers);
            }
            start = i + 1;
        }
    }
    inherit_area_codes(engine, &mut cell_out);
    match cell_out.numbers.len() {
        0 => cell_out.issues.insert(Issue::NoNumber),
        1 => {}
        _ => cell_out.issues.insert(Issue::Multiple),
    }
    cell_out
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// Reads the numbers of symbols `start..end` into `out`.
fn piece(engine: &Engine<'_>, f: &Folded, start: usize, end: usize, out: &mut SmallVec<[Number; 2]>) {
    let sym = &f.sym[start..end];
    let Some(first) = sym.iter().position(|s| *s != b' ') else {
        return;
    };
    let last = sym.iter().rposition(|s| *s != b' ').unwrap_or(first);
    let (start, end) = (start + first, start + last + 1);
    let sym = &f.sym[start..end];
    let digits = sym.iter().filter(|s| s.is_ascii_digit()).count();
    let numerals = sym.iter().filter(|s| matches!(s, b'n')).count();
    let span = |n: &mut Number, a: usize, b: usize| n.raw = f.span[a].0..f.span[b - 1].1;
    if digits == 0 {
        if numerals >= 5 {
            let mut n = Number::new(Kind::Unknown, b"").with(Issue::Letters);
            span(&mut n, start, end);
            out.push(n);
        }
        return;
    }
    if let Some(mut n) = damaged(engine, sym, numerals) {
        span(&mut n, start, end);
        out.push(n);
        return;
    }
    // The extension: everything after the first marker that follows a digit.
    let marker = sym
        .iter()
        .position(|s| *s == b'x')
        .filter(|&x| sym[..x].iter().any(u8::is_ascii_digit));
    let body_end = marker.map_or(end, |x| start + x);
    let extension: SmallVec<[u8; 8]> = marker
        .map(|x| {
            sym[x + 1..]
                .iter()
                .skip_while(|s| !s.is_ascii_digit())
                .take_while(|s| s.is_ascii_digit())
                .copied()
                .collect()
        })
        .unwrap_or_default();
    let (body_end, float_suffix) = strip_float_suffix(f, start, body_end);
    let found = out.len();
    read_groups(engine, f, start, body_end, out);
    let Some(last) = out.len().checked_sub(1).filter(|&l| l >= found) else {
        return;
    };
    if float_suffix {
        out[last].issues.insert(Issue::FloatSuffix);
    }
    if !extension.is_empty() && extension.len() <= 6 {
        out[last].extension = Digits::new(&extension);
        out[last].raw.end = f.span[end - 1].1;
    }
}

/// Damage that hides the digits: masks, letters, scientific notation.
fn damaged(engine: &Engine<'_>, sym: &[u8], numerals: usize) -> Option<Number> {
    let digits: SmallVec<[u8; 24]> = sym.iter().filter(|s| s.is_ascii_digit()).copied().collect();
    if sym.contains(&b'm') {
        return Some(Number::new(Kind::Unknown, b"").with(Issue::Masked));
    }
    if sym.contains(&b'a') || numerals >= 3 {
        return Some(Number::new(Kind::Unknown, &digits).with(Issue::Letters));
    }
    let e = sym.iter().position(|s| *s == b'E')?;
    Some(scientific(engine, &sym[..e], &sym[e + 1..]))
}

/// Excel's scientific notation: `mantissa E exponent`. Repaired only when the mantissa kept
/// every digit of the number; otherwise the digits are gone and nothing is guessed.
fn scientific(engine: &Engine<'_>, mantissa: &[u8], exponent: &[u8]) -> Number {
    let lossy = Number::new(Kind::Unknown, b"").with(Issue::ExcelScientific);
    let int_len = mantissa.iter().take_while(|s| s.is_ascii_digit()).count();
    let digits: SmallVec<[u8; 24]> = mantissa.iter().filter(|s| s.is_ascii_digit()).copied().collect();
    let exp: Option<usize> = std::str::from_utf8(exponent)
        .ok()
        .and_then(|e| e.trim_start_matches('+').trim().parse().ok());
    let well_formed = int_len >= 1 && mantissa[int_len..].iter().all(|s| s.is_ascii_digit() || *s == b'.');
    match exp {
        Some(exp) if well_formed && digits.len() == int_len + exp => {
            let mut n = engine.classify(&digits, false);
            n.issues.insert(Issue::ExcelRepaired);
            n
        }
        _ => lossy,
    }
}

/// Strips a float suffix (`.0`, `.00`) when the body is `digits . zeros` and nothing else.
fn strip_float_suffix(f: &Folded, start: usize, end: usize) -> (usize, bool) {
    let sym = &f.sym[start..end];
    let trimmed = sym.iter().rposition(|s| *s != b' ').map_or(0, |p| p + 1);
    let Some(dot) = sym[..trimmed].iter().rposition(|s| *s == b'.') else {
        return (end, false);
    };
    let zeros = &sym[dot + 1..trimmed];
    let digits_before = sym[..dot].iter().all(u8::is_ascii_digit) && dot > 0;
    if digits_before && !zeros.is_empty() && zeros.iter().all(|s| *s == b'0') {
        (start + dot, true)
    } else {
        (end, false)
    }
}

/// Reads the digit groups of `start..end` as one or more numbers.
fn read_groups(engine: &Engine<'_>, f: &Folded, start: usize, end: usize, out: &mut SmallVec<[Number; 2]>) {
    let sym = &f.sym[start..end];
    let plus = sym.iter().take_while(|s| !s.is_ascii_digit()).any(|s| *s == b'+');
    let mut groups: SmallVec<[Group; 8]> = SmallVec::new();
    let mut sep = 0u8;
    let mut i = 0;
    while i < sym.len() {
        if sym[i].is_ascii_digit() {
            let run = sym[i..].iter().take_while(|s| s.is_ascii_digit()).count();
            groups.push(Group {
                start: start + i,
                end: start + i + run,
                sep,
            });
            sep = 0;
            i += run;
        } else {
            // The strongest separator wins: a space between groups can split numbers.
            if sep != b' ' {
                sep = sym[i];
            }
            i += 1;
        }
    }
    let numbers = resolve(engine, f, &groups, plus);
    out.extend(numbers);
}

/// The digits of `groups`, concatenated.
fn digits_of(f: &Folded, groups: &[Group]) -> SmallVec<[u8; 24]> {
    groups
        .iter()
        .flat_map(|g| f.sym[g.start..g.end].iter().copied())
        .collect()
}

/// Reads `groups` as one number if they make one; else as a number and a dash-extension;
/// else as several numbers; else as the one (faulty) number they spell.
fn resolve(engine: &Engine<'_>, f: &Folded, groups: &[Group], plus: bool) -> SmallVec<[Number; 2]> {
    resolve_from(engine, f, (groups, 0), plus, &mut Memo::default())
}

/// What [`resolve_from`] gave for each suffix of the groups (read without a `+`), so that a
/// long run of groups is split in quadratic time, not exponential: each suffix is resolved
/// once however many ways lead to it. Allocated only when a cell needs splitting.
#[derive(Default)]
struct Memo(Vec<Option<SmallVec<[Number; 2]>>>);

/// [`resolve`] of `all[from..]`.
fn resolve_from(
    engine: &Engine<'_>,
    f: &Folded,
    (all, from): (&[Group], usize),
    plus: bool,
    memo: &mut Memo,
) -> SmallVec<[Number; 2]> {
    if let Some(Some(done)) = memo.0.get(from).filter(|_| from > 0) {
        return done.clone();
    }
    let groups = &all[from..];
    let whole = read(engine, f, groups, plus);
    let numbers = if is_clean(&whole) || groups.is_empty() {
        smallvec::smallvec![whole]
    } else if let Some(n) = dash_extension(engine, f, groups, plus) {
        smallvec::smallvec![n]
    } else if let Some(split) = split_groups(engine, f, (all, from), plus, memo) {
        split
    } else if let Some(split) = split_glued(engine, f, groups) {
        split
    } else {
        smallvec::smallvec![whole]
    };
    if from > 0 {
        if memo.0.len() < all.len() {
            memo.0.resize(all.len(), None);
        }
        memo.0[from] = Some(numbers.clone());
    }
    numbers
}

/// One number from `groups`, with its raw span.
fn read(engine: &Engine<'_>, f: &Folded, groups: &[Group], plus: bool) -> Number {
    let digits = digits_of(f, groups);
    let mut n = engine.classify(&digits, plus);
    if let (Some(a), Some(b)) = (groups.first(), groups.last()) {
        n.raw = f.span[opening(f, a.start)].0..f.span[b.end - 1].1;
    }
    n
}

/// Where a number that starts at `first_digit` really starts: a `+` or an opening bracket
/// right before it belongs to its raw text.
fn opening(f: &Folded, first_digit: usize) -> usize {
    let mut from = first_digit;
    while from > 0 && matches!(f.sym[from - 1], b'(' | b'+' | b' ') {
        from -= 1;
    }
    from + f.sym[from..first_digit].iter().take_while(|s| **s == b' ').count()
}

/// `027-87654321-8001`: a last group of 1-6 digits after a dash or bracket, following a
/// complete landline, is its extension.
fn dash_extension(engine: &Engine<'_>, f: &Folded, groups: &[Group], plus: bool) -> Option<Number> {
    let (last, head) = groups.split_last()?;
    let ext_len = last.end - last.start;
    if head.is_empty() || !matches!(last.sep, b'-' | b'(' | b')') || !(1..=6).contains(&ext_len) {
        return None;
    }
    let mut n = read(engine, f, head, plus);
    if n.kind != Kind::Landline || !n.complete || !is_clean(&n) {
        return None;
    }
    n.extension = Digits::new(&f.sym[last.start..last.end]);
    n.raw.end = f.span[last.end - 1].1;
    Some(n)
}

/// `87654321 13912345678`: split where both sides stand as complete numbers. A left side of
/// more digits than a number can hold is never complete, which ends the search.
fn split_groups(
    engine: &Engine<'_>,
    f: &Folded,
    (all, from): (&[Group], usize),
    plus: bool,
    memo: &mut Memo,
) -> Option<SmallVec<[Number; 2]>> {
    let mut left_digits = 0;
    for k in from + 1..all.len() {
        left_digits += all[k - 1].end - all[k - 1].start;
        if left_digits > Digits::CAPACITY {
            break;
        }
        if all[k].sep != b' ' && all[k].sep != b'-' {
            continue;
        }
        let left = read(engine, f, &all[from..k], plus);
        if !is_complete(&left) {
            continue;
        }
        let right = resolve_from(engine, f, (all, k), false, memo);
        if right.iter().all(is_complete) {
            let mut all = smallvec::smallvec![left];
            all.extend(right);
            return Some(all);
        }
    }
    None
}

/// `1391234567813812345678`: a run of 18 or more digits that is two numbers glued together,
/// accepted only when both halves stand as complete numbers and one is a mobile.
fn split_glued(engine: &Engine<'_>, f: &Folded, groups: &[Group]) -> Option<SmallVec<[Number; 2]>> {
    let digits = digits_of(f, groups);
    if digits.len() < 18 || groups.len() != 1 {
        return None;
    }
    let g = groups[0];
    for cut in [11, digits.len() - 11] {
        let left = read(
            engine,
            f,
            &[Group {
                end: g.start + cut,
                ..g
            }],
            false,
        );
        let right = read(
            engine,
            f,
            &[Group {
                start: g.start + cut,
                ..g
            }],
            false,
        );
        let mobile = left.kind == Kind::Mobile || right.kind == Kind::Mobile;
        if mobile && is_complete(&left) && is_complete(&right) {
            return Some(smallvec::smallvec![left, right]);
        }
    }
    None
}

/// A number that stands on its own, so a run of groups may be split around it: clean, and
/// complete, or a service number, or a local number that only lacks its area code.
fn is_complete(n: &Number) -> bool {
    let local = n.kind == Kind::Landline && n.issues.contains(Issue::NoAreaCode);
    is_clean(n) && (n.complete || n.kind == Kind::Service || local)
}

/// `027-87654321/87654322`: a later local number without area code takes the area code of
/// the landline before it in the same cell.
fn inherit_area_codes(engine: &Engine<'_>, cell: &mut Cell) {
    for i in 1..cell.numbers.len() {
        let (before, after) = cell.numbers.split_at_mut(i);
        let (prev, n) = (&before[i - 1], &mut after[0]);
        let Detail::Area(id) = prev.detail else { continue };
        let inheritable = n.kind == Kind::Landline && n.area_len == 0 && prev.kind == Kind::Landline;
        if !inheritable || prev.area_len == 0 || engine.rules().areas.area(id).retired.is_some() {
            continue;
        }
        let code = &prev.digits.as_bytes()[..usize::from(prev.area_len)];
        let digits: SmallVec<[u8; 24]> = code.iter().chain(n.digits.as_bytes()).copied().collect();
        let mut inherited = engine.classify(&digits, false);
        inherited.issues.remove(Issue::AreaCodeAssumed);
        inherited.issues.insert(Issue::AreaInherited);
        inherited.raw = n.raw.clone();
        inherited.extension = n.extension;
        inherited.issues = inherited.issues.union(carried(n.issues));
        *n = inherited;
    }
}

/// Issues about how a number was written, which survive re-reading its digits.
fn carried(issues: IssueSet) -> IssueSet {
    issues
        .iter()
        .filter(|i| matches!(i, Issue::FloatSuffix | Issue::ExcelRepaired))
        .collect()
}

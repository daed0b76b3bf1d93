//! Folding: the first pass over a cell. Every character becomes one ASCII symbol (or nothing),
//! and each symbol remembers the bytes of the cell it came from, so later passes work on a
//! small alphabet while the raw text of every number can still be cut out of the cell.
//!
//! The alphabet: digits; `+`; `/` between numbers; `,` (decided later: thousands grouping or a
//! separator); `x` before an extension; `-` `.` `(` `)` and space inside a number; `a` for
//! letters glued to digits; `m` for mask characters; `n` for Chinese numerals; `E` for the
//! exponent of Excel's scientific notation. Labels, notes and names fold to spaces.

use smallvec::SmallVec;

use crate::text;

/// A folded cell: `sym[i]` came from `cell[span[i].0..span[i].1]`.
#[derive(Debug, Default)]
pub(crate) struct Folded {
    pub(crate) sym: SmallVec<[u8; 48]>,
    pub(crate) span: SmallVec<[(u32, u32); 48]>,
}

impl Folded {
    fn push(&mut self, sym: u8, start: usize, end: usize) {
        self.sym.push(sym);
        self.span.push((start as u32, end as u32));
    }

    fn last(&self) -> Option<u8> {
        self.sym.last().copied()
    }
}

/// English labels that are dropped wherever they stand (compared lower-cased).
const LABELS: &[&str] = &[
    "tel",
    "tele",
    "telephone",
    "phone",
    "ph",
    "mob",
    "mobile",
    "cell",
    "cellphone",
    "fax",
    "home",
    "office",
    "work",
    "t",
    "m",
    "p",
    "h",
    "w",
    "f",
    "no",
    "num",
    "number",
    "contact",
    "hp",
    "callto",
    "sip",
];

/// Words that introduce an extension.
const EXTENSION_WORDS: &[&str] = &["x", "ext", "extn", "extension"];

/// Folds `cell` into symbols.
pub(crate) fn fold(cell: &str) -> Folded {
    let mut out = Folded::default();
    let bytes = cell.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphabetic() {
            i = fold_word(cell, i, &mut out);
            continue;
        }
        if b.is_ascii_digit() {
            // The common case first: digits fold to themselves.
            out.push(b, i, i + 1);
            i += 1;
            continue;
        }
        let c = if b.is_ascii() {
            char::from(b)
        } else {
            cell[i..].chars().next().unwrap_or('\u{FFFD}')
        };
        let end = i + c.len_utf8();
        let two = if matches!(c, '分' | '内' | '內') {
            fold_two(c, cell[end..].chars().next())
        } else {
            None
        };
        if let Some(sym) = two {
            let second = cell[end..].chars().next().map_or(0, char::len_utf8);
            out.push(sym, i, end + second);
            i = end + second;
            continue;
        }
        if let Some(sym) = fold_char(c) {
            out.push(sym, i, end);
            if c == '…' {
                // One ellipsis stands for several hidden digits: a mask on its own.
                out.push(sym, i, end);
            }
        }
        i = end;
    }
    resolve_commas(&mut out);
    lone_marks_introduce_extensions(&mut out);
    out
}

/// A mask is two or more mask characters (`138****8000`); a lone `*` after a number
/// introduces an extension, as `#` does.
fn lone_marks_introduce_extensions(out: &mut Folded) {
    for i in 0..out.sym.len() {
        let before = i > 0 && out.sym[i - 1] == b'm';
        let after = out.sym.get(i + 1) == Some(&b'm');
        if out.sym[i] == b'm' && !before && !after {
            out.sym[i] = b'x';
        }
    }
}

/// Two-character markers: 分机 / 分機 / 内线 (extension).
fn fold_two(c: char, next: Option<char>) -> Option<u8> {
    match (c, next?) {
        ('分', '机' | '機') | ('内' | '內', '线' | '線') => Some(b'x'),
        _ => None,
    }
}

/// One character to one symbol, or `None` to drop it.
fn fold_char(c: char) -> Option<u8> {
    let c = fold_width(c);
    Some(match c {
        '0'..='9' | '+' | '(' | ')' | '.' | '-' => c as u8,
        '[' | '{' | '<' | '【' | '〔' | '［' | '《' | '〈' | '「' => b'(',
        ']' | '}' | '>' | '】' | '〕' | '］' | '》' | '〉' | '」' => b')',
        // U+FF5E, the full-width wave dash, joins an area code to its number in Chinese text.
        '_' | '\u{FF5E}' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' | '\u{00B7}' | '\u{30FB}' | '\u{2027}' => {
            b'-'
        }
        '/' | ';' | '|' | '\\' | '\n' | '\r' | '~' | '、' | '或' | '及' | '和' => b'/',
        ',' => b',',
        '#' | '转' | '轉' => b'x',
        '*' | '?' | '…' | '●' | '○' | '×' => b'm',
        '〇' | '零' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '幺' | '两' => b'n',
        // Invisible characters and quoting that exporters add; `=` is Excel's ="0123" form.
        '\u{200B}'..='\u{200D}'
        | '\u{2060}'
        | '\u{FEFF}'
        | '\u{00AD}'
        | '\''
        | '"'
        | '`'
        | '='
        | '“'
        | '”'
        | '‘'
        | '’' => return None,
        _ => b' ',
    })
}

/// Full-width ASCII to ASCII (the shared mapping), except the full-width wave dash U+FF5E:
/// read as `~` it would separate numbers, but in Chinese text it joins an area code to its
/// number. The ideographic space folds to a space, as any other unknown character would.
fn fold_width(c: char) -> char {
    match text::ascii_of(c) {
        Some(ascii) if c != '\u{FF5E}' => char::from(ascii),
        _ => c,
    }
}

/// Folds the ASCII word starting at `start`; returns where it ends.
fn fold_word(cell: &str, start: usize, out: &mut Folded) -> usize {
    let bytes = cell.as_bytes();
    let end = start + bytes[start..].iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let word = &cell[start..end];
    let is = |list: &[&str]| list.iter().any(|w| w.eq_ignore_ascii_case(word));
    let glued_before = out.last().is_some_and(|s| s.is_ascii_digit());
    let glued_after = bytes.get(end).is_some_and(u8::is_ascii_digit);
    let sym = if word.len() >= 2 && word.bytes().all(|b| b.eq_ignore_ascii_case(&b'x')) {
        b'm'
    } else if word.eq_ignore_ascii_case("e") && glued_before && matches!(bytes.get(end), Some(b'+' | b'0'..=b'9')) {
        b'E'
    } else if is(EXTENSION_WORDS) && glued_before_number(out) {
        b'x'
    } else if is(LABELS) {
        b' '
    } else if glued_before || glued_after {
        b'a'
    } else {
        b' '
    };
    if sym == b'm' {
        for i in start..end {
            out.push(b'm', i, i + 1);
        }
    } else {
        out.push(sym, start, end);
    }
    end
}

/// True when the symbols so far end in digits (possibly followed by spaces or a dot), so an
/// `x` or `ext` that follows introduces an extension.
fn glued_before_number(out: &Folded) -> bool {
    out.sym
        .iter()
        .rev()
        .find(|s| !matches!(s, b' ' | b'.'))
        .is_some_and(u8::is_ascii_digit)
}

/// A comma is thousands grouping when the whole cell is `d{1,3}(,ddd)+`; a comma between
/// digits that precedes an exponent is a decimal mark (`1,38001E+10`); any other comma
/// separates numbers.
fn resolve_commas(out: &mut Folded) {
    if !out.sym.contains(&b',') {
        return;
    }
    let core: SmallVec<[u8; 48]> = out.sym.iter().copied().filter(|s| *s != b' ').collect();
    let groups: Vec<&[u8]> = core.split(|s| *s == b',').collect();
    let thousands = (1..=3).contains(&groups[0].len())
        && groups.iter().all(|g| !g.is_empty() && g.iter().all(u8::is_ascii_digit))
        && groups[1..].iter().all(|g| g.len() == 3);
    let decimal = out.sym.contains(&b'E');
    let mut resolved = Folded::default();
    for (&sym, &(start, end)) in out.sym.iter().zip(&out.span) {
        let sym = match sym {
            b',' if thousands => continue,
            b',' if decimal => b'.',
            b',' => b'/',
            other => other,
        };
        resolved.push(sym, start as usize, end as usize);
    }
    *out = resolved;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syms(cell: &str) -> String {
        String::from_utf8(fold(cell).sym.to_vec()).unwrap()
    }

    #[test]
    fn full_width_and_labels() {
        assert_eq!(syms("手机：１３９１２３４５６７８"), "   13912345678");
        assert_eq!(syms("Tel: 027-87654321"), "   027-87654321");
        assert_eq!(syms("'13912345678"), "13912345678");
        assert_eq!(syms("=\"13912345678\""), "13912345678");
    }

    #[test]
    fn separators_and_extensions() {
        assert_eq!(syms("139/138、137或136"), "139/138/137/136");
        assert_eq!(syms("87654321转8001"), "87654321x8001");
        assert_eq!(syms("87654321分机8001"), "87654321x8001");
        assert_eq!(syms("87654321 ext. 8001"), "87654321 x. 8001");
        assert_eq!(syms("87654321x8001"), "87654321x8001");
    }

    #[test]
    fn damage_symbols() {
        assert_eq!(syms("138****8000"), "138mmmm8000");
        assert_eq!(syms("138xxxx8000"), "138mmmm8000");
        assert_eq!(syms("1.38001E+10"), "1.38001E+10");
        assert_eq!(syms("1,38001E+10"), "1.38001E+10");
        assert_eq!(syms("138OO138OOO"), "138a138a");
        assert_eq!(syms("一三九"), "nnn");
    }

    #[test]
    fn commas() {
        assert_eq!(syms("13,912,345,678"), "13912345678");
        assert_eq!(syms("13912345678,13812345678"), "13912345678/13812345678");
    }

    #[test]
    fn spans_point_into_the_cell() {
        let cell = "手机１３9";
        let f = fold(cell);
        let (s, e) = f.span[2];
        assert_eq!(&cell[s as usize..e as usize], "１");
    }
}

//! UTF-8 line checks: streaming validation that also sorts each line into Chinese UTF-8,
//! invalid (so perhaps GB18030) or neither, to refuse files that mix the two.

use super::EncodingError;
use super::pass::Position;

/// Streaming UTF-8 validation that also sorts each line into UTF-8, GB18030 or neither.
///
/// A byte-level state machine rather than `std::str::from_utf8`, because sequences and lines
/// run across buffers and a line may be longer than any buffer we would hold.
#[expect(clippy::struct_excessive_bools, reason = "independent facts of a byte state machine")]
pub(super) struct Utf8Lines {
    /// Continuation bytes the open sequence still needs; 0 between sequences.
    need: u8,
    /// The range the next continuation byte must fall in. It is narrower than `80..=BF` after
    /// E0, ED, F0 and F4, which is how overlong forms, surrogates and code points past
    /// U+10FFFF are refused (Unicode Table 3-7).
    next: (u8, u8),
    /// The code point decoded so far.
    code: u32,
    /// Where the open sequence started, reported if it turns out bad.
    start: u64,
    /// The current line, 1-based.
    line: u64,
    line_bad: bool,
    line_cjk: bool,
    /// The last byte was a `\r`: a `\n` right after it ends no second line.
    after_cr: bool,
    pub(super) first_bad: Option<Position>,
    first_utf8_line: Option<u64>,
    first_gb18030_line: Option<u64>,
    /// Some character outside ASCII was read.
    pub(super) non_ascii: bool,
}

impl Utf8Lines {
    pub(super) fn new() -> Utf8Lines {
        Utf8Lines {
            need: 0,
            next: (0x80, 0xBF),
            code: 0,
            start: 0,
            line: 1,
            line_bad: false,
            line_cjk: false,
            after_cr: false,
            first_bad: None,
            first_utf8_line: None,
            first_gb18030_line: None,
            non_ascii: false,
        }
    }

    /// Takes `text`, which starts at byte `base` of the input.
    pub(super) fn feed(&mut self, text: &[u8], base: u64) {
        let mut i = 0;
        while i < text.len() {
            if self.need == 0 {
                // ASCII other than a line end changes nothing: skip it in bulk.
                let Some(skip) = text[i..].iter().position(|&b| b >= 0x80 || b == b'\n' || b == b'\r') else {
                    self.after_cr = false;
                    return;
                };
                self.after_cr &= skip == 0;
                i += skip;
            }
            self.byte(text[i], base + i as u64);
            i += 1;
        }
    }

    pub(super) fn finish(&mut self) {
        if self.need > 0 {
            self.bad(self.start);
            self.need = 0;
        }
        self.end_line();
    }

    fn byte(&mut self, b: u8, offset: u64) {
        let after_cr = std::mem::take(&mut self.after_cr);
        if self.need > 0 {
            if (self.next.0..=self.next.1).contains(&b) {
                self.continuation(b);
                return;
            }
            // The open sequence stopped short: it is the bad one, and `b` is read afresh.
            self.bad(self.start);
            self.need = 0;
        }
        match b {
            b'\n' if after_cr => {}
            b'\n' => self.end_line(),
            b'\r' => {
                self.end_line();
                self.after_cr = true;
            }
            0x00..=0x7F => {}
            0xC2..=0xDF => self.lead(offset, b & 0x1F, 1, (0x80, 0xBF)),
            0xE0 => self.lead(offset, b & 0x0F, 2, (0xA0, 0xBF)),
            0xE1..=0xEC | 0xEE..=0xEF => self.lead(offset, b & 0x0F, 2, (0x80, 0xBF)),
            0xED => self.lead(offset, b & 0x0F, 2, (0x80, 0x9F)),
            0xF0 => self.lead(offset, b & 0x07, 3, (0x90, 0xBF)),
            0xF1..=0xF3 => self.lead(offset, b & 0x07, 3, (0x80, 0xBF)),
            0xF4 => self.lead(offset, b & 0x07, 3, (0x80, 0x8F)),
            // A stray continuation byte, or a byte that never occurs in UTF-8.
            _ => self.bad(offset),
        }
    }

    fn lead(&mut self, offset: u64, bits: u8, need: u8, next: (u8, u8)) {
        self.start = offset;
        self.code = u32::from(bits);
        self.need = need;
        self.next = next;
    }

    fn continuation(&mut self, b: u8) {
        self.code = (self.code << 6) | u32::from(b & 0x3F);
        self.need -= 1;
        self.next = (0x80, 0xBF);
        if self.need == 0 {
            self.non_ascii = true;
            self.line_cjk |= is_chinese(self.code);
        }
    }

    fn bad(&mut self, offset: u64) {
        self.line_bad = true;
        self.first_bad.get_or_insert(Position {
            offset,
            line: self.line,
        });
    }

    fn end_line(&mut self) {
        if self.line_bad {
            self.first_gb18030_line.get_or_insert(self.line);
        } else if self.line_cjk {
            self.first_utf8_line.get_or_insert(self.line);
        }
        self.line += 1;
        self.line_bad = false;
        self.line_cjk = false;
    }

    /// The mixed-encodings error, once a line of each kind has been seen.
    /// True when some valid line holds a Chinese character.
    pub(super) fn has_chinese(&self) -> bool {
        self.first_utf8_line.is_some()
    }

    pub(super) fn mixed(&self) -> Option<EncodingError> {
        Some(EncodingError::Mixed {
            utf8_line: self.first_utf8_line?,
            gb18030_line: self.first_gb18030_line?,
        })
    }
}

/// True for CJK ideographs and CJK or full-width punctuation: what a Chinese UTF-8 line holds.
/// A GB18030 line can be valid UTF-8 by accident (GBK `C2 84`, 聞, is UTF-8 U+0084), but then
/// it decodes to other scripts or controls, so requiring these keeps it from counting as UTF-8.
fn is_chinese(code: u32) -> bool {
    matches!(code, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF00..=0xFFEF)
}

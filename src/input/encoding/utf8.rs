//! UTF-8 line checks: streaming validation that also sorts each line into Chinese UTF-8,
//! invalid (so perhaps GB18030) or neither, to refuse files that mix the two.

use super::EncodingError;
use super::pass::{Position, line_ends};

/// Bytes tested at a time: small enough that a bad sequence costs only its block the byte
/// by byte path, large enough that the tests run at memory speed.
const BLOCK: usize = 4096;

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

    /// Takes `text`, which starts at byte `base` of the input: a block at a time, each read
    /// byte by byte only when it must be (see [`Self::fast_prefix`]). Call logs run to a
    /// gigabyte and more, and going through them byte by byte to each line end was most of
    /// the encoding pass over a 1.4 GB log (issue 11).
    pub(super) fn feed(&mut self, text: &[u8], base: u64) {
        let mut at = 0;
        while at < text.len() {
            let rest = &text[at..];
            if self.need > 0 {
                // Close the open sequence byte by byte: at most three bytes.
                let n = usize::from(self.need).min(rest.len());
                self.bytes(&rest[..n], base + at as u64);
                at += n;
                continue;
            }
            let block = &rest[..rest.len().min(BLOCK)];
            let (fast, ascii) = self.fast_prefix(block);
            if fast > 0 {
                self.non_ascii |= !ascii;
                self.ascii_lines(&block[..fast], line_ends(&block[..fast], self.after_cr));
                at += fast;
            } else {
                self.bytes(block, base + at as u64);
                at += block.len();
            }
        }
    }

    /// How much of `block` (no sequence open before it) can be taken without reading it
    /// byte by byte, and whether that much is ASCII: all of it when it is ASCII; once a line
    /// of Chinese UTF-8 has been seen, the longest prefix that is valid UTF-8
    /// (`str::from_utf8` checks the same rules, Unicode Table 3-7), since no later line's
    /// Chinese can change the verdict and a valid stretch holds no bad line; otherwise
    /// nothing. Only the stretch's line ends, and whether it leaves ASCII, then change
    /// anything.
    fn fast_prefix(&self, block: &[u8]) -> (usize, bool) {
        if block.is_ascii() {
            return (block.len(), true);
        }
        if self.first_utf8_line.is_none() {
            return (0, false);
        }
        match std::str::from_utf8(block) {
            Ok(_) => (block.len(), false),
            Err(e) => (e.valid_up_to(), block[..e.valid_up_to()].is_ascii()),
        }
    }

    /// Takes a stretch of ASCII, or of valid UTF-8 once a Chinese line has been seen, with
    /// no sequence open and its line ends counted (`ends`): every line after the first to end
    /// in it is plain (its Chinese, if any, changes nothing), so only the first is judged.
    pub(super) fn ascii_lines(&mut self, block: &[u8], ends: u64) {
        if ends > 0 {
            self.end_line();
            self.line += ends - 1;
        }
        self.after_cr = block.last() == Some(&b'\r');
    }

    /// Takes `text` byte by byte, skipping runs of ASCII other than line ends.
    fn bytes(&mut self, text: &[u8], base: u64) {
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

    /// Line ends read so far: `\n`, `\r\n` and a lone `\r` each end one, as [`line_ends`]
    /// counts them.
    pub(super) fn line_ends(&self) -> u64 {
        self.line - 1
    }

    /// True when no sequence is open: ASCII may then go to [`Self::ascii_lines`].
    pub(super) fn between_sequences(&self) -> bool {
        self.need == 0
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Pieces that make lines of every kind: ASCII, line ends, Chinese UTF-8, a GB18030
    /// Chinese character, a stray continuation byte and a sequence cut short.
    fn piece() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            "[a-z0-9,]{1,300}".prop_map(String::into_bytes),
            Just(b"\n".to_vec()),
            Just(b"\r".to_vec()),
            Just(b"\r\n".to_vec()),
            Just("张三".as_bytes().to_vec()),
            Just(vec![0xD5, 0xC5]),
            Just(vec![0x80]),
            Just(vec![0xE5, 0xBC]),
        ]
    }

    /// What a finished check shows: where the first bad byte is, the first line of each
    /// kind, the line count, and whether any text outside ASCII was read.
    fn observed(u: &Utf8Lines) -> impl PartialEq + std::fmt::Debug {
        (
            u.first_bad,
            u.first_utf8_line,
            u.first_gb18030_line,
            u.line,
            u.non_ascii,
        )
    }

    proptest! {
        /// The stretches taken whole must leave what the check shows exactly as reading every
        /// byte does, however the input is cut into buffers.
        #[test]
        fn blocks_read_as_bytes_do(
            pieces in proptest::collection::vec(piece(), 0..200),
            cut in 1usize..20_000,
        ) {
            let text = pieces.concat();
            let (mut blocks, mut bytes) = (Utf8Lines::new(), Utf8Lines::new());
            for (i, buf) in text.chunks(cut).enumerate() {
                blocks.feed(buf, (i * cut) as u64);
                bytes.bytes(buf, (i * cut) as u64);
            }
            blocks.finish();
            bytes.finish();
            prop_assert_eq!(observed(&blocks), observed(&bytes));
        }
    }
}

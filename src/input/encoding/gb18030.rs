//! GB18030 checks: streaming validation with encoding_rs's decoder, placing the first bad
//! sequence by byte offset and line.

use encoding_rs::DecoderResult;

use super::BUF_LEN;
use super::pass::{Position, line_ends};

/// Streaming GB18030 validation with encoding_rs's decoder; the decoded text is thrown away.
pub(super) struct Gb18030Check {
    decoder: encoding_rs::Decoder,
    scratch: Vec<u8>,
    /// Input bytes the decoder has consumed, BOM included.
    consumed: u64,
    pub(super) first_bad: Option<Position>,
    /// The decoder holds no part of a sequence (known only after input that proves it).
    idle: bool,
}

impl Gb18030Check {
    pub(super) fn new(bom_len: u64) -> Gb18030Check {
        Gb18030Check {
            // The BOM is skipped before the decoder sees anything.
            decoder: encoding_rs::GB18030.new_decoder_without_bom_handling(),
            scratch: vec![0; BUF_LEN],
            consumed: bom_len,
            first_bad: None,
            idle: true,
        }
    }

    /// True when ASCII may be passed over: the verdict is in, or the decoder holds no part
    /// of a sequence, so that any ASCII byte is a whole character and leaves it holding none.
    pub(super) fn between_sequences(&self) -> bool {
        self.first_bad.is_some() || self.idle
    }

    /// Passes over `text`, which is ASCII and comes when [`Self::between_sequences`] holds:
    /// the decoder would accept it and be left as it was. Decoding it was most of the
    /// encoding pass over a 1.4 GB call log (issue 11).
    pub(super) fn skip_ascii(&mut self, text: &[u8]) {
        debug_assert!(self.between_sequences() && text.is_ascii());
        self.consumed += text.len() as u64;
    }

    /// Takes `text`, the next bytes of the input, with the line ends counted before it and
    /// whether the byte before it was a `\r`.
    pub(super) fn feed(&mut self, text: &[u8], last: bool, newlines: (u64, bool)) {
        if self.first_bad.is_some() {
            return;
        }
        // A sequence can be left open only by input that ends in a lead byte or in the digit
        // that is the second byte of a four-byte sequence; ASCII other than a digit ends
        // every sequence (completing none: a bad one is reported below).
        if let Some(&b) = text.last() {
            self.idle = b < 0x80 && !b.is_ascii_digit();
        }
        let base = self.consumed;
        let mut rest = text;
        loop {
            let (result, read, _) = self
                .decoder
                .decode_to_utf8_without_replacement(rest, &mut self.scratch, last);
            rest = &rest[read..];
            self.consumed += read as u64;
            match result {
                DecoderResult::InputEmpty => return,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(len, after) => {
                    let offset = self.consumed - u64::from(after) - u64::from(len);
                    self.first_bad = Some(Position {
                        offset,
                        line: line_at(text, base, newlines, offset),
                    });
                    return;
                }
            }
        }
    }
}

/// The line of `offset`, given `text` starting at `base` with `newlines` line ends before it
/// (and whether a `\r` came just before it).
///
/// A bad sequence can start before `base`, in bytes the decoder held over from the previous
/// buffer; those are GB18030 lead or middle bytes, never a newline, so the line is the one
/// `text` starts on.
fn line_at(text: &[u8], base: u64, (newlines, after_cr): (u64, bool), offset: u64) -> u64 {
    let upto = (offset.saturating_sub(base) as usize).min(text.len());
    newlines + line_ends(&text[..upto], after_cr) + 1
}

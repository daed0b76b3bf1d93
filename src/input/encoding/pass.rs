//! The state of the one pass over the input: it takes the input buffer by buffer, hashes
//! it, skips the BOM, feeds both validators, counts lines, and decides the encoding (`start`
//! reads the buffers and says when).

use sha2::{Digest, Sha256};

use super::gb18030::Gb18030Check;
use super::utf8::Utf8Lines;
use super::{Encoding, EncodingError, EncodingSource};

/// A place in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Position {
    /// 0-based byte offset, BOM included.
    pub(super) offset: u64,
    /// 1-based line.
    pub(super) line: u64,
}

/// Everything one pass keeps: fixed-size state, whatever the input's length.
pub(super) struct Pass {
    /// The SHA-256 so far, when one is taken.
    pub(super) hasher: Option<Sha256>,
    /// Bytes taken so far, BOM included.
    pub(super) bytes: u64,
    /// Whether each buffer's checks are split across the run's threads: not when the pass
    /// runs beside the stream, which keeps them busy.
    pub(super) split: bool,
    /// BOM bytes not yet skipped.
    bom_left: usize,
    /// Newlines after the BOM so far.
    newlines: u64,
    /// The last byte after the BOM, to count a last line without a newline.
    last: Option<u8>,
    utf8: Utf8Lines,
    gb18030: Gb18030Check,
}

impl Pass {
    pub(super) fn new(bom_len: usize, hash: bool) -> Pass {
        Pass {
            hasher: hash.then(Sha256::new),
            bytes: 0,
            split: true,
            bom_left: bom_len,
            newlines: 0,
            last: None,
            utf8: Utf8Lines::new(),
            gb18030: Gb18030Check::new(bom_len as u64),
        }
    }

    /// Takes the next buffer of input. The UTF-8 check runs beside the GB18030 check, the
    /// line count and the hash (on the run's threads): the pass is the one stretch of a run
    /// where nothing else can go on, 0.4 s for a 1M-row file on one core (issue 11).
    pub(super) fn feed(&mut self, chunk: &[u8]) {
        let skip = self.bom_left.min(chunk.len());
        self.bom_left -= skip;
        let base = self.bytes + skip as u64;
        self.bytes += chunk.len() as u64;
        let text = &chunk[skip..];
        if text.is_empty() {
            // Nothing past the BOM: only the hash takes the bytes.
            if let Some(hasher) = &mut self.hasher {
                hasher.update(chunk);
            }
            return;
        }
        let after_cr = self.last == Some(b'\r');
        if self.utf8.between_sequences() && self.gb18030.between_sequences() && text.is_ascii() {
            self.feed_ascii(chunk, text, after_cr);
            return;
        }
        let (utf8, gb18030, hasher) = (&mut self.utf8, &mut self.gb18030, &mut self.hasher);
        let newlines = self.newlines;
        let mut rest = || {
            if let Some(hasher) = hasher {
                hasher.update(chunk);
            }
            gb18030.feed(text, false, (newlines, after_cr));
        };
        if self.split {
            rayon::join(|| utf8.feed(text, base), rest);
        } else {
            utf8.feed(text, base);
            rest();
        }
        // The UTF-8 check cuts lines as `line_ends` does, so its count is the pass's.
        self.newlines = self.utf8.line_ends();
        self.last = text.last().copied();
    }

    /// Takes a buffer whose `text` (after any BOM) is ASCII, with no sequence open in either
    /// encoding: its line ends are counted once, and neither validator reads it byte by byte.
    fn feed_ascii(&mut self, chunk: &[u8], text: &[u8], after_cr: bool) {
        let lines = match &mut self.hasher {
            Some(hasher) if self.split => rayon::join(|| hasher.update(chunk), || line_ends(text, after_cr)).1,
            Some(hasher) => {
                hasher.update(chunk);
                line_ends(text, after_cr)
            }
            None => line_ends(text, after_cr),
        };
        self.utf8.ascii_lines(text, lines);
        self.gb18030.skip_ascii(text);
        self.newlines += lines;
        self.last = text.last().copied();
    }

    /// Ends the input: a sequence still open at the end is a bad one.
    pub(super) fn finish(&mut self) {
        self.utf8.finish();
        self.gb18030.feed(&[], true, (self.newlines, false));
    }

    pub(super) fn lines(&self) -> u64 {
        self.newlines + u64::from(self.last.is_some_and(|b| b != b'\n' && b != b'\r'))
    }

    fn first_bad(&self, encoding: Encoding) -> Option<Position> {
        match encoding {
            Encoding::Utf8 => self.utf8.first_bad,
            Encoding::Gb18030 => self.gb18030.first_bad,
        }
    }

    /// An error already certain before the input ends, so a bad file fails fast.
    pub(super) fn early_error(&self, known: Option<(Encoding, EncodingSource)>) -> Option<EncodingError> {
        match known {
            Some((encoding, _)) => self.first_bad(encoding).map(|p| invalid(Some(encoding), p)),
            None => self.utf8.mixed(),
        }
    }

    /// The verdict once the whole input has been fed.
    pub(super) fn decide(
        &self,
        known: Option<(Encoding, EncodingSource)>,
    ) -> Result<(Encoding, EncodingSource), EncodingError> {
        if let Some(err) = self.early_error(known) {
            return Err(err);
        }
        if let Some(known) = known {
            return Ok(known);
        }
        if self.utf8.first_bad.is_none() {
            // Valid UTF-8 with text outside ASCII but not one Chinese character, that is valid
            // GB18030 too, is short GB18030 Chinese that happens to be valid UTF-8: `转` in
            // GB18030 (D7 AA) is UTF-8's Hebrew `ת`, and `027-21859118转2363` was read as a
            // 12-digit number (issue 9). In Chinese contact data the Chinese reading wins.
            if self.utf8.non_ascii && !self.utf8.has_chinese() && self.gb18030.first_bad.is_none() {
                return Ok((Encoding::Gb18030, EncodingSource::Detected));
            }
            return Ok((Encoding::Utf8, EncodingSource::Detected));
        }
        match self.gb18030.first_bad {
            None => Ok((Encoding::Gb18030, EncodingSource::Detected)),
            Some(p) => Err(invalid(None, p)),
        }
    }
}

/// The line ends in `text`: `\n`, `\r\n` and a lone `\r` each end one, as the record reader
/// cuts lines. `after_cr` says the byte before `text` was a `\r` (whose `\n` may open `text`).
pub(super) fn line_ends(text: &[u8], after_cr: bool) -> u64 {
    let mut ends = 0;
    let mut prev_cr = after_cr;
    for i in memchr::memchr2_iter(b'\n', b'\r', text) {
        let b = text[i];
        let joined = b == b'\n' && if i == 0 { prev_cr } else { text[i - 1] == b'\r' };
        ends += u64::from(!joined);
        prev_cr = b == b'\r';
    }
    ends
}

pub(super) fn invalid(encoding: Option<Encoding>, at: Position) -> EncodingError {
    EncodingError::Invalid {
        encoding,
        offset: at.offset,
        line: at.line,
    }
}

#[cfg(test)]
mod tests {
    use super::super::start::{scan, scan_unhashed, scan_with};
    use super::super::{NotText, Scan};
    use super::*;

    /// Issue 10: a CR-only file was one line; lines end as the record reader cuts them.
    #[test]
    fn lines_end_at_lf_crlf_and_a_lone_cr() {
        for (input, lines) in [
            (&b"a\rb\rc\r"[..], 3),
            (b"a\r\nb\nc\rd", 4),
            (b"a\r\r\n", 2),
            (b"", 0),
            (b"\r", 1),
        ] {
            let scan = scan(input, None).unwrap();
            assert_eq!(scan.lines, lines, "{input:?}");
            // Whatever the buffer size: a CRLF split across two buffers is one line end.
            for size in 4..=6 {
                let split = scan_with(input, None, &mut vec![0; size]).unwrap();
                assert_eq!(split.lines, lines, "{input:?} in buffers of {size}");
            }
        }
        assert_eq!(line_ends(b"\nx\r", true), 1);
        assert_eq!(line_ends(b"\nx\r", false), 2);
    }

    /// The lines of a CR-only file are told apart, so a file mixing encodings line by line
    /// is still refused, naming the right lines.
    #[test]
    fn bad_bytes_and_mixed_lines_are_placed_on_cr_lines() {
        let gb = encoding_rs::GB18030.encode("李四").0.into_owned();
        let input = [&b"id\r1,\xE5\xBC\xA0\r2,"[..], &gb, b"\r"].concat();
        match scan(&input[..], None) {
            Err(EncodingError::Mixed {
                utf8_line,
                gb18030_line,
            }) => assert_eq!((utf8_line, gb18030_line), (2, 3)),
            other => panic!("expected Mixed, got {other:?}"),
        }
        match scan(&b"a\rb\r\xFF"[..], None) {
            Err(EncodingError::Invalid { line, .. }) => assert_eq!(line, 3),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    /// Issue 10: random bytes were reported as mixing encodings; a signature or a share of
    /// control bytes names what the input is.
    #[test]
    fn non_text_is_named_not_called_an_encoding_mix() {
        let mut random = Vec::new();
        let mut x: u32 = 12345;
        for _ in 0..4096 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            random.push((x >> 16) as u8);
        }
        let err = scan(&random[..], None).unwrap_err();
        assert!(matches!(err, EncodingError::NotText(NotText::Binary { .. })), "{err}");
        assert!(
            err.to_string().starts_with("the input is binary data, not text"),
            "{err}"
        );
        let err = scan(&[0x1F, 0x8B, 8, 0][..], Some(Encoding::Utf8)).unwrap_err();
        assert!(
            err.to_string().contains("gzip-compressed"),
            "even under --encoding: {err}"
        );
        // A text that fails to decode without control bytes keeps its precise message.
        let err = scan(&b"id\na\nx\xFF\n"[..], None).unwrap_err();
        assert!(matches!(err, EncodingError::Invalid { .. }), "{err}");
    }

    #[test]
    fn an_unhashed_scan_is_the_scan_without_its_hash() {
        let input = "客户编号,手机\r\nKH1,13900000000\r\n".as_bytes();
        let hashed = scan(input, None).unwrap();
        let unhashed = scan_unhashed(input, None).unwrap();
        assert_eq!(hashed.sha256.len(), 64);
        assert_eq!(unhashed.sha256, "");
        assert_eq!(
            format!(
                "{:?}",
                Scan {
                    sha256: String::new(),
                    ..hashed
                }
            ),
            format!("{unhashed:?}")
        );
    }

    /// Lines as the record reader cuts them, counted the plain way: every `\r`, every `\n`
    /// not right after a `\r`, and a last line without an end.
    fn lines_of(input: &[u8]) -> u64 {
        let ends = (0..input.len())
            .filter(|&i| input[i] == b'\r' || (input[i] == b'\n' && (i == 0 || input[i - 1] != b'\r')))
            .count() as u64;
        ends + u64::from(input.last().is_some_and(|b| !matches!(b, b'\n' | b'\r')))
    }

    /// Pieces for the proptest below: ASCII runs, digits, every line end, Chinese UTF-8,
    /// GB18030 two- and four-byte characters (whose second and fourth bytes are digits), and
    /// a lead byte left alone.
    fn piece() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        prop_oneof![
            "[a-z,]{1,40}".prop_map(String::into_bytes),
            "[0-9]{1,4}".prop_map(String::into_bytes),
            Just(b"\n".to_vec()),
            Just(b"\r".to_vec()),
            Just(b"\r\n".to_vec()),
            Just("张三".as_bytes().to_vec()),
            Just(vec![0xD5, 0xC5]),
            Just(vec![0x81, 0x30, 0x81, 0x30]),
            Just(vec![0x81]),
            Just(vec![0x81, 0x30]),
        ]
    }

    proptest::proptest! {
        /// Buffers that are ASCII are passed over without decoding; wherever the buffers
        /// fall (inside a four-byte GB18030 sequence, after its digit), the verdict, the
        /// first bad place and the line count must be those of the whole input read at once,
        /// and the line count the plain one.
        #[test]
        fn passing_over_ascii_buffers_changes_no_answer(
            pieces in proptest::collection::vec(piece(), 0..120),
            size in 4usize..64,
        ) {
            let input = pieces.concat();
            let whole = scan_with(&input[..], None, &mut vec![0; 1 << 16]);
            let split = scan_with(&input[..], None, &mut vec![0; size]);
            proptest::prop_assert_eq!(format!("{split:?}"), format!("{whole:?}"));
            if let Ok(scan) = whole {
                proptest::prop_assert_eq!(scan.lines, lines_of(&input));
            }
        }
    }
}

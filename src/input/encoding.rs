//! The input's text encoding: detected from the whole input, never guessed from a sample.
//!
//! Contact files come as UTF-8 or as GB18030 (Chinese Excel and banking exports). [`scan`]
//! reads the input once, in fixed-size buffers, and decides: a BOM decides; otherwise the whole
//! input must be valid UTF-8, else valid GB18030, else it is unreadable and the error names the
//! first bad byte. A file whose lines mix the two is refused, because GB18030 decodes UTF-8
//! bytes into wrong characters without any error and a naive fallback would silently corrupt
//! names. [`decode`] then turns the input into UTF-8 and [`encode`] writes output back in the
//! input's encoding.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Read};

use encoding_rs::DecoderResult;
use encoding_rs_io::DecodeReaderBytesBuilder;
use sha2::{Digest, Sha256};

/// Bytes read at a time. Memory stays at a few of these whatever the input's size.
const BUF_LEN: usize = 64 * 1024;

/// Text encodings the tool reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a BOM.
    Utf8,
    /// GB18030, the superset of GBK and GB2312 that Chinese Windows calls code page 936.
    Gb18030,
}

impl Encoding {
    /// The name used in `--encoding` and in reports: `utf-8` or `gb18030`.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Gb18030 => "gb18030",
        }
    }

    /// Parses an encoding name, ignoring case. GBK, GB2312 and CP936 are read as GB18030,
    /// their superset, so a file labelled with any of them decodes the same.
    pub fn parse(name: &str) -> Option<Encoding> {
        match name.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "gb18030" | "gbk" | "gb2312" | "cp936" => Some(Encoding::Gb18030),
            _ => None,
        }
    }

    /// The name people write, for messages.
    fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GB18030",
        }
    }

    /// The byte order mark that may open a file in this encoding.
    fn bom(self) -> &'static [u8] {
        match self {
            Encoding::Utf8 => &[0xEF, 0xBB, 0xBF],
            Encoding::Gb18030 => &[0x84, 0x31, 0x95, 0x33],
        }
    }

    fn to_encoding_rs(self) -> &'static encoding_rs::Encoding {
        match self {
            Encoding::Utf8 => encoding_rs::UTF_8,
            Encoding::Gb18030 => encoding_rs::GB18030,
        }
    }
}

/// How the encoding was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingSource {
    /// The input opens with a byte order mark.
    Bom,
    /// The whole input is valid in this encoding (and UTF-8 is tried first).
    Detected,
    /// `--encoding` named it.
    Flag,
}

impl EncodingSource {
    /// The name used in reports: `bom`, `detected` or `flag`.
    pub fn as_str(self) -> &'static str {
        match self {
            EncodingSource::Bom => "bom",
            EncodingSource::Detected => "detected",
            EncodingSource::Flag => "flag",
        }
    }
}

/// What a full pass over the input found.
#[derive(Debug, Clone)]
pub struct Scan {
    /// The input's encoding.
    pub encoding: Encoding,
    /// How the encoding was decided.
    pub source: EncodingSource,
    /// Bytes of BOM at the start: 0, 3 for UTF-8, 4 for GB18030 (`84 31 95 33`).
    pub bom_len: usize,
    /// Total bytes read, BOM included.
    pub bytes: u64,
    /// SHA-256 of all the bytes, BOM included, as lowercase hex.
    pub sha256: String,
    /// Number of lines; a last line without a newline counts.
    pub lines: u64,
}

/// Why the input cannot be decoded. `Display` gives a complete, actionable message.
#[derive(Debug)]
pub enum EncodingError {
    /// Reading the input failed.
    Io(io::Error),
    /// A byte sequence is invalid in the encoding that applies: the BOM's or the flag's
    /// (`Some`), or in both UTF-8 and GB18030 when detecting (`None`).
    Invalid {
        /// The encoding the input was checked against; `None` when both were tried.
        encoding: Option<Encoding>,
        /// 0-based byte offset of the first bad sequence, BOM included.
        offset: u64,
        /// 1-based line of that sequence.
        line: u64,
    },
    /// Some lines are UTF-8 and others GB18030.
    Mixed {
        /// The first line holding Chinese text in valid UTF-8.
        utf8_line: u64,
        /// The first line that is not valid UTF-8.
        gb18030_line: u64,
    },
    /// The input opens with a UTF-16 BOM.
    Utf16,
}

impl fmt::Display for EncodingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodingError::Io(err) => write!(f, "could not read the input: {err}"),
            EncodingError::Invalid {
                encoding: None,
                offset,
                line,
            } => write!(
                f,
                "not valid UTF-8 or GB18030: the first bad byte sequence is at byte offset {offset} \
                 (line {line}); pass --encoding if you know the encoding"
            ),
            EncodingError::Invalid {
                encoding: Some(e),
                offset,
                line,
            } => write!(
                f,
                "not valid {name}, the encoding named by the file's byte order mark or by --encoding: \
                 the first bad byte sequence is at byte offset {offset} (line {line}); pass the \
                 file's real encoding with --encoding, or save it as UTF-8",
                name = e.label()
            ),
            EncodingError::Mixed {
                utf8_line,
                gb18030_line,
            } => write!(
                f,
                "the file mixes encodings: line {utf8_line} is UTF-8 and line {gb18030_line} is \
                 GB18030; GB18030 would silently corrupt the UTF-8 lines, so convert the file to \
                 one encoding first"
            ),
            EncodingError::Utf16 => f.write_str("UTF-16 is not supported: save the file as UTF-8 or GB18030 CSV"),
        }
    }
}

impl std::error::Error for EncodingError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EncodingError::Io(err) => Some(err),
            _ => None,
        }
    }
}

/// Reads all of `reader` once (streaming, fixed memory) and decides its encoding.
///
/// `forced` is `--encoding`: the input is then checked in that encoding only, after a BOM
/// that matches it, and lines are not compared.
pub fn scan(reader: impl Read, forced: Option<Encoding>) -> Result<Scan, EncodingError> {
    scan_with(reader, forced, &mut vec![0; BUF_LEN])
}

/// [`scan`] with the caller's buffer, so tests can split the input at every byte. The buffer
/// must hold at least 4 bytes, the longest BOM.
fn scan_with(mut reader: impl Read, forced: Option<Encoding>, buf: &mut [u8]) -> Result<Scan, EncodingError> {
    let mut len = fill(&mut reader, buf)?;
    let plan = Plan::new(sniff_bom(&buf[..len])?, forced);
    let mut pass = Pass::new(plan.bom_len);
    while len > 0 {
        pass.feed(&buf[..len]);
        if let Some(err) = pass.early_error(plan.known) {
            return Err(err);
        }
        len = fill(&mut reader, buf)?;
    }
    pass.finish();
    let (encoding, source) = pass.decide(plan.known)?;
    Ok(Scan {
        encoding,
        source,
        bom_len: plan.bom_len,
        bytes: pass.bytes,
        lines: pass.lines(),
        sha256: format!("{:x}", pass.hasher.finalize()),
    })
}

/// Reads until `buf` is full or the input ends, so that only the last buffer is short and the
/// BOM is always whole in the first one.
fn fill(reader: &mut impl Read, buf: &mut [u8]) -> Result<usize, EncodingError> {
    let mut len = 0;
    while len < buf.len() {
        match reader.read(&mut buf[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(EncodingError::Io(err)),
        }
    }
    Ok(len)
}

/// The encoding a BOM at the start of `head` names, if any.
fn sniff_bom(head: &[u8]) -> Result<Option<Encoding>, EncodingError> {
    // FF FE and FE FF are invalid in both UTF-8 and GB18030, so refusing them even under
    // --encoding loses nothing and gives the clearer message.
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err(EncodingError::Utf16);
    }
    Ok([Encoding::Utf8, Encoding::Gb18030]
        .into_iter()
        .find(|e| head.starts_with(e.bom())))
}

/// What is settled before the pass: the encoding if a BOM or the flag names it, and the BOM to
/// skip.
#[derive(Clone, Copy)]
struct Plan {
    known: Option<(Encoding, EncodingSource)>,
    bom_len: usize,
}

impl Plan {
    fn new(bom: Option<Encoding>, forced: Option<Encoding>) -> Plan {
        match (forced, bom) {
            // The flag wins; a BOM of another encoding is then just data, checked like the rest.
            (Some(f), bom) => Plan {
                known: Some((f, EncodingSource::Flag)),
                bom_len: if bom == Some(f) { f.bom().len() } else { 0 },
            },
            (None, Some(b)) => Plan {
                known: Some((b, EncodingSource::Bom)),
                bom_len: b.bom().len(),
            },
            (None, None) => Plan {
                known: None,
                bom_len: 0,
            },
        }
    }
}

/// A place in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Position {
    /// 0-based byte offset, BOM included.
    offset: u64,
    /// 1-based line.
    line: u64,
}

/// Everything one pass keeps: fixed-size state, whatever the input's length.
struct Pass {
    hasher: Sha256,
    bytes: u64,
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
    fn new(bom_len: usize) -> Pass {
        Pass {
            hasher: Sha256::new(),
            bytes: 0,
            bom_left: bom_len,
            newlines: 0,
            last: None,
            utf8: Utf8Lines::new(),
            gb18030: Gb18030Check::new(bom_len as u64),
        }
    }

    /// Takes the next buffer of input.
    fn feed(&mut self, chunk: &[u8]) {
        self.hasher.update(chunk);
        let skip = self.bom_left.min(chunk.len());
        self.bom_left -= skip;
        let base = self.bytes + skip as u64;
        self.bytes += chunk.len() as u64;
        let text = &chunk[skip..];
        if text.is_empty() {
            return;
        }
        self.utf8.feed(text, base);
        self.gb18030.feed(text, false, self.newlines);
        self.newlines += memchr::memchr_iter(b'\n', text).count() as u64;
        self.last = text.last().copied();
    }

    /// Ends the input: a sequence still open at the end is a bad one.
    fn finish(&mut self) {
        self.utf8.finish();
        self.gb18030.feed(&[], true, self.newlines);
    }

    fn lines(&self) -> u64 {
        self.newlines + u64::from(self.last.is_some_and(|b| b != b'\n'))
    }

    fn first_bad(&self, encoding: Encoding) -> Option<Position> {
        match encoding {
            Encoding::Utf8 => self.utf8.first_bad,
            Encoding::Gb18030 => self.gb18030.first_bad,
        }
    }

    /// An error already certain before the input ends, so a bad file fails fast.
    fn early_error(&self, known: Option<(Encoding, EncodingSource)>) -> Option<EncodingError> {
        match known {
            Some((encoding, _)) => self.first_bad(encoding).map(|p| invalid(Some(encoding), p)),
            None => self.utf8.mixed(),
        }
    }

    /// The verdict once the whole input has been fed.
    fn decide(&self, known: Option<(Encoding, EncodingSource)>) -> Result<(Encoding, EncodingSource), EncodingError> {
        if let Some(err) = self.early_error(known) {
            return Err(err);
        }
        if let Some(known) = known {
            return Ok(known);
        }
        if self.utf8.first_bad.is_none() {
            return Ok((Encoding::Utf8, EncodingSource::Detected));
        }
        match self.gb18030.first_bad {
            None => Ok((Encoding::Gb18030, EncodingSource::Detected)),
            Some(p) => Err(invalid(None, p)),
        }
    }
}

fn invalid(encoding: Option<Encoding>, at: Position) -> EncodingError {
    EncodingError::Invalid {
        encoding,
        offset: at.offset,
        line: at.line,
    }
}

/// Streaming UTF-8 validation that also sorts each line into UTF-8, GB18030 or neither.
///
/// A byte-level state machine rather than `std::str::from_utf8`, because sequences and lines
/// run across buffers and a line may be longer than any buffer we would hold.
struct Utf8Lines {
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
    first_bad: Option<Position>,
    first_utf8_line: Option<u64>,
    first_gb18030_line: Option<u64>,
}

impl Utf8Lines {
    fn new() -> Utf8Lines {
        Utf8Lines {
            need: 0,
            next: (0x80, 0xBF),
            code: 0,
            start: 0,
            line: 1,
            line_bad: false,
            line_cjk: false,
            first_bad: None,
            first_utf8_line: None,
            first_gb18030_line: None,
        }
    }

    /// Takes `text`, which starts at byte `base` of the input.
    fn feed(&mut self, text: &[u8], base: u64) {
        let mut i = 0;
        while i < text.len() {
            if self.need == 0 {
                // ASCII other than a newline changes nothing: skip it in bulk.
                match text[i..].iter().position(|&b| b >= 0x80 || b == b'\n') {
                    Some(skip) => i += skip,
                    None => return,
                }
            }
            self.byte(text[i], base + i as u64);
            i += 1;
        }
    }

    fn finish(&mut self) {
        if self.need > 0 {
            self.bad(self.start);
            self.need = 0;
        }
        self.end_line();
    }

    fn byte(&mut self, b: u8, offset: u64) {
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
            b'\n' => self.end_line(),
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
        if self.need == 0 && is_chinese(self.code) {
            self.line_cjk = true;
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
    fn mixed(&self) -> Option<EncodingError> {
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

/// Streaming GB18030 validation with encoding_rs's decoder; the decoded text is thrown away.
struct Gb18030Check {
    decoder: encoding_rs::Decoder,
    scratch: Vec<u8>,
    /// Input bytes the decoder has consumed, BOM included.
    consumed: u64,
    first_bad: Option<Position>,
}

impl Gb18030Check {
    fn new(bom_len: u64) -> Gb18030Check {
        Gb18030Check {
            // The BOM is skipped before the decoder sees anything.
            decoder: encoding_rs::GB18030.new_decoder_without_bom_handling(),
            scratch: vec![0; BUF_LEN],
            consumed: bom_len,
            first_bad: None,
        }
    }

    /// Takes `text`, the next bytes of the input, with `newlines` counted before it.
    fn feed(&mut self, text: &[u8], last: bool, newlines: u64) {
        if self.first_bad.is_some() {
            return;
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

/// The line of `offset`, given `text` starting at `base` with `newlines` before it.
///
/// A bad sequence can start before `base`, in bytes the decoder held over from the previous
/// buffer; those are GB18030 lead or middle bytes, never a newline, so the line is the one
/// `text` starts on.
fn line_at(text: &[u8], base: u64, newlines: u64, offset: u64) -> u64 {
    let upto = (offset.saturating_sub(base) as usize).min(text.len());
    newlines + memchr::memchr_iter(b'\n', &text[..upto]).count() as u64 + 1
}

/// Wraps `reader` (positioned at the start of the input, BOM included) so it yields UTF-8:
/// the BOM is stripped and GB18030 is transcoded.
///
/// The reader owns nothing of `scan`, so it can outlive it.
pub fn decode<R: Read>(reader: R, scan: &Scan) -> impl Read + use<R> {
    // encoding_rs strips only UTF-8 and UTF-16 BOMs, not GB18030's, so the BOM that `scan`
    // measured is skipped here for both encodings.
    let text = SkipBom {
        inner: reader,
        left: scan.bom_len,
    };
    DecodeReaderBytesBuilder::new()
        .encoding(Some(scan.encoding.to_encoding_rs()))
        .build(text)
}

/// Discards the first `left` bytes of `inner`.
struct SkipBom<R> {
    inner: R,
    left: usize,
}

impl<R: Read> Read for SkipBom<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut bom = [0; 4];
        while self.left > 0 {
            let n = self.inner.read(&mut bom[..self.left.min(4)])?;
            if n == 0 {
                return Ok(0);
            }
            self.left -= n;
        }
        self.inner.read(buf)
    }
}

/// Encodes UTF-8 text for output in `encoding` (for the cleaned file). UTF-8 is borrowed as is.
///
/// GB18030 maps every code point except the private-use U+E5E5, which encoding_rs writes as
/// the character reference `&#58853;`.
pub fn encode(text: &str, encoding: Encoding) -> Cow<'_, [u8]> {
    match encoding {
        Encoding::Utf8 => Cow::Borrowed(text.as_bytes()),
        Encoding::Gb18030 => encoding_rs::GB18030.encode(text).0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "客户编号,手机\r\n";
    /// GB18030 (here also GBK) bytes of `HEADER`, written out so the fixture does not rest
    /// on the encoder under test.
    const HEADER_GB: &[u8] = &[
        0xBF, 0xCD, 0xBB, 0xA7, 0xB1, 0xE0, 0xBA, 0xC5, b',', 0xCA, 0xD6, 0xBB, 0xFA, b'\r', b'\n',
    ];
    const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];
    const GB_BOM: &[u8] = &[0x84, 0x31, 0x95, 0x33];

    fn gb(text: &str) -> Vec<u8> {
        encode(text, Encoding::Gb18030).into_owned()
    }

    fn cat(parts: &[&[u8]]) -> Vec<u8> {
        parts.concat()
    }

    fn scan_bytes(input: &[u8], forced: Option<Encoding>) -> Result<Scan, EncodingError> {
        scan(input, forced)
    }

    fn decode_all(input: &[u8], scan: &Scan) -> String {
        let mut text = String::new();
        decode(input, scan).read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn names_parse_and_print() {
        for (name, expected) in [
            ("utf-8", Some(Encoding::Utf8)),
            ("UTF8", Some(Encoding::Utf8)),
            ("GB18030", Some(Encoding::Gb18030)),
            ("gbk", Some(Encoding::Gb18030)),
            ("GB2312", Some(Encoding::Gb18030)),
            ("cp936", Some(Encoding::Gb18030)),
            ("latin1", None),
            ("", None),
        ] {
            assert_eq!(Encoding::parse(name), expected, "{name}");
        }
        assert_eq!(Encoding::parse(Encoding::Gb18030.as_str()), Some(Encoding::Gb18030));
        assert_eq!(Encoding::Utf8.as_str(), "utf-8");
        let sources = [EncodingSource::Bom, EncodingSource::Detected, EncodingSource::Flag];
        assert_eq!(sources.map(EncodingSource::as_str), ["bom", "detected", "flag"]);
    }

    #[test]
    fn gb_fixture_matches_the_encoder() {
        assert_eq!(gb(HEADER), HEADER_GB);
    }

    #[test]
    fn readable_inputs_are_detected() {
        let utf8 = "客户编号,手机\r\n张三,13800138000\r\n";
        let gb_names = cat(&[HEADER_GB, &gb("张三,13800138000\r\n李四,13900139000")]);
        let cases = [
            ("empty", vec![], Encoding::Utf8, EncodingSource::Detected, 0, 0),
            (
                "ascii",
                b"id,phone\n1,13800138000\n".to_vec(),
                Encoding::Utf8,
                EncodingSource::Detected,
                0,
                2,
            ),
            (
                "ascii, no final newline",
                b"a\nb".to_vec(),
                Encoding::Utf8,
                EncodingSource::Detected,
                0,
                2,
            ),
            (
                "blank line",
                b"\n".to_vec(),
                Encoding::Utf8,
                EncodingSource::Detected,
                0,
                1,
            ),
            (
                "utf-8 crlf",
                utf8.as_bytes().to_vec(),
                Encoding::Utf8,
                EncodingSource::Detected,
                0,
                2,
            ),
            (
                "utf-8 bom",
                cat(&[UTF8_BOM, utf8.as_bytes()]),
                Encoding::Utf8,
                EncodingSource::Bom,
                3,
                2,
            ),
            (
                "utf-8 bom only",
                UTF8_BOM.to_vec(),
                Encoding::Utf8,
                EncodingSource::Bom,
                3,
                0,
            ),
            (
                "gb18030",
                gb_names.clone(),
                Encoding::Gb18030,
                EncodingSource::Detected,
                0,
                3,
            ),
            (
                "gb18030 bom",
                cat(&[GB_BOM, &gb_names]),
                Encoding::Gb18030,
                EncodingSource::Bom,
                4,
                3,
            ),
            // 聞 in GBK is C2 84, valid UTF-8 (U+0084) by accident: it must not count as a UTF-8
            // line, or this plain GB18030 file would be refused as mixed.
            (
                "gb18030 valid as utf-8 by accident",
                gb("聞\n张三\n"),
                Encoding::Gb18030,
                EncodingSource::Detected,
                0,
                2,
            ),
        ];
        for (name, input, encoding, source, bom_len, lines) in cases {
            let scan = scan_bytes(&input, None).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                (scan.encoding, scan.source, scan.bom_len, scan.lines, scan.bytes),
                (encoding, source, bom_len, lines, input.len() as u64),
                "{name}"
            );
        }
    }

    #[test]
    fn utf16_is_refused() {
        for input in [&b"\xFF\xFEa\x00"[..], b"\xFE\xFF\x00a", b"\xFF\xFE"] {
            for forced in [None, Some(Encoding::Utf8), Some(Encoding::Gb18030)] {
                let err = scan_bytes(input, forced).unwrap_err();
                assert!(matches!(err, EncodingError::Utf16), "{input:?} {forced:?}: {err}");
            }
        }
        assert_eq!(
            EncodingError::Utf16.to_string(),
            "UTF-16 is not supported: save the file as UTF-8 or GB18030 CSV"
        );
    }

    #[test]
    fn mixed_lines_are_refused_naming_both() {
        let utf8_first = cat(&[b"id,name\n1,a\n2,\xE5\xBC\xA0\xE4\xB8\x89\n3,b\n4,", &gb("李四"), b"\n"]);
        let gb_first = cat(&[b"id,name\n", &gb("李四"), b"\n2,\xE5\xBC\xA0\xE4\xB8\x89\n"]);
        for (input, expected) in [(utf8_first, (3, 5)), (gb_first, (3, 2))] {
            match scan_bytes(&input, None) {
                Err(EncodingError::Mixed {
                    utf8_line,
                    gb18030_line,
                }) => {
                    assert_eq!((utf8_line, gb18030_line), expected);
                }
                other => panic!("expected Mixed, got {other:?}"),
            }
        }
        let err = EncodingError::Mixed {
            utf8_line: 3,
            gb18030_line: 5,
        };
        assert_eq!(
            err.to_string(),
            "the file mixes encodings: line 3 is UTF-8 and line 5 is GB18030; GB18030 would silently \
             corrupt the UTF-8 lines, so convert the file to one encoding first"
        );
    }

    #[test]
    fn bytes_invalid_in_both_are_refused_at_the_first_bad_byte() {
        for (name, input, offset, line) in [
            ("ff byte", &b"id\na\nx\xFF\n"[..], 6, 3),
            ("lead byte before a newline", b"ab\n\x81\nc", 3, 2),
            ("lead byte at the end", b"ab\n\x81", 3, 2),
            ("four-byte sequence cut by a newline", b"a\n\x81\x30\x81\n", 2, 2),
            ("after gb18030 text", &cat(&[HEADER_GB, b"\xFF"]), 15, 2),
        ] {
            match scan_bytes(input, None) {
                Err(EncodingError::Invalid {
                    encoding: None,
                    offset: o,
                    line: l,
                }) => {
                    assert_eq!((o, l), (offset, line), "{name}");
                }
                other => panic!("{name}: expected Invalid, got {other:?}"),
            }
        }
        let err = EncodingError::Invalid {
            encoding: None,
            offset: 1234,
            line: 7,
        };
        assert_eq!(
            err.to_string(),
            "not valid UTF-8 or GB18030: the first bad byte sequence is at byte offset 1234 (line 7); \
             pass --encoding if you know the encoding"
        );
    }

    #[test]
    fn forced_encoding_is_checked_and_reported() {
        let gb_text = cat(&[b"id\n", HEADER_GB]);
        let mixed = cat(&[b"\xE5\xBC\xA0\xE4\xB8\x89\n", &gb("李四")]);
        let utf8 = Some(Encoding::Utf8);
        let gb18030 = Some(Encoding::Gb18030);
        for (name, input, forced, expected) in [
            ("gb18030 as gbk", gb_text.clone(), gb18030, Ok((Encoding::Gb18030, 0))),
            ("utf-8", HEADER.as_bytes().to_vec(), utf8, Ok((Encoding::Utf8, 0))),
            (
                "utf-8 with its bom",
                cat(&[UTF8_BOM, b"a"]),
                utf8,
                Ok((Encoding::Utf8, 3)),
            ),
            (
                "gb18030 with its bom",
                cat(&[GB_BOM, HEADER_GB]),
                gb18030,
                Ok((Encoding::Gb18030, 4)),
            ),
            // The flag overrides the line comparison: the user said what the file is.
            ("mixed read as gb18030", mixed, gb18030, Ok((Encoding::Gb18030, 0))),
            ("gb18030 read as utf-8", gb_text, utf8, Err((3, 2))),
            ("gb18030 bom read as utf-8", cat(&[GB_BOM, b"a"]), utf8, Err((0, 1))),
            ("bad gb18030", b"ok\n\xFF".to_vec(), gb18030, Err((3, 2))),
        ] {
            let got = match scan_bytes(&input, forced) {
                Ok(scan) => {
                    assert_eq!(scan.source, EncodingSource::Flag, "{name}");
                    Ok((scan.encoding, scan.bom_len))
                }
                Err(EncodingError::Invalid { encoding, offset, line }) => {
                    assert_eq!(encoding, forced, "{name}");
                    Err((offset, line))
                }
                Err(other) => panic!("{name}: {other}"),
            };
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn a_bom_is_checked_like_a_flag() {
        let input = cat(&[UTF8_BOM, b"a\n", &gb("张三")]);
        let err = scan_bytes(&input, None).unwrap_err();
        assert!(
            matches!(
                err,
                EncodingError::Invalid {
                    encoding: Some(Encoding::Utf8),
                    offset: 5,
                    line: 2
                }
            ),
            "{err:?}"
        );
        assert!(
            err.to_string().starts_with("not valid UTF-8, the encoding named by"),
            "{err}"
        );
        assert!(err.to_string().contains("byte offset 5 (line 2)"), "{err}");
    }

    #[test]
    fn utf8_validation_agrees_with_std() {
        for input in [
            &b"\xC0\x80"[..],            // overlong
            b"a\xE0\x80\x80",            // overlong
            b"ab\xED\xA0\x80",           // surrogate
            b"\xF4\x90\x80\x80",         // past U+10FFFF
            b"x\xF5\x80",                // never a lead
            b"\xE4\xB8",                 // cut at the end
            b"\xE4\xB8a",                // cut by ASCII
            b"\x80",                     // stray continuation
            b"ok \xF0\x9F\x98\x80 \xFF", // a valid four-byte sequence, then a bad byte
        ] {
            let std_offset = std::str::from_utf8(input).unwrap_err().valid_up_to() as u64;
            match scan_bytes(input, Some(Encoding::Utf8)) {
                Err(EncodingError::Invalid { offset, .. }) => assert_eq!(offset, std_offset, "{input:?}"),
                other => panic!("{input:?}: expected Invalid, got {other:?}"),
            }
        }
        let valid = "a\u{7F}\u{80}\u{7FF}\u{800}\u{D7FF}\u{E000}\u{FFFF}\u{10000}\u{10FFFF}\n";
        assert!(scan_bytes(valid.as_bytes(), Some(Encoding::Utf8)).is_ok());
    }

    #[test]
    fn sequences_split_across_the_buffer_boundary() {
        // Every shift puts the boundary at a different byte of the multi-byte sequences.
        for shift in 1..=9 {
            let pad = vec![b'a'; BUF_LEN - shift];
            let utf8 = cat(&[&pad, "张三😀\n".as_bytes()]);
            let scan = scan_bytes(&utf8, None).unwrap();
            assert_eq!((scan.encoding, scan.lines), (Encoding::Utf8, 1), "shift {shift}");
            let gb18030 = cat(&[&pad, &gb("张三😀\n")]);
            let scan = scan_bytes(&gb18030, None).unwrap();
            assert_eq!(scan.encoding, Encoding::Gb18030, "shift {shift}");
            let expected = format!("{}张三😀\n", "a".repeat(pad.len()));
            assert!(
                decode_all(&gb18030, &scan) == expected,
                "shift {shift}: decoded text differs"
            );
            // A UTF-8 line split by the boundary still counts as UTF-8.
            let mixed = cat(&[&gb("李四\n"), &pad[5..], "张三\n".as_bytes()]);
            let err = scan_bytes(&mixed, None).unwrap_err();
            assert!(
                matches!(
                    err,
                    EncodingError::Mixed {
                        utf8_line: 2,
                        gb18030_line: 1
                    }
                ),
                "{err:?}"
            );
        }
    }

    #[test]
    fn bad_bytes_past_the_first_buffer_are_placed_exactly() {
        let lines = "13800138000\n".repeat(BUF_LEN / 12 + 10);
        let input = cat(&[lines.as_bytes(), b"x\xFF"]);
        let expected_line = lines.len() as u64 / 12 + 1;
        match scan_bytes(&input, None) {
            Err(EncodingError::Invalid {
                encoding: None,
                offset,
                line,
            }) => {
                assert_eq!((offset, line), (lines.len() as u64 + 1, expected_line));
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn any_buffer_size_gives_the_same_answer() {
        let inputs = [
            cat(&[UTF8_BOM, "张三,😀\r\n李\n".as_bytes()]),
            cat(&[GB_BOM, HEADER_GB, &gb("😀")]),
            gb("聞\n张三\n"),
            cat(&[b"a\n\xE5\xBC\xA0\n", &gb("李四")]),
            b"ab\n\x81\x30\x81\n".to_vec(),
            b"\xE4\xB8".to_vec(),
        ];
        for input in &inputs {
            let whole = format!("{:?}", scan_bytes(input, None));
            for size in 4..=9 {
                let split = format!("{:?}", scan_with(&input[..], None, &mut vec![0; size]));
                assert_eq!(split, whole, "buffer of {size} bytes over {input:?}");
            }
        }
    }

    #[test]
    fn short_and_interrupted_reads_still_see_the_whole_bom() {
        /// Yields one byte per read, with an `Interrupted` error before each, like a slow pipe.
        struct Trickle<'a> {
            bytes: &'a [u8],
            interrupt: bool,
        }
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.interrupt = !self.interrupt;
                if self.interrupt {
                    return Err(io::ErrorKind::Interrupted.into());
                }
                let n = self.bytes.len().min(buf.len()).min(1);
                buf[..n].copy_from_slice(&self.bytes[..n]);
                self.bytes = &self.bytes[n..];
                Ok(n)
            }
        }
        let input = cat(&[GB_BOM, HEADER_GB]);
        let scan = scan(
            Trickle {
                bytes: &input,
                interrupt: false,
            },
            None,
        )
        .unwrap();
        assert_eq!(
            (scan.encoding, scan.source, scan.bom_len),
            (Encoding::Gb18030, EncodingSource::Bom, 4)
        );
        assert_eq!((scan.bytes, scan.lines), (input.len() as u64, 1));
    }

    #[test]
    fn sha256_and_byte_count_of_known_inputs() {
        let abc = scan_bytes(b"abc", None).unwrap();
        assert_eq!(
            abc.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!((abc.bytes, abc.lines), (3, 1));
        let empty = scan_bytes(b"", None).unwrap();
        assert_eq!(
            empty.sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // A million `a`s span many buffers (FIPS 180-2 test vector).
        let million = scan_bytes(&vec![b'a'; 1_000_000], None).unwrap();
        assert_eq!(
            million.sha256,
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
        assert_eq!(million.bytes, 1_000_000);
    }

    #[test]
    fn read_errors_are_reported() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("disk gone"))
            }
        }
        let err = scan(Broken, None).unwrap_err();
        assert!(matches!(err, EncodingError::Io(_)));
        assert_eq!(err.to_string(), "could not read the input: disk gone");
        assert!(std::error::Error::source(&err).is_some());
    }

    #[test]
    fn decode_yields_utf8_without_the_bom() {
        let text = "客户编号,手机\r\n张三,13800138000\r\n";
        for input in [
            cat(&[GB_BOM, &gb(text)]),
            gb(text),
            cat(&[UTF8_BOM, text.as_bytes()]),
            text.as_bytes().to_vec(),
        ] {
            let scan = scan_bytes(&input, None).unwrap();
            assert_eq!(decode_all(&input, &scan), text, "{:?}", scan.encoding);
        }
    }

    #[test]
    fn encode_round_trips() {
        let text = "客户编号,手机\r\n张三,13800138000\r\n";
        assert!(matches!(encode(text, Encoding::Utf8), Cow::Borrowed(b) if b == text.as_bytes()));
        assert!(matches!(
            encode("id,phone", Encoding::Gb18030),
            Cow::Borrowed(b"id,phone")
        ));
        assert_eq!(&encode(HEADER, Encoding::Gb18030)[..], HEADER_GB);
        let bytes = encode(text, Encoding::Gb18030);
        let scan = scan_bytes(&bytes, None).unwrap();
        assert_eq!(
            (scan.encoding, scan.source),
            (Encoding::Gb18030, EncodingSource::Detected)
        );
        assert_eq!(decode_all(&bytes, &scan), text);
    }
}

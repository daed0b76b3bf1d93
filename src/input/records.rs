//! Records: the decoded UTF-8 stream cut into raw records, each with the line it starts on.
//!
//! Records are cut here, on one thread, and parsed into fields by the workers: the raw bytes
//! are kept so that a malformed record can be passed through to the cleaned file unchanged.
//!
//! A line ends at `\n`, `\r\n` or a lone `\r` (old Mac exports), in any mix. Reading is
//! bounded whatever the input (issue 10): a line longer than [`MAX_LINE`] is kept only as its
//! first bytes and marked [`Fault::TooLong`]. A quoted field may span lines, but a stray quote
//! would swallow the records after it, so a quoted field is cut back to its first line and
//! marked broken when it runs past [`MAX_QUOTED_LINES`] lines or [`MAX_QUOTED_BYTES`] bytes,
//! when the input ends inside it, or when a line inside it reads as a whole record of the
//! header's width (a record separator followed by a full record). The lines it covered are
//! then read again as records of their own.

use std::collections::VecDeque;
use std::io::{self, BufRead};

use smallvec::{SmallVec, smallvec};

use super::dialect::Fields;

/// The most lines one quoted record may span before its quotes count as broken.
pub(crate) const MAX_QUOTED_LINES: usize = 100;
/// The most bytes the lines after a record's first may add inside a quoted field: no field
/// longer than the field limit (64 KiB) is accepted anyway.
pub(crate) const MAX_QUOTED_BYTES: usize = 64 * 1024;
/// The longest physical line read whole (bytes). A longer one is a bad record, never a
/// buffer of its size.
pub(crate) const MAX_LINE: usize = 1 << 20;
/// Bytes of a too-long line kept, for the bad-row listing.
const KEPT_OF_LONG_LINE: usize = crate::text::ECHO_MAX;

/// Why a record could not be cut as the quoting says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// A quoted field opened on the record's line does not close by line `to` (the limits
    /// were reached, or the input ended when `at_end`).
    Unclosed {
        /// The last line the quoted field ran over.
        to: u64,
        /// True when the input ended inside the field.
        at_end: bool,
    },
    /// A quoted field opened on the record's line is still open on line `whole`, which reads
    /// as a whole record: the quote is stray.
    Swallows {
        /// The line that reads as a record of its own.
        whole: u64,
    },
    /// The line is `bytes` long, more than [`MAX_LINE`]; only its start is kept.
    TooLong {
        /// The line's full length.
        bytes: u64,
    },
}

impl Fault {
    /// The bad-row reason for a record starting on `line`.
    pub(crate) fn reason(self, line: u64) -> String {
        let reread = |to: u64| match to - line {
            0 => String::new(),
            1 => format!("; line {to} is read as a record of its own"),
            _ => format!("; lines {}-{to} are read as records of their own", line + 1),
        };
        match self {
            Fault::Unclosed { to, at_end: true } => format!(
                "a quoted field opened on line {line} never closes before the end of the input{}",
                reread(to)
            ),
            Fault::Unclosed { to, at_end: false } => format!(
                "a quoted field opened on line {line} does not close within {MAX_QUOTED_LINES} lines or \
                 {MAX_QUOTED_BYTES} bytes (it covered lines {line}-{to}){}",
                reread(to)
            ),
            Fault::Swallows { whole } => format!(
                "a stray quote on line {line} opens a field that would swallow line {whole}, which reads as a \
                 whole record{}",
                reread(whole)
            ),
            Fault::TooLong { bytes } => {
                format!(
                    "the line is {bytes} bytes long, more than the limit of {MAX_LINE} bytes; only its start is kept"
                )
            }
        }
    }
}

/// One record as it stood in the input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RawRecord {
    /// The 1-based line the record starts on.
    pub(crate) line: u64,
    /// The record's bytes without its final line terminator; lines inside a quoted field are
    /// joined with `\n`.
    pub(crate) text: Vec<u8>,
    /// Why the record is broken, if it is.
    pub(crate) fault: Option<Fault>,
}

/// A physical line read ahead and given back, with its full length.
type Pending = (Vec<u8>, u64);

/// Cuts a UTF-8 stream into records.
pub(crate) struct RecordReader<R> {
    src: R,
    delimiter: u8,
    /// Fields of a whole record (the header's), to tell a stray quote; none: not checked.
    width: Option<usize>,
    next_line: u64,
    /// The last line ended in `\r`: a `\n` right after it belongs to it.
    after_cr: bool,
    /// Lines read ahead and given back after a broken record.
    pending: VecDeque<Pending>,
}

impl<R: BufRead> RecordReader<R> {
    /// A reader over `src` with `delimiter` (needed to know where fields start).
    pub(crate) fn new(src: R, delimiter: u8) -> Self {
        RecordReader {
            src,
            delimiter,
            width: None,
            next_line: 1,
            after_cr: false,
            pending: VecDeque::new(),
        }
    }

    /// Tells the reader how many fields a whole record has (the header's count), so that a
    /// quoted field holding a line that reads as a whole record counts as a stray quote.
    #[must_use]
    pub(crate) fn with_width(mut self, width: usize) -> Self {
        // With one column every line "reads as a record": nothing could be told apart.
        self.width = (width > 1).then_some(width);
        self
    }

    /// Reads the next record into `rec`; false at the end of the input. Lines are read straight
    /// into the record's buffer: the common one-line record costs no allocation.
    pub(crate) fn read(&mut self, rec: &mut RawRecord) -> io::Result<bool> {
        rec.text.clear();
        rec.fault = None;
        rec.line = self.next_line;
        let Some(total) = self.next_physical(&mut rec.text)? else {
            return Ok(false);
        };
        if total > rec.text.len() as u64 {
            rec.fault = Some(Fault::TooLong { bytes: total });
            rec.text.truncate(KEPT_OF_LONG_LINE);
            self.next_line += 1;
            return Ok(true);
        }
        if !scan_quotes(&rec.text, self.delimiter, false, true) {
            self.next_line += 1;
            return Ok(true);
        }
        self.read_quoted(rec)
    }

    /// Reads the lines of a record whose first line ended inside a quoted field.
    fn read_quoted(&mut self, rec: &mut RawRecord) -> io::Result<bool> {
        let mut starts: SmallVec<[(usize, u64); 4]> = smallvec![(0, rec.text.len() as u64)];
        loop {
            rec.text.push(b'\n');
            let start = rec.text.len();
            let Some(total) = self.next_physical(&mut rec.text)? else {
                rec.text.pop();
                let to = rec.line + starts.len() as u64 - 1;
                return Ok(self.finish_broken(rec, &starts, Fault::Unclosed { to, at_end: true }));
            };
            starts.push((start, total));
            let to = rec.line + starts.len() as u64 - 1;
            let line = &rec.text[start..];
            if total > line.len() as u64 {
                return Ok(self.finish_broken(rec, &starts, Fault::Unclosed { to, at_end: false }));
            }
            if !scan_quotes(line, self.delimiter, true, false) {
                break;
            }
            if self.is_whole_record(line) {
                return Ok(self.finish_broken(rec, &starts, Fault::Swallows { whole: to }));
            }
            if starts.len() >= MAX_QUOTED_LINES || rec.text.len() - starts[1].0 > MAX_QUOTED_BYTES {
                return Ok(self.finish_broken(rec, &starts, Fault::Unclosed { to, at_end: false }));
            }
        }
        self.next_line += starts.len() as u64;
        Ok(true)
    }

    /// True when `line`, read on its own, is a record of the header's width with its quotes
    /// closed: inside a quoted field, it means the field's opening quote was stray.
    fn is_whole_record(&self, line: &[u8]) -> bool {
        self.width.is_some_and(|width| {
            !scan_quotes(line, self.delimiter, false, true) && Fields::split(line, self.delimiter).len() == width
        })
    }

    /// Keeps the first line as a broken record and gives the others back, in order.
    fn finish_broken(&mut self, rec: &mut RawRecord, starts: &[(usize, u64)], fault: Fault) -> bool {
        for (i, &(start, total)) in starts.iter().enumerate().skip(1).rev() {
            let end = starts.get(i + 1).map_or(rec.text.len(), |next| next.0 - 1);
            self.pending.push_front((rec.text[start..end].to_vec(), total));
        }
        rec.text.truncate(starts.get(1).map_or(rec.text.len(), |s| s.0 - 1));
        rec.fault = Some(fault);
        self.next_line += 1;
        true
    }

    /// Appends the next physical line to `buf` without its terminator (`\n`, `\r\n` or `\r`),
    /// at most [`MAX_LINE`] bytes of it; returns the line's full length, or `None` at the end
    /// of the input.
    fn next_physical(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<u64>> {
        if let Some((line, total)) = self.pending.pop_front() {
            buf.extend_from_slice(&line);
            return Ok(Some(total));
        }
        if std::mem::take(&mut self.after_cr) && self.src.fill_buf()?.first() == Some(&b'\n') {
            self.src.consume(1);
        }
        let mut total = 0usize;
        let mut any = false;
        loop {
            let avail = match self.src.fill_buf() {
                Ok(avail) => avail,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                return Ok(any.then_some(total as u64));
            }
            any = true;
            let (take, used, end) = match memchr::memchr2(b'\n', b'\r', avail) {
                Some(i) => (i, i + 1, Some(avail[i])),
                None => (avail.len(), avail.len(), None),
            };
            let room = MAX_LINE.saturating_sub(total);
            buf.extend_from_slice(&avail[..take.min(room)]);
            total += take;
            self.src.consume(used);
            if let Some(end) = end {
                self.after_cr = end == b'\r';
                return Ok(Some(total as u64));
            }
        }
    }
}

/// Walks `line` and returns whether it ends inside a quoted field. `in_quotes` is the state at
/// its start; `record_start` tells whether the line starts a record (a field start).
fn scan_quotes(line: &[u8], delimiter: u8, mut in_quotes: bool, record_start: bool) -> bool {
    let mut field_start = record_start;
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        if in_quotes {
            if b == b'"' {
                if line.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if b == b'"' && field_start {
            in_quotes = true;
        }
        field_start = !in_quotes && b == delimiter;
        i += 1;
    }
    in_quotes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(mut reader: RecordReader<&[u8]>) -> Vec<(u64, String, Option<Fault>)> {
        let mut rec = RawRecord::default();
        let mut out = Vec::new();
        while reader.read(&mut rec).unwrap() {
            out.push((rec.line, String::from_utf8(rec.text.clone()).unwrap(), rec.fault));
        }
        out
    }

    fn records(input: &[u8]) -> Vec<(u64, String, bool)> {
        read_all(RecordReader::new(input, b','))
            .into_iter()
            .map(|(line, text, fault)| (line, text, fault.is_some()))
            .collect()
    }

    #[test]
    fn lines_end_in_lf_or_crlf() {
        let got = records(b"a,b\r\n1,2\r\n3,4");
        assert_eq!(
            got,
            vec![
                (1, "a,b".into(), false),
                (2, "1,2".into(), false),
                (3, "3,4".into(), false)
            ]
        );
    }

    /// Issue 10: a file with old Mac line ends was one line, so 0 rows.
    #[test]
    fn lines_end_in_a_lone_cr_too_in_any_mix() {
        let lines =
            |input: &[u8]| -> Vec<(u64, String)> { records(input).into_iter().map(|(l, t, _)| (l, t)).collect() };
        let want = vec![(1, "a,b".to_string()), (2, "1,2".into()), (3, "3,4".into())];
        assert_eq!(lines(b"a,b\r1,2\r3,4\r"), want);
        assert_eq!(lines(b"a,b\r\n1,2\r3,4\n"), want);
        assert_eq!(lines(b"a,b\n1,2\r\n3,4"), want);
        // An empty line between two CRs stays a line, so the numbering holds.
        assert_eq!(
            lines(b"a\r\rb\r"),
            [(1, "a".into()), (2, String::new()), (3, "b".into())]
        );
        // A quoted field over CR line ends is joined like one over LF.
        assert_eq!(lines(b"1,\"x\ry\"\r2,z")[0], (1, "1,\"x\ny\"".into()));
    }

    /// A CR at the very end of the reader's buffer, its LF in the next: one line end.
    #[test]
    fn a_crlf_split_across_buffers_is_one_line_end() {
        let input = b"ab\r\ncd\r\n";
        let mut reader = RecordReader::new(io::BufReader::with_capacity(3, &input[..]), b',');
        let mut rec = RawRecord::default();
        let mut got = Vec::new();
        while reader.read(&mut rec).unwrap() {
            got.push((rec.line, rec.text.clone()));
        }
        assert_eq!(got, [(1, b"ab".to_vec()), (2, b"cd".to_vec())]);
    }

    #[test]
    fn quoted_fields_span_lines() {
        let got = records(b"id,addr\n1,\"line one\nline two\"\n2,x\n");
        assert_eq!(got[1], (2, "1,\"line one\nline two\"".into(), false));
        assert_eq!(got[2], (4, "2,x".into(), false));
        // With the header's width known, an address over three lines still reads whole.
        let got =
            read_all(RecordReader::new(&b"1,\"Room 5\nBuilding 3\nRoad 9\",138\n2,x,y\n"[..], b',').with_width(3));
        assert_eq!(got[0], (1, "1,\"Room 5\nBuilding 3\nRoad 9\",138".into(), None));
        assert_eq!(got[1].0, 4);
    }

    #[test]
    fn stray_quotes_mid_field_do_not_open_a_field() {
        let got = records(b"1,5\" screen\n2,x\n");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn an_unclosed_quote_is_cut_back_to_one_broken_line() {
        let mut input = b"1,\"never closed\n".to_vec();
        for i in 0..150 {
            input.extend_from_slice(format!("{i},ok\n").as_bytes());
        }
        let got = records(&input);
        assert_eq!(got[0], (1, "1,\"never closed".into(), true));
        assert_eq!(got[1], (2, "0,ok".into(), false));
        assert_eq!(got.len(), 151);
        let got = read_all(RecordReader::new(&b"1,\"open at the end\n2,x\n"[..], b','));
        assert_eq!(
            got[0],
            (
                1,
                "1,\"open at the end".into(),
                Some(Fault::Unclosed { to: 2, at_end: true })
            )
        );
        assert_eq!(got[1], (2, "2,x".into(), None));
    }

    /// Issue 10: a stray quote that closes 99 lines later swallowed the records between.
    #[test]
    fn a_stray_quote_before_whole_records_is_cut_back() {
        let mut input = b"1,\"Zhang,13800138000\n".to_vec();
        for i in 2..100 {
            input.extend_from_slice(format!("{i},Li,1390013{i:04}\n").as_bytes());
        }
        input.extend_from_slice(b"100,\"Wang\",13700137000\n");
        let got = read_all(RecordReader::new(&input[..], b',').with_width(3));
        assert_eq!(
            got[0],
            (1, "1,\"Zhang,13800138000".into(), Some(Fault::Swallows { whole: 2 }))
        );
        assert_eq!(got.len(), 100, "every line after the stray quote is a record");
        assert!(got[1..].iter().all(|(_, _, fault)| fault.is_none()));
        assert_eq!(got[99], (100, "100,\"Wang\",13700137000".into(), None));
        // Without the width (a CDR), only the limits apply: the 99 lines go as one field.
        let got = read_all(RecordReader::new(&input[..], b','));
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn a_quoted_field_over_the_byte_limit_is_cut_back() {
        let mut input = b"1,\"big\n".to_vec();
        for _ in 0..10 {
            input.extend_from_slice(&[b'x'; 8000]);
            input.push(b'\n');
        }
        input.extend_from_slice(b"end\"\n");
        let got = read_all(RecordReader::new(&input[..], b','));
        assert_eq!(got[0].2, Some(Fault::Unclosed { to: 10, at_end: false }));
        assert_eq!(got[0].1, "1,\"big");
        assert_eq!(got.len(), 12);
    }

    /// Issue 10: a 200 MB line took 1 GB. The reader keeps at most `MAX_LINE` bytes of a line.
    #[test]
    fn a_line_longer_than_the_limit_keeps_only_its_start() {
        let mut input = vec![b'7'; MAX_LINE * 3];
        input.extend_from_slice(b"\nnext,line\n");
        let mut reader = RecordReader::new(&input[..], b',');
        let mut rec = RawRecord::default();
        assert!(reader.read(&mut rec).unwrap());
        let bytes = (MAX_LINE * 3) as u64;
        assert_eq!(rec.fault, Some(Fault::TooLong { bytes }));
        assert_eq!(rec.text.len(), KEPT_OF_LONG_LINE);
        assert!(rec.text.capacity() <= MAX_LINE * 2, "{}", rec.text.capacity());
        assert!(reader.read(&mut rec).unwrap());
        assert_eq!((rec.line, rec.text.as_slice(), rec.fault), (2, &b"next,line"[..], None));
        // Inside a quoted field, the long line ends the field and comes back as its own record.
        let mut input = b"1,\"open\n".to_vec();
        input.extend_from_slice(&vec![b'7'; MAX_LINE + 1]);
        let got = read_all(RecordReader::new(&input[..], b','));
        assert_eq!(got[0].2, Some(Fault::Unclosed { to: 2, at_end: false }));
        assert_eq!(
            got[1].2,
            Some(Fault::TooLong {
                bytes: MAX_LINE as u64 + 1
            })
        );
    }

    #[test]
    fn reasons_name_the_lines_covered() {
        let r = Fault::Swallows { whole: 6 }.reason(5);
        assert!(r.ends_with("line 5 opens a field that would swallow line 6, which reads as a whole record; line 6 is read as a record of its own"), "{r}");
        let r = Fault::Unclosed { to: 104, at_end: false }.reason(5);
        assert!(r.contains("lines 5-104"), "{r}");
        assert!(Fault::TooLong { bytes: 9 }.reason(1).contains("9 bytes"));
    }
}

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
//!
//! A line end inside a quoted field is part of the field's text and is kept as it was written
//! (`\r\n` stays `\r\n`), so every copy of a field, in cleaned.csv, removed.csv or
//! bad_rows.csv, has the input's bytes.

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
        if crate::text::zh() {
            return self.reason_zh(line);
        }
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

    /// [`Fault::reason`] in Chinese.
    fn reason_zh(self, line: u64) -> String {
        let reread = |to: u64| match to - line {
            0 => String::new(),
            1 => format!("；第 {to} 行按单独一条记录读取"),
            _ => format!("；第 {}-{to} 行各按单独的记录读取", line + 1),
        };
        match self {
            Fault::Unclosed { to, at_end: true } => {
                format!("第 {line} 行开始的带引号字段直到输入结束都没有闭合{}", reread(to))
            }
            Fault::Unclosed { to, at_end: false } => format!(
                "第 {line} 行开始的带引号字段在 {MAX_QUOTED_LINES} 行或 {MAX_QUOTED_BYTES} 字节内没有闭合\
                 （已跨越第 {line}-{to} 行）{}",
                reread(to)
            ),
            Fault::Swallows { whole } => format!(
                "第 {line} 行有一个多余的引号，它开始的字段会吞掉第 {whole} 行，而该行本身是一条完整记录{}",
                reread(whole)
            ),
            Fault::TooLong { bytes } => {
                format!("该行长 {bytes} 字节，超过 {MAX_LINE} 字节的上限；只保留了开头部分")
            }
        }
    }
}

/// How a physical line ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// `\n`.
    Lf,
    /// `\r\n`.
    CrLf,
    /// A lone `\r`.
    Cr,
    /// The input ended.
    Eof,
}

impl End {
    /// The bytes of the line end.
    fn bytes(self) -> &'static [u8] {
        match self {
            End::Lf => b"\n",
            End::CrLf => b"\r\n",
            End::Cr => b"\r",
            End::Eof => b"",
        }
    }
}

/// One record as it stood in the input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RawRecord {
    /// The 1-based line the record starts on.
    pub(crate) line: u64,
    /// The record's bytes without its final line terminator; lines inside a quoted field are
    /// joined with the line ends they had.
    pub(crate) text: Vec<u8>,
    /// Why the record is broken, if it is.
    pub(crate) fault: Option<Fault>,
}

/// A physical line read ahead and given back, with its full length and how it ended.
type Pending = (Vec<u8>, u64, End);

/// Where a line of a record starts in its text, the line's full length, and the line end
/// before it (the one that joins it to the line above).
type Start = (usize, u64, End);

/// Cuts a UTF-8 stream into records.
pub(crate) struct RecordReader<R> {
    src: R,
    delimiter: u8,
    /// Fields of a whole record (the header's), to tell a stray quote; none: not checked.
    width: Option<usize>,
    next_line: u64,
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
        let Some((total, end)) = self.next_physical(&mut rec.text)? else {
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
        self.read_quoted(rec, end)
    }

    /// Reads the lines of a record whose first line ended inside a quoted field; `end` is how
    /// that line ended.
    fn read_quoted(&mut self, rec: &mut RawRecord, mut end: End) -> io::Result<bool> {
        let mut starts: SmallVec<[Start; 4]> = smallvec![(0, rec.text.len() as u64, End::Eof)];
        loop {
            let joint = end;
            rec.text.extend_from_slice(joint.bytes());
            let start = rec.text.len();
            let Some((total, next_end)) = self.next_physical(&mut rec.text)? else {
                rec.text.truncate(start - joint.bytes().len());
                let to = rec.line + starts.len() as u64 - 1;
                return Ok(self.finish_broken(rec, (&starts, joint), Fault::Unclosed { to, at_end: true }));
            };
            end = next_end;
            starts.push((start, total, joint));
            let to = rec.line + starts.len() as u64 - 1;
            let line = &rec.text[start..];
            let broken = if total > line.len() as u64 {
                Some(Fault::Unclosed { to, at_end: false })
            } else if !scan_quotes(line, self.delimiter, true, false) {
                break;
            } else if self.is_whole_record(line) {
                Some(Fault::Swallows { whole: to })
            } else if starts.len() >= MAX_QUOTED_LINES || rec.text.len() - starts[1].0 > MAX_QUOTED_BYTES {
                Some(Fault::Unclosed { to, at_end: false })
            } else {
                None
            };
            if let Some(fault) = broken {
                return Ok(self.finish_broken(rec, (&starts, end), fault));
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

    /// Keeps the first line as a broken record and gives the others back, in order, each with
    /// its own line end (`last` is the line end of the last one).
    fn finish_broken(&mut self, rec: &mut RawRecord, (starts, last): (&[Start], End), fault: Fault) -> bool {
        for (i, &(start, total, _)) in starts.iter().enumerate().skip(1).rev() {
            let (end, ended) = starts
                .get(i + 1)
                .map_or((rec.text.len(), last), |next| (next.0 - next.2.bytes().len(), next.2));
            self.pending.push_front((rec.text[start..end].to_vec(), total, ended));
        }
        rec.text
            .truncate(starts.get(1).map_or(rec.text.len(), |s| s.0 - s.2.bytes().len()));
        rec.fault = Some(fault);
        self.next_line += 1;
        true
    }

    /// Appends the next physical line to `buf` without its terminator (`\n`, `\r\n` or `\r`),
    /// at most [`MAX_LINE`] bytes of it; returns the line's full length and how it ended, or
    /// `None` at the end of the input.
    fn next_physical(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<(u64, End)>> {
        if let Some((line, total, end)) = self.pending.pop_front() {
            buf.extend_from_slice(&line);
            return Ok(Some((total, end)));
        }
        let mut total = 0usize;
        let mut any = false;
        loop {
            let avail = fill(&mut self.src)?;
            if avail.is_empty() {
                return Ok(any.then_some((total as u64, End::Eof)));
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
            match end {
                Some(b'\n') => return Ok(Some((total as u64, End::Lf))),
                // A `\n` right after the `\r`, even in the next buffer, belongs to it.
                Some(_) if fill(&mut self.src)?.first() == Some(&b'\n') => {
                    self.src.consume(1);
                    return Ok(Some((total as u64, End::CrLf)));
                }
                Some(_) => return Ok(Some((total as u64, End::Cr))),
                None => {}
            }
        }
    }
}

/// The reader's buffer, refilled if empty (retrying an interrupted read).
fn fill<R: BufRead>(src: &mut R) -> io::Result<&[u8]> {
    loop {
        match src.fill_buf() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
            // Returning this borrow from inside the loop does not pass today's borrow checker
            // (NLL problem case 3); asking again for a filled buffer costs nothing.
            Ok(_) => break,
        }
    }
    src.fill_buf()
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
mod tests;

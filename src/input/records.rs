//! Records: the decoded UTF-8 stream cut into raw records, each with the line it starts on.
//!
//! Records are cut here, on one thread, and parsed into fields by the workers: the raw bytes
//! are kept so that a malformed record can be passed through to the cleaned file unchanged.
//! A quoted field may span lines; a quote that never closes would swallow the rest of the
//! file, so a record that runs past [`MAX_RECORD_LINES`] lines is cut back to its first line
//! and reported as broken.

use std::collections::VecDeque;
use std::io::{self, BufRead};

use smallvec::SmallVec;

/// The most lines one quoted record may span before its quotes count as broken.
pub(crate) const MAX_RECORD_LINES: usize = 100;

/// One record as it stood in the input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RawRecord {
    /// The 1-based line the record starts on.
    pub(crate) line: u64,
    /// The record's bytes without its final line terminator.
    pub(crate) text: Vec<u8>,
    /// True when the record ended inside an unclosed quoted field.
    pub(crate) broken_quotes: bool,
}

/// Cuts a UTF-8 stream into records.
pub(crate) struct RecordReader<R> {
    src: R,
    delimiter: u8,
    next_line: u64,
    /// Lines read ahead and given back after a broken record.
    pending: VecDeque<Vec<u8>>,
}

impl<R: BufRead> RecordReader<R> {
    /// A reader over `src` with `delimiter` (needed to know where fields start).
    pub(crate) fn new(src: R, delimiter: u8) -> Self {
        RecordReader {
            src,
            delimiter,
            next_line: 1,
            pending: VecDeque::new(),
        }
    }

    /// Reads the next record into `rec`; false at the end of the input. Lines are read straight
    /// into the record's buffer: the common one-line record costs no allocation.
    pub(crate) fn read(&mut self, rec: &mut RawRecord) -> io::Result<bool> {
        rec.text.clear();
        rec.broken_quotes = false;
        rec.line = self.next_line;
        let mut in_quotes = false;
        let mut starts: SmallVec<[usize; 2]> = SmallVec::new();
        loop {
            let start = rec.text.len();
            if !self.append_line(&mut rec.text)? {
                if starts.is_empty() {
                    return Ok(false);
                }
                // The input ended inside a quoted field.
                rec.text.truncate(rec.text.len().saturating_sub(1));
                return Ok(self.finish_broken(rec, &starts));
            }
            starts.push(start);
            in_quotes = scan_quotes(&rec.text[start..], self.delimiter, in_quotes, starts.len() == 1);
            if !in_quotes {
                break;
            }
            if starts.len() >= MAX_RECORD_LINES {
                return Ok(self.finish_broken(rec, &starts));
            }
            // The line break is part of the quoted field.
            rec.text.push(b'\n');
        }
        self.next_line += starts.len() as u64;
        Ok(true)
    }

    /// Keeps the first line as a broken record and gives the others back, in order.
    fn finish_broken(&mut self, rec: &mut RawRecord, starts: &[usize]) -> bool {
        for (i, &start) in starts.iter().enumerate().skip(1).rev() {
            let end = starts.get(i + 1).map_or(rec.text.len(), |next| next - 1);
            self.pending.push_front(rec.text[start..end].to_vec());
        }
        rec.text.truncate(starts.get(1).map_or(rec.text.len(), |s| s - 1));
        rec.broken_quotes = true;
        self.next_line += 1;
        true
    }

    /// Appends the next physical line to `buf` without its terminator (`\n`, or `\r\n`);
    /// false at the end of the input.
    fn append_line(&mut self, buf: &mut Vec<u8>) -> io::Result<bool> {
        if let Some(line) = self.pending.pop_front() {
            buf.extend_from_slice(&line);
            return Ok(true);
        }
        let start = buf.len();
        if self.src.read_until(b'\n', buf)? == 0 {
            return Ok(false);
        }
        if buf.last() == Some(&b'\n') {
            buf.pop();
            if buf.len() > start && buf.last() == Some(&b'\r') {
                buf.pop();
            }
        }
        Ok(true)
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

    fn records(input: &[u8]) -> Vec<(u64, String, bool)> {
        let mut reader = RecordReader::new(input, b',');
        let mut rec = RawRecord::default();
        let mut out = Vec::new();
        while reader.read(&mut rec).unwrap() {
            out.push((
                rec.line,
                String::from_utf8(rec.text.clone()).unwrap(),
                rec.broken_quotes,
            ));
        }
        out
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

    #[test]
    fn quoted_fields_span_lines() {
        let got = records(b"id,addr\n1,\"line one\nline two\"\n2,x\n");
        assert_eq!(got[1], (2, "1,\"line one\nline two\"".into(), false));
        assert_eq!(got[2], (4, "2,x".into(), false));
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
        let got = records(b"1,\"open at the end\n2,x\n");
        assert_eq!(got[0], (1, "1,\"open at the end".into(), true));
        assert_eq!(got[1], (2, "2,x".into(), false));
    }
}

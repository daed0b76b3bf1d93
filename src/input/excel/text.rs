//! A sheet as CSV text, for the readers that take text records (the call-history logs): each
//! row becomes one comma-separated line, quoted as RFC 4180 quotes, and line N of the text is
//! row N of the sheet (rows Excel does not store are empty lines, and a line break inside a
//! cell becomes a space), so every line number a log's messages give is the row Excel shows.
//! Cells are the typed text of `cell`: a call time stored as a date is its value, never its
//! display format.

use std::io::{self, BufRead, Read};

use super::read::SheetRows;

/// The CSV text of a sheet, read as it is made.
pub(crate) struct SheetText {
    rows: SheetRows,
    buf: Vec<u8>,
    pos: usize,
    /// The row number the next line of text stands for.
    next_line: u64,
    done: bool,
}

impl SheetText {
    /// The text of `rows`.
    pub(crate) fn new(rows: SheetRows) -> SheetText {
        SheetText {
            rows,
            buf: Vec::new(),
            pos: 0,
            next_line: 1,
            done: false,
        }
    }

    /// Makes the next row's text (after the empty lines of the rows before it not stored).
    fn refill(&mut self) -> io::Result<()> {
        self.buf.clear();
        self.pos = 0;
        let Some(row) = self.rows.next_row().map_err(|e| io::Error::other(format!("{e:#}")))? else {
            self.done = true;
            return Ok(());
        };
        while self.next_line < row.line {
            self.buf.push(b'\n');
            self.next_line += 1;
        }
        for (i, field) in row.fields.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            write_field(&mut self.buf, field);
        }
        self.buf.push(b'\n');
        self.next_line = row.line + 1;
        Ok(())
    }
}

/// One field, quoted when it holds a comma or a quote; line breaks become spaces.
fn write_field(out: &mut Vec<u8>, field: &str) {
    let quote = field.contains([',', '"']);
    if quote {
        out.push(b'"');
    }
    for b in field.bytes() {
        match b {
            b'"' => out.extend_from_slice(b"\"\""),
            b'\n' | b'\r' => out.push(b' '),
            _ => out.push(b),
        }
    }
    if quote {
        out.push(b'"');
    }
}

impl Read for SheetText {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for SheetText {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos >= self.buf.len() && !self.done {
            self.refill()?;
        }
        Ok(&self.buf[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.buf.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_as_csv_and_keep_to_one_line() {
        let mut out = Vec::new();
        for f in ["plain", "a,b", "say \"hi\"", "two\nlines", ""] {
            write_field(&mut out, f);
            out.push(b'|');
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "plain|\"a,b\"|\"say \"\"hi\"\"\"|two lines||"
        );
    }
}

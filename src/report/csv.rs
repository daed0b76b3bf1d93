//! CSV output: field quoting, a row builder that formats straight into a byte buffer (no
//! String per field), and [`CsvFile`], an atomic file with the output encoding and CRLF line
//! endings that spreadsheets on Windows expect.

use std::path::Path;

use super::atomic::AtomicFile;
use super::outputs::Output;
use crate::input::encoding::{Encoding, encode};

/// The line terminator of every CSV output (RFC 4180; what Excel writes).
pub(crate) const NEWLINE: &[u8] = b"\r\n";

/// How CSV outputs are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutputEncoding {
    /// UTF-8 with a BOM, so Excel opens Chinese text correctly (the default).
    Utf8Bom,
    /// Plain UTF-8.
    Utf8,
    /// GB18030, for systems that expect the Chinese national encoding.
    Gb18030,
}

/// Writes `field` as a CSV field: quoted when it holds the delimiter, a quote, a line break,
/// or leading/trailing spaces.
pub(crate) fn write_field(out: &mut Vec<u8>, field: &str, delimiter: u8) {
    let bytes = field.as_bytes();
    let needs_quotes = memchr::memchr3(b'"', b'\n', b'\r', bytes).is_some()
        || memchr::memchr(delimiter, bytes).is_some()
        || field.starts_with(' ')
        || field.ends_with(' ');
    if !needs_quotes {
        out.extend_from_slice(bytes);
        return;
    }
    out.push(b'"');
    for b in field.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Writes fields as one delimited record, without its line terminator.
pub(crate) fn write_record<'f>(out: &mut Vec<u8>, fields: impl IntoIterator<Item = &'f str>, delimiter: u8) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        write_field(out, field, delimiter);
    }
}

/// Formats one comma-separated row field by field into a buffer, then its terminator.
pub(crate) struct RowWriter<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> RowWriter<'a> {
    /// A row appended to `out`.
    pub(crate) fn new(out: &'a mut Vec<u8>) -> Self {
        RowWriter { out, first: true }
    }

    fn sep(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
    }

    /// A text field, quoted as needed.
    pub(crate) fn text(&mut self, s: &str) -> &mut Self {
        self.sep();
        write_field(self.out, s, b',');
        self
    }

    /// A number field.
    pub(crate) fn num(&mut self, n: u64) -> &mut Self {
        self.sep();
        self.out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        self
    }

    /// Ends the row.
    pub(crate) fn end(&mut self) {
        self.out.extend_from_slice(NEWLINE);
    }
}

/// A CSV output: an atomic file with its encoding. Rows arrive already formatted and
/// terminated (see [`RowWriter`]), so a batch is written with one call.
pub(crate) struct CsvFile {
    file: AtomicFile,
    encoding: OutputEncoding,
}

impl CsvFile {
    /// Creates the output in `dir` and writes the BOM (if any) and `header`.
    pub(crate) fn create(
        dir: &Path,
        output: Output,
        encoding: OutputEncoding,
        header: &[&str],
    ) -> anyhow::Result<CsvFile> {
        let mut text = Vec::new();
        write_record(&mut text, header.iter().copied(), b',');
        text.extend_from_slice(NEWLINE);
        Self::with_header_line(dir, output, encoding, &text)
    }

    /// Creates the output in `dir` and writes the BOM (if any) and an already formatted,
    /// terminated header line.
    pub(crate) fn with_header_line(
        dir: &Path,
        output: Output,
        encoding: OutputEncoding,
        header: &[u8],
    ) -> anyhow::Result<CsvFile> {
        let mut file = AtomicFile::create(dir, output.name())?;
        if encoding == OutputEncoding::Utf8Bom {
            file.write_bytes(b"\xEF\xBB\xBF")?;
        }
        let mut csv = CsvFile { file, encoding };
        csv.write_rows(header)?;
        Ok(csv)
    }

    /// Writes rows that are UTF-8 and already terminated, in the file's encoding.
    pub(crate) fn write_rows(&mut self, rows: &[u8]) -> anyhow::Result<()> {
        if self.encoding != OutputEncoding::Gb18030 {
            return self.file.write_bytes(rows);
        }
        let utf8 = String::from_utf8_lossy(rows);
        self.file.write_bytes(&encode(&utf8, Encoding::Gb18030))
    }

    /// Renames the file into place.
    pub(crate) fn commit(self) -> anyhow::Result<()> {
        self.file.commit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::dialect::split_fields;

    #[test]
    fn written_fields_read_back() {
        let fields = ["plain", "a,b", "say \"hi\"", " pad", "line\nbreak", ""];
        let mut out = Vec::new();
        write_record(&mut out, fields, b',');
        assert_eq!(split_fields(&out, b','), fields);
    }

    #[test]
    fn csv_files_take_bom_crlf_and_gb18030() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = CsvFile::create(dir.path(), Output::Numbers, OutputEncoding::Utf8Bom, &["a", "b"]).unwrap();
        let mut rows = Vec::new();
        RowWriter::new(&mut rows).num(1).text("手机").end();
        f.write_rows(&rows).unwrap();
        f.commit().unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("numbers.csv")).unwrap(),
            "\u{FEFF}a,b\r\n1,手机\r\n".as_bytes()
        );
        let mut g = CsvFile::create(dir.path(), Output::Shared, OutputEncoding::Gb18030, &["手机"]).unwrap();
        g.write_rows(b"1\r\n").unwrap();
        g.commit().unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("shared.csv")).unwrap(),
            b"\xca\xd6\xbb\xfa\r\n1\r\n"
        );
    }
}

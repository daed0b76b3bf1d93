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

/// The guard against CSV formula injection (OWASP): a spreadsheet runs a cell that starts
/// with `=`, `+`, `-` or `@` as a formula, and a tab or CR before one hides it. Every cell the
/// tool copies from input text gets a single quote in front when it starts with one of those,
/// and when it starts with a quote itself, so that the rule can be undone exactly: drop one
/// leading `'` from any copied cell that has one. The tool's own canonical fields (e164,
/// national, codes, counts) are never guarded: they stay machine-readable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum FormulaGuard {
    /// Guard copied cells (the default).
    #[default]
    On,
    /// `--no-formula-guard`: copied cells stay as they were.
    Off,
}

impl FormulaGuard {
    /// Whether `field`, copied from input, needs the quote in front.
    pub(crate) fn applies(self, field: &str) -> bool {
        self == FormulaGuard::On && field.as_bytes().first().copied().is_some_and(is_trigger)
    }
}

/// Writes `field` as a CSV field: quoted when it holds the delimiter, a quote, a line break,
/// or leading/trailing spaces.
pub(crate) fn write_field(out: &mut Vec<u8>, field: &str, delimiter: u8) {
    write_prefixed(out, "", field, delimiter);
}

/// Writes `field`, copied from input, as a CSV field under `guard`.
pub(crate) fn write_input_field(out: &mut Vec<u8>, field: &str, delimiter: u8, guard: FormulaGuard) {
    let prefix = if guard.applies(field) { "'" } else { "" };
    write_prefixed(out, prefix, field, delimiter);
}

/// Writes `prefix` then `field` as one CSV field, quoted as [`write_field`] says.
fn write_prefixed(out: &mut Vec<u8>, prefix: &str, field: &str, delimiter: u8) {
    let bytes = field.as_bytes();
    if !needs_quotes(bytes, delimiter) {
        // Most fields have no prefix: skipping the empty copy saves a call per field.
        if !prefix.is_empty() {
            out.extend_from_slice(prefix.as_bytes());
        }
        out.extend_from_slice(bytes);
        return;
    }
    out.push(b'"');
    out.extend_from_slice(prefix.as_bytes());
    // Copied in runs between quotes (a region such as `Puyang, Henan` has none), each
    // quote doubled.
    let mut rest = bytes;
    while let Some(q) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=q]);
        out.push(b'"');
        rest = &rest[q + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// Fields longer than this are searched with `memchr`; shorter ones (nearly every field: a
/// number, a code, a name) in one plain pass, which costs less than setting up two searches.
const SHORT_FIELD: usize = 48;

/// Whether a field must be quoted: it holds the delimiter, a quote or a line break, or starts
/// or ends with a space. One pass over the bytes (two `memchr` passes per field were a fifth of
/// the audit's CPU, issue 11).
fn needs_quotes(bytes: &[u8], delimiter: u8) -> bool {
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return true;
    }
    if bytes.len() > SHORT_FIELD {
        return memchr::memchr3(b'"', b'\n', b'\r', bytes).is_some() || memchr::memchr(delimiter, bytes).is_some();
    }
    bytes
        .iter()
        .any(|&b| b == delimiter || matches!(b, b'"' | b'\n' | b'\r'))
}

/// Writes fields as one delimited record, without its line terminator.
pub(crate) fn write_record<'f>(out: &mut Vec<u8>, fields: impl IntoIterator<Item = &'f str>, delimiter: u8) {
    write_input_record(out, fields, delimiter, FormulaGuard::Off);
}

/// Writes fields copied from input as one delimited record under `guard`, without its line
/// terminator.
pub(crate) fn write_input_record<'f>(
    out: &mut Vec<u8>,
    fields: impl IntoIterator<Item = &'f str>,
    delimiter: u8,
    guard: FormulaGuard,
) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        write_input_field(out, field, delimiter, guard);
    }
}

/// Whether a cell starting with byte `b` needs the guard's quote (see [`FormulaGuard`]).
fn is_trigger(b: u8) -> bool {
    matches!(b, b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\'')
}

/// Appends `text`, a record copied byte for byte, with the guard's quote inserted at every
/// field start whose first character needs it (inside the quotes of a quoted field); all
/// other bytes stay as they were. A malformed record cannot be split reliably, so this walks
/// it the way a spreadsheet reads it.
pub(crate) fn write_verbatim_guarded(out: &mut Vec<u8>, text: &[u8], delimiter: u8, guard: FormulaGuard) {
    if guard == FormulaGuard::Off {
        out.extend_from_slice(text);
        return;
    }
    let (mut in_quotes, mut field_start) = (false, true);
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        if field_start && b != delimiter {
            field_start = false;
            let quoted = b == b'"';
            let first = if quoted { text.get(i + 1).copied() } else { Some(b) };
            if quoted {
                out.push(b'"');
                in_quotes = true;
                i += 1;
            }
            if first.is_some_and(is_trigger) {
                out.push(b'\'');
            }
            continue;
        }
        out.push(b);
        if in_quotes && b == b'"' {
            if text.get(i + 1) == Some(&b'"') {
                out.push(b'"');
                i += 1;
            } else {
                in_quotes = false;
            }
        } else if !in_quotes && b == delimiter {
            field_start = true;
        }
        i += 1;
    }
}

/// Formats one comma-separated row field by field into a buffer, then its terminator.
pub(crate) struct RowWriter<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
    guard: FormulaGuard,
}

impl<'a> RowWriter<'a> {
    /// A row appended to `out`; fields copied from input are written under `guard`.
    pub(crate) fn new(out: &'a mut Vec<u8>, guard: FormulaGuard) -> Self {
        RowWriter {
            out,
            first: true,
            guard,
        }
    }

    fn sep(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
    }

    /// A text field of the tool's own (a code, a status, a canonical number), quoted as needed.
    pub(crate) fn text(&mut self, s: &str) -> &mut Self {
        self.sep();
        write_field(self.out, s, b',');
        self
    }

    /// A text field copied from input (a cell, a header name, an id), guarded and quoted as
    /// needed.
    pub(crate) fn input(&mut self, s: &str) -> &mut Self {
        self.sep();
        write_input_field(self.out, s, b',', self.guard);
        self
    }

    /// A field of the tool's own that never needs quoting: a canonical number, an issue
    /// code list, a word from a fixed vocabulary (digits, ASCII letters, `+ - . _ ;`). It is
    /// copied without the quoting check, which was a tenth of a full audit's CPU (issue 11).
    pub(crate) fn plain(&mut self, s: &str) -> &mut Self {
        debug_assert!(!needs_quotes(s.as_bytes(), b','), "{s:?} needs quotes");
        self.sep();
        self.out.extend_from_slice(s.as_bytes());
        self
    }

    /// `n` empty fields.
    pub(crate) fn empty(&mut self, n: usize) -> &mut Self {
        for _ in 0..n {
            self.sep();
        }
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
    fn quoting_is_the_same_for_short_and_long_fields() {
        for (field, quoted) in [
            ("plain", false),
            ("", false),
            ("a,b", true),
            ("say \"hi\"", true),
            ("cr\rhere", true),
            ("lf\nhere", true),
            (" lead", true),
            ("trail ", true),
            ("tab\tinside", false),
            ("027-87654321", false),
        ] {
            assert_eq!(needs_quotes(field.as_bytes(), b','), quoted, "{field:?}");
            // Past the short-field length, through memchr; padded, so only the inner bytes count.
            let long = format!("{}{field}{}", "x".repeat(SHORT_FIELD), "y".repeat(3));
            let want = field.contains(['"', '\n', '\r', ',']);
            assert_eq!(needs_quotes(long.as_bytes(), b','), want, "long {field:?}");
        }
        assert!(needs_quotes(b"a;b", b';'));
        assert!(!needs_quotes(b"a;b", b','));
    }

    /// RFC 4180: a quoted field doubles each quote inside it.
    #[test]
    fn quoted_fields_double_their_quotes() {
        for (field, want) in [
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("\"", "\"\"\"\""),
            ("\"\"x", "\"\"\"\"\"x\""),
            ("end\"", "\"end\"\"\""),
            (" lead", "\" lead\""),
        ] {
            let mut out = Vec::new();
            write_field(&mut out, field, b',');
            assert_eq!(String::from_utf8(out).unwrap(), want, "{field:?}");
        }
        let mut out = Vec::new();
        write_input_field(&mut out, "=1,2", b',', FormulaGuard::On);
        assert_eq!(out, b"\"'=1,2\"");
    }

    #[test]
    fn plain_and_empty_fields_take_their_separators() {
        let mut out = Vec::new();
        RowWriter::new(&mut out, FormulaGuard::On)
            .empty(2)
            .plain("+8613800138000")
            .empty(0)
            .empty(3)
            .num(7)
            .end();
        assert_eq!(out, b",,+8613800138000,,,,7\r\n");
    }

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
        RowWriter::new(&mut rows, FormulaGuard::On).num(1).text("手机").end();
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

    #[test]
    fn the_guard_quotes_cells_that_a_spreadsheet_would_run() {
        // (copied cell, as written with the guard on) — OWASP's list plus the quote itself.
        let cases = [
            ("=1+2", "'=1+2"),
            ("+8613971234567", "'+8613971234567"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "\"'\r=1\""),
            ("'quoted", "''quoted"),
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
            ),
            ("13971234567", "13971234567"),
            ("a=b", "a=b"),
            (" =1", "\" =1\""),
            ("", ""),
        ];
        for (cell, want) in cases {
            let mut out = Vec::new();
            write_input_field(&mut out, cell, b',', FormulaGuard::On);
            assert_eq!(String::from_utf8(out).unwrap(), want, "{cell:?}");
            let mut raw = Vec::new();
            write_input_field(&mut raw, cell, b',', FormulaGuard::Off);
            let mut plain = Vec::new();
            write_field(&mut plain, cell, b',');
            assert_eq!(raw, plain, "{cell:?}: the guard off writes the cell as it was");
        }
    }

    #[test]
    fn guarded_cells_read_back_and_the_rule_undoes_exactly() {
        let cells = ["=1", "'=1", "''", "'", "+86", "-", "x", "\t", "\"=q\""];
        let mut out = Vec::new();
        write_input_record(&mut out, cells, b',', FormulaGuard::On);
        let back = split_fields(&out, b',');
        let undone: Vec<&str> = back.iter().map(|c| c.strip_prefix('\'').unwrap_or(c)).collect();
        assert_eq!(undone, cells);
    }

    #[test]
    fn verbatim_records_get_the_quote_at_field_starts_only() {
        let cases: [(&[u8], u8, &[u8]); 7] = [
            (b"=cmd|' /C calc'!A0,x", b',', b"'=cmd|' /C calc'!A0,x"),
            (b"1,\"=2\",-3", b',', b"1,\"'=2\",'-3"),
            (b"1,a=b,\"x,=y\"", b',', b"1,a=b,\"x,=y\""),
            (b"1,\"a\"\"=b\",@c", b',', b"1,\"a\"\"=b\",'@c"),
            (b"1\t=2\t\t+3", b'\t', b"1\t'=2\t\t'+3"),
            (b"1,\"never closed,=2", b',', b"1,\"never closed,=2"),
            (b",,", b',', b",,"),
        ];
        for (text, delimiter, want) in cases {
            let mut out = Vec::new();
            write_verbatim_guarded(&mut out, text, delimiter, FormulaGuard::On);
            assert_eq!(out, want, "{}", String::from_utf8_lossy(text));
            let mut off = Vec::new();
            write_verbatim_guarded(&mut off, text, delimiter, FormulaGuard::Off);
            assert_eq!(off, text);
        }
    }
}

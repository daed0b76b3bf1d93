//! Input: bytes to rows. Opens a file or standard input and decides its encoding over the
//! whole input (text.rs, encoding/), finds the delimiter and the header's roles (dialect.rs,
//! columns.rs), and hands the data rows to the pipeline as a `RowSource` (rows.rs) over
//! the records cut from the decoded stream (records.rs).
//!
//! Standard input is spooled to a temporary file inside the output directory, so that the
//! encoding is decided on all of it and the records are then streamed like a file's. The
//! call-history logs are opened by the same `TextFile`.

pub(crate) mod columns;
pub(crate) mod dialect;
pub(crate) mod encoding;
pub(crate) mod records;
pub(crate) mod rows;
pub(crate) mod text;

use std::path::PathBuf;

use anyhow::Context as _;

pub(crate) use columns::{Columns, Relation};
pub(crate) use encoding::{Encoding, Scan};
pub(crate) use records::{Fault, RawRecord, RecordReader};
pub(crate) use rows::Row;
pub(crate) use rows::{CsvRows, RowSource};
pub(crate) use text::{Spool, TextFile, is_blank, must_be_file};

use crate::exit::Unreadable;
use crate::text::clip;

/// What to read and how.
#[derive(Debug, Clone)]
pub(crate) struct InputOptions {
    /// The file, or `-` for standard input.
    pub(crate) path: PathBuf,
    /// `--encoding`: overrides detection.
    pub(crate) encoding: Option<Encoding>,
    /// `--delimiter`: overrides detection.
    pub(crate) delimiter: Option<u8>,
    /// `--phone-columns`: overrides detection.
    pub(crate) phone_columns: Option<Vec<String>>,
    /// `--id-column`: overrides detection.
    pub(crate) id_column: Option<String>,
    /// Where and how much of standard input may be spooled (the run's directory).
    pub(crate) spool: Spool,
}

/// An opened input: decided encoding, dialect and header roles.
#[derive(Debug)]
pub(crate) struct Input {
    /// The path as the user gave it (`-` for standard input).
    pub(crate) display: String,
    /// The file, scanned (it deletes a spool when dropped).
    text: TextFile,
    /// What the full pass found.
    pub(crate) scan: Scan,
    /// The delimiter.
    pub(crate) delimiter: u8,
    /// The header fields.
    pub(crate) headers: Vec<String>,
    /// The header's roles.
    pub(crate) columns: Columns,
}

/// Standard input read whole and decoded as `audit` decodes a file (a BOM, else all UTF-8,
/// else all GB18030; `forced` is `--encoding`), for `check`: a GB18030 pipe was once read as
/// lossy UTF-8, and `027-21859118转2363` came out an invalid 12-digit number. Held in memory:
/// `check` reads a column of cells, not a contact file (that is `audit -`, which spools).
///
/// Input that no encoding decodes whole (mixed encodings, stray bytes) is still judged line by
/// line, as lossy UTF-8, and the second value says why, for a warning: `check` is the tool
/// for looking at messy cells, and refusing them all for one bad byte would hide the rest.
/// Only a failed read is [`Unreadable`] (exit 3).
pub(crate) fn read_stdin(forced: Option<Encoding>) -> anyhow::Result<(String, Option<String>)> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|e| anyhow::Error::new(Unreadable(format!("reading standard input: {e}"))))?;
    Ok(match decode_all(&bytes, forced) {
        Ok(text) => (text, None),
        Err(why) => (String::from_utf8_lossy(&bytes).into_owned(), Some(why)),
    })
}

/// `bytes` decided and decoded to UTF-8 as a file is.
fn decode_all(bytes: &[u8], forced: Option<Encoding>) -> Result<String, String> {
    use std::io::Read as _;
    let scan = encoding::scan(bytes, forced).map_err(|e| e.to_string())?;
    let mut text = String::new();
    encoding::decode(bytes, &scan)
        .read_to_string(&mut text)
        .map_err(|e| e.to_string())?;
    Ok(text)
}

/// Opens `opts.path`: scans it whole, reads its header and finds its columns. A missing or
/// undecodable input is [`Unreadable`] (exit 3); a header without phone columns, or an
/// unknown `--phone-columns` name, is a usage error (exit 2).
pub(crate) fn open(opts: &InputOptions) -> anyhow::Result<Input> {
    let text = TextFile::open_or_stdin(&opts.path, opts.encoding, &opts.spool)?;
    // The header is the first line: a blank first line means there is none.
    let header = match text.first_record()? {
        Some(rec) if rec.line == 1 => header_text(rec, &text.display)?,
        _ => {
            return Err(anyhow::Error::new(Unreadable(format!(
                "{}: {}",
                text.display,
                crate::text::tr("the input is empty (no header line)", "输入为空（没有表头行）")
            ))));
        }
    };
    let delimiter = opts.delimiter.unwrap_or_else(|| dialect::detect_delimiter(&header));
    let headers = dialect::header_names(&header, delimiter);
    let columns = roles(&headers, opts)?;
    Ok(Input {
        display: text.display.clone(),
        scan: text.scan.clone(),
        text,
        delimiter,
        headers,
        columns,
    })
}

impl Input {
    /// The data rows, after the header.
    pub(crate) fn rows(&self) -> anyhow::Result<Box<dyn RowSource>> {
        let records = self.text.records(self.delimiter, Some(1))?;
        Ok(Box::new(CsvRows::new(records, self.display.clone())))
    }
}

/// The header line's text, or why it cannot be read: a line over the length limit is
/// unreadable input (exit 3); a quote that does not close is a header no flag can place
/// (exit 2, issue 10: every row then came out bad and the run passed).
fn header_text(rec: RawRecord, display: &str) -> anyhow::Result<Vec<u8>> {
    let shown = String::from_utf8_lossy(&rec.text);
    match rec.fault {
        None => Ok(rec.text),
        Some(Fault::TooLong { bytes }) => Err(anyhow::Error::new(Unreadable(format!(
            "{display}: the header line is {bytes} bytes long, more than the limit of {} bytes; it starts `{}`",
            records::MAX_LINE,
            clip(&shown)
        )))),
        Some(_) => anyhow::bail!(
            "{display}: the header (line 1) has a quoted field that never closes, so no column can be placed: \
             `{}`; fix the quote in the header",
            clip(&shown)
        ),
    }
}

/// The columns to audit: given by flags, or detected from the header.
fn roles(headers: &[String], opts: &InputOptions) -> anyhow::Result<Columns> {
    let mut cols = columns::detect(headers);
    if let Some(wanted) = &opts.phone_columns {
        cols.phones = columns::select_phones(headers, wanted).context("--phone-columns")?;
    }
    if let Some(id) = &opts.id_column {
        cols.id = Some(columns::find(headers, id).context("--id-column")?);
    }
    if cols.phones.is_empty() && crate::text::zh() {
        anyhow::bail!(
            "表头中找不到电话列：{}\n请用 --phone-columns 指定（列名或从1开始的列号，如 --phone-columns \
             手机,住宅电话,紧急联系人电话:contact），或使用 手机、住宅电话、配偶电话、紧急联系人电话、mobile、home_phone 等表头",
            columns::list(headers)
        );
    }
    if cols.phones.is_empty() {
        anyhow::bail!(
            "no phone column found in the header: {}\nname them with --phone-columns (names or 1-based numbers, \
             e.g. --phone-columns 手机,住宅电话,紧急联系人电话:contact) or use a header such as 手机, 住宅电话, \
             配偶电话, 紧急联系人电话, mobile, home_phone",
            columns::list(headers)
        );
    }
    Ok(cols)
}

#[cfg(test)]
mod stdin_tests {
    use super::*;

    #[test]
    fn gb18030_and_utf8_decode_alike() {
        let cell = "027-21859118转2363\n手机：13971234567\n";
        // The one line alone is valid UTF-8 too (D7 AA is Hebrew ת): still read as GB18030.
        let (short, _, _) = encoding_rs::GB18030.encode("027-21859118转2363\n");
        assert_eq!(decode_all(&short, None).as_deref(), Ok("027-21859118转2363\n"));
        let (gb, _, _) = encoding_rs::GB18030.encode(cell);
        assert_ne!(&*gb, cell.as_bytes());
        assert_eq!(decode_all(&gb, None).as_deref(), Ok(cell));
        assert_eq!(decode_all(cell.as_bytes(), None).as_deref(), Ok(cell));
        let bom = [&[0xEF, 0xBB, 0xBF][..], cell.as_bytes()].concat();
        assert_eq!(decode_all(&bom, None).as_deref(), Ok(cell));
    }

    #[test]
    fn undecodable_bytes_are_told_with_the_audit_message() {
        let err = decode_all(b"139\xff\xff\xff\n", None).unwrap_err();
        assert!(err.contains("not valid UTF-8 or GB18030"), "{err}");
    }
}

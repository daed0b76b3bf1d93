//! Input: bytes to rows. Opens a file or standard input and decides its encoding over the
//! whole input (text.rs, encoding/), finds the delimiter and the header's roles (dialect.rs,
//! columns.rs), and hands the data rows to the pipeline as a `RowSource` (rows.rs) over
//! the records cut from the decoded stream (records.rs).
//!
//! Standard input is spooled to a temporary file inside the output directory, so that the
//! encoding is decided on all of it and the records are then streamed like a file's. The
//! call-history logs are opened by the same `TextFile`.
//!
//! An Excel workbook (`excel/`, told by its content) is one more row source: its sheet's rows
//! arrive as typed cells and go through the same pipeline. The header is the first row that
//! names a phone column (title rows above it are skipped, and said on stderr), or the row
//! `--header-row` gives, in a CSV as in a workbook.

mod check;
pub(crate) mod columns;
pub(crate) mod dialect;
pub(crate) mod encoding;
pub(crate) mod excel;
pub(crate) mod records;
pub(crate) mod rows;
pub(crate) mod text;

use std::path::PathBuf;

use anyhow::Context as _;

pub(crate) use check::{Known, Misread};
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
    /// `--sheet`: the sheet of a workbook (a name or a 1-based number); the first when omitted.
    pub(crate) sheet: Option<String>,
    /// `--header-row`: the 1-based line (sheet row) of the header; detected when omitted.
    pub(crate) header_row: Option<u64>,
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
    /// The delimiter.
    pub(crate) delimiter: u8,
    /// The header fields.
    pub(crate) headers: Vec<String>,
    /// The header's roles.
    pub(crate) columns: Columns,
    /// The line (sheet row) the header is on.
    pub(crate) header_line: u64,
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
    std::io::stdin().lock().read_to_end(&mut bytes).map_err(|e| {
        anyhow::Error::new(Unreadable(format!(
            "{} {e}",
            crate::text::tr("reading standard input:", "读取标准输入：")
        )))
    })?;
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

/// Opens `opts.path`: scans it whole, finds its header and its columns. A missing or
/// undecodable input is [`Unreadable`] (exit 3); a header without phone columns, an unknown
/// `--phone-columns` name, a `--sheet` the workbook does not have or a `--header-row` past
/// the input's end is a usage error (exit 2).
///
/// `known` holds the verdicts of files an earlier start of the run misread; on more than one
/// thread the rest of the scan runs beside the stream until [`Input::settle`].
pub(crate) fn open(opts: &InputOptions, known: &Known) -> anyhow::Result<Input> {
    let mut text = TextFile::open_or_stdin(&opts.path, (opts.encoding, opts.sheet.as_deref()), &opts.spool, known)?;
    let found = find_header(&text, opts);
    let (header, columns) = text.settle_on_error(found)?;
    if !header.titles.is_empty() {
        eprintln!(
            "contact-audit: {}",
            crate::exit::printable(&titles_note(&text, &header))
        );
    }
    Ok(Input {
        display: text.display.clone(),
        text,
        delimiter: header.delimiter,
        headers: header.names,
        columns,
        header_line: header.line,
    })
}

/// The header and its roles.
fn find_header(text: &TextFile, opts: &InputOptions) -> anyhow::Result<(Header, Columns)> {
    let header = match &text.workbook {
        Some(book) => sheet_header(book, opts)?,
        None => text_header(text, opts)?,
    };
    let columns = roles(&header.names, opts)?;
    Ok((header, columns))
}

impl Input {
    /// Waits for the encoding check beside the stream, if one runs, and takes its verdict
    /// ([`TextFile::settle`]): before anything made from the stream is used.
    pub(crate) fn settle(&mut self) -> anyhow::Result<()> {
        self.text.settle()
    }

    /// `result`, unless the encoding check has an error or a misread to give first
    /// ([`TextFile::settle_on_error`]).
    pub(crate) fn settle_on_error<T>(&mut self, result: anyhow::Result<T>) -> anyhow::Result<T> {
        self.text.settle_on_error(result)
    }

    /// What the full pass found; until [`Input::settle`], the guess it checks.
    pub(crate) fn scan(&self) -> &Scan {
        &self.text.scan
    }

    /// Whether the encoding check has found the stream's decoding wrong ([`TextFile::misread`]).
    pub(crate) fn misread(&self) -> bool {
        self.text.misread()
    }

    /// The data rows, after the header.
    pub(crate) fn rows(&self) -> anyhow::Result<Box<dyn RowSource>> {
        if let Some(book) = &self.text.workbook {
            return Ok(Box::new(excel::ExcelRows::new(
                book.rows(),
                self.header_line,
                self.headers.len(),
            )));
        }
        let records = self.text.records(self.delimiter, Some(self.header_line))?;
        Ok(Box::new(CsvRows::new(records, self.display.clone())))
    }
}

/// A header found: its line, names and delimiter, and the title rows skipped above it.
struct Header {
    line: u64,
    names: Vec<String>,
    delimiter: u8,
    titles: Vec<(u64, String)>,
}

/// The stderr line that says which rows above the header were skipped.
fn titles_note(text: &TextFile, header: &Header) -> String {
    let place = text
        .workbook
        .as_ref()
        .map_or_else(|| text.display.clone(), excel::Workbook::describe);
    let shown: Vec<String> = header
        .titles
        .iter()
        .map(|(line, t)| format!("{line}: `{}`", clip(t)))
        .collect();
    let (line, shown) = (header.line, shown.join(", "));
    if crate::text::zh() {
        return format!(
            "{place}：表头在第 {line} 行；其上方的标题行已跳过（{shown}）；如需指定其他行，请用 --header-row N"
        );
    }
    format!(
        "{place}: the header is on row {line}; the title rows above it are skipped ({shown}); give --header-row N to choose another"
    )
}

/// Which of the candidate rows is the header: with `--phone-columns`, the first that has
/// every column it names (the first row when it names them by number); else the first that
/// names a phone column ([`columns::header_row`]).
fn choose(names: &[Vec<String>], phone_columns: Option<&[String]>) -> usize {
    match phone_columns {
        Some(wanted) => names
            .iter()
            .position(|n| columns::select_phones(n, wanted).is_ok())
            .unwrap_or(0),
        None => columns::header_row(names),
    }
}

/// The header of a delimited text: the line `--header-row` gives, or the first line that
/// names a phone column among the first non-blank ones (the first line when none does; a
/// blank first line then means there is no header).
fn text_header(text: &TextFile, opts: &InputOptions) -> anyhow::Result<Header> {
    let mut records = text.records(b',', None)?;
    let mut candidates: Vec<RawRecord> = Vec::new();
    let mut rec = RawRecord::default();
    while candidates.len() < columns::HEADER_SCAN
        && records
            .read(&mut rec)
            .with_context(|| format!("{} {}", crate::text::tr("reading", "读取"), text.display))?
    {
        if opts.header_row.is_some_and(|n| rec.line > n) {
            break;
        }
        if !is_blank(&rec.text) && opts.header_row.is_none_or(|n| rec.line == n) {
            candidates.push(std::mem::take(&mut rec));
        }
    }
    let split = |rec: &RawRecord| {
        let delimiter = opts.delimiter.unwrap_or_else(|| dialect::detect_delimiter(&rec.text));
        dialect::header_names(&rec.text, delimiter)
    };
    if let Some(n) = opts.header_row {
        if candidates.is_empty() && crate::text::zh() {
            anyhow::bail!(
                "--header-row {n}：{} 的第 {n} 行没有表头（该行为空、位于带引号的字段内，或已超出文件末尾）",
                text.display
            );
        }
        anyhow::ensure!(
            !candidates.is_empty(),
            "--header-row {n}: {} has no header on line {n} (it is blank, inside a quoted field, or past the end)",
            text.display
        );
    }
    let names: Vec<Vec<String>> = candidates.iter().map(split).collect();
    let found = choose(&names, opts.phone_columns.as_deref());
    let phones_found = names
        .get(found)
        .is_some_and(|r| r.iter().any(|h| columns::phone_relation(h).is_some()));
    // Without a header found (by its phone column, or by --phone-columns below the first
    // line), the header is the first line, as it always was: a blank first line means none.
    match candidates.get(found) {
        Some(first) if phones_found || found > 0 || first.line == 1 || opts.header_row.is_some() => {}
        _ => {
            return Err(anyhow::Error::new(Unreadable(format!(
                "{}: {}",
                text.display,
                crate::text::tr("the input is empty (no header line)", "输入为空（没有表头行）")
            ))));
        }
    }
    let titles = candidates[..found]
        .iter()
        .map(|r| (r.line, String::from_utf8_lossy(&r.text).into_owned()))
        .collect();
    let rec = candidates.swap_remove(found);
    let line = rec.line;
    let header = header_text(rec, &text.display)?;
    let delimiter = opts.delimiter.unwrap_or_else(|| dialect::detect_delimiter(&header));
    Ok(Header {
        line,
        names: dialect::header_names(&header, delimiter),
        delimiter,
        titles,
    })
}

/// The header of a sheet: the row `--header-row` gives, or the first row that names a phone
/// column among the first non-blank ones (else the first non-blank row). A sheet without a
/// row is unreadable (exit 3).
fn sheet_header(book: &excel::Workbook, opts: &InputOptions) -> anyhow::Result<Header> {
    let header_row = opts.header_row;
    let mut rows = book.rows();
    let mut candidates: Vec<(u64, Vec<String>)> = Vec::new();
    while candidates.len() < columns::HEADER_SCAN
        && let Some(row) = rows.next_row()?
    {
        if header_row.is_some_and(|n| row.line > n) {
            break;
        }
        if !row.is_blank() && header_row.is_none_or(|n| row.line == n) {
            let mut names: Vec<String> = row.fields.iter().map(|f| f.trim().to_string()).collect();
            while names.last().is_some_and(String::is_empty) {
                names.pop();
            }
            candidates.push((row.line, names));
        }
    }
    if candidates.is_empty() {
        return Err(match header_row {
            Some(n) if crate::text::zh() => {
                anyhow::anyhow!("--header-row {n}：{} 的第 {n} 行为空或已超出末尾", book.describe())
            }
            Some(n) => anyhow::anyhow!(
                "--header-row {n}: row {n} of {} is blank or past the end",
                book.describe()
            ),
            None => anyhow::Error::new(Unreadable(format!(
                "{}: {}",
                book.describe(),
                crate::text::tr("the sheet is empty", "工作表为空")
            ))),
        });
    }
    let names: Vec<Vec<String>> = candidates.iter().map(|(_, n)| n.clone()).collect();
    let found = choose(&names, opts.phone_columns.as_deref());
    let titles = candidates[..found]
        .iter()
        .map(|(line, n)| (*line, n.join(" ")))
        .collect();
    let (line, names) = candidates.swap_remove(found);
    Ok(Header {
        line,
        names,
        delimiter: b',',
        titles,
    })
}

/// The header line's text, or why it cannot be read: a line over the length limit is
/// unreadable input (exit 3); a quote that does not close is a header no flag can place
/// (exit 2, issue 10: every row then came out bad and the run passed).
fn header_text(rec: RawRecord, display: &str) -> anyhow::Result<Vec<u8>> {
    let shown = String::from_utf8_lossy(&rec.text);
    if crate::text::zh() {
        return header_text_zh(rec.fault, &shown, display).map(|()| rec.text);
    }
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

/// [`header_text`]'s refusals in Chinese (`Ok` for a header without a fault).
fn header_text_zh(fault: Option<Fault>, shown: &str, display: &str) -> anyhow::Result<()> {
    match fault {
        None => Ok(()),
        Some(Fault::TooLong { bytes }) => Err(anyhow::Error::new(Unreadable(format!(
            "{display}：表头行长 {bytes} 字节，超过 {} 字节的上限；其开头为 `{}`",
            records::MAX_LINE,
            clip(shown)
        )))),
        Some(_) => anyhow::bail!(
            "{display}：表头（第 1 行）中有一个带引号的字段没有闭合，因此无法确定任何列：`{}`；请修正表头中的引号",
            clip(shown)
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

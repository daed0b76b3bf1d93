//! The Excel workbooks of `--xlsx`: cleaned.xlsx, numbers.xlsx and customers.xlsx, written
//! with rust_xlsxwriter from the finished CSVs in the run's directory. Reading the CSVs back
//! (one pass each, in order) keeps one source of truth: every value, and the formula guard's
//! quote on cells copied from input, is exactly what the CSV holds, so the files agree.
//!
//! Every cell is written as a string (`write_string`), never parsed as a number: Excel must
//! not show 1.38E+10, drop the + of +8613971234567 or the leading 0 of 02787654321. Only the
//! tool's own counts (line, record, attempts, ...) are numbers. A text cell written this way
//! is never a formula, but cells copied from input keep the guard's quote all the same.
//!
//! Sheets are written in rust_xlsxwriter's constant-memory mode with inline strings, through
//! temporary files in the run's directory: memory stays flat however long numbers.csv is. A
//! sheet that reaches Excel's row limit goes on in another sheet (`numbers_2`, ...).

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use encoding_rs_io::DecodeReaderBytesBuilder;
use rust_xlsxwriter::{Color, Format, Workbook, Worksheet};

use super::OutputEncoding;
use super::labels::{header_label, value_label};
use super::model::ReportOptions;
use super::outputs::Output;
use crate::exit::Unwritable;
use crate::input::Input;
use crate::phone::Lang;

/// Excel's rows per sheet.
const MAX_ROWS: u32 = 1_048_576;
/// Excel's columns per sheet: cells past it are not written (cleaned.csv keeps them).
const MAX_COLS: usize = 16_384;
/// Data rows read before the column widths are fixed (constant-memory mode writes the widths
/// before the first row).
const SAMPLE: usize = 200;
/// The widest column, in characters.
const MAX_WIDTH: usize = 50;
/// Columns written as numbers: the tool's own counts, never copied from input.
const NUMERIC: [&str; 12] = [
    "line",
    "record",
    "attempts",
    "first_line",
    "records",
    "numbers",
    "valid_numbers",
    "own_valid",
    "family_valid",
    "contact_valid",
    "fields",
    "customers",
];

/// How bad a cell's value is, for its fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Severity {
    /// Green.
    Ok,
    /// Amber.
    Warn,
    /// Red.
    Invalid,
}

/// Writes the three workbooks beside the finished CSVs in `opts.out`.
pub(crate) fn write_all(opts: &ReportOptions, input: &Input) -> anyhow::Result<()> {
    let stem = Path::new(&input.display)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned());
    let cleaned = sheet_name(stem.as_deref().filter(|_| input.display != "-"));
    let jobs = [
        (
            Output::Cleaned,
            Output::CleanedXlsx,
            input.delimiter,
            cleaned.as_str(),
            false,
        ),
        (Output::Numbers, Output::NumbersXlsx, b',', "numbers", true),
        (Output::Customers, Output::CustomersXlsx, b',', "customers", true),
    ];
    for (csv, xlsx, delimiter, sheet, typed) in jobs {
        let from = opts.out.join(csv.name());
        let to = opts.out.join(xlsx.name());
        let reader = open_csv(&from, opts.encoding, delimiter)
            .map_err(|e| Unwritable(format!("reading back {}: {e}", from.display())))?;
        write_book(reader, &opts.out, &to, sheet, typed.then_some(opts.lang))
            .map_err(|e| Unwritable(format!("writing {}: {e}", to.display())))?;
    }
    Ok(())
}

/// A valid, distinctive Excel sheet name from the input's file stem: at most 31 characters,
/// none of `[]:*?/\`, no apostrophe at either end; "cleaned" when nothing is left.
fn sheet_name(stem: Option<&str>) -> String {
    let name: String = stem
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .take(31)
        .collect();
    let name = name.trim_matches('\'');
    if name.trim().is_empty() || name.eq_ignore_ascii_case("history") {
        "cleaned".to_owned()
    } else {
        name.to_owned()
    }
}

/// A reader of one finished CSV: decoded to UTF-8 (the BOM dropped, GB18030 transcoded).
fn open_csv(path: &Path, encoding: OutputEncoding, delimiter: u8) -> io::Result<csv::Reader<impl Read>> {
    let file = BufReader::new(File::open(path)?);
    let decoded = DecodeReaderBytesBuilder::new()
        .encoding((encoding == OutputEncoding::Gb18030).then_some(encoding_rs::GB18030))
        .build(file);
    Ok(csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(decoded))
}

/// The formats of a sheet.
struct Formats {
    /// The header row: bold.
    header: Format,
    /// A text cell without a fill.
    text: Format,
    /// A text cell, green.
    ok: Format,
    /// A text cell, amber.
    warn: Format,
    /// A text cell, red.
    invalid: Format,
}

impl Formats {
    /// The formats, with Excel's own light fills for good, neutral and bad.
    fn new() -> Formats {
        // Text cells carry the "@" number format too, so a value typed in later stays text.
        let text = Format::new().set_num_format("@");
        Formats {
            header: Format::new().set_bold().set_num_format("@"),
            ok: text.clone().set_background_color(Color::RGB(0x00C6_EFCE)),
            warn: text.clone().set_background_color(Color::RGB(0x00FF_EB9C)),
            invalid: text.clone().set_background_color(Color::RGB(0x00FF_C7CE)),
            text,
        }
    }

    /// The text format with the fill of `severity`.
    fn fill(&self, severity: Option<Severity>) -> &Format {
        match severity {
            None => &self.text,
            Some(Severity::Ok) => &self.ok,
            Some(Severity::Warn) => &self.warn,
            Some(Severity::Invalid) => &self.invalid,
        }
    }
}

/// What each column of a typed sheet (numbers, customers) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Written as a string, no fill.
    Text,
    /// One of the tool's counts: written as a number.
    Number,
    /// ok, warn or invalid.
    Verdict,
    /// Issue codes: the row's verdict colours them.
    Issues,
    /// A call-history status (status, fine_status, contact_status).
    Status,
    /// keep, retry, retry_later, verify or prune.
    Action,
}

/// The kind of a typed sheet's column, by its header.
fn column_kind(name: &str) -> Kind {
    match name {
        n if NUMERIC.contains(&n) => Kind::Number,
        "verdict" => Kind::Verdict,
        "issues" => Kind::Issues,
        "status" | "fine_status" | "contact_status" => Kind::Status,
        "action" => Kind::Action,
        _ => Kind::Text,
    }
}

/// The severity of a cell, from its column and the row's verdict (issues take the row's
/// verdict; without one, as in customers, any issue is a warning).
fn severity(kind: Kind, value: &str, verdict: Option<&str>) -> Option<Severity> {
    let of_verdict = |v: &str| match v {
        "ok" => Some(Severity::Ok),
        "warn" => Some(Severity::Warn),
        "invalid" => Some(Severity::Invalid),
        _ => None,
    };
    match kind {
        _ if value.is_empty() => None,
        Kind::Verdict => of_verdict(value),
        Kind::Issues => verdict.map_or(Some(Severity::Warn), of_verdict),
        Kind::Status => match value {
            "reached" => Some(Severity::Ok),
            "never_called" => None,
            "empty" | "empty_unconfirmed" | "invalid" | "wrong_party" | "unreachable" | "suspended" => {
                Some(Severity::Invalid)
            }
            _ => Some(Severity::Warn),
        },
        Kind::Action => match value {
            "keep" => Some(Severity::Ok),
            "prune" => Some(Severity::Invalid),
            _ => Some(Severity::Warn),
        },
        Kind::Text | Kind::Number => None,
    }
}

/// One sheet being written, and the ones it rolled over into.
struct Book<'a> {
    /// The workbook the sheets are pushed into at the end.
    workbook: Workbook,
    /// The sheet being written.
    sheet: Worksheet,
    /// Full sheets, to push before the one being written.
    done: Vec<Worksheet>,
    /// The first sheet's name.
    name: &'a str,
    /// The CSV's header, repeated on every sheet.
    header: Vec<String>,
    /// Column widths, in characters.
    widths: Vec<f64>,
    /// What each column is.
    kinds: Vec<Kind>,
    /// The verdict column (numbers.xlsx), which colours the issues.
    verdict: Option<usize>,
    /// The cell formats.
    formats: Formats,
    /// The next row in `sheet`.
    row: u32,
    /// The language of the header and of the status, action and verdict values, for the
    /// tool's own sheets (numbers, customers); `None` for cleaned, whose columns are the
    /// input's. The CSVs keep the machine names.
    lang: Option<Lang>,
}

/// Writes one workbook from `reader` (header first) into `to`, its temporary files in `tmp`;
/// `lang` for a typed sheet of the tool's own columns.
fn write_book(
    mut reader: csv::Reader<impl Read>,
    tmp: &Path,
    to: &Path,
    name: &str,
    lang: Option<Lang>,
) -> anyhow::Result<()> {
    let typed = lang.is_some();
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        Some(r) => r?.iter().take(MAX_COLS).map(str::to_owned).collect(),
        None => Vec::new(),
    };
    let mut sample = Vec::with_capacity(SAMPLE);
    for r in records.by_ref().take(SAMPLE) {
        sample.push(r?);
    }
    let kinds: Vec<Kind> = header
        .iter()
        .map(|h| if typed { column_kind(h) } else { Kind::Text })
        .collect();
    let mut workbook = Workbook::new();
    workbook.set_tempdir(tmp)?;
    let sheet = workbook.new_worksheet_with_constant_memory()?;
    let mut book = Book {
        workbook,
        sheet,
        done: Vec::new(),
        name,
        widths: widths(&header, &sample),
        verdict: header.iter().position(|h| h == "verdict").filter(|_| typed),
        header,
        kinds,
        formats: Formats::new(),
        row: 0,
        lang,
    };
    book.start_sheet(1)?;
    for r in sample.into_iter().map(Ok).chain(records) {
        book.write_row(&r?)?;
    }
    book.save(to)
}

/// Column widths from the header and the first rows: the longest value, CJK characters
/// counting double, between 6 and [`MAX_WIDTH`].
fn widths(header: &[String], sample: &[csv::StringRecord]) -> Vec<f64> {
    let width = |s: &str| s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum::<usize>();
    (0..header.len())
        .map(|i| {
            let longest = sample
                .iter()
                .filter_map(|r| r.get(i))
                .chain(std::iter::once(header[i].as_str()))
                .map(width)
                .max()
                .unwrap_or(0);
            (longest + 2).clamp(6, MAX_WIDTH) as f64
        })
        .collect()
}

impl Book<'_> {
    /// Names the sheet (`numbers`, then `numbers_2`, ...), sets widths and freezes the header,
    /// and writes the header row.
    fn start_sheet(&mut self, n: usize) -> anyhow::Result<()> {
        let name = if n == 1 {
            self.name.to_owned()
        } else {
            let suffix = format!("_{n}");
            let base: String = self.name.chars().take(31 - suffix.len()).collect();
            base + &suffix
        };
        self.sheet.set_name(name)?;
        for (i, w) in self.widths.iter().enumerate() {
            self.sheet.set_column_width(i as u16, *w)?;
        }
        self.sheet.set_freeze_panes(1, 0)?;
        for (i, h) in self.header.iter().enumerate() {
            let h = self.lang.map_or(h.as_str(), |lang| header_label(h, lang));
            self.sheet
                .write_string_with_format(0, i as u16, h, &self.formats.header)?;
        }
        self.row = 1;
        Ok(())
    }

    /// Writes one data row, rolling over into a new sheet at Excel's row limit.
    fn write_row(&mut self, record: &csv::StringRecord) -> anyhow::Result<()> {
        if self.row == MAX_ROWS {
            self.finish_sheet()?;
            let next = self.workbook.new_worksheet_with_constant_memory()?;
            let full = std::mem::replace(&mut self.sheet, next);
            self.done.push(full);
            self.start_sheet(self.done.len() + 1)?;
        }
        let verdict = self.verdict.and_then(|i| record.get(i));
        for (i, value) in record.iter().enumerate().take(MAX_COLS) {
            let col = i as u16;
            let kind = self.kinds.get(i).copied().unwrap_or(Kind::Text);
            if kind == Kind::Number
                && let Ok(n) = value.parse::<u32>()
            {
                self.sheet.write_number(self.row, col, f64::from(n))?;
                continue;
            }
            let format = self.formats.fill(severity(kind, value, verdict));
            let value = match (self.lang, self.header.get(i)) {
                (Some(lang), Some(h)) => value_label(h, value, lang),
                _ => std::borrow::Cow::Borrowed(value),
            };
            self.sheet
                .write_string_with_format(self.row, col, value.as_ref(), format)?;
        }
        self.row += 1;
        Ok(())
    }

    /// The autofilter over the sheet's rows, once they are all written.
    fn finish_sheet(&mut self) -> anyhow::Result<()> {
        if !self.header.is_empty() {
            let last_col = (self.header.len() - 1) as u16;
            self.sheet.autofilter(0, 0, self.row - 1, last_col)?;
        }
        Ok(())
    }

    /// Adds every sheet to the workbook and saves it.
    fn save(mut self, to: &Path) -> anyhow::Result<()> {
        self.finish_sheet()?;
        for sheet in self.done {
            self.workbook.push_worksheet(sheet);
        }
        self.workbook.push_worksheet(self.sheet);
        self.workbook.save(to)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_follow_excel_rules() {
        assert_eq!(sheet_name(Some("contacts")), "contacts");
        assert_eq!(sheet_name(Some("a[1]:b?")), "a_1__b_");
        assert_eq!(sheet_name(Some("'quoted'")), "quoted");
        assert_eq!(sheet_name(None), "cleaned");
        assert_eq!(sheet_name(Some("History")), "cleaned");
        assert_eq!(sheet_name(Some(&"长".repeat(40))).chars().count(), 31);
    }

    #[test]
    fn severities_colour_verdicts_statuses_and_actions() {
        assert_eq!(severity(Kind::Verdict, "invalid", None), Some(Severity::Invalid));
        assert_eq!(severity(Kind::Verdict, "ok", None), Some(Severity::Ok));
        assert_eq!(
            severity(Kind::Issues, "mobile.length", Some("warn")),
            Some(Severity::Warn)
        );
        assert_eq!(severity(Kind::Issues, "", Some("invalid")), None);
        assert_eq!(
            severity(Kind::Issues, "customer.no_landline", None),
            Some(Severity::Warn)
        );
        assert_eq!(severity(Kind::Status, "reached", None), Some(Severity::Ok));
        assert_eq!(severity(Kind::Status, "never_called", None), None);
        assert_eq!(severity(Kind::Status, "empty", None), Some(Severity::Invalid));
        assert_eq!(severity(Kind::Action, "prune", None), Some(Severity::Invalid));
        assert_eq!(severity(Kind::Action, "retry", None), Some(Severity::Warn));
        assert_eq!(severity(Kind::Text, "13971234567", None), None);
    }

    #[test]
    fn widths_count_cjk_double_and_stay_bounded() {
        let header = vec!["手机".to_owned(), "x".to_owned()];
        let sample = vec![csv::StringRecord::from(vec!["13971234567", &"y".repeat(80)])];
        assert_eq!(widths(&header, &sample), [13.0, MAX_WIDTH as f64]);
    }
}

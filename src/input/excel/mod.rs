//! Excel input: `.xlsx`, `.xlsm` and `.xls` workbooks read with calamine, one sheet of them.
//!
//! A workbook is told by its content (`encoding::not_text`: a ZIP holding `xl/` parts, or an
//! OLE compound file), never by its name. The sheet is the first worksheet, or the one
//! `--sheet` names (a name, else a 1-based number). Its rows are read on a thread of their own
//! (`read`) and handed over in small batches through a bounded channel, so memory stays
//! bounded: an `.xlsx` sheet is streamed cell by cell from its XML (calamine's
//! `XlsxCellReader`), never loaded whole; an `.xls` sheet (at most 65,536 rows) is read as one
//! range. Only the workbook's shared-string table, which calamine reads whole, grows with the
//! file. Measured (release build, `/usr/bin/time -v`, tests/data/xlsx/make_big_xlsx.py): a
//! 1,000,000-row sheet with 3 phone columns peaks at 91.5 MB resident, 100,000 rows at 87 MB,
//! the same million rows as CSV at 81 MB.
//!
//! Cells become text with their type (`cell`); the contact input takes them as rows of cells
//! (`source`), and the call-history logs, which are read as text records, as CSV text whose
//! line N is the sheet's row N (`text`).

mod cell;
mod read;
mod source;
mod text;

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use calamine::{Reader as _, SheetType, Xls, Xlsx, XlsxError};

use super::columns;
use crate::exit::Unreadable;

pub(crate) use read::SheetRows;
pub(crate) use source::ExcelRows;
pub(crate) use text::SheetText;

/// The two workbook formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Excel 2007 and later (`.xlsx`, `.xlsm`): a ZIP of XML parts.
    Xlsx,
    /// Excel 97-2003 (`.xls`): BIFF records in an OLE compound file.
    Xls,
}

impl Kind {
    /// The name used in reports and messages: `xlsx` or `xls`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Xlsx => "xlsx",
            Kind::Xls => "xls",
        }
    }
}

/// An opened workbook and the sheet to read.
#[derive(Debug, Clone)]
pub(crate) struct Workbook {
    /// The file read (a spool file for standard input).
    file: PathBuf,
    /// The path as the user gave it, for messages.
    display: String,
    /// Its format.
    pub(crate) kind: Kind,
    /// The sheet read.
    pub(crate) sheet: String,
}

impl Workbook {
    /// Opens `file` as a workbook of `kind` and picks the sheet `sheet` names (`--sheet`), or
    /// the first. A workbook that cannot be read (damaged, password-protected, without a
    /// worksheet) is [`Unreadable`] (exit 3); a sheet it does not have is a usage error
    /// (exit 2) that lists its sheets.
    pub(crate) fn open(file: &Path, display: &str, kind: Kind, sheet: Option<&str>) -> anyhow::Result<Workbook> {
        let sheets = worksheets(file, kind).map_err(|why| unreadable_book(display, kind, &why))?;
        if sheets.is_empty() {
            return Err(anyhow::Error::new(Unreadable(format!(
                "{display}: the workbook has no worksheet"
            ))));
        }
        let sheet = match sheet {
            None => sheets[0].clone(),
            Some(wanted) => pick(&sheets, wanted).ok_or_else(|| {
                anyhow::anyhow!(
                    "--sheet `{wanted}`: {display} has no such sheet; its sheets are {} (give a name or a 1-based number)",
                    columns::list(&sheets)
                )
            })?,
        };
        Ok(Workbook {
            file: file.to_path_buf(),
            display: display.to_string(),
            kind,
            sheet,
        })
    }

    /// The sheet's rows, read on a thread of their own from the start.
    pub(crate) fn rows(&self) -> SheetRows {
        SheetRows::spawn(self.file.clone(), self.kind, self.sheet.clone(), &self.display)
    }

    /// Where the rows are read from, for messages: `book.xlsx, sheet 客户`.
    pub(crate) fn describe(&self) -> String {
        format!("{}, sheet {}", self.display, self.sheet)
    }
}

/// `wanted` among `sheets`: an exact name, a name equal but for case and spaces around it,
/// or a 1-based number.
fn pick(sheets: &[String], wanted: &str) -> Option<String> {
    let w = wanted.trim();
    sheets
        .iter()
        .find(|s| *s == wanted)
        .or_else(|| sheets.iter().find(|s| s.trim().to_lowercase() == w.to_lowercase()))
        .or_else(|| {
            w.parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| sheets.get(i))
        })
        .cloned()
}

/// The names of the workbook's worksheets (chart and macro sheets hold no rows); `Err` says
/// why it cannot be opened.
fn worksheets(file: &Path, kind: Kind) -> Result<Vec<String>, String> {
    let open = || File::open(file).map(BufReader::new).map_err(|e| e.to_string());
    let sheets = match kind {
        Kind::Xlsx => Xlsx::new(open()?)
            .map_err(|e| e.to_string())?
            .sheets_metadata()
            .to_vec(),
        Kind::Xls => {
            // An encrypted .xlsx is an OLE file too: calamine's xlsx opener names it.
            if let Err(XlsxError::Password) = Xlsx::new(open()?) {
                return Err(XlsxError::Password.to_string());
            }
            Xls::new(open()?).map_err(|e| e.to_string())?.sheets_metadata().to_vec()
        }
    };
    Ok(sheets
        .into_iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name)
        .collect())
}

/// A workbook that cannot be read, in words that say what to do.
fn unreadable_book(display: &str, kind: Kind, why: &str) -> anyhow::Error {
    if crate::text::zh() {
        let hint = if why.to_lowercase().contains("password") {
            "文件设有密码保护：请在 Excel 中打开，去掉密码（文件 > 信息 > 保护工作簿）后重新保存"
        } else {
            "文件可能已损坏，或根本不是工作簿：请在 Excel 中打开后重新保存，或把工作表另存为 CSV UTF-8"
        };
        return anyhow::Error::new(Unreadable(format!(
            "{display}：无法作为 Excel 工作簿（.{}）读取：{why}；{hint}",
            kind.as_str()
        )));
    }
    let hint = if why.to_lowercase().contains("password") {
        "it is password-protected: open it in Excel, remove the password (File > Info > Protect Workbook) \
         and save it again"
    } else {
        "it may be damaged or not a workbook at all: open it in Excel and save it again, or save the sheet as CSV UTF-8"
    };
    anyhow::Error::new(Unreadable(format!(
        "{display}: cannot be read as an Excel workbook (.{}): {why}; {hint}",
        kind.as_str()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_are_picked_by_name_then_number() {
        let sheets: Vec<String> = ["说明", "客户", "2"].iter().map(ToString::to_string).collect();
        assert_eq!(pick(&sheets, "客户").as_deref(), Some("客户"));
        assert_eq!(pick(&sheets, " 客户 ").as_deref(), Some("客户"));
        // A sheet named "2" is the name, not the second sheet.
        assert_eq!(pick(&sheets, "2").as_deref(), Some("2"));
        assert_eq!(pick(&sheets, "1").as_deref(), Some("说明"));
        assert_eq!(pick(&sheets, "4"), None);
        assert_eq!(pick(&sheets, "0"), None);
        assert_eq!(pick(&sheets, "Sheet9"), None);
    }
}

//! The sheet reader thread: cells in sheet order, gathered into rows, sent in small batches
//! through a bounded channel, so at most a few batches are in memory whatever the sheet's
//! size. The thread stops when the receiver is dropped (the run stopped reading).

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use calamine::{Reader as _, Xls, Xlsx};

use super::Kind;
use super::cell::{Value, render};
use crate::exit::Unreadable;
use crate::input::dialect::Fields;
use crate::input::rows::CellType;

/// Rows sent at a time.
const BATCH: usize = 256;
/// Batches in flight between the reader thread and the run.
const IN_FLIGHT: usize = 4;

/// One sheet row: its 1-based row number and its cells from column A, with their types.
#[derive(Debug, Default)]
pub(crate) struct SheetRow {
    /// The row number Excel shows.
    pub(crate) line: u64,
    /// The cells' text, from column A to the last cell the row holds.
    pub(crate) fields: Fields,
    /// What each cell held.
    pub(crate) types: Vec<CellType>,
}

impl SheetRow {
    /// True when no cell holds anything but spaces.
    pub(crate) fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }
}

/// What the reader thread sends.
enum Msg {
    /// The sheet's height as its dimensions declare it (the last row's number).
    Height(u64),
    /// Rows, in order.
    Rows(Vec<SheetRow>),
    /// Reading failed: why.
    Fail(String),
}

/// The rows of a sheet, from a reader thread.
pub(crate) struct SheetRows {
    rx: Receiver<Msg>,
    batch: std::vec::IntoIter<SheetRow>,
    thread: Option<JoinHandle<()>>,
    height: Option<u64>,
    /// A failure received while waiting for the height, reported by `next_row`.
    failed: Option<String>,
    /// `book.xlsx, sheet 客户`, for messages.
    describe: String,
}

impl SheetRows {
    /// Starts reading `sheet` of `file` on a new thread.
    pub(super) fn spawn(file: PathBuf, kind: Kind, sheet: String, display: &str) -> SheetRows {
        let (tx, rx) = sync_channel(IN_FLIGHT);
        let describe = format!("{display}, sheet {sheet}");
        let thread = std::thread::Builder::new()
            .name("excel-reader".into())
            .spawn(move || {
                let mut rows = Gather::new(tx.clone());
                let read = match kind {
                    Kind::Xlsx => read_xlsx(&file, &sheet, &mut rows),
                    Kind::Xls => read_xls(&file, &sheet, &mut rows),
                };
                match read.and_then(|()| rows.finish()) {
                    Ok(()) | Err(Stop::Gone) => {}
                    Err(Stop::Failed(why)) => {
                        let _ = tx.send(Msg::Fail(why));
                    }
                }
            })
            .map_err(|e| format!("no reader thread could be started: {e}"));
        let (thread, failed) = match thread {
            Ok(t) => (Some(t), None),
            Err(why) => (None, Some(why)),
        };
        SheetRows {
            rx,
            batch: Vec::new().into_iter(),
            thread,
            height: None,
            failed,
            describe,
        }
    }

    /// The next row; `None` at the end of the sheet. A sheet that cannot be read on is
    /// [`Unreadable`] (exit 3).
    pub(crate) fn next_row(&mut self) -> anyhow::Result<Option<SheetRow>> {
        loop {
            if let Some(row) = self.batch.next() {
                return Ok(Some(row));
            }
            if let Some(why) = self.failed.take() {
                return Err(self.unreadable(&why));
            }
            match self.rx.recv() {
                Ok(Msg::Rows(rows)) => self.batch = rows.into_iter(),
                Ok(Msg::Height(h)) => self.height = Some(h),
                Ok(Msg::Fail(why)) => return Err(self.unreadable(&why)),
                Err(_) => return self.ended(),
            }
        }
    }

    /// The sheet's declared height, once the reader has started (0 when it declares none).
    pub(crate) fn height(&mut self) -> u64 {
        if self.height.is_none() && self.batch.len() == 0 && self.failed.is_none() {
            match self.rx.recv() {
                Ok(Msg::Height(h)) => self.height = Some(h),
                Ok(Msg::Rows(rows)) => self.batch = rows.into_iter(),
                Ok(Msg::Fail(why)) => self.failed = Some(why),
                Err(_) => {}
            }
        }
        self.height.unwrap_or(0)
    }

    /// The channel closed: the end of the sheet, unless the thread panicked.
    fn ended(&mut self) -> anyhow::Result<Option<SheetRow>> {
        match self.thread.take().map(JoinHandle::join) {
            Some(Err(_)) => Err(self.unreadable("the reader stopped unexpectedly")),
            _ => Ok(None),
        }
    }

    fn unreadable(&self, why: &str) -> anyhow::Error {
        anyhow::Error::new(Unreadable(format!("{}: {why}", self.describe)))
    }
}

/// Why the reader thread stops early.
enum Stop {
    /// The receiver is gone: nobody reads on.
    Gone,
    /// The workbook could not be read on.
    Failed(String),
}

/// Cells gathered into rows, sent in batches.
struct Gather {
    tx: SyncSender<Msg>,
    batch: Vec<SheetRow>,
    row: Option<SheetRow>,
    text: String,
}

impl Gather {
    fn new(tx: SyncSender<Msg>) -> Gather {
        Gather {
            tx,
            batch: Vec::with_capacity(BATCH),
            row: None,
            text: String::new(),
        }
    }

    fn send(&self, msg: Msg) -> Result<(), Stop> {
        self.tx.send(msg).map_err(|_| Stop::Gone)
    }

    /// Adds the cell at 0-based (`row`, `col`). Cells come in sheet order; a cell at or left
    /// of one already read in its row (a file out of order) is dropped.
    fn cell(&mut self, row: u32, col: u32, value: Value<'_>) -> Result<(), Stop> {
        if matches!(value, Value::Empty) {
            return Ok(());
        }
        let line = u64::from(row) + 1;
        if self.row.as_ref().is_some_and(|r| r.line != line) {
            self.flush_row()?;
        }
        let current = self.row.get_or_insert_with(|| SheetRow {
            line,
            ..SheetRow::default()
        });
        let col = col as usize;
        if col < current.fields.len() {
            return Ok(());
        }
        while current.fields.len() < col {
            current.fields.push("");
            current.types.push(CellType::Empty);
        }
        self.text.clear();
        let kind = render(value, &mut self.text);
        current.fields.push(&self.text);
        current.types.push(kind);
        Ok(())
    }

    fn flush_row(&mut self) -> Result<(), Stop> {
        if let Some(row) = self.row.take() {
            self.batch.push(row);
            if self.batch.len() >= BATCH {
                let full = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
                self.send(Msg::Rows(full))?;
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Result<(), Stop> {
        self.flush_row()?;
        let rest = std::mem::take(&mut self.batch);
        if !rest.is_empty() {
            self.send(Msg::Rows(rest))?;
        }
        Ok(())
    }
}

/// Streams an `.xlsx` sheet cell by cell from its XML.
fn read_xlsx(file: &std::path::Path, sheet: &str, rows: &mut Gather) -> Result<(), Stop> {
    let failed = |e: &dyn std::fmt::Display| Stop::Failed(e.to_string());
    let reader = File::open(file).map_err(|e| failed(&e))?;
    let mut book: Xlsx<_> = Xlsx::new(BufReader::new(reader)).map_err(|e| failed(&e))?;
    let mut cells = book.worksheet_cells_reader(sheet).map_err(|e| failed(&e))?;
    let dims = cells.dimensions();
    let height = if dims.end == (0, 0) {
        0
    } else {
        u64::from(dims.end.0) + 1
    };
    rows.send(Msg::Height(height))?;
    while let Some(cell) = cells.next_cell().map_err(|e| failed(&e))? {
        let (row, col) = cell.get_position();
        rows.cell(row, col, Value::from(cell.get_value()))?;
    }
    Ok(())
}

/// Reads an `.xls` sheet as one range: the format holds at most 65,536 rows.
fn read_xls(file: &std::path::Path, sheet: &str, rows: &mut Gather) -> Result<(), Stop> {
    let failed = |e: &dyn std::fmt::Display| Stop::Failed(e.to_string());
    let reader = File::open(file).map_err(|e| failed(&e))?;
    let mut book: Xls<_> = Xls::new(BufReader::new(reader)).map_err(|e| failed(&e))?;
    let range = book.worksheet_range(sheet).map_err(|e| failed(&e))?;
    let (top, left) = range.start().unwrap_or((0, 0));
    rows.send(Msg::Height(range.end().map_or(0, |(r, _)| u64::from(r) + 1)))?;
    for (i, cells) in range.rows().enumerate() {
        for (j, data) in cells.iter().enumerate() {
            rows.cell(top + i as u32, left + j as u32, Value::from(data))?;
        }
    }
    Ok(())
}

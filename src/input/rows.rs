//! Rows: what the audit pipeline reads, whatever the file format.
//!
//! A `RowSource` fills [`Row`]s on the reading thread; the workers take each row's cells
//! through [`Row::cells`]. A CSV row carries its raw record and is split there, on the worker
//! thread, into one buffer (no `String` per field), so reading stays the only serial part and
//! a malformed record still passes through unchanged. A spreadsheet reader delivers cells
//! already split, each with what it held ([`CellType`]); it becomes one more source.

use std::borrow::Cow;
use std::io::BufRead;

use anyhow::Context as _;

use super::dialect::Fields;
use super::records::{Fault, RawRecord, RecordReader};

/// Reads an input's data rows (the header is the `Input`'s), in order, on one thread.
pub(crate) trait RowSource: Send {
    /// Reads the next row into `row`, reusing its buffers; false at the end of the input.
    /// Blank rows are not rows: a source skips them.
    fn read(&mut self, row: &mut Row) -> anyhow::Result<bool>;
}

/// What a cell held, for sources whose cells are typed (a spreadsheet); CSV cells are text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CellType {
    /// A string (or a boolean or error value, as its text).
    Text,
    /// A number that is not an integer below 2^53, in its shortest round-trip text; read as
    /// text.
    Float,
    /// A number that is an integer below 2^53 (every such value is exact in an f64), as its
    /// exact digits: a phone stored as a number (`13971234567`, shown as `1.39712E+10`).
    Int,
    /// A date, time or date-time, rendered from its stored value.
    Date,
    /// An empty cell.
    Empty,
}

/// One data row: where it starts, and its record text or its cells.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    data: Data,
}

#[derive(Debug, Clone)]
enum Data {
    /// A record as it stood in a delimited text file; split when its cells are asked for.
    Record(RawRecord),
    /// Cells already split by the source, with their types.
    Cells {
        line: u64,
        fields: Fields,
        types: Vec<CellType>,
    },
}

impl Default for Row {
    fn default() -> Self {
        Row {
            data: Data::Record(RawRecord::default()),
        }
    }
}

impl Row {
    /// The 1-based line (or sheet row) the row starts on.
    pub(crate) fn line(&self) -> u64 {
        match &self.data {
            Data::Record(rec) => rec.line,
            Data::Cells { line, .. } => *line,
        }
    }

    /// The row's cells, each a `&str`: a record is split with `delimiter` (quotes removed,
    /// `""` unescaped) into one buffer; cells already split are borrowed.
    pub(crate) fn cells(&self, delimiter: u8) -> Cow<'_, Fields> {
        match &self.data {
            Data::Record(rec) => Cow::Owned(Fields::split(&rec.text, delimiter)),
            Data::Cells { fields, .. } => Cow::Borrowed(fields),
        }
    }

    /// The record's text as it stood, for passing a malformed row through byte for byte;
    /// none for a row that arrived as cells (writing cells back is the report's job).
    pub(crate) fn text(&self) -> Option<&[u8]> {
        match &self.data {
            Data::Record(rec) => Some(&rec.text),
            Data::Cells { .. } => None,
        }
    }

    /// The length of the row's text in bytes (for progress).
    pub(crate) fn len(&self) -> usize {
        match &self.data {
            Data::Record(rec) => rec.text.len(),
            Data::Cells { fields, .. } => fields.iter().map(str::len).sum(),
        }
    }

    /// Why the record could not be cut as its quoting says (a stray or unclosed quote, a
    /// line over the length limit), if it could not.
    pub(crate) fn fault(&self) -> Option<Fault> {
        match &self.data {
            Data::Record(rec) => rec.fault,
            Data::Cells { .. } => None,
        }
    }

    /// True when the row holds a NUL byte.
    pub(crate) fn has_nul(&self) -> bool {
        match &self.data {
            Data::Record(rec) => memchr::memchr(0, &rec.text).is_some(),
            Data::Cells { fields, .. } => fields.iter().any(|f| f.contains('\0')),
        }
    }

    /// The record buffer to read a delimited record into (the row becomes a record row).
    fn record_mut(&mut self) -> &mut RawRecord {
        if !matches!(self.data, Data::Record(_)) {
            self.data = Data::Record(RawRecord::default());
        }
        match &mut self.data {
            Data::Record(rec) => rec,
            Data::Cells { .. } => unreachable!("the row was just made a record"),
        }
    }
}

/// Rows of cells, for a spreadsheet source.
impl Row {
    /// Makes the row a row of `fields` starting on `line`, each with its type.
    pub(crate) fn set_cells(&mut self, line: u64, fields: Fields, types: Vec<CellType>) {
        self.data = Data::Cells { line, fields, types };
    }

    /// True when cell `i` held a number stored as an exact integer ([`CellType::Int`]).
    pub(crate) fn is_integer(&self, i: usize) -> bool {
        self.cell_type(i) == CellType::Int
    }

    /// What cell `i` held: [`CellType::Text`] for a delimited record's cells.
    pub(crate) fn cell_type(&self, i: usize) -> CellType {
        match &self.data {
            Data::Record(_) => CellType::Text,
            Data::Cells { types, .. } => types.get(i).copied().unwrap_or(CellType::Empty),
        }
    }
}

/// The rows of a delimited text file, after its header.
pub(crate) struct CsvRows<R> {
    records: RecordReader<R>,
    /// The path, for messages.
    display: String,
}

impl<R> CsvRows<R> {
    /// Rows from `records`, positioned after the header.
    pub(crate) fn new(records: RecordReader<R>, display: String) -> Self {
        CsvRows { records, display }
    }
}

impl<R: BufRead + Send> RowSource for CsvRows<R> {
    fn read(&mut self, row: &mut Row) -> anyhow::Result<bool> {
        let rec = row.record_mut();
        loop {
            if !self
                .records
                .read(rec)
                .with_context(|| format!("{} {}", crate::text::tr("reading", "读取"), self.display))?
            {
                return Ok(false);
            }
            // A blank line is not a record; it is kept out of every output.
            if !rec.text.is_empty() {
                return Ok(true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_rows(input: &'static [u8]) -> Vec<Row> {
        let mut source = CsvRows::new(RecordReader::new(input, b','), "t.csv".into());
        let mut rows = Vec::new();
        let mut row = Row::default();
        while source.read(&mut row).unwrap() {
            rows.push(std::mem::take(&mut row));
        }
        rows
    }

    #[test]
    fn csv_rows_skip_empty_lines_and_split_on_demand() {
        let rows = csv_rows(b"1,\"a,b\"\n\n2,\"x\"\"y\"\r\n \n3,\"open\n");
        let lines: Vec<u64> = rows.iter().map(Row::line).collect();
        assert_eq!(lines, [1, 3, 4, 5]);
        let cells = rows[0].cells(b',');
        assert!(matches!(cells, Cow::Owned(_)));
        assert_eq!(cells.iter().collect::<Vec<_>>(), ["1", "a,b"]);
        assert_eq!(rows[1].cells(b',').get(1), "x\"y");
        assert_eq!(rows[0].text(), Some(&b"1,\"a,b\""[..]));
        assert_eq!((rows[0].len(), rows[2].len()), (7, 1));
        assert_eq!(rows[0].cell_type(1), CellType::Text);
        assert!(rows[0].fault().is_none() && rows[3].fault().is_some());
    }

    #[test]
    fn rows_of_cells_are_borrowed() {
        let mut row = Row::default();
        let mut fields = Fields::default();
        for f in ["13800138000", "a,b", ""] {
            fields.push(f);
        }
        row.set_cells(7, fields, vec![CellType::Int, CellType::Text, CellType::Empty]);
        assert_eq!(row.line(), 7);
        let cells = row.cells(b';');
        assert!(matches!(cells, Cow::Borrowed(_)));
        assert_eq!(cells.iter().collect::<Vec<_>>(), ["13800138000", "a,b", ""]);
        assert_eq!(row.text(), None);
        assert_eq!(
            (row.cell_type(0), row.cell_type(2), row.cell_type(9)),
            (CellType::Int, CellType::Empty, CellType::Empty)
        );
        assert_eq!(row.len(), 14);
        assert!(!row.has_nul() && row.fault().is_none());
        assert!(row.is_integer(0) && !row.is_integer(1));
        // A row is reused: setting it again keeps nothing of the last one.
        let mut fields = Fields::default();
        fields.push("x\0");
        row.set_cells(8, fields, vec![CellType::Text]);
        assert_eq!((row.cells(b',').len(), row.has_nul()), (1, true));
        // And a delimited source can take it back.
        let mut source = CsvRows::new(RecordReader::new(&b"a,b\n"[..], b','), "t.csv".into());
        assert!(source.read(&mut row).unwrap());
        assert_eq!((row.line(), row.text()), (1, Some(&b"a,b"[..])));
    }
}

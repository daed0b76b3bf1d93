//! The contact input's rows from a sheet: a [`RowSource`] like the CSV one, whose rows arrive
//! as cells with their types. Rows up to the header and blank rows are skipped; a row is read
//! to the header's width (cells Excel does not store, empty at the end of a row, are empty
//! cells, not a short row), and blank cells past the header's last column are dropped.

use super::read::{SheetRow, SheetRows};
use crate::input::rows::{CellType, Row, RowSource};

/// The data rows of a sheet, after its header row.
pub(crate) struct ExcelRows {
    rows: SheetRows,
    /// The header's row number: this row and those above it are not data.
    header: u64,
    /// The header's width.
    width: usize,
}

impl ExcelRows {
    /// The rows of `rows` after row `header`, read to `width` cells.
    pub(crate) fn new(rows: SheetRows, header: u64, width: usize) -> ExcelRows {
        ExcelRows { rows, header, width }
    }
}

impl RowSource for ExcelRows {
    fn read(&mut self, row: &mut Row) -> anyhow::Result<bool> {
        while let Some(mut r) = self.rows.next_row()? {
            if r.line <= self.header || r.is_blank() {
                continue;
            }
            fit(&mut r, self.width);
            row.set_cells(r.line, r.fields, r.types);
            return Ok(true);
        }
        Ok(false)
    }
}

/// Pads `row` with empty cells to `width`, and drops blank cells past it.
pub(crate) fn fit(row: &mut SheetRow, width: usize) {
    while row.fields.len() < width {
        row.fields.push("");
        row.types.push(CellType::Empty);
    }
    let mut keep = row.fields.len();
    while keep > width && row.fields.get(keep - 1).trim().is_empty() {
        keep -= 1;
    }
    row.fields.truncate(keep);
    row.types.truncate(keep);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> SheetRow {
        let mut r = SheetRow::default();
        for c in cells {
            r.fields.push(c);
            r.types
                .push(if c.is_empty() { CellType::Empty } else { CellType::Text });
        }
        r
    }

    #[test]
    fn rows_are_read_to_the_header_width() {
        let mut short = row(&["1", "13971234567"]);
        fit(&mut short, 4);
        assert_eq!(short.fields.iter().collect::<Vec<_>>(), ["1", "13971234567", "", ""]);
        assert_eq!(short.types.len(), 4);
        let mut long = row(&["1", "2", "", " ", ""]);
        fit(&mut long, 2);
        assert_eq!(long.fields.len(), 2);
        // A cell with text past the header is kept: the row is then wider than the header.
        let mut wide = row(&["1", "2", "", "x", ""]);
        fit(&mut wide, 2);
        assert_eq!((wide.fields.len(), wide.types.len()), (4, 4));
    }
}

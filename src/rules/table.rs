//! A tiny reader for the rule tables: CSV with `#` comment lines and an exact header.
//!
//! Every rule file goes through [`parse`], so every file reports its bad lines the same
//! way (`file:line: message`) and a rules set is judged whole before any record is read.

use std::fmt;

/// One problem in a rules file, with the line it was found on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// The file's name inside the rules directory, e.g. `cn/area-codes.csv`.
    pub file: String,
    /// The 1-based line number, or 0 when the problem concerns the whole file.
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// Collects the errors of one rules file while its rows are parsed.
pub(crate) struct Errors<'a> {
    file: &'a str,
    list: &'a mut Vec<RuleError>,
}

impl<'a> Errors<'a> {
    pub(crate) fn new(file: &'a str, list: &'a mut Vec<RuleError>) -> Self {
        Errors { file, list }
    }

    /// Records a problem on `line`.
    pub(crate) fn push(&mut self, line: u64, message: impl Into<String>) {
        self.list.push(RuleError {
            file: self.file.to_string(),
            line,
            message: message.into(),
        });
    }
}

/// Byte offset to 1-based line number, for readers (CSV, TOML) that report offsets.
pub(crate) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    /// The line starts of `text`.
    pub(crate) fn new(text: &str) -> Lines {
        let breaks = text
            .bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .map(|(i, _)| i + 1);
        Lines {
            starts: std::iter::once(0).chain(breaks).collect(),
        }
    }

    /// The line holding byte `offset`.
    pub(crate) fn of(&self, offset: usize) -> u64 {
        self.starts.partition_point(|&s| s <= offset) as u64
    }
}

/// One data row of a rules table: its fields and the line it came from.
pub(crate) struct Row {
    pub(crate) line: u64,
    pub(crate) fields: Vec<String>,
}

impl Row {
    /// The field at `i`, trimmed.
    pub(crate) fn get(&self, i: usize) -> &str {
        self.fields.get(i).map_or("", |s| s.trim())
    }
}

/// Parses `text` as a table whose header must equal `columns`. Rows with the wrong number of
/// fields are reported and skipped; the rest are returned in file order.
pub(crate) fn parse(text: &str, columns: &[&str], errors: &mut Errors<'_>) -> Vec<Row> {
    // Comment and blank lines become a lone `#` record that is skipped below: the CSV reader
    // would otherwise swallow them into the next record's position and misnumber its line.
    let blanked: String = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with('#') || l.trim().is_empty() {
                "#"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(blanked.as_bytes());
    // Line numbers come from byte offsets: the reader's own line count skips leading blanks.
    let lines = Lines::new(&blanked);
    let line_of = |pos: Option<&csv::Position>| pos.map_or(0, |p| lines.of(p.byte() as usize));
    let mut rows = Vec::new();
    let mut header_seen = false;
    for result in reader.records() {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let line = line_of(e.position());
                errors.push(line, format!("unreadable CSV: {e}"));
                continue;
            }
        };
        let line = line_of(record.position());
        if record.len() == 1 && &record[0] == "#" {
            continue;
        }
        if !header_seen {
            header_seen = true;
            let found: Vec<&str> = record.iter().map(str::trim).collect();
            if found != columns {
                errors.push(
                    line,
                    format!("header must be `{}`, found `{}`", columns.join(","), found.join(",")),
                );
                return Vec::new();
            }
            continue;
        }
        if record.len() != columns.len() {
            errors.push(
                line,
                format!("expected {} fields, found {}", columns.len(), record.len()),
            );
            continue;
        }
        rows.push(Row {
            line,
            fields: record.iter().map(str::to_string).collect(),
        });
    }
    if !header_seen {
        errors.push(0, format!("no header: expected `{}`", columns.join(",")));
    }
    rows
}

/// Parses a list file: one entry per line, blank lines skipped. A comment is a line that is
/// `#` alone or starts with `# `, so entries such as `#N/A` (Excel's error text, a common
/// placeholder) can be listed.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (u64, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && *l != "#" && !l.starts_with("# "))
}

/// True when `s` is a non-empty string of ASCII digits.
pub(crate) fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_mismatch_is_reported_with_line() {
        let mut list = Vec::new();
        let mut errors = Errors::new("x.csv", &mut list);
        let rows = parse("# c\na,b\n1,2\n", &["a", "c"], &mut errors);
        assert!(rows.is_empty());
        assert_eq!(list[0].to_string(), "x.csv:2: header must be `a,c`, found `a,b`");
    }

    #[test]
    fn short_rows_are_reported_and_skipped() {
        let mut list = Vec::new();
        let mut errors = Errors::new("x.csv", &mut list);
        let rows = parse("a,b\n# c\n\n1,2\n3\n4,5\n", &["a", "b"], &mut errors);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 6);
        assert_eq!(list[0].to_string(), "x.csv:5: expected 2 fields, found 1");
    }
}

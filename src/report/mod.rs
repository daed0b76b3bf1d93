//! Report: every output the audit writes, and only here. `audit` hands over typed rows
//! ([`rows`]) and the finished run ([`Run`]); this module alone knows the output names
//! ([`Output`]), the formats (CSV, summary.json, report.md) and their escaping. It never
//! imports `audit`.
//!
//! Every file is written under a temporary name in the run's own directory and renamed when
//! complete; the finished set is moved into `--out` whole ([`OutputSet`]), after the checks of
//! [`guard`] made sure it replaces no input and writes through no link.

mod atomic;
mod calendar;
mod csv;
pub(crate) mod guard;
mod html;
pub(crate) mod json;
mod junit;
pub(crate) mod labels;
pub(crate) mod markdown;
mod model;
mod outputs;
pub(crate) mod rows;
mod set;
mod summary;
mod xlsx;

pub(crate) use calendar::CalendarGap;
pub(crate) use csv::OutputEncoding;
pub(crate) use csv::{CsvFile, FormulaGuard};
pub(crate) use model::{GateStatus, ReportOptions, Run, Shared, ThresholdResult};
pub(crate) use outputs::{Output, help as outputs_help};
pub(crate) use rows::{BadRow, NumberRow, PruneRow, RemovedRow};
pub(crate) use set::OutputSet;
pub(crate) use summary::{CallCounts, KINDS, Summary};

/// What one record adds to the files written while records stream: formatted, terminated
/// rows, filled on a worker thread and written in input order.
#[derive(Debug, Default)]
pub(crate) struct RecordOut {
    /// The record for cleaned.csv.
    pub(crate) cleaned: Vec<u8>,
    /// Rows for numbers.csv.
    pub(crate) numbers: Vec<u8>,
    /// Rows for removed.csv.
    pub(crate) removed: Vec<u8>,
    /// A row for bad_rows.csv, when malformed.
    pub(crate) bad: Vec<u8>,
    /// Rows for prune.csv (with `--history`).
    pub(crate) prune: Vec<u8>,
}

/// The CSV outputs written while records stream.
pub(crate) struct Streams {
    numbers: CsvFile,
    cleaned: CsvFile,
    removed: CsvFile,
    bad: CsvFile,
    prune: Option<CsvFile>,
}

impl Streams {
    /// Creates the streamed outputs in `opts.out`. cleaned.csv repeats the input's header in
    /// the input's delimiter; prune.csv is written only with a history.
    pub(crate) fn create(
        opts: &ReportOptions,
        headers: &[String],
        delimiter: u8,
        history: bool,
    ) -> anyhow::Result<Streams> {
        let (dir, enc) = (opts.out.as_path(), opts.encoding);
        let mut header = Vec::new();
        rows::write_cleaned_header(&mut header, headers.iter().map(String::as_str), delimiter, opts.guard);
        let prune = if history {
            Some(CsvFile::create(dir, Output::Prune, enc, &PruneRow::HEADER)?)
        } else {
            None
        };
        Ok(Streams {
            numbers: CsvFile::create(dir, Output::Numbers, enc, &NumberRow::HEADER)?,
            cleaned: CsvFile::with_header_line(dir, Output::Cleaned, enc, &header)?,
            removed: CsvFile::create(dir, Output::Removed, enc, &RemovedRow::HEADER)?,
            bad: CsvFile::create(dir, Output::BadRows, enc, &BadRow::HEADER)?,
            prune,
        })
    }

    /// Writes the rows of one record, or of a run of records.
    pub(crate) fn write(&mut self, rec: &RecordOut) -> anyhow::Result<()> {
        self.cleaned.write_rows(&rec.cleaned)?;
        self.numbers.write_rows(&rec.numbers)?;
        self.removed.write_rows(&rec.removed)?;
        self.bad.write_rows(&rec.bad)?;
        if let Some(prune) = &mut self.prune {
            prune.write_rows(&rec.prune)?;
        }
        Ok(())
    }

    /// The files, to commit with the rest of the run's outputs.
    pub(crate) fn into_files(self) -> Vec<CsvFile> {
        let mut files = vec![self.numbers, self.cleaned, self.removed, self.bad];
        files.extend(self.prune);
        files
    }
}

/// Creates a CSV output that is written whole after the stream (customers, shared, orphans,
/// compliance): its header, then each row `write` appends.
pub(crate) fn table<T>(
    opts: &ReportOptions,
    output: Output,
    header: &[&str],
    items: impl IntoIterator<Item = T>,
    mut write: impl FnMut(&T, &mut Vec<u8>),
) -> anyhow::Result<CsvFile> {
    let mut csv = CsvFile::create(&opts.out, output, opts.encoding, header)?;
    let mut buf = Vec::new();
    for item in items {
        buf.clear();
        write(&item, &mut buf);
        csv.write_rows(&buf)?;
    }
    Ok(csv)
}

/// Writes shared.csv.
pub(crate) fn write_shared(opts: &ReportOptions, shared: &[Shared]) -> anyhow::Result<CsvFile> {
    table(
        opts,
        Output::Shared,
        &["number", "customers", "lines"],
        shared,
        |s, out| {
            rows::write_shared(out, s);
        },
    )
}

/// A finished run's set, moved into `--out`.
pub(crate) struct Published {
    /// report.md's text, to print.
    pub(crate) report: String,
    /// summary.json's text, to print with `--format json`.
    pub(crate) summary: Vec<u8>,
    /// The JUnit XML, to print with `--format junit` (written as junit.xml with `--junit`).
    pub(crate) junit: String,
    /// Outputs of an earlier run that this run does not write, removed so that `--out` holds
    /// one run's set.
    pub(crate) removed: Vec<Output>,
}

/// Completes the CSV outputs, writes the workbooks (with `--xlsx`), summary.json,
/// report.md and report.html (and junit.xml with `--junit`) beside them in the run's directory, then moves the
/// whole set into `--out`.
pub(crate) fn finish(run: &Run<'_>, csv: Vec<CsvFile>, set: OutputSet) -> anyhow::Result<Published> {
    for file in csv {
        file.commit()?;
    }
    if run.opts.xlsx {
        xlsx::write_all(run.opts, run.input)?;
    }
    let summary = json::write(run)?;
    let report = markdown::render(run);
    markdown::write(&run.opts.out, &report)?;
    html::write(&run.opts.out, &html::render(run)?)?;
    let junit = junit::render(run);
    if run.opts.junit {
        junit::write(&run.opts.out, &junit)?;
    }
    let removed = set.publish()?;
    Ok(Published {
        report,
        summary,
        junit,
        removed,
    })
}

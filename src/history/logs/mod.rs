//! Attempt logs: call-attempt history files read into [`Attempt`]s, one per logged call.
//!
//! The file is opened, and its encoding decided, by `input::TextFile`; this module knows the log
//! layouts, their columns and how their fields read. Three layouts are read
//! (call-outcomes.md §2 is the reference):
//!
//! - **Asterisk `cdr_csv`** (`Master.csv`): no header; strings double-quoted with `""` inside,
//!   integers and empty dates unquoted. The first 16 fields are fixed and are the only ones
//!   read: `dst` (3rd), `lastdata` (9th), `start` (10th), `billsec` (14th) and `disposition`
//!   (15th). `uniqueid`, `userfield` and `newcdrcolumns` (`peeraccount`, `linkedid`,
//!   `sequence`) only append fields, so a record may have 16 to 22 fields and one file may mix
//!   them after a configuration change. The number is `dst` when it looks like an outside
//!   number, else the one in the `Dial` string of `lastdata` (`dst` is `s` or an extension
//!   when a dialler originates the call).
//! - **FreeSWITCH `mod_cdr_csv`**, default (`example`) template: no header, every field
//!   quoted. The first ten fields are fixed in the shipped templates and are the ones read:
//!   `destination_number` (3rd), `start_stamp` (5th), `billsec` (9th), `hangup_cause` (10th).
//! - **Generic** CRM or dialler exports: a header row; the number, time, outcome, talk-time
//!   and notes columns are found by Chinese or English names, or named with
//!   `--history-columns`.
//!
//! CDR times are local wall-clock times of the switch; they are read in the time zone the
//! caller gives (`UTC` for an Asterisk with `usegmtime=yes`). The time format is decided once
//! per log from its time column (`decide`), unless `--time-format` gives it; a line that
//! cannot be read in it is handed back as an error item with its line number and reading
//! goes on, so the caller can count, list and gate on the bad lines.

mod cdr;
mod decide;
mod describe;
mod format;
mod gate;
mod generic;
mod seen;
mod time;

use std::io::BufRead;
use std::path::Path;

use anyhow::{Context as _, bail};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::exit::Unreadable;
use crate::input::dialect::{self, Fields};
use crate::input::{Encoding, Fault, Known, RawRecord, RecordReader, TextFile, is_blank};
use crate::text::{clip, tr, zh};
use cdr::{asterisk_fields, freeswitch_fields};
use generic::GenericColumns;

#[cfg(test)]
use cdr::lastdata_number;
pub(crate) use format::detect;
pub(crate) use gate::{LogTally, attempt_hash, parse_max_unreadable};
pub(crate) use generic::HistoryColumns;
pub(crate) use seen::Seen;
#[cfg(test)]
pub(crate) use time::parse_time;
pub(crate) use time::{Plausible, TimeFormat, TimeRange, check_time_format, parse_talk, time_zone};

/// The layout of an attempt log: one enum with the outcome tables that depend on it.
pub(crate) use crate::rules::LogFormat;

/// One call attempt as logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Attempt {
    /// The 1-based line of the log the record starts on.
    pub(crate) line: u64,
    /// The dialled number as written in the log (not normalised).
    pub(crate) number: String,
    /// When the attempt started.
    pub(crate) time: Timestamp,
    /// The outcome as written: disposition, hangup cause or CRM result text.
    pub(crate) outcome: String,
    /// Seconds of talk after answer (`billsec`, 通话时长), when the log has them.
    pub(crate) talk_seconds: Option<u32>,
    /// Notes (备注), or empty.
    pub(crate) notes: String,
}

/// How to read the logs: the flags that apply to every one of them.
#[derive(Debug, Clone)]
pub(crate) struct LogOptions {
    /// `--sheet`: the sheet read when the log is an Excel workbook (read as CSV text whose
    /// line N is row N, its dates from their stored values).
    pub(crate) sheet: Option<String>,
    /// `--history-format`: overrides detection.
    pub(crate) format: Option<LogFormat>,
    /// `--history-columns`: overrides column detection of generic logs.
    pub(crate) columns: HistoryColumns,
    /// `--timezone`: the zone local times are in.
    pub(crate) tz: TimeZone,
    /// `--time-format`: overrides the time format decided from each log's time column.
    pub(crate) time_format: Option<String>,
    /// `--dial-prefix`: the outside-line prefix to strip; detected in CDRs when omitted.
    pub(crate) dial_prefix: Option<String>,
    /// The plausible call times (`--history-time-range`, resolved); a time outside it makes
    /// the line unreadable. `None` checks nothing (the tests' opener).
    pub(crate) plausible: Option<Plausible>,
    /// The verdicts of logs an earlier start of the run misread (`input::Known`).
    pub(crate) known: Known,
}

/// An opened log: detected (or forced) format, resolved columns, time zone. Iterating it
/// yields one item per non-blank record: the attempt, or `(line, message)` for a record that
/// cannot be read.
pub(crate) struct LogReader {
    /// The log, whose encoding check may still run beside the reading.
    text: TextFile,
    layout: Layout,
    tz: TimeZone,
    records: RecordReader<Box<dyn BufRead + Send>>,
    delimiter: u8,
    time: TimeFormat,
    dial_prefix: Option<String>,
    plausible: Option<Plausible>,
    rec: RawRecord,
    /// Set once the input has ended or failed, so iteration stops for good.
    done: bool,
}

/// Where the fields of an attempt are in a record.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Layout {
    Asterisk,
    FreeSwitch,
    Generic(GenericColumns),
}

impl LogReader {
    /// [`LogReader::open_with`] with only a format, columns and time zone: the tests' opener.
    #[cfg(test)]
    pub(crate) fn open(
        path: &Path,
        format: Option<LogFormat>,
        columns: &HistoryColumns,
        tz: TimeZone,
    ) -> anyhow::Result<LogReader> {
        let opts = LogOptions {
            sheet: None,
            format,
            columns: columns.clone(),
            tz,
            time_format: None,
            dial_prefix: None,
            plausible: None,
            known: Known::default(),
        };
        LogReader::open_with(path, &opts)
    }

    /// Opens `path`: decides its encoding over the whole file (UTF-8 or GB18030, a missing or
    /// undecodable file is [`Unreadable`]), detects the format unless `opts.format` forces one,
    /// for generic logs resolves the columns (an error listing the headers when the number or
    /// time column cannot be found), then decides its time format from the time column (an
    /// [`Unreadable`] error when none can be decided) and, for a CDR, the outside-line prefix
    /// its numbers carry.
    ///
    /// The log's encoding check may run on beside the reading: [`LogReader::settle`] waits
    /// for it. An error before then waits for it first, and its error comes first.
    pub(crate) fn open_with(path: &Path, opts: &LogOptions) -> anyhow::Result<LogReader> {
        let mut text = TextFile::open_log(path, opts.sheet.as_deref(), &opts.known)?;
        let head = Self::head(&text, opts);
        let (layout, delimiter, header, decided) = text.settle_on_error(head)?;
        let records = text.records(delimiter, header);
        let records = text.settle_on_error(records)?;
        Ok(LogReader {
            text,
            layout,
            tz: opts.tz.clone(),
            records,
            delimiter,
            time: decided.time,
            dial_prefix: decided.dial_prefix,
            plausible: opts.plausible,
            rec: RawRecord::default(),
            done: false,
        })
    }

    /// What the log's head decides: its layout, delimiter, header line and time format.
    fn head(text: &TextFile, opts: &LogOptions) -> anyhow::Result<(Layout, u8, Option<u64>, decide::Decided)> {
        let (format, columns) = (opts.format, &opts.columns);
        let display = text.display.clone();
        let first = text.first_record()?.ok_or_else(|| {
            anyhow::Error::new(Unreadable(format!(
                "{display}: {}",
                tr("the log is empty", "通话记录为空")
            )))
        })?;
        let format = format.unwrap_or_else(|| detect(&dialect::split_fields(&first.text, b',')));
        // A generic log's header places every column: one that cannot be cut is fatal.
        // Like the contact input's: a header over the length limit is unreadable (exit 3), a
        // broken quote in it a header no flag can place (exit 2).
        if let Some(fault) = first.fault.filter(|_| format == LogFormat::Generic) {
            let header = String::from_utf8_lossy(&first.text);
            let (reason, echo) = (fault.reason(first.line), clip(&header));
            let why = if zh() {
                format!("{display}：通话记录的表头无法读取：{reason}（`{echo}`）")
            } else {
                format!("{display}: the log's header cannot be read: {reason} (`{echo}`)")
            };
            return Err(match fault {
                Fault::TooLong { .. } => anyhow::Error::new(Unreadable(why)),
                _ => anyhow::Error::msg(why),
            });
        }
        let (mut layout, delimiter) = layout_of(format, &first.text, columns).with_context(|| {
            if zh() {
                format!("按 {format} 格式读取通话记录 {display}")
            } else {
                format!("reading attempt log {display} as {format}")
            }
        })?;
        // A generic log's first record is its header; a CDR's is its first call.
        let header = (format == LogFormat::Generic).then_some(first.line);
        let decided = decide::decide(text.records(delimiter, header)?, &mut layout, delimiter, opts)
            .map_err(|why| anyhow::Error::new(Unreadable(format!("{display}: {why}"))))?;
        Ok((layout, delimiter, header, decided))
    }

    /// Waits for the log's encoding check, if it still runs ([`TextFile::settle`]).
    pub(crate) fn settle(&mut self) -> anyhow::Result<()> {
        self.text.settle()
    }

    /// Whether the encoding check has found the reading wrong ([`TextFile::misread`]).
    pub(crate) fn misread(&self) -> bool {
        self.text.misread()
    }

    /// The format the log is read as.
    pub(crate) fn format(&self) -> LogFormat {
        match self.layout {
            Layout::Asterisk => LogFormat::Asterisk,
            Layout::FreeSwitch => LogFormat::FreeSwitch,
            Layout::Generic(_) => LogFormat::Generic,
        }
    }

    /// The log's text encoding.
    pub(crate) fn encoding(&self) -> Encoding {
        self.text.scan.encoding
    }

    /// The physical lines of the log (from the encoding scan): an upper bound on its attempts;
    /// while the check runs beside the reading, an estimate from the head, rounded up.
    pub(crate) fn lines(&self) -> u64 {
        self.text.scan.lines
    }

    /// The outside-line prefix stripped from dialled numbers, if any.
    pub(crate) fn dial_prefix(&self) -> Option<&str> {
        self.dial_prefix.as_deref()
    }

    /// Reads up to `max` non-blank raw records into `batch` (its records replaced), so that
    /// they can be parsed on several threads with [`LogParser::parse`]. Reading is the only
    /// serial part. The records of the last batch are read into again: a new buffer for
    /// every line was an allocation and a free per attempt.
    pub(crate) fn read_raw(&mut self, batch: &mut Vec<RawRecord>, max: usize) -> std::io::Result<()> {
        let mut len = 0;
        while len < max && !self.done {
            if batch.len() == len {
                batch.push(RawRecord::default());
            }
            match self.records.read(&mut batch[len]) {
                Ok(true) if is_blank(&batch[len].text) => {}
                Ok(true) => len += 1,
                Ok(false) => self.done = true,
                Err(e) => {
                    self.done = true;
                    batch.truncate(len);
                    return Err(e);
                }
            }
        }
        batch.truncate(len);
        Ok(())
    }

    /// A parser for this log's records, to share with worker threads (the reader itself holds
    /// the input stream and stays on one thread).
    pub(crate) fn parser(&self) -> LogParser {
        LogParser {
            layout: self.layout.clone(),
            delimiter: self.delimiter,
            tz: self.tz.clone(),
            time: self.time.clone(),
            dial_prefix: self.dial_prefix.clone(),
            plausible: self.plausible,
        }
    }

    /// Reads the current record's fields into an attempt.
    fn parse_record(&mut self) -> Result<Attempt, String> {
        self.parser().parse(&self.rec)
    }
}

/// Turns raw records of one log into attempts; `Sync`, so batches parse in parallel.
#[derive(Debug, Clone)]
pub(crate) struct LogParser {
    layout: Layout,
    delimiter: u8,
    tz: TimeZone,
    time: TimeFormat,
    dial_prefix: Option<String>,
    plausible: Option<Plausible>,
}

impl LogParser {
    /// Reads one record's fields into an attempt (`Err` with the reason for a bad line).
    pub(crate) fn parse(&self, rec: &RawRecord) -> Result<Attempt, String> {
        if let Some(fault) = rec.fault {
            return Err(fault.reason(rec.line));
        }
        let fields = Fields::split(&rec.text, self.delimiter);
        let raw = self.layout.fields(&fields)?;
        let mut attempt = raw.into_attempt(rec.line, &self.time, &self.tz)?;
        if let Some(plausible) = &self.plausible {
            plausible.check(attempt.time, &self.tz)?;
        }
        if !matches!(self.layout, Layout::Generic(_)) || self.dial_prefix.is_some() {
            attempt.number = cdr::clean_dialled(&attempt.number, self.dial_prefix.as_deref());
        }
        Ok(attempt)
    }
}

impl Iterator for LogReader {
    type Item = Result<Attempt, (u64, String)>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.records.read(&mut self.rec) {
                Ok(true) if is_blank(&self.rec.text) => {}
                Ok(true) => return Some(self.parse_record().map_err(|msg| (self.rec.line, msg))),
                Ok(false) => self.done = true,
                Err(e) => {
                    // The scan already read the whole file, so this is a disk error mid-way:
                    // report it where it happened and stop rather than loop on it.
                    self.done = true;
                    return Some(Err((
                        self.rec.line,
                        format!("{} {e}", tr("reading stopped:", "读取中断：")),
                    )));
                }
            }
        }
        None
    }
}

impl Layout {
    /// The attempt fields of one split record.
    fn fields<'a>(&self, fields: &'a Fields) -> Result<RawAttempt<'a>, String> {
        match self {
            Layout::Asterisk => asterisk_fields(fields),
            Layout::FreeSwitch => freeswitch_fields(fields),
            Layout::Generic(cols) => cols.fields(fields),
        }
    }
}

/// The layout for `format`, and the delimiter to split records with.
fn layout_of(format: LogFormat, first: &[u8], columns: &HistoryColumns) -> anyhow::Result<(Layout, u8)> {
    if format != LogFormat::Generic && !columns.is_empty() {
        // A CDR has no header to name; saying so catches a generic log misread as a CDR.
        if zh() {
            bail!("--history-columns 指定的是表头中的列，但 {format} CDR 没有表头");
        }
        bail!("--history-columns names header columns, but {format} CDRs have no header");
    }
    Ok(match format {
        LogFormat::Asterisk => (Layout::Asterisk, b','),
        LogFormat::FreeSwitch => (Layout::FreeSwitch, b','),
        LogFormat::Generic => {
            let delimiter = dialect::detect_delimiter(first);
            let headers = dialect::header_names(first, delimiter);
            (Layout::Generic(GenericColumns::resolve(headers, columns)?), delimiter)
        }
    })
}

/// The fields of one attempt, borrowed from the split record.
struct RawAttempt<'a> {
    number: &'a str,
    /// The start, or its date when `clock` holds the time of day.
    time: &'a str,
    clock: Option<&'a str>,
    outcome: &'a str,
    talk: Option<&'a str>,
    notes: &'a str,
}

impl RawAttempt<'_> {
    /// Checks and converts the fields: a number is required, the time must parse, and a
    /// talk time, when present, must parse.
    fn into_attempt(self, line: u64, format: &TimeFormat, tz: &TimeZone) -> Result<Attempt, String> {
        let number = self.number.trim();
        if number.is_empty() {
            return Err(tr("the number is empty", "号码为空").to_string());
        }
        let time = self.read_time(format, tz)?;
        let talk_seconds = match self.talk.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => Some(parse_talk(t).ok_or_else(|| unreadable_talk(t))?),
            None => None,
        };
        Ok(Attempt {
            line,
            number: number.to_string(),
            time,
            outcome: self.outcome.trim().to_string(),
            talk_seconds,
            notes: self.notes.trim().to_string(),
        })
    }

    /// The start in `format`: a date and a clock field are joined with a space on the
    /// stack first, so that reading a time never allocates.
    fn read_time(&self, format: &TimeFormat, tz: &TimeZone) -> Result<jiff::Timestamp, String> {
        let mut buf = [0u8; 96];
        let text = match self.clock {
            None => self.time.trim(),
            Some(clock) => join(&mut buf, self.time.trim(), clock.trim()).unwrap_or(""),
        };
        format.read(text, tz).ok_or_else(|| unreadable_time(text))
    }
}

/// Why a line's start time cannot be read (the line is then counted unreadable).
fn unreadable_time(text: &str) -> String {
    if zh() {
        format!("无法识别时间 `{}`", clip(text))
    } else {
        format!("cannot read the time `{}`", clip(text))
    }
}

/// Why a line's talk time cannot be read.
fn unreadable_talk(text: &str) -> String {
    if zh() {
        format!("无法识别通话时长 `{}`", clip(text))
    } else {
        format!("cannot read the talk time `{}`", clip(text))
    }
}

/// `date clock` in `buf`; `None` when it does not fit.
fn join<'b>(buf: &'b mut [u8; 96], date: &str, clock: &str) -> Option<&'b str> {
    let n = date.len() + 1 + clock.len();
    if n > buf.len() {
        return None;
    }
    buf[..date.len()].copy_from_slice(date.as_bytes());
    buf[date.len()] = b' ';
    buf[date.len() + 1..n].copy_from_slice(clock.as_bytes());
    std::str::from_utf8(&buf[..n]).ok()
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod lang_tests;

//! Attempt logs: call-attempt history files read into [`Attempt`]s, one per logged call.
//!
//! Three layouts are read (call-outcomes.md §2 is the reference):
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
//! caller gives (`UTC` for an Asterisk with `usegmtime=yes`). A line that cannot be read is
//! handed back as an error item with its line number and reading goes on, so the caller can
//! count and list the bad lines.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;
use std::sync::OnceLock;

use anyhow::{Context as _, bail};
use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone, TimeZoneDatabase};

use crate::exit::Unreadable;
use crate::input::dialect::{self, Fields};
use crate::input::{Encoding, RawRecord, RecordReader, Scan, columns, encoding};

/// The layout of an attempt log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// A CSV export from a CRM or dialler, with a header row naming its columns.
    Generic,
    /// Asterisk `cdr_csv` (`Master.csv`): no header, 16 to 22 fields.
    Asterisk,
    /// FreeSWITCH `mod_cdr_csv` with the default (`example`) template: no header.
    FreeSwitch,
}

impl LogFormat {
    /// The name used in flags and reports: `generic`, `asterisk` or `freeswitch`.
    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Generic => "generic",
            LogFormat::Asterisk => "asterisk",
            LogFormat::FreeSwitch => "freeswitch",
        }
    }

    /// Parses a format name, ignoring case; `csv`/`crm` mean generic and `fs` FreeSWITCH.
    pub fn parse(name: &str) -> Option<LogFormat> {
        match name.trim().to_ascii_lowercase().as_str() {
            "generic" | "csv" | "crm" => Some(LogFormat::Generic),
            "asterisk" => Some(LogFormat::Asterisk),
            "freeswitch" | "fs" => Some(LogFormat::FreeSwitch),
            _ => None,
        }
    }
}

impl fmt::Display for LogFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One call attempt as logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The 1-based line of the log the record starts on.
    pub line: u64,
    /// The dialled number as written in the log (not normalised).
    pub number: String,
    /// When the attempt started.
    pub time: Timestamp,
    /// The outcome as written: disposition, hangup cause or CRM result text.
    pub outcome: String,
    /// Seconds of talk after answer (`billsec`, 通话时长), when the log has them.
    pub talk_seconds: Option<u32>,
    /// Notes (备注), or empty.
    pub notes: String,
}

/// Column choices for generic CSV logs
/// (`--history-columns number=被叫号码,time=呼叫时间,outcome=结果,talk=时长,notes=备注`).
///
/// Each value is a header, as written or normalised, or a 1-based column number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryColumns {
    /// The dialled-number column.
    pub number: Option<String>,
    /// The call start time column.
    pub time: Option<String>,
    /// The outcome column.
    pub outcome: Option<String>,
    /// The talk-time column.
    pub talk: Option<String>,
    /// The notes column.
    pub notes: Option<String>,
}

impl HistoryColumns {
    /// Parses `role=column` pairs separated by commas; roles are `number`, `time`,
    /// `outcome`, `talk` and `notes`, each given at most once.
    pub fn parse(spec: &str) -> anyhow::Result<HistoryColumns> {
        let mut cols = HistoryColumns::default();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let Some((role, name)) = item.split_once('=') else {
                bail!("`{item}` is not ROLE=COLUMN (roles: number, time, outcome, talk, notes)");
            };
            let (role, name) = (role.trim(), name.trim());
            if name.is_empty() {
                bail!("`{item}` names no column");
            }
            let role = Role::parse(role)
                .with_context(|| format!("unknown role `{role}` (roles: number, time, outcome, talk, notes)"))?;
            if cols.slot(role).replace(name.to_string()).is_some() {
                bail!("role `{}` is given twice", role.name());
            }
        }
        Ok(cols)
    }

    fn slot(&mut self, role: Role) -> &mut Option<String> {
        match role {
            Role::Number => &mut self.number,
            Role::Time => &mut self.time,
            Role::Outcome => &mut self.outcome,
            Role::Talk => &mut self.talk,
            Role::Notes => &mut self.notes,
        }
    }

    fn get(&self, role: Role) -> Option<&str> {
        match role {
            Role::Number => self.number.as_deref(),
            Role::Time => self.time.as_deref(),
            Role::Outcome => self.outcome.as_deref(),
            Role::Talk => self.talk.as_deref(),
            Role::Notes => self.notes.as_deref(),
        }
    }

    fn is_empty(&self) -> bool {
        ROLES.iter().all(|&r| self.get(r).is_none())
    }
}

/// An opened log: detected (or forced) format, resolved columns, time zone. Iterating it
/// yields one item per non-blank record: the attempt, or `(line, message)` for a record that
/// cannot be read.
pub struct LogReader {
    /// The path, for messages.
    display: String,
    encoding: Encoding,
    layout: Layout,
    tz: TimeZone,
    records: RecordReader<Box<dyn BufRead + Send>>,
    delimiter: u8,
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
    /// Opens `path`: decides its encoding over the whole file (UTF-8 or GB18030, a missing or
    /// undecodable file is [`Unreadable`]), detects the format unless `format` forces one,
    /// and for generic logs resolves the columns (an error listing the headers when the
    /// number or time column cannot be found). `columns` only applies to generic logs.
    pub fn open(
        path: &Path,
        format: Option<LogFormat>,
        columns: &HistoryColumns,
        tz: TimeZone,
    ) -> anyhow::Result<LogReader> {
        let display = path.display().to_string();
        let scan = scan_file(path, &display)?;
        let first = first_record(decoded(path, &display, &scan)?, &display)?;
        let format = format.unwrap_or_else(|| detect(&dialect::split_fields(&first.text, b',')));
        let (layout, delimiter) = layout_of(format, &first.text, columns)
            .with_context(|| format!("reading attempt log {display} as {format}"))?;
        let mut records = RecordReader::new(decoded(path, &display, &scan)?, delimiter);
        if format == LogFormat::Generic {
            skip_through(&mut records, first.line).map_err(|e| unreadable(&display, &e))?;
        }
        Ok(LogReader {
            display,
            encoding: scan.encoding,
            layout,
            tz,
            records,
            delimiter,
            rec: RawRecord::default(),
            done: false,
        })
    }

    /// The format the log is read as.
    pub fn format(&self) -> LogFormat {
        match self.layout {
            Layout::Asterisk => LogFormat::Asterisk,
            Layout::FreeSwitch => LogFormat::FreeSwitch,
            Layout::Generic(_) => LogFormat::Generic,
        }
    }

    /// The log's text encoding.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// A one-line account of how the log is read, for reports: the format, and for generic
    /// logs the column of each role (`number=被叫号码, time=呼叫时间, ...`).
    pub fn describe(&self) -> String {
        match &self.layout {
            Layout::Generic(cols) => format!("{}: generic ({})", self.display, cols.describe()),
            _ => format!("{}: {} CDR", self.display, self.format()),
        }
    }

    /// Reads up to `max` non-blank raw records into `batch` (cleared first), so that they can
    /// be parsed on several threads with [`LogParser::parse`]. Reading is the only serial part.
    pub fn read_raw(&mut self, batch: &mut Vec<RawRecord>, max: usize) -> std::io::Result<()> {
        batch.clear();
        while batch.len() < max && !self.done {
            let mut rec = RawRecord::default();
            match self.records.read(&mut rec) {
                Ok(true) if is_blank(&rec.text) => {}
                Ok(true) => batch.push(rec),
                Ok(false) => self.done = true,
                Err(e) => {
                    self.done = true;
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// A parser for this log's records, to share with worker threads (the reader itself holds
    /// the input stream and stays on one thread).
    pub fn parser(&self) -> LogParser {
        LogParser {
            layout: self.layout.clone(),
            delimiter: self.delimiter,
            tz: self.tz.clone(),
        }
    }

    /// Reads the current record's fields into an attempt.
    fn parse_record(&mut self) -> Result<Attempt, String> {
        self.parser().parse(&self.rec)
    }
}

/// Turns raw records of one log into attempts; `Sync`, so batches parse in parallel.
#[derive(Debug, Clone)]
pub struct LogParser {
    layout: Layout,
    delimiter: u8,
    tz: TimeZone,
}

impl LogParser {
    /// Reads one record's fields into an attempt (`Err` with the reason for a bad line).
    pub fn parse(&self, rec: &RawRecord) -> Result<Attempt, String> {
        if rec.broken_quotes {
            return Err("a quoted field never closes".to_string());
        }
        let fields = Fields::split(&rec.text, self.delimiter);
        let raw = match &self.layout {
            Layout::Asterisk => asterisk_fields(&fields)?,
            Layout::FreeSwitch => freeswitch_fields(&fields)?,
            Layout::Generic(cols) => cols.fields(&fields)?,
        };
        raw.into_attempt(rec.line, &self.tz)
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
                    return Some(Err((self.rec.line, format!("reading stopped: {e}"))));
                }
            }
        }
        None
    }
}

/// Which format a log is in, from its first record's fields (split on commas).
///
/// - **Asterisk**: 16 to 22 fields, the 10th (`start`) a CDR time `YYYY-MM-DD HH:MM:SS` and
///   the 15th an Asterisk disposition (`ANSWERED`, `NO ANSWER`, ...) or a hangup-cause name
///   (FreeSWITCH's own `asterisk` template writes its cause there, in the same layout).
/// - **FreeSWITCH**: at least 11 fields, the 5th (`start_stamp`) a CDR time, the 10th a
///   hangup-cause name (`NORMAL_CLEARING`) and the 11th a UUID.
/// - **Generic** otherwise: the first record is taken as a header. A header cannot pass the
///   tests above, since its fields are names, not times.
pub fn detect(first_record: &[String]) -> LogFormat {
    let field = |i: usize| first_record.get(i).map_or("", |f| f.trim());
    let n = first_record.len();
    if (ASTERISK_MIN..=ASTERISK_MAX).contains(&n)
        && is_cdr_time(field(9))
        && (DISPOSITIONS.contains(&field(14)) || is_cause_name(field(14)))
    {
        return LogFormat::Asterisk;
    }
    if n >= 11 && is_cdr_time(field(4)) && is_cause_name(field(9)) && is_uuid(field(10)) {
        return LogFormat::FreeSwitch;
    }
    LogFormat::Generic
}

/// The fewest and most fields an Asterisk `cdr_csv` record has: 16 fixed, then `uniqueid`,
/// `userfield` and the three `newcdrcolumns` as configured, 21 at most in `cdr_csv.c`; 22
/// as call-outcomes.md §2.1 allows, since only the first 16 are read.
const ASTERISK_MIN: usize = 16;
const ASTERISK_MAX: usize = 22;
/// The fields through `hangup_cause`, which the built-in default and the shipped `example`,
/// `snom` and `linksys` templates all start with.
const FREESWITCH_MIN: usize = 10;
/// Asterisk dispositions (`ast_cdr_disp2str`).
#[rustfmt::skip]
const DISPOSITIONS: &[&str] = &["ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION", "CANCEL", "UNKNOWN"];

/// True for `YYYY-MM-DD HH:MM:SS`, the `%Y-%m-%d %T` both switches write.
fn is_cdr_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b' ',
            13 | 16 => c == b':',
            _ => c.is_ascii_digit(),
        })
}

/// True for a FreeSWITCH hangup-cause name: upper-case ASCII, digits and underscores.
fn is_cause_name(s: &str) -> bool {
    s.len() >= 4
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// True for a UUID in its 8-4-4-4-12 hex form.
fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The layout for `format`, and the delimiter to split records with.
fn layout_of(format: LogFormat, first: &[u8], columns: &HistoryColumns) -> anyhow::Result<(Layout, u8)> {
    if format != LogFormat::Generic && !columns.is_empty() {
        // A CDR has no header to name; saying so catches a generic log misread as a CDR.
        bail!("--history-columns names header columns, but {format} CDRs have no header");
    }
    Ok(match format {
        LogFormat::Asterisk => (Layout::Asterisk, b','),
        LogFormat::FreeSwitch => (Layout::FreeSwitch, b','),
        LogFormat::Generic => {
            let delimiter = dialect::detect_delimiter(first);
            let headers: Vec<String> = dialect::split_fields(first, delimiter)
                .into_iter()
                .map(|h| h.trim().to_string())
                .collect();
            (Layout::Generic(GenericColumns::resolve(headers, columns)?), delimiter)
        }
    })
}

/// The fields of one attempt, borrowed from the split record.
struct RawAttempt<'a> {
    number: &'a str,
    time: &'a str,
    outcome: &'a str,
    talk: Option<&'a str>,
    notes: &'a str,
}

impl RawAttempt<'_> {
    /// Checks and converts the fields: a number is required, the time must parse, and a
    /// talk time, when present, must parse.
    fn into_attempt(self, line: u64, tz: &TimeZone) -> Result<Attempt, String> {
        let number = self.number.trim();
        if number.is_empty() {
            return Err("the number is empty".to_string());
        }
        let time_text = self.time.trim();
        let time = parse_time(time_text, tz).ok_or_else(|| format!("cannot read the time `{time_text}`"))?;
        let talk_seconds = match self.talk.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => Some(parse_talk(t).ok_or_else(|| format!("cannot read the talk time `{t}`"))?),
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
}

/// The attempt fields of an Asterisk `cdr_csv` record.
fn asterisk_fields(f: &Fields) -> Result<RawAttempt<'_>, String> {
    if !(ASTERISK_MIN..=ASTERISK_MAX).contains(&f.len()) {
        return Err(format!(
            "{} fields; an Asterisk cdr_csv record has {ASTERISK_MIN} to {ASTERISK_MAX}",
            f.len()
        ));
    }
    let (dst, lastdata) = (f.get(2), f.get(8));
    let number = asterisk_number(dst, lastdata)
        .ok_or_else(|| format!("no dialled number: dst is `{dst}` and lastdata `{lastdata}` holds none"))?;
    Ok(RawAttempt {
        number,
        time: f.get(9),
        outcome: f.get(14),
        talk: Some(f.get(13)),
        notes: "",
    })
}

/// The attempt fields of a FreeSWITCH `mod_cdr_csv` record.
fn freeswitch_fields(f: &Fields) -> Result<RawAttempt<'_>, String> {
    if f.len() < FREESWITCH_MIN {
        return Err(format!(
            "{} fields; a FreeSWITCH CDR has at least {FREESWITCH_MIN} (through hangup_cause)",
            f.len()
        ));
    }
    Ok(RawAttempt {
        number: f.get(2),
        time: f.get(4),
        outcome: f.get(9),
        talk: Some(f.get(8)),
        notes: "",
    })
}

/// The dialled number of an Asterisk CDR: `dst` when it looks like an outside number (7 or
/// more digits), else the number in `lastdata`'s dial string, else `dst` if it is digits
/// (an internal extension, kept so the audit can report it).
fn asterisk_number<'a>(dst: &'a str, lastdata: &'a str) -> Option<&'a str> {
    let dst = dst.trim();
    if is_dial_number(dst) && dst.trim_start_matches('+').len() >= 7 {
        return Some(dst);
    }
    lastdata_number(lastdata).or_else(|| is_dial_number(dst).then_some(dst))
}

/// The number in a `Dial` application's argument (`lastdata`): the first target of the dial
/// string, `TECH/resource`, read from its last `/` segment backwards for one whose part
/// before `@`, less a `sip:`/`tel:` scheme, is digits. Covers `PJSIP/13800138000@trunk,45`,
/// `SIP/trunk/013800138000,60,tT`, `DAHDI/g1/13800138000`, `Local/13800138000@ctx/n` and
/// `PJSIP/trunk/sip:+8613800138000@host`. Arguments split on `,` (`|` before Asterisk 1.6).
pub fn lastdata_number(lastdata: &str) -> Option<&str> {
    let dial = lastdata.split([',', '|']).next()?.split('&').next()?;
    let (_tech, resource) = dial.split_once('/')?;
    resource.rsplit('/').find_map(|segment| {
        let user = segment.split('@').next()?.trim();
        let user = ["sip:", "sips:", "tel:"]
            .iter()
            .find_map(|scheme| user.strip_prefix(scheme))
            .unwrap_or(user);
        is_dial_number(user).then_some(user)
    })
}

/// True for at least three digits, with an optional leading `+`.
fn is_dial_number(s: &str) -> bool {
    let digits = s.strip_prefix('+').unwrap_or(s);
    digits.len() >= 3 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The roles a generic log's columns play.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Number,
    Time,
    Outcome,
    Talk,
    Notes,
}

const ROLES: [Role; 5] = [Role::Number, Role::Time, Role::Outcome, Role::Talk, Role::Notes];

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Number => "number",
            Role::Time => "time",
            Role::Outcome => "outcome",
            Role::Talk => "talk",
            Role::Notes => "notes",
        }
    }

    fn parse(name: &str) -> Option<Role> {
        ROLES.into_iter().find(|r| r.name().eq_ignore_ascii_case(name))
    }

    /// Header names for the role, normalised ([`columns::normalise`]), most specific first.
    #[rustfmt::skip]
    fn names(self) -> &'static [&'static str] {
        match self {
            Role::Number => &[
                "被叫号码", "客户电话", "联系电话", "手机", "电话", "号码", "被叫",
                "number", "phone", "dst", "callee", "called", "to", "calleenumber", "callednumber",
                "phonenumber", "destinationnumber", "dialednumber", "mobile",
            ],
            Role::Time => &[
                "呼叫时间", "拨打时间", "开始时间", "外呼时间", "日期时间", "时间",
                "start", "starttime", "calldate", "calltime", "startstamp", "datetime", "timestamp", "time",
            ],
            Role::Outcome => &[
                "呼叫结果", "通话结果", "外呼结果", "通话状态", "结果", "状态",
                "disposition", "hangupcause", "callresult", "callstatus", "outcome", "result", "status",
            ],
            Role::Talk => &[
                "通话时长", "通话秒数", "计费时长", "时长",
                "billsec", "talkseconds", "talktime", "talkduration", "duration",
            ],
            Role::Notes => &[
                "备注", "催记", "说明", "催收记录",
                "notes", "note", "remarks", "remark", "comments", "comment", "memo",
            ],
        }
    }

    /// Words that keep a header from matching the role by containing one of its Chinese
    /// names: `主叫号码` holds `号码` but is the caller, `接通时间` holds `时间` but is not the
    /// start.
    #[rustfmt::skip]
    fn avoid(self) -> &'static [&'static str] {
        match self {
            Role::Number => &["主叫", "坐席", "工号", "分机", "外显", "身份证", "证件", "合同", "借据", "订单"],
            Role::Time => &["结束", "接通", "应答", "挂断", "振铃", "时长"],
            Role::Outcome => &["还款", "逾期", "案件", "账户", "贷款"],
            Role::Talk => &["振铃", "响铃", "等待", "排队"],
            Role::Notes => &[],
        }
    }
}

/// A generic log's header and the column index of each role.
#[derive(Debug, Clone, PartialEq, Eq)]
struct GenericColumns {
    headers: Vec<String>,
    number: usize,
    time: usize,
    outcome: Option<usize>,
    talk: Option<usize>,
    notes: Option<usize>,
}

impl GenericColumns {
    /// Finds each role's column: the one `chosen` names, else one detected by name. The
    /// number and time columns are required.
    fn resolve(headers: Vec<String>, chosen: &HistoryColumns) -> anyhow::Result<GenericColumns> {
        let mut found = [None; 5];
        // Named columns first, so detection cannot hand one of them to another role.
        for (i, role) in ROLES.into_iter().enumerate() {
            if let Some(name) = chosen.get(role) {
                found[i] =
                    Some(columns::find(&headers, name).with_context(|| format!("--history-columns {}", role.name()))?);
            }
        }
        for (i, role) in ROLES.into_iter().enumerate() {
            if found[i].is_none() {
                found[i] = detect_role(&headers, role, &found);
            }
        }
        let required = |role: Role| found[role as usize].ok_or_else(|| missing(role, &headers));
        Ok(GenericColumns {
            number: required(Role::Number)?,
            time: required(Role::Time)?,
            outcome: found[Role::Outcome as usize],
            talk: found[Role::Talk as usize],
            notes: found[Role::Notes as usize],
            headers,
        })
    }

    /// The attempt fields of one record; its field count must match the header's, since a
    /// short or long record has lost or gained a delimiter and its columns may be shifted.
    fn fields<'a>(&self, f: &'a Fields) -> Result<RawAttempt<'a>, String> {
        if f.len() != self.headers.len() {
            return Err(format!("{} fields; the header has {}", f.len(), self.headers.len()));
        }
        let get = |i: Option<usize>| i.map_or("", |i| f.get(i));
        Ok(RawAttempt {
            number: f.get(self.number),
            time: f.get(self.time),
            outcome: get(self.outcome),
            talk: self.talk.map(|i| f.get(i)),
            notes: get(self.notes),
        })
    }

    /// `number=被叫号码, time=呼叫时间, ...` for the roles found.
    fn describe(&self) -> String {
        let roles = [
            (Role::Number, Some(self.number)),
            (Role::Time, Some(self.time)),
            (Role::Outcome, self.outcome),
            (Role::Talk, self.talk),
            (Role::Notes, self.notes),
        ];
        roles
            .iter()
            .filter_map(|(role, i)| i.map(|i| format!("{}={}", role.name(), self.headers[i])))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The column for `role` by name: an exact normalised match to one of its names, in their
/// order, else a header containing one of its Chinese names and none of its `avoid` words.
/// English names match only exactly: as substrings, `to` or `time` would match too much.
fn detect_role(headers: &[String], role: Role, taken: &[Option<usize>]) -> Option<usize> {
    let norm: Vec<String> = headers.iter().map(|h| columns::normalise(h)).collect();
    let free = |i: &usize| !taken.contains(&Some(*i));
    let exact = || {
        role.names()
            .iter()
            .find_map(|want| (0..norm.len()).filter(free).find(|&i| norm[i] == *want))
    };
    let loose = || {
        role.names().iter().filter(|w| !w.is_ascii()).find_map(|want| {
            (0..norm.len())
                .filter(free)
                .find(|&i| norm[i].contains(want) && !role.avoid().iter().any(|a| norm[i].contains(a)))
        })
    };
    exact().or_else(loose)
}

fn missing(role: Role, headers: &[String]) -> anyhow::Error {
    anyhow::anyhow!(
        "no {} column found in the header: {}\nname it with --history-columns, e.g. --history-columns \
         number=被叫号码,time=呼叫时间 (names or 1-based numbers); the log needs a header row",
        role.name(),
        columns::list(headers)
    )
}

/// Parses an attempt time. Accepted: `2026-10-08 09:15:00`, `2026/10/8 9:15`,
/// `2026-10-08T09:15:00`, `2026年10月8日 09:15`, optional fractional seconds, an optional
/// `Z`, `+08:00`, `+0800` or `+08` offset, and Unix epoch seconds (10 digits) or
/// milliseconds (13 digits). A time without an offset is local to `tz`; in a DST gap or
/// overlap the earlier reading is taken (jiff's `compatible`).
pub fn parse_time(text: &str, tz: &TimeZone) -> Option<Timestamp> {
    let text = text.trim();
    if let Some(ts) = parse_epoch(text) {
        return Some(ts);
    }
    let (civil, offset) = split_offset(text)?;
    let dt = parse_civil(civil)?;
    match offset {
        Some(offset) => offset.to_timestamp(dt).ok(),
        None => tz.to_ambiguous_timestamp(dt).compatible().ok(),
    }
}

/// Unix epoch seconds (10 digits) or milliseconds (13 digits, as Java-based CRMs export).
fn parse_epoch(text: &str) -> Option<Timestamp> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = text.parse().ok()?;
    match text.len() {
        10 => Timestamp::from_second(n).ok(),
        13 => Timestamp::from_millisecond(n).ok(),
        _ => None,
    }
}

/// Splits a trailing `Z` or numeric offset from a date-time; `None` when the offset is
/// malformed. An offset sign is only looked for after the first `:`, since dates hold `-`.
fn split_offset(text: &str) -> Option<(&str, Option<Offset>)> {
    if let Some(rest) = text.strip_suffix(['Z', 'z']) {
        return Some((rest, Some(Offset::UTC)));
    }
    let Some(colon) = text.find(':') else {
        return Some((text, None));
    };
    match text[colon..].find(['+', '-']) {
        None => Some((text, None)),
        Some(i) => {
            let at = colon + i;
            Some((text[..at].trim_end(), Some(parse_offset(&text[at..])?)))
        }
    }
}

/// Parses `+08:00`, `+0800` or `+08` (and `-` forms).
fn parse_offset(text: &str) -> Option<Offset> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = &text[1..];
    let (h, m) = match rest.split_once(':') {
        Some(parts) => parts,
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "00"),
    };
    let seconds = number(h, 2, 2)? * 3600 + number(m, 2, 2)? * 60;
    Offset::from_seconds(sign * i32::try_from(seconds).ok()?).ok()
}

/// Parses a civil date-time: date and clock separated by spaces, `T` or `日`.
fn parse_civil(text: &str) -> Option<DateTime> {
    let is_sep = |c: char| c == ' ' || c == 'T' || c == 't' || c == '日';
    let at = text.find(is_sep)?;
    let (date, clock) = text.split_at(at);
    let clock = parse_clock(clock.trim_start_matches(is_sep).trim())?;
    Some(parse_date(date)?.to_datetime(clock))
}

/// `2026-10-08`, `2026/10/8`, `2026.10.8` or `2026年10月8`.
fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.split(['-', '/', '.', '年', '月']);
    let year = number(parts.next()?, 4, 4)?;
    let month = number(parts.next()?, 1, 2)?;
    let day = number(parts.next()?, 1, 2)?;
    if parts.next().is_some() {
        return None;
    }
    Date::new(year as i16, month as i8, day as i8).ok()
}

/// `9:15`, `09:15:00` or `09:15:00.250`.
fn parse_clock(text: &str) -> Option<Time> {
    let (hms, fraction) = match text.split_once('.') {
        Some((hms, fraction)) => (hms, Some(fraction)),
        None => (text, None),
    };
    let mut parts = hms.split(':');
    let hour = number(parts.next()?, 1, 2)?;
    let minute = number(parts.next()?, 1, 2)?;
    let second = parts.next().map_or(Some(0), |s| number(s, 2, 2))?;
    if parts.next().is_some() {
        return None;
    }
    let nanos = match fraction {
        // Right-padded to nine digits: `.25` is 250 ms.
        Some(f) => number(f, 1, 9)? * 10_i64.pow(9 - f.len() as u32),
        None => 0,
    };
    Time::new(hour as i8, minute as i8, second as i8, nanos as i32).ok()
}

/// An unsigned decimal of `min` to `max` ASCII digits (no sign, unlike `str::parse`).
fn number(s: &str, min: usize, max: usize) -> Option<i64> {
    let ok = (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if ok { s.parse().ok() } else { None }
}

/// Parses a talk time into whole seconds (rounded): `35`, `35.4`, `35s`, `35秒`,
/// `1分35秒`, `1m35s`, `1小时2分`, `00:00:35` or `01:35` (minutes and seconds).
pub fn parse_talk(text: &str) -> Option<u32> {
    let text = text.trim();
    if text.contains(':') {
        parse_clock_duration(text)
    } else {
        parse_unit_duration(text)
    }
}

/// `h:mm:ss` or `m:ss`.
fn parse_clock_duration(text: &str) -> Option<u32> {
    let mut total: u32 = 0;
    let mut parts = 0;
    for part in text.split(':') {
        let value = u32::try_from(number(part, 1, 10)?).ok()?;
        if parts > 0 && (value >= 60 || part.len() != 2) {
            return None;
        }
        total = total.checked_mul(60)?.checked_add(value)?;
        parts += 1;
    }
    (2..=3).contains(&parts).then_some(total)
}

/// Numbers each followed by a unit (`1分35秒`, `1h 2m`); a bare last number is seconds.
fn parse_unit_duration(text: &str) -> Option<u32> {
    let mut rest = text;
    let mut total = 0.0_f64;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (value, tail) = rest.split_at(end);
        // Only digits and dots reach `parse`, so no sign, `inf` or `NaN` can.
        let value: f64 = value.parse().ok()?;
        let end = tail.find(|c: char| c.is_ascii_digit()).unwrap_or(tail.len());
        let (unit, next) = tail.split_at(end);
        total += value * f64::from(unit_seconds(unit.trim())?);
        rest = next.trim_start();
    }
    (total <= f64::from(u32::MAX)).then(|| total.round() as u32)
}

/// Seconds per unit of a talk time; the empty unit is seconds.
fn unit_seconds(unit: &str) -> Option<u32> {
    #[rustfmt::skip]
    const UNITS: &[(&str, u32)] = &[
        ("", 1), ("s", 1), ("sec", 1), ("secs", 1), ("秒", 1), ("秒钟", 1),
        ("m", 60), ("min", 60), ("mins", 60), ("分", 60), ("分钟", 60),
        ("h", 3600), ("hr", 3600), ("hour", 3600), ("hours", 3600), ("时", 3600), ("小时", 3600),
    ];
    UNITS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(unit))
        .map(|&(_, seconds)| seconds)
}

/// Looks up a time zone for reading log times: an IANA name (`Asia/Shanghai`) in the tz
/// database bundled into the binary, so that times convert the same on every machine
/// whatever its `/usr/share/zoneinfo` holds, or a fixed offset such as `+08:00`.
pub fn time_zone(name: &str) -> anyhow::Result<TimeZone> {
    static BUNDLED: OnceLock<TimeZoneDatabase> = OnceLock::new();
    if let Some(offset) = parse_offset(name.trim()) {
        return Ok(TimeZone::fixed(offset));
    }
    BUNDLED
        .get_or_init(TimeZoneDatabase::bundled)
        .get(name.trim())
        .with_context(|| format!("unknown time zone `{name}`: use an IANA name such as Asia/Shanghai, or +08:00"))
}

/// Reads all of `path` once to decide its encoding.
fn scan_file(path: &Path, display: &str) -> anyhow::Result<Scan> {
    let file = File::open(path).map_err(|e| unreadable(display, &e))?;
    encoding::scan(BufReader::with_capacity(1 << 16, file), None)
        .map_err(|e| anyhow::Error::new(Unreadable(format!("{display}: {e}"))))
}

/// The decoded (UTF-8, BOM stripped) stream of `path`.
fn decoded(path: &Path, display: &str, scan: &Scan) -> anyhow::Result<Box<dyn BufRead + Send>> {
    let file = File::open(path).map_err(|e| unreadable(display, &e))?;
    let text = encoding::decode(BufReader::with_capacity(1 << 16, file), scan);
    Ok(Box::new(BufReader::with_capacity(1 << 16, text)))
}

/// The first non-blank record: a CDR's first call or a generic log's header.
fn first_record(src: Box<dyn BufRead + Send>, display: &str) -> anyhow::Result<RawRecord> {
    let mut reader = RecordReader::new(src, b',');
    let mut rec = RawRecord::default();
    loop {
        if !reader.read(&mut rec).map_err(|e| unreadable(display, &e))? {
            return Err(anyhow::Error::new(Unreadable(format!("{display}: the log is empty"))));
        }
        if !is_blank(&rec.text) {
            return Ok(rec);
        }
    }
}

/// Reads records up to and including the one that starts on `line` (the header).
fn skip_through<R: BufRead>(records: &mut RecordReader<R>, line: u64) -> io::Result<()> {
    let mut rec = RawRecord::default();
    while records.read(&mut rec)? && rec.line < line {}
    Ok(())
}

fn is_blank(text: &[u8]) -> bool {
    text.iter().all(u8::is_ascii_whitespace)
}

fn unreadable(display: &str, e: &io::Error) -> anyhow::Error {
    anyhow::Error::new(Unreadable(format!("{display}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use test_case::test_case;

    /// One expected attempt: line, number, UTC time, outcome, talk seconds, notes.
    type Row = (u64, &'static str, &'static str, &'static str, Option<u32>, &'static str);
    type Owned = (u64, String, String, String, Option<u32>, String);

    fn shanghai() -> TimeZone {
        time_zone("Asia/Shanghai").unwrap()
    }

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/history")
            .join(name)
    }

    fn owned(rows: &[Row]) -> Vec<Owned> {
        rows.iter()
            .map(|&(l, n, t, o, s, x)| (l, n.into(), t.into(), o.into(), s, x.into()))
            .collect()
    }

    /// Reads a whole log: its format, the attempts and the bad lines.
    fn read(path: &Path, columns: &HistoryColumns) -> (LogFormat, Vec<Owned>, Vec<(u64, String)>) {
        let reader = LogReader::open(path, None, columns, shanghai()).unwrap();
        let format = reader.format();
        let (mut good, mut bad) = (Vec::new(), Vec::new());
        for item in reader {
            match item {
                Ok(a) => good.push((a.line, a.number, a.time.to_string(), a.outcome, a.talk_seconds, a.notes)),
                Err(e) => bad.push(e),
            }
        }
        (format, good, bad)
    }

    /// Writes `bytes` to a fresh file in `dir`.
    fn write(dir: &tempfile::TempDir, bytes: &[u8]) -> PathBuf {
        let path = dir.path().join("calls.csv");
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn strings(fields: &[&str]) -> Vec<String> {
        fields.iter().map(ToString::to_string).collect()
    }

    const ASTERISK: &[Row] = &[
        (1, "13800138000", "2026-10-08T01:15:00Z", "ANSWERED", Some(45), ""),
        (2, "13900139000", "2026-10-08T01:17:00Z", "ANSWERED", Some(1), ""),
        (3, "13700137000", "2026-10-08T01:20:00Z", "NO ANSWER", Some(0), ""),
        (4, "13600136000", "2026-10-08T01:22:00Z", "BUSY", Some(0), ""),
        (5, "13500135000", "2026-10-08T01:25:00Z", "FAILED", Some(0), ""),
        (6, "13400134000", "2026-10-08T01:30:00Z", "CONGESTION", Some(0), ""),
        (7, "13300133000", "2026-10-08T02:00:00Z", "ANSWERED", Some(88), ""),
        (8, "013200132000", "2026-10-08T02:05:00Z", "NO ANSWER", Some(0), ""),
        (9, "13100131000", "2026-10-08T02:10:00Z", "ANSWERED", Some(20), ""),
        (10, "+8618900189000", "2026-10-08T02:15:00Z", "BUSY", Some(0), ""),
        (11, "15800158000", "2026-10-08T02:20:00Z", "ANSWERED", Some(30), ""),
    ];

    const FREESWITCH: &[Row] = &[
        (
            1,
            "13800138000",
            "2026-10-09T02:00:00Z",
            "NORMAL_CLEARING",
            Some(55),
            "",
        ),
        (2, "13900139000", "2026-10-09T02:02:00Z", "NO_ANSWER", Some(0), ""),
        (3, "13700137000", "2026-10-09T02:04:00Z", "USER_BUSY", Some(0), ""),
        (
            4,
            "13600136000",
            "2026-10-09T02:06:00Z",
            "UNALLOCATED_NUMBER",
            Some(0),
            "",
        ),
        (
            5,
            "13500135000",
            "2026-10-09T02:08:00Z",
            "SUBSCRIBER_ABSENT",
            Some(0),
            "",
        ),
        (6, "13400134000", "2026-10-09T02:10:00Z", "CALL_REJECTED", Some(0), ""),
        (
            7,
            "13300133000",
            "2026-10-09T02:12:00Z",
            "NORMAL_TEMPORARY_FAILURE",
            Some(0),
            "",
        ),
        (8, "13200132000", "2026-10-09T02:14:00Z", "NORMAL_CLEARING", Some(2), ""),
    ];

    const CRM: &[Row] = &[
        (
            2,
            "13800138000",
            "2026-10-08T01:15:00Z",
            "已接通",
            Some(45),
            "客户承诺10月10日还款",
        ),
        (3, "139 0013 9000", "2026-10-08T01:17:00Z", "无人接听", Some(0), ""),
        (
            4,
            "+86 137-0013-7000",
            "2026-10-08T01:20:00Z",
            "关机",
            Some(0),
            "提示已关机",
        ),
        (
            5,
            "0755-83001234",
            "2026-10-08T01:25:00Z",
            "空号",
            None,
            "提示\"您拨打的号码是空号\"",
        ),
        (
            7,
            "13600136000",
            "2026-10-08T02:05:00Z",
            "停机",
            Some(0),
            "语音提示：您拨打的电话已停机",
        ),
        (
            8,
            "13500135000",
            "2026-10-08T02:30:00Z",
            "已接通",
            Some(95),
            "本人接听，称已还款\n需核实流水",
        ),
        (13, "13200132000", "2026-10-08T03:20:00Z", "已接通", Some(130), ""),
        (
            14,
            "13100131000",
            "2026-10-08T03:30:00Z",
            "已接通",
            Some(3),
            "接通即挂断（疑似秘书台）",
        ),
    ];

    /// The bad lines of both CRM fixtures: a 25 o'clock time, an empty number, a short line.
    fn crm_bad() -> Vec<(u64, String)> {
        vec![
            (10, "cannot read the time `2026-10-08 25:00:00`".into()),
            (11, "the number is empty".into()),
            (12, "3 fields; the header has 5".into()),
        ]
    }

    #[test]
    fn asterisk_master_csv_parses_exactly() {
        let (format, got, bad) = read(&fixture("asterisk-Master.csv"), &HistoryColumns::default());
        assert_eq!(format, LogFormat::Asterisk);
        assert_eq!(got, owned(ASTERISK));
        assert!(bad.is_empty(), "{bad:?}");
    }

    #[test]
    fn freeswitch_master_csv_parses_exactly() {
        let (format, got, bad) = read(&fixture("freeswitch-Master.csv"), &HistoryColumns::default());
        assert_eq!(format, LogFormat::FreeSwitch);
        assert_eq!(got, owned(FREESWITCH));
        assert!(bad.is_empty(), "{bad:?}");
    }

    #[test_case("generic-crm.csv", Encoding::Utf8 ; "utf8 with bom")]
    #[test_case("generic-crm-gb18030.csv", Encoding::Gb18030 ; "gb18030 with crlf")]
    fn crm_export_parses_exactly_and_reports_bad_lines(name: &str, encoding: Encoding) {
        let path = fixture(name);
        let reader = LogReader::open(&path, None, &HistoryColumns::default(), shanghai()).unwrap();
        assert_eq!(reader.encoding(), encoding);
        assert!(
            reader
                .describe()
                .ends_with("generic (number=被叫号码, time=呼叫时间, outcome=呼叫结果, talk=通话时长, notes=备注)"),
            "{}",
            reader.describe()
        );
        let (format, got, bad) = read(&path, &HistoryColumns::default());
        assert_eq!(format, LogFormat::Generic);
        assert_eq!(got, owned(CRM));
        assert_eq!(bad, crm_bad());
    }

    #[test_case(&["", "1001", "13800138000", "from-internal", "\"A\" <1001>", "PJSIP/1001-1", "PJSIP/t-2", "Dial",
        "PJSIP/13800138000@t", "2026-10-08 09:15:00", "", "2026-10-08 09:15:30", "30", "0", "NO ANSWER",
        "DOCUMENTATION"] => LogFormat::Asterisk ; "asterisk 16 fields")]
    #[test_case(&["", "1001", "13800138000", "default", "A", "sofia/gw/13800138000", "", "bridge", "x",
        "2026-10-08 09:15:00", "", "2026-10-08 09:15:30", "30", "0", "NO_USER_RESPONSE", "default",
        "5d1b9a2e-4c7f-4a3b-9e21-0f6c2d8a7b11", ""] => LogFormat::Asterisk ; "freeswitch asterisk template")]
    #[test_case(&["A", "1001", "13800138000", "default", "2026-10-08 09:15:00", "", "2026-10-08 09:15:30", "30",
        "0", "NO_ANSWER", "5d1b9a2e-4c7f-4a3b-9e21-0f6c2d8a7b11", "", " \"acct\""] => LogFormat::FreeSwitch
        ; "freeswitch built-in 13 fields")]
    #[test_case(&["A", "1001", "13800138000", "default", "2026-10-08 09:15:00", "", "2026-10-08 09:15:30", "30",
        "0", "NO_ANSWER", "not-a-uuid", "", "acct"] => LogFormat::Generic ; "freeswitch without uuid")]
    #[test_case(&["被叫号码", "呼叫时间", "呼叫结果", "通话时长", "备注"] => LogFormat::Generic ; "chinese header")]
    #[test_case(&["dst", "calldate", "disposition", "billsec"] => LogFormat::Generic ; "english header")]
    #[test_case(&[] => LogFormat::Generic ; "nothing")]
    fn detects_the_format(fields: &[&str]) -> LogFormat {
        detect(&strings(fields))
    }

    #[test_case("asterisk-Master.csv" => LogFormat::Asterisk)]
    #[test_case("freeswitch-Master.csv" => LogFormat::FreeSwitch)]
    #[test_case("generic-crm.csv" => LogFormat::Generic)]
    #[test_case("generic-crm-gb18030.csv" => LogFormat::Generic)]
    fn detects_each_fixture(name: &str) -> LogFormat {
        LogReader::open(&fixture(name), None, &HistoryColumns::default(), shanghai())
            .unwrap()
            .format()
    }

    #[test_case("PJSIP/13800138000@trunk,45" => Some("13800138000") ; "pjsip endpoint")]
    #[test_case("PJSIP/13800138000@trunk,45,tT" => Some("13800138000") ; "pjsip with options")]
    #[test_case("SIP/trunk/013800138000,60,tT" => Some("013800138000") ; "chan_sip peer then number")]
    #[test_case("SIP/13800138000@trunk" => Some("13800138000") ; "chan_sip at peer")]
    #[test_case("DAHDI/g1/13800138000" => Some("13800138000") ; "dahdi group")]
    #[test_case("DAHDI/1/13800138000,30" => Some("13800138000") ; "dahdi channel")]
    #[test_case("IAX2/user:secret@peer/13800138000" => Some("13800138000") ; "iax2 credentials")]
    #[test_case("Local/13800138000@outbound/n" => Some("13800138000") ; "local channel")]
    #[test_case("PJSIP/trunk/sip:+8613800138000@10.0.0.1:5060,45" => Some("+8613800138000") ; "pjsip uri")]
    #[test_case("SIP/13800138000@trunk|45|tT" => Some("13800138000") ; "asterisk 1.4 pipes")]
    #[test_case("PJSIP/13800138000@a&PJSIP/13900139000@b,30" => Some("13800138000") ; "first of parallel")]
    #[test_case("PJSIP/8001,20" => Some("8001") ; "extension")]
    #[test_case("hello-world" => None ; "playback argument")]
    #[test_case("PJSIP/alice" => None ; "named endpoint")]
    #[test_case("" => None ; "empty")]
    fn lastdata_numbers(lastdata: &str) -> Option<&str> {
        lastdata_number(lastdata)
    }

    #[test_case("13800138000", "PJSIP/13900139000@trunk" => Some("13800138000") ; "outside dst wins")]
    #[test_case("s", "DAHDI/g1/13800138000" => Some("13800138000") ; "s takes lastdata")]
    #[test_case("8001", "PJSIP/trunk/13800138000,45" => Some("13800138000") ; "extension takes lastdata")]
    #[test_case("8001", "hello-world" => Some("8001") ; "internal call keeps extension")]
    #[test_case("s", "hello-world" => None ; "nothing dialled")]
    fn asterisk_numbers<'a>(dst: &'a str, lastdata: &'a str) -> Option<&'a str> {
        asterisk_number(dst, lastdata)
    }

    #[test_case("2026-10-08 09:15:00" => Some("2026-10-08T01:15:00Z".into()) ; "cdr")]
    #[test_case("2026/10/8 9:15" => Some("2026-10-08T01:15:00Z".into()) ; "slashes short")]
    #[test_case("2026-10-08T09:15:00" => Some("2026-10-08T01:15:00Z".into()) ; "iso local")]
    #[test_case("2026-10-08T09:15:00+08:00" => Some("2026-10-08T01:15:00Z".into()) ; "iso offset")]
    #[test_case("2026-10-08 09:15:00+0800" => Some("2026-10-08T01:15:00Z".into()) ; "offset without colon")]
    #[test_case("2026-10-08 04:15:00-05" => Some("2026-10-08T09:15:00Z".into()) ; "negative hour offset")]
    #[test_case("2026-10-08T01:15:00Z" => Some("2026-10-08T01:15:00Z".into()) ; "zulu")]
    #[test_case("2026-10-08T09:15:00.25+08:00" => Some("2026-10-08T01:15:00.25Z".into()) ; "fraction")]
    #[test_case("2026年10月8日 09:15" => Some("2026-10-08T01:15:00Z".into()) ; "chinese")]
    #[test_case("2026年10月08日09:15:00" => Some("2026-10-08T01:15:00Z".into()) ; "chinese no space")]
    #[test_case("2026.10.08 09:15" => Some("2026-10-08T01:15:00Z".into()) ; "dots")]
    #[test_case(" 2026-10-08  09:15:00 " => Some("2026-10-08T01:15:00Z".into()) ; "spaces")]
    #[test_case("1791422100" => Some("2026-10-08T01:15:00Z".into()) ; "epoch seconds")]
    #[test_case("1791422100000" => Some("2026-10-08T01:15:00Z".into()) ; "epoch millis")]
    #[test_case("2026-10-08" => None ; "date only")]
    #[test_case("2026-10-08 25:00:00" => None ; "hour 25")]
    #[test_case("2026-02-30 10:00" => None ; "february 30")]
    #[test_case("08/10/2026 09:15" => None ; "day first")]
    #[test_case("2026-10-08 09:15:00+8" => None ; "one digit offset")]
    #[test_case("179142210" => None ; "nine digits")]
    #[test_case("昨天 09:15" => None ; "words")]
    #[test_case("" => None ; "empty")]
    fn times_in_shanghai(text: &str) -> Option<String> {
        parse_time(text, &shanghai()).map(|t| t.to_string())
    }

    #[test]
    fn local_times_follow_the_zone() {
        let utc = time_zone("UTC").unwrap();
        assert_eq!(
            parse_time("2026-10-08 09:15:00", &utc).unwrap().to_string(),
            "2026-10-08T09:15:00Z"
        );
        let fixed = time_zone("+08:00").unwrap();
        assert_eq!(
            parse_time("2026-10-08 09:15:00", &fixed).unwrap().to_string(),
            "2026-10-08T01:15:00Z"
        );
        // An offset in the text beats the zone.
        assert_eq!(
            parse_time("2026-10-08 09:15:00Z", &shanghai()).unwrap().to_string(),
            "2026-10-08T09:15:00Z"
        );
        assert!(time_zone("Mars/Olympus_Mons").is_err());
    }

    #[test_case("35" => Some(35))]
    #[test_case(" 35 " => Some(35) ; "padded")]
    #[test_case("35.4" => Some(35) ; "decimal")]
    #[test_case("35s" => Some(35))]
    #[test_case("35 sec" => Some(35))]
    #[test_case("35秒" => Some(35))]
    #[test_case("0秒" => Some(0))]
    #[test_case("1分35秒" => Some(95))]
    #[test_case("1分钟35秒" => Some(95))]
    #[test_case("2分" => Some(120))]
    #[test_case("1分35" => Some(95) ; "trailing bare seconds")]
    #[test_case("1小时2分3秒" => Some(3723))]
    #[test_case("1m35s" => Some(95))]
    #[test_case("1h 2m" => Some(3720))]
    #[test_case("00:00:35" => Some(35))]
    #[test_case("01:02:03" => Some(3723))]
    #[test_case("01:35" => Some(95) ; "minutes seconds")]
    #[test_case("125:00" => Some(7500) ; "long minutes")]
    #[test_case("00:61" => None ; "61 seconds")]
    #[test_case("1:2:3:4" => None ; "four parts")]
    #[test_case("-5" => None ; "negative")]
    #[test_case("35 apples" => None ; "unknown unit")]
    #[test_case("秒" => None ; "unit only")]
    #[test_case("" => None ; "empty")]
    fn talk_times(text: &str) -> Option<u32> {
        parse_talk(text)
    }

    fn resolve(headers: &[&str], spec: &str) -> anyhow::Result<String> {
        let chosen = HistoryColumns::parse(spec)?;
        GenericColumns::resolve(strings(headers), &chosen).map(|c| c.describe())
    }

    #[test_case(&["序号", "被叫号码", "呼叫时间", "呼叫结果", "通话时长", "备注"], ""
        => "number=被叫号码, time=呼叫时间, outcome=呼叫结果, talk=通话时长, notes=备注" ; "chinese")]
    #[test_case(&["主叫号码", "客户手机号", "接通时间", "通话开始时间", "外呼结果", "振铃时长", "通话时长(秒)", "催记"], ""
        => "number=客户手机号, time=通话开始时间, outcome=外呼结果, talk=通话时长(秒), notes=催记" ; "chinese loose")]
    #[test_case(&["src", "dst", "calldate", "duration", "billsec", "disposition", "notes"], ""
        => "number=dst, time=calldate, outcome=disposition, talk=billsec, notes=notes" ; "english cdr export")]
    #[test_case(&["Phone Number", "Start Time", "Status", "Talk Time", "Remark"], ""
        => "number=Phone Number, time=Start Time, outcome=Status, talk=Talk Time, notes=Remark" ; "english words")]
    #[test_case(&["电话", "拨打时间", "结果"], "" => "number=电话, time=拨打时间, outcome=结果" ; "optional roles absent")]
    #[test_case(&["客户电话", "备用电话", "时间", "结果"], "number=备用电话"
        => "number=备用电话, time=时间, outcome=结果" ; "override by name")]
    #[test_case(&["a", "b", "c", "d"], "number=2, time=1, outcome=d, talk=3"
        => "number=b, time=a, outcome=d, talk=c" ; "override by number")]
    fn columns_resolve(headers: &[&str], spec: &str) -> String {
        resolve(headers, spec).unwrap()
    }

    #[test_case(&["客户编号", "呼叫时间", "呼叫结果"], "" => "no number column found in the header: 1=客户编号, 2=呼叫时间, 3=呼叫结果" ; "no number")]
    #[test_case(&["被叫号码", "结果"], "" => "no time column found in the header: 1=被叫号码, 2=结果" ; "no time")]
    #[test_case(&["被叫号码", "呼叫时间"], "notes=备注" => "--history-columns notes" ; "unknown override")]
    fn columns_missing(headers: &[&str], spec: &str) -> String {
        let err = resolve(headers, spec).unwrap_err();
        err.to_string().lines().next().unwrap().to_string()
    }

    #[test_case("number=被叫号码,time=呼叫时间,outcome=结果,talk=时长,notes=备注" => Ok(HistoryColumns {
        number: Some("被叫号码".into()), time: Some("呼叫时间".into()), outcome: Some("结果".into()),
        talk: Some("时长".into()), notes: Some("备注".into()) }) ; "all roles")]
    #[test_case(" Number = 3 , " => Ok(HistoryColumns { number: Some("3".into()), ..HistoryColumns::default() })
        ; "spaces and case")]
    #[test_case("" => Ok(HistoryColumns::default()) ; "empty")]
    #[test_case("phone=a" => Err("unknown role `phone` (roles: number, time, outcome, talk, notes)".into()) ; "bad role")]
    #[test_case("number" => Err("`number` is not ROLE=COLUMN (roles: number, time, outcome, talk, notes)".into())
        ; "no equals")]
    #[test_case("number=" => Err("`number=` names no column".into()) ; "no column")]
    #[test_case("number=a,number=b" => Err("role `number` is given twice".into()) ; "twice")]
    fn history_columns_spec(spec: &str) -> Result<HistoryColumns, String> {
        HistoryColumns::parse(spec).map_err(|e| e.to_string())
    }

    #[test]
    fn bad_cdr_lines_are_reported_and_reading_goes_on() {
        let good = "\"\",\"\",\"13800138000\",\"out\",\"\",\"PJSIP/1-1\",\"\",\"Dial\",\"PJSIP/13800138000@t\",\
                    \"2026-10-08 09:15:00\",,\"2026-10-08 09:15:30\",30,0,\"NO ANSWER\",\"DOCUMENTATION\"";
        let log = [
            good.to_string(),
            // Cut short, as when the disk filled mid-write.
            "\"\",\"\",\"13900139000\",\"out\",\"\",\"PJSIP/1-2\",\"\",\"Dial\",\"x\",\"2026-10-08 09:16:00\"".into(),
            good.replace("2026-10-08 09:15:00", "2026-10-08 9h15"),
            good.replace("\"13800138000\"", "\"s\"")
                .replace("PJSIP/13800138000@t", "hello-world"),
            good.replace(
                "\"DOCUMENTATION\"",
                "\"DOCUMENTATION\",\"1.2\",\"\",\"\",\"1.2\",3,\"x\",\"y\"",
            ),
            String::new(),
            good.replace("\"\",\"\",\"13800138000\"", "\"\",\"\",\"13800138001\""),
            "\"unterminated,\"\"".into(),
        ]
        .join("\n");
        let dir = tempfile::tempdir().unwrap();
        let path = write(&dir, log.as_bytes());
        let reader = LogReader::open(&path, Some(LogFormat::Asterisk), &HistoryColumns::default(), shanghai()).unwrap();
        let items: Vec<_> = reader.collect();
        let lines: Vec<u64> = items.iter().filter_map(|i| i.as_ref().ok().map(|a| a.line)).collect();
        assert_eq!(lines, vec![1, 7]);
        let bad: Vec<(u64, String)> = items.into_iter().filter_map(Result::err).collect();
        assert_eq!(
            bad,
            vec![
                (2, "10 fields; an Asterisk cdr_csv record has 16 to 22".into()),
                (3, "cannot read the time `2026-10-08 9h15`".into()),
                (
                    4,
                    "no dialled number: dst is `s` and lastdata `hello-world` holds none".into()
                ),
                (5, "23 fields; an Asterisk cdr_csv record has 16 to 22".into()),
                (8, "a quoted field never closes".into()),
            ]
        );
    }

    #[test]
    fn unreadable_logs_exit_3() {
        let dir = tempfile::tempdir().unwrap();
        let open = |path: &Path| {
            LogReader::open(path, None, &HistoryColumns::default(), shanghai())
                .err()
                .unwrap()
        };
        let missing = open(&dir.path().join("nope.csv"));
        assert_eq!(crate::exit::status_of(&missing).code(), 3, "{missing:#}");
        let undecodable = open(&write(&dir, b"\xe5\x8f\xb7\xff\xff,time\n"));
        assert_eq!(crate::exit::status_of(&undecodable).code(), 3, "{undecodable:#}");
        let empty = open(&write(&dir, b"\n\r\n"));
        assert_eq!(crate::exit::status_of(&empty).code(), 3, "{empty:#}");
    }

    #[test]
    fn header_problems_are_usage_errors() {
        let cols = HistoryColumns::parse("number=dst").unwrap();
        let err = LogReader::open(&fixture("asterisk-Master.csv"), None, &cols, shanghai())
            .err()
            .unwrap();
        assert_eq!(crate::exit::status_of(&err).code(), 2);
        assert!(format!("{err:#}").contains("asterisk CDRs have no header"), "{err:#}");
        let forced = LogReader::open(
            &fixture("asterisk-Master.csv"),
            Some(LogFormat::Generic),
            &HistoryColumns::default(),
            shanghai(),
        )
        .err()
        .unwrap();
        assert!(
            format!("{forced:#}").contains("no number column found in the header: 1="),
            "{forced:#}"
        );
    }

    #[test]
    fn semicolon_crm_export_with_bom_and_blank_lead() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            "\u{feff}\r\nphone;time;status\r\n13800138000;2026-10-08 09:15;answered\r\n".as_bytes(),
        );
        let (format, got, bad) = read(&path, &HistoryColumns::default());
        assert_eq!(format, LogFormat::Generic);
        assert_eq!(
            got,
            owned(&[(3, "13800138000", "2026-10-08T01:15:00Z", "answered", None, "")])
        );
        assert!(bad.is_empty());
    }

    #[test_case("asterisk" => Some(LogFormat::Asterisk))]
    #[test_case("FreeSWITCH" => Some(LogFormat::FreeSwitch))]
    #[test_case("fs" => Some(LogFormat::FreeSwitch))]
    #[test_case("generic" => Some(LogFormat::Generic))]
    #[test_case("csv" => Some(LogFormat::Generic))]
    #[test_case("vicidial" => None)]
    fn format_names(name: &str) -> Option<LogFormat> {
        let format = LogFormat::parse(name)?;
        assert_eq!(LogFormat::parse(format.as_str()), Some(format));
        Some(format)
    }
}

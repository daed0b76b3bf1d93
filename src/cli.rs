//! The command line: clap's derive types, and the one function that turns raw arguments into
//! a checked configuration for each command.

use std::path::PathBuf;

use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};

use crate::phone::Lang;

/// Audit the phone numbers of loan-portfolio contact files: normalise and validate every
/// number against China's numbering rules, and report what can never connect.
#[derive(Debug, Parser)]
#[command(name = "contact-audit", version, about, long_about = None, propagate_version = true)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Colours: auto (only on a terminal, and not when NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

/// When to colour the verdicts and the failing-check lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Only when the stream written to is a terminal and NO_COLOR is unset or empty.
    Auto,
    /// Always, even into a pipe or with NO_COLOR set.
    Always,
    /// Never.
    Never,
}

impl ColorArg {
    /// Whether to colour a stream: `terminal` is whether it is one, `no_color` the value of
    /// NO_COLOR (<https://no-color.org>: set and not empty turns colours off in auto).
    pub(crate) fn enabled(self, terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
        match self {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => terminal && no_color.is_none_or(std::ffi::OsStr::is_empty),
        }
    }

    /// [`enabled`](Self::enabled) for this process's stdout (`true`) or stderr (`false`).
    pub(crate) fn for_stream(self, stdout: bool) -> bool {
        use std::io::IsTerminal as _;
        let terminal = if stdout {
            std::io::stdout().is_terminal()
        } else {
            std::io::stderr().is_terminal()
        };
        self.enabled(terminal, std::env::var_os("NO_COLOR").as_deref())
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check phone numbers given as arguments, or one cell per line on standard input.
    ///
    /// Each cell may hold several numbers, labels, extensions and export damage; every number
    /// found is judged ok, warn or invalid with stable issue codes.
    ///
    /// Examples:
    ///   contact-audit check 027-1234567 13912345678.0
    ///   cut -d, -f3 contacts.csv | contact-audit check --format json
    #[command(verbatim_doc_comment)]
    Check(CheckArgs),
    /// Audit a contact file: check every phone cell, write a cleaning report, gate CI.
    ///
    /// Writes the files listed below into --out as one set, replacing the earlier run's
    /// (with --history every number also gets a status and an action). Exit codes: 0 clean or
    /// under thresholds, 1 a --fail-on check failed, 2 usage or rules error or a refused
    /// --out, 3 input unreadable or output unwritable, 130/143 stopped by SIGINT/SIGTERM.
    ///
    /// Examples:
    ///   contact-audit audit contacts.csv --out audit/
    ///   contact-audit audit contacts.csv --out audit/ --fail-on 'invalid>2%' --fail-on 'bad_rows>0'
    ///   cat contacts.csv | contact-audit audit - --out audit/ --default-area-code 027
    ///   contact-audit audit contacts.csv --history crm-calls.csv --history Master.csv --out audit/
    #[command(verbatim_doc_comment, after_long_help = crate::report::outputs_help())]
    Audit(Box<AuditArgs>),
    /// Validate a rules set (the embedded one, or DIR) and list every bad line.
    Rules(RulesArgs),
    /// Explain an issue code (its severity and meaning), or list every code with --list.
    ///
    /// Examples:
    ///   contact-audit explain landline.length
    ///   contact-audit explain --list --format markdown --lang en
    #[command(verbatim_doc_comment)]
    Explain(ExplainArgs),
}

/// Options shared by the commands that judge numbers.
#[derive(Debug, ClapArgs)]
pub struct EngineArgs {
    /// Load rule tables from DIR instead of the embedded set.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Area code assumed for local numbers written without one (e.g. 027).
    #[arg(long, value_name = "CODE")]
    pub default_area_code: Option<String>,
    /// Language of messages, report.md and the workbooks' headers and values (default: from
    /// LC_ALL, LC_MESSAGES or LANG; Chinese when it starts with zh). CSV and JSON outputs keep
    /// their machine names.
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

/// `contact-audit check`.
#[derive(Debug, ClapArgs)]
pub struct CheckArgs {
    /// Cells to check; none means read one cell per line from standard input.
    #[arg(value_name = "CELL")]
    pub cells: Vec<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = CheckFormat::Table)]
    pub format: CheckFormat,
    /// Exit 1 when any cell holds an invalid number (or is empty or holds none). Without it,
    /// check exits 0 whatever it finds.
    #[arg(long)]
    pub fail_on_invalid: bool,
    /// Encoding of standard input; detected when omitted, as audit detects it (a BOM, else
    /// all UTF-8, else all GB18030).
    #[arg(long, value_name = "NAME", value_parser = ["utf-8", "utf8", "gb18030", "gbk"])]
    pub encoding: Option<String>,
    /// Shared engine options.
    #[command(flatten)]
    pub engine: EngineArgs,
}

/// `contact-audit audit`.
#[derive(Debug, ClapArgs)]
#[expect(clippy::struct_excessive_bools, reason = "each switch is its own command-line flag")]
pub struct AuditArgs {
    /// The contact file: CSV, or an Excel workbook (.xlsx, .xlsm, .xls, told by its content),
    /// or - for standard input.
    #[arg(value_name = "INPUT")]
    pub input: PathBuf,
    /// Output directory (created if needed). It may hold only the outputs of earlier runs,
    /// which the new set replaces whole; other files are refused unless --force.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: PathBuf,
    /// Write into an --out directory that holds files contact-audit did not write (they are
    /// left alone).
    #[arg(long)]
    pub force: bool,
    /// Most bytes of standard input spooled (e.g. 500M, 50G; k, M, G, T are powers of 1000,
    /// Ki, Mi, Gi, Ti of 1024). Default: 20G, or the free space of --out if less.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub spool_limit: Option<u64>,
    /// Input encoding; detected when omitted (a BOM, else all UTF-8, else all GB18030; UTF-8
    /// without one Chinese character that is valid GB18030 too reads as GB18030).
    #[arg(long, value_name = "NAME", value_parser = ["utf-8", "utf8", "gb18030", "gbk"])]
    pub encoding: Option<String>,
    /// Encoding of the CSV outputs.
    #[arg(long, value_enum, default_value_t = OutputEncodingArg::Utf8Bom)]
    pub output_encoding: OutputEncodingArg,
    /// Field delimiter: one character, or comma, semicolon, tab, pipe; detected when omitted.
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// Phone columns, comma-separated: header names or 1-based numbers, each optionally with
    /// :self, :family or :contact (e.g. 手机,配偶电话:family,5:contact). Detected when omitted.
    #[arg(long, value_name = "COLUMNS", value_delimiter = ',')]
    pub phone_columns: Option<Vec<String>>,
    /// Customer id column (header name or 1-based number). Detected when omitted.
    #[arg(long, value_name = "COLUMN")]
    pub id_column: Option<String>,
    /// The sheet to read when the input or a --history log is an Excel workbook: its name,
    /// else its 1-based number. Default: the first worksheet.
    #[arg(long, value_name = "NAME|INDEX")]
    pub sheet: Option<String>,
    /// The 1-based line (sheet row) of the contact file's header, in a CSV or a workbook.
    /// Detected when omitted: the first row that names a phone column (with --phone-columns,
    /// the first that has the columns it names), so title rows above it (bank exports) are
    /// skipped, and said on stderr. Call logs find their own header.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub header_row: Option<u64>,
    /// What to take out of cleaned.csv: verdicts (invalid, warn), issue codes, history (the
    /// numbers the call history says to prune, with --history), or none.
    #[arg(long, value_name = "LIST", value_delimiter = ',', default_value = "invalid")]
    pub prune: Vec<String>,
    /// Fail (exit 1) when EXPR holds, e.g. 'invalid>2%', 'landline.length>0', 'bad_rows>0'
    /// (quote it: an unquoted > is a shell redirect).
    /// Repeatable. Metrics: ok, warn, invalid, bad_rows, rows, numbers, customers,
    /// lost_contact, or any issue code; a % threshold is a share.
    #[arg(long, value_name = "EXPR")]
    pub fail_on: Vec<String>,
    /// Exit 0 even when a --fail-on check fails (the report still says so).
    #[arg(long)]
    pub exit_zero: bool,
    /// A number shared by at least N customers is reported as duplicate.across_records.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u64).range(2..))]
    pub shared_threshold: u64,
    /// Mask phone numbers (139****4567) in report.md, in summary.json's examples and in
    /// messages that quote input.
    #[arg(long)]
    pub mask: bool,
    /// Write cells copied from input exactly as they were. By default a copied cell that
    /// starts with =, +, -, @, a tab, a CR or a single quote gets a single quote in front, so
    /// that a spreadsheet never runs it as a formula (CSV injection); e164 and national are
    /// the tool's own and never changed.
    #[arg(long)]
    pub no_formula_guard: bool,
    /// Which outputs to write: `all`, or `summary` for a CI job that only gates (summary.json,
    /// report.md, junit.xml with --junit, and the exit status; none of the per-number or
    /// per-customer tables, which it then does not pay for).
    #[arg(long, value_enum, default_value_t = OutputsArg::All)]
    pub outputs: OutputsArg,
    /// Also write cleaned.xlsx, numbers.xlsx and customers.xlsx: phone cells typed as text,
    /// so Excel never shows 1.38E+10 or drops the +.
    #[arg(long)]
    pub xlsx: bool,
    /// Call-attempt log to join (repeatable): a CRM or dialer CSV export, an Asterisk
    /// Master.csv or a FreeSWITCH cdr-csv file. Each number then gets a status (reached,
    /// powered_off, no_answer, empty) and an action (keep, retry, retry_later, verify, prune).
    #[arg(long, value_name = "FILE")]
    pub history: Vec<PathBuf>,
    /// Layout of the history logs; detected when omitted.
    #[arg(long, value_name = "FORMAT", value_parser = ["generic", "asterisk", "freeswitch"])]
    pub history_format: Option<String>,
    /// Columns of generic history logs, e.g. number=被叫号码,time=呼叫时间,outcome=结果,talk=时长,notes=备注.
    #[arg(long, value_name = "SPEC")]
    pub history_columns: Option<String>,
    /// Format of the logs' call times, strftime-style (e.g. '%d/%m/%Y %H:%M'); decided from
    /// each log's time column when omitted, and needed when its dates could be day- or
    /// month-first.
    #[arg(long, value_name = "FORMAT")]
    pub time_format: Option<String>,
    /// Plausible call times, FROM..TO (YYYY-MM-DD or YYYY-MM-DD HH:MM, local; either end may
    /// be left out); a log line outside them is unreadable. Default: 2000-01-01 to one day
    /// after --as-of, or after now.
    #[arg(long, value_name = "FROM..TO")]
    pub history_time_range: Option<String>,
    /// Share of a log's lines that may be unreadable before the run stops (exit 3).
    #[arg(long, value_name = "PERCENT", default_value = "1%")]
    pub max_unreadable: String,
    /// Outside-line prefix the switch dials before numbers (e.g. 9), stripped from CDR
    /// numbers; detected when most numbers of a CDR carry it.
    #[arg(long, value_name = "DIGITS")]
    pub dial_prefix: Option<String>,
    /// Time zone of local times in the logs, and of time slots and the calling window.
    #[arg(long, value_name = "ZONE", default_value = "Asia/Shanghai")]
    pub timezone: String,
    /// "Now" for the history policy (YYYY-MM-DD or YYYY-MM-DD HH:MM, local); default the newest
    /// attempt, so the same files give the same report on any day.
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<std::num::NonZeroUsize>,
    /// No progress bar and no report on standard output.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// What standard output gets: text (report.md), json (summary.json's content) or junit
    /// (JUnit XML: a test case per --fail-on check and per issue code). Messages go to stderr.
    #[arg(long, short = 'f', value_enum, default_value_t = AuditFormat::Text)]
    pub format: AuditFormat,
    /// Also write junit.xml into --out, with the run's other outputs.
    #[arg(long)]
    pub junit: bool,
    /// Shared engine options.
    #[command(flatten)]
    pub engine: EngineArgs,
}

/// Encodings for the CSV outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputEncodingArg {
    /// UTF-8 with a byte-order mark, so Excel shows Chinese correctly.
    #[value(name = "utf-8-bom")]
    Utf8Bom,
    /// UTF-8 without a byte-order mark.
    #[value(name = "utf-8")]
    Utf8,
    /// GB18030.
    #[value(name = "gb18030")]
    Gb18030,
}

/// Which outputs `audit` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputsArg {
    /// Every output.
    All,
    /// The summary, the reports and the gate only.
    Summary,
}

/// What `audit` prints on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// report.md, the human report.
    Text,
    /// summary.json's content.
    Json,
    /// JUnit XML, as GitLab and Jenkins read it.
    Junit,
}

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// A readable block per cell.
    Table,
    /// One JSON object per input cell, one per line, in input order.
    Json,
}

/// `contact-audit rules`.
#[derive(Debug, ClapArgs)]
pub struct RulesArgs {
    /// What to do with the rules.
    #[command(subcommand)]
    pub action: RulesAction,
}

/// The `rules` actions.
#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// Check a rules set; print every bad line as `file:line: message` (exit 2 if any).
    Check {
        /// The rules directory; the embedded set when omitted.
        dir: Option<PathBuf>,
    },
}

/// `contact-audit explain`.
#[derive(Debug, ClapArgs)]
pub struct ExplainArgs {
    /// The issue code to explain (e.g. landline.length).
    #[arg(value_name = "CODE", required_unless_present = "list", conflicts_with = "list")]
    pub code: Option<String>,
    /// List every issue code with its severity and meaning.
    #[arg(long)]
    pub list: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
    /// Language of the explanation (default: from LC_ALL, LC_MESSAGES or LANG; Chinese when
    /// it starts with zh).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

/// How `explain` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Aligned plain text.
    Text,
    /// A Markdown table.
    Markdown,
}

impl ExplainArgs {
    /// The language, chosen as `check` chooses it.
    pub(crate) fn lang(&self) -> Lang {
        match self.lang {
            Some(LangArg::Zh) => Lang::Zh,
            Some(LangArg::En) => Lang::En,
            None => lang_from_env(),
        }
    }
}

/// Message language on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Simplified Chinese.
    Zh,
    /// English.
    En,
}

impl EngineArgs {
    /// The language: the flag, else LANG / `LC_ALL`, else English.
    pub fn lang(&self) -> Lang {
        match self.lang {
            Some(LangArg::Zh) => Lang::Zh,
            Some(LangArg::En) => Lang::En,
            None => lang_from_env(),
        }
    }
}

/// A size such as `20G`, `500MB`, `1.5GiB` or `4096`: a number and an optional unit, k, M, G, T
/// (powers of 1000) or Ki, Mi, Gi, Ti (powers of 1024), with or without a trailing B.
fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let unit = unit.trim();
    let unit = unit.strip_suffix(['B', 'b']).unwrap_or(unit);
    let scale: u64 = match unit.to_ascii_lowercase().as_str() {
        "" => 1,
        "k" => 1000,
        "m" => 1000_u64.pow(2),
        "g" => 1000_u64.pow(3),
        "t" => 1000_u64.pow(4),
        "ki" => 1 << 10,
        "mi" => 1 << 20,
        "gi" => 1 << 30,
        "ti" => 1 << 40,
        _ => return Err(format!("`{text}`: give a size such as 500M, 20G or 1.5GiB")),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}`: give a size such as 500M, 20G or 1.5GiB"))?;
    let bytes = value * scale as f64;
    if bytes < 1.0 || bytes >= u64::MAX as f64 {
        return Err(format!("`{text}`: give a size of at least 1 byte"));
    }
    Ok(bytes as u64)
}

fn lang_from_env() -> Lang {
    let var = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .unwrap_or_default();
    if var.to_ascii_lowercase().starts_with("zh") {
        Lang::Zh
    } else {
        Lang::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn colours_follow_the_flag_the_terminal_and_no_color() {
        let set = Some(std::ffi::OsStr::new("1"));
        let empty = Some(std::ffi::OsStr::new(""));
        assert!(ColorArg::Auto.enabled(true, None));
        assert!(ColorArg::Auto.enabled(true, empty));
        assert!(!ColorArg::Auto.enabled(true, set));
        assert!(!ColorArg::Auto.enabled(false, None));
        assert!(ColorArg::Always.enabled(false, set));
        assert!(!ColorArg::Never.enabled(true, None));
    }

    #[test]
    fn cli_is_well_formed() {
        Args::command().debug_assert();
    }

    #[test]
    fn sizes_read_in_decimal_and_binary_units() {
        assert_eq!(parse_size("20G"), Ok(20_000_000_000));
        assert_eq!(parse_size("500MB"), Ok(500_000_000));
        assert_eq!(parse_size("1.5GiB"), Ok(1_610_612_736));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("2 k"), Ok(2000));
        for bad in ["", "G", "10X", "-1", "0", "1.2.3M"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }
}

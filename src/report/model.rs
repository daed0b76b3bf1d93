//! What a finished run hands to the report writers: the counters, the checks, the shared
//! numbers, the input and rules facts. `audit` fills it in; `report` alone turns it into
//! summary.json and report.md, so the writers never reach back into the pipeline.

use serde::Serialize;

use super::summary::Summary;
use crate::exit::ExitStatus;
use crate::history::History;
use crate::input::Input;
use crate::phone::Lang;
use crate::rules::RuleSet;

/// How the report is written: the options that shape every output.
#[derive(Debug, Clone)]
#[expect(clippy::struct_excessive_bools, reason = "each is its own command-line switch")]
pub(crate) struct ReportOptions {
    /// The directory the files are written into: `--out` as given until the run begins, then
    /// the run's own directory inside it ([`super::OutputSet::dir`]), from which the finished
    /// set is moved into `--out`.
    pub(crate) out: std::path::PathBuf,
    /// Encoding of the CSV outputs.
    pub(crate) encoding: super::OutputEncoding,
    /// Language of messages and of report.md.
    pub(crate) lang: Lang,
    /// Mask phone numbers in report.md.
    pub(crate) mask: bool,
    /// A number shared by at least this many customers counts as `duplicate.across_records`.
    pub(crate) shared_threshold: u64,
    /// The formula-injection guard on cells copied from input (`--no-formula-guard` turns it
    /// off).
    pub(crate) guard: super::FormulaGuard,
    /// Write junit.xml into the set (`--junit`).
    pub(crate) junit: bool,
    /// `--xlsx`: write cleaned, numbers and customers as workbooks too.
    pub(crate) xlsx: bool,
    /// Write the per-number and per-customer tables (cleaned, numbers, removed, bad rows,
    /// customers, shared, and the history's); false with `--outputs summary`.
    pub(crate) tables: bool,
}

/// Whether a `--fail-on` check passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum GateStatus {
    /// The threshold was not crossed.
    Pass,
    /// The threshold was crossed: the run fails unless `--exit-zero`.
    Fail,
}

impl GateStatus {
    /// `pass` or `fail`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            GateStatus::Pass => "pass",
            GateStatus::Fail => "fail",
        }
    }
}

/// The outcome of one check, as written into summary.json.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct ThresholdResult {
    /// The expression as given.
    pub(crate) rule: String,
    /// The threshold.
    pub(crate) threshold: f64,
    /// True when threshold and observed are percentages.
    pub(crate) percent: bool,
    /// The observed value (a percentage when `percent`), rounded to 2 decimals.
    pub(crate) observed: f64,
    /// The observed count.
    pub(crate) count: u64,
    /// Passed or failed.
    pub(crate) status: GateStatus,
}

/// A number with the customers it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shared {
    /// The canonical form.
    pub(crate) number: String,
    /// Distinct customers.
    pub(crate) customers: u64,
    /// The first lines it appears on (at most five).
    pub(crate) lines: Vec<u64>,
}

/// Everything the summary writers read about a finished run.
pub(crate) struct Run<'a> {
    /// How to write.
    pub(crate) opts: &'a ReportOptions,
    /// The input as opened.
    pub(crate) input: &'a Input,
    /// The rules judged by.
    pub(crate) rules: &'a RuleSet,
    /// The counters.
    pub(crate) summary: &'a Summary,
    /// Numbers shared by at least the threshold, most customers first.
    pub(crate) shared: &'a [Shared],
    /// The checks' results.
    pub(crate) checks: &'a [ThresholdResult],
    /// The exit status.
    pub(crate) status: ExitStatus,
    /// The folded call history, with `--history`.
    pub(crate) history: Option<&'a History>,
    /// When the run started, for the run record of summary.json.
    pub(crate) started: jiff::Timestamp,
}

impl Run<'_> {
    /// True when any check failed.
    pub(crate) fn failed(&self) -> bool {
        self.checks.iter().any(|c| c.status == GateStatus::Fail)
    }
}

//! The one list of the files a run writes. The writers create files only through it, the
//! guard that refuses to overwrite an input checks against it, the move of a finished set
//! into `--out` and the removal of an earlier run's outputs go through it, and `audit --help`
//! prints it, so they can never disagree again (an input named prune.csv was once overwritten
//! because the guard's own list had fallen behind the writers).
//!
//! It also names the temporary files a run makes, so that those an interrupted run left behind
//! are recognised, and removed, by the next run.

use std::fmt::Write as _;

use crate::input::text::SPOOL_PREFIX;

/// An output file of `audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Output {
    /// One row per number.
    Numbers,
    /// The input with phone cells cleaned.
    Cleaned,
    /// Every value taken out of cleaned.csv, with its reason.
    Removed,
    /// One row per customer.
    Customers,
    /// Malformed records.
    BadRows,
    /// Numbers shared by several customers.
    Shared,
    /// The counters, for machines.
    Summary,
    /// The human report.
    Report,
    /// The human report as one self-contained web page.
    Html,
    /// Numbers the call history says to remove (with `--history`).
    Prune,
    /// Logged numbers that match no contact (with `--history`).
    Orphans,
    /// Calls outside the window or over the daily cap (with `--history`).
    Compliance,
    /// The CI checks as JUnit XML (with `--junit`).
    Junit,
    /// cleaned.csv as an Excel workbook (with `--xlsx`).
    CleanedXlsx,
    /// numbers.csv as an Excel workbook (with `--xlsx`).
    NumbersXlsx,
    /// customers.csv as an Excel workbook (with `--xlsx`).
    CustomersXlsx,
}

impl Output {
    /// Every output, in the order `--help` lists them.
    pub(crate) const ALL: [Output; 16] = [
        Output::Numbers,
        Output::Cleaned,
        Output::Removed,
        Output::Customers,
        Output::BadRows,
        Output::Shared,
        Output::Summary,
        Output::Report,
        Output::Html,
        Output::Prune,
        Output::Orphans,
        Output::Compliance,
        Output::Junit,
        Output::CleanedXlsx,
        Output::NumbersXlsx,
        Output::CustomersXlsx,
    ];

    /// The file name inside the output directory.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Output::Numbers => "numbers.csv",
            Output::Cleaned => "cleaned.csv",
            Output::Removed => "removed.csv",
            Output::Customers => "customers.csv",
            Output::BadRows => "bad_rows.csv",
            Output::Shared => "shared.csv",
            Output::Summary => "summary.json",
            Output::Report => "report.md",
            Output::Html => "report.html",
            Output::Prune => "prune.csv",
            Output::Orphans => "orphans.csv",
            Output::Compliance => "compliance.csv",
            Output::Junit => "junit.xml",
            Output::CleanedXlsx => "cleaned.xlsx",
            Output::NumbersXlsx => "numbers.xlsx",
            Output::CustomersXlsx => "customers.xlsx",
        }
    }

    /// What the file holds, for `--help`.
    const fn about(self) -> &'static str {
        match self {
            Output::Numbers => "one row per number: where it stands, canonical forms, kind, verdict, issues",
            Output::Cleaned => "the input, phone cells in canonical form, pruned numbers taken out",
            Output::Removed => "every value taken out of cleaned.csv, with its cell and reason",
            Output::Customers => "one row per customer, records merged wherever they stand",
            Output::BadRows => "malformed records (also passed through unchanged into cleaned.csv)",
            Output::Shared => "numbers shared by at least --shared-threshold customers",
            Output::Summary => "counts, input facts and check results, for machines",
            Output::Report => "the human summary, also printed unless --quiet",
            Output::Html => "report.md as one self-contained web page with charts, for a browser or e-mail",
            Output::Prune => "with --history: numbers to remove before the next campaign, with reasons",
            Output::Orphans => "with --history: logged numbers that match no contact",
            Output::Compliance => "with --history: calls outside the window, days over the cap",
            Output::Junit => "with --junit: the --fail-on checks and issue counts as JUnit XML, for CI",
            Output::CleanedXlsx => "with --xlsx: cleaned.csv as a workbook, phone cells typed as text",
            Output::NumbersXlsx => "with --xlsx: numbers.csv as a workbook, coloured by severity",
            Output::CustomersXlsx => "with --xlsx: customers.csv as a workbook, coloured by severity",
        }
    }
}

impl Output {
    /// True for the outputs only a run with `--history` writes.
    pub(crate) const fn needs_history(self) -> bool {
        matches!(self, Output::Prune | Output::Orphans | Output::Compliance)
    }

    /// True for the outputs written only when a flag asks for them (`--junit`).
    pub(crate) const fn on_request(self) -> bool {
        matches!(self, Output::Junit)
    }

    /// True for the outputs only a run with `--xlsx` writes.
    pub(crate) const fn needs_xlsx(self) -> bool {
        matches!(self, Output::CleanedXlsx | Output::NumbersXlsx | Output::CustomersXlsx)
    }

    /// The output with this file name, if any.
    pub(crate) fn from_name(name: &str) -> Option<Output> {
        Output::ALL.into_iter().find(|o| o.name() == name)
    }
}

/// The name prefix of a run's own directory inside `--out`, where every output, the standard
/// input spool and the sorter's spill files are written until the set is complete.
pub(crate) const RUN_DIR_PREFIX: &str = ".contact-audit-run-";

/// Name prefixes of the temporary files that versions before the run directory wrote straight
/// into `--out` (`.contact-audit-stdin-<pid>.tmp`, `.contact-audit-spill-<pid>-<n>.tmp`).
const LOOSE_PREFIXES: [&str; 2] = [SPOOL_PREFIX, ".contact-audit-spill-"];

/// True for a name in `--out` that only a run of this tool makes and an interrupted run can
/// leave behind: a run directory, a loose spool or spill file, or the temporary name of an
/// output (`.numbers.csv.tmp`, or `.numbers.csv.<random>.tmp`).
pub(crate) fn is_leftover(name: &str) -> bool {
    if name.starts_with(RUN_DIR_PREFIX) {
        return true;
    }
    let Some(tmp) = name.strip_suffix(".tmp") else {
        return false;
    };
    if LOOSE_PREFIXES.iter().any(|p| tmp.starts_with(p)) {
        return true;
    }
    Output::ALL.iter().any(|o| {
        tmp.strip_prefix('.')
            .and_then(|t| t.strip_prefix(o.name()))
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    })
}

/// The outputs as a list for `audit --help`, one line per file.
pub(crate) fn help() -> String {
    let mut text = String::from("Outputs (in --out DIR):\n");
    for o in Output::ALL {
        let _ = writeln!(text, "  {:<15} {}", o.name(), o.about());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_and_listed_once() {
        let mut names: Vec<&str> = Output::ALL.iter().map(|o| o.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Output::ALL.len());
        let help = help();
        assert!(Output::ALL.iter().all(|o| help.contains(o.name())));
        assert!(Output::ALL.iter().all(|o| Output::from_name(o.name()) == Some(*o)));
    }

    #[test]
    fn leftovers_are_recognised_by_name_only() {
        for name in [
            ".contact-audit-run-a1B2c3",
            ".contact-audit-stdin-4242.tmp",
            ".contact-audit-spill-4242-7.tmp",
            ".numbers.csv.tmp",
            ".customers.csv.x1Y2z3.tmp",
            ".numbers.xlsx.tmp",
        ] {
            assert!(is_leftover(name), "{name}");
        }
        for name in ["numbers.csv", "contacts.csv", ".numbers.csvx.tmp", ".env", "notes.tmp"] {
            assert!(!is_leftover(name), "{name}");
        }
    }
}

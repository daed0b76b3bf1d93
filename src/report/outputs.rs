//! The one list of the files a run writes. The writers create files only through it, the
//! guard that refuses to overwrite an input checks against it, and `audit --help` prints it,
//! so the three can never disagree again (an input named prune.csv was once overwritten
//! because the guard's own list had fallen behind the writers).

use std::fmt::Write as _;

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
    /// Numbers the call history says to remove (with `--history`).
    Prune,
    /// Logged numbers that match no contact (with `--history`).
    Orphans,
    /// Calls outside the window or over the daily cap (with `--history`).
    Compliance,
}

impl Output {
    /// Every output, in the order `--help` lists them.
    pub(crate) const ALL: [Output; 11] = [
        Output::Numbers,
        Output::Cleaned,
        Output::Removed,
        Output::Customers,
        Output::BadRows,
        Output::Shared,
        Output::Summary,
        Output::Report,
        Output::Prune,
        Output::Orphans,
        Output::Compliance,
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
            Output::Prune => "prune.csv",
            Output::Orphans => "orphans.csv",
            Output::Compliance => "compliance.csv",
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
            Output::Prune => "with --history: numbers to remove before the next campaign, with reasons",
            Output::Orphans => "with --history: logged numbers that match no contact",
            Output::Compliance => "with --history: calls outside the window, days over the cap",
        }
    }
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
    }
}

//! The run's counters: mergeable (every field adds up, example lists keep the smallest line
//! numbers), so batches fold in any order and the totals come out the same.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::history::policy::{Action, Status};
use crate::phone::{Issue, IssueSet, Kind, Place, Verdict};
use rustc_hash::FxHashMap;

/// How many example line numbers the report keeps per issue.
pub(crate) const EXAMPLES: usize = 5;

/// Counts of numbers by verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct VerdictCounts {
    /// All numbers.
    pub(crate) total: u64,
    /// Verdict ok.
    pub(crate) ok: u64,
    /// Verdict warn.
    pub(crate) warn: u64,
    /// Verdict invalid.
    pub(crate) invalid: u64,
}

impl VerdictCounts {
    fn add(&mut self, verdict: Verdict) {
        self.total += 1;
        match verdict {
            Verdict::Ok => self.ok += 1,
            Verdict::Warn => self.warn += 1,
            Verdict::Invalid => self.invalid += 1,
        }
    }

    fn merge(&mut self, o: &VerdictCounts) {
        self.total += o.total;
        self.ok += o.ok;
        self.warn += o.warn;
        self.invalid += o.invalid;
    }
}

/// Number-level counters. Kinds and issues are counted in arrays indexed by the enum, so a
/// number costs a few increments; names are attached when the summary is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NumberCounts {
    /// Totals by verdict.
    pub(crate) verdicts: VerdictCounts,
    /// Numbers by kind, indexed by `Kind as usize`.
    pub(crate) by_kind: [u64; KINDS.len()],
    /// Numbers (and cells, for cell-level codes) by issue, indexed by `Issue as usize`.
    pub(crate) by_issue: [u64; 64],
    /// Verdict counts per phone column, by position among the phone columns.
    pub(crate) by_column: Vec<VerdictCounts>,
}

impl Default for NumberCounts {
    fn default() -> Self {
        NumberCounts {
            verdicts: VerdictCounts::default(),
            by_kind: [0; KINDS.len()],
            by_issue: [0; 64],
            by_column: Vec::new(),
        }
    }
}

/// Every kind, in `Kind` order.
pub(crate) const KINDS: [Kind; 5] = [
    Kind::Mobile,
    Kind::Landline,
    Kind::Service,
    Kind::Foreign,
    Kind::Unknown,
];

/// Everything counted while records stream through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Summary {
    /// Data records read (header excluded).
    pub(crate) rows: u64,
    /// Records that were malformed and passed through.
    pub(crate) bad_rows: u64,
    /// Phone cells that were empty.
    pub(crate) empty_cells: u64,
    /// Number counters.
    pub(crate) numbers: NumberCounts,
    /// The smallest line numbers where each issue was found, indexed by `Issue as usize`.
    pub(crate) examples: Vec<Vec<u64>>,
    /// Customers (filled after the roll-up).
    pub(crate) customers: CustomerCounts,
    /// Numbers shared by at least the threshold number of customers (after the merge).
    pub(crate) shared_numbers: u64,
    /// Numbers taken out of the cleaned file.
    pub(crate) removed: u64,
    /// Numbers by call-history status (`Status as usize`), with `--history`.
    pub(crate) statuses: [u64; 6],
    /// Numbers by next action (`Action as usize`), with `--history`.
    pub(crate) actions: [u64; 5],
    /// Numbers to retry, by the slot (index into the policy's slots) to retry in.
    pub(crate) retry_slots: Vec<u64>,
    /// Numbers not judged invalid, by where they are (report.html's top regions).
    pub(crate) places: FxHashMap<Place, u64>,
    /// Mobiles not judged invalid, by block (report.html's top carriers, named by block).
    pub(crate) blocks: FxHashMap<u16, u64>,
    /// The call history's own counts, with `--history` (filled after the stream).
    pub(crate) calls: Option<CallCounts>,
}

/// What the call history counted, for the `--fail-on` gate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CallCounts {
    /// Log lines read, readable or not.
    pub(crate) lines: u64,
    /// Attempts read.
    pub(crate) attempts: u64,
    /// Lines that could not be read.
    pub(crate) unreadable: u64,
    /// Attempts whose outcome text maps to no class.
    pub(crate) unknown_outcome: u64,
    /// Attempts outside the calling window.
    pub(crate) window: u64,
    /// Number-days over the daily unanswered cap.
    pub(crate) cap: u64,
}

/// Customer-level counters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct CustomerCounts {
    /// Distinct customers.
    pub(crate) total: u64,
    /// Customers with no valid number of their own or their family's.
    pub(crate) lost_contact: u64,
    /// Customers flagged `customer.no_valid_number`.
    pub(crate) no_valid_number: u64,
    /// Customers flagged `customer.no_landline`.
    pub(crate) no_landline: u64,
    /// Customers by call-history status (`Status as usize`), with `--history`.
    #[serde(skip)]
    pub(crate) statuses: [u64; 6],
}

impl Summary {
    /// A summary for `columns` phone columns.
    pub(crate) fn new(columns: usize) -> Summary {
        let mut s = Summary::default();
        s.numbers.by_column = vec![VerdictCounts::default(); columns];
        s
    }

    /// Counts `n` numbers to retry in slot `slot`.
    pub(crate) fn add_retry(&mut self, slot: usize, n: u64) {
        if self.retry_slots.len() <= slot {
            self.retry_slots.resize(slot + 1, 0);
        }
        self.retry_slots[slot] += n;
    }

    /// Counts one number found in phone column `column` on `line`.
    pub(crate) fn add_number(&mut self, column: usize, kind: Kind, issues: IssueSet, line: u64) {
        let verdict = Verdict::of(issues);
        self.numbers.verdicts.add(verdict);
        if let Some(c) = self.numbers.by_column.get_mut(column) {
            c.add(verdict);
        }
        self.numbers.by_kind[kind as usize] += 1;
        self.add_issues(issues, line);
    }

    /// Counts where a number that is not invalid is: its place and its mobile block.
    pub(crate) fn add_place(&mut self, place: Option<Place>, block: Option<u16>) {
        if let Some(place) = place {
            *self.places.entry(place).or_default() += 1;
        }
        if let Some(block) = block {
            *self.blocks.entry(block).or_default() += 1;
        }
    }

    /// Counts issues found on `line` (cell-level ones too).
    pub(crate) fn add_issues(&mut self, issues: IssueSet, line: u64) {
        if self.examples.len() < 64 {
            self.examples.resize(64, Vec::new());
        }
        for issue in issues.iter() {
            self.numbers.by_issue[issue as usize] += 1;
            add_example(&mut self.examples[issue as usize], line);
        }
    }

    /// Adds `other` into `self`.
    pub(crate) fn merge(&mut self, other: &Summary) {
        self.rows += other.rows;
        self.bad_rows += other.bad_rows;
        self.empty_cells += other.empty_cells;
        self.removed += other.removed;
        for (a, b) in self.statuses.iter_mut().zip(other.statuses) {
            *a += b;
        }
        for (a, b) in self.actions.iter_mut().zip(other.actions) {
            *a += b;
        }
        for (slot, n) in other.retry_slots.iter().enumerate() {
            self.add_retry(slot, *n);
        }
        for (place, n) in &other.places {
            *self.places.entry(*place).or_default() += n;
        }
        for (block, n) in &other.blocks {
            *self.blocks.entry(*block).or_default() += n;
        }
        self.numbers.verdicts.merge(&other.numbers.verdicts);
        if self.numbers.by_column.len() < other.numbers.by_column.len() {
            self.numbers
                .by_column
                .resize(other.numbers.by_column.len(), VerdictCounts::default());
        }
        for (mine, theirs) in self.numbers.by_column.iter_mut().zip(&other.numbers.by_column) {
            mine.merge(theirs);
        }
        for (mine, theirs) in self.numbers.by_kind.iter_mut().zip(other.numbers.by_kind) {
            *mine += theirs;
        }
        for (mine, theirs) in self.numbers.by_issue.iter_mut().zip(other.numbers.by_issue) {
            *mine += theirs;
        }
        if self.examples.len() < other.examples.len() {
            self.examples.resize(other.examples.len(), Vec::new());
        }
        for (mine, theirs) in self.examples.iter_mut().zip(&other.examples) {
            for &line in theirs {
                add_example(mine, line);
            }
        }
    }

    /// Counts by issue code (variants that share a code are added together), code order.
    pub(crate) fn by_code(&self) -> BTreeMap<&'static str, u64> {
        let mut map = BTreeMap::new();
        for issue in Issue::ALL {
            let n = self.numbers.by_issue[*issue as usize];
            if n > 0 {
                *map.entry(issue.code()).or_default() += n;
            }
        }
        map
    }

    /// The example lines of an issue (the smallest line numbers it was seen on).
    pub(crate) fn examples_of(&self, issue: Issue) -> &[u64] {
        self.examples.get(issue as usize).map_or(&[][..], Vec::as_slice)
    }

    /// Numbers by kind name.
    pub(crate) fn by_kind(&self) -> BTreeMap<&'static str, u64> {
        KINDS
            .iter()
            .map(|k| (k.as_str(), self.numbers.by_kind[*k as usize]))
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// The count behind a metric and the base its share is taken of.
    pub(crate) fn metric(&self, name: &str) -> (u64, u64) {
        let numbers = self.numbers.verdicts.total;
        match name {
            "ok" => (self.numbers.verdicts.ok, numbers),
            "warn" => (self.numbers.verdicts.warn, numbers),
            "invalid" => (self.numbers.verdicts.invalid, numbers),
            "numbers" => (numbers, numbers),
            "rows" => (self.rows, self.rows),
            "bad_rows" => (self.bad_rows, self.rows),
            "customers" => (self.customers.total, self.customers.total),
            "lost_contact" => (self.customers.lost_contact, self.customers.total),
            "customer.no_valid_number" => (self.customers.no_valid_number, self.customers.total),
            "customer.no_landline" => (self.customers.no_landline, self.customers.total),
            "duplicate.across_records" => (self.shared_numbers, numbers),
            name => self
                .history_metric(name)
                .unwrap_or_else(|| (self.by_code().get(name).copied().unwrap_or(0), numbers)),
        }
    }

    /// A metric of the call history: customers by status (`reached`, `empty`,
    /// `never_called` ...), numbers by action (`prune`, `verify` ...), the compliance and
    /// unreadable-line counts. None for other names.
    fn history_metric(&self, name: &str) -> Option<(u64, u64)> {
        let customers = self.customers.total;
        if let Some(s) = Status::ALL.iter().find(|s| s.as_str() == name) {
            return Some((self.customers.statuses[*s as usize], customers));
        }
        if let Some(a) = Action::ALL.iter().find(|a| a.as_str() == name) {
            return Some((self.actions[*a as usize], self.numbers.verdicts.total));
        }
        let c = self.calls.unwrap_or_default();
        match name {
            "compliance.window" => Some((c.window, c.attempts)),
            "compliance.cap" => Some((c.cap, c.attempts)),
            "calls.unreadable" => Some((c.unreadable, c.lines)),
            "calls.unknown_outcome" => Some((c.unknown_outcome, c.attempts)),
            _ => None,
        }
    }

    /// The issues seen, with counts, most frequent first (ties by code, then variant). Keyed
    /// by variant, not code: two variants share `landline.local_prefix` with different
    /// severities (an error for 0 or 1, a warning for 9), and each row must carry its own.
    pub(crate) fn issues_by_count(&self) -> Vec<(Issue, u64)> {
        let mut list: Vec<(Issue, u64)> = Issue::ALL
            .iter()
            .map(|i| (*i, self.numbers.by_issue[*i as usize]))
            .filter(|(_, n)| *n > 0)
            .collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.code().cmp(b.0.code())).then(a.0.cmp(&b.0)));
        list
    }
}

/// Keeps the smallest [`EXAMPLES`] distinct lines, sorted.
fn add_example(lines: &mut Vec<u64>, line: u64) {
    match lines.binary_search(&line) {
        Err(at) if at < EXAMPLES => {
            lines.insert(at, line);
            lines.truncate(EXAMPLES);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(lines: &[u64]) -> Summary {
        let mut s = Summary::new(2);
        for &l in lines {
            s.rows += 1;
            let issues: IssueSet = [Issue::LandlineLength].into_iter().collect();
            s.add_number((l % 2) as usize, Kind::Landline, issues, l);
            s.add_number(0, Kind::Mobile, IssueSet::EMPTY, l);
        }
        s
    }

    #[test]
    fn merge_is_order_independent() {
        let (a, b, c) = (sample(&[9, 3, 7]), sample(&[2, 8]), sample(&[5, 1, 6, 4]));
        let mut left = a.clone();
        left.merge(&b);
        left.merge(&c);
        let mut right = c.clone();
        right.merge(&a);
        right.merge(&b);
        assert_eq!(left, right);
        assert_eq!(left.examples_of(Issue::LandlineLength), [1, 2, 3, 4, 5]);
        assert_eq!(left.numbers.verdicts.total, 18);
        assert_eq!(left.metric("invalid"), (9, 18));
    }
}

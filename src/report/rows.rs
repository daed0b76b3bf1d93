//! The typed rows of the CSV outputs and their one formatting. `audit` builds a row from
//! borrowed parts on a worker thread and calls `write`, which appends the formatted,
//! terminated row to a per-record buffer: formatting stays parallel, and no field becomes a
//! String of its own.

pub(crate) use super::csv::write_record;
use super::csv::{FormulaGuard, NEWLINE, RowWriter, write_input_record, write_verbatim_guarded};
use crate::history::ComplianceRule;
use crate::history::policy::{self, Action, Fine, Status};
use crate::history::state::Minutes;
use crate::input::Relation;
use crate::phone::{Issue, IssueSet, Kind, Lang, Verdict};

/// Appends issue codes joined by `;` (a code shared by two variants appears once).
pub(crate) fn push_codes(out: &mut String, issues: IssueSet) {
    let mut last = "";
    for code in issues.iter().map(Issue::code) {
        if code != last {
            if !last.is_empty() {
                out.push(';');
            }
            out.push_str(code);
            last = code;
        }
    }
}

/// Issue codes joined by `;`.
pub(crate) fn codes(issues: IssueSet) -> String {
    let mut s = String::new();
    push_codes(&mut s, issues);
    s
}

/// What the call history says of one number, for numbers.csv.
pub(crate) struct CallFacts<'a> {
    /// The four-way status.
    pub(crate) status: Status,
    /// The finer status behind it.
    pub(crate) fine: Fine,
    /// Attempts logged.
    pub(crate) attempts: u64,
    /// The newest attempt, when any.
    pub(crate) last_attempt: Option<Minutes>,
    /// What to do next.
    pub(crate) action: Action,
    /// When: a slot and its next start, or a date.
    pub(crate) next_slot: &'a str,
}

/// One row of numbers.csv.
pub(crate) struct NumberRow<'a> {
    pub(crate) line: u64,
    pub(crate) record: u64,
    pub(crate) customer_id: &'a str,
    pub(crate) column: &'a str,
    pub(crate) relation: Relation,
    pub(crate) raw: &'a str,
    pub(crate) e164: &'a str,
    pub(crate) national: &'a str,
    pub(crate) extension: &'a str,
    pub(crate) kind: Kind,
    pub(crate) region: &'a str,
    pub(crate) carrier: &'a str,
    pub(crate) verdict: Verdict,
    pub(crate) codes: &'a str,
    /// The history's word, with `--history` (the six columns stay empty without).
    pub(crate) call: Option<CallFacts<'a>>,
    /// The probable current number of a pre-upgrade landline (`landline.pre_upgrade`), to
    /// verify; empty otherwise. Last, so the columns before it keep their places.
    pub(crate) suggested: &'a str,
}

impl NumberRow<'_> {
    /// The header of numbers.csv.
    pub(crate) const HEADER: [&'static str; 21] = [
        "line",
        "record",
        "customer_id",
        "column",
        "relation",
        "raw",
        "e164",
        "national",
        "extension",
        "kind",
        "region",
        "carrier",
        "verdict",
        "issues",
        "status",
        "fine_status",
        "attempts",
        "last_attempt",
        "action",
        "next_slot",
        "suggested",
    ];

    /// Appends the row to `out`; cells copied from input are written under `guard`.
    pub(crate) fn write(&self, out: &mut Vec<u8>, guard: FormulaGuard) {
        let mut row = RowWriter::new(out, guard);
        row.num(self.line)
            .num(self.record)
            .input(self.customer_id)
            .input(self.column);
        row.plain(self.relation.as_str())
            .input(self.raw)
            .plain(self.e164)
            .text(self.national);
        row.plain(self.extension)
            .plain(self.kind.as_str())
            .text(self.region)
            .text(self.carrier);
        row.plain(self.verdict.as_str()).plain(self.codes);
        match &self.call {
            Some(c) => {
                let last = c.last_attempt.map(policy::format_minutes).unwrap_or_default();
                row.plain(c.status.as_str())
                    .plain(c.fine.as_str())
                    .num(c.attempts)
                    .text(&last);
                row.plain(c.action.as_str()).text(c.next_slot);
            }
            None => {
                row.empty(6);
            }
        }
        row.text(self.suggested).end();
    }
}

/// One row of removed.csv: a value taken out of cleaned.csv, its whole cell, and why.
pub(crate) struct RemovedRow<'a> {
    pub(crate) line: u64,
    pub(crate) record: u64,
    pub(crate) customer_id: &'a str,
    pub(crate) column: &'a str,
    pub(crate) raw: &'a str,
    pub(crate) cell: &'a str,
    pub(crate) issues: IssueSet,
    pub(crate) reason: &'a str,
    /// As in numbers.csv: the probable current number of a pre-upgrade landline, or empty.
    pub(crate) suggested: &'a str,
}

impl RemovedRow<'_> {
    /// The header of removed.csv.
    pub(crate) const HEADER: [&'static str; 10] = [
        "line",
        "record",
        "customer_id",
        "column",
        "raw",
        "cell",
        "verdict",
        "issues",
        "reason",
        "suggested",
    ];

    /// Appends the row to `out`; cells copied from input are written under `guard`.
    pub(crate) fn write(&self, out: &mut Vec<u8>, guard: FormulaGuard) {
        let mut row = RowWriter::new(out, guard);
        row.num(self.line)
            .num(self.record)
            .input(self.customer_id)
            .input(self.column);
        row.input(self.raw)
            .input(self.cell)
            .text(Verdict::of(self.issues).as_str());
        row.text(&codes(self.issues))
            .text(self.reason)
            .text(self.suggested)
            .end();
    }
}

/// One row of bad_rows.csv: a record that cannot be read as the header says.
pub(crate) struct BadRow<'a> {
    pub(crate) line: u64,
    pub(crate) record: u64,
    pub(crate) reason: &'a str,
    pub(crate) fields: u64,
    pub(crate) raw: &'a str,
}

impl BadRow<'_> {
    /// The header of bad_rows.csv.
    pub(crate) const HEADER: [&'static str; 5] = ["line", "record", "reason", "fields", "raw"];

    /// Appends the row to `out`; cells copied from input are written under `guard`.
    pub(crate) fn write(&self, out: &mut Vec<u8>, guard: FormulaGuard) {
        let mut row = RowWriter::new(out, guard);
        row.num(self.line).num(self.record).text(self.reason).num(self.fields);
        row.input(self.raw).end();
    }
}

/// One row of prune.csv: a number the call history says to remove.
pub(crate) struct PruneRow<'a> {
    pub(crate) line: u64,
    pub(crate) customer_id: &'a str,
    pub(crate) column: &'a str,
    pub(crate) relation: Relation,
    pub(crate) raw: &'a str,
    pub(crate) national: &'a str,
    pub(crate) status: Status,
    pub(crate) fine: Fine,
    pub(crate) reason: &'a str,
}

impl PruneRow<'_> {
    /// The header of prune.csv.
    pub(crate) const HEADER: [&'static str; 9] = [
        "line",
        "customer_id",
        "column",
        "relation",
        "raw",
        "national",
        "status",
        "fine_status",
        "reason",
    ];

    /// Appends the row to `out`; cells copied from input are written under `guard`.
    pub(crate) fn write(&self, out: &mut Vec<u8>, guard: FormulaGuard) {
        let mut row = RowWriter::new(out, guard);
        row.num(self.line).input(self.customer_id).input(self.column);
        row.text(self.relation.as_str()).input(self.raw).text(self.national);
        row.text(self.status.as_str())
            .text(self.fine.as_str())
            .text(self.reason)
            .end();
    }
}

/// Why the history prunes a number, from its fine status.
pub(crate) fn prune_reason(fine: Fine, lang: Lang) -> &'static str {
    let (zh, en) = match fine {
        Fine::WrongParty => (
            "接听者非本人且不认识客户",
            "answered by someone who is not the customer",
        ),
        Fine::Empty => (
            "不同日期两次以上确认为空号",
            "empty (空号) on two or more different days",
        ),
        Fine::SuspendedPersistent => (
            "长期停机（多次、跨两周以上）",
            "suspended on repeated attempts over two weeks or more",
        ),
        _ => ("通话记录显示号码无效", "the call history shows the number is dead"),
    };
    if lang == Lang::Zh { zh } else { en }
}

/// What the call history says of a customer, for customers.csv.
pub(crate) struct CustomerCall<'a> {
    /// The best status of the customer's own and family numbers.
    pub(crate) status: Status,
    /// The next action.
    pub(crate) action: Action,
    /// When: a slot and its next start (`weekday_evening 2026-11-02 18:00`), or a date.
    pub(crate) next_slot: &'a str,
    /// The best status of the emergency contacts' numbers, counted apart.
    pub(crate) contact_status: Option<Status>,
}

/// One row of customers.csv.
pub(crate) struct CustomerRow<'a> {
    pub(crate) id: &'a str,
    pub(crate) first_line: u64,
    pub(crate) records: u64,
    pub(crate) numbers: u64,
    /// Valid numbers by relation: own, family, contact.
    pub(crate) valid: [u64; 3],
    pub(crate) kinds: &'a str,
    pub(crate) lost_contact: bool,
    pub(crate) call: Option<CustomerCall<'a>>,
    pub(crate) issues: IssueSet,
}

impl CustomerRow<'_> {
    /// The header of customers.csv.
    pub(crate) const HEADER: [&'static str; 15] = [
        "customer_id",
        "first_line",
        "records",
        "numbers",
        "valid_numbers",
        "own_valid",
        "family_valid",
        "contact_valid",
        "kinds",
        "lost_contact",
        "status",
        "action",
        "next_slot",
        "contact_status",
        "issues",
    ];

    /// Appends the row to `out`; cells copied from input are written under `guard`.
    pub(crate) fn write(&self, out: &mut Vec<u8>, guard: FormulaGuard) {
        let mut row = RowWriter::new(out, guard);
        row.input(self.id)
            .num(self.first_line)
            .num(self.records)
            .num(self.numbers);
        row.num(self.valid.iter().sum())
            .num(self.valid[0])
            .num(self.valid[1])
            .num(self.valid[2]);
        row.text(self.kinds)
            .text(if self.lost_contact { "true" } else { "false" });
        match &self.call {
            Some(c) => {
                row.text(c.status.as_str()).text(c.action.as_str()).text(c.next_slot);
                row.text(c.contact_status.map_or("", Status::as_str));
            }
            None => {
                row.text("").text("").text("").text("");
            }
        }
        row.text(&codes(self.issues)).end();
    }
}

/// One row of orphans.csv: a logged number that matches no contact.
pub(crate) struct OrphanRow<'a> {
    pub(crate) number: &'a str,
    pub(crate) attempts: u64,
    pub(crate) last_attempt: Minutes,
    pub(crate) status: Status,
    pub(crate) fine: Fine,
}

impl OrphanRow<'_> {
    /// The header of orphans.csv.
    pub(crate) const HEADER: [&'static str; 5] = ["number", "attempts", "last_attempt", "status", "fine_status"];

    /// Appends the row to `out`; cells copied from input are written under `guard`.
    pub(crate) fn write(&self, out: &mut Vec<u8>, guard: FormulaGuard) {
        let mut row = RowWriter::new(out, guard);
        row.text(self.number).num(self.attempts);
        row.text(&policy::format_minutes(self.last_attempt));
        row.text(self.status.as_str()).text(self.fine.as_str()).end();
    }
}

/// One row of compliance.csv: an attempt outside the window, or a day over the cap.
pub(crate) struct ComplianceRow<'a> {
    pub(crate) rule: ComplianceRule,
    pub(crate) number: &'a str,
    /// The local time (window) or the day (cap), formatted.
    pub(crate) time: &'a str,
    /// The log and line of a window violation.
    pub(crate) place: Option<(&'a str, u64)>,
    /// Unanswered attempts that day, for a cap violation.
    pub(crate) unanswered: Option<u64>,
}

impl ComplianceRow<'_> {
    /// The header of compliance.csv.
    pub(crate) const HEADER: [&'static str; 6] = ["rule", "number", "time", "log", "line", "unanswered"];

    /// Appends the row to `out`; cells copied from input are written under `guard`.
    pub(crate) fn write(&self, out: &mut Vec<u8>, guard: FormulaGuard) {
        let mut row = RowWriter::new(out, guard);
        row.text(self.rule.as_str()).text(self.number).text(self.time);
        match self.place {
            Some((log, line)) => row.input(log).num(line),
            None => row.text("").text(""),
        };
        match self.unanswered {
            Some(n) => row.num(n),
            None => row.text(""),
        };
        row.end();
    }
}

/// One row of shared.csv.
pub(crate) fn write_shared(out: &mut Vec<u8>, s: &super::Shared) {
    let lines: Vec<String> = s.lines.iter().map(u64::to_string).collect();
    let mut row = RowWriter::new(out, FormulaGuard::Off);
    row.text(&s.number).num(s.customers).text(&lines.join(";")).end();
}

/// Appends a record of cleaned.csv in the input's delimiter: each field with whether it was
/// copied from input (guarded) or written by the tool (a rewritten phone cell, left as is).
pub(crate) fn write_cleaned<'f>(
    out: &mut Vec<u8>,
    fields: impl Iterator<Item = (&'f str, bool)>,
    delimiter: u8,
    guard: FormulaGuard,
) {
    for (i, (field, copied)) in fields.enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        let guard = if copied { guard } else { FormulaGuard::Off };
        super::csv::write_input_field(out, field, delimiter, guard);
    }
    out.extend_from_slice(NEWLINE);
}

/// Appends the header of cleaned.csv: the input's header names, guarded.
pub(crate) fn write_cleaned_header<'f>(
    out: &mut Vec<u8>,
    names: impl Iterator<Item = &'f str>,
    delimiter: u8,
    guard: FormulaGuard,
) {
    write_input_record(out, names, delimiter, guard);
    out.extend_from_slice(NEWLINE);
}

/// Appends a record that is passed through as it was read (a malformed one), its bytes kept
/// but for the guard's quotes.
pub(crate) fn write_verbatim(out: &mut Vec<u8>, text: &[u8], delimiter: u8, guard: FormulaGuard) {
    write_verbatim_guarded(out, text, delimiter, guard);
    out.extend_from_slice(NEWLINE);
}

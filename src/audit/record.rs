//! One record through the engine: the pure function at the heart of the pipeline. It takes a
//! raw record and returns everything the writers need (already formatted rows for
//! numbers.csv, cleaned.csv and removed.csv), the counts for the summary and the customer's
//! partial roll-up. No locks, no shared state: any thread, any order, same bytes.

use smallvec::SmallVec;

use super::customers::CustomerPart;
use super::shared::SharedNumber;
use crate::history::policy::{self, Action, Decision, Status};
use crate::history::state::{DAY, NumberState};
use crate::history::{self, History};
use crate::input::Row as InputRow;
use crate::input::columns::{Columns, Relation};
use crate::input::dialect::{Fields, write_field};
use crate::phone::{Engine, Issue, IssueSet, Kind, Lang, Number, Verdict, message};

/// Which numbers are taken out of the cleaned file.
#[derive(Debug, Clone, Default)]
pub struct Prune {
    /// Verdicts that prune (`invalid` by default).
    pub verdicts: Vec<Verdict>,
    /// Issue codes that prune whatever the verdict.
    pub codes: Vec<&'static str>,
}

impl Prune {
    /// Parses `--prune invalid,warn,landline.no_area_code`.
    pub fn parse(list: &[String]) -> anyhow::Result<Prune> {
        let mut prune = Prune::default();
        for item in list
            .iter()
            .flat_map(|s| s.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match item {
                "invalid" => prune.verdicts.push(Verdict::Invalid),
                "warn" => prune.verdicts.push(Verdict::Warn),
                "none" => {}
                code => match Issue::ALL.iter().find(|i| i.code() == code) {
                    Some(issue) => prune.codes.push(issue.code()),
                    None => {
                        anyhow::bail!("--prune: `{code}` is neither a verdict (invalid, warn, none) nor an issue code")
                    }
                },
            }
        }
        Ok(prune)
    }

    fn takes(&self, issues: IssueSet) -> bool {
        self.verdicts.contains(&Verdict::of(issues)) || issues.iter().any(|i| self.codes.contains(&i.code()))
    }
}

/// What every record needs to know about the run.
pub struct Ctx<'a> {
    /// The number engine.
    pub engine: Engine<'a>,
    /// The header's roles.
    pub columns: &'a Columns,
    /// Number of fields in the header.
    pub width: usize,
    /// The input's delimiter, also used for cleaned.csv.
    pub delimiter: u8,
    /// What to take out of cleaned.csv.
    pub prune: &'a Prune,
    /// The longest field accepted, in bytes.
    pub max_field: usize,
    /// Message language.
    pub lang: Lang,
    /// The folded call history, when `--history` was given.
    pub history: Option<&'a History>,
}

/// The counts one record contributes to the summary.
#[derive(Debug, Default)]
pub struct Tally {
    /// `(phone column position, kind, issues)` of each number.
    pub numbers: SmallVec<[(u16, Kind, IssueSet); 4]>,
    /// Cell-level issues of each phone cell that had any.
    pub cells: SmallVec<[IssueSet; 2]>,
    /// Empty phone cells.
    pub empty_cells: u32,
    /// Numbers and cell values taken out of the cleaned file.
    pub removed: u32,
    /// True when the record was malformed.
    pub bad: bool,
    /// The call-history status of each number (with `--history`).
    pub statuses: SmallVec<[Status; 4]>,
}

/// Everything the writers need from one record.
#[derive(Debug, Default)]
pub struct Processed {
    /// The line the record starts on.
    pub line: u64,
    /// The record for cleaned.csv, without terminator (the raw text for a malformed record).
    pub cleaned: Vec<u8>,
    /// Rows for numbers.csv, each ending in a newline.
    pub numbers_csv: Vec<u8>,
    /// Rows for removed.csv.
    pub removed_csv: Vec<u8>,
    /// A row for bad_rows.csv, when malformed.
    pub bad_csv: Vec<u8>,
    /// Counts for the summary.
    pub tally: Tally,
    /// The customer's partial roll-up (none for a malformed record).
    pub customer: Option<CustomerPart>,
    /// Valid own and family numbers, for the across-records duplicate search.
    pub shared: SmallVec<[SharedNumber; 4]>,
    /// Keys of numbers found in the call history (to tell orphans apart).
    pub matched: SmallVec<[u64; 4]>,
    /// Rows for prune.csv (with `--history`).
    pub prune_csv: Vec<u8>,
}

/// Header of numbers.csv.
pub const NUMBERS_HEADER: [&str; 20] = [
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
];
/// Header of prune.csv.
pub const PRUNE_HEADER: [&str; 9] = [
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
/// Header of removed.csv.
pub const REMOVED_HEADER: [&str; 9] = [
    "line",
    "record",
    "customer_id",
    "column",
    "raw",
    "cell",
    "verdict",
    "issues",
    "reason",
];
/// Header of bad_rows.csv.
pub const BAD_HEADER: [&str; 5] = ["line", "record", "reason", "fields", "raw"];

/// Processes record number `record` (1-based, header excluded).
pub fn process(rec: &InputRow, record: u64, ctx: &Ctx<'_>) -> Processed {
    let mut out = Processed {
        line: rec.line(),
        ..Processed::default()
    };
    let fields = rec.cells(ctx.delimiter);
    if let Some(reason) = malformed(rec, &fields, ctx) {
        let raw = rec.raw(ctx.delimiter);
        out.tally.bad = true;
        out.cleaned.extend_from_slice(&raw);
        let mut row = Row::new(&mut out.bad_csv);
        row.num(rec.line()).num(record).text(&reason).num(fields.len() as u64);
        row.text(&String::from_utf8_lossy(&raw)).end();
        return out;
    }
    let id = customer_id(&fields, ctx, rec.line());
    let mut found: Vec<Found> = Vec::new();
    let mut cells: SmallVec<[IssueSet; 4]> = SmallVec::new();
    for (pos, col) in ctx.columns.phones.iter().enumerate() {
        cells.push(check_cell(
            fields.get(col.index),
            pos,
            col.relation,
            ctx,
            &mut found,
            &mut out.tally,
        ));
    }
    mark_record_duplicates(&mut found);
    let mut customer = CustomerPart::new(id.clone(), rec.line());
    let mut forms = Forms::default();
    out.numbers_csv.reserve(found.len() * 160);
    for f in &found {
        customer.add(f.relation, f.number.kind, f.number.issues);
        out.tally.numbers.push((f.pos as u16, f.number.kind, f.number.issues));
        forms.render(&f.number);
        let raw = f.number.raw(fields.get(ctx.columns.phones[f.pos].index));
        let call = ctx.history.map(|h| call_status(h, &f.number, &mut out.matched));
        if let Some((d, _)) = &call {
            out.tally.statuses.push(d.status);
            customer.add_status(f.relation, d);
            if d.action == Action::Prune {
                write_prune_row(&mut out.prune_csv, rec.line(), &id, raw, f, d, &forms, ctx);
            }
        }
        write_number_row(
            &mut out.numbers_csv,
            (rec.line(), record),
            &id,
            raw,
            f,
            &forms,
            ctx,
            call.as_ref(),
        );
        if f.relation != Relation::Contact && f.number.verdict() != Verdict::Invalid {
            let canonical = if forms.e164.is_empty() {
                &forms.national
            } else {
                &forms.e164
            };
            out.shared.push(SharedNumber::new(canonical, &id, rec.line()));
        }
    }
    out.shared.sort();
    out.shared.dedup_by(|a, b| a.key == b.key);
    write_cleaned(&mut out, &fields, &found, &cells, record, &id, ctx);
    out.customer = Some(customer);
    out
}

/// One number found in a phone cell.
struct Found {
    pos: usize,
    relation: Relation,
    number: Number,
}

/// Why a record cannot be read as the header says, if it cannot.
fn malformed(rec: &InputRow, fields: &Fields, ctx: &Ctx<'_>) -> Option<String> {
    if rec.broken_quotes() {
        return Some("a quoted field is never closed".into());
    }
    if rec.has_nul() {
        return Some("the record contains a NUL byte".into());
    }
    if fields.len() != ctx.width {
        return Some(format!("{} fields where the header has {}", fields.len(), ctx.width));
    }
    let long = fields.iter().map(str::len).max().unwrap_or(0);
    (long > ctx.max_field).then(|| format!("a field of {long} bytes exceeds the limit of {} bytes", ctx.max_field))
}

/// The customer id of a record: its id column, or its line when there is none.
fn customer_id(fields: &Fields, ctx: &Ctx<'_>, line: u64) -> String {
    ctx.columns
        .id
        .map(|i| fields.get(i).trim())
        .filter(|id| !id.is_empty())
        .map_or_else(|| format!("line {line}"), str::to_string)
}

/// Checks one phone cell: its numbers go into `found`; returns its cell-level issues.
fn check_cell(
    text: &str,
    pos: usize,
    relation: Relation,
    ctx: &Ctx<'_>,
    found: &mut Vec<Found>,
    tally: &mut Tally,
) -> IssueSet {
    let cell = ctx.engine.check(text);
    if cell.issues.contains(Issue::Empty) {
        tally.empty_cells += 1;
    } else if !cell.issues.is_empty() {
        tally.cells.push(cell.issues);
    }
    for number in cell.numbers {
        found.push(Found { pos, relation, number });
    }
    cell.issues
}

/// `duplicate.in_record` on the second sighting of a number in one record, and
/// `contact.same_as_borrower` on a relative's or contact's number equal to the customer's own.
fn mark_record_duplicates(found: &mut [Found]) {
    for i in 1..found.len() {
        let (before, rest) = found.split_at_mut(i);
        let n = &mut rest[0];
        if n.number.digits.is_empty() {
            continue;
        }
        let same = |f: &&Found| f.number.digits == n.number.digits && f.number.kind == n.number.kind;
        if let Some(first) = before.iter().find(same) {
            n.number.issues.insert(Issue::DuplicateInRecord);
            if n.relation != Relation::Own && first.relation == Relation::Own {
                n.number.issues.insert(Issue::ContactSameAsBorrower);
            }
        }
    }
}

/// Writes one comma-separated output row field by field, without a String per field.
struct Row<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Row<'a> {
    fn new(out: &'a mut Vec<u8>) -> Self {
        Row { out, first: true }
    }

    fn sep(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
    }

    fn text(&mut self, s: &str) -> &mut Self {
        self.sep();
        write_field(self.out, s, b',');
        self
    }

    fn num(&mut self, n: u64) -> &mut Self {
        self.sep();
        self.out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        self
    }

    fn end(&mut self) {
        self.out.push(b'\n');
    }
}

/// A number's text forms, rendered once into reused buffers.
#[derive(Default)]
struct Forms {
    e164: String,
    national: String,
    codes: String,
}

impl Forms {
    fn render(&mut self, n: &Number) {
        self.e164.clear();
        self.national.clear();
        self.codes.clear();
        n.write_e164(&mut self.e164);
        n.write_national(&mut self.national);
        push_codes(&mut self.codes, n.issues);
    }
}

/// The call-history decision on a number, and its state (none: never called). Numbers the
/// engine judges invalid are empty and pruned, dialled or not.
fn call_status<'h>(
    h: &'h History,
    n: &Number,
    matched: &mut SmallVec<[u64; 4]>,
) -> (Decision, Option<&'h NumberState>) {
    let key = history::key(n);
    let state = h.states.get(&key);
    if state.is_some() {
        matched.push(key);
    }
    if n.verdict() == Verdict::Invalid {
        let d = Decision {
            status: Status::Empty,
            fine: "invalid",
            action: Action::Prune,
            slot: None,
            after_day: None,
        };
        return (d, state);
    }
    (h.policy.decide(state, h.as_of), state)
}

/// One row of numbers.csv.
#[allow(clippy::too_many_arguments)]
fn write_number_row(
    out: &mut Vec<u8>,
    (line, record): (u64, u64),
    id: &str,
    raw: &str,
    f: &Found,
    forms: &Forms,
    ctx: &Ctx<'_>,
    call: Option<&(Decision, Option<&NumberState>)>,
) {
    let rules = ctx.engine.rules();
    let n = &f.number;
    let mut row = Row::new(out);
    row.num(line)
        .num(record)
        .text(id)
        .text(&ctx.columns.phones[f.pos].name)
        .text(f.relation.as_str());
    row.text(raw).text(&forms.e164).text(&forms.national);
    row.text(n.extension.as_str()).text(n.kind.as_str());
    row.text(n.region(rules, ctx.lang).unwrap_or_default())
        .text(n.carrier(rules, ctx.lang).unwrap_or_default());
    row.text(n.verdict().as_str()).text(&forms.codes);
    match (call, ctx.history) {
        (Some((d, state)), Some(h)) => {
            let attempts = state.map_or(0, |s| u64::from(s.attempts));
            let last = state
                .filter(|s| s.attempts > 0)
                .map(|s| policy::format_minutes(s.last_attempt))
                .unwrap_or_default();
            row.text(d.status.as_str())
                .text(d.fine)
                .num(attempts)
                .text(&last)
                .text(d.action.as_str());
            row.text(&next_slot(h, d)).end();
        }
        _ => {
            row.text("").text("").text("").text("").text("").text("").end();
        }
    }
}

/// `weekday_evening 2026-11-02 18:00` for a retry, the date for `retry_later`.
pub fn next_slot(h: &History, d: &Decision) -> String {
    if let Some(day) = d.after_day {
        return policy::date_of(u32::from(day) * DAY).to_string();
    }
    let Some(slot) = d.slot else { return String::new() };
    let name = &h.policy.slots[usize::from(slot)].name;
    match h.policy.next_time(slot, h.as_of) {
        Some(t) => format!("{name} {}", policy::format_minutes(t)),
        None => name.clone(),
    }
}

/// One row of prune.csv.
#[allow(clippy::too_many_arguments)]
fn write_prune_row(
    out: &mut Vec<u8>,
    line: u64,
    id: &str,
    raw: &str,
    f: &Found,
    d: &Decision,
    forms: &Forms,
    ctx: &Ctx<'_>,
) {
    let reason = if d.fine == "invalid" {
        let worst = f.number.issues.worst();
        let issue = f
            .number
            .issues
            .iter()
            .find(|i| Some(i.severity()) == worst)
            .unwrap_or(Issue::Unrecognised);
        message(issue, Some(&f.number), ctx.engine.rules(), ctx.lang).into_owned()
    } else {
        prune_reason(d.fine, ctx.lang).to_string()
    };
    let mut row = Row::new(out);
    row.num(line)
        .text(id)
        .text(&ctx.columns.phones[f.pos].name)
        .text(f.relation.as_str())
        .text(raw);
    row.text(&forms.national)
        .text(d.status.as_str())
        .text(d.fine)
        .text(&reason)
        .end();
}

/// Why the history prunes a number.
fn prune_reason(fine: &str, lang: Lang) -> &'static str {
    let (zh, en) = match fine {
        "wrong_party" => (
            "接听者非本人且不认识客户",
            "answered by someone who is not the customer",
        ),
        "empty" => (
            "不同日期两次以上确认为空号",
            "empty (空号) on two or more different days",
        ),
        "suspended_persistent" => (
            "长期停机（多次、跨两周以上）",
            "suspended on repeated attempts over two weeks or more",
        ),
        _ => ("通话记录显示号码无效", "the call history shows the number is dead"),
    };
    if lang == Lang::Zh { zh } else { en }
}

/// Issue codes joined by `;` (a code shared by two variants appears once).
pub fn codes(issues: IssueSet) -> String {
    let mut s = String::new();
    push_codes(&mut s, issues);
    s
}

fn push_codes(out: &mut String, issues: IssueSet) {
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

/// Writes the cleaned record (phone cells rewritten: kept numbers in canonical form, pruned
/// ones out) and a removed row for everything taken out.
fn write_cleaned(
    out: &mut Processed,
    fields: &Fields,
    found: &[Found],
    cells: &[IssueSet],
    record: u64,
    id: &str,
    ctx: &Ctx<'_>,
) {
    let mut rewritten: SmallVec<[String; 4]> = SmallVec::new();
    for (pos, col) in ctx.columns.phones.iter().enumerate() {
        let original = fields.get(col.index);
        let mut kept: Vec<String> = Vec::new();
        let mut any = false;
        for f in found.iter().filter(|f| f.pos == pos) {
            any = true;
            if ctx.prune.takes(f.number.issues) {
                write_removed(
                    out,
                    (record, id, &col.name),
                    f.number.raw(original),
                    original,
                    f.number.issues,
                    Some(&f.number),
                    ctx,
                );
            } else {
                kept.push(f.number.cleaned());
            }
        }
        let text_only = !any && !cells[pos].contains(Issue::Empty) && !original.trim().is_empty();
        if text_only && ctx.prune.takes(cells[pos]) {
            // A cell with text but no number (无, 不详, a name): taken out whole, with why.
            write_removed(out, (record, id, &col.name), original, original, cells[pos], None, ctx);
        } else if text_only {
            kept.push(original.to_string());
        }
        rewritten.push(kept.join("/"));
    }
    let mut first = true;
    for (i, field) in fields.iter().enumerate() {
        if !first {
            out.cleaned.push(ctx.delimiter);
        }
        first = false;
        let phone = ctx.columns.phones.iter().position(|c| c.index == i);
        write_field(
            &mut out.cleaned,
            phone.map_or(field, |p| rewritten[p].as_str()),
            ctx.delimiter,
        );
    }
}

/// One row of removed.csv: the value taken out, its whole cell, and why.
fn write_removed(
    out: &mut Processed,
    (record, id, column): (u64, &str, &str),
    raw: &str,
    cell: &str,
    issues: IssueSet,
    number: Option<&Number>,
    ctx: &Ctx<'_>,
) {
    let severity = issues.worst();
    let worst = issues
        .iter()
        .find(|i| Some(i.severity()) == severity)
        .unwrap_or(Issue::NoNumber);
    let reason = message(worst, number, ctx.engine.rules(), ctx.lang);
    let mut row = Row::new(&mut out.removed_csv);
    row.num(out.line).num(record).text(id).text(column).text(raw).text(cell);
    row.text(Verdict::of(issues).as_str())
        .text(&codes(issues))
        .text(&reason)
        .end();
    out.tally.removed += 1;
}

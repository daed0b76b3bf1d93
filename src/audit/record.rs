//! One record through the engine: the pure function at the heart of the pipeline. It takes a
//! raw record and returns everything the writers need (the rows of numbers.csv, cleaned.csv,
//! removed.csv and prune.csv, formatted by `report`'s typed rows), the counts for the summary
//! and the customer's partial roll-up. No locks, no shared state: any thread, any order, same
//! bytes.

use smallvec::SmallVec;

use super::calls;
use super::cleaned;
use super::customers::CustomerPart;
use super::shared::SharedNumber;
use crate::history::History;
use crate::history::policy::{Action, Decision, Fine, Status};
use crate::input::columns::{Columns, Relation};
use crate::input::dialect::Fields;
use crate::input::{Fault, Row};
use crate::phone::{self, Engine, Issue, IssueSet, Kind, Lang, Number, Verdict};
use crate::report::rows::{self, push_codes};
use crate::report::{BadRow, FormulaGuard, NumberRow, RecordOut};

/// Which numbers are taken out of the cleaned file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Prune {
    /// Verdicts that prune (`invalid` by default).
    pub(crate) verdicts: Vec<Verdict>,
    /// Issue codes that prune whatever the verdict.
    pub(crate) codes: Vec<&'static str>,
    /// Also prune the numbers the call history says to prune (`--prune history`).
    pub(crate) history: bool,
}

impl Prune {
    /// Parses `--prune invalid,warn,landline.no_area_code`.
    pub(crate) fn parse(list: &[String]) -> anyhow::Result<Prune> {
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
                "history" => prune.history = true,
                "none" => {}
                code => match Issue::ALL.iter().find(|i| i.code() == code) {
                    Some(issue) => prune.codes.push(issue.code()),
                    None => {
                        anyhow::bail!(
                            "--prune: `{code}` is neither a verdict (invalid, warn, none), history, nor an issue code"
                        )
                    }
                },
            }
        }
        Ok(prune)
    }

    pub(crate) fn takes(&self, issues: IssueSet) -> bool {
        self.verdicts.contains(&Verdict::of(issues)) || issues.iter().any(|i| self.codes.contains(&i.code()))
    }
}

/// What every record needs to know about the run.
pub(crate) struct Ctx<'a> {
    /// The number engine.
    pub(crate) engine: Engine<'a>,
    /// The header's roles.
    pub(crate) columns: &'a Columns,
    /// Number of fields in the header.
    pub(crate) width: usize,
    /// The input's delimiter, also used for cleaned.csv.
    pub(crate) delimiter: u8,
    /// What to take out of cleaned.csv.
    pub(crate) prune: &'a Prune,
    /// The longest field accepted, in bytes.
    pub(crate) max_field: usize,
    /// Message language.
    pub(crate) lang: Lang,
    /// The folded call history, when `--history` was given.
    pub(crate) history: Option<&'a History>,
    /// The formula-injection guard on cells copied from input.
    pub(crate) guard: FormulaGuard,
    /// Format the rows of the per-number tables; false with `--outputs summary`, where only
    /// the counts are kept.
    pub(crate) tables: bool,
}

/// The counts one record contributes to the summary.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// `(phone column position, kind, issues)` of each number.
    pub(crate) numbers: SmallVec<[(u16, Kind, IssueSet); 4]>,
    /// Where each number that is not invalid is, and its mobile block.
    pub(crate) places: SmallVec<[(Option<phone::Place>, Option<u16>); 4]>,
    /// Cell-level issues of each phone cell that had any.
    pub(crate) cells: SmallVec<[IssueSet; 2]>,
    /// Empty phone cells.
    pub(crate) empty_cells: u32,
    /// Numbers and cell values taken out of the cleaned file.
    pub(crate) removed: u32,
    /// True when the record was malformed.
    pub(crate) bad: bool,
    /// True when the record had fewer fields than the header (read with empty cells).
    pub(crate) short: bool,
    /// The call-history status, action and retry slot of each number (with `--history`).
    pub(crate) calls: SmallVec<[(Status, Action, Option<u8>); 4]>,
}

/// Everything the writers need from one record.
#[derive(Debug, Default)]
pub(crate) struct Processed {
    /// The line the record starts on.
    pub(crate) line: u64,
    /// The formatted rows of the streamed outputs.
    pub(crate) out: RecordOut,
    /// Counts for the summary.
    pub(crate) tally: Tally,
    /// The customer's partial roll-up (none for a malformed record).
    pub(crate) customer: Option<CustomerPart>,
    /// Valid own and family numbers, for the across-records duplicate search.
    pub(crate) shared: SmallVec<[SharedNumber; 4]>,
    /// Keys of numbers found in the call history (to tell orphans apart).
    pub(crate) matched: SmallVec<[u64; 4]>,
}

/// Where a record stands and whose it is.
#[derive(Clone, Copy)]
pub(crate) struct Place<'a> {
    /// The line the record starts on.
    pub(crate) line: u64,
    /// The record number (1-based, header excluded).
    pub(crate) record: u64,
    /// The customer id.
    pub(crate) id: &'a str,
}

/// Processes record number `record` (1-based, header excluded); its rows are appended to
/// `out` (the buffers of the records before it in its chunk, handed on in `Processed::out`).
pub(crate) fn process(rec: &Row, record: u64, ctx: &Ctx<'_>, out: RecordOut) -> Processed {
    let line = rec.line();
    let mut p = Processed {
        line,
        out,
        ..Processed::default()
    };
    let mut fields = rec.cells(ctx.delimiter);
    if let Some(reason) = malformed(rec, &fields, ctx) {
        p.tally.bad = true;
        if !ctx.tables {
            return p;
        }
        // A record is passed through byte for byte; cells are written back as a record.
        let mut written = Vec::new();
        let text = rec.text().unwrap_or_else(|| {
            rows::write_record(&mut written, fields.iter(), ctx.delimiter);
            &written
        });
        // Only the start of a line over the length limit was kept: a cut copy in cleaned.csv
        // would be a silent change, so it is left out (bad_rows.csv says so).
        if !matches!(rec.fault(), Some(Fault::TooLong { .. })) {
            rows::write_verbatim(&mut p.out.cleaned, text, ctx.delimiter, ctx.guard);
        }
        let raw = String::from_utf8_lossy(text);
        let fields = fields.len() as u64;
        BadRow {
            line,
            record,
            reason: &reason,
            fields,
            raw: &raw,
        }
        .write(&mut p.out.bad, ctx.guard);
        return p;
    }
    // Exports drop trailing empty fields: a short record is read with empty cells to the
    // header's width (issue 10), so its phones are checked, and counted as `row.short`.
    if fields.len() < ctx.width {
        let padded = fields.to_mut();
        while padded.len() < ctx.width {
            padded.push("");
        }
        p.tally.short = true;
    }
    let id = customer_id(&fields, ctx, line);
    let place = Place { line, record, id: &id };
    let mut found: Founds = SmallVec::new();
    let mut cells: SmallVec<[IssueSet; 8]> = SmallVec::new();
    for (pos, col) in ctx.columns.phones.iter().enumerate() {
        // A spreadsheet's number cell is checked from its exact digits, and said so.
        let text = (fields.get(col.index), rec.is_integer(col.index));
        cells.push(check_cell(text, pos, col.relation, ctx, &mut found, &mut p.tally));
    }
    super::duplicates::mark_record_duplicates(&mut found);
    // The id moves into the roll-up once the numbers, which borrow it, are written.
    let mut customer = CustomerPart::new(String::new(), line);
    let mut forms = Forms::default();
    if ctx.tables {
        p.out.numbers.reserve(found.len() * 160);
    }
    let mut history_prunes: SmallVec<[Option<Fine>; 8]> = SmallVec::new();
    for f in &found {
        let raw = f.number.raw(fields.get(ctx.columns.phones[f.pos].index));
        let decision = add_number(&mut p, &mut customer, place, (f, raw), &mut forms, ctx);
        history_prunes.push(decision.filter(|d| d.action == Action::Prune).map(|d| d.fine));
    }
    p.shared.sort();
    p.shared.dedup_by(|a, b| a.key == b.key);
    if ctx.tables {
        cleaned::write(&mut p, &fields, (&found, &history_prunes), &cells, place, ctx);
    } else {
        p.tally.removed = cleaned::count_removed((&found, &history_prunes), &cells, &fields, ctx);
    }
    customer.id = id;
    p.customer = Some(customer);
    p
}

/// One number of the record: its numbers.csv row, its prune.csv row (with a history), its
/// share of the customer's roll-up and its shared-number sighting. Returns the history's
/// decision on it, with a history.
fn add_number(
    p: &mut Processed,
    customer: &mut CustomerPart,
    place: Place<'_>,
    (f, raw): (&Found, &str),
    forms: &mut Forms,
    ctx: &Ctx<'_>,
) -> Option<Decision> {
    customer.add(f.relation, f.number.kind, f.number.issues);
    p.tally.numbers.push((f.pos as u16, f.number.kind, f.number.issues));
    if f.number.verdict() != Verdict::Invalid {
        p.tally.places.push((f.number.place(), f.number.mobile_block()));
    }
    forms.render(&f.number, ctx.tables);
    let column = ctx.columns.phones[f.pos].name.as_str();
    let call = ctx.history.map(|h| calls::Call::of(h, &f.number, &mut p.matched));
    if let Some(call) = &call {
        let d = &call.decision;
        p.tally.calls.push((d.status, d.action, d.slot));
        customer.add_status(f.relation, &call.decision);
        if ctx.tables {
            calls::write_prune(&mut p.out.prune, place, (column, f, raw), &forms.national, call, ctx);
        }
    }
    if ctx.tables {
        number_row(p, place, (column, f, raw), forms, call.as_ref(), ctx);
    }
    if f.relation != Relation::Contact && f.number.verdict() != Verdict::Invalid {
        let canonical = if forms.e164.is_empty() {
            &forms.national
        } else {
            &forms.e164
        };
        p.shared.push(SharedNumber::new(canonical, place.id, place.line));
    }
    call.map(|c| c.decision)
}

/// Appends the numbers.csv row of one number.
fn number_row(
    p: &mut Processed,
    place: Place<'_>,
    (column, f, raw): (&str, &Found, &str),
    forms: &Forms,
    call: Option<&calls::Call<'_>>,
    ctx: &Ctx<'_>,
) {
    let rules = ctx.engine.rules();
    let next_slot = match (call, ctx.history) {
        (Some(call), Some(h)) => calls::next_slot(h, &call.decision),
        _ => String::new(),
    };
    let suggested = f.number.suggested(rules).unwrap_or_default();
    NumberRow {
        line: place.line,
        record: place.record,
        customer_id: place.id,
        column,
        relation: f.relation,
        raw,
        e164: &forms.e164,
        national: &forms.national,
        extension: f.number.extension.as_str(),
        kind: f.number.kind,
        region: f.number.region(rules, ctx.lang).unwrap_or_default(),
        carrier: f.number.carrier(rules, ctx.lang).unwrap_or_default(),
        verdict: f.number.verdict(),
        codes: &forms.codes,
        call: call.map(|c| c.facts(&next_slot)),
        suggested: &suggested,
    }
    .write(&mut p.out.numbers, ctx.guard);
}

/// The numbers of one record: inline up to eight (a contact file has a handful of phone
/// columns), so most records allocate nothing for them.
type Founds = SmallVec<[Found; 8]>;

/// One number found in a phone cell.
pub(crate) struct Found {
    pub(crate) pos: usize,
    pub(crate) relation: Relation,
    pub(crate) number: Number,
}

/// Why a record cannot be read as the header says, if it cannot.
fn malformed(rec: &Row, fields: &Fields, ctx: &Ctx<'_>) -> Option<String> {
    if let Some(fault) = rec.fault() {
        return Some(fault.reason(rec.line()));
    }
    if rec.has_nul() {
        return Some(crate::text::tr("the record contains a NUL byte", "该记录含有 NUL 字节").into());
    }
    let zh = crate::text::zh();
    // Fewer fields are read with empty trailing cells; more cannot be placed.
    if fields.len() > ctx.width {
        let (n, width) = (fields.len(), ctx.width);
        return Some(if zh {
            format!("{n} 个字段，而表头只有 {width} 列")
        } else {
            format!("{n} fields where the header has {width}")
        });
    }
    let (long, max) = (fields.iter().map(str::len).max().unwrap_or(0), ctx.max_field);
    (long > max).then(|| {
        if zh {
            format!("有一个字段长 {long} 字节，超过 {max} 字节的上限")
        } else {
            format!("a field of {long} bytes exceeds the limit of {max} bytes")
        }
    })
}

/// The customer id of a record: its id column, or its line when there is none.
fn customer_id(fields: &Fields, ctx: &Ctx<'_>, line: u64) -> String {
    ctx.columns
        .id
        .map(|i| fields.get(i).trim())
        .filter(|id| !id.is_empty())
        .map_or_else(|| format!("line {line}"), str::to_string)
}

/// Checks one phone cell (its text, and whether a spreadsheet stored it as an exact integer):
/// its numbers go into `found`; returns its cell-level issues.
fn check_cell(
    (text, numeric): (&str, bool),
    pos: usize,
    relation: Relation,
    ctx: &Ctx<'_>,
    found: &mut Founds,
    tally: &mut Tally,
) -> IssueSet {
    let cell = if numeric {
        ctx.engine.check_numeric(text)
    } else {
        ctx.engine.check(text)
    };
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

/// A number's text forms, rendered once into reused buffers.
#[derive(Default)]
struct Forms {
    e164: String,
    national: String,
    codes: String,
}

impl Forms {
    /// Renders the forms. Without `tables` only the canonical form is used (the shared-number
    /// key: E.164, else national), so the national form is rendered only when there is no
    /// E.164 form, and the issue codes not at all.
    fn render(&mut self, n: &Number, tables: bool) {
        self.e164.clear();
        self.national.clear();
        self.codes.clear();
        let complete = n.write_e164(&mut self.e164);
        if tables || !complete {
            n.write_national(&mut self.national);
        }
        if tables {
            push_codes(&mut self.codes, n.issues);
        }
    }
}

//! One record through the engine: the pure function at the heart of the pipeline. It takes a
//! raw record and returns everything the writers need (already formatted rows for
//! numbers.csv, cleaned.csv and removed.csv), the counts for the summary and the customer's
//! partial roll-up. No locks, no shared state: any thread, any order, same bytes.

use smallvec::SmallVec;

use super::customers::CustomerPart;
use super::shared::SharedNumber;
use crate::input::RawRecord;
use crate::input::columns::{Columns, Relation};
use crate::input::dialect::{split_fields_into, write_record};
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
}

/// Header of numbers.csv.
pub const NUMBERS_HEADER: [&str; 14] = [
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
pub fn process(rec: &RawRecord, record: u64, ctx: &Ctx<'_>) -> Processed {
    let mut out = Processed {
        line: rec.line,
        ..Processed::default()
    };
    let mut fields = Vec::with_capacity(ctx.width);
    split_fields_into(&rec.text, ctx.delimiter, &mut fields);
    if let Some(reason) = malformed(rec, &fields, ctx) {
        out.tally.bad = true;
        out.cleaned.extend_from_slice(&rec.text);
        let raw = String::from_utf8_lossy(&rec.text);
        let row = [
            rec.line.to_string(),
            record.to_string(),
            reason,
            fields.len().to_string(),
            raw.into_owned(),
        ];
        write_row(&mut out.bad_csv, &row);
        return out;
    }
    let id = customer_id(&fields, ctx, rec.line);
    let mut found: Vec<Found> = Vec::new();
    for (pos, col) in ctx.columns.phones.iter().enumerate() {
        check_cell(&fields[col.index], pos, col.relation, ctx, &mut found, &mut out.tally);
    }
    mark_record_duplicates(&mut found);
    let mut customer = CustomerPart::new(id.clone(), rec.line);
    for f in &found {
        customer.add(f.relation, f.number.kind, f.number.issues);
        out.tally.numbers.push((f.pos as u16, f.number.kind, f.number.issues));
        write_number_row(&mut out.numbers_csv, rec.line, record, &id, f, &fields, ctx);
        if f.relation != Relation::Contact && f.number.verdict() != Verdict::Invalid {
            out.shared.push(SharedNumber::new(&f.number, &id, rec.line));
        }
    }
    out.shared.sort();
    out.shared.dedup_by(|a, b| a.key == b.key);
    write_cleaned(&mut out, &mut fields, &found, record, &id, ctx);
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
fn malformed(rec: &RawRecord, fields: &[String], ctx: &Ctx<'_>) -> Option<String> {
    if rec.broken_quotes {
        return Some("a quoted field is never closed".into());
    }
    if rec.text.contains(&0) {
        return Some("the record contains a NUL byte".into());
    }
    if fields.len() != ctx.width {
        return Some(format!("{} fields where the header has {}", fields.len(), ctx.width));
    }
    let long = fields.iter().map(String::len).max().unwrap_or(0);
    (long > ctx.max_field).then(|| format!("a field of {long} bytes exceeds the limit of {} bytes", ctx.max_field))
}

/// The customer id of a record: its id column, or its line when there is none.
fn customer_id(fields: &[String], ctx: &Ctx<'_>, line: u64) -> String {
    ctx.columns
        .id
        .map(|i| fields[i].trim())
        .filter(|id| !id.is_empty())
        .map_or_else(|| format!("line {line}"), str::to_string)
}

/// Checks one phone cell; its numbers go into `found`, its cell-level issues into the tally.
fn check_cell(text: &str, pos: usize, relation: Relation, ctx: &Ctx<'_>, found: &mut Vec<Found>, tally: &mut Tally) {
    let cell = ctx.engine.check(text);
    if cell.issues.contains(Issue::Empty) {
        tally.empty_cells += 1;
        return;
    }
    if !cell.issues.is_empty() {
        tally.cells.push(cell.issues);
    }
    for number in cell.numbers {
        found.push(Found { pos, relation, number });
    }
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

fn write_row<S: AsRef<str>>(out: &mut Vec<u8>, fields: &[S]) {
    write_record(out, fields, b',');
    out.push(b'\n');
}

/// One row of numbers.csv.
fn write_number_row(out: &mut Vec<u8>, line: u64, record: u64, id: &str, f: &Found, fields: &[String], ctx: &Ctx<'_>) {
    let rules = ctx.engine.rules();
    let col = &ctx.columns.phones[f.pos];
    let n = &f.number;
    let row = [
        line.to_string(),
        record.to_string(),
        id.to_string(),
        col.name.clone(),
        f.relation.as_str().to_string(),
        n.raw(&fields[col.index]).to_string(),
        n.e164().unwrap_or_default(),
        n.national(),
        n.extension.as_str().to_string(),
        n.kind.as_str().to_string(),
        n.region(rules, ctx.lang).unwrap_or_default().to_string(),
        n.carrier(rules, ctx.lang).unwrap_or_default().to_string(),
        n.verdict().as_str().to_string(),
        codes(n.issues),
    ];
    write_row(out, &row);
}

/// Issue codes joined by `;` (a code shared by two variants appears once).
pub fn codes(issues: IssueSet) -> String {
    let mut list: Vec<&str> = issues.iter().map(Issue::code).collect();
    list.dedup();
    list.join(";")
}

/// Rewrites the phone cells of `fields` (kept numbers in canonical form, pruned ones out),
/// writes the cleaned record and the removed rows.
fn write_cleaned(out: &mut Processed, fields: &mut [String], found: &[Found], record: u64, id: &str, ctx: &Ctx<'_>) {
    let rules = ctx.engine.rules();
    for (pos, col) in ctx.columns.phones.iter().enumerate() {
        let original = std::mem::take(&mut fields[col.index]);
        let numbers: Vec<&Found> = found.iter().filter(|f| f.pos == pos).collect();
        let mut kept: Vec<String> = Vec::new();
        for f in &numbers {
            if ctx.prune.takes(f.number.issues) {
                let severity = f.number.issues.worst();
                let worst = f.number.issues.iter().find(|i| Some(i.severity()) == severity);
                let reason = worst
                    .map(|i| message(i, Some(&f.number), rules, ctx.lang))
                    .unwrap_or_default();
                let row = removed_row(
                    out.line,
                    record,
                    id,
                    col.name.as_str(),
                    f.number.raw(&original),
                    &original,
                    &f.number,
                    &reason,
                );
                write_row(&mut out.removed_csv, &row);
                out.tally.removed += 1;
            } else {
                kept.push(f.number.cleaned());
            }
        }
        let cell_issues = if numbers.is_empty() {
            ctx.engine.check(&original).issues
        } else {
            IssueSet::EMPTY
        };
        let text_only = numbers.is_empty() && !cell_issues.contains(Issue::Empty) && !original.trim().is_empty();
        if text_only && !ctx.prune.takes(cell_issues) {
            kept.push(original.clone());
        } else if text_only {
            // A cell with text but no number (无, 不详, a name): taken out whole, with why.
            let issue = cell_issues.iter().next().unwrap_or(Issue::NoNumber);
            let reason = message(issue, None, rules, ctx.lang);
            let row = [
                out.line.to_string(),
                record.to_string(),
                id.to_string(),
                col.name.clone(),
                original.clone(),
                original.clone(),
                Verdict::Invalid.as_str().to_string(),
                issue.code().to_string(),
                reason.into_owned(),
            ];
            write_row(&mut out.removed_csv, &row);
            out.tally.removed += 1;
        }
        fields[col.index] = kept.join("/");
    }
    write_record(&mut out.cleaned, fields, ctx.delimiter);
}

#[allow(clippy::too_many_arguments)]
fn removed_row(
    line: u64,
    record: u64,
    id: &str,
    column: &str,
    raw: &str,
    cell: &str,
    n: &Number,
    reason: &str,
) -> [String; 9] {
    [
        line.to_string(),
        record.to_string(),
        id.to_string(),
        column.to_string(),
        raw.to_string(),
        cell.to_string(),
        n.verdict().as_str().to_string(),
        codes(n.issues),
        reason.to_string(),
    ]
}

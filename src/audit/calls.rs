//! The call history's side of the audit: each number's decision, its prune.csv row, the
//! customer's next action, and after the stream orphans.csv and compliance.csv.

use std::collections::HashSet;

use rayon::prelude::*;
use smallvec::SmallVec;

use super::customers::CustomerPart;
use super::record::{Ctx, Found, Place};
use crate::history::policy::{self, Action, Decision, Fine, Status};
use crate::history::state::{DAY, Minutes, NumberState};
use crate::history::{self, ComplianceRule, History};
use crate::phone::{Issue, Number, Verdict, message};
use crate::report::rows::{CallFacts, ComplianceRow, OrphanRow, prune_reason};
use crate::report::{CallCounts, CsvFile, FormulaGuard, Output, PruneRow, ReportOptions, table};

/// The history's decision on one number, and its folded state (none: never called).
pub(crate) struct Call<'h> {
    pub(crate) decision: Decision,
    state: Option<&'h NumberState>,
}

impl<'h> Call<'h> {
    /// Looks the number up; records its key in `matched` when the history has it. Numbers
    /// the engine judges invalid are empty and pruned, dialled or not.
    pub(crate) fn of(h: &'h History, n: &Number, matched: &mut SmallVec<[u64; 4]>) -> Call<'h> {
        let key = history::key(n);
        let state = h.states.get(key);
        if state.is_some() {
            matched.push(key);
        }
        let decision = h.policy.decide(n.verdict() != Verdict::Invalid, state, h.as_of);
        Call { decision, state }
    }

    /// The history columns of numbers.csv.
    pub(crate) fn facts<'a>(&'a self, next_slot: &'a str) -> CallFacts<'a> {
        CallFacts {
            status: self.decision.status,
            fine: self.decision.fine,
            attempts: self.state.map_or(0, |s| u64::from(s.attempts)),
            last_attempt: self.state.filter(|s| s.attempts > 0).map(|s| s.last_attempt),
            action: self.decision.action,
            next_slot,
        }
    }
}

/// `weekday_evening 2026-11-02 18:00` for a retry, the date for `retry_later`; nothing for
/// the other actions, whose decisions carry neither.
pub(crate) fn next_slot(h: &History, d: &Decision) -> String {
    if let Some(day) = d.after_day {
        return policy::date_of(u32::from(day) * DAY).to_string();
    }
    let Some(slot) = d.slot else { return String::new() };
    let name = &h.policy.rules.slots[usize::from(slot)].name;
    match h.policy.next_time(slot, h.as_of) {
        Some(t) => format!("{name} {}", policy::format_minutes(t)),
        None => name.clone(),
    }
}

/// The prune.csv row of a number the history says to remove: an invalid number with the
/// engine's worst reason, a dead one with the history's.
pub(crate) fn write_prune(
    out: &mut Vec<u8>,
    place: Place<'_>,
    (column, f, raw): (&str, &Found, &str),
    national: &str,
    call: &Call<'_>,
    ctx: &Ctx<'_>,
) {
    let d = &call.decision;
    if d.action != Action::Prune {
        return;
    }
    let reason = if d.fine == Fine::Invalid {
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
    PruneRow {
        line: place.line,
        customer_id: place.id,
        column,
        relation: f.relation,
        raw,
        national,
        status: d.status,
        fine: d.fine,
        reason: &reason,
    }
    .write(out, ctx.guard);
}

/// The next action for a customer, and when: the action of their best number while it is
/// alive; once the best is a dead end, the most hopeful action left (a never-called
/// relative's number, a verification).
pub(crate) fn customer_action(h: &History, c: &CustomerPart) -> (Action, String) {
    let alive = matches!(c.status(), Status::Reached | Status::NoAnswer | Status::PoweredOff);
    let next = if alive { c.best.map(|b| b.next) } else { c.open };
    let Some(next) = next else {
        return (Action::Prune, String::new());
    };
    let decision = Decision {
        status: c.status(),
        // Not kept per customer: next_slot reads only the action, the slot and the date.
        fine: Fine::Unknown,
        action: next.action,
        slot: next.slot,
        after_day: next.after_day,
    };
    (next.action, next_slot(h, &decision))
}

/// orphans.csv (logged numbers that match no contact) and compliance.csv (neither with
/// `--outputs summary`); also counts the matched and unmatched attempts.
pub(crate) fn write_files(
    opts: &ReportOptions,
    h: &mut History,
    matched: &HashSet<u64>,
) -> anyhow::Result<Vec<CsvFile>> {
    let (hit, orphans) = h
        .states
        .par_iter()
        .fold(
            || (0u64, 0u64),
            |(hit, orphans), (k, s)| {
                if matched.contains(k) {
                    (hit + u64::from(s.attempts), orphans)
                } else {
                    (hit, orphans + 1)
                }
            },
        )
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    h.orphans += orphans;
    h.calls.matched = hit;
    // Unmatched: attempts on orphan numbers and attempts whose number could not be read.
    h.calls.unmatched = h.calls.attempts - hit;
    if !opts.tables {
        return Ok(Vec::new());
    }
    let orphans_csv = write_orphans(opts, h, matched)?;
    let compliance = table(
        opts,
        Output::Compliance,
        &ComplianceRow::HEADER,
        &h.violations,
        |v, out| {
            let time = if v.rule == ComplianceRule::Window {
                policy::format_minutes(v.at)
            } else {
                policy::date_of(v.at).to_string()
            };
            let number = history::key_digits(v.key).unwrap_or_default();
            ComplianceRow {
                rule: v.rule,
                number: &number,
                time: &time,
                place: v.place.map(|(log, line)| (h.logs[log].path.as_str(), line)),
                unanswered: (v.count > 0).then_some(u64::from(v.count)),
            }
            .write(out, opts.guard);
        },
    )?;
    Ok(vec![orphans_csv, compliance])
}

/// orphans.csv in key order. Each orphan's row is decided while the states are read in
/// memory order and kept as an [`Orphan`] of 16 bytes, which the sort and the formatting
/// use without going back to the state: sorting references and then reading each state in
/// key order was a cache miss a row (2.8 CPU-s of the 30M-attempt run, issue 11). The keys
/// are distinct (a map's), so an unstable parallel sort gives one order; the rows are
/// formatted in parallel, in chunks, and written in order.
fn write_orphans(opts: &ReportOptions, h: &History, matched: &HashSet<u64>) -> anyhow::Result<CsvFile> {
    let mut orphans: Vec<Orphan> = h
        .states
        .par_iter()
        .filter(|(k, _)| !matched.contains(*k))
        .map(|(k, s)| Orphan::of(h, *k, s))
        .collect();
    orphans.par_sort_unstable_by_key(|o| o.key);
    // A group at a time: formatting every row before writing held all of orphans.csv in
    // memory, 504 MB at 30M attempts (issue 11).
    let formatted = orphans.chunks(ORPHAN_GROUP).flat_map(|group| {
        group
            .par_chunks(ORPHAN_CHUNK)
            .map(|chunk| {
                let mut out = Vec::with_capacity(chunk.len() * 48);
                for orphan in chunk {
                    orphan.write(&mut out, opts.guard);
                }
                out
            })
            .collect::<Vec<Vec<u8>>>()
    });
    table(opts, Output::Orphans, &OrphanRow::HEADER, formatted, |chunk, out| {
        out.extend_from_slice(chunk);
    })
}

/// Orphan rows formatted per parallel task.
const ORPHAN_CHUNK: usize = 16 << 10;
/// Orphan rows formatted before they are written: about 25 MB of text.
const ORPHAN_GROUP: usize = 32 * ORPHAN_CHUNK;

/// What the orphans.csv row of a logged number shows: its key, its counts and its decision.
struct Orphan {
    key: u64,
    last_attempt: Minutes,
    attempts: u16,
    status: Status,
    fine: Fine,
}

impl Orphan {
    fn of(h: &History, key: u64, state: &NumberState) -> Orphan {
        let d = h.policy.decide(true, Some(state), h.as_of);
        Orphan {
            key,
            last_attempt: state.last_attempt,
            attempts: state.attempts,
            status: d.status,
            fine: d.fine,
        }
    }

    /// Appends the row.
    fn write(&self, out: &mut Vec<u8>, guard: FormulaGuard) {
        let number = history::key_digits(self.key).unwrap_or_else(|| format!("#{:016x}", self.key));
        OrphanRow {
            number: &number,
            attempts: u64::from(self.attempts),
            last_attempt: self.last_attempt,
            status: self.status,
            fine: self.fine,
        }
        .write(out, guard);
    }
}

/// The history's counts the `--fail-on` gate reads.
pub(crate) fn counts(h: &History) -> CallCounts {
    CallCounts {
        lines: h.calls.attempts + h.calls.bad_lines,
        attempts: h.calls.attempts,
        unreadable: h.calls.bad_lines,
        unknown_outcome: h.calls.unknown_outcome,
        window: h.violations_of(ComplianceRule::Window) as u64,
        cap: h.violations_of(ComplianceRule::DailyCap) as u64,
    }
}

//! cleaned.csv and removed.csv for one record: phone cells rewritten with the kept numbers in
//! canonical form, and a removed.csv row for every value taken out, so that the two files
//! together give back every phone value of the input.

use std::ops::Range;

use smallvec::SmallVec;

use super::record::{Ctx, Found, Place, Processed};
use crate::history::policy::Fine;
use crate::input::dialect::Fields;
use crate::phone::{Issue, IssueSet, Number, message};
use crate::report::rows::{self, prune_reason};
use crate::report::{FormulaGuard, RemovedRow};

/// Writes the cleaned record (phone cells rewritten: kept numbers in canonical form, pruned
/// ones out) and a removed row for everything taken out.
/// `history_prunes` holds, for each found number, the fine status the history prunes it for.
pub(crate) fn write(
    p: &mut Processed,
    fields: &Fields,
    (found, history_prunes): (&[Found], &[Option<Fine>]),
    cells: &[IssueSet],
    place: Place<'_>,
    ctx: &Ctx<'_>,
) {
    // The rewritten cells, one after another in one buffer: each cell's span, and whether it
    // is still the input's text (guarded when written).
    let mut text = String::with_capacity(64);
    let mut spans: SmallVec<[(Range<usize>, bool); 8]> = SmallVec::new();
    for (pos, col) in ctx.columns.phones.iter().enumerate() {
        let original = fields.get(col.index);
        let at = (place, col.name.as_str(), original);
        let start = text.len();
        let (mut any, mut kept) = (false, 0);
        for (f, by_history) in found.iter().zip(history_prunes).filter(|(f, _)| f.pos == pos) {
            any = true;
            let raw = f.number.raw(original);
            match taken_out(f, *by_history, ctx) {
                Some(Taken::ByIssues) => removed(p, at, raw, f.number.issues, Some(&f.number), ctx),
                Some(Taken::ByHistory(fine)) => {
                    let reason = prune_reason(fine, ctx.lang);
                    let suggested = f.number.suggested(ctx.engine.rules()).unwrap_or_default();
                    removed_row(p, at, (raw, &suggested), (f.number.issues, reason), ctx.guard);
                }
                None => {
                    kept_separator(&mut text, &mut kept);
                    f.number.write_cleaned(&mut text);
                }
            }
        }
        let text_only = is_text_only(any, cells[pos], original);
        if text_only && ctx.prune.takes(cells[pos]) {
            // A cell with text but no number (无, 不详, a name): taken out whole, with why.
            removed(p, at, original, cells[pos], None, ctx);
        } else if text_only {
            kept_separator(&mut text, &mut kept);
            text.push_str(original);
        }
        spans.push((start..text.len(), text_only && kept > 0));
    }
    let phones = &ctx.columns.phones;
    let cells = fields.iter().enumerate().map(|(i, field)| {
        phones
            .iter()
            .position(|c| c.index == i)
            .map_or((field, true), |p| (&text[spans[p].0.clone()], spans[p].1))
    });
    rows::write_cleaned(&mut p.out.cleaned, cells, ctx.delimiter, ctx.guard);
}

/// Separates a kept value from the one before it in its cell; `kept` counts them.
fn kept_separator(text: &mut String, kept: &mut usize) {
    if *kept > 0 {
        text.push('/');
    }
    *kept += 1;
}

/// How many values [`write()`] takes out of the record, without formatting anything
/// (`--outputs summary`): the same decisions, [`taken_out`] and [`is_text_only`].
pub(crate) fn count_removed(
    (found, history_prunes): (&[Found], &[Option<Fine>]),
    cells: &[IssueSet],
    fields: &Fields,
    ctx: &Ctx<'_>,
) -> u32 {
    let mut removed = 0;
    for (pos, col) in ctx.columns.phones.iter().enumerate() {
        let mut any = false;
        for (f, by_history) in found.iter().zip(history_prunes).filter(|(f, _)| f.pos == pos) {
            any = true;
            removed += u32::from(taken_out(f, *by_history, ctx).is_some());
        }
        let text_only = is_text_only(any, cells[pos], fields.get(col.index));
        removed += u32::from(text_only && ctx.prune.takes(cells[pos]));
    }
    removed
}

/// Why a found number leaves the cleaned file.
enum Taken {
    /// Its issues are among those `--prune` names.
    ByIssues,
    /// `--prune history`, and the history prunes it for this fine status.
    ByHistory(Fine),
}

/// Whether, and why, a found number is taken out; `by_history` is the fine status the history
/// prunes it for, if it does.
fn taken_out(f: &Found, by_history: Option<Fine>, ctx: &Ctx<'_>) -> Option<Taken> {
    if ctx.prune.takes(f.number.issues) {
        Some(Taken::ByIssues)
    } else {
        by_history.filter(|_| ctx.prune.history).map(Taken::ByHistory)
    }
}

/// Whether a phone cell holds text but no number (无, 不详, a name): it has no number, is
/// not empty, and is not blank.
fn is_text_only(any_number: bool, cell: IssueSet, original: &str) -> bool {
    !any_number && !cell.contains(Issue::Empty) && !original.trim().is_empty()
}

/// One row of removed.csv: the value taken out, its whole cell, and why.
fn removed(
    p: &mut Processed,
    (place, column, cell): (Place<'_>, &str, &str),
    raw: &str,
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
    let suggested = number.and_then(|n| n.suggested(ctx.engine.rules())).unwrap_or_default();
    removed_row(
        p,
        (place, column, cell),
        (raw, &suggested),
        (issues, &reason),
        ctx.guard,
    );
}

/// Appends the removed.csv row and counts it; `suggested` is the number's probable current
/// form (a pre-upgrade landline), reported beside it, never written into cleaned.csv.
fn removed_row(
    p: &mut Processed,
    (place, column, cell): (Place<'_>, &str, &str),
    (raw, suggested): (&str, &str),
    (issues, reason): (IssueSet, &str),
    guard: FormulaGuard,
) {
    RemovedRow {
        line: place.line,
        record: place.record,
        customer_id: place.id,
        column,
        raw,
        cell,
        issues,
        reason,
        suggested,
    }
    .write(&mut p.out.removed, guard);
    p.tally.removed += 1;
}

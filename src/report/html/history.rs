//! The page's history sections, with `--history`: the customers by call outcome, the next
//! actions, the attempts by time slot and outcome, the attempts by outcome class and the compliance
//! facts, from the folded history and the summary's counts.

use serde::Serialize;

use super::charts::{Bar, bars, colour};
use super::labels::label;
use super::page::{Row, mask_text, row, share};
use crate::history::policy::{self, Action, Status};
use crate::history::{ComplianceRule, History};
use crate::phone::Lang;
use crate::report::{CalendarGap, Run};
use crate::rules::{Class, Four};

/// The customer headline, with a history.
#[derive(Serialize)]
pub(super) struct Customers {
    rows: Vec<Row>,
    chart: String,
    attempts: u64,
    matched: u64,
    as_of: String,
    lost_contact: u64,
    lost_share: String,
    window_violations: usize,
    cap_violations: usize,
    calendar_note: Option<String>,
    after_as_of: u64,
    bad_lines: u64,
    bad_examples: Vec<String>,
    never_dialled: u64,
}

/// A slot's row: its attempts by outcome.
#[derive(Serialize)]
pub(super) struct SlotRow {
    name: String,
    attempts: u64,
    reached: u64,
    powered_off: u64,
    no_answer: u64,
    empty: u64,
    unknown: u64,
    rate: String,
}

/// The compliance facts, with a history.
#[derive(Serialize)]
pub(super) struct Compliance {
    window: String,
    cap: u16,
    window_violations: usize,
    cap_violations: usize,
}

/// The statuses in the order the headline lists them, with their colours.
const STATUSES: [(Status, plotters::style::RGBColor); 6] = [
    (Status::Reached, colour::GOOD),
    (Status::PoweredOff, colour::OFF),
    (Status::NoAnswer, colour::WARN),
    (Status::Unknown, colour::NEUTRAL),
    (Status::NeverCalled, colour::NEUTRAL),
    (Status::Empty, colour::BAD),
];

pub(super) fn customers(o: &Run<'_>, h: &History, lang: Lang) -> Customers {
    let c = &o.summary.customers;
    let shown = STATUSES
        .iter()
        .filter(|(st, _)| c.statuses[*st as usize] > 0 || *st != Status::Unknown);
    let rows: Vec<Row> = shown
        .clone()
        .map(|(st, _)| row(st.as_str(), label(lang, st.as_str()), c.statuses[*st as usize], c.total))
        .collect();
    let chart = bars(
        &shown
            .map(|(st, col)| Bar::one(label(lang, st.as_str()), c.statuses[*st as usize], *col))
            .collect::<Vec<_>>(),
    );
    Customers {
        rows,
        chart,
        attempts: h.calls.attempts,
        matched: h.calls.matched,
        as_of: policy::format_minutes(h.as_of),
        lost_contact: c.lost_contact,
        lost_share: share(c.lost_contact, c.total),
        window_violations: h.violations_of(ComplianceRule::Window),
        cap_violations: h.violations_of(ComplianceRule::DailyCap),
        calendar_note: CalendarGap::of(h).map(|g| g.note(lang == Lang::Zh)),
        after_as_of: h.calls.after_as_of,
        bad_lines: h.calls.bad_lines,
        bad_examples: h.calls.bad_examples.iter().map(|e| mask_text(e, o.opts.mask)).collect(),
        never_dialled: o.summary.statuses[Status::NeverCalled as usize],
    }
}

pub(super) fn actions(o: &Run<'_>, h: &History, lang: Lang) -> (Vec<Row>, String) {
    let s = o.summary;
    let total = s.numbers.verdicts.total;
    let n = |a: Action| s.actions[a as usize];
    let mut rows = vec![(row("prune", label(lang, "prune"), n(Action::Prune), total), colour::BAD)];
    for (slot, count) in s.retry_slots.iter().enumerate().filter(|(_, n)| **n > 0) {
        let name = h.policy.rules.slots.get(slot).map_or("?", |sl| sl.name.as_str());
        let text = format!("{} {name}", label(lang, "retry_in"));
        rows.push((row(format!("retry-{name}"), text, *count, total), colour::WARN));
    }
    let no_slot = n(Action::Retry) - s.retry_slots.iter().sum::<u64>();
    if no_slot > 0 {
        rows.push((row("retry", label(lang, "retry_no_slot"), no_slot, total), colour::WARN));
    }
    rows.push((
        row("retry_later", label(lang, "retry_later"), n(Action::RetryLater), total),
        colour::OFF,
    ));
    rows.push((
        row("verify", label(lang, "verify"), n(Action::Verify), total),
        colour::NEUTRAL,
    ));
    rows.push((row("keep", label(lang, "keep"), n(Action::Keep), total), colour::GOOD));
    let chart = bars(
        &rows
            .iter()
            .map(|(r, c)| Bar::one(r.label.clone(), r.count, *c))
            .collect::<Vec<_>>(),
    );
    (rows.into_iter().map(|(r, _)| r).collect(), chart)
}

/// Attempts per time slot and outcome, and the answer rate of each slot (reached attempts
/// of all attempts in it), counted as the history was read.
pub(super) fn slots(h: &History) -> (Vec<SlotRow>, String) {
    let rows: Vec<SlotRow> = h
        .policy
        .rules
        .slots
        .iter()
        .enumerate()
        .map(|(i, sl)| {
            let n = h.calls.by_slot.get(i).copied().unwrap_or_default();
            let attempts = n.iter().sum();
            SlotRow {
                name: sl.name.clone(),
                attempts,
                reached: n[Four::Reached as usize],
                powered_off: n[Four::PoweredOff as usize],
                no_answer: n[Four::NoAnswer as usize],
                empty: n[Four::Empty as usize],
                unknown: n[Four::Unknown as usize],
                rate: share(n[Four::Reached as usize], attempts),
            }
        })
        .collect();
    let chart = bars(
        &rows
            .iter()
            .map(|r| Bar {
                label: r.name.clone(),
                segments: vec![
                    (r.reached, colour::GOOD),
                    (r.no_answer, colour::WARN),
                    (r.powered_off, colour::OFF),
                    (r.empty, colour::BAD),
                    (r.unknown, colour::NEUTRAL),
                ],
            })
            .collect::<Vec<_>>(),
    );
    (rows, chart)
}

pub(super) fn outcomes(h: &History) -> (Vec<Row>, String) {
    let mut rows: Vec<Row> = Class::ALL
        .iter()
        .map(|c| row(c.as_str(), c.as_str(), h.calls.by_class[*c as usize], h.calls.attempts))
        .filter(|r| r.count > 0)
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    let chart = bars(
        &rows
            .iter()
            .map(|r| Bar::one(r.label.clone(), r.count, colour::PLAIN))
            .collect::<Vec<_>>(),
    );
    (rows, chart)
}

pub(super) fn compliance(h: &History) -> Compliance {
    let (start, end) = h.policy.rules.window;
    Compliance {
        window: format!("{:02}:{:02}-{:02}:{:02}", start / 60, start % 60, end / 60, end % 60),
        cap: h.policy.rules.daily_unanswered,
        window_violations: h.violations_of(ComplianceRule::Window),
        cap_violations: h.violations_of(ComplianceRule::DailyCap),
    }
}

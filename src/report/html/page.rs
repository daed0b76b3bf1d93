//! The page's data: what report.md shows (and a little of summary.json: kinds, outcome
//! classes, compliance, the full sha256), taken from the finished [`Run`] and put in the
//! shape the template reads. Nothing is counted here that the run did not count already,
//! except the dialled-numbers-by-slot table, which reads the per-number slot bits the
//! history keeps. Phone numbers shown are masked with `--mask` as report.md masks them.

use serde::Serialize;

use super::charts::{Bar, bars, colour};
use super::labels::label;
use crate::history::policy::{self, Action, Status};
use crate::history::{ComplianceRule, History};
use crate::phone::{Lang, Severity};
use crate::report::markdown::mask;
use crate::report::{CalendarGap, Run};
use crate::rules::Class;

/// A counted row: a stable key (for ids and tests), its label, count and share.
#[derive(Serialize)]
pub(super) struct Row {
    key: String,
    label: String,
    count: u64,
    share: String,
}

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

/// One issue code's row.
#[derive(Serialize)]
pub(super) struct IssueRow {
    code: &'static str,
    severity: &'static str,
    count: u64,
    share: String,
    meaning: &'static str,
    lines: String,
}

/// One phone column's row.
#[derive(Serialize)]
pub(super) struct ColumnRow {
    name: String,
    relation: &'static str,
    total: u64,
    ok: u64,
    warn: u64,
    invalid: u64,
    invalid_share: String,
}

/// A shared number's row.
#[derive(Serialize)]
pub(super) struct SharedRow {
    number: String,
    customers: u64,
    lines: String,
}

/// A slot's row: numbers dialled and reached in it.
#[derive(Serialize)]
pub(super) struct SlotRow {
    name: String,
    dialled: u64,
    reached: u64,
    rate: String,
}

/// A check's row.
#[derive(Serialize)]
pub(super) struct CheckRow {
    rule: String,
    observed: String,
    status: &'static str,
}

/// The compliance facts, with a history.
#[derive(Serialize)]
pub(super) struct Compliance {
    window: String,
    cap: u16,
    window_violations: usize,
    cap_violations: usize,
}

/// The input facts.
#[derive(Serialize)]
pub(super) struct Facts {
    file: String,
    bytes: u64,
    sha256: String,
    encoding: String,
    lines: u64,
    rows: u64,
    bad_rows: u64,
    rules: String,
    tool: &'static str,
    as_of: Option<String>,
    logs: Vec<String>,
}

/// Everything the template reads.
#[derive(Serialize)]
pub(super) struct Page {
    lang: &'static str,
    l: std::collections::BTreeMap<&'static str, &'static str>,
    title: String,
    customers: Option<Customers>,
    actions: Vec<Row>,
    actions_chart: String,
    unknown_outcomes: Vec<(String, u64)>,
    unknown_attempts: u64,
    headline: Vec<Row>,
    verdict_chart: String,
    issues: Vec<IssueRow>,
    issues_chart: String,
    kinds: Vec<Row>,
    columns: Vec<ColumnRow>,
    columns_chart: String,
    shared: Vec<SharedRow>,
    shared_total: usize,
    shared_threshold: u64,
    slots: Vec<SlotRow>,
    slots_chart: String,
    outcomes: Vec<Row>,
    outcomes_chart: String,
    compliance: Option<Compliance>,
    checks: Vec<CheckRow>,
    facts: Facts,
}

/// `n` as a share of `of`, as report.md writes it (`12.3%`, `-` of nothing).
fn share(n: u64, of: u64) -> String {
    if of == 0 {
        "-".into()
    } else {
        format!("{:.1}%", n as f64 * 100.0 / of as f64)
    }
}

fn row(key: impl Into<String>, label: impl Into<String>, count: u64, of: u64) -> Row {
    Row {
        key: key.into(),
        label: label.into(),
        count,
        share: share(count, of),
    }
}

/// Digit runs long enough to be a phone number (7 or more digits) masked as report.md masks a
/// number, for free text that echoes input (unreadable log lines, outcome texts).
fn mask_text(text: &str, on: bool) -> String {
    if !on {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() >= 7 {
            out.push_str(&mask(run));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Builds the page's data from the run.
pub(super) fn build(o: &Run<'_>) -> Page {
    let lang = o.opts.lang;
    let s = o.summary;
    let (headline, verdict_chart) = headline(o, lang);
    let (issues, issues_chart) = issues(o, lang);
    let (columns, columns_chart) = columns(o);
    let (actions, actions_chart) = o
        .history
        .map_or_else(|| (Vec::new(), String::new()), |h| actions(o, h, lang));
    let (slots, slots_chart) = o.history.map_or_else(|| (Vec::new(), String::new()), slots);
    let (outcomes, outcomes_chart) = o.history.map_or_else(|| (Vec::new(), String::new()), outcomes);
    let kinds = s
        .by_kind()
        .into_iter()
        .map(|(k, n)| row(k, k, n, s.numbers.verdicts.total))
        .collect();
    Page {
        lang: if lang == Lang::Zh { "zh-CN" } else { "en" },
        l: super::labels::labels(lang),
        title: o.input.display.clone(),
        customers: o.history.map(|h| customers(o, h, lang)),
        actions,
        actions_chart,
        unknown_outcomes: o.history.map_or_else(Vec::new, |h| {
            h.unknown_outcomes()
                .into_iter()
                .take(20)
                .map(|(t, n)| (mask_text(&t, o.opts.mask), n))
                .collect()
        }),
        unknown_attempts: o.history.map_or(0, |h| h.calls.unknown_outcome),
        headline,
        verdict_chart,
        issues,
        issues_chart,
        kinds,
        columns,
        columns_chart,
        shared: shared(o),
        shared_total: o.shared.len(),
        shared_threshold: o.opts.shared_threshold,
        slots,
        slots_chart,
        outcomes,
        outcomes_chart,
        compliance: o.history.map(compliance),
        checks: checks(o, lang),
        facts: facts(o),
    }
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

fn customers(o: &Run<'_>, h: &History, lang: Lang) -> Customers {
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

fn actions(o: &Run<'_>, h: &History, lang: Lang) -> (Vec<Row>, String) {
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

fn headline(o: &Run<'_>, lang: Lang) -> (Vec<Row>, String) {
    let s = o.summary;
    let (n, c) = (s.numbers.verdicts, &s.customers);
    let lb = |k| label(lang, k);
    let rows = vec![
        row("rows", lb("rows"), s.rows, s.rows),
        row("customers", lb("customers"), c.total, c.total),
        row("lost_contact", lb("lost_contact"), c.lost_contact, c.total),
        row("no_landline", lb("no_landline"), c.no_landline, c.total),
        row("numbers", lb("numbers"), n.total, n.total),
        row("ok", lb("ok"), n.ok, n.total),
        row("warn", lb("warn"), n.warn, n.total),
        row("invalid", lb("invalid"), n.invalid, n.total),
        row("removed", lb("removed"), s.removed, n.total),
        Row {
            share: String::new(),
            ..row("empty_cells", lb("empty_cells"), s.empty_cells, 0)
        },
    ];
    let chart = bars(&[
        Bar::one(lb("ok"), n.ok, colour::GOOD),
        Bar::one(lb("warn"), n.warn, colour::WARN),
        Bar::one(lb("invalid"), n.invalid, colour::BAD),
    ]);
    (rows, chart)
}

fn severity_colour(s: Severity) -> plotters::style::RGBColor {
    match s {
        Severity::Error => colour::BAD,
        Severity::Warning => colour::WARN,
        Severity::Info => colour::PLAIN,
    }
}

fn issues(o: &Run<'_>, lang: Lang) -> (Vec<IssueRow>, String) {
    let s = o.summary;
    let list = s.issues_by_count();
    let chart = bars(
        &list
            .iter()
            .take(15)
            .map(|(i, n)| Bar::one(i.code(), *n, severity_colour(i.severity())))
            .collect::<Vec<_>>(),
    );
    let rows = list
        .into_iter()
        .map(|(issue, count)| IssueRow {
            code: issue.code(),
            severity: issue.severity().as_str(),
            count,
            share: if issue.is_of_record() {
                String::new()
            } else {
                share(count, s.numbers.verdicts.total)
            },
            meaning: issue.summary(lang),
            lines: join(s.examples_of(issue)),
        })
        .collect();
    (rows, chart)
}

fn join(lines: &[u64]) -> String {
    lines.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
}

fn columns(o: &Run<'_>) -> (Vec<ColumnRow>, String) {
    let pairs = o.input.columns.phones.iter().zip(&o.summary.numbers.by_column);
    let chart = bars(
        &pairs
            .clone()
            .map(|(col, v)| Bar {
                label: col.name.clone(),
                segments: vec![(v.ok, colour::GOOD), (v.warn, colour::WARN), (v.invalid, colour::BAD)],
            })
            .collect::<Vec<_>>(),
    );
    let rows = pairs
        .map(|(col, v)| ColumnRow {
            name: col.name.clone(),
            relation: col.relation.as_str(),
            total: v.total,
            ok: v.ok,
            warn: v.warn,
            invalid: v.invalid,
            invalid_share: share(v.invalid, v.total),
        })
        .collect();
    (rows, chart)
}

fn shared(o: &Run<'_>) -> Vec<SharedRow> {
    o.shared
        .iter()
        .take(10)
        .map(|s| SharedRow {
            number: if o.opts.mask { mask(&s.number) } else { s.number.clone() },
            customers: s.customers,
            lines: join(&s.lines),
        })
        .collect()
}

/// Numbers dialled and reached per slot, from the per-number slot bits of the history.
fn slots(h: &History) -> (Vec<SlotRow>, String) {
    let names = &h.policy.rules.slots;
    let mut dialled = vec![0u64; names.len()];
    let mut reached = vec![0u64; names.len()];
    for (_, st) in h.states.iter() {
        for i in 0..names.len().min(8) {
            dialled[i] += u64::from(st.slots_tried >> i & 1);
            reached[i] += u64::from(st.slots_reached >> i & 1);
        }
    }
    let rows: Vec<SlotRow> = names
        .iter()
        .enumerate()
        .map(|(i, sl)| SlotRow {
            name: sl.name.clone(),
            dialled: dialled[i],
            reached: reached[i],
            rate: share(reached[i], dialled[i]),
        })
        .collect();
    let chart = bars(
        &rows
            .iter()
            .map(|r| Bar {
                label: r.name.clone(),
                segments: vec![(r.reached, colour::GOOD), (r.dialled - r.reached, colour::NEUTRAL)],
            })
            .collect::<Vec<_>>(),
    );
    (rows, chart)
}

fn outcomes(h: &History) -> (Vec<Row>, String) {
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

fn compliance(h: &History) -> Compliance {
    let (start, end) = h.policy.rules.window;
    Compliance {
        window: format!("{:02}:{:02}-{:02}:{:02}", start / 60, start % 60, end / 60, end % 60),
        cap: h.policy.rules.daily_unanswered,
        window_violations: h.violations_of(ComplianceRule::Window),
        cap_violations: h.violations_of(ComplianceRule::DailyCap),
    }
}

fn checks(o: &Run<'_>, lang: Lang) -> Vec<CheckRow> {
    o.checks
        .iter()
        .map(|c| CheckRow {
            rule: c.rule.clone(),
            observed: format!("{}{} ({})", c.observed, if c.percent { "%" } else { "" }, c.count),
            status: label(lang, c.status.as_str()),
        })
        .collect()
}

fn facts(o: &Run<'_>) -> Facts {
    let scan = &o.input.scan;
    Facts {
        file: o.input.display.clone(),
        bytes: scan.bytes,
        sha256: scan.sha256.clone(),
        encoding: format!("{} ({})", scan.encoding.as_str(), scan.source.as_str()),
        lines: scan.lines,
        rows: o.summary.rows,
        bad_rows: o.summary.bad_rows,
        rules: format!("{} ({})", o.rules.version, o.rules.origin),
        tool: env!("CARGO_PKG_VERSION"),
        as_of: o.history.map(|h| policy::format_minutes(h.as_of)),
        logs: o
            .history
            .map(|h| {
                h.logs
                    .iter()
                    .map(|l| format!("{} ({}, {})", l.path, l.format.as_str(), l.encoding.as_str()))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_free_text_hides_the_middle_of_long_digit_runs_only() {
        assert_eq!(mask_text("13971234567,空号,2026", true), "139****4567,空号,2026");
        assert_eq!(mask_text("13971234567", false), "13971234567");
        assert_eq!(mask_text("call 02787654321 at 9", true), "call 027****4321 at 9");
    }
}

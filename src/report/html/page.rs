//! The page's data: what report.md shows (and a little of summary.json: kinds, outcome
//! classes, compliance, the full sha256), taken from the finished [`Run`] and put in the
//! shape the template reads. Nothing is counted here that the run did not count already;
//! regions and carriers, counted by key, are named and grouped here. Phone numbers shown are
//! masked with `--mask` as report.md masks them.

use serde::Serialize;

use super::charts::{Bar, bars, colour};
use super::history::{Compliance, Customers, SlotRow, actions, compliance, customers, outcomes, slots};
use super::labels::label;
use crate::history::policy;
use crate::phone::{Lang, Severity, carrier_of_block};
use crate::report::Run;
use crate::text::{mask, mask_digits};

/// A counted row: a stable key (for ids and tests), its label, count and share.
#[derive(Serialize)]
pub(super) struct Row {
    pub(super) key: String,
    pub(super) label: String,
    pub(super) count: u64,
    pub(super) share: String,
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

/// A check's row.
#[derive(Serialize)]
pub(super) struct CheckRow {
    rule: String,
    observed: String,
    status: &'static str,
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
    regions: Vec<Row>,
    carriers: Vec<Row>,
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
pub(super) fn share(n: u64, of: u64) -> String {
    if of == 0 {
        "-".into()
    } else {
        format!("{:.1}%", n as f64 * 100.0 / of as f64)
    }
}

pub(super) fn row(key: impl Into<String>, label: impl Into<String>, count: u64, of: u64) -> Row {
    Row {
        key: key.into(),
        label: label.into(),
        count,
        share: share(count, of),
    }
}

/// Free text that echoes input (unreadable log lines, outcome texts) as the page shows it:
/// with `--mask`, phone-like digit runs masked by the one rule every surface uses.
pub(super) fn mask_text(text: &str, on: bool) -> String {
    if on {
        mask_digits(text).into_owned()
    } else {
        text.to_string()
    }
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
    let (regions, carriers) = places(o, lang);
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
        regions,
        carriers,
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

/// Regions and carriers shown: the most frequent.
const TOP_PLACES: usize = 10;

/// The top regions and carriers of the numbers that are not invalid, as shares of those
/// numbers. Places and blocks are counted by key while streaming and named here; keys with the
/// same name (a city's mobiles and its area code) count as one region.
fn places(o: &Run<'_>, lang: Lang) -> (Vec<Row>, Vec<Row>) {
    let s = o.summary;
    let of = s.numbers.verdicts.ok + s.numbers.verdicts.warn;
    let named = |counts: &mut dyn Iterator<Item = (Option<&str>, u64)>| -> Vec<Row> {
        let mut by_name: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
        for (name, n) in counts {
            if let Some(name) = name {
                *by_name.entry(name).or_default() += n;
            }
        }
        let mut rows: Vec<(&str, u64)> = by_name.into_iter().collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        rows.into_iter()
            .take(TOP_PLACES)
            .enumerate()
            .map(|(i, (name, n))| row(i.to_string(), name, n, of))
            .collect()
    };
    let regions = named(&mut s.places.iter().map(|(p, n)| (p.name(o.rules, lang), *n)));
    let carriers = named(&mut s.blocks.iter().map(|(b, n)| (carrier_of_block(o.rules, *b, lang), *n)));
    (regions, carriers)
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
    let scan = o.input.scan();
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

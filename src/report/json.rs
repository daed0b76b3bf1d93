//! summary.json: the machine-readable result, with a stable shape that CI tools can read.

use std::collections::BTreeMap;

use serde::Serialize;

use super::atomic::AtomicFile;
use super::summary::{CustomerCounts, VerdictCounts};
use super::{Output, Run};
use crate::history::policy::{self, Action, Status};
use crate::history::{ComplianceRule, History};
use crate::rules::Class;

#[derive(Serialize)]
struct SummaryJson<'a> {
    tool: Tool,
    rules: RulesJson<'a>,
    run: RunJson<'a>,
    input: InputJson<'a>,
    columns: Vec<ColumnJson<'a>>,
    numbers: NumbersJson,
    cells: CellsJson,
    status: BTreeMap<&'static str, u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    actions: Option<ActionsJson>,
    customers: CustomersJson,
    duplicates: DuplicatesJson,
    #[serde(skip_serializing_if = "Option::is_none")]
    calls: Option<CallsJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    compliance: Option<ComplianceJson>,
    removed: u64,
    checks: &'a [super::ThresholdResult],
    result: ResultJson,
}

/// Numbers by next action, and the retries by slot name, with a history.
#[derive(Serialize)]
struct ActionsJson {
    by_action: BTreeMap<&'static str, u64>,
    retry_by_slot: BTreeMap<String, u64>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// The run record: which run wrote this set, so that a reader can tell where a file came from
/// (the input by its hash, the start time, the tool and the rules) and which files belong to it.
#[derive(Serialize)]
struct RunJson<'a> {
    /// UTC, to the second (RFC 3339).
    started: String,
    tool_version: &'static str,
    rules_version: &'a str,
    input_sha256: &'a str,
    /// The files of the set, in `--out`.
    outputs: Vec<&'static str>,
}

#[derive(Serialize)]
struct RulesJson<'a> {
    version: &'a str,
    origin: &'a str,
}

#[derive(Serialize)]
struct InputJson<'a> {
    path: &'a str,
    bytes: u64,
    sha256: &'a str,
    encoding: &'static str,
    encoding_source: &'static str,
    delimiter: String,
    /// Physical lines; more than rows + 1 when quoted fields span lines.
    lines: u64,
    rows: u64,
    bad_rows: u64,
}

#[derive(Serialize)]
struct ColumnJson<'a> {
    name: &'a str,
    index: usize,
    relation: &'static str,
}

#[derive(Serialize)]
struct NumbersJson {
    #[serde(flatten)]
    verdicts: VerdictCounts,
    by_kind: BTreeMap<&'static str, u64>,
    by_issue: BTreeMap<&'static str, u64>,
    by_column: BTreeMap<String, VerdictCounts>,
}

#[derive(Serialize)]
struct CellsJson {
    empty: u64,
}

#[derive(Serialize)]
struct CustomersJson {
    #[serde(flatten)]
    counts: CustomerCounts,
    status: BTreeMap<&'static str, u64>,
}

#[derive(Serialize)]
struct DuplicatesJson {
    threshold: u64,
    shared_numbers: u64,
    max_customers: u64,
}

#[derive(Serialize)]
struct CallsJson {
    logs: Vec<LogJson>,
    as_of: String,
    attempts: u64,
    matched: u64,
    unmatched: u64,
    orphan_numbers: u64,
    bad_lines: u64,
    unreadable: u64,
    duplicates: u64,
    after_as_of: u64,
    bad_examples: Vec<String>,
    by_class: BTreeMap<&'static str, u64>,
    /// Attempts whose outcome text maps to no class.
    unknown_outcome: u64,
    /// Those attempts by text, most first (bounded; the rest in `unknown_outcomes_other`).
    unknown_outcomes: Vec<UnknownJson>,
    unknown_outcomes_other: u64,
    /// Set when "now" lies past the holiday calendar's last year (said once, here).
    #[serde(skip_serializing_if = "Option::is_none")]
    calendar: Option<CalendarJson>,
}

/// The holiday calendar ends before the history's "now".
#[derive(Serialize)]
struct CalendarJson {
    holidays_last_year: i16,
    note: String,
}

#[derive(Serialize)]
struct UnknownJson {
    text: String,
    attempts: u64,
}

#[derive(Serialize)]
struct LogJson {
    path: String,
    format: &'static str,
    encoding: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    columns: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    dial_prefix: Option<String>,
}

#[derive(Serialize)]
struct ComplianceJson {
    window: String,
    daily_unanswered_cap: u16,
    window_violations: u64,
    daily_cap_violations: u64,
    counter_bytes: usize,
}

#[derive(Serialize)]
struct ResultJson {
    status: &'static str,
    exit_code: u8,
}

/// Writes `summary.json` into the output directory; returns its text (for `--format json`).
pub(crate) fn write(o: &Run<'_>) -> anyhow::Result<Vec<u8>> {
    let s = o.summary;
    let columns: Vec<ColumnJson<'_>> = o
        .input
        .columns
        .phones
        .iter()
        .map(|c| ColumnJson {
            name: &c.name,
            index: c.index + 1,
            relation: c.relation.as_str(),
        })
        .collect();
    let by_column = o
        .input
        .columns
        .phones
        .iter()
        .zip(&s.numbers.by_column)
        .map(|(c, v)| (c.name.clone(), *v))
        .collect();
    let json = SummaryJson {
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        rules: RulesJson {
            version: &o.rules.version,
            origin: &o.rules.origin,
        },
        run: RunJson {
            started: o.started.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            tool_version: env!("CARGO_PKG_VERSION"),
            rules_version: &o.rules.version,
            input_sha256: &o.input.scan().sha256,
            outputs: Output::ALL
                .into_iter()
                .filter(|out| o.history.is_some() || !out.needs_history())
                .filter(|out| !out.on_request() || o.opts.junit)
                .filter(|out| o.opts.xlsx || !out.needs_xlsx())
                .map(Output::name)
                .collect(),
        },
        input: InputJson {
            path: &o.input.display,
            bytes: o.input.scan().bytes,
            sha256: &o.input.scan().sha256,
            encoding: o.input.scan().encoding.as_str(),
            encoding_source: o.input.scan().source.as_str(),
            delimiter: char::from(o.input.delimiter).to_string(),
            lines: o.input.scan().lines,
            rows: s.rows,
            bad_rows: s.bad_rows,
        },
        columns,
        numbers: NumbersJson {
            verdicts: s.numbers.verdicts,
            by_kind: s.by_kind(),
            by_issue: s.by_code(),
            by_column,
        },
        cells: CellsJson { empty: s.empty_cells },
        status: statuses(o, &s.statuses),
        actions: o.history.map(|h| actions(h, s)),
        customers: CustomersJson {
            counts: s.customers.clone(),
            status: statuses(o, &s.customers.statuses),
        },
        duplicates: DuplicatesJson {
            threshold: o.opts.shared_threshold,
            shared_numbers: s.shared_numbers,
            max_customers: o.shared.first().map_or(0, |x| x.customers),
        },
        calls: o.history.map(|h| calls(h, o.opts.mask)),
        compliance: o.history.map(compliance),
        removed: s.removed,
        checks: o.checks,
        result: ResultJson {
            status: if o.failed() { "fail" } else { "pass" },
            exit_code: o.status.code(),
        },
    };
    let mut file = AtomicFile::create(&o.opts.out, Output::Summary.name())?;
    let mut text = serde_json::to_vec_pretty(&json)?;
    text.push(b'\n');
    file.write_bytes(&text)?;
    file.commit()?;
    Ok(text)
}

/// Counts by status name (empty without a history).
fn statuses(o: &Run<'_>, counts: &[u64; 6]) -> BTreeMap<&'static str, u64> {
    if o.history.is_none() {
        return BTreeMap::new();
    }
    Status::ALL
        .iter()
        .map(|st| (st.as_str(), counts[*st as usize]))
        .collect()
}

fn actions(h: &History, s: &super::Summary) -> ActionsJson {
    let slot_name = |i: usize| {
        h.policy
            .rules
            .slots
            .get(i)
            .map_or_else(|| format!("slot {i}"), |sl| sl.name.clone())
    };
    ActionsJson {
        by_action: Action::ALL
            .iter()
            .map(|a| (a.as_str(), s.actions[*a as usize]))
            .collect(),
        retry_by_slot: s
            .retry_slots
            .iter()
            .enumerate()
            .map(|(i, n)| (slot_name(i), *n))
            .collect(),
    }
}

/// The call counts; with `--mask`, phone numbers in the examples of bad lines and in the
/// unknown outcome texts are masked, as report.md masks them.
fn calls(h: &History, mask: bool) -> CallsJson {
    let echo = |text: &str| {
        if mask {
            crate::text::mask_digits(text).into_owned()
        } else {
            text.to_owned()
        }
    };
    CallsJson {
        logs: h
            .logs
            .iter()
            .map(|l| LogJson {
                path: l.path.clone(),
                format: l.format.as_str(),
                encoding: l.encoding.as_str(),
                columns: l.columns.clone(),
                dial_prefix: l.dial_prefix.clone(),
            })
            .collect(),
        as_of: policy::format_minutes(h.as_of),
        attempts: h.calls.attempts,
        matched: h.calls.matched,
        unmatched: h.calls.unmatched,
        orphan_numbers: h.orphans,
        bad_lines: h.calls.bad_lines,
        unreadable: h.calls.unreadable,
        duplicates: h.calls.duplicates,
        after_as_of: h.calls.after_as_of,
        bad_examples: h.calls.bad_examples.iter().map(|e| echo(e)).collect(),
        by_class: Class::ALL
            .iter()
            .map(|c| (c.as_str(), h.calls.by_class[*c as usize]))
            .collect(),
        unknown_outcome: h.calls.unknown_outcome,
        unknown_outcomes: h
            .unknown_outcomes()
            .into_iter()
            .map(|(text, attempts)| UnknownJson {
                text: echo(&text),
                attempts,
            })
            .collect(),
        unknown_outcomes_other: h.unknown_outcomes_other(),
        calendar: super::CalendarGap::of(h).map(|g| CalendarJson {
            holidays_last_year: g.last_year,
            note: g.note(false),
        }),
    }
}

fn compliance(h: &History) -> ComplianceJson {
    let count = |rule| h.violations.iter().filter(|v| v.rule == rule).count() as u64;
    let (start, end) = h.policy.rules.window;
    ComplianceJson {
        window: format!("{:02}:{:02}-{:02}:{:02}", start / 60, start % 60, end / 60, end % 60),
        daily_unanswered_cap: h.policy.rules.daily_unanswered,
        window_violations: count(ComplianceRule::Window),
        daily_cap_violations: count(ComplianceRule::DailyCap),
        counter_bytes: h.compliance_bytes,
    }
}

//! The audit pipeline: records stream from the input in batches; each batch is checked in
//! parallel (rayon) while the next one is read; results are written in input order, so the
//! outputs are byte-identical for any thread count. Per-customer partials and shared-number
//! sightings go through an external sorter, so memory stays flat however large the file.

pub mod checks;
pub mod customers;
pub mod record;
pub mod shared;
pub mod spill;
pub mod summary;

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use std::collections::HashSet;

use crate::exit::ExitStatus;
use crate::history::policy::{self, Action, Status};
use crate::history::{self, History, HistoryOptions};
use crate::input::{self, Input, InputOptions, Row, RowSource};
use crate::phone::{Engine, Lang};
use crate::report::{CsvFile, OutputEncoding, json, markdown};
use crate::rules::RuleSet;
use checks::{Check, CheckResult};
use customers::{ByLine, CustomerPart};
use record::{BAD_HEADER, Ctx, NUMBERS_HEADER, PRUNE_HEADER, Processed, Prune, REMOVED_HEADER};
use shared::{Shared, SharedNumber};
use spill::Sorter;
use summary::Summary;

/// Everything `audit` needs, checked.
#[derive(Debug, Clone)]
pub struct AuditConfig {
    /// What to read.
    pub input: InputOptions,
    /// The output directory.
    pub out: PathBuf,
    /// Encoding of the CSV outputs.
    pub output_encoding: OutputEncoding,
    /// Area code for local numbers written without one.
    pub default_area_code: Option<String>,
    /// What to take out of cleaned.csv.
    pub prune: Prune,
    /// `--fail-on` rules.
    pub checks: Vec<Check>,
    /// Exit 0 even when a check fails.
    pub exit_zero: bool,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// No progress bar, no report on stdout.
    pub quiet: bool,
    /// Message language.
    pub lang: Lang,
    /// Mask phone numbers in report.md.
    pub mask: bool,
    /// A number shared by at least this many customers counts as `duplicate.across_records`.
    pub shared_threshold: u64,
    /// Records per batch.
    pub batch: usize,
    /// The longest field accepted, in bytes.
    pub max_field: usize,
    /// Bytes each external sorter holds in memory before spilling.
    pub sort_budget: usize,
    /// The call history to join, if any.
    pub history: Option<HistoryOptions>,
}

/// What the run produced, for the report writers.
pub struct Outcome<'a> {
    /// The run's configuration.
    pub cfg: &'a AuditConfig,
    /// The input as opened.
    pub input: &'a Input,
    /// The rules judged by.
    pub rules: &'a RuleSet,
    /// The counters.
    pub summary: &'a Summary,
    /// Numbers shared by at least the threshold, most customers first.
    pub shared: &'a [Shared],
    /// The checks' results.
    pub checks: &'a [CheckResult],
    /// The exit status.
    pub status: ExitStatus,
    /// The folded call history, with `--history`.
    pub history: Option<&'a History>,
}

/// The CSV outputs written while records stream.
struct Streams {
    numbers: CsvFile,
    cleaned: CsvFile,
    removed: CsvFile,
    bad: CsvFile,
    prune: Option<CsvFile>,
    /// Keys of history numbers that matched a contact.
    matched: HashSet<u64>,
}

/// Runs the audit.
pub fn run(cfg: &AuditConfig, rules: &RuleSet) -> anyhow::Result<ExitStatus> {
    std::fs::create_dir_all(&cfg.out).with_context(|| format!("creating output directory {}", cfg.out.display()))?;
    let input = input::open(&cfg.input)?;
    refuse_overwriting_input(&input, &cfg.out)?;
    let mut engine = Engine::new(rules);
    if let Some(code) = &cfg.default_area_code {
        engine = engine.with_default_area(code).context("--default-area-code")?;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads)
        .build()
        .context("starting worker threads")?;
    let history = match &cfg.history {
        Some(opts) => Some(pool.install(|| history::load(opts, &engine, &rules.outcomes, rules.policy.clone()))?),
        None => None,
    };
    let mut summary = Summary::new(input.columns.phones.len());
    let mut customers = Sorter::<CustomerPart>::new(&cfg.out, cfg.sort_budget);
    let mut sightings = Sorter::<SharedNumber>::new(&cfg.out, cfg.sort_budget);
    let mut streams = open_streams(cfg, &input)?;
    let ctx = Ctx {
        engine,
        columns: &input.columns,
        width: input.headers.len(),
        delimiter: input.delimiter,
        prune: &cfg.prune,
        max_field: cfg.max_field,
        lang: cfg.lang,
        history: history.as_ref(),
    };
    let progress = progress_bar(cfg, input.scan.bytes);
    pool.install(|| {
        stream(&input, &ctx, cfg, &progress, |results, batch_summary| {
            summary.merge(&batch_summary);
            write_batch(&mut streams, results, &mut customers, &mut sightings)
        })
    })?;
    progress.finish_and_clear();
    let customers_csv = roll_up_customers(customers, cfg, history.as_ref(), &mut summary)?;
    let mut history = history;
    let history_files = match history.as_mut() {
        Some(h) => Some(write_history_files(cfg, h, &streams.matched)?),
        None => None,
    };
    let shared = find_shared(sightings, cfg.shared_threshold)?;
    summary.shared_numbers = shared.len() as u64;
    let shared_csv = write_shared(cfg, &shared)?;
    let checks: Vec<CheckResult> = cfg.checks.iter().map(|c| c.evaluate(&summary)).collect();
    let failed = checks.iter().any(|c| c.status == "fail");
    let status = if failed && !cfg.exit_zero {
        ExitStatus::ChecksFailed
    } else {
        ExitStatus::Success
    };
    let outcome = Outcome {
        cfg,
        input: &input,
        rules,
        summary: &summary,
        shared: &shared,
        checks: &checks,
        status,
        history: history.as_ref(),
    };
    let mut files = vec![
        streams.numbers,
        streams.cleaned,
        streams.removed,
        streams.bad,
        customers_csv,
        shared_csv,
    ];
    files.extend(streams.prune);
    files.extend(history_files.into_iter().flatten());
    for csv in files {
        csv.commit()?;
    }
    json::write(&outcome)?;
    let report = markdown::render(&outcome);
    markdown::write(&cfg.out, &report)?;
    print_result(&outcome, &report)?;
    Ok(status)
}

/// Refuses an output directory whose files would overwrite the input.
fn refuse_overwriting_input(input: &Input, out: &Path) -> anyhow::Result<()> {
    const OUTPUTS: [&str; 9] = [
        "numbers.csv",
        "cleaned.csv",
        "removed.csv",
        "bad_rows.csv",
        "customers.csv",
        "shared.csv",
        "summary.json",
        "report.md",
        "report.html",
    ];
    let Ok(input_path) = input.file().canonicalize() else {
        return Ok(());
    };
    let Ok(out) = out.canonicalize() else { return Ok(()) };
    if !input.is_stdin() && OUTPUTS.iter().any(|name| out.join(name) == input_path) {
        anyhow::bail!(
            "the input {} is one of the files the audit writes into {}: choose another --out directory",
            input.display,
            out.display()
        );
    }
    Ok(())
}

fn open_streams(cfg: &AuditConfig, input: &Input) -> anyhow::Result<Streams> {
    let enc = cfg.output_encoding;
    let crlf = true;
    let header: Vec<&str> = input.headers.iter().map(String::as_str).collect();
    let mut text = Vec::new();
    input::dialect::write_record(&mut text, &header, input.delimiter);
    let cleaned = CsvFile::with_header_line(&cfg.out, "cleaned.csv", enc, crlf, &text)?;
    let prune = match cfg.history {
        Some(_) => Some(CsvFile::create(&cfg.out, "prune.csv", enc, crlf, &PRUNE_HEADER)?),
        None => None,
    };
    Ok(Streams {
        numbers: CsvFile::create(&cfg.out, "numbers.csv", enc, crlf, &NUMBERS_HEADER)?,
        cleaned,
        removed: CsvFile::create(&cfg.out, "removed.csv", enc, crlf, &REMOVED_HEADER)?,
        bad: CsvFile::create(&cfg.out, "bad_rows.csv", enc, crlf, &BAD_HEADER)?,
        prune,
        matched: HashSet::new(),
    })
}

/// Reads batches and processes each in parallel with the reading of the next; hands every
/// processed batch, in order, to `sink`.
fn stream(
    input: &Input,
    ctx: &Ctx<'_>,
    cfg: &AuditConfig,
    progress: &ProgressBar,
    mut sink: impl FnMut(Vec<Processed>, Summary) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut rows = input.rows()?;
    let mut next_record = 1u64;
    let mut batch = read_batch(rows.as_mut(), cfg.batch, &mut next_record)?;
    let columns = input.columns.phones.len();
    while !batch.is_empty() {
        let (next, (results, batch_summary)) = rayon::join(
            || read_batch(rows.as_mut(), cfg.batch, &mut next_record),
            || process_batch(&batch, ctx, columns),
        );
        let bytes: usize = batch.iter().map(|(_, r)| r.len() + 1).sum();
        progress.inc(bytes as u64);
        sink(results, batch_summary)?;
        batch = next?;
    }
    Ok(())
}

/// Up to `size` rows with their record numbers.
fn read_batch(rows: &mut dyn RowSource, size: usize, next_record: &mut u64) -> anyhow::Result<Vec<(u64, Row)>> {
    let mut batch = Vec::with_capacity(size);
    let mut row = Row::default();
    while batch.len() < size && rows.read(&mut row)? {
        batch.push((*next_record, std::mem::take(&mut row)));
        *next_record += 1;
    }
    Ok(batch)
}

/// Processes a batch in parallel and folds its counts. rayon's indexed `collect_into_vec`
/// keeps input order; the summary folds per thread and merges commutatively.
fn process_batch(batch: &[(u64, Row)], ctx: &Ctx<'_>, columns: usize) -> (Vec<Processed>, Summary) {
    let mut results = Vec::with_capacity(batch.len());
    batch
        .par_iter()
        .map(|(n, row)| record::process(row, *n, ctx))
        .collect_into_vec(&mut results);
    let summary = results
        .par_iter()
        .fold(
            || Summary::new(columns),
            |mut s, p| {
                count(&mut s, p);
                s
            },
        )
        .reduce(
            || Summary::new(columns),
            |mut a, b| {
                a.merge(&b);
                a
            },
        );
    (results, summary)
}

/// Adds one record's tally to `s`.
fn count(s: &mut Summary, p: &Processed) {
    s.rows += 1;
    if p.tally.bad {
        s.bad_rows += 1;
        return;
    }
    s.empty_cells += u64::from(p.tally.empty_cells);
    s.removed += u64::from(p.tally.removed);
    for (col, kind, issues) in &p.tally.numbers {
        s.add_number(usize::from(*col), *kind, *issues, p.line);
    }
    for issues in &p.tally.cells {
        s.add_issues(*issues, p.line);
    }
    for status in &p.tally.statuses {
        s.statuses[*status as usize] += 1;
    }
}

/// Writes a processed batch in order and feeds the sorters.
fn write_batch(
    streams: &mut Streams,
    results: Vec<Processed>,
    customers: &mut Sorter<CustomerPart>,
    sightings: &mut Sorter<SharedNumber>,
) -> anyhow::Result<()> {
    let mut pending: Option<CustomerPart> = None;
    for p in results {
        streams.cleaned.write_line(&p.cleaned)?;
        streams.numbers.write_rows(&p.numbers_csv)?;
        streams.removed.write_rows(&p.removed_csv)?;
        streams.bad.write_rows(&p.bad_csv)?;
        if let Some(prune) = &mut streams.prune {
            prune.write_rows(&p.prune_csv)?;
        }
        streams.matched.extend(p.matched.iter().copied());
        for s in p.shared {
            sightings.push(s)?;
        }
        // Consecutive records of one customer merge here, before the sorter sees them.
        if let Some(c) = p.customer {
            match &mut pending {
                Some(prev) if prev.id == c.id => prev.merge(&c),
                _ => {
                    if let Some(prev) = pending.replace(c) {
                        customers.push(prev)?;
                    }
                }
            }
        }
    }
    if let Some(prev) = pending {
        customers.push(prev)?;
    }
    Ok(())
}

/// Header of customers.csv.
pub const CUSTOMERS_HEADER: [&str; 14] = [
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
    "contact_status",
    "issues",
];

/// Merges the customer partials, writes customers.csv in first-appearance order, and counts.
fn roll_up_customers(
    parts: Sorter<CustomerPart>,
    cfg: &AuditConfig,
    history: Option<&History>,
    summary: &mut Summary,
) -> anyhow::Result<CsvFile> {
    let mut by_line = Sorter::<ByLine>::new(&cfg.out, cfg.sort_budget);
    let mut current: Option<CustomerPart> = None;
    for part in parts.finish()? {
        let part = part?;
        match &mut current {
            Some(c) if c.id == part.id => c.merge(&part),
            _ => {
                if let Some(done) = current.replace(part) {
                    by_line.push(ByLine(done))?;
                }
            }
        }
    }
    if let Some(done) = current {
        by_line.push(ByLine(done))?;
    }
    let mut csv = CsvFile::create(&cfg.out, "customers.csv", cfg.output_encoding, true, &CUSTOMERS_HEADER)?;
    let mut line = Vec::new();
    for c in by_line.finish()? {
        let c = c?.0;
        let issues = c.issues();
        summary.customers.total += 1;
        // With a history, 失联 means no own or family number is reached or worth retrying;
        // without one, that no own or family number is even valid.
        let lost = match history {
            Some(_) => c.open.0 == Action::Prune as u8 || c.open.0 == customers::NONE,
            None => c.own_and_family() == 0,
        };
        summary.customers.lost_contact += u64::from(lost);
        let (status, action, contact) = match history {
            Some(h) => {
                summary.customers.statuses[c.status() as usize] += 1;
                // Emergency contacts and third parties are counted apart from the customer.
                let contact = Status::ALL.get(usize::from(c.contact_best)).map_or("", |s| s.as_str());
                (
                    c.status().as_str().to_string(),
                    customer_action(h, &c),
                    contact.to_string(),
                )
            }
            None => (String::new(), String::new(), String::new()),
        };
        summary.customers.no_valid_number += u64::from(issues.contains(crate::phone::Issue::CustomerNoValidNumber));
        summary.customers.no_landline += u64::from(issues.contains(crate::phone::Issue::CustomerNoLandline));
        let row = [
            c.id.clone(),
            c.first_line.to_string(),
            c.records.to_string(),
            c.numbers.to_string(),
            c.valid.iter().sum::<u64>().to_string(),
            c.valid[0].to_string(),
            c.valid[1].to_string(),
            c.valid[2].to_string(),
            c.kinds_text(),
            lost.to_string(),
            status,
            action,
            contact,
            record::codes(issues),
        ];
        line.clear();
        input::dialect::write_record(&mut line, &row, b',');
        csv.write_line(&line)?;
    }
    Ok(csv)
}

/// The next action for a customer: the action of their best number while it is alive;
/// once the best is a dead end, the most hopeful action left (a never-called relative's
/// number, a verification).
fn customer_action(h: &History, c: &CustomerPart) -> String {
    let alive = matches!(c.status(), Status::Reached | Status::NoAnswer | Status::PoweredOff);
    let (action, slot, after) = if alive {
        (c.best_action, c.best_slot, c.best_after)
    } else {
        c.open
    };
    let action = [
        Action::Keep,
        Action::Retry,
        Action::RetryLater,
        Action::Verify,
        Action::Prune,
    ]
    .into_iter()
    .find(|a| *a as u8 == action);
    let Some(action) = action else {
        return Action::Prune.as_str().to_string();
    };
    let decision = policy::Decision {
        status: c.status(),
        fine: "",
        action,
        slot: (slot != customers::NONE).then_some(slot),
        after_day: (after != 0).then_some(after),
    };
    let when = record::next_slot(h, &decision);
    if when.is_empty() {
        action.as_str().to_string()
    } else {
        format!("{} {when}", action.as_str())
    }
}

/// Header of orphans.csv.
const ORPHANS_HEADER: [&str; 5] = ["number", "attempts", "last_attempt", "status", "fine_status"];
/// Header of compliance.csv.
const COMPLIANCE_HEADER: [&str; 6] = ["rule", "number", "time", "log", "line", "unanswered"];

/// orphans.csv (logged numbers that match no contact) and compliance.csv; also counts the
/// matched and unmatched attempts.
fn write_history_files(cfg: &AuditConfig, h: &mut History, matched: &HashSet<u64>) -> anyhow::Result<Vec<CsvFile>> {
    let enc = cfg.output_encoding;
    let mut orphans = CsvFile::create(&cfg.out, "orphans.csv", enc, true, &ORPHANS_HEADER)?;
    let mut keys: Vec<(&u64, &history::state::NumberState)> = h.states.iter().collect();
    keys.sort_by_key(|(k, _)| **k);
    let mut line = Vec::new();
    let mut hit = 0u64;
    for (key, state) in keys {
        if matched.contains(key) {
            hit += u64::from(state.attempts);
            continue;
        }
        h.orphans += 1;
        let d = h.policy.decide(Some(state), h.as_of);
        let row = [
            history::key_digits(*key).unwrap_or_else(|| format!("#{key:016x}")),
            state.attempts.to_string(),
            policy::format_minutes(state.last_attempt),
            d.status.as_str().to_string(),
            d.fine.to_string(),
        ];
        line.clear();
        input::dialect::write_record(&mut line, &row, b',');
        orphans.write_line(&line)?;
    }
    h.calls.matched = hit;
    // Unmatched: attempts on orphan numbers and attempts whose number could not be read.
    h.calls.unmatched = h.calls.attempts - hit;
    let mut compliance = CsvFile::create(&cfg.out, "compliance.csv", enc, true, &COMPLIANCE_HEADER)?;
    for v in &h.violations {
        let (log, at_line) = v.place.map_or((String::new(), String::new()), |(l, n)| {
            (h.logs[l].0.clone(), n.to_string())
        });
        let time = if v.rule == "window" {
            policy::format_minutes(v.at)
        } else {
            policy::date_of(v.at).to_string()
        };
        let count = if v.count > 0 {
            v.count.to_string()
        } else {
            String::new()
        };
        let row = [
            v.rule.to_string(),
            history::key_digits(v.key).unwrap_or_default(),
            time,
            log,
            at_line,
            count,
        ];
        line.clear();
        input::dialect::write_record(&mut line, &row, b',');
        compliance.write_line(&line)?;
    }
    Ok(vec![orphans, compliance])
}

/// Counts the distinct customers of each sighted number; keeps those at the threshold or
/// above, most customers first.
fn find_shared(sightings: Sorter<SharedNumber>, threshold: u64) -> anyhow::Result<Vec<Shared>> {
    let mut found = Vec::new();
    for group in spill::groups(sightings.finish()?, |s: &SharedNumber| s.key) {
        let shared = shared::fold_group(&group?);
        if shared.customers >= threshold.max(2) {
            found.push(shared);
        }
    }
    found.sort_by(|a, b| b.customers.cmp(&a.customers).then(a.number.cmp(&b.number)));
    Ok(found)
}

/// Header of shared.csv.
const SHARED_HEADER: [&str; 3] = ["number", "customers", "lines"];

fn write_shared(cfg: &AuditConfig, shared: &[Shared]) -> anyhow::Result<CsvFile> {
    let mut csv = CsvFile::create(&cfg.out, "shared.csv", cfg.output_encoding, true, &SHARED_HEADER)?;
    let mut line = Vec::new();
    for s in shared {
        let lines: Vec<String> = s.lines.iter().map(u64::to_string).collect();
        line.clear();
        input::dialect::write_record(
            &mut line,
            &[s.number.clone(), s.customers.to_string(), lines.join(";")],
            b',',
        );
        csv.write_line(&line)?;
    }
    Ok(csv)
}

/// A progress bar on stderr at about 5 Hz, only when stderr is a terminal and not `--quiet`.
fn progress_bar(cfg: &AuditConfig, bytes: u64) -> ProgressBar {
    let target = if cfg.quiet || !std::io::stderr().is_terminal() {
        ProgressDrawTarget::hidden()
    } else {
        ProgressDrawTarget::stderr_with_hz(5)
    };
    let bar = ProgressBar::with_draw_target(Some(bytes), target);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {bytes}/{total_bytes} {bar:30} {binary_bytes_per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Prints the report (unless quiet) and then the failing checks, the last lines printed.
fn print_result(outcome: &Outcome<'_>, report: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    if !outcome.cfg.quiet {
        out.write_all(report.as_bytes())?;
    }
    out.flush()?;
    for c in outcome.checks.iter().filter(|c| c.status == "fail") {
        let unit = if c.percent { "%" } else { "" };
        eprintln!(
            "contact-audit: check failed: {} (observed {}{unit})",
            c.rule, c.observed
        );
    }
    Ok(())
}

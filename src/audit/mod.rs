//! The audit: streams a contact file through the number engine (`pipeline`, `record`,
//! `duplicates`, `cleaned`), joins the call history (`calls`), rolls numbers up to customers
//! (`customers`, `rollup`) and numbers shared across customers (`shared`) through an external sorter
//! (`spill`) so memory stays flat, evaluates the CI gate (`checks`), and hands typed rows and
//! the finished run to `report`, which alone writes files.

mod calls;
mod cleaned;
mod customers;
mod duplicates;
pub(crate) mod gate;
mod parts;
mod pipeline;
pub(crate) mod record;
mod rollup;
mod shared;
pub(crate) mod spill;

use std::collections::HashSet;
use std::io::IsTerminal as _;
use std::time::Duration;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::exit::ExitStatus;
use crate::history::{self, History, HistoryOptions};
use crate::input::{self, Input, InputOptions, Known, Misread, Spool};
use crate::phone::Engine;
use crate::report::guard::InputFile;
use crate::report::{self, CsvFile, GateStatus, OutputSet, ReportOptions, Run, Streams, Summary};
use crate::rules::RuleSet;
use crate::text::{tr, zh};
use gate::{Threshold, ThresholdResult};
use pipeline::Sink;
use record::{Ctx, Prune};
use spill::Partitioned;

/// Everything `audit` needs, checked and resolved before any file is opened or created.
#[derive(Debug)]
#[expect(clippy::struct_excessive_bools, reason = "each is its own command-line switch")]
pub(crate) struct AuditConfig {
    /// What to read.
    pub(crate) input: InputOptions,
    /// Where and how to write.
    pub(crate) report: ReportOptions,
    /// Area code for local numbers written without one, checked against the rules.
    pub(crate) default_area_code: Option<String>,
    /// What to take out of cleaned.csv.
    pub(crate) prune: Prune,
    /// `--fail-on` rules.
    pub(crate) checks: Vec<Threshold>,
    /// Exit 0 even when a check fails.
    pub(crate) exit_zero: bool,
    /// Write into an `--out` that holds files the tool did not write.
    pub(crate) force: bool,
    /// The worker threads (`-j`), started before any I/O.
    pub(crate) pool: rayon::ThreadPool,
    /// No progress bar, no report on stdout.
    pub(crate) quiet: bool,
    /// Records per batch.
    pub(crate) batch: usize,
    /// The longest field accepted, in bytes.
    pub(crate) max_field: usize,
    /// Bytes each external sorter holds in memory before spilling.
    pub(crate) sort_budget: usize,
    /// The call history to join, if any.
    pub(crate) history: Option<HistoryOptions>,
    /// What standard output gets (`--format`).
    pub(crate) format: Format,
    /// Colour the failing-check lines on stderr (`--color`).
    pub(crate) color: bool,
}

/// What `audit` prints on standard output (`--format`); messages always go to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// report.md.
    Text,
    /// summary.json's content.
    Json,
    /// The JUnit XML of the checks and issue counts.
    Junit,
}

/// Runs the audit: refuses an `--out` where an output would replace an input or write
/// through a link (before anything is created), writes every output into the run's own
/// directory, and moves the finished set into `--out` whole.
///
/// The input files' encoding checks run beside the stream (`input::TextFile::settle`); when
/// one finds that a file was decoded on a wrong guess, the run starts again from nothing
/// with the file's verdict known, so its outputs are those of a run that scanned first.
pub(crate) fn run(cfg: &AuditConfig, rules: &RuleSet) -> anyhow::Result<ExitStatus> {
    let started = jiff::Timestamp::now();
    report::guard::check_out(&cfg.report.out, &inputs(cfg), cfg.force)?;
    let mut known = Known::beside_the_stream();
    loop {
        match attempt(cfg, rules, &known, started) {
            Err(e) if e.is::<Misread>() => known.add(e.downcast::<Misread>()?),
            done => return done,
        }
    }
}

/// One start of the run, with the verdicts of the files an earlier start misread.
fn attempt(cfg: &AuditConfig, rules: &RuleSet, known: &Known, started: jiff::Timestamp) -> anyhow::Result<ExitStatus> {
    // On the run's threads: the encoding pass splits its checks across them.
    let (mut input, set) = cfg.pool.install(|| open_input(cfg, known))?;
    // From here on every file is written into the run's directory.
    let opts = ReportOptions {
        out: set.dir().to_path_buf(),
        ..cfg.report.clone()
    };
    // The input's encoding check runs beside the history, the stream and what follows it:
    // its error (or a misread) comes before theirs, and before anything is published.
    let streamed = history_and_stream(cfg, &opts, rules, &input, known);
    let (sink, mut history) = input.settle_on_error(streamed)?;
    let after = cfg.pool.install(|| after_stream(&opts, sink, history.as_mut()));
    input.settle()?;
    let (files, summary, shared) = after?;
    let checks: Vec<ThresholdResult> = cfg.checks.iter().map(|c| c.evaluate(&summary)).collect();
    let failed = checks.iter().any(|c| c.status == GateStatus::Fail);
    let status = if failed && !cfg.exit_zero {
        ExitStatus::ChecksFailed
    } else {
        ExitStatus::Success
    };
    let run = Run {
        opts: &opts,
        input: &input,
        rules,
        summary: &summary,
        shared: &shared,
        checks: &checks,
        status,
        history: history.as_ref(),
        started,
    };
    finish(&run, files, set, cfg)?;
    Ok(status)
}

/// Loads the call history, if any, and streams the input through the engine.
fn history_and_stream(
    cfg: &AuditConfig,
    opts: &ReportOptions,
    rules: &RuleSet,
    input: &Input,
    known: &Known,
) -> anyhow::Result<(Sink, Option<History>)> {
    let mut engine = Engine::new(rules);
    if let Some(code) = &cfg.default_area_code {
        engine = engine.with_default_area(code).context("--default-area-code")?;
    }
    let history = match &cfg.history {
        Some(h) => Some(
            cfg.pool
                .install(|| history::load(h, known, &engine, &rules.outcomes, rules.policy.clone()))?,
        ),
        None => None,
    };
    let sink = stream(cfg, opts, input, engine, history.as_ref())?;
    Ok((sink, history))
}

/// The files the run reads, for the guard: the contact file (not standard input) and each
/// history log.
fn inputs(cfg: &AuditConfig) -> Vec<InputFile> {
    let contacts = (cfg.input.path.as_os_str() != "-").then(|| cfg.input.path.clone());
    let logs = cfg.history.iter().flat_map(|h| h.paths.iter().cloned());
    contacts
        .into_iter()
        .chain(logs)
        .map(|path| InputFile {
            display: path.display().to_string(),
            path,
        })
        .collect()
}

/// Streams every record through the engine on the worker threads, into the sink.
fn stream(
    cfg: &AuditConfig,
    opts: &ReportOptions,
    input: &Input,
    engine: Engine<'_>,
    history: Option<&History>,
) -> anyhow::Result<Sink> {
    let out = &opts.out;
    let mut sink = Sink {
        streams: opts
            .tables
            .then(|| Streams::create(opts, &input.headers, input.delimiter, history.is_some()))
            .transpose()?,
        customers: parts::Parts::new(out, cfg.sort_budget, input.columns.id.is_none()),
        sightings: Partitioned::new(out, cfg.sort_budget),
        matched: HashSet::new(),
        summary: Summary::new(input.columns.phones.len()),
    };
    let ctx = Ctx {
        engine,
        columns: &input.columns,
        width: input.headers.len(),
        delimiter: input.delimiter,
        prune: &cfg.prune,
        max_field: cfg.max_field,
        lang: opts.lang,
        history,
        guard: cfg.report.guard,
        tables: opts.tables,
    };
    let progress = progress_bar(cfg.quiet, input.scan().bytes);
    cfg.pool
        .install(|| pipeline::stream(input, &ctx, cfg.batch, &progress, &mut sink))?;
    progress.finish_and_clear();
    Ok(sink)
}

/// After the stream: the customer roll-up, the history's own files and the shared numbers;
/// returns every CSV output (to commit together), the finished counters and the shared list.
fn after_stream(
    opts: &ReportOptions,
    sink: Sink,
    history: Option<&mut History>,
) -> anyhow::Result<(Vec<CsvFile>, Summary, Vec<report::Shared>)> {
    let Sink {
        streams,
        customers,
        sightings,
        matched,
        mut summary,
    } = sink;
    let mut files = streams.map(Streams::into_files).unwrap_or_default();
    // The shared-number search reads its own sorter: it runs beside the roll-up, which had
    // the cores to itself for a second after a 1M-row stream (issue 11).
    let (rolled, shared) = rayon::join(
        || -> anyhow::Result<Vec<CsvFile>> {
            let mut files: Vec<CsvFile> = rollup::roll_up(customers, opts, history.as_deref(), &mut summary)?
                .into_iter()
                .collect();
            if let Some(h) = history {
                files.extend(calls::write_files(opts, h, &matched)?);
                summary.calls = Some(calls::counts(h));
            }
            Ok(files)
        },
        || shared::find(sightings, opts.shared_threshold),
    );
    files.extend(rolled?);
    let shared = shared?;
    summary.shared_numbers = shared.len() as u64;
    if opts.tables {
        files.push(report::write_shared(opts, &shared)?);
    }
    Ok((files, summary, shared))
}

/// Opens the input and begins the output set. A file is opened before the output directory
/// is made, so that an unreadable input leaves nothing behind; standard input is spooled into
/// the run's directory, so the set must begin first.
fn open_input(cfg: &AuditConfig, known: &Known) -> anyhow::Result<(Input, OutputSet)> {
    let begin = || -> anyhow::Result<OutputSet> {
        let set = OutputSet::begin(&cfg.report.out)?;
        if !set.leftovers().is_empty() {
            eprintln!(
                "contact-audit: {} {}: {}",
                tr(
                    "removed what interrupted runs left in",
                    "已清除中断运行遗留的文件，位于"
                ),
                cfg.report.out.display(),
                set.leftovers().join(", ")
            );
        }
        Ok(set)
    };
    if cfg.input.path.as_os_str() == "-" {
        let set = begin()?;
        let opts = InputOptions {
            spool: Spool {
                dir: set.dir().to_path_buf(),
                limit: cfg.input.spool.limit,
            },
            ..cfg.input.clone()
        };
        return Ok((input::open(&opts, known)?, set));
    }
    let input = input::open(&cfg.input, known)?;
    Ok((input, begin()?))
}

/// Completes the outputs and moves the set into place, then says which earlier outputs it
/// removed, prints the report (unless quiet) and the failing checks, the last lines printed.
fn finish(run: &Run<'_>, files: Vec<CsvFile>, set: OutputSet, cfg: &AuditConfig) -> anyhow::Result<()> {
    use std::io::Write as _;
    let published = report::finish(run, files, set)?;
    if !published.removed.is_empty() {
        let names: Vec<&str> = published.removed.iter().map(|o| o.name()).collect();
        if zh() {
            eprintln!(
                "contact-audit: 已从 {} 删除 {}：这是之前某次运行的输出，本次运行不再生成{}",
                cfg.report.out.display(),
                names.join(", "),
                earlier_flags(&published.removed)
            );
        } else {
            eprintln!(
                "contact-audit: removed {} from {}: outputs of an earlier run that this run does not write{}",
                names.join(", "),
                cfg.report.out.display(),
                earlier_flags(&published.removed)
            );
        }
    }
    let mut out = std::io::stdout().lock();
    let data = match cfg.format {
        Format::Text => published.report.as_bytes(),
        Format::Json => published.summary.as_slice(),
        Format::Junit => published.junit.as_bytes(),
    };
    let printed = if cfg.quiet { Ok(()) } else { out.write_all(data) };
    // `audit ... --fail-on X | head -1`: a reader that stops early may silence the report,
    // never turn a failed gate into a pass, so a closed pipe ends the printing, not the run.
    match printed.and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
        _ => {}
    }
    let red = if cfg.color {
        anstyle::AnsiColor::Red.on_default().bold()
    } else {
        anstyle::Style::new()
    };
    for c in run.checks.iter().filter(|c| c.status == GateStatus::Fail) {
        let unit = if c.percent { "%" } else { "" };
        eprintln!(
            "contact-audit: {red}{}{red:#}: {} ({} {}{unit})",
            tr("check failed", "检查未通过"),
            c.rule,
            tr("observed", "实际"),
            c.observed
        );
    }
    Ok(())
}

/// Why an earlier run wrote outputs this one does not: the flags it had (` (the earlier run
/// had --history)`), or nothing.
fn earlier_flags(removed: &[report::Output]) -> String {
    let mut flags = Vec::new();
    if removed.iter().any(|o| o.needs_history()) {
        flags.push("--history");
    }
    if removed.iter().any(|o| o.needs_xlsx()) {
        flags.push("--xlsx");
    }
    if flags.is_empty() {
        String::new()
    } else if zh() {
        format!("（之前的运行带有 {}）", flags.join(" 和 "))
    } else {
        format!(" (the earlier run had {})", flags.join(" and "))
    }
}

/// A progress bar on stderr at about 5 Hz, only when stderr is a terminal and not `--quiet`.
fn progress_bar(quiet: bool, bytes: u64) -> ProgressBar {
    let target = if quiet || !std::io::stderr().is_terminal() {
        ProgressDrawTarget::hidden()
    } else {
        ProgressDrawTarget::stderr_with_hz(5)
    };
    let bar = ProgressBar::with_draw_target(Some(bytes), target);
    bar.set_style(
        ProgressStyle::with_template(tr(
            "{spinner} auditing {bytes}/{total_bytes} {bar:30} {binary_bytes_per_sec} eta {eta}",
            "{spinner} 审计中 {bytes}/{total_bytes} {bar:30} {binary_bytes_per_sec} 剩余 {eta}",
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

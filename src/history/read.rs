//! One attempt log read and folded: records are read serially in batches, parsed and
//! classified on every core (each worker remembering the classes of the outcome texts it
//! has seen), folded shard by shard on every core, then counted in order. Attempts after
//! `--as-of` and duplicates of an attempt already read (in this log or an earlier one) are
//! counted and left out, and the log is refused when more of its lines than
//! `--max-unreadable` cannot be read.

use rayon::prelude::*;

use super::logs::{LogFormat, LogParser, LogReader, LogTally};
use super::memo::Memo;
use super::policy::Policy;
use super::{BATCH, Calls, Folded, HistoryOptions, States, Violation, bad_line, classify, count};
use crate::input::RawRecord;
use crate::phone::Engine;
use crate::rules::OutcomeRules;

/// What reading the logs adds to.
pub(super) struct Fold<'a> {
    pub(super) states: &'a mut States,
    pub(super) calls: &'a mut Calls,
    pub(super) violations: &'a mut Vec<Violation>,
}

/// What parsing and folding one batch of a log reads.
struct Log<'a> {
    parser: LogParser,
    engine: &'a Engine<'a>,
    rules: &'a OutcomeRules,
    policy: &'a Policy,
    opts: &'a HistoryOptions,
    format: LogFormat,
    /// The log's index among the logs, and its path as shown.
    index: usize,
    display: String,
}

/// The buffers a batch is parsed and folded in, kept from batch to batch: a fresh pair each
/// batch was faulted in and zeroed again by the kernel every time.
#[derive(Default)]
struct Buffers {
    folded: Vec<Result<Folded, (u64, String)>>,
    ok: Vec<Folded>,
    tally: LogTally,
}

/// Reads one log in parallel batches and folds its attempts: duplicates and attempts after
/// `--as-of` are counted and left out; the log is refused when too many lines are unreadable.
pub(super) fn read_log(
    mut reader: LogReader,
    index: usize,
    path: &std::path::Path,
    opts: &HistoryOptions,
    (engine, rules, policy): (&Engine<'_>, &OutcomeRules, &Policy),
    fold: &mut Fold<'_>,
) -> anyhow::Result<()> {
    let log = Log {
        parser: reader.parser(),
        engine,
        rules,
        policy,
        opts,
        format: reader.format(),
        index,
        display: path.display().to_string(),
    };
    let mut bufs = Buffers::default();
    let folded = fold_batches(&mut reader, &log, &mut bufs, fold);
    // The log's encoding check ran beside the fold: its verdict comes before the fold's.
    reader.settle()?;
    folded?;
    bufs.tally.check(&log.display, &reader.expected(), opts.max_unreadable)
}

/// Reads and folds every batch of the log; stops early, with an error the encoding check's
/// replaces, once that check has found the log misread.
fn fold_batches(reader: &mut LogReader, log: &Log<'_>, bufs: &mut Buffers, fold: &mut Fold<'_>) -> anyhow::Result<()> {
    let (mut raw, mut next) = (Vec::with_capacity(BATCH), Vec::with_capacity(BATCH));
    read_batch(reader, &mut raw, &log.display)?;
    while !raw.is_empty() {
        if reader.misread() {
            anyhow::bail!("{}: the log's encoding check failed", log.display);
        }
        // The next batch is read while this one is parsed and folded: reading is serial,
        // and a worker that waited for it stood idle (a tenth of the time at 30M attempts).
        let (read, ()) = rayon::join(
            || read_batch(reader, &mut next, &log.display),
            || fold_batch(&raw, log, bufs, fold),
        );
        read?;
        std::mem::swap(&mut raw, &mut next);
    }
    Ok(())
}

/// Reads the next batch of raw records into `raw` (empty at the end of the log).
fn read_batch(reader: &mut LogReader, raw: &mut Vec<RawRecord>, display: &str) -> anyhow::Result<()> {
    reader
        .read_raw(raw, BATCH)
        .map_err(|e| anyhow::anyhow!("{display}: reading stopped: {e}"))
}

/// Parses and classifies a batch on every core, folds it shard by shard, and counts it in
/// log order.
fn fold_batch(raw: &[RawRecord], log: &Log<'_>, bufs: &mut Buffers, fold: &mut Fold<'_>) {
    let Buffers { folded, ok, tally } = bufs;
    folded.clear();
    folded.par_extend(raw.par_iter().map_init(Memo::default, |memo, rec| {
        let attempt = log.parser.parse(rec).map_err(|msg| (rec.line, msg))?;
        let tz = &log.opts.tz;
        Ok(classify(
            &attempt,
            log.engine,
            (log.rules, memo),
            log.format,
            tz,
            log.policy,
        ))
    }));
    ok.clear();
    for f in folded.drain(..) {
        match f {
            Ok(f) => {
                tally.read += 1;
                if log.opts.as_of.is_some_and(|as_of| f.at > as_of) {
                    fold.calls.after_as_of += 1;
                } else {
                    ok.push(f);
                }
            }
            Err((line, message)) => {
                tally.bad(line, &message);
                bad_line(fold.calls, &log.display, line, &message);
            }
        }
    }
    // The shards drop duplicates as they fold; the rest are counted in log order, so that
    // the bounded tallies name the same texts whatever the threads.
    let duplicates = fold.states.fold(ok);
    let mut next = duplicates.iter().copied().peekable();
    for (i, f) in ok.iter().enumerate() {
        if next.next_if_eq(&i).is_some() {
            fold.calls.duplicates += 1;
        } else {
            count(f, log.index, fold.calls, fold.violations);
        }
    }
}

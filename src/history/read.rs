//! One attempt log read and folded: records are read serially in batches, parsed and
//! classified on every core (each worker remembering the classes of the outcome texts it
//! has seen), folded shard by shard on every core, then counted in order. Attempts after
//! `--as-of` and duplicates of an attempt already read (in this log or an earlier one) are
//! counted and left out, and the log is refused when more of its lines than
//! `--max-unreadable` cannot be read.

use rayon::prelude::*;

use super::logs::{LogReader, LogTally};
use super::memo::Memo;
use super::policy::Policy;
use super::{BATCH, Calls, Folded, HistoryOptions, States, Violation, bad_line, classify, count};
use crate::phone::Engine;
use crate::rules::OutcomeRules;

/// What reading the logs adds to.
pub(super) struct Fold<'a> {
    pub(super) states: &'a mut States,
    pub(super) calls: &'a mut Calls,
    pub(super) violations: &'a mut Vec<Violation>,
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
    let format = reader.format();
    let display = path.display().to_string();
    let mut raw = Vec::with_capacity(BATCH);
    let parser = reader.parser();
    let mut tally = LogTally::default();
    // Reused from batch to batch: a fresh pair of these each batch was faulted in and
    // zeroed again by the kernel every time.
    let mut folded: Vec<Result<Folded, (u64, String)>> = Vec::with_capacity(BATCH);
    let mut ok: Vec<Folded> = Vec::with_capacity(BATCH);
    loop {
        reader
            .read_raw(&mut raw, BATCH)
            .map_err(|e| anyhow::anyhow!("{display}: reading stopped: {e}"))?;
        if raw.is_empty() {
            break;
        }
        folded.clear();
        folded.par_extend(raw.par_iter().map_init(Memo::default, |memo, rec| {
            let attempt = parser.parse(rec).map_err(|msg| (rec.line, msg))?;
            Ok(classify(&attempt, engine, (rules, memo), format, &opts.tz, policy))
        }));
        ok.clear();
        for f in folded.drain(..) {
            match f {
                Ok(f) => {
                    tally.read += 1;
                    if opts.as_of.is_some_and(|as_of| f.at > as_of) {
                        fold.calls.after_as_of += 1;
                    } else {
                        ok.push(f);
                    }
                }
                Err((line, message)) => {
                    tally.bad(line, &message);
                    bad_line(fold.calls, &display, line, &message);
                }
            }
        }
        // The shards drop duplicates as they fold; the rest are counted in log order, so
        // that the bounded tallies name the same texts whatever the threads.
        let duplicates = fold.states.fold(&ok);
        let mut next = duplicates.iter().copied().peekable();
        for (i, f) in ok.iter().enumerate() {
            if next.next_if_eq(&i).is_some() {
                fold.calls.duplicates += 1;
            } else {
                count(f, index, fold.calls, fold.violations);
            }
        }
    }
    tally.check(&display, &reader.expected(), opts.max_unreadable)
}

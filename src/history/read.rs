//! One attempt log read and folded: records are read serially in batches, parsed and
//! classified on every core (each worker remembering the classes of the outcome texts it
//! has seen), then counted in order. Attempts after `--as-of` and duplicates
//! of an attempt already read (in this log or an earlier one) are counted and left out, and
//! the log is refused when more of its lines than `--max-unreadable` cannot be read.

use rayon::prelude::*;

use super::logs::{LogReader, LogTally, Seen, attempt_hash};
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
    pub(super) seen: &'a mut Seen,
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
    loop {
        reader
            .read_raw(&mut raw, BATCH)
            .map_err(|e| anyhow::anyhow!("{display}: reading stopped: {e}"))?;
        if raw.is_empty() {
            break;
        }
        let folded: Vec<Result<(Folded, u64), (u64, String)>> = raw
            .par_iter()
            .map_init(Memo::default, |memo, rec| {
                let attempt = parser.parse(rec).map_err(|msg| (rec.line, msg))?;
                let f = classify(&attempt, engine, (rules, memo), format, &opts.tz, policy);
                let hash = attempt_hash(f.key, f.at, &attempt.outcome, attempt.talk_seconds);
                Ok((f, hash))
            })
            .collect();
        let mut ok = Vec::with_capacity(folded.len());
        for f in folded {
            match f {
                Ok((f, hash)) => {
                    tally.read += 1;
                    if opts.as_of.is_some_and(|as_of| f.at > as_of) {
                        fold.calls.after_as_of += 1;
                    } else if !fold.seen.first(hash) {
                        fold.calls.duplicates += 1;
                    } else {
                        count(&f, index, fold.calls, fold.violations);
                        ok.push(f);
                    }
                }
                Err((line, message)) => {
                    tally.bad(line, &message);
                    bad_line(fold.calls, &display, line, &message);
                }
            }
        }
        fold.states.fold(&ok);
    }
    tally.check(&display, &reader.expected(), opts.max_unreadable)
}

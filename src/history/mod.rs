//! Call history: attempt logs (CRM exports, Asterisk and FreeSWITCH CDRs) folded into one
//! compact state per dialled number, and the policy that turns a state into a status and an
//! action.
//!
//! - `logs`: log formats, detection, columns, times;
//! - `read`: one log read in parallel batches and folded, duplicates and attempts after
//!   `--as-of` left out, the gate on unreadable lines applied;
//! - `unknown`: the bounded count of outcome texts no rule knows;
//! - `state`: the per-number state (48 bytes, mergeable);
//! - `states`: the states of every number in shards, with `index` (key to place) and
//!   `daily` (unanswered attempts per day, for the cap);
//! - `policy`: the decisions over a state, with the thresholds, slots and calendar that
//!   `rules` parses (rules/policy.toml, rules/cn/holidays.csv).
//!
//! The outcome mapping (rules/outcomes.toml: one attempt's evidence to a fine class) is
//! `rules::outcomes`.
//!
//! Attempts are joined to contacts on the normalised number (the engine's national digits),
//! for invalid numbers too, so `+8627...`, `027-...` and bare digits meet.

mod daily;
mod index;
pub(crate) mod logs;
mod memo;
pub(crate) mod policy;
mod read;
pub(crate) mod state;
mod states;
mod unknown;

use std::fmt;
use std::path::PathBuf;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::input::Known;
use crate::phone::{Detail, Engine, Number};
use crate::rules::{Class, Evidence, OutcomeRules, PolicyRules};
use logs::{Attempt, HistoryColumns, LogFormat, LogOptions, LogReader, TimeRange};
use policy::{EPOCH, Policy};
use read::{Fold, read_log};
use state::{DAY, Minutes};
pub(crate) use states::States;
use unknown::UnknownTally;

/// Attempts classified per parallel batch.
const BATCH: usize = 65_536;
/// Unreadable log lines listed by line number in the report (all are counted).
const LISTED_BAD_LINES: usize = 20;

/// What to read.
#[derive(Debug, Clone)]
pub(crate) struct HistoryOptions {
    /// The logs (`--history`, repeatable).
    pub(crate) paths: Vec<PathBuf>,
    /// `--sheet`: the sheet read from a log that is an Excel workbook.
    pub(crate) sheet: Option<String>,
    /// `--history-format`: overrides detection.
    pub(crate) format: Option<LogFormat>,
    /// `--history-columns`: overrides column detection of generic logs.
    pub(crate) columns: HistoryColumns,
    /// `--timezone`: the zone local log times are in, and the zone of slots and the window.
    pub(crate) tz: TimeZone,
    /// `--as-of`: "now" for the policy; default the newest attempt. Later attempts are
    /// left out.
    pub(crate) as_of: Option<Minutes>,
    /// `--time-format`: overrides the time format decided per log.
    pub(crate) time_format: Option<String>,
    /// `--dial-prefix`: the outside-line prefix to strip from dialled numbers.
    pub(crate) dial_prefix: Option<String>,
    /// `--max-unreadable`: the share of a log's lines (0 to 1) that may be unreadable.
    pub(crate) max_unreadable: f64,
    /// `--history-time-range`: the plausible call times; outside them a line is unreadable.
    pub(crate) time_range: TimeRange,
}

/// How one log was read, for the reports: so a user can see that the right columns were
/// taken for the number, the time and the outcome.
#[derive(Debug, Clone)]
pub(crate) struct LogRead {
    /// The path as given.
    pub(crate) path: String,
    /// The layout it was read as.
    pub(crate) format: LogFormat,
    /// Its text encoding.
    pub(crate) encoding: crate::input::Encoding,
    /// For a generic log the column of each role (`number=被叫号码, time=呼叫时间, ...`).
    pub(crate) columns: String,
    /// The outside-line prefix stripped from its numbers (given or detected).
    pub(crate) dial_prefix: Option<String>,
}

/// One compliance violation found in the history.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Violation {
    /// The local time (window) or day start (cap).
    pub(crate) at: Minutes,
    /// The number's key.
    pub(crate) key: u64,
    /// The rule broken.
    pub(crate) rule: ComplianceRule,
    /// The log (index into the paths) and line, for a window violation.
    pub(crate) place: Option<(usize, u64)>,
    /// Unanswered attempts that day, for a cap violation.
    pub(crate) count: u16,
}

/// A compliance rule of the policy that an attempt, or a day of attempts, can break.
/// Declared in the order of their names, so violations sort as they always have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum ComplianceRule {
    /// More unanswered attempts to one number in a day than the cap.
    DailyCap,
    /// An attempt outside the allowed calling window.
    Window,
}

impl ComplianceRule {
    /// The name used in outputs: `daily_cap` or `window`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ComplianceRule::DailyCap => "daily_cap",
            ComplianceRule::Window => "window",
        }
    }
}

impl fmt::Display for ComplianceRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Counts over all attempts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Calls {
    /// Attempts read.
    pub(crate) attempts: u64,
    /// Attempts whose number matched a contact (filled after the contacts stream).
    pub(crate) matched: u64,
    /// Attempts whose number matched no contact.
    pub(crate) unmatched: u64,
    /// Attempts per fine class, indexed by `Class as usize`.
    pub(crate) by_class: [u64; Class::ALL.len()],
    /// Attempts that came out unknown because their outcome text maps to nothing (blank
    /// outcomes are not counted: there is no text to add to the vocabulary).
    pub(crate) unknown_outcome: u64,
    /// Those attempts per outcome text, bounded.
    pub(crate) unknown_outcomes: UnknownTally,
    /// Log lines that could not be read (counted, not fatal).
    pub(crate) bad_lines: u64,
    /// The first unreadable lines: `log:line: message`.
    pub(crate) bad_examples: Vec<String>,
    /// Unreadable lines: `bad_lines` under the name summary.json documents.
    pub(crate) unreadable: u64,
    /// Attempts dropped as duplicates of one already read (same number, minute, outcome,
    /// talk time).
    pub(crate) duplicates: u64,
    /// Attempts after `--as-of`, left out.
    pub(crate) after_as_of: u64,
    /// Attempts per time slot (index into the policy's slots) and outcome (`Four as usize`).
    pub(crate) by_slot: Vec<[u64; 5]>,
}

/// The folded history.
#[derive(Debug)]
pub(crate) struct History {
    /// One state per dialled number.
    pub(crate) states: States,
    /// "Now" for the policy.
    pub(crate) as_of: Minutes,
    /// The policy.
    pub(crate) policy: Policy,
    /// Counts.
    pub(crate) calls: Calls,
    /// Window and daily-cap violations, sorted by time.
    pub(crate) violations: Vec<Violation>,
    /// The logs read, and how each was read.
    pub(crate) logs: Vec<LogRead>,
    /// Bytes the daily-cap counters (4 bytes an unanswered attempt) took at their peak (for
    /// BENCHMARKS).
    pub(crate) compliance_bytes: usize,
    /// Dialled numbers that match no contact (filled after the contacts stream).
    pub(crate) orphans: u64,
}

/// One classified attempt, with its slot and window check done on the worker threads.
struct Folded {
    key: u64,
    class: Class,
    at: Minutes,
    line: u64,
    slot: Option<u8>,
    outside_window: bool,
    /// The trimmed outcome text, when the attempt is unknown because that text maps to nothing.
    unrecognised: Option<Box<str>>,
    /// The hash that identifies the attempt for the dedupe (`logs::attempt_hash`): it mixes in
    /// the key, so two copies of an attempt fall in the same shard, which drops the later one.
    hash: u64,
}

/// Reads every log and folds it; `known` holds the verdicts of logs an earlier start of the
/// run misread (`input::Known`).
pub(crate) fn load(
    opts: &HistoryOptions,
    known: &Known,
    engine: &Engine<'_>,
    rules: &OutcomeRules,
    policy: PolicyRules,
) -> anyhow::Result<History> {
    let policy = Policy::new(policy);
    let mut states = States::new();
    let mut calls = Calls::default();
    let mut violations = Vec::new();
    let mut logs = Vec::new();
    let log_opts = LogOptions {
        sheet: opts.sheet.clone(),
        format: opts.format,
        columns: opts.columns.clone(),
        tz: opts.tz.clone(),
        time_format: opts.time_format.clone(),
        dial_prefix: opts.dial_prefix.clone(),
        plausible: Some(plausible(opts)?),
        known: known.clone(),
    };
    for (index, path) in opts.paths.iter().enumerate() {
        let reader = LogReader::open_with(path, &log_opts)?;
        states.reserve(reader.lines());
        logs.push(LogRead {
            path: path.display().to_string(),
            format: reader.format(),
            encoding: reader.encoding(),
            columns: reader.describe(),
            dial_prefix: reader.dial_prefix().map(str::to_string),
        });
        let mut fold = Fold {
            states: &mut states,
            calls: &mut calls,
            violations: &mut violations,
        };
        read_log(reader, index, path, opts, (engine, rules, &policy), &mut fold)?;
    }
    states.forget_attempts();
    let compliance_bytes = states.daily_bytes();
    for (key, day, count) in states.take_over_cap(policy.rules.daily_unanswered) {
        violations.push(Violation {
            at: u32::from(day) * DAY,
            key,
            rule: ComplianceRule::DailyCap,
            place: None,
            count,
        });
    }
    violations.sort();
    let newest = states.iter().map(|(_, s)| s.last_attempt).max();
    let as_of = match (opts.as_of, newest) {
        (Some(as_of), _) => as_of,
        (None, Some(newest)) => newest,
        (None, None) => anyhow::bail!(crate::exit::Unreadable(
            "the call history holds no attempt with a readable number: nothing to date the report by \
             (give --as-of, or check the logs' number column)"
                .to_string()
        )),
    };
    calls.unreadable = calls.bad_lines;
    Ok(History {
        states,
        as_of,
        policy,
        calls,
        violations,
        logs,
        compliance_bytes,
        orphans: 0,
    })
}

/// The plausible call times: `--history-time-range`, its end by default a day after
/// `--as-of` (local) or after now.
fn plausible(opts: &HistoryOptions) -> anyhow::Result<logs::Plausible> {
    let upper = match opts.as_of {
        Some(as_of) => {
            let local =
                EPOCH.to_datetime(jiff::civil::Time::midnight()) + jiff::SignedDuration::from_mins(i64::from(as_of));
            opts.tz.to_timestamp(local)?
        }
        None => Timestamp::now(),
    };
    opts.time_range.resolve(&opts.tz, upper)
}

impl History {
    /// Attempts per unrecognised outcome text (trimmed, as written), most first, then by
    /// text; at most `unknown::MAX_TEXTS` texts, the rest in [`History::unknown_outcomes_other`].
    pub(crate) fn unknown_outcomes(&self) -> Vec<(String, u64)> {
        self.calls.unknown_outcomes.sorted()
    }

    /// Attempts with an unrecognised outcome text beyond the texts listed by name.
    pub(crate) fn unknown_outcomes_other(&self) -> u64 {
        self.calls.unknown_outcomes.other()
    }

    /// How many violations of `rule` the history holds.
    pub(crate) fn violations_of(&self, rule: ComplianceRule) -> usize {
        self.violations.iter().filter(|v| v.rule == rule).count()
    }
}

fn bad_line(calls: &mut Calls, display: &str, line: u64, message: &str) {
    calls.bad_lines += 1;
    if calls.bad_examples.len() < LISTED_BAD_LINES {
        calls.bad_examples.push(format!("{display}:{line}: {message}"));
    }
}

fn classify(
    a: &Attempt,
    engine: &Engine<'_>,
    (rules, memo): (&OutcomeRules, &mut memo::Memo),
    format: LogFormat,
    tz: &TimeZone,
    policy: &Policy,
) -> Folded {
    let cell = engine.check(&a.number);
    let key = cell.numbers.first().map_or(0, key);
    let evidence = Evidence {
        format,
        outcome: &a.outcome,
        notes: &a.notes,
        talk_seconds: a.talk_seconds,
    };
    let at = minutes(a.time, tz);
    let (class, unrecognised) = memo.classify(rules, &evidence);
    let unrecognised = unrecognised.then(|| a.outcome.trim().into());
    Folded {
        hash: logs::attempt_hash(key, at, &a.outcome, a.talk_seconds),
        key,
        class,
        at,
        line: a.line,
        slot: policy.slot_of(at),
        outside_window: policy.outside_window(at),
        unrecognised,
    }
}

/// Counts an attempt and checks it against the calling window (the serial part of folding).
fn count(f: &Folded, log: usize, calls: &mut Calls, violations: &mut Vec<Violation>) {
    calls.attempts += 1;
    calls.by_class[f.class as usize] += 1;
    if let Some(slot) = f.slot.map(usize::from) {
        if calls.by_slot.len() <= slot {
            calls.by_slot.resize(slot + 1, [0; 5]);
        }
        calls.by_slot[slot][f.class.four() as usize] += 1;
    }
    if let Some(text) = &f.unrecognised {
        calls.unknown_outcome += 1;
        calls.unknown_outcomes.add(text);
    }
    if f.key != 0 && f.class != Class::Technical && f.outside_window {
        violations.push(Violation {
            at: f.at,
            key: f.key,
            rule: ComplianceRule::Window,
            place: Some((log, f.line)),
            count: 0,
        });
    }
}

/// Local minutes since 2000-01-01 of `ts` in `tz`.
pub(crate) fn minutes(ts: Timestamp, tz: &TimeZone) -> Minutes {
    let dt = tz.to_datetime(ts);
    let days = (dt.date() - EPOCH).get_days().max(0);
    let m = i64::from(days) * i64::from(DAY) + i64::from(dt.hour()) * 60 + i64::from(dt.minute());
    u32::try_from(m).unwrap_or(0)
}

/// The join key of a number: its national digits (for foreign numbers, country code and
/// digits) packed into a `u64` when they fit, so that orphans can be printed back; longer
/// digit strings are hashed, with the top bit set. Never 0.
pub(crate) fn key(n: &Number) -> u64 {
    let digits = n.digits.as_bytes();
    if let Detail::Foreign(cc) = n.detail {
        return hashed(format!("+{cc}{}", n.digits.as_str()).as_bytes());
    }
    let zeros = digits.iter().take_while(|d| **d == b'0').count();
    if digits.is_empty() || digits.len() > 17 || zeros > 3 {
        return hashed(digits);
    }
    let value = digits.iter().fold(0u64, |v, d| v * 10 + u64::from(d - b'0'));
    ((value << 2) | zeros as u64) + 1
}

/// The digits a packed key stands for (None for hashed keys).
pub(crate) fn key_digits(key: u64) -> Option<String> {
    if key & (1 << 63) != 0 || key == 0 {
        return None;
    }
    let k = key - 1;
    let zeros = (k & 3) as usize;
    let value = k >> 2;
    Some(format!(
        "{}{}",
        "0".repeat(zeros),
        if value == 0 { String::new() } else { value.to_string() }
    ))
}

fn hashed(bytes: &[u8]) -> u64 {
    fnv1a(bytes) | (1 << 63)
}

/// FNV-1a: a stable 64-bit hash, so keys (and anything ordered by them) are the same on every
/// run and machine. Also keys the shared-number search.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Parses `--as-of`: `YYYY-MM-DD` (end of that day) or `YYYY-MM-DD HH:MM`, local time.
pub(crate) fn parse_as_of(text: &str) -> anyhow::Result<Minutes> {
    let text = text.trim();
    let (date, time) = text.split_once([' ', 'T']).unwrap_or((text, "23:59"));
    let date: jiff::civil::Date = date.parse().map_err(|e| anyhow::anyhow!("--as-of `{text}`: {e}"))?;
    let (h, m) = time
        .split_once(':')
        .and_then(|(h, m)| Some((h.parse::<u32>().ok()?, m.get(..2).unwrap_or(m).parse::<u32>().ok()?)))
        .filter(|(h, m)| *h < 24 && *m < 60)
        .ok_or_else(|| anyhow::anyhow!("--as-of `{text}`: use YYYY-MM-DD or YYYY-MM-DD HH:MM"))?;
    let days =
        u32::try_from((date - EPOCH).get_days()).map_err(|_| anyhow::anyhow!("--as-of `{text}` is before 2000"))?;
    Ok(days * DAY + h * 60 + m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    #[test]
    fn keys_join_every_spelling_and_print_back() {
        let rules = RuleSet::embedded();
        let engine = Engine::new(&rules);
        let k = |s: &str| key(&engine.check(s).numbers[0]);
        assert_eq!(k("+8627-87654321"), k("027-87654321"));
        assert_eq!(k("02787654321"), k("(027)8765 4321"));
        assert_eq!(k("+8613971234567"), k("13971234567"));
        assert_eq!(
            k("027-1234567"),
            k("0271234567"),
            "invalid numbers join on their digits"
        );
        assert_ne!(k("027-87654321"), k("87654321"));
        assert_eq!(key_digits(k("027-87654321")).as_deref(), Some("02787654321"));
        assert_eq!(key_digits(k("13971234567")).as_deref(), Some("13971234567"));
        assert_eq!(key_digits(k("+852 9123 4567")), None);
    }

    #[test]
    fn as_of_parses_dates_and_times() {
        assert_eq!(parse_as_of("2000-01-02").unwrap(), DAY + 23 * 60 + 59);
        assert_eq!(parse_as_of("2000-01-01 08:30").unwrap(), 8 * 60 + 30);
        assert!(parse_as_of("yesterday").is_err());
    }
}

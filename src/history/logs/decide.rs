//! The decision pass: before a log is read, its time column is sampled to decide the one
//! time format every line is then read in, a date + clock column pair is confirmed or
//! dropped, and a CDR's outside-line prefix is detected. The sample is the first
//! [`SAMPLE`] records; a slash-date column whose month/day order the sample leaves open is
//! read to its end, since any later value over 12 settles it.

use super::time::{Decider, TimeFormat, is_clock_only};
use super::{Layout, LogOptions, cdr};
use crate::input::dialect::Fields;
use crate::input::{RawRecord, RecordReader, is_blank};

/// Records sampled to decide a log's time format and dial prefix.
const SAMPLE: u64 = 4096;
/// Outside-line prefixes looked for in CDRs, when `--dial-prefix` is not given.
const PREFIXES: [&str; 2] = ["9", "0"];

/// What the decision pass settled for one log.
pub(super) struct Decided {
    pub(super) time: TimeFormat,
    pub(super) dial_prefix: Option<String>,
}

/// The votes of one sample.
#[derive(Default)]
struct Votes {
    /// The time column as it is (a date and clock joined when already split).
    single: Decider,
    /// A candidate date + clock pair, joined.
    pair: Decider,
    /// Pair values seen, and those whose clock is a clock time alone.
    clocks: (u64, u64),
    /// Numbers sampled, and those carrying each of [`PREFIXES`].
    numbers: u64,
    prefixed: [u64; PREFIXES.len()],
}

/// Samples `records` (the log from its first data record) and decides; `Err` says why no
/// time format can be decided.
pub(super) fn decide<R: std::io::BufRead>(
    mut records: RecordReader<R>,
    layout: &mut Layout,
    delimiter: u8,
    opts: &LogOptions,
) -> Result<Decided, String> {
    let mut v = Votes::default();
    let mut rec = RawRecord::default();
    let mut joined = String::new();
    let mut seen = 0u64;
    while records
        .read(&mut rec)
        .map_err(|e| format!("{} {e}", crate::text::tr("reading stopped:", "读取中断：")))?
    {
        if is_blank(&rec.text) || rec.fault.is_some() {
            continue;
        }
        seen += 1;
        if seen > SAMPLE && !v.single.needs_more() && !v.pair.needs_more() {
            break;
        }
        let fields = Fields::split(&rec.text, delimiter);
        let Ok(raw) = layout.fields(&fields) else { continue };
        match raw.clock {
            Some(clock) => v.single.add(join(&mut joined, raw.time, clock)),
            None => v.single.add(raw.time),
        }
        if let Layout::Generic(cols) = &*layout
            && let Some((date, clock)) = cols.pair_values(&fields)
        {
            v.pair.add(join(&mut joined, date, clock));
            v.clocks.0 += 1;
            v.clocks.1 += u64::from(is_clock_only(clock));
        }
        if seen <= SAMPLE {
            v.numbers += 1;
            let digits = cdr::clean_dialled(raw.number.trim(), None);
            for (n, p) in v.prefixed.iter_mut().zip(PREFIXES) {
                *n += u64::from(cdr::carries_prefix(&digits, p));
            }
        }
    }
    finish(&v, layout, opts)
}

/// Settles the pair, the time format and the prefix from the votes.
fn finish(v: &Votes, layout: &mut Layout, opts: &LogOptions) -> Result<Decided, String> {
    let split = v.clocks.0 > 0 && v.clocks.1 * 2 > v.clocks.0;
    if let Layout::Generic(cols) = layout {
        cols.settle_split(split);
    }
    let column = match &*layout {
        Layout::Generic(cols) => cols.time_header(),
        Layout::Asterisk => "start".to_string(),
        Layout::FreeSwitch => "start_stamp".to_string(),
    };
    let time = match &opts.time_format {
        Some(format) => TimeFormat::Strptime(format.clone()),
        None if split => v.pair.decide(&column)?,
        None => v.single.decide(&column)?,
    };
    let cdr = !matches!(layout, Layout::Generic(_));
    let dial_prefix = opts.dial_prefix.clone().or_else(|| {
        let (n, p) = v.prefixed.iter().zip(PREFIXES).max_by_key(|(n, _)| **n)?;
        (cdr && *n * 2 > v.numbers).then(|| p.to_string())
    });
    Ok(Decided { time, dial_prefix })
}

/// `date clock` in `buf`, trimmed.
fn join<'b>(buf: &'b mut String, date: &str, clock: &str) -> &'b str {
    buf.clear();
    buf.push_str(date.trim());
    buf.push(' ');
    buf.push_str(clock.trim());
    buf
}

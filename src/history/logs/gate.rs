//! The gate on unreadable lines, and the set that drops duplicate attempts.
//!
//! A log more than `--max-unreadable` of whose lines cannot be read is refused (exit 3)
//! with its first bad lines and what the reader expected, rather than folded as if its
//! unread lines had no calls; a log with no readable line at all is always refused.
//!
//! Duplicates: the same attempt (number, minute, outcome text, talk seconds) logged twice, in
//! one log or across logs, counts once. The sets (`seen`, one per shard of the states) hold
//! one 64-bit hash per attempt kept, about 9 bytes an attempt with their load factor.

use std::fmt::Write as _;

use crate::exit::Unreadable;

/// Bad lines shown in the message that refuses a log.
const SHOWN: usize = 5;

/// One log's readable and unreadable lines.
#[derive(Debug, Default)]
pub(crate) struct LogTally {
    /// Lines read into attempts.
    pub(crate) read: u64,
    /// Lines that could not be read.
    pub(crate) bad: u64,
    /// The first bad lines: line number and reason.
    examples: Vec<(u64, String)>,
}

impl LogTally {
    /// Counts a bad line.
    pub(crate) fn bad(&mut self, line: u64, message: &str) {
        self.bad += 1;
        if self.examples.len() < SHOWN {
            self.examples.push((line, message.to_string()));
        }
    }

    /// Refuses the log when it has no readable line, or more than `max` (a fraction) of
    /// its lines are unreadable. `expected` says what a line must hold.
    pub(crate) fn check(&self, display: &str, expected: &str, max: f64) -> anyhow::Result<()> {
        let lines = self.read + self.bad;
        let zh = crate::text::zh();
        let share = 100.0 * self.bad as f64 / lines.max(1) as f64;
        let why = if self.read == 0 && zh {
            format!("全部 {lines} 行都无法读取")
        } else if self.read == 0 {
            format!("none of its {lines} lines can be read")
        } else if self.bad as f64 > max * lines as f64 && zh {
            format!(
                "{lines} 行中有 {} 行（{share:.1}%）无法读取，超过 --max-unreadable {}%",
                self.bad,
                percent(max)
            )
        } else if self.bad as f64 > max * lines as f64 {
            format!(
                "{} of its {lines} lines ({share:.1}%) cannot be read, more than --max-unreadable {}%",
                self.bad,
                percent(max)
            )
        } else {
            return Ok(());
        };
        let (head, want) = if zh {
            ("通话记录", "应为")
        } else {
            ("attempt log", "expected")
        };
        let mut msg = format!("{head} {display}: {why}\n{want}: {expected}\n");
        for (line, reason) in &self.examples {
            if zh {
                let _ = writeln!(msg, "  第 {line} 行: {reason}");
            } else {
                let _ = writeln!(msg, "  line {line}: {reason}");
            }
        }
        msg.push_str(crate::text::tr(
            "give the time format with --time-format, the columns with --history-columns, or allow more \
             unreadable lines with --max-unreadable",
            "请用 --time-format 指定时间格式、用 --history-columns 指定列，或用 --max-unreadable 放宽无法读取行的比例",
        ));
        Err(anyhow::Error::new(Unreadable(msg)))
    }
}

/// `max` as a percentage, without trailing zeros (`1`, `0.5`).
fn percent(max: f64) -> String {
    let p = format!("{:.3}", max * 100.0);
    p.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Parses `--max-unreadable`: a percentage, `5%` or `5` (0 to 100), as a fraction.
pub(crate) fn parse_max_unreadable(text: &str) -> anyhow::Result<f64> {
    let t = text.trim();
    let echo = crate::text::clip(text);
    let value: f64 = t.strip_suffix('%').unwrap_or(t).trim().parse().map_err(|_| {
        if crate::text::zh() {
            anyhow::anyhow!("--max-unreadable `{echo}`：请给出百分比，例如 1% 或 0.5%")
        } else {
            anyhow::anyhow!("--max-unreadable `{echo}`: give a percentage such as 1% or 0.5%")
        }
    })?;
    if !(0.0..=100.0).contains(&value) {
        if crate::text::zh() {
            anyhow::bail!("--max-unreadable `{echo}`：百分比应在 0% 到 100% 之间");
        }
        anyhow::bail!("--max-unreadable `{echo}`: give a percentage from 0% to 100%");
    }
    Ok(value / 100.0)
}

/// The hash that identifies an attempt: its number's key, its minute, its outcome text and
/// its talk seconds (FNV-1a, stable across runs).
pub(crate) fn attempt_hash(key: u64, minute: u32, outcome: &str, talk: Option<u32>) -> u64 {
    const MUL: u64 = 0x9E37_79B9_7F4A_7C15;
    let talk = talk.map_or(u64::MAX, u64::from);
    // The fixed-size parts mixed a word at a time, the outcome text byte by byte (FNV-1a).
    let mut h = (key ^ 0xcbf2_9ce4_8422_2325).wrapping_mul(MUL).rotate_left(29);
    h = (h ^ u64::from(minute) ^ (talk << 32) ^ talk)
        .wrapping_mul(MUL)
        .rotate_left(29);
    for b in outcome.as_bytes() {
        h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
    }
    (h ^ (h >> 31)).wrapping_mul(MUL)
}

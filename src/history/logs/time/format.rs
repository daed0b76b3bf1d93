//! The time format of one log, decided once from its time column: every value of a sample
//! votes for the shape it fits, the shape most values fit wins, and then every line is read
//! in that shape only, so a line that does not fit is an unreadable line, never a guess.
//! Month-first or day-first is settled by any value whose first or second part exceeds 12;
//! when none does, the log is refused and `--time-format` named.

use std::fmt;

use jiff::Timestamp;
use jiff::fmt::strtime::BrokenDownTime;
use jiff::tz::TimeZone;

use super::civil::{self, Hours, Order};

/// How every time of one log is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TimeFormat {
    /// Year first: ISO 8601 (with or without `T` and offset), `2026/11/3 19:05`,
    /// `2026年11月3日 19:05`, `2026-11-03 7:05 PM`.
    YearFirst(Hours),
    /// `11/03/2026 19:05` (month first) or `03/11/2026 19:05` (day first), 24 or 12 hours.
    Slash(Order, Hours),
    /// `20261103190500` or `20261103 190500`.
    Compact,
    /// Excel serial days since 1899-12-30, the fraction the time of day.
    Excel,
    /// Unix epoch seconds.
    UnixSeconds,
    /// Unix epoch milliseconds.
    UnixMillis,
    /// `--time-format`: a strftime-style format (jiff's `strptime`).
    Strptime(String),
}

impl TimeFormat {
    /// Reads one time in this format; `None` when it does not fit.
    pub(crate) fn read(&self, text: &str, tz: &TimeZone) -> Option<Timestamp> {
        match self {
            TimeFormat::YearFirst(hours) => {
                if *hours == Hours::H24
                    && let Some(dt) = civil::iso_fixed(text)
                {
                    return civil::resolve(dt, None, tz);
                }
                let (dt, offset) = civil::year_first(text, *hours)?;
                civil::resolve(dt, offset, tz)
            }
            TimeFormat::Slash(order, hours) => civil::resolve(civil::slash(text, *order, *hours)?, None, tz),
            TimeFormat::Compact => civil::resolve(civil::compact(text)?, None, tz),
            TimeFormat::Excel => civil::resolve(civil::excel(text)?, None, tz),
            TimeFormat::UnixSeconds => civil::unix(text, false),
            TimeFormat::UnixMillis => civil::unix(text, true),
            TimeFormat::Strptime(format) => {
                let tm = BrokenDownTime::parse(format, text.trim()).ok()?;
                let dt = tm.to_datetime().ok()?;
                civil::resolve(dt, tm.offset(), tz)
            }
        }
    }
}

impl fmt::Display for TimeFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h12 = |h: &Hours| if *h == Hours::H12 { " h:mm AM/PM" } else { " HH:MM[:SS]" };
        match self {
            TimeFormat::YearFirst(h) => write!(f, "YYYY-MM-DD{} (ISO 8601, / or 年月日)", h12(h)),
            TimeFormat::Slash(Order::MonthFirst, h) => write!(f, "MM/DD/YYYY{}", h12(h)),
            TimeFormat::Slash(Order::DayFirst, h) => write!(f, "DD/MM/YYYY{}", h12(h)),
            TimeFormat::Compact => f.write_str("YYYYMMDDHHMMSS"),
            TimeFormat::Excel => f.write_str("Excel serial days"),
            TimeFormat::UnixSeconds => f.write_str("Unix seconds"),
            TimeFormat::UnixMillis => f.write_str("Unix milliseconds"),
            TimeFormat::Strptime(format) => write!(f, "--time-format {format}"),
        }
    }
}

/// A shape one value fits, before the column settles month or day first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    YearFirst(Hours),
    Slash(Hours),
    Compact,
    Excel,
    UnixSeconds,
    UnixMillis,
}

/// The votes of a time column's values; [`Decider::decide`] picks the format.
#[derive(Debug, Default)]
pub(crate) struct Decider {
    votes: Vec<(Shape, u64)>,
    /// Non-empty values seen.
    values: u64,
    /// The largest first and second parts of slash dates.
    slash_max: (i64, i64),
    /// The first value of each shape, for the messages.
    example: Option<String>,
}

impl Decider {
    /// Counts one value of the time column.
    pub(crate) fn add(&mut self, text: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        self.values += 1;
        if self.example.is_none() {
            self.example = Some(text.to_string());
        }
        for shape in shapes(text) {
            if let Shape::Slash(_) = shape
                && let Some((date, _)) = civil::split_civil(text)
                && let Some((a, b, _)) = civil::slash_parts(date)
            {
                self.slash_max = (self.slash_max.0.max(a), self.slash_max.1.max(b));
            }
            match self.votes.iter_mut().find(|(s, _)| *s == shape) {
                Some((_, n)) => *n += 1,
                None => self.votes.push((shape, 1)),
            }
        }
    }

    /// True while the column's winner is a slash date whose order is not settled, so that
    /// the caller reads on past its sample.
    pub(crate) fn needs_more(&self) -> bool {
        matches!(self.winner(), Some(Shape::Slash(_))) && self.order().is_err()
    }

    /// The shape most values fit; Excel serials only when every value is one.
    fn winner(&self) -> Option<Shape> {
        self.votes
            .iter()
            .filter(|(s, n)| *s != Shape::Excel || *n == self.values)
            .max_by_key(|(_, n)| *n)
            .map(|(s, _)| *s)
    }

    fn order(&self) -> Result<Order, String> {
        match (self.slash_max.0 > 12, self.slash_max.1 > 12) {
            (true, false) => Ok(Order::DayFirst),
            (false, true) => Ok(Order::MonthFirst),
            (true, true) => Err(crate::text::tr(
                "some dates have a first part over 12 and some a second",
                "有的日期第一部分大于 12，有的第二部分大于 12",
            )
            .to_string()),
            (false, false) => Err(crate::text::tr(
                "no date has a part over 12, so month and day cannot be told apart",
                "没有哪个日期有大于 12 的部分，无法分辨月和日",
            )
            .to_string()),
        }
    }

    /// The decided format, or why none can be: `column` names the column in messages.
    pub(crate) fn decide(&self, column: &str) -> Result<TimeFormat, String> {
        let example = self.example.as_deref().unwrap_or("");
        let Some(shape) = self.winner() else {
            let zh = crate::text::zh();
            return Err(if self.values == 0 && zh {
                format!("时间列（{column}）在每一行都为空")
            } else if self.values == 0 {
                format!("the time column ({column}) is empty on every line")
            } else if zh {
                format!(
                    "时间列（{column}）中没有已知写法的时间（例如 `{example}`）：\
                     请用 --time-format 指定格式，例如 --time-format '%d/%m/%Y %H:%M'"
                )
            } else {
                format!(
                    "the time column ({column}) holds no time in a known shape (e.g. `{example}`): \
                     give its format with --time-format, e.g. --time-format '%d/%m/%Y %H:%M'"
                )
            });
        };
        Ok(match shape {
            Shape::YearFirst(h) => TimeFormat::YearFirst(h),
            Shape::Slash(h) => {
                let order = self.order().map_err(|why| {
                    if crate::text::zh() {
                        return format!(
                            "时间列（{column}）的日期写作 `{example}`，但{why}：请用 --time-format 指定顺序，\
                             例如 --time-format '%d/%m/%Y %H:%M' 或 '%m/%d/%Y %H:%M'"
                        );
                    }
                    format!(
                        "the time column ({column}) writes dates as `{example}`, but {why}: give the order \
                         with --time-format, e.g. --time-format '%d/%m/%Y %H:%M' or '%m/%d/%Y %H:%M'"
                    )
                })?;
                TimeFormat::Slash(order, h)
            }
            Shape::Compact => TimeFormat::Compact,
            Shape::Excel => TimeFormat::Excel,
            Shape::UnixSeconds => TimeFormat::UnixSeconds,
            Shape::UnixMillis => TimeFormat::UnixMillis,
        })
    }
}

/// The shapes `text` fits (a slash date fits one shape, whichever order it turns out in).
fn shapes(text: &str) -> impl Iterator<Item = Shape> {
    let fits = [
        (
            Shape::YearFirst(Hours::H24),
            civil::year_first(text, Hours::H24).is_some(),
        ),
        (
            Shape::YearFirst(Hours::H12),
            civil::year_first(text, Hours::H12).is_some(),
        ),
        (Shape::Slash(Hours::H24), slash_fits(text, Hours::H24)),
        (Shape::Slash(Hours::H12), slash_fits(text, Hours::H12)),
        (Shape::Compact, civil::compact(text).is_some()),
        (Shape::Excel, civil::excel(text).is_some()),
        (Shape::UnixSeconds, civil::unix(text, false).is_some()),
        (Shape::UnixMillis, civil::unix(text, true).is_some()),
    ];
    fits.into_iter().filter(|(_, ok)| *ok).map(|(s, _)| s)
}

fn slash_fits(text: &str, hours: Hours) -> bool {
    civil::slash(text, Order::MonthFirst, hours).is_some() || civil::slash(text, Order::DayFirst, hours).is_some()
}

//! One spreadsheet cell as text, with what it held ([`CellType`]).
//!
//! The text is what the audit reads and what cleaned.csv keeps:
//! - a string as it is;
//! - a number that is an integer, below 2^53 in size (every integer there is exact in an f64),
//!   as its exact digits: `13971234567.0` is `13971234567`, never the `1.39712E+10` Excel
//!   shows in a narrow column; `CellType::Int`, which tells the engine the value was stored as
//!   a number (`format.excel_numeric`);
//! - any other number in Rust's shortest round-trip form (`0.5`, `1234.56`), and one of 2^53
//!   or more in exponent form (`1.2345678901234568E16`), since its last digits are not exact;
//!   `CellType::Float`, read by the engine as text;
//! - a date or date-time as `YYYY-MM-DD HH:MM:SS` (`YYYY-MM-DD` when it has no time of day,
//!   `HH:MM:SS` for a time alone), from the stored serial value, rounded to the second, so a
//!   call log's times never depend on the cell's display format; a duration (`[h]:mm:ss`) as
//!   `H:MM:SS`; ISO 8601 text cells as written, with `T` read as a space;
//! - a boolean as `TRUE` or `FALSE`, an error as Excel writes it (`#N/A`).

use calamine::{Data, DataRef, ExcelDateTime};

use crate::input::rows::CellType;

/// The largest integer every smaller one of is exact in an f64: 2^53.
const EXACT: f64 = 9_007_199_254_740_992.0;

/// A cell's value, borrowed from either reader's cell type.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    /// An integer cell.
    Int(i64),
    /// A number.
    Float(f64),
    /// A string.
    Text(&'a str),
    /// A boolean.
    Bool(bool),
    /// A date, time or duration, as its serial value.
    Date(ExcelDateTime),
    /// A date or duration written in ISO 8601.
    Iso(&'a str),
    /// An error value, as Excel writes it.
    Error(&'static str),
    /// Nothing.
    Empty,
}

impl<'a> From<&'a DataRef<'a>> for Value<'a> {
    fn from(d: &'a DataRef<'a>) -> Self {
        match d {
            DataRef::Int(i) => Value::Int(*i),
            DataRef::Float(f) => Value::Float(*f),
            DataRef::String(s) => Value::Text(s),
            DataRef::SharedString(s) => Value::Text(s),
            DataRef::Bool(b) => Value::Bool(*b),
            DataRef::DateTime(d) => Value::Date(*d),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Iso(s),
            DataRef::Error(e) => Value::Error(error_text(e)),
            DataRef::Empty => Value::Empty,
        }
    }
}

impl<'a> From<&'a Data> for Value<'a> {
    fn from(d: &'a Data) -> Self {
        match d {
            Data::Int(i) => Value::Int(*i),
            Data::Float(f) => Value::Float(*f),
            Data::String(s) => Value::Text(s),
            Data::Bool(b) => Value::Bool(*b),
            Data::DateTime(d) => Value::Date(*d),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Iso(s),
            Data::Error(e) => Value::Error(error_text(e)),
            Data::Empty => Value::Empty,
        }
    }
}

/// An error value as Excel writes it.
fn error_text(e: &calamine::CellErrorType) -> &'static str {
    use calamine::CellErrorType as E;
    match e {
        E::Div0 => "#DIV/0!",
        E::NA => "#N/A",
        E::Name => "#NAME?",
        E::Null => "#NULL!",
        E::Num => "#NUM!",
        E::Ref => "#REF!",
        E::Value => "#VALUE!",
        E::GettingData => "#DATA!",
    }
}

/// Appends the cell's text to `out` and says what it held.
pub(crate) fn render(value: Value<'_>, out: &mut String) -> CellType {
    use std::fmt::Write as _;
    match value {
        Value::Int(i) => {
            let _ = write!(out, "{i}");
            CellType::Int
        }
        Value::Float(f) => render_float(f, out),
        Value::Text(s) => {
            out.push_str(s);
            if s.is_empty() { CellType::Empty } else { CellType::Text }
        }
        Value::Bool(b) => {
            out.push_str(if b { "TRUE" } else { "FALSE" });
            CellType::Text
        }
        Value::Date(d) => {
            render_date(d, out);
            CellType::Date
        }
        Value::Iso(s) => {
            out.extend(s.chars().map(|c| if c == 'T' { ' ' } else { c }));
            CellType::Date
        }
        Value::Error(e) => {
            out.push_str(e);
            CellType::Text
        }
        Value::Empty => CellType::Empty,
    }
}

/// A number's text: exact digits for an integer below 2^53 (`CellType::Int`), else the
/// shortest round-trip form (`CellType::Float`).
pub(crate) fn render_float(f: f64, out: &mut String) -> CellType {
    use std::fmt::Write as _;
    if f.fract() == 0.0 && f.abs() < EXACT {
        // Exact: the value is an integer of at most 16 digits, which an i64 holds.
        let _ = write!(out, "{}", f as i64);
        CellType::Int
    } else if f.is_finite() && f.abs() >= EXACT {
        let _ = write!(out, "{f:E}");
        CellType::Float
    } else {
        let _ = write!(out, "{f}");
        CellType::Float
    }
}

/// A date-time's text from its serial value, rounded to the second.
fn render_date(d: ExcelDateTime, out: &mut String) {
    use std::fmt::Write as _;
    if d.is_duration() {
        let secs = (d.as_f64() * 86_400.0).round() as i64;
        let sign = if secs < 0 { "-" } else { "" };
        let secs = secs.abs();
        let _ = write!(out, "{sign}{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
        return;
    }
    let (y, mo, day, h, mi, s, ms) = d.to_ymd_hms_milli();
    let (mut h, mut mi, mut s) = (
        i8::try_from(h).unwrap_or(0),
        i8::try_from(mi).unwrap_or(0),
        i8::try_from(s).unwrap_or(0),
    );
    let (mut y, mut mo, mut day) = (
        i16::try_from(y).unwrap_or(0),
        i8::try_from(mo).unwrap_or(1),
        i8::try_from(day).unwrap_or(1),
    );
    if ms >= 500 {
        // The carry may reach the year; jiff does the calendar (1900-02-29, Excel's leap-year
        // bug, is not a date and keeps its truncated second).
        if let Some(next) = jiff::civil::DateTime::new(y, mo, day, h, mi, s, 0)
            .ok()
            .and_then(|t| t.checked_add(jiff::SignedDuration::from_secs(1)).ok())
        {
            (y, mo, day, h, mi, s) = (
                next.year(),
                next.month(),
                next.day(),
                next.hour(),
                next.minute(),
                next.second(),
            );
        }
    }
    if d.as_f64() < 1.0 && d.as_f64() >= 0.0 {
        let _ = write!(out, "{h:02}:{mi:02}:{s:02}");
    } else if (h, mi, s) == (0, 0, 0) {
        let _ = write!(out, "{y:04}-{mo:02}-{day:02}");
    } else {
        let _ = write!(out, "{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{s:02}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;
    use proptest::prelude::*;

    fn text(value: Value<'_>) -> (String, CellType) {
        let mut out = String::new();
        let kind = render(value, &mut out);
        (out, kind)
    }

    fn date(serial: f64) -> String {
        text(Value::Date(ExcelDateTime::new(
            serial,
            ExcelDateTimeType::DateTime,
            false,
        )))
        .0
    }

    #[test]
    fn numbers_render_as_their_stored_value() {
        // What Excel shows as 1.39712E+10 is stored whole.
        assert_eq!(
            text(Value::Float(13_971_234_567.0)),
            ("13971234567".into(), CellType::Int)
        );
        // A landline that lost its 0: the digits as stored; the engine restores the 0.
        assert_eq!(
            text(Value::Float(2_787_654_321.0)),
            ("2787654321".into(), CellType::Int)
        );
        assert_eq!(
            text(Value::Int(8_613_971_234_567)),
            ("8613971234567".into(), CellType::Int)
        );
        assert_eq!(text(Value::Float(0.5)), ("0.5".into(), CellType::Float));
        assert_eq!(text(Value::Float(-12.25)), ("-12.25".into(), CellType::Float));
        assert_eq!(text(Value::Float(1e16)), ("1E16".into(), CellType::Float));
        assert_eq!(text(Value::Float(f64::NAN)), ("NaN".into(), CellType::Float));
        assert_eq!(text(Value::Float(-0.0)), ("0".into(), CellType::Int));
    }

    #[test]
    fn other_cells_render_as_excel_writes_them() {
        assert_eq!(text(Value::Text("1.38001E+10")), ("1.38001E+10".into(), CellType::Text));
        assert_eq!(text(Value::Text("")), (String::new(), CellType::Empty));
        assert_eq!(text(Value::Bool(true)), ("TRUE".into(), CellType::Text));
        assert_eq!(text(Value::Error("#N/A")), ("#N/A".into(), CellType::Text));
        assert_eq!(text(Value::Empty), (String::new(), CellType::Empty));
        assert_eq!(
            text(Value::Iso("2026-11-02T10:15:00")),
            ("2026-11-02 10:15:00".into(), CellType::Date)
        );
    }

    #[test]
    fn dates_come_from_the_serial_value() {
        // 2026-11-02 is serial 46328 (days since 1899-12-30); 10:15 is 0.427083...
        assert_eq!(date(46_328.0), "2026-11-02");
        assert_eq!(date(46_328.0 + (10.0 * 60.0 + 15.0) / 1440.0), "2026-11-02 10:15:00");
        assert_eq!(date(0.75), "18:00:00");
        // 2026-12-31 23:59:59.6 rounds over midnight, and over the year.
        assert_eq!(date(46_388.0 - 0.4 / 86_400.0), "2027-01-01");
        assert_eq!(date(46_388.0 - 1.4 / 86_400.0), "2026-12-31 23:59:59");
        let duration = ExcelDateTime::new(1.0 + 65.0 / 86_400.0, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(text(Value::Date(duration)).0, "24:01:05");
    }

    proptest! {
        /// Any 11-digit integer stored as an f64 renders back to exactly its digits.
        #[test]
        fn eleven_digit_floats_render_exactly(n in 10_000_000_000u64..100_000_000_000) {
            let (s, kind) = text(Value::Float(n as f64));
            prop_assert_eq!(s, n.to_string());
            prop_assert_eq!(kind, CellType::Int);
        }

        /// And so does any integer below 2^53.
        #[test]
        fn exact_integers_render_exactly(n in 0u64..(1 << 53)) {
            prop_assert_eq!(text(Value::Float(n as f64)).0, n.to_string());
        }
    }
}

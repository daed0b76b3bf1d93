//! Each time shape read in its decided format, and the decision over a column: table-driven,
//! in Asia/Shanghai (UTC+8, no DST), results in UTC.

use jiff::tz::TimeZone;
use test_case::test_case;

use super::civil::{Hours, Order};
use super::{Decider, TimeFormat, check_time_format, is_clock_only, time_zone};

fn shanghai() -> TimeZone {
    time_zone("Asia/Shanghai").unwrap()
}

fn read(format: &TimeFormat, text: &str) -> Option<String> {
    format.read(text, &shanghai()).map(|t| t.to_string())
}

const Y24: TimeFormat = TimeFormat::YearFirst(Hours::H24);
const Y12: TimeFormat = TimeFormat::YearFirst(Hours::H12);
const MDY24: TimeFormat = TimeFormat::Slash(Order::MonthFirst, Hours::H24);
const MDY12: TimeFormat = TimeFormat::Slash(Order::MonthFirst, Hours::H12);
const DMY24: TimeFormat = TimeFormat::Slash(Order::DayFirst, Hours::H24);

#[test_case(Y24, "2026-11-03 19:05:00" => Some("2026-11-03T11:05:00Z".into()) ; "iso space")]
#[test_case(Y24, "2026-11-03T19:05:00" => Some("2026-11-03T11:05:00Z".into()) ; "iso t")]
#[test_case(Y24, "2026-11-03T19:05:00+08:00" => Some("2026-11-03T11:05:00Z".into()) ; "iso offset")]
#[test_case(Y24, "2026-11-03T11:05:00Z" => Some("2026-11-03T11:05:00Z".into()) ; "iso zulu")]
#[test_case(Y24, "2026/11/3 19:05" => Some("2026-11-03T11:05:00Z".into()) ; "slashes year first")]
#[test_case(Y24, "2026年11月3日 19:05:00" => Some("2026-11-03T11:05:00Z".into()) ; "chinese date")]
#[test_case(Y24, "2026年11月3日 19时05分" => Some("2026-11-03T11:05:00Z".into()) ; "chinese hours minutes")]
#[test_case(Y24, "2026年11月3日19时05分30秒" => Some("2026-11-03T11:05:30Z".into()) ; "chinese seconds")]
#[test_case(Y24, "2026-11-03 7:05 PM" => None ; "12 hour in a 24 hour log")]
#[test_case(Y12, "2026-11-03 7:05 PM" => Some("2026-11-03T11:05:00Z".into()) ; "year first pm")]
#[test_case(Y12, "2026-11-03 12:05 AM" => Some("2026-11-02T16:05:00Z".into()) ; "midnight hour")]
#[test_case(Y12, "2026-11-03 下午7:05" => Some("2026-11-03T11:05:00Z".into()) ; "xiawu")]
#[test_case(Y12, "2026-11-03 上午 9:05" => Some("2026-11-03T01:05:00Z".into()) ; "shangwu")]
#[test_case(Y12, "2026-11-03 19:05" => None ; "24 hour in a 12 hour log")]
#[test_case(MDY24, "11/03/2026 19:05" => Some("2026-11-03T11:05:00Z".into()) ; "month first")]
#[test_case(MDY12, "11/03/2026 07:05 PM" => Some("2026-11-03T11:05:00Z".into()) ; "month first pm")]
#[test_case(MDY24, "11/13/2026 19:05" => Some("2026-11-13T11:05:00Z".into()) ; "month first 13")]
#[test_case(MDY24, "13/11/2026 19:05" => None ; "day first in a month first log")]
#[test_case(DMY24, "03/11/2026 19:05:00" => Some("2026-11-03T11:05:00Z".into()) ; "day first")]
#[test_case(DMY24, "03.11.2026 19:05" => Some("2026-11-03T11:05:00Z".into()) ; "day first dots")]
#[test_case(TimeFormat::Compact, "20261103190500" => Some("2026-11-03T11:05:00Z".into()) ; "compact")]
#[test_case(TimeFormat::Compact, "20261103 190500" => Some("2026-11-03T11:05:00Z".into()) ; "compact space")]
#[test_case(TimeFormat::Compact, "20261303190500" => None ; "compact month 13")]
// Found by the fuzzer (tests/data/fuzz): a multi-byte character where a digit should be.
#[test_case(TimeFormat::Compact, "20268日 10:05" => None ; "compact with a Chinese character")]
#[test_case(TimeFormat::Compact, "2026年1103190" => None ; "compact 14 bytes not digits")]
#[test_case(TimeFormat::Excel, "46329.795138889" => Some("2026-11-03T11:05:00Z".into()) ; "excel")]
#[test_case(TimeFormat::Excel, "46329" => Some("2026-11-02T16:00:00Z".into()) ; "excel midnight")]
#[test_case(TimeFormat::Excel, "123.5" => None ; "excel out of range")]
#[test_case(TimeFormat::UnixSeconds, "1793703900" => Some("2026-11-03T11:05:00Z".into()) ; "unix seconds")]
#[test_case(TimeFormat::UnixMillis, "1793703900000" => Some("2026-11-03T11:05:00Z".into()) ; "unix millis")]
#[test_case(TimeFormat::UnixSeconds, "0000000001" => None ; "unix before 2000")]
#[test_case(TimeFormat::Strptime("%d/%m/%Y %H:%M".into()), "03/11/2026 19:05" => Some("2026-11-03T11:05:00Z".into()) ; "strptime")]
#[test_case(TimeFormat::Strptime("%d/%m/%Y %H:%M".into()), "2026-11-03 19:05" => None ; "strptime mismatch")]
#[allow(clippy::needless_pass_by_value)] // test_case hands each case's format by value
fn shapes(format: TimeFormat, text: &str) -> Option<String> {
    read(&format, text)
}

fn decide(values: &[&str]) -> Result<TimeFormat, String> {
    let mut d = Decider::default();
    for v in values {
        d.add(v);
    }
    d.decide("time")
}

#[test_case(&["2026-11-03 19:05:00", "2026-11-04 09:00:00"] => Ok(Y24) ; "iso")]
#[test_case(&["2026-11-03 7:05 PM", "2026-11-04 9:00 AM"] => Ok(Y12) ; "iso 12 hour")]
#[test_case(&["11/03/2026 07:05 PM", "11/13/2026 09:00 AM"] => Ok(MDY12) ; "month first settled")]
#[test_case(&["03/11/2026 19:05", "13/11/2026 09:00"] => Ok(DMY24) ; "day first settled")]
#[test_case(&["20261103190500", "20261104090000"] => Ok(TimeFormat::Compact) ; "compact")]
#[test_case(&["46329.795", "46330.5"] => Ok(TimeFormat::Excel) ; "excel")]
#[test_case(&["1793703900", "1793707500"] => Ok(TimeFormat::UnixSeconds) ; "unix")]
#[test_case(&["1793703900000"] => Ok(TimeFormat::UnixMillis) ; "unix millis")]
#[test_case(&["2026-11-03 19:05:00", "2026-11-03 19:06:00", "junk"] => Ok(Y24) ; "most values win")]
fn decisions(values: &[&str]) -> Result<TimeFormat, String> {
    decide(values)
}

#[test]
fn undecidable_columns_name_time_format() {
    let err = decide(&["03/11/2026 19:05", "04/11/2026 09:00"]).unwrap_err();
    assert!(err.contains("--time-format") && err.contains("month and day"), "{err}");
    let err = decide(&["13/11/2026 19:05", "11/13/2026 09:00"]).unwrap_err();
    assert!(err.contains("--time-format"), "{err}");
    let err = decide(&["yesterday", "today"]).unwrap_err();
    assert!(err.contains("--time-format"), "{err}");
    // Excel serials only when the whole column is serials.
    assert_eq!(decide(&["46329.795", "46330.5", "2026-11-03 19:05:00"]), Ok(Y24));
}

#[test_case("19:05" => true)]
#[test_case("07:05 PM" => true)]
#[test_case("下午7:05" => true)]
#[test_case("19时05分" => true)]
#[test_case("2026-11-03 19:05" => false)]
fn clocks(text: &str) -> bool {
    is_clock_only(text)
}

#[test_case("%d/%m/%Y %H:%M" => true)]
#[test_case("%m/%d/%Y %I:%M %p" => true ; "twelve hour")]
#[test_case("%d/%m/%Y" => false ; "no clock")]
#[test_case("%Q" => false ; "unknown directive")]
fn time_formats(format: &str) -> bool {
    check_time_format(format).is_ok()
}

#[test]
fn flag_errors_are_chinese_with_zh() {
    crate::text::set_messages(crate::text::Messages { zh: true, mask: false });
    let zone = time_zone("Mars/Olympus").unwrap_err().to_string();
    let range = super::TimeRange::parse("2026-01-01..2025-01-01")
        .unwrap_err()
        .to_string();
    let format = check_time_format("%H:%M").unwrap_err().to_string();
    crate::text::set_messages(crate::text::Messages::default());
    assert!(zone.starts_with("未知时区 `Mars/Olympus`"), "{zone}");
    assert_eq!(range, "`2026-01-01..2025-01-01`：FROM 晚于 TO");
    assert!(
        format.starts_with("--time-format `%H:%M`：格式须包含日期和时刻"),
        "{format}"
    );
}

proptest::proptest! {
    /// The positional reader gives what the general year-first reader gives, on the shapes it
    /// takes (valid or not) and near them.
    #[test]
    fn iso_fixed_reads_like_year_first(
        y in 0..10_000u32, mo in 0..14u32, d in 0..33u32, h in 0..26u32, mi in 0..62u32, s in 0..62u32,
        sep in proptest::sample::select(vec![" ", "T", "t", "  "]),
        seconds in proptest::bool::ANY,
        noise in proptest::option::of(0..19usize),
    ) {
        let tail = if seconds { format!(":{s:02}") } else { String::new() };
        let mut text = format!("{y:04}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}{tail}");
        if let Some(i) = noise.filter(|i| *i < text.len() && text.is_char_boundary(*i) && text.is_char_boundary(*i + 1)) {
            text.replace_range(i..=i, "x");
        }
        let general = super::civil::year_first(&text, Hours::H24).filter(|(_, offset)| offset.is_none()).map(|(dt, _)| dt);
        if let Some(fast) = super::civil::iso_fixed(&text) {
            proptest::prop_assert_eq!(Some(fast), general);
        }
        proptest::prop_assert_eq!(Y24.read(&text, &shanghai()), general.and_then(|dt| shanghai().to_ambiguous_timestamp(dt).compatible().ok()));
    }
}

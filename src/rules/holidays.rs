//! The holiday calendar (`cn/holidays.csv`): mainland China's statutory holidays and the
//! weekend days made working days (调休), which decide the kind of every day.

use std::collections::HashMap;

use jiff::civil::{Date, Weekday};

use super::table::{self, Errors};

/// The columns of the file.
const COLUMNS: [&str; 4] = ["date", "kind", "name_en", "name_zh"];

/// Which days a slot covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// Monday to Friday, and weekend days made working days (调休).
    Workday,
    /// Saturday and Sunday that are not working days or holidays.
    Weekend,
    /// Statutory holidays.
    Holiday,
}

/// The parsed calendar: the days that are not what their weekday says.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    listed: HashMap<Date, DayKind>,
}

impl Calendar {
    /// Parses `cn/holidays.csv`; every bad row is reported on its line and skipped.
    pub(crate) fn parse(text: &str, errors: &mut Errors<'_>) -> Calendar {
        let mut listed = HashMap::new();
        for row in table::parse(text, &COLUMNS, errors) {
            let date = match row.get(0).parse::<Date>() {
                Ok(date) => Some(date),
                Err(e) => {
                    errors.push(row.line, format!("date `{}`: {e}", row.get(0)));
                    None
                }
            };
            let kind = match row.get(1) {
                "holiday" => Some(DayKind::Holiday),
                "working_day" => Some(DayKind::Workday),
                other => {
                    errors.push(row.line, format!("kind `{other}` must be holiday or working_day"));
                    None
                }
            };
            if let (Some(date), Some(kind)) = (date, kind) {
                listed.insert(date, kind);
            }
        }
        Calendar { listed }
    }

    /// The kind of `date`: a holiday, a working day (weekdays and 调休 weekends), or a weekend.
    pub fn day_kind(&self, date: Date) -> DayKind {
        if let Some(kind) = self.listed.get(&date) {
            return *kind;
        }
        match date.weekday() {
            Weekday::Saturday | Weekday::Sunday => DayKind::Weekend,
            _ => DayKind::Workday,
        }
    }

    /// The last date the file lists: past it, no day is a holiday.
    pub fn last_listed(&self) -> Option<Date> {
        self.listed.keys().max().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleError;
    use crate::rules::files::PATHS;

    fn parse(text: &str) -> (Calendar, Vec<RuleError>) {
        let mut list = Vec::new();
        let calendar = Calendar::parse(text, &mut Errors::new(PATHS.holidays, &mut list));
        (calendar, list)
    }

    #[test]
    fn days_are_listed_or_go_by_their_weekday() {
        let (c, errors) = parse(
            "# c\ndate,kind,name_en,name_zh\n2026-10-01,holiday,National Day,国庆节\n2026-10-10,working_day,National Day,国庆节\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(c.day_kind("2026-10-01".parse().unwrap()), DayKind::Holiday);
        assert_eq!(c.day_kind("2026-10-10".parse().unwrap()), DayKind::Workday);
        assert_eq!(c.day_kind("2026-10-17".parse().unwrap()), DayKind::Weekend);
        assert_eq!(c.last_listed(), Some("2026-10-10".parse().unwrap()));
    }

    #[test]
    fn every_bad_row_is_reported_on_its_line() {
        let text =
            "date,kind,name_en,name_zh\n2026-13-01,holiday,x,y\n2026-10-01,holiday,x,y\n2026-10-02,day_off,x,y\n";
        let (c, errors) = parse(text);
        let found: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].starts_with("cn/holidays.csv:2: date `2026-13-01`: "),
            "{found:?}"
        );
        assert_eq!(
            found[1],
            "cn/holidays.csv:4: kind `day_off` must be holiday or working_day"
        );
        assert_eq!(c.day_kind("2026-10-01".parse().unwrap()), DayKind::Holiday);
    }
}

//! Landline length upgrades (`cn/upgrades.csv`): which area codes moved from 7 to 8 local
//! digits, when, and the rule that turned an old number into the current one, where a source
//! documents it. The number engine uses it to name the upgrade behind a stale 7-digit number
//! and, where the rule is known, the probable current number (to verify, never to rewrite).

use super::area::AreaTable;
use super::table::{self, Errors};

/// One row: numbers written under `code` whose old first digit is in `old_first`.
#[derive(Debug, Clone)]
pub struct Upgrade {
    /// The code the old number was written under, e.g. `0851` or the retired `0852`.
    pub code: String,
    /// The city in Chinese, e.g. `贵阳市`.
    pub region_zh: String,
    /// The city in English, e.g. `Guiyang`.
    pub region_en: String,
    /// The code the number is dialled under now (the code itself, or what it merged into).
    pub new_code: String,
    /// When, as written (`2014-12-20`), or empty when no source gives the date.
    pub date: String,
    /// The old first digits the row covers, as a bit set (bit d set: digit d).
    pub old_first: u16,
    /// The digit put into the old number and where (0: in front, 1: after the first digit);
    /// `None` when no source documents the rule.
    pub insert: Option<(u8, usize)>,
    /// The authority grade of the sources (A/B/C, rules/README.md).
    pub grade: String,
}

impl Upgrade {
    /// The current local number for the old `local` (7 digits), when the rule is documented.
    pub fn convert(&self, local: &[u8]) -> Option<Vec<u8>> {
        let (digit, at) = self.insert?;
        let mut out = local.to_vec();
        out.insert(at.min(out.len()), b'0' + digit);
        Some(out)
    }

    /// The rule in words, for messages: `8 in front`, `1 after the first digit`.
    pub fn rule_text(&self, zh: bool) -> Option<String> {
        let (digit, at) = self.insert?;
        Some(match (zh, at) {
            (true, 0) => format!("前加{digit}"),
            (true, _) => format!("首位后插入{digit}"),
            (false, 0) => format!("{digit} in front"),
            (false, _) => format!("{digit} after the first digit"),
        })
    }
}

/// Every upgrade row, in file order.
#[derive(Debug, Clone, Default)]
pub struct UpgradeTable {
    rows: Vec<Upgrade>,
}

impl UpgradeTable {
    /// Parses `cn/upgrades.csv`; `areas` must already be parsed, since every code must be a
    /// known area code and every new code an active one that now allows 8 local digits.
    pub(crate) fn parse(text: &str, areas: &AreaTable, errors: &mut Errors<'_>) -> Self {
        let columns = [
            "code",
            "region_zh",
            "region_en",
            "new_code",
            "upgraded_on",
            "old_first",
            "insert",
            "at",
            "grade",
            "source",
        ];
        let mut rows = Vec::new();
        for row in table::parse(text, &columns, errors) {
            match parse_row(&row, areas) {
                Ok(upgrade) => rows.push(upgrade),
                Err(message) => errors.push(row.line, message),
            }
        }
        UpgradeTable { rows }
    }

    /// The row for a 7-digit number written under `code` whose first digit is `first`; when
    /// the code upgraded but no row covers that digit, the first row of the code (its rule
    /// then does not apply, so only its date and city are used).
    pub fn find(&self, code: &str, first: u8) -> Option<&Upgrade> {
        let digit = first.wrapping_sub(b'0');
        let mut of_code = self.rows.iter().filter(|u| u.code == code);
        let fallback = of_code.clone().next()?;
        Some(
            of_code
                .find(|u| digit < 10 && u.old_first & (1 << digit) != 0)
                .unwrap_or(fallback),
        )
    }

    /// True when the row covers `first`, so its rule applies.
    pub fn covers(upgrade: &Upgrade, first: u8) -> bool {
        let digit = first.wrapping_sub(b'0');
        digit < 10 && upgrade.old_first & (1 << digit) != 0
    }

    /// Every row, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Upgrade> {
        self.rows.iter()
    }
}

fn parse_row(row: &table::Row, areas: &AreaTable) -> Result<Upgrade, String> {
    let code = row.get(0);
    let area = areas
        .get(code.as_bytes())
        .filter(|a| a.code == code)
        .ok_or_else(|| format!("`{code}` is not an area code of cn/area-codes.csv or cn/retired-area-codes.csv"))?;
    let new_code = row.get(3);
    let successor = areas
        .get(new_code.as_bytes())
        .filter(|a| a.code == new_code && a.retired.is_none())
        .ok_or_else(|| format!("new_code `{new_code}` is not an active area code"))?;
    if !successor.allows_length(8) || (area.retired.is_none() && area.allows_length(7)) {
        return Err(format!(
            "`{code}` upgraded to 8 digits, but cn/area-codes.csv allows {} local digits under {new_code}",
            successor.lengths_text()
        ));
    }
    let date = row.get(4);
    if !date.is_empty() && !is_date(date) {
        return Err(format!("upgraded_on `{date}` must be YYYY-MM-DD or empty"));
    }
    let old_first = row.get(5);
    if old_first.is_empty() || !old_first.bytes().all(|b| (b'2'..=b'9').contains(&b)) {
        return Err(format!("old_first `{old_first}` must list digits 2-9"));
    }
    let insert = match (row.get(6), row.get(7)) {
        ("", "") => None,
        (d, at) if d.len() == 1 && d.bytes().all(|b| b.is_ascii_digit()) && matches!(at, "0" | "1") => {
            Some((d.as_bytes()[0] - b'0', usize::from(at == "1")))
        }
        (d, at) => return Err(format!("insert `{d}` at `{at}`: a digit at 0 or 1, or both empty")),
    };
    Ok(Upgrade {
        code: code.to_string(),
        region_zh: row.get(1).to_string(),
        region_en: row.get(2).to_string(),
        new_code: new_code.to_string(),
        date: date.to_string(),
        old_first: old_first.bytes().fold(0, |bits, b| bits | 1 << (b - b'0')),
        insert,
        grade: row.get(8).to_string(),
    })
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREAS: &str = "code,region_zh,region_en,lengths\n0851,贵州省贵阳市,Guiyang,8\n027,湖北省武汉市,Wuhan,8\n0433,吉林省延边,Yanbian,7|8\n";
    const RETIRED: &str =
        "code,region_zh,region_en,merged_into,retired_on,source\n0852,贵州省遵义市,Zunyi,0851,2014-12-20,x\n";
    const HEADER: &str = "code,region_zh,region_en,new_code,upgraded_on,old_first,insert,at,grade,source\n";

    fn parse(rows: &str) -> (UpgradeTable, Vec<super::super::RuleError>) {
        let (mut a, mut r, mut u) = (Vec::new(), Vec::new(), Vec::new());
        let areas = AreaTable::parse(
            AREAS,
            RETIRED,
            &mut Errors::new("a", &mut a),
            &mut Errors::new("r", &mut r),
        );
        let table = UpgradeTable::parse(&format!("{HEADER}{rows}"), &areas, &mut Errors::new("u", &mut u));
        (table, u)
    }

    #[test]
    fn rules_convert_old_numbers() {
        let (t, errors) = parse(
            "0851,贵阳市,Guiyang,0851,2014-12-20,2345678,8,0,B/C,x\n\
             0852,遵义市,Zunyi,0851,2014-12-20,2345678,2,0,B/C,x\n\
             027,武汉市,Wuhan,027,,2345678,,,C,x\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let guiyang = t.find("0851", b'5').unwrap();
        assert_eq!(guiyang.convert(b"5827364").unwrap(), b"85827364");
        assert_eq!(guiyang.rule_text(false).unwrap(), "8 in front");
        assert_eq!(t.find("0852", b'2').unwrap().convert(b"2345678").unwrap(), b"22345678");
        assert!(t.find("027", b'8').unwrap().convert(b"8765432").is_none());
        assert!(t.find("0433", b'2').is_none());
    }

    #[test]
    fn a_digit_no_row_covers_falls_back_to_the_code() {
        let (t, errors) =
            parse("0851,贵阳市,Guiyang,0851,2014-12-20,2,1,1,C,x\n0851,贵阳市,Guiyang,0851,2014-12-20,345,8,0,C,x\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(t.find("0851", b'2').unwrap().convert(b"2345678").unwrap(), b"21345678");
        let other = t.find("0851", b'7').unwrap();
        assert!(!UpgradeTable::covers(other, b'7'));
    }

    #[test]
    fn bad_rows_are_reported() {
        let (_, errors) = parse(
            "0999,x,y,0851,,2345678,8,0,C,x\n\
             0851,x,y,0852,,2345678,8,0,C,x\n\
             0433,x,y,0433,,2345678,8,0,C,x\n\
             0851,x,y,0851,2014-12,2345678,8,0,C,x\n\
             0851,x,y,0851,,1234,8,0,C,x\n\
             0851,x,y,0851,,2345678,8,,C,x\n",
        );
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 6, 7], "{errors:?}");
    }
}

//! Landline area codes: the active codes with their local-number lengths, and the retired
//! codes with the code they merged into. One dense index keyed by the code's digits after the
//! trunk 0 (`27` for 027, `592` for 0592) answers both in O(1).

use super::table::{self, Errors};

/// One area code, active or retired.
#[derive(Debug, Clone)]
pub struct Area {
    /// The code with its trunk 0, e.g. `027`.
    pub code: String,
    /// Province and city in Chinese, e.g. `湖北省武汉市`.
    pub region_zh: String,
    /// City and province in English, e.g. `Wuhan, Hubei`.
    pub region_en: String,
    /// Allowed local-number lengths, as a bit set: bit n set means n digits are allowed.
    pub lengths: u16,
    /// For a retired code: what it merged into and when.
    pub retired: Option<Retirement>,
}

/// Where a retired area code went.
#[derive(Debug, Clone)]
pub struct Retirement {
    /// The code it merged into, e.g. `024`.
    pub merged_into: String,
    /// When, as written in the table (`2011-08-28`), or empty when unknown.
    pub date: String,
}

impl Area {
    /// True when a local number of `len` digits is allowed here.
    pub fn allows_length(&self, len: usize) -> bool {
        len < 16 && self.lengths & (1 << len) != 0
    }

    /// The allowed lengths joined for a message, e.g. `7/8`.
    pub fn lengths_text(&self) -> String {
        (0..16)
            .filter(|n| self.lengths & (1 << n) != 0)
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join("/")
    }
}

const NONE: u16 = u16::MAX;
const INDEX_SIZE: usize = 1000;

/// All area codes with the O(1) index.
#[derive(Debug, Clone)]
pub struct AreaTable {
    areas: Vec<Area>,
    index: Vec<u16>,
}

impl AreaTable {
    /// Parses `cn/area-codes.csv` and `cn/retired-area-codes.csv`.
    pub(crate) fn parse(
        active: &str,
        retired: &str,
        active_errors: &mut Errors<'_>,
        retired_errors: &mut Errors<'_>,
    ) -> Self {
        let mut table = AreaTable {
            areas: Vec::new(),
            index: vec![NONE; INDEX_SIZE],
        };
        let columns = ["code", "region_zh", "region_en", "lengths"];
        for row in table::parse(active, &columns, active_errors) {
            let Some(lengths) = parse_lengths(row.get(3)) else {
                active_errors.push(
                    row.line,
                    format!("lengths `{}` must be digits joined by | (e.g. 7|8)", row.get(3)),
                );
                continue;
            };
            table.insert(&row, lengths, None, active_errors);
        }
        let columns = ["code", "region_zh", "region_en", "merged_into", "retired_on", "source"];
        for row in table::parse(retired, &columns, retired_errors) {
            let merged_into = row.get(3).to_string();
            if table.get(merged_into.as_bytes()).is_none_or(|a| a.retired.is_some()) {
                retired_errors.push(
                    row.line,
                    format!("merged_into `{merged_into}` is not an active area code"),
                );
                continue;
            }
            let retirement = Retirement {
                merged_into,
                date: row.get(4).to_string(),
            };
            table.insert(&row, 0, Some(retirement), retired_errors);
        }
        table
    }

    fn insert(&mut self, row: &table::Row, lengths: u16, retired: Option<Retirement>, errors: &mut Errors<'_>) {
        let code = row.get(0);
        let Some(key) = key(code.as_bytes()).filter(|_| code.len() == code_len(code.as_bytes())) else {
            errors.push(
                row.line,
                format!("`{code}` is not an area code (0 then 2 digits starting 1 or 2, or 3 digits starting 3-9)"),
            );
            return;
        };
        if self.index[key] != NONE {
            errors.push(
                row.line,
                format!("area code `{code}` is listed twice (or is both active and retired)"),
            );
            return;
        }
        self.index[key] = self.areas.len() as u16;
        self.areas.push(Area {
            code: code.to_string(),
            region_zh: row.get(1).to_string(),
            region_en: row.get(2).to_string(),
            lengths,
            retired,
        });
    }

    /// The area whose code starts `digits` (which begin with the trunk 0).
    pub fn get(&self, digits: &[u8]) -> Option<&Area> {
        self.get_id(digits).map(|id| &self.areas[usize::from(id)])
    }

    /// The id of the area whose code starts `digits`.
    pub fn get_id(&self, digits: &[u8]) -> Option<u16> {
        let slot = self.index[key(digits)?];
        (slot != NONE).then_some(slot)
    }

    /// The area with `id`.
    pub fn area(&self, id: u16) -> &Area {
        &self.areas[usize::from(id)]
    }

    /// Every area, active and retired, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Area> {
        self.areas.iter()
    }
}

/// How long the area code at the start of `digits` is: 3 for 010 and 02x, else 4.
pub fn code_len(digits: &[u8]) -> usize {
    match digits.get(1) {
        Some(b'1' | b'2') => 3,
        _ => 4,
    }
}

/// The index key of the area code that starts `digits`: its digits after the trunk 0.
fn key(digits: &[u8]) -> Option<usize> {
    let len = code_len(digits);
    let code = digits.get(..len)?;
    if code[0] != b'0' || !code.iter().all(u8::is_ascii_digit) || code[1] == b'0' {
        return None;
    }
    Some(code[1..].iter().fold(0usize, |acc, d| acc * 10 + usize::from(d - b'0')))
}

/// Parses `7|8` into a bit set of lengths.
fn parse_lengths(text: &str) -> Option<u16> {
    let mut bits = 0u16;
    for part in text.split('|') {
        let n: u16 = part.trim().parse().ok().filter(|n| (5..=9).contains(n))?;
        bits |= 1 << n;
    }
    Some(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTIVE: &str = "code,region_zh,region_en,lengths\n024,辽宁省沈阳市,\"Shenyang, Liaoning\",8\n027,湖北省武汉市,\"Wuhan, Hubei\",8\n0592,福建省厦门市,\"Xiamen, Fujian\",7\n0433,吉林省延边,Yanbian,7|8\n";
    const RETIRED: &str = "code,region_zh,region_en,merged_into,retired_on,source\n0410,辽宁省铁岭市,\"Tieling, Liaoning\",024,2011-08-28,x\n";

    fn table() -> AreaTable {
        let (mut a, mut r) = (Vec::new(), Vec::new());
        let t = AreaTable::parse(
            ACTIVE,
            RETIRED,
            &mut Errors::new("a", &mut a),
            &mut Errors::new("r", &mut r),
        );
        assert!(a.is_empty() && r.is_empty(), "{a:?} {r:?}");
        t
    }

    #[test]
    fn finds_codes_of_both_lengths() {
        let t = table();
        assert_eq!(t.get(b"02787654321").unwrap().code, "027");
        assert_eq!(t.get(b"05922345678").unwrap().code, "0592");
        assert!(t.get(b"0282").is_none());
        assert!(t.get(b"00852").is_none());
        assert!(t.get(b"0").is_none());
    }

    #[test]
    fn lengths_and_retirement() {
        let t = table();
        let yanbian = t.get(b"0433").unwrap();
        assert!(yanbian.allows_length(7) && yanbian.allows_length(8) && !yanbian.allows_length(9));
        assert_eq!(yanbian.lengths_text(), "7/8");
        assert_eq!(t.get(b"0410").unwrap().retired.as_ref().unwrap().merged_into, "024");
    }

    #[test]
    fn bad_rows_are_reported() {
        let (mut a, mut r) = (Vec::new(), Vec::new());
        AreaTable::parse(
            "code,region_zh,region_en,lengths\n27,x,y,8\n027,x,y,8|x\n027,x,y,8\n027,x,y,8\n",
            "code,region_zh,region_en,merged_into,retired_on,source\n0410,x,y,099,,z\n",
            &mut Errors::new("a", &mut a),
            &mut Errors::new("r", &mut r),
        );
        assert_eq!(a.iter().map(|e| e.line).collect::<Vec<_>>(), vec![2, 3, 5]);
        assert_eq!(r.len(), 1);
    }
}

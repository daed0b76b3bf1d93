//! Mobile number blocks (号段): which prefixes are allocated, to whom, for what, and how long
//! their numbers are. Looked up by longest prefix through a dense index of 5-digit prefixes.

use super::table::{self, Errors};

/// What a block of mobile numbers is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MobileCategory {
    /// Ordinary public mobile network numbers.
    Public,
    /// Virtual operators (移动转售): valid, but worth knowing in a loan audit.
    Mvno,
    /// Satellite phones (天通 and others).
    Satellite,
    /// 11-digit data-card segments (145-149): often no voice service.
    DataCard,
    /// 13-digit IoT numbers: data only, never a person's phone.
    Iot,
}

impl MobileCategory {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "public" => Self::Public,
            "mvno" => Self::Mvno,
            "satellite" => Self::Satellite,
            "data_card" => Self::DataCard,
            "iot" => Self::Iot,
            _ => return None,
        })
    }
}

/// One row of `cn/mobile-blocks.csv`.
#[derive(Debug, Clone)]
pub struct MobileBlock {
    /// The block's prefix digits (3 to 5).
    pub prefix: String,
    /// Total length of numbers in the block (11, or 13 for IoT).
    pub length: u8,
    /// Carrier name in Chinese; empty when unknown or unallocated.
    pub carrier_zh: String,
    /// Carrier name in English.
    pub carrier_en: String,
    /// What the block is for.
    pub category: MobileCategory,
    /// False for blocks that were never allocated.
    pub allocated: bool,
}

/// Index width: every prefix is expanded to 5 digits, the longest a block has.
const INDEX_DIGITS: usize = 5;
const INDEX_BASE: usize = 10_000;
const NONE: u16 = u16::MAX;

/// All mobile blocks with an O(1) longest-prefix index.
#[derive(Debug, Clone)]
pub struct MobileTable {
    blocks: Vec<MobileBlock>,
    /// `index[p - 10000]` is the block for 5-digit prefix `p` (10000..=19999).
    index: Vec<u16>,
}

impl MobileTable {
    /// Parses `cn/mobile-blocks.csv`.
    pub(crate) fn parse(text: &str, errors: &mut Errors<'_>) -> Self {
        const COLUMNS: [&str; 6] = ["prefix", "length", "carrier_zh", "carrier_en", "category", "status"];
        let mut blocks: Vec<MobileBlock> = Vec::new();
        for row in table::parse(text, &COLUMNS, errors) {
            let prefix = row.get(0);
            if !table::is_digits(prefix) || !prefix.starts_with('1') || prefix.len() < 3 || prefix.len() > INDEX_DIGITS
            {
                errors.push(
                    row.line,
                    format!("prefix `{prefix}` must be 3 to 5 digits starting with 1"),
                );
                continue;
            }
            let Some(length) = row.get(1).parse::<u8>().ok().filter(|l| (7..=15).contains(l)) else {
                errors.push(
                    row.line,
                    format!("length `{}` must be a number from 7 to 15", row.get(1)),
                );
                continue;
            };
            let Some(category) = MobileCategory::parse(row.get(4)) else {
                errors.push(
                    row.line,
                    format!(
                        "unknown category `{}` (public, mvno, satellite, data_card, iot)",
                        row.get(4)
                    ),
                );
                continue;
            };
            let allocated = match row.get(5) {
                "allocated" => true,
                "unallocated" => false,
                other => {
                    errors.push(row.line, format!("status `{other}` must be allocated or unallocated"));
                    continue;
                }
            };
            if blocks.iter().any(|b| b.prefix == prefix) {
                errors.push(row.line, format!("prefix `{prefix}` is listed twice"));
                continue;
            }
            blocks.push(MobileBlock {
                prefix: prefix.to_string(),
                length,
                carrier_zh: row.get(2).to_string(),
                carrier_en: row.get(3).to_string(),
                category,
                allocated,
            });
        }
        let index = build_index(&blocks);
        MobileTable { blocks, index }
    }

    /// The block whose prefix is the longest prefix of `digits`, if any.
    pub fn lookup(&self, digits: &[u8]) -> Option<&MobileBlock> {
        let key = prefix_key(digits)?;
        let slot = self.index[key - INDEX_BASE];
        (slot != NONE).then(|| &self.blocks[usize::from(slot)])
    }

    /// The block at `id` (as stored in a checked number).
    pub fn block(&self, id: u16) -> &MobileBlock {
        &self.blocks[usize::from(id)]
    }

    /// The id of the block for `digits`, for compact storage in a number.
    pub fn lookup_id(&self, digits: &[u8]) -> Option<u16> {
        let slot = self.index[prefix_key(digits)? - INDEX_BASE];
        (slot != NONE).then_some(slot)
    }

    /// Number of blocks.
    pub fn len(&self) -> usize {
        self.blocks.len()
    }

    /// True when no block is listed.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }
}

/// The first five digits of `digits` as an index key, when they start with 1.
fn prefix_key(digits: &[u8]) -> Option<usize> {
    let head = digits.get(..INDEX_DIGITS)?;
    if head[0] != b'1' {
        return None;
    }
    Some(head.iter().fold(0usize, |acc, d| acc * 10 + usize::from(d - b'0')))
}

/// Expands each block to the 5-digit prefixes it covers; longer prefixes are applied last so
/// they override the shorter blocks they sit inside.
fn build_index(blocks: &[MobileBlock]) -> Vec<u16> {
    let mut index = vec![NONE; INDEX_BASE];
    let mut order: Vec<usize> = (0..blocks.len()).collect();
    order.sort_by_key(|&i| blocks[i].prefix.len());
    for i in order {
        let prefix = &blocks[i].prefix;
        let pad = INDEX_DIGITS - prefix.len();
        let start: usize = prefix.parse::<usize>().unwrap_or(0) * 10usize.pow(pad as u32);
        let span = 10usize.pow(pad as u32);
        for slot in &mut index[start - INDEX_BASE..start - INDEX_BASE + span] {
            *slot = i as u16;
        }
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> (MobileTable, Vec<super::super::RuleError>) {
        let mut list = Vec::new();
        let t = MobileTable::parse(text, &mut Errors::new("m.csv", &mut list));
        (t, list)
    }

    #[test]
    fn longest_prefix_wins() {
        let (t, errs) = table(
            "prefix,length,carrier_zh,carrier_en,category,status\n\
             134,11,,,public,unallocated\n1340,11,中国移动,China Mobile,public,allocated\n\
             13492,11,中国电信,China Telecom,satellite,allocated\n",
        );
        assert!(errs.is_empty(), "{errs:?}");
        assert!(t.lookup(b"13401234567").unwrap().allocated);
        assert!(!t.lookup(b"13491234567").unwrap().allocated);
        assert_eq!(t.lookup(b"13492234567").unwrap().category, MobileCategory::Satellite);
        assert!(t.lookup(b"13512345678").is_none());
        assert!(t.lookup(b"1340").is_none());
    }

    #[test]
    fn bad_rows_are_reported() {
        let (_, errs) = table(
            "prefix,length,carrier_zh,carrier_en,category,status\n\
             23,11,,,public,allocated\n130,x,,,public,allocated\n131,11,,,mobile,allocated\n132,11,,,public,yes\n",
        );
        let lines: Vec<u64> = errs.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5]);
    }
}

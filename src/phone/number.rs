//! The engine's output types: a checked [`Number`] with its kind, issues and canonical forms,
//! and the [`Cell`] that holds the numbers found in one cell.
//!
//! Numbers are small and allocation-free (digits live inline) so that checking a cell costs
//! no heap traffic on the common path; text forms are rendered on demand.

use std::fmt;
use std::ops::Range;

use smallvec::SmallVec;

use super::issue::{Issue, IssueSet, Lang, Severity};
use crate::rules::{RuleSet, Upgrade, UpgradeTable};

/// What a number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A mainland mobile number (11 digits starting 13-19), or something shaped like one.
    Mobile,
    /// A fixed line: area code and local number.
    Landline,
    /// An emergency, carrier, government or enterprise service number.
    Service,
    /// A number outside mainland China.
    Foreign,
    /// Digits that fit nothing, or damage that hides what they were.
    Unknown,
}

impl Kind {
    /// The lowercase name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Mobile => "mobile",
            Kind::Landline => "landline",
            Kind::Service => "service",
            Kind::Foreign => "foreign",
            Kind::Unknown => "unknown",
        }
    }
}

/// The judgement on a number (docs/design.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// A dialable personal number.
    Ok,
    /// Dialable, needs attention.
    Warn,
    /// Cannot reach the person.
    Invalid,
}

impl Verdict {
    /// The lowercase name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Warn => "warn",
            Verdict::Invalid => "invalid",
        }
    }

    /// The verdict that a set of issues earns: its worst severity.
    pub fn of(issues: IssueSet) -> Verdict {
        match issues.worst() {
            None | Some(Severity::Info) => Verdict::Ok,
            Some(Severity::Warning) => Verdict::Warn,
            Some(Severity::Error) => Verdict::Invalid,
        }
    }
}

/// Up to [`Digits::CAPACITY`] ASCII digits (or other ASCII, for canonical forms), inline.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Digits {
    buf: [u8; Digits::CAPACITY],
    len: u8,
}

impl Digits {
    /// The most digits kept; longer runs are judged unrecognised and cut here.
    pub const CAPACITY: usize = 22;

    /// Copies `digits` (ASCII digits), cutting at [`Digits::CAPACITY`].
    pub fn new(digits: &[u8]) -> Digits {
        let len = digits.len().min(Self::CAPACITY);
        let mut buf = [0; Self::CAPACITY];
        buf[..len].copy_from_slice(&digits[..len]);
        Digits { buf, len: len as u8 }
    }

    /// The digits as bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..usize::from(self.len)]
    }

    /// The digits as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// Number of digits.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// True when there are no digits.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl fmt::Debug for Digits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

/// What the rule tables said about a number, by index into the [`RuleSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Nothing looked up.
    #[default]
    None,
    /// A mobile: its block and, when the geocoding covers it, its home city.
    Mobile {
        /// Index of the block in the mobile table.
        block: u16,
        /// Index of the home city.
        city: Option<u16>,
    },
    /// A landline or service number behind an area code (active or retired).
    Area(u16),
    /// A service number: the service range, and the area code it was written behind.
    Service {
        /// Index of the service range.
        service: u16,
        /// Index of the area code, when one was written.
        area: Option<u16>,
    },
    /// A foreign number: its country calling code.
    Foreign(u16),
}

/// One number found in a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    /// Byte range of the number's text in the cell.
    pub raw: Range<u32>,
    /// What it is.
    pub kind: Kind,
    /// The national digits: with the trunk 0 and area code for landlines; for foreign numbers,
    /// the national significant number.
    pub digits: Digits,
    /// How many leading digits are the area code (landlines and service numbers behind one).
    pub area_len: u8,
    /// Extension digits, if any.
    pub extension: Digits,
    /// What was found.
    pub issues: IssueSet,
    /// Table look-ups.
    pub detail: Detail,
    /// True when the number is structurally complete, so it has an E.164 form.
    pub complete: bool,
}

impl Number {
    /// A number of `kind` with `digits` and nothing else known yet.
    pub fn new(kind: Kind, digits: &[u8]) -> Number {
        Number {
            raw: 0..0,
            kind,
            digits: Digits::new(digits),
            area_len: 0,
            extension: Digits::default(),
            issues: IssueSet::EMPTY,
            detail: Detail::None,
            complete: false,
        }
    }

    /// Adds an issue (builder style).
    #[must_use]
    pub fn with(mut self, issue: Issue) -> Number {
        self.issues.insert(issue);
        self
    }

    /// The verdict.
    pub fn verdict(&self) -> Verdict {
        Verdict::of(self.issues)
    }

    /// The raw text of the number in `cell`.
    pub fn raw<'c>(&self, cell: &'c str) -> &'c str {
        cell.get(self.raw.start as usize..self.raw.end as usize)
            .unwrap_or_default()
    }

    /// The area code digits (with the trunk 0), if one was written.
    pub fn area_code(&self) -> Option<&str> {
        (self.area_len > 0).then(|| &self.digits.as_str()[..usize::from(self.area_len)])
    }

    /// The canonical national form: `13912345678`, `027-87654321`, `95588`, `021-95588`.
    /// Foreign numbers are written in international form (`+852 9123 4567`).
    pub fn national(&self) -> String {
        let mut out = String::with_capacity(16);
        self.write_national(&mut out);
        out
    }

    /// Appends the national form to `out` (no allocation for mainland numbers).
    pub fn write_national(&self, out: &mut String) {
        let digits = self.digits.as_str();
        match self.kind {
            Kind::Foreign => out.push_str(&crate::phone::foreign::international(self).unwrap_or_default()),
            _ if self.area_len > 0 => {
                let (area, local) = digits.split_at(usize::from(self.area_len));
                out.push_str(area);
                out.push('-');
                out.push_str(local);
            }
            _ => out.push_str(digits),
        }
    }

    /// The E.164 form (`+8613912345678`), only for structurally complete numbers.
    pub fn e164(&self) -> Option<String> {
        let mut out = String::with_capacity(16);
        self.write_e164(&mut out).then_some(out)
    }

    /// Appends the E.164 form to `out`; false (and nothing appended) when the number is not
    /// structurally complete.
    pub fn write_e164(&self, out: &mut String) -> bool {
        if !self.complete {
            return false;
        }
        let national = self.digits.as_str();
        out.push('+');
        if let Detail::Foreign(cc) = self.detail {
            out.push_str(itoa::Buffer::new().format(cc));
            out.push_str(national);
        } else {
            out.push_str("86");
            out.push_str(national.strip_prefix('0').unwrap_or(national));
        }
        true
    }

    /// The national form with the extension, as written into a cleaned file:
    /// `027-87654321转8001` when there is an extension.
    pub fn cleaned(&self) -> String {
        let mut out = String::with_capacity(16);
        self.write_cleaned(&mut out);
        out
    }

    /// Appends the form [`Number::cleaned`] gives to `out`.
    pub fn write_cleaned(&self, out: &mut String) {
        self.write_national(out);
        if !self.extension.is_empty() {
            out.push('转');
            out.push_str(self.extension.as_str());
        }
    }

    /// The region: the city of a landline's area code or a mobile's block.
    pub fn region<'r>(&self, rules: &'r RuleSet, lang: Lang) -> Option<&'r str> {
        self.place()?.name(rules, lang)
    }

    /// Where the number is, as a small key to count by: a mobile's home city, or the area
    /// code a landline or service number stands behind.
    pub fn place(&self) -> Option<Place> {
        match self.detail {
            Detail::Mobile { city: Some(city), .. } => Some(Place::City(city)),
            Detail::Area(id) | Detail::Service { area: Some(id), .. } => Some(Place::Area(id)),
            _ => None,
        }
    }

    /// The index of a mobile's block in the mobile table (its carrier, by
    /// [`carrier_of_block`]).
    pub fn mobile_block(&self) -> Option<u16> {
        match self.detail {
            Detail::Mobile { block, .. } => Some(block),
            _ => None,
        }
    }

    /// The upgrade behind a `landline.pre_upgrade` number, with its old local digits.
    pub fn upgrade<'r>(&self, rules: &'r RuleSet) -> Option<(&'r Upgrade, &[u8])> {
        if !self.issues.contains(Issue::PreUpgrade) {
            return None;
        }
        let local = &self.digits.as_bytes()[usize::from(self.area_len)..];
        let upgrade = rules.upgrades.find(self.area_code()?, *local.first()?)?;
        Some((upgrade, local))
    }

    /// The probable current number of a pre-upgrade landline in national form
    /// (`0851-85827364`), where the upgrade rule for its city and first digit is documented.
    /// A hint to verify before dialling: it is never written into cleaned.csv.
    pub fn suggested(&self, rules: &RuleSet) -> Option<String> {
        let (upgrade, local) = self.upgrade(rules)?;
        if !UpgradeTable::covers(upgrade, local[0]) {
            return None;
        }
        let current = upgrade.convert(local)?;
        Some(format!("{}-{}", upgrade.new_code, std::str::from_utf8(&current).ok()?))
    }

    /// The carrier of a mobile's block (a hint: numbers are portable).
    pub fn carrier<'r>(&self, rules: &'r RuleSet, lang: Lang) -> Option<&'r str> {
        carrier_of_block(rules, self.mobile_block()?, lang)
    }
}

/// Where a number is: see [`Number::place`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    /// A mobile's home city (index into the region table).
    City(u16),
    /// An area code (index into the area table).
    Area(u16),
}

impl Place {
    /// The place's name in `lang` (a city, or an area code's region), if the tables have one.
    pub fn name(self, rules: &RuleSet, lang: Lang) -> Option<&str> {
        let (zh, en) = match self {
            Place::City(city) => {
                let c = rules.regions.city(city);
                (&c.zh, &c.en)
            }
            Place::Area(id) => {
                let a = rules.areas.area(id);
                (&a.region_zh, &a.region_en)
            }
        };
        Some(if lang == Lang::Zh { zh.as_str() } else { en.as_str() }).filter(|s| !s.is_empty())
    }
}

/// The carrier of the mobile block with index `block`, in `lang`.
pub fn carrier_of_block(rules: &RuleSet, block: u16, lang: Lang) -> Option<&str> {
    let b = rules.mobile.block(block);
    Some(if lang == Lang::Zh {
        b.carrier_zh.as_str()
    } else {
        b.carrier_en.as_str()
    })
    .filter(|s| !s.is_empty())
}

/// Everything found in one cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    /// The numbers, in the order they stand in the cell.
    pub numbers: SmallVec<[Number; 2]>,
    /// Findings about the cell as a whole (`format.empty`, `format.multiple` ...).
    pub issues: IssueSet,
}

impl Cell {
    /// A cell with no number and one cell-level issue.
    pub fn without_number(issue: Issue) -> Cell {
        Cell {
            numbers: SmallVec::new(),
            issues: [issue].into_iter().collect(),
        }
    }
}

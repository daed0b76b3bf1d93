//! Issue codes: the stable, dotted names of everything the engine can find wrong with a
//! number or a cell, with their severity and a message in Chinese and English.
//!
//! The codes are a contract (docs/design.md): CI gates and downstream tools match on them, so a
//! rename is a breaking change. Variants are declared in code order, which is also the order
//! issues are printed in.

use std::fmt;

/// How much an issue matters. The verdict of a number is its worst severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing; the number is fine.
    Info,
    /// Dialable, but needs attention.
    Warning,
    /// The number cannot reach the person.
    Error,
}

impl Severity {
    /// The lowercase name used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The message language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Simplified Chinese.
    Zh,
    /// English.
    #[default]
    En,
}

macro_rules! issues {
    ($($variant:ident = $code:literal, $severity:ident;)*) => {
        /// Everything the engine reports, one variant per (code, severity) pair.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u8)]
        pub enum Issue { $(#[doc = $code] $variant,)* }

        impl Issue {
            /// Every issue, in code order.
            pub const ALL: &'static [Issue] = &[$(Issue::$variant,)*];

            /// The stable dotted code.
            pub fn code(self) -> &'static str {
                match self { $(Issue::$variant => $code,)* }
            }

            /// How much it matters.
            pub fn severity(self) -> Severity {
                match self { $(Issue::$variant => Severity::$severity,)* }
            }
        }
    };
}

issues! {
    ContactSameAsBorrower = "contact.same_as_borrower", Warning;
    CustomerNoLandline = "customer.no_landline", Info;
    CustomerNoValidNumber = "customer.no_valid_number", Error;
    DuplicateAcrossRecords = "duplicate.across_records", Warning;
    DuplicateInRecord = "duplicate.in_record", Info;
    ForeignInvalid = "foreign.invalid", Error;
    ForeignNumber = "foreign.number", Warning;
    DialPrefix = "format.dial_prefix", Info;
    Empty = "format.empty", Error;
    ExcelNumeric = "format.excel_numeric", Warning;
    ExcelRepaired = "format.excel_repaired", Warning;
    ExcelScientific = "format.excel_scientific", Error;
    FloatSuffix = "format.float_suffix", Warning;
    Letters = "format.letters", Error;
    Masked = "format.masked", Error;
    Multiple = "format.multiple", Info;
    NoNumber = "format.no_number", Error;
    Placeholder = "format.placeholder", Error;
    Range = "format.range", Info;
    Unrecognised = "format.unrecognised", Error;
    AreaCodeAssumed = "landline.area_code_assumed", Info;
    AreaDuplicated = "landline.area_duplicated", Warning;
    AreaInherited = "landline.area_inherited", Info;
    AreaRetired = "landline.area_retired", Error;
    AreaUnknown = "landline.area_unknown", Error;
    LandlineLength = "landline.length", Error;
    LocalPrefix = "landline.local_prefix", Error;
    LocalPrefixNine = "landline.local_prefix", Warning;
    NoAreaCode = "landline.no_area_code", Warning;
    PreUpgrade = "landline.pre_upgrade", Warning;
    TrunkMissing = "landline.trunk_missing", Info;
    MobileAreaCode = "mobile.area_code", Warning;
    DataCard = "mobile.data_card", Warning;
    DataOnly = "mobile.data_only", Error;
    MobileLength = "mobile.length", Error;
    Satellite = "mobile.satellite", Warning;
    TrunkPrefix = "mobile.trunk_prefix", Info;
    Unallocated = "mobile.unallocated", Error;
    VirtualOperator = "mobile.virtual_operator", Info;
    RowShort = "row.short", Info;
    ServiceNumber = "service.number", Error;
}

impl Issue {
    /// The generic message, for documentation and for issues without context.
    #[allow(clippy::too_many_lines)] // one arm per issue: a table, not logic
    pub fn summary(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Issue::ContactSameAsBorrower => (
                "紧急联系人号码与借款人本人号码相同",
                "the contact's number is the borrower's own number",
            ),
            Issue::CustomerNoLandline => (
                "客户没有有效的固定电话（催收团队建议至少保留一个座机）",
                "the customer has no valid landline (collection teams advise keeping one)",
            ),
            Issue::CustomerNoValidNumber => (
                "客户本人及家属没有任何有效号码",
                "neither the customer nor family has any valid number",
            ),
            Issue::DuplicateAcrossRecords => (
                "同一号码出现在多个客户名下",
                "the same number belongs to several customers",
            ),
            Issue::DuplicateInRecord => ("同一记录中号码重复", "the number appears twice in the record"),
            Issue::DialPrefix => (
                "号码前的IP拨号前缀已去除",
                "an IP dial prefix in front of the number was removed",
            ),
            Issue::Empty => ("单元格为空", "the cell is empty"),
            Issue::ExcelNumeric => (
                "号码在Excel中存为数字（显示为1.39712E+10之类），已按存储值完整读出；请将该列设为文本",
                "stored as a number in Excel (shown as 1.39712E+10 or the like); read whole from the stored value: \
                 format the column as text",
            ),
            Issue::ExcelRepaired => (
                "Excel科学计数法已还原（有效数字完整）",
                "Excel scientific notation restored (every digit survived)",
            ),
            Issue::ExcelScientific => (
                "Excel科学计数法损坏，原号码无法恢复",
                "damaged by Excel scientific notation; the number cannot be recovered",
            ),
            Issue::FloatSuffix => (
                "末尾的“.0”已去除（该列曾被当作数字）",
                "a trailing \".0\" was removed (the column was numeric)",
            ),
            Issue::Letters => (
                "号码中有字母或汉字数字代替了数字",
                "letters or Chinese numerals stand in for digits",
            ),
            Issue::Masked => (
                "号码被掩码（如138****8000），无法拨打",
                "the number is masked (like 138****8000) and cannot be dialled",
            ),
            Issue::Multiple => ("一个单元格中有多个号码", "the cell holds several numbers"),
            Issue::NoNumber => ("单元格中没有号码", "the cell has text but no number"),
            Issue::Placeholder => ("占位内容，不是真实号码", "a placeholder, not a real number"),
            Issue::Range => (
                "同一单元格中的号码段（如027-87654321/2）已展开为各个号码",
                "a range in the cell (like 027-87654321/2) was expanded to the numbers it stands for",
            ),
            Issue::Unrecognised => ("不符合任何号码格式", "fits no Chinese number format"),
            Issue::ForeignInvalid => ("境外号码无效", "invalid foreign number"),
            Issue::ForeignNumber => ("境外号码，需国际拨号", "a foreign number: needs international dialling"),
            Issue::AreaCodeAssumed => (
                "未写区号，已按默认区号补全",
                "no area code written; the default area code was applied",
            ),
            Issue::AreaDuplicated => (
                "区号重复，已去除一个",
                "the area code was written twice; one was removed",
            ),
            Issue::AreaInherited => (
                "沿用同一单元格中前一个号码的区号",
                "takes the area code of the previous number in the cell",
            ),
            Issue::AreaRetired => ("区号已撤销", "the area code has been retired"),
            Issue::AreaUnknown => ("区号不存在", "unknown area code"),
            Issue::LandlineLength => (
                "固话本地号码位数与该区号不符",
                "the local number's length does not fit the area code",
            ),
            Issue::LocalPrefix => ("本地号码不能以0或1开头", "a local number cannot start with 0 or 1"),
            Issue::LocalPrefixNine => (
                "本地号码以9开头，通常是特服号码",
                "a local number starting with 9 is usually a service number",
            ),
            Issue::NoAreaCode => ("固话缺少区号", "landline without an area code"),
            Issue::PreUpgrade => (
                "升位前的旧号码（本地号码由7位升为8位之前）；如升位规则有记载，给出可能的现号码，请核实，不自动改写",
                "an old number from before the area's upgrade to 8 local digits; where the rule is documented, \
                 the probable current number is suggested, to verify, never rewritten",
            ),
            Issue::TrunkMissing => (
                "区号前的0缺失，已补上",
                "the leading 0 of the area code was missing and has been restored",
            ),
            Issue::MobileAreaCode => (
                "手机号前多写了区号，已去除",
                "an area code was written before a mobile number and removed",
            ),
            Issue::DataCard => (
                "上网卡号段，可能不能通话",
                "a data-card block: may have no voice service",
            ),
            Issue::DataOnly => (
                "物联网号码，不是个人电话",
                "an IoT data-only number, not a personal phone",
            ),
            Issue::MobileLength => ("手机号位数不是11位", "a mobile number must have 11 digits"),
            Issue::Satellite => ("卫星电话号段", "a satellite phone block"),
            Issue::TrunkPrefix => ("手机号前的0已去除", "a trunk 0 before the mobile number was removed"),
            Issue::Unallocated => ("号段未分配", "the mobile block is not allocated"),
            Issue::VirtualOperator => ("虚拟运营商号段", "a virtual-operator (MVNO) block"),
            Issue::RowShort => (
                "记录的字段少于表头（导出时省略了末尾的空字段），缺少的单元格按空值处理",
                "the record has fewer fields than the header (an export dropped trailing empty fields); the missing cells are read as empty",
            ),
            Issue::ServiceNumber => (
                "服务号码，不是客户本人电话",
                "a service number, not the customer's phone",
            ),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

impl Issue {
    /// True for an issue of a whole record (`row.short`), counted once per record rather
    /// than per number, so it has no share of the numbers.
    pub fn is_of_record(self) -> bool {
        self == Issue::RowShort
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A set of issues, as a bit set: small, `Copy`, and iterated in code order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct IssueSet(u64);

impl IssueSet {
    /// The empty set.
    pub const EMPTY: IssueSet = IssueSet(0);

    /// Adds `issue`.
    pub fn insert(&mut self, issue: Issue) {
        self.0 |= 1 << issue as u8;
    }

    /// Removes `issue`.
    pub fn remove(&mut self, issue: Issue) {
        self.0 &= !(1 << issue as u8);
    }

    /// True when `issue` is in the set.
    pub fn contains(self, issue: Issue) -> bool {
        self.0 & (1 << issue as u8) != 0
    }

    /// True when the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Both sets together.
    #[must_use]
    pub fn union(self, other: IssueSet) -> IssueSet {
        IssueSet(self.0 | other.0)
    }

    /// The worst severity, if any issue is present.
    pub fn worst(self) -> Option<Severity> {
        if self.0 == 0 {
            return None;
        }
        self.iter().map(Issue::severity).max()
    }

    /// True when some issue is an error.
    pub fn has_error(self) -> bool {
        self.worst() == Some(Severity::Error)
    }

    /// The issues in code order (bit order: variants are declared in code order).
    pub fn iter(self) -> impl Iterator<Item = Issue> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            Some(Issue::ALL[i])
        })
    }
}

impl FromIterator<Issue> for IssueSet {
    fn from_iter<T: IntoIterator<Item = Issue>>(iter: T) -> Self {
        let mut set = IssueSet::EMPTY;
        for issue in iter {
            set.insert(issue);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_dotted_lowercase_and_sorted() {
        let codes: Vec<&str> = Issue::ALL.iter().map(|i| i.code()).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(codes, sorted, "declare variants in code order");
        for code in codes {
            assert!(code.split('.').count() == 2, "{code}");
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '_'),
                "{code}"
            );
        }
        assert!(Issue::ALL.len() <= 64, "IssueSet is a u64");
        for (i, issue) in Issue::ALL.iter().enumerate() {
            assert_eq!(*issue as usize, i, "ALL is in discriminant order");
        }
    }

    #[test]
    fn every_issue_has_both_messages() {
        for issue in Issue::ALL {
            assert!(!issue.summary(Lang::Zh).is_empty() && !issue.summary(Lang::En).is_empty());
            assert_ne!(issue.summary(Lang::Zh), issue.summary(Lang::En));
        }
    }

    #[test]
    fn set_keeps_code_order_and_worst_severity() {
        let set: IssueSet = [Issue::ServiceNumber, Issue::DialPrefix, Issue::NoAreaCode]
            .into_iter()
            .collect();
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            vec![Issue::DialPrefix, Issue::NoAreaCode, Issue::ServiceNumber]
        );
        assert_eq!(set.worst(), Some(Severity::Error));
        assert_eq!(IssueSet::EMPTY.worst(), None);
    }
}

//! Header roles: which columns hold phone numbers, whose phone each is (the customer's own,
//! family, or a third party), and which column identifies the customer.
//!
//! Headers come in Chinese and English, with and without spaces and units; matching is on
//! keywords after normalisation, with exclusions for the number columns that are not phones
//! (ID cards, bank cards, contract numbers).
//!
//! The header itself is found here too ([`header_row`]): bank exports put a title and a blank
//! row above it, so the header is the first row that names a phone column.

use std::fmt::{self, Write as _};

use crate::text::clip;

/// Whose phone a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Relation {
    /// The customer's own mobile, home or work number.
    Own,
    /// A direct relative: spouse, parents, children.
    Family,
    /// An emergency contact or other third party.
    Contact,
}

impl Relation {
    /// The name used in outputs (`self`, `family`, `contact`).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Relation::Own => "self",
            Relation::Family => "family",
            Relation::Contact => "contact",
        }
    }

    /// Parses `self`, `family` or `contact`.
    pub(crate) fn parse(s: &str) -> Option<Relation> {
        match s.trim().to_ascii_lowercase().as_str() {
            "self" | "own" => Some(Relation::Own),
            "family" => Some(Relation::Family),
            "contact" => Some(Relation::Contact),
            _ => None,
        }
    }
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A phone column: its index, header, and relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PhoneColumn {
    /// 0-based index in the record.
    pub(crate) index: usize,
    /// The header as written.
    pub(crate) name: String,
    /// Whose phone it holds.
    pub(crate) relation: Relation,
}

/// The roles found in a header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Columns {
    /// Phone columns in file order.
    pub(crate) phones: Vec<PhoneColumn>,
    /// The customer id column, if any.
    pub(crate) id: Option<usize>,
}

/// Words in a header that mark a column as not holding phones, although it holds numbers.
const NOT_PHONE: &[&str] = &[
    "身份证",
    "证件",
    "银行",
    "卡号",
    "账号",
    "帐号",
    "邮编",
    "编号",
    "合同",
    "借据",
    "金额",
    "日期",
    "时间",
    "传真",
    "fax",
    "idcard",
    "account",
    "card",
    "date",
    "time",
    "amount",
    "count",
    "status",
    "result",
    "name",
    "姓名",
];
/// Words that mark a phone column.
const PHONE: &[&str] = &[
    "手机",
    "电话",
    "座机",
    "固话",
    "宅电",
    "联系方式",
    "号码",
    "phone",
    "mobile",
    "tel",
    "cell",
    "msisdn",
];
/// Endings that make a header a phone column even when it also names something excluded
/// (`银行预留手机号`, the mobile registered with the bank).
const PHONE_ENDINGS: &[&str] = &["电话", "手机", "手机号", "手机号码", "phone", "mobile", "tel"];
/// Words that make a phone column a relative's.
const FAMILY: &[&str] = &[
    "配偶", "妻", "丈夫", "父", "母", "子女", "儿子", "女儿", "亲属", "直系", "家属", "spouse", "family", "relative",
    "parent", "father", "mother", "wife", "husband",
];
/// Words that make a phone column a third party's.
const CONTACT: &[&str] = &[
    "紧急",
    "联系人",
    "担保",
    "同事",
    "朋友",
    "第三方",
    "其他",
    "其它",
    "emergency",
    "reference",
    "guarantor",
    "friend",
    "colleague",
    "other",
    "contactperson",
];
/// Customer id headers, most specific first, normalised (`Customer No`, `customer_no` and
/// `CUSTOMER-NO` are all `customerno`).
const ID: &[&str] = &[
    "客户编号",
    "客户号",
    "客户id",
    "客户代码",
    "customerid",
    "customerno",
    "customernumber",
    "custid",
    "custno",
    "clientid",
    "clientno",
    "borrowerid",
    "borrowerno",
    "贷款编号",
    "贷款账号",
    "借据号",
    "借据编号",
    "合同号",
    "合同编号",
    "loanid",
    "loanno",
    "loannumber",
    "contractno",
    "contractnumber",
    "contractid",
    "accountid",
    "accountno",
    "accountnumber",
    "账户号",
    "id",
    "编号",
    "序号",
];

/// Lower-cases a header and drops spaces, underscores, dashes, dots, brackets and a BOM, so
/// `Home Phone`, `home_phone` and `住宅电话（必填）` compare by their words.
pub(crate) fn normalise(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut depth = 0;
    for c in header.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = (depth - 1).max(0),
            _ if depth > 0 => {}
            ' ' | '_' | '-' | '.' | '\u{FEFF}' | '\u{3000}' | '"' | '\'' | ':' | '：' => {}
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The relation a phone header implies, or `None` when the header is not a phone column.
pub(crate) fn phone_relation(header: &str) -> Option<Relation> {
    let h = normalise(header);
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    let phone_ending = PHONE_ENDINGS.iter().any(|e| h.ends_with(e));
    if !has(PHONE) || has(NOT_PHONE) && !phone_ending {
        return None;
    }
    // "号码" alone also names ID and account numbers: require a phone or person word with it.
    if !has(&PHONE[..6]) && !has(&PHONE[7..]) && !has(FAMILY) && !has(CONTACT) {
        return None;
    }
    Some(if has(FAMILY) {
        Relation::Family
    } else if has(CONTACT) && !h.starts_with("联系电话") && h != "contactphone" && h != "contactnumber" {
        Relation::Contact
    } else {
        Relation::Own
    })
}

/// Finds the roles in `headers`.
pub(crate) fn detect(headers: &[String]) -> Columns {
    let phones = headers
        .iter()
        .enumerate()
        .filter_map(|(index, name)| {
            phone_relation(name).map(|relation| PhoneColumn {
                index,
                name: name.clone(),
                relation,
            })
        })
        .collect();
    let normalised: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
    let id = ID.iter().find_map(|want| normalised.iter().position(|h| h == want));
    Columns { phones, id }
}

/// Non-blank rows looked at for the header before the first is taken.
pub(crate) const HEADER_SCAN: usize = 20;

/// Which of `rows` (the first non-blank rows of an input, each as its header names) is the
/// header: the first that names a phone column in two or more named cells (a title such as
/// `客户联系电话清单` names one, alone in its row), else the first that names a phone
/// column at all, else the first row (whose missing phone column the caller then reports).
/// A cell that reads as a sentence (`字段说明：手机为客户本人`) names no column, and a row
/// holding a run of 7 digits or more is data (a header never holds a phone number).
pub(crate) fn header_row(rows: &[Vec<String>]) -> usize {
    let data = |r: &Vec<String>| r.iter().any(|h| has_digit_run(h, 7));
    let phones = |r: &Vec<String>| !data(r) && r.iter().any(|h| !is_sentence(h) && phone_relation(h).is_some());
    let named = |r: &Vec<String>| r.iter().filter(|h| !h.trim().is_empty()).count();
    rows.iter()
        .position(|r| phones(r) && named(r) >= 2)
        .or_else(|| rows.iter().position(phones))
        .unwrap_or(0)
}

/// True when `cell` holds `n` ASCII digits in a row.
fn has_digit_run(cell: &str, n: usize) -> bool {
    let mut run = 0;
    cell.bytes().any(|b| {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        run >= n
    })
}

/// True for a cell that reads as a sentence rather than a column name: outside brackets
/// (where headers put units and hints, `手机（必填，11位）`), it holds sentence punctuation
/// or more than [`NAME_MAX`] characters.
fn is_sentence(cell: &str) -> bool {
    let mut depth = 0i32;
    let mut chars = 0;
    for c in cell.trim().chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = (depth - 1).max(0),
            _ if depth > 0 => {}
            '：' | '，' | '。' | '；' | '！' | '？' => return true,
            _ => chars += 1,
        }
    }
    chars > NAME_MAX
}

/// The longest column name, in characters outside brackets (`emergency_contact_phone_2` is
/// 25).
const NAME_MAX: usize = 32;

/// Resolves `--phone-columns` entries (`name`, `name:relation`, or a 1-based index) against
/// `headers`. Unknown names are an error that lists the headers.
pub(crate) fn select_phones(headers: &[String], wanted: &[String]) -> anyhow::Result<Vec<PhoneColumn>> {
    wanted
        .iter()
        .map(|w| {
            let (name, relation) = match w.rsplit_once(':').and_then(|(n, r)| Relation::parse(r).map(|r| (n, r))) {
                Some((n, r)) => (n, Some(r)),
                None => (w.as_str(), None),
            };
            let index = find(headers, name)?;
            let relation = relation
                .or_else(|| phone_relation(&headers[index]))
                .unwrap_or(Relation::Own);
            Ok(PhoneColumn {
                index,
                name: headers[index].clone(),
                relation,
            })
        })
        .collect()
}

/// The index of the column `name` (exact header, normalised header, or 1-based number).
pub(crate) fn find(headers: &[String], name: &str) -> anyhow::Result<usize> {
    let exact = headers.iter().position(|h| h.trim() == name.trim());
    let loose = || headers.iter().position(|h| normalise(h) == normalise(name));
    let number = || {
        name.trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=headers.len()).contains(n))
            .map(|n| n - 1)
    };
    exact.or_else(loose).or_else(number).ok_or_else(|| {
        let name = crate::text::clip(name);
        if crate::text::zh() {
            anyhow::anyhow!("没有 `{name}` 列；表头中的列有：{}", list(headers))
        } else {
            anyhow::anyhow!("no column `{name}`; the header has: {}", list(headers))
        }
    })
}

/// The headers, numbered, for messages. Each name is clipped and the list stops after a few
/// hundred bytes: a header is input, and a 300 MB header line must not become a 300 MB
/// message (issue 10).
pub(crate) fn list(headers: &[String]) -> String {
    let mut listed = String::new();
    for (i, h) in headers.iter().enumerate() {
        if listed.len() > LISTED_MAX {
            let _ = write!(listed, ", … ({} columns in all)", headers.len());
            break;
        }
        if i > 0 {
            listed.push_str(", ");
        }
        let _ = write!(listed, "{}={}", i + 1, clip(h));
    }
    listed
}

/// Bytes of header names a message lists before it stops.
const LISTED_MAX: usize = 3 * crate::text::ECHO_MAX;

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test]
    fn a_missing_column_is_told_in_chinese_with_zh() {
        let headers = vec!["手机".to_string()];
        crate::text::set_messages(crate::text::Messages { zh: true, mask: false });
        let err = find(&headers, "电话").unwrap_err().to_string();
        crate::text::set_messages(crate::text::Messages::default());
        assert!(err.starts_with("没有 `电话` 列；表头中的列有："), "{err}");
    }

    #[test_case("手机" => Some(Relation::Own))]
    #[test_case("手机号码" => Some(Relation::Own))]
    #[test_case("移动电话" => Some(Relation::Own))]
    #[test_case("联系电话" => Some(Relation::Own))]
    #[test_case("电话" => Some(Relation::Own))]
    #[test_case("住宅电话" => Some(Relation::Own))]
    #[test_case("家庭电话" => Some(Relation::Own))]
    #[test_case("单位电话" => Some(Relation::Own))]
    #[test_case("办公电话（含分机）" => Some(Relation::Own))]
    #[test_case("配偶电话" => Some(Relation::Family))]
    #[test_case("直系亲属电话" => Some(Relation::Family))]
    #[test_case("紧急联系人电话" => Some(Relation::Contact))]
    #[test_case("联系人电话" => Some(Relation::Contact))]
    #[test_case("联系人手机号码" => Some(Relation::Contact))]
    #[test_case("mobile" => Some(Relation::Own))]
    #[test_case("Home Phone" => Some(Relation::Own))]
    #[test_case("work_phone" => Some(Relation::Own))]
    #[test_case("tel" => Some(Relation::Own))]
    #[test_case("contact_phone" => Some(Relation::Own))]
    #[test_case("emergency_contact_phone" => Some(Relation::Contact))]
    #[test_case("spouse_mobile" => Some(Relation::Family))]
    #[test_case("银行预留手机号" => Some(Relation::Own))]
    #[test_case("emergency_contact" => None)]
    #[test_case("身份证号码" => None)]
    #[test_case("银行卡号" => None)]
    #[test_case("客户编号" => None)]
    #[test_case("紧急联系人" => None)]
    #[test_case("姓名" => None)]
    #[test_case("合同号码" => None)]
    #[test_case("呼叫时间" => None)]
    fn header_roles(header: &str) -> Option<Relation> {
        phone_relation(header)
    }

    #[test]
    fn detects_phones_and_id() {
        let headers: Vec<String> = [
            "\u{FEFF}客户编号",
            "姓名",
            "手机",
            "住宅电话",
            "配偶电话",
            "紧急联系人",
            "紧急联系人电话",
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        let cols = detect(&headers);
        assert_eq!(cols.id, Some(0));
        let found: Vec<(usize, Relation)> = cols.phones.iter().map(|p| (p.index, p.relation)).collect();
        assert_eq!(
            found,
            vec![
                (2, Relation::Own),
                (3, Relation::Own),
                (4, Relation::Family),
                (6, Relation::Contact)
            ]
        );
    }

    #[test]
    fn explicit_columns_by_name_index_and_relation() {
        let headers: Vec<String> = ["id", "a", "b"].iter().map(ToString::to_string).collect();
        let cols = select_phones(&headers, &["a".into(), "3:family".into()]).unwrap();
        assert_eq!((cols[0].index, cols[0].relation), (1, Relation::Own));
        assert_eq!((cols[1].index, cols[1].relation), (2, Relation::Family));
        let err = select_phones(&headers, &["nope".into()]).unwrap_err().to_string();
        assert!(err.contains("1=id, 2=a, 3=b"), "{err}");
    }

    fn names(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(ToString::to_string).collect())
            .collect()
    }

    #[test]
    fn the_header_is_the_first_row_naming_a_phone_column() {
        // A bank export: a title, a date line, then the header.
        let rows = names(&[
            &["XX银行逾期客户名单 2026-11"],
            &["导出日期：2026-11-30", ""],
            &["客户编号", "姓名", "手机", "住宅电话"],
            &["C001", "张三", "13971234567", ""],
        ]);
        assert_eq!(header_row(&rows), 2);
        // A title that names a phone itself, alone in its row, is still a title.
        let rows = names(&[&["客户联系电话清单"], &["id", "mobile"]]);
        assert_eq!(header_row(&rows), 1);
        // One phone column and nothing else is a header.
        assert_eq!(header_row(&names(&[&["备注"], &["手机"]])), 1);
        // A note that mentions phones is not; a hint in brackets does not make a sentence.
        assert_eq!(header_row(&names(&[&["字段说明：手机为客户本人"], &["a", "b"]])), 0);
        assert_eq!(header_row(&names(&[&["说明"], &["手机（必填，11位）"]])), 1);
        // No phone anywhere: the first row, as before.
        assert_eq!(header_row(&names(&[&["a", "b"], &["1", "2"]])), 0);
        assert_eq!(header_row(&[]), 0);
        // Data rows never name a phone column: an already good header is the first row.
        assert_eq!(header_row(&names(&[&["id", "phone"], &["1", "13971234567"]])), 0);
        // A data row whose note mentions a phone is still data: it holds a number.
        let rows = names(&[&["id", "contact", "note"], &["1", "13971234567", "电话号码"]]);
        assert_eq!(header_row(&rows), 0);
    }

    #[test_case("Account No")]
    #[test_case("Loan No")]
    #[test_case("loan_no")]
    #[test_case("LOAN NO.")]
    #[test_case("Contract No")]
    #[test_case("Customer No")]
    #[test_case("customer-number")]
    #[test_case("Borrower ID")]
    #[test_case("borrower_id")]
    fn english_id_headers_as_exports_write_them(id: &str) {
        let headers: Vec<String> = ["Name", id, "Mobile"].iter().map(ToString::to_string).collect();
        let cols = detect(&headers);
        assert_eq!(cols.id, Some(1), "{id}");
        assert_eq!(cols.phones.len(), 1, "{id} is not a phone column");
    }

    /// Issue 10: a 300 MB header was echoed whole in the "no phone column" message.
    #[test]
    fn header_lists_are_capped() {
        let headers: Vec<String> = vec!["x".repeat(10_000); 1_000];
        let listed = list(&headers);
        assert!(listed.len() < 2 * LISTED_MAX, "{} bytes", listed.len());
        assert!(
            listed.starts_with("1=xxx") && listed.contains("… (10000 bytes in all)"),
            "{listed}"
        );
        assert!(listed.ends_with(", … (1000 columns in all)"), "{listed}");
    }
}

//! Service numbers (emergency, carrier, government, 95/96xxx, 400/800 ...) and the IP dial
//! prefixes that get saved in front of real numbers. Both are short tables scanned linearly:
//! they are consulted only for digit strings that are not 11-digit mobiles.

use super::table::{self, Errors};

/// One service range: digits starting with `prefix`, `min_len..=max_len` long.
#[derive(Debug, Clone)]
pub struct Service {
    /// Leading digits.
    pub prefix: String,
    /// Shortest length of a number in the range.
    pub min_len: u8,
    /// Longest length of a number in the range.
    pub max_len: u8,
    /// Category, e.g. `emergency`, `enterprise`.
    pub category: String,
    /// True when the number is also written behind an area code (027-12345).
    pub after_area_code: bool,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
}

const CATEGORIES: [&str; 9] = [
    "emergency",
    "public_service",
    "carrier",
    "enterprise",
    "local_service",
    "shared_cost",
    "toll_free",
    "premium",
    "sms_port",
];

/// Parses `cn/service-numbers.csv`; rows come back sorted longest prefix first, so the first
/// match of a scan is the most specific.
pub(crate) fn parse_services(text: &str, errors: &mut Errors<'_>) -> Vec<Service> {
    let columns = [
        "prefix",
        "min_len",
        "max_len",
        "category",
        "after_area_code",
        "name_zh",
        "name_en",
    ];
    let mut list = Vec::new();
    for row in table::parse(text, &columns, errors) {
        let prefix = row.get(0);
        let min_len = row.get(1).parse::<u8>().ok();
        let max_len = row.get(2).parse::<u8>().ok();
        let (Some(min_len), Some(max_len)) = (min_len, max_len) else {
            errors.push(row.line, "min_len and max_len must be numbers");
            continue;
        };
        if !table::is_digits(prefix) || usize::from(min_len) < prefix.len() || min_len > max_len || max_len > 20 {
            errors.push(row.line, format!("`{prefix}` with lengths {min_len}..{max_len}: prefix must be digits no longer than min_len <= max_len <= 20"));
            continue;
        }
        if !CATEGORIES.contains(&row.get(3)) {
            errors.push(
                row.line,
                format!("unknown category `{}` (one of {})", row.get(3), CATEGORIES.join(", ")),
            );
            continue;
        }
        let after_area_code = match row.get(4) {
            "yes" => true,
            "no" => false,
            other => {
                errors.push(row.line, format!("after_area_code `{other}` must be yes or no"));
                continue;
            }
        };
        list.push(Service {
            prefix: prefix.to_string(),
            min_len,
            max_len,
            category: row.get(3).to_string(),
            after_area_code,
            name_zh: row.get(5).to_string(),
            name_en: row.get(6).to_string(),
        });
    }
    list.sort_by_key(|s| std::cmp::Reverse(s.prefix.len()));
    list
}

/// The most specific service range that `digits` falls in.
pub fn find_service<'a>(services: &'a [Service], digits: &[u8]) -> Option<(u16, &'a Service)> {
    let first = *digits.first()?;
    services
        .iter()
        .enumerate()
        .find(|(_, s)| {
            s.prefix.as_bytes()[0] == first
                && digits.starts_with(s.prefix.as_bytes())
                && (usize::from(s.min_len)..=usize::from(s.max_len)).contains(&digits.len())
        })
        .map(|(i, s)| (i as u16, s))
}

/// A named IP / carrier-selection prefix (17951 ...).
#[derive(Debug, Clone)]
pub struct DialPrefix {
    /// The prefix digits.
    pub prefix: String,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
}

/// Parses `cn/dial-prefixes.csv`.
pub(crate) fn parse_dial_prefixes(text: &str, errors: &mut Errors<'_>) -> Vec<DialPrefix> {
    let mut list = Vec::new();
    for row in table::parse(text, &["prefix", "name_zh", "name_en"], errors) {
        let prefix = row.get(0);
        if !table::is_digits(prefix) || prefix.len() != 5 || !prefix.starts_with('1') {
            errors.push(
                row.line,
                format!("dial prefix `{prefix}` must be 5 digits starting with 1"),
            );
            continue;
        }
        list.push(DialPrefix {
            prefix: prefix.to_string(),
            name_zh: row.get(1).to_string(),
            name_en: row.get(2).to_string(),
        });
    }
    list
}

/// True for a 5-digit carrier-selection prefix by libphonenumber's CN rule `1(?:[12]\d|79)\d\d`.
pub fn is_dial_prefix(d: &[u8]) -> bool {
    d.len() >= 5
        && d[0] == b'1'
        && (matches!(d[1], b'1' | b'2') || (d[1] == b'7' && d[2] == b'9'))
        && d[..5].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_specific_service_wins() {
        let mut errs = Vec::new();
        let list = parse_services(
            "prefix,min_len,max_len,category,after_area_code,name_zh,name_en\n\
             95,5,6,enterprise,yes,企业客服,enterprise hotline\n95588,5,5,enterprise,yes,工商银行,ICBC\n",
            &mut Errors::new("s", &mut errs),
        );
        assert!(errs.is_empty());
        assert_eq!(find_service(&list, b"95588").unwrap().1.name_en, "ICBC");
        assert_eq!(find_service(&list, b"95533").unwrap().1.name_en, "enterprise hotline");
        assert!(find_service(&list, b"9553").is_none());
        assert!(find_service(&list, b"9553312").is_none());
    }

    #[test]
    fn dial_prefix_rule() {
        assert!(is_dial_prefix(b"17951"));
        assert!(is_dial_prefix(b"12593"));
        assert!(is_dial_prefix(b"11808"));
        assert!(!is_dial_prefix(b"13800"));
        assert!(!is_dial_prefix(b"1795"));
    }
}

//! Messages: an issue explained for one number, in Chinese or English, with the facts that
//! make it actionable (the area's local length, the code a retired area merged into, the
//! service's name).

use std::borrow::Cow;

use super::issue::{Issue, Lang};
use super::number::{Detail, Number};
use crate::rules::RuleSet;

/// The message for `issue` found on `number` (or on the cell, when `number` is `None`).
pub fn message(issue: Issue, number: Option<&Number>, rules: &RuleSet, lang: Lang) -> Cow<'static, str> {
    let specific = number.and_then(|n| specific(issue, n, rules, lang));
    specific.map_or(Cow::Borrowed(issue.summary(lang)), Cow::Owned)
}

fn specific(issue: Issue, n: &Number, rules: &RuleSet, lang: Lang) -> Option<String> {
    let zh = lang == Lang::Zh;
    Some(match issue {
        Issue::LandlineLength => {
            let Detail::Area(id) = n.detail else { return None };
            let area = rules.areas.area(id);
            let local = n.digits.len() - usize::from(n.area_len);
            if zh {
                format!(
                    "{}（{}）的本地号码应为{}位，此号码为{}位",
                    area.region_zh,
                    area.code,
                    area.lengths_text(),
                    local
                )
            } else {
                format!(
                    "local numbers in {} ({}) have {} digits; this one has {}",
                    area.region_en,
                    area.code,
                    area.lengths_text(),
                    local
                )
            }
        }
        Issue::AreaRetired => {
            let Detail::Area(id) = n.detail else { return None };
            let area = rules.areas.area(id);
            let r = area.retired.as_ref()?;
            let when = if r.date.is_empty() {
                String::new()
            } else {
                format!(" {}", r.date)
            };
            if zh {
                format!(
                    "区号{}（{}）已撤销，{}并入{}",
                    area.code,
                    area.region_zh,
                    when.trim(),
                    r.merged_into
                )
            } else {
                format!(
                    "area code {} ({}) was retired{} and merged into {}",
                    area.code,
                    area.region_en,
                    when.replace(' ', " on "),
                    r.merged_into
                )
            }
        }
        Issue::AreaUnknown => {
            let code = n.area_code()?;
            if zh {
                format!("区号{code}不存在")
            } else {
                format!("{code} is not an area code")
            }
        }
        Issue::MobileLength => mobile_length(n, rules, zh),
        Issue::Unallocated => {
            let prefix = &n.digits.as_str()[..n.digits.len().min(4)];
            if zh {
                format!("号段{prefix}未分配")
            } else {
                format!("block {prefix} is not allocated to any carrier")
            }
        }
        Issue::ServiceNumber => {
            let Detail::Service { service, .. } = n.detail else {
                return None;
            };
            let s = &rules.services[usize::from(service)];
            let digits = n.national();
            if zh {
                format!("{digits}是服务号码（{}），不是客户本人电话", s.name_zh)
            } else {
                format!("{digits} is a service number ({}), not the customer's phone", s.name_en)
            }
        }
        Issue::PreUpgrade => pre_upgrade(n, rules, zh)?,
        Issue::AreaCodeAssumed | Issue::AreaInherited => {
            let code = n.area_code()?;
            let base = issue.summary(lang);
            if zh {
                format!("{base}：{code}")
            } else {
                format!("{base}: {code}")
            }
        }
        _ => return None,
    })
}

/// A mobile's length, against its block's where the block is known (146 numbers have 13).
fn mobile_length(n: &Number, rules: &RuleSet, zh: bool) -> String {
    let len = n.digits.len();
    let (prefix, want) = match n.detail {
        Detail::Mobile { block, .. } => {
            let b = rules.mobile.block(block);
            (Some(b.prefix.as_str()), b.length)
        }
        _ => (None, 11),
    };
    match (zh, prefix) {
        (true, Some(p)) => format!("{p}号段的号码应为{want}位，此号码为{len}位"),
        (false, Some(p)) => format!("numbers of block {p} have {want} digits; this one has {len}"),
        (true, None) => format!("手机号应为11位，此号码为{len}位"),
        (false, None) => format!("a mobile number has 11 digits; this one has {len}"),
    }
}

/// Names the upgrade behind a stale 7-digit number, with its date, and the probable current
/// number where the rule is documented; says so where it is not (Wuhan), suggesting nothing.
fn pre_upgrade(n: &Number, rules: &RuleSet, zh: bool) -> Option<String> {
    let (u, _) = n.upgrade(rules)?;
    let code = n.area_code()?;
    let merged = u.new_code != code;
    let what = match (zh, merged, u.date.is_empty()) {
        (true, false, false) => format!("{}（{}）已于{}升为8位本地号码", u.region_zh, code, u.date),
        (true, false, true) => format!("{}（{}）的本地号码已升为8位（日期无可靠记载）", u.region_zh, code),
        (true, true, false) => format!("{}（{}）已于{}并入{}并升为8位", u.region_zh, code, u.date, u.new_code),
        (true, true, true) => format!(
            "{}（{}）已并入{}并升为8位（日期无可靠记载）",
            u.region_zh, code, u.new_code
        ),
        (false, false, false) => format!("{} ({code}) moved to 8 digits on {}", u.region_en, u.date),
        (false, false, true) => format!("{} ({code}) moved to 8 digits (date not documented)", u.region_en),
        (false, true, false) => format!(
            "{} ({code}) merged into {} and moved to 8 digits on {}",
            u.region_en, u.new_code, u.date
        ),
        (false, true, true) => format!(
            "{} ({code}) merged into {} and moved to 8 digits (date not documented)",
            u.region_en, u.new_code
        ),
    };
    let (Some(suggested), Some(rule)) = (n.suggested(rules), u.rule_text(zh)) else {
        return Some(if zh {
            format!("{what}；升位规则无可靠记载，不推测现号码")
        } else {
            format!("{what}; the conversion rule is not documented, so no current number is suggested")
        });
    };
    Some(if zh {
        format!(
            "{what}（规则：{rule}，来源等级{}）；现号码可能为{suggested}，请核实",
            u.grade
        )
    } else {
        format!(
            "{what} (rule: {rule}, source grade {}); probably now {suggested}: verify before use",
            u.grade
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phone::Engine;

    #[test]
    fn messages_name_the_facts() {
        let rules = RuleSet::embedded();
        let engine = Engine::new(&rules);
        let cell = engine.check("027-2345678");
        let n = &cell.numbers[0];
        let en = message(Issue::LandlineLength, Some(n), &rules, Lang::En);
        assert!(en.contains("(027) have 8 digits; this one has 7"), "{en}");
        let zh = message(Issue::LandlineLength, Some(n), &rules, Lang::Zh);
        assert!(zh.contains("应为8位，此号码为7位"), "{zh}");
        let retired = engine.check("0410-7654321");
        let en = message(Issue::AreaRetired, Some(&retired.numbers[0]), &rules, Lang::En);
        assert!(en.contains("merged into 024"), "{en}");
    }
}

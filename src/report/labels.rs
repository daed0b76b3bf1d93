//! Display names of the values every report shows: verdicts, severities, relations, kinds,
//! statuses, fine statuses, actions, slots, check results, and the column headers of the
//! CSV outputs, in the report's language. One place, shared by report.md, the workbooks
//! and report.html, so a status reads the same in each.
//!
//! The machine names (`as_str`, next to each enum) stay what CSV and JSON write: they are a
//! contract with downstream tools and never translated. These are the human names beside
//! them. The `label` methods are inherent methods defined here rather than next to each enum
//! so that the languages live together, where a translator reads them as one table.

use std::borrow::Cow;

use crate::history::policy::{Action, Fine, Status};
use crate::input::Relation;
use crate::input::encoding::EncodingSource;
use crate::phone::{Kind, Lang, Severity, Verdict};
use crate::report::GateStatus;

/// `en` or `zh`, by `lang`.
fn pick(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    if lang == Lang::Zh { zh } else { en }
}

impl Verdict {
    /// The display name.
    pub(crate) fn label(self, lang: Lang) -> &'static str {
        match self {
            Verdict::Ok => pick(lang, "ok", "正常"),
            Verdict::Warn => pick(lang, "warn", "警告"),
            Verdict::Invalid => pick(lang, "invalid", "无效"),
        }
    }
}

impl Severity {
    /// The display name.
    pub(crate) fn label(self, lang: Lang) -> &'static str {
        match self {
            Severity::Info => pick(lang, "info", "提示"),
            Severity::Warning => pick(lang, "warning", "警告"),
            Severity::Error => pick(lang, "error", "错误"),
        }
    }
}

impl Relation {
    /// The display name.
    pub(crate) fn label(self, lang: Lang) -> &'static str {
        match self {
            Relation::Own => pick(lang, "self", "本人"),
            Relation::Family => pick(lang, "family", "家属"),
            Relation::Contact => pick(lang, "contact", "联系人"),
        }
    }
}

impl Kind {
    /// The display name.
    pub(crate) fn label(self, lang: Lang) -> &'static str {
        match self {
            Kind::Mobile => pick(lang, "mobile", "手机"),
            Kind::Landline => pick(lang, "landline", "固话"),
            Kind::Service => pick(lang, "service", "服务号码"),
            Kind::Foreign => pick(lang, "foreign", "境外"),
            Kind::Unknown => pick(lang, "unknown", "未知"),
        }
    }
}

impl Status {
    /// The display name, as the customer headline words it.
    pub(crate) fn label(self, lang: Lang) -> &'static str {
        match self {
            Status::Reached => pick(
                lang,
                "reached (in person or direct family)",
                "已联系上（本人或直系亲属）",
            ),
            Status::PoweredOff => pick(lang, "powered off or suspended", "关机或停机"),
            Status::NoAnswer => pick(lang, "no answer", "无人接听"),
            Status::Unknown => pick(lang, "only unknown outcomes", "仅有未知结果"),
            Status::NeverCalled => pick(lang, "a valid number not yet dialled", "有效号码尚未拨打"),
            Status::Empty => pick(lang, "empty or wrong numbers only", "仅有空号或错误号码"),
        }
    }

    /// The short display name, for a table cell.
    pub(crate) fn short_label(self, lang: Lang) -> &'static str {
        match self {
            Status::Reached => pick(lang, "reached", "已联系上"),
            Status::PoweredOff => pick(lang, "powered off", "关机"),
            Status::NoAnswer => pick(lang, "no answer", "无人接听"),
            Status::Unknown => pick(lang, "unknown", "未知"),
            Status::NeverCalled => pick(lang, "never called", "未拨打"),
            Status::Empty => pick(lang, "empty", "空号"),
        }
    }
}

impl Fine {
    /// Every fine status, for looking one up by name.
    const ALL: [Fine; 20] = [
        Fine::Reached,
        Fine::ThirdParty,
        Fine::AnsweredUnverified,
        Fine::NoAnswer,
        Fine::Busy,
        Fine::Rejected,
        Fine::Forwarded,
        Fine::PoweredOff,
        Fine::Unreachable,
        Fine::Dormant,
        Fine::Suspended,
        Fine::SuspendedPersistent,
        Fine::Empty,
        Fine::EmptyUnconfirmed,
        Fine::WrongParty,
        Fine::WrongPartyUnconfirmed,
        Fine::StaleLine,
        Fine::Invalid,
        Fine::Unknown,
        Fine::NeverCalled,
    ];

    /// The display name.
    pub(crate) fn label(self, lang: Lang) -> &'static str {
        let (en, zh) = match self {
            Fine::Reached => ("reached", "已联系上"),
            Fine::ThirdParty => ("third party answered", "第三方接听"),
            Fine::AnsweredUnverified => ("answered, not verified", "已接听未核实身份"),
            Fine::NoAnswer => ("no answer", "无人接听"),
            Fine::Busy => ("busy", "占线"),
            Fine::Rejected => ("rejected", "拒接"),
            Fine::Forwarded => ("forwarded", "呼叫转移"),
            Fine::PoweredOff => ("powered off", "关机"),
            Fine::Unreachable => ("unreachable", "无法接通"),
            Fine::Dormant => ("dormant", "长期无法接通"),
            Fine::Suspended => ("suspended", "停机"),
            Fine::SuspendedPersistent => ("suspended for long", "长期停机"),
            Fine::Empty => ("empty number", "空号"),
            Fine::EmptyUnconfirmed => ("empty, not confirmed", "疑似空号（未确认）"),
            Fine::WrongParty => ("wrong party", "非本人号码"),
            Fine::WrongPartyUnconfirmed => ("wrong party, not confirmed", "疑似非本人（未确认）"),
            Fine::StaleLine => ("stale line", "号码可能已易主"),
            Fine::Invalid => ("invalid number", "无效号码"),
            Fine::Unknown => ("unknown outcome", "未知结果"),
            Fine::NeverCalled => ("never called", "未拨打"),
        };
        pick(lang, en, zh)
    }
}

impl Action {
    /// The display name, as the action table words it.
    pub(crate) fn label(self, lang: Lang) -> &'static str {
        match self {
            Action::Prune => pick(lang, "prune (remove before dialling)", "删除（拨打前清除）"),
            Action::Retry => pick(lang, "retry in another slot", "换时段重拨"),
            Action::RetryLater => pick(lang, "retry later (suspended)", "稍后重拨（停机）"),
            Action::Verify => pick(lang, "verify (空号检测 or another line)", "核实（空号检测或换线路）"),
            Action::Keep => pick(lang, "keep (reached)", "保留（已联系上）"),
        }
    }

    /// The short display name, for a table cell.
    pub(crate) fn short_label(self, lang: Lang) -> &'static str {
        match self {
            Action::Prune => pick(lang, "prune", "删除"),
            Action::Retry => pick(lang, "retry", "重拨"),
            Action::RetryLater => pick(lang, "retry later", "稍后重拨"),
            Action::Verify => pick(lang, "verify", "核实"),
            Action::Keep => pick(lang, "keep", "保留"),
        }
    }
}

impl GateStatus {
    /// The display name.
    pub(crate) fn label(self, lang: Lang) -> &'static str {
        match self {
            GateStatus::Pass => pick(lang, "pass", "通过"),
            GateStatus::Fail => pick(lang, "fail", "未通过"),
        }
    }
}

impl EncodingSource {
    /// The display name: how the encoding was decided.
    pub(crate) fn label(self, lang: Lang) -> &'static str {
        match self {
            EncodingSource::Bom => pick(lang, "byte order mark", "字节顺序标记"),
            EncodingSource::Detected => pick(lang, "detected", "自动识别"),
            EncodingSource::Flag => pick(lang, "--encoding", "--encoding 指定"),
            EncodingSource::Workbook => pick(lang, "an Excel workbook", "Excel 工作簿"),
        }
    }
}

/// The display name of a time slot of policy.toml: the bundled slots have Chinese names; a
/// slot a user named is shown as named.
pub(crate) fn slot_label(name: &str, lang: Lang) -> &str {
    if lang == Lang::En {
        return name;
    }
    match name {
        "weekday_evening" => "工作日晚间",
        "weekday_morning" => "工作日上午",
        "weekday_daytime" => "工作日白天",
        "weekend" => "周末",
        "holiday" => "节假日",
        other => other,
    }
}

/// The display name of a column of numbers.csv, customers.csv or the other outputs, for the
/// workbooks' header row; a column this table does not know keeps its name.
pub(crate) fn header_label(name: &str, lang: Lang) -> &str {
    if lang == Lang::En {
        return name;
    }
    match name {
        "line" => "行号",
        "record" => "记录号",
        "customer_id" => "客户编号",
        "column" => "列",
        "relation" => "关系",
        "raw" => "原始内容",
        "cell" => "单元格",
        "e164" => "E.164",
        "national" => "国内格式",
        "extension" => "分机",
        "kind" => "类型",
        "kinds" => "号码类型",
        "region" => "归属地",
        "carrier" => "运营商",
        "verdict" => "结论",
        "issues" => "问题",
        "reason" => "原因",
        "suggested" => "建议号码",
        "status" => "联系结果",
        "fine_status" => "详细结果",
        "contact_status" => "联系人结果",
        "attempts" => "呼叫次数",
        "last_attempt" => "最近呼叫",
        "action" => "操作",
        "next_slot" => "建议时段",
        "first_line" => "首行",
        "records" => "记录数",
        "numbers" => "号码数",
        "valid_numbers" => "有效号码数",
        "own_valid" => "本人有效",
        "family_valid" => "家属有效",
        "contact_valid" => "联系人有效",
        "lost_contact" => "失联",
        "fields" => "字段数",
        "number" => "号码",
        "customers" => "客户数",
        other => other,
    }
}

/// The display form of a value in column `header` of an output: a verdict, relation, kind,
/// status, action or slot by its machine name (a slot with its time, `weekend 2026-11-01
/// 09:00`, keeps the time; kinds joined by `;` are each named); any other value, and any value
/// in another column, as it is.
pub(crate) fn value_label<'a>(header: &str, value: &'a str, lang: Lang) -> Cow<'a, str> {
    if lang == Lang::En || value.is_empty() {
        return Cow::Borrowed(value);
    }
    match header {
        "next_slot" => match value.split_once(' ') {
            Some((slot, when)) => Cow::Owned(format!("{} {when}", slot_label(slot, lang))),
            None => Cow::Borrowed(slot_label(value, lang)),
        },
        "kinds" => Cow::Owned(
            value
                .split(';')
                .map(|k| one_value("kind", k, lang).unwrap_or(k))
                .collect::<Vec<_>>()
                .join(";"),
        ),
        _ => Cow::Borrowed(one_value(header, value, lang).unwrap_or(value)),
    }
}

/// The Chinese name of one machine name in column `header`, if it has one.
fn one_value(header: &str, value: &str, lang: Lang) -> Option<&'static str> {
    match header {
        "verdict" => [Verdict::Ok, Verdict::Warn, Verdict::Invalid]
            .into_iter()
            .find(|v| v.as_str() == value)
            .map(|v| v.label(lang)),
        "relation" => Relation::parse(value).map(|r| r.label(lang)),
        "kind" => [
            Kind::Mobile,
            Kind::Landline,
            Kind::Service,
            Kind::Foreign,
            Kind::Unknown,
        ]
        .into_iter()
        .find(|k| k.as_str() == value)
        .map(|k| k.label(lang)),
        "status" | "contact_status" => Status::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .map(|s| s.short_label(lang)),
        "fine_status" => Fine::ALL
            .into_iter()
            .find(|f| f.as_str() == value)
            .map(|f| f.label(lang)),
        "action" => Action::ALL
            .into_iter()
            .find(|a| a.as_str() == value)
            .map(|a| a.short_label(lang)),
        "lost_contact" => match value {
            "true" => Some("是"),
            "false" => Some("否"),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_the_machine_name_where_it_reads_well() {
        assert_eq!(value_label("status", "reached", Lang::En), "reached");
        assert_eq!(header_label("customer_id", Lang::En), "customer_id");
    }

    #[test]
    fn chinese_values_by_column() {
        assert_eq!(value_label("verdict", "invalid", Lang::Zh), "无效");
        assert_eq!(value_label("action", "retry_later", Lang::Zh), "稍后重拨");
        assert_eq!(value_label("status", "powered_off", Lang::Zh), "关机");
        assert_eq!(value_label("fine_status", "suspended_persistent", Lang::Zh), "长期停机");
        assert_eq!(value_label("relation", "self", Lang::Zh), "本人");
        assert_eq!(value_label("next_slot", "weekend", Lang::Zh), "周末");
        assert_eq!(
            value_label("next_slot", "weekday_evening 2026-11-02 18:00", Lang::Zh),
            "工作日晚间 2026-11-02 18:00"
        );
        assert_eq!(value_label("next_slot", "2026-10-09", Lang::Zh), "2026-10-09");
        assert_eq!(value_label("kinds", "mobile;landline", Lang::Zh), "手机;固话");
        // A cell copied from input is never translated, even when it reads like a name.
        assert_eq!(value_label("raw", "reached", Lang::Zh), "reached");
    }

    #[test]
    fn every_fine_status_has_a_chinese_name() {
        for f in Fine::ALL {
            assert_ne!(f.label(Lang::Zh), f.label(Lang::En), "{}", f.as_str());
            assert_eq!(value_label("fine_status", f.as_str(), Lang::Zh), f.label(Lang::Zh));
        }
    }
}

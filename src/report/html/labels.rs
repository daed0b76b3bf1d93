//! report.html's own labels, in English and Chinese. They live here, apart from report.md's,
//! so the page's wording can change without touching the Markdown report; the template
//! reads them by key (`{{ l.reached }}`), and a key missing from the table is a test failure,
//! not an empty heading.

use std::collections::BTreeMap;

use crate::phone::Lang;

/// Every label: key, English, Chinese.
const LABELS: &[(&str, &str, &str)] = &[
    ("title", "Contact audit", "联系方式审计"),
    ("generated_by", "Written by contact-audit", "由 contact-audit 生成"),
    ("contents", "Contents", "目录"),
    ("customers_by_outcome", "Customers by call outcome", "客户联系结果"),
    ("customers_no_history", "Customers and numbers", "客户与号码"),
    ("attempts", "attempts", "次呼叫"),
    ("as_of", "as of", "截至"),
    ("matched", "matched a contact", "条与联系人匹配"),
    ("status", "status", "结果"),
    ("customers", "customers", "客户"),
    ("count", "count", "数量"),
    ("share", "share", "占比"),
    (
        "reached",
        "reached (in person or direct family)",
        "已联系上（本人或直系亲属）",
    ),
    ("powered_off", "powered off or suspended", "关机或停机"),
    ("no_answer", "no answer", "无人接听"),
    ("unknown", "only unknown outcomes", "仅有未知结果"),
    ("never_called", "a valid number not yet dialled", "有效号码尚未拨打"),
    ("empty", "empty or wrong numbers only", "仅有空号或错误号码"),
    ("lost_contact_note", "Lost contact (失联)", "失联客户"),
    (
        "after_as_of",
        "attempts after the as-of time were left out",
        "次呼叫晚于截至时间，未计入",
    ),
    (
        "bad_lines",
        "log lines could not be read and were skipped; the first",
        "行通话记录无法读取，已跳过；前几行",
    ),
    ("actions", "Next actions, by number", "下一步操作（按号码）"),
    ("action", "action", "操作"),
    ("numbers", "numbers", "号码"),
    ("prune", "prune (remove before dialling)", "删除（拨打前清除）"),
    ("retry_in", "retry in", "换时段重拨："),
    (
        "retry_no_slot",
        "retry (no slot left in the window)",
        "重拨（无可用时段）",
    ),
    ("retry_later", "retry later (suspended)", "稍后重拨（停机）"),
    (
        "verify",
        "verify (空号检测 or another line)",
        "核实（空号检测或换线路）",
    ),
    ("keep", "keep (reached)", "保留（已联系上）"),
    ("never_dialled", "Valid numbers never dialled", "从未拨打的有效号码"),
    ("unknown_outcomes", "Outcome texts no rule knows", "未识别的呼叫结果"),
    (
        "unknown_outcomes_note",
        "attempts have an outcome text that maps to no class; add them to outcomes.toml (--rules DIR)",
        "次呼叫的结果文本无法归类；可加入 outcomes.toml（--rules DIR）",
    ),
    ("outcome_text", "outcome text", "结果文本"),
    ("numbers_by_verdict", "Numbers by verdict", "号码判定"),
    ("rows", "rows", "记录"),
    (
        "lost_contact",
        "lost contact (失联): no own or family number worth dialling",
        "失联客户（本人及家属无可拨打号码）",
    ),
    ("no_landline", "customers with no valid landline", "无有效固话的客户"),
    ("ok", "ok", "正常"),
    ("warn", "warn (dialable, needs attention)", "警告（可拨打，需关注）"),
    ("invalid", "invalid (cannot reach the person)", "无效（无法联系本人）"),
    ("removed", "taken out of cleaned.csv", "已从 cleaned.csv 移除"),
    ("empty_cells", "empty phone cells", "空白电话单元格"),
    (
        "bad_rows_note",
        "malformed rows were passed through unchanged; see bad_rows.csv",
        "行格式错误，已原样保留；见 bad_rows.csv",
    ),
    ("issues", "Issues", "问题"),
    ("code", "code", "代码"),
    ("severity", "severity", "级别"),
    ("share_of_numbers", "share of numbers", "占号码比例"),
    ("meaning", "meaning", "含义"),
    ("example_lines", "example lines", "示例行号"),
    ("no_issues", "No issues found.", "未发现问题。"),
    ("by_kind", "Numbers by kind", "按号码类型统计"),
    ("kind", "kind", "类型"),
    ("by_column", "By column", "按列统计"),
    ("top_places", "Top regions and carriers", "主要地区与运营商"),
    (
        "top_places_note",
        "Numbers that are not invalid: a mobile by its home city, a landline by its area code; shares of those numbers.",
        "非无效号码：手机按归属地，固话按区号；占比以这些号码为基数。",
    ),
    ("region", "region", "地区"),
    ("carrier", "carrier", "运营商"),
    ("column", "column", "列"),
    ("relation", "relation", "关系"),
    ("invalid_share", "invalid share", "无效占比"),
    ("shared", "Numbers shared by several customers", "多个客户共用的号码"),
    ("threshold", "threshold", "阈值"),
    (
        "shared_note",
        "numbers (duplicate.across_records); all of them are in shared.csv",
        "个号码（duplicate.across_records）；完整列表见 shared.csv",
    ),
    ("number", "number", "号码"),
    ("lines", "lines", "行号"),
    ("slots", "Attempts by time slot and outcome", "按时段与结果统计呼叫"),
    (
        "slots_note",
        "Every attempt read, by the policy's time slot it was made in and its outcome; the answer rate is reached attempts over all attempts in the slot (numbers that match no contact included).",
        "按呼叫所在的策略时段与结果统计每次呼叫；接通率为该时段接通的呼叫占全部呼叫的比例（含未匹配联系人的号码）。",
    ),
    ("slot", "slot", "时段"),
    ("attempts_short", "attempts", "呼叫次数"),
    ("reached_short", "reached", "已联系上"),
    ("no_answer_short", "no answer", "无人接听"),
    ("powered_off_short", "powered off", "关机/停机"),
    ("empty_short", "empty or wrong", "空号/错号"),
    ("unknown_short", "unknown", "未知"),
    ("answer_rate", "answer rate", "接通率"),
    ("outcomes", "Attempts by outcome", "按呼叫结果统计"),
    ("outcome", "outcome", "结果"),
    ("compliance", "Compliance", "合规"),
    ("window", "allowed calling window", "允许呼叫时段"),
    (
        "window_violations",
        "calls outside the allowed window",
        "非允许时段呼叫",
    ),
    ("cap", "daily unanswered cap per number", "每个号码每日未接通上限"),
    (
        "cap_violations",
        "numbers over the daily unanswered cap",
        "超过每日未接通上限的号码",
    ),
    (
        "compliance_note",
        "Every case is listed in compliance.csv.",
        "明细见 compliance.csv。",
    ),
    ("checks", "CI checks (--fail-on)", "CI 检查（--fail-on）"),
    ("rule", "rule", "规则"),
    ("observed", "observed", "实际"),
    ("result", "result", "结果"),
    ("pass", "pass", "通过"),
    ("fail", "fail", "未通过"),
    (
        "no_checks",
        "No --fail-on checks were given.",
        "未设置 --fail-on 检查。",
    ),
    ("facts", "Input", "输入"),
    ("file", "file", "文件"),
    ("bytes", "bytes", "字节数"),
    ("sha256", "sha256", "sha256"),
    ("encoding", "encoding", "编码"),
    ("physical_lines", "lines", "物理行数"),
    ("bad_rows", "malformed rows", "格式错误的行"),
    ("rules_version", "rules version", "规则版本"),
    ("tool_version", "contact-audit version", "contact-audit 版本"),
    ("call_logs", "call logs", "通话记录"),
    ("value", "value", "值"),
];

/// The labels in `lang`, by key.
pub(super) fn labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    LABELS
        .iter()
        .map(|(key, en, zh)| (*key, if lang == Lang::Zh { *zh } else { *en }))
        .collect()
}

/// One label by key (for chart captions, drawn outside the template).
pub(super) fn label(lang: Lang, key: &str) -> &'static str {
    LABELS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or("", |(_, en, zh)| if lang == Lang::Zh { zh } else { en })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_distinct_and_both_languages_are_filled() {
        assert_eq!(labels(Lang::En).len(), LABELS.len());
        assert!(
            LABELS
                .iter()
                .all(|(k, en, zh)| !k.is_empty() && !en.is_empty() && !zh.is_empty())
        );
    }

    #[test]
    fn every_key_the_template_reads_is_defined() {
        let page = include_str!("page.html");
        let known = labels(Lang::En);
        for part in page.split("l.").skip(1) {
            let key: String = part
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
                .collect();
            if !key.is_empty() {
                assert!(known.contains_key(key.as_str()), "template reads l.{key}");
            }
        }
    }
}

//! report.md's history sections: the customers by call outcome, the next actions by number,
//! and the outcome texts no rule knows. Each writes nothing without `--history`.

use std::fmt::Write as _;

use super::{echo, escape, share, t, table_header};
use crate::history::ComplianceRule;
use crate::history::policy::{self, Action, Status};
use crate::phone::Lang;
use crate::report::Run;
use crate::report::labels::slot_label;

/// With a call history, the report leads with the customers: how many were reached, powered
/// off, never answered, or had only empty numbers, as a collection team tallies it.
pub(super) fn customer_headline(md: &mut String, o: &Run<'_>, lang: Lang) {
    let Some(h) = o.history else { return };
    let c = &o.summary.customers;
    let _ = writeln!(
        md,
        "## {}\n\n{} {} ({} {}, {} {}).\n",
        t(lang, "Customers by call outcome", "客户联系结果"),
        h.calls.attempts,
        t(lang, "attempts", "次呼叫"),
        t(lang, "as of", "截至"),
        policy::format_minutes(h.as_of),
        h.calls.matched,
        t(lang, "matched a contact", "条与联系人匹配"),
    );
    table_header(
        md,
        &[
            t(lang, "status", "结果"),
            t(lang, "customers", "客户"),
            t(lang, "share", "占比"),
        ],
        "|---|---:|---:|",
    );
    let order = [
        Status::Reached,
        Status::PoweredOff,
        Status::NoAnswer,
        Status::Unknown,
        Status::NeverCalled,
        Status::Empty,
    ];
    for status in order {
        let n = c.statuses[status as usize];
        if n > 0 || status != Status::Unknown {
            let _ = writeln!(md, "| {} | {n} | {} |", status.label(lang), share(n, c.total));
        }
    }
    history_notes(md, o, lang);
}

/// Under the headline: lost contact, compliance, attempts left out, unreadable lines.
fn history_notes(md: &mut String, o: &Run<'_>, lang: Lang) {
    let Some(h) = o.history else { return };
    let c = &o.summary.customers;
    let _ = writeln!(
        md,
        "\n{}: {} ({}). {}: {}, {}: {}. prune.csv, orphans.csv, compliance.csv.\n",
        t(lang, "Lost contact (失联)", "失联客户"),
        c.lost_contact,
        share(c.lost_contact, c.total),
        t(lang, "Calls outside the allowed window", "非允许时段呼叫"),
        h.violations_of(ComplianceRule::Window),
        t(
            lang,
            "numbers over the daily unanswered cap",
            "超过每日未接通上限的号码"
        ),
        h.violations_of(ComplianceRule::DailyCap),
    );
    if let Some(gap) = crate::report::CalendarGap::of(h) {
        let _ = writeln!(md, "{}\n", gap.note(lang == Lang::Zh));
    }
    if h.calls.after_as_of > 0 {
        let _ = writeln!(
            md,
            "{} {} {}.\n",
            h.calls.after_as_of,
            t(
                lang,
                "attempts after the as-of time were left out; as of",
                "次呼叫晚于截至时间，未计入；截至"
            ),
            policy::format_minutes(h.as_of),
        );
    }
    if h.calls.bad_lines > 0 {
        let _ = writeln!(
            md,
            "{} {}:\n",
            h.calls.bad_lines,
            t(
                lang,
                "log lines could not be read and were skipped; the first",
                "行通话记录无法读取，已跳过；前几行"
            )
        );
        for example in &h.calls.bad_examples {
            let _ = writeln!(md, "- {}", escape::code(&echo(o, example)));
        }
        md.push('\n');
    }
}

/// With a call history: how many numbers to prune, retry (by slot), retry later, verify and
/// keep before the next campaign, and how many valid numbers were never dialled.
pub(super) fn actions(md: &mut String, o: &Run<'_>, lang: Lang) {
    let Some(h) = o.history else { return };
    let s = o.summary;
    let _ = writeln!(
        md,
        "## {}\n",
        t(lang, "Next actions, by number", "下一步操作（按号码）")
    );
    table_header(
        md,
        &[t(lang, "action", "操作"), t(lang, "numbers", "号码")],
        "|---|---:|",
    );
    let row = |md: &mut String, label: &str, n: u64| {
        let _ = writeln!(md, "| {label} | {n} |");
    };
    row(md, Action::Prune.label(lang), s.actions[Action::Prune as usize]);
    for (slot, n) in s.retry_slots.iter().enumerate().filter(|(_, n)| **n > 0) {
        let name = h.policy.rules.slots.get(slot).map_or("?", |sl| sl.name.as_str());
        let name = escape::code(slot_label(name, lang));
        row(md, &format!("{} {name}", t(lang, "retry in", "换时段重拨：")), *n);
    }
    let no_slot = s.actions[Action::Retry as usize] - s.retry_slots.iter().sum::<u64>();
    if no_slot > 0 {
        row(
            md,
            t(lang, "retry (no slot left in the window)", "重拨（无可用时段）"),
            no_slot,
        );
    }
    row(
        md,
        Action::RetryLater.label(lang),
        s.actions[Action::RetryLater as usize],
    );
    row(md, Action::Verify.label(lang), s.actions[Action::Verify as usize]);
    row(md, Action::Keep.label(lang), s.actions[Action::Keep as usize]);
    let _ = writeln!(
        md,
        "\n{}: {}.\n",
        t(lang, "Valid numbers never dialled", "从未拨打的有效号码"),
        s.statuses[Status::NeverCalled as usize]
    );
}

/// The outcome texts no rule knows, most frequent first, so a user can add them to
/// outcomes.toml: the top 20 (all of them are in summary.json).
pub(super) fn unknown_outcomes(md: &mut String, o: &Run<'_>, lang: Lang) {
    let Some(h) = o.history else { return };
    let list = h.unknown_outcomes();
    if list.is_empty() {
        return;
    }
    let _ = writeln!(
        md,
        "## {}\n\n{} {}\n",
        t(lang, "Outcome texts no rule knows", "未识别的呼叫结果"),
        h.calls.unknown_outcome,
        t(
            lang,
            "attempts have an outcome text that maps to no class; add them to outcomes.toml (--rules DIR):",
            "次呼叫的结果文本无法归类；可加入 outcomes.toml（--rules DIR）："
        ),
    );
    table_header(
        md,
        &[t(lang, "outcome text", "结果文本"), t(lang, "attempts", "次数")],
        "|---|---:|",
    );
    for (text, n) in list.iter().take(20) {
        let _ = writeln!(md, "| {} | {n} |", escape::inline(&echo(o, text)));
    }
    md.push('\n');
}

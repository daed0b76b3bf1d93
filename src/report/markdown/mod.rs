//! report.md: the human summary, also printed to stdout. A headline table, every issue code
//! with count, share, meaning and example lines, a per-column breakdown, shared numbers and
//! the checks. Labels follow `--lang`.

use std::fmt::Write as _;
use std::path::Path;

mod escape;
mod history;

use super::atomic::AtomicFile;
use super::{Output, Run};
use crate::phone::{Lang, Verdict};
use crate::text::{mask, mask_digits};
use history::{actions, customer_headline, unknown_outcomes};

/// Renders the report.
pub(crate) fn render(o: &Run<'_>) -> String {
    let mut md = String::new();
    let lang = o.opts.lang;
    header(&mut md, o, lang);
    customer_headline(&mut md, o, lang);
    actions(&mut md, o, lang);
    unknown_outcomes(&mut md, o, lang);
    headline(&mut md, o, lang);
    issues(&mut md, o, lang);
    columns(&mut md, o, lang);
    shared(&mut md, o, lang);
    checks(&mut md, o, lang);
    md
}

/// Writes `report.md` into `dir`.
pub(crate) fn write(dir: &Path, report: &str) -> anyhow::Result<()> {
    let mut file = AtomicFile::create(dir, Output::Report.name())?;
    file.write_bytes(report.as_bytes())?;
    file.commit()
}

/// The label in the report's language.
fn t(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    if lang == Lang::Zh { zh } else { en }
}

/// A table's header row and its alignment row (`|---|---:|`).
fn table_header(md: &mut String, labels: &[&str], align: &str) {
    let _ = writeln!(md, "| {} |\n{align}", labels.join(" | "));
}

/// `n` as a share of `of`, as `12.3%`.
fn share(n: u64, of: u64) -> String {
    if of == 0 {
        "-".into()
    } else {
        format!("{:.1}%", n as f64 * 100.0 / of as f64)
    }
}

fn header(md: &mut String, o: &Run<'_>, lang: Lang) {
    let s = o.summary;
    let scan = o.input.scan();
    let _ = writeln!(
        md,
        "# {} {}\n",
        t(lang, "Contact audit:", "联系方式审计："),
        escape::inline(&o.input.display)
    );
    let origin = match o.rules.origin.as_str() {
        "embedded" => t(lang, "embedded", "内置"),
        dir => dir,
    };
    let _ = writeln!(
        md,
        "contact-audit {}, {} {} ({}). {} {} ({}), {} {}, sha256 `{}`.\n",
        env!("CARGO_PKG_VERSION"),
        t(lang, "rules", "规则"),
        o.rules.version,
        escape::inline(origin),
        t(lang, "Input encoding", "输入编码"),
        scan.encoding.as_str(),
        scan.source.label(lang),
        scan.bytes,
        t(lang, "bytes", "字节"),
        &scan.sha256[..scan.sha256.len().min(16)],
    );
    if s.bad_rows > 0 {
        let _ = writeln!(
            md,
            "{} {} bad_rows.csv\n",
            s.bad_rows,
            t(
                lang,
                "malformed rows were passed through unchanged; see",
                "行格式错误，已原样保留；见"
            ),
        );
    }
}

fn headline(md: &mut String, o: &Run<'_>, lang: Lang) {
    let s = o.summary;
    let n = s.numbers.verdicts;
    let c = &s.customers;
    table_header(
        md,
        &[t(lang, "", ""), t(lang, "count", "数量"), t(lang, "share", "占比")],
        "|---|---:|---:|",
    );
    let rows: [(&str, u64, u64); 10] = [
        (t(lang, "rows", "记录"), s.rows, s.rows),
        (t(lang, "customers", "客户"), c.total, c.total),
        (
            t(
                lang,
                "lost contact (失联): no own or family number worth dialling",
                "失联客户（本人及家属无可拨打号码）",
            ),
            c.lost_contact,
            c.total,
        ),
        (
            t(lang, "customers with no valid landline", "无有效固话的客户"),
            c.no_landline,
            c.total,
        ),
        (t(lang, "numbers", "号码"), n.total, n.total),
        (t(lang, "ok", "正常"), n.ok, n.total),
        (
            t(lang, "warn (dialable, needs attention)", "警告（可拨打，需关注）"),
            n.warn,
            n.total,
        ),
        (
            t(lang, "invalid (cannot reach the person)", "无效（无法联系本人）"),
            n.invalid,
            n.total,
        ),
        (
            t(lang, "taken out of cleaned.csv", "已从 cleaned.csv 移除"),
            s.removed,
            n.total,
        ),
        (t(lang, "empty phone cells", "空白电话单元格"), s.empty_cells, 0),
    ];
    for (label, count, of) in rows {
        let _ = writeln!(
            md,
            "| {label} | {count} | {} |",
            if of == 0 { String::new() } else { share(count, of) }
        );
    }
    md.push('\n');
}

fn issues(md: &mut String, o: &Run<'_>, lang: Lang) {
    let s = o.summary;
    let list = s.issues_by_count();
    if list.is_empty() {
        return;
    }
    let _ = writeln!(md, "## {}\n", t(lang, "Issues", "问题"));
    table_header(
        md,
        &[
            t(lang, "code", "代码"),
            t(lang, "severity", "级别"),
            t(lang, "count", "数量"),
            t(lang, "share of numbers", "占号码比例"),
            t(lang, "meaning", "含义"),
            t(lang, "example lines", "示例行号"),
        ],
        "|---|---|---:|---:|---|---|",
    );
    for (issue, count) in list {
        let lines: Vec<String> = s.examples_of(issue).iter().map(u64::to_string).collect();
        let _ = writeln!(
            md,
            "| `{}` | {} | {count} | {} | {} | {} |",
            issue.code(),
            issue.severity().label(lang),
            if issue.is_of_record() {
                String::new()
            } else {
                share(count, s.numbers.verdicts.total)
            },
            issue.summary(lang),
            lines.join(", ")
        );
    }
    md.push('\n');
}

fn columns(md: &mut String, o: &Run<'_>, lang: Lang) {
    let _ = writeln!(md, "## {}\n", t(lang, "By column", "按列统计"));
    table_header(
        md,
        &[
            t(lang, "column", "列"),
            t(lang, "relation", "关系"),
            t(lang, "numbers", "号码"),
            Verdict::Ok.label(lang),
            Verdict::Warn.label(lang),
            Verdict::Invalid.label(lang),
            t(lang, "invalid share", "无效占比"),
        ],
        "|---|---|---:|---:|---:|---:|---:|",
    );
    for (col, v) in o.input.columns.phones.iter().zip(&o.summary.numbers.by_column) {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            escape::inline(&echo(o, &col.name)),
            col.relation.label(lang),
            v.total,
            v.ok,
            v.warn,
            v.invalid,
            share(v.invalid, v.total)
        );
    }
    md.push('\n');
}

fn shared(md: &mut String, o: &Run<'_>, lang: Lang) {
    if o.shared.is_empty() {
        return;
    }
    let _ = writeln!(
        md,
        "## {} ({} {})\n",
        t(lang, "Numbers shared by several customers", "多个客户共用的号码"),
        t(lang, "threshold", "阈值"),
        o.opts.shared_threshold
    );
    let _ = writeln!(
        md,
        "{} {}; {}\n",
        o.shared.len(),
        t(
            lang,
            "numbers (duplicate.across_records)",
            "个号码（duplicate.across_records）"
        ),
        t(lang, "all of them are in shared.csv", "完整列表见 shared.csv")
    );
    table_header(
        md,
        &[
            t(lang, "number", "号码"),
            t(lang, "customers", "客户数"),
            t(lang, "lines", "行号"),
        ],
        "|---|---:|---|",
    );
    for s in o.shared.iter().take(10) {
        let number = if o.opts.mask { mask(&s.number) } else { s.number.clone() };
        let lines: Vec<String> = s.lines.iter().map(u64::to_string).collect();
        let _ = writeln!(md, "| {number} | {} | {} |", s.customers, lines.join(", "));
    }
    md.push('\n');
}

fn checks(md: &mut String, o: &Run<'_>, lang: Lang) {
    if o.checks.is_empty() {
        return;
    }
    let _ = writeln!(md, "## {}\n", t(lang, "Checks", "检查"));
    table_header(
        md,
        &[
            t(lang, "rule", "规则"),
            t(lang, "observed", "实际"),
            t(lang, "status", "结果"),
        ],
        "|---|---:|---|",
    );
    for c in o.checks {
        let unit = if c.percent { "%" } else { "" };
        let rule = escape::code_cell(&c.rule);
        let _ = writeln!(md, "| {rule} | {}{unit} | {} |", c.observed, c.status.label(lang));
    }
    md.push('\n');
}

/// Input text the report echoes (a bad log line, an outcome text), masked with `--mask`.
pub(super) fn echo<'a>(o: &Run<'_>, text: &'a str) -> std::borrow::Cow<'a, str> {
    if o.opts.mask {
        mask_digits(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

//! JUnit XML for CI (`audit --format junit`, `audit --junit`): one `<testsuite>` with one
//! `<testcase>` per `--fail-on` check and one per issue code, in the common shape GitLab and
//! Jenkins read (`testsuites/testsuite/testcase/failure`, with `tests`, `failures`, `errors`,
//! `skipped` and `time` on both containers).
//!
//! A check's case fails when the check failed, with the observed value. An issue code's case
//! carries its count in `<system-out>` and fails only when a `--fail-on` check on that code
//! failed: a code with a count but no check is data, not a broken build, and a CI page that
//! went red for every warning would be ignored.
//!
//! Written by hand, as a handful of fixed elements: every value goes through [`escape`], which
//! also replaces the characters XML 1.0 cannot hold at all (control characters), since an
//! escaped `&#1;` is still not well-formed.

use std::fmt::Write as _;

use super::atomic::AtomicFile;
use super::model::{GateStatus, Run, ThresholdResult};
use super::outputs::Output;
use crate::phone::Issue;

/// The classname of the check cases.
const CHECKS: &str = "contact-audit.checks";
/// The classname of the issue-code cases.
const ISSUES: &str = "contact-audit.issues";

/// One test case, before it is written.
struct Case {
    classname: &'static str,
    name: String,
    /// The failure's message and body, when it fails.
    failure: Option<(String, String)>,
    /// Text for `<system-out>`.
    out: String,
}

/// The JUnit XML of a finished run.
pub(crate) fn render(run: &Run<'_>) -> String {
    let elapsed = jiff::Timestamp::now()
        .duration_since(run.started)
        .as_secs_f64()
        .max(0.0);
    render_at(run, elapsed)
}

/// [`render`] with the run's duration in seconds given.
fn render_at(run: &Run<'_>, elapsed: f64) -> String {
    let cases = cases(run);
    let failures = cases.iter().filter(|c| c.failure.is_some()).count();
    let counts = format!(
        r#"tests="{}" failures="{failures}" errors="0" skipped="0" time="{elapsed:.3}""#,
        cases.len()
    );
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(xml, r#"<testsuites name="contact-audit" {counts}>"#);
    let _ = writeln!(
        xml,
        r#"  <testsuite name="contact-audit audit {}" {counts}>"#,
        escape(&run.input.display)
    );
    xml.push_str("    <properties>\n");
    for (name, value) in [
        ("input", run.input.display.as_str()),
        ("input.sha256", run.input.scan().sha256.as_str()),
        ("rules.version", run.rules.version.as_str()),
        ("tool.version", env!("CARGO_PKG_VERSION")),
    ] {
        let _ = writeln!(
            xml,
            r#"      <property name="{}" value="{}"/>"#,
            escape(name),
            escape(value)
        );
    }
    xml.push_str("    </properties>\n");
    for case in &cases {
        write_case(&mut xml, case);
    }
    xml.push_str("  </testsuite>\n</testsuites>\n");
    xml
}

/// Writes `junit.xml` into the output directory.
pub(crate) fn write(dir: &std::path::Path, xml: &str) -> anyhow::Result<()> {
    let mut file = AtomicFile::create(dir, Output::Junit.name())?;
    file.write_bytes(xml.as_bytes())?;
    file.commit()
}

fn write_case(xml: &mut String, case: &Case) {
    let _ = write!(
        xml,
        r#"    <testcase classname="{}" name="{}" time="0">"#,
        case.classname,
        escape(&case.name)
    );
    xml.push('\n');
    if let Some((message, body)) = &case.failure {
        let _ = writeln!(
            xml,
            r#"      <failure message="{}" type="threshold">{}</failure>"#,
            escape(message),
            escape(body)
        );
    }
    let _ = writeln!(xml, "      <system-out>{}</system-out>", escape(&case.out));
    xml.push_str("    </testcase>\n");
}

/// Every case: the checks in the order given, then each issue code in code order.
fn cases(run: &Run<'_>) -> Vec<Case> {
    let mut cases: Vec<Case> = run.checks.iter().map(check_case).collect();
    let by_code = run.summary.by_code();
    let mut codes: Vec<&'static str> = Issue::ALL.iter().map(|i| i.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    for code in codes {
        let count = by_code.get(code).copied().unwrap_or(0);
        let failed: Vec<&ThresholdResult> = run
            .checks
            .iter()
            .filter(|c| c.status == GateStatus::Fail && metric(&c.rule) == code)
            .collect();
        let failure = (!failed.is_empty()).then(|| {
            let rules: Vec<&str> = failed.iter().map(|c| c.rule.as_str()).collect();
            (
                format!("{code}: {count} (--fail-on {} failed)", rules.join(", ")),
                format!("{count} numbers with {code}"),
            )
        });
        cases.push(Case {
            classname: ISSUES,
            name: code.to_string(),
            failure,
            out: format!("count: {count}"),
        });
    }
    cases
}

/// A check's case, failing with the observed value when the check failed.
fn check_case(c: &ThresholdResult) -> Case {
    let unit = if c.percent { "%" } else { "" };
    let observed = format!("observed {}{unit} ({} counted)", c.observed, c.count);
    Case {
        classname: CHECKS,
        name: c.rule.clone(),
        failure: (c.status == GateStatus::Fail).then(|| (format!("{}: {observed}", c.rule), observed.clone())),
        out: format!("{}: {observed}", c.status.as_str()),
    }
}

/// The metric of a check's rule as written (`landline.length>0` -> `landline.length`): a
/// metric never holds an operator character.
fn metric(rule: &str) -> &str {
    rule.split(['>', '<', '=']).next().unwrap_or(rule).trim()
}

/// Escapes text for an XML attribute or element: the five markup characters as entities,
/// tab, CR and LF as character references (so that an attribute keeps them), and every
/// character XML 1.0 cannot hold (other control characters, U+FFFE, U+FFFF) as U+FFFD.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_replaces_what_xml_cannot_hold() {
        assert_eq!(
            escape(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(escape("a\tb\nc\r"), "a&#9;b&#10;c&#13;");
        assert_eq!(escape("\u{1}\u{1b}x\u{FFFF}"), "\u{FFFD}\u{FFFD}x\u{FFFD}");
        assert_eq!(escape("027-21859118转2363"), "027-21859118转2363");
    }

    #[test]
    fn escaped_text_parses_back_to_itself() {
        let nasty = "</failure><x a=\"1\">&amp;]]>'\t\n";
        let doc = format!(r#"<r a="{0}">{0}</r>"#, escape(nasty));
        let parsed = roxmltree::Document::parse(&doc).unwrap();
        let root = parsed.root_element();
        assert_eq!(root.attribute("a"), Some(nasty));
        assert_eq!(root.text(), Some(nasty));
    }

    #[test]
    fn metric_is_the_rule_before_its_operator() {
        assert_eq!(metric("landline.length>0"), "landline.length");
        assert_eq!(metric("invalid>=2%"), "invalid");
        assert_eq!(metric("ok<90%"), "ok");
    }

    #[test]
    fn a_failed_check_fails_with_its_observed_value() {
        let c = ThresholdResult {
            rule: "invalid>2%".into(),
            threshold: 2.0,
            percent: true,
            observed: 2.5,
            count: 5,
            status: GateStatus::Fail,
        };
        let case = check_case(&c);
        assert_eq!(case.failure.unwrap().0, "invalid>2%: observed 2.5% (5 counted)");
        let passed = check_case(&ThresholdResult {
            status: GateStatus::Pass,
            ..c
        });
        assert!(passed.failure.is_none());
    }
}

//! `contact-audit explain` end to end: one code in either language, the full list as text
//! and Markdown, unknown codes, and docs/issue-codes.md kept equal to what the binary prints.

use contact_audit::phone::{Issue, Lang};

use crate::harness::{Workdir, assert_exit, stderr, stdout};

/// The command that regenerates docs/issue-codes.md's table, named in the failure message.
const REGENERATE: &str = "contact-audit explain --list --format markdown --lang en";

#[test]
fn one_code_shows_severity_and_meaning() {
    let dir = Workdir::new();
    let out = dir.run(&["explain", "landline.length", "--lang", "en"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.starts_with("landline.length\n  error    the local number's length does not fit the area code\n"),
        "{text}"
    );
    let out = dir.run(&["explain", "format.masked", "--lang", "zh"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.starts_with("format.masked\n  错误       号码被掩码（如138****8000），无法拨打\n"),
        "{text}"
    );
}

#[test]
fn language_defaults_from_lang_as_check_does() {
    let dir = Workdir::new();
    let out = dir
        .command(&["explain", "format.empty"])
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("单元格为空"), "{}", stdout(&out));
    let out = dir.run(&["explain", "format.empty"]);
    assert!(stdout(&out).contains("the cell is empty"), "{}", stdout(&out));
}

#[test]
fn shared_code_is_explained_once_with_both_severities() {
    let dir = Workdir::new();
    let out = dir.run(&["explain", "landline.local_prefix", "--lang", "en"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "landline.local_prefix\n  error    a local number cannot start with 0 or 1\n  \
             warning  a local number starting with 9 is usually a service number\n"
        ),
        "{text}"
    );
    let list = stdout(&dir.run(&["explain", "--list", "--lang", "en"]));
    assert_eq!(list.matches("landline.local_prefix").count(), 1, "{list}");
}

#[test]
fn list_names_every_code_with_its_severities() {
    let dir = Workdir::new();
    let out = dir.run(&["explain", "--list", "--lang", "en"]);
    assert_exit(&out, 0);
    let list = stdout(&out);
    for issue in Issue::ALL {
        let line = list
            .lines()
            .find(|l| l.contains(issue.summary(Lang::En)))
            .unwrap_or_else(|| panic!("{} missing:\n{list}", issue.code()));
        assert!(line.contains(issue.severity().as_str()), "{line}");
    }
    let codes: Vec<&str> = list.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert!(codes.contains(&"service.number") && codes.contains(&"contact.same_as_borrower"));
}

#[test]
fn markdown_is_a_table_with_one_row_per_code() {
    let dir = Workdir::new();
    let out = dir.run(&["explain", "--list", "--format", "markdown", "--lang", "en"]);
    assert_exit(&out, 0);
    let table = stdout(&out);
    let lines: Vec<&str> = table.lines().take_while(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "| code | severity | meaning |");
    assert_eq!(lines[1], "|---|---|---|");
    let mut codes: Vec<&str> = Issue::ALL.iter().map(|i| i.code()).collect();
    codes.dedup();
    assert_eq!(lines.len(), 2 + codes.len(), "{table}");
    assert_eq!(
        table.matches("\n## `").count(),
        codes.len(),
        "a section per code:\n{table}"
    );
    assert!(
        lines[2..].iter().all(|l| l.starts_with("| `") && l.ends_with(" |")),
        "{table}"
    );
    assert!(
        table.contains(
            "| `landline.local_prefix` | error / warning | error: a local number cannot start with 0 or 1; \
             warning: a local number starting with 9 is usually a service number |"
        ),
        "{table}"
    );
    assert!(table.contains(r"(like 138\*\*\*\*8000)"), "emphasis escaped:\n{table}");
}

#[test]
fn unknown_code_exits_2_naming_the_closest() {
    let dir = Workdir::new();
    let out = dir.run(&["explain", "landline.lenght"]);
    assert_exit(&out, 2);
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("unknown issue code 'landline.lenght'"), "{err}");
    assert!(err.contains("closest: landline.length"), "{err}");
    assert!(err.contains("explain --list"), "{err}");
}

#[test]
fn code_or_list_is_required() {
    let dir = Workdir::new();
    assert_exit(&dir.run(&["explain"]), 2);
    assert_exit(&dir.run(&["explain", "format.empty", "--list"]), 2);
}

#[test]
fn issue_codes_doc_matches_the_binary() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/issue-codes.md");
    let doc = std::fs::read_to_string(&path).expect("docs/issue-codes.md");
    let dir = Workdir::new();
    let out = dir.run(&["explain", "--list", "--format", "markdown", "--lang", "en"]);
    assert_exit(&out, 0);
    let table = stdout(&out);
    let committed = doc.find("| code |").map(|at| &doc[at..]);
    assert!(
        committed == Some(table.as_str()),
        "docs/issue-codes.md is stale: replace everything from its `| code |` line on with the output \
         of `{REGENERATE}` (keep the intro above it)\n--- binary ---\n{table}"
    );
}

/// Every code, in both languages, is explained with an example, its usual cause and its fix
/// (the data behind them is checked in src/commands/explain/data.rs).
#[test]
fn every_code_has_example_cause_and_fix_in_both_languages() {
    let dir = Workdir::new();
    for (lang, headings) in [
        ("en", ["**example:**", "**usual cause:**", "**fix:**"]),
        ("zh", ["**示例：**", "**常见原因：**", "**处理办法：**"]),
    ] {
        let out = dir.run(&["explain", "--list", "--format", "markdown", "--lang", lang]);
        assert_exit(&out, 0);
        let doc = stdout(&out);
        let mut codes: Vec<&str> = Issue::ALL.iter().map(|i| i.code()).collect();
        codes.dedup();
        for code in codes {
            let head = format!("\n## `{code}`\n");
            let at = doc
                .find(&head)
                .unwrap_or_else(|| panic!("{lang}: no section for {code}"));
            let section = &doc[at + head.len()..];
            let section = &section[..section.find("\n## ").unwrap_or(section.len())];
            for h in headings {
                assert!(section.contains(h), "{lang} {code}: no {h}\n{section}");
            }
        }
    }
}

/// The examples of codes of a record or a customer (a small contact file, not a cell) are
/// audited end to end: each must yield its code, so an example can never lie. (Cell examples
/// are run through the engine by the unit tests of src/commands/explain/data.rs.)
#[test]
fn every_file_example_yields_its_code() {
    let codes: toml::Table = toml::from_str(include_str!("../../src/commands/explain/codes.toml")).expect("codes.toml");
    let mut audited = 0;
    for (code, entry) in &codes {
        let dir = Workdir::new();
        let input = if let Some(csv) = entry.get("csv").and_then(|v| v.as_str()) {
            dir.write("contacts.csv", csv).display().to_string()
        } else if let Some(file) = entry.get("file").and_then(|v| v.as_str()) {
            format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))
        } else {
            continue;
        };
        let out = dir.run(&["audit", &input, "--out", "out", "--quiet", "--exit-zero"]);
        assert_exit(&out, 0);
        let summary: serde_json::Value = serde_json::from_str(&dir.read_string("out/summary.json")).unwrap();
        // A number's issues are counted in summary.json, a customer's are in customers.csv,
        // and the numbers shared across records are counted apart (shared.csv).
        let count = summary["numbers"]["by_issue"][code.as_str()].as_u64().unwrap_or(0);
        let shared = summary["duplicates"]["shared_numbers"].as_u64().unwrap_or(0);
        let customers = dir.read_string("out/customers.csv");
        assert!(
            count > 0 || customers.contains(code.as_str()) || (code == "duplicate.across_records" && shared > 0),
            "the example of {code} does not yield it: {}\n{customers}",
            summary["numbers"]["by_issue"]
        );
        audited += 1;
    }
    assert!(audited >= 6, "the record and customer codes have file examples");
}

#[test]
fn one_code_in_chinese() {
    let dir = Workdir::new();
    let out = dir.run(&["explain", "landline.length", "--lang", "zh"]);
    assert_exit(&out, 0);
    insta::assert_snapshot!("explain_landline_length_zh", stdout(&out));
    // There is no landline.short: the error, in Chinese, names the code meant.
    let out = dir.run(&["explain", "landline.short", "--lang", "zh"]);
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("未知的问题代码 'landline.short'") && err.contains("landline.length"),
        "{err}"
    );
}

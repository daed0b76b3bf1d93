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
    assert_eq!(
        stdout(&out),
        "landline.length\n  error    the local number's length does not fit the area code\n"
    );
    let out = dir.run(&["explain", "format.masked", "--lang", "zh"]);
    assert_exit(&out, 0);
    assert_eq!(
        stdout(&out),
        "format.masked\n  error    号码被掩码（如138****8000），无法拨打\n"
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
    assert_eq!(
        stdout(&out),
        "landline.local_prefix\n  error    a local number cannot start with 0 or 1\n  \
         warning  a local number starting with 9 is usually a service number\n"
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
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines[0], "| code | severity | meaning |");
    assert_eq!(lines[1], "|---|---|---|");
    let mut codes: Vec<&str> = Issue::ALL.iter().map(|i| i.code()).collect();
    codes.dedup();
    assert_eq!(lines.len(), 2 + codes.len(), "{table}");
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

//! The wide case table: tests/data/phone-cases.tsv, written from the reference material
//! independently of the engine. Every row is checked and every mismatch is listed at once.

use contact_audit::phone::{Cell, Engine, Number};
use contact_audit::rules::RuleSet;

const TABLE: &str = include_str!("../data/phone-cases.tsv");

/// Decodes the table's escapes: `\t \n \r \\` and `\u{XXXX}`.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('u') => {
                let hex: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
            }
            other => panic!("bad escape \\{other:?} in {s}"),
        }
    }
    out
}

fn render(n: &Number) -> [String; 6] {
    let issues: Vec<&str> = n.issues.iter().map(contact_audit::phone::Issue::code).collect();
    [
        n.kind.as_str().to_string(),
        n.verdict().as_str().to_string(),
        if n.kind == contact_audit::phone::Kind::Unknown && n.digits.is_empty() {
            String::new()
        } else {
            n.national()
        },
        n.e164().unwrap_or_default(),
        n.extension.as_str().to_string(),
        dedup(issues).join(","),
    ]
}

fn dedup(mut v: Vec<&str>) -> Vec<&str> {
    v.dedup();
    v
}

fn compare(cell: &Cell, numbers: &str, cell_issues: &str) -> Result<(), String> {
    let expected: Vec<&str> = if numbers.is_empty() {
        vec![]
    } else {
        numbers.split(" ; ").collect()
    };
    let got: Vec<[String; 6]> = cell.numbers.iter().map(render).collect();
    let got_cell: Vec<&str> = cell.issues.iter().map(contact_audit::phone::Issue::code).collect();
    let shown: Vec<String> = got.iter().map(|g| g.join("|")).collect();
    let mismatch = || {
        format!(
            "expected [{numbers}] cell [{cell_issues}]\n      got [{}] cell [{}]",
            shown.join(" ; "),
            got_cell.join(",")
        )
    };
    if expected.len() != got.len() || got_cell.join(",") != cell_issues {
        return Err(mismatch());
    }
    for (want, have) in expected.iter().zip(&got) {
        let want: Vec<&str> = want.split('|').collect();
        if want.len() != 6 {
            return Err(format!("malformed expectation {want:?}"));
        }
        if want.iter().zip(have).any(|(w, h)| *w != "*" && w != h) {
            return Err(mismatch());
        }
    }
    Ok(())
}

#[test]
fn every_case_in_the_table() {
    let rules = RuleSet::embedded();
    let engine = Engine::new(&rules);
    let mut failures = Vec::new();
    let mut rows = 0;
    for (i, line) in TABLE.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() || line.starts_with("input\t") {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        assert!(fields.len() >= 3, "line {}: {line:?}", i + 1);
        rows += 1;
        let cell = unescape(fields[0]);
        if let Err(e) = compare(&engine.check(&cell), fields[1], fields[2]) {
            failures.push(format!(
                "line {} {:?} ({})\n      {e}",
                i + 1,
                fields[0],
                fields.get(3).unwrap_or(&"")
            ));
        }
    }
    assert!(rows > 300, "the table has {rows} rows");
    assert!(
        failures.is_empty(),
        "{} of {rows} cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

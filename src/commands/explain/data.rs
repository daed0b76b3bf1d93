//! The per-code texts of `explain` beyond meaning and severity: an example, the usual cause
//! and the fix, in both languages, read from `codes.toml` beside this file.
//!
//! Why a TOML file embedded with `include_str!` rather than a Rust table: the texts are
//! prose in two languages, 40-odd codes of five texts each; in TOML each code is one short
//! block that a translator or a support person can read and edit without knowing Rust, and
//! the examples are data a test can run through the engine. It is parsed once per `explain`
//! run (a few microseconds); a malformed file fails the unit tests, never a user.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::phone::{Engine, Issue, Lang, Verdict};
use crate::rules::RuleSet;

/// The embedded data file.
const CODES: &str = include_str!("codes.toml");

/// A text in both languages.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Text {
    /// English.
    pub(super) en: String,
    /// Simplified Chinese.
    pub(super) zh: String,
}

impl Text {
    /// The text in `lang`.
    pub(super) fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// What `explain` says about one code (see the head of codes.toml for the fields).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Explanation {
    /// A phone cell that yields the code.
    pub(super) cell: Option<String>,
    /// The `--default-area-code` the cell needs.
    pub(super) default_area: Option<String>,
    /// A small contact file that yields the code.
    pub(super) csv: Option<String>,
    /// An input file in the repository that yields the code (read by the tests, which audit
    /// it; `explain` shows `shown`).
    #[allow(dead_code, reason = "read by the tests")]
    pub(super) file: Option<String>,
    /// How the cell of `file` looks.
    pub(super) shown: Option<String>,
    /// What the tool makes of `csv` or `file`.
    pub(super) result: Option<Text>,
    /// The usual cause in contact data.
    pub(super) cause: Text,
    /// What to do.
    pub(super) fix: Text,
}

/// Every code's explanation, by code.
pub(super) fn all() -> BTreeMap<String, Explanation> {
    toml::from_str(CODES).expect("codes.toml is checked by the unit tests")
}

/// The example of `e` as lines of text: the input, then what the tool makes of it (for a
/// cell computed here by the engine, so it never goes stale).
pub(super) fn example(e: &Explanation, rules: &RuleSet, lang: Lang) -> Vec<String> {
    if let Some(cell) = &e.cell {
        // An empty cell would be an empty code span, which Markdown does not show.
        let shown = if cell.is_empty() { "\"\"" } else { cell };
        return vec![format!(
            "`{shown}` → {}",
            outcome(cell, e.default_area.as_deref(), rules, lang)
        )];
    }
    let shown = e.csv.as_deref().or(e.shown.as_deref()).unwrap_or_default();
    let mut lines: Vec<String> = shown.lines().map(|l| format!("    {l}")).collect();
    if let Some(result) = &e.result {
        lines.push(format!("→ {}", result.get(lang)));
    }
    lines
}

/// What the engine makes of `cell`: each number's verdict, its national form and its
/// issue codes; the cell's own codes when it has no number.
fn outcome(cell: &str, default_area: Option<&str>, rules: &RuleSet, lang: Lang) -> String {
    let mut engine = Engine::new(rules);
    if let Some(code) = default_area {
        engine = engine
            .with_default_area(code)
            .expect("codes.toml names a real area code");
    }
    let checked = engine.check(cell);
    let area = default_area.map(|a| match lang {
        Lang::Zh => format!("（--default-area-code {a}）"),
        Lang::En => format!(" (--default-area-code {a})"),
    });
    let mut parts: Vec<String> = checked
        .numbers
        .iter()
        .map(|n| {
            let codes: Vec<&str> = n.issues.union(checked.issues).iter().map(Issue::code).collect();
            format!("{} {} [{}]", n.verdict().label(lang), n.national(), codes.join(", "))
        })
        .collect();
    if parts.is_empty() {
        let codes: Vec<&str> = checked.issues.iter().map(Issue::code).collect();
        parts.push(format!("{} [{}]", Verdict::Invalid.label(lang), codes.join(", ")));
    }
    parts.join("; ") + area.as_deref().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table every code needs, named in the failure message.
    fn hint(code: &str) -> String {
        format!(
            "src/commands/explain/codes.toml has no table for `{code}`: add\n[\"{code}\"]\ncell = \"...\"  \
             # a cell that yields it (or csv = / file = with result.en and result.zh)\ncause.en = \"...\"\n\
             cause.zh = \"...\"\nfix.en = \"...\"\nfix.zh = \"...\""
        )
    }

    #[test]
    fn every_code_has_an_example_cause_and_fix_in_both_languages() {
        let all = all();
        let rules = RuleSet::embedded();
        for issue in Issue::ALL {
            let e = all
                .get(issue.code())
                .unwrap_or_else(|| panic!("{}", hint(issue.code())));
            let inputs = [&e.cell, &e.csv, &e.file].iter().filter(|x| x.is_some()).count();
            assert_eq!(inputs, 1, "{}: give exactly one of cell, csv, file", issue.code());
            if e.cell.is_none() {
                let result = e
                    .result
                    .as_ref()
                    .unwrap_or_else(|| panic!("{}: result.en/zh", issue.code()));
                assert!(!result.en.is_empty() && !result.zh.is_empty(), "{}", issue.code());
            }
            for text in [&e.cause, &e.fix] {
                assert!(
                    text.en.trim().len() > 10 && text.zh.trim().len() > 10,
                    "{}",
                    issue.code()
                );
                assert_ne!(text.en, text.zh, "{}", issue.code());
            }
            assert!(!example(e, &rules, Lang::Zh).is_empty() && !example(e, &rules, Lang::En).is_empty());
        }
        for code in all.keys() {
            assert!(
                Issue::ALL.iter().any(|i| i.code() == code),
                "codes.toml: `{code}` is no issue code"
            );
        }
    }

    /// The examples cannot lie: each cell, run through the engine, yields its code. (Record
    /// and file examples are audited end to end in tests/integration/explain_cmd.rs.)
    #[test]
    fn every_cell_example_yields_its_code() {
        let rules = RuleSet::embedded();
        for (code, e) in all() {
            let Some(cell) = &e.cell else { continue };
            let mut engine = Engine::new(&rules);
            if let Some(area) = &e.default_area {
                engine = engine.with_default_area(area).unwrap();
            }
            let checked = engine.check(cell);
            let found: Vec<&str> = checked
                .numbers
                .iter()
                .flat_map(|n| n.issues.iter())
                .chain(checked.issues.iter())
                .map(Issue::code)
                .collect();
            assert!(found.contains(&code.as_str()), "`{cell}` yields {found:?}, not {code}");
        }
    }

    #[test]
    fn a_cell_example_shows_what_the_engine_makes_of_it() {
        let all = all();
        let rules = RuleSet::embedded();
        let lines = example(&all["format.float_suffix"], &rules, Lang::En);
        assert_eq!(lines, ["`13971234567.0` → warn 13971234567 [format.float_suffix]"]);
        let lines = example(&all["format.float_suffix"], &rules, Lang::Zh);
        assert_eq!(lines, ["`13971234567.0` → 警告 13971234567 [format.float_suffix]"]);
    }
}

//! `contact-audit explain`: what an issue code means and how much it matters, from the
//! binary itself, so users and docs/issue-codes.md never depend on reading the source.
//!
//! Codes come from `Issue::ALL`; a code shared by two variants (`landline.local_prefix`, an
//! error for 0/1 and a warning for 9) is one entry with both severities. Messages are the
//! generic wording (`message` with no number), since there is no number to name facts about.
//! The example, the usual cause and the fix of each code come from `codes.toml` (`data`).

mod data;

use std::io::{BufWriter, Write};

use crate::cli::{ExplainArgs, ExplainFormat};
use crate::exit::ExitStatus;
use crate::phone::{Issue, Lang};
use crate::rules::RuleSet;

/// One issue code with every (severity, meaning) it is reported with, in declaration order.
struct Entry {
    code: &'static str,
    variants: Vec<Issue>,
}

/// Runs `explain`.
pub(crate) fn run(args: &ExplainArgs) -> anyhow::Result<ExitStatus> {
    let all = entries();
    let lang = args.lang();
    crate::text::set_messages(crate::text::Messages {
        zh: lang == Lang::Zh,
        mask: false,
    });
    let chosen: Vec<&Entry> = match &args.code {
        Some(code) => vec![find(&all, code)?],
        None => all.iter().collect(),
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let written = match (args.format, args.code.is_some()) {
        (ExplainFormat::Markdown, _) => write_markdown(&mut out, &chosen, lang),
        (ExplainFormat::Text, true) => write_one(&mut out, chosen[0], lang),
        (ExplainFormat::Text, false) => write_list(&mut out, &chosen, lang),
    };
    super::printed(written.and_then(|()| out.flush()).map_err(Into::into))?;
    Ok(ExitStatus::Success)
}

/// Every code once, in code order (variants are declared in code order, so equal codes
/// are adjacent).
fn entries() -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    for &issue in Issue::ALL {
        match entries.last_mut() {
            Some(last) if last.code == issue.code() => last.variants.push(issue),
            _ => entries.push(Entry {
                code: issue.code(),
                variants: vec![issue],
            }),
        }
    }
    entries
}

/// The entry for `code`, or a usage error (exit 2) naming the closest codes.
fn find<'a>(all: &'a [Entry], code: &str) -> anyhow::Result<&'a Entry> {
    let wanted = code.trim().to_ascii_lowercase();
    if let Some(entry) = all.iter().find(|e| e.code == wanted) {
        return Ok(entry);
    }
    let closest = closest(all, &wanted).join(", ");
    if crate::text::zh() {
        anyhow::bail!("未知的问题代码 '{code}'；最接近的：{closest}。`contact-audit explain --list` 列出全部代码")
    }
    anyhow::bail!("unknown issue code '{code}'; closest: {closest}. `contact-audit explain --list` lists every code")
}

/// At most three codes nearest to `wanted`, by edit distance to the whole code or to its
/// part after the dot (so `length` finds `landline.length` and `mobile.length`); codes far
/// worse than the best are left out, since they would only be noise.
fn closest(all: &[Entry], wanted: &str) -> Vec<&'static str> {
    let mut scored: Vec<(usize, &'static str)> = all
        .iter()
        .map(|e| {
            let tail = e.code.split_once('.').map_or(e.code, |(_, t)| t);
            (distance(wanted, e.code).min(distance(wanted, tail)), e.code)
        })
        .collect();
    scored.sort_unstable();
    let best = scored.first().map_or(0, |&(d, _)| d);
    scored
        .into_iter()
        .take_while(|&(d, _)| d <= best + 2)
        .take(3)
        .map(|(_, code)| code)
        .collect()
}

/// Levenshtein distance over chars.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1).min(row[j] + 1).min(diagonal + usize::from(ca != cb));
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The headings of the example, cause and fix, in `lang`.
fn headings(lang: Lang) -> [&'static str; 3] {
    match lang {
        Lang::Zh => ["示例：", "常见原因：", "处理办法："],
        Lang::En => ["example:", "usual cause:", "fix:"],
    }
}

/// One code: its name, a line per severity with its meaning, then its example, usual cause
/// and fix.
fn write_one(out: &mut impl Write, entry: &Entry, lang: Lang) -> std::io::Result<()> {
    writeln!(out, "{}", entry.code)?;
    for issue in &entry.variants {
        writeln!(out, "  {:<8} {}", issue.severity().label(lang), issue.summary(lang))?;
    }
    let all = data::all();
    let Some(e) = all.get(entry.code) else {
        return Ok(());
    };
    let rules = RuleSet::embedded();
    let [example, cause, fix] = headings(lang);
    writeln!(out, "\n{example}")?;
    for line in data::example(e, &rules, lang) {
        writeln!(out, "  {line}")?;
    }
    writeln!(
        out,
        "\n{cause}\n  {}\n\n{fix}\n  {}",
        e.cause.get(lang),
        e.fix.get(lang)
    )
}

/// Every code, aligned; a second severity of the same code goes on its own line.
fn write_list(out: &mut impl Write, entries: &[&Entry], lang: Lang) -> std::io::Result<()> {
    let width = entries.iter().map(|e| e.code.len()).max().unwrap_or(0) + 2;
    for entry in entries {
        for (i, issue) in entry.variants.iter().enumerate() {
            let code = if i == 0 { entry.code } else { "" };
            let severity = issue.severity().label(lang);
            writeln!(out, "{code:<width$}{severity:<9}{}", issue.summary(lang))?;
        }
    }
    Ok(())
}

/// A Markdown table, then a section per code with its example, usual cause and fix.
fn write_markdown(out: &mut impl Write, entries: &[&Entry], lang: Lang) -> std::io::Result<()> {
    write_table(out, entries, lang)?;
    let all = data::all();
    let rules = RuleSet::embedded();
    let [example, cause, fix] = headings(lang);
    for entry in entries {
        let Some(e) = all.get(entry.code) else { continue };
        writeln!(out, "\n## `{}`\n", entry.code)?;
        let lines = data::example(e, &rules, lang);
        if e.cell.is_some() {
            writeln!(out, "- **{example}** {}", lines.join(" "))?;
        } else {
            writeln!(out, "- **{example}**\n\n  ```text")?;
            for line in lines.iter().filter(|l| !l.starts_with('→')) {
                writeln!(out, "  {}", line.trim_start())?;
            }
            writeln!(out, "  ```\n")?;
            for line in lines.iter().filter(|l| l.starts_with('→')) {
                writeln!(out, "  {}", escape(line))?;
            }
        }
        writeln!(out, "- **{cause}** {}", escape(e.cause.get(lang)))?;
        writeln!(out, "- **{fix}** {}", escape(e.fix.get(lang)))?;
    }
    Ok(())
}

/// The Markdown table; a code with two severities is one row naming both.
fn write_table(out: &mut impl Write, entries: &[&Entry], lang: Lang) -> std::io::Result<()> {
    let (code, severity, meaning) = match lang {
        Lang::Zh => ("代码", "严重程度", "含义"),
        Lang::En => ("code", "severity", "meaning"),
    };
    writeln!(out, "| {code} | {severity} | {meaning} |")?;
    writeln!(out, "|---|---|---|")?;
    for entry in entries {
        let severities: Vec<&str> = entry.variants.iter().map(|i| i.severity().label(lang)).collect();
        let meaning = match entry.variants.as_slice() {
            [only] => escape(only.summary(lang)),
            many => many
                .iter()
                .map(|i| format!("{}: {}", i.severity().label(lang), escape(i.summary(lang))))
                .collect::<Vec<_>>()
                .join("; "),
        };
        writeln!(out, "| `{}` | {} | {meaning} |", entry.code, severities.join(" / "))?;
    }
    Ok(())
}

/// Escapes what Markdown would read as table cells or emphasis (`138****8000`).
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '|' | '*' | '_' | '`') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_code_is_one_entry_with_both_severities() {
        let all = entries();
        let prefix: Vec<&Entry> = all.iter().filter(|e| e.code == "landline.local_prefix").collect();
        assert_eq!(prefix.len(), 1);
        assert_eq!(prefix[0].variants, vec![Issue::LocalPrefix, Issue::LocalPrefixNine]);
        assert_eq!(all.iter().map(|e| e.variants.len()).sum::<usize>(), Issue::ALL.len());
    }

    #[test]
    fn closest_codes_for_typos_and_bare_tails() {
        let all = entries();
        assert_eq!(closest(&all, "landline.lenght")[0], "landline.length");
        let tails = closest(&all, "length");
        assert!(
            tails.contains(&"landline.length") && tails.contains(&"mobile.length"),
            "{tails:?}"
        );
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("same", "same"), 0);
    }

    #[test]
    fn markdown_escapes_emphasis_and_pipes() {
        assert_eq!(escape("138****8000 | x"), r"138\*\*\*\*8000 \| x");
    }
}

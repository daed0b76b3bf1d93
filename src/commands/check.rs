//! `contact-audit check`: judge cells given as arguments or read from standard input, and
//! print a readable block or one JSON object per cell.

use std::io::{BufWriter, IsTerminal as _, Write};

use anstyle::{AnsiColor, Style};
use anyhow::Context as _;
use serde::Serialize;

use crate::cli::{CheckArgs, CheckFormat};
use crate::exit::ExitStatus;
use crate::input::{self, Encoding};
use crate::phone::{Cell, Engine, Issue, Lang, Number, Verdict, message};
use crate::rules::RuleSet;

/// Runs `check`; `color` colours the verdicts of the table (INVALID red, WARN yellow, OK
/// green).
pub(crate) fn run(args: &CheckArgs, color: bool) -> anyhow::Result<ExitStatus> {
    let rules = super::load_rules(&args.engine)?;
    let mut engine = Engine::new(&rules);
    if let Some(code) = &args.engine.default_area_code {
        engine = engine.with_default_area(code).context("--default-area-code")?;
    }
    let lang = args.engine.lang();
    crate::text::set_messages(crate::text::Messages {
        zh: lang == Lang::Zh,
        mask: false,
    });
    let forced = args
        .encoding
        .as_deref()
        .map(|name| Encoding::parse(name).ok_or_else(|| anyhow::anyhow!("--encoding `{name}`: use utf-8 or gb18030")))
        .transpose()?;
    let mut invalid = 0_u64;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut emit = |cell: &str| -> anyhow::Result<()> {
        let checked = engine.check(cell);
        if is_invalid(&checked) {
            invalid += 1;
        }
        match args.format {
            CheckFormat::Json => {
                // As an io::Error, so that a closed pipe is seen as one (serde_json's own
                // error hides the io::Error from `source()`).
                serde_json::to_writer(&mut out, &CellView::new(cell, &checked, &rules, lang))
                    .map_err(std::io::Error::from)?;
                out.write_all(b"\n")?;
            }
            CheckFormat::Table => write_block(&mut out, cell, &checked, &rules, lang, color)?,
        }
        Ok(())
    };
    let mut all = || -> anyhow::Result<()> {
        if args.cells.is_empty() {
            if std::io::stdin().is_terminal() {
                eprintln!(
                    "contact-audit: {}",
                    crate::text::tr(
                        "reading cells from standard input, one per line (Ctrl-D to end)",
                        "从标准输入读取单元格，每行一个（按 Ctrl-D 结束）"
                    )
                );
            }
            let (text, undecided) = input::read_stdin(forced)?;
            if let Some(why) = undecided {
                eprintln!(
                    "contact-audit: standard input: {why}\ncontact-audit: read as UTF-8 line by line instead; \
                     bytes that are not UTF-8 show as U+FFFD"
                );
            }
            for line in text.split_inclusive('\n') {
                emit(strip_newline(line))?;
            }
        } else {
            for cell in &args.cells {
                emit(cell)?;
            }
        }
        Ok(())
    };
    let result = all();
    super::printed(result.and_then(|()| Ok(out.flush()?)))?;
    if args.fail_on_invalid && invalid > 0 {
        if lang == Lang::Zh {
            eprintln!("contact-audit: 检查未通过：{invalid} 个单元格含无效号码（--fail-on-invalid）");
        } else {
            eprintln!("contact-audit: check failed: {invalid} cells hold an invalid number (--fail-on-invalid)");
        }
        return Ok(ExitStatus::ChecksFailed);
    }
    Ok(ExitStatus::Success)
}

/// True when the cell holds an invalid number, or is itself an error (empty, no number in
/// it): what `--fail-on-invalid` counts.
fn is_invalid(cell: &Cell) -> bool {
    cell.issues.has_error() || cell.numbers.iter().any(|n| n.verdict() == Verdict::Invalid)
}

/// A verdict's colour: red, yellow, green.
fn verdict_style(v: Verdict) -> Style {
    let colour = match v {
        Verdict::Invalid => AnsiColor::Red,
        Verdict::Warn => AnsiColor::Yellow,
        Verdict::Ok => AnsiColor::Green,
    };
    colour.on_default().bold()
}

fn strip_newline(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// The JSON object printed for one cell.
#[derive(Serialize)]
struct CellView<'a> {
    input: &'a str,
    numbers: Vec<NumberView<'a>>,
    issues: Vec<IssueView>,
}

#[derive(Serialize)]
struct NumberView<'a> {
    raw: &'a str,
    kind: &'static str,
    verdict: &'static str,
    e164: Option<String>,
    national: String,
    extension: Option<&'a str>,
    area_code: Option<&'a str>,
    region: Option<&'a str>,
    carrier: Option<&'a str>,
    /// The probable current number of a pre-upgrade landline: to verify, never rewritten.
    suggested: Option<Suggested>,
    issues: Vec<IssueView>,
}

/// A suggested current number (`landline.pre_upgrade`) and what to do with it.
#[derive(Serialize)]
struct Suggested {
    national: String,
    e164: String,
    /// Always `verify`: the rule says what the number probably became, not that it still works.
    action: &'static str,
}

impl Suggested {
    fn of(n: &Number, rules: &RuleSet) -> Option<Suggested> {
        let national = n.suggested(rules)?;
        let e164 = format!("+86{}", national.trim_start_matches('0').replace('-', ""));
        Some(Suggested {
            national,
            e164,
            action: "verify",
        })
    }
}

#[derive(Serialize)]
struct IssueView {
    code: &'static str,
    severity: &'static str,
    message: String,
}

impl<'a> CellView<'a> {
    fn new(input: &'a str, cell: &'a Cell, rules: &'a RuleSet, lang: Lang) -> Self {
        CellView {
            input,
            numbers: cell
                .numbers
                .iter()
                .map(|n| NumberView::new(input, n, rules, lang))
                .collect(),
            issues: cell
                .issues
                .iter()
                .map(|i| IssueView::new(i, None, rules, lang))
                .collect(),
        }
    }
}

impl<'a> NumberView<'a> {
    fn new(input: &'a str, n: &'a Number, rules: &'a RuleSet, lang: Lang) -> Self {
        NumberView {
            raw: n.raw(input),
            kind: n.kind.as_str(),
            verdict: n.verdict().as_str(),
            e164: n.e164(),
            national: n.national(),
            extension: (!n.extension.is_empty()).then(|| n.extension.as_str()),
            area_code: n.area_code(),
            region: n.region(rules, lang),
            carrier: n.carrier(rules, lang),
            suggested: Suggested::of(n, rules),
            issues: n
                .issues
                .iter()
                .map(|i| IssueView::new(i, Some(n), rules, lang))
                .collect(),
        }
    }
}

impl IssueView {
    fn new(issue: Issue, n: Option<&Number>, rules: &RuleSet, lang: Lang) -> Self {
        IssueView {
            code: issue.code(),
            severity: issue.severity().as_str(),
            message: message(issue, n, rules, lang).into_owned(),
        }
    }
}

/// The readable form: the cell, then a line per number, then a line per issue.
fn write_block(
    out: &mut impl Write,
    input: &str,
    cell: &Cell,
    rules: &RuleSet,
    lang: Lang,
    color: bool,
) -> anyhow::Result<()> {
    writeln!(out, "{}", input.escape_debug())?;
    for i in cell.issues.iter() {
        writeln!(
            out,
            "  {:<8} {:<28} {}",
            i.severity().as_str(),
            i.code(),
            message(i, None, rules, lang)
        )?;
    }
    for n in &cell.numbers {
        let mut facts = vec![n.kind.as_str().to_string(), n.national()];
        facts.extend(n.e164());
        if !n.extension.is_empty() {
            facts.push(format!("ext {}", n.extension.as_str()));
        }
        facts.extend(n.region(rules, lang).map(str::to_string));
        facts.extend(n.carrier(rules, lang).map(str::to_string));
        let style = if color {
            verdict_style(n.verdict())
        } else {
            Style::new()
        };
        let verdict = format!("{:<8}", n.verdict().as_str().to_uppercase());
        writeln!(out, "  {style}{verdict}{style:#} {}", facts.join("  "))?;
        if let Some(s) = Suggested::of(n, rules) {
            writeln!(out, "  {:<8} {}  {}", s.action, s.national, s.e164)?;
        }
        for i in n.issues.iter() {
            writeln!(
                out,
                "    {:<8} {:<28} {}",
                i.severity().as_str(),
                i.code(),
                message(i, Some(n), rules, lang)
            )?;
        }
    }
    Ok(())
}

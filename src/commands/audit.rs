//! `contact-audit audit`: turns the arguments into a checked [`AuditConfig`] and runs the
//! pipeline. Every flag is validated and resolved here, before the output directory is made
//! or any input is read (ripgrep's low-level/high-level argument split): a typo in a flag on
//! a 10M-row file is reported at once, not after a full pass.

use anyhow::Context as _;

use crate::audit::gate::Threshold;
use crate::audit::record::Prune;
use crate::audit::{self, AuditConfig, Format};
use crate::cli::{AuditArgs, AuditFormat, OutputEncodingArg, OutputsArg};
use crate::exit::{ExitStatus, interrupt};
use crate::history::logs::{HistoryColumns, LogFormat, TimeRange, check_time_format, parse_max_unreadable, time_zone};
use crate::history::{HistoryOptions, parse_as_of};
use crate::input::{Encoding, InputOptions, Spool, must_be_file};
use crate::phone::Engine;
use crate::report::{FormulaGuard, OutputEncoding, ReportOptions};
use crate::rules::RuleSet;
use crate::text::{clip, tr, zh};

/// Records per batch: large enough to keep every core busy, small enough to keep memory flat
/// (8,192 peaked at 97-99 MiB on the 1M-row benchmark, 4,096 at 87 MiB, same speed within noise).
const BATCH: usize = 4096;
/// The longest field accepted (bytes); longer fields make the record malformed.
const MAX_FIELD: usize = 64 * 1024;
/// Bytes each external sorter holds before spilling a run to disk.
const SORT_BUDGET: usize = 8 << 20;

/// Runs `audit`. SIGINT and SIGTERM are caught from the start: from then on a signal
/// removes what the run created and exits 130 or 143 (`exit::interrupt`). `color`: colour
/// the failing-check lines on stderr.
pub(crate) fn run(args: &AuditArgs, color: bool) -> anyhow::Result<ExitStatus> {
    crate::text::set_messages(crate::text::Messages {
        zh: args.engine.lang() == crate::phone::Lang::Zh,
        mask: args.mask,
    });
    interrupt::install()?;
    let rules = super::load_rules(&args.engine)?;
    let mut cfg = config(args, &rules)?;
    cfg.color = color;
    audit::run(&cfg, &rules)
}

/// Checks the arguments and builds the configuration; touches no file but to check that the
/// inputs exist.
fn config(args: &AuditArgs, rules: &RuleSet) -> anyhow::Result<AuditConfig> {
    let checks = args
        .fail_on
        .iter()
        .map(|e| Threshold::parse(e))
        .collect::<anyhow::Result<Vec<_>>>()
        .context("--fail-on")?;
    if let Some(code) = &args.engine.default_area_code {
        Engine::new(rules)
            .with_default_area(code)
            .context("--default-area-code")?;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.map_or(0, std::num::NonZeroUsize::get))
        .build()
        .context(tr("starting worker threads", "启动工作线程"))?;
    let history = history_options(args)?;
    let prune = Prune::parse(&args.prune)?;
    if let Some(t) = checks.iter().find(|t| t.needs_history()).filter(|_| history.is_none()) {
        if zh() {
            anyhow::bail!("--fail-on `{t}`：`{}` 是通话记录指标，需要同时给出 --history", t.metric);
        }
        anyhow::bail!(
            "--fail-on `{t}`: `{}` is a call-history metric: give --history too",
            t.metric
        );
    }
    if args.xlsx && args.outputs == OutputsArg::Summary {
        anyhow::bail!(
            "{}",
            tr(
                "--xlsx writes the per-number workbooks and --outputs summary writes none: give one of them",
                "--xlsx 会写出按号码的工作簿，而 --outputs summary 不写任何工作簿：两者只能给一个",
            )
        );
    }
    if prune.history && history.is_none() {
        anyhow::bail!(
            "{}",
            tr(
                "--prune history takes out what the call history says to prune: give --history too",
                "--prune history 按通话记录的结论剔除号码：需要同时给出 --history",
            )
        );
    }
    if args.input.as_os_str() != "-" {
        must_be_file(&args.input)?;
    }
    Ok(AuditConfig {
        input: InputOptions {
            path: args.input.clone(),
            encoding: args.encoding.as_deref().map(parse_encoding).transpose()?,
            delimiter: args.delimiter.as_deref().map(parse_delimiter).transpose()?,
            phone_columns: args.phone_columns.clone(),
            id_column: args.id_column.clone(),
            sheet: args.sheet.clone(),
            header_row: args.header_row,
            spool: Spool {
                dir: args.out.clone(),
                limit: args.spool_limit,
            },
        },
        report: ReportOptions {
            out: args.out.clone(),
            encoding: match args.output_encoding {
                OutputEncodingArg::Utf8Bom => OutputEncoding::Utf8Bom,
                OutputEncodingArg::Utf8 => OutputEncoding::Utf8,
                OutputEncodingArg::Gb18030 => OutputEncoding::Gb18030,
            },
            lang: args.engine.lang(),
            mask: args.mask,
            shared_threshold: args.shared_threshold,
            guard: if args.no_formula_guard {
                FormulaGuard::Off
            } else {
                FormulaGuard::On
            },
            junit: args.junit,
            xlsx: args.xlsx,
            tables: args.outputs == OutputsArg::All,
        },
        default_area_code: args.engine.default_area_code.clone(),
        prune,
        checks,
        exit_zero: args.exit_zero,
        force: args.force,
        pool,
        quiet: args.quiet,
        batch: BATCH,
        max_field: MAX_FIELD,
        sort_budget: SORT_BUDGET,
        history,
        color: false,
        format: match args.format {
            AuditFormat::Text => Format::Text,
            AuditFormat::Json => Format::Json,
            AuditFormat::Junit => Format::Junit,
        },
    })
}

/// The `--history` options, checked; `None` without `--history`.
fn history_options(args: &AuditArgs) -> anyhow::Result<Option<HistoryOptions>> {
    if args.history.is_empty() {
        return Ok(None);
    }
    let columns = match &args.history_columns {
        Some(spec) => HistoryColumns::parse(spec).context("--history-columns")?,
        None => HistoryColumns::default(),
    };
    let format = args.history_format.as_deref().map(parse_log_format).transpose()?;
    let options = HistoryOptions {
        paths: args.history.clone(),
        sheet: args.sheet.clone(),
        format,
        columns,
        tz: time_zone(&args.timezone).context("--timezone")?,
        as_of: args.as_of.as_deref().map(parse_as_of).transpose()?,
        time_format: args.time_format.as_deref().map(check_time_format).transpose()?,
        dial_prefix: args.dial_prefix.as_deref().map(check_dial_prefix).transpose()?,
        max_unreadable: parse_max_unreadable(&args.max_unreadable)?,
        time_range: args
            .history_time_range
            .as_deref()
            .map(TimeRange::parse)
            .transpose()
            .context("--history-time-range")?
            .unwrap_or_default(),
    };
    for path in &options.paths {
        must_be_file(path)?;
    }
    Ok(Some(options))
}

/// `--dial-prefix`: one to four digits.
fn check_dial_prefix(prefix: &str) -> anyhow::Result<String> {
    let p = prefix.trim();
    if (1..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) {
        Ok(p.to_string())
    } else {
        let echo = clip(prefix);
        if zh() {
            anyhow::bail!("--dial-prefix `{echo}`：外线前缀应为 1 到 4 位数字，例如 9");
        }
        anyhow::bail!("--dial-prefix `{echo}`: give the outside-line prefix as 1 to 4 digits, e.g. 9")
    }
}

/// `--encoding`: utf-8 or gb18030 (gbk, gb2312 and cp936 read as gb18030, their superset).
fn parse_encoding(name: &str) -> anyhow::Result<Encoding> {
    Encoding::parse(name).ok_or_else(|| {
        let echo = clip(name);
        if zh() {
            anyhow::anyhow!("--encoding `{echo}`：请用 utf-8 或 gb18030")
        } else {
            anyhow::anyhow!("--encoding `{echo}`: use utf-8 or gb18030")
        }
    })
}

/// `--history-format`: generic, asterisk or freeswitch.
fn parse_log_format(name: &str) -> anyhow::Result<LogFormat> {
    LogFormat::parse(name).ok_or_else(|| {
        let echo = clip(name);
        if zh() {
            anyhow::anyhow!("--history-format `{echo}`：请用 generic、asterisk 或 freeswitch")
        } else {
            anyhow::anyhow!("--history-format `{echo}`: use generic, asterisk or freeswitch")
        }
    })
}

/// `,` `;` `|`, a tab, or their names.
fn parse_delimiter(s: &str) -> anyhow::Result<u8> {
    match s {
        "comma" | "," => Ok(b','),
        "semicolon" | ";" => Ok(b';'),
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        "pipe" | "|" => Ok(b'|'),
        other if other.len() == 1 && other.is_ascii() && other != "\"" => Ok(other.as_bytes()[0]),
        other if zh() => anyhow::bail!(
            "--delimiter `{}`：请给一个 ASCII 字符，或 comma、semicolon、tab、pipe",
            clip(other)
        ),
        other => anyhow::bail!(
            "--delimiter `{}`: give one ASCII character, or comma, semicolon, tab, pipe",
            clip(other)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_errors_are_chinese_with_zh() {
        crate::text::set_messages(crate::text::Messages { zh: true, mask: false });
        let zh = parse_delimiter("ab").unwrap_err().to_string();
        crate::text::set_messages(crate::text::Messages::default());
        assert_eq!(
            zh,
            "--delimiter `ab`：请给一个 ASCII 字符，或 comma、semicolon、tab、pipe"
        );
        let en = parse_delimiter("ab").unwrap_err().to_string();
        assert_eq!(
            en,
            "--delimiter `ab`: give one ASCII character, or comma, semicolon, tab, pipe"
        );
    }
}

//! `contact-audit audit`: turns the arguments into a checked [`AuditConfig`] and runs the
//! pipeline.

use anyhow::Context as _;

use crate::audit::checks::Check;
use crate::audit::record::Prune;
use crate::audit::{self, AuditConfig};
use crate::cli::{AuditArgs, OutputEncodingArg};
use crate::exit::ExitStatus;
use crate::history::logs::{HistoryColumns, LogFormat, time_zone};
use crate::history::{HistoryOptions, parse_as_of};
use crate::input::{Encoding, InputOptions};
use crate::report::OutputEncoding;

/// Records per batch: large enough to keep every core busy, small enough to keep memory flat
/// (8,192 peaked at 97-99 MiB on the 1M-row benchmark, 4,096 at 87 MiB, same speed within noise).
const BATCH: usize = 4096;
/// The longest field accepted (bytes); longer fields make the record malformed.
const MAX_FIELD: usize = 64 * 1024;
/// Bytes each external sorter holds before spilling a run to disk.
const SORT_BUDGET: usize = 8 << 20;

/// Runs `audit`.
pub(crate) fn run(args: &AuditArgs) -> anyhow::Result<ExitStatus> {
    let rules = super::load_rules(&args.engine)?;
    let cfg = config(args)?;
    audit::run(&cfg, &rules)
}

/// Checks the arguments and builds the configuration.
fn config(args: &AuditArgs) -> anyhow::Result<AuditConfig> {
    let checks = args
        .fail_on
        .iter()
        .map(|e| Check::parse(e))
        .collect::<anyhow::Result<Vec<_>>>()
        .context("--fail-on")?;
    Ok(AuditConfig {
        input: InputOptions {
            path: args.input.clone(),
            encoding: args.encoding.as_deref().and_then(Encoding::parse),
            delimiter: args.delimiter.as_deref().map(parse_delimiter).transpose()?,
            phone_columns: args.phone_columns.clone(),
            id_column: args.id_column.clone(),
            spool_dir: args.out.clone(),
        },
        out: args.out.clone(),
        output_encoding: match args.output_encoding {
            OutputEncodingArg::Utf8Bom => OutputEncoding::Utf8Bom,
            OutputEncodingArg::Utf8 => OutputEncoding::Utf8,
            OutputEncodingArg::Gb18030 => OutputEncoding::Gb18030,
        },
        default_area_code: args.engine.default_area_code.clone(),
        prune: Prune::parse(&args.prune)?,
        checks,
        exit_zero: args.exit_zero,
        threads: args.threads.map_or(0, std::num::NonZeroUsize::get),
        quiet: args.quiet,
        lang: args.engine.lang(),
        mask: args.mask,
        shared_threshold: args.shared_threshold,
        batch: BATCH,
        max_field: MAX_FIELD,
        sort_budget: SORT_BUDGET,
        history: history_options(args)?,
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
    Ok(Some(HistoryOptions {
        paths: args.history.clone(),
        format: args.history_format.as_deref().and_then(LogFormat::parse),
        columns,
        tz: time_zone(&args.timezone).context("--timezone")?,
        as_of: args.as_of.as_deref().map(parse_as_of).transpose()?,
    }))
}

/// `,` `;` `|`, a tab, or their names.
fn parse_delimiter(s: &str) -> anyhow::Result<u8> {
    match s {
        "comma" | "," => Ok(b','),
        "semicolon" | ";" => Ok(b';'),
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        "pipe" | "|" => Ok(b'|'),
        other if other.len() == 1 && other.is_ascii() && other != "\"" => Ok(other.as_bytes()[0]),
        other => anyhow::bail!("--delimiter `{other}`: give one ASCII character, or comma, semicolon, tab, pipe"),
    }
}

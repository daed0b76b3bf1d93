//! The command line: clap's derive types, and the one function that turns raw arguments into
//! a checked configuration for each command.

use std::path::PathBuf;

use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};

use crate::phone::Lang;

/// Audit the phone numbers of loan-portfolio contact files: normalise and validate every
/// number against China's numbering rules, and report what can never connect.
#[derive(Debug, Parser)]
#[command(name = "contact-audit", version, about, long_about = None, propagate_version = true)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check phone numbers given as arguments, or one cell per line on standard input.
    ///
    /// Each cell may hold several numbers, labels, extensions and export damage; every number
    /// found is judged ok, warn or invalid with stable issue codes.
    ///
    /// Examples:
    ///   contact-audit check 027-1234567 13912345678.0
    ///   cut -d, -f3 contacts.csv | contact-audit check --format json
    #[command(verbatim_doc_comment)]
    Check(CheckArgs),
    /// Validate a rules set (the embedded one, or DIR) and list every bad line.
    Rules(RulesArgs),
}

/// Options shared by the commands that judge numbers.
#[derive(Debug, ClapArgs)]
pub struct EngineArgs {
    /// Load rule tables from DIR instead of the embedded set.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Area code assumed for local numbers written without one (e.g. 027).
    #[arg(long, value_name = "CODE")]
    pub default_area_code: Option<String>,
    /// Language of messages (default: from LANG; Chinese when it starts with zh).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

/// `contact-audit check`.
#[derive(Debug, ClapArgs)]
pub struct CheckArgs {
    /// Cells to check; none means read one cell per line from standard input.
    #[arg(value_name = "CELL")]
    pub cells: Vec<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = CheckFormat::Table)]
    pub format: CheckFormat,
    /// Shared engine options.
    #[command(flatten)]
    pub engine: EngineArgs,
}

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// A readable block per cell.
    Table,
    /// One JSON object per input cell, one per line, in input order.
    Json,
}

/// `contact-audit rules`.
#[derive(Debug, ClapArgs)]
pub struct RulesArgs {
    /// What to do with the rules.
    #[command(subcommand)]
    pub action: RulesAction,
}

/// The `rules` actions.
#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// Check a rules set; print every bad line as `file:line: message` (exit 2 if any).
    Check {
        /// The rules directory; the embedded set when omitted.
        dir: Option<PathBuf>,
    },
}

/// Message language on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Simplified Chinese.
    Zh,
    /// English.
    En,
}

impl EngineArgs {
    /// The language: the flag, else LANG / `LC_ALL`, else English.
    pub fn lang(&self) -> Lang {
        match self.lang {
            Some(LangArg::Zh) => Lang::Zh,
            Some(LangArg::En) => Lang::En,
            None => lang_from_env(),
        }
    }
}

fn lang_from_env() -> Lang {
    let var = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .unwrap_or_default();
    if var.to_ascii_lowercase().starts_with("zh") {
        Lang::Zh
    } else {
        Lang::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Args::command().debug_assert();
    }
}

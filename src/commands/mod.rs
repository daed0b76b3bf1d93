//! The subcommands, each a function from its checked arguments to an exit status.

mod audit;
mod check;
mod explain;
mod rules;

use std::path::Path;

use anyhow::Context as _;

use crate::cli::{Args, Command, EngineArgs, RulesAction};
use crate::exit::{ExitStatus, is_broken_pipe};
use crate::rules::RuleSet;

/// Runs the command the arguments name.
pub fn run(args: Args) -> anyhow::Result<ExitStatus> {
    let color = args.color;
    match args.command {
        Command::Check(check) => check::run(&check, color.for_stream(true)),
        Command::Audit(args) => audit::run(&args, color.for_stream(false)),
        Command::Rules(rules) => match rules.action {
            RulesAction::Check { dir } => rules::check(dir.as_deref()),
        },
        Command::Explain(explain) => explain::run(&explain),
    }
}

/// Loads the rules the engine options name: `--rules DIR`, or the embedded set.
pub(crate) fn load_rules(args: &EngineArgs) -> anyhow::Result<RuleSet> {
    match &args.rules {
        Some(dir) => load_dir(dir),
        None => Ok(RuleSet::embedded()),
    }
}

/// The result of printing to standard output, where a reader that stopped early (`... | head
/// -1`) is no failure: the printing ends quietly and the command keeps its own exit status.
/// Each command decides its status itself, so a closed pipe can never turn a failing gate or a
/// bad rules set into exit 0, nor a finished `check` into an error.
pub(crate) fn printed(result: anyhow::Result<()>) -> anyhow::Result<()> {
    match result {
        Err(e) if is_broken_pipe(&e) => Ok(()),
        other => other,
    }
}

fn load_dir(dir: &Path) -> anyhow::Result<RuleSet> {
    RuleSet::load(dir).with_context(|| format!("loading rules from {}", dir.display()))
}

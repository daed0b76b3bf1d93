//! `contact-audit rules check [DIR]`: validate a rules set and list every bad line.

use std::io::Write as _;
use std::path::Path;

use crate::exit::ExitStatus;
use crate::rules::RuleSet;

/// Checks the set in `dir` (or the embedded one). Bad lines go to stdout as
/// `file:line: message`, so editors and CI annotate them; the exit status is 2 when any.
pub(crate) fn check(dir: Option<&Path>) -> anyhow::Result<ExitStatus> {
    let errors = RuleSet::check(dir)?;
    let mut out = std::io::stdout().lock();
    let prefix = dir.map(|d| format!("{}/", d.display())).unwrap_or_default();
    // A closed pipe ends the listing, never the status: bad lines still exit 2.
    super::printed(
        errors
            .iter()
            .try_for_each(|e| writeln!(out, "{prefix}{e}"))
            .map_err(Into::into),
    )?;
    if errors.is_empty() {
        let rules = match dir {
            Some(d) => RuleSet::load(d)?,
            None => RuleSet::embedded(),
        };
        let line = writeln!(
            out,
            "rules {} ({}): ok: {} mobile blocks, {} area codes, {} service ranges, {} mobile region ranges",
            rules.version,
            rules.origin,
            rules.mobile.len(),
            rules.areas.iter().count(),
            rules.services.len(),
            rules.regions.len()
        );
        super::printed(line.map_err(Into::into))?;
        Ok(ExitStatus::Success)
    } else {
        eprintln!("contact-audit: {} bad line(s) in the rules set", errors.len());
        Ok(ExitStatus::UsageError)
    }
}
